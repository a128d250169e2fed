//! Risk flags (`reference/instruments.md`, safety rules): raised by a questionnaire's
//! safety rule in the same transaction that saves it, or by the psychologist; each
//! needs a risk form — level, actions taken, safety plan, contacts — signed with the
//! time; a consultation of the client cannot be signed while a form is missing; the
//! flag stays open, on the caseload and the client's page, until resolved. Every
//! step is audited. The flag supports judgement, it never replaces it.

use serde::{Deserialize, Serialize};
use tirek_domain::audit::AuditEvent;
use tirek_domain::caseload::{FieldError, Problem};
use tirek_domain::change::FieldValue;
use tirek_domain::text::{TextProblem, clean_text};
use tirek_store::OpenProfile;
use tirek_store::changes::Record;

use crate::caseload::{client_record, owned};
use crate::profiles::now_ms;
use crate::{App, AppError, Result};

/// The risk levels a form can record.
pub const LEVELS: [&str; 4] = ["low", "moderate", "high", "imminent"];

/// The risk form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct RiskFormInput {
    /// One of [`LEVELS`].
    pub level: String,
    pub actions: String,
    pub safety_plan: String,
    pub contacts: String,
}

/// A risk flag as the client's page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct RiskFlagView {
    pub id: String,
    pub client_id: String,
    /// `rule` or `clinician`.
    pub source: String,
    /// The safety rule's id, for a rule's flag.
    pub rule: Option<String>,
    /// What the rule says, in the interface language.
    pub message: Option<String>,
    /// Unix ms.
    pub raised_at: f64,
    pub level: Option<String>,
    pub actions: Option<String>,
    pub safety_plan: Option<String>,
    pub contacts: Option<String>,
    /// Unix ms; the form is complete once signed.
    pub form_signed_at: Option<f64>,
    pub resolved_at: Option<f64>,
    pub resolution: Option<String>,
}

pub(crate) fn flag_view(id: String, record: &Record, language: tirek_domain::Language) -> RiskFlagView {
    let rule = owned(record, "rule");
    let message = rule.as_deref().and_then(|rule| {
        crate::instruments::bundled()
            .iter()
            .flat_map(|instrument| &instrument.safety)
            .find(|r| r.id == rule)
            .map(|r| r.message.best(language).to_owned())
    });
    let instant = |field| record.integer(field).map(|ms| ms as f64);
    RiskFlagView {
        id,
        client_id: owned(record, "client_id").unwrap_or_default(),
        source: owned(record, "source").unwrap_or_default(),
        rule,
        message,
        raised_at: instant("raised_at").unwrap_or_default(),
        level: owned(record, "level"),
        actions: owned(record, "actions"),
        safety_plan: owned(record, "safety_plan"),
        contacts: owned(record, "contacts"),
        form_signed_at: instant("form_signed_at"),
        resolved_at: instant("resolved_at"),
        resolution: owned(record, "resolution"),
    }
}

/// Whether client `client_id` has a flag whose risk form is not signed yet.
pub(crate) fn has_unsigned_form(open: &OpenProfile, client_id: &str) -> Result<bool> {
    Ok(open
        .related("risk_flag", "client_id", client_id)?
        .iter()
        .any(|(_, flag)| flag.integer("resolved_at").is_none() && flag.integer("form_signed_at").is_none()))
}

fn flag_record(open: &OpenProfile, id: &str) -> Result<Record> {
    open.read("risk_flag", id)?
        .ok_or_else(|| tirek_store::StoreError::RecordNotFound { entity: "risk_flag".into(), id: id.into() }.into())
}

fn required_text(field: &'static str, typed: &str, problems: &mut Vec<FieldError>) -> FieldValue {
    match clean_text(typed, tirek_domain::caseload::TEXT_MAX) {
        Ok(text) if !text.trim().is_empty() => FieldValue::Text(text),
        Ok(_) => {
            problems.push(FieldError { field, problem: Problem::Text(TextProblem::Empty) });
            FieldValue::Null
        }
        Err(problem) => {
            problems.push(FieldError { field, problem: Problem::Text(problem) });
            FieldValue::Null
        }
    }
}

