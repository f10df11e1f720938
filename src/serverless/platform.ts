// A function platform on the discrete-event engine: a worker pool shared by tenants, cold and warm starts, keep-alive, concurrency limits.
//
// Each request goes through the invocation path (front end, routing), then to an idle instance of its function
// (a warm start; the newest idle instance, as SimFaaS routes, so older ones can expire), to an instance being
// pre-warmed (it waits for the rest of the load), or to a new instance (a cold start: the parts of
// cold-start.ts, less what the worker's package cache holds). An instance serves `concurrencyPerInstance`
// requests at once (Lambda: 1). When an execution leaves an instance idle, the keep-alive policy chooses its
// windows (keep-alive.ts). In-flight requests above the concurrency limit are throttled (HTTP 429) or queued.
// Instances live on workers with finite memory; when none has room, the least recently used idle instances are
// evicted, and a request that still finds no room waits like one over the limit.
//
// Times given to and reported by the platform are milliseconds; the engine's clock counts seconds.
import { Simulation, TimeWeighted, type ScheduledCall } from "../sim/index.js";
import { didYouMean } from "../core/suggest.js";
import { BARE_HANDLER, checkColdStart, coldStartMs as coldStartTime, type ColdStartParts } from "./cold-start.js";
import { computeTimeMs, LAMBDA_CPU, type CpuRule } from "./cpu.js";
import { AWS_KEEP_ALIVE_MS, checkWindows, fixedKeepAlive, type AppKeepAlive, type KeepAlivePolicy } from "./keep-alive.js";
import { PackageCache } from "./package-cache.js";
import { latencySummary, RequestLog, type LatencySummary, type RequestOutcome } from "./request-log.js";
import { nonNegative, ParameterError, positive, wholeNumber } from "./validate.js";

/** A deployed function (for traces: an application, the unit that holds memory). */
export interface FunctionSpec {
  readonly name: string;
  readonly memoryMb: number;
  /** The parts of a cold start (default: a handler with nothing to import). */
  readonly coldStart?: ColdStartParts;
  /** Packages the instance installs, for the workers' install caches (default: one package named after the function). */
  readonly packages?: readonly string[];
  /** Requests one instance serves at once (default 1, as Lambda). */
  readonly concurrencyPerInstance?: number;
  /** Threads the handler computes with: it can use at most that many vCPUs (default 1). */
  readonly threads?: number;
  /** Instances started before time 0 and never unloaded (provisioned concurrency). */
  readonly provisioned?: number;
}

/** What one request asks of its function. */
export interface Work {
  /** Compute measured on one whole vCPU; stretched by the instance's CPU share (memory / 1,769 MB). */
  readonly cpuMs?: number;
  /** Wall time that does not depend on the CPU share (I/O, or a duration measured on the provider, as traces give). */
  readonly wallMs?: number;
  /** When set and the request starts cold, start-up and execution together take this long instead (SimFaaS's cold service time). */
  readonly coldTotalMs?: number;
}

/** How the platform behaves. */
export interface PlatformOptions {
  /** Keep-alive / pre-warm policy (default: a fixed 10 minutes, as AWS Lambda). */
  readonly keepAlive?: KeepAlivePolicy;
  /** Requests in flight at once across all functions (default unlimited; Lambda's default account limit is 1,000). */
  readonly concurrencyLimit?: number;
  /** What happens to a request over the limit: "throttle" (HTTP 429, the default) or "queue". */
  readonly overLimit?: "throttle" | "queue";
  /** Client to handler and back, outside the instance (ms, default 0). */
  readonly invocationPathMs?: number;
  readonly cpu?: CpuRule;
  /** Worker machines (default: one worker with unbounded memory). */
  readonly workers?: { readonly count: number; readonly memoryMb: number };
  /** Packages each worker's install cache holds (default 0: every cold start installs). */
  readonly packageCache?: number;
  /** Whether an install-cache hit also finds a Zygote with the packages imported (SOCK's import cache; default false). */
  readonly importCache?: boolean;
  /** "first-fit" (default) or "package-aware": prefer a worker whose cache holds the function's packages. */
  readonly placement?: "first-fit" | "package-aware";
  /** Keep the instance counts' history, for a chart (default false). */
  readonly recordInstances?: boolean;
}

type State = "starting" | "loading" | "idle" | "busy";

interface Instance {
  readonly id: number;
  readonly fn: FnState;
  readonly worker: Worker;
  state: State;
  active: number;
  idleSinceMs: number;
  expiry: ScheduledCall | null;
  /** Requests waiting for a loading (pre-warming) instance. */
  waiters: PendingRequest[];
  /** Keep-alive chosen for a pre-warm load, applied once the load ends. */
  keepAliveAfterLoadMs: number;
}

