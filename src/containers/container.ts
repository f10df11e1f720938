// A container: an image's file system with a writable layer, a configuration, a cgroup, namespaces and a main process.
import type { Cgroup } from "./cgroup.js";
import type { ContainerFs } from "./container-fs.js";
import type { Image } from "./image.js";
import type { Task } from "./kernel.js";
import type { NamespaceSet } from "./namespaces.js";
import type { PortBinding } from "./network.js";

export type ContainerStatus = "created" | "running" | "exited";

/** The resource limits of `docker run`, as HostConfig records them. */
export interface ResourceLimits {
  /** --cpus × 1e9 */
  readonly nanoCpus: number;
  /** --cpu-shares (0: not set) */
  readonly cpuShares: number;
  /** --memory in bytes (0: no limit) */
  readonly memory: number;
  /** --memory-reservation in bytes (0: none) */
  readonly memoryReservation: number;
  /** --pids-limit (0: no limit) */
  readonly pidsLimit: number;
}

/** One line a container wrote, with the stream and the simulated time. */
export interface LogLine {
  readonly stream: "stdout" | "stderr";
  readonly text: string;
  readonly time: number;
}

export interface ContainerSpec {
  readonly id: string;
  readonly name: string;
  readonly image: Image;
  /** What the user typed for the image ("alpine:3.19"). */
  readonly imageRef: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: readonly string[];
  readonly workingDir: string;
  readonly user: string;
  readonly hostname: string;
  readonly limits: ResourceLimits;
  /** "bridge", a network name, "host", "none" or "container:NAME". */
  readonly networkMode: string;
  readonly publish: readonly string[];
  readonly autoRemove: boolean;
  readonly userns: "host" | "remap";
  readonly privileged: boolean;
  readonly created: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** One container: its file system (image layers and a writable layer), configuration, cgroup, namespaces, status and main process. */
export class Container {
  status: ContainerStatus = "created";
  exitCode = 0;
  oomKilled = false;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  task: Task | undefined;
  cgroup: Cgroup | undefined;
  ns: NamespaceSet | undefined;
  /** The cgroup's files as they read when the container stopped (the scope is removed then). */
  finalCgroupFiles: Map<string, string> | undefined;
  readonly logs: LogLine[] = [];
  ports: PortBinding[] = [];
  restartCount = 0;
  /** --network-alias names (resolvable on user-defined networks besides the name). */
  networkAliases: readonly string[] = [];

  constructor(readonly spec: ContainerSpec, readonly fs: ContainerFs) {}

  get id(): string {
    return this.spec.id;
  }

  get name(): string {
    return this.spec.name;
  }

  get shortId(): string {
    return this.spec.id.slice(0, 12);
  }

  get running(): boolean {
    return this.status === "running";
  }

  /** The command line Docker shows: entrypoint + cmd. */
  get command(): string[] {
    return [...this.spec.entrypoint, ...this.spec.cmd];
  }

  private readonly partial = { stdout: "", stderr: "" };

  /** Collect output into log lines (a line is logged when its newline arrives, or at exit). */
  writer(stream: "stdout" | "stderr", now: () => number, echo?: (stream: "stdout" | "stderr", text: string) => void): (text: string) => void {
    return (text: string) => {
      echo?.(stream, text);
      const lines = (this.partial[stream] + text).split("\n");
      this.partial[stream] = lines.pop()!;
      for (const l of lines) this.logs.push({ stream, text: l + "\n", time: now() });
    };
  }

  /** Log what is left without a newline (the process exited). */
  flushLogs(now: number): void {
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.partial[stream]) this.logs.push({ stream, text: this.partial[stream], time: now });
      this.partial[stream] = "";
    }
  }

  /** Everything logged, as `docker logs` prints it. */
  logText(stream?: "stdout" | "stderr"): string {
    return this.logs.filter((l) => stream === undefined || l.stream === stream).map((l) => l.text).join("");
  }
}
