// The Azure Functions 2021 per-invocation trace schema (app, func, end_timestamp, duration in seconds), turned into invocations.
import { expectFieldCount, expectHeader, idField, numberField, parseCsv, TraceError } from "./csv.js";
import type { TraceText } from "./azure-2019.js";
import { TraceBuilder, type InvocationTrace } from "./trace.js";
import { positive } from "./validate.js";

export const INVOCATIONS_2021_HEADER = ["app", "func", "end_timestamp", "duration"] as const;

/** Is this the 2021 schema's header? */
export function isAzure2021Header(header: readonly string[]): boolean {
  return header.length >= 4 && INVOCATIONS_2021_HEADER.every((h, i) => header[i]?.trim() === h);
}

/** Options for a 2021 replay. */
export interface Azure2021Options {
  /** Memory of every application: the 2021 trace records none (default 170 MB, Shahrad et al.'s median). */
  readonly memoryMb?: number;
  /** Refuse to build more invocations than this (default 20 million). */
  readonly maxInvocations?: number;
}

/**
 * Reads a 2021-schema file. Arrival = end_timestamp − duration; times start at the earliest arrival. A row whose
 * duration exceeds its end timestamp is an error: it would start before the trace.
 */
export function loadAzure2021(file: TraceText, options: Azure2021Options = {}): InvocationTrace {
  const csv = parseCsv(file.text, file.file);
  expectHeader(csv, INVOCATIONS_2021_HEADER, "the Azure Functions 2021 invocation trace");
  const memoryMb = positive("memory", options.memoryMb ?? 170, "MB");
  const builder = new TraceBuilder(options.maxInvocations ?? 20_000_000);
  let first = Infinity;
  for (const row of csv.rows) {
    expectFieldCount(csv, row, INVOCATIONS_2021_HEADER.length);
    const end = numberField(csv, row, 2, "end_timestamp");
    const duration = numberField(csv, row, 3, "duration");
    if (duration > end) {
      throw new TraceError(`duration ${duration} s is longer than end_timestamp ${end} s: the invocation would start before time 0`, { file: csv.file, line: row.line });
    }
    const app = builder.app(idField(csv, row, 0, "app"), memoryMb);
    const fn = builder.fn(app, idField(csv, row, 1, "func"), "unknown");
    const start = (end - duration) * 1000;
    first = Math.min(first, start);
    builder.add(fn, start, duration * 1000);
  }
  if (builder.length === 0) throw new TraceError("the trace has a header but no invocations", { file: csv.file, line: 2 });
  builder.notes.push(`the 2021 schema records no memory: every application gets ${memoryMb} MB`);
  return shiftToZero(builder.build(file.file), first);
}

function shiftToZero(t: InvocationTrace, first: number): InvocationTrace {
  for (let i = 0; i < t.arrivalMs.length; i++) t.arrivalMs[i]! -= first;
  return t;
}
