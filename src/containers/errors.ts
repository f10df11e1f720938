// ContainerError: the container model's errors — a stable `DOCKER_`/`CGROUP_`/`OCI_` code, Docker's words and the fix.
import type { Errno } from "./fs-error.js";
import { VmlabError, type VmlabErrorOptions } from "../core/errors.js";

/** Every code the container model raises; each keeps its meaning once published. */
export const CONTAINER_CODES = {
  DOCKER_CGROUP_WRITE: "a value written to a cgroup file is not one the kernel accepts",
  DOCKER_CONFLICT_OPTIONS: "two options of one command contradict each other",
  DOCKER_CONTAINER_RUNNING: "the container is running and must be stopped (or forced) first",
  DOCKER_EXEC_FAILED: "the command run in the container failed",
  DOCKER_EXEC_FORK: "the container could not start another process (pids.max)",
  DOCKER_IMAGE_IN_USE: "a container still uses the image",
  DOCKER_INVALID_CPUS: "a --cpus value is not a positive number within the host's CPUs",
  DOCKER_INVALID_DIGEST: "a digest is not sha256: and 64 hex digits",
  DOCKER_INVALID_NAME: "a container or network name has characters Docker refuses",
  DOCKER_INVALID_PUBLISH: "a --publish value is not [ip:]hostPort:containerPort[/proto]",
  DOCKER_INVALID_REFERENCE: "an image reference is not [registry/]repository[:tag|@digest]",
  DOCKER_INVALID_SHARES: "a --cpu-shares value is outside 2..262144",
  DOCKER_INVALID_SIZE: "a memory size is not a number with an optional b, k, m or g",
  DOCKER_JOIN_STOPPED: "a container joins the namespaces of one that is not running",
  DOCKER_MANIFEST_UNKNOWN: "the registry has no manifest for that tag",
  DOCKER_MEMORY_TOO_LOW: "a memory limit is below Docker's 6 MB minimum",
  DOCKER_NAME_CONFLICT: "the name is already in use",
  DOCKER_NETWORK_EXISTS: "a network of that name exists",
  DOCKER_NETWORK_IN_USE: "containers are still attached to the network",
  DOCKER_NOT_RUNNING: "the container is not running",
  DOCKER_NO_COMMAND: "neither the run command nor the image gives a command",
  DOCKER_NO_SUCH_CONTAINER: "no container of that name or ID",
  DOCKER_NO_SUCH_IMAGE: "no image of that reference or ID",
  DOCKER_NO_SUCH_NETWORK: "no network of that name or ID",
  DOCKER_NO_SUCH_OBJECT: "inspect found no container, image or network of that name",
  DOCKER_POOL_EXHAUSTED: "the address pool has no subnet left for another network",
  DOCKER_PORT_ALLOCATED: "the host port is already published",
  DOCKER_PREDEFINED_NETWORK: "bridge, host and none cannot be removed",
  DOCKER_PUSH_DENIED: "the registry refuses a push to that repository",
  DOCKER_REGISTRY_UNREACHABLE: "no registry answers at that host",
  DOCKER_REPOSITORY_NOT_FOUND: "the registry has no such repository",
  DOCKER_RESERVATION_ABOVE_LIMIT: "a memory reservation is above the memory limit",
  DOCKER_UNKNOWN_DRIVER: "a network driver the model does not have",
  DOCKERFILE_PARSE: "the Dockerfile does not parse",
  BUILD_COPY_NOT_FOUND: "COPY or ADD names a file the build context lacks",
  BUILD_NO_DOCKERFILE: "the build context has no Dockerfile",
  BUILD_NO_STAGE: "the Dockerfile has no FROM, or names a stage it does not have",
  BUILD_RUN_FAILED: "a RUN step exited non-zero",
  KERNEL_NO_SUCH_PROCESS: "no process with that PID",
  LAB_CASE_INVALID: "a lab 04 case file is not a valid operation sequence (its file and line are given)",
  OCI_DIR_NOT_LAYOUT: "the folder is not an OCI image layout",
  OCI_OPAQUE_WITHOUT_DIR: "a layer marks a directory opaque that it does not hold",
  OCI_RESERVED_NAME: "a file name is one the OCI layer format reserves for whiteouts",
  OCI_SCHEMA: "an OCI document does not follow its schema",
  OCI_TAR_CHECKSUM: "a tar header's checksum is wrong",
  OCI_TAR_FIELD: "a tar header field is too long or malformed",
} as const;
/** A catalogued code, or a failed system call's errno (FsError: `FS_ENOENT`, …, catalogued in ERRNO). */
export type ContainerCode = keyof typeof CONTAINER_CODES | `FS_${Errno}`;

/**
 * An error raised by the container model. `message` reads as Docker's own message would (so a student who
 * searches it finds Docker's documentation); `code` is stable; `exitCode` is what the docker CLI would exit
 * with (125: the daemon refused, 126: the command cannot be invoked, 127: the command is not found).
 */
export class ContainerError extends VmlabError {
  declare readonly code: ContainerCode;

  constructor(code: ContainerCode, message: string, options: VmlabErrorOptions & { exitCode?: number } = {}) {
    super(code, message, options);
    this.exitCode = options.exitCode ?? 125;
  }

  readonly exitCode: number;
}

/** Shorthand for the model's "No such …" errors with a did-you-mean hint. */
export function noSuch(code: ContainerCode, what: string, name: string, hint?: string): ContainerError {
  return new ContainerError(code, `No such ${what}: ${name}`, hint === undefined ? {} : { hint });
}
