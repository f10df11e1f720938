// Popek–Goldberg classification by experiment: run every instruction form in fresh machines that differ only in privileged state, and see what it does.
//
// Definitions (G. J. Popek and R. P. Goldberg, "Formal Requirements for Virtualizable Third Generation
// Architectures", CACM 17(7), 1974), transcribed to this machine:
//
// - A configuration is a machine state. Every configuration here holds the same user-visible state
//   (general registers, PC, status flags ZF SF CF OF, and the contents of the guest's virtual pages);
//   they differ only in privileged state: the mode (CPL 0 or 3), IF, IOPL, paging and relocation (the same
//   virtual pages mapped to other physical frames through other page tables), IDTR, CR0/CR2/CR8/KSP/SEP,
//   device state, and machine time: how long the real machine has run, which includes time a monitor
//   spent on the guest's behalf. The guest's own clock — machine time plus the TSC offset, what RDTSC
//   reads — is user-visible state like a register: the same in every configuration (the `clock`
//   configuration runs the machine 1000 units ahead and hides them with a TSC offset, as a monitor hides
//   the time it spends emulating). An instruction *traps* when it hands control to the supervisor instead of completing:
//   each machine runs with the exit policy EVERY_EVENT_EXITS, so any exception, INT n or SYSCALL stops the run as an exit.
// - privileged: traps in user mode (CPL 3, IOPL 0) in every configuration, and does not trap in
//   supervisor mode (CPL 0) in any. (An instruction that traps in both modes, such as INT n or, on a bare
//   machine, VMCALL, never completes, so it is neither privileged nor sensitive.)
// - control-sensitive: some execution that did not trap changed privileged state: CPL, IF, IOPL,
//   CR0/CR2/CR3/CR8, KSP, SEP, IDTR, the effective mapping (page tables as walked, and the TLB: every
//   configuration holds a stale TLB entry, so a flush or INVLPG shows), device state, or the run state
//   (halted, powered off, slept until an interrupt).
// - behaviour-sensitive: two executions that did not trap, started from configurations that differ only in
//   privileged state, left different user-visible state. Popek–Goldberg's mode sensitivity is the pair
//   CPL 0 / CPL 3; their location sensitivity is the relocated pair; IF, IOPL, IDTR, CRn and device
//   state extend the same idea to the rest of this machine's privileged state.
// - sensitive = control-sensitive or behaviour-sensitive.
// - user-sensitive (for Theorem 3): control-sensitive in some user-mode (CPL 3) execution, or
//   behaviour-sensitive between two user-mode executions (mode sensitivity, which needs a supervisor-mode
//   run, does not count: a hybrid monitor interprets every instruction of the virtual supervisor mode).
//
// Theorem 1: a trap-and-emulate monitor can be built if every sensitive instruction is privileged.
// Theorem 3: a hybrid monitor can be built if every user-sensitive instruction is privileged.
//
// The table's documented `privilege` classes are never read here; table.ts's `group` field is used only to
// label violations found by experiment with Robin & Irvine's groups (USENIX Security 2000). pg.test.ts
// checks the experimental verdicts against the documented classes.
import { CR0, CR_NAMES, CR_INDEX, FLAG, IOPL_SHIFT, PAGE_SIZE, PORT, PTE, SP, STATUS_MASK, csSelector, vectorName } from "../isa/arch.js";
import { encode, type Fields } from "../isa/encoding.js";
import { INSTRUCTIONS, type InstructionSpec, type Profile, type SensitiveGroup } from "../isa/table.js";
import { Machine, type Stop } from "../machine/machine.js";
import { EVERY_EVENT_EXITS } from "../machine/exit-policy.js";

// ---- the experiment's memory layout (physical = virtual unless a configuration relocates) ----------