interface Worker {
  readonly index: number;
  freeMb: number;
  readonly cache: PackageCache;
}

interface FnState {
  readonly index: number;
  readonly spec: FunctionSpec;
  readonly coldStart: ColdStartParts;
  readonly packages: readonly string[];
  readonly slots: number;
  readonly app: AppKeepAlive;
  /** Ready instances with a free slot, sorted by id (newest last). */
  readonly available: Instance[];
  /** A pre-warm load in progress that no request has claimed. */
  loading: Instance | null;
  prewarm: ScheduledCall | null;
  running: number;
  lastEndMs: number | undefined;
  instances: number;
  invocations: number;
  cold: number;
  wastedMbMs: number;
}

interface PendingRequest {
  readonly fn: FnState;
  readonly work: Work;
  readonly arrivalMs: number;
  readonly done: ((o: RequestOutcome) => void) | undefined;
  /** When the platform took it (after the path in, and any queueing). */
  takenMs: number;
  coldStartMs: number;
}

/** What a platform run measured. */
export interface PlatformReport {
  readonly requests: number;
  readonly warm: number;
  readonly cold: number;
  readonly throttled: number;
  /** Requests that waited in the queue for concurrency or capacity. */
  readonly queued: number;
  /** Cold starts over served requests. */
  readonly coldStartRate: number;
  /** Latency of served requests (ms). */
  readonly latency: LatencySummary;
  /** Idle instances × their memory × time (GB-seconds). */
  readonly wastedGbSeconds: number;
  /** Instances evicted for lack of memory. */
  readonly evictions: number;
  /** Time-averaged and peak instance counts over the run. */
  readonly instances: { readonly mean: number; readonly meanBusy: number; readonly meanIdle: number; readonly peak: number };
  readonly perFunction: readonly { readonly name: string; readonly invocations: number; readonly cold: number; readonly wastedGbSeconds: number }[];
}

const MS = 1 / 1000;

/** A function platform bound to one simulation. */
export class FunctionPlatform {
  readonly log = new RequestLog();
  readonly policy: KeepAlivePolicy;
  private readonly fns = new Map<string, FnState>();
  private readonly fnList: FnState[] = [];
  private readonly workers: Worker[];
  private readonly limit: number;
  private readonly queueOverLimit: boolean;
  private readonly pathMs: number;
  private readonly cpu: CpuRule;
  private readonly importCache: boolean;
  private readonly packageAware: boolean;
  private readonly queue: PendingRequest[] = [];
  private queueHead = 0;
  private inFlight = 0;
  private nextId = 0;
  private queuedCount = 0;
  private evictions = 0;
  private readonly idleSet = new Set<Instance>();
  /** Instances, all and busy, over time. */
  readonly total: TimeWeighted;
  readonly busy: TimeWeighted;

  constructor(readonly sim: Simulation, functions: readonly FunctionSpec[], options: PlatformOptions = {}) {
    this.policy = options.keepAlive ?? fixedKeepAlive(AWS_KEEP_ALIVE_MS);
    this.limit = wholeNumber("concurrency limit", options.concurrencyLimit ?? Infinity, 1, true);
    const overLimit = options.overLimit ?? "throttle";
    if (overLimit !== "throttle" && overLimit !== "queue") throw new ParameterError(`overLimit must be "throttle" or "queue", got '${String(overLimit)}'`);
    this.queueOverLimit = overLimit === "queue";
    this.pathMs = nonNegative("invocation path", options.invocationPathMs ?? 0, "ms");
    this.cpu = options.cpu ?? LAMBDA_CPU;
    this.importCache = options.importCache ?? false;
    this.packageAware = (options.placement ?? "first-fit") === "package-aware";
    const workers = options.workers ?? { count: 1, memoryMb: Infinity };
    wholeNumber("worker count", workers.count, 1);
    if (!(workers.memoryMb > 0)) throw new ParameterError(`worker memory must be > 0 MB, got ${workers.memoryMb}`);
    const cacheSize = wholeNumber("package cache", options.packageCache ?? 0, 0, true);
    this.workers = Array.from({ length: workers.count }, (_, index) => ({ index, freeMb: workers.memoryMb, cache: new PackageCache(cacheSize) }));
    this.total = new TimeWeighted(sim, 0, { history: options.recordInstances ?? false, name: "instances" });
    this.busy = new TimeWeighted(sim, 0, { history: options.recordInstances ?? false, name: "busy instances" });
    for (const spec of functions) this.deploy(spec);
  }

