//! Sync by USB stick against the real `tirek-server` on a private PostgreSQL: a
//! computer with no connection at all writes its changes into a sealed file, the
//! server imports it with `admin import-bundle`'s own function, and the computer
//! imports the answer — the server then holds every change once, the computer shows
//! them as on the server, and another computer pulls them over the network. Each
//! import twice changes nothing; another organisation's server, a flipped byte,
//! another computer and a full disk are each refused in words with nothing half done.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{TestServer, client_input, computer, new_client, signed_consent, sync, sync_error, today, translated};
use tirek_app::{App, AppError, BundleWritten, SyncError};
use tirek_faults::FaultProxy;

/// What a computer holds, to show that a refused import changed nothing.
fn held(app: &App) -> (BTreeMap<String, Vec<String>>, tirek_app::SyncStatus) {
    (app.sync_dump().unwrap(), app.sync_status().unwrap())
}

fn files_in(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    files
}

fn answer_to(imported: &tirek_server::bundle::Imported) -> PathBuf {
    imported.answer.clone()
}

fn bytes_hold(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|window| window == needle.as_bytes())
}

#[test]
fn a_computer_without_any_connection_syncs_by_usb_stick_and_another_pulls_its_changes_over_the_network() {
    let server = TestServer::tls();
    let desk = computer();
    let laptop = computer();
    // The desk reaches the server once, to enrol, through a link that is then gone
    // for good: everything after is by USB stick.
    let link = FaultProxy::start(server.address, 0).unwrap();
    let desk_device = server.enrol_at(&desk.app, &link.url().replace("http://", "https://"));
    drop(link);
    server.enrol(&laptop.app);
    desk.app.set_sync_steps_for_tests(3, 4);

    let from_laptop = new_client(&laptop.app, "Ахметова", true);
    let laptop_changes = sync(&laptop.app).pushed;
    let clients: Vec<String> = (0..3).map(|n| new_client(&desk.app, &format!("Сәрсенова{n}"), true)).collect();
    let private = new_client(&desk.app, "Құпия", false);
    let waiting = desk.app.sync_status().unwrap().waiting;
    assert!(waiting > 6, "several batches: {waiting}");
    assert_eq!(sync_error(desk.app.sync_now()).0, SyncError::NoConnection, "no connection at all");

    let stick = tempfile::tempdir().unwrap();
    let written: BundleWritten = desk.app.sync_bundle_export(stick.path()).unwrap();
    assert_eq!(written.changes, waiting, "what a sync would send: {written:?}");
    let bundle = PathBuf::from(&written.path);
    assert_eq!(files_in(stick.path()), std::slice::from_ref(&bundle));
    let name = bundle.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("tirek-") && name.ends_with(&format!("-{}.tirekbundle", today())), "{name}");
    for secret in ["Сәрсенова", "Құпия", "Әлия", &desk_device] {
        assert!(!name.contains(secret) && !bytes_hold(&bundle, secret), "{secret} readable in {name}");
    }
    assert_eq!(desk.app.sync_status().unwrap().waiting, waiting, "not on the server until the answer says so");

    let imported = server.import_bundle(&bundle).unwrap();
    assert_eq!((imported.sent, imported.stored, imported.refused), (waiting, waiting, 0), "{imported:?}");
    assert_eq!(server.stored(&desk_device), waiting as i64);
    let answer = answer_to(&imported);
    assert_eq!(answer.parent(), Some(stick.path()), "the answer goes back on the same stick");

    let summary = desk.app.sync_bundle_import(&answer).unwrap();
    assert!(summary.in_step && !summary.already_imported, "{summary:?}");
    assert_eq!(summary.pulled, laptop_changes, "the laptop's client and her consents: {summary:?}");
    assert_eq!(summary.acknowledged, waiting as i64);
    assert_eq!(summary.waiting_for_consent, 2, "the client without consent stays: {summary:?}");
    let status = desk.app.sync_status().unwrap();
    assert_eq!((status.waiting, status.acknowledged), (0, waiting), "{status:?}");
    assert!(status.last_sync_ms.is_some());
    assert_eq!(desk.app.client(&from_laptop).unwrap().client.family_name, "Ахметова");

    // The laptop pulls the desk's changes over the network, and both hold the same.
    let pulled = sync(&laptop.app);
    assert_eq!(pulled.pulled, waiting, "{pulled:?}");
    for id in &clients {
        assert!(laptop.app.client(id).is_ok());
    }
    assert!(laptop.app.client(&private).is_err(), "never left the desk");

    // The answer imported again changes nothing, and says so.
    let before = held(&desk.app);
    let again = desk.app.sync_bundle_import(&answer).unwrap();
    assert!(again.already_imported && again.pulled == 0 && again.pushed == 0, "{again:?}");
    assert_eq!(held(&desk.app), before);

    // The bundle imported again on the server stores nothing twice; its new answer
    // is the same answer to the desk.
    std::fs::remove_file(&answer).unwrap();
    let twice = server.import_bundle(&bundle).unwrap();
    assert_eq!((twice.stored, twice.duplicates), (0, waiting), "{twice:?}");
    assert!(server.stored_changes().iter().all(|(_, _, copies)| *copies == 1), "nothing stored twice");
    assert!(desk.app.sync_bundle_import(&answer_to(&twice)).unwrap().already_imported);
    assert_eq!(held(&desk.app), before);

    // Work goes on: the next bundle carries only what is new — an edit, and the
    // client who has consented since — and brings back the laptop's edit.
    let mut moved = client_input("Сәрсенова0");
    moved.address = "Абай көшесі, 12".into();
    desk.app.update_client(&clients[0], &moved).unwrap();
    let consent = signed_consent("server");
    desk.app.give_consent(&private, &consent).unwrap();
    laptop.app.update_client(&from_laptop, &client_input("Жаңабаева")).unwrap();
    sync(&laptop.app);
    let next = desk.app.sync_bundle_export(stick.path()).unwrap();
    assert_eq!(next.changes, 1 + 3, "the edit, the client and her two consents: {next:?}");
    let imported = server.import_bundle(Path::new(&next.path)).unwrap();
    assert_eq!((imported.stored, imported.pulled), (4, 1), "{imported:?}");
    let summary = desk.app.sync_bundle_import(&answer_to(&imported)).unwrap();
    assert!(summary.in_step && summary.pulled == 1, "{summary:?}");
    assert_eq!(desk.app.client(&from_laptop).unwrap().client.family_name, "Жаңабаева");
    sync(&laptop.app);
    assert_eq!(laptop.app.client(&private).unwrap().client.family_name, "Құпия");
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap(), "both hold the same");
}

