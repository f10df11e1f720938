// The images the simulated Docker Hub starts with: alpine, busybox, debian, nginx, hello-world and progrium/stress.
//
// Each is built here from its file list (a realistic selection, not the real contents): directory layout,
// /etc files, busybox and its applet links, shared libraries as seeded filler of about the real size, and
// the config Docker Hub's image has (Env, Cmd, Entrypoint, ExposedPorts, StopSignal). Sizes are
// approximate and only give `docker images` and the registry plausible numbers.
import { dirEntry, fileEntry, symlinkEntry, ancestors, type FsEntry } from "./fs-entry.js";

type Spec = readonly [string, FsEntry];
import { executableBytes, fillerBytes } from "./executable.js";
import { Image, type ContainerConfig, type HistoryEntry, isoTime } from "./image.js";
import { Layer } from "./layer.js";

const KB = 1024;

/** The busybox applets the model implements, linked to /bin/busybox as in Alpine. */
export const BUSYBOX_APPLETS = [
  "sh", "ash", "echo", "cat", "ls", "mkdir", "rm", "rmdir", "cp", "mv", "touch", "ln", "chmod", "sleep", "ps", "hostname",
  "id", "env", "printenv", "pwd", "true", "false", "head", "wc", "readlink", "wget", "nslookup", "ip", "kill", "uname", "grep", "free", "seq",
] as const;

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** A layer from a list of entries, adding any missing parent directories (root-owned, 0755). */
export function layerOf(entries: readonly (readonly [string, FsEntry])[], mtime: number): Layer {
  const map = new Map<string, FsEntry>();
  for (const [path, e] of entries) {
    for (const a of ancestors(path)) if (!map.has(a)) map.set(a, dirEntry({ mtime }));
    map.set(path, { ...e, mtime });
  }
  return new Layer(map);
}

function exe(program: string, size: number): FsEntry {
  return fileEntry(executableBytes(program, size), { mode: 0o755 });
}

function lib(name: string, size: number): FsEntry {
  return fileEntry(fillerBytes(name, size), { mode: 0o755 });
}

const ROOT_DIRS = ["/dev", "/proc", "/sys", "/home", "/mnt", "/opt", "/run", "/srv", "/var/log", "/var/cache", "/usr/local/bin", "/usr/share"]
  .map((p): Spec => [p, dirEntry()]);

function passwd(shell: string): Spec[] {
  return [
    ["/etc/passwd", fileEntry(`root:x:0:0:root:/root:${shell}\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n`)],
    ["/etc/group", fileEntry("root:x:0:root\nnogroup:x:65534:\n")],
    ["/root", dirEntry({ mode: 0o700 })],
    ["/tmp", dirEntry({ mode: 0o1777 })],
  ];
}

function alpineRootfs(): Spec[] {
  return [
    ...ROOT_DIRS,
    ...passwd("/bin/sh"),
    ["/bin/busybox", exe("busybox", 808 * KB)],
    ...BUSYBOX_APPLETS.map((a) => [`/bin/${a}`, symlinkEntry("/bin/busybox")] as Spec),
    ["/sbin/apk", exe("apk", 72 * KB)],
    ["/lib/ld-musl-x86_64.so.1", lib("ld-musl", 640 * KB)],
    ["/lib/libc.musl-x86_64.so.1", symlinkEntry("ld-musl-x86_64.so.1")],
    ["/lib/libcrypto.so.3", lib("libcrypto.so.3", 4200 * KB)],
    ["/lib/libssl.so.3", lib("libssl.so.3", 600 * KB)],
    ["/lib/libz.so.1", lib("libz.so.1", 100 * KB)],
    ["/lib/apk/db/installed", fileEntry("P:musl\nV:1.2.4_git20230717-r4\n\nP:busybox\nV:1.36.1-r15\n\nP:apk-tools\nV:2.14.0-r5\n\n")],
    ["/etc/alpine-release", fileEntry("3.19.1\n")],
    ["/etc/os-release", fileEntry('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\nHOME_URL="https://alpinelinux.org/"\n')],
    ["/etc/apk/repositories", fileEntry("https://dl-cdn.alpinelinux.org/alpine/v3.19/main\nhttps://dl-cdn.alpinelinux.org/alpine/v3.19/community\n")],
    ["/usr/bin", dirEntry()],
    ["/usr/sbin", dirEntry()],
  ];
}

/** A base image in the hub's catalogue: its repository, tags and how to build it. */
export interface BaseImage {
  readonly repository: string;
  readonly tags: readonly string[];
  readonly build: () => Image;
  readonly description: string;
}