  /** Adds a function (names are unique). */
  deploy(spec: FunctionSpec): void {
    if (this.fns.has(spec.name)) throw new ParameterError(`function '${spec.name}' is deployed twice`);
    positive(`memory of '${spec.name}'`, spec.memoryMb, "MB");
    const fn: FnState = {
      index: this.fnList.length,
      spec,
      coldStart: checkColdStart(spec.coldStart ?? BARE_HANDLER),
      packages: spec.packages ?? [spec.name],
      slots: wholeNumber(`concurrency per instance of '${spec.name}'`, spec.concurrencyPerInstance ?? 1, 1),
      app: this.policy.forApp(spec.name),
      available: [],
      loading: null,
      prewarm: null,
      running: 0,
      lastEndMs: undefined,
      instances: 0,
      invocations: 0,
      cold: 0,
      wastedMbMs: 0,
    };
    this.fns.set(spec.name, fn);
    this.fnList.push(fn);
    for (let i = 0; i < wholeNumber(`provisioned instances of '${spec.name}'`, spec.provisioned ?? 0); i++) {
      const inst = this.place(fn);
      if (!inst) throw new ParameterError(`no worker has room for the provisioned instances of '${spec.name}'`);
      this.makeIdle(inst, Infinity);
    }
  }

  /** The deployed functions, in deployment order. */
  get functions(): readonly FunctionSpec[] {
    return this.fnList.map((f) => f.spec);
  }

  /** Requests in flight now (starting or executing). */
  get concurrency(): number {
    return this.inFlight;
  }

  /** A workload target that invokes one function. */
  endpoint(fn: string): { readonly sim: Simulation; invoke(work: Work, done?: (o: RequestOutcome) => void): void } {
    if (!this.fns.has(fn)) throw new ParameterError(`no function named '${fn}' is deployed`, didYouMean(fn, this.fns.keys()) ?? undefined);
    return { sim: this.sim, invoke: (work, done) => this.invoke(fn, work, done) };
  }

  /** Invokes `fn` now; `done` gets the outcome when the client has the response (or the 429). */
  invoke(fn: string, work: Work, done?: (o: RequestOutcome) => void): void {
    const f = this.fns.get(fn);
    if (!f) throw new ParameterError(`no function named '${fn}' is deployed`, didYouMean(fn, this.fns.keys()) ?? undefined);
    const now = this.sim.now / MS;
    const req: PendingRequest = { fn: f, work, arrivalMs: now, done, takenMs: now, coldStartMs: 0 };
    if (this.pathMs > 0) this.sim.schedule((this.pathMs / 2) * MS, () => this.arrive(req), { label: "path in" });
    else this.arrive(req);
  }

  private nowMs(): number {
    return this.sim.now / MS;
  }

  private arrive(req: PendingRequest): void {
    if (this.inFlight >= this.limit) {
      if (!this.queueOverLimit) return this.finish(req, "throttled", 0);
      this.enqueue(req);
      return;
    }
    // Requests already waiting for capacity go first.
    if (this.queueHead < this.queue.length || !this.start(req)) this.enqueue(req);
  }

  private enqueue(req: PendingRequest): void {
    this.queuedCount++;
    this.queue.push(req);
  }

  /** Tells the policy about an invocation (once per request, when the platform takes it). */
  private observe(f: FnState): void {
    const now = this.nowMs();
    const idle = f.running > 0 ? 0 : f.lastEndMs === undefined ? undefined : now - f.lastEndMs;
    f.app.onInvocation(now, idle);
    f.invocations++;
    if (f.prewarm) {
      f.prewarm.cancel();
      f.prewarm = null;
    }
  }

  /** Starts a request on an instance; false, with nothing changed but evictions, when no worker has room for a new one. */
  private start(req: PendingRequest): boolean {
    const f = req.fn;
    const warm = f.available.length > 0 ? f.available[f.available.length - 1]! : null;
    const loading = warm ? null : f.loading;
    const fresh = warm || loading ? null : this.place(f);
    if (!warm && !loading && !fresh) return false;
    this.observe(f);
    req.takenMs = this.nowMs();
    this.inFlight++;
    if (warm) {
      this.execute(warm, req, false);
    } else if (loading) {
      // A pre-warm load is under way: wait for the rest of it.
      f.loading = null;
      loading.state = "starting";
      loading.waiters.push(req);
    } else {
      const cold = req.work.coldTotalMs === undefined ? this.coldStartOn(fresh!) : 0;
      fresh!.waiters.push(req);
      this.sim.schedule(cold * MS, () => this.ready(fresh!), { label: "cold start" });
    }
    return true;
  }

