//! A client's complete record on paper, for the client who asks for a copy of what
//! is held about them: personal details, children, consents, every consultation
//! with its addenda, follow-ups, and questionnaire results with their trends. Codes print as words in the chosen language.

use printpdf::{PdfDocument, PdfSaveOptions};
use tirek_domain::Language;
use tirek_i18n::{FluentArgs, Messages};

use crate::Result;
use crate::chart::{Results, draw_chart, draw_table};
use crate::consent_form::{ClinicBlock, clinic_head};
use crate::layout::{Flow, Fonts};

/// A child, as the record prints it.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)]
pub struct RecordChild {
    pub name: String,
    pub birth_date: Option<String>,
    pub iin: Option<String>,
    /// A `choice-disability-*` code.
    pub disability: String,
    pub special_needs: bool,
    pub diagnosis: Option<String>,
    pub icd10: Option<String>,
    pub diagnosed_on: Option<String>,
    /// A `choice-irp-*` code.
    pub irp_status: String,
}

/// A consent.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)]
pub struct RecordConsent {
    /// A `choice-scope-*` code.
    pub scope: String,
    /// A `choice-given_by-*` code.
    pub given_by: String,
    pub given_on: String,
    pub withdrawn_on: Option<String>,
}

/// A consultation.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)]
pub struct RecordConsultation {
    pub held_on: Option<String>,
    /// A `choice-format-*` code.
    pub format: Option<String>,
    pub duration_minutes: Option<String>,
    pub signed: bool,
    pub participants: Option<String>,
    pub concerns: Option<String>,
    /// `choice-intervention-*` codes.
    pub interventions: Vec<String>,
    pub interventions_other: Option<String>,
    pub notes: Option<String>,
    pub plan: Option<String>,
    pub next_step: Option<String>,
    /// (date, text) of each addendum.
    pub addenda: Vec<(String, String)>,
}

/// A follow-up.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)]
pub struct RecordFollowUp {
    /// A `choice-kind-*` code.
    pub kind: String,
    pub due_on: String,
    pub note: Option<String>,
    pub done_on: Option<String>,
}

/// The whole record.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct ClientRecordDoc {
    pub language: Language,
    pub clinic: Option<ClinicBlock>,
    /// The date it was printed, formatted.
    pub printed_on: String,
    pub name: String,
    /// (label id, value) pairs: date of birth, IIN, phone, address, district…
    pub details: Vec<(&'static str, String)>,
    pub children: Vec<RecordChild>,
    pub consents: Vec<RecordConsent>,
    pub consultations: Vec<RecordConsultation>,
    pub follow_ups: Vec<RecordFollowUp>,
    /// Questionnaire results, one per instrument.
    pub questionnaires: Vec<Results>,
}

const SIZE: f32 = 11.0;
const WIDTH: usize = 92;

