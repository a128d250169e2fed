//! `tirek client|consult|demo` as a script uses them: JSON out, the password on
//! stdin, field-by-field errors, and the same rules as the window.

mod common;

use std::path::Path;
use std::process::Output;

use common::{PASSWORD, json};

/// `tirek --password-stdin args…`, the profile's password typed in.
fn tirek(data_dir: &Path, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("--password-stdin").chain(args.iter().copied()).collect();
    common::tirek(data_dir, &args, &format!("{PASSWORD}\n"))
}

#[test]
fn a_caseload_is_built_searched_exported_and_erased_from_a_script() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    json(&tirek(dir, &["--json", "profile", "create", "--name", "Aigul"]));

    let added = json(&tirek(
        dir,
        &[
            "--json",
            "client",
            "add",
            "--family-name",
            "Нұрланова",
            "--given-name",
            "Әлия",
            "--phone",
            "+7 (701) 234-56-78",
            "--region",
            "turkistan",
            "--district",
            "turkistan.sairam",
            "--language",
            "kk",
        ],
    ));
    let id = added["id"].as_str().unwrap().to_owned();
    let consult = json(&tirek(
        dir,
        &["--json", "consult", "add", "--client", &id, "--duration", "45", "--notes", "Шаршаған", "--sign"],
    ));
    assert!(consult["id"].is_string());
    let seeded = json(&tirek(dir, &["--json", "demo", "seed", "--clients", "40", "--seed", "7"]));
    assert_eq!(seeded["clients"], 40);
    assert!(seeded["consultations"].as_u64().unwrap() > 100, "{seeded}");
    assert!(seeded["assessments"].as_u64().unwrap() > 0, "most families have a PHQ-9 history: {seeded}");

    let found = json(&tirek(dir, &["--json", "client", "search", "ӘЛИЯ НҰР"]));
    let found: Vec<&str> = found["rows"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(found.contains(&id.as_str()));
    let by_phone = json(&tirek(dir, &["--json", "client", "search", "8 701 234 56 78"]));
    assert_eq!(by_phone["rows"][0]["id"], id.as_str());

    let shown = json(&tirek(dir, &["--json", "client", "show", &id]));
    assert_eq!(shown["client"]["phone"], "+77012345678");
    assert_eq!(shown["consultations"][0]["duration_minutes"], 45);
    assert!(shown["consultations"][0]["signed_at"].is_number());

    let listed = json(&tirek(dir, &["--json", "client", "list", "--limit", "5"]));
    assert_eq!(listed["total"], 41 - listed_archived(dir));
    assert_eq!(listed["rows"].as_array().unwrap().len(), 5);

    let export_path = dir.join("export.json");
    let exported = tirek(dir, &["client", "export", &id, "--out", export_path.to_str().unwrap()]);
    assert_eq!(exported.status.code(), Some(0));
    let export: serde_json::Value = serde_json::from_slice(&std::fs::read(&export_path).unwrap()).unwrap();
    assert_eq!(export["client"]["family_name"], "Нұрланова");
    assert_eq!(export["consultations"][0]["form"]["notes"], "Шаршаған");

    let erased = json(&tirek(dir, &["--json", "client", "erase", &id, "--yes"]));
    assert_eq!(erased["erased"], 3, "client, consultation, attendance");
    let gone = tirek(dir, &["client", "show", &id]);
    assert_eq!(gone.status.code(), Some(1));
}

fn listed_archived(dir: &Path) -> u64 {
    json(&tirek(dir, &["--json", "client", "list", "--archived"]))["total"].as_u64().unwrap()
}

#[test]
fn a_bad_client_names_each_field_and_a_draft_with_a_bad_date_fails() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    json(&tirek(dir, &["--json", "profile", "create", "--name", "Aigul"]));
    let refused = tirek(
        dir,
        &["client", "add", "--family-name", "Ким", "--given-name", "", "--iin", "870512400059", "--phone", "123"],
    );
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    for field in ["given_name: ", "iin: ", "phone: "] {
        assert!(stderr.contains(field), "{stderr}");
    }
    assert!(stderr.contains("last digit does not match"), "{stderr}");
    let list = json(&tirek(dir, &["--json", "client", "list"]));
    assert_eq!(list["total"], 0);

    let id = json(&tirek(dir, &["--json", "client", "add", "--family-name", "Ким", "--given-name", "Анна"]))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bad_date = tirek(dir, &["consult", "add", "--client", &id, "--date", "31.02.2026"]);
    assert_eq!(bad_date.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("held_on"));
    let unsigned = tirek(dir, &["consult", "add", "--client", &id, "--sign"]);
    assert_eq!(unsigned.status.code(), Some(1), "no duration, no notes: cannot be signed");
}
