//! Profiles as a psychologist meets them: create, unlock, lock out the wrong people,
//! recover with the printed key, move to a new computer, delete.

use std::sync::Arc;

use tirek_store::keys::KdfParams;
use tirek_store::{DataDir, DeviceSecrets, MemoryKeyring, NoKeyring, Profiles, StoreError};

const PASSWORD: &str = "тау бұлақ өзен 2026";
const NOW: i64 = 1_764_000_000;
const NOW_MS: i64 = NOW * 1000 + 5_000;

fn profiles(folder: &tempfile::TempDir, secrets: Arc<dyn DeviceSecrets>) -> Profiles {
    Profiles::new(&DataDir::open(folder.path()).unwrap(), secrets).with_kdf(KdfParams::FAST_FOR_TESTS)
}

#[test]
fn a_new_profile_is_listed_and_opens_with_its_password_only() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let created = profiles.create("  Әлия Нұрланқызы ", PASSWORD, NOW).unwrap();
    assert!(created.keyring_warning.is_none());
    assert_eq!(created.profile.name, "Әлия Нұрланқызы");
    assert_eq!(profiles.list().unwrap(), vec![created.profile.clone()]);

    let open = profiles.unlock(&created.profile.id, PASSWORD, NOW_MS).unwrap();
    assert_eq!(open.summary(), &created.profile);
    assert_eq!(open.schema_version().unwrap(), tirek_store::latest_schema_version());
    open.check_integrity().unwrap();
    drop(open);

    let err = profiles.unlock(&created.profile.id, "тау бұлақ өзен 2025", NOW_MS).unwrap_err();
    assert!(matches!(err, StoreError::WrongPassword), "{err:?}");
}

#[test]
fn one_profiles_password_never_opens_another() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let a = profiles.create("Aigul", PASSWORD, NOW).unwrap();
    let b = profiles.create("Bota", "a different long password", NOW).unwrap();
    assert!(matches!(profiles.unlock(&b.profile.id, PASSWORD, NOW_MS), Err(StoreError::WrongPassword)));
    assert!(matches!(
        profiles.unlock(&a.profile.id, "a different long password", NOW_MS),
        Err(StoreError::WrongPassword)
    ));
    assert!(matches!(
        profiles.unlock_with_recovery_key(&b.profile.id, &a.recovery_key, NOW_MS),
        Err(StoreError::WrongRecoveryKey)
    ));
    assert_eq!(profiles.list().unwrap().len(), 2);
}

#[test]
fn the_recovery_key_resets_a_forgotten_password() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let created = profiles.create("Aigul", PASSWORD, NOW).unwrap();
    let id = &created.profile.id;

    assert!(matches!(
        profiles.reset_password(id, "ABCD-EFGH", "new long password", NOW_MS),
        Err(StoreError::MalformedRecoveryKey)
    ));
    let typed = created.recovery_key.to_lowercase().replace('-', " ");
    profiles.reset_password(id, &typed, "new long password", NOW_MS).unwrap();
    assert!(matches!(profiles.unlock(id, PASSWORD, NOW_MS), Err(StoreError::WrongPassword)));
    profiles.unlock(id, "new long password", NOW_MS).unwrap();
}

#[test]
fn changing_the_password_needs_the_old_one_and_a_strong_new_one() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    assert!(matches!(
        profiles.change_password(&id, "wrong old password", "new long password", NOW_MS),
        Err(StoreError::WrongPassword)
    ));
    assert!(matches!(profiles.change_password(&id, PASSWORD, "short", NOW_MS), Err(StoreError::WeakPassword(_))));
    profiles.change_password(&id, PASSWORD, "new long password", NOW_MS).unwrap();
    profiles.unlock(&id, "new long password", NOW_MS).unwrap();
}

#[test]
fn weak_passwords_and_bad_names_create_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    assert!(matches!(profiles.create("Aigul", "1234567890", NOW), Err(StoreError::WeakPassword(_))));
    assert!(matches!(profiles.create(" ", PASSWORD, NOW), Err(StoreError::BadProfileName(_))));
    assert!(profiles.list().unwrap().is_empty());
}

