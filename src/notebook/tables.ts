// Notebook tables fed by plain data: registers, memory hexdumps, counters, instruction traces and generic records.
import { formatNumber, hexWord, hexByte, type Rendered } from "./rendered.js";
import { renderTable, type Column, type Row } from "./table.js";

/** A named number: a register, a counter, one bar of a chart. */
export interface NamedValue {
  readonly name: string;
  readonly value: number;
}

export interface RegistersTableOptions {
  readonly caption?: string;
  /** The same registers one step earlier; registers whose value differs are marked as changed. */
  readonly previous?: readonly NamedValue[];
}

/** Shows registers in hexadecimal and as signed 32-bit decimals, marking those that changed since `previous`. */
export function registersTable(registers: readonly NamedValue[], options: RegistersTableOptions = {}): Rendered {
  const before = new Map((options.previous ?? []).map((r) => [r.name, r.value >>> 0]));
  const columns: Column[] = [
    { heading: "register", mono: true },
    { heading: "hex", mono: true, align: "right" },
    { heading: "decimal", align: "right" },
  ];
  const rows: Row[] = registers.map((r) => {
    const old = before.get(r.name);
    const changed = old !== undefined && old !== r.value >>> 0;
    return { cells: [r.name, hexWord(r.value), String(r.value | 0)], ...(changed ? { mark: "changed" as const } : {}) };
  });
  return renderTable({ caption: options.caption ?? "Registers", columns, rows });
}

export interface HexdumpOptions {
  readonly caption?: string;
  /** Address of bytes[0]. */
  readonly origin?: number;
  /** Bytes per line (default 16). */
  readonly width?: number;
  /** Lines that contain any address in [start, start + length) are marked. */
  readonly highlight?: { readonly start: number; readonly length: number };
}

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".";
}

/** Shows memory as address / hex bytes / ASCII lines, like `hexdump -C`. */
export function hexdump(bytes: Uint8Array | readonly number[], options: HexdumpOptions = {}): Rendered {
  const origin = options.origin ?? 0;
  const width = options.width ?? 16;
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`hexdump width must be a positive integer, got ${width}`);
  const rows: Row[] = [];
  for (let offset = 0; offset < bytes.length; offset += width) {
    const line = Array.from(bytes.slice(offset, offset + width));
    const start = origin + offset;
    const h = options.highlight;
    const marked = h !== undefined && h.start < start + line.length && start < h.start + h.length;
    rows.push({
      cells: [hexWord(start), line.map(hexByte).join(" "), line.map(printable).join("")],
      ...(marked ? { mark: "current" as const } : {}),
    });
  }
  return renderTable({
    caption: options.caption ?? `Memory at ${hexWord(origin)} (${bytes.length} bytes)`,
    columns: [
      { heading: "address", mono: true },
      { heading: "bytes", mono: true },
      { heading: "ascii", mono: true },
    ],
    rows,
    empty: "(no bytes)",
  });
}

export interface CountersTableOptions {
  readonly caption?: string;
  /** Adds a final row with the sum of all counters. */
  readonly total?: boolean;
}

function toNamedValues(values: Readonly<Record<string, number>> | readonly NamedValue[]): NamedValue[] {
  return Array.isArray(values)
    ? [...(values as readonly NamedValue[])]
    : Object.entries(values as Readonly<Record<string, number>>).map(([name, value]) => ({ name, value }));
}

/** Shows one row per counter, in the order given; accepts a record or a list of named values. */
export function countersTable(
  counters: Readonly<Record<string, number>> | readonly NamedValue[],
  options: CountersTableOptions = {},
): Rendered {
  const entries = toNamedValues(counters);
  const rows: Row[] = entries.map((c) => ({ cells: [c.name, formatNumber(c.value)] }));
  if (options.total) rows.push({ cells: ["total", formatNumber(entries.reduce((sum, c) => sum + c.value, 0))] });
  return renderTable({
    caption: options.caption ?? "Counters",
    columns: [{ heading: "counter", mono: true }, { heading: "value", align: "right" }],
    rows,
    empty: "(no counters)",
  });
}

/** One executed (or about to execute) instruction. */
export interface TraceEntry {
  readonly pc: number;
  /** Disassembled text, e.g. "add r1, r2, r3". */
  readonly text: string;
  readonly bytes?: Uint8Array | readonly number[];
  /** Privilege level the instruction ran at. */
  readonly cpl?: number;
  /** What happened: a trap, a register write, an emulation. */
  readonly note?: string;
}

export interface TraceTableOptions {
  readonly caption?: string;
  /** Index into the entries of the instruction about to run; that row is marked. */
  readonly current?: number;
}

/** Shows an instruction trace with the current instruction marked. */
export function traceTable(entries: readonly TraceEntry[], options: TraceTableOptions = {}): Rendered {
  const withBytes = entries.some((e) => e.bytes !== undefined);
  const withCpl = entries.some((e) => e.cpl !== undefined);
  const withNote = entries.some((e) => e.note !== undefined && e.note !== "");
  const columns: Column[] = [
    { heading: "pc", mono: true },
    ...(withBytes ? [{ heading: "bytes", mono: true }] : []),
    ...(withCpl ? [{ heading: "cpl", align: "right" as const }] : []),
    { heading: "instruction", mono: true },
    ...(withNote ? [{ heading: "note" }] : []),
  ];
  const rows: Row[] = entries.map((e, i) => {
    const current = i === options.current;
    const cells = [
      hexWord(e.pc),
      ...(withBytes ? [Array.from(e.bytes ?? []).map(hexByte).join(" ")] : []),
      ...(withCpl ? [e.cpl === undefined ? "" : String(e.cpl)] : []),
      e.text,
      ...(withNote ? [e.note ?? ""] : []),
    ];
    return { cells, ...(current ? { mark: "current" as const } : {}) };
  });
  return renderTable({ caption: options.caption ?? "Instruction trace", columns, rows, empty: "(no instructions)" });
}

/** A cell value in a generic record table. */
export type CellValue = string | number | boolean | null | undefined;

export interface RecordsTableOptions<T> {
  readonly caption?: string;
  /** Which fields to show, in order (default: the keys of the first record). */
  readonly columns?: readonly (keyof T & string)[];
  /** Marks a row, e.g. to flag an instruction that misbehaves. */
  readonly mark?: (record: T) => Row["mark"] | undefined;
}

function formatCell(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return formatNumber(value);
  return value;
}

/** Shows a list of flat records as a table, one column per field; booleans read yes/no. */
export function recordsTable<T extends Readonly<Record<string, CellValue>>>(
  records: readonly T[],
  options: RecordsTableOptions<T> = {},
): Rendered {
  const keys = options.columns ?? (records.length > 0 ? (Object.keys(records[0]!) as (keyof T & string)[]) : []);
  const columns: Column[] = keys.map((k) => {
    const numeric = records.length > 0 && records.every((r) => typeof r[k] === "number");
    return { heading: k, ...(numeric ? { align: "right" as const } : {}) };
  });
  const rows: Row[] = records.map((r) => {
    const mark = options.mark?.(r);
    return { cells: keys.map((k) => formatCell(r[k])), ...(mark ? { mark } : {}) };
  });
  return renderTable({ ...(options.caption ? { caption: options.caption } : {}), columns, rows, empty: "(no rows)" });
}
