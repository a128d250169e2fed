//! The trend chart of one questionnaire over time, laid out once: where the bands and
//! their names sit, the score axis, the points with their totals and dates, and the
//! marks for a reliable change and for an assessment that raised a risk flag. The
//! window draws it as SVG and the letters draw it on the PDF page from the very same
//! figures, so a chart reads the same on a clinic screen and on a grey printout.
//!
//! Units are CSS pixels with y growing downwards (as in SVG): the window draws the
//! chart at exactly [`WIDTH`] × [`HEIGHT`], so that a label of [`LABEL_SIZE`] is that
//! many pixels on the screen; paper scales every figure, type included, by one factor.
//! There are no fonts here: text widths are estimated generously ([`text_width`]), so
//! that labels the layout keeps apart stay apart in the fonts that draw them.
//!
//! Meaning is carried by shape and lightness, never by colour alone: bands are grey
//! steps that stay distinct when printed in grey, darker with severity; a reliable
//! change is an arrow beside the total (filled when worse, hollow when better); an
//! assessment that raised a risk flag is a diamond with "!".

use crate::Language;
use crate::date::Date;
use crate::instrument::{Change, Instrument};

/// The chart's width in CSS pixels.
pub const WIDTH: f64 = 600.0;
/// The chart's height in CSS pixels.
pub const HEIGHT: f64 = 300.0;

/// The type size of the axis, the dates and the band names.
pub const LABEL_SIZE: f64 = 13.0;
/// The type size of a total above its point (bold).
pub const VALUE_SIZE: f64 = 15.0;
/// The type size of the latest total (bold): the figure a reader looks for first.
pub const LATEST_SIZE: f64 = 19.0;
/// The distance between the lines of a band's name.
pub const LINE_HEIGHT: f64 = 16.0;

/// The grey level (1 white, 0 black) of the least severe band.
pub const LIGHTEST: f64 = 0.97;
/// The least difference in grey level between two adjacent bands: less and a grey
/// laser printer's halftone makes them look alike.
pub const MIN_SHADE_STEP: f64 = 0.07;
/// The step between bands when there are few of them.
const MAX_SHADE_STEP: f64 = 0.10;
/// The darkest band when the steps allow it: black text stays readable on it.
const DARKEST: f64 = 0.66;

/// The radius of an assessment's dot.
pub const DOT: f64 = 5.0;
/// The radius of the latest assessment's dot.
pub const LATEST_DOT: f64 = 7.0;
/// Half the diagonal of the diamond that marks an assessment that raised a risk flag.
pub const FLAG: f64 = 12.0;
/// Half the width (and the height) of a reliable-change arrow.
pub const MARK: f64 = 6.0;

/// Room around the plot: score labels on the left, band names on the right, room
/// above for the top point's total, dates below.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 164.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 40.0;
/// Points keep this far from the plot's sides, so that a total centred on the first or
/// the last point stays inside the plot.
const INSET: f64 = 40.0;
/// Where band names start, right of the plot.
const BAND_LABEL_GAP: f64 = 10.0;
/// A character's advance in ems, generous for Noto Sans and Liberation Serif.
const EM: f64 = 0.6;
/// The least distance between two score marks on the axis.
const MIN_TICK_GAP: f64 = 30.0;
/// Blank space kept around a total, so that it never touches a line, a point or
/// another total.
const CLEARANCE: f64 = 2.0;

/// One assessment to place: when, its total, its reliable change from the one before,
/// and whether a safety rule fired on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// The day it was taken.
    pub date: Date,
    /// Its total.
    pub total: f64,
    /// Its change from the previous total, when judged.
    pub change: Option<Change>,
    /// A safety rule fired on it: it raised a risk flag.
    pub flagged: bool,
}

/// How a text sits on its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is where the text starts.
    Start,
    /// `x` is the text's centre.
    Middle,
    /// `x` is where the text ends.
    End,
}

