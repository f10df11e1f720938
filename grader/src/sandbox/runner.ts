// The grader's side of the sandbox: start a locked-down child per submission, time every case from outside, turn every death into a result.
//
// One child runs all of a submission's cases (process start is the dominant cost). The child reports
// "case-start" before each case; if the result does not arrive within `caseSeconds`, the parent kills
// the child, records "timeout" for that case and starts a fresh child for the cases after it. A child
// that dies mid-case (heap limit, resident memory over the cap, a crash) costs only that case. A
// submission that cannot load fails every case at once, without respawning for each.
//
// Results come only over the IPC channel; stdout and stderr are drained into small capped buffers and
// read only to tell an out-of-memory death from another crash.
import { spawn as spawnProcess, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import type { SandboxCaseResult, SandboxRequest } from "../contract.js";
import { GraderError } from "../errors.js";
import { CpuDeadline, procCpuSeconds } from "./cpu-clock.js";
import { childFlags, isShortRun } from "./node-flags.js";
import { childScript, packageRoot } from "./paths.js";
import { graderCacheDir } from "../paths.js";
import { createProbeCache, type ProbeAnswer, type ProbeCache } from "./probe-cache.js";
import { ChildPool, DEFAULT_POOL_SUBMISSIONS, type Lease, type PoolOptions } from "./pool.js";
import { capText, DEFAULT_OUTPUT_BYTES, isChildMessage, MESSAGES, TITLE_PREFIX, type FailureStatus, type RunMessage, type WireCase } from "./protocol.js";

export type { SandboxCaseResult, SandboxRequest };
export type { PoolOptions };

/** How a child process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A started sandbox child, as the runner needs it (the real one wraps node:child_process; tests pass fakes). */
export interface SandboxChild {
  readonly pid: number | undefined;
  send(message: RunMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  onOutput(listener: (stream: "stdout" | "stderr", chunk: string) => void): void;
  /** Settles once the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  /** SIGKILL: nothing in the child gets a say. */
  kill(): void;
}

/** Start `command args` with an IPC channel, an empty environment and `cwd`. */
export type SpawnChild = (command: string, args: readonly string[], options: { readonly cwd: string }) => SandboxChild;

export interface SandboxDeps {
  readonly spawn?: SpawnChild;
  /** The vmlab package root (default: found from this module). */
  readonly root?: string;
  /** The built child script (default: dist/grader/src/sandbox/child.js under root). */
  readonly childScript?: string;
  /** Resident memory of a process in bytes, or undefined where it cannot be measured (default: /proc on Linux). */
  readonly residentBytes?: (pid: number) => number | undefined;
  /**
   * CPU seconds a process has used (all its threads), or undefined where it cannot be measured (default:
   * /proc on Linux). Time limits count the child's own CPU time where this answers, so a grader that
   * stalls or a loaded machine is never charged to the student; elsewhere they count wall time.
   */
  readonly cpuSeconds?: (pid: number) => number | undefined;
  /** Version of a Node binary (default: `node --version`; the running binary answers for itself). */
  readonly nodeVersion?: (node: string) => Promise<string>;
  /**
   * The handler a child's process title names (protocol.ts TITLE_PREFIX), read when a case is stopped, or
   * undefined. Given (default: /proc/PID/cmdline, for real children on Linux), children announce handlers
   * in their title instead of a message per handler call.
   */
  readonly runningName?: (pid: number) => string | undefined;
  /** How often the memory watchdog looks, in ms (default 50). */
  readonly watchMs?: number;
  /** Seconds a child may take to start before it is declared broken (default 15). */
  readonly startSeconds?: number;
  /**
   * Start the child in its own empty network namespace (`unshare -rn`: no interface but a downed
   * loopback) where the OS allows it. `"auto"` (default) probes once whether `unshare` works here.
   */
  readonly isolateNetwork?: boolean | "auto";
  /**
   * Bind the child's life to the grader's (`setpriv --pdeathsig KILL`: the kernel kills the child when the
   * grader dies, however it dies) and cap its CPU time (`prlimit --cpu`: a looping child that outlives its
   * parent still stops), where util-linux has these commands. `"auto"` (default) probes once.
   */
  readonly bindLifetime?: boolean | "auto";
  /**
   * Where the `"auto"` probes' answers are remembered (default: the grader cache's probes/ folder under
   * root, probe-cache.ts). A child that fails to start on a remembered answer has both probes asked afresh.
   */
  readonly probes?: ProbeCache;
  /** Seconds beyond six times a phase's CPU limit before a child that uses no CPU is stopped (default 10). */
  readonly wallExtraSeconds?: number;
  /**
   * Keep children between submissions (pool.ts): each child then grades up to `submissions` submissions,
   * one at a time, each in a fresh Compartment with fresh machines. Absent: one child per submission.
   */
  readonly pool?: PoolOptions;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Called with each case's result as soon as it is known (a platform writes partial results from it). */
  readonly onResult?: (result: SandboxCaseResult) => void;
  /** The Node binary for the child (default: the one running the grader). */
  readonly node?: string;
}

/** Resident memory above the heap cap that the child may use (code, SES, the monitor, buffers). */
const RSS_HEADROOM_MB = 192;
/** Messages kept from a child nobody listens to (a child started early sends one, "ready"). */
const UNHEARD_LIMIT = 4;

/** What a child is started for, of a request: everything but the JavaScript and the cases' inputs (its flags and CPU cap come from these). */
function requestShape(request: SandboxRequest): string {
  return JSON.stringify({ ...request, js: undefined, cases: request.cases.map((c) => [c.id, c.seconds]) });
}

/** Seconds a child that has reported everything gets to exit before it is killed. */
const EXIT_GRACE_SECONDS = 2;
/** Resident memory at a time-out, as a share of the heap cap, from which the time-out is reported as memory (a heap that thrashes). */
const THRASH_SHARE = 0.9;
/** Bytes of each child stream kept for diagnosis. */
const KEEP_STREAM_BYTES = 16 * 1024;

/** Text in a dying child's stderr that means V8 ran out of heap. */
const OOM_PATTERN = /heap out of memory|Reached heap limit|Allocation failed|out of memory|invalid array length Allocation/i;

/** The sandbox runner with the given collaborators; `runInSandbox` uses the defaults. */
export function createSandbox(deps: SandboxDeps = {}) {
  const spawn = deps.spawn ?? createNodeSpawner();
  const root = deps.root ?? packageRoot();
  const script = deps.childScript ?? childScript(root);
  const residentBytes = deps.residentBytes ?? procResidentBytes;
  const cpuOf = deps.cpuSeconds ?? procCpuSeconds;
  const versionOf = deps.nodeVersion ?? nodeVersion;
  const watchMs = deps.watchMs ?? 50;
  const runningName = deps.runningName ?? (!deps.spawn && process.platform === "linux" ? procRunningName : undefined);
  const startSeconds = deps.startSeconds ?? 15;
  const versions = new Map<string, Promise<string>>();
  let offline: Promise<ProbeAnswer> | undefined;
  let bound: Promise<ProbeAnswer> | undefined;
  const isolate = deps.isolateNetwork ?? "auto";
  const bind = deps.bindLifetime ?? "auto";
  const probes = deps.probes ?? createProbeCache(graderCacheDir(root, "probes"));
  const given = (available: boolean): Promise<ProbeAnswer> => Promise.resolve({ available, cached: false });
  const probeOffline = (node: string, fresh: boolean) => (isolate === "auto" ? probes.check("unshare-rn", ["unshare", node], () => canUnshareNetwork(node), { fresh }) : given(isolate));
  const probeBound = (fresh: boolean) => (bind === "auto" ? probes.check("setpriv-prlimit", ["setpriv", "prlimit", "true"], canBindLifetime, { fresh }) : given(bind));
  /**
   * After a child failed to start: when either probe's answer came from the disk, ask both afresh (which
   * rewrites their entries); true when an answer changed, so a child started now is started differently.
   */
  let reprobed = false;
  async function reprobe(node: string): Promise<boolean> {
    if (reprobed || !offline || !bound) return false;
    const [o, b] = [await offline, await bound];
    if (!o.cached && !b.cached) return false;
    reprobed = true;
    offline = probeOffline(node, true);
    bound = probeBound(true);
    return (await offline).available !== o.available || (await bound).available !== b.available;
  }
  if (!deps.spawn && !existsSync(script)) {
    throw new GraderError("GRADE_SANDBOX_MISSING", `the sandbox child ${script} does not exist`, { hint: "run `npm run build` (tsc compiles grader/src into dist/)" });
  }

  /** Start a child for requests like this one, with a CPU cap for `sessions` sessions of it (plus `extraSeconds`). */
  async function startChild(request: SandboxRequest, node: string, sessions: number, extraSeconds: number): Promise<Lease> {
    let version = versions.get(node);
    if (!version) versions.set(node, (version = versionOf(node)));
    // The harness after the script: the child loads that one's monitor and no other's (children.ts).
    const flags = [...childFlags({ version: await version, root, memoryMb: request.limits.memoryMb, short: isShortRun(request.cases, sessions) }), script, request.harness];
    offline ??= probeOffline(node, false);
    bound ??= probeBound(false);
    const isolated = (await offline).available;
    const lifetime = (await bound).available;
    const cpuSeconds = Math.ceil(sessions * sessionCpuBudget(request, request.cases, startSeconds) + extraSeconds);
    const [command, args] = childCommand(node, flags, { isolated, lifetime, cpuSeconds });
    return wrapChild(spawn(command, args, { cwd: root }), request.harness, cpuSeconds);
  }

  const pool = deps.pool
    ? new ChildPool({
        options: deps.pool,
        start: (request, node, extraSeconds) => startChild(request, node, deps.pool!.submissions ?? DEFAULT_POOL_SUBMISSIONS, extraSeconds),
        session: (request, lease) => runSession(request, request.cases, lease, undefined, true),
        budget: (request) => sessionCpuBudget(request, request.cases, startSeconds),
        residentBytes: (pid) => residentBytes(pid),
      })
    : undefined;

  /** One-session children started before their requests' JavaScript was known (`prepare`), each for the run of a request shaped like its own. */
  const early: { readonly shape: string; readonly node: string; readonly lease: Promise<Lease> }[] = [];
  /** An early child started for a request like this one, taken out of the list; none if there is none. */
  function takeEarly(request: SandboxRequest, node: string): Promise<Lease> | undefined {
    const shape = requestShape(request);
    const at = early.findIndex((e) => e.shape === shape && e.node === node);
    return at < 0 ? undefined : early.splice(at, 1)[0]!.lease;
  }

  /**
   * Start the child for a request like `request` now (its JavaScript may still be compiling), so that it
   * starts while the submission is type-checked; a pooled sandbox has its own children and starts none.
   * The answer lets the child go: call it once the run is over, and an early child nobody took is killed.
   */
  function prepare(request: SandboxRequest, node: string = process.execPath): () => void {
    if (pool) return () => undefined;
    const lease = startChild(request, node, 1, 0);
    lease.catch(() => undefined); // a start that failed is reported by the run that takes it
    const mine = { shape: requestShape(request), node, lease };
    early.push(mine);
    return () => {
      const at = early.indexOf(mine);
      if (at < 0) return; // taken by a run
      early.splice(at, 1);
      void lease.then((l) => l.child.kill(), () => undefined);
    };
  }

  async function run(request: SandboxRequest, options: RunOptions = {}): Promise<SandboxCaseResult[]> {
    const { signal } = options;
    signal?.throwIfAborted();
    const node = options.node ?? process.execPath;
    let prepared = pool ? undefined : takeEarly(request, node);
    const results = new Map<string, SandboxCaseResult>();
    const settle = (r: SandboxCaseResult): void => {
      results.set(r.id, r);
      options.onResult?.(r);
    };
    /** Cases (or "load") whose time-out may not be the student's doing, already given a second run. */
    const retried = new Set<string>();
    let pending: readonly WireCase[] = request.cases;
    while (pending.length > 0) {
      signal?.throwIfAborted();
      // Pooled: a kept child (warm, idle) when one can take the whole rest of the request; else a fresh one.
      const needed = sessionCpuBudget(request, pending, startSeconds);
      const lease = pool ? await pool.acquire(request, node, needed) : await (prepared ?? startChild({ ...request, cases: pending }, node, 1, 0));
      prepared = undefined;
      let session: Awaited<ReturnType<typeof runSession>>;
      try {
        session = await runSession(request, pending, lease, signal, pool !== undefined, settle);
      } catch (e) {
        pool?.release(lease, false); // aborted: the child was killed
        throw e;
      }
      lease.budgetLeft -= needed;
      if (pool) pool.release(lease, session.reusable && !session.failure && session.results.every((r) => r.status === "ok"));
      const left = pending.filter((c) => !results.has(c.id));
      if (session.failure?.starting && (await reprobe(node))) {
        // A remembered probe answer no longer holds here (probe-cache.ts): start again on the fresh answers.
      } else if (session.failure?.suspect && !retried.has(session.failure.caseId ?? "load")) {
        // A time-out that wall time decided (no CPU clock here, or a child that used almost no CPU): maybe the
        // machine, not the student. Run it once more in a fresh child; the second verdict stands.
        retried.add(session.failure.caseId ?? "load");
      } else if (session.failure) {
        const f = session.failure;
        if (f.allCases) for (const c of left) settle({ id: c.id, status: f.status, message: f.message(c.id) });
        else {
          const victim = f.caseId ?? left[0]?.id;
          if (victim !== undefined && !results.has(victim)) settle({ id: victim, status: f.status, message: f.message(victim) });
        }
      } else if (left.length > 0 && left.length === pending.length) {
        // A child that ended cleanly without grading anything would loop forever: fail the next case.
        settle({ id: left[0]!.id, status: "crashed", message: MESSAGES.crashed(left[0]!.id, "it ended without grading the case") });
      }
      pending = pending.filter((c) => !results.has(c.id));
    }
    return request.cases.map((c) => results.get(c.id)!);
  }

  interface SessionFailure {
    readonly status: FailureStatus;
    /** True: the submission itself failed (did not load): every remaining case gets this. */
    readonly allCases: boolean;
    /** The case that was running, when one was. */
    readonly caseId?: string | undefined;
    /** A time-out decided by wall time: graded again once before it counts. */
    readonly suspect?: boolean;
    /** The child died before it was ready (it may have been started the wrong way: see reprobe). */
    readonly starting?: boolean;
    readonly message: (id: string) => string;
  }

  /**
   * One session of a child: the run message, then each case. `stay`: the child is kept after the session
   * (pooled), so "done" ends the session instead of the child's exit; `reusable` then says whether it ended cleanly.
   */
  function runSession(request: SandboxRequest, cases: readonly WireCase[], lease: Lease, signal: AbortSignal | undefined, stay: boolean, onCase?: (r: SandboxCaseResult) => void) {
    return new Promise<{ results: SandboxCaseResult[]; failure?: SessionFailure; reusable: boolean }>((resolve, reject) => {
      const { caseSeconds, memoryMb } = request.limits;
      const outputBytes = request.limits.outputBytes ?? DEFAULT_OUTPUT_BYTES;
      const results: SandboxCaseResult[] = [];
      const child = lease.child;
      let phase: "starting" | "loading" | "between" | "case" | "done" = lease.ready ? "loading" : "starting";
      let currentCase: string | undefined;
      let verdict: "timeout" | "memory" | "protocol" | undefined;
      let stderr = "";
      let waited = false;
      let peakRss = 0;
      const kill = (why: typeof verdict) => {
        // A case stopped for time: which handler it was in, from the child's title, before the child is gone.
        if (why === "timeout" && verdict === undefined && phase === "case" && runningName && child.pid !== undefined) {
          const name = runningName(child.pid);
          if (name !== undefined) lastHandler = capText(name, 40);
        }
        verdict ??= why;
        child.kill();
      };
      // Each phase is timed in the child's own CPU seconds (cpu-clock.ts): the grader's stalls are not the child's.
      const deadline = new CpuDeadline(
        () => (child.pid === undefined ? undefined : cpuOf(child.pid)),
        (why) => {
          waited = why === "wall";
          kill("timeout");
        },
        deps.wallExtraSeconds,
      );
      const arm = (seconds: number) => {
        peakRss = 0;
        deadline.start(seconds);
      };
      const limitOf = (id: string): number => cases.find((c) => c.id === id)?.seconds ?? caseSeconds;
      let lastHandler: string | undefined;
      const sendRun = () => {
        const run: RunMessage = {
          type: "run", harness: request.harness, entry: request.entry, exportName: request.exportName, js: request.js,
          cases, outputBytes, ...(request.cost ? { cost: request.cost } : {}), ...(request.engine ? { engine: request.engine } : {}), ...(stay ? { stay: true } : {}), ...(runningName ? { announce: "title" as const } : {}),
        };
        child.send(run);
      };
      let settled = false;
      /** End the session (once): stop watching, let go of the child's events, answer. */
      const settle = (outcome: { results: SandboxCaseResult[]; failure?: SessionFailure; reusable: boolean } | { error: unknown }) => {
        if (settled) return;
        settled = true;
        deadline.stop();
        clearInterval(watchdog);
        signal?.removeEventListener("abort", onAbort);
        lease.listen(undefined);
        if ("error" in outcome) reject(outcome.error);
        else resolve(outcome);
      };
      if (phase === "loading") {
        arm(caseSeconds);
        sendRun();
      } else arm(startSeconds);
      const watchdog = setInterval(() => {
        const rss = child.pid === undefined ? undefined : residentBytes(child.pid);
        if (rss !== undefined) peakRss = Math.max(peakRss, rss);
        if (rss !== undefined && rss > (memoryMb + RSS_HEADROOM_MB) * 1024 * 1024) kill("memory");
      }, watchMs);
      const onAbort = () => kill("protocol");
      signal?.addEventListener("abort", onAbort, { once: true });

      const onOutput = (stream: "stdout" | "stderr", chunk: string) => {
        if (stream === "stderr") {
          stderr = (stderr + chunk).slice(-KEEP_STREAM_BYTES);
        } // stdout: drained and dropped; nothing in the child writes results there
      };
      const onMessage = (message: unknown) => {
        if (!isChildMessage(message)) return kill("protocol");
        switch (message.type) {
          case "ready": {
            if (phase !== "starting") return kill("protocol");
            if (!message.confined) {
              notConfined = true;
              return kill("protocol");
            }
            lease.ready = true;
            phase = "loading";
            arm(caseSeconds);
            sendRun();
            return;
          }
          case "loaded":
            if (phase !== "loading") return kill("protocol");
            phase = "between";
            arm(caseSeconds);
            return;
          case "load-failed":
            loadFailure = { status: message.status, allCases: true, message: () => message.message };
            phase = "done";
            if (stay) return settle({ results, failure: loadFailure, reusable: false });
            arm(EXIT_GRACE_SECONDS); // everything is known; a child that does not exit now is killed
            return;
          case "handler":
            if (phase !== "case") return kill("protocol");
            lastHandler = capText(message.name, 40);
            return;
          case "case-start":
            if (phase !== "between") return kill("protocol");
            phase = "case";
            currentCase = message.id;
            lastHandler = undefined;
            arm(limitOf(message.id));
            return;
          case "case-result":
            if (phase !== "case" || message.result.id !== currentCase) return kill("protocol");
            results.push(sanitize(message.result));
            onCase?.(results[results.length - 1]!);
            phase = "between";
            currentCase = undefined;
            arm(caseSeconds);
            return;
          case "done":
            phase = "done";
            if (stay) return settle({ results, reusable: true });
            arm(EXIT_GRACE_SECONDS);
            return;
        }
      };
      let loadFailure: SessionFailure | undefined;
      let notConfined = false;

      const onExit = (exit: ChildExit) => {
        if (signal?.aborted) return settle({ error: signal.reason });
        if (loadFailure) return settle({ results, failure: loadFailure, reusable: false });
        if (notConfined) return settle({ results, failure: { status: "crashed", allCases: true, message: () => MESSAGES.startFailed(MESSAGES.notConfined()) }, reusable: false });
        if (phase === "done") return settle({ results, reusable: false });
        const thrashed = verdict === "timeout" && peakRss >= THRASH_SHARE * memoryMb * 1024 * 1024;
        settle({ results, reusable: false, failure: describeDeath(phase, currentCase, thrashed ? "memory" : verdict, exit, stderr, request, { waited, measured: deadline.measured, limit: deadline.seconds, ...(lastHandler ? { handler: lastHandler } : {}) }) });
      };
      lease.listen({ message: onMessage, output: onOutput, exit: onExit });
    });
  }

  return {
    run,
    /**
     * Start `count` pooled children ahead of time, each warmed by grading `warm` (trusted code: the reference
     * solution on public cases; results dropped), capped for requests like `like`. No pool: nothing.
     */
    prestart: (count: number, warm: SandboxRequest, like?: SandboxRequest, node: string = process.execPath) => pool?.prestart(count, warm, like, node),
    prepare,
    /** End the kept children. */
    close: () => pool?.close() ?? Promise.resolve(),
  };
}

/**
 * A started child with one listener slot for its events: a kept child serves session after session, each
 * listening in turn. An exit while nobody listens (an idle kept child) is remembered for the pool.
 */
function wrapChild(child: SandboxChild, harness: string, cpuSeconds: number): Lease {
  let current: { message(m: unknown): void; output(stream: "stdout" | "stderr", chunk: string): void; exit(e: ChildExit): void } | undefined;
  /** Messages that came while nobody listened (a child started early says "ready" before its session): the next listener hears them first. */
  const unheard: unknown[] = [];
  const lease: Lease = {
    child, harness, ready: false, served: 0, budgetLeft: cpuSeconds, dead: false, idleRss: undefined,
    listen: (l) => {
      current = l;
      if (l) for (const m of unheard.splice(0)) l.message(m);
      if (l && lease.dead) void child.exited.then((e) => l.exit(e)); // died before this session listened
    },
  };
  child.onMessage((m) => {
    if (current) current.message(m);
    else if (unheard.push(m) > UNHEARD_LIMIT) child.kill(); // an idle child has nothing to say: one that keeps talking is not kept
  });
  child.onOutput((stream, chunk) => current?.output(stream, chunk));
  void child.exited.then((e) => {
    lease.dead = true;
    current?.exit(e);
  });
  return lease;
}

/** What a child's death means for the student, in plain words. */
function describeDeath(
  phase: "starting" | "loading" | "between" | "case",
  caseId: string | undefined,
  verdict: "timeout" | "memory" | "protocol" | undefined,
  exit: ChildExit,
  stderr: string,
  request: SandboxRequest,
  timing: { readonly waited: boolean; readonly measured: boolean; readonly limit: number; readonly handler?: string },
) {
  const { memoryMb } = request.limits;
  // The kernel's CPU-time cap (prlimit) ends a child that outruns every per-case timer with SIGXCPU or SIGKILL.
  const timedOut = verdict === "timeout" || (verdict === undefined && exit.signal === "SIGXCPU");
  const outOfMemory = !timedOut && (verdict === "memory" || (verdict === undefined && OOM_PATTERN.test(stderr)));
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  const seconds = timing.limit;
  const suspect = timedOut && (timing.waited || !timing.measured);
  if (phase === "starting") {
    const detail = timedOut ? "it did not start in time" : `${how}${stderr ? `: ${capText(lastLine(stderr), 200)}` : ""}`;
    return { status: "crashed" as const, allCases: true, starting: true, message: () => MESSAGES.startFailed(detail) };
  }
  if (phase === "loading") {
    if (timedOut) return { status: "timeout" as const, allCases: true, suspect, message: () => (timing.waited ? MESSAGES.waited(request.entry, seconds) : MESSAGES.loadTimeout(request.entry, seconds)) };
    if (outOfMemory) return { status: "memory" as const, allCases: true, message: () => MESSAGES.loadMemory(request.entry, memoryMb) };
    return { status: "load-error" as const, allCases: true, message: () => `Loading ${request.entry} stopped the sandbox process (${how}).` };
  }
  const at = phase === "case" ? caseId : undefined;
  if (timedOut) return { status: "timeout" as const, allCases: false, caseId: at, suspect, message: (id: string) => (timing.waited ? MESSAGES.waited(`case ${id}`, seconds) : MESSAGES.timeout(id, seconds, timing.handler, request.runaway)) };
  if (outOfMemory) return { status: "memory" as const, allCases: false, caseId: at, message: (id: string) => MESSAGES.memory(id, memoryMb) };
  return { status: "crashed" as const, allCases: false, caseId: at, message: (id: string) => MESSAGES.crashed(id, how) };
}

/** The CPU seconds one child may use in all, for the kernel's cap: start, load, every case, and slack. */
export function sessionCpuBudget(request: SandboxRequest, cases: readonly WireCase[], startSeconds: number): number {
  const perCase = cases.reduce((sum, c) => sum + (c.seconds ?? request.limits.caseSeconds), 0);
  return Math.ceil(startSeconds + request.limits.caseSeconds + perCase + EXIT_GRACE_SECONDS + 5);
}

/**
 * The command that starts a child: `node FLAGS child.js`, inside an empty network namespace when
 * `isolated`, with its life bound to the grader's and its CPU time capped when `lifetime`.
 * setpriv comes after unshare: entering a new user namespace resets the parent-death signal.
 */
export function childCommand(node: string, flags: readonly string[], options: { isolated: boolean; lifetime: boolean; cpuSeconds: number }): [string, string[]] {
  const chain: string[] = [];
  if (options.isolated) chain.push("unshare", "-rn");
  if (options.lifetime) chain.push("setpriv", "--pdeathsig", "KILL", "prlimit", `--cpu=${options.cpuSeconds}:${options.cpuSeconds + 1}`, "--");
  chain.push(node, ...flags);
  return [chain[0]!, chain.slice(1)];
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

/** Copy a result from the child, keeping only the fields of the contract (the child is trusted, its strings come from students). */
function sanitize(r: SandboxCaseResult): SandboxCaseResult {
  if (r.status === "ok") {
    const num = (v: unknown) => (typeof v === "number" ? v : Number.NaN);
    return {
      id: String(r.id), status: "ok", equivalent: r.equivalent === true,
      ...(r.divergence
        ? { divergence: {
            message: capText(String(r.divergence.message), 4000),
            ...(typeof r.divergence.pc === "number" ? { pc: r.divergence.pc } : {}),
            ...(typeof r.divergence.disassembly === "string" ? { disassembly: capText(r.divergence.disassembly, 400) } : {}),
            ...(typeof r.divergence.instruction === "number" ? { instruction: r.divergence.instruction } : {}),
          } }
        : {}),
      cost: num(r.cost), ...(r.baseline === undefined ? {} : { baseline: num(r.baseline) }),
      counters: typeof r.counters === "object" && r.counters !== null ? r.counters : {},
      ...(r.metrics ? { metrics: numbersOf(r.metrics) } : {}),
    };
  }
  const statuses: readonly FailureStatus[] = ["timeout", "crashed", "memory", "output", "load-error", "handler-error", "missing-export"];
  const status = statuses.includes(r.status) ? r.status : "crashed";
  return { id: String(r.id), status, message: capText(String(r.message), 2000) };
}

/** A metrics map as plain data: finite numbers under capped names, nothing else. */
function numbersOf(metrics: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof metrics !== "object" || metrics === null) return out;
  for (const [k, v] of Object.entries(metrics).slice(0, 64)) if (typeof v === "number" && Number.isFinite(v)) out[capText(k, 64)] = v;
  return out;
}

/**
 * The child's whole environment, glibc's allocator settings:
 * - keep freed memory for reuse (allocations under 32 MiB from its heap, which it trims only past 64 MiB
 *   free). Every case builds machines whose memories (1 MiB and more each) would otherwise be fresh
 *   mappings, and comparing or writing them faults in every page again: about a tenth of the child's CPU
 *   time for lab 01's suite.
 * - ask for transparent huge pages where the system gives them on request (`madvise` mode, glibc 2.35 and
 *   later): a machine memory then faults in 2 MiB at a time instead of 4 KiB. A page fault is a costly
 *   trap on a virtual machine; lab 01's child faulted about a third fewer pages and spent about 0.09
 *   CPU-seconds less (0.76 -> 0.67, medians of 10 alternating grades).
 * Other allocators, and glibc without these tunables, ignore the names.
 */
export const CHILD_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(64 << 20), GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" };

/**
 * The real spawner: node:child_process with an IPC channel (JSON), no stdin, nothing in the environment but
 * CHILD_ENV, output streamed (never buffered whole). Not execa: loading it costs the grader about 0.15
 * CPU-seconds a process, and a spawn through it more than a direct one. Children still running when the
 * grader exits are killed (they also leave by themselves when the IPC channel closes, and the kernel
 * kills them where setpriv bound their life to the grader's).
 */
export function createNodeSpawner(): SpawnChild {
  const live = new Set<ChildProcess>();
  const killAll = () => {
    for (const c of live) c.kill("SIGKILL");
  };
  return (command, args, { cwd }) => {
    const subprocess = spawnProcess(command, args, { cwd, stdio: ["ignore", "pipe", "pipe", "ipc"], serialization: "json", env: { ...CHILD_ENV } });
    if (live.size === 0) process.on("exit", killAll);
    live.add(subprocess);
    subprocess.stdout?.setEncoding("utf8");
    subprocess.stderr?.setEncoding("utf8");
    // "close" comes after the output streams have ended, so a death's last words are read before it is
    // judged; a command that cannot start at all (an "error" and no process) ends the same way.
    const exited = new Promise<ChildExit>((resolve) => {
      subprocess.once("close", (code, signal) => resolve({ code: code ?? null, signal: signal ?? null }));
      subprocess.once("error", () => {
        if (subprocess.pid === undefined) resolve({ code: null, signal: null });
      });
    });
    void exited.then(() => {
      live.delete(subprocess);
      if (live.size === 0) process.off("exit", killAll);
    });
    subprocess.on("error", () => undefined); // a message to a child that has gone: its exit says what happened
    return {
      pid: subprocess.pid,
      send: (message) => {
        if (subprocess.connected) subprocess.send(message, () => undefined);
      },
      onMessage: (listener) => {
        subprocess.on("message", listener);
      },
      onOutput: (listener) => {
        subprocess.stdout?.on("data", (chunk: string) => listener("stdout", chunk));
        subprocess.stderr?.on("data", (chunk: string) => listener("stderr", chunk));
      },
      exited,
      kill: () => {
        subprocess.kill("SIGKILL");
      },
    };
  };
}

/** Resident set size from /proc (Linux); undefined elsewhere or once the process is gone. */
export function procResidentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)\s*kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Whether util-linux's setpriv (with --pdeathsig) and prlimit are here to bind a child's life to the grader's. */
export async function canBindLifetime(): Promise<boolean> {
  if (process.platform !== "linux") return false;
  try {
    const { execa } = await import("execa");
    const r = await execa("setpriv", ["--pdeathsig", "KILL", "prlimit", "--cpu=5:6", "--", "true"], { env: {}, extendEnv: false, reject: false, timeout: 10_000 });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}

/** Whether `unshare -rn` (a new user and network namespace) works on this machine for this user. */
export async function canUnshareNetwork(node: string): Promise<boolean> {
  if (process.platform !== "linux") return false;
  try {
    const { execa } = await import("execa");
    const r = await execa("unshare", ["-rn", node, "-e", "0"], { env: {}, extendEnv: false, reject: false, timeout: 10_000 });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}

/** The handler a sandbox child's process title names (Linux: /proc/PID/cmdline), or undefined. */
export function procRunningName(pid: number): string | undefined {
  try {
    const title = readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0")[0]!;
    return title.startsWith(TITLE_PREFIX) && title.length > TITLE_PREFIX.length ? title.slice(TITLE_PREFIX.length) : undefined;
  } catch {
    return undefined;
  }
}

/** `node --version` of a binary; the running binary answers without a process. */
export async function nodeVersion(node: string): Promise<string> {
  if (node === process.execPath) return process.versions.node;
  const { execa } = await import("execa");
  const { stdout } = await execa(node, ["--version"], { env: {}, extendEnv: false, timeout: 10_000 });
  return stdout.trim();
}

/** Grade one submission's cases in a fresh sandbox child (see createSandbox for the collaborators). */
export function runInSandbox(request: SandboxRequest, options: RunOptions = {}): Promise<SandboxCaseResult[]> {
  return createSandbox().run(request, options);
}
