//! `cargo xtask bench [store|caseload|letters|sync]`: the performance figures of DESIGN.md §7, each beside
//! its baseline from the same run, printed as medians. Optimised builds without LTO
//! (`[profile.bench]`), so a bench run costs minutes, not a release build.

use anyhow::{Result, bail};

use crate::process;

/// Runs the named benchmarks, or all of them.
pub(crate) fn bench(names: &[String]) -> Result<()> {
    let all = ["store", "caseload", "letters", "sync"];
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
            other => bail!("unknown benchmark `{other}`: choose from {}", all.join(", ")),
        }
    }
    Ok(())
}