/// A text to write: what, where (its baseline), how big.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The words.
    pub text: String,
    /// Its horizontal position, read by `anchor`.
    pub x: f64,
    /// Its baseline.
    pub y: f64,
    /// Its size, in the chart's units.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// How `x` is read.
    pub anchor: Anchor,
}

/// A band's stripe across the plot, with its name and score range beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct BandStripe {
    /// The band's index in the instrument's list.
    pub band: usize,
    /// Its top edge.
    pub top: f64,
    /// Its bottom edge.
    pub bottom: f64,
    /// 0 for the least severe band, rising with severity.
    pub severity: usize,
    /// Its grey level: 1 white, 0 black; darker with severity.
    pub shade: f64,
    /// Its name.
    pub name: String,
    /// Its scores, "15–19".
    pub range: String,
    /// The lines written right of the plot, inside the stripe's height: the name
    /// (wrapped), then the range — fewer when the stripe is too thin for all.
    pub label: Vec<Text>,
}

/// A score marked on the y axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// The score.
    pub value: f64,
    /// Its height.
    pub y: f64,
    /// The score written left of the axis.
    pub label: Text,
}

/// The arrow that marks a reliable change, beside the total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// Better or worse.
    pub change: Change,
    /// Whether the arrow points up (the score rose) or down.
    pub up: bool,
    /// Its centre.
    pub x: f64,
    /// Its centre.
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
    /// The newest assessment: a larger dot and total.
    pub latest: bool,
    /// The dot's radius (a flagged point is drawn as a diamond of [`FLAG`] instead).
    pub radius: f64,
    /// Its total, when it fits without touching a line, a point or another total.
    pub value: Option<Text>,
    /// Its date under the axis, when it keeps clear of the others.
    pub date: Option<Text>,
    /// The reliable-change arrow, when the change was reliable.
    pub mark: Option<Mark>,
}

/// What the legend under a chart explains; only what the chart shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Legend {
    /// A filled arrow: reliably worse than the assessment before (pointing up when a
    /// higher score is worse).
    Worse {
        /// The arrow's direction.
        up: bool,
    },
    /// A hollow arrow: reliably better than the assessment before.
    Better {
        /// The arrow's direction.
        up: bool,
    },
    /// The diamond with "!": a safety rule fired on this assessment.
    Flag,
    /// What counts as a reliable change, and whether that threshold is provisional.
    Threshold {
        /// The smallest reliable change.
        points: f64,
        /// Not from a published test–retest figure.
        provisional: bool,
    },
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
    /// What the legend explains, in order.
    pub legend: Vec<Legend>,
}

impl Trend {
    /// Lays out `readings` (any order) of `instrument`, its words in `language`: the y
    /// axis spans its score range (widened if a total falls outside), the x axis the
    /// days from the first reading to the last, so that a long gap between two
    /// assessments shows as one.
    pub fn lay_out(instrument: &Instrument, readings: &[Reading], language: Language) -> Trend {
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
        let (from_x, to_x) = (left + INSET, right - INSET);
        let x_of = |date: Date| {
            if days == 0 {
                (left + right) / 2.0
            } else {
                from_x + (to_x - from_x) * (date.days() - first) as f64 / days as f64
            }
        };
        let higher_is_worse = instrument.scoring.higher_is_worse;
        let count = readings.len();
        let mut points: Vec<Point> = readings
            .iter()
            .enumerate()
            .map(|(index, reading)| {
                let latest = index + 1 == count;
                Point {
                    reading: *reading,
                    x: x_of(reading.date),
                    y: y_of(reading.total),
                    band: instrument.bands.iter().rposition(|band| reading.total >= band.from - 1e-9),
                    latest,
                    radius: if latest { LATEST_DOT } else { DOT },
                    value: None,
                    date: None,
                    mark: None,
                }
            })
            .collect();
        place_values(&mut points, (left, top, right, bottom), higher_is_worse, language);
        place_dates(&mut points, bottom);

        let ticks = ticks(low, high, bottom - top)
            .into_iter()
            .map(|value| Tick {
                value,
                y: y_of(value),
                label: Text {
                    text: score_label(value, 2, language),
                    x: left - 9.0,
                    y: y_of(value) + LABEL_SIZE * 0.35,
                    size: LABEL_SIZE,
                    bold: false,
                    anchor: Anchor::End,
                },
            })
            .collect();
        Trend {
            plot: (left, top, right, bottom),
            range: (low, high),
            bands: stripes(instrument, low, high, right + BAND_LABEL_GAP, language, &y_of),
            ticks,
            legend: legend(instrument, &points),
            points,
        }
    }
}

