// The `vmlab` command: a thin layer over the library; every failure is one clear message and an exit code.
//
// `vmlab` alone prints the help on standard output and exits 0, as gh, docker, cargo and kubectl do: asking
// what a tool can do is not an error. An unknown command or option is one (`error: …` on standard error, exit 2).
import { Command, CommanderError } from "commander";
import { isVmlabError } from "../src/core/errors.js";
import { type CliContext, CliError, EXIT } from "./context.js";
import { commandModules } from "./commands/index.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { vmlabRoot } from "../src/core/package-root.js";

/** The package version, from package.json. */
function version(): string {
  return (JSON.parse(readFileSync(join(vmlabRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Run the CLI with arguments (without `node vmlab`); resolves to the exit code. */
export async function main(argv: string[], io: Partial<CliContext> = {}): Promise<number> {
  let exitCode = 0;
  const ctx: CliContext = {
    stdout: io.stdout ?? ((t) => void process.stdout.write(t)),
    stderr: io.stderr ?? ((t) => void process.stderr.write(t)),
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
    now: io.now ?? (() => Date.now()),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = new Command("vmlab")
    .description("vmlab: an emulated machine, virtual machine monitors, labs and a grader for a course on how computers are shared")
    .version(version(), "-V, --version")
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  program.addHelpText("after", `
Run 'vmlab <command> --help' for a command's options.
Exit codes: ${EXIT.OK} success, ${EXIT.FAILED} a run or check did not succeed, ${EXIT.USAGE} a usage or input error, ${EXIT.INTERNAL} an internal error (a bug in vmlab).`);
  for (const register of await commandModules(argv)) register(program, ctx);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.OK;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    return report(e, ctx);
  }
}

function report(e: unknown, ctx: CliContext): number {
  if (e instanceof CommanderError) {
    // commander already printed its message; help and version are successes.
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.OK;
    return EXIT.USAGE;
  }
  if (isVmlabError(e)) {
    ctx.stderr(e.format() + "\n");
    return e instanceof CliError ? e.exitCode : EXIT.USAGE;
  }
  const message = e instanceof Error ? e.message : String(e);
  ctx.stderr(`internal error: ${message}\nThis is a bug in vmlab, not in your input. Set VMLAB_DEBUG=1 to see where it happened.\n`);
  if (ctx.env.VMLAB_DEBUG && e instanceof Error && e.stack) ctx.stderr(e.stack + "\n");
  return EXIT.INTERNAL;
}
