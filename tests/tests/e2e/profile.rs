//! The profile as a psychologist meets it in the window: the first start creates it
//! and shows the recovery key once; a lock hides everything; a wrong password is
//! explained; unlocking returns to the screen she was on; the recovery key sets a
//! new password when the old one is forgotten.

use anyhow::Result;
use tirek_e2e::App;

use crate::frame::PASSWORD;

#[test]
fn create_lock_fail_once_unlock_and_return_to_the_same_screen() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let mut app = App::start("profile", data_dir.path())?;
    app.expect_text("#gate-heading", "Create your profile")?;
    app.screenshot("first-start")?;

    // A weak password is refused with the reason, at the field.
    app.type_into("[data-testid=create-name]", "Әлия Нұрланқызы")?;
    app.type_into("[data-testid=create-password]", "short")?;
    app.type_into("[data-testid=create-repeat]", "short")?;
    app.click("[data-testid=create-submit]")?;
    let error = app.text("[data-testid=gate-error]")?;
    assert!(error.starts_with("The password needs at least 10 characters"), "{error}");
    assert_eq!(app.attribute("[data-testid=create-password]", "aria-invalid")?.as_deref(), Some("true"));
    app.screenshot_showing_error("weak-password", "at least 10 characters")?;
    app.execute(
        "for (const id of ['create-password', 'create-repeat']) \
         { const input = document.querySelector(`[data-testid=${id}]`); input.value = ''; \
           input.dispatchEvent(new Event('input')); }",
    )?;

    app.type_into("[data-testid=create-password]", PASSWORD)?;
    app.type_into("[data-testid=create-repeat]", PASSWORD)?;
    app.click("[data-testid=create-submit]")?;
    let key = app.text("[data-testid=recovery-key]")?;
    assert_eq!(key.len(), 64, "13 groups of four: {key}");
    assert_eq!(app.attribute("[data-testid=recovery-continue]", "disabled")?.as_deref(), Some("true"));
    app.screenshot("recovery-key")?;
    app.click("[data-testid=recovery-confirm]")?;
    app.click("[data-testid=recovery-continue]")?;
    app.expect_gone("[data-testid=gate]")?;
    app.expect_text("[data-testid=status-profile]", "Әлия Нұрланқызы")?;

    app.click("[data-testid=nav-letters]")?;
    app.expect_text("[data-testid=screen-title]", "Letters")?;
    app.click("[data-testid=lock-now]")?;
    app.expect_text("#gate-heading", "Tirek is locked")?;
    app.screenshot("locked")?;

    app.unlock("not my password at all")?;
    app.expect_text(
        "[data-testid=gate-error]",
        "Wrong password. Check the keyboard language and Caps Lock, then try again.",
    )?;
    app.screenshot_showing_error("wrong-password", "Wrong password")?;

    app.unlock(PASSWORD)?;
    app.expect_gone("[data-testid=gate]")?;
    app.expect_text("[data-testid=screen-title]", "Letters")?;
    assert_eq!(app.attribute("[data-testid=nav-letters]", "aria-current")?.as_deref(), Some("page"));
    app.screenshot("back-where-she-was")?;

    // A forgotten password: the recovery key from the sheet sets a new one. Only the
    // keyboard: the form submits with Enter.
    app.click("[data-testid=lock-now]")?;
    app.click("[data-testid=gate-forgot]")?;
    app.expect_text("#gate-heading", "Open with the recovery key")?;
    app.type_into("[data-testid=recover-key]", &key.to_lowercase().replace('-', " "))?;
    app.type_into("[data-testid=recover-password]", "a new password for spring\u{E007}")?;
    app.expect_gone("[data-testid=gate]")?;
    app.expect_text("[data-testid=screen-title]", "Letters")?;
    app.click("[data-testid=lock-now]")?;
    app.type_into("[data-testid=unlock-password]", "a new password for spring\u{E007}")?;
    app.expect_gone("[data-testid=gate]")?;
    Ok(())
}

