//! The running application: where its data lives, the device settings, and (as the
//! store grows) the unlocked profile. One `App` serves the whole window or one CLI
//! invocation.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tirek_domain::Language;
use tirek_store::{DataDir, DeviceSecrets, DeviceSettings, OpenProfile, OsKeyring};

use crate::{AppError, Result};

/// Facts about this copy of Tirek, for "Settings → About" and `tirek info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    /// The semantic version, e.g. `0.1.0`.
    pub version: &'static str,
    /// The commit it was built from, e.g. `1a2b3c4d5e`.
    pub build: &'static str,
    /// The data folder in use.
    pub data_dir: PathBuf,
    /// Whether the data folder accepted a write when Tirek started (or last tried).
    pub data_dir_writable: bool,
}

/// The running application.
#[derive(Debug)]
pub struct App {
    data_dir_path: PathBuf,
    pub(crate) secrets: Arc<dyn DeviceSecrets>,
    pub(crate) kdf: tirek_store::keys::KdfParams,
    state: Mutex<State>,
    sync: Mutex<crate::sync::SyncSettings>,
    background: Mutex<crate::sync_background::Background>,
    /// Held for the whole of a sync: one at a time.
    pub(crate) sync_running: Mutex<()>,
}

#[derive(Debug)]
pub(crate) struct State {
    /// `None` while the data folder refuses writes.
    pub(crate) data_dir: Option<DataDir>,
    pub(crate) settings: DeviceSettings,
    /// The unlocked profile; `None` while locked.
    pub(crate) open: Option<OpenProfile>,
    /// What the outbox decides of the open profile's candidates, and the profile's
    /// candidates mark it was worked out at (`None` whenever `open` changes).
    pub(crate) sync_marks: Option<(crate::sync::CandidatesMark, Arc<crate::sync::SyncMarks>)>,
    /// When the user last did something, for auto-lock (ms since 1970).
    pub(crate) last_activity_ms: i64,
}

impl State {
    /// Opens another profile (or none) in place of the open one, which it returns.
    pub(crate) fn replace_open(&mut self, open: Option<OpenProfile>) -> Option<OpenProfile> {
        self.sync_marks = None;
        std::mem::replace(&mut self.open, open)
    }
}

impl App {
    /// Starts Tirek on `data_dir`. Never fails: what went wrong (a folder that cannot
    /// be used, a damaged settings file) comes back beside the app and shows in
    /// [`App::info`], so the window can say so instead of crashing.
    pub fn start(data_dir: &Path) -> (App, Vec<AppError>) {
        App::start_with(data_dir, Arc::new(OsKeyring))
    }

    /// Starts Tirek with device secrets kept in `secrets` (tests pass an in-memory
    /// keyring; the app and the CLI use the operating system's).
    pub fn start_with(data_dir: &Path, secrets: Arc<dyn DeviceSecrets>) -> (App, Vec<AppError>) {
        let mut problems = Vec::new();
        let data_dir_opened = match DataDir::open(data_dir) {
            Ok(opened) => Some(opened),
            Err(err) => {
                tracing::warn!(error = %err, "data folder unusable");
                problems.push(err.into());
                None
            }
        };
        let settings = match &data_dir_opened {
            Some(opened) => {
                let loaded = DeviceSettings::load(opened);
                if let Some(warning) = loaded.warning {
                    tracing::warn!(error = %warning, "settings reset to defaults");
                    problems.push(warning.into());
                }
                loaded.settings
            }
            None => DeviceSettings::default(),
        };
        let app = App {
            data_dir_path: data_dir.to_owned(),
            secrets,
            kdf: tirek_store::keys::KdfParams::UNLOCK,
            state: Mutex::new(State {
                data_dir: data_dir_opened,
                settings,
                open: None,
                sync_marks: None,
                last_activity_ms: 0,
            }),
            sync: Mutex::new(crate::sync::SyncSettings::default()),
            background: Mutex::default(),
            sync_running: Mutex::new(()),
        };
        (app, problems)
    }

