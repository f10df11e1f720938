// The containers harness on the grader's side: lab 04 loads on it, its cases carry the model's expectation, and a bad lab.yaml or case file is refused by file and line.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildCases } from "../cases.js";
import { realFactory, realTrusted } from "../deps.js";
import { loadLab } from "../lab/load.js";
import { packageRoot } from "../paths.js";
import { containersHarness } from "./containers.js";
import { harnessNames } from "./index.js";

const deps = { factory: realFactory, trusted: realTrusted };
const work = mkdtempSync(join(tmpdir(), "vmlab-containers-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the containers harness", () => {
  it("is registered beside trap", () => {
    expect(harnessNames()).toEqual(expect.arrayContaining(["trap", "containers"]));
  });

  it("builds lab 04's 36 cases, each with the model's expectation and, for overlay cases, a full-copy baseline above the bytes the model writes", async () => {
    const lab = loadLab("04-containers");
    const cases = await buildCases(lab, "all", deps);
    expect(cases).toHaveLength(36);
    expect(cases.filter((c) => c.suite === "public").map((c) => c.name)).toEqual(["cap", "copy-up", "errors", "idle", "image-layers", "lookup", "opaque", "weights", "whiteout"]);
    const copyUp = cases.find((c) => c.id === "public/copy-up")!;
    expect(copyUp.describe).toBe("appending to an image file copies that one file up, once; writing a new file copies nothing");
    const expected = (copyUp.input as { expected: { writtenBytes: number; fullCopyBytes: number; commit: { digest: string } } }).expected;
    expect(expected.commit.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(containersHarness.baseline(copyUp, lab, deps)).toEqual({ cost: expected.fullCopyBytes + expected.writtenBytes });
    expect(containersHarness.baseline(cases.find((c) => c.id === "public/weights")!, lab, deps)).toEqual({ cost: null });
    expect(cases.find((c) => c.id === "hidden/overlay-003")!.origin).toMatchObject({ kind: "generated", generator: "overlay", options: { ops: 30 } });
  });

  it("refuses a lab.yaml with guests, a profile or a generator it does not have, each at its place", () => {
    const problems: string[] = [];
    containersHarness.checkConfig(
      { profile: "strict", suites: { public: { guests: ["a.s"], generated: [{ seed: 1, count: 1, generator: "random" }] } } } as never,
      (path, what) => problems.push(`${path.join(".")} ${what}`),
    );
    expect(problems).toEqual([
      "profile is set, but the containers harness runs no guests",
      "suites.public.guests names guests, but the containers harness runs case files",
      "suites.public.generated.0.generator 'random' is not a containers generator",
    ]);
  });

  it("refuses a bad case file with LAB_BAD_CASE, naming the file and line", async () => {
    const copy = join(work, "04-containers");
    cpSync(join(packageRoot(), "exercises/04-containers"), copy, { recursive: true });
    writeFileSync(join(copy, "cases/broken.yaml"), "layers:\n  - files: {}\nops:\n  - lookup: /a\n  - chmod: /a\n");
    const lab = loadLab(copy, { cwd: work });
    await expect(buildCases(lab, "public", deps)).rejects.toMatchObject({ code: "LAB_BAD_CASE", message: expect.stringMatching(/cases\/broken\.yaml:5: names no operation \(chmod\)$/) });
  });
});
