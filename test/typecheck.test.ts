// What the build leaves out type-checks too: the tests, the labs' starters, public tests and solutions (tsconfig.test.json; tsconfig.json builds the package without them).
//
// tsc runs incrementally, its state kept in out/tsc/: a later run re-checks only the files that changed and
// what depends on them, and reports again every error still there (a kept error is never dropped).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { expect, it } from "vitest";
import { vmlabRoot } from "../src/core/package-root.js";

const require = createRequire(import.meta.url);

it("type-checks every test and every lab file with no error", () => {
  const root = vmlabRoot();
  const args = ["-p", "tsconfig.test.json", "--incremental", "--tsBuildInfoFile", join(root, "out/tsc/tests.tsbuildinfo")];
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), ...args], { cwd: root, encoding: "utf8" });
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
}, 300_000);
