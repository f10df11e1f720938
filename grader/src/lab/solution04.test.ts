// Lab 04's reference solution against the container model: every generated case passes, with exactly the model's bytes written.
import { describe, expect, it } from "vitest";
import { generateCpuCase } from "../../../src/containers/lab-cases.js";
import { expectFsCase, generateOverlayCase } from "../../../src/containers/lab-expect.js";
import { checkLabCase } from "../../../src/containers/lab-check.js";
import { formatLabDivergence } from "../../../src/containers/lab-run.js";
import { lab } from "../../../solutions/04-containers/overlay.js";

describe("the reference solution of lab 04", () => {
  it("sees, changes and commits 60 generated overlay cases exactly as the model, writing as many bytes as it does", () => {
    const failures: string[] = [];
    let copied = 0;
    for (let seed = 0; seed < 60; seed++) {
      const c = generateOverlayCase(seed, 30);
      const r = checkLabCase(lab, c);
      if (!r.ok) failures.push(`seed ${seed} ${formatLabDivergence(r.divergence!, c.ops.length)}`);
      else if (r.writtenBytes !== expectFsCase(c).writtenBytes) failures.push(`seed ${seed}: wrote ${r.writtenBytes} bytes, the model ${expectFsCase(c).writtenBytes}`);
      copied += r.writtenBytes;
    }
    expect(failures).toEqual([]);
    expect(copied).toBeGreaterThan(0);
  });

  it("allocates 200 generated cgroup trees as the model does", () => {
    const failures: string[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const r = checkLabCase(lab, generateCpuCase(seed));
      if (!r.ok) failures.push(`seed ${seed} ${formatLabDivergence(r.divergence!, 0)}`);
    }
    expect(failures).toEqual([]);
  });
});