/** Physical memory of each experiment machine: 16 pages. */
export const EXPERIMENT_MEMORY = 0x10000;
/** Page directory and page table of the primary mapping. */
const PD = 0x0000;
const PT = 0x1000;
/** Two interrupt descriptor tables with identical gates; the IDTR configurations point at one or the other. */
const IDT_A = 0x2000;
const IDT_B = 0x2800;
/** The instruction under test sits at the start of the code page; branch targets point into it. */
const CODE = 0x3000;
const TARGET = 0x3100;
/** The stack page; SP starts below its top. */
const STACK = 0x5000;
const STACK_TOP = 0x6000;
/** The data page, which the relocated configurations map to DATA_ALT instead. */
const DATA = 0x6000;
const DATA_ALT = 0xb000;
/** A page whose TLB entry is stale: the page table says STALE_NEW, the TLB still says STALE_OLD. */
const STALE = 0x8000;
const STALE_NEW = 0x9000;
const STALE_OLD = 0xa000;
/** Page directory and page table of the relocated mapping (so CR3 differs too). */
const PD_ALT = 0xc000;
const PT_ALT = 0xd000;
/** The pages whose contents are user-visible state. */
const VISIBLE_PAGES = [CODE, STACK, DATA] as const;
/** Initial register file (SP and the values instructions use as operands). */
const REGISTERS: Readonly<Record<number, number>> = {
  1: DATA + 0x100, 2: 7, 3: 3, 4: 0, 5: 0x5555, 6: TARGET, 7: 0x41, 8: STALE, 12: FLAG.IF, 13: TARGET, [SP]: STACK_TOP - 0x100,
};
/** Words on the stack at SP (a return address first, so RET and POP find something sensible). */
const STACK_WORDS = [TARGET, 0x1234, 0x5678, 0x9abc];
/** How far ahead of the guest's clock the `clock` configuration's machine time runs. */
const CLOCK_AHEAD = 1000;
/** An extra CR0 bit some configurations set (x86's TS bit 3, in the low 16 bits SMSW reveals). */
const CR0_TS = 1 << 3;

/** Privileged state of one configuration (user-visible state is the same in all of them). */
export interface Configuration {
  readonly name: string;
  /** What differs from `base`, for evidence lines. */
  readonly description: string;
  readonly cpl: 0 | 3;
  readonly iflag: boolean;
  readonly iopl: number;
  readonly paging: "off" | "relocated";
  /** "B" points IDTR at the other table, sets CR0.TS, other CR2/CR8/KSP/SEP, a running timer and a PIC mask. */
  readonly system: "A" | "B";
  /** Machine time the guest did not see, hidden from its clock by a TSC offset of minus as much. */
  readonly monitorTime: number;
}

function configs(): Configuration[] {
  const shapes: Omit<Configuration, "cpl">[] = [
    { name: "base", description: "IF 0, IOPL 0, paging off", iflag: false, iopl: 0, paging: "off", system: "A", monitorTime: 0 },
    { name: "system", description: "IF 1, IDTR and CR0/CR2/CR8/KSP/SEP changed, timer running, PIC mask set", iflag: true, iopl: 0, paging: "off", system: "B", monitorTime: 0 },
    { name: "iopl3", description: "IOPL 3", iflag: false, iopl: 3, paging: "off", system: "A", monitorTime: 0 },
    { name: "relocated", description: "paging on, data page in another frame, page tables elsewhere (CR3 differs)", iflag: false, iopl: 0, paging: "relocated", system: "A", monitorTime: 0 },
    { name: "clock", description: `machine time ${CLOCK_AHEAD} units ahead (time a monitor spent), hidden from the guest's clock by a TSC offset of −${CLOCK_AHEAD}`, iflag: false, iopl: 0, paging: "off", system: "A", monitorTime: CLOCK_AHEAD },
  ];
  const out: Configuration[] = [];
  for (const cpl of [0, 3] as const) {
    for (const s of shapes) {
      // No iopl3 run in ring 0: there CPL <= IOPL holds whatever IOPL is, so only PUSHF could tell the
      // difference, and PUSHF already shows IF in `system`. One machine less per form keeps classify() fast.
      if (cpl === 0 && s.name === "iopl3") continue;
      out.push({ ...s, cpl });
    }
  }
  return out;
}

/** The configurations every instruction runs in: five at CPL 3, four at CPL 0. */
export const CONFIGURATIONS: readonly Configuration[] = configs();

function configLabel(c: Configuration): string {
  return `${c.name}@CPL${c.cpl}`;
}

// ---- variants: how each form is instantiated --------------------------------------------------

/** One concrete instance of a form: its encoding, the register values it needs and the words at SP. */
export interface Variant {
  readonly spec: InstructionSpec;
  /** Assembly text, for evidence. */
  readonly text: string;
  readonly words: readonly number[];
  readonly registers: Readonly<Record<number, number>>;
  readonly stack: readonly number[];
}

