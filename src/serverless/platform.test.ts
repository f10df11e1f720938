// Tests for the function platform on the engine: keep-alive at its threshold, cold-start parts, CPU share, concurrency limits, memory and caches.
import { describe, expect, it } from "vitest";
import { Simulation } from "../sim/index.js";
import { PYTHON_FUNCTION_WITH_INSTALL } from "./cold-start.js";
import { fixedKeepAlive, type KeepAlivePolicy } from "./keep-alive.js";
import { FunctionPlatform, type FunctionSpec, type PlatformOptions, type Work } from "./platform.js";
import type { RequestOutcome } from "./request-log.js";
import { burst, closedLoop, cron, databaseTrigger, openLoop } from "./workload.js";

const fn = (over: Partial<FunctionSpec> = {}): FunctionSpec => ({ name: "f", memoryMb: 1769, ...over });

function platform(functions: FunctionSpec[], options: PlatformOptions = {}, seed = 1) {
  const sim = new Simulation({ seed });
  return { sim, p: new FunctionPlatform(sim, functions, options) };
}

/** Invokes `name` at each time (s) with `work`, runs to the end, and returns the outcomes in arrival order. */
function invokeAt(p: FunctionPlatform, sim: Simulation, times: number[], work: Work = { wallMs: 0 }, name = "f"): RequestOutcome[] {
  const out: RequestOutcome[] = [];
  for (const t of times) sim.at(t, () => p.invoke(name, work, (o) => out.push(o)));
  sim.run();
  return out.sort((a, b) => a.arrivalMs - b.arrivalMs);
}

describe("keep-alive on the platform", () => {
  it("serves a request 599 s after the last one warm and one 601 s after it cold, with a 600 s keep-alive", () => {
    const { sim, p } = platform([fn()], { keepAlive: fixedKeepAlive(600_000) });
    const kinds = invokeAt(p, sim, [0, 599, 599 + 601]).map((o) => o.kind);
    expect(kinds).toEqual(["cold", "warm", "cold"]);
    expect(p.report().cold).toBe(2);
  });

  it("counts the idle instance's memory × time as wasted, up to its expiry", () => {
    const { sim, p } = platform([fn({ memoryMb: 1024 })], { keepAlive: fixedKeepAlive(600_000) });
    invokeAt(p, sim, [0]);
    expect(p.report().wastedGbSeconds).toBeCloseTo(600, 6); // 1 GB idle for 600 s
  });
});

describe("cold and warm starts", () => {
  it("makes the first request wait for every cold-start part and the second for none", () => {
    const { sim, p } = platform([fn({ coldStart: PYTHON_FUNCTION_WITH_INSTALL })]);
    const [first, second] = invokeAt(p, sim, [0, 10], { wallMs: 50 });
    expect(first!.kind).toBe("cold");
    expect(first!.coldStartMs).toBeCloseTo(125 + 30 + 3000 + 100, 6);
    expect(first!.latencyMs).toBeCloseTo(3255 + 50, 6);
    expect(second!.kind).toBe("warm");
    expect(second!.latencyMs).toBeCloseTo(50, 6);
  });

  it("stretches compute by the CPU share: 200 ms of one vCPU takes 1.38 s at 256 MB", () => {
    const { sim, p } = platform([fn({ memoryMb: 256 })]);
    const [, warm] = invokeAt(p, sim, [0, 5], { cpuMs: 200 });
    expect(warm!.executionMs).toBeCloseTo((200 * 1769) / 256, 6);
  });

  it("adds the invocation path to every latency, throttled requests included", () => {
    const { sim, p } = platform([fn()], { invocationPathMs: 25 });
    const [, warm] = invokeAt(p, sim, [0, 5], { wallMs: 10 });
    expect(warm!.latencyMs).toBeCloseTo(35, 6);
  });

  it("starts provisioned instances before the first request", () => {
    const { sim, p } = platform([fn({ provisioned: 2 })]);
    expect(invokeAt(p, sim, [0, 0]).map((o) => o.kind)).toEqual(["warm", "warm"]);
  });

  it("serves several requests on one instance when its concurrency allows", () => {
    const { sim, p } = platform([fn({ concurrencyPerInstance: 4 })]);
    invokeAt(p, sim, [0, 0.5, 0.5, 0.5], { wallMs: 2000 });
    expect(p.report().cold).toBe(1);
    expect(p.report().instances.peak).toBe(1);
  });
});

describe("concurrency limits", () => {
  const thousandAndOne = Array.from({ length: 1001 }, () => 0);

  it("throttles request 1001 in flight with a limit of 1000", () => {
    const { sim, p } = platform([fn()], { concurrencyLimit: 1000 });
    const out = invokeAt(p, sim, thousandAndOne, { wallMs: 1000 });
    expect(out.filter((o) => o.kind === "throttled")).toHaveLength(1);
    expect(p.report().throttled).toBe(1);
  });

  it("queues request 1001 instead when configured to, and starts it when one finishes", () => {
    const { sim, p } = platform([fn()], { concurrencyLimit: 1000, overLimit: "queue" });
    const out = invokeAt(p, sim, thousandAndOne, { wallMs: 1000 });
    expect(out.filter((o) => o.kind === "throttled")).toHaveLength(0);
    const waited = out.filter((o) => o.queuedMs > 0);
    expect(waited).toHaveLength(1);
    expect(waited[0]!.queuedMs).toBeCloseTo(1000 + 155, 6);
    expect(waited[0]!.kind).toBe("warm");
  });
});

