//! Sync against the real `tirek-server` on a private PostgreSQL: two computers of one
//! psychologist enrol, edit, sync and converge — the same tables, the same review
//! marks, an erasure on one removes the client on the other — a batch re-sent after
//! a lost answer is stored once, a sync cut midway loses nothing, a client without
//! consent stays on the computer, and a wrong code, a revoked device, another
//! server's certificate and a server that is gone each give a translated error.

mod common;

use common::{TestServer, client_input, computer, new_client, sync, sync_error, today, translated};
use tirek_app::{ConsentInput, EnrolInput, SyncError};
use tirek_faults::FaultProxy;

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
    assert_eq!(desk.app.sync_status().unwrap().waiting_for_consent, 2);
    sync(&laptop.app);
    assert!(laptop.app.client(&shared).is_ok(), "a later client was not held back");
    assert!(laptop.app.client(&private).is_err(), "the client without consent never left");

    // Consent given: everything about the client goes, in its own order.
    let consent = ConsentInput {
        scope: "server".into(),
        given_by: "client".into(),
        method: "signed_paper".into(),
        given_on: today(),
        ..ConsentInput::default()
    };
    desk.app.give_consent(&private, &consent).unwrap();
    let later = sync(&desk.app);
    assert_eq!(later.waiting_for_consent, 0);
    assert!(later.refused.is_empty(), "{later:?}");
    sync(&laptop.app);
    assert_eq!(laptop.app.client(&private).unwrap().client.family_name, "Құпия");
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

    // The server shows a certificate that is not the one pinned.
    let stranger = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let input = EnrolInput { code: server.code(), certificate_pem: Some(stranger.cert.pem()), ..input };
    let (error, app_error) = sync_error(desk.app.sync_enrol(&input));
    assert_eq!(error, SyncError::CertificateMismatch);
    translated(&app_error);

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