impl App {
    /// Client `client_id`'s risk flags, open ones first, newest first.
    pub fn risk_flags(&self, client_id: &str) -> Result<Vec<RiskFlagView>> {
        let language = self.language();
        self.with_profile(|open, _| {
            client_record(open, client_id)?;
            let mut flags: Vec<RiskFlagView> = open
                .related("risk_flag", "client_id", client_id)?
                .into_iter()
                .map(|(id, record)| flag_view(id, &record, language))
                .collect();
            flags.sort_by(|a, b| {
                (a.resolved_at.is_some(), -a.raised_at)
                    .partial_cmp(&(b.resolved_at.is_some(), -b.raised_at))
                    .expect("finite")
            });
            Ok(flags)
        })
    }

    /// The psychologist raises a flag of her own judgement; returns its id.
    pub fn raise_flag(&self, client_id: &str) -> Result<String> {
        self.with_profile(|open, author| {
            client_record(open, client_id)?;
            let id = crate::caseload::new_id();
            open.write(author, now_ms(), |changes| {
                changes.insert(
                    "risk_flag",
                    &id,
                    &[
                        ("client_id", FieldValue::Text(client_id.to_owned())),
                        ("source", FieldValue::Text("clinician".into())),
                        ("raised_at", FieldValue::Integer(now_ms())),
                    ],
                )?;
                changes.audit(AuditEvent::RecordChanged, Some(client_id))
            })?;
            Ok(id)
        })
    }

    /// Completes and signs flag `id`'s risk form: every field is required; signed,
    /// it cannot change.
    pub fn sign_risk_form(&self, id: &str, input: &RiskFormInput) -> Result<()> {
        let mut problems = Vec::new();
        if !LEVELS.contains(&input.level.as_str()) {
            problems.push(FieldError { field: "level", problem: Problem::UnknownChoice });
        }
        let actions = required_text("actions", &input.actions, &mut problems);
        let safety_plan = required_text("safety_plan", &input.safety_plan, &mut problems);
        let contacts = required_text("contacts", &input.contacts, &mut problems);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        self.with_profile(|open, author| {
            let flag = flag_record(open, id)?;
            if flag.integer("form_signed_at").is_some() {
                return Err(tirek_store::StoreError::RecordFinal { entity: "risk_flag".into(), id: id.into() }.into());
            }
            open.write(author, now_ms(), |changes| {
                changes.update(
                    "risk_flag",
                    id,
                    &[
                        ("level", FieldValue::Text(input.level.clone())),
                        ("actions", actions),
                        ("safety_plan", safety_plan),
                        ("contacts", contacts),
                        ("form_signed_at", FieldValue::Integer(now_ms())),
                        ("form_signed_by", FieldValue::Text(author.to_owned())),
                    ],
                )?;
                changes.audit(AuditEvent::RecordChanged, flag.text("client_id"))
            })?;
            Ok(())
        })
    }

    /// Resolves flag `id` with a note; its risk form must be signed first.
    pub fn resolve_flag(&self, id: &str, resolution: &str) -> Result<()> {
        let mut problems = Vec::new();
        let resolution = required_text("resolution", resolution, &mut problems);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        self.with_profile(|open, author| {
            let flag = flag_record(open, id)?;
            if flag.integer("form_signed_at").is_none() {
                return Err(AppError::RiskFormIncomplete);
            }
            open.write(author, now_ms(), |changes| {
                changes.update(
                    "risk_flag",
                    id,
                    &[
                        ("resolved_at", FieldValue::Integer(now_ms())),
                        ("resolved_by", FieldValue::Text(author.to_owned())),
                        ("resolution", resolution),
                    ],
                )?;
                changes.audit(AuditEvent::RecordChanged, flag.text("client_id"))
            })?;
            Ok(())
        })
    }
}
