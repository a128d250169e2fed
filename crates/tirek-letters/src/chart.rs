//! A questionnaire's results on paper: the trend chart laid out by
//! `tirek_domain::chart` — the same layout the window draws as SVG — drawn with
//! PDF operators at the scale of the text column (type included), with its legend,
//! and the table of scores under it. Bands are plain greys and every mark is a shape,
//! so the chart survives a grey laser printer.

use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, Point as PdfPoint, Polygon, PolygonRing, Pt, Rect, Rgb, WindingOrder,
};
use tirek_domain::Language;
use tirek_domain::chart::{Anchor, FLAG, HEIGHT, LABEL_SIZE, Legend, MARK, Text, Trend, WIDTH};
use tirek_domain::instrument::Change;
use tirek_i18n::{FluentArgs, Messages};

use crate::layout::{Flow, Fonts, MARGIN, text_at, wrap_by};

/// One instrument's results, as a document prints them.
#[derive(Debug, Clone)]
pub struct Results {
    /// The instrument's name.
    pub name: String,
    /// The chart, when there is a total to draw (its band names in the document's
    /// language).
    pub chart: Option<Trend>,
    /// One row per assessment, oldest first.
    pub rows: Vec<ScoreRow>,
    /// A line under the table: the reliable-change threshold, "provisional", an
    /// unvalidated translation.
    pub notes: Vec<String>,
}

/// One assessment in the table.
#[derive(Debug, Clone)]
pub struct ScoreRow {
    /// The day, formatted.
    pub date: String,
    /// The total ("—" when there is none).
    pub total: String,
    /// The band's name.
    pub band: String,
    /// The reliable change from the one before, in words.
    pub change: String,
}

/// Shows a score the way people write it: whole numbers plain, others with one
/// decimal and, in Kazakh and Russian, a decimal comma.
pub fn score_text(value: f64, language: Language) -> String {
    if (value - value.round()).abs() < 1e-9 {
        return format!("{value:.0}");
    }
    let text = format!("{value:.1}");
    if language == Language::English { text } else { text.replace('.', ",") }
}

const ACCENT: (f32, f32, f32) = (0.12, 0.35, 0.55);
const DANGER: (f32, f32, f32) = (0.61, 0.17, 0.17);
const MUTED: (f32, f32, f32) = (0.35, 0.35, 0.35);
const INK: (f32, f32, f32) = (0.0, 0.0, 0.0);
const PAPER: (f32, f32, f32) = (1.0, 1.0, 1.0);

