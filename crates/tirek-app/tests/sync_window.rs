//! Sync as the window uses it, against the real server on a private PostgreSQL: the
//! certificate shown before enrolling is the CA `tirek-server init` made; the status
//! names what waits and why, each client says whether the server has it; the
//! background sync runs after unlock and after a save, says in words when the
//! server is gone and when it tries again; a conflict is settled side by side on one
//! computer and the settlement reaches the other; pausing is kept; disconnecting
//! keeps every record.

mod common;

use std::time::{Duration, Instant};

use common::{PASSWORD, TestServer, client_input, computer, new_client, sync, translated};
use tirek_app::{AppError, EnrolInput, RecordSync, SyncError};

/// Runs the background sync's steps until `done` holds (or fails after `limit`).
fn background_until(app: &tirek_app::App, limit: Duration, done: impl Fn(&tirek_app::App) -> bool) {
    let start = Instant::now();
    while !done(app) {
        assert!(start.elapsed() < limit, "the background sync did not get there: {:?}", app.sync_status());
        app.sync_in_background();
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_certificate_shown_before_enrolling_is_the_organisations_and_enrolling_pins_it() {
    let server = TestServer::tls();
    let desk = computer();
    let shown = desk.app.sync_probe(&format!("{}/", server.base)).unwrap();
    assert_eq!(shown.server, server.base);
    assert_eq!(shown.sha256, server.ca_sha256, "the fingerprint `tirek-server init` printed");
    let enrolled = desk
        .app
        .sync_enrol(&EnrolInput { server: shown.server.clone(), code: server.code(), certificate_pem: shown.pem })
        .unwrap();
    assert_eq!(enrolled.certificate_sha256, server.ca_sha256);
    new_client(&desk.app, "Сәрсенова", true);
    sync(&desk.app);

    // Nothing listens there: a translated "no connection", not a hang.
    let gone = desk.app.sync_probe("https://127.0.0.1:9").unwrap_err();
    assert!(matches!(gone, AppError::Sync(SyncError::NoConnection)), "{gone:?}");
    assert_eq!(translated(&gone).len(), 3);
    let typo = desk.app.sync_probe("tirek.example.kz").unwrap_err();
    assert!(matches!(typo, AppError::Sync(SyncError::BadServerAddress)), "{typo:?}");
}

#[test]
fn the_status_says_what_waits_and_each_client_whether_the_server_has_it() {
    let server = TestServer::tls();
    let desk = computer();
    let before = desk.app.caseload(&Default::default()).unwrap();
    assert!(before.rows.is_empty());
    let saule = new_client(&desk.app, "Сәрсенова", true);
    let dana = new_client(&desk.app, "Ахметова", false);
    assert_eq!(desk.app.client(&saule).unwrap().sync, RecordSync::NotSyncing, "no server: nothing to say");

    server.enrol(&desk.app);
    let status = desk.app.sync_status().unwrap();
    assert!(status.enrolled && status.waiting > 0 && status.last_sync_ms.is_none(), "{status:?}");
    assert_eq!(status.consent_needed.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Ахметова Әлия"]);
    assert_eq!(
        desk.app.client(&saule).unwrap().sync,
        RecordSync::Waiting,
        "not on the server before the server says so"
    );
    assert_eq!(desk.app.client(&dana).unwrap().sync, RecordSync::ThisComputerOnly);

    sync(&desk.app);
    let status = desk.app.sync_status().unwrap();
    assert_eq!(status.waiting, 0, "{status:?}");
    assert!(status.last_sync_ms.is_some() && status.activity.problem.is_none() && !status.activity.running);
    let detail = desk.app.client(&saule).unwrap();
    assert_eq!(detail.sync, RecordSync::OnServer);
    assert!(detail.waiting_records.is_empty());
    assert_eq!(desk.app.client(&dana).unwrap().sync, RecordSync::ThisComputerOnly, "still no consent");
    let rows = desk.app.caseload(&Default::default()).unwrap().rows;
    let row = |id: &str| rows.iter().find(|row| row.id == id).unwrap().sync;
    assert_eq!((row(&saule), row(&dana)), (RecordSync::OnServer, RecordSync::ThisComputerOnly));

    // An edit waits again until the server acknowledges it, and the page says which record.
    let mut moved = client_input("Сәрсенова");
    moved.address = "Абай көшесі, 12".into();
    desk.app.update_client(&saule, &moved).unwrap();
    let detail = desk.app.client(&saule).unwrap();
    assert_eq!(detail.sync, RecordSync::Waiting);
    assert_eq!(detail.waiting_records, std::slice::from_ref(&saule));
}

#[test]
fn the_background_sync_runs_after_unlock_and_saves_and_says_when_the_server_is_gone() {
    let mut server = TestServer::tls();
    let desk = computer();
    server.enrol(&desk.app);
    new_client(&desk.app, "Сәрсенова", true);
    // After unlock (here: the first step), a sync runs at once.
    let first = desk.app.sync_in_background().expect("a sync runs at the first step").unwrap();
    assert!(first.pushed > 0, "{first:?}");
    assert!(desk.app.sync_in_background().is_none(), "not again at once");

    // A save goes a few seconds later, without anyone asking.
    new_client(&desk.app, "Ахметова", true);
    assert!(desk.app.sync_status().unwrap().waiting > 0);
    background_until(&desk.app, Duration::from_secs(20), |app| app.sync_status().unwrap().waiting == 0);

    // Paused: saves wait, and the pause is kept in the profile across a lock.
    desk.app.sync_set_paused(true).unwrap();
    new_client(&desk.app, "Омарова", true);
    for _ in 0..70 {
        assert!(desk.app.sync_in_background().is_none(), "paused: no sync");
        std::thread::sleep(Duration::from_millis(100));
    }
    let id = desk.app.unlocked_profile().unwrap().id;
    desk.app.lock();
    assert!(desk.app.sync_in_background().is_none(), "locked: no sync");
    desk.app.unlock(&id, PASSWORD).unwrap();
    let status = desk.app.sync_status().unwrap();
    assert!(status.paused && status.waiting > 0, "{status:?}");
    desk.app.sync_set_paused(false).unwrap();
    background_until(&desk.app, Duration::from_secs(20), |app| app.sync_status().unwrap().waiting == 0);

    // The server goes away: the status says so in words, and when the next try is.
    server.stop();
    new_client(&desk.app, "Жақыпова", true);
    desk.app.sync_soon();
    background_until(&desk.app, Duration::from_secs(30), |app| app.sync_status().unwrap().activity.problem.is_some());
    let status = desk.app.sync_status().unwrap();
    let problem = status.activity.problem.clone().unwrap();
    assert_eq!(problem.kind, "no_connection");
    assert!(problem.retrying);
    // In the interface language (Russian until chosen otherwise), never a message id.
    assert!(problem.message.contains("сохранена на этом компьютере"), "{}", problem.message);
    assert!(status.waiting > 0, "nothing is shown as sent");
    let next = status.activity.next_try_ms.expect("a next try");
    assert!(next > problem.at_ms, "the next try is later: {status:?}");
}

#[test]
fn a_conflict_is_settled_side_by_side_and_the_settlement_reaches_the_other_computer() {
    let server = TestServer::tls();
    let desk = computer();
    let laptop = computer();
    server.enrol(&desk.app);
    server.enrol(&laptop.app);
    let saule = new_client(&desk.app, "Сәрсенова", true);
    sync(&desk.app);
    sync(&laptop.app);

    desk.app.update_client(&saule, &client_input("Нұрланова")).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    laptop.app.update_client(&saule, &client_input("Нурланова")).unwrap();
    sync(&desk.app);
    sync(&laptop.app);
    sync(&desk.app);

    let status = desk.app.sync_status().unwrap();
    let review = &status.reviews[0];
    assert_eq!(review.client.as_ref().map(|c| c.id.as_str()), Some(saule.as_str()));
    assert_eq!((review.later.as_deref(), review.earlier.as_deref()), (Some("Нурланова"), Some("Нұрланова")));
    assert!(review.earlier_by.this_computer && review.earlier_by.by_me, "{review:?}");
    assert!(!review.later_by.this_computer, "the laptop wrote the later one: {review:?}");
    assert!(review.later_by.by_me, "her own laptop (the server says it is hers), not a colleague: {review:?}");
    assert!(review.later_by.at_ms >= review.earlier_by.at_ms);

    // A value that is neither version is refused.
    let odd = desk.app.settle_review("client", &saule, "family_name", Some("Басқа")).unwrap_err();
    assert!(matches!(odd, AppError::Sync(SyncError::ReviewSettled)), "{odd:?}");

    // The desk takes its own (earlier) version; the choice is a change that syncs.
    let after = desk.app.settle_review("client", &saule, "family_name", Some("Нұрланова")).unwrap();
    assert!(after.reviews.is_empty(), "{after:?}");
    assert_eq!(desk.app.client(&saule).unwrap().client.family_name, "Нұрланова");
    assert!(after.waiting > 0);
    sync(&desk.app);
    sync(&laptop.app);
    let laptop_status = laptop.app.sync_status().unwrap();
    assert!(laptop_status.reviews.is_empty(), "settled on the other computer too: {laptop_status:?}");
    assert_eq!(laptop.app.client(&saule).unwrap().client.family_name, "Нұрланова");
    assert_eq!(desk.app.sync_dump().unwrap(), laptop.app.sync_dump().unwrap());

    // Settling again says it is done.
    let again = laptop.app.settle_review("client", &saule, "family_name", Some("Нұрланова")).unwrap_err();
    assert!(matches!(again, AppError::Sync(SyncError::ReviewSettled)));
    assert_eq!(translated(&again).len(), 3);
}

#[test]
fn disconnecting_keeps_every_record_and_stops_sync_until_a_new_code_connects_it_again() {
    let server = TestServer::tls();
    let desk = computer();
    let device = server.enrol(&desk.app);
    let saule = new_client(&desk.app, "Сәрсенова", true);
    sync(&desk.app);
    new_client(&desk.app, "Ахметова", true);
    desk.app.sync_unenrol().unwrap();
    let status = desk.app.sync_status().unwrap();
    assert!(!status.enrolled, "{status:?}");
    assert_eq!(desk.app.caseload(&Default::default()).unwrap().total, 2, "every record stays");
    assert_eq!(desk.app.client(&saule).unwrap().sync, RecordSync::NotSyncing);
    assert!(desk.app.sync_in_background().is_none());
    let not_enrolled = desk.app.sync_now().unwrap_err();
    assert!(matches!(not_enrolled, AppError::Sync(SyncError::NotEnrolled)));
    assert!(matches!(desk.app.sync_unenrol().unwrap_err(), AppError::Sync(SyncError::NotEnrolled)));

    // Connected again with a new code (the dialog's promise): the client written
    // before and the one written while disconnected reach the server, numbered
    // after what it holds, each once.
    let stored = server.stored(&device);
    let aliya = new_client(&desk.app, "Нұрланова", true);
    server.enrol(&desk.app);
    let again = sync(&desk.app);
    assert!(again.refused.is_empty(), "{again:?}");
    assert_eq!(again.pulled, 0, "nothing of its own comes back");
    assert!(server.stored(&device) > stored);
    assert!(server.stored_changes().iter().all(|(_, _, copies)| *copies == 1));
    assert_eq!(desk.app.sync_status().unwrap().waiting, 0);
    assert_eq!(desk.app.client(&aliya).unwrap().sync, RecordSync::OnServer);
    let laptop = computer();
    server.enrol(&laptop.app);
    sync(&laptop.app);
    assert_eq!(laptop.app.caseload(&Default::default()).unwrap().total, 3, "all three on the server");
}
