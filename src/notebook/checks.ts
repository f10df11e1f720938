// Self-checks for the notebooks' "try it yourself" cells: each says plainly what is right and what is wrong.
import { escapeHtml, hexWord, html, type Rendered } from "./rendered.js";
import { show } from "./show.js";
import type { NamedValue } from "./tables.js";
import { noUnloading, type KeepAlivePolicy } from "../serverless/keep-alive.js";
import { replayWithPolicy } from "../serverless/keep-alive-experiment.js";
import { TraceBuilder, type InvocationTrace } from "../serverless/trace.js";
import { counted } from "../core/plural.js";

/** The verdict of one self-check. */
export interface CheckResult {
  readonly ok: boolean;
  /** What was checked, e.g. "Theorem 1 as a function". */
  readonly title: string;
  /** One sentence per thing that is wrong, saying what was expected and what was found. */
  readonly problems: readonly string[];
  /** One sentence per thing that is right. */
  readonly passed: readonly string[];
}

/**
 * Thrown by `selfCheck` when the student's code is not right yet, so the cell fails. The verdict box shown just
 * before it lists the problems; the error only points there, so the list is not printed twice. (`result` holds
 * the problems for programs.) The kernel prints an uncaught error with `util.inspect`: this one prints as its
 * one line alone, without the stack (frames inside vmlab and the kernel) or a dump of `result`.
 */
export class SelfCheckFailed extends Error {
  constructor(readonly result: CheckResult) {
    super(`${result.title}: not right yet (${counted(result.problems.length, "problem")}, listed above)`);
    this.name = "SelfCheckFailed";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `${this.name}: ${this.message}`;
  }
}

function verdict(title: string, problems: string[], passed: string[]): CheckResult {
  return { ok: problems.length === 0, title, problems, passed };
}

const STYLE =
  ".vmlab-check{font-family:system-ui,sans-serif;font-size:14px;border-radius:4px;padding:6px 10px;margin:4px 0}" +
  ".vmlab-check.ok{background:#e3f4e3;border:1px solid #6fbf73}.vmlab-check.bad{background:#fbe4e3;border:1px solid #d9534f}" +
  ".vmlab-check ul{margin:4px 0 0 0;padding-left:20px}";

/** How a verdict's headline reads; demonstrations (not exercises) say e.g. "equivalent" / "not equivalent". */
export interface VerdictWords {
  readonly ok: string;
  readonly bad: string;
}

