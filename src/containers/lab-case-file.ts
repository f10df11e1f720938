// Lab 04's case files: YAML that describes image layers with an operation sequence, or a cgroup tree, read into plain cases with errors by file and line.
//
//   layers:                      # the image, bottom first
//     - files: { /etc/hosts: "127.0.0.1 localhost\n" }
//       dirs: [/srv]
//     - whiteouts: [/etc/hosts]  # opaque: [/srv] hides the lower /srv's contents
//   ops:
//     - append: /etc/hosts
//       text: "10.0.0.2 db\n"
//     - lookup: /etc/hosts       # also list:, write: (with content:), mkdir:, remove:
//
//   cpus: 2
//   cgroups:                     # every group by path; weight 100, cap max (cpu.max in CPUs), threads 0 by default
//     /web: { weight: 200, threads: 2 }
//     /batch: { threads: 4, cap: 0.5 }
import { LineCounter, parseDocument } from "yaml";
import { ContainerError } from "./errors.js";
import type { CaseGroup, CaseLayer, ContainersCase, FsOp } from "./lab-cases.js";

/** A bad case file: `file:line: what`, and the fix. */
export class CaseFileError extends ContainerError {
  constructor(message: string, hint: string) {
    super("LAB_CASE_INVALID", message, { hint, exitCode: 2 });
  }
}

const OPS = ["lookup", "list", "write", "append", "mkdir", "remove"] as const;
const PATH = /^\/(?:[^/\0]+\/)*[^/\0]+$/;

/** One problem of a case file: where and what, and its fix. */
interface Problem {
  readonly what: string;
  readonly fix: string;
}

/** Every problem at once: one alone as `file:line: what` with its fix, several one per line, each with its own. */
function caseFileError(problems: readonly Problem[]): CaseFileError {
  if (problems.length === 1) return new CaseFileError(problems[0]!.what, problems[0]!.fix);
  return new CaseFileError(`${problems.length} problems:\n${problems.map((q) => `  ${q.what} (${q.fix})`).join("\n")}`, "fix each line above");
}

