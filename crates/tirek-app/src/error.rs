//! The one error type of the use cases. Each error has a stable [`ErrorKind`] that the
//! window translates, and a specific message that the command line prints in the
//! user's language.

use std::path::Path;

use tirek_domain::credentials::{BadProfileName, MAX_NAME_CHARS, MIN_PASSWORD_CHARS, WeakPassword};

use tirek_domain::caseload::{ConsentScope, FieldError, Problem};
use tirek_domain::phone::PhoneProblem;
use tirek_domain::text::TextProblem;
use tirek_i18n::{FluentArgs, Messages};
use tirek_store::StoreError;

/// The stable families of errors the window knows how to explain. New variants of
/// [`AppError`] map onto one of these; the list changes rarely and deliberately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The record asked for does not exist (or no longer does).
    NotFound,
    /// The input breaks a rule; `field` says which input.
    Validation,
    /// The profile is locked.
    Locked,
    /// Two devices changed the same thing.
    Conflict,
    /// The record is about a client this user keeps read-only (it moved to a
    /// colleague): it can be read, not changed.
    ReadOnly,
    /// The server cannot be reached.
    Offline,
    /// The disk refused a read or a write.
    Storage,
    /// A bug: should never reach the user.
    Internal,
}

/// What can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A document could not be made.
    #[error(transparent)]
    Letters(#[from] tirek_letters::LettersError),
    /// A typed IIN is not valid.
    #[error("invalid IIN: {0:?}")]
    Iin(tirek_domain::iin::IinError),
    /// Several profiles exist and the command did not say which.
    #[error("several profiles exist: choose one")]
    ProfileNotChosen,
    /// The action needs an unlocked profile.
    #[error("the profile is locked")]
    Locked,
    /// A backup was asked for before a backup folder was chosen.
    #[error("no backup folder chosen")]
    BackupFolderNotChosen,
    /// A form broke its rules: every problem, each with its field.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// The client has not given (or has withdrawn) the consent this needs.
    #[error("no consent for {}", .0.code())]
    ConsentMissing(ConsentScope),
    /// A risk flag's form is not complete: the consultation cannot be signed, the
    /// flag cannot be resolved.
    #[error("a risk form is not complete")]
    RiskFormIncomplete,
    /// A CSV file without the columns the directory needs.
    #[error("the CSV file has no name, kind and phone columns")]
    CsvHeader,
    /// A CSV row that cannot be read.
    #[error("line {line} of the CSV file cannot be read: {message}")]
    CsvRow {
        /// Its line.
        line: u64,
        /// What the reader said.
        message: String,
    },
    /// A CSV row whose fields break the rules.
    #[error("line {line} of the CSV file: {problems:?}")]
    CsvInvalid {
        /// Its line.
        line: u64,
        /// Each field's problem.
        problems: Vec<FieldError>,
    },
    /// A free instrument's published wording cannot be replaced by an import.
    #[error("instrument {0} ships with its published text and cannot be replaced")]
    InstrumentNotReplaceable(String),
    /// An imported instrument file without item text (it must bring the licensed text).
    #[error("the instrument file has no item text")]
    InstrumentFileWithoutText,
    /// A saved document could not be opened in the system's viewer.
    #[error("the document cannot be opened here")]
    CannotOpen,
    /// The clinic's details are needed first (its name, before a logo).
    #[error("the clinic's details are not set")]
    ClinicNotSet,
    /// The file chosen as the clinic's logo cannot be one.
    #[error("not a usable logo: {0}")]
    Logo(tirek_letters::LogoProblem),
    /// A letter's status cannot move that way (an outcome is final; issuing is its own step).
    #[error("a letter cannot go from {from} to {to}")]
    StatusChange {
        /// Its status.
        from: &'static str,
        /// The one asked for.
        to: &'static str,
    },
    /// The instrument's item text comes from a clinic's licensed file, not yet imported.
    #[error("instrument {0} needs its licensed item text")]
    LicensedTextMissing(String),
    /// No instrument with this id.
    #[error("no instrument {0}")]
    UnknownInstrument(String),
    /// An instrument file with problems (each names the file and line).
    #[error("the instrument file has problems")]
    InstrumentFile(Vec<crate::instruments::FileProblem>),
    /// Answers that cannot be scored.
    #[error("answers cannot be scored: {0:?}")]
    Answers(tirek_domain::instrument::AnswerProblem),
    /// An addendum was asked for on a consultation that is still a draft.
    #[error("the consultation is not signed")]
    NotSigned,
    /// A letter was addressed to one of the directory's examples (its name).
    #[error("service {0} is an example, not a real service")]
    ExampleService(String),
    /// The handout would list only examples for this place (its name): none are printed.
    #[error("the directory has only examples for {0}")]
    HandoutOnlyExamples(String),
    /// Sync with the organisation's server failed.
    #[error("sync failed: {0:?}")]
    Sync(crate::sync::SyncError),
}

