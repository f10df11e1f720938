// Writing images as an OCI image layout directory (oci-layout, index.json, blobs/sha256/…) that skopeo and umoci read.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson, digestHex, sha256, type Digest } from "./digest.js";
import { ContainerError } from "./errors.js";
import { MEDIA_TYPES, type Descriptor, type Image } from "./image.js";
import { ociSchemaProblems } from "./oci-schema.js";

/** What an export wrote. */
export interface OciExport {
  readonly dir: string;
  /** The manifest descriptors in index.json, each with its org.opencontainers.image.ref.name. */
  readonly manifests: readonly Descriptor[];
  /** Blobs written by this export (those already present were left alone). */
  readonly written: readonly Digest[];
  readonly bytesWritten: number;
}

const REF_NAME = "org.opencontainers.image.ref.name";
const enc = new TextEncoder();

function check(kind: Parameters<typeof ociSchemaProblems>[0], value: unknown): void {
  const problems = ociSchemaProblems(kind, value);
  if (problems.length > 0) {
    throw new ContainerError("OCI_SCHEMA", `the ${kind} does not match the OCI schema: ${problems.join("; ")}`, { exitCode: 70, hint: "this is a bug in vmlab's image model" });
  }
}

/**
 * Write `images` (each under a ref name such as "latest" or "app:1") into an OCI layout at `dir`. An existing
 * layout is added to: blobs are content-addressed, and an index entry with the same ref name is replaced.
 */
export function writeOciLayout(dir: string, images: readonly { image: Image; refName: string }[]): OciExport {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, "oci-layout"))) {
    throw new ContainerError("OCI_DIR_NOT_LAYOUT", `${dir} exists and is not an OCI image layout`, { exitCode: 1, hint: "choose an empty or new directory" });
  }
  const blobs = join(dir, "blobs", "sha256");
  mkdirSync(blobs, { recursive: true });
  const written: Digest[] = [];
  let bytesWritten = 0;
  const putBlob = (bytes: Uint8Array): Digest => {
    const d = sha256(bytes);
    const path = join(blobs, digestHex(d));
    if (!existsSync(path)) {
      writeFileSync(path, bytes);
      written.push(d);
      bytesWritten += bytes.length;
    }
    return d;
  };
  const layout = { imageLayoutVersion: "1.0.0" };
  check("layout", layout);
  writeFileSync(join(dir, "oci-layout"), canonicalJson(layout));

  const indexPath = join(dir, "index.json");
  const previous = existsSync(indexPath) ? ((JSON.parse(readFileSync(indexPath, "utf8")) as { manifests?: Descriptor[] }).manifests ?? []) : [];
  const names = new Set(images.map((i) => i.refName));
  const manifests: Descriptor[] = previous.filter((m) => !names.has(m.annotations?.[REF_NAME] ?? ""));
  for (const { image, refName } of images) {
    check("config", JSON.parse(new TextDecoder().decode(image.configBytes)));
    putBlob(image.configBytes);
    for (const layer of image.layers) putBlob(layer.tar());
    const manifest = image.manifest();
    check("manifest", manifest);
    const bytes = image.manifestBytes();
    putBlob(bytes);
    manifests.push({ mediaType: MEDIA_TYPES.manifest, digest: sha256(bytes), size: bytes.length, annotations: { [REF_NAME]: refName } });
  }
  const index = { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests };
  check("index", index);
  writeFileSync(indexPath, enc.encode(canonicalJson(index)));
  return { dir, manifests, written, bytesWritten };
}