#[test]
fn a_backup_is_written_to_the_folder_chosen_in_settings() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let backups = tempfile::tempdir()?;
    let mut app = crate::frame::start_unlocked("backup", data_dir.path())?;
    app.click("[data-testid=nav-settings]")?;
    app.type_into("[data-testid=backup-folder]", &backups.path().display().to_string())?;
    app.click("[data-testid=backup-save]")?;
    app.expect_text("[data-testid=backup-message]", "Saved.")?;
    app.click("[data-testid=backup-now]")?;
    app.expect_text_containing("[data-testid=backup-message]", "Latest backup: tirek-")?;
    let message = app.text("[data-testid=backup-message]")?;
    assert!(message.starts_with("Latest backup: tirek-") && message.ends_with(".tkb"), "{message}");
    let files: Vec<_> = std::fs::read_dir(backups.path())?.collect::<Result<_, _>>()?;
    assert_eq!(files.len(), 1);
    assert_eq!(format!("Latest backup: {}", files[0].file_name().to_string_lossy()), message);
    app.screenshot("settings-backups")?;
    Ok(())
}

#[test]
fn the_recovery_sheet_is_saved_as_pdf_through_the_system_dialog() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let out = tempfile::tempdir()?;
    std::fs::create_dir(out.path().join("Documents"))?;
    let sheet = out.path().join("Documents/tirek-recovery-sheet.pdf");
    let mut app = App::start("sheet", data_dir.path())?;
    app.type_into("[data-testid=create-name]", "Әлия Нұрланқызы")?;
    app.type_into("[data-testid=create-password]", PASSWORD)?;
    app.type_into("[data-testid=create-repeat]", PASSWORD)?;
    app.click("[data-testid=create-submit]")?;
    let key = app.text("[data-testid=recovery-key]")?;

    app.click("[data-testid=recovery-save]")?;
    app.wait_for_window("Save")?;
    app.xdotool(&["key", "ctrl+a"])?;
    app.xdotool(&["type", "--delay", "20", &sheet.display().to_string()])?;
    app.xdotool(&["key", "Return"])?;
    // Said as a person thinks of it: the file and its folder; the full path on hover.
    app.expect_text_containing(
        "[data-testid=gate] [data-testid=saved-file]",
        "Saved as tirek-recovery-sheet.pdf in the folder Documents.",
    )?;
    let hover = app.attribute("[data-testid=gate] [data-testid=saved-file]", "title")?;
    assert_eq!(hover.as_deref(), Some(sheet.display().to_string().as_str()));
    app.screenshot("saved")?;

    let text = std::process::Command::new("pdftotext").arg(&sheet).arg("-").output()?;
    let text = String::from_utf8(text.stdout)?;
    assert!(text.contains("Profile: Әлия Нұрланқызы"), "{text}");
    assert!(text.contains(&key[..19]), "the key's first line: {text}");
    Ok(())
}

#[test]
fn the_first_run_works_with_the_keyboard_alone() -> Result<()> {
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    let data_dir = tempfile::tempdir()?;
    let mut app = App::start("keyboard", data_dir.path())?;
    // The name field has the focus; Tab moves on, Enter submits.
    app.keys(&format!("Әлия Нұрланқызы{TAB}{PASSWORD}{TAB}{PASSWORD}{ENTER}"))?;
    app.find("[data-testid=recovery-key]")?;
    // The confirmation has the focus: Space ticks it, Tab reaches Continue.
    app.keys(&format!(" {TAB}{ENTER}"))?;
    app.expect_gone("[data-testid=gate]")?;
    app.expect_text("[data-testid=status-profile]", "Әлия Нұрланқызы")?;
    app.screenshot("unlocked")?;
    Ok(())
}

#[test]
fn an_idle_window_locks_itself_after_the_chosen_time() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let mut app = crate::frame::start_unlocked("auto-lock", data_dir.path())?;
    app.click("[data-testid=nav-settings]")?;
    app.execute(
        "const select = document.querySelector('[data-testid=auto-lock]'); \
         select.value = '5'; select.dispatchEvent(new Event('change'));",
    )?;
    // The shortest choice in the window is five minutes; one minute is the floor the
    // app accepts, set here through the same command to keep the test short.
    app.execute("window.__TAURI_INTERNALS__.invoke('set_auto_lock_minutes', { minutes: 1 })")?;
    app.click("[data-testid=nav-letters]")?;
    let started = std::time::Instant::now();
    // No input from here on: Rust's timer locks after a minute of inactivity.
    app.find_within("[data-testid=gate]", std::time::Duration::from_secs(90))?;
    assert!(started.elapsed() >= std::time::Duration::from_secs(50), "locked too early: {:?}", started.elapsed());
    app.expect_text("#gate-heading", "Tirek is locked")?;
    app.screenshot("locked-when-idle")?;
    app.unlock(PASSWORD)?;
    app.expect_gone("[data-testid=gate]")?;
    app.expect_text("[data-testid=screen-title]", "Letters")?;
    Ok(())
}
