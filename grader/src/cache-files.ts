// A cache folder's old files of one kind removed, the newest kept: each is named by a digest that an edit, an install or a new flag set replaces, and nothing asks for the old name again.
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Once `dir` holds more than `keep` files whose names start with `prefix` and end with `suffix`, remove the
 * oldest of them down to `leave` (default `keep`; fewer leaves room, so a large cache is not listed and
 * stat'ed again at every write). Errors are ignored (another process may be removing the same files, or the folder may
 * be read-only): a cache that keeps a file too many costs disk space, never a result.
 */
export function keepNewest(dir: string, prefix: string, suffix: string, keep: number, leave: number = keep): void {
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
    for (const { f } of aged.slice(leave)) rmSync(path.join(dir, f), { force: true });
  } catch {
    // unreadable or read-only: nothing removed
  }
}
