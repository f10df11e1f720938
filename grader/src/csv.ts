// CSV as gradebooks and rosters use it (RFC 4180): quote a field when it needs it, and read a file into rows with their line numbers.
import { GraderError } from "./errors.js";

/** Quote a CSV field when it needs it. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line of fields, joined. */
export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(",");
}

/** A data row of a CSV file: its fields by lower-cased header name, and the line it starts on (1-based). */
export interface CsvRow {
  readonly line: number;
  readonly fields: Readonly<Record<string, string>>;
}

/** Split CSV text into records of fields (quoted fields may hold commas, quotes and newlines); each record with the line it starts on. */
export function parseCsvRecords(text: string, file: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let atFieldStart = true;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      atFieldStart = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.some((f) => f.trim() !== "")) records.push({ line: start, fields });
      fields = [];
      field = "";
      atFieldStart = true;
      line++;
      start = line;
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  if (quoted) throw new GraderError("GRADE_BAD_INPUT_FILE", `${file}:${start}: a quoted field is never closed`, { hint: 'close it with " (a quote inside a field is written "")' });
  fields.push(field);
  if (fields.some((f) => f.trim() !== "")) records.push({ line: start, fields });
  return records;
}

/**
 * Parse a CSV file with a header row into rows keyed by header name (lower-cased, trimmed; spaces and dashes
 * as underscores). Every name in `required` must be a column, found by any of its aliases.
 */
export function parseCsv(text: string, file: string, columns: Readonly<Record<string, readonly string[]>> = {}, required: readonly string[] = []): CsvRow[] {
  const records = parseCsvRecords(text, file);
  if (!records.length) throw new GraderError("GRADE_BAD_INPUT_FILE", `${file} is empty`, { hint: `start it with a header line naming the columns${required.length ? `, e.g. ${required.join(",")}` : ""}` });
  const norm = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, "_");
  const header = records[0]!.fields.map(norm);
  // The canonical name of each header cell, by alias.
  const canonical = header.map((h) => Object.entries(columns).find(([name, aliases]) => name === h || aliases.includes(h))?.[0] ?? h);
  const missing = required.filter((r) => !canonical.includes(r));
  if (missing.length) {
    throw new GraderError("GRADE_BAD_INPUT_FILE", `${file}:1: the header has no ${missing.join(", ")} column${missing.length === 1 ? "" : "s"} (it has ${header.join(", ")})`, {
      hint: `name the columns in the first line, e.g. ${[...required, ...Object.keys(columns).filter((c) => !required.includes(c))].join(",")}`,
    });
  }
  return records.slice(1).map((r) => ({ line: r.line, fields: Object.fromEntries(canonical.map((name, i) => [name, (r.fields[i] ?? "").trim()])) }));
}
