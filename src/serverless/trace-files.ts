// Reading a trace from disk: an Azure 2019 dataset directory or invocations file (with its day's durations and memory beside it), or a 2021 file.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { VmlabError } from "../core/errors.js";
import { suggest } from "../core/suggest.js";
import { azure2019Kind, loadAzure2019, type Azure2019Options, type TraceText } from "./azure-2019.js";
import { isAzure2021Header, loadAzure2021 } from "./azure-2021.js";
import type { InvocationTrace } from "./trace.js";
import { wholeNumber } from "./validate.js";

/** Options for reading a trace file or directory. */
export interface TraceFileOptions extends Azure2019Options {
  /** How many days of a 2019 directory to read, from the first (default 1). */
  readonly days?: number;
  /** Memory of every application for the 2021 schema (MB). */
  readonly memoryMb?: number;
}

function fail(message: string, hint: string): never {
  throw new VmlabError("TRACE_NO_FILE", message, { hint });
}

function read(path: string, shown: string): TraceText {
  return { file: shown, text: readFileSync(path, "utf8") };
}

const DAY = /\.d(\d+)\.csv$/;

/** Reads `path` (relative to `cwd`): a 2019 dataset directory, a 2019 invocations file or a 2021 invocation file. */
export function readTrace(path: string, cwd: string, options: TraceFileOptions = {}): InvocationTrace {
  const full = resolve(cwd, path);
  if (!existsSync(full)) {
    const dir = dirname(full);
    const near = existsSync(dir) ? suggest(basename(full), readdirSync(dir)) : undefined;
    fail(`cannot read trace '${path}': no such file or directory`, near ? `did you mean '${near}'?` : "give a file or the dataset's directory, relative to the current directory");
  }
  const days = wholeNumber("days", options.days ?? 1, 1);
  if (statSync(full).isDirectory()) {
    const names = readdirSync(full).sort();
    const invocations = names.filter((n) => n.startsWith("invocations_per_function_md") && DAY.test(n)).slice(0, days);
    if (invocations.length === 0) {
      fail(`'${path}' holds no invocations_per_function_md.anon.dNN.csv file`, "point at the unpacked Azure Functions 2019 dataset (or data/azure-synthetic), or at a single trace file");
    }
    return load2019(full, path, invocations, names, options);
  }
  const firstLine = readFileSync(full, "utf8").split("\n", 1)[0]!.split(",");
  if (isAzure2021Header(firstLine)) return loadAzure2021(read(full, path), options.memoryMb === undefined ? {} : { memoryMb: options.memoryMb });
  const kind = azure2019Kind(firstLine);
  if (kind === "invocations") return load2019(dirname(full), dirname(path), [basename(full)], readdirSync(dirname(full)), options);
  if (kind) fail(`'${path}' is a ${kind} file of the 2019 trace`, "give the invocations_per_function_md file (its day's durations and memory files are read from beside it) or the directory");
  fail(`'${path}' is neither the Azure Functions 2019 nor the 2021 schema`, "the 2019 invocations header starts HashOwner,HashApp,HashFunction,Trigger; the 2021 one is app,func,end_timestamp,duration");
}

function load2019(dir: string, shownDir: string, invocations: readonly string[], names: readonly string[], options: TraceFileOptions): InvocationTrace {
  const companion = (prefix: string, day: string) => names.find((n) => n.startsWith(prefix) && n.endsWith(`.d${day}.csv`));
  const shown = (n: string) => (shownDir === "." || shownDir === "" ? n : join(shownDir, n));
  const beside = (prefix: string) =>
    invocations.map((inv) => {
      const day = DAY.exec(inv)?.[1];
      const name = day === undefined ? undefined : companion(prefix, day);
      return name === undefined ? undefined : read(join(dir, name), shown(name));
    });
  return loadAzure2019(
    { invocations: invocations.map((n) => read(join(dir, n), shown(n))), durations: beside("function_durations_percentiles"), memory: beside("app_memory_percentiles") },
    options,
  );
}
