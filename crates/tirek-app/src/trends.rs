//! A client's questionnaires as trends: per instrument, the chart laid out by
//! `tirek_domain::chart` (the one layout the window and the letters draw), and the
//! answers item by item over time.

use serde::{Deserialize, Serialize};
use tirek_domain::Language;
use tirek_domain::chart::{Anchor, Legend, Reading, Trend};
use tirek_domain::date::Date;
use tirek_domain::instrument::{Change, Instrument};

use crate::{App, AssessmentView, Result};

/// One instrument's results for a client, ready to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct InstrumentTrend {
    pub instrument: String,
    pub name: String,
    /// The chart, when at least one assessment has a total.
    pub chart: Option<ChartView>,
    /// Each assessment's date, oldest first: the columns of `items`.
    pub dates: Vec<String>,
    /// The answers item by item, one per date.
    pub items: Vec<ItemRow>,
    /// The smallest reliable change, and whether it is provisional.
    pub change_threshold: Option<f64>,
    pub change_provisional: bool,
}

/// One item's answers over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ItemRow {
    pub number: u32,
    /// The item's wording ("Item 3" when the licensed text is not installed).
    pub text: String,
    /// Scored in reverse.
    pub reverse: bool,
    /// The answer on each date (`None`: not answered).
    pub answers: Vec<Option<i32>>,
    /// The answer's option label on each date.
    pub labels: Vec<Option<String>>,
}

/// The chart as the domain lays it out, in whole CSS pixels (y down), every word in
/// the chart's language: the window paints it as SVG at exactly `width` × `height`,
/// so that a 13-pixel label is 13 pixels on the screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChartView {
    pub width: i32,
    pub height: i32,
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    /// Bottom to top.
    pub bands: Vec<ChartBand>,
    /// The score axis: each mark's height and its label.
    pub ticks: Vec<ChartTick>,
    /// Oldest first.
    pub points: Vec<ChartPoint>,
    /// What the chart's marks mean, in words, only for marks it shows; and what a
    /// reliable change is, provisional or not.
    pub legend: Vec<ChartLegend>,
}

/// A text to write at its baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChartText {
    pub text: String,
    pub x: i32,
    pub y: i32,
    /// In pixels.
    pub size: i32,
    pub bold: bool,
    /// `start`, `middle` or `end`: as SVG's `text-anchor`.
    pub anchor: String,
}

/// A band's stripe, its name and range written beside the plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChartBand {
    pub label: String,
    /// Its scores, "15–19".
    pub range: String,
    pub top: i32,
    pub bottom: i32,
    /// 0 for the least severe band.
    pub severity: u32,
    /// Its grey, 0 (black) to 255 (white): darker with severity, adjacent bands apart.
    pub grey: i32,
    /// The lines beside the plot: the name (wrapped), then the range.
    pub lines: Vec<ChartText>,
}

/// A mark on the score axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChartTick {
    pub value: f64,
    pub y: i32,
    pub label: ChartText,
}

/// The arrow of a reliable change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChartMark {
    /// Filled when worse, hollow when better.
    pub worse: bool,
    /// Points the way the score moved.
    pub up: bool,
    pub x: i32,
    pub y: i32,
    /// Half its width.
    pub size: i32,
}

/// A placed assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChartPoint {
    pub date: String,
    pub total: f64,
    pub band_label: Option<String>,
    /// `reliable_improvement`, `reliable_deterioration`, `no_reliable_change`.
    pub change: Option<String>,
    pub x: i32,
    pub y: i32,
    /// The newest assessment: a larger dot and total.
    pub latest: bool,
    /// The dot's radius.
    pub radius: i32,
    /// A safety rule fired on it: drawn as a diamond with "!" of half-diagonal
    /// `flag_size` instead of a dot.
    pub flagged: bool,
    pub flag_size: i32,
    /// Its total, when it fits clear of the line and the other totals.
    pub value: Option<ChartText>,
    /// Its date under the axis, when it keeps clear of the others.
    pub date_label: Option<ChartText>,
    /// The reliable-change arrow.
    pub mark: Option<ChartMark>,
    /// Everything about it in words, for the pointer and screen readers: date, total,
    /// band, change (and whether its threshold is provisional), risk flag.
    pub hint: String,
}

/// One line of the legend: the symbol it explains (`worse`, `better`, `flag`, or
/// `threshold` without one) and its words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChartLegend {
    pub key: String,
    /// The arrow's direction, for `worse` and `better`.
    pub up: bool,
    pub text: String,
}

