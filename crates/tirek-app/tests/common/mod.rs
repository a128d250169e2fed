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
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;
use tirek_server::{Config, Server, Transport};
use tirek_store::MemoryKeyring;
use tirek_test_postgres::Cluster;

pub const PASSWORD: &str = "тау бұлақ өзен 2026";

/// The real server on its own database.
pub struct TestServer {
    pub runtime: tokio::runtime::Runtime,
    pub address: SocketAddr,
    pub base: String,
    pub pool: sqlx::PgPool,
    pub certificate_pem: Option<String>,
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

    fn start(tls: bool) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let database_url = Cluster::shared().create_database().expect("a database");
        let mut config = Config { listen: "127.0.0.1:0".parse().unwrap(), database_url, ..Config::default() };
        let mut certificate_pem = None;
        if tls {
            let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
            let (cert, key) = (folder.path().join("server.crt"), folder.path().join("server.key"));
            std::fs::write(&cert, certified.cert.pem()).unwrap();
            std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
            config.tls_cert = Some(cert);
            config.tls_key = Some(key);
            certificate_pem = Some(certified.cert.pem());
        }
        let transport = if tls { Transport::Tls } else { Transport::InsecureDev };
        let server = runtime.block_on(Server::bind(config, transport)).expect("the server starts");
        let address = server.local_addr().unwrap();
        let pool = server.pool().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = runtime.spawn(async move {
            server.run(async move { drop(stopped.await) }).await.expect("the server runs");
        });
        let (organisation, team) = runtime.block_on(async {
            let organisation = admin::create_organisation(&pool, "Түркістан облысы").await.unwrap().id;
            let clinic = admin::create_clinic(&pool, organisation, "Сайрам емханасы").await.unwrap().id;
            let team = admin::create_team(&pool, clinic, "Психологтар").await.unwrap().id;
            (organisation, team)
        });
        let scheme = if tls { "https" } else { "http" };
        let mut server = TestServer {
            runtime,
            address,
            base: format!("{scheme}://{address}"),
            pool,
            certificate_pem,
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
        app.sync_enrol(&input).expect("enrols").device_id
    }

    pub fn revoke(&self, device_id: &str) {
        self.runtime.block_on(admin::revoke_device(&self.pool, device_id)).unwrap();
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

    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = self.runtime.block_on(task);
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One computer: its own data folder, keyring and unlocked profile.
pub struct Computer {
    _folder: tempfile::TempDir,
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

/// A client who consents to central storage (or not).
pub fn new_client(app: &App, family: &str, server_consent: bool) -> String {
    let id = app.create_client(&client_input(family)).unwrap();
    let scopes: &[&str] = if server_consent { &["record", "server"] } else { &["record"] };
    for scope in scopes {
        let consent = ConsentInput {
            scope: (*scope).into(),
            given_by: "client".into(),
            method: "signed_paper".into(),
            given_on: today(),
            ..ConsentInput::default()
        };
        app.give_consent(&id, &consent).unwrap();
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
