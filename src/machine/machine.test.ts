// Behaviour of the bare machine: fault delivery, profiles, paging and the TLB, the timer, devices, costs.
import { describe, expect, it } from "vitest";
import { bootAssembly } from "./boot.js";
import { identityPaging, iretToRing3, kernelEntry } from "./asm-snippets.js";
import { assemble } from "../isa/assembler.js";
import { FLAG, VECTOR } from "../isa/arch.js";
import type { Profile } from "../isa/table.js";

/**
 * A kernel prelude: an IDT at 0x1000 whose gates (DPL 3) all lead to `report`, which prints
 * "v<vector> e<error> <cr2> <return pc>" and powers off. Each vector gets its own stub that
 * loads its number into r10. The program under test starts at `main`.
 */
function kernel(body: string, extra = ""): string {
  const vectors = [0, 3, 6, 8, 13, 14, 32, 0x80];
  const stubs = vectors.map((v) => `vec${v}: mov r10, ${v}\n  jmp report`).join("\n");
  const gates = vectors
    .map((v) => `  mov r1, vec${v}\n  st [r2 + ${v * 8}], r1\n  st [r2 + ${v * 8 + 4}], r3`)
    .join("\n");
  return `
_start:
  mov r2, 0x1000
  mov r3, 7            ; present, DPL 3
${gates}
  lidt r2
  mov sp, 0x8000
  mov r1, 0x8000
  mov ksp, r1
  jmp main
${stubs}
report:
  ld r11, [sp]         ; error slot
  ld r12, [sp + 4]     ; return pc
  mov r1, 'v'
  out 0x10, r1
  out 0x11, r10
  mov r1, ' '
  out 0x10, r1
  mov r1, 'e'
  out 0x10, r1
  out 0x11, r11
  mov r1, ' '
  out 0x10, r1
  mov r1, cr2
  out 0x12, r1
  mov r1, ' '
  out 0x10, r1
  out 0x12, r12
  mov r1, 0
  out 0xf0, r1
${extra}
main:
${body}
`;
}

function run(source: string, profile: Profile = "strict", maxSteps = 100_000) {
  const m = bootAssembly(source, { profile, memoryBytes: 1 << 20 });
  const stop = m.run({ maxSteps });
  return { m, stop, out: m.consoleText() };
}

/** Code that drops to ring 3 at `user` (paging off, so every page is user-accessible), keeping IF as given. */
function toRing3(iflag: boolean) {
  return `\n${iretToRing3("user", iflag ? 0x200 : 0, 0x7000)}user:`;
}

describe("fault delivery", () => {
  it("delivers a divide error as vector 0 with the faulting instruction as the return address", () => {
    const source = kernel(`  mov r1, 7\n  mov r2, 0\nboom: div r3, r1, r2\n  hlt`);
    const { out } = run(source);
    const boom = assemble(source).symbols.get("boom")!;
    expect(out).toBe(`v0 e0 0x0 0x${boom.toString(16)}`);
  });

  it("raises #UD for an unassigned opcode", () => {
    const { out } = run(kernel(`  .word 0\n  hlt`));
    expect(out).toMatch(/^v6 /);
  });

  it("delivers a page fault with the error code and CR2 of the access", () => {
    // Identity-map the first 64 KiB (one page table), leave 0x400000 unmapped, then write to it.
    const { out, m } = run(
      kernel(`
  mov r2, 0x10000       ; page directory
  mov r3, 0x11000       ; page table for 0..4 MiB
  or r1, r3, 0
  or r1, r1, 7
  st [r2], r1
  mov r4, 0
  mov r5, 0
.map:
  or r6, r4, 7
  st [r3 + 0], r6
  add r3, r3, 4
  add r4, r4, 4096
  add r5, r5, 1
  cmp r5, 32
  jnz .map
  mov cr3, r2
  mov r1, 0x80000001
  mov cr0, r1
  mov r7, 0x400010
  mov r8, 42
  st [r7], r8
  hlt`),
    );
    expect(m.state().cr2).toBe(0x400010);
    expect(out).toMatch(/^v14 e2 0x400010 /); // not present, write, supervisor
  });

  it("faults INT n through a gate above the caller's ring at the INT itself, with the gate in the error code", () => {
    const source = kernel(`
  mov r2, 0x1000
  mov r1, 1             ; present, DPL 0
  st [r2 + ${0x80 * 8 + 4}], r1
${toRing3(false)}
call: int 0x80
  hlt`);
    const at = assemble(source).symbols.get("call")!;
    expect(run(source).out).toBe(`v13 e${0x80 * 8 + 2} 0x0 0x${at.toString(16)}`);
  });

  it("turns a fault during fault delivery into a double fault", () => {
    // Gate 13 is marked not present: an illegal CLI in ring 3 raises #GP, whose gate raises #GP → #DF.
    const { out } = run(kernel(`
  mov r2, 0x1000
  mov r1, 0
  st [r2 + ${13 * 8 + 4}], r1
${toRing3(false)}
  cli
  hlt`));
    expect(out).toMatch(/^v8 /);
  });

  it("stops with a triple-fault report when the double fault cannot be delivered either", () => {
    const { stop } = run(`
_start:
  mov r1, 0x2000        ; an IDT of absent gates
  lidt r1
  mov r1, 0
  div r2, r1, r1
  hlt`);
    expect(stop.kind).toBe("triple-fault");
    if (stop.kind === "triple-fault") expect(stop.message).toMatch(/triple fault/);
  });

  it("stops with a machine check, not an exception, when the double fault's frame falls outside memory", () => {
    const { stop } = run(`
_start:
  mov r2, 0x2000        ; an IDT whose only present gate is the double fault's
  lidt r2
  mov r1, 1
  st [r2 + ${8 * 8 + 4}], r1
  mov sp, 0x7ff00000    ; outside memory
  mov r1, 0
  div r2, r1, r1
  hlt`);
    expect(stop).toMatchObject({ kind: "machine-check", message: expect.stringMatching(/outside memory/) });
  });
});

