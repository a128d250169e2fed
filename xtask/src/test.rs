//! `cargo xtask test`: every check there is, in the order that fails fastest —
//! formatting, lints, Rust tests (including the tidy and bindings checks), the UI's
//! type check and unit tests, then the end-to-end suite in the real window.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::deps::{self, Purpose};
use crate::process::{self, step};
use crate::ui;

/// The end-to-end suite normally takes well under a minute; this only stops a hang.
const E2E_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// The variable that marks every process of one end-to-end run, for the sweep.
const RUN_MARKER: &str = "TIREK_E2E_RUN";

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
    step("Rust tests (unit, integration, tidy, bindings, locales)", || {
        process::run(&mut cargo(&["test", "--locked", "--workspace", "--exclude", "tirek-e2e"]))
    })?;
    step("UI type check", || process::run(&mut ui::npm(&["run", "check"])))?;
    step("UI unit tests", || process::run(&mut ui::npm(&["test"])))?;
    step("build the app", || process::run(&mut cargo(&["build", "--locked", "--package", "tirek-desktop"])))?;
    step("end-to-end tests in the real window", end_to_end)?;

    println!("\nall checks passed in {:.1} min", started.elapsed().as_secs_f32() / 60.0);
    Ok(())
}

/// Runs the end-to-end suite in a private D-Bus session, then stops anything the
/// run left behind, pass, fail or time-out.
fn end_to_end() -> Result<()> {
    let root = crate::root();
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let marker = format!("{}-{}", std::process::id(), since_epoch.as_nanos());
    let mut command = Command::new("dbus-run-session");
    command
        .args(["--", "cargo", "test", "--locked", "--package", "tirek-e2e", "--", "--test-threads=1"])
        .current_dir(&root)
        .env(RUN_MARKER, &marker)
        .env("TIREK_E2E_APP", root.join("target/debug/tirek-desktop"));
    println!("\n$ dbus-run-session -- cargo test --locked --package tirek-e2e -- --test-threads=1");
    let mut child = command.spawn().context("could not start dbus-run-session")?;

    let deadline = Instant::now() + E2E_TIMEOUT;
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
        println!("stopped {swept} process(es) the end-to-end run left behind");
    }
    match status {
        None => bail!("the end-to-end suite did not finish within {} min", E2E_TIMEOUT.as_secs() / 60),
        Some(status) if !status.success() => bail!("the end-to-end suite failed ({status})"),
        Some(_) => Ok(()),
    }
}

/// Kills every process whose environment carries `TIREK_E2E_RUN=<marker>`: Xvfb,
/// tauri-driver, WebKitWebDriver, the app and its WebKit helpers, and the D-Bus
/// daemon of the run. Returns how many there were.
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
