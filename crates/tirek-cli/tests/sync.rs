//! `tirek sync enrol|now|status|bundle` against the real server on a private
//! PostgreSQL, as an administrator's instructions have a psychologist type them:
//! plain HTTP refused without `--insecure-dev`, a wrong code named in one line, then
//! enrolment, a sync, and the status with what waits for consent; and a sync by USB
//! stick, the file written, imported by the server and its answer imported back.

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

/// The real server on its own database, with one psychologist; stops when dropped.
struct RunningServer {
    runtime: tokio::runtime::Runtime,
    address: std::net::SocketAddr,
    pool: sqlx::PgPool,
    config: Config,
    _keys: tempfile::TempDir,
    user: i64,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl RunningServer {
    fn start() -> RunningServer {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let database_url = Cluster::shared().create_database().expect("a database");
        // The USB bundles' key, as `tirek-server init` makes it.
        let keys = tempfile::tempdir().unwrap();
        let bundle_key = Some(tirek_server::bundle::ensure_key(keys.path()).unwrap().path);
        let config = Config { listen: "127.0.0.1:0".parse().unwrap(), database_url, bundle_key, ..Config::default() };
        let server = runtime.block_on(Server::bind(config.clone(), Transport::InsecureDev)).expect("starts");
        let address = server.local_addr().unwrap();
        let pool = server.pool().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = runtime.spawn(async move { server.run(async move { drop(stopped.await) }).await.expect("runs") });
        let user = runtime.block_on(async {
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
            admin::create_user(&pool, &user).await.unwrap().id
        });
        RunningServer { runtime, address, pool, config, _keys: keys, user, stop: Some(stop), running: Some(running) }
    }

    /// `tirek-server admin import-bundle FILE`: the answer's path.
    fn import_bundle(&self, file: &Path) -> std::path::PathBuf {
        let imported =
            self.runtime.block_on(tirek_server::bundle::import_file(&self.pool, &self.config, file, None)).unwrap();
        imported.answer
    }

    fn code(&self) -> String {
        self.runtime.block_on(admin::create_code(&self.pool, self.user, 1)).unwrap().code
    }

    fn count(&self, sql: &'static str, device: &str) -> i64 {
        self.runtime.block_on(sqlx::query_scalar(sql).bind(device).fetch_one(&self.pool)).unwrap()
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(running) = self.running.take() {
            let _ = self.runtime.block_on(running);
        }
    }
}

#[test]
fn a_psychologist_enrols_syncs_and_reads_the_status_from_the_command_line() {
    let server = RunningServer::start();
    let url = format!("http://{}", server.address);
    let code = server.code();

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
}

/// `tirek … sync now` started and left running, with the small steps of tests.
fn spawn_sync(data_dir: &Path) -> std::process::Child {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tirek"))
        .args(["--password-stdin", "--insecure-dev", "--json", "sync", "now"])
        .env("TIREK_DATA_DIR", data_dir)
        .env("TIREK_TEST_SYNC_STEPS", "2,2")
        .env("LANG", "en_US.UTF-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("tirek runs");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("password");
    child
}

/// Kills `child` with SIGKILL once `ready` holds, failing if it finished first.
fn kill_when(mut child: std::process::Child, what: &str, ready: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !ready() {
        assert!(child.try_wait().unwrap().is_none(), "the sync finished before it was {what}");
        assert!(std::time::Instant::now() < deadline, "never {what}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().unwrap();
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(9), "killed, not finished");
}

#[test]
fn a_sync_killed_mid_push_and_mid_pull_carries_on_from_the_same_files() {
    use tirek_faults::{FaultMix, FaultProxy};
    const STORED: &str = "SELECT count(*) FROM changes WHERE device_id = $1";
    let server = RunningServer::start();
    let proxy = FaultProxy::start(server.address, 12).unwrap();
    proxy.watch(b"POST /v1/push");
    proxy.watch(b"POST /v1/pull");
    let (desk, laptop) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut devices = Vec::new();
    for folder in [&desk, &laptop] {
        json(&tirek(folder.path(), &["--json", "profile", "create", "--name", "Aigul"]));
        let enrolled = json(&tirek(
            folder.path(),
            &["--insecure-dev", "--json", "sync", "enrol", "--server", &proxy.url(), "--code", &server.code()],
        ));
        devices.push(enrolled["device_id"].as_str().unwrap().to_owned());
    }
    json(&tirek(desk.path(), &["--json", "demo", "seed", "--clients", "8", "--seed", "3"]));
    let waiting = json(&tirek(desk.path(), &["--json", "sync", "status"]))["waiting"].as_u64().unwrap();
    assert!(waiting > 20, "{waiting} changes to send");

    // Every chunk crawls through the proxy; the desk is killed between its pushes.
    let slow = FaultMix { clean: 0, delay: 1, max_delay: std::time::Duration::from_millis(40), ..FaultMix::CLEAN };
    proxy.set_faults(slow);
    kill_when(spawn_sync(desk.path()), "pushing", || {
        proxy.requests(b"POST /v1/push") >= 3 && server.count(STORED, &devices[0]) > 0
    });
    let stored = server.count(STORED, &devices[0]);
    assert!(stored > 0 && (stored as u64) < waiting, "killed mid-push: {stored} of {waiting} stored");

    proxy.set_faults(FaultMix::CLEAN);
    let resumed = json(&tirek(desk.path(), &["--insecure-dev", "--json", "sync", "now"]));
    assert_eq!(resumed["in_step"], true, "{resumed}");
    let status = json(&tirek(desk.path(), &["--json", "sync", "status"]));
    assert_eq!(status["waiting"], 0, "{status}");
    let refused = server.count("SELECT count(*) FROM refusals WHERE device_id = $1", &devices[0]);
    let acknowledged = server.count("SELECT acknowledged_seq FROM devices WHERE id = $1", &devices[0]);
    assert_eq!(server.count(STORED, &devices[0]) + refused, acknowledged, "each change stored or refused, once");
    assert_eq!(status["acknowledged"].as_i64(), Some(acknowledged), "{status}");

    // The laptop is killed between the pages it pulls.
    proxy.set_faults(slow);
    let pulls_before = proxy.requests(b"POST /v1/pull");
    kill_when(spawn_sync(laptop.path()), "pulling", || proxy.requests(b"POST /v1/pull") >= pulls_before + 3);
    proxy.set_faults(FaultMix::CLEAN);
    let listed = json(&tirek(laptop.path(), &["--json", "client", "list"]));
    assert!(listed.is_array() || listed.is_object(), "the profile opens after the kill: {listed}");
    let resumed = json(&tirek(laptop.path(), &["--insecure-dev", "--json", "sync", "now"]));
    assert_eq!(resumed["in_step"], true, "the laptop holds exactly the server's changes: {resumed}");
    let again = json(&tirek(laptop.path(), &["--insecure-dev", "--json", "sync", "now"]));
    assert_eq!(again["pulled"], 0, "nothing pulled twice: {again}");
    assert_eq!(again["in_step"], true);
}

#[test]
fn a_psychologist_without_a_connection_syncs_by_usb_stick_from_the_command_line() {
    let server = RunningServer::start();
    let url = format!("http://{}", server.address);
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    json(&tirek(dir, &["--json", "profile", "create", "--name", "Aigul"]));
    assert!(failure(&tirek(dir, &["sync", "bundle", "export", "--out", "."])).contains("not connected"));
    let code = server.code();
    json(&tirek(dir, &["--insecure-dev", "--json", "sync", "enrol", "--server", &url, "--code", &code]));
    let client = json(&tirek(dir, &["--json", "client", "add", "--family-name", "Ортақ", "--given-name", "Әлия"]));
    json(&tirek(dir, &["--json", "client", "consent", client["id"].as_str().unwrap(), "--scope", "server"]));

    // From here on no command reaches the server: a USB stick goes back and forth.
    let stick = tempfile::tempdir().unwrap();
    let out = stick.path().to_str().unwrap();
    let written = json(&tirek(dir, &["--json", "sync", "bundle", "export", "--out", out]));
    assert_eq!(written["changes"], 2, "the client and her consent: {written}");
    let bundle = std::path::PathBuf::from(written["path"].as_str().unwrap());
    let name = bundle.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("tirek-") && name.ends_with(".tirekbundle") && !name.contains("Ортақ"), "{name}");
    let text = tirek(dir, &["sync", "bundle", "export", "--out", out]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Wrote ") && text.contains("with 2 changes"), "{text}");

    let answer = server.import_bundle(&bundle);
    let summary = json(&tirek(dir, &["--json", "sync", "bundle", "import", answer.to_str().unwrap()]));
    assert_eq!(summary["pushed"], 2, "{summary}");
    assert_eq!(summary["in_step"], true, "{summary}");
    let status = json(&tirek(dir, &["--json", "sync", "status"]));
    assert_eq!((status["waiting"].as_u64(), status["acknowledged"].as_u64()), (Some(0), Some(2)), "{status}");
    assert!(status["last_sync_ms"].is_number(), "{status}");

    let again = tirek(dir, &["sync", "bundle", "import", answer.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("imported already"));
    let own = failure(&tirek(dir, &["sync", "bundle", "import", bundle.to_str().unwrap()]));
    assert!(own.contains("this computer wrote for the server"), "{own}");
    assert_eq!(own.lines().count(), 1, "{own}");
    assert_eq!(server.count("SELECT count(*) FROM changes WHERE device_id <> $1", ""), 2, "stored once");
}
