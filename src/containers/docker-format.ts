// What the docker CLI prints: ps, images, history and network ls tables in Docker's columns, and inspect documents.
import type { Container } from "./container.js";
import type { DockerHost } from "./docker-host.js";
import type { Image } from "./image.js";
import type { Network } from "./network.js";
import { humanDuration, humanSize } from "./units.js";

/** Docker's table layout: columns padded to the widest cell plus three spaces, the last column unpadded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join("").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

function quoteCommand(c: Container, truncate: boolean): string {
  const cmd = c.command.join(" ");
  return `"${truncate && cmd.length > 20 ? cmd.slice(0, 19) + "…" : cmd}"`;
}

export function containerStatus(c: Container, now: number): string {
  if (c.status === "created") return "Created";
  if (c.status === "running") return `Up ${humanDuration(now - (c.startedAt ?? now))}`;
  return `Exited (${c.exitCode}) ${humanDuration(now - (c.finishedAt ?? now))} ago`;
}

export function portsText(c: Container): string {
  if (c.running && c.ports.length > 0) return c.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.proto}, :::${p.hostPort}->${p.containerPort}/${p.proto}`).join(", ");
  if (c.running) return Object.keys(c.spec.image.runConfig.ExposedPorts ?? {}).join(", ");
  return "";
}

/** The image column of docker ps: the reference the container was created from, or the short ID once no tag names the image. */
function imageColumn(host: DockerHost, c: Container): string {
  return host.images.tagsOf(c.spec.image.id).length === 0 ? c.spec.image.id.slice(7, 19) : c.spec.imageRef;
}

export function psTable(host: DockerHost, options: { all?: boolean; noTrunc?: boolean } = {}): string {
  const now = host.clock();
  const list = [...host.containers.values()].filter((c) => options.all || c.running).sort((a, b) => b.spec.created - a.spec.created || (a.id < b.id ? 1 : -1));
  return table(
    ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"],
    list.map((c) => [options.noTrunc ? c.id : c.shortId, imageColumn(host, c), quoteCommand(c, !options.noTrunc), `${humanDuration(now - c.spec.created)} ago`, containerStatus(c, now), portsText(c), c.name]),
  );
}

export function imagesTable(host: DockerHost): string {
  const now = host.clock();
  const rows: string[][] = [];
  const images = [...host.images.images.values()].sort((a, b) => b.createdSeconds - a.createdSeconds);
  for (const img of images) {
    const tags = host.images.tagsOf(img.id);
    const created = `${humanDuration(now - img.createdSeconds)} ago`;
    if (tags.length === 0) rows.push(["<none>", "<none>", img.id.slice(7, 19), created, humanSize(img.size)]);
    for (const t of tags) {
      const i = t.lastIndexOf(":");
      rows.push([t.slice(0, i), t.slice(i + 1), img.id.slice(7, 19), created, humanSize(img.size)]);
    }
  }
  return table(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], rows);
}

/** docker history: newest first; each layer-making step shows its layer's size, config steps 0B. */
export function historyRows(image: Image): { created: string; createdBy: string; size: number; comment: string; emptyLayer: boolean }[] {
  let layer = 0;
  const rows = image.config.history.map((h) => {
    const size = h.empty_layer ? 0 : (image.layers[layer++]?.contentSize ?? 0);
    return { created: h.created, createdBy: h.created_by, size, comment: h.comment ?? "", emptyLayer: h.empty_layer ?? false };
  });
  return rows.reverse();
}

export function historyTable(image: Image, now: number, options: { noTrunc?: boolean } = {}): string {
  const rows = historyRows(image);
  return table(
    ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"],
    rows.map((r, i) => {
      const by = r.createdBy;
      return [i === 0 ? image.id.slice(7, 19) : "<missing>", `${humanDuration(now - Date.parse(r.created) / 1000)} ago`, options.noTrunc || by.length <= 45 ? by : by.slice(0, 44) + "…", humanSize(r.size), r.comment];
    }),
  );
}

