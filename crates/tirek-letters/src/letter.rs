//! The referral letter (`reference/kazakhstan.md`, "A referral letter holds"): the
//! letterhead, the outgoing number and date, the recipient, the client and child,
//! the reason, findings, questionnaire results with their chart, open risk flags, the
//! service asked for and its urgency, the note that the client consented, and the
//! signature block — psychologist, head of the organisation, stamp area and a QR
//! code of the letter's id — kept whole on one page.

use printpdf::{Mm, Op, PdfDocument, PdfSaveOptions, Pt, Rect, XObjectId, XObjectTransform};
use tirek_domain::Language;
use tirek_i18n::{FluentArgs, Messages};

use crate::chart::{Results, draw_chart, draw_table};
use crate::consent_form::ClinicBlock;
use crate::layout::{Flow, Fonts, MARGIN, PAGE_WIDTH};
use crate::logo::Logo;
use crate::{LettersError, Printed, Result};

/// What a referral letter says. Every text is already in the letter's language.
#[derive(Debug, Clone)]
pub struct LetterDoc {
    /// The letter's language.
    pub language: Language,
    /// The sending organisation.
    pub clinic: ClinicBlock,
    /// Its logo, if it has one.
    pub logo: Option<Logo>,
    /// The outgoing number; `None` for a draft (printed "DRAFT", no number).
    pub number: Option<String>,
    /// The letter's date, formatted.
    pub date: String,
    /// A reprint of an issued letter: "COPY" on every page.
    pub copy: bool,
    /// The recipient organisation or specialist.
    pub recipient: String,
    /// Its address lines.
    pub recipient_address: Option<String>,
    /// The client's full name.
    pub client_name: String,
    /// The client's facts as (label, value), worded in the letter's language: date
    /// of birth, IIN, address, phone.
    pub client_facts: Vec<(String, String)>,
    /// Each child, as one line (name, date of birth, IIN, disability, diagnosis).
    pub children: Vec<String>,
    /// Why the family is referred.
    pub reason: String,
    /// What the psychologist found.
    pub findings: Option<String>,
    /// Questionnaire results with their charts.
    pub results: Vec<Results>,
    /// Open risk flags, one line each.
    pub risk_flags: Vec<String>,
    /// The service asked for.
    pub service_requested: String,
    /// A `choice-urgency-*` code.
    pub urgency: String,
    /// The psychologist who writes.
    pub psychologist: String,
    /// The head (or other signatory) and their position.
    pub signatory_name: String,
    /// Position.
    pub signatory_position: String,
    /// What the QR code holds (the letter's id and a checksum); none for a draft.
    pub qr: Option<String>,
}

const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

/// The letter's layout, read from `templates/referral-letter.toml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Template {
    body_size: f32,
    title_size: f32,
    chart_width: f32,
    blocks: Vec<Block>,
}

/// One block of the letter, in the template's order.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Block {
    Letterhead,
    NumberAndRecipient,
    Title { message: String },
    Client { heading: String },
    Children { heading: String },
    Reason { heading: String },
    Findings { heading: String },
    Results { heading: String },
    RiskFlags { heading: String },
    Service { heading: String },
    Note { message: String },
    Signatures,
}

impl Block {
    /// The Fluent messages the block names (checked by the tests).
    #[cfg(test)]
    fn messages(&self) -> Vec<&str> {
        match self {
            Block::Title { message } | Block::Note { message } => vec![message],
            Block::Client { heading }
            | Block::Children { heading }
            | Block::Reason { heading }
            | Block::Findings { heading }
            | Block::Results { heading }
            | Block::RiskFlags { heading }
            | Block::Service { heading } => vec![heading],
            Block::Letterhead | Block::NumberAndRecipient | Block::Signatures => vec![],
        }
    }
}

static TEMPLATE: std::sync::LazyLock<std::result::Result<Template, toml::de::Error>> =
    std::sync::LazyLock::new(|| toml::from_str(include_str!("../../../templates/referral-letter.toml")));

fn template() -> Result<&'static Template> {
    TEMPLATE.as_ref().map_err(|_| LettersError::Template("referral-letter.toml"))
}

