//! Sync against the real `tirek-server` on a private PostgreSQL: two computers of one
//! psychologist enrol, edit, sync and converge — the same tables, the same review
//! marks, an erasure on one removes the client on the other — a batch re-sent after
//! a lost answer is stored once, a sync cut midway loses nothing, a client without
//! consent stays on the computer, and a wrong code, a revoked device, another
//! server's certificate and a server that is gone each give a translated error.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::{
    PASSWORD, TestServer, client_input, computer, new_client, signed_consent, sync, sync_error, today, translated,
};
use tirek_app::{App, AppError, EnrolInput, SyncError};
use tirek_faults::FaultProxy;
use tirek_protocol::VersionRange;
use tirek_server::Config;

#[test]
fn two_computers_converge_with_the_same_review_marks_and_erasures_travel() {
    let server = TestServer::tls();
    let desk = computer();
    let laptop = computer();
    server.enrol(&desk.app);
    server.enrol(&laptop.app);

    let saule = new_client(&desk.app, "Сәрсенова", true);
    let dana = new_client(&desk.app, "Ахметова", true);
    let first = sync(&desk.app);
    assert!(first.pushed > 0 && first.in_step, "{first:?}");
    let received = sync(&laptop.app);
    assert_eq!(received.pulled, first.pushed, "{received:?}");
    assert_eq!(laptop.app.client(&saule).unwrap().client.family_name, "Сәрсенова");

    // Both change Saule's family name without seeing the other; the laptop also
    // writes Dana's address. The laptop writes second, so its clock is later.
    desk.app.update_client(&saule, &client_input("Нұрланова")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    laptop.app.update_client(&saule, &client_input("Нурланова")).unwrap();
    let mut dana_moved = client_input("Ахметова");
    dana_moved.address = "Абай көшесі, 12".into();
    laptop.app.update_client(&dana, &dana_moved).unwrap();

    sync(&desk.app);
    let laptop_summary = sync(&laptop.app);
    assert_eq!(laptop_summary.conflicts, 1, "{laptop_summary:?}");
    let desk_summary = sync(&desk.app);
    assert_eq!(desk_summary.conflicts, 1, "{desk_summary:?}");

    for computer in [&desk, &laptop] {
        let detail = computer.app.client(&saule).unwrap();
        assert_eq!(detail.client.family_name, "Нурланова", "the later clock wins everywhere");
        let status = computer.app.sync_status().unwrap();
        assert_eq!(status.reviews.len(), 1, "{status:?}");
        assert_eq!(status.reviews[0].field, "family_name");
        assert_eq!(status.reviews[0].later.as_deref(), Some("Нурланова"));
        assert_eq!(status.reviews[0].earlier.as_deref(), Some("Нұрланова"), "the other version is kept");
        assert_eq!(status.waiting, 0);
        assert!(status.last_sync_ms.is_some());
    }
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap(), "both computers hold the same");

    // The server keeps the head of each computer's audit trail: `tirek audit verify`
    // checks the trail's end against it.
    let id = desk.app.unlocked_profile().unwrap().id;
    desk.app.lock();
    let verdict = desk.app.verify_audit(&id, PASSWORD).unwrap();
    assert_eq!(verdict.broken, None);
    assert!(matches!(verdict.witness, tirek_app::AuditWitness::Checked { id } if id > 1), "{verdict:?}");
    desk.app.unlock(&id, PASSWORD).unwrap();

    // Dana asks to be erased; the laptop does it, and the desk follows.
    laptop.app.erase_client(&dana).unwrap();
    sync(&laptop.app);
    let erased = sync(&desk.app);
    assert!(erased.erased >= 1 && erased.in_step, "{erased:?}");
    assert!(desk.app.client(&dana).is_err(), "erased on the other computer too");
    let dump = desk.app.sync_dump().unwrap();
    assert_eq!(dump, laptop.app.sync_dump().unwrap());
    assert!(dump.values().flatten().all(|line| !line.contains("Абай") && !line.contains("Ахметова")), "no value left");
}

