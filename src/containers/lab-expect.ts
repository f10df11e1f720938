// Lab 04's expected outcomes, from the model: each operation's result and what the container then sees, the committed layer's digest, the CPU allocation.
//
// This is the reference a submission is compared with: the container model's own overlay file system
// (ContainerFs) and cgroup allocation (allocateCpu), run on the case in trusted code (the grader's process).
import { ContainerFs } from "./container-fs.js";
import { allocateCpu } from "./cpu-allocation.js";
import { ancestors, dirEntry, fileEntry, text } from "./fs-entry.js";
import { FsError } from "./fs-error.js";
import { Layer, type Change } from "./layer.js";
import { generateFsCase, toCpuGroup, type CaseLayer, type CpuCase, type FsCase, type FsOp } from "./lab-cases.js";
import type { Visible } from "./lab-api.js";

/** What an operation gave: a value (lookup, list), nothing (the others), or an error. */
export type OpResult = { readonly threw: false; readonly value: Visible | string[] | null } | { readonly threw: true; readonly error: string };

/** What the container sees at one path after an operation. */
export interface Probe {
  readonly path: string;
  readonly lookup: Visible | null;
  readonly list: string[] | null;
}

/** One member of a committed layer, as the digest covers it: `etc/.wh.hosts file ""`. */
export interface MemberLine {
  readonly name: string;
  readonly type: "file" | "dir";
  readonly content: string;
}

export interface FsExpectation {
  readonly steps: readonly { readonly result: OpResult; readonly probes: readonly Probe[] }[];
  /** Every visible path after the last operation, with what it is: `/etc/hosts file 42 bytes`. */
  readonly tree: readonly string[];
  readonly commit: { readonly digest: string; readonly members: readonly MemberLine[] };
  /** Bytes of file content the model stored into its writable layer: each written file's new content, copy-ups included. */
  readonly writtenBytes: number;
  /** Bytes of every file of the image: what a driver that copies the whole image first (Docker's vfs) adds to that. */
  readonly fullCopyBytes: number;
}

/** A case layer as the model's image layer: its files, directories (with the parents it implies), whiteouts and opaque marks. */
export function toModelLayer(l: CaseLayer): Layer {
  const changes = new Map<string, Change>();
  const dir = (p: string) => {
    if (p !== "/" && !changes.has(p)) changes.set(p, dirEntry());
  };
  for (const p of [...Object.keys(l.files), ...l.dirs, ...l.whiteouts, ...l.opaque]) for (const a of ancestors(p)) dir(a);
  for (const d of [...l.dirs, ...l.opaque]) dir(d);
  for (const [p, content] of Object.entries(l.files)) changes.set(p, fileEntry(content));
  for (const p of l.whiteouts) changes.set(p, { type: "whiteout", mtime: 0 });
  return new Layer(changes, l.opaque);
}

/** A layer's tar members as lines (what its digest covers, in archive order). */
export function memberLines(layer: Layer): MemberLine[] {
  return layer.members().map((m) => ({ name: m.name, type: m.type === "dir" ? "dir" : "file", content: m.content ? text(m.content) : "" }));
}

function visibleOf(fs: ContainerFs, path: string): Visible | null {
  const e = fs.lookup(path);
  return e?.type === "file" ? { type: "file", content: text(e.content) } : e?.type === "dir" ? { type: "dir" } : null;
}

function listOf(fs: ContainerFs, path: string): string[] | null {
  return fs.lookup(path)?.type === "dir" ? fs.list(path) : null;
}

/** The paths whose view an operation can change: the path and its parent directory. */
export function probePaths(op: FsOp): string[] {
  const parent = op.path.slice(0, op.path.lastIndexOf("/")) || "/";
  return op.path === parent ? [op.path] : [op.path, parent];
}

/** Every visible path below `dir`, depth first, with what it is. */
export function treeLines(look: (p: string) => Visible | null, list: (p: string) => string[] | null, dir = "/"): string[] {
  const out: string[] = [];
  for (const name of list(dir) ?? []) {
    const p = dir === "/" ? `/${name}` : `${dir}/${name}`;
    const v = look(p);
    out.push(v === null ? `${p} missing` : v.type === "dir" ? `${p} dir` : `${p} file ${JSON.stringify(v.content)}`);
    if (v?.type === "dir") out.push(...treeLines(look, list, p));
  }
  return out;
}

function apply(fs: ContainerFs, op: FsOp): OpResult {
  try {
    switch (op.op) {
      case "lookup": return { threw: false, value: visibleOf(fs, op.path) };
      case "list": return { threw: false, value: listOf(fs, op.path) };
      case "write": fs.write(op.path, op.content); break;
      case "append": fs.write(op.path, op.text, { append: true }); break;
      case "mkdir": fs.mkdir(op.path); break;
      case "remove": fs.remove(op.path, { recursive: true }); break;
    }
    return { threw: false, value: null };
  } catch (e) {
    if (e instanceof FsError) return { threw: true, error: `${e.errno}: ${e.path}` };
    throw e;
  }
}

/** Run an overlay case on the model. */
export function expectFsCase(c: FsCase): FsExpectation {
  const layers = c.layers.map(toModelLayer);
  const fs = new ContainerFs(layers);
  let writtenBytes = 0;
  const steps = c.ops.map((op) => {
    const result = apply(fs, op);
    if (!result.threw && (op.op === "write" || op.op === "append")) writtenBytes += (visibleOf(fs, op.path) as { content: string }).content.length;
    const probes = probePaths(op).map((path) => ({ path, lookup: visibleOf(fs, path), list: listOf(fs, path) }));
    return { result, probes };
  });
  const committed = fs.commit();
  let fullCopyBytes = 0;
  for (const e of new ContainerFs(layers).tree().values()) if (e.type === "file") fullCopyBytes += e.content.length;
  return {
    steps,
    tree: treeLines((p) => visibleOf(fs, p), (p) => listOf(fs, p)),
    commit: { digest: committed.digest, members: memberLines(committed) },
    writtenBytes,
    fullCopyBytes,
  };
}

/** The model's allocation of a cgroup case: CPUs by group path. */
export function expectCpuCase(c: CpuCase): Record<string, number> {
  return Object.fromEntries(allocateCpu(toCpuGroup(c.root), c.cpus));
}

/** The files and directories visible after `ops` on the image `layers` (what the generator picks its next operation from). */
export function visibleAfter(layers: readonly CaseLayer[], ops: readonly FsOp[]): { files: string[]; dirs: string[] } {
  const fs = new ContainerFs(layers.map(toModelLayer));
  for (const op of ops) apply(fs, op);
  const files: string[] = [];
  const dirs: string[] = [];
  for (const [p, e] of fs.tree()) {
    if (e.type === "file") files.push(p);
    else if (e.type === "dir") dirs.push(p);
  }
  return { files, dirs };
}

/** A seeded overlay case whose operations always name what exists at that point. */
export function generateOverlayCase(seed: number, count: number): FsCase {
  return generateFsCase(seed, count, visibleAfter);
}
