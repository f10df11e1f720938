// Tests for the Azure Functions trace loaders (2019 and 2021 schemas) on generated files and on malformed rows.
import { describe, expect, it } from "vitest";
import { isVmlabError } from "../core/errors.js";
import { DURATION_QUANTILES, loadAzure2019, sampleFromQuantiles, type Azure2019Files } from "./azure-2019.js";
import { loadAzure2021 } from "./azure-2021.js";
import { generateSyntheticTrace } from "./synthetic-trace.js";
import { summarizeTrace, traceLength } from "./trace.js";

const files = generateSyntheticTrace();
const day1: Azure2019Files = {
  invocations: [{ file: "invocations_per_function_md.anon.d01.csv", text: files["invocations_per_function_md.anon.d01.csv"]! }],
  durations: [{ file: "function_durations_percentiles.anon.d01.csv", text: files["function_durations_percentiles.anon.d01.csv"]! }],
  memory: [{ file: "app_memory_percentiles.anon.d01.csv", text: files["app_memory_percentiles.anon.d01.csv"]! }],
};

function errorOf(run: () => unknown): { message: string; formatted: string } {
  try {
    run();
  } catch (e) {
    if (isVmlabError(e)) return { message: e.message, formatted: e.format() };
    throw e;
  }
  throw new Error("expected the loader to refuse the file");
}

/** The invocations file with one field of one data row replaced. */
function withField(row: number, field: number, value: string): Azure2019Files {
  const lines = day1.invocations[0]!.text.split("\n");
  const fields = lines[row]!.split(",");
  fields[field] = value;
  lines[row] = fields.join(",");
  return { invocations: [{ file: "bad.csv", text: lines.join("\n") }] };
}