function image(created: number, layers: { layer: Layer; by: string }[], extra: { by: string }[], config: ContainerConfig): Image {
  const history: HistoryEntry[] = [
    ...layers.map((l) => ({ created: isoTime(created), created_by: l.by })),
    ...extra.map((e) => ({ created: isoTime(created), created_by: e.by, empty_layer: true })),
  ];
  return Image.create(layers.map((l) => l.layer), { created, config, history });
}

const ALPINE_TIME = Date.UTC(2024, 0, 27, 0, 0, 0) / 1000;

function alpine(): Image {
  const layer = layerOf(alpineRootfs(), ALPINE_TIME);
  return image(ALPINE_TIME, [{ layer, by: `/bin/sh -c #(nop) ADD file:${layer.digest.slice(7, 71)} in / ` }], [{ by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]' }], {
    Env: [`PATH=${DEFAULT_PATH}`],
    Cmd: ["/bin/sh"],
  });
}

const BUSYBOX_TIME = Date.UTC(2024, 0, 18) / 1000;

function busybox(): Image {
  const layer = layerOf(
    [
      ...ROOT_DIRS.filter(([p]) => !p.startsWith("/usr/local")),
      ...passwd("/bin/sh"),
      ["/bin/busybox", exe("busybox", 1100 * KB)],
      ...BUSYBOX_APPLETS.map((a) => [`/bin/${a}`, symlinkEntry("busybox")] as Spec),
      ["/etc/os-release", fileEntry('NAME="BusyBox"\nVERSION_ID=1.36.1\n')],
    ],
    BUSYBOX_TIME,
  );
  return image(BUSYBOX_TIME, [{ layer, by: `/bin/sh -c #(nop) ADD file:${layer.digest.slice(7, 71)} in / ` }], [{ by: '/bin/sh -c #(nop)  CMD ["sh"]' }], {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: ["sh"],
  });
}

const DEBIAN_TIME = Date.UTC(2024, 1, 13) / 1000;

function debian(): Image {
  const gnu = ["sh", "bash", "echo", "cat", "ls", "mkdir", "rm", "rmdir", "cp", "mv", "touch", "ln", "chmod", "sleep", "hostname", "id", "env", "printenv", "pwd", "true", "false", "head", "wc", "readlink", "uname", "kill", "yes", "grep"];
  const layer = layerOf(
    [
      ...ROOT_DIRS,
      ...passwd("/bin/bash"),
      ["/bin", symlinkEntry("usr/bin")],
      ["/sbin", symlinkEntry("usr/sbin")],
      ["/lib", symlinkEntry("usr/lib")],
      ["/lib64", symlinkEntry("usr/lib64")],
      ["/usr/bin/coreutils", exe("busybox", 1400 * KB)],
      ...gnu.map((a) => [`/usr/bin/${a}`, symlinkEntry("coreutils")] as Spec),
      ["/usr/bin/apt-get", exe("apt-get", 48 * KB)],
      ["/usr/sbin", dirEntry()],
      ["/usr/lib/x86_64-linux-gnu/libc.so.6", lib("libc.so.6", 1900 * KB)],
      ["/usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0", lib("libapt-pkg", 2100 * KB)],
      ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", lib("libstdc++", 2200 * KB)],
      ["/usr/lib64/ld-linux-x86-64.so.2", lib("ld-linux", 210 * KB)],
      ["/var/lib/dpkg/status", fileEntry("Package: base-files\nVersion: 12.4+deb12u5\n\nPackage: bash\nVersion: 5.2.15-2+b2\n\nPackage: apt\nVersion: 2.6.1\n\n")],
      ["/etc/debian_version", fileEntry("12.5\n")],
      ["/etc/os-release", fileEntry('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n')],
      ["/usr/share/doc/README", fileEntry("Debian documentation is in /usr/share/doc/<package>.\n")],
    ].filter(([p]) => p !== "/usr/bin/busybox-free") as Spec[],
    DEBIAN_TIME,
  );
  return image(DEBIAN_TIME, [{ layer, by: "# debian.sh --arch 'amd64' out/ 'bookworm' '@1707782400'" }], [{ by: '/bin/sh -c #(nop)  CMD ["bash"]' }], {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: ["bash"],
  });
}

