// `vmlab/internal`: every module of the library, for vmlab's own tests, the grader and the CLI — no promise of stability (notebooks and labs use `vmlab`).

export * from "./isa/arch.js";
export * from "./isa/table.js";
export * from "./isa/encoding.js";
export * from "./machine/memory.js";
export * from "./machine/devices.js";
export * from "./machine/cost.js";
export * from "./machine/counters.js";
export * from "./machine/machine.js";
export * from "./machine/exit-policy.js";
export * from "./engines/engine.js";
export * from "./engines/interpreter.js";
export * from "./engines/reference.js";
export * from "./engines/registry.js";
export type * from "./vmm/api.js";
export { HANDLER_NAMES } from "./vmm/api.js";
// Modules added by later work register their exports below this line.
export * from "./guests/index.js";
export * from "./vmm/index.js";
export * from "./core/errors.js";
export * from "./core/suggest.js";
export * from "./isa/assembler.js";
export * from "./isa/disassembler.js";
export * from "./machine/boot.js";
export * from "./analysis/equivalence.js";
export { classify, classifyForm, CONFIGURATIONS, type Classification, type InstructionVerdict } from "./analysis/pg.js";
export * from "./analysis/generator.js";
export * from "./analysis/bench.js";
export * from "./sim/rng.js";
export * from "./sim/index.js";
export * from "./serverless/index.js";
export * from "./core/package-root.js";
export * from "./containers/index.js";
