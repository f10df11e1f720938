// apk and apt-get: package "installs" that add a package's files to the layer and take simulated download and unpack time.
//
// The catalogue lists a few real packages of Alpine 3.19 and Debian 12 with their versions, dependencies
// and approximate installed sizes; binaries are simulated executables (see executable.ts) that the model
// can run, libraries and data are seeded filler. Downloads run at 10 MB/s after a fixed index fetch;
// unpacking costs CPU time (200 MB per CPU-second).
import type { ProcessGenerator } from "../../sim/index.js";
import { executableBytes, fillerBytes } from "../executable.js";
import { FsError } from "../fs-error.js";
import { ancestors } from "../fs-entry.js";
import type { Program, Sys } from "../program.js";

const KB = 1024;
const DOWNLOAD_BYTES_PER_SECOND = 10e6;
const UNPACK_BYTES_PER_CPU_SECOND = 200e6;

interface PackageFile {
  readonly path: string;
  /** A program name for executables, or undefined for filler. */
  readonly program?: string;
  readonly size: number;
  readonly mode?: number;
  readonly text?: string;
}

export interface Package {
  readonly name: string;
  readonly version: string;
  readonly depends: readonly string[];
  readonly files: readonly PackageFile[];
}

export const APK_PACKAGES: readonly Package[] = [
  { name: "ca-certificates", version: "20240226-r0", depends: [], files: [{ path: "/etc/ssl/certs/ca-certificates.crt", size: 220 * KB }] },
  { name: "nghttp2-libs", version: "1.58.0-r0", depends: [], files: [{ path: "/usr/lib/libnghttp2.so.14", size: 160 * KB }] },
  { name: "libcurl", version: "8.5.0-r0", depends: ["ca-certificates", "nghttp2-libs"], files: [{ path: "/usr/lib/libcurl.so.4", size: 680 * KB }] },
  { name: "curl", version: "8.5.0-r0", depends: ["libcurl"], files: [{ path: "/usr/bin/curl", program: "curl", size: 250 * KB }] },
  { name: "readline", version: "8.2.1-r2", depends: [], files: [{ path: "/usr/lib/libreadline.so.8", size: 260 * KB }] },
  { name: "bash", version: "5.2.21-r0", depends: ["readline"], files: [{ path: "/bin/bash", program: "busybox", size: 1200 * KB }] },
  { name: "stress-ng", version: "0.17.01-r0", depends: [], files: [{ path: "/usr/bin/stress-ng", program: "stress-ng", size: 1800 * KB }] },
  {
    name: "nginx", version: "1.24.0-r15", depends: [], files: [
      { path: "/usr/sbin/nginx", program: "nginx", size: 1300 * KB },
      { path: "/etc/nginx/nginx.conf", size: 0, text: "user nginx;\nevents {}\nhttp { include /etc/nginx/http.d/*.conf; }\n" },
      { path: "/usr/share/nginx/html/index.html", size: 0, text: "<h1>nginx on Alpine</h1>\n" },
    ],
  },
];

export const APT_PACKAGES: readonly Package[] = [
  { name: "ca-certificates", version: "20230311", depends: [], files: [{ path: "/usr/share/ca-certificates/mozilla.crt", size: 380 * KB }] },
  { name: "libcurl4", version: "7.88.1-10+deb12u5", depends: ["ca-certificates"], files: [{ path: "/usr/lib/x86_64-linux-gnu/libcurl.so.4", size: 780 * KB }] },
  { name: "curl", version: "7.88.1-10+deb12u5", depends: ["libcurl4"], files: [{ path: "/usr/bin/curl", program: "curl", size: 300 * KB }] },
  { name: "stress", version: "1.0.7-1", depends: [], files: [{ path: "/usr/bin/stress", program: "stress", size: 40 * KB }] },
  { name: "nginx", version: "1.22.1-9", depends: [], files: [{ path: "/usr/sbin/nginx", program: "nginx", size: 1400 * KB }, { path: "/usr/share/nginx/html/index.html", size: 0, text: "<h1>nginx on Debian</h1>\n" }] },
];

function byName(catalogue: readonly Package[]): Map<string, Package> {
  return new Map(catalogue.map((p) => [p.name, p]));
}