#[test]
fn another_organisation_a_flipped_byte_another_computer_or_the_wrong_file_is_refused_and_nothing_applied() {
    let server = TestServer::plain();
    let elsewhere = TestServer::plain();
    let desk = computer();
    let laptop = computer();
    for computer in [&desk, &laptop] {
        computer.app.allow_insecure_dev_sync(true);
        server.enrol(&computer.app);
    }
    new_client(&laptop.app, "Ахметова", true);
    let laptop_changes = sync(&laptop.app).pushed;
    new_client(&desk.app, "Сәрсенова", true);
    let stick = tempfile::tempdir().unwrap();
    let bundle = PathBuf::from(desk.app.sync_bundle_export(stick.path()).unwrap().path);

    // Another organisation's server cannot open it, and says whose it is.
    let err = elsewhere.import_bundle(&bundle).expect_err("another organisation's");
    let text = err.to_string();
    assert!(text.contains("another server's bundle key") && text.contains("another organisation"), "{text}");
    // A byte flipped on the stick: refused, nothing stored.
    let flipped = stick.path().join("flipped.tirekbundle");
    let mut bytes = std::fs::read(&bundle).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x04;
    std::fs::write(&flipped, &bytes).unwrap();
    let err = server.import_bundle(&flipped).expect_err("damaged");
    assert!(err.to_string().contains("damaged or was altered"), "{err}");
    assert_eq!(server.stored_changes().len(), laptop_changes as usize, "only the laptop's changes");

    let answer = answer_to(&server.import_bundle(&bundle).unwrap());
    let before = (held(&desk.app), held(&laptop.app));
    let expect_refusal = |app: &App, file: &Path, expected: SyncError| {
        let (error, app_error) = sync_error(app.sync_bundle_import(file));
        assert_eq!(error, expected, "{}", file.display());
        let texts = translated(&app_error);
        assert_ne!(texts[0], texts[1]);
        assert_eq!(app_error.field(), Some("file"));
        texts
    };
    // The answer with a byte flipped on the way back.
    let mut bytes = std::fs::read(&answer).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x01;
    let damaged = stick.path().join("damaged-answer.tirekbundle");
    std::fs::write(&damaged, &bytes).unwrap();
    let texts = expect_refusal(&desk.app, &damaged, SyncError::BundleDamaged);
    assert!(texts[2].contains("damaged"), "{}", texts[2]);
    // The desk's answer imported on the laptop.
    let texts = expect_refusal(&laptop.app, &answer, SyncError::BundleOtherDevice);
    assert!(texts[2].contains("another computer"), "{}", texts[2]);
    // The desk's own bundle brought back instead of the answer; a letter instead of it.
    expect_refusal(&desk.app, &bundle, SyncError::BundleNotAnAnswer);
    let letter = stick.path().join("letter.pdf");
    std::fs::write(&letter, b"%PDF-1.7\n").unwrap();
    expect_refusal(&desk.app, &letter, SyncError::BundleUnreadable);
    assert_eq!((held(&desk.app), held(&laptop.app)), before, "nothing of any of them was applied");

    // The right answer still goes in.
    let summary = desk.app.sync_bundle_import(&answer).unwrap();
    assert!(summary.in_step && summary.pulled == laptop_changes, "{summary:?}");
    assert_eq!(desk.app.sync_status().unwrap().waiting, 0);

    // A profile not enrolled, and one whose server has no bundle key, are told why.
    let alone = computer();
    assert_eq!(sync_error(alone.app.sync_bundle_export(stick.path())).0, SyncError::NotEnrolled);
    let keyless = TestServer::plain_without_bundle_key();
    alone.app.allow_insecure_dev_sync(true);
    keyless.enrol(&alone.app);
    let (error, app_error) = sync_error(alone.app.sync_bundle_export(stick.path()));
    assert_eq!(error, SyncError::BundleNoKey);
    translated(&app_error);
}

