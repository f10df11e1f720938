// Bundled guests: the teaching kernel with its user programs, and standalone kernels — found, assembled, linked and run.
//
// A "program" guest is a user program (guests/programs/NAME.s, which ends by including the user runtime
// guests/lib/user.s) linked with the teaching kernel (guests/kernel.s): the program is assembled at its
// virtual base USER_BASE, the kernel at physical 0 with defines that tell it the program's size and entry,
// and the program's bytes are placed at the physical pages the kernel maps there (USER_PHYS, which the
// kernel sets to its own end). A "kernel" guest is one standalone file (guests/NAME.s) that runs at
// CPL 0 from physical 0. Sources include shared files (guests/lib/) relative to themselves. See
// guests/kernel.s for the memory map and the system-call ABI.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PAGE_SIZE } from "../isa/arch.js";
import { assemble, type Program, readerFromDisk, type SourceReader } from "../isa/assembler.js";
import { VmlabError } from "../core/errors.js";
import { didYouMean } from "../core/suggest.js";
import type { Profile } from "../isa/table.js";
import type { Counters } from "../machine/counters.js";
import { type CpuState, type Loadable, Machine, type Stop } from "../machine/machine.js";
import { GUEST_MODELS, programView } from "./expected.js";

export * from "./expected.js";

/** "program": a user program run by the teaching kernel; "kernel": a standalone CPL 0 kernel. */
export type GuestKind = "program" | "kernel";

/** One bundled guest. */
export interface GuestInfo {
  readonly name: string;
  /** Source path relative to the package root, e.g. `guests/programs/sort.s`. */
  readonly file: string;
  readonly description: string;
  readonly kind: GuestKind;
}

/** The teaching kernel that runs every "program" guest. */
export const KERNEL_FILE = "guests/kernel.s";
/** The user runtime (`_start`, system-call wrappers) every program includes at its end. */
export const USER_RUNTIME_FILE = "guests/lib/user.s";
/** Default virtual base of user programs (the second 4 MiB slot). */
export const DEFAULT_USER_BASE = 0x0040_0000;
/** Default user stack, in pages, mapped above the program image. */
export const DEFAULT_STACK_PAGES = 2;
/** Default timer period (instructions between ticks) of the teaching kernel. */
export const DEFAULT_TIMER_PERIOD = 1000;
/** Default physical memory of `runGuest`, when the guest fits. */
export const DEFAULT_MEMORY_BYTES = 1 << 20;
/** Default instruction budget of `runGuest`. */
export const DEFAULT_MAX_STEPS = 10_000_000;

const program = (name: string, description: string): GuestInfo => ({ name, file: `guests/programs/${name}.s`, description, kind: "program" });
const kernel = (name: string, description: string): GuestInfo => ({ name, file: `guests/${name}.s`, description, kind: "kernel" });

const GUESTS: readonly GuestInfo[] = [
  program("hello", "prints one line through the write system call"),
  program("checksum", "FNV-1a and Adler-32 of a known text (REPS repeats the stream)"),
  program("sort", "insertion sort of N = 50 pseudo-random numbers, printed in order (REPS re-sorts)"),
  program("primes", "sieve of Eratosthenes below N = 2000: prime count and largest (REPS re-sieves)"),
  program("matmul", "N × N integer matrix multiply: row 0, trace and sum of the product (REPS recomputes)"),
  program("strings", "strlen, upper case, reverse and strcmp on known strings (REPS repeats)"),
  program("syscalls", "REPS round trips through INT 0x80 and through SYSCALL/SYSRET"),
  program("sleep", "sleeps TICKS timer ticks in the kernel's STI; HLT idle loop"),
  program("write-kernel", "asks the write system call to print kernel memory: the kernel refuses with -1"),
  program("fault-kernel", "reads a supervisor-only kernel page: the kernel reports a #PF with CR2"),
  program("fault-divide", "divides by zero: the kernel reports a #DE"),
  program("fault-privileged", "runs CLI at CPL 3: the kernel reports a #GP"),
  kernel("popf-irq", "CPL 0 kernel whose PUSHF; CLI; …; POPF critical sections rely on POPF to re-enable timer interrupts; prints the tick count"),
  kernel("ring-check", "CPL 0 kernel that reads its ring with MOV r, CS and PUSH CS and prints \"ring N\""),
];

