// Tests for the notebook self-checks: a right answer passes, a wrong one is told what is wrong.
import { format } from "node:util";
import { describe, expect, it } from "vitest";
import { fixedKeepAlive, noUnloading, type KeepAlivePolicy } from "../serverless/keep-alive.js";
import {
  checkInterruptDelivery,
  checkKeepAlivePolicy,
  checkEquivalentRuns,
  checkRegisters,
  checkSensitiveUnprivileged,
  checkTheorem1,
  checkView,
  selfCheck,
  SelfCheckFailed,
  type InstructionClass,
  type LectureCpu,
} from "./checks.js";

const strict: InstructionClass[] = [
  { mnemonic: "ADD", sensitive: false, privileged: false },
  { mnemonic: "CLI", sensitive: true, privileged: true },
  { mnemonic: "POPF", sensitive: true, privileged: true },
];
const x86: InstructionClass[] = [
  { mnemonic: "ADD", sensitive: false, privileged: false },
  { mnemonic: "CLI", sensitive: true, privileged: true },
  { mnemonic: "POPF", sensitive: true, privileged: false },
  { mnemonic: "PUSHCS", sensitive: true, privileged: false },
];

describe("checkRegisters", () => {
  it("passes when every expected register holds its value", () => {
    const result = checkRegisters([{ name: "r1", value: 55 }, { name: "r2", value: 0 }], { r1: 55 });
    expect(result.ok).toBe(true);
    expect(result.passed).toEqual(["r1 is 55"]);
  });

  it("says which register is wrong and what it holds", () => {
    const result = checkRegisters([{ name: "r1", value: 45 }], { r1: 55, r9: 1 });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      "r1 is 45 (0x0000002d); expected 55 (0x00000037)",
      "there is no register named r9 (registers: r1)",
    ]);
  });

  it("compares values as 32-bit words, so -1 equals 0xffffffff", () => {
    expect(checkRegisters([{ name: "r1", value: 0xffffffff }], { r1: -1 }).ok).toBe(true);
  });
});

describe("checkInterruptDelivery", () => {
  const right = (cpu: LectureCpu, handler: number): void => {
    if (cpu.IRQ && cpu.IE) {
      cpu.IE = 0;
      cpu.LR = cpu.PC;
      cpu.PC = handler;
    }
  };

  it("passes the lecture's rule: deliver only when IRQ and IE are both set", () => {
    const result = checkInterruptDelivery(right);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("tells a student who ignores IE that CLI must hold interrupts back", () => {
    const result = checkInterruptDelivery((cpu, handler) => {
      if (cpu.IRQ) {
        cpu.IE = 0;
        cpu.LR = cpu.PC;
        cpu.PC = handler;
      }
    });
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/with IE=0 \(after CLI\) a pending interrupt must wait/);
  });

  it("tells a student who forgets to clear IE why it matters", () => {
    const result = checkInterruptDelivery((cpu, handler) => {
      if (cpu.IRQ && cpu.IE) {
        cpu.LR = cpu.PC;
        cpu.PC = handler;
      }
    });
    expect(result.problems).toEqual([expect.stringMatching(/must clear IE/)]);
  });

  it("reports a function that replaces the general registers instead of crashing on them", () => {
    const result = checkInterruptDelivery((cpu) => {
      (cpu as { GPR: unknown }).GPR = undefined;
    });
    expect(result.problems).toContain("delivering an interrupt must not change the general registers");
  });

  it("reports an exception from the student's code as a problem instead of crashing", () => {
    const result = checkInterruptDelivery(() => {
      throw new Error("not written yet");
    });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/threw Error: not written yet/);
  });
});

describe("checkTheorem1", () => {
  const right = (t: readonly InstructionClass[]): boolean => t.every((i) => !i.sensitive || i.privileged);

  it("passes 'every sensitive instruction is privileged' on hand-made and measured ISAs", () => {
    const result = checkTheorem1(right, [{ profile: "strict", instructions: strict }, { profile: "x86", instructions: x86 }]);
    expect(result.problems).toEqual([]);
    expect(result.passed.join("\n")).toMatch(/measured x86 profile: not virtualizable \(POPF, PUSHCS are sensitive but not privileged there\)/);
  });

  it("tells a student who demands sensitive == privileged that extra privileged instructions are fine", () => {
    const wrong = (t: readonly InstructionClass[]): boolean => t.every((i) => i.sensitive === i.privileged);
    const result = checkTheorem1(wrong);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/privileged instruction that is not sensitive.*sensitive ⊆ privileged/)]);
  });

  it("tells a student whose function answers something other than a boolean", () => {
    const result = checkTheorem1(() => "yes" as unknown as boolean);
    expect(result.problems[0]).toMatch(/returned yes; it should return true or false/);
  });
});

describe("checkSensitiveUnprivileged", () => {
  it("passes the exact set, in any order and case", () => {
    expect(checkSensitiveUnprivileged(["pushcs", "POPF"], x86, "x86").ok).toBe(true);
  });

  it("names missing, wrongly included and unknown instructions", () => {
    const result = checkSensitiveUnprivileged(["POPF", "CLI", "FOO"], x86, "x86");
    expect(result.problems).toEqual([
      "CLI is not sensitive-but-unprivileged on x86: it is sensitive and privileged",
      "FOO is not one of the measured instructions",
      "PUSHCS is missing: it is sensitive on x86 and does not trap at CPL 3",
    ]);
  });
});

