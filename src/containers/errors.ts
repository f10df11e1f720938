// ContainerError: the container model's errors — a stable `DOCKER_`/`CGROUP_`/`OCI_` code, Docker's words and the fix.
import { VmlabError, type VmlabErrorOptions } from "../core/errors.js";

/**
 * An error raised by the container model. `message` reads as Docker's own message would (so a student who
 * searches it finds Docker's documentation); `code` is stable; `exitCode` is what the docker CLI would exit
 * with (125: the daemon refused, 126: the command cannot be invoked, 127: the command is not found).
 */
export class ContainerError extends VmlabError {
  constructor(code: string, message: string, options: VmlabErrorOptions & { exitCode?: number } = {}) {
    super(code, message, options);
    this.exitCode = options.exitCode ?? 125;
  }

  readonly exitCode: number;
}

/** Shorthand for the model's "No such …" errors with a did-you-mean hint. */
export function noSuch(code: string, what: string, name: string, hint?: string): ContainerError {
  return new ContainerError(code, `No such ${what}: ${name}`, hint === undefined ? {} : { hint });
}
