// A process's view of files: its root file system, Docker's bind mounts, /proc and /sys/fs/cgroup, through its namespaces.
import type { Cgroup } from "./cgroup.js";
import { normalizePath, isInside } from "./fs-entry.js";
import { FsError } from "./fs-error.js";
import type { Kernel, Task } from "./kernel.js";
import { NAMESPACE_KINDS, namespaceInodes, type NamespaceKind } from "./namespaces.js";

const enc = new TextEncoder();
const CGROUP_MOUNT = "/sys/fs/cgroup";

/** The PID namespace's process with this PID, or undefined. */
function taskByPid(kernel: Kernel, viewer: Task, pid: number): Task | undefined {
  for (const t of kernel.tasks.values()) if (viewer.ns.pid.pids.get(t.pid) === pid && viewer.ns.pid.contains(t.ns.pid)) return t;
  return undefined;
}

/** A cgroup path as seen from inside a cgroup namespace rooted at `root`. */
export function cgroupPathFrom(root: Cgroup, g: Cgroup): string {
  if (root.isRoot) return g.path;
  if (g === root) return "/";
  if (isInside(g.path, root.path)) return g.path.slice(root.path.length);
  // Outside the namespace: shown relative, with ../ as the kernel does.
  const up = root.path.split("/").filter((p) => p !== "").length;
  return "/" + "../".repeat(up) + g.path.slice(1);
}

function cgroupAt(viewer: Task, rel: string): Cgroup {
  const root = viewer.ns.cgroup.root;
  const path = rel === "" || rel === "/" ? root.path : root.isRoot ? rel : `${root.path}${rel}`;
  return viewer.kernel.cgroups.get(path);
}

type ProcTarget = { task: Task; rest: string } | { special: string };

function procTarget(kernel: Kernel, viewer: Task, path: string): ProcTarget {
  const parts = path.split("/").filter((p) => p !== "").slice(1);
  const head = parts[0] ?? "";
  if (head === "self" || /^[0-9]+$/.test(head)) {
    const task = head === "self" ? viewer : taskByPid(kernel, viewer, Number(head));
    if (!task) throw new FsError("ENOENT", path);
    return { task, rest: parts.slice(1).join("/") };
  }
  return { special: parts.join("/") };
}

function meminfo(kernel: Kernel): string {
  const kb = (b: number) => `${String(Math.floor(b / 1024)).padStart(8)} kB`;
  const total = kernel.spec.memoryBytes;
  const used = kernel.memoryInUse;
  return `MemTotal:       ${kb(total)}\nMemFree:        ${kb(total - used)}\nMemAvailable:   ${kb(total - used)}\nSwapTotal:      ${kb(0)}\nSwapFree:       ${kb(0)}\n`;
}

function status(viewer: Task, t: Task): string {
  const nspids: number[] = [];
  for (let n: typeof t.ns.pid | undefined = t.ns.pid; n; n = n.parent) {
    if (!viewer.ns.pid.contains(n)) break;
    nspids.unshift(n.pids.get(t.pid)!);
  }
  return [
    `Name:\t${(t.argv[0] ?? "").split("/").pop()}`,
    `State:\t${t.state === "R" ? "R (running)" : t.state === "S" ? "S (sleeping)" : "Z (zombie)"}`,
    `Pid:\t${viewer.ns.pid.pids.get(t.pid)}`,
    `PPid:\t${t.parent ? (viewer.ns.pid.pids.get(t.parent.pid) ?? 0) : 0}`,
    `Uid:\t${t.uid}\t${t.uid}\t${t.uid}\t${t.uid}`,
    `NSpid:\t${nspids.reverse().join("\t")}`,
    `VmRSS:\t${Math.floor(t.rss / 1024)} kB`,
    "",
  ].join("\n");
}

/** Read a file as the process sees it. */
export function vfsRead(viewer: Task, rawPath: string): Uint8Array {
  const kernel = viewer.kernel;
  const path = normalizePath(rawPath, viewer.cwd);
  const bind = viewer.ns.mnt.binds.get(path);
  if (bind) return enc.encode(bind());
  if (path === "/dev/null") return new Uint8Array(0);
  if (path === "/proc" || path.startsWith("/proc/")) {
    const target = procTarget(kernel, viewer, path);
    if ("special" in target) {
      if (target.special === "meminfo") return enc.encode(meminfo(kernel));
      throw new FsError(target.special === "" ? "EISDIR" : "ENOENT", path);
    }
    const { task, rest } = target;
    switch (rest) {
      case "cgroup": return enc.encode(`0::${cgroupPathFrom(viewer.ns.cgroup.root, task.cgroup)}\n`);
      case "uid_map": case "gid_map": return enc.encode(task.ns.user.formatMap());
      case "cmdline": return enc.encode(task.argv.join("\0") + "\0");
      case "status": return enc.encode(status(viewer, task));
      case "": case "ns": throw new FsError("EISDIR", path);
    }
    if (rest.startsWith("ns/")) throw new FsError("EINVAL", path);
    throw new FsError("ENOENT", path);
  }
  if (path === CGROUP_MOUNT || path.startsWith(CGROUP_MOUNT + "/")) {
    const rel = path.slice(CGROUP_MOUNT.length);
    const file = rel.split("/").pop()!;
    const dir = rel.slice(0, rel.length - file.length - 1);
    try {
      cgroupAt(viewer, rel);
      throw new FsError("EISDIR", path);
    } catch (e) {
      if (e instanceof FsError && e.errno === "EISDIR") throw e;
    }
    const g = cgroupAt(viewer, dir);
    kernel.scheduler.sync();
    return enc.encode(g.read(file, kernel.hooks(viewer.ns.pid)));
  }
  return viewer.fs.read(path);
}

