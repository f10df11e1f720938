// Tests for the headless vega-lite charts.
import { describe, expect, it } from "vitest";
import { barChart, groupedBarChart, lineChart, scatterChart } from "./charts.js";

describe("charts", () => {
  it("renders a bar chart to a standalone SVG with one bar per value", async () => {
    const view = await barChart([{ name: "native", value: 100 }, { name: "monitored", value: 250 }], { title: "Cycles" });
    expect(view.kind).toBe("svg");
    expect(view.body.startsWith("<svg")).toBe(true);
    expect(view.body).toContain("Cycles");
    expect(view.body).toContain("native");
    expect(view.body.match(/role-mark marks/g)?.length ?? 0).toBeGreaterThan(0);
    expect(view.text).toMatch(/monitored\s+█{40} 250/);
  });

  it("renders the same chart identically twice", async () => {
    const data = [{ name: "a", value: 1 }, { name: "b", value: 2 }];
    expect((await barChart(data)).body).toBe((await barChart(data)).body);
  });

  it("draws grouped bars with a legend naming each series", async () => {
    const view = await groupedBarChart([
      { group: "cli-sti", series: "native", value: 10 },
      { group: "cli-sti", series: "trap-and-emulate", value: 40 },
    ]);
    expect(view.body).toContain("trap-and-emulate");
    expect(view.text).toContain("cli-sti / native");
  });

  it("draws a line chart with points", async () => {
    const view = await lineChart([{ x: 1, y: 2 }, { x: 2, y: 4 }], { xTitle: "n", yTitle: "ms" });
    expect(view.body).toContain("ms");
    expect(view.text.split("\n")).toEqual(["1  2", "2  4"]);
  });

  it("draws every bar with a height on a log scale, where bars cannot start at zero", async () => {
    const view = await barChart(
      [{ name: "plain JavaScript", value: 2.3 }, { name: "interpreter", value: 68 }, { name: "vmlab", value: 138 }],
      { logScale: true },
    );
    const heights = [...view.body.matchAll(/aria-roledescription="bar" d="M[\d.]+,[\d.]+h[\d.]+v([\d.]+)h/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(3);
    expect(heights.every((h) => h > 0)).toBe(true);
    expect(heights[0]!).toBeLessThan(heights[2]!);
  });

  it("rejects values a log scale cannot show", async () => {
    await expect(barChart([{ name: "zero", value: 0 }], { logScale: true })).rejects.toThrow(/log scale needs positive values/);
  });

  it("draws a scatter chart with one dot per point and counts each series in its text", async () => {
    const view = await scatterChart([{ x: 1, y: 150, series: "cold" }, { x: 2, y: 20, series: "warm" }, { x: 3, y: 21, series: "warm" }], { title: "Latency", logScale: true });
    expect(view.body).toContain("cold");
    expect(view.body.match(/<path[^>]*role-mark|role-mark/g)?.length ?? 0).toBeGreaterThan(0);
    expect(view.text).toBe("Latency\ncold: 1\nwarm: 2");
    await expect(scatterChart([{ x: 1, y: 0 }], { logScale: true })).rejects.toThrow(/a log scale needs positive values/);
  });
});
