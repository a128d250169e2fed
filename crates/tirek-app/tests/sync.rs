//! Sync against the real `tirek-server` on a private PostgreSQL: two computers of one
//! psychologist enrol, edit, sync and converge — the same tables, the same review
//! marks, an erasure on one removes the client on the other — a batch re-sent after
//! a lost answer is stored once, a sync cut midway loses nothing, a client without
//! consent stays on the computer, and a wrong code, a revoked device, another
//! server's certificate and a server that is gone each give a translated error.

mod common;

use common::{TestServer, computer, client_input, new_client, sync, sync_error, today, translated};
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
