//! The caseload's use cases: clients and their children, consent, the caseload list
//! and search, a client's page with its timeline, export and erasure. Consultations,
//! addenda, follow-ups and the agenda are in [`crate::consultations`].
//!
//! Inputs hold text as typed; the domain's forms check it; the store writes it
//! through its change log. Views carry stored codes and ISO dates: the window and
//! the command line translate them.

use serde::{Deserialize, Serialize};
use tirek_domain::Language;
use tirek_domain::audit::AuditEvent;
use tirek_domain::caseload::{ChildForm, ClientForm, ConsentForm, ConsentScope, FieldError, Problem};
use tirek_domain::change::FieldValue;
use tirek_domain::date::Date;
use tirek_store::OpenProfile;
use tirek_store::caseload::{CaseloadFilter, CaseloadOrder};
use tirek_store::changes::Record;

use crate::profiles::now_ms;
use crate::{App, AppError, Result, regions};

/// The client form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ClientInput {
    pub family_name: String,
    pub given_name: String,
    pub patronymic: String,
    pub latin_name: String,
    pub iin: String,
    pub birth_date: String,
    pub phone: String,
    pub address: String,
    pub region: String,
    pub district: String,
    /// `kk`, `ru` or `en`.
    pub language: String,
}

/// The child form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ChildInput {
    pub name: String,
    pub birth_date: String,
    pub iin: String,
    pub disability: String,
    pub special_needs: bool,
    pub diagnosis: String,
    pub icd10: String,
    pub diagnosed_on: String,
    pub irp_status: String,
}

/// The consent form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ConsentInput {
    pub scope: String,
    pub given_by: String,
    pub representative: String,
    pub method: String,
    pub witness: String,
    pub given_on: String,
}

/// A stored client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ClientView {
    pub id: String,
    pub family_name: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub latin_name: Option<String>,
    pub iin: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub region: Option<String>,
    pub district: Option<String>,
    /// The district's (else the region's) name in the reader's language.
    pub place: Option<String>,
    pub language: String,
    pub archived: bool,
    /// The client moved to a colleague: this user keeps the history read-only
    /// and cannot write about the client any more.
    pub read_only: bool,
}

/// A stored child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ChildView {
    pub id: String,
    pub name: String,
    pub birth_date: Option<String>,
    pub iin: Option<String>,
    pub disability: String,
    pub special_needs: bool,
    pub diagnosis: Option<String>,
    pub icd10: Option<String>,
    pub diagnosed_on: Option<String>,
    pub irp_status: String,
}

/// A stored consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ConsentView {
    pub id: String,
    pub scope: String,
    pub given_by: String,
    pub representative: Option<String>,
    pub method: String,
    pub witness: Option<String>,
    pub given_on: String,
    pub withdrawn_on: Option<String>,
}

/// One row of the caseload list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct CaseloadRow {
    pub id: String,
    /// Family name, given name and patronymic.
    pub name: String,
    pub place: Option<String>,
    pub phone: Option<String>,
    pub last_contact: Option<String>,
    pub next_due: Option<String>,
    /// The next follow-up is past due.
    pub overdue: bool,
    pub archived: bool,
    /// Unresolved risk flags.
    pub open_flags: u32,
    /// Whether the server has what this computer wrote about them.
    pub sync: crate::sync::RecordSync,
    /// The client moved to a colleague: kept here read-only.
    pub read_only: bool,
}

/// A page of the caseload list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CaseloadPage {
    /// How many clients match in all.
    pub total: u32,
    /// This page.
    pub rows: Vec<CaseloadRow>,
}

/// What the caseload list should show.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct CaseloadQuery {
    /// Name, IIN or phone, as typed.
    pub search: String,
    /// A district id.
    pub district: Option<String>,
    /// Archived clients instead of active ones.
    pub archived: bool,
    /// Only clients with an overdue follow-up.
    pub overdue: bool,
    /// Only clients not seen for this many days (or never).
    pub no_contact_days: Option<u32>,
    /// Only clients with an unresolved risk flag.
    pub open_flags: bool,
    /// `name` (default), `last_contact` or `next_due`.
    pub order: String,
    /// At most this many rows (default 200).
    pub limit: Option<u32>,
    /// Skip this many.
    pub offset: u32,
}

/// Which consents are in force for a client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ConsentState {
    pub record: bool,
    pub server: bool,
    pub referral: bool,
}

