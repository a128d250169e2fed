//! Backups as a clinic meets them: taken while working, verified, restored on the
//! same computer with the password or on a new one with the recovery key — every
//! table identical to the original — and refused when they are not backups.

use std::sync::Arc;

use tirek_domain::audit::AuditEvent;
use tirek_domain::change::FieldValue;
use tirek_store::backup::{BackupSecret, inspect};
use tirek_store::keys::KdfParams;
use tirek_store::{DataDir, MemoryKeyring, Profiles, StoreError};

const PASSWORD: &str = "тау бұлақ өзен 2026";
const NOW_MS: i64 = 1_764_000_000_000;

fn profiles_in(dir: &std::path::Path, keyring: Arc<MemoryKeyring>) -> Profiles {
    Profiles::new(&DataDir::open(dir).unwrap(), keyring).with_kdf(KdfParams::FAST_FOR_TESTS)
}

#[test]
fn a_backup_restores_on_a_new_computer_with_every_table_identical() {
    let clinic = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let profiles = profiles_in(clinic.path(), keyring.clone());
    let created = profiles.create("Әлия", PASSWORD, NOW_MS / 1000).unwrap();
    let id = created.profile.id.clone();
    let mut profile = profiles.unlock(&id, PASSWORD, NOW_MS).unwrap();
    profile
        .write("aliya", NOW_MS, |changes| {
            for n in 0..50 {
                changes.insert(
                    "client",
                    &format!("c{n}"),
                    &[("family_name", FieldValue::Text(format!("Сәрсенова {n}")))],
                )?;
            }
            changes.update("client", "c7", &[("given_name", FieldValue::Text("Бота".into()))])
        })
        .unwrap();
    let backup = clinic.path().join("backups").join("tirek-backup.tkb");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    let info = profile.backup_to(&backup, NOW_MS + 1).unwrap();
    assert_eq!(info.profile_id, id);
    assert_eq!(inspect(&backup).unwrap(), info);
    let original = profile.table_dump().unwrap();
    assert!(original["clients"].len() == 50 && original["change_log"].len() == 51);
    drop(profile);

    // Same computer, with the password, changes nothing.
    assert_eq!(profiles.verify_backup(&backup, BackupSecret::Password(PASSWORD)).unwrap(), info);

    // A new computer: another data folder, a keyring that never saw this profile.
    let new_computer = tempfile::tempdir().unwrap();
    let elsewhere = profiles_in(new_computer.path(), Arc::new(MemoryKeyring::default()));
    assert!(matches!(
        elsewhere.restore(&backup, BackupSecret::Password(PASSWORD), NOW_MS + 2),
        Err(StoreError::DeviceSecretMissing)
    ));
    elsewhere.restore(&backup, BackupSecret::RecoveryKey(&created.recovery_key), NOW_MS + 2).unwrap();
    elsewhere.reset_password(&id, &created.recovery_key, PASSWORD, NOW_MS).unwrap();
    let restored = elsewhere.unlock(&id, PASSWORD, NOW_MS + 3).unwrap();
    restored.check_integrity().unwrap();
    let mut after = restored.table_dump().unwrap();
    let mut before = original;
    // Every table but the audit trail is identical. The trail holds what happened up
    // to the backup (the original then recorded the backup itself), then the restore
    // and the unlock.
    let trail_after = after.remove("audit_log").unwrap();
    let trail_before = before.remove("audit_log").unwrap();
    assert_eq!(after, before);
    let (backup_event, up_to_backup) = trail_before.split_last().unwrap();
    assert!(backup_event[4].contains("backup"), "{backup_event:?}");
    assert_eq!(trail_after[..up_to_backup.len()], up_to_backup[..]);
    let events: Vec<AuditEvent> = restored.audit_trail().unwrap().iter().map(|e| e.event).collect();
    assert!(
        events.ends_with(&[AuditEvent::Unlock, AuditEvent::Restore, AuditEvent::PasswordChanged, AuditEvent::Unlock]),
        "{events:?}"
    );
    assert_eq!(restored.verify_audit().unwrap(), None);
}

#[test]
fn a_failed_backup_leaves_the_previous_one_intact() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles_in(folder.path(), Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW_MS / 1000).unwrap().profile.id;
    let profile = profiles.unlock(&id, PASSWORD, NOW_MS).unwrap();
    let backup = folder.path().join("backup.tkb");
    profile.backup_to(&backup, NOW_MS).unwrap();
    let good = std::fs::read(&backup).unwrap();
    // A destination folder that does not exist makes the next backup fail.
    let err = profile.backup_to(&folder.path().join("gone").join("backup.tkb"), NOW_MS).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. } | StoreError::Sqlite { .. }), "{err:?}");
    assert_eq!(std::fs::read(&backup).unwrap(), good);
}

#[test]
fn wrong_keys_and_foreign_files_are_refused_and_restore_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles_in(folder.path(), Arc::new(MemoryKeyring::default()));
    let created = profiles.create("Aigul", PASSWORD, NOW_MS / 1000).unwrap();
    let backup = folder.path().join("backup.tkb");
    profiles.unlock(&created.profile.id, PASSWORD, NOW_MS).unwrap().backup_to(&backup, NOW_MS).unwrap();

    let other = tempfile::tempdir().unwrap();
    let elsewhere = profiles_in(other.path(), Arc::new(MemoryKeyring::default()));
    let wrong_key = elsewhere.create("Bota", PASSWORD, NOW_MS / 1000).unwrap().recovery_key;
    assert!(matches!(
        elsewhere.restore(&backup, BackupSecret::RecoveryKey(&wrong_key), NOW_MS),
        Err(StoreError::WrongRecoveryKey)
    ));
    assert_eq!(elsewhere.list().unwrap().len(), 1, "nothing restored");

    let spreadsheet = folder.path().join("caseload.xlsx");
    std::fs::write(&spreadsheet, b"PK\x03\x04 not a backup").unwrap();
    assert!(matches!(inspect(&spreadsheet), Err(StoreError::NotABackup { .. })));
    let truncated = folder.path().join("truncated.tkb");
    std::fs::write(&truncated, &std::fs::read(&backup).unwrap()[..40]).unwrap();
    assert!(matches!(inspect(&truncated), Err(StoreError::NotABackup { .. })));
    let mut corrupted = std::fs::read(&backup).unwrap();
    let middle = corrupted.len() - 2000;
    corrupted[middle] ^= 0xff;
    let corrupted_path = folder.path().join("corrupted.tkb");
    std::fs::write(&corrupted_path, corrupted).unwrap();
    let err = profiles.verify_backup(&corrupted_path, BackupSecret::RecoveryKey(&created.recovery_key)).unwrap_err();
    assert!(matches!(err, StoreError::Corrupted { .. } | StoreError::NotADatabase { .. }), "{err:?}");
}
