// OCI export checked by real tools: the layout validates against the OCI schemas, `skopeo inspect` reads it, and
// `umoci unpack` produces exactly the model's root file system, file by file, whiteouts and opaque directories applied.
import { spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE_IMAGES } from "./base-images.js";
import { ContainerFs } from "./container-fs.js";
import { digestHex } from "./digest.js";
import type { FsEntry } from "./fs-entry.js";
import { Image, isoTime } from "./image.js";
import type { FileTree } from "./layer-stack.js";
import { writeOciLayout } from "./oci-layout.js";
import { ociSchemaProblems } from "./oci-schema.js";
import { build } from "./builder.js";
import { DockerHost } from "./docker-host.js";

function tool(name: string): boolean {
  return spawnSync(name, ["--version"], { encoding: "utf8" }).status === 0;
}
const hasSkopeo = tool("skopeo");
const hasUmoci = tool("umoci");
const isRoot = process.getuid?.() === 0;

/** An image whose top layer changes, deletes (whiteout) and re-creates a directory (opaque) in the alpine base. */
function changedImage(): Image {
  const alpine = BASE_IMAGES.find((b) => b.repository === "library/alpine")!.build();
  const t = 1717200000;
  const fs = new ContainerFs(alpine.layers, { now: () => t });
  fs.write("/etc/motd", "Welcome to vmlab\n");
  fs.write("/etc/os-release", "# changed\n", { append: true });
  fs.remove("/etc/alpine-release");
  fs.remove("/lib/apk", { recursive: true });
  fs.mkdir("/lib/apk");
  fs.write("/lib/apk/fresh", "only this survives\n");
  fs.mkdir("/srv/www/html", { parents: true });
  fs.write("/srv/www/html/index.html", "<h1>hi</h1>\n", { mode: 0o640 });
  fs.symlink("/srv/www/html/index.html", "/index.html");
  const layer = fs.commit();
  return Image.create([...alpine.layers, layer], {
    created: t,
    config: { ...alpine.runConfig, Cmd: ["/bin/sh", "-c", "cat /etc/motd"], WorkingDir: "/srv/www" },
    history: [...alpine.config.history, { created: isoTime(t), created_by: "RUN /bin/sh -c … # buildkit" }],
  });
}

/** Walk an unpacked root file system into the model's form. */
function readRootfs(dir: string): FileTree {
  const out: FileTree = new Map();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = `${rel}/${name}`;
      const st = lstatSync(join(dir, path));
      const meta = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
      if (st.isSymbolicLink()) out.set(path, { type: "symlink", target: readlinkSync(join(dir, path)), ...meta });
      else if (st.isDirectory()) {
        out.set(path, { type: "dir", ...meta });
        walk(path);
      } else out.set(path, { type: "file", content: new Uint8Array(readFileSync(join(dir, path))), ...meta });
    }
  };
  walk("");
  return out;
}

function describeEntry(e: FsEntry | undefined, withOwner: boolean): string {
  if (e === undefined) return "(missing)";
  const owner = withOwner ? ` ${e.uid}:${e.gid}` : "";
  const what = e.type === "file" ? `file ${e.content.length} bytes fnv ${hashOf(e.content)}` : e.type === "symlink" ? `symlink -> ${e.target}` : "dir";
  return `${what} mode ${e.mode.toString(8)}${owner}${e.type === "dir" ? "" : ` mtime ${e.mtime}`}`;
}

function hashOf(b: Uint8Array): string {
  let h = 2166136261;
  for (const x of b) h = Math.imul(h ^ x, 16777619);
  return (h >>> 0).toString(16);
}

