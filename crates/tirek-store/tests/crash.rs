//! Crash safety (DESIGN.md §8): a process writing clinical data is killed with SIGKILL
//! at random moments, 200 times. After every kill the profile opens, every write the
//! writer saw committed is there with its change record, nothing after the one write
//! that may have been in flight is, and SQLite's and SQLCipher's integrity checks
//! are clean.
//!
//! The writer is this same test binary, started again to run `writer_process`.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tirek_domain::change::FieldValue;
use tirek_store::keys::KdfParams;
use tirek_store::{DataDir, NoKeyring, Profiles};

const PASSWORD: &str = "тау бұлақ өзен 2026";
const KILLS: usize = 200;

fn profiles(dir: &std::path::Path) -> Profiles {
    Profiles::new(&DataDir::open(dir).unwrap(), Arc::new(NoKeyring)).with_kdf(KdfParams::FAST_FOR_TESTS)
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

/// The writer: records consultation `w<n>` one transaction at a time, each with a payload large
/// enough to span pages, and reports each commit on stdout.
#[test]
#[ignore = "started by writes_survive_sigkill_at_random_moments"]
fn writer_process() {
    let Some(dir) = std::env::var_os("TIREK_CRASH_DIR") else { return };
    let id = std::env::var("TIREK_CRASH_PROFILE").unwrap();
    let mut profile = profiles(std::path::Path::new(&dir)).unlock(&id, PASSWORD, now_ms()).unwrap();
    let start: u64 = std::env::var("TIREK_CRASH_FROM").unwrap().parse().unwrap();
    for n in start.. {
        let payload = format!("{n}:").repeat(200 + (n as usize % 7) * 300);
        profile
            .write("writer", now_ms(), |changes| {
                changes.insert("consultation", &format!("w{n}"), &[("notes", FieldValue::Text(payload.clone()))])?;
                changes.update("client", "counter", &[("given_name", FieldValue::Text(n.to_string()))])
            })
            .unwrap();
        println!("committed {n}");
    }
}

/// A small deterministic generator: the seed is printed, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

#[test]
fn writes_survive_sigkill_at_random_moments() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(folder.path());
    let id = profiles.create("Crash test", PASSWORD, now_ms() / 1000).unwrap().profile.id;
    {
        let mut profile = profiles.unlock(&id, PASSWORD, now_ms()).unwrap();
        profile.write("setup", now_ms(), |changes| changes.insert("client", "counter", &[])).unwrap();
    }
    let seed = std::env::var("TIREK_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(now_ms() as u64 | 1);
    eprintln!("crash test seed: {seed} (set TIREK_CRASH_SEED to replay)");
    let mut random = XorShift(seed);

    let mut next = 0u64;
    for kill in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["writer_process", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env("TIREK_CRASH_DIR", folder.path())
            .env("TIREK_CRASH_PROFILE", &id)
            .env("TIREK_CRASH_FROM", next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Let it commit a random number of writes (sometimes none), then kill it at a
        // random moment inside the following ones.
        let commits_before_kill = random.below(6);
        let mut committed: Option<u64> = None;
        let deadline = Instant::now() + Duration::from_secs(30);
        while committed.map_or(0, |c| c + 1 - next) < commits_before_kill {
            assert!(Instant::now() < deadline, "kill {kill}: the writer stalled");
            match lines.next() {
                Some(Ok(line)) if line.starts_with("committed ") => committed = line[10..].parse().ok(),
                Some(_) => {}
                None => panic!("kill {kill}: the writer died on its own"),
            }
        }
        std::thread::sleep(Duration::from_micros(random.below(4_000)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        // Lines the writer printed before dying are commits too.
        for line in lines.map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("committed ") {
                committed = n.parse().ok();
            }
        }

        let profile = profiles.unlock(&id, PASSWORD, now_ms()).unwrap_or_else(|e| panic!("kill {kill}: {e:?}"));
        profile.check_integrity().unwrap_or_else(|e| panic!("kill {kill}: integrity: {e:?}"));
        let counter = profile.read("client", "counter").unwrap().unwrap();
        let on_disk = match &counter.fields["given_name"] {
            FieldValue::Text(n) => Some(n.parse::<u64>().unwrap()),
            _ => None,
        };
        // Everything acknowledged is there; at most the one write in flight beyond it.
        if let Some(committed) = committed {
            let on_disk = on_disk.unwrap_or_else(|| panic!("kill {kill}: committed {committed}, none on disk"));
            assert!(
                on_disk == committed || on_disk == committed + 1,
                "kill {kill}: committed {committed}, found {on_disk}"
            );
        }
        let last = on_disk.map_or(next, |n| n + 1);
        for n in 0..last {
            let row = profile.read("consultation", &format!("w{n}")).unwrap();
            assert!(row.is_some(), "kill {kill}: write {n} lost");
            assert_eq!(
                profile.history("consultation", &format!("w{n}")).unwrap().len(),
                1,
                "kill {kill}: w{n} lacks its change"
            );
        }
        assert!(
            profile.read("consultation", &format!("w{last}")).unwrap().is_none(),
            "kill {kill}: w{last} half-written"
        );
        next = last;
    }
    assert!(next > KILLS as u64, "the writer made progress: {next} writes in {KILLS} runs");
}
