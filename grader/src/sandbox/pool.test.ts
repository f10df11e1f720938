// Isolation in kept sandbox children: a submission that plants state everywhere it can reach, then the next submission in the same child looks for it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildGuest } from "../../../src/guests/index.js";
import type { SandboxRequest } from "../contract.js";
import { toWire } from "../harnesses/trap-cases.js";
import { ensureChildBuilt } from "./built.js";
import { compileSubmission } from "./compile.js";
import { packageRoot } from "./paths.js";
import { createNodeSpawner, createSandbox, runInSandbox, type SpawnChild } from "./runner.js";

const root = packageRoot();
const planter = readFileSync(path.join(root, "grader/fixtures/isolation/plant-and-look.ts"), "utf8");
const correct = readFileSync(path.join(root, "solutions/01-trap-and-emulate/handlers.ts"), "utf8");
const cases = ["hello", "ring-check", "fault-divide"].map((name) => ({ id: name, input: { guest: toWire(buildGuest(name)), profile: "strict" as const, maxSteps: 2_000_000 } }));

function request(source: string): SandboxRequest {
  const compiled = compileSubmission({ "handlers.ts": source, "correct.ts": correct }, { entry: "handlers.ts" });
  expect(compiled.diagnostics).toEqual([]);
  return { harness: "trap", entry: "handlers.ts", exportName: "handlers", js: compiled.js, cases, limits: { caseSeconds: 5, memoryMb: 128 } };
}

beforeAll(() => ensureChildBuilt(root), 120_000);

describe("a kept sandbox child", () => {
  it("gives the next submission nothing of what the last one planted (globals, prototypes, module variables, the API module, the vcpu, promise jobs)", async () => {
    const pids: (number | undefined)[] = [];
    const real = createNodeSpawner();
    const spawn: SpawnChild = (command, args, options) => {
      const child = real(command, args, options);
      pids.push(child.pid);
      return child;
    };
    const sandbox = createSandbox({ spawn, pool: { submissions: 5 } });
    try {
      const req = request(planter);
      for (let submission = 0; submission < 3; submission++) {
        const results = await sandbox.run(req);
        expect(results.map((r) => (r.status === "ok" ? r.equivalent : r.message)), `submission ${submission + 1}`).toEqual([true, true, true]);
      }
      expect(pids, "all three submissions ran in one child").toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it("would be caught: the same file looking after its own planting finds its marks (the control)", async () => {
    const results = await runInSandbox(request(planter.replace("const LOOK_AFTER_PLANTING = false;", "const LOOK_AFTER_PLANTING = true;")));
    for (const r of results) {
      expect(r.status).toBe("handler-error");
      expect(r.status === "ok" ? "" : r.message).toMatch(/found a module variable, globalThis\b/);
    }
  }, 60_000);
});
