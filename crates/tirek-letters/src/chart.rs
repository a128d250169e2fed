//! A questionnaire's results on paper: the trend chart laid out by
//! `tirek_domain::chart` — the same layout the window draws as SVG — drawn with
//! PDF operators, and the table of scores beside it.

use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, Point as PdfPoint, Polygon, PolygonRing, Pt, Rect, Rgb, WindingOrder,
};
use tirek_domain::Language;
use tirek_domain::chart::{HEIGHT, Trend, WIDTH};
use tirek_domain::instrument::Change;

use crate::layout::{Flow, Fonts, MARGIN, text_at};

/// One instrument's results, as a document prints them.
#[derive(Debug, Clone)]
pub struct Results {
    /// The instrument's name.
    pub name: String,
    /// The chart, when there is a total to draw.
    pub chart: Option<Trend>,
    /// The instrument's band names, in its order.
    pub band_labels: Vec<String>,
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
const BAND: (f32, f32, f32) = (0.79, 0.54, 0.11);
const GRID: (f32, f32, f32) = (0.80, 0.80, 0.80);
const MUTED: (f32, f32, f32) = (0.35, 0.35, 0.35);
const INK: (f32, f32, f32) = (0.0, 0.0, 0.0);

fn colour((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

/// `colour` laid over white at `opacity`: a tint without transparency groups.
fn tint((r, g, b): (f32, f32, f32), opacity: f32) -> (f32, f32, f32) {
    let over = |c: f32| 1.0 - opacity + c * opacity;
    (over(r), over(g), over(b))
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

/// Draws `results`' chart `width` mm wide at the flow's position, keeping it whole
/// on one page.
pub(crate) fn draw_chart(flow: &mut Flow, fonts: &Fonts, results: &Results, language: Language, width: f32) {
    let Some(trend) = &results.chart else { return };
    let scale = width / WIDTH as f32;
    let (ops, top) = flow.block(HEIGHT as f32 * scale + 2.0);
    let frame = Frame { left: MARGIN, top, scale };
    let (left, plot_top, right, bottom) = trend.plot;

    ops.push(Op::SaveGraphicsState);
    for stripe in &trend.bands {
        let (x, y) = frame.mm(left, stripe.bottom);
        ops.push(Op::SetFillColor { col: colour(tint(BAND, 0.06 + 0.09 * stripe.severity as f32)) });
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
    ops.push(Op::SetOutlineColor { col: colour(GRID) });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.4) });
    for tick in &trend.ticks {
        ops.push(Op::DrawLine {
            line: Line { points: path([frame.point(left, tick.y), frame.point(right, tick.y)]), is_closed: false },
        });
    }
    ops.push(Op::SetOutlineColor { col: colour(MUTED) });
    ops.push(Op::DrawLine {
        line: Line {
            points: path([frame.point(left, plot_top), frame.point(left, bottom), frame.point(right, bottom)]),
            is_closed: false,
        },
    });
    if trend.points.len() > 1 {
        ops.push(Op::SetOutlineColor { col: colour(ACCENT) });
        ops.push(Op::SetOutlineThickness { pt: Pt(1.2) });
        ops.push(Op::DrawLine {
            line: Line { points: path(trend.points.iter().map(|p| frame.point(p.x, p.y))), is_closed: false },
        });
    }
    ops.push(Op::SetOutlineColor { col: colour(INK) });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.9) });
    for point in &trend.points {
        match point.reading.change {
            Some(Change::ReliableImprovement) => {
                ops.push(shape(circle(&frame, point.x, point.y, 9.0), PaintMode::Stroke))
            }
            Some(Change::ReliableDeterioration) => {
                let corners = [(0.0, -11.0), (11.0, 0.0), (0.0, 11.0), (-11.0, 0.0)];
                ops.push(shape(
                    path(corners.iter().map(|(dx, dy)| frame.point(point.x + dx, point.y + dy))),
                    PaintMode::Stroke,
                ));
            }
            _ => {}
        }
    }
    ops.push(Op::SetFillColor { col: colour(ACCENT) });
    for point in &trend.points {
        ops.push(shape(circle(&frame, point.x, point.y, 4.0), PaintMode::Fill));
    }
    ops.push(Op::RestoreGraphicsState);

    let label = 7.0;
    let centred = |ops: &mut Vec<Op>, bold: bool, x: f64, y: f64, text: &str| {
        let (x, y) = frame.mm(x, y);
        let font = if bold { &fonts.bold } else { &fonts.serif };
        text_at(ops, font, label, x - fonts.metrics.width(bold, label, text) / 2.0, y, text);
    };
    for tick in &trend.ticks {
        let text = score_text(tick.value, language);
        let (x, y) = frame.mm(left - 6.0, tick.y + 3.0);
        text_at(ops, &fonts.serif, label, x - fonts.metrics.width(false, label, &text), y, &text);
    }
    for stripe in &trend.bands {
        if let (Some(y), Some(name)) = (stripe.label_y, results.band_labels.get(stripe.band)) {
            let (x, y) = frame.mm(trend.band_label_x, y + 3.0);
            text_at(ops, &fonts.serif, label, x, y, name);
        }
    }
    for point in &trend.points {
        if point.shows_value {
            centred(ops, true, point.x, point.value_y, &score_text(point.reading.total, language));
        }
        if point.shows_date {
            centred(ops, false, point.x, trend.date_y, &point.reading.date.dotted());
        }
    }
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
    flow.keep(Flow::height_of(2, size));
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
    fn scores_are_written_as_people_write_them() {
        assert_eq!(score_text(12.0, Language::Russian), "12");
        assert_eq!(score_text(62.5, Language::Russian), "62,5");
        assert_eq!(score_text(62.5, Language::Kazakh), "62,5");
        assert_eq!(score_text(62.5, Language::English), "62.5");
    }
}
