// Lab 04's student API: the layers a copy-on-write (overlay) file system works on, the functions a student writes, and the cgroup CPU allocation.
//
// A submission never owns the layers: the grader (or the public tests) holds them and hands the student's
// functions a view, `Overlay`, whose lower layers are read-only and whose upper layer is the container's
// writable layer. The bytes of file content stored into the writable layer (copy-ups included) are what
// the lab counts as cost. This file imports nothing but the cgroup shape: it is
// exactly what `import ... from "vmlab"` means in a lab 04 submission.
import type { CpuGroup } from "./cpu-group.js";

/** What one layer records at a path: a file, a directory, or a whiteout (the path is deleted in the layers below). */
export type EntryType = "file" | "dir" | "whiteout";

/** One layer, read-only. Paths are absolute and normalised: "/etc/hosts", never "etc/hosts/" or "/etc/../x". */
export interface LayerView {
  /** What this layer itself records at `path`, or null when it records nothing there (look in the layer below). */
  typeAt(path: string): EntryType | null;
  /** The text of the file this layer records at `path` (throws when it records no file there). */
  read(path: string): string;
  /** Does this layer mark `dir` opaque, hiding whatever the layers below hold inside it? */
  isOpaque(dir: string): boolean;
  /** Every path this layer records, sorted. */
  paths(): string[];
}

/** The container's writable layer: a layer you can change. */
export interface UpperLayer extends LayerView {
  /** Record a file with this content (replacing what the layer recorded at the path). Its bytes are the lab's cost: copy up only what changes. */
  putFile(path: string, content: string): void;
  /** Record a directory. */
  putDir(path: string): void;
  /** Record a whiteout: the path is deleted, whatever the layers below hold there. */
  putWhiteout(path: string): void;
  /** Forget what this layer records at `path` (the layers below show through again). */
  erase(path: string): void;
  /** Mark `dir` (which this layer must record as a directory) opaque, or clear the mark. */
  setOpaque(dir: string, opaque: boolean): void;
}

/** A container's root file system: the writable layer over the image's layers. */
export interface Overlay {
  readonly upper: UpperLayer;
  /** The image's layers, top first: `lower[0]` is the layer just under `upper`. */
  readonly lower: readonly LayerView[];
}

/** What the container sees at a path. */
export type Visible = { readonly type: "file"; readonly content: string } | { readonly type: "dir" };

/**
 * One member of a committed layer as the OCI image spec writes it into the layer's tar: a path without its
 * leading slash (`etc/hosts`), a deletion as an empty file `etc/.wh.hosts`, an opaque directory as an empty
 * file `app/.wh..wh..opq` beside the directory's own member. The grader archives the members (in path order)
 * and compares the layer's sha256 digest with the model's.
 */
export interface OciMember {
  readonly name: string;
  readonly type: "file" | "dir";
  /** A file's text ("" for whiteouts and opaque markers). */
  readonly content?: string;
}

/**
 * What a lab 04 submission exports (`export const lab: ContainersLab = { ... }`). Every operation receives
 * the container's `Overlay`; the ones that change it throw an Error (any message) where the kernel would
 * fail: a missing parent directory, writing over a directory, creating what exists, removing what is absent.
 */
export interface ContainersLab {
  /** What the container sees at `path` (the root "/" is always a directory), or null. */
  lookup(fs: Overlay, path: string): Visible | null;
  /** The names directly inside directory `dir`, sorted, or null when `dir` is not a visible directory. */
  list(fs: Overlay, dir: string): string[] | null;
  /** Create or replace a file with `content` (its parent must be a visible directory). */
  write(fs: Overlay, path: string, content: string): void;
  /** Add `text` at the end of a file (creating it when absent): the first change to a lower file copies it up. */
  append(fs: Overlay, path: string, text: string): void;
  /** Create a directory. Re-created where a lower directory was deleted, it must not show the old contents. */
  mkdir(fs: Overlay, path: string): void;
  /** Delete a file, or a directory with everything in it. A path a lower layer holds needs a whiteout. */
  remove(fs: Overlay, path: string): void;
  /** The writable layer as the members of an image layer (docker commit). */
  commit(fs: Overlay): OciMember[];
  /**
   * The CPUs (fractions allowed) each cgroup of the tree gets on a host with `cpus` CPUs, by path, for every
   * group including the root: cpu.weight shares among busy groups, work-conserving, within each cpu.max cap.
   */
  allocateCpu(root: CpuGroup, cpus: number): Record<string, number>;
}

/** The names of a submission's functions, in the order the README presents them. */
export const CONTAINERS_LAB_FUNCTIONS = ["lookup", "list", "write", "append", "mkdir", "remove", "commit", "allocateCpu"] as const;
