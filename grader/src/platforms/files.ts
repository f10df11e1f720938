// File helpers of the platform exports: a fresh output folder moved into place whole, the files of a tree, and a reproducible zip.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { GraderError } from "../errors.js";

/** Every file under `dir`, relative to it, sorted (links are followed as the copy made them). */
export function treeFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** Build into a temporary folder beside `out`, then move it into place; `out` must not exist or be empty. */
export async function buildFresh<T>(out: string, build: (tmp: string) => T | Promise<T>): Promise<T> {
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length)) {
    throw new GraderError("GRADE_BAD_OPTION", `${out} already exists`, { hint: "pass a new path to --out" });
  }
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const r = await build(tmp);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(dirname(out), { recursive: true });
    renameSync(tmp, out);
    return r;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** A fixed time for every entry, so the same package gives the same zip bytes. */
const ZIP_TIME = new Date("2000-01-01T00:00:00Z");

/** Zip a folder (Unix modes kept, so scripts stay executable) into `file`, written atomically. */
export function zipFolder(dir: string, file: string): string[] {
  const files = treeFiles(dir);
  const tree: Zippable = {};
  for (const f of files) {
    const mode = statSync(join(dir, f)).mode & 0o777;
    tree[f] = [readFileSync(join(dir, f)), { mtime: ZIP_TIME, os: 3, attrs: ((0o100000 | mode) << 16) >>> 0, level: 6 }];
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, zipSync(tree));
  renameSync(tmp, file);
  return files;
}

/** Write an executable script (mode 755, kept in the zip). */
export function writeScript(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/** What a platform's run script needs: where the layout's root is, how vmlab is started, and the zero result (JSON with `%s` for the exit code). */
export interface RunScript {
  readonly purpose: string;
  readonly rootVariable: string;
  readonly rootDefault: string;
  readonly setup?: string;
  readonly vmlab: string;
  readonly platform: "gradescope" | "prairielearn";
  readonly zeroJson: string;
}

/**
 * A platform's run script: vmlab writes results.json itself, valid at every moment; if even that fails (no
 * Node, a broken install) the script writes a valid zero result with the exit code. It always exits 0, so
 * the platform shows that result rather than its own failure page.
 */
export function runScript(s: RunScript): string {
  return `#!/usr/bin/env bash
# ${s.purpose}
# ${s.rootVariable} moves ${s.rootDefault} (tests).
${s.setup ? `${s.setup}\n` : ""}root="\${${s.rootVariable}:-${s.rootDefault}}"
mkdir -p "$root/results"
node "${s.vmlab}" autograde ${s.platform} --root "$root"
code=$?
if [ "$code" -ne 0 ] && ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$root/results/results.json" >/dev/null 2>&1; then
  printf '${s.zeroJson}\\n' "$code" > "$root/results/results.json"
fi
exit 0
`;
}

/** The reason a zero result gives when the autograder could not even write one. */
export const FAILED_BEFORE_RESULT = "The autograder failed (exit %s) before it could write a result. This is not your doing: please tell your instructor.";
