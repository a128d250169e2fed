//! The commands the window calls. Each takes its input, calls one `tirek-app`
//! function and converts the result; anything that needs an `if` about Tirek's
//! rules belongs in `tirek-app` instead.

use tauri::State;
use tirek_app::{App, AppError};
use tirek_i18n::Messages;

use std::path::PathBuf;

use crate::ipc::{AppInfoDto, BackupStatusDto, CreatedProfileDto, IpcError, LanguageCode, ProfileDto, SessionDto};

pub(crate) fn ipc_error(app: &App, error: AppError) -> IpcError {
    IpcError::from_app(error, &Messages::new(app.language()))
}

/// Version, build, data folder and the language to start in.
#[tauri::command]
#[specta::specta]
pub fn app_info(app: State<'_, App>) -> AppInfoDto {
    AppInfoDto::new(app.info(), app.language())
}

/// Switches the interface language and remembers it on this computer. The switch
/// applies even when the error says it could not be saved.
#[tauri::command]
#[specta::specta]
pub fn set_language(app: State<'_, App>, language: LanguageCode) -> Result<(), IpcError> {
    app.set_language(language.into()).map_err(|error| ipc_error(&app, error))
}

/// Whether a profile is unlocked, and the profiles to choose from.
#[tauri::command]
#[specta::specta]
pub fn session(app: State<'_, App>) -> Result<SessionDto, IpcError> {
    let profiles = app.list_profiles().map_err(|error| ipc_error(&app, error))?;
    Ok(SessionDto {
        unlocked: app.unlocked_profile().map(ProfileDto::from),
        profiles: profiles.into_iter().map(ProfileDto::from).collect(),
        auto_lock_minutes: app.auto_lock_minutes(),
    })
}

/// Creates a profile; the recovery key in the answer is shown once.
#[tauri::command]
#[specta::specta]
pub fn create_profile(app: State<'_, App>, name: String, password: String) -> Result<CreatedProfileDto, IpcError> {
    let created = app.create_profile(&name, &password).map_err(|error| ipc_error(&app, error))?;
    Ok(CreatedProfileDto {
        keyring_unavailable: created.keyring_warning.is_some(),
        profile: created.profile.into(),
        recovery_key: created.recovery_key,
    })
}

/// Unlocks a profile with its password.
#[tauri::command]
#[specta::specta]
pub fn unlock(app: State<'_, App>, profile_id: String, password: String) -> Result<ProfileDto, IpcError> {
    app.unlock(&profile_id, &password).map(ProfileDto::from).map_err(|error| ipc_error(&app, error))
}

/// Locks the open profile now.
#[tauri::command]
#[specta::specta]
pub fn lock(app: State<'_, App>) {
    app.lock();
}

/// Tells Tirek the user is active, postponing auto-lock.
#[tauri::command]
#[specta::specta]
pub fn touch(app: State<'_, App>) {
    app.touch();
}

/// Changes a profile's password.
#[tauri::command]
#[specta::specta]
pub fn change_password(
    app: State<'_, App>,
    profile_id: String,
    old_password: String,
    new_password: String,
) -> Result<(), IpcError> {
    app.change_password(&profile_id, &old_password, &new_password).map_err(|error| ipc_error(&app, error))
}

/// Sets the auto-lock time in minutes; answers the time actually set.
#[tauri::command]
#[specta::specta]
pub fn set_auto_lock_minutes(app: State<'_, App>, minutes: u32) -> Result<u32, IpcError> {
    app.set_auto_lock_minutes(minutes).map_err(|error| ipc_error(&app, error))
}

/// The backup folder, how many backups are kept, and the newest one.
#[tauri::command]
#[specta::specta]
pub fn backup_status(app: State<'_, App>) -> Result<BackupStatusDto, IpcError> {
    app.backup_status().map(BackupStatusDto::from).map_err(|error| ipc_error(&app, error))
}

/// Chooses the backup folder (none to stop daily backups) and how many to keep.
#[tauri::command]
#[specta::specta]
pub fn set_backup_settings(
    app: State<'_, App>,
    folder: Option<String>,
    kept: u32,
) -> Result<BackupStatusDto, IpcError> {
    let folder = folder.filter(|folder| !folder.trim().is_empty()).map(|folder| PathBuf::from(folder.trim()));
    app.set_backup_settings(folder.as_deref(), kept).map(BackupStatusDto::from).map_err(|error| ipc_error(&app, error))
}

