// Resource: N identical slots (CPUs, workers, connections) that processes request and release, waiting in FIFO order when all are taken.
//
// As SimPy's Resource: `request()` returns an event that succeeds when a slot is granted; the holder
// gives it back with `release(request)`. Requests are granted strictly in the order they were made.
import { SimEvent } from "./event.js";
import { Fifo } from "./fifo.js";
import { SimError } from "./errors.js";
import type { Simulation } from "./simulation.js";

/** A request for one slot of a resource; it succeeds (with itself) when the slot is granted. */
export class ResourceRequest extends SimEvent<ResourceRequest> {
  /** When it was made. */
  readonly requestedAt: number;
  /** When the slot was granted, or undefined while waiting. */
  grantedAt: number | undefined = undefined;
  /** True once released (or withdrawn). */
  released = false;

  constructor(readonly resource: Resource, label: string) {
    super(resource.sim, label);
    this.requestedAt = resource.sim.now;
  }

  /** How long it waited for its slot (undefined while still waiting). */
  get waited(): number | undefined {
    return this.grantedAt === undefined ? undefined : this.grantedAt - this.requestedAt;
  }

  /** No longer wanted: withdraw it from the queue, or release the slot if granted; false if already released. */
  cancel(): boolean {
    if (this.released) return false;
    this.resource.release(this);
    return true;
  }
}

/** A capacity-N resource with a FIFO queue. */
export class Resource {
  readonly name: string;
  private readonly holders = new Set<ResourceRequest>();
  private readonly waiting = new Fifo<ResourceRequest>();
  private readonly requestLabel: string;

  constructor(
    readonly sim: Simulation,
    /** How many requests may hold it at once. */
    readonly capacity: number = 1,
    options: { readonly name?: string } = {},
  ) {
    this.name = options.name ?? "resource";
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new SimError("SIM_BAD_CAPACITY", `resource '${this.name}' needs a whole capacity >= 1, got ${capacity}`, { hint: "e.g. new Resource(sim, 4) for four CPUs" });
    }
    this.requestLabel = `${this.name}.request`;
  }

  /** Slots held now. */
  get inUse(): number {
    return this.holders.size;
  }

  /** Requests waiting for a slot. */
  get queueLength(): number {
    return this.waiting.length;
  }

  /** The requests holding a slot, in the order they were granted. */
  get users(): readonly ResourceRequest[] {
    return [...this.holders];
  }

  /** The requests waiting, first in line first. */
  get queue(): readonly ResourceRequest[] {
    return this.waiting.toArray();
  }

  /** Ask for a slot; yield the request to wait until it is granted. */
  request(): ResourceRequest {
    const req = new ResourceRequest(this, this.requestLabel);
    this.waiting.push(req);
    this.grant();
    return req;
  }

  /** Give back a granted slot (the next waiting request gets it), or withdraw a request still waiting. */
  release(request: ResourceRequest): void {
    if (request.resource !== this) {
      throw new SimError("SIM_NOT_HELD", `request for '${request.resource.name}' released on resource '${this.name}'`, { hint: "release a request on the resource it was made on" });
    }
    if (request.released) {
      throw new SimError("SIM_NOT_HELD", `request on '${this.name}' released twice (t=${this.sim.now})`, { hint: "release each request once, e.g. in a finally block" });
    }
    request.released = true;
    if (this.holders.delete(request)) this.grant();
    else this.waiting.remove(request);
  }

  private grant(): void {
    while (this.holders.size < this.capacity && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.holders.add(next);
      next.grantedAt = this.sim.now;
      next.succeed(next);
    }
  }
}
