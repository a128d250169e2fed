//! Another program holding the database's write lock (a backup tool, a stray copy of
//! sqlite3): Tirek waits a few seconds, then says so in words — and the write that
//! could not happen left nothing behind.

#![cfg(unix)]

use std::sync::Arc;

use tirek_domain::change::FieldValue;
use tirek_store::keys::KdfParams;
use tirek_store::{DataDir, MemoryKeyring, Profiles, StoreError};

const PASSWORD: &str = "тау бұлақ өзен 2026";

#[test]
fn a_write_lock_held_elsewhere_is_reported_as_database_locked() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = Profiles::new(&DataDir::open(folder.path()).unwrap(), Arc::new(MemoryKeyring::default()))
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let id = profiles.create("Aigul", PASSWORD, 1_764_000_000).unwrap().profile.id;
    let mut profile = profiles.unlock(&id, PASSWORD, 1_764_000_000_000).unwrap();

    // In WAL mode a writer needs the WAL write lock: byte 120 of the -shm file
    // (SQLite's WAL_WRITE_LOCK). Another process takes it with a POSIX lock, as any
    // SQLite program would (a small python3 script, the quickest such program).
    let shm = folder.path().join("profiles").join(&id).join("tirek.db-shm");
    assert!(shm.is_file());
    let mut holder = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import fcntl, os, sys, time\n\
             fd = os.open({shm:?}, os.O_RDWR)\n\
             fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 120)\n\
             print('locked', flush=True)\n\
             time.sleep(60)\n",
            shm = shm.display().to_string()
        ))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(holder.stdout.take().unwrap()), &mut line).unwrap();
    assert_eq!(line.trim(), "locked");

    let result = profile.write("aigul", 1_764_000_001_000, |changes| {
        changes.insert("client", "c1", &[("family_name", FieldValue::Text("Сәрсенова".into()))])
    });
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert!(matches!(result, Err(StoreError::DatabaseLocked { .. })), "{result:?}");

    // Once the other program lets go, Tirek writes again; the failed write left nothing.
    assert_eq!(profile.read("client", "c1").unwrap(), None);
    profile.write("aigul", 1_764_000_002_000, |changes| changes.insert("client", "c2", &[])).unwrap();
    assert!(profile.read("client", "c2").unwrap().is_some());
}
