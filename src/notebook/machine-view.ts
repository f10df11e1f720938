// A compact one-glance view of a machine: mode line, flags, registers in a grid, and the next instruction.
import { escapeHtml, hexWord, html, type Rendered } from "./rendered.js";
import type { NamedValue } from "./tables.js";

/** What the view shows; every field is plain data so any machine (or a hand-built example) can feed it. */
export interface MachineStateData {
  readonly pc: number;
  /** Current privilege level, 0 (most privileged) to 3. */
  readonly cpl: number;
  readonly registers: readonly NamedValue[];
  /** Flag name → set (boolean) or field value (number, e.g. IOPL). */
  readonly flags?: Readonly<Record<string, boolean | number>>;
  /** ISA profile or monitor name, e.g. "strict". */
  readonly profile?: string;
  /** Why the machine stopped, if it did, e.g. "halted". */
  readonly status?: string;
  /** Disassembly of the instruction at pc. */
  readonly next?: string;
  /** Registers that changed in the last step; drawn highlighted. */
  readonly changed?: readonly string[];
}

export interface MachineViewOptions {
  /** Registers per row of the grid (default 4). */
  readonly columns?: number;
  readonly title?: string;
}

const STYLE = [
  ".vmlab-state{font-family:system-ui,sans-serif;font-size:13px;border:1px solid #c8c8c8;border-radius:4px;padding:6px 8px;display:inline-block;margin:4px 0}",
  ".vmlab-state .title{font-weight:600;margin-bottom:4px}",
  ".vmlab-state .mode span{margin-right:12px}",
  ".vmlab-state code{font-family:ui-monospace,Menlo,Consolas,monospace}",
  ".vmlab-state .flag{display:inline-block;padding:0 5px;margin:2px 2px 2px 0;border-radius:3px;background:#eee;color:#888;font-family:ui-monospace,Menlo,Consolas,monospace}",
  ".vmlab-state .flag.on{background:#2b6cb0;color:#fff}",
  ".vmlab-state table{border-collapse:collapse;margin-top:4px}",
  ".vmlab-state td{padding:1px 10px 1px 0;font-family:ui-monospace,Menlo,Consolas,monospace}",
  ".vmlab-state td.name{color:#666;padding-right:4px}",
  ".vmlab-state td.changed{background:#d9f2d9}",
].join("");

/** Names the privilege level the way the lectures do. */
export function ringName(cpl: number): string {
  if (cpl === 0) return "ring 0, kernel";
  if (cpl === 3) return "ring 3, user";
  return `ring ${cpl}`;
}

function flagText(name: string, value: boolean | number): string {
  return typeof value === "number" ? `${name}=${value}` : name;
}

function isOn(value: boolean | number): boolean {
  return typeof value === "number" ? value !== 0 : value;
}

/** Renders the machine state compactly: one mode line, flag chips, a register grid. */
export function machineView(state: MachineStateData, options: MachineViewOptions = {}): Rendered {
  const perRow = options.columns ?? 4;
  if (!Number.isInteger(perRow) || perRow <= 0) throw new RangeError(`machineView columns must be a positive integer, got ${perRow}`);
  const changed = new Set(state.changed ?? []);
  const flags = Object.entries(state.flags ?? {});

  const modeParts = [
    ...(state.profile ? [`profile <code>${escapeHtml(state.profile)}</code>`] : []),
    `CPL ${state.cpl} (${ringName(state.cpl)})`,
    `pc <code>${hexWord(state.pc)}</code>`,
    ...(state.next ? [`next <code>${escapeHtml(state.next)}</code>`] : []),
    ...(state.status ? [`stopped: ${escapeHtml(state.status)}`] : []),
  ];
  const flagChips = flags
    .map(([name, value]) => `<span class="flag${isOn(value) ? " on" : ""}">${escapeHtml(flagText(name, value))}</span>`)
    .join("");
  const gridRows: string[] = [];
  for (let i = 0; i < state.registers.length; i += perRow) {
    const cells = state.registers.slice(i, i + perRow).map((r) => {
      const mark = changed.has(r.name) ? ' class="changed"' : "";
      return `<td class="name">${escapeHtml(r.name)}</td><td${mark}>${hexWord(r.value)}</td>`;
    });
    gridRows.push(`<tr>${cells.join("")}</tr>`);
  }
  const body =
    `<style>${STYLE}</style><div class="vmlab-state">` +
    (options.title ? `<div class="title">${escapeHtml(options.title)}</div>` : "") +
    `<div class="mode">${modeParts.map((p) => `<span>${p}</span>`).join("")}</div>` +
    (flags.length > 0 ? `<div class="flags">${flagChips}</div>` : "") +
    `<table>${gridRows.join("")}</table></div>`;

  const textLines: string[] = [];
  if (options.title) textLines.push(options.title);
  textLines.push(
    [
      ...(state.profile ? [`profile ${state.profile}`] : []),
      `CPL ${state.cpl} (${ringName(state.cpl)})`,
      `pc ${hexWord(state.pc)}`,
      ...(state.next ? [`next: ${state.next}`] : []),
      ...(state.status ? [`stopped: ${state.status}`] : []),
    ].join(" | "),
  );
  if (flags.length > 0) {
    textLines.push("flags: " + flags.map(([n, v]) => (isOn(v) ? flagText(n, v) : typeof v === "number" ? flagText(n, v) : n.toLowerCase())).join(" "));
  }
  const nameWidth = Math.max(0, ...state.registers.map((r) => r.name.length));
  for (let i = 0; i < state.registers.length; i += perRow) {
    textLines.push(
      state.registers
        .slice(i, i + perRow)
        .map((r) => `${r.name.padStart(nameWidth)}=${hexWord(r.value)}${changed.has(r.name) ? "*" : " "}`)
        .join(" ")
        .trimEnd(),
    );
  }
  return html(body, textLines.join("\n"));
}
