// Tests of the trap-and-emulate monitor: deprivileging, reflection, timing, resource control and what happens to misbehaving handlers.
import { describe, expect, it } from "vitest";
import { buildGuest } from "../guests/index.js";
import { assemble } from "../isa/assembler.js";
import { checkEquivalence } from "../analysis/equivalence.js";
import type { TrapHandlers, VirtualCpu } from "./api.js";
import { runNative } from "./native.js";
import { emulatingHandlers } from "./emulator.js";
import { MONITOR_FRAMES, runTrapAndEmulate, TrapAndEmulateMonitor } from "./trap.js";
import { identityPaging, iretToRing3, timerTicksKernel } from "../machine/asm-snippets.js";

const SMALL = { memoryBytes: 16384 };

/** A kernel that enters user mode, where INT 0x40 hits a DPL 0 gate: natively a #GP with error 0x40*8+2. */
const USER_INT = `
_start:
  mov sp, 0x2000
  mov r1, 0x2000
  mov ksp, r1
  mov r1, idt
  lidt r1
  mov r2, gp_handler
  st [r1 + 104], r2
  mov r2, 1
  st [r1 + 108], r2
  mov r2, never
  st [r1 + 0x200], r2
  mov r2, 1
  st [r1 + 0x204], r2
  mov r2, 0x3000
  push r2
  mov r2, 0
  push r2
  mov r2, 0x1b
  push r2
  mov r2, user_code
  push r2
  mov r2, 0
  push r2
  iret
user_code:
  int 0x40
  jmp user_code
gp_handler:
  ld r3, [sp]
  out 0x11, r3
  mov r4, cs
  out 0x11, r4
  out 0xF0, r0
never:
  mov r3, 99
  out 0xF0, r3
  .align 8
idt:
  .space 2048
`;

/** A timer kernel that idles in STI; HLT and counts ticks. */
const TICKS = timerTicksKernel(37, 4);

function run(source: string, handlers: TrapHandlers = emulatingHandlers(), maxSteps = 100_000) {
  return runTrapAndEmulate(assemble(source), handlers, { ...SMALL, maxSteps });
}

