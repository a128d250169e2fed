//! Pull and status: pages by cursor, scope, the checksum, epochs.

use tirek_protocol::checksum::{ScopeChecksum, change_digest};
use tirek_protocol::{Cursor, ProblemKind, PullRequest, PullResponse, WireChange};
use tirek_server::admin::NewUser;
use tirek_server::rules::Role;
use tirek_server::{admin, db};

use crate::common::{TestServer, text};

#[tokio::test]
async fn pages_follow_the_cursor_and_a_device_never_gets_its_own_changes() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut clinic_pc = server.device(user, "clinic-pc").await;
    let laptop = server.device(user, "laptop").await;
    let pushed: Vec<WireChange> = (0..5).map(|i| clinic_pc.new_client(&format!("c{i}"))).collect();
    server.push(&clinic_pc, &pushed).await.expect("stored");
    server.settle().await;

    let mut cursor = Cursor::START;
    let mut pages = Vec::new();
    let mut pulled = Vec::new();
    loop {
        let page = server.pull(&laptop, cursor, Some(2)).await.expect("a page");
        pages.push((page.changes.len(), page.more));
        assert!(page.cursor > cursor || page.changes.is_empty(), "the cursor moves forward");
        cursor = page.cursor;
        pulled.extend(page.changes);
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, [(2, true), (2, true), (1, false)]);
    assert_eq!(pulled, pushed, "every change, in order, as pushed");
    let after = server.pull(&laptop, cursor, None).await.expect("an empty page");
    assert!(after.changes.is_empty() && !after.more && after.cursor == cursor);
    assert!(server.pull_all(&clinic_pc).await.is_empty(), "a device's own changes are not sent back");
}

/// The benchmark's first sync of a 10,000-client caseload lost one change: where a
/// page held the last row of transaction 999 and rows of transaction 1000, the page
/// was sorted by the transaction id as text ("1000" < "999"), cut at the limit, and
/// the cursor leapt past the row cut off. Here pushes straddle a power of ten in
/// the cluster's transaction ids and are pulled one per page.
#[tokio::test]
async fn pages_keep_the_servers_order_where_transaction_ids_gain_a_digit() {
    // A cluster of its own: the other tests' transactions would use up the ids
    // between the burning and the pushes.
    let cluster = tirek_test_postgres::Cluster::start().expect("a private PostgreSQL");
    let server = TestServer::start_with(&cluster, |_| {}).await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut clinic_pc = server.device(user, "clinic-pc").await;
    let laptop = server.device(user, "laptop").await;
    sqlx::query("CREATE TABLE burn (n int)").execute(&server.pool).await.expect("a table");
    let mut pushed = Vec::new();
    let mut straddled = false;
    for _ in 0..3 {
        // Use up transaction ids (one per subtransaction that writes) up to a few
        // below the next power of ten, then push one change per transaction.
        let next: i64 = sqlx::query_scalar("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
            .fetch_one(&server.pool)
            .await
            .expect("asks");
        let boundary = 10_i64.pow(next.max(10).ilog10() + 1);
        let burn = format!(
            "DO $$ BEGIN FOR i IN 1..{} LOOP BEGIN INSERT INTO burn VALUES (i); \
             EXCEPTION WHEN others THEN NULL; END; END LOOP; END $$",
            (boundary - next - 12).max(0)
        );
        sqlx::query(sqlx::AssertSqlSafe(burn)).execute(&server.pool).await.expect("burns");
        for i in 0..40 {
            let change = clinic_pc.new_client(&format!("c{}", pushed.len() + i));
            server.push(&clinic_pc, std::slice::from_ref(&change)).await.expect("stored");
            pushed.push(change);
        }
        let digits: Vec<i32> = sqlx::query_scalar("SELECT DISTINCT length(txid::text) FROM changes")
            .fetch_all(&server.pool)
            .await
            .expect("asks");
        if digits.len() > 1 {
            straddled = true;
            break;
        }
    }
    assert!(straddled, "the pushes straddle a power of ten in the transaction ids");
    server.settle().await;

    for limit in [1, 2, 3] {
        let mut cursor = Cursor::START;
        let mut pulled = Vec::new();
        loop {
            let page = server.pull(&laptop, cursor, Some(limit)).await.expect("a page");
            cursor = page.cursor;
            pulled.extend(page.changes);
            if !page.more {
                break;
            }
        }
        let seqs = |changes: &[WireChange]| changes.iter().map(|change| change.seq).collect::<Vec<_>>();
        assert_eq!(seqs(&pulled), seqs(&pushed), "every change, in the server's order, {limit} per page");
        assert_eq!(pulled, pushed);
    }
}

#[tokio::test]
async fn a_supervisor_pulls_her_teams_caseloads_and_an_administrator_nothing() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let dana = server.user("dana", Role::Psychologist).await;
    let mut aliyas = server.device(aliya, "aliyas-pc").await;
    let mut danas = server.device(dana, "danas-pc").await;
    let batch = [aliyas.new_client("a1")];

    server.push(&aliyas, &batch).await.expect("stored");
    let batch = [danas.new_client("d1")];

    server.push(&danas, &batch).await.expect("stored");

    let supervisor = server.user("saule", Role::Supervisor).await;
    let saules = server.device(supervisor, "saules-laptop").await;
    let ids = |changes: Vec<WireChange>| changes.into_iter().map(|c| c.record_id).collect::<Vec<_>>();
    assert_eq!(ids(server.pull_all(&saules).await), ["a1", "d1"]);
    let aliyas_laptop = server.device(aliya, "aliyas-laptop").await;
    assert_eq!(ids(server.pull_all(&aliyas_laptop).await), ["a1"], "a psychologist sees only her own caseload");
    let administrator = server.user("admin", Role::Administrator).await;
    let admins = server.device(administrator, "admin-pc").await;
    assert!(server.pull_all(&admins).await.is_empty(), "an administrator reads no clinical data");
}