    /// Uses cheaper key derivation for new and changed passwords (tests only).
    pub fn with_fast_key_derivation_for_tests(mut self) -> App {
        self.kdf = tirek_store::keys::KdfParams::FAST_FOR_TESTS;
        self
    }

    /// The data folder, opening it again if it refused writes at start.
    pub(crate) fn data_dir(&self) -> Result<DataDir> {
        let mut state = self.state();
        if state.data_dir.is_none() {
            state.data_dir = Some(DataDir::open(&self.data_dir_path)?);
        }
        Ok(state.data_dir.clone().expect("opened just above"))
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave `State` half-updated: every
        // update below is a single assignment.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn sync_settings(&self) -> MutexGuard<'_, crate::sync::SyncSettings> {
        self.sync.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn background(&self) -> MutexGuard<'_, crate::sync_background::Background> {
        self.background.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Version, build and data folder.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION"),
            build: env!("TIREK_BUILD"),
            data_dir: self.data_dir_path.clone(),
            data_dir_writable: self.state().data_dir.is_some(),
        }
    }

    /// The interface language: the one chosen on this computer, else the system's.
    pub fn language(&self) -> Language {
        self.state().settings.language.unwrap_or_else(crate::system_language)
    }

    /// The interface's messages, in its language.
    pub fn messages(&self) -> tirek_i18n::Messages {
        tirek_i18n::Messages::new(self.language())
    }

    /// Minutes of inactivity after which an unlocked profile locks itself.
    pub fn auto_lock_minutes(&self) -> u32 {
        self.state().settings.auto_lock_minutes.unwrap_or(tirek_store::device_settings::DEFAULT_AUTO_LOCK_MINUTES)
    }

    /// Sets the auto-lock time (1 to 240 minutes) and remembers it on this computer.
    pub fn set_auto_lock_minutes(&self, minutes: u32) -> Result<u32> {
        let minutes = minutes.clamp(1, 240);
        self.state().settings.auto_lock_minutes = Some(minutes);
        let data_dir = self.data_dir()?;
        let settings = self.state().settings.clone();
        settings.save(&data_dir)?;
        Ok(minutes)
    }

    /// Chooses the interface language and remembers it for the next start. The
    /// choice takes effect even when it cannot be saved; the error says why it will
    /// not survive a restart.
    pub fn set_language(&self, language: Language) -> Result<()> {
        self.state().settings.language = Some(language);
        // Someone may have fixed the folder's permissions since Tirek started.
        let data_dir = self.data_dir()?;
        let settings = self.state().settings.clone();
        Ok(settings.save(&data_dir)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn info_reports_the_version_and_a_writable_folder() {
        let folder = tempfile::tempdir().unwrap();
        let (app, problems) = App::start(folder.path());
        assert!(problems.is_empty());
        let info = app.info();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert!(!info.build.is_empty());
        assert_eq!(info.data_dir, folder.path());
        assert!(info.data_dir_writable);
    }

    #[test]
    fn the_chosen_language_is_used_after_a_restart() {
        let folder = tempfile::tempdir().unwrap();
        let (app, _) = App::start(folder.path());
        app.set_language(Language::Kazakh).unwrap();
        drop(app);
        let (app, _) = App::start(folder.path());
        assert_eq!(app.language(), Language::Kazakh);
    }

    #[test]
    fn an_unusable_folder_is_reported_and_the_language_still_switches() {
        let parent = tempfile::tempdir().unwrap();
        let file = parent.path().join("not-a-folder");
        std::fs::write(&file, b"x").unwrap();
        let (app, problems) = App::start(&file);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind(), ErrorKind::Storage);
        assert!(!app.info().data_dir_writable);

        let err = app.set_language(Language::Russian).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Storage);
        assert_eq!(app.language(), Language::Russian, "the choice applies for this session");
    }
}