/// A field's problem in the interface language, for the window to show under it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldMessage {
    /// The field, as the form names it.
    pub field: String,
    /// What is wrong, translated.
    pub message: String,
}

/// Translates each problem.
pub(crate) fn field_messages(problems: &[FieldError], messages: &Messages) -> Vec<FieldMessage> {
    problems
        .iter()
        .map(|error| FieldMessage { field: error.field.to_owned(), message: problem_message(error.problem, messages) })
        .collect()
}

/// One field problem in the reader's language.
pub fn problem_message(problem: Problem, messages: &Messages) -> String {
    let mut args = FluentArgs::new();
    let id = match problem {
        Problem::Text(TextProblem::Empty) => "error-field-empty",
        Problem::Text(TextProblem::TooLong(max)) => {
            args.set("max", max);
            "error-field-too-long"
        }
        Problem::Text(TextProblem::ControlCharacters) => "error-field-control",
        Problem::Iin(error) => return iin_message(error, messages),
        Problem::Bin(error) => return bin_message(error, messages),
        Problem::IinBirthDateMismatch => "error-iin-birth-date",
        Problem::Phone(PhoneProblem::NotDigits) => "error-phone-digits",
        Problem::Phone(PhoneProblem::WrongLength(count)) => {
            args.set("count", count);
            "error-phone-length"
        }
        Problem::NotADate => "error-date",
        Problem::DateInFuture => "error-date-future",
        Problem::DateTooOld => "error-date-too-old",
        Problem::BeforeBirth => "error-date-before-birth",
        Problem::ChildOlderThanParent => "error-child-older-than-parent",
        Problem::NotIcd10 => "error-icd10",
        Problem::UnknownChoice => "error-choice",
        Problem::DistrictNotInRegion => "error-district-not-in-region",
        Problem::BeforeIssued => "error-before-issued",
        Problem::OutOfRange(min, max) => {
            args.set("min", min);
            args.set("max", max);
            "error-out-of-range"
        }
        Problem::NotATime => "error-time",
        Problem::WithdrawnBeforeGiven => "error-withdrawn-before-given",
        Problem::AlreadyWithdrawn => "error-already-withdrawn",
    };
    messages.format(id, Some(&args))
}

impl AppError {
    /// Each field's problem, translated: the whole list for a form, one entry for an
    /// error tied to one field, none otherwise.
    pub fn field_messages(&self, messages: &Messages) -> Vec<FieldMessage> {
        match self {
            AppError::Invalid(problems) => field_messages(problems, messages),
            other => other
                .field()
                .map(|field| vec![FieldMessage { field: field.to_owned(), message: other.localized(messages) }])
                .unwrap_or_default(),
        }
    }

    /// The field problems of a validation error, untranslated.
    pub(crate) fn into_field_errors(self) -> Vec<FieldError> {
        match self {
            AppError::Invalid(problems) => problems,
            _ => Vec::new(),
        }
    }
}

