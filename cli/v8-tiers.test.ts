// Which commands run without TurboFan: a one-submission grade, and no other.
import { describe, expect, it } from "vitest";
import { V8_FLAGS_ENV } from "../grader/src/sandbox/code-cache.js";
import { applyV8Flags, v8FlagsFor } from "./v8-tiers.js";

describe("the V8 flags a vmlab process sets for itself", () => {
  it("caps the optimizing tier for vmlab grade", () => {
    expect(v8FlagsFor(["grade", "sub/", "--lab", "01-trap-and-emulate"])).toEqual(["--max-opt=2"]);
  });

  it("sets nothing for commands that work longer or measure speed", () => {
    for (const argv of [["grade-batch", "subs/"], ["bench"], ["run", "hello"], [], ["--version"]]) expect(v8FlagsFor(argv)).toEqual([]);
  });

  it("names the flags it set in the environment, where the compiler's code cache reads them", () => {
    const set: string[] = [];
    const env: NodeJS.ProcessEnv = {};
    applyV8Flags(["grade", "sub/"], (f) => set.push(f), env);
    expect(set).toEqual(["--max-opt=2"]);
    expect(env[V8_FLAGS_ENV]).toBe("--max-opt=2");
  });

  it("leaves the environment alone for a command without flags of its own", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyV8Flags(["grade-batch", "subs/"], () => { throw new Error("no flag expected"); }, env)).toEqual([]);
    expect(env).toEqual({});
  });
});
