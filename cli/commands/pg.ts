// `vmlab pg --profile strict|x86`: classify every instruction form by experiment and apply Popek and Goldberg's Theorems 1 and 3.
import type { Command } from "commander";
import { classify, type Classification, type InstructionVerdict } from "../../src/analysis/pg.js";
import { didYouMean } from "../../src/core/suggest.js";
import { PROFILES, type Profile } from "../../src/isa/table.js";
import { type CliContext, CliError, EXIT } from "../context.js";
import { counted, noun } from "../../src/core/plural.js";

interface PgOptions {
  profile: string;
  json?: boolean;
  evidence?: boolean;
}

/** Check a --profile value, with a did-you-mean hint for a near miss. */
export function parseProfile(value: string): Profile {
  if ((PROFILES as readonly string[]).includes(value)) return value as Profile;
  const hint = didYouMean(value, PROFILES, { maxDistance: 3 }) ?? `profiles are ${PROFILES.join(", ")}`;
  throw new CliError("CLI_UNKNOWN_PROFILE", `unknown profile '${value}'`, EXIT.USAGE, hint);
}

function verdictText(v: InstructionVerdict): string {
  if (v.always_traps) return "traps in every mode";
  if (v.privileged) return v.sensitive ? "privileged (sensitive)" : "privileged";
  if (v.sensitive) return "SENSITIVE, NOT PRIVILEGED";
  return "innocuous";
}

const yes = (b: boolean) => (b ? "yes" : "-");

/** The human report: a table, the two theorems' verdicts and the violations by group. */
export function formatClassification(c: Classification, options: { evidence?: boolean } = {}): string {
  const header = ["form", "instruction", "privileged", "control-sensitive", "behaviour-sensitive", "user-sensitive", "verdict"];
  const rows = c.instructions.map((v) => [v.name, v.form, yes(v.privileged), yes(v.control_sensitive), yes(v.behavior_sensitive), yes(v.user_sensitive), verdictText(v)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ");
  const out: string[] = [];
  out.push(`Popek–Goldberg classification of the ${c.profile} profile, by experiment: every form ran in ${c.configurations.length} configurations that differ only in privileged state`);
  out.push("");
  out.push(line(header));
  out.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (let i = 0; i < rows.length; i++) {
    out.push(line(rows[i]!));
    if (options.evidence) for (const e of c.instructions[i]!.evidence) out.push(`    ${e}`);
  }
  out.push("");
  const sensitive = c.instructions.filter((v) => v.sensitive).length;
  const privileged = c.instructions.filter((v) => v.privileged).length;
  out.push(`${counted(c.instructions.length, "form")}: ${privileged} privileged, ${sensitive} sensitive.`);
  out.push(
    c.virtualizable
      ? "Theorem 1 (sensitive ⊆ privileged): holds — a trap-and-emulate monitor can be built for this profile."
      : `Theorem 1 (sensitive ⊆ privileged): fails — ${counted(c.violations.length, "sensitive instruction")} ${noun(c.violations.length, "does", "do")} not trap in user mode: ${c.violations.join(", ")}.`,
  );
  out.push(
    c.hybridVirtualizable
      ? "Theorem 3 (user-sensitive ⊆ privileged): holds — a hybrid monitor (interpreting virtual supervisor mode) can be built."
      : `Theorem 3 (user-sensitive ⊆ privileged): fails — ${counted(c.hybridViolations.length, "instruction")} ${noun(c.hybridViolations.length, "is", "are")} sensitive even in user mode and ${noun(c.hybridViolations.length, "does", "do")} not trap: ${c.hybridViolations.join(", ")}.`,
  );
  if (c.violations.length) {
    out.push("");
    out.push("Violations by Robin & Irvine's groups (USENIX Security 2000):");
    out.push(`  sensitive-register: ${c.groups["sensitive-register"].join(", ") || "-"}`);
    out.push(`  protection-system:  ${c.groups["protection-system"].join(", ") || "-"}`);
    if (c.groups.ungrouped.length) out.push(`  (no group):         ${c.groups.ungrouped.join(", ")}`);
  }
  if (!options.evidence) out.push("", "Run with --evidence to see what each experiment observed.");
  return out.join("\n") + "\n";
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("pg")
    .description("classify every instruction by experiment (privileged, control- and behaviour-sensitive) and apply Popek–Goldberg's Theorems 1 and 3")
    .option("--profile <profile>", `ISA profile (${PROFILES.join(" or ")})`, "strict")
    .option("--json", "print one JSON object instead of text")
    .option("--evidence", "under each form, print what the experiment observed")
    .action((opts: PgOptions) => {
      const profile = parseProfile(opts.profile);
      const c = classify(profile);
      if (opts.json) ctx.stdout(JSON.stringify(c) + "\n");
      else ctx.stdout(formatClassification(c, { evidence: opts.evidence }));
    });
}
