//! The harness: a running server on a fresh database, an organisation to enrol
//! users in, and a device that speaks the protocol over HTTP.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::PgPool;
use tirek_protocol::{
    Cursor, EnrolRequest, EnrolResponse, PROTOCOL_HEADER, PROTOCOL_VERSION, Problem, PullRequest, PullResponse,
    PushRequest, PushResponse, StatusResponse, WireChange, WireValue,
};
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;
use tirek_server::{Config, Server, Transport};
use tirek_test_postgres::Cluster;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A server running for one test; stopped when dropped.
pub struct TestServer {
    pub base: String,
    pub database_url: String,
    pub pool: PgPool,
    pub http: reqwest::Client,
    pub team: i64,
    pub organisation: i64,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// A server with the default configuration on the binary's shared cluster.
    pub async fn start() -> TestServer {
        Self::start_with(Cluster::shared(), |_| {}).await
    }

    /// A server on `cluster` whose configuration `adjust` changes first.
    pub async fn start_with(cluster: &Cluster, adjust: impl FnOnce(&mut Config)) -> TestServer {
        let database_url = cluster.create_database().expect("a fresh database");
        let mut config = Config {
            listen: "127.0.0.1:0".parse().expect("address"),
            database_url: database_url.clone(),
            ..Config::default()
        };
        adjust(&mut config);
        let server = Server::bind(config, Transport::InsecureDev).await.expect("the server starts");
        let base = format!("http://{}", server.local_addr().expect("address"));
        let pool = server.pool().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server.run(async move { drop(stopped.await) }).await.expect("the server runs");
        });
        let organisation = admin::create_organisation(&pool, "Регион").await.expect("organisation").id;
        let clinic = admin::create_clinic(&pool, organisation, "Поликлиника №1").await.expect("clinic").id;
        let team = admin::create_team(&pool, clinic, "Команда").await.expect("team").id;
        TestServer {
            base,
            database_url,
            pool,
            http: reqwest::Client::new(),
            team,
            organisation,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// A new user of `role` (in the test team, unless an administrator).
    pub async fn user(&self, login: &str, role: Role) -> i64 {
        let team = (role != Role::Administrator).then_some(self.team);
        let user = NewUser {
            organisation_id: self.organisation,
            team_id: team,
            login: login.to_owned(),
            name: login.to_owned(),
            role,
        };
        admin::create_user(&self.pool, &user).await.expect("user").id
    }

    /// A fresh enrolment code for `user`.
    pub async fn code(&self, user: i64) -> String {
        admin::create_code(&self.pool, user, 1).await.expect("code").code
    }

    /// Enrols a new device for `user` with a fresh code.
    pub async fn device(&self, user: i64, name: &str) -> TestDevice {
        let code = self.code(user).await;
        self.enrol(&code, name).await.expect("enrols")
    }

    /// Tries to enrol a device called `name` with `code`.
    pub async fn enrol(&self, code: &str, name: &str) -> Result<TestDevice, (u16, Problem)> {
        let request = EnrolRequest {
            code: code.to_owned(),
            device_id: format!("device-{name}"),
            author: format!("profile-{name}"),
            app_version: "0.1.0-test".to_owned(),
        };
        let response: EnrolResponse = self.call("POST", "/v1/enrol", None, Some(&request)).await?;
        Ok(TestDevice { id: response.device_id, author: request.author, token: response.token, next_seq: 1 })
    }

    /// Sends a request with the current protocol version and reads the answer.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        device: Option<&TestDevice>,
        body: Option<&B>,
    ) -> Result<T, (u16, Problem)> {
        let mut request = match method {
            "GET" => self.http.get(format!("{}{path}", self.base)),
            _ => self.http.post(format!("{}{path}", self.base)),
        };
        request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(device) = device {
            request = request.bearer_auth(&device.token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        read(request.send().await.expect("the server answers")).await
    }

    pub async fn push(&self, device: &TestDevice, changes: &[WireChange]) -> Result<PushResponse, (u16, Problem)> {
        self.call("POST", "/v1/push", Some(device), Some(&PushRequest { changes: changes.to_vec(), audit: None })).await
    }

    pub async fn pull(
        &self,
        device: &TestDevice,
        cursor: Cursor,
        limit: Option<u32>,
    ) -> Result<PullResponse, (u16, Problem)> {
        let request = PullRequest { epoch: None, cursor: Some(cursor), limit, ..Default::default() };
        self.call("POST", "/v1/pull", Some(device), Some(&request)).await
    }

    /// Waits until every change stored so far can be pulled: until no transaction
    /// that began before the last of them is still running anywhere in the cluster.
    /// Tests share one cluster, and another test's `CREATE DATABASE` holds back
    /// every pull's snapshot for as long as it takes (see `pull.rs`): the rows are
    /// pulled late, never skipped — this waits for "late" instead of asserting it.
    pub async fn settle(&self) {
        for _ in 0..200 {
            let settled: bool = sqlx::query_scalar(
                "SELECT coalesce(max(txid) < pg_snapshot_xmin(pg_current_snapshot()), true) FROM changes",
            )
            .fetch_one(&self.pool)
            .await
            .expect("asks");
            if settled {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("a transaction kept every pull waiting for ten seconds");
    }

    /// Every change `device` can pull once what is stored has settled, page by page
    /// from the start.
    pub async fn pull_all(&self, device: &TestDevice) -> Vec<WireChange> {
        self.settle().await;
        let mut cursor = Cursor::START;
        let mut all = Vec::new();
        loop {
            let page = self.pull(device, cursor, None).await.expect("pulls");
            all.extend(page.changes);
            cursor = page.cursor;
            if !page.more {
                return all;
            }
        }
    }

    /// The status, once what is stored has settled (see [`TestServer::settle`]).
    pub async fn status(&self, device: &TestDevice) -> Result<StatusResponse, (u16, Problem)> {
        self.settle().await;
        self.call::<(), _>("GET", "/v1/status", Some(device), None).await
    }

    /// How many changes the server stored.
    pub async fn stored(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM changes").fetch_one(&self.pool).await.expect("counts")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Reads an answer: the body on success, the status and problem otherwise.
pub async fn read<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, (u16, Problem)> {
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let bytes = response.bytes().await.expect("a body");
    if (200..300).contains(&status) {
        return Ok(serde_json::from_slice(&bytes).expect("a protocol body"));
    }
    assert_eq!(content_type, "application/problem+json", "every refusal is a problem body");
    let problem: Problem = serde_json::from_slice(&bytes).expect("a problem body");
    assert_eq!(problem.status, status);
    Err((status, problem))
}

/// An enrolled device, and the next sequence number of its change log.
#[derive(Debug, Clone)]
pub struct TestDevice {
    pub id: String,
    pub author: String,
    pub token: String,
    pub next_seq: i64,
}

impl TestDevice {
    /// The next change of this device's log: `entity` record `id`, on revision
    /// `base`, setting `fields` (old values null).
    pub fn change(&mut self, entity: &str, id: &str, base: i64, fields: &[(&str, WireValue)]) -> WireChange {
        let seq = self.next_seq;
        self.next_seq += 1;
        WireChange {
            device_id: self.id.clone(),
            seq,
            hlc: now_hlc() + seq as u64,
            entity: entity.to_owned(),
            record_id: id.to_owned(),
            base_revision: base,
            author: self.author.clone(),
            fields: fields
                .iter()
                .map(|(f, v)| ((*f).to_owned(), (WireValue::Null, v.clone())))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    /// A new client of this device's user.
    pub fn new_client(&mut self, id: &str) -> WireChange {
        self.change("client", id, 0, &[("family_name", text("Нұрланова")), ("given_name", text("Әлия"))])
    }
}

pub fn text(value: &str) -> WireValue {
    WireValue::Text(value.to_owned())
}

/// An HLC value for now.
pub fn now_hlc() -> u64 {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis() as u64;
    ms << 16
}
