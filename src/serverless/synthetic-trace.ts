// A seeded generator of a synthetic Azure Functions trace in the real dataset's columns (2019 and 2021 schemas), labelled synthetic.
//
// The applications follow the invocation patterns Shahrad et al. (ATC 2020) describe — timers at fixed periods,
// HTTP traffic from busy to very rare with a daily swing, queue bursts, event streams — so that keep-alive
// policies meet the situations that separate them. Nothing in it is drawn from the real dataset: it exists so
// that the notebooks, tests and `vmlab sim keepalive` run without the 1.5 GB download, and so that the loaders
// are exercised on files with exactly the real columns. The same seed gives the same bytes.
import { createRng, type Rng } from "../sim/rng.js";
import { DURATIONS_2019_HEADER, INVOCATIONS_2019_HEADER, MEMORY_2019_HEADER } from "./azure-2019.js";
import { INVOCATIONS_2021_HEADER } from "./azure-2021.js";
import { NORMAL_QUANTILES as Z, lognormal } from "./variates.js";
import { wholeNumber } from "./validate.js";

/** One invocation pattern. `ratePerMinute(m)` for Poisson patterns, `at(m)` for deterministic ones. */
interface Pattern {
  readonly name: string;
  readonly trigger: string;
  /** Invocations in minute m of the day. */
  count(rng: Rng, minute: number): number;
}

const diurnal = (minute: number) => 1 + 0.6 * Math.sin(((minute - 480) / 1440) * 2 * Math.PI);

function poisson(name: string, trigger: string, perMinute: number, daily = true): Pattern {
  return { name, trigger, count: (rng, m) => rng.poisson(perMinute * (daily ? diurnal(m) : 1)) };
}

function timer(name: string, periodMinutes: number, phase: number): Pattern {
  return { name, trigger: "timer", count: (_rng, m) => (m % periodMinutes === phase % periodMinutes ? 1 : 0) };
}

function bursts(name: string, trigger: string, everyMinutes: number, size: number): Pattern {
  let next = -1;
  return {
    name,
    trigger,
    count: (rng, m) => {
      if (next < 0) next = rng.int(0, everyMinutes);
      if (m !== next) return 0;
      next = m + rng.int(Math.round(everyMinutes / 2), Math.round((3 * everyMinutes) / 2));
      return rng.int(Math.round(size / 2), size * 2);
    },
  };
}

/** The applications of the sample, each with its functions' patterns and typical duration; fresh each call, since burst patterns keep state. */
function sampleApps(): readonly { readonly name: string; readonly functions: readonly { pattern: Pattern; medianMs: number; sigma: number }[] }[] {
  return [
    { name: "timer-every-minute", functions: [{ pattern: timer("tick", 1, 0), medianMs: 120, sigma: 0.3 }] },
    { name: "timer-5-minutes", functions: [{ pattern: timer("poll", 5, 2), medianMs: 800, sigma: 0.4 }] },
    { name: "timer-15-minutes", functions: [{ pattern: timer("report", 15, 0), medianMs: 2500, sigma: 0.3 }] },
    { name: "timer-15-minutes-b", functions: [{ pattern: timer("sync", 15, 7), medianMs: 400, sigma: 0.5 }] },
    { name: "timer-30-minutes", functions: [{ pattern: timer("cleanup", 30, 11), medianMs: 1500, sigma: 0.4 }] },
    { name: "timer-hourly", functions: [{ pattern: timer("rollup", 60, 23), medianMs: 9000, sigma: 0.5 }] },
    { name: "timer-daily", functions: [{ pattern: timer("backup", 1440, 180), medianMs: 60000, sigma: 0.3 }] },
    { name: "http-busy", functions: [{ pattern: poisson("api", "http", 6), medianMs: 60, sigma: 0.8 }, { pattern: poisson("health", "http", 1, false), medianMs: 5, sigma: 0.2 }] },
    { name: "http-steady", functions: [{ pattern: poisson("page", "http", 1.5), medianMs: 200, sigma: 0.7 }] },
    { name: "http-light", functions: [{ pattern: poisson("form", "http", 0.2), medianMs: 300, sigma: 0.9 }, { pattern: timer("warm", 20, 4), medianMs: 10, sigma: 0.2 }] },
    { name: "http-every-few-minutes", functions: [{ pattern: poisson("webhook", "http", 0.3, false), medianMs: 150, sigma: 0.5 }] },
    { name: "http-quarter-hourly", functions: [{ pattern: poisson("login", "http", 1 / 15), medianMs: 250, sigma: 0.6 }] },
    { name: "http-rare", functions: [{ pattern: poisson("admin", "http", 1 / 120), medianMs: 700, sigma: 0.7 }] },
    { name: "http-very-rare", functions: [{ pattern: poisson("export", "http", 1 / 480), medianMs: 4000, sigma: 0.6 }] },
    { name: "queue-bursts", functions: [{ pattern: bursts("drain", "queue", 180, 40), medianMs: 90, sigma: 0.6 }] },
    { name: "queue-small-bursts", functions: [{ pattern: bursts("notify", "queue", 45, 6), medianMs: 40, sigma: 0.5 }] },
    { name: "event-stream", functions: [{ pattern: poisson("ingest", "event", 3, false), medianMs: 25, sigma: 0.5 }] },
    { name: "storage-uploads", functions: [{ pattern: poisson("thumbnail", "storage", 0.05), medianMs: 1200, sigma: 0.6 }, { pattern: poisson("index", "storage", 0.05), medianMs: 300, sigma: 0.5 }] },
    { name: "orchestration", functions: [{ pattern: bursts("activity", "orchestration", 90, 8), medianMs: 500, sigma: 0.7 }, { pattern: bursts("orchestrator", "orchestration", 90, 2), medianMs: 30, sigma: 0.4 }] },
    { name: "others-rare", functions: [{ pattern: poisson("misc", "others", 1 / 60, false), medianMs: 100, sigma: 0.5 }] },
  ];
}

