// A guest exception raised while the monitor acts for its guest: a page fault in a walk of the guest's tables, or a handler's raise().

/** An exception for the guest (vector, error code, and for a page fault the address that becomes its CR2). */
export class GuestFault {
  constructor(
    readonly vector: number,
    readonly error: number,
    /** The faulting linear address, for page faults (becomes the guest's CR2). */
    readonly address?: number,
  ) {
    // It unwinds through student handlers: frozen, so what the monitor reflects is what it raised.
    Object.freeze(this);
  }
}
