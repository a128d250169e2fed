//! The referral letter read back with poppler: each language's text against its
//! reviewed snapshot (`tests/snapshots/`), page 1 against its reviewed image, a long
//! reason breaking pages with the signature block whole, every Kazakh letter
//! extracted exactly, only the embedded subset fonts, a character the fonts lack
//! replaced visibly and reported, and the document's title and date.
//!
//! `TIREK_UPDATE_SNAPSHOTS=1 cargo test -p tirek-letters --test letters` rewrites the
//! snapshots and reference images after a deliberate change: look at them before
//! committing.

use std::path::{Path, PathBuf};
use std::process::Command;

use tirek_domain::Language;
use tirek_letters::{LetterDoc, Logo, LogoProblem, referral_letter};

/// Every Kazakh letter, capitals too.
const KAZAKH: &str = tirek_letters::sample::KAZAKH;

fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn updating() -> bool {
    std::env::var_os("TIREK_UPDATE_SNAPSHOTS").is_some()
}

fn poppler(tool: &str, pdf: &[u8], args: &[&str]) -> String {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut command = Command::new(tool);
    command.args(args).arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().expect("poppler runs");
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn pages(pdf: &[u8]) -> usize {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    let info = String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

fn letter(language: Language) -> LetterDoc {
    tirek_letters::sample::letter(language)
}

/// Every printed template in `language`, by name.
fn templates(language: Language) -> Vec<(&'static str, Vec<u8>)> {
    use tirek_letters::{client_summary, consent_form, handout, recovery_sheet, sample};
    let letter = referral_letter(&letter(language)).unwrap();
    assert!(letter.missing.is_empty(), "{:?}", letter.missing);
    vec![
        ("letter", letter.pdf),
        ("handout", handout(&sample::handout(language)).unwrap().pdf),
        ("summary", {
            let summary = client_summary(&sample::summary(language)).unwrap();
            assert!(summary.missing.is_empty(), "{:?}", summary.missing);
            summary.pdf
        }),
        ("consent-form", consent_form(&sample::consent_form(language)).unwrap()),
        ("recovery-sheet", recovery_sheet(&sample::recovery_sheet(language)).unwrap()),
    ]
}

#[test]
fn every_template_in_every_language_prints_its_reviewed_snapshot() {
    for (language, code) in [(Language::Kazakh, "kk"), (Language::Russian, "ru"), (Language::English, "en")] {
        for (template, pdf) in templates(language) {
            if let Some(folder) = std::env::var_os("TIREK_KEEP_PDF") {
                std::fs::write(Path::new(&folder).join(format!("{template}-{code}.pdf")), &pdf).unwrap();
            }
            let text = poppler("pdftotext", &pdf, &["-layout"]);
            let path = snapshots().join(format!("{template}-{code}.txt"));
            if updating() {
                std::fs::create_dir_all(snapshots()).unwrap();
                std::fs::write(&path, &text).unwrap();
            }
            let reviewed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(text == reviewed, "{template} ({code}) differs from {}:\n{text}", path.display());
        }
    }
}

#[test]
fn the_summary_stays_on_one_page_and_the_handout_names_no_one() {
    use tirek_letters::{client_summary, handout, sample};
    let summary = client_summary(&sample::summary(Language::Russian)).unwrap();
    assert_eq!(pages(&summary.pdf), 1);
    assert!(poppler("pdftotext", &summary.pdf, &[]).contains("… и ещё 2"), "seven next steps, five shown");
    let sheet = handout(&sample::handout(Language::Kazakh)).unwrap();
    let text = poppler("pdftotext", &sheet.pdf, &[]);
    assert!(text.contains("Уақытша күтім") && text.contains("+7 725 312 00 03"), "{text}");
    assert!(!text.contains("Құрманғазиева"));
}

#[test]
fn page_one_of_every_template_looks_like_its_reviewed_image() {
    for (template, pdf) in templates(Language::Russian) {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("document.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let prefix = folder.path().join("page");
        let status = Command::new("pdftoppm")
            .args(["-png", "-gray", "-r", "50", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&path)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let rendered = std::fs::read(prefix.with_extension("png")).unwrap();
        let reference_path = snapshots().join(format!("{template}-ru-page1.png"));
        if updating() {
            std::fs::write(&reference_path, &rendered).unwrap();
        }
        let (width, height, pixels) = grey(&rendered);
        let reference =
            std::fs::read(&reference_path).unwrap_or_else(|_| panic!("{template}: a reviewed reference image"));
        let (ref_width, ref_height, reference) = grey(&reference);
        assert_eq!((width, height), (ref_width, ref_height), "{template}");
        // Anti-aliasing may differ between poppler versions: count clearly different pixels.
        let different = pixels.iter().zip(&reference).filter(|(a, b)| a.abs_diff(**b) > 64).count();
        let share = different as f64 / pixels.len() as f64;
        assert!(share < 0.01, "{template}: {:.2} % of page 1 differs from the reviewed image", share * 100.0);
    }
}

/// A greyscale PNG's size and pixels.
fn grey(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    buffer.truncate(frame.buffer_size());
    (frame.width, frame.height, buffer)
}

#[test]
fn a_very_long_reason_breaks_pages_and_keeps_the_signature_block_whole() {
    let mut doc = letter(Language::Russian);
    doc.reason = (1..=60)
        .map(|n| format!("Абзац {n}: мать одна воспитывает сына, не спит ночами и не может оставить его ни на час."))
        .collect::<Vec<_>>()
        .join("\n");
    let printed = referral_letter(&doc).unwrap();
    let count = pages(&printed.pdf);
    assert!(count >= 3, "{count} pages");
    let text = poppler("pdftotext", &printed.pdf, &[]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for n in 1..=60 {
        assert!(flat.contains(&format!("Абзац {n}:")), "paragraph {n} lost");
    }
    // The signature block is on one page: the psychologist, the head and the stamp.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let with_block: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.contains("Психолог") || page.contains("Бас дәрігер") || page.contains("М. П."))
        .map(|(index, _)| index)
        .collect();
    assert_eq!(with_block.len(), 1, "the signature block is split over pages {with_block:?}");
    assert!(pages[with_block[0]].contains("М. П.") && pages[with_block[0]].contains("Әбдірахманов Нұрлан"));
    let compact = text.replace(' ', "");
    assert!(compact.contains(&format!("1/{count}")) && compact.contains(&format!("{count}/{count}")), "page numbers");
}

#[test]
fn kazakh_letters_extract_exactly_and_only_the_embedded_subset_fonts_are_used() {
    let printed = referral_letter(&letter(Language::Kazakh)).unwrap();
    let text = poppler("pdftotext", &printed.pdf, &[]);
    assert!(text.contains(&format!("Құрманғазиева {KAZAKH}")), "{text}");
    let fonts = poppler("pdffonts", &printed.pdf, &[]);
    for row in fonts.lines().skip(2) {
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert!(columns[0].contains("+Liberation"), "a subset of the bundled font: {row}");
        assert_eq!(&columns[columns.len() - 5..columns.len() - 2], ["yes", "yes", "yes"], "emb sub uni: {row}");
    }
    assert!(printed.pdf.len() < 100 * 1024, "{} bytes", printed.pdf.len());
}

#[test]
fn a_character_the_fonts_lack_is_replaced_visibly_and_reported() {
    let mut doc = letter(Language::Russian);
    doc.reason = "Мать пишет: 你好 и 🙂".into();
    let printed = referral_letter(&doc).unwrap();
    assert_eq!(printed.missing, ['你', '好', '🙂']);
    let text = poppler("pdftotext", &printed.pdf, &[]);
    assert!(text.contains("Мать пишет: ?? и ?"), "{text}");
}

#[test]
fn the_title_and_creation_date_are_set_and_drafts_and_copies_say_so() {
    let printed = referral_letter(&letter(Language::English)).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("letter.pdf");
    std::fs::write(&path, &printed.pdf).unwrap();
    let info = String::from_utf8(Command::new("pdfinfo").arg("-isodates").arg(&path).output().unwrap().stdout).unwrap();
    assert!(info.lines().any(|l| l.starts_with("Title:") && l.ends_with("Referral letter")), "{info}");
    assert!(info.lines().any(|l| l.starts_with("CreationDate:") && l.contains("2026-12-01")), "{info}");

    let mut copy = letter(Language::English);
    copy.copy = true;
    assert!(poppler("pdftotext", &referral_letter(&copy).unwrap().pdf, &[]).contains("COPY"));
    let mut draft = letter(Language::English);
    draft.number = None;
    draft.qr = None;
    let text = poppler("pdftotext", &referral_letter(&draft).unwrap().pdf, &[]);
    assert!(text.contains("DRAFT — not issued") && text.contains("(not yet issued)"), "{text}");
}

#[test]
fn a_logo_must_be_a_png_of_a_sensible_size_and_prints_at_the_head() {
    assert_eq!(Logo::from_png(b"%PDF-1.7 not an image"), Err(LogoProblem::NotAnImage));
    let png = |width: u32, height: u32| {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgba);
        let mut writer = encoder.write_header().unwrap();
        let pixels: Vec<u8> = (0..width * height).flat_map(|i| [20, 80, (i % 255) as u8, 255]).collect();
        writer.write_image_data(&pixels).unwrap();
        drop(writer);
        bytes
    };
    assert_eq!(Logo::from_png(&png(4000, 10)), Err(LogoProblem::TooLarge { width: 4000, height: 10 }));
    let logo = Logo::from_png(&png(120, 60)).unwrap();
    let mut doc = letter(Language::Kazakh);
    doc.logo = Some(logo);
    let printed = referral_letter(&doc).unwrap();
    let images = poppler("pdfimages", &printed.pdf, &["-list"]);
    assert!(images.lines().any(|l| l.contains(" 120 ") && l.contains(" 60 ")), "{images}");
}
