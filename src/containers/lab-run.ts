// Lab 04's case runner: a submission's functions on layers the runner owns, copy-up bytes counted, each result compared with the model's expectation.
//
// Trusted code. The runner holds the layers; the submission sees them only through the Overlay view
// (lab-api.ts), whose methods take strings and return fresh strings and arrays. Every call into the
// submission goes through `call`, which the caller supplies: the sandbox child wraps it in its guard
// (a throw, a promise, too much output, and reading what the function returned all happen inside it),
// the public tests call directly. The cost is counted here, never reported by the submission: bytes of
// file content stored into the writable layer, copy-ups included.
import { Layer } from "./layer.js";
import { memberLines, treeLines, type FsExpectation, type MemberLine, type OpResult } from "./lab-expect.js";
import { describeOp, toCpuGroup, type CaseLayer, type CpuCase, type FsCase, type FsOp } from "./lab-cases.js";
import type { EntryType, LayerView, OciMember, Overlay, UpperLayer, Visible } from "./lab-api.js";
import { ancestors } from "./fs-entry.js";
import { writeTar, type TarMember } from "./tar.js";

/** A call into the submission: its function `name` with `args`; `copyOut` turns what it returned into trusted data (run inside the caller's guard). */
export type LabCall = <T>(name: string, args: readonly unknown[], copyOut: (returned: unknown) => T) => { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Where a submission first differs from the model, in words a student can act on. */
export interface LabDivergence {
  /** 1-based operation number; 0 before the first; ops + 1 for the final tree and the commit. */
  readonly step: number;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}

export interface LabCaseOutcome {
  readonly ok: boolean;
  readonly divergence?: LabDivergence;
  /** Bytes of file content the submission stored into the writable layer (copy-ups included). */
  readonly writtenBytes: number;
  /** Calls made into the submission (for the CPU-time prediction). */
  readonly calls: number;
}

// ---------------------------------------------------------------------------------------------
// The layers, owned by the runner.

type Stored = { readonly type: "file"; readonly content: string } | { readonly type: "dir" } | { readonly type: "whiteout" };

class Store {
  readonly entries = new Map<string, Stored>();
  readonly opaque = new Set<string>();
}

function storeOf(l: CaseLayer): Store {
  const s = new Store();
  for (const p of [...Object.keys(l.files), ...l.dirs, ...l.whiteouts, ...l.opaque]) for (const a of ancestors(p)) if (!s.entries.has(a)) s.entries.set(a, { type: "dir" });
  for (const d of [...l.dirs, ...l.opaque]) s.entries.set(d, { type: "dir" });
  for (const [p, content] of Object.entries(l.files)) s.entries.set(p, { type: "file", content });
  for (const p of l.whiteouts) s.entries.set(p, { type: "whiteout" });
  for (const d of l.opaque) s.opaque.add(d);
  return s;
}

function str(value: unknown, what: string): string {
  if (typeof value !== "string") throw new TypeError(`${what} expects a path string, but got ${value === null ? "null" : typeof value}`);
  return value;
}

/** Counts the bytes stored into the writable layer. */
interface Meter {
  writtenBytes: number;
}

function view(s: Store, name: string): LayerView {
  return {
    typeAt: (path: unknown): EntryType | null => s.entries.get(str(path, `${name}.typeAt`))?.type ?? null,
    read: (path: unknown): string => {
      const p = str(path, `${name}.read`);
      const e = s.entries.get(p);
      if (e?.type !== "file") throw new Error(`${name}.read(${JSON.stringify(p)}): this layer records no file there (it records ${e ? `a ${e.type}` : "nothing"})`);
      return e.content;
    },
    isOpaque: (dir: unknown): boolean => s.opaque.has(str(dir, `${name}.isOpaque`)),
    paths: (): string[] => [...s.entries.keys()].sort(),
  };
}

function upperView(s: Store, meter: Meter): UpperLayer {
  const checkPath = (path: unknown, what: string): string => {
    const p = str(path, `upper.${what}`);
    if (!/^\/[^/]/.test(p) || p.endsWith("/") || p.split("/").some((part, i) => i > 0 && (part === "" || part === "." || part === ".."))) {
      throw new Error(`upper.${what}(${JSON.stringify(p)}): not a normalised absolute path such as "/etc/hosts"`);
    }
    return p;
  };
  return {
    ...view(s, "upper"),
    putFile: (path: unknown, content: unknown): void => {
      if (typeof content !== "string") throw new TypeError(`upper.putFile expects the content as a string, but got ${content === null ? "null" : typeof content}`);
      s.entries.set(checkPath(path, "putFile"), { type: "file", content });
      meter.writtenBytes += content.length;
    },
    putDir: (path: unknown): void => void s.entries.set(checkPath(path, "putDir"), { type: "dir" }),
    putWhiteout: (path: unknown): void => void s.entries.set(checkPath(path, "putWhiteout"), { type: "whiteout" }),
    erase: (path: unknown): void => {
      const p = str(path, "upper.erase");
      s.entries.delete(p);
      s.opaque.delete(p);
    },
    setOpaque: (dir: unknown, opaque: unknown): void => {
      const d = str(dir, "upper.setOpaque");
      if (!opaque) return void s.opaque.delete(d);
      if (s.entries.get(d)?.type !== "dir") throw new Error(`upper.setOpaque(${JSON.stringify(d)}): the upper layer must record a directory there first (putDir)`);
      s.opaque.add(d);
    },
  };
}

/** A fresh overlay for a case: the image's layers read-only (top first, counted) and an empty writable layer. `seal` freezes the view (harden in the sandbox). */
export function makeOverlay(layers: readonly CaseLayer[], meter: Meter, seal: <T extends object>(o: T) => T = (o) => o): Overlay {
  const lower = layers.map((l, i) => view(storeOf(l), `lower[${layers.length - 1 - i}]`)).reverse();
  return seal({ upper: upperView(new Store(), meter), lower });
}

// ---------------------------------------------------------------------------------------------
// Reading what the submission returned (inside its guard), as trusted data.

function copyVisible(v: unknown): Visible | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object") throw new TypeError(`lookup must return { type: "file", content } or { type: "dir" } or null, not a ${typeof v}`);
  const type: unknown = (v as { type?: unknown }).type;
  if (type === "dir") return { type: "dir" };
  if (type === "file") {
    const content: unknown = (v as { content?: unknown }).content;
    if (typeof content !== "string") throw new TypeError(`lookup returned a file whose content is ${content === null ? "null" : typeof content}, not a string`);
    return { type: "file", content };
  }
  throw new TypeError(`lookup returned { type: ${JSON.stringify(String(type))} }: a visible entry is a "file" or a "dir"`);
}

