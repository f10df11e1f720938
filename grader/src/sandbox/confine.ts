// Confinement inside the sandbox child: load student JavaScript into a SES Compartment and hand the monitor safe wrappers of its handlers.
//
// Runs after `lockdown()` (every intrinsic is frozen). What student code can reach:
//   - the Compartment's globals: SES's safe language globals plus a `console` that writes to a capped,
//     per-case sink nobody reads; no `process`, `require`, `import`, `fetch`, timers, `Buffer`;
//   - a `require` that knows only the submission's own files and `vmlab`: frozen copies of the architecture
//     constants (src/isa/arch.ts) and HANDLER_NAMES — copies, so nothing the monitor reads is reachable;
//   - in a handler call: a hardened facade of the VirtualCpu whose methods pass only primitives to the
//     monitor and stop working once the call returns, and a frozen copy of the GuestEvent.
// What the monitor gets back: trusted wrapper functions. A wrapper never reads what a handler returns,
// turns anything a handler throws (an Error, 42, a proxy, an object with hostile getters) into a
// trusted Error with a short string message, and records the failure where only the child can see it.
import {
  HANDLER_NAMES, type GuestEvent, type HandlerName, type TrapHandlers, type TrappedInstruction, type VirtualControlRegisters, type VirtualCpu,
  type VirtualFlags, type VirtualIo, type VirtualRegisters,
} from "../../../src/vmm/api.js";
import { didYouMean } from "../../../src/core/suggest.js";
import * as arch from "../../../src/isa/arch.js";
import { capText } from "./protocol.js";
import { locate, type SourceMaps } from "./stack.js";

/** Where a thrown value came from, for messages: the submission's source maps and the trusted stack reader. */
interface Locator {
  readonly maps: SourceMaps;
  readonly stackOf: (error: object) => string;
}

/** Why a case's handlers failed, as the child reports it. */
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
const OUTPUT_EXCEEDED = new Error("output limit exceeded");

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

export type LoadResult =
  | { readonly ok: true; readonly handlers: ConfinedHandlers }
  | { readonly ok: false; readonly status: "load-error" | "missing-export" | "output"; readonly message: string };

/** What the monitor receives: trusted wrappers plus the per-case state they write into. */
export interface ConfinedHandlers {
  readonly handlers: TrapHandlers;
  /** Start a new case: clears the failure and the output budget. */
  beginCase(): CaseState;
}

export interface LoadOptions {
  readonly js: Readonly<Record<string, string>>;
  readonly entry: string;
  readonly exportName: string;
  readonly sink: OutputSink;
  readonly maps: SourceMaps;
  /** The engine's stack of an error, for trusted code only (SES hides `error.stack` from the submission). */
  readonly stackOf: (error: object) => string;
  /** Called as each handler starts (the child reports a change of handler, so a time-out can name it). */
  readonly onHandler?: (name: HandlerName) => void;
  /** A brand check for native promises that runs no student code (node:util types.isPromise). */
  readonly isPromise: (value: unknown) => boolean;
}

/** The module name of the handler API, and its relative spellings (same rule as compile.ts). */
const API_MODULE = "vmlab";
function isApiSpecifier(specifier: string): boolean {
  return specifier === API_MODULE || /^(\.\.?\/)+(?:[\w.-]+\/)*src\/(index|vmm\/api|isa\/arch)(\.js|\.ts)?$/.test(specifier);
}

/** Globals left to the scope proxy: eval keeps its SES meaning; the constants cannot be rebound as parameters usefully. */
const UNBOUND_GLOBALS = new Set(["eval", "undefined", "NaN", "Infinity"]);

/** Evaluate the submission in a fresh Compartment and find its handlers. Never throws. */
export function loadSubmission(options: LoadOptions): LoadResult {
  const { js, sink, maps } = options;
  const where: Locator = { maps, stackOf: options.stackOf };
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
  const api = runtimeApi();
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
      if (isApiSpecifier(specifier)) return api;
      const target = resolveRelative(js, name, specifier);
      if (target === undefined) {
        throw new Error(`Cannot load '${capText(specifier, 80)}': the grader's sandbox loads only your own files and "${API_MODULE}" (no Node modules, no files outside your submission).`);
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
    return { ok: false, status: "load-error", message: `Loading ${displayName(maps, entry)} failed: ${describeThrown(e, where)}` };
  }
  if (sink.exceeded) return { ok: false, status: "output", message: "" };

  const found = findHandlers(exported, options.exportName, js, entry, where);
  if (!found.ok) return found;
  return { ok: true, handlers: confine(found.handlers, found.self, where, options.isPromise, options.onHandler) };
}

