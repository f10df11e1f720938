// A trap case's input in transport form: the guest image (bytes as base64), the profile and the step limit, as the parent sends it and the child reads it.
import type { Loadable } from "../../../../src/machine/machine.js";
import type { WireGuest } from "../../contract.js";

/** A trap case's input, as the child side reads it. */
export interface TrapInput {
  readonly guest: WireGuest;
  readonly profile: "strict" | "x86";
  readonly maxSteps: number;
}

/** A guest in transport form for the sandbox (bytes as base64). */
export function toWire(guest: Loadable): WireGuest {
  return {
    segments: guest.segments.map((s) => ({ address: s.address, bytes: Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength).toString("base64") })),
    entry: guest.entry,
  };
}

/** A guest image back from its transport form. */
export function fromWire(guest: WireGuest): Loadable {
  return { segments: guest.segments.map((s) => ({ address: s.address, bytes: new Uint8Array(Buffer.from(s.bytes, "base64")) })), entry: guest.entry };
}
