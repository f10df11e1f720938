// The submission in a SES Compartment: its modules evaluated with only the language, a capped console and the harness's API module.
//
// Runs after `lockdown()` (every intrinsic is frozen). What student code can reach:
//   - the Compartment's globals: SES's safe language globals plus a `console` that writes to a capped,
//     per-case sink nobody reads; no `process`, `require`, `import`, `fetch`, timers, `Buffer`;
//   - a `require` that knows only the submission's own files and the API module (`vmlab`), which the
//     harness supplies as frozen copies — copies, so nothing the monitor reads is reachable.
// What a harness gets back: the value the entry module exports under the lab's name, to wrap with
// guarded-call.ts before any trusted code calls it. Messages about failures name the student's own
// file:line (stack.ts) and never run student code to describe a value.
import { didYouMean } from "../../../src/core/suggest.js";
import { capText } from "./protocol.js";
import { locate, type SourceMaps } from "./stack.js";

/** Where a thrown value came from, for messages: the submission's source maps and the trusted stack reader. */
export interface Locator {
  readonly maps: SourceMaps;
  readonly stackOf: (error: object) => string;
}

/** Why a case's untrusted code failed, as the child reports it. */
export interface HandlerFailure {
  readonly status: "handler-error" | "output";
  readonly message: string;
}

/** The mutable state of one case, seen only by trusted code. */
export interface CaseState {
  failure?: HandlerFailure;
  /**
   * The first exception the monitor threw through the facade during the current handler call (raise(),
   * a guest page fault, a machine check): when the handler ends by throwing, this is what goes back to the
   * monitor — never the value the handler threw, which may be a forgery or the signal altered. Renewed per
   * call, so a signal caught and kept cannot be replayed later.
   */
  signal?: object;
}

/** A console sink with a byte budget: output is counted and dropped, never shown, never parsed. */
export interface OutputSink {
  /** Bytes written since the last reset. */
  bytes: number;
  limit: number;
  /** Set when the budget is exceeded; a handler that keeps printing is stopped. */
  exceeded: boolean;
}

/** Thrown into student code when the output budget is exceeded (trusted; recognised by identity). */
export const OUTPUT_EXCEEDED = new Error("output limit exceeded");

/** Build the console that student code sees. It never reaches the real stdout. */
export function makeConsole(sink: OutputSink): object {
  const write = (...data: unknown[]) => {
    let n = 1;
    for (const d of data) n += typeof d === "string" ? d.length : 16;
    sink.bytes += n;
    if (sink.bytes > sink.limit) {
      sink.exceeded = true;
      throw OUTPUT_EXCEEDED;
    }
  };
  return harden({ log: write, info: write, warn: write, error: write, debug: write });
}

/** A module or export that could not be loaded, in the words the student reads. */
export interface LoadFailure {
  readonly ok: false;
  readonly status: "load-error" | "missing-export" | "output";
  readonly message: string;
}

export interface ModuleOptions {
  readonly js: Readonly<Record<string, string>>;
  readonly entry: string;
  readonly exportName: string;
  readonly sink: OutputSink;
  readonly where: Locator;
  /** What `require("vmlab")` returns (a hardened object the harness built). */
  readonly api: object;
  /** Does a specifier name the API module (`vmlab`, or the relative spellings the repository's solutions use)? */
  readonly isApi: (specifier: string) => boolean;
}

/** Globals left to the scope proxy: eval keeps its SES meaning; the constants cannot be rebound as parameters usefully. */
const UNBOUND_GLOBALS = new Set(["eval", "undefined", "NaN", "Infinity"]);

