// A container service that autoscales by rules — the Elastic Beanstalk of the OpenLambda paper — and VMs with minute-scale boots.
//
// Requests go through a load balancer to the ready instance with the fewest outstanding requests; each instance
// serves `slotsPerInstance` requests at once (a server with that many worker processes, each on a full vCPU)
// and queues the rest in arrival order. A scaling rule watches a metric averaged over a period; when the metric
// has been above (below) its threshold for the breach duration and no cooldown is running, the service adds
// (removes) instances, which take `instanceStartMs` to boot. The defaults are Elastic Beanstalk's documented
// ones (5-minute period, 5-minute breach duration, one instance at a time, a 360 s cooldown, 1 to 4 instances),
// with CPU utilisation as the metric in place of Beanstalk's default NetworkOut, which this model does not have.
import { Simulation, TimeWeighted } from "../sim/index.js";
import { CITATIONS, sourced, type SourcedValue } from "./sources.js";
import { latencySummary, RequestLog, type LatencySummary, type RequestOutcome } from "./request-log.js";
import type { Work } from "./platform.js";
import { fraction, nonNegative, ParameterError, positive, wholeNumber } from "./validate.js";

/** When to add and remove instances. */
export interface ScalingRule {
  /** "cpu": mean utilisation of the instances' slots (0–1); "concurrency": outstanding requests per instance. */
  readonly metric: "cpu" | "concurrency";
  readonly upperThreshold: number;
  readonly lowerThreshold: number;
  /** The metric is averaged over periods of this length (ms). */
  readonly periodMs: number;
  /** The threshold must be breached this long before the rule acts (ms). */
  readonly breachDurationMs: number;
  readonly scaleOutBy: number;
  readonly scaleInBy: number;
  /** No further scaling this long after a scaling action (ms). */
  readonly cooldownMs: number;
}

/** Elastic Beanstalk's default trigger timing, with CPU utilisation (70% up, 20% down: estimates) as the metric. */
export const BEANSTALK_RULE: ScalingRule = {
  metric: "cpu",
  upperThreshold: 0.7,
  lowerThreshold: 0.2,
  periodMs: 5 * 60_000,
  breachDurationMs: 5 * 60_000,
  scaleOutBy: 1,
  scaleInBy: 1,
  cooldownMs: 360_000,
};

/** Boot time of an EC2 Linux VM, from request to ready (Mao & Humphrey, IEEE CLOUD 2012). */
export const VM_BOOT_MS = 97_000;

/** Start-up of a container on a cluster manager: Borg's median task start-up (Verma et al., EuroSys 2015). */
export const CONTAINER_START_MS = 25_000;

/** A VM service: instances are VMs that boot in about a minute and a half. */
export const VM_SERVICE: ContainerServiceOptions = { instanceStartMs: VM_BOOT_MS };
/** A container service: instances are containers that start in Borg's 25 s. */
export const CONTAINER_SERVICE: ContainerServiceOptions = { instanceStartMs: CONTAINER_START_MS };

/** The service's settings. */
export interface ContainerServiceOptions {
  readonly initialInstances?: number;
  readonly minInstances?: number;
  /** Beanstalk's default maximum is 4. */
  readonly maxInstances?: number;
  /** How long a new instance takes to be ready (default: a VM boot, 97 s). */
  readonly instanceStartMs?: number;
  /** Requests an instance serves at once (default 1: each request waits behind the ones before it). */
  readonly slotsPerInstance?: number;
  readonly rule?: ScalingRule;
  /** Client to server and back (ms, default 0). */
  readonly invocationPathMs?: number;
  /** Keep the instance count's history (default false). */
  readonly recordInstances?: boolean;
}

/** Where the service's defaults come from. */
export function containerServiceSources(): SourcedValue[] {
  return [
    sourced("metric period", BEANSTALK_RULE.periodMs / 60_000, "min", CITATIONS.awsElasticBeanstalkTriggers),
    sourced("breach duration", BEANSTALK_RULE.breachDurationMs / 60_000, "min", CITATIONS.awsElasticBeanstalkTriggers),
    sourced("scaling step", BEANSTALK_RULE.scaleOutBy, "instances", CITATIONS.awsElasticBeanstalkTriggers),
    sourced("cooldown", BEANSTALK_RULE.cooldownMs / 1000, "s", CITATIONS.awsElasticBeanstalkTriggers),
    sourced("upper CPU threshold", BEANSTALK_RULE.upperThreshold * 100, "%", "estimate: Beanstalk's default trigger is NetworkOut (6 MB); the model has no network, so it scales on CPU"),
    sourced("instance start (VM boot)", VM_BOOT_MS / 1000, "s", CITATIONS.maoHumphrey2012),
    sourced("instance start (container)", CONTAINER_START_MS / 1000, "s", CITATIONS.verma2015),
  ];
}

