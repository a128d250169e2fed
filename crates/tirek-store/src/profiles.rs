//! Profiles: one encrypted database per psychologist, so colleagues can share one PC
//! without sharing a caseload. Each lives in `profiles/<id>/` — the database, its
//! key file and an instance lock — and the folder's name carries no one's name.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::Connection;
use tirek_domain::credentials::{check_password, check_profile_name};

use tirek_domain::audit::{AuditEvent, unlock_delay_seconds};

use crate::audit::{self, AuditEntry, BrokenLink};
use crate::device_secret::{DeviceSecrets, KeyringUnavailable};
use crate::key_file::KeyFile;
use crate::keys::{self, KdfParams, Secret};
use crate::{DataDir, Result, StoreError, db};

pub(crate) const KEY_FILE: &str = "keys.json";
pub(crate) const DATABASE: &str = "tirek.db";
const LOCK: &str = "lock";
/// Failed unlock attempts since the last success (times in ms), kept outside the
/// database because a wrong password cannot open it; written into the audit trail
/// at the next successful unlock.
const ATTEMPTS: &str = "attempts.json";

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
    device_id: String,
    path: PathBuf,
    // Declared before the key so the connection closes first.
    connection: Connection,
    /// Kept while unlocked to write encrypted backups; wiped on drop.
    pub(crate) database_key: Secret,
    pub(crate) key_file: KeyFile,
    _lock: File,
}

impl OpenProfile {
    /// Who this profile belongs to.
    pub fn summary(&self) -> &ProfileSummary {
        &self.summary
    }

