//! `cargo xtask bench sync`: sync through `tirek-app` and the real `tirek-server` on
//! a private PostgreSQL, beside the floor measured in the same run.
//!
//! - A psychologist's computer with a supervisor-sized caseload (10,000 demo
//!   clients; `TIREK_BENCH_CLIENTS` to change it) pushes everything it may (the
//!   clients who consent to central storage), then a second computer of hers,
//!   newly enrolled, pulls it all: the first sync of a large caseload.
//! - The floor: the same change records written straight into PostgreSQL (batches
//!   of 500, one transaction each) and into a SQLCipher database (the same
//!   pragmas, one transaction per 500) — what any sync must at least do, without
//!   the network, the checks or the merge. Target: sync at ≥ 50 % of the floor's
//!   speed (DESIGN.md §7, issue 12).
//! - On the wire, through a link that counts bytes and, shaped to 256 kbit/s and a
//!   600 ms round trip, through which a smaller caseload syncs: bytes per change
//!   (target ≤ 400) and the time beside what that bandwidth and those round trips
//!   allow (target ≤ 1.25×).
//!
//! Exits 1 when a target is missed.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tirek_app::{App, CaseloadQuery, ClientInput, EnrolInput};
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;
use tirek_server::{Config, Server, Transport};
use tirek_store::NoKeyring;
use tirek_test_postgres::Cluster;

const PASSWORD: &str = "тау бұлақ өзен 2026";

/// The real server on its own database, served by a runtime of its own.
struct Running {
    runtime: tokio::runtime::Runtime,
    address: SocketAddr,
    pool: sqlx::PgPool,
    /// The psychologist with the large caseload.
    user: i64,
    /// A colleague on a slow line, with a small one of her own.
    colleague: i64,
}

fn start_server(cluster: &Cluster) -> Running {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let database_url = cluster.create_database().expect("a database");
    let config = Config { listen: "127.0.0.1:0".parse().expect("address"), database_url, ..Config::default() };
    let server = runtime.block_on(Server::bind(config, Transport::InsecureDev)).expect("the server starts");
    let address = server.local_addr().expect("address");
    let pool = server.pool().clone();
    runtime.spawn(async move { server.run(std::future::pending()).await.expect("the server runs") });
    let (user, colleague) = runtime.block_on(async {
        let organisation = admin::create_organisation(&pool, "Түркістан облысы").await.expect("org").id;
        let clinic = admin::create_clinic(&pool, organisation, "Сайрам").await.expect("clinic").id;
        let team = admin::create_team(&pool, clinic, "Психологтар").await.expect("team").id;
        let mut ids = Vec::new();
        for login in ["aigul", "dana"] {
            let user = NewUser {
                organisation_id: organisation,
                team_id: Some(team),
                login: login.to_owned(),
                name: login.to_owned(),
                role: Role::Psychologist,
            };
            ids.push(admin::create_user(&pool, &user).await.expect("user").id);
        }
        (ids[0], ids[1])
    });
    Running { runtime, address, pool, user, colleague }
}

/// A computer of `user` with an unlocked profile, enrolled through `via`.
fn computer(server: &Running, user: i64, via: SocketAddr) -> (tempfile::TempDir, App) {
    let folder = tempfile::tempdir().expect("a folder");
    let app = App::start_with(folder.path(), Arc::new(NoKeyring)).0.with_fast_key_derivation_for_tests();
    let id = app.create_profile("Айгүл", PASSWORD).expect("profile").profile.id;
    app.unlock(&id, PASSWORD).expect("unlock");
    app.allow_insecure_dev_sync(true);
    let code = server.runtime.block_on(admin::create_code(&server.pool, user, 1)).expect("code").code;
    let input = EnrolInput { server: format!("http://{via}"), code, certificate_pem: None };
    app.sync_enrol(&input).expect("enrols");
    (folder, app)
}

