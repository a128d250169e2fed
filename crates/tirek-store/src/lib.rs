//! Everything Tirek keeps on the computer's disk.
//!
//! That is the data folder, the device settings readable before any profile is
//! unlocked (the interface language), and the profiles: one SQLCipher 4 database per
//! psychologist (the bundled SQLCipher, never the system's), its key file, the keys
//! and the migrations from `migrations/local/`.
//!
//! Invariants: only this crate touches the disk for the app, and SQLite; a write
//! either completes or leaves the previous file intact (write to a temporary file in
//! the same folder, sync, rename); nothing clinical is ever written outside an
//! encrypted profile; key material lives in buffers that wipe themselves.

mod atomic;
pub mod audit;
pub mod backup;
pub mod caseload;
pub mod changes;
pub mod data_dir;
mod db;
mod derived;
pub mod device_secret;
pub mod device_settings;
pub mod documents;
mod key_file;
pub mod keys;
pub mod profiles;
pub mod referrals;
pub mod sync;

/// For `cargo xtask bench store` only: the same database opened with and without
/// encryption, to measure what encryption costs. Not compiled into the app.
#[cfg(feature = "bench")]
#[doc(hidden)]
pub mod bench {
    use std::path::Path;

    use crate::keys::Secret;
    use crate::{Result, db};

    /// Opens (creating and migrating) an encrypted database.
    pub fn open_encrypted(path: &Path, key: &Secret) -> Result<rusqlite::Connection> {
        db::open_keyed(path, Some(key))
    }

    /// Opens (creating and migrating) the same schema with no encryption at all.
    pub fn open_plain(path: &Path) -> Result<rusqlite::Connection> {
        db::open_keyed(path, None)
    }

    pub use rusqlite;
}

pub use data_dir::DataDir;
pub use db::latest_version as latest_schema_version;
pub use device_secret::{DeviceSecrets, KeyringUnavailable, MemoryKeyring, NoKeyring, OsKeyring};
pub use device_settings::{Clinic, DeviceSettings, LoadedSettings};
pub use profiles::{Created, OpenProfile, ProfileSummary, Profiles};

use std::io;
use std::path::PathBuf;

/// What can go wrong while reading or writing Tirek's files.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data folder cannot be created or written to.
    #[error("cannot write to the data folder {path}")]
    DataDirUnwritable {
        /// The data folder.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// Something that is not a folder stands where the data folder should be.
    #[error("{path} is not a folder")]
    DataDirNotAFolder {
        /// The path given as the data folder.
        path: PathBuf,
    },
    /// The device settings file exists but cannot be understood.
    #[error("the settings file {path} is damaged")]
    SettingsUnreadable {
        /// The settings file.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file could not be read or written.
    #[error("cannot read or write {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The disk is full; nothing was half-written.
    #[error("the disk holding {path} is full")]
    DiskFull {
        /// The file being written.
        path: PathBuf,
    },
    /// A key file that cannot be understood.
    #[error("the key file {path} is damaged")]
    KeyFileDamaged {
        /// The key file.
        path: PathBuf,
    },
    /// A file written by a newer version of Tirek.
    #[error("{path} was made by a newer version of Tirek")]
    NewerFormat {
        /// The file.
        path: PathBuf,
    },
    /// The password does not open the profile.
    #[error("wrong password")]
    WrongPassword,
    /// The recovery key does not open the profile.
    #[error("wrong recovery key")]
    WrongRecoveryKey,
    /// What was typed cannot be a recovery key.
    #[error("a recovery key has 52 letters and digits in groups of four")]
    MalformedRecoveryKey,
    /// The profile needs this computer's keyring secret, which is not there.
    #[error("this profile's device secret is not in this computer's keyring")]
    DeviceSecretMissing,
    /// The keyring could not be reached when the profile needs it.
    #[error("the keyring cannot be reached: {}", .0.0)]
    KeyringUnavailable(KeyringUnavailable),
    /// No profile with this id.
    #[error("no profile {id}")]
    ProfileNotFound {
        /// The id asked for.
        id: String,
    },
    /// The file is not a Tirek backup (or is damaged).
    #[error("{path} is not a Tirek backup")]
    NotABackup {
        /// The file.
        path: PathBuf,
    },
    /// A write named an entity or field the store does not know (a bug).
    #[error("unknown field {entity}.{field}")]
    UnknownField {
        /// The entity named.
        entity: String,
        /// The field named (empty when the entity itself is unknown).
        field: String,
    },
    /// The record to change does not exist.
    #[error("no {entity} {id}")]
    RecordNotFound {
        /// The entity.
        entity: String,
        /// The record's id.
        id: String,
    },
    /// The record is final (a signed consultation, an addendum): it cannot change.
    #[error("{entity} {id} is final")]
    RecordFinal {
        /// The entity.
        entity: String,
        /// The record's id.
        id: String,
    },
    /// The record is about a client this user holds read-only: it moved to a
    /// colleague, who writes it now.
    #[error("client {client} is held read-only")]
    ReadOnlyClient {
        /// The client.
        client: String,
    },
    /// Too many wrong passwords in a row: wait before the next try.
    #[error("too many failed attempts: wait {wait_seconds} s")]
    TooManyAttempts {
        /// Seconds until the next try is allowed.
        wait_seconds: u64,
    },
    /// Another running Tirek has the profile open.
    #[error("the profile is open in another Tirek window")]
    ProfileInUse,
    /// The profile name is not acceptable.
    #[error("bad profile name: {0:?}")]
    BadProfileName(tirek_domain::credentials::BadProfileName),
    /// The new password is too weak.
    #[error("weak password: {0:?}")]
    WeakPassword(tirek_domain::credentials::WeakPassword),
    /// The file is not a Tirek database, or the key is not its key.
    #[error("{path} is not a Tirek database or cannot be opened with this key")]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// The database is busy in another connection for too long.
    #[error("the database {path} is locked by another program")]
    DatabaseLocked {
        /// The database.
        path: PathBuf,
    },
    /// An integrity check found damage.
    #[error("{path} is damaged: {detail}")]
    Corrupted {
        /// The database.
        path: PathBuf,
        /// The first problem reported.
        detail: String,
    },
    /// A migration failed; the previous schema is intact.
    #[error("migration {name} failed")]
    Migration {
        /// The migration's file name.
        name: String,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// Any other database error.
    #[error("database error in {path}")]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The caller abandoned a transaction (its own error says why); nothing was written.
    #[error("the operation was abandoned and nothing was written")]
    Abandoned,
    /// A file handed in is larger than it may be.
    #[error("the file is {size} bytes; at most {limit} are accepted")]
    FileTooLarge {
        /// Its size.
        size: u64,
        /// The most accepted.
        limit: u64,
    },
    /// The device settings could not be written.
    #[error("cannot save the settings file {path}")]
    SettingsUnsaved {
        /// The settings file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
}

impl StoreError {
    /// Classifies an I/O error on `path`, singling out a full disk.
    pub(crate) fn io(path: &std::path::Path, source: io::Error) -> StoreError {
        match source.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => StoreError::DiskFull { path: path.to_owned() },
            _ => StoreError::Io { path: path.to_owned(), source },
        }
    }

    /// Classifies a SQLite error on `path`: a wrong key or foreign file, a busy
    /// database, a full disk, or anything else.
    pub(crate) fn sqlite(path: &std::path::Path, source: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        let path = path.to_owned();
        match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::DatabaseLocked { path },
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupted { path, detail: source.to_string() },
            _ => StoreError::Sqlite { path, source },
        }
    }
}

/// The result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
