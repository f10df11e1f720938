// The vendored vmlab's package-lock.json: the repository's lockfile cut down to what the vendored dependencies need, so a platform installs exactly the tested versions (npm ci).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GraderError } from "../errors.js";

interface LockEntry {
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { optional?: boolean }>>;
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly optional?: boolean;
  readonly [k: string]: unknown;
}

interface Lock {
  readonly lockfileVersion: number;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/** Where Node finds `name` for the package installed at `from` (a lockfile path; "" is the root). */
function resolveIn(packages: Lock["packages"], from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const at = dir.lastIndexOf("/node_modules/");
    dir = at < 0 ? "" : dir.slice(0, at);
  }
}

/**
 * A lockfile (v3) for a package whose root is `root` (its package.json fields) and whose dependencies are a
 * subset of the repository's: every package they reach, with the versions and integrity hashes the
 * repository's lockfile pins.
 */
export function vendoredLockfile(repositoryRoot: string, root: { name: string; version: string; dependencies: Readonly<Record<string, string>> } & Record<string, unknown>): string {
  let lock: Lock;
  try {
    lock = JSON.parse(readFileSync(join(repositoryRoot, "package-lock.json"), "utf8")) as Lock;
  } catch (e) {
    throw new GraderError("LAB_MISSING_FILE", `the repository's package-lock.json cannot be read (${(e as Error).message})`, { hint: "run npm install in the repository first" });
  }
  if (lock.lockfileVersion < 2) throw new GraderError("LAB_MISSING_FILE", "package-lock.json is older than lockfile version 2", { hint: "run npm install with npm 7 or newer" });
  const keep = new Map<string, LockEntry>();
  const visit = (from: string, deps: Readonly<Record<string, string>>, optional: ReadonlySet<string>): void => {
    for (const name of Object.keys(deps).sort()) {
      const path = resolveIn(lock.packages, from, name);
      if (!path) {
        if (optional.has(name)) continue;
        throw new GraderError("LAB_MISSING_FILE", `package-lock.json has no ${name} (needed by ${from || "vmlab"})`, { hint: "run npm install in the repository so the lockfile is complete" });
      }
      if (keep.has(path)) continue;
      const { dev: _d, devOptional, ...entry } = lock.packages[path]!;
      keep.set(path, devOptional ? { ...entry, optional: true } : entry);
      const peers = Object.fromEntries(Object.entries(entry.peerDependencies ?? {}).filter(([p]) => !entry.peerDependenciesMeta?.[p]?.optional));
      visit(path, { ...(entry.dependencies ?? {}), ...(entry.optionalDependencies ?? {}), ...peers }, new Set(Object.keys(entry.optionalDependencies ?? {})));
    }
  };
  visit("", root.dependencies, new Set());
  const packages: Record<string, unknown> = { "": root };
  for (const path of [...keep.keys()].sort()) packages[path] = keep.get(path);
  return JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages }, null, 2) + "\n";
}
