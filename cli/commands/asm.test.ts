// Tests for `vmlab asm`: a source with .include and .macro assembles from the disk, and an error in an included file names it.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";

async function vmlab(argv: string[], files: Record<string, string>): Promise<{ code: number; out: string; err: string; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "vmlab-asm-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, name)), { recursive: true });
    writeFileSync(join(cwd, name), text);
  }
  let out = "";
  let err = "";
  const code = await main(argv, { cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {} });
  return { code, out, err, cwd };
}

const files = {
  "src/main.s": '.include "lib/out.s"\n_start:\n    PUT 7\n    PUT 9\n',
  "src/lib/out.s": ".macro PUT value\n    mov r1, \\value\n    out 0x11, r1\n.endm\n",
};

describe("vmlab asm", () => {
  it("reads a source's includes relative to the source's folder, and expands its macros", async () => {
    const r = await vmlab(["asm", "src/main.s", "-o", "main.bin"], files);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe("main.bin: 24 bytes at 0x0, entry 0x0\n");
    expect(readFileSync(join(r.cwd, "main.bin")).length).toBe(24);
  });

  it("reports an error in a macro from an included file at that file's line, with the call site, and exit code 2", async () => {
    const r = await vmlab(["asm", "src/main.s", "-o", "main.bin"], { ...files, "src/lib/out.s": files["src/lib/out.s"].replace("out 0x11", "otu 0x11") });
    expect(r.code).toBe(2);
    expect(r.err).toContain("src/lib/out.s:3:5: error: unknown mnemonic 'otu'");
    expect(r.err).toContain("  in macro 'PUT' (src/lib/out.s:1), called from src/main.s:3");
    expect(r.err).toContain("hint: did you mean 'out'?");
  });

  it("says where it looked for an included file that is missing", async () => {
    const r = await vmlab(["asm", "src/main.s", "-o", "main.bin"], { "src/main.s": files["src/main.s"] });
    expect(r.code).toBe(2);
    expect(r.err).toContain("cannot include 'lib/out.s': looked for 'src/lib/out.s', which does not exist");
  });
});
