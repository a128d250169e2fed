//! The server never logs clinical content. The real binary runs as its own process
//! with its most talkative log level, writing to a file in a folder that is also
//! its working directory and holds its configuration; a psychologist's computers
//! push and pull names, notes and IINs in Kazakh, Russian and English — accepted,
//! refused (too long, unknown field, out of scope, malformed) and erased — and then
//! the whole log and every file in that folder are searched for each value, as
//! written and case-folded.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use tirek_protocol::{
    Cursor, EnrolRequest, EnrolResponse, PROTOCOL_HEADER, PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest,
    PushResponse, WireChange, WireValue,
};
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;
use tirek_test_postgres::Cluster;

use crate::common::{TestDevice, text};

/// Every clinical value the test sends; none may reach a log or a file.
const SEEDED: &[&str] = &[
    "Нұрланова",
    "Әлияхан",
    "Жұмабекқызы",
    "Иванова",
    "Светланочка",
    "Thompsonshire",
    "Gwendolyn",
    "870512400123",
    "Бала қараңғыдан қатты қорқады",
    "Ребёнок боится темноты по ночам",
    "Client is afraid of the dark at night",
    "Жасырынтегі",
    "Лақапатжасырын",
    "Бөтенбаласы",
    "Абай даңғылы 77",
    "Сыртқыжазу",
];

/// Kills the server when the test ends, whatever happens.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Remote {
    base: String,
    http: reqwest::Client,
}

impl Remote {
    async fn call<B: Serialize, T: DeserializeOwned>(&self, path: &str, token: Option<&str>, body: &B) -> (u16, T) {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON answer"))
    }

    async fn enrol(&self, code: &str, name: &str) -> TestDevice {
        let request = EnrolRequest {
            code: code.to_owned(),
            device_id: format!("device-{name}"),
            author: format!("profile-{name}"),
            app_version: "0.1.0-test".to_owned(),
        };
        let (status, answer): (u16, EnrolResponse) = self.call("/v1/enrol", None, &request).await;
        assert_eq!(status, 200);
        TestDevice { id: answer.device_id, author: request.author, token: answer.token, next_seq: 1 }
    }

    async fn push(&self, device: &TestDevice, changes: Vec<WireChange>) -> PushResponse {
        let (status, answer) = self.call("/v1/push", Some(&device.token), &PushRequest { changes, audit: None }).await;
        assert_eq!(status, 200);
        answer
    }
}

