// The child sides of the grader's harnesses, by name: the sandbox child looks up the one a run message names.
import { btChild } from "./bt/child.js";
import { containersChild } from "./containers/child.js";
import type { ChildHarness } from "./harness.js";
import { serverlessChild } from "./serverless/child.js";
import { trapChild } from "./trap/child.js";

export const CHILD_HARNESSES: Readonly<Record<string, ChildHarness>> = { trap: trapChild, bt: btChild, containers: containersChild, serverless: serverlessChild };