  private coldStartOn(inst: Instance): number {
    const f = inst.fn;
    const installCached = inst.worker.cache.use(f.packages);
    return coldStartTime(f.coldStart, { installCached, importCached: this.importCache && installCached });
  }

  /** A starting or loading instance is ready: its waiters execute, or it idles (pre-warm). */
  private ready(inst: Instance): void {
    const waiters = inst.waiters;
    inst.waiters = [];
    if (waiters.length === 0) {
      inst.fn.loading = inst.fn.loading === inst ? null : inst.fn.loading;
      this.makeIdle(inst, inst.keepAliveAfterLoadMs);
      return;
    }
    const now = this.nowMs();
    for (const req of waiters) {
      req.coldStartMs = now - req.takenMs;
      this.execute(inst, req, true);
    }
  }

  private execute(inst: Instance, req: PendingRequest, cold: boolean): void {
    const f = inst.fn;
    if (inst.state === "idle") this.leaveIdle(inst);
    if (inst.active === 0) this.busy.add(1);
    inst.state = "busy";
    inst.active++;
    if (inst.active >= f.slots) this.removeAvailable(inst);
    else if (inst.active === 1 && f.slots > 1) this.addAvailable(inst);
    f.running++;
    if (cold) f.cold++;
    const w = req.work;
    const execMs =
      cold && w.coldTotalMs !== undefined ? w.coldTotalMs : computeTimeMs(w.cpuMs ?? 0, f.spec.memoryMb, f.spec.threads ?? 1, this.cpu) + (w.wallMs ?? 0);
    this.sim.schedule(execMs * MS, () => this.complete(inst, req, cold, execMs), { label: "execution" });
  }

  private complete(inst: Instance, req: PendingRequest, cold: boolean, execMs: number): void {
    const f = inst.fn;
    f.running--;
    f.lastEndMs = this.nowMs();
    this.inFlight--;
    const wasFull = inst.active >= f.slots;
    inst.active--;
    if (inst.active === 0) {
      this.busy.add(-1);
      this.removeAvailable(inst);
      this.afterExecution(inst);
    } else if (wasFull) {
      this.addAvailable(inst);
    }
    // Waiting requests take the freed capacity before the client hears back (and perhaps sends again).
    this.drainQueue();
    this.finish(req, cold ? "cold" : "warm", execMs);
  }

  /** The policy's windows for an instance its last execution left idle. */
  private afterExecution(inst: Instance): void {
    const f = inst.fn;
    const w = checkWindows(this.policy.name, f.app.windows(this.nowMs()));
    if (w.preWarmMs > 0) {
      this.unload(inst);
      if (f.prewarm) f.prewarm.cancel();
      f.prewarm = this.sim.schedule(w.preWarmMs * MS, () => this.prewarmLoad(f, w.keepAliveMs), { label: "pre-warm" });
      return;
    }
    this.makeIdle(inst, w.keepAliveMs);
  }

  private prewarmLoad(f: FnState, keepAliveMs: number): void {
    f.prewarm = null;
    if (f.available.length > 0 || f.loading) return;
    const inst = this.place(f);
    if (!inst) return;
    inst.state = "loading";
    inst.keepAliveAfterLoadMs = keepAliveMs;
    f.loading = inst;
    this.sim.schedule(this.coldStartOn(inst) * MS, () => this.ready(inst), { label: "pre-warm load" });
  }

  private makeIdle(inst: Instance, keepAliveMs: number): void {
    if (keepAliveMs === 0) return this.unload(inst);
    inst.state = "idle";
    inst.idleSinceMs = this.nowMs();
    this.idleSet.add(inst);
    this.addAvailable(inst);
    if (keepAliveMs !== Infinity) inst.expiry = this.sim.schedule(keepAliveMs * MS, () => this.expire(inst), { label: "keep-alive expiry" });
  }

  private leaveIdle(inst: Instance): void {
    inst.fn.wastedMbMs += inst.fn.spec.memoryMb * (this.nowMs() - inst.idleSinceMs);
    this.idleSet.delete(inst);
    if (inst.expiry) {
      inst.expiry.cancel();
      inst.expiry = null;
    }
  }

  private expire(inst: Instance): void {
    inst.expiry = null;
    if (inst.state !== "idle") return;
    this.unload(inst);
    this.drainQueue();
  }

