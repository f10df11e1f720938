// Tests for lab 04's scoring side: the reference passes its own cases, an independent correct implementation passes,
// and the three calibration mistakes (whiteouts forgotten, copy-up of the whole layer, no work conservation) are caught.
import { describe, expect, it } from "vitest";
import { generateCpuCase, generateFsCase } from "./lab-cases.js";
import { compareCpuCase, compareFsCase, formatDivergence } from "./lab-compare.js";
import { referenceAllocateCpu, referenceLayeredFs, type CpuAllocator, type LabChange, type LabLayer, type LayeredFsFactory } from "./lab-api.js";

/** A plain implementation written from the lab's README, not from the model: flatten the lower layers, keep an upper map. */
function plainFs(options: { forgetWhiteouts?: boolean; copyWholeLayer?: boolean } = {}): LayeredFsFactory {
  return (lower) => {
    const base = new Map<string, LabChange>();
    for (const l of lower) {
      for (const d of l.opaque ?? []) for (const p of [...base.keys()]) if (p.startsWith(d + "/")) base.delete(p);
      for (const [p, c] of Object.entries(l.changes)) {
        if (c.type === "whiteout") { for (const q of [...base.keys()]) if (q === p || q.startsWith(p + "/")) base.delete(q); }
        else base.set(p, c);
      }
    }
    const upper = new Map<string, LabChange>();
    const opaque = new Set<string>();
    let copied = 0;
    let copiedAll = false;
    const hiddenBelow = (p: string) => [...upper].some(([q, c]) => (c.type === "whiteout" || opaque.has(q)) && p.startsWith(q + "/")) || upper.get(p)?.type === "whiteout";
    const get = (p: string): LabChange | undefined => {
      if (p === "/") return { type: "dir" };
      const u = upper.get(p);
      if (u) return u.type === "whiteout" ? undefined : u;
      if (hiddenBelow(p)) return undefined;
      return base.get(p);
    };
    const parentOf = (p: string) => p.slice(0, p.lastIndexOf("/")) || "/";
    const ensureParents = (p: string) => {
      for (let d = parentOf(p); d !== "/"; d = parentOf(d)) if (!upper.has(d)) upper.set(d, { type: "dir" });
    };
    const children = (d: string) => {
      const names = new Set<string>();
      for (const p of [...base.keys(), ...upper.keys()]) if (parentOf(p) === d && p !== "/") names.add(p.slice(d === "/" ? 1 : d.length + 1));
      return [...names].filter((n) => get(d === "/" ? `/${n}` : `${d}/${n}`) !== undefined).sort();
    };
    return {
      read: (p) => { const c = get(p); return c?.type === "file" ? c.content : null; },
      list: (p) => (get(p)?.type === "dir" ? children(p) : null),
      write(p, content) {
        if (get(parentOf(p))?.type !== "dir") throw new Error("ENOENT");
        if (options.copyWholeLayer && !copiedAll) {
          copiedAll = true;
          for (const [q, c] of base) if (!upper.has(q) && c.type === "file") { upper.set(q, c); copied += c.content.length; }
        }
        const old = get(p);
        if (old?.type === "dir") throw new Error("EISDIR");
        if (old?.type === "file" && !upper.has(p)) copied += old.content.length;
        ensureParents(p);
        upper.set(p, { type: "file", content });
      },
      mkdir(p) {
        if (get(p) !== undefined) throw new Error("EEXIST");
        if (get(parentOf(p))?.type !== "dir") throw new Error("ENOENT");
        ensureParents(p);
        const overWhiteout = upper.get(p)?.type === "whiteout";
        upper.set(p, { type: "dir" });
        if (overWhiteout) opaque.add(p);
      },
      remove(p) {
        if (get(p) === undefined) throw new Error("ENOENT");
        ensureParents(p);
        for (const q of [...upper.keys()]) if (q.startsWith(p + "/")) upper.delete(q);
        for (const o of [...opaque]) if (o === p || o.startsWith(p + "/")) opaque.delete(o);
        const below = base.has(p) && ![...opaque].some((o) => p.startsWith(o + "/"));
        if (below && !options.forgetWhiteouts) upper.set(p, { type: "whiteout" });
        else upper.delete(p);
      },
      commit: (): LabLayer => ({ changes: Object.fromEntries([...upper].sort()), opaque: [...opaque] }),
      copiedUpBytes: () => copied,
    };
  };
}