/** The runtime side of `vmlab` in the sandbox: deep copies of the constants, pure functions behind primitive-only wrappers. */
function runtimeApi(): object {
  const out: Record<string, unknown> = { HANDLER_NAMES: [...HANDLER_NAMES] };
  for (const [name, value] of Object.entries(arch)) {
    if (typeof value === "function") {
      const fn = value as (...args: number[]) => unknown;
      out[name] = (...args: unknown[]) => fn(...args.map((a, i) => prim(a, `${name} argument ${i + 1}`)));
    } else out[name] = structuredClone(value);
  }
  return harden(out);
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

type Found =
  | { readonly ok: true; readonly handlers: ReadonlyMap<HandlerName, (...args: unknown[]) => unknown>; readonly self: unknown }
  | { readonly ok: false; readonly status: "missing-export" | "load-error"; readonly message: string };

/** Snapshot the handler functions once: later reads of a proxy or getter could change them. */
function findHandlers(exported: unknown, exportName: string, js: Readonly<Record<string, string>>, entry: string, where: Locator): Found {
  const file = displayName(where.maps, entry);
  if (exported === undefined) {
    let names: string[] = [];
    try {
      // The module's export names, through trusted code only.
      const exportsObject = loadExportNames(js, entry);
      names = exportsObject;
    } catch {
      names = [];
    }
    const hint = didYouMean(exportName, names, { ignoreCase: true });
    return {
      ok: false,
      status: "missing-export",
      message: `${file} does not export \`${exportName}\`.${hint ? ` It exports \`${suggestName(exportName, names)}\`: ${hint.replace(/'/g, "`")}` : names.length ? ` It exports ${names.map((n) => `\`${n}\``).join(", ")}.` : ""} Write \`export const ${exportName}: TrapHandlers = { ... };\`.`,
    };
  }
  if (typeof exported !== "object" || exported === null) {
    return { ok: false, status: "missing-export", message: `\`${exportName}\` in ${file} must be an object of handler functions, but it is ${describeKind(exported)}.` };
  }
  const handlers = new Map<HandlerName, (...args: unknown[]) => unknown>();
  try {
    for (const name of HANDLER_NAMES) {
      const value: unknown = (exported as Record<string, unknown>)[name];
      if (value === undefined) continue;
      if (typeof value !== "function") {
        return { ok: false, status: "missing-export", message: `\`${exportName}.${name}\` must be a function, but it is ${describeKind(value)}.` };
      }
      handlers.set(name, value as (...args: unknown[]) => unknown);
    }
    const keys = Reflect.ownKeys(exported).filter((k): k is string => typeof k === "string");
    const known = new Set<string>(HANDLER_NAMES);
    for (const key of keys) {
      if (known.has(key)) continue;
      const hint = didYouMean(key, HANDLER_NAMES, { ignoreCase: true });
      if (hint) {
        return { ok: false, status: "missing-export", message: `\`${exportName}.${capText(key, 40)}\` is not a handler name: ${hint.replace(/'/g, "`")} The monitor would never call it.` };
      }
    }
  } catch (e) {
    return { ok: false, status: "load-error", message: `Reading \`${exportName}\` from ${file} failed: ${describeThrown(e, where)}` };
  }
  return { ok: true, handlers, self: exported };
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

/** Wrap each student handler so the monitor only ever calls trusted code. */
function confine(
  found: ReadonlyMap<HandlerName, (...args: unknown[]) => unknown>, self: unknown, where: Locator, isPromise: (value: unknown) => boolean, onHandler?: (name: HandlerName) => void,
): ConfinedHandlers {
  let state: CaseState = {};
  const facades = new WeakMap<object, Facade>();
  const handlers: Record<string, (vcpu: VirtualCpu, event?: GuestEvent) => void> = {};
  for (const [name, fn] of found) {
    handlers[name] = (vcpu: VirtualCpu, event?: GuestEvent) => {
      const current = state;
      if (current.failure) throw new Error(`handler ${name} not called: the case already failed`);
      onHandler?.(name);
      let facade = facades.get(vcpu);
      if (!facade) {
        facade = makeFacade(vcpu, () => state);
        facades.set(vcpu, facade);
      }
      current.signal = undefined;
      const args: unknown[] = [facade.vcpu];
      if (name === "reflect") args.push(copyEvent(event));
      let threw = false;
      let thrown: unknown;
      let returned: unknown;
      facade.open();
      try {
        returned = Reflect.apply(fn, self, args);
      } catch (e) {
        threw = true;
        thrown = e;
      } finally {
        facade.close();
      }
      if (threw) {
        // The monitor raised something through the facade (raise(), a guest page fault, a machine check): its own signal goes back.
        if (current.signal !== undefined && !current.failure) throw current.signal;
        if (thrown === OUTPUT_EXCEEDED) current.failure ??= { status: "output", message: "" };
        else current.failure ??= { status: "handler-error", message: `Your \`${name}\` handler threw ${describeThrown(thrown, where)}` };
      }
      if (!threw && typeof returned === "object" && returned !== null && isPromise(returned)) {
        try {
          Reflect.apply(Promise.prototype.then, returned, [undefined, () => undefined]); // its rejection is this failure, not an unhandled one
        } catch {
          // a hostile promise: the failure below stands
        }
        current.failure ??= { status: "handler-error", message: `Your \`${name}\` handler is async (it returned a promise): handlers must be plain synchronous functions. Remove \`async\` and \`await\`.` };
      }
      if (current.failure) throw new Error(`handler ${name} failed`);
      // Otherwise the return value is never read: a proxy or a getter there cannot run.
    };
  }
  harden(handlers);
  return {
    handlers: handlers as TrapHandlers,
    beginCase() {
      state = {};
      return state;
    },
  };
}

interface Facade {
  readonly vcpu: VirtualCpu;
  open(): void;
  close(): void;
}

/** Errors the facade itself raises (a bad argument), as opposed to the monitor's own signals. */
const facadeErrors = new WeakSet<object>();

/** A number for the monitor: primitives pass (the monitor checks ranges); objects never reach trusted code, so no valueOf runs there. */
function prim(value: unknown, what: string): number {
  if (typeof value === "object" || typeof value === "function") {
    const error = new TypeError(`${what} expects a number, but got ${value === null ? "null" : typeof value}`);
    facadeErrors.add(error);
    throw error;
  }
  return value as number;
}

/** Reach into a facade's private state: assigned inside the class body, so student code can never get it. */
let invoke!: <T>(cpu: FacadeCpu, what: string, fn: (real: VirtualCpu) => T) => T;
let setOpen!: (cpu: FacadeCpu, open: boolean) => void;

/**
 * One handler call's view of the monitor's VirtualCpu. The methods live on prototypes hardened once;
 * an instance holds only private fields (the real vcpu, whether the call is still running) and its four
 * frozen parts, so a shallow freeze per call is enough: much cheaper than `harden` on a fresh closure graph.
 */
class FacadeCpu implements VirtualCpu {
  readonly #real: VirtualCpu;
  readonly #state: () => CaseState;
  #open = false;
  readonly flags: VirtualFlags;
  readonly regs: VirtualRegisters;
  readonly cr: VirtualControlRegisters;
  readonly io: VirtualIo;

  constructor(real: VirtualCpu, state: () => CaseState) {
    this.#real = real;
    this.#state = state;
    this.flags = Object.freeze(new FacadeFlags(this));
    this.regs = Object.freeze(new FacadeRegisters(this, "regs"));
    this.cr = Object.freeze(new FacadeRegisters(this, "cr"));
    this.io = Object.freeze(new FacadeIo(this));
    Object.freeze(this);
  }

  static {
    /** Call into the monitor; a throw from there is the monitor's signal, unless the stack ran out inside it. */
    invoke = <T>(cpu: FacadeCpu, what: string, fn: (real: VirtualCpu) => T): T => {
      if (!cpu.#open) throw new Error(`vcpu.${what} was used after the handler returned; use the vcpu only while your handler runs`);
      try {
        return fn(cpu.#real);
      } catch (e) {
        const s = cpu.#state();
        if (e instanceof RangeError && /call stack/i.test(String(e.message))) {
          s.failure ??= { status: "handler-error", message: `The call stack ran out inside vcpu.${what}: your handlers nest calls too deeply (a function that calls itself without end?).` };
        }
        if (typeof e === "object" && e !== null && !facadeErrors.has(e)) s.signal ??= e;
        throw e;
      }
    };
    setOpen = (cpu, open) => {
      cpu.#open = open;
    };
  }

  get cpl() { return invoke(this, "cpl", (r) => r.cpl); }
  set cpl(v: number) { invoke(this, "cpl", (r) => { r.cpl = prim(v, "vcpu.cpl"); }); }
  get idtBase() { return invoke(this, "idtBase", (r) => r.idtBase); }
  set idtBase(v: number) { invoke(this, "idtBase", (r) => { r.idtBase = prim(v, "vcpu.idtBase"); }); }
  get insn() { return invoke(this, "insn", (r) => copyInsn(r.insn)); }
  get pc() { return invoke(this, "pc", (r) => r.pc); }
  skip() { invoke(this, "skip", (r) => r.skip()); }
  jump(address: number) { invoke(this, "jump", (r) => r.jump(prim(address, "vcpu.jump"))); }
  push(value: number) { invoke(this, "push", (r) => r.push(prim(value, "vcpu.push"))); }
  pop() { return invoke(this, "pop", (r) => r.pop()); }
  read32(address: number) { return invoke(this, "read32", (r) => r.read32(prim(address, "vcpu.read32"))); }
  write32(address: number, value: number) { invoke(this, "write32", (r) => r.write32(prim(address, "vcpu.write32"), prim(value, "vcpu.write32"))); }
  invalidatePage(address: number) { invoke(this, "invalidatePage", (r) => r.invalidatePage(prim(address, "vcpu.invalidatePage"))); }
  waitForInterrupt() { invoke(this, "waitForInterrupt", (r) => r.waitForInterrupt()); }
  halt() { invoke(this, "halt", (r) => r.halt()); }
  raise(vector: number, error?: number): never {
    return invoke(this, "raise", (r) => r.raise(prim(vector, "vcpu.raise"), error === undefined ? undefined : prim(error, "vcpu.raise")));
  }
}

class FacadeFlags implements VirtualFlags {
  readonly #cpu: FacadeCpu;
  constructor(cpu: FacadeCpu) { this.#cpu = cpu; }
  get IF() { return invoke(this.#cpu, "flags.IF", (r) => r.flags.IF); }
  set IF(v: boolean) { invoke(this.#cpu, "flags.IF", (r) => { r.flags.IF = Boolean(v); }); }
  get IOPL() { return invoke(this.#cpu, "flags.IOPL", (r) => r.flags.IOPL); }
  set IOPL(v: number) { invoke(this.#cpu, "flags.IOPL", (r) => { r.flags.IOPL = prim(v, "vcpu.flags.IOPL"); }); }
  get word() { return invoke(this.#cpu, "flags.word", (r) => r.flags.word); }
  set word(v: number) { invoke(this.#cpu, "flags.word", (r) => { r.flags.word = prim(v, "vcpu.flags.word"); }); }
}

class FacadeRegisters implements VirtualRegisters, VirtualControlRegisters {
  readonly #cpu: FacadeCpu;
  readonly #part: "regs" | "cr";
  constructor(cpu: FacadeCpu, part: "regs" | "cr") {
    this.#cpu = cpu;
    this.#part = part;
  }
  get(index: number) {
    const part = this.#part;
    return invoke(this.#cpu, `${part}.get`, (r) => r[part].get(prim(index, `vcpu.${part}.get`)));
  }
  set(index: number, value: number) {
    const part = this.#part;
    invoke(this.#cpu, `${part}.set`, (r) => r[part].set(prim(index, `vcpu.${part}.set`), prim(value, `vcpu.${part}.set`)));
  }
}

class FacadeIo implements VirtualIo {
  readonly #cpu: FacadeCpu;
  constructor(cpu: FacadeCpu) { this.#cpu = cpu; }
  in(port: number) { return invoke(this.#cpu, "io.in", (r) => r.io.in(prim(port, "vcpu.io.in"))); }
  out(port: number, value: number) { invoke(this.#cpu, "io.out", (r) => r.io.out(prim(port, "vcpu.io.out"), prim(value, "vcpu.io.out"))); }
}

let facadeClassesHardened = false;

/** The revocable view of one real VirtualCpu (the classes are hardened on first use, after lockdown). */
function makeFacade(real: VirtualCpu, state: () => CaseState): Facade {
  if (!facadeClassesHardened) {
    for (const c of [FacadeCpu, FacadeFlags, FacadeRegisters, FacadeIo]) {
      // Hide the constructors: student code has no use for them.
      Object.defineProperty(c.prototype, "constructor", { value: undefined, writable: false, enumerable: false, configurable: false });
      harden(c);
      harden(c.prototype);
    }
    facadeClassesHardened = true;
  }
  const vcpu = new FacadeCpu(real, state);
  return {
    vcpu,
    open: () => setOpen(vcpu, true),
    close: () => setOpen(vcpu, false),
  };
}

/** A frozen copy of the trapped instruction, primitives only. */
function copyInsn(insn: TrappedInstruction): TrappedInstruction {
  return Object.freeze({
    name: String(insn.name), mnemonic: String(insn.mnemonic), pc: Number(insn.pc), size: Number(insn.size),
    a: Number(insn.a), b: Number(insn.b), c: Number(insn.c), imm: Number(insn.imm), text: String(insn.text),
  });
}

function copyEvent(event: GuestEvent | undefined): GuestEvent | undefined {
  if (event === undefined) return undefined;
  return Object.freeze({ kind: event.kind, vector: Number(event.vector), error: Number(event.error), returnPc: Number(event.returnPc) });
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

function displayName(maps: SourceMaps, js: string): string {
  return maps.get(js)?.source ?? js;
}