/** The packages to install for a request, dependencies first, skipping the installed ones. */
function closure(catalogue: Map<string, Package>, names: readonly string[], installed: Set<string>): Package[] {
  const out: Package[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n) || installed.has(n)) return;
    seen.add(n);
    const p = catalogue.get(n)!;
    for (const d of p.depends) visit(d);
    out.push(p);
  };
  for (const n of names) visit(n);
  return out;
}

function packageSize(p: Package): number {
  return p.files.reduce((n, f) => n + (f.text?.length ?? f.size), 0);
}

/** Put a package's files into the file system (creating parent directories). */
function unpack(sys: Sys, p: Package): void {
  for (const f of p.files) {
    for (const a of ancestors(f.path)) if (!sys.fs.lookup(a)) sys.fs.mkdir(a);
    const data = f.text !== undefined ? f.text : f.program ? executableBytes(f.program, f.size) : fillerBytes(`${p.name}:${f.path}`, f.size);
    sys.fs.write(f.path, data, { mode: f.program ? 0o755 : 0o644 });
  }
}

function readText(sys: Sys, path: string): string {
  try {
    return new TextDecoder().decode(sys.fs.read(path));
  } catch (e) {
    if (e instanceof FsError) return "";
    throw e;
  }
}

function* apkAdd(sys: Sys, names: string[]): ProcessGenerator<number> {
  const catalogue = byName(APK_PACKAGES);
  const db = "/lib/apk/db/installed";
  const installed = new Set([...readText(sys, db).matchAll(/^P:(.+)$/gm)].map((m) => m[1]!));
  for (const repo of ["main", "community"]) sys.out(`fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/${repo}/x86_64/APKINDEX.tar.gz\n`);
  yield sys.sleep(0.4);
  const unknown = names.filter((n) => !catalogue.has(n));
  if (unknown.length > 0) {
    sys.err(`ERROR: unable to select packages:\n${unknown.map((n) => `  ${n} (no such package):\n    required by: world[${n}]\n`).join("")}`);
    return unknown.length;
  }
  const todo = closure(catalogue, names, installed);
  let i = 0;
  for (const p of todo) {
    sys.out(`(${++i}/${todo.length}) Installing ${p.name} (${p.version})\n`);
    yield sys.sleep(packageSize(p) / DOWNLOAD_BYTES_PER_SECOND);
    yield sys.compute(packageSize(p) / UNPACK_BYTES_PER_CPU_SECOND);
    unpack(sys, p);
    sys.fs.write(db, `P:${p.name}\nV:${p.version}\n\n`, { append: true });
  }
  if (todo.length) sys.out("Executing busybox-1.36.1-r15.trigger\n");
  const world = new Set(readText(sys, "/etc/apk/world").split("\n").filter((x) => x));
  for (const n of names) world.add(n);
  sys.fs.write("/etc/apk/world", [...world].sort().join("\n") + "\n");
  const count = installed.size + todo.length;
  const total = [...installed, ...todo.map((p) => p.name)].reduce((n, name) => n + (catalogue.get(name) ? packageSize(catalogue.get(name)!) : 2 * 2 ** 20), 0);
  sys.out(`OK: ${Math.round(total / 2 ** 20) + 7} MiB in ${count} packages\n`);
  return 0;
}

/** apk add [--no-cache] PKG…, apk update, apk info */
export const apk: Program = function* (sys) {
  const [cmd, ...rest] = sys.argv.slice(1);
  const names = rest.filter((a) => !a.startsWith("-"));
  if (cmd === "add") return yield* apkAdd(sys, names);
  if (cmd === "update") {
    for (const repo of ["main", "community"]) sys.out(`fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/${repo}/x86_64/APKINDEX.tar.gz\n`);
    yield sys.sleep(0.4);
    if (!sys.fs.lookup("/var/cache/apk")) sys.fs.mkdir("/var/cache/apk", { parents: true });
    sys.fs.write("/var/cache/apk/APKINDEX.5c5b5b4d.tar.gz", fillerBytes("apkindex-main", 650 * KB));
    sys.fs.write("/var/cache/apk/APKINDEX.b5b3c2e1.tar.gz", fillerBytes("apkindex-community", 1400 * KB));
    sys.out("v3.19.1 [https://dl-cdn.alpinelinux.org/alpine/v3.19/main]\nOK: 22999 distinct packages available\n");
    return 0;
  }
  if (cmd === "info") {
    for (const m of readText(sys, "/lib/apk/db/installed").matchAll(/^P:(.+)$/gm)) sys.out(`${m[1]}\n`);
    return 0;
  }
  sys.err("apk-tools 2.14.0, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n");
  return 1;
};

