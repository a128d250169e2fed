//! The types that cross the IPC boundary to the Svelte UI. They mirror `tirek-app`'s
//! types so that the domain never derives serialisation or specta traits; TypeScript
//! sees them through the generated bindings only.

use serde::{Deserialize, Serialize};
use specta::Type;
use tirek_app::{AppError, AppInfo, BackupStatus, ErrorKind, ProfileSummary};
use tirek_domain::Language;

/// The one error every command returns. The UI picks its message by `kind`
/// (`error-kind-*` in the Fluent files) and never parses `message`, which is the
/// specific explanation in the user's language, for display under the general one.
#[derive(Debug, Clone, Serialize, Type)]
pub struct IpcError {
    /// The stable family of the error.
    pub kind: IpcErrorKind,
    /// The specific explanation, already translated.
    pub message: String,
    /// For validation errors: the input field at fault.
    pub field: Option<String>,
    /// For a form: every field's problem, translated.
    pub problems: Vec<tirek_app::FieldMessage>,
}

/// The stable error families, as the UI knows them.
#[derive(Debug, Clone, Copy, Serialize, Type)]
pub enum IpcErrorKind {
    /// The record does not exist.
    NotFound,
    /// The input breaks a rule.
    Validation,
    /// The profile is locked.
    Locked,
    /// Two devices changed the same thing.
    Conflict,
    /// The client is kept read-only: it moved to a colleague.
    ReadOnly,
    /// The server cannot be reached.
    Offline,
    /// The disk refused a read or a write.
    Storage,
    /// A bug.
    Internal,
}

impl IpcError {
    /// Converts a use-case error, logging its whole chain first: the UI gets a
    /// flattened message, the log keeps the detail.
    pub fn from_app(error: AppError, messages: &tirek_i18n::Messages) -> IpcError {
        tracing::warn!(error = ?error, "command failed");
        IpcError {
            kind: error.kind().into(),
            message: error.localized(messages),
            field: error.field().map(str::to_owned),
            problems: error.field_messages(messages),
        }
    }
}

impl From<ErrorKind> for IpcErrorKind {
    fn from(kind: ErrorKind) -> IpcErrorKind {
        match kind {
            ErrorKind::NotFound => IpcErrorKind::NotFound,
            ErrorKind::Validation => IpcErrorKind::Validation,
            ErrorKind::Locked => IpcErrorKind::Locked,
            ErrorKind::Conflict => IpcErrorKind::Conflict,
            ErrorKind::ReadOnly => IpcErrorKind::ReadOnly,
            ErrorKind::Offline => IpcErrorKind::Offline,
            ErrorKind::Storage => IpcErrorKind::Storage,
            ErrorKind::Internal => IpcErrorKind::Internal,
        }
    }
}

/// An interface language, by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum LanguageCode {
    /// Kazakh.
    Kk,
    /// Russian.
    Ru,
    /// English.
    En,
}

impl From<Language> for LanguageCode {
    fn from(language: Language) -> LanguageCode {
        match language {
            Language::Kazakh => LanguageCode::Kk,
            Language::Russian => LanguageCode::Ru,
            Language::English => LanguageCode::En,
        }
    }
}

impl From<LanguageCode> for Language {
    fn from(code: LanguageCode) -> Language {
        match code {
            LanguageCode::Kk => Language::Kazakh,
            LanguageCode::Ru => Language::Russian,
            LanguageCode::En => Language::English,
        }
    }
}

/// Facts about this copy of Tirek, and the language to start in.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfoDto {
    /// The semantic version.
    pub version: String,
    /// The commit and profile it was built from.
    pub build: String,
    /// The data folder in use.
    pub data_dir: String,
    /// Whether the data folder accepts writes; the window warns when it does not.
    pub data_dir_writable: bool,
    /// The interface language to use.
    pub language: LanguageCode,
}

impl AppInfoDto {
    /// Combines the app's facts with the current language.
    pub fn new(info: AppInfo, language: Language) -> AppInfoDto {
        AppInfoDto {
            version: info.version.to_owned(),
            build: info.build.to_owned(),
            data_dir: info.data_dir.display().to_string(),
            data_dir_writable: info.data_dir_writable,
            language: language.into(),
        }
    }
}

/// A profile as the picker shows it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileDto {
    /// The profile's id.
    pub id: String,
    /// The psychologist's name.
    pub name: String,
}

impl From<ProfileSummary> for ProfileDto {
    fn from(profile: ProfileSummary) -> ProfileDto {
        ProfileDto { id: profile.id, name: profile.name }
    }
}

/// A profile just created, with its recovery key to show once.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CreatedProfileDto {
    /// The new profile.
    pub profile: ProfileDto,
    /// The recovery key, formatted in groups of four.
    pub recovery_key: String,
    /// True when no keyring was reachable and the password alone protects the profile.
    pub keyring_unavailable: bool,
}

/// The lock state the window shows.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionDto {
    /// The unlocked profile, or none while locked.
    pub unlocked: Option<ProfileDto>,
    /// Every profile on this computer, for the picker.
    pub profiles: Vec<ProfileDto>,
    /// Minutes of inactivity before the profile locks itself.
    pub auto_lock_minutes: u32,
}

/// The backup settings and the newest backup of the open profile.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatusDto {
    /// The chosen folder, if any.
    pub folder: Option<String>,
    /// How many daily backups are kept.
    pub kept: u32,
    /// The newest backup's file name, if any.
    pub latest: Option<String>,
}

impl From<BackupStatus> for BackupStatusDto {
    fn from(status: BackupStatus) -> BackupStatusDto {
        BackupStatusDto {
            folder: status.folder.map(|folder| folder.display().to_string()),
            kept: status.kept,
            latest: status.latest.and_then(|path| path.file_name().map(|name| name.to_string_lossy().into_owned())),
        }
    }
}
