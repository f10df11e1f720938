// Tests of lab YAML parsing: a clean text's value comes back from the cache as it was parsed, positions are still found for it, and nothing with a problem or a value JSON cannot hold is kept.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { locate } from "./schema.js";
import { jsonExact, parseYaml, parseYamlCached } from "./yaml.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const cacheDir = () => {
  const d = mkdtempSync(join(tmpdir(), "vmlab-yaml-"));
  dirs.push(d);
  return join(d, "yaml");
};

const LAB = "id: 01-x\nlimits:\n  case_seconds: 5\nsuites:\n  public:\n    guests: [a.s, b.s]\n";

describe("lab YAML through the cache", () => {
  it("gives back the same value from the cache as the parser gave, read from the kept file", () => {
    const dir = cacheDir();
    const first = parseYamlCached(LAB, "lab.yaml", dir);
    expect(readdirSync(dir)).toHaveLength(1);
    // The kept value is what a second read returns: change it on disk and the change shows.
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), JSON.stringify({ value: { id: "kept" } }));
    expect(parseYamlCached(LAB, "lab.yaml", dir).value).toEqual({ id: "kept" });
    expect(first.value).toEqual(parseYaml(LAB, "lab.yaml").value);
  });

  it("still points at a line for a value read back from the cache", () => {
    const dir = cacheDir();
    parseYamlCached(LAB, "lab.yaml", dir);
    const again = parseYamlCached(LAB, "lab.yaml", dir);
    expect(locate(again.doc, again.lines, ["suites", "public", "guests", 1])).toEqual({ line: 6, column: 19 });
  });

  it("keeps nothing for a text with a syntax problem, and reports it every time", () => {
    const dir = cacheDir();
    const bad = "id: a\nid: b\n";
    expect(parseYamlCached(bad, "lab.yaml", dir).problems.map((p) => p.code)).toEqual(["LAB_YAML_SYNTAX"]);
    expect(parseYamlCached(bad, "lab.yaml", dir).problems).toHaveLength(1);
    expect(() => readdirSync(dir)).toThrow();
  });

  it("keeps nothing JSON would change (.inf), and parses it the same every time", () => {
    const dir = cacheDir();
    const text = "limit: .inf\n";
    expect(parseYamlCached(text, "lab.yaml", dir).value).toEqual({ limit: Infinity });
    expect(parseYamlCached(text, "lab.yaml", dir).value).toEqual({ limit: Infinity });
    expect(() => readdirSync(dir)).toThrow();
  });

  it("counts only plain data that JSON gives back exactly", () => {
    expect(jsonExact({ a: [1, "x", true, null, { b: 2.5 }] })).toBe(true);
    expect(jsonExact({ a: Infinity })).toBe(false);
    expect(jsonExact({ a: NaN })).toBe(false);
    expect(jsonExact([undefined])).toBe(false);
    expect(jsonExact(new Map())).toBe(false);
    expect(jsonExact(-0)).toBe(false);
  });
});