/** A scaling decision the rule made. */
export interface ScalingEvent {
  readonly atMs: number;
  readonly change: number;
  readonly metric: number;
}

interface Server {
  ready: boolean;
  busy: number;
  busyMsInPeriod: number;
  busySinceMs: number;
  readonly queue: { req: Pending; exec: number }[];
  queueHead: number;
  outstanding: number;
}

interface Pending {
  readonly work: Work;
  readonly arrivalMs: number;
  readonly done: ((o: RequestOutcome) => void) | undefined;
}

/** What a container-service run measured. */
export interface ContainerServiceReport {
  readonly requests: number;
  readonly latency: LatencySummary;
  readonly scaling: readonly ScalingEvent[];
  readonly instances: { readonly mean: number; readonly peak: number; readonly final: number };
}

const MS = 1 / 1000;

/** An autoscaled service of identical server instances bound to one simulation. */
export class ContainerService {
  readonly log = new RequestLog();
  readonly instances: TimeWeighted;
  readonly scaling: ScalingEvent[] = [];
  private readonly servers: Server[] = [];
  private readonly slots: number;
  private readonly startMs: number;
  private readonly rule: ScalingRule;
  private readonly min: number;
  private readonly max: number;
  private readonly pathMs: number;
  private breachedPeriods = 0;
  private lowPeriods = 0;
  private cooldownUntilMs = -Infinity;
  private starting = 0;
  private periodStartMs: number;
  private readonly timer: { cancel(): boolean };

  constructor(readonly sim: Simulation, options: ContainerServiceOptions = {}) {
    this.min = wholeNumber("minimum instances", options.minInstances ?? 1, 1);
    this.max = wholeNumber("maximum instances", options.maxInstances ?? 4, this.min);
    const initial = wholeNumber("initial instances", options.initialInstances ?? this.min, this.min);
    if (initial > this.max) throw new ParameterError(`initial instances (${initial}) exceed the maximum (${this.max})`);
    this.slots = wholeNumber("slots per instance", options.slotsPerInstance ?? 1, 1);
    this.startMs = nonNegative("instance start time", options.instanceStartMs ?? VM_BOOT_MS, "ms");
    this.pathMs = nonNegative("invocation path", options.invocationPathMs ?? 0, "ms");
    this.rule = checkRule(options.rule ?? BEANSTALK_RULE);
    this.instances = new TimeWeighted(sim, 0, { history: options.recordInstances ?? false, name: "instances" });
    for (let i = 0; i < initial; i++) this.addServer(true);
    this.periodStartMs = sim.now / MS;
    const evaluate = () => {
      this.evaluate();
      next = sim.schedule(this.rule.periodMs * MS, evaluate, { label: "scaling check" });
    };
    let next = sim.schedule(this.rule.periodMs * MS, evaluate, { label: "scaling check" });
    this.timer = { cancel: () => next.cancel() };
  }

  /** Stops the scaling checks, so that `sim.run()` can end once the requests are done. */
  stop(): void {
    this.timer.cancel();
  }

  private nowMs(): number {
    return this.sim.now / MS;
  }

  /** Sends a request now; `done` gets the outcome when the client has the response. */
  invoke(work: Work, done?: (o: RequestOutcome) => void): void {
    const req: Pending = { work, arrivalMs: this.nowMs(), done };
    if (this.pathMs > 0) this.sim.schedule((this.pathMs / 2) * MS, () => this.route(req), { label: "path in" });
    else this.route(req);
  }

  private route(req: Pending): void {
    let best: Server | null = null;
    for (const s of this.servers) if (s.ready && (!best || s.outstanding < best.outstanding)) best = s;
    if (!best) throw new ParameterError("the service has no ready instance", "start it with at least one instance");
    best.outstanding++;
    const w = req.work;
    // A slot is one worker process on a full vCPU: compute is not stretched.
    const exec = (w.cpuMs ?? 0) + (w.wallMs ?? 0);
    if (best.busy < this.slots) this.run(best, req, exec);
    else best.queue.push({ req, exec });
  }

  private run(s: Server, req: Pending, exec: number): void {
    if (s.busy === 0) s.busySinceMs = this.nowMs();
    this.accrue(s);
    s.busy++;
    this.sim.schedule(exec * MS, () => this.done(s, req, exec), { label: "request" });
  }