function copyNames(v: unknown): string[] | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) throw new TypeError("list must return an array of names or null");
  const out: string[] = [];
  for (let i = 0; i < v.length && i < 100_000; i++) {
    const n: unknown = v[i];
    if (typeof n !== "string") throw new TypeError(`list returned a ${typeof n} among the names`);
    out.push(n);
  }
  return out;
}

function copyMembers(v: unknown): TarMember[] {
  if (!Array.isArray(v)) throw new TypeError("commit must return an array of members { name, type, content? }");
  const out: TarMember[] = [];
  for (let i = 0; i < v.length && i < 100_000; i++) {
    const m: unknown = v[i];
    if (typeof m !== "object" || m === null) throw new TypeError(`commit's member ${i} is not an object`);
    const name: unknown = (m as OciMember).name;
    const type: unknown = (m as OciMember).type;
    const content: unknown = (m as OciMember).content;
    if (typeof name !== "string" || name === "" || name.startsWith("/")) throw new TypeError(`commit's member ${i} has name ${JSON.stringify(name)}: a member's name is a path without its leading slash, e.g. "etc/hosts"`);
    if (type !== "file" && type !== "dir") throw new TypeError(`commit's member ${name} has type ${JSON.stringify(type)}: use "file" or "dir"`);
    if (content !== undefined && typeof content !== "string") throw new TypeError(`commit's member ${name} has content that is not a string`);
    out.push({ name, type, mode: type === "dir" ? 0o755 : 0o644, uid: 0, gid: 0, mtime: 0, ...(type === "file" ? { content: new TextEncoder().encode(content ?? "") } : {}) });
  }
  return out;
}

