// A submission's policy as the platform sees it: valid decisions pass through, and every invalid one fails the case with a message naming the method, the application and the value.
import { describe, expect, it } from "vitest";
import { fixedKeepAlive } from "../../../../src/serverless/keep-alive.js";
import { loadAzure2021 } from "../../../../src/serverless/azure-2021.js";
import type { CaseState } from "../compartment.js";
import type { GuardContext } from "../guarded-call.js";
import { measureTrace } from "./case.js";
import { findPolicy, wrapPolicy } from "./policy.js";

const TRACE = loadAzure2021({ file: "t.csv", text: "app,func,end_timestamp,duration\na1,f1,1.100,0.100\na1,f1,700.100,0.100\na2,f2,5.050,0.050\na1,f1,1400.000,0.100\n" });

function context(): { ctx: GuardContext; state: CaseState } {
  const state: CaseState = {};
  const ctx: GuardContext = { state: () => state, where: { maps: new Map(), stackOf: () => "" }, isPromise: (v) => v instanceof Promise, noun: "method" };
  return { ctx, state };
}

/** Replays the little trace with `exported` as the submission's export: the measures, or the failure's message. */
function run(exported: unknown): { ok: true; cost: number; cold: number } | { ok: false; message: string } {
  const { ctx, state } = context();
  const found = findPolicy(exported, "policy", { "policy.js": "" }, "policy.js", ctx);
  if (!found.ok) return { ok: false, message: found.message };
  try {
    const m = measureTrace(TRACE, wrapPolicy(found, ctx));
    return { ok: true, cost: m.cost, cold: m.counters.cold };
  } catch (e) {
    return { ok: false, message: state.failure?.message ?? `not a policy failure: ${String(e)}` };
  }
}

const withWindows = (windows: () => unknown) => ({ forApp: () => ({ onInvocation() {}, windows }) });

describe("a submission's keep-alive policy", () => {
  it("measures a valid policy exactly as the library's own policy with the same windows", () => {
    // a1 comes back after about 699 s idle, twice: warm under a 700 s keep-alive, so only the two first invocations start cold.
    const mine = run(withWindows(() => ({ preWarmMs: 0, keepAliveMs: 700_000 })));
    const library = measureTrace(TRACE, fixedKeepAlive(700_000));
    expect(mine).toEqual({ ok: true, cost: library.cost, cold: 2 });
    expect(library.counters.cold).toBe(2);
    expect(measureTrace(TRACE, fixedKeepAlive(600_000)).counters.cold).toBe(4);
  });

  it("fails a negative window, naming the field, the value, the application and the time (a1's first execution ends at 0.255 s)", () => {
    const r = run(withWindows(() => ({ preWarmMs: -5, keepAliveMs: 1000 })));
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/^Your `windows` method returned preWarmMs: -5 for application a1 at 0\.255 s into the trace; preWarmMs must be a finite number of milliseconds ≥ 0\. A window cannot be negative/) });
  });

  it("fails an infinite keep-alive and says how to keep an instance for the whole trace", () => {
    const r = run(withWindows(() => ({ preWarmMs: 0, keepAliveMs: Infinity })));
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining("keepAliveMs: Infinity") });
    expect(r).toMatchObject({ message: expect.stringContaining("return a window longer than the trace") });
  });

  it("fails NaN, a string and a missing field as windows that are not numbers", () => {
    expect(run(withWindows(() => ({ preWarmMs: NaN, keepAliveMs: 1 })))).toMatchObject({ message: expect.stringContaining("preWarmMs: NaN") });
    expect(run(withWindows(() => ({ preWarmMs: 0, keepAliveMs: "600000" })))).toMatchObject({ message: expect.stringContaining('keepAliveMs: a string ("600000")') });
    expect(run(withWindows(() => ({ preWarmMs: 0 })))).toMatchObject({ message: expect.stringContaining("keepAliveMs: undefined") });
    expect(run(withWindows(() => null))).toMatchObject({ message: expect.stringMatching(/^Your `windows` method returned null for application a1/) });
  });

  it("fails a forApp that returns no object or one without its methods", () => {
    expect(run({ forApp: () => 42 })).toMatchObject({ message: "Your `forApp` method returned a number (42) for application a1; it must return an object with `onInvocation` and `windows` methods." });
    expect(run({ forApp: () => ({ onInvocation() {} }) })).toMatchObject({ message: expect.stringContaining("has no `windows` method (it is undefined)") });
  });

  it("fails a method that throws or is async, in the method's name", () => {
    expect(run({ forApp: () => ({ onInvocation() { throw new Error("boom"); }, windows: () => ({ preWarmMs: 0, keepAliveMs: 0 }) }) })).toMatchObject({ message: expect.stringMatching(/^Your `onInvocation` method threw Error: boom/) });
    expect(run(withWindows(async () => ({ preWarmMs: 0, keepAliveMs: 0 })))).toMatchObject({ message: expect.stringMatching(/^Your `windows` method is async/) });
  });

  it("refuses at load an export that is not a policy object, or whose forApp or name has the wrong type", () => {
    expect(run(7)).toMatchObject({ message: "`policy` in policy.js must be a policy object with a `forApp` method, but it is a number (7)." });
    expect(run({ forapp: () => ({}) })).toMatchObject({ message: expect.stringContaining("`policy.forApp` must be a function") });
    expect(run({ name: 3, forApp: () => ({}) })).toMatchObject({ message: "`policy.name` must be a string, but it is a number (3)." });
  });
});
