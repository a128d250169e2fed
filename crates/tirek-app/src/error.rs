//! The one error type of the use cases. Each error has a stable [`ErrorKind`] that the
//! window translates, and a specific message that the command line prints in the
//! user's language.

use std::path::Path;

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
}

/// The result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    /// The stable kind the window translates.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Store(_) => ErrorKind::Storage,
        }
    }

    /// The input field at fault, for validation errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Store(_) => None,
        }
    }

    /// The specific message in the user's language, one line, for the command line
    /// and for banners that need more than the kind.
    pub fn localized(&self, messages: &Messages) -> String {
        let mut args = FluentArgs::new();
        let id = match self {
            AppError::Store(StoreError::DataDirUnwritable { path, .. }) => {
                args.set("path", display(path));
                "error-data-dir-unwritable"
            }
            AppError::Store(StoreError::DataDirNotAFolder { path }) => {
                args.set("path", display(path));
                "error-data-dir-unusable"
            }
            AppError::Store(StoreError::SettingsUnreadable { path, .. }) => {
                args.set("path", display(path));
                "error-settings-unreadable"
            }
            AppError::Store(StoreError::SettingsUnsaved { path, .. }) => {
                args.set("path", display(path));
                "error-settings-unsaved"
            }
        };
        messages.format(id, Some(&args))
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
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
        }
    }
}
