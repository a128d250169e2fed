//! Running the programs xtask drives: each command is echoed before it runs, and a
//! failure names the command that failed.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// A command about to run, echoed the way a person would type it.
pub(crate) fn command(program: impl AsRef<OsStr>, args: &[&str], dir: &Path) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir);
    command
}

/// Runs `command` to completion, inheriting the terminal; fails on a non-zero exit.
pub(crate) fn run(command: &mut Command) -> Result<()> {
    let shown = show(command);
    println!("\n$ {shown}");
    let status = command.status().with_context(|| format!("could not start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs `command` and captures its stdout; `None` when it cannot run or fails.
pub(crate) fn output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A named step of a longer job, timed, so CI logs show where the minutes go.
pub(crate) fn step(name: &str, body: impl FnOnce() -> Result<()>) -> Result<()> {
    println!("\n==> {name}");
    let started = Instant::now();
    let result = body();
    let seconds = started.elapsed().as_secs_f32();
    match &result {
        Ok(()) => println!("<== {name}: ok in {seconds:.0} s"),
        Err(_) => println!("<== {name}: FAILED after {seconds:.0} s"),
    }
    result.with_context(|| format!("step `{name}` failed"))
}

fn show(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
