// Which commands run without TurboFan: a one-submission grade, and no other.
import { describe, expect, it } from "vitest";
import { v8FlagsFor } from "./v8-tiers.js";

describe("the V8 flags a vmlab process sets for itself", () => {
  it("caps the optimizing tier for vmlab grade", () => {
    expect(v8FlagsFor(["grade", "sub/", "--lab", "01-trap-and-emulate"])).toEqual(["--max-opt=2"]);
  });

  it("sets nothing for commands that work longer or measure speed", () => {
    for (const argv of [["grade-batch", "subs/"], ["bench"], ["run", "hello"], [], ["--version"]]) expect(v8FlagsFor(argv)).toEqual([]);
  });
});
