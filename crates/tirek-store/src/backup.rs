//! Backups: one self-describing file per backup that holds the profile's key file
//! and an encrypted copy of its database, so it opens — on this computer or any
//! other — with the recovery key, and on this computer with the password too.
//!
//! Layout: the magic `TIREKBK1`, a little-endian u32 length, a JSON header (format,
//! when, schema version, the key file), then the SQLCipher database as exported by
//! `sqlcipher_export` under the same database key. Nothing in it is readable without
//! a key. The file is written to a temporary name, synced and renamed, so a crash
//! mid-backup leaves the previous backup intact.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tirek_domain::audit::AuditEvent;

use crate::key_file::KeyFile;
use crate::keys::Secret;
use crate::profiles::{DATABASE, KEY_FILE, OpenProfile, Profiles, open_database, open_recovery_slot};
use crate::{Result, StoreError, atomic, db};

const MAGIC: &[u8; 8] = b"TIREKBK1";
const FORMAT: u32 = 1;

/// What a backup file says about itself, readable without a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The profile it was taken from.
    pub profile_id: String,
    /// That profile's name.
    pub profile_name: String,
    /// When it was taken, ms since 1970 (UTC).
    pub taken_at: i64,
    /// The schema version of the database inside.
    pub schema_version: u32,
}

/// How to open a backup.
#[derive(Debug, Clone, Copy)]
pub enum BackupSecret<'a> {
    /// The profile's password (on the computer the profile was bound to).
    Password(&'a str),
    /// The recovery key from the printed sheet.
    RecoveryKey(&'a str),
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    taken_at: i64,
    schema_version: u32,
    key_file: String,
}

struct Parsed {
    info: BackupInfo,
    key_file: KeyFile,
    database: Vec<u8>,
}

fn not_a_backup(path: &Path) -> StoreError {
    StoreError::NotABackup { path: path.to_owned() }
}

fn parse(path: &Path) -> Result<Parsed> {
    let bytes = fs::read(path).map_err(|err| StoreError::io(path, err))?;
    if bytes.len() < 12 || &bytes[..8] != MAGIC {
        return Err(not_a_backup(path));
    }
    let length = u32::from_le_bytes(bytes[8..12].try_into().expect("four bytes")) as usize;
    let header_end = 12usize.checked_add(length).filter(|end| *end <= bytes.len()).ok_or_else(|| not_a_backup(path))?;
    let header: Header = serde_json::from_slice(&bytes[12..header_end]).map_err(|_| not_a_backup(path))?;
    if header.format > FORMAT {
        return Err(StoreError::NewerFormat { path: path.to_owned() });
    }
    let key_file = KeyFile::parse(header.key_file.as_bytes(), path).map_err(|_| not_a_backup(path))?;
    Ok(Parsed {
        info: BackupInfo {
            profile_id: key_file.profile_id.clone(),
            profile_name: key_file.name.clone(),
            taken_at: header.taken_at,
            schema_version: header.schema_version,
        },
        key_file,
        database: bytes[header_end..].to_vec(),
    })
}

/// Reads a backup's description without opening it.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    Ok(parse(path)?.info)
}

impl OpenProfile {
    /// Writes a backup of this profile to `destination` at `now` (ms), atomically,
    /// then records it in the audit trail — so the trail never claims a backup that
    /// failed, and a backup holds the trail up to its own taking.
    pub fn backup_to(&self, destination: &Path, now: i64) -> Result<BackupInfo> {
        let folder = destination.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let export = folder.join(format!(".tirek-backup-{}.tmpdb", std::process::id()));
        let _ = fs::remove_file(&export);
        let result = (|| {
            self.export_database(&export)?;
            let database = fs::read(&export).map_err(|err| StoreError::io(&export, err))?;
            let info = BackupInfo {
                profile_id: self.summary().id.clone(),
                profile_name: self.summary().name.clone(),
                taken_at: now,
                schema_version: self.schema_version()?,
            };
            let header = serde_json::to_vec(&Header {
                format: FORMAT,
                taken_at: now,
                schema_version: info.schema_version,
                key_file: String::from_utf8(self.key_file.to_bytes()).expect("the key file is JSON text"),
            })
            .expect("strings and numbers always serialise");
            let mut bytes = Vec::with_capacity(12 + header.len() + database.len());
            bytes.extend_from_slice(MAGIC);
            bytes.extend_from_slice(&(header.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&header);
            bytes.extend_from_slice(&database);
            atomic::write(destination, &bytes).map_err(|err| StoreError::io(destination, err))?;
            Ok(info)
        })();
        let _ = fs::remove_file(&export);
        let info = result?;
        self.audit(now, AuditEvent::Backup, None)?;
        Ok(info)
    }

    /// Copies the database, encrypted under the same key, into the new file `to`.
    fn export_database(&self, to: &Path) -> Result<()> {
        let sqlite = |err| StoreError::sqlite(self.path(), err);
        let target = to.to_str().ok_or_else(|| StoreError::io(to, std::io::ErrorKind::InvalidFilename.into()))?;
        let key = self.database_key.sqlcipher_literal();
        let attach = zeroize::Zeroizing::new(format!("ATTACH DATABASE ?1 AS backup KEY \"{}\"", *key));
        self.connection().execute(&attach, [target]).map_err(sqlite)?;
        // An attached database takes SQLCipher's defaults, not the main one's settings.
        let exported = self
            .connection()
            .execute_batch("PRAGMA backup.cipher_hmac_algorithm = HMAC_SHA256;")
            .and_then(|()| self.connection().query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(())))
            .and_then(|()| {
                let version: u32 = self.connection().query_row("PRAGMA main.user_version", [], |row| row.get(0))?;
                self.connection().execute_batch(&format!("PRAGMA backup.user_version = {version}"))
            });
        let detached = self.connection().execute_batch("DETACH DATABASE backup");
        exported.and(detached).map_err(sqlite)
    }
}