/// One event on a client's timeline, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimelineEntry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `consultation`, `consent_given`, `consent_withdrawn`, `follow_up`, `follow_up_done`,
    /// `assessment` (whose detail is the instrument's name and total, ready to show).
    pub kind: String,
    /// The record it is about.
    pub record_id: String,
    /// A code to show with it: the consultation's format, the consent's scope, the
    /// follow-up's kind.
    pub detail: String,
    /// For a consultation: signed.
    pub signed: bool,
}

/// Everything on a client's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ClientDetail {
    pub client: ClientView,
    pub children: Vec<ChildView>,
    pub consents: Vec<ConsentView>,
    pub consent: ConsentState,
    pub consultations: Vec<crate::consultations::ConsultationSummary>,
    pub follow_ups: Vec<crate::consultations::FollowUpView>,
    pub timeline: Vec<TimelineEntry>,
    pub last_contact: Option<String>,
    /// Risk flags, open ones first.
    pub risk_flags: Vec<crate::risk::RiskFlagView>,
    /// Whether the server has everything this computer wrote about them.
    pub sync: crate::sync::RecordSync,
    /// Of the records on the page (the timeline's), those with changes the server
    /// does not have yet.
    pub waiting_records: Vec<String>,
}

/// A person's full name as Kazakhstan writes it: family name, given name,
/// patronymic, the empty parts left out. The one rule for every list and document.
pub(crate) fn full_name(family: &str, given: &str, patronymic: Option<&str>) -> String {
    [Some(family), Some(given), patronymic]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl ClientView {
    /// The client's full name.
    pub fn full_name(&self) -> String {
        full_name(&self.family_name, &self.given_name, self.patronymic.as_deref())
    }
}

pub(crate) fn text(value: Option<String>) -> FieldValue {
    value.map_or(FieldValue::Null, FieldValue::Text)
}

pub(crate) fn owned(record: &Record, field: &str) -> Option<String> {
    record.text(field).map(str::to_owned)
}

fn client_form(input: &ClientInput) -> ClientForm {
    ClientForm {
        family_name: input.family_name.clone(),
        given_name: input.given_name.clone(),
        patronymic: input.patronymic.clone(),
        latin_name: input.latin_name.clone(),
        iin: input.iin.clone(),
        birth_date: input.birth_date.clone(),
        phone: input.phone.clone(),
        address: input.address.clone(),
        region: input.region.clone(),
        district: input.district.clone(),
        language: input.language.clone(),
    }
}

fn child_form(input: &ChildInput) -> ChildForm {
    ChildForm {
        name: input.name.clone(),
        birth_date: input.birth_date.clone(),
        iin: input.iin.clone(),
        disability: input.disability.clone(),
        special_needs: input.special_needs,
        diagnosis: input.diagnosis.clone(),
        icd10: input.icd10.clone(),
        diagnosed_on: input.diagnosed_on.clone(),
        irp_status: input.irp_status.clone(),
    }
}

/// The clinic's date today.
pub(crate) fn today() -> Date {
    Date::in_kazakhstan(now_ms())
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn client_fields(input: &ClientInput) -> Result<Vec<(&'static str, FieldValue)>> {
    let client = client_form(input).validate(today()).map_err(AppError::Invalid)?;
    let places = regions::check(client.region.as_deref(), client.district.as_deref());
    if !places.is_empty() {
        return Err(AppError::Invalid(places));
    }
    Ok(vec![
        ("family_name", FieldValue::Text(client.family_name)),
        ("given_name", FieldValue::Text(client.given_name)),
        ("patronymic", text(client.patronymic)),
        ("latin_name", text(client.latin_name)),
        ("iin", text(client.iin.map(|iin| iin.as_str().to_owned()))),
        ("birth_date", text(client.birth_date.map(|d| d.to_string()))),
        ("phone", text(client.phone)),
        ("address", text(client.address)),
        ("region", text(client.region)),
        ("district", text(client.district)),
        ("language", FieldValue::Text(client.language.code().to_owned())),
    ])
}

fn client_view(id: &str, record: &Record, language: Language) -> ClientView {
    let district = owned(record, "district");
    let region = owned(record, "region");
    let place = district.as_deref().or(region.as_deref()).and_then(|id| regions::place_name(id, language));
    ClientView {
        id: id.to_owned(),
        family_name: owned(record, "family_name").unwrap_or_default(),
        given_name: owned(record, "given_name").unwrap_or_default(),
        patronymic: owned(record, "patronymic"),
        latin_name: owned(record, "latin_name"),
        iin: owned(record, "iin"),
        birth_date: owned(record, "birth_date"),
        phone: owned(record, "phone"),
        address: owned(record, "address"),
        place: place.map(str::to_owned),
        region,
        district,
        language: owned(record, "language").unwrap_or_else(|| "ru".to_owned()),
        archived: record.integer("archived") == Some(1),
        read_only: false,
    }
}

fn child_view(id: String, record: &Record) -> ChildView {
    ChildView {
        id,
        name: owned(record, "name").unwrap_or_default(),
        birth_date: owned(record, "birth_date"),
        iin: owned(record, "iin"),
        disability: owned(record, "disability").unwrap_or_else(|| "none".to_owned()),
        special_needs: record.integer("special_needs") == Some(1),
        diagnosis: owned(record, "diagnosis"),
        icd10: owned(record, "icd10"),
        diagnosed_on: owned(record, "diagnosed_on"),
        irp_status: owned(record, "irp_status").unwrap_or_else(|| "none".to_owned()),
    }
}

fn consent_view(id: String, record: &Record) -> ConsentView {
    ConsentView {
        id,
        scope: owned(record, "scope").unwrap_or_default(),
        given_by: owned(record, "given_by").unwrap_or_default(),
        representative: owned(record, "representative"),
        method: owned(record, "method").unwrap_or_default(),
        witness: owned(record, "witness"),
        given_on: owned(record, "given_on").unwrap_or_default(),
        withdrawn_on: owned(record, "withdrawn_on"),
    }
}

fn consent_state(consents: &[ConsentView]) -> ConsentState {
    let active = |scope: ConsentScope| consents.iter().any(|c| c.scope == scope.code() && c.withdrawn_on.is_none());
    ConsentState {
        record: active(ConsentScope::Record),
        server: active(ConsentScope::Server),
        referral: active(ConsentScope::Referral),
    }
}

/// Reads client `id` or says it does not exist.
pub(crate) fn client_record(open: &OpenProfile, id: &str) -> Result<Record> {
    open.read("client", id)?
        .ok_or_else(|| tirek_store::StoreError::RecordNotFound { entity: "client".into(), id: id.into() }.into())
}

impl App {
    /// Runs `body` on the unlocked profile, with the author id for change records.
    pub(crate) fn with_profile<T>(&self, body: impl FnOnce(&mut OpenProfile, &str) -> Result<T>) -> Result<T> {
        let mut state = self.state();
        let open = state.open.as_mut().ok_or(AppError::Locked)?;
        let author = open.summary().id.clone();
        body(open, &author)
    }

    /// Kazakhstan's regions and districts, named in the interface language.
    pub fn regions(&self) -> Vec<regions::Region> {
        regions::regions(self.language())
    }

    /// Checks a client form without saving it, for validation as the user types.
    pub fn check_client(&self, input: &ClientInput) -> Vec<FieldError> {
        client_fields(input).err().map(AppError::into_field_errors).unwrap_or_default()
    }

    /// Creates a client; returns the new id.
    pub fn create_client(&self, input: &ClientInput) -> Result<String> {
        let mut fields = client_fields(input)?;
        let id = new_id();
        self.with_profile(|open, author| {
            fields.push(("archived", FieldValue::Integer(0)));
            fields.push(("owner", FieldValue::Text(author.to_owned())));
            fields.push(("created_at", FieldValue::Integer(now_ms())));
            open.write(author, now_ms(), |changes| changes.insert("client", &id, &fields))?;
            open.audit(now_ms(), AuditEvent::RecordCreated, Some(&id))?;
            Ok(id.clone())
        })
    }

    /// Saves the edited client form.
    pub fn update_client(&self, id: &str, input: &ClientInput) -> Result<()> {
        let fields = client_fields(input)?;
        self.with_profile(|open, author| {
            client_record(open, id)?;
            let (_, written) = open.write(author, now_ms(), |changes| changes.update("client", id, &fields))?;
            if !written.is_empty() {
                open.audit(now_ms(), AuditEvent::RecordChanged, Some(id))?;
            }
            Ok(())
        })
    }

    /// Archives a client (off the active list, kept whole) or brings them back.
    pub fn set_client_archived(&self, id: &str, archived: bool) -> Result<()> {
        self.with_profile(|open, author| {
            client_record(open, id)?;
            let value = FieldValue::Integer(i64::from(archived));
            open.write(author, now_ms(), |changes| changes.update("client", id, &[("archived", value)]))?;
            open.audit(now_ms(), AuditEvent::RecordChanged, Some(id))?;
            Ok(())
        })
    }

    /// A page of the caseload list.
    pub fn caseload(&self, query: &CaseloadQuery) -> Result<CaseloadPage> {
        let today = today();
        let search = query.search.trim();
        // A number is looked for as typed and as a phone without its 8 or +7.
        let search = if !search.is_empty() && search.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
            tirek_domain::phone::search_digits(search)
        } else {
            tirek_domain::text::fold(search)
        };
        let filter = CaseloadFilter {
            search: Some(search),
            district: query.district.clone().filter(|d| !d.is_empty()),
            archived: query.archived,
            overdue_before: query.overdue.then(|| today.to_string()),
            no_contact_since: query.no_contact_days.map(|days| today.plus_days(-i64::from(days)).to_string()),
            open_flags: query.open_flags,
            order: match query.order.as_str() {
                "last_contact" => CaseloadOrder::LastContact,
                "next_due" => CaseloadOrder::NextDue,
                _ => CaseloadOrder::Name,
            },
            limit: query.limit.unwrap_or(200).min(1000),
            offset: query.offset,
        };
        let language = self.language();
        self.with_profile_and_marks(|open, _, marks| {
            let page = open.caseload(&filter)?;
            let read_only = open.read_only_clients()?;
            let shown: Vec<&str> = page.rows.iter().map(|row| row.id.as_str()).collect();
            let marks = marks.shown(open, &shown)?;
            let today = today.to_string();
            let rows = page
                .rows
                .into_iter()
                .map(|row| {
                    let name = full_name(&row.family_name, &row.given_name, row.patronymic.as_deref());
                    let place = row.district.as_deref().and_then(|d| regions::place_name(d, language));
                    CaseloadRow {
                        overdue: row.next_due.as_deref().is_some_and(|due| due < today.as_str()),
                        sync: marks.client(&row.id),
                        read_only: read_only.contains(&row.id),
                        id: row.id,
                        name,
                        place: place.map(str::to_owned),
                        phone: row.phone,
                        last_contact: row.last_contact,
                        next_due: row.next_due,
                        archived: row.archived,
                        open_flags: row.open_flags,
                    }
                })
                .collect();
            Ok(CaseloadPage { total: page.total as u32, rows })
        })
    }

    /// Everything on client `id`'s page. Opening another psychologist's client (one
    /// synced from the server) is audited.
    pub fn client(&self, id: &str) -> Result<ClientDetail> {
        let language = self.language();
        self.with_profile_and_marks(|open, author, marks| {
            let record = client_record(open, id)?;
            if record.text("owner").is_some_and(|owner| owner != author) {
                open.audit(now_ms(), AuditEvent::RecordViewed, Some(id))?;
            }
            let children: Vec<ChildView> =
                open.related("child", "client_id", id)?.into_iter().map(|(id, r)| child_view(id, &r)).collect();
            let consents: Vec<ConsentView> =
                open.related("consent", "client_id", id)?.into_iter().map(|(id, r)| consent_view(id, &r)).collect();
            let consultations = crate::consultations::summaries(open, id)?;
            let follow_ups = crate::consultations::follow_ups_of(open, id)?;
            let mut timeline = Vec::new();
            for consultation in &consultations {
                timeline.push(TimelineEntry {
                    date: consultation.held_on.clone().unwrap_or_default(),
                    kind: "consultation".into(),
                    record_id: consultation.id.clone(),
                    detail: consultation.format.clone().unwrap_or_default(),
                    signed: consultation.signed_at.is_some(),
                });
            }
            for consent in &consents {
                let entry = |date: &str, kind: &str| TimelineEntry {
                    date: date.to_owned(),
                    kind: kind.to_owned(),
                    record_id: consent.id.clone(),
                    detail: consent.scope.clone(),
                    signed: false,
                };
                timeline.push(entry(&consent.given_on, "consent_given"));
                if let Some(withdrawn) = &consent.withdrawn_on {
                    timeline.push(entry(withdrawn, "consent_withdrawn"));
                }
            }
            for follow_up in &follow_ups {
                let (date, kind) = match &follow_up.done_on {
                    Some(done) => (done.clone(), "follow_up_done"),
                    None => (follow_up.due_on.clone(), "follow_up"),
                };
                timeline.push(TimelineEntry {
                    date,
                    kind: kind.into(),
                    record_id: follow_up.id.clone(),
                    detail: follow_up.kind.clone(),
                    signed: false,
                });
            }
            for (assessment, record) in open.related("assessment", "client_id", id)? {
                let instrument = record.text("instrument").unwrap_or_default();
                let name = crate::instruments::bundled()
                    .iter()
                    .find(|i| i.id == instrument)
                    .map_or(instrument.to_owned(), |i| i.name.best(language).to_owned());
                let total = record.integer("total_centi").map(|c| format!("{}", c as f64 / 100.0));
                timeline.push(TimelineEntry {
                    date: owned(&record, "taken_on").unwrap_or_default(),
                    kind: "assessment".into(),
                    record_id: assessment,
                    detail: total.map_or(name.clone(), |total| format!("{name}: {total}")),
                    signed: false,
                });
            }
            let mut risk_flags: Vec<crate::risk::RiskFlagView> = open
                .related("risk_flag", "client_id", id)?
                .into_iter()
                .map(|(flag, record)| crate::risk::flag_view(flag, &record, language))
                .collect();
            risk_flags.sort_by_key(|flag| flag.resolved_at.is_some());
            for flag in &risk_flags {
                let day = |ms: f64| Date::in_kazakhstan(ms as i64).to_string();
                let entry = |date: String, kind: &str| TimelineEntry {
                    date,
                    kind: kind.to_owned(),
                    record_id: flag.id.clone(),
                    detail: flag.message.clone().unwrap_or_default(),
                    signed: flag.form_signed_at.is_some(),
                };
                timeline.push(entry(day(flag.raised_at), "flag_raised"));
                if let Some(resolved) = flag.resolved_at {
                    timeline.push(entry(day(resolved), "flag_resolved"));
                }
            }
            timeline.sort_by(|a, b| b.date.cmp(&a.date));
            let last_contact = consultations.iter().filter_map(|c| c.held_on.clone()).max();
            let on_page = std::iter::once(id)
                .chain(timeline.iter().map(|entry| entry.record_id.as_str()))
                .chain(children.iter().map(|child| child.id.as_str()));
            let waiting_records = marks.waiting(open, id, on_page)?;
            Ok(ClientDetail {
                client: ClientView {
                    read_only: open.read_only_clients()?.contains(id),
                    ..client_view(id, &record, language)
                },
                children,
                consent: consent_state(&consents),
                consents,
                consultations,
                follow_ups,
                timeline,
                last_contact,
                risk_flags,
                sync: marks.shown(open, &[id])?.client(id),
                waiting_records,
            })
        })
    }

    fn child_fields(
        open: &OpenProfile,
        client_id: &str,
        input: &ChildInput,
    ) -> Result<Vec<(&'static str, FieldValue)>> {
        let parent = client_record(open, client_id)?;
        let parent_birth = parent.text("birth_date").and_then(|d| Date::parse(d).ok());
        let child = child_form(input).validate(today(), parent_birth).map_err(AppError::Invalid)?;
        Ok(vec![
            ("client_id", FieldValue::Text(client_id.to_owned())),
            ("name", FieldValue::Text(child.name)),
            ("birth_date", FieldValue::Text(child.birth_date.to_string())),
            ("iin", text(child.iin.map(|iin| iin.as_str().to_owned()))),
            ("disability", FieldValue::Text(child.disability.code().to_owned())),
            ("special_needs", FieldValue::Integer(i64::from(child.special_needs))),
            ("diagnosis", text(child.diagnosis)),
            ("icd10", text(child.icd10)),
            ("diagnosed_on", text(child.diagnosed_on.map(|d| d.to_string()))),
            ("irp_status", FieldValue::Text(child.irp_status.code().to_owned())),
        ])
    }

    /// Adds a child to client `client_id`; returns the child's id.
    pub fn add_child(&self, client_id: &str, input: &ChildInput) -> Result<String> {
        self.with_profile(|open, author| {
            let fields = App::child_fields(open, client_id, input)?;
            let id = new_id();
            open.write(author, now_ms(), |changes| changes.insert("child", &id, &fields))?;
            open.audit(now_ms(), AuditEvent::RecordChanged, Some(client_id))?;
            Ok(id)
        })
    }

    /// Saves an edited child.
    pub fn update_child(&self, child_id: &str, input: &ChildInput) -> Result<()> {
        self.with_profile(|open, author| {
            let child = open.read("child", child_id)?.ok_or_else(|| {
                AppError::from(tirek_store::StoreError::RecordNotFound { entity: "child".into(), id: child_id.into() })
            })?;
            let client_id = owned(&child, "client_id").unwrap_or_default();
            let fields = App::child_fields(open, &client_id, input)?;
            open.write(author, now_ms(), |changes| changes.update("child", child_id, &fields))?;
            open.audit(now_ms(), AuditEvent::RecordChanged, Some(&client_id))?;
            Ok(())
        })
    }

    /// Records a consent; returns its id.
    pub fn give_consent(&self, client_id: &str, input: &ConsentInput) -> Result<String> {
        let form = ConsentForm {
            scope: input.scope.clone(),
            given_by: input.given_by.clone(),
            representative: input.representative.clone(),
            method: input.method.clone(),
            witness: input.witness.clone(),
            // Today when left empty (the command line); the window always fills it in.
            given_on: if input.given_on.trim().is_empty() { today().to_string() } else { input.given_on.clone() },
        };
        let consent = form.validate(today()).map_err(AppError::Invalid)?;
        self.with_profile(|open, author| {
            client_record(open, client_id)?;
            let id = new_id();
            let fields = [
                ("client_id", FieldValue::Text(client_id.to_owned())),
                ("scope", FieldValue::Text(consent.scope.code().to_owned())),
                ("given_by", FieldValue::Text(consent.given_by.code().to_owned())),
                ("representative", text(consent.representative)),
                ("method", FieldValue::Text(consent.method.code().to_owned())),
                ("witness", text(consent.witness)),
                ("given_on", FieldValue::Text(consent.given_on.to_string())),
            ];
            open.write(author, now_ms(), |changes| changes.insert("consent", &id, &fields))?;
            open.audit(now_ms(), AuditEvent::RecordChanged, Some(client_id))?;
            Ok(id)
        })
    }

    /// Withdraws consent `consent_id` as of `withdrawn_on` (typed date).
    pub fn withdraw_consent(&self, consent_id: &str, withdrawn_on: &str) -> Result<()> {
        self.with_profile(|open, author| {
            let consent = open.read("consent", consent_id)?.ok_or_else(|| {
                AppError::from(tirek_store::StoreError::RecordNotFound {
                    entity: "consent".into(),
                    id: consent_id.into(),
                })
            })?;
            if consent.text("withdrawn_on").is_some() {
                let problem = Problem::AlreadyWithdrawn;
                return Err(AppError::Invalid(vec![FieldError { field: "withdrawn_on", problem }]));
            }
            let given_on = consent.text("given_on").and_then(|d| Date::parse(d).ok()).unwrap_or_else(today);
            let date = tirek_domain::caseload::check_withdrawal(withdrawn_on, given_on, today())
                .map_err(|error| AppError::Invalid(vec![error]))?;
            let value = FieldValue::Text(date.to_string());
            open.write(author, now_ms(), |changes| changes.update("consent", consent_id, &[("withdrawn_on", value)]))?;
            open.audit(now_ms(), AuditEvent::RecordChanged, consent.text("client_id"))?;
            Ok(())
        })
    }

    /// Succeeds when client `client_id` has a consent in force for `scope`; otherwise
    /// says which consent is missing. Sharing and referring ask this first.
    pub fn require_consent(&self, client_id: &str, scope: ConsentScope) -> Result<()> {
        self.with_profile(|open, _| {
            client_record(open, client_id)?;
            let consents: Vec<ConsentView> = open
                .related("consent", "client_id", client_id)?
                .into_iter()
                .map(|(id, r)| consent_view(id, &r))
                .collect();
            let state = consent_state(&consents);
            let given = match scope {
                ConsentScope::Record => state.record,
                ConsentScope::Server => state.server,
                ConsentScope::Referral => state.referral,
            };
            if given { Ok(()) } else { Err(AppError::ConsentMissing(scope)) }
        })
    }
}
