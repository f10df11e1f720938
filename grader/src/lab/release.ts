// `vmlab lab release`: the student handout — starter, public tests and cases, README as HTML, the public lab with a working `vmlab` command — checked for leaks before it is moved into place.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { GraderError } from "../errors.js";
import { prepareLab, type GraderDeps } from "../grade.js";
import { referenceRecord } from "../reference.js";
import { htmlPage } from "../reporters/html.js";
import type { Lab } from "./load.js";
import { hasSolutionMarker } from "./regions.js";
import { secretsOf, type Secret } from "./secrets.js";

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** Where a handout keeps its vendored vmlab: the package's own code, which names the markers and grader/labs/ as code. */
const VENDORED = join("vendor", "vmlab") + sep;

/**
 * Every leak in a folder, by file: any file carrying a solution region, a hidden suite or a hidden guest;
 * and, in the lab's own files (not the vendored package, whose grader code names them), a solution
 * marker line or a path under grader/labs/.
 */
export function findLeaks(dir: string, secrets: readonly Secret[]): string[] {
  const leaks: string[] = [];
  for (const file of walk(dir)) {
    const buf = readFileSync(file);
    if (buf.includes(0)) continue;
    const text = buf.toString("utf8");
    const rel = relative(dir, file);
    const own = !rel.startsWith(VENDORED);
    if (own && hasSolutionMarker(text)) leaks.push(`${rel} carries a BEGIN/END SOLUTION marker`);
    for (const s of secrets) if (text.includes(s.text)) leaks.push(`${rel} carries ${s.what}`);
    if (own && text.includes("grader/labs/")) leaks.push(`${rel} names a path under grader/labs/`);
  }
  return leaks;
}

/** Runtime dependencies a handout's vmlab does not need (the notebook kernel; notebooks run from the course repository). */
const NOT_IN_HANDOUT = new Set(["tslab"]);

/**
 * The vmlab package as a student installs it: the compiled library, CLI and grader (dist/), the bundled
 * guests, the published schemas and a package.json with the same bin and export map as the repository's
 * — never solutions/, grader/labs/ or the TypeScript sources.
 */
