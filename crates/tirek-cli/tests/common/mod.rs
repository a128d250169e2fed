//! Running `tirek` as a script does, shared by the command-line tests: English
//! messages, a data folder of the test's own, and what to type on standard input.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The password every test profile is created with.
pub const PASSWORD: &str = "тау бұлақ өзен 2026";

/// Runs `tirek args…` on `data_dir` in English with `stdin` typed in.
pub fn tirek(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tirek"))
        .args(args)
        .env("TIREK_DATA_DIR", data_dir)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tirek runs");
    // A command refused before it reads its input (a missing `--yes`) may close
    // the pipe first; what it printed is the test's answer then.
    match child.stdin.take().expect("stdin").write_all(stdin.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => panic!("write stdin: {error}"),
        _ => {}
    }
    child.wait_with_output().expect("tirek finishes")
}

/// The one JSON document a successful command printed.
pub fn json(output: &Output) -> serde_json::Value {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("one JSON document")
}
