// The geometry of a questionnaire's trend chart, kept apart from the SVG so that it
// can be tested: where each score sits, and the score range the y axis spans.

/** The lowest and highest total an instrument can give. */
export type ScoreRange = { min: number; max: number };

/**
 * The range of an additive score (a sum or a mean, reversed items or not), from the
 * total with every item at its lowest option and how much each item alone moves that
 * total when set to its highest option: rises add to the maximum, falls (reversed
 * items) lower the minimum.
 */
export function additiveRange(base: number, moves: readonly number[]): ScoreRange {
  let min = base;
  let max = base;
  for (const move of moves) {
    if (move > 0) max += move;
    else min += move;
  }
  return { min, max };
}

/** A range that holds every value: the instrument's when known, widened by what was seen. */
export function rangeFor(known: ScoreRange | null, totals: readonly number[]): ScoreRange {
  let min = known?.min ?? Math.min(0, ...totals);
  let max = known?.max ?? Math.max(...totals, 1);
  for (const total of totals) {
    min = Math.min(min, total);
    max = Math.max(max, total);
  }
  return max > min ? { min, max } : { min, max: min + 1 };
}

export type Plot = { width: number; height: number; left: number; right: number; top: number; bottom: number };

/** Where the `index`th of `count` points sits across: evenly spaced, so that dates stay readable. */
export function xAt(plot: Plot, index: number, count: number): number {
  const span = plot.width - plot.left - plot.right;
  return count <= 1 ? plot.left + span / 2 : plot.left + (span * index) / (count - 1);
}

/** Where a total sits up the y axis: the range's minimum at the bottom. */
export function yAt(plot: Plot, range: ScoreRange, total: number): number {
  const span = plot.height - plot.top - plot.bottom;
  return plot.top + span * (1 - (total - range.min) / (range.max - range.min));
}

/** A few round values to mark on the y axis, ends included. */
export function ticks(range: ScoreRange): number[] {
  const span = range.max - range.min;
  const step = [1, 2, 5, 10, 20, 50].find((s) => span / s <= 5) ?? Math.ceil(span / 5);
  const values = [range.min];
  for (let v = Math.ceil(range.min / step) * step; v < range.max; v += step) if (v > range.min) values.push(v);
  values.push(range.max);
  return values;
}

/** One assessment on the chart: when, its total, and its reliable change from the one before. */
export type TrendPoint = { date: string; total: number; change: string | null };
