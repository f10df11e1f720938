// stress(1) (Amos Waterland's, as in the progrium/stress image): CPU hogs, memory hogs and their reports.
//
// The parent forks one worker per hog and waits. A CPU hog spins forever; a VM hog allocates
// --vm-bytes, touching every page (first-touch page faults at about 2 GiB per CPU-second), frees it and
// starts over (or keeps it with --vm-keep, or sleeps on it with --vm-hang). --timeout ends the
// workers with SIGALRM, the normal way out. A worker killed any other way (the OOM killer's SIGKILL)
// fails the run, as in stress 1.0.4's messages.
import type { ProcessGenerator } from "../../sim/index.js";
import { ERRNO } from "../fs-error.js";
import { SIGNALS, type ExitStatus, type ProcessHandle, type Program, type Sys } from "../program.js";

/** CPU seconds to fault in one byte of new memory (about 2 GiB per CPU-second). */
export const TOUCH_SECONDS_PER_BYTE = 1 / (2 * 2 ** 30);
const CHUNK = 2 ** 20;

function parseBytes(text: string): number | undefined {
  const m = /^(\d+)([kKmMgG]?)[bB]?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ({ "": 1, k: 1024, m: 2 ** 20, g: 2 ** 30 } as Record<string, number>)[m[2]!.toLowerCase()]!;
}

function parseSeconds(text: string): number | undefined {
  const m = /^(\d+)([smhd]?)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
}

interface Options {
  cpu: number;
  vm: number;
  vmBytes: number;
  vmKeep: boolean;
  vmHang: boolean;
  timeout: number;
  verbose: boolean;
  quiet: boolean;
}

function cpuHog(timeout: number): Program {
  return function* (sys) {
    if (timeout > 0) sys.sim.schedule(timeout, () => void sys.kill(sys.pid, SIGNALS.SIGALRM));
    yield sys.compute(1e12);
    return 0;
  };
}

function vmHog(o: Options): Program {
  return function* (sys) {
    if (o.timeout > 0) sys.sim.schedule(o.timeout, () => void sys.kill(sys.pid, SIGNALS.SIGALRM));
    for (;;) {
      for (let done = 0; done < o.vmBytes; done += CHUNK) {
        const n = Math.min(CHUNK, o.vmBytes - done);
        yield sys.alloc(n);
        yield sys.compute(n * TOUCH_SECONDS_PER_BYTE);
      }
      if (o.vmHang) yield sys.sim.event("hang");
      if (o.vmKeep) {
        yield sys.compute(1e12);
        continue;
      }
      sys.free(sys.rss);
    }
  };
}

function* stressMain(sys: Sys, prog: string): ProcessGenerator<number> {
  const o: Options = { cpu: 0, vm: 0, vmBytes: 256 * 2 ** 20, vmKeep: false, vmHang: false, timeout: 0, verbose: false, quiet: false };
  const args = sys.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => args[++i] ?? "";
    if (a === "-c" || a === "--cpu") o.cpu = Number(next());
    else if (a === "-m" || a === "--vm") o.vm = Number(next());
    else if (a === "--vm-bytes") {
      const b = parseBytes(next());
      if (b === undefined) { sys.err(`${prog}: FAIL: [${sys.pid}] (${246}) unrecognized suffix: ${args[i]!.slice(-1)}\n`); return 1; }
      o.vmBytes = b;
    } else if (a === "--vm-keep") o.vmKeep = true;
    else if (a === "--vm-hang") { o.vmHang = true; next(); }
    else if (a === "-t" || a === "--timeout") {
      const s = parseSeconds(next());
      if (s === undefined) { sys.err(`${prog}: FAIL: [${sys.pid}] (${266}) unrecognized suffix: ${args[i]!.slice(-1)}\n`); return 1; }
      o.timeout = s;
    } else if (a === "-v" || a === "--verbose") o.verbose = true;
    else if (a === "-q" || a === "--quiet") o.quiet = true;
    else if (a === "-i" || a === "--io" || a === "-d" || a === "--hdd") { sys.err(`${prog}: FAIL: [${sys.pid}] io and hdd hogs are not modelled by vmlab\n`); return 1; }
    else { sys.err(`${prog}: FAIL: [${sys.pid}] (${300}) unrecognized option: ${a}\n`); return 1; }
  }
  const pid = sys.pid;
  const info = (t: string) => { if (!o.quiet) sys.out(`${prog}: info: [${pid}] ${t}\n`); };
  const dbug = (t: string) => { if (o.verbose) sys.out(`${prog}: dbug: [${pid}] ${t}\n`); };
  const fail = (line: number, t: string) => sys.err(`${prog}: FAIL: [${pid}] (${line}) ${t}\n`);
  if (o.cpu + o.vm === 0) {
    sys.out(`\`${prog}' imposes certain types of compute stress on your system\n\nUsage: ${prog} [OPTION [ARG]] ...\n`);
    return 0;
  }
  const started = sys.sim.now;
  info(`dispatching hogs: ${o.cpu} cpu, 0 io, ${o.vm} vm, 0 hdd`);
  dbug("using backoff sleep of 3000us");
  if (o.timeout > 0) dbug(`setting timeout to ${o.timeout}s`);
  const workers: ProcessHandle[] = [];
  let retval = 0;
  const plan: [string, Program, number][] = [["hogcpu", cpuHog(o.timeout), o.cpu], ["hogvm", vmHog(o), o.vm]];
  outer: for (const [kind, program, count] of plan) {
    for (let i = 1; i <= count; i++) {
      const w = sys.fork(program, [prog]);
      if (typeof w === "string") {
        fail(390, `fork failed: ${ERRNO[w]}`);
        retval = 1;
        break outer;
      }
      dbug(`--> ${kind} worker ${i} [${w.pid}] forked`);
      workers.push(w);
    }
  }
  let reaping = retval !== 0;
  while (workers.length > 0) {
    if (reaping) {
      for (const w of workers) sys.kill(w.pid, SIGNALS.SIGUSR1);
    }
    const r = (yield sys.wait()) as { pid: number; status: ExitStatus };
    workers.splice(workers.findIndex((w) => w.pid === r.pid), 1);
    if (r.status.signal === SIGNALS.SIGALRM) dbug(`<-- worker ${r.pid} signalled normally`);
    else if (r.status.signal !== undefined && !(reaping && r.status.signal === SIGNALS.SIGUSR1)) {
      fail(415, `<-- worker ${r.pid} got signal ${r.status.signal}`);
      retval++;
    } else if (r.status.code !== undefined && r.status.code !== 0) {
      fail(422, `<-- worker ${r.pid} returned error ${r.status.code}`);
      retval++;
    } else dbug(`<-- worker ${r.pid} reaped`);
    if (retval && !reaping) {
      sys.err(`${prog}: WARN: [${pid}] (417) now reaping child worker processes\n`);
      reaping = true;
    }
  }
  const runtime = Math.floor(sys.sim.now - started);
  if (retval) {
    fail(451, `failed run completed in ${runtime}s`);
    return 1;
  }
  info(`successful run completed in ${runtime}s`);
  return 0;
}

export const stress: Program = function* (sys) {
  return yield* stressMain(sys, "stress");
};

export const stressNg: Program = function* (sys) {
  return yield* stressMain(sys, "stress-ng");
};
