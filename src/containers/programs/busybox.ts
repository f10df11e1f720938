// busybox: the multi-call binary of Alpine and BusyBox images; which applet runs depends on the name it is called by.
import type { ProcessGenerator } from "../../sim/index.js";
import { FsError } from "../fs-error.js";
import { normalizePath, baseName } from "../fs-entry.js";
import type { Program, Sys } from "../program.js";
import { runScript, sh } from "./shell.js";

const dec = new TextDecoder();

/** The kernel release the host runs; containers share it (uname -r shows the host's kernel). */
export const KERNEL_RELEASE = "6.1.0-18-amd64";
const KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";

function fail(sys: Sys, applet: string, what: string, e: unknown): number {
  if (e instanceof FsError) {
    sys.err(`${applet}: ${what}: ${e.reason}\n`);
    return 1;
  }
  throw e;
}

function modeString(type: string, mode: number): string {
  const t = type === "dir" ? "d" : type === "symlink" ? "l" : "-";
  const bits = "rwxrwxrwx";
  let s = "";
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : "-";
  return t + s;
}

function* ls(sys: Sys, args: string[]): ProcessGenerator<number> {
  const flags = args.filter((a) => a.startsWith("-")).join("");
  const paths = args.filter((a) => !a.startsWith("-"));
  const long = flags.includes("l");
  const all = flags.includes("a");
  let code = 0;
  const targets = paths.length ? paths : ["."];
  for (const p of targets) {
    const path = normalizePath(p, sys.cwd);
    let names: string[];
    try {
      const e = path.startsWith("/proc") || path.startsWith("/sys") ? undefined : sys.fs.lookup(path);
      if (e && e.type !== "dir") names = [""];
      else if (!e && isVirtualFile(sys, path)) names = [""];
      else names = sys.listDir(path);
    } catch (e) {
      code = fail(sys, "ls", p, e);
      continue;
    }
    if (targets.length > 1 && names[0] !== "") sys.out(`${p}:\n`);
    for (const name of names) {
      if (!all && name.startsWith(".")) continue;
      const full = name === "" ? path : path === "/" ? `/${name}` : `${path}/${name}`;
      const shown = name === "" ? p : name;
      if (!long) { sys.out(`${shown}\n`); continue; }
      if (full.startsWith("/proc/") && full.includes("/ns/")) {
        sys.out(`lrwxrwxrwx    1 root     root             0 Jan  1 00:00 ${shown} -> ${sys.readlink(full)}\n`);
        continue;
      }
      const e = sys.fs.lookup(full);
      if (!e) { sys.out(`-rw-r--r--    1 root     root     ${String(virtualSize(sys, full)).padStart(9)} Jan  1 00:00 ${shown}\n`); continue; }
      const size = e.type === "file" ? e.content.length : e.type === "dir" ? 4096 : e.target.length;
      const date = new Date(e.mtime * 1000).toUTCString().slice(4, 16).replace(/ (\d{4})$/, "").trim();
      const [d, mon] = date.split(" ");
      const when = `${mon} ${d!.padStart(2)} ${new Date(e.mtime * 1000).toISOString().slice(11, 16)}`;
      sys.out(`${modeString(e.type, e.mode)}    1 ${String(e.uid === 0 ? "root" : e.uid).padEnd(8)} ${String(e.gid === 0 ? "root" : e.gid).padEnd(8)} ${String(size).padStart(9)} ${when} ${shown}${e.type === "symlink" ? ` -> ${e.target}` : ""}\n`);
    }
  }
  return code;
}

/** A file that exists only in the process's view (a bind mount such as /etc/hosts, or a /proc or cgroup file). */
function isVirtualFile(sys: Sys, path: string): boolean {
  try {
    sys.readFile(path);
    return true;
  } catch {
    return false;
  }
}

function virtualSize(sys: Sys, path: string): number {
  try {
    return sys.readFile(path).length;
  } catch {
    return 0;
  }
}

function cpuTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;
}

function parseDuration(text: string): number | undefined {
  if (text === "infinity") return Infinity;
  const m = /^([0-9]*\.?[0-9]+)([smhd]?)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
}

/** Split http://host[:port]/path. */
export function parseUrl(url: string): { host: string; port: number; path: string } | undefined {
  const m = /^(?:http:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return undefined;
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 80, path: m[3] ?? "/" };
}