/** Options of `buildGuest`. */
export interface BuildGuestOptions {
  /** Timer period in instructions (0: timer off). Default: the kernel's default (1000), or the standalone kernel's own. */
  readonly timerPeriod?: number;
  /** Constants for the assembler (e.g. `{ REPS: 100 }`); they override the sources' defaults, in kernel and program alike. */
  readonly defines?: Readonly<Record<string, number>>;
  /** Pages of user stack above the program image (default 2). */
  readonly stackPages?: number;
}

/** Where a program guest's pieces are, virtual and physical. */
export interface GuestLayout {
  /** Virtual address the program is assembled at. */
  readonly userBase: number;
  /** Pages mapped at userBase: image, then stack. */
  readonly userPages: number;
  /** Physical address backing userBase (the kernel's choice: its own end). */
  readonly userPhys: number;
  /** Where the kernel IRETs to at CPL 3. */
  readonly userEntry: number;
  /** Initial user stack pointer (the end of the user region). */
  readonly userStackTop: number;
  /** Bytes of the program image. */
  readonly imageBytes: number;
}

/** A linked guest, ready for `Machine.load`. */
export interface GuestBuild extends Loadable {
  readonly name: string;
  readonly kind: GuestKind;
  /** The smallest physical memory that holds every segment and the user pages (a multiple of 4096). */
  readonly memoryBytes: number;
  /** The timer period the kernel programs. */
  readonly timerPeriod: number;
  /** What the console must show after a native run, where a reference model knows it. */
  readonly expectedConsole?: string;
  /** The exit code the guest must power off with, where known. */
  readonly expectedExitCode?: number;
  /** The assembled kernel (the teaching kernel, or the standalone kernel itself). */
  readonly kernel: Program;
  /** The assembled user program (program guests). */
  readonly program?: Program;
  readonly layout?: GuestLayout;
}

/** Options of `runGuest`. */
export interface RunGuestOptions extends BuildGuestOptions {
  readonly profile?: Profile;
  /** Instruction budget (default 10 000 000). */
  readonly maxSteps?: number;
  /** Physical memory (default 1 MiB, or more when the guest needs it). */
  readonly memoryBytes?: number;
}

/** What a native run of a guest produced. */
export interface GuestRun {
  readonly stop: Stop;
  readonly console: string;
  readonly counters: Counters;
  /** Cycles from the counters and the default cost model. */
  readonly cycles: number;
  /** Instructions retired. */
  readonly instructions: number;
  readonly state: CpuState;
  readonly build: GuestBuild;
  /** The machine after the run, for inspection. */
  readonly machine: Machine;
}

// ---- finding the sources ---------------------------------------------------------------------

export { vmlabRoot } from "../core/package-root.js";
import { vmlabRoot } from "../core/package-root.js";

let cachedRoot: string | undefined;
function root(): string {
  return (cachedRoot ??= vmlabRoot());
}

/** The bundled guests, programs first. */
export function listGuests(): GuestInfo[] {
  return GUESTS.map((g) => ({ ...g }));
}

/** Look a guest up by name; unknown names fail with a "did you mean". */
export function guestInfo(name: string): GuestInfo {
  const g = GUESTS.find((x) => x.name === name);
  if (!g) {
    throw new VmlabError("GUEST_UNKNOWN", `no bundled guest named '${name}'`, {
      hint: didYouMean(name, GUESTS.map((x) => x.name)) ?? `the guests are: ${GUESTS.map((x) => x.name).join(", ")}`,
    });
  }
  return g;
}

function readSource(file: string): string {
  return readFileSync(join(root(), file), "utf8");
}

/** Reads the files a guest includes, by their path from the package root. */
function includes(): SourceReader {
  return readerFromDisk(root());
}

/** The assembly source of a guest, as shipped (its included files not expanded). */
export function guestSource(name: string): string {
  return readSource(guestInfo(name).file);
}

/** The teaching kernel's source. */
export function kernelSource(): string {
  return readSource(KERNEL_FILE);
}

// ---- building ----------------------------------------------------------------------------------

const pagesFor = (bytes: number): number => Math.ceil(bytes / PAGE_SIZE);

function expectNonNegativeInteger(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new VmlabError("GUEST_BAD_OPTION", `${what} must be a non-negative integer, got ${v}`);
}

