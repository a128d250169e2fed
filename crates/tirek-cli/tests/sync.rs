//! `tirek sync enrol|now|status` against the real server on a private PostgreSQL,
//! as an administrator's instructions have a psychologist type them: plain HTTP
//! refused without `--insecure-dev`, a wrong code named in one line, then enrolment,
//! a sync, and the status with what waits for consent.

mod common;

use std::path::Path;
use std::process::Output;

use common::{PASSWORD, json};
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;
use tirek_server::{Config, Server, Transport};
use tirek_test_postgres::Cluster;

fn tirek(data_dir: &Path, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("--password-stdin").chain(args.iter().copied()).collect();
    common::tirek(data_dir, &args, &format!("{PASSWORD}\n"))
}

fn failure(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_psychologist_enrols_syncs_and_reads_the_status_from_the_command_line() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let database_url = Cluster::shared().create_database().expect("a database");
    let config = Config { listen: "127.0.0.1:0".parse().unwrap(), database_url, ..Config::default() };
    let server = runtime.block_on(Server::bind(config, Transport::InsecureDev)).expect("starts");
    let url = format!("http://{}", server.local_addr().unwrap());
    let pool = server.pool().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = runtime.spawn(async move { server.run(async move { drop(stopped.await) }).await.expect("runs") });
    let code = runtime.block_on(async {
        let organisation = admin::create_organisation(&pool, "Облыс").await.unwrap().id;
        let clinic = admin::create_clinic(&pool, organisation, "Емхана").await.unwrap().id;
        let team = admin::create_team(&pool, clinic, "Топ").await.unwrap().id;
        let user = NewUser {
            organisation_id: organisation,
            team_id: Some(team),
            login: "aigul".to_owned(),
            name: "Айгүл".to_owned(),
            role: Role::Psychologist,
        };
        let user = admin::create_user(&pool, &user).await.unwrap().id;
        admin::create_code(&pool, user, 1).await.unwrap().code
    });

    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    json(&tirek(dir, &["--json", "profile", "create", "--name", "Aigul"]));
    let status = json(&tirek(dir, &["--json", "sync", "status"]));
    assert_eq!(status["enrolled"], false);

    let refused = failure(&tirek(dir, &["sync", "enrol", "--server", &url, "--code", &code]));
    assert!(refused.contains("https://"), "{refused}");
    let wrong = failure(&tirek(dir, &["--insecure-dev", "sync", "enrol", "--server", &url, "--code", "AAAAA-BBBBB"]));
    assert!(wrong.contains("enrolment code is wrong"), "{wrong}");
    assert_eq!(wrong.lines().count(), 1, "{wrong}");
    assert!(failure(&tirek(dir, &["sync", "now"])).contains("not connected"));

    let enrolled = json(&tirek(dir, &["--insecure-dev", "--json", "sync", "enrol", "--server", &url, "--code", &code]));
    assert!(enrolled["device_id"].is_string(), "{enrolled}");

    let shared = json(&tirek(dir, &["--json", "client", "add", "--family-name", "Ортақ", "--given-name", "Әлия"]));
    let shared = shared["id"].as_str().unwrap().to_owned();
    json(&tirek(dir, &["--json", "client", "consent", &shared, "--scope", "server"]));
    json(&tirek(dir, &["--json", "client", "add", "--family-name", "Құпия", "--given-name", "Бота"]));

    let synced = json(&tirek(dir, &["--insecure-dev", "--json", "sync", "now"]));
    assert_eq!(synced["pushed"], 2, "the consenting client and her consent: {synced}");
    assert_eq!(synced["in_step"], true, "{synced}");
    assert_eq!(synced["waiting_for_consent"], 1, "{synced}");
    let status = json(&tirek(dir, &["--json", "sync", "status"]));
    assert_eq!(status["enrolled"], true);
    assert_eq!(status["server"], url.as_str());
    assert_eq!(status["waiting"], 0);
    assert_eq!(status["waiting_for_consent"], 1);
    assert!(status["last_sync_ms"].is_number(), "{status}");

    let text = tirek(dir, &["sync", "status"]);
    let text = String::from_utf8_lossy(&text.stdout);
    for line in [
        "Server: http://127.0.0.1",
        "Last successful sync: ",
        "Changes waiting to go: 0",
        "consent to central storage: 1",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    // Without the developer's flag, a plain-HTTP server is not used even once enrolled.
    assert!(failure(&tirek(dir, &["sync", "now"])).contains("https://"));

    // The device's token (`<device id>.<secret>`) is sealed in the encrypted profile:
    // no file of the data folder — settings, logs, the database's own files — and
    // nothing the commands printed holds it in the clear.
    let token_start = format!("{}.", enrolled["device_id"].as_str().unwrap());
    let mut printed = String::new();
    for args in [&["--insecure-dev", "--json", "sync", "now"][..], &["sync", "status"], &["--json", "sync", "status"]] {
        let output = tirek(dir, args);
        printed.push_str(&String::from_utf8_lossy(&output.stdout));
        printed.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    assert!(!printed.contains(&token_start), "{printed}");
    let mut folders = vec![dir.to_path_buf()];
    let mut files = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files += 1;
                let bytes = std::fs::read(&path).unwrap();
                let found = bytes.windows(token_start.len()).any(|window| window == token_start.as_bytes());
                assert!(!found, "the token is readable in {}", path.display());
            }
        }
    }
    assert!(files >= 2, "the settings and the profile were scanned");

    let _ = stop.send(());
    let _ = runtime.block_on(running);
}