#[test]
fn a_batch_sent_again_is_stored_once_and_a_sync_cut_midway_carries_on() {
    let server = TestServer::plain();
    let desk = computer();
    let laptop = computer();
    desk.app.allow_insecure_dev_sync(true);
    laptop.app.allow_insecure_dev_sync(true);
    // The desk talks through a proxy that loses the answer to its second push
    // after the server has committed it.
    let proxy = FaultProxy::start(server.address, 0).unwrap();
    proxy.lose_answer_to(b"POST /v1/push", 2);
    let desk_device = server.enrol_at(&desk.app, &proxy.url());
    server.enrol(&laptop.app);
    desk.app.set_sync_steps_for_tests(3, 4);
    laptop.app.set_sync_steps_for_tests(3, 4);

    let clients: Vec<String> = (0..3).map(|n| new_client(&desk.app, &format!("Сәрсенова{n}"), true)).collect();
    let waiting = desk.app.sync_status().unwrap().waiting;
    assert!(waiting > 6, "several batches: {waiting}");
    let (error, _) = sync_error(desk.app.sync_now());
    assert!(matches!(error, SyncError::NoConnection | SyncError::Garbage), "{error:?}");
    let after_cut = desk.app.sync_status().unwrap();
    assert!(after_cut.acknowledged > 0 && after_cut.waiting > 0, "the first batch is on the server: {after_cut:?}");

    let resumed = sync(&desk.app);
    assert!(resumed.duplicates > 0, "the batch whose answer was lost went again: {resumed:?}");
    assert!(resumed.in_step, "{resumed:?}");
    assert_eq!(desk.app.sync_status().unwrap().waiting, 0);
    assert_eq!(server.stored(&desk_device), waiting as i64, "every change stored once");

    let pulled = sync(&laptop.app);
    assert_eq!(pulled.pulled as usize, waiting as usize, "{pulled:?}");
    for id in &clients {
        assert!(laptop.app.client(id).is_ok());
    }
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
    // Nothing new: a sync pulls nothing.
    assert_eq!(sync(&laptop.app).pulled, 0);
}

#[test]
fn a_client_without_consent_to_central_storage_stays_on_the_computer() {
    let server = TestServer::tls();
    let desk = computer();
    let laptop = computer();
    server.enrol(&desk.app);
    server.enrol(&laptop.app);
    let private = new_client(&desk.app, "Құпия", false);
    let shared = new_client(&desk.app, "Ортақ", true);
    let summary = sync(&desk.app);
    assert_eq!(summary.waiting_for_consent, 2, "the client and the record consent wait: {summary:?}");
    let status = desk.app.sync_status().unwrap();
    assert_eq!(status.waiting_for_consent, 2);
    assert_eq!(status.waiting_for_consent_clients, std::slice::from_ref(&private), "the status names who waits");
    sync(&laptop.app);
    assert!(laptop.app.client(&shared).is_ok(), "a later client was not held back");
    assert!(laptop.app.client(&private).is_err(), "the client without consent never left");

    // Consent given: everything about the client goes, in its own order.
    let consent = signed_consent("server");
    desk.app.give_consent(&private, &consent).unwrap();
    let later = sync(&desk.app);
    assert_eq!(later.waiting_for_consent, 0);
    assert!(desk.app.sync_status().unwrap().waiting_for_consent_clients.is_empty());
    assert!(later.refused.is_empty(), "{later:?}");
    sync(&laptop.app);
    assert_eq!(laptop.app.client(&private).unwrap().client.family_name, "Құпия");
}

/// The status as a window opening the profile afresh works it out: locked and
/// unlocked again, nothing decided before is kept.
fn status_afresh(app: &App) -> tirek_app::SyncStatus {
    let profile = app.unlocked_profile().unwrap().id;
    app.lock();
    app.unlock(&profile, PASSWORD).unwrap();
    app.sync_status().unwrap()
}

#[test]
fn what_waits_for_consent_after_each_save_is_what_a_walk_of_everything_finds() {
    let server = TestServer::tls();
    let desk = computer();
    server.enrol(&desk.app);
    let held = new_client(&desk.app, "Құпия", false);
    let shared = new_client(&desk.app, "Ортақ", true);
    sync(&desk.app);
    let app = &desk.app;
    let child =
        tirek_app::ChildInput {
            name: "Нұрсұлтан".into(), birth_date: "03.09.2019".into(), ..Default::default()
        };
    let consent = signed_consent("server");
    // Each save, then the status as this window works it out after it (deciding only
    // what the save wrote, when nothing else can have changed) and afresh.
    let mut later = None;
    let edit = || app.update_client(&held, &client_input("Құпиябек")).unwrap();
    let held_child = || drop(app.add_child(&held, &child).unwrap());
    let shared_child = || drop(app.add_child(&shared, &child).unwrap());
    let unconsented = || drop(app.create_client(&client_input("Жаңа")).unwrap());
    let consented = || drop(app.give_consent(&held, &consent).unwrap());
    let saves: [(&str, &dyn Fn()); 5] = [
        ("an edit of a held client", &edit),
        ("a child of a held client", &held_child),
        ("a child of a consenting client", &shared_child),
        ("a client without any consent", &unconsented),
        ("the held client's consent", &consented),
    ];
    for (save, write) in &saves {
        app.sync_status().unwrap();
        write();
        let after_the_save = app.sync_status().unwrap();
        let afresh = status_afresh(app);
        assert_eq!(after_the_save, afresh, "after {save}");
        later = Some(afresh);
    }
    let last = later.unwrap();
    assert_eq!(last.waiting_for_consent, 1, "only the client without any consent waits: {last:?}");
    let summary = sync(app);
    assert_eq!(summary.waiting_for_consent, 1);
}

