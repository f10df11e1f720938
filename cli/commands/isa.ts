// `vmlab isa`: the instruction set reference card, printed from the instruction table itself.
import { type Command, Option } from "commander";
import { formSyntax } from "../../src/isa/assembler.js";
import { FAMILIES, INSTRUCTIONS, PROFILES, type InstructionSpec } from "../../src/isa/table.js";
import { didYouMean } from "../../src/core/suggest.js";
import { type CliContext, CliError, EXIT } from "../context.js";

/** One row of the reference card. */
export function isaRow(s: InstructionSpec) {
  return {
    syntax: formSyntax(s),
    name: s.name,
    opcode: "0x" + s.op.toString(16).padStart(2, "0"),
    size: s.size,
    cycles: s.cycles,
    family: s.family,
    strict: s.privilege.strict,
    x86: s.privilege.x86,
    summary: s.summary,
  };
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("isa")
    .description("the instruction set reference card: syntax, encoding, cost, privilege per profile, meaning")
    .addOption(new Option("--format <format>", "text, markdown or json").choices(["text", "markdown", "json"]).default("text"))
    .option("--family <family>", `only one family (${FAMILIES.join(", ")})`)
    .action((opts: { format: "text" | "markdown" | "json"; family?: string }) => {
      const family = opts.family;
      if (family !== undefined && !(FAMILIES as readonly string[]).includes(family)) {
        const near = didYouMean(family, FAMILIES);
        throw new CliError("CLI_UNKNOWN_FAMILY", `unknown instruction family '${family}'`, EXIT.USAGE, `${near ? `${near} ` : ""}families are ${FAMILIES.join(", ")}`);
      }
      const rows = INSTRUCTIONS.filter((s) => !opts.family || s.family === opts.family).map(isaRow);
      if (opts.format === "json") {
        ctx.stdout(JSON.stringify(rows) + "\n");
        return;
      }
      const head = ["syntax", "opcode", "bytes", "cycles", ...PROFILES, "meaning"];
      const cells = rows.map((r) => [r.syntax, r.opcode, String(r.size), String(r.cycles), r.strict, r.x86, r.summary]);
      if (opts.format === "markdown") {
        const esc = (t: string) => t.replace(/\|/g, "\\|");
        ctx.stdout([`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...cells.map((c) => `| ${c.map(esc).join(" | ")} |`)].join("\n") + "\n");
        return;
      }
      const widths = head.map((h, i) => Math.max(h.length, ...cells.slice(0).map((c) => (i < head.length - 1 ? c[i]!.length : 0))));
      const line = (c: string[]) => c.map((t, i) => (i < c.length - 1 ? t.padEnd(widths[i]!) : t)).join("  ");
      ctx.stdout([line(head), ...cells.map(line)].join("\n") + "\n");
    });
}
