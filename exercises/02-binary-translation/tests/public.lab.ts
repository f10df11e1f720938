// Public tests of lab 02: each guest of the public suite must run under your translator exactly as on the bare machine, on the x86 profile.
// Run them with `npm test` in the handout. The grader runs the same guests (and hidden ones) in a sandbox;
// `npx vmlab grade . --suite public` grades them exactly as it will.
import { describe, expect, it } from "vitest";
import { buildGuest, checkEquivalence, translatorSession } from "vmlab";
import { translator } from "../translator.js";

/** The public suite of lab.yaml: guest name and the timer period it runs with. */
const PUBLIC: readonly [string, { timerPeriod?: number }][] = [
  ["hello", {}],
  ["syscalls", {}],
  ["sleep", { timerPeriod: 500 }],
  ["popf-irq", { timerPeriod: 300 }],
  ["ring-check", {}],
];

describe("lab 02, public suite", () => {
  for (const [name, options] of PUBLIC) {
    it(`${name} runs under your translator exactly as on bare hardware`, () => {
      const guest = buildGuest(name, options);
      const report = checkEquivalence(guest, translatorSession(translator, "x86"), { profile: "x86", maxSteps: 2_000_000, memoryBytes: guest.memoryBytes });
      const stop = report.virtualized.stop;
      // A policy or callout that is missing, throws or does not resume ends the run: say which, in the monitor's words.
      if (stop.kind === "handler-error" || stop.kind === "no-handler") expect.fail(`${name}: ${stop.message}`);
      // Otherwise the first divergence, in words, when there is one.
      expect(report.divergence?.message ?? report.differences.join("; ")).toBe("");
      expect(report.equivalent).toBe(true);
    });
  }
});
