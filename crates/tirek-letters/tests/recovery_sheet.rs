//! The recovery sheet read back with poppler, as a printer and a person see it: the
//! key and every Kazakh letter extract exactly, and only the embedded fonts are used
//! (embedded whole for now: subsetting needs printpdf's `text_layout`, issue 6).

use std::process::Command;

use tirek_domain::Language;
use tirek_letters::{RecoverySheet, recovery_sheet};

const KEY: &str = "I5Q5-32N5-2TV5-6UKL-JBJ6-4FUF-XW46-F6JH-Z3R4-OENC-LY42-GWGV-23FQ";
const NAME: &str = "Әлия Ғалымқызы Құрманғазиева (ӘҒҚҢӨҰҮҺІ әғқңөұүһі)";

fn poppler(tool: &str, pdf: &std::path::Path, args: &[&str]) -> String {
    let mut command = Command::new(tool);
    command.args(args).arg(pdf);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8")
}

fn write(language: Language) -> (tempfile::TempDir, std::path::PathBuf) {
    let pdf = recovery_sheet(&RecoverySheet { language, profile_name: NAME, created: "25.11.2026", recovery_key: KEY })
        .expect("the sheet renders");
    assert!(pdf.starts_with(b"%PDF-"));
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("sheet.pdf");
    std::fs::write(&path, pdf).unwrap();
    (folder, path)
}

#[test]
fn the_sheet_reads_back_exactly_in_every_language() {
    let headings = [
        (Language::Kazakh, "Tirek — қалпына келтіру кілті", "сейфінде сақтаңыз"),
        (Language::Russian, "Tirek — ключ восстановления", "в сейфе поликлиники"),
        (Language::English, "Tirek — recovery key", "clinic safe"),
    ];
    for (language, title, keep) in headings {
        let (_folder, path) = write(language);
        let text = poppler("pdftotext", &path, &["-layout"]);
        assert!(text.contains(title), "{language}: {text}");
        assert!(text.contains(NAME), "{language}: the name with every Kazakh letter: {text}");
        assert!(text.contains(keep), "{language}: {text}");
        let is_group =
            |group: &str| group.len() == 4 && group.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c));
        let key_lines: Vec<&str> =
            text.lines().map(str::trim).filter(|line| !line.is_empty() && line.split('-').all(is_group)).collect();
        assert_eq!(key_lines.join("-"), KEY, "{language}: the key, four groups a line");
    }
}

#[test]
fn only_the_embedded_subset_fonts_are_used() {
    let (_folder, path) = write(Language::Kazakh);
    let fonts = poppler("pdffonts", &path, &[]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 3, "serif, bold and mono: {fonts}");
    for row in rows {
        // name, type, encoding, then: emb sub uni object generation.
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert!(row.contains("TrueType"), "{row}");
        assert_eq!(columns[columns.len() - 5], "yes", "not embedded: {row}");
        assert_eq!(columns[columns.len() - 4], "yes", "embedded whole, not a subset: {row}");
        assert!(columns[0].len() > 7 && columns[0].as_bytes()[6] == b'+', "a subset's name is TAG+Name: {row}");
    }
}

#[test]
fn the_sheet_renders_to_an_image() {
    let (folder, path) = write(Language::Kazakh);
    let prefix = folder.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    let png =
        std::fs::read_dir(folder.path()).unwrap().flatten().find(|e| e.path().extension().is_some_and(|x| x == "png"));
    let png = png.expect("page 1 rendered").path();
    assert!(std::fs::metadata(&png).unwrap().len() > 5_000, "a page with text, not a blank");
    if let Some(keep) = std::env::var_os("TIREK_KEEP_RENDER") {
        std::fs::copy(&png, keep).unwrap();
    }
}