/// The width `text` may take at `size`, estimated without fonts (on the generous side).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * EM * size
}

/// A score as people write it: whole numbers plain, others with at most `decimals`
/// decimals (no trailing zeros) and, in Kazakh and Russian, a decimal comma.
pub fn score_label(value: f64, decimals: usize, language: Language) -> String {
    if (value - value.round()).abs() < 1e-9 {
        return format!("{value:.0}");
    }
    let text = format!("{value:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if language == Language::English { text.to_owned() } else { text.replace('.', ",") }
}

/// The grey level of a band `severity` steps from the least severe: even steps, at
/// least [`MIN_SHADE_STEP`] apart, the most severe the darkest.
pub fn shade(severity: usize, bands: usize) -> f64 {
    let step =
        if bands < 2 { 0.0 } else { ((LIGHTEST - DARKEST) / (bands - 1) as f64).clamp(MIN_SHADE_STEP, MAX_SHADE_STEP) };
    LIGHTEST - step * severity as f64
}

/// The bands as stripes: each reaches halfway to the next band's first score, so
/// that whole-number bands (0–4, 5–9) meet at 4.5 with no gap; each named beside the
/// plot with its range.
fn stripes(
    instrument: &Instrument,
    low: f64,
    high: f64,
    label_x: f64,
    language: Language,
    y_of: &impl Fn(f64) -> f64,
) -> Vec<BandStripe> {
    let bands = &instrument.bands;
    let count = bands.len();
    let chars = ((WIDTH - label_x - 2.0) / (EM * LABEL_SIZE)).floor() as usize;
    bands
        .iter()
        .enumerate()
        .map(|(index, band)| {
            let from = if index == 0 { low } else { (bands[index - 1].to + band.from) / 2.0 };
            let to = if index + 1 == count { high } else { (band.to + bands[index + 1].from) / 2.0 };
            let (top, bottom) = (y_of(to.min(high)), y_of(from.max(low)));
            let severity = if instrument.scoring.higher_is_worse { index } else { count - 1 - index };
            let name = band.label.best(language).to_owned();
            let range = format!("{}–{}", score_label(band.from, 2, language), score_label(band.to, 2, language));
            let lines = band_lines(&name, &range, chars, bottom - top);
            let first = (top + bottom) / 2.0 - lines.len() as f64 * LINE_HEIGHT / 2.0 + LINE_HEIGHT * 0.5 + 4.5;
            let label = lines
                .into_iter()
                .enumerate()
                .map(|(line, text)| Text {
                    text,
                    x: label_x,
                    y: first + line as f64 * LINE_HEIGHT,
                    size: LABEL_SIZE,
                    bold: false,
                    anchor: Anchor::Start,
                })
                .collect();
            BandStripe { band: index, top, bottom, severity, shade: shade(severity, count), name, range, label }
        })
        .collect()
}

/// A band's name broken into lines of at most `chars` characters with its range
/// under it, as much of it as `height` holds: all; else the range on the name's line;
/// else the name alone; else its first line.
fn band_lines(name: &str, range: &str, chars: usize, height: f64) -> Vec<String> {
    let fits = |lines: usize| lines as f64 * LINE_HEIGHT <= height;
    let name_lines = wrap(name, chars);
    let mut all = name_lines.clone();
    all.push(range.to_owned());
    if fits(all.len()) {
        return all;
    }
    let joined = format!("{name} {range}");
    if name_lines.len() == 1 && joined.chars().count() <= chars && fits(1) {
        return vec![joined];
    }
    if fits(name_lines.len()) {
        return name_lines;
    }
    if fits(1) {
        let mut line = name_lines.into_iter().next().unwrap_or_default();
        line.push('…');
        return vec![line];
    }
    Vec::new()
}

/// Breaks `text` at spaces into lines of at most `chars` characters; a longer word
/// keeps a line of its own.
fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= chars => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// A box: left, top, right, bottom.
type Area = (f64, f64, f64, f64);

fn overlaps(a: Area, b: Area) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Whether the segment from `p` to `q` crosses `area`.
fn crosses((p, q): ((f64, f64), (f64, f64)), area: Area) -> bool {
    let inside = |(x, y): (f64, f64)| x >= area.0 && x <= area.2 && y >= area.1 && y <= area.3;
    if inside(p) || inside(q) {
        return true;
    }
    // Clip against the box (Liang–Barsky): the part of the segment within each slab.
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut enter, mut leave) = (0.0f64, 1.0f64);
    for (step, room) in [(-dx, p.0 - area.0), (dx, area.2 - p.0), (-dy, p.1 - area.1), (dy, area.3 - p.1)] {
        if step == 0.0 {
            if room < 0.0 {
                return false;
            }
        } else {
            let t = room / step;
            if step < 0.0 {
                enter = enter.max(t);
            } else {
                leave = leave.min(t);
            }
        }
    }
    enter <= leave
}

