// The grader's harnesses, by name: what each lab's `harness:` may be today.
import { GraderError } from "../errors.js";
import type { Harness } from "./harness.js";
import { btHarness } from "./bt.js";
import { containersHarness } from "./containers.js";
import { serverlessHarness } from "./serverless.js";
import { trapHarness } from "./trap.js";

export type { ApiSources, Harness } from "./harness.js";

export const HARNESSES: Readonly<Record<string, Harness>> = { trap: trapHarness, bt: btHarness, containers: containersHarness, serverless: serverlessHarness };

/** Names of the implemented harnesses, for messages. */
export function harnessNames(): string[] {
  return Object.keys(HARNESSES);
}

/** The harness of that name; LAB_INVALID (with the list) when there is none. */
export function harnessOf(name: string): Harness {
  const h = HARNESSES[name];
  if (!h) throw new GraderError("LAB_INVALID", `harness '${name}' is not implemented`, { hint: `harnesses: ${harnessNames().join(", ")}` });
  return h;
}
