//! `tirek profile …` and `tirek db check` as an administrator's script uses them:
//! secrets on stdin, JSON out, translated one-line errors, exit codes 0/1/2.

mod common;

use std::process::{Command, Output};

use common::{PASSWORD, json, tirek};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_profile_is_created_listed_checked_recovered_and_deleted_from_a_script() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();

    let created = json(&tirek(dir, &["--json", "--password-stdin", "profile", "create", "--name", "Әлия"], PASSWORD));
    let id = created["id"].as_str().unwrap().to_owned();
    let recovery_key = created["recovery_key"].as_str().unwrap().to_owned();
    assert_eq!(created["name"], "Әлия");
    assert_eq!(recovery_key.len(), 64, "{recovery_key}");

    let list = json(&tirek(dir, &["--json", "profile", "list"], ""));
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["name"], "Әлия");

    let check = tirek(dir, &["--password-stdin", "db", "check"], &format!("{PASSWORD}\n"));
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(String::from_utf8_lossy(&check.stdout).contains("integrity checks found no damage"));

    let wrong = tirek(dir, &["--password-stdin", "db", "check", "--profile", "Әлия"], "not the password at all\n");
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(stderr(&wrong), "error: Wrong password. Check the keyboard language and Caps Lock, then try again.\n");

    let passwd = tirek(dir, &["--password-stdin", "profile", "passwd"], &format!("{PASSWORD}\nа new long password\n"));
    assert_eq!(passwd.status.code(), Some(0), "{}", stderr(&passwd));
    let old_fails = tirek(dir, &["--password-stdin", "db", "check"], PASSWORD);
    assert_eq!(old_fails.status.code(), Some(1));

    let recover = tirek(
        dir,
        &["--password-stdin", "profile", "recover", "--profile", &id],
        &format!("{recovery_key}\n{PASSWORD}\n"),
    );
    assert_eq!(recover.status.code(), Some(0), "{}", stderr(&recover));
    assert_eq!(tirek(dir, &["--password-stdin", "db", "check"], PASSWORD).status.code(), Some(0));

    let audit = json(&tirek(dir, &["--json", "--password-stdin", "audit", "verify"], PASSWORD));
    assert_eq!(
        audit,
        serde_json::json!({
            "intact": true, "broken_at": null, "problem": null, "witness": "not_enrolled", "witnessed_up_to": null
        })
    );

    let unconfirmed = tirek(dir, &["--password-stdin", "profile", "delete"], PASSWORD);
    assert_eq!(unconfirmed.status.code(), Some(2), "deleting needs --yes");
    let deleted = tirek(dir, &["--password-stdin", "profile", "delete", "--yes"], PASSWORD);
    assert_eq!(deleted.status.code(), Some(0), "{}", stderr(&deleted));
    assert_eq!(json(&tirek(dir, &["--json", "profile", "list"], "")), serde_json::json!([]));
}

#[test]
fn bad_secrets_are_refused_with_a_translated_line_and_nothing_is_created() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let weak = tirek(dir, &["--password-stdin", "profile", "create", "--name", "Aigul"], "short\n");
    assert_eq!(weak.status.code(), Some(1));
    assert!(stderr(&weak).starts_with("error: The password needs at least 10 characters."), "{}", stderr(&weak));

    let missing = tirek(dir, &["--password-stdin", "profile", "create", "--name", "Aigul"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("Expected one more line on standard input"), "{}", stderr(&missing));
    assert_eq!(json(&tirek(dir, &["--json", "profile", "list"], "")), serde_json::json!([]));

    tirek(dir, &["--password-stdin", "profile", "create", "--name", "Aigul"], PASSWORD);
    let malformed = tirek(dir, &["--password-stdin", "profile", "recover"], &format!("ABCD-EFGH\n{PASSWORD}\n"));
    assert_eq!(malformed.status.code(), Some(1));
    assert!(stderr(&malformed).contains("52 letters and digits"), "{}", stderr(&malformed));
}

#[test]
fn with_several_profiles_a_command_asks_which_one() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    for name in ["Aigul", "Bota"] {
        tirek(dir, &["--password-stdin", "profile", "create", "--name", name], PASSWORD);
    }
    let ambiguous = tirek(dir, &["--password-stdin", "db", "check"], PASSWORD);
    assert_eq!(ambiguous.status.code(), Some(1));
    assert!(stderr(&ambiguous).contains("Several profiles exist"), "{}", stderr(&ambiguous));
    assert_eq!(tirek(dir, &["--password-stdin", "db", "check", "--profile", "Bota"], PASSWORD).status.code(), Some(0));
}

#[test]
fn a_backup_is_written_verified_and_restored_on_another_computer() {
    let clinic = tempfile::tempdir().unwrap();
    let created =
        json(&tirek(clinic.path(), &["--json", "--password-stdin", "profile", "create", "--name", "Әлия"], PASSWORD));
    let recovery_key = created["recovery_key"].as_str().unwrap();
    let file = clinic.path().join("nightly.tkb");
    let file = file.to_str().unwrap();

    let written =
        json(&tirek(clinic.path(), &["--json", "--password-stdin", "backup", "create", "--out", file], PASSWORD));
    assert_eq!(written["profile_name"], "Әлия");
    let verified = tirek(clinic.path(), &["--password-stdin", "backup", "verify", file], PASSWORD);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert_eq!(String::from_utf8_lossy(&verified.stdout), "The backup of Әлия opens and passes the integrity checks\n");

    let new_computer = tempfile::tempdir().unwrap();
    let restored =
        tirek(new_computer.path(), &["--password-stdin", "backup", "restore", "--recovery-key", file], recovery_key);
    assert_eq!(restored.status.code(), Some(0), "{}", stderr(&restored));
    let list = json(&tirek(new_computer.path(), &["--json", "profile", "list"], ""));
    assert_eq!(list[0]["id"], created["id"]);

    let not_a_backup = tirek(clinic.path(), &["--password-stdin", "backup", "verify", "/etc/hostname"], PASSWORD);
    assert_eq!(not_a_backup.status.code(), Some(1));
    assert_eq!(stderr(&not_a_backup), "error: /etc/hostname is not a Tirek backup, or it is damaged.\n");
}

#[test]
fn the_recovery_sheet_is_written_as_a_pdf_with_the_key() {
    let folder = tempfile::tempdir().unwrap();
    let sheet = folder.path().join("recovery-sheet.pdf");
    let created = json(&tirek(
        folder.path(),
        &[
            "--json",
            "--password-stdin",
            "profile",
            "create",
            "--name",
            "Әлия",
            "--recovery-sheet",
            sheet.to_str().unwrap(),
        ],
        PASSWORD,
    ));
    let text = Command::new("pdftotext").arg(&sheet).arg("-").output().expect("pdftotext runs");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Tirek — recovery key"), "{text}");
    assert!(text.contains("Profile: Әлия"), "{text}");
    let first_line_of_key: String =
        created["recovery_key"].as_str().unwrap().split('-').take(4).collect::<Vec<_>>().join("-");
    assert!(text.contains(&first_line_of_key), "{text}");

    // An unwritable destination: the profile still exists and its key is still shown.
    let elsewhere = tempfile::tempdir().unwrap();
    let output = tirek(
        elsewhere.path(),
        &["--password-stdin", "profile", "create", "--name", "Бота", "--recovery-sheet", "/proc/no/sheet.pdf"],
        PASSWORD,
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).starts_with("error: Tirek could not read or write /proc/no"), "{}", stderr(&output));
    assert!(!stderr(&output).contains("sheet.pdf"), "a file's name may be a client's: errors name the folder");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Recovery key"));
}
