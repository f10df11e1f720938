// The private channel between the grader and its sandbox child: message shapes and the plain-words messages students read.
//
// Messages travel over Node's IPC channel (an extra file descriptor the runner opens: runner.ts createNodeSpawner). Only trusted code in
// the child holds `process.send`; student code runs in a Compartment with no `process`, so it can
// neither send nor forge a message. The child's stdout and stderr are never parsed for results.
import type { SandboxCaseResult } from "../contract.js";

export type { SandboxCaseResult };

/** Statuses of a failed case. */
export type FailureStatus = Exclude<SandboxCaseResult["status"], "ok">;

/**
 * The engine grading runs on unless told otherwise (`vmlab grade --engine`): the one that grades faster,
 * measured by the CPU time of `vmlab grade` on the labs' reference solutions (parent and sandbox child,
 * medians of five alternating runs): lab 01 4.53 s on the interpreter, 4.56 s on the translator; lab 02
 * 6.19 s and 6.23 s. A case runs at most 44 000 guest instructions (lab 01's 31 cases 95 000 in all),
 * too few for translation to pay for itself, so the interpreter stays. Here, where the child (which may read only
 * dist/src and its own folder) finds it too.
 */
export const GRADER_ENGINE = "interpreter";

/** What the child needs to grade some cases: sent once, right after the child says it is ready. */
export interface RunMessage {
  readonly type: "run";
  readonly harness: string;
  readonly entry: string;
  readonly exportName: string;
  readonly js: Readonly<Record<string, string>>;
  readonly cases: readonly WireCase[];
  readonly cost?: Readonly<Record<string, number>>;
  /** The engine the cases' machines run on (SandboxRequest.engine; absent: GRADER_ENGINE). */
  readonly engine?: string;
  /** Bytes student code may print (console) per case, and while loading. */
  readonly outputBytes: number;
  /**
   * Stay after "done" for another run message (a kept child, pool.ts): the next submission gets its own
   * Compartment and machines. Absent: the child exits once the submission is graded.
   */
  readonly stay?: boolean;
  /**
   * How the child names the handler that starts (so a time-out can say which was running): `"title"`, in
   * its process title (`TITLE_PREFIX` + name), which the parent reads from /proc when it stops a case —
   * no message per handler call; absent, a "handler" message each time another handler starts.
   */
  readonly announce?: "title";
}

/** A sandbox child's process title: this, then the name of the last handler to start in the current case (none: the bare word). */
export const TITLE_PREFIX = "vmlab-sandbox ";

export interface WireCase {
  readonly id: string;
  /** The harness-defined input of the case (the child side of the harness reads it). */
  readonly input: Readonly<Record<string, unknown>>;
  /** CPU seconds this case may take (default: the request's caseSeconds). */
  readonly seconds?: number;
}

/** Messages from the child, in the order the child sends them. */
export type ChildMessage =
  /**
   * The monitor is loaded and intrinsics are frozen; no student code has run yet. `confined` is the
   * child's own check that Node's permission model is on (no child processes, workers or writes, no
   * reading /etc/passwd); the parent refuses to go on without it.
   */
  | { readonly type: "ready"; readonly confined: boolean }
  /** The submission loaded and its handlers were found. */
  | { readonly type: "loaded" }
  /** The submission could not be loaded: every remaining case fails with this status and message. */
  | { readonly type: "load-failed"; readonly status: "load-error" | "missing-export" | "output"; readonly message: string }
  | { readonly type: "case-start"; readonly id: string }
  /** A handler other than the last one reported started (so a time-out can say which handler was running). */
  | { readonly type: "handler"; readonly name: string }
  | { readonly type: "case-result"; readonly result: SandboxCaseResult }
  | { readonly type: "done" };

/** Default cap on what student code may print per case. */
export const DEFAULT_OUTPUT_BYTES = 64 * 1024;

/** Check that a message from the child has one of the expected shapes (the parent trusts the child, but not blindly). */
export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  const v = value as Record<string, unknown>;
  switch (type) {
    case "ready":
      return typeof v.confined === "boolean";
    case "loaded":
    case "done":
      return true;
    case "load-failed":
      return typeof v.status === "string" && typeof v.message === "string";
    case "case-start":
      return typeof v.id === "string";
    case "handler":
      return typeof v.name === "string";
    case "case-result":
      return typeof v.result === "object" && v.result !== null && typeof (v.result as { id?: unknown }).id === "string";
    default:
      return false;
  }
}

/** The likely cause of a case that does not finish, for a harness that names none of its own. */
export const DEFAULT_RUNAWAY = "Your code probably runs forever: a loop whose condition never changes, or a recursion that never ends.";

const seconds = (s: number) => `${s} second${s === 1 ? "" : "s"}`;

/** The words a student reads for each way a case can fail outside their handlers' own logic. */
export const MESSAGES = {
  /** `runaway` is the harness's likely cause, in its own words (trap: a handler that never moves the PC on). */
  timeout: (id: string, caseSeconds: number, handler?: string, runaway = DEFAULT_RUNAWAY) =>
    `Case ${id} did not finish within ${seconds(caseSeconds)} of CPU time, so the grader stopped it${handler ? `; the last of your functions to start was \`${handler}\`` : ""}. ${runaway}`,
  waited: (what: string, caseSeconds: number) =>
    `${what[0]!.toUpperCase()}${what.slice(1)} made no progress for a long time while using almost no CPU (its limit is ${seconds(caseSeconds)} of CPU time), so the grader stopped it. ` +
    `Something in your code waits instead of computing (Atomics.wait, or a loop around a blocking call): your functions must return promptly.`,
  loadTimeout: (entry: string, caseSeconds: number) =>
    `Loading ${entry} took longer than ${seconds(caseSeconds)} of CPU time, so the grader stopped it before running any case. ` +
    `Some code at the top level of your file (outside your functions) does not finish.`,
  memory: (id: string, memoryMb: number) =>
    `Case ${id} used more than the ${memoryMb} MB memory limit, so the grader stopped it. ` +
    `Look for code that keeps allocating: an array, string or map that grows on every call and is never cleared.`,
  loadMemory: (entry: string, memoryMb: number) =>
    `Loading ${entry} used more than the ${memoryMb} MB memory limit, so the grader stopped it before running any case.`,
  crashed: (id: string, how: string) =>
    `The sandbox process running case ${id} stopped unexpectedly (${how}). The case is marked failed; the other cases were graded in a fresh process.`,
  startFailed: (how: string) =>
    `The grader's sandbox could not start (${how}). This is a problem with the grader, not your code: please tell your instructor.`,
  output: (id: string, bytes: number) =>
    `Your code printed more than ${bytes} bytes during case ${id}, so the grader stopped the case. Remove console.log calls, or print less.`,
  loadOutput: (entry: string, bytes: number) =>
    `${entry} printed more than ${bytes} bytes while loading, so the grader did not run it. Remove console.log calls from the top level of your file.`,
  notConfined: () => "Node's permission model is not active in the sandbox child",
} as const;

/** Cap a string that may come from student code before it goes into a message. */
export function capText(text: string, max = 400): string {
  return text.length <= max ? text : text.slice(0, max - 1) + "…";
}
