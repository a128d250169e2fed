//! Backups as the clinic runs them: "back up now", and a daily backup of the open
//! profile into the folder chosen in Settings, keeping the newest N.

use std::path::{Path, PathBuf};

use tirek_store::backup::{prune_scheduled_backups, scheduled_backups, scheduled_file_name};
use tirek_store::device_settings::DEFAULT_BACKUPS_KEPT;

use crate::profiles::now_ms;
use crate::{App, AppError, Result};

/// A day, in milliseconds: the interval of scheduled backups.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The backup settings and state the window shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupStatus {
    /// The chosen folder, if any.
    pub folder: Option<PathBuf>,
    /// How many daily backups are kept.
    pub kept: u32,
    /// The newest backup of the open profile in that folder, by file name.
    pub latest: Option<PathBuf>,
}

impl App {
    /// The backup folder and how many backups are kept; the newest backup of the
    /// open profile.
    pub fn backup_status(&self) -> Result<BackupStatus> {
        let (folder, kept) = self.backup_settings();
        let latest = match (&folder, self.unlocked_profile()) {
            (Some(folder), Some(profile)) => scheduled_backups(folder, &profile.id)?.pop(),
            _ => None,
        };
        Ok(BackupStatus { folder, kept, latest })
    }

    fn backup_settings(&self) -> (Option<PathBuf>, u32) {
        let state = self.state();
        (state.settings.backup_folder.clone(), state.settings.backups_kept.unwrap_or(DEFAULT_BACKUPS_KEPT))
    }

    /// Chooses the backup folder (which must exist and accept files) and how many
    /// daily backups to keep (1–365).
    pub fn set_backup_settings(&self, folder: Option<&Path>, kept: u32) -> Result<BackupStatus> {
        if let Some(folder) = folder {
            tirek_store::DataDir::open(folder)?;
        }
        {
            let mut state = self.state();
            state.settings.backup_folder = folder.map(Path::to_owned);
            state.settings.backups_kept = Some(kept.clamp(1, 365));
        }
        let data_dir = self.data_dir()?;
        let settings = self.state().settings.clone();
        settings.save(&data_dir)?;
        self.backup_status()
    }

    /// Backs the open profile up into the backup folder now, then removes backups
    /// beyond the number kept. Returns the new file.
    pub fn backup_now(&self) -> Result<PathBuf> {
        let (folder, kept) = self.backup_settings();
        let folder = folder.ok_or(AppError::BackupFolderNotChosen)?;
        let now = now_ms();
        let state = self.state();
        let open = state.open.as_ref().ok_or(AppError::Locked)?;
        let path = folder.join(scheduled_file_name(&open.summary().id, now));
        open.backup_to(&path, now)?;
        prune_scheduled_backups(&folder, &open.summary().id, kept as usize)?;
        Ok(path)
    }

    /// Backs the open profile up if a folder is chosen and its newest backup there is
    /// a day old or more. Called on a timer by the window.
    pub fn backup_if_due(&self) -> Result<Option<PathBuf>> {
        let status = self.backup_status()?;
        if status.folder.is_none() || self.unlocked_profile().is_none() {
            return Ok(None);
        }
        let due = match &status.latest {
            None => true,
            Some(latest) => latest
                .metadata()
                .and_then(|meta| meta.modified())
                .ok()
                .and_then(|modified| modified.duration_since(std::time::UNIX_EPOCH).ok())
                .is_none_or(|modified| now_ms() - modified.as_millis() as i64 >= DAY_MS),
        };
        if !due {
            return Ok(None);
        }
        self.backup_now().map(Some)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tirek_store::MemoryKeyring;

    use super::*;

    #[test]
    fn daily_backups_go_to_the_chosen_folder_and_only_the_newest_are_kept() {
        let data = tempfile::tempdir().unwrap();
        let backups = tempfile::tempdir().unwrap();
        let app =
            App::start_with(data.path(), Arc::new(MemoryKeyring::default())).0.with_fast_key_derivation_for_tests();
        let id = app.create_profile("Әлия", "тау бұлақ өзен 2026").unwrap().profile.id;
        app.unlock(&id, "тау бұлақ өзен 2026").unwrap();

        assert!(matches!(app.backup_now(), Err(AppError::BackupFolderNotChosen)));
        assert_eq!(app.backup_if_due().unwrap(), None, "no folder, nothing due");

        let status = app.set_backup_settings(Some(backups.path()), 2).unwrap();
        assert_eq!((status.kept, status.latest), (2, None));
        let first = app.backup_if_due().unwrap().expect("the first backup is due at once");
        assert!(first.file_name().unwrap().to_str().unwrap().starts_with("tirek-"));
        assert!(!first.to_str().unwrap().contains("Әлия"), "no names in file names");
        assert_eq!(app.backup_if_due().unwrap(), None, "not again the same day");

        // Three more, in older-looking names, to see pruning keep the newest two.
        for minute in ["20200101-0000", "20200102-0000", "20200103-0000"] {
            let name = first.file_name().unwrap().to_str().unwrap();
            let older = backups.path().join(format!("{}{minute}.tkb", &name[..name.len() - 17]));
            std::fs::copy(&first, older).unwrap();
        }
        let newest = app.backup_now().unwrap();
        let left = scheduled_backups(backups.path(), &id).unwrap();
        assert_eq!(left.len(), 2, "{left:?}");
        assert_eq!(left.last(), Some(&newest));
        assert_eq!(app.backup_status().unwrap().latest, Some(newest));

        app.lock();
        assert!(matches!(app.backup_now(), Err(AppError::Locked)));
    }
}