/** Evaluate the submission in a fresh Compartment and read its entry's export. Never throws. */
export function loadExport(options: ModuleOptions): { readonly ok: true; readonly exported: unknown; readonly entry: string } | LoadFailure {
  const { js, sink, where } = options;
  const entry = resolveEntry(js, options.entry);
  if (entry === undefined) {
    return { ok: false, status: "load-error", message: `The submission has no compiled file ${options.entry} (files: ${Object.keys(js).join(", ") || "none"}).` };
  }
  // SES copies `globals` like Object.assign (its typings say Map, its code reads properties).
  // Float32Array and Float64Array live only on the start compartment under SES (their NaN bit patterns are a
  // side channel, harmless here); they are endowed so that code that type-checks against lib.es2022 runs.
  const globals = { console: makeConsole(sink), Float32Array, Float64Array } as unknown as Map<string, unknown>;
  const compartment = new Compartment({ __options__: true, globals, name: "submission" });
  const globalNames = Object.getOwnPropertyNames(compartment.globalThis).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !UNBOUND_GLOBALS.has(n));
  const globalValues = globalNames.map((n) => (compartment.globalThis as Record<string, unknown>)[n]);
  const modules = new Map<string, { exports: unknown }>();

  const load = (name: string): unknown => {
    const cached = modules.get(name);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    modules.set(name, module);
    const code = js[name]!;
    const url = name.replace(/[^\w./-]/g, "_"); // a file name never reaches the evaluated text unescaped
    // The compartment's globals are bound as parameters of the module's wrapper: a free `Math` in a loop is then
    // a local, not a lookup through SES's scope proxy on every use (16 times faster in a tight loop).
    const outer = compartment.evaluate(`(function (${globalNames.join(", ")}) { return function (exports, require, module) {${code}\n}; })\n//# sourceURL=${url}`) as (
      ...globals: unknown[]
    ) => (e: unknown, r: unknown, m: unknown) => void;
    const body = outer(...globalValues);
    const require = harden((specifier: unknown) => {
      if (typeof specifier !== "string") throw new TypeError("require() needs a module name");
      if (options.isApi(specifier)) return options.api;
      const target = resolveRelative(js, name, specifier);
      if (target === undefined) {
        throw new Error(`Cannot load '${capText(specifier, 80)}': the grader's sandbox loads only your own files and "vmlab" (no Node modules, no files outside your submission).`);
      }
      return load(target);
    });
    body(module.exports, require, module);
    return module.exports;
  };

  let exported: unknown;
  try {
    const exports = load(entry);
    exported = readExport(exports, options.exportName);
  } catch (e) {
    if (e === OUTPUT_EXCEEDED || sink.exceeded) return { ok: false, status: "output", message: "" };
    return { ok: false, status: "load-error", message: `Loading ${displayName(where.maps, entry)} failed: ${describeThrown(e, where)}` };
  }
  if (sink.exceeded) return { ok: false, status: "output", message: "" };
  return { ok: true, exported, entry };
}

/**
 * The message for an entry that does not export `exportName` (undefined), naming what it does export
 * (read from the emitted code, never by running student code) with a did-you-mean; `shape` is how the
 * export should be written, e.g. `export const handlers: TrapHandlers = { ... };`.
 */
export function missingExport(js: Readonly<Record<string, string>>, entry: string, exportName: string, where: Locator, shape: string): LoadFailure {
  const file = displayName(where.maps, entry);
  let names: string[] = [];
  try {
    names = loadExportNames(js, entry);
  } catch {
    names = [];
  }
  const hint = didYouMean(exportName, names, { ignoreCase: true });
  return {
    ok: false,
    status: "missing-export",
    message: `${file} does not export \`${exportName}\`.${hint ? ` It exports \`${suggestName(exportName, names)}\`: ${hint.replace(/'/g, "`")}` : names.length ? ` It exports ${names.map((n) => `\`${n}\``).join(", ")}.` : ""} Write \`${shape}\`.`,
  };
}

function resolveEntry(js: Readonly<Record<string, string>>, entry: string): string | undefined {
  for (const name of [entry, entry.replace(/\.(m|c)?tsx?$/, ".js"), entry + ".js"]) if (Object.hasOwn(js, name) && name.endsWith(".js")) return name;
  return undefined;
}

/** `./util.js` from `labs/handlers.js` → `labs/util.js`, if the submission has it. */
function resolveRelative(js: Readonly<Record<string, string>>, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const parts = from.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "." || part === "") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  const base = parts.join("/");
  for (const name of [base, base.replace(/\.(m|c)?tsx?$/, ".js"), base + ".js", base + "/index.js"]) {
    if (name.endsWith(".js") && Object.hasOwn(js, name)) return name;
  }
  return undefined;
}

