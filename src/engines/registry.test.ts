// The engines by name: the interpreter first (the default), the reference engine, and a clear error with a suggestion for a mistyped name.
import { describe, expect, it } from "vitest";
import { isVmlabError } from "../core/errors.js";
import { ENGINES, engineNamed } from "./registry.js";
import { interpreter } from "./interpreter.js";
import { reference } from "./reference.js";

describe("the engine registry", () => {
  it("lists the interpreter first and the reference engine, each under a unique name with a description", () => {
    expect(ENGINES.map((e) => e.name)).toEqual(["interpreter", "reference"]);
    expect(ENGINES.every((e) => e.description.length > 20)).toBe(true);
    expect(engineNamed("interpreter")).toBe(interpreter);
    expect(engineNamed("reference")).toBe(reference);
  });

  it("refuses an unknown name with ENGINE_UNKNOWN and a did-you-mean", () => {
    let error: unknown;
    try {
      engineNamed("interpeter");
    } catch (e) {
      error = e;
    }
    expect(isVmlabError(error) && error.format()).toBe("error: no engine named 'interpeter'\nhint: did you mean 'interpreter'?");
    expect(() => engineNamed("dbt")).toThrow(/no engine named 'dbt'/);
    try {
      engineNamed("dbt");
    } catch (e) {
      expect(isVmlabError(e) && e.hint).toBe("the engines are: interpreter, reference");
    }
  });
});
