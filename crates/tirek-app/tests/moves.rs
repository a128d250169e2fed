//! A client moved to another psychologist, or shared between two, through the real
//! `tirek-server` on a private PostgreSQL and real SQLCipher profiles: the new
//! owner's computer receives the client's whole history at its next ordinary sync
//! (no repair), the former owner keeps it read-only — shown so, her writes refused
//! with a translated message — or loses it (nothing clinical left, the audit trail
//! names the removal), and two psychologists sharing a client both write it and see
//! each other's changes, concurrent edits marked for review.

mod common;

use common::{TestServer, client_input, computer, named_computer, new_client, signed_consent, sync, today, translated};
use tirek_app::{
    App, AppError, AssessmentInput, CaseloadQuery, ClinicInput, ConsultationInput, ErrorKind, ReferralInput,
    ReferralQuery, ServiceInput, Signatory,
};
use tirek_domain::audit::AuditEvent;
use tirek_server::access::{self, AccessRequest, FormerOwner};
use tirek_server::rules::Role;

/// The administrator's move or share, then a wait until it can be pulled: a move
/// stamps the client's changes with its own transaction, which the pull order
/// shows once no older transaction runs anywhere in the cluster (the tests of this
/// binary share one, and another's open transaction would hold it back a moment:
/// the device would only see it at its next sync).
fn change_access(server: &TestServer, request: AccessRequest<'_>) {
    server.runtime.block_on(access::change_access(&server.pool, request, None)).expect("the administrator's change");
    server.settle();
}

fn draft(notes: &str) -> ConsultationInput {
    ConsultationInput {
        format: "individual".into(),
        held_on: today(),
        duration_minutes: "50".into(),
        concerns: "Ұйқысы нашар".into(),
        notes: notes.into(),
        ..ConsultationInput::default()
    }
}

/// A client's year with Aigul: consents to central storage and to referral, a
/// signed consultation with an addendum, a PHQ-9 and an issued referral letter.
fn a_year_of_work(app: &App, family: &str) -> String {
    app.set_clinic(&ClinicInput {
        name: "Сайрам аудандық емханасы".into(),
        bin: "040140001236".into(),
        address: "Ақсу ауылы, Жібек жолы 12".into(),
        phone: "8 (72531) 2-14-55".into(),
        letter_prefix: "СЕ".into(),
        signatories: vec![Signatory {
            name: "Әбдірахманов Нұрлан".into(), position: "Бас дәрігер".into()
        }],
        has_logo: false,
    })
    .unwrap();
    let client = new_client(app, family, true);
    let consent = signed_consent("referral");
    app.give_consent(&client, &consent).unwrap();
    let consultation = app.start_consultation(std::slice::from_ref(&client), "individual").unwrap();
    app.save_consultation_draft(&consultation, &draft("Түнде оянады")).unwrap();
    app.sign_consultation(&consultation).unwrap();
    app.add_addendum(&consultation, "Анасы қайта хабарласты").unwrap();
    let phq = AssessmentInput {
        instrument: "phq9".into(),
        answers: [2, 2, 1, 1, 2, 1, 1, 0, 0].into_iter().map(Some).collect(),
        language: "ru".into(),
        administered_by: "parent".into(),
        taken_on: today(),
    };
    app.add_assessment(&client, &phq).unwrap();
    let service = app
        .add_service(&ServiceInput {
            name: "Сайрам ауданының уақытша күтім қызметі".into(),
            kind: "respite_care".into(),
            region: "turkistan".into(),
            district: "turkistan.sairam".into(),
            address: "Ақсу ауылы, Бейбітшілік 3".into(),
            phone: "8 725 312 00 03".into(),
            languages: vec!["kk".into()],
            notes: String::new(),
        })
        .unwrap();
    let letter = app.start_referral(&client).unwrap();
    let input = ReferralInput {
        service_id: Some(service),
        reason: "Анасы екі жыл демалмаған".into(),
        service_requested: "Күндізгі күтім аптасына екі рет".into(),
        urgency: "soon".into(),
        ..letter.input.clone()
    };
    app.save_referral_draft(&letter.id, &input).unwrap();
    app.issue_referral(&letter.id).unwrap();
    client
}

/// What a computer shows of a client: its consents, consultations (signed), the
/// questionnaires and letters.
fn seen(app: &App, client: &str) -> (usize, Vec<bool>, usize, Vec<Option<String>>) {
    let detail = app.client(client).unwrap();
    let letters = app.referrals(&ReferralQuery { client_id: Some(client.to_owned()), ..ReferralQuery::default() });
    (
        detail.consents.len(),
        detail.consultations.iter().map(|c| c.signed_at.is_some()).collect(),
        app.assessments(client, None).unwrap().len(),
        letters.unwrap().into_iter().map(|letter| letter.number).collect(),
    )
}

fn row_read_only(app: &App, client: &str) -> Option<bool> {
    let page = app.caseload(&CaseloadQuery::default()).unwrap();
    page.rows.into_iter().find(|row| row.id == client).map(|row| row.read_only)
}