/** Read `exports[exportName]`; a getter there is student code and may throw. */
function readExport(exports: unknown, exportName: string): unknown {
  if ((typeof exports !== "object" && typeof exports !== "function") || exports === null) return undefined;
  return (exports as Record<string, unknown>)[exportName];
}

/** Export names from the emitted CommonJS (`exports.name = ...`), without running student code again. */
function loadExportNames(js: Readonly<Record<string, string>>, entry: string): string[] {
  const names = new Set<string>();
  for (const m of js[entry]!.matchAll(/\bexports\.([A-Za-z_$][\w$]*)\s*=/g)) if (m[1] !== "__esModule") names.add(m[1]!);
  if (/\bexports\.default\s*=|module\.exports\s*=/.test(js[entry]!)) names.add("default");
  return [...names];
}

function suggestName(name: string, names: readonly string[]): string {
  return names.find((n) => didYouMean(name, [n], { ignoreCase: true }) !== undefined) ?? names[0] ?? "";
}

/** `a number (42)`, `null`, `a function`, `an object` — never calling anything on the value. */
export function describeKind(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined": return "undefined";
    case "number": return `a number (${value})`;
    case "string": return `a string (${JSON.stringify(capText(value, 60))})`;
    case "boolean": return `${value}`;
    case "bigint": return `a bigint (${capText(String(value), 40)}n)`;
    case "symbol": return "a symbol";
    case "function": return "a function";
    default: return Array.isArray(value) ? "an array" : "an object";
  }
}

/** Hints for mistakes that come from the sandbox itself, keyed by the error text. */
const HINTS: readonly [RegExp, string][] = [
  [/\b(process|require|module|Buffer|fetch|setTimeout|setInterval|setImmediate|queueMicrotask|WebAssembly|Worker|XMLHttpRequest|WebSocket)\b.*(not defined|is not a function|is not a constructor)|reading '(exit|kill|send|env|argv|binding|pid|stdout|stderr)'/, "Handlers run in a sandbox with only the JavaScript language, the vcpu and a console: there is no Node `process`, `require`, `fetch`, `Worker`, timers or modules."],
  [/call stack/i, "The call stack ran out: probably a function that calls itself without end."],
  [/read[- ]only|not extensible|Cannot (assign|add|define|redefine|delete)|object is frozen|Cannot set property|which has only a getter/i, "Built-in objects, the vcpu and the values the monitor gives you are frozen: handlers cannot change them."],
  [/Cannot load/, "Import only your own files (`./helpers.js`) and types from \"vmlab\"."],
];

/**
 * Describe a thrown value in plain words, safely: a getter or proxy trap that throws or returns
 * something odd gives "a value that could not be described". Adds the student's file:line and a hint.
 */
export function describeThrown(thrown: unknown, where: Locator): string {
  let text: string;
  let stack = "";
  try {
    if (thrown instanceof Error) {
      const name = thrown.name;
      const message = thrown.message;
      text = `${typeof name === "string" ? capText(name, 40) : "Error"}: ${typeof message === "string" ? capText(message, 300) : "(no message)"}`;
      stack = where.stackOf(thrown);
    } else if (typeof thrown === "object" && thrown !== null) {
      text = `${describeKind(thrown)} instead of an Error (throw new Error("...") says what went wrong)`;
    } else {
      text = `${describeKind(thrown)} instead of an Error (throw new Error("...") says what went wrong)`;
    }
  } catch {
    text = "a value that could not be described (reading it threw)";
  }
  const at = stack ? locate(stack, where.maps) : undefined;
  const hint = HINTS.find(([re]) => re.test(text));
  return `${text}${at ? ` at ${at}` : ""}.${hint ? ` ${hint[1]}` : ""}`;
}

export function displayName(maps: SourceMaps, js: string): string {
  return maps.get(js)?.source ?? js;
}
