// `vmlab lab export prairielearn LAB --out DIR`: an external-grader image definition — Dockerfile, entrypoint and the grading package — and the question's externalGradingOptions.
//
// The image holds the whole lab (hidden suite and solution) under /grader, which PrairieLearn never mounts
// for students; PrairieLearn mounts /grade/{student,tests,data} at grading time and reads
// /grade/results/results.json. Nothing needs the network while grading (enableNetworking: false).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SuiteSelection } from "../cases.js";
import type { Lab } from "../lab/load.js";
import { buildFresh, FAILED_BEFORE_RESULT, runScript, treeFiles, writeScript } from "./files.js";
import { writeGradingPackage, type WarmCache } from "./package.js";
import { PRAIRIELEARN_SUBMITTED_AT } from "./prairielearn-run.js";

/** The Node image the grader runs on (Debian, Node 20 LTS: vmlab needs 20.19+). */
export const PRAIRIELEARN_BASE_IMAGE = "node:20-bookworm-slim";

/** The entrypoint (PrairieLearn runs it with /grade mounted). */
export const PRAIRIELEARN_RUN = runScript({
  purpose: "PrairieLearn's external grader runs this: grade /grade/student into /grade/results/results.json.",
  setup: 'here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
  rootVariable: "VMLAB_GRADE_ROOT", rootDefault: "/grade", vmlab: "$here/vmlab/bin/vmlab.js", platform: "prairielearn",
  zeroJson: JSON.stringify({ gradable: true, score: 0, message: FAILED_BEFORE_RESULT, output: "", tests: [] }),
});

export function prairieLearnDockerfile(lab: Lab): string {
  return `# The external grader of ${lab.id} (${lab.title}), made by vmlab lab export prairielearn.
# Build: docker build -t IMAGE .   The image holds the hidden suite: push it to a private registry only.
FROM ${PRAIRIELEARN_BASE_IMAGE}
COPY vmlab /grader/vmlab
RUN bash /grader/vmlab/install.sh
COPY run.sh /grader/run.sh
RUN chmod 755 /grader/run.sh
`;
}

export interface PrairieLearnExportOptions {
  readonly suite: SuiteSelection;
  /** The image name the question's info.json names. */
  readonly image: string;
  /** Seconds PrairieLearn gives the grader. */
  readonly timeout: number;
  readonly warm?: WarmCache;
}

/** The question's info.json part: the external grader, its entrypoint, no networking. */
export function externalGradingOptions(options: Pick<PrairieLearnExportOptions, "image" | "timeout">): object {
  return { externalGradingOptions: { enabled: true, image: options.image, entrypoint: "/grader/run.sh", timeout: options.timeout, enableNetworking: false } };
}

/**
 * The question's server.py part: PrairieLearn gives the external grader no submission time, so parse()
 * stamps it into the submission's params (kept with the submission: a regrade sees the same time). The
 * grader reads it to decide what the student may see of the hidden cases (prairielearn-run.ts).
 */
export const PRAIRIELEARN_SERVER_PY = `# Merge into the question's server.py (made by vmlab lab export prairielearn).
# PrairieLearn's external grader gets no submission time; vmlab reads this one (ISO 8601, UTC) to decide
# what the student may see of the hidden cases after the lab's date. It is kept with the submission, so a
# regrade sees the same time.
import datetime


def parse(data):
    data["params"]["${PRAIRIELEARN_SUBMITTED_AT}"] = datetime.datetime.now(datetime.timezone.utc).isoformat()
`;

/** Write DIR/{Dockerfile, run.sh, info.json.part, server.py.part, vmlab/}; returns the files written. */
export async function exportPrairieLearn(lab: Lab, out: string, options: PrairieLearnExportOptions): Promise<string[]> {
  return buildFresh(out, async (dir) => {
    await writeGradingPackage(lab, join(dir, "vmlab"), { platform: "prairielearn", suite: options.suite }, options.warm);
    writeFileSync(join(dir, "Dockerfile"), prairieLearnDockerfile(lab));
    writeScript(join(dir, "run.sh"), PRAIRIELEARN_RUN);
    writeFileSync(join(dir, "info.json.part"), JSON.stringify(externalGradingOptions(options), null, 2) + "\n");
    writeFileSync(join(dir, "server.py.part"), PRAIRIELEARN_SERVER_PY);
    return treeFiles(dir);
  });
}