describe("the trap-and-emulate monitor", () => {
  it("runs the guest kernel at real CPL 3 and IOPL 0 while the virtual CPL is 0", () => {
    const vm = new TrapAndEmulateMonitor(assemble("_start:\n  cli\n  mov r1, cs\n  jmp _start\n"), emulatingHandlers(), SMALL);
    vm.advance(10);
    expect(vm.machine.cpl).toBe(3);
    expect(vm.machine.iopl).toBe(0);
    expect(vm.vcpl).toBe(0);
    expect(vm.machine.R[1]).toBe(0x08);
    expect(vm.retired).toBe(10);
  });

  it("reflects INT n from virtual user mode through a DPL 0 gate as the #GP the bare machine raises", () => {
    const report = checkEquivalence(assemble(USER_INT), emulatingHandlers(), SMALL);
    expect(report.equivalent).toBe(true);
    expect(report.virtualized.console).toBe("5148");
    expect(report.virtualized.counters.trapsByCause["#GP general protection reflected"]).toBe(1);
  });

  it("delivers virtual timer interrupts at the guest instructions where the bare machine does, waking HLT", () => {
    const report = checkEquivalence(assemble(TICKS), emulatingHandlers(), SMALL);
    expect(report.equivalent).toBe(true);
    expect(report.virtualized.console).toBe("4");
    expect(report.virtualized.interrupts.map((i) => i.vector)).toEqual([32, 32, 32, 32]);
    expect(report.virtualized.interrupts).toEqual(report.native.interrupts);
    expect(report.virtualized.counters.haltedTime).toBeGreaterThan(0);
  });

  it.each(["strict", "x86"] as const)("gives the guest the same time-stamp counter as the bare machine on the %s profile: emulation time is offset away", (profile) => {
    // Three CLIs trap and are emulated; RDTSC then reads 3 natively, and must under the monitor too.
    const source = "_start:\n  cli\n  cli\n  cli\n  rdtsc r1\n  out 0x11, r1\n  hlt\n  rdtsc r2\n";
    const report = checkEquivalence(assemble(source), emulatingHandlers(), { ...SMALL, profile });
    expect(report.native.console).toBe("3");
    expect(report.virtualized.console).toBe("3");
    expect(report.equivalent).toBe(true);
    expect(report.virtualized.counters.emulatedInstructions).toBeGreaterThanOrEqual(3);
  });

  it("gives the guest the bare machine's CR2 when an emulated push straddles into a missing page: the first byte of that page", () => {
    // Identity-map 0..0x41000 without the page at 0x41000; PUSHF (emulated on strict) then writes 0x40ffe..0x41001.
    const source = `
_start:
${identityPaging(0x41000)}  mov sp, 0x41002
  pushf`;
    const report = checkEquivalence(assemble(source), emulatingHandlers(), {});
    expect(report.native.finalState.cr2).toBe(0x41000);
    expect(report.virtualized.finalState.cr2).toBe(0x41000);
    expect(report.equivalent).toBe(true);
  });

  it("emulates POPF in virtual ring 3 with IOPL 3 on strict, where the bare machine lets it set IF (it faults only at CPL > IOPL)", () => {
    const source = `
_start:
  mov sp, 0x2000
${iretToRing3("user", 0x3000, 0x2000)}user:
  mov r1, 0x241         ; IF, ZF and CF set; IOPL 0 in the word, which ring 3 cannot load
  push r1
  popf
  mov r5, 0
  jnz .out
  mov r5, 1             ; ZF came from the popped word
.out:
  out 0x11, r5
  mov r1, 0
  out 0xf0, r1`;
    const report = checkEquivalence(assemble(source), emulatingHandlers(), SMALL);
    expect(report.native.console).toBe("1");
    expect(report.native.finalState).toMatchObject({ IF: true, IOPL: 3 });
    expect(report.equivalent).toBe(true);
    expect(report.virtualized.counters.trapsByCause.popf).toBe(1);
  });

  it("reports a triple fault when no gate can take a fault, as the bare machine does", () => {
    const source = "_start:\n  mov r1, 0\n  div r2, r1, r1\n";
    const native = runNative(assemble(source), SMALL);
    const virtualized = run(source);
    expect(native.stop.kind).toBe("triple-fault");
    expect(virtualized.stop).toMatchObject({ kind: "triple-fault", pc: native.stop.pc, vector: 0 });
    expect(virtualized.verdict).toMatch(/^triple fault/);
  });

  it("keeps guest-physical memory a window: an access past its end is a machine check, and the monitor's frames stay out of reach", () => {
    const source = "_start:\n  mov r1, 0x4000\n  ld r2, [r1]\n";
    const virtualized = run(source);
    expect(virtualized.stop.kind).toBe("machine-check");
    expect(runNative(assemble(source), SMALL).stop.kind).toBe("machine-check");
    const vm = new TrapAndEmulateMonitor(assemble(source), emulatingHandlers(), SMALL);
    expect(vm.memory.base).toBe(MONITOR_FRAMES * 4096);
    expect(vm.memory.size).toBe(16384);
  });

  it("counts exits by cause, emulated instructions and hidden page faults on a paging guest", () => {
    const build = buildGuest("hello");
    const r = runTrapAndEmulate(build, emulatingHandlers(), { memoryBytes: build.memoryBytes });
    expect(r.console).toBe("Hello from user mode!\n");
    expect(r.counters.hiddenPageFaults).toBeGreaterThan(0);
    expect(r.counters.emulatedInstructions).toBeGreaterThan(0);
    expect(r.counters.trapsByCause.iret).toBeGreaterThan(0);
    expect(r.counters.exits).toBe(Object.values(r.counters.trapsByCause).reduce((a, b) => a + b, 0));
    expect(r.cycles).toBeGreaterThan(runNative(build, { memoryBytes: build.memoryBytes }).cycles);
  });

  it("gives guest user code a page fault with the right CR2 and error code for a supervisor page", () => {
    const build = buildGuest("fault-kernel");
    const report = checkEquivalence(build, emulatingHandlers(), { memoryBytes: build.memoryBytes });
    expect(report.equivalent).toBe(true);
    expect(report.virtualized.console).toContain("addr=0x1000 error=0x5");
  });
});

