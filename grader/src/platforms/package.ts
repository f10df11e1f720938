// The grading package every platform export ships: the vendored, built vmlab (as lab release vendors it) holding the whole lab — public and hidden suites, the reference solution — laid out as in the repository.
//
// Inside it `vmlab grade --lab <id>` grades exactly as in the course repository (the lab's hash is checked
// to be the same), so a Gradescope or PrairieLearn container, a GitHub Actions runner and an instructor's
// machine give byte-identical results. It never goes to students: the hidden suite and the solution
// travel in it, readable by the grader only (student code runs in vmlab's sandbox, which reads neither).
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";
import { GraderError } from "../errors.js";
import type { SuiteSelection } from "../cases.js";
import { loadLab, type Lab } from "../lab/load.js";
import { vendorLibrary } from "../lab/release.js";
import { GRADER_PATHS, labCacheDir } from "../paths.js";
import { engineHash } from "../engine-hash.js";
import { solutionFiles } from "../reference.js";
import { vendoredLockfile } from "./lockfile.js";

/** What a package was made for, read back by `vmlab autograde` (PACKAGE/.vmlab/platform.json). */
export interface PlatformConfig {
  readonly platform: "gradescope" | "prairielearn" | "github-actions";
  readonly lab: string;
  readonly hash: string;
  readonly suite: SuiteSelection;
  /** Gradescope: graded submissions allowed per student in 24 hours (by submission_metadata.json's times); absent: no limit. */
  readonly max_per_day?: number;
}

export const PLATFORM_CONFIG = ".vmlab/platform.json";

/**
 * The package's install step (install.sh): the dependencies npm ci installs from the vendored lockfile —
 * or, with VMLAB_NODE_MODULES set, links of an install made elsewhere (offline builds and the tests) —
 * then a check that the command runs. Nothing is compiled: dist/ is already built.
 */
export const INSTALL_SH = `#!/usr/bin/env bash
# Install vmlab's dependencies for this grading package (nothing is built: dist/ ships compiled).
#   VMLAB_NODE_MODULES=/path/to/node_modules  link an existing install instead of downloading (offline builds, tests)
set -euo pipefail
here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 20 || (a === 20 && b < 19)) { console.error("vmlab needs Node.js 20.19 or newer, this is " + process.version); process.exit(1); }'
if [ -n "\${VMLAB_NODE_MODULES:-}" ]; then
  # One link per package (a link for node_modules itself would be outside what the sandbox may read).
  mkdir -p node_modules
  find "$VMLAB_NODE_MODULES" -mindepth 1 -maxdepth 1 ! -name vmlab -exec ln -sfn -t node_modules {} +
else
  npm ci --omit=dev --no-audit --no-fund
fi
node bin/vmlab.js --version
`;

function copyInto(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}

/**
 * Prepares the packaged lab once at export time (the CLI passes prepareLab with the real machine), so its
 * trusted numbers travel in the package's cache (out/grader-cache/) and a platform grades each submission
 * without running the reference solution again.
 */
export type WarmCache = (packaged: Lab) => Promise<unknown>;

/** Write the grading package for `lab` into `to` (a new folder); returns the package's lab id and hash. */
export async function writeGradingPackage(lab: Lab, to: string, config: Omit<PlatformConfig, "lab" | "hash">, warm?: WarmCache): Promise<PlatformConfig> {
  vendorLibrary(lab.root, to);
  // The lab as the repository lays it out: its folder, its suite files' folders, its solution.
  copyInto(lab.dir, join(to, GRADER_PATHS.exercises, lab.id));
  for (const s of lab.suites) {
    if (s.declaredIn === lab.yamlPath) continue;
    const rel = relative(lab.root, dirname(s.declaredIn));
    if (rel.startsWith("..") || isAbsolute(rel)) throw new GraderError("LAB_INVALID", `suite ${s.name} of ${lab.id} lives outside the package root (${s.declaredIn})`, { hint: "keep suite files under grader/labs/<id>/" });
    copyInto(dirname(s.declaredIn), join(to, rel));
  }
  if (!existsSync(lab.solutionDir)) throw new GraderError("LAB_MISSING_FILE", `lab ${lab.id} has no reference solution at ${lab.solutionDir}`, { hint: "a grading package needs the solution for the reference cycles" });
  copyInto(lab.solutionDir, join(to, GRADER_PATHS.solutions, lab.id));
  const pkg = JSON.parse(readFileSync(join(to, "package.json"), "utf8")) as { name: string; version: string; dependencies: Record<string, string> } & Record<string, unknown>;
  const grading = { ...pkg, version: pkg.version.replace(/-handout$/, "-grading"), private: true };
  writeFileSync(join(to, "package.json"), JSON.stringify(grading, null, 2) + "\n");
  writeFileSync(join(to, "package-lock.json"), vendoredLockfile(lab.root, grading));
  writeFileSync(join(to, "install.sh"), INSTALL_SH);
  chmodSync(join(to, "install.sh"), 0o755);
  // The package must grade the very lab it was made from.
  const inside = loadLab(lab.id, { root: to, cwd: to });
  if (inside.hash !== lab.hash) throw new GraderError("LAB_INVALID", `the packaged copy of ${lab.id} is not the same lab (another hash): a guest or suite file did not come along`, { hint: "keep every guest path relative to the file that names it, inside the lab or grader/labs/<id>/" });
  if (warm) await warmShared(lab, inside, config.suite, warm);
  const written: PlatformConfig = { ...config, lab: lab.id, hash: lab.hash };
  mkdirSync(join(to, dirname(PLATFORM_CONFIG)), { recursive: true });
  writeFileSync(join(to, PLATFORM_CONFIG), JSON.stringify(written, null, 2) + "\n");
  return written;
}

/**
 * Every package made from one repository for one lab is the same but for its platform.json, so its cache is
 * too: the first export warms it and keeps a copy in the repository (out/grader-cache/<lab>/packages/<key>/,
 * keyed by what the cache's entries are computed from: the packaged engine, the lab, the solution, the
 * suite); the next export — for another platform, or again — starts from that copy and runs no reference
 * solution. The entries' own digests still decide whether an entry is used, so a stale copy is never
 * trusted; only the latest copy is kept.
 */
async function warmShared(lab: Lab, packaged: Lab, suite: SuiteSelection, warm: WarmCache): Promise<void> {
  const key = createHash("sha256").update(engineHash(packaged.root)).update(packaged.hash).update(JSON.stringify(solutionFiles(packaged))).update(suite).digest("hex").slice(0, 16);
  const stores = join(labCacheDir(lab), "packages");
  const store = join(stores, key);
  const cache = labCacheDir(packaged);
  if (existsSync(store)) copyInto(store, cache);
  await warm(packaged);
  if (existsSync(store) || !existsSync(cache)) return;
  const tmp = `${store}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  copyInto(cache, tmp);
  for (const old of readdirSync(stores)) if (old !== key && !old.includes(".tmp-")) rmSync(join(stores, old), { recursive: true, force: true });
  try {
    renameSync(tmp, store);
  } catch {
    // another export kept the same copy at the same moment
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Read a package's platform.json (PACKAGE is the vendored vmlab's root). */
export function readPlatformConfig(packageRoot: string): PlatformConfig {
  const file = join(packageRoot, PLATFORM_CONFIG);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PlatformConfig;
  } catch {
    throw new GraderError("PLATFORM_BAD_LAYOUT", `${file} is missing: this vmlab is not a grading package`, { hint: "make one with vmlab lab export gradescope|prairielearn|github-actions LAB" });
  }
}
