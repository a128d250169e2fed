//! Questionnaire results for a client: saved with what they scored, listed over time
//! with each change judged by the instrument's reliable-change rule.

use serde::{Deserialize, Serialize};
use tirek_domain::audit::AuditEvent;
use tirek_domain::caseload::{FieldError, Problem};
use tirek_domain::change::FieldValue;
use tirek_domain::date::Date;

use crate::caseload::{client_record, new_id, owned, today};
use crate::profiles::now_ms;
use crate::trends::change_code;
use crate::{App, AppError, Result};

/// A questionnaire as filled in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct AssessmentInput {
    pub instrument: String,
    /// One per item, in order; `None` when not answered.
    pub answers: Vec<Option<i32>>,
    /// `kk`, `ru` or `en`: the language the items were read in.
    pub language: String,
    /// `clinician` (read aloud) or `parent` (on the screen).
    pub administered_by: String,
    /// When; today when empty.
    pub taken_on: String,
}

/// A saved assessment, with the change from the one before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct AssessmentView {
    pub id: String,
    pub instrument: String,
    pub instrument_version: String,
    pub language: String,
    pub taken_on: String,
    pub answers: Vec<Option<i32>>,
    pub total: Option<f64>,
    pub band: Option<String>,
    /// The band's name in the interface language.
    pub band_label: Option<String>,
    pub flags: Vec<String>,
    pub administered_by: String,
    /// The language's translation is not validated: shown with the score.
    pub translation_not_validated: bool,
    /// Against the previous assessment with the same instrument: `reliable_improvement`,
    /// `reliable_deterioration` or `no_reliable_change`.
    pub change: Option<String>,
    /// The threshold the change was judged by.
    pub change_threshold: Option<f64>,
    /// The threshold is not from a published test–retest value.
    pub change_provisional: bool,
}

fn invalid(field: &'static str, problem: Problem) -> AppError {
    AppError::Invalid(vec![FieldError { field, problem }])
}

