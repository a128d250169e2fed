//! Who may read and write a client: moving one to another psychologist, sharing
//! one, and what each device then pulls, may write and is told to remove.

use std::collections::BTreeSet;
use std::process::Command;

use tirek_protocol::checksum::{ScopeChecksum, change_digest};
use tirek_protocol::{Cursor, PullRequest, PullResponse, RefusalKind, WireChange, WireValue};
use tirek_server::access::{self, AccessRequest, FormerOwner};
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;

use crate::common::{TestDevice, TestServer, text};

/// A second team in the test clinic, with a psychologist and a supervisor.
async fn second_team(server: &TestServer) -> (i64, i64) {
    let clinic: i64 = sqlx::query_scalar("SELECT clinic_id FROM teams WHERE id = $1")
        .bind(server.team)
        .fetch_one(&server.pool)
        .await
        .expect("clinic");
    let team = admin::create_team(&server.pool, clinic, "Екінші команда").await.expect("team").id;
    let user = |login: &str, role| NewUser {
        organisation_id: server.organisation,
        team_id: Some(team),
        login: login.to_owned(),
        name: login.to_owned(),
        role,
    };
    let dana = admin::create_user(&server.pool, &user("dana", Role::Psychologist)).await.expect("dana").id;
    let gulnara = admin::create_user(&server.pool, &user("gulnara", Role::Supervisor)).await.expect("gulnara").id;
    (dana, gulnara)
}

/// A client's whole history as a psychologist writes it: the client, two
/// consents, a signed consultation with its attendance and an addendum, a saved
/// questionnaire and an issued letter.
fn history(device: &mut TestDevice, client: &str) -> Vec<WireChange> {
    let k = format!("{client}-k");
    vec![
        device.new_client(client),
        device.change(
            "consent",
            &format!("{client}-consent-server"),
            0,
            &[("client_id", text(client)), ("scope", text("server")), ("given_on", text("2026-01-10"))],
        ),
        device.change(
            "consent",
            &format!("{client}-consent-referral"),
            0,
            &[("client_id", text(client)), ("scope", text("referral")), ("given_on", text("2026-01-10"))],
        ),
        device.change("consultation", &k, 0, &[("format", text("individual")), ("notes", text("Ұйқысы нашар"))]),
        device.change(
            "attendance",
            &format!("{client}-at"),
            0,
            &[("consultation_id", text(&k)), ("client_id", text(client))],
        ),
        device.change("consultation", &k, 1, &[("signed_at", WireValue::Integer(1_767_000_000_000))]),
        device.change(
            "addendum",
            &format!("{client}-add"),
            0,
            &[("consultation_id", text(&k)), ("text", text("Кейін: ұйқысы жақсарды"))],
        ),
        device.change(
            "assessment",
            &format!("{client}-phq"),
            0,
            &[("client_id", text(client)), ("instrument", text("phq9")), ("total_centi", WireValue::Integer(1200))],
        ),
        device.change(
            "referral",
            &format!("{client}-letter"),
            0,
            &[("client_id", text(client)), ("number", text("СЕ-4821-9375/0001"))],
        ),
    ]
}

fn digest(change: &WireChange) -> u64 {
    change_digest(&change.device_id, change.seq, change.hlc, &change.entity, &change.record_id)
}

/// What a device holds in the checksum's terms: its own stored changes and the
/// ones it pulled.
fn held<'a>(changes: impl IntoIterator<Item = &'a WireChange>) -> tirek_protocol::ScopeSummary {
    let mut sum = ScopeChecksum::default();
    let mut seen = BTreeSet::new();
    for change in changes {
        if seen.insert((change.device_id.clone(), change.seq)) {
            sum.add(digest(change));
        }
    }
    sum.summary()
}

/// Pulls from `cursor` to the end; returns the changes and the new cursor.
async fn pull_from(server: &TestServer, device: &TestDevice, mut cursor: Cursor) -> (Vec<WireChange>, Cursor) {
    server.settle().await;
    let mut all = Vec::new();
    loop {
        let page = server.pull(device, cursor, Some(3)).await.expect("pulls");
        all.extend(page.changes);
        cursor = page.cursor;
        if !page.more {
            return (all, cursor);
        }
    }
}