const NGINX_TIME = Date.UTC(2024, 1, 14) / 1000;

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head><title>Welcome to nginx!</title></head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and working.</p>
</body>
</html>
`;

function nginx(): Image {
  const base = alpine();
  const layer = layerOf(
    [
      ["/usr/sbin/nginx", exe("nginx", 1400 * KB)],
      ["/etc/nginx/nginx.conf", fileEntry("user nginx;\nworker_processes auto;\nevents { worker_connections 1024; }\nhttp { include /etc/nginx/conf.d/*.conf; }\n")],
      ["/etc/nginx/conf.d/default.conf", fileEntry("server {\n    listen 80;\n    root /usr/share/nginx/html;\n    index index.html;\n}\n")],
      ["/usr/share/nginx/html/index.html", fileEntry(NGINX_INDEX)],
      ["/usr/lib/libpcre2-8.so.0", lib("libpcre2", 420 * KB)],
      ["/var/cache/nginx", dirEntry()],
      ["/docker-entrypoint.sh", fileEntry('#!/bin/sh\nexec "$@"\n', { mode: 0o755 })],
    ],
    NGINX_TIME,
  );
  const history: HistoryEntry[] = [
    ...base.config.history,
    { created: isoTime(NGINX_TIME), created_by: "ENV NGINX_VERSION=1.25.4", empty_layer: true },
    { created: isoTime(NGINX_TIME), created_by: 'RUN /bin/sh -c set -x && apk add --no-cache nginx # buildkit' },
    { created: isoTime(NGINX_TIME), created_by: 'ENTRYPOINT ["/docker-entrypoint.sh"]', empty_layer: true },
    { created: isoTime(NGINX_TIME), created_by: "EXPOSE map[80/tcp:{}]", empty_layer: true },
    { created: isoTime(NGINX_TIME), created_by: "STOPSIGNAL SIGQUIT", empty_layer: true },
    { created: isoTime(NGINX_TIME), created_by: 'CMD ["nginx" "-g" "daemon off;"]', empty_layer: true },
  ];
  return Image.create([...base.layers, layer], {
    created: NGINX_TIME,
    config: {
      Env: [`PATH=${DEFAULT_PATH}`, "NGINX_VERSION=1.25.4"],
      Entrypoint: ["/docker-entrypoint.sh"],
      Cmd: ["nginx", "-g", "daemon off;"],
      ExposedPorts: { "80/tcp": {} },
      StopSignal: "SIGQUIT",
    },
    history,
  });
}

const HELLO_TIME = Date.UTC(2023, 4, 2) / 1000;

function helloWorld(): Image {
  const layer = layerOf([["/hello", exe("hello", 13 * KB)]], HELLO_TIME);
  return image(HELLO_TIME, [{ layer, by: `/bin/sh -c #(nop) COPY file:${layer.digest.slice(7, 71)} in / ` }], [{ by: '/bin/sh -c #(nop)  CMD ["/hello"]' }], {
    Env: [`PATH=${DEFAULT_PATH}`],
    Cmd: ["/hello"],
  });
}

const STRESS_TIME = Date.UTC(2014, 9, 2) / 1000;

function progriumStress(): Image {
  const base = busybox();
  const layer = layerOf([["/usr/bin/stress", exe("stress", 36 * KB)]], STRESS_TIME);
  return Image.create([...base.layers, layer], {
    created: STRESS_TIME,
    config: { Env: [`PATH=${DEFAULT_PATH}`], Entrypoint: ["/usr/bin/stress", "--verbose"], Cmd: null },
    history: [
      ...base.config.history,
      { created: isoTime(STRESS_TIME), created_by: "/bin/sh -c apt-get update && apt-get install -y stress" },
      { created: isoTime(STRESS_TIME), created_by: '/bin/sh -c #(nop) ENTRYPOINT ["/usr/bin/stress" "--verbose"]', empty_layer: true },
    ],
  });
}

/** The hub's starting catalogue. */
export const BASE_IMAGES: readonly BaseImage[] = [
  { repository: "library/alpine", tags: ["3.19", "latest"], build: alpine, description: "Alpine Linux 3.19: busybox, musl, apk" },
  { repository: "library/busybox", tags: ["1.36", "latest"], build: busybox, description: "BusyBox 1.36 on an otherwise empty root" },
  { repository: "library/debian", tags: ["bookworm-slim", "12-slim"], build: debian, description: "Debian 12 (bookworm), slim: coreutils, apt, dpkg" },
  { repository: "library/nginx", tags: ["1.25-alpine", "alpine"], build: nginx, description: "nginx 1.25 on Alpine, serving /usr/share/nginx/html on port 80" },
  { repository: "library/hello-world", tags: ["latest"], build: helloWorld, description: "prints a greeting and exits" },
  { repository: "progrium/stress", tags: ["latest"], build: progriumStress, description: "stress(1): CPU, memory and fork load generator" },
];
