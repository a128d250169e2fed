//! The sync commands: the status line, enrolment in Settings → Server, pausing,
//! "Sync now", disconnecting, settling a conflict and the USB bundles (their files
//! chosen in the system's dialogs). The background sync itself runs on a timer
//! thread of its own ([`spawn_background_sync`]).

use tauri::State;
use tirek_app::{App, BundleWritten, EnrolInput, Enrolled, ServerCertificate, SyncStatus};

use crate::commands::ipc_error;
use crate::ipc::IpcError;

type Answer<T> = Result<T, IpcError>;

/// Where sync stands, from the profile alone (no network): cheap enough to poll.
#[tauri::command]
#[specta::specta]
pub fn sync_status(app: State<'_, App>) -> Answer<SyncStatus> {
    app.sync_status().map_err(|error| ipc_error(&app, error))
}

/// The certificate a server shows, for comparison with the administrator's
/// fingerprint before enrolling. Waits for the network, so it runs off the window's
/// thread.
#[tauri::command]
#[specta::specta]
pub async fn sync_probe(app: State<'_, App>, server: String) -> Answer<ServerCertificate> {
    app.sync_probe(&server).map_err(|error| ipc_error(&app, error))
}

/// Enrols the unlocked profile with the server, pinning the certificate shown.
#[tauri::command]
#[specta::specta]
pub async fn sync_enrol(app: State<'_, App>, input: EnrolInput) -> Answer<Enrolled> {
    let enrolled = app.sync_enrol(&input).map_err(|error| ipc_error(&app, error))?;
    app.sync_soon();
    Ok(enrolled)
}

/// "Sync now": the background sync runs at its next step (within a second).
#[tauri::command]
#[specta::specta]
pub fn sync_soon(app: State<'_, App>) {
    app.sync_soon();
}

/// Pauses the background sync, or lets it go on.
#[tauri::command]
#[specta::specta]
pub fn sync_set_paused(app: State<'_, App>, paused: bool) -> Answer<SyncStatus> {
    app.sync_set_paused(paused).and_then(|()| app.sync_status()).map_err(|error| ipc_error(&app, error))
}

/// Disconnects the profile from its server; every record stays.
#[tauri::command]
#[specta::specta]
pub fn sync_unenrol(app: State<'_, App>) -> Answer<SyncStatus> {
    app.sync_unenrol().and_then(|()| app.sync_status()).map_err(|error| ipc_error(&app, error))
}

/// Writes what waits to go into a USB bundle in a folder the user picks (the file
/// is named by the app, never after a client); `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn sync_bundle_export(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    title: String,
) -> Answer<Option<BundleWritten>> {
    use tauri_plugin_dialog::DialogExt as _;
    let folder = handle.dialog().file().set_title(title).blocking_pick_folder().and_then(|path| path.into_path().ok());
    let Some(folder) = folder else { return Ok(None) };
    app.sync_bundle_export(&folder).map(Some).map_err(|error| ipc_error(&app, error))
}

/// What importing a server's answer did, for the line under the bundle buttons.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct BundleImported {
    /// Changes the server now confirms having (stored, or had already).
    pub confirmed: u32,
    /// Changes of other computers recorded here.
    pub pulled: u32,
    /// The same answer was imported before: nothing changed.
    pub already_imported: bool,
}

/// Imports the server's answer bundle from a file the user picks; `None` when the
/// dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn sync_bundle_import(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    title: String,
) -> Answer<Option<BundleImported>> {
    let Some(path) = crate::letters::pick(&handle, title, ("Tirek", tirek_app::BUNDLE_EXTENSION)) else {
        return Ok(None);
    };
    let summary = app.sync_bundle_import(&path).map_err(|error| ipc_error(&app, error))?;
    Ok(Some(BundleImported {
        confirmed: summary.stored + summary.duplicates,
        pulled: summary.pulled,
        already_imported: summary.already_imported,
    }))
}

/// Settles a conflict by keeping one version of the field (`None`: the empty one).
#[tauri::command]
#[specta::specta]
pub fn settle_review(
    app: State<'_, App>,
    entity: String,
    record_id: String,
    field: String,
    value: Option<String>,
) -> Answer<SyncStatus> {
    app.settle_review(&entity, &record_id, &field, value.as_deref()).map_err(|error| ipc_error(&app, error))
}

/// Every second: lets the background sync notice an unlock, a save, the
/// connection's return or its next time, and run (in this thread, so the window
/// never waits for the network).
pub(crate) fn spawn_background_sync(handle: tauri::AppHandle) {
    use tauri::Manager as _;
    std::thread::Builder::new()
        .name("tirek-sync".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
                let app = handle.state::<App>();
                match app.sync_in_background() {
                    Some(Ok(summary)) => {
                        tracing::info!(pushed = summary.pushed, pulled = summary.pulled, "background sync done")
                    }
                    Some(Err(error)) => tracing::info!(error = ?error, "background sync did not finish"),
                    None => {}
                }
            }
        })
        .expect("the sync thread starts");
}
