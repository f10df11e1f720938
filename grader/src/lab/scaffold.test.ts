// lab new: a scaffolded lab, on each harness, validates out of the box — reference at full marks, starter at zero — in the real sandbox.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realDeps } from "../deps.js";
import { packageRoot } from "../paths.js";
import { ensureChildBuilt } from "../sandbox/built.js";
import { fixtureRoot } from "../test-helpers.js";
import { scaffoldLab } from "./scaffold.js";
import { buildCases } from "../cases.js";
import { loadLab } from "./load.js";
import { starterDrift, validateLab } from "./validate.js";

describe("a scaffolded lab", () => {
  let root: string;
  beforeAll(async () => {
    await ensureChildBuilt();
    root = fixtureRoot(packageRoot());
  }, 180_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("passes every check of lab validate as it is created", async () => {
    const files = scaffoldLab(root, "42-scaffolded", "trap");
    expect(files).toContain("solutions/42-scaffolded/handlers.ts");
    const checks = await validateLab("42-scaffolded", realDeps({ cacheDir: join(root, "cache") }), { root, cwd: root });
    expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  }, 120_000);

  it("on the bt harness, passes every check of lab validate as it is created", async () => {
    const files = scaffoldLab(root, "44-translated", "bt");
    expect(files).toEqual(expect.arrayContaining(["solutions/44-translated/translator.ts", "exercises/44-translated/guests/ring.s"]));
    const checks = await validateLab("44-translated", realDeps({ cacheDir: join(root, "cache") }), { root, cwd: root });
    expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  }, 120_000);

  it("scaffolds a serverless lab that loads, builds its traces and has a starter generated from its solution", async () => {
    const files = scaffoldLab(root, "43-keep-warm", "serverless");
    expect(files).toEqual(expect.arrayContaining(["solutions/43-keep-warm/policy.ts", "exercises/43-keep-warm/traces/sample.csv", "grader/labs/43-keep-warm/traces/hidden-sample.csv"]));
    const lab = loadLab("43-keep-warm", { root, cwd: root });
    expect(starterDrift(lab)).toEqual([]);
    const cases = await buildCases(lab, "all", realDeps());
    expect(cases.map((c) => c.id)).toEqual(["public/sample", "hidden/hidden-sample"]);
  });

  it("on the containers harness, passes every check of lab validate as it is created", async () => {
    const files = scaffoldLab(root, "43-scaffolded", "containers");
    expect(files).toEqual(expect.arrayContaining(["solutions/43-scaffolded/overlay.ts", "exercises/43-scaffolded/cases/weights.yaml"]));
    const checks = await validateLab("43-scaffolded", realDeps({ cacheDir: join(root, "cache") }), { root, cwd: root });
    expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  }, 120_000);
});
