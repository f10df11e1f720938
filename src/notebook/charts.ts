// SVG charts from plain data: vega-lite specs compiled to vega and rendered headless in Node (no canvas, no browser).
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { formatNumber, svg, type Rendered } from "./rendered.js";
import type { NamedValue } from "./tables.js";

/** Options common to every chart. */
export interface ChartOptions {
  readonly title?: string;
  /** Axis title for categories or x values. */
  readonly xTitle?: string;
  /** Axis title for the measured values. */
  readonly yTitle?: string;
  /** Plot width in pixels (default 360). */
  readonly width?: number;
  /** Plot height in pixels (default 220). */
  readonly height?: number;
  /** Use a logarithmic value axis, for quantities that differ by orders of magnitude. */
  readonly logScale?: boolean;
}

/** One bar of a grouped bar chart: `group` picks the cluster, `series` the bar colour within it. */
export interface GroupedValue {
  readonly group: string;
  readonly series: string;
  readonly value: number;
}

/** One point of a line chart; points sharing a `series` are joined by one line. */
export interface Point {
  readonly x: number;
  readonly y: number;
  readonly series?: string;
}

/** Compiles a vega-lite spec and renders it to an SVG document string without a browser or canvas. */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function checkValues(values: readonly number[], options: ChartOptions, what: string): void {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: every value must be a finite number, got ${v}`);
    if (options.logScale && v <= 0) throw new RangeError(`${what}: a log scale needs positive values, got ${v}`);
  }
}

function valueScale(options: ChartOptions): Record<string, unknown> {
  return options.logScale ? { type: "log" } : { zero: true };
}

/**
 * Where bars start. On a linear axis that is 0; a log axis has no 0, so bars start at the power of ten
 * just below the smallest value (without this, vega-lite draws no bars at all on a log scale).
 */
function barBase(values: readonly number[], options: ChartOptions): Record<string, unknown> {
  if (!options.logScale || values.length === 0) return {};
  const base = 10 ** Math.floor(Math.log10(Math.min(...values)));
  return { y2: { datum: base } };
}

function frame(options: ChartOptions): Record<string, unknown> {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? 360,
    height: options.height ?? 220,
    background: "white",
    config: { axis: { labelLimit: 240 } },
  };
}

function textBars(rows: readonly { label: string; value: number }[], title?: string): string {
  const max = Math.max(0, ...rows.map((r) => Math.abs(r.value)));
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length));
  const lines = rows.map((r) => {
    const length = max === 0 ? 0 : Math.round((Math.abs(r.value) / max) * 40);
    return `${r.label.padEnd(labelWidth)}  ${"█".repeat(length)} ${formatNumber(r.value)}`;
  });
  return (title ? [title, ...lines] : lines).join("\n");
}

/** A bar chart with one bar per named value, in the order given. */
export async function barChart(data: readonly NamedValue[], options: ChartOptions = {}): Promise<Rendered> {
  checkValues(data.map((d) => d.value), options, "barChart");
  const spec = {
    ...frame(options),
    data: { values: data.map((d) => ({ name: d.name, value: d.value })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "name", type: "nominal", sort: null, title: options.xTitle ?? null, axis: { labelAngle: -30 } },
      y: { field: "value", type: "quantitative", title: options.yTitle ?? "value", scale: valueScale(options) },
      ...barBase(data.map((d) => d.value), options),
    },
  } as unknown as TopLevelSpec;
  return svg(await renderVegaLite(spec), textBars(data.map((d) => ({ label: d.name, value: d.value })), options.title));
}

/** A grouped bar chart: one cluster per group, one coloured bar per series (e.g. native vs monitored). */
export async function groupedBarChart(data: readonly GroupedValue[], options: ChartOptions = {}): Promise<Rendered> {
  checkValues(data.map((d) => d.value), options, "groupedBarChart");
  const groups = [...new Set(data.map((d) => d.group))];
  const series = [...new Set(data.map((d) => d.series))];
  const spec = {
    ...frame(options),
    data: { values: data.map((d) => ({ group: d.group, series: d.series, value: d.value })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "group", type: "nominal", sort: groups, title: options.xTitle ?? null, axis: { labelAngle: -30 } },
      xOffset: { field: "series", type: "nominal", sort: series },
      y: { field: "value", type: "quantitative", title: options.yTitle ?? "value", scale: valueScale(options) },
      ...barBase(data.map((d) => d.value), options),
      color: { field: "series", type: "nominal", sort: series, title: null, legend: { labelLimit: 320 } },
    },
  } as unknown as TopLevelSpec;
  const text = textBars(data.map((d) => ({ label: `${d.group} / ${d.series}`, value: d.value })), options.title);
  return svg(await renderVegaLite(spec), text);
}

/** The vega-lite spec of points on two quantitative axes, coloured by series, drawn with `mark`. */
function xySpec(points: readonly Point[], options: ChartOptions, mark: Record<string, unknown>, what: string): TopLevelSpec {
  checkValues(points.map((p) => p.y), options, what);
  checkValues(points.map((p) => p.x), {}, what);
  const hasSeries = points.some((p) => p.series !== undefined);
  return {
    ...frame(options),
    data: { values: points.map((p) => ({ x: p.x, y: p.y, series: p.series ?? "" })) },
    mark,
    encoding: {
      x: { field: "x", type: "quantitative", title: options.xTitle ?? "x" },
      y: { field: "y", type: "quantitative", title: options.yTitle ?? "y", scale: valueScale(options) },
      ...(hasSeries ? { color: { field: "series", type: "nominal", title: null } } : {}),
    },
  } as unknown as TopLevelSpec;
}

/** A line chart with points; points with the same series are joined in x order. */
export async function lineChart(points: readonly Point[], options: ChartOptions = {}): Promise<Rendered> {
  const spec = xySpec(points, options, { type: "line", point: true, tooltip: true }, "lineChart");
  const text = [
    ...(options.title ? [options.title] : []),
    ...points.map((p) => `${p.series ? p.series + "  " : ""}${formatNumber(p.x)}  ${formatNumber(p.y)}`),
  ].join("\n");
  return svg(await renderVegaLite(spec), text);
}

/** A scatter chart: one dot per point, coloured by series (e.g. each request's latency, cold starts marked). */
export async function scatterChart(points: readonly Point[], options: ChartOptions = {}): Promise<Rendered> {
  const spec = xySpec(points, options, { type: "point", filled: true, size: 18, opacity: 0.7, tooltip: true }, "scatterChart");
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.series ?? "", (counts.get(p.series ?? "") ?? 0) + 1);
  const text = [...(options.title ? [options.title] : []), ...[...counts].map(([series, n]) => `${series || "points"}: ${n}`)].join("\n");
  return svg(await renderVegaLite(spec), text);
}
