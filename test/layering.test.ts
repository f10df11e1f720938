// The layering of the repository: the library (src/) never reaches into the grader or the solutions, and the grader never into the CLI.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { vmlabRoot } from "../src/core/package-root.js";

const ROOT = vmlabRoot();

/** Every TypeScript file under a folder, tests included. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** The files among these whose import or export specifiers (static or dynamic) reach a top-level folder. */
function reaching(files: string[], folders: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)) {
      const spec = m[1]!;
      // The package's own grader entry reaches the grader as surely as a relative path does.
      if (spec === "vmlab/grader" && folders.includes("grader")) found.push(`${file} imports ${spec}`);
      if (!spec.startsWith(".")) continue;
      const target = relative(ROOT, join(ROOT, file, "..", spec)).split("/")[0]!;
      if (folders.includes(target)) found.push(`${file} imports ${spec}`);
    }
  }
  return found;
}

describe("the repository's layering", () => {
  it("keeps the library free of the grader and the solutions, tests included", () => {
    expect(reaching(sources("src"), ["grader", "solutions", "cli"])).toEqual([]);
  });

  it("keeps the grader's code free of the CLI, the composition root (its end-to-end tests drive the CLI)", () => {
    expect(reaching(sources("grader/src").filter((f) => !f.endsWith(".test.ts")), ["cli"])).toEqual([]);
  });

  it("sees an import that breaks the rule (the check itself works)", () => {
    expect(reaching(["grader/src/lab/solution01.test.ts"], ["solutions"])).not.toEqual([]);
  });
});
