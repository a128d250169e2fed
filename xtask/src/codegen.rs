//! `cargo xtask codegen`: regenerates the files derived from Rust, so they are never
//! edited by hand. Today that is `ui/src/lib/bindings.ts`, the TypeScript for the
//! Tauri commands; the test `committed_bindings_are_fresh` fails while it is stale.

use anyhow::Result;

use crate::{process, ui};

/// Rewrites `ui/src/lib/bindings.ts`.
pub(crate) fn codegen() -> Result<()> {
    if !crate::root().join("ui/dist/index.html").is_file() {
        // tirek-desktop embeds ui/dist when it compiles, so the UI comes first.
        ui::build()?;
    }
    let mut cargo = process::command(
        "cargo",
        &["test", "--locked", "--package", "tirek-desktop", "--lib", "committed_bindings_are_fresh"],
        &crate::root(),
    );
    cargo.env("TIREK_UPDATE_BINDINGS", "1");
    process::run(&mut cargo)?;
    println!("ui/src/lib/bindings.ts is up to date");
    Ok(())
}
