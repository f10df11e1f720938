// The simulated Linux host: processes in namespaces and cgroups, sharing CPUs and memory, with fork, kill and the OOM killer.
//
// Every process is an engine process running a Program. The kernel keeps the accounting cgroup v2
// documents — cpu.stat, memory.current/peak/events, pids.current/events — and enforces the limits:
// the CPU scheduler applies cpu.weight and cpu.max; a charge that would pass memory.max invokes the
// OOM killer inside that group; a charge above memory.high succeeds but the process is put to sleep
// for the kernel's penalty (mm/memcontrol.c calculate_high_delay), never killed; a fork that would pass
// pids.max fails with EAGAIN. The host has no swap and no page cache: all memory is anonymous.
import { Interrupt, type ProcessGenerator, type SimEvent, type Simulation, Process } from "../sim/index.js";
import { CgroupTree, type Cgroup, type CgroupHooks } from "./cgroup.js";
import { MEMORY_PAGE_SIZE } from "./cgroup-format.js";
import { ContainerFs } from "./container-fs.js";
import { CpuScheduler, type CpuConsumer } from "./cpu-scheduler.js";
import { ContainerError } from "./errors.js";
import { programOf, shebang } from "./executable.js";
import { normalizePath } from "./fs-entry.js";
import { FsError, type Errno } from "./fs-error.js";
import {
  CgroupNamespace, InodeAllocator, IpcNamespace, MntNamespace, NetNamespace, PidNamespace, UserNamespace, UtsNamespace, type NamespaceSet,
} from "./namespaces.js";
import { SIGNALS, type ExitStatus, type Program, type ProgramRegistry, type Sys } from "./program.js";
import { makeSys } from "./syscalls.js";

/** The machine: CPUs and memory. */
export interface HostSpec {
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly hostname?: string;
}

/** Thrown into a process (or failed into its allocation) when it is killed by a signal. */
export class Killed extends Error {
  constructor(readonly signal: number) {
    super(`killed by signal ${signal}`);
  }
}

/** A process. */
export class Task implements CpuConsumer {
  cpuTime = 0;
  rss = 0;
  state: "R" | "S" | "Z" = "S";
  status: ExitStatus | undefined;
  readonly children = new Set<Task>();
  /** Signals the program handles, with the exit code it then exits with. */
  readonly handlers = new Map<number, number>();
  proc: Process<ExitStatus> | undefined;
  /** Pending throttle timers and similar, cancelled when the task dies. */
  readonly cleanups = new Set<() => void>();
  readonly startTime: number;
  waited = false;
  /** A kill that arrived while the task itself was running (delivered at its next system call). */
  pendingKill: Killed | undefined;
  /** Seconds spent asleep for memory.high penalties. */
  throttledForMemory = 0;

  constructor(
    readonly kernel: Kernel,
    readonly pid: number,
    public parent: Task | undefined,
    public argv: readonly string[],
    public cgroup: Cgroup,
    readonly ns: NamespaceSet,
    readonly env: Map<string, string>,
    public cwd: string,
    readonly uid: number,
    public stdout: (text: string) => void,
    public stderr: (text: string) => void,
    readonly exited: SimEvent<ExitStatus>,
  ) {
    this.startTime = kernel.sim.now;
  }

  get alive(): boolean {
    return this.status === undefined;
  }

  /** This task's PID in a namespace (undefined when it is not visible there). */
  pidIn(ns: PidNamespace): number | undefined {
    return ns.pids.get(this.pid);
  }

  /** Its PID in its own namespace. */
  get nsPid(): number {
    return this.ns.pid.pids.get(this.pid)!;
  }

  get fs(): ContainerFs {
    return this.ns.mnt.root;
  }
}

/** How connections and name lookups leave a network namespace (set by the network model). */
export interface NetworkFabric {
  resolve(from: NetNamespace, name: string): string | undefined;
  route(from: NetNamespace, address: string, port: number): { ns: NetNamespace; via: string } | { error: "refused" | "unreachable" };
  /** Which container a network namespace belongs to, for "served by". */
  ownerOf(ns: NetNamespace): string;
}

