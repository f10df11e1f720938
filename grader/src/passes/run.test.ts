// Running: one sandbox request per submission; a sandbox that throws or loses a case gives per-case results, never a crash.
import { describe, expect, it } from "vitest";
import type { GradeCase } from "../cases.js";
import { runPass, sandboxRequest } from "./run.js";

const input = { guest: { segments: [{ address: 0x1000, bytes: "AQIDBA==" }], entry: 0x1000 }, profile: "strict", maxSteps: 100 };
const cases = ["public/a", "public/b"].map((id) => ({ id, input }) as unknown as GradeCase);
const lab = { entry: "handlers.ts", exportName: "handlers", harness: "trap" as const, limits: { caseSeconds: 2, memoryMb: 256, maxSteps: 100 }, cost: { portIo: 10 } };
const compiled = { ok: true, js: { "handlers.js": "code" }, feedback: [] };

describe("runPass", () => {
  it("sends the compiled code, every case's input as it is, the limits, the cost overrides and the harness's words for a runaway case", () => {
    const req = sandboxRequest(compiled.js, cases, lab);
    expect(req).toEqual({
      harness: "trap", entry: "handlers.ts", exportName: "handlers", js: { "handlers.js": "code" },
      cases: [
        { id: "public/a", input },
        { id: "public/b", input },
      ],
      limits: { caseSeconds: 2, memoryMb: 256 }, cost: { portIo: 10 },
      runaway: expect.stringMatching(/never calls vcpu\.skip\(\)/),
    });
    expect(sandboxRequest(compiled.js, cases, { ...lab, harness: "serverless" }).runaway).toMatch(/^A policy method probably runs forever/);
  });

  it("returns results in case order whatever order the sandbox answers in", async () => {
    const r = await runPass(compiled, cases, lab, async () => [
      { id: "public/b", status: "timeout", message: "2 s" },
      { id: "public/a", status: "crashed", message: "boom" },
    ]);
    expect(r.map((x) => x.id)).toEqual(["public/a", "public/b"]);
  });

  it("turns a sandbox that throws into a crashed result for every case", async () => {
    const r = await runPass(compiled, cases, lab, async () => {
      throw new Error("spawn EAGAIN");
    });
    expect(r).toEqual(cases.map((c) => ({ id: c.id, status: "crashed", message: "the sandbox failed: spawn EAGAIN" })));
  });

  it("marks a case the sandbox never answered as crashed", async () => {
    const r = await runPass(compiled, cases, lab, async () => [{ id: "public/a", status: "timeout", message: "t" }]);
    expect(r[1]).toMatchObject({ id: "public/b", status: "crashed" });
  });

  it("does not start the sandbox for a submission that did not compile", async () => {
    const r = await runPass({ ok: false, js: {}, feedback: [] }, cases, lab, async () => {
      throw new Error("must not run");
    });
    expect(r.every((x) => x.status === "load-error")).toBe(true);
  });
});
