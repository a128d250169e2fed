//! Writes of clinical data and their change records: one transaction, every field's
//! old and new value, gapless per-device sequence numbers, a clock that never runs
//! backwards, and nothing half-written when a write fails.

use std::sync::Arc;

use tirek_domain::change::{FieldChange, FieldValue};
use tirek_store::keys::KdfParams;
use tirek_store::{DataDir, MemoryKeyring, OpenProfile, Profiles, StoreError};

const PASSWORD: &str = "тау бұлақ өзен 2026";
const NOW_MS: i64 = 1_764_000_000_000;

fn text(value: &str) -> FieldValue {
    FieldValue::Text(value.to_owned())
}

fn open_profile(folder: &tempfile::TempDir) -> OpenProfile {
    let profiles = Profiles::new(&DataDir::open(folder.path()).unwrap(), Arc::new(MemoryKeyring::default()))
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let id = profiles.create("Aigul", PASSWORD, NOW_MS / 1000).unwrap().profile.id;
    profiles.unlock(&id, PASSWORD, NOW_MS).unwrap()
}

#[test]
fn every_write_appends_a_change_record_with_old_and_new_values() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    let ((), created) = profile
        .write("aigul", NOW_MS, |changes| {
            changes.insert("client", "c1", &[("family_name", text("Сәрсенова")), ("given_name", text("Әлия"))])
        })
        .unwrap();
    let ((), changed) = profile
        .write("aigul", NOW_MS, |changes| {
            changes.update("client", "c1", &[("family_name", text("Нұрланова")), ("given_name", text("Әлия"))])
        })
        .unwrap();

    let record = profile.read("client", "c1").unwrap().unwrap();
    assert_eq!(record.revision, 2);
    assert_eq!(record.fields["family_name"], text("Нұрланова"));
    assert_eq!(record.fields["patronymic"], FieldValue::Null);

    assert_eq!(created[0].seq, 1);
    assert_eq!(created[0].base_revision, 0);
    assert_eq!(changed[0].seq, 2);
    assert_eq!(changed[0].base_revision, 1);
    assert!(changed[0].hlc > created[0].hlc, "same millisecond, still ordered");
    assert_eq!(
        changed[0].fields,
        [FieldChange { field: "family_name".into(), old: text("Сәрсенова"), new: text("Нұрланова") }],
        "an unchanged field is not recorded"
    );
    assert_eq!(changed[0].author, "aigul");
    assert_eq!(changed[0].device_id, profile.device_id());

    let history = profile.history("client", "c1").unwrap();
    assert_eq!(history, [created[0].clone(), changed[0].clone()]);
}

#[test]
fn a_failed_write_leaves_neither_row_nor_change_record() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    let err = profile
        .write("aigul", NOW_MS, |changes| {
            changes.insert("client", "c1", &[("family_name", text("Сәрсенова"))])?;
            changes.update("client", "c1", &[("no_such_field", text("x"))])
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownField { .. }), "{err:?}");
    assert_eq!(profile.read("client", "c1").unwrap(), None);
    assert!(profile.history("client", "c1").unwrap().is_empty());

    // The sequence continues without a gap after the rolled-back write.
    let ((), written) = profile
        .write("aigul", NOW_MS, |changes| changes.insert("client", "c2", &[("given_name", text("Бота"))]))
        .unwrap();
    assert_eq!(written[0].seq, 1);
}

#[test]
fn updating_a_missing_record_or_an_unknown_entity_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    let missing = profile.write("aigul", NOW_MS, |c| c.update("client", "nobody", &[("given_name", text("x"))]));
    assert!(matches!(missing, Err(StoreError::RecordNotFound { .. })));
    let unknown = profile.write("aigul", NOW_MS, |c| c.insert("clients; DROP TABLE clients", "x", &[]));
    assert!(matches!(unknown, Err(StoreError::UnknownField { .. })));
}

#[test]
fn the_clock_and_the_sequence_survive_closing_the_profile() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = Profiles::new(&DataDir::open(folder.path()).unwrap(), Arc::new(MemoryKeyring::default()))
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let id = profiles.create("Aigul", PASSWORD, NOW_MS / 1000).unwrap().profile.id;
    let mut profile = profiles.unlock(&id, PASSWORD, NOW_MS).unwrap();
    let ((), first) = profile.write("a", NOW_MS, |c| c.insert("client", "c1", &[])).unwrap();
    drop(profile);
    // The computer's clock was set back an hour while Tirek was closed.
    let mut profile = profiles.unlock(&id, PASSWORD, NOW_MS).unwrap();
    let ((), second) =
        profile.write("a", NOW_MS - 3_600_000, |c| c.update("client", "c1", &[("given_name", text("x"))])).unwrap();
    assert_eq!(second[0].seq, first[0].seq + 1);
    assert!(second[0].hlc > first[0].hlc);
}
