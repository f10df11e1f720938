// The error codes of the library's parts that raise plain VmlabErrors (guests, engines, the benchmark, the package root), each with its meaning.
//
// The assembler (src/isa/asm/codes.ts), the monitors (src/vmm/types.ts), the event engine
// (src/sim/errors.ts), the container model (src/containers/errors.ts), the serverless model
// (src/serverless/codes.ts), the grader (grader/src/errors.ts) and the CLI (cli/codes.ts) keep their own
// catalogues; test/error-codes.test.ts checks that every code raised anywhere is in one of them.

/** Codes raised as plain VmlabErrors by the library; each keeps its meaning once published. */
export const LIBRARY_CODES = {
  GUEST_UNKNOWN: "no bundled guest of that name",
  GUEST_BAD_OPTION: "a guest build option (USER_BASE, a define) is not a whole number or not page-aligned",
  GUEST_LAYOUT: "a guest's kernel and user program overlap or do not fit where they are placed",
  GUEST_MEMORY: "the guest needs more memory than the machine is given",
  ENGINE_UNKNOWN: "no engine of that name",
  ENGINE_UNKNOWN_HELPER: "an instruction template calls a machine method the helper registry does not declare",
  BENCH_UNKNOWN_KERNEL: "vmlab bench --only names a kernel that does not exist",
  BENCH_GUEST_FAILED: "a benchmark guest did not finish",
  BENCH_MISMATCH: "a benchmark guest and its JavaScript twin computed different results",
  VMLAB_NO_PACKAGE_ROOT: "no package.json named vmlab above the running code",
} as const;
export type LibraryCode = keyof typeof LIBRARY_CODES;
