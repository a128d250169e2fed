//! `cargo xtask bench [store|caseload|letters|sync|window]`: the performance figures of DESIGN.md §7, each
//! beside its baseline from the same run, printed as medians. Optimised builds without LTO
//! (`[profile.bench]`), so a bench run costs minutes, not a release build. `window`
//! starts the optimised app under Xvfb beside an empty Tauri window
//! (`tests/tests/e2e/bench.rs`).

use anyhow::{Result, bail};

use crate::process;

/// Runs the named benchmarks, or all of them.
pub(crate) fn bench(names: &[String]) -> Result<()> {
    let all = ["store", "caseload", "letters", "sync", "window"];
    let chosen: Vec<&str> = if names.is_empty() { all.to_vec() } else { names.iter().map(String::as_str).collect() };
    for name in chosen {
        match name {
            "store" => process::step("bench store", || {
                process::run(&mut process::command(
                    "cargo",
                    &[
                        "run",
                        "--locked",
                        "--profile",
                        "bench",
                        "-p",
                        "tirek-store",
                        "--features",
                        "bench",
                        "--example",
                        "bench_store",
                    ],
                    &crate::root(),
                ))
            })?,
            "caseload" => process::step("bench caseload", || {
                process::run(&mut process::command(
                    "cargo",
                    &["run", "--locked", "--profile", "bench", "-p", "tirek-app", "--example", "bench_caseload"],
                    &crate::root(),
                ))
            })?,
            "letters" => process::step("bench letters", || {
                process::run(&mut process::command(
                    "cargo",
                    &["run", "--locked", "--profile", "bench", "-p", "tirek-letters", "--example", "bench_letters"],
                    &crate::root(),
                ))
            })?,
            "sync" => process::step("bench sync", || {
                process::run(&mut process::command(
                    "cargo",
                    &["run", "--locked", "--profile", "bench", "-p", "tirek-app", "--example", "bench_sync"],
                    &crate::root(),
                ))
            })?,
            "window" => process::step("bench window", window)?,
            other => bail!("unknown benchmark `{other}`: choose from {}", all.join(", ")),
        }
    }
    Ok(())
}

/// Launch time and memory of the optimised window beside an empty Tauri window's.
fn window() -> Result<()> {
    let root = crate::root();
    crate::deps::ensure(crate::deps::Purpose::Test)?;
    crate::ui::build()?;
    // The command line seeds the caseload and the server takes its first sync: their
    // debug builds are those the window tests use.
    process::run(&mut process::command(
        "cargo",
        &["build", "--locked", "--package", "tirek-cli", "--package", "tirek-server"],
        &root,
    ))?;
    process::run(&mut process::command(
        "cargo",
        &[
            "build",
            "--locked",
            "--profile",
            "bench",
            "-p",
            "tirek-desktop",
            "--bin",
            "tirek-desktop",
            "--example",
            "empty_window",
        ],
        &root,
    ))?;
    // The bench profile's output lands in target/release.
    crate::test::in_test_session_with(
        &[
            "cargo",
            "test",
            "--locked",
            "--package",
            "tirek-e2e",
            "--test",
            "e2e",
            "--",
            "--ignored",
            "--exact",
            "bench::tirek_starts_and_holds_memory_beside_an_empty_window",
            "--nocapture",
        ],
        std::time::Duration::from_secs(40 * 60),
        &[
            ("TIREK_E2E_APP", root.join("target/release/tirek-desktop")),
            ("TIREK_BENCH_EMPTY_APP", root.join("target/release/examples/empty_window")),
        ],
    )
}
