// Tests for show: rich views go to rich sinks, text to text sinks, and plain Node prints the text form.
import { describe, expect, it, vi } from "vitest";
import { html, svg } from "./rendered.js";
import { show, showWith, textSink, tslabDisplay, type DisplaySink } from "./show.js";

function recordingSink(): DisplaySink & { calls: string[] } {
  const calls: string[] = [];
  return { calls, html: (b) => calls.push(`html:${b}`), svg: (b) => calls.push(`svg:${b}`), text: (b) => calls.push(`text:${b}`) };
}

describe("show", () => {
  it("sends HTML views as HTML, SVG views as SVG and strings as text", () => {
    const sink = recordingSink();
    showWith(sink, [html("<b>x</b>", "x"), svg("<svg/>", "chart"), "note"]);
    expect(sink.calls).toEqual(["html:<b>x</b>", "svg:<svg/>", "text:note"]);
  });

  it("sends only the text form to a text-only sink", () => {
    const lines: string[] = [];
    showWith(textSink((l) => lines.push(l)), [html("<b>x</b>", "x"), svg("<svg/>", "chart")]);
    expect(lines).toEqual(["x", "chart"]);
  });

  it("prints the text form when no tslab kernel is executing a cell", () => {
    expect(tslabDisplay()).toBeUndefined();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      show(html("<i>r1</i>", "r1 = 1"));
      expect(log).toHaveBeenCalledWith("r1 = 1");
    } finally {
      log.mockRestore();
    }
  });
});
