//! `tirek-server admin import-bundle`: a device's USB bundle, sealed as the app
//! seals it, imported by the binary an administrator runs — its changes stored once
//! however often it is imported, the answer written beside it and readable only
//! with the device's answer key — and each bad bundle refused in a precise line with
//! nothing stored.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tirek_protocol::bundle::{self, AnswerKey, BundleKind, BundlePublicKey, DeviceBundle};
use tirek_protocol::{Cursor, PROTOCOL_VERSION, PushRequest};
use tirek_server::rules::Role;
use tirek_test_postgres::Cluster;

use crate::common::{TestDevice, TestServer};

/// A server with a bundle key made as `tirek-server init` makes it.
async fn server_with_bundle_key() -> (TestServer, tempfile::TempDir, PathBuf) {
    let keys = tempfile::tempdir().expect("a folder");
    let made = tirek_server::bundle::ensure_key(keys.path()).expect("a bundle key");
    let path = made.path.clone();
    let server = TestServer::start_with(Cluster::shared(), |config| config.bundle_key = Some(made.path)).await;
    (server, keys, path)
}

fn import(database_url: &str, key: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tirek-server"))
        .args(["admin", "--json", "import-bundle"])
        .args(args)
        .env("TIREK_SERVER_DATABASE_URL", database_url)
        .env("TIREK_SERVER_BUNDLE_KEY", key)
        .env("TIREK_SERVER_LOG", "warn")
        .output()
        .expect("tirek-server runs")
}

async fn run_import(server: &TestServer, key: &Path, args: &[&str]) -> Output {
    let (url, key) = (server.database_url.clone(), key.to_owned());
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        import(&url, &key, &args)
    })
    .await
    .expect("the command ran")
}

fn imported(output: &Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice::<Value>(&output.stdout).expect("JSON")[0].clone()
}

fn refused(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// What the app writes: the device's batches, token, cursor and a fresh answer key.
fn device_bundle(device: &TestDevice, epoch: &str, batches: Vec<PushRequest>, answer_key: [u8; 32]) -> DeviceBundle {
    DeviceBundle {
        bundle_id: format!("{:032x}", u128::from(answer_key[0]) << 100 | 0xabc),
        protocol: PROTOCOL_VERSION,
        app_version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        device_id: device.id.clone(),
        token: device.token.clone(),
        written_ms: 0,
        epoch: epoch.to_owned(),
        acknowledged: 0,
        cursor: None,
        batches,
        answer_key: AnswerKey::from_bytes(answer_key),
    }
}

fn write(folder: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, bytes).expect("write the bundle");
    path
}

#[tokio::test]
async fn a_bundle_imported_twice_stores_its_changes_once_and_the_answer_opens_only_on_its_device() {
    let (server, _keys, key) = server_with_bundle_key().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut desk = server.device(user, "desk").await;
    let mut laptop = server.device(user, "laptop").await;
    // The laptop synced over the network; the desk has no connection at all.
    let change = laptop.new_client("c-laptop");
    server.push(&laptop, &[change]).await.expect("pushes");
    let status = server.status(&desk).await.expect("status");
    let public = BundlePublicKey::from_hex(status.bundle_key.as_deref().expect("the status names the bundle key"))
        .expect("a key");
    assert_eq!(tirek_server::bundle::load_key(&key).expect("key").public_key(), public);

    let changes: Vec<_> = (0..7).map(|n| desk.new_client(&format!("c-desk-{n}"))).collect();
    let batches = vec![
        PushRequest { changes: changes[..4].to_vec(), audit: None },
        PushRequest { changes: changes[4..].to_vec(), audit: None },
    ];
    let answer_key = [42; 32];
    let sealed =
        bundle::seal_for_server(&device_bundle(&desk, &status.epoch, batches, answer_key), &public, [7; 32]).unwrap();
    let folder = tempfile::tempdir().expect("a folder: the USB stick");
    let file = write(folder.path(), "tirek-0000002a-2026-03-15.tirekbundle", &sealed);
    server.settle().await;

    let first = imported(&run_import(&server, &key, &[file.to_str().unwrap()]).await);
    assert_eq!((first["sent"].as_u64(), first["stored"].as_u64()), (Some(7), Some(7)), "{first}");
    assert_eq!(first["pulled"], 1, "the laptop's change goes back to the desk: {first}");
    assert_eq!(first["complete"], true);
    let answer_path = PathBuf::from(first["answer"].as_str().expect("the answer's path"));
    assert_eq!(answer_path.parent(), Some(folder.path()), "written beside the bundle");
    let name = answer_path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("tirek-") && name.ends_with("-answer.tirekbundle"), "{name}");
    assert_eq!(server.stored().await, 8);

    let answer_bytes = std::fs::read(&answer_path).expect("the answer");
    assert_eq!(bundle::kind_of(&answer_bytes), Ok(BundleKind::Answer));
    let answer = bundle::open_answer(&answer_bytes, &AnswerKey::from_bytes(answer_key), &desk.id).expect("opens");
    assert_eq!(answer.pushes.iter().map(|push| push.acknowledged).max(), Some(7));
    assert_eq!(answer.status.acknowledged, 7);
    assert_eq!(answer.from, Cursor::START);
    let pulled: Vec<_> = answer.pages.iter().flat_map(|page| &page.changes).collect();
    assert_eq!(pulled.len(), 1);
    assert_eq!(pulled[0].record_id, "c-laptop");
    assert_eq!(answer.status.bundle_key.as_deref(), Some(public.to_hex().as_str()));
    assert!(
        bundle::open_answer(&answer_bytes, &AnswerKey::from_bytes(answer_key), &laptop.id).is_err(),
        "bound to the desk"
    );

    // The same bundle again, into another folder: nothing is stored twice.
    let out = tempfile::tempdir().expect("a folder");
    let again =
        imported(&run_import(&server, &key, &[file.to_str().unwrap(), "--out", out.path().to_str().unwrap()]).await);
    assert_eq!((again["stored"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(7)), "{again}");
    assert!(again["answer"].as_str().unwrap().starts_with(out.path().to_str().unwrap()), "{again}");
    assert_eq!(server.stored().await, 8);
    let counts: Vec<(i64,)> =
        sqlx::query_as("SELECT count(*) FROM changes GROUP BY device_id, device_seq HAVING count(*) > 1")
            .fetch_all(&server.pool)
            .await
            .expect("counts");
    assert!(counts.is_empty(), "no change stored twice");

    // The laptop pulls the desk's changes over the network as if they came by push.
    let from_desk = server.pull_all(&laptop).await;
    assert_eq!(from_desk.iter().filter(|change| change.device_id == desk.id).count(), 7);
}

