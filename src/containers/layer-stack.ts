// Looking a path up through a stack of layers, and flattening the stack into one file tree, as overlayfs does.
import { ancestors, comparePaths, isInside, type FsEntry } from "./fs-entry.js";
import type { Change, Changeset } from "./layer.js";

/**
 * Find what a path is in the union of `layers` (top layer first). A layer decides when it has an entry or a
 * whiteout for the path; it hides everything below it when it whites out an ancestor, replaces an ancestor
 * with something that is not a directory, or marks an ancestor opaque.
 */
export function lookupThrough(layers: readonly Changeset[], path: string): FsEntry | undefined {
  if (path === "/") return { type: "dir", mode: 0o755, uid: 0, gid: 0, mtime: 0 };
  const up = ancestors(path);
  for (const layer of layers) {
    const c = layer.change(path);
    if (c !== undefined) return c.type === "whiteout" ? undefined : c;
    for (const a of up) {
      const ac = layer.change(a);
      if (ac !== undefined && ac.type !== "dir") return undefined;
      if (layer.isOpaque(a)) return undefined;
    }
  }
  return undefined;
}

/** A file tree: every path (sorted, directories before their contents) with its entry. */
export type FileTree = Map<string, FsEntry>;

/**
 * Apply changesets bottom to top (OCI "Applying Changesets"): a whiteout removes the path and all below it;
 * an opaque directory drops what lower layers put inside it; a non-directory replaces a directory's subtree.
 */
export function flatten(bottomUp: readonly { changes: ReadonlyMap<string, Change>; opaque: ReadonlySet<string> }[], base?: FileTree): FileTree {
  const tree: FileTree = new Map(base ?? []);
  const removeUnder = (dir: string, andSelf: boolean) => {
    for (const p of [...tree.keys()]) if (isInside(p, dir) || (andSelf && p === dir)) tree.delete(p);
  };
  for (const layer of bottomUp) {
    for (const dir of layer.opaque) removeUnder(dir, false);
    for (const [path, c] of layer.changes) {
      if (c.type === "whiteout") removeUnder(path, true);
      else {
        const old = tree.get(path);
        if (old !== undefined && old.type === "dir" && c.type !== "dir") removeUnder(path, false);
        tree.set(path, c);
      }
    }
  }
  return new Map([...tree].sort((a, b) => comparePaths(a[0], b[0])));
}

/** The names directly inside `dir` in a flattened tree, sorted. */
export function childrenOf(tree: ReadonlyMap<string, FsEntry>, dir: string): string[] {
  const out: string[] = [];
  for (const p of tree.keys()) {
    if (!isInside(p, dir)) continue;
    const rest = p.slice(dir === "/" ? 1 : dir.length + 1);
    if (!rest.includes("/")) out.push(rest);
  }
  return out.sort();
}