describe("handlers that misbehave", () => {
  const loop = "_start:\n  cli\n  sti\n  jmp _start\n";
  const withCli = (cli: (vcpu: VirtualCpu) => unknown): TrapHandlers => ({ ...emulatingHandlers(), cli: cli as (vcpu: VirtualCpu) => void });

  it("stop the run with a verdict naming a missing handler", () => {
    const { cli: _cli, ...handlers } = emulatingHandlers();
    const r = run(loop, handlers);
    expect(r.stop.kind).toBe("no-handler");
    expect(r.verdict).toBe("no handler for 'cli' (CLI at 0x00000000)");
  });

  it("end the run when a handler throws", () => {
    const r = run(loop, withCli(() => {
      throw new Error("boom");
    }));
    expect(r.stop).toMatchObject({ kind: "handler-error", code: "VMM_HANDLER_THREW", handler: "cli" });
    expect(r.verdict).toMatch(/handler 'cli' threw Error: boom \(emulating cli at 0x00000000\)/);
  });

  it("end the run when a handler returns without resuming the guest", () => {
    const r = run(loop, withCli((vcpu) => {
      vcpu.flags.IF = false;
    }));
    expect(r.stop).toMatchObject({ kind: "handler-error", code: "VMM_HANDLER_DID_NOT_RESUME", handler: "cli" });
  });

  it("end the run when a handler sets a register to something that is not a number", () => {
    const r = run(loop, withCli((vcpu) => {
      vcpu.regs.set(1, "abc" as unknown as number);
      vcpu.skip();
    }));
    expect(r.stop).toMatchObject({ kind: "handler-error", code: "VMM_HANDLER_BAD_VALUE" });
    expect(r.verdict).toContain('"abc"');
  });

  it("end the run when a handler resumes twice, is async, or keeps its VirtualCpu for later", () => {
    expect(run(loop, withCli((vcpu) => {
      vcpu.skip();
      vcpu.skip();
    })).stop).toMatchObject({ code: "VMM_HANDLER_BAD_RESUME" });
    expect(run(loop, withCli(async (vcpu) => {
      vcpu.skip();
    })).stop).toMatchObject({ code: "VMM_HANDLER_ASYNC" });
    let kept: VirtualCpu | undefined;
    const stale: TrapHandlers = {
      ...emulatingHandlers(),
      cli(vcpu) {
        kept = vcpu;
        vcpu.skip();
      },
      sti() {
        kept!.skip();
      },
    };
    expect(run(loop, stale).stop).toMatchObject({ code: "VMM_HANDLER_STALE" });
  });

  it("share one frozen set of verbs between every call's VirtualCpu, so no handler can change them for the calls after it", () => {
    const seen = new Set<object>();
    const attempts: string[] = [];
    const tamper = (vcpu: VirtualCpu): void => {
      for (const target of [Object.getPrototypeOf(vcpu) as object, Object.getPrototypeOf(vcpu.regs) as object, Object.getPrototypeOf(vcpu.flags) as object]) {
        seen.add(target);
        try {
          (target as Record<string, unknown>).skip = () => undefined;
          attempts.push("assigned");
        } catch {
          attempts.push("refused");
        }
      }
      const skip = (Object.getPrototypeOf(vcpu) as { skip: object }).skip;
      try {
        (skip as Record<string, unknown>).planted = true;
      } catch {
        attempts.push("refused");
      }
      vcpu.skip();
    };
    const r = run(loop, withCli(tamper), 400);
    expect(r.stop.kind).toBe("budget");
    expect(seen.size).toBe(3);
    expect(attempts.length).toBeGreaterThan(3);
    expect(new Set(attempts)).toEqual(new Set(["refused"]));
  });

  it("cannot hang the host: a handler that never lets the guest advance is stopped by the guest-instruction budget", () => {
    const r = run(loop, withCli((vcpu) => vcpu.jump(vcpu.insn.pc)), 5000);
    expect(r.stop.kind).toBe("budget");
    expect(r.finalState.retired).toBe(5000);
  });

  it("undo a handler's changes when the guest access it made faults, and reflect the fault instead", () => {
    // POPF with the stack pointer in unmapped space: the reference handler's pop() faults before IF changes.
    const source = "_start:\n  mov sp, 0x100000\n  popf\n";
    const native = runNative(assemble(source), SMALL);
    const virtualized = run(source);
    expect(virtualized.stop).toEqual(native.stop);
  });
});
