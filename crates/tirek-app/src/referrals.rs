//! Referral letters: composed as a draft (findings prefilled from the latest
//! consultation and questionnaires), issued with an outgoing number no other
//! computer can give, printed in Kazakh, Russian or English whatever the interface
//! speaks, and followed in the letter register until the family is seen or declines.
//! No letter without the client's consent to referral.
//!
//! What a letter says is one [`LetterContent`]: the window previews it, the PDF is
//! made from it, and at issue it is stored, so that a reprint (marked as a copy)
//! says word for word what the original said.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tirek_domain::Language;
use tirek_domain::audit::AuditEvent;
use tirek_domain::caseload::ConsentScope;
use tirek_domain::change::FieldValue;
use tirek_domain::chart::{Reading, Trend};
use tirek_domain::date::Date;
use tirek_domain::referral::{LetterStatus, ReferralForm, letter_number, new_series, qr_payload};
use tirek_i18n::{FluentArgs, Messages};
use tirek_store::changes::Record;
use tirek_store::referrals::ReferralFilter;

use crate::caseload::{client_record, full_name, new_id, owned, text, today};
use crate::profiles::now_ms;
use crate::trends::{ChartView, chart_view};
use crate::{App, AppError, FieldMessage, Result};

/// A referral as typed in the composer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ReferralInput {
    /// The directory's service it goes to, if chosen from there.
    pub service_id: Option<String>,
    pub recipient: String,
    pub recipient_address: String,
    pub reason: String,
    pub findings: String,
    pub service_requested: String,
    /// `routine`, `soon` or `urgent`.
    pub urgency: String,
    /// `kk`, `ru` or `en`: the letter's, not the interface's.
    pub language: String,
    pub signatory_name: String,
    pub signatory_position: String,
}

/// A letter in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ReferralView {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    pub input: ReferralInput,
    /// `draft`, `issued`, `delivered`, `attended`, `declined`.
    pub status: String,
    pub number: Option<String>,
    pub issued_on: Option<String>,
    pub delivered_on: Option<String>,
    pub outcome_on: Option<String>,
    pub outcome_note: Option<String>,
    /// What issuing still needs, in the interface language.
    pub missing_for_issue: Vec<FieldMessage>,
    /// The statuses it may be marked next (none for a draft or an outcome).
    pub next_statuses: Vec<String>,
}

/// Which letters to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ReferralQuery {
    pub client_id: Option<String>,
    pub status: Option<String>,
    /// ISO dates, inclusive.
    pub issued_from: Option<String>,
    pub issued_to: Option<String>,
}

/// Everything a letter says, in its language: what the preview shows, what the PDF
/// prints, and — once issued — what is kept for reprints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct LetterContent {
    pub language: String,
    pub clinic_name: String,
    pub clinic_lines: Vec<String>,
    pub number: Option<String>,
    /// `DD.MM.YYYY`.
    pub date: String,
    pub recipient: String,
    pub recipient_address: Option<String>,
    pub client_name: String,
    /// (label, value) in the letter's language.
    pub client_facts: Vec<(String, String)>,
    pub children: Vec<String>,
    pub reason: String,
    pub findings: Option<String>,
    pub results: Vec<ResultsContent>,
    pub risk_flags: Vec<String>,
    pub service_requested: String,
    pub urgency: String,
    pub psychologist: String,
    pub signatory_name: String,
    pub signatory_position: String,
    pub qr: Option<String>,
}

/// One assessment on a letter's chart: (ISO date, total, change code).
pub type ReadingContent = (String, f64, Option<String>);

/// One instrument's readings for a letter's chart: its id, the readings, and the
/// indices of those that raised a risk flag.
type InstrumentReadings = (String, Vec<ReadingContent>, Vec<u32>);

