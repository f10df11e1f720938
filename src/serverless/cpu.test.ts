// Tests for CPU proportional to memory: 1,769 MB is one vCPU, less memory is proportionally slower.
import { describe, expect, it } from "vitest";
import { computeTimeMs, vcpusFor } from "./cpu.js";

describe("CPU proportional to memory", () => {
  it("gives one vCPU at 1,769 MB and a proportional share below", () => {
    expect(vcpusFor(1769)).toBe(1);
    expect(vcpusFor(128)).toBeCloseTo(128 / 1769, 12);
    expect(vcpusFor(10240)).toBeCloseTo(5.79, 2);
    expect(vcpusFor(10240, { mbPerVcpu: 1024, maxVcpus: 6 })).toBe(6);
  });

  it("stretches 200 ms of one-vCPU compute to 1.38 s at 256 MB and leaves it at 200 ms from 1,769 MB up for one thread", () => {
    expect(computeTimeMs(200, 256)).toBeCloseTo(1382.03, 1);
    expect(computeTimeMs(200, 1769)).toBe(200);
    expect(computeTimeMs(200, 4096)).toBe(200);
    expect(computeTimeMs(200, 4096, 2)).toBeCloseTo(100, 9);
  });

  it("refuses negative compute and zero memory", () => {
    expect(() => computeTimeMs(-1, 128)).toThrow(/compute time must be a number ≥ 0/);
    expect(() => vcpusFor(0)).toThrow(/memory must be a number > 0/);
  });
});
