// The type-checking side of each harness, by name: the sources behind a submission's `vmlab` module and which import specifiers name it — all the compile worker needs of a harness.
//
// Kept apart from the harnesses themselves (index.ts), whose case builders, baselines and scaffolds pull in
// the machine, the guests and the models: a compile worker that loads only this starts about 0.2
// CPU-seconds sooner. Each harness spreads its entry here into its own definition, so the two agree.
import { GraderError } from "../errors.js";
import { isBtApiSpecifier } from "../sandbox/bt/api-specifier.js";
import { isContainersApiSpecifier } from "../sandbox/containers/api-specifier.js";
import { isServerlessApiSpecifier } from "../sandbox/serverless/api-specifier.js";
import { isTrapApiSpecifier } from "../sandbox/trap/api-specifier.js";
import { readApiSources } from "./api-sources.js";
import type { ApiSources } from "./harness.js";

/** What a harness's submissions are type-checked against. */
export interface TypeApi {
  /** The type-checking API: what `import ... from "vmlab"` means in a submission. */
  apiSources(root: string): ApiSources;
  /** Does an import specifier of a submission name the API? (`vmlab`, and the relative spellings solutions/ uses.) */
  isApiSpecifier(specifier: string): boolean;
}

/** Trap labs: the handler API and the architecture constants. */
export const trapTypeApi: TypeApi = {
  apiSources: (root) => readApiSources(root, { "arch.ts": "isa/arch", "api.ts": "vmm/api" }),
  isApiSpecifier: isTrapApiSpecifier,
};

/** Binary-translation labs: the handler API, the translation policy API and the architecture constants. */
export const btTypeApi: TypeApi = {
  apiSources: (root) => readApiSources(root, { "arch.ts": "isa/arch", "api.ts": "vmm/api", "bt-api.ts": "vmm/bt-api" }),
  isApiSpecifier: isBtApiSpecifier,
};

/** Containers labs: the student API and the cgroup shape. */
export const containersTypeApi: TypeApi = {
  apiSources: (root) => readApiSources(root, { "lab-api.ts": "containers/lab-api", "cpu-group.ts": "containers/cpu-group" }),
  isApiSpecifier: isContainersApiSpecifier,
};

/** Serverless labs: the keep-alive policy API. */
export const serverlessTypeApi: TypeApi = {
  apiSources: (root) => readApiSources(root, { "policy-api.ts": "serverless/policy-api" }),
  isApiSpecifier: isServerlessApiSpecifier,
};

export const TYPE_APIS: Readonly<Record<string, TypeApi>> = { trap: trapTypeApi, bt: btTypeApi, containers: containersTypeApi, serverless: serverlessTypeApi };

/** The type-checking side of the harness of that name; LAB_INVALID (with the list) when there is none. */
export function typeApiOf(name: string): TypeApi {
  const api = TYPE_APIS[name];
  if (!api) throw new GraderError("LAB_INVALID", `harness '${name}' is not implemented`, { hint: `harnesses: ${Object.keys(TYPE_APIS).join(", ")}` });
  return api;
}