#[test]
fn a_wrong_code_a_revoked_device_another_certificate_and_no_server_each_say_why() {
    let mut server = TestServer::tls();
    let desk = computer();

    // A code the administrator never gave.
    let input = EnrolInput {
        server: server.base.clone(),
        code: "AAAAA-BBBBB".to_owned(),
        certificate_pem: server.certificate_pem.clone(),
    };
    let (error, app_error) = sync_error(desk.app.sync_enrol(&input));
    assert_eq!(error, SyncError::CodeInvalid);
    let texts = translated(&app_error);
    assert_ne!(texts[0], texts[1]);

    // The server shows a certificate that another organisation's CA signed, or
    // one that signed itself: neither is the CA pinned.
    let elsewhere = tempfile::tempdir().unwrap();
    let other = tirek_server::certificates::init(elsewhere.path(), "Басқа", &["127.0.0.1".to_owned()], false).unwrap();
    let other_ca = std::fs::read_to_string(other.ca_cert).unwrap();
    let stranger = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    for pinned in [other_ca, stranger.cert.pem()] {
        let input = EnrolInput { code: server.code(), certificate_pem: Some(pinned), ..input.clone() };
        let (error, app_error) = sync_error(desk.app.sync_enrol(&input));
        assert_eq!(error, SyncError::CertificateMismatch);
        translated(&app_error);
    }
    let input = EnrolInput { code: server.code(), ..input };

    // Plain HTTP is refused without the developer's flag.
    let input = EnrolInput { server: format!("http://{}", server.address), certificate_pem: None, ..input };
    assert_eq!(sync_error(desk.app.sync_enrol(&input)).0, SyncError::InsecureServer);

    // Not enrolled yet.
    assert_eq!(sync_error(desk.app.sync_now()).0, SyncError::NotEnrolled);

    // Enrolled, then revoked by the administrator.
    let device = server.enrol(&desk.app);
    new_client(&desk.app, "Сәрсенова", true);
    sync(&desk.app);
    server.revoke(&device);
    let (error, app_error) = sync_error(desk.app.sync_now());
    assert_eq!(error, SyncError::DeviceRevoked);
    translated(&app_error);
    // A stolen computer does not come back with a new code...
    desk.app.sync_unenrol().unwrap();
    let again = |code: String| EnrolInput {
        server: server.base.clone(),
        code,
        certificate_pem: server.certificate_pem.clone(),
    };
    assert_eq!(sync_error(desk.app.sync_enrol(&again(server.code()))).0, SyncError::DeviceRevoked);
    // ...one revoked by mistake does, once the administrator lets it back in, and
    // what it wrote meanwhile reaches the server once, numbered after the rest.
    server.reinstate(&device);
    new_client(&desk.app, "Әбілова", true);
    let before = server.stored(&device);
    desk.app.sync_enrol(&again(server.code())).unwrap();
    let back = sync(&desk.app);
    assert!(back.refused.is_empty(), "{back:?}");
    assert!(server.stored(&device) > before, "the new client reached the server");
    assert!(server.stored_changes().iter().all(|(_, _, copies)| *copies == 1));
    assert_eq!(desk.app.sync_status().unwrap().waiting, 0);
    // Someone else's code does not take this computer's place.
    desk.app.sync_unenrol().unwrap();
    let colleague = server.code_for(server.add_user("saule", tirek_server::rules::Role::Psychologist));
    assert_eq!(sync_error(desk.app.sync_enrol(&again(colleague))).0, SyncError::AlreadyEnrolled);
    desk.app.sync_enrol(&again(server.code())).unwrap();

    // The server is gone.
    server.stop();
    let (error, app_error) = sync_error(desk.app.sync_now());
    assert_eq!(error, SyncError::NoConnection);
    assert_eq!(app_error.kind(), tirek_app::ErrorKind::Offline);
    translated(&app_error);
}

fn signable(notes: &str) -> tirek_app::ConsultationInput {
    tirek_app::ConsultationInput {
        format: "individual".into(),
        held_on: today(),
        duration_minutes: "50".into(),
        notes: notes.into(),
        ..tirek_app::ConsultationInput::default()
    }
}

