// Tests for show: rich views go to rich sinks, text to text sinks, and plain Node prints the text form.
import { describe, expect, it, vi } from "vitest";
import { html, svg } from "./rendered.js";
import { show, showWith, textSink, tslabDisplay, type DisplaySink } from "./show.js";

function recordingSink(): DisplaySink & { calls: string[] } {
  const calls: string[] = [];
  return { calls, html: (b) => calls.push(`html:${b}`), svg: (b) => calls.push(`svg:${b}`), text: (b) => calls.push(`text:${b}`) };
}

describe("show", () => {
  it("sends HTML views as HTML and strings as text", () => {
    const sink = recordingSink();
    showWith(sink, [html("<b>x</b>", "x"), "note"]);
    expect(sink.calls).toEqual(["html:<b>x</b>", "text:note"]);
  });

  it("sends charts as an HTML image of the SVG, titled by the chart's first text line", () => {
    const sink = recordingSink();
    showWith(sink, [svg("<svg/>", "Cycles & more\nbar 1")]);
    expect(sink.calls).toHaveLength(1);
    const [call] = sink.calls;
    expect(call).toMatch(/^html:<img class="vmlab-chart" alt="Cycles &amp; more" src="data:image\/svg\+xml;base64,/);
    const encoded = /base64,([^"]+)"/.exec(call!)![1]!;
    expect(Buffer.from(encoded, "base64").toString("utf8")).toBe("<svg/>");
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
