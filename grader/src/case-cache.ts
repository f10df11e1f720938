// A suite selection's cases, cached under out/grader-cache/<lab>/ by the digest of what they are built from (the lab's files and the engine's sources), like the reference numbers.
//
// Building lab 01's cases assembles every guest and generates the random ones: about 0.4 CPU-seconds a
// process, for data that changes only when the lab or the grader does. The digest covers the lab's
// hash (lab.yaml, its suite files and guest sources), the sources of src/ and grader/src/ (engineHash:
// the assembler, the generator, the bundled guests, the harnesses) and the selection; anything else
// rebuilds. A damaged cache file is rebuilt, never trusted. Only the newest few are kept per lab: each edit of
// the sources leaves a file (lab 01's full suite is 0.4 MB) under a digest nothing asks for again.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCases, type CaseOptions, type GradeCase, type SuiteSelection } from "./cases.js";
import type { HarnessDeps } from "./harnesses/harness.js";
import type { Lab } from "./lab/load.js";
import { labCacheDir } from "./paths.js";
import { engineHash } from "./engine-hash.js";
import { keepNewest } from "./cache-files.js";
import { writeAtomic } from "./write-atomic.js";

/** Case files kept per lab: one for each selection (public, hidden, all) of the last few versions of the sources. */
export const KEPT_CASE_FILES = 12;

/** The cases of a selection, from the cache when nothing they are built from has changed, else built and cached. */
export async function cachedCases(
  lab: Lab, selection: SuiteSelection, deps: HarnessDeps & { readonly cacheDir?: string; readonly useCache?: boolean; /** engineHash(lab.root), when the caller has it already. */ readonly sourcesHash?: string }, options: CaseOptions = {},
): Promise<GradeCase[]> {
  // One student's variant is built for that student alone: caching it would keep a file per student.
  if (deps.useCache === false || options.variant !== undefined) return buildCases(lab, selection, deps, options);
  const digest = createHash("sha256").update(lab.hash).update(deps.sourcesHash ?? engineHash(lab.root)).update(lab.harness).update(selection).digest("hex").slice(0, 32);
  const dir = labCacheDir(lab, deps.cacheDir);
  const file = join(dir, `cases-${digest}.json`);
  if (existsSync(file)) {
    try {
      const cached = JSON.parse(readFileSync(file, "utf8")) as { cases?: unknown };
      if (Array.isArray(cached.cases) && cached.cases.length && cached.cases.every((c) => typeof (c as GradeCase).id === "string" && typeof (c as GradeCase).input === "object")) {
        return cached.cases as GradeCase[];
      }
    } catch {
      // rebuilt below
    }
  }
  const cases = await buildCases(lab, selection, deps);
  mkdirSync(dir, { recursive: true });
  writeAtomic(file, JSON.stringify({ lab: lab.id, selection, cases }) + "\n");
  keepNewest(dir, "cases-", ".json", KEPT_CASE_FILES);
  return cases;
}
