// V8 flags the `vmlab` process sets for itself before it runs a command: a one-submission `vmlab grade` runs without TurboFan.
//
// One `vmlab grade` is over in a second or two of CPU: the type-check of one submission in the compile
// worker and the reports. TurboFan's compiles (of TypeScript's scanner and parser, mostly: about 200
// functions) would not pay for themselves in that time; the tiers below it (Sparkplug; Maglev where Node
// turns it on) cost about 0.3 CPU-seconds less for the same work. The sandbox child decides for itself
// (grader/src/sandbox/node-flags.ts isShortRun). Commands that work longer (grade-batch type-checks every
// submission, bench measures speed) keep every tier. Flags are set by the process entry (bin/vmlab.js),
// never by main(), which tests call in their own process. The flags set are also named in the environment
// (V8_FLAGS_ENV), so the compiler's code cache, which V8 rejects under other flags, is kept per set of flags.
import { V8_FLAGS_ENV } from "../grader/src/sandbox/code-cache.js";

export function v8FlagsFor(argv: readonly string[]): string[] {
  return argv[0] === "grade" ? ["--max-opt=2"] : [];
}

/** Set this command's V8 flags (`set`: v8.setFlagsFromString) and name them in `env` for the code caches; returns them. */
export function applyV8Flags(argv: readonly string[], set: (flag: string) => void, env: NodeJS.ProcessEnv): string[] {
  const flags = v8FlagsFor(argv);
  for (const flag of flags) set(flag);
  if (flags.length) env[V8_FLAGS_ENV] = flags.join(" ");
  return flags;
}
