//! `cargo xtask dist`: the Linux `.deb` a clinic's IT person installs, built by the
//! Tauri bundler (from the UI's npm packages) in release mode, with the window
//! (`/usr/bin/tirek-desktop`, a menu entry and icons) and the `tirek` command line.

use anyhow::{Context, Result};

use crate::deps::{self, Purpose};
use crate::{process, ui};

/// Builds `target/release/bundle/deb/Tirek_<version>_<arch>.deb` and prints its size.
pub(crate) fn dist() -> Result<()> {
    deps::ensure(Purpose::Run)?;
    process::step("build the UI", ui::build)?;
    // The package carries the `tirek` command line too (tauri.conf.json: bundle.linux.deb.files).
    let mut cli =
        process::command("cargo", &["build", "--locked", "--release", "--package", "tirek-cli"], &crate::root());
    process::step("build the command line", || process::run(&mut cli))?;
    let tauri = crate::root().join("ui/node_modules/.bin/tauri");
    let mut build = process::command(&tauri, &["build", "--bundles", "deb", "--ci"], &crate::root().join("src-tauri"));
    process::step("build the .deb", || process::run(&mut build))?;

    let folder = crate::root().join("target/release/bundle/deb");
    let entries = std::fs::read_dir(&folder).with_context(|| format!("no packages in {}", folder.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "deb") {
            let size = path.metadata()?.len();
            println!("{}: {:.1} MB", path.display(), size as f64 / 1_000_000.0);
        }
    }
    Ok(())
}
