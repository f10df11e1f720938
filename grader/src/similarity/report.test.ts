import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../paths.js";
import { fingerprint, K, tokens, W } from "./fingerprint.js";
import { similarityHtml, similarityReport } from "./report.js";

const root = packageRoot();
const starter = readFileSync(join(root, "exercises/01-trap-and-emulate/handlers.ts"), "utf8");
const solution = readFileSync(join(root, "solutions/01-trap-and-emulate/handlers.ts"), "utf8");
/** The solution disguised as copiers do: names changed, comments dropped, lines re-spaced. */
const disguised = solution
  .replace(/\/\/.*$/gm, "")
  .replace(/\/\*[\s\S]*?\*\//g, "")
  .replace(/\bvcpu\b/g, "cpu")
  .replace(/\bvalue\b/g, "v")
  .replace(/ = /g, "  =  ")
  .replace(/\n\n+/g, "\n");
/** Independent work: another lab's policy, in the same file name. */
const other = readFileSync(join(root, "solutions/05-keep-alive/policy.ts"), "utf8");

describe("the similarity report", () => {
  const subs = [
    { name: "alice", files: { "handlers.ts": solution } },
    { name: "bob", files: { "handlers.ts": disguised } },
    { name: "carol", files: { "handlers.ts": other } },
  ];
  const report = similarityReport("01-trap-and-emulate", subs, { "handlers.ts": starter }, 0.5);

  it("sees through renamed variables, dropped comments and spacing: a near-copy pair scores high and is flagged", () => {
    expect(tokens("let a = 1; // x\n").map((t) => t.text)).toEqual(["let", "id", "=", "num", ";"]);
    expect(fingerprint(disguised).length).toBeGreaterThan(10);
    const top = report.pairs[0]!;
    expect([top.a, top.b]).toEqual(["alice", "bob"]);
    expect(top.score).toBeGreaterThan(0.8);
    expect(top.flagged).toBe(true);
    expect(top.regions.length).toBeGreaterThan(0);
  });

  it("leaves independent work low and unflagged", () => {
    for (const p of report.pairs.filter((x) => x.a === "carol" || x.b === "carol")) {
      expect(p.score).toBeLessThan(0.2);
      expect(p.flagged).toBe(false);
    }
  });

  it("does not count the starter code two submissions both keep", () => {
    const both = similarityReport("01-trap-and-emulate", [{ name: "x", files: { "handlers.ts": starter } }, { name: "y", files: { "handlers.ts": starter } }], { "handlers.ts": starter }, 0.5);
    expect(both.pairs).toEqual([{ a: "x", b: "y", score: 0, shared: 0, flagged: false, regions: [] }]);
    expect(both.submissions).toEqual({ x: 0, y: 0 });
  });

  it("is deterministic: the same submissions in another order give the same report", () => {
    expect(similarityReport("01-trap-and-emulate", [...subs].reverse(), { "handlers.ts": starter }, 0.5)).toEqual(report);
    expect([report.k, report.w]).toEqual([K, W]);
  });

  it("shows the instructor the shared lines of a flagged pair, escaped, and only those pairs' code", () => {
    const html = similarityHtml(report, new Map(subs.map((s) => [s.name, s.files])));
    expect(html).toMatch(/For instructors only/);
    const region = report.pairs[0]!.regions[0]!;
    const line = solution.split("\n")[region.a.from - 1]!.trim();
    expect(html).toContain(line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"));
    expect(html).not.toContain(other.split("\n").find((l) => l.trim().length > 30 && !solution.includes(l.trim()))!.trim());
  });
});
