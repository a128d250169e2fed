// The trend chart's geometry (score ranges, positions, axis marks) and scores as shown.
import { describe, expect, it } from "vitest";
import { showScore } from "./scores";
import { additiveRange, rangeFor, ticks, xAt, yAt } from "./trend";

const plot = { width: 100, height: 60, left: 10, right: 10, top: 5, bottom: 5 };

describe("score range", () => {
  it("adds each item's rise for a plain sum (PHQ-9: 0–27)", () => {
    expect(additiveRange(0, Array(9).fill(3))).toEqual({ min: 0, max: 27 });
  });

  it("lets reversed items lower the minimum (PSS-10: 0–40)", () => {
    // All items at 0: the four reversed ones score 4 each.
    expect(additiveRange(16, [4, 4, 4, -4, -4, 4, -4, -4, 4, 4])).toEqual({ min: 0, max: 40 });
  });

  it("widens a known range to hold what was seen, and guesses one when unknown", () => {
    expect(rangeFor({ min: 0, max: 27 }, [30])).toEqual({ min: 0, max: 30 });
    expect(rangeFor(null, [12, 40])).toEqual({ min: 0, max: 40 });
    expect(rangeFor(null, [])).toEqual({ min: 0, max: 1 });
  });
});

describe("positions", () => {
  it("spread points evenly and centre a single one", () => {
    expect(xAt(plot, 0, 3)).toBe(10);
    expect(xAt(plot, 2, 3)).toBe(90);
    expect(xAt(plot, 0, 1)).toBe(50);
  });

  it("put the minimum at the bottom and the maximum at the top", () => {
    expect(yAt(plot, { min: 0, max: 10 }, 0)).toBe(55);
    expect(yAt(plot, { min: 0, max: 10 }, 10)).toBe(5);
  });

  it("mark round values between the ends", () => {
    expect(ticks({ min: 0, max: 27 })).toEqual([0, 10, 20, 27]);
    expect(ticks({ min: 0, max: 100 })).toEqual([0, 20, 40, 60, 80, 100]);
  });
});

describe("scores as shown", () => {
  it("use the language's decimal sign and one decimal at most", () => {
    expect(showScore(12, "en")).toBe("12");
    expect(showScore(3.25, "en")).toBe("3.3");
    expect(showScore(3.25, "ru")).toBe("3,3");
    expect(showScore(null, "ru")).toBe("—");
  });
});
