//! The proxy against a tiny echo server: each fault does to the bytes what it says.

use super::*;

/// An echo server that also keeps what each connection sent, in arrival order of
/// the connections' first bytes.
struct Echo {
    address: SocketAddr,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

fn echo() -> Echo {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let received: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let kept = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let kept = kept.clone();
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                let mut slot = None;
                while let Ok(read) = stream.read(&mut buffer) {
                    if read == 0 {
                        break;
                    }
                    let mut all = kept.lock().unwrap();
                    let index = *slot.get_or_insert_with(|| {
                        all.push(Vec::new());
                        all.len() - 1
                    });
                    all[index].extend_from_slice(&buffer[..read]);
                    drop(all);
                    if stream.write_all(&buffer[..read]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    Echo { address, received }
}

impl Echo {
    fn received(&self) -> Vec<Vec<u8>> {
        // The echo server's threads may still be reading the last bytes.
        std::thread::sleep(Duration::from_millis(100));
        self.received.lock().unwrap().clone()
    }
}

/// Sends `bytes`, closes the sending half, and reads everything that comes back.
fn exchange(proxy: &FaultProxy, bytes: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(proxy.address()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = stream.write_all(bytes);
    let _ = stream.shutdown(Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

fn only(fault: fn(&mut FaultMix)) -> FaultMix {
    let mut mix = FaultMix { clean: 0, max_delay: Duration::from_millis(200), max_cut: 100, ..FaultMix::CLEAN };
    fault(&mut mix);
    mix
}

const REQUEST: &[u8] = b"POST /v1/push HTTP/1.1\r\ncontent-length: 200\r\n\r\n";

#[test]
fn a_clean_proxy_forwards_everything_and_counts_the_bytes() {
    let echo = echo();
    let proxy = FaultProxy::start(echo.address, 1).unwrap();
    let body = vec![b'x'; 50_000];
    assert_eq!(exchange(&proxy, &body), body);
    assert_eq!(exchange(&proxy, b"hello"), b"hello");
    let traffic = proxy.traffic();
    assert_eq!(traffic, Traffic { upstream: 50_005, downstream: 50_005, connections: 2 });
    assert_eq!(proxy.faults().total(), 0);
}

#[test]
fn a_dropped_connection_never_reaches_the_server() {
    let echo = echo();
    let proxy = FaultProxy::start(echo.address, 2).unwrap();
    proxy.set_faults(only(|mix| mix.drop = 1));
    assert_eq!(exchange(&proxy, b"hello"), b"");
    assert!(echo.received().is_empty());
    assert_eq!(proxy.faults().dropped, 1);
}

#[test]
fn cuts_fall_mid_request_and_mid_response_at_the_drawn_byte() {
    let echo = echo();
    let proxy = FaultProxy::start(echo.address, 3).unwrap();
    let body = vec![b'y'; 1_000];
    proxy.set_faults(only(|mix| mix.cut_request = 1));
    let answer = exchange(&proxy, &body);
    let received = echo.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].len() < 100, "the server got only the start: {}", received[0].len());
    assert!(answer.len() <= received[0].len());

    proxy.set_faults(only(|mix| mix.cut_response = 1));
    let answer = exchange(&proxy, &body);
    let received = echo.received();
    assert_eq!(received[1].len(), 1_000, "the whole request went");
    assert!(answer.len() < 100, "the answer was cut: {}", answer.len());
    assert_eq!(proxy.faults().cut_requests + proxy.faults().cut_responses, 2);
}

#[test]
fn a_duplicated_request_reaches_the_server_twice_and_is_answered_once() {
    let echo = echo();
    let proxy = FaultProxy::start(echo.address, 4).unwrap();
    proxy.set_faults(only(|mix| mix.duplicate = 1));
    assert_eq!(exchange(&proxy, REQUEST), REQUEST);
    assert_eq!(echo.received(), vec![REQUEST.to_vec(), REQUEST.to_vec()]);
    assert_eq!(proxy.traffic().upstream, REQUEST.len() as u64, "the copy is not the device's traffic");
}

#[test]
fn a_held_request_goes_after_a_later_one() {
    let echo = echo();
    let mix = FaultMix { reorder: 1, clean: 1, ..only(|_| {}) };
    // A seed whose first connection is held and whose second is not.
    let seed = (0..)
        .find(|seed| {
            let mut rng = Rng::new(*seed);
            (mix.draw(&mut rng), mix.draw(&mut rng)) == (Fault::Reorder, Fault::None)
        })
        .unwrap();
    let proxy = FaultProxy::start(echo.address, seed).unwrap();
    proxy.set_faults(mix);
    let answers = std::thread::scope(|scope| {
        let first = scope.spawn(|| exchange(&proxy, b"first"));
        std::thread::sleep(Duration::from_millis(200));
        let later = exchange(&proxy, b"later");
        (first.join().unwrap(), later)
    });
    assert_eq!(answers, (b"first".to_vec(), b"later".to_vec()), "both are answered");
    assert_eq!(echo.received(), vec![b"later".to_vec(), b"first".to_vec()], "the later request went first");
    assert_eq!(proxy.faults().reordered, 1);
}

#[test]
fn a_delay_holds_each_chunk() {
    let echo = echo();
    let seed = 6;
    let proxy = FaultProxy::start(echo.address, seed).unwrap();
    let mix = FaultMix { delay: 1, max_delay: Duration::from_millis(300), ..only(|_| {}) };
    proxy.set_faults(mix);
    let mut rng = Rng::new(seed);
    let drawn: Duration = (0..4)
        .map(|_| match mix.draw(&mut rng) {
            Fault::Delay(pause) => pause,
            other => panic!("{other:?}"),
        })
        .sum();
    assert!(drawn > Duration::from_millis(100), "{drawn:?}");
    let started = Instant::now();
    for _ in 0..4 {
        assert_eq!(exchange(&proxy, b"slow"), b"slow");
    }
    assert!(started.elapsed() >= drawn, "{:?} < {drawn:?}", started.elapsed());
    assert_eq!(proxy.faults().delayed, 4);
}

#[test]
fn the_answer_to_the_nth_marked_request_is_lost_after_the_server_read_it() {
    let echo = echo();
    let proxy = FaultProxy::start(echo.address, 7).unwrap();
    proxy.watch(b"POST /v1/push");
    proxy.lose_answer_to(b"POST /v1/push", 2);
    assert_eq!(exchange(&proxy, REQUEST), REQUEST);
    assert_eq!(exchange(&proxy, b"GET /v1/status"), b"GET /v1/status");
    assert_eq!(exchange(&proxy, REQUEST), b"", "the second push's answer is lost");
    assert_eq!(exchange(&proxy, REQUEST), REQUEST);
    assert_eq!(echo.received().len(), 4, "the server got every request");
    assert_eq!(proxy.requests(b"POST /v1/push"), 3);
}

#[test]
fn the_same_seed_draws_the_same_faults() {
    let mix = FaultMix::rural();
    let draws = |seed| {
        let mut rng = Rng::new(seed);
        (0..50).map(|_| mix.draw(&mut rng)).collect::<Vec<_>>()
    };
    assert_eq!(draws(42), draws(42));
    assert_ne!(draws(42), draws(43));
    assert!(draws(42).iter().any(|fault| *fault != Fault::None));
}
