//! The trend chart of one questionnaire over time, as geometry: where the bands,
//! the grid, the points and their labels sit. The window draws it as SVG and the
//! letters draw it on the PDF page from the very same figures, so a chart looks the
//! same on screen and on paper.
//!
//! Units are abstract: the chart is [`WIDTH`] × [`HEIGHT`] with y growing downwards
//! (as in SVG); a renderer scales it to its own box.

use crate::date::Date;
use crate::instrument::{Change, Instrument};

/// The chart's width in chart units.
pub const WIDTH: f64 = 560.0;
/// The chart's height in chart units.
pub const HEIGHT: f64 = 200.0;

/// The plotting area inside the chart: room on the left for the score axis, on the
/// right for band names, below for dates.
const LEFT: f64 = 40.0;
const RIGHT: f64 = 120.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 34.0;

/// How far apart two labels' centres must be, in chart units.
const DATE_GAP: f64 = 64.0;
const VALUE_GAP: f64 = 24.0;
/// A band name needs this much height to be written inside its band.
const BAND_LABEL_HEIGHT: f64 = 11.0;

/// One assessment to place: when, its total, its reliable change from the one before.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// The day it was taken.
    pub date: Date,
    /// Its total.
    pub total: f64,
    /// Its change from the previous total, when judged.
    pub change: Option<Change>,
}

/// A band's stripe across the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct BandStripe {
    /// The band's index in the instrument's list.
    pub band: usize,
    /// Its top and bottom edges.
    pub top: f64,
    /// Its bottom edge.
    pub bottom: f64,
    /// 0 for the least severe band, rising with severity (for the shade).
    pub severity: usize,
    /// Where the band's name goes (its vertical centre), when there is room.
    pub label_y: Option<f64>,
}

/// A score marked on the y axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    /// The score.
    pub value: f64,
    /// Its height.
    pub y: f64,
}

/// One placed assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The reading it shows.
    pub reading: Reading,
    /// Its position.
    pub x: f64,
    /// Its height.
    pub y: f64,
    /// The index of its band, if it falls in one.
    pub band: Option<usize>,
    /// Whether its total is written above it (not when it would touch its neighbour's).
    pub shows_value: bool,
    /// The baseline of that total: higher when a reliable-change mark rings the point.
    pub value_y: f64,
    /// Whether its date is written under the axis (not when it would touch another).
    pub shows_date: bool,
}

/// A laid-out trend chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// The plotting area: left, top, right, bottom edges.
    pub plot: (f64, f64, f64, f64),
    /// The lowest and highest score the y axis spans.
    pub range: (f64, f64),
    /// The bands, bottom to top.
    pub bands: Vec<BandStripe>,
    /// Scores marked on the y axis, lowest first.
    pub ticks: Vec<Tick>,
    /// The assessments, oldest first, placed by date.
    pub points: Vec<Point>,
    /// Where the band names are written across (left edge).
    pub band_label_x: f64,
    /// Where the dates are written (baseline).
    pub date_y: f64,
}

impl Trend {
    /// Lays out `readings` (any order) of `instrument`: the y axis spans its score
    /// range (widened if a total falls outside), the x axis the days from the first
    /// reading to the last, so that a long gap between two assessments shows as one.
    pub fn lay_out(instrument: &Instrument, readings: &[Reading]) -> Trend {
        let mut readings = readings.to_vec();
        readings.sort_by_key(|reading| reading.date);
        let (mut low, mut high) = instrument.scoring.range;
        for reading in &readings {
            low = low.min(reading.total);
            high = high.max(reading.total);
        }
        if high <= low {
            high = low + 1.0;
        }
        let (left, top, right, bottom) = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM);
        let y_of = |value: f64| top + (bottom - top) * (1.0 - (value - low) / (high - low));
        let first = readings.first().map_or(0, |r| r.date.days());
        let days = readings.last().map_or(0, |r| r.date.days()) - first;
        let x_of = |date: Date| {
            if days == 0 {
                (left + right) / 2.0
            } else {
                left + (right - left) * (date.days() - first) as f64 / days as f64
            }
        };