fn seeded(server: &Running, user: i64, via: SocketAddr, clients: u32) -> (tempfile::TempDir, App, u32) {
    let (folder, app) = computer(server, user, via);
    let started = Instant::now();
    app.demo_seed(clients, 7).expect("seed");
    let waiting = app.sync_status().expect("status").waiting;
    eprintln!("  seeded {clients} clients in {:.1} s: {waiting} changes to send", started.elapsed().as_secs_f64());
    (folder, app, waiting)
}

/// The window's calls that read every waiting change — a caseload page of 100 rows
/// (it marks what is not on the server yet) and the sync status —, medians of 5: the
/// page as the window asks it again, and the status just after she saved a client
/// (when what the outbox decides is worked out again).
fn window_calls(app: &App) -> (Duration, Duration) {
    let median = |call: &dyn Fn() -> Duration| {
        let mut samples: Vec<Duration> = (0..5).map(|_| call()).collect();
        samples.sort();
        samples[2]
    };
    let timed = |call: &dyn Fn()| {
        let started = Instant::now();
        call();
        started.elapsed()
    };
    let page = CaseloadQuery { limit: Some(100), ..CaseloadQuery::default() };
    let list = median(&|| timed(&|| drop(app.caseload(&page).expect("a caseload page"))));
    let status = median(&|| {
        let input = ClientInput {
            family_name: "Сәрсенова".into(),
            given_name: "Әлия".into(),
            region: "turkistan".into(),
            district: "turkistan.sairam".into(),
            language: "kk".into(),
            ..ClientInput::default()
        };
        app.create_client(&input).expect("a new client, without consent to central storage yet");
        timed(&|| drop(app.sync_status().expect("status")))
    });
    (list, status)
}

/// Runs `work` while another thread asks `app` for a caseload page again and again,
/// as the window does while a sync runs; returns `work`'s result and the longest a
/// page took.
fn while_the_window_asks<T: Send>(app: &App, work: impl FnOnce() -> T + Send) -> (T, Duration) {
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let window = scope.spawn(|| {
            let page = CaseloadQuery { limit: Some(100), ..CaseloadQuery::default() };
            let mut longest = Duration::ZERO;
            while !done.load(Ordering::Relaxed) {
                let started = Instant::now();
                app.caseload(&page).expect("a caseload page during the sync");
                longest = longest.max(started.elapsed());
                std::thread::sleep(Duration::from_millis(50));
            }
            longest
        });
        let result = work();
        done.store(true, Ordering::Relaxed);
        (result, window.join().expect("the window's thread"))
    })
}

fn timed<T>(what: &str, work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let result = work();
    let took = started.elapsed();
    eprintln!("  {what}: {:.2} s", took.as_secs_f64());
    (result, took)
}

/// The change records the server holds, as the floor writes them again.
type Row = (String, i64, i64, String, String, i64, String, String);

fn stored_rows(server: &Running) -> Vec<Row> {
    server
        .runtime
        .block_on(
            sqlx::query_as(
                "SELECT device_id, device_seq, hlc, entity, record_id, base_revision, author, fields::text
                 FROM changes ORDER BY id",
            )
            .fetch_all(&server.pool),
        )
        .expect("rows")
}

/// Says which changes the server holds that `computer` lacks (and the reverse), with
/// their place in the server's order: what a checksum that differs is about.
fn name_the_difference(server: &Running, computer: &App) {
    let held: std::collections::BTreeSet<(String, i64)> = computer.sync_dump().expect("dump")["change_log"]
        .iter()
        .filter_map(|line| {
            let mut words = line.split(' ');
            Some((words.next()?.to_owned(), words.next()?.parse().ok()?))
        })
        .collect();
    let rows: Vec<(String, i64, i64, String, String, String)> = server
        .runtime
        .block_on(
            sqlx::query_as(
                "SELECT device_id, device_seq, id, txid::text, entity, coalesce(client_id, '-') FROM changes ORDER BY txid, id",
            )
            .fetch_all(&server.pool),
        )
        .expect("rows");
    let on_server: std::collections::BTreeSet<(String, i64)> = rows.iter().map(|row| (row.0.clone(), row.1)).collect();
    for row in rows.iter().filter(|row| !held.contains(&(row.0.clone(), row.1))) {
        eprintln!("  the computer lacks {row:?}");
    }
    for (device, seq) in held.difference(&on_server) {
        eprintln!("  the server lacks {device} {seq}");
    }
}

