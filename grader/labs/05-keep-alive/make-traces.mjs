#!/usr/bin/env node
// Writes lab 05's traces (public ones into exercises/05-keep-alive/traces/, hidden ones beside this file) from the seeded synthetic generator.
//
//   npm run build && node grader/labs/05-keep-alive/make-traces.mjs
//
// Each trace is six hours of a subset of the synthetic applications (src/serverless/synthetic-trace.ts, in its
// order: 0 timer-every-minute … 19 others-rare) in the Azure Functions 2021 schema (app,func,end_timestamp,duration,
// seconds), with the hashes cut to 8 hexadecimal digits to keep the files small. SYNTHETIC: nothing here comes
// from the real dataset. The same seeds give the same bytes.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSyntheticTrace } from "../../../dist/src/serverless/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const MINUTES = 360;

/** name, seed, application indexes, public or hidden. */
const TRACES = [
  ["timers", 501, [0, 1, 2, 3, 4, 5, 8], "public"],
  ["mixed", 502, [0, 1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19], "public"],
  ["timers-b", 601, [0, 1, 2, 3, 4, 5, 9], "hidden"],
  ["bursty", 602, [2, 4, 8, 9, 14, 15, 18], "hidden"],
  ["mixed-b", 603, [0, 1, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19], "hidden"],
  ["sparse", 604, [3, 5, 10, 11, 12, 13, 17, 19], "hidden"],
];

for (const [name, seed, keep, where] of TRACES) {
  const files = generateSyntheticTrace({ seed, minutes2021: MINUTES });
  // The applications' hashes in the generator's order: the 2019 invocations file lists them so.
  const order = [...new Set(files["invocations_per_function_md.anon.d01.csv"].trim().split("\n").slice(1).map((l) => l.split(",")[1]))];
  const kept = new Set(keep.map((i) => order[i]));
  const [header, ...rows] = files["invocations_2021_schema.csv"].trim().split("\n");
  const out = [header];
  for (const row of rows) {
    const [app, fn, end, duration] = row.split(",");
    if (kept.has(app)) out.push(`${app.slice(0, 8)},${fn.slice(0, 8)},${Number(end).toFixed(3)},${duration}`);
  }
  const dir = where === "public" ? join(root, "exercises/05-keep-alive/traces") : join(here, "traces");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.csv`), out.join("\n") + "\n");
  console.log(`${where} ${name}.csv: ${out.length - 1} invocations of ${kept.size} applications`);
}
