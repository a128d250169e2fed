//! `cargo xtask`: the one entry point for developer commands, so that a newcomer, the
//! README and CI all run exactly the same steps.
//!
//! - `cargo xtask run [-- APP-ARGS]` installs what is missing, builds the UI and starts
//!   the app;
//! - `cargo xtask test` runs every check there is (see `test.rs`); `cargo xtask test
//!   e2e [FILTER]` only the end-to-end suite (or its tests matching FILTER), for a
//!   developer iterating on the window;
//! - `cargo xtask codegen` regenerates `ui/src/lib/bindings.ts` from the Rust commands;
//! - `cargo xtask dist` builds the Linux `.deb`;
//! - `cargo xtask bench [store|caseload|letters|sync|window]` measures the figures of DESIGN.md §7.
//!
//! Invariant: xtask never hides a failure. Each step prints what it runs; a missing
//! tool is explained in one short block with the command that installs it, and the
//! exit code is non-zero — never a stack trace.

mod bench;
mod codegen;
mod deps;
mod dist;
mod process;
mod run;
mod test;
#[cfg(test)]
mod tidy;
mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run|test|codegen|dist|bench> [-- ARGS]

  run       install what is missing, build the UI and start Tirek
  test      run every test and check (Rust, UI, end-to-end, tidy);
            `test e2e [FILTER]` only the window tests
  codegen   regenerate ui/src/lib/bindings.ts from the Rust commands
  dist      build the Linux .deb package
  bench     measure performance against same-run baselines (bench store|caseload|letters|sync|window)";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.skip_while(|arg| arg == "--").collect();
    let result = match command.as_deref() {
        Some("run") => run::run(&rest),
        Some("test") => match rest.first().map(String::as_str) {
            None => test::test(),
            Some("e2e") => test::end_to_end(rest.get(1).map(String::as_str)),
            Some(other) => Err(anyhow::anyhow!("`cargo xtask test {other}`: only `e2e [FILTER]` may follow `test`")),
        },
        Some("codegen") => codegen::codegen(),
        Some("dist") => dist::dist(),
        Some("bench") => bench::bench(&rest),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            match err.downcast_ref::<deps::Missing>() {
                // Something to install: one short block, nothing else.
                Some(missing) => eprintln!("\n{missing}"),
                // Anything else: the whole chain on one line.
                None => eprintln!("\nxtask: {err:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// The repository's root (the folder holding the workspace `Cargo.toml`).
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the repository root").to_owned()
}
