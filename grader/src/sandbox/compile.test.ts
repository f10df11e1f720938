// Compiling submissions: the vmlab API resolves, nothing else on disk does, and every problem has a file, line and column.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSubmission, createCompileCache, jsName } from "./compile.js";
import { isTrapApiSpecifier as isApiSpecifier } from "./trap/api-specifier.js";
import { TYPE_APIS, typeApiOf } from "../harnesses/type-apis.js";
import { packageRoot } from "./paths.js";

const starter = `import { FLAG, csSelector } from "vmlab";
import type { TrapHandlers, VirtualCpu } from "vmlab";
import { resume } from "./resume.js";

export const handlers: TrapHandlers = {
  cli(vcpu: VirtualCpu) {
    vcpu.flags.IF = false;
    resume(vcpu, FLAG.IF + csSelector(0));
  },
};
`;
const helper = `import type { VirtualCpu } from "vmlab";
export function resume(vcpu: VirtualCpu, _unused: number): void {
  vcpu.skip();
}
`;

describe("compileSubmission", () => {
  it("type-checks a starter that imports types and constants from vmlab and a helper file, and emits one CommonJS body per file", () => {
    const r = compileSubmission({ "handlers.ts": starter, "resume.ts": helper }, { entry: "handlers.ts" });
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    expect(Object.keys(r.js).sort()).toEqual(["handlers.js", "resume.js"]);
    expect(r.js["handlers.js"]).toMatch(/require\("vmlab"\)/);
    expect(r.js["handlers.js"]).toMatch(/exports\.handlers = /);
    expect(r.js["handlers.js"]).toMatch(/sourceMappingURL=data:application\/json;base64,/);
  });

  it("compiles the reference solution, which imports the API by a relative path into src/", () => {
    const solution = readFileSync(new URL("../../../solutions/01-trap-and-emulate/handlers.ts", import.meta.url), "utf8");
    const r = compileSubmission({ "handlers.ts": solution }, { entry: "handlers.ts" });
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("reports type errors with the student's file, line, column and TypeScript code", () => {
    const r = compileSubmission({ "handlers.ts": starter.replace("vcpu.flags.IF = false", "vcpu.flags.IF = 0") }, { entry: "handlers.ts" });
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ file: "handlers.ts", line: 3, column: 24, code: "TS2307" }));
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ file: "handlers.ts", line: 7, column: 5, code: "TS2322", message: "Type 'number' is not assignable to type 'boolean'." }));
  });

  it("finds no file outside the submission: not the grader's suites, not /etc/passwd, not node's modules", () => {
    const r = compileSubmission({
      "handlers.ts": `/// <reference path="/etc/passwd" />
import hidden from "../../grader/labs/01-trap-and-emulate/hidden.yaml";
import * as fs from "node:fs";
import { handlers as solution } from "../../solutions/01-trap-and-emulate/handlers.js";
export const handlers = { ...solution, hidden, fs };
`,
    }, { entry: "handlers.ts" });
    expect(r.ok).toBe(false);
    const codes = r.diagnostics.map((d) => `${d.line}:${d.code}`);
    expect(codes).toEqual(expect.arrayContaining(["1:TS6231", "2:TS2307", "3:TS2307", "4:TS2307"]));
    expect(JSON.stringify(r.diagnostics)).not.toMatch(/root:x:0/);
  });

  it("refuses file names that climb out of the submission, and a missing entry", () => {
    expect(compileSubmission({ "../evil.ts": "" }, { entry: "../evil.ts" }).diagnostics.map((d) => d.code)).toContain("SUBMISSION_BAD_NAME");
    expect(compileSubmission({ "other.ts": "" }, { entry: "handlers.ts" })).toMatchObject({
      ok: false, diagnostics: [expect.objectContaining({ code: "SUBMISSION_NO_ENTRY", message: expect.stringMatching(/has no file 'handlers.ts' \(it has 'other.ts'\)/) })],
    });
  });

  it("refuses a file too large to type-check safely in the grader's process", () => {
    const r = compileSubmission({ "handlers.ts": "// " + "x".repeat(300 * 1024) }, { entry: "handlers.ts" });
    expect(r).toMatchObject({ ok: false, diagnostics: [expect.objectContaining({ code: "SUBMISSION_TOO_LARGE", file: "handlers.ts" })] });
  });

  it("declares the sandbox's console but not Node's process", () => {
    const r = compileSubmission({ "handlers.ts": `console.log("hi");\nprocess.exit(0);\nexport const handlers = {};\n` }, { entry: "handlers.ts" });
    expect(r.diagnostics.map((d) => `${d.line}:${d.code}`)).toEqual(["2:TS2591"]);
  });

  it("parses TypeScript's libs and the API once per cache and reuses them for every later submission (what makes a warm compile fast)", () => {
    const cache = createCompileCache();
    compileSubmission({ "handlers.ts": starter, "resume.ts": helper }, { entry: "handlers.ts", cache });
    const parsed = new Map(cache.files);
    expect([...parsed.keys()].some((f) => f.endsWith("lib.es2022.d.ts"))).toBe(true);
    compileSubmission({ "handlers.ts": starter.replace("YOUR CODE HERE", "changed"), "resume.ts": helper }, { entry: "handlers.ts", cache });
    expect(cache.files.size).toBe(parsed.size);
    for (const [name, file] of parsed) expect(cache.files.get(name), name).toBe(file);
    expect([...cache.files.keys()].some((f) => f.includes("/submission/"))).toBe(false);
  });

  it("reports type errors in the submission's own files only, never in the API it compiles against", () => {
    const api = typeApiOf("trap").apiSources(packageRoot());
    const broken = { files: { ...api.files, "arch.ts": api.files["arch.ts"] + "\nconst notANumber: number = \"x\";\n" } };
    const r = compileSubmission({ "handlers.ts": starter, "resume.ts": helper }, { entry: "handlers.ts", apiSources: broken });
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("finds no type error in any harness's API under the options submissions are checked with (so leaving the API's files unchecked hides nothing)", () => {
    for (const name of Object.keys(TYPE_APIS)) {
      const files = typeApiOf(name).apiSources(packageRoot()).files;
      const r = compileSubmission(files, { entry: Object.keys(files)[0]!, harness: name });
      expect(r.diagnostics.filter((d) => /^TS\d+$/.test(d.code)), name).toEqual([]);
    }
  });

  it("names compiled files after their sources and recognises the API's spellings", () => {
    expect(jsName("handlers.ts")).toBe("handlers.js");
    expect(jsName("lib/util.mts")).toBe("lib/util.js");
    expect(["vmlab", "../../src/index.js", "../src/vmm/api.js", "./src/isa/arch.js"].every(isApiSpecifier)).toBe(true);
    expect(["vmlab/extra", "src/index.js", "../../src/machine/machine.js", "fs"].some(isApiSpecifier)).toBe(false);
  });
});
