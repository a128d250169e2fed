//! The commands of the services directory, referral letters and the other printed
//! documents (handout, client summary), and the clinic's logo. Each calls one
//! `tirek-app` function; files go through the system's dialogs, called from Rust.
//! A saved document can be opened in the system's viewer — only one this window
//! saved, so the page cannot have any file opened.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use tauri::State;
use tirek_app::{
    App, ClinicInput, ImportSummary, LetterPreview, ReferralInput, ReferralQuery, ReferralView, ServiceInput,
    ServiceQuery, ServiceView,
};

use crate::commands::ipc_error;
use crate::ipc::{IpcError, LanguageCode};

type Answer<T> = Result<T, IpcError>;

macro_rules! call {
    ($app:ident, $expr:expr) => {
        $expr.map_err(|error| ipc_error(&$app, error))
    };
}

/// The documents this window saved, which it may open in the system's viewer.
#[derive(Default)]
pub struct Saved(Mutex<HashSet<PathBuf>>);

/// A document saved where the user chose, and the characters its fonts lacked.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SavedDocument {
    /// Where it went; `None` when the dialog was cancelled.
    pub path: Option<String>,
    /// Characters printed as "?" (none, nearly always).
    pub missing: Vec<String>,
}

/// Asks where to save `file_name`; `None` when the dialog was cancelled.
fn choose(handle: &tauri::AppHandle, filter: (&str, &str), file_name: &str) -> Option<PathBuf> {
    use tauri_plugin_dialog::DialogExt as _;
    handle
        .dialog()
        .file()
        .add_filter(filter.0, &[filter.1])
        .set_file_name(file_name)
        .blocking_save_file()
        .and_then(|path| path.into_path().ok())
}

/// Writes `bytes` to `path`, whole or not at all, and remembers it may be opened.
fn write(app: &App, saved: &Saved, path: PathBuf, bytes: &[u8], missing: &[char]) -> Answer<SavedDocument> {
    call!(app, app.save_document(&path, bytes))?;
    saved.0.lock().unwrap_or_else(|e| e.into_inner()).insert(path.clone());
    Ok(SavedDocument { path: Some(path.display().to_string()), missing: missing.iter().map(char::to_string).collect() })
}

/// Asks where to save `file_name` and writes `bytes` there.
fn save(
    handle: &tauri::AppHandle,
    app: &App,
    saved: &Saved,
    filter: (&str, &str),
    file_name: &str,
    bytes: &[u8],
    missing: &[char],
) -> Answer<SavedDocument> {
    match choose(handle, filter, file_name) {
        Some(path) => write(app, saved, path, bytes, missing),
        None => Ok(SavedDocument { path: None, missing: Vec::new() }),
    }
}

/// Asks for a file to read; `None` when cancelled.
pub(crate) fn pick(handle: &tauri::AppHandle, title: String, filter: (&str, &str)) -> Option<PathBuf> {
    use tauri_plugin_dialog::DialogExt as _;
    handle
        .dialog()
        .file()
        .set_title(title)
        .add_filter(filter.0, &[filter.1])
        .blocking_pick_file()
        .and_then(|path| path.into_path().ok())
}

/// Opens a document this window saved in the system's viewer.
#[tauri::command]
#[specta::specta]
pub fn open_saved(app: State<'_, App>, saved: State<'_, Saved>, path: String) -> Answer<()> {
    let path = PathBuf::from(path);
    if !saved.0.lock().unwrap_or_else(|e| e.into_inner()).contains(&path) {
        return Err(ipc_error(&app, tirek_app::AppError::CannotOpen));
    }
    let opener = if cfg!(target_os = "windows") {
        std::process::Command::new("explorer").arg(&path).spawn()
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(&path).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(&path).spawn()
    };
    opener.map(drop).map_err(|err| {
        tracing::warn!(error = %err, "the system viewer did not start");
        ipc_error(&app, tirek_app::AppError::CannotOpen)
    })
}

/// The services directory, filtered.
#[tauri::command]
#[specta::specta]
pub fn services(app: State<'_, App>, query: ServiceQuery) -> Answer<Vec<ServiceView>> {
    call!(app, app.services(&query))
}

/// Adds a service; returns its id.
#[tauri::command]
#[specta::specta]
pub fn add_service(app: State<'_, App>, input: ServiceInput) -> Answer<String> {
    call!(app, app.add_service(&input))
}

/// Saves an edited service.
#[tauri::command]
#[specta::specta]
pub fn update_service(app: State<'_, App>, id: String, input: ServiceInput) -> Answer<()> {
    call!(app, app.update_service(&id, &input))
}

/// Takes a service off the directory.
#[tauri::command]
#[specta::specta]
pub fn archive_service(app: State<'_, App>, id: String) -> Answer<()> {
    call!(app, app.archive_service(&id))
}

/// Adds the example services.
#[tauri::command]
#[specta::specta]
pub fn add_example_services(app: State<'_, App>) -> Answer<ImportSummary> {
    call!(app, app.add_example_services())
}

