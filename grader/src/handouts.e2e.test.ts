// Every lab's released handout, as a student gets it: its public tests (`npm test`) fail on the starter and pass once the lab is done.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realDeps } from "./deps.js";
import { listLabs, loadLab } from "./lab/load.js";
import { studentImports } from "./lab/regions.js";
import { releaseLab } from "./lab/release.js";
import { ensureChildBuilt } from "./sandbox/built.js";
import { packageRoot } from "./paths.js";
import { installOffline, vitestIn } from "./test-helpers.js";

const root = packageRoot();
// Lab 01's handout tests are checked in e2e.test.ts, down to the monitor's words in their failures.
const LABS = listLabs(root).filter((id) => id !== "01-trap-and-emulate");
let work: string;

beforeAll(async () => {
  await ensureChildBuilt(root);
  work = mkdtempSync(join(tmpdir(), "vmlab-handouts-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(LABS)("the handout of %s", (id) => {
  it("has public tests that fail on the starter and pass with the lab finished", async () => {
    const lab = loadLab(id, { root });
    const handout = join(work, id);
    await releaseLab(lab, handout, realDeps());
    installOffline(handout);
    const starter = await vitestIn(handout);
    expect(starter.code, starter.stdout + starter.stderr).not.toBe(0);
    expect(starter.stdout).toMatch(/Tests +\d+ failed/);
    for (const file of lab.studentFiles) writeFileSync(join(handout, file), studentImports(readFileSync(join(lab.solutionDir, file), "utf8")));
    const finished = await vitestIn(handout);
    expect(finished.stdout, finished.stdout + finished.stderr).toMatch(/Tests +\d+ passed/);
    expect(finished.stdout).not.toMatch(/failed/);
    expect(finished.code).toBe(0);
  }, 180_000);
});
