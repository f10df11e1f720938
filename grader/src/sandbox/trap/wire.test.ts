// Tests of a trap case's transport form: a guest comes back byte for byte, and its zeros do not travel.
import { describe, expect, it } from "vitest";
import { buildGuest, listGuests } from "../../../../src/guests/index.js";
import { fromWire, toWire } from "./wire.js";

/** A seeded byte pattern: stretches of zeros of every length between stretches of data. */
function patterned(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  let i = 0;
  while (i < length) {
    x = (x * 1103515245 + 12345) >>> 0;
    const data = x % 40, zeros = (x >>> 8) % 200;
    for (let k = 0; k < data && i < length; k++, i++) bytes[i] = 1 + ((x >>> (k % 24)) & 0xfe);
    i += zeros;
  }
  return bytes;
}

describe("a guest in transport form", () => {
  it("comes back with the very segments it was given, zeros included, whatever the pattern of zeros", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const segments = [
        { address: 0, bytes: patterned(5000 + seed * 37, seed) },
        { address: 0x8000, bytes: new Uint8Array(300) },
        { address: 0x9000, bytes: Uint8Array.of(0, 0, 7) },
        { address: 0xa000, bytes: new Uint8Array(0) },
      ];
      const back = fromWire(JSON.parse(JSON.stringify(toWire({ segments, entry: 0x40 }))));
      expect(back.entry).toBe(0x40);
      expect(back.segments.map((s) => [s.address, Buffer.from(s.bytes).toString("hex")])).toEqual(segments.map((s) => [s.address, Buffer.from(s.bytes).toString("hex")]));
    }
  });

  it("sends every bundled guest back intact in far fewer characters than the image's base64", () => {
    let image = 0, sent = 0;
    for (const { name } of listGuests()) {
      const guest = buildGuest(name);
      const wire = toWire(guest);
      expect(fromWire(wire).segments.map((s) => Buffer.from(s.bytes).toString("hex")), name).toEqual(guest.segments.map((s) => Buffer.from(s.bytes).toString("hex")));
      image += guest.segments.reduce((n, s) => n + Buffer.from(s.bytes).toString("base64").length, 0);
      sent += JSON.stringify(wire).length;
    }
    expect(sent).toBeLessThan(image / 4);
  });

  it("keeps a segment that is all zeros as its length alone", () => {
    expect(toWire({ segments: [{ address: 0x1000, bytes: new Uint8Array(4096) }], entry: 0 }).segments).toEqual([{ address: 0x1000, length: 4096, runs: [] }]);
  });
});
