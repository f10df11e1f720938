// Tests for the synthetic trace generator: the real columns, the same bytes for the same seed, other bytes for another.
import { describe, expect, it } from "vitest";
import { generateSyntheticTrace } from "./synthetic-trace.js";

describe("the synthetic trace generator", () => {
  it("writes the three 2019 files per day and one 2021 file, with the real headers", () => {
    const files = generateSyntheticTrace({ days: 2 });
    expect(Object.keys(files).sort()).toEqual([
      "app_memory_percentiles.anon.d01.csv",
      "app_memory_percentiles.anon.d02.csv",
      "function_durations_percentiles.anon.d01.csv",
      "function_durations_percentiles.anon.d02.csv",
      "invocations_2021_schema.csv",
      "invocations_per_function_md.anon.d01.csv",
      "invocations_per_function_md.anon.d02.csv",
    ]);
    expect(files["invocations_per_function_md.anon.d01.csv"]!.split("\n")[0]).toMatch(/^HashOwner,HashApp,HashFunction,Trigger,1,2,3,.*,1440$/);
    expect(files["invocations_2021_schema.csv"]!.split("\n")[0]).toBe("app,func,end_timestamp,duration");
  });

  it("gives the same bytes for the same seed, however often it runs, and other bytes for another seed", () => {
    const a = generateSyntheticTrace({ seed: 7 });
    const b = generateSyntheticTrace({ seed: 7 });
    expect(b).toEqual(a);
    expect(generateSyntheticTrace({ seed: 8 })["invocations_per_function_md.anon.d01.csv"]).not.toBe(a["invocations_per_function_md.anon.d01.csv"]);
  });
});
