// File-system errors with the kernel's errno names and strerror texts, as a shell prints them.
import { ContainerError } from "./errors.js";

/** The errno values the model raises, with their strerror(3) texts. */
export const ERRNO = {
  ENOENT: "No such file or directory",
  EEXIST: "File exists",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  ENOTEMPTY: "Directory not empty",
  EINVAL: "Invalid argument",
  ERANGE: "Numerical result out of range",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EBUSY: "Device or resource busy",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EROFS: "Read-only file system",
  EOPNOTSUPP: "Operation not supported",
  ESRCH: "No such process",
  ECHILD: "No child processes",
  ELOOP: "Too many levels of symbolic links",
  EADDRINUSE: "Address already in use",
  ECONNREFUSED: "Connection refused",
} as const;

export type Errno = keyof typeof ERRNO;

/** A failed system call: `errno` says which error, `path` where. */
export class FsError extends ContainerError {
  constructor(readonly errno: Errno, readonly path: string) {
    super(`FS_${errno}`, `${path}: ${ERRNO[errno]}`, { exitCode: 1 });
  }

  /** The strerror text alone ("No such file or directory"). */
  get reason(): string {
    return ERRNO[this.errno];
  }
}