fn ids(changes: &[WireChange]) -> BTreeSet<(String, i64)> {
    changes.iter().map(|c| (c.device_id.clone(), c.seq)).collect()
}

#[tokio::test]
async fn a_moved_client_reaches_the_new_owners_computer_whole_at_its_next_pull_and_the_checksum_agrees() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let saule = server.user("saule", Role::Supervisor).await;
    let (dana, gulnara) = second_team(&server).await;
    let mut aliyas_pc = server.device(aliya, "aliyas-pc").await;
    let mut danas_laptop = server.device(dana, "danas-laptop").await;
    let danas_pc = server.device(dana, "danas-pc").await;
    let saules_pc = server.device(saule, "saules-pc").await;
    let gulnaras_pc = server.device(gulnara, "gulnaras-pc").await;

    let xs = history(&mut aliyas_pc, "x");
    let answer = server.push(&aliyas_pc, &xs).await.expect("stored");
    assert!(answer.refused.is_empty(), "{:?}", answer.refused);
    // Dana's computer is enrolled and synced long after Aliya wrote: its cursor is
    // far past every change of the client.
    let own = [danas_laptop.new_client("d1")];
    server.push(&danas_laptop, &own).await.expect("stored");
    let (before, cursor) = pull_from(&server, &danas_pc, Cursor::START).await;
    assert_eq!(ids(&before), ids(&own));
    let (saw, saules_cursor) = pull_from(&server, &saules_pc, Cursor::START).await;
    assert_eq!(ids(&saw), ids(&xs), "Aliya's supervisor reads her caseload");
    let (_, gulnaras_cursor) = pull_from(&server, &gulnaras_pc, Cursor::START).await;

    let moved = access::change_access(
        &server.pool,
        AccessRequest::Move { client: "x", to: dana, former: FormerOwner::KeepsReadOnly },
        None,
    )
    .await
    .expect("moved");
    assert_eq!((moved.owner_id, moved.read_only.as_slice()), (dana, [aliya].as_slice()));
    assert_eq!(moved.history.len(), 1);
    assert_eq!(moved.history[0].action, "move");
    assert_eq!((moved.history[0].from_user, moved.history[0].former_access.as_deref()), (Some(aliya), Some("read")));

    // Dana's computer gets the whole history at its next ordinary pull, from its
    // own cursor, and then holds exactly what the server sums for it.
    let (arrived, _) = pull_from(&server, &danas_pc, cursor).await;
    assert_eq!(ids(&arrived), ids(&xs), "every change of the client, and nothing else");
    assert_eq!(arrived.iter().map(|c| &c.fields).collect::<Vec<_>>(), xs.iter().map(|c| &c.fields).collect::<Vec<_>>());
    let status = server.status(&danas_pc).await.expect("status");
    assert_eq!(status.scope, held(before.iter().chain(&arrived)), "no repair needed");
    assert!(status.removals.is_empty() && status.read_only.is_empty());

    // Dana's team's supervisor now reads the client; Aliya's is told to remove it.
    let (gulnaras, _) = pull_from(&server, &gulnaras_pc, gulnaras_cursor).await;
    assert_eq!(ids(&gulnaras), ids(&xs));
    let saules_status = server.status(&saules_pc).await.expect("status");
    assert_eq!(saules_status.removals.len(), 1);
    assert_eq!(saules_status.removals[0].client_id, "x");
    let named: BTreeSet<(String, String)> = saules_status.removals[0].records.iter().cloned().collect();
    let written: BTreeSet<(String, String)> = xs.iter().map(|c| (c.entity.clone(), c.record_id.clone())).collect();
    assert_eq!(named, written, "the consultation and its addendum are filed under the client");
    assert_eq!(saules_status.scope, held([]), "nothing of the client is in her scope any more");
    let (nothing, _) = pull_from(&server, &saules_pc, saules_cursor).await;
    assert!(nothing.is_empty());

    // Aliya keeps the history read-only: her computer is told, holds what the
    // server sums for it, and her writes about the client are refused.
    let status = server.status(&aliyas_pc).await.expect("status");
    assert_eq!(status.read_only, ["x"]);
    assert!(status.removals.is_empty());
    assert_eq!(status.scope, held(&xs));
    let edit = aliyas_pc.change("client", "x", 1, &[("phone", text("+77011234567"))]);
    let answer = server.push(&aliyas_pc, &[edit]).await.expect("answered");
    assert_eq!(answer.refused.len(), 1);
    assert_eq!(answer.refused[0].kind, RefusalKind::NotPermitted);
    assert!(answer.refused[0].detail.contains("read-only"), "{}", answer.refused[0].detail);

    // Dana writes the client; Aliya's computers do not receive it, but an erasure
    // would reach them.
    let theirs = danas_laptop.change("client", "x", 1, &[("phone", text("+77017654321"))]);
    let answer = server.push(&danas_laptop, std::slice::from_ref(&theirs)).await.expect("stored");
    assert!(answer.refused.is_empty(), "{:?}", answer.refused);
    let aliyas_laptop = server.device(aliya, "aliyas-laptop").await;
    let read = server.pull_all(&aliyas_laptop).await;
    assert_eq!(ids(&read), ids(&xs), "the history as it was when it moved");
    assert_eq!(server.status(&aliyas_laptop).await.expect("status").scope, held(&read));
    let (danas, _) = pull_from(&server, &danas_pc, Cursor::START).await;
    assert!(ids(&danas).contains(&(theirs.device_id.clone(), theirs.seq)));
}

