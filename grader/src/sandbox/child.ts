// The sandbox child: loads the trusted monitor, freezes the intrinsics, then grades one submission's cases in a Compartment.
//
// Started by runner.ts as `node <permission flags> --max-old-space-size=N dist/grader/src/sandbox/child.js <harness>`
// with an IPC channel. Order matters:
//   1. load SES and the named harness's monitor (trusted code) while the realm is still normal;
//   2. keep private references to the IPC channel, then remove `process.exit`, `kill`, `dlopen`, `binding`
//      (defence in depth: student code has no `process` to begin with);
//   3. `lockdown()`: every intrinsic (Object.prototype, Array.prototype, JSON, Math, ...) is frozen;
//   4. say "ready"; receive the run message; evaluate the student's JavaScript in a Compartment (confine.ts);
//   5. for each case: say "case-start", run the equivalence check, drain student promise jobs, send the result;
//   6. exit, or (a kept child, pool.ts) wait for the next submission's run message and go back to 4.
// The parent times every step from outside and kills this process on overrun; nothing here needs to
// defend against a hang.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { types } from "node:util";
import type {} from "ses";
import { loadChildHarness } from "./children.js";
import { loadExport, type CaseState, type OutputSink } from "./compartment.js";
import type { GuardContext } from "./guarded-call.js";
import { inlineSourceMap, type SourceMap } from "./stack.js";
import { MESSAGES, TITLE_PREFIX, type ChildMessage, type RunMessage, type SandboxCaseResult } from "./protocol.js";

// 1. SES from its one-file bundle, not its 60 ES modules (about 0.09 CPU-seconds of every child): the
// minified build beside what `require("ses")` names (ses/dist/ses.cjs), the same bundle in less than half the
// text, which V8 compiles about 15 ms sooner; ses.cjs where a release has no such file. Then the harness
// this child was started for.
const requireHere = createRequire(import.meta.url);
const sesMinified = join(dirname(requireHere.resolve("ses")), "lockdown.umd.min.js");
requireHere(existsSync(sesMinified) ? sesMinified : "ses");
const harnessName = process.argv[2];
const childHarness = await loadChildHarness(harnessName);

// 2. The channel: only this module holds these references.
const rawSend = process.send?.bind(process);
const exit = process.exit.bind(process);
if (!rawSend) {
  process.stderr.write("vmlab sandbox child: no IPC channel (start it through runInSandbox)\n");
  exit(2);
}
const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve) => {
    rawSend!(message, undefined, undefined, () => resolve());
  });
const isPromise = types.isPromise;
const setTitle = (title: string): void => {
  process.title = title;
};
// (process.reallyExit stays: the captured process.exit needs it.)
for (const name of ["exit", "kill", "abort", "dlopen", "binding", "_linkedBinding", "_kill", "chdir", "setuid", "setgid"] as const) {
  try {
    Object.defineProperty(process, name, { value: () => { throw new Error(`process.${name} is not available in the sandbox`); }, configurable: false, writable: false });
  } catch {
    // not present on this Node version
  }
}

// A grader that dies (SIGKILL, out of memory) closes the channel: a child that is not spinning leaves at once.
// (One that spins is ended by the kernel: the runner starts it with a parent-death signal and a CPU cap.)
process.on("disconnect", () => exit(0));

// 3. Freeze the intrinsics. errorTaming "safe": student code sees no stack (it would show the grader's
// paths); trusted code reads stacks through getStackString and maps them to the student's own lines.
lockdown({
  errorTaming: "safe",
  overrideTaming: "moderate",
  consoleTaming: "unsafe",
  stackFiltering: "concise",
  reporting: "none",
  evalTaming: "safe-eval",
  // Node's own handling of uncaught errors (the parent sees the death) and our unhandledRejection listener below.
  errorTrapping: "none",
  unhandledRejectionTrapping: "none",
});

/** The engine's stack of an error: SES leaves this reader on the start compartment's global only. */
const stackReader = (globalThis as { getStackString?: (error: object) => string }).getStackString;
const stackOf = (error: object): string => {
  try {
    return stackReader ? String(stackReader(error)) : "";
  } catch {
    return "";
  }
};

/** Let student promise jobs run now, inside the current case (an endless chain of them is then this case's timeout). */
const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let current: CaseState | undefined;
process.on("unhandledRejection", () => {
  if (current) current.failure ??= { status: "handler-error", message: "A promise your handlers created was rejected and nothing handled it. Handlers are synchronous: do not use async code in them." };
});

