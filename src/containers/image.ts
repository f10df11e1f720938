// An image as OCI defines it: an ordered list of layers and a config (runtime defaults, rootfs diff IDs, history).
import { canonicalJson, sha256, type Digest } from "./digest.js";
import type { Layer } from "./layer.js";
import { flatten, type FileTree } from "./layer-stack.js";

/** The runtime defaults of an image (OCI config "config" object; Docker's field names). */
export interface ContainerConfig {
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly StopSignal?: string;
}

/** One history entry; `empty_layer` marks steps that changed only the config (ENV, CMD, EXPOSE, …). */
export interface HistoryEntry {
  readonly created: string;
  readonly created_by: string;
  readonly comment?: string;
  readonly author?: string;
  readonly empty_layer?: boolean;
}

/** The OCI image configuration (application/vnd.oci.image.config.v1+json). */
export interface ImageConfigJson {
  readonly created: string;
  readonly author?: string;
  readonly architecture: string;
  readonly os: string;
  readonly config: ContainerConfig;
  readonly rootfs: { readonly type: "layers"; readonly diff_ids: readonly Digest[] };
  readonly history: readonly HistoryEntry[];
}

export const MEDIA_TYPES = {
  manifest: "application/vnd.oci.image.manifest.v1+json",
  index: "application/vnd.oci.image.index.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar",
} as const;

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ManifestJson {
  readonly schemaVersion: 2;
  readonly mediaType: typeof MEDIA_TYPES.manifest;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

const enc = new TextEncoder();

/** ISO 8601 UTC time of a simulated clock reading in seconds (what "created" holds). */
export function isoTime(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString().replace(/\.000Z$/, "Z");
}

/** An image: its layers (bottom first) and its config. Its ID is the digest of the config blob. */
export class Image {
  readonly configBytes: Uint8Array;
  readonly id: Digest;
  private treeCache?: FileTree;

  constructor(readonly layers: readonly Layer[], readonly config: ImageConfigJson) {
    const diffIds = layers.map((l) => l.digest);
    if (diffIds.join() !== config.rootfs.diff_ids.join()) throw new Error("image config diff_ids do not match its layers");
    this.configBytes = enc.encode(canonicalJson(config));
    this.id = sha256(this.configBytes);
  }

  /** Build an image from layers, runtime config and history (diff IDs filled in from the layers). */
  static create(layers: readonly Layer[], options: { created: number; config: ContainerConfig; history: readonly HistoryEntry[]; author?: string }): Image {
    return new Image(layers, {
      created: isoTime(options.created),
      ...(options.author ? { author: options.author } : {}),
      architecture: "amd64",
      os: "linux",
      config: options.config,
      rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) },
      history: options.history,
    });
  }

  /** The manifest that points at this config and these layers. */
  manifest(): ManifestJson {
    return {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: { mediaType: MEDIA_TYPES.config, digest: this.id, size: this.configBytes.length },
      layers: this.layers.map((l) => ({ mediaType: MEDIA_TYPES.layer, digest: l.digest, size: l.size })),
    };
  }

  manifestBytes(): Uint8Array {
    return enc.encode(canonicalJson(this.manifest()));
  }

  /** The manifest digest: what `name@sha256:…` pins and what a registry reports on push. */
  get manifestDigest(): Digest {
    return sha256(this.manifestBytes());
  }

  /** The root file system a container of this image starts from. */
  tree(): FileTree {
    return (this.treeCache ??= flatten(this.layers));
  }

  /** Bytes of file content over all layers (`docker images` SIZE): deleting in a later layer never lowers it. */
  get size(): number {
    return this.layers.reduce((n, l) => n + l.contentSize, 0);
  }

  /** The runtime config with defaults filled in. */
  get runConfig(): ContainerConfig {
    return this.config.config;
  }

  /** The creation time in seconds. */
  get createdSeconds(): number {
    return Date.parse(this.config.created) / 1000;
  }
}

/** Env as a map (later entries win), and back. */
export function envMap(env: readonly string[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of env ?? []) {
    const i = kv.indexOf("=");
    m.set(i === -1 ? kv : kv.slice(0, i), i === -1 ? "" : kv.slice(i + 1));
  }
  return m;
}

export function envList(env: ReadonlyMap<string, string>): string[] {
  return [...env].map(([k, v]) => `${k}=${v}`);
}
