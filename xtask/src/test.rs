//! `cargo xtask test`: every check there is, in the order that fails fastest —
//! formatting, lints, Rust tests (including the tidy and bindings checks), the UI's
//! type check and unit tests, then the end-to-end suite in the real window. Both test
//! suites run in a private D-Bus session with a real, throw-away gnome-keyring.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::deps::{self, Purpose};
use crate::process::{self, step};
use crate::ui;

/// Limits that only stop a hang; the suites normally take a few minutes at most.
const RUST_TESTS_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const E2E_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// The variable that marks every process of one test session, for the sweep.
const RUN_MARKER: &str = "TIREK_TEST_SESSION";

/// Runs everything.
pub(crate) fn test() -> Result<()> {
    let started = Instant::now();
    let root = crate::root();
    let cargo = |args: &[&str]| process::command("cargo", args, &root);

    step("install what is missing", || deps::ensure(Purpose::Test))?;
    step("build the UI", ui::build)?;
    step("rustfmt", || process::run(&mut cargo(&["fmt", "--all", "--check"])))?;
    step("clippy", || {
        process::run(&mut cargo(&["clippy", "--locked", "--workspace", "--all-targets", "--", "-D", "warnings"]))
    })?;
    step("Rust tests (unit, integration, keyring, tidy, bindings, locales)", || {
        in_test_session(&["cargo", "test", "--locked", "--workspace", "--exclude", "tirek-e2e"], RUST_TESTS_TIMEOUT)
    })?;
    step("UI type check", || process::run(&mut ui::npm(&["run", "check"])))?;
    step("UI unit tests", || process::run(&mut ui::npm(&["test"])))?;
    step("build the app", || {
        process::run(&mut cargo(&[
            "build",
            "--locked",
            "--package",
            "tirek-desktop",
            "--package",
            "tirek-cli",
            "--package",
            "tirek-server",
        ]))
    })?;
    step("end-to-end tests in the real window", || {
        in_test_session(&["cargo", "test", "--locked", "--package", "tirek-e2e", "--", "--test-threads=1"], E2E_TIMEOUT)
    })?;

    println!("\nall checks passed in {:.1} min", started.elapsed().as_secs_f32() / 60.0);
    Ok(())
}

/// Only the end-to-end suite, or its tests whose names contain `filter`: the UI and
/// the app built first, as in the whole run.
pub(crate) fn end_to_end(filter: Option<&str>) -> Result<()> {
    let root = crate::root();
    step("install what is missing", || deps::ensure(Purpose::Test))?;
    step("build the UI", ui::build)?;
    step("build the app", || {
        process::run(&mut process::command(
            "cargo",
            &["build", "--locked", "--package", "tirek-desktop", "--package", "tirek-cli", "--package", "tirek-server"],
            &root,
        ))
    })?;
    let mut command = vec!["cargo", "test", "--locked", "--package", "tirek-e2e", "--"];
    command.extend(filter);
    command.push("--test-threads=1");
    step("end-to-end tests in the real window", || in_test_session(&command, E2E_TIMEOUT))
}

/// Runs `command` in a private D-Bus session with an unlocked gnome-keyring whose
/// files live under `target/test-home` (never the developer's own keyring), then
/// stops anything the run left behind — pass, fail or time-out.
pub(crate) fn in_test_session(command: &[&str], timeout: Duration) -> Result<()> {
    in_test_session_with(command, timeout, &[])
}

/// [`in_test_session`] with more environment: `env` is set after the defaults
/// (`TIREK_E2E_APP` to another build, say).
pub(crate) fn in_test_session_with(command: &[&str], timeout: Duration, env: &[(&str, PathBuf)]) -> Result<()> {
    let root = crate::root();
    let home = root.join("target/test-home");
    std::fs::create_dir_all(home.join("share")).context("create target/test-home")?;
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let marker = format!("{}-{}", std::process::id(), since_epoch.as_nanos());
    // The keyring's password only guards this throw-away test keyring.
    let start_keyring = "printf tirek-test-keyring | gnome-keyring-daemon --components=secrets --daemonize --unlock \
                         >/dev/null && exec \"$@\"";
    let mut session = Command::new("dbus-run-session");
    session
        .args(["--", "bash", "-c", start_keyring, "tirek-test-session"])
        .args(command)
        .current_dir(&root)
        .env(RUN_MARKER, &marker)
        .env("XDG_DATA_HOME", home.join("share"))
        .env("TIREK_KEYRING_TEST", "1")
        .env("TIREK_E2E_APP", root.join("target/debug/tirek-desktop"))
        .envs(env.iter().map(|(name, value)| (*name, value)));
    println!("\n$ dbus-run-session -- (gnome-keyring) {}", command.join(" "));
    let mut child = session.spawn().context("could not start dbus-run-session")?;

    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let swept = sweep(&marker);
    if swept > 0 {
        println!("stopped {swept} process(es) the run left behind");
    }
    match status {
        None => bail!("`{}` did not finish within {} min", command.join(" "), timeout.as_secs() / 60),
        Some(status) if !status.success() => bail!("`{}` failed ({status})", command.join(" ")),
        Some(_) => Ok(()),
    }
}

/// Kills every process whose environment carries `TIREK_TEST_SESSION=<marker>`:
/// Xvfb, tauri-driver, WebKitWebDriver, the app and its WebKit helpers, the keyring
/// and the D-Bus daemon of the run. Returns how many there were.
fn sweep(marker: &str) -> usize {
    let needle = format!("{RUN_MARKER}={marker}");
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    let pids: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|environ| environ.split(|&b| b == 0).any(|var| var == needle.as_bytes()))
        })
        .collect();
    if !pids.is_empty() {
        let _ = Command::new("kill").arg("-KILL").args(&pids).status();
    }
    pids.len()
}
