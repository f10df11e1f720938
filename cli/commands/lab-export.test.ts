// vmlab lab export and vmlab autograde at the command line: bad input is one message and exit code 2 (the exports themselves run end to end in grader/src/platforms/platforms.e2e.test.ts).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { main } from "../main.js";

async function vmlab(args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), "vmlab-export-"));
  let stdout = "";
  let stderr = "";
  const code = await main(args, { cwd, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {} });
  return { code, stdout, stderr, cwd };
}

describe("vmlab lab export github-classroom", () => {
  it("writes the handout as a template repository whose Classroom workflow runs its public tests on every push and pull request", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "vmlab-classroom-")), "template");
    const r = await vmlab(["lab", "export", "github-classroom", join(process.cwd(), "exercises/01-trap-and-emulate"), "--out", out, "--max-score", "20"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining([".github", ".gitignore", "handlers.ts", "lab.yaml", "package.json", "tests", "vendor"]));
    expect(readFileSync(join(out, "lab.yaml"), "utf8")).not.toMatch(/hidden/);
    type Step = { id?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> };
    const wf = parseYaml(readFileSync(join(out, ".github/workflows/classroom.yml"), "utf8")) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    expect(wf.permissions.checks).toBe("write");
    const steps = Object.values(wf.jobs)[0]!.steps;
    const grader = steps.find((s) => s.uses === "classroom-resources/autograding-command-grader@v1")!;
    expect(grader.with).toMatchObject({ command: "npm test", "max-score": 20 });
    // npm test is the handout's public tests (the handout's own tests run them: grader/src/e2e.test.ts).
    expect((JSON.parse(readFileSync(join(out, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.test).toBe("vitest run");
    const reporter = steps.find((s) => s.uses === "classroom-resources/autograding-grading-reporter@v1")!;
    expect(reporter.with).toEqual({ runners: grader.id });
    expect(reporter.env).toEqual({ [`${grader.id!.toUpperCase()}_RESULTS`]: `\${{steps.${grader.id}.outputs.result}}` });
  }, 120_000);
});

describe("vmlab lab export and vmlab autograde", () => {
  it("name the platforms for an unknown one, with a did-you-mean, and exit 2", async () => {
    const r = await vmlab(["lab", "export", "gradscope", "01-trap-and-emulate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown platform 'gradscope'\nhint: did you mean 'gradescope'? platforms are gradescope, prairielearn, github-actions, github-classroom\n");
  });

  it("refuse a matrix of no runners and an --out that already holds files, writing nothing", async () => {
    const shards = await vmlab(["lab", "export", "github-actions", "01-trap-and-emulate", "--shards", "0", "--out", "x"]);
    expect([shards.code, shards.stderr]).toEqual([2, "error: --shards must be at least 1, got 0\nhint: e.g. --shards 4\n"]);
    const dir = mkdtempSync(join(tmpdir(), "vmlab-export-out-"));
    writeFileSync(join(dir, "keep.txt"), "mine");
    const busy = await vmlab(["lab", "export", "prairielearn", "01-trap-and-emulate", "--out", dir]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/^error: .* already exists\nhint: pass a new path to --out\n$/);
  });

  it("refuse to grade from a vmlab that is not a grading package, and still leave a valid zero results.json", async () => {
    const root = mkdtempSync(join(tmpdir(), "vmlab-ag-"));
    mkdirSync(join(root, "submission"));
    const r = await vmlab(["autograde", "gradescope", "--root", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*platform\.json is missing: this vmlab is not a grading package\nhint: make one with vmlab lab export/);
    expect(JSON.parse(readFileSync(join(root, "results/results.json"), "utf8"))).toMatchObject({ score: 0, tests: [] });
  });
});
