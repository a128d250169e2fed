//! Enrolment, authentication, revocation and the protocol version check.

use tirek_protocol::{APP_VERSION_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION, Problem, ProblemKind, VersionRange};
use tirek_server::admin;
use tirek_server::rules::Role;

use crate::common::{TestServer, read};

#[tokio::test]
async fn a_code_enrols_one_device_and_only_once() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let code = server.code(user).await;
    let device = server.enrol(&code, "clinic-pc").await.expect("the code enrols");
    assert!(device.token.starts_with("device-clinic-pc."), "{}", device.token);
    assert!(server.status(&device).await.is_ok(), "the token works");

    let (status, problem) = server.enrol(&code, "laptop").await.expect_err("a used code");
    assert_eq!((status, problem.kind), (403, ProblemKind::EnrolmentCodeInvalid));
    let used_by: Option<String> =
        sqlx::query_scalar("SELECT used_by_device FROM enrolment_codes").fetch_one(&server.pool).await.unwrap();
    assert_eq!(used_by.as_deref(), Some("device-clinic-pc"), "the code records the device it enrolled");
}

#[tokio::test]
async fn a_code_is_read_however_it_is_typed() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let code = server.code(user).await;
    let typed = format!("  {}  ", code.replace('-', " ").to_lowercase());
    assert!(server.enrol(&typed, "pc").await.is_ok());
}

#[tokio::test]
async fn an_expired_or_unknown_code_is_refused() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let code = server.code(user).await;
    sqlx::query("UPDATE enrolment_codes SET expires_at = now() - interval '1 minute'")
        .execute(&server.pool)
        .await
        .unwrap();
    for code in [code.as_str(), "00000-00000", "not a code"] {
        let (status, problem) = server.enrol(code, "pc").await.expect_err("refused");
        assert_eq!((status, problem.kind), (403, ProblemKind::EnrolmentCodeInvalid), "{code}");
    }
}

#[tokio::test]
async fn a_device_id_is_its_users_a_new_code_of_hers_connects_it_again_with_its_mark() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let dana = server.user("dana", Role::Psychologist).await;
    let mut first = server.device(aliya, "pc").await;
    let change = first.new_client("c1");
    server.push(&first, &[change]).await.expect("stored");

    // Another user's code does not take the id, nor use the code up.
    let code = server.code(dana).await;
    let (status, problem) = server.enrol(&code, "pc").await.expect_err("taken");
    assert_eq!((status, problem.kind), (409, ProblemKind::DeviceAlreadyEnrolled));
    assert!(server.enrol(&code, "other-pc").await.is_ok(), "the refused attempt did not use the code up");

    // Hers connects it again (disconnected in the app, say): the numbering goes
    // on from the server's mark, and the old token is refused from now on.
    let code = server.code(aliya).await;
    let request = tirek_protocol::EnrolRequest {
        code,
        device_id: first.id.clone(),
        author: first.author.clone(),
        app_version: "0.1.0-test".to_owned(),
    };
    let again: tirek_protocol::EnrolResponse =
        server.call("POST", "/v1/enrol", None, Some(&request)).await.expect("connects again");
    assert_eq!(again.continues_from, Some(1));
    let (status, _) = server.status(&first).await.expect_err("the old token");
    assert_eq!(status, 401);
    first.token = again.token;
    assert_eq!(server.status(&first).await.expect("the new token").acknowledged, 1);

    // A new device is told nothing to continue from.
    let fresh: tirek_protocol::EnrolResponse = server
        .call(
            "POST",
            "/v1/enrol",
            None,
            Some(&tirek_protocol::EnrolRequest {
                code: server.code(aliya).await,
                device_id: "laptop".to_owned(),
                author: "profile-laptop".to_owned(),
                app_version: "0.1.0-test".to_owned(),
            }),
        )
        .await
        .expect("enrols");
    assert_eq!(fresh.continues_from, None);
}

