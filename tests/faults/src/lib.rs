//! A fault-injecting TCP proxy, for proving sync correct under what a rural link does
//! to a connection: it is dropped, it stalls, it breaks halfway through a request or
//! halfway through the answer — including after the server committed a batch and
//! before the device read that it did —, a request reaches the server twice, or
//! overtakes one sent before it.
//!
//! [`FaultProxy::start`] listens on 127.0.0.1 and forwards every connection to the
//! server. It starts clean; [`FaultProxy::set_faults`] switches it to a [`FaultMix`],
//! and from then on each new connection draws one [`Fault`] from a seeded generator
//! ([`Rng`]), so a failing run replays from its seed (as far as the order in which
//! connections arrive allows: devices syncing at once race each other). Switching back
//! to [`FaultMix::CLEAN`] disarms the connections already open too, so "the faults
//! stop" holds for a pooled keep-alive connection as well. [`FaultProxy::lose_answer_to`]
//! scripts one fault exactly: the answer to the n-th request that contains a marker
//! (`POST /v1/push`) is read from the server and never passed on.
//!
//! The proxy counts the bytes it passes each way ([`FaultProxy::traffic`]): the sync
//! benchmark's "bytes on the wire per change" is measured here.
//!
//! Plain threads and blocking sockets, two or three per connection: the app's sync
//! client is blocking, tests open a few dozen connections, and a proxy this small is
//! easier to trust without an async runtime. The generator is SplitMix64 written out
//! (a dozen lines) rather than a dependency: tests only need a replayable stream.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A small seeded generator (SplitMix64): the same seed gives the same stream.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The seed in environment variable `name` when it is set (decimal), or a fresh
    /// one from the clock and the process id.
    pub fn seed_from_env(name: &str) -> u64 {
        match std::env::var(name) {
            Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("{name} must be a number, not {text:?}")),
            Err(_) => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |since| since.as_nanos() as u64);
                Rng::new(nanos ^ u64::from(std::process::id()).rotate_left(32)).next_u64()
            }
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// What happens to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forwarded as it is.
    None,
    /// Closed at once; the server never hears of it.
    Drop,
    /// Every chunk waits this long before it is passed on.
    Delay(Duration),
    /// Cut after this many bytes towards the server.
    CutRequest(u64),
    /// Cut after this many bytes towards the device (the server has answered, so
    /// what it answered is done).
    CutResponse(u64),
    /// Every byte the device sends reaches the server twice, over two connections;
    /// the device reads the first one's answers only.
    Duplicate,
    /// The request is held until a later connection's request has gone first (or a
    /// second has passed).
    Reorder,
}

/// The weights with which a new connection draws its [`Fault`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FaultMix {
    /// Forwarded as it is.
    pub clean: u32,
    /// [`Fault::Drop`].
    pub drop: u32,
    /// [`Fault::Delay`], of up to `max_delay`.
    pub delay: u32,
    /// [`Fault::CutRequest`], within the first `max_cut` bytes.
    pub cut_request: u32,
    /// [`Fault::CutResponse`], within the first `max_cut` bytes.
    pub cut_response: u32,
    /// [`Fault::Duplicate`].
    pub duplicate: u32,
    /// [`Fault::Reorder`].
    pub reorder: u32,
    /// The longest delay drawn.
    pub max_delay: Duration,
    /// Where cuts fall: a byte offset below this.
    pub max_cut: u64,
}

impl FaultMix {
    /// No faults.
    pub const CLEAN: FaultMix = FaultMix {
        clean: 1,
        drop: 0,
        delay: 0,
        cut_request: 0,
        cut_response: 0,
        duplicate: 0,
        reorder: 0,
        max_delay: Duration::ZERO,
        max_cut: 0,
    };

    /// A bad day on a rural link: about half the connections suffer something.
    pub fn rural() -> FaultMix {
        FaultMix {
            clean: 10,
            drop: 2,
            delay: 2,
            cut_request: 2,
            cut_response: 3,
            duplicate: 2,
            reorder: 1,
            max_delay: Duration::from_millis(150),
            // Requests and answers of a few kilobytes: cuts land in headers, bodies
            // and, on a kept-alive connection, in a later request.
            max_cut: 6_000,
        }
    }

    fn draw(&self, rng: &mut Rng) -> Fault {
        let weights =
            [self.clean, self.drop, self.delay, self.cut_request, self.cut_response, self.duplicate, self.reorder];
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut ticket = rng.below(total.max(1));
        let mut kind = 0;
        for (index, weight) in weights.iter().enumerate() {
            if ticket < u64::from(*weight) {
                kind = index;
                break;
            }
            ticket -= u64::from(*weight);
        }
        match kind {
            1 => Fault::Drop,
            2 => Fault::Delay(Duration::from_millis(rng.below(self.max_delay.as_millis() as u64 + 1))),
            3 => Fault::CutRequest(rng.below(self.max_cut.max(1))),
            4 => Fault::CutResponse(rng.below(self.max_cut.max(1))),
            5 => Fault::Duplicate,
            6 => Fault::Reorder,
            _ => Fault::None,
        }
    }
}