describe("the two profiles", () => {
  const popfInRing3 = kernel(`
${toRing3(false)}
  mov r1, 0x200         ; FLAGS with IF set
  push r1
  popf
  pushf
  pop r5
  and r5, r5, 0x200
  out 0x11, r5          ; ring 3 may not write to the console port: #GP if it gets here
  hlt`);

  it("faults on POPF in ring 3 on the strict profile", () => {
    expect(run(popfInRing3, "strict").out).toMatch(/^v13 /);
  });

  it("lets POPF in ring 3 silently keep IF clear on the x86 profile", () => {
    const { m, out } = run(popfInRing3, "x86");
    expect(m.iflag).toBe(false);
    expect(m.state().registers[5]).toBe(0); // PUSHF showed IF still clear
    expect(out).toMatch(/^v13 /); // the OUT after it faulted, not the POPF
  });

  /** Ring 3 with IOPL 3 and IF clear pops IF = 1 (with IOPL 0 in the popped word), clears it with CLI, pops it again, prints 1 and breaks. */
  const popfAtIopl3 = kernel(`
${iretToRing3("user", 0x3000, 0x7000)}user:
  mov r1, 0x200         ; IF set, IOPL 0: IF may change at CPL <= IOPL, IOPL only in ring 0
  push r1
  popf
  cli                   ; allowed at IOPL 3; IF clear again
  mov r1, 0x200
  push r1
  popf
  mov r5, 1
  out 0x11, r5
  brk`);

  it.each(["strict", "x86"] as const)("lets POPF in ring 3 with IOPL 3 set IF and keep IOPL on the %s profile (strict faults only at CPL > IOPL)", (profile) => {
    const { m, out } = run(popfAtIopl3, profile);
    expect(out).toMatch(/^1v3 /);
    expect(m.iopl).toBe(3);
  });

  it("reveals the ring through MOV r, CS on x86 and traps it on strict", () => {
    const body = kernel(`${toRing3(false)}\n  mov r5, cs\n  and r5, r5, 3\n  cli`);
    const strict = run(body, "strict");
    expect(strict.out).toMatch(/^v13 /);
    const x86 = run(body, "x86");
    expect(x86.m.state().registers[5]).toBe(3);
  });

  it("lets SIDT and SMSW read privileged state from ring 3 only on x86", () => {
    const body = kernel(`${toRing3(false)}\n  sidt r5\n  smsw r6\n  cli`);
    expect(run(body, "strict").out).toMatch(/^v13 /);
    const x86 = run(body, "x86");
    expect(x86.m.state().registers[5]).toBe(0x1000);
    expect(x86.m.state().registers[6]).toBe(1);
  });

  it("treats CLI as privileged on both profiles", () => {
    for (const p of ["strict", "x86"] as const) expect(run(kernel(`${toRing3(false)}\n  cli\n  hlt`), p).out).toMatch(/^v13 /);
  });
});

