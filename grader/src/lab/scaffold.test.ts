// lab new: a scaffolded lab validates out of the box — reference at full marks, starter at zero — in the real sandbox.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realDeps } from "../deps.js";
import { packageRoot } from "../paths.js";
import { ensureChildBuilt } from "../sandbox/built.js";
import { fixtureRoot } from "../test-helpers.js";
import { scaffoldLab } from "./scaffold.js";
import { validateLab } from "./validate.js";

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

  it("on the containers harness, passes every check of lab validate as it is created", async () => {
    const files = scaffoldLab(root, "43-scaffolded", "containers");
    expect(files).toEqual(expect.arrayContaining(["solutions/43-scaffolded/overlay.ts", "exercises/43-scaffolded/cases/weights.yaml"]));
    const checks = await validateLab("43-scaffolded", realDeps({ cacheDir: join(root, "cache") }), { root, cwd: root });
    expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  }, 120_000);
});