        let bands = stripes(instrument, low, high, &y_of);
        let mut points: Vec<Point> = readings
            .iter()
            .map(|reading| Point {
                reading: *reading,
                x: x_of(reading.date),
                y: y_of(reading.total),
                band: instrument.bands.iter().rposition(|band| reading.total >= band.from - 1e-9),
                shows_value: false,
                value_y: y_of(reading.total)
                    - if reading.change.is_some_and(|c| c != Change::NoReliableChange) { 15.0 } else { 9.0 },
                shows_date: false,
            })
            .collect();
        thin_labels(&mut points, DATE_GAP, |point, shown| point.shows_date = shown);
        thin_labels(&mut points, VALUE_GAP, |point, shown| point.shows_value = shown);
        Trend {
            plot: (left, top, right, bottom),
            range: (low, high),
            bands,
            ticks: ticks(low, high).into_iter().map(|value| Tick { value, y: y_of(value) }).collect(),
            points,
            band_label_x: right + 14.0,
            date_y: HEIGHT - 12.0,
        }
    }
}

/// The bands as stripes: each reaches halfway to the next band's first score, so
/// that whole-number bands (0–4, 5–9) meet at 4.5 with no gap.
fn stripes(instrument: &Instrument, low: f64, high: f64, y_of: &impl Fn(f64) -> f64) -> Vec<BandStripe> {
    let bands = &instrument.bands;
    let count = bands.len();
    bands
        .iter()
        .enumerate()
        .map(|(index, band)| {
            let from = if index == 0 { low } else { (bands[index - 1].to + band.from) / 2.0 };
            let to = if index + 1 == count { high } else { (band.to + bands[index + 1].from) / 2.0 };
            let (top, bottom) = (y_of(to.min(high)), y_of(from.max(low)));
            BandStripe {
                band: index,
                top,
                bottom,
                severity: if instrument.scoring.higher_is_worse { index } else { count - 1 - index },
                label_y: (bottom - top >= BAND_LABEL_HEIGHT).then_some((top + bottom) / 2.0),
            }
        })
        .collect()
}

/// Shows a label on the newest point, then on each older one whose label keeps
/// `gap` from the last one shown — the latest reading is the one a reader looks for.
fn thin_labels(points: &mut [Point], gap: f64, mut set: impl FnMut(&mut Point, bool)) {
    let mut last_shown: Option<f64> = None;
    for point in points.iter_mut().rev() {
        let shown = last_shown.is_none_or(|x| x - point.x >= gap);
        if shown {
            last_shown = Some(point.x);
        }
        set(point, shown);
    }
}

