//! `tirek clinic set`, `tirek service add|list|import|export` and `tirek letter
//! create|render|list|status` as a script uses them: a referral written, issued,
//! printed in Kazakh, reprinted as a copy and followed to its outcome.

mod common;

use std::path::Path;
use std::process::Output;

use common::{PASSWORD, json};

/// `tirek --password-stdin args…`, the profile's password typed in.
fn tirek(data_dir: &Path, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("--password-stdin").chain(args.iter().copied()).collect();
    common::tirek(data_dir, &args, &format!("{PASSWORD}\n"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn pdf_text(path: &Path) -> String {
    let output = std::process::Command::new("pdftotext").arg(path).arg("-").output().unwrap();
    String::from_utf8(output.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_referral_is_written_issued_printed_and_followed_from_a_script() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();

    // The clinic: a logo that is not an image is refused with a reason.
    let not_png = dir.join("logo.png");
    std::fs::write(&not_png, "not an image").unwrap();
    let clinic = [
        "clinic",
        "set",
        "--name",
        "Сайрам аудандық емханасы",
        "--bin",
        "040140001236",
        "--letter-prefix",
        "СЕ",
        "--signatory",
        "Әбдірахманов Нұрлан|Бас дәрігер",
    ];
    let refused = tirek(dir, &[&clinic[..], &["--logo", not_png.to_str().unwrap()]].concat());
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("must be a PNG image"), "{}", stderr(&refused));
    let set = json(&tirek(dir, &[&["--json"], &clinic[..]].concat()));
    assert_eq!(set["signatories"][0]["position"], "Бас дәрігер");

    json(&tirek(dir, &["--json", "profile", "create", "--name", "Aigul"]));
    let client = json(&tirek(
        dir,
        &["--json", "client", "add", "--family-name", "Нұрланова", "--given-name", "Әлия", "--language", "kk"],
    ))["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The directory: examples, one of our own, a CSV round trip; no phone, no entry.
    let examples = json(&tirek(dir, &["--json", "service", "import", "--examples"]));
    assert_eq!(examples["added"], 7);
    let service = tirek(
        dir,
        &[
            "service",
            "add",
            "--name",
            "Сайрам уақытша күтім қызметі",
            "--kind",
            "respite_care",
            "--region",
            "turkistan",
            "--district",
            "turkistan.sairam",
            "--phone",
            "8 725 312 00 03",
            "--languages",
            "kk,ru",
        ],
    );
    assert_eq!(service.status.code(), Some(0), "{}", stderr(&service));
    let service_id = String::from_utf8(service.stdout).unwrap().trim().to_owned();
    let no_phone = tirek(dir, &["service", "add", "--name", "Орталық", "--kind", "ngo"]);
    assert_eq!(no_phone.status.code(), Some(1));
    assert!(stderr(&no_phone).contains("phone"), "{}", stderr(&no_phone));
    let in_sairam = json(&tirek(dir, &["--json", "service", "list", "--district", "turkistan.sairam"]));
    assert!(in_sairam.as_array().unwrap().iter().any(|s| s["id"] == service_id.as_str()));
    let csv = dir.join("services.csv");
    assert_eq!(tirek(dir, &["service", "export", "--out", csv.to_str().unwrap()]).status.code(), Some(0));
    assert!(std::fs::read_to_string(&csv).unwrap().contains("Сайрам уақытша күтім қызметі"));

    // No letter without consent to referral.
    let letter = [
        "letter",
        "create",
        "--client",
        &client,
        "--service",
        &service_id,
        "--reason",
        "Анасы екі жыл демалмаған.",
        "--request",
        "Аптасына екі рет күндізгі күтім",
        "--urgency",
        "soon",
    ];
    let refused = tirek(dir, &letter);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("consent"), "{}", stderr(&refused));
    assert!(json(&tirek(dir, &["--json", "letter", "list"])).as_array().unwrap().is_empty(), "no draft left behind");
    json(&tirek(dir, &["--json", "client", "consent", &client, "--scope", "referral"]));

    // Never to one of the examples: refused with the reason, no draft left behind.
    let listed = json(&tirek(dir, &["--json", "service", "list"]));
    let example = listed.as_array().unwrap().iter().find(|s| s["example"] == true).unwrap()["id"].as_str().unwrap();
    let mut to_example = letter.to_vec();
    to_example[5] = example;
    let refused = tirek(dir, &to_example);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("is an example in the services directory"), "{}", stderr(&refused));
    assert!(json(&tirek(dir, &["--json", "letter", "list"])).as_array().unwrap().is_empty(), "no draft left behind");

    let pdf = dir.join("out").join("letter.pdf");
    std::fs::create_dir_all(pdf.parent().unwrap()).unwrap();
    let issued = json(&tirek(dir, &[&["--json"], &letter[..], &["--issue", "--out", pdf.to_str().unwrap()]].concat()));
    let number = issued["number"].as_str().unwrap().to_owned();
    let series = tirek_domain::referral::series_of(&number).expect("a series of eight digits");
    assert_eq!(number, tirek_domain::referral::letter_number("СЕ", &series, 1));
    let text = pdf_text(&pdf);
    for expected in ["Жолдама", number.as_str(), "Нұрланова Әлия", "Сайрам уақытша күтім қызметі", "Бас дәрігер"]
    {
        assert!(text.contains(expected), "{expected} missing from\n{text}");
    }

    let id = issued["id"].as_str().unwrap();
    let copy = dir.join("copy.pdf");
    assert_eq!(tirek(dir, &["letter", "render", id, "--out", copy.to_str().unwrap()]).status.code(), Some(0));
    assert!(pdf_text(&copy).contains("КӨШІРМЕ"));
    let unwritable = dir.join("no-such-folder").join("letter.pdf");
    let failed = tirek(dir, &["letter", "render", id, "--out", unwritable.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(!unwritable.exists());

    let delivered = json(&tirek(dir, &["--json", "letter", "status", id, "delivered"]));
    assert_eq!(delivered["status"], "delivered");
    let backwards = tirek(dir, &["letter", "status", id, "issued"]);
    assert_eq!(backwards.status.code(), Some(1));
    assert!(stderr(&backwards).contains("cannot go from"), "{}", stderr(&backwards));
    let attended = json(&tirek(dir, &["--json", "letter", "status", id, "attended", "--note", "Қабылданды"]));
    assert_eq!(attended["outcome_note"], "Қабылданды");
    let register = json(&tirek(dir, &["--json", "letter", "list", "--status", "attended"]));
    assert_eq!(register.as_array().unwrap().len(), 1);
    let issued_on = attended["issued_on"].as_str().unwrap();
    let since = json(&tirek(dir, &["--json", "letter", "list", "--from", issued_on, "--to", issued_on]));
    assert_eq!(since.as_array().unwrap().len(), 1);
    let later = json(&tirek(dir, &["--json", "letter", "list", "--from", "2999-01-01"]));
    assert!(later.as_array().unwrap().is_empty());
}
