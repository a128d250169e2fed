//! Abuse: rate limits per device and per address, body limits before and after
//! decompression, timeouts for clients that send slowly, the cap on connections.
//! Each test runs the real server with small limits, so the property shows in a
//! second or two.

use std::io::Write as _;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;
use tirek_protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION, Problem, ProblemKind};
use tirek_server::rules::Role;
use tirek_test_postgres::Cluster;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{TestServer, read};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("compresses");
    encoder.finish().expect("compresses")
}

/// Reads what the server sends until it closes the connection (or `within` ends).
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&answer).into_owned()),
            Ok(Ok(read)) => answer.extend_from_slice(&buffer[..read]),
            Err(_) => return None,
        }
    }
}

fn problem_in(answer: &str) -> Problem {
    let body = answer.split("\r\n\r\n").nth(1).expect("an answer with a body");
    serde_json::from_str(body).unwrap_or_else(|err| panic!("a problem body: {err}: {answer}"))
}

#[tokio::test]
async fn a_burst_from_one_device_is_answered_429_then_served_after_the_wait() {
    let server = TestServer::start_with(Cluster::shared(), |config| {
        config.device_requests_per_minute = 60;
        config.device_burst = 3;
    })
    .await;
    let user = server.user("aliya", Role::Psychologist).await;
    let device = server.device(user, "pc").await;
    let other = server.device(user, "laptop").await;
    for _ in 0..3 {
        server.status(&device).await.expect("within the burst");
    }
    let response = server
        .http
        .get(format!("{}/v1/status", server.base))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .bearer_auth(&device.token)
        .send()
        .await
        .unwrap();
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    let (status, problem) = read::<()>(response).await.expect_err("over the limit");
    assert_eq!((status, problem.kind), (429, ProblemKind::RateLimited));
    assert_eq!(problem.retry_after, Some(retry_after));
    assert_eq!(retry_after, 1, "one request a second comes back after a second");
    server.status(&other).await.expect("her other computer has its own bucket");

    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    server.status(&device).await.expect("served again after Retry-After");
    let (status, _) = server.status(&device).await.expect_err("and only one token came back");
    assert_eq!(status, 429);
}

#[tokio::test]
async fn a_burst_from_one_address_is_refused_before_any_code_is_checked() {
    let server = TestServer::start_with(Cluster::shared(), |config| {
        config.address_requests_per_minute = 60;
        config.address_burst = 5;
    })
    .await;
    for attempt in 0..5 {
        let (status, problem) = server.enrol("AAAAA-BBBBB", &format!("guess-{attempt}")).await.expect_err("wrong");
        assert_eq!((status, problem.kind), (403, ProblemKind::EnrolmentCodeInvalid));
    }
    let user = server.user("aliya", Role::Psychologist).await;
    let code = server.code(user).await;
    let (status, problem) = server.enrol(&code, "pc").await.expect_err("even a right code waits");
    assert_eq!((status, problem.kind), (429, ProblemKind::RateLimited));
    let health = server.http.get(format!("{}/health", server.base)).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200, "health checks are not limited");
    tokio::time::sleep(Duration::from_secs(1)).await;
    server.enrol(&code, "pc").await.expect("the code was not used up by the refusal");
}

#[tokio::test]
async fn a_client_sending_its_headers_byte_by_byte_is_cut_off() {
    let server = TestServer::start_with(Cluster::shared(), |config| config.header_timeout_seconds = 1).await;
    let address = server.base.trim_start_matches("http://").to_owned();

    let mut slow = TcpStream::connect(&address).await.unwrap();
    let started = Instant::now();
    let request = b"GET /v1/status HTTP/1.1\r\nHost: tirek\r\ntirek-protocol: 1\r\nx-padding: aaaaaaaaaaaaaaaaaaaaaaaa";
    let mut cut = false;
    for byte in request {
        if slow.write_all(&[*byte]).await.is_err() {
            cut = true;
            break;
        }
        let mut probe = [0u8; 64];
        if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(100), slow.read(&mut probe)).await {
            cut = true;
            break;
        }
    }
    let elapsed = started.elapsed();
    assert!(cut, "the connection was still open after {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "cut after {elapsed:?}");

    let mut idle = TcpStream::connect(&address).await.unwrap();
    assert!(read_until_closed(&mut idle, Duration::from_secs(3)).await.is_some(), "an idle connection is closed too");
    let health = server.http.get(format!("{}/health", server.base)).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200, "the server serves everyone else meanwhile");
}

