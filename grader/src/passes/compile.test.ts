// Compiling: TypeScript diagnostics become feedback with file:line, sorted; staging problems skip the compiler.
import { describe, expect, it } from "vitest";
import { compilePass } from "./compile.js";

const lab = { entry: "handlers.ts" };
const staged = { name: "s", kind: "folder" as const, files: { "handlers.ts": "x" }, feedback: [] };

describe("compilePass", () => {
  it("passes the compiled JavaScript through when the code type-checks", async () => {
    const r = await compilePass(staged, lab, () => ({ ok: true, js: { "handlers.js": "ok" }, diagnostics: [] }));
    expect(r).toEqual({ ok: true, js: { "handlers.js": "ok" }, feedback: [] });
  });

  it("turns type errors into feedback with file, line and column, in source order", async () => {
    const r = await compilePass(staged, lab, () => ({
      ok: false, js: {},
      diagnostics: [
        { file: "handlers.ts", line: 9, column: 3, message: "Property 'skp' does not exist on type 'VirtualCpu'.", code: "TS2339" },
        { file: "handlers.ts", line: 2, column: 1, message: "Cannot find name 'vcpu'.", code: "TS2304" },
      ],
    }));
    expect(r.ok).toBe(false);
    expect(r.feedback.map((f) => `${f.file}:${f.line}:${f.column} ${f.code}`)).toEqual(["handlers.ts:2:1 TS2304", "handlers.ts:9:3 TS2339"]);
  });

  it("does not compile a submission that failed to stage", async () => {
    const feedback = [{ kind: "stage" as const, code: "GRADE_MISSING_FILE", message: "handlers.ts is missing" }];
    let called = false;
    const r = await compilePass({ ...staged, files: {}, feedback }, lab, () => {
      called = true;
      return { ok: true, js: {}, diagnostics: [] };
    });
    expect(called).toBe(false);
    expect(r).toEqual({ ok: false, js: {}, feedback });
  });

  it("reports a compiler that throws as feedback, not as a grader crash", async () => {
    const r = await compilePass(staged, lab, () => {
      throw new Error("out of memory");
    });
    expect(r.feedback[0]!.message).toMatch(/the compiler failed on this submission: out of memory/);
  });
});