/// A client's latest result on one instrument, for the questionnaire overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct LatestResult {
    pub client_id: String,
    pub client_name: String,
    pub instrument: String,
    pub instrument_name: String,
    pub taken_on: String,
    pub total: f64,
    pub band_label: Option<String>,
    /// 0 for the instrument's least severe band, rising with severity.
    pub severity: u32,
    /// In the instrument's most severe band.
    pub most_severe: bool,
    /// Against the one before: `reliable_improvement`, `reliable_deterioration`,
    /// `no_reliable_change`.
    pub change: Option<String>,
    /// A safety rule fired on it.
    pub flagged: bool,
    /// The client's risk flags not yet resolved: shown on every screen that shows her.
    pub open_flags: u32,
}

/// The code a change is known by in views and Fluent (`choice-change-…`).
pub(crate) fn change_code(change: Change) -> &'static str {
    match change {
        Change::ReliableImprovement => "reliable_improvement",
        Change::ReliableDeterioration => "reliable_deterioration",
        Change::NoReliableChange => "no_reliable_change",
    }
}

pub(crate) fn change_of(code: &str) -> Option<Change> {
    match code {
        "reliable_improvement" => Some(Change::ReliableImprovement),
        "reliable_deterioration" => Some(Change::ReliableDeterioration),
        "no_reliable_change" => Some(Change::NoReliableChange),
        _ => None,
    }
}

/// The chart of `assessments` (one instrument's) as the domain lays it out in
/// `language`; `None` when none has a total. An assessment on which a safety rule
/// fired is marked as the one that raised a risk flag.
pub(crate) fn trend_of(instrument: &Instrument, assessments: &[&AssessmentView], language: Language) -> Option<Trend> {
    let readings: Vec<Reading> = assessments
        .iter()
        .filter_map(|a| {
            Some(Reading {
                date: Date::parse(&a.taken_on).ok()?,
                total: a.total?,
                change: a.change.as_deref().and_then(change_of),
                flagged: !a.flags.is_empty(),
            })
        })
        .collect();
    (!readings.is_empty()).then(|| Trend::lay_out(instrument, &readings, language))
}

/// `trend` for the window, its words in `language`.
pub(crate) fn chart_view(instrument: &Instrument, trend: &Trend, language: Language) -> ChartView {
    let messages = tirek_i18n::Messages::new(language);
    let band_label = |index: usize| instrument.bands[index].label.best(language).to_owned();
    let unit = |value: f64| value.round() as i32;
    let text = |text: &tirek_domain::chart::Text| ChartText {
        text: text.text.clone(),
        x: unit(text.x),
        y: unit(text.y),
        size: unit(text.size),
        bold: text.bold,
        anchor: match text.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
        .to_owned(),
    };
    let provisional = instrument.reliable_change.as_ref().is_some_and(|r| r.provisional());
    let hint = |point: &tirek_domain::chart::Point| {
        let mut parts = vec![format!(
            "{}: {}",
            point.reading.date.dotted(),
            tirek_domain::chart::score_label(point.reading.total, 1, language)
        )];
        parts.extend(point.band.map(band_label));
        if let Some(change) = point.reading.change {
            let words = messages.get(&format!("assessment-change-{}", change_code(change)));
            parts.push(if provisional {
                format!("{words} ({})", messages.get("chart-point-provisional"))
            } else {
                words
            });
        }
        if point.reading.flagged {
            parts.push(messages.get("assessment-flagged"));
        }
        parts.join(" · ")
    };
    let (left, top, right, bottom) = trend.plot;
    ChartView {
        width: unit(tirek_domain::chart::WIDTH),
        height: unit(tirek_domain::chart::HEIGHT),
        left: unit(left),
        top: unit(top),
        right: unit(right),
        bottom: unit(bottom),
        bands: trend
            .bands
            .iter()
            .map(|stripe| ChartBand {
                label: stripe.name.clone(),
                range: stripe.range.clone(),
                top: unit(stripe.top),
                bottom: unit(stripe.bottom),
                severity: stripe.severity as u32,
                grey: unit(stripe.shade * 255.0),
                lines: stripe.label.iter().map(text).collect(),
            })
            .collect(),
        ticks: trend
            .ticks
            .iter()
            .map(|tick| ChartTick { value: tick.value, y: unit(tick.y), label: text(&tick.label) })
            .collect(),
        points: trend
            .points
            .iter()
            .map(|point| ChartPoint {
                date: point.reading.date.to_string(),
                total: point.reading.total,
                band_label: point.band.map(band_label),
                change: point.reading.change.map(|c| change_code(c).to_owned()),
                x: unit(point.x),
                y: unit(point.y),
                latest: point.latest,
                radius: unit(point.radius),
                flagged: point.reading.flagged,
                flag_size: unit(tirek_domain::chart::FLAG),
                value: point.value.as_ref().map(text),
                date_label: point.date.as_ref().map(text),
                mark: point.mark.map(|mark| ChartMark {
                    worse: mark.change == Change::ReliableDeterioration,
                    up: mark.up,
                    x: unit(mark.x),
                    y: unit(mark.y),
                    size: unit(tirek_domain::chart::MARK),
                }),
                hint: hint(point),
            })
            .collect(),
        legend: trend
            .legend
            .iter()
            .map(|key| {
                let (code, up) = match key {
                    Legend::Worse { up } => ("worse", *up),
                    Legend::Better { up } => ("better", *up),
                    Legend::Flag => ("flag", false),
                    Legend::Threshold { .. } => ("threshold", false),
                };
                ChartLegend { key: code.to_owned(), up, text: tirek_letters::legend_text(key, language) }
            })
            .collect(),
    }
}

