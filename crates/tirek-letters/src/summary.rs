//! A one-page summary of a client for the psychologist's desk or a supervisor's
//! visit: who they are, their children, consents, the latest score of each
//! questionnaire, open risk flags and what comes next. Longer lists are cut with
//! "and N more": the summary stays on one page.

use printpdf::{PdfDocument, PdfSaveOptions};
use tirek_domain::Language;
use tirek_i18n::{FluentArgs, Messages};

use crate::consent_form::{ClinicBlock, clinic_head};
use crate::layout::{Flow, Fonts, MARGIN, PAGE_WIDTH};
use crate::{Printed, Result};

/// What the summary says; every text already in its language.
#[derive(Debug, Clone)]
pub struct SummaryDoc {
    /// Its language.
    pub language: Language,
    /// The clinic.
    pub clinic: Option<ClinicBlock>,
    /// The client's full name.
    pub name: String,
    /// (label, value) facts: date of birth, phone, district, language.
    pub facts: Vec<(String, String)>,
    /// One line per child.
    pub children: Vec<String>,
    /// One line per consent in force.
    pub consents: Vec<String>,
    /// One line per questionnaire: its latest score, band and change.
    pub scores: Vec<String>,
    /// One line per open risk flag.
    pub risk_flags: Vec<String>,
    /// One line per follow-up still to do.
    pub next: Vec<String>,
    /// The date printed, formatted.
    pub printed_on: String,
}

const SIZE: f32 = 11.0;
/// The most lines a section prints before "and N more".
const SECTION_LINES: usize = 5;

/// The summary as PDF: one page.
pub fn client_summary(doc: &SummaryDoc) -> Result<Printed> {
    let messages = Messages::new(doc.language);
    let title = messages.get("summary-title");
    let mut document = PdfDocument::new(&title);
    let fonts = Fonts::add_to(&mut document)?;
    let mut flow = Flow::new();
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    clinic_head(&mut flow, &fonts, &messages, doc.clinic.as_ref());
    flow.space(5.0);
    flow.line(&fonts.bold, 15.0, &title);
    flow.line(&fonts.bold, 13.0, &doc.name);
    let mut args = FluentArgs::new();
    args.set("date", doc.printed_on.clone());
    flow.line(&fonts.serif, 9.0, &messages.format("summary-printed-on", Some(&args)));
    flow.space(2.0);
    let facts: Vec<String> = doc.facts.iter().map(|(label, value)| format!("{label}: {value}")).collect();
    flow.measured(&fonts.serif, false, SIZE, 0.0, width, &facts.join(" · "));
    for (heading, lines) in [
        ("record-children", &doc.children),
        ("record-consents", &doc.consents),
        ("summary-scores", &doc.scores),
        ("letter-risk", &doc.risk_flags),
        ("summary-next", &doc.next),
    ] {
        flow.space(3.0);
        flow.line(&fonts.bold, 12.0, &messages.get(heading));
        if lines.is_empty() {
            flow.line(&fonts.serif, SIZE, "—");
        }
        for line in lines.iter().take(SECTION_LINES) {
            let clipped: String = line.chars().take(240).collect();
            flow.measured(&fonts.serif, false, SIZE, 0.0, width, &clipped);
        }
        if lines.len() > SECTION_LINES {
            let mut args = FluentArgs::new();
            args.set("count", lines.len() - SECTION_LINES);
            flow.line(&fonts.serif, SIZE, &messages.format("summary-more", Some(&args)));
        }
    }
    let missing = flow.missing();
    let pages = flow.into_pages(&fonts.serif);
    Ok(Printed { pdf: document.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new()), missing })
}
