// The sandbox child's flags: the permission model per Node version, and V8's tiers below TurboFan only for a child whose whole work is short.
import { describe, expect, it } from "vitest";
import type { SandboxRequest } from "../contract.js";
import { childFlags, isShortRun, SHORT_CASE_LIMIT_SECONDS, SHORT_RUN_CASES } from "./node-flags.js";
import { fakeSpawner, keeping } from "./fake-child.js";
import { createSandbox } from "./runner.js";

const cases = (n: number, seconds?: number) => Array.from({ length: n }, () => (seconds === undefined ? {} : { seconds }));

describe("a short run", () => {
  it("is one session of at most 64 cases whose limits are all at most 2 s", () => {
    expect(isShortRun(cases(31, 1), 1)).toBe(true);
    expect(isShortRun(cases(SHORT_RUN_CASES, SHORT_CASE_LIMIT_SECONDS), 1)).toBe(true);
  });

  it("is not a kept child's (many sessions), nor one with a long case, a case without a limit or too many cases", () => {
    expect(isShortRun(cases(31, 1), 20)).toBe(false);
    expect(isShortRun([...cases(30, 1), { seconds: SHORT_CASE_LIMIT_SECONDS + 1 }], 1)).toBe(false);
    expect(isShortRun([...cases(30, 1), {}], 1)).toBe(false);
    expect(isShortRun(cases(SHORT_RUN_CASES + 1, 1), 1)).toBe(false);
  });

  it("caps V8's optimizing tier in the child's flags, and only then", () => {
    const base = { version: "v20.19.0", root: "/vmlab", memoryMb: 64 };
    expect(childFlags({ ...base, short: true })).toContain("--max-opt=2");
    expect(childFlags(base).some((f) => f.startsWith("--max-opt"))).toBe(false);
  });
});

const request = (seconds: number | undefined): SandboxRequest => ({
  harness: "trap", entry: "handlers.ts", exportName: "handlers", js: { "handlers.js": "" },
  cases: ["a", "b"].map((id) => ({ id, input: {}, ...(seconds === undefined ? {} : { seconds }) })),
  limits: { caseSeconds: 5, memoryMb: 64 },
});

describe("the runner", () => {
  const options = { root: "/vmlab", childScript: "/c.js", nodeVersion: async () => "v20.19.0", watchMs: 10, isolateNetwork: false, bindLifetime: false } as const;

  it("starts a child for one submission's short cases without TurboFan, and one for long cases with it", async () => {
    const fake = fakeSpawner(keeping());
    const sandbox = createSandbox({ ...options, spawn: fake.spawn });
    await sandbox.run(request(1));
    await sandbox.run(request(5));
    expect(fake.spawned.map((c) => c.args.includes("--max-opt=2"))).toEqual([true, false]);
  });

  it("keeps TurboFan in kept children, which grade submission after submission", async () => {
    const fake = fakeSpawner(keeping());
    const sandbox = createSandbox({ ...options, spawn: fake.spawn, pool: { submissions: 20 } });
    await sandbox.run(request(1));
    await sandbox.close();
    expect(fake.spawned.map((c) => c.args.includes("--max-opt=2"))).toEqual([false]);
  });
});