function* wget(sys: Sys, args: string[]): ProcessGenerator<number> {
  let quiet = false;
  let output: string | undefined;
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-q") quiet = true;
    else if (a === "-O") output = args[++i];
    else if (a.startsWith("-O")) output = a.slice(2);
    else if (a === "-qO-" || a === "-qO") { quiet = true; output = a === "-qO-" ? "-" : args[++i]; }
    else urls.push(a);
  }
  const u = parseUrl(urls[0] ?? "");
  if (!u) { sys.err("BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-q] [-O FILE] URL\n"); return 1; }
  yield sys.compute(0.0005);
  const r = sys.http(u.host, u.port, { method: "GET", path: u.path, host: u.host });
  if (!r.ok) {
    if (r.error === "resolve") sys.err(`wget: bad address '${u.host}'\n`);
    else if (r.error === "refused") sys.err(`wget: can't connect to remote host (${sys.resolve(u.host) ?? u.host}): Connection refused\n`);
    else { yield sys.sleep(20); sys.err(`wget: download timed out\n`); }
    return 1;
  }
  if (!quiet) sys.err(`Connecting to ${u.host}${u.port !== 80 ? `:${u.port}` : ""}\n`);
  if (r.response.status >= 400) { sys.err(`wget: server returned error: HTTP/1.1 ${r.response.status}\n`); return 1; }
  const file = output ?? (baseName(u.path) || "index.html");
  if (file === "-") sys.out(r.response.body);
  else sys.writeFile(file, r.response.body);
  return 0;
}

function ipAddr(sys: Sys): void {
  let i = 1;
  for (const iface of sys.interfaces()) {
    if (iface.name === "lo") {
      sys.out(`${i}: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n`);
    } else {
      sys.out(`${i}: ${iface.name}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue state UP\n    link/ether ${iface.mac ?? "02:42:00:00:00:00"} brd ff:ff:ff:ff:ff:ff\n    inet ${iface.address}/${iface.prefix} scope global ${iface.name}\n       valid_lft forever preferred_lft forever\n`);
    }
    i++;
  }
}

/** cp and mv: SOURCE… DEST, where DEST is a directory when it exists as one; `act` does one source. */
function eachToDestination(sys: Sys, applet: "cp" | "mv", args: string[], act: (src: string, dest: string, given: string) => boolean): number {
  const files = args.filter((a) => !a.startsWith("-"));
  if (files.length < 2) { sys.err(`${applet}: missing destination\n`); return 1; }
  const dest = normalizePath(files.pop()!, sys.cwd);
  const destIsDir = sys.fs.lookup(dest)?.type === "dir";
  let code = 0;
  for (const f of files) {
    const src = normalizePath(f, sys.cwd);
    try {
      if (!act(src, destIsDir ? `${dest}/${baseName(src)}` : dest, f)) code = 1;
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      sys.err(applet === "cp" && e.errno === "ENOENT" ? `cp: can't stat '${f}': No such file or directory\n` : `${applet}: can't ${applet === "mv" ? "rename" : "copy"} '${f}': ${e.reason}\n`);
      code = 1;
    }
  }
  return code;
}