/// The result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    /// The stable kind the window translates.
    pub fn kind(&self) -> ErrorKind {
        use StoreError as S;
        match self {
            AppError::Store(error) => match error {
                S::WrongPassword
                | S::WrongRecoveryKey
                | S::MalformedRecoveryKey
                | S::BadProfileName(_)
                | S::WeakPassword(_) => ErrorKind::Validation,
                S::DeviceSecretMissing | S::KeyringUnavailable(_) | S::TooManyAttempts { .. } => ErrorKind::Locked,
                S::ProfileNotFound { .. } | S::RecordNotFound { .. } => ErrorKind::NotFound,
                S::ProfileInUse => ErrorKind::Conflict,
                S::Migration { .. } | S::Sqlite { .. } | S::UnknownField { .. } => ErrorKind::Internal,
                S::RecordFinal { .. } | S::FileTooLarge { .. } => ErrorKind::Validation,
                S::ReadOnlyClient { .. } => ErrorKind::ReadOnly,
                S::Abandoned => ErrorKind::Internal,
                S::DataDirUnwritable { .. }
                | S::DataDirNotAFolder { .. }
                | S::SettingsUnreadable { .. }
                | S::SettingsUnsaved { .. }
                | S::Io { .. }
                | S::DiskFull { .. }
                | S::KeyFileDamaged { .. }
                | S::NewerFormat { .. }
                | S::NotADatabase { .. }
                | S::NotABackup { .. }
                | S::DatabaseLocked { .. }
                | S::Corrupted { .. } => ErrorKind::Storage,
            },
            AppError::ProfileNotChosen | AppError::BackupFolderNotChosen => ErrorKind::Validation,
            AppError::Locked => ErrorKind::Locked,
            AppError::Letters(_) => ErrorKind::Internal,
            AppError::Iin(_)
            | AppError::Invalid(_)
            | AppError::ConsentMissing(_)
            | AppError::NotSigned
            | AppError::Answers(_)
            | AppError::InstrumentFile(_)
            | AppError::RiskFormIncomplete
            | AppError::ClinicNotSet
            | AppError::InstrumentNotReplaceable(_)
            | AppError::InstrumentFileWithoutText
            | AppError::CannotOpen
            | AppError::CsvHeader
            | AppError::CsvRow { .. }
            | AppError::CsvInvalid { .. }
            | AppError::Logo(_)
            | AppError::StatusChange { .. }
            | AppError::LicensedTextMissing(_)
            | AppError::ExampleService(_)
            | AppError::HandoutOnlyExamples(_) => ErrorKind::Validation,
            AppError::UnknownInstrument(_) => ErrorKind::NotFound,
            AppError::Sync(error) if error.is_offline() => ErrorKind::Offline,
            AppError::Sync(crate::sync::SyncError::Garbage) => ErrorKind::Internal,
            AppError::Sync(_) => ErrorKind::Validation,
        }
    }

    /// The input field at fault, for validation errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Store(StoreError::WrongPassword) => Some("password"),
            AppError::Store(StoreError::WrongRecoveryKey | StoreError::MalformedRecoveryKey) => Some("recovery_key"),
            AppError::Store(StoreError::BadProfileName(_)) => Some("name"),
            AppError::Store(StoreError::WeakPassword(_)) => Some("new_password"),
            AppError::ProfileNotChosen => Some("profile"),
            AppError::BackupFolderNotChosen => Some("backup_folder"),
            AppError::Locked | AppError::Letters(_) => None,
            AppError::Iin(_) => Some("iin"),
            AppError::Invalid(problems) => problems.first().map(|p| p.field),
            AppError::ConsentMissing(_) => Some("consent"),
            AppError::NotSigned | AppError::UnknownInstrument(_) | AppError::InstrumentFile(_) => None,
            AppError::RiskFormIncomplete => Some("risk_form"),
            AppError::LicensedTextMissing(_) => Some("instrument"),
            AppError::ClinicNotSet => Some("name"),
            AppError::CannotOpen => None,
            AppError::InstrumentNotReplaceable(_) | AppError::InstrumentFileWithoutText => Some("file"),
            AppError::CsvHeader | AppError::CsvRow { .. } | AppError::CsvInvalid { .. } => Some("file"),
            AppError::Logo(_) => Some("logo"),
            AppError::StatusChange { .. } => Some("status"),
            AppError::Answers(_) => Some("answers"),
            AppError::ExampleService(_) => Some("service_id"),
            AppError::HandoutOnlyExamples(_) => None,
            AppError::Store(_) => None,
            AppError::Sync(error) => error.field(),
        }
    }

    /// The specific message in the user's language, one line, for the command line
    /// and for banners that need more than the kind.
    pub fn localized(&self, messages: &Messages) -> String {
        use StoreError as S;
        let mut args = FluentArgs::new();
        let mut path = |path: &Path| args.set("path", path.display().to_string());
        let error = match self {
            AppError::Store(S::FileTooLarge { size, limit }) => {
                let mut args = FluentArgs::new();
                args.set("size_kb", size.div_ceil(1024));
                args.set("limit_kb", limit / 1024);
                return messages.format("error-file-too-large", Some(&args));
            }
            AppError::Store(error) => error,
            AppError::ProfileNotChosen => return messages.get("error-profile-not-chosen"),
            AppError::Locked => return messages.get("error-kind-locked"),
            AppError::Letters(_) => return messages.get("error-kind-internal"),
            AppError::Iin(error) => return iin_message(*error, messages),
            AppError::BackupFolderNotChosen => return messages.get("error-backup-folder-not-chosen"),
            AppError::Invalid(problems) => {
                return field_messages(problems, messages).into_iter().map(|p| p.message).collect::<Vec<_>>().join(" ");
            }
            AppError::ConsentMissing(scope) => {
                return messages.get(&format!("error-consent-missing-{}", scope.code().replace('_', "-")));
            }
            AppError::NotSigned => return messages.get("error-not-signed"),
            AppError::RiskFormIncomplete => return messages.get("error-risk-form-incomplete"),
            AppError::ClinicNotSet => return messages.get("error-clinic-not-set"),
            AppError::CannotOpen => return messages.get("error-cannot-open"),
            AppError::InstrumentNotReplaceable(id) => {
                let mut args = FluentArgs::new();
                args.set("id", id.clone());
                return messages.format("error-instrument-not-replaceable", Some(&args));
            }
            AppError::InstrumentFileWithoutText => return messages.get("error-instrument-file-without-text"),
            AppError::CsvHeader => return messages.get("error-csv-header"),
            AppError::CsvRow { line, message } => {
                let mut args = FluentArgs::new();
                args.set("line", *line);
                args.set("detail", message.clone());
                return messages.format("error-csv-row", Some(&args));
            }
            AppError::CsvInvalid { line, problems } => {
                let mut args = FluentArgs::new();
                args.set("line", *line);
                let fields: Vec<String> = field_messages(problems, messages)
                    .into_iter()
                    .map(|p| format!("{} — {}", p.field, p.message))
                    .collect();
                args.set("problems", fields.join("; "));
                return messages.format("error-csv-invalid", Some(&args));
            }
            AppError::Logo(tirek_letters::LogoProblem::NotAnImage) => return messages.get("error-logo-not-png"),
            AppError::Logo(tirek_letters::LogoProblem::TooLarge { width, height }) => {
                let mut args = FluentArgs::new();
                args.set("width", *width);
                args.set("height", *height);
                return messages.format("error-logo-too-large", Some(&args));
            }
            AppError::StatusChange { from, to } => {
                let mut args = FluentArgs::new();
                args.set("from", messages.get(&format!("choice-status-{from}")));
                args.set("to", messages.get(&format!("choice-status-{to}")));
                return messages.format("error-status-change", Some(&args));
            }
            AppError::LicensedTextMissing(id) => {
                let mut args = FluentArgs::new();
                args.set("id", id.clone());
                return messages.format("error-licensed-text-missing", Some(&args));
            }
            AppError::UnknownInstrument(id) => {
                let mut args = FluentArgs::new();
                args.set("id", id.clone());
                return messages.format("error-unknown-instrument", Some(&args));
            }
            AppError::Answers(problem) => return crate::instruments::answers_message(problem, messages),
            AppError::ExampleService(name) => {
                let mut args = FluentArgs::new();
                args.set("name", name.clone());
                return messages.format("error-example-service", Some(&args));
            }
            AppError::HandoutOnlyExamples(place) => {
                let mut args = FluentArgs::new();
                args.set("place", place.clone());
                return messages.format("error-handout-only-examples", Some(&args));
            }
            AppError::Sync(error) => return error.message(messages),
            // Like a compiler's messages: for whoever edits the file, file:line first.
            AppError::InstrumentFile(problems) => {
                return problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
            }
        };
        let id = match error {
            S::DataDirUnwritable { path: p, .. } => {
                path(p);
                "error-data-dir-unwritable"
            }
            S::DataDirNotAFolder { path: p } => {
                path(p);
                "error-data-dir-unusable"
            }
            S::SettingsUnreadable { path: p, .. } => {
                path(p);
                "error-settings-unreadable"
            }
            S::SettingsUnsaved { path: p, .. } => {
                path(p);
                "error-settings-unsaved"
            }
            S::Io { path: p, .. } => {
                path(p);
                "error-io"
            }
            S::DiskFull { path: p } => {
                path(p);
                "error-disk-full"
            }
            S::KeyFileDamaged { path: p } => {
                path(p);
                "error-key-file-damaged"
            }
            S::NewerFormat { path: p } => {
                path(p);
                "error-newer-format"
            }
            S::NotADatabase { path: p } => {
                path(p);
                "error-not-a-database"
            }
            S::NotABackup { path: p } => {
                path(p);
                "error-not-a-backup"
            }
            S::DatabaseLocked { path: p } => {
                path(p);
                "error-database-locked"
            }
            S::Sqlite { path: p, .. } => {
                path(p);
                "error-database"
            }
            S::Corrupted { path: p, detail } => {
                path(p);
                args.set("detail", detail.clone());
                "error-database-corrupted"
            }
            S::Migration { name, .. } => {
                args.set("name", name.clone());
                "error-migration"
            }
            S::TooManyAttempts { wait_seconds } => {
                args.set("seconds", *wait_seconds);
                "error-too-many-attempts"
            }
            S::UnknownField { entity, field } => {
                args.set("field", format!("{entity}.{field}"));
                "error-unknown-field"
            }
            S::RecordNotFound { .. } => "error-kind-not-found",
            S::RecordFinal { .. } => "error-record-final",
            S::ReadOnlyClient { .. } => "error-client-read-only",
            S::FileTooLarge { .. } => "error-file-too-large",
            S::Abandoned => "error-kind-internal",
            S::WrongPassword => "error-wrong-password",
            S::WrongRecoveryKey => "error-wrong-recovery-key",
            S::MalformedRecoveryKey => "error-malformed-recovery-key",
            S::DeviceSecretMissing => "error-device-secret-missing",
            S::KeyringUnavailable(_) => "error-keyring-unavailable",
            S::ProfileNotFound { .. } => "error-profile-not-found",
            S::ProfileInUse => "error-profile-in-use",
            S::BadProfileName(BadProfileName::Empty) => "error-profile-name-empty",
            S::BadProfileName(BadProfileName::TooLong) => {
                args.set("max", MAX_NAME_CHARS);
                "error-profile-name-too-long"
            }
            S::BadProfileName(BadProfileName::ControlCharacter) => "error-profile-name-control",
            S::WeakPassword(WeakPassword::TooShort) => {
                args.set("min", MIN_PASSWORD_CHARS);
                "error-password-too-short"
            }
            S::WeakPassword(WeakPassword::TooCommon) => "error-password-too-common",
            S::WeakPassword(WeakPassword::ContainsName) => "error-password-contains-name",
        };
        messages.format(id, Some(&args))
    }
}

