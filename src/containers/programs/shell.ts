// The `sh` program: runs a script parsed by shell-parse.ts — builtins, child processes, redirections, background jobs, for loops.
import type { ProcessGenerator } from "../../sim/index.js";
import { FsError, ERRNO, type Errno } from "../fs-error.js";
import { exitCodeOf, type ProcessHandle, type Program, type Sys } from "../program.js";
import { parseShell, ShellSyntaxError, type Node, type Redirect, type Word } from "./shell-parse.js";

/** Where a command's output goes. */
interface Io {
  out(text: string): void;
  err(text: string): void;
}

interface ShellState {
  readonly sys: Sys;
  /** Positional parameters: $0, $1, … */
  args: string[];
  status: number;
  lastBackground: number;
  readonly jobs: ProcessHandle[];
  exitRequested: number | undefined;
}

class ExitShell extends Error {
  constructor(readonly code: number) {
    super("exit");
  }
}

function expandVars(text: string, st: ShellState): string {
  return text.replace(/\\\$|\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|[?$!#@*0-9])/g, (m, name: string | undefined) => {
    if (m === "\\$") return "$";
    let key = name!;
    let fallback: string | undefined;
    if (key.startsWith("{")) {
      key = key.slice(1, -1);
      const d = /^([A-Za-z_][A-Za-z0-9_]*):?-(.*)$/.exec(key);
      if (d) { key = d[1]!; fallback = d[2]; }
    }
    let v: string | undefined;
    if (key === "?") v = String(st.status);
    else if (key === "$") v = String(st.sys.pid);
    else if (key === "!") v = st.lastBackground ? String(st.lastBackground) : "";
    else if (key === "#") v = String(Math.max(0, st.args.length - 1));
    else if (key === "@" || key === "*") v = st.args.slice(1).join(" ");
    else if (/^[0-9]$/.test(key)) v = st.args[Number(key)] ?? "";
    else v = st.sys.env.get(key);
    return v === undefined || (v === "" && fallback !== undefined) ? (fallback ?? "") : v;
  });
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp("^" + pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]") + "$");
}

