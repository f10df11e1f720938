// What the build leaves out type-checks too: the tests, the labs' starters, public tests and solutions (tsconfig.test.json; tsconfig.json builds the package without them).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { vmlabRoot } from "../src/core/package-root.js";

const require = createRequire(import.meta.url);

it("type-checks every test and every lab file with no error", () => {
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.test.json"], { cwd: vmlabRoot(), encoding: "utf8" });
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
}, 300_000);
