//! Compiles the SQL migrations in `migrations/local/` into the crate, in the order of
//! their numbers, so an installed Tirek can never miss one.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/local");
    println!("cargo::rerun-if-changed={}", folder.display());
    let mut files: Vec<_> = fs::read_dir(&folder)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", folder.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut code = String::from("/// The migrations, as (version, file name, SQL), in order.\n");
    code.push_str("pub(crate) static MIGRATIONS: &[(u32, &str, &str)] = &[\n");
    for (index, file) in files.iter().enumerate() {
        println!("cargo::rerun-if-changed={}", file.display());
        let name = file.file_name().expect("a file name").to_string_lossy().into_owned();
        let version: u32 = name
            .split('_')
            .next()
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("migration {name} does not start with its number"));
        assert_eq!(version as usize, index + 1, "migrations must be numbered 0001, 0002, … without gaps: {name}");
        let absolute = file.canonicalize().expect("a canonical path");
        writeln!(code, "    ({version}, {name:?}, include_str!({:?})),", absolute.display().to_string())
            .expect("writing to a String");
    }
    code.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("migrations.rs"), code)
        .expect("write migrations.rs");
}
