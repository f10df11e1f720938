// lab.yaml's TypeScript types are generated from its schema, so the two cannot drift: the committed types are what the schema gives.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../paths.js";

describe("the lab-config types", () => {
  it("are exactly what scripts/lab-config-types.mjs generates from grader/schema/lab.schema.json", async () => {
    const root = packageRoot();
    const { labConfigTypes, OUTPUT } = (await import(/* @vite-ignore */ join(root, "scripts/lab-config-types.mjs"))) as { labConfigTypes(): Promise<string>; OUTPUT: string };
    expect(readFileSync(OUTPUT, "utf8"), "run: node scripts/lab-config-types.mjs").toBe(await labConfigTypes());
  });
});
