// Lab 04's cases as plain data — image layers with an operation sequence, cgroup trees — and the seeded generators of both.
import { createRng, type Rng } from "../sim/rng.js";
import type { CpuGroup } from "./cpu-group.js";

/** A layer as plain data: files with their text, directories, whiteouts and opaque directories. */
export interface CaseLayer {
  readonly files: Readonly<Record<string, string>>;
  readonly dirs: readonly string[];
  readonly whiteouts: readonly string[];
  readonly opaque: readonly string[];
}

/** One operation on the container's file system (a commit always follows the last one). */
export type FsOp =
  | { readonly op: "lookup" | "list" | "mkdir" | "remove"; readonly path: string }
  | { readonly op: "write"; readonly path: string; readonly content: string }
  | { readonly op: "append"; readonly path: string; readonly text: string };

export interface FsCase {
  readonly kind: "overlay";
  /** The image's layers, bottom first (as a Dockerfile builds them). */
  readonly layers: readonly CaseLayer[];
  readonly ops: readonly FsOp[];
}

/** A cgroup as a case file writes it: cap null for "max" (JSON has no Infinity). */
export interface CaseGroup {
  readonly path: string;
  readonly weight: number;
  readonly cap: number | null;
  readonly threads: number;
  readonly children: readonly CaseGroup[];
}

export interface CpuCase {
  readonly kind: "cgroups";
  readonly cpus: number;
  readonly root: CaseGroup;
}

export type ContainersCase = FsCase | CpuCase;

/** The cgroup tree the allocation works on (cap Infinity for "max"). */
export function toCpuGroup(g: CaseGroup): CpuGroup {
  return { path: g.path, weight: g.weight, cap: g.cap ?? Infinity, threads: g.threads, children: g.children.map(toCpuGroup) };
}

/** Describe an operation in a few words, for feedback: `append(/etc/hosts, "10.0.0.2 db\n")`. */
export function describeOp(op: FsOp): string {
  const short = (s: string) => JSON.stringify(s.length > 24 ? s.slice(0, 24) + "…" : s);
  return op.op === "write" ? `write(${op.path}, ${short(op.content)})` : op.op === "append" ? `append(${op.path}, ${short(op.text)})` : `${op.op}(${op.path})`;
}

// ---------------------------------------------------------------------------------------------
// Seeded generators.

const DIRS = ["etc", "usr", "lib", "app", "data", "cfg", "log", "srv", "www", "opt"];
const FILES = ["a.txt", "b.conf", "c.json", "readme", "main.js", "notes", "x.log", "index.html"];
const WORDS = ["alpha", "beta", "gamma", "delta", "layer", "onion", "copy", "write"];

function words(rng: Rng, size: number): string {
  let s = "";
  while (s.length < size) s += rng.pick(WORDS) + " ";
  return s.slice(0, size);
}

/** Image layers: a base tree, then a layer that changes a file, deletes one (a whiteout) and replaces a directory (opaque). */
function generateLayers(rng: Rng): CaseLayer[] {
  const files: Record<string, string> = {};
  const dirs = rng.shuffle(DIRS).slice(0, 5).map((d) => `/${d}`);
  const subdirs: string[] = [];
  for (const d of dirs) {
    for (const f of rng.shuffle(FILES).slice(0, rng.int(2, 4))) files[`${d}/${f}`] = words(rng, rng.int(20, 400));
    if (rng.chance(0.5)) {
      subdirs.push(`${d}/sub`);
      files[`${d}/sub/deep.txt`] = words(rng, rng.int(10, 200));
    }
  }
  const base: CaseLayer = { files, dirs: [...dirs, ...subdirs], whiteouts: [], opaque: [] };
  const paths = Object.keys(files);
  const changed = rng.pick(paths);
  const deleted = rng.pick(paths.filter((f) => f !== changed));
  const reset = dirs.find((d) => !changed.startsWith(d + "/") && !deleted.startsWith(d + "/")) ?? dirs[0]!;
  const top: CaseLayer = {
    files: { [changed]: words(rng, 50), [`${reset}/fresh.txt`]: words(rng, 30) },
    dirs: [reset],
    whiteouts: [deleted],
    opaque: [reset],
  };
  return [base, top];
}

/** A seeded overlay case: image layers and `count` operations. `visible` tells it which files and directories exist at each step. */
export function generateFsCase(seed: number, count: number, visible: (layers: readonly CaseLayer[], ops: readonly FsOp[]) => { files: string[]; dirs: string[] }): FsCase {
  const rng = createRng(`lab04-overlay:${seed}`);
  const layers = generateLayers(rng);
  const ops: FsOp[] = [];
  let fresh = 0;
  for (let i = 0; i < count; i++) {
    const { files, dirs } = visible(layers, ops);
    const kind = rng.pick(["write", "append", "append", "new", "remove", "remove", "rmdir-mkdir", "lookup", "list", "mkdir"] as const);
    if (kind === "write" && files.length) ops.push({ op: "write", path: rng.pick(files), content: words(rng, rng.int(5, 60)) });
    else if (kind === "append" && files.length) ops.push({ op: "append", path: rng.pick(files), text: words(rng, rng.int(4, 16)) });
    else if (kind === "new" && dirs.length) ops.push({ op: "write", path: `${rng.pick(dirs)}/new${fresh++}.txt`, content: words(rng, rng.int(5, 40)) });
    else if (kind === "remove" && files.length) ops.push({ op: "remove", path: rng.pick(files) });
    else if (kind === "rmdir-mkdir" && dirs.length) {
      const d = rng.pick(dirs);
      ops.push({ op: "remove", path: d }, { op: "mkdir", path: d });
    } else if (kind === "mkdir" && dirs.length) ops.push({ op: "mkdir", path: `${rng.pick(dirs)}/made${fresh++}` });
    else if (kind === "list" && dirs.length) ops.push({ op: "list", path: rng.pick(dirs) });
    else ops.push({ op: "lookup", path: files.length ? rng.pick(files) : "/nope" });
  }
  return { kind: "overlay", layers, ops };
}

/** A seeded cgroup tree: two levels, weights, some cpu.max caps, some idle groups (which a work-conserving share passes over). */
export function generateCpuCase(seed: number): CpuCase {
  const rng = createRng(`lab04-cgroups:${seed}`);
  const cpus = rng.int(1, 8);
  const children: CaseGroup[] = [];
  const n = rng.int(2, 4);
  for (let i = 0; i < n; i++) {
    const path = `/g${i}`;
    const leaves: CaseGroup[] = [];
    const k = rng.chance(0.5) ? rng.int(1, 3) : 0;
    for (let j = 0; j < k; j++) {
      leaves.push({ path: `${path}/t${j}`, weight: rng.pick([50, 100, 200, 300, 1000]), cap: rng.chance(0.3) ? rng.int(1, 20) / 10 : null, threads: rng.chance(0.25) ? 0 : rng.int(1, 4), children: [] });
    }
    children.push({ path, weight: rng.pick([25, 50, 100, 200, 400]), cap: rng.chance(0.3) ? rng.int(2, 30) / 10 : null, threads: k === 0 ? (rng.chance(0.3) ? 0 : rng.int(1, 6)) : 0, children: leaves });
  }
  return { kind: "cgroups", cpus, root: { path: "/", weight: 100, cap: null, threads: 0, children } };
}