/** The calibration mistake for the CPU part: shares by weight among all children, idle or not. */
const withoutWorkConservation: CpuAllocator = (root, cpus) => {
  const out: Record<string, number> = {};
  const give = (g: typeof root, amount: number) => {
    out[g.path] = Math.min(amount, g.cap);
    const total = g.children.reduce((n, c) => n + c.weight, 0);
    for (const c of g.children) give(c, (out[g.path]! * c.weight) / total);
  };
  give(root, cpus);
  return out;
};

const FS_CASES = Array.from({ length: 25 }, (_, i) => generateFsCase(i, 30));
const CPU_CASES = Array.from({ length: 40 }, (_, i) => generateCpuCase(i));

describe("lab 04 file-system cases", () => {
  it("are deterministic: the same seed gives the same lower layers and operations", () => {
    expect(generateFsCase(7)).toEqual(generateFsCase(7));
    expect(generateFsCase(7)).not.toEqual(generateFsCase(8));
  });

  it("exercise copy-up, whiteouts and opaque directories", () => {
    const layers = FS_CASES.map((c) => { const fs = referenceLayeredFs(c.lower); for (const op of c.ops) { try { if (op.op === "write") fs.write(op.path, op.content); else if (op.op === "mkdir") fs.mkdir(op.path); else if (op.op === "remove") fs.remove(op.path); } catch { /* ops the reference refuses are part of the case */ } } return { layer: fs.commit(), copied: fs.copiedUpBytes() }; });
    expect(layers.filter((l) => Object.values(l.layer.changes).some((c) => c.type === "whiteout")).length).toBeGreaterThan(15);
    expect(layers.filter((l) => (l.layer.opaque ?? []).length > 0).length).toBeGreaterThan(5);
    expect(layers.filter((l) => l.copied > 0).length).toBeGreaterThan(15);
  });

  it("pass for the reference and for an independent correct implementation", () => {
    for (const c of FS_CASES) expect(compareFsCase(referenceLayeredFs, c).ok).toBe(true);
    const failures = FS_CASES.map((c) => compareFsCase(plainFs(), c)).filter((r) => !r.ok).map((r) => formatDivergence(r.divergence!));
    expect(failures).toEqual([]);
  });

  it("catch forgotten whiteouts: the deleted lower file is still readable", () => {
    const results = FS_CASES.map((c) => compareFsCase(plainFs({ forgetWhiteouts: true }), c));
    const failed = results.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(15);
    expect(formatDivergence(failed[0]!.divergence!)).toMatch(/after remove\(\/[^)]+\), (read|list)\(/);
  });

  it("catch a copy-up of the whole layer on the first write", () => {
    const results = FS_CASES.map((c) => compareFsCase(plainFs({ copyWholeLayer: true }), c));
    const failed = results.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(15);
    expect(failed.some((r) => /only files that were written belong in the layer|copy-up copies only the file written/.test(r.divergence!.what))).toBe(true);
  });
});

describe("lab 04 CPU cases", () => {
  it("pass for the reference and fail where the allocation ignores idle groups (no work conservation)", () => {
    for (const c of CPU_CASES) expect(compareCpuCase(referenceAllocateCpu, c).ok).toBe(true);
    const failed = CPU_CASES.map((c) => compareCpuCase(withoutWorkConservation, c)).filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(25);
    expect(formatDivergence(failed[0]!.divergence!)).toMatch(/^cpu-\d+ at step 1: CPUs for \/\S* on \d CPU\(s\): expected \d+\.\d{6}, got \d+\.\d{6}$/);
  });

  it("say which group differs when an allocation throws or returns nothing for a group", () => {
    const r = compareCpuCase(() => ({}), CPU_CASES[0]!);
    expect(r.ok).toBe(false);
    expect(r.divergence!.actual).toBe("undefined");
    expect(compareCpuCase(() => { throw new Error("not written yet"); }, CPU_CASES[0]!).divergence!.actual).toBe("threw (not written yet)");
  });
});
