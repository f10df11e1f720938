// The lab schema (grader/schema/lab.schema.json) compiled with ajv, and ajv's errors turned into LabProblems with fixes.
//
// Compiling the schema costs about 0.2 CPU-seconds a process; the compiled validators are kept as ajv's
// standalone code under out/grader-cache/ajv/, named by the digest of the schema and ajv's and
// ajv-formats' versions, and loaded from there (a damaged or missing file is compiled again). Ajv itself
// (its compiler, ajv-formats, the standalone writer: some 90 CommonJS files) is required only to compile;
// the standalone code needs only ajv's runtime helpers.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { Document, LineCounter, Node as YamlNode } from "yaml";
import { yamlLibrary } from "./yaml.js";
import { didYouMean } from "../../../src/core/suggest.js";
import type { LabProblem } from "../errors.js";
import { dependencyVersion, GRADER_PATHS, graderCacheDir, packageRoot } from "../paths.js";
import { writeAtomic } from "../write-atomic.js";

const require = createRequire(import.meta.url);

/** The published lab schema, as data. */
export function labSchema(root: string = packageRoot()): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, GRADER_PATHS.labSchema), "utf8")) as Record<string, unknown>;
}

interface Validators {
  readonly lab: ValidateFunction;
  readonly suite: ValidateFunction;
}

const cache = new Map<string, Validators>();
/** The same validators by package root, so a root asked again reads no file. */
const byRoot = new Map<string, Validators>();

/** Validators for a lab.yaml and for a suite file, compiled once per schema (a repository and the package made from it share one), or read from out/grader-cache/ajv/. */
export function labValidators(root: string = packageRoot()): Validators {
  const known = byRoot.get(root);
  if (known) return known;
  const text = readFileSync(join(root, GRADER_PATHS.labSchema), "utf8");
  const hit = cache.get(text);
  if (hit) {
    byRoot.set(root, hit);
    return hit;
  }
  const versions = [dependencyVersion("ajv", root), dependencyVersion("ajv-formats", root)];
  const digest = createHash("sha256").update(JSON.stringify(versions)).update(text).digest("hex").slice(0, 32);
  const file = join(graderCacheDir(root, "ajv"), `lab-schema-${digest}.cjs`);
  const v = loadStandalone(file) ?? compileValidators(JSON.parse(text) as Record<string, unknown>, file);
  cache.set(text, v);
  byRoot.set(root, v);
  return v;
}

function compileValidators(schema: Record<string, unknown>, file: string): Validators {
  // CommonJS modules, each with its export as `default` (ajv also names its class).
  const { Ajv } = require("ajv") as typeof import("ajv");
  const addFormats = (require("ajv-formats") as { default: (ajv: Ajv) => Ajv }).default;
  const standaloneCode = (require("ajv/dist/standalone/index.js") as { default: (ajv: Ajv, refs: Record<string, string>) => string }).default;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, code: { source: true } });
  ajv.addVocabulary(["x-fix", "markdownDescription"]);
  addFormats(ajv);
  const suiteRef = `${String(schema.$id)}#/definitions/suite`;
  const lab = ajv.compile(schema);
  const suite = ajv.getSchema(suiteRef);
  if (!suite) throw new Error("lab.schema.json has no definitions/suite");
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    writeAtomic(file, standaloneCode(ajv, { lab: String(schema.$id), suite: suiteRef }));
  } catch {
    // a read-only install compiles the schema every time
  }
  return { lab, suite };
}

/** The validators kept as standalone code (CommonJS, requiring only ajv's runtime helpers and ajv-formats). */
function loadStandalone(file: string): Validators | undefined {
  let code: string;
  try {
    code = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const module = { exports: {} as Partial<Validators> };
    // The grader's own generated code (ajv builds its validators with `new Function` too).
    new Function("require", "module", "exports", code)(require, module, module.exports);
    const { lab, suite } = module.exports;
    return typeof lab === "function" && typeof suite === "function" ? { lab, suite } : undefined;
  } catch {
    return undefined;
  }
}

type Segment = string | number;

/** `/rubric/overhead/full_at` → ["rubric", "overhead", "full_at"]. */
function segments(pointer: string): Segment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
}

