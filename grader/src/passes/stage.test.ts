// Staging: a folder or a notebook becomes the lab's files; what is missing becomes feedback, not a crash.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTree } from "../test-helpers.js";
import { fromNotebook, stageSubmission, SUBMISSION_TAG } from "./stage.js";

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