fn bin_message(error: tirek_domain::iin::IinError, messages: &Messages) -> String {
    use tirek_domain::iin::IinError as E;
    let mut args = FluentArgs::new();
    let id = match error {
        E::WrongLength(count) => {
            args.set("count", count);
            "error-bin-length"
        }
        E::NotDigits => "error-bin-digits",
        E::BadDate => "error-bin-month",
        E::BadCentury => "error-bin-type",
        E::WrongChecksum | E::Unissuable => "error-bin-checksum",
    };
    messages.format(id, Some(&args))
}

fn iin_message(error: tirek_domain::iin::IinError, messages: &Messages) -> String {
    use tirek_domain::iin::IinError as E;
    let mut args = FluentArgs::new();
    let id = match error {
        E::WrongLength(count) => {
            args.set("count", count);
            "error-iin-length"
        }
        E::NotDigits => "error-iin-digits",
        E::BadCentury => "error-iin-century",
        E::BadDate => "error-iin-date",
        E::WrongChecksum => "error-iin-checksum",
        E::Unissuable => "error-iin-unissuable",
    };
    messages.format(id, Some(&args))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tirek_domain::Language;

    #[test]
    fn every_error_has_a_message_in_every_language() {
        let errors = [
            AppError::Store(StoreError::DataDirNotAFolder { path: "/x".into() }),
            AppError::Store(StoreError::DataDirUnwritable {
                path: "/x".into(),
                source: std::io::ErrorKind::PermissionDenied.into(),
            }),
            AppError::Store(StoreError::SettingsUnreadable { path: "/x".into(), source: "bad".into() }),
            AppError::Store(StoreError::SettingsUnsaved {
                path: "/x".into(),
                source: std::io::ErrorKind::StorageFull.into(),
            }),
        ];
        for language in Language::ALL {
            let messages = Messages::new(language);
            for error in &errors {
                let text = error.localized(&messages);
                assert!(!text.starts_with("error-"), "{language}: no message for {error:?}");
                assert!(text.contains("/x"), "{language}: {text} lacks its argument");
            }
            let password = AppError::Store(StoreError::WeakPassword(WeakPassword::TooShort)).localized(&messages);
            assert!(password.contains(&MIN_PASSWORD_CHARS.to_string()), "{language}: {password}");
            for error in [StoreError::WrongPassword, StoreError::ProfileInUse, StoreError::DeviceSecretMissing] {
                let text = AppError::Store(error).localized(&messages);
                assert!(!text.starts_with("error-"), "{language}: {text}");
            }
        }
    }
}
