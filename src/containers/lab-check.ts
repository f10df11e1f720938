// Lab 04 without a sandbox: a submission checked on a case directly, and a folder of case files read (what the handout's public tests use).
//
// Kept apart from the runner (lab-run.ts) because it reads YAML: the sandbox child imports the runner and
// may read nothing but its own built code.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ContainersLab } from "./lab-api.js";
import { parseCaseFile } from "./lab-case-file.js";
import type { ContainersCase } from "./lab-cases.js";
import { expectCpuCase, expectFsCase } from "./lab-expect.js";
import { runCpuCase, runFsCase, type LabCall, type LabCaseOutcome } from "./lab-run.js";

/** Check a submission on one case directly, without a sandbox (what the handout's public tests do). */
export function checkLabCase(lab: ContainersLab, c: ContainersCase): LabCaseOutcome {
  const call: LabCall = (name, args, copyOut) => {
    try {
      const fn = (lab as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
      if (typeof fn !== "function") throw new TypeError(`lab.${name} is not a function`);
      return { ok: true, value: copyOut(fn.apply(lab, [...args])) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };
  return c.kind === "overlay" ? runFsCase(call, c, expectFsCase(c)) : runCpuCase(call, c, expectCpuCase(c));
}

/** The case files (*.yaml) of a folder, sorted, parsed. */
export function loadCaseFiles(dir: string): { readonly name: string; readonly case: ContainersCase; readonly describe?: string }[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.ya?ml$/, ""), ...parseCaseFile(readFileSync(join(dir, f), "utf8"), f) }));
}
