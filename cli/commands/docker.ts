// `vmlab docker …`: Docker's commands on one simulated host kept in a state file, with Docker's output, errors and exit codes.
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { build, type ContextFile } from "../../src/containers/builder.js";
import { DockerHost } from "../../src/containers/docker-host.js";
import { historyRows, historyTable, imagesTable, inspectContainer, inspectImage, inspectNetwork, networksTable, psTable } from "../../src/containers/docker-format.js";
import { ContainerError } from "../../src/containers/errors.js";
import { isVmlabError } from "../../src/core/errors.js";
import { type CliContext, CliError, EXIT } from "../context.js";
import { loadJournal, MAX_GAP, saveJournal, statePath, wallClock, type JournalEntry } from "../docker-state.js";

/** Codes whose messages the docker client prints itself (not "Error response from daemon"). */
const CLIENT_SIDE = new Set(["DOCKER_INVALID_REFERENCE", "DOCKER_INVALID_DIGEST", "DOCKER_INVALID_SIZE", "DOCKER_INVALID_PUBLISH", "DOCKERFILE_PARSE", "OCI_DIR_NOT_LAYOUT"]);

/** A model error as the docker CLI shows it, with Docker's exit code. */
function dockerError(e: ContainerError): CliError {
  const build = e.code.startsWith("BUILD_") || e.code === "DOCKERFILE_PARSE";
  const message = build ? (e.message.startsWith("failed to solve") ? e.message : `failed to solve: ${e.message}`) : CLIENT_SIDE.has(e.code) ? e.message : `Error response from daemon: ${e.message}`;
  const where = e.where ? ` (${e.where.file}:${e.where.line})` : "";
  const err = new CliError(e.code, message + where, e.exitCode, e.hint);
  return err;
}

interface Sink {
  out(text: string): void;
  err(text: string): void;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** What each subcommand does to the host; `live` is false during replay (no files written, output discarded). */
type Handler = (host: DockerHost, e: JournalEntry, sink: Sink, live: { cwd: string; live: boolean }) => number;

function readContext(dir: string): Record<string, readonly [string, number, number]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError("DOCKER_NO_CONTEXT", `unable to prepare context: path "${dir}" not found`, 1, "give the directory that holds the Dockerfile, e.g. vmlab docker build -t app:1 .");
  const out: Record<string, readonly [string, number, number]> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      const rel = relative(dir, p).split("\\").join("/");
      if (rel === ".vmlab" || rel.startsWith(".vmlab/")) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out[rel] = [readFileSync(p).toString("base64"), st.mode & 0o7777, Math.floor(st.mtimeMs / 1000)];
    }
  };
  walk(dir);
  return out;
}