#[test]
fn a_draft_signed_on_both_computers_shows_one_signature_and_keeps_the_other_words_as_an_addendum() {
    let server = TestServer::tls();
    let desk = computer();
    let laptop = computer();
    server.enrol(&desk.app);
    server.enrol(&laptop.app);
    let client = new_client(&desk.app, "Сәрсенова", true);
    let id = desk.app.start_consultation(std::slice::from_ref(&client), "").unwrap();
    desk.app.save_consultation_draft(&id, &signable("Жоба")).unwrap();
    sync(&desk.app);
    sync(&laptop.app);

    // Both finish the draft offline, in their own words, and sign.
    desk.app.save_consultation_draft(&id, &signable("Үстелдегі сөздер")).unwrap();
    desk.app.sign_consultation(&id).unwrap();
    let mut laptop_version = signable("Ноутбуктегі сөздер");
    laptop_version.plan = "Келесі аптада қоңырау шалу".into();
    laptop.app.save_consultation_draft(&id, &laptop_version).unwrap();
    laptop.app.sign_consultation(&id).unwrap();

    sync(&desk.app);
    let second = sync(&laptop.app);
    assert!(
        second.refused.iter().any(|r| r.record_id == id && r.kind == "record_final"),
        "the second signature is refused, with the reason: {second:?}"
    );
    sync(&desk.app);

    let views: Vec<_> = [&desk, &laptop].iter().map(|c| c.app.consultation(&id).unwrap()).collect();
    assert_eq!(views[0], views[1], "one signed consultation on both computers");
    assert_eq!(views[0].form.notes, "Үстелдегі сөздер", "the signature the server received first");
    assert_eq!(views[0].addenda.len(), 1, "{:?}", views[0].addenda);
    let kept = &views[0].addenda[0].text;
    for words in ["Ноутбуктегі сөздер", "Келесі аптада қоңырау шалу"] {
        assert!(kept.contains(words), "the laptop's words are kept: {kept}");
    }
    assert!(!kept.contains("sync-signed-elsewhere") && !kept.contains("consult-"), "translated: {kept}");
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());

    // Kept once: syncing again writes nothing more.
    assert_eq!(sync(&laptop.app).pushed, 0);
    assert_eq!(laptop.app.consultation(&id).unwrap().addenda.len(), 1);
}

#[test]
fn an_erasure_reaches_what_the_other_computer_wrote_before_it_arrived() {
    let server = TestServer::tls();
    let desk = computer();
    let laptop = computer();
    server.enrol(&desk.app);
    server.enrol(&laptop.app);
    let client = new_client(&desk.app, "Сәрсенова", true);
    sync(&desk.app);
    sync(&laptop.app);

    // The client asks the desk to be erased; the laptop, not knowing, writes about her.
    desk.app.erase_client(&client).unwrap();
    let follow_up = tirek_app::FollowUpInput { kind: "call".into(), due_on: today(), ..Default::default() };
    laptop.app.add_follow_up(&client, &follow_up).unwrap();
    let consultation = laptop.app.start_consultation(std::slice::from_ref(&client), "").unwrap();
    laptop.app.save_consultation_draft(&consultation, &signable("Ұмытылуы тиіс сөздер")).unwrap();
    laptop.app.sign_consultation(&consultation).unwrap();
    laptop.app.add_addendum(&consultation, "Ұмытылуы тиіс толықтыру").unwrap();

    sync(&desk.app);
    sync(&laptop.app);
    sync(&desk.app);
    sync(&laptop.app);

    for computer in [&desk, &laptop] {
        assert!(computer.app.client(&client).is_err());
        assert!(computer.app.consultation(&consultation).is_err(), "what the eraser never saw is erased too");
        let dump = computer.app.sync_dump().unwrap();
        // Only tombstones and emptied history name her.
        let left: Vec<&String> = dump
            .values()
            .flatten()
            .filter(|line| line.contains("Ұмытылуы") || line.contains(&client))
            .filter(|line| !line.ends_with(" {}") && !line.ends_with("{\"_erased\":[null,1]}"))
            .collect();
        assert!(left.is_empty(), "no word about her left: {left:#?}");
    }
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
    let on_server: i64 = server
        .runtime
        .block_on(
            sqlx::query_scalar("SELECT count(*) FROM changes WHERE fields::text LIKE '%Ұмытылуы%'")
                .fetch_one(&server.pool),
        )
        .unwrap();
    assert_eq!(on_server, 0, "nor on the server");
}