export function networksTable(host: DockerHost): string {
  const list = [...host.networks.networks.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return table(["NETWORK ID", "NAME", "DRIVER", "SCOPE"], list.map((n) => [n.id.slice(0, 12), n.name, n.driver, "local"]));
}

const iso = (s: number | undefined) => (s === undefined ? "0001-01-01T00:00:00Z" : new Date(Math.round(s * 1000)).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z"));

export function inspectContainer(host: DockerHost, c: Container): Record<string, unknown> {
  const networks: Record<string, unknown> = {};
  for (const n of host.networks.networks.values()) {
    const e = n.endpoints.get(c.id);
    if (e) networks[n.name] = { Aliases: e.aliases, IPAddress: e.address, Gateway: n.gateway, IPPrefixLen: 16, MacAddress: e.mac, NetworkID: n.id };
  }
  return {
    Id: c.id,
    Created: iso(c.spec.created),
    Path: c.command[0],
    Args: c.command.slice(1),
    State: { Status: c.status, Running: c.running, OOMKilled: c.oomKilled, Pid: c.running ? c.task?.pid : 0, ExitCode: c.exitCode, StartedAt: iso(c.startedAt), FinishedAt: iso(c.finishedAt) },
    Image: c.spec.image.id,
    Name: `/${c.name}`,
    HostConfig: {
      NetworkMode: c.spec.networkMode, AutoRemove: c.spec.autoRemove, Privileged: c.spec.privileged,
      NanoCpus: c.spec.limits.nanoCpus, CpuShares: c.spec.limits.cpuShares, Memory: c.spec.limits.memory, MemoryReservation: c.spec.limits.memoryReservation,
      PidsLimit: c.spec.limits.pidsLimit || null, CgroupParent: "", UsernsMode: c.spec.userns === "remap" ? "" : "host",
      PortBindings: Object.fromEntries(c.spec.publish.map((p) => [p.split(":").pop()!.includes("/") ? p.split(":").pop() : `${p.split(":").pop()}/tcp`, [{ HostIp: "", HostPort: p.includes(":") ? p.split(":").at(-2) : "" }]])),
    },
    Config: { Hostname: c.spec.hostname, Env: c.spec.env, Cmd: c.spec.cmd, Image: c.spec.imageRef, Entrypoint: c.spec.entrypoint.length ? c.spec.entrypoint : null, WorkingDir: c.spec.workingDir === "/" ? "" : c.spec.workingDir, User: c.spec.user, Labels: c.spec.labels, ExposedPorts: c.spec.image.runConfig.ExposedPorts ?? {} },
    NetworkSettings: { Networks: networks, Ports: Object.fromEntries(c.ports.map((p) => [`${p.containerPort}/${p.proto}`, [{ HostIp: p.hostIp, HostPort: String(p.hostPort) }]])) },
    GraphDriver: { Name: "overlay2", Data: { Changes: c.fs.diff().length, UpperSize: c.fs.upperSize } },
    CgroupPath: c.cgroup?.path ?? null,
  };
}

export function inspectImage(host: DockerHost, img: Image): Record<string, unknown> {
  return {
    Id: img.id,
    RepoTags: host.images.tagsOf(img.id),
    RepoDigests: [...(host.images.repoDigests.get(img.id) ?? [])],
    Created: img.config.created,
    Config: img.runConfig,
    Architecture: img.config.architecture,
    Os: img.config.os,
    Size: img.size,
    RootFS: { Type: "layers", Layers: img.layers.map((l) => l.digest) },
    Metadata: { LastTagTime: "0001-01-01T00:00:00Z" },
  };
}

export function inspectNetwork(n: Network): Record<string, unknown> {
  return {
    Name: n.name,
    Id: n.id,
    Created: iso(n.created),
    Scope: "local",
    Driver: n.driver,
    IPAM: { Driver: "default", Config: n.subnet ? [{ Subnet: n.subnetText, Gateway: n.gateway }] : [] },
    Containers: Object.fromEntries([...n.endpoints.values()].map((e) => [e.containerId, { Name: e.containerName, MacAddress: e.mac, IPv4Address: `${e.address}/16` }])),
    Options: n.name === "bridge" ? { "com.docker.network.bridge.default_bridge": "true", "com.docker.network.bridge.name": "docker0" } : {},
  };
}
