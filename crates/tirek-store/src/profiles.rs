//! Profiles: one encrypted database per psychologist, so colleagues can share one PC
//! without sharing a caseload. Each lives in `profiles/<id>/` — the database, its
//! key file and an instance lock — and the folder's name carries no one's name.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::Connection;
use tirek_domain::credentials::{check_password, check_profile_name};

use crate::device_secret::{DeviceSecrets, KeyringUnavailable};
use crate::key_file::KeyFile;
use crate::keys::{self, KdfParams, Secret};
use crate::{DataDir, Result, StoreError, db};

const KEY_FILE: &str = "keys.json";
const DATABASE: &str = "tirek.db";
const LOCK: &str = "lock";

/// What the profile picker shows before anyone unlocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSummary {
    /// The profile's id.
    pub id: String,
    /// The psychologist's name.
    pub name: String,
    /// When it was created, seconds since 1970 (UTC).
    pub created_at: i64,
}

/// A profile just created.
#[derive(Debug)]
pub struct Created {
    /// The new profile.
    pub profile: ProfileSummary,
    /// The recovery key, formatted for the printed sheet. Shown once, never stored.
    pub recovery_key: String,
    /// Set when no keyring was reachable and the profile is protected by its
    /// password alone; the user is told once.
    pub keyring_warning: Option<KeyringUnavailable>,
}

/// An unlocked profile: the open database and the instance lock. Dropping it closes
/// the database; SQLCipher wipes the key from memory as it closes.
#[derive(Debug)]
pub struct OpenProfile {
    summary: ProfileSummary,
    path: PathBuf,
    connection: Connection,
    _lock: File,
}

impl OpenProfile {
    /// Who this profile belongs to.
    pub fn summary(&self) -> &ProfileSummary {
        &self.summary
    }

    /// Runs SQLite's and SQLCipher's integrity checks.
    pub fn check_integrity(&self) -> Result<()> {
        db::check(&self.connection, &self.path)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32> {
        self.connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| StoreError::sqlite(&self.path, e))
    }
}

/// The profiles in a data folder.
#[derive(Debug, Clone)]
pub struct Profiles {
    root: PathBuf,
    secrets: Arc<dyn DeviceSecrets>,
    kdf: KdfParams,
}

impl Profiles {
    /// The profiles under `data_dir`, with device secrets kept in `secrets`.
    pub fn new(data_dir: &DataDir, secrets: Arc<dyn DeviceSecrets>) -> Profiles {
        Profiles { root: data_dir.path().join("profiles"), secrets, kdf: KdfParams::UNLOCK }
    }

    /// Uses cheaper Argon2id parameters for new key files (tests only derive keys
    /// hundreds of times; a real profile always uses [`KdfParams::UNLOCK`]).
    pub fn with_kdf(mut self, kdf: KdfParams) -> Profiles {
        self.kdf = kdf;
        self
    }