#[tokio::test]
async fn a_former_owner_who_loses_the_client_is_told_to_remove_it_and_may_not_write_it() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let (dana, _) = second_team(&server).await;
    let mut aliyas_pc = server.device(aliya, "aliyas-pc").await;
    let aliyas_laptop = server.device(aliya, "aliyas-laptop").await;
    let mut danas_pc = server.device(dana, "danas-pc").await;
    let mut xs = history(&mut aliyas_pc, "x");
    xs.push(aliyas_pc.new_client("y"));
    server.push(&aliyas_pc, &xs).await.expect("stored");
    let (_, laptop_cursor) = pull_from(&server, &aliyas_laptop, Cursor::START).await;

    access::change_access(
        &server.pool,
        AccessRequest::Move { client: "x", to: dana, former: FormerOwner::Loses },
        None,
    )
    .await
    .expect("moved");
    for device in [&aliyas_pc, &aliyas_laptop] {
        let status = server.status(device).await.expect("status");
        assert_eq!(status.removals.len(), 1, "{}", device.id);
        assert_eq!(status.removals[0].client_id, "x");
        let records: BTreeSet<(&str, &str)> =
            xs[..xs.len() - 1].iter().map(|c| (c.entity.as_str(), c.record_id.as_str())).collect();
        assert_eq!(status.removals[0].records.len(), records.len(), "every record of x, not y");
        assert!(status.read_only.is_empty());
        assert_eq!(status.scope, held(&xs[xs.len() - 1..]), "only y is left in her scope");
    }
    // Carried out, the notice goes; the other computer is still told.
    let notice = server.status(&aliyas_laptop).await.expect("status").removals[0].id;
    let request = PullRequest { cursor: Some(laptop_cursor), removals_done: vec![notice], ..Default::default() };
    let page: PullResponse =
        server.call("POST", "/v1/pull", Some(&aliyas_laptop), Some(&request)).await.expect("pulls");
    assert!(page.changes.is_empty(), "nothing of x comes back");
    assert!(server.status(&aliyas_laptop).await.expect("status").removals.is_empty());
    assert_eq!(server.status(&aliyas_pc).await.expect("status").removals.len(), 1);

    let late = aliyas_pc.change("assessment", "x-late", 0, &[("client_id", text("x")), ("instrument", text("gad7"))]);
    let answer = server.push(&aliyas_pc, &[late]).await.expect("answered");
    assert_eq!(answer.refused.iter().map(|r| r.kind).collect::<Vec<_>>(), [RefusalKind::OutOfScope]);

    // Moved back to her: the computer that removed it pulls the history again,
    // with its own changes; the one that had not removed it loses its notice.
    let dana_writes = danas_pc.change("client", "x", 1, &[("phone", text("+77017654321"))]);
    server.push(&danas_pc, std::slice::from_ref(&dana_writes)).await.expect("stored");
    access::change_access(
        &server.pool,
        AccessRequest::Move { client: "x", to: aliya, former: FormerOwner::Loses },
        None,
    )
    .await
    .expect("moved back");
    assert!(server.status(&aliyas_pc).await.expect("status").removals.is_empty());
    let (back, _) = pull_from(&server, &aliyas_laptop, page.cursor).await;
    let mut expected = ids(&xs[..xs.len() - 1]);
    expected.insert((dana_writes.device_id.clone(), dana_writes.seq));
    assert_eq!(ids(&back), expected);
}

