// The CLI's own error codes, each with its meaning (a command also passes on the codes of the parts it runs: the grader's, the container model's).
import type { ContainerCode } from "../src/containers/errors.js";
import type { GraderCode } from "../grader/src/index.js";

/** Codes the CLI raises itself; each keeps its meaning once published. */
export const CLI_CODES = {
  CLI_BAD_ADDRESS: "an address option is not a number, or not 4-byte aligned, or outside memory",
  CLI_BAD_MEMORY: "a memory size is not whole 4 KiB pages between one page and 1 GiB",
  CLI_BAD_NUMBER: "a numeric option is not a number in its range",
  CLI_BAD_OPTIONS: "options that do not go together (--trace or --engine with a monitor)",
  CLI_CANNOT_WRITE: "an output file cannot be written",
  CLI_EMPTY_PROGRAM: "the program file holds no instructions or data",
  CLI_GUEST_TOO_LARGE: "the guest does not fit in the machine's memory",
  CLI_HANDLERS_DO_NOT_COMPILE: "--handlers names a file with type errors",
  CLI_IS_DIRECTORY: "a file option names a folder",
  CLI_NOT_TYPESCRIPT: "--handlers names a file that is not TypeScript",
  CLI_NO_SUCH_FILE: "a file the command was given does not exist",
  CLI_NO_SUCH_GUEST: "no bundled guest and no file of that name",
  CLI_UNKNOWN_FAMILY: "vmlab isa --family names a family the table does not have",
  CLI_UNKNOWN_PLACEMENT: "vmlab sim borg --placement names an unknown placement",
  CLI_UNKNOWN_POLICY: "a --policy names a keep-alive policy that does not exist",
  CLI_UNKNOWN_PROFILE: "a --profile other than strict or x86",
  CLI_UNKNOWN_PLATFORM: "vmlab lab export names a platform other than gradescope, prairielearn or github-actions",
  GRADE_NO_LAB: "vmlab grade has no --lab and finds no lab.yaml",
  DOCKER_NO_CONTEXT: "vmlab docker build names a context folder that does not exist",
  DOCKER_SAVE_FORMAT: "vmlab docker save without --oci DIR",
  DOCKER_STATE_CORRUPT: "the simulated host's state file is not one vmlab wrote",
  DOCKER_STATE_VERSION: "the simulated host's state file comes from another version of vmlab",
} as const;

/** A code a CLI error may carry: its own, or one passed on from the grader or the container model. */
export type CliCode = keyof typeof CLI_CODES | GraderCode | ContainerCode;