/// The bytes passed each way and the connections taken, since the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Traffic {
    /// Bytes from the devices to the server (a duplicated request counts once).
    pub upstream: u64,
    /// Bytes from the server to the devices.
    pub downstream: u64,
    /// Connections accepted.
    pub connections: u64,
}

/// How many connections met each fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FaultCounts {
    /// [`Fault::Drop`].
    pub dropped: u64,
    /// [`Fault::Delay`].
    pub delayed: u64,
    /// [`Fault::CutRequest`].
    pub cut_requests: u64,
    /// [`Fault::CutResponse`], and answers lost by [`FaultProxy::lose_answer_to`].
    pub cut_responses: u64,
    /// [`Fault::Duplicate`].
    pub duplicated: u64,
    /// [`Fault::Reorder`].
    pub reordered: u64,
}

impl FaultCounts {
    /// All faults together.
    pub fn total(&self) -> u64 {
        self.dropped + self.delayed + self.cut_requests + self.cut_responses + self.duplicated + self.reordered
    }

    fn count(&mut self, fault: Fault) {
        match fault {
            Fault::None => {}
            Fault::Drop => self.dropped += 1,
            Fault::Delay(_) => self.delayed += 1,
            Fault::CutRequest(_) => self.cut_requests += 1,
            Fault::CutResponse(_) => self.cut_responses += 1,
            Fault::Duplicate => self.duplicated += 1,
            Fault::Reorder => self.reordered += 1,
        }
    }
}

/// A request whose answer is to be lost: the `nth` (from 1) chunk that contains `marker`.
#[derive(Debug)]
struct Script {
    marker: Vec<u8>,
    nth: usize,
    seen: usize,
}

#[derive(Debug)]
struct State {
    rng: Rng,
    mix: FaultMix,
    counts: FaultCounts,
    /// Connections that have passed their first request on: a held one waits for this to grow.
    first_requests: u64,
    scripts: Vec<Script>,
    /// Chunks seen towards the server, per watched marker.
    watched: Vec<(Vec<u8>, u64)>,
}

#[derive(Debug)]
struct Shared {
    target: SocketAddr,
    faulty: AtomicBool,
    stopped: AtomicBool,
    upstream: AtomicU64,
    downstream: AtomicU64,
    connections: AtomicU64,
    state: Mutex<State>,
    passed: Condvar,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn faulty(&self) -> bool {
        self.faulty.load(Ordering::SeqCst)
    }
}

/// The proxy; it stops taking connections when dropped.
#[derive(Debug)]
pub struct FaultProxy {
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl FaultProxy {
    /// A clean proxy to `target` on a free port of 127.0.0.1, its faults drawn from `seed`.
    pub fn start(target: SocketAddr, seed: u64) -> io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            target,
            faulty: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
            upstream: AtomicU64::new(0),
            downstream: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            state: Mutex::new(State {
                rng: Rng::new(seed),
                mix: FaultMix::CLEAN,
                counts: FaultCounts::default(),
                first_requests: 0,
                scripts: Vec::new(),
                watched: Vec::new(),
            }),
            passed: Condvar::new(),
        });
        let accepting = shared.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if accepting.stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = client else { continue };
                let shared = accepting.clone();
                std::thread::spawn(move || serve(shared, client));
            }
        });
        Ok(FaultProxy { address, shared })
    }

    /// Where devices connect.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Draws each new connection's fault from `mix`; [`FaultMix::CLEAN`] also
    /// disarms the connections already open.
    pub fn set_faults(&self, mix: FaultMix) {
        self.shared.state().mix = mix;
        self.shared.faulty.store(mix != FaultMix::CLEAN, Ordering::SeqCst);
        self.shared.passed.notify_all();
    }

    /// Loses the answer to the `nth` request (from 1) that contains `marker`: the
    /// request reaches the server, which answers; the device gets nothing more on
    /// that connection. Works whether the proxy is faulty or clean.
    pub fn lose_answer_to(&self, marker: &[u8], nth: usize) {
        self.shared.state().scripts.push(Script { marker: marker.to_vec(), nth, seen: 0 });
    }

    /// Starts counting the requests that contain `marker` (see [`FaultProxy::requests`]).
    pub fn watch(&self, marker: &[u8]) {
        self.shared.state().watched.push((marker.to_vec(), 0));
    }

    /// How many chunks towards the server contained a watched `marker` so far.
    pub fn requests(&self, marker: &[u8]) -> u64 {
        self.shared.state().watched.iter().find(|(watched, _)| watched == marker).map_or(0, |(_, count)| *count)
    }

    /// The bytes passed so far.
    pub fn traffic(&self) -> Traffic {
        Traffic {
            upstream: self.shared.upstream.load(Ordering::SeqCst),
            downstream: self.shared.downstream.load(Ordering::SeqCst),
            connections: self.shared.connections.load(Ordering::SeqCst),
        }
    }

    /// The faults injected so far.
    pub fn faults(&self) -> FaultCounts {
        self.shared.state().counts
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        self.set_faults(FaultMix::CLEAN);
        // Wake the accepting thread so that it sees the flag and ends.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_millis(200));
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle)
}

