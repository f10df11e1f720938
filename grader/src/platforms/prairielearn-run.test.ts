import { describe, expect, it } from "vitest";
import { prairieLearnMoment } from "./prairielearn-run.js";

describe("the moment a PrairieLearn student view is rendered for", () => {
  it("is the submission time the question's parse() stamped into params", () => {
    expect(prairieLearnMoment({ variant_seed: 7, params: { vmlab_submitted_at: "2026-01-11T12:00:00+01:00" } })).toEqual({ asOf: "2026-01-11T11:00:00.000Z" });
  });

  it("is none (the view before any date) when data.json carries no time, or not a date", () => {
    expect(prairieLearnMoment({ variant_seed: 7 })).toEqual({});
    expect(prairieLearnMoment({ params: null })).toEqual({});
    expect(prairieLearnMoment({ params: { vmlab_submitted_at: "yesterday" } })).toEqual({});
  });
});
