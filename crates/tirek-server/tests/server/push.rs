//! Push: idempotence, the high-water mark, per-change refusals, batch limits.

use std::io::Write;

use tirek_protocol::{PROTOCOL_HEADER, ProblemKind, PushRequest, PushResponse, RefusalKind, WireValue};
use tirek_server::rules::Role;
use tirek_test_postgres::Cluster;

use crate::common::{TestServer, read, text};

#[tokio::test]
async fn a_batch_sent_twice_is_stored_once() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    let batch = vec![device.new_client("c1"), device.new_client("c2"), device.new_client("c3")];

    let first = server.push(&device, &batch).await.expect("stored");
    assert_eq!((first.acknowledged, first.stored, first.duplicates), (3, 3, 0));
    // The answer was lost; the device sends the same batch again.
    let again = server.push(&device, &batch).await.expect("answered again");
    assert_eq!((again.acknowledged, again.stored, again.duplicates), (3, 0, 3));
    assert_eq!(server.stored().await, 3);

    // A retry overlapping the mark: the old part is skipped, the new part stored.
    let mut overlapping = batch[1..].to_vec();
    overlapping.push(device.new_client("c4"));
    let overlap = server.push(&device, &overlapping).await.expect("stored");
    assert_eq!((overlap.acknowledged, overlap.stored, overlap.duplicates), (4, 1, 2));
    assert_eq!(server.stored().await, 4);
    assert_eq!(server.status(&device).await.expect("status").acknowledged, 4);
}

#[tokio::test]
async fn refused_changes_get_a_reason_and_the_rest_of_the_batch_goes_through() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    let batch = vec![
        device.new_client("c1"),
        device.change("patient", "p1", 0, &[("name", text("x"))]),
        device.change("client", "c2", 0, &[("family_name", text(&"Ә".repeat(101)))]),
        device.change("child", "k1", 0, &[("client_id", text("c1")), ("name", text("Айгерім"))]),
        device.change("client", "c1", 1, &[("nickname", text("x"))]),
    ];
    let answer = server.push(&device, &batch).await.expect("answered");
    assert_eq!((answer.acknowledged, answer.stored), (5, 2), "refused changes are acknowledged too");
    let reasons: Vec<(i64, RefusalKind, Option<&str>)> =
        answer.refused.iter().map(|r| (r.seq, r.kind, r.field.as_deref())).collect();
    assert_eq!(
        reasons,
        [
            (2, RefusalKind::UnknownEntity, None),
            (3, RefusalKind::TooLong, Some("family_name")),
            (5, RefusalKind::UnknownField, Some("nickname")),
        ]
    );
    assert!(answer.refused.iter().all(|r| !r.detail.contains('Ә')), "a refusal never quotes the value");
    assert_eq!(server.stored().await, 2);
    let again = server.push(&device, &batch).await.expect("answered again");
    assert_eq!(again.refused, answer.refused, "a batch sent again gets the same refusals");
}

#[tokio::test]
async fn records_stay_in_their_caseload_and_signed_ones_stay_final() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let dana = server.user("dana", Role::Psychologist).await;
    let mut hers = server.device(aliya, "aliyas-pc").await;
    let mut danas = server.device(dana, "danas-pc").await;
    let batch = [hers.new_client("c1")];

    server.push(&hers, &batch).await.expect("stored");

    let intrusions = [
        danas.change("child", "k1", 0, &[("client_id", text("c1"))]),
        danas.change("client", "c1", 1, &[("phone", text("+77011234567"))]),
    ];
    let answer = server.push(&danas, &intrusions).await.expect("answered");
    let kinds: Vec<RefusalKind> = answer.refused.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RefusalKind::OutOfScope, RefusalKind::OutOfScope]);

    let signing = [
        hers.change("consultation", "s1", 0, &[("notes", text("…"))]),
        hers.change("consultation", "s1", 1, &[("signed_at", WireValue::Integer(1_750_000_000_000))]),
        hers.change("consultation", "s1", 2, &[("notes", text("changed after signing"))]),
        hers.change("addendum", "a1", 0, &[("consultation_id", text("s1")), ("text", text("correction"))]),
    ];
    let answer = server.push(&hers, &signing).await.expect("answered");
    assert_eq!(answer.stored, 3);
    assert_eq!(answer.refused.iter().map(|r| (r.seq, r.kind)).collect::<Vec<_>>(), [(4, RefusalKind::RecordFinal)]);

    let supervisor = server.user("saule", Role::Supervisor).await;
    let mut reviewer = server.device(supervisor, "saules-laptop").await;
    let batch = [reviewer.new_client("c9")];

    let answer = server.push(&reviewer, &batch).await.expect("answered");
    assert_eq!(answer.refused[0].kind, RefusalKind::NotPermitted, "supervisors write reviews only");
}