export function vendorLibrary(root: string, to: string): void {
  const dist = join(root, "dist");
  if (!existsSync(join(dist, "src", "index.js")) || !existsSync(join(dist, "cli", "main.js"))) {
    throw new GraderError("LAB_MISSING_FILE", "the library is not built (dist/src/index.js is missing)", { hint: "run npm run build first" });
  }
  for (const part of HANDOUT_DIST) {
    for (const file of walk(join(dist, part))) {
      const rel = relative(dist, file);
      if (!shippedInHandout(rel)) continue;
      const target = join(to, "dist", rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, readFileSync(file));
    }
  }
  for (const folder of ["bin", "guests", "grader/schema"]) if (existsSync(join(root, folder))) cpSync(join(root, folder), join(to, folder), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageManifest;
  writeFileSync(join(to, "package.json"), JSON.stringify(handoutManifest(pkg), null, 2) + "\n");
}

/** The folders of dist/ a handout's vmlab ships: the library, the CLI and the grader. */
export const HANDOUT_DIST = ["src", "cli", "grader/src"] as const;

/** Does a handout ship this file of dist/ (`src/isa/index.js`)? Its folders' code and declarations, without source maps, tests or test helpers. */
export function shippedInHandout(rel: string): boolean {
  return HANDOUT_DIST.some((part) => rel.startsWith(part + "/")) && !rel.endsWith(".map") && !/\.test\.(js|d\.ts)$/.test(rel) && !rel.startsWith("grader/src/test-helpers");
}

/** The fields of the repository's package.json a handout's copy is made from. */
export type PackageManifest = Record<string, unknown> & { version?: unknown; dependencies?: Record<string, string> };

/**
 * The package.json of a handout's vmlab, from the repository's: the same bin, entry points, export map and
 * typesVersions (so `vmlab`, `vmlab/handlers`, `vmlab/isa`, ... resolve alike), without the notebook kernel.
 */
export function handoutManifest(pkg: PackageManifest): Record<string, unknown> {
  const dependencies = Object.fromEntries(Object.entries(pkg.dependencies ?? {}).filter(([name]) => !NOT_IN_HANDOUT.has(name)));
  return {
    name: "vmlab", version: `${String(pkg.version)}-handout`, description: pkg.description, type: "module", license: pkg.license, engines: pkg.engines,
    bin: pkg.bin, main: pkg.main, types: pkg.types, exports: pkg.exports, typesVersions: pkg.typesVersions, dependencies,
  };
}

/** File of the public suite's reference numbers in a handout (native and reference cycles, CPU limits), named by the handout's lab.yaml. */
export const HANDOUT_REFERENCE = ".vmlab/reference.json";

/** The handout's lab.yaml: the lab as students may see it — the public suite only, and where its reference numbers are. */
export function handoutLabYaml(lab: Lab): string {
  const c = lab.config;
  const publicSuite = c.suites.public;
  const doc = {
    id: c.id, title: c.title, harness: c.harness, profile: c.profile, student_files: c.student_files, ...(c.export ? { export: c.export } : {}),
    limits: c.limits, ...(c.cost ? { cost: c.cost } : {}),
    suites: { public: publicSuite },
    rubric: c.rubric, ...(c.due ? { due: c.due } : {}), ...(c.late ? { late: c.late } : {}), reference: HANDOUT_REFERENCE,
  };
  return `# The public part of lab ${c.id}, as released to students (vmlab lab release).\n${stringifyYaml(doc)}`;
}

/**
 * Write the handout into `out` (which must not exist or be empty): the starter, the public tests, the
 * README (and as HTML), the public lab.yaml with its reference numbers, a vendored vmlab with a working
 * `vmlab` command, and a package.json whose `npm test` runs the public tests. Refuses with LAB_LEAK,
 * naming every leak, before anything is moved into place.
 */
export async function releaseLab(lab: Lab, out: string, deps: GraderDeps): Promise<string[]> {
  if (existsSync(out) && readdirSync(out).length) throw new GraderError("GRADE_BAD_OPTION", `${out} is not empty`, { hint: "pass a new folder to --out" });
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    for (const f of lab.studentFiles) cpSync(join(lab.dir, f), join(tmp, f));
    for (const name of ["tests", "guests", "cases"]) if (existsSync(join(lab.dir, name))) cpSync(join(lab.dir, name), join(tmp, name), { recursive: true });
    // The public suite's case files (serverless: traces), where lab.yaml names them, so the handout grades its public suite.
    for (const c of lab.suites.find((s) => s.name === "public")?.cases ?? []) {
      const rel = relative(lab.dir, c.file);
      if (rel.startsWith("..")) continue;
      mkdirSync(dirname(join(tmp, rel)), { recursive: true });
      cpSync(c.file, join(tmp, rel));
    }
    const readme = existsSync(join(lab.dir, "README.md")) ? readFileSync(join(lab.dir, "README.md"), "utf8") : `# ${lab.title}\n`;
    writeFileSync(join(tmp, "README.md"), readme);
    writeFileSync(join(tmp, "README.html"), htmlPage(lab.title, readme));
    writeFileSync(join(tmp, "lab.yaml"), handoutLabYaml(lab));
    vendorLibrary(lab.root, join(tmp, "vendor", "vmlab"));
    writeFileSync(
      join(tmp, "package.json"),
      JSON.stringify(
        {
          name: `vmlab-${lab.id}`, private: true, type: "module", description: `${lab.title}: vmlab lab handout`,
          scripts: { test: "vitest run", grade: "vmlab grade . --suite public" },
          dependencies: { vmlab: "file:vendor/vmlab" }, devDependencies: { vitest: "^4.1.12", typescript: "^5.9.3", "@types/node": "^20.19.43" },
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
    // The reference solution's numbers on the public cases (cycles and CPU limits, no code): what lets a
    // student's overhead be scored and cases be timed locally.
    const prepared = await prepareLab(lab, "public", deps);
    mkdirSync(join(tmp, dirname(HANDOUT_REFERENCE)), { recursive: true });
    writeFileSync(join(tmp, HANDOUT_REFERENCE), JSON.stringify(referenceRecord(prepared.numbers), null, 1) + "\n");
    const files = walk(tmp).map((f) => relative(tmp, f)).sort();
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
    return files;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
