// The real spawner (node:child_process): messages both ways, output streamed, the exit as code or signal, a command that cannot start, and no child left behind when the grader exits.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureChildBuilt } from "./built.js";
import { packageRoot } from "./paths.js";
import { createNodeSpawner, type ChildExit } from "./runner.js";

const root = packageRoot();
beforeAll(() => ensureChildBuilt(root), 300_000);

const alive = (p: number) => existsSync(`/proc/${p}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${p}/status`, "utf8"));

describe("the real spawner", () => {
  it("carries messages both ways, streams the output and reports the exit code", async () => {
    const child = createNodeSpawner()(process.execPath, ["-e", "process.on('message', (m) => { console.log('out ' + m.n); console.error('err'); process.send({ n: m.n + 1 }, () => process.exit(3)); })"], { cwd: root });
    const got: unknown[] = [];
    let out = "";
    child.onMessage((m) => got.push(m));
    child.onOutput((stream, chunk) => (out += `${stream}:${chunk}`));
    child.send({ type: "run", n: 41 } as never);
    const exit: ChildExit = await child.exited;
    expect(got).toEqual([{ n: 42 }]);
    expect(out).toContain("stdout:out 41");
    expect(out).toContain("stderr:err");
    expect(exit).toEqual({ code: 3, signal: null });
  });

  it("gives the child nothing of the grader's environment but the allocator's settings", async () => {
    const child = createNodeSpawner()(process.execPath, ["-e", "process.send(Object.keys(process.env).sort(), () => process.exit(0))"], { cwd: root });
    const keys = new Promise((resolve) => child.onMessage(resolve));
    await child.exited;
    expect(await keys).toEqual(["GLIBC_TUNABLES", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"]);
  });

  it("reports a kill as the signal, and a command that does not exist as an exit without code", async () => {
    const spawner = createNodeSpawner();
    const looping = spawner(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { cwd: root });
    looping.kill();
    expect(await looping.exited).toEqual({ code: null, signal: "SIGKILL" });
    const missing = spawner("/nonexistent/vmlab-command", [], { cwd: root });
    expect(missing.pid).toBeUndefined();
    expect(await missing.exited).toEqual({ code: null, signal: null });
  });

  it("kills the children still running when the grader exits", async () => {
    const script = `
      import { createNodeSpawner } from ${JSON.stringify(path.join(root, "dist/grader/src/sandbox/runner.js"))};
      const c = createNodeSpawner()(process.execPath, ["-e", "process.on('disconnect', () => {}); setInterval(() => {}, 1000)"], { cwd: "/" });
      console.log("CHILD " + c.pid);
      setTimeout(() => process.exit(0), 300);`;
    const grader = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    grader.stdout!.on("data", (chunk: Buffer) => (text += String(chunk)));
    await new Promise((resolve) => grader.on("exit", resolve));
    const pid = Number(/CHILD (\d+)/.exec(text)?.[1]);
    expect(pid).toBeGreaterThan(0);
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid), "a child outlived the grader").toBe(false);
  });
});
