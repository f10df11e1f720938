// A trusted function around one untrusted function of a submission: whatever it throws, returns or leaves behind becomes a failure in words.
//
// The monitor (or any harness) only ever calls these wrappers. A wrapper never reads what the
// untrusted function returns unless the harness asks (then inside the same guard, through `copyOut`),
// turns anything it throws (an Error, 42, a proxy, an object with hostile getters) into a trusted Error
// with a short string message, and records the failure where only the child can see it. When trusted
// code threw through a facade during the call (the monitor's raise(), a guest page fault), that signal —
// recorded as it left — goes back, never the value the function threw in its place.
import { describeThrown, OUTPUT_EXCEEDED, type CaseState, type Locator } from "./compartment.js";

export interface GuardContext {
  /** The current case's state (renewed per case; the wrapper reads it on every call). */
  readonly state: () => CaseState;
  readonly where: Locator;
  /** A brand check for native promises that runs no untrusted code (node:util types.isPromise). */
  readonly isPromise: (value: unknown) => boolean;
  /** Called as each function starts (the child reports a change, so a time-out can name it). */
  readonly onCall?: (name: string) => void;
  /** What the student calls these functions in messages: `handler`, `callout`, `policy`. */
  readonly noun: string;
}

/**
 * Call `fn` on `self` with `args` under the guard. Returns `copyOut(returned)` (run inside the guard, so a
 * getter or proxy it reads is caught too), or undefined without it. Throws a trusted Error after any
 * failure, or the trusted signal that went through a facade.
 */
export function guardedCall<R = undefined>(
  ctx: GuardContext, name: string, fn: (...args: unknown[]) => unknown, self: unknown, args: readonly unknown[], copyOut?: (returned: unknown) => R,
): R | undefined {
  const current = ctx.state();
  if (current.failure) throw new Error(`${ctx.noun} ${name} not called: the case already failed`);
  ctx.onCall?.(name);
  current.signal = undefined;
  let threw = false;
  let thrown: unknown;
  let returned: unknown;
  try {
    returned = Reflect.apply(fn, self, args);
  } catch (e) {
    threw = true;
    thrown = e;
  }
  if (threw) {
    // Trusted code raised something through a facade (raise(), a guest page fault, a machine check): its own signal goes back.
    if (current.signal !== undefined && !current.failure) throw current.signal;
    if (thrown === OUTPUT_EXCEEDED) current.failure ??= { status: "output", message: "" };
    else current.failure ??= { status: "handler-error", message: `Your \`${name}\` ${ctx.noun} threw ${describeThrown(thrown, ctx.where)}` };
  }
  if (!threw && typeof returned === "object" && returned !== null && ctx.isPromise(returned)) {
    try {
      Reflect.apply(Promise.prototype.then, returned, [undefined, () => undefined]); // its rejection is this failure, not an unhandled one
    } catch {
      // a hostile promise: the failure below stands
    }
    current.failure ??= {
      status: "handler-error",
      message: `Your \`${name}\` ${ctx.noun} is async (it returned a promise): ${ctx.noun}s must be plain synchronous functions. Remove \`async\` and \`await\`.`,
    };
  }
  if (current.failure) throw new Error(`${ctx.noun} ${name} failed`);
  if (!copyOut) return undefined; // the return value is never read: a proxy or a getter there cannot run
  try {
    return copyOut(returned);
  } catch (e) {
    current.failure ??= { status: "handler-error", message: `Reading what your \`${name}\` ${ctx.noun} returned failed: ${describeThrown(e, ctx.where)}` };
    throw new Error(`${ctx.noun} ${name} failed`);
  }
}

/** Errors a facade itself raises (a bad argument), as opposed to trusted code's own signals. */
export const facadeErrors = new WeakSet<object>();

/** A number for trusted code: primitives pass (the callee checks ranges); objects never reach it, so no valueOf runs there. */
export function prim(value: unknown, what: string): number {
  if (typeof value === "object" || typeof value === "function") {
    const error = new TypeError(`${what} expects a number, but got ${value === null ? "null" : typeof value}`);
    facadeErrors.add(error);
    throw error;
  }
  return value as number;
}

/**
 * Like guardedCall, for functions whose throw is a result rather than a failure (lab 04's operations throw
 * where the kernel would fail): a throw comes back as `{ ok: false, error }` in words, and so does a
 * return value `copyOut` refuses. A promise, too much output, or a case that already failed is still the
 * case's failure (recorded in its state, as guardedCall does).
 */
export function guardedTry<R>(
  ctx: GuardContext, name: string, fn: (...args: unknown[]) => unknown, self: unknown, args: readonly unknown[], copyOut: (returned: unknown) => R,
): { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: string } {
  const current = ctx.state();
  if (current.failure) return { ok: false, error: `${name} not called: the case already failed` };
  ctx.onCall?.(name);
  let returned: unknown;
  try {
    returned = Reflect.apply(fn, self, args);
    if (typeof returned === "object" && returned !== null && ctx.isPromise(returned)) {
      try {
        Reflect.apply(Promise.prototype.then, returned, [undefined, () => undefined]);
      } catch {
        // a hostile promise: the failure below stands
      }
      current.failure ??= { status: "handler-error", message: `Your \`${name}\` is async (it returned a promise): the lab's functions must be plain synchronous functions. Remove \`async\` and \`await\`.` };
      return { ok: false, error: "returned a promise" };
    }
    return { ok: true, value: copyOut(returned) };
  } catch (e) {
    if (e === OUTPUT_EXCEEDED) {
      current.failure ??= { status: "output", message: "" };
      return { ok: false, error: "printed too much" };
    }
    return { ok: false, error: describeThrown(e, ctx.where) };
  }
}