const LISTS = "/var/lib/apt/lists";

/** apt-get update | install [-y] PKG… — install needs the package lists that update downloads (empty in the slim image). */
export const aptGet: Program = function* (sys) {
  const args = sys.argv.slice(1);
  const cmd = args.find((a) => !a.startsWith("-"));
  const yes = args.includes("-y") || args.includes("--yes") || args.includes("-qy");
  const names = args.filter((a) => !a.startsWith("-") && a !== cmd);
  if (cmd === "update") {
    const files: [string, string, number][] = [
      ["bookworm InRelease", "deb.debian.org_debian_dists_bookworm_InRelease", 151 * KB],
      ["bookworm-updates InRelease", "deb.debian.org_debian_dists_bookworm-updates_InRelease", 55 * KB],
      ["bookworm-security InRelease", "deb.debian.org_debian-security_dists_bookworm-security_InRelease", 48 * KB],
      ["bookworm/main amd64 Packages", "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", 8787 * KB],
    ];
    let total = 0;
    files.forEach(([what, , size], i) => { sys.out(`Get:${i + 1} http://deb.debian.org/debian ${what} [${Math.round(size / 1000)} kB]\n`); total += size; });
    yield sys.sleep(total / DOWNLOAD_BYTES_PER_SECOND);
    if (!sys.fs.lookup(LISTS)) sys.fs.mkdir(LISTS, { parents: true });
    for (const [, name, size] of files) sys.fs.write(`${LISTS}/${name}`, fillerBytes(`apt:${name}`, size));
    sys.out(`Fetched ${Math.round(total / 1000)} kB in ${Math.max(1, Math.round(total / DOWNLOAD_BYTES_PER_SECOND))}s (${Math.round(DOWNLOAD_BYTES_PER_SECOND / 1000)} kB/s)\nReading package lists...\n`);
    return 0;
  }
  if (cmd !== "install") {
    sys.err(`E: Invalid operation ${cmd ?? ""}\n`);
    return 100;
  }
  sys.out("Reading package lists...\nBuilding dependency tree...\nReading state information...\n");
  const catalogue = byName(APT_PACKAGES);
  const haveLists = (() => { try { return sys.listDir(LISTS).some((f) => f.endsWith("Packages.lz4")); } catch { return false; } })();
  for (const n of names) {
    if (!haveLists || !catalogue.has(n)) {
      sys.err(`E: Unable to locate package ${n}\n`);
      return 100;
    }
  }
  const status = "/var/lib/dpkg/status";
  const installed = new Set([...readText(sys, status).matchAll(/^Package: (.+)$/gm)].map((m) => m[1]!));
  const todo = closure(catalogue, names, installed);
  const extra = todo.filter((p) => !names.includes(p.name));
  if (extra.length) sys.out(`The following additional packages will be installed:\n  ${extra.map((p) => p.name).join(" ")}\n`);
  sys.out(`The following NEW packages will be installed:\n  ${todo.map((p) => p.name).join(" ")}\n`);
  const size = todo.reduce((n, p) => n + packageSize(p), 0);
  sys.out(`0 upgraded, ${todo.length} newly installed, 0 to remove and 0 not upgraded.\nNeed to get ${Math.round(size / 2.5 / 1000)} kB of archives.\nAfter this operation, ${Math.round(size / 1000)} kB of additional disk space will be used.\n`);
  if (!yes && todo.length > 0) {
    sys.out("Do you want to continue? [Y/n] Abort.\n");
    return 1;
  }
  todo.forEach((p, i) => sys.out(`Get:${i + 1} http://deb.debian.org/debian bookworm/main amd64 ${p.name} amd64 ${p.version} [${Math.round(packageSize(p) / 2.5 / 1000)} kB]\n`));
  yield sys.sleep(size / 2.5 / DOWNLOAD_BYTES_PER_SECOND);
  for (const p of todo) {
    sys.out(`Selecting previously unselected package ${p.name}.\nUnpacking ${p.name} (${p.version}) ...\n`);
    yield sys.compute(packageSize(p) / UNPACK_BYTES_PER_CPU_SECOND);
    unpack(sys, p);
    sys.fs.write(status, `Package: ${p.name}\nVersion: ${p.version}\n\n`, { append: true });
  }
  for (const p of todo) sys.out(`Setting up ${p.name} (${p.version}) ...\n`);
  return 0;
};
