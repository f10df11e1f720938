// The platform exports end to end: each made by one `vmlab lab export` command from a course repository, then run as its platform would run it in a faked layout (Gradescope's /autograder, PrairieLearn's /grade, a GitHub Actions workspace per job), with the real vmlab inside the package.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Ajv } from "ajv";
import { DockerfileParser } from "dockerfile-ast";
import { unzipSync } from "fflate";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCases } from "../cases.js";
import type { WireGuest } from "../contract.js";
import { fromWire } from "../harnesses/trap-cases.js";
import { realFactory, realTrusted } from "../deps.js";
import { loadLab } from "../lab/load.js";
import { packageRoot } from "../paths.js";
import { platformCourse } from "../test-helpers.js";

const run = promisify(execFile);
const repo = packageRoot();
const course = platformCourse(repo);
const work = mkdtempSync(join(tmpdir(), "vmlab-platforms-"));
const env = { ...process.env, CI: "true", VMLAB_NODE_MODULES: join(repo, "node_modules") };
const vmlab = (cwd: string, ...args: string[]) => run(process.execPath, [join(cwd, "bin/vmlab.js"), ...args], { cwd, env, maxBuffer: 1 << 26 });
const bash = (script: string, cwd: string, extra: Record<string, string> = {}) => run("bash", ["-e", "-c", script], { cwd, env: { ...env, ...extra }, maxBuffer: 1 << 26 });
/** Real processes on a loaded machine: a limit for the hooks that run them, never a timing assertion. */
const LONG = 600_000;
const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

const solution = readFileSync(join(course.root, "solutions/99-platforms/handlers.ts"), "utf8");
/** A submission whose PUSHF always shows IF set: it passes the public guest and diverges on the hidden secret guest. */
const broken = solution.replace("vcpu.push(vcpu.flags.word);", "vcpu.push(vcpu.flags.word | FLAG.IF);");
const submissions: Record<string, string> = { alice: solution, bob: broken };

/** Every student-facing text the tests collect, by where it came from: the hidden guests' text must be in none. */
const studentFacing: [string, string][] = [];

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(course.root, { recursive: true, force: true });
}, LONG);

/**
 * The three exports and every platform run are set up at once, in one hook, as far as they do not wait on
 * each other: the first export warms the package's cache and the other two start from it (package.ts), and
 * the platform runs — Gradescope's, PrairieLearn's, the workflow's jobs — go in parallel.
 */
const ag = join(work, "autograder");
const agBroken = join(work, "autograder-broken");
let results: Record<string, unknown>;
const plOut = join(work, "prairielearn");
const grade = join(work, "grade");
const gradeSyntax = join(work, "grade-syntax");
const ghaOut = join(work, "gha");
const artifacts = join(work, "artifacts");
let workflow: { jobs: Record<string, { strategy?: { matrix: Record<string, unknown[]> }; steps: Record<string, unknown>[]; needs?: string }> };
let summary = "";

async function gradescope(exported: Promise<unknown>): Promise<void> {
  const zip = join(work, "autograder.zip");
  await exported;
  // Gradescope unpacks the zip into /autograder/source and runs setup.sh once.
  for (const [f, bytes] of Object.entries(unzipSync(readFileSync(zip)))) {
    mkdirSync(join(ag, "source", f, ".."), { recursive: true });
    writeFileSync(join(ag, "source", f), bytes, { mode: f === "setup.sh" || f === "run_autograder" || f.endsWith(".sh") || f.startsWith("vmlab/bin/") ? 0o755 : 0o644 });
  }
  await bash("bash source/setup.sh", ag, { VMLAB_AUTOGRADER_ROOT: ag });
  mkdirSync(join(ag, "submission"));
  writeFileSync(join(ag, "submission/handlers.ts"), broken);
  // Submitted a day and a half after the due date: two started days at 10% each.
  writeFileSync(join(ag, "submission_metadata.json"), JSON.stringify({ created_at: "2026-01-11T12:00:00Z", users: [{ sid: "bob", email: "bob@example.edu" }], previous_submissions: [] }));
  await Promise.all([
    bash("bash source/run_autograder", ag, { VMLAB_AUTOGRADER_ROOT: ag }),
    // A layout with no submission folder: grading cannot start.
    (async () => {
      cpSync(join(ag, "source"), join(agBroken, "source"), { recursive: true });
      await bash("bash source/run_autograder", agBroken, { VMLAB_AUTOGRADER_ROOT: agBroken });
    })(),
  ]);
  results = json(join(ag, "results/results.json"));
  studentFacing.push(["gradescope results.json", JSON.stringify(results)]);
}

