// The runner's bookkeeping with a fake child process: timeouts, deaths, respawns and what the student reads.
import { describe, expect, it } from "vitest";
import type { SandboxRequest } from "../contract.js";
import { fakeSpawner, grading, keeping } from "./fake-child.js";
import type { RunMessage } from "./protocol.js";
import { createSandbox, type SandboxDeps, type SpawnChild } from "./runner.js";

const request = (ids: string[], caseSeconds = 0.2): SandboxRequest => ({
  harness: "trap", entry: "handlers.ts", exportName: "handlers", js: { "handlers.js": "" },
  cases: ids.map((id) => ({ id, input: { guest: { segments: [], entry: 0 }, profile: "strict", maxSteps: 100 } })),
  limits: { caseSeconds, memoryMb: 64 },
});

/** A child's CPU clock that runs as fast as the wall clock: every time-out is the child's own. */
const spinning = () => {
  const t0 = performance.now();
  return () => (performance.now() - t0) / 1000;
};

const sandbox = (spawn: SpawnChild, residentBytes: (pid: number) => number | undefined = () => undefined, extra: Partial<SandboxDeps> = {}) =>
  createSandbox({ spawn, root: "/vmlab", childScript: "/vmlab/dist/child.js", residentBytes, nodeVersion: async () => "v20.19.0", watchMs: 10, isolateNetwork: false, bindLifetime: false, ...extra });

