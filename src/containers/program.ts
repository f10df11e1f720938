// What a simulated program is and what it may ask of the kernel: the system-call surface programs are written against.
import type { ProcessGenerator, SimEvent, Simulation } from "../sim/index.js";
import type { ContainerFs } from "./container-fs.js";
import type { Errno } from "./fs-error.js";
import type { HttpRequest, HttpResponse } from "./namespaces.js";

/** How a process ended: an exit code, or the signal that killed it. */
export type ExitStatus = { readonly code: number; readonly signal?: undefined } | { readonly signal: number; readonly code?: undefined };

export const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGALRM: 14, SIGTERM: 15 } as const;
export type SignalName = keyof typeof SIGNALS;

/** The shell's view of an exit status: the code, or 128 + the signal. */
export function exitCodeOf(s: ExitStatus): number {
  return s.signal !== undefined ? 128 + s.signal : s.code;
}

/** A process as programs see it (their own and their children). */
export interface ProcessHandle {
  /** PID as the caller's PID namespace numbers it. */
  readonly pid: number;
  readonly exited: SimEvent<ExitStatus>;
}

/** The result of an HTTP request made by a program (curl, wget). */
export type HttpResult =
  | { readonly ok: true; readonly response: HttpResponse; readonly servedBy: string }
  | { readonly ok: false; readonly error: "resolve" | "refused" | "unreachable"; readonly message: string };

/** The system calls a program makes. Everything returns data or an event; nothing blocks the host. */
export interface Sys {
  readonly sim: Simulation;
  readonly argv: readonly string[];
  readonly env: Map<string, string>;
  cwd: string;
  /** This process's PID in its own namespace. */
  readonly pid: number;
  readonly uid: number;
  readonly hostname: string;
  /** The process's root file system (its mount namespace). */
  readonly fs: ContainerFs;

  /** Write to standard output / error. */
  out(text: string): void;
  err(text: string): void;

  /** Sleep for simulated seconds. */
  sleep(seconds: number): SimEvent<unknown>;
  /** Use `seconds` of CPU time on one thread (it takes longer when CPUs are shared or the group is capped). */
  compute(seconds: number): SimEvent<void>;
  /** Touch `bytes` of new anonymous memory: charged to the cgroup; may be throttled (memory.high) or OOM-killed (memory.max). */
  alloc(bytes: number): SimEvent<void>;
  free(bytes: number): void;
  /** Bytes of memory this process holds. */
  readonly rss: number;

  /** fork + exec: start a child running `argv` (resolved on PATH); EAGAIN when pids.max is reached, ENOENT when not found. */
  spawn(argv: readonly string[], options?: { env?: Map<string, string>; cwd?: string; capture?: (text: string) => void; captureErr?: (text: string) => void }): ProcessHandle | Errno;
  /** fork without exec: a child running `program` (a copy of this program's code, as stress forks its workers). */
  fork(program: Program, argv?: readonly string[]): ProcessHandle | Errno;
  /** Replace this process's program (exec): resolves to its exit status when the new program finishes. */
  exec(argv: readonly string[]): ProcessGenerator<number> | Errno;
  /** Wait for a child (any when omitted) to exit, reaping it. */
  wait(child?: ProcessHandle): SimEvent<{ pid: number; status: ExitStatus }>;
  /** Send a signal to a process in this PID namespace; ESRCH when there is none. */
  kill(pid: number, signal: number): Errno | undefined;
  /** Handle a signal: the process exits with `code` when it arrives (nginx on SIGQUIT/SIGTERM). */
  onSignal(signal: number, code: number): void;

  /** Files through the process's view: its root file system plus /proc and /sys/fs/cgroup. */
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: string | Uint8Array, append?: boolean): void;
  listDir(path: string): string[];
  /** mkdir through the view (under /sys/fs/cgroup it makes a cgroup, where that is writable). */
  mkdir(path: string, parents: boolean): void;
  readlink(path: string): string;
  /** PIDs in this PID namespace, with their command lines, for ps. */
  processes(): { pid: number; ppid: number; user: string; argv: readonly string[]; state: string; rss: number; cpuTime: number }[];

  /** Listen on a TCP port of this network namespace; EADDRINUSE when taken. */
  listen(port: number, handle: (request: HttpRequest) => HttpResponse): Errno | "EADDRINUSE" | undefined;
  /** Make an HTTP request from this network namespace. */
  http(host: string, port: number, request: HttpRequest): HttpResult;
  /** Resolve a name from this network namespace (embedded DNS on user-defined networks, /etc/hosts). */
  resolve(name: string): string | undefined;
  /** The addresses of this network namespace's interfaces. */
  interfaces(): { name: string; address: string; prefix: number; mac?: string }[];
}

/** A program: a generator that makes system calls and returns its exit code. */
export type Program = (sys: Sys) => ProcessGenerator<number>;

/** Programs by the name their executable carries (see executable.ts). */
export type ProgramRegistry = ReadonlyMap<string, Program>;
