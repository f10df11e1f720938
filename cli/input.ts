// Reading a command's input files with clear errors: a missing file names the path and suggests near matches.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { suggest } from "../src/core/suggest.js";
import { CliError, EXIT } from "./context.js";

/** Read a text or binary input file relative to `cwd`, or throw a CliError that says what to do. */
export function readInput(cwd: string, file: string, encoding: "utf8"): string;
export function readInput(cwd: string, file: string): Uint8Array;
export function readInput(cwd: string, file: string, encoding?: "utf8"): string | Uint8Array {
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    const dir = dirname(path);
    const near = existsSync(dir) ? suggest(basename(path), readdirSync(dir)) : undefined;
    throw new CliError("CLI_NO_SUCH_FILE", `cannot read '${file}': no such file`, EXIT.USAGE, near ? `did you mean '${near}'?` : "check the path (it is relative to the current directory)");
  }
  if (statSync(path).isDirectory()) throw new CliError("CLI_IS_DIRECTORY", `'${file}' is a directory, not a file`, EXIT.USAGE);
  const data = readFileSync(path);
  return encoding ? data.toString("utf8") : new Uint8Array(data);
}
