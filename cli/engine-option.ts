// `--engine` of the grading commands (grade, grade-batch, lab validate): which engine the machines of every case run on.
import { Option } from "commander";
import { GRADER_ENGINE } from "../grader/src/sandbox/protocol.js";
import { ENGINES } from "../src/engines/registry.js";

/** The option, its choices the engines registry's names, its default the grader's (the faster for grading). */
export function gradingEngineOption(): Option {
  return new Option("--engine <engine>", "the engine the cases' machines run on, here and in the sandbox (the results are the same on every engine; reference: the slow differential oracle)")
    .choices(ENGINES.map((e) => e.name))
    .default(GRADER_ENGINE);
}
