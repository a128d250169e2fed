//! A client's questionnaires as trends: per instrument, the chart laid out by
//! `tirek_domain::chart` (the one layout the window and the letters draw), and the
//! answers item by item over time.

use serde::{Deserialize, Serialize};
use tirek_domain::Language;
use tirek_domain::chart::{Reading, Trend};
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

/// The chart's geometry in whole chart units ([`tirek_domain::chart::WIDTH`] wide, y
/// down): fine enough for a screen, and free of the NaN a float could carry.
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
    pub bands: Vec<ChartBand>,
    /// (score, y) of each mark on the score axis.
    pub ticks: Vec<(f64, i32)>,
    pub points: Vec<ChartPoint>,
    pub band_label_x: i32,
    pub date_y: i32,
}

/// A band's stripe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChartBand {
    pub label: String,
    pub top: i32,
    pub bottom: i32,
    /// 0 for the least severe band.
    pub severity: u32,
    pub label_y: Option<i32>,
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
    pub shows_value: bool,
    pub value_y: i32,
    pub shows_date: bool,
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

/// The chart of `assessments` (one instrument's) as the domain lays it out; `None`
/// when none has a total.
pub(crate) fn trend_of(instrument: &Instrument, assessments: &[&AssessmentView]) -> Option<Trend> {
    let readings: Vec<Reading> = assessments
        .iter()
        .filter_map(|a| {
            Some(Reading {
                date: Date::parse(&a.taken_on).ok()?,
                total: a.total?,
                change: a.change.as_deref().and_then(change_of),
            })
        })
        .collect();
    (!readings.is_empty()).then(|| Trend::lay_out(instrument, &readings))
}

pub(crate) fn chart_view(instrument: &Instrument, trend: &Trend, language: Language) -> ChartView {
    let band_label = |index: usize| instrument.bands[index].label.best(language).to_owned();
    let unit = |value: f64| value.round() as i32;
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
                label: band_label(stripe.band),
                top: unit(stripe.top),
                bottom: unit(stripe.bottom),
                severity: stripe.severity as u32,
                label_y: stripe.label_y.map(unit),
            })
            .collect(),
        ticks: trend.ticks.iter().map(|tick| (tick.value, unit(tick.y))).collect(),
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
                shows_value: point.shows_value,
                value_y: unit(point.value_y),
                shows_date: point.shows_date,
            })
            .collect(),
        band_label_x: unit(trend.band_label_x),
        date_y: unit(trend.date_y),
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
                    chart: trend_of(instrument, &list).map(|trend| chart_view(instrument, &trend, language)),
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
                let mut notes = Vec::new();
                if let Some(rule) = &instrument.reliable_change {
                    let mut args = tirek_i18n::FluentArgs::new();
                    args.set("points", tirek_letters::score_text((rule.threshold() * 10.0).round() / 10.0, language));
                    let id = if rule.provisional() { "results-threshold-provisional" } else { "results-threshold" };
                    notes.push(messages.format(id, Some(&args)));
                }
                if list.iter().any(|a| a.translation_not_validated) {
                    notes.push(messages.get("results-not-validated"));
                }
                Some(tirek_letters::Results {
                    name: instrument.name.best(language).to_owned(),
                    chart: trend_of(instrument, &list),
                    band_labels: instrument.bands.iter().map(|b| b.label.best(language).to_owned()).collect(),
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

    /// Every active client's latest result on each instrument, most severe first
    /// (then reliable deterioration, then the most recent): who is in the severe band
    /// and who got reliably worse, across the caseload.
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
            });
        }
        let rank = |r: &LatestResult| {
            (std::cmp::Reverse(r.most_severe), std::cmp::Reverse(r.change.as_deref() == Some("reliable_deterioration")))
        };
        latest.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| b.taken_on.cmp(&a.taken_on)));
        Ok(latest)
    }
}
