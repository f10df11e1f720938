// `vmlab`: what notebooks and labs use — the labs' student APIs whole, the machine, its engines and its guests, the monitors, and the container and serverless models the lectures drive.
//
// This entry is curated: each name here is documented where it is declared, and src/index.test.ts pins
// the sorted list, so a new name is a reviewed change. Everything else has a subpath: `vmlab/isa` (the
// instruction set, assembler and disassembler), `vmlab/notebook` (display helpers and self-checks),
// `vmlab/handlers` (exactly what a lab 01 submission compiles against), `vmlab/grader`, and
// `vmlab/internal` (every module, for vmlab's own tests, the grader and the CLI).

// The labs' student APIs, whole: in a submission `import ... from "vmlab"` means these modules (the
// grader compiles against them), so a handout's editor offers exactly the names the grader accepts.
export * from "./handlers.js";
export * from "./containers/lab-api.js";
export type { CpuGroup } from "./containers/cpu-group.js";
export * from "./serverless/policy-api.js";
export * from "./vmm/bt-api.js";

// The machine, its instruction set as the lectures show it, and its guests.
export { INSTRUCTIONS, PROFILES, spec } from "./isa/table.js";
export { decode } from "./isa/encoding.js";
export { assemble } from "./isa/assembler.js";
export { disassembleOne } from "./isa/disassembler.js";
export { createMachine } from "./machine/machine.js";
export { bootAssembly } from "./machine/boot.js";
export { defaultCostModel } from "./machine/cost.js";
export { EVERY_EVENT_EXITS } from "./machine/exit-policy.js";
export { caseBody } from "./engines/interpreter.js";
export { dbt } from "./engines/dbt.js";
export type { Engine } from "./engines/engine.js";
export { hex } from "./machine/events.js";
export { buildGuest } from "./guests/index.js";

// Monitors, the Popek–Goldberg classifier, equivalence with the native run, and the cost calibration.
export { runNative, runTrapAndEmulate, emulatingHandlers } from "./vmm/index.js";
export {
  BinaryTranslationMonitor, type BtCounters, runBinaryTranslation, btSession, translatorSession, monitorTrapHandlers, referencePolicy, allCalloutPolicy,
} from "./vmm/index.js";
export { classify } from "./analysis/pg.js";
export { checkEquivalence } from "./analysis/equivalence.js";
export { calibrate } from "./analysis/bench.js";

// The discrete-event engine both models run on.
export { Simulation } from "./sim/index.js";

// The container model: Docker on a simulated host, images, namespaces and cgroups, lab 04's cases.
export {
  Container, DockerHost, dockerBuild, type ContextFile, FsError, historyRows, humanSize, namespaceInodes, pidNamespaceFacts, procSelfNamespaces,
  compareVmsAndContainers, checkLabCase, formatLabDivergence, loadCaseFiles,
} from "./containers/index.js";

// The serverless model: function platforms, traces, keep-alive policies and lab 05's replay, billing, the published experiments.
export {
  FunctionPlatform, closedLoop, latencySummary, TraceBuilder, traceLength, readTrace, fixedKeepAlive, noUnloading, hybridHistogramPolicy,
  policyByName, comparePolicies, runTraceWithPolicy, replayWithPolicy, billFunction, sideBySideBill, LAMBDA_PRICING_2019, LAMBDA_PRICING_2021,
  coldStartBreakdown, coldStartMs, coldStartSources, PYTHON_FUNCTION_WITH_INSTALL, ContainerService, type ContainerServiceOptions,
  CONTAINER_SERVICE, VM_SERVICE, vcpusFor, runOpenLambda, sweepOpenLambda, steadyState, runBorg,
} from "./serverless/index.js";