/// The floor on PostgreSQL: the rows into a plain table, 500 per transaction.
fn postgres_floor(cluster: &Cluster, runtime: &tokio::runtime::Runtime, rows: &[Row]) -> Duration {
    let url = cluster.create_database().expect("a database");
    runtime.block_on(async {
        let pool = sqlx::PgPool::connect(&url).await.expect("connects");
        sqlx::query(
            "CREATE TABLE floor (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, device_id text, device_seq bigint,
                                 hlc bigint, entity text, record_id text, base_revision bigint, author text,
                                 fields jsonb, UNIQUE (device_id, device_seq))",
        )
        .execute(&pool)
        .await
        .expect("table");
        let started = Instant::now();
        for batch in rows.chunks(500) {
            let column = |f: fn(&Row) -> String| batch.iter().map(f).collect::<Vec<_>>();
            let number = |f: fn(&Row) -> i64| batch.iter().map(f).collect::<Vec<_>>();
            sqlx::query(
                "INSERT INTO floor (device_id, device_seq, hlc, entity, record_id, base_revision, author, fields)
                 SELECT d, s, h, e, r, b, a, f::jsonb
                 FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[],
                             $7::text[], $8::text[]) AS t(d, s, h, e, r, b, a, f)",
            )
            .bind(column(|r| r.0.clone()))
            .bind(number(|r| r.1))
            .bind(number(|r| r.2))
            .bind(column(|r| r.3.clone()))
            .bind(column(|r| r.4.clone()))
            .bind(number(|r| r.5))
            .bind(column(|r| r.6.clone()))
            .bind(column(|r| r.7.clone()))
            .execute(&pool)
            .await
            .expect("insert");
        }
        started.elapsed()
    })
}

