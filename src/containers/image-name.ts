// Image references (names) parsed and normalised as Docker does (distribution/reference): [domain/]path[:tag][@digest].
import { ContainerError } from "./errors.js";
import { isDigest, type Digest } from "./digest.js";

/** A parsed reference. `domain` and `path` are normalised ("alpine" → docker.io, library/alpine). */
export interface ImageReference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

export const DEFAULT_DOMAIN = "docker.io";

const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

function invalid(detail?: string): ContainerError {
  return new ContainerError("DOCKER_INVALID_REFERENCE", detail ? `invalid reference format: ${detail}` : "invalid reference format", {
    hint: "a reference is [registry/]name[:tag][@sha256:digest], with a lowercase name, e.g. alpine:3.19 or localhost:5000/app:1",
  });
}

/** Split off the domain the way Docker does: the first component is a domain if it has a '.' or ':' or is localhost. */
function splitDomain(name: string): { domain: string; path: string } {
  const i = name.indexOf("/");
  const first = i === -1 ? "" : name.slice(0, i);
  if (i === -1 || (!first.includes(".") && !first.includes(":") && first !== "localhost" && first.toLowerCase() === first)) {
    const path = name;
    return { domain: DEFAULT_DOMAIN, path: path.includes("/") ? path : `library/${path}` };
  }
  const domain = first === "index.docker.io" ? DEFAULT_DOMAIN : first;
  const path = name.slice(i + 1);
  return { domain, path: domain === DEFAULT_DOMAIN && !path.includes("/") ? `library/${path}` : path };
}

/** Parse a reference (`alpine`, `alpine:3.19`, `localhost:5000/app:1`, `app@sha256:…`), or throw Docker's error. */
export function parseReference(text: string): ImageReference {
  const m = REFERENCE.exec(text);
  if (!m) {
    const lower = REFERENCE.exec(text.toLowerCase());
    if (lower && text.toLowerCase() !== text) {
      // Docker names the offending repository path in its original case (an upper-case first component counts as a domain).
      const { path } = splitDomain(text.slice(0, lower[1]!.length));
      throw invalid(`repository name (${path}) must be lowercase`);
    }
    throw invalid();
  }
  const name = m[1]!;
  if (name.length > 255) throw invalid("repository name must not be more than 255 characters");
  const { domain, path } = splitDomain(name);
  const digest = m[3];
  if (digest !== undefined && !isDigest(digest)) throw new ContainerError("DOCKER_INVALID_DIGEST", `invalid digest format: ${digest}`, { hint: "digests are sha256: followed by 64 lowercase hex digits" });
  return { domain, path, ...(m[2] !== undefined ? { tag: m[2] } : {}), ...(digest !== undefined ? { digest: digest as Digest } : {}) };
}

/** The reference with Docker's default tag `latest` when it has neither tag nor digest. */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: "latest" } : ref;
}

/** The repository as Docker shows it: `alpine`, `user/app`, `localhost:5000/app`. */
export function familiarName(ref: Pick<ImageReference, "domain" | "path">): string {
  if (ref.domain === DEFAULT_DOMAIN) return ref.path.startsWith("library/") ? ref.path.slice("library/".length) : ref.path;
  return `${ref.domain}/${ref.path}`;
}

/** The full repository name: `docker.io/library/alpine`. */
export function fullName(ref: Pick<ImageReference, "domain" | "path">): string {
  return `${ref.domain}/${ref.path}`;
}

/** A reference as Docker prints it in familiar form: `alpine:3.19`, `app@sha256:…`. */
export function formatReference(ref: ImageReference): string {
  return `${familiarName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ""}${ref.digest !== undefined ? `@${ref.digest}` : ""}`;
}
