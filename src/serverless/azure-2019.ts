// The Azure Functions 2019 trace schema: per-minute invocation counts, duration percentiles and app memory, turned into invocations.
//
// Schema (Azure Public Dataset, AzureFunctionsDataset2019.md): one file per day for each of
//   invocations_per_function_md.anon.dNN.csv   HashOwner,HashApp,HashFunction,Trigger,1,…,1440 (invocations per minute)
//   function_durations_percentiles.anon.dNN.csv HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,
//                                              percentile_Average_{0,1,25,50,75,99,100} (ms, without cold starts)
//   app_memory_percentiles.anon.dNN.csv         HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct{1,5,25,50,75,95,99,100}
// Applications are the unit of memory and keep-alive. A minute's count becomes that many arrivals inside the
// minute (uniformly at random from the seed, or evenly spaced); each invocation's duration is drawn from its
// function's percentiles by linear interpolation between them.
import { createRng, type Rng } from "../sim/rng.js";
import { expectFieldCount, expectHeader, idField, numberField, parseCsv, TraceError, type CsvFile } from "./csv.js";
import { CITATIONS } from "./sources.js";
import { TraceBuilder, type InvocationTrace } from "./trace.js";
import { nonNegative, positive, wholeNumber } from "./validate.js";

/** A trace file's name and text. */
export interface TraceText {
  readonly file: string;
  readonly text: string;
}

/** The three kinds of 2019 file, one entry per day, in day order. Durations and memory are optional, as a whole or for a day (undefined). */
export interface Azure2019Files {
  readonly invocations: readonly TraceText[];
  readonly durations?: readonly (TraceText | undefined)[];
  readonly memory?: readonly (TraceText | undefined)[];
}

/** How to turn counts into invocations. */
export interface Azure2019Options {
  /** Seed for arrival offsets, durations and the application sample (default 1). */
  readonly seed?: number | string;
  /** "uniform": arrivals at seeded random offsets inside their minute (default); "even": evenly spaced. */
  readonly arrivals?: "uniform" | "even";
  /** First minute to replay, counted from the first day's midnight (default 0). */
  readonly startMinute?: number;
  /** How many minutes to replay (default: all the files hold). */
  readonly minutes?: number;
  /** Keep a seeded random sample of this many applications (default: all). */
  readonly apps?: number;
  /** Duration for a function with no duration record (default 1,000 ms; the note says how many). */
  readonly defaultDurationMs?: number;
  /** Memory for an application with no memory record (default 170 MB: half of Azure's apps allocate at most that, Shahrad et al.). */
  readonly defaultMemoryMb?: number;
  /** Refuse to build more invocations than this (default 20 million). */
  readonly maxInvocations?: number;
}

export const INVOCATIONS_2019_HEADER = ["HashOwner", "HashApp", "HashFunction", "Trigger"] as const;
export const DURATIONS_2019_HEADER = [
  "HashOwner", "HashApp", "HashFunction", "Average", "Count", "Minimum", "Maximum",
  "percentile_Average_0", "percentile_Average_1", "percentile_Average_25", "percentile_Average_50",
  "percentile_Average_75", "percentile_Average_99", "percentile_Average_100",
] as const;
export const MEMORY_2019_HEADER = [
  "HashOwner", "HashApp", "SampleCount", "AverageAllocatedMb", "AverageAllocatedMb_pct1", "AverageAllocatedMb_pct5",
  "AverageAllocatedMb_pct25", "AverageAllocatedMb_pct50", "AverageAllocatedMb_pct75", "AverageAllocatedMb_pct95",
  "AverageAllocatedMb_pct99", "AverageAllocatedMb_pct100",
] as const;
const MINUTES_PER_DAY = 1440;
/** The quantiles the duration percentile columns hold. */
export const DURATION_QUANTILES = [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1] as const;

/** Which 2019 file a header belongs to, or undefined. */
export function azure2019Kind(header: readonly string[]): "invocations" | "durations" | "memory" | undefined {
  const h = header.map((s) => s.trim());
  if (h[2] === "HashFunction" && h[3] === "Trigger") return "invocations";
  if (h[2] === "HashFunction" && h[3] === "Average") return "durations";
  if (h[1] === "HashApp" && h[2] === "SampleCount") return "memory";
  return undefined;
}

/** Draws from a distribution given by its quantiles (piecewise linear inverse CDF). */
export function sampleFromQuantiles(values: readonly number[], quantiles: readonly number[], u: number): number {
  for (let i = 1; i < quantiles.length; i++) {
    if (u <= quantiles[i]!) {
      const q0 = quantiles[i - 1]!;
      const q1 = quantiles[i]!;
      const t = q1 === q0 ? 0 : (u - q0) / (q1 - q0);
      return values[i - 1]! + t * (values[i]! - values[i - 1]!);
    }
  }
  return values[values.length - 1]!;
}

type Percentiles = number[];

function readDurations(csv: CsvFile): Map<string, Percentiles> {
  expectHeader(csv, DURATIONS_2019_HEADER, "function_durations_percentiles (Azure 2019)");
  const out = new Map<string, Percentiles>();
  for (const row of csv.rows) {
    expectFieldCount(csv, row, DURATIONS_2019_HEADER.length);
    const key = `${idField(csv, row, 1, "HashApp")}\u0000${idField(csv, row, 2, "HashFunction")}`;
    const values: number[] = [];
    for (let i = 7; i < 14; i++) values.push(numberField(csv, row, i, DURATIONS_2019_HEADER[i]!));
    // Percentiles of averages are monotone in a well-formed file; sorting keeps a sampler valid if one is not.
    values.sort((a, b) => a - b);
    out.set(key, values);
  }
  return out;
}

