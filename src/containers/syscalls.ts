// The system calls of one process: what a Program's `sys` does, in terms of the kernel, the scheduler and the VFS.
import type { ProcessGenerator, SimEvent } from "../sim/index.js";
import { FsError, type Errno } from "./fs-error.js";
import type { Kernel, Task } from "./kernel.js";
import type { HttpRequest, HttpResponse } from "./namespaces.js";
import type { ExitStatus, HttpResult, ProcessHandle, Sys } from "./program.js";
import { vfsList, vfsMkdir, vfsRead, vfsReadlink, vfsWrite } from "./vfs.js";

function handle(viewer: Task, t: Task): ProcessHandle {
  return { pid: viewer.ns.pid.pids.get(t.pid) ?? 0, exited: t.exited };
}

/** An event that fails at once with the kill the task received while it was running. */
function killedEvent<T>(kernel: Kernel, t: Task): SimEvent<T> | undefined {
  if (!t.pendingKill) return undefined;
  const ev = kernel.sim.event<T>(`killed:${t.pid}`);
  ev.fail(t.pendingKill);
  return ev;
}

export function makeSys(kernel: Kernel, t: Task): Sys {
  const sim = kernel.sim;
  const sys: Sys = {
    sim,
    get argv() { return t.argv; },
    env: t.env,
    get cwd() { return t.cwd; },
    set cwd(v: string) { t.cwd = v; },
    get pid() { return t.nsPid; },
    uid: t.uid,
    get hostname() { return t.ns.uts.hostname; },
    get fs() { return t.fs; },
    get rss() { return t.rss; },

    out: (text) => t.stdout(text),
    err: (text) => t.stderr(text),

    sleep(seconds) {
      const k = killedEvent<unknown>(kernel, t);
      if (k) return k;
      t.state = "S";
      const ev = sim.timeout(seconds, { label: `sleep:${t.pid}` });
      ev.addCallback(() => { t.state = "R"; });
      return ev;
    },
    compute(seconds) {
      const k = killedEvent<void>(kernel, t);
      if (k) return k;
      t.state = "R";
      return kernel.scheduler.compute(t, seconds);
    },
    alloc(bytes) {
      return kernel.charge(t, bytes);
    },
    free(bytes) {
      kernel.uncharge(t, bytes);
    },

    spawn(argv, options = {}) {
      try {
        const child = kernel.spawn({
          argv, parent: t, env: options.env ?? new Map(t.env), cwd: options.cwd ?? t.cwd,
          ...(options.capture ? { stdout: options.capture } : {}),
          ...(options.captureErr ? { stderr: options.captureErr } : {}),
        });
        return handle(t, child);
      } catch (e) {
        if (e instanceof FsError) return e.errno;
        throw e;
      }
    },
    exec(argv): ProcessGenerator<number> | Errno {
      const r = kernel.resolve(t.fs, argv[0]!, t.env, t.cwd);
      if (typeof r === "string") return r;
      t.argv = r.args.length > 0 ? [r.path, ...r.args, ...argv.slice(1)] : argv;
      return r.program(sys);
    },
    wait(child) {
      const k = killedEvent<{ pid: number; status: ExitStatus }>(kernel, t);
      if (k) return k;
      const ev = sim.event<{ pid: number; status: ExitStatus }>(`wait:${t.pid}`);
      const candidates = [...t.children].filter((c) => !c.waited && (child === undefined || c.exited === child.exited));
      if (candidates.length === 0) {
        ev.fail(new FsError("ECHILD", "wait"));
        return ev;
      }
      const reap = (c: Task) => {
        const pid = t.ns.pid.pids.get(c.pid) ?? 0;
        kernel.reap(c);
        ev.succeed({ pid, status: c.status! });
      };
      const done = candidates.find((c) => !c.alive);
      if (done) {
        reap(done);
        return ev;
      }
      t.state = "S";
      for (const c of candidates) {
        c.exited.addCallback(() => {
          if (!ev.pending || c.waited) return;
          t.state = "R";
          reap(c);
        });
      }
      return ev;
    },
    fork(program, argv) {
      try {
        return handle(t, kernel.spawn({ argv: argv ?? t.argv, parent: t, program, env: new Map(t.env) }));
      } catch (e) {
        if (e instanceof FsError) return e.errno;
        throw e;
      }
    },
    kill(pid, signal) {
      const target = [...kernel.tasks.values()].find((x) => x.alive && t.ns.pid.pids.get(x.pid) === pid && t.ns.pid.contains(x.ns.pid));
      if (!target) return "ESRCH";
      kernel.kill(target, signal);
      return undefined;
    },
    onSignal(signal, code) {
      t.handlers.set(signal, code);
    },

    readFile: (path) => vfsRead(t, path),
    writeFile: (path, data, append) => vfsWrite(t, path, data, append),
    listDir: (path) => vfsList(t, path),
    mkdir: (path, parents) => vfsMkdir(t, path, parents),
    readlink: (path) => vfsReadlink(t, path),
    processes() {
      return [...kernel.tasks.values()]
        .filter((x) => t.ns.pid.contains(x.ns.pid) && t.ns.pid.pids.has(x.pid))
        .map((x) => ({
          pid: t.ns.pid.pids.get(x.pid)!,
          ppid: x.parent ? (t.ns.pid.pids.get(x.parent.pid) ?? 0) : 0,
          user: x.uid === 0 ? "root" : String(x.uid),
          argv: x.argv,
          state: x.state,
          rss: x.rss,
          cpuTime: x.cpuTime,
        }))
        .sort((a, b) => a.pid - b.pid);
    },

    listen(port, respond: (request: HttpRequest) => HttpResponse) {
      const ns = t.ns.net;
      if (ns.listeners.has(port)) return "EADDRINUSE";
      ns.listeners.set(port, { pid: t.pid, program: (t.argv[0] ?? "").split("/").pop()!, handle: respond });
      t.cleanups.add(() => ns.listeners.delete(port));
      const drop = () => ns.listeners.delete(port);
      t.exited.addCallback(drop);
      return undefined;
    },
    http(host, port, request): HttpResult {
      const fabric = kernel.network;
      const address = /^[0-9.]+$/.test(host) ? host : host === "localhost" ? "127.0.0.1" : (fabric?.resolve(t.ns.net, host) ?? undefined);
      if (address === undefined) return { ok: false, error: "resolve", message: `Could not resolve host: ${host}` };
      const target = address.startsWith("127.") ? { ns: t.ns.net, via: "lo" } : fabric ? fabric.route(t.ns.net, address, port) : { error: "unreachable" as const };
      if ("error" in target) {
        return target.error === "refused"
          ? { ok: false, error: "refused", message: `Failed to connect to ${host} port ${port}: Connection refused` }
          : { ok: false, error: "unreachable", message: `Failed to connect to ${host} port ${port}: Connection timed out` };
      }
      const listener = target.ns.listeners.get(port);
      if (!listener) return { ok: false, error: "refused", message: `Failed to connect to ${host} port ${port}: Connection refused` };
      return { ok: true, response: listener.handle(request), servedBy: fabric?.ownerOf(target.ns) ?? "host" };
    },
    resolve(name) {
      if (name === "localhost") return "127.0.0.1";
      return kernel.network?.resolve(t.ns.net, name);
    },
    interfaces() {
      return [...t.ns.net.interfaces].map(([name, i]) => ({ name, ...i }));
    },
  };
  return sys;
}