export interface SpawnOptions {
  readonly argv: readonly string[];
  readonly parent?: Task;
  readonly cgroup?: Cgroup;
  readonly ns?: NamespaceSet;
  readonly env?: Map<string, string>;
  readonly cwd?: string;
  readonly uid?: number;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** Run this program instead of resolving argv[0] on PATH. */
  readonly program?: Program;
}

/** MEMCG_CHARGE_BATCH: the nominal charge size the memory.high penalty is scaled by, in pages. */
const MEMCG_CHARGE_BATCH = 64;
/** The longest a single memory.high penalty sleeps (MEMCG_MAX_HIGH_DELAY_JIFFIES, 2 s). */
export const MEMORY_HIGH_MAX_DELAY = 2;

/**
 * The kernel's memory.high penalty for charging `pages` when the usage is `overage` (fraction of high) over it:
 * penalty_jiffies = overage² · HZ >> (20 + 14) · pages / 64, with overage in 20-bit fixed point; in seconds
 * that is overage² · pages (integer truncation aside), clamped to 2 s; under 10 ms the kernel does not sleep.
 */
export function memoryHighDelay(usage: number, high: number, pages: number): number {
  if (usage <= high) return 0;
  const overage = Math.floor(((usage - high) * 2 ** 20) / Math.max(high, MEMORY_PAGE_SIZE));
  const HZ = 1000;
  const jiffies = Math.floor((overage * overage * HZ) / 2 ** 34);
  const scaled = (jiffies * pages) / MEMCG_CHARGE_BATCH;
  const seconds = Math.min(scaled / HZ, MEMORY_HIGH_MAX_DELAY);
  return seconds <= 0.01 ? 0 : seconds;
}

export class Kernel {
  readonly cgroups = new CgroupTree();
  readonly scheduler: CpuScheduler;
  readonly tasks = new Map<number, Task>();
  readonly inodes = new InodeAllocator();
  readonly hostNs: NamespaceSet;
  readonly init: Task;
  private nextPid = 1;
  network: NetworkFabric | undefined;
  /** Messages the kernel logs (dmesg): OOM kills. */
  readonly dmesg: string[] = [];
  /** Bytes the host's own processes use before any container starts. */
  memoryUsed = 0;

  constructor(readonly sim: Simulation, readonly spec: HostSpec, readonly programs: ProgramRegistry) {
    this.scheduler = new CpuScheduler(sim, this.cgroups, spec.cpus);
    const I = InodeAllocator.INITIAL;
    const rootFs = new ContainerFs(new Map());
    this.hostNs = {
      pid: new PidNamespace(I.pid),
      net: new NetNamespace(I.net),
      mnt: new MntNamespace(I.mnt, rootFs, false),
      uts: new UtsNamespace(I.uts, spec.hostname ?? "vmlab-host"),
      ipc: new IpcNamespace(I.ipc),
      user: new UserNamespace(I.user, [{ inside: 0, outside: 0, count: 4294967295 }]),
      cgroup: new CgroupNamespace(I.cgroup, this.cgroups.root),
    };
    const init = this.newTask(undefined, ["/sbin/init"], this.cgroups.mkdir("/init.scope"), this.hostNs, new Map(), "/", 0, () => undefined, () => undefined);
    this.init = init;
    for (const slice of ["/system.slice", "/user.slice"]) this.cgroups.mkdir(slice, { enable: ["cpu", "memory", "pids"] });
  }

  /** The hooks cgroup file writes use (PIDs seen from the host). */
  hooks(viewer: PidNamespace = this.hostNs.pid): CgroupHooks {
    return {
      cpuChanged: () => this.scheduler.changed(),
      memoryLimitChanged: (cg) => this.enforceMemoryMax(cg),
      moveProcess: (pid, to) => this.moveProcess(viewer, pid, to),
      visiblePid: (hostPid) => viewer.pids.get(hostPid),
    };
  }

