// The real collaborators of the pipeline: the sandbox, the assembler, the bundled guests, the guest generator and the native machine.
import { generateGuest, type Feature } from "../../src/analysis/generator.js";
import { buildGuest } from "../../src/guests/index.js";
import { assemble } from "../../src/isa/assembler.js";
import { engineNamed } from "../../src/engines/registry.js";
import { defaultCostModel, withOverrides, type CostModel } from "../../src/machine/cost.js";
import { runNative } from "../../src/vmm/native.js";
import type { GuestFactory } from "./harnesses/trap-cases.js";
import type { SandboxPort } from "./contract.js";
import type { GraderDeps } from "./grade.js";
import type { TrustedRunner } from "./reference.js";
import { CompileWorker } from "./sandbox/compile-worker.js";
import { GRADER_ENGINE } from "./sandbox/protocol.js";
import { createSandbox, runInSandbox, type PoolOptions } from "./sandbox/runner.js";

/**
 * The sandbox of grader/src/sandbox: type-check in a worker thread with a time limit, run in a locked-down
 * child — one per submission, or kept children (`pool`, for a batch) started by `prestart`.
 */
export function createRealSandbox(compiler: CompileWorker = new CompileWorker(), options: { readonly pool?: PoolOptions } = {}): SandboxPort {
  const sandbox = options.pool ? createSandbox({ pool: options.pool }) : undefined;
  return {
    compileSubmission: (files, o) => compiler.compile(files, o),
    runInSandbox: (request, o) => (sandbox ? sandbox.run(request, o) : runInSandbox(request, o)),
    prestart: (count, warm, like) => sandbox?.prestart(count, warm, like),
    close: async () => {
      await sandbox?.close();
    },
  };
}

export const realFactory: GuestFactory = {
  assemble: (source, file, defines) => assemble(source, { file, defines }),
  builtin: (name, options) => buildGuest(name, options.timerPeriod === undefined ? {} : { timerPeriod: options.timerPeriod }),
  generate: (options) => {
    const g = generateGuest({ seed: options.seed, mix: options.mix as Feature[], assemble: false, ...(options.size ? { size: options.size } : {}) });
    return { source: g.source };
  },
};

/** The lab's cost overrides on top of the documented defaults. */
export function labCost(overrides: Readonly<Record<string, number>>): CostModel {
  return withOverrides(defaultCostModel(), overrides);
}

/** Native runs in the grader's own process on `engine` (a registry name): trusted code on a guest image, no student code involved. */
export function trustedRunner(engine: string = GRADER_ENGINE): TrustedRunner {
  const onEngine = engineNamed(engine);
  return {
    nativeCycles: (guest, options) => runNative(guest, { profile: options.profile, maxSteps: options.maxSteps, cost: labCost(options.cost), engine: onEngine }).cycles,
  };
}

/** Native runs on the grader's default engine. */
export const realTrusted: TrustedRunner = trustedRunner();

/** Deps for real grading runs (`engine`: what every machine runs on, in this process and in the sandbox; default GRADER_ENGINE). */
export function realDeps(overrides: Partial<GraderDeps> = {}): GraderDeps {
  const trusted = overrides.engine ? trustedRunner(overrides.engine) : realTrusted;
  return { sandbox: overrides.sandbox ?? createRealSandbox(), factory: realFactory, trusted, now: () => performance.now(), ...overrides };
}
