// vitest configuration: tests sit beside the code they describe; labs' public tests run with their reference solutions.
//
// A lab's public tests (exercises/<lab>/tests/*.lab.ts) import the student's files (`../handlers.js`)
// and the package by name (`vmlab`), as they do in a released handout. Here, in the repository, `vmlab`
// is the package's own source and every student file is replaced by the lab's reference solution
// (solutions/<lab>/<file>), so `npm test` proves the public tests pass on the answer; a released handout
// runs the same tests against the starter (grader/src/e2e.test.ts checks both).
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";
import { LongestFirst } from "./test/sequencer.js";

const root = dirname(fileURLToPath(import.meta.url));

/**
 * `vmlab` and its subpaths (`vmlab/isa`, `vmlab/internal`, ...) as the package's export map names them, each
 * mapped from its built declarations (dist/src/isa/index.d.ts) back to its source (src/isa/index.ts).
 */
function packageAliases(): { find: RegExp; replacement: string }[] {
  const { exports } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, string | { types: string }> };
  return Object.entries(exports).flatMap(([subpath, target]) => {
    if (typeof target === "string") return [];
    const source = target.types.replace(/^\.\/dist\//, "").replace(/\.d\.ts$/, ".ts");
    return [{ find: new RegExp(`^${join("vmlab", subpath).replace(/\//g, "\\/")}$`), replacement: join(root, source) }];
  });
}

function substituteSolutions(): Plugin {
  return {
    name: "vmlab-substitute-solutions",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer || !source.startsWith(".")) return null;
      const rel = relative(join(root, "exercises"), importer).split(sep);
      if (rel[0] === ".." || rel[1] !== "tests") return null;
      const lab = rel[0]!;
      const target = relative(join(root, "exercises", lab), resolve(dirname(importer), source)).replace(/\.js$/, ".ts");
      const solution = join(root, "solutions", lab, target);
      return !target.startsWith("..") && existsSync(solution) ? solution : null;
    },
  };
}

export default defineConfig({
  plugins: [substituteSolutions()],
  resolve: { alias: packageAliases() },
  test: {
    include: ["src/**/*.test.ts", "cli/**/*.test.ts", "grader/**/*.test.ts", "notebooks/**/*.test.ts", "exercises/**/*.test.ts", "exercises/*/tests/**/*.lab.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**", "out/**"],
    testTimeout: 60_000,
    pool: "forks",
    // vitest's default is one worker fewer than the cores: a single worker on two cores, which then sits idle while
    // the sandbox children, tsc and handout runs it starts do the work. One worker per core (at least two) keeps
    // every core busy; sandbox time limits count the child's own CPU seconds, so sharing the cores does not
    // change a verdict.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongestFirst },
    globalSetup: ["test/global-setup.ts"],
  },
});
