// The event queue: a binary min-heap of scheduled entries ordered by (time, priority, sequence number).
//
// Lower priority numbers run first at equal times; the sequence number (assigned by the simulation in
// scheduling order) breaks the remaining ties, so the order never depends on the heap's internals.
// Cancelled entries stay in the heap and are skipped when they reach the top (lazy deletion); when
// they outnumber the live ones the heap is rebuilt without them, so cancelling many timers is cheap.

/** Something the queue can hand back to be processed: an event whose callbacks are due. */
export interface Processable {
  /** Run the callbacks waiting on this event (called by the simulation, once). */
  runCallbacks(): void;
}

/** A scheduled call, as `Simulation.schedule` and `Simulation.at` return it. */
export interface ScheduledCall {
  /** When it is (or was) due, in simulated seconds. */
  readonly time: number;
  readonly priority: number;
  /** The simulation's sequence number for it: the last tie-breaker. */
  readonly seq: number;
  readonly label: string;
  /** True once cancelled. */
  readonly cancelled: boolean;
  /** True once it has run or been discarded. */
  readonly done: boolean;
  /** Stop it from running; false if it already ran or was already cancelled. */
  cancel(): boolean;
}

/** One scheduled happening: an event to process or a plain callback to call. */
export class Entry implements ScheduledCall {
  cancelled = false;
  done = false;

  constructor(
    private readonly queue: EventQueue,
    readonly time: number,
    readonly priority: number,
    readonly seq: number,
    readonly label: string,
    /** The event to process, or null for a plain callback. */
    readonly event: Processable | null,
    /** The callback to call, or null for an event. */
    readonly call: (() => void) | null,
  ) {}

  cancel(): boolean {
    if (this.cancelled || this.done) return false;
    this.cancelled = true;
    this.queue.noteCancelled();
    return true;
  }
}

function before(a: Entry, b: Entry): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

/** A min-heap of entries; `pop()` returns the earliest live entry. */
export class EventQueue {
  private heap: Entry[] = [];
  private cancelledCount = 0;

  /** Live (not cancelled) entries waiting. */
  get size(): number {
    return this.heap.length - this.cancelledCount;
  }

  push(entry: Entry): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    // Sift up, moving the hole rather than swapping.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** The earliest live entry without removing it, or undefined when none is left. */
  peek(): Entry | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  /** Remove and return the earliest live entry, or undefined when none is left. */
  pop(): Entry | undefined {
    this.dropCancelledTop();
    const top = this.removeTop();
    if (top !== undefined) top.done = true;
    return top;
  }

  /** Record that an entry in the heap was cancelled (Entry.cancel calls this); compacts when most of the heap is dead. */
  noteCancelled(): void {
    this.cancelledCount++;
    if (this.cancelledCount > 64 && this.cancelledCount * 2 > this.heap.length) this.compact();
  }

  private dropCancelledTop(): void {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.cancelled) {
      this.removeTop()!.done = true;
      this.cancelledCount--;
    }
  }

  private removeTop(): Entry | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (n > 1) this.siftDown(0, last);
    return top;
  }

  private siftDown(start: number, entry: Entry): void {
    const heap = this.heap;
    const n = heap.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(heap[right]!, heap[child]!)) child = right;
      const c = heap[child]!;
      if (!before(c, entry)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = entry;
  }

  private compact(): void {
    const live: Entry[] = [];
    for (const e of this.heap) {
      if (e.cancelled) e.done = true;
      else live.push(e);
    }
    this.heap = live;
    this.cancelledCount = 0;
    for (let i = (live.length >> 1) - 1; i >= 0; i--) this.siftDown(i, live[i]!);
  }
}
