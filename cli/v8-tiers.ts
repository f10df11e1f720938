// V8 flags the `vmlab` process sets for itself before it runs a command: a one-submission `vmlab grade` runs without TurboFan.
//
// One `vmlab grade` is over in a second or two of CPU: the type-check of one submission in the compile
// worker and the reports. TurboFan's compiles (of TypeScript's scanner and parser, mostly: about 200
// functions) would not pay for themselves in that time; the tiers below it (Sparkplug; Maglev where Node
// turns it on) cost about 0.3 CPU-seconds less for the same work. The sandbox child decides for itself
// (grader/src/sandbox/node-flags.ts isShortRun). Commands that work longer (grade-batch type-checks every
// submission, bench measures speed) keep every tier. Flags are set by the process entry (bin/vmlab.js),
// never by main(), which tests call in their own process.
export function v8FlagsFor(argv: readonly string[]): string[] {
  return argv[0] === "grade" ? ["--max-opt=2"] : [];
}