describe("the sandbox runner", () => {
  it("grades in the child started while the submission compiled, which said ready before anyone listened", async () => {
    const fake = fakeSpawner(grading());
    const box = sandbox(fake.spawn);
    const release = box.prepare(request(["a", "b"]));
    await new Promise((r) => setTimeout(r, 30)); // its "ready" arrives with no session listening
    const results = await box.run(request(["a", "b"]));
    release();
    expect(results.map((r) => [r.id, r.status])).toEqual([["a", "ok"], ["b", "ok"]]);
    expect(fake.spawned).toHaveLength(1);
  });

  it("kills an early child nobody took, and does not give it to a request it was not started for", async () => {
    const fake = fakeSpawner(grading());
    const box = sandbox(fake.spawn);
    const release = box.prepare(request(["a"]));
    const results = await box.run(request(["b", "c"]));
    expect(results.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(fake.spawned).toHaveLength(2);
    expect(fake.spawned[0]!.killed).toBe(false);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.spawned[0]!.killed).toBe(true);
  });

  it("grades every case in one child when nothing goes wrong", async () => {
    const fake = fakeSpawner(grading());
    const results = await sandbox(fake.spawn).run(request(["a", "b", "c"]));
    expect(results.map((r) => [r.id, r.status])).toEqual([["a", "ok"], ["b", "ok"], ["c", "ok"]]);
    expect(fake.spawned).toHaveLength(1);
  });

  it("starts the child under the permission model with a heap cap, reading only dist and SES, for the request's harness alone", async () => {
    const fake = fakeSpawner(grading());
    await sandbox(fake.spawn).run(request(["a"]));
    const args = fake.spawned[0]!.args;
    expect(args).toContain("--experimental-permission");
    expect(args).toContain("--max-old-space-size=64");
    expect(args.filter((a) => a.startsWith("--allow-fs-read=")).join(" ")).not.toMatch(/solutions|grader\/labs|\/src\/$/);
    expect(args.some((a) => /allow-(child-process|worker|fs-write|addons)/.test(a))).toBe(false);
    expect(args.slice(-2)).toEqual(["/vmlab/dist/child.js", "trap"]);
  });

  it("kills a case that overruns its time, marks it timeout, and grades the rest in a fresh child", async () => {
    const fake = fakeSpawner(grading((id, _c, index) => !(id === "b" && index === 0)));
    const results = await sandbox(fake.spawn, undefined, { cpuSeconds: spinning() }).run(request(["a", "b", "c"]));
    expect(results.map((r) => r.status)).toEqual(["ok", "timeout", "ok"]);
    expect(results[1]).toMatchObject({ message: expect.stringMatching(/did not finish within 0.2 seconds/) });
    expect(fake.spawned.map((s) => s.killed)).toEqual([true, false]);
  });

  it("reports a heap exhaustion from the dying child's stderr as memory", async () => {
    const fake = fakeSpawner(grading((id, c, index) => {
      if (id !== "a" || index > 0) return true;
      c.stderr("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n");
      c.exit(null, "SIGABRT");
      return false;
    }));
    const results = await sandbox(fake.spawn).run(request(["a", "b"]));
    expect(results.map((r) => r.status)).toEqual(["memory", "ok"]);
    expect(results[0]).toMatchObject({ message: expect.stringMatching(/more than the 64 MB memory limit/) });
  });

  it("kills a child whose resident memory passes the cap (memory outside the JavaScript heap)", async () => {
    // The first child grows once case a has started (never while it loads: on a busy machine the watchdog may look first).
    let grown = false;
    const fake = fakeSpawner(grading((id) => {
      if (id !== "a") return true;
      grown = true;
      return false;
    }));
    const results = await sandbox(fake.spawn, (pid) => (pid === 1000 && grown ? 10 * 1024 ** 3 : 1)).run(request(["a", "b"], 5));
    expect(results.map((r) => r.status)).toEqual(["memory", "ok"]);
  });

  it("marks a case crashed when the child dies without a reason, and goes on", async () => {
    const fake = fakeSpawner(grading((id, c, index) => {
      if (id !== "b" || index > 0) return true;
      c.exit(1);
      return false;
    }));
    const results = await sandbox(fake.spawn).run(request(["a", "b", "c"]));
    expect(results.map((r) => r.status)).toEqual(["ok", "crashed", "ok"]);
    expect(results[1]).toMatchObject({ message: expect.stringMatching(/stopped unexpectedly \(exit code 1\)/) });
  });

  it("fails every case at once when the submission does not load, without a respawn per case", async () => {
    const fake = fakeSpawner((_run, c) => {
      c.send({ type: "load-failed", status: "missing-export", message: "handlers.ts does not export `handlers`." });
      c.exit(0);
    });
    const results = await sandbox(fake.spawn).run(request(["a", "b", "c"]));
    expect(results.map((r) => r.status)).toEqual(["missing-export", "missing-export", "missing-export"]);
    expect(fake.spawned).toHaveLength(1);
  });

  it("times out a submission whose top level never finishes loading, once for all cases", async () => {
    const fake = fakeSpawner(() => undefined);
    const results = await sandbox(fake.spawn, undefined, { cpuSeconds: spinning() }).run(request(["a", "b"]));
    expect(results.map((r) => r.status)).toEqual(["timeout", "timeout"]);
    expect(results[0]).toMatchObject({ message: expect.stringMatching(/Loading handlers.ts took longer than 0.2 seconds/) });
    expect(fake.spawned).toHaveLength(1);
  });

  it("never reads results from stdout: a printed fake result is ignored", async () => {
    const fake = fakeSpawner((run, c) => {
      c.send({ type: "loaded" });
      c.send({ type: "case-start", id: "a" });
      c.stdout(JSON.stringify({ type: "case-result", result: { id: "a", status: "ok", equivalent: true } }) + "\n");
      c.exit(0);
      void run;
    });
    const results = await sandbox(fake.spawn).run(request(["a"]));
    expect(results[0]!.status).toBe("crashed");
  });

  it("kills a child that breaks the protocol (a result for a case that did not start)", async () => {
    const fake = fakeSpawner((_run, c, index) => {
      c.send({ type: "loaded" });
      if (index === 0) c.send({ type: "case-result", result: { id: "a", status: "ok", equivalent: true, cost: 1, baseline: 1, counters: {} } });
      else grading()(_run, c, index);
    });
    const results = await sandbox(fake.spawn).run(request(["a", "b"]));
    expect(fake.spawned[0]!.killed).toBe(true);
    expect(results.map((r) => r.status)).toEqual(["crashed", "ok"]);
  });

  it("says the grader is broken when the child cannot start, without blaming the student", async () => {
    const spawn: SpawnChild = () => ({
      pid: undefined, send: () => undefined, onMessage: () => undefined,
      onOutput: (l) => setTimeout(() => l("stderr", "Error: Cannot find module '/vmlab/dist/child.js'\n"), 1),
      exited: new Promise((resolve) => setTimeout(() => resolve({ code: 1, signal: null }), 5)), kill: () => undefined,
    });
    const results = await sandbox(spawn).run(request(["a", "b"]));
    expect(results.map((r) => r.status)).toEqual(["crashed", "crashed"]);
    expect(results[0]).toMatchObject({ message: expect.stringMatching(/could not start.*Cannot find module.*not your code/) });
  });

  it("stops the child and rejects when grading is aborted", async () => {
    const fake = fakeSpawner(grading((id) => id !== "b"));
    const controller = new AbortController();
    const running = sandbox(fake.spawn).run(request(["a", "b"], 30), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("grading cancelled")), 20);
    await expect(running).rejects.toThrow("grading cancelled");
    expect(fake.spawned[0]!.killed).toBe(true);
  });

  it("refuses to run student code in a child that says the permission model is off", async () => {
    const fake = fakeSpawner(grading(), false);
    const results = await sandbox(fake.spawn).run(request(["a", "b"]));
    expect(results.map((r) => r.status)).toEqual(["crashed", "crashed"]);
    expect(results[0]).toMatchObject({ message: expect.stringMatching(/permission model is not active.*not your code/) });
    expect(fake.spawned[0]!.killed).toBe(true);
  });

  it("starts the child in an empty network namespace when asked to (unshare -rn node ...)", async () => {
    const commands: string[] = [];
    const fake = fakeSpawner(grading());
    const spawn: SpawnChild = (command, args, options) => {
      commands.push(command);
      return fake.spawn(command, args, options);
    };
    await createSandbox({ spawn, root: "/vmlab", childScript: "/c.js", nodeVersion: async () => "v20.19.0", isolateNetwork: true, bindLifetime: false }).run(request(["a"]), { node: "/usr/bin/node" });
    expect(commands).toEqual(["unshare"]);
    expect(fake.spawned[0]!.args.slice(0, 3)).toEqual(["-rn", "/usr/bin/node", "--experimental-permission"]);
  });

  it("binds the child's life to the grader's and caps its CPU time for all its cases, inside the namespace", async () => {
    const commands: string[] = [];
    const fake = fakeSpawner(grading());
    const spawn: SpawnChild = (command, args, options) => {
      commands.push(command);
      return fake.spawn(command, args, options);
    };
    await createSandbox({ spawn, root: "/vmlab", childScript: "/c.js", nodeVersion: async () => "v20.19.0", isolateNetwork: true, bindLifetime: true, startSeconds: 15 })
      .run(request(["a", "b"], 2), { node: "/usr/bin/node" });
    expect(commands).toEqual(["unshare"]);
    // 15 s to start + 2 s to load + 2 × 2 s of cases + 2 s to exit + 5 s of slack
    expect(fake.spawned[0]!.args.slice(0, 8)).toEqual(["-rn", "setpriv", "--pdeathsig", "KILL", "prlimit", "--cpu=28:29", "--", "/usr/bin/node"]);
  });

  it("counts a case's time in the child's CPU seconds, so a child that waits for the CPU of a busy machine is not stopped", async () => {
    // The child is slow in wall time (the case takes 300 ms with a 200 ms limit) but has used almost no CPU.
    const fake = fakeSpawner((run, c) => {
      c.send({ type: "loaded" });
      const k = run.cases[0]!;
      c.send({ type: "case-start", id: k.id });
      setTimeout(() => {
        c.send({ type: "case-result", result: { id: k.id, status: "ok", equivalent: true, cost: 10, baseline: 5, counters: {} } });
        c.send({ type: "done" });
        c.exit(0);
      }, 300);
    });
    const results = await sandbox(fake.spawn, undefined, { cpuSeconds: () => 0.01 }).run(request(["a"]));
    expect(results.map((r) => r.status)).toEqual(["ok"]);
  });

  it("stops a case whose child has used its CPU limit, and names the last handler that started", async () => {
    let cpu = 0;
    const fake = fakeSpawner(grading((id, c, index) => {
      if (id !== "a" || index > 0) return true;
      c.send({ type: "handler", name: "cli" });
      c.send({ type: "handler", name: "popf" });
      setTimeout(() => (cpu = 5), 50); // the child spins: its CPU time runs past the limit
      return false;
    }));
    const results = await sandbox(fake.spawn, undefined, { cpuSeconds: () => cpu }).run(request(["a", "b"]));
    expect(results.map((r) => r.status)).toEqual(["timeout", "ok"]);
    expect(results[0]).toMatchObject({ message: expect.stringMatching(/within 0.2 seconds of CPU time.*the last of your functions to start was `popf`\. Your code probably runs forever/) });
  });

  it("with a reader of process titles, asks the child to name handlers in its title and names the one the title shows when it stops a case", async () => {
    let cpu = 0;
    const announced: (string | undefined)[] = [];
    const fake = fakeSpawner((run, c, index) => {
      announced.push(run.announce);
      grading((id) => {
        if (id !== "a" || index > 0) return true;
        setTimeout(() => (cpu = 5), 50);
        return false;
      })(run, c, index);
    });
    const results = await sandbox(fake.spawn, undefined, { cpuSeconds: () => cpu, runningName: (pid) => (pid === 1000 ? "movFromCr" : undefined) }).run(request(["a", "b"]));
    expect(announced).toEqual(["title", "title"]);
    expect(results.map((r) => r.status)).toEqual(["timeout", "ok"]);
    expect(results[0]).toMatchObject({ message: expect.stringMatching(/the last of your functions to start was `movFromCr`\./) });
  });

  it("stops a case that waits without using CPU once a generous wall-clock limit has passed, and says it waited", async () => {
    const fake = fakeSpawner(grading((id) => id !== "a"));
    const results = await sandbox(fake.spawn, undefined, { cpuSeconds: () => 0, wallExtraSeconds: 0.5 }).run({ ...request(["a", "b"], 0.05) });
    expect(results.map((r) => r.status)).toEqual(["timeout", "ok"]);
    expect(results[0]).toMatchObject({ message: expect.stringMatching(/made no progress.*almost no CPU/) });
  });

  it("grades a case again in a fresh child when wall time alone decided its time-out, and keeps the second verdict", async () => {
    // No CPU clock (as off Linux): the first child hangs on "a", the second grades it.
    const once = fakeSpawner(grading((id, _c, index) => !(id === "a" && index === 0)));
    expect((await sandbox(once.spawn, undefined, { cpuSeconds: () => undefined }).run(request(["a", "b"]))).map((r) => r.status)).toEqual(["ok", "ok"]);
    const always = fakeSpawner(grading((id) => id !== "a"));
    expect((await sandbox(always.spawn, undefined, { cpuSeconds: () => undefined }).run(request(["a", "b"]))).map((r) => r.status)).toEqual(["timeout", "ok"]);
    expect(always.spawned).toHaveLength(3);
  });

  it("reports a time-out as memory when the child's resident memory was near the heap cap (a heap that thrashes)", async () => {
    const fake = fakeSpawner(grading((id, _c, index) => !(id === "a" && index === 0)));
    const results = await sandbox(fake.spawn, (pid) => (pid === 1000 ? 62 * 1024 * 1024 : 1)).run(request(["a", "b"]));
    expect(results.map((r) => r.status)).toEqual(["memory", "ok"]);
  });

  it("uses --permission on Node 22 and later", async () => {
    const fake = fakeSpawner(grading());
    await createSandbox({ spawn: fake.spawn, root: "/vmlab", childScript: "/c.js", nodeVersion: async () => "v24.1.0", isolateNetwork: false }).run(request(["a"]), { node: "/opt/node24/bin/node" });
    expect(fake.spawned[0]!.args).toContain("--permission");
    expect(fake.spawned[0]!.args).not.toContain("--experimental-permission");
  });
});

