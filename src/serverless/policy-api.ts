// The keep-alive policy interface as lab 05's submissions see it: the types a policy implements and the providers' keep-alive constants, with no imports.
//
// This file is what `import ... from "vmlab"` means in a lab 05 submission (the grader type-checks against it
// alone), so it holds only the interface — never a policy. keep-alive.ts re-exports it for the library.

/** What to do with an instance whose execution just ended. */
export interface KeepAliveWindows {
  /** How long to leave the application unloaded before loading it again (ms); 0 keeps the instance loaded. */
  readonly preWarmMs: number;
  /** How long the loaded instance waits for an invocation before it is unloaded (ms); Infinity never unloads. */
  readonly keepAliveMs: number;
}

/** A policy's state for one application. */
export interface AppKeepAlive {
  /** An invocation arrived at `nowMs`; `idleMs` is the time since the previous execution ended (undefined the first time, 0 while one runs). */
  onInvocation(nowMs: number, idleMs: number | undefined): void;
  /** An execution ended at `nowMs`: the windows for the instance it leaves idle. */
  windows(nowMs: number): KeepAliveWindows;
}

/** A keep-alive / pre-warm policy. */
export interface KeepAlivePolicy {
  readonly name: string;
  /** Fresh state for one application; called once per application. */
  forApp(app: string): AppKeepAlive;
}

/** AWS Lambda's 10-minute keep-alive (Shahrad et al.). */
export const AWS_KEEP_ALIVE_MS = 10 * 60_000;
/** Azure Functions' 20-minute keep-alive (Shahrad et al.). */
export const AZURE_KEEP_ALIVE_MS = 20 * 60_000;
