// Public tests of lab 01: each bundled guest must run under your monitor exactly as on the bare machine.
// Run them with `npm test` in the handout. The grader runs the same guests (and hidden ones) in a sandbox;
// `npx vmlab grade . --suite public` grades them exactly as it will.
import { describe, expect, it } from "vitest";
import { buildGuest, checkEquivalence } from "vmlab";
import { handlers } from "../handlers.js";

/** The public suite of lab.yaml: guest name and the timer period it runs with. */
const PUBLIC: readonly [string, { timerPeriod?: number }][] = [
  ["hello", {}],
  ["syscalls", {}],
  ["sleep", { timerPeriod: 500 }],
  ["popf-irq", { timerPeriod: 300 }],
  ["fault-privileged", {}],
];

describe("lab 01, public suite", () => {
  for (const [name, options] of PUBLIC) {
    it(`${name} runs under your handlers exactly as on bare hardware`, () => {
      const report = checkEquivalence(buildGuest(name, options), handlers, { maxSteps: 2_000_000 });
      const stop = report.virtualized.stop;
      // A handler that is missing, throws or does not resume ends the run: say which, in the monitor's words.
      if (stop.kind === "handler-error" || stop.kind === "no-handler") expect.fail(`${name}: ${stop.message}`);
      // Otherwise the first divergence, in words, when there is one.
      expect(report.divergence?.message ?? report.differences.join("; ")).toBe("");
      expect(report.equivalent).toBe(true);
    });
  }
});
