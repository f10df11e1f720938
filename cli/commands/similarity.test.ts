// vmlab similarity at the command line: a folder of submissions in, the flagged pairs on the terminal, similarity.json and the instructor's page written.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";

async function vmlab(args: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { cwd, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {} });
  return { code, stdout, stderr };
}

describe("vmlab similarity", () => {
  it("flags the two near-copies in a batch, not the independent one, and writes the report for the instructor", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "vmlab-similarity-"));
    const solution = readFileSync("solutions/01-trap-and-emulate/handlers.ts", "utf8");
    const subs = { alice: solution, bob: solution.replace(/\bvcpu\b/g, "machine").replace(/\/\/.*$/gm, ""), carol: readFileSync("exercises/01-trap-and-emulate/handlers.ts", "utf8") };
    for (const [name, text] of Object.entries(subs)) {
      mkdirSync(join(cwd, "subs", name), { recursive: true });
      writeFileSync(join(cwd, "subs", name, "handlers.ts"), text);
    }
    const r = await vmlab(["similarity", "subs", "--lab", join(process.cwd(), "exercises/01-trap-and-emulate"), "--out", "report"], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^3 submissions, 3 pairs compared \(starter code left out\); 1 at or above 0\.5:\n {2}1\.000 {2}alice ~ bob {2}\(\d+ shared fingerprints, \d+ shared regions?\)\n/);
    const json = JSON.parse(readFileSync(join(cwd, "report/similarity.json"), "utf8")) as { pairs: { a: string; b: string; flagged: boolean }[] };
    expect(json.pairs.filter((p) => p.flagged).map((p) => `${p.a}~${p.b}`)).toEqual(["alice~bob"]);
    expect(readFileSync(join(cwd, "report/similarity.html"), "utf8")).toMatch(/<h2>alice ~ bob: 1\.000<\/h2>/);
  });

  it("refuses a threshold outside 0–1 with one message and exit 2", async () => {
    const r = await vmlab(["similarity", "subs", "--lab", "01-trap-and-emulate", "--threshold", "2"], process.cwd());
    expect([r.code, r.stderr]).toEqual([2, "error: --threshold must be a number from 0 to 1, got 2\nhint: e.g. --threshold 0.5\n"]);
  });
});
