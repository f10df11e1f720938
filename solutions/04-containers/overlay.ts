// Lab 04: a container's copy-on-write (overlay) file system and the cgroup v2 CPU allocation.
//
// The file system is a stack of layers: the container's writable layer on top of the image's read-only
// layers. What the container sees at a path is decided by the top-most layer that says anything about it;
// a change goes into the writable layer only, copying up the one file it changes; a deletion of something
// the image holds leaves a whiteout; `commit` writes the writable layer as an OCI image layer. The CPU part
// divides a host's CPUs among cgroups by cpu.weight, never above a group's cpu.max, never leaving a CPU idle
// while a busy group could use it. The README walks through both.
import type { ContainersLab, CpuGroup, LayerView, OciMember, Overlay, Visible } from "../../src/index.js";

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
  // BEGIN SOLUTION
  const above = ancestorsOf(path);
  for (const layer of layers) {
    const t = layer.typeAt(path);
    if (t !== null) return t === "whiteout" ? null : { layer, type: t };
    // A layer that deletes or replaces a directory above the path, or makes one opaque, hides every layer below it.
    for (const a of above) {
      const at = layer.typeAt(a);
      if ((at !== null && at !== "dir") || layer.isOpaque(a)) return null;
    }
  }
  return null;
  // END SOLUTION
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
  // BEGIN SOLUTION
  for (const a of ancestorsOf(path)) if (fs.upper.typeAt(a) === null) fs.upper.putDir(a);
  // END SOLUTION
}

export const lab: ContainersLab = {
  lookup(fs: Overlay, path: string): Visible | null {
    const found = find(layersOf(fs), path);
    if (found === null) return null;
    return found.type === "dir" ? { type: "dir" } : { type: "file", content: found.layer.read(path) };
  },

  list(fs: Overlay, dir: string): string[] | null {
    // BEGIN SOLUTION
    const layers = layersOf(fs);
    if (find(layers, dir)?.type !== "dir") return null;
    const names = new Set<string>();
    for (const layer of layers) for (const p of layer.paths()) if (p !== "/" && parentOf(p) === dir) names.add(p.slice(p.lastIndexOf("/") + 1));
    return [...names].filter((n) => find(layers, join(dir, n)) !== null).sort();
    // END SOLUTION
  },

  write(fs: Overlay, path: string, content: string): void {
    // BEGIN SOLUTION
    requireParent(fs, path);
    if (find(layersOf(fs), path)?.type === "dir") throw new Error(`EISDIR: ${path}`);
    // The whole file is replaced: nothing of the lower copy is needed, so nothing is read.
    copyUpParents(fs, path);
    fs.upper.putFile(path, content);
    // END SOLUTION
  },

  append(fs: Overlay, path: string, text: string): void {
    // BEGIN SOLUTION
    requireParent(fs, path);
    const found = find(layersOf(fs), path);
    if (found?.type === "dir") throw new Error(`EISDIR: ${path}`);
    // Copy-up: the first change to a lower file reads that one file, once; later appends find it in the upper layer.
    const base = found === null ? "" : found.layer.read(path);
    copyUpParents(fs, path);
    fs.upper.putFile(path, base + text);
    // END SOLUTION
  },

  mkdir(fs: Overlay, path: string): void {
    // BEGIN SOLUTION
    if (find(layersOf(fs), path) !== null) throw new Error(`EEXIST: ${path}`);
    requireParent(fs, path);
    copyUpParents(fs, path);
    const overWhiteout = fs.upper.typeAt(path) === "whiteout";
    fs.upper.putDir(path);
    // Re-created where a lower directory was deleted: opaque, or the old contents would show through again.
    if (overWhiteout) fs.upper.setOpaque(path, true);
    // END SOLUTION
  },

  remove(fs: Overlay, path: string): void {
    if (path === "/") throw new Error("EBUSY: /");
    // BEGIN SOLUTION
    if (find(layersOf(fs), path) === null) throw new Error(`ENOENT: ${path}`);
    copyUpParents(fs, path);
    for (const p of fs.upper.paths()) if (p.startsWith(path + "/")) fs.upper.erase(p);
    fs.upper.erase(path);
    // The image still holds the path (and no opaque directory of ours hides it): only a whiteout deletes it.
    const hiddenByOpaque = ancestorsOf(path).some((a) => fs.upper.isOpaque(a));
    if (!hiddenByOpaque && find(fs.lower, path) !== null) fs.upper.putWhiteout(path);
    // END SOLUTION
  },

  commit(fs: Overlay): OciMember[] {
    const members: OciMember[] = [];
    // BEGIN SOLUTION
    for (const p of fs.upper.paths()) {
      const name = p.slice(1);
      const t = fs.upper.typeAt(p);
      if (t === "whiteout") {
        const dir = parentOf(p);
        members.push({ name: `${dir === "/" ? "" : dir.slice(1) + "/"}.wh.${p.slice(p.lastIndexOf("/") + 1)}`, type: "file", content: "" });
      } else if (t === "file") members.push({ name, type: "file", content: fs.upper.read(p) });
      else {
        members.push({ name, type: "dir" });
        if (fs.upper.isOpaque(p)) members.push({ name: `${name}/.wh..wh..opq`, type: "file", content: "" });
      }
    }
    // END SOLUTION
    return members;
  },

  allocateCpu(root: CpuGroup, cpus: number): Record<string, number> {
    const out: Record<string, number> = {};
    // BEGIN SOLUTION
    const give = (g: CpuGroup, amount: number): void => {
      out[g.path] = amount;
      // The group's own threads compete with its child groups as children of weight 100, one CPU each at most.
      const claimants = [
        ...g.children.map((c) => ({ weight: c.weight, demand: demand(c), group: c as CpuGroup | undefined })),
        ...Array.from({ length: g.threads }, () => ({ weight: 100, demand: 1, group: undefined as CpuGroup | undefined })),
      ];
      const shares = shareByWeight(amount, claimants);
      claimants.forEach((c, i) => {
        if (c.group) give(c.group, shares[i]!);
      });
    };
    give(root, Math.min(cpus, demand(root)));
    // END SOLUTION
    return out;
  },
};

/** The CPUs a group could use with the host to itself: its threads and its children's, within its cap. */
function demand(g: CpuGroup): number {
  // BEGIN SOLUTION
  return Math.min(g.cap, g.threads + g.children.reduce((n, c) => n + demand(c), 0));
  // END SOLUTION
}

/**
 * Share `amount` by weight, never giving a claimant more than its demand, and passing what it leaves
 * to the others (water-filling): whoever needs less than its fair share takes only that, and the rest
 * is split again among those left.
 */
function shareByWeight(amount: number, claimants: readonly { readonly weight: number; readonly demand: number }[]): number[] {
  // BEGIN SOLUTION
  const out = claimants.map(() => 0);
  let active = claimants.map((_, i) => i).filter((i) => claimants[i]!.demand > 0);
  let left = amount;
  while (active.length > 0) {
    const weight = active.reduce((n, i) => n + claimants[i]!.weight, 0);
    const satisfied = active.filter((i) => (left * claimants[i]!.weight) / weight >= claimants[i]!.demand - 1e-12);
    if (satisfied.length === 0) {
      for (const i of active) out[i] = (left * claimants[i]!.weight) / weight;
      break;
    }
    for (const i of satisfied) {
      out[i] = claimants[i]!.demand;
      left -= claimants[i]!.demand;
    }
    active = active.filter((i) => !satisfied.includes(i));
  }
  return out;
  // END SOLUTION
}
