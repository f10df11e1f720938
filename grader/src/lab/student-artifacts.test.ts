// What students install and receive holds no secret: the npm package and the notebooks as shipped are searched for every solution line, hidden guest and notebook answer.
// (Released handouts and feedback are searched in e2e.test.ts and threats-batch.test.ts, against the same secrets.)
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../paths.js";
import { studentSecrets } from "./secrets.js";

const root = packageRoot();
const secrets = studentSecrets(root);

function leaksIn(files: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(root, f), "utf8");
    for (const s of secrets) if (text.includes(s.text)) leaks.push(`${f} carries ${s.what}: ${s.text.slice(0, 60)}`);
  }
  return leaks;
}

describe("what a student installs or receives", () => {
  it("has secrets to look for: solution lines, hidden guests' lines and notebook answers", () => {
    const kinds = new Set(secrets.map((s) => s.what.replace(/ of .*|'s .*| to .*/, "")));
    expect(secrets.length).toBeGreaterThan(40);
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["a line", "a solution region", "hidden guest tick-count"].map((k) => k)));
  });

  it("the npm package (npm pack) carries no solution, no hidden suite and no notebook answer", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["bin/vmlab.js", "dist/src/index.js", "dist/cli/main.js", "dist/grader/src/sandbox/child.js", "grader/schema/lab.schema.json"]));
    expect(files.filter((f) => /^(solutions|grader\/labs|exercises|src|cli|notebooks)\//.test(f))).toEqual([]);
    expect(leaksIn(files.filter((f) => !f.endsWith(".map")))).toEqual([]);
  });

  it("the notebooks as shipped carry no answer, solution line or hidden guest", () => {
    const notebooks = readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).map((f) => join("notebooks", f));
    expect(notebooks.length).toBeGreaterThanOrEqual(5);
    expect(leaksIn(notebooks)).toEqual([]);
  });
});
