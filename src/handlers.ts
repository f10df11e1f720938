// `vmlab/handlers`: exactly what a lab 01 submission compiles against — the handler API and the architecture constants.
export * from "./isa/arch.js";
export * from "./vmm/api.js";
