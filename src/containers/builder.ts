// docker build: a Dockerfile's steps against a build context, each RUN/COPY/ADD a new layer, with the build cache.
//
// The cache key of a step is its parent's key, the instruction after variable substitution, and for
// COPY/ADD the checksums of the copied files' contents and modes (not their mtimes); for RUN, the build
// arguments in scope. A hit reuses the stored layer; a miss rebuilds that step, which changes the key of
// every later step, so they all rebuild. Config-only steps (ENV, CMD, EXPOSE, …) add history without a layer.
import type { DockerHost } from "./docker-host.js";
import { ContainerFs } from "./container-fs.js";
import { parseDockerfile, substitute, type CommandForm, type Instruction } from "./dockerfile.js";
import { isIgnored, parseDockerignore } from "./dockerignore.js";
import { sha256 } from "./digest.js";
import { ContainerError } from "./errors.js";
import { baseName, normalizePath, type FsEntry } from "./fs-entry.js";
import { Image, envList, envMap, isoTime, type ContainerConfig, type HistoryEntry } from "./image.js";
import type { Layer } from "./layer.js";
import { exitCodeOf } from "./program.js";
import { parseReference } from "./image-name.js";
import { readTar } from "./tar.js";

/** A file of the build context. */
export interface ContextFile {
  readonly content: Uint8Array;
  readonly mode: number;
  /** Seconds since the epoch. COPY keeps it; the cache ignores it. */
  readonly mtime: number;
}

/** The build context: relative paths (forward slashes) → files. */
export type BuildContext = ReadonlyMap<string, ContextFile>;

export interface BuildOptions {
  readonly dockerfile?: string;
  readonly tags?: readonly string[];
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly noCache?: boolean;
  /** Stop at this stage (multi-stage builds). */
  readonly target?: string;
}

/** One step of the build as it ran. */
export interface BuildStep {
  readonly index: number;
  readonly instruction: string;
  readonly kind: Instruction["kind"];
  readonly line: number;
  readonly cached: boolean;
  /** Simulated seconds the step took (0 for a cache hit). */
  readonly seconds: number;
  /** The layer it added, if any. */
  readonly layer?: { digest: string; size: number };
  readonly output: string;
}

export interface BuildResult {
  readonly image: Image;
  readonly steps: readonly BuildStep[];
  /** The build's progress output, as `docker build --progress=plain` prints it. */
  readonly log: string;
  readonly seconds: number;
}

const COPY_BYTES_PER_SECOND = 200e6;

interface Stage {
  name?: string;
  layers: Layer[];
  config: ContainerConfig;
  history: HistoryEntry[];
  key: string;
  image?: Image;
}

/** "CMD ["a" "b"]" as BuildKit writes commands into history. */
function goList(list: readonly string[]): string {
  return `[${list.map((x) => JSON.stringify(x)).join(" ")}]`;
}

function argvOf(c: CommandForm): string[] {
  return "exec" in c ? [...c.exec] : ["/bin/sh", "-c", c.shell];
}

function globToRegExp(p: string): RegExp {
  return new RegExp("^" + p.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]") + "$");
}

