// Display helpers for notebooks: tables, charts, a machine-state view, self-checks and `show`.
export * from "./rendered.js";
export * from "./table.js";
export * from "./tables.js";
export * from "./charts.js";
export * from "./machine-view.js";
export * from "./show.js";
export * from "./checks.js";
export * from "./from-machine.js";
export * from "./monitor-trace.js";
export { counted } from "../core/plural.js";
export * from "./container-checks.js";
