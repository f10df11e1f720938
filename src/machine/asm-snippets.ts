// Small assembly snippets for tests, notebooks and examples: a kernel entry with an IDT and a stack.

/** Where `kernelEntry` puts the IDT and the kernel stack. */
export const SNIPPET_IDT = 0x1000;
export const SNIPPET_STACK = 0x8000;

/**
 * `_start:` for a ring-0 kernel: gates for the given vectors (present, DPL 0) pointing at the given
 * labels, LIDT, a stack at 0x8000. Execution continues with the next line of the source.
 */
export function kernelEntry(gates: Readonly<Record<number, string>>): string {
  const lines = ["_start:", `  mov r2, ${SNIPPET_IDT}`];
  for (const [vector, label] of Object.entries(gates)) {
    lines.push(`  mov r1, ${label}`, `  st [r2 + ${Number(vector) * 8}], r1`, "  mov r1, 1", `  st [r2 + ${Number(vector) * 8 + 4}], r1`);
  }
  lines.push("  lidt r2", `  mov sp, ${SNIPPET_STACK}`);
  return lines.join("\n") + "\n";
}
