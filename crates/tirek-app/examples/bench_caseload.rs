//! `cargo xtask bench caseload`: the caseload as the window calls it, through
//! `tirek-app`, on a supervisor-sized profile — 10,000 demo clients with about
//! 100,000 consultations — beside the same calls on a 100-client profile measured in
//! the same run (the baseline: what the machine does with almost no data).
//!
//! Targets (DESIGN.md §7, issue 4): caseload list p95 ≤ 30 ms, open a client p95 ≤ 20
//! ms, search p95 ≤ 15 ms. Exits 1 when one is missed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tirek_app::{App, CaseloadQuery};
use tirek_store::NoKeyring;

const SAMPLES: usize = 200;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p) as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

/// A profile with `clients` demo clients, unlocked.
fn seeded(clients: u32) -> (tempfile::TempDir, App, Duration) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let app = App::start_with(folder.path(), Arc::new(NoKeyring)).0.with_fast_key_derivation_for_tests();
    let id = app.create_profile("Bench", "тау бұлақ өзен 2026").expect("profile").profile.id;
    app.unlock(&id, "тау бұлақ өзен 2026").expect("unlock");
    let started = Instant::now();
    let summary = app.demo_seed(clients, 1).expect("seed");
    let took = started.elapsed();
    eprintln!(
        "  seeded {} clients, {} consultations in {:.1} s",
        summary.clients,
        summary.consultations,
        took.as_secs_f64()
    );
    (folder, app, took)
}

/// p50 and p95 of `call` run over `inputs` in turn.
fn measure<T>(inputs: &[T], mut call: impl FnMut(&T)) -> (Duration, Duration) {
    for input in inputs.iter().take(5) {
        call(input); // warm the page cache, as a working session has
    }
    let mut samples: Vec<Duration> = (0..SAMPLES)
        .map(|i| {
            let started = Instant::now();
            call(&inputs[i % inputs.len()]);
            started.elapsed()
        })
        .collect();
    (percentile(&mut samples, 0.5), percentile(&mut samples, 0.95))
}

struct Row {
    name: &'static str,
    target: Option<Duration>,
}

fn queries() -> Vec<CaseloadQuery> {
    let query = |f: &dyn Fn(&mut CaseloadQuery)| {
        let mut q = CaseloadQuery { limit: Some(100), ..CaseloadQuery::default() };
        f(&mut q);
        q
    };
    vec![
        query(&|_| {}),
        query(&|q| q.order = "last_contact".into()),
        query(&|q| q.order = "next_due".into()),
        query(&|q| q.overdue = true),
        query(&|q| q.no_contact_days = Some(90)),
        query(&|q| q.district = Some("turkistan.sairam".into())),
        query(&|q| q.archived = true),
    ]
}

fn searches() -> Vec<String> {
    ["әли", "НҰР", "иван", "ким анна", "гүл", "701", "8 707", "сейіл", "ова", "жан"].map(str::to_owned).to_vec()
}

fn run(app: &App) -> Vec<(Duration, Duration)> {
    let ids: Vec<String> = app
        .caseload(&CaseloadQuery { limit: Some(1000), ..CaseloadQuery::default() })
        .expect("list")
        .rows
        .into_iter()
        .map(|row| row.id)
        .collect();
    let queries = queries();
    let searches = searches();
    vec![
        measure(&queries, |q| {
            app.caseload(q).expect("list");
        }),
        measure(&ids, |id| {
            app.client(id).expect("client");
        }),
        measure(&searches, |text| {
            app.caseload(&CaseloadQuery { search: text.clone(), limit: Some(100), ..CaseloadQuery::default() })
                .expect("search");
        }),
    ]
}

fn main() {
    let rows = [
        Row { name: "caseload list (7 sorts/filters, 100 rows)", target: Some(Duration::from_millis(30)) },
        Row { name: "open a client (page with timeline)", target: Some(Duration::from_millis(20)) },
        Row { name: "search as you type (10 queries)", target: Some(Duration::from_millis(15)) },
    ];
    eprintln!("caseload benchmark through tirek-app ({SAMPLES} calls each)");
    let (_small_dir, small, _) = seeded(100);
    let baseline = run(&small);
    drop(small);
    let (_big_dir, big, _) = seeded(10_000);
    let figures = run(&big);
    println!("{:<44}{:>24}{:>26}{:>12}", "", "100 clients p50/p95", "10,000 clients p50/p95", "target p95");
    let mut missed = false;
    for ((row, (base50, base95)), (p50, p95)) in rows.iter().zip(&baseline).zip(&figures) {
        let target = row.target.map_or("—".to_owned(), ms);
        let verdict = match row.target {
            Some(target) if *p95 > target => {
                missed = true;
                "  MISSED"
            }
            _ => "",
        };
        println!(
            "  {:<42}{:>24}{:>26}{:>12}{verdict}",
            row.name,
            format!("{} / {}", ms(*base50), ms(*base95)),
            format!("{} / {}", ms(*p50), ms(*p95)),
            target
        );
    }
    if missed {
        std::process::exit(1);
    }
}
