//! The sync tests' harness, shared by `sync.rs` and `convergence.rs`: the real
//! `tirek-server` on its own database of the private PostgreSQL cluster, run by a
//! runtime of its own so the app's blocking client can call it from the test's
//! thread; one organisation with a team, its users and their enrolment codes; and
//! computers — each a data folder, a keyring and an unlocked profile.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use tirek_app::{App, AppError, ClientInput, ConsentInput, EnrolInput, SyncError};
use tirek_domain::Language;
use tirek_i18n::Messages;
use tirek_protocol::VersionRange;
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;
use tirek_server::{Config, Server, Transport};
use tirek_store::MemoryKeyring;
use tirek_test_postgres::Cluster;

pub const PASSWORD: &str = "тау бұлақ өзен 2026";

/// The real server on its own database.
pub struct TestServer {
    pub runtime: tokio::runtime::Runtime,
    pub config: Config,
    transport: Transport,
    pub address: SocketAddr,
    pub base: String,
    pub pool: sqlx::PgPool,
    pub certificate_pem: Option<String>,
    /// The CA's fingerprint as `tirek-server init` printed it.
    pub ca_sha256: Option<String>,
    /// The organisation's first psychologist.
    pub user: i64,
    organisation: i64,
    team: i64,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _folder: tempfile::TempDir,
}

impl TestServer {
    /// A server speaking HTTPS with a certificate made for 127.0.0.1.
    pub fn tls() -> TestServer {
        Self::start(true)
    }

    /// A server speaking plain HTTP (`--insecure-dev`).
    pub fn plain() -> TestServer {
        Self::start(false)
    }

    /// A server speaking plain HTTP that was given no key for USB bundles.
    pub fn plain_without_bundle_key() -> TestServer {
        Self::start_with(false, false)
    }

    fn start(tls: bool) -> TestServer {
        Self::start_with(tls, true)
    }

