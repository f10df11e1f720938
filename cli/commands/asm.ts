// `vmlab asm` and `vmlab disasm`: assemble a source to a flat binary image, and list a binary as assembly that re-assembles to it.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { assemble, readerFromDisk } from "../../src/isa/assembler.js";
import { disassemble, formatListing } from "../../src/isa/disassembler.js";
import { type CliContext, CliError, EXIT, parseAddress } from "../context.js";
import { readInput } from "../input.js";
import { requireContent } from "../guest-input.js";
import { counted } from "../../src/core/plural.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("asm")
    .description("assemble a source file to a flat binary image (from its lowest address; gaps are zero)")
    .argument("<file>", "assembly source (.s); its .include paths are relative to the including file")
    .requiredOption("-o, --output <out>", "binary file to write")
    .action((file: string, opts: { output: string }) => {
      const source = readInput(ctx.cwd, file, "utf8");
      const program = requireContent(assemble(source, { file, readFile: readerFromDisk(ctx.cwd) }), file, "assemble");
      const image = program.image();
      try {
        writeFileSync(resolve(ctx.cwd, opts.output), image.bytes);
      } catch (e) {
        throw new CliError("CLI_CANNOT_WRITE", `cannot write '${opts.output}': ${(e as Error).message}`, EXIT.USAGE);
      }
      ctx.stdout(`${opts.output}: ${counted(image.bytes.length, "byte")} at 0x${image.base.toString(16)}, entry 0x${program.entry.toString(16)}\n`);
    });
  program
    .command("disasm")
    .description("disassemble a flat binary image; the listing re-assembles to the same bytes")
    .argument("<file>", "binary image")
    .option("--origin <address>", "address of the first byte (decimal or 0x hex)", "0")
    .action((file: string, opts: { origin: string }) => {
      const origin = parseAddress(opts.origin, "--origin");
      const bytes = readInput(ctx.cwd, file);
      if (origin + bytes.length > 2 ** 32) {
        throw new CliError("CLI_BAD_ADDRESS", `'${file}' (${bytes.length.toLocaleString("en-US")} bytes) at --origin 0x${origin.toString(16)} would run past the end of the 32-bit address space`, EXIT.USAGE, "give a lower --origin");
      }
      ctx.stdout(formatListing(disassemble(bytes, { origin })));
    });
}
