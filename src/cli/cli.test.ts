// The vmlab command, run in-process: what people see, and the exit codes scripts rely on.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "./main.js";
import { vmlabRoot } from "../package-root.js";

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

  it("names the MOV r, CS that reveals the ring on the x86 profile", async () => {
    const r = await vmlab(["check", "ring-check", "--profile", "x86"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first divergence after guest instruction \d+: mov r\d+, cs at 0x/);
  });
});

describe("vmlab guests and help", () => {
  it("lists the bundled guests with what they do", async () => {
    const r = await vmlab(["guests", "--json"]);
    const names = JSON.parse(r.stdout).map((g: { name: string }) => g.name);
    expect(names).toEqual(expect.arrayContaining(["hello", "primes", "sort", "popf-irq", "ring-check"]));
  });

  it("suggests the command meant by a typo", async () => {
    const r = await vmlab(["rnu"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'rnu'[\s\S]*Did you mean run\?/);
  });
});

describe("vmlab isa", () => {
  it("prints one reference-card row per table form, with its privilege on each profile", async () => {
    const { INSTRUCTIONS } = await import("../isa/table.js");
    const r = await vmlab(["isa", "--format", "json"]);
    const rows = JSON.parse(r.stdout) as { name: string; syntax: string; strict: string; x86: string }[];
    expect(rows.map((row) => row.name)).toEqual(INSTRUCTIONS.map((s) => s.name));
    expect(rows.find((row) => row.name === "POPF")).toMatchObject({ syntax: "popf", strict: "privileged", x86: "sensitive" });
    const md = await vmlab(["isa", "--format", "markdown", "--family", "io"]);
    expect(md.stdout.split("\n").filter((l) => l.startsWith("| ")).map((l) => l.split(" | ")[0])).toEqual(["| syntax", "| ---", "| in rd, port", "| out port, rs"]);
  });
});

describe("vmlab check --handlers", () => {
  beforeAll(async () => {
    const { ensureChildBuilt } = await import("../../grader/src/sandbox/built.js");
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