    fn folder(&self, id: &str) -> Result<PathBuf> {
        // Ids come from our own listing, but a typed id must not escape the folder.
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(StoreError::ProfileNotFound { id: id.to_owned() });
        }
        let folder = self.root.join(id);
        if !folder.join(KEY_FILE).is_file() {
            return Err(StoreError::ProfileNotFound { id: id.to_owned() });
        }
        Ok(folder)
    }

    /// Every profile on this computer, by name.
    pub fn list(&self) -> Result<Vec<ProfileSummary>> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(StoreError::io(&self.root, err)),
        };
        let mut profiles = Vec::new();
        for entry in entries.flatten() {
            let key_file = entry.path().join(KEY_FILE);
            if let Ok(key_file) = KeyFile::read(&key_file) {
                profiles.push(summary(&key_file));
            }
        }
        profiles.sort_by(|a, b| a.name.cmp(&b.name).then(a.created_at.cmp(&b.created_at)));
        Ok(profiles)
    }

    /// Creates a profile: a new database key sealed under the password (and the
    /// device secret, where a keyring is reachable) and under a new recovery key.
    pub fn create(&self, name: &str, password: &str, now: i64) -> Result<Created> {
        let name = check_profile_name(name).map_err(StoreError::BadProfileName)?;
        check_password(password, name).map_err(StoreError::WeakPassword)?;
        let id = uuid::Uuid::now_v7().to_string();
        let folder = self.root.join(&id);
        fs::create_dir_all(&folder).map_err(|err| StoreError::io(&folder, err))?;

        let database_key = Secret::random();
        let recovery = Secret::random();
        let device = Secret::random();
        let keyring_warning = self.secrets.put(&id, &device).err();
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).expect("the operating system provides random bytes");

        let mut key_file = KeyFile {
            profile_id: id.clone(),
            name: name.to_owned(),
            created_at: now,
            kdf: self.kdf,
            salt,
            password_slot: keys::seal(&Secret::random(), &database_key, b""),
            device_bound: keyring_warning.is_none(),
            recovery_slot: keys::seal(&Secret::random(), &database_key, b""),
        };
        let device_secret = key_file.device_bound.then_some(&device);
        let password_key = keys::password_key(password, &salt, self.kdf, device_secret);
        key_file.password_slot = keys::seal(&password_key, &database_key, &key_file.context("password"));
        key_file.recovery_slot =
            keys::seal(&keys::recovery_wrapping_key(&recovery), &database_key, &key_file.context("recovery"));

        let result = (|| {
            // Create the database before the key file: a profile is listed only once
            // both exist, so a crash in between leaves no half-made profile behind.
            let lock = lock(&folder)?;
            let connection = db::open(&folder.join(DATABASE), &database_key)?;
            initialise_device(&connection, &folder)?;
            drop(connection);
            drop(lock);
            key_file.write(&folder.join(KEY_FILE))
        })();
        if let Err(err) = result {
            let _ = fs::remove_dir_all(&folder);
            let _ = self.secrets.delete(&id);
            return Err(err);
        }
        Ok(Created { profile: summary(&key_file), recovery_key: keys::format_recovery_key(&recovery), keyring_warning })
    }

    /// Opens a profile with its password.
    pub fn unlock(&self, id: &str, password: &str) -> Result<OpenProfile> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        let database_key = self.open_password_slot(&key_file, password)?;
        open_database(&folder, &key_file, &database_key)
    }

    /// Opens a profile with its recovery key (a new computer, a forgotten password).
    pub fn unlock_with_recovery_key(&self, id: &str, recovery_key: &str) -> Result<OpenProfile> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        let database_key = open_recovery_slot(&key_file, recovery_key)?;
        open_database(&folder, &key_file, &database_key)
    }

    /// Replaces the password, knowing the old one.
    pub fn change_password(&self, id: &str, old: &str, new: &str) -> Result<()> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        let database_key = self.open_password_slot(&key_file, old)?;
        self.reseal_password(&folder, key_file, &database_key, new)
    }

    /// Sets a new password with the recovery key. On a new computer this also binds
    /// the profile to the new computer's keyring.
    pub fn reset_password(&self, id: &str, recovery_key: &str, new: &str) -> Result<()> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        let database_key = open_recovery_slot(&key_file, recovery_key)?;
        self.reseal_password(&folder, key_file, &database_key, new)
    }

    /// Deletes a profile, which needs its password: a colleague at the same PC must
    /// not be able to erase someone else's caseload.
    pub fn delete(&self, id: &str, password: &str) -> Result<()> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        self.open_password_slot(&key_file, password)?;
        let lock = lock(&folder)?;
        // The key file goes first: without it nothing left behind can be opened.
        fs::remove_file(folder.join(KEY_FILE)).map_err(|err| StoreError::io(&folder, err))?;
        drop(lock);
        fs::remove_dir_all(&folder).map_err(|err| StoreError::io(&folder, err))?;
        let _ = self.secrets.delete(id);
        Ok(())
    }

    fn open_password_slot(&self, key_file: &KeyFile, password: &str) -> Result<Secret> {
        let device = if key_file.device_bound {
            match self.secrets.get(&key_file.profile_id) {
                Ok(Some(device)) => Some(device),
                Ok(None) => return Err(StoreError::DeviceSecretMissing),
                Err(unavailable) => return Err(StoreError::KeyringUnavailable(unavailable)),
            }
        } else {
            None
        };
        let key = keys::password_key(password, &key_file.salt, key_file.kdf, device.as_ref());
        keys::open(&key, &key_file.password_slot, &key_file.context("password")).ok_or(StoreError::WrongPassword)
    }

    fn reseal_password(&self, folder: &Path, mut key_file: KeyFile, database_key: &Secret, new: &str) -> Result<()> {
        check_password(new, &key_file.name).map_err(StoreError::WeakPassword)?;
        let device = match self.secrets.get(&key_file.profile_id) {
            Ok(Some(device)) => Some(device),
            Ok(None) => {
                let device = Secret::random();
                self.secrets.put(&key_file.profile_id, &device).ok().map(|()| device)
            }
            Err(_) => None,
        };
        getrandom::fill(&mut key_file.salt).expect("the operating system provides random bytes");
        key_file.kdf = self.kdf;
        key_file.device_bound = device.is_some();
        let key = keys::password_key(new, &key_file.salt, self.kdf, device.as_ref());
        key_file.password_slot = keys::seal(&key, database_key, &key_file.context("password"));
        key_file.write(&folder.join(KEY_FILE))
    }
}

fn summary(key_file: &KeyFile) -> ProfileSummary {
    ProfileSummary { id: key_file.profile_id.clone(), name: key_file.name.clone(), created_at: key_file.created_at }
}

fn open_recovery_slot(key_file: &KeyFile, recovery_key: &str) -> Result<Secret> {
    let recovery = keys::parse_recovery_key(recovery_key).ok_or(StoreError::MalformedRecoveryKey)?;
    keys::open(&keys::recovery_wrapping_key(&recovery), &key_file.recovery_slot, &key_file.context("recovery"))
        .ok_or(StoreError::WrongRecoveryKey)
}

fn open_database(folder: &Path, key_file: &KeyFile, database_key: &Secret) -> Result<OpenProfile> {
    let lock = lock(folder)?;
    let path = folder.join(DATABASE);
    let connection = db::open(&path, database_key)?;
    Ok(OpenProfile { summary: summary(key_file), path, connection, _lock: lock })
}

/// Takes the profile's instance lock, so a second running Tirek is told the profile
/// is open elsewhere instead of writing beside the first.
fn lock(folder: &Path) -> Result<File> {
    let path = folder.join(LOCK);
    let file =
        File::options().create(true).truncate(false).write(true).open(&path).map_err(|e| StoreError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(StoreError::ProfileInUse),
        Err(TryLockError::Error(err)) => Err(StoreError::io(&path, err)),
    }
}

fn initialise_device(connection: &Connection, folder: &Path) -> Result<()> {
    connection
        .execute("INSERT INTO device (singleton, device_id) VALUES (1, ?1)", [uuid::Uuid::now_v7().to_string()])
        .map(drop)
        .map_err(|err| StoreError::sqlite(folder, err))
}
