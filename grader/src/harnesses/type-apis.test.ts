// The type-checking side of the harnesses agrees with the harnesses: the same names, the same API sources and specifiers.
import { describe, expect, it } from "vitest";
import { packageRoot } from "../paths.js";
import { HARNESSES } from "./index.js";
import { TYPE_APIS, typeApiOf } from "./type-apis.js";

describe("the harnesses' type-checking side", () => {
  it("names every harness and no other", () => {
    expect(Object.keys(TYPE_APIS).sort()).toEqual(Object.keys(HARNESSES).sort());
  });

  it("is what each harness type-checks against: the same sources behind vmlab and the same specifiers", () => {
    for (const [name, harness] of Object.entries(HARNESSES)) {
      expect(typeApiOf(name).apiSources(packageRoot())).toEqual(harness.apiSources(packageRoot()));
      expect(typeApiOf(name).isApiSpecifier).toBe(harness.isApiSpecifier);
    }
  });

  it("refuses a harness that is not implemented, listing those that are", () => {
    expect(() => typeApiOf("quantum")).toThrow(/harness 'quantum' is not implemented/);
  });
});
