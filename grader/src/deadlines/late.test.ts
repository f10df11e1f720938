import { describe, expect, it } from "vitest";
import { daysLate, lateRecord, type LatePolicy } from "./late.js";

const due = "2027-03-01T23:59:00Z";
const tenPercent: LatePolicy = { perDay: { percent: 10 }, maxDays: 5, maxPenalty: { percent: 25 } };
const at = (iso: string) => ({ submittedAt: iso, source: "git" as const });

describe("the late policy", () => {
  it("charges nothing on time and says so, naming where the time came from", () => {
    const l = lateRecord(80, { due, late: tenPercent }, at("2027-03-01T20:00:00Z"));
    expect(l).toMatchObject({ days_late: 0, penalty: 0, raw_score: 80, accepted: true });
    expect(l.explanation).toBe("submitted 2027-03-01T20:00:00Z (the last commit's time), on time for the due date 2027-03-01T23:59:00Z");
  });

  it("counts a started day as a day and charges the rate per day of the raw score", () => {
    const l = lateRecord(80, { due, late: tenPercent }, at("2027-03-03T00:30:00Z"));
    expect(l).toMatchObject({ days_late: 2, days_charged: 2, penalty: 16, capped: false });
    expect(l.explanation).toContain("2 days charged at 10% per day: −16 points (raw 80 → 64)");
  });

  it("caps the penalty at max_penalty", () => {
    const l = lateRecord(80, { due, late: tenPercent }, at("2027-03-05T12:00:00Z"));
    expect(l).toMatchObject({ days_late: 4, penalty: 20, capped: true, accepted: true });
    expect(l.explanation).toContain("capped at 25%: −20 points");
  });

  it("does not accept more charged days than max_days: the raw score is all lost", () => {
    const l = lateRecord(80, { due, late: tenPercent }, at("2027-03-08T12:00:00Z"));
    expect(l).toMatchObject({ days_late: 7, penalty: 80, accepted: false });
    expect(l.explanation).toContain("not accepted, 0 points");
  });

  it("spends grace days first and charges only the days left", () => {
    const l = lateRecord(80, { due, late: tenPercent }, { ...at("2027-03-04T10:00:00Z"), graceAvailable: 2 });
    expect(l).toMatchObject({ days_late: 3, grace_days_used: 2, days_charged: 1, penalty: 8 });
    const covered = lateRecord(80, { due, late: tenPercent }, { ...at("2027-03-02T10:00:00Z"), graceAvailable: 2 });
    expect(covered).toMatchObject({ days_late: 1, grace_days_used: 1, days_charged: 0, penalty: 0 });
    expect(covered.explanation).toContain("1 grace day used; no penalty");
  });

  it("measures lateness from a student's extended due date", () => {
    const l = lateRecord(80, { due, late: tenPercent }, { ...at("2027-03-04T10:00:00Z"), extension: { due: "2027-03-04T23:59:00.000Z", note: "medical" } });
    expect(l).toMatchObject({ days_late: 0, penalty: 0, extended_due: "2027-03-04T23:59:00.000Z", due });
    expect(l.explanation).toContain("on time for the extended due date 2027-03-04T23:59:00.000Z (medical)");
  });

  it("takes points per day when the rate is in points, never below zero", () => {
    const points: LatePolicy = { perDay: { points: 30 }, maxDays: 3 };
    expect(lateRecord(50, { due, late: points }, at("2027-03-03T10:00:00Z")).penalty).toBe(50);
    expect(lateRecord(80, { due, late: points }, at("2027-03-02T10:00:00Z")).penalty).toBe(30);
  });

  it("gives the same record for the same submission whatever the clock says", () => {
    const a = lateRecord(80, { due, late: tenPercent }, at("2027-03-03T00:30:00Z"));
    expect(lateRecord(80, { due, late: tenPercent }, at("2027-03-03T00:30:00Z"))).toEqual(a);
    expect(daysLate("2027-03-02T23:59:00Z", due)).toBe(1);
    expect(daysLate("2027-03-03T00:00:00Z", due)).toBe(2);
  });
});
