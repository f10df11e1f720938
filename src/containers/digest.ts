// Content digests as OCI writes them: `sha256:<64 hex digits>` of the exact bytes, and canonical JSON to hash.
import { createHash } from "node:crypto";

/** An OCI digest string, `sha256:` followed by 64 lowercase hex digits. */
export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The sha256 digest of bytes or of a string's UTF-8 encoding. */
export function sha256(data: Uint8Array | string): Digest {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** Is this a well-formed sha256 digest? */
export function isDigest(value: string): value is Digest {
  return DIGEST.test(value);
}

/** The 64 hex digits of a digest (what blobs/sha256/<hex> is named after). */
export function digestHex(digest: Digest): string {
  return digest.slice("sha256:".length);
}

/** The first 12 hex digits, as `docker images` shows an image ID. */
export function shortId(digest: Digest | string): string {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}

/**
 * JSON with object keys in sorted order and no whitespace, so the same value always hashes the same.
 * (Docker and containerd marshal Go structs in field order; vmlab marshals sorted, which is equally stable.)
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
