// The list of `vmlab` subcommands: each module registers itself on the program; only the one being run is loaded.
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/** Every subcommand, in help order: its name and how to load the module that registers it. Add one line per command module. */
const COMMANDS: readonly { readonly name: string; readonly load: () => Promise<{ register: RegisterCommand }> }[] = [
  { name: "run", load: () => import("./run.js") },
  { name: "check", load: () => import("./check.js") },
  { name: "guests", load: () => import("./guests.js") },
  { name: "asm", load: () => import("./asm.js") },
  { name: "isa", load: () => import("./isa.js") },
  { name: "bench", load: () => import("./bench.js") },
  { name: "pg", load: () => import("./pg.js") },
  { name: "grade", load: () => import("./grade.js") },
  { name: "grade-batch", load: () => import("./grade-batch.js") },
  { name: "grade-merge", load: () => import("./grade-merge.js") },
  { name: "regrade", load: () => import("./regrade.js") },
  { name: "similarity", load: () => import("./similarity.js") },
  { name: "lab", load: () => import("./lab.js") },
  { name: "autograde", load: () => import("./autograde.js") },
  { name: "demo", load: () => import("./demo.js") },
  { name: "sim", load: () => import("./sim.js") },
  { name: "docker", load: () => import("./docker.js") },
];

/** The names of every subcommand, in help order. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

/**
 * The register functions the program needs for these arguments: the named command's alone when the first
 * argument names one (a `vmlab grade` loads neither the notebooks' helpers nor the container model), none for
 * `--version`, every command otherwise (help, an unknown command and its did-you-mean).
 */
export async function commandModules(argv: readonly string[] = []): Promise<RegisterCommand[]> {
  const named = COMMANDS.find((c) => c.name === argv[0]);
  const wanted = named ? [named] : argv.length === 1 && (argv[0] === "-V" || argv[0] === "--version") ? [] : COMMANDS;
  return (await Promise.all(wanted.map((c) => c.load()))).map((m) => m.register);
}
