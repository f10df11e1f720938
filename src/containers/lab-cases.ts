// Lab 04's generated cases: seeded lower layers with operation sequences for the file system, seeded cgroup trees for the CPU part.
import { createRng, type Rng } from "../sim/rng.js";
import type { CpuGroup } from "./cpu-allocation.js";
import { referenceLayeredFs, type LabChange, type LabLayer } from "./lab-api.js";

/** One operation on a layered file system. */
export type FsOp =
  | { readonly op: "read" | "list" | "mkdir" | "remove"; readonly path: string }
  | { readonly op: "write"; readonly path: string; readonly content: string };

export interface FsCase {
  readonly name: string;
  readonly lower: readonly LabLayer[];
  readonly ops: readonly FsOp[];
}

export interface CpuCase {
  readonly name: string;
  readonly root: CpuGroup;
  readonly cpus: number;
}

const NAMES = ["etc", "usr", "lib", "app", "data", "cfg", "log", "tmp", "www", "bin"];
const FILES = ["a.txt", "b.conf", "c.json", "readme", "main.js", "notes", "x.log", "index.html"];

function content(rng: Rng, size: number): string {
  const words = ["alpha", "beta", "gamma", "delta", "layer", "onion", "copy", "write"];
  let s = "";
  while (s.length < size) s += rng.pick(words) + " ";
  return s.slice(0, size);
}

/** Lower layers: a base tree, then layers that change, delete (whiteouts) and re-create directories (opaque). */
function lowerLayers(rng: Rng): LabLayer[] {
  const base: Record<string, LabChange> = {};
  const dirs = rng.shuffle(NAMES).slice(0, 5).map((d) => `/${d}`);
  for (const d of dirs) {
    base[d] = { type: "dir" };
    for (const f of rng.shuffle(FILES).slice(0, rng.int(2, 4))) base[`${d}/${f}`] = { type: "file", content: content(rng, rng.int(20, 400)) };
    if (rng.chance(0.5)) {
      base[`${d}/sub`] = { type: "dir" };
      base[`${d}/sub/deep.txt`] = { type: "file", content: content(rng, rng.int(10, 200)) };
    }
  }
  const layers: LabLayer[] = [{ changes: base }];
  const files = Object.keys(base).filter((p) => base[p]!.type === "file");
  const mid: Record<string, LabChange> = {};
  const opaque: string[] = [];
  const changed = rng.pick(files);
  mid[changed.slice(0, changed.lastIndexOf("/"))] = { type: "dir" };
  mid[changed] = { type: "file", content: content(rng, 50) };
  const deleted = rng.pick(files.filter((f) => f !== changed));
  mid[deleted.slice(0, deleted.lastIndexOf("/"))] = { type: "dir" };
  mid[deleted] = { type: "whiteout" };
  const reset = rng.pick(dirs.filter((d) => !changed.startsWith(d + "/") && !deleted.startsWith(d + "/"))) ?? dirs[0]!;
  mid[reset] = { type: "dir" };
  opaque.push(reset);
  mid[`${reset}/fresh.txt`] = { type: "file", content: content(rng, 30) };
  layers.push({ changes: mid, opaque });
  return layers;
}

function visiblePaths(fs: ReturnType<typeof referenceLayeredFs>, dir = "/"): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const name of fs.list(dir) ?? []) {
    const p = dir === "/" ? `/${name}` : `${dir}/${name}`;
    if (fs.list(p) !== null) {
      dirs.push(p);
      const inner = visiblePaths(fs, p);
      files.push(...inner.files);
      dirs.push(...inner.dirs);
    } else files.push(p);
  }
  return { files, dirs };
}

/** A seeded file-system case: lower layers and `count` operations, chosen among paths that exist at that point. */
export function generateFsCase(seed: number | string, count = 30): FsCase {
  const rng = createRng(`lab04-fs:${seed}`);
  const lower = lowerLayers(rng);
  const ref = referenceLayeredFs(lower);
  const ops: FsOp[] = [];
  let fresh = 0;
  for (let i = 0; i < count; i++) {
    const { files, dirs } = visiblePaths(ref);
    const kind = rng.pick(["write", "write", "append", "new", "remove", "remove", "rmdir-mkdir", "read", "list", "mkdir"] as const);
    let op: FsOp;
    if ((kind === "write" || kind === "append") && files.length) {
      const p = rng.pick(files);
      op = { op: "write", path: p, content: kind === "append" ? (ref.read(p) ?? "") + content(rng, 12) : content(rng, rng.int(5, 60)) };
    } else if (kind === "new" && dirs.length) op = { op: "write", path: `${rng.pick(dirs)}/new${fresh++}.txt`, content: content(rng, rng.int(5, 40)) };
    else if (kind === "remove" && files.length) op = { op: "remove", path: rng.pick(files) };
    else if (kind === "rmdir-mkdir" && dirs.length) {
      const d = rng.pick(dirs);
      ops.push({ op: "remove", path: d });
      ref.remove(d);
      op = { op: "mkdir", path: d };
    } else if (kind === "mkdir" && dirs.length) op = { op: "mkdir", path: `${rng.pick(dirs)}/made${fresh++}` };
    else if (kind === "list" && dirs.length) op = { op: "list", path: rng.pick(dirs) };
    else op = { op: "read", path: files.length ? rng.pick(files) : "/nope" };
    ops.push(op);
    if (op.op === "write") ref.write(op.path, op.content);
    else if (op.op === "mkdir") ref.mkdir(op.path);
    else if (op.op === "remove") ref.remove(op.path);
  }
  return { name: `fs-${seed}`, lower, ops };
}

/** A seeded cgroup tree: two levels, weights, some caps, some idle groups (which a work-conserving share passes over). */
export function generateCpuCase(seed: number | string): CpuCase {
  const rng = createRng(`lab04-cpu:${seed}`);
  const cpus = rng.int(1, 8);
  const children: CpuGroup[] = [];
  const n = rng.int(2, 4);
  for (let i = 0; i < n; i++) {
    const path = `/g${i}`;
    const leaves: CpuGroup[] = [];
    const k = rng.chance(0.5) ? rng.int(1, 3) : 0;
    for (let j = 0; j < k; j++) {
      leaves.push({ path: `${path}/t${j}`, weight: rng.pick([50, 100, 200, 300, 1000]), cap: rng.chance(0.3) ? rng.int(1, 20) / 10 : Infinity, threads: rng.chance(0.25) ? 0 : rng.int(1, 4), children: [] });
    }
    children.push({ path, weight: rng.pick([25, 50, 100, 200, 400]), cap: rng.chance(0.3) ? rng.int(2, 30) / 10 : Infinity, threads: k === 0 ? (rng.chance(0.3) ? 0 : rng.int(1, 6)) : 0, children: leaves });
  }
  return { name: `cpu-${seed}`, root: { path: "/", weight: 100, cap: Infinity, threads: 0, children }, cpus };
}