#[tokio::test]
async fn a_change_of_another_device_or_author_is_refused() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    let mut forged = device.new_client("c1");
    forged.device_id = "device-elsewhere".to_owned();
    let mut ghost = device.new_client("c2");
    ghost.author = "profile-someone-else".to_owned();
    let answer = server.push(&device, &[forged, ghost]).await.expect("answered");
    let kinds: Vec<RefusalKind> = answer.refused.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RefusalKind::WrongDevice, RefusalKind::NotAuthor]);
}

#[tokio::test]
async fn a_gap_in_the_sequence_is_refused_with_the_mark_to_resume_from() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    let batch = [device.new_client("c1"), device.new_client("c2")];

    server.push(&device, &batch).await.expect("stored");
    device.next_seq = 5;
    let batch = [device.new_client("c5")];

    let (status, problem) = server.push(&device, &batch).await.expect_err("a gap");
    assert_eq!((status, problem.kind, problem.acknowledged), (409, ProblemKind::SequenceGap, Some(2)));
    assert_eq!(server.stored().await, 2, "nothing of a refused batch is stored");
}

#[tokio::test]
async fn batches_over_the_limits_and_clocks_far_ahead_are_refused_whole() {
    let server = TestServer::start_with(Cluster::shared(), |config| {
        config.max_batch_changes = 3;
        config.max_body_bytes = 64 * 1024;
    })
    .await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;

    let four: Vec<_> = (0..4).map(|i| device.new_client(&format!("c{i}"))).collect();
    let (status, problem) = server.push(&device, &four).await.expect_err("too many");
    assert_eq!((status, problem.kind, problem.max_changes), (413, ProblemKind::BatchTooLarge, Some(3)));

    device.next_seq = 1;
    let huge = device.change("consultation", "x", 0, &[("notes", text(&"a".repeat(100 * 1024)))]);
    let (status, problem) = server.push(&device, &[huge]).await.expect_err("too many bytes");
    assert_eq!((status, problem.kind), (413, ProblemKind::BatchTooLarge));

    device.next_seq = 1;
    let mut ahead = device.new_client("c1");
    ahead.hlc += (3_600_000u64) << 16;
    let (status, problem) = server.push(&device, &[ahead]).await.expect_err("clock ahead");
    assert_eq!((status, problem.kind), (422, ProblemKind::ClockSkew));
    assert!(problem.server_time_ms.is_some_and(|ms| ms > 1_700_000_000_000));
    assert_eq!(server.stored().await, 0);
}

#[tokio::test]
async fn a_gzip_compressed_batch_is_read() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    let request = PushRequest { changes: (0..50).map(|i| device.new_client(&format!("c{i}"))).collect(), audit: None };
    let json = serde_json::to_vec(&request).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&json).unwrap();
    let compressed = encoder.finish().unwrap();
    assert!(compressed.len() * 4 < json.len(), "change records compress well: {} → {}", json.len(), compressed.len());
    let response = server
        .http
        .post(format!("{}/v1/push", server.base))
        .header(PROTOCOL_HEADER, "1")
        .header("content-encoding", "gzip")
        .header("content-type", "application/json")
        .bearer_auth(&device.token)
        .body(compressed)
        .send()
        .await
        .unwrap();
    let answer: PushResponse = read(response).await.expect("stored");
    assert_eq!((answer.acknowledged, answer.stored), (50, 50));
}

