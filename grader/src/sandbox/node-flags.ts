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
  /** A child with little to run (see `isShortRun`): V8's tiers below TurboFan only. */
  readonly short?: boolean;
}

/** A case whose CPU limit is at most this is short: its reference run is predicted at a twentieth of it or less (reference.ts caseLimit). */
export const SHORT_CASE_LIMIT_SECONDS = 2;
/** ... and a child that runs at most this many such cases has little to run. */
export const SHORT_RUN_CASES = 64;

/**
 * Whether one child's whole work is short: one session, at most SHORT_RUN_CASES cases, each with a limit of
 * at most SHORT_CASE_LIMIT_SECONDS. Such a child is better off without TurboFan (`--max-opt=2`): lab 01's
 * suite retires about 91 k guest instructions, yet V8 optimizes the interpreter's one large function
 * four times over (each new opcode met deoptimizes it), about 0.6 of the child's 1.8 CPU-seconds. The
 * tiers below it (Sparkplug; Maglev where Node turns it on, 22 and later) run the interpreter at 3 to 5 M
 * guest instructions a second, above the 2 M a second the limits are predicted at (trap-cases.ts), so a
 * case's limit holds the same margin. A kept child (many sessions) keeps TurboFan: its code stays warm.
 */
export function isShortRun(cases: readonly { readonly seconds?: number }[], sessions: number): boolean {
  return sessions === 1 && cases.length <= SHORT_RUN_CASES && cases.every((c) => c.seconds !== undefined && c.seconds <= SHORT_CASE_LIMIT_SECONDS);
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
    ...(options.short ? ["--max-opt=2"] : []),
  ];
}
