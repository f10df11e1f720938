// `vmlab guests`: the bundled guests, with what each one does.
import type { Command } from "commander";
import { listGuests } from "../../src/guests/index.js";
import type { CliContext } from "../context.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("guests")
    .description("list the bundled guests (run one with 'vmlab run NAME')")
    .option("--json", "print one JSON array")
    .action((opts: { json?: boolean }) => {
      const guests = listGuests();
      if (opts.json) {
        ctx.stdout(JSON.stringify(guests) + "\n");
        return;
      }
      const width = Math.max(...guests.map((g) => g.name.length));
      for (const g of guests) ctx.stdout(`${g.name.padEnd(width)}  ${g.kind.padEnd(7)}  ${g.description}\n`);
    });
}