#[tokio::test]
async fn a_shared_client_is_written_by_both_and_each_pulls_the_others_changes() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let (dana, gulnara) = second_team(&server).await;
    let mut aliyas_pc = server.device(aliya, "aliyas-pc").await;
    let mut danas_pc = server.device(dana, "danas-pc").await;
    let gulnaras_pc = server.device(gulnara, "gulnaras-pc").await;
    let xs = history(&mut aliyas_pc, "x");
    server.push(&aliyas_pc, &xs).await.expect("stored");
    let (_, aliyas_cursor) = pull_from(&server, &aliyas_pc, Cursor::START).await;
    let (_, danas_cursor) = pull_from(&server, &danas_pc, Cursor::START).await;

    let shared = access::change_access(&server.pool, AccessRequest::Share { client: "x", with: dana }, None)
        .await
        .expect("shared");
    assert_eq!((shared.owner_id, shared.shared_with.as_slice()), (aliya, [dana].as_slice()));
    let (arrived, danas_cursor) = pull_from(&server, &danas_pc, danas_cursor).await;
    assert_eq!(ids(&arrived), ids(&xs));
    let (supervised, _) = pull_from(&server, &gulnaras_pc, Cursor::START).await;
    assert_eq!(ids(&supervised), ids(&xs), "Dana's supervisor oversees her work on it");

    // Dana writes a consultation with the client and edits the client; Aliya's
    // computer pulls both, the consultation filed under the client.
    let hers = vec![
        danas_pc.change("consultation", "dk", 0, &[("format", text("family"))]),
        danas_pc.change("attendance", "dat", 0, &[("consultation_id", text("dk")), ("client_id", text("x"))]),
        danas_pc.change("client", "x", 1, &[("phone", text("+77017654321"))]),
    ];
    let answer = server.push(&danas_pc, &hers).await.expect("stored");
    assert!(answer.refused.is_empty(), "{:?}", answer.refused);
    let (got, _) = pull_from(&server, &aliyas_pc, aliyas_cursor).await;
    assert_eq!(ids(&got), ids(&hers));
    let mine = aliyas_pc.change("consultation", "dk", 1, &[("notes", text("Отбасымен сөйлестік"))]);
    let answer = server.push(&aliyas_pc, std::slice::from_ref(&mine)).await.expect("stored");
    assert!(answer.refused.is_empty(), "the owner writes her colleague's consultation of the client");
    let (got, _) = pull_from(&server, &danas_pc, danas_cursor).await;
    assert!(ids(&got).contains(&(mine.device_id.clone(), mine.seq)));
    let all_mine: Vec<WireChange> = xs.iter().chain([&mine]).cloned().collect();
    let everything: Vec<&WireChange> = all_mine.iter().chain(&hers).collect();
    assert_eq!(server.status(&danas_pc).await.expect("status").scope, held(everything.iter().copied()));
    assert_eq!(server.status(&aliyas_pc).await.expect("status").scope, held(everything.iter().copied()));

    // No longer shared: Dana's computer and her supervisor's are told to remove it.
    access::change_access(&server.pool, AccessRequest::Unshare { client: "x", with: dana }, None)
        .await
        .expect("unshared");
    for device in [&danas_pc, &gulnaras_pc] {
        let status = server.status(device).await.expect("status");
        assert_eq!(status.removals.iter().map(|r| r.client_id.as_str()).collect::<Vec<_>>(), ["x"]);
        assert_eq!(status.scope, held([]));
    }
    let late = danas_pc.change("client", "x", 2, &[("phone", text("+77010000000"))]);
    let answer = server.push(&danas_pc, &[late]).await.expect("answered");
    assert_eq!(answer.refused[0].kind, RefusalKind::OutOfScope);
}

