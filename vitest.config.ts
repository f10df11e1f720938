// vitest configuration: tests sit beside the code they describe; labs' public tests run with their reference solutions.
//
// A lab's public tests (exercises/<lab>/tests/*.lab.ts) import the student's files (`../handlers.js`)
// and the package by name (`vmlab`), as they do in a released handout. Here, in the repository, `vmlab`
// is the package's own source and every student file is replaced by the lab's reference solution
// (solutions/<lab>/<file>), so `npm test` proves the public tests pass on the answer; a released handout
// runs the same tests against the starter (grader/src/e2e.test.ts checks both).
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";

const root = dirname(fileURLToPath(import.meta.url));

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
  resolve: { alias: [{ find: /^vmlab$/, replacement: join(root, "src/index.ts") }, { find: /^vmlab\/handlers$/, replacement: join(root, "src/handlers.ts") }] },
  test: {
    include: ["src/**/*.test.ts", "cli/**/*.test.ts", "grader/**/*.test.ts", "notebooks/**/*.test.ts", "exercises/**/*.test.ts", "exercises/*/tests/**/*.lab.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**", "out/**"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