    fn start_with(tls: bool, bundle_key: bool) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let database_url = Cluster::shared().create_database().expect("a database");
        let mut config = Config { listen: "127.0.0.1:0".parse().unwrap(), database_url, ..Config::default() };
        let mut certificate_pem = None;
        let mut ca_sha256 = None;
        if tls {
            // What `tirek-server init` makes: an organisation CA and a certificate
            // it signs; devices pin the CA.
            let hosts = ["127.0.0.1".to_owned()];
            let made = tirek_server::certificates::init(folder.path(), "Түркістан облысы", &hosts, false).unwrap();
            config.tls_cert = Some(made.server_cert);
            config.tls_key = Some(made.server_key);
            certificate_pem = Some(std::fs::read_to_string(made.ca_cert).unwrap());
            ca_sha256 = Some(made.ca_sha256);
        }
        if bundle_key {
            // `init` makes it beside the CA; a plain server gets one the same way.
            config.bundle_key = Some(tirek_server::bundle::ensure_key(folder.path()).unwrap().path);
        }
        let transport = if tls { Transport::Tls } else { Transport::InsecureDev };
        let (address, pool, stop, task) = serve(&runtime, config.clone(), transport, None);
        config.listen = address;
        let (organisation, team) = runtime.block_on(async {
            let organisation = admin::create_organisation(&pool, "Түркістан облысы").await.unwrap().id;
            let clinic = admin::create_clinic(&pool, organisation, "Сайрам емханасы").await.unwrap().id;
            let team = admin::create_team(&pool, clinic, "Психологтар").await.unwrap().id;
            (organisation, team)
        });
        let scheme = if tls { "https" } else { "http" };
        let mut server = TestServer {
            runtime,
            config,
            transport,
            address,
            base: format!("{scheme}://{address}"),
            pool,
            certificate_pem,
            ca_sha256,
            user: 0,
            organisation,
            team,
            stop: Some(stop),
            task: Some(task),
            _folder: folder,
        };
        server.user = server.add_user("aigul", Role::Psychologist);
        server
    }

    /// Another user of the team.
    pub fn add_user(&self, login: &str, role: Role) -> i64 {
        let user = NewUser {
            organisation_id: self.organisation,
            team_id: Some(self.team),
            login: login.to_owned(),
            name: login.to_owned(),
            role,
        };
        self.runtime.block_on(admin::create_user(&self.pool, &user)).unwrap().id
    }

    pub fn code(&self) -> String {
        self.code_for(self.user)
    }

    pub fn code_for(&self, user: i64) -> String {
        self.runtime.block_on(admin::create_code(&self.pool, user, 1)).unwrap().code
    }

    /// Enrols `app` as the first psychologist; returns its device id.
    pub fn enrol(&self, app: &App) -> String {
        self.enrol_at(app, &self.base)
    }

    pub fn enrol_at(&self, app: &App, base: &str) -> String {
        self.enrol_as(app, self.user, base)
    }

    /// Enrols `app` as `user` through `base` (a proxy, say).
    pub fn enrol_as(&self, app: &App, user: i64, base: &str) -> String {
        let input = EnrolInput {
            server: base.to_owned(),
            code: self.code_for(user),
            certificate_pem: self.certificate_pem.clone(),
        };
        let enrolled = app.sync_enrol(&input).expect("enrols");
        assert_eq!(enrolled.certificate_sha256, self.ca_sha256, "the app shows the fingerprint `init` printed");
        enrolled.device_id
    }

    /// `tirek-server admin import-bundle FILE`: imports a device's USB bundle and
    /// writes the answer beside it — once every change stored so far can be pulled
    /// (see [`TestServer::settle`]).
    pub fn import_bundle(&self, file: &std::path::Path) -> tirek_server::Result<tirek_server::bundle::Imported> {
        self.settle();
        self.runtime.block_on(tirek_server::bundle::import_file(&self.pool, &self.config, file, None))
    }

    /// Waits until no transaction that began before the last stored change is still
    /// running anywhere in the cluster: another test's `CREATE DATABASE` on the shared
    /// cluster holds every pull's snapshot back meanwhile (pulled late, never skipped).
    pub fn settle(&self) {
        for _ in 0..200 {
            let settled: bool = self
                .runtime
                .block_on(
                    sqlx::query_scalar(
                        "SELECT coalesce(max(txid) < pg_snapshot_xmin(pg_current_snapshot()), true) FROM changes",
                    )
                    .fetch_one(&self.pool),
                )
                .unwrap();
            if settled {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("a transaction kept every pull waiting for ten seconds");
    }

    pub fn revoke(&self, device_id: &str) {
        self.runtime.block_on(admin::revoke_device(&self.pool, device_id)).unwrap();
    }

    /// `tirek-server admin device reinstate`: a device revoked by mistake may enrol again.
    pub fn reinstate(&self, device_id: &str) {
        self.runtime.block_on(admin::reinstate_device(&self.pool, device_id)).unwrap();
    }

    /// How many changes the server stored from `device`.
    pub fn stored(&self, device: &str) -> i64 {
        self.runtime
            .block_on(
                sqlx::query_scalar("SELECT count(*) FROM changes WHERE device_id = $1")
                    .bind(device)
                    .fetch_one(&self.pool),
            )
            .unwrap()
    }

    /// Backs up the server's database (`pg_dump`) into `file`.
    pub fn back_up(&self, file: &std::path::Path) {
        Cluster::shared().dump(&self.config.database_url, file).expect("pg_dump");
    }

    /// Stops the server, restores `file` into a new database and serves it again at
    /// the same address, as an operator does after losing the database.
    pub fn restore(&mut self, file: &std::path::Path) {
        self.stop();
        self.config.database_url = Cluster::shared().restore(file).expect("pg_restore");
        self.restart(None);
    }

    /// Stops the server and starts it again on the same address and database,
    /// accepting only the protocol versions `versions` (its own when `None`).
    pub fn restart(&mut self, versions: Option<VersionRange>) {
        self.stop();
        let (_, pool, stop, task) = serve(&self.runtime, self.config.clone(), self.transport, versions);
        (self.pool, self.stop, self.task) = (pool, Some(stop), Some(task));
    }

    pub fn epoch(&self) -> String {
        self.runtime.block_on(tirek_server::db::epoch(&self.pool)).unwrap()
    }

    /// Every change the server holds, by device and sequence number, with how many
    /// times each is stored.
    pub fn stored_changes(&self) -> Vec<(String, i64, i64)> {
        self.runtime
            .block_on(
                sqlx::query_as("SELECT device_id, device_seq, count(*) FROM changes GROUP BY 1, 2 ORDER BY 1, 2")
                    .fetch_all(&self.pool),
            )
            .unwrap()
    }

    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = self.runtime.block_on(task);
        }
    }
}

