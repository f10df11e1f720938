// The digest of every source file a grading run depends on, remembered under out/grader-cache/ by the files' identities so a grade reads directory listings and file metadata, not every file.
//
// The digest is sha256 over the whole library (src/) and the grader (grader/src/), tests left out — so no
// list can forget a folder that affects the numbers. Reading and hashing those 300-odd files took 30-50 ms
// of every grading process. The memo is keyed by each file's path, size, inode, modification and change
// times: any edit, copy, checkout or install changes at least the change time, which no user can set,
// and a memo that does not match is simply recomputed. Unreadable or unwritable caches change nothing but speed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { graderCacheDir } from "./paths.js";
import { writeAtomic } from "./write-atomic.js";

/** The source folders of a root: where they ship (a repository), else the built code (a handout's vendored vmlab). */
function sourceDirs(root: string): string[] {
  return (existsSync(join(root, "src")) ? ["src", "grader/src"] : ["dist/src", "dist/grader/src"]).map((d) => join(root, d));
}

/** Every hashed file under the source folders, in hashing order, with its metadata. */
function sourceFiles(root: string): { readonly path: string; readonly name: string; readonly stat: Stats }[] {
  const out: { path: string; name: string; stat: Stats }[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const stat = statSync(p);
      if (stat.isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(name) && !/\.test\.(ts|js)$/.test(name)) out.push({ path: p, name, stat });
    }
  };
  for (const d of sourceDirs(root)) walk(d);
  return out;
}

/** sha256 of the sources' names and contents (what the caches are keyed by). */
function contentHash(files: ReturnType<typeof sourceFiles>): string {
  const h = createHash("sha256");
  for (const f of files) h.update(f.name).update(readFileSync(f.path));
  return h.digest("hex");
}

/** sha256 of every source file a grading run depends on; recomputed only when some file's identity changed since it was last remembered. */
export function engineHash(root: string): string {
  const files = sourceFiles(root);
  const identity = createHash("sha256");
  for (const f of files) identity.update([f.path, f.stat.size, f.stat.ino, f.stat.mtimeMs, f.stat.ctimeMs].join("\0")).update("\n");
  const key = identity.digest("hex");
  // One memo per root: the last identity seen and its digest (an edit replaces it; nothing piles up).
  const memo = join(graderCacheDir(root, "engine-hash"), "sources.json");
  try {
    const known = JSON.parse(readFileSync(memo, "utf8")) as { identity?: unknown; hash?: unknown };
    if (known.identity === key && typeof known.hash === "string" && /^[0-9a-f]{64}$/.test(known.hash)) return known.hash;
  } catch {
    // not remembered yet, or unreadable
  }
  const hash = contentHash(files);
  try {
    mkdirSync(dirname(memo), { recursive: true });
    writeAtomic(memo, JSON.stringify({ identity: key, hash }) + "\n");
  } catch {
    // a read-only install: computed every time
  }
  return hash;
}

/**
 * engineHash remembered per root for one run whose sources stay as they are while it runs (a grading
 * process): its compile store and its caches of cases and numbers then walk the sources once, not once
 * each (the walk stats some 300 files: 9-15 ms).
 */
export function sourcesHasher(hash: (root: string) => string = engineHash): (root: string) => string {
  const known = new Map<string, string>();
  return (root) => {
    let h = known.get(root);
    if (h === undefined) known.set(root, (h = hash(root)));
    return h;
  };
}
