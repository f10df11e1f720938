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
