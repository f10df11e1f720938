// Displays rendered views: through tslab's rich display inside a Jupyter kernel, as plain text anywhere else.
import { createRequire } from "node:module";
import { svgImageHtml, type Rendered } from "./rendered.js";

/** Where rendered views go. tslab's `display` object satisfies this interface. */
export interface DisplaySink {
  html(body: string): void;
  svg(body: string): void;
  text(body: string): void;
  /** When true the sink cannot draw HTML or SVG, so views are sent as their text form. */
  readonly textOnly?: boolean;
}

/** Writes only the plain-text form, one view after another, to a line writer (default: console.log). */
export function textSink(write: (line: string) => void = (line) => console.log(line)): DisplaySink {
  const refuse = (): never => {
    throw new Error("a text-only sink cannot draw HTML or SVG; send the view's text form instead");
  };
  return { html: refuse, svg: refuse, text: write, textOnly: true };
}

const require = createRequire(import.meta.url);

/**
 * Returns tslab's display when this process is a tslab kernel that is executing a cell, otherwise undefined.
 * tslab is only looked at when its Jupyter module is already loaded, so plain Node never pays for loading it.
 */
export function tslabDisplay(): DisplaySink | undefined {
  let jupyterPath: string;
  try {
    jupyterPath = require.resolve("tslab/dist/jupyter.js");
  } catch {
    return undefined;
  }
  const jupyter = require.cache[jupyterPath]?.exports as { lastWriteDisplayData?: unknown } | undefined;
  if (!jupyter || jupyter.lastWriteDisplayData == null) return undefined;
  return (require("tslab") as { display: DisplaySink }).display;
}

/**
 * Sends each view to a sink: rich bodies to rich sinks, the text form to text-only sinks. Charts (SVG) go out
 * as HTML images (see svgImageHtml) so that every renderer, including exported HTML, draws them.
 */
export function showWith(sink: DisplaySink, items: readonly (Rendered | string)[]): void {
  for (const item of items) {
    if (typeof item === "string") sink.text(item);
    else if (sink.textOnly) sink.text(item.text);
    else if (item.kind === "svg") sink.html(svgImageHtml(item.body, item.text.split("\n", 1)[0] ?? "chart"));
    else sink.html(item.body);
  }
}

/** Shows views in the notebook (tslab) or prints their text form (plain Node). Strings are shown as text. */
export function show(...items: (Rendered | string)[]): void {
  const display = tslabDisplay();
  showWith(display ?? textSink(), items);
}
