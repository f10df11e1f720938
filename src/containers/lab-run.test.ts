// Lab 04's runner: the layers stay the runner's, the bytes written are counted by it, and a wrong answer is named in words.
import { describe, expect, it } from "vitest";
import type { ContainersLab } from "./lab-api.js";
import { checkLabCase } from "./lab-check.js";
import type { FsCase } from "./lab-cases.js";
import { makeOverlay, formatLabDivergence } from "./lab-run.js";

const image: FsCase = { kind: "overlay", layers: [{ files: { "/etc/hosts": "127.0.0.1 localhost\n" }, dirs: [], whiteouts: [], opaque: [] }], ops: [{ op: "lookup", path: "/etc/hosts" }] };

/** A lab whose every function throws, with `lookup` replaced. */
function labWith(lookup: ContainersLab["lookup"]): ContainersLab {
  const no = (): never => {
    throw new Error("not written");
  };
  return { lookup, list: no, write: no, append: no, mkdir: no, remove: no, commit: no, allocateCpu: no };
}

describe("lab 04's runner", () => {
  it("names a lookup that returns the wrong shape, with what the model expected", () => {
    const r = checkLabCase(labWith((() => "127.0.0.1 localhost\n") as never), image);
    expect(r.ok).toBe(false);
    expect(formatLabDivergence(r.divergence!, 1)).toBe(
      'at operation 1: lookup(/etc/hosts) returned: expected {"type":"file","content":"127.0.0.1 localhost\\n"}, got an error (lookup must return { type: "file", content } or { type: "dir" } or null, not a string)',
    );
  });

  it("counts every byte stored into the writable layer itself, whatever the submission says", () => {
    const meter = { writtenBytes: 0 };
    const fs = makeOverlay(image.layers, meter);
    fs.upper.putFile("/etc/hosts", "abc");
    fs.upper.putFile("/etc/hosts", "abcdef");
    expect(meter.writtenBytes).toBe(9);
    expect(fs.lower[0]!.read("/etc/hosts")).toBe("127.0.0.1 localhost\n");
    expect(fs.upper.typeAt("/etc/hosts")).toBe("file");
  });

  it("refuses paths that are not strings, a non-normalised path, and an opaque mark without its directory", () => {
    const fs = makeOverlay(image.layers, { writtenBytes: 0 });
    expect(() => fs.lower[0]!.typeAt(42 as never)).toThrow("lower[0].typeAt expects a path string, but got number");
    expect(() => fs.upper.putDir("etc/")).toThrow('upper.putDir("etc/"): not a normalised absolute path such as "/etc/hosts"');
    expect(() => fs.upper.setOpaque("/etc", true)).toThrow('upper.setOpaque("/etc"): the upper layer must record a directory there first (putDir)');
    expect(() => fs.lower[0]!.read("/etc")).toThrow('lower[0].read("/etc"): this layer records no file there (it records a dir)');
  });
});