/// The letter as PDF bytes, with the characters the fonts could not print.
pub fn referral_letter(doc: &LetterDoc) -> Result<Printed> {
    let template = template()?;
    let size = template.body_size;
    let messages = Messages::new(doc.language);
    let title = template
        .blocks
        .iter()
        .find_map(|block| match block {
            Block::Title { message } => Some(messages.get(message)),
            _ => None,
        })
        .unwrap_or_else(|| messages.get("letter-title"));
    let mut document = PdfDocument::new(&title);
    let fonts = Fonts::add_to(&mut document)?;
    let logo = doc.logo.as_ref().map(|logo| (document.add_image(&logo.image()), logo.aspect()));
    let mut flow = Flow::new();

    for block in &template.blocks {
        match block {
            Block::Letterhead => letterhead(&mut flow, &fonts, &messages, doc, logo.as_ref()),
            Block::NumberAndRecipient => number_and_recipient(&mut flow, &fonts, &messages, doc, size),
            Block::Title { message } => {
                let title = messages.get(message);
                let title_width = fonts.metrics.width(true, template.title_size, &title);
                let (_, title_top) = flow.block(7.0);
                flow.text_at(
                    &fonts.bold,
                    template.title_size,
                    (PAGE_WIDTH - title_width) / 2.0,
                    title_top - 5.5,
                    &title,
                );
                if doc.urgency != "routine" {
                    let urgency = messages.get(&format!("letter-urgency-{}", doc.urgency));
                    let width = fonts.metrics.width(true, size, &urgency);
                    let (_, top) = flow.block(6.0);
                    flow.text_at(&fonts.bold, size, (PAGE_WIDTH - width) / 2.0, top - 5.0, &urgency);
                }
                flow.space(4.0);
            }
            Block::Client { heading } => {
                let mut facts = vec![doc.client_name.clone()];
                facts.extend(doc.client_facts.iter().map(|(label, value)| format!("{label} {value}")));
                section(&mut flow, &fonts, size, &messages.get(heading), &facts.join(", "));
            }
            Block::Children { heading } => {
                for child in &doc.children {
                    section(&mut flow, &fonts, size, &messages.get(heading), child);
                }
            }
            Block::Reason { heading } => section(&mut flow, &fonts, size, &messages.get(heading), &doc.reason),
            Block::Findings { heading } => {
                if let Some(findings) = &doc.findings {
                    section(&mut flow, &fonts, size, &messages.get(heading), findings);
                }
            }
            Block::Results { heading } => {
                if !doc.results.is_empty() {
                    flow.space(2.0);
                    flow.keep(70.0);
                    flow.line(&fonts.bold, size, &messages.get(heading));
                    let headings =
                        ["results-date", "results-total", "results-band", "results-change"].map(|id| messages.get(id));
                    for results in &doc.results {
                        flow.keep(60.0);
                        flow.space(1.0);
                        flow.line(&fonts.bold, size - 1.0, &results.name);
                        draw_chart(&mut flow, &fonts, results, doc.language, template.chart_width);
                        draw_table(&mut flow, &fonts, results, headings.each_ref().map(String::as_str));
                    }
                }
            }
            Block::RiskFlags { heading } => {
                if !doc.risk_flags.is_empty() {
                    section(&mut flow, &fonts, size, &messages.get(heading), &doc.risk_flags.join("\n"));
                }
            }
            Block::Service { heading } => {
                let mut args = FluentArgs::new();
                args.set("urgency", messages.get(&format!("choice-urgency-{}", doc.urgency)));
                let text = format!("{} ({})", doc.service_requested, messages.format("letter-urgency", Some(&args)));
                section(&mut flow, &fonts, size, &messages.get(heading), &text);
            }
            Block::Note { message } => {
                flow.space(2.0);
                flow.measured(&fonts.serif, false, size, 0.0, TEXT_WIDTH, &messages.get(message));
            }
            Block::Signatures => signature_block(&mut flow, &fonts, &messages, doc, size),
        }
    }

    let mark = if doc.copy {
        Some(messages.get("letter-copy"))
    } else if doc.number.is_none() {
        Some(messages.get("letter-draft"))
    } else {
        None
    };
    let missing = flow.missing();
    let pages = flow.into_marked_pages(&fonts.serif, mark.as_deref());
    let document = document.with_pages(pages);
    let mut info = document.metadata.info.clone();
    info.document_title = title;
    info.creation_date = pdf_date(&doc.date);
    info.modification_date = info.creation_date;
    info.metadata_date = info.creation_date;
    document.metadata.info = info;
    Ok(Printed { pdf: document.save(&PdfSaveOptions::default(), &mut Vec::new()), missing })
}

