//! Building the Svelte UI into `ui/dist`, which Tauri embeds in the desktop binary
//! at compile time — so it must exist before `tirek-desktop` is compiled, checked
//! or linted.

use anyhow::Result;

use crate::process;

/// Runs `vite build`.
pub(crate) fn build() -> Result<()> {
    process::run(&mut npm(&["run", "build"]))
}

/// An `npm` command in `ui/`.
pub(crate) fn npm(args: &[&str]) -> std::process::Command {
    process::command("npm", args, &crate::root().join("ui"))
}
