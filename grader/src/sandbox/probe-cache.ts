// The sandbox's capability probes (can `unshare -rn` start node here? are setpriv and prlimit here?) remembered on disk, under the digest of everything their answer depends on.
//
// A probe starts processes: `unshare -rn node -e 0` alone is a Node start, and with setpriv's about 0.35
// CPU-seconds of every `vmlab grade` between the grader and the probes. The answer depends on the kernel
// (release and build), who asks (uid, gid), the namespaces the grader runs in (a container has its own),
// the kernel's switches for unprivileged user namespaces, and the binaries run (every candidate on the
// search path, by inode, size and modification time: an install or upgrade changes them). The file's
// name is the digest of all of that, so a change of any of them is a different file, never a stale answer.
// An answer that is stale anyway (something outside the key changed) fails safe: a cached "available"
// that no longer holds makes the child fail to start, and the runner then asks the probe afresh
// (`fresh`), rewrites the entry and starts the child with the fresh answer (runner.ts). A missing,
// unreadable or damaged entry is probed again; an unwritable folder changes nothing but speed.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { release, version } from "node:os";
import path from "node:path";
import { writeAtomic } from "../write-atomic.js";

/** Whether a probe's answer came from the disk (then it may be stale and is worth asking again when it fails). */
export interface ProbeAnswer {
  readonly available: boolean;
  readonly cached: boolean;
}

export interface ProbeCache {
  /**
   * The answer of `probe`, named `name`, that runs `commands` (names looked up on the search path, or
   * absolute paths): from the disk when an entry for this key is there, else probed and written.
   * `fresh`: probe now whatever the disk says, and write the answer.
   */
  check(name: string, commands: readonly string[], probe: () => Promise<boolean>, options?: { readonly fresh?: boolean }): Promise<ProbeAnswer>;
}

/** Kernel switches that decide whether an unprivileged user may create a user namespace. */
const NAMESPACE_SWITCHES = ["/proc/sys/kernel/unprivileged_userns_clone", "/proc/sys/user/max_user_namespaces", "/proc/sys/kernel/apparmor_restrict_unprivileged_userns"];
/** The grader's own namespaces (a container differs from its host by these). */
const OWN_NAMESPACES = ["/proc/self/ns/user", "/proc/self/ns/mnt", "/proc/self/ns/net"];
/** Where a command is looked for besides PATH (a child started with an empty environment finds it there). */
const DEFAULT_PATH = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"];

const attempt = <T>(f: () => T): T | string => {
  try {
    return f();
  } catch {
    return "-";
  }
};

/** What a probe's answer depends on, as text: the digest of it names the cache entry. */
export function probeIdentity(name: string, commands: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const dirs = [...new Set([...(env.PATH ?? "").split(path.delimiter).filter((d) => path.isAbsolute(d)), ...DEFAULT_PATH])];
  const stat = (file: string) =>
    attempt(() => {
      const s = statSync(file);
      return `${file} ${s.ino} ${s.size} ${s.mtimeMs}`;
    });
  const binaries = commands.flatMap((c) => (path.isAbsolute(c) ? [stat(c)] : dirs.map((d) => stat(path.join(d, c)))));
  return [
    "vmlab-probe-1", name, process.platform, release(), attempt(version), process.arch,
    attempt(() => `${process.getuid?.()}:${process.getgid?.()}`),
    ...OWN_NAMESPACES.map((n) => attempt(() => readlinkSync(n))),
    ...NAMESPACE_SWITCHES.map((f) => attempt(() => readFileSync(f, "utf8").trim())),
    ...binaries,
  ].join("\n");
}

/** Probe answers kept as small JSON files in `dir` (the grader cache's probes/ folder). */
export function createProbeCache(dir: string, env: NodeJS.ProcessEnv = process.env): ProbeCache {
  return {
    async check(name, commands, probe, options = {}) {
      const digest = createHash("sha256").update(probeIdentity(name, commands, env)).digest("hex").slice(0, 32);
      const file = path.join(dir, `${name}-${digest}.json`);
      if (!options.fresh) {
        try {
          const entry = JSON.parse(readFileSync(file, "utf8")) as { available?: unknown };
          if (typeof entry.available === "boolean") return { available: entry.available, cached: true };
        } catch {
          // none yet, or unreadable: probed below
        }
      }
      const available = await probe();
      try {
        mkdirSync(dir, { recursive: true });
        writeAtomic(file, JSON.stringify({ probe: name, available }) + "\n");
      } catch {
        // a read-only install: probed again next time
      }
      return { available, cached: false };
    },
  };
}

/** No disk: every check probes (for tests and callers that name no folder). */
export const uncachedProbes: ProbeCache = {
  check: async (_name, _commands, probe) => ({ available: await probe(), cached: false }),
};
