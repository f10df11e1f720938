// Error codes: every code raised anywhere is in one part's catalogue, with its meaning, and every catalogued code is raised somewhere.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { vmlabRoot } from "../src/core/package-root.js";
import { LIBRARY_CODES } from "../src/core/codes.js";
import { ASM_CODES } from "../src/isa/asm/codes.js";
import { VMM_CODES } from "../src/vmm/types.js";
import { SIM_CODES } from "../src/sim/errors.js";
import { CONTAINER_CODES } from "../src/containers/errors.js";
import { SERVERLESS_CODES } from "../src/serverless/codes.js";
import { GRADER_CODES } from "../grader/src/errors.js";
import { CLI_CODES } from "../cli/codes.js";

const ROOT = vmlabRoot();
const CATALOGUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "src/core/codes.ts": LIBRARY_CODES, "src/isa/asm/codes.ts": ASM_CODES, "src/vmm/types.ts": VMM_CODES, "src/sim/errors.ts": SIM_CODES,
  "src/containers/errors.ts": CONTAINER_CODES, "src/serverless/codes.ts": SERVERLESS_CODES, "grader/src/errors.ts": GRADER_CODES, "cli/codes.ts": CLI_CODES,
};

/** The code (not test) files of the library, the grader and the CLI, with their text. */
function codeFiles(): { file: string; text: string }[] {
  return ["src", "grader/src", "cli"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
      .map((e) => relative(ROOT, join(e.parentPath, e.name)))
      .map((file) => ({ file, text: readFileSync(join(ROOT, file), "utf8") })),
  );
}

/** The codes a text raises: the first argument of an error's constructor (or super, or noSuch), and `code:` of a diagnostic. */
export function raisedCodes(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:Error\(|super\(|noSuch\(|\bcode: )\s*"([A-Z][A-Z0-9]*_[A-Z0-9_]+)"/g)) found.add(m[1]!);
  return [...found];
}

describe("error codes", () => {
  const files = codeFiles();
  const catalogued = new Map<string, string>();
  for (const [file, codes] of Object.entries(CATALOGUES)) for (const code of Object.keys(codes)) catalogued.set(code, file);

  it("finds the codes a source raises, however it raises them", () => {
    expect(raisedCodes(`throw new VmlabError("GUEST_UNKNOWN", "x"); super("SIM_BAD_PARAMETER", m); noSuch("DOCKER_NO_SUCH_IMAGE", "image", n); { code: "ASM_BAD_MACRO" }`))
      .toEqual(["GUEST_UNKNOWN", "SIM_BAD_PARAMETER", "DOCKER_NO_SUCH_IMAGE", "ASM_BAD_MACRO"]);
  });

  it("has every code raised anywhere in a catalogue", () => {
    const missing = files.flatMap(({ file, text }) => raisedCodes(text).filter((c) => !catalogued.has(c)).map((c) => `${c} (${file})`));
    expect(missing).toEqual([]);
  });

  it("gives every catalogued code its meaning, in one catalogue only", () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const [file, codes] of Object.entries(CATALOGUES)) {
      for (const [code, meaning] of Object.entries(codes)) {
        if (!/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(code)) problems.push(`${code} (${file}) is not SCREAMING_SNAKE_CASE with a prefix`);
        if (meaning.trim().length < 10) problems.push(`${code} (${file}) has no meaning`);
        if (seen.has(code)) problems.push(`${code} is in ${seen.get(code)} and ${file}`);
        seen.set(code, file);
      }
    }
    expect(problems).toEqual([]);
  });

  it("raises every catalogued code somewhere (no code outlives what raised it)", () => {
    const all = files.map((f) => f.text).join("\n");
    expect([...catalogued.keys()].filter((c) => !all.includes(`"${c}"`))).toEqual([]);
  });
});