#[test]
fn a_server_restored_from_a_backup_gets_back_from_the_devices_everything_it_lost() {
    let mut server = TestServer::plain();
    let desk = computer();
    let laptop = computer();
    for computer in [&desk, &laptop] {
        computer.app.allow_insecure_dev_sync(true);
        server.enrol(&computer.app);
    }
    let before: Vec<String> = (0..2).map(|n| new_client(&desk.app, &format!("Сәрсенова{n}"), true)).collect();
    sync(&desk.app);
    sync(&laptop.app);
    let folder = tempfile::tempdir().unwrap();
    let backup = folder.path().join("tirek.dump");
    server.back_up(&backup);
    let epoch_at_backup = server.epoch();

    // After the backup both computers write and sync, and each pulls the other's.
    let desk_after = new_client(&desk.app, "Нұрланова", true);
    let laptop_after = new_client(&laptop.app, "Ахметова", true);
    laptop.app.update_client(&before[0], &client_input("Жаңабаева")).unwrap();
    sync(&desk.app);
    sync(&laptop.app);
    sync(&desk.app);
    let held = server.stored_changes();

    // The server's disk dies; the operator restores the backup. Nobody tells the
    // server: it sees the database is not where it was and takes a new epoch.
    server.restore(&backup);
    assert_ne!(server.epoch(), epoch_at_backup, "a restored server takes a new epoch by itself");
    assert!(server.stored_changes().len() < held.len(), "the restored server lacks the latest changes");

    // The devices notice and send again what it lacks. Until both have, each holds
    // changes of the other that the server lacks, and says it is not in step.
    let first = desk.app.sync_now().unwrap();
    assert!(first.stored > 0 && !first.in_step, "{first:?}");
    laptop.app.sync_now().unwrap();
    for computer in [&desk, &laptop] {
        sync(&computer.app);
    }
    let now = server.stored_changes();
    let identities = |rows: &[(String, i64, i64)]| rows.iter().map(|(d, s, _)| (d.clone(), *s)).collect::<Vec<_>>();
    assert_eq!(identities(&now), identities(&held), "everything the server held before is back");
    assert!(now.iter().all(|(_, _, copies)| *copies == 1), "nothing doubled");
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
    for computer in [&desk, &laptop] {
        for id in [&desk_after, &laptop_after] {
            assert!(computer.app.client(id).is_ok());
        }
        assert_eq!(computer.app.client(&before[0]).unwrap().client.family_name, "Жаңабаева");
        assert_eq!(computer.app.sync_status().unwrap().waiting, 0);
    }
}

#[test]
fn a_profile_restored_from_an_older_backup_stops_syncing_and_says_why_instead_of_losing_changes() {
    let server = TestServer::plain();
    let desk = computer();
    desk.app.allow_insecure_dev_sync(true);
    server.enrol(&desk.app);
    let id = desk.app.unlocked_profile().unwrap().id;
    new_client(&desk.app, "Сәрсенова", true);
    sync(&desk.app);
    let backup = desk._folder.path().join("yesterday.tirekbak");
    desk.app.lock();
    desk.app.backup_profile(&id, PASSWORD, &backup).unwrap();
    desk.app.unlock(&id, PASSWORD).unwrap();

    // Work after the backup reaches the server; then the disk is restored from
    // yesterday's backup and the psychologist carries on from there.
    new_client(&desk.app, "Ахметова", true);
    sync(&desk.app);
    let on_server = server.stored_changes().len();
    desk.app.restore_backup(&backup, tirek_app::BackupSecret::Password(PASSWORD)).unwrap();
    desk.app.unlock(&id, PASSWORD).unwrap();
    let today = new_client(&desk.app, "Нұрланова", true);

    // Her new changes take numbers the server already holds for other changes:
    // sending them would have them taken for repeats and dropped.
    let (error, app_error) = sync_error(desk.app.sync_now());
    assert_eq!(error, SyncError::DeviceDiverged);
    translated(&app_error);
    assert_eq!(server.stored_changes().len(), on_server, "nothing of the second history is stored");
    assert!(desk.app.client(&today).is_ok(), "nothing here is lost");
    assert!(desk.app.sync_status().unwrap().waiting > 0, "her new work is still shown as not on the server");

    // The server saw the trail go further than the restored one: the events after
    // the backup are gone from this computer, and `tirek audit verify` says so.
    desk.app.lock();
    let verdict = desk.app.verify_audit(&id, PASSWORD).unwrap();
    assert!(verdict.broken.is_some(), "{verdict:?}");
    assert!(matches!(verdict.witness, tirek_app::AuditWitness::Checked { .. }), "{verdict:?}");

    // Offline, the chain alone is checked, and the verdict says the server was not.
    drop(server);
    let offline = desk.app.verify_audit(&id, PASSWORD).unwrap();
    assert_eq!(offline.witness, tirek_app::AuditWitness::Unreachable);
}

/// What a computer holds, to show that a failed sync changed nothing.
fn held(app: &App) -> (std::collections::BTreeMap<String, Vec<String>>, u32) {
    (app.sync_dump().unwrap(), app.sync_status().unwrap().waiting)
}

