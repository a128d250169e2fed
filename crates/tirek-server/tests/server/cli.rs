//! The `tirek-server` binary: the admin commands an administrator types, and the
//! configuration errors she would see.

use std::process::{Command, Output};

use serde_json::Value;

use crate::common::TestServer;

/// Runs `tirek-server` with `args` against `database_url` (from the environment,
/// as a container would pass it).
fn tirek_server(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tirek-server"))
        .args(args)
        .env("TIREK_SERVER_DATABASE_URL", database_url)
        .env("TIREK_SERVER_LOG", "warn")
        .output()
        .expect("tirek-server runs")
}

fn json(output: Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[tokio::test]
async fn an_administrator_sets_up_a_psychologist_whose_device_then_enrols() {
    let server = TestServer::start().await;
    let url = server.database_url.clone();
    let run = move |args: &[&str]| json(tirek_server(&url, args));
    let (org, user, code) = tokio::task::spawn_blocking(move || {
        let org = run(&["admin", "--json", "org", "create", "Түркістан облысы"]);
        let org_id = org[0]["id"].to_string();
        let clinic = run(&["admin", "--json", "clinic", "create", "Сайрам ЕО", "--parent", &org_id]);
        let clinic_id = clinic[0]["id"].to_string();
        let team = run(&["admin", "--json", "team", "create", "Психологтар", "--parent", &clinic_id]);
        let team_id = team[0]["id"].to_string();
        let user = run(&[
            "admin",
            "--json",
            "user",
            "create",
            "--org",
            &org_id,
            "--team",
            &team_id,
            "--login",
            "aliya",
            "--name",
            "Әлия Нұрланқызы",
            "--role",
            "psychologist",
        ]);
        let user_id = user[0]["id"].to_string();
        let code = run(&["admin", "--json", "code", "create", "--user", &user_id, "--hours", "2"]);
        (org, user, code)
    })
    .await
    .expect("the commands ran");
    assert_eq!(org[0]["name"], "Түркістан облысы");
    assert_eq!(user[0]["role"], "psychologist");
    assert_eq!(user[0]["disabled_at"], Value::Null);
    let typed = code[0]["code"].as_str().expect("a code").to_owned();
    assert!(code[0]["expires_at"].as_str().is_some_and(|at| at.ends_with('Z')));
    let device = server.enrol(&typed, "pc").await.expect("the administrator's code enrols the device");

    let url = server.database_url.clone();
    let device_id = device.id.clone();
    let (listed, revoked, text) = tokio::task::spawn_blocking(move || {
        let listed = json(tirek_server(&url, &["admin", "--json", "device", "list"]));
        let revoked = json(tirek_server(&url, &["admin", "--json", "device", "revoke", &device_id]));
        let text = String::from_utf8(tirek_server(&url, &["admin", "user", "list"]).stdout).expect("UTF-8");
        (listed, revoked, text)
    })
    .await
    .expect("the commands ran");
    assert_eq!(listed[0]["id"], device.id.as_str());
    assert_eq!(listed[0]["user_id"], user[0]["id"]);
    assert!(revoked[0]["revoked_at"].is_string());
    assert!(text.contains("login: aliya\n"), "without --json, one `key: value` line per field:\n{text}");
    assert!(server.status(&device).await.is_err(), "the revoked device is refused");

    // Revoked by mistake: let back in, the old token stays refused; a new code
    // connects the same device again.
    let (url, device_id) = (server.database_url.clone(), device.id.clone());
    let reinstated = tokio::task::spawn_blocking(move || {
        json(tirek_server(&url, &["admin", "--json", "device", "reinstate", &device_id]))
    })
    .await
    .expect("the command ran");
    assert_eq!(reinstated[0]["revoked_at"], Value::Null);
    assert!(server.status(&device).await.is_err(), "the old token stays refused");
}

#[tokio::test]
async fn mistakes_are_named_plainly_with_exit_code_one() {
    let server = TestServer::start().await;
    let folder = tempfile::tempdir().expect("a folder");
    let config = folder.path().join("server.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\ndatabse_url = \"postgres://x\"\n").expect("writes");
    let url = server.database_url.clone();
    let config_arg = config.display().to_string();
    let outputs = tokio::task::spawn_blocking(move || {
        [
            tirek_server(&url, &["--config", &config_arg, "migrate"]),
            tirek_server(&url, &["serve"]),
            tirek_server(
                &url,
                &["admin", "user", "create", "--org", "999", "--login", "x", "--name", "x", "--role", "administrator"],
            ),
            tirek_server(
                &url,
                &["admin", "user", "create", "--org", "1", "--login", "x", "--name", "x", "--role", "chief"],
            ),
        ]
    })
    .await
    .expect("the commands ran");
    let expected = [
        "server.toml, line 2: unknown field `databse_url`",
        "start with --insecure-dev",
        "not found",
        "--role chief: psychologist, supervisor or administrator",
    ];
    for (output, expected) in outputs.iter().zip(expected) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.starts_with("tirek-server: ") && stderr.contains(expected),
            "expected {expected:?} in:\n{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "one line, the whole chain:\n{stderr}");
    }
}

#[test]
fn init_makes_a_ca_and_a_server_certificate_and_prints_the_fingerprint_devices_see() {
    let dir = tempfile::tempdir().expect("a folder");
    let tls = dir.path().join("tls");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tirek-server"))
            .args(args)
            .env_remove("TIREK_SERVER_DATABASE_URL")
            .output()
            .expect("tirek-server runs")
    };
    let dir_arg = tls.to_str().expect("utf-8");
    let made = json(run(&["init", "--dir", dir_arg, "--host", "127.0.0.1", "--host", "tirek.local", "--json"]));
    let made = &made[0];
    assert_eq!(made["new_ca"], true);
    assert_eq!(made["hosts"], serde_json::json!(["127.0.0.1", "tirek.local"]));
    let ca = std::fs::read_to_string(tls.join("ca.crt")).expect("ca.crt");
    let der = rustls_pki_types::pem::PemObject::from_pem_slice(ca.as_bytes())
        .map(|der: rustls_pki_types::CertificateDer<'static>| der.to_vec())
        .expect("a certificate");
    assert_eq!(made["ca_sha256"], tirek_server::certificates::fingerprint(&der));

    // Run again: the CA is kept, and the plain output names the fingerprint and the
    // configuration lines.
    let again = run(&["init", "--dir", dir_arg]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(text.contains(made["ca_sha256"].as_str().expect("hex")), "{text}");
    assert!(text.contains("kept") && text.contains("tls_cert = "), "{text}");
    // The USB bundles' key, made once beside the CA and named for the configuration.
    assert_eq!(made["new_bundle_key"], true);
    let bundle_key = tls.join("bundle.key");
    assert!(text.contains(&format!("bundle_key = \"{}\"", bundle_key.display())), "{text}");
    assert_eq!(
        tirek_server::bundle::load_key(&bundle_key).expect("a bundle key").public_key().to_hex(),
        made["bundle_public_key"].as_str().expect("hex")
    );

    // A fresh folder without --host: told what is missing, nothing made.
    let empty = dir.path().join("empty");
    let refused = run(&["init", "--dir", empty.to_str().expect("utf-8")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--host"));
    assert!(!empty.join("ca.crt").exists());
}