impl App {
    /// Saves a filled-in questionnaire for client `client_id`, scored by the same
    /// function as `tirek instrument score`; returns it as listed.
    pub fn add_assessment(&self, client_id: &str, input: &AssessmentInput) -> Result<AssessmentView> {
        let instrument = self.instrument(&input.instrument)?;
        let score = instrument.score(&input.answers).map_err(AppError::Answers)?;
        let language = input
            .language
            .parse::<tirek_domain::Language>()
            .map_err(|_| invalid("language", Problem::UnknownChoice))?;
        if !instrument.languages.iter().any(|l| l.language == language) {
            return Err(invalid("language", Problem::UnknownChoice));
        }
        if !["clinician", "parent"].contains(&input.administered_by.as_str()) {
            return Err(invalid("administered_by", Problem::UnknownChoice));
        }
        let taken_on = if input.taken_on.trim().is_empty() {
            today()
        } else {
            let date = Date::parse(&input.taken_on).map_err(|_| invalid("taken_on", Problem::NotADate))?;
            if date > today() {
                return Err(invalid("taken_on", Problem::DateInFuture));
            }
            date
        };
        let answers = serde_json::to_string(&input.answers).expect("numbers and nulls serialise");
        let id = new_id();
        self.with_profile(|open, author| {
            client_record(open, client_id)?;
            let fields = [
                ("client_id", FieldValue::Text(client_id.to_owned())),
                ("instrument", FieldValue::Text(instrument.id.clone())),
                ("instrument_version", FieldValue::Text(instrument.version.clone())),
                ("language", FieldValue::Text(language.code().to_owned())),
                ("answers", FieldValue::Text(answers)),
                (
                    "total_centi",
                    score.total.map_or(FieldValue::Null, |t| FieldValue::Integer((t * 100.0).round() as i64)),
                ),
                ("band", score.band.clone().map_or(FieldValue::Null, FieldValue::Text)),
                ("flags", FieldValue::Text(score.flags.join(","))),
                ("administered_by", FieldValue::Text(input.administered_by.clone())),
                ("taken_on", FieldValue::Text(taken_on.to_string())),
                ("created_at", FieldValue::Integer(now_ms())),
            ];
            open.write(author, now_ms(), |changes| {
                changes.insert("assessment", &id, &fields)?;
                changes.audit(AuditEvent::RecordChanged, Some(client_id))?;
                // Each safety rule that fired raises a flag, in the same transaction.
                for rule in &score.flags {
                    changes.insert(
                        "risk_flag",
                        &new_id(),
                        &[
                            ("client_id", FieldValue::Text(client_id.to_owned())),
                            ("assessment_id", FieldValue::Text(id.clone())),
                            ("source", FieldValue::Text("rule".into())),
                            ("rule", FieldValue::Text(rule.clone())),
                            ("raised_at", FieldValue::Integer(now_ms())),
                        ],
                    )?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
        self.assessments(client_id, Some(&instrument.id))?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| tirek_store::StoreError::RecordNotFound { entity: "assessment".into(), id }.into())
    }

    /// Client `client_id`'s assessments, oldest first (of one instrument, or all),
    /// each judged against the previous one of its instrument.
    pub fn assessments(&self, client_id: &str, instrument: Option<&str>) -> Result<Vec<AssessmentView>> {
        let instruments = self.all_instruments();
        let interface = self.language();
        let mut views = self
            .with_profile(|open, _| {
                client_record(open, client_id)?;
                Ok(open.related("assessment", "client_id", client_id)?)
            })?
            .into_iter()
            .filter(|(_, record)| instrument.is_none_or(|wanted| record.text("instrument") == Some(wanted)))
            .map(|(id, record)| {
                let code = owned(&record, "instrument").unwrap_or_default();
                let language = owned(&record, "language").unwrap_or_default();
                let known = instruments.iter().find(|i| i.id == code);
                let band = owned(&record, "band");
                AssessmentView {
                    band_label: band.as_deref().and_then(|band| {
                        let band = known?.bands.iter().find(|b| b.id == band)?;
                        Some(band.label.best(interface).to_owned())
                    }),
                    id,
                    translation_not_validated: known
                        .is_some_and(|i| i.languages.iter().any(|l| l.language.code() == language && !l.validated)),
                    instrument: code,
                    instrument_version: owned(&record, "instrument_version").unwrap_or_default(),
                    language,
                    taken_on: owned(&record, "taken_on").unwrap_or_default(),
                    answers: record.text("answers").and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default(),
                    total: record.integer("total_centi").map(|c| c as f64 / 100.0),
                    band,
                    flags: record
                        .text("flags")
                        .map(|f| f.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect())
                        .unwrap_or_default(),
                    administered_by: owned(&record, "administered_by").unwrap_or_default(),
                    change: None,
                    change_threshold: None,
                    change_provisional: false,
                }
            })
            .collect::<Vec<_>>();
        views.sort_by(|a, b| (&a.taken_on, &a.id).cmp(&(&b.taken_on, &b.id)));
        for index in 0..views.len() {
            let Some(instrument) = instruments.iter().find(|i| i.id == views[index].instrument) else { continue };
            let previous =
                views[..index].iter().rev().find(|v| v.instrument == views[index].instrument && v.total.is_some());
            if let (Some(before), Some(after)) = (previous.and_then(|p| p.total), views[index].total) {
                let change = instrument.change(before, after);
                views[index].change = change.map(|c| change_code(c).to_owned());
                views[index].change_threshold = instrument.reliable_change.as_ref().map(|r| r.threshold());
                views[index].change_provisional = instrument.reliable_change.as_ref().is_some_and(|r| r.provisional());
            }
        }
        Ok(views)
    }
}

/// A questionnaire schedule of a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ScheduleView {
    pub id: String,
    pub instrument: String,
    pub every_weeks: u32,
    pub starts_on: String,
    /// When it is next due: the last filling-in plus the interval, or the start.
    pub next_due: String,
}

/// When a schedule is next due: `every_weeks` after the last filling-in, or its start.
fn next_due(starts_on: &str, every_weeks: u32, last_taken_on: Option<&str>) -> String {
    let last = last_taken_on.and_then(|d| Date::parse(d).ok());
    let start = Date::parse(starts_on).unwrap_or_else(|_| today());
    match last {
        Some(last) if last >= start => last.plus_days(i64::from(every_weeks) * 7).to_string(),
        _ => start.to_string(),
    }
}

impl App {
    /// Repeats instrument `instrument` for client `client_id` every `every_weeks`
    /// weeks, starting today; due questionnaires appear in the agenda.
    pub fn schedule_instrument(&self, client_id: &str, instrument: &str, every_weeks: u32) -> Result<String> {
        let instrument = self.instrument(instrument)?;
        if !(1..=104).contains(&every_weeks) {
            return Err(invalid("every_weeks", Problem::OutOfRange(1, 104)));
        }
        self.with_profile(|open, author| {
            client_record(open, client_id)?;
            let id = new_id();
            let fields = [
                ("client_id", FieldValue::Text(client_id.to_owned())),
                ("instrument", FieldValue::Text(instrument.id.clone())),
                ("every_weeks", FieldValue::Integer(i64::from(every_weeks))),
                ("starts_on", FieldValue::Text(today().to_string())),
            ];
            open.write(author, now_ms(), |changes| {
                changes.insert("schedule", &id, &fields)?;
                changes.audit(AuditEvent::RecordChanged, Some(client_id))
            })?;
            Ok(id)
        })
    }

    /// Stops schedule `id` from today.
    pub fn stop_schedule(&self, id: &str) -> Result<()> {
        self.with_profile(|open, author| {
            let schedule = open.read("schedule", id)?.ok_or_else(|| {
                AppError::from(tirek_store::StoreError::RecordNotFound { entity: "schedule".into(), id: id.into() })
            })?;
            let today = FieldValue::Text(today().to_string());
            open.write(author, now_ms(), |changes| {
                changes.update("schedule", id, &[("stopped_on", today)])?;
                changes.audit(AuditEvent::RecordChanged, schedule.text("client_id"))
            })?;
            Ok(())
        })
    }

    /// Client `client_id`'s schedules in force, with when each is next due.
    pub fn schedules(&self, client_id: &str) -> Result<Vec<ScheduleView>> {
        self.with_profile(|open, _| {
            client_record(open, client_id)?;
            let assessments = open.related("assessment", "client_id", client_id)?;
            Ok(open
                .related("schedule", "client_id", client_id)?
                .into_iter()
                .filter(|(_, s)| s.text("stopped_on").is_none())
                .map(|(id, s)| {
                    let instrument = owned(&s, "instrument").unwrap_or_default();
                    let last = assessments
                        .iter()
                        .filter(|(_, a)| a.text("instrument") == Some(instrument.as_str()))
                        .filter_map(|(_, a)| a.text("taken_on"))
                        .max();
                    let every_weeks = s.integer("every_weeks").unwrap_or(1) as u32;
                    let starts_on = owned(&s, "starts_on").unwrap_or_default();
                    ScheduleView {
                        next_due: next_due(&starts_on, every_weeks, last),
                        id,
                        instrument,
                        every_weeks,
                        starts_on,
                    }
                })
                .collect())
        })
    }

    /// Questionnaires due by schedule between `from` and `to` (inclusive), and every
    /// one overdue before `today`, for the agenda: (schedule, client, due date).
    pub(crate) fn due_questionnaires(&self, from: &str, to: &str, today: &str) -> Result<Vec<crate::FollowUpView>> {
        let language = self.language();
        let instruments = self.all_instruments();
        self.with_profile(|open, _| {
            Ok(open
                .active_schedules()?
                .into_iter()
                .filter_map(|s| {
                    let due = next_due(&s.starts_on, s.every_weeks, s.last_taken_on.as_deref());
                    let shown = (from..=to).contains(&due.as_str()) || due.as_str() < today;
                    let name = instruments
                        .iter()
                        .find(|i| i.id == s.instrument)
                        .map_or(s.instrument.clone(), |i| i.name.best(language).to_owned());
                    shown.then(|| crate::FollowUpView {
                        overdue: due.as_str() < today,
                        id: s.id,
                        client_id: s.client_id,
                        client_name: s.client_name,
                        kind: "questionnaire".into(),
                        due_on: due,
                        time: None,
                        note: Some(name),
                        done_on: None,
                        consultation_id: None,
                    })
                })
                .collect())
        })
    }
}
