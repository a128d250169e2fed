//! The safe cursor under load: many devices pushing at once while one transaction
//! that inserted a change early is held open, and a device pulling all the while.
//! PostgreSQL hands out `changes.id` before commit, so the held row has a smaller
//! id than rows that commit long before it. The server's cursor (see
//! `tirek_server::pull`) must deliver it once, after it commits; a cursor that
//! trusts the highest id seen — run here beside it, as the naive query — skips it.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use tirek_protocol::Cursor;
use tirek_server::rules::Role;
use tirek_test_postgres::Cluster;

use crate::common::{TestDevice, TestServer, now_hlc};

const PUSHERS: usize = 8;
const ROUNDS: usize = 10;
const BATCH: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_that_commits_late_is_pulled_once_and_never_skipped() {
    // A cluster of its own: an open transaction holds back the snapshot xmin of the
    // whole cluster, so it would stall the pulls of tests sharing one.
    let cluster = Cluster::start().expect("a private cluster");
    let server = Arc::new(TestServer::start_with(&cluster, |config| config.database_max_connections = 24).await);
    let user = server.user("aliya", Role::Psychologist).await;
    let slow_device = server.device(user, "slow").await;
    let puller = server.device(user, "puller").await;
    let mut pushers: Vec<TestDevice> = Vec::new();
    for i in 0..PUSHERS {
        pushers.push(server.device(user, &format!("pusher-{i}")).await);
    }

    // Before the slow transaction: one batch, which every cursor must deliver.
    let early: Vec<_> = (0..BATCH).map(|n| pushers[0].new_client(&format!("early-{n}"))).collect();
    server.push(&pushers[0], &early).await.expect("stored");

    // The slow transaction inserts its change first — taking the smallest id of what
    // follows — and then waits, as a push would behind a lock or a stalled disk.
    let mut slow = server.pool.begin().await.expect("begins");
    let slow_id: i64 = sqlx::query_scalar(
        "INSERT INTO changes (device_id, device_seq, entity, record_id, client_id, owner_id, base_revision, hlc,
                              author, fields, digest)
         VALUES ($1, 1, 'client', 'slow', 'slow', $2, 0, $3, $4, '{}', 0) RETURNING id",
    )
    .bind(&slow_device.id)
    .bind(user)
    .bind(now_hlc() as i64)
    .bind(&slow_device.author)
    .fetch_one(&mut *slow)
    .await
    .expect("inserts");

    // Pullers poll while the pushers push: the server's pull, and the naive query.
    let committed = Arc::new(AtomicBool::new(false));
    let safe = tokio::spawn(safe_puller(server.clone(), puller.clone(), committed.clone()));
    let naive_last = Arc::new(AtomicI64::new(0));
    let naive = tokio::spawn(naive_puller(server.clone(), committed.clone(), naive_last.clone()));
    let mut pushing = Vec::new();
    for (i, mut device) in pushers.into_iter().enumerate() {
        let server = server.clone();
        pushing.push(tokio::spawn(async move {
            for round in 0..ROUNDS {
                let batch: Vec<_> = (0..BATCH).map(|n| device.new_client(&format!("p{i}-{round}-{n}"))).collect();
                let answer = server.push(&device, &batch).await.expect("stored");
                assert_eq!(answer.stored as usize, BATCH);
            }
        }));
    }
    for pusher in pushing {
        pusher.await.expect("a pusher finished");
    }
    let pushed_meanwhile = PUSHERS * ROUNDS * BATCH;
    // Let the pullers catch up with everything committed so far: the naive one
    // must have read past the slow row's id (however slow the machine is).
    while naive_last.load(Ordering::SeqCst) <= slow_id {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    slow.commit().await.expect("the slow transaction commits, last");
    committed.store(true, Ordering::SeqCst);

    let (safe_before, safe_all) = safe.await.expect("the safe puller");
    let naive_seen = naive.await.expect("the naive puller");

    let total = BATCH + pushed_meanwhile + 1;
    let unique: HashSet<&(String, i64)> = safe_all.iter().collect();
    assert_eq!(unique.len(), safe_all.len(), "no change is pulled twice");
    assert_eq!(safe_all.len(), total, "every change is pulled");
    assert!(unique.contains(&(slow_device.id.clone(), 1)), "including the one that committed late");
    assert_eq!(safe_before, BATCH, "while the slow transaction was open, the server held back everything after it");

    // The naive cursor read past the slow row's id while it was uncommitted, and so
    // never saw it. (Under this load it usually loses more: the pushes themselves
    // commit out of id order.)
    assert!(naive_seen.iter().any(|id| *id > slow_id), "it read past the slow row's id before it committed");
    assert!(!naive_seen.contains(&slow_id), "and so it lost the row that committed late");
    assert!(naive_seen.len() < total, "the naive cursor missed {} of {total} changes", total - naive_seen.len());
}

/// Pulls through the server, from the start, until the slow transaction has
/// committed and nothing more is ready. Returns how many changes it had pulled
/// before the commit, and every (device, seq) pulled.
async fn safe_puller(
    server: Arc<TestServer>,
    device: TestDevice,
    committed: Arc<AtomicBool>,
) -> (usize, Vec<(String, i64)>) {
    let mut cursor = Cursor::START;
    let mut pulled = Vec::new();
    let mut before_commit = 0;
    loop {
        let done = committed.load(Ordering::SeqCst);
        if !done {
            before_commit = pulled.len();
        }
        let page = server.pull(&device, cursor, Some(50)).await.expect("pulls");
        pulled.extend(page.changes.iter().map(|c| (c.device_id.clone(), c.seq)));
        cursor = page.cursor;
        if done && !page.more {
            return (before_commit, pulled);
        }
        if !page.more {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// The cursor this design replaces: "after the highest id I saw".
async fn naive_puller(server: Arc<TestServer>, committed: Arc<AtomicBool>, last_seen: Arc<AtomicI64>) -> Vec<i64> {
    let mut last = 0i64;
    let mut seen = Vec::new();
    loop {
        let done = committed.load(Ordering::SeqCst);
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM changes WHERE id > $1 ORDER BY id")
            .bind(last)
            .fetch_all(&server.pool)
            .await
            .expect("reads");
        if let Some(max) = ids.last() {
            last = *max;
            last_seen.store(last, Ordering::SeqCst);
        }
        seen.extend(ids);
        if done {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
