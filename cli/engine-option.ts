// `--engine`: which engine the machines run on, for the grading commands (grade, grade-batch, lab validate) and for run and check.
import { Option } from "commander";
import { GRADER_ENGINE } from "../grader/src/sandbox/protocol.js";
import { ENGINE_NAMES } from "../src/engines/names.js";

/** `--engine`, its choices the engines' names (names.ts: the engines themselves load only where a machine runs). */
const engineOption = (help: string, fallback: string): Option => new Option("--engine <engine>", help).choices(ENGINE_NAMES).default(fallback);

/** The option of the grading commands, its default the grader's (the faster for grading). */
export function gradingEngineOption(): Option {
  return engineOption("the engine the cases' machines run on, here and in the sandbox (the results are the same on every engine; reference: the slow differential oracle)", GRADER_ENGINE);
}

/** The option of run and check: the engine of the real machine, natively and under trap-and-emulate (the binary-translation monitor runs on its own translator). */
export function machineEngineOption(): Option {
  return engineOption("the engine the real machine runs on, natively and under trap-and-emulate (the bt monitor runs on its own translator; reference: the slow differential oracle)", "interpreter");
}
