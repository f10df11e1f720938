// Assemble a source text and load it into a fresh machine: the shortest path from a guest to a run.
import { assemble, type AssembleOptions } from "../isa/assembler.js";
import { Machine, type MachineOptions } from "./machine.js";

export interface BootOptions extends MachineOptions {
  /** File name for diagnostics. */
  readonly file?: string;
  /** Assembler constants. */
  readonly defines?: Record<string, number>;
}

/** Assemble `source` and return a machine with it loaded and the PC at its entry. */
export function bootAssembly(source: string, options: BootOptions = {}): Machine {
  const asmOptions: AssembleOptions = { file: options.file ?? "guest.s", ...(options.defines ? { defines: options.defines } : {}) };
  const program = assemble(source, asmOptions);
  const machine = new Machine(options);
  machine.load(program);
  return machine;
}