fn colour((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

/// Millimetres in points.
fn points(mm: f32) -> f32 {
    mm / 0.3528
}

/// Chart units to the page: `scale` mm per unit, from the block's top-left corner.
struct Frame {
    left: f32,
    top: f32,
    scale: f32,
}

impl Frame {
    fn point(&self, x: f64, y: f64) -> PdfPoint {
        PdfPoint { x: Mm(self.left + x as f32 * self.scale).into(), y: Mm(self.top - y as f32 * self.scale).into() }
    }

    fn mm(&self, x: f64, y: f64) -> (f32, f32) {
        (self.left + x as f32 * self.scale, self.top - y as f32 * self.scale)
    }

    /// A length in chart units as a line thickness.
    fn thickness(&self, units: f32) -> Pt {
        Pt(points(units * self.scale))
    }

    /// A type size in chart units, in points: the chart's proportions hold on paper.
    fn type_size(&self, units: f64) -> f32 {
        points(units as f32 * self.scale)
    }
}

fn path(points: impl IntoIterator<Item = PdfPoint>) -> Vec<LinePoint> {
    points.into_iter().map(|p| LinePoint { p, bezier: false }).collect()
}

fn shape(points: Vec<LinePoint>, mode: PaintMode) -> Op {
    Op::DrawPolygon {
        polygon: Polygon { rings: vec![PolygonRing { points }], mode, winding_order: WindingOrder::NonZero },
    }
}

/// A circle of `radius` chart units as a 24-sided polygon.
fn circle(frame: &Frame, x: f64, y: f64, radius: f64) -> Vec<LinePoint> {
    path((0..24).map(|step| {
        let angle = f64::from(step) * std::f64::consts::TAU / 24.0;
        frame.point(x + radius * angle.cos(), y + radius * angle.sin())
    }))
}

/// The diamond with "!" that marks an assessment that raised a risk flag, `half` its
/// half-diagonal.
fn flag_mark(ops: &mut Vec<Op>, fonts: &Fonts, frame: &Frame, x: f64, y: f64, half: f64) {
    let corners = [(0.0, -half), (half, 0.0), (0.0, half), (-half, 0.0)];
    let diamond = || path(corners.iter().map(|(dx, dy)| frame.point(x + dx, y + dy)));
    ops.push(Op::SetFillColor { col: colour(PAPER) });
    ops.push(shape(diamond(), PaintMode::Fill));
    ops.push(Op::SetOutlineColor { col: colour(DANGER) });
    ops.push(Op::SetOutlineThickness { pt: frame.thickness(2.0) });
    ops.push(shape(diamond(), PaintMode::Stroke));
    let size = frame.type_size(half * 1.25);
    let (left, baseline) = frame.mm(x, y + half * 1.25 * 0.36);
    ops.push(Op::SetFillColor { col: colour(DANGER) });
    text_at(ops, &fonts.bold, size, left - fonts.metrics.width(true, size, "!") / 2.0, baseline, "!");
}

/// The reliable-change arrow: a triangle pointing the way the score moved, filled
/// when worse, hollow when better.
fn change_mark(ops: &mut Vec<Op>, frame: &Frame, x: f64, y: f64, up: bool, worse: bool) {
    let tip = if up { -MARK } else { MARK };
    let corners = [(0.0, tip), (MARK, -tip), (-MARK, -tip)];
    let triangle = || path(corners.iter().map(|(dx, dy)| frame.point(x + dx, y + dy)));
    ops.push(Op::SetFillColor { col: colour(if worse { DANGER } else { PAPER }) });
    ops.push(shape(triangle(), PaintMode::Fill));
    ops.push(Op::SetOutlineColor { col: colour(if worse { DANGER } else { INK }) });
    ops.push(Op::SetOutlineThickness { pt: frame.thickness(1.5) });
    ops.push(shape(triangle(), PaintMode::Stroke));
}

/// The words of a chart's legend entry in `language`: the same for the window and
/// the page.
pub fn legend_text(key: &Legend, language: Language) -> String {
    let messages = Messages::new(language);
    match key {
        Legend::Worse { .. } => messages.get("chart-legend-worse"),
        Legend::Better { .. } => messages.get("chart-legend-better"),
        Legend::Flag => messages.get("chart-legend-flag"),
        Legend::Threshold { points, provisional } => {
            let points = (points * 10.0).round() / 10.0;
            let mut args = FluentArgs::new();
            args.set("points", score_text(points, language));
            // The number itself picks the plural: "3,9 балла", "10 баллов".
            args.set("count", points);
            let id = if *provisional { "chart-legend-threshold-provisional" } else { "chart-legend-threshold" };
            messages.format(id, Some(&args))
        }
    }
}

/// Draws `results`' chart `width` mm wide at the flow's position, with its legend
/// under it, keeping both whole on one page.
pub(crate) fn draw_chart(flow: &mut Flow, fonts: &Fonts, results: &Results, language: Language, width: f32) {
    let Some(trend) = &results.chart else { return };
    let scale = width / WIDTH as f32;
    let frame_height = HEIGHT as f32 * scale + 2.0;
    let legend_size = points(LABEL_SIZE as f32 * scale);
    let indent = 8.0;
    let legend: Vec<(Legend, String)> =
        trend.legend.iter().map(|key| (*key, flow.printable(&legend_text(key, language)))).collect();
    let legend_lines: usize = legend
        .iter()
        .map(|(_, text)| wrap_by(text, |line| fonts.metrics.width(false, legend_size, line) <= width - indent).len())
        .sum();
    flow.keep(frame_height + Flow::height_of(legend_lines, legend_size) + 1.0 + 0.8 * legend.len() as f32);

    // Every text the chart writes, with what the fonts cannot print replaced.
    let texts: Vec<(&Text, String)> = trend
        .bands
        .iter()
        .flat_map(|b| &b.label)
        .chain(trend.ticks.iter().map(|t| &t.label))
        .chain(trend.points.iter().flat_map(|p| p.value.iter().chain(&p.date)))
        .map(|text| (text, flow.printable(&text.text)))
        .collect();

    let (ops, top) = flow.block(frame_height);
    let frame = Frame { left: MARGIN, top, scale };
    let (left, plot_top, right, bottom) = trend.plot;
    ops.push(Op::SaveGraphicsState);
    for stripe in &trend.bands {
        let (x, y) = frame.mm(left, stripe.bottom);
        let grey = stripe.shade as f32;
        ops.push(Op::SetFillColor { col: colour((grey, grey, grey)) });
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x).into(),
                y: Mm(y).into(),
                width: Mm((right - left) as f32 * scale).into(),
                height: Mm((stripe.bottom - stripe.top) as f32 * scale).into(),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }
    // A line of paper between bands: two close greys still read as two bands.
    ops.push(Op::SetOutlineColor { col: colour(PAPER) });
    ops.push(Op::SetOutlineThickness { pt: frame.thickness(1.5) });
    for stripe in trend.bands.iter().filter(|b| b.top > plot_top + 0.5) {
        ops.push(Op::DrawLine {
            line: Line {
                points: path([frame.point(left, stripe.top), frame.point(right, stripe.top)]),
                is_closed: false,
            },
        });
    }
    ops.push(Op::SetOutlineColor { col: colour(MUTED) });
    ops.push(Op::SetOutlineThickness { pt: frame.thickness(1.0) });
    ops.push(Op::DrawLine {
        line: Line {
            points: path([frame.point(left, plot_top), frame.point(left, bottom), frame.point(right, bottom)]),
            is_closed: false,
        },
    });
    for tick in &trend.ticks {
        ops.push(Op::DrawLine {
            line: Line { points: path([frame.point(left - 5.0, tick.y), frame.point(left, tick.y)]), is_closed: false },
        });
    }
    if trend.points.len() > 1 {
        ops.push(Op::SetOutlineColor { col: colour(ACCENT) });
        ops.push(Op::SetOutlineThickness { pt: frame.thickness(2.0) });
        ops.push(Op::DrawLine {
            line: Line { points: path(trend.points.iter().map(|p| frame.point(p.x, p.y))), is_closed: false },
        });
    }
    for point in &trend.points {
        if point.reading.flagged {
            flag_mark(ops, fonts, &frame, point.x, point.y, FLAG);
        } else {
            ops.push(Op::SetFillColor { col: colour(ACCENT) });
            ops.push(shape(circle(&frame, point.x, point.y, point.radius), PaintMode::Fill));
        }
        if let Some(mark) = point.mark {
            change_mark(ops, &frame, mark.x, mark.y, mark.up, mark.change == Change::ReliableDeterioration);
        }
    }
    ops.push(Op::RestoreGraphicsState);

    for (text, printable) in &texts {
        let size = frame.type_size(text.size);
        let font = if text.bold { &fonts.bold } else { &fonts.serif };
        let (x, y) = frame.mm(text.x, text.y);
        let width = fonts.metrics.width(text.bold, size, printable);
        let x = match text.anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        text_at(ops, font, size, x, y, printable);
    }

    // The legend's symbols a little smaller than on the chart, to sit within a line.
    flow.space(1.0);
    for (key, text) in &legend {
        flow.keep(Flow::height_of(1, legend_size));
        let middle = flow.y() - Flow::height_of(1, legend_size) + legend_size * 0.3528 * 0.35;
        let symbol = Frame { left: MARGIN + 3.0, top: middle, scale: scale * 0.75 };
        let ops = flow.page();
        ops.push(Op::SaveGraphicsState);
        match key {
            Legend::Worse { up } => change_mark(ops, &symbol, 0.0, 0.0, *up, true),
            Legend::Better { up } => change_mark(ops, &symbol, 0.0, 0.0, *up, false),
            Legend::Flag => flag_mark(ops, fonts, &symbol, 0.0, 0.0, FLAG),
            Legend::Threshold { .. } => {}
        }
        ops.push(Op::RestoreGraphicsState);
        flow.measured(&fonts.serif, false, legend_size, indent, width - indent, text);
        flow.space(0.8);
    }
    flow.space(2.0);
}

/// Draws the table of `results`' scores (date, total, band, change) and its notes.
pub(crate) fn draw_table(flow: &mut Flow, fonts: &Fonts, results: &Results, headings: [&str; 4]) {
    let size = 10.0;
    let columns = [0.0, 26.0, 44.0, 92.0];
    let row = |flow: &mut Flow, bold: bool, cells: [&str; 4]| {
        let (ops, top) = flow.block(Flow::height_of(1, size));
        let font = if bold { &fonts.bold } else { &fonts.serif };
        for (x, text) in columns.iter().zip(cells) {
            text_at(ops, font, size, MARGIN + x, top - size * 0.3528 * 1.05, text);
        }
    };
    // The heading with up to five rows stays together: a short table is not split after
    // its first row.
    flow.keep(Flow::height_of(1 + results.rows.len().min(5), size));
    row(flow, true, headings);
    for score in &results.rows {
        row(flow, false, [&score.date, &score.total, &score.band, &score.change]);
    }
    for note in &results.notes {
        flow.paragraph(&fonts.serif, 9.0, 110, note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_states_the_threshold_with_the_right_plural_and_says_when_it_is_provisional() {
        // (points, provisional, language, words it holds)
        let cases = [
            (3.9, true, Language::Russian, "на 3,9 балла и более"),
            (10.0, false, Language::Russian, "на 10 баллов и более"),
            (4.0, false, Language::Russian, "на 4 балла и более"),
            (1.0, false, Language::English, "A change of 1 point or more"),
            (3.9, true, Language::English, "Provisional threshold"),
            (3.9, true, Language::Kazakh, "3,9 балл және одан көп"),
        ];
        for (points, provisional, language, words) in cases {
            let text = legend_text(&Legend::Threshold { points, provisional }, language);
            assert!(text.contains(words), "{language:?} {points}: {text}");
            let says_provisional = ["Provisional", "предварительный", "алдын ала"].iter().any(|w| text.contains(w));
            assert_eq!(says_provisional, provisional, "{text}");
        }
        assert_eq!(
            legend_text(&Legend::Flag, Language::English),
            "Raised a risk flag: a safety rule fired on this assessment"
        );
    }

    #[test]
    fn scores_are_written_as_people_write_them() {
        assert_eq!(score_text(12.0, Language::Russian), "12");
        assert_eq!(score_text(62.5, Language::Russian), "62,5");
        assert_eq!(score_text(62.5, Language::Kazakh), "62,5");
        assert_eq!(score_text(62.5, Language::English), "62.5");
    }
}
