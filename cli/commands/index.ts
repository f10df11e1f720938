// The list of `vmlab` subcommands: each module registers itself on the program.
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/** Every subcommand, in help order. Add one line per command module. */
export async function commandModules(): Promise<RegisterCommand[]> {
  const modules = [
    import("./run.js"),
    import("./check.js"),
    import("./guests.js"),
    import("./asm.js"),
    import("./isa.js"),
    import("./bench.js"),
    import("./pg.js"),
    import("./grade.js"),
    import("./grade-batch.js"),
    import("./grade-merge.js"),
    import("./regrade.js"),
    import("./lab.js"),
    import("./autograde.js"),
    import("./demo.js"),
    import("./sim.js"),
    import("./docker.js"),
  ];
  return (await Promise.all(modules)).map((m) => m.register);
}
