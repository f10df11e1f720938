// A container registry (the distribution API's model): content-addressed blobs, manifests, mutable tags.
//
// Push uploads only the blobs the registry lacks (the client HEADs each layer first, so a layer it
// already has — from this repository or any other — is "Layer already exists"); pull fetches only the
// layers the local store lacks. Tags move; digests never change meaning.
import { type Digest } from "./digest.js";
import { ContainerError } from "./errors.js";
import type { Image } from "./image.js";
import type { Layer } from "./layer.js";

/** What one transfer moved, layer by layer. */
export interface TransferReport {
  readonly reference: string;
  readonly manifestDigest: Digest;
  readonly layers: readonly { digest: Digest; size: number; action: "pushed" | "exists" | "pulled" | "local" }[];
  /** Bytes of layer and config blobs actually sent. */
  readonly bytes: number;
}

export class Registry {
  private readonly blobs = new Map<Digest, Layer>();
  private readonly manifests = new Map<Digest, Image>();
  /** repository path → tag → manifest digest */
  private readonly tags = new Map<string, Map<string, Digest>>();
  /** Bytes received and sent, all transfers together. */
  bytesReceived = 0;
  bytesSent = 0;

  /** Repositories whose images are built on first use (the hub's catalogue: building them all up front is wasted work). */
  private readonly lazy = new Map<string, { tags: readonly string[]; build: () => Image }>();

  constructor(readonly domain: string) {}

  /** Offer a repository whose image is made the first time it is asked for. */
  addLazy(repository: string, tags: readonly string[], build: () => Image): void {
    this.lazy.set(repository, { tags, build });
  }

  private materialize(repository: string): void {
    const l = this.lazy.get(repository);
    if (!l) return;
    this.lazy.delete(repository);
    const image = l.build();
    for (const tag of l.tags) this.push(repository, tag, image);
    this.bytesReceived = 0;
  }

  hasBlob(digest: Digest): boolean {
    return this.blobs.has(digest);
  }

  /** Push an image under repository:tag, uploading only missing blobs. */
  push(repository: string, tag: string, image: Image): TransferReport {
    const layers: TransferReport["layers"][number][] = [];
    let bytes = 0;
    for (const l of image.layers) {
      if (this.blobs.has(l.digest)) layers.push({ digest: l.digest, size: l.size, action: "exists" });
      else {
        this.blobs.set(l.digest, l);
        bytes += l.size;
        layers.push({ digest: l.digest, size: l.size, action: "pushed" });
      }
    }
    if (!this.manifests.has(image.manifestDigest)) bytes += image.configBytes.length + image.manifestBytes().length;
    this.manifests.set(image.manifestDigest, image);
    let repo = this.tags.get(repository);
    if (!repo) this.tags.set(repository, (repo = new Map()));
    repo.set(tag, image.manifestDigest);
    this.bytesReceived += bytes;
    return { reference: `${this.domain}/${repository}:${tag}`, manifestDigest: image.manifestDigest, layers, bytes };
  }

  /** The image a tag or digest names (a digest wins over a tag, as Docker resolves name:tag@digest), or Docker's errors. */
  resolve(repository: string, ref: { tag?: string; digest?: Digest }): Image {
    this.materialize(repository);
    const name = this.domain === "docker.io" ? repository.replace(/^library\//, "") : `${this.domain}/${repository}`;
    if (!this.tags.has(repository)) {
      throw new ContainerError("DOCKER_REPOSITORY_NOT_FOUND", `pull access denied for ${name}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`, { hint: "check the image name (docker pull NAME), or push it first" });
    }
    const digest = ref.digest ?? this.tags.get(repository)!.get(ref.tag ?? "latest");
    const image = digest === undefined ? undefined : this.manifests.get(digest);
    if (!image) {
      throw new ContainerError("DOCKER_MANIFEST_UNKNOWN", `manifest for ${name}${ref.digest ? `@${ref.digest}` : `:${ref.tag ?? "latest"}`} not found: manifest unknown: manifest unknown`, { hint: `tags in this repository: ${[...this.tags.get(repository)!.keys()].join(", ")}` });
    }
    return image;
  }

  /** Pull: the image, and which of its layers had to be sent (those `have` does not report). */
  pull(repository: string, ref: { tag?: string; digest?: Digest }, have: (d: Digest) => boolean): { image: Image; report: TransferReport } {
    const image = this.resolve(repository, ref);
    let bytes = 0;
    const layers = image.layers.map((l) => {
      if (have(l.digest)) return { digest: l.digest, size: l.size, action: "local" as const };
      bytes += l.size;
      return { digest: l.digest, size: l.size, action: "pulled" as const };
    });
    bytes += image.configBytes.length;
    this.bytesSent += bytes;
    return { image, report: { reference: `${this.domain}/${repository}:${ref.tag ?? ""}`, manifestDigest: image.manifestDigest, layers, bytes } };
  }

  /** Tags of a repository (the /v2/<name>/tags/list endpoint). */
  tagList(repository: string): string[] {
    this.materialize(repository);
    return [...(this.tags.get(repository)?.keys() ?? [])].sort();
  }

  repositories(): string[] {
    return [...new Set([...this.tags.keys(), ...this.lazy.keys()])].sort();
  }

  /** Blob count and total bytes stored (each layer once, however many images share it). */
  get storage(): { blobs: number; bytes: number } {
    let bytes = 0;
    for (const l of this.blobs.values()) bytes += l.size;
    return { blobs: this.blobs.size, bytes };
  }
}
