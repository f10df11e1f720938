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

/** Parse a case file; throws CaseFileError naming the file and line of the first problem. */
export function parseCaseFile(text: string, file: string): { readonly case: ContainersCase; readonly describe?: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const at = (segs: readonly (string | number)[]): string => {
    const node = segs.length ? (doc.getIn(segs, true) as { range?: [number, number, number] } | undefined) : doc.contents;
    const pos = node && "range" in node && node.range ? lines.linePos(node.range[0]) : undefined;
    return pos ? `${file}:${pos.line}` : file;
  };
  const fail = (segs: readonly (string | number)[], what: string, fix: string): never => {
    throw new CaseFileError(`${at(segs)}: ${what}`, fix);
  };
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new CaseFileError(`${file}${pos ? `:${pos.line}` : ""}: ${e.message.split("\n")[0]}`, "check indentation and quoting on that line");
  }
  const root: unknown = doc.toJS();
  if (typeof root !== "object" || root === null || Array.isArray(root)) fail([], "is not a mapping", "write layers: and ops: (an overlay case) or cpus: and cgroups: (a cgroup case)");
  const r = root as Record<string, unknown>;
  const describe = firstComment(text);
  const known = (keys: readonly string[], segs: (string | number)[], value: Record<string, unknown>) => {
    for (const k of Object.keys(value)) if (!keys.includes(k)) fail([...segs, k], `has an unknown key '${k}'`, `the keys here are ${keys.join(", ")}`);
  };
  const path = (v: unknown, segs: (string | number)[], root = false): string => {
    if (root && v === "/") return v;
    if (typeof v !== "string" || !PATH.test(v) || v.split("/").some((p) => p === "." || p === "..")) fail(segs, `${JSON.stringify(v)} is not an absolute, normalised path`, 'write paths like "/etc/hosts" (no trailing slash, no . or ..)');
    return v as string;
  };
  if ("layers" in r || "ops" in r) {
    known(["layers", "ops"], [], r);
    if (!Array.isArray(r.layers) || r.layers.length === 0) fail(["layers"], "needs at least one layer", "list the image's layers under layers:, bottom first");
    const layers = (r.layers as unknown[]).map((l, i): CaseLayer => {
      const segs = ["layers", i];
      if (typeof l !== "object" || l === null || Array.isArray(l)) fail(segs, "is not a mapping", "give a layer files:, dirs:, whiteouts: and/or opaque:");
      const layer = l as Record<string, unknown>;
      known(["files", "dirs", "whiteouts", "opaque"], segs, layer);
      const list = (key: string): string[] => {
        const v = layer[key] ?? [];
        if (!Array.isArray(v)) fail([...segs, key], "is not a list", `write ${key}: [/a, /b]`);
        return (v as unknown[]).map((p, j) => path(p, [...segs, key, j]));
      };
      const files: Record<string, string> = {};
      const f = layer.files ?? {};
      if (typeof f !== "object" || f === null || Array.isArray(f)) fail([...segs, "files"], "is not a mapping of paths to contents", 'write files: { /etc/hosts: "127.0.0.1 localhost" }');
      for (const [p, content] of Object.entries(f as Record<string, unknown>)) {
        path(p, [...segs, "files", p]);
        if (typeof content !== "string") fail([...segs, "files", p], `the content of ${p} is not a string`, "quote file contents");
        files[p] = content as string;
      }
      return { files, dirs: list("dirs"), whiteouts: list("whiteouts"), opaque: list("opaque") };
    });
    if (!Array.isArray(r.ops)) fail(["ops"], "is missing or not a list", "list operations such as - append: /etc/hosts");
    const ops = (r.ops as unknown[]).map((o, i): FsOp => {
      const segs = ["ops", i];
      if (typeof o !== "object" || o === null || Array.isArray(o)) fail(segs, "is not an operation", `write one of ${OPS.join(", ")} with a path, e.g. - lookup: /etc/hosts`);
      const op = o as Record<string, unknown>;
      const kinds = OPS.filter((k) => k in op);
      if (kinds.length !== 1) fail(segs, kinds.length ? `names ${kinds.join(" and ")}` : `names no operation (${Object.keys(op).join(", ")})`, `give exactly one of ${OPS.join(", ")}`);
      const kind = kinds[0]!;
      const p = path(op[kind], [...segs, kind], true);
      if (kind === "write" || kind === "append") {
        const key = kind === "write" ? "content" : "text";
        known([kind, key], segs, op);
        if (typeof op[key] !== "string") fail(segs, `${kind} needs ${key}: (a string)`, `add ${key}: "..." below ${kind}:`);
        return kind === "write" ? { op: "write", path: p, content: op.content as string } : { op: "append", path: p, text: op.text as string };
      }
      known([kind], segs, op);
      return { op: kind, path: p };
    });
    return { case: { kind: "overlay", layers, ops }, ...(describe ? { describe } : {}) };
  }
  if ("cgroups" in r || "cpus" in r) {
    known(["cpus", "cgroups"], [], r);
    if (typeof r.cpus !== "number" || !Number.isInteger(r.cpus) || r.cpus < 1 || r.cpus > 1024) fail(["cpus"], `${JSON.stringify(r.cpus)} is not a number of CPUs`, "write cpus: 2 (a whole number from 1 to 1024)");
    const groups = r.cgroups;
    if (typeof groups !== "object" || groups === null || Array.isArray(groups)) fail(["cgroups"], "is not a mapping of group paths", "write cgroups: { /web: { weight: 200, threads: 2 } }");
    const flat = new Map<string, { weight: number; cap: number | null; threads: number }>();
    for (const [p, g] of Object.entries(groups as Record<string, unknown>)) {
      const segs = ["cgroups", p];
      if (p !== "/") path(p, segs);
      const spec = (g ?? {}) as Record<string, unknown>;
      if (typeof spec !== "object" || Array.isArray(spec)) fail(segs, "is not a mapping", "write { weight: 200, threads: 2, cap: 0.5 }");
      known(["weight", "cap", "threads"], segs, spec);
      const weight = spec.weight ?? 100;
      if (typeof weight !== "number" || !Number.isInteger(weight) || weight < 1 || weight > 10000) fail([...segs, "weight"], `weight ${JSON.stringify(weight)} is outside cpu.weight's range`, "use a whole number from 1 to 10000");
      const cap = spec.cap ?? "max";
      if (cap !== "max" && (typeof cap !== "number" || !(cap > 0))) fail([...segs, "cap"], `cap ${JSON.stringify(cap)} is not a number of CPUs`, "write cap: 0.5 (CPUs) or cap: max");
      const threads = spec.threads ?? 0;
      if (typeof threads !== "number" || !Number.isInteger(threads) || threads < 0) fail([...segs, "threads"], `threads ${JSON.stringify(threads)} is not a count`, "write threads: 2");
      flat.set(p, { weight: weight as number, cap: cap === "max" ? null : (cap as number), threads: threads as number });
    }
    const build = (p: string): CaseGroup => {
      const g = flat.get(p) ?? { weight: 100, cap: null, threads: 0 };
      const kids = [...flat.keys()].filter((q) => q !== "/" && q !== p && parentOf(q) === p).sort();
      return { path: p, ...g, children: kids.map(build) };
    };
    for (const p of flat.keys()) if (p !== "/" && parentOf(p) !== "/" && !flat.has(parentOf(p))) fail(["cgroups", p], `the parent of ${p}, ${parentOf(p)}, is not declared`, `add ${parentOf(p)}: {} above it`);
    return { case: { kind: "cgroups", cpus: r.cpus as number, root: build("/") }, ...(describe ? { describe } : {}) };
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
