//! `cargo xtask run`: from a fresh clone to the window in one command.

use anyhow::{Result, bail};

use crate::deps::{self, Purpose};
use crate::{process, ui};

/// Installs what is missing, builds the UI and starts the app with `args`
/// (for example `-- --data-dir /tmp/tirek-try`).
pub(crate) fn run(args: &[String]) -> Result<()> {
    deps::ensure(Purpose::Run)?;
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        bail!(
            "no graphical display: start Tirek from a desktop session, or try it headless with \
             `xvfb-run cargo xtask run`"
        );
    }
    process::step("build the UI", ui::build)?;
    let mut cargo = process::command("cargo", &["run", "--locked", "--package", "tirek-desktop", "--"], &crate::root());
    cargo.args(args);
    process::run(&mut cargo)
}
