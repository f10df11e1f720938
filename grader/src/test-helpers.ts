// Fixtures for the grader's tests: a small lab on disk, a fake sandbox and guest factory (no sandbox process, no monitor).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import type { Loadable } from "../../src/machine/machine.js";
import type { GuestFactory } from "./harnesses/trap-cases.js";
import type { CompileResult, SandboxCaseResult, SandboxPort, SandboxRequest } from "./contract.js";
import type { GraderDeps } from "./grade.js";
import type { TrustedRunner } from "./reference.js";
import { packageRoot } from "./paths.js";

/** A package-shaped temp folder (package.json named vmlab) with the lab schema copied in, so loaders resolve data files from it. */
export function fixtureRoot(schemaFrom: string): string {
  const root = mkdtempSync(join(tmpdir(), "vmlab-grader-"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "vmlab", private: true }));
  for (const s of ["lab.schema.json", "result.schema.json", "gradescope-results.schema.json"]) {
    mkdirSync(join(root, "grader/schema"), { recursive: true });
    writeFileSync(join(root, "grader/schema", s), readFileSync(join(schemaFrom, "grader/schema", s), "utf8"));
  }
  return root;
}

/** Write files under a root: { "exercises/x/lab.yaml": "..." }. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
}

export const FIXTURE_LAB_YAML = `# yaml-language-server: $schema=../../grader/schema/lab.schema.json
id: 99-fixture
title: Fixture lab
harness: trap
profile: strict
student_files: [handlers.ts]
limits: { case_seconds: 2, memory_mb: 256 }
suites:
  public:
    guests: [guests/a.s, { path: guests/b.s, points: 3 }]
  hidden:
    file: grader/labs/99-fixture/hidden.yaml
rubric:
  correctness: { points: 80, per: case }
  overhead: { points: 20, full_at: 1.1, zero_at: 3.0 }
due: 2027-03-01T23:59:00Z
late: { per_day: 10%, max_days: 3 }
`;

/** A complete small lab: two public guests, one hidden guest and a generated set of two. */
export function writeFixtureLab(root: string, yaml: string = FIXTURE_LAB_YAML): string {
  writeTree(root, {
    "exercises/99-fixture/lab.yaml": yaml,
    "exercises/99-fixture/handlers.ts": "export const handlers = {};\n",
    "exercises/99-fixture/guests/a.s": "; guest a: powers off\nmov r1, 0\nout 0xf0, r1\n",
    "exercises/99-fixture/guests/b.s": "; guest b: prints and powers off\nmov r1, 66\nout 0x10, r1\nmov r1, 0\nout 0xf0, r1\n",
    "grader/labs/99-fixture/hidden.yaml": "guests: [hidden/c.s]\ngenerated:\n  - { seed: 7, count: 2, mix: [cli, sti] }\n",
    "grader/labs/99-fixture/hidden/c.s": "; guest c: hidden\nmov r1, 0\nout 0xf0, r1\n",
    "solutions/99-fixture/handlers.ts": "export const handlers = { cli(v: any) { v.skip(); } };\n",
  });
  return join(root, "exercises/99-fixture");
}

const tinyGuest = (tag: number): Loadable => ({ segments: [{ address: 0, bytes: new Uint8Array([tag, 0, 0, 0]) }], entry: 0 });

/** A guest factory that assembles nothing: every guest is four bytes holding a tag. */
export function fakeFactory(): GuestFactory {
  let n = 0;
  return {
    assemble: (source) => tinyGuest(source.length & 0xff),
    builtin: () => tinyGuest(++n),
    generate: ({ seed }) => ({ source: `; generated ${seed}\n` }),
  };
}

/** Per-case behaviour of the fake sandbox: cycles, or a failure. */
export type FakeCase = { cycles: number; equivalent?: boolean; divergence?: string } | { status: Exclude<SandboxCaseResult["status"], "ok">; message: string };