async function prairieLearn(exported: Promise<unknown>): Promise<void> {
  await exported;
  // What the image's RUN line does, then PrairieLearn's mounts.
  await bash("bash vmlab/install.sh", plOut);
  mkdirSync(join(grade, "student"), { recursive: true });
  mkdirSync(join(grade, "tests"));
  mkdirSync(join(grade, "data"));
  writeFileSync(join(grade, "student/handlers.ts"), broken);
  // Submitted after the due date, as the question's parse() stamps it: the hidden cases are listed one by one.
  writeFileSync(join(grade, "data/data.json"), JSON.stringify({ variant_seed: 42, params: { vmlab_submitted_at: "2026-01-11T12:00:00Z" }, submitted_answers: {} }));
  mkdirSync(join(gradeSyntax, "student"), { recursive: true });
  writeFileSync(join(gradeSyntax, "student/handlers.ts"), "export const handlers = {\n");
  await Promise.all([
    bash(`bash ${join(plOut, "run.sh")}`, grade, { VMLAB_GRADE_ROOT: grade }),
    bash(`bash ${join(plOut, "run.sh")}`, gradeSyntax, { VMLAB_GRADE_ROOT: gradeSyntax }),
  ]);
}

async function gitHubActions(exported: Promise<unknown>): Promise<void> {
  await exported;
  for (const [name, text] of Object.entries(submissions)) {
    mkdirSync(join(ghaOut, "submissions", name));
    writeFileSync(join(ghaOut, "submissions", name, "handlers.ts"), text);
  }
  const file = join(ghaOut, ".github/workflows/vmlab-grade-99-platforms.yml");
  workflow = parseYaml(readFileSync(file, "utf8")) as typeof workflow;
  mkdirSync(artifacts);
  const shards = workflow.jobs.grade!.strategy!.matrix.shard!;
  await Promise.all(shards.map((k) => runJob(workflow.jobs.grade!, { shard: String(k) }, ghaOut, join(work, `job-grade-${k}`), artifacts)));
  summary = await runJob(workflow.jobs.merge!, {}, ghaOut, join(work, "job-merge"), artifacts);
  // The same submissions graded on one machine.
  await bash("node vmlab/bin/vmlab.js grade-batch submissions --lab 99-platforms --suite all --jobs 1 --feedback json,gradescope,junit,md,html --as-of 2026-02-01T00:00:00Z --out single", join(work, "job-merge"));
}

beforeAll(async () => {
  const first = vmlab(course.root, "lab", "export", "gradescope", course.lab, "--out", join(work, "autograder.zip"));
  const after = first.then(() => undefined);
  await Promise.all([
    gradescope(first),
    prairieLearn(after.then(() => vmlab(course.root, "lab", "export", "prairielearn", course.lab, "--out", plOut, "--image", "course/vmlab-99"))),
    gitHubActions(after.then(() => vmlab(course.root, "lab", "export", "github-actions", course.lab, "--out", ghaOut, "--shards", "2", "--jobs", "1"))),
  ]);
}, LONG);

describe("vmlab lab export gradescope", () => {

  it("writes results.json as the specification defines it: the published schema and its value sets", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const valid = ajv.validate(json(join(repo, "grader/schema/gradescope-results.schema.json")), results);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const tests = results.tests as { status: string; visibility: string; name: string; number: string; tags: string[] }[];
    expect(tests.length).toBeGreaterThan(1);
    for (const t of tests) {
      expect(["passed", "failed"]).toContain(t.status);
      expect(["visible", "hidden", "after_due_date", "after_published"]).toContain(t.visibility);
    }
    expect(["text", "html", "simple_format", "md", "ansi"]).toContain(results.output_format);
    expect(tests.find((t) => t.name === "public: hello")).toMatchObject({ status: "passed" });
  });

  it("takes the late penalty from submission_metadata.json's created_at, states it, and scores the raw score less the penalty", () => {
    const raw = (results.tests as { score: number }[]).reduce((s, t) => s + t.score, 0);
    const penalty = Math.round(raw * 0.2 * 100) / 100;
    expect(String(results.output)).toContain(
      `submitted 2026-01-11T12:00:00.000Z (Gradescope's submission time), 2 days after the due date 2026-01-10T00:00:00Z; 2 days charged at 10% per day: −${penalty} points (raw ${raw} → ${raw - penalty})`,
    );
    expect(results.score).toBeCloseTo(raw - penalty, 2);
  });

  it("keeps the hidden suite out of the submission folder, and leaves a valid zero result with the reason when grading cannot start", () => {
    expect(readdirSync(join(ag, "submission"))).toEqual(["handlers.ts"]);
    const zero = json(join(agBroken, "results/results.json"));
    expect(zero).toMatchObject({ score: 0, tests: [] });
    expect(String(zero.output)).toMatch(/submission does not exist/);
  });
});