#[tokio::test]
async fn another_organisation_s_a_damaged_an_answer_or_a_revoked_device_s_bundle_is_refused_precisely() {
    let (server, _keys, key) = server_with_bundle_key().await;
    let user = server.user("aliya", Role::Psychologist).await;
    let mut desk = server.device(user, "desk").await;
    let status = server.status(&desk).await.expect("status");
    let public = BundlePublicKey::from_hex(status.bundle_key.as_deref().unwrap()).unwrap();
    let folder = tempfile::tempdir().expect("a folder");
    let batch = vec![PushRequest { changes: vec![desk.new_client("c1")], audit: None }];
    let bundle = device_bundle(&desk, &status.epoch, batch, [1; 32]);

    // Sealed to another organisation's server.
    let elsewhere = tempfile::tempdir().expect("a folder");
    let other_key = tirek_server::bundle::ensure_key(elsewhere.path()).unwrap();
    let other = BundlePublicKey::from_hex(&other_key.public_key).unwrap();
    let file = write(folder.path(), "other.tirekbundle", &bundle::seal_for_server(&bundle, &other, [2; 32]).unwrap());
    let message = refused(&run_import(&server, &key, &[file.to_str().unwrap()]).await);
    assert!(message.contains("another server's bundle key"), "{message}");
    assert!(message.contains(&other.fingerprint()) && message.contains(&public.fingerprint()), "{message}");

    // One byte flipped on the way.
    let mut sealed = bundle::seal_for_server(&bundle, &public, [3; 32]).unwrap();
    let middle = sealed.len() / 2;
    sealed[middle] ^= 0x20;
    let file = write(folder.path(), "flipped.tirekbundle", &sealed);
    let message = refused(&run_import(&server, &key, &[file.to_str().unwrap()]).await);
    assert!(message.contains("damaged or was altered"), "{message}");

    // Not a bundle; and an answer brought to the server by mistake.
    let file = write(folder.path(), "letter.pdf", b"%PDF-1.7\n");
    assert!(refused(&run_import(&server, &key, &[file.to_str().unwrap()]).await).contains("not a Tirek sync bundle"));
    let answer = bundle::AnswerBundle {
        bundle_id: "b".to_owned(),
        device_id: desk.id.clone(),
        device_epoch: status.epoch.clone(),
        written_ms: 0,
        pushes: vec![],
        push_problem: None,
        from: Cursor::START,
        pages: vec![],
        status: status.clone(),
    };
    let file = write(
        folder.path(),
        "answer.tirekbundle",
        &bundle::seal_answer(&answer, &AnswerKey::from_bytes([1; 32]), [0; 24]).unwrap(),
    );
    let message = refused(&run_import(&server, &key, &[file.to_str().unwrap()]).await);
    assert!(message.contains("server's answer"), "{message}");

    // The device was revoked after writing it: refused as its requests are.
    let file = write(folder.path(), "good.tirekbundle", &bundle::seal_for_server(&bundle, &public, [4; 32]).unwrap());
    tirek_server::admin::revoke_device(&server.pool, &desk.id).await.expect("revokes");
    let message = refused(&run_import(&server, &key, &[file.to_str().unwrap()]).await);
    assert!(message.contains("revoked"), "{message}");

    // Without a bundle key the command says what to set.
    let (url, path) = (server.database_url.clone(), file.clone());
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_tirek-server"))
            .args(["admin", "import-bundle", path.to_str().unwrap()])
            .env("TIREK_SERVER_DATABASE_URL", url)
            .env("TIREK_SERVER_LOG", "warn")
            .output()
            .expect("runs")
    })
    .await
    .unwrap();
    assert!(refused(&output).contains("bundle_key"));

    assert_eq!(server.stored().await, 0, "nothing of any of them was stored");
}