/**
 * A fake sandbox. `behave(js, caseId)` decides each case from the compiled code's text, so a test can
 * write "a submission whose code says SLOW takes twice the cycles".
 */
export function fakeSandbox(behave: (js: string, caseId: string) => FakeCase, options: { compile?: (files: Record<string, string>) => CompileResult; nativeCycles?: number } = {}): SandboxPort & { requests: SandboxRequest[] } {
  const requests: SandboxRequest[] = [];
  return {
    requests,
    compileSubmission: (files) => options.compile?.(files) ?? { ok: true, js: Object.fromEntries(Object.entries(files).map(([k, v]) => [k.replace(/\.ts$/, ".js"), v])), diagnostics: [] },
    runInSandbox: async (request, run) => {
      requests.push(request);
      const js = Object.values(request.js).join("\n");
      return request.cases.map((c): SandboxCaseResult => {
        const b = behave(js, c.id);
        const native = options.nativeCycles ?? 1000;
        const r: SandboxCaseResult = "status" in b ? { id: c.id, status: b.status, message: b.message } : {
          id: c.id, status: "ok", equivalent: b.equivalent ?? true, ...(b.divergence ? { divergence: { message: b.divergence, pc: 0x1000, disassembly: "popf" } } : {}),
          cost: b.cycles, baseline: native, counters: { exits: 3 },
        };
        run?.onResult?.(r);
        return r;
      });
    },
  };
}

export const fakeTrusted = (cycles = 1000): TrustedRunner => ({ nativeCycles: () => cycles });

/** Deps for the pipeline with fakes everywhere and a clock that ticks 1 ms per call. */
export function fakeDeps(sandbox: SandboxPort, cacheDir: string): GraderDeps {
  let t = 0;
  return { sandbox, factory: fakeFactory(), trusted: fakeTrusted(), now: () => (t += 1), cacheDir };
}

/** Every file under a folder, relative to it, sorted. */
export function walkFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** Everything the package ships in the open: bundled guests and library sources. */
function openCorpus(root: string): string {
  return ["guests", "src"]
    .flatMap((d) => walkFiles(join(root, d)).filter((f) => /\.(s|ts)$/.test(f)).map((f) => readFileSync(join(root, d, f), "utf8")))
    .join("\n");
}

/**
 * Lines of a hidden guest's code (comments and blanks dropped) that appear nowhere in the open sources:
 * if one of them shows up in a report or a handout, it came from the hidden guest. Callers check there
 * are at least a few, so a check over them cannot pass vacuously.
 */
export function distinctiveLines(asm: string, root: string): string[] {
  const open = openCorpus(root);
  const lines = asm
    .split("\n")
    .map((l) => l.replace(/;.*$/, "").trim())
    .filter((l) => l.length >= 10 && !open.includes(l));
  return [...new Set(lines)];
}

export { goldenMismatch } from "../../src/core/golden.js";

/**
 * A course repository for the platform exports' tests, in a temp folder: the built vmlab copied in (dist/,
 * bin/, guests/, schemas, package files; node_modules linked) and lab 99-platforms — lab 01's solution and
 * starter on one public guest, a hidden hand-written guest holding a marker, and a generated set.
 */
