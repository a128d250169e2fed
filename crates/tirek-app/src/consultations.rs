//! Consultations — drafts saved as the psychologist types, signing, addenda, group
//! sessions recorded once for several clients — and the follow-ups and appointments
//! that make up the agenda.

use serde::{Deserialize, Serialize};
use tirek_domain::audit::AuditEvent;
use tirek_domain::caseload::{ConsultationForm, ConsultationFormat, FieldError, FollowUpForm, Problem, check_addendum};
use tirek_domain::change::FieldValue;
use tirek_domain::date::Date;
use tirek_domain::text::TextProblem;
use tirek_store::OpenProfile;
use tirek_store::changes::Record;

use crate::caseload::{client_record, new_id, owned, text, today};
use crate::profiles::now_ms;
use crate::{App, AppError, Result};

/// The consultation form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ConsultationInput {
    pub format: String,
    pub held_on: String,
    pub duration_minutes: String,
    pub participants: String,
    pub concerns: String,
    pub interventions: Vec<String>,
    pub interventions_other: String,
    pub notes: String,
    pub plan: String,
    pub next_step: String,
}

/// A consultation on a client's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ConsultationSummary {
    pub id: String,
    pub format: Option<String>,
    pub held_on: Option<String>,
    pub duration_minutes: Option<u32>,
    /// The first line of the concerns (or notes).
    pub headline: Option<String>,
    /// Unix ms (a float so that TypeScript reads it exactly).
    pub signed_at: Option<f64>,
    pub addenda: u32,
}

/// A client who attended a consultation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct Attendee {
    pub id: String,
    pub name: String,
    /// An open risk flag of theirs has no signed risk form: the consultation cannot
    /// be signed until it has one.
    pub awaits_risk_form: bool,
}

/// An addendum to a signed consultation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct AddendumView {
    pub id: String,
    pub text: String,
    /// Unix ms.
    pub written_at: f64,
}

/// A consultation, whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ConsultationView {
    pub id: String,
    /// The stored fields, as the form shows them.
    pub form: ConsultationInput,
    pub attendees: Vec<Attendee>,
    /// Unix ms.
    pub signed_at: Option<f64>,
    pub addenda: Vec<AddendumView>,
}

/// What a draft save kept and what it could not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftSaved {
    /// Fields not saved, with why, in the interface language.
    pub problems: Vec<crate::FieldMessage>,
    /// What signing still needs.
    pub missing_for_signing: Vec<crate::FieldMessage>,
}

/// The follow-up form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct FollowUpInput {
    pub kind: String,
    pub due_on: String,
    pub time: String,
    pub note: String,
    /// The consultation whose next step this is.
    pub consultation_id: Option<String>,
}

/// A follow-up or appointment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct FollowUpView {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    pub kind: String,
    pub due_on: String,
    pub time: Option<String>,
    pub note: Option<String>,
    pub done_on: Option<String>,
    pub consultation_id: Option<String>,
    pub overdue: bool,
}

/// The agenda for a span of days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Agenda {
    /// The first day shown.
    pub from: String,
    /// The last day shown.
    pub to: String,
    /// Today, in the clinic.
    pub today: String,
    /// Open items due before today.
    pub overdue: Vec<FollowUpView>,
    /// Items due within the span, done or not.
    pub days: Vec<FollowUpView>,
}

fn not_found(entity: &str, id: &str) -> AppError {
    tirek_store::StoreError::RecordNotFound { entity: entity.into(), id: id.into() }.into()
}

fn consultation_record(open: &OpenProfile, id: &str) -> Result<Record> {
    open.read("consultation", id)?.ok_or_else(|| not_found("consultation", id))
}

/// Reads consultation `id` and refuses when it is signed.
fn draft_record(open: &OpenProfile, id: &str) -> Result<Record> {
    let record = consultation_record(open, id)?;
    if record.integer("signed_at").is_some() {
        return Err(tirek_store::StoreError::RecordFinal { entity: "consultation".into(), id: id.into() }.into());
    }
    Ok(record)
}

