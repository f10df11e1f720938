// The layout pass: an address for every statement. An instruction's size depends only on its form, so every label is known after it.
import { Fail, hex, type Report } from "./diagnostics.js";
import { directiveSize } from "./directives.js";
import { chooseForm, type KnownMacros } from "./forms.js";
import { ADDRESS_LIMIT, WORD_BYTES } from "./limits.js";
import type { SymbolTable } from "./symbols.js";
import type { Stmt } from "./syntax.js";

/** Give each statement its address and size, define its labels, and choose each instruction's form; bad statements are marked. */
export function layout(stmts: readonly Stmt[], origin: number, symbols: SymbolTable, report: Report, macros: KnownMacros): void {
  let pc = origin;
  for (const s of stmts) {
    s.address = pc;
    try {
      for (const l of s.labels) symbols.label(l.name, pc, s.at, l.col, l.len);
      const b = s.body;
      if (!b) continue;
      if (b.kind === "const") {
        const sym = symbols.constantAt(b.name, s.at);
        if (sym) sym.dot = pc;
        continue;
      }
      let next: number | undefined;
      if (b.kind === "insn") {
        s.form = chooseForm(b, s.at, macros);
        s.size = s.form.size;
        if (pc % WORD_BYTES !== 0) {
          report.add(new Fail("ASM_MISALIGNED", `instruction at ${hex(pc)} is not ${WORD_BYTES}-byte aligned`, s.at, b.col, b.len,
            `instructions must start at a multiple of ${WORD_BYTES}: put '.align ${WORD_BYTES}' before it`));
        }
      } else {
        const d = directiveSize(b, s, pc, symbols);
        s.size = d.size;
        next = d.org;
      }
      if (pc + s.size > ADDRESS_LIMIT) {
        throw new Fail("ASM_ADDRESS_RANGE", `output at ${hex(pc)} runs past the end of the 32-bit address space`, s.at, b.col, b.len);
      }
      pc = next ?? pc + s.size;
    } catch (err) {
      s.bad = true;
      s.size = 0;
      report.caught(err, s.at);
    }
  }
}