const none = (): undefined => undefined;

// ---------------------------------------------------------------------------------------------
// Comparing.

const show = (v: unknown): string => (v === null ? "null" : JSON.stringify(v));
const showResult = (r: OpResult): string => (r.threw ? `an error (${r.error})` : r.value === null ? "null" : show(r.value));

function sameResult(expected: OpResult, actual: { ok: true; value: unknown } | { ok: false; error: string }, isQuery: boolean): boolean {
  if (expected.threw) return !actual.ok;
  if (!actual.ok) return false;
  return !isQuery || show(expected.value) === show(actual.value ?? null);
}

/** The first member where two committed layers differ, in words. */
function memberDifference(expected: readonly MemberLine[], actual: readonly MemberLine[]): { what: string; expected: string; actual: string } {
  const line = (m: MemberLine | undefined) => (m === undefined ? "no member" : `${m.name} (${m.type}${m.type === "file" ? `, ${JSON.stringify(m.content.length > 30 ? m.content.slice(0, 30) + "…" : m.content)}` : ""})`);
  const names = [...new Set([...expected.map((m) => m.name), ...actual.map((m) => m.name)])];
  for (const name of names) {
    const e = expected.find((m) => m.name === name);
    const a = actual.find((m) => m.name === name);
    if (show(e) === show(a)) continue;
    const why = e && !a && e.name.split("/").pop()!.startsWith(".wh..wh..opq")
      ? " (a directory re-created over a deleted one is opaque)"
      : e && !a && e.name.split("/").pop()!.startsWith(".wh.") ? " (a deleted lower path needs a whiteout)" : !e && a?.type === "file" ? " (only what changed belongs in the layer)" : "";
    return { what: `the committed layer's member ${name}${why}`, expected: line(e), actual: line(a) };
  }
  return { what: "the committed layer's order of members", expected: expected.map((m) => m.name).join(", "), actual: actual.map((m) => m.name).join(", ") };
}

/** Run an overlay case: each operation through the submission, compared with the model's expectation; then the whole tree and the commit. */
export function runFsCase(call: LabCall, c: FsCase, expected: FsExpectation, seal?: <T extends object>(o: T) => T): LabCaseOutcome {
  const meter: Meter = { writtenBytes: 0 };
  const fs = makeOverlay(c.layers, meter, seal);
  let calls = 0;
  const query = <T>(name: "lookup" | "list", path: string, copyOut: (v: unknown) => T) => {
    calls++;
    return call(name, [fs, path], copyOut);
  };
  const done = (divergence?: LabDivergence): LabCaseOutcome => ({ ok: divergence === undefined, ...(divergence ? { divergence } : {}), writtenBytes: meter.writtenBytes, calls });
  for (const [i, op] of c.ops.entries()) {
    const step = i + 1;
    const exp = expected.steps[i]!;
    const isQuery = op.op === "lookup" || op.op === "list";
    let got;
    if (op.op === "lookup") got = query("lookup", op.path, copyVisible);
    else if (op.op === "list") got = query("list", op.path, copyNames);
    else {
      calls++;
      got = call(op.op, op.op === "write" ? [fs, op.path, op.content] : op.op === "append" ? [fs, op.path, op.text] : [fs, op.path], none);
    }
    if (!sameResult(exp.result, got, isQuery)) {
      return done({ step, what: `${describeOp(op)} returned`, expected: showResult(exp.result), actual: got.ok ? (isQuery ? show(got.value ?? null) : "ok") : `an error (${got.error})` });
    }
    for (const probe of exp.probes) {
      const look = query("lookup", probe.path, copyVisible);
      if (!look.ok || show(look.value) !== show(probe.lookup)) return done({ step, what: `after ${describeOp(op)}, lookup(${probe.path})`, expected: show(probe.lookup), actual: look.ok ? show(look.value) : `an error (${look.error})` });
      const list = query("list", probe.path, copyNames);
      if (!list.ok || show(list.value) !== show(probe.list)) return done({ step, what: `after ${describeOp(op)}, list(${probe.path})`, expected: show(probe.list), actual: list.ok ? show(list.value) : `an error (${list.error})` });
    }
  }
  const final = c.ops.length + 1;
  const failed: string[] = [];
  const tree = treeLines(
    (p) => {
      const r = query("lookup", p, copyVisible);
      if (!r.ok) failed.push(`lookup(${p}) threw (${r.error})`);
      return r.ok ? r.value : null;
    },
    (p) => {
      const r = query("list", p, copyNames);
      if (!r.ok) failed.push(`list(${p}) threw (${r.error})`);
      return r.ok ? (r.value?.slice(0, 1000) ?? null) : null;
    },
  );
  const firstTree = tree.findIndex((l, k) => l !== expected.tree[k]);
  if (failed.length || firstTree >= 0 || tree.length !== expected.tree.length) {
    const k = firstTree >= 0 ? firstTree : Math.min(tree.length, expected.tree.length);
    return done({ step: final, what: failed[0] ? `walking the final tree, ${failed[0]}` : "the final tree, walked from / with list and lookup", expected: expected.tree[k] ?? "nothing more", actual: tree[k] ?? "nothing more" });
  }
  calls++;
  const members = call("commit", [fs], copyMembers);
  if (!members.ok) return done({ step: final, what: "commit()", expected: "the layer's members", actual: `an error (${members.error})` });
  let layer: Layer;
  try {
    layer = Layer.fromTar(writeTar(members.value));
  } catch (e) {
    return done({ step: final, what: "commit()'s members as a layer tar", expected: "a valid layer", actual: e instanceof Error ? e.message : String(e) });
  }
  if (layer.digest !== expected.commit.digest) {
    const d = memberDifference(expected.commit.members, memberLines(layer));
    return done({ step: final, what: `${d.what}; the layer's digest is ${layer.digest.slice(0, 19)}…, the model's ${expected.commit.digest.slice(0, 19)}…`, expected: d.expected, actual: d.actual });
  }
  return done();
}

