// Plain comma-separated trace files read line by line, with every problem reported as file:line:column.
//
// The Azure Functions traces are plain CSV: a header line, no quoted fields, no embedded commas. This reader
// keeps to that, so it can say exactly where a row goes wrong instead of guessing what a quote meant.
import { VmlabError } from "../core/errors.js";

/** A problem in a trace file, with its place. */
export class TraceError extends VmlabError {
  constructor(message: string, where: { file: string; line: number; column?: number }, hint?: string) {
    super("TRACE_BAD_ROW", message, { where, ...(hint === undefined ? {} : { hint }) });
  }
}

/** One data row: its fields and where it stands. */
export interface CsvRow {
  readonly fields: string[];
  /** 1-based line number in the file. */
  readonly line: number;
}

/** A parsed file: its header and data rows (blank lines skipped). */
export interface CsvFile {
  readonly file: string;
  readonly header: string[];
  readonly rows: CsvRow[];
}

/** Splits a whole CSV text into header and rows; a file without a header line is an error naming the file. */
export function parseCsv(text: string, file: string): CsvFile {
  const lines = text.split("\n");
  let headerLine = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "") {
      headerLine = i;
      break;
    }
  }
  if (headerLine < 0) throw new TraceError("the file is empty: a trace needs a header line and rows", { file, line: 1 });
  const header = splitLine(lines[headerLine]!);
  const rows: CsvRow[] = [];
  for (let i = headerLine + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === "") continue;
    rows.push({ fields: splitLine(raw), line: i + 1 });
  }
  return { file, header, rows };
}

function splitLine(line: string): string[] {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  return text.split(",");
}

/** The 1-based column where field `index` of a row starts (for carets and messages). */
export function columnOf(fields: readonly string[], index: number): number {
  let column = 1;
  for (let i = 0; i < index && i < fields.length; i++) column += fields[i]!.length + 1;
  return column;
}

/** Checks that the header starts with the expected names; returns their indexes. */
export function expectHeader(csv: CsvFile, expected: readonly string[], schema: string): void {
  for (let i = 0; i < expected.length; i++) {
    const got = csv.header[i]?.trim();
    if (got !== expected[i]) {
      throw new TraceError(
        `column ${i + 1} of the header is '${got ?? ""}', expected '${expected[i]}' for ${schema}`,
        { file: csv.file, line: 1, column: columnOf(csv.header, i) },
        `the ${schema} header begins ${expected.slice(0, Math.min(expected.length, 6)).join(",")}${expected.length > 6 ? ",…" : ""}`,
      );
    }
  }
}

/** Checks a row's field count. */
export function expectFieldCount(csv: CsvFile, row: CsvRow, count: number): void {
  if (row.fields.length !== count) {
    throw new TraceError(
      `the row has ${row.fields.length} fields, the header ${count}`,
      { file: csv.file, line: row.line },
      row.fields.length < count ? "the line looks cut short (an interrupted download?)" : "a field holds an extra comma",
    );
  }
}

/** A field as a finite number ≥ 0, or a TraceError pointing at it. */
export function numberField(csv: CsvFile, row: CsvRow, index: number, what: string, options: { integer?: boolean } = {}): number {
  const text = row.fields[index]!.trim();
  const value = text === "" ? NaN : Number(text);
  if (!Number.isFinite(value) || value < 0 || (options.integer && !Number.isInteger(value))) {
    throw new TraceError(
      `${what} is '${text}', not ${options.integer ? "a whole number" : "a number"} ≥ 0`,
      { file: csv.file, line: row.line, column: columnOf(row.fields, index) },
    );
  }
  return value;
}

/** A field that must not be empty (ids). */
export function idField(csv: CsvFile, row: CsvRow, index: number, what: string): string {
  const text = row.fields[index]!.trim();
  if (text === "") throw new TraceError(`${what} is empty`, { file: csv.file, line: row.line, column: columnOf(row.fields, index) });
  return text;
}
