// The grader's public entry: grade a submission or a batch, author and release labs, render reports — what the CLI and course tooling use.
//
// Everything a caller needs to grade lives here; the modules behind it are the grader's own. The CLI
// (cli/) is the composition root that wires this to the library.

// Grading one submission and a batch
export { gradeSubmission, graderErrorResult, prepareLab, type GradeOptions, type GraderDeps, type PreparedLab } from "./grade.js";
export { gradeBatch, listSubmissions, mergeShards, parseShard, readResult, shardProblems, type BatchOptions, type BatchReport, type Shard, type ShardRecord } from "./batch.js";
// Courses: rosters and LMS gradebooks, deadlines, variants, regrades
export { courseBatchOptions, readCourse, recordCourseGrace, studentIds, type CourseFlags, type CourseInputs } from "./course.js";
export { GRADEBOOK_FORMATS, writeGradebooks, type GradebookFormat, type GradebookOptions } from "./gradebook/gradebooks.js";
export { matchRoster, readRoster, rosterReport, type Roster, type RosterEntry, type RosterMatch } from "./gradebook/roster.js";
export { lateRecord, type DeadlineInput, type LateRecord } from "./deadlines/late.js";
export { extensionFor, readExtensions } from "./deadlines/extensions.js";
export { deadlineFor } from "./deadlines/resolve.js";
export { prepareVariant } from "./variants/prepare.js";
export { exportGradescope } from "./platforms/gradescope-export.js";
export { exportPrairieLearn } from "./platforms/prairielearn-export.js";
export { exportGitHubActions, gradingWorkflow, workflowPath } from "./platforms/github-actions-export.js";
export { CLASSROOM_WORKFLOW, classroomWorkflow, exportGitHubClassroom } from "./platforms/github-classroom-export.js";
export { runGradescope } from "./platforms/gradescope-run.js";
export { runPrairieLearn } from "./platforms/prairielearn-run.js";
export { forcedCases, regrade, regradeText, type RegradeReport, type RegradeRow } from "./regrade/regrade.js";
export { createRealSandbox, realCompileStore, realCompileWorker, realDeps, realFactory, realTrusted, trustedRunner } from "./deps.js";
export { GRADER_ENGINE } from "./sandbox/protocol.js";
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