/// The space a point's marker takes.
fn marker_area(point: &Point) -> Area {
    let r = if point.reading.flagged { FLAG } else { point.radius };
    (point.x - r, point.y - r, point.x + r, point.y + r)
}

/// Writes each point's total above, below, right or left of it, where it touches no line, no other
/// point and no other total: the latest first, then those with a reliable change or a
/// risk flag, then the rest, newest first. The latest and the marked ones, if nothing
/// is free, still get a place clear of other totals; a reliable change then keeps its
/// arrow beside the point.
fn place_values(points: &mut [Point], plot: Area, higher_is_worse: bool, language: Language) {
    let (left, _, right, bottom) = plot;
    let segments: Vec<((f64, f64), (f64, f64))> =
        points.windows(2).map(|pair| ((pair[0].x, pair[0].y), (pair[1].x, pair[1].y))).collect();
    let markers: Vec<Area> = points.iter().map(marker_area).collect();
    let marked =
        |point: &Point| point.reading.flagged || point.reading.change.is_some_and(|c| c != Change::NoReliableChange);
    let mut order: Vec<usize> = (0..points.len()).rev().collect();
    order.sort_by_key(|&index| (!points[index].latest, !marked(&points[index])));
    let mut taken: Vec<Area> = Vec::new();
    for index in order {
        let point = &points[index];
        let size = if point.latest { LATEST_SIZE } else { VALUE_SIZE };
        let text = score_label(point.reading.total, 1, language);
        let width = text_width(&text, size);
        let arrow = point.reading.change.filter(|c| *c != Change::NoReliableChange).map(|change| {
            let worse = change == Change::ReliableDeterioration;
            (change, worse == higher_is_worse)
        });
        let extra = if arrow.is_some() { 4.0 + 2.0 * MARK } else { 0.0 };
        let reach = if point.reading.flagged { FLAG } else { point.radius } + 4.0;
        let half = (width + extra) / 2.0;
        // Above, below, then right and left of the point, each as (centre, baseline).
        let candidates = [
            (point.x, point.y - reach - size * 0.15),
            (point.x, point.y + reach + size * 0.75),
            (point.x + reach + half, point.y + size * 0.3),
            (point.x - reach - half, point.y + size * 0.3),
        ]
        .map(|(centre, baseline)| {
            let area = (
                centre - half - CLEARANCE,
                baseline - size * 0.75 - CLEARANCE,
                centre + half + CLEARANCE,
                baseline + size * 0.15 + CLEARANCE,
            );
            (centre - extra / 2.0, baseline, area)
        });
        let in_bounds = |area: Area| area.0 >= left && area.2 <= right && area.1 >= 0.0 && area.3 <= bottom;
        let clear_of_totals = |area: Area| !taken.iter().any(|other| overlaps(area, *other));
        let clear_of_drawing = |area: Area| {
            !segments.iter().any(|segment| crosses(*segment, area))
                && !markers.iter().enumerate().any(|(other, marker)| other != index && overlaps(area, *marker))
        };
        let chosen = candidates
            .iter()
            .find(|(_, _, area)| in_bounds(*area) && clear_of_totals(*area) && clear_of_drawing(*area))
            .or_else(|| {
                (point.latest || marked(point))
                    .then(|| candidates.iter().find(|(_, _, area)| in_bounds(*area) && clear_of_totals(*area)))
                    .flatten()
            })
            .copied();
        let point = &mut points[index];
        match chosen {
            Some((text_x, baseline, area)) => {
                taken.push(area);
                point.value = Some(Text { text, x: text_x, y: baseline, size, bold: true, anchor: Anchor::Middle });
                point.mark = arrow.map(|(change, up)| Mark {
                    change,
                    up,
                    x: text_x + width / 2.0 + 4.0 + MARK,
                    y: baseline - size * 0.35,
                });
            }
            None => {
                let beside = point.x + point.radius + 4.0 + MARK;
                point.mark = arrow.map(|(change, up)| Mark { change, up, x: beside, y: point.y });
            }
        }
    }
}