const HANDLERS: Record<string, Handler> = {
  build(host, e, sink) {
    const files = new Map<string, ContextFile>(Object.entries(e.inputs ?? {}).map(([p, [b64, mode, mtime]]) => [p, { content: new Uint8Array(Buffer.from(b64, "base64")), mode, mtime }]));
    const o = e.opts as { tag?: string[]; file?: string; buildArg?: string[]; cache?: boolean; target?: string; json?: boolean };
    const buildArgs = Object.fromEntries((o.buildArg ?? []).map((kv) => [kv.split("=")[0]!, kv.slice(kv.indexOf("=") + 1)]));
    const r = build(host, files, { tags: o.tag ?? [], ...(o.file ? { dockerfile: o.file } : {}), buildArgs, noCache: o.cache === false, ...(o.target ? { target: o.target } : {}) });
    if (o.json) sink.out(JSON.stringify({ image: r.image.id, tags: o.tag ?? [], seconds: r.seconds, steps: r.steps }) + "\n");
    else sink.err(r.log);
    return 0;
  },
  run(host, e, sink) {
    const o = e.opts as Record<string, string | string[] | boolean | undefined>;
    const [image, ...command] = e.args;
    const r = host.run(image!, command, {
      ...(o.name ? { name: o.name as string } : {}),
      detach: Boolean(o.detach), rm: Boolean(o.rm),
      env: (o.env as string[]) ?? [], publish: (o.publish as string[]) ?? [],
      ...(o.network ? { network: o.network as string } : {}),
      networkAlias: (o.networkAlias as string[]) ?? [],
      ...(o.cpus !== undefined ? { cpus: o.cpus as string } : {}),
      ...(o.cpuShares !== undefined ? { cpuShares: Number(o.cpuShares) } : {}),
      ...(o.memory !== undefined ? { memory: o.memory as string } : {}),
      ...(o.memoryReservation !== undefined ? { memoryReservation: o.memoryReservation as string } : {}),
      ...(o.pidsLimit !== undefined ? { pidsLimit: Number(o.pidsLimit) } : {}),
      ...(o.entrypoint !== undefined ? { entrypoint: o.entrypoint as string } : {}),
      ...(o.workdir ? { workdir: o.workdir as string } : {}),
      ...(o.user ? { user: o.user as string } : {}),
      ...(o.hostname ? { hostname: o.hostname as string } : {}),
      ...(o.userns === "remap" ? { userns: "remap" as const } : {}),
      privileged: Boolean(o.privileged),
      onOutput: (stream, text) => (stream === "stdout" ? sink.out(text) : sink.err(text)),
    });
    for (const m of r.messages) sink.err(m + "\n");
    if (o.detach) {
      sink.out(`${r.container.id}\n`);
      return 0;
    }
    if (r.exitCode === undefined) {
      sink.err(`vmlab: ${r.container.name} is still running after ${Math.round(r.elapsed)} s of simulated time; it keeps running in the background (docker run -d detaches at once)\n`);
      return 0;
    }
    return r.exitCode;
  },
  ps(host, e, sink) {
    const o = e.opts as { all?: boolean; quiet?: boolean; trunc?: boolean; json?: boolean };
    if (o.json) {
      for (const c of [...host.containers.values()].filter((c) => o.all || c.running)) sink.out(JSON.stringify({ ID: c.shortId, Names: c.name, Image: c.spec.imageRef, Command: c.command.join(" "), State: c.status, Status: c.status, ExitCode: c.exitCode }) + "\n");
      return 0;
    }
    if (o.quiet) {
      for (const c of [...host.containers.values()].filter((c) => o.all || c.running)) sink.out(`${c.shortId}\n`);
      return 0;
    }
    sink.out(psTable(host, { all: o.all ?? false, noTrunc: o.trunc === false }));
    return 0;
  },
  logs(host, e, sink) {
    const c = host.container(e.args[0]!);
    for (const l of c.logs) (l.stream === "stdout" ? sink.out : sink.err)(l.text);
    return 0;
  },
  exec(host, e, sink) {
    const [name, ...argv] = e.args;
    const o = e.opts as { env?: string[]; workdir?: string; detach?: boolean };
    const r = host.exec(name!, argv, { env: o.env ?? [], ...(o.workdir ? { workdir: o.workdir } : {}), detach: o.detach ?? false });
    sink.out(r.stdout);
    sink.err(r.stderr);
    return r.exitCode ?? 0;
  },
  stop(host, e, sink) {
    for (const n of e.args) {
      host.stop(n, e.opts.time === undefined ? undefined : Number(e.opts.time));
      sink.out(`${n}\n`);
    }
    return 0;
  },
  kill(host, e, sink) {
    for (const n of e.args) {
      host.kill(n);
      sink.out(`${n}\n`);
    }
    return 0;
  },
  rm(host, e, sink) {
    for (const n of e.args) {
      host.rm(n, { force: Boolean(e.opts.force) });
      sink.out(`${n}\n`);
    }
    return 0;
  },
  commit(host, e, sink) {
    const o = e.opts as { message?: string; author?: string };
    const img = host.commit(e.args[0]!, e.args[1], { ...(o.message ? { message: o.message } : {}), ...(o.author ? { author: o.author } : {}) });
    sink.out(`${img.id}\n`);
    return 0;
  },
  images(host, e, sink) {
    const o = e.opts as { json?: boolean; quiet?: boolean };
    if (o.json) {
      for (const img of host.images.images.values()) sink.out(JSON.stringify({ ID: img.id.slice(7, 19), Tags: host.images.tagsOf(img.id), Size: img.size, Created: img.config.created, Layers: img.layers.length }) + "\n");
    } else if (o.quiet) for (const img of host.images.images.values()) sink.out(`${img.id.slice(7, 19)}\n`);
    else sink.out(imagesTable(host));
    return 0;
  },
  history(host, e, sink) {
    const img = host.images.get(e.args[0]!);
    const o = e.opts as { json?: boolean; trunc?: boolean };
    if (o.json) for (const r of historyRows(img)) sink.out(JSON.stringify(r) + "\n");
    else sink.out(historyTable(img, host.clock(), { noTrunc: o.trunc === false }));
    return 0;
  },
  rmi(host, e, sink) {
    for (const r of e.args) for (const line of host.rmi(r, { force: Boolean(e.opts.force) })) sink.out(line + "\n");
    return 0;
  },
  tag(host, e) {
    host.tag(e.args[0]!, e.args[1]!);
    return 0;
  },
  push(host, e, sink) {
    const r = host.push(e.args[0]!);
    if (e.opts.json) sink.out(JSON.stringify(r.report) + "\n");
    else for (const l of r.output) sink.out(l + "\n");
    return 0;
  },
  pull(host, e, sink) {
    const r = host.pull(e.args[0]!);
    if (e.opts.json) sink.out(JSON.stringify(r.report) + "\n");
    else for (const l of r.output) sink.out(l + "\n");
    return 0;
  },
  save(host, e, sink, io) {
    const dir = e.opts.oci as string | undefined;
    if (!dir) throw new CliError("DOCKER_SAVE_FORMAT", "vmlab docker save writes an OCI image layout: give --oci DIR", EXIT.USAGE, "e.g. vmlab docker save --oci out/app app:1  (then: skopeo inspect oci:out/app:app:1)");
    if (!io.live) return 0;
    const r = host.save(e.args, resolve(io.cwd, dir));
    if (e.opts.json) sink.out(JSON.stringify(r) + "\n");
    else sink.out(`wrote ${r.manifests.length} image(s) to ${dir}: ${r.written.length} new blob(s), ${r.bytesWritten} bytes\n`);
    return 0;
  },
  "network create"(host, e, sink) {
    const n = host.networks.create(e.args[0]!, host.clock(), (e.opts.driver as string) ?? "bridge");
    sink.out(`${n.id}\n`);
    return 0;
  },
  "network ls"(host, e, sink) {
    if (e.opts.json) for (const n of host.networks.networks.values()) sink.out(JSON.stringify({ ID: n.id.slice(0, 12), Name: n.name, Driver: n.driver, Scope: "local" }) + "\n");
    else sink.out(networksTable(host));
    return 0;
  },
  "network rm"(host, e, sink) {
    for (const n of e.args) {
      host.networks.remove(n);
      sink.out(`${n}\n`);
    }
    return 0;
  },
  "network inspect"(host, e, sink) {
    sink.out(JSON.stringify(e.args.map((n) => inspectNetwork(host.networks.get(n))), null, 4) + "\n");
    return 0;
  },
  inspect(host, e, sink) {
    const docs = e.args.map((name) => {
      try {
        return inspectContainer(host, host.container(name));
      } catch {
        const img = host.images.find(name);
        if (img) return inspectImage(host, img);
        const net = host.networks.networks.get(name);
        if (net) return inspectNetwork(net);
        throw new ContainerError("DOCKER_NO_SUCH_OBJECT", `No such object: ${name}`, { exitCode: 1 });
      }
    });
    sink.out(JSON.stringify(docs, null, 4) + "\n");
    return 0;
  },
};

