// The serverless harness inside the sandbox child: the runtime `vmlab` module, the policy found and wrapped, and each case's trace replayed with it.
//
// A lab 05 submission exports `policy`, a KeepAlivePolicy (src/serverless/policy-api.ts). Its functions are
// read once and wrapped (policy.ts); the platform — trusted code, imported before lockdown() — only ever
// calls the wrappers. A case passes when the whole trace ran with valid decisions.
import { AWS_KEEP_ALIVE_MS, AZURE_KEEP_ALIVE_MS } from "../../../../src/serverless/policy-api.js";
import type { ChildHarness } from "../harness.js";
import type { SandboxCaseResult, WireCase } from "../protocol.js";
import { isServerlessApiSpecifier } from "./api-specifier.js";
import { measureTrace } from "./case.js";
import { findPolicy, wrapPolicy } from "./policy.js";
import { traceFromWire, type ServerlessInput } from "./wire.js";

/** The runtime side of `vmlab` for lab 05: the policy API's constants (its types vanish when compiled). */
function runtimeApi(): object {
  return harden({ AWS_KEEP_ALIVE_MS, AZURE_KEEP_ALIVE_MS });
}

export const serverlessChild: ChildHarness = {
  runtimeApi,
  isApiSpecifier: isServerlessApiSpecifier,
  bind(exported, { js, entry, exportName, ctx }) {
    const methods = { ...ctx, noun: "method" };
    const found = findPolicy(exported, exportName, js, entry, methods);
    if (!found.ok) return found;
    return { ok: true, run: (c: WireCase) => runCase(c, () => wrapPolicy(found, methods), methods.state) };
  },
};

function runCase(c: WireCase, policy: () => ReturnType<typeof wrapPolicy>, state: () => { failure?: { message: string } }): SandboxCaseResult {
  const input = c.input as unknown as ServerlessInput;
  try {
    const m = measureTrace(traceFromWire(input.trace), policy());
    return { id: c.id, status: "ok", equivalent: true, cost: m.cost, metrics: { ...m.metrics }, counters: { ...m.counters } };
  } catch (e) {
    const failure = state().failure;
    if (failure) return { id: c.id, status: "handler-error", message: failure.message };
    throw e;
  }
}
