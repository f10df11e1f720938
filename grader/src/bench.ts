// Grader throughput: one submission with its full hidden suite (wall time including process start), and a batch of 50 with two jobs.
import { execa } from "execa";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gradeBatch } from "./batch.js";
import { realDeps } from "./deps.js";
import { prepareLab } from "./grade.js";
import { loadLab } from "./lab/load.js";
import { packageRoot } from "./paths.js";

export interface GraderBench {
  /** `node bin/vmlab.js grade <reference> --lab 01 --suite hidden`, wall clock including process start (reference cycles cached). */
  readonly single_submission_ms: number;
  /** Submissions per minute for a batch of `batch_size` copies of the reference with --jobs 2. */
  readonly batch_per_minute: number;
  readonly batch_size: number;
  readonly jobs: number;
  readonly cases_per_submission: number;
  readonly targets: { readonly single_submission_ms: number; readonly batch_per_minute: number };
}

export async function benchGrader(options: { lab?: string; batch?: number; jobs?: number } = {}): Promise<GraderBench> {
  const root = packageRoot();
  const labId = options.lab ?? "01-trap-and-emulate";
  const lab = loadLab(labId);
  const deps = realDeps();
  const prepared = await prepareLab(lab, "hidden", deps); // warms the reference cache the CLI run uses
  const t0 = performance.now();
  await execa(process.execPath, [join(root, "bin/vmlab.js"), "grade", lab.solutionDir, "--lab", labId, "--suite", "hidden"], { cwd: root, reject: true });
  const single = performance.now() - t0;
  const n = options.batch ?? 50;
  const jobs = options.jobs ?? 2;
  const work = mkdtempSync(join(tmpdir(), "vmlab-bench-"));
  try {
    for (let i = 0; i < n; i++) cpSync(lab.solutionDir, join(work, "subs", `s${String(i).padStart(3, "0")}`), { recursive: true });
    const t1 = performance.now();
    await gradeBatch(join(work, "subs"), join(work, "out"), prepared, deps, { jobs, resume: false });
    const perMinute = (n / ((performance.now() - t1) / 1000)) * 60;
    return {
      single_submission_ms: Math.round(single), batch_per_minute: Math.round(perMinute * 10) / 10, batch_size: n, jobs,
      cases_per_submission: prepared.cases.length, targets: { single_submission_ms: 3000, batch_per_minute: 60 },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