impl Profiles {
    /// Opens the backup with `secret` in a scratch folder and runs the integrity
    /// checks, changing nothing. Returns the backup's description.
    pub fn verify_backup(&self, path: &Path, secret: BackupSecret<'_>) -> Result<BackupInfo> {
        let parsed = parse(path)?;
        let scratch = self.root().join(format!(".verify-{}", std::process::id()));
        let result = self.unpack(&parsed, secret, &scratch).and_then(|open| open.check_integrity());
        let _ = fs::remove_dir_all(&scratch);
        result.map(|()| parsed.info)
    }

    /// Restores the backup as its profile on this computer, replacing the profile if
    /// it exists. The restored profile is checked before it replaces anything; a
    /// crash midway leaves either the old profile or the restored one.
    pub fn restore(&self, path: &Path, secret: BackupSecret<'_>, now: i64) -> Result<BackupInfo> {
        let parsed = parse(path)?;
        let id = parsed.info.profile_id.clone();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(not_a_backup(path));
        }
        fs::create_dir_all(self.root()).map_err(|err| StoreError::io(self.root(), err))?;
        let staging = self.root().join(format!(".restore-{id}"));
        let _ = fs::remove_dir_all(&staging);
        let unpacked = self.unpack(&parsed, secret, &staging).and_then(|open| {
            open.check_integrity()?;
            open.audit(now, AuditEvent::Restore, None)?;
            Ok(())
        });
        if let Err(err) = unpacked {
            let _ = fs::remove_dir_all(&staging);
            return Err(err);
        }
        let target = self.root().join(&id);
        let previous = self.root().join(format!(".replaced-{id}"));
        let _ = fs::remove_dir_all(&previous);
        if target.exists() {
            fs::rename(&target, &previous).map_err(|err| StoreError::io(&target, err))?;
        }
        fs::rename(&staging, &target).map_err(|err| StoreError::io(&target, err))?;
        let _ = fs::remove_dir_all(&previous);
        Ok(parsed.info)
    }

    /// Writes the backup's key file and database into `folder` and opens it.
    fn unpack(&self, parsed: &Parsed, secret: BackupSecret<'_>, folder: &Path) -> Result<OpenProfile> {
        let key: Secret = match secret {
            BackupSecret::Password(password) => self.open_password_slot(&parsed.key_file, password)?,
            BackupSecret::RecoveryKey(recovery) => open_recovery_slot(&parsed.key_file, recovery)?,
        };
        if parsed.info.schema_version > db::latest_version() {
            return Err(StoreError::NewerFormat { path: folder.to_owned() });
        }
        fs::create_dir_all(folder).map_err(|err| StoreError::io(folder, err))?;
        let database: PathBuf = folder.join(DATABASE);
        atomic::write(&database, &parsed.database).map_err(|err| StoreError::io(&database, err))?;
        parsed.key_file.write(&folder.join(KEY_FILE))?;
        open_database(folder, &parsed.key_file, &key)
    }
}

/// The file name of a scheduled backup: the profile's id (never a person's name) and
/// the UTC minute, so names sort by time.
pub fn scheduled_file_name(profile_id: &str, now: i64) -> String {
    let short: String = profile_id.chars().filter(|c| *c != '-').take(12).collect();
    format!("tirek-{short}-{}.tkb", tirek_domain::time::UtcMinute::from_unix_ms(now).compact())
}

/// The scheduled backups of a profile in `folder`, oldest first.
pub fn scheduled_backups(folder: &Path, profile_id: &str) -> Result<Vec<PathBuf>> {
    let prefix = scheduled_file_name(profile_id, 0);
    let prefix = &prefix[..prefix.len() - "19700101-0000.tkb".len()];
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(StoreError::io(folder, err)),
    };
    let mut backups: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|name| name.starts_with(prefix) && name.ends_with(".tkb"))
        })
        .collect();
    backups.sort();
    Ok(backups)
}

/// Removes the oldest scheduled backups of a profile beyond the newest `keep`.
pub fn prune_scheduled_backups(folder: &Path, profile_id: &str, keep: usize) -> Result<Vec<PathBuf>> {
    let backups = scheduled_backups(folder, profile_id)?;
    let excess = backups.len().saturating_sub(keep.max(1));
    let removed: Vec<PathBuf> = backups.into_iter().take(excess).collect();
    for path in &removed {
        fs::remove_file(path).map_err(|err| StoreError::io(path, err))?;
    }
    Ok(removed)
}