  private done(s: Server, req: Pending, exec: number): void {
    this.accrue(s);
    s.busy--;
    s.outstanding--;
    if (s.queueHead < s.queue.length) {
      const next = s.queue[s.queueHead++]!;
      if (s.queueHead > 1024 && s.queueHead * 2 > s.queue.length) {
        s.queue.splice(0, s.queueHead);
        s.queueHead = 0;
      }
      this.run(s, next.req, next.exec);
    }
    const now = this.nowMs();
    const respond = () => {
      const o: RequestOutcome = { fn: 0, kind: "warm", arrivalMs: req.arrivalMs, queuedMs: now - exec - req.arrivalMs - this.pathMs / 2, coldStartMs: 0, executionMs: exec, latencyMs: now + this.pathMs / 2 - req.arrivalMs };
      this.log.add(o);
      req.done?.(o);
    };
    if (this.pathMs > 0) this.sim.schedule((this.pathMs / 2) * MS, respond, { label: "path out" });
    else respond();
  }

  /** Adds the slot-time spent busy since the last change to the current period. */
  private accrue(s: Server): void {
    const now = this.nowMs();
    s.busyMsInPeriod += s.busy * (now - s.busySinceMs);
    s.busySinceMs = now;
  }

  private addServer(ready: boolean): Server {
    const s: Server = { ready, busy: 0, busyMsInPeriod: 0, busySinceMs: this.nowMs(), queue: [], queueHead: 0, outstanding: 0 };
    this.servers.push(s);
    this.instances.add(1);
    return s;
  }

  private metric(): number {
    const now = this.nowMs();
    const ready = this.servers.filter((s) => s.ready);
    const length = now - this.periodStartMs;
    let value = 0;
    if (this.rule.metric === "cpu") {
      let busy = 0;
      for (const s of ready) {
        this.accrue(s);
        busy += s.busyMsInPeriod;
      }
      value = length > 0 && ready.length > 0 ? busy / (length * this.slots * ready.length) : 0;
    } else {
      value = ready.length > 0 ? ready.reduce((sum, s) => sum + s.outstanding, 0) / ready.length : 0;
    }
    for (const s of this.servers) s.busyMsInPeriod = 0;
    this.periodStartMs = now;
    return value;
  }

  private evaluate(): void {
    const now = this.nowMs();
    const m = this.metric();
    const need = Math.max(1, Math.round(this.rule.breachDurationMs / this.rule.periodMs));
    this.breachedPeriods = m > this.rule.upperThreshold ? this.breachedPeriods + 1 : 0;
    this.lowPeriods = m < this.rule.lowerThreshold ? this.lowPeriods + 1 : 0;
    if (now < this.cooldownUntilMs) return;
    const count = this.servers.length + this.starting;
    if (this.breachedPeriods >= need && count < this.max) {
      const add = Math.min(this.rule.scaleOutBy, this.max - count);
      this.scaling.push({ atMs: now, change: add, metric: m });
      this.cooldownUntilMs = now + this.rule.cooldownMs;
      this.breachedPeriods = 0;
      for (let i = 0; i < add; i++) {
        this.starting++;
        this.sim.schedule(this.startMs * MS, () => {
          this.starting--;
          this.addServer(true);
        }, { label: "instance boot" });
      }
    } else if (this.lowPeriods >= need && this.servers.length > this.min) {
      const idle = this.servers.filter((s) => s.outstanding === 0);
      const remove = Math.min(this.rule.scaleInBy, this.servers.length - this.min, idle.length);
      if (remove > 0) {
        this.scaling.push({ atMs: now, change: -remove, metric: m });
        this.cooldownUntilMs = now + this.rule.cooldownMs;
        this.lowPeriods = 0;
        for (const s of idle.slice(0, remove)) {
          this.servers.splice(this.servers.indexOf(s), 1);
          this.instances.add(-1);
        }
      }
    }
  }

  report(): ContainerServiceReport {
    return {
      requests: this.log.length,
      latency: latencySummary(this.log.latencies()),
      scaling: this.scaling,
      instances: { mean: this.instances.elapsed > 0 ? this.instances.mean : this.instances.level, peak: this.instances.max, final: this.servers.length },
    };
  }
}

function checkRule(r: ScalingRule): ScalingRule {
  if (r.metric !== "cpu" && r.metric !== "concurrency") throw new ParameterError(`unknown scaling metric '${String(r.metric)}'`, "use \"cpu\" or \"concurrency\"");
  if (r.metric === "cpu") {
    fraction("upper CPU threshold", r.upperThreshold);
    fraction("lower CPU threshold", r.lowerThreshold);
  } else {
    nonNegative("upper threshold", r.upperThreshold);
    nonNegative("lower threshold", r.lowerThreshold);
  }
  if (r.lowerThreshold > r.upperThreshold) throw new ParameterError(`the lower threshold (${r.lowerThreshold}) is above the upper one (${r.upperThreshold})`);
  positive("metric period", r.periodMs, "ms");
  nonNegative("breach duration", r.breachDurationMs, "ms");
  wholeNumber("scale-out step", r.scaleOutBy, 1);
  wholeNumber("scale-in step", r.scaleInBy, 1);
  nonNegative("cooldown", r.cooldownMs, "ms");
  return r;
}