#[test]
fn a_moved_client_arrives_whole_at_the_new_owners_next_sync_and_stays_read_only_for_the_former() {
    let server = TestServer::plain();
    let dana = server.add_user("dana", Role::Psychologist);
    let aigul = computer();
    let danas = named_computer("Дана");
    for app in [&aigul.app, &danas.app] {
        app.allow_insecure_dev_sync(true);
    }
    server.enrol(&aigul.app);
    server.enrol_as(&danas.app, dana, &server.base);
    let client = a_year_of_work(&aigul.app, "Сәрсенова");
    sync(&aigul.app);
    // Dana's computer has synced her own work since: its cursor is past the client's.
    let own = new_client(&danas.app, "Ахметова", true);
    sync(&danas.app);
    let before = seen(&aigul.app, &client);
    assert_eq!(before.0, 3);
    assert_eq!(before.1, [true]);

    change_access(&server, AccessRequest::Move { client: &client, to: dana, former: FormerOwner::KeepsReadOnly });

    let arrived = sync(&danas.app);
    assert!(arrived.in_step && !arrived.repaired, "the whole history at an ordinary sync: {arrived:?}");
    assert!(arrived.pulled > 10, "{arrived:?}");
    assert_eq!(seen(&danas.app, &client), before, "consents, the signed consultation, the PHQ-9, the letter");
    let detail = danas.app.client(&client).unwrap();
    assert!(!detail.client.read_only);
    assert_eq!(detail.client.family_name, "Сәрсенова");
    assert_eq!(row_read_only(&danas.app, &client), Some(false));
    assert!(danas.app.client(&own).is_ok());

    // Aigul keeps it read-only: shown so, and a write is refused in words.
    let kept = sync(&aigul.app);
    assert!(kept.in_step && !kept.repaired && kept.removed == 0, "{kept:?}");
    assert_eq!(aigul.app.sync_status().unwrap().read_only, std::slice::from_ref(&client));
    assert!(aigul.app.client(&client).unwrap().client.read_only);
    assert_eq!(row_read_only(&aigul.app, &client), Some(true));
    assert_eq!(seen(&aigul.app, &client), before, "she still reads what she had");
    let refused = aigul.app.update_client(&client, &client_input("Нұрланова")).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ReadOnly, "{refused:?}");
    for message in translated(&refused) {
        assert!(!message.is_empty());
    }
    let consultation = aigul.app.client(&client).unwrap().consultations[0].id.clone();
    let addendum = aigul.app.add_addendum(&consultation, "Тағы бір ескерту").unwrap_err();
    assert_eq!(addendum.kind(), ErrorKind::ReadOnly);
    assert!(matches!(aigul.app.start_consultation(std::slice::from_ref(&client), ""), Err(AppError::Store(_))));
    assert_eq!(aigul.app.client(&client).unwrap().client.family_name, "Сәрсенова", "nothing was written");
    assert_eq!(aigul.app.sync_status().unwrap().waiting, 0);

    // Dana writes the client; Aigul's computer does not receive it.
    let mut moved = client_input("Сәрсенова");
    moved.address = "Абай көшесі, 12".into();
    danas.app.update_client(&client, &moved).unwrap();
    sync(&danas.app);
    let later = sync(&aigul.app);
    assert_eq!(later.pulled, 0, "{later:?}");
    assert_ne!(aigul.app.client(&client).unwrap().client.address.as_deref(), Some("Абай көшесі, 12"));
}