describe("paging and the TLB", () => {
  /** Map virtual page 0x400000 to physical 0x20000 or 0x21000; those frames hold 111 and 222. */
  const setup = `
  mov r2, 0x10000
  mov r3, 0x11000
  or r1, r3, 7
  st [r2], r1           ; PDE 0 → page table
  mov r4, 0
  mov r5, 0
.map:                   ; identity-map 0..128 KiB
  or r6, r4, 7
  st [r3], r6
  add r3, r3, 4
  add r4, r4, 4096
  add r5, r5, 1
  cmp r5, 32
  jnz .map
  mov r1, 0x12000       ; second page table, for 4..8 MiB
  or r1, r1, 7
  st [r2 + 4], r1
  mov r1, 0x20007
  mov r9, 0x12000
  st [r9], r1           ; 0x400000 → 0x20000
  mov r1, 111
  mov r8, 0x20000
  st [r8], r1
  mov r1, 222
  mov r8, 0x21000
  st [r8], r1
  mov cr3, r2
  mov r1, 0x80000001
  mov cr0, r1
  mov r7, 0x400000
  ld r10, [r7]          ; 111, and the translation is now cached
  mov r1, 0x21007
  st [r9], r1           ; remap to 0x21000 without telling the TLB
  ld r11, [r7]          ; still 111: the TLB holds the old translation`;

  it("keeps a stale translation until INVLPG drops it", () => {
    const { m } = run(kernel(`${setup}\n  invlpg r7\n  ld r12, [r7]\n  hlt`));
    const r = m.state().registers;
    expect([r[10], r[11], r[12]]).toEqual([111, 111, 222]);
  });

  it("flushes the TLB when CR3 is loaded", () => {
    const { m } = run(kernel(`${setup}\n  mov cr3, r2\n  ld r12, [r7]\n  hlt`));
    expect(m.state().registers[12]).toBe(222);
    expect(m.counters.tlbFlushes).toBeGreaterThanOrEqual(2);
  });

  it("sets the accessed and dirty bits in the page-table entry", () => {
    const { m } = run(kernel(`${setup}\n  invlpg r7\n  st [r7], r1\n  ld r13, [r9]\n  hlt`));
    expect(m.state().registers[13]! & 0x60).toBe(0x60);
  });

  it("honours read-only pages in ring 0 only when CR0.WP is set", () => {
    const ro = `${setup}
  mov r1, 0x20005       ; present, user, read-only
  st [r9], r1
  invlpg r7`;
    const withoutWp = run(kernel(`${ro}\n  st [r7], r1\n  ld r13, [r7]\n  hlt`));
    expect(withoutWp.m.state().registers[13]).toBe(0x20005);
    const withWp = run(kernel(`${ro}\n  mov r1, 0x80010001\n  mov cr0, r1\n  st [r7], r1\n  hlt`));
    expect(withWp.out).toMatch(/^v14 e3 0x400000 /); // present + write
  });

  /** Identity-map 0..0x41000 with the page at 0x41000 not present, turn paging on, then run `access` on address 0x40ffe (r7). */
  const straddle = (access: string) => kernel(`
${identityPaging(0x41000)}  mov r7, 0x40ffe
  mov r1, 0x11223344
access_at:
  ${access}
  hlt`);

  it.each([
    ["a load", "ld r5, [r7]", "e0"],
    ["a store", "st [r7], r1", "e2"],
  ])("reports CR2 as the first byte of the missing page for %s that straddles into it, and changes no memory", (_what, access, error) => {
    const { m, out } = run(straddle(access));
    const at = assemble(straddle(access)).symbols.get("access_at")!;
    expect(out).toBe(`v14 ${error} 0x41000 0x${at.toString(16)}`);
    expect(m.memory.read32(0x40ffc)).toBe(0);
  });

  it("counts TLB misses and hits", () => {
    const { m } = run(kernel(`${setup}\n  hlt`));
    expect(m.counters.tlbMisses).toBeGreaterThan(0);
    expect(m.counters.tlbHits).toBeGreaterThan(m.counters.tlbMisses);
  });
});