const hex = (v: number) => "0x" + (v >>> 0).toString(16);

/** Render a form with concrete fields (the classifier's own small disassembly, for evidence lines). */
function render(spec: InstructionSpec, f: Fields): string {
  const ops = spec.operands.map((k) => {
    switch (k) {
      case "a": return `r${f.a ?? 0}`;
      case "b": return `r${f.b ?? 0}`;
      case "c": return `r${f.c ?? 0}`;
      case "cr": return CR_NAMES[f.b ?? 0] ?? `cr?${f.b}`;
      case "cs": return "cs";
      case "mem": return `[r${f.b ?? 0} + ${f.imm ?? 0}]`;
      case "i32": return hex(f.imm ?? 0);
      default: return String(f.imm ?? 0);
    }
  });
  return ops.length ? `${spec.mnemonic} ${ops.join(", ")}` : spec.mnemonic;
}

function variant(spec: InstructionSpec, f: Fields, registers: Record<number, number> = {}, stack: readonly number[] = STACK_WORDS, note = ""): Variant {
  const text = render(spec, f) + (note ? `  ; ${note}` : "");
  return { spec, text, words: encode(spec, f), registers: { ...REGISTERS, ...registers }, stack };
}

/** Fields that make a valid, non-faulting instance of an ordinary form. */
function genericFields(spec: InstructionSpec): Fields {
  const k = spec.operands;
  const imm = k.includes("i32") ? (spec.branch ? TARGET : 0x12345678) : k.includes("u16") ? 3 : k.includes("i16") ? 5 : 0;
  if (k.includes("mem")) return { a: 2, b: 1, imm: 8 };
  if (spec.branch && k.length === 1 && k[0] === "a") return { a: 6 };
  return { a: 5, b: 2, c: 3, imm };
}

/**
 * The instances of a form the experiment runs. System forms get operands that reach the state they
 * might touch (a valid IRET frame, a port that exists, a CR value that differs); every other form gets
 * registers holding chosen values, a valid stack and an address in the data page.
 */
export function variantsOf(spec: InstructionSpec): Variant[] {
  switch (spec.name) {
    case "POPF":
      return [
        variant(spec, {}, {}, [FLAG.IF | (3 << IOPL_SHIFT) | FLAG.ZF, ...STACK_WORDS], "pops IF=1 IOPL=3 ZF=1"),
        variant(spec, {}, {}, [0, ...STACK_WORDS], "pops 0"),
      ];
    case "IRET":
      return [
        variant(spec, {}, {}, [0, TARGET, csSelector(3), FLAG.IF | (3 << IOPL_SHIFT), STACK_TOP - 0x800], "frame returns to CPL 3 with IF=1 IOPL=3"),
        variant(spec, {}, {}, [0, TARGET, csSelector(0), 0], "frame returns to CPL 0 with FLAGS 0"),
      ];
    case "IN":
      return [variant(spec, { a: 5, imm: PORT.PIC_MASK }, {}, STACK_WORDS, "PIC mask"), variant(spec, { a: 5, imm: PORT.TIMER_PERIOD }, {}, STACK_WORDS, "timer period")];
    case "OUT":
      return [variant(spec, { a: 7, imm: PORT.CONSOLE_CHAR }, {}, STACK_WORDS, "console"), variant(spec, { a: 2, imm: PORT.PIC_MASK }, {}, STACK_WORDS, "PIC mask")];
    case "INT":
      return [variant(spec, { imm: 0x80 })];
    case "INVLPG":
      return [variant(spec, { a: 8 }, {}, STACK_WORDS, "the page with a stale TLB entry")];
    case "LIDT":
      return [variant(spec, { a: 4 }, { 4: IDT_B }, STACK_WORDS, "the other table")];
    case "MOV_CR_R":
      return [
        variant(spec, { b: CR_INDEX.cr3, a: 4 }, { 4: PD }, STACK_WORDS, "reload the primary page directory"),
        variant(spec, { b: CR_INDEX.cr8, a: 4 }, { 4: 3 }),
        variant(spec, { b: CR_INDEX.ksp, a: 4 }, { 4: STACK_TOP - 0x400 }),
      ];
    case "MOV_R_CR":
      return [variant(spec, { a: 5, b: CR_INDEX.cr0 }), variant(spec, { a: 5, b: CR_INDEX.cr8 })];
    case "SIDT": case "SMSW": case "MOV_R_CS": case "RDTSC":
      return [variant(spec, { a: 5 })];
    case "CPUID":
      return [variant(spec, {}, { 0: 1 }, STACK_WORDS, "leaf 1")];
    default:
      return [variant(spec, genericFields(spec))];
  }
}

