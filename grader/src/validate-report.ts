// Validate reporter output against the published schemas (the project's result and Gradescope's results.json).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { GRADER_PATHS, packageRoot } from "./paths.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const compiled = new Map<string, ValidateFunction>();

function validator(schemaPath: string, root: string): ValidateFunction {
  const key = join(root, schemaPath);
  let v = compiled.get(key);
  if (!v) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    v = ajv.compile(JSON.parse(readFileSync(key, "utf8")) as object);
    compiled.set(key, v);
  }
  return v;
}

/** Problems of a value against one of the grader's published schemas (empty when valid). */
export function schemaProblems(kind: "result" | "gradescope", value: unknown, root: string = packageRoot()): string[] {
  const v = validator(kind === "result" ? GRADER_PATHS.resultSchema : GRADER_PATHS.gradescopeSchema, root);
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}