/// The instruments of `history`, in the order each was first given.
fn instrument_order(history: &[AssessmentView]) -> Vec<&str> {
    let mut order: Vec<&str> = Vec::new();
    for assessment in history {
        if !order.contains(&assessment.instrument.as_str()) {
            order.push(&assessment.instrument);
        }
    }
    order
}

impl App {
    /// Client `client_id`'s questionnaires as trends, one per instrument in the order
    /// first given, worded in the interface language.
    pub fn assessment_trends(&self, client_id: &str) -> Result<Vec<InstrumentTrend>> {
        let language = self.language();
        let history = self.assessments(client_id, None)?;
        let instruments = self.all_instruments();
        Ok(instrument_order(&history)
            .into_iter()
            .filter_map(|code| {
                let instrument = instruments.iter().find(|i| i.id == code)?;
                let list: Vec<&AssessmentView> = history.iter().filter(|a| a.instrument == code).collect();
                let option_label = |value: i32| {
                    instrument.options.iter().find(|o| o.value == value).map(|o| o.label.best(language).to_owned())
                };
                Some(InstrumentTrend {
                    instrument: code.to_owned(),
                    name: instrument.name.best(language).to_owned(),
                    chart: trend_of(instrument, &list, language).map(|trend| chart_view(instrument, &trend, language)),
                    dates: list.iter().map(|a| a.taken_on.clone()).collect(),
                    items: instrument
                        .items
                        .iter()
                        .enumerate()
                        .map(|(index, item)| {
                            let answers: Vec<Option<i32>> =
                                list.iter().map(|a| a.answers.get(index).copied().flatten()).collect();
                            let text = item.text.best(language);
                            ItemRow {
                                number: index as u32 + 1,
                                text: if text.is_empty() {
                                    let mut args = tirek_i18n::FluentArgs::new();
                                    args.set("number", index + 1);
                                    self.messages().format("assessment-item-number", Some(&args))
                                } else {
                                    text.to_owned()
                                },
                                reverse: item.reverse,
                                labels: answers.iter().map(|a| a.and_then(option_label)).collect(),
                                answers,
                            }
                        })
                        .collect(),
                    change_threshold: instrument.reliable_change.as_ref().map(|r| r.threshold()),
                    change_provisional: instrument.reliable_change.as_ref().is_some_and(|r| r.provisional()),
                })
            })
            .collect())
    }

    /// Client `client_id`'s questionnaire results as documents print them, in
    /// `language`: per instrument the chart, the table of scores and its notes.
    pub(crate) fn printed_results(&self, client_id: &str, language: Language) -> Result<Vec<tirek_letters::Results>> {
        let history = self.assessments(client_id, None)?;
        let instruments = self.all_instruments();
        let messages = tirek_i18n::Messages::new(language);
        Ok(instrument_order(&history)
            .into_iter()
            .filter_map(|code| {
                let instrument = instruments.iter().find(|i| i.id == code)?;
                let list: Vec<&AssessmentView> = history.iter().filter(|a| a.instrument == code).collect();
                let band_name =
                    |id: &str| instrument.bands.iter().find(|b| b.id == id).map(|b| b.label.best(language).to_owned());
                // The threshold, provisional or not, is in the chart's legend.
                let mut notes = Vec::new();
                if list.iter().any(|a| a.translation_not_validated) {
                    notes.push(messages.get("results-not-validated"));
                }
                Some(tirek_letters::Results {
                    name: instrument.name.best(language).to_owned(),
                    chart: trend_of(instrument, &list, language),
                    rows: list
                        .iter()
                        .map(|a| tirek_letters::ScoreRow {
                            date: Date::parse(&a.taken_on).map(Date::dotted).unwrap_or_else(|_| a.taken_on.clone()),
                            total: a.total.map_or_else(|| "—".to_owned(), |t| tirek_letters::score_text(t, language)),
                            band: a.band.as_deref().and_then(band_name).unwrap_or_default(),
                            change: a
                                .change
                                .as_deref()
                                .map(|c| messages.get(&format!("assessment-change-{c}")))
                                .unwrap_or_default(),
                        })
                        .collect(),
                    notes,
                })
            })
            .collect())
    }