describe("workers, memory and package caches", () => {
  it("evicts the least recently used idle instance when a worker is full", () => {
    const specs = ["a", "b", "c"].map((name) => fn({ name, memoryMb: 512 }));
    const { sim, p } = platform(specs, { workers: { count: 1, memoryMb: 1024 } });
    for (const [t, name] of [[0, "a"], [1, "b"], [2, "c"], [3, "b"], [4, "a"]] as const) sim.at(t, () => p.invoke(name, { wallMs: 10 }));
    sim.run();
    const r = p.report();
    expect(r.evictions).toBe(2); // c evicts a, then a evicts c
    expect(r.perFunction.map((f) => f.cold)).toEqual([2, 1, 1]);
  });

  it("skips the package install on a worker whose cache holds the packages", () => {
    const specs = [fn({ name: "a", coldStart: PYTHON_FUNCTION_WITH_INSTALL, packages: ["numpy"] }), fn({ name: "b", coldStart: PYTHON_FUNCTION_WITH_INSTALL, packages: ["numpy"] })];
    const { sim, p } = platform(specs, { packageCache: 10, importCache: true });
    const out: RequestOutcome[] = [];
    sim.at(0, () => p.invoke("a", { wallMs: 0 }, (o) => out.push(o)));
    sim.at(10, () => p.invoke("b", { wallMs: 0 }, (o) => out.push(o)));
    sim.run();
    expect(out[0]!.coldStartMs).toBeCloseTo(3255, 6);
    expect(out[1]!.coldStartMs).toBeCloseTo(125 + 2, 6); // sandbox and a Zygote fork
  });
});

describe("the pre-warm window", () => {
  it("unloads after the execution and loads again when the window ends, so a request after the load is warm", () => {
    const policy: KeepAlivePolicy = { name: "prewarm", forApp: () => ({ onInvocation: () => undefined, windows: () => ({ preWarmMs: 60_000, keepAliveMs: 30_000 }) }) };
    const { sim, p } = platform([fn()], { keepAlive: policy });
    const out = invokeAt(p, sim, [0, 30, 70, 150]);
    // 30 s: unloaded since 0.155 s (cold); 70 s: the load was due at 90 s (cold); 150 s: loaded at 130.3 s and kept to 160.3 s (warm).
    expect(out.map((o) => o.kind)).toEqual(["cold", "cold", "cold", "warm"]);
    expect(p.report().wastedGbSeconds).toBeGreaterThan(0);
  });
});

describe("event sources", () => {
  it("delivers Poisson arrivals at about their rate, and a cron schedule exactly", () => {
    const { sim, p } = platform([fn({ name: "api" }), fn({ name: "job" })]);
    openLoop(p.endpoint("api"), { wallMs: 10 }, { ratePerSecond: 50, durationS: 100 });
    cron(p.endpoint("job"), { wallMs: 10 }, { everyS: 60, durationS: 600 });
    sim.run();
    const r = p.report();
    expect(r.perFunction[0]!.invocations).toBeGreaterThan(4700);
    expect(r.perFunction[0]!.invocations).toBeLessThan(5300);
    expect(r.perFunction[1]!.invocations).toBe(10);
  });

  it("keeps a closed loop's clients each with one request outstanding", () => {
    const { sim, p } = platform([fn()]);
    const outcomes = closedLoop(p.endpoint("f"), { wallMs: 100 }, { clients: 10, durationS: 1 });
    sim.run();
    // 10 clients, each one cold request of 155 + 100 ms then warm ones of 100 ms until t = 1 s.
    expect(outcomes.length).toBe(10 * (1 + Math.ceil((1000 - 255) / 100)));
    expect(p.report().instances.peak).toBe(10);
  });

  it("batches database updates into invocations of at most the batch size", () => {
    const { sim, p } = platform([fn()]);
    const batches = databaseTrigger(p.endpoint("f"), { updatesPerSecond: 200, durationS: 10, batchSize: 50, perRecord: { wallMs: 1 } });
    burst(p.endpoint("f"), { wallMs: 1 }, { count: 3, atS: 5 });
    sim.run();
    expect(Math.max(...batches)).toBeLessThanOrEqual(50);
    expect(batches.reduce((s, b) => s + b, 0)).toBeGreaterThan(1800);
    expect(p.report().requests).toBe(batches.length + 3);
  });

  it("gives the same outcomes for the same seed", () => {
    const run = (seed: number) => {
      const { sim, p } = platform([fn()], {}, seed);
      openLoop(p.endpoint("f"), (rng) => ({ wallMs: rng.exponential(1 / 50) }), { ratePerSecond: 20, durationS: 30 });
      sim.run();
      return Array.from(p.log.latencies());
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});
