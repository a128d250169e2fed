//! Every main screen at 1366×768 — the screen of a typical clinic PC — in Kazakh,
//! Russian and English, on a demo caseload with open risk flags, questionnaire
//! histories and follow-ups. Each screenshot passes the harness's checks: the fonts
//! loaded, every character drawn by a bundled font in a bundled weight, no English
//! sentence in a Kazakh or Russian window, no raw message id, no error shown.

use anyhow::Result;
use tirek_e2e::{App, tirek};

use crate::frame::PASSWORD;

#[test]
fn every_main_screen_reads_whole_in_three_languages() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let password = format!("{PASSWORD}\n");
    // Made in Kazakh, as a clinic in Turkistan would: the demo's example services come
    // in the language the caseload is made in.
    let kazakh = "kk_KZ.UTF-8";
    tirek(data_dir.path(), kazakh, &["--password-stdin", "profile", "create", "--name", "Әлия Нұрланқызы"], &password)?;
    tirek(
        data_dir.path(),
        kazakh,
        &["--password-stdin", "demo", "seed", "--clients", "60", "--seed", "11"],
        &password,
    )?;

    let mut app = App::start("tour", data_dir.path())?;
    app.screenshot("unlock")?;
    app.unlock(PASSWORD)?;
    app.expect_gone("[data-testid=gate]")?;

    for language in ["kk", "ru", "en"] {
        app.click(&format!("[data-testid=language-{language}]"))?;
        app.click("[data-testid=nav-caseload]")?;
        app.find("[data-testid=caseload-row]")?;
        app.screenshot(&format!("{language}-caseload"))?;

        // A family with an open risk flag: its page, its trend, a consultation and a
        // questionnaire being given.
        app.click("[data-testid=caseload-open-flags]")?;
        app.find("[data-testid=caseload-flag-badge]")?;
        app.click("[data-testid=caseload-row]")?;
        app.find("[data-testid=client-risk-tag]")?;
        // What she does most at full weight; papers and rare actions in two menus.
        let weighty = app.execute(
            "return [...document.querySelectorAll('[data-testid=client-page] .header .actions-row > button, \
               [data-testid=client-page] .header .actions-row > details > summary')]\
               .filter(b => b.getClientRects().length > 0).length",
        )?;
        assert_eq!(weighty, 5, "three actions and two menus on the client's header");
        app.screenshot(&format!("{language}-client"))?;
        app.click("[data-testid=client-papers-open]")?;
        app.find("[data-testid=client-summary]")?;
        app.screenshot(&format!("{language}-client-papers"))?;
        app.keys("\u{E00C}")?; // Escape closes the menu
        app.find("[data-testid=assessment-trend]")?;
        app.execute("document.querySelector('[data-testid=assessment-trend]').scrollIntoView({block: 'center'});")?;
        app.screenshot(&format!("{language}-client-trend"))?;
        app.click("button[data-testid=timeline-entry]")?;
        app.find("[data-testid=consultation-editor]")?;
        app.screenshot(&format!("{language}-consultation"))?;
        app.click("[data-testid=back]")?;
        app.click("[data-testid=assessment-give]")?;
        app.find("[data-testid=assess-item]")?;
        // The instrument's long name is never cut off in its selector.
        let fits = app.execute(
            "const select = document.querySelector('[data-testid=assess-instrument]'); \
             const context = document.createElement('canvas').getContext('2d'); \
             context.font = getComputedStyle(select).font; \
             return context.measureText(select.selectedOptions[0].textContent).width + 32 <= select.clientWidth;",
        )?;
        assert_eq!(fits, true, "the chosen questionnaire's name fits its selector");
        // Reached by the keyboard (Page Down from the item before), the last answers
        // stay above the sticky score.
        app.execute(
            "const items = document.querySelectorAll('[data-testid=assess-item]'); \
             items[items.length - 2].querySelector('input').focus();",
        )?;
        app.keys("\u{E00F}")?;
        let uncovered = app.execute(
            "const items = document.querySelectorAll('[data-testid=assess-item]'); \
             const option = items[items.length - 1].querySelector('input').closest('label'); \
             const box = option.getBoundingClientRect(); \
             const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2); \
             return option.contains(hit);",
        )?;
        assert_eq!(uncovered, true, "the last answer, focused, is not under the sticky score");
        app.screenshot(&format!("{language}-questionnaire"))?;
        app.click("[data-testid=back]")?;
        app.find("[data-testid=client-page]")?;
        app.click("[data-testid=nav-caseload]")?;
        app.click("[data-testid=caseload-open-flags]")?;

        app.click("[data-testid=nav-agenda]")?;
        app.click("[data-testid=agenda-week]")?;
        app.screenshot(&format!("{language}-agenda"))?;
        app.click("[data-testid=nav-questionnaires]")?;
        app.find("[data-testid=latest-result]")?;
        app.screenshot(&format!("{language}-questionnaires"))?;
        app.click("[data-testid=nav-letters]")?;
        app.screenshot(&format!("{language}-letters"))?;
        app.click("[data-testid=tab-services]")?;
        app.screenshot(&format!("{language}-services"))?;
        app.click("[data-testid=nav-settings]")?;
        app.screenshot(&format!("{language}-settings"))?;
    }
    Ok(())
}
