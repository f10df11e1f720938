// An image layer: a changeset of entries, whiteouts and opaque directories, archived as an OCI layer tar.
//
// The OCI image spec ("Image Layer Filesystem Changeset") records additions and changes as entries,
// a deletion of `dir/name` as an empty file `dir/.wh.name`, and "this directory's lower contents are
// gone" as `dir/.wh..wh..opq`. The layer's digest is the sha256 of its uncompressed tar, which is also
// its diff ID in the image config.
import { sha256, type Digest } from "./digest.js";
import { comparePaths, dirEntry, entrySize, type FsEntry, baseName, parentPath } from "./fs-entry.js";
import { ContainerError } from "./errors.js";
import { readTar, writeTar, type TarMember } from "./tar.js";

/** What one layer says about one path: an entry (added or changed) or a whiteout (deleted). */
export type Change = FsEntry | { readonly type: "whiteout"; readonly mtime: number };

/** Anything that can be looked up like a layer: the image's layers and a container's writable layer. */
export interface Changeset {
  change(path: string): Change | undefined;
  /** Does this layer mark the directory opaque (hiding what lower layers have inside it)? */
  isOpaque(dir: string): boolean;
}

export const WHITEOUT_PREFIX = ".wh.";
export const OPAQUE_MARKER = ".wh..wh..opq";

/** An immutable layer with its tar, digest and size computed once. */
export class Layer implements Changeset {
  readonly changes: ReadonlyMap<string, Change>;
  readonly opaque: ReadonlySet<string>;
  private tarBytes?: Uint8Array;
  private digestValue?: Digest;

  constructor(changes: ReadonlyMap<string, Change> | Iterable<[string, Change]>, opaque: Iterable<string> = []) {
    const sorted = [...(changes instanceof Map ? changes.entries() : changes)].sort((a, b) => comparePaths(a[0], b[0]));
    this.changes = new Map(sorted);
    this.opaque = new Set([...opaque].sort(comparePaths));
    for (const dir of this.opaque) {
      const e = this.changes.get(dir);
      if (e === undefined || e.type !== "dir") {
        throw new ContainerError("OCI_OPAQUE_WITHOUT_DIR", `layer marks '${dir}' opaque but does not contain that directory`, { hint: "an opaque directory must be an entry of the same layer" });
      }
    }
  }

  change(path: string): Change | undefined {
    return this.changes.get(path);
  }

  isOpaque(dir: string): boolean {
    return this.opaque.has(dir);
  }

  /** The layer as tar members, in the deterministic order the tar is written in. */
  members(): TarMember[] {
    const out: TarMember[] = [];
    for (const [path, c] of this.changes) {
      const name = path.slice(1);
      if (c.type === "whiteout") {
        const dir = parentPath(path);
        out.push({ name: `${dir === "/" ? "" : dir.slice(1) + "/"}${WHITEOUT_PREFIX}${baseName(path)}`, type: "file", mode: 0o644, uid: 0, gid: 0, mtime: c.mtime, content: new Uint8Array(0) });
        continue;
      }
      out.push({
        name, type: c.type, mode: c.mode, uid: c.uid, gid: c.gid, mtime: c.mtime,
        ...(c.type === "file" ? { content: c.content } : {}),
        ...(c.type === "symlink" ? { linkname: c.target } : {}),
      });
      if (c.type === "dir" && this.opaque.has(path)) {
        out.push({ name: `${name}/${OPAQUE_MARKER}`, type: "file", mode: 0o644, uid: 0, gid: 0, mtime: c.mtime, content: new Uint8Array(0) });
      }
    }
    return out;
  }

  /** The uncompressed layer tar (media type application/vnd.oci.image.layer.v1.tar). */
  tar(): Uint8Array {
    return (this.tarBytes ??= writeTar(this.members()));
  }

  /** sha256 of the tar: the layer's blob digest and its diff ID. */
  get digest(): Digest {
    return (this.digestValue ??= sha256(this.tar()));
  }

  /** Bytes of the tar, as a registry stores and transfers it. */
  get size(): number {
    return this.tar().length;
  }

  /** Bytes of file content the layer adds (what `docker history` calls SIZE). */
  get contentSize(): number {
    let n = 0;
    for (const c of this.changes.values()) if (c.type !== "whiteout") n += entrySize(c);
    return n;
  }

  /** Paths this layer deletes (its whiteouts). */
  whiteouts(): string[] {
    return [...this.changes].filter(([, c]) => c.type === "whiteout").map(([p]) => p);
  }

  /** Read a layer back from its tar, turning `.wh.` files into whiteouts and opaque markers. */
  static fromTar(data: Uint8Array): Layer {
    const changes = new Map<string, Change>();
    const opaque: string[] = [];
    for (const m of readTar(data)) {
      const path = "/" + m.name.replace(/\/+$/, "");
      const base = baseName(path);
      if (base === OPAQUE_MARKER) {
        opaque.push(parentPath(path));
        if (!changes.has(parentPath(path))) changes.set(parentPath(path), dirEntry({ mtime: m.mtime }));
      } else if (base.startsWith(WHITEOUT_PREFIX)) {
        const dir = parentPath(path);
        changes.set(`${dir === "/" ? "" : dir}/${base.slice(WHITEOUT_PREFIX.length)}`, { type: "whiteout", mtime: m.mtime });
      } else {
        const meta = { mode: m.mode, uid: m.uid, gid: m.gid, mtime: m.mtime };
        changes.set(path, m.type === "file" ? { type: "file", content: m.content ?? new Uint8Array(0), ...meta } : m.type === "dir" ? { type: "dir", ...meta } : { type: "symlink", target: m.linkname ?? "", ...meta });
      }
    }
    return new Layer(changes, opaque);
  }
}
