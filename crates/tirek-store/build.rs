//! Compiles the SQL migrations in `migrations/local/` into the crate, in the order of
//! their numbers, so an installed Tirek can never miss one.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

/// Numbers taken by migrations being written on another branch (0009 and 0010 on
/// main while the sync branch adds 0011): a gap is allowed there and nowhere else.
/// Empty this list when the branches meet and the numbers run without a gap again.
const RESERVED: &[u32] = &[9, 10];

fn main() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/local");
    println!("cargo::rerun-if-changed={}", folder.display());
    let mut files: Vec<_> = fs::read_dir(&folder)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", folder.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut expected = 1;
    let mut code = String::from("/// The migrations, as (version, file name, SQL), in order.\n");
    code.push_str("pub(crate) static MIGRATIONS: &[(u32, &str, &str)] = &[\n");
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let name = file.file_name().expect("a file name").to_string_lossy().into_owned();
        let version: u32 = name
            .split('_')
            .next()
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("migration {name} does not start with its number"));
        while RESERVED.contains(&expected) && version != expected {
            expected += 1;
        }
        assert_eq!(version, expected, "migrations must be numbered 0001, 0002, … without gaps: {name}");
        expected += 1;
        let absolute = file.canonicalize().expect("a canonical path");
        writeln!(code, "    ({version}, {name:?}, include_str!({:?})),", absolute.display().to_string())
            .expect("writing to a String");
    }
    code.push_str("];\n");
    writeln!(code, "/// Numbers reserved for migrations on another branch (see build.rs).")
        .expect("writing to a String");
    writeln!(code, "#[allow(dead_code)]\npub(crate) static RESERVED: &[u32] = &{RESERVED:?};")
        .expect("writing to a String");
    fs::write(Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("migrations.rs"), code)
        .expect("write migrations.rs");
}