/// One instrument's results in a letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ResultsContent {
    pub instrument: String,
    pub name: String,
    /// (ISO date, total, change code) of each scored assessment, for the chart.
    pub readings: Vec<ReadingContent>,
    /// Which of `readings` raised a risk flag (their indices), marked on the chart;
    /// absent from letters issued before charts marked them.
    #[serde(default)]
    pub flagged: Vec<u32>,
    /// The band names the chart writes, in the letter's language.
    pub band_labels: Vec<String>,
    /// (date, total, band, change) rows of the table.
    pub rows: Vec<(String, String, String, String)>,
    pub notes: Vec<String>,
}

/// A letter ready to look at before printing: its content and each chart laid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct LetterPreview {
    pub content: LetterContent,
    pub charts: Vec<Option<ChartView>>,
    /// Labels of the letter's sections, in its language.
    pub labels: Vec<(String, String)>,
}

/// A printed letter: the PDF, and characters the fonts lacked (printed as "?").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedLetter {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Characters replaced.
    pub missing: Vec<char>,
    /// The letter as listed after printing.
    pub letter: ReferralView,
}

fn form(input: &ReferralInput) -> ReferralForm {
    ReferralForm {
        recipient: input.recipient.clone(),
        recipient_address: input.recipient_address.clone(),
        reason: input.reason.clone(),
        findings: input.findings.clone(),
        service_requested: input.service_requested.clone(),
        urgency: input.urgency.clone(),
        language: input.language.clone(),
        signatory_name: input.signatory_name.clone(),
        signatory_position: input.signatory_position.clone(),
    }
}

fn input_of(record: &Record) -> ReferralInput {
    let text = |field: &str| owned(record, field).unwrap_or_default();
    ReferralInput {
        service_id: owned(record, "service_id"),
        recipient: text("recipient"),
        recipient_address: text("recipient_address"),
        reason: text("reason"),
        findings: text("findings"),
        service_requested: text("service_requested"),
        urgency: text("urgency"),
        language: text("language"),
        signatory_name: text("signatory_name"),
        signatory_position: text("signatory_position"),
    }
}

fn referral_record(open: &tirek_store::OpenProfile, id: &str) -> Result<Record> {
    open.read("referral", id)?
        .ok_or_else(|| tirek_store::StoreError::RecordNotFound { entity: "referral".into(), id: id.into() }.into())
}

/// A letter's file name: its number (or "draft"), never the client's name.
pub fn letter_file_name(letter: &ReferralView) -> String {
    let number = letter.number.as_deref().unwrap_or("draft");
    let safe: String = number.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
    format!("tirek-letter-{safe}.pdf")
}

/// A stored letter as listed, its missing fields told in `messages`' language.
fn referral_view(
    open: &tirek_store::OpenProfile,
    id: String,
    record: &Record,
    messages: &Messages,
) -> Result<ReferralView> {
    let client_id = owned(record, "client_id").unwrap_or_default();
    let client = client_record(open, &client_id)?;
    let input = input_of(record);
    let missing = form(&input).clean().map(|draft| draft.missing_for_issue()).unwrap_or_default();
    Ok(ReferralView {
        client_name: full_name(
            client.text("family_name").unwrap_or(""),
            client.text("given_name").unwrap_or(""),
            client.text("patronymic"),
        ),
        client_id,
        input,
        status: owned(record, "status").unwrap_or_default(),
        number: owned(record, "number"),
        issued_on: owned(record, "issued_on"),
        delivered_on: owned(record, "delivered_on"),
        outcome_on: owned(record, "outcome_on"),
        outcome_note: owned(record, "outcome_note"),
        missing_for_issue: crate::error::field_messages(&missing, messages),
        next_statuses: LetterStatus::from_code(record.text("status").unwrap_or(""))
            .map(|from| {
                LetterStatus::ALL.iter().filter(|to| from.may_become(**to)).map(|to| to.code().to_owned()).collect()
            })
            .unwrap_or_default(),
        id,
    })
}

