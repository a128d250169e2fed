//! The sync commands: the status line, enrolment in Settings → Server, pausing,
//! "Sync now", disconnecting and settling a conflict. The background sync itself
//! runs on a timer thread of its own ([`spawn_background_sync`]).

use tauri::State;
use tirek_app::{App, EnrolInput, Enrolled, ServerCertificate, SyncStatus};

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
