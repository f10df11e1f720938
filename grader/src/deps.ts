// The real collaborators of the pipeline: the sandbox, the assembler, the bundled guests, the guest generator and the native machine.
//
// The assembler, the bundled guests, the generator and the native machine are loaded when a case is first
// built or a reference number first computed, not with this module: a grade whose cases and numbers come
// from the caches (case-cache.ts, reference.ts) never uses them, and loading them cost the grading process
// about 40 modules. The native run and the cost model come with them.
import type { Feature } from "../../src/analysis/generator.js";
import { knownEngineName } from "../../src/engines/names.js";
import type { GuestFactory } from "./harnesses/trap-cases.js";
import type { SandboxPort } from "./contract.js";
import type { GraderDeps } from "./grade.js";
import type { TrustedRunner } from "./reference.js";
import { createHash } from "node:crypto";
import { engineHash, sourcesHasher } from "./engine-hash.js";
import { dependencyVersion, graderCacheDir, packageRoot } from "./paths.js";
import { compileStore, type CompileStore } from "./sandbox/compile-store.js";
import { CompileWorker, type CompileWorkerOptions } from "./sandbox/compile-worker.js";
import { GRADER_ENGINE } from "./sandbox/protocol.js";
import { createSandbox, type PoolOptions } from "./sandbox/runner.js";

/** The modules that build guests, loaded once, on first use. */
let builders: Promise<{ assemble: typeof import("../../src/isa/assembler.js").assemble; buildGuest: typeof import("../../src/guests/index.js").buildGuest; generateGuest: typeof import("../../src/analysis/generator.js").generateGuest }> | undefined;
const guestBuilders = () =>
  (builders ??= Promise.all([import("../../src/isa/assembler.js"), import("../../src/guests/index.js"), import("../../src/analysis/generator.js")]).then(([a, g, r]) => ({ assemble: a.assemble, buildGuest: g.buildGuest, generateGuest: r.generateGuest })));

/** The modules of a native run (the engines with them), loaded once, on first use. */
let natives: Promise<{ runNative: typeof import("../../src/vmm/native.js").runNative; cost: typeof import("../../src/machine/cost.js"); engineNamed: typeof import("../../src/engines/registry.js").engineNamed }> | undefined;
const nativeModules = () =>
  (natives ??= Promise.all([import("../../src/vmm/native.js"), import("../../src/machine/cost.js"), import("../../src/engines/registry.js")]).then(([n, cost, r]) => ({ runNative: n.runNative, cost, engineNamed: r.engineNamed })));

/** Compile results kept under out/grader-cache/compile/, valid while the sources (`hashSources`: their digest) and TypeScript's version stay what they are. */
export function realCompileStore(root: string = packageRoot(), hashSources: (root: string) => string = engineHash): CompileStore {
  const identity = () => createHash("sha256").update(hashSources(root)).update("\0").update(dependencyVersion("typescript", root)).digest("hex");
  return compileStore(graderCacheDir(root, "compile"), identity);
}

/** The grader's compile worker: type-checks in worker threads, results kept on disk (realCompileStore). */
export function realCompileWorker(options: CompileWorkerOptions = {}, hashSources?: (root: string) => string): CompileWorker {
  return new CompileWorker({ store: realCompileStore(packageRoot(), hashSources), ...options });
}

/**
 * The sandbox of grader/src/sandbox: type-check in a worker thread with a time limit, run in a locked-down
 * child — one per submission, or kept children (`pool`, for a batch) started by `prestart`; a single
 * grade's child starts early, while its submission compiles (`prepare`).
 */
export function createRealSandbox(compiler: CompileWorker = realCompileWorker(), options: { readonly pool?: PoolOptions } = {}): SandboxPort {
  // Made when first used (it checks that the child is built): one per grading process, pooled or not.
  let made: ReturnType<typeof createSandbox> | undefined = options.pool ? createSandbox({ pool: options.pool }) : undefined;
  const sandbox = () => (made ??= createSandbox());
  return {
    compileSubmission: (files, o) => compiler.compile(files, o),
    runInSandbox: (request, o) => sandbox().run(request, o),
    prepare: (request) => sandbox().prepare(request),
    prestart: (count, warm, like) => sandbox().prestart(count, warm, like),
    close: async () => {
      await made?.close();
    },
  };
}

export const realFactory: GuestFactory = {
  assemble: async (source, file, defines) => (await guestBuilders()).assemble(source, { file, defines }),
  builtin: async (name, options) => (await guestBuilders()).buildGuest(name, options.timerPeriod === undefined ? {} : { timerPeriod: options.timerPeriod }),
  generate: async (options) => {
    const g = (await guestBuilders()).generateGuest({ seed: options.seed, mix: options.mix as Feature[], assemble: false, ...(options.size ? { size: options.size } : {}) });
    return { source: g.source };
  },
};

/** Native runs in the grader's own process on `engine` (a registry name): trusted code on a guest image, no student code involved. */
export function trustedRunner(engine: string = GRADER_ENGINE): TrustedRunner {
  const name = knownEngineName(engine);
  return {
    nativeCycles: async (guest, options) => {
      const { runNative, cost, engineNamed } = await nativeModules();
      // The lab's cost overrides on top of the documented defaults.
      return runNative(guest, { profile: options.profile, maxSteps: options.maxSteps, cost: cost.withOverrides(cost.defaultCostModel(), options.cost), engine: engineNamed(name) }).cycles;
    },
  };
}

/** Native runs on the grader's default engine. */
export const realTrusted: TrustedRunner = trustedRunner();

/** Deps for real grading runs (`engine`: what every machine runs on, in this process and in the sandbox; default GRADER_ENGINE). */
export function realDeps(overrides: Partial<GraderDeps> = {}): GraderDeps {
  const trusted = overrides.engine ? trustedRunner(overrides.engine) : realTrusted;
  // One walk of the sources for the compile store and the caches of cases and numbers alike.
  const hashSources = overrides.hashSources ?? sourcesHasher();
  return { sandbox: overrides.sandbox ?? createRealSandbox(realCompileWorker({}, hashSources)), factory: realFactory, trusted, now: () => performance.now(), hashSources, ...overrides };
}
