//! Tidy checks, run as tests with the rest of the workspace: habits from STYLE.md
//! that a machine can hold — every Rust file says why it exists in a `//!` doc, every
//! crate appears in ARCHITECTURE.md's code map, no error is flattened into a string
//! at a boundary, and CI runs the README's test command.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == "node_modules" || name == ".git" || name == "gen" {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&crate::root(), &mut files);
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(crate::root()).unwrap_or(path).display().to_string()
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let files = all_rust_files();
    assert!(files.len() > 10, "found only {} Rust files: is the walk broken?", files.len());
    let undocumented: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
            !first.starts_with("//!")
        })
        .map(|path| relative(path))
        .collect();
    assert!(
        undocumented.is_empty(),
        "these files lack a `//!` doc saying why they exist:\n{}",
        undocumented.join("\n")
    );
}

#[test]
fn every_crate_is_in_the_architecture_code_map() {
    let architecture = std::fs::read_to_string(crate::root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md exists");
    let manifest = std::fs::read_to_string(crate::root().join("Cargo.toml")).expect("workspace Cargo.toml");
    let members: Vec<&str> = manifest
        .split("members = [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("a members list")
        .split(',')
        .map(|member| member.trim().trim_matches('"'))
        .filter(|member| !member.is_empty())
        .collect();
    assert!(members.len() >= 8, "members: {members:?}");
    let missing: Vec<&&str> = members.iter().filter(|member| !architecture.contains(&format!("`{member}/`"))).collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md's code map lacks a paragraph headed `{{dir}}/` for {missing:?}");
}

/// Whether `text` has a `Result<…, String>`: the generic arguments up to the first
/// `>` end in `String`.
fn flattens_errors(text: &str) -> bool {
    text.match_indices("Result<").any(|(at, _)| {
        let rest = &text[at + "Result<".len()..];
        rest.split('>').next().is_some_and(|arguments| {
            let arguments = arguments.trim_end();
            arguments.ends_with(", String") || arguments.ends_with(",String")
        })
    })
}

#[test]
fn the_stringly_error_check_tells_errors_from_data() {
    assert!(flattens_errors("fn f() -> Result<(), String> {"));
    assert!(flattens_errors("-> std::result::Result<AppInfo,String>"));
    assert!(!flattens_errors("-> rusqlite::Result<Vec<(AuditEntry, String, String)>>"));
    assert!(!flattens_errors("-> Result<String, IpcError>"));
}

#[test]
fn no_error_is_flattened_into_a_string() {
    let offenders: Vec<String> = all_rust_files()
        .iter()
        .filter(|path| !path.starts_with(crate::root().join("xtask")) && !path.starts_with(crate::root().join("tests")))
        .filter(|path| flattens_errors(&std::fs::read_to_string(path).unwrap_or_default()))
        .map(|path| relative(path))
        .collect();
    assert!(offenders.is_empty(), "use the crate's error type, not `Result<_, String>`: {offenders:?}");
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = std::fs::read_to_string(crate::root().join(".ci/run")).expect(".ci/run exists");
    let readme = std::fs::read_to_string(crate::root().join("README.md")).expect("README.md exists");
    assert!(
        ci.lines().any(|line| line.trim_start().starts_with("cargo xtask test")),
        ".ci/run must run `cargo xtask test`"
    );
    for command in ["cargo xtask run", "cargo xtask test"] {
        assert!(readme.contains(command), "README.md must show `{command}`");
    }
}

/// The entities of `tirek-store`'s `ENTITIES` list, read from its source: each name
/// with its fields and its finality as written there (`OnceSet("signed_at")`).
fn store_entities(source: &str) -> Vec<(String, Vec<String>, String)> {
    let list = source
        .split("const ENTITIES: &[Entity] = &[")
        .nth(1)
        .and_then(|rest| rest.split("\n];").next())
        .expect("tirek-store's changes.rs has its ENTITIES list");
    let quoted = |text: &str| text.trim().trim_matches('"').to_owned();
    list.split("Entity {")
        .skip(1)
        .map(|block| {
            let name = block.split("name: ").nth(1).and_then(|rest| rest.split(',').next()).map(quoted);
            let fields = block
                .split("fields: &[")
                .nth(1)
                .and_then(|rest| rest.split(']').next())
                .map(|fields| fields.split(',').map(quoted).filter(|field| !field.is_empty()).collect::<Vec<_>>());
            let finality = block
                .split("finality: Finality::")
                .nth(1)
                .and_then(|rest| rest.split(",\n").next())
                .map(|text| text.trim().to_owned());
            (
                name.expect("an entity's name"),
                fields.expect("an entity's fields"),
                finality.expect("an entity's finality"),
            )
        })
        .collect()
}

#[test]
fn the_store_and_the_domain_name_the_same_fields() {
    // The server checks pushed changes against tirek-domain's catalogue, while the
    // store still keeps its own list; until the store reads the domain's, this keeps
    // a field added to one from being refused by the other.
    let source = std::fs::read_to_string(crate::root().join("crates/tirek-store/src/changes.rs"))
        .expect("tirek-store's changes.rs");
    let store = store_entities(&source);
    assert!(store.len() >= 12, "read only {} entities from the store: is the parser broken?", store.len());
    let domain: Vec<(String, Vec<String>, String)> = tirek_domain::entities::ENTITIES
        .iter()
        .map(|entity| {
            (
                entity.name.to_owned(),
                entity.fields.iter().map(|field| field.name.to_owned()).collect(),
                format!("{:?}", entity.finality),
            )
        })
        .collect();
    assert_eq!(
        store, domain,
        "tirek-store's ENTITIES and tirek_domain::entities::ENTITIES differ: change both, with the field's limit"
    );
}