// ---- one run -------------------------------------------------------------------------------

/** What one run of one variant in one configuration did. */
export interface Outcome {
  readonly config: Configuration;
  /** The trap, when the instruction handed control to the supervisor. */
  readonly trap?: { readonly vector: number; readonly kind: string };
  /** Privileged state that changed, as `name before→after` lines (empty when none or trapped). */
  readonly changed: readonly string[];
  /** User-visible state after the instruction (undefined when it trapped). */
  readonly visible?: Visible;
  /** A stop the harness did not expect (machine check), reported as evidence. */
  readonly anomaly?: string;
}

interface Visible {
  readonly registers: readonly number[];
  readonly pc: number;
  readonly status: number;
  /** Words of the user-visible pages, in VISIBLE_PAGES order. */
  readonly pages: readonly Int32Array[];
  readonly key: string;
}

function pteOf(frame: number): number {
  return frame | PTE.P | PTE.W | PTE.U;
}

/**
 * Physical memory shared by every configuration: code, data (in both frames), stack, both IDTs, and
 * both sets of page tables (the primary one identity-maps, the relocated one moves the data page). The
 * stale page's entry already names the new frame; setUp fills the TLB from the old one first.
 */
function memoryImage(v: Variant): Uint8Array {
  const image = new Uint8Array(EXPERIMENT_MEMORY);
  const words = new Int32Array(image.buffer);
  const put = (pa: number, w: number) => void (words[pa >>> 2] = w);
  v.words.forEach((w, i) => put(CODE + 4 * i, w));
  for (let i = 0; i < PAGE_SIZE; i += 4) {
    const word = (Math.imul(i + 1, 0x9e3779b1) ^ 0x5a5a5a5a) | 0;
    put(DATA + i, word);
    put(DATA_ALT + i, word);
    put(STALE_NEW + i, 0x11111111);
    put(STALE_OLD + i, 0x22222222);
  }
  v.stack.forEach((w, i) => put(REGISTERS[SP]! + 4 * i, w));
  for (let g = 0; g < 256; g++) {
    for (const idt of [IDT_A, IDT_B]) {
      put(idt + 8 * g, TARGET);
      put(idt + 8 * g + 4, 1 | (3 << 1));
    }
  }
  for (const [pd, pt, data] of [[PD, PT, DATA], [PD_ALT, PT_ALT, DATA_ALT]] as const) {
    put(pd, pteOf(pt));
    for (const page of [IDT_A, CODE, STACK]) put(pt + (page >>> 12) * 4, pteOf(page));
    put(pt + (DATA >>> 12) * 4, pteOf(data));
    put(pt + (STALE >>> 12) * 4, pteOf(STALE_NEW));
  }
  return image;
}

const images = new WeakMap<Variant, Uint8Array>();

function setUp(profile: Profile, v: Variant, c: Configuration): Machine {
  const m = new Machine({ profile, memoryBytes: EXPERIMENT_MEMORY, exits: EVERY_EVENT_EXITS });
  let image = images.get(v);
  if (!image) images.set(v, (image = memoryImage(v)));
  m.memory.bytes.set(image);
  for (const [r, value] of Object.entries(v.registers)) m.R[Number(r)] = value;
  // Privileged state.
  m.iopl = c.iopl;
  m.setIF(c.iflag);
  m.idtr = c.system === "B" ? IDT_B : IDT_A;
  if (c.system === "B") {
    m.writeCr(CR_INDEX.cr0, m.cr0 | CR0_TS);
    m.cr2 = 0x2222;
    m.cr8 = 2;
    m.ksp = STACK_TOP - 0x200;
    m.sep = TARGET + 0x40;
    m.timer.write(PORT.TIMER_PERIOD, 500);
    m.pic.write(PORT.PIC_MASK, 1 << 1);
  } else {
    m.ksp = STACK_TOP - 0x100;
    m.sep = TARGET;
  }
  if (c.paging === "relocated") {
    const pte = PT_ALT + (STALE >>> 12) * 4;
    m.writeCr(CR_INDEX.cr3, PD_ALT);
    m.writeCr(CR_INDEX.cr0, m.cr0 | CR0.PG);
    m.memory.write32(pte, pteOf(STALE_OLD)); // fill the TLB from the old entry ...
    m.rd32(STALE);
    m.memory.write32(pte, pteOf(STALE_NEW)); // ... then change the entry back without invalidating
  } else {
    m.rd32(STALE);
  }
  m.time = c.monitorTime;
  m.tscOffset = -c.monitorTime;
  m.cpl = c.cpl;
  m.refreshMasks();
  m.pc = CODE;
  return m;
}

