// The daemon's local images: by ID, by repository:tag, with repo digests; layers stored once however many images share them.
import { shortId, type Digest } from "./digest.js";
import { ContainerError } from "./errors.js";
import type { Image } from "./image.js";
import type { Layer } from "./layer.js";
import { familiarName, fullName, parseReference, withDefaultTag, type ImageReference } from "./image-name.js";
import { suggest } from "../core/suggest.js";

export class ImageStore {
  readonly images = new Map<Digest, Image>();
  /** "docker.io/library/alpine:3.19" → image ID */
  readonly tags = new Map<string, Digest>();
  /** image ID → repo digests ("alpine@sha256:…") */
  readonly repoDigests = new Map<Digest, Set<string>>();
  readonly layers = new Map<Digest, Layer>();

  add(image: Image): void {
    this.images.set(image.id, image);
    for (const l of image.layers) this.layers.set(l.digest, l);
  }

  hasLayer(d: Digest): boolean {
    return this.layers.has(d);
  }

  tag(image: Image, ref: ImageReference): void {
    const r = withDefaultTag(ref);
    this.add(image);
    this.tags.set(`${fullName(r)}:${r.tag}`, image.id);
  }

  /** Tags of an image in familiar form ("alpine:3.19"). */
  tagsOf(id: Digest): string[] {
    return [...this.tags].filter(([, v]) => v === id).map(([k]) => {
      const i = k.lastIndexOf(":");
      const name = k.slice(0, i);
      const slash = name.indexOf("/");
      return `${familiarName({ domain: name.slice(0, slash), path: name.slice(slash + 1) })}:${k.slice(i + 1)}`;
    }).sort();
  }

  /** Find an image by reference, full or short ID; undefined when absent. */
  find(text: string): Image | undefined {
    const hex = text.replace(/^sha256:/, "");
    if (/^[0-9a-f]{4,64}$/.test(hex)) {
      const matches = [...this.images.keys()].filter((id) => id.slice(7).startsWith(hex));
      if (matches.length === 1) return this.images.get(matches[0]!);
    }
    let ref: ImageReference;
    try {
      ref = parseReference(text);
    } catch {
      return undefined;
    }
    if (ref.digest) {
      for (const [id, set] of this.repoDigests) if ([...set].some((d) => d.endsWith(ref.digest!))) return this.images.get(id);
      const byManifest = [...this.images.values()].find((i) => i.manifestDigest === ref.digest);
      if (byManifest) return byManifest;
      return undefined;
    }
    const r = withDefaultTag(ref);
    const id = this.tags.get(`${fullName(r)}:${r.tag}`);
    return id === undefined ? undefined : this.images.get(id);
  }

  /** Find or throw Docker's "No such image", suggesting a near tag. */
  get(text: string): Image {
    const image = this.find(text);
    if (image) return image;
    const near = suggest(text, [...this.images.keys()].flatMap((id) => this.tagsOf(id)), { maxDistance: 3 });
    throw new ContainerError("DOCKER_NO_SUCH_IMAGE", `No such image: ${text}`, { exitCode: 1, ...(near ? { hint: `did you mean '${near}'?` } : { hint: "list local images with docker images, or pull it" }) });
  }

  /** Remove a tag; returns true if it existed. */
  untag(text: string): boolean {
    const r = withDefaultTag(parseReference(text));
    return this.tags.delete(`${fullName(r)}:${r.tag}`);
  }

  /** Forget an image and the layers no other image uses; returns the deleted layer digests. */
  delete(id: Digest): Digest[] {
    const image = this.images.get(id);
    if (!image) return [];
    this.images.delete(id);
    this.repoDigests.delete(id);
    for (const [k, v] of [...this.tags]) if (v === id) this.tags.delete(k);
    const used = new Set([...this.images.values()].flatMap((i) => i.layers.map((l) => l.digest)));
    const gone = image.layers.map((l) => l.digest).filter((d) => !used.has(d));
    for (const d of gone) this.layers.delete(d);
    return gone;
  }

  /** Docker's short image ID. */
  static short(id: Digest): string {
    return shortId(id);
  }
}
