//! What a thief with the disk sees: client names written through the store must not
//! appear anywhere in the profile's files — database, write-ahead log, key file,
//! attempts file, backup — neither as UTF-8 nor as UTF-16.

use std::sync::Arc;

use tirek_domain::change::FieldValue;
use tirek_store::keys::KdfParams;
use tirek_store::{DataDir, MemoryKeyring, Profiles};

const NAMES: [&str; 6] =
    ["Margaret Thompson", "Ekaterina", "Екатерина Смирнова", "Иванович", "Әлия Нұрланқызы", "Сәрсенбаева"];

fn needles(name: &str) -> Vec<Vec<u8>> {
    let utf16le: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = name.encode_utf16().flat_map(u16::to_be_bytes).collect();
    vec![name.as_bytes().to_vec(), utf16le, utf16be]
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[test]
fn client_names_never_appear_in_the_files_on_disk() {
    let folder = tempfile::tempdir().unwrap();
    let profiles = Profiles::new(&DataDir::open(folder.path()).unwrap(), Arc::new(MemoryKeyring::default()))
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let id = profiles.create("Psychologist", "тау бұлақ өзен 2026", 1_764_000_000).unwrap().profile.id;
    let _ = profiles.unlock(&id, "wrong password!!", 1_764_000_000_000);
    let mut profile = profiles.unlock(&id, "тау бұлақ өзен 2026", 1_764_000_001_000).unwrap();
    profile
        .write("psychologist", 1_764_000_002_000, |changes| {
            for (n, name) in NAMES.iter().enumerate() {
                changes.insert("client", &format!("c{n}"), &[("family_name", FieldValue::Text((*name).to_owned()))])?;
            }
            Ok(())
        })
        .unwrap();

    // While the profile is open the write-ahead log holds the newest pages: scan it
    // as it is, then again after closing (checkpointed into the database).
    let profile_folder = folder.path().join("profiles").join(&id);
    let scan = |moment: &str| {
        let mut scanned = 0;
        for entry in std::fs::read_dir(&profile_folder).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            scanned += 1;
            for name in NAMES {
                for needle in needles(name) {
                    assert!(!contains(&bytes, &needle), "{moment}: {name:?} readable in {}", path.display());
                }
            }
        }
        scanned
    };
    assert!(scan("while open") >= 4, "database, WAL, key file, attempts file at least");
    let wal = profile_folder.join("tirek.db-wal");
    assert!(wal.metadata().map(|m| m.len() > 0).unwrap_or(false), "the names went through the WAL");
    // The backup sits beside the profile's files so the same scan covers it.
    profile.backup_to(&profile_folder.join("backup.tkb"), 1_764_000_003_000).unwrap();
    drop(profile);
    assert!(profile_folder.join("backup.tkb").is_file());
    assert!(scan("after closing") >= 4, "database, key file, lock, backup");

    // The search itself finds a name embedded in other bytes, in every encoding.
    for needle in needles("Әлия Нұрланқызы") {
        let embedded = [b"\x00page\x01".as_slice(), &needle, b"\xff\xfe"].concat();
        assert!(contains(&embedded, &needle));
    }
}