describe("vmlab lab export prairielearn", () => {
  const out = plOut;

  it("defines an image on a Node base that copies the package and runs its entrypoint, with networking off", () => {
    const file = DockerfileParser.parse(readFileSync(join(out, "Dockerfile"), "utf8"));
    const [from] = file.getFROMs();
    expect(from!.getImageName()).toBe("node");
    for (const copy of file.getInstructions().filter((i) => i.getKeyword() === "COPY")) expect(existsSync(join(out, copy.getArguments()[0]!.getValue()))).toBe(true);
    expect(json(join(out, "info.json.part"))).toEqual({ externalGradingOptions: { enabled: true, image: "course/vmlab-99", entrypoint: "/grader/run.sh", timeout: 600, enableNetworking: false } });
  });

  it("writes /grade/results/results.json in PrairieLearn's format: a score in [0, 1] and every test's points", () => {
    const r = json(join(grade, "results/results.json")) as { score: number; gradable: boolean; message: string; output: string; tests: Record<string, unknown>[] };
    studentFacing.push(["prairielearn results.json", JSON.stringify(r)]);
    expect(r.gradable).toBe(true);
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThan(1);
    for (const t of r.tests) expect(Object.keys(t).sort()).toEqual(["description", "max_points", "message", "name", "output", "points"]);
    // After the due date by the time parse() stamped, the hidden cases are listed one by one (per-case), not as a suite total.
    expect(r.tests.map((t) => t.name)).toEqual(expect.arrayContaining(["hidden/secret", "hidden/mine-000"]));
    expect(readFileSync(join(out, "server.py.part"), "utf8")).toMatch(/def parse\(data\):\n {4}data\["params"\]\["vmlab_submitted_at"\] = /);
    expect(r.score).toBeCloseTo(r.tests.reduce((s, t) => s + Number(t.points), 0) / r.tests.reduce((s, t) => s + Number(t.max_points), 0), 2);
  });

  it("marks a submission that does not compile as not gradable, with its format errors", () => {
    const r = json(join(gradeSyntax, "results/results.json")) as { gradable: boolean; score: number; format_errors: string[] };
    expect(r).toMatchObject({ gradable: false, score: 0 });
    expect(r.format_errors.join("\n")).toMatch(/handlers\.ts/);
  });
});

/** Run one job of a parsed workflow the way a runner would: each step in a fresh checkout, `uses:` steps emulated. */
async function runJob(job: { steps: Record<string, unknown>[] }, matrix: Record<string, string>, checkout: string, workspace: string, artifacts: string): Promise<string> {
  const expand = (s: string) => s.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, k: string) => matrix[k]!);
  const summary = join(workspace, "..", `${workspace.split("/").pop()}-summary.md`);
  writeFileSync(summary, "");
  for (const step of job.steps) {
    const uses = step.uses as string | undefined;
    const w = Object.fromEntries(Object.entries((step.with ?? {}) as Record<string, string>).map(([k, v]) => [k, expand(String(v))]));
    if (uses === "actions/checkout@v4") cpSync(checkout, workspace, { recursive: true });
    else if (uses === "actions/setup-node@v4") expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(Number(w["node-version"]));
    else if (uses === "actions/upload-artifact@v4") {
      expect(existsSync(join(workspace, w.path!))).toBe(true);
      cpSync(join(workspace, w.path!), join(artifacts, w.name!), { recursive: true });
    } else if (uses === "actions/download-artifact@v4") {
      const pattern = new RegExp(`^${w.pattern!.replace(/\*/g, ".*")}$`);
      for (const name of readdirSync(artifacts).filter((n) => pattern.test(n))) cpSync(join(artifacts, name), join(workspace, w.path!, name), { recursive: true });
    } else if (uses) throw new Error(`the test runner does not know ${uses}`);
    else await bash(expand(String(step.run)), workspace, { GITHUB_STEP_SUMMARY: summary });
  }
  return readFileSync(summary, "utf8");
}