function readMemory(csv: CsvFile): Map<string, number> {
  expectHeader(csv, MEMORY_2019_HEADER, "app_memory_percentiles (Azure 2019)");
  const out = new Map<string, number>();
  for (const row of csv.rows) {
    expectFieldCount(csv, row, MEMORY_2019_HEADER.length);
    const mb = numberField(csv, row, 3, "AverageAllocatedMb");
    out.set(idField(csv, row, 1, "HashApp"), mb);
  }
  return out;
}

interface CountRow {
  readonly app: string;
  readonly fn: string;
  readonly trigger: string;
  readonly day: number;
  readonly counts: Uint32Array;
}

function readCounts(csv: CsvFile, day: number): CountRow[] {
  expectHeader(csv, INVOCATIONS_2019_HEADER, "invocations_per_function_md (Azure 2019)");
  for (let m = 1; m <= MINUTES_PER_DAY; m++) {
    if (csv.header[3 + m]?.trim() !== String(m)) {
      throw new TraceError(
        `column ${4 + m} of the header is '${csv.header[3 + m] ?? ""}', expected the minute '${m}'`,
        { file: csv.file, line: 1 },
        "an invocations_per_function_md header is HashOwner,HashApp,HashFunction,Trigger,1,2,…,1440",
      );
    }
  }
  const rows: CountRow[] = [];
  for (const row of csv.rows) {
    expectFieldCount(csv, row, 4 + MINUTES_PER_DAY);
    const counts = new Uint32Array(MINUTES_PER_DAY);
    for (let m = 0; m < MINUTES_PER_DAY; m++) counts[m] = numberField(csv, row, 4 + m, `the count for minute ${m + 1}`, { integer: true });
    rows.push({ app: idField(csv, row, 1, "HashApp"), fn: idField(csv, row, 2, "HashFunction"), trigger: idField(csv, row, 3, "Trigger"), day, counts });
  }
  return rows;
}

function sampleApps(rows: readonly CountRow[], n: number, rng: Rng): Set<string> {
  const apps = [...new Set(rows.map((r) => r.app))].sort();
  return new Set(rng.shuffle(apps).slice(0, n));
}

/** Reads 2019-schema files into invocations. Problems in any row are TraceErrors with file and line. */
export function loadAzure2019(files: Azure2019Files, options: Azure2019Options = {}): InvocationTrace {
  if (files.invocations.length === 0) throw new TraceError("no invocations_per_function_md file was given", { file: "(none)", line: 1 });
  const rng = createRng(options.seed ?? 1);
  const even = (options.arrivals ?? "uniform") === "even";
  const defaultDurationMs = nonNegative("default duration", options.defaultDurationMs ?? 1000, "ms");
  const defaultMemoryMb = positive("default memory", options.defaultMemoryMb ?? 170, "MB");
  const startMinute = wholeNumber("start minute", options.startMinute ?? 0);
  const endMinute = startMinute + (options.minutes === undefined ? Infinity : wholeNumber("minutes", options.minutes, 1));

  const countRows = files.invocations.flatMap((t, day) => readCounts(parseCsv(t.text, t.file), day));
  const durationsByDay = (files.durations ?? []).map((t) => (t ? readDurations(parseCsv(t.text, t.file)) : new Map<string, Percentiles>()));
  const memoryByDay = (files.memory ?? []).map((t) => (t ? readMemory(parseCsv(t.text, t.file)) : new Map<string, number>()));
  const keep = options.apps === undefined ? undefined : sampleApps(countRows, wholeNumber("apps", options.apps, 1), rng.fork());

  const builder = new TraceBuilder(options.maxInvocations ?? 20_000_000);
  let missingDurations = 0;
  let missingMemory = 0;
  const memoryOf = (app: string, day: number): number => {
    const mb = memoryByDay[day]?.get(app) ?? memoryByDay.find((m) => m.has(app))?.get(app);
    if (mb === undefined || mb === 0) missingMemory++;
    return mb || defaultMemoryMb;
  };
  const percentilesOf = (key: string, day: number): Percentiles | undefined =>
    durationsByDay[day]?.get(key) ?? durationsByDay.find((d) => d.has(key))?.get(key);

  const durationRng = rng.fork();
  const arrivalRng = rng.fork();
  for (const row of countRows) {
    if (keep && !keep.has(row.app)) continue;
    const app = builder.app(row.app, memoryOf(row.app, row.day));
    const fn = builder.fn(app, row.fn, row.trigger);
    const percentiles = percentilesOf(`${row.app}\u0000${row.fn}`, row.day);
    if (!percentiles) missingDurations++;
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      const c = row.counts[m]!;
      const minute = row.day * MINUTES_PER_DAY + m;
      if (c === 0 || minute < startMinute || minute >= endMinute) continue;
      for (let k = 0; k < c; k++) {
        const offset = even ? (k + 0.5) / c : arrivalRng.next();
        const duration = percentiles ? sampleFromQuantiles(percentiles, DURATION_QUANTILES, durationRng.next()) : defaultDurationMs;
        builder.add(fn, (minute - startMinute + offset) * 60_000, duration);
      }
    }
  }
  if (missingDurations) builder.notes.push(`${missingDurations} functions had no duration record; their invocations last ${defaultDurationMs} ms`);
  if (missingMemory) builder.notes.push(`${missingMemory} function-days had no memory record for their application; it gets ${defaultMemoryMb} MB (${CITATIONS.shahrad2020.key})`);
  return builder.build(files.invocations.map((t) => t.file).join(", "));
}