const READ_ONLY = new Set(["ps", "logs", "images", "history", "network ls", "network inspect", "inspect", "save"]);

/** Replay the journal on a fresh host (output discarded, errors expected where they happened). */
function replay(entries: readonly JournalEntry[], cwd: string): DockerHost {
  const host = new DockerHost();
  const quiet: Sink = { out: () => undefined, err: () => undefined };
  let last: number | undefined;
  for (const e of entries) {
    if (last !== undefined) host.advance(Math.min(MAX_GAP, Math.max(0, (e.at - last) / 1000)));
    last = e.at;
    try {
      HANDLERS[e.cmd]!(host, e, quiet, { cwd, live: false });
    } catch (err) {
      if (!isVmlabError(err)) throw err;
    }
  }
  return host;
}

function perform(ctx: CliContext, cmd: string, args: string[], opts: Record<string, unknown>, globals: { state?: string }): void {
  const path = statePath(ctx, globals.state);
  const journal = loadJournal(path);
  const at = wallClock(ctx);
  const entry: JournalEntry = { cmd, args, opts, at, ...(cmd === "build" ? { inputs: readContext(resolve(ctx.cwd, args[0] ?? ".")) } : {}) };
  const host = replay(journal.entries, ctx.cwd);
  const lastAt = journal.entries.at(-1)?.at;
  if (lastAt !== undefined) host.advance(Math.min(MAX_GAP, Math.max(0, (at - lastAt) / 1000)));
  const sink: Sink = { out: ctx.stdout, err: ctx.stderr };
  let code: number;
  try {
    code = HANDLERS[cmd]!(host, entry, sink, { cwd: ctx.cwd, live: true });
  } catch (e) {
    if (!READ_ONLY.has(cmd) && e instanceof ContainerError) {
      journal.entries.push(entry);
      saveJournal(path, journal);
    }
    if (e instanceof ContainerError) throw dockerError(e);
    throw e;
  }
  if (!READ_ONLY.has(cmd)) {
    journal.entries.push(entry);
    saveJournal(path, journal);
  }
  if (code !== 0) ctx.setExitCode(code);
}

