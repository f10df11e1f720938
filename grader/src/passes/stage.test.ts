// Staging: a folder or a notebook becomes the lab's files; what is missing becomes feedback, not a crash.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTree } from "../test-helpers.js";
import { packageRoot } from "../paths.js";
import { fromNotebook, jsonDepth, MAX_FILE_BYTES, MAX_NOTEBOOK_BYTES, stageSubmission, SUBMISSION_TAG } from "./stage.js";

const lab = { studentFiles: ["handlers.ts"], entry: "handlers.ts" };

function notebook(cells: { source: string; tags?: string[]; type?: string }[]): string {
  return JSON.stringify({ cells: cells.map((c) => ({ cell_type: c.type ?? "code", source: c.source.split(/(?<=\n)/), metadata: { tags: c.tags ?? [] } })) });
}

describe("stageSubmission", () => {
  it("reads the files the lab names from a folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "stage-"));
    writeTree(dir, { "handlers.ts": "export const handlers = {};\n", "notes.md": "hi" });
    const s = stageSubmission(dir, lab);
    expect(s.kind).toBe("folder");
    expect(s.files).toEqual({ "handlers.ts": "export const handlers = {};\n" });
    expect(s.feedback).toEqual([]);
  });

  it("turns a missing file into feedback that suggests the file the student probably meant", () => {
    const dir = mkdtempSync(join(tmpdir(), "stage-"));
    writeTree(dir, { "handler.ts": "x" });
    const s = stageSubmission(dir, lab);
    expect(s.feedback).toEqual([{ kind: "stage", code: "GRADE_MISSING_FILE", file: "handlers.ts", message: "handlers.ts is missing from the submission (did you mean 'handler.ts'?)" }]);
  });

  it("refuses a path that does not exist with a clear error", () => {
    expect(() => stageSubmission("/no/such/submission", lab)).toThrow(/no submission at \/no\/such\/submission/);
  });

  it("takes the code of cells tagged vmlab:submission from a notebook, in order", () => {
    const dir = mkdtempSync(join(tmpdir(), "stage-"));
    const path = join(dir, "alice.ipynb");
    writeFileSync(path, notebook([
      { source: "// scratch\nconst x = 1;\n" },
      { source: "export const handlers = {\n", tags: [SUBMISSION_TAG] },
      { source: "# notes", type: "markdown", tags: [SUBMISSION_TAG] },
      { source: "};\n", tags: ["other", SUBMISSION_TAG] },
    ]));
    const s = stageSubmission(path, lab);
    expect(s).toMatchObject({ name: "alice", kind: "notebook", feedback: [] });
    expect(s.files["handlers.ts"]).toBe("export const handlers = {\n\n\n};\n");
  });

  it("sends a cell to another student file with a // file: first line", () => {
    const two = { studentFiles: ["handlers.ts", "util.ts"], entry: "handlers.ts" };
    const r = fromNotebook(notebook([{ source: "// file: util.ts\nexport const k = 1;", tags: [SUBMISSION_TAG] }, { source: "export const handlers = {};", tags: [SUBMISSION_TAG] }]), two);
    expect(r.files).toEqual({ "handlers.ts": "export const handlers = {};", "util.ts": "export const k = 1;" });
  });

  it("explains a notebook with no tagged cell and one that is not JSON", () => {
    expect(fromNotebook(notebook([{ source: "x" }]), lab).feedback[0]!.message).toMatch(/no code cell is tagged vmlab:submission/);
    expect(fromNotebook("{not json", lab).feedback[0]!.code).toBe("GRADE_BAD_NOTEBOOK");
  });
});

