// A Docker host: the daemon's images, containers, networks and registries on one simulated Linux machine.
//
// This is the API notebooks and the CLI drive: pull, run, exec, stop, rm, commit, build, push, save,
// networks. Every operation that takes time advances the shared discrete-event clock, so containers
// started with `detach` keep running (and competing for CPU) while later commands execute.
import { Simulation } from "../sim/index.js";
import { BASE_IMAGES } from "./base-images.js";
import { cpusToMax, sharesToWeight } from "./cgroup-format.js";
import { Container, type ContainerSpec, type ResourceLimits } from "./container.js";
import { ContainerFs } from "./container-fs.js";
import { sha256, type Digest } from "./digest.js";
import { ContainerError } from "./errors.js";
import { FsError } from "./fs-error.js";
import { Image, envList, envMap, isoTime, type HistoryEntry } from "./image.js";
import { ImageStore } from "./image-store.js";
import { Kernel, type HostSpec } from "./kernel.js";
import { NetNamespace } from "./namespaces.js";
import { Networks, parsePublish } from "./network.js";
import { writeOciLayout, type OciExport } from "./oci-layout.js";
import { SIGNALS, exitCodeOf, type ProgramRegistry } from "./program.js";
import { defaultPrograms } from "./programs/index.js";
import { familiarName, formatReference, parseReference, withDefaultTag, DEFAULT_DOMAIN, type ImageReference } from "./image-name.js";
import { Registry, type TransferReport } from "./registry.js";
import { ramInBytes } from "./units.js";
import { suggest } from "../core/suggest.js";
import { createRng, type Rng } from "../sim/rng.js";

export interface DockerHostOptions {
  readonly seed?: number | string;
  readonly cpus?: number;
  readonly memoryBytes?: number;
  readonly hostname?: string;
  /** Wall-clock time of simulated time 0, in seconds since the epoch (default 2024-03-01T10:00:00Z). */
  readonly epoch?: number;
  readonly programs?: ProgramRegistry;
  /** Registry domains besides docker.io (default: localhost:5000, as if `registry:2` ran on the host). */
  readonly registries?: readonly string[];
}

