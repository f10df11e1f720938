// The engines' names, apart from the engines: what a command needs to offer and check `--engine NAME` without loading the interpreter, the translator and the code generator under them.
import { VmlabError } from "../core/errors.js";
import { didYouMean } from "../core/suggest.js";

/** Every engine's name, in the registry's order (registry.ts; a test keeps the two the same). */
export const ENGINE_NAMES = ["interpreter", "reference", "dbt"] as const;

export type EngineName = (typeof ENGINE_NAMES)[number];

/** `name`, when an engine has it; ENGINE_UNKNOWN with the list of engines and a "did you mean" otherwise. */
export function knownEngineName(name: string): EngineName {
  if ((ENGINE_NAMES as readonly string[]).includes(name)) return name as EngineName;
  throw new VmlabError("ENGINE_UNKNOWN", `no engine named '${name}'`, { hint: didYouMean(name, ENGINE_NAMES) ?? `the engines are: ${ENGINE_NAMES.join(", ")}` });
}
