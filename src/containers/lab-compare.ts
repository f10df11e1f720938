// Lab 04's comparison: run a submission and the reference side by side and say where the submission first differs.
import type { FsCase, FsOp, CpuCase } from "./lab-cases.js";
import { referenceAllocateCpu, referenceLayeredFs, type CpuAllocator, type LabLayer, type LayeredFs, type LayeredFsFactory } from "./lab-api.js";
import type { CpuGroup } from "./cpu-allocation.js";

/** Where a submission first differs from the reference, in words a student can act on. */
export interface LabDivergence {
  readonly case: string;
  /** Index of the operation after which it differs (-1: creating the file system; ops.length: the commit). */
  readonly step: number;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}

export interface LabCaseResult {
  readonly case: string;
  readonly ok: boolean;
  readonly divergence?: LabDivergence;
  /** Bytes the submission copied up, and the reference (complexity: copy-up copies only what is written). */
  readonly copiedUp?: { readonly submission: number; readonly reference: number };
}

function describeOp(op: FsOp): string {
  return op.op === "write" ? `write(${op.path}, ${JSON.stringify(op.content.length > 24 ? op.content.slice(0, 24) + "…" : op.content)})` : `${op.op}(${op.path})`;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function attempt(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function show(o: Outcome): string {
  return o.ok ? (o.value === undefined ? "ok" : JSON.stringify(o.value)) : `threw (${o.error})`;
}

function apply(fs: LayeredFs, op: FsOp): unknown {
  switch (op.op) {
    case "read": return fs.read(op.path);
    case "list": return fs.list(op.path);
    case "write": return fs.write(op.path, op.content);
    case "mkdir": return fs.mkdir(op.path);
    case "remove": return fs.remove(op.path);
  }
}

/** The paths whose visible state an operation can change: the path, its parent listing, and for directories what was inside. */
function probes(op: FsOp): string[] {
  const parent = op.path.slice(0, op.path.lastIndexOf("/")) || "/";
  return [op.path, parent];
}

/** A committed layer in a canonical form: sorted changes with whiteouts and opaque directories. */
function canonical(l: LabLayer): string {
  const changes = Object.keys(l.changes).sort().map((p) => {
    const c = l.changes[p]!;
    return `${p} ${c.type}${c.type === "file" ? ` ${JSON.stringify(c.content)}` : ""}`;
  });
  return JSON.stringify({ changes, opaque: [...(l.opaque ?? [])].sort() });
}

function layerDifference(expected: LabLayer, actual: LabLayer): { what: string; expected: string; actual: string } | undefined {
  const paths = new Set([...Object.keys(expected.changes), ...Object.keys(actual.changes)]);
  for (const p of [...paths].sort()) {
    const e = expected.changes[p];
    const a = actual.changes[p];
    const s = (c: typeof e) => (c === undefined ? "nothing" : c.type === "file" ? `file ${JSON.stringify(c.content.slice(0, 30))}` : c.type);
    if (s(e) !== s(a) || (e?.type === "file" && a?.type === "file" && e.content !== a.content)) {
      const why = e?.type === "whiteout" && a === undefined ? " (a deleted lower path needs a whiteout)" : e === undefined && a?.type === "file" ? " (only files that were written belong in the layer)" : "";
      return { what: `the committed layer at ${p}${why}`, expected: s(e), actual: s(a) };
    }
  }
  const eo = [...(expected.opaque ?? [])].sort().join(", ");
  const ao = [...(actual.opaque ?? [])].sort().join(", ");
  if (eo !== ao) return { what: "the committed layer's opaque directories (a directory re-created over a deleted one must be opaque)", expected: eo || "none", actual: ao || "none" };
  return undefined;
}

/** Run one file-system case on a submission and on the reference; the first difference, if any. */
export function compareFsCase(factory: LayeredFsFactory, c: FsCase): LabCaseResult {
  const ref = referenceLayeredFs(c.lower);
  const created = attempt(() => factory(c.lower));
  if (!created.ok) return { case: c.name, ok: false, divergence: { case: c.name, step: -1, what: "creating the file system", expected: "ok", actual: show(created) } };
  const sub = created.value as LayeredFs;
  for (const [i, op] of c.ops.entries()) {
    const e = attempt(() => apply(ref, op));
    const a = attempt(() => apply(sub, op));
    if (e.ok !== a.ok || (e.ok && a.ok && JSON.stringify(e.value ?? null) !== JSON.stringify(a.value ?? null))) {
      return { case: c.name, ok: false, divergence: { case: c.name, step: i, what: `${describeOp(op)} returned`, expected: show(e), actual: show(a) } };
    }
    for (const p of probes(op)) {
      for (const [what, f] of [["read", (fs: LayeredFs) => fs.read(p)], ["list", (fs: LayeredFs) => fs.list(p)]] as const) {
        const ev = attempt(() => f(ref));
        const av = attempt(() => f(sub));
        if (show(ev) !== show(av)) {
          return { case: c.name, ok: false, divergence: { case: c.name, step: i, what: `after ${describeOp(op)}, ${what}(${p})`, expected: show(ev), actual: show(av) } };
        }
      }
    }
  }
  const el = ref.commit();
  const al = attempt(() => sub.commit());
  if (!al.ok) return { case: c.name, ok: false, divergence: { case: c.name, step: c.ops.length, what: "commit()", expected: "a layer", actual: show(al) } };
  const diff = layerDifference(el, al.value as LabLayer);
  const copiedUp = { submission: Number(attempt(() => sub.copiedUpBytes()).ok ? sub.copiedUpBytes() : NaN), reference: ref.copiedUpBytes() };
  if (diff) return { case: c.name, ok: false, divergence: { case: c.name, step: c.ops.length, ...diff }, copiedUp };
  if (canonical(el) !== canonical(al.value as LabLayer)) return { case: c.name, ok: false, divergence: { case: c.name, step: c.ops.length, what: "the committed layer", expected: canonical(el), actual: canonical(al.value as LabLayer) }, copiedUp };
  if (!(copiedUp.submission <= copiedUp.reference)) {
    return { case: c.name, ok: false, copiedUp, divergence: { case: c.name, step: c.ops.length, what: "copiedUpBytes() (copy-up copies only the file written, once)", expected: `${copiedUp.reference} bytes or fewer`, actual: `${copiedUp.submission} bytes` } };
  }
  return { case: c.name, ok: true, copiedUp };
}

function allPaths(g: CpuGroup): string[] {
  return [g.path, ...g.children.flatMap(allPaths)];
}

/** Run one CPU case on a submission and on the reference; the first group whose CPUs differ by more than 1e-6. */
export function compareCpuCase(allocate: CpuAllocator, c: CpuCase): LabCaseResult {
  const expected = referenceAllocateCpu(c.root, c.cpus);
  const got = attempt(() => allocate(c.root, c.cpus));
  if (!got.ok) return { case: c.name, ok: false, divergence: { case: c.name, step: 0, what: `allocateCpu(tree, ${c.cpus})`, expected: "an allocation", actual: show(got) } };
  const actual = got.value as Record<string, number>;
  for (const p of allPaths(c.root)) {
    const e = expected[p] ?? 0;
    const a = actual?.[p];
    if (typeof a !== "number" || !(Math.abs(a - e) <= 1e-6)) {
      return { case: c.name, ok: false, divergence: { case: c.name, step: 0, what: `CPUs for ${p} on ${c.cpus} CPU(s)`, expected: e.toFixed(6), actual: typeof a === "number" ? a.toFixed(6) : String(a) } };
    }
  }
  return { case: c.name, ok: true };
}

/** One sentence for a divergence. */
export function formatDivergence(d: LabDivergence): string {
  const where = d.step < 0 ? "at the start" : `at step ${d.step + 1}`;
  return `${d.case} ${where}: ${d.what}: expected ${d.expected}, got ${d.actual}`;
}