/** Privileged state as named strings (so a diff reads as evidence). */
function privileged(m: Machine): Record<string, string> {
  let stale: string;
  try {
    stale = hex(m.rd32(STALE));
  } catch {
    stale = "faults";
  }
  const map = [CODE, STACK, DATA, STALE].map((va) => {
    const pa = m.probe(va);
    return pa === undefined ? "-" : hex(pa);
  }).join(",");
  return {
    CPL: String(m.cpl), IF: m.iflag ? "1" : "0", IOPL: String(m.iopl),
    CR0: hex(m.cr0), CR2: hex(m.cr2), CR3: hex(m.cr3), CR8: String(m.cr8), KSP: hex(m.ksp), SEP: hex(m.sep), IDTR: hex(m.idtr),
    "TSC offset": String(m.tscOffset),
    "page mapping": map, "TLB view of the stale page": stale,
    "PIC": `pending ${hex(m.pic.pending)} mask ${hex(m.pic.mask)}`,
    "timer": `period ${m.timer.period}`,
    "console": JSON.stringify(m.consoleText()),
    "block device": `${m.block.sector},${m.block.address},${m.block.status}`,
  };
}

function fnv(words: Int32Array, h: number): number {
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 16777619);
  return h >>> 0;
}

function visible(m: Machine): Visible {
  const pages = VISIBLE_PAGES.map((va) => {
    const pa = m.probe(va);
    return pa === undefined ? new Int32Array(0) : m.memory.words.slice(pa >>> 2, (pa + PAGE_SIZE) >>> 2);
  });
  const registers = Array.from(m.R);
  const status = m.flagsWord() & STATUS_MASK;
  let h = 2166136261;
  for (const p of pages) h = fnv(p, h);
  return { registers, pc: m.pc >>> 0, status, pages, key: `${registers.join(",")}|${m.pc >>> 0}|${status}|${h}` };
}

function runStateChange(stop: Stop, timeBefore: number, timeAfter: number): string | undefined {
  if (stop.kind === "halted") return `run state running→halted (${stop.reason})`;
  if (stop.kind === "poweroff") return `run state running→powered off (code ${stop.code})`;
  if (timeAfter - timeBefore > 1) return `run state: slept from time ${timeBefore} to ${timeAfter - 1} waiting for an interrupt`;
  return undefined;
}

/** Run one variant in a fresh machine set up as `config`. */
export function runOnce(profile: Profile, v: Variant, config: Configuration): Outcome {
  const m = setUp(profile, v, config);
  const before = privileged(m);
  const t0 = m.time;
  const stop = m.run({ maxSteps: 1 });
  if (stop.kind === "exit" && stop.event.kind !== "interrupt") {
    return { config, trap: { vector: stop.event.vector, kind: stop.event.kind }, changed: [] };
  }
  if (stop.kind === "machine-check" || stop.kind === "triple-fault" || stop.kind === "exit") {
    const what = stop.kind === "exit" ? `interrupt ${stop.event.vector}` : stop.message;
    return { config, changed: [], anomaly: `${configLabel(config)}: unexpected ${stop.kind}: ${what}` };
  }
  const after = privileged(m);
  const changed = Object.keys(before).filter((k) => before[k] !== after[k]).map((k) => `${k} ${before[k]}→${after[k]}`);
  const run = runStateChange(stop, t0, m.time);
  if (run) changed.push(run);
  return { config, changed, visible: visible(m) };
}