/// The clinical tables alone and what waits to go: a refused push may number the
/// changes it tried to send (the change log's wire numbers), and nothing more.
fn clinical(app: &App) -> (std::collections::BTreeMap<String, Vec<String>>, u32) {
    let (mut dump, waiting) = held(app);
    dump.remove("change_log");
    (dump, waiting)
}

#[test]
fn an_app_the_server_no_longer_speaks_to_or_finds_too_old_is_told_to_update_and_keeps_working() {
    let mut server = TestServer::plain();
    let desk = computer();
    desk.app.allow_insecure_dev_sync(true);
    server.enrol(&desk.app);
    new_client(&desk.app, "Сәрсенова", true);
    sync(&desk.app);

    // The organisation updates its server to protocol versions 2–3; this app speaks 1.
    server.restart(Some(VersionRange { min: 2, max: 3 }));
    let offline = new_client(&desk.app, "Ахметова", true);
    let before = held(&desk.app);
    assert!(before.1 > 0);
    let (error, app_error) = sync_error(desk.app.sync_now());
    assert_eq!(error, SyncError::VersionUnsupported(Some(VersionRange { min: 2, max: 3 })));
    let texts = translated(&app_error);
    assert!(texts.iter().all(|text| text.contains("2–3") && text.contains('1')), "{texts:?}");
    assert!(texts[2].contains("Update Tirek"), "{}", texts[2]);
    assert_ne!(texts[0], texts[1]);
    assert_ne!(texts[1], texts[2]);
    assert_eq!(held(&desk.app), before, "nothing lost, nothing half-sent");

    // Work goes on offline, and once the server speaks this version again, it all goes.
    let later = new_client(&desk.app, "Жұмабаева", true);
    assert_eq!(desk.app.client(&offline).unwrap().client.family_name, "Ахметова");
    server.restart(None);
    let summary = sync(&desk.app);
    assert!(summary.pushed as usize >= 2 && summary.refused.is_empty(), "{summary:?}");
    assert_eq!(desk.app.sync_status().unwrap().waiting, 0);
    let laptop = computer();
    laptop.app.allow_insecure_dev_sync(true);
    server.enrol(&laptop.app);
    sync(&laptop.app);
    assert!(laptop.app.client(&later).is_ok());
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());

    // Within the protocol, the organisation asks for a newer app than this one
    // (`min_app_version`): told so in words, nothing lost, work goes on offline.
    server.config.min_app_version = Some("99.0.0".to_owned());
    server.restart(None);
    new_client(&desk.app, "Сейітова", true);
    let before = held(&desk.app);
    let (error, app_error) = sync_error(desk.app.sync_now());
    assert_eq!(error, SyncError::UpdateRequired(Some("99.0.0".to_owned())));
    let texts = translated(&app_error);
    let ours = env!("CARGO_PKG_VERSION");
    assert!(texts.iter().all(|text| text.contains("99.0.0") && text.contains(ours)), "{texts:?}");
    assert!(texts[2].contains("Update Tirek"), "{}", texts[2]);
    assert_eq!(held(&desk.app), before, "nothing lost, nothing half-sent");
    // By USB stick the same: the server stores nothing and its answer says why. (The
    // bundle numbers what it carries, as a push would: the records stay as they were.)
    let before = clinical(&desk.app);
    let acknowledged = desk.app.sync_status().unwrap().acknowledged;
    let stick = tempfile::tempdir().unwrap();
    let written = desk.app.sync_bundle_export(stick.path()).unwrap();
    let imported = server.import_bundle(std::path::Path::new(&written.path)).unwrap();
    assert_eq!((imported.stored, imported.pulled), (0, 0), "{imported:?}");
    assert_eq!(imported.stopped_by.as_deref(), Some("update_required"));
    let (error, _) = sync_error(desk.app.sync_bundle_import(&imported.answer));
    assert_eq!(error, SyncError::UpdateRequired(Some("99.0.0".to_owned())));
    assert_eq!(clinical(&desk.app), before, "nothing lost, nothing half-sent");
    assert_eq!(desk.app.sync_status().unwrap().acknowledged, acknowledged, "nothing acknowledged");
    // This very version is new enough.
    server.config.min_app_version = Some(ours.to_owned());
    server.restart(None);
    let summary = sync(&desk.app);
    assert!(summary.pushed > 0 && summary.refused.is_empty(), "{summary:?}");
    assert_eq!(desk.app.sync_status().unwrap().waiting, 0);
}