/// Writes the dates under the axis: the newest, then each older one that keeps clear
/// of the last one written — the latest reading is the one a reader looks for.
fn place_dates(points: &mut [Point], bottom: f64) {
    let mut last_shown: Option<f64> = None;
    for point in points.iter_mut().rev() {
        let text = point.reading.date.dotted();
        let gap = text_width(&text, LABEL_SIZE) + 10.0;
        if last_shown.is_none_or(|x| x - point.x >= gap) {
            last_shown = Some(point.x);
            point.date = Some(Text {
                text,
                x: point.x,
                y: bottom + 8.0 + LABEL_SIZE,
                size: LABEL_SIZE,
                bold: false,
                anchor: Anchor::Middle,
            });
        }
    }
}

/// What the chart needs explained: the arrows and the diamond it shows, and what a
/// reliable change is wherever one could be judged.
fn legend(instrument: &Instrument, points: &[Point]) -> Vec<Legend> {
    let up_is_worse = instrument.scoring.higher_is_worse;
    let shows = |change: Change| points.iter().any(|p| p.mark.is_some_and(|m| m.change == change));
    let mut legend = Vec::new();
    if shows(Change::ReliableDeterioration) {
        legend.push(Legend::Worse { up: up_is_worse });
    }
    if shows(Change::ReliableImprovement) {
        legend.push(Legend::Better { up: !up_is_worse });
    }
    if points.iter().any(|p| p.reading.flagged) {
        legend.push(Legend::Flag);
    }
    if let Some(rule) = instrument.reliable_change.as_ref().filter(|_| points.len() > 1) {
        legend.push(Legend::Threshold { points: rule.threshold(), provisional: rule.provisional() });
    }
    legend
}

/// Round scores to mark on the y axis: from the lowest in steps of 1, 2, 5, 10, 20,
/// 25, 50… — the smallest step that keeps marks [`MIN_TICK_GAP`] apart over `height`.
/// The top is marked only when a step lands on it: PHQ-9's 27 is the plot's top edge
/// (and the top band says "20–27"), not a label crowding 25.
fn ticks(low: f64, high: f64, height: f64) -> Vec<f64> {
    let span = high - low;
    let steps = [0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0];
    let step = steps.into_iter().find(|step| height * step / span >= MIN_TICK_GAP).unwrap_or(span);
    let mut values = Vec::new();
    let mut index = 0;
    loop {
        let value = low + step * f64::from(index);
        if value > high + 1e-9 {
            break;
        }
        // Multiples of a decimal step, without the float's tail (0.30000000000000004).
        values.push((value * 1000.0).round() / 1000.0);
        index += 1;
    }
    values
}

#[cfg(test)]
mod tests;
