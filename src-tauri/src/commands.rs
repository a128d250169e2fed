//! The commands the window calls. Each takes its input, calls one `tirek-app`
//! function and converts the result; anything that needs an `if` about Tirek's
//! rules belongs in `tirek-app` instead.

use tauri::State;
use tirek_app::App;
use tirek_i18n::Messages;

use crate::ipc::{AppInfoDto, IpcError, LanguageCode};

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
    app.set_language(language.into()).map_err(|error| IpcError::from_app(error, &Messages::new(app.language())))
}
