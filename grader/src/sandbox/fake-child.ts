// A scripted sandbox child for the runner's tests: no process, messages and deaths on cue, each spawn recorded (command, arguments, whether it was killed).
import type { ChildMessage, RunMessage, SandboxCaseResult } from "./protocol.js";
import type { ChildExit, SandboxChild, SpawnChild } from "./runner.js";

/** What a scripted child can do. */
export interface FakeControls {
  send(message: ChildMessage): void;
  stdout(text: string): void;
  stderr(text: string): void;
  exit(code: number | null, signal?: string | null): void;
}

/**
 * A spawner whose children follow `script` (called once per child with the run message and the child's
 * index). `starts`: whether a child started with that command gets ready (default: every one); one that
 * does not exits with code 1 before it says ready, as a child started the wrong way does.
 */
export function fakeSpawner(script: (run: RunMessage, c: FakeControls, index: number) => void, confined = true, starts: (command: string) => boolean = () => true) {
  const spawned: { command: string; args: readonly string[]; killed: boolean }[] = [];
  const spawn: SpawnChild = (command, args) => {
    const index = spawned.length;
    const record = { command, args, killed: false };
    spawned.push(record);
    const messageListeners: ((m: unknown) => void)[] = [];
    const outputListeners: ((s: "stdout" | "stderr", chunk: string) => void)[] = [];
    let settle!: (e: ChildExit) => void;
    const exited = new Promise<ChildExit>((resolve) => (settle = resolve));
    let alive = true;
    const controls: FakeControls = {
      send: (m) => alive && queueMicrotask(() => messageListeners.forEach((l) => l(m))),
      stdout: (t) => outputListeners.forEach((l) => l("stdout", t)),
      stderr: (t) => outputListeners.forEach((l) => l("stderr", t)),
      exit: (code, signal = null) => {
        if (!alive) return;
        alive = false;
        setTimeout(() => settle({ code, signal }), 1);
      },
    };
    const child: SandboxChild = {
      pid: 1000 + index,
      send: (m) => setTimeout(() => script(m, controls, index), 1),
      onMessage: (l) => messageListeners.push(l),
      onOutput: (l) => outputListeners.push(l),
      exited,
      kill: () => {
        record.killed = true;
        controls.exit(null, "SIGKILL");
      },
    };
    if (starts(command)) setTimeout(() => controls.send({ type: "ready", confined }), 1);
    else controls.exit(1);
    return child;
  };
  return { spawn, spawned };
}

type OnCase = (id: string, c: FakeControls, index: number) => boolean | void;
const ok = (id: string): SandboxCaseResult => ({ id, status: "ok", equivalent: true, cost: 10, baseline: 5, counters: {} });

/** Load, then each case: started, `onCase` (false stops the child there: returns false), `result`; then done. */
function gradeEach(run: RunMessage, c: FakeControls, index: number, onCase: OnCase, result: (id: string) => SandboxCaseResult): boolean {
  c.send({ type: "loaded" });
  for (const k of run.cases) {
    c.send({ type: "case-start", id: k.id });
    if (onCase(k.id, c, index) === false) return false;
    c.send({ type: "case-result", result: result(k.id) });
  }
  c.send({ type: "done" });
  return true;
}

/** A child that grades each case it is given, calling `onCase` first (which may misbehave and return false to stop), then exits. */
export function grading(onCase: OnCase = () => true) {
  return (run: RunMessage, c: FakeControls, index: number) => {
    if (gradeEach(run, c, index, onCase, ok)) c.exit(0);
  };
}

/** A child that grades like `grading` (a case whose id starts with "bad" gets a handler error), but stays for the next run message when asked to. */
export function keeping(onCase: OnCase = () => true) {
  const result = (id: string): SandboxCaseResult => (id.startsWith("bad") ? { id, status: "handler-error", message: "a handler threw" } : ok(id));
  return (run: RunMessage, c: FakeControls, index: number) => {
    if (gradeEach(run, c, index, onCase, result) && !run.stay) c.exit(0);
  };
}
