// The discrete-event simulation engine: the simulation, events, processes, resources, stores, statistics and the seeded RNG.
export { Simulation, type Clock, type SimulationOptions, type SimTraceEntry, type ScheduleOptions } from "./simulation.js";
export type { ScheduledCall } from "./queue.js";
export { SimEvent, Timeout, Priority, type EventCallback } from "./event.js";
export { Process, Interrupt, type ProcessGenerator, type Yieldable } from "./process.js";
export { AllOf, AnyOf, type FirstOf } from "./condition.js";
export { Resource, ResourceRequest } from "./resource.js";
export { Store, StoreGet, StorePut } from "./store.js";
export { Samples, percentile, cdf, type PercentileMethod, type CdfPoint, type CdfOptions, type SampleSummary } from "./samples.js";
export { TimeWeighted, type LevelChange, type TimeWeightedOptions } from "./time-weighted.js";
export { Histogram, type HistogramBin, type HistogramSpec } from "./histogram.js";
export { Counter } from "./counter.js";
export { SimError, type SimErrorCode } from "./errors.js";
export { benchSim, type SimBenchOptions, type SimBenchResult } from "./bench.js";
export * from "./rng.js";
