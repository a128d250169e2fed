//! Everything Tirek keeps on the computer's disk.
//!
//! Today that is the data folder and the device settings readable before any profile
//! is unlocked (the interface language). The encrypted SQLCipher profiles, their keys,
//! migrations from `migrations/local/` and the audit trail will live here too.
//!
//! Invariants: only this crate touches the disk for the app (and, once it holds
//! profiles, SQLite); a write either completes or leaves the previous file intact
//! (write to a temporary file in the same folder, sync, rename); nothing clinical is
//! ever written outside an encrypted profile.

mod atomic;
pub mod data_dir;
pub mod device_settings;

pub use data_dir::DataDir;
pub use device_settings::{DeviceSettings, LoadedSettings};

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

/// The result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
