// The child sides of the harnesses: a child loads the one it was started for, by name, and nothing for a name that is none.
import { describe, expect, it } from "vitest";
import { CHILD_HARNESSES, loadChildHarness } from "./children.js";

describe("the harness a sandbox child was started for", () => {
  it("loads by its name, for every harness", async () => {
    expect(Object.keys(CHILD_HARNESSES).sort()).toEqual(["bt", "containers", "serverless", "trap"]);
    for (const name of Object.keys(CHILD_HARNESSES)) {
      const harness = await loadChildHarness(name);
      expect(typeof harness?.bind, name).toBe("function");
      expect(harness!.isApiSpecifier("vmlab"), name).toBe(true);
    }
  });

  it("is none for a name no harness has, an inherited property's name included", () => {
    for (const name of [undefined, "", "nope", "toString", "__proto__", "constructor"]) expect(loadChildHarness(name), String(name)).toBeUndefined();
  });
});
