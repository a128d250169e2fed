//! The app frame: navigation, the language switch and its persistence, the empty
//! screens, the About facts, a data folder that refuses writes, and 125% zoom.

use anyhow::Result;
use tirek_e2e::App;

/// Every section and what its navigation item says in each language.
const NAVIGATION: [(&str, &str, &str, &str); 5] = [
    ("caseload", "Caseload", "Клиенты", "Клиенттер"),
    ("agenda", "Agenda", "Календарь", "Күнтізбе"),
    ("questionnaires", "Questionnaires", "Опросники", "Сауалнамалар"),
    ("letters", "Letters", "Письма", "Хаттар"),
    ("settings", "Settings", "Настройки", "Баптаулар"),
];

/// A psychologist's password in the tests.
pub const PASSWORD: &str = "тау бұлақ өзен 2026";

/// Starts Tirek on a fresh data folder and creates a profile at the gate.
pub fn start_unlocked(test: &str, data_dir: &std::path::Path) -> Result<App> {
    let mut app = App::start(test, data_dir)?;
    app.create_profile("Әлия Нұрланқызы", PASSWORD)?;
    Ok(app)
}

#[test]
fn switching_to_kazakh_translates_the_window_and_survives_a_restart() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    {
        let mut app = App::start("kazakh", data_dir.path())?;
        // A first start follows the system locale, which the harness sets to English;
        // the language can be chosen before the first profile is created.
        app.expect_text("#gate-heading", "Create your profile")?;
        app.click("[data-testid=gate] [data-testid=language-kk]")?;
        app.expect_text("#gate-heading", "Профиліңізді жасаңыз")?;
        app.screenshot("gate-kazakh")?;
        app.create_profile("Әлия Нұрланқызы", PASSWORD)?;
        for (id, _, _, kazakh) in NAVIGATION {
            app.expect_text(&format!("[data-testid=nav-{id}]"), kazakh)?;
        }
        app.expect_text("[data-testid=screen-title]", "Клиенттер")?;
        assert_eq!(app.attribute("[data-testid=language-kk]", "aria-pressed")?.as_deref(), Some("true"));
        assert_eq!(app.execute("return document.documentElement.lang")?, "kk");
        app.screenshot("kazakh")?;
    }

    let mut app = App::start("kazakh-restarted", data_dir.path())?;
    app.expect_text("#gate-heading", "Профиліңізді ашыңыз")?;
    app.unlock(PASSWORD)?;
    app.expect_text("[data-testid=nav-caseload]", "Клиенттер")?;
    assert_eq!(app.attribute("[data-testid=language-kk]", "aria-pressed")?.as_deref(), Some("true"));
    app.screenshot("after-restart")?;

    app.click("[data-testid=language-ru]")?;
    for (id, _, russian, _) in NAVIGATION {
        app.expect_text(&format!("[data-testid=nav-{id}]"), russian)?;
    }
    app.screenshot("russian")?;
    Ok(())
}

#[test]
fn every_section_says_what_will_be_there() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let mut app = start_unlocked("sections", data_dir.path())?;
    app.click("[data-testid=language-kk]")?;
    let headings = [
        ("caseload", "Клиенттер", "Әзірге отбасылар жоқ"),
        ("agenda", "Күнтізбе", "Ештеңе жоспарланбаған"),
        ("questionnaires", "Сауалнамалар", "Сауалнамалар әлі жүргізілмеген"),
        ("letters", "Хаттар", "Әзірге хаттар жоқ"),
    ];
    for (id, title, heading) in headings {
        app.click(&format!("[data-testid=nav-{id}]"))?;
        app.expect_text("[data-testid=screen-title]", title)?;
        app.expect_text("[data-testid=empty-state] h2", heading)?;
        assert_eq!(app.attribute(&format!("[data-testid=nav-{id}]"), "aria-current")?.as_deref(), Some("page"));
        app.screenshot(id)?;
    }
    app.expect_text("[data-testid=status-profile]", "Әлия Нұрланқызы")?;
    Ok(())
}

#[test]
fn settings_show_the_version_and_the_data_folder() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let mut app = start_unlocked("settings", data_dir.path())?;
    app.click("[data-testid=nav-settings]")?;
    app.expect_text("[data-testid=screen-title]", "Settings")?;
    app.expect_text("[data-testid=about-version]", env!("CARGO_PKG_VERSION"))?;
    app.expect_text("[data-testid=about-data-dir]", &data_dir.path().display().to_string())?;
    // What a user reads to the person helping her: no developer's words.
    let about = app.text("[data-testid=about]")?;
    assert!(!about.contains("debug") && !about.contains("release"), "{about}");
    app.screenshot("about")?;
    Ok(())
}

#[test]
fn a_data_folder_that_refuses_writes_is_reported_in_the_window() -> Result<()> {
    let parent = tempfile::tempdir()?;
    // A path below a regular file can never be created, even by root (as in CI).
    let blocker = parent.path().join("blocker");
    std::fs::write(&blocker, b"not a folder")?;
    let data_dir = blocker.join("tirek");

    let mut app = App::start("unwritable", &data_dir)?;
    let banner = app.text("[data-testid=data-dir-problem]")?;
    assert!(banner.contains("Tirek cannot save anything"), "{banner}");
    assert!(banner.contains(&data_dir.display().to_string()), "{banner}");
    app.screenshot_showing_error("banner", "Tirek cannot save anything")?;

    // The window keeps working: the language still switches, and the notice says in
    // the new language why the choice will not be remembered.
    app.click("[data-testid=language-ru]")?;
    app.expect_text("[data-testid=nav-caseload]", "Клиенты")?;
    let notice = app.text("[data-testid=notice]")?;
    assert!(notice.contains("Tirek не смог записать на диск"), "{notice}");
    assert!(notice.contains(&data_dir.display().to_string()), "{notice}");
    app.screenshot_showing_error("notice", "Tirek не смог записать на диск")?;
    Ok(())
}

#[test]
fn the_frame_fits_at_125_percent_zoom() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let mut app = start_unlocked("zoom", data_dir.path())?;
    app.click("[data-testid=language-kk]")?;
    app.execute("document.documentElement.style.zoom = '1.25'")?;
    for (id, _, _, kazakh) in NAVIGATION {
        app.expect_text(&format!("[data-testid=nav-{id}]"), kazakh)?;
    }
    let overflow = app.execute(
        "const root = document.documentElement; \
         return [root.scrollWidth - root.clientWidth, root.scrollHeight - root.clientHeight]",
    )?;
    assert_eq!(overflow, serde_json::json!([0, 0]), "the frame scrolls as a whole at 125%");
    app.screenshot("kazakh-125")?;
    // WebDriver clicks by coordinates, which CSS zoom skews; click from the page.
    app.execute("document.querySelector('[data-testid=nav-settings]').click()")?;
    app.expect_text("[data-testid=screen-title]", "Баптаулар")?;
    app.screenshot("settings-125")?;
    Ok(())
}
