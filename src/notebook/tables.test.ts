// Tests for the notebook tables: registers, hexdump, counters, traces and records.
import { describe, expect, it } from "vitest";
import { countersTable, hexdump, recordsTable, registersTable, traceTable } from "./tables.js";

/** The HTML without the inline alignment styles, for assertions about structure. */
const unstyled = (html: string): string => html.replace(/ style="[^"]*"/g, "");

function bodyRows(html: string): string[] {
  return [...html.matchAll(/<tbody>(.*)<\/tbody>/g)].flatMap((m) => m[1]!.split("</tr>").filter((r) => r.length > 0));
}

describe("registersTable", () => {
  it("shows each register in hex and as a signed decimal", () => {
    const view = registersTable([{ name: "r1", value: 0xffffffff }, { name: "r2", value: 42 }]);
    expect(view.kind).toBe("html");
    expect(view.body).toContain('<td class="mono" style="text-align:left;vertical-align:top">r1</td>');
    expect(view.body).toContain("0xffffffff");
    expect(view.body).toContain(">-1<");
    expect(view.text).toMatch(/r2\s+0x0000002a\s+42/);
  });

  it("marks exactly the registers that changed since the previous state", () => {
    const view = registersTable(
      [{ name: "r1", value: 1 }, { name: "r2", value: 7 }],
      { previous: [{ name: "r1", value: 1 }, { name: "r2", value: 6 }] },
    );
    const rows = bodyRows(view.body);
    expect(rows[0]).not.toContain("changed");
    expect(rows[1]).toContain('class="changed"');
    expect(view.text.split("\n").filter((l) => l.startsWith("*"))).toHaveLength(1);
  });
});

describe("hexdump", () => {
  it("prints one line per 16 bytes with addresses from the origin and printable ASCII", () => {
    const bytes = new Uint8Array(20).map((_, i) => 0x41 + i);
    bytes[1] = 0x00;
    const view = hexdump(bytes, { origin: 0x1000 });
    const lines = view.text.split("\n").slice(3);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^0x00001000\s+41 00 43/);
    expect(lines[0]).toContain("A.CDEFGHIJKLMNOP");
    expect(lines[1]).toMatch(/^0x00001010\s+51 52 53 54\s+QRST$/);
  });

  it("marks the lines that contain the highlighted range", () => {
    const view = hexdump(new Uint8Array(48), { origin: 0x100, highlight: { start: 0x10e, length: 4 } });
    const rows = bodyRows(view.body);
    expect(rows.map((r) => r.includes('class="current"'))).toEqual([true, true, false]);
  });

  it("refuses a line width that is not a positive integer", () => {
    expect(() => hexdump([1, 2, 3], { width: 0 })).toThrow(/positive integer/);
  });
});

describe("countersTable", () => {
  it("renders a counters table with one row per counter, in the order given", () => {
    const view = countersTable({ traps: 12, emulated: 12, direct: 1500 });
    const rows = bodyRows(view.body);
    expect(rows).toHaveLength(3);
    expect(rows[2]).toContain("1,500");
    expect(view.text.split("\n").slice(3).map((l) => l.split(/\s+/)[0])).toEqual(["traps", "emulated", "direct"]);
  });

  it("adds a total row when asked", () => {
    const view = countersTable([{ name: "a", value: 2 }, { name: "b", value: 3 }], { total: true });
    expect(view.text).toMatch(/total\s+5$/);
  });
});

describe("traceTable", () => {
  it("marks the current instruction with an arrow and shows only the columns that have data", () => {
    const view = traceTable(
      [
        { pc: 0, text: "movi r1, 1" },
        { pc: 4, text: "cli", note: "trap → monitor" },
        { pc: 8, text: "hlt" },
      ],
      { current: 1 },
    );
    const rows = bodyRows(view.body);
    expect(rows[1]).toContain('class="current"');
    expect(rows[1]).toContain("▶");
    expect(rows[0]).not.toContain("▶");
    expect(unstyled(view.body)).not.toContain("<th>bytes</th>");
    expect(unstyled(view.body)).toContain("<th>note</th>");
    expect(view.text).toMatch(/^▶ +0x00000004\s+cli\s+trap → monitor$/m);
  });

  it("escapes instruction text so it cannot inject HTML", () => {
    const view = traceTable([{ pc: 0, text: "<script>x</script>" }]);
    expect(view.body).not.toContain("<script>");
    expect(view.body).toContain("&lt;script&gt;");
  });
});

describe("recordsTable", () => {
  it("uses the first record's keys as columns and writes booleans as yes/no", () => {
    const view = recordsTable([{ mnemonic: "POPF", sensitive: true, traps: false }]);
    expect(unstyled(view.body)).toContain("<th>mnemonic</th><th>sensitive</th><th>traps</th>");
    expect(view.text).toMatch(/POPF\s+yes\s+no/);
  });

  it("aligns every cell itself, so Jupyter's stylesheet (which right-aligns td) cannot: text left, numbers right", () => {
    const view = recordsTable([{ form: "POPF", behaviour: "FLAGS ← pop: status bits always, IF where CPL ≤ IOPL", cycles: 3 }]);
    const cells = [...view.body.matchAll(/<(td|th)( [^>]*)?>/g)].map((m) => m[2] ?? "");
    expect(cells).toHaveLength(6);
    expect(cells.map((a) => /text-align:(left|right)/.exec(a!)?.[1])).toEqual(["left", "left", "right", "left", "left", "right"]);
  });

  it("marks the rows the mark function picks", () => {
    const records = [{ m: "CLI", bad: false }, { m: "POPF", bad: true }];
    const view = recordsTable(records, { mark: (r) => (r.bad ? "error" : undefined) });
    expect(bodyRows(view.body).map((r) => r.includes('class="error"'))).toEqual([false, true]);
  });
});