fn close(streams: &[&TcpStream]) {
    for stream in streams {
        let _ = stream.shutdown(Shutdown::Both);
    }
}

/// One connection, from accept to close.
fn serve(shared: Arc<Shared>, client: TcpStream) {
    shared.connections.fetch_add(1, Ordering::SeqCst);
    let fault = if shared.faulty() {
        let mut state = shared.state();
        let mix = state.mix;
        let fault = mix.draw(&mut state.rng);
        state.counts.count(fault);
        fault
    } else {
        Fault::None
    };
    if fault == Fault::Drop {
        close(&[&client]);
        return;
    }
    let Ok(server) = TcpStream::connect(shared.target) else {
        close(&[&client]);
        return;
    };
    let twin = if fault == Fault::Duplicate { TcpStream::connect(shared.target).ok() } else { None };
    if let Some(twin) = &twin {
        // The second copy's answers are read and thrown away.
        let mut reader = twin.try_clone().expect("a socket clones");
        std::thread::spawn(move || {
            let mut buffer = [0u8; 16 * 1024];
            while matches!(reader.read(&mut buffer), Ok(n) if n > 0) {}
        });
    }
    let lost = Arc::new(AtomicBool::new(false));
    let (Ok(client_reader), Ok(server_writer)) = (client.try_clone(), server.try_clone()) else { return };
    let up = {
        let (shared, lost) = (shared.clone(), lost.clone());
        std::thread::spawn(move || upstream(&shared, fault, client_reader, server_writer, twin, &lost))
    };
    downstream(&shared, fault, server, client, &lost);
    let _ = up.join();
}

/// Device → server.
fn upstream(
    shared: &Shared,
    fault: Fault,
    mut from: TcpStream,
    mut to: TcpStream,
    mut twin: Option<TcpStream>,
    lost: &AtomicBool,
) {
    let mut buffer = [0u8; 16 * 1024];
    let mut sent = 0u64;
    let mut first = true;
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        let mut chunk = &buffer[..read];
        {
            let mut state = shared.state();
            for (marker, count) in &mut state.watched {
                if contains(chunk, marker) {
                    *count += 1;
                }
            }
            let mut hit = false;
            for script in &mut state.scripts {
                if contains(chunk, &script.marker) {
                    script.seen += 1;
                    hit |= script.seen == script.nth;
                }
            }
            if hit {
                lost.store(true, Ordering::SeqCst);
                state.counts.cut_responses += 1;
            }
        }
        let armed = shared.faulty();
        match fault {
            Fault::Delay(pause) if armed => std::thread::sleep(pause),
            Fault::Reorder if armed && first => hold_until_overtaken(shared),
            _ => {}
        }
        let mut cut = false;
        if let Fault::CutRequest(limit) = fault
            && armed
            && sent + chunk.len() as u64 >= limit
        {
            chunk = &chunk[..(limit - sent) as usize];
            cut = true;
        }
        if to.write_all(chunk).is_err() {
            break;
        }
        if let Some(copy) = &mut twin
            && copy.write_all(chunk).is_err()
        {
            twin = None;
        }
        sent += chunk.len() as u64;
        shared.upstream.fetch_add(chunk.len() as u64, Ordering::SeqCst);
        if first {
            first = false;
            shared.state().first_requests += 1;
            shared.passed.notify_all();
        }
        if cut {
            close(&[&from, &to]);
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    if let Some(copy) = twin {
        let _ = copy.shutdown(Shutdown::Write);
    }
}

/// Holds a connection's first request until another connection passes its own on,
/// or a second goes by, or the faults stop.
fn hold_until_overtaken(shared: &Shared) {
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut state = shared.state();
    let ticket = state.first_requests;
    while state.first_requests == ticket && shared.faulty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = shared.passed.wait_timeout(state, left).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
    }
    let overtaken = state.first_requests != ticket;
    drop(state);
    if overtaken {
        // The later request was just written: let it reach the server ahead.
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Server → device.
fn downstream(shared: &Shared, fault: Fault, mut from: TcpStream, mut to: TcpStream, lost: &AtomicBool) {
    let mut buffer = [0u8; 16 * 1024];
    let mut passed = 0u64;
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        if lost.load(Ordering::SeqCst) {
            // The server answered (it committed); the device never hears it.
            break;
        }
        let mut chunk = &buffer[..read];
        let mut cut = false;
        if let Fault::CutResponse(limit) = fault
            && shared.faulty()
            && passed + chunk.len() as u64 >= limit
        {
            chunk = &chunk[..(limit - passed) as usize];
            cut = true;
        }
        if to.write_all(chunk).is_err() {
            break;
        }
        passed += chunk.len() as u64;
        shared.downstream.fetch_add(chunk.len() as u64, Ordering::SeqCst);
        if cut {
            break;
        }
    }
    close(&[&to, &from]);
}

#[cfg(test)]
mod tests;