#[tokio::test]
async fn the_status_counts_and_checksums_the_scope_as_the_device_would() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut clinic_pc = server.device(user, "clinic-pc").await;
    let mut laptop = server.device(user, "laptop").await;
    let theirs = vec![
        clinic_pc.new_client("c1"),
        clinic_pc.change("child", "k1", 0, &[("client_id", text("c1"))]),
        clinic_pc.change("patient", "refused", 0, &[]),
    ];
    server.push(&clinic_pc, &theirs).await.expect("stored");
    let own = laptop.new_client("c2");
    server.push(&laptop, std::slice::from_ref(&own)).await.expect("stored");

    // What the laptop computes over what it holds: its own change and what it pulled.
    let digest = |c: &WireChange| change_digest(&c.device_id, c.seq, c.hlc, &c.entity, &c.record_id);
    let mut held = ScopeChecksum::default();
    server.pull_all(&laptop).await.iter().chain([&own]).for_each(|c| held.add(digest(c)));
    let status = server.status(&laptop).await.expect("status");
    assert_eq!(status.acknowledged, 1);
    assert_eq!(status.scope.count, 3, "two stored changes of the clinic PC and the laptop's own");
    assert_eq!(status.scope, held.summary());

    let mut wrong = held;
    wrong.add(digest(&theirs[2]));
    assert_ne!(status.scope, wrong.summary(), "holding a change the server refused shows as a mismatch");
}

#[tokio::test]
async fn a_cursor_of_another_epoch_is_refused_with_the_new_epoch() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let device = server.device(user, "pc").await;
    let first = server.pull(&device, Cursor::START, None).await.expect("pulls");
    let renewed = db::renew_epoch(&server.pool).await.expect("renews");
    assert_ne!(renewed, first.epoch);
    let request =
        PullRequest { epoch: Some(first.epoch), cursor: Some(first.cursor), limit: None, ..Default::default() };
    let (status, problem) =
        server.call::<_, PullResponse>("POST", "/v1/pull", Some(&device), Some(&request)).await.expect_err("stale");
    assert_eq!((status, problem.kind), (409, ProblemKind::EpochChanged));
    assert_eq!(problem.epoch, Some(renewed));
    assert_eq!(admin::devices(&server.pool).await.expect("devices").len(), 1);
}

#[tokio::test]
async fn a_district_or_regional_supervisor_pulls_every_team_of_her_area_and_no_other() {
    let server = TestServer::start().await;
    let organisation = server.organisation;
    // Two clinics in Sairam district, one in Kazygurt (both Turkistan region), one in
    // Almaty region; a psychologist in each.
    let mut psychologists = Vec::new();
    for (clinic, district) in [
        ("Сайрам 1", "turkistan.sairam"),
        ("Сайрам 2", "turkistan.sairam"),
        ("Қазығұрт", "turkistan.kazygurt"),
        ("Талғар", "almaty.talgar"),
    ] {
        let clinic = admin::create_clinic(&server.pool, organisation, clinic).await.expect("clinic").id;
        admin::set_clinic_district(&server.pool, clinic, district).await.expect("district");
        let team = admin::create_team(&server.pool, clinic, "Психологтар").await.expect("team").id;
        let user = NewUser {
            organisation_id: organisation,
            team_id: Some(team),
            login: format!("psy-{clinic}"),
            name: "Психолог".to_owned(),
            role: Role::Psychologist,
        };
        let user = admin::create_user(&server.pool, &user).await.expect("user").id;
        let mut device = server.device(user, &format!("pc-{clinic}")).await;
        let change = device.new_client(&format!("client-of-{clinic}"));
        server.push(&device, &[change]).await.expect("stored");
        psychologists.push(user);
    }
    let supervisor = server.user("saule", Role::Supervisor).await;
    let clients_seen = |oversight: admin::Oversight, laptop: &'static str| {
        let server = &server;
        async move {
            admin::set_oversight(&server.pool, supervisor, &oversight).await.expect("oversight");
            let device = server.device(supervisor, laptop).await;
            let mut seen: Vec<String> = server.pull_all(&device).await.into_iter().map(|c| c.record_id).collect();
            seen.sort();
            seen
        }
    };
    let clinic_ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM clinics WHERE district IS NOT NULL ORDER BY id")
        .fetch_all(&server.pool)
        .await
        .expect("clinics");
    let client = |n: usize| format!("client-of-{}", clinic_ids[n]);
    let sairam = clients_seen(admin::Oversight::District("turkistan.sairam".to_owned()), "district").await;
    assert_eq!(sairam, [client(0), client(1)]);
    let turkistan = clients_seen(admin::Oversight::Region("turkistan".to_owned()), "region").await;
    assert_eq!(turkistan, [client(0), client(1), client(2)]);
    let own_team = clients_seen(admin::Oversight::Team, "team").await;
    assert!(own_team.is_empty(), "her own team has no clients yet: {own_team:?}");

    for typo in
        [admin::Oversight::District("turkistan.nowhere".to_owned()), admin::Oversight::Region("atlantis".to_owned())]
    {
        assert!(admin::set_oversight(&server.pool, supervisor, &typo).await.is_err(), "{typo:?}");
    }
    assert!(
        admin::set_oversight(&server.pool, psychologists[0], &admin::Oversight::Region("turkistan".to_owned()))
            .await
            .is_err(),
        "only a supervisor oversees an area"
    );
}