impl App {
    /// Starts a referral letter for `client_id`: refused without the client's
    /// consent to referral. The draft is in the client's language, signed by the
    /// clinic's first signatory, with findings prefilled from the latest
    /// consultation and questionnaire results (all editable).
    pub fn start_referral(&self, client_id: &str) -> Result<ReferralView> {
        self.require_consent(client_id, ConsentScope::Referral)?;
        let detail = self.client(client_id)?;
        let language = detail.client.language.parse::<Language>().unwrap_or(Language::Russian);
        let findings = self.prefilled_findings(client_id, language)?;
        let signatory = self.clinic().and_then(|clinic| clinic.signatories.into_iter().next()).unwrap_or_default();
        let id = new_id();
        let fields = [
            ("client_id", FieldValue::Text(client_id.to_owned())),
            ("findings", text(Some(findings).filter(|f| !f.is_empty()))),
            ("urgency", FieldValue::Text("routine".into())),
            ("language", FieldValue::Text(language.code().into())),
            ("signatory_name", text(Some(signatory.name).filter(|n| !n.is_empty()))),
            ("signatory_position", text(Some(signatory.position).filter(|p| !p.is_empty()))),
            ("created_at", FieldValue::Integer(now_ms())),
            ("status", FieldValue::Text("draft".into())),
        ];
        self.with_profile(|open, author| {
            open.write(author, now_ms(), |changes| changes.insert("referral", &id, &fields))?;
            open.audit(now_ms(), AuditEvent::RecordCreated, Some(&id))?;
            Ok(())
        })?;
        self.referral(&id)
    }

    /// The findings a new letter starts with: the latest signed consultation's
    /// concerns and plan, and each questionnaire's latest score with its band and
    /// reliable change, in `language`.
    fn prefilled_findings(&self, client_id: &str, language: Language) -> Result<String> {
        let messages = Messages::new(language);
        let mut lines = Vec::new();
        let detail = self.client(client_id)?;
        if let Some(latest) = detail.consultations.iter().find(|c| c.signed_at.is_some()) {
            let consultation = self.consultation(&latest.id)?;
            for text in [&consultation.form.concerns, &consultation.form.plan] {
                if !text.trim().is_empty() {
                    lines.push(text.trim().to_owned());
                }
            }
        }
        for results in self.printed_results(client_id, language)? {
            if let Some(last) = results.rows.last() {
                let mut args = FluentArgs::new();
                args.set("name", results.name.clone());
                args.set("date", last.date.clone());
                args.set("total", last.total.clone());
                args.set("band", last.band.clone());
                let mut line = messages.format("letter-finding-score", Some(&args));
                if !last.change.is_empty() {
                    line = format!("{line}; {}", last.change.to_lowercase());
                }
                lines.push(format!("{line}."));
            }
        }
        Ok(lines.join("\n"))
    }

    /// One letter.
    pub fn referral(&self, id: &str) -> Result<ReferralView> {
        let messages = self.messages();
        self.with_profile(|open, _| {
            let record = referral_record(open, id)?;
            referral_view(open, id.to_owned(), &record, &messages)
        })
    }

    /// Saves what the composer holds (a draft only). A service chosen from the
    /// directory fills an empty recipient and address; one of its examples is
    /// refused, and nothing is saved.
    pub fn save_referral_draft(&self, id: &str, input: &ReferralInput) -> Result<ReferralView> {
        let mut input = input.clone();
        if let Some(service_id) = input.service_id.clone().filter(|s| !s.is_empty()) {
            let service = self.service(&service_id)?;
            if service.example {
                return Err(AppError::ExampleService(service.input.name));
            }
            if input.recipient.trim().is_empty() {
                input.recipient = service.input.name.clone();
            }
            if input.recipient_address.trim().is_empty() {
                let place = crate::regions::place_name(&service.input.district, self.language()).unwrap_or("");
                input.recipient_address = [service.input.address.as_str(), place]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n");
            }
        }
        let draft = form(&input).clean().map_err(AppError::Invalid)?;
        let fields = [
            ("service_id", text(input.service_id.clone().filter(|s| !s.is_empty()))),
            ("recipient", text(draft.recipient)),
            ("recipient_address", text(draft.recipient_address)),
            ("reason", text(draft.reason)),
            ("findings", text(draft.findings)),
            ("service_requested", text(draft.service_requested)),
            ("urgency", FieldValue::Text(draft.urgency.code().into())),
            ("language", FieldValue::Text(draft.language.code().into())),
            ("signatory_name", text(draft.signatory_name)),
            ("signatory_position", text(draft.signatory_position)),
        ];
        self.with_profile(|open, author| {
            let record = referral_record(open, id)?;
            if record.text("status") != Some("draft") {
                return Err(tirek_store::StoreError::RecordFinal { entity: "referral".into(), id: id.into() }.into());
            }
            open.write(author, now_ms(), |changes| changes.update("referral", id, &fields))?;
            Ok(())
        })?;
        self.referral(id)
    }

