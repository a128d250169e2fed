//! The recovery sheet printed when a profile is created: whose profile, when, the
//! recovery key in large monospaced type, and what to do with it — in the language
//! the psychologist chose.

use printpdf::{PdfDocument, PdfSaveOptions};
use tirek_domain::Language;
use tirek_i18n::{FluentArgs, Messages};

use crate::Result;
use crate::layout::{Flow, Fonts};

/// What the sheet says.
#[derive(Debug, Clone)]
pub struct RecoverySheet<'a> {
    /// The language to print in.
    pub language: Language,
    /// The psychologist's name (the profile's).
    pub profile_name: &'a str,
    /// The date the profile was created, already formatted.
    pub created: &'a str,
    /// The recovery key, formatted in groups of four.
    pub recovery_key: &'a str,
}

/// The sheet as PDF bytes: one A4 page.
pub fn recovery_sheet(sheet: &RecoverySheet<'_>) -> Result<Vec<u8>> {
    let messages = Messages::new(sheet.language);
    let title = messages.get("recovery-sheet-title");
    let mut document = PdfDocument::new(&title);
    let fonts = Fonts::add_to(&mut document)?;
    let mut column = Flow::new();

    column.line(&fonts.bold, 20.0, &title);
    column.space(4.0);
    let mut args = FluentArgs::new();
    args.set("name", sheet.profile_name);
    args.set("date", sheet.created);
    column.line(&fonts.serif, 13.0, &messages.format("recovery-sheet-profile", Some(&args)));
    column.line(&fonts.serif, 13.0, &messages.format("recovery-sheet-created", Some(&args)));
    column.space(10.0);

    // The key: four groups a line, so that no group is split and it reads aloud well.
    let groups: Vec<&str> = sheet.recovery_key.split('-').collect();
    for line in groups.chunks(4) {
        column.line(&fonts.mono, 18.0, &line.join("-"));
    }
    column.space(10.0);

    for id in ["recovery-sheet-keep", "recovery-sheet-use", "recovery-sheet-warning"] {
        column.paragraph(&fonts.serif, 12.0, 80, &messages.get(id));
        column.space(3.0);
    }

    let pages = column.into_pages(&fonts.serif);
    Ok(document.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new()))
}