  private unload(inst: Instance): void {
    if (inst.state === "idle") {
      this.leaveIdle(inst);
      this.removeAvailable(inst);
    }
    inst.worker.freeMb += inst.fn.spec.memoryMb;
    inst.fn.instances--;
    this.total.add(-1);
  }

  /** A new instance on a worker with room (evicting idle instances if none has), or null. */
  private place(f: FnState): Instance | null {
    const mem = f.spec.memoryMb;
    let worker = this.chooseWorker(f, mem);
    while (!worker && this.idleSet.size > 0) {
      let oldest: Instance | null = null;
      for (const i of this.idleSet) if (!oldest || i.idleSinceMs < oldest.idleSinceMs) oldest = i;
      this.evictions++;
      this.unload(oldest!);
      worker = this.chooseWorker(f, mem);
    }
    if (!worker) return null;
    worker.freeMb -= mem;
    f.instances++;
    this.total.add(1);
    return { id: this.nextId++, fn: f, worker, state: "starting", active: 0, idleSinceMs: 0, expiry: null, waiters: [], keepAliveAfterLoadMs: 0 };
  }

  private chooseWorker(f: FnState, mem: number): Worker | null {
    if (this.packageAware) {
      for (const w of this.workers) if (w.freeMb >= mem && w.cache.holds(f.packages)) return w;
    }
    for (const w of this.workers) if (w.freeMb >= mem) return w;
    return null;
  }

  private drainQueue(): void {
    while (this.queueHead < this.queue.length && this.inFlight < this.limit) {
      if (!this.start(this.queue[this.queueHead]!)) break;
      this.queueHead++;
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private finish(req: PendingRequest, kind: "warm" | "cold" | "throttled", execMs: number): void {
    const now = this.nowMs();
    const respond = () => {
      const outcome: RequestOutcome = {
        fn: req.fn.index,
        kind,
        arrivalMs: req.arrivalMs,
        queuedMs: kind === "throttled" ? 0 : req.takenMs - req.arrivalMs - this.pathMs / 2,
        coldStartMs: req.coldStartMs,
        executionMs: execMs,
        latencyMs: now + this.pathMs / 2 - req.arrivalMs,
      };
      this.log.add(outcome);
      req.done?.(outcome);
    };
    if (this.pathMs > 0) this.sim.schedule((this.pathMs / 2) * MS, respond, { label: "path out" });
    else respond();
  }

  private addAvailable(inst: Instance): void {
    const list = inst.fn.available;
    const at = positionOf(list, inst.id);
    if (list[at] !== inst) list.splice(at, 0, inst);
  }

  private removeAvailable(inst: Instance): void {
    const list = inst.fn.available;
    if (list.length > 0 && list[list.length - 1] === inst) {
      list.pop();
      return;
    }
    const at = positionOf(list, inst.id);
    if (list[at] === inst) list.splice(at, 1);
  }

  /** Closes the books now: idle instances count as wasted up to this moment. Call once, after the run. */
  report(): PlatformReport {
    const now = this.nowMs();
    const wasted = new Float64Array(this.fnList.length);
    for (const f of this.fnList) wasted[f.index] = f.wastedMbMs;
    for (const inst of this.idleSet) wasted[inst.fn.index]! += inst.fn.spec.memoryMb * (now - inst.idleSinceMs);
    const counts = this.log.counts();
    const served = counts.warm + counts.cold;
    const gbS = (mbMs: number) => mbMs / 1024 / 1000;
    let totalWasted = 0;
    for (const w of wasted) totalWasted += w;
    const meanTotal = this.total.elapsed > 0 ? this.total.mean : this.total.level;
    const meanBusy = this.busy.elapsed > 0 ? this.busy.mean : this.busy.level;
    return {
      requests: this.log.length,
      warm: counts.warm,
      cold: counts.cold,
      throttled: counts.throttled,
      queued: this.queuedCount,
      coldStartRate: served === 0 ? 0 : counts.cold / served,
      latency: latencySummary(this.log.latencies()),
      wastedGbSeconds: gbS(totalWasted),
      evictions: this.evictions,
      instances: { mean: meanTotal, meanBusy, meanIdle: meanTotal - meanBusy, peak: this.total.max },
      perFunction: this.fnList.map((f) => ({ name: f.spec.name, invocations: f.invocations, cold: f.cold, wastedGbSeconds: gbS(wasted[f.index]!) })),
    };
  }
}

/** Where an instance with `id` stands, or would stand, in a list sorted by id (binary search). */
function positionOf(list: readonly Instance[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