#[test]
fn a_clock_years_ahead_is_refused_in_words_and_once_it_is_right_the_sync_carries_on() {
    let server = TestServer::plain();
    let desk = computer();
    let laptop = computer();
    desk.app.allow_insecure_dev_sync(true);
    laptop.app.allow_insecure_dev_sync(true);
    let desk_device = server.enrol(&desk.app);
    server.enrol(&laptop.app);
    let saule = new_client(&desk.app, "Сәрсенова", true);
    sync(&desk.app);
    sync(&laptop.app);

    // Someone sets the desk's clock three years ahead and works on.
    const THREE_YEARS_MS: i64 = 3 * 365 * 24 * 3600 * 1000;
    desk.app.shift_clock_for_tests(THREE_YEARS_MS);
    let dana = new_client(&desk.app, "Ахметова", true);
    let mut moved = client_input("Сәрсенова");
    moved.address = "Абай көшесі, 12".into();
    desk.app.update_client(&saule, &moved).unwrap();
    let before = clinical(&desk.app);
    let (error, app_error) = sync_error(desk.app.sync_now());
    assert_eq!(error, SyncError::ClockRefused);
    let texts = translated(&app_error);
    assert!(texts[2].contains("clock"), "{}", texts[2]);
    assert_eq!(clinical(&desk.app), before, "nothing lost");
    assert_eq!(server.stored(&desk_device), 3, "nothing of the refused batch was stored");
    let (error, _) = sync_error(desk.app.sync_now());
    assert_eq!(error, SyncError::ClockRefused, "refused again while the clock is wrong");

    // The clock is set right: the next sync carries on, and the far-future clock
    // does not win every later conflict.
    desk.app.shift_clock_for_tests(0);
    let later = new_client(&desk.app, "Жұмабаева", true);
    let summary = sync(&desk.app);
    assert!(summary.refused.is_empty(), "{summary:?}");
    assert_eq!(desk.app.sync_status().unwrap().waiting, 0);
    sync(&laptop.app);
    for id in [&dana, &later] {
        assert!(laptop.app.client(id).is_ok());
    }
    assert_eq!(laptop.app.client(&saule).unwrap().client.address.as_deref(), Some("Абай көшесі, 12"));
    std::thread::sleep(std::time::Duration::from_millis(5));
    laptop.app.update_client(&saule, &client_input("Нұрланова")).unwrap();
    sync(&laptop.app);
    sync(&desk.app);
    assert_eq!(
        desk.app.client(&saule).unwrap().client.family_name,
        "Нұрланова",
        "a later edit elsewhere wins over the edit made under the wrong clock"
    );
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
}

