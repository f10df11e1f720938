// The containers harness inside the sandbox child: the submission's `lab` object checked and bound, each case run on layers the child owns.
//
// A lab 04 submission exports `lab`, an object of functions (src/containers/lab-api.ts ContainersLab).
// The functions are read once (a getter or proxy read later could change them), checked against the
// names the API declares with a did-you-mean, and called only through `guardedTry`: a throw is the
// operation's own result (an operation on a missing parent must throw), while a promise, too much output
// or a bad return value is a failure of the case. The layers, the counting of bytes and the comparison with
// the model's expectation (computed in the grader's process and sent with the case) are trusted code.
import { didYouMean } from "../../../../src/core/suggest.js";
import { CONTAINERS_LAB_FUNCTIONS } from "../../../../src/containers/lab-api.js";
import { formatLabDivergence, runCpuCase, runFsCase, type LabCall, type LabCaseOutcome } from "../../../../src/containers/lab-run.js";
import { describeKind, describeThrown, displayName, missingExport } from "../compartment.js";
import { guardedTry } from "../guarded-call.js";
import type { ChildHarness } from "../harness.js";
import { capText, type SandboxCaseResult, type WireCase } from "../protocol.js";
import { isContainersApiSpecifier } from "./api-specifier.js";
import type { ContainersInput } from "./wire.js";

type Fn = (...args: unknown[]) => unknown;

/** The runtime side of `vmlab` in the sandbox: the API is types only, apart from the list of function names. */
function runtimeApi(): object {
  return harden({ CONTAINERS_LAB_FUNCTIONS: [...CONTAINERS_LAB_FUNCTIONS] });
}

const seal = <T extends object>(o: T): T => harden(o);

export const containersChild: ChildHarness = {
  runtimeApi,
  isApiSpecifier: isContainersApiSpecifier,
  bind(exported, { js, entry, exportName, ctx }) {
    const file = displayName(ctx.where.maps, entry);
    if (exported === undefined) return missingExport(js, entry, exportName, ctx.where, `export const ${exportName}: ContainersLab = { lookup, list, write, append, mkdir, remove, commit, allocateCpu };`);
    if (typeof exported !== "object" || exported === null) {
      return { ok: false, status: "missing-export", message: `\`${exportName}\` in ${file} must be an object of the lab's functions, but it is ${describeKind(exported)}.` };
    }
    const fns = new Map<string, Fn>();
    try {
      for (const name of CONTAINERS_LAB_FUNCTIONS) {
        const value: unknown = (exported as Record<string, unknown>)[name];
        if (typeof value !== "function") {
          const hint = Reflect.ownKeys(exported).filter((k): k is string => typeof k === "string").map((k) => didYouMean(k, [name], { ignoreCase: true })).find((h) => h);
          return { ok: false, status: "missing-export", message: `\`${exportName}.${name}\` must be a function, but it is ${describeKind(value)}.${hint ? ` (${capText(hint.replace(/'/g, "`"), 120)})` : ""}` };
        }
        fns.set(name, value as Fn);
      }
    } catch (e) {
      return { ok: false, status: "load-error", message: `Reading \`${exportName}\` from ${file} failed: ${describeThrown(e, ctx.where)}` };
    }
    const call: LabCall = (name, args, copyOut) => guardedTry(ctx, name, fns.get(name)!, exported, args, copyOut);
    return { ok: true, run: (c: WireCase) => runCase(c, call) };
  },
};

function runCase(c: WireCase, call: LabCall): SandboxCaseResult {
  const input = c.input as unknown as ContainersInput;
  const outcome: LabCaseOutcome = input.case.kind === "overlay" ? runFsCase(call, input.case, input.expected as never, seal) : runCpuCase(call, input.case, input.expected as never, seal);
  const ops = input.case.kind === "overlay" ? input.case.ops.length : 0;
  return {
    id: c.id, status: "ok", equivalent: outcome.ok,
    ...(outcome.divergence ? { divergence: { message: formatLabDivergence(outcome.divergence, ops) } } : {}),
    cost: outcome.writtenBytes,
    counters: { calls: outcome.calls, operations: ops },
  };
}
