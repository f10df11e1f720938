// `vmlab asm` and `vmlab disasm`: assemble a source to a flat binary image, and list a binary as assembly that re-assembles to it.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { assemble } from "../../isa/assembler.js";
import { disassemble, formatListing } from "../../isa/disassembler.js";
import { type CliContext, CliError, EXIT, parseCount } from "../context.js";
import { readInput } from "../input.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("asm")
    .description("assemble a source file to a flat binary image (from its lowest address; gaps are zero)")
    .argument("<file>", "assembly source (.s)")
    .requiredOption("-o, --output <out>", "binary file to write")
    .action((file: string, opts: { output: string }) => {
      const program = assemble(readInput(ctx.cwd, file, "utf8"), { file });
      const image = program.image();
      try {
        writeFileSync(resolve(ctx.cwd, opts.output), image.bytes);
      } catch (e) {
        throw new CliError("CLI_CANNOT_WRITE", `cannot write '${opts.output}': ${(e as Error).message}`, EXIT.USAGE);
      }
      ctx.stdout(`${opts.output}: ${image.bytes.length} bytes at 0x${image.base.toString(16)}, entry 0x${program.entry.toString(16)}\n`);
    });
  program
    .command("disasm")
    .description("disassemble a flat binary image; the listing re-assembles to the same bytes")
    .argument("<file>", "binary image")
    .option("--origin <address>", "address of the first byte", "0")
    .action((file: string, opts: { origin: string }) => {
      const origin = opts.origin.startsWith("0x") ? parseInt(opts.origin, 16) : parseCount(opts.origin, "--origin");
      if (!Number.isFinite(origin)) throw new CliError("CLI_BAD_NUMBER", `--origin expects an address, got '${opts.origin}'`);
      const bytes = readInput(ctx.cwd, file);
      ctx.stdout(`.org 0x${origin.toString(16)}\n` + formatListing(disassemble(bytes, { origin })) + "\n");
    });
}
