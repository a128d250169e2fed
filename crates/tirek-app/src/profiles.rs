//! Profile use cases: create, list, unlock and lock, change or reset the password,
//! delete, check the database. Locking drops the open database, which closes it
//! and wipes its key.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use tirek_domain::audit::AuditEvent;
pub use tirek_store::audit::BrokenLink;
pub use tirek_store::backup::{BackupInfo, BackupSecret};
pub use tirek_store::{Created, ProfileSummary};
use tirek_store::{Profiles, StoreError};

use crate::{App, AppError, Result};

pub(crate) fn now_ms() -> i64 {
    let shift = CLOCK_SHIFT_FOR_TESTS.with(std::cell::Cell::get);
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis() as i64).saturating_add(shift)
}

thread_local! {
    /// How far this thread's clock is set wrong, for tests of a computer whose clock
    /// is off ([`App::shift_clock_for_tests`]); per thread, so tests running side
    /// by side do not share it.
    static CLOCK_SHIFT_FOR_TESTS: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

impl App {
    /// Sets this thread's clock `ms` ahead of the real one (behind, if negative), as
    /// if the computer's clock were set wrong; 0 sets it right. Tests only.
    #[doc(hidden)]
    pub fn shift_clock_for_tests(&self, ms: i64) {
        CLOCK_SHIFT_FOR_TESTS.with(|shift| shift.set(ms));
    }

    pub(crate) fn profiles(&self) -> Result<Profiles> {
        Ok(Profiles::new(&self.data_dir()?, self.secrets.clone()).with_kdf(self.kdf))
    }

    /// Every profile on this computer.
    pub fn list_profiles(&self) -> Result<Vec<ProfileSummary>> {
        Ok(self.profiles()?.list()?)
    }

    /// The profile a command means: the one whose id or name is `wanted`, or the only
    /// profile when there is just one.
    pub fn find_profile(&self, wanted: Option<&str>) -> Result<ProfileSummary> {
        let profiles = self.list_profiles()?;
        let found = match wanted {
            Some(wanted) => profiles.into_iter().find(|p| p.id == wanted || p.name == wanted.trim()),
            None if profiles.len() == 1 => profiles.into_iter().next(),
            None if profiles.is_empty() => None,
            None => return Err(AppError::ProfileNotChosen),
        };
        found.ok_or_else(|| StoreError::ProfileNotFound { id: wanted.unwrap_or_default().to_owned() }.into())
    }

    /// Creates a profile. The recovery key in the result is shown once and never kept.
    pub fn create_profile(&self, name: &str, password: &str) -> Result<Created> {
        let created = self.profiles()?.create(name, password, now_ms() / 1000)?;
        if let Some(warning) = &created.keyring_warning {
            tracing::warn!(reason = %warning.0, "no keyring: the profile is protected by its password alone");
        }
        Ok(created)
    }

    /// The recovery sheet of `profile` as PDF, in `language`. The key is not kept
    /// anywhere: the caller has it only right after creating the profile.
    pub fn recovery_sheet(
        &self,
        profile: &ProfileSummary,
        recovery_key: &str,
        language: tirek_domain::Language,
    ) -> Result<Vec<u8>> {
        let date = tirek_domain::time::UtcMinute::from_unix_ms(profile.created_at * 1000);
        let created_on = format!("{:02}.{:02}.{}", date.day, date.month, date.year);
        Ok(tirek_letters::recovery_sheet(&tirek_letters::RecoverySheet {
            language,
            profile_name: &profile.name,
            created: &created_on,
            recovery_key,
        })?)
    }

    /// Saves a document where the user asked, whole or not at all.
    pub fn save_document(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        Ok(tirek_store::documents::save(path, bytes)?)
    }

    /// Unlocks a profile with its password; it stays open until [`App::lock`] or
    /// until it has been idle for the auto-lock time.
    pub fn unlock(&self, id: &str, password: &str) -> Result<ProfileSummary> {
        let open = self.profiles()?.unlock(id, password, now_ms())?;
        let summary = open.summary().clone();
        let mut state = self.state();
        state.replace_open(Some(open));
        state.last_activity_ms = now_ms();
        Ok(summary)
    }

    /// Checks the unlocked profile's password without locking or reopening it: the
    /// parent's questionnaire-only screen is left only with it. Audited either way.
    pub fn confirm_password(&self, password: &str) -> Result<()> {
        let id = self.unlocked_profile().ok_or(AppError::Locked)?.id;
        let checked = self.profiles()?.verify_password(&id, password, now_ms());
        let event = if checked.is_ok() { AuditEvent::Unlock } else { AuditEvent::FailedUnlock };
        self.with_profile(|open, _| Ok(open.audit(now_ms(), event, None).map(drop)?))?;
        Ok(checked?)
    }

    /// Notes that the user did something (a key, a click), postponing auto-lock.
    pub fn touch(&self) {
        self.state().last_activity_ms = now_ms();
    }

    /// Locks the profile if nothing happened for the auto-lock time; returns whether
    /// it locked. The window calls this on a timer, so the lock does not depend on
    /// the page being responsive.
    pub fn lock_if_idle(&self) -> bool {
        let idle_ms = {
            let state = self.state();
            if state.open.is_none() {
                return false;
            }
            now_ms() - state.last_activity_ms
        };
        if idle_ms < i64::from(self.auto_lock_minutes()) * 60_000 {
            return false;
        }
        self.lock();
        true
    }

    /// Unlocks a profile with its recovery key.
    pub fn unlock_with_recovery_key(&self, id: &str, recovery_key: &str) -> Result<ProfileSummary> {
        let open = self.profiles()?.unlock_with_recovery_key(id, recovery_key, now_ms())?;
        let summary = open.summary().clone();
        self.state().replace_open(Some(open));
        Ok(summary)
    }

    /// Locks: records it in the audit trail, then closes the database, which wipes
    /// its key from memory. Locking never fails; a trail that cannot be written is
    /// logged (the lock itself matters more).
    pub fn lock(&self) {
        let Some(open) = self.state().replace_open(None) else { return };
        if let Err(err) = open.audit(now_ms(), AuditEvent::Lock, None) {
            tracing::warn!(error = %err, "could not record the lock in the audit trail");
        }
    }

    /// The unlocked profile, if any.
    pub fn unlocked_profile(&self) -> Option<ProfileSummary> {
        self.state().open.as_ref().map(|open| open.summary().clone())
    }

    /// Replaces the password, knowing the old one.
    pub fn change_password(&self, id: &str, old: &str, new: &str) -> Result<()> {
        let audited = self.profiles()?.change_password(id, old, new, now_ms())?;
        self.audit_password_change_if_open(id, audited)
    }

    /// Sets a new password with the recovery key.
    pub fn reset_password(&self, id: &str, recovery_key: &str, new: &str) -> Result<()> {
        let audited = self.profiles()?.reset_password(id, recovery_key, new, now_ms())?;
        self.audit_password_change_if_open(id, audited)
    }

    /// The store cannot record a password change while this app holds the profile
    /// open; then the open profile records it.
    fn audit_password_change_if_open(&self, id: &str, audited: bool) -> Result<()> {
        let state = self.state();
        match &state.open {
            Some(open) if !audited && open.summary().id == id => {
                open.audit(now_ms(), AuditEvent::PasswordChanged, None)?;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Deletes a profile and everything in it; needs its password.
    pub fn delete_profile(&self, id: &str, password: &str) -> Result<()> {
        if self.unlocked_profile().is_some_and(|open| open.id == id) {
            self.lock();
        }
        Ok(self.profiles()?.delete(id, password, now_ms())?)
    }

    /// Opens a profile, runs SQLite's and SQLCipher's integrity checks, and closes it.
    pub fn check_database(&self, id: &str, password: &str) -> Result<()> {
        let open = self.profiles()?.unlock(id, password, now_ms())?;
        Ok(open.check_integrity()?)
    }

    /// Writes a backup of a profile to `destination` (opening it with its password).
    pub fn backup_profile(&self, id: &str, password: &str, destination: &Path) -> Result<BackupInfo> {
        let open = self.profiles()?.unlock(id, password, now_ms())?;
        Ok(open.backup_to(destination, now_ms())?)
    }

    /// Opens a backup in a scratch folder and checks it, changing nothing.
    pub fn verify_backup(&self, path: &Path, secret: BackupSecret<'_>) -> Result<BackupInfo> {
        Ok(self.profiles()?.verify_backup(path, secret)?)
    }

    /// Restores a backup as its profile on this computer (replacing it if present).
    pub fn restore_backup(&self, path: &Path, secret: BackupSecret<'_>) -> Result<BackupInfo> {
        if let Ok(info) = tirek_store::backup::inspect(path)
            && self.unlocked_profile().is_some_and(|open| open.id == info.profile_id)
        {
            self.lock();
        }
        Ok(self.profiles()?.restore(path, secret, now_ms())?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use tirek_store::MemoryKeyring;

    const PASSWORD: &str = "тау бұлақ өзен 2026";

    fn app(folder: &tempfile::TempDir) -> App {
        App::start_with(folder.path(), Arc::new(MemoryKeyring::default())).0.with_fast_key_derivation_for_tests()
    }

    #[test]
    fn unlock_and_lock_hold_and_release_the_profile() {
        let folder = tempfile::tempdir().unwrap();
        let app = app(&folder);
        let created = app.create_profile("Әлия", PASSWORD).unwrap();
        assert_eq!(app.unlocked_profile(), None);
        app.unlock(&created.profile.id, PASSWORD).unwrap();
        assert_eq!(app.unlocked_profile(), Some(created.profile.clone()));
        app.change_password(&created.profile.id, PASSWORD, "a new long password").unwrap();
        app.lock();
        assert_eq!(app.unlocked_profile(), None);
        app.reset_password(&created.profile.id, &created.recovery_key, PASSWORD).unwrap();
        app.check_database(&created.profile.id, PASSWORD).unwrap();
        let open = app.profiles().unwrap().unlock(&created.profile.id, PASSWORD, now_ms()).unwrap();
        let changes = open.audit_trail().unwrap().iter().filter(|e| e.event == AuditEvent::PasswordChanged).count();
        assert_eq!(changes, 2, "changed while open, reset while locked: both recorded once");
    }

    #[test]
    fn an_idle_profile_locks_itself_and_activity_keeps_it_open() {
        let folder = tempfile::tempdir().unwrap();
        let app = app(&folder);
        assert_eq!(app.auto_lock_minutes(), 10, "the default");
        assert_eq!(app.set_auto_lock_minutes(0).unwrap(), 1, "at least a minute");
        let id = app.create_profile("Әлия", PASSWORD).unwrap().profile.id;
        app.unlock(&id, PASSWORD).unwrap();
        assert!(!app.lock_if_idle(), "just unlocked");

        app.state().last_activity_ms = now_ms() - 59_000;
        assert!(!app.lock_if_idle(), "idle for less than the minute");
        app.touch();
        app.state().last_activity_ms -= 61_000;
        assert!(app.lock_if_idle());
        assert_eq!(app.unlocked_profile(), None);
        assert!(!app.lock_if_idle(), "already locked");

        let events: Vec<_> = {
            let open = app.profiles().unwrap().unlock(&id, PASSWORD, now_ms()).unwrap();
            open.audit_trail().unwrap().into_iter().map(|entry| entry.event).collect()
        };
        assert_eq!(events[events.len() - 2], AuditEvent::Lock, "{events:?}");
    }

    #[test]
    fn a_profile_is_found_by_id_by_name_or_as_the_only_one() {
        let folder = tempfile::tempdir().unwrap();
        let app = app(&folder);
        assert!(matches!(app.find_profile(None), Err(AppError::Store(StoreError::ProfileNotFound { .. }))));
        let aliya = app.create_profile("Әлия", PASSWORD).unwrap().profile;
        assert_eq!(app.find_profile(None).unwrap(), aliya);
        let bota = app.create_profile("Бота", PASSWORD).unwrap().profile;
        assert!(matches!(app.find_profile(None), Err(AppError::ProfileNotChosen)));
        assert_eq!(app.find_profile(Some("Бота")).unwrap(), bota);
        assert_eq!(app.find_profile(Some(&aliya.id)).unwrap(), aliya);
    }
}