describe("vmlab lab export github-actions", () => {

  it("grades on a matrix of shards that merges after them", () => {
    expect(workflow.jobs.grade!.strategy!.matrix.shard).toEqual([1, 2]);
    expect(workflow.jobs.merge!.needs).toBe("grade");
    expect(readdirSync(artifacts).sort()).toEqual(["gradebook", "shard-1", "shard-2"]);
  });

  it("merges into the gradebook a single machine writes: the same grades.csv and the same results, timings apart", () => {
    const merged = join(work, "job-merge/gradebook");
    const single = join(work, "job-merge/single");
    expect(readFileSync(join(merged, "grades.csv"), "utf8")).toBe(readFileSync(join(single, "grades.csv"), "utf8"));
    const names = readdirSync(join(single, "results")).sort();
    expect(readdirSync(join(merged, "results")).sort()).toEqual(names);
    expect(names).toEqual(["alice.json", "bob.json"]);
    for (const n of names) {
      const { timings: _a, ...m } = json(join(merged, "results", n));
      const { timings: _b, ...s } = json(join(single, "results", n));
      expect(m).toEqual(s);
    }
    expect(summary).toBe(readFileSync(join(merged, "summary.md"), "utf8"));
    expect(summary).toMatch(/^# Batch summary\n\n2 submissions/);
  });

  it("shards the submissions between the runners: each shard's results are its own part", () => {
    expect(readdirSync(join(artifacts, "shard-1/results"))).toEqual(["alice.json"]);
    expect(readdirSync(join(artifacts, "shard-2/results"))).toEqual(["bob.json"]);
    const feedback = join(work, "job-merge/single/feedback");
    for (const name of readdirSync(feedback)) for (const f of readdirSync(join(feedback, name))) studentFacing.push([`feedback/${name}/${f}`, readFileSync(join(feedback, name, f), "utf8")]);
  });

});

describe("hints for hidden cases", () => {
  it("never carry a hidden guest's source or bytes, in any output a student reads", async () => {
    const results = json(join(work, "job-merge/single/results/bob.json")) as { cases: { id: string; status: string; visibility: string }[] };
    // bob fails the hidden secret guest, so every student-facing output holds a hint for it.
    expect(results.cases.find((c) => c.id === "hidden/secret")).toMatchObject({ status: "failed" });
    const hidden = readFileSync(join(course.root, "grader/labs/99-platforms/hidden/secret.s"), "utf8");
    const needles = [course.secret, "5ec2d00d", String(0x5ec2d00d), ...hidden.split("\n").map((l) => l.trim()).filter((l) => l.length >= 8)];
    // Every hidden guest as each student's run had it: its image's bytes (as the sandbox gets them, and as words) and its generator's seed.
    const lab = loadLab(course.lab, { root: course.root, cwd: course.root });
    for (const student of Object.keys(submissions)) {
      for (const c of await buildCases(lab, "hidden", { factory: realFactory, trusted: realTrusted }, { variant: student })) {
        const guest = c.input.guest as WireGuest;
        for (const seg of guest.segments) for (const run of seg.runs) if (run.bytes.length >= 16) needles.push(run.bytes);
        for (const seg of fromWire(guest).segments) {
          const bytes = Buffer.from(seg.bytes);
          for (let i = 0; i + 4 <= bytes.length; i += 4) if (bytes.readUInt32LE(i) > 0xffff) needles.push(bytes.readUInt32LE(i).toString(16).padStart(8, "0"));
        }
        if (c.origin.kind === "generated") needles.push(String(c.origin.seed));
      }
    }
    expect(studentFacing.length).toBe(2 + 2 * 5);
    const withHint = studentFacing.filter(([, text]) => text.includes("PUSHF with the virtual IF clear"));
    expect(withHint.map(([where]) => where)).toEqual(expect.arrayContaining(["gradescope results.json", "feedback/bob/feedback.md", "feedback/bob/feedback.html", "feedback/bob/results.json"]));
    for (const [where, text] of studentFacing) for (const n of needles) expect(text.includes(n), `${where} holds '${n}'`).toBe(false);
  }, LONG);
});