describe("interrupts and time", () => {
  /** A kernel whose timer handler counts ticks in r9; main loops, then prints the count. */
  const ticking = (period: number, loops: number) => `
${kernelEntry({ 32: "tick" })}  mov r9, 0
  mov r1, ${period}
  out 0x40, r1
  sti
  mov r4, ${loops}
.spin:
  sub r4, r4, 1
  jnz .spin
  cli
  out 0x11, r9
  hlt
tick:
  add r9, r9, 1
  iret`;

  it("fires the timer every N instructions, deterministically", () => {
    const a = run(ticking(100, 5000));
    const b = run(ticking(100, 5000));
    expect(Number(a.out)).toBeGreaterThan(50);
    expect(a.out).toBe(b.out);
    expect(a.m.interrupts).toEqual(b.m.interrupts);
    expect(a.m.counters.toJSON()).toEqual(b.m.counters.toJSON());
    expect(a.m.interrupts[0]!.vector).toBe(32);
  });

  it("delivers an interrupt only after the instruction that follows STI", () => {
    const { m } = run(`
${kernelEntry({ 32: "tick" })}  mov r1, 1
  out 0x40, r1          ; the timer is due at once
  mov r5, 0
  sti
  mov r5, 1             ; runs before the interrupt
  mov r5, 2
  hlt
tick:
  out 0x11, r5
  mov r1, 0
  out 0xf0, r1`);
    expect(m.consoleText()).toBe("1");
  });

  it("steps an interrupt delivery on its own: the step retires nothing and stops at the handler's first instruction", () => {
    const source = `
${kernelEntry({ 32: "tick" })}  mov r1, 1
  out 0x40, r1          ; the timer is due at once
  sti
  nop
.spin:
  jmp .spin
tick:
  add r9, r9, 1
  iret`;
    const m = bootAssembly(source);
    const tick = assemble(source).symbols.get("tick")!;
    while (m.interrupts.length === 0) {
      const retired = m.retired();
      const pc = m.pc;
      m.step();
      if (m.interrupts.length > 0) {
        expect(m.retired()).toBe(retired);
        expect(m.pc).toBe(tick);
        expect(pc).not.toBe(tick);
      }
    }
    expect(m.R[9]).toBe(0);
    m.step();
    expect(m.R[9]).toBe(1);
  });

  it("asks for no boundary after delivering an interrupt before the next device event, and for one at once when the handler's IRET sets IF again", () => {
    const m = bootAssembly(ticking(100, 5000));
    while (m.interrupts.length === 0) m.step();
    // The gate cleared IF, so nothing can be delivered before something sets it (which asks for a boundary itself).
    expect(m.iflag).toBe(false);
    expect(m.checkAt).toBe(m.timer.nextEvent());
    expect(m.checkAt).toBeGreaterThan(m.time + 1);
    while (m.R[9] === 0) m.step();
    m.step(); // the IRET
    expect(m.iflag).toBe(true);
    expect(m.checkAt).toBe(0);
  });

  it("wakes a halted CPU at the next timer interrupt", () => {
    const { out, m } = run(`
${kernelEntry({ 32: "tick" })}  mov r1, 1000
  out 0x40, r1
  sti
  hlt
  out 0x11, r9
  mov r1, 0
  out 0xf0, r1
tick:
  rdtsc r9
  iret`);
    expect(Number(out)).toBeGreaterThanOrEqual(1000);
    expect(m.counters.haltedTime).toBeGreaterThan(900);
    expect(m.counters.events[VECTOR.DIVIDE_ERROR]).toBe(0); // HLT is not an exception
  });

  it("stops as halted when HLT runs with interrupts disabled", () => {
    const { stop } = run(`_start:\n  cli\n  hlt`);
    expect(stop).toMatchObject({ kind: "halted" });
  });
});

describe("devices, budgets and costs", () => {
  it("stops with a message naming an unclaimed port", () => {
    const { stop } = run(`_start:\n  mov r1, 1\n  out 0x99, r1\n  hlt`);
    expect(stop.kind).toBe("machine-check");
    if (stop.kind === "machine-check") expect(stop.message).toContain("0x99");
  });

  it("stops a runaway guest at the step budget", () => {
    const { stop, m } = run(`_start:\n  jmp _start`, "strict", 5000);
    expect(stop.kind).toBe("budget");
    expect(m.retired()).toBe(5000);
  });

  it("powers off with the exit code written to the power port", () => {
    expect(run(`_start:\n  mov r1, 3\n  out 0xf0, r1\n  jmp _start`).stop).toMatchObject({ kind: "poweroff", code: 3 });
  });

  it("costs a user-to-kernel round trip 1000–1500 cycles, as the lecture measured for getpid", () => {
    const body = kernel(
      `${toRing3(false)}
  int 0x80              ; getpid-like call
  mov r1, r1
  brk`,
    ).replace("vec128: mov r10, 128\n  jmp report", "vec128: iret");
    const m = bootAssembly(body);
    m.run({ maxSteps: 10_000 });
    // Measure the INT and IRET pair: cycles between the user instruction before and after it.
    const before = bootAssembly(body);
    let steps = 0;
    while (before.cpl !== 3 && steps++ < 1000) before.step();
    const c0 = before.cycles();
    before.step(); // int 0x80 → handler
    before.step(); // iret
    const c1 = before.cycles();
    expect(c1 - c0).toBeGreaterThanOrEqual(1000);
    expect(c1 - c0).toBeLessThanOrEqual(1500);
    expect(m.counters.events[0x80]).toBe(1);
    expect(m.counters.events[VECTOR.BREAKPOINT]).toBe(1);
  });
});

