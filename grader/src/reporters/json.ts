// The project's own JSON result (grader/schema/result.schema.json): stable key order, timings last.
import type { GradeResult } from "../result.js";

/** Pretty JSON with a trailing newline; key order is the result's construction order, so output is byte-stable. */
export function renderJson(result: GradeResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}
