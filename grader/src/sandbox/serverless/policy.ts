// A submission's keep-alive policy bound for the platform: its functions read once and wrapped in guarded calls, and every decision checked before the platform sees it.
//
// A valid policy behaviour, as lab 05 defines it:
//   - `policy` is an object whose `forApp` is a function (`name`, when present, a string);
//   - `forApp(app)` returns an object whose `onInvocation` and `windows` are functions;
//   - `windows(now)` returns an object whose `preWarmMs` and `keepAliveMs` are finite numbers ≥ 0 (milliseconds);
//     to keep an instance for the rest of a trace, return a window longer than the trace (e.g. 24 hours);
//   - nothing throws and nothing is async.
// Anything else fails the case with one message that names the method, the application and the value.
import type { AppKeepAlive, KeepAlivePolicy, KeepAliveWindows } from "../../../../src/serverless/policy-api.js";
import { describeKind, describeThrown, displayName, missingExport, type LoadFailure } from "../compartment.js";
import { guardedCall, type GuardContext } from "../guarded-call.js";
import { capText } from "../protocol.js";

type Fn = (...args: unknown[]) => unknown;

/** The policy's functions, read once (a getter or proxy read later could change them). */
type Found = { readonly ok: true; readonly forApp: Fn; readonly self: unknown; readonly name: string } | LoadFailure;

const SHAPE = "export const policy: KeepAlivePolicy = { name: \"mine\", forApp(app) { return { onInvocation(now, idle) {}, windows(now) { return { preWarmMs: 0, keepAliveMs: 600_000 }; } }; } };";

/** Checks the export's shape: an object with a forApp function. */
export function findPolicy(exported: unknown, exportName: string, js: Readonly<Record<string, string>>, entry: string, ctx: GuardContext): Found {
  const file = displayName(ctx.where.maps, entry);
  if (exported === undefined) return missingExport(js, entry, exportName, ctx.where, SHAPE);
  if (typeof exported !== "object" || exported === null) {
    return { ok: false, status: "missing-export", message: `\`${exportName}\` in ${file} must be a policy object with a \`forApp\` method, but it is ${describeKind(exported)}.` };
  }
  try {
    const forApp: unknown = (exported as Record<string, unknown>).forApp;
    if (typeof forApp !== "function") {
      return { ok: false, status: "missing-export", message: `\`${exportName}.forApp\` must be a function (it returns the state of one application), but it is ${describeKind(forApp)}.` };
    }
    const name: unknown = (exported as Record<string, unknown>).name;
    if (name !== undefined && typeof name !== "string") {
      return { ok: false, status: "missing-export", message: `\`${exportName}.name\` must be a string, but it is ${describeKind(name)}.` };
    }
    return { ok: true, forApp: forApp as Fn, self: exported, name: typeof name === "string" ? capText(name, 60) : exportName };
  } catch (e) {
    return { ok: false, status: "load-error", message: `Reading \`${exportName}\` from ${file} failed: ${describeThrown(e, ctx.where)}` };
  }
}

/** Records why the case fails and stops the run (inside a guarded call's copy-out, so the message stays the one given here). */
function invalid(ctx: GuardContext, message: string): never {
  ctx.state().failure ??= { status: "handler-error", message };
  throw new Error(message);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** One window of a `windows` answer, as a number the platform may use. */
function windowValue(ctx: GuardContext, value: unknown, field: keyof KeepAliveWindows, where: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  const got = typeof value === "number" ? String(value) : describeKind(value);
  const fix =
    value === Infinity && field === "keepAliveMs"
      ? " To keep the instance for the rest of the trace, return a window longer than the trace (e.g. 24 * 3_600_000)."
      : typeof value === "number" && value < 0
        ? " A window cannot be negative: 0 keeps the instance loaded (preWarmMs) or unloads it at once (keepAliveMs)."
        : "";
  return invalid(ctx, `Your \`windows\` method returned ${field}: ${got} ${where}; ${field} must be a finite number of milliseconds ≥ 0.${fix}`);
}

/** The platform's view of the submission's policy: every call guarded, every answer checked. */
export function wrapPolicy(found: Extract<Found, { ok: true }>, ctx: GuardContext): KeepAlivePolicy {
  return {
    name: found.name,
    forApp(app: string): AppKeepAlive {
      const state = guardedCall(ctx, "forApp", found.forApp, found.self, [app], (returned) => {
        if (typeof returned !== "object" || returned === null) invalid(ctx, `Your \`forApp\` method returned ${describeKind(returned)} for application ${app}; it must return an object with \`onInvocation\` and \`windows\` methods.`);
        const r = returned as Record<string, unknown>;
        const onInvocation = r.onInvocation;
        const windows = r.windows;
        for (const [name, fn] of [["onInvocation", onInvocation], ["windows", windows]] as const) {
          if (typeof fn !== "function") invalid(ctx, `The object your \`forApp\` method returned for application ${app} has no \`${name}\` method (it is ${describeKind(fn)}).`);
        }
        return { self: returned, onInvocation: onInvocation as Fn, windows: windows as Fn };
      })!;
      return {
        onInvocation(nowMs: number, idleMs: number | undefined): void {
          guardedCall(ctx, "onInvocation", state.onInvocation, state.self, [nowMs, idleMs]);
        },
        windows(nowMs: number): KeepAliveWindows {
          return guardedCall(ctx, "windows", state.windows, state.self, [nowMs], (returned) => {
            const where = `for application ${app} at ${seconds(nowMs)} into the trace`;
            if (typeof returned !== "object" || returned === null) invalid(ctx, `Your \`windows\` method returned ${describeKind(returned)} ${where}; it must return { preWarmMs, keepAliveMs } in milliseconds.`);
            const w = returned as Record<string, unknown>;
            const preWarmMs = windowValue(ctx, w.preWarmMs, "preWarmMs", where);
            const keepAliveMs = windowValue(ctx, w.keepAliveMs, "keepAliveMs", where);
            return { preWarmMs, keepAliveMs };
          })!;
        },
      };
    },
  };
}