describe("staging refuses what is not a regular file inside the submission", () => {
  const root = packageRoot();
  const SOLUTION = join(root, "solutions/01-trap-and-emulate/handlers.ts");
  const folder = (): string => mkdtempSync(join(tmpdir(), "stage-threat-"));
  const refused = (dir: string, code: string, words: RegExp) => {
    const s = stageSubmission(dir, lab);
    expect(s.files).toEqual({});
    expect(s.feedback).toEqual([expect.objectContaining({ kind: "stage", code, file: "handlers.ts", message: expect.stringMatching(words) })]);
  };

  it("refuses a handlers.ts that links to the reference solution, by a relative path or through /proc/self/cwd", () => {
    const a = folder();
    symlinkSync(SOLUTION, join(a, "handlers.ts"));
    refused(a, "GRADE_FILE_OUTSIDE", /handlers\.ts is a symbolic link that leads outside the submission/);
    const b = folder();
    symlinkSync("/proc/self/cwd/solutions/01-trap-and-emulate/handlers.ts", join(b, "handlers.ts"));
    refused(b, "GRADE_FILE_OUTSIDE", /outside the submission/);
  });

  it("refuses links to /proc/self/environ and /dev/zero without reading a byte", () => {
    for (const target of ["/proc/self/environ", "/dev/zero"]) {
      const d = folder();
      symlinkSync(target, join(d, "handlers.ts"));
      refused(d, "GRADE_FILE_OUTSIDE", /outside the submission/);
    }
  });

  it("refuses a file reached through a linked folder that leaves the submission", () => {
    const d = folder();
    const lab2 = { studentFiles: ["lib/handlers.ts"], entry: "lib/handlers.ts" };
    symlinkSync(join(root, "solutions/01-trap-and-emulate"), join(d, "lib"));
    const s = stageSubmission(d, lab2);
    expect(s.feedback[0]).toMatchObject({ code: "GRADE_FILE_OUTSIDE", message: expect.stringMatching(/lies behind a symbolic link/) });
  });

  it("accepts a link that stays inside the submission", () => {
    const d = folder();
    writeTree(d, { "src/handlers.ts": "export const handlers = {};\n" });
    symlinkSync("src/handlers.ts", join(d, "handlers.ts"));
    expect(stageSubmission(d, lab)).toMatchObject({ files: { "handlers.ts": "export const handlers = {};\n" }, feedback: [] });
  });

  it("refuses a named pipe at once instead of waiting on it forever", () => {
    const d = folder();
    execFileSync("mkfifo", [join(d, "handlers.ts")]);
    refused(d, "GRADE_NOT_A_FILE", /is a named pipe \(FIFO\), not a regular file/);
  });

  it("refuses a folder named handlers.ts", () => {
    const d = folder();
    mkdirSync(join(d, "handlers.ts"));
    refused(d, "GRADE_NOT_A_FILE", /handlers\.ts is a folder, not/);
  });

  it("refuses a file over the size cap without reading it", () => {
    const d = folder();
    writeFileSync(join(d, "handlers.ts"), "x".repeat(MAX_FILE_BYTES + 1));
    refused(d, "GRADE_FILE_TOO_LARGE", /larger than 1 MiB/);
  });

  it("refuses a notebook that is a link (to /dev/null, say), one over the cap and one nested absurdly deep, each in words", () => {
    const d = folder();
    symlinkSync("/dev/null", join(d, "alice.ipynb"));
    expect(stageSubmission(join(d, "alice.ipynb"), lab).feedback[0]).toMatchObject({ code: "GRADE_FILE_OUTSIDE", message: expect.stringMatching(/is a symbolic link/) });
    const big = join(d, "big.ipynb");
    writeFileSync(big, " ".repeat(MAX_NOTEBOOK_BYTES + 1));
    expect(stageSubmission(big, lab).feedback[0]).toMatchObject({ code: "GRADE_FILE_TOO_LARGE", message: expect.stringMatching(/larger than 8 MiB.*clear the outputs/) });
    const deep = join(d, "deep.ipynb");
    writeFileSync(deep, "[".repeat(1_000_000) + "]".repeat(1_000_000));
    expect(stageSubmission(deep, lab).feedback[0]).toMatchObject({ code: "GRADE_BAD_NOTEBOOK", message: expect.stringMatching(/nests arrays and objects 1000000 deep/) });
  });

  it("measures nesting without counting brackets inside strings", () => {
    expect(jsonDepth('{"a": [1, {"b": "[[[[\\"]]"}]}')).toBe(3);
  });
});
