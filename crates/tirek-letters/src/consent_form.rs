//! The consent form a client (or their legal representative) signs before anything
//! about them is kept or shared (Law No. 94-V Art. 8; `reference/kazakhstan.md`):
//! the operator, the person, each purpose with a box to tick, the data collected,
//! who receives them, the term and the right to withdraw, and the signature lines.

use printpdf::{PdfDocument, PdfSaveOptions};
use tirek_domain::Language;
use tirek_i18n::{FluentArgs, Messages};

use crate::Result;
use crate::layout::{Flow, Fonts};

/// The clinic at the head of a document.
#[derive(Debug, Clone, Default)]
pub struct ClinicBlock {
    /// Name.
    pub name: String,
    /// BIN.
    pub bin: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

/// What the consent form says.
#[derive(Debug, Clone)]
pub struct ConsentFormDoc {
    /// The language to print in.
    pub language: Language,
    /// The clinic, when its details are set; otherwise blank lines to fill in.
    pub clinic: Option<ClinicBlock>,
    /// The client's full name.
    pub client_name: String,
    /// The client's IIN, if known.
    pub iin: Option<String>,
    /// The client's date of birth, formatted, if known.
    pub birth_date: Option<String>,
    /// The psychologist's name.
    pub psychologist: String,
}

const BLANK: &str = "________________________________";

/// The clinic's lines at the head of a document, or a blank to fill in.
pub(crate) fn clinic_head(flow: &mut Flow, fonts: &Fonts, messages: &Messages, clinic: Option<&ClinicBlock>) {
    let Some(clinic) = clinic else {
        flow.line(&fonts.serif, 11.0, &format!("{}: {BLANK}", messages.get("doc-clinic")));
        return;
    };
    flow.line(&fonts.bold, 12.0, &clinic.name);
    let mut details = Vec::new();
    if let Some(bin) = &clinic.bin {
        details.push(format!("{} {bin}", messages.get("doc-bin")));
    }
    details.extend(clinic.address.clone());
    details.extend(clinic.phone.clone());
    if !details.is_empty() {
        flow.paragraph(&fonts.serif, 10.0, 95, &details.join(" · "));
    }
}

/// The form as PDF bytes: one or two A4 pages.
pub fn consent_form(doc: &ConsentFormDoc) -> Result<Vec<u8>> {
    let messages = Messages::new(doc.language);
    let title = messages.get("consent-form-title");
    let mut document = PdfDocument::new(&title);
    let fonts = Fonts::add_to(&mut document)?;
    let mut flow = Flow::new();

    clinic_head(&mut flow, &fonts, &messages, doc.clinic.as_ref());
    flow.space(8.0);
    flow.line(&fonts.bold, 15.0, &title);
    flow.space(5.0);

    let mut args = FluentArgs::new();
    args.set("name", doc.client_name.clone());
    args.set("iin", doc.iin.clone().unwrap_or_else(|| BLANK[..14].to_owned()));
    args.set("birth", doc.birth_date.clone().unwrap_or_else(|| BLANK[..12].to_owned()));
    args.set("clinic", doc.clinic.as_ref().map_or_else(|| BLANK.to_owned(), |c| c.name.clone()));
    flow.paragraph(&fonts.serif, 12.0, 85, &messages.format("consent-form-intro", Some(&args)));
    flow.space(4.0);
    for scope in ["record", "server", "referral"] {
        flow.keep(Flow::height_of(3, 12.0));
        let text = messages.get(&format!("consent-form-purpose-{scope}"));
        let mut lines = crate::layout::wrap(&text, 78).into_iter();
        if let Some(first) = lines.next() {
            flow.line(&fonts.mono, 12.0, "[   ]");
            flow.space(-Flow::height_of(1, 12.0));
            flow.line_at(&fonts.serif, 12.0, 14.0, &first);
        }
        for line in lines {
            flow.line_at(&fonts.serif, 12.0, 14.0, &line);
        }
        flow.space(2.0);
    }
    flow.space(3.0);
    for id in ["consent-form-data", "consent-form-recipients", "consent-form-term", "consent-form-rights"] {
        flow.paragraph(&fonts.serif, 11.0, 92, &messages.get(id));
        flow.space(2.5);
    }

    // The signatures stay together on one page.
    flow.keep(Flow::height_of(9, 12.0) + 20.0);
    flow.space(6.0);
    flow.paragraph(&fonts.serif, 12.0, 85, &format!("{}:", messages.get("consent-form-signed-by")));
    flow.space(5.0);
    flow.line(&fonts.serif, 12.0, &format!("{BLANK}{BLANK}"));
    flow.line(&fonts.serif, 9.0, &messages.get("consent-form-signed-by-hint"));
    flow.space(5.0);
    flow.line(
        &fonts.serif,
        12.0,
        &format!(
            "{}: ____________________   {}: ______________",
            messages.get("doc-signature"),
            messages.get("doc-date")
        ),
    );
    flow.space(8.0);
    args.set("psychologist", doc.psychologist.clone());
    flow.line(&fonts.serif, 12.0, &messages.format("consent-form-psychologist", Some(&args)));
    flow.line(&fonts.serif, 12.0, &format!("{}: ____________________", messages.get("doc-signature")));

    let pages = flow.into_pages(&fonts.serif);
    Ok(document.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new()))
}
