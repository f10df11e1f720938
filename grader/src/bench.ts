// Grader throughput, in wall and CPU seconds: one `vmlab grade` process with lab 01's full suite, and a `grade-batch --jobs 2`, each the median of several repetitions.
//
// CPU seconds are what a loaded machine cannot blur: each run is a process of its own (`node bin/vmlab.js …`),
// and its CPU time is read from this process's waited-for children (/proc/self/stat: user + system of every
// child and grandchild that has exited — the grader, its type-checking threads and its sandbox children).
// Every submission is a copy of the reference solution with a comment of its own — a number and this run's
// random id — so no cache knows it, not even one kept on disk by an earlier run (compile-store.ts).
// Each measurement is a fresh process, so V8's warmth does not carry over; the disk's does: single grades repeat
// untimed until the CPU time of the last two is within 10% (at most `maxWarmups`), then `repetitions` of each are timed.
import { execa } from "execa";
import { randomUUID } from "node:crypto";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { realDeps } from "./deps.js";
import { prepareLab } from "./grade.js";
import { loadLab } from "./lab/load.js";
import { packageRoot } from "./paths.js";

export interface GraderBench {
  readonly grader: {
    /** One `vmlab grade <submission> --lab <lab> --suite all` process, process start included. */
    readonly single: { readonly wall_s: number; readonly cpu_s: number | null };
    /** `vmlab grade-batch --jobs N` over `submissions` distinct submissions, the whole process. */
    readonly batch: { readonly jobs: number; readonly submissions: number; readonly wall_s: number; readonly cpu_s_per_submission: number | null; readonly submissions_per_min: number };
  };
  readonly lab: string;
  readonly cases_per_submission: number;
  readonly repetitions: number;
  readonly targets: { readonly single_cpu_s: number; readonly batch_cpu_s_per_submission: number };
}

export interface GraderBenchOptions {
  readonly lab?: string;
  /** Submissions in the batch (default 50). */
  readonly batch?: number;
  readonly jobs?: number;
  /** Timed repetitions of each measurement (default 3). */
  readonly repetitions?: number;
  /** Untimed runs at most before timing, until two agree within 10% (default 3). */
  readonly maxWarmups?: number;
}

/** CPU seconds of this process's exited children (Linux), or undefined where /proc cannot tell. */
export function childrenCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    // Fields 16 and 17 (cutime, cstime), counted from the state field (3): indexes 13 and 14. Clock ticks: 100 a second on Linux.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Wall and CPU seconds of one command, CPU from the children this process waited for. */
async function measure(args: readonly string[], cwd: string): Promise<{ wall: number; cpu: number | undefined }> {
  const c0 = childrenCpuSeconds();
  const t0 = performance.now();
  await execa(process.execPath, args, { cwd, reject: true, env: { CI: "1" } });
  const wall = (performance.now() - t0) / 1000;
  const c1 = childrenCpuSeconds();
  return { wall, cpu: c0 === undefined || c1 === undefined ? undefined : c1 - c0 };
}

/** Warm up until the CPU time settles, then the medians of `repetitions` timed runs. */
async function settled(run: () => Promise<{ wall: number; cpu: number | undefined }>, repetitions: number, maxWarmups: number) {
  let last: number | undefined;
  for (let i = 0; i < maxWarmups; i++) {
    const { cpu } = await run();
    if (cpu === undefined || (last !== undefined && Math.abs(cpu - last) <= 0.1 * last)) break;
    last = cpu;
  }
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const r = await run();
    walls.push(r.wall);
    if (r.cpu !== undefined) cpus.push(r.cpu);
  }
  return { wall: median(walls), cpu: cpus.length === repetitions ? median(cpus) : undefined };
}

export async function benchGrader(options: GraderBenchOptions = {}): Promise<GraderBench> {
  const root = packageRoot();
  const labId = options.lab ?? "01-trap-and-emulate";
  const lab = loadLab(labId);
  const deps = realDeps();
  const prepared = await prepareLab(lab, "all", deps); // the reference's numbers, cached where every run finds them
  const n = options.batch ?? 50;
  const jobs = options.jobs ?? 2;
  const repetitions = options.repetitions ?? 3;
  const maxWarmups = options.maxWarmups ?? 3;
  const work = mkdtempSync(join(tmpdir(), "vmlab-bench-"));
  let copies = 0;
  // Not a seed of anything measured: it only keeps this run's submissions apart from every earlier run's.
  const runId = randomUUID();
  /** A fresh copy of the reference solution, distinct from every other by a comment. */
  const submission = (dir: string): void => {
    cpSync(lab.solutionDir, dir, { recursive: true });
    for (const f of lab.studentFiles) if (existsSync(join(dir, f))) appendFileSync(join(dir, f), `\n// bench copy ${++copies} of run ${runId}\n`);
  };
  const bin = join(root, "bin/vmlab.js");
  try {
    const single = await settled(async () => {
      const dir = join(work, `single-${copies}`);
      submission(dir);
      return measure([bin, "grade", dir, "--lab", labId, "--suite", "all"], root);
    }, repetitions, maxWarmups);
    let round_ = 0;
    const batch = await settled(async () => {
      const subs = join(work, `batch-${++round_}`);
      for (let i = 0; i < n; i++) submission(join(subs, `s${String(i).padStart(3, "0")}`));
      const r = await measure([bin, "grade-batch", subs, "--lab", labId, "--suite", "all", "--jobs", String(jobs), "--out", join(work, `out-${round_}`)], root);
      rmSync(subs, { recursive: true, force: true });
      return r;
    }, repetitions, 0);
    return {
      grader: {
        single: { wall_s: round(single.wall), cpu_s: single.cpu === undefined ? null : round(single.cpu) },
        batch: {
          jobs, submissions: n, wall_s: round(batch.wall), cpu_s_per_submission: batch.cpu === undefined ? null : round(batch.cpu / n, 3),
          submissions_per_min: round((n / batch.wall) * 60, 1),
        },
      },
      lab: labId, cases_per_submission: prepared.cases.length, repetitions,
      targets: { single_cpu_s: 2.0, batch_cpu_s_per_submission: 0.9 },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
