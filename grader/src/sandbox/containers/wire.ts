// A containers case's input as the parent sends it and the child reads it: the case and the model's expected outcome, both plain JSON.
import type { ContainersCase } from "../../../../src/containers/lab-cases.js";
import type { FsExpectation } from "../../../../src/containers/lab-expect.js";

export type ContainersInput =
  | { readonly case: Extract<ContainersCase, { kind: "overlay" }>; readonly expected: FsExpectation }
  | { readonly case: Extract<ContainersCase, { kind: "cgroups" }>; readonly expected: Readonly<Record<string, number>> };
