//! `tirek instrument list|check|score` and `tirek assess add|history`: the same
//! scores as the window, JSON for scripts, and a bad file named with its line.

mod common;

use std::path::Path;
use std::process::Output;

use common::{PASSWORD, json};

/// `tirek args…`, the profile's password typed in for whoever asks for it.
fn tirek(data_dir: &Path, args: &[&str]) -> Output {
    common::tirek(data_dir, args, &format!("{PASSWORD}\n"))
}

#[test]
fn scores_are_the_published_ones_and_bad_answers_are_refused() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let list = json(&tirek(dir, &["--json", "instrument", "list"]));
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    for id in ["phq9", "gad7", "who5", "pss10", "cbi-personal", "stress-sources", "pba"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let score = json(&tirek(dir, &["--json", "instrument", "score", "phq9", "--answers", "3,3,3,3,2,2,2,2,1"]));
    assert_eq!(score["total"], 21.0);
    assert_eq!(score["band"], "severe");
    assert_eq!(score["flags"], serde_json::json!(["phq9-item9", "phq9-severe"]));
    let who5 = json(&tirek(dir, &["--json", "instrument", "score", "who5", "--answers", "3,3,3,3,3"]));
    assert_eq!(who5["total"], 60.0);
    let missing = json(&tirek(dir, &["--json", "instrument", "score", "phq9", "--answers", "1,,1,1,,1,1,1,0"]));
    assert!(missing["total"].is_null());
    assert!(missing["no_total_reason"].as_str().unwrap().contains("2 items are unanswered"));

    for (answers, expected) in [
        ("1,2,3", "This questionnaire has 9 items; 3 answers were given."),
        ("1,1,1,1,1,1,1,1,7", "Item 9: 7 is not one of the answers offered."),
        ("1,1,x,1,1,1,1,1,1", "Answer 3 (“x”) is not a number"),
    ] {
        let refused = tirek(dir, &["instrument", "score", "phq9", "--answers", answers]);
        assert_eq!(refused.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains(expected),
            "{}",
            String::from_utf8_lossy(&refused.stderr)
        );
    }
    let unknown = tirek(dir, &["instrument", "score", "beck", "--answers", "1"]);
    assert_eq!(unknown.status.code(), Some(1));
}

#[test]
fn a_bad_instrument_file_is_named_with_its_line() {
    let folder = tempfile::tempdir().unwrap();
    let phq9 =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../instruments/phq9.toml")).unwrap();
    let good = folder.path().join("phq9.toml");
    std::fs::write(&good, &phq9).unwrap();
    assert_eq!(json(&tirek(folder.path(), &["--json", "instrument", "check", good.to_str().unwrap()]))["items"], 9);
    // Item 2 renamed to 1: a duplicate id.
    let bad = folder.path().join("phq9-bad.toml");
    std::fs::write(&bad, phq9.replacen("id = \"2\"", "id = \"1\"", 1).replace("id = \"phq9\"", "id = \"phq9-bad\""))
        .unwrap();
    let refused = tirek(folder.path(), &["instrument", "check", bad.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("phq9-bad.toml:") && stderr.contains("item id `1` is used twice"), "{stderr}");
}

#[test]
fn a_clients_questionnaires_are_saved_and_their_history_shows_reliable_change() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    json(&tirek(dir, &["--json", "--password-stdin", "profile", "create", "--name", "Aigul"]));
    let client = json(&tirek(
        dir,
        &["--json", "--password-stdin", "client", "add", "--family-name", "Ким", "--given-name", "Анна"],
    ))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let add = |date: &str, answers: &str| {
        json(&tirek(
            dir,
            &[
                "--json",
                "--password-stdin",
                "assess",
                "add",
                "--client",
                &client,
                "--instrument",
                "phq9",
                "--answers",
                answers,
                "--date",
                date,
            ],
        ))
    };
    let first = add("2026-09-01", "3,3,2,2,2,2,2,1,0");
    assert_eq!(first["total"], 17.0);
    let second = add("2026-11-01", "1,1,1,1,1,1,1,0,0");
    assert_eq!(second["change"], "reliable_improvement");
    let history = json(&tirek(dir, &["--json", "--password-stdin", "assess", "history", "--client", &client]));
    assert_eq!(history.as_array().unwrap().len(), 2);
}

#[test]
fn a_licensed_instrument_text_is_imported_and_a_free_ones_wording_cannot_be_replaced() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../instruments");
    // Before: the PBA scores, but cannot be filled in.
    let pba = std::fs::read_to_string(root.join("pba.toml")).unwrap();
    // The clinic's licensed copy: the same file with every item's text.
    let mut licensed = pba.replace("licensed_text = true", "licensed_text = false");
    for n in (1..=23).rev() {
        let id_line = format!("id = \"{n}\"\n");
        let with_text = format!(
            "id = \"{n}\"\nen = \"Licensed item {n}\"\nru = \"Лицензионный пункт {n}\"\nkk = \"Лицензиялық тармақ {n}\"\n"
        );
        licensed = licensed.replacen(&id_line, &with_text, 1);
    }
    let file = dir.join("PBA licensed.toml");
    std::fs::write(&file, &licensed).unwrap();
    let imported = json(&tirek(dir, &["--json", "instrument", "import", file.to_str().unwrap()]));
    assert_eq!((imported["id"].as_str(), imported["needs_licensed_text"].as_bool()), (Some("pba"), Some(false)));
    let list = json(&tirek(dir, &["--json", "instrument", "list"]));
    let pba = list.as_array().unwrap().iter().find(|i| i["id"] == "pba").unwrap();
    assert_eq!(pba["needs_licensed_text"], false);

    let phq9 = dir.join("phq9.toml");
    std::fs::write(
        &phq9,
        std::fs::read_to_string(root.join("phq9.toml")).unwrap().replace("Little interest", "Lots of interest"),
    )
    .unwrap();
    let refused = tirek(dir, &["instrument", "import", phq9.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot be replaced"));
}