/// The floor on SQLCipher: the rows into a change-log-shaped table of an encrypted
/// database with the profile's pragmas, 500 per transaction.
fn sqlcipher_floor(rows: &[Row]) -> Duration {
    let folder = tempfile::tempdir().expect("a folder");
    let mut connection = rusqlite::Connection::open(folder.path().join("floor.db")).expect("opens");
    connection
        .execute_batch(&format!(
            "PRAGMA key = \"x'{}'\"; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;
             CREATE TABLE change_log (device_id TEXT, seq INTEGER, hlc INTEGER, entity TEXT, entity_id TEXT,
                                      base_revision INTEGER, author TEXT, fields TEXT, PRIMARY KEY (device_id, seq));",
            "ab".repeat(32)
        ))
        .expect("schema");
    let started = Instant::now();
    for batch in rows.chunks(500) {
        let transaction = connection.transaction().expect("transaction");
        {
            let mut insert = transaction
                .prepare_cached("INSERT INTO change_log VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .expect("statement");
            for r in batch {
                insert.execute(rusqlite::params![r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7]).expect("insert");
            }
        }
        transaction.commit().expect("commit");
    }
    started.elapsed()
}

/// A link between the app and the server that counts the bytes each way and, when
/// shaped, delivers them as a line of `bits_per_second` with `one_way` delay does:
/// each chunk leaves after the ones before it have, at the line's speed, and
/// arrives `one_way` later.
struct Link {
    address: SocketAddr,
    up: Arc<AtomicU64>,
    down: Arc<AtomicU64>,
}

impl Link {
    fn start(target: SocketAddr, shape: Option<(u64, Duration)>) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
        let address = listener.local_addr().expect("address");
        let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (up_count, down_count) = (up.clone(), down.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(target) else { return };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                for (from, to, count) in [
                    (client.try_clone(), server.try_clone(), up_count.clone()),
                    (server.try_clone(), client.try_clone(), down_count.clone()),
                ] {
                    let (Ok(from), Ok(to)) = (from, to) else { continue };
                    std::thread::spawn(move || pipe(from, to, count, shape));
                }
            }
        });
        Link { address, up, down }
    }

    fn bytes(&self) -> (u64, u64) {
        (self.up.load(Ordering::SeqCst), self.down.load(Ordering::SeqCst))
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream, count: Arc<AtomicU64>, shape: Option<(u64, Duration)>) {
    let (sender, receiver) = mpsc::channel::<(Instant, Vec<u8>)>();
    let writer = std::thread::spawn(move || {
        for (due, chunk) in receiver {
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            if to.write_all(&chunk).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
    let mut line_free = Instant::now();
    let mut buffer = vec![0u8; 16 * 1024];
    while let Ok(read) = from.read(&mut buffer) {
        if read == 0 {
            break;
        }
        count.fetch_add(read as u64, Ordering::SeqCst);
        let due = match shape {
            Some((bits_per_second, one_way)) => {
                let on_the_line = Duration::from_secs_f64(read as f64 * 8.0 / bits_per_second as f64);
                line_free = line_free.max(Instant::now()) + on_the_line;
                line_free + one_way
            }
            None => Instant::now(),
        };
        if sender.send((due, buffer[..read].to_vec())).is_err() {
            break;
        }
    }
    drop(sender);
    let _ = writer.join();
}

fn main() {
    let clients: u32 = std::env::var("TIREK_BENCH_CLIENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let shaped_clients: u32 =
        std::env::var("TIREK_BENCH_SHAPED_CLIENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(100);
    eprintln!("sync benchmark: tirek-app and tirek-server on a private PostgreSQL, loopback");
    let cluster = Cluster::start().expect("a private PostgreSQL");
    let server = start_server(&cluster);

    // Loopback, counting bytes.
    let link = Link::start(server.address, None);
    let (_desk_dir, desk, changes) = seeded(&server, server.user, link.address, clients);
    let (list_waiting, status_waiting) = window_calls(&desk);
    let before_push = link.bytes();
    let (pushed, push_time) = timed("push", || desk.sync_now().expect("the desk syncs"));
    let after_push = link.bytes();
    let (list_synced, status_synced) = window_calls(&desk);
    let (_laptop_dir, laptop) = computer(&server, server.user, link.address);
    let before_pull = link.bytes();
    let (pulled, pull_time) = timed("first sync of a new computer (pull)", || laptop.sync_now().expect("syncs"));
    let after_pull = link.bytes();
    if !(pushed.in_step && pulled.in_step) {
        name_the_difference(&server, &laptop);
        panic!("both in step: {pushed:?} {pulled:?}");
    }
    assert_eq!(pulled.pulled, pushed.stored, "the new computer holds everything the desk stored");
    let per_change = |(up0, down0): (u64, u64), (up1, down1): (u64, u64)| {
        ((up1 - up0) + (down1 - down0)) as f64 / f64::from(pushed.stored).max(1.0)
    };
    let (push_bytes, pull_bytes) = (per_change(before_push, after_push), per_change(before_pull, after_pull));

    // The window of another new computer, asking for a caseload page again and again
    // while its first sync writes the caseload.
    let (_third_dir, third) = computer(&server, server.user, link.address);
    let (_, longest_wait) = while_the_window_asks(&third, || third.sync_now().expect("syncs"));

    let rows = stored_rows(&server);
    let pg_floor = postgres_floor(&cluster, &server.runtime, &rows);
    let sqlite_floor = sqlcipher_floor(&rows);
    let floor = pg_floor + sqlite_floor;
    let sync = push_time + pull_time;
    let share = floor.as_secs_f64() / sync.as_secs_f64();

    // Shaped: 256 kbit/s, 600 ms round trip; a colleague's own small caseload.
    let (bits, one_way) = (256_000, Duration::from_millis(300));
    let shaped = Link::start(server.address, Some((bits, one_way)));
    let (_small_dir, small, small_changes) = seeded(&server, server.colleague, shaped.address, shaped_clients);
    let (up0, down0) = shaped.bytes();
    let (small_sync, small_time) = timed("shaped sync", || small.sync_now().expect("syncs through the shaped link"));
    let (up1, down1) = shaped.bytes();
    assert!(small_sync.in_step, "{small_sync:?}");
    // Each request costs at least one round trip: `sync_now` asks the status, sends
    // the push batches, pulls, and asks the status again to prove the result. The
    // connection is kept alive from the enrolment.
    let requests = 3 + u64::from(small_changes).div_ceil(500);
    let on_the_line = ((up1 - up0) + (down1 - down0)) as f64 * 8.0 / bits as f64;
    let allowed = Duration::from_secs_f64(on_the_line) + one_way * 2 * requests as u32;
    let shaped_ratio = small_time.as_secs_f64() / allowed.as_secs_f64();

    println!();
    println!("{:<58}{:>14}{:>14}", "", "measured", "target");
    let mut missed = false;
    let mut row = |name: &str, value: String, target: &str, ok: bool| {
        let verdict = if ok { "" } else { "  MISSED" };
        missed |= !ok;
        println!("  {name:<56}{value:>14}{target:>14}{verdict}");
    };
    row("changes pushed (stored) / pulled", format!("{} / {}", pushed.stored, pulled.pulled), "", true);
    row("of which waiting in the outbox before the push", changes.to_string(), "", true);
    row(
        "window, whole caseload waiting: caseload page / status after a save",
        format!("{:.0} / {:.0} ms", list_waiting.as_secs_f64() * 1e3, status_waiting.as_secs_f64() * 1e3),
        "page ≤ 30 ms",
        list_waiting <= Duration::from_millis(30),
    );
    row(
        "window, all of it on the server: caseload page / status after a save",
        format!("{:.0} / {:.0} ms", list_synced.as_secs_f64() * 1e3, status_synced.as_secs_f64() * 1e3),
        "page ≤ 30 ms",
        list_synced <= Duration::from_millis(30),
    );
    row(
        "  longest caseload page during a new computer's first sync",
        format!("{:.2} s", longest_wait.as_secs_f64()),
        "≤ 1 s",
        longest_wait <= Duration::from_secs(1),
    );
    row("push, loopback", format!("{:.2} s", push_time.as_secs_f64()), "", true);
    row("first sync of a new computer (pull), loopback", format!("{:.2} s", pull_time.as_secs_f64()), "", true);
    row("floor: PostgreSQL + SQLCipher writes of the same rows", format!("{:.2} s", floor.as_secs_f64()), "", true);
    row(
        "  PostgreSQL / SQLCipher",
        format!("{:.2} / {:.2} s", pg_floor.as_secs_f64(), sqlite_floor.as_secs_f64()),
        "",
        true,
    );
    row("sync speed as a share of the floor's", format!("{:.0} %", share * 100.0), "≥ 50 %", share >= 0.5);
    row("bytes on the wire per change: push", format!("{push_bytes:.0} B"), "≤ 400 B", push_bytes <= 400.0);
    row("bytes on the wire per change: pull", format!("{pull_bytes:.0} B"), "≤ 400 B", pull_bytes <= 400.0);
    row(
        &format!("256 kbit/s, 600 ms RTT: sync of {small_changes} changes"),
        format!("{:.1} s", small_time.as_secs_f64()),
        "",
        true,
    );
    row("  what that line allows (bytes ÷ rate + round trips)", format!("{:.1} s", allowed.as_secs_f64()), "", true);
    row("  measured ÷ allowed", format!("{shaped_ratio:.2}×"), "≤ 1.25×", shaped_ratio <= 1.25);
    if missed {
        std::process::exit(1);
    }
}