/** Name the first difference between two user-visible states. */
function visibleDiff(x: Visible, y: Visible): string {
  for (let r = 0; r < x.registers.length; r++) {
    if (x.registers[r] !== y.registers[r]) return `r${r} = ${hex(x.registers[r]!)} vs ${hex(y.registers[r]!)}`;
  }
  if (x.pc !== y.pc) return `pc = ${hex(x.pc)} vs ${hex(y.pc)}`;
  if (x.status !== y.status) return `status flags = ${hex(x.status)} vs ${hex(y.status)}`;
  for (let p = 0; p < VISIBLE_PAGES.length; p++) {
    const a = x.pages[p]!, b = y.pages[p]!;
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] !== b[i]) return `word at ${hex(VISIBLE_PAGES[p]! + 4 * i)} = ${a[i] === undefined ? "unmapped" : hex(a[i]!)} vs ${b[i] === undefined ? "unmapped" : hex(b[i]!)}`;
    }
  }
  return "(same)";
}

// ---- verdicts ------------------------------------------------------------------------------

/** The experimental verdict for one instruction form. */
export interface InstructionVerdict {
  readonly mnemonic: string;
  /** Form name from the table (`MOV_R_CS`, `PUSH_CS`, ...). */
  readonly name: string;
  /** The form's operand shape, e.g. `mov cr, r`. */
  readonly form: string;
  readonly privileged: boolean;
  readonly control_sensitive: boolean;
  readonly behavior_sensitive: boolean;
  readonly sensitive: boolean;
  readonly user_sensitive: boolean;
  /** Traps in every configuration, both modes (never completes: neither privileged nor sensitive). */
  readonly always_traps: boolean;
  /** `privileged`, `sensitive` (sensitive but not privileged) or `innocuous`: comparable with the table's documented class. */
  readonly class: "privileged" | "sensitive" | "innocuous";
  /** What the experiment saw, one line each. */
  readonly evidence: string[];
}

/** The result of classifying a profile. */
export interface Classification {
  readonly profile: Profile;
  /** Theorem 1: every sensitive instruction is privileged. */
  readonly virtualizable: boolean;
  /** Theorem 3: every user-sensitive instruction is privileged. */
  readonly hybridVirtualizable: boolean;
  readonly instructions: InstructionVerdict[];
  /** Form names of sensitive instructions that are not privileged. */
  readonly violations: string[];
  /** Form names of user-sensitive instructions that are not privileged. */
  readonly hybridViolations: string[];
  /** The violations labelled with Robin & Irvine's groups (from the table's `group` field). */
  readonly groups: Record<SensitiveGroup, string[]> & { readonly ungrouped: string[] };
  /** The configurations every form ran in. */
  readonly configurations: readonly string[];
}

function formShape(spec: InstructionSpec): string {
  const names: Record<string, string> = { a: "r", b: "r", c: "r", i16: "imm", u16: "imm", i32: "imm32", mem: "[r+d]", cr: "cr", cs: "cs" };
  return spec.operands.length ? `${spec.mnemonic} ${spec.operands.map((k) => names[k]).join(", ")}` : spec.mnemonic;
}

