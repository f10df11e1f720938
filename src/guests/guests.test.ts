// The bundled guests: the teaching kernel runs each user program to its expected output, takes timer
// ticks, reports faults, and the standalone kernels behave as stated natively.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CR0, csSelector, FLAG, PAGE_SHIFT, PAGE_SIZE, PORT, PTE, VECTOR } from "../isa/arch.js";
import { assemble, readerFromDisk } from "../isa/assembler.js";
import { PROFILES } from "../isa/table.js";
import { Machine } from "../machine/machine.js";
import {
  adler32, buildGuest, fnv1a32, guestSource, listGuests, primesBelow, programView, runGuest, vmlabRoot, type GuestBuild,
} from "./index.js";

// ---- the test's own models: computed here, independently of the emulator and of expected.ts ----

function cString(build: GuestBuild, label: string): number[] {
  const prog = build.program!;
  const { base, bytes } = prog.image();
  const out: number[] = [];
  for (let a = prog.symbols.get(label)! - base; bytes[a] !== 0; a++) out.push(bytes[a]!);
  return out;
}
const sym = (build: GuestBuild, name: string): number => build.program!.symbols.get(name)!;
const hex = (v: number) => "0x" + (v >>> 0).toString(16);

const EXPECTED: Record<string, (b: GuestBuild) => string> = {
  hello: (b) => String.fromCharCode(...cString(b, "greeting")),
  checksum: (b) => {
    const stream = Array.from({ length: sym(b, "REPS") }, () => cString(b, "text")).flat();
    let h = 0x811c9dc5n;
    for (const x of stream) h = ((h ^ BigInt(x)) * 0x01000193n) & 0xffffffffn;
    let s1 = 1;
    let s2 = 0;
    for (const x of stream) {
      s1 = (s1 + x) % 65521;
      s2 = (s2 + s1) % 65521;
    }
    return `fnv1a 0x${h.toString(16)}\nadler32 ${hex(s2 * 65536 + s1)}\n`;
  },
  sort: (b) => {
    let x = BigInt(sym(b, "SEED"));
    const values: number[] = [];
    for (let i = 0; i < sym(b, "N"); i++) {
      x = (x * 1103515245n + 12345n) % 2n ** 32n;
      values.push(Number(x >> 16n) % 1000);
    }
    values.sort((p, q) => p - q);
    return `${values.join(" ")}\nsorted ${values.length}\n`;
  },
  primes: (b) => {
    const n = sym(b, "N");
    const composite = new Uint8Array(n);
    const primes: number[] = [];
    for (let k = 2; k < n; k++) {
      if (composite[k]) continue;
      primes.push(k);
      for (let m = k * k; m < n; m += k) composite[m] = 1;
    }
    return `primes below ${n}: ${primes.length}, largest ${primes[primes.length - 1]}\n`;
  },
  matmul: (b) => {
    const n = sym(b, "N");
    const range = [...Array(n).keys()];
    const A = range.map((i) => range.map((j) => ((7 * i + 3 * j) % 11) - 5));
    const B = range.map((i) => range.map((j) => ((5 * i + 2 * j) % 13) - 6));
    const C = range.map((i) => range.map((j) => range.reduce((s, k) => s + A[i]![k]! * B[k]![j]!, 0)));
    const trace = range.reduce((s, i) => s + C[i]![i]!, 0);
    const sum = C.flat().reduce((s, v) => s + v, 0);
    return `row0 ${C[0]!.join(" ")}\ntrace ${trace}\nsum ${sum}\n`;
  },
  strings: (b) => {
    const text = String.fromCharCode(...cString(b, "text"));
    const cmp = (k: number) => {
      const x = String.fromCharCode(...cString(b, `cmp_a${k}`));
      const y = String.fromCharCode(...cString(b, `cmp_b${k}`));
      return x < y ? -1 : x > y ? 1 : 0;
    };
    return `length ${text.length}\nupper ${text.toUpperCase()}\nreverse ${text.split("").reverse().join("")}\ncompare ${cmp(1)} ${cmp(2)} ${cmp(3)}\n`;
  },
};

const BENCHMARKS = ["checksum", "sort", "primes", "matmul", "strings"];