describe("selfCheck", () => {
  it("shows a green box and returns when the answer is right", () => {
    const shown: string[] = [];
    selfCheck(checkRegisters([{ name: "r1", value: 1 }], { r1: 1 }), (v) => shown.push(v.text));
    expect(shown).toEqual(["✓ Guest registers: right.\n  ✓ r1 is 1"]);
  });

  it("shows a red box and throws a SelfCheckFailed listing every problem when it is wrong", () => {
    const shown: string[] = [];
    const result = checkRegisters([{ name: "r1", value: 2 }], { r1: 1 });
    expect(() => selfCheck(result, (v) => shown.push(v.body))).toThrow(SelfCheckFailed);
    expect(shown[0]).toContain('class="vmlab-check bad"');
    expect(shown[0]).toContain("<li>r1 is 2 (0x00000002); expected 1 (0x00000001)</li>");
    expect(() => selfCheck(result, () => undefined)).toThrow(/^Guest registers: not right yet \(1 problem, listed above\)$/);
  });

  it("prints as one line pointing at the verdict box, as the kernel shows an uncaught error: the problems are not repeated, no stack trace, no dump of the result", () => {
    let thrown: unknown;
    try {
      selfCheck(checkRegisters([{ name: "r1", value: 0 }], { r1: 42 }, "42 in r1"), () => undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SelfCheckFailed);
    expect(format(thrown)).toBe("SelfCheckFailed: 42 in r1: not right yet (1 problem, listed above)");
    expect((thrown as SelfCheckFailed).result.problems).toEqual(["r1 is 0 (0x00000000); expected 42 (0x0000002a)"]);
    expect((thrown as SelfCheckFailed).result.ok).toBe(false);
  });

  it("renders the verdict headline in both forms", () => {
    const view = checkView({ ok: false, title: "T", problems: ["p"], passed: [] });
    expect(view.text).toBe("✗ T: not right yet.\n  ✗ p");
  });

  it("lets a demonstration word its headline differently", () => {
    const view = checkView({ ok: false, title: "x86", problems: ["p"], passed: [] }, { ok: "equivalent", bad: "not equivalent" });
    expect(view.text.split("\n")[0]).toBe("✗ x86: not equivalent.");
  });
});

describe("checkEquivalentRuns", () => {
  const native = {
    console: "ring 0\n",
    verdict: "powered off with code 0",
    interrupts: [{ time: 50, vector: 32 }],
    finalState: { pc: 0x40, registers: [0, 1, 2], IF: false, memoryHash: "abc" },
  };

  it("passes a monitored run that the guest cannot tell from the native one", () => {
    const result = checkEquivalentRuns(native, structuredClone(native));
    expect(result.problems).toEqual([]);
    expect(result.passed).toContain('same console output ("ring 0\\n")');
    expect(result.passed).toContain("the same 1 interrupt arrived at the same guest times");
  });

  it("counts interrupts in words that read right for none, one and many", () => {
    const none = { ...structuredClone(native), interrupts: [] };
    expect(checkEquivalentRuns(none, structuredClone(none)).passed).toContain("no interrupt arrived in either run");
    const two = { ...structuredClone(native), interrupts: [{ time: 50, vector: 32 }, { time: 90, vector: 32 }] };
    expect(checkEquivalentRuns(two, structuredClone(two)).passed).toContain("the same 2 interrupts arrived at the same guest times");
  });

  it("says where the console output diverges and what each run printed", () => {
    const result = checkEquivalentRuns(native, { ...structuredClone(native), console: "ring 3\n" });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['the console differs from character 5: natively the guest printed "ring 0\\n", under the monitor "ring 3\\n"']);
  });

  it("reports a missing interrupt and a register that ended differently", () => {
    const result = checkEquivalentRuns(native, { ...structuredClone(native), interrupts: [], finalState: { ...native.finalState, registers: [0, 9, 2] } });
    expect(result.problems).toEqual([
      "the native guest took 1 interrupt, the monitored one only 0: interrupt 1 (vector 32 at guest time 50) never arrived",
      "final registers differ: r1 is 9 instead of 1",
    ]);
  });

  it("reports an interrupt delivered at the wrong guest time", () => {
    const result = checkEquivalentRuns(native, { ...structuredClone(native), interrupts: [{ time: 51, vector: 32 }] });
    expect(result.problems).toEqual(["interrupt 1 arrived at guest time 51 (vector 32) under the monitor but at 50 (vector 32) natively"]);
  });
});

describe("checkKeepAlivePolicy", () => {
  const MIN = 60_000;
  const lastIdleTime = (): KeepAlivePolicy => ({
    name: "last-idle-time",
    forApp() {
      let last: number | undefined;
      return {
        onInvocation: (_now, idle) => {
          if (idle !== undefined) last = idle;
        },
        windows: () => (last === undefined ? { preWarmMs: 0, keepAliveMs: 240 * MIN } : { preWarmMs: 0.9 * last, keepAliveMs: 0.2 * last }),
      };
    },
  });

  it("passes a policy that pre-warms just before the next expected invocation", () => {
    const result = checkKeepAlivePolicy(lastIdleTime);
    expect(result.problems).toEqual([]);
    expect(result.passed).toHaveLength(4);
  });

  it("tells a fixed 10-minute keep-alive that the timers start cold", () => {
    const result = checkKeepAlivePolicy(() => fixedKeepAlive(10 * MIN));
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toBe("on the 15-minute timer 96 of 96 invocations started cold (100%); at most 10% may");
  });

  it("tells a policy that never unloads that it holds too much memory", () => {
    const result = checkKeepAlivePolicy(noUnloading);
    expect(result.problems.some((p) => /idle instances held \d+ GB-s; never unloading holds/.test(p))).toBe(true);
  });

  it("reports a policy that throws as a problem, not a crash", () => {
    const result = checkKeepAlivePolicy(() => ({ name: "broken", forApp: () => ({ onInvocation: () => undefined, windows: () => { throw new Error("not written yet"); } }) }));
    expect(result.problems[0]).toBe("your policy on the 15-minute timer threw Error: not written yet");
  });
});
