// Docker networking: the default bridge, user-defined bridges with embedded DNS, host, none, container:NAME, and -p.
//
// On the default bridge containers reach each other by IP but names do not resolve; on a user-defined
// bridge Docker's DNS server (127.0.0.11) answers with the containers' names, IDs and aliases.
// Containers on different bridges cannot reach each other. `-p HOST:CONTAINER` maps a host port to a
// container's port; a host port can be published once ("port is already allocated").
import { ContainerError } from "./errors.js";
import type { NetworkFabric } from "./kernel.js";
import type { NetNamespace } from "./namespaces.js";
import { suggest } from "../core/suggest.js";

export type NetworkDriver = "bridge" | "host" | "null";

/** One container's attachment to a network. */
export interface Endpoint {
  readonly containerId: string;
  readonly containerName: string;
  readonly ns: NetNamespace;
  readonly address: string;
  readonly mac: string;
  readonly aliases: readonly string[];
}

export class Network {
  readonly endpoints = new Map<string, Endpoint>();
  private nextHost = 2;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly driver: NetworkDriver,
    /** 172.17.0.0/16 as [172, 17] for bridges. */
    readonly subnet: readonly [number, number] | undefined,
    readonly created: number,
    readonly predefined: boolean,
  ) {}

  get subnetText(): string | undefined {
    return this.subnet ? `${this.subnet[0]}.${this.subnet[1]}.0.0/16` : undefined;
  }

  get gateway(): string | undefined {
    return this.subnet ? `${this.subnet[0]}.${this.subnet[1]}.0.1` : undefined;
  }

  /** Is this a user-defined bridge (where names resolve)? */
  get userDefined(): boolean {
    return this.driver === "bridge" && !this.predefined;
  }

  allocateAddress(): { address: string; mac: string } {
    const n = this.nextHost++;
    const [a, b] = this.subnet!;
    const c = Math.floor(n / 256);
    const d = n % 256;
    const hex = (x: number) => x.toString(16).padStart(2, "0");
    return { address: `${a}.${b}.${c}.${d}`, mac: `02:42:${hex(a)}:${hex(b)}:${hex(c)}:${hex(d)}` };
  }
}

/** A published port: host port → container port. */
export interface PortBinding {
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly proto: "tcp" | "udp";
  readonly containerId: string;
}

/** Parse `-p [IP:][HOST:]CONTAINER[/proto]` as Docker does. */
export function parsePublish(spec: string): { hostIp: string; hostPort: number | undefined; containerPort: number; proto: "tcp" | "udp" } {
  const m = /^(?:(\d+\.\d+\.\d+\.\d+):)?(?:(\d*):)?(\d+)(?:\/(tcp|udp))?$/.exec(spec);
  const bad = () => new ContainerError("DOCKER_INVALID_PUBLISH", `invalid argument "${spec}" for "-p, --publish" flag: invalid containerPort: ${spec.split(":").pop()!.split("/")[0]}`, { exitCode: 125, hint: "use -p HOST:CONTAINER, e.g. -p 8080:80 or -p 127.0.0.1:8080:80/tcp" });
  if (!m) throw bad();
  const containerPort = Number(m[3]);
  const hostPort = m[2] ? Number(m[2]) : undefined;
  if (containerPort < 1 || containerPort > 65535 || (hostPort !== undefined && (hostPort < 1 || hostPort > 65535))) throw bad();
  return { hostIp: m[1] ?? "0.0.0.0", hostPort, containerPort, proto: (m[4] as "tcp" | "udp" | undefined) ?? "tcp" };
}

/** The first host port Docker hands out for `-p CONTAINER` (the Linux ephemeral range starts here). */
export const EPHEMERAL_PORT_START = 32768;

export class Networks implements NetworkFabric {
  readonly networks = new Map<string, Network>();
  readonly bindings: PortBinding[] = [];
  /** Which container owns a network namespace (shared namespaces map to the container that made them). */
  readonly owners = new Map<NetNamespace, string>();

  constructor(private readonly makeId: (what: string) => string, now: number, readonly hostNs: NetNamespace) {
    this.add(new Network(makeId("network:bridge"), "bridge", "bridge", [172, 17], now, true));
    this.add(new Network(makeId("network:host"), "host", "host", undefined, now, true));
    this.add(new Network(makeId("network:none"), "none", "null", undefined, now, true));
    hostNs.interfaces.set("docker0", { address: "172.17.0.1", prefix: 16 });
  }

  private add(n: Network): Network {
    this.networks.set(n.name, n);
    return n;
  }