describe("the bundled guest list", () => {
  it("names every guest once, with a source file that exists and a kind", () => {
    const guests = listGuests();
    expect(new Set(guests.map((g) => g.name)).size).toBe(guests.length);
    for (const g of guests) {
      expect(existsSync(join(vmlabRoot(), g.file)), g.file).toBe(true);
      expect(["program", "kernel"]).toContain(g.kind);
      expect(g.description.length).toBeGreaterThan(10);
      expect(guestSource(g.name)).toMatch(/^; guests\//);
    }
    for (const name of [...BENCHMARKS, "popf-irq", "ring-check", "fault-kernel"]) expect(guests.map((g) => g.name)).toContain(name);
  });

  it("finds the package root from src/ and from dist/src/ alike", () => {
    const root = vmlabRoot();
    expect(existsSync(join(root, "guests", "kernel.s"))).toBe(true);
    expect(vmlabRoot(join(root, "dist", "src", "guests", "index.js"))).toBe(root);
    expect(vmlabRoot(new URL(`file://${join(root, "src", "guests", "index.ts")}`))).toBe(root);
  });

  it("rejects an unknown guest with a did-you-mean", () => {
    expect(() => buildGuest("prims")).toThrow(expect.objectContaining({ code: "GUEST_UNKNOWN", hint: "did you mean 'primes'?" }));
  });
});

describe("the shared library in guests/lib/", () => {
  const lib = (file: string) => assemble(readFileSync(join(vmlabRoot(), file), "utf8"), { file, readFile: readerFromDisk(vmlabRoot()) });

  it("names the machine's numbers in machine.s as src/isa/arch.ts has them", () => {
    const k = lib("guests/lib/machine.s").symbols;
    expect([k.get("PORT_CHAR"), k.get("PORT_DEC"), k.get("PORT_HEX"), k.get("PORT_PIC_MASK"), k.get("PORT_TIMER"), k.get("PORT_POWER")])
      .toEqual([PORT.CONSOLE_CHAR, PORT.CONSOLE_DEC, PORT.CONSOLE_HEX, PORT.PIC_MASK, PORT.TIMER_PERIOD, PORT.POWER_OFF]);
    expect([k.get("FLAGS_CF"), k.get("FLAGS_ZF"), k.get("FLAGS_IF")]).toEqual([FLAG.CF, FLAG.ZF, FLAG.IF]);
    expect([k.get("CR0_PE"), k.get("CR0_WP"), k.get("CR0_PG")! >>> 0]).toEqual([CR0.PE, CR0.WP, CR0.PG >>> 0]);
    expect([k.get("PTE_P"), k.get("PTE_W"), k.get("PTE_U"), k.get("PAGE"), k.get("PAGE_SHIFT")]).toEqual([PTE.P, PTE.W, PTE.U, PAGE_SIZE, PAGE_SHIFT]);
    expect([k.get("VEC_DE"), k.get("VEC_GP"), k.get("VEC_PF"), k.get("VEC_TIMER"), k.get("VEC_SYSCALL")])
      .toEqual([VECTOR.DIVIDE_ERROR, VECTOR.GENERAL_PROTECTION, VECTOR.PAGE_FAULT, VECTOR.IRQ_BASE, VECTOR.SYSCALL]);
    expect(k.get("USER_CS")).toBe(csSelector(3));
    expect(k.get("GATE_BYTES")).toBe(1 << k.get("GATE_SHIFT")!);
  });

  it("emits no bytes from machine.s and macros.s, so a guest may include them anywhere", () => {
    expect(lib("guests/lib/machine.s").segments).toEqual([]);
    expect(lib("guests/lib/macros.s").segments).toEqual([]);
  });

  it("saves and restores a register list in mirror order with SAVE and RESTORE", () => {
    const p = assemble('.include "guests/lib/macros.s"\nSAVE r8, r9, r10\nRESTORE r8, r9, r10', { readFile: readerFromDisk(vmlabRoot()) });
    expect(p.lines.map((l) => l.text)).toEqual(["push r8", "push r9", "push r10", "pop r10", "pop r9", "pop r8"]);
  });
});

describe("the user programs", () => {
  for (const name of BENCHMARKS) {
    for (const profile of PROFILES) {
      it(`${name} prints what the TypeScript model computes, on the ${profile} profile`, () => {
        const run = runGuest(name, { profile });
        const expected = EXPECTED[name]!(run.build);
        expect(run.console).toBe(expected);
        expect(run.stop).toMatchObject({ kind: "poweroff", code: 0 });
        expect(run.build.expectedConsole).toBe(expected);
        expect(run.instructions).toBeLessThan(300_000);
      });
    }
  }

  it("hello, syscalls and sleep print their expected lines on both profiles", () => {
    for (const profile of PROFILES) {
      expect(runGuest("hello", { profile }).console).toBe(EXPECTED["hello"]!(buildGuest("hello")));
      expect(runGuest("syscalls", { profile }).console).toBe("int 0x80 20, syscall 20\n");
      expect(runGuest("sleep", { profile, timerPeriod: 200 }).console).toBe("slept 3 ticks\n");
    }
  });

  it("scale their work with REPS and N while the checked output follows the model", () => {
    const [one, three, five] = [1, 3, 5].map((REPS) => runGuest("sort", { timerPeriod: 0, defines: { REPS } }));
    expect(three!.console).toBe(one!.console);
    expect(five!.console).toBe(one!.console);
    const perTwoReps = three!.instructions - one!.instructions;
    expect(perTwoReps).toBeGreaterThan(5_000);
    expect(five!.instructions - three!.instructions).toBe(perTwoReps); // the work grows linearly with REPS
    const big = runGuest("primes", { defines: { N: 5000 } });
    expect(big.console).toBe("primes below 5000: 669, largest 4999\n");
    const reps = runGuest("checksum", { defines: { REPS: 4 } });
    expect(reps.console).toBe(EXPECTED["checksum"]!(reps.build));
  });

  it("agree with published checksum and prime-count values (the models are right)", () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(adler32(ascii("Wikipedia"))).toBe(0x11e60398);
    expect(fnv1a32(ascii("a"))).toBe(0xe40c292c);
    expect(fnv1a32(ascii("foobar"))).toBe(0xbf9cf968);
    expect(primesBelow(2000).length).toBe(303);
    expect(programView(buildGuest("hello").program!).text("greeting")).toBe("Hello from user mode!\n");
  });
});