#[test]
fn a_full_disk_while_importing_an_answer_applies_no_page_half_and_the_next_import_carries_on() {
    let mut server = TestServer::plain();
    server.config.pull_page_max = 10;
    server.restart(None);
    let desk = computer();
    let laptop = computer();
    desk.app.allow_insecure_dev_sync(true);
    laptop.app.allow_insecure_dev_sync(true);
    server.enrol(&desk.app);
    server.enrol(&laptop.app);
    let clients: Vec<String> = (0..30)
        .map(|n| {
            let mut input = client_input(&format!("Сәрсенова{n}"));
            input.address = format!("Абай көшесі, {n}, {}", "пәтер ".repeat(20));
            let id = desk.app.create_client(&input).unwrap();
            let consent = signed_consent("server");
            desk.app.give_consent(&id, &consent).unwrap();
            id
        })
        .collect();
    let pushed = sync(&desk.app).pushed;

    // The laptop has nothing to send: its bundle only asks for what it lacks.
    let stick = tempfile::tempdir().unwrap();
    let written = laptop.app.sync_bundle_export(stick.path()).unwrap();
    assert_eq!(written.changes, 0);
    let answer = answer_to(&server.import_bundle(Path::new(&written.path)).unwrap());

    laptop.app.limit_profile_growth_for_tests(Some(0)).unwrap();
    let before = held(&laptop.app);
    let error = laptop.app.sync_bundle_import(&answer).expect_err("the disk is full");
    assert!(matches!(&error, AppError::Store(tirek_store::StoreError::DiskFull { .. })), "{error:?}");
    let texts = translated(&error);
    assert!(texts[2].contains("disk is full"), "{}", texts[2]);
    assert_eq!(held(&laptop.app), before, "no page half-applied");

    // Space comes back: the same answer carries on, whole.
    laptop.app.limit_profile_growth_for_tests(None).unwrap();
    let summary = laptop.app.sync_bundle_import(&answer).unwrap();
    assert_eq!(summary.pulled, pushed, "nothing skipped: {summary:?}");
    assert!(summary.in_step, "{summary:?}");
    for id in &clients {
        assert!(laptop.app.client(id).is_ok());
    }
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
    assert!(laptop.app.sync_bundle_import(&answer).unwrap().already_imported);
    // And the network carries on from where the answer left the laptop.
    assert_eq!(sync(&laptop.app).pulled, 0);
}

