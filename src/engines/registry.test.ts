// The engines by name (and their names alone, names.ts): the interpreter first (the default), the reference engine, the binary translator, and a clear error with a suggestion for a mistyped name.
import { describe, expect, it } from "vitest";
import { isVmlabError } from "../core/errors.js";
import { ENGINES, engineNamed } from "./registry.js";
import { interpreter } from "./interpreter.js";
import { reference } from "./reference.js";
import { ENGINE_NAMES, knownEngineName } from "./names.js";

describe("the engine registry", () => {
  it("lists the interpreter first, the reference engine and the translator, each under a unique name with a description", () => {
    expect(ENGINES.map((e) => e.name)).toEqual(["interpreter", "reference", "dbt"]);
    expect(ENGINES.every((e) => e.description.length > 20)).toBe(true);
    expect(engineNamed("interpreter")).toBe(interpreter);
    expect(engineNamed("reference")).toBe(reference);
  });

  it("has the names that names.ts gives the commands without loading any engine, in the same order", () => {
    expect(ENGINES.map((e) => e.name)).toEqual([...ENGINE_NAMES]);
    expect(knownEngineName("dbt")).toBe("dbt");
    expect(() => knownEngineName("interpeter")).toThrow(/no engine named 'interpeter'/);
  });

  it("refuses an unknown name with ENGINE_UNKNOWN and a did-you-mean", () => {
    let error: unknown;
    try {
      engineNamed("interpeter");
    } catch (e) {
      error = e;
    }
    expect(isVmlabError(error) && error.format()).toBe("error: no engine named 'interpeter'\nhint: did you mean 'interpreter'?");
    expect(() => engineNamed("jit")).toThrow(/no engine named 'jit'/);
    try {
      engineNamed("jit");
    } catch (e) {
      expect(isVmlabError(e) && e.hint).toBe("the engines are: interpreter, reference, dbt");
    }
  });
});
