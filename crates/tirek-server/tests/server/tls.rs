//! The listener: HTTPS when a certificate is configured, and no plain HTTP unless
//! asked for with `--insecure-dev`.

use std::sync::Arc;
use std::time::Duration;

use tirek_server::{Config, Server, ServerError, Transport};
use tirek_test_postgres::Cluster;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

fn config() -> Config {
    let database_url = Cluster::shared().create_database().expect("a database");
    Config { listen: "127.0.0.1:0".parse().expect("address"), database_url, ..Config::default() }
}

#[tokio::test]
async fn with_a_certificate_the_server_speaks_https_and_only_https() {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("a certificate");
    let folder = tempfile::tempdir().expect("a folder");
    let (cert, key) = (folder.path().join("server.crt"), folder.path().join("server.key"));
    std::fs::write(&cert, certified.cert.pem()).expect("writes");
    std::fs::write(&key, certified.signing_key.serialize_pem()).expect("writes");
    let config = Config { tls_cert: Some(cert), tls_key: Some(key), ..config() };
    // A configured certificate wins even over --insecure-dev.
    let server = Server::bind(config, Transport::InsecureDev).await.expect("starts");
    assert!(server.is_tls());
    let address = server.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async move { drop(stopped.await) }));

    // A client that connects and never says a word must not hold up the others.
    let _stalled = TcpStream::connect(address).await.expect("connects");

    let mut roots = RootCertStore::empty();
    roots.add(certified.cert.der().clone()).expect("a root");
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let client = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = TlsConnector::from(Arc::new(client));
    let tcp = TcpStream::connect(address).await.expect("connects");
    let name = ServerName::try_from("localhost").expect("a name");
    let mut tls = tokio::time::timeout(Duration::from_secs(5), connector.connect(name, tcp))
        .await
        .expect("the handshake is not held up")
        .expect("the handshake succeeds");
    tls.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.expect("writes");
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await.expect("reads");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok"), "{answer}");

    let plain = reqwest::Client::new().get(format!("http://{address}/health")).send().await;
    assert!(plain.is_err(), "plain HTTP gets no answer from the HTTPS port");

    let _ = stop.send(());
    running.await.expect("joins").expect("stops cleanly");
}

#[tokio::test]
async fn without_a_certificate_the_server_refuses_to_start_unless_told_insecure_dev() {
    let refused = Server::bind(config(), Transport::Tls).await.expect_err("no certificate");
    assert!(matches!(&refused, ServerError::Tls(text) if text.contains("--insecure-dev")), "{refused}");
    let insecure = Server::bind(config(), Transport::InsecureDev).await.expect("starts when told");
    assert!(!insecure.is_tls());

    let half = Config { tls_cert: Some("/nowhere.crt".into()), ..config() };
    assert!(Server::bind(half, Transport::InsecureDev).await.is_err(), "a certificate without a key");
}
