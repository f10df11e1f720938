// The engines a machine can run on, by name, for the CLI and tests to select (`--engine NAME`).
import { VmlabError } from "../core/errors.js";
import { didYouMean } from "../core/suggest.js";
import type { Engine } from "./engine.js";
import { interpreter } from "./interpreter.js";
import { reference } from "./reference.js";

/** Every engine, the default (the interpreter) first. */
export const ENGINES: readonly Engine[] = [interpreter, reference];

/** The engine called `name`; an unknown name fails with ENGINE_UNKNOWN, the list of engines and a "did you mean". */
export function engineNamed(name: string): Engine {
  const engine = ENGINES.find((e) => e.name === name);
  if (!engine) {
    const names = ENGINES.map((e) => e.name);
    throw new VmlabError("ENGINE_UNKNOWN", `no engine named '${name}'`, { hint: didYouMean(name, names) ?? `the engines are: ${names.join(", ")}` });
  }
  return engine;
}