// One submission at a time; a kept child (run.stay) waits for the next one, each in a fresh Compartment.
let busy = false;
let finished = false;
process.on("message", (message: unknown) => {
  if (busy || finished || typeof message !== "object" || message === null || (message as { type?: unknown }).type !== "run") return;
  busy = true;
  const stay = (message as RunMessage).stay === true;
  void run(message as RunMessage).then(
    () => {
      busy = false;
      if (!stay) {
        finished = true;
        exit(0);
      }
    },
    (e: unknown) => {
      process.stderr.write(`vmlab sandbox child: ${e instanceof Error ? e.stack : String(e)}\n`);
      exit(3);
    },
  );
});
await send({ type: "ready", confined: confined() });

/** Node's permission model, checked from inside: on, and denying what the sandbox must deny. */
function confined(): boolean {
  const permission = (process as { permission?: { has(scope: string, reference?: string): boolean } }).permission;
  if (!permission) return false;
  try {
    return !permission.has("child") && !permission.has("worker") && !permission.has("fs.write") && !permission.has("fs.read", "/etc/passwd");
  } catch {
    return false;
  }
}

async function run(message: RunMessage): Promise<void> {
  const harness = message.harness === harnessName ? childHarness : undefined;
  if (!harness) {
    await send({ type: "load-failed", status: "load-error", message: MESSAGES.startFailed(`this sandbox has no harness named ${message.harness}${childHarness ? ` (it was started for ${harnessName})` : ""}`) });
    return;
  }
  const sink: OutputSink = { bytes: 0, limit: message.outputBytes, exceeded: false };
  const maps = new Map<string, SourceMap>();
  for (const [name, code] of Object.entries(message.js)) {
    const map = inlineSourceMap(code, name);
    if (map) maps.set(name, map);
  }
  let lastCall: string | undefined;
  // In the process title, a few microseconds; as a message, a write to the channel and a wake-up of the grader each time.
  const announce = message.announce === "title" ? (name: string) => setTitle(TITLE_PREFIX + name) : (name: string) => rawSend!({ type: "handler", name } satisfies ChildMessage);
  const onCall = (name: string): void => {
    if (name === lastCall) return;
    lastCall = name;
    announce(name);
  };
  const where = { maps, stackOf };
  let state: CaseState = {};
  const ctx: GuardContext = { state: () => state, where, isPromise, onCall, noun: "handler" };
  const exported = loadExport({ js: message.js, entry: message.entry, exportName: message.exportName, sink, where, api: harness.runtimeApi(), isApi: harness.isApiSpecifier });
  const bound = exported.ok ? harness.bind(exported.exported, { js: message.js, entry: exported.entry, exportName: message.exportName, ctx }) : exported;
  await drain();
  if (!bound.ok || sink.exceeded) {
    const failed = !bound.ok ? bound : { status: "output" as const, message: "" };
    await send({ type: "load-failed", status: failed.status, message: failed.status === "output" ? MESSAGES.loadOutput(message.entry, message.outputBytes) : failed.message });
    return;
  }
  await send({ type: "loaded" });
  for (const c of message.cases) {
    lastCall = undefined;
    if (message.announce === "title") setTitle(TITLE_PREFIX.trimEnd());
    await send({ type: "case-start", id: c.id });
    sink.bytes = 0;
    sink.exceeded = false;
    current = state = {};
    let result: SandboxCaseResult;
    try {
      result = bound.run(c, { ...(message.cost ? { cost: message.cost } : {}), ...(message.engine ? { engine: message.engine } : {}) });
    } catch (e) {
      result = { id: c.id, status: "crashed", message: `The grader's monitor failed on this case (${e instanceof Error ? e.message : "unknown error"}). This is not your fault: please tell your instructor.` };
    }
    await drain();
    const failure = state.failure;
    current = undefined;
    if (sink.exceeded || failure?.status === "output") result = { id: c.id, status: "output", message: MESSAGES.output(c.id, message.outputBytes) };
    else if (failure) result = { id: c.id, status: "handler-error", message: failure.message };
    await send({ type: "case-result", result });
  }
  // Nothing of this submission may still run when the next one starts in a kept child.
  await drain();
  await send({ type: "done" });
}