/** The flags of `docker run` / `docker create`. */
export interface RunOptions {
  readonly name?: string;
  readonly detach?: boolean;
  readonly rm?: boolean;
  readonly env?: readonly string[];
  readonly publish?: readonly string[];
  readonly network?: string;
  readonly networkAlias?: readonly string[];
  /** --cpus (e.g. 0.5) */
  readonly cpus?: number | string;
  readonly cpuShares?: number;
  readonly memory?: number | string;
  readonly memoryReservation?: number | string;
  readonly pidsLimit?: number;
  readonly entrypoint?: string;
  readonly workdir?: string;
  readonly user?: string;
  readonly hostname?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Run in a user namespace with root mapped to host UID 100000 (as the daemon's userns-remap does). */
  readonly userns?: "host" | "remap";
  readonly privileged?: boolean;
  /** Foreground runs stop waiting after this much simulated time (default 60 s) and leave the container running. */
  readonly attachTimeout?: number;
  /** Called with output as the container writes it (the attached terminal). */
  readonly onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

/** What a foreground run or exec returns. */
export interface RunResult {
  readonly container: Container;
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** Simulated seconds it took. */
  readonly elapsed: number;
  /** Docker's client-side messages (pull progress, warnings) printed before the output. */
  readonly messages: readonly string[];
}

const NAMES_LEFT = ["admiring", "brave", "clever", "dreamy", "eager", "focused", "gallant", "happy", "jolly", "keen", "loving", "nifty", "quirky", "sharp", "vibrant", "zealous"];
const NAMES_RIGHT = ["babbage", "curie", "dijkstra", "engelbart", "goldberg", "hopper", "knuth", "lamport", "lovelace", "liskov", "popek", "ritchie", "shannon", "thompson", "torvalds", "turing"];

export const DEFAULT_EPOCH = Date.UTC(2024, 2, 1, 10, 0, 0) / 1000;
const PULL_BYTES_PER_SECOND = 10e6;

/** Seconds `docker stop` waits after the stop signal before SIGKILL. */
export const STOP_TIMEOUT = 10;

/** The Docker daemon of one simulated host: `pull`, `run`, `exec`, `stop`, `build`, networks and registries, on the shared clock. */
export class DockerHost {
  readonly sim: Simulation;
  readonly kernel: Kernel;
  readonly images = new ImageStore();
  readonly containers = new Map<string, Container>();
  readonly networks: Networks;
  readonly registries = new Map<string, Registry>();
  readonly epoch: number;
  private readonly rng: Rng;
  private idCounter = 0;
  /** Build cache: key → image state after the step, and what the step cost. */
  readonly buildCache = new Map<string, { image: Image; seconds: number }>();

  constructor(options: DockerHostOptions = {}) {
    const seed = options.seed ?? 1;
    this.sim = new Simulation({ seed: typeof seed === "number" ? seed : undefined });
    this.rng = createRng(`docker-host:${seed}`);
    const spec: HostSpec = { cpus: options.cpus ?? 2, memoryBytes: options.memoryBytes ?? 4 * 2 ** 30, hostname: options.hostname ?? "vmlab-host" };
    this.kernel = new Kernel(this.sim, spec, options.programs ?? defaultPrograms());
    this.epoch = options.epoch ?? DEFAULT_EPOCH;
    this.networks = new Networks((what) => this.newId(what), this.clock(), this.kernel.hostNs.net);
    this.kernel.network = this.networks;
    const hub = new Registry(DEFAULT_DOMAIN);
    for (const b of BASE_IMAGES) hub.addLazy(b.repository, b.tags, b.build);
    this.registries.set(DEFAULT_DOMAIN, hub);
    for (const d of options.registries ?? ["localhost:5000"]) this.registries.set(d, new Registry(d));
  }

  /** The host's wall clock: seconds since the epoch. */
  clock(): number {
    return this.epoch + this.sim.now;
  }

  /** A fresh 64-hex-digit ID (deterministic: a hash of the seed's stream and a counter). */
  newId(what: string): string {
    return sha256(`${what}:${this.idCounter++}:${this.rng.nextU32()}`).slice(7);
  }

  /** Let simulated time pass (background containers keep running). */
  advance(seconds: number): void {
    this.sim.run(this.sim.now + seconds);
  }

  // ---------------------------------------------------------------------------------------------
  // Images

  private registryFor(ref: ImageReference): Registry {
    const r = this.registries.get(ref.domain);
    if (!r) {
      throw new ContainerError("DOCKER_REGISTRY_UNREACHABLE", `Get "https://${ref.domain}/v2/": dial tcp: lookup ${ref.domain.split(":")[0]}: no such host`, { hint: `registries on this host: ${[...this.registries.keys()].join(", ")}` });
    }
    return r;
  }

  /** docker pull: fetch missing layers, tag locally. Output lines as Docker prints them. */
  pull(reference: string): { image: Image; report: TransferReport; output: string[] } {
    const ref = withDefaultTag(parseReference(reference));
    const registry = this.registryFor(ref);
    const { image, report } = registry.pull(ref.path, ref, (d) => this.images.hasLayer(d));
    const output = [`${ref.tag ?? ref.digest}: Pulling from ${ref.path}`];
    for (const l of report.layers) output.push(`${l.digest.slice(7, 19)}: ${l.action === "local" ? "Already exists" : "Pull complete"}`);
    output.push(`Digest: ${image.manifestDigest}`);
    const had = this.images.find(formatReference(ref))?.id === image.id;
    this.advance(report.bytes / PULL_BYTES_PER_SECOND);
    this.images.add(image);
    if (ref.tag) this.images.tag(image, ref);
    let set = this.images.repoDigests.get(image.id);
    if (!set) this.images.repoDigests.set(image.id, (set = new Set()));
    set.add(`${familiarName(ref)}@${image.manifestDigest}`);
    output.push(had ? `Status: Image is up to date for ${formatReference(ref)}` : `Status: Downloaded newer image for ${formatReference(ref)}`);
    output.push(`${ref.domain}/${ref.path}:${ref.tag ?? ""}`);
    return { image, report, output };
  }

  /** The local image for a reference, pulling it when absent (as docker run does). */
  imageFor(reference: string, messages: string[]): Image {
    const local = this.images.find(reference);
    if (local) return local;
    const ref = parseReference(reference);
    if (/^[0-9a-f]{12,64}$/.test(reference)) this.images.get(reference);
    messages.push(`Unable to find image '${formatReference(withDefaultTag(ref))}' locally`);
    const { image, output } = this.pull(reference);
    messages.push(...output.slice(0, -1));
    return image;
  }

  /** docker tag SOURCE TARGET */
  tag(source: string, target: string): void {
    const image = this.images.get(source);
    this.images.tag(image, parseReference(target));
  }

  /** docker rmi: untag, and delete the image when no tag and no container holds it. Lines as Docker prints them. */
  rmi(reference: string, options: { force?: boolean } = {}): string[] {
    const image = this.images.get(reference);
    const users = [...this.containers.values()].filter((c) => c.spec.image.id === image.id);
    const isId = /^(sha256:)?[0-9a-f]{4,64}$/.test(reference);
    const tags = this.images.tagsOf(image.id);
    const out: string[] = [];
    if (!isId && tags.length > 1) {
      this.images.untag(reference);
      return [`Untagged: ${formatReference(withDefaultTag(parseReference(reference)))}`];
    }
    if (users.length > 0 && !options.force) {
      const c = users[0]!;
      if (isId) throw new ContainerError("DOCKER_IMAGE_IN_USE", `conflict: unable to delete ${image.id.slice(7, 19)} (${c.running ? "cannot be forced" : "must be forced"}) - image is being used by ${c.running ? "running" : "stopped"} container ${c.shortId}`, { exitCode: 1, hint: `remove the container first: docker rm ${c.name}` });
      throw new ContainerError("DOCKER_IMAGE_IN_USE", `conflict: unable to remove repository reference "${reference}" (must force) - container ${c.shortId} is using its referenced image ${image.id.slice(7, 19)}`, { exitCode: 1, hint: `remove the container first: docker rm ${c.name}` });
    }
    for (const t of tags) out.push(`Untagged: ${t}`);
    for (const d of this.images.repoDigests.get(image.id) ?? []) out.push(`Untagged: ${d}`);
    if (users.length > 0) {
      for (const t of tags) this.images.untag(t);
      return out;
    }
    const gone = this.images.delete(image.id);
    out.push(`Deleted: ${image.id}`);
    for (const d of gone) out.push(`Deleted: ${d}`);
    return out;
  }

  /** docker push: upload the blobs the registry lacks. */
  push(reference: string): { report: TransferReport; output: string[] } {
    const ref = withDefaultTag(parseReference(reference));
    const image = this.images.get(formatReference(ref));
    if (ref.domain === DEFAULT_DOMAIN && ref.path.startsWith("library/")) {
      throw new ContainerError("DOCKER_PUSH_DENIED", "denied: requested access to the resource is denied", { exitCode: 1, hint: `official images cannot be pushed; tag it into your namespace or a local registry: docker tag ${formatReference(ref)} localhost:5000/${ref.path.slice(8)}:${ref.tag}` });
    }
    const registry = this.registryFor(ref);
    const report = registry.push(ref.path, ref.tag!, image);
    this.advance(report.bytes / PULL_BYTES_PER_SECOND);
    const output = [`The push refers to repository [${ref.domain}/${ref.path}]`];
    for (const l of [...report.layers].reverse()) output.push(`${l.digest.slice(7, 19)}: ${l.action === "exists" ? "Layer already exists" : "Pushed"}`);
    output.push(`${ref.tag}: digest: ${image.manifestDigest} size: ${image.manifestBytes().length}`);
    let set = this.images.repoDigests.get(image.id);
    if (!set) this.images.repoDigests.set(image.id, (set = new Set()));
    set.add(`${familiarName(ref)}@${image.manifestDigest}`);
    return { report, output };
  }

  /** docker save IMAGE… --oci DIR (OCI image layout). */
  save(references: readonly string[], dir: string): OciExport {
    const images = references.map((r) => {
      const image = this.images.get(r);
      const ref = /^(sha256:)?[0-9a-f]{12,64}$/.test(r) ? undefined : withDefaultTag(parseReference(r));
      return { image, refName: ref ? `${familiarName(ref)}:${ref.tag}` : image.id.slice(7, 19) };
    });
    return writeOciLayout(dir, images);
  }

  // ---------------------------------------------------------------------------------------------
  // Containers

  /** A container by name, full or short ID (as docker accepts), or "No such container" with a did-you-mean. */
  container(nameOrId: string): Container {
    const name = nameOrId.replace(/^\//, "");
    for (const c of this.containers.values()) if (c.name === name || c.id === nameOrId) return c;
    const byPrefix = [...this.containers.values()].filter((c) => nameOrId.length >= 1 && c.id.startsWith(nameOrId));
    if (byPrefix.length === 1) return byPrefix[0]!;
    const near = suggest(name, [...this.containers.values()].map((c) => c.name));
    throw new ContainerError("DOCKER_NO_SUCH_CONTAINER", `No such container: ${nameOrId}`, { exitCode: 1, ...(near ? { hint: `did you mean '${near}'?` } : {}) });
  }

  private uniqueName(): string {
    for (;;) {
      const n = `${this.rng.pick(NAMES_LEFT)}_${this.rng.pick(NAMES_RIGHT)}`;
      if (![...this.containers.values()].some((c) => c.name === n)) return n;
    }
  }

  private limitsFrom(o: RunOptions): ResourceLimits {
    const cpus = o.cpus === undefined ? 0 : Number(o.cpus);
    if (o.cpus !== undefined && (!Number.isFinite(cpus) || cpus < 0.01 || cpus > this.kernel.spec.cpus)) {
      const n = this.kernel.spec.cpus;
      throw new ContainerError("DOCKER_INVALID_CPUS", `range of CPUs is from 0.01 to ${n.toFixed(2)}, as there are only ${n} CPUs available`, { hint: `use --cpus between 0.01 and ${n}` });
    }
    const memory = o.memory === undefined ? 0 : typeof o.memory === "number" ? o.memory : ramInBytes(o.memory, "--memory");
    if (memory !== 0 && memory < 6 * 2 ** 20) throw new ContainerError("DOCKER_MEMORY_TOO_LOW", "Minimum memory limit allowed is 6MB", { hint: "use --memory 6m or more" });
    const reservation = o.memoryReservation === undefined ? 0 : typeof o.memoryReservation === "number" ? o.memoryReservation : ramInBytes(o.memoryReservation, "--memory-reservation");
    if (memory && reservation > memory) throw new ContainerError("DOCKER_RESERVATION_ABOVE_LIMIT", "Minimum memory limit can not be less than memory reservation limit, see usage", { hint: "make --memory-reservation smaller than --memory" });
    const shares = o.cpuShares ?? 0;
    if (shares < 0) throw new ContainerError("DOCKER_INVALID_SHARES", `invalid CPU shares ${shares}: must be positive`, { hint: "use --cpu-shares 2 to 262144 (1024 is the default weight)" });
    const pids = o.pidsLimit ?? 0;
    return { nanoCpus: Math.round(cpus * 1e9), cpuShares: shares, memory, memoryReservation: reservation, pidsLimit: pids < 0 ? 0 : pids };
  }

  /** docker create: a container in the Created state. */
  create(imageRef: string, command: readonly string[] = [], o: RunOptions = {}, messages: string[] = []): Container {
    const name = o.name ?? this.uniqueName();
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) throw new ContainerError("DOCKER_INVALID_NAME", `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, { hint: "container names start with a letter or digit and need at least two characters" });
    const clash = [...this.containers.values()].find((c) => c.name === name);
    if (clash) throw new ContainerError("DOCKER_NAME_CONFLICT", `Conflict. The container name "/${name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name.`, { hint: `docker rm -f ${name}, or choose another --name` });
    const limits = this.limitsFrom(o);
    const mode = o.network ?? "bridge";
    if (!mode.startsWith("container:")) this.networks.get(mode);
    else this.container(mode.slice("container:".length));
    for (const p of o.publish ?? []) parsePublish(p);
    const image = this.imageFor(imageRef, messages);
    const rc = image.runConfig;
    const entrypoint = o.entrypoint !== undefined ? (o.entrypoint === "" ? [] : [o.entrypoint]) : [...(rc.Entrypoint ?? [])];
    const cmd = command.length > 0 ? [...command] : o.entrypoint !== undefined ? [] : [...(rc.Cmd ?? [])];
    if (entrypoint.length + cmd.length === 0) throw new ContainerError("DOCKER_NO_COMMAND", "no command specified", { hint: "give a command after the image, or build the image with CMD" });
    const env = envMap(rc.Env);
    for (const e of o.env ?? []) {
      const i = e.indexOf("=");
      if (i === -1) continue;
      env.set(e.slice(0, i), e.slice(i + 1));
    }
    const id = this.newId(`container:${name}`);
    const spec: ContainerSpec = {
      id, name, image, imageRef, entrypoint, cmd, env: envList(env), workingDir: o.workdir ?? rc.WorkingDir ?? "/", user: o.user ?? rc.User ?? "",
      hostname: o.hostname ?? id.slice(0, 12), limits, networkMode: mode, publish: o.publish ?? [], autoRemove: o.rm ?? false,
      userns: o.userns ?? "host", privileged: o.privileged ?? false, created: this.clock(), labels: { ...(rc.Labels ?? {}), ...(o.labels ?? {}) },
    };
    const fs = new ContainerFs(image.tree(), { now: () => Math.floor(this.clock()) });
    const c = new Container(spec, fs);
    c.networkAliases = o.networkAlias ?? [];
    this.containers.set(id, c);
    return c;
  }

  /** The cgroup files Docker writes for the container's limits (runc's cgroup v2 conversion). */
  private applyLimits(c: Container): void {
    const path = c.cgroup!.path;
    const l = c.spec.limits;
    const write = (file: string, value: string) => this.kernel.writeCgroup(path, file, value);
    if (l.nanoCpus) {
      const m = cpusToMax(l.nanoCpus / 1e9);
      write("cpu.max", `${m.quotaUs} ${m.periodUs}`);
    }
    if (l.cpuShares) write("cpu.weight", String(sharesToWeight(l.cpuShares)));
    if (l.memory) write("memory.max", String(l.memory));
    if (l.memoryReservation) write("memory.low", String(l.memoryReservation));
    if (l.pidsLimit) write("pids.max", String(l.pidsLimit));
  }

  private etcHosts(c: Container): string {
    const addresses = [...(c.ns?.net.interfaces.entries() ?? [])].filter(([n]) => n.startsWith("eth")).map(([, i]) => i.address);
    return `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${addresses.map((a) => `${a}\t${c.spec.hostname}\n`).join("")}`;
  }

  /** docker start: cgroup, namespaces, network, the main process. */
  start(c: Container, options: { onOutput?: RunOptions["onOutput"]; messages?: string[] } = {}): void {
    if (c.running) return;
    const mode = c.spec.networkMode;
    let net: NetNamespace;
    if (mode === "host") {
      net = this.kernel.hostNs.net;
      if (c.spec.publish.length > 0) options.messages?.push("WARNING: Published ports are discarded when using host network mode");
    } else if (mode.startsWith("container:")) {
      const other = this.container(mode.slice("container:".length));
      if (!other.running || !other.ns) throw new ContainerError("DOCKER_JOIN_STOPPED", `cannot join network of a non running container: ${other.id}`, { hint: `start ${other.name} first` });
      net = other.ns.net;
      if (c.spec.publish.length > 0) throw new ContainerError("DOCKER_CONFLICT_OPTIONS", "conflicting options: port publishing and the container type network mode", { hint: "publish ports on the container whose network you join" });
    } else net = new NetNamespace(this.kernel.inodes.allocate());
    const cgroup = this.kernel.cgroups.mkdir(`/system.slice/docker-${c.id}.scope`);
    c.cgroup = cgroup;
    try {
      this.applyLimits(c);
    } catch (e) {
      this.kernel.cgroups.rmdir(cgroup.path);
      if (e instanceof FsError) throw new ContainerError("DOCKER_CGROUP_WRITE", `failed to write cgroup limits for ${c.name}: ${e.message}`, { hint: "check --cpus, --cpu-shares, --memory and --pids-limit" });
      throw e;
    }
    const userMap = c.spec.userns === "remap" ? [{ inside: 0, outside: 100000, count: 65536 }] : undefined;
    const ns = this.kernel.newNamespaces({ fs: c.fs, hostname: c.spec.hostname, net, cgroupRoot: cgroup, cgroupWritable: c.spec.privileged, ...(userMap ? { userMap } : {}) });
    c.ns = ns;
    if (mode !== "host" && !mode.startsWith("container:") && mode !== "none") {
      const network = this.networks.get(mode);
      this.networks.connect(network, c.id, c.name, net, [...c.networkAliases, c.shortId]);
      try {
        c.ports = c.spec.publish.map((p) => this.networks.publish(c.id, parsePublish(p), c.name));
      } catch (e) {
        this.networks.disconnect(c.id);
        net.interfaces.delete("eth0");
        this.kernel.cgroups.rmdir(cgroup.path);
        c.cgroup = undefined;
        c.ns = undefined;
        throw e;
      }
    }
    ns.mnt.binds.set("/etc/hostname", () => `${c.spec.hostname}\n`);
    ns.mnt.binds.set("/etc/hosts", () => this.etcHosts(c));
    const userDefined = mode !== "bridge" && mode !== "host" && mode !== "none" && !mode.startsWith("container:");
    ns.mnt.binds.set("/etc/resolv.conf", () => (userDefined ? "nameserver 127.0.0.11\noptions ndots:0\n" : "# Generated by Docker Engine.\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n"));
    const env = envMap(c.spec.env);
    if (!env.has("HOSTNAME")) env.set("HOSTNAME", c.spec.hostname);
    if (!env.has("HOME")) env.set("HOME", "/root");
    const argv = c.command;
    const cwd = c.spec.workingDir || "/";
    if (!c.fs.lookup(cwd)) c.fs.mkdir(cwd, { parents: true });
    const now = () => this.clock();
    const uid = c.spec.user === "" || c.spec.user === "root" || c.spec.user === "0" ? 0 : /^\d+$/.test(c.spec.user) ? Number(c.spec.user) : 1000;
    try {
      c.task = this.kernel.spawn({
        argv, cgroup, ns, env, cwd, uid,
        stdout: c.writer("stdout", now, options.onOutput),
        stderr: c.writer("stderr", now, options.onOutput),
      });
    } catch (e) {
      this.networks.disconnect(c.id);
      this.kernel.cgroups.rmdir(cgroup.path);
      c.cgroup = undefined;
      if (e instanceof FsError) {
        c.status = "created";
        const why = e.errno === "EACCES" ? "permission denied" : "executable file not found in $PATH";
        throw new ContainerError("DOCKER_EXEC_FAILED", `failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv[0]}": ${why}: unknown`, { exitCode: e.errno === "EACCES" ? 126 : 127, hint: `the image has no '${argv[0]}'; run a command it has (try: docker run --rm ${c.spec.imageRef} ls /bin)` });
      }
      throw e;
    }
    c.status = "running";
    c.startedAt = this.clock();
    c.finishedAt = undefined;
    const task = c.task;
    task.exited.addCallback(() => this.onExit(c));
  }

  private onExit(c: Container): void {
    const status = c.task!.status!;
    c.flushLogs(this.clock());
    c.status = "exited";
    c.exitCode = exitCodeOf(status);
    c.finishedAt = this.clock();
    const cg = c.cgroup!;
    c.oomKilled = cg.memoryEvents.oom_kill > 0;
    c.finalCgroupFiles = new Map(cg.files().map((f) => [f, cg.read(f, this.kernel.hooks())]));
    // Processes exec'd into the container die with it (its PID namespace's init is gone).
    this.networks.disconnect(c.id);
    c.ports = [];
    if (cg.procs.size === 0 && cg.children.size === 0) this.kernel.cgroups.rmdir(cg.path);
    if (c.spec.autoRemove) this.containers.delete(c.id);
  }

  /** docker run: create, start, and unless detached wait for the exit (at most `attachTimeout` simulated seconds). */
  run(imageRef: string, command: readonly string[] = [], o: RunOptions = {}): RunResult {
    const messages: string[] = [];
    const t0 = this.sim.now;
    const c = this.create(imageRef, command, o, messages);
    try {
      this.start(c, { ...(o.onOutput ? { onOutput: o.onOutput } : {}), messages });
    } catch (e) {
      if (e instanceof ContainerError) Object.assign(e, { messages, container: c });
      throw e;
    }
    if (o.detach) return { container: c, exitCode: undefined, stdout: "", stderr: "", elapsed: 0, messages };
    this.waitFor(c, o.attachTimeout ?? 60);
    return {
      container: c,
      exitCode: c.running ? undefined : c.exitCode,
      stdout: c.logText("stdout"),
      stderr: c.logText("stderr"),
      elapsed: this.sim.now - t0,
      messages,
    };
  }

  /** Advance time until the container exits or `timeout` seconds pass. */
  waitFor(c: Container, timeout = Infinity): boolean {
    const until = this.sim.now + timeout;
    while (c.running && this.sim.now < until) {
      const next = this.sim.peek();
      if (next === Infinity) break;
      if (next > until) {
        this.sim.run(until);
        break;
      }
      this.sim.step();
    }
    return !c.running;
  }

  /** docker stop: the stop signal, then SIGKILL after the timeout. Returns the simulated seconds it took. */
  stop(nameOrId: string, timeout = STOP_TIMEOUT): number {
    const c = this.container(nameOrId);
    if (!c.running) return 0;
    const t0 = this.sim.now;
    const sig = c.spec.image.runConfig.StopSignal === "SIGQUIT" ? SIGNALS.SIGQUIT : SIGNALS.SIGTERM;
    this.kernel.kill(c.task!, sig, { force: false });
    if (!this.waitFor(c, timeout)) {
      this.kernel.kill(c.task!, SIGNALS.SIGKILL, { force: true });
      this.waitFor(c, 1);
    }
    return this.sim.now - t0;
  }

  /** docker kill */
  kill(nameOrId: string): void {
    const c = this.container(nameOrId);
    if (!c.running) throw new ContainerError("DOCKER_NOT_RUNNING", `cannot kill container: ${nameOrId}: container ${c.id} is not running`, { exitCode: 1 });
    this.kernel.kill(c.task!, SIGNALS.SIGKILL, { force: true });
    this.waitFor(c, 1);
  }

  /** docker rm [-f] */
  rm(nameOrId: string, options: { force?: boolean } = {}): void {
    const c = this.container(nameOrId);
    if (c.running) {
      if (!options.force) throw new ContainerError("DOCKER_CONTAINER_RUNNING", `cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`, { exitCode: 1, hint: `docker stop ${c.name} first, or docker rm -f ${c.name}` });
      this.kernel.kill(c.task!, SIGNALS.SIGKILL, { force: true });
      this.waitFor(c, 1);
    }
    this.containers.delete(c.id);
  }

  /** docker exec: run a command inside a running container's namespaces and cgroup. */
  exec(nameOrId: string, argv: readonly string[], options: { env?: readonly string[]; workdir?: string; timeout?: number; detach?: boolean } = {}): RunResult {
    const c = this.container(nameOrId);
    if (!c.running || !c.ns || !c.cgroup) throw new ContainerError("DOCKER_NOT_RUNNING", `container ${c.id} is not running`, { exitCode: 1, hint: `start it first: docker start ${c.name}` });
    if (argv.length === 0) throw new ContainerError("DOCKER_NO_COMMAND", "exec requires at least 1 argument", { exitCode: 1 });
    const env = envMap(c.spec.env);
    env.set("HOSTNAME", c.spec.hostname);
    for (const e of options.env ?? []) {
      const i = e.indexOf("=");
      if (i > 0) env.set(e.slice(0, i), e.slice(i + 1));
    }
    let stdout = "";
    let stderr = "";
    const t0 = this.sim.now;
    let task;
    try {
      task = this.kernel.spawn({ argv, cgroup: c.cgroup, ns: c.ns, env, cwd: options.workdir ?? c.spec.workingDir ?? "/", uid: c.task?.uid ?? 0, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    } catch (e) {
      if (e instanceof FsError) {
        if (e.errno === "EAGAIN") throw new ContainerError("DOCKER_EXEC_FORK", `OCI runtime exec failed: exec failed: unable to start container process: read init-p: connection reset by peer: unknown`, { exitCode: 126, hint: "the container is at its pids.max" });
        throw new ContainerError("DOCKER_EXEC_FAILED", `OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`, { exitCode: 127 });
      }
      throw e;
    }
    if (options.detach) return { container: c, exitCode: undefined, stdout: "", stderr: "", elapsed: 0, messages: [] };
    const until = this.sim.now + (options.timeout ?? 60);
    while (task.alive && this.sim.now < until) {
      const next = this.sim.peek();
      if (next === Infinity) break;
      if (next > until) { this.sim.run(until); break; }
      this.sim.step();
    }
    return { container: c, exitCode: task.alive ? undefined : exitCodeOf(task.status!), stdout, stderr, elapsed: this.sim.now - t0, messages: [] };
  }

  /** docker commit: the container's writable layer becomes the top layer of a new image. */
  commit(nameOrId: string, reference?: string, options: { message?: string; author?: string } = {}): Image {
    const c = this.container(nameOrId);
    const base = c.spec.image;
    const layer = c.fs.commit();
    const now = this.clock();
    const history: HistoryEntry[] = [...base.config.history, { created: isoTime(now), created_by: c.command.join(" "), ...(options.message ? { comment: options.message } : {}), ...(options.author ? { author: options.author } : {}) }];
    const image = Image.create([...base.layers, layer], {
      created: now,
      config: { ...base.runConfig, Env: [...c.spec.env], Cmd: [...c.spec.cmd], ...(c.spec.entrypoint.length ? { Entrypoint: [...c.spec.entrypoint] } : {}), ...(c.spec.workingDir !== "/" ? { WorkingDir: c.spec.workingDir } : {}) },
      history,
      ...(options.author ? { author: options.author } : {}),
    });
    this.images.add(image);
    if (reference) this.images.tag(image, parseReference(reference));
    return image;
  }

  /** A request from outside the host to a published port: what answered and who served it. */
  request(hostPort: number, path = "/"): { status: number; body: string; servedBy: string; via: string } | { error: string } {
    const b = this.networks.published(hostPort);
    if (!b) return { error: `curl: (7) Failed to connect to localhost port ${hostPort} after 0 ms: Connection refused` };
    const c = this.containers.get(b.containerId);
    const listener = c?.ns?.net.listeners.get(b.containerPort);
    if (!c || !listener) return { error: "curl: (56) Recv failure: Connection reset by peer" };
    const address = c.ns!.net.interfaces.get("eth0")?.address ?? "?";
    const r = listener.handle({ method: "GET", path, host: `localhost:${hostPort}` });
    return { status: r.status, body: r.body, servedBy: c.name, via: `0.0.0.0:${hostPort} -> ${address}:${b.containerPort}` };
  }

  /** Image IDs every container uses, so rmi knows. */
  imageUsers(id: Digest): Container[] {
    return [...this.containers.values()].filter((c) => c.spec.image.id === id);
  }
}