describe("the Azure Functions 2019 loader", () => {
  it("turns per-minute counts into one invocation each, inside its minute, sorted by arrival", () => {
    const t = loadAzure2019(day1);
    const counts = day1.invocations[0]!.text
      .trim()
      .split("\n")
      .slice(1)
      .reduce((sum, line) => sum + line.split(",").slice(4).reduce((s, c) => s + Number(c), 0), 0);
    expect(traceLength(t)).toBe(counts);
    for (let i = 1; i < traceLength(t); i++) expect(t.arrivalMs[i]).toBeGreaterThanOrEqual(t.arrivalMs[i - 1]!);
    expect(t.arrivalMs[traceLength(t) - 1]).toBeLessThan(1440 * 60_000);
    expect(t.notes).toEqual([]);
  });

  it("puts a 15-minute timer's invocations 15 minutes apart, with its memory", () => {
    const t = loadAzure2019(day1, { arrivals: "even" });
    const perFunction = t.functions.map((_, f) => [...t.arrivalMs].filter((_, i) => t.fn[i] === f));
    const timers = perFunction.filter((a, f) => t.functions[f]!.trigger === "timer" && a.length === 96);
    expect(timers.length).toBe(2);
    for (const arrivals of timers) {
      for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeCloseTo(15 * 60_000, 6);
    }
    expect(t.apps.every((a) => a.memoryMb > 0)).toBe(true);
  });

  it("gives the same invocations for the same seed and other offsets for another", () => {
    const a = loadAzure2019(day1, { seed: 5 });
    const b = loadAzure2019(day1, { seed: 5 });
    const c = loadAzure2019(day1, { seed: 6 });
    expect([...a.arrivalMs.slice(0, 50)]).toEqual([...b.arrivalMs.slice(0, 50)]);
    expect([...a.arrivalMs.slice(0, 50)]).not.toEqual([...c.arrivalMs.slice(0, 50)]);
  });

  it("keeps a window of minutes and a sample of applications", () => {
    const t = loadAzure2019(day1, { startMinute: 60, minutes: 30, apps: 5 });
    expect(t.apps.length).toBeLessThanOrEqual(5);
    expect(Math.max(...t.arrivalMs)).toBeLessThan(30 * 60_000);
    expect(summarizeTrace(t).length).toBe(t.apps.length);
  });

  it("notes what it assumed when the durations and memory files are missing", () => {
    const t = loadAzure2019({ invocations: day1.invocations }, { defaultDurationMs: 50 });
    expect(t.notes.join("\n")).toMatch(/functions had no duration record; their invocations last 50 ms/);
    expect(t.notes.join("\n")).toMatch(/no memory record .* 170 MB/);
    expect(t.durationMs[0]).toBe(50);
  });

  it("draws durations between the percentiles it is given", () => {
    const values = [10, 20, 30, 40, 50, 60, 70];
    expect(sampleFromQuantiles(values, DURATION_QUANTILES, 0)).toBe(10);
    expect(sampleFromQuantiles(values, DURATION_QUANTILES, 0.5)).toBe(40);
    expect(sampleFromQuantiles(values, DURATION_QUANTILES, 0.625)).toBe(45);
    expect(sampleFromQuantiles(values, DURATION_QUANTILES, 1)).toBe(70);
  });

  it("points at the file, line and column of a count that is not a whole number", () => {
    const e = errorOf(() => loadAzure2019(withField(3, 10, "x")));
    expect(e.formatted).toMatch(/^bad\.csv:4:\d+: error: the count for minute 7 is 'x', not a whole number ≥ 0/);
    const neg = errorOf(() => loadAzure2019(withField(2, 5, "-1")));
    expect(neg.formatted).toMatch(/^bad\.csv:3:\d+: error: the count for minute 2 is '-1'/);
  });

  it("points at a row that is cut short and at a header that is not the schema's", () => {
    const lines = day1.invocations[0]!.text.split("\n");
    lines[5] = lines[5]!.split(",").slice(0, 100).join(",");
    const short = errorOf(() => loadAzure2019({ invocations: [{ file: "cut.csv", text: lines.join("\n") }] }));
    expect(short.formatted).toMatch(/^cut\.csv:6: error: the row has 100 fields, the header 1444\nhint: the line looks cut short/);
    const header = errorOf(() => loadAzure2019({ invocations: [{ file: "h.csv", text: "HashOwner,HashApp,Function,Trigger\n" }] }));
    expect(header.formatted).toMatch(/^h\.csv:1:\d+: error: column 3 of the header is 'Function', expected 'HashFunction'/);
    expect(errorOf(() => loadAzure2019({ invocations: [{ file: "e.csv", text: "" }] })).formatted).toMatch(/^e\.csv:1: error: the file is empty/);
  });

  it("refuses a trace larger than the limit with advice", () => {
    expect(() => loadAzure2019(day1, { maxInvocations: 1000 })).toThrow(/more than 1,000 invocations/);
  });
});

describe("the Azure Functions 2021 loader", () => {
  const text = files["invocations_2021_schema.csv"]!;

  it("starts each invocation at end_timestamp − duration, from time 0", () => {
    const t = loadAzure2021({ file: "2021.csv", text });
    expect(traceLength(t)).toBe(text.trim().split("\n").length - 1);
    expect(t.arrivalMs[0]).toBe(0);
    expect(t.notes[0]).toMatch(/records no memory/);
    const line = text.split("\n")[1]!.split(",");
    expect(t.durationMs.includes(Number(line[3]) * 1000)).toBe(true);
  });

  it("points at a bad timestamp and at a duration longer than its end time", () => {
    const lines = text.split("\n");
    const f = lines[2]!.split(",");
    lines[2] = [f[0], f[1], "soon", f[3]].join(",");
    expect(errorOf(() => loadAzure2021({ file: "t.csv", text: lines.join("\n") })).formatted).toMatch(/^t\.csv:3:\d+: error: end_timestamp is 'soon', not a number ≥ 0/);
    expect(errorOf(() => loadAzure2021({ file: "t.csv", text: "app,func,end_timestamp,duration\na,f,1.5,2\n" })).formatted).toMatch(
      /^t\.csv:2: error: duration 2 s is longer than end_timestamp 1\.5 s/,
    );
    expect(errorOf(() => loadAzure2021({ file: "t.csv", text: "app,func,end_timestamp,duration\n" })).message).toMatch(/no invocations/);
  });
});