/** Parse a case file; throws CaseFileError naming the file and line of every problem it finds. */
export function parseCaseFile(text: string, file: string): { readonly case: ContainersCase; readonly describe?: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const at = (segs: readonly (string | number)[]): string => {
    const node = segs.length ? (doc.getIn(segs, true) as { range?: [number, number, number] } | undefined) : doc.contents;
    const pos = node && "range" in node && node.range ? lines.linePos(node.range[0]) : undefined;
    return pos ? `${file}:${pos.line}` : file;
  };
  // A problem is noted and reading goes on with a neutral value, so one run names them all; `fail` is for
  // the few after which nothing more can be read.
  const problems: Problem[] = [];
  const note = (segs: readonly (string | number)[], what: string, fix: string): void => void problems.push({ what: `${at(segs)}: ${what}`, fix });
  const fail = (segs: readonly (string | number)[], what: string, fix: string): never => {
    note(segs, what, fix);
    throw caseFileError(problems);
  };
  const done = <T>(value: T): T => {
    if (problems.length) throw caseFileError(problems);
    return value;
  };
  if (doc.errors.length) {
    throw caseFileError(doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return { what: `${file}${pos ? `:${pos.line}` : ""}: ${e.message.split("\n")[0]}`, fix: "check indentation and quoting on that line" };
    }));
  }
  const root: unknown = doc.toJS();
  if (typeof root !== "object" || root === null || Array.isArray(root)) fail([], "is not a mapping", "write layers: and ops: (an overlay case) or cpus: and cgroups: (a cgroup case)");
  const r = root as Record<string, unknown>;
  const describe = firstComment(text);
  const known = (keys: readonly string[], segs: (string | number)[], value: Record<string, unknown>) => {
    for (const k of Object.keys(value)) if (!keys.includes(k)) note([...segs, k], `has an unknown key '${k}'`, `the keys here are ${keys.join(", ")}`);
  };
  const path = (v: unknown, segs: (string | number)[], root = false): string => {
    if (root && v === "/") return v;
    if (typeof v !== "string" || !PATH.test(v) || v.split("/").some((p) => p === "." || p === "..")) {
      note(segs, `${JSON.stringify(v)} is not an absolute, normalised path`, 'write paths like "/etc/hosts" (no trailing slash, no . or ..)');
      return "/";
    }
    return v;
  };
  if ("layers" in r || "ops" in r) {
    known(["layers", "ops"], [], r);
    if (!Array.isArray(r.layers) || r.layers.length === 0) note(["layers"], "needs at least one layer", "list the image's layers under layers:, bottom first");
    const layers = (Array.isArray(r.layers) ? (r.layers as unknown[]) : []).map((l, i): CaseLayer => {
      const segs = ["layers", i];
      if (typeof l !== "object" || l === null || Array.isArray(l)) {
        note(segs, "is not a mapping", "give a layer files:, dirs:, whiteouts: and/or opaque:");
        return { files: {}, dirs: [], whiteouts: [], opaque: [] };
      }
      const layer = l as Record<string, unknown>;
      known(["files", "dirs", "whiteouts", "opaque"], segs, layer);
      const list = (key: string): string[] => {
        const v = layer[key] ?? [];
        if (!Array.isArray(v)) {
          note([...segs, key], "is not a list", `write ${key}: [/a, /b]`);
          return [];
        }
        return (v as unknown[]).map((p, j) => path(p, [...segs, key, j]));
      };
      const files: Record<string, string> = {};
      const f = layer.files ?? {};
      const mapping = typeof f === "object" && f !== null && !Array.isArray(f);
      if (!mapping) note([...segs, "files"], "is not a mapping of paths to contents", 'write files: { /etc/hosts: "127.0.0.1 localhost" }');
      for (const [p, content] of Object.entries(mapping ? (f as Record<string, unknown>) : {})) {
        path(p, [...segs, "files", p]);
        if (typeof content !== "string") note([...segs, "files", p], `the content of ${p} is not a string`, "quote file contents");
        else files[p] = content;
      }
      return { files, dirs: list("dirs"), whiteouts: list("whiteouts"), opaque: list("opaque") };
    });
    if (!Array.isArray(r.ops)) note(["ops"], "is missing or not a list", "list operations such as - append: /etc/hosts");
    /** What a bad operation stands as while reading goes on (never returned: a noted problem throws at the end). */
    const unread: FsOp = { op: "lookup", path: "/" };
    const ops = (Array.isArray(r.ops) ? (r.ops as unknown[]) : []).map((o, i): FsOp => {
      const segs = ["ops", i];
      if (typeof o !== "object" || o === null || Array.isArray(o)) {
        note(segs, "is not an operation", `write one of ${OPS.join(", ")} with a path, e.g. - lookup: /etc/hosts`);
        return unread;
      }
      const op = o as Record<string, unknown>;
      const kinds = OPS.filter((k) => k in op);
      if (kinds.length !== 1) {
        note(segs, kinds.length ? `names ${kinds.join(" and ")}` : `names no operation (${Object.keys(op).join(", ")})`, `give exactly one of ${OPS.join(", ")}`);
        return unread;
      }
      const kind = kinds[0]!;
      const p = path(op[kind], [...segs, kind], true);
      if (kind === "write" || kind === "append") {
        const key = kind === "write" ? "content" : "text";
        known([kind, key], segs, op);
        const value = op[key];
        if (typeof value !== "string") {
          note(segs, `${kind} needs ${key}: (a string)`, `add ${key}: "..." below ${kind}:`);
          return unread;
        }
        return kind === "write" ? { op: "write", path: p, content: value } : { op: "append", path: p, text: value };
      }
      known([kind], segs, op);
      return { op: kind, path: p };
    });
    return done({ case: { kind: "overlay", layers, ops }, ...(describe ? { describe } : {}) });
  }
  if ("cgroups" in r || "cpus" in r) {
    known(["cpus", "cgroups"], [], r);
    if (typeof r.cpus !== "number" || !Number.isInteger(r.cpus) || r.cpus < 1 || r.cpus > 1024) note(["cpus"], `${JSON.stringify(r.cpus)} is not a number of CPUs`, "write cpus: 2 (a whole number from 1 to 1024)");
    const groups = r.cgroups;
    const mapping = typeof groups === "object" && groups !== null && !Array.isArray(groups);
    if (!mapping) note(["cgroups"], "is not a mapping of group paths", "write cgroups: { /web: { weight: 200, threads: 2 } }");
    const flat = new Map<string, { weight: number; cap: number | null; threads: number }>();
    for (const [p, g] of Object.entries(mapping ? (groups as Record<string, unknown>) : {})) {
      const segs = ["cgroups", p];
      if (p !== "/") path(p, segs);
      const given = g ?? {};
      if (typeof given !== "object" || Array.isArray(given)) {
        note(segs, "is not a mapping", "write { weight: 200, threads: 2, cap: 0.5 }");
        continue;
      }
      const spec = given as Record<string, unknown>;
      known(["weight", "cap", "threads"], segs, spec);
      const weight = spec.weight ?? 100;
      if (typeof weight !== "number" || !Number.isInteger(weight) || weight < 1 || weight > 10000) note([...segs, "weight"], `weight ${JSON.stringify(weight)} is outside cpu.weight's range`, "use a whole number from 1 to 10000");
      const cap = spec.cap ?? "max";
      if (cap !== "max" && (typeof cap !== "number" || !(cap > 0))) note([...segs, "cap"], `cap ${JSON.stringify(cap)} is not a number of CPUs`, "write cap: 0.5 (CPUs) or cap: max");
      const threads = spec.threads ?? 0;
      if (typeof threads !== "number" || !Number.isInteger(threads) || threads < 0) note([...segs, "threads"], `threads ${JSON.stringify(threads)} is not a count`, "write threads: 2");
      flat.set(p, { weight: weight as number, cap: cap === "max" ? null : (cap as number), threads: threads as number });
    }
    const build = (p: string): CaseGroup => {
      const g = flat.get(p) ?? { weight: 100, cap: null, threads: 0 };
      const kids = [...flat.keys()].filter((q) => q !== "/" && q !== p && parentOf(q) === p).sort();
      return { path: p, ...g, children: kids.map(build) };
    };
    for (const p of flat.keys()) if (p !== "/" && parentOf(p) !== "/" && !flat.has(parentOf(p))) note(["cgroups", p], `the parent of ${p}, ${parentOf(p)}, is not declared`, `add ${parentOf(p)}: {} above it`);
    return done({ case: { kind: "cgroups", cpus: r.cpus as number, root: build("/") }, ...(describe ? { describe } : {}) });
  }
  return fail([], "is neither an overlay case nor a cgroup case", "write layers: and ops:, or cpus: and cgroups:");
}

function parentOf(p: string): string {
  return p.slice(0, p.lastIndexOf("/")) || "/";
}

/** The file's first comment line (`# what this case exercises`), before any content, for feedback. */
function firstComment(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === "" || t.startsWith("# yaml-language-server")) continue;
    return t.startsWith("#") ? t.replace(/^#+\s*/, "") || undefined : undefined;
  }
  return undefined;
}