  /** docker network create NAME (a bridge on the next free 172.x.0.0/16). */
  create(name: string, now: number, driver = "bridge"): Network {
    if (driver !== "bridge") throw new ContainerError("DOCKER_UNKNOWN_DRIVER", `plugin "${driver}" not found`, { hint: "vmlab models the bridge driver for user-defined networks" });
    if (this.networks.has(name)) throw new ContainerError("DOCKER_NETWORK_EXISTS", `network with name ${name} already exists`, { exitCode: 1 });
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw new ContainerError("DOCKER_INVALID_NAME", `invalid network name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, { exitCode: 1 });
    const used = new Set([...this.networks.values()].map((n) => n.subnet?.[1]));
    for (let b = 18; b <= 31; b++) if (!used.has(b)) return this.add(new Network(this.makeId(`network:${name}:${now}`), name, "bridge", [172, b], now, false));
    throw new ContainerError("DOCKER_POOL_EXHAUSTED", "all predefined address pools have been fully subnetted", { exitCode: 1 });
  }

  /** Find a network by name or ID prefix, or Docker's "not found" with a did-you-mean. */
  get(nameOrId: string): Network {
    const n = this.networks.get(nameOrId) ?? [...this.networks.values()].find((x) => nameOrId.length >= 3 && x.id.startsWith(nameOrId));
    if (n) return n;
    const near = suggest(nameOrId, this.networks.keys());
    throw new ContainerError("DOCKER_NO_SUCH_NETWORK", `network ${nameOrId} not found`, { exitCode: 1, hint: near ? `did you mean '${near}'?` : "list networks with docker network ls" });
  }

  remove(nameOrId: string): Network {
    const n = this.get(nameOrId);
    if (n.predefined) throw new ContainerError("DOCKER_PREDEFINED_NETWORK", `${n.name} is a pre-defined network and cannot be removed`, { exitCode: 1 });
    if (n.endpoints.size > 0) throw new ContainerError("DOCKER_NETWORK_IN_USE", `error while removing network: network ${n.name} id ${n.id} has active endpoints`, { exitCode: 1, hint: `stop or disconnect ${[...n.endpoints.values()].map((e) => e.containerName).join(", ")} first` });
    this.networks.delete(n.name);
    return n;
  }

  /** Attach a container's namespace to a bridge network, giving it an address on eth0 (eth1, … for more networks). */
  connect(n: Network, containerId: string, containerName: string, ns: NetNamespace, aliases: readonly string[] = []): Endpoint {
    const { address, mac } = n.allocateAddress();
    const ifname = `eth${[...ns.interfaces.keys()].filter((k) => k.startsWith("eth")).length}`;
    ns.interfaces.set(ifname, { address, prefix: 16, mac });
    const e: Endpoint = { containerId, containerName, ns, address, mac, aliases };
    n.endpoints.set(containerId, e);
    this.owners.set(ns, containerName);
    return e;
  }

  disconnect(containerId: string): void {
    for (const n of this.networks.values()) n.endpoints.delete(containerId);
    for (let i = this.bindings.length - 1; i >= 0; i--) if (this.bindings[i]!.containerId === containerId) this.bindings.splice(i, 1);
  }

  /** Publish a host port for a container; Docker's error when it is taken. */
  publish(containerId: string, spec: ReturnType<typeof parsePublish>, endpointId: string): PortBinding {
    let hostPort = spec.hostPort;
    if (hostPort === undefined) {
      hostPort = EPHEMERAL_PORT_START;
      while (this.bindings.some((b) => b.hostPort === hostPort && b.proto === spec.proto)) hostPort++;
    } else if (this.bindings.some((b) => b.hostPort === hostPort && b.proto === spec.proto && (b.hostIp === "0.0.0.0" || spec.hostIp === "0.0.0.0" || b.hostIp === spec.hostIp))) {
      throw new ContainerError("DOCKER_PORT_ALLOCATED", `driver failed programming external connectivity on endpoint ${endpointId} (${containerId}): Bind for ${spec.hostIp}:${hostPort} failed: port is already allocated`, { hint: `another container publishes host port ${hostPort}; choose another, e.g. -p ${hostPort + 1}:${spec.containerPort}` });
    }
    const b: PortBinding = { hostIp: spec.hostIp, hostPort, containerPort: spec.containerPort, proto: spec.proto, containerId };
    this.bindings.push(b);
    return b;
  }

  /** Networks a namespace is attached to. */
  private networksOf(ns: NetNamespace): Network[] {
    return [...this.networks.values()].filter((n) => [...n.endpoints.values()].some((e) => e.ns === ns));
  }

  resolve(from: NetNamespace, name: string): string | undefined {
    for (const n of this.networksOf(from)) {
      if (!n.userDefined) continue;
      for (const e of n.endpoints.values()) {
        if (e.containerName === name || e.aliases.includes(name) || (name.length >= 12 && e.containerId.startsWith(name))) return e.address;
      }
    }
    return undefined;
  }

  route(from: NetNamespace, address: string, _port: number): { ns: NetNamespace; via: string } | { error: "refused" | "unreachable" } {
    for (const n of this.networks.values()) {
      for (const e of n.endpoints.values()) {
        if (e.address !== address) continue;
        // The host reaches every bridge; a container only the bridges it is on.
        if (from === this.hostNs || this.networksOf(from).includes(n)) return { ns: e.ns, via: n.name };
        return { error: "unreachable" };
      }
    }
    const hostAddr = [...this.hostNs.interfaces.values()].some((i) => i.address === address);
    if (hostAddr) return { ns: this.hostNs, via: "host" };
    return { error: "unreachable" };
  }

  ownerOf(ns: NetNamespace): string {
    return this.owners.get(ns) ?? "host";
  }

  /** A request from outside the host to a published port: which container's namespace and port it reaches. */
  published(hostPort: number): PortBinding | undefined {
    return this.bindings.find((b) => b.hostPort === hostPort && b.proto === "tcp");
  }
}
