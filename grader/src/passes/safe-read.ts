// Read a file of an untrusted submission: only a regular file that lies inside the submission, never more than a cap.
//
// Submissions arrive as git repositories and zip files, which carry symbolic links, and a student
// controls every name in them. The grader reads them with its own privileges, outside the sandbox, so
// a read must never follow a link out of the submission (to the reference solution, a hidden suite,
// /proc/self/environ), never block (a FIFO), never grow without bound (/dev/zero) and never load a file
// larger than the cap into memory. The rules, each with its own code:
//   - the path, resolved through any links, must stay inside the submission's own folder;
//   - what it names must be a regular file (not a folder, device, FIFO or socket);
//   - it must have at most `maxBytes` bytes, checked on the open descriptor before reading, and the read
//     stops at maxBytes + 1 whatever the size said.
// The file is opened with O_NONBLOCK (opening a FIFO cannot hang) and checked with fstat on the same
// descriptor that is read, so what was checked is what is read.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";

/** Why a file of a submission was not read: each code is one rule. */
export type UnsafeFileCode = "GRADE_MISSING_FILE" | "GRADE_FILE_OUTSIDE" | "GRADE_NOT_A_FILE" | "GRADE_FILE_TOO_LARGE" | "GRADE_UNREADABLE_FILE";

export type SafeRead =
  | { readonly ok: true; readonly text: string; readonly bytes: number }
  | { readonly ok: false; readonly code: UnsafeFileCode; readonly message: string };

/** Is `inner` the folder `outer` or inside it (both absolute, resolved)? */
export function isInside(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith(".." + sep) && rel !== ".." && !isAbsolute(rel));
}

/** What kind of thing an fstat/lstat describes, in words for a message. */
function kindOf(stat: import("node:fs").Stats): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/**
 * Read `name` (a relative path, as the lab names it) from the submission folder `root`. `shown` is how the
 * file is named in messages (default `name`). Never throws for anything the submission contains.
 */
export function readSubmissionFile(root: string, name: string, maxBytes: number, shown: string = name): SafeRead {
  let base: string;
  try {
    base = realpathSync(root);
  } catch {
    return { ok: false, code: "GRADE_MISSING_FILE", message: `${shown} is missing from the submission` };
  }
  const path = join(base, name);
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return { ok: false, code: "GRADE_MISSING_FILE", message: `${shown} is missing from the submission` };
  }
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return { ok: false, code: "GRADE_FILE_OUTSIDE", message: `${shown} is a symbolic link to nothing; submit the file itself, not a link` };
  }
  if (!isInside(base, real)) {
    return {
      ok: false, code: "GRADE_FILE_OUTSIDE",
      message: `${shown} ${link ? "is a symbolic link" : "lies behind a symbolic link"} that leads outside the submission; the grader reads only files inside the submission: submit the file itself`,
    };
  }
  return readRegularFile(real, maxBytes, shown);
}

/** Read a path that must be a regular file of at most maxBytes (the checks of readSubmissionFile after the location rule). */
export function readRegularFile(path: string, maxBytes: number, shown: string): SafeRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, code: "GRADE_MISSING_FILE", message: `${shown} is missing from the submission` };
    if (code === "ELOOP") return { ok: false, code: "GRADE_FILE_OUTSIDE", message: `${shown} is a symbolic link; submit the file itself` };
    if (code === "EISDIR") return { ok: false, code: "GRADE_NOT_A_FILE", message: `${shown} is a folder, not a file; the grader reads only regular files` };
    return { ok: false, code: "GRADE_UNREADABLE_FILE", message: `${shown} cannot be read (${code ?? "unknown error"})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, code: "GRADE_NOT_A_FILE", message: `${shown} is ${kindOf(stat)}, not a regular file; the grader reads only regular files` };
    if (stat.size > maxBytes) return tooLarge(shown, maxBytes);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { ok: false, code: "GRADE_UNREADABLE_FILE", message: `${shown} cannot be read (${code ?? "unknown error"})` };
      }
      if (n === 0) break;
      length += n;
      // The size fstat gave is not trusted: a file that grows while it is read stops at the cap all the same.
      if (length > maxBytes) return tooLarge(shown, maxBytes);
      chunks.push(chunk.subarray(0, n));
    }
    return { ok: true, text: Buffer.concat(chunks, length).toString("utf8"), bytes: length };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(shown: string, maxBytes: number): SafeRead {
  return { ok: false, code: "GRADE_FILE_TOO_LARGE", message: `${shown} is larger than ${formatBytes(maxBytes)}, the most the grader reads of one file` };
}

/** `1 MiB`, `8 MiB`, `512 KiB`, `300 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