describe("the sandbox runner with kept children", () => {
  it("grades submission after submission in one child, each with its own run message", async () => {
    const runs: RunMessage[] = [];
    const fake = fakeSpawner((run, c, i) => {
      runs.push(run);
      keeping()(run, c, i);
    });
    const s = sandbox(fake.spawn, undefined, { pool: { submissions: 5 } });
    for (let i = 0; i < 3; i++) expect((await s.run(request(["a", "b"]))).map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(fake.spawned).toHaveLength(1);
    expect(runs.map((r) => r.stay)).toEqual([true, true, true]);
    await s.close();
    expect(fake.spawned[0]!.killed).toBe(true);
  });

  it("keeps a child for the harness it was started for: a request of another harness gets a fresh child", async () => {
    const fake = fakeSpawner(keeping());
    const s = sandbox(fake.spawn, undefined, { pool: { submissions: 5 } });
    await s.run(request(["a"]));
    await s.run({ ...request(["a"]), harness: "bt" });
    expect(fake.spawned.map((c) => c.args.at(-1))).toEqual(["trap", "bt"]);
    await s.run(request(["a"]));
    expect(fake.spawned).toHaveLength(3);
    await s.close();
  });

  it("retires a child after a case that did not end ok, and after its quota of submissions", async () => {
    const fake = fakeSpawner(keeping());
    const s = sandbox(fake.spawn, undefined, { pool: { submissions: 2 } });
    await s.run(request(["bad-1"]));
    expect(fake.spawned.map((c) => c.killed)).toEqual([true]);
    await s.run(request(["a"]));
    await s.run(request(["a"]));
    expect(fake.spawned.map((c) => c.killed)).toEqual([true, true]);
    await s.run(request(["a"]));
    expect(fake.spawned).toHaveLength(3);
    await s.close();
  });

  it("retires a child whose resident memory grew past the threshold since it was first idle", async () => {
    let rss = 100 * 1024 ** 2;
    const fake = fakeSpawner(keeping());
    const s = sandbox(fake.spawn, () => rss, { pool: { submissions: 10, growthMb: 16 } });
    await s.run(request(["a"]));
    rss += 8 * 1024 ** 2;
    await s.run(request(["a"]));
    expect(fake.spawned.map((c) => c.killed)).toEqual([false]);
    rss += 16 * 1024 ** 2;
    await s.run(request(["a"]));
    expect(fake.spawned.map((c) => c.killed)).toEqual([true]);
    await s.close();
  });

  it("warms a child started ahead of time with the warm-up request, then grades submissions in it", async () => {
    const seen: string[][] = [];
    const fake = fakeSpawner((run, c, i) => {
      seen.push(run.cases.map((k) => k.id));
      keeping()(run, c, i);
    });
    const s = sandbox(fake.spawn, undefined, { pool: {} });
    s.prestart(1, request(["public"]), request(["a", "b"]));
    await s.run(request(["a", "b"]));
    expect(seen).toEqual([["public"], ["a", "b"]]);
    expect(fake.spawned).toHaveLength(1);
    await s.close();
  });

  it("grades the rest of a submission in a fresh child after a time-out, as without a pool", async () => {
    const fake = fakeSpawner(keeping((id, _c, index) => !(id === "b" && index === 0)));
    const results = await sandbox(fake.spawn, undefined, { cpuSeconds: spinning(), pool: {} }).run(request(["a", "b", "c"]));
    expect(results.map((r) => r.status)).toEqual(["ok", "timeout", "ok"]);
    expect(fake.spawned.map((s) => s.killed)).toEqual([true, false]);
  });
});
