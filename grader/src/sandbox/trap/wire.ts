// A trap case's input in transport form: the guest image (its segments' non-zero runs as base64), the profile and the step limit, as the parent sends it and the child reads it.
//
// A guest's image is mostly zeros (lab 01's suite: 249 KB of its 273 KB; a bundled guest's kernel is a
// 28 KB segment of aligned tables), and a segment loads into zeroed memory. So a segment travels as its
// length and the runs of it that are not all zeros: the message that sends a child lab 01's 31 cases went
// from 381 to 85 KB of JSON, and with it what the grader writes and the child parses, the cases kept on
// disk (0.4 MB to 82 KB) and the text the trusted numbers' digest is taken over. fromWire gives back
// the very segments toWire was given, zeros included, so loading one is exactly what it was.
import type { Loadable } from "../../../../src/machine/machine.js";
import type { WireGuest, WireSegment } from "../../contract.js";

/** A trap case's input, as the child side reads it. */
export interface TrapInput {
  readonly guest: WireGuest;
  readonly profile: "strict" | "x86";
  readonly maxSteps: number;
}

/** Zeros shorter than this stay inside a run: a run costs more than a few zeros in base64. */
const MIN_ZERO_GAP = 64;

/** A guest in transport form for the sandbox. */
export function toWire(guest: Loadable): WireGuest {
  return { segments: guest.segments.map((s) => wireSegment(s.address, s.bytes)), entry: guest.entry };
}

function wireSegment(address: number, bytes: Uint8Array): WireSegment {
  const runs: { offset: number; bytes: string }[] = [];
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 0;
  while (i < bytes.length) {
    while (i < bytes.length && bytes[i] === 0) i++;
    if (i === bytes.length) break;
    const start = i;
    // The run ends where MIN_ZERO_GAP zeros in a row (or the segment's end) begin.
    let end = i;
    for (let zeros = 0; i < bytes.length && zeros < MIN_ZERO_GAP; i++) {
      if (bytes[i] === 0) zeros++;
      else {
        zeros = 0;
        end = i + 1;
      }
    }
    runs.push({ offset: start, bytes: data.subarray(start, end).toString("base64") });
    i = end;
  }
  return { address, length: bytes.length, runs };
}

/** A guest image back from its transport form: each segment at its full length, zeros between its runs. */
export function fromWire(guest: WireGuest): Loadable {
  return {
    segments: guest.segments.map((s) => {
      const bytes = new Uint8Array(s.length);
      for (const r of s.runs) bytes.set(Buffer.from(r.bytes, "base64"), r.offset);
      return { address: s.address, bytes };
    }),
    entry: guest.entry,
  };
}
