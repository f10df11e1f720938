// Lab 04's student API: the layered copy-on-write file system and the cgroup CPU allocation a student implements.
//
// Everything crosses this boundary as plain data (strings, records), so a submission needs nothing from
// vmlab to be written or tested. The reference implementations at the bottom are the model's own
// (ContainerFs and allocateCpu) behind the same interfaces; scoring compares a submission with them.
import { ContainerFs } from "./container-fs.js";
import { allocateCpu, type CpuGroup } from "./cpu-allocation.js";
import { dirEntry, fileEntry, text, type FsEntry } from "./fs-entry.js";
import { FsError } from "./fs-error.js";
import { Layer, type Change } from "./layer.js";

/** What a layer says about one path: a file with its text, a directory, or a whiteout (deleted below). */
export type LabChange = { readonly type: "file"; readonly content: string } | { readonly type: "dir" } | { readonly type: "whiteout" };

/** A layer as plain data: absolute paths → changes, and the directories it makes opaque. */
export interface LabLayer {
  readonly changes: Readonly<Record<string, LabChange>>;
  /** Directories whose contents in lower layers are hidden (their `.wh..wh..opq` marker). */
  readonly opaque?: readonly string[];
}

/**
 * The layered file system of a container: read-only `lower` layers (bottom first) and a writable layer on top.
 * Paths are absolute and normalised ("/etc/passwd"). Operations on a missing parent directory, or that remove
 * something absent, throw an Error (any message).
 */
export interface LayeredFs {
  /** The text of a file, or null if there is no file at the path (absent, whited out, or a directory). */
  read(path: string): string | null;
  /** The names in a directory, sorted, or null if it is not a directory. */
  list(path: string): string[] | null;
  /** Create or replace a file. The first write to a file of a lower layer copies it up: only that file. */
  write(path: string, content: string): void;
  /** Create a directory (its parent must exist). Re-created over a deleted lower directory, it is opaque. */
  mkdir(path: string): void;
  /** Delete a file or a directory with everything in it. A path a lower layer has leaves a whiteout. */
  remove(path: string): void;
  /** The writable layer as a layer: what changed, what was deleted (whiteouts), which directories are opaque. */
  commit(): LabLayer;
  /** Bytes of file content copied up from lower layers so far. */
  copiedUpBytes(): number;
}

/** What the student exports for the file-system part. */
export type LayeredFsFactory = (lower: readonly LabLayer[]) => LayeredFs;

/** A cgroup for the CPU part (see cpu-allocation.ts): weight 1–10000, cap in CPUs (Infinity for "max"), runnable threads. */
export type LabCpuGroup = CpuGroup;

/** What the student exports for the CPU part: CPUs per group path, for every group in the tree. */
export type CpuAllocator = (root: LabCpuGroup, cpus: number) => Record<string, number>;

/** The student module's exports. */
export interface Lab04Submission {
  readonly createLayeredFs: LayeredFsFactory;
  readonly allocateCpu: CpuAllocator;
}

// ---------------------------------------------------------------------------------------------
// Conversions and the reference implementations.

export function toLayer(l: LabLayer): Layer {
  const changes = new Map<string, Change>();
  for (const [path, c] of Object.entries(l.changes)) {
    changes.set(path, c.type === "file" ? fileEntry(c.content) : c.type === "dir" ? dirEntry() : { type: "whiteout", mtime: 0 });
  }
  return new Layer(changes, l.opaque ?? []);
}

export function fromLayer(layer: Layer): LabLayer {
  const changes: Record<string, LabChange> = {};
  for (const [path, c] of layer.changes) {
    changes[path] = c.type === "whiteout" ? { type: "whiteout" } : c.type === "file" ? { type: "file", content: text(c.content) } : { type: "dir" };
  }
  return { changes, opaque: [...layer.opaque] };
}

function isFile(e: FsEntry | undefined): e is Extract<FsEntry, { type: "file" }> {
  return e?.type === "file";
}

/** The model's layered file system behind the lab interface. */
export const referenceLayeredFs: LayeredFsFactory = (lower) => {
  const fs = new ContainerFs(lower.map(toLayer));
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof FsError) throw new Error(`${e.errno}: ${e.path}`);
      throw e;
    }
  };
  return {
    read: (p) => {
      const e = fs.lookup(p);
      return isFile(e) ? text(e.content) : null;
    },
    list: (p) => (fs.lookup(p)?.type === "dir" ? fs.list(p) : null),
    write: (p, content) => guard(() => fs.write(p, content)),
    mkdir: (p) => guard(() => fs.mkdir(p)),
    remove: (p) => guard(() => fs.remove(p, { recursive: true })),
    commit: () => fromLayer(fs.commit()),
    copiedUpBytes: () => fs.stats.copiedUpBytes,
  };
};

/** The model's CPU allocation behind the lab interface. */
export const referenceAllocateCpu: CpuAllocator = (root, cpus) => Object.fromEntries(allocateCpu(root, cpus));

export const referenceSubmission: Lab04Submission = { createLayeredFs: referenceLayeredFs, allocateCpu: referenceAllocateCpu };
