//! Settings that belong to this computer rather than to a profile, and that must be
//! readable before anyone unlocks: the interface language first of all. They hold
//! nothing clinical, so they live in a plain JSON file beside the profiles.

use std::fs;
use std::io;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tirek_domain::Language;

use crate::{DataDir, Result, StoreError, atomic};

const FILE_NAME: &str = "settings.json";

/// How long an unlocked profile may sit unused before it locks itself, unless the
/// user chose otherwise (DESIGN.md §5).
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 10;

/// How many daily backups are kept per profile unless the user chose otherwise.
pub const DEFAULT_BACKUPS_KEPT: u32 = 14;

/// This computer's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceSettings {
    /// The interface language the user chose, if any.
    pub language: Option<Language>,
    /// The auto-lock time the user chose, if any.
    pub auto_lock_minutes: Option<u32>,
    /// Where the daily backups go, if the user chose a folder.
    pub backup_folder: Option<PathBuf>,
    /// How many daily backups to keep per profile, if the user chose.
    pub backups_kept: Option<u32>,
    /// The clinic this computer belongs to, as its printed documents name it.
    pub clinic: Option<Clinic>,
    /// A random id of this data folder on this computer (letter series are bound to it).
    pub installation: Option<String>,
}

/// The clinic's details for the head of its documents (consent forms, letters).
/// Public facts about an organisation, not clinical data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clinic {
    /// The organisation's name.
    pub name: String,
    /// Its business identification number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    /// Its address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Its phone, `+7XXXXXXXXXX`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// What its outgoing letter numbers start with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_prefix: Option<String>,
    /// Who may sign its letters: (name, position).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatories: Vec<(String, String)>,
    /// Its logo, a PNG kept beside the settings (see [`crate::documents::save_logo`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub has_logo: bool,
}

/// Settings read from disk, with the reason they had to fall back to defaults.
#[derive(Debug)]
pub struct LoadedSettings {
    /// The settings to use.
    pub settings: DeviceSettings,
    /// Set when the file was damaged and defaults were used instead.
    pub warning: Option<StoreError>,
}

/// The file's format. Unknown fields are kept out of the way of older versions by
/// serde's default of ignoring them.
#[derive(Debug, Default, Serialize, Deserialize)]
struct SettingsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auto_lock_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    backup_folder: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    backups_kept: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clinic: Option<Clinic>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    installation: Option<String>,
}

impl DeviceSettings {
    /// Path of the settings file inside `data_dir`.
    pub fn path(data_dir: &DataDir) -> PathBuf {
        data_dir.path().join(FILE_NAME)
    }

    /// Reads the settings. A missing file means defaults; a damaged one means
    /// defaults plus a warning — a settings file must never keep Tirek from starting.
    pub fn load(data_dir: &DataDir) -> LoadedSettings {
        let path = DeviceSettings::path(data_dir);
        let parsed = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice::<SettingsFile>(&bytes).map_err(|err| err.into()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(SettingsFile::default()),
            Err(err) => Err(err.into()),
        };
        match parsed {
            Ok(file) => LoadedSettings {
                // A language this version does not know (say, from a newer version) is
                // ignored rather than fatal.
                settings: DeviceSettings {
                    language: file.language.and_then(|code| code.parse().ok()),
                    auto_lock_minutes: file.auto_lock_minutes,
                    backup_folder: file.backup_folder,
                    backups_kept: file.backups_kept,
                    clinic: file.clinic,
                    installation: file.installation,
                },
                warning: None,
            },
            Err(source) => LoadedSettings {
                settings: DeviceSettings::default(),
                warning: Some(StoreError::SettingsUnreadable { path, source }),
            },
        }
    }

    /// Saves the settings atomically.
    pub fn save(&self, data_dir: &DataDir) -> Result<()> {
        let path = DeviceSettings::path(data_dir);
        let file = SettingsFile {
            language: self.language.map(|language| language.code().to_owned()),
            auto_lock_minutes: self.auto_lock_minutes,
            backup_folder: self.backup_folder.clone(),
            backups_kept: self.backups_kept,
            clinic: self.clinic.clone(),
            installation: self.installation.clone(),
        };
        let mut bytes = serde_json::to_vec_pretty(&file).expect("a struct of strings always serialises");
        bytes.push(b'\n');
        atomic::write(&path, &bytes).map_err(|source| StoreError::SettingsUnsaved { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_dir() -> (tempfile::TempDir, DataDir) {
        let folder = tempfile::tempdir().unwrap();
        let data_dir = DataDir::open(folder.path()).unwrap();
        (folder, data_dir)
    }

    #[test]
    fn a_new_computer_has_default_settings() {
        let (_folder, data_dir) = data_dir();
        let loaded = DeviceSettings::load(&data_dir);
        assert_eq!(loaded.settings, DeviceSettings::default());
        assert!(loaded.warning.is_none());
    }

    #[test]
    fn the_language_survives_a_restart() {
        let (_folder, data_dir) = data_dir();
        DeviceSettings { language: Some(Language::Kazakh), ..DeviceSettings::default() }.save(&data_dir).unwrap();
        let loaded = DeviceSettings::load(&data_dir);
        assert_eq!(loaded.settings.language, Some(Language::Kazakh));
        assert_eq!(fs::read_to_string(DeviceSettings::path(&data_dir)).unwrap(), "{\n  \"language\": \"kk\"\n}\n");
    }

    #[test]
    fn a_damaged_file_falls_back_to_defaults_with_a_warning() {
        let (_folder, data_dir) = data_dir();
        fs::write(DeviceSettings::path(&data_dir), b"{\"language\": ").unwrap();
        let loaded = DeviceSettings::load(&data_dir);
        assert_eq!(loaded.settings, DeviceSettings::default());
        assert!(matches!(loaded.warning, Some(StoreError::SettingsUnreadable { .. })));
    }

    #[test]
    fn an_unknown_language_from_a_newer_version_is_ignored() {
        let (_folder, data_dir) = data_dir();
        fs::write(DeviceSettings::path(&data_dir), br#"{"language": "uz", "theme": "dark"}"#).unwrap();
        let loaded = DeviceSettings::load(&data_dir);
        assert_eq!(loaded.settings.language, None);
        assert!(loaded.warning.is_none());
    }
}