#[test]
fn a_signature_the_server_refused_by_usb_keeps_this_computer_s_words_as_an_addendum() {
    let server = TestServer::plain();
    let desk = computer();
    let laptop = computer();
    for computer in [&desk, &laptop] {
        computer.app.allow_insecure_dev_sync(true);
        server.enrol(&computer.app);
    }
    let client = new_client(&desk.app, "Сәрсенова", true);
    let id = desk.app.start_consultation(std::slice::from_ref(&client), "").unwrap();
    let draft = |notes: &str| tirek_app::ConsultationInput {
        format: "individual".into(),
        held_on: today(),
        duration_minutes: "50".into(),
        notes: notes.into(),
        ..tirek_app::ConsultationInput::default()
    };
    desk.app.save_consultation_draft(&id, &draft("Жоба")).unwrap();
    sync(&desk.app);
    sync(&laptop.app);

    // The laptop signs and syncs; the desk, now without a connection, signs its own
    // words and sends them by USB stick.
    laptop.app.save_consultation_draft(&id, &draft("Ноутбуктегі сөздер")).unwrap();
    laptop.app.sign_consultation(&id).unwrap();
    sync(&laptop.app);
    desk.app.save_consultation_draft(&id, &draft("Үстелдегі сөздер")).unwrap();
    desk.app.sign_consultation(&id).unwrap();
    let stick = tempfile::tempdir().unwrap();
    let bundle = desk.app.sync_bundle_export(stick.path()).unwrap();
    let imported = server.import_bundle(Path::new(&bundle.path)).unwrap();
    assert!(imported.refused > 0, "{imported:?}");

    let summary = desk.app.sync_bundle_import(&answer_to(&imported)).unwrap();
    assert!(
        summary.refused.iter().any(|r| r.record_id == id && r.kind == "record_final" && !r.reason.is_empty()),
        "the refusal, in words: {summary:?}"
    );
    let status = desk.app.sync_status().unwrap();
    assert!(status.refused.iter().any(|r| r.record_id == id), "{status:?}");
    let view = desk.app.consultation(&id).unwrap();
    assert_eq!(view.form.notes, "Ноутбуктегі сөздер", "the signature the server kept");
    assert_eq!(view.addenda.len(), 1, "{:?}", view.addenda);
    assert!(view.addenda[0].text.contains("Үстелдегі сөздер"), "the desk's words are kept");

    // The addendum goes with the next bundle, and reaches the laptop.
    let next = desk.app.sync_bundle_export(stick.path()).unwrap();
    assert_eq!(next.changes, 1, "{next:?}");
    let imported = server.import_bundle(Path::new(&next.path)).unwrap();
    desk.app.sync_bundle_import(&answer_to(&imported)).unwrap();
    sync(&laptop.app);
    assert_eq!(laptop.app.consultation(&id).unwrap(), desk.app.consultation(&id).unwrap());
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
}

/// A bundle written, imported by the server, and its answer imported.
fn round_trip(server: &TestServer, app: &App, stick: &Path) -> tirek_app::SyncSummary {
    let written = app.sync_bundle_export(stick).unwrap();
    let imported = server.import_bundle(Path::new(&written.path)).unwrap();
    app.sync_bundle_import(&answer_to(&imported)).unwrap()
}

#[test]
fn a_server_restored_from_a_backup_gets_back_by_usb_stick_everything_it_lost() {
    let mut server = TestServer::plain();
    let desk = computer();
    let laptop = computer();
    for computer in [&desk, &laptop] {
        computer.app.allow_insecure_dev_sync(true);
        server.enrol(&computer.app);
    }
    let stick = tempfile::tempdir().unwrap();
    let before = new_client(&desk.app, "Сәрсенова", true);
    assert!(round_trip(&server, &desk.app, stick.path()).in_step);
    let folder = tempfile::tempdir().unwrap();
    let backup = folder.path().join("tirek.dump");
    server.back_up(&backup);

    // After the backup the desk sends more by stick; then the server's disk dies and
    // the operator restores the backup: the server has lost the desk's latest.
    let after = new_client(&desk.app, "Нұрланова", true);
    let sent = round_trip(&server, &desk.app, stick.path());
    assert!(sent.in_step, "{sent:?}");
    let held = server.stored_changes();
    server.restore(&backup);
    assert!(server.stored_changes().len() < held.len());

    // The desk's next bundle (nothing new in it) meets the restored server: the
    // answer, in the server's new epoch, says where the server's mark stands now, so
    // the desk shows those changes as waiting again, and the next bundle sends them.
    let first = round_trip(&server, &desk.app, stick.path());
    assert!(first.acknowledged < sent.acknowledged, "{first:?}");
    let waiting = desk.app.sync_status().unwrap().waiting;
    assert_eq!(i64::from(waiting), sent.acknowledged - first.acknowledged, "shown as not on the server again");
    let second = round_trip(&server, &desk.app, stick.path());
    assert!(second.stored == waiting && second.in_step, "{second:?}");
    let identities = |rows: &[(String, i64, i64)]| rows.iter().map(|(d, s, _)| (d.clone(), *s)).collect::<Vec<_>>();
    assert_eq!(identities(&server.stored_changes()), identities(&held), "everything is back, once");

    sync(&laptop.app);
    for id in [&before, &after] {
        assert!(laptop.app.client(id).is_ok());
    }
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
}