describe("the teaching kernel", () => {
  it("takes timer interrupts: with a period of 100 it counts ticks as the run goes", () => {
    const run = runGuest("primes", { timerPeriod: 100 });
    const ticks = run.machine.memory.read32(run.build.kernel.symbols.get("ticks")!);
    expect(ticks).toBeGreaterThan(0);
    expect(ticks).toBe(run.counters.interrupts);
    expect(ticks).toBeGreaterThan(run.instructions / 100 - 20);
  });

  it("gives identical console, counters and state on two runs of the same guest (determinism)", () => {
    for (const name of ["sort", "sleep", "popf-irq"]) {
      const a = runGuest(name, { timerPeriod: 77 });
      const b = runGuest(name, { timerPeriod: 77 });
      expect(b.console).toBe(a.console);
      expect(b.counters.toJSON()).toEqual(a.counters.toJSON());
      expect(b.state).toEqual(a.state);
      expect(b.cycles).toBe(a.cycles);
    }
  });

  it("lets a program print the same output whatever the timer period, or with the timer off", () => {
    for (const name of ["sort", "strings", "matmul"]) {
      const runs = [0, 50, 333, 1000, 10_000].map((timerPeriod) => runGuest(name, { timerPeriod }));
      for (const r of runs) expect(r.console).toBe(runs[0]!.console);
      expect(runs[0]!.counters.interrupts).toBe(0);
      expect(runs[1]!.counters.interrupts).toBeGreaterThan(runs[4]!.counters.interrupts);
    }
  });

  it("reports a user read of a kernel page as a page fault with CR2 = the address, and powers off with 128 + 14", () => {
    for (const profile of PROFILES) {
      const run = runGuest("fault-kernel", { profile });
      const touch = sym(run.build, "touch");
      expect(run.console).toBe(`reading kernel memory\nuser fault: #PF page fault pc=${hex(touch)} addr=0x1000 error=0x5\n`);
      expect(run.stop).toMatchObject({ kind: "poweroff", code: 142 });
      expect(run.state.cr2).toBe(0x1000);
      expect(run.counters.pageFaults).toBe(1);
    }
  });

  it("reports divide errors and privileged instructions at CPL 3 the same way", () => {
    const divide = runGuest("fault-divide");
    expect(divide.console).toBe(`user fault: #DE divide error pc=${hex(sym(divide.build, "divide"))} error=0x0\n`);
    expect(divide.stop).toMatchObject({ kind: "poweroff", code: 128 });
    const cli = runGuest("fault-privileged", { profile: "x86" });
    expect(cli.console).toBe(`trying CLI at CPL 3\nuser fault: #GP general protection pc=${hex(sym(cli.build, "privileged"))} error=0x0\n`);
    expect(cli.stop).toMatchObject({ kind: "poweroff", code: 141 });
  });

  it("refuses to write kernel memory to the console for a user program", () => {
    const run = runGuest("write-kernel");
    expect(run.console).toBe("write refused: -1 -1\n");
    expect(run.counters.portWrites).toBeLessThan(40); // no 16 bytes of kernel text went out
  });

  it("reaches its double-fault handler when delivering a fault faults (here: the #PF gate made absent)", () => {
    const build = buildGuest("fault-kernel");
    const m = new Machine({ memoryBytes: build.memoryBytes });
    m.load(build);
    while (m.cpl === 0) m.step(); // boot until the IRET into the program
    m.memory.write32(m.idtr + 14 * 8 + 4, 0); // gate 14 no longer present: the #PF delivery raises #GP
    const stop = m.run({ maxSteps: 100_000 });
    expect(m.consoleText()).toBe(`reading kernel memory\nuser fault: #DF double fault pc=${hex(sym(build, "touch"))} error=0x0\n`);
    expect(stop).toMatchObject({ kind: "poweroff", code: 128 + 8 });
  });

  it("idles with STI; HLT while a program sleeps, and refuses to sleep with the timer off", () => {
    const run = runGuest("sleep", { timerPeriod: 500 });
    expect(run.counters.haltedTime).toBeGreaterThan(0);
    expect(run.counters.interrupts).toBeGreaterThanOrEqual(3);
    const off = runGuest("sleep", { timerPeriod: 0 });
    expect(off.console).toBe("sleep: the timer is off\n");
    expect(off.stop).toMatchObject({ kind: "poweroff", code: 1 });
  });

  it("maps the program at USER_BASE onto the physical pages after the kernel, user-accessible, and the kernel supervisor-only", () => {
    const run = runGuest("hello");
    const { layout } = run.build;
    const m = run.machine;
    expect(layout!.userPhys).toBe(run.build.kernel.symbols.get("kernel_end"));
    expect(m.probe(layout!.userBase)).toBe(layout!.userPhys);
    expect(m.probe(layout!.userStackTop - 4)).toBe(layout!.userPhys + layout!.userPages * 4096 - 4);
    expect(m.probe(layout!.userStackTop)).toBeUndefined();
    expect(m.probe(0x1000)).toBe(0x1000);
    const pd = run.state.cr3;
    const pde = (va: number) => m.memory.read32(pd + (va >>> 22) * 4);
    const pte = (va: number) => m.memory.read32((pde(va) & ~0xfff) + ((va >>> 12) & 1023) * 4);
    expect(pte(0x1000) & 4).toBe(0);
    expect(pte(layout!.userBase) & 7).toBe(7);
  });

  it("installs the system-call gate with DPL 3 and every other gate with DPL 0", () => {
    const run = runGuest("hello");
    const idt = run.state.idtr;
    const attr = (v: number) => run.machine.memory.read32(idt + v * 8 + 4);
    expect(attr(0x80)).toBe(1 | (3 << 1));
    for (const v of [0, 6, 8, 13, 14, 32]) expect(attr(v), `vector ${v}`).toBe(1);
    const k = run.build.kernel.symbols;
    expect(k.get("exc_stubs_end")! - k.get("exc_stubs")!).toBe(32 * 16);
  });

  it("runs every program to its modelled output and exit code on both profiles, well inside the budget and 1 MiB", () => {
    for (const g of listGuests().filter((x) => x.kind === "program")) {
      for (const profile of PROFILES) {
        const run = runGuest(g.name, { profile, timerPeriod: 300 });
        expect(run.build.expectedConsole, g.name).toBeDefined();
        expect(run.console, `${g.name} on ${profile}`).toBe(run.build.expectedConsole);
        expect(run.stop, `${g.name} on ${profile}`).toMatchObject({ kind: "poweroff", code: run.build.expectedExitCode });
        expect(run.instructions).toBeLessThan(300_000);
        expect(run.build.memoryBytes).toBeLessThanOrEqual(1 << 20);
      }
    }
  });
});

describe("the standalone kernels, natively", () => {
  for (const profile of PROFILES) {
    it(`popf-irq counts timer ticks because POPF turns interrupts back on (${profile})`, () => {
      const run = runGuest("popf-irq", { profile, timerPeriod: 100 });
      const m = /^ticks (\d+)\n$/.exec(run.console);
      expect(m, run.console).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(0);
      expect(Number(m![1])).toBe(run.counters.interrupts);
      expect(run.stop).toMatchObject({ kind: "poweroff", code: 0 });
    });

    it(`ring-check reads CS and prints "ring 0" (${profile})`, () => {
      const run = runGuest("ring-check", { profile });
      expect(run.console).toBe("ring 0\n");
      expect(run.stop).toMatchObject({ kind: "poweroff", code: 0 });
    });
  }

  it("popf-irq takes more ticks with a shorter period", () => {
    const fast = runGuest("popf-irq", { timerPeriod: 50 });
    const slow = runGuest("popf-irq", { timerPeriod: 1000 });
    expect(fast.counters.interrupts).toBeGreaterThan(slow.counters.interrupts);
    expect(slow.counters.interrupts).toBeGreaterThan(0);
  });
});