    /// Every active client's latest result on each instrument, clients with an open
    /// risk flag first, then the most severe, then reliable deterioration, then the
    /// most recent: who is at risk, who is in the severe band and who got reliably
    /// worse, across the caseload.
    pub fn latest_results(&self) -> Result<Vec<LatestResult>> {
        let language = self.language();
        let instruments = self.all_instruments();
        let rows = self.with_profile(|open, _| Ok(open.scored_assessments()?))?;
        let mut latest: Vec<LatestResult> = Vec::new();
        for (index, row) in rows.iter().enumerate() {
            let next = rows.get(index + 1);
            if next.is_some_and(|n| n.client_id == row.client_id && n.instrument == row.instrument) {
                continue; // not the latest of its client and instrument
            }
            let Some(instrument) = instruments.iter().find(|i| i.id == row.instrument) else { continue };
            let total = row.total_centi as f64 / 100.0;
            let previous = index
                .checked_sub(1)
                .map(|i| &rows[i])
                .filter(|p| p.client_id == row.client_id && p.instrument == row.instrument);
            let band = row.band.as_deref().and_then(|id| instrument.bands.iter().position(|b| b.id == id));
            let count = instrument.bands.len();
            let severity = band.map_or(0, |b| if instrument.scoring.higher_is_worse { b } else { count - 1 - b });
            latest.push(LatestResult {
                client_id: row.client_id.clone(),
                client_name: row.client_name.clone(),
                instrument: row.instrument.clone(),
                instrument_name: instrument.name.best(language).to_owned(),
                taken_on: row.taken_on.clone(),
                total,
                band_label: band.map(|b| instrument.bands[b].label.best(language).to_owned()),
                severity: severity as u32,
                most_severe: band.is_some() && severity + 1 == count,
                change: previous
                    .and_then(|p| instrument.change(p.total_centi as f64 / 100.0, total))
                    .map(|c| change_code(c).to_owned()),
                flagged: row.flagged,
                open_flags: row.client_open_flags,
            });
        }
        let rank = |r: &LatestResult| {
            (
                std::cmp::Reverse(r.open_flags > 0),
                std::cmp::Reverse(r.most_severe),
                std::cmp::Reverse(r.change.as_deref() == Some("reliable_deterioration")),
            )
        };
        latest.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| b.taken_on.cmp(&a.taken_on)));
        Ok(latest)
    }
}

#[cfg(test)]
mod tests {
    use tirek_domain::chart::{LABEL_SIZE, MIN_SHADE_STEP, Reading, Trend, WIDTH, text_width};
    use tirek_domain::date::Date;

    use super::*;

    /// Every shipped instrument in every language: each band named beside the plot with
    /// its range, inside the chart; adjacent bands apart in grey; a few round marks on
    /// the axis; nothing written smaller than a clinic screen shows at arm's length.
    #[test]
    fn every_shipped_instruments_chart_names_its_bands_with_their_ranges_in_every_language() {
        for instrument in crate::instruments::bundled() {
            let (low, high) = instrument.scoring.range;
            let day = |month| Date::new(2026, month, 1).unwrap();
            let readings = [low, high, (low + high) / 2.0]
                .into_iter()
                .zip(1..)
                .map(|(total, month)| Reading { date: day(month), total, change: None, flagged: month == 2 })
                .collect::<Vec<_>>();
            for language in Language::ALL {
                let trend = Trend::lay_out(instrument, &readings, language);
                let case = format!("{} in {language:?}", instrument.id);
                for stripe in &trend.bands {
                    let written: Vec<&str> = stripe.label.iter().map(|t| t.text.as_str()).collect();
                    assert_eq!(written.join(" "), format!("{} {}", stripe.name, stripe.range), "{case}");
                    for line in &stripe.label {
                        assert!(
                            line.x + text_width(&line.text, line.size) <= WIDTH,
                            "{case}: {line:?} leaves the chart"
                        );
                        assert!(line.y - line.size * 0.75 >= stripe.top && line.y <= stripe.bottom, "{case}: {line:?}");
                    }
                }
                for pair in trend.bands.windows(2) {
                    assert!((pair[0].shade - pair[1].shade).abs() >= MIN_SHADE_STEP - 1e-9, "{case}");
                }
                assert!((3..=7).contains(&trend.ticks.len()), "{case}: {:?}", trend.ticks);
                let view = chart_view(instrument, &trend, language);
                let texts = view.ticks.iter().map(|t| &t.label).chain(view.bands.iter().flat_map(|b| &b.lines));
                let texts = texts.chain(view.points.iter().flat_map(|p| p.value.iter().chain(&p.date_label)));
                for text in texts {
                    assert!(f64::from(text.size) >= LABEL_SIZE, "{case}: {text:?}");
                }
                assert!(view.points[1].flagged && view.legend.iter().any(|l| l.key == "flag"), "{case}");
            }
        }
    }
}
