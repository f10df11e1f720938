// Threat tests: each fixture under grader/fixtures/threats is a student submission with one attack; the grader must survive it.
import { createServer, type Server } from "node:net";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { buildGuest } from "../../../src/guests/index.js";
import type { SandboxCaseResult } from "../contract.js";
import { toWire } from "../harnesses/trap-cases.js";
import { ensureChildBuilt } from "./built.js";
import { compileSubmission } from "./compile.js";
import { packageRoot } from "./paths.js";
import { canBindLifetime, createSandbox, runInSandbox } from "./runner.js";
import { procCpuSeconds } from "./cpu-clock.js";

const root = packageRoot();
const fixture = (name: string) => readFileSync(path.join(root, "grader/fixtures/threats", name, "handlers.ts"), "utf8");
/** Each fixture spreads the reference handlers from `./correct.js`: the lab's solution, submitted beside it. */
const correct = readFileSync(path.join(root, "solutions/01-trap-and-emulate/handlers.ts"), "utf8");

/** hello never reads a control register or CS; ring-check reads CS (readCs); fault-divide reads CR2 (movFromCr). */
const GUESTS = ["hello", "ring-check", "fault-divide"] as const;
const cases = GUESTS.map((name) => {
  const g = buildGuest(name);
  return {
    id: name,
    input: { guest: toWire(g), profile: "strict" as const, maxSteps: 2_000_000 },
  };
});
const limits = { caseSeconds: 3, memoryMb: 128, outputBytes: 64 * 1024 };
/** VMLAB_SANDBOX_NODE=/path/to/node runs the children on another Node (the grader supports 20, 22 and 24). */
const node = process.env.VMLAB_SANDBOX_NODE ? { node: process.env.VMLAB_SANDBOX_NODE } : {};
/** VMLAB_SANDBOX_POOLED=1 grades every fixture in kept children, one after another (as grade-batch does); default: a child per submission. */
const pooled = process.env.VMLAB_SANDBOX_POOLED === "1" ? createSandbox({ pool: {} }) : undefined;
const sandboxRun: typeof runInSandbox = (request, options) => (pooled ? pooled.run(request, options) : runInSandbox(request, options));
/**
 * One kept child (pool.ts) for the submissions that pass every case — the reference, the counter hunt, the honest
 * comments and the float arrays: each is graded in a fresh Compartment of that child, with fresh machines, as
 * grade-batch grades them, so they share one start-up. The counter hunt follows the reference in it and must
 * match its cycles exactly, so a leak from one submission to the next would show. Every other fixture — time,
 * memory, output, the IPC channel, process, host powers, load errors — keeps a child of its own.
 */
const kept = pooled ?? createSandbox({ pool: {} });
afterAll(() => Promise.all([pooled?.close(), kept.close()]));

async function grade(source: string, { inKeptChild = false } = {}): Promise<Record<string, SandboxCaseResult>> {
  const compiled = compileSubmission({ "handlers.ts": source, "correct.ts": correct }, { entry: "handlers.ts" });
  expect(compiled.diagnostics).toEqual([]);
  const request = { harness: "trap", entry: "handlers.ts", exportName: "handlers", js: compiled.js, cases, limits } as const;
  const results = await (inKeptChild ? kept.run(request, node) : sandboxRun(request, node));
  expect(results.map((r) => r.id)).toEqual([...GUESTS]);
  return Object.fromEntries(results.map((r) => [r.id, r]));
}

const passed = (r: SandboxCaseResult | undefined) => r?.status === "ok" && r.equivalent;
const failedWith = (r: SandboxCaseResult | undefined, status: string, words: RegExp) => {
  expect(r?.status).toBe(status);
  expect(r && "message" in r ? r.message : "").toMatch(words);
};

let reference: Record<string, SandboxCaseResult>;
beforeAll(async () => {
  await ensureChildBuilt(root);
  reference = await grade(fixture("tamper-counters").replace(/tamper\(vcpu\);/, ""), { inKeptChild: true });
}, 120_000);