    /// Refuses a letter whose service is one of the directory's examples (a draft
    /// saved before the service held an example's details again): a made-up name,
    /// street or phone must never reach a family as a real service.
    fn refuse_example_recipient(&self, input: &ReferralInput) -> Result<()> {
        let Some(service_id) = input.service_id.as_deref().filter(|s| !s.is_empty()) else { return Ok(()) };
        let service = self.service(service_id)?;
        if service.example { Err(AppError::ExampleService(service.input.name)) } else { Ok(()) }
    }

    /// Throws away a draft started by mistake.
    pub fn discard_referral(&self, id: &str) -> Result<()> {
        self.with_profile(|open, author| {
            let record = referral_record(open, id)?;
            if record.text("status") != Some("draft") {
                return Err(tirek_store::StoreError::RecordFinal { entity: "referral".into(), id: id.into() }.into());
            }
            open.write(author, now_ms(), |changes| changes.delete("referral", id))?;
            Ok(())
        })
    }

    /// What letter `id` says now: a draft as composed, an issued letter as issued.
    pub fn letter_content(&self, id: &str) -> Result<LetterContent> {
        let letter = self.referral(id)?;
        if letter.status != "draft" {
            let snapshot = self.with_profile(|open, _| Ok(owned(&referral_record(open, id)?, "snapshot")))?;
            return snapshot.and_then(|json| serde_json::from_str(&json).ok()).ok_or_else(|| {
                tirek_store::StoreError::RecordNotFound { entity: "snapshot".into(), id: id.into() }.into()
            });
        }
        self.compose(&letter, None, &today())
    }

