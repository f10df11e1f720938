// Resolve a command's guest argument: an assembly file, or the name of a bundled guest.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { assemble } from "../src/isa/assembler.js";
import { suggest } from "../src/core/suggest.js";
import { buildGuest, listGuests } from "../src/guests/index.js";
import type { Loadable } from "../src/machine/machine.js";
import { MAX_MEMORY } from "../src/machine/memory.js";
import type { Program } from "../src/isa/assembler.js";
import { CliError, EXIT } from "./context.js";
import { readInput } from "./input.js";

/** A guest ready to load, and where it came from. */
export interface ResolvedGuest {
  readonly loadable: Loadable;
  /** Physical memory the guest needs at least. */
  readonly memoryBytes: number;
  readonly label: string;
  readonly expectedConsole?: string;
}

/** `file.s` (relative to cwd) or a bundled guest name (`vmlab guests` lists them). */
export function resolveGuest(cwd: string, arg: string, defines?: Record<string, number>): ResolvedGuest {
  const names = listGuests().map((g) => g.name);
  const isFile = arg.endsWith(".s") || arg.includes("/") || existsSync(resolve(cwd, arg));
  if (!isFile && names.includes(arg)) {
    const build = buildGuest(arg, defines ? { defines } : {});
    return { loadable: build, memoryBytes: build.memoryBytes, label: `bundled guest '${arg}'`, ...(build.expectedConsole !== undefined ? { expectedConsole: build.expectedConsole } : {}) };
  }
  if (!isFile) {
    const near = suggest(arg, names);
    throw new CliError("CLI_NO_SUCH_GUEST", `'${arg}' is neither a file nor a bundled guest`, EXIT.USAGE,
      near ? `did you mean the bundled guest '${near}'? (vmlab guests lists them all)` : "give a path to an assembly file, or run 'vmlab guests' for the bundled ones");
  }
  const program = requireContent(assemble(readInput(cwd, arg, "utf8"), { file: arg, ...(defines ? { defines } : {}) }), arg, "run");
  const end = Math.max(4096, ...program.segments.map((s) => s.address + s.bytes.length));
  if (end > MAX_MEMORY) {
    throw new CliError("CLI_GUEST_TOO_LARGE", `${arg} places bytes up to 0x${end.toString(16)}, beyond the 1 GiB of physical memory a machine can have`, EXIT.USAGE,
      "a guest is loaded at its physical addresses: keep its .org below 0x40000000 (with paging on, map high virtual addresses to low frames)");
  }
  return { loadable: program, memoryBytes: Math.ceil(end / 4096) * 4096, label: arg };
}

/** A program with no bytes cannot be run or written out: say so instead of running zeroed memory into a triple fault. */
export function requireContent(program: Program, file: string, verb: "run" | "assemble"): Program {
  if (program.segments.some((s) => s.bytes.length > 0)) return program;
  throw new CliError("CLI_EMPTY_PROGRAM", `${file} holds no instructions or data: there is nothing to ${verb}`, EXIT.USAGE,
    "write at least one instruction (execution starts at _start, or at the first instruction); `vmlab guests` lists examples");
}