/// The logo's natural width at 300 dpi, in millimetres.
fn logo_width_mm(doc: &LetterDoc) -> f32 {
    doc.logo.as_ref().map_or(1.0, |logo| logo.width() as f32 / 300.0 * 25.4)
}

/// The letterhead: the logo on the left, the organisation beside it, a rule below.
fn letterhead(flow: &mut Flow, fonts: &Fonts, messages: &Messages, doc: &LetterDoc, logo: Option<&(XObjectId, f32)>) {
    let head_height = 22.0;
    let (ops, top) = flow.block(head_height);
    let mut text_left = MARGIN;
    if let Some((image, aspect)) = logo {
        let width = (18.0 * aspect).min(40.0);
        let height = width / aspect;
        ops.push(Op::UseXobject {
            id: image.clone(),
            transform: XObjectTransform {
                translate_x: Some(Mm(MARGIN).into()),
                translate_y: Some(Mm(top - height).into()),
                dpi: Some(300.0),
                // At 300 dpi the image is `pixels / 300` inches wide: scaled to `width`.
                scale_x: Some(width / logo_width_mm(doc)),
                scale_y: Some(height / (logo_width_mm(doc) / aspect)),
                ..XObjectTransform::default()
            },
        });
        text_left += width + 5.0;
    }
    let mut details = Vec::new();
    if let Some(bin) = &doc.clinic.bin {
        details.push(format!("{} {bin}", messages.get("doc-bin")));
    }
    details.extend(doc.clinic.phone.clone());
    let mut line_y = top - 5.0;
    flow.text_at(&fonts.bold, 13.0, text_left, line_y, &doc.clinic.name);
    for line in doc.clinic.address.iter().chain(Some(&details.join(" · ")).filter(|d| !d.is_empty())) {
        line_y -= 5.0;
        flow.text_at(&fonts.serif, 10.0, text_left, line_y, line);
    }
    rule(flow.page(), top - head_height + 1.0);
}

/// The outgoing number and date on the left, the recipient on the right, side by side.
fn number_and_recipient(flow: &mut Flow, fonts: &Fonts, messages: &Messages, doc: &LetterDoc, size: f32) {
    let recipient_left = 105.0;
    let recipient_width = PAGE_WIDTH - MARGIN - recipient_left;
    let address = doc.recipient_address.as_deref().unwrap_or("");
    flow.space(4.0);
    let start = flow.y();
    let number = match &doc.number {
        Some(number) => number.clone(),
        None => messages.get("letter-draft-number"),
    };
    let mut args = FluentArgs::new();
    args.set("number", number);
    args.set("date", doc.date.clone());
    flow.line(&fonts.serif, size, &messages.format("letter-number", Some(&args)));
    flow.line(&fonts.serif, size, &messages.format("letter-date", Some(&args)));
    let left_end = flow.y();
    let mut y = start;
    for (bold, text) in [(true, doc.recipient.as_str()), (false, address)] {
        for line in text.lines() {
            for piece in crate::layout::wrap_by(line, |c| fonts.metrics.width(bold, size, c) <= recipient_width) {
                y -= size * 0.3528 * 1.35;
                flow.text_at(if bold { &fonts.bold } else { &fonts.serif }, size, recipient_left, y, &piece);
            }
        }
    }
    flow.space((left_end - y).max(0.0));
    flow.space(8.0);
}

/// A heading in bold and its text, broken by width; the heading never ends a page.
fn section(flow: &mut Flow, fonts: &Fonts, size: f32, heading: &str, text: &str) {
    flow.space(2.0);
    flow.keep(Flow::height_of(2, size));
    flow.line(&fonts.bold, size, heading);
    flow.measured(&fonts.serif, false, size, 0.0, TEXT_WIDTH, text);
}

