import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTimestamps, submissionTime } from "./timestamp.js";

const dir = mkdtempSync(join(tmpdir(), "vmlab-ts-"));
const folder = (name: string, files: Record<string, string>): string => {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  for (const [f, t] of Object.entries(files)) writeFileSync(join(p, f), t);
  return p;
};

describe("a submission's time", () => {
  it("comes from Gradescope's created_at before a declared time and a commit", () => {
    const p = folder("gs", { "submission_metadata.json": JSON.stringify({ created_at: "2027-03-02T09:00:00.123-08:00" }), "vmlab-submission.json": '{"submitted_at":"2027-01-01T00:00:00Z"}', ".git": "" });
    expect(submissionTime(p, "gs", { commitTime: () => "2026-01-01T00:00:00Z" })).toEqual({ at: "2027-03-02T17:00:00.123Z", source: "gradescope" });
  });

  it("comes from the folder's declared time, a notebook's metadata, or the last commit of a work tree", () => {
    expect(submissionTime(folder("d", { "vmlab-submission.json": '{"submitted_at":"2027-03-02T10:00:00Z"}' }), "d")).toEqual({ at: "2027-03-02T10:00:00.000Z", source: "declared" });
    const nb = join(dir, "n.ipynb");
    writeFileSync(nb, JSON.stringify({ cells: [], metadata: { vmlab: { submitted_at: "2027-03-02T11:00:00Z" } } }));
    expect(submissionTime(nb, "n")).toEqual({ at: "2027-03-02T11:00:00.000Z", source: "declared" });
    const repo = folder("g", {});
    mkdirSync(join(repo, ".git"));
    expect(submissionTime(repo, "g", { commitTime: (d) => (d === repo ? "2027-03-03T01:02:03+01:00" : undefined) })).toEqual({ at: "2027-03-03T00:02:03.000Z", source: "git" });
  });

  it("is unknown rather than now when nothing records it", () => {
    expect(submissionTime(folder("none", { "handlers.ts": "" }), "none")).toBeUndefined();
  });

  it("comes first from a timestamps file, which refuses a bad date with its line", () => {
    const f = join(dir, "times.csv");
    writeFileSync(f, "submission,submitted_at\nalice,2027-03-02T10:00:00Z\n");
    const table = readTimestamps(f);
    expect(submissionTime(folder("alice", { "vmlab-submission.json": '{"submitted_at":"2027-01-01T00:00:00Z"}' }), "alice", { table })).toEqual({ at: "2027-03-02T10:00:00.000Z", source: "timestamps" });
    writeFileSync(f, "submission,submitted_at\nalice,2027-03-02T10:00:00Z\nbob,yesterday\n");
    expect(() => readTimestamps(f)).toThrow(/times\.csv:3: 'yesterday' is not an ISO 8601 date-time/);
  });
});
