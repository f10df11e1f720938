// Names the assembler reserves: general registers, control registers and `cs`, which no label, constant or macro may take.
import { CR_INDEX, NUM_REGS, SP } from "../arch.js";

/** Parse a general-register name (`r0`..`r15`, `sp`), case-insensitive. */
export function parseRegister(name: string): number | undefined {
  const n = name.toLowerCase();
  if (n === "sp") return SP;
  const m = /^r(\d{1,2})$/.exec(n);
  if (!m) return undefined;
  const r = Number(m[1]);
  return r < NUM_REGS && String(r) === m[1] ? r : undefined;
}

/** The index of a control register (`cr3`, `ksp`), case-insensitive. */
export function crIndex(name: string): number | undefined {
  const n = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(CR_INDEX, n) ? CR_INDEX[n as keyof typeof CR_INDEX] : undefined;
}

/** A register-like name (`r7`, `sp`, `cr3`, `cs`, even `r99`) that cannot name a symbol. */
export function isReservedName(name: string): boolean {
  const n = name.toLowerCase();
  return parseRegister(n) !== undefined || crIndex(n) !== undefined || n === "cs" || /^r\d+$/.test(n);
}
