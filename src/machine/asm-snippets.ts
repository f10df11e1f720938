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

/**
 * Ring-0 code that identity-maps virtual addresses [0, `end`) (a multiple of 4 KiB, at most 4 MiB) with
 * one page table, every page present, writable and user-accessible, and turns paging on. The page
 * directory sits at `directory` and the page table at `directory + 0x1000`; r1..r6 and r12 are clobbered.
 */
export function identityPaging(end: number, directory = 0x10000): string {
  return [
    `  mov r2, ${directory}`,
    `  mov r3, ${directory + 0x1000}`,
    "  or r1, r3, 7",
    "  st [r2], r1          ; PDE 0 → the page table",
    "  mov r4, 0",
    `  mov r12, ${end}`,
    ".identity_map:",
    "  or r6, r4, 7",
    "  st [r3], r6",
    "  add r3, r3, 4",
    "  add r4, r4, 4096",
    "  cmp r4, r12",
    "  jnz .identity_map",
    "  mov cr3, r2",
    "  mov r1, 0x80000001   ; PG | PE",
    "  mov cr0, r1",
  ].join("\n") + "\n";
}

/**
 * Ring-0 code that enters ring 3 at `label` through IRET, with FLAGS `flags` and the user stack pointer
 * `stack`: pushes SP, FLAGS, the ring-3 CS, the PC and an error slot, as an interrupt frame from ring 3
 * holds them. r1 is clobbered.
 */
export function iretToRing3(label: string, flags: number, stack: number): string {
  return [
    `  mov r1, ${stack}`,
    "  push r1",
    `  mov r1, ${flags}     ; FLAGS in ring 3`,
    "  push r1",
    "  mov r1, 0x1b          ; user CS: ring 3",
    "  push r1",
    `  mov r1, ${label}`,
    "  push r1",
    "  mov r1, 0             ; error slot",
    "  push r1",
    "  iret",
  ].join("\n") + "\n";
}

/**
 * A whole ring-0 guest that counts timer ticks: a gate for IRQ0, the timer every `period` instructions,
 * then STI; HLT; CLI until `ticks` have come; it prints the count and powers off.
 */
export function timerTicksKernel(period: number, ticks: number): string {
  return `
_start:
  mov sp, 0x2000
  mov r1, idt
  lidt r1
  mov r2, tick
  st [r1 + 256], r2
  mov r2, 1
  st [r1 + 260], r2
  mov r1, ${period}
  out 0x40, r1
  mov r5, 0
idle:
  sti
  hlt
  cli
  cmp r5, ${ticks}
  jl idle
  out 0x11, r5
  out 0xF0, r0
tick:
  add r5, r5, 1
  iret
  .align 8
idt:
  .space 2048
`;
}
