//! A full disk in the middle of writing: the write fails with "disk full", nothing is
//! half-written, everything committed before is intact, and the profile keeps
//! working once there is room again. The disk is a small tmpfs, which needs root
//! (as in CI); elsewhere the test says it was skipped — under `CI` it must run.

#![cfg(target_os = "linux")]

use std::process::Command;
use std::sync::Arc;

use tirek_domain::change::FieldValue;
use tirek_store::keys::KdfParams;
use tirek_store::{DataDir, NoKeyring, Profiles, StoreError};

const PASSWORD: &str = "тау бұлақ өзен 2026";

/// A 2 MiB tmpfs, unmounted on drop.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let folder = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(folder.path())
            .status()
            .is_ok_and(|status| status.success());
        mounted.then_some(SmallDisk(folder))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn a_full_disk_fails_the_write_cleanly_and_loses_nothing() {
    let Some(disk) = SmallDisk::mount() else {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root and must be able to mount a tmpfs");
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let profiles =
        Profiles::new(&DataDir::open(disk.0.path()).unwrap(), Arc::new(NoKeyring)).with_kdf(KdfParams::FAST_FOR_TESTS);
    let id = profiles.create("Aigul", PASSWORD, 1_764_000_000).unwrap().profile.id;
    let mut profile = profiles.unlock(&id, PASSWORD, 1_764_000_000_000).unwrap();

    let payload = "Сәрсенова Әлия ".repeat(1_300); // a long note: about 36 KB a record
    let mut committed = 0;
    let error = loop {
        let result = profile.write("aigul", 1_764_000_000_000, |changes| {
            changes.insert("consultation", &format!("c{committed}"), &[("notes", FieldValue::Text(payload.clone()))])
        });
        match result {
            Ok(_) => committed += 1,
            Err(error) => break error,
        }
        assert!(committed < 200, "a 2 MiB disk cannot hold 7 MB");
    };
    assert!(matches!(error, StoreError::DiskFull { .. }), "{error:?}");
    assert!(committed > 0);

    // The failed record is not there; every earlier one is, with its change.
    assert_eq!(profile.read("consultation", &format!("c{committed}")).unwrap(), None);
    for n in 0..committed {
        assert!(profile.read("consultation", &format!("c{n}")).unwrap().is_some(), "c{n} lost");
    }
    // Small writes may still fit; either way the profile is consistent.
    drop(profile);
    let profile = profiles.unlock(&id, PASSWORD, 1_764_000_001_000).unwrap_or_else(|e| panic!("reopen: {e:?}"));
    profile.check_integrity().unwrap();
    assert_eq!(profile.history("consultation", "c0").unwrap().len(), 1);
}