#[tokio::test]
async fn a_body_sent_byte_by_byte_is_answered_request_timeout_and_cut_off() {
    let server = TestServer::start_with(Cluster::shared(), |config| config.body_timeout_seconds = 1).await;
    let mut slow = TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    let head = "POST /v1/enrol HTTP/1.1\r\nHost: tirek\r\ntirek-protocol: 1\r\ncontent-type: application/json\r\n\
                content-length: 200\r\n\r\n";
    slow.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = slow.into_split();
    let dribble = tokio::spawn(async move {
        for _ in 0..200 {
            if writer.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), reader.read_to_end(&mut answer)).await;
    dribble.abort();
    assert!(read.is_ok(), "the connection was not closed");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(problem_in(&answer).kind, ProblemKind::RequestTimeout);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_gzip_bomb_is_refused_as_batch_too_large_and_the_server_stays_up() {
    let server = TestServer::start_with(Cluster::shared(), |config| config.max_body_bytes = 1024 * 1024).await;
    let user = server.user("aliya", Role::Psychologist).await;
    let device = server.device(user, "pc").await;
    // 16 MiB of padding that compresses to about 16 KiB: sixteen times the limit.
    let mut inflated = b"{\"changes\": [], \"padding\": \"".to_vec();
    inflated.resize(16 * 1024 * 1024, b' ');
    let bomb = gzip(&inflated);
    assert!(bomb.len() < 1024 * 1024, "the bomb itself is under the limit: {}", bomb.len());
    let response = server
        .http
        .post(format!("{}/v1/push", server.base))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .bearer_auth(&device.token)
        .body(bomb)
        .send()
        .await
        .unwrap();
    let (status, problem) = read::<()>(response).await.expect_err("refused");
    assert_eq!((status, problem.kind), (413, ProblemKind::BatchTooLarge));
    assert_eq!(server.stored().await, 0);
    server.status(&device).await.expect("the server is still up");
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read() {
    let server = TestServer::start_with(Cluster::shared(), |config| config.max_body_bytes = 64 * 1024).await;
    let address = server.base.trim_start_matches("http://").to_owned();

    // Only the headers: the refusal comes without waiting for a byte of the body.
    let mut stream = TcpStream::connect(&address).await.unwrap();
    let head = "POST /v1/push HTTP/1.1\r\nHost: tirek\r\ntirek-protocol: 1\r\ncontent-encoding: gzip\r\n\
                content-length: 500000000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(2)).await.expect("answered at once");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(problem_in(&answer).kind, ProblemKind::BatchTooLarge);

    // Without a length (chunked), a compressed body is cut off once it passes the
    // limit as sent — before it is inflated.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let noise: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect();
    let compressed = gzip(&noise);
    assert!(compressed.len() > 64 * 1024);
    let mut stream = TcpStream::connect(&address).await.unwrap();
    let head = "POST /v1/enrol HTTP/1.1\r\nHost: tirek\r\ntirek-protocol: 1\r\ncontent-encoding: gzip\r\n\
                transfer-encoding: chunked\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in compressed.chunks(8192) {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let answer = read_until_closed(&mut stream, Duration::from_secs(5)).await.expect("answered");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(problem_in(&answer).kind, ProblemKind::BatchTooLarge);
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_one() {
    let server = TestServer::start_with(Cluster::shared(), |config| {
        config.max_connections = 2;
        config.header_timeout_seconds = 1;
    })
    .await;
    let address = server.base.trim_start_matches("http://").to_owned();
    let _first = TcpStream::connect(&address).await.unwrap();
    let _second = TcpStream::connect(&address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let health = server.http.get(format!("{}/health", server.base)).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(700), "served at once despite the cap: {waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}