#[test]
fn a_profile_copied_to_another_computer_opens_only_with_the_recovery_key() {
    let folder = tempfile::tempdir().unwrap();
    let first_computer = Arc::new(MemoryKeyring::default());
    let created = profiles(&folder, first_computer).create("Aigul", PASSWORD, NOW).unwrap();
    let id = &created.profile.id;

    // Same files, a keyring that has never seen this profile.
    let second = profiles(&folder, Arc::new(MemoryKeyring::default()));
    assert!(matches!(second.unlock(id, PASSWORD, NOW_MS), Err(StoreError::DeviceSecretMissing)));
    second.unlock_with_recovery_key(id, &created.recovery_key, NOW_MS).unwrap();
    // Resetting the password there binds the profile to the new computer.
    second.reset_password(id, &created.recovery_key, PASSWORD, NOW_MS).unwrap();
    second.unlock(id, PASSWORD, NOW_MS).unwrap();
}

#[test]
fn without_a_keyring_the_password_alone_protects_the_profile_and_the_user_is_told() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(NoKeyring));
    let created = profiles.create("Aigul", PASSWORD, NOW).unwrap();
    assert!(created.keyring_warning.is_some());
    profiles.unlock(&created.profile.id, PASSWORD, NOW_MS).unwrap();
}

#[test]
fn a_second_instance_is_told_the_profile_is_open() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    let first = profiles.unlock(&id, PASSWORD, NOW_MS).unwrap();
    assert!(matches!(profiles.unlock(&id, PASSWORD, NOW_MS), Err(StoreError::ProfileInUse)));
    drop(first);
    profiles.unlock(&id, PASSWORD, NOW_MS).unwrap();
}

#[test]
fn a_file_that_is_not_a_tirek_database_is_named_as_such() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    let database = folder.path().join("profiles").join(&id).join("tirek.db");
    std::fs::write(&database, b"this is a spreadsheet, not a database".repeat(200)).unwrap();
    let _ = std::fs::remove_file(database.with_extension("db-wal"));
    let err = profiles.unlock(&id, PASSWORD, NOW_MS).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
}

#[test]
fn deleting_a_profile_needs_its_password_and_removes_everything() {
    let folder = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let profiles = profiles(&folder, keyring.clone());
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    assert!(matches!(profiles.delete(&id, "not the password", NOW_MS), Err(StoreError::WrongPassword)));
    profiles.delete(&id, PASSWORD, NOW_MS).unwrap();
    assert!(profiles.list().unwrap().is_empty());
    assert!(!folder.path().join("profiles").join(&id).exists());
    assert_eq!(keyring.get(&id).unwrap(), None, "the device secret is forgotten too");
    assert!(matches!(profiles.unlock(&id, PASSWORD, NOW_MS), Err(StoreError::ProfileNotFound { .. })));
}

#[test]
fn a_typed_profile_id_cannot_reach_outside_the_profiles_folder() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    for id in ["../..", "", "a/b", "..%2f"] {
        assert!(matches!(profiles.unlock(id, PASSWORD, NOW_MS), Err(StoreError::ProfileNotFound { .. })), "{id}");
    }
}

#[test]
fn the_database_on_disk_is_encrypted_not_plain_sqlite() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    drop(profiles.unlock(&id, PASSWORD, NOW_MS).unwrap());
    let bytes = std::fs::read(folder.path().join("profiles").join(&id).join("tirek.db")).unwrap();
    assert!(bytes.len() >= 4096, "a page at least");
    assert_ne!(&bytes[..16], b"SQLite format 3\0", "a plain SQLite header means no encryption");
    let key_file = std::fs::read_to_string(folder.path().join("profiles").join(&id).join("keys.json")).unwrap();
    assert!(key_file.contains("\"argon2id\""), "{key_file}");
}

#[test]
fn unlocks_and_failed_unlocks_reach_the_audit_trail() {
    use tirek_domain::audit::AuditEvent;
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    for offset in [1, 2] {
        assert!(matches!(profiles.unlock(&id, "wrong password!!", NOW_MS + offset), Err(StoreError::WrongPassword)));
    }
    let open = profiles.unlock(&id, PASSWORD, NOW_MS + 10).unwrap();
    let trail: Vec<(AuditEvent, i64)> = open.audit_trail().unwrap().iter().map(|e| (e.event, e.at)).collect();
    assert_eq!(
        trail,
        [
            (AuditEvent::ProfileCreated, NOW * 1000),
            (AuditEvent::FailedUnlock, NOW_MS + 1),
            (AuditEvent::FailedUnlock, NOW_MS + 2),
            (AuditEvent::Unlock, NOW_MS + 10),
        ]
    );
    assert!(open.audit_trail().unwrap().iter().all(|e| e.actor == id && e.device_id == open.device_id()));
    assert_eq!(open.verify_audit().unwrap(), None);
}

