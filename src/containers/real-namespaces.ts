// The same namespace facts on the real kernel, where this Linux allows it: /proc/self/ns/*, and PID 1 inside a new PID namespace.
import { spawnSync } from "node:child_process";
import { readdirSync, readlinkSync } from "node:fs";

/** How to run a program and get its output (injected: tests and sandboxes substitute their own). */
export type Runner = (command: string, args: readonly string[]) => { status: number | null; stdout: string; stderr: string; error?: Error };

export const defaultRunner: Runner = (command, args) => {
  const r = spawnSync(command, args, { encoding: "utf8", timeout: 10_000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ...(r.error ? { error: r.error } : {}) };
};

/** "not allowed here: <reason>", when the kernel or the sandbox refuses. */
export interface NotAllowed {
  readonly ok: false;
  readonly reason: `not allowed here: ${string}`;
}

/** This process's namespaces as /proc/self/ns shows them ("net" → "net:[4026531840]"). */
export interface ProcNamespaces {
  readonly ok: true;
  readonly namespaces: Readonly<Record<string, string>>;
}

/** The namespaces of this process, read from /proc/self/ns. */
export function procSelfNamespaces(read: (path: string) => string = readlinkSync, list: (dir: string) => string[] = readdirSync): ProcNamespaces | NotAllowed {
  try {
    return { ok: true, namespaces: Object.fromEntries(list("/proc/self/ns").sort().map((k) => [k, read(`/proc/self/ns/${k}`)])) };
  } catch (e) {
    return { ok: false, reason: `not allowed here: cannot read /proc/self/ns (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** What a shell sees as the first process of a new PID namespace (unshare --pid --fork --mount-proc). */
export interface PidNamespaceFacts {
  readonly ok: true;
  /** The shell's PID inside: 1. */
  readonly pidInside: number;
  /** The PIDs /proc shows inside (only the namespace's own processes). */
  readonly visiblePids: readonly number[];
  readonly pidNamespace: string;
  /** The command that ran. */
  readonly command: string;
}

const SCRIPT = 'echo "$$"; readlink /proc/self/ns/pid; for p in /proc/[0-9]*; do echo "${p#/proc/}"; done';

/**
 * Run a shell in a new PID namespace and report what it sees. Tries without a user namespace first (as root),
 * then with one (-r, as an unprivileged user may); returns why not when neither is allowed.
 */
export function pidNamespaceFacts(run: Runner = defaultRunner): PidNamespaceFacts | NotAllowed {
  if (process.platform !== "linux") return { ok: false, reason: `not allowed here: namespaces are a Linux feature and this is ${process.platform}` };
  const attempts = [["--pid", "--fork", "--mount-proc"], ["--user", "--map-root-user", "--pid", "--fork", "--mount-proc"]];
  let last = "";
  for (const flags of attempts) {
    const r = run("unshare", [...flags, "sh", "-c", SCRIPT]);
    if (r.error) {
      last = (r.error as NodeJS.ErrnoException).code === "ENOENT" ? "unshare is not installed (util-linux)" : r.error.message;
      continue;
    }
    if (r.status !== 0) {
      last = r.stderr.trim().split("\n").pop() || `unshare exited with ${r.status}`;
      continue;
    }
    const lines = r.stdout.trim().split("\n");
    const pidInside = Number(lines[0]);
    return {
      ok: true,
      pidInside,
      pidNamespace: lines[1] ?? "",
      visiblePids: lines.slice(2).map(Number).filter((n) => Number.isInteger(n)).sort((a, b) => a - b),
      command: `unshare ${flags.join(" ")} sh -c '…'`,
    };
  }
  return { ok: false, reason: `not allowed here: ${last}` };
}
