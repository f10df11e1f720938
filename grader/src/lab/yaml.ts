// The YAML of lab files: parsed with positions for the problems it holds, or its value read back from out/grader-cache/yaml/ where the same text parsed cleanly before.
//
// A grading process reads lab.yaml and its suite files every time; loading the YAML library (some 30
// CommonJS files) and running it cold cost about 0.09 CPU-seconds of each one. So a text that parsed
// without problems is kept as JSON by its sha256 (and the library's version), and the library is loaded
// only on a miss — or when a later check needs a position in the text to point at (`doc` and `lines` are
// parsed on first use). A value JSON cannot hold exactly (.inf, .nan) is never kept. Unreadable or unwritable
// caches change nothing but speed.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as Yaml from "yaml";
import type { Document, LineCounter } from "yaml";
import type { LabProblem } from "../errors.js";
import { dependencyVersion } from "../paths.js";
import { writeAtomic } from "../write-atomic.js";

const require = createRequire(import.meta.url);

/** The YAML library, loaded on first use. */
export function yamlLibrary(): typeof Yaml {
  return require("yaml") as typeof Yaml;
}

/** A parsed YAML text: its value (undefined when it has syntax problems), the problems, and the document for positions. */
export interface ParsedYaml {
  readonly value: unknown;
  readonly doc?: Document;
  readonly lines?: LineCounter;
  readonly problems: LabProblem[];
}

/** Parse YAML, turning syntax errors into problems with positions. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problems: LabProblem[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    return {
      code: "LAB_YAML_SYNTAX" as const,
      path: "",
      message: e.message.split("\n")[0]!,
      hint: e.code === "DUPLICATE_KEY" ? "remove one of the two keys" : "check indentation and quoting on that line",
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  });
  return { value: problems.length ? undefined : doc.toJS(), doc, lines, problems };
}

/** Whether JSON gives back exactly this value (plain objects, arrays, strings, booleans, null and finite numbers only). */
export function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(jsonExact);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(jsonExact);
  return false;
}

let version: string | undefined;
/** The YAML library's version, part of every cache key (another version may read a text differently). */
const libraryVersion = (): string => (version ??= dependencyVersion("yaml"));

/** parseYaml, with the value of a text that parsed cleanly before read back from `cacheDir`. */
export function parseYamlCached(text: string, file: string, cacheDir: string): ParsedYaml {
  const digest = createHash("sha256").update(libraryVersion()).update("\0").update(text).digest("hex").slice(0, 32);
  const path = join(cacheDir, `${digest}.json`);
  try {
    const kept = JSON.parse(readFileSync(path, "utf8")) as { value?: unknown };
    if ("value" in kept) return located(text, file, kept.value);
  } catch {
    // not kept yet, or unreadable
  }
  const parsed = parseYaml(text, file);
  if (!parsed.problems.length && jsonExact(parsed.value)) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeAtomic(path, JSON.stringify({ value: parsed.value }));
    } catch {
      // a read-only install: parsed every time
    }
  }
  return parsed;
}

/** A clean text's value, with its document parsed only if something asks where in the text a path is. */
function located(text: string, file: string, value: unknown): ParsedYaml {
  let full: ParsedYaml | undefined;
  const parse = () => (full ??= parseYaml(text, file));
  return {
    value,
    problems: [],
    get doc() {
      return parse().doc;
    },
    get lines() {
      return parse().lines;
    },
  };
}
