//! Compiles every `locales/<lang>/*.ftl` file into the crate, so a message can never
//! be missing at run time because a file was not installed next to the binary.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    println!("cargo::rerun-if-changed={}", locales.display());
    let mut code = String::from("/// Every Fluent file under `locales/`, as (language code, file name, source).\n");
    code.push_str("pub(crate) static SOURCES: &[(&str, &str, &str)] = &[\n");
    for language in ["en", "kk", "ru"] {
        let dir = locales.join(language);
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
            .map(|entry| entry.expect("readable directory entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "ftl"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo::rerun-if-changed={}", file.display());
            let name = file.file_name().expect("file name").to_string_lossy().into_owned();
            let absolute = file.canonicalize().expect("canonical path");
            writeln!(code, "    ({language:?}, {name:?}, include_str!({:?})),", absolute.display().to_string())
                .expect("writing to a String");
        }
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("sources.rs");
    fs::write(out, code).expect("write sources.rs");
}