#[tokio::test]
async fn a_revoked_device_and_a_disabled_users_devices_are_refused() {
    let server = TestServer::start().await;
    let aliya = server.user("aliya", Role::Psychologist).await;
    let dana = server.user("dana", Role::Psychologist).await;
    let mut stolen = server.device(aliya, "stolen-laptop").await;
    let kept = server.device(aliya, "clinic-pc").await;
    let danas = server.device(dana, "danas-pc").await;

    admin::revoke_device(&server.pool, &stolen.id).await.expect("revokes");
    let change = stolen.new_client("c1");
    let (status, problem) = server.push(&stolen, &[change]).await.expect_err("revoked");
    assert_eq!((status, problem.kind), (403, ProblemKind::DeviceRevoked));
    assert!(server.status(&kept).await.is_ok(), "her other device still works");
    // A new code does not bring it back; only an administrator's reinstating does.
    let code = server.code(aliya).await;
    let request = tirek_protocol::EnrolRequest {
        code: code.clone(),
        device_id: stolen.id.clone(),
        author: stolen.author.clone(),
        app_version: "0.1.0-test".to_owned(),
    };
    let refused = server.call::<_, tirek_protocol::EnrolResponse>("POST", "/v1/enrol", None, Some(&request)).await;
    assert_eq!(refused.map(|_| ()).unwrap_err().1.kind, ProblemKind::DeviceRevoked);
    admin::reinstate_device(&server.pool, &stolen.id).await.expect("reinstates");
    let (status, _) = server.status(&stolen).await.expect_err("its old token stays refused");
    assert_eq!(status, 401);
    let back: tirek_protocol::EnrolResponse =
        server.call("POST", "/v1/enrol", None, Some(&request)).await.expect("the same code now connects it");
    assert_eq!(back.continues_from, Some(0));
    admin::revoke_device(&server.pool, &stolen.id).await.expect("revokes");

    admin::disable_user(&server.pool, dana).await.expect("disables");
    let (status, problem) = server.status(&danas).await.expect_err("disabled user");
    assert_eq!((status, problem.kind), (403, ProblemKind::DeviceRevoked));
    let code = admin::create_code(&server.pool, dana, 1).await;
    assert!(code.is_err(), "no code for a disabled user");
}

#[tokio::test]
async fn a_wrong_or_missing_token_is_unauthenticated() {
    let server = TestServer::start().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut device = server.device(user, "pc").await;
    for token in [format!("{}.guessed", device.id), "device-nobody.x".to_owned(), "garbage".to_owned()] {
        device.token = token;
        let (status, problem) = server.status(&device).await.expect_err("refused");
        assert_eq!((status, problem.kind), (401, ProblemKind::Unauthenticated));
    }
    let response =
        server.http.get(format!("{}/v1/status", server.base)).header(PROTOCOL_HEADER, "1").send().await.unwrap();
    let (status, problem) = read::<()>(response).await.expect_err("no token");
    assert_eq!((status, problem.kind), (401, ProblemKind::Unauthenticated));
}

#[tokio::test]
async fn an_unsupported_protocol_version_is_refused_with_the_range() {
    let server = TestServer::start().await;
    for header in [Some("99"), Some("0"), Some("one"), None] {
        let mut request = server.http.post(format!("{}/v1/enrol", server.base)).body("{}");
        if let Some(header) = header {
            request = request.header(PROTOCOL_HEADER, header);
        }
        let (status, problem): (u16, Problem) = read::<()>(request.send().await.unwrap()).await.expect_err("refused");
        assert_eq!((status, problem.kind), (400, ProblemKind::VersionUnsupported), "{header:?}");
        assert_eq!(problem.supported, Some(VersionRange { min: 1, max: 1 }));
        assert_eq!(problem.type_uri, "urn:tirek:problem:version_unsupported");
    }
}

#[tokio::test]
async fn an_app_older_than_the_organisations_minimum_is_asked_to_update() {
    let server = TestServer::start_with(tirek_test_postgres::Cluster::shared(), |config| {
        config.min_app_version = Some("0.4.0".to_owned());
    })
    .await;
    for app in [Some("0.3.9"), Some("0.1"), Some("not-a-version"), None] {
        let mut request =
            server.http.get(format!("{}/v1/status", server.base)).header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(app) = app {
            request = request.header(APP_VERSION_HEADER, app);
        }
        let (status, problem): (u16, Problem) = read::<()>(request.send().await.unwrap()).await.expect_err("refused");
        assert_eq!((status, problem.kind), (426, ProblemKind::UpdateRequired), "{app:?}");
        assert_eq!(problem.minimum_app.as_deref(), Some("0.4.0"));
    }
    // As new or newer gets as far as its token.
    for app in ["0.4.0", "0.10.1"] {
        let request = server
            .http
            .get(format!("{}/v1/status", server.base))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .header(APP_VERSION_HEADER, app);
        let (status, problem): (u16, Problem) = read::<()>(request.send().await.unwrap()).await.expect_err("no token");
        assert_eq!((status, problem.kind), (401, ProblemKind::Unauthenticated), "{app}");
    }
}

#[tokio::test]
async fn health_and_readiness_answer_without_a_version() {
    let server = TestServer::start().await;
    for (path, body) in [("/health", "ok"), ("/ready", "ready")] {
        let response = server.http.get(format!("{}{path}", server.base)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers().contains_key("x-request-id"), "every answer carries its request id");
        assert_eq!(response.text().await.unwrap(), body);
    }
    let response = server.http.get(format!("{}/nowhere", server.base)).send().await.unwrap();
    let (status, problem) = read::<()>(response).await.expect_err("no such path");
    assert_eq!((status, problem.kind), (404, ProblemKind::NotFound));
}