export function platformCourse(repo: string): { root: string; lab: string; secret: string } {
  const root = mkdtempSync(join(tmpdir(), "vmlab-course-"));
  cpSync(join(repo, "dist"), join(root, "dist"), { recursive: true, filter: (f) => !f.endsWith(".map") && !/\.test\.(js|d\.ts)$/.test(f) });
  for (const f of ["bin", "guests", "grader/schema"]) cpSync(join(repo, f), join(root, f), { recursive: true });
  for (const f of ["package.json", "package-lock.json"]) cpSync(join(repo, f), join(root, f));
  // One link per package, as a platform's install.sh makes them offline (a linked node_modules is not where the sandbox may read).
  mkdirSync(join(root, "node_modules"));
  for (const name of readdirSync(join(repo, "node_modules"))) symlinkSync(join(repo, "node_modules", name), join(root, "node_modules", name));
  const secret = "PLATYPUS-7731";
  writeTree(root, {
    "exercises/99-platforms/lab.yaml": `id: 99-platforms
title: Platforms fixture
harness: trap
profile: strict
student_files: [handlers.ts]
limits: { case_seconds: 5, memory_mb: 256, max_steps: 200000 }
suites:
  public:
    guests: [{ builtin: hello }]
  hidden:
    file: grader/labs/99-platforms/hidden.yaml
rubric:
  correctness: { points: 80, per: case }
  overhead: { points: 20, full_at: 1.5, zero_at: 4.0 }
due: 2026-01-10T00:00:00Z
late: { per_day: 10%, max_days: 3 }
`,
    "exercises/99-platforms/handlers.ts": readFileSync(join(repo, "exercises/01-trap-and-emulate/handlers.ts"), "utf8"),
    "solutions/99-platforms/handlers.ts": readFileSync(join(repo, "solutions/01-trap-and-emulate/handlers.ts"), "utf8"),
    "grader/labs/99-platforms/hidden.yaml": `visibility: hidden
guests:
  - { path: hidden/secret.s, category: "PUSHF with the virtual IF clear" }
generated:
  - { name: mine, seed: 5, count: 2, size: 4, mix: [cli, sti, pushf, popf] }
`,
    "grader/labs/99-platforms/hidden/secret.s": `; ${secret}: the flags a guest pushes under CLI
    cli
    pushf
    pop r2
    mov r3, 0x5ec2d00d
    mov r1, 0
    out 0xf0, r1
`,
  });
  return { root, lab: "99-platforms", secret };
}

/**
 * What a released handout leaks: each file holding a student secret (a hidden case, a solution line) or one of
 * the calibration set's own lines (its mistakes, not the lines it quotes from the solution), as "file: what".
 */
export function handoutLeaks(out: string, secrets: readonly { what: string; text: string }[], solutionFile: string, calibration: string): string[] {
  const solution = readFileSync(solutionFile, "utf8");
  const mistakes = readFileSync(calibration, "utf8").split("\n").filter((l) => l.trim().length >= 40 && !solution.includes(l.trim()));
  return walkFiles(out).flatMap((f) => {
    const text = readFileSync(join(out, f), "utf8");
    return [...secrets.filter((s) => text.includes(s.text)).map((s) => `${f}: ${s.what}`), ...mistakes.filter((l) => text.includes(l.trim())).map((l) => `${f}: calibration ${l.trim().slice(0, 40)}`)];
  });
}

/** A finished process: its exit code and both streams. */
export interface ProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * What `npm install` does in a handout, without the network: node_modules holds the repository's installed
 * packages (the handout's dependencies are a subset) and `vmlab` is the vendored copy, with its command.
 */
export function installOffline(handout: string, root: string = packageRoot()): void {
  const modules = join(handout, "node_modules");
  mkdirSync(join(modules, ".bin"), { recursive: true });
  for (const name of readdirSync(join(root, "node_modules"))) if (name !== ".bin" && name !== "vmlab") symlinkSync(join(root, "node_modules", name), join(modules, name));
  symlinkSync(join(handout, "vendor/vmlab"), join(modules, "vmlab"));
  symlinkSync(join(handout, "vendor/vmlab/bin/vmlab.js"), join(modules, ".bin/vmlab"));
}

/** `npx vmlab ARGS` in a handout folder, as a student runs it. */
export function inHandout(handout: string, args: string[]): Promise<ProcessRun> {
  return runProcess(process.execPath, [join(handout, "node_modules/.bin/vmlab"), ...args], handout);
}

/** `npm test` in a handout folder (vitest run). */
export function vitestIn(handout: string): Promise<ProcessRun> {
  return runProcess(process.execPath, [join(handout, "node_modules/vitest/vitest.mjs"), "run"], handout);
}

export function runProcess(command: string, args: string[], cwd: string): Promise<ProcessRun> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
