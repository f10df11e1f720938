// The serverless model's error codes, each with its meaning.

/** Codes the serverless model raises; each keeps its meaning once published. */
export const SERVERLESS_CODES = {
  SIM_BAD_PARAMETER: "a model parameter cannot be right: a negative time, a zero rate, an unknown policy",
  TRACE_BAD_ROW: "a row of a trace file is malformed (its file and line are given)",
  TRACE_NO_FILE: "the trace file or dataset folder does not exist or holds no trace",
} as const;
export type ServerlessCode = keyof typeof SERVERLESS_CODES;
