//! Stamps the binary with the commit it was built from, so a psychologist's IT person
//! can tell exactly which build a clinic runs ("Settings → About", `tirek info`), and
//! compiles the instrument files in `instruments/` into the crate, so an installed
//! Tirek always has the questionnaires it was tested with (the code names none).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::{env, fs};

fn main() {
    stamp_build();
    embed_instruments();
}

fn stamp_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let git = root.join(".git");
    // Rebuild the stamp when HEAD moves: a checkout changes HEAD, a commit changes
    // the branch it points to.
    let mut watched = vec![git.join("HEAD"), git.join("packed-refs")];
    if let Ok(head) = fs::read_to_string(git.join("HEAD"))
        && let Some(branch) = head.trim().strip_prefix("ref: ")
    {
        watched.push(git.join(branch));
    }
    for path in watched.iter().filter(|path| path.exists()) {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    let commit = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(&root)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|commit| !commit.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    // The commit alone: a user reads it to the person helping her; whether it was a
    // debug build is a developer's business and would only look like a fault.
    println!("cargo::rustc-env=TIREK_BUILD={commit}");
}

fn embed_instruments() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../instruments");
    println!("cargo::rerun-if-changed={}", folder.display());
    let mut files: Vec<_> = fs::read_dir(&folder)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", folder.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut code = String::from("/// The bundled instrument files, as (file name, TOML text).\n");
    code.push_str("pub(crate) static BUNDLED: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let name = file.file_name().expect("a file name").to_string_lossy().into_owned();
        let absolute = file.canonicalize().expect("a canonical path");
        writeln!(code, "    ({name:?}, include_str!({:?})),", absolute.display().to_string()).expect("a String");
    }
    code.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("instruments.rs"), code).expect("write OUT_DIR");
}
