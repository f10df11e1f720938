// Source readers for `.include`: how an included file's name is resolved, and readers over a folder on disk or over files in memory.
import { existsSync, readFileSync, statSync } from "node:fs";
import { posix, resolve } from "node:path";

/**
 * Reads the file an `.include` names. `name` is already resolved against the including file (see
 * `resolveInclude`); the reader returns the text, or undefined when there is no such file. It may throw
 * when the file exists but cannot be read.
 */
export type SourceReader = (name: string) => string | undefined;

/** The name an `.include "path"` in `includingFile` refers to: relative to that file's folder unless absolute, normalised (`a/./b/../c.s` is `a/c.s`). */
export function resolveInclude(includingFile: string, path: string): string {
  const p = path.replace(/\\/g, "/");
  return posix.normalize(posix.isAbsolute(p) ? p : posix.join(posix.dirname(includingFile.replace(/\\/g, "/")), p));
}

/** A reader over files in memory, by resolved name: `{ "main.s": "...", "lib/io.s": "..." }`. */
export function readerFromMap(files: Readonly<Record<string, string>> | ReadonlyMap<string, string>): SourceReader {
  const map = files instanceof Map ? files : new Map(Object.entries(files as Record<string, string>));
  const byName = new Map([...map].map(([k, v]) => [posix.normalize(k), v]));
  return (name) => byName.get(posix.normalize(name));
}

/** A reader over the disk: names resolve against `folder` (the folder the main file's name is relative to, e.g. the working directory). */
export function readerFromDisk(folder: string): SourceReader {
  return (name) => {
    const path = resolve(folder, name);
    if (!existsSync(path)) return undefined;
    if (statSync(path).isDirectory()) throw new Error(`${name} is a folder, not a file`);
    return readFileSync(path, "utf8");
  };
}
