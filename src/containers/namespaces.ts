// Linux namespaces as the model keeps them: pid, net, mnt, uts, ipc, user and cgroup, each with an inode number.
//
// A process sees only what its namespaces show: its PID namespace numbers processes from 1 and hides
// those outside it, its UTS namespace has its own hostname, its user namespace maps container UIDs to
// host UIDs, its cgroup namespace makes its own cgroup look like the root. `/proc/self/ns/<kind>` shows
// `<kind>:[<inode>]`; two processes share a namespace exactly when those inodes are equal.
import type { ContainerFs } from "./container-fs.js";
import type { Cgroup } from "./cgroup.js";

export const NAMESPACE_KINDS = ["cgroup", "ipc", "mnt", "net", "pid", "user", "uts"] as const;
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];

/** Hands out namespace inode numbers the way the kernel's proc_inum does: the initial ones fixed, then counting up. */
export class InodeAllocator {
  private next = 4026532160;
  /** The host's initial namespaces have these numbers on a typical kernel. */
  static readonly INITIAL: Readonly<Record<NamespaceKind, number>> = {
    ipc: 4026531839, uts: 4026531838, user: 4026531837, pid: 4026531836, cgroup: 4026531835, mnt: 4026531841, net: 4026531840,
  };
  allocate(): number {
    return this.next++;
  }
}

export class PidNamespace {
  readonly level: number;
  private nextPid = 1;
  /** Host PID → PID in this namespace. */
  readonly pids = new Map<number, number>();

  constructor(readonly inode: number, readonly parent?: PidNamespace) {
    this.level = parent ? parent.level + 1 : 0;
  }

  allocate(hostPid: number): number {
    const pid = this.parent === undefined ? hostPid : this.nextPid++;
    this.pids.set(hostPid, pid);
    return pid;
  }

  /** Is `other` this namespace or one nested inside it (whose processes this one can see)? */
  contains(other: PidNamespace): boolean {
    for (let n: PidNamespace | undefined = other; n; n = n.parent) if (n === this) return true;
    return false;
  }
}

export class UtsNamespace {
  constructor(readonly inode: number, public hostname: string) {}
}

export class IpcNamespace {
  /** System V message queues, semaphores and shared memory segments: keys visible only inside. */
  readonly objects = new Map<number, string>();
  constructor(readonly inode: number) {}
}

/** One line of /proc/self/uid_map: container IDs [inside, inside+count) are host IDs [outside, …). */
export interface IdMapping {
  readonly inside: number;
  readonly outside: number;
  readonly count: number;
}

export class UserNamespace {
  constructor(readonly inode: number, readonly uidMap: readonly IdMapping[], readonly parent?: UserNamespace) {}

  /** The host UID of a UID inside (undefined when unmapped: the overflow UID 65534 shows). */
  toHost(uid: number): number | undefined {
    const m = this.uidMap.find((x) => uid >= x.inside && uid < x.inside + x.count);
    return m === undefined ? undefined : m.outside + (uid - m.inside);
  }

  formatMap(): string {
    return this.uidMap.map((m) => `${String(m.inside).padStart(10)} ${String(m.outside).padStart(10)} ${String(m.count).padStart(10)}\n`).join("");
  }
}

export class MntNamespace {
  /** Files bind-mounted over the root file system (Docker's /etc/hostname, /etc/hosts, /etc/resolv.conf): not in any layer. */
  readonly binds = new Map<string, () => string>();
  constructor(readonly inode: number, readonly root: ContainerFs, readonly cgroupReadOnly: boolean) {}
}

export class CgroupNamespace {
  constructor(readonly inode: number, readonly root: Cgroup) {}
}

/** A network namespace: its interfaces and the ports its processes listen on. */
export class NetNamespace {
  /** Interface name → IPv4 address (with prefix length). */
  readonly interfaces = new Map<string, { address: string; prefix: number; mac?: string }>();
  /** Listening TCP ports → the listener (what answers a connection). */
  readonly listeners = new Map<number, Listener>();
  constructor(readonly inode: number) {
    this.interfaces.set("lo", { address: "127.0.0.1", prefix: 8 });
  }
}

/** What answers a connection to a listening port: a request in, a response out (simulated HTTP). */
export interface Listener {
  readonly pid: number;
  readonly program: string;
  handle(request: HttpRequest): HttpResponse;
}

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The namespaces a process belongs to. */
export interface NamespaceSet {
  readonly pid: PidNamespace;
  readonly net: NetNamespace;
  readonly mnt: MntNamespace;
  readonly uts: UtsNamespace;
  readonly ipc: IpcNamespace;
  readonly user: UserNamespace;
  readonly cgroup: CgroupNamespace;
}

/** The inode numbers of a namespace set, as /proc/<pid>/ns shows them. */
export function namespaceInodes(ns: NamespaceSet): Record<NamespaceKind, number> {
  return { cgroup: ns.cgroup.inode, ipc: ns.ipc.inode, mnt: ns.mnt.inode, net: ns.net.inode, pid: ns.pid.inode, user: ns.user.inode, uts: ns.uts.inode };
}
