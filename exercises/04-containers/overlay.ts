// Lab 04: a container's copy-on-write (overlay) file system and the cgroup v2 CPU allocation.
//
// The file system is a stack of layers: the container's writable layer on top of the image's read-only
// layers. What the container sees at a path is decided by the top-most layer that says anything about it;
// a change goes into the writable layer only, copying up the one file it changes; a deletion of something
// the image holds leaves a whiteout; `commit` writes the writable layer as an OCI image layer. The CPU part
// divides a host's CPUs among cgroups by cpu.weight, never above a group's cpu.max, never leaving a CPU idle
// while a busy group could use it. The README walks through both.
import type { ContainersLab, CpuGroup, LayerView, OciMember, Overlay, Visible } from "vmlab";

/** The parent directory of a path ("/" for "/etc"). */
function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

/** The directories above a path, outermost first, without the root: "/a/b/c" → ["/a", "/a/b"]. */
function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf("/", 1); i > 0; i = path.indexOf("/", i + 1)) out.push(path.slice(0, i));
  return out;
}

/** `name` inside directory `dir`. */
function join(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

/**
 * Which layer of `layers` (top first) decides what is at `path`, and whether it is a file or a directory;
 * null when nothing is visible there. Looks without copying: only `typeAt` and `isOpaque`, never `read`.
 */
function find(layers: readonly LayerView[], path: string): { readonly layer: LayerView; readonly type: "file" | "dir" } | null {
  if (path === "/") return { layer: layers[0]!, type: "dir" };
  // YOUR CODE HERE
  throw new Error("not implemented: find");
}

/** Every layer, top first: the writable one, then the image's. */
function layersOf(fs: Overlay): LayerView[] {
  return [fs.upper, ...fs.lower];
}

/** The parent of `path` must be a visible directory. */
function requireParent(fs: Overlay, path: string): void {
  if (find(layersOf(fs), parentOf(path))?.type !== "dir") throw new Error(`ENOENT: ${path}: no such directory ${parentOf(path)}`);
}

/** Make every directory above `path` present in the writable layer, as overlayfs copies up parents (metadata only). */
function copyUpParents(fs: Overlay, path: string): void {
  // YOUR CODE HERE
  throw new Error("not implemented: copyUpParents");
}

export const lab: ContainersLab = {
  lookup(fs: Overlay, path: string): Visible | null {
    const found = find(layersOf(fs), path);
    if (found === null) return null;
    return found.type === "dir" ? { type: "dir" } : { type: "file", content: found.layer.read(path) };
  },

  list(fs: Overlay, dir: string): string[] | null {
    // YOUR CODE HERE
    throw new Error("not implemented: list");
  },

  write(fs: Overlay, path: string, content: string): void {
    // YOUR CODE HERE
    throw new Error("not implemented: write");
  },

  append(fs: Overlay, path: string, text: string): void {
    // YOUR CODE HERE
    throw new Error("not implemented: append");
  },

  mkdir(fs: Overlay, path: string): void {
    // YOUR CODE HERE
    throw new Error("not implemented: mkdir");
  },

  remove(fs: Overlay, path: string): void {
    if (path === "/") throw new Error("EBUSY: /");
    // YOUR CODE HERE
    throw new Error("not implemented: remove");
  },

  commit(fs: Overlay): OciMember[] {
    const members: OciMember[] = [];
    // YOUR CODE HERE
    throw new Error("not implemented: commit");
    return members;
  },

  allocateCpu(root: CpuGroup, cpus: number): Record<string, number> {
    const out: Record<string, number> = {};
    // YOUR CODE HERE
    throw new Error("not implemented: allocateCpu");
    return out;
  },
};

/** The CPUs a group could use with the host to itself: its threads and its children's, within its cap. */
function demand(g: CpuGroup): number {
  // YOUR CODE HERE
  throw new Error("not implemented: demand");
}

/**
 * Share `amount` by weight, never giving a claimant more than its demand, and passing what it leaves
 * to the others (water-filling): whoever needs less than its fair share takes only that, and the rest
 * is split again among those left.
 */
function shareByWeight(amount: number, claimants: readonly { readonly weight: number; readonly demand: number }[]): number[] {
  // YOUR CODE HERE
  throw new Error("not implemented: shareByWeight");
}
