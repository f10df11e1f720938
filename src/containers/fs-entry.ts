// One entry of a container file system (file, directory or symlink) and the path rules every layer uses.
import { ContainerError } from "./errors.js";

/** Ownership, permission bits and modification time, as a tar header carries them. */
export interface EntryMeta {
  /** Permission bits (e.g. 0o755), without the file-type bits. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Modification time in whole seconds since the Unix epoch. */
  readonly mtime: number;
}

export interface FileEntry extends EntryMeta {
  readonly type: "file";
  readonly content: Uint8Array;
}

export interface DirEntry extends EntryMeta {
  readonly type: "dir";
}

export interface SymlinkEntry extends EntryMeta {
  readonly type: "symlink";
  readonly target: string;
}

/** Something that exists in a file system. */
export type FsEntry = FileEntry | DirEntry | SymlinkEntry;

/** Defaults for new entries: root-owned, 0644 files and 0755 directories. */
export function fileEntry(content: Uint8Array | string, meta: Partial<EntryMeta> = {}): FileEntry {
  return { type: "file", content: typeof content === "string" ? new TextEncoder().encode(content) : content, mode: 0o644, uid: 0, gid: 0, mtime: 0, ...meta };
}

export function dirEntry(meta: Partial<EntryMeta> = {}): DirEntry {
  return { type: "dir", mode: 0o755, uid: 0, gid: 0, mtime: 0, ...meta };
}

export function symlinkEntry(target: string, meta: Partial<EntryMeta> = {}): SymlinkEntry {
  return { type: "symlink", target, mode: 0o777, uid: 0, gid: 0, mtime: 0, ...meta };
}

/** The size an entry adds to a layer: the bytes of a file, 0 for the rest. */
export function entrySize(e: FsEntry): number {
  return e.type === "file" ? e.content.length : 0;
}

/** Do two entries hold the same thing (type, metadata and content)? */
export function sameEntry(a: FsEntry, b: FsEntry): boolean {
  if (a.type !== b.type || a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.mtime !== b.mtime) return false;
  if (a.type === "file") return bytesEqual(a.content, (b as FileEntry).content);
  if (a.type === "symlink") return a.target === (b as SymlinkEntry).target;
  return true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The text of a file's bytes. */
export function text(content: Uint8Array): string {
  return new TextDecoder().decode(content);
}

/**
 * Normalise a path to vmlab's form: absolute, single slashes, no `.` or `..`, no trailing slash ("/" is the root).
 * `cwd` resolves relative paths. `..` above the root stays at the root, as the kernel does.
 */
export function normalizePath(path: string, cwd = "/"): string {
  const parts: string[] = [];
  const full = path.startsWith("/") ? path : `${cwd}/${path}`;
  for (const part of full.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

/** The directory holding a path ("/" for a top-level name and for "/" itself). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** The last component of a path ("" for "/"). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Every proper ancestor of a path, outermost first, without "/" ("/a/b/c" → ["/a", "/a/b"]). */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let i = path.indexOf("/", 1);
  while (i > 0) {
    out.push(path.slice(0, i));
    i = path.indexOf("/", i + 1);
  }
  return out;
}

/** Is `path` strictly inside directory `dir`? */
export function isInside(path: string, dir: string): boolean {
  return dir === "/" ? path !== "/" : path.startsWith(dir + "/");
}

/** A path with its name checked: the whiteout prefix is reserved (OCI image spec, "Whiteouts"). */
export function checkName(path: string): void {
  if (baseName(path).startsWith(".wh.")) {
    throw new ContainerError("OCI_RESERVED_NAME", `invalid file name '${baseName(path)}': names starting with .wh. are reserved for whiteouts`, {
      hint: "choose another name; the OCI image format uses .wh.<name> to record deletions",
    });
  }
}

/** Compare paths so that a directory sorts right before its contents ("/a" < "/a/b" < "/a-b"). */
export function comparePaths(a: string, b: string): number {
  const pa = a.split("/");
  const pb = b.split("/");
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}