/// Chooses the backup folder in the system's folder dialog (opened at the current
/// one), keeping the number of backups kept; answers the new settings, or `None`
/// when the dialog was cancelled — then nothing changes. A folder the dialog cannot
/// reach, such as some network shares, is typed instead (`set_backup_settings`).
#[tauri::command]
#[specta::specta]
pub async fn choose_backup_folder(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    title: String,
) -> Result<Option<BackupStatusDto>, IpcError> {
    use tauri_plugin_dialog::DialogExt as _;
    let current = app.backup_status().map_err(|error| ipc_error(&app, error))?;
    let mut dialog = handle.dialog().file().set_title(title);
    if let Some(folder) = &current.folder {
        dialog = dialog.set_directory(folder);
    }
    let Some(folder) = chosen_folder(dialog.blocking_pick_folder()) else { return Ok(None) };
    app.set_backup_settings(Some(&folder), current.kept)
        .map(|status| Some(BackupStatusDto::from(status)))
        .map_err(|error| ipc_error(&app, error))
}

/// The folder a dialog answered: `None` when it was cancelled or named no folder on
/// this computer's file system (a URL other than `file://`).
fn chosen_folder(picked: Option<tauri_plugin_dialog::FilePath>) -> Option<PathBuf> {
    picked.and_then(|picked| picked.into_path().ok())
}

/// Backs the open profile up into the backup folder now.
#[tauri::command]
#[specta::specta]
pub fn backup_now(app: State<'_, App>) -> Result<BackupStatusDto, IpcError> {
    app.backup_now()
        .and_then(|_| app.backup_status())
        .map(BackupStatusDto::from)
        .map_err(|error| ipc_error(&app, error))
}

/// Sets a new password with the recovery key (a forgotten password, a new computer),
/// then unlocks with it.
#[tauri::command]
#[specta::specta]
pub fn recover_profile(
    app: State<'_, App>,
    profile_id: String,
    recovery_key: String,
    new_password: String,
) -> Result<ProfileDto, IpcError> {
    app.reset_password(&profile_id, &recovery_key, &new_password)
        .and_then(|()| app.unlock(&profile_id, &new_password))
        .map(ProfileDto::from)
        .map_err(|error| ipc_error(&app, error))
}

/// Makes the recovery sheet of a just-created profile and saves it where the user
/// picks in the system's save dialog. Answers the path saved to, or none when the
/// dialog was cancelled. Async: the dialog must not block the window's thread.
#[tauri::command]
#[specta::specta]
pub async fn save_recovery_sheet(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    profile_id: String,
    recovery_key: String,
) -> Result<Option<String>, IpcError> {
    use tauri_plugin_dialog::DialogExt as _;
    let profile = app.find_profile(Some(&profile_id)).map_err(|error| ipc_error(&app, error))?;
    let pdf = app.recovery_sheet(&profile, &recovery_key, app.language()).map_err(|error| ipc_error(&app, error))?;
    let chosen = handle
        .dialog()
        .file()
        .add_filter("PDF", &["pdf"])
        .set_file_name("tirek-recovery-sheet.pdf")
        .blocking_save_file()
        .and_then(|path| path.into_path().ok());
    let Some(path) = chosen else { return Ok(None) };
    app.save_document(&path, &pdf).map_err(|error| ipc_error(&app, error))?;
    Ok(Some(path.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tauri_plugin_dialog::FilePath;

    #[test]
    fn a_chosen_folder_becomes_a_path_and_a_cancelled_dialog_nothing() {
        assert_eq!(chosen_folder(None), None, "cancelled");
        let usb = PathBuf::from("/media/айгүл/USB/Tirek резерв");
        assert_eq!(chosen_folder(Some(FilePath::Path(usb.clone()))), Some(usb.clone()));
        // Some dialogs answer with a file URL, its Cyrillic and spaces escaped.
        let url = tauri::Url::from_directory_path(&usb).unwrap();
        assert!(url.as_str().starts_with("file:///media/%D0%B0"), "{url}");
        assert_eq!(chosen_folder(Some(FilePath::Url(url))), Some(usb));
        let not_a_folder = tauri::Url::parse("content://com.android.externalstorage.documents/tree/primary").unwrap();
        assert_eq!(chosen_folder(Some(FilePath::Url(not_a_folder))), None);
    }
}