/** Run a cgroup case: the submission's allocation of every group, within 1e-6 CPU of the model's. */
export function runCpuCase(call: LabCall, c: CpuCase, expected: Readonly<Record<string, number>>, seal: <T extends object>(o: T) => T = (o) => o): LabCaseOutcome {
  const freeze = (g: ReturnType<typeof toCpuGroup>): ReturnType<typeof toCpuGroup> => seal({ ...g, children: seal(g.children.map(freeze)) });
  const paths = Object.keys(expected);
  const got = call("allocateCpu", [freeze(toCpuGroup(c.root)), c.cpus], (v) => {
    if (typeof v !== "object" || v === null) throw new TypeError("allocateCpu must return an object of CPUs by group path");
    const out: Record<string, unknown> = {};
    for (const p of paths) {
      const x: unknown = (v as Record<string, unknown>)[p];
      out[p] = typeof x === "number" ? x : x === undefined ? "nothing" : typeof x;
    }
    return out;
  });
  const done = (divergence?: LabDivergence): LabCaseOutcome => ({ ok: divergence === undefined, ...(divergence ? { divergence } : {}), writtenBytes: 0, calls: 1 });
  if (!got.ok) return done({ step: 1, what: `allocateCpu(tree, ${c.cpus})`, expected: "an allocation", actual: `an error (${got.error})` });
  for (const p of paths) {
    const a = got.value[p];
    const e = expected[p]!;
    if (typeof a !== "number" || !(Math.abs(a - e) <= 1e-6)) return done({ step: 1, what: `CPUs for ${p} on ${c.cpus} CPU${c.cpus === 1 ? "" : "s"}`, expected: e.toFixed(6), actual: typeof a === "number" ? a.toFixed(6) : String(a) });
  }
  return done();
}

/** One sentence for a divergence. */
export function formatLabDivergence(d: LabDivergence, ops: number): string {
  const where = d.step === 0 ? "before the first operation" : d.step > ops ? "at the end" : `at operation ${d.step}`;
  return `${where}: ${d.what}: expected ${d.expected}, got ${d.actual}`;
}

/** The operations of a case, for describing what failed. */
export function opsOf(c: FsCase | CpuCase): readonly FsOp[] {
  return c.kind === "overlay" ? c.ops : [];
}