    /// Moves everything from the write-ahead log into the database and empties the
    /// log, so that pages an erasure overwrote leave no copy behind in it.
    pub fn checkpoint(&self) -> Result<()> {
        self.connection
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|err| StoreError::sqlite(&self.path, err))
    }

    /// Runs SQLite's and SQLCipher's integrity checks.
    pub fn check_integrity(&self) -> Result<()> {
        db::check(&self.connection, &self.path)
    }

    /// Records `event` (about `record`, an id) in the audit trail at `at` (ms).
    pub fn audit(&self, at: i64, event: AuditEvent, record: Option<&str>) -> Result<AuditEntry> {
        audit::append(&self.connection, at, &self.summary.id, &self.device_id, event, record)
            .map_err(|err| StoreError::sqlite(&self.path, err))
    }

    /// The audit trail, oldest first.
    pub fn audit_trail(&self) -> Result<Vec<AuditEntry>> {
        let entries = audit::entries(&self.connection).map_err(|err| StoreError::sqlite(&self.path, err))?;
        Ok(entries.into_iter().map(|(entry, _, _)| entry).collect())
    }

    /// Walks the audit trail's hash chain; `None` when it is intact.
    pub fn verify_audit(&self) -> Result<Option<BrokenLink>> {
        audit::verify(&self.connection).map_err(|err| StoreError::sqlite(&self.path, err))
    }

    /// The last row of the audit trail: its position and hash, `None` if empty.
    pub fn audit_head(&self) -> Result<Option<(i64, String)>> {
        audit::head(&self.connection).map_err(|err| StoreError::sqlite(&self.path, err))
    }

    /// Checks the trail against a head seen elsewhere (the organisation's server):
    /// the row must still be there with the same hash. Removing the trail's last
    /// rows leaves a valid chain; only this shows it.
    pub fn verify_audit_witness(&self, id: i64, hash: &str) -> Result<Option<BrokenLink>> {
        audit::holds(&self.connection, id, hash).map_err(|err| StoreError::sqlite(&self.path, err))
    }

    /// Stops numbering letters in `series` (the server says another device numbers
    /// its letters in it): the next letter draws a new series, never this one.
    pub fn retire_letter_series(&mut self, series: &str, now_ms: i64) -> Result<()> {
        self.connection
            .execute(
                "UPDATE letter_series SET retired_at = ?2 WHERE series = ?1 AND retired_at IS NULL",
                rusqlite::params![series, now_ms],
            )
            .map(drop)
            .map_err(|err| StoreError::sqlite(&self.path, err))
    }

    /// The database file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Every table's rows, as text, by table name: for comparing a restored profile
    /// with its original (`tirek backup verify`, tests). Never logged.
    pub fn table_dump(&self) -> Result<std::collections::BTreeMap<String, Vec<Vec<String>>>> {
        let sqlite = |err| StoreError::sqlite(&self.path, err);
        let mut tables = std::collections::BTreeMap::new();
        let names: Vec<String> = self
            .connection
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
            .map_err(sqlite)?;
        for name in names {
            let mut statement = self.connection.prepare(&format!("SELECT * FROM \"{name}\"")).map_err(sqlite)?;
            let columns = statement.column_count();
            // Sorted whole, as text: some tables have a single column.
            let mut rows: Vec<Vec<String>> = statement
                .query_map([], |row| {
                    (0..columns)
                        .map(|i| row.get::<_, rusqlite::types::Value>(i).map(|value| format!("{value:?}")))
                        .collect()
                })
                .and_then(Iterator::collect)
                .map_err(sqlite)?;
            rows.sort();
            tables.insert(name, rows);
        }
        Ok(tables)
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.connection
    }

    pub(crate) fn connection_mut(&mut self) -> &mut Connection {
        &mut self.connection
    }

    /// This device's id inside the profile.
    pub fn device_id(&self) -> &str {
        &self.device_id
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

    pub(crate) fn root(&self) -> &Path {
        &self.root
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
            let device_id = initialise_device(&connection, &folder)?;
            audit::append(&connection, now * 1000, &id, &device_id, AuditEvent::ProfileCreated, None)
                .map_err(|err| StoreError::sqlite(&folder, err))?;
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

    /// Opens a slot of the key file through `open_slot`, under the guessing limit:
    /// after five wrong passwords or recovery keys in a row each further try must wait
    /// longer, whichever operation it is (unlock, password change, reset, delete), so
    /// no door skips the delay. Failures wait in `attempts.json` for the audit trail.
    fn guarded(
        &self,
        folder: &Path,
        now: i64,
        open_slot: impl FnOnce() -> Result<Secret>,
    ) -> Result<(Secret, Attempts)> {
        let attempts = Attempts::read(folder);
        attempts.check_delay(now)?;
        match open_slot() {
            Ok(key) => Ok((key, attempts)),
            Err(wrong @ (StoreError::WrongPassword | StoreError::WrongRecoveryKey)) => {
                attempts.record_failure(folder, now)?;
                Err(wrong)
            }
            Err(other) => Err(other),
        }
    }

    /// Opens a profile with its password at `now` (ms); the failures since the last
    /// unlock and this unlock enter the audit trail.
    pub fn unlock(&self, id: &str, password: &str, now: i64) -> Result<OpenProfile> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        let (database_key, attempts) = self.guarded(&folder, now, || self.open_password_slot(&key_file, password))?;
        let open = open_database(&folder, &key_file, &database_key)?;
        attempts.flush_into(&open, &folder, now)?;
        Ok(open)
    }

    /// Checks a profile's password without opening anything (the psychologist taking
    /// the screen back from a parent). A wrong one counts as a failed attempt.
    pub fn verify_password(&self, id: &str, password: &str, now: i64) -> Result<()> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        self.guarded(&folder, now, || self.open_password_slot(&key_file, password)).map(drop)
    }

    /// Opens a profile with its recovery key (a new computer, a forgotten password).
    pub fn unlock_with_recovery_key(&self, id: &str, recovery_key: &str, now: i64) -> Result<OpenProfile> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        let (database_key, attempts) = self.guarded(&folder, now, || open_recovery_slot(&key_file, recovery_key))?;
        let open = open_database(&folder, &key_file, &database_key)?;
        attempts.flush_into(&open, &folder, now)?;
        Ok(open)
    }

    /// Replaces the password, knowing the old one. Returns whether the change was
    /// recorded in the audit trail: it is not when this very process has the profile
    /// open ([`StoreError::ProfileInUse`]); the holder of the open profile records it.
    pub fn change_password(&self, id: &str, old: &str, new: &str, now: i64) -> Result<bool> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        let (database_key, _) = self.guarded(&folder, now, || self.open_password_slot(&key_file, old))?;
        self.reseal_password(&folder, key_file, &database_key, new, now)
    }

    /// Sets a new password with the recovery key. On a new computer this also binds
    /// the profile to the new computer's keyring. Returns whether the audit trail
    /// recorded it, as [`Profiles::change_password`].
    pub fn reset_password(&self, id: &str, recovery_key: &str, new: &str, now: i64) -> Result<bool> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        let (database_key, _) = self.guarded(&folder, now, || open_recovery_slot(&key_file, recovery_key))?;
        self.reseal_password(&folder, key_file, &database_key, new, now)
    }

    /// Deletes a profile, which needs its password: a colleague at the same PC must
    /// not be able to erase someone else's caseload.
    pub fn delete(&self, id: &str, password: &str, now: i64) -> Result<()> {
        let folder = self.folder(id)?;
        let key_file = KeyFile::read(&folder.join(KEY_FILE))?;
        self.guarded(&folder, now, || self.open_password_slot(&key_file, password))?;
        let lock = lock(&folder)?;
        // The key file goes first: without it nothing left behind can be opened.
        fs::remove_file(folder.join(KEY_FILE)).map_err(|err| StoreError::io(&folder, err))?;
        drop(lock);
        fs::remove_dir_all(&folder).map_err(|err| StoreError::io(&folder, err))?;
        let _ = self.secrets.delete(id);
        Ok(())
    }

    pub(crate) fn open_password_slot(&self, key_file: &KeyFile, password: &str) -> Result<Secret> {
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

    fn reseal_password(
        &self,
        folder: &Path,
        mut key_file: KeyFile,
        database_key: &Secret,
        new: &str,
        now: i64,
    ) -> Result<bool> {
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
        key_file.write(&folder.join(KEY_FILE))?;
        match open_database(folder, &key_file, database_key) {
            Ok(open) => open.audit(now, AuditEvent::PasswordChanged, None).map(|_| true),
            Err(StoreError::ProfileInUse) => Ok(false),
            Err(other) => Err(other),
        }
    }
}

