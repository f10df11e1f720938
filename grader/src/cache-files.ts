// A cache folder's old files of one kind removed, the newest kept: each is named by a digest that an edit, an install or a new flag set replaces, and nothing asks for the old name again.
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Remove all but the `keep` most recently written files of `dir` whose names start with `prefix` and end
 * with `suffix`. Errors are ignored (another process may be removing the same files, or the folder may
 * be read-only): a cache that keeps a file too many costs disk space, never a result.
 */
export function keepNewest(dir: string, prefix: string, suffix: string, keep: number): void {
  try {
    const mine = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(suffix));
    if (mine.length <= keep) return;
    const aged = mine.flatMap((f) => {
      try {
        return [{ f, t: statSync(path.join(dir, f)).mtimeMs }];
      } catch {
        return [];
      }
    });
    aged.sort((a, b) => b.t - a.t || (a.f < b.f ? -1 : 1));
    for (const { f } of aged.slice(keep)) rmSync(path.join(dir, f), { force: true });
  } catch {
    // unreadable or read-only: nothing removed
  }
}