/// A thin line across the text column at height `y`.
fn rule(ops: &mut Vec<Op>, y: f32) {
    ops.push(Op::DrawRectangle {
        rectangle: Rect {
            x: Mm(MARGIN).into(),
            y: Mm(y).into(),
            width: Mm(TEXT_WIDTH).into(),
            height: Pt(0.6),
            mode: Some(printpdf::PaintMode::Fill),
            winding_order: None,
        },
    });
}

/// The signatures — the psychologist, the head with the stamp area — and the QR
/// code, kept together on one page.
fn signature_block(flow: &mut Flow, fonts: &Fonts, messages: &Messages, doc: &LetterDoc, size: f32) {
    let height = 58.0;
    flow.space(8.0);
    let (_, top) = flow.block(height);
    let line = "______________________";
    let left = MARGIN;
    let signature_x = 110.0;
    let mut y = top - 5.0;
    flow.text_at(&fonts.serif, size, left, y, &messages.get("letter-psychologist"));
    y -= 5.5;
    flow.text_at(&fonts.bold, size, left, y, &doc.psychologist);
    flow.text_at(&fonts.serif, size, signature_x, y, line);
    y -= 4.5;
    flow.text_at(&fonts.serif, 8.0, signature_x + 12.0, y, &messages.get("doc-signature"));
    y -= 8.0;
    flow.text_at(&fonts.serif, size, left, y, &doc.signatory_position);
    y -= 5.5;
    flow.text_at(&fonts.bold, size, left, y, &doc.signatory_name);
    flow.text_at(&fonts.serif, size, signature_x, y, line);
    y -= 4.5;
    flow.text_at(&fonts.serif, 8.0, signature_x + 12.0, y, &messages.get("doc-signature"));
    y -= 9.0;
    flow.text_at(&fonts.serif, 10.0, left, y, &messages.get("letter-stamp"));

    if let Some(payload) = &doc.qr {
        let size = 24.0;
        let x = PAGE_WIDTH - MARGIN - size;
        let qr_top = top - height + size + 4.0;
        crate::qr::draw(flow.page(), payload, x, qr_top, size);
        let caption = messages.get("letter-qr");
        let width = fonts.metrics.width(false, 7.0, &caption);
        flow.text_at(&fonts.serif, 7.0, x + size - width, qr_top - size - 3.0, &caption);
    }
}

/// A `DD.MM.YYYY` date as the PDF's creation date (midnight, Kazakhstan time).
fn pdf_date(dotted: &str) -> printpdf::OffsetDateTime {
    let parts: Vec<u32> = dotted.split('.').filter_map(|p| p.parse().ok()).collect();
    let (day, month, year) = match parts.as_slice() {
        [day, month, year] => (*day as u8, *month as u8, *year as i32),
        _ => (1, 1, 1970),
    };
    printpdf::OffsetDateTime::new_in_offset(
        printpdf::Date { year, month, day },
        printpdf::Time { hour: 0, minute: 0, second: 0, millisecond: 0 },
        printpdf::Offset { hours: 5, minutes: 0, seconds: 0, milliseconds: 0 },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_and_every_message_it_names_exists_in_every_language() {
        let template = template().unwrap_or_else(|_| panic!("{:?}", TEMPLATE.as_ref().err()));
        assert!(matches!(template.blocks.first(), Some(Block::Letterhead)));
        assert!(template.blocks.iter().any(|b| matches!(b, Block::Signatures)), "a letter must be signed");
        for language in Language::ALL {
            let messages = Messages::new(language);
            for id in template.blocks.iter().flat_map(Block::messages) {
                assert!(messages.has(id), "{id} has no {language:?} message");
            }
        }
    }

    #[test]
    fn an_unknown_block_is_refused() {
        let broken = "body_size = 12.0\ntitle_size = 14.0\nchart_width = 130.0\n[[blocks]]\nkind = \"poem\"\n";
        assert!(toml::from_str::<Template>(broken).is_err());
    }
}