/** The applets, by name. Each gets its arguments without the applet name. */
const APPLETS: Record<string, (sys: Sys, args: string[]) => ProcessGenerator<number>> = {
  *echo(sys, args) { return yield* runScript(sys, "echo \"$@\"", ["echo", ...args]); },
  *cat(sys, args) {
    let code = 0;
    for (const f of args) {
      try { sys.out(dec.decode(sys.readFile(f))); } catch (e) {
        if (e instanceof FsError && e.errno === "EINVAL") { sys.err(`cat: read error: ${e.reason}\n`); code = 1; continue; }
        code = e instanceof FsError ? (sys.err(`cat: can't open '${f}': ${e.reason}\n`), 1) : fail(sys, "cat", f, e);
      }
    }
    return code;
  },
  ls,
  *mkdir(sys, args) {
    const parents = args.includes("-p");
    let code = 0;
    for (const d of args.filter((a) => !a.startsWith("-"))) {
      try {
        sys.mkdir(d, parents);
      } catch (e) { code = e instanceof FsError ? (sys.err(`mkdir: can't create directory '${d}': ${e.reason}\n`), 1) : fail(sys, "mkdir", d, e); }
    }
    return code;
  },
  *rm(sys, args) {
    const flags = args.filter((a) => a.startsWith("-")).join("");
    const recursive = /[rR]/.test(flags);
    const force = flags.includes("f");
    let code = 0;
    for (const f of args.filter((a) => !a.startsWith("-"))) {
      const path = normalizePath(f, sys.cwd);
      const e = sys.fs.lookup(path);
      if (!e) { if (!force) { sys.err(`rm: can't remove '${f}': No such file or directory\n`); code = 1; } continue; }
      if (e.type === "dir" && !recursive) { sys.err(`rm: '${f}' is a directory\n`); code = 1; continue; }
      try { sys.fs.remove(path, { recursive: true }); } catch (err) { code = fail(sys, "rm", `can't remove '${f}'`, err); }
    }
    return code;
  },
  *rmdir(sys, args) {
    let code = 0;
    for (const d of args) {
      const path = normalizePath(d, sys.cwd);
      try {
        if (sys.fs.lookup(path)?.type !== "dir") throw new FsError(sys.fs.lookup(path) ? "ENOTDIR" : "ENOENT", path);
        sys.fs.remove(path);
      } catch (e) { code = e instanceof FsError ? (sys.err(`rmdir: '${d}': ${e.reason}\n`), 1) : fail(sys, "rmdir", d, e); }
    }
    return code;
  },
  *cp(sys, args) {
    const recursive = /[rRa]/.test(args.filter((a) => a.startsWith("-")).join(""));
    return eachToDestination(sys, "cp", args, (src, dest, f) => {
      const e = sys.fs.lookup(src);
      if (!e) throw new FsError("ENOENT", f);
      if (e.type === "dir" && !recursive) { sys.err(`cp: omitting directory '${f}'\n`); return false; }
      sys.fs.copyTree(src, dest);
      return true;
    });
  },
  *mv(sys, args) {
    return eachToDestination(sys, "mv", args, (src, dest) => {
      sys.fs.rename(src, dest);
      return true;
    });
  },
  *touch(sys, args) {
    let code = 0;
    for (const f of args.filter((a) => !a.startsWith("-"))) {
      const path = normalizePath(f, sys.cwd);
      try {
        const e = sys.fs.lookup(path);
        if (e?.type === "file") sys.fs.write(path, e.content, { mode: e.mode });
        else if (!e) sys.fs.write(path, "");
      } catch (err) { code = fail(sys, "touch", f, err); }
    }
    return code;
  },
  *ln(sys, args) {
    const files = args.filter((a) => !a.startsWith("-"));
    if (!args.includes("-s") && !args.includes("-sf")) { sys.err("ln: hard links are not modelled; use ln -s\n"); return 1; }
    try {
      const link = normalizePath(files[1] ?? baseName(files[0]!), sys.cwd);
      if (args.includes("-sf") && sys.fs.lookup(link)) sys.fs.remove(link);
      sys.fs.symlink(files[0]!, link);
    } catch (e) { return fail(sys, "ln", files[1] ?? "", e); }
    return 0;
  },
  *chmod(sys, args) {
    const [mode, ...files] = args;
    if (!mode || !/^[0-7]{3,4}$/.test(mode)) { sys.err(`chmod: invalid mode '${mode ?? ""}' (vmlab's chmod takes octal modes)\n`); return 1; }
    let code = 0;
    for (const f of files) {
      try { sys.fs.chmod(normalizePath(f, sys.cwd), parseInt(mode, 8)); } catch (e) { code = fail(sys, "chmod", f, e); }
    }
    return code;
  },
  *sleep(sys, args) {
    const s = parseDuration(args[0] ?? "");
    if (s === undefined) { sys.err(`sleep: invalid number '${args[0] ?? ""}'\n`); return 1; }
    if (s === Infinity) yield sys.sim.event("forever");
    else yield sys.sleep(s);
    return 0;
  },
  *ps(sys) {
    sys.out("PID   USER     TIME  COMMAND\n");
    for (const p of sys.processes()) sys.out(`${String(p.pid).padStart(5)} ${p.user.padEnd(8)} ${cpuTime(p.cpuTime).padStart(5)} ${p.argv.join(" ")}\n`);
    return 0;
  },
  *hostname(sys) { sys.out(sys.hostname + "\n"); return 0; },
  *id(sys) {
    const name = sys.uid === 0 ? "root" : String(sys.uid);
    sys.out(`uid=${sys.uid}(${name}) gid=${sys.uid}(${name}) groups=${sys.uid}(${name})\n`);
    return 0;
  },
  *env(sys) { for (const [k, v] of sys.env) sys.out(`${k}=${v}\n`); return 0; },
  *printenv(sys, args) {
    if (args.length === 0) { for (const [k, v] of sys.env) sys.out(`${k}=${v}\n`); return 0; }
    let code = 0;
    for (const a of args) { const v = sys.env.get(a); if (v === undefined) code = 1; else sys.out(v + "\n"); }
    return code;
  },
  *pwd(sys) { sys.out(sys.cwd + "\n"); return 0; },
  *true() { return 0; },
  *false() { return 1; },
  *head(sys, args) {
    let n = 10;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) { if (args[i] === "-n") n = Number(args[++i]); else if (/^-\d+$/.test(args[i]!)) n = Number(args[i]!.slice(1)); else files.push(args[i]!); }
    for (const f of files) {
      try { sys.out(dec.decode(sys.readFile(f)).split("\n").slice(0, n).map((l) => l + "\n").join("").replace(/\n\n$/, "\n")); } catch (e) { return fail(sys, "head", f, e); }
    }
    return 0;
  },
  *wc(sys, args) {
    const flags = args.filter((a) => a.startsWith("-")).join("");
    for (const f of args.filter((a) => !a.startsWith("-"))) {
      let data: Uint8Array;
      try { data = sys.readFile(f); } catch (e) { return fail(sys, "wc", f, e); }
      const t = dec.decode(data);
      const lines = (t.match(/\n/g) ?? []).length;
      const words = t.split(/\s+/).filter((w) => w !== "").length;
      const cols = flags.includes("c") ? [data.length] : flags.includes("l") ? [lines] : flags.includes("w") ? [words] : [lines, words, data.length];
      sys.out(`${cols.map((c) => String(c).padStart(cols.length > 1 ? 7 : 0)).join(" ")} ${f}\n`);
    }
    return 0;
  },
  *readlink(sys, args) {
    const f = args.filter((a) => !a.startsWith("-"))[0] ?? "";
    try { sys.out(sys.readlink(f) + "\n"); } catch { return 1; }
    return 0;
  },
  wget,
  *nslookup(sys, args) {
    const name = args[0] ?? "";
    const dns = /nameserver\s+(\S+)/.exec((() => { try { return dec.decode(sys.readFile("/etc/resolv.conf")); } catch { return ""; } })())?.[1] ?? "127.0.0.11";
    yield sys.compute(0.0002);
    sys.out(`Server:\t\t${dns}\nAddress:\t${dns}:53\n\n`);
    const a = sys.resolve(name);
    if (a === undefined) { sys.out(`** server can't find ${name}: NXDOMAIN\n\n`); return 1; }
    sys.out(`Non-authoritative answer:\nName:\t${name}\nAddress: ${a}\n\n`);
    return 0;
  },
  *ip(sys, args) {
    if (args[0] === "addr" || args[0] === "a" || args[0] === "address") { ipAddr(sys); return 0; }
    sys.err("BusyBox v1.36.1 multi-call binary.\n\nUsage: ip addr\n");
    return 1;
  },
  *kill(sys, args) { return yield* runScript(sys, "kill \"$@\"", ["kill", ...args]); },
  *uname(sys, args) {
    const a = args.join("");
    if (a.includes("a")) sys.out(`Linux ${sys.hostname} ${KERNEL_RELEASE} ${KERNEL_VERSION} x86_64 GNU/Linux\n`);
    else if (a.includes("r")) sys.out(`${KERNEL_RELEASE}\n`);
    else if (a.includes("n")) sys.out(`${sys.hostname}\n`);
    else sys.out("Linux\n");
    return 0;
  },
  *grep(sys, args) {
    const [pattern, ...files] = args.filter((a) => !a.startsWith("-"));
    if (pattern === undefined) { sys.err("Usage: grep PATTERN FILE...\n"); return 2; }
    const re = new RegExp(pattern);
    let found = false;
    for (const f of files) {
      let t: string;
      try { t = dec.decode(sys.readFile(f)); } catch (e) { fail(sys, "grep", f, e); continue; }
      for (const line of t.split("\n")) if (line !== "" && re.test(line)) { sys.out((files.length > 1 ? `${f}:` : "") + line + "\n"); found = true; }
    }
    return found ? 0 : 1;
  },
  *free(sys) {
    const info = dec.decode(sys.readFile("/proc/meminfo"));
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(info)?.[1] ?? 0);
    const total = kb("MemTotal");
    const free = kb("MemFree");
    sys.out(`              total        used        free      shared  buff/cache   available\nMem:    ${String(total).padStart(11)} ${String(total - free).padStart(11)} ${String(free).padStart(11)}           0           0 ${String(free).padStart(11)}\nSwap:             0           0           0\n`);
    return 0;
  },
  *seq(sys, args) {
    const [a, b] = args.length === 1 ? [1, Number(args[0])] : [Number(args[0]), Number(args[1])];
    for (let i = a; i <= b; i++) sys.out(`${i}\n`);
    return 0;
  },
};

export const busybox: Program = function* (sys) {
  let argv = [...sys.argv];
  let name = baseName(argv[0] ?? "");
  if (name === "busybox" || name === "coreutils") {
    argv = argv.slice(1);
    name = baseName(argv[0] ?? "");
    if (!name) { sys.out("BusyBox v1.36.1 (2023-11-07) multi-call binary.\n"); return 0; }
  }
  if (name === "sh" || name === "ash" || name === "bash") return yield* sh(sys);
  const applet = APPLETS[name];
  if (!applet) { sys.err(`${name}: applet not found\n`); return 127; }
  return yield* applet(sys, argv.slice(1));
};