/** Assemble and link a guest: the Loadable plus what is known about its expected behaviour. */
export function buildGuest(name: string, options: BuildGuestOptions = {}): GuestBuild {
  const info = guestInfo(name);
  const defines = { ...(options.defines ?? {}) };
  if (options.timerPeriod !== undefined) expectNonNegativeInteger("timerPeriod", options.timerPeriod);

  if (info.kind === "kernel") {
    const k = assemble(readSource(info.file), {
      file: info.file,
      readFile: includes(),
      defines: options.timerPeriod === undefined ? defines : { ...defines, TIMER_PERIOD: options.timerPeriod },
    });
    const end = Math.max(0, ...k.segments.map((s) => s.address + s.bytes.length));
    const expected = name === "ring-check" ? { expectedConsole: "ring 0\n", expectedExitCode: 0 } : { expectedExitCode: 0 };
    return {
      name, kind: info.kind, segments: k.segments, entry: k.entry, kernel: k,
      memoryBytes: pagesFor(end) * PAGE_SIZE, timerPeriod: k.symbols.get("TIMER_PERIOD") ?? 0, ...expected,
    };
  }

  const stackPages = options.stackPages ?? DEFAULT_STACK_PAGES;
  expectNonNegativeInteger("stackPages", stackPages);
  const userBase = defines["USER_BASE"] ?? DEFAULT_USER_BASE;
  if (userBase % PAGE_SIZE !== 0) throw new VmlabError("GUEST_BAD_OPTION", `USER_BASE must be page aligned, got 0x${userBase.toString(16)}`);
  const prog = assemble(readSource(info.file), { file: info.file, readFile: includes(), origin: userBase, defines: { ...defines, USER_BASE: userBase } });
  const image = prog.image();
  if (image.base !== userBase && image.bytes.length > 0) {
    throw new VmlabError("GUEST_LAYOUT", `${info.file} places bytes at 0x${image.base.toString(16)}, below its base 0x${userBase.toString(16)}`);
  }
  const userPages = pagesFor(image.bytes.length) + stackPages;
  const slotLeft = 1024 - ((userBase >>> 12) & 1023);
  if (userPages > slotLeft) {
    throw new VmlabError("GUEST_LAYOUT", `${info.file} needs ${userPages} pages at 0x${userBase.toString(16)}, but its 4 MiB slot has ${slotLeft}`, {
      hint: "lower REPS-independent sizes (N), or the stack pages",
    });
  }
  const timerPeriod = options.timerPeriod ?? defines["TIMER_PERIOD"] ?? DEFAULT_TIMER_PERIOD;
  const k = assemble(readSource(KERNEL_FILE), {
    file: KERNEL_FILE,
    readFile: includes(),
    defines: { ...defines, TIMER_PERIOD: timerPeriod, USER_BASE: userBase, USER_PAGES: userPages, USER_ENTRY: prog.entry },
  });
  const userPhys = k.symbols.get("USER_PHYS");
  if (userPhys === undefined || userPhys % PAGE_SIZE !== 0) throw new VmlabError("GUEST_LAYOUT", "the kernel's USER_PHYS is missing or not page aligned");
  const kernelEnd = Math.max(0, ...k.segments.map((s) => s.address + s.bytes.length));
  if (userPhys < kernelEnd) throw new VmlabError("GUEST_LAYOUT", `USER_PHYS 0x${userPhys.toString(16)} overlaps the kernel (which ends at 0x${kernelEnd.toString(16)})`);
  const layout: GuestLayout = {
    userBase, userPages, userPhys, userEntry: prog.entry, userStackTop: userBase + userPages * PAGE_SIZE, imageBytes: image.bytes.length,
  };
  const model = GUEST_MODELS[name];
  const expected = model ? model(programView(prog), { timerPeriod }) : undefined;
  return {
    name, kind: info.kind, entry: k.entry, kernel: k, program: prog, layout, timerPeriod,
    segments: [...k.segments, { address: userPhys, bytes: image.bytes }],
    memoryBytes: userPhys + userPages * PAGE_SIZE,
    ...(expected ? { expectedConsole: expected.console, expectedExitCode: expected.exitCode } : {}),
  };
}

/** Build a guest and run it natively on a fresh machine. */
export function runGuest(name: string, options: RunGuestOptions = {}): GuestRun {
  const build = buildGuest(name, options);
  const memoryBytes = options.memoryBytes ?? Math.max(DEFAULT_MEMORY_BYTES, build.memoryBytes);
  if (memoryBytes < build.memoryBytes) {
    throw new VmlabError("GUEST_MEMORY", `${name} needs ${build.memoryBytes} bytes of memory, got ${memoryBytes}`);
  }
  const machine = new Machine({ profile: options.profile ?? "strict", memoryBytes });
  machine.load(build);
  const stop = machine.run({ maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS });
  return {
    stop, console: machine.consoleText(), counters: machine.counters, cycles: machine.cycles(), instructions: machine.retired(),
    state: machine.state(), build, machine,
  };
}
