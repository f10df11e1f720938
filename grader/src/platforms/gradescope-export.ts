// `vmlab lab export gradescope LAB --out autograder.zip`: the autograder Gradescope expects — setup.sh, run_autograder and the grading package — zipped.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { SuiteSelection } from "../cases.js";
import type { Lab } from "../lab/load.js";
import { buildFresh, FAILED_BEFORE_RESULT, runScript, writeScript, zipFolder } from "./files.js";
import { writeGradingPackage, type WarmCache } from "./package.js";

/**
 * setup.sh: Gradescope runs it once, as root, when it builds the autograder image (the zip unpacked in
 * /autograder/source). It keeps a Node.js 20.19+ that is there, else installs Node 20 from NodeSource,
 * then vmlab's dependencies from the package's lockfile. Nothing is built: dist/ ships compiled.
 */
export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image: Node.js 20.19+ and vmlab's dependencies.
# VMLAB_AUTOGRADER_ROOT moves /autograder (tests); VMLAB_NODE_MODULES links an existing install (offline).
set -euo pipefail
root="\${VMLAB_AUTOGRADER_ROOT:-/autograder}"
node_ok() { command -v node >/dev/null 2>&1 && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; }
if ! node_ok; then
  echo "setup.sh: installing Node.js 20"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y ca-certificates curl gnupg
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs
fi
node_ok || { echo "setup.sh: vmlab needs Node.js 20.19 or newer" >&2; exit 1; }
bash "$root/source/vmlab/install.sh"
`;

/** run_autograder: Gradescope runs it for each submission. */
export const RUN_AUTOGRADER = runScript({
  purpose: "Gradescope runs this for each submission: grade /autograder/submission into /autograder/results/results.json.",
  rootVariable: "VMLAB_AUTOGRADER_ROOT", rootDefault: "/autograder", vmlab: "$root/source/vmlab/bin/vmlab.js", platform: "gradescope",
  zeroJson: JSON.stringify({ score: 0, execution_time: 0, visibility: "visible", output: FAILED_BEFORE_RESULT, output_format: "text", tests: [] }),
});

export interface GradescopeExportOptions {
  readonly suite: SuiteSelection;
  /** Graded submissions per student in 24 hours. */
  readonly maxPerDay?: number;
  readonly warm?: WarmCache;
}

/** Write autograder.zip (setup.sh and run_autograder at its top, the grading package in vmlab/); returns the files it holds. */
export async function exportGradescope(lab: Lab, zip: string, options: GradescopeExportOptions): Promise<string[]> {
  const staging = `${zip}.d`;
  try {
    return await buildFresh(staging, async (dir) => {
      const config = { platform: "gradescope" as const, suite: options.suite, ...(options.maxPerDay !== undefined ? { max_per_day: options.maxPerDay } : {}) };
      await writeGradingPackage(lab, join(dir, "vmlab"), config, options.warm);
      writeScript(join(dir, "setup.sh"), SETUP_SH);
      writeScript(join(dir, "run_autograder"), RUN_AUTOGRADER);
      return zipFolder(dir, zip);
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