    fn compose(&self, letter: &ReferralView, number: Option<&str>, date: &Date) -> Result<LetterContent> {
        let language = letter.input.language.parse::<Language>().unwrap_or(Language::Russian);
        let messages = Messages::new(language);
        let detail = self.client(&letter.client_id)?;
        let client = &detail.client;
        let clinic = self.clinic().unwrap_or_default();
        let mut clinic_lines: Vec<String> = Vec::new();
        clinic_lines.extend(Some(clinic.address.clone()).filter(|a| !a.is_empty()));
        let contacts: Vec<String> = [
            Some(clinic.bin.clone()).filter(|b| !b.is_empty()).map(|b| format!("{} {b}", messages.get("doc-bin"))),
            Some(clinic.phone.clone()).filter(|p| !p.is_empty()).map(|p| tirek_domain::phone::display(&p)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !contacts.is_empty() {
            clinic_lines.push(contacts.join(" · "));
        }
        let dotted = |iso: &str| Date::parse(iso).map_or_else(|_| iso.to_owned(), Date::dotted);
        let place = client.district.as_deref().and_then(|d| crate::regions::place_name(d, language)).map(str::to_owned);
        let address = [client.address.clone(), place].into_iter().flatten().collect::<Vec<_>>().join(", ");
        let client_facts: Vec<(String, String)> = [
            ("letter-birth-date", client.birth_date.as_deref().map(dotted)),
            ("letter-iin", client.iin.clone()),
            ("letter-address", Some(address).filter(|a| !a.is_empty())),
            ("letter-phone", client.phone.as_deref().map(tirek_domain::phone::display)),
        ]
        .into_iter()
        .filter_map(|(label, value)| Some((messages.get(label), value?)))
        .collect();
        let children = detail.children.iter().map(|child| child_line(child, &messages)).collect();
        let risk_flags = open_flag_lines(&detail.risk_flags, &self.all_instruments(), language);
        let results = self
            .printed_results(&letter.client_id, language)?
            .into_iter()
            .zip(self.result_readings(&letter.client_id)?)
            .map(|(results, (instrument, readings, flagged))| ResultsContent {
                band_labels: self
                    .instrument(&instrument)
                    .map(|i| i.bands.iter().map(|b| b.label.best(language).to_owned()).collect())
                    .unwrap_or_default(),
                instrument,
                name: results.name,
                readings,
                flagged,
                rows: results.rows.into_iter().map(|r| (r.date, r.total, r.band, r.change)).collect(),
                notes: results.notes,
            })
            .collect();
        let input = &letter.input;
        let id = &letter.id;
        Ok(LetterContent {
            language: language.code().to_owned(),
            clinic_name: clinic.name.clone(),
            clinic_lines,
            number: number.map(str::to_owned),
            date: date.dotted(),
            recipient: input.recipient.clone(),
            recipient_address: Some(input.recipient_address.clone()).filter(|a| !a.trim().is_empty()),
            client_name: client.full_name(),
            client_facts,
            children,
            reason: input.reason.clone(),
            findings: Some(input.findings.clone()).filter(|f| !f.trim().is_empty()),
            results,
            risk_flags,
            service_requested: input.service_requested.clone(),
            urgency: if input.urgency.is_empty() { "routine".into() } else { input.urgency.clone() },
            psychologist: self.unlocked_profile().map(|p| p.name).unwrap_or_default(),
            signatory_name: input.signatory_name.clone(),
            signatory_position: input.signatory_position.clone(),
            qr: number.map(|number| qr_payload(id, number, &date.to_string())),
        })
    }

    /// Each instrument's scored readings for a chart, in the order `printed_results`
    /// lists them, with the indices of those that raised a risk flag.
    fn result_readings(&self, client_id: &str) -> Result<Vec<InstrumentReadings>> {
        let history = self.assessments(client_id, None)?;
        let mut order: Vec<String> = Vec::new();
        for assessment in &history {
            if !order.contains(&assessment.instrument) && self.instrument(&assessment.instrument).is_ok() {
                order.push(assessment.instrument.clone());
            }
        }
        Ok(order
            .into_iter()
            .map(|code| {
                let scored: Vec<&crate::AssessmentView> =
                    history.iter().filter(|a| a.instrument == code && a.total.is_some()).collect();
                let readings =
                    scored.iter().filter_map(|a| Some((a.taken_on.clone(), a.total?, a.change.clone()))).collect();
                let flagged =
                    (0u32..).zip(&scored).filter(|(_, a)| !a.flags.is_empty()).map(|(index, _)| index).collect();
                (code, readings, flagged)
            })
            .collect())
    }

    /// The letter as the preview shows it: content, each chart laid out, and the
    /// section labels in the letter's language.
    pub fn letter_preview(&self, id: &str) -> Result<LetterPreview> {
        let content = self.letter_content(id)?;
        let language = content.language.parse::<Language>().unwrap_or(Language::Russian);
        let messages = Messages::new(language);
        let charts = content
            .results
            .iter()
            .map(|results| {
                let instrument = self.instrument(&results.instrument).ok()?;
                let trend = trend_of(&instrument, results, language)?;
                Some(chart_view(&instrument, &trend, language))
            })
            .collect();
        let labels = [
            "letter-title",
            "letter-client",
            "letter-child",
            "letter-reason",
            "letter-findings",
            "letter-results",
            "letter-risk",
            "letter-service",
            "letter-consent",
            "letter-psychologist",
            "letter-stamp",
            "letter-draft",
            "letter-draft-number",
            "letter-urgency-soon",
            "letter-urgency-urgent",
            "results-date",
            "results-total",
            "results-band",
            "results-change",
        ]
        .into_iter()
        .map(|id| (id.to_owned(), messages.get(id)))
        .collect();
        Ok(LetterPreview { content, charts, labels })
    }

    /// Issues draft `id`: checks consent and completeness, gives it the next
    /// outgoing number of this profile on this computer, prints it, and keeps what
    /// it says and the PDF's hash — all in one transaction. Audited as a print.
    pub fn issue_referral(&self, id: &str) -> Result<PrintedLetter> {
        let letter = self.referral(id)?;
        if letter.status != "draft" {
            return Err(tirek_store::StoreError::RecordFinal { entity: "referral".into(), id: id.into() }.into());
        }
        self.require_consent(&letter.client_id, ConsentScope::Referral)?;
        self.refuse_example_recipient(&letter.input)?;
        let draft = form(&letter.input).clean().map_err(AppError::Invalid)?;
        let missing = draft.missing_for_issue();
        if !missing.is_empty() {
            return Err(AppError::Invalid(missing));
        }
        let installation = self.installation()?;
        let prefix = self.clinic().map(|c| c.letter_prefix).unwrap_or_default();
        let date = today();
        // Composed first; the number and the QR code join it inside the transaction
        // that takes the number and stores the letter, so that a failure anywhere
        // leaves neither a used number nor a half-issued letter.
        let draft_content = self.compose(&letter, None, &date)?;
        let instruments = self.all_instruments();
        let logo = self.clinic_logo();
        let mut failure = None;
        let outcome = self.with_profile(|open, author| {
            Ok(open.write(author, now_ms(), |changes| {
                let (series, n) = changes.take_letter_number(&installation, new_series)?;
                let number = letter_number(&prefix, &series, n);
                let mut content = draft_content.clone();
                content.qr = Some(qr_payload(id, &number, &date.to_string()));
                content.number = Some(number.clone());
                let printed = render(&content, false, &instruments, logo.clone()).map_err(|error| {
                    failure = Some(error);
                    tirek_store::StoreError::Abandoned
                })?;
                let hash: String = Sha256::digest(&printed.pdf).iter().map(|b| format!("{b:02x}")).collect();
                let snapshot = serde_json::to_string(&content).unwrap_or_default();
                changes.update(
                    "referral",
                    id,
                    &[
                        ("status", FieldValue::Text("issued".into())),
                        ("number", FieldValue::Text(number)),
                        ("issued_on", FieldValue::Text(date.to_string())),
                        ("snapshot", FieldValue::Text(snapshot)),
                        ("pdf_sha256", FieldValue::Text(hash)),
                    ],
                )?;
                changes.audit(AuditEvent::Print, Some(id))?;
                Ok(printed)
            })?)
        });
        let printed = match (outcome, failure) {
            (_, Some(error)) => return Err(error.into()),
            (outcome, None) => outcome?.0,
        };
        Ok(PrintedLetter { pdf: printed.pdf, missing: printed.missing, letter: self.referral(id)? })
    }

    /// Letter `id` as PDF: a draft as a preview marked "draft", an issued letter as a
    /// reprint marked "copy", word for word as issued. Audited as a print.
    pub fn referral_pdf(&self, id: &str) -> Result<PrintedLetter> {
        let letter = self.referral(id)?;
        if letter.status == "draft" {
            self.refuse_example_recipient(&letter.input)?;
        }
        let content = self.letter_content(id)?;
        let printed = render(&content, letter.status != "draft", &self.all_instruments(), self.clinic_logo())?;
        self.with_profile(|open, _| Ok(open.audit(now_ms(), AuditEvent::Print, Some(id)).map(drop)?))?;
        Ok(PrintedLetter { pdf: printed.pdf, missing: printed.missing, letter })
    }

    /// Marks an issued letter delivered, attended or declined, on `date` (today when
    /// empty) with an optional note. Statuses only move forward; an outcome is final.
    pub fn set_referral_status(&self, id: &str, status: &str, date: &str, note: &str) -> Result<ReferralView> {
        let letter = self.referral(id)?;
        let from = LetterStatus::from_code(&letter.status).unwrap_or(LetterStatus::Draft);
        let Some(to) = LetterStatus::from_code(status) else {
            return Err(AppError::Invalid(vec![tirek_domain::caseload::FieldError {
                field: "status",
                problem: tirek_domain::caseload::Problem::UnknownChoice,
            }]));
        };
        if !from.may_become(to) {
            return Err(AppError::StatusChange { from: from.code(), to: to.code() });
        }
        let on = status_date(date, letter.issued_on.as_deref())?;
        let note = tirek_domain::text::clean_text(note, tirek_domain::caseload::TEXT_MAX).map_err(|problem| {
            AppError::Invalid(vec![tirek_domain::caseload::FieldError {
                field: "outcome_note",
                problem: tirek_domain::caseload::Problem::Text(problem),
            }])
        })?;
        let mut fields = vec![("status", FieldValue::Text(to.code().into()))];
        if to == LetterStatus::Delivered {
            fields.push(("delivered_on", FieldValue::Text(on.to_string())));
        } else {
            fields.push(("outcome_on", FieldValue::Text(on.to_string())));
        }
        if !note.trim().is_empty() {
            fields.push(("outcome_note", FieldValue::Text(note)));
        }
        self.with_profile(|open, author| {
            open.write(author, now_ms(), |changes| changes.update("referral", id, &fields))?;
            Ok(())
        })?;
        self.referral(id)
    }

    /// The letter register, newest first.
    pub fn referrals(&self, query: &ReferralQuery) -> Result<Vec<ReferralView>> {
        let filter = ReferralFilter {
            client_id: query.client_id.clone().filter(|c| !c.is_empty()),
            status: query.status.clone().filter(|s| !s.is_empty()),
            issued_from: query.issued_from.clone().filter(|d| !d.is_empty()),
            issued_to: query.issued_to.clone().filter(|d| !d.is_empty()),
        };
        let messages = self.messages();
        self.with_profile(|open, _| {
            open.referrals(&filter)?
                .into_iter()
                .map(|(id, record)| referral_view(open, id, &record, &messages))
                .collect()
        })
    }

    /// This data folder's installation id, made on first need.
    fn installation(&self) -> Result<String> {
        if let Some(id) = self.state().settings.installation.clone() {
            return Ok(id);
        }
        let id = new_id();
        let mut settings = self.state().settings.clone();
        settings.installation = Some(id.clone());
        settings.save(&self.data_dir()?)?;
        self.state().settings.installation = Some(id.clone());
        Ok(id)
    }
}

/// Renders `content` as PDF with the instruments' bands for its charts and the
/// clinic's logo: a pure function, so that it can run inside the transaction that
/// issues the letter.
fn render(
    content: &LetterContent,
    copy: bool,
    instruments: &[tirek_domain::instrument::Instrument],
    logo: Option<tirek_letters::Logo>,
) -> std::result::Result<tirek_letters::Printed, tirek_letters::LettersError> {
    let language = content.language.parse::<Language>().unwrap_or(Language::Russian);
    let results = content
        .results
        .iter()
        .map(|results| tirek_letters::Results {
            name: results.name.clone(),
            chart: instruments.iter().find(|i| i.id == results.instrument).and_then(|i| trend_of(i, results, language)),
            rows: results
                .rows
                .iter()
                .map(|(date, total, band, change)| tirek_letters::ScoreRow {
                    date: date.clone(),
                    total: total.clone(),
                    band: band.clone(),
                    change: change.clone(),
                })
                .collect(),
            notes: results.notes.clone(),
        })
        .collect();
    let mut lines = content.clinic_lines.iter();
    let doc = tirek_letters::LetterDoc {
        language,
        clinic: tirek_letters::ClinicBlock {
            name: content.clinic_name.clone(),
            bin: None,
            address: lines.next().cloned(),
            phone: lines.next().cloned(),
        },
        logo,
        number: content.number.clone(),
        date: content.date.clone(),
        copy,
        recipient: content.recipient.clone(),
        recipient_address: content.recipient_address.clone(),
        client_name: content.client_name.clone(),
        client_facts: content.client_facts.clone(),
        children: content.children.clone(),
        reason: content.reason.clone(),
        findings: content.findings.clone(),
        results,
        risk_flags: content.risk_flags.clone(),
        service_requested: content.service_requested.clone(),
        urgency: content.urgency.clone(),
        psychologist: content.psychologist.clone(),
        signatory_name: content.signatory_name.clone(),
        signatory_position: content.signatory_position.clone(),
        qr: content.qr.clone(),
    };
    tirek_letters::referral_letter(&doc)
}

/// A child in one line of a document: name, date of birth, IIN, disability, diagnosis.
pub(crate) fn child_line(child: &crate::ChildView, messages: &Messages) -> String {
    let dotted = |iso: &str| Date::parse(iso).map_or_else(|_| iso.to_owned(), Date::dotted);
    let mut parts = vec![child.name.clone()];
    parts.extend(child.birth_date.as_deref().map(dotted));
    parts.extend(child.iin.as_ref().map(|iin| format!("{} {iin}", messages.get("letter-iin"))));
    if child.disability != "none" {
        parts.push(messages.get(&format!("choice-disability-{}", child.disability)));
    }
    if let Some(diagnosis) = &child.diagnosis {
        let code = child.icd10.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        parts.push(format!("{diagnosis}{code}"));
    }
    parts.join(", ")
}

/// The open risk flags in lines of a document in `language`: when raised, the rule's
/// words (or "raised by the psychologist"), the level on the signed form.
pub(crate) fn open_flag_lines(
    flags: &[crate::RiskFlagView],
    instruments: &[tirek_domain::instrument::Instrument],
    language: Language,
) -> Vec<String> {
    let messages = Messages::new(language);
    flags
        .iter()
        .filter(|flag| flag.resolved_at.is_none())
        .map(|flag| {
            let raised = Date::in_kazakhstan(flag.raised_at as i64).dotted();
            let message = flag
                .rule
                .as_deref()
                .and_then(|rule| instruments.iter().flat_map(|i| &i.safety).find(|r| r.id == rule))
                .map(|rule| rule.message.best(language).to_owned())
                .unwrap_or_else(|| messages.get("letter-flag-clinician"));
            let level = flag
                .level
                .as_deref()
                .map(|level| format!(" ({})", messages.get(&format!("risk-level-{level}"))))
                .unwrap_or_default();
            format!("{raised}: {message}{level}")
        })
        .collect()
}

/// The date a status is marked with: today when empty; neither in the future nor
/// before the letter was issued.
fn status_date(typed: &str, issued_on: Option<&str>) -> Result<Date> {
    use tirek_domain::caseload::{FieldError, Problem};
    let fail = |problem| AppError::Invalid(vec![FieldError { field: "date", problem }]);
    let today = today();
    let on = if typed.trim().is_empty() { today } else { Date::parse(typed).map_err(|_| fail(Problem::NotADate))? };
    if on > today {
        return Err(fail(Problem::DateInFuture));
    }
    if issued_on.and_then(|d| Date::parse(d).ok()).is_some_and(|issued| on < issued) {
        return Err(fail(Problem::BeforeIssued));
    }
    Ok(on)
}

/// The chart of a letter's `results`, its band names the words the letter keeps (so
/// that a reprint says what the original said).
fn trend_of(
    instrument: &tirek_domain::instrument::Instrument,
    results: &ResultsContent,
    language: Language,
) -> Option<Trend> {
    let mut instrument = instrument.clone();
    if results.band_labels.len() == instrument.bands.len() {
        for (band, label) in instrument.bands.iter_mut().zip(&results.band_labels) {
            band.label = tirek_domain::instrument::Texts(vec![(language, label.clone())]);
        }
    }
    let readings: Vec<Reading> = (0u32..)
        .zip(&results.readings)
        .filter_map(|(index, (date, total, change))| {
            Some(Reading {
                date: Date::parse(date).ok()?,
                total: *total,
                change: change.as_deref().and_then(crate::trends::change_of),
                flagged: results.flagged.contains(&index),
            })
        })
        .collect();
    (!readings.is_empty()).then(|| Trend::lay_out(&instrument, &readings, language))
}
