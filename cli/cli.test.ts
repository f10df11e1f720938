// The vmlab command, run in-process: what people see, and the exit codes scripts rely on.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "./main.js";
import { vmlabRoot } from "../src/core/package-root.js";

/** Run the CLI in a scratch directory holding `files`; capture both streams and the exit code. */
async function vmlab(args: string[], files: Record<string, string | Uint8Array> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "vmlab-cli-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), content);
  let stdout = "";
  let stderr = "";
  const code = await main(args, { cwd, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {} });
  return { code, stdout, stderr, cwd };
}

const sum = `
_start:
  mov r1, 0
  mov r2, 10
.loop:
  add r1, r1, r2
  sub r2, r2, 1
  jnz .loop
  out 0x11, r1
  mov r1, 0
  out 0xf0, r1
`;

describe("vmlab run", () => {
  it("prints what the guest wrote, why it stopped, registers, counters and cycles", async () => {
    const r = await vmlab(["run", "sum.s"], { "sum.s": sum });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^55\n--- powered off with exit code 0/);
    expect(r.stdout).toMatch(/retired\s+35/); // 2 + 10 × 3 + 3
    expect(r.stdout).toMatch(/cycles: [\d,]+/);
  });

  it("prints one JSON object with console, stop, registers, counters and cycles", async () => {
    const r = await vmlab(["run", "sum.s", "--json"], { "sum.s": sum });
    const out = JSON.parse(r.stdout);
    expect(out.console).toBe("55");
    expect(out.stop).toMatchObject({ kind: "poweroff", code: 0 });
    expect(out.registers).toHaveLength(16);
    expect(out.counters.retired).toBe(35);
    expect(out.cycles).toBeGreaterThan(37);
  });

  it("traces each instruction with the registers it changed", async () => {
    const r = await vmlab(["run", "sum.s", "--trace"], { "sum.s": sum });
    expect(r.stdout).toMatch(/0x00000000  mov r1, 0/);
    expect(r.stdout).toMatch(/add r1, r1, r2\s+; r1=0x0000000a/);
  });

  it("traces an interrupt delivery as its own line, and the handler's first instruction where it ran", async () => {
    const r = await vmlab(["run", "popf-irq", "--trace", "--max-steps", "300"]);
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => /^0x[0-9a-f]{8} {2}\(IRQ0 timer delivered\) +; sp=0x[0-9a-f]{8} → 0x000000d4$/.test(l));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^0x000000d4 {2}push r1 /);
    expect(lines.slice(0, -1).filter((l) => /^0x/.test(l) && !l.includes("delivered"))).toHaveLength(300);
  });

  it("runs on the engine --engine names, with the same output on each, natively and under trap-and-emulate; an engine for the bt monitor is a usage error", async () => {
    const interp = await vmlab(["run", "hello", "--json"]);
    const ref = await vmlab(["run", "hello", "--json", "--engine", "reference"]);
    expect(ref.code).toBe(0);
    expect(ref.stdout).toBe(interp.stdout);
    const monitored = await vmlab(["run", "hello", "--json", "--monitor", "trap"]);
    const monitoredRef = await vmlab(["run", "hello", "--json", "--engine", "reference", "--monitor", "trap"]);
    expect(monitoredRef.code).toBe(0);
    expect(monitoredRef.stdout).toBe(monitored.stdout);
    const bt = await vmlab(["run", "hello", "--engine", "dbt", "--monitor", "bt"]);
    expect(bt.code).toBe(2);
    expect(bt.stderr).toContain("the bt monitor runs on its own translator");
    const translated = await vmlab(["run", "hello", "--json", "--engine", "dbt"]);
    expect(translated.code).toBe(0);
    expect(translated.stdout).toBe(interp.stdout);
    const unknown = await vmlab(["run", "hello", "--engine", "jit"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/interpreter, reference, dbt/);
  });

  it("runs a bundled guest by name, natively and under the trap-and-emulate monitor", async () => {
    const bare = await vmlab(["run", "hello"]);
    expect(bare.stdout).toContain("Hello from user mode!");
    const trap = await vmlab(["run", "hello", "--monitor", "trap"]);
    expect(trap.code).toBe(0);
    expect(trap.stdout).toContain("Hello from user mode!");
    expect(trap.stdout).toMatch(/trap-and-emulate \(strict\): powered off with code 0/);
    expect(trap.stdout).toMatch(/exits\s+\d+/);
  });

  it("stops a runaway guest at --max-steps with exit code 1 and says so", async () => {
    const r = await vmlab(["run", "loop.s", "--max-steps", "1000"], { "loop.s": "_start: jmp _start\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("the step budget ran out after 1,000 instructions");
  });

  it("explains an invalid opcode with no guest handler as a triple fault at that address", async () => {
    const r = await vmlab(["run", "bad.s"], { "bad.s": "_start:\n  nop\n  .word 0xff000000\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/triple fault at 0x00000004: #UD invalid opcode could not be delivered \(IDT gate 6 is not present/);
  });

  it("answers a missing file, an assembly error, an unknown flag and a bad number with one message and exit 2", async () => {
    const missing = await vmlab(["run", "nope.s"], { "nop.s": "" });
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toMatch(/cannot read 'nope.s': no such file\nhint: did you mean 'nop.s'\?/);

    const asm = await vmlab(["run", "typo.s"], { "typo.s": "_start:\n  ldw r1, [r2]\n" });
    expect(asm.code).toBe(2);
    expect(asm.stderr).toMatch(/typo.s:2:3: error: unknown mnemonic 'ldw'[\s\S]*hint: did you mean 'ld'\?/);
    expect(asm.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const flag = await vmlab(["run", "sum.s", "--bogus"], { "sum.s": sum });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--bogus'");

    const count = await vmlab(["run", "sum.s", "--max-steps", "lots"], { "sum.s": sum });
    expect(count.code).toBe(2);
    expect(count.stderr).toContain("--max-steps expects a whole number, got 'lots'");
  });

  /** One `error: …` message on stderr, nothing on stdout, exit 2, and no stack trace or internal error. */
  function refusedOnce(r: { code: number; stdout: string; stderr: string }, message: RegExp) {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr.match(/error: /g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/internal|RangeError|\n\s+at /);
    expect(r.stderr.length).toBeLessThan(1500);
  }

  it.each([
    ["4294967296", /--memory 4294967296 is more than the 1 GiB/],
    ["1073745920", /--memory 1073745920 is more than the 1 GiB/],
    ["0", /--memory 0 is less than one 4 KiB page/],
    ["12", /--memory 12 is less than one 4 KiB page/],
    ["10000", /--memory 10000 is not a whole number of 4 KiB pages[\s\S]*e\.g\. --memory 12288/],
  ])("refuses --memory %s with one message and exit 2", async (memory, message) => {
    refusedOnce(await vmlab(["run", "sum.s", "--memory", memory], { "sum.s": sum }), message);
  });

  it("refuses a program placed beyond the largest memory instead of failing inside the machine", async () => {
    refusedOnce(await vmlab(["run", "org.s"], { "org.s": ".org 0x40000000\n_start: hlt\n" }), /^error: org.s places bytes up to 0x40000004, beyond the 1 GiB/);
  });

  it.each([
    ["an empty file", ""],
    ["a file of comments", "; nothing here\n\n// nor here\n"],
  ])("refuses %s: there is nothing to run or assemble", async (_what, text) => {
    refusedOnce(await vmlab(["run", "empty.s"], { "empty.s": text }), /^error: empty.s holds no instructions or data: there is nothing to run/);
    refusedOnce(await vmlab(["asm", "empty.s", "-o", "e.bin"], { "empty.s": text }), /there is nothing to assemble/);
  });

  it.each([
    ["100 000 nested parentheses", "(".repeat(100_000) + "1" + ")".repeat(100_000), /expression nested more than 100 levels deep/],
    ["a 200 000-term sum", Array(200_000).fill("1").join("+"), /more than 1000 operators/],
    ["a megabyte number", "1".repeat(1_000_000), /number '1{30}…' \(1,000,000 characters\) is too large/],
  ])("answers %s with one short assembler error", async (_what, expression, message) => {
    refusedOnce(await vmlab(["run", "big.s"], { "big.s": `_start: mov r1, ${expression}\n` }), message);
  });

  it("suggests a bundled guest for a near-miss name", async () => {
    const r = await vmlab(["run", "prime"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean the bundled guest 'primes'?");
  });
});

describe("vmlab asm and disasm", () => {
  it("assembles to a flat image whose listing re-assembles to the same bytes", async () => {
    const a = await vmlab(["asm", "sum.s", "-o", "sum.bin"], { "sum.s": sum });
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/sum.bin: \d+ bytes at 0x0, entry 0x0/);
    const bin = readFileSync(join(a.cwd, "sum.bin"));
    const d = await vmlab(["disasm", "sum.bin"], { "sum.bin": bin });
    expect(d.stdout).toContain("add r1, r1, r2");
    const again = await vmlab(["asm", "listing.s", "-o", "again.bin"], { "listing.s": d.stdout });
    expect(readFileSync(join(again.cwd, "again.bin")).equals(bin)).toBe(true);
  });

  it("opens the listing with one .org", async () => {
    const d = await vmlab(["disasm", "x.bin"], { "x.bin": new Uint8Array([1, 0, 0, 1]) });
    expect(d.stdout.match(/\.org/g)).toEqual([".org"]);
  });

  it("lists an image at an unaligned origin so that it re-assembles: bytes up to the word boundary, then instructions", async () => {
    const a = await vmlab(["asm", "sum.s", "-o", "sum.bin"], { "sum.s": sum });
    const bin = new Uint8Array([0xaa, 0xbb, 0xcc, ...readFileSync(join(a.cwd, "sum.bin"))]);
    const d = await vmlab(["disasm", "x.bin", "--origin", "0x1001"], { "x.bin": bin });
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/\.org 0x1001\n\s+\.byte 0xaa, 0xbb, 0xcc/);
    expect(d.stdout).toContain("add r1, r1, r2");
    const again = await vmlab(["asm", "listing.s", "-o", "again.bin"], { "listing.s": d.stdout });
    expect(again.code).toBe(0);
    expect(new Uint8Array(readFileSync(join(again.cwd, "again.bin")))).toEqual(bin);
  });

  it.each([
    ["0x100000000", /--origin 0x100000000 is beyond the 32-bit address space/],
    ["0xfffffffe", /would run past the end of the 32-bit address space/],
    ["start", /--origin expects an address \(decimal or 0x hex\), got 'start'/],
  ])("refuses --origin %s", async (origin, message) => {
    const r = await vmlab(["disasm", "x.bin", "--origin", origin], { "x.bin": new Uint8Array(8) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe("vmlab check", () => {
  it("finds the strict profile's run equivalent and exits 0", async () => {
    const r = await vmlab(["check", "popf-irq", "--profile", "strict"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("equivalent: the guest saw the same");
    expect(r.stdout).toMatch(/overhead: [\d.]+× the native cycles/);
  });

  it("names the POPF that diverges on the x86 profile and exits 1", async () => {
    const r = await vmlab(["check", "popf-irq", "--profile", "x86", "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.equivalent).toBe(false);
    expect(out.divergence.disassembly).toBe("popf");
    expect(out.divergence.differences).toContain("IF: native 1, virtualized 0");
    expect(out.overhead).toBeGreaterThan(0);
  });

  it("checks on the engine --engine names, with the same report on each", async () => {
    const interp = JSON.parse((await vmlab(["check", "popf-irq", "--profile", "x86", "--json"])).stdout);
    const translated = await vmlab(["check", "popf-irq", "--profile", "x86", "--json", "--engine", "dbt"]);
    expect(translated.code).toBe(1);
    const out = JSON.parse(translated.stdout);
    expect(out.engine).toBe("dbt");
    expect({ ...out, engine: interp.engine }).toEqual(interp);
    const equivalent = await vmlab(["check", "hello", "--engine", "reference"]);
    expect(equivalent.code).toBe(0);
    expect(equivalent.stdout).toContain("equivalent");
  });

  it("finds the same x86 guest equivalent under binary translation, and says which monitor it checked", async () => {
    const r = await vmlab(["check", "popf-irq", "--profile", "x86", "--monitor", "bt"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^bundled guest 'popf-irq' on the x86 profile under binary translation:\n {2}equivalent: /);
  });

  it("adds the binary translator's statistics, callouts and inline sequences to the JSON of a run under binary translation", async () => {
    const r = await vmlab(["run", "popf-irq", "--profile", "x86", "--monitor", "bt", "--json"]);
    expect(r.code).toBe(0);
    const { counters } = JSON.parse(r.stdout);
    expect(counters.callouts).toBeGreaterThan(0);
    expect(counters.inlineSequences).toBeGreaterThan(0);
    expect(counters.translation.instructions).toBeGreaterThan(0);
    expect(counters.translation.entries).toBeGreaterThan(0);
  });

  it("names the MOV r, CS that reveals the ring on the x86 profile", async () => {
    const r = await vmlab(["check", "ring-check", "--profile", "x86"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT equivalent: the first divergence is after guest instruction \d+, mov r\d+, cs at 0x[0-9a-f]{8}:\n +native +virtualized\n +r8 +0x00000008 +0x0000001b\n/);
  });

  it("states the divergence once, with the native and the virtualized value side by side, then what it led to", async () => {
    const r = await vmlab(["check", "popf-irq", "--profile", "x86"]);
    expect(r.stdout.match(/\bIF\b/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/^ +IF +1 +0$/m);
    expect(r.stdout).toMatch(/by the end of the runs:\n +native +virtualized\n +console +"ticks \d+\\n" +"ticks 0\\n"/);
    expect(r.stdout).toMatch(/virtualized: powered off with code 0; [\d,]+ cycles; [\d,]+ exits, [\d,]+ emulated, 0 virtual interrupts/);
  });

  it("says a guest that relies on a stale TLB entry is outside the guarantee, and names no divergence", async () => {
    const STALE_TLB_GUEST = readFileSync(new URL("../src/analysis/testdata/stale-tlb.s", import.meta.url), "utf8");
    const r = await vmlab(["check", "stale.s"], { "stale.s": STALE_TLB_GUEST });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}outside the equivalence guarantee: on the bare machine this guest behaves differently with a 65,536-entry TLB/m);
    expect(r.stdout).not.toContain("NOT equivalent");
    const json = JSON.parse((await vmlab(["check", "stale.s", "--json"], { "stale.s": STALE_TLB_GUEST })).stdout);
    expect(json).toMatchObject({ equivalent: false, verdict: "outside-guarantee", divergence: null });
  });
});

describe("vmlab guests and help", () => {
  it("lists the bundled guests with what they do", async () => {
    const r = await vmlab(["guests", "--json"]);
    const names = JSON.parse(r.stdout).map((g: { name: string }) => g.name);
    expect(names).toEqual(expect.arrayContaining(["hello", "primes", "sort", "popf-irq", "ring-check"]));
  });

  it("prints the help on stdout and exits 0 when given no command, with the exit codes", async () => {
    const r = await vmlab([]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^Usage: vmlab \[options\] \[command\]/);
    expect(r.stdout).toMatch(/run \[options\] <guest>/);
    expect(r.stdout).toContain("Exit codes: 0 success, 1 a run or check did not succeed, 2 a usage or input error, 70 an internal error");
  });

  it("says it is not a TypeScript file when --handlers names something else", async () => {
    const r = await vmlab(["check", "hello", "--handlers", "README.md"], { "README.md": "# Lab 01\n\nSome `code` and text.\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: 'README.md' is not a TypeScript file: --handlers takes the .ts module that exports your handlers\nhint: give the file you wrote in lab 01, e.g. --handlers handlers.ts (it exports `handlers: TrapHandlers`)\n");
  });

  it("suggests the command meant by a typo", async () => {
    const r = await vmlab(["rnu"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'rnu'[\s\S]*Did you mean run\?/);
  });
});

describe("vmlab isa", () => {
  it("prints one reference-card row per table form, with its privilege on each profile", async () => {
    const { INSTRUCTIONS } = await import("../src/isa/table.js");
    const r = await vmlab(["isa", "--format", "json"]);
    const rows = JSON.parse(r.stdout) as { name: string; syntax: string; strict: string; x86: string }[];
    expect(rows.map((row) => row.name)).toEqual(INSTRUCTIONS.map((s) => s.name));
    expect(rows.find((row) => row.name === "POPF")).toMatchObject({ syntax: "popf", strict: "privileged", x86: "sensitive" });
    const md = await vmlab(["isa", "--format", "markdown", "--family", "io"]);
    expect(md.stdout.split("\n").filter((l) => l.startsWith("| ")).map((l) => l.split(" | ")[0])).toEqual(["| syntax", "| ---", "| in rd, port", "| out port, rs"]);
  });

  it("refuses a family it does not have, listing the families and suggesting a near one", async () => {
    const cpu = await vmlab(["isa", "--family", "cpu"]);
    expect(cpu).toMatchObject({ code: 2, stdout: "" });
    expect(cpu.stderr).toBe("error: unknown instruction family 'cpu'\nhint: families are alu, memory, stack, branch, system, io, misc\n");
    const typo = await vmlab(["isa", "--family", "sytem"]);
    expect(typo.stderr).toContain("hint: did you mean 'system'? families are alu");
  });
});

describe("vmlab check --handlers", () => {
  beforeAll(async () => {
    const { ensureChildBuilt } = await import("../grader/src/sandbox/built.js");
    await ensureChildBuilt();
  }, 180_000);

  const root = vmlabRoot();

  it("runs a student's own handlers in the sandbox and reports equivalence and overhead", async () => {
    const r = await vmlab(["check", "hello", "--handlers", join(root, "solutions/01-trap-and-emulate/handlers.ts"), "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.equivalent).toBe(true);
    expect(out.overhead).toBeGreaterThan(1);
  }, 60_000);

  it("says which handler is missing when the starter is checked, and exits 1", async () => {
    const r = await vmlab(["check", "hello", "--handlers", join(root, "exercises/01-trap-and-emulate/handlers.ts")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("did not finish: ");
    expect(r.stdout).toContain("Your `cli` handler threw Error: not implemented: cli");
  }, 60_000);

  it("shows TypeScript errors with file, line and column, and exits 2", async () => {
    const r = await vmlab(["check", "hello", "--handlers", "mine.ts"], { "mine.ts": 'export const handlers: number = "x";\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("mine.ts:1:14: Type 'string' is not assignable to type 'number'. (TS2322)");
  }, 60_000);
});