/** Options of the generator. */
export interface SyntheticTraceOptions {
  /** The seed (the committed sample uses 2019). */
  readonly seed?: number;
  /** How many days of 2019-schema files (default 1). */
  readonly days?: number;
  /** How many minutes of the first day go into the 2021-schema file (default 20). */
  readonly minutes2021?: number;
}

/** The generated files: name → contents. */
export type SyntheticTraceFiles = Readonly<Record<string, string>>;

function hash(rng: Rng): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += rng.nextU32().toString(16).padStart(8, "0");
  return s;
}

const int = (x: number) => String(Math.max(1, Math.round(x)));

/** The default seed, with which data/azure-synthetic/ was generated. */
export const SYNTHETIC_SEED = 2019;

/** Generates the sample: per day the three 2019 files, plus one 2021-schema file. */
export function generateSyntheticTrace(options: SyntheticTraceOptions = {}): SyntheticTraceFiles {
  const seed = options.seed ?? SYNTHETIC_SEED;
  const days = wholeNumber("days", options.days ?? 1, 1);
  const minutes2021 = wholeNumber("minutes of the 2021 file", options.minutes2021 ?? 20, 1);
  const rng = createRng(seed);
  const owners = [hash(rng), hash(rng), hash(rng), hash(rng)];
  const apps = sampleApps().map((a, i) => ({
    ...a,
    owner: owners[i % owners.length]!,
    hash: hash(rng),
    memoryMb: lognormal(rng, 150, 0.5),
    functions: a.functions.map((f) => ({ ...f, hash: hash(rng) })),
  }));
  const files: Record<string, string> = {};
  const rows2021: { app: string; fn: string; end: number; duration: number }[] = [];
  for (let day = 0; day < days; day++) {
    const dd = String(day + 1).padStart(2, "0");
    const inv = [[...INVOCATIONS_2019_HEADER, ...Array.from({ length: 1440 }, (_, m) => String(m + 1))].join(",")];
    const dur = [DURATIONS_2019_HEADER.join(",")];
    const mem = [MEMORY_2019_HEADER.join(",")];
    const patternRng = rng.fork();
    const durationRng = rng.fork();
    for (const app of apps) {
      let activeMinutes = 0;
      for (const f of app.functions) {
        const counts = Array.from({ length: 1440 }, (_, m) => f.pattern.count(patternRng, m));
        const total = counts.reduce((s, c) => s + c, 0);
        activeMinutes = Math.max(activeMinutes, counts.filter((c) => c > 0).length);
        inv.push([app.owner, app.hash, f.hash, f.pattern.trigger, ...counts].join(","));
        if (total > 0) {
          const q = (z: number) => f.medianMs * Math.exp(f.sigma * z);
          const average = f.medianMs * Math.exp((f.sigma * f.sigma) / 2);
          dur.push([app.owner, app.hash, f.hash, int(average), total, int(q(Z.p0_1)), int(q(Z.p99_9)), int(q(Z.p0_1)), int(q(Z.p1)), int(q(Z.p25)), int(q(Z.p50)), int(q(Z.p75)), int(q(Z.p99)), int(q(Z.p99_9))].join(","));
        }
        if (day === 0) {
          for (let m = 0; m < minutes2021; m++) {
            for (let k = 0; k < counts[m]!; k++) {
              const start = (m + durationRng.next()) * 60;
              const duration = Number(Math.max(0.001, lognormal(durationRng, f.medianMs, f.sigma) / 1000).toFixed(3));
              rows2021.push({ app: app.hash, fn: f.hash, end: start + duration, duration });
            }
          }
        }
      }
      const mq = (z: number) => app.memoryMb * Math.exp(0.15 * z);
      mem.push([app.owner, app.hash, Math.max(12, activeMinutes * 12), int(app.memoryMb), int(mq(Z.p1)), int(mq(-1.6449)), int(mq(Z.p25)), int(mq(Z.p50)), int(mq(Z.p75)), int(mq(1.6449)), int(mq(Z.p99)), int(mq(Z.p99_9))].join(","));
    }
    files[`invocations_per_function_md.anon.d${dd}.csv`] = inv.join("\n") + "\n";
    files[`function_durations_percentiles.anon.d${dd}.csv`] = dur.join("\n") + "\n";
    files[`app_memory_percentiles.anon.d${dd}.csv`] = mem.join("\n") + "\n";
  }
  rows2021.sort((a, b) => a.end - b.end || (a.app < b.app ? -1 : 1));
  files["invocations_2021_schema.csv"] =
    [INVOCATIONS_2021_HEADER.join(","), ...rows2021.map((r) => `${r.app},${r.fn},${r.end.toFixed(6)},${r.duration.toFixed(3)}`)].join("\n") + "\n";
  return files;
}