type Serving = (SocketAddr, sqlx::PgPool, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>);

/// Binds the real server with `config` on `runtime`, accepting the protocol
/// versions `versions` (its own when `None`), and serves until told to stop.
fn serve(
    runtime: &tokio::runtime::Runtime,
    config: Config,
    transport: Transport,
    versions: Option<VersionRange>,
) -> Serving {
    let mut server = runtime.block_on(Server::bind(config, transport)).expect("the server starts");
    if let Some(range) = versions {
        server.accept_versions(range);
    }
    let address = server.local_addr().unwrap();
    let pool = server.pool().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = runtime.spawn(async move {
        server.run(async move { drop(stopped.await) }).await.expect("the server runs");
    });
    (address, pool, stop, task)
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One computer: its own data folder, keyring and unlocked profile.
pub struct Computer {
    pub _folder: tempfile::TempDir,
    pub app: App,
}

pub fn computer() -> Computer {
    named_computer("Айгүл")
}

pub fn named_computer(name: &str) -> Computer {
    let folder = tempfile::tempdir().unwrap();
    let app = App::start_with(folder.path(), Arc::new(MemoryKeyring::default())).0.with_fast_key_derivation_for_tests();
    let id = app.create_profile(name, PASSWORD).unwrap().profile.id;
    app.unlock(&id, PASSWORD).unwrap();
    Computer { _folder: folder, app }
}

pub fn today() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    tirek_domain::date::Date::in_kazakhstan(now).to_string()
}

pub fn client_input(family: &str) -> ClientInput {
    ClientInput {
        family_name: family.into(),
        given_name: "Әлия".into(),
        phone: "8 701 234 56 78".into(),
        birth_date: "12.05.1987".into(),
        language: "kk".into(),
        ..ClientInput::default()
    }
}

/// The client's consent to `scope`, signed on paper today.
pub fn signed_consent(scope: &str) -> ConsentInput {
    ConsentInput {
        scope: scope.into(),
        given_by: "client".into(),
        method: "signed_paper".into(),
        given_on: today(),
        ..ConsentInput::default()
    }
}

/// A client who consents to central storage (or not).
pub fn new_client(app: &App, family: &str, server_consent: bool) -> String {
    let id = app.create_client(&client_input(family)).unwrap();
    let scopes: &[&str] = if server_consent { &["record", "server"] } else { &["record"] };
    for scope in scopes {
        app.give_consent(&id, &signed_consent(scope)).unwrap();
    }
    id
}

/// Syncs and checks the computer holds what the server holds for it.
pub fn sync(app: &App) -> tirek_app::SyncSummary {
    let summary = app.sync_now().expect("syncs");
    assert!(summary.in_step, "{summary:?}");
    summary
}

pub fn sync_error(result: Result<impl std::fmt::Debug, AppError>) -> (SyncError, AppError) {
    match result {
        Err(AppError::Sync(error)) => (error.clone(), AppError::Sync(error)),
        other => panic!("expected a sync error, got {other:?}"),
    }
}

/// The message in every language, none of them a bare message id.
pub fn translated(error: &AppError) -> Vec<String> {
    Language::ALL
        .iter()
        .map(|language| {
            let text = error.localized(&Messages::new(*language));
            assert!(!text.starts_with("error-"), "{language}: {text}");
            text
        })
        .collect()
}
