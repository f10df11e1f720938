// `vmlab lab new`: a new lab folder — lab.yaml, and what the lab's harness starts a lab with (README, a solution with regions, its starter, guests, a hidden suite).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { GraderError } from "../errors.js";
import { GRADER_PATHS } from "../paths.js";
import { harnessOf } from "../harnesses/index.js";

export const LAB_ID = /^[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*$/;

/** Create exercises/<id>/, solutions/<id>/ and grader/labs/<id>/; refuses to overwrite anything. */
export function scaffoldLab(root: string, id: string, harnessName: string, title?: string): string[] {
  if (!LAB_ID.test(id)) throw new GraderError("LAB_INVALID", `lab id '${id}' is not two digits, a dash and lowercase words`, { hint: "e.g. vmlab lab new 02-binary-translation --harness trap" });
  const harness = harnessOf(harnessName);
  const dirs = [join(root, GRADER_PATHS.exercises, id), join(root, GRADER_PATHS.solutions, id), join(root, GRADER_PATHS.hiddenLabs, id)];
  const existing = dirs.filter((d) => existsSync(d));
  if (existing.length) throw new GraderError("LAB_EXISTS", `lab ${id} already exists: ${existing.join(", ")}`, { hint: "pick another id, or edit the existing lab" });
  const name = title ?? id.slice(3).split("-").map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(" ");
  const files: Record<string, string> = {
    [`${GRADER_PATHS.exercises}/${id}/lab.yaml`]: `# yaml-language-server: $schema=../../grader/schema/lab.schema.json
id: ${id}
title: ${name}
harness: ${harness.name}
${harness.scaffoldYaml(id)}`,
    ...harness.scaffold(id, name),
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return Object.keys(files);
}