describe("the grader survives a submission that", () => {
  it("passes every case with the reference handlers (the baseline the attacks are measured against)", () => {
    for (const id of GUESTS) expect(passed(reference[id]), id).toBe(true);
  });

  it("loops forever in one handler: that case times out naming that handler, the others are graded", async () => {
    const r = await grade(fixture("infinite-loop"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    failedWith(r["fault-divide"], "timeout", /did not finish within 3 seconds.*the last of your functions to start was `movFromCr`/);
  });

  it("recurses without end: that case fails with a stack message", async () => {
    const r = await grade(fixture("deep-recursion"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    failedWith(r["fault-divide"], "handler-error", /movFromCr.*(call stack|stack ran out)/i);
  });

  it("allocates until memory runs out: that case fails for memory, the others are graded", async () => {
    const r = await grade(fixture("memory-bomb"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    failedWith(r["fault-divide"], "memory", /128 MB memory limit/);
  });

  it("fills typed arrays outside the heap limit: the resident-memory watchdog stops that case", async () => {
    const r = await grade(fixture("buffer-bomb"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    failedWith(r["fault-divide"], "memory", /128 MB memory limit/);
  });

  it("prints megabytes: that case fails for output", async () => {
    const r = await grade(fixture("huge-output"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    failedWith(r["fault-divide"], "output", /printed more than 65536 bytes/);
  });

  it("throws a number and a hostile proxy: both are described in words", async () => {
    const r = await grade(fixture("throw-non-error"));
    expect(passed(r.hello)).toBe(true);
    failedWith(r["ring-check"], "handler-error", /`readCs` handler threw a number \(42\) instead of an Error/);
    failedWith(r["fault-divide"], "handler-error", /`movFromCr` handler threw (an object instead of an Error|a value that could not be described)/);
  });

  it("calls process.exit and process.kill: there is no process, and the message says so", async () => {
    const r = await grade(fixture("process-exit"));
    expect(passed(r.hello)).toBe(true);
    failedWith(r["ring-check"], "handler-error", /`readCs` handler threw .*there is no Node `process`/);
    failedWith(r["fault-divide"], "handler-error", /`movFromCr` handler threw .*there is no Node `process`/);
  });

  it("tries to read the hidden suites and the solutions: nothing loads, nothing leaks", async () => {
    const r = await grade(fixture("read-files"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    failedWith(r["fault-divide"], "handler-error", /Cannot load 'node:fs'.*only your own files/);
    expect(JSON.stringify(r)).not.toMatch(/BEGIN SOLUTION|suites|vcpu\.flags\.IF = false/);
  });

  it("starts a shell and a worker: neither exists in the sandbox", async () => {
    const r = await grade(fixture("spawn-process"));
    expect(passed(r.hello)).toBe(true);
    failedWith(r["ring-check"], "handler-error", /Worker is not a constructor.*no Node `process`, `require`, `fetch`, `Worker`/);
    failedWith(r["fault-divide"], "handler-error", /Cannot load 'child_process'/);
  });

  describe("talks to the network", () => {
    let server: Server;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("no connection reaches a listening loopback server", async () => {
      const port = (server.address() as { port: number }).port;
      const r = await grade(fixture("network").replace(":9/", `:${port}/`).replace("connect(9,", `connect(${port},`));
      expect(passed(r.hello)).toBe(true);
      failedWith(r["ring-check"], "handler-error", /fetch is not a function.*no Node `process`, `require`, `fetch`/);
      failedWith(r["fault-divide"], "handler-error", /Cannot load 'node:net'/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(connections).toBe(0);
    });
  });

  it("prints and tries to send fake results: no case passes on them", async () => {
    const r = await grade(fixture("fake-result"));
    for (const id of GUESTS) expect(passed(r[id]), id).toBe(false);
    expect(r.hello?.status === "ok" && r.hello.divergence?.message).toMatch(/console|io/);
  });

  it("monkeypatches built-ins to fool the checker: the checker still sees the divergence, and the frozen built-in is named", async () => {
    const r = await grade(fixture("monkeypatch"));
    expect(r.hello?.status === "ok" && r.hello.equivalent).toBe(false);
    expect(r["fault-divide"]?.status === "ok" && r["fault-divide"].equivalent).toBe(false);
    failedWith(r["ring-check"], "handler-error", /read[- ]only|frozen/i);
  });

  it("hunts for the counters through the vcpu: cycles and overhead are exactly the reference's", async () => {
    const r = await grade(fixture("tamper-counters"), { inKeptChild: true });
    for (const id of GUESTS) {
      const got = r[id]!, want = reference[id]!;
      expect(passed(got), id).toBe(true);
      if (got.status === "ok" && want.status === "ok") {
        expect(got.cost).toBe(want.cost);
        expect(got.baseline).toBe(want.baseline);
        expect(got.counters).toEqual(want.counters);
      }
    }
  });

  it("exports a proxy and returns proxies and thenables: they are never touched; a hostile valueOf is refused", async () => {
    const r = await grade(fixture("hostile-returns"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    failedWith(r["fault-divide"], "handler-error", /`movFromCr` handler threw TypeError: vcpu.regs.set expects a number, but got object/);
  });

  it("probes for process, require, timers, the network and the Function constructor from every angle: finds none", async () => {
    const r = await grade(fixture("probe-host"));
    expect(passed(r.hello) && passed(r["fault-divide"])).toBe(true);
    failedWith(r["ring-check"], "handler-error", /host powers found: none\b/);
  });

  it("has an async handler and leaves a promise rejected: both are named, the other case is graded", async () => {
    const r = await grade(fixture("async-handler"));
    expect(passed(r.hello)).toBe(true);
    failedWith(r["ring-check"], "handler-error", /`readCs` handler is async/);
    failedWith(r["fault-divide"], "handler-error", /promise .* was rejected and nothing handled it/);
  });

  it("exports the wrong name: every case says which export is missing and suggests the right one", async () => {
    const r = await grade(fixture("wrong-exports"));
    for (const id of GUESTS) failedWith(r[id], "missing-export", /does not export `handlers`.*`handler`/);
  });

  it("does not compile: diagnostics point at the file, line and column", () => {
    const compiled = compileSubmission({ "handlers.ts": fixture("does-not-compile") }, { entry: "handlers.ts" });
    expect(compiled.ok).toBe(false);
    expect(compiled.diagnostics).toContainEqual(expect.objectContaining({ file: "handlers.ts", line: 6, code: "TS2322" }));
    expect(compiled.diagnostics).toContainEqual(expect.objectContaining({ file: "handlers.ts", line: 7, column: 15 }));
  });

  it("catches the monitor's own stop signal, writes the guest's image into it and throws it back: the verdict is the monitor's, without the image", async () => {
    const r = await grade(fixture("stop-exfil"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    const d = r["fault-divide"]!;
    expect(d.status === "ok" && d.equivalent).toBe(false);
    expect(d.status === "ok" ? d.divergence?.message : "").toMatch(/machine check: no device answers port 0xdead/);
    expect(JSON.stringify(r)).not.toContain("EXFIL");
  });

  it("keeps comments and strings with '-->', 'import(' and 'eval(' in an honest solution: every case passes", async () => {
    const r = await grade(fixture("honest-comments"), { inKeptChild: true });
    for (const id of GUESTS) expect(passed(r[id]), id).toBe(true);
  });

  it("uses Float64Array and Float32Array, which type-check: every case passes", async () => {
    const r = await grade(fixture("float-arrays"), { inKeptChild: true });
    for (const id of GUESTS) expect(passed(r[id]), id).toBe(true);
  });

  it("throws stack traces to learn where the grader lives: the message holds no path of the grader", async () => {
    const r = await grade(fixture("leak-stack"));
    const d = r["fault-divide"]!;
    failedWith(d, "handler-error", /`movFromCr` handler threw Error: mine: .* at handlers\.ts:\d+:\d+/);
    expect(JSON.stringify(r)).not.toContain(root);
    expect(JSON.stringify(r)).not.toMatch(/file:\/\/|node:internal|dist\/grader/);
  });

  it("throws a 200 000-character message: the case fails at once with the message cut short", async () => {
    const r = await grade(fixture("huge-message"));
    expect(passed(r.hello) && passed(r["ring-check"])).toBe(true);
    failedWith(r["fault-divide"], "handler-error", /`movFromCr` handler threw Error: a+…/);
    expect(JSON.stringify(r["fault-divide"]).length).toBeLessThan(5_000);
  });

  it("loops forever while the grader itself is killed: the kernel ends the child with it (no orphan keeps spinning)", async (ctx) => {
    if (!(await canBindLifetime())) return ctx.skip("util-linux setpriv/prlimit are not here: a child's life cannot be bound to the grader's on this system");
    // A grader process of its own: it compiles the looping fixture, starts the sandbox, prints the child's pid, and waits.
    const js = compileSubmission({ "handlers.ts": fixture("infinite-loop"), "correct.ts": correct }, { entry: "handlers.ts" }).js;
    const script = `
      import { createSandbox, createNodeSpawner } from ${JSON.stringify(path.join(root, "dist/grader/src/sandbox/runner.js"))};
      const real = createNodeSpawner();
      const spawn = (command, args, options) => { const c = real(command, args, options); console.log("CHILD " + c.pid); return c; };
      const request = JSON.parse(process.argv[1]);
      await createSandbox({ spawn }).run(request);`;
    const request = { harness: "trap", entry: "handlers.ts", exportName: "handlers", js, cases: [cases[2]!], limits: { caseSeconds: 120, memoryMb: 128 } };
    const grader = spawn(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(request)], { stdio: ["ignore", "pipe", "inherit"] });
    const pid = await new Promise<number>((resolve, reject) => {
      let text = "";
      grader.stdout!.on("data", (chunk: Buffer) => {
        text += String(chunk);
        const m = /CHILD (\d+)/.exec(text);
        if (m) resolve(Number(m[1]));
      });
      grader.on("exit", () => reject(new Error(`the grader exited before starting a child: ${text}`)));
    });
    const alive = (p: number) => existsSync(`/proc/${p}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${p}/status`, "utf8"));
    // Wait until the child is spinning in the handler (its CPU time grows), then kill the grader as the OOM killer would.
    for (let i = 0; i < 200 && (procCpuSeconds(pid) ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(true);
    grader.kill("SIGKILL");
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid), "the sandbox child outlived the grader").toBe(false);
  }, 60_000);

  it("is JavaScript that does not parse: every case is a load error naming the syntax error", async () => {
    const results = await sandboxRun({ harness: "trap", entry: "handlers.ts", exportName: "handlers", js: { "handlers.js": "exports.handlers = { cli(v) { v.skip(; } };" }, cases, limits }, node);
    for (const r of results) failedWith(r, "load-error", /SyntaxError/);
  });
});
