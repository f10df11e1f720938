// The grader's public entry: grade a submission or a batch, author and release labs, render reports — what the CLI and course tooling use.
//
// Everything a caller needs to grade lives here; the modules behind it are the grader's own. The CLI
// (cli/) is the composition root that wires this to the library.

// Grading one submission and a batch
export { gradeSubmission, graderErrorResult, prepareLab, type GradeOptions, type GraderDeps, type PreparedLab } from "./grade.js";
export { gradeBatch, listSubmissions, mergeShards, parseShard, shardProblems, type BatchOptions, type BatchReport, type Shard, type ShardRecord } from "./batch.js";
export { createRealSandbox, realDeps, realFactory, realTrusted } from "./deps.js";
export { CompileWorker, type CompileWorkerOptions } from "./sandbox/compile-worker.js";
export { createSandbox, runInSandbox, type PoolOptions, type SandboxDeps } from "./sandbox/runner.js";
export { warmUpRequests } from "./warm.js";
// Labs: load, validate, scaffold, release; harnesses
export { listLabs, loadLab, resolveLabDir, type Lab, type LabConfig } from "./lab/load.js";
export { starterDrift, validateLab, type Check } from "./lab/validate.js";
export { scaffoldLab } from "./lab/scaffold.js";
export { releaseLab } from "./lab/release.js";
export { HARNESSES, harnessNames, harnessOf, type Harness } from "./harnesses/index.js";
// Results and what each audience may read of them
export { RESULT_FORMAT, withoutTimings, type CaseResult, type GradeResult } from "./result.js";
export { studentView, type DisclosureMoment, type HiddenFeedback } from "./disclosure.js";
export { REPORTER_NAMES, REPORTERS, render, renderSummaryMarkdown, viewFor, type Audience, type Reporter } from "./reporters/index.js";
export { summaryText, terminalText } from "./reporters/text.js";
// Command-line helpers and errors
export { appendStepSummary, parseAudience, parseDate, parseFormats, parseSuite, scoreTable, writeReports } from "./cli-support.js";
export { progressBar } from "./progress.js";
export { GRADER_CODES, GraderError, type GraderCode } from "./errors.js";
export { packageRoot } from "./paths.js";
