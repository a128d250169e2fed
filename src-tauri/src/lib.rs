//! Tirek's window: the Tauri shell around `tirek-app`, and the typed IPC the Svelte
//! UI in `ui/` calls.
//!
//! Invariants: only this crate knows Tauri; each command is a few lines that call
//! one `tirek-app` function and convert its result into an IPC type from [`ipc`];
//! the TypeScript in `ui/src/lib/bindings.ts` is generated from [`specta_builder`]
//! and a test fails when it is stale (`cargo xtask codegen` refreshes it).

mod caseload;
mod commands;
pub mod ipc;
mod letters;
mod sync;

use std::path::PathBuf;

use tauri_specta::{Builder, collect_commands};
use tirek_app::App;

/// The commands the window may call, as one builder so that the running app and
/// the bindings generator can never disagree.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new().commands(collect_commands![
        commands::app_info,
        commands::set_language,
        commands::session,
        commands::create_profile,
        commands::unlock,
        commands::lock,
        commands::touch,
        commands::change_password,
        commands::set_auto_lock_minutes,
        commands::backup_status,
        commands::set_backup_settings,
        commands::backup_now,
        commands::choose_backup_folder,
        commands::recover_profile,
        commands::save_recovery_sheet,
        caseload::regions,
        caseload::check_client,
        caseload::create_client,
        caseload::update_client,
        caseload::set_client_archived,
        caseload::caseload,
        caseload::client_detail,
        caseload::add_child,
        caseload::update_child,
        caseload::give_consent,
        caseload::withdraw_consent,
        caseload::start_consultation,
        caseload::save_consultation_draft,
        caseload::add_attendee,
        caseload::remove_attendee,
        caseload::discard_consultation,
        caseload::sign_consultation,
        caseload::add_addendum,
        caseload::consultation,
        caseload::suggest_due_date,
        caseload::add_follow_up,
        caseload::set_follow_up_done,
        caseload::agenda,
        caseload::erase_client,
        caseload::export_client,
        caseload::save_consent_form,
        caseload::save_client_record_pdf,
        caseload::clinic,
        caseload::set_clinic,
        caseload::instruments,
        caseload::instrument_form,
        caseload::score_answers,
        caseload::add_assessment,
        caseload::assessments,
        caseload::assessment_trends,
        caseload::latest_results,
        caseload::import_instrument,
        caseload::raise_flag,
        caseload::sign_risk_form,
        caseload::resolve_flag,
        caseload::confirm_password,
        caseload::schedule_instrument,
        caseload::stop_schedule,
        caseload::schedules,
        letters::open_saved,
        letters::services,
        letters::add_service,
        letters::update_service,
        letters::archive_service,
        letters::add_example_services,
        letters::import_services,
        letters::export_services,
        letters::start_referral,
        letters::referral,
        letters::save_referral_draft,
        letters::discard_referral,
        letters::letter_preview,
        letters::issue_referral,
        letters::save_referral_pdf,
        letters::set_referral_status,
        letters::referrals,
        letters::save_handout,
        letters::save_client_summary,
        letters::choose_clinic_logo,
        letters::remove_clinic_logo,
        sync::sync_status,
        sync::sync_probe,
        sync::sync_enrol,
        sync::sync_soon,
        sync::sync_set_paused,
        sync::sync_unenrol,
        sync::settle_review,
        sync::sync_bundle_export,
        sync::sync_bundle_import,
    ])
}

/// The TypeScript bindings for [`specta_builder`], as committed in `ui/src/lib/bindings.ts`.
pub fn typescript_bindings() -> String {
    let path = std::env::temp_dir().join(format!("tirek-bindings-{}.ts", std::process::id()));
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated from src-tauri by `cargo xtask codegen`. Do not edit.\n"),
            &path,
        )
        .expect("the command types export to TypeScript");
    let text = std::fs::read_to_string(&path).expect("read the exported bindings");
    let _ = std::fs::remove_file(&path);
    text
}

/// Starts the window.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TIREK_LOG").unwrap_or_else(|_| "warn,tirek=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let data_dir = tirek_app::resolve_data_dir(data_dir_argument(std::env::args().skip(1)));
    let (app, problems) = App::start(&data_dir);
    for problem in &problems {
        // The window shows data-folder problems itself (see `AppInfo`); the log keeps
        // the whole chain for whoever supports the clinic.
        tracing::warn!(error = ?problem, "startup problem");
    }

    let builder = specta_builder();
    tauri::Builder::default()
        // The save dialog, called from Rust only: the page gets no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        .manage(app)
        .manage(letters::Saved::default())
        .invoke_handler(builder.invoke_handler())
        .setup(move |handle| {
            builder.mount_events(handle);
            spawn_auto_lock(handle.handle().clone());
            sync::spawn_background_sync(handle.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Tauri runtime starts");
}

/// Every few seconds: locks the open profile once it has been idle for the auto-lock
/// time, and (every ten minutes) takes the daily backup when one is due. It runs
/// beside the page, so a frozen page cannot keep a profile open; the window notices
/// the lock when it next asks for the session.
fn spawn_auto_lock(handle: tauri::AppHandle) {
    use tauri::Manager as _;
    std::thread::spawn(move || {
        for tick in 0u64.. {
            std::thread::sleep(std::time::Duration::from_secs(5));
            let app = handle.state::<App>();
            if app.lock_if_idle() {
                tracing::info!("locked after the idle time");
            }
            if tick % 120 == 6 {
                match app.backup_if_due() {
                    Ok(Some(_)) => tracing::info!("daily backup written"),
                    Ok(None) => {}
                    Err(error) => tracing::warn!(error = ?error, "daily backup failed"),
                }
            }
        }
    });
}

/// `--data-dir DIR` or `--data-dir=DIR` on the desktop binary's command line, as in
/// the CLI. Anything else is left to Tauri.
fn data_dir_argument(args: impl Iterator<Item = String>) -> Option<PathBuf> {
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(value));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_bindings_are_fresh() {
        let committed_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let fresh = typescript_bindings();
        if std::env::var_os("TIREK_UPDATE_BINDINGS").is_some() {
            std::fs::write(&committed_path, &fresh).expect("write ui/src/lib/bindings.ts");
            return;
        }
        let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
        assert!(committed == fresh, "ui/src/lib/bindings.ts is stale: run `cargo xtask codegen` and commit the result");
    }

    #[test]
    fn the_data_dir_argument_is_found_in_both_spellings() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter();
        assert_eq!(data_dir_argument(args(&["--data-dir", "/a"])), Some("/a".into()));
        assert_eq!(data_dir_argument(args(&["-x", "--data-dir=/b"])), Some("/b".into()));
        assert_eq!(data_dir_argument(args(&["--data-dir"])), None);
        assert_eq!(data_dir_argument(args(&[])), None);
    }
}