#[tokio::test]
async fn every_bad_request_of_the_administrator_is_refused_with_its_reason() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let saule = server.user("saule", Role::Supervisor).await;
    let root = server.user("root", Role::Administrator).await;
    let (dana, _) = second_team(&server).await;
    let mut aliyas_pc = server.device(aliya, "aliyas-pc").await;
    let batch = [aliyas_pc.new_client("x"), aliyas_pc.new_client("gone")];
    server.push(&aliyas_pc, &batch).await.expect("stored");
    let erase = aliyas_pc.change("client", "gone", 1, &[("_erased", WireValue::Integer(1))]);
    server.push(&aliyas_pc, &[erase]).await.expect("stored");
    let other = admin::create_organisation(&server.pool, "Басқа ұйым").await.expect("org").id;
    let clinic = admin::create_clinic(&server.pool, other, "Басқа").await.expect("clinic").id;
    let team = admin::create_team(&server.pool, clinic, "Басқа").await.expect("team").id;
    let stranger = NewUser {
        organisation_id: other,
        team_id: Some(team),
        login: "stranger".to_owned(),
        name: "stranger".to_owned(),
        role: Role::Psychologist,
    };
    let stranger = admin::create_user(&server.pool, &stranger).await.expect("stranger").id;

    let url = server.database_url.clone();
    let run = move |args: Vec<String>| {
        let output = Command::new(env!("CARGO_BIN_EXE_tirek-server"))
            .args(&args)
            .env("TIREK_SERVER_DATABASE_URL", &url)
            .env("TIREK_SERVER_LOG", "warn")
            .env("USER", "tirek-ops")
            .output()
            .expect("tirek-server runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let args = |words: &[&str]| -> Vec<String> {
        ["admin", "client"].iter().chain(words).map(|word| (*word).to_owned()).collect()
    };
    let (dana_s, aliya_s, saule_s, root_s, stranger_s) =
        (dana.to_string(), aliya.to_string(), saule.to_string(), root.to_string(), stranger.to_string());
    let cases: Vec<(Vec<String>, String)> = vec![
        (args(&["move", "nobody", "--to", &dana_s]), "client nobody not found".to_owned()),
        (args(&["move", "x", "--to", "999999"]), "user 999999 not found".to_owned()),
        (
            args(&["move", "x", "--to", &saule_s]),
            format!("user {saule} is a supervisor: only a psychologist holds clients"),
        ),
        (
            args(&["move", "x", "--to", &root_s]),
            format!("user {root} is an administrator: only a psychologist holds clients"),
        ),
        (args(&["move", "x", "--to", &aliya_s]), format!("user {aliya} owns client x already")),
        (args(&["move", "x", "--to", &stranger_s]), format!("user {stranger} belongs to another organisation")),
        (args(&["move", "gone", "--to", &dana_s]), "client gone was erased".to_owned()),
        (args(&["move", "x", "--to", &dana_s, "--by", "aliya"]), "--by aliya: not an enabled administrator".to_owned()),
        (args(&["move", "x", "--to", &dana_s, "--by", "nobody"]), "administrator nobody not found".to_owned()),
        (args(&["move", "x", "--to", &dana_s, "--keep-read", "--revoke"]), "cannot be used with".to_owned()),
        (args(&["share", "x", "--with", &aliya_s]), format!("user {aliya} owns client x")),
        (args(&["share", "x", "--with", &saule_s]), "only a psychologist holds clients".to_owned()),
        (args(&["unshare", "x", "--with", &dana_s]), format!("client x is not shared with user {dana}")),
        (args(&["unshare", "x", "--with", &aliya_s]), "move it to a colleague instead".to_owned()),
        (args(&["show", "nobody"]), "client nobody not found".to_owned()),
    ];
    let outcomes = tokio::task::spawn_blocking(move || {
        let refused: Vec<_> = cases.into_iter().map(|(args, expected)| (run(args.clone()), args, expected)).collect();
        let shared = run(args(&["--json", "share", "x", "--with", &dana_s, "--by", "root"]));
        let again = run(args(&["share", "x", "--with", &dana_s]));
        (refused, shared, again)
    })
    .await
    .expect("the commands ran");
    let (refused, shared, again) = outcomes;
    for ((code, _, stderr), args, expected) in refused {
        assert_eq!(code, Some(if expected == "cannot be used with" { 2 } else { 1 }), "{args:?}: {stderr}");
        assert!(stderr.contains(&expected), "{args:?}: {stderr}");
    }
    let (code, stdout, stderr) = shared;
    assert_eq!(code, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json[0]["client_id"], "x");
    assert_eq!(json[0]["owner_id"], aliya);
    assert_eq!(json[0]["shared_with"], serde_json::json!([dana]));
    assert_eq!(json[0]["history"][0]["actor"], "root");
    assert_eq!(json[0]["history"][0]["action"], "share");
    assert!(!stdout.contains("Нұрланова"), "ids only, no clinical data: {stdout}");
    assert!(again.2.contains(&format!("client x is shared with user {dana} already")), "{}", again.2);
    // Nothing refused changed anything.
    let access = access::show(&server.pool, "x").await.expect("shown");
    assert_eq!((access.owner_id, access.read_only.len(), access.history.len()), (aliya, 0, 1));
}

