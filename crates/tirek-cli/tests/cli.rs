//! The `tirek` binary as a script or an installer sees it: its output, its JSON and
//! its exit codes, in each language.

use std::path::Path;
use std::process::{Command, Output};

fn tirek(data_dir: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tirek"))
        .args(args)
        .env("TIREK_DATA_DIR", data_dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .output()
        .expect("tirek runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 stderr")
}

#[test]
fn version_prints_the_crate_version() {
    let folder = tempfile::tempdir().unwrap();
    let output = tirek(folder.path(), "en_US.UTF-8", &["--version"]);
    assert!(output.status.success());
    assert_eq!(stdout(&output), format!("tirek {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn info_speaks_the_system_language() {
    let folder = tempfile::tempdir().unwrap();
    let output = tirek(folder.path(), "kk_KZ.UTF-8", &["info"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with(&format!("Tirek {}\n", env!("CARGO_PKG_VERSION"))), "{text}");
    assert!(text.contains(&format!("Деректер қалтасы: {} (жазуға болады)", folder.path().display())), "{text}");
    assert!(text.contains("Тіл: Қазақша"), "{text}");
}

#[test]
fn info_json_is_one_document_with_the_data_folder() {
    let folder = tempfile::tempdir().unwrap();
    let output = tirek(folder.path(), "ru_RU.UTF-8", &["info", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["data_dir"], folder.path().to_str().unwrap());
    assert_eq!(json["data_dir_writable"], true);
    assert_eq!(json["language"], "ru");
    assert!(json["build"].as_str().is_some_and(|build| !build.is_empty()));
}

#[test]
fn the_data_dir_flag_wins_over_the_environment() {
    let from_env = tempfile::tempdir().unwrap();
    let from_flag = tempfile::tempdir().unwrap();
    let output =
        tirek(from_env.path(), "en_US.UTF-8", &["--json", "--data-dir", from_flag.path().to_str().unwrap(), "info"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    assert_eq!(json["data_dir"], from_flag.path().to_str().unwrap());
}

#[test]
fn an_unusable_data_folder_is_a_one_line_translated_error_with_exit_code_1() {
    let parent = tempfile::tempdir().unwrap();
    let file = parent.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let output = tirek(&file, "ru_RU.UTF-8", &["info"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!("ошибка: Tirek не может использовать {} как папку данных: это не папка\n", file.display())
    );
}

#[test]
fn malformed_usage_exits_with_code_2() {
    let folder = tempfile::tempdir().unwrap();
    for args in [&["no-such-command"][..], &["info", "--no-such-flag"][..], &[][..]] {
        let output = tirek(folder.path(), "en_US.UTF-8", args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn iin_check_decodes_a_valid_number_and_names_what_is_wrong_with_a_bad_one() {
    let folder = tempfile::tempdir().unwrap();
    let valid = tirek(folder.path(), "kk_KZ.UTF-8", &["iin", "check", "0612 1160 0012"]);
    assert_eq!(valid.status.code(), Some(0), "{}", stderr(&valid));
    assert_eq!(stdout(&valid), "ЖСН дұрыс: туған күні 11.12.2006, әйел жынысы\n");

    let json = tirek(folder.path(), "en_US.UTF-8", &["--json", "iin", "check", "061211600012"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(json, serde_json::json!({ "iin": "061211600012", "birth_date": "2006-12-11", "sex": "female" }));

    let cases = [
        ("06121160001", "error: An IIN has 12 digits; this one has 11.\n"),
        ("06121160001O", "error: An IIN has digits only; check for letters (O instead of 0) or dashes.\n"),
        (
            "061311600012",
            "error: The first six digits of an IIN are the birth date (YYMMDD); this is not a real date.\n",
        ),
        (
            "061211600013",
            "error: This IIN's last digit does not match the others: a digit was probably mistyped or swapped.\n",
        ),
    ];
    for (typed, expected) in cases {
        let output = tirek(folder.path(), "en_US.UTF-8", &["iin", "check", typed]);
        assert_eq!(output.status.code(), Some(1), "{typed}");
        assert_eq!(stderr(&output), expected, "{typed}");
    }
}