export function register(program: Command, ctx: CliContext): void {
  program.enablePositionalOptions();
  const docker = program
    .command("docker")
    .description("Docker on a simulated host: build, run, ps, logs, exec, stop, rm, commit, images, history, rmi, tag, push, pull, save --oci, network, inspect")
    .option("--state <file>", "the state file of the simulated host (default $VMLAB_DOCKER_STATE or .vmlab/docker-state.json)")
    .enablePositionalOptions()
    .addHelpText("after", "\nThe host is simulated and deterministic; its state is the journal of the commands that changed it.\nDelete the state file to start from a fresh host.");
  const globals = () => docker.opts() as { state?: string };
  const act = (cmd: string) => (...a: unknown[]) => {
    const command = a.at(-1) as Command;
    const opts = command.opts() as Record<string, unknown>;
    const args = (command.args as string[]).slice();
    perform(ctx, cmd, args, opts, globals());
  };
  const sub = (name: string, description: string) => docker.command(name).description(description).exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });

  sub("build", "build an image from a Dockerfile").argument("<path>", "the build context directory")
    .option("-t, --tag <name:tag>", "name and tag the image (repeatable)", collect)
    .option("-f, --file <name>", "the Dockerfile's name in the context")
    .option("--build-arg <key=value>", "set a build argument (repeatable)", collect)
    .option("--no-cache", "do not use the build cache")
    .option("--target <stage>", "stop at this build stage")
    .option("--json", "print the result as JSON (steps, cache hits, layers)")
    .action(act("build"));
  sub("run", "create and start a container").argument("<image>").argument("[command...]")
    .passThroughOptions()
    .option("-d, --detach", "run in the background and print the container ID")
    .option("-i, --interactive", "accepted for habit's sake: simulated containers read no input")
    .option("-t, --tty", "accepted for habit's sake: output is the same without a terminal")
    .option("--rm", "remove the container when it exits")
    .option("--name <name>", "assign a name")
    .option("-e, --env <key=value>", "set an environment variable (repeatable)", collect)
    .option("-p, --publish <[ip:]host:container[/proto]>", "publish a container port (repeatable)", collect)
    .option("--network <network>", "connect to a network: bridge, host, none, container:NAME or a user-defined one")
    .option("--network-alias <alias>", "another name on a user-defined network (repeatable)", collect)
    .option("--cpus <n>", "number of CPUs (cpu.max)")
    .option("-c, --cpu-shares <n>", "CPU shares, relative weight (cpu.weight)")
    .option("-m, --memory <bytes>", "memory limit (memory.max), e.g. 256m")
    .option("--memory-reservation <bytes>", "memory soft limit (memory.low)")
    .option("--pids-limit <n>", "process limit (pids.max)")
    .option("--entrypoint <cmd>", "override the image's ENTRYPOINT")
    .option("-w, --workdir <dir>", "working directory inside the container")
    .option("-u, --user <user>", "user to run as")
    .option("-h, --hostname <name>", "container host name")
    .option("--userns <mode>", "'remap' runs in a user namespace (root inside = UID 100000 outside)")
    .option("--privileged", "mount the cgroup file system read-write")
    .action(act("run"));
  sub("ps", "list containers").option("-a, --all", "show all containers (default: running)").option("-q, --quiet", "only IDs").option("--no-trunc", "do not truncate").option("--json", "one JSON object per container").action(act("ps"));
  sub("logs", "fetch a container's output").argument("<container>").action(act("logs"));
  sub("exec", "run a command in a running container").argument("<container>").argument("<command...>").passThroughOptions()
    .option("-e, --env <key=value>", "set an environment variable (repeatable)", collect).option("-w, --workdir <dir>", "working directory").option("-d, --detach", "run in the background").action(act("exec"));
  sub("stop", "stop running containers (SIGTERM, then SIGKILL after the timeout)").argument("<container...>").option("-t, --time <seconds>", "seconds to wait before killing").action(act("stop"));
  sub("kill", "kill running containers (SIGKILL)").argument("<container...>").action(act("kill"));
  sub("rm", "remove containers").argument("<container...>").option("-f, --force", "kill a running container first").action(act("rm"));
  sub("commit", "create an image from a container's changes").argument("<container>").argument("[repository[:tag]]").option("-m, --message <text>", "commit message").option("-a, --author <name>", "author").action(act("commit"));
  sub("images", "list images").option("-q, --quiet", "only IDs").option("--json", "one JSON object per image").action(act("images"));
  sub("history", "show the history of an image").argument("<image>").option("--no-trunc", "do not truncate").option("--json", "one JSON object per entry").action(act("history"));
  sub("rmi", "remove images").argument("<image...>").option("-f, --force", "force removal").action(act("rmi"));
  sub("tag", "create a tag TARGET that refers to SOURCE").argument("<source>").argument("<target>").action(act("tag"));
  sub("push", "upload an image to a registry (only the layers it lacks)").argument("<image>").option("--json", "print the transfer report").action(act("push"));
  sub("pull", "download an image (only the layers missing here)").argument("<image>").option("--json", "print the transfer report").action(act("pull"));
  sub("save", "write images as an OCI image layout").argument("<image...>").option("--oci <dir>", "the layout directory").option("--json", "print what was written").action(act("save"));
  sub("inspect", "low-level information on containers, images or networks").argument("<name...>").action(act("inspect"));
  const network = docker.command("network").description("manage networks").exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  const nsub = (name: string, description: string) => network.command(name).description(description).exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  nsub("create", "create a user-defined bridge network").argument("<name>").option("-d, --driver <driver>", "driver (bridge)").action(act("network create"));
  nsub("ls", "list networks").option("--json", "one JSON object per network").action(act("network ls"));
  nsub("rm", "remove networks").argument("<network...>").action(act("network rm"));
  nsub("inspect", "show a network's details").argument("<network...>").action(act("network inspect"));
}
