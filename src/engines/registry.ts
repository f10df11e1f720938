// The engines a machine can run on, by name, for the CLI and tests to select (`--engine NAME`).
import type { Engine } from "./engine.js";
import { interpreter } from "./interpreter.js";
import { reference } from "./reference.js";
import { dbt } from "./dbt.js";
import { knownEngineName } from "./names.js";

/** Every engine, the default (the interpreter) first, the differential oracle, the binary translator. */
export const ENGINES: readonly Engine[] = [interpreter, reference, dbt];

/** The engine called `name`; an unknown name fails with ENGINE_UNKNOWN, the list of engines and a "did you mean" (names.ts). */
export function engineNamed(name: string): Engine {
  const known = knownEngineName(name);
  return ENGINES.find((e) => e.name === known)!;
}
