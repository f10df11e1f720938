// Store: a queue of items between processes — producers put, consumers get (optionally only items matching a filter), with an optional capacity.
//
// As SimPy's Store and FilterStore: a `put` waits while the store is full, a `get` waits until an item
// is there. Waiting puts are served in order; each waiting get, in order, takes the oldest item it
// accepts. Both are events, and both can be withdrawn with `cancel()` while still waiting.
import { SimEvent } from "./event.js";
import { Fifo } from "./fifo.js";
import { SimError } from "./errors.js";
import type { Simulation } from "./simulation.js";

/** A put into a store; succeeds when the item is in. */
export class StorePut<T> extends SimEvent<void> {
  constructor(private readonly store: Store<T>, readonly item: T, label: string) {
    super(store.sim, label);
  }

  /** Withdraw it while it is still waiting for room; false if the item is already in. */
  cancel(): boolean {
    return this.pending && this.store.withdraw(this);
  }
}

/** A get from a store; succeeds with the item taken. */
export class StoreGet<T> extends SimEvent<T> {
  constructor(
    private readonly store: Store<T>,
    /** Only items it accepts are taken; undefined takes any. */
    readonly filter: ((item: T) => boolean) | undefined,
    label: string,
  ) {
    super(store.sim, label);
  }

  /** Withdraw it while it is still waiting for an item; false if it already took one (see `value`). */
  cancel(): boolean {
    return this.pending && this.store.withdraw(this);
  }
}

/** A FIFO store of items with an optional capacity (default unbounded). */
export class Store<T> {
  readonly name: string;
  /** How many items fit (Infinity for unbounded). */
  readonly capacity: number;
  private readonly contents = new Fifo<T>();
  private readonly puts = new Fifo<StorePut<T>>();
  private readonly gets = new Fifo<StoreGet<T>>();
  private readonly putLabel: string;
  private readonly getLabel: string;

  constructor(readonly sim: Simulation, options: { readonly capacity?: number; readonly name?: string } = {}) {
    this.name = options.name ?? "store";
    this.capacity = options.capacity ?? Infinity;
    if (!(this.capacity === Infinity || (Number.isInteger(this.capacity) && this.capacity >= 1))) {
      throw new SimError("SIM_BAD_CAPACITY", `store '${this.name}' needs a whole capacity >= 1 (or none for unbounded), got ${options.capacity}`, {
        hint: "e.g. new Store(sim, { capacity: 10 })",
      });
    }
    this.putLabel = `${this.name}.put`;
    this.getLabel = `${this.name}.get`;
  }

  /** Items in the store now. */
  get size(): number {
    return this.contents.length;
  }

  /** The items, oldest first. */
  get items(): readonly T[] {
    return this.contents.toArray();
  }

  /** Puts waiting for room. */
  get waitingPuts(): number {
    return this.puts.length;
  }

  /** Gets waiting for an item. */
  get waitingGets(): number {
    return this.gets.length;
  }

  /** Put an item in; the event succeeds once it is in (at once when there is room). */
  put(item: T): StorePut<T> {
    const put = new StorePut(this, item, this.putLabel);
    this.puts.push(put);
    this.dispatch();
    return put;
  }

  /** Take the oldest item (the oldest `filter` accepts, if given); the event succeeds with it. */
  get(filter?: (item: T) => boolean): StoreGet<T> {
    const get = new StoreGet(this, filter, this.getLabel);
    this.gets.push(get);
    this.dispatch();
    return get;
  }

  /** @internal Remove a waiting put or get. */
  withdraw(waiter: StorePut<T> | StoreGet<T>): boolean {
    // Withdrawing frees no room and no item, so nothing else becomes possible.
    return waiter instanceof StorePut ? this.puts.remove(waiter) : this.gets.remove(waiter);
  }

  private dispatch(): void {
    let progress = true;
    while (progress) {
      progress = false;
      while (this.puts.length > 0 && this.contents.length < this.capacity) {
        const put = this.puts.shift()!;
        this.contents.push(put.item);
        put.succeed();
        progress = true;
      }
      for (let i = 0; i < this.gets.length && this.contents.length > 0; ) {
        const get = this.gets.at(i)!;
        const at = get.filter === undefined ? 0 : this.contents.findIndex(get.filter);
        if (at < 0) {
          i++;
          continue;
        }
        this.gets.removeAt(i);
        get.succeed(this.contents.removeAt(at));
        progress = true;
      }
    }
  }
}
