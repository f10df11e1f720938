// Writing a file whole or not at all: into a fresh temporary name beside it, then renamed over it (a reader never sees half a file).
import { writeFileSync, renameSync } from "node:fs";

/** Write `data` to `path` atomically (the folder must exist); throws as writeFileSync does, leaving `path` as it was. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
