// A small table model rendered two ways: scoped HTML for notebooks and aligned plain text for terminals.
import { escapeHtml, html, type Rendered } from "./rendered.js";

/** One column of a table: its heading and how its cells line up. */
export interface Column {
  readonly heading: string;
  readonly align?: "left" | "right" | "center";
  /** Render the cells in a fixed-width font (addresses, hex, assembly). */
  readonly mono?: boolean;
}

/** One row: its cells in column order, and an optional mark. */
export interface Row {
  readonly cells: readonly string[];
  /** "current" draws the row as the instruction about to run (with an arrow); "changed" as a value that just changed. */
  readonly mark?: "current" | "changed" | "error";
}

/** Everything needed to draw a table. */
export interface TableModel {
  readonly caption?: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** Shown in place of the body when there are no rows. */
  readonly empty?: string;
}

/** CSS shared by every vmlab table; class names are prefixed so they never clash with the notebook's own styles. */
export const TABLE_STYLE = [
  ".vmlab-table{border-collapse:collapse;font-family:system-ui,sans-serif;font-size:13px;margin:4px 0}",
  ".vmlab-table caption{caption-side:top;text-align:left;font-weight:600;padding:2px 0 4px}",
  ".vmlab-table th,.vmlab-table td{border:1px solid #c8c8c8;padding:2px 8px}",
  ".vmlab-table th{background:#f0f0f0}",
  ".vmlab-table .mono{font-family:ui-monospace,Menlo,Consolas,monospace}",
  ".vmlab-table tr.current td{background:#fff3b0;font-weight:600}",
  ".vmlab-table tr.changed td{background:#d9f2d9}",
  ".vmlab-table tr.error td{background:#f9d6d5}",
].join("");

/**
 * Every cell states its alignment inline: Jupyter's own stylesheet right-aligns table cells
 * (`.jp-RenderedHTMLCommon td { text-align: right }`) and its selectors outrank a scoped style block, but
 * not an element's own style, so text columns stay left-aligned in JupyterLab, Notebook and exported HTML.
 */
function cellAttributes(column: Column): string {
  const classes = column.mono ? ' class="mono"' : "";
  return `${classes} style="text-align:${column.align ?? "left"};vertical-align:top"`;
}

/** Renders the table as an HTML fragment with its own scoped style block. */
export function tableHtml(model: TableModel): string {
  const caption = model.caption ? `<caption>${escapeHtml(model.caption)}</caption>` : "";
  const head = "<tr>" + model.columns.map((c) => `<th style="text-align:${c.align ?? "left"}">${escapeHtml(c.heading)}</th>`).join("") + "</tr>";
  const body =
    model.rows.length === 0
      ? `<tr><td colspan="${model.columns.length}"><em>${escapeHtml(model.empty ?? "(no rows)")}</em></td></tr>`
      : model.rows
          .map((row) => {
            const mark = row.mark ? ` class="${row.mark}"` : "";
            const arrow = row.mark === "current" ? "▶ " : "";
            const cells = model.columns.map(
              (column, i) => `<td${cellAttributes(column)}>${i === 0 ? arrow : ""}${escapeHtml(row.cells[i] ?? "")}</td>`,
            );
            return `<tr${mark}>${cells.join("")}</tr>`;
          })
          .join("");
  return `<style>${TABLE_STYLE}</style><table class="vmlab-table">${caption}<thead>${head}</thead><tbody>${body}</tbody></table>`;
}

const TEXT_MARKS: Record<NonNullable<Row["mark"]>, string> = { current: "▶", changed: "*", error: "!" };

/** Renders the table as aligned plain text; marked rows get a marker in a leading gutter. */
export function tableText(model: TableModel): string {
  const hasMarks = model.rows.some((r) => r.mark);
  const widths = model.columns.map((c, i) => Math.max(c.heading.length, ...model.rows.map((r) => (r.cells[i] ?? "").length)));
  const pad = (text: string, i: number): string => {
    const column = model.columns[i]!;
    return column.align === "right" ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  };
  const gutter = (mark?: Row["mark"]): string => (hasMarks ? (mark ? TEXT_MARKS[mark] : " ") + " " : "");
  const lines: string[] = [];
  if (model.caption) lines.push(model.caption);
  lines.push(gutter() + model.columns.map((c, i) => pad(c.heading, i)).join("  ").trimEnd());
  lines.push(gutter() + widths.map((w) => "-".repeat(w)).join("  "));
  if (model.rows.length === 0) lines.push(gutter() + (model.empty ?? "(no rows)"));
  for (const row of model.rows) {
    lines.push(gutter(row.mark) + model.columns.map((_, i) => pad(row.cells[i] ?? "", i)).join("  ").trimEnd());
  }
  return lines.join("\n");
}

/** Renders a table model as a display-ready view. */
export function renderTable(model: TableModel): Rendered {
  return html(tableHtml(model), tableText(model));
}
