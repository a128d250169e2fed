//! The parent's handout: the support services of their district, in their
//! language, grouped by kind, with how to reach each. It names no one — a sheet
//! that may be left on a bus must not say who it was for.

use printpdf::{PdfDocument, PdfSaveOptions};
use tirek_domain::Language;
use tirek_i18n::{FluentArgs, Messages};

use crate::consent_form::{ClinicBlock, clinic_head};
use crate::layout::{Flow, Fonts, MARGIN, PAGE_WIDTH};
use crate::{Printed, Result};

/// One service on the handout.
#[derive(Debug, Clone, Default)]
pub struct HandoutService {
    /// A `choice-service_kind-*` code.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: String,
    /// The languages it serves in, as words.
    pub languages: Option<String>,
    /// Hours, how to get an appointment.
    pub notes: Option<String>,
}

/// What the handout says.
#[derive(Debug, Clone)]
pub struct HandoutDoc {
    /// Its language (the parent's).
    pub language: Language,
    /// The clinic giving it.
    pub clinic: Option<ClinicBlock>,
    /// The district's name.
    pub district: String,
    /// The services, in the order to print (grouped by kind).
    pub services: Vec<HandoutService>,
    /// Who gave it and when, formatted.
    pub psychologist: String,
    /// The date, formatted.
    pub date: String,
}

const SIZE: f32 = 12.0;

/// The handout as PDF.
pub fn handout(doc: &HandoutDoc) -> Result<Printed> {
    let messages = Messages::new(doc.language);
    let title = messages.get("handout-title");
    let mut document = PdfDocument::new(&title);
    let fonts = Fonts::add_to(&mut document)?;
    let mut flow = Flow::new();
    clinic_head(&mut flow, &fonts, &messages, doc.clinic.as_ref());
    flow.space(6.0);
    flow.line(&fonts.bold, 18.0, &title);
    let mut args = FluentArgs::new();
    args.set("district", doc.district.clone());
    flow.line(&fonts.serif, 13.0, &messages.format("handout-district", Some(&args)));
    flow.space(2.0);
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    flow.measured(&fonts.serif, false, 11.0, 0.0, width, &messages.get("handout-intro"));
    if doc.services.is_empty() {
        flow.space(4.0);
        flow.measured(&fonts.serif, false, SIZE, 0.0, width, &messages.get("handout-none"));
    }
    let mut kind = "";
    for service in &doc.services {
        if service.kind != kind {
            kind = &service.kind;
            flow.space(4.0);
            flow.keep(30.0);
            flow.line(&fonts.bold, 14.0, &messages.get(&format!("choice-service_kind-{kind}")));
        }
        flow.space(1.5);
        flow.keep(20.0);
        flow.measured(&fonts.bold, true, SIZE, 0.0, width, &service.name);
        let mut args = FluentArgs::new();
        args.set("phone", service.phone.clone());
        flow.line_at(&fonts.serif, SIZE, 4.0, &messages.format("handout-phone", Some(&args)));
        for line in [&service.address, &service.languages, &service.notes].into_iter().flatten() {
            flow.measured(&fonts.serif, false, 11.0, 4.0, width - 4.0, line);
        }
    }
    flow.space(6.0);
    let mut args = FluentArgs::new();
    args.set("psychologist", doc.psychologist.clone());
    args.set("date", doc.date.clone());
    flow.measured(&fonts.serif, false, 10.0, 0.0, width, &messages.format("handout-given", Some(&args)));
    let missing = flow.missing();
    let pages = flow.into_pages(&fonts.serif);
    Ok(Printed { pdf: document.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new()), missing })
}