describe("the corner cases the reference card states", () => {
  const regs = (source: string, profile: Profile = "strict") => run(`_start:\n${source}\n  hlt`, profile).m;

  it("divides −2^31 by −1 to −2^31 and takes its remainder as 0, without a fault", () => {
    const m = regs("  mov r1, 0x80000000\n  mov r2, -1\n  div r3, r1, r2\n  rem r4, r1, r2");
    expect([m.R[3], m.R[4], m.counters.events[VECTOR.DIVIDE_ERROR]]).toEqual([-(2 ** 31), 0, 0]);
  });

  it("pushes sp as it was before the push, and pops into sp the popped word", () => {
    const m = regs("  mov sp, 0x5000\n  push sp\n  pop r1\n  mov r2, 0x1234\n  push r2\n  pop sp");
    expect([m.R[1], m.R[15]]).toEqual([0x5000, 0x1234]);
  });

  it("clears CF and OF on shifts and logical immediates", () => {
    for (const op of ["shl r3, r1, 1", "shr r3, r1, 1", "sar r3, r1, 1", "and r3, r1, 1", "or r3, r1, 1", "xor r3, r1, 1", "shl r3, r1, r4"]) {
      const m = regs(`  mov r1, 0x80000000\n  mov r4, 1\n  add r2, r1, r1       ; CF and OF set\n  ${op}`);
      expect(m.status() & (FLAG.CF | FLAG.OF), op).toBe(0);
    }
  });

  it("reduces a raw encoding's shift count mod 32 and its interrupt vector mod 256", () => {
    const shl33 = (0x25 << 24) | (1 << 20) | (1 << 16) | 33;
    expect(regs(`  mov r1, 1\n  .word ${shl33}`).R[1]).toBe(2);
    const int0x180 = (0x5d << 24) | 0x180;
    expect(run(kernel(`  .word ${int0x180}`)).out).toMatch(/^v128 /);
  });

  it("faults INT through an absent gate with #GP and error code n × 8 + 2", () => {
    expect(run(kernel("  int 0x41")).out).toMatch(new RegExp(`^v13 e${0x41 * 8 + 2} `));
  });

  it("keeps CR8's low 4 bits, and flushes the TLB on a CR0 write only when PG or WP changes", () => {
    const m = regs("  mov r1, 0x12\n  mov cr8, r1\n  mov r2, cr8\n  mov r3, cr0\n  mov cr0, r3\n  mov cr0, r3");
    expect(m.R[2]).toBe(2);
    expect(m.counters.tlbFlushes).toBe(0);
    const wp = regs("  mov r4, 0x10001\n  mov cr0, r4");
    expect(wp.counters.tlbFlushes).toBe(1);
  });

  it.each(["strict", "x86"] as const)("answers CPUID with the values on the card (%s profile)", (profile) => {
    const text = (w: number) => String.fromCharCode(w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24);
    const leaf0 = regs("  mov r0, 0\n  cpuid", profile);
    expect([leaf0.R[0], text(leaf0.R[1]!) + text(leaf0.R[2]!) + text(leaf0.R[3]!)]).toEqual([1, "vmlab-cpu   "]);
    const leaf1 = regs("  mov r0, 1\n  cpuid", profile);
    expect([...leaf1.R.slice(0, 4)]).toEqual([0x100, profile === "x86" ? 3 : 1, 0, 0]);
    const leaf7 = regs("  mov r0, 7\n  mov r1, 9\n  cpuid", profile);
    expect([...leaf7.R.slice(0, 4)]).toEqual([0, 0, 0, 0]);
  });
});

