// What must never reach a student: every lab's solution regions, hidden suites, hidden guests and case files, and the notebooks' answers.
//
// `secretsOf(lab)` is what lab release checks a handout against (whole regions, suite files and guest
// sources). `studentSecrets(root)` adds single lines — a solution line, a hidden guest's line, a line of
// a notebook answer — that appear nowhere in what ships in the open (the bundled guests, the library's
// sources, the notebooks as shipped), for checks over everything a student installs or receives.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { GRADER_PATHS } from "../paths.js";
import { listLabs, loadLab, type Lab } from "./load.js";
import { regionBodies } from "./regions.js";

export interface Secret {
  readonly what: string;
  readonly text: string;
}

/** Texts that must never appear in a handout: solution regions, hidden suite files and hidden guests. */
export function secretsOf(lab: Lab): Secret[] {
  const secrets: Secret[] = [];
  for (const f of lab.studentFiles) {
    const p = join(lab.solutionDir, f);
    if (!existsSync(p)) continue;
    for (const body of regionBodies(readFileSync(p, "utf8"), f)) {
      const t = body.trim();
      // One-line bodies such as `vcpu.flags.IF = false;` are too generic to mean a leak on their own.
      if (t.split("\n").length >= 2 && t.length >= 30) secrets.push({ what: `a solution region of ${f}`, text: t });
    }
  }
  for (const s of lab.suites) {
    if (s.name === "public") continue;
    if (s.declaredIn !== lab.yamlPath) secrets.push({ what: `hidden suite file ${relative(lab.root, s.declaredIn)}`, text: readFileSync(s.declaredIn, "utf8").trim() });
    for (const g of s.guests) if (g.source && g.source.trim().length >= 30) secrets.push({ what: `hidden guest ${g.name}`, text: g.source.trim() });
    for (const c of s.cases) if (c.text.trim().length >= 30) secrets.push({ what: `hidden case ${c.name}`, text: c.text.trim() });
  }
  return secrets;
}

function files(dir: string, ending: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, ending) : ending.test(n) ? [p] : [];
  });
}

/** What ships in the open anyway: a line found here is no secret, whatever else holds it too. */
function openText(root: string): string {
  return [...files(join(root, "guests"), /\.s$/), ...files(join(root, "src"), /\.ts$/), ...files(join(root, "notebooks"), /\.ipynb$/), ...files(join(root, GRADER_PATHS.exercises), /\.(ts|md|yaml|s)$/)]
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
}

/** Lines of `text` at least `min` characters long (trimmed, comments of assembly dropped) that the open text does not hold. */
function distinctive(text: string, open: string, min: number): string[] {
  const lines = text.split("\n").map((l) => l.replace(/\s;.*$/, "").trim()).filter((l) => l.length >= min && !open.includes(l));
  return [...new Set(lines)];
}

/** Every secret of every lab and notebook under the package root, whole and line by line. */
export function studentSecrets(root: string): Secret[] {
  const open = openText(root);
  const secrets: Secret[] = [];
  for (const id of listLabs(root)) {
    const lab = loadLab(id, { root, cwd: root });
    secrets.push(...secretsOf(lab));
    for (const f of lab.studentFiles) {
      const p = join(lab.solutionDir, f);
      if (!existsSync(p)) continue;
      for (const body of regionBodies(readFileSync(p, "utf8"), f)) for (const line of distinctive(body, open, 25)) secrets.push({ what: `a line of ${id}'s solution`, text: line });
    }
    for (const s of lab.suites) {
      if (s.name === "public") continue;
      for (const g of s.guests) if (g.source) for (const line of distinctive(g.source, open, 12)) secrets.push({ what: `a line of ${id}'s hidden guest ${g.name}`, text: line });
      for (const c of s.cases) for (const line of distinctive(c.text, open, 16)) secrets.push({ what: `a line of ${id}'s hidden case ${c.name}`, text: line });
    }
  }
  for (const f of files(join(root, GRADER_PATHS.solutions, "notebooks"), /\.json$/)) {
    const answers = JSON.parse(readFileSync(f, "utf8")) as Record<string, string>;
    for (const [name, answer] of Object.entries(answers)) {
      for (const line of distinctive(answer, open, 25)) secrets.push({ what: `a line of the answer to ${relative(root, f)} "${name}"`, text: line });
    }
  }
  return secrets;
}