#[tokio::test]
async fn a_move_racing_the_former_owners_pushes_loses_nothing_for_the_new_owner() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let (dana, _) = second_team(&server).await;
    let mut aliyas_pc = server.device(aliya, "aliyas-pc").await;
    let danas_pc = server.device(dana, "danas-pc").await;
    let xs = history(&mut aliyas_pc, "x");
    server.push(&aliyas_pc, &xs).await.expect("stored");
    let (_, cursor) = pull_from(&server, &danas_pc, Cursor::START).await;

    // Aliya keeps writing the client — new records and edits — while it moves.
    let batches: Vec<Vec<WireChange>> = (0..30)
        .map(|n| {
            vec![
                aliyas_pc.change("follow_up", &format!("x-f{n}"), 0, &[("client_id", text("x"))]),
                aliyas_pc.change("client", "x", 1, &[("phone", text(&format!("+7701000{n:04}")))]),
            ]
        })
        .collect();
    let pushing = {
        let (server_base, device) = (server.base.clone(), aliyas_pc.clone());
        let http = server.http.clone();
        tokio::spawn(async move {
            let mut stored = Vec::new();
            for batch in batches {
                let request = tirek_protocol::PushRequest { changes: batch.clone(), audit: None };
                let response = http
                    .post(format!("{server_base}/v1/push"))
                    .header(tirek_protocol::PROTOCOL_HEADER, tirek_protocol::PROTOCOL_VERSION.to_string())
                    .bearer_auth(&device.token)
                    .json(&request)
                    .send()
                    .await
                    .expect("answers");
                let answer: tirek_protocol::PushResponse = response.json().await.expect("a push answer");
                let refused: BTreeSet<i64> = answer.refused.iter().map(|r| r.seq).collect();
                stored.extend(batch.into_iter().filter(|c| !refused.contains(&c.seq)));
            }
            stored
        })
    };
    // Moved once a few of those are in, while the rest are on their way.
    while server.stored().await < xs.len() as i64 + 6 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    access::change_access(
        &server.pool,
        AccessRequest::Move { client: "x", to: dana, former: FormerOwner::KeepsReadOnly },
        None,
    )
    .await
    .expect("moved");
    let stored = pushing.await.expect("pushed");
    assert!(stored.len() >= 6 && stored.len() < 60, "pushes after the move are refused: {}", stored.len());

    // Everything stored of the client reaches Dana's computer from its old cursor,
    // and what it holds is what the server sums for it.
    let (arrived, _) = pull_from(&server, &danas_pc, cursor).await;
    let expected: BTreeSet<(String, i64)> = ids(&xs).into_iter().chain(ids(&stored)).collect();
    assert_eq!(ids(&arrived), expected);
    assert_eq!(server.status(&danas_pc).await.expect("status").scope, held(&arrived));
    assert_eq!(server.status(&aliyas_pc).await.expect("status").scope, held(xs.iter().chain(&stored)));
}