/// A stand-in on the server's address: it answers status truthfully enough and
/// every other request with `answer` (a whole HTTP response, which may be cut
/// short), until it is dropped. It counts the pulls it answered.
struct StandIn {
    pulls: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StandIn {
    fn start(address: SocketAddr, status: String, answer: Vec<u8>) -> StandIn {
        let listener = TcpListener::bind(address).expect("the server's address is free");
        listener.set_nonblocking(true).unwrap();
        let (pulls, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        let (pulled, stopped) = (pulls.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                let mut stream = match listener.accept() {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                        continue;
                    }
                };
                stream.set_nonblocking(false).unwrap();
                stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_lowercase();
                let length = head
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .and_then(|value| value.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                let mut body = vec![0u8; length];
                let _ = stream.read_exact(&mut body);
                let reply = if head.starts_with("get /v1/status") {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                         connection: close\r\n\r\n",
                        status.len()
                    );
                    [head.as_bytes(), status.as_bytes()].concat()
                } else {
                    if head.starts_with("post /v1/pull") {
                        pulled.fetch_add(1, Ordering::SeqCst);
                    }
                    answer.clone()
                };
                let _ = stream.write_all(&reply);
                let _ = stream.shutdown(Shutdown::Both);
            }
        });
        StandIn { pulls, stop, thread: Some(thread) }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[test]
fn garbage_or_a_body_cut_midway_is_refused_in_words_and_nothing_is_half_applied() {
    use tirek_protocol::{Cursor, PullResponse, SUPPORTED, ScopeSummary, StatusResponse, WireChange, WireValue};

    let mut server = TestServer::plain();
    let desk = computer();
    let laptop = computer();
    desk.app.allow_insecure_dev_sync(true);
    laptop.app.allow_insecure_dev_sync(true);
    let desk_device = server.enrol(&desk.app);
    server.enrol(&laptop.app);
    let clients: Vec<String> = (0..3).map(|n| new_client(&laptop.app, &format!("Сәрсенова{n}"), true)).collect();
    sync(&laptop.app);

    // What the real server says of the desk, for the stand-in to repeat.
    let epoch: String = server.runtime.block_on(async {
        sqlx::query_scalar("SELECT epoch::text FROM server_epoch").fetch_one(&server.pool).await.unwrap()
    });
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let status = StatusResponse {
        epoch: epoch.clone(),
        device_id: desk_device,
        acknowledged: 0,
        scope: ScopeSummary::default(),
        server_time_ms: now,
        supported: SUPPORTED,
        audit: None,
        bundle_key: None,
        read_only: Vec::new(),
        removals: Vec::new(),
        user_devices: Vec::new(),
    };
    let status = serde_json::to_string(&status).unwrap();
    let change = WireChange {
        device_id: "device-x".to_owned(),
        seq: 1,
        hlc: (now as u64) << 16,
        entity: "client".to_owned(),
        record_id: "x1".to_owned(),
        base_revision: 0,
        author: "p".to_owned(),
        fields: [("family_name".to_owned(), (WireValue::Null, WireValue::Text("Жартылай".to_owned())))]
            .into_iter()
            .collect(),
    };
    let page = PullResponse { epoch, changes: vec![change; 1], cursor: Cursor { txid: 900, id: 9 }, more: false };
    let page = serde_json::to_string(&page).unwrap();
    let garbage =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 26\r\n\r\n<html>gateway error</html>"
            .to_vec();
    let cut = [
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", page.len())
            .as_bytes(),
        &page.as_bytes()[..page.len() / 2],
    ]
    .concat();

    server.stop();
    let before = held(&desk.app);
    for answer in [garbage, cut] {
        let stand_in = StandIn::start(server.address, status.clone(), answer);
        let (error, app_error) = sync_error(desk.app.sync_now());
        assert_eq!(error, SyncError::Garbage);
        let texts = translated(&app_error);
        assert!(texts[2].contains("cut off or unreadable"), "{}", texts[2]);
        assert_eq!(stand_in.pulls.load(Ordering::SeqCst), 1, "the answer to a pull was the bad one");
        drop(stand_in);
        assert_eq!(held(&desk.app), before, "nothing of the answer was applied");
    }

    server.restart(None);
    let summary = sync(&desk.app);
    assert!(summary.pulled > 0, "{summary:?}");
    for id in &clients {
        assert!(desk.app.client(id).is_ok());
    }
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
}

#[test]
fn a_disk_full_while_applying_a_page_applies_none_of_it_and_the_next_sync_converges() {
    let server = TestServer::plain();
    let desk = computer();
    let laptop = computer();
    desk.app.allow_insecure_dev_sync(true);
    laptop.app.allow_insecure_dev_sync(true);
    server.enrol(&desk.app);
    server.enrol(&laptop.app);
    let clients: Vec<String> = (0..40)
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

    // The laptop's disk has no room for another page of its database.
    laptop.app.limit_profile_growth_for_tests(Some(0)).unwrap();
    let before = held(&laptop.app);
    let error = laptop.app.sync_now().expect_err("the disk is full");
    assert!(
        matches!(&error, AppError::Store(tirek_store::StoreError::DiskFull { .. })),
        "expected a full disk, got {error:?}"
    );
    let texts = translated(&error);
    assert!(texts[2].contains("disk is full"), "{}", texts[2]);
    assert_ne!(texts[0], texts[1]);
    assert_eq!(held(&laptop.app), before, "the page was not half-applied");
    assert!(clients.iter().all(|id| laptop.app.client(id).is_err()));

    // Space comes back: the next sync pulls the same page from the same cursor.
    laptop.app.limit_profile_growth_for_tests(None).unwrap();
    let summary = sync(&laptop.app);
    assert_eq!(summary.pulled, pushed, "nothing was skipped: {summary:?}");
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());
}

#[test]
fn a_server_that_turns_a_busy_computer_away_is_shown_as_busy_and_nothing_is_lost() {
    let mut server = TestServer::plain();
    let desk = computer();
    desk.app.allow_insecure_dev_sync(true);
    server.enrol(&desk.app);
    let client = new_client(&desk.app, "Сәрсенова", true);

    // The server allows this computer two requests, then one a minute: a sync
    // (status, push, pull, status) runs out midway.
    server.config.device_requests_per_minute = 1;
    server.config.device_burst = 2;
    server.restart(None);
    let (error, app_error) = sync_error(desk.app.sync_now());
    assert_eq!(error, SyncError::ServerBusy);
    assert_eq!(app_error.kind(), tirek_app::ErrorKind::Offline);
    let texts = translated(&app_error);
    assert!(texts[2].contains("busy"), "{}", texts[2]);
    assert_ne!(texts[0], texts[1]);
    assert!(desk.app.client(&client).is_ok());

    server.config.device_requests_per_minute = Config::default().device_requests_per_minute;
    server.config.device_burst = Config::default().device_burst;
    server.restart(None);
    sync(&desk.app);
    assert_eq!(desk.app.sync_status().unwrap().waiting, 0, "everything went at the next sync");
}
