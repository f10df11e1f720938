// The trap harness inside the sandbox child: the runtime `vmlab` module, the handlers found and wrapped, and each case run.
//
// A lab 01 submission exports `handlers`, an object of handler functions (src/vmm/api.ts TrapHandlers).
// The handler functions are read once (a getter or proxy read later could change them), checked against
// HANDLER_NAMES with a did-you-mean, and each wrapped in a guarded call (guarded-call.ts) that hands the
// student a facade of the VirtualCpu (facade.ts) for the duration of the call.
import { HANDLER_NAMES, type GuestEvent, type HandlerName, type TrapHandlers, type VirtualCpu } from "../../../../src/vmm/api.js";
import { didYouMean } from "../../../../src/core/suggest.js";
import * as arch from "../../../../src/isa/arch.js";
import { describeKind, describeThrown, displayName, missingExport, type LoadFailure, type Locator } from "../compartment.js";
import { guardedCall, prim, type GuardContext } from "../guarded-call.js";
import type { CaseRunOptions, ChildHarness } from "../harness.js";
import { capText, type SandboxCaseResult, type WireCase } from "../protocol.js";
import { fromWire, type TrapInput } from "./wire.js";
import { isTrapApiSpecifier } from "./api-specifier.js";
import { caseMemory, runTrapCase } from "./case.js";
import type { MemorySource } from "../../../../src/machine/memory.js";
import { copyEvent, makeFacade } from "./facade.js";

/** The runtime side of `vmlab` in the sandbox: deep copies of the constants, pure functions behind primitive-only wrappers. */
export function runtimeApi(): object {
  const out: Record<string, unknown> = { HANDLER_NAMES: [...HANDLER_NAMES] };
  for (const [name, value] of Object.entries(arch)) {
    if (typeof value === "function") {
      const fn = value as (...args: number[]) => unknown;
      out[name] = (...args: unknown[]) => fn(...args.map((a, i) => prim(a, `${name} argument ${i + 1}`)));
    } else out[name] = structuredClone(value);
  }
  return harden(out);
}

export type Found =
  | { readonly ok: true; readonly handlers: ReadonlyMap<HandlerName, (...args: unknown[]) => unknown>; readonly self: unknown }
  | LoadFailure;

/** Snapshot the handler functions once: later reads of a proxy or getter could change them. */
export function findHandlers(exported: unknown, exportName: string, js: Readonly<Record<string, string>>, entry: string, where: Locator): Found {
  const file = displayName(where.maps, entry);
  if (exported === undefined) return missingExport(js, entry, exportName, where, `export const ${exportName}: TrapHandlers = { ... };`);
  if (typeof exported !== "object" || exported === null) {
    return { ok: false, status: "missing-export", message: `\`${exportName}\` in ${file} must be an object of handler functions, but it is ${describeKind(exported)}.` };
  }
  const handlers = new Map<HandlerName, (...args: unknown[]) => unknown>();
  try {
    for (const name of HANDLER_NAMES) {
      const value: unknown = (exported as Record<string, unknown>)[name];
      if (value === undefined) continue;
      if (typeof value !== "function") {
        return { ok: false, status: "missing-export", message: `\`${exportName}.${name}\` must be a function, but it is ${describeKind(value)}.` };
      }
      handlers.set(name, value as (...args: unknown[]) => unknown);
    }
    const keys = Reflect.ownKeys(exported).filter((k): k is string => typeof k === "string");
    const known = new Set<string>(HANDLER_NAMES);
    for (const key of keys) {
      if (known.has(key)) continue;
      const hint = didYouMean(key, HANDLER_NAMES, { ignoreCase: true });
      if (hint) {
        return { ok: false, status: "missing-export", message: `\`${exportName}.${capText(key, 40)}\` is not a handler name: ${hint.replace(/'/g, "`")} The monitor would never call it.` };
      }
    }
  } catch (e) {
    return { ok: false, status: "load-error", message: `Reading \`${exportName}\` from ${file} failed: ${describeThrown(e, where)}` };
  }
  return { ok: true, handlers, self: exported };
}


/** Wrap each student handler so the monitor only ever calls trusted code. */
export function wrapHandlers(found: ReadonlyMap<HandlerName, (...args: unknown[]) => unknown>, self: unknown, ctx: GuardContext): TrapHandlers {
  const handlers: Record<string, (vcpu: VirtualCpu, event?: GuestEvent) => void> = {};
  for (const [name, fn] of found) {
    handlers[name] = (vcpu: VirtualCpu, event?: GuestEvent) => {
      // The monitor hands each call a VirtualCpu of its own (revoked when the call returns), so each call gets its own view.
      const facade = makeFacade(vcpu, ctx.state);
      const args: unknown[] = name === "reflect" ? [facade.vcpu, copyEvent(event)] : [facade.vcpu];
      facade.open();
      try {
        guardedCall(ctx, name, fn, self, args);
      } finally {
        facade.close();
      }
    };
  }
  return harden(handlers) as TrapHandlers;
}

export const trapChild: ChildHarness = {
  runtimeApi,
  isApiSpecifier: isTrapApiSpecifier,
  bind(exported, { js, entry, exportName, ctx }) {
    const found = findHandlers(exported, exportName, js, entry, ctx.where);
    if (!found.ok) return found;
    const handlers = wrapHandlers(found.handlers, found.self, ctx);
    // One submission's cases run one after another on the same memory.
    const memory = caseMemory();
    return { ok: true, run: (c: WireCase, options) => runCase(c, handlers, options, memory.next()) };
  },
};

function runCase(c: WireCase, handlers: TrapHandlers, options: CaseRunOptions, memory: MemorySource): SandboxCaseResult {
  const input = c.input as unknown as TrapInput;
  return runTrapCase(c.id, fromWire(input.guest), handlers, { profile: input.profile, maxSteps: input.maxSteps, cost: options.cost, engine: options.engine, memory });
}