#[test]
fn a_former_owner_who_loses_the_client_keeps_nothing_of_it_and_her_trail_says_so() {
    let server = TestServer::plain();
    let dana = server.add_user("dana", Role::Psychologist);
    let aigul = computer();
    let laptop = computer();
    let danas = named_computer("Дана");
    for app in [&aigul.app, &laptop.app, &danas.app] {
        app.allow_insecure_dev_sync(true);
    }
    server.enrol(&aigul.app);
    server.enrol(&laptop.app);
    server.enrol_as(&danas.app, dana, &server.base);
    let client = a_year_of_work(&aigul.app, "Сәрсенова");
    let other = new_client(&aigul.app, "Ахметова", true);
    sync(&aigul.app);
    sync(&laptop.app);
    assert!(laptop.app.client(&client).is_ok());

    change_access(&server, AccessRequest::Move { client: &client, to: dana, former: FormerOwner::Loses });
    // Written offline before the move reached this computer: it waits to go.
    let mut edited = client_input("Сәрсенова");
    edited.address = "Төле би көшесі, 7".into();
    aigul.app.update_client(&client, &edited).unwrap();

    for computer in [&aigul, &laptop] {
        let summary = sync(&computer.app);
        assert!(summary.in_step && !summary.repaired, "{summary:?}");
        assert_eq!(summary.removed, 1, "{summary:?}");
        assert!(matches!(computer.app.client(&client), Err(e) if e.kind() == ErrorKind::NotFound));
        assert_eq!(row_read_only(&computer.app, &client), None, "gone from her caseload");
        assert!(computer.app.client(&other).is_ok(), "her other clients stay");
        let dump = computer.app.sync_dump().unwrap();
        let left: Vec<&String> = dump
            .values()
            .flatten()
            .filter(|line| {
                ["Сәрсенова", "Түнде оянады", "Анасы", "Төле би", "СЕ-"].iter().any(|word| line.contains(word))
                    || line.contains(&client)
            })
            .collect();
        assert!(left.is_empty(), "nothing clinical of the client is left: {left:?}");
        let trail = computer.app.audit_trail_for_tests().unwrap();
        let removal: Vec<_> = trail.iter().filter(|entry| entry.event == AuditEvent::ClientRemoved).collect();
        assert_eq!(removal.len(), 1);
        assert_eq!(removal[0].record.as_deref(), Some(client.as_str()), "the trail names the client by id");
        let status = computer.app.sync_status().unwrap();
        assert!(status.read_only.is_empty() && status.waiting == 0, "{status:?}");
        assert!(status.refused.is_empty(), "the refused edit went with the rest: {status:?}");
    }
    // Nothing more to remove at the next sync.
    assert_eq!(sync(&aigul.app).removed, 0);

    // Dana has it all, Aigul's late edit not among it.
    let danas_sync = sync(&danas.app);
    assert!(!danas_sync.repaired);
    assert_ne!(danas.app.client(&client).unwrap().client.address.as_deref(), Some("Төле би көшесі, 7"));

    // Given back to Aigul, her computer receives the history again, its own
    // changes included, without a repair.
    change_access(&server, AccessRequest::Move { client: &client, to: server.user, former: FormerOwner::Loses });
    let back = sync(&aigul.app);
    assert!(back.in_step && !back.repaired, "{back:?}");
    let detail = aigul.app.client(&client).unwrap();
    assert_eq!(detail.consultations.len(), 1);
    assert_eq!(detail.consents.len(), 3);
    assert!(!detail.client.read_only);
}

#[test]
fn two_psychologists_sharing_a_client_both_write_it_and_concurrent_edits_are_marked() {
    let server = TestServer::plain();
    let dana = server.add_user("dana", Role::Psychologist);
    let aigul = computer();
    let danas = named_computer("Дана");
    for app in [&aigul.app, &danas.app] {
        app.allow_insecure_dev_sync(true);
    }
    server.enrol(&aigul.app);
    server.enrol_as(&danas.app, dana, &server.base);
    let client = new_client(&aigul.app, "Сәрсенова", true);
    sync(&aigul.app);
    sync(&danas.app);
    assert!(danas.app.client(&client).is_err(), "not hers yet");

    change_access(&server, AccessRequest::Share { client: &client, with: dana });
    let shared = sync(&danas.app);
    assert!(shared.in_step && !shared.repaired, "{shared:?}");
    assert_eq!(danas.app.client(&client).unwrap().client.family_name, "Сәрсенова");

    // Dana holds a session with the client; Aigul sees it. Both rename the client
    // without seeing each other.
    let session = danas.app.start_consultation(std::slice::from_ref(&client), "individual").unwrap();
    danas.app.save_consultation_draft(&session, &draft("Отбасымен сөйлестік")).unwrap();
    sync(&danas.app);
    sync(&aigul.app);
    let consultations = aigul.app.client(&client).unwrap().consultations;
    assert_eq!(consultations.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [session.as_str()]);
    aigul.app.update_client(&client, &client_input("Нұрланова")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    danas.app.update_client(&client, &client_input("Нурланова")).unwrap();
    sync(&aigul.app);
    let marked = sync(&danas.app);
    assert_eq!(marked.conflicts, 1, "{marked:?}");
    sync(&aigul.app);
    for app in [&aigul.app, &danas.app] {
        assert_eq!(app.client(&client).unwrap().client.family_name, "Нурланова");
        let reviews = app.sync_status().unwrap().reviews;
        assert_eq!(reviews.len(), 1, "{reviews:?}");
        assert_eq!(reviews[0].earlier.as_deref(), Some("Нұрланова"));
    }
    // Each sees the other's version as a colleague's, never as her own.
    let aiguls_view = &aigul.app.sync_status().unwrap().reviews[0];
    assert!(aiguls_view.earlier_by.by_me && !aiguls_view.later_by.by_me, "{aiguls_view:?}");
    let danas_view = &danas.app.sync_status().unwrap().reviews[0];
    assert!(!danas_view.earlier_by.by_me && danas_view.later_by.by_me, "{danas_view:?}");
    // Aigul signs Dana's session; Dana's computer receives the signature.
    aigul.app.sign_consultation(&session).unwrap();
    sync(&aigul.app);
    sync(&danas.app);
    assert!(danas.app.client(&client).unwrap().consultations[0].signed_at.is_some());

    // No longer shared: Dana's computer removes the client at its next sync.
    change_access(&server, AccessRequest::Unshare { client: &client, with: dana });
    let removed = sync(&danas.app);
    assert_eq!(removed.removed, 1, "{removed:?}");
    assert!(danas.app.client(&client).is_err());
}