/// The record as PDF bytes, as many A4 pages as it needs.
pub fn client_record(doc: &ClientRecordDoc) -> Result<Vec<u8>> {
    let messages = Messages::new(doc.language);
    let choice = |group: &str, code: &str| messages.get(&format!("choice-{group}-{code}"));
    let title = messages.get("record-title");
    let mut document = PdfDocument::new(&title);
    let fonts = Fonts::add_to(&mut document)?;
    let mut flow = Flow::new();

    clinic_head(&mut flow, &fonts, &messages, doc.clinic.as_ref());
    flow.space(6.0);
    flow.line(&fonts.bold, 15.0, &title);
    flow.line(&fonts.bold, 13.0, &doc.name);
    let mut args = FluentArgs::new();
    args.set("date", doc.printed_on.clone());
    flow.line(&fonts.serif, 10.0, &messages.format("record-printed-on", Some(&args)));
    flow.space(4.0);
    for (label, value) in &doc.details {
        flow.paragraph(&fonts.serif, SIZE, WIDTH, &format!("{}: {value}", messages.get(label)));
    }

    let heading = |flow: &mut Flow, id: &str| {
        flow.space(5.0);
        flow.keep(Flow::height_of(3, SIZE) + 6.0);
        flow.line(&fonts.bold, 13.0, &messages.get(id));
        flow.space(1.0);
    };

    heading(&mut flow, "record-children");
    if doc.children.is_empty() {
        flow.line(&fonts.serif, SIZE, "—");
    }
    for child in &doc.children {
        let birth = child.birth_date.as_deref().unwrap_or("—");
        flow.line(&fonts.bold, SIZE, &format!("{} ({birth})", child.name));
        let mut facts = vec![choice("disability", &child.disability), choice("irp", &child.irp_status)];
        if child.special_needs {
            facts.push(messages.get("record-special-needs"));
        }
        if let Some(iin) = &child.iin {
            facts.push(format!("{} {iin}", messages.get("record-iin")));
        }
        flow.paragraph(&fonts.serif, SIZE, WIDTH, &facts.join(" · "));
        if let Some(diagnosis) = &child.diagnosis {
            let code = child.icd10.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
            let since = child.diagnosed_on.as_deref().map(|d| format!(", {d}")).unwrap_or_default();
            flow.paragraph(
                &fonts.serif,
                SIZE,
                WIDTH,
                &format!("{}: {diagnosis}{code}{since}", messages.get("record-diagnosis")),
            );
        }
        flow.space(1.5);
    }

    heading(&mut flow, "record-consents");
    if doc.consents.is_empty() {
        flow.line(&fonts.serif, SIZE, "—");
    }
    for consent in &doc.consents {
        let mut args = FluentArgs::new();
        args.set("scope", choice("scope", &consent.scope));
        args.set("by", choice("given_by", &consent.given_by));
        args.set("date", consent.given_on.clone());
        let mut line = messages.format("record-consent-given", Some(&args));
        if let Some(withdrawn) = &consent.withdrawn_on {
            args.set("withdrawn", withdrawn.clone());
            line = format!("{line}; {}", messages.format("record-consent-withdrawn", Some(&args)));
        }
        flow.paragraph(&fonts.serif, SIZE, WIDTH, &line);
    }

    heading(&mut flow, "record-consultations");
    if doc.consultations.is_empty() {
        flow.line(&fonts.serif, SIZE, "—");
    }
    for consultation in &doc.consultations {
        flow.keep(Flow::height_of(4, SIZE));
        let mut head = vec![consultation.held_on.clone().unwrap_or_else(|| "—".into())];
        head.extend(consultation.format.as_deref().map(|f| choice("format", f)));
        if let Some(minutes) = &consultation.duration_minutes {
            let mut args = FluentArgs::new();
            args.set("minutes", minutes.clone());
            head.push(messages.format("record-minutes", Some(&args)));
        }
        head.push(messages.get(if consultation.signed { "record-signed" } else { "record-draft" }));
        flow.line(&fonts.bold, SIZE, &head.join(" · "));
        let interventions: Vec<String> = consultation
            .interventions
            .iter()
            .map(|code| choice("intervention", code))
            .chain(consultation.interventions_other.clone())
            .collect();
        let interventions = (!interventions.is_empty()).then(|| interventions.join(", "));
        for (label, text) in [
            ("record-participants", &consultation.participants),
            ("record-concerns", &consultation.concerns),
            ("record-interventions", &interventions),
            ("record-notes", &consultation.notes),
            ("record-plan", &consultation.plan),
            ("record-next-step", &consultation.next_step),
        ] {
            if let Some(text) = text {
                flow.paragraph(&fonts.serif, SIZE, WIDTH, &format!("{}: {text}", messages.get(label)));
            }
        }
        for (date, text) in &consultation.addenda {
            flow.paragraph(&fonts.serif, SIZE, WIDTH, &format!("{} {date}: {text}", messages.get("record-addendum")));
        }
        flow.space(2.5);
    }

    heading(&mut flow, "record-follow-ups");
    if doc.follow_ups.is_empty() {
        flow.line(&fonts.serif, SIZE, "—");
    }
    for follow_up in &doc.follow_ups {
        let mut line = format!("{} · {}", follow_up.due_on, choice("kind", &follow_up.kind));
        if let Some(note) = &follow_up.note {
            line = format!("{line} · {note}");
        }
        if let Some(done) = &follow_up.done_on {
            let mut args = FluentArgs::new();
            args.set("date", done.clone());
            line = format!("{line} · {}", messages.format("record-done-on", Some(&args)));
        }
        flow.paragraph(&fonts.serif, SIZE, WIDTH, &line);
    }

    heading(&mut flow, "record-questionnaires");
    if doc.questionnaires.is_empty() {
        flow.line(&fonts.serif, SIZE, "—");
    }
    let headings = ["results-date", "results-total", "results-band", "results-change"].map(|id| messages.get(id));
    for results in &doc.questionnaires {
        flow.keep(60.0);
        flow.line(&fonts.bold, SIZE, &results.name);
        flow.space(1.0);
        draw_chart(&mut flow, &fonts, results, doc.language, 150.0);
        draw_table(&mut flow, &fonts, results, headings.each_ref().map(String::as_str));
        flow.space(3.0);
    }

    let pages = flow.into_pages(&fonts.serif);
    Ok(document.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new()))
}