#[tokio::test]
async fn an_erasure_blanks_the_history_on_the_server_and_keeps_the_tombstones() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    let batch = [
        device.new_client("c1"),
        device.change("child", "k1", 0, &[("client_id", text("c1")), ("name", text("Айгерім"))]),
        device.change("child", "k1", 1, &[("_erased", WireValue::Integer(1))]),
        device.change("client", "c1", 1, &[("_erased", WireValue::Integer(1))]),
    ];
    let answer = server.push(&device, &batch).await.expect("stored");
    assert_eq!(answer.stored, 4, "{:?}", answer.refused);
    let fields: Vec<String> =
        sqlx::query_scalar("SELECT fields::text FROM changes ORDER BY id").fetch_all(&server.pool).await.unwrap();
    assert_eq!(fields, ["{}", "{}", r#"{"_erased": [null, 1]}"#, r#"{"_erased": [null, 1]}"#]);
}

#[tokio::test]
async fn a_second_history_under_one_devices_name_is_refused_not_dropped() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    let first = vec![device.new_client("c1"), device.new_client("c2")];
    server.push(&device, &first).await.expect("stored");

    // The profile is restored from a backup taken after c1: its next change takes
    // number 2 again, for another record.
    device.next_seq = 2;
    let other = vec![device.new_client("c9"), device.new_client("c10")];
    let (status, problem) = server.push(&device, &other).await.expect_err("refused");
    assert_eq!((status, problem.kind), (409, ProblemKind::DeviceDiverged));
    assert_eq!(server.stored().await, 2, "nothing of the second history is stored");
    assert_eq!(server.status(&device).await.expect("status").acknowledged, 2);

    // The same batch as before is still answered as a repeat: a lost answer is not
    // a divergence.
    let again = server.push(&device, &first).await.expect("a repeat");
    assert_eq!((again.stored, again.duplicates), (0, 2));
}

#[tokio::test]
async fn the_server_keeps_the_furthest_audit_head_it_has_seen() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    let head = |id: i64, byte: &str| tirek_protocol::AuditHead { id, hash: byte.repeat(64) };
    let push = |device: &crate::common::TestDevice, changes: Vec<tirek_protocol::WireChange>, audit| {
        let request = PushRequest { changes, audit };
        let (server, device) = (&server, device.clone());
        async move { server.call::<_, PushResponse>("POST", "/v1/push", Some(&device), Some(&request)).await }
    };
    assert_eq!(server.status(&device).await.expect("status").audit, None, "nothing seen yet");
    let change = device.new_client("c1");
    push(&device, vec![change], Some(head(40, "a"))).await.expect("stored");
    assert_eq!(server.status(&device).await.expect("status").audit, Some(head(40, "a")));

    // A trail cut back to row 12 does not move the witness back.
    let change = device.new_client("c2");
    push(&device, vec![change], Some(head(12, "b"))).await.expect("stored");
    assert_eq!(server.status(&device).await.expect("status").audit, Some(head(40, "a")));
    push(&device, vec![], Some(head(41, "c"))).await.expect("an empty batch carries the head too");
    assert_eq!(server.status(&device).await.expect("status").audit, Some(head(41, "c")));

    let (status, problem) = push(&device, vec![], Some(head(42, "Z"))).await.expect_err("not a hash");
    assert_eq!((status, problem.kind), (400, ProblemKind::MalformedRequest));
}

#[tokio::test]
async fn a_letter_series_belongs_to_the_first_device_that_numbers_a_letter_in_it() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut desk = server.device(user, "desk").await;
    let mut laptop = server.device(user, "laptop").await;
    let letter = |device: &mut crate::common::TestDevice, id: &str, number: &str| {
        vec![
            device.new_client(&format!("client-{id}")),
            device.change("referral", id, 0, &[("client_id", text(&format!("client-{id}"))), ("number", text(number))]),
        ]
    };
    let r1 = letter(&mut desk, "r1", "СЕ-4821-9375/0001");
    let first = server.push(&desk, &r1).await.expect("stored");
    assert!(first.refused.is_empty(), "{first:?}");
    let r2 = letter(&mut desk, "r2", "СЕ-4821-9375/0002");
    let again = server.push(&desk, &r2).await.expect("stored");
    assert!(again.refused.is_empty(), "the owner goes on numbering in it: {again:?}");

    // The laptop drew the same series by chance: its letter is refused, the rest of
    // its batch (the client) goes through.
    let r3 = letter(&mut laptop, "r3", "ПК-4821-9375/0001");
    let clash = server.push(&laptop, &r3).await.expect("answered");
    let reasons: Vec<_> = clash.refused.iter().map(|r| (r.seq, r.kind, r.field.as_deref())).collect();
    assert_eq!(reasons, [(2, RefusalKind::SeriesTaken, Some("number"))]);
    assert_eq!(clash.stored, 1);
    let r4 = letter(&mut laptop, "r4", "СЕ-1111-2222/0001");
    let other = server.push(&laptop, &r4).await.expect("stored");
    assert!(other.refused.is_empty(), "a new series is its own: {other:?}");
}
