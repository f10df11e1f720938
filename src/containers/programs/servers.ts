// Programs that serve or fetch over the simulated network, and Docker's hello-world: nginx, curl, hello.
import { FsError } from "../fs-error.js";
import { normalizePath } from "../fs-entry.js";
import { SIGNALS, type Program } from "../program.js";
import { parseUrl } from "./busybox.js";

const dec = new TextDecoder();

/** nginx -g 'daemon off;': serves files under /usr/share/nginx/html on port 80, read at request time; exits 0 on SIGQUIT or SIGTERM. */
export const nginx: Program = function* (sys) {
  if (sys.argv.includes("-v")) { sys.err("nginx version: nginx/1.25.4\n"); return 0; }
  yield sys.compute(0.01);
  yield sys.alloc(6 * 2 ** 20);
  const root = "/usr/share/nginx/html";
  const e = sys.listen(80, (req) => {
    const path = normalizePath(req.path === "/" ? "/index.html" : req.path);
    try {
      const body = dec.decode(sys.fs.read(`${root}${path}`));
      sys.out(`172.17.0.1 - - "${req.method} ${req.path} HTTP/1.1" 200 ${body.length} "-" "curl/8.5.0" "-"\n`);
      return { status: 200, body, headers: { Server: "nginx/1.25.4" } };
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      sys.out(`172.17.0.1 - - "${req.method} ${req.path} HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"\n`);
      return { status: 404, body: "<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n<hr><center>nginx/1.25.4</center>\n</body>\n</html>\n" };
    }
  });
  if (e) {
    sys.err(`nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n`);
    return 1;
  }
  sys.err("nginx: [notice] start worker processes\n");
  sys.onSignal(SIGNALS.SIGQUIT, 0);
  sys.onSignal(SIGNALS.SIGTERM, 0);
  yield sys.sim.event("serve forever");
  return 0;
};

/** curl [-s] [-o FILE] [-i] URL */
export const curl: Program = function* (sys) {
  let out: string | undefined;
  let include = false;
  let url = "";
  const args = sys.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-o") out = args[++i];
    else if (a === "-i") include = true;
    else if (a.startsWith("-")) continue;
    else url = a;
  }
  const u = parseUrl(url);
  if (!u) { sys.err("curl: (3) URL using bad/illegal format or missing URL\n"); return 3; }
  yield sys.compute(0.001);
  const r = sys.http(u.host, u.port, { method: "GET", path: u.path, host: u.host });
  if (!r.ok) {
    if (r.error === "resolve") { sys.err(`curl: (6) ${r.message}\n`); return 6; }
    if (r.error === "refused") { sys.err(`curl: (7) ${r.message}\n`); return 7; }
    yield sys.sleep(130);
    sys.err(`curl: (28) ${r.message}\n`);
    return 28;
  }
  const head = include ? `HTTP/1.1 ${r.response.status}\r\n${Object.entries(r.response.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n` : "";
  if (out) sys.writeFile(out, head + r.response.body);
  else sys.out(head + r.response.body);
  return 0;
};

/** An HTTP server in a script's place: `serve PORT TEXT` answers every request with TEXT and the hostname. */
export const serve: Program = function* (sys) {
  const port = Number(sys.argv[1] ?? 8080);
  const text = sys.argv.slice(2).join(" ") || "hello";
  const e = sys.listen(port, (req) => ({ status: 200, body: `${text} from ${sys.hostname} (${req.path})\n` }));
  if (e) { sys.err(`serve: bind :${port}: address already in use\n`); return 1; }
  sys.out(`serving on :${port}\n`);
  sys.onSignal(SIGNALS.SIGTERM, 0);
  yield sys.sim.event("serve forever");
  return 0;
};

export const HELLO_TEXT = `
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

`;

export const hello: Program = function* (sys) {
  yield sys.compute(0.0005);
  sys.out(HELLO_TEXT);
  return 0;
};