/// A few round scores to mark on the y axis, both ends included.
fn ticks(low: f64, high: f64) -> Vec<f64> {
    let span = high - low;
    let step =
        [1.0, 2.0, 5.0, 10.0, 20.0, 50.0].into_iter().find(|step| span / step <= 5.0).unwrap_or((span / 5.0).ceil());
    let mut values = vec![low];
    let mut value = (low / step).floor() * step + step;
    while value < high - step / 2.0 {
        values.push(value);
        value += step;
    }
    values.push(high);
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::tests::fixture as sample;

    fn reading(day: &str, total: f64) -> Reading {
        Reading { date: Date::parse(day).unwrap(), total, change: None }
    }

    #[test]
    fn points_sit_by_date_so_a_long_gap_looks_long() {
        let trend = Trend::lay_out(
            &sample(),
            &[reading("01.03.2026", 9.0), reading("08.03.2026", 8.0), reading("31.03.2026", 3.0)],
        );
        let xs: Vec<f64> = trend.points.iter().map(|p| p.x).collect();
        let (left, _, right, _) = trend.plot;
        assert_eq!(xs[0], left);
        assert_eq!(xs[2], right);
        // A week out of thirty days: about a quarter of the way across, not half.
        assert!((xs[1] - (left + (right - left) * 7.0 / 30.0)).abs() < 1e-9, "{xs:?}");
    }

    #[test]
    fn higher_totals_sit_higher_and_the_axis_spans_the_instruments_range() {
        let trend = Trend::lay_out(&sample(), &[reading("01.03.2026", 12.0), reading("02.03.2026", 0.0)]);
        let (_, top, _, bottom) = trend.plot;
        assert_eq!(trend.range, (0.0, 12.0));
        assert_eq!(trend.points[0].y, top);
        assert_eq!(trend.points[1].y, bottom);
        assert_eq!(trend.ticks.first().map(|t| t.value), Some(0.0));
        assert_eq!(trend.ticks.last().map(|t| t.value), Some(12.0));
    }

    #[test]
    fn a_single_reading_sits_in_the_middle_with_its_band() {
        let trend = Trend::lay_out(&sample(), &[reading("01.03.2026", 6.0)]);
        let (left, _, right, _) = trend.plot;
        assert_eq!(trend.points[0].x, (left + right) / 2.0);
        assert_eq!(trend.points[0].band, Some(1));
        assert!(trend.points[0].shows_date && trend.points[0].shows_value);
    }

    #[test]
    fn bands_meet_halfway_between_whole_scores_and_shade_by_severity() {
        // Bands 0–4, 5–8, 9–12 of a 0–12 score.
        let trend = Trend::lay_out(&sample(), &[reading("01.03.2026", 6.0)]);
        let (_, top, _, bottom) = trend.plot;
        let y = |score: f64| top + (bottom - top) * (1.0 - score / 12.0);
        assert_eq!(trend.bands.len(), 3);
        assert_eq!((trend.bands[0].bottom, trend.bands[0].top), (bottom, y(4.5)));
        assert_eq!((trend.bands[1].bottom, trend.bands[1].top), (y(4.5), y(8.5)));
        assert_eq!((trend.bands[2].bottom, trend.bands[2].top), (y(8.5), top));
        assert_eq!(trend.bands.iter().map(|b| b.severity).collect::<Vec<_>>(), [0, 1, 2]);

        let mut better_is_higher = sample();
        better_is_higher.scoring.higher_is_worse = false;
        let trend = Trend::lay_out(&better_is_higher, &[reading("01.03.2026", 6.0)]);
        assert_eq!(trend.bands.iter().map(|b| b.severity).collect::<Vec<_>>(), [2, 1, 0]);
    }

    #[test]
    fn crowded_dates_keep_the_latest_label_and_drop_ones_that_would_touch() {
        let days = ["01.01.2026", "02.01.2026", "03.01.2026", "01.06.2026", "02.06.2026"];
        let readings: Vec<Reading> = days.iter().map(|d| reading(d, 5.0)).collect();
        let trend = Trend::lay_out(&sample(), &readings);
        let shown: Vec<bool> = trend.points.iter().map(|p| p.shows_date).collect();
        assert_eq!(shown, [false, false, true, false, true]);
        let shown: Vec<f64> = trend.points.iter().filter(|p| p.shows_date).map(|p| p.x).collect();
        assert!(shown.windows(2).all(|pair| pair[1] - pair[0] >= DATE_GAP));
    }

    #[test]
    fn a_total_outside_the_declared_range_widens_the_axis_instead_of_leaving_the_chart() {
        let trend = Trend::lay_out(&sample(), &[reading("01.03.2026", 14.0)]);
        assert_eq!(trend.range, (0.0, 14.0));
        assert_eq!(trend.points[0].y, trend.plot.1);
    }

    #[test]
    fn ticks_are_round_and_few() {
        assert_eq!(ticks(0.0, 27.0), [0.0, 10.0, 20.0, 27.0]);
        assert_eq!(ticks(0.0, 100.0), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(0.0, 4.0), [0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(ticks(10.0, 50.0), [10.0, 20.0, 30.0, 40.0, 50.0]);
    }
}