/** Expand an unquoted glob against the file system; no match leaves the pattern as it is (POSIX). */
function glob(pattern: string, sys: Sys): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const absolute = pattern.startsWith("/");
  const parts = pattern.split("/").filter((p, i) => p !== "" || i === 0);
  let paths = [absolute ? "" : "."];
  for (const part of parts.slice(absolute ? 1 : 0)) {
    const next: string[] = [];
    for (const base of paths) {
      const dir = base === "" ? "/" : base;
      if (!/[*?]/.test(part)) { next.push(`${base}/${part}`); continue; }
      let names: string[];
      try { names = sys.listDir(dir); } catch { continue; }
      const re = globToRegExp(part);
      for (const n of names) if (re.test(n) && (part.startsWith(".") || !n.startsWith("."))) next.push(`${base}/${n}`);
    }
    paths = next;
  }
  const found = paths.map((p) => (absolute ? p : p.replace(/^\.\//, ""))).sort();
  return found.length ? found : [pattern];
}

/** Expand one word into fields: variables, then field splitting and globbing of the unquoted parts. */
function expandWord(word: Word, st: ShellState): string[] {
  if (word.length === 1 && word[0]!.kind === "double" && word[0]!.text === "$@") return st.args.slice(1);
  const fields: string[] = [];
  let cur = "";
  let has = false;
  let globbable = false;
  for (const seg of word) {
    if (seg.kind === "literal") { cur += seg.text; has = true; continue; }
    const v = expandVars(seg.text, st);
    if (seg.kind === "double") { cur += v; has = true; continue; }
    if (/[*?]/.test(seg.text)) globbable = true;
    const pieces = v.split(/[ \t\n]+/);
    pieces.forEach((piece, i) => {
      if (i > 0) { if (has || cur) fields.push(cur); cur = ""; has = false; }
      if (piece !== "") { cur += piece; has = true; }
    });
  }
  if (has || cur) fields.push(cur);
  return globbable ? fields.flatMap((f) => glob(f, st.sys)) : fields;
}

function expandWords(words: readonly Word[], st: ShellState): string[] {
  return words.flatMap((w) => expandWord(w, st));
}

/** An output stream that writes into a file through the process's view, reporting write errors as ash does. */
function fileWriter(sys: Sys, path: string, append: boolean, io: Io, failed: { value: boolean }): ((text: string) => void) | undefined {
  try {
    if (!append) sys.writeFile(path, "");
    else {
      try { sys.readFile(path); } catch (e) { if (e instanceof FsError && e.errno === "ENOENT") sys.writeFile(path, ""); else throw e; }
    }
  } catch (e) {
    if (e instanceof FsError) {
      io.err(`sh: can't create ${path}: ${e.errno === "ENOENT" ? "nonexistent directory" : e.reason}\n`);
      return undefined;
    }
    throw e;
  }
  return (text: string) => {
    if (failed.value) return;
    try {
      sys.writeFile(path, text, true);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      failed.value = true;
      io.err(`sh: write error: ${e.reason}\n`);
    }
  };
}

function redirectIo(redirects: readonly Redirect[], st: ShellState, io: Io, failed: { value: boolean }): Io | undefined {
  let out = io.out;
  let err = io.err;
  for (const r of redirects) {
    const target = expandWord(r.target, st).join(" ");
    if (r.op === ">&") {
      if (r.fd === 2) err = out;
      else out = err;
      continue;
    }
    const w = fileWriter(st.sys, target, r.op === ">>", { out, err }, failed);
    if (!w) return undefined;
    if (r.fd === 1) out = w;
    else err = w;
  }
  return { out, err };
}

const BUILTINS = new Set(["cd", "export", "exit", "true", "false", ":", "echo", "exec", "wait", "kill", "set", "unset", "pwd", "printf"]);

function echo(args: string[], io: Io): number {
  let newline = true;
  let escapes = false;
  while (args[0] === "-n" || args[0] === "-e") {
    if (args[0] === "-n") newline = false;
    else escapes = true;
    args = args.slice(1);
  }
  let text = args.join(" ");
  if (escapes) text = text.replace(/\\n/g, "\n").replace(/\\t/g, "\t");
  io.out(text + (newline ? "\n" : ""));
  return 0;
}

function* builtin(name: string, args: string[], st: ShellState, io: Io): ProcessGenerator<number> {
  const sys = st.sys;
  switch (name) {
    case "true": case ":": return 0;
    case "false": return 1;
    case "echo": return echo(args, io);
    case "printf": io.out((args[0] ?? "").replace(/\\n/g, "\n").replace(/%s/g, () => args.splice(1, 1)[0] ?? "")); return 0;
    case "pwd": io.out(sys.cwd + "\n"); return 0;
    case "cd": {
      const dir = args[0] ?? sys.env.get("HOME") ?? "/";
      const path = dir.startsWith("/") ? dir : `${sys.cwd}/${dir}`;
      try {
        sys.listDir(path);
      } catch (e) {
        if (e instanceof FsError) { io.err(`sh: cd: can't cd to ${dir}: ${e.reason}\n`); return 2; }
        throw e;
      }
      sys.cwd = path.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
      return 0;
    }
    case "export": case "set":
      for (const a of args) {
        const i = a.indexOf("=");
        if (i > 0) sys.env.set(a.slice(0, i), a.slice(i + 1));
      }
      return 0;
    case "unset": for (const a of args) sys.env.delete(a); return 0;
    case "exit": throw new ExitShell(args[0] === undefined ? st.status : Number(args[0]) & 0xff);
    case "wait": {
      while (st.jobs.length) {
        const job = st.jobs.shift()!;
        const r = (yield sys.wait(job)) as { status: import("../program.js").ExitStatus };
        st.status = exitCodeOf(r.status);
      }
      return 0;
    }
    case "kill": {
      let signal = 15;
      const rest = [...args];
      if (rest[0]?.startsWith("-")) signal = ({ "-9": 9, "-KILL": 9, "-15": 15, "-TERM": 15, "-QUIT": 3, "-3": 3, "-INT": 2, "-2": 2 } as Record<string, number>)[rest.shift()!] ?? 15;
      let code = 0;
      for (const p of rest) {
        const e = sys.kill(Number(p), signal);
        if (e) { io.err(`sh: can't kill pid ${p}: ${ERRNO[e]}\n`); code = 1; }
      }
      return code;
    }
  }
  return 0;
}

function notFound(name: string, e: Errno, io: Io): number {
  if (e === "EAGAIN") { io.err(`sh: can't fork: ${ERRNO.EAGAIN}\n`); return 2; }
  if (e === "EACCES") { io.err(`sh: ${name}: Permission denied\n`); return 126; }
  io.err(`sh: ${name}: not found\n`);
  return 127;
}

function* run(node: Node, st: ShellState, io: Io): ProcessGenerator<number> {
  const sys = st.sys;
  switch (node.type) {
    case "list": {
      let status = 0;
      for (const item of node.items) {
        if (item.background) {
          status = startBackground(item.node, st, io);
        } else status = yield* run(item.node, st, io);
        st.status = status;
      }
      return status;
    }
    case "andor": {
      let status = yield* run(node.first, st, io);
      for (const { op, node: next } of node.rest) {
        st.status = status;
        if ((op === "&&" && status === 0) || (op === "||" && status !== 0)) status = yield* run(next, st, io);
      }
      return status;
    }
    case "group": return yield* run(node.body, st, io);
    case "for": {
      let status = 0;
      for (const v of expandWords(node.words, st)) {
        sys.env.set(node.name, v);
        status = yield* run(node.body, st, io);
        st.status = status;
      }
      return status;
    }
    case "simple": {
      const values = node.assigns.map((a) => [a.name, expandWord(a.value, st).join(" ")] as const);
      const argv = expandWords(node.words, st);
      if (argv.length === 0) {
        for (const [k, v] of values) sys.env.set(k, v);
        return 0;
      }
      const failed = { value: false };
      const rio = redirectIo(node.redirects, st, io, failed);
      if (!rio) return 1;
      const [name, ...args] = argv as [string, ...string[]];
      if (BUILTINS.has(name)) {
        if (name === "exec") {
          if (args.length === 0) return 0;
          const g = sys.exec(args);
          if (typeof g === "string") throw new ExitShell(notFound(args[0]!, g, rio));
          throw new ExecInto(g);
        }
        const code = yield* builtin(name, args, st, rio);
        return failed.value ? 1 : code;
      }
      const env = new Map(sys.env);
      for (const [k, v] of values) env.set(k, v);
      const child = sys.spawn(argv, { env, capture: rio.out, captureErr: rio.err });
      if (typeof child === "string") return notFound(name, child, rio);
      const r = (yield sys.wait(child)) as { status: import("../program.js").ExitStatus };
      return failed.value ? 1 : exitCodeOf(r.status);
    }
  }
}

function startBackground(node: Node, st: ShellState, io: Io): number {
  const sys = st.sys;
  const script = node;
  const child = sys.fork(function* (childSys: Sys): ProcessGenerator<number> {
    const childState: ShellState = { sys: childSys, args: st.args, status: 0, lastBackground: 0, jobs: [], exitRequested: undefined };
    return yield* runTop(script, childState, io);
  }, ["sh"]);
  if (typeof child === "string") {
    io.err(`sh: can't fork: ${ERRNO[child]}\n`);
    return 2;
  }
  st.jobs.push(child);
  st.lastBackground = child.pid;
  return 0;
}

/** `exec cmd`: the shell's process becomes the command. */
class ExecInto extends Error {
  constructor(readonly program: ProcessGenerator<number>) {
    super("exec");
  }
}

function* runTop(node: Node, st: ShellState, io: Io): ProcessGenerator<number> {
  try {
    return yield* run(node, st, io);
  } catch (e) {
    if (e instanceof ExitShell) return e.code;
    if (e instanceof ExecInto) return yield* e.program;
    throw e;
  }
}

/** Run a script text in this process (sh -c SCRIPT arg0 args…). */
export function* runScript(sys: Sys, script: string, args: string[]): ProcessGenerator<number> {
  let node: Node;
  try {
    node = parseShell(script);
  } catch (e) {
    if (e instanceof ShellSyntaxError) {
      sys.err(`sh: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const st: ShellState = { sys, args, status: 0, lastBackground: 0, jobs: [], exitRequested: undefined };
  return yield* runTop(node, st, { out: (t) => sys.out(t), err: (t) => sys.err(t) });
}

/** sh [-c SCRIPT [NAME [ARGS…]]] | sh FILE [ARGS…]: without either, an interactive shell with no input exits at once. */
export const sh: Program = function* (sys) {
  const argv = sys.argv;
  if (argv[1] === "-c") {
    if (argv[2] === undefined) { sys.err("sh: -c requires an argument\n"); return 2; }
    return yield* runScript(sys, argv[2], [argv[3] ?? "sh", ...argv.slice(4)]);
  }
  if (argv[1] !== undefined) {
    let text: string;
    try {
      text = new TextDecoder().decode(sys.readFile(argv[1]));
    } catch (e) {
      if (e instanceof FsError) { sys.err(`sh: can't open '${argv[1]}': ${e.reason}\n`); return 2; }
      throw e;
    }
    return yield* runScript(sys, text.replace(/^#![^\n]*\n/, ""), argv.slice(1));
  }
  return 0;
};
