// `vmlab/isa`: the instruction set — the architecture constants, the one instruction table, the encoder and decoder, the assembler and the disassembler.
export * from "./arch.js";
export * from "./table.js";
export * from "./encoding.js";
export * from "./assembler.js";
export * from "./disassembler.js";
