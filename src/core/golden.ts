// Golden files, diff-then-accept: a test compares generated text with a committed copy; VMLAB_ACCEPT=1 writes the new text instead.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Compare text with a golden file, diff-then-accept: a mismatch returns both texts (the test fails and
 * shows the diff); run the tests with VMLAB_ACCEPT=1 to write the new text as the golden one (then read
 * the diff in review). A missing golden file is a mismatch that says how to create it.
 */
export function goldenMismatch(file: string, text: string, env: Readonly<Record<string, string | undefined>> = process.env): { expected: string; actual: string } | undefined {
  if (env.VMLAB_ACCEPT === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return undefined;
  }
  let expected: string;
  try {
    expected = readFileSync(file, "utf8");
  } catch {
    expected = `(no golden file ${file}: run with VMLAB_ACCEPT=1 to write it)`;
  }
  return expected === text ? undefined : { expected, actual: text };
}