#[test]
fn after_five_wrong_passwords_each_try_must_wait_longer() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    for n in 0..5 {
        assert!(matches!(profiles.unlock(&id, "wrong password!!", NOW_MS + n), Err(StoreError::WrongPassword)));
    }
    // Even the right password waits: the delay is about guessing, not about typos.
    let err = profiles.unlock(&id, PASSWORD, NOW_MS + 1_000).unwrap_err();
    assert!(matches!(err, StoreError::TooManyAttempts { wait_seconds: 2 }), "{err:?}");
    assert!(matches!(profiles.unlock(&id, "wrong password!!", NOW_MS + 2_004), Err(StoreError::WrongPassword)));
    let err = profiles.unlock(&id, PASSWORD, NOW_MS + 3_000).unwrap_err();
    assert!(matches!(err, StoreError::TooManyAttempts { wait_seconds: 4 }), "{err:?}");
    let open = profiles.unlock(&id, PASSWORD, NOW_MS + 6_005).unwrap();
    assert_eq!(open.audit_trail().unwrap().len(), 1 + 6 + 1, "created, six failures, the unlock");
    drop(open);
    profiles.unlock(&id, PASSWORD, NOW_MS + 6_006).expect("a success resets the count");
}

#[test]
fn a_damaged_page_is_found_by_the_integrity_check() {
    use tirek_domain::change::FieldValue;
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    {
        let mut open = profiles.unlock(&id, PASSWORD, NOW_MS).unwrap();
        open.write("aigul", NOW_MS, |changes| {
            for n in 0..200 {
                changes.insert(
                    "client",
                    &format!("c{n}"),
                    &[("family_name", FieldValue::Text("Сәрсенова ".repeat(9)))],
                )?;
            }
            Ok(())
        })
        .unwrap();
        open.check_integrity().unwrap();
    }
    let database = folder.path().join("profiles").join(&id).join("tirek.db");
    let mut bytes = std::fs::read(&database).unwrap();
    assert!(bytes.len() > 8 * 4096, "several pages: {}", bytes.len());
    // Flip bytes inside page 6, as a failing disk sector would.
    for byte in &mut bytes[5 * 4096 + 200..5 * 4096 + 232] {
        *byte ^= 0x5a;
    }
    std::fs::write(&database, bytes).unwrap();

    // Either opening already trips over the page, or the integrity check finds it;
    // both say "damaged", never "wrong password".
    let err = match profiles.unlock(&id, PASSWORD, NOW_MS + 1) {
        Ok(open) => open.check_integrity().unwrap_err(),
        Err(err) => err,
    };
    assert!(matches!(err, StoreError::Corrupted { .. }), "{err:?}");
}

#[test]
fn no_door_skips_the_guessing_limit() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = profiles(&folder, Arc::new(MemoryKeyring::default()));
    let id = profiles.create("Aigul", PASSWORD, NOW).unwrap().profile.id;
    // Five wrong guesses through the password change, not the unlock...
    for n in 0..5 {
        let guess = profiles.change_password(&id, "wrong password!!", "new long password", NOW_MS + n);
        assert!(matches!(guess, Err(StoreError::WrongPassword)));
    }
    // ...and every door now waits: unlock, delete, the change itself.
    let later = NOW_MS + 1_000;
    assert!(matches!(profiles.unlock(&id, PASSWORD, later), Err(StoreError::TooManyAttempts { .. })));
    assert!(matches!(profiles.delete(&id, PASSWORD, later), Err(StoreError::TooManyAttempts { .. })));
    assert!(matches!(
        profiles.change_password(&id, PASSWORD, "new long password", later),
        Err(StoreError::TooManyAttempts { .. })
    ));
    // The five guesses reach the audit trail at the next unlock.
    let open = profiles.unlock(&id, PASSWORD, NOW_MS + 10_000).unwrap();
    let failures =
        open.audit_trail().unwrap().iter().filter(|e| e.event == tirek_domain::audit::AuditEvent::FailedUnlock).count();
    assert_eq!(failures, 5);
}
