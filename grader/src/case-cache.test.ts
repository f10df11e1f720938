// Tests of the case cache: cases come back from out/grader-cache as they were built, and anything they are built from changing rebuilds them.
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cachedCases, KEPT_CASE_FILES } from "./case-cache.js";
import { buildCases } from "./cases.js";
import { realFactory, realTrusted } from "./deps.js";
import type { GuestFactory } from "./harnesses/trap-cases.js";
import { loadLab } from "./lab/load.js";
import { engineHash } from "./engine-hash.js";

const dir = mkdtempSync(join(tmpdir(), "vmlab-case-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real guest factory, counting the guests it makes (assembled, bundled or generated). */
function counting() {
  const seen = { assembled: 0 };
  const factory: GuestFactory = {
    assemble: (source, file, defines) => (seen.assembled++, realFactory.assemble(source, file, defines)),
    builtin: (name, options) => (seen.assembled++, realFactory.builtin(name, options)),
    generate: (options) => (seen.assembled++, realFactory.generate(options)),
  };
  return { seen, deps: { factory, trusted: realTrusted, cacheDir: dir } };
}

describe("the case cache", () => {
  const lab = loadLab("01-trap-and-emulate");

  it("builds once, then gives back the same cases without assembling anything", async () => {
    const first = counting();
    const built = await cachedCases(lab, "public", first.deps);
    expect(first.seen.assembled).toBeGreaterThan(0);
    const again = counting();
    const cached = await cachedCases(lab, "public", again.deps);
    expect(again.seen.assembled).toBe(0);
    expect(cached).toEqual(built);
    expect(cached).toEqual(await buildCases(lab, "public", again.deps));
  });

  it("rebuilds when the lab's files change, and when the cache file is damaged", async () => {
    const changed = counting();
    await cachedCases({ ...lab, hash: "another lab text" }, "public", changed.deps);
    expect(changed.seen.assembled).toBeGreaterThan(0);
    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), "{ torn");
    const damaged = counting();
    const cases = await cachedCases(lab, "public", damaged.deps);
    expect(damaged.seen.assembled).toBeGreaterThan(0);
    expect(cases.length).toBeGreaterThan(0);
  });

  it("keys the cases by the engine hash the caller gives (prepareLab hashes the sources once for both caches)", async () => {
    const own = counting();
    await cachedCases(lab, "public", { ...own.deps, sourcesHash: "engine one" });
    expect(own.seen.assembled).toBeGreaterThan(0);
    const same = counting();
    await cachedCases(lab, "public", { ...same.deps, sourcesHash: "engine one" });
    expect(same.seen.assembled).toBe(0);
    const other = counting();
    await cachedCases(lab, "public", { ...other.deps, sourcesHash: "engine two" });
    expect(other.seen.assembled).toBeGreaterThan(0);
    const computed = counting();
    await cachedCases(lab, "public", { ...computed.deps, sourcesHash: engineHash(lab.root) });
    expect(computed.seen.assembled).toBe(0); // the same entry as without the option
  });

  it("keeps only the newest few case files, so every past version of the sources does not leave 0.4 MB behind", async () => {
    const own = mkdtempSync(join(tmpdir(), "vmlab-case-cache-kept-"));
    try {
      const old = Array.from({ length: KEPT_CASE_FILES + 3 }, (_, i) => join(own, `cases-old${String(i).padStart(2, "0")}.json`));
      old.forEach((f, i) => {
        writeFileSync(f, "{}");
        utimesSync(f, 1_000_000 + i, 1_000_000 + i); // oldest first
      });
      writeFileSync(join(own, "trusted-kept.json"), "{}");
      await cachedCases(lab, "public", { ...counting().deps, cacheDir: own });
      const left = readdirSync(own).filter((f) => f.startsWith("cases-"));
      expect(left).toHaveLength(KEPT_CASE_FILES);
      expect(left.filter((f) => !f.startsWith("cases-old"))).toHaveLength(1); // the one just written
      expect(existsSync(old[0]!)).toBe(false);
      expect(existsSync(old.at(-1)!)).toBe(true);
      expect(existsSync(join(own, "trusted-kept.json"))).toBe(true); // other kinds of file are not touched
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