describe("OCI export", () => {
  let image: Image;
  let dir: string;
  beforeAll(() => {
    image = changedImage();
    dir = join(mkdtempSync(join(tmpdir(), "vmlab-oci-")), "layout");
    writeOciLayout(dir, [{ image, refName: "test" }]);
  });

  it("writes an image layout whose documents match the OCI schemas and whose blobs hash to their names", () => {
    const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
    expect(ociSchemaProblems("index", index)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
    const manifestDigest = index.manifests[0].digest;
    expect(index.manifests[0].annotations).toEqual({ "org.opencontainers.image.ref.name": "test" });
    const manifest = JSON.parse(readFileSync(join(dir, "blobs", "sha256", digestHex(manifestDigest)), "utf8"));
    expect(ociSchemaProblems("manifest", manifest)).toEqual([]);
    const config = JSON.parse(readFileSync(join(dir, "blobs", "sha256", digestHex(manifest.config.digest)), "utf8"));
    expect(ociSchemaProblems("config", config)).toEqual([]);
    expect(config.rootfs.diff_ids).toEqual(manifest.layers.map((l: { digest: string }) => l.digest));
    for (const name of readdirSync(join(dir, "blobs", "sha256"))) {
      const bytes = readFileSync(join(dir, "blobs", "sha256", name));
      expect(spawnSync("sha256sum", [], { input: bytes, encoding: "utf8" }).stdout.slice(0, 64)).toBe(name);
    }
  });

  it("rejects a document the schema does not allow, saying where", () => {
    expect(ociSchemaProblems("manifest", { schemaVersion: 1, config: { mediaType: "x", digest: "nope", size: -1 }, layers: [] })).toEqual(
      expect.arrayContaining(["manifest/schemaVersion: must be >= 2", "manifest/config/digest: must match pattern \"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$\"", "manifest/layers: must NOT have fewer than 1 items"]),
    );
  });

  it.skipIf(!hasSkopeo)("is read by skopeo inspect: the same manifest digest, layers and config", () => {
    const r = spawnSync("skopeo", ["inspect", `oci:${dir}:test`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const info = JSON.parse(r.stdout);
    expect(info.Digest).toBe(image.manifestDigest);
    expect(info.Layers).toEqual(image.layers.map((l) => l.digest));
    expect(info.Architecture).toBe("amd64");
    expect(info.Os).toBe("linux");
    expect(info.Env).toEqual(image.runConfig.Env);
  });
  if (!hasSkopeo) it.skip("skopeo is not installed (apt-get install skopeo): the skopeo check is skipped", () => undefined);

  /** Unpack with umoci and list every difference from the model's tree (owners compared only when unpacked as root). */
  function umociDifferences(rootless: boolean, layout = dir, ref = "test", model: Image = image): { differences: string[]; real: FileTree } {
    const bundle = join(mkdtempSync(join(tmpdir(), "vmlab-umoci-")), "bundle");
    const r = spawnSync("umoci", ["unpack", ...(rootless ? ["--rootless"] : []), "--image", `${layout}:${ref}`, bundle], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const real = readRootfs(join(bundle, "rootfs"));
    const tree = new Map([...model.tree()].filter(([p]) => p !== "/"));
    const differences: string[] = [];
    for (const path of new Set([...real.keys(), ...tree.keys()])) {
      const a = describeEntry(tree.get(path), !rootless);
      const b = describeEntry(real.get(path), !rootless);
      if (a !== b) differences.push(`${path}: model ${a}, umoci ${b}`);
    }
    return { differences, real };
  }

  it.skipIf(!hasUmoci)(`is unpacked by umoci${isRoot ? "" : " --rootless"} to exactly the model's file tree, whiteouts and opaque directories applied`, () => {
    const { differences, real } = umociDifferences(!isRoot);
    expect(differences).toEqual([]);
    expect(real.has("/etc/alpine-release")).toBe(false);
    expect([...real.keys()].filter((p) => p.startsWith("/lib/apk/"))).toEqual(["/lib/apk/fresh"]);
    expect(real.size).toBeGreaterThan(40);
  });

  it.skipIf(!hasUmoci || !isRoot)("is unpacked the same by umoci --rootless (as an unprivileged user would), owners aside", () => {
    expect(umociDifferences(true).differences).toEqual([]);
  });

  it.skipIf(!hasUmoci)("exports a Dockerfile build with docker save --oci that umoci unpacks to the model's tree", () => {
    const host = new DockerHost();
    const enc = new TextEncoder();
    const df = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/* /usr/share/doc && mkdir -p /usr/share/doc && echo kept > /usr/share/doc/only\nCOPY --chown=1000:1000 app.sh /srv/app.sh\n";
    const r = build(host, new Map([["Dockerfile", { content: enc.encode(df), mode: 0o644, mtime: 1709280000 }], ["app.sh", { content: enc.encode("echo hi\n"), mode: 0o755, mtime: 1709280001 }]]), { tags: ["built:1"] });
    const layout = join(mkdtempSync(join(tmpdir(), "vmlab-oci-")), "built");
    host.save(["built:1"], layout);
    const { differences, real } = umociDifferences(!isRoot, layout, "built:1", r.image);
    expect(differences).toEqual([]);
    expect([...real.keys()].filter((p) => p.startsWith("/var/lib/apt/lists/"))).toEqual([]);
    expect(real.get("/srv/app.sh")).toMatchObject({ mode: 0o755, mtime: 1709280001, ...(isRoot ? { uid: 1000, gid: 1000 } : {}) });
  });

  if (!hasUmoci) it.skip("umoci is not installed (apt-get install umoci): the umoci unpack check is skipped", () => undefined);
});