fn files_under(folder: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[tokio::test]
async fn names_notes_and_iins_never_reach_the_log_or_a_file() {
    let database_url = Cluster::shared().create_database().expect("a database");
    let pool = sqlx::PgPool::connect(&database_url).await.expect("connects");
    tirek_server::db::migrate(&pool).await.expect("migrates");
    let organisation = admin::create_organisation(&pool, "Регион").await.unwrap().id;
    let clinic = admin::create_clinic(&pool, organisation, "Емхана").await.unwrap().id;
    let team = admin::create_team(&pool, clinic, "Команда").await.unwrap().id;
    let user = |login: &str| NewUser {
        organisation_id: organisation,
        team_id: Some(team),
        login: login.to_owned(),
        name: login.to_owned(),
        role: Role::Psychologist,
    };
    let aliya = admin::create_user(&pool, &user("aliya")).await.unwrap().id;
    let dana = admin::create_user(&pool, &user("dana")).await.unwrap().id;

    let folder = tempfile::tempdir().unwrap();
    let log_path = folder.path().join("server.log");
    std::fs::write(folder.path().join("server.toml"), "listen = \"127.0.0.1:0\"\n").unwrap();
    let log = std::fs::File::create(&log_path).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_tirek-server"))
        .args(["--config", "server.toml", "serve", "--insecure-dev"])
        .current_dir(folder.path())
        .env("TIREK_SERVER_DATABASE_URL", &database_url)
        .env("TIREK_SERVER_LOG", "debug")
        .env("RUST_LOG", "debug")
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("tirek-server starts");
    let _running = Running(child);

    // The address it listens on, from its own log.
    let started = Instant::now();
    let address = loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if let Some(line) = text.lines().find(|line| line.contains("serving")) {
            let at = line.find("address=").expect("the address is logged") + "address=".len();
            break line[at..].split_whitespace().next().unwrap().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start:\n{text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let remote = Remote { base: format!("http://{address}"), http: reqwest::Client::new() };

    let mut desk = remote.enrol(&admin::create_code(&pool, aliya, 1).await.unwrap().code, "desk").await;
    let laptop = remote.enrol(&admin::create_code(&pool, aliya, 1).await.unwrap().code, "laptop").await;
    let mut danas = remote.enrol(&admin::create_code(&pool, dana, 1).await.unwrap().code, "danas").await;
    let danas_client = danas.change("client", "dana-client", 0, &[("family_name", text("Иванова"))]);
    remote.push(&danas, vec![danas_client]).await;

    let accepted = vec![
        desk.change(
            "client",
            "kk",
            0,
            &[("family_name", text("Нұрланова")), ("given_name", text("Әлияхан")), ("iin", text("870512400123"))],
        ),
        desk.change("client", "ru", 0, &[("family_name", text("Иванова")), ("given_name", text("Светланочка"))]),
        desk.change("client", "en", 0, &[("family_name", text("Thompsonshire")), ("given_name", text("Gwendolyn"))]),
        desk.change("client", "kk", 1, &[("patronymic", text("Жұмабекқызы")), ("address", text("Абай даңғылы 77"))]),
        desk.change(
            "consultation",
            "session-1",
            0,
            &[
                ("notes", text("Бала қараңғыдан қатты қорқады")),
                ("concerns", text("Ребёнок боится темноты по ночам")),
                ("plan", text("Client is afraid of the dark at night")),
            ],
        ),
    ];
    let answer = remote.push(&desk, accepted).await;
    assert!(answer.refused.is_empty(), "{:?}", answer.refused);

    let refused = vec![
        desk.change("client", "long", 0, &[("family_name", text(&"Жасырынтегі".repeat(20)))]),
        desk.change("client", "odd", 0, &[("nickname", text("Лақапатжасырын"))]),
        desk.change("child", "foreign", 0, &[("client_id", text("dana-client")), ("name", text("Бөтенбаласы"))]),
        desk.change("client", "ru", 2, &[(tirek_domain::entities::ERASED, WireValue::Integer(1))]),
    ];
    let answer = remote.push(&desk, refused).await;
    assert_eq!(answer.refused.len(), 3, "{:?}", answer.refused);
    assert!(answer.refused.iter().all(|refusal| !SEEDED.iter().any(|value| refusal.detail.contains(value))));

    // Not a batch at all: the parser's complaint would quote the value.
    let (status, _): (u16, serde_json::Value) =
        remote.call("/v1/push", Some(&desk.token), &serde_json::json!({"changes": "Сыртқыжазу"})).await;
    assert_eq!(status, 400);

    let mut cursor = Cursor::START;
    let mut pulled = Vec::new();
    loop {
        let request = PullRequest { epoch: None, cursor: Some(cursor), limit: Some(2), ..Default::default() };
        let (status, page): (u16, PullResponse) = remote.call("/v1/pull", Some(&laptop.token), &request).await;
        assert_eq!(status, 200);
        pulled.extend(page.changes);
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert!(pulled.iter().any(|change| change.record_id == "kk"), "the values did travel");
    tokio::time::sleep(Duration::from_millis(200)).await;

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.contains("push") && log.contains("pull"), "the log says what happened:\n{log}");
    let mut files = Vec::new();
    files_under(folder.path(), &mut files);
    assert!(files.len() >= 2);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let content = String::from_utf8_lossy(&bytes);
        let folded = content.to_lowercase();
        for value in SEEDED {
            for form in [value.to_string(), value.to_lowercase(), value.to_uppercase()] {
                assert!(
                    !content.contains(&form) && !folded.contains(&form.to_lowercase()),
                    "{} holds {form:?}",
                    file.display()
                );
            }
            // Its start too: a value cut short in a log line is still a leak. (Not
            // for the IIN: six digits can be a timestamp's microseconds.)
            let start: String = value.chars().take(8).collect::<String>().to_lowercase();
            if !value.chars().all(|c| c.is_ascii_digit()) {
                assert!(!folded.contains(&start), "{} holds the start of {value:?}", file.display());
            }
        }
    }
}
