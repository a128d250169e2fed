//! `cargo xtask bench store`: what the encrypted store costs, measured beside its
//! baseline in the same run.
//!
//! - unlock: Argon2id with the real parameters, the key file, opening SQLCipher and
//!   the audit entry — median of several unlocks (target 0.3–1.0 s);
//! - a caseload-shaped workload on the same schema, encrypted and plain SQLite, same
//!   library and pragmas: inserting clients with their change records (median of
//!   100 committed batches of 100, the two databases filled alternately so that the
//!   disk treats both alike), listing a page of the caseload sorted by name, and
//!   opening one client with its history — medians, and the encrypted/plain ratio
//!   (target ≤ 1.15×).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tirek_store::bench::rusqlite::{Connection, params};
use tirek_store::bench::{open_encrypted, open_plain};
use tirek_store::keys::Secret;
use tirek_store::{DataDir, NoKeyring, Profiles};

const CLIENTS: usize = 10_000;
const CHANGES_PER_CLIENT: usize = 5;
const SAMPLES: usize = 200;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p) as usize]
}

struct Figures {
    insert_per_client: Duration,
    list_page: Duration,
    list_page_p95: Duration,
    open_client: Duration,
}

const NAMES: [&str; 8] = ["Сәрсенова", "Иванова", "Нұрланқызы", "Ахметова", "Smith", "Жұмабаева", "Ким", "Әбілова"];

/// Inserts clients `batch * 100 .. batch * 100 + 100` with their change records in
/// one committed transaction, and returns how long it took.
fn insert_batch(connection: &Connection, batch: usize) -> Duration {
    let started = Instant::now();
    let transaction = connection.unchecked_transaction().unwrap();
    for n in batch * 100..(batch + 1) * 100 {
        let id = format!("{n:08}-0000-7000-8000-000000000000");
        let family = format!("{} {n}", NAMES[n % NAMES.len()]);
        transaction
            .execute(
                "INSERT INTO clients (id, revision, updated_hlc, family_name, given_name) VALUES (?1, 1, ?2, ?3, ?4)",
                params![id, n as i64, family, "Әлия"],
            )
            .unwrap();
        for change in 0..CHANGES_PER_CLIENT {
            transaction
                .execute(
                    "INSERT INTO change_log (device_id, seq, hlc, entity, entity_id, base_revision, fields, author)
                     VALUES ('bench', ?1, ?1, 'client', ?2, ?3, ?4, 'bench')",
                    params![
                        (n * CHANGES_PER_CLIENT + change) as i64,
                        id,
                        change as i64,
                        r#"{"family_name":[null,"x"]}"#
                    ],
                )
                .unwrap();
        }
    }
    transaction.commit().unwrap();
    started.elapsed()
}

/// Fills both databases batch by batch, alternating, so that the disk's and the
/// machine's moods hit both alike; returns the median batch time per client of each.
fn insert_both(encrypted: &Connection, plain: &Connection) -> (Duration, Duration) {
    let (mut e, mut p) = (Vec::new(), Vec::new());
    for batch in 0..CLIENTS / 100 {
        p.push(insert_batch(plain, batch));
        e.push(insert_batch(encrypted, batch));
    }
    (median(e) / 100, median(p) / 100)
}

fn queries(connection: &Connection, insert_per_client: Duration) -> Figures {
    let mut list = Vec::new();
    let mut statement = connection
        .prepare("SELECT id, family_name, given_name FROM clients ORDER BY family_name LIMIT 50 OFFSET ?1")
        .unwrap();
    for sample in 0..SAMPLES {
        let started = Instant::now();
        let rows: Vec<(String, String, String)> = statement
            .query_map([(sample * 37 % (CLIENTS - 50)) as i64], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 50);
        list.push(started.elapsed());
    }

    let mut open = Vec::new();
    let mut client = connection.prepare("SELECT family_name, given_name, revision FROM clients WHERE id = ?1").unwrap();
    let mut history = connection
        .prepare("SELECT seq, fields FROM change_log WHERE entity = 'client' AND entity_id = ?1 ORDER BY hlc")
        .unwrap();
    for sample in 0..SAMPLES {
        let id = format!("{:08}-0000-7000-8000-000000000000", sample * 4_999 % CLIENTS);
        let started = Instant::now();
        let _: (String, String, i64) =
            client.query_row([&id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).unwrap();
        let changes: Vec<(i64, String)> =
            history.query_map([&id], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(changes.len(), CHANGES_PER_CLIENT);
        open.push(started.elapsed());
    }
    Figures {
        insert_per_client,
        list_page: median(list.clone()),
        list_page_p95: percentile(list, 0.95),
        open_client: median(open),
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1000.0)
}

fn ratio(encrypted: Duration, plain: Duration) -> String {
    format!("{:.2}×", encrypted.as_secs_f64() / plain.as_secs_f64().max(1e-9))
}

fn main() {
    let folder = tempfile::tempdir().unwrap();

    // Unlock with the real Argon2id parameters.
    let profiles = Profiles::new(&DataDir::open(folder.path()).unwrap(), Arc::new(NoKeyring));
    let password = "тау бұлақ өзен 2026";
    let id = profiles.create("Bench", password, 0).unwrap().profile.id;
    let unlocks: Vec<Duration> = (0..7)
        .map(|n| {
            let started = Instant::now();
            let open = profiles.unlock(&id, password, n).unwrap();
            let elapsed = started.elapsed();
            drop(open);
            elapsed
        })
        .collect();
    let unlock = median(unlocks);

    // A cipher-free baseline beside the encrypted store, on the same schema.
    let encrypted = open_encrypted(&folder.path().join("encrypted.db"), &Secret::random()).unwrap();
    let plain = open_plain(&folder.path().join("plain.db")).unwrap();
    let (insert_encrypted, insert_plain) = insert_both(&encrypted, &plain);
    let p = queries(&plain, insert_plain);
    let e = queries(&encrypted, insert_encrypted);

    println!(
        "store benchmark ({CLIENTS} clients, {} change records, medians of {SAMPLES})",
        CLIENTS * CHANGES_PER_CLIENT
    );
    println!("  unlock (Argon2id 96 MiB t=3 p=4 + open)  {}   target 300–1000 ms", ms(unlock));
    println!("  {:<34} {:>12} {:>12} {:>8}", "", "encrypted", "plain", "ratio");
    for (name, enc, pl) in [
        ("insert a client + 5 changes", e.insert_per_client, p.insert_per_client),
        ("caseload page (50, by name)", e.list_page, p.list_page),
        ("caseload page p95", e.list_page_p95, p.list_page_p95),
        ("open a client with history", e.open_client, p.open_client),
    ] {
        println!("  {name:<34} {:>12} {:>12} {:>8}", ms(enc), ms(pl), ratio(enc, pl));
    }
}