  private newTask(parent: Task | undefined, argv: readonly string[], cgroup: Cgroup, ns: NamespaceSet, env: Map<string, string>, cwd: string, uid: number, stdout: (t: string) => void, stderr: (t: string) => void): Task {
    const pid = this.nextPid++;
    for (let n: PidNamespace | undefined = ns.pid; n; n = n.parent) n.allocate(pid);
    const t = new Task(this, pid, parent, argv, cgroup, ns, env, cwd, uid, stdout, stderr, this.sim.event<ExitStatus>(`exit:${pid}`));
    this.tasks.set(pid, t);
    parent?.children.add(t);
    cgroup.procs.add(pid);
    for (const g of cgroup.lineage()) {
      g.pidsCurrent++;
      g.pidsPeak = Math.max(g.pidsPeak, g.pidsCurrent);
    }
    return t;
  }

  /** The first group in the lineage whose pids.max a new process would exceed. */
  private pidsLimitHit(cg: Cgroup): Cgroup | undefined {
    for (const g of cg.lineage()) if (!g.isRoot && g.controllers.has("pids") && g.pidsCurrent + 1 > g.pidsMax) return g;
    return undefined;
  }

  /** Resolve a command on PATH in a file system: the executable's path and program, or why not. */
  resolve(fs: ContainerFs, command: string, env: Map<string, string>, cwd: string): { path: string; program: Program; args: string[] } | Errno {
    const candidates = command.includes("/") ? [normalizePath(command, cwd)] : (env.get("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":").filter((d) => d !== "").map((d) => normalizePath(`${d}/${command}`));
    let sawDir = false;
    for (const path of candidates) {
      let content: Uint8Array;
      try {
        content = fs.read(path);
      } catch (e) {
        if (e instanceof FsError && e.errno === "EISDIR") sawDir = true;
        continue;
      }
      const name = programOf(content);
      if (name !== undefined) {
        const program = this.programs.get(name);
        if (program) return { path, program, args: [] };
        return "ENOENT";
      }
      const interp = shebang(content);
      if (interp !== undefined) {
        const r = this.resolve(fs, interp[0]!, env, cwd);
        if (typeof r === "string") return r;
        return { path: r.path, program: r.program, args: [...interp.slice(1), path] };
      }
      return "EACCES";
    }
    return sawDir ? "EACCES" : "ENOENT";
  }

  /** Start a process (fork + exec). Throws ContainerError EAGAIN at pids.max, ENOENT when the command is not found. */
  spawn(options: SpawnOptions): Task {
    const parent = options.parent ?? this.init;
    const cgroup = options.cgroup ?? parent.cgroup;
    const ns = options.ns ?? parent.ns;
    const env = options.env ?? new Map(parent.env);
    const cwd = options.cwd ?? parent.cwd;
    let program = options.program;
    let argv = options.argv;
    if (!program) {
      const r = this.resolve(ns.mnt.root, argv[0]!, env, cwd);
      if (typeof r === "string") throw new FsError(r, argv[0]!);
      program = r.program;
      // A script runs as its interpreter: argv becomes [interpreter, interpreter args…, script, args…].
      if (r.args.length > 0) argv = [r.path, ...r.args, ...argv.slice(1)];
    }
    const hit = this.pidsLimitHit(cgroup);
    if (hit) {
      hit.pidsEventsMax++;
      throw new FsError("EAGAIN", "fork");
    }
    const t = this.newTask(parent, argv, cgroup, ns, env, cwd, options.uid ?? parent.uid, options.stdout ?? parent.stdout, options.stderr ?? parent.stderr);
    this.start(t, program);
    return t;
  }

  /** Run a program in a task as an engine process; a kill ends it with the signal. */
  start(t: Task, program: Program): void {
    const kernel = this;
    const body = function* (): ProcessGenerator<ExitStatus> {
      try {
        const code = yield* program(kernel.sys(t));
        return { code: code & 0xff };
      } catch (e) {
        const killed = e instanceof Killed ? e : e instanceof Interrupt && e.cause instanceof Killed ? e.cause : undefined;
        if (killed) return kernel.handledExit(t, killed.signal) ?? { signal: killed.signal };
        throw e;
      }
    };
    t.state = "R";
    const proc = this.sim.process<ExitStatus>(body(), { name: `${t.argv[0]}[${t.pid}]` });
    t.proc = proc;
    proc.addCallback(() => {
      if (proc._ok) this.exit(t, proc._value as ExitStatus);
    });
  }

  private handledExit(t: Task, signal: number): ExitStatus | undefined {
    const code = t.handlers.get(signal);
    return code === undefined ? undefined : { code };
  }

  /** The system calls a task's program makes (syscalls.ts). */
  sys(t: Task): Sys {
    return makeSys(this, t);
  }

  /** A process ended: free its memory and PID, reparent its children, wake its waiters; a namespace's init takes the namespace with it. */
  exit(t: Task, status: ExitStatus): void {
    if (!t.alive) return;
    t.status = status;
    t.state = "Z";
    this.scheduler.cancel(t.pid);
    for (const c of t.cleanups) c();
    t.cleanups.clear();
    this.uncharge(t, t.rss);
    t.cgroup.procs.delete(t.pid);
    for (const g of t.cgroup.lineage()) g.pidsCurrent--;
    const reaper = this.reaperFor(t);
    for (const c of t.children) {
      c.parent = reaper;
      reaper?.children.add(c);
    }
    t.children.clear();
    if (t.nsPid === 1 && t.ns.pid !== this.hostNs.pid) {
      for (const other of [...this.tasks.values()]) if (other !== t && other.alive && t.ns.pid.contains(other.ns.pid)) this.kill(other, SIGNALS.SIGKILL, { force: true });
    }
    t.exited.succeed(status);
    if (!t.parent || !t.parent.alive || t.parent === this.init) this.reap(t);
  }

  private reaperFor(t: Task): Task | undefined {
    for (const other of this.tasks.values()) if (other.alive && other.ns.pid === t.ns.pid && other.nsPid === 1 && other !== t) return other;
    return this.init;
  }

  /** Remove a dead process from the process table. */
  reap(t: Task): void {
    t.waited = true;
    t.parent?.children.delete(t);
    this.tasks.delete(t.pid);
    for (let n: PidNamespace | undefined = t.ns.pid; n; n = n.parent) n.pids.delete(t.pid);
  }

  /**
   * Deliver a signal. SIGKILL always kills (the OOM killer, docker kill). Other signals run the program's
   * handler if it has one; without one they kill, except that a PID namespace's init ignores signals it does not
   * handle (only SIGKILL reaches it from outside, and nothing unhandled from inside).
   */
  kill(t: Task, signal: number, options: { force?: boolean } = {}): void {
    if (!t.alive) return;
    const handled = t.handlers.has(signal);
    const isNsInit = t.nsPid === 1 && t.ns.pid !== this.hostNs.pid;
    if (signal !== SIGNALS.SIGKILL && !handled && isNsInit && !options.force) return;
    this.scheduler.cancel(t.pid);
    for (const c of t.cleanups) c();
    t.cleanups.clear();
    const reason = new Killed(signal);
    if (t.proc && t.proc.isAlive && this.sim.activeProcess !== t.proc) t.proc.interrupt(reason);
    else if (t.proc && this.sim.activeProcess === t.proc) t.pendingKill = reason;
  }

  /** Move a process to another cgroup (a write to cgroup.procs), with the kernel's rules. */
  moveProcess(viewer: PidNamespace, pid: number, to: Cgroup): void {
    const t = [...this.tasks.values()].find((x) => x.alive && viewer.pids.get(x.pid) === pid);
    if (!t) throw new FsError("ESRCH", String(pid));
    if (!to.isRoot && to.subtreeControl.size > 0) throw new FsError("EBUSY", "cgroup.procs");
    // pids.max limits fork, not migration: the kernel lets a move exceed it.
    t.cgroup.procs.delete(t.pid);
    for (const g of t.cgroup.lineage()) {
      g.pidsCurrent--;
      g.memoryCurrent -= t.rss;
    }
    t.cgroup = to;
    to.procs.add(t.pid);
    for (const g of to.lineage()) {
      g.pidsCurrent++;
      g.memoryCurrent += t.rss;
      g.memoryPeak = Math.max(g.memoryPeak, g.memoryCurrent);
    }
    this.scheduler.changed();
  }

  /** Total bytes charged on the host. */
  get memoryInUse(): number {
    let n = this.memoryUsed;
    for (const t of this.tasks.values()) n += t.rss;
    return n;
  }

  /**
   * Charge `bytes` of new memory to a task. Resolves when the memory is there (after a memory.high penalty,
   * if any); fails with Killed if the OOM killer chose this task. Pages are charged whole.
   */
  charge(t: Task, bytes: number): SimEvent<void> {
    const ev = this.sim.event<void>(`alloc:${t.pid}`);
    const pages = Math.ceil(bytes / MEMORY_PAGE_SIZE);
    const amount = pages * MEMORY_PAGE_SIZE;
    for (;;) {
      if (!t.alive || t.pendingKill) {
        ev.fail(t.pendingKill ?? new Killed(SIGNALS.SIGKILL));
        return ev;
      }
      const over = this.memcgOverLimit(t.cgroup, amount);
      if (over) {
        this.memoryEvent(over, "max");
        this.memoryEvent(over, "oom");
        const victim = this.oomVictim(over.descendants());
        if (!victim) {
          ev.fail(new FsError("ENOMEM", "alloc"));
          return ev;
        }
        this.oomKill(victim, `memory cgroup out of memory`, over);
        continue;
      }
      if (this.memoryInUse + amount > this.spec.memoryBytes) {
        const victim = this.oomVictim(this.cgroups.root.descendants());
        if (!victim) {
          ev.fail(new FsError("ENOMEM", "alloc"));
          return ev;
        }
        this.oomKill(victim, "Out of memory", undefined);
        continue;
      }
      break;
    }
    t.rss += amount;
    let delay = 0;
    for (const g of t.cgroup.lineage()) {
      g.memoryCurrent += amount;
      g.memoryPeak = Math.max(g.memoryPeak, g.memoryCurrent);
      if (!g.isRoot && g.controllers.has("memory") && g.memoryCurrent > g.memoryHigh) {
        this.memoryEvent(g, "high");
        delay = Math.max(delay, memoryHighDelay(g.memoryCurrent, g.memoryHigh, pages));
      }
    }
    if (delay === 0) ev.succeed();
    else {
      const timer = this.sim.schedule(delay, () => {
        t.cleanups.delete(cancel);
        ev.succeed();
      }, { label: `memory.high:${t.pid}` });
      const cancel = () => timer.cancel();
      t.cleanups.add(cancel);
      t.throttledForMemory += delay;
    }
    return ev;
  }

  /** Give back memory. */
  uncharge(t: Task, bytes: number): void {
    const amount = Math.min(t.rss, Math.ceil(bytes / MEMORY_PAGE_SIZE) * MEMORY_PAGE_SIZE);
    t.rss -= amount;
    for (const g of t.cgroup.lineage()) g.memoryCurrent -= amount;
  }

  private memcgOverLimit(cg: Cgroup, amount: number): Cgroup | undefined {
    for (const g of cg.lineage()) if (!g.isRoot && g.controllers.has("memory") && g.memoryCurrent + amount > g.memoryMax) return g;
    return undefined;
  }

  /** Count a memory event in the group and its ancestors below the root, as memcg_memory_event does (memory.events is hierarchical). */
  private memoryEvent(g: Cgroup, event: "high" | "max" | "oom" | "oom_kill"): void {
    for (const a of g.lineage()) if (!a.isRoot) a.memoryEvents[event]++;
  }

  /** The process the OOM killer picks: the most memory (oom_badness ~ RSS), the youngest on a tie. */
  private oomVictim(groups: Iterable<Cgroup>): Task | undefined {
    let best: Task | undefined;
    for (const g of groups) {
      for (const pid of g.procs) {
        const t = this.tasks.get(pid);
        if (!t || !t.alive || t.rss === 0 || t === this.init) continue;
        if (!best || t.rss > best.rss || (t.rss === best.rss && t.pid > best.pid)) best = t;
      }
    }
    return best;
  }

  private oomKill(victim: Task, why: string, memcg: Cgroup | undefined): void {
    this.dmesg.push(`[${this.sim.now.toFixed(6)}] ${why}: Killed process ${victim.pid} (${victim.argv[0]?.split("/").pop()}) total-vm:${victim.rss / 1024}kB, anon-rss:${victim.rss / 1024}kB${memcg ? ` oom_memcg=${memcg.path}` : ""}`);
    this.memoryEvent(victim.cgroup, "oom_kill");
    // The OOM reaper frees the victim's memory at once.
    this.uncharge(victim, victim.rss);
    this.kill(victim, SIGNALS.SIGKILL, { force: true });
  }

  /** memory.max was written: if the usage is above it, kill in the group until it fits (memory_max_write). */
  enforceMemoryMax(cg: Cgroup): void {
    while (cg.memoryCurrent > cg.memoryMax) {
      this.memoryEvent(cg, "max");
      this.memoryEvent(cg, "oom");
      const victim = this.oomVictim(cg.descendants());
      if (!victim) return;
      this.oomKill(victim, "memory cgroup out of memory", cg);
    }
  }

  /** Write to a cgroup file from the host (as root on /sys/fs/cgroup). */
  writeCgroup(path: string, file: string, value: string): void {
    this.cgroups.get(path).write(file, value, this.hooks());
  }

  readCgroup(path: string, file: string): string {
    this.scheduler.sync();
    return this.cgroups.get(path).read(file, this.hooks());
  }

  /** Create fresh namespaces for a container (those not given are new). */
  newNamespaces(options: { fs: ContainerFs; hostname: string; net?: NetNamespace; userMap?: UserNamespace["uidMap"]; cgroupRoot: Cgroup; shareIpc?: IpcNamespace; pid?: PidNamespace; cgroupWritable?: boolean }): NamespaceSet {
    const user = options.userMap ? new UserNamespace(this.inodes.allocate(), options.userMap, this.hostNs.user) : this.hostNs.user;
    return {
      pid: options.pid ?? new PidNamespace(this.inodes.allocate(), this.hostNs.pid),
      net: options.net ?? new NetNamespace(this.inodes.allocate()),
      mnt: new MntNamespace(this.inodes.allocate(), options.fs, !options.cgroupWritable),
      uts: new UtsNamespace(this.inodes.allocate(), options.hostname),
      ipc: options.shareIpc ?? new IpcNamespace(this.inodes.allocate()),
      user,
      cgroup: new CgroupNamespace(this.inodes.allocate(), options.cgroupRoot),
    };
  }

  /** Run the simulation until `time` (absolute seconds), or until nothing is left to do. */
  runUntil(time: number): void {
    if (time > this.sim.now) this.sim.run(time);
  }

  /** A task by host PID, or a ContainerError. */
  task(pid: number): Task {
    const t = this.tasks.get(pid);
    if (!t) throw new ContainerError("KERNEL_NO_SUCH_PROCESS", `no process with PID ${pid}`);
    return t;
  }
}