/// Imports services from a CSV file the user picks; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_services(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    title: String,
) -> Answer<Option<ImportSummary>> {
    let Some(path) = pick(&handle, title, ("CSV", "csv")) else { return Ok(None) };
    call!(app, app.import_services(&path)).map(Some)
}

/// Saves the directory as CSV where the user chooses.
#[tauri::command]
#[specta::specta]
pub async fn export_services(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    saved: State<'_, Saved>,
) -> Answer<SavedDocument> {
    let csv = call!(app, app.services_csv(None))?;
    save(&handle, &app, &saved, ("CSV", "csv"), "tirek-services.csv", &csv, &[])
}

/// Starts a referral letter for a client (refused without consent to referral).
#[tauri::command]
#[specta::specta]
pub fn start_referral(app: State<'_, App>, client_id: String) -> Answer<ReferralView> {
    call!(app, app.start_referral(&client_id))
}

/// One letter.
#[tauri::command]
#[specta::specta]
pub fn referral(app: State<'_, App>, id: String) -> Answer<ReferralView> {
    call!(app, app.referral(&id))
}

/// Saves the composer's fields (a draft).
#[tauri::command]
#[specta::specta]
pub fn save_referral_draft(app: State<'_, App>, id: String, input: ReferralInput) -> Answer<ReferralView> {
    call!(app, app.save_referral_draft(&id, &input))
}

/// Throws a draft away.
#[tauri::command]
#[specta::specta]
pub fn discard_referral(app: State<'_, App>, id: String) -> Answer<()> {
    call!(app, app.discard_referral(&id))
}

/// The letter as the preview shows it.
#[tauri::command]
#[specta::specta]
pub fn letter_preview(app: State<'_, App>, id: String) -> Answer<LetterPreview> {
    call!(app, app.letter_preview(&id))
}

/// Asks where to save the letter, then issues it (its number is given here) and
/// saves the original there; cancelling the dialog leaves the draft a draft.
#[tauri::command]
#[specta::specta]
pub async fn issue_referral(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    saved: State<'_, Saved>,
    id: String,
) -> Answer<SavedDocument> {
    let Some(path) = choose(&handle, ("PDF", "pdf"), "tirek-letter.pdf") else {
        return Ok(SavedDocument { path: None, missing: Vec::new() });
    };
    let printed = call!(app, app.issue_referral(&id))?;
    write(&app, &saved, path, &printed.pdf, &printed.missing)
}

/// Saves a letter's PDF again: a draft marked as such, an issued one as a copy.
#[tauri::command]
#[specta::specta]
pub async fn save_referral_pdf(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    saved: State<'_, Saved>,
    id: String,
) -> Answer<SavedDocument> {
    let printed = call!(app, app.referral_pdf(&id))?;
    let name = tirek_app::letter_file_name(&printed.letter);
    save(&handle, &app, &saved, ("PDF", "pdf"), &name, &printed.pdf, &printed.missing)
}

/// Marks a letter delivered, attended or declined.
#[tauri::command]
#[specta::specta]
pub fn set_referral_status(
    app: State<'_, App>,
    id: String,
    status: String,
    date: String,
    note: String,
) -> Answer<ReferralView> {
    call!(app, app.set_referral_status(&id, &status, &date, &note))
}

/// The letter register.
#[tauri::command]
#[specta::specta]
pub fn referrals(app: State<'_, App>, query: ReferralQuery) -> Answer<Vec<ReferralView>> {
    call!(app, app.referrals(&query))
}

/// Saves the parent's handout of district services, in `language`.
#[tauri::command]
#[specta::specta]
pub async fn save_handout(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    saved: State<'_, Saved>,
    client_id: String,
    language: LanguageCode,
) -> Answer<SavedDocument> {
    let printed = call!(app, app.handout_pdf(&client_id, language.into()))?;
    save(&handle, &app, &saved, ("PDF", "pdf"), "tirek-support-services.pdf", &printed.pdf, &printed.missing)
}

/// Saves the one-page client summary, in `language`.
#[tauri::command]
#[specta::specta]
pub async fn save_client_summary(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    saved: State<'_, Saved>,
    client_id: String,
    language: LanguageCode,
) -> Answer<SavedDocument> {
    let printed = call!(app, app.client_summary_pdf(&client_id, language.into()))?;
    save(&handle, &app, &saved, ("PDF", "pdf"), "tirek-client-summary.pdf", &printed.pdf, &printed.missing)
}

/// Makes a PNG the user picks the clinic's logo; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_clinic_logo(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    title: String,
) -> Answer<Option<ClinicInput>> {
    let Some(path) = pick(&handle, title, ("PNG", "png")) else { return Ok(None) };
    call!(app, app.set_clinic_logo(&path)).map(Some)
}

/// Removes the clinic's logo.
#[tauri::command]
#[specta::specta]
pub fn remove_clinic_logo(app: State<'_, App>) -> Answer<ClinicInput> {
    call!(app, app.remove_clinic_logo())
}