/** Context files matched by a COPY source (a file, a directory's contents, or a glob). */
function matchSources(context: BuildContext, source: string, line: number, file: string): { rel: string; path: string; f: ContextFile }[] {
  const src = normalizePath(source).slice(1);
  const out: { rel: string; path: string; f: ContextFile }[] = [];
  if (/[*?]/.test(src)) {
    const re = globToRegExp(src);
    for (const [p, f] of context) if (re.test(p)) out.push({ rel: baseName("/" + p), path: p, f });
  } else if (src === "" || [...context.keys()].some((p) => p.startsWith(src + "/"))) {
    for (const [p, f] of context) if (src === "" || p.startsWith(src + "/")) out.push({ rel: src === "" ? p : p.slice(src.length + 1), path: p, f });
  } else {
    const f = context.get(src);
    if (f) out.push({ rel: baseName("/" + src), path: src, f });
  }
  if (out.length === 0) {
    throw new ContainerError("BUILD_COPY_NOT_FOUND", `failed to solve: failed to compute cache key: failed to calculate checksum of ref: "/${src}": not found`, { exitCode: 1, where: { file, line }, hint: `is '${source}' in the build context, or excluded by .dockerignore?` });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Run a build on the host. */
export function build(host: DockerHost, context: BuildContext, options: BuildOptions = {}): BuildResult {
  const dockerfileName = options.dockerfile ?? "Dockerfile";
  const df = context.get(dockerfileName);
  if (!df) throw new ContainerError("BUILD_NO_DOCKERFILE", `failed to solve: failed to read dockerfile: open ${dockerfileName}: no such file or directory`, { exitCode: 1, hint: "put a Dockerfile in the context directory, or name it with -f" });
  const instructions = parseDockerfile(new TextDecoder().decode(df.content), dockerfileName);
  const ignoreFile = context.get(".dockerignore");
  const rules = ignoreFile ? parseDockerignore(new TextDecoder().decode(ignoreFile.content)) : [];
  const files: Map<string, ContextFile> = new Map([...context].filter(([p]) => !isIgnored(rules, p)));
  const t0 = host.sim.now;
  const log: string[] = [];
  const steps: BuildStep[] = [];
  const stages: Stage[] = [];
  const globalArgs = new Map<string, string>();
  const buildArgs = new Map(Object.entries(options.buildArgs ?? {}));
  let stage: Stage | undefined;
  let argsInScope = new Map<string, string>();
  let step = 0;
  let n = 1;
  const fsSteps = instructions.filter((i) => i.kind === "FROM" || i.kind === "RUN" || i.kind === "COPY" || i.kind === "ADD").length;
  log.push(`#${n} [internal] load build definition from ${dockerfileName}`, `#${n} transferring dockerfile: ${df.content.length}B done`, `#${n} DONE 0.0s`, "");
  n++;
  const contextBytes = [...files.values()].reduce((s, f) => s + f.content.length, 0);
  log.push(`#${n} [internal] load .dockerignore`, `#${n} transferring context: ${ignoreFile?.content.length ?? 2}B done`, `#${n} DONE 0.0s`, "");
  n++;
  log.push(`#${n} [internal] load build context`, `#${n} transferring context: ${contextBytes}B done`, `#${n} DONE 0.0s`, "");
  n++;

  const vars = () => new Map([...argsInScope, ...envMap(stage?.config.Env)]);
  const record = (i: Instruction, cached: boolean, seconds: number, layer: Layer | undefined, output: string) => {
    steps.push({ index: steps.length, instruction: i.text, kind: i.kind, line: i.line, cached, seconds, output, ...(layer ? { layer: { digest: layer.digest, size: layer.size } } : {}) });
  };

  for (const inst of instructions) {
    if (inst.kind === "ARG" && !stage) {
      globalArgs.set(inst.name, buildArgs.get(inst.name) ?? inst.value ?? "");
      continue;
    }
    if (inst.kind === "FROM") {
      if (stage) stages.push(stage);
      if (options.target && stage?.name === options.target) break;
      step++;
      const ref = substitute(inst.image, globalArgs);
      const label = `#${n} [${step}/${fsSteps}] FROM ${ref}`;
      let base: { layers: Layer[]; config: ContainerConfig; history: HistoryEntry[]; key: string };
      const prior = stages.find((s) => s.name === ref.toLowerCase());
      if (prior) base = { layers: [...prior.layers], config: prior.config, history: [...prior.history], key: prior.key };
      else if (ref === "scratch") base = { layers: [], config: {}, history: [], key: "scratch" };
      else {
        const messages: string[] = [];
        const before = host.sim.now;
        const img = host.imageFor(ref, messages);
        base = { layers: [...img.layers], config: img.runConfig, history: [...img.config.history], key: img.id };
        log.push(label, ...(messages.length ? [`#${n} resolve docker.io/${parseReference(ref).path} done`] : []), messages.length ? `#${n} DONE ${(host.sim.now - before).toFixed(1)}s` : `#${n} CACHED`, "");
      }
      if (prior || ref === "scratch") log.push(label, `#${n} CACHED`, "");
      n++;
      stage = { ...(inst.stage ? { name: inst.stage } : {}), ...base };
      argsInScope = new Map();
      record(inst, true, 0, undefined, "");
      continue;
    }
    if (!stage) continue;
    const now = () => host.clock();
    const v = vars();
    switch (inst.kind) {
      case "ARG": {
        const value = buildArgs.get(inst.name) ?? inst.value ?? globalArgs.get(inst.name) ?? "";
        argsInScope.set(inst.name, value);
        stage.history.push({ created: isoTime(now()), created_by: `ARG ${inst.name}${inst.value !== undefined ? `=${inst.value}` : ""}`, comment: "buildkit.dockerfile.v0", empty_layer: true });
        stage.key = sha256(`${stage.key}\nARG ${inst.name}=${value}`);
        record(inst, true, 0, undefined, "");
        continue;
      }
      case "ENV": case "LABEL": {
        const pairs = inst.pairs.map(([k, val]) => [substitute(k, v), substitute(val, v)] as const);
        if (inst.kind === "ENV") {
          const env = envMap(stage.config.Env);
          for (const [k, val] of pairs) env.set(k, val);
          stage.config = { ...stage.config, Env: envList(env) };
        } else stage.config = { ...stage.config, Labels: { ...(stage.config.Labels ?? {}), ...Object.fromEntries(pairs) } };
        const text = `${inst.kind} ${pairs.map(([k, val]) => `${k}=${val}`).join(" ")}`;
        configStep(stage, text, now(), inst, record);
        continue;
      }
      case "CMD": case "ENTRYPOINT": {
        const argv = argvOf(inst.command);
        stage.config = inst.kind === "CMD" ? { ...stage.config, Cmd: argv } : { ...stage.config, Entrypoint: argv, ...(stage.config.Cmd && !steps.some((s) => s.kind === "CMD") ? { Cmd: null } : {}) };
        configStep(stage, `${inst.kind} ${goList(argv)}`, now(), inst, record);
        continue;
      }
      case "WORKDIR": {
        const dir = normalizePath(substitute(inst.value, v), stage.config.WorkingDir ?? "/");
        stage.config = { ...stage.config, WorkingDir: dir };
        configStep(stage, `WORKDIR ${dir}`, now(), inst, record);
        continue;
      }
      case "USER": case "STOPSIGNAL": {
        const value = substitute(inst.value, v);
        stage.config = inst.kind === "USER" ? { ...stage.config, User: value } : { ...stage.config, StopSignal: value };
        configStep(stage, `${inst.kind} ${value}`, now(), inst, record);
        continue;
      }
      case "EXPOSE": {
        const ports = { ...(stage.config.ExposedPorts ?? {}) };
        for (const p of inst.ports.map((x) => substitute(x, v))) ports[p.includes("/") ? p : `${p}/tcp`] = {};
        stage.config = { ...stage.config, ExposedPorts: ports };
        configStep(stage, `EXPOSE map[${Object.keys(ports).sort().map((p) => `${p}:{}`).join(" ")}]`, now(), inst, record);
        continue;
      }
      case "RUN": case "COPY": case "ADD": {
        step++;
        const label = `#${n} [${step}/${fsSteps}] ${inst.text}`;
        n++;
        let keyExtra = "";
        let sources: { rel: string; path: string; f: ContextFile }[] = [];
        let fromStage: Stage | undefined;
        let dest = "";
        if (inst.kind === "RUN") keyExtra = [...argsInScope].map(([k, val]) => `${k}=${val}`).join("\n");
        else {
          dest = substitute(inst.dest, v);
          if (inst.from) {
            fromStage = stages.find((s) => s.name === inst.from!.toLowerCase());
            if (!fromStage) throw new ContainerError("BUILD_NO_STAGE", `failed to solve: ${inst.from}: no stage or image of that name`, { exitCode: 1, where: { file: dockerfileName, line: inst.line }, hint: "COPY --from names an earlier FROM … AS NAME stage" });
            keyExtra = `from=${fromStage.key}`;
          } else {
            sources = inst.sources.flatMap((s) => matchSources(files, substitute(s, v), inst.line, dockerfileName));
            keyExtra = sources.map((s) => `${s.path} ${s.f.mode.toString(8)} ${sha256(s.f.content)}`).join("\n");
          }
        }
        const key = sha256(`${stage.key}\n${inst.text}\n${keyExtra}`);
        const hit = options.noCache ? undefined : host.buildCache.get(key);
        if (hit) {
          const top = hit.image.layers.at(-1);
          stage.layers = [...hit.image.layers];
          stage.history = [...hit.image.config.history];
          stage.key = key;
          log.push(label, `#${n - 1} CACHED`, "");
          record(inst, true, 0, hit.image.layers.length > 0 && hit.image.config.history.at(-1)?.empty_layer !== true ? top : undefined, "");
          continue;
        }
        log.push(label);
        const before = host.sim.now;
        const fs = new ContainerFs(stage.layers, { now: () => Math.floor(host.clock()) });
        let output = "";
        if (inst.kind === "RUN") {
          const argv = argvOf(inst.command);
          const r = runInBuild(host, fs, stage.config, argv, argsInScope, (text) => {
            for (const line of text.split("\n").filter((l) => l !== "")) log.push(`#${n - 1} ${(host.sim.now - before).toFixed(3)} ${line}`);
            output += text;
          });
          if (r !== 0) {
            log.push(`#${n - 1} ERROR: process "${argv.join(" ")}" did not complete successfully: exit code: ${r}`);
            throw new ContainerError("BUILD_RUN_FAILED", `failed to solve: process "${argv.join(" ")}" did not complete successfully: exit code: ${r}`, { exitCode: 1, where: { file: dockerfileName, line: inst.line }, hint: `the command on line ${inst.line} failed; its output: ${output.trim().split("\n").slice(-3).join(" / ") || "(none)"}` });
          }
        } else {
          const [uid, gid] = inst.chown ? inst.chown.split(":").map((x) => (/^\d+$/.test(x) ? Number(x) : x === "root" ? 0 : 1000)) : [0, 0];
          const destPath = normalizePath(dest, stage.config.WorkingDir ?? "/");
          const toDir = dest.endsWith("/") || sources.length > 1 || (sources.length === 1 && sources[0]!.path !== normalizePath(inst.sources[0]!).slice(1)) || fs.lookup(destPath)?.type === "dir";
          let bytes = 0;
          const put = (path: string, e: FsEntry) => {
            for (const dir of ancestorsOf(path)) if (!fs.lookup(dir)) fs.mkdir(dir);
            if (e.type === "file") {
              // COPY keeps the source's mode and mtime and sets the owner (--chown, else root).
              fs.write(path, e.content, { mode: e.mode, uid: uid ?? 0, gid: gid ?? 0, mtime: e.mtime });
              bytes += e.content.length;
            }
          };
          if (fromStage) {
            const src = normalizePath(substitute(inst.sources[0]!, v));
            const other = new ContainerFs(fromStage.layers);
            const e = other.lookup(src);
            if (!e) throw new ContainerError("BUILD_COPY_NOT_FOUND", `failed to solve: failed to compute cache key: "${src}": not found`, { exitCode: 1, where: { file: dockerfileName, line: inst.line }, hint: `stage ${inst.from} has no ${src}` });
            if (e.type === "file") put(toDir ? `${destPath}/${baseName(src)}` : destPath, e);
            else for (const [p, entry] of other.tree()) if (p.startsWith(src + "/") && entry.type === "file") put(`${destPath}/${p.slice(src.length + 1)}`, entry);
          } else {
            for (const s of sources) {
              const target = toDir ? `${destPath}/${s.rel}` : destPath;
              const isTar = inst.kind === "ADD" && s.f.content.length > 262 && new TextDecoder().decode(s.f.content.subarray(257, 262)) === "ustar";
              if (isTar) {
                for (const m of readTar(s.f.content)) {
                  const p = normalizePath(`${destPath}/${m.name}`);
                  if (m.type === "dir") { if (!fs.lookup(p)) fs.mkdir(p, { parents: true }); }
                  else if (m.type === "file") put(p, { type: "file", content: m.content ?? new Uint8Array(0), mode: m.mode, uid: m.uid, gid: m.gid, mtime: m.mtime });
                }
                continue;
              }
              put(target, { type: "file", content: s.f.content, mode: s.f.mode, uid: 0, gid: 0, mtime: s.f.mtime });
            }
          }
          host.advance(bytes / COPY_BYTES_PER_SECOND);
          output = `${bytes} bytes copied`;
        }
        const layer = fs.commit();
        const empty = layer.changes.size === 0;
        const created = isoTime(host.clock());
        const by = inst.kind === "RUN" ? `RUN ${"exec" in inst.command ? goList(inst.command.exec) : `/bin/sh -c ${inst.command.shell}`} # buildkit` : `${inst.kind} ${inst.text.slice(inst.kind.length + 1)} # buildkit`;
        if (!empty) stage.layers = [...stage.layers, layer];
        stage.history = [...stage.history, { created, created_by: by, comment: "buildkit.dockerfile.v0", ...(empty ? { empty_layer: true } : {}) }];
        stage.key = key;
        const seconds = host.sim.now - before;
        host.buildCache.set(key, { image: Image.create(stage.layers, { created: host.clock(), config: stage.config, history: stage.history }), seconds });
        log.push(`#${n - 1} DONE ${seconds.toFixed(1)}s`, "");
        record(inst, false, seconds, empty ? undefined : layer, output);
        continue;
      }
    }
  }
  if (stage && !stages.includes(stage)) stages.push(stage);
  const final = options.target ? stages.find((s) => s.name === options.target) : stages.at(-1);
  if (!final) throw new ContainerError("BUILD_NO_STAGE", `failed to solve: target stage "${options.target}" could not be found`, { exitCode: 1, hint: `stages: ${stages.map((s) => s.name).filter(Boolean).join(", ")}` });
  const image = Image.create(final.layers, { created: host.clock(), config: final.config, history: final.history });
  host.images.add(image);
  for (const t of options.tags ?? []) host.images.tag(image, parseReference(t));
  log.push(`#${n} exporting to image`, `#${n} exporting layers done`, `#${n} writing image ${image.id} done`, ...(options.tags ?? []).map((t) => `#${n} naming to ${fullRef(t)} done`), `#${n} DONE 0.0s`);
  return { image, steps, log: log.join("\n") + "\n", seconds: host.sim.now - t0 };
}

function fullRef(t: string): string {
  const r = parseReference(t);
  return `${r.domain}/${r.path}:${r.tag ?? "latest"}`;
}

function ancestorsOf(path: string): string[] {
  const parts = path.split("/").filter((p) => p !== "");
  return parts.slice(0, -1).map((_, i) => "/" + parts.slice(0, i + 1).join("/"));
}

/** A config-only step: history with empty_layer, and a new cache key. */
function configStep(stage: Stage, text: string, now: number, inst: Instruction, record: (i: Instruction, cached: boolean, s: number, l: undefined, o: string) => void): void {
  stage.history = [...stage.history, { created: isoTime(now), created_by: text, comment: "buildkit.dockerfile.v0", empty_layer: true }];
  stage.key = sha256(`${stage.key}\n${text}`);
  record(inst, false, 0, undefined, "");
}

/** Run a RUN step's command in a build container over the stage's file system; returns its exit code. */
function runInBuild(host: DockerHost, fs: ContainerFs, config: ContainerConfig, argv: readonly string[], args: ReadonlyMap<string, string>, output: (text: string) => void): number {
  const kernel = host.kernel;
  const id = host.newId("build");
  const cgroup = kernel.cgroups.mkdir(`/system.slice/buildkit-${id.slice(0, 12)}.scope`);
  const ns = kernel.newNamespaces({ fs, hostname: id.slice(0, 12), cgroupRoot: cgroup });
  ns.mnt.binds.set("/etc/resolv.conf", () => "nameserver 8.8.8.8\n");
  const env = envMap(config.Env);
  for (const [k, v] of args) if (!env.has(k)) env.set(k, v);
  if (!env.has("PATH")) env.set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  const cwd = config.WorkingDir ?? "/";
  if (!fs.lookup(cwd)) fs.mkdir(cwd, { parents: true });
  let task;
  try {
    task = kernel.spawn({ argv, cgroup, ns, env, cwd, uid: 0, stdout: output, stderr: output });
  } catch (e) {
    kernel.cgroups.rmdir(cgroup.path);
    output(`/bin/sh: ${argv[0]}: not found\n`);
    void e;
    return 127;
  }
  const limit = host.sim.now + 3600;
  while (task.alive && host.sim.now < limit) {
    if (host.sim.peek() === Infinity) break;
    host.sim.step();
  }
  if (task.alive) kernel.kill(task, 9, { force: true });
  while (task.alive && host.sim.peek() !== Infinity) host.sim.step();
  if (cgroup.procs.size === 0) kernel.cgroups.rmdir(cgroup.path);
  return task.status ? exitCodeOf(task.status) : 137;
}