fn summary(key_file: &KeyFile) -> ProfileSummary {
    ProfileSummary { id: key_file.profile_id.clone(), name: key_file.name.clone(), created_at: key_file.created_at }
}

pub(crate) fn open_recovery_slot(key_file: &KeyFile, recovery_key: &str) -> Result<Secret> {
    let recovery = keys::parse_recovery_key(recovery_key).ok_or(StoreError::MalformedRecoveryKey)?;
    keys::open(&keys::recovery_wrapping_key(&recovery), &key_file.recovery_slot, &key_file.context("recovery"))
        .ok_or(StoreError::WrongRecoveryKey)
}

pub(crate) fn open_database(folder: &Path, key_file: &KeyFile, database_key: &Secret) -> Result<OpenProfile> {
    let lock = lock(folder)?;
    let path = folder.join(DATABASE);
    let connection = db::open(&path, database_key)?;
    let device_id = connection
        .query_row("SELECT device_id FROM device WHERE singleton = 1", [], |row| row.get(0))
        .map_err(|err| StoreError::sqlite(&path, err))?;
    Ok(OpenProfile {
        summary: summary(key_file),
        device_id,
        path,
        connection,
        database_key: database_key.clone(),
        key_file: key_file.clone(),
        _lock: lock,
    })
}

/// Failed unlock attempts since the last success.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Attempts {
    failures: Vec<i64>,
}

impl Attempts {
    fn read(folder: &Path) -> Attempts {
        // A damaged or missing file counts as no failures: it must never lock anyone out.
        fs::read(folder.join(ATTEMPTS)).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
    }

    fn check_delay(&self, now: i64) -> Result<()> {
        let Some(&last) = self.failures.last() else { return Ok(()) };
        let delay_ms = unlock_delay_seconds(self.failures.len() as u32) as i64 * 1000;
        let remaining_ms = last + delay_ms - now;
        if remaining_ms > 0 {
            return Err(StoreError::TooManyAttempts { wait_seconds: (remaining_ms + 999) as u64 / 1000 });
        }
        Ok(())
    }

    fn record_failure(mut self, folder: &Path, now: i64) -> Result<()> {
        self.failures.push(now);
        // Keep the file small; the count that matters for the delay saturates anyway.
        let excess = self.failures.len().saturating_sub(100);
        self.failures.drain(..excess);
        let bytes = serde_json::to_vec(&self).expect("numbers always serialise");
        let path = folder.join(ATTEMPTS);
        crate::atomic::write(&path, &bytes).map_err(|err| StoreError::io(&path, err))
    }

    /// Writes the failures and this unlock into the audit trail, then forgets them.
    fn flush_into(self, open: &OpenProfile, folder: &Path, now: i64) -> Result<()> {
        for &at in &self.failures {
            open.audit(at, AuditEvent::FailedUnlock, None)?;
        }
        open.audit(now, AuditEvent::Unlock, None)?;
        if !self.failures.is_empty() {
            let path = folder.join(ATTEMPTS);
            fs::remove_file(&path).map_err(|err| StoreError::io(&path, err))?;
        }
        Ok(())
    }
}

/// Takes the profile's instance lock, so a second running Tirek is told the profile
/// is open elsewhere instead of writing beside the first.
///
/// A lock just released can stay held for a moment by a process this one forked
/// meanwhile (it inherits the descriptor until it executes its program), so a busy
/// lock is tried again for up to a second before the profile is called in use.
fn lock(folder: &Path) -> Result<File> {
    let path = folder.join(LOCK);
    let file =
        File::options().create(true).truncate(false).write(true).open(&path).map_err(|e| StoreError::io(&path, e))?;
    for attempt in 0..=20 {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::WouldBlock) if attempt < 20 => std::thread::sleep(std::time::Duration::from_millis(50)),
            Err(TryLockError::WouldBlock) => return Err(StoreError::ProfileInUse),
            Err(TryLockError::Error(err)) => return Err(StoreError::io(&path, err)),
        }
    }
    Err(StoreError::ProfileInUse)
}

fn initialise_device(connection: &Connection, folder: &Path) -> Result<String> {
    let device_id = uuid::Uuid::now_v7().to_string();
    connection
        .execute("INSERT INTO device (singleton, device_id) VALUES (1, ?1)", [&device_id])
        .map_err(|err| StoreError::sqlite(folder, err))?;
    Ok(device_id)
}
