// Where the vmlab package lives on disk: bundled guests, schemas, labs and hidden suites resolve from its root.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VmlabError } from "./errors.js";

/**
 * The directory of the package.json whose name is "vmlab", found by walking up from `from` (default:
 * this module). Works from the TypeScript sources (vitest, tslab) and from dist/ after a build.
 */
export function vmlabRoot(from: string | URL = import.meta.url): string {
  const start = typeof from === "string" && !from.startsWith("file:") ? from : fileURLToPath(from);
  let dir = existsSync(join(start, "package.json")) ? start : dirname(start);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "vmlab") return dir;
      } catch {
        // an unreadable manifest is not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new VmlabError("VMLAB_NO_PACKAGE_ROOT", `no package.json named "vmlab" above ${start}`, {
        hint: "guests, labs and schemas ship inside the vmlab package; run from an installed or checked-out copy",
      });
    }
    dir = parent;
  }
}