/** Renders a verdict as a green (right) or red (not yet) box. */
export function checkView(result: CheckResult, words: VerdictWords = { ok: "right", bad: "not right yet" }): Rendered {
  const headline = result.ok ? `✓ ${result.title}: ${words.ok}.` : `✗ ${result.title}: ${words.bad}.`;
  const items = result.ok ? result.passed : result.problems;
  const body =
    `<style>${STYLE}</style><div class="vmlab-check ${result.ok ? "ok" : "bad"}"><strong>${escapeHtml(headline)}</strong>` +
    (items.length > 0 ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>` : "") +
    `</div>`;
  const text = [headline, ...items.map((i) => `  ${result.ok ? "✓" : "✗"} ${i}`)].join("\n");
  return html(body, text);
}

/**
 * Shows the verdict and, when the code is not right yet, throws so the cell (and `npm test`) fails
 * with the list of problems.
 */
export function selfCheck(result: CheckResult, display: (view: Rendered) => void = (view) => show(view)): void {
  display(checkView(result));
  if (!result.ok) throw new SelfCheckFailed(result);
}

/** Runs the student's function, turning an exception into a problem sentence instead of a crash. */
function attempt<T>(what: string, run: () => T, problems: string[]): T | undefined {
  try {
    return run();
  } catch (error) {
    problems.push(`${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Guest registers (notebooks 1 and 2): did the program leave the expected values?

/** Checks that each named register holds the expected 32-bit value (compared as unsigned words). */
export function checkRegisters(actual: readonly NamedValue[], expected: Readonly<Record<string, number>>, title = "Guest registers"): CheckResult {
  const problems: string[] = [];
  const passed: string[] = [];
  const byName = new Map(actual.map((r) => [r.name, r.value >>> 0]));
  for (const [name, want] of Object.entries(expected)) {
    const got = byName.get(name);
    if (got === undefined) problems.push(`there is no register named ${name} (registers: ${[...byName.keys()].join(", ")})`);
    else if (got !== want >>> 0) problems.push(`${name} is ${got | 0} (${hexWord(got)}); expected ${want | 0} (${hexWord(want)})`);
    else passed.push(`${name} is ${want | 0}`);
  }
  return verdict(title, problems, passed);
}

// ---------------------------------------------------------------------------------------------
// Interpretation (notebook 3): the lecture's CPUState and its interrupt check.

/** The lecture's emulated CPU state (slide "Emulation Example: CPUState"). */
export interface LectureCpu {
  GPR: number[];
  /** Link register: where the interrupt handler returns to. */
  LR: number;
  PC: number;
  /** Interrupt enable: 1 after STI, 0 after CLI. */
  IE: number;
  /** An interrupt request is pending. */
  IRQ: number;
}

/** The student's interrupt check, run after each instruction: deliver a pending interrupt if enabled. */
export type InterruptCheck = (cpu: LectureCpu, handlerAddress: number) => void;

function lectureCpu(fields: Partial<LectureCpu>): LectureCpu {
  return { GPR: Array.from({ length: 16 }, (_, i) => i * 11), LR: 0, PC: 0x40, IE: 1, IRQ: 0, ...fields };
}

function describeCpu(cpu: LectureCpu): string {
  return `PC=${hexWord(cpu.PC)} LR=${hexWord(cpu.LR)} IE=${cpu.IE} IRQ=${cpu.IRQ}`;
}

/**
 * Checks an interrupt-check function against the lecture's rule: when IRQ and IE are both set, save PC in LR,
 * jump to the handler and clear IE (so the handler is not interrupted); otherwise change nothing.
 */
export function checkInterruptDelivery(check: InterruptCheck): CheckResult {
  const problems: string[] = [];
  const passed: string[] = [];
  const handler = 0x1000;

  const pending = lectureCpu({ IE: 1, IRQ: 1, PC: 0x48 });
  const before = structuredClone(pending);
  attempt("your function (IE=1, IRQ=1)", () => check(pending, handler), problems);
  const deliveredRight = pending.PC === handler && pending.LR === 0x48 && pending.IE === 0;
  if (pending.PC !== handler) problems.push(`with IE=1 and IRQ=1 the CPU should jump to the handler at ${hexWord(handler)}, but PC is ${hexWord(pending.PC)}`);
  if (pending.LR !== 0x48) problems.push(`with IE=1 and IRQ=1, LR should keep the interrupted PC ${hexWord(0x48)} so the handler can return, but LR is ${hexWord(pending.LR)}`);
  if (pending.IE !== 0) problems.push(`delivering an interrupt must clear IE (as CLI would), otherwise the handler is interrupted again at once; IE is ${pending.IE}`);
  const gprChanged = !Array.isArray(pending.GPR) || pending.GPR.length !== before.GPR.length || pending.GPR.some((v, i) => v !== before.GPR[i]);
  if (gprChanged) problems.push("delivering an interrupt must not change the general registers");
  if (deliveredRight) passed.push("a pending interrupt is delivered when IE=1: LR saved, PC at the handler, IE cleared");

  const masked = lectureCpu({ IE: 0, IRQ: 1, PC: 0x48 });
  attempt("your function (IE=0, IRQ=1)", () => check(masked, handler), problems);
  if (masked.PC !== 0x48 || masked.LR !== 0 || masked.IE !== 0) {
    problems.push(`with IE=0 (after CLI) a pending interrupt must wait, but the state became ${describeCpu(masked)}`);
  } else passed.push("a pending interrupt waits while IE=0 (after CLI)");

  const quiet = lectureCpu({ IE: 1, IRQ: 0, PC: 0x48 });
  attempt("your function (IE=1, IRQ=0)", () => check(quiet, handler), problems);
  if (quiet.PC !== 0x48 || quiet.LR !== 0 || quiet.IE !== 1) {
    problems.push(`with no interrupt pending nothing should change, but the state became ${describeCpu(quiet)}`);
  } else passed.push("nothing happens when no interrupt is pending");

  return verdict("Interrupt delivery in the interpreter", problems, passed);
}

// ---------------------------------------------------------------------------------------------
// Popek and Goldberg (notebook 4).

/** How one instruction behaves, as found by experiment. */
export interface InstructionClass {
  readonly mnemonic: string;
  /** It reads or changes state that only the control program should manage. */
  readonly sensitive: boolean;
  /** It traps when executed outside the most privileged mode. */
  readonly privileged: boolean;
}

/** The student's reading of Theorem 1: given a classification, can trap-and-emulate virtualize the machine? */
export type Theorem1 = (instructions: readonly InstructionClass[]) => boolean;

const row = (mnemonic: string, sensitive: boolean, privileged: boolean): InstructionClass => ({ mnemonic, sensitive, privileged });

/** Hand-made cases that separate Theorem 1 from its common misreadings. */
const THEOREM1_CASES: readonly { name: string; table: InstructionClass[]; expect: boolean; why: string }[] = [
  { name: "an ISA with no instructions", table: [], expect: true, why: "with nothing sensitive there is nothing to trap" },
  { name: "an ISA of safe instructions only", table: [row("ADD", false, false), row("JMP", false, false)], expect: true, why: "safe instructions may run directly" },
  {
    name: "an ISA where every sensitive instruction is privileged",
    table: [row("ADD", false, false), row("CLI", true, true), row("OUT", true, true)],
    expect: true,
    why: "every sensitive instruction traps, so the monitor sees them all",
  },
  {
    name: "an ISA with a privileged instruction that is not sensitive",
    table: [row("ADD", false, false), row("CLI", true, true), row("NOPPRIV", false, true)],
    expect: true,
    why: "privileged-but-harmless instructions only cause extra traps; the theorem asks sensitive ⊆ privileged, not equality",
  },
  {
    name: "an ISA where POPF is sensitive but not privileged",
    table: [row("ADD", false, false), row("CLI", true, true), row("POPF", true, false)],
    expect: false,
    why: "POPF would run directly and change real state without the monitor noticing",
  },
];

/** Checks a Theorem 1 predicate on hand-made ISAs and, if given, on the classifications measured for real profiles. */
export function checkTheorem1(
  theorem: Theorem1,
  measured: readonly { profile: string; instructions: readonly InstructionClass[] }[] = [],
): CheckResult {
  const problems: string[] = [];
  const passed: string[] = [];
  const cases = [
    ...THEOREM1_CASES,
    ...measured.map((m) => {
      const offenders = m.instructions.filter((i) => i.sensitive && !i.privileged).map((i) => i.mnemonic);
      return {
        name: `the measured ${m.profile} profile`,
        table: [...m.instructions],
        expect: offenders.length === 0,
        why: offenders.length === 0 ? "every sensitive instruction traps there" : `${offenders.join(", ")} ${offenders.length === 1 ? "is" : "are"} sensitive but not privileged there`,
      };
    }),
  ];
  for (const c of cases) {
    const answer = attempt(`your function on ${c.name}`, () => theorem(c.table), problems);
    if (answer === undefined) continue;
    if (typeof answer !== "boolean") problems.push(`on ${c.name} your function returned ${String(answer)}; it should return true or false`);
    else if (answer !== c.expect) problems.push(`on ${c.name} your function says ${answer ? "virtualizable" : "not virtualizable"}, but it is ${c.expect ? "" : "not "}virtualizable: ${c.why}`);
    else passed.push(`${c.name}: ${c.expect ? "virtualizable" : "not virtualizable"} (${c.why})`);
  }
  return verdict("Theorem 1 as a function", problems, passed);
}

/** Checks a list of mnemonics against the sensitive-but-unprivileged instructions of a measured classification. */
export function checkSensitiveUnprivileged(answer: readonly string[], measured: readonly InstructionClass[], profile: string): CheckResult {
  const want = new Set(measured.filter((i) => i.sensitive && !i.privileged).map((i) => i.mnemonic.toUpperCase()));
  const got = new Set(answer.map((m) => m.toUpperCase()));
  const known = new Set(measured.map((i) => i.mnemonic.toUpperCase()));
  const problems: string[] = [];
  const passed: string[] = [];
  for (const m of got) {
    if (!known.has(m)) problems.push(`${m} is not one of the measured instructions`);
    else if (!want.has(m)) {
      const i = measured.find((x) => x.mnemonic.toUpperCase() === m)!;
      problems.push(`${m} is not sensitive-but-unprivileged on ${profile}: it is ${i.sensitive ? "sensitive" : "not sensitive"} and ${i.privileged ? "privileged" : "not privileged"}`);
    } else passed.push(`${m} is sensitive but runs at CPL 3 without trapping`);
  }
  for (const m of want) if (!got.has(m)) problems.push(`${m} is missing: it is sensitive on ${profile} and does not trap at CPL 3`);
  return verdict(`Sensitive but unprivileged on ${profile}`, problems, passed);
}

// ---------------------------------------------------------------------------------------------
// Trap-and-emulate (notebook 5): can the guest tell the monitored run from the native one?

/** What a run shows the outside world; a monitored run and a native run of the same guest are compared on it. */
export interface RunSummary {
  readonly console: string;
  /** How the run ended, in words (e.g. "powered off with code 0"). */
  readonly verdict: string;
  /** Interrupt deliveries with the guest time at which each arrived. */
  readonly interrupts: readonly { readonly time: number; readonly vector: number }[];
  readonly finalState: {
    readonly pc: number;
    readonly registers: readonly number[];
    readonly IF?: boolean;
    /** A hash of guest memory at the end, if the run computed one. */
    readonly memoryHash?: string;
  };
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Checks Popek and Goldberg's equivalence property on two runs of one guest: the monitored run must show
 * the same console output, stop the same way, take the same interrupts at the same guest times, and end
 * with the same registers, PC, interrupt flag and memory as the native run.
 */
export function checkEquivalentRuns(native: RunSummary, monitored: RunSummary, title = "Equivalence with the native run"): CheckResult {
  const problems: string[] = [];
  const passed: string[] = [];

  if (native.console === monitored.console) passed.push(`same console output (${JSON.stringify(native.console)})`);
  else {
    const at = firstDifference(native.console, monitored.console);
    problems.push(
      `the console differs from character ${at}: natively the guest printed ${JSON.stringify(native.console)}, under the monitor ${JSON.stringify(monitored.console)}`,
    );
  }

  if (native.verdict === monitored.verdict) passed.push(`both runs ended the same way: ${native.verdict}`);
  else problems.push(`natively the run ended "${native.verdict}", under the monitor "${monitored.verdict}"`);

  const n = native.interrupts;
  const m = monitored.interrupts;
  const k = n.findIndex((x, i) => m[i] === undefined || m[i]!.time !== x.time || m[i]!.vector !== x.vector);
  if (k === -1 && n.length === 0 && m.length === 0) passed.push("no interrupt arrived in either run");
  else if (k === -1 && n.length === m.length) passed.push(`the same ${counted(n.length, "interrupt")} arrived at the same guest times`);
  else if (k === -1) problems.push(`the monitored guest took ${counted(m.length, "interrupt")}, the native one ${n.length}; the first extra one is vector ${m[n.length]!.vector} at guest time ${m[n.length]!.time}`);
  else if (m[k] === undefined) problems.push(`the native guest took ${counted(n.length, "interrupt")}, the monitored one only ${m.length}: interrupt ${k + 1} (vector ${n[k]!.vector} at guest time ${n[k]!.time}) never arrived`);
  else problems.push(`interrupt ${k + 1} arrived at guest time ${m[k]!.time} (vector ${m[k]!.vector}) under the monitor but at ${n[k]!.time} (vector ${n[k]!.vector}) natively`);

  const regs = native.finalState.registers.flatMap((v, i) => (v !== monitored.finalState.registers[i] ? [`r${i} is ${monitored.finalState.registers[i]} instead of ${v}`] : []));
  if (regs.length === 0) passed.push("the final registers match");
  else problems.push(`final registers differ: ${regs.slice(0, 3).join(", ")}${regs.length > 3 ? `, and ${regs.length - 3} more` : ""}`);
  if (native.finalState.pc !== monitored.finalState.pc) problems.push(`the final PC is ${hexWord(monitored.finalState.pc)} instead of ${hexWord(native.finalState.pc)}`);
  if (native.finalState.IF !== undefined && native.finalState.IF !== monitored.finalState.IF) {
    problems.push(`the guest ends with IF ${monitored.finalState.IF ? "set" : "clear"} under the monitor but ${native.finalState.IF ? "set" : "clear"} natively`);
  }
  if (native.finalState.memoryHash !== undefined && native.finalState.memoryHash !== monitored.finalState.memoryHash) {
    problems.push("guest memory differs at the end of the run");
  } else if (native.finalState.memoryHash !== undefined) passed.push("guest memory matches");

  return verdict(title, problems, passed);
}

// ---------------------------------------------------------------------------------------------
// Keep-alive (notebook 10): a policy that keeps periodic applications warm without holding memory all the time.

function timerTrace(periodMinutes: number): InvocationTrace {
  const b = new TraceBuilder();
  const fn = b.fn(b.app(`timer-${periodMinutes}min`, 256), "tick", "timer");
  for (let t = 0; t < 24 * 60; t += periodMinutes) b.add(fn, t * 60_000, 1000);
  return b.build(`a timer every ${periodMinutes} minutes`);
}

/**
 * Checks a keep-alive policy on two timers (every 15 and every 40 minutes, for a day, 256 MB): at most 10% of the
 * invocations may start cold, and the idle memory-time must stay under half of what never unloading wastes.
 */
export function checkKeepAlivePolicy(make: () => KeepAlivePolicy): CheckResult {
  const problems: string[] = [];
  const passed: string[] = [];
  for (const period of [15, 40]) {
    const trace = timerTrace(period);
    const policy = attempt("building your policy", make, problems);
    if (!policy) break;
    const mine = attempt(`your policy on the ${period}-minute timer`, () => replayWithPolicy(trace, policy), problems);
    if (!mine) continue;
    const never = replayWithPolicy(trace, noUnloading());
    const invocations = mine.warm + mine.cold;
    const rate = invocations ? mine.cold / invocations : 0;
    const wasted = Math.round(mine.wastedGbSeconds);
    const ceiling = Math.round(never.wastedGbSeconds / 2);
    if (rate > 0.1) problems.push(`on the ${period}-minute timer ${mine.cold} of ${invocations} invocations started cold (${(100 * rate).toFixed(0)}%); at most 10% may`);
    else passed.push(`on the ${period}-minute timer ${mine.cold} of ${invocations} invocations started cold`);
    if (wasted > ceiling) problems.push(`on the ${period}-minute timer idle instances held ${wasted} GB-s; never unloading holds ${Math.round(never.wastedGbSeconds)}, and yours must stay under half of that (${ceiling})`);
    else passed.push(`on the ${period}-minute timer idle instances held ${wasted} GB-s, under half of never unloading's ${Math.round(never.wastedGbSeconds)}`);
  }
  return verdict("Your keep-alive policy", problems, passed);
}
