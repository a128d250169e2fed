//! What a fresh Debian or Ubuntu machine lacks before Tirek builds, runs and tests,
//! and installing it: Debian packages through apt when we are root, otherwise the
//! exact command to run; the UI's npm packages; tauri-driver for the window tests.
//!
//! Anything that cannot be installed is reported in one short block that says what
//! is missing and how to get it, and xtask stops with a non-zero exit code.

use std::fmt;
use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

use crate::process::{self, output};

/// What the packages are needed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Building and running the app.
    Run,
    /// Everything `Run` needs, plus what the tests use.
    Test,
}

/// Debian packages needed to build and run the app (Tauri's Linux prerequisites).
const RUN_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "fonts-dejavu-core",
    "libdbus-1-dev",
];

/// Debian packages the test suite adds: a virtual display, the WebKit WebDriver,
/// a D-Bus session with a keyring, poppler to read PDFs back, xdotool to answer
/// native dialogs, and PostgreSQL's binaries, from which the server's tests start a
/// private throw-away cluster (`tirek-test-postgres`; the package's own cluster on
/// port 5432 is never used).
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "webkit2gtk-driver",
    "dbus",
    "gnome-keyring",
    "libsecret-tools",
    "poppler-utils",
    "xdotool",
    "python3",
    "postgresql",
];

/// The oldest Node.js that Vite 8 runs on.
const NODE_MINIMUM: (u32, u32) = (20, 19);

/// Something that could not be installed, with how to install it by hand.
#[derive(Debug)]
pub(crate) struct Missing {
    what: String,
    how: Vec<String>,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "missing: {}", self.what)?;
        writeln!(f, "install it with:")?;
        for line in &self.how {
            writeln!(f, "    {line}")?;
        }
        write!(f, "then run the same cargo xtask command again.")
    }
}

impl std::error::Error for Missing {}

/// Makes sure everything `purpose` needs is installed.
pub(crate) fn ensure(purpose: Purpose) -> Result<()> {
    ensure_debian_packages(purpose)?;
    ensure_node()?;
    ensure_ui_packages()?;
    if purpose == Purpose::Test {
        ensure_tauri_driver()?;
    }
    Ok(())
}

fn ensure_debian_packages(purpose: Purpose) -> Result<()> {
    let mut wanted: Vec<&str> = RUN_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        wanted.extend(TEST_PACKAGES);
    }
    if which("dpkg-query").is_none() {
        bail!(Missing {
            what: format!(
                "a Debian or Ubuntu system (dpkg not found); Tirek needs the equivalents of: {}",
                wanted.join(" ")
            ),
            how: vec!["your distribution's package manager".to_owned()],
        });
    }
    let missing: Vec<&str> = wanted.into_iter().filter(|package| !installed(package)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!("apt-get install -y {}", missing.join(" "));
    if !is_root() {
        bail!(Missing {
            what: format!("Debian packages {}", missing.join(", ")),
            how: vec!["sudo apt-get update".to_owned(), format!("sudo {install}")],
        });
    }
    println!("installing Debian packages: {}", missing.join(" "));
    let apt = |args: &[&str]| {
        Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive").status().is_ok_and(|s| s.success())
    };
    let mut args = vec!["install", "-y", "-q"];
    args.extend(&missing);
    if !(apt(&["update", "-q"]) && apt(&args)) || missing.iter().any(|package| !installed(package)) {
        bail!(Missing {
            what: format!("Debian packages {} (apt-get failed: is the package mirror reachable?)", missing.join(", ")),
            how: vec!["apt-get update".to_owned(), install],
        });
    }
    Ok(())
}

fn ensure_node() -> Result<()> {
    let how = vec![
        format!(
            "a Node.js {}.{} or newer with npm (Debian 13 and Ubuntu 25.04: apt-get install nodejs npm;",
            NODE_MINIMUM.0, NODE_MINIMUM.1
        ),
        "older releases: the NodeSource packages or nvm), then check `node --version`".to_owned(),
    ];
    let Some(version) = output("node", &["--version"]) else {
        bail!(Missing { what: "Node.js and npm, which build the window's UI".to_owned(), how });
    };
    if !node_is_recent_enough(&version) {
        bail!(Missing { what: format!("a newer Node.js: found {version}"), how });
    }
    if which("npm").is_none() {
        bail!(Missing { what: "npm, Node.js's package manager".to_owned(), how });
    }
    Ok(())
}

/// Installs the UI's npm packages exactly as locked, when they are absent or older
/// than the lock file.
fn ensure_ui_packages() -> Result<()> {
    let ui = crate::root().join("ui");
    let installed_lock = ui.join("node_modules/.package-lock.json");
    if is_newer_or_equal(&installed_lock, &ui.join("package-lock.json")) {
        return Ok(());
    }
    let mut npm = process::command("npm", &["ci", "--no-audit", "--no-fund"], &ui);
    if process::run(&mut npm).is_err() {
        bail!(Missing {
            what: "the UI's npm packages (npm ci failed: is the npm registry reachable?)".to_owned(),
            how: vec!["cd ui && npm ci".to_owned()],
        });
    }
    Ok(())
}

fn ensure_tauri_driver() -> Result<()> {
    if which("tauri-driver").is_some() || cargo_bin("tauri-driver").is_file() {
        return Ok(());
    }
    let how = vec!["cargo install tauri-driver --version '^2' --locked".to_owned()];
    let mut cargo =
        process::command("cargo", &["install", "tauri-driver", "--version", "^2", "--locked"], &crate::root());
    if process::run(&mut cargo).is_err() {
        bail!(Missing {
            what: "tauri-driver, which drives the window in the end-to-end tests (is crates.io reachable?)".to_owned(),
            how,
        });
    }
    Ok(())
}

/// Whether `node --version` output such as `v20.19.2` meets [`NODE_MINIMUM`].
fn node_is_recent_enough(version: &str) -> bool {
    let mut parts = version.trim().trim_start_matches('v').split('.').map(|part| part.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) >= NODE_MINIMUM
}

fn installed(package: &str) -> bool {
    output("dpkg-query", &["-W", "-f=${Status}", package]).is_some_and(|status| status == "install ok installed")
}

fn is_root() -> bool {
    output("id", &["-u"]).as_deref() == Some("0")
}

/// The path of `program` on `PATH`.
pub(crate) fn which(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

/// Where `cargo install` puts `program`.
pub(crate) fn cargo_bin(program: &str) -> std::path::PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(program)
}

fn is_newer_or_equal(path: &Path, than: &Path) -> bool {
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    match (modified(path), modified(than)) {
        (Some(a), Some(b)) => a >= b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_versions_are_compared_numerically() {
        let cases = [
            ("v20.19.0", true),
            ("v20.20.2", true),
            ("v22.1.0", true),
            ("v20.18.9", false),
            ("v18.19.0", false),
            ("v8.99.0", false),
            ("garbage", false),
        ];
        for (version, expected) in cases {
            assert_eq!(node_is_recent_enough(version), expected, "{version}");
        }
    }

    #[test]
    fn a_missing_thing_is_one_short_block_with_the_command() {
        let missing = Missing {
            what: "Debian packages xvfb, webkit2gtk-driver".to_owned(),
            how: vec!["sudo apt-get update".to_owned(), "sudo apt-get install -y xvfb webkit2gtk-driver".to_owned()],
        };
        assert_eq!(
            missing.to_string(),
            "missing: Debian packages xvfb, webkit2gtk-driver\n\
             install it with:\n    \
             sudo apt-get update\n    \
             sudo apt-get install -y xvfb webkit2gtk-driver\n\
             then run the same cargo xtask command again."
        );
    }
}
