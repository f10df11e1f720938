// Parameter checks for the serverless model: a negative time or a zero rate is refused with one clear message.
import { VmlabError } from "../core/errors.js";

/** Thrown for a model parameter that cannot be right (negative time, zero rate, NaN); the CLI exits 2 on it. */
export class ParameterError extends VmlabError {
  constructor(message: string, hint?: string) {
    super("SIM_BAD_PARAMETER", message, hint === undefined ? {} : { hint });
  }
}

/** A finite number ≥ 0 (times, sizes, prices), or a ParameterError naming the parameter. */
export function nonNegative(name: string, value: number, unit = ""): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ParameterError(`${name} must be a number ≥ 0${unit ? ` (${unit})` : ""}, got ${String(value)}`, `give ${name} as a non-negative number`);
  }
  return value;
}

/** A finite number > 0 (rates, memory, capacities), or a ParameterError naming the parameter. */
export function positive(name: string, value: number, unit = ""): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ParameterError(`${name} must be a number > 0${unit ? ` (${unit})` : ""}, got ${String(value)}`, `give ${name} as a positive number`);
  }
  return value;
}

/** A whole number ≥ `min` (counts, limits); Infinity is allowed where `allowInfinity` says so. */
export function wholeNumber(name: string, value: number, min = 0, allowInfinity = false): number {
  if (allowInfinity && value === Infinity) return value;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new ParameterError(`${name} must be a whole number ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** A probability or fraction in [0, 1]. */
export function fraction(name: string, value: number): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new ParameterError(`${name} must be between 0 and 1, got ${String(value)}`);
  }
  return value;
}