/** Write a file as the process sees it; the cgroup file system is read-only inside a container, as Docker mounts it. */
export function vfsWrite(viewer: Task, rawPath: string, data: string | Uint8Array, append = false): void {
  const path = normalizePath(rawPath, viewer.cwd);
  if (viewer.ns.mnt.binds.has(path)) throw new FsError("EBUSY", path);
  if (path === "/dev/null") return;
  if (path === "/proc" || path.startsWith("/proc/")) throw new FsError("EACCES", path);
  if (path === CGROUP_MOUNT || path.startsWith(CGROUP_MOUNT + "/")) {
    if (viewer.ns.mnt.cgroupReadOnly) throw new FsError("EROFS", path);
    const rel = path.slice(CGROUP_MOUNT.length);
    const file = rel.split("/").pop()!;
    const g = cgroupAt(viewer, rel.slice(0, rel.length - file.length - 1));
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    // Opening with O_TRUNC (the shell's `>`) writes nothing: only a write with data reaches the kernel's handler.
    if (text === "") {
      if (!g.files().includes(file)) throw new FsError("ENOENT", path);
      return;
    }
    g.write(file, text, viewer.kernel.hooks(viewer.ns.pid));
    return;
  }
  viewer.fs.write(path, data, { append });
}

/** List a directory as the process sees it. */
export function vfsList(viewer: Task, rawPath: string): string[] {
  const kernel = viewer.kernel;
  const path = normalizePath(rawPath, viewer.cwd);
  if (path === "/proc") {
    const pids = [...kernel.tasks.values()].filter((t) => viewer.ns.pid.contains(t.ns.pid) && viewer.ns.pid.pids.has(t.pid)).map((t) => viewer.ns.pid.pids.get(t.pid)!);
    return [...pids.sort((a, b) => a - b).map(String), "meminfo", "self"];
  }
  if (path.startsWith("/proc/")) {
    const target = procTarget(kernel, viewer, path);
    if ("special" in target) throw new FsError("ENOTDIR", path);
    if (target.rest === "") return ["cgroup", "cmdline", "gid_map", "ns", "status", "uid_map"];
    if (target.rest === "ns") return [...NAMESPACE_KINDS];
    throw new FsError("ENOTDIR", path);
  }
  if (path === CGROUP_MOUNT || path.startsWith(CGROUP_MOUNT + "/")) {
    const g = cgroupAt(viewer, path.slice(CGROUP_MOUNT.length));
    return [...g.children.keys(), ...g.files()].sort();
  }
  const names = viewer.fs.list(path);
  const binds = [...viewer.ns.mnt.binds.keys()].filter((b) => b.startsWith(path === "/" ? "/" : path + "/") && !b.slice(path.length + 1).includes("/")).map((b) => b.split("/").pop()!);
  return [...new Set([...names, ...binds])].sort();
}

/** readlink: namespace files show `kind:[inode]`; symlinks their target. */
export function vfsReadlink(viewer: Task, rawPath: string): string {
  const path = normalizePath(rawPath, viewer.cwd);
  if (path === "/proc/self") return String(viewer.nsPid);
  if (path.startsWith("/proc/")) {
    const target = procTarget(viewer.kernel, viewer, path);
    if (!("special" in target) && target.rest.startsWith("ns/")) {
      const kind = target.rest.slice(3) as NamespaceKind;
      if (!NAMESPACE_KINDS.includes(kind)) throw new FsError("ENOENT", path);
      return `${kind}:[${namespaceInodes(target.task.ns)[kind]}]`;
    }
    throw new FsError("EINVAL", path);
  }
  const e = viewer.fs.lookup(path);
  if (!e) throw new FsError("ENOENT", path);
  if (e.type !== "symlink") throw new FsError("EINVAL", path);
  return e.target;
}

/** mkdir through the view: under /sys/fs/cgroup it creates a cgroup (the host only). */
export function vfsMkdir(viewer: Task, rawPath: string, parents: boolean): void {
  const path = normalizePath(rawPath, viewer.cwd);
  if (path.startsWith(CGROUP_MOUNT + "/")) {
    if (viewer.ns.mnt.cgroupReadOnly) throw new FsError("EROFS", path);
    const rel = path.slice(CGROUP_MOUNT.length);
    const root = viewer.ns.cgroup.root;
    viewer.kernel.cgroups.mkdir(root.isRoot ? rel : root.path + rel, { parents });
    return;
  }
  if (path.startsWith("/proc")) throw new FsError("EACCES", path);
  viewer.fs.mkdir(path, { parents });
}
