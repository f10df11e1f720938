// `vmlab lab release`: the student handout — starter, public tests, README as HTML, a package.json that runs the tests — checked for leaks before it is moved into place.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { GraderError } from "../errors.js";
import { htmlPage } from "../reporters/html.js";
import type { Lab } from "./load.js";
import { hasSolutionMarker, regionBodies } from "./regions.js";

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** Texts that must never appear in a handout: solution regions, hidden suite files and hidden guests. */
export function secretsOf(lab: Lab): { what: string; text: string }[] {
  const secrets: { what: string; text: string }[] = [];
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
  }
  return secrets;
}

/** Every leak in a folder: marker lines and secret texts, by file. */
export function findLeaks(dir: string, secrets: readonly { what: string; text: string }[]): string[] {
  const leaks: string[] = [];
  for (const file of walk(dir)) {
    const buf = readFileSync(file);
    if (buf.includes(0)) continue;
    const text = buf.toString("utf8");
    if (hasSolutionMarker(text)) leaks.push(`${relative(dir, file)} carries a BEGIN/END SOLUTION marker`);
    for (const s of secrets) if (text.includes(s.text)) leaks.push(`${relative(dir, file)} carries ${s.what}`);
    if (text.includes("grader/labs/")) leaks.push(`${relative(dir, file)} names a path under grader/labs/`);
  }
  return leaks;
}

/** Copy the compiled library the public tests need, without the reference solution. */
function vendorLibrary(root: string, to: string): void {
  const dist = join(root, "dist", "src");
  if (!existsSync(join(dist, "index.js"))) throw new GraderError("LAB_MISSING_FILE", "the library is not built (dist/src/index.js is missing)", { hint: "run npm run build first" });
  for (const file of walk(dist)) {
    const rel = relative(dist, file);
    // The command line and the notebook helpers (which need vega) are not part of a handout.
    if (rel.endsWith(".map") || rel.startsWith("cli/") || rel.startsWith("notebook/") || /^vmm\/reference\./.test(rel)) continue;
    const target = join(to, "dist", "src", rel);
    mkdirSync(dirname(target), { recursive: true });
    let text = readFileSync(file, "utf8");
    // The reference handlers are exported for instructors; the handout's copy leaves them out.
    if (rel === "vmm/index.js" || rel === "vmm/index.d.ts") text = text.split("\n").filter((l) => !l.includes("./reference.js")).join("\n");
    writeFileSync(target, text);
  }
  if (existsSync(join(root, "guests"))) cpSync(join(root, "guests"), join(to, "guests"), { recursive: true });
  writeFileSync(
    join(to, "package.json"),
    JSON.stringify(
      {
        name: "vmlab", version: "0.0.0-handout", type: "module", main: "dist/src/index.js", types: "dist/src/index.d.ts",
        exports: { ".": { types: "./dist/src/index.d.ts", default: "./dist/src/index.js" }, "./equivalence": { types: "./dist/src/analysis/equivalence.d.ts", default: "./dist/src/analysis/equivalence.js" } },
      },
      null, 2,
    ) + "\n",
  );
}

/** Write the handout into `out` (which must not exist or be empty); refuses with LAB_LEAK naming every leak. */
export function releaseLab(lab: Lab, out: string): string[] {
  if (existsSync(out) && readdirSync(out).length) throw new GraderError("GRADE_BAD_OPTION", `${out} is not empty`, { hint: "pass a new folder to --out" });
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    for (const f of lab.studentFiles) cpSync(join(lab.dir, f), join(tmp, f));
    for (const name of ["tests", "guests"]) if (existsSync(join(lab.dir, name))) cpSync(join(lab.dir, name), join(tmp, name), { recursive: true });
    const readme = existsSync(join(lab.dir, "README.md")) ? readFileSync(join(lab.dir, "README.md"), "utf8") : `# ${lab.title}\n`;
    writeFileSync(join(tmp, "README.md"), readme);
    writeFileSync(join(tmp, "README.html"), htmlPage(lab.title, readme));
    vendorLibrary(lab.root, join(tmp, "vendor", "vmlab"));
    writeFileSync(
      join(tmp, "package.json"),
      JSON.stringify(
        {
          name: `vmlab-${lab.id}`, private: true, type: "module", description: `${lab.title}: vmlab lab handout`,
          scripts: { test: "vitest run" }, dependencies: { vmlab: "file:vendor/vmlab" }, devDependencies: { vitest: "^4.1.12", typescript: "^5.9.3", "@types/node": "^20.19.43" },
        },
        null, 2,
      ) + "\n",
    );
    writeFileSync(join(tmp, "vitest.config.ts"), `import { defineConfig } from "vitest/config";\n\nexport default defineConfig({ test: { include: ["tests/**/*.lab.ts"], testTimeout: 60_000 } });\n`);
    writeFileSync(
      join(tmp, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] }, include: ["*.ts", "tests/**/*.ts"] }, null, 2) + "\n",
    );
    const leaks = findLeaks(tmp, secretsOf(lab));
    if (leaks.length) throw new GraderError("LAB_LEAK", `the handout of ${lab.id} would leak:\n  ${leaks.join("\n  ")}`, { hint: "regenerate the starter (vmlab lab validate --write-starter) and keep hidden suites under grader/labs/" });
    const files = walk(tmp).map((f) => relative(tmp, f)).sort();
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
    return files;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