fn form_of(record: &Record) -> ConsultationInput {
    ConsultationInput {
        format: owned(record, "format").unwrap_or_default(),
        held_on: owned(record, "held_on").unwrap_or_default(),
        duration_minutes: record.integer("duration_minutes").map(|m| m.to_string()).unwrap_or_default(),
        participants: owned(record, "participants").unwrap_or_default(),
        concerns: owned(record, "concerns").unwrap_or_default(),
        interventions: record
            .text("interventions")
            .map(|codes| codes.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default(),
        interventions_other: owned(record, "interventions_other").unwrap_or_default(),
        notes: owned(record, "notes").unwrap_or_default(),
        plan: owned(record, "plan").unwrap_or_default(),
        next_step: owned(record, "next_step").unwrap_or_default(),
    }
}

fn domain_form(input: &ConsultationInput) -> ConsultationForm {
    ConsultationForm {
        format: input.format.clone(),
        held_on: input.held_on.clone(),
        duration_minutes: input.duration_minutes.clone(),
        participants: input.participants.clone(),
        concerns: input.concerns.clone(),
        interventions: input.interventions.clone(),
        interventions_other: input.interventions_other.clone(),
        notes: input.notes.clone(),
        plan: input.plan.clone(),
        next_step: input.next_step.clone(),
    }
}

fn client_name(record: &Record) -> String {
    let part = |field| record.text(field).unwrap_or_default();
    crate::caseload::full_name(part("family_name"), part("given_name"), record.text("patronymic"))
}

pub(crate) fn summaries(open: &OpenProfile, client_id: &str) -> Result<Vec<ConsultationSummary>> {
    open.consultations_of(client_id)?
        .into_iter()
        .map(|(id, record)| {
            let headline = record
                .text("concerns")
                .or(record.text("notes"))
                .and_then(|text| text.lines().next())
                .map(|line| line.chars().take(120).collect());
            Ok(ConsultationSummary {
                addenda: open.related("addendum", "consultation_id", &id)?.len() as u32,
                format: owned(&record, "format"),
                held_on: owned(&record, "held_on"),
                duration_minutes: record.integer("duration_minutes").map(|m| m as u32),
                headline,
                signed_at: record.integer("signed_at").map(|ms| ms as f64),
                id,
            })
        })
        .collect()
}

fn follow_up_view(open: &OpenProfile, id: String, record: &Record, today: &str) -> Result<FollowUpView> {
    let client_id = owned(record, "client_id").unwrap_or_default();
    let client_name = open.read("client", &client_id)?.map(|c| client_name(&c)).unwrap_or_default();
    let due_on = owned(record, "due_on").unwrap_or_default();
    let done_on = owned(record, "done_on");
    Ok(FollowUpView {
        overdue: done_on.is_none() && due_on.as_str() < today,
        id,
        client_id,
        client_name,
        kind: owned(record, "kind").unwrap_or_default(),
        due_on,
        time: owned(record, "time"),
        note: owned(record, "note"),
        done_on,
        consultation_id: owned(record, "consultation_id"),
    })
}

pub(crate) fn follow_ups_of(open: &OpenProfile, client_id: &str) -> Result<Vec<FollowUpView>> {
    let today = today().to_string();
    let mut views = open
        .related("follow_up", "client_id", client_id)?
        .into_iter()
        .map(|(id, record)| follow_up_view(open, id, &record, &today))
        .collect::<Result<Vec<_>>>()?;
    views.sort_by(|a, b| (a.done_on.is_some(), &a.due_on).cmp(&(b.done_on.is_some(), &b.due_on)));
    Ok(views)
}

impl App {
    /// Starts a consultation with `client_ids` (several for a group session), dated
    /// today; returns its id. It is a draft until signed.
    pub fn start_consultation(&self, client_ids: &[String], format: &str) -> Result<String> {
        let format = if format.is_empty() {
            if client_ids.len() > 1 { ConsultationFormat::Group } else { ConsultationFormat::Individual }
        } else {
            ConsultationFormat::from_code(format)
                .ok_or(AppError::Invalid(vec![FieldError { field: "format", problem: Problem::UnknownChoice }]))?
        };
        if client_ids.is_empty() {
            let empty = Problem::Text(TextProblem::Empty);
            return Err(AppError::Invalid(vec![FieldError { field: "clients", problem: empty }]));
        }
        self.with_profile(|open, author| {
            for client in client_ids {
                client_record(open, client)?;
            }
            let id = new_id();
            open.write(author, now_ms(), |changes| {
                changes.insert(
                    "consultation",
                    &id,
                    &[
                        ("format", FieldValue::Text(format.code().to_owned())),
                        ("held_on", FieldValue::Text(today().to_string())),
                        ("created_at", FieldValue::Integer(now_ms())),
                    ],
                )?;
                for client in client_ids {
                    changes.insert(
                        "attendance",
                        &new_id(),
                        &[
                            ("consultation_id", FieldValue::Text(id.clone())),
                            ("client_id", FieldValue::Text(client.clone())),
                        ],
                    )?;
                }
                Ok(())
            })?;
            for client in client_ids {
                open.audit(now_ms(), AuditEvent::RecordChanged, Some(client))?;
            }
            Ok(id)
        })
    }

    /// Adds client `client_id` to draft consultation `id`: a group session is one
    /// consultation attended by several clients. An individual session becomes a
    /// group one when a second client joins.
    pub fn add_attendee(&self, id: &str, client_id: &str) -> Result<()> {
        self.with_profile(|open, author| {
            let record = draft_record(open, id)?;
            client_record(open, client_id)?;
            let attendances = open.related("attendance", "consultation_id", id)?;
            if attendances.iter().any(|(_, a)| a.text("client_id") == Some(client_id)) {
                return Ok(());
            }
            open.write(author, now_ms(), |changes| {
                changes.insert(
                    "attendance",
                    &new_id(),
                    &[
                        ("consultation_id", FieldValue::Text(id.to_owned())),
                        ("client_id", FieldValue::Text(client_id.to_owned())),
                    ],
                )?;
                if record.text("format") == Some(ConsultationFormat::Individual.code()) {
                    let group = FieldValue::Text(ConsultationFormat::Group.code().to_owned());
                    changes.update("consultation", id, &[("format", group)])?;
                }
                Ok(())
            })?;
            open.audit(now_ms(), AuditEvent::RecordChanged, Some(client_id))?;
            Ok(())
        })
    }

    /// Discards draft consultation `id` (started by mistake, or abandoned): it and
    /// its attendances go, their history stays. A signed consultation cannot go.
    pub fn discard_consultation(&self, id: &str) -> Result<()> {
        self.with_profile(|open, author| {
            draft_record(open, id)?;
            let attendances = open.related("attendance", "consultation_id", id)?;
            open.write(author, now_ms(), |changes| {
                for (attendance, record) in &attendances {
                    changes.delete("attendance", attendance)?;
                    changes.audit(AuditEvent::RecordChanged, record.text("client_id"))?;
                }
                changes.delete("consultation", id)
            })?;
            Ok(())
        })
    }

    /// Takes client `client_id` off draft consultation `id`; the last client stays.
    pub fn remove_attendee(&self, id: &str, client_id: &str) -> Result<()> {
        self.with_profile(|open, author| {
            draft_record(open, id)?;
            let attendances = open.related("attendance", "consultation_id", id)?;
            let Some((attendance, _)) = attendances.iter().find(|(_, a)| a.text("client_id") == Some(client_id)) else {
                return Ok(());
            };
            if attendances.len() == 1 {
                let empty = Problem::Text(TextProblem::Empty);
                return Err(AppError::Invalid(vec![FieldError { field: "clients", problem: empty }]));
            }
            open.write(author, now_ms(), |changes| changes.delete("attendance", attendance))?;
            open.audit(now_ms(), AuditEvent::RecordChanged, Some(client_id))?;
            Ok(())
        })
    }

    /// Saves a draft as typed: every field that passes its rule is stored, the rest
    /// are reported and keep their previous value. Called at each pause in typing.
    pub fn save_consultation_draft(&self, id: &str, input: &ConsultationInput) -> Result<DraftSaved> {
        let (draft, problems) = domain_form(input).clean(today());
        let failed = |field: &str| problems.iter().any(|p| p.field == field);
        let messages = self.messages();
        self.with_profile(|open, author| {
            draft_record(open, id)?;
            let mut fields: Vec<(&str, FieldValue)> = Vec::new();
            let mut keep = |field: &'static str, value: FieldValue| {
                if !failed(field) {
                    fields.push((field, value));
                }
            };
            keep("format", text(draft.format.map(|f| f.code().to_owned())));
            keep("held_on", text(draft.held_on.map(|d| d.to_string())));
            keep(
                "duration_minutes",
                draft.duration_minutes.map_or(FieldValue::Null, |m| FieldValue::Integer(m.into())),
            );
            keep("participants", text(draft.participants.clone()));
            keep("concerns", text(draft.concerns.clone()));
            let codes: Vec<&str> = draft.interventions.iter().map(|i| i.code()).collect();
            keep("interventions", text((!codes.is_empty()).then(|| codes.join(","))));
            keep("interventions_other", text(draft.interventions_other.clone()));
            keep("notes", text(draft.notes.clone()));
            keep("plan", text(draft.plan.clone()));
            keep("next_step", text(draft.next_step.clone()));
            open.write(author, now_ms(), |changes| changes.update("consultation", id, &fields))?;
            Ok(DraftSaved {
                problems: crate::error::field_messages(&problems, &messages),
                missing_for_signing: crate::error::field_messages(&draft.missing_for_signing(), &messages),
            })
        })
    }

    /// Signs a consultation: from now on it cannot change; corrections are addenda.
    pub fn sign_consultation(&self, id: &str) -> Result<()> {
        self.with_profile(|open, author| {
            let record = consultation_record(open, id)?;
            if record.integer("signed_at").is_some() {
                return Ok(());
            }
            let (draft, _) = domain_form(&form_of(&record)).clean(today());
            let missing = draft.missing_for_signing();
            if !missing.is_empty() {
                return Err(AppError::Invalid(missing));
            }
            for (_, attendance) in open.related("attendance", "consultation_id", id)? {
                if let Some(client) = attendance.text("client_id")
                    && crate::risk::has_unsigned_form(open, client)?
                {
                    return Err(AppError::RiskFormIncomplete);
                }
            }
            open.write(author, now_ms(), |changes| {
                changes.update(
                    "consultation",
                    id,
                    &[("signed_at", FieldValue::Integer(now_ms())), ("signed_by", FieldValue::Text(author.to_owned()))],
                )
            })?;
            Ok(())
        })
    }

    /// Adds an addendum to a signed consultation; returns its id.
    pub fn add_addendum(&self, consultation_id: &str, typed: &str) -> Result<String> {
        let addendum = check_addendum(typed).map_err(|error| AppError::Invalid(vec![error]))?;
        self.with_profile(|open, author| {
            let record = consultation_record(open, consultation_id)?;
            if record.integer("signed_at").is_none() {
                return Err(AppError::NotSigned);
            }
            let id = new_id();
            open.write(author, now_ms(), |changes| {
                changes.insert(
                    "addendum",
                    &id,
                    &[
                        ("consultation_id", FieldValue::Text(consultation_id.to_owned())),
                        ("text", FieldValue::Text(addendum)),
                        ("written_at", FieldValue::Integer(now_ms())),
                        ("author", FieldValue::Text(author.to_owned())),
                    ],
                )
            })?;
            Ok(id)
        })
    }

    /// A consultation, whole, with its attendees and addenda. Opening one about
    /// another psychologist's client is audited, as opening the client is.
    pub fn consultation(&self, id: &str) -> Result<ConsultationView> {
        self.with_profile(|open, author| {
            let record = consultation_record(open, id)?;
            let mut attendees = Vec::new();
            for (_, attendance) in open.related("attendance", "consultation_id", id)? {
                let client_id = owned(&attendance, "client_id").unwrap_or_default();
                if let Some(client) = open.read("client", &client_id)? {
                    // Another psychologist's client (synced): reading is audited.
                    if client.text("owner").is_some_and(|owner| owner != author) {
                        open.audit(now_ms(), AuditEvent::RecordViewed, Some(&client_id))?;
                    }
                    let awaits_risk_form = crate::risk::has_unsigned_form(open, &client_id)?;
                    attendees.push(Attendee { name: client_name(&client), id: client_id, awaits_risk_form });
                }
            }
            let addenda = open
                .related("addendum", "consultation_id", id)?
                .into_iter()
                .map(|(id, r)| AddendumView {
                    id,
                    text: owned(&r, "text").unwrap_or_default(),
                    written_at: r.integer("written_at").unwrap_or_default() as f64,
                })
                .collect();
            Ok(ConsultationView {
                id: id.to_owned(),
                form: form_of(&record),
                attendees,
                signed_at: record.integer("signed_at").map(|ms| ms as f64),
                addenda,
            })
        })
    }

    /// The due date, `YYYY-MM-DD`, that a next step's words suggest ("in two weeks",
    /// "через месяц", "екі аптадан кейін"), counted from the clinic's today; `None`
    /// when they name no span. The follow-up form proposes it; a blank date is
    /// never taken to mean today.
    pub fn suggest_due_date(&self, words: &str) -> Option<String> {
        tirek_domain::when::date_in_words(words, today()).map(|date| date.to_string())
    }

    /// Adds a follow-up or appointment for client `client_id`; returns its id.
    pub fn add_follow_up(&self, client_id: &str, input: &FollowUpInput) -> Result<String> {
        let form = FollowUpForm {
            kind: input.kind.clone(),
            due_on: input.due_on.clone(),
            time: input.time.clone(),
            note: input.note.clone(),
        };
        let follow_up = form.validate().map_err(AppError::Invalid)?;
        self.with_profile(|open, author| {
            client_record(open, client_id)?;
            if let Some(consultation) = &input.consultation_id {
                consultation_record(open, consultation)?;
            }
            let id = new_id();
            let fields = [
                ("client_id", FieldValue::Text(client_id.to_owned())),
                ("kind", FieldValue::Text(follow_up.kind.code().to_owned())),
                ("due_on", FieldValue::Text(follow_up.due_on.to_string())),
                ("time", text(follow_up.time)),
                ("note", text(follow_up.note)),
                ("consultation_id", text(input.consultation_id.clone())),
            ];
            open.write(author, now_ms(), |changes| changes.insert("follow_up", &id, &fields))?;
            Ok(id)
        })
    }

    /// Marks a follow-up done today, or open again.
    pub fn set_follow_up_done(&self, id: &str, done: bool) -> Result<()> {
        self.with_profile(|open, author| {
            open.read("follow_up", id)?.ok_or_else(|| not_found("follow_up", id))?;
            let value = if done { FieldValue::Text(today().to_string()) } else { FieldValue::Null };
            open.write(author, now_ms(), |changes| changes.update("follow_up", id, &[("done_on", value)]))?;
            Ok(())
        })
    }

    /// The agenda from `from` (typed date; today when empty) for `days` days, with
    /// everything overdue.
    pub fn agenda(&self, from: &str, days: u32) -> Result<Agenda> {
        let today = today();
        let from = if from.trim().is_empty() {
            today
        } else {
            Date::parse(from)
                .map_err(|_| AppError::Invalid(vec![FieldError { field: "from", problem: Problem::NotADate }]))?
        };
        let to = from.plus_days(i64::from(days.clamp(1, 62)) - 1);
        let today_text = today.to_string();
        let questionnaires = self.due_questionnaires(&from.to_string(), &to.to_string(), &today_text)?;
        self.with_profile(|open, _| {
            let rows = open.agenda(&from.to_string(), &to.to_string(), Some(&today_text))?;
            let (mut overdue, mut in_range) = (Vec::new(), Vec::new());
            let follow_ups = rows.into_iter().map(|row| FollowUpView {
                overdue: row.done_on.is_none() && row.due_on < today_text,
                id: row.id,
                client_id: row.client_id,
                client_name: row.client_name,
                kind: row.kind,
                due_on: row.due_on,
                time: row.time,
                note: row.note,
                done_on: row.done_on,
                consultation_id: row.consultation_id,
            });
            for view in follow_ups.chain(questionnaires) {
                let shown_in_range = view.due_on >= from.to_string() && view.due_on <= to.to_string();
                if view.overdue && !shown_in_range { overdue.push(view) } else { in_range.push(view) }
            }
            for list in [&mut overdue, &mut in_range] {
                list.sort_by(|a, b| (&a.due_on, &a.time, &a.client_name).cmp(&(&b.due_on, &b.time, &b.client_name)));
            }
            Ok(Agenda {
                from: from.to_string(),
                to: to.to_string(),
                today: today_text.clone(),
                overdue,
                days: in_range,
            })
        })
    }
}