/** ["suites", "hidden", "guests", 2] → `suites.hidden.guests[2]`. */
export function dottedPath(segs: readonly Segment[]): string {
  let out = "";
  for (const s of segs) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/** Where a path points in the YAML text (1-based line and column), when it can be found. */
export function locate(doc: Document | undefined, lines: LineCounter | undefined, segs: readonly Segment[], key?: string): { line?: number; column?: number } {
  if (!doc || !lines) return {};
  const { isMap, isScalar } = yamlLibrary();
  let node: unknown = doc.getIn(segs as Segment[], true);
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    node = pair?.key;
  }
  // A missing key: point at the collection that should hold it.
  for (let n = segs.length; node === undefined && n >= 0; n--) node = doc.getIn(segs.slice(0, n) as Segment[], true);
  const range = (node as YamlNode | undefined)?.range;
  if (!range) return {};
  const pos = lines.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

function fixOf(schema: unknown): string | undefined {
  const f = (schema as Record<string, unknown> | undefined)?.["x-fix"];
  return typeof f === "string" ? f : undefined;
}

function describeType(t: unknown): string {
  const one = (x: string): string => (x === "integer" ? "a whole number" : x === "array" ? "a list" : x === "object" ? "a mapping" : `a ${x}`);
  return Array.isArray(t) ? t.map((x) => one(String(x))).join(" or ") : one(String(t));
}

/** Is schemaPath inside alternative n of the oneOf at `oneOfPath`? */
function branchOf(e: ErrorObject, oneOfPath: string): number | undefined {
  const prefix = oneOfPath + "/";
  if (!e.schemaPath.startsWith(prefix)) return undefined;
  const n = Number(e.schemaPath.slice(prefix.length).split("/")[0]);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * Reduce ajv's raw errors to the ones a person should read: for a `oneOf`, keep only the errors of
 * alternatives of the right type (a string where a mapping was expected is not news), and replace an
 * alternative set that names required keys by the schema's own fix.
 */
function prune(errors: readonly ErrorObject[]): ErrorObject[] {
  let out = [...errors];
  for (const one of errors.filter((e) => e.keyword === "oneOf")) {
    const path = one.schemaPath;
    const branches = new Map<number, ErrorObject[]>();
    for (const e of out) {
      if (e === one || e.instancePath !== one.instancePath && !e.instancePath.startsWith(one.instancePath + "/")) continue;
      const b = branchOf(e, path);
      if (b !== undefined) branches.set(b, [...(branches.get(b) ?? []), e]);
    }
    const wrongKind = (es: ErrorObject[]): boolean => es.length === 1 && es[0]!.keyword === "type" && es[0]!.instancePath === one.instancePath;
    const relevant = [...branches.values()].filter((es) => !wrongKind(es));
    const inBranches = new Set([...branches.values()].flat());
    const onlyRequired = relevant.length > 1 && relevant.every((es) => es.every((e) => e.keyword === "required"));
    if (relevant.length === 1 && !onlyRequired) {
      // One alternative fits the value's kind: its errors say what is wrong.
      out = out.filter((e) => e !== one && (!inBranches.has(e) || relevant[0]!.includes(e)));
    } else {
      // Nothing fits, or several do: one message from the oneOf itself.
      out = out.filter((e) => !inBranches.has(e));
    }
  }
  return out;
}

/** Turn ajv errors into LabProblems with paths, positions and fixes. */
export function problemsFromAjv(
  errors: readonly ErrorObject[] | null | undefined,
  file: string,
  doc?: Document,
  lines?: LineCounter,
  basePath: readonly Segment[] = [],
): LabProblem[] {
  const problems: LabProblem[] = [];
  const seen = new Set<string>();
  for (const e of prune(errors ?? [])) {
    const segs = [...basePath, ...segments(e.instancePath)];
    const docSegs = segments(e.instancePath);
    const params = e.params as Record<string, unknown>;
    let path = dottedPath(segs);
    let message: string;
    let hint = fixOf(e.parentSchema);
    let key: string | undefined;
    switch (e.keyword) {
      case "required": {
        const missing = String(params.missingProperty);
        path = dottedPath([...segs, missing]);
        message = `is missing`;
        const propSchema = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties?.[missing];
        hint = fixOf(propSchema) ? `add ${missing}: — ${fixOf(propSchema)}` : `add ${missing}:`;
        break;
      }
      case "additionalProperties": {
        key = String(params.additionalProperty);
        path = dottedPath([...segs, key]);
        const known = Object.keys((e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
        message = `unknown key '${key}'`;
        hint = didYouMean(key, known, { ignoreCase: false, maxDistance: Math.max(2, Math.floor(key.length / 3)) }) ?? (known.length ? `allowed keys here: ${known.join(", ")}` : undefined);
        break;
      }
      case "enum": {
        const allowed = (params.allowedValues as unknown[]).map(String);
        message = `must be one of ${allowed.join(", ")}, not ${JSON.stringify(e.data)}`;
        hint = (typeof e.data === "string" ? didYouMean(e.data, allowed) : undefined) ?? hint;
        break;
      }
      case "type":
        message = `must be ${describeType(params.type)}, not ${JSON.stringify(e.data)}`;
        break;
      case "minimum":
        message = `must be ≥ ${String(params.limit)}`;
        break;
      case "maximum":
        message = `must be ≤ ${String(params.limit)}`;
        break;
      case "exclusiveMinimum":
        message = `must be > ${String(params.limit)}`;
        break;
      case "exclusiveMaximum":
        message = `must be < ${String(params.limit)}`;
        break;
      case "pattern":
        message = `${JSON.stringify(e.data)} does not have the expected form`;
        break;
      case "format":
        message = `${JSON.stringify(e.data)} is not a valid ${String(params.format)}`;
        break;
      case "minItems":
        message = `must list at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}`;
        break;
      case "maxItems":
        message = `must list at most ${String(params.limit)} items`;
        break;
      case "uniqueItems":
        message = `lists the same item twice (items ${String(params.j)} and ${String(params.i)})`;
        break;
      case "minProperties":
        message = `must have at least ${String(params.limit)} entr${params.limit === 1 ? "y" : "ies"}`;
        break;
      case "minLength":
        message = `must not be empty`;
        break;
      case "propertyNames":
        message = `has a badly formed name ${JSON.stringify(params.propertyName)}`;
        hint = "use lowercase letters, digits and dashes, starting with a letter";
        break;
      case "oneOf":
        message = params.passingSchemas ? `matches more than one form` : `is not any of the allowed forms`;
        break;
      default:
        message = e.message ?? `fails ${e.keyword}`;
    }
    const id = `${path}\0${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    // ajv reports the bad property name and then a pattern error on it; the propertyNames line suffices.
    problems.push({ code: "LAB_INVALID", path, message, ...(hint ? { hint } : {}), file, ...locate(doc, lines, docSegs, key) });
  }
  return problems.filter((p, i, all) => !(p.message.endsWith("does not have the expected form") && all.some((q) => q.message.startsWith("has a badly formed name") && p.path.startsWith(q.path))));
}
