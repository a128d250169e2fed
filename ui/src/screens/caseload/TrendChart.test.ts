// The trend chart as the window paints it (rendered on the server, no browser): at
// its own size in screen pixels, type no smaller than the layout says, a risk flag as
// a diamond with "!" (never a ringed dot that looks like a radio button), the arrows
// of reliable change filled or hollow, and a legend in words.
import { render } from "svelte/server";
import { describe, expect, it } from "vitest";
import type { ChartText, ChartView_Serialize } from "../../lib/bindings";
import TrendChart from "./TrendChart.svelte";
import { arrowPath, diamondPath, grey } from "./trendShapes";

const text = (text: string, x: number, y: number, size = 13, bold = false, anchor = "middle"): ChartText => ({
  text,
  x,
  y,
  size,
  bold,
  anchor,
});

/** A PHQ-9 chart as Rust lays it out: 18 (raised a flag), 15, then 8 (reliably better). */
const chart: ChartView_Serialize = {
  width: 600,
  height: 300,
  left: 48,
  top: 34,
  right: 436,
  bottom: 260,
  bands: [
    { label: "Minimal", range: "0–4", top: 222, bottom: 260, severity: 0, grey: 247, lines: [text("Minimal", 446, 233, 13, false, "start"), text("0–4", 446, 249, 13, false, "start")] },
    { label: "Severe", range: "20–27", top: 34, bottom: 95, severity: 4, grey: 168, lines: [text("Severe", 446, 60, 13, false, "start"), text("20–27", 446, 76, 13, false, "start")] },
  ],
  ticks: [
    { value: 0, y: 260, label: text("0", 39, 265, 13, false, "end") },
    { value: 25, y: 51, label: text("25", 39, 55, 13, false, "end") },
  ],
  points: [
    {
      date: "2026-09-01", total: 18, band_label: "Moderately severe", change: null, x: 88, y: 109, latest: false, radius: 5,
      flagged: true, flag_size: 12, value: text("18", 88, 91, 15, true), date_label: text("01.09.2026", 88, 281), mark: null,
      hint: "01.09.2026: 18 · Moderately severe · Risk flag raised",
    },
    {
      date: "2026-10-01", total: 15, band_label: "Moderately severe", change: "no_reliable_change", x: 239, y: 134, latest: false,
      radius: 5, flagged: false, flag_size: 12, value: text("15", 239, 120, 15, true), date_label: text("01.10.2026", 239, 281),
      mark: null, hint: "01.10.2026: 15 · Moderately severe · No reliable change (provisional threshold)",
    },
    {
      date: "2026-11-01", total: 8, band_label: "Mild", change: "reliable_improvement", x: 396, y: 193, latest: true, radius: 7,
      flagged: false, flag_size: 12, value: text("8", 388, 173, 19, true), date_label: text("01.11.2026", 396, 281),
      mark: { worse: false, up: false, x: 404, y: 166, size: 6 },
      hint: "01.11.2026: 8 · Mild · Reliable improvement (provisional threshold)",
    },
  ],
  legend: [
    { key: "better", up: false, text: "Reliably better than the assessment before" },
    { key: "worse", up: true, text: "Reliably worse than the assessment before" },
    { key: "flag", up: false, text: "Raised a risk flag: a safety rule fired on this assessment" },
    { key: "threshold", up: false, text: "A change of 3.9 points or more is reliable. Provisional threshold: read a change near it with care." },
  ],
};

function paint(fit = false): string {
  return render(TrendChart, { props: { chart, label: "PHQ-9", fit } }).body;
}

/** The chart's own <svg>, without the legend's symbols. */
function plot(html: string): string {
  return html.slice(html.indexOf('<svg width="600"'), html.indexOf("</svg>") + 6);
}

describe("the trend chart", () => {
  it("is painted at its size in screen pixels, so its type is not shrunk", () => {
    const html = paint();
    expect(html).toContain('<svg width="600" height="300" viewBox="0 0 600 300"');
    expect(html).not.toMatch(/class="trend[^"]*fit/);
    // Only a letter's paper preview scales it to the sheet.
    expect(paint(true)).toMatch(/class="trend[^"]*fit/);
  });

  it("writes every text at the layout's size, never below 13 px, the latest total largest", () => {
    const sizes = [...plot(paint()).matchAll(/font-size="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(13);
    expect(plot(paint())).toMatch(/font-size="19" font-weight="600" text-anchor="middle">8</);
  });

  it("shades the bands in grey and names each with its range", () => {
    const html = plot(paint());
    expect(html).toContain('fill="rgb(247, 247, 247)"');
    expect(html).toContain('fill="rgb(168, 168, 168)"');
    for (const words of ["Minimal", "0–4", "Severe", "20–27"]) expect(html).toContain(`>${words}</text>`);
  });

  it("marks the assessment that raised a risk flag with a diamond and '!', and rings no point", () => {
    const html = plot(paint());
    const start = html.indexOf('<g data-testid="trend-point" class="flagged"');
    const flagged = html.slice(start, html.indexOf('data-testid="trend-point"', start + 10));
    expect(flagged).toContain(`d="${diamondPath(88, 109, 12)}"`);
    expect(flagged).toMatch(/class="flag-mark[^"]*"[^>]*>!<\/text>/);
    expect(flagged).not.toContain("<circle");
    // A plain dot for each of the two others, and no other circle (the old ring around
    // a point looked like a radio button).
    expect([...html.matchAll(/<circle class="marker dot /g)]).toHaveLength(2);
    expect([...html.matchAll(/<circle/g)]).toHaveLength(2);
  });

  it("draws a reliable change as an arrow beside the total: hollow when better, filled when worse", () => {
    const html = paint();
    // The latest, reliably better: a hollow arrow pointing down, right of its total.
    expect(plot(html)).toMatch(new RegExp(`<path class="arrow svelte-[a-z0-9]+" d="${arrowPath(404, 166, 6, false)}"`));
    // The legend's "worse" arrow is filled, pointing up (PHQ-9 rises as it worsens).
    expect(html).toMatch(/<path class="arrow svelte-[a-z0-9]+ worse" d="M11,5 L17,17 L5,17 Z"/);
  });

  it("explains each mark and the provisional threshold in words, and each point on hover", () => {
    const html = paint();
    for (const entry of chart.legend) expect(html).toContain(`<span>${entry.text}</span>`);
    expect(html).toContain("<title>01.11.2026: 8 · Mild · Reliable improvement (provisional threshold)</title>");
    expect(html).toContain("<title>01.09.2026: 18 · Moderately severe · Risk flag raised</title>");
  });
});

describe("the chart's shapes", () => {
  it("points an arrow the way the score moved", () => {
    expect(arrowPath(10, 10, 6, true)).toBe("M10,4 L16,16 L4,16 Z");
    expect(arrowPath(10, 10, 6, false)).toBe("M10,16 L16,4 L4,4 Z");
  });

  it("draws a diamond around its centre and a band's grey", () => {
    expect(diamondPath(10, 10, 4)).toBe("M10,6 L14,10 L10,14 L6,10 Z");
    expect(grey(168)).toBe("rgb(168, 168, 168)");
    expect(grey(300)).toBe("rgb(255, 255, 255)");
  });
});
