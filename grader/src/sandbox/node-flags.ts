// Node command-line flags for the sandbox child: the permission model (spelled per Node version), memory cap, no addons.
//
// Node 20 and 21 spell the permission model `--experimental-permission`; Node 22 and later `--permission`
// (22 still accepts the old spelling, 24 does not). Under it the child may read only the paths given
// with `--allow-fs-read` (one flag per path: commas stopped separating paths in 22.13/23.5), and may
// not write files, start child processes or worker threads, load addons or use WASI. Network access is
// not part of the permission model before Node 25 (`--allow-net`); see sandbox/README.md for how the
// sandbox keeps student code off the network anyway.
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";

/** The major version of a Node version string (`v20.19.0` or `20.19.0`). */
export function nodeMajor(version: string): number {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major)) throw new Error(`not a Node version: ${version}`);
  return major;
}

/**
 * What the child may read: its own built code, the built monitor, SES and its dependencies. Never src/,
 * grader/ sources, solutions or suites. SES is found where Node resolves it from the package (its own
 * node_modules, or a hoisted one above it, as in a handout); its @endo dependencies sit beside it.
 */
export function readablePaths(root: string): string[] {
  const dir = (...p: string[]) => path.join(root, ...p) + path.sep;
  // Where Node looks for ses (the first node_modules/ses above the package), and where that really is:
  // with linked installs (pnpm, npm's file: links) the two differ, and resolving reads both.
  let found = path.join(root, "node_modules", "ses");
  for (let d = root; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, "node_modules", "ses"))) {
      found = path.join(d, "node_modules", "ses");
      break;
    }
    if (path.dirname(d) === d) break;
  }
  let real = found;
  try {
    real = realpathSync(found);
  } catch {
    // not installed: the child fails to start and says so
  }
  const places = [...new Set([found, real])].flatMap((ses) => [ses + path.sep, path.join(path.dirname(ses), "@endo") + path.sep]);
  return [dir("dist", "src"), dir("dist", "grader", "src", "sandbox"), ...places, path.join(root, "package.json")];
}

export interface ChildFlagsOptions {
  /** The child's Node version (`process.versions.node` of the binary that will run it). */
  readonly version: string;
  readonly root: string;
  readonly memoryMb: number;
}

/** Flags for `node <flags> child.js`. */
export function childFlags(options: ChildFlagsOptions): string[] {
  const major = nodeMajor(options.version);
  const permission = major >= 22 ? "--permission" : "--experimental-permission";
  return [
    permission,
    ...readablePaths(options.root).map((p) => `--allow-fs-read=${p}`),
    `--max-old-space-size=${Math.max(16, Math.floor(options.memoryMb))}`,
    "--no-addons",
    "--no-warnings",
  ];
}