/** Classify one form from its runs in every configuration. */
export function classifyForm(profile: Profile, spec: InstructionSpec, configurations: readonly Configuration[] = CONFIGURATIONS): InstructionVerdict {
  const evidence: string[] = [];
  let privileged = true;
  let anyCompleted = false;
  let control: string | undefined;
  let userControl: string | undefined;
  let behaviour: string | undefined;
  let userBehaviour: string | undefined;
  const userTraps = new Set<string>();
  const supervisorTraps: string[] = [];
  for (const v of variantsOf(spec)) {
    const outcomes = configurations.map((c) => runOnce(profile, v, c));
    const firstByKey = new Map<string, Outcome>();
    const firstUserByKey = new Map<string, Outcome>();
    for (const o of outcomes) {
      if (o.anomaly) evidence.push(`${v.text}: ${o.anomaly}`);
      const c = o.config;
      if (o.trap) {
        if (c.cpl === 0) supervisorTraps.push(`${v.text} traps (${vectorName(o.trap.vector)}) at CPL 0 in ${c.name}`);
        else if (c.iopl === 0) userTraps.add(vectorName(o.trap.vector));
        continue;
      }
      if (!o.visible) continue;
      anyCompleted = true;
      if (c.cpl === 3 && c.iopl === 0) privileged = false;
      if (o.changed.length) {
        const line = `${v.text} in ${configLabel(c)} changes ${o.changed.join(", ")}`;
        control ??= line;
        if (c.cpl === 3) userControl ??= line;
      }
      for (const [map, user] of [[firstByKey, false], [firstUserByKey, true]] as const) {
        if (user && c.cpl !== 3) continue;
        if (!map.has(o.visible.key)) {
          map.set(o.visible.key, o);
          if (map.size === 2) {
            const [x, y] = [...map.values()] as [Outcome, Outcome];
            const line = `${v.text}: ${configLabel(x.config)} vs ${configLabel(y.config)}: ${visibleDiff(x.visible!, y.visible!)}`;
            if (user) userBehaviour ??= line;
            else behaviour ??= line;
          }
        }
      }
    }
    // A variant that never completes at CPL 3 with IOPL 0 still counts only if every run there trapped.
    if (outcomes.some((o) => o.config.cpl === 3 && o.config.iopl === 0 && !o.trap)) privileged = false;
  }
  if (supervisorTraps.length) privileged = false;
  const alwaysTraps = !anyCompleted;
  const userConfigs = configurations.filter((c) => c.cpl === 3 && c.iopl === 0).length;
  if (alwaysTraps) evidence.push(`traps in every configuration, in both modes (${[...userTraps].join(", ") || "exit"}): never completes, so it is neither privileged nor sensitive`);
  else if (privileged) evidence.push(`privileged: traps at CPL 3, IOPL 0 in all ${userConfigs} such configurations (${[...userTraps].join(", ")}) and completes at CPL 0 in all`);
  else {
    if (supervisorTraps.length) evidence.push(...supervisorTraps.slice(0, 2));
    evidence.push(userTraps.size ? "not privileged: completes at CPL 3, IOPL 0 in some configuration" : "not privileged: completes at CPL 3, IOPL 0");
  }
  if (control) evidence.push(`control-sensitive: ${control}`);
  if (userControl && userControl !== control) evidence.push(`control-sensitive in user mode: ${userControl}`);
  if (behaviour) evidence.push(`behaviour-sensitive: ${behaviour}`);
  if (userBehaviour && userBehaviour !== behaviour) evidence.push(`behaviour-sensitive in user mode: ${userBehaviour}`);
  if (!alwaysTraps && !control && !behaviour) evidence.push("innocuous: no privileged state changed and the user-visible result was the same in every configuration where it completed");
  privileged &&= !alwaysTraps;
  const control_sensitive = control !== undefined;
  const behavior_sensitive = behaviour !== undefined;
  const sensitive = control_sensitive || behavior_sensitive;
  return {
    mnemonic: spec.mnemonic, name: spec.name, form: formShape(spec),
    privileged, control_sensitive, behavior_sensitive, sensitive,
    user_sensitive: userControl !== undefined || userBehaviour !== undefined,
    always_traps: alwaysTraps,
    class: privileged ? "privileged" : sensitive ? "sensitive" : "innocuous",
    evidence,
  };
}

/**
 * Classify every form of the instruction table on `profile` by experiment, and apply Popek and
 * Goldberg's Theorem 1 (virtualizable: sensitive ⊆ privileged) and Theorem 3 (hybrid: user-sensitive ⊆ privileged).
 */
export function classify(profile: Profile, options: { readonly forms?: readonly InstructionSpec[] } = {}): Classification {
  const forms = options.forms ?? INSTRUCTIONS;
  const instructions = forms.map((s) => classifyForm(profile, s));
  const violations = instructions.filter((i) => i.sensitive && !i.privileged).map((i) => i.name);
  const hybridViolations = instructions.filter((i) => i.user_sensitive && !i.privileged).map((i) => i.name);
  const groups: Record<SensitiveGroup, string[]> & { ungrouped: string[] } = { "sensitive-register": [], "protection-system": [], ungrouped: [] };
  for (const name of violations) {
    const group = forms.find((s) => s.name === name)?.group;
    groups[group ?? "ungrouped"].push(name);
  }
  return {
    profile,
    virtualizable: violations.length === 0,
    hybridVirtualizable: hybridViolations.length === 0,
    instructions, violations, hybridViolations, groups,
    configurations: CONFIGURATIONS.map((c) => `${configLabel(c)}: ${c.description}`),
  };
}
