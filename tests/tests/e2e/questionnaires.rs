//! A PHQ-9 in the real window: the mother fills it in on the screen, one large item
//! at a time, with item 9 positive; the screen comes back only with the
//! psychologist's password; the consultation cannot be signed until the risk form
//! is complete; a later PHQ-9 shows reliable improvement on the trend.

use anyhow::Result;
use tirek_domain::date::Date;
use tirek_e2e::App;

use crate::frame::PASSWORD;

#[test]
fn a_positive_item_9_blocks_signing_until_the_risk_form_and_a_later_score_shows_improvement() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let mut app = App::start("questionnaires", data_dir.path())?;
    app.create_profile("Айгүл Серікова", PASSWORD)?;
    app.click("[data-testid=nav-caseload]")?;
    app.click("[data-testid=caseload-new-client]")?;
    app.type_into("[data-testid=client-family_name]", "Нұрланова")?;
    app.type_into("[data-testid=client-given_name]", "Әлия")?;
    app.click("[data-testid=client-save]")?;
    app.expect_text_containing("[data-testid=client-name]", "Нұрланова Әлия")?;

    // Today's consultation, ready to sign but for the questionnaire.
    app.click("[data-testid=consultation-new]")?;
    app.type_into("[data-testid=consult-duration_minutes]", "45")?;
    app.type_into("[data-testid=consult-notes]", "PHQ-9 on the screen.")?;
    app.expect_text_containing("[data-testid=consult-save-status]", "Saved")?;
    app.click("[data-testid=back]")?;

    // The mother fills it in on her own screen.
    app.click("[data-testid=assessment-fill]")?;
    app.select("[data-testid=assess-instrument]", "phq9")?;
    app.select("[data-testid=assess-by]", "parent")?;
    // Four weeks ago, so that the later one sits apart on the chart.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
    let four_weeks_ago = Date::in_kazakhstan(now).plus_days(-28);
    app.replace_text("[data-testid=assess-taken-on]", &four_weeks_ago.dotted())?;
    app.screenshot("administering")?;
    app.click("[data-testid=parent-mode-start]")?;
    app.find("[data-testid=parent-mode]")?;
    let answers = [2, 2, 2, 2, 1, 1, 1, 1, 1];
    for (index, answer) in answers.iter().enumerate() {
        let item = index + 1;
        app.expect_text_containing("[data-testid=parent-progress]", &format!("{item} / 9"))?;
        app.click(&format!("[data-testid=parent-option-{item}-{answer}]"))?;
        if item == 5 {
            app.screenshot("parent-mode")?;
        }
        if item < 9 {
            app.click("[data-testid=parent-next]")?;
        }
    }
    app.click("[data-testid=parent-done]")?;
    app.screenshot("hand-back")?;
    // A wrong password keeps the parent's screen; the right one saves.
    app.type_into("[data-testid=parent-exit-password]", "not the password at all")?;
    app.click("[data-testid=parent-exit]")?;
    app.find("[data-testid=parent-exit-password-error]")?;
    app.find("[data-testid=parent-mode]")?;
    app.type_into("[data-testid=parent-exit-password]", PASSWORD)?;
    app.click("[data-testid=parent-exit]")?;
    app.expect_gone("[data-testid=parent-mode]")?;
    app.find("[data-testid=risk-banner]")?;
    // Unmistakable wherever she appears until it is resolved: the page's header, the
    // follow-ups that are missing, the caseload row, the questionnaires overview.
    app.expect_text("[data-testid=client-risk-tag]", "! Risk flag")?;
    app.find("[data-testid=followups-none-risk]")?;
    app.screenshot("risk-banner")?;
    app.click("[data-testid=nav-caseload]")?;
    app.expect_text_containing("[data-testid=caseload-row] [data-testid=caseload-flag-badge]", "Risk flag")?;
    app.screenshot("caseload-flag")?;
    app.click("[data-testid=nav-questionnaires]")?;
    app.expect_text_containing("[data-testid=latest-result] [data-testid=latest-result-flag]", "Risk flag")?;
    app.screenshot("overview-flag")?;
    app.click("[data-testid=latest-result] button.link")?;
    app.find("[data-testid=client-risk-tag]")?;

    // The consultation cannot be signed while the risk form is missing, and says so
    // instead of "ready to sign": Sign stays disabled.
    app.click("button[data-testid=timeline-entry]")?;
    app.expect_text_containing("[data-testid=consult-risk-form-needed]", "Нұрланова Әлия")?;
    app.expect_text_containing("[data-testid=consult-risk-form-needed]", "risk form")?;
    assert_eq!(app.attribute("[data-testid=consult-sign]", "disabled")?.as_deref(), Some("true"));
    assert_eq!(app.execute("return !!document.querySelector('[data-testid=consult-ready]')")?, false);
    app.screenshot("cannot-sign")?;
    app.click("[data-testid=consult-open-risk-form]")?;

    app.select("[data-testid=risk-level]", "moderate")?;
    app.type_into("[data-testid=risk-actions]", "Talked it through; no plan, no means at home.")?;
    app.type_into("[data-testid=risk-safety_plan]", "Calls her sister when the thoughts come.")?;
    app.type_into("[data-testid=risk-contacts]", "112; the polyclinic psychologist")?;
    app.click("[data-testid=risk-sign]")?;
    app.click("[data-testid=risk-sign-confirm]")?;
    app.find("[data-testid=risk-signed]")?;
    app.screenshot("risk-form-signed")?;

    // A signed risk form does not close the flag: it stays shown until resolved.
    app.find("[data-testid=client-risk-tag]")?;
    app.click("button[data-testid=timeline-entry]")?;
    app.find("[data-testid=consult-ready]")?;
    app.click("[data-testid=consult-sign]")?;
    app.expect_text_containing("[data-testid=consult-sign-what]", "Нұрланова Әлия")?;
    app.screenshot("sign-confirm")?;
    app.click("[data-testid=consult-sign-confirm]")?;
    app.find("[data-testid=consult-signed]")?;
    app.click("[data-testid=back]")?;

    // Weeks later (recorded the same day here): all "not at all" — a 12-point drop.
    app.click("[data-testid=assessment-fill]")?;
    app.select("[data-testid=assess-instrument]", "phq9")?;
    app.select("[data-testid=assess-by]", "clinician")?;
    for item in 1..=9 {
        app.click(&format!("[data-testid=assess-option-{item}-0]"))?;
    }
    app.expect_text_containing("[data-testid=assess-total]", "0")?;
    app.click("[data-testid=assess-save]")?;
    app.expect_text_containing("[data-testid=assessments]", "Reliable improvement")?;
    app.find("[data-testid=assessment-trend]")?;
    // Placed by date: four weeks apart, the later one lower (the centres of their marks
    // in screen pixels, y down: the chart is drawn unscaled). The first, which raised a
    // risk flag (item 9), is the diamond with "!", explained in the legend.
    let points = app.execute(
        "return [...document.querySelectorAll('[data-testid=trend-point] :is(circle.dot, path.flag)')]\
           .map(m => { const r = m.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });",
    )?;
    let points: Vec<(f64, f64)> = serde_json::from_value(points)?;
    assert_eq!(points.len(), 2, "{points:?}");
    assert!(points[1].0 - points[0].0 > 300.0 && points[1].1 > points[0].1, "{points:?}");
    let flagged = app.execute(
        "return [...document.querySelectorAll('[data-testid=trend-point]')].map(g => g.classList.contains('flagged'));",
    )?;
    assert_eq!(flagged, serde_json::json!([true, false]), "the first raised the risk flag");
    app.expect_text_containing("[data-testid=trend-legend]", "Raised a risk flag")?;
    app.execute("document.querySelector('[data-testid=assessment-trend]').scrollIntoView({block: 'center'});")?;
    app.screenshot("reliable-improvement")?;

    // Item by item: item 9 was 1, then 0.
    app.click("[data-testid=assessment-items] summary")?;
    app.expect_text_containing(
        "[data-testid=assessment-items] tbody tr:nth-child(9)",
        "9. Thoughts that you would be better off dead",
    )?;
    let cells = app.execute(
        "return [...document.querySelectorAll('[data-testid=assessment-items] tbody tr:nth-child(9) td')]\
           .map(td => td.textContent.trim());",
    )?;
    assert_eq!(cells, serde_json::json!(["1", "0"]), "item 9, oldest first");
    app.execute("document.querySelector('[data-testid=assessment-items]').scrollIntoView({block: 'center'});")?;
    app.screenshot("item-by-item")?;

    // Across the caseload: her latest PHQ-9, improved.
    app.click("[data-testid=nav-questionnaires]")?;
    app.expect_text_containing("[data-testid=latest-result]", "Нұрланова Әлия")?;
    app.expect_text_containing("[data-testid=latest-result]", "Reliable improvement")?;
    app.screenshot("overview")?;
    Ok(())
}

#[test]
fn a_clinic_installs_its_licensed_pba_text_from_settings() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let files = tempfile::tempdir()?;
    // The clinic's licensed copy: the shipped scoring file with every item's text.
    let shipped = std::fs::read_to_string(tirek_e2e::root().join("instruments/pba.toml"))?;
    let mut licensed = shipped.replace("licensed_text = true", "licensed_text = false");
    for n in (1..=23).rev() {
        let id = format!("id = \"{n}\"\n");
        let with_text = format!(
            "{id}en = \"Licensed item {n}\"\nru = \"Лицензионный пункт {n}\"\nkk = \"Лицензиялық тармақ {n}\"\n"
        );
        licensed = licensed.replacen(&id, &with_text, 1);
    }
    let file = files.path().join("pba-licensed.toml");
    std::fs::write(&file, licensed)?;

    let mut app = App::start("licensed-text", data_dir.path())?;
    app.create_profile("Айгүл Серікова", PASSWORD)?;
    app.click("[data-testid=nav-settings]")?;
    app.find("[data-testid=instrument-pba] [data-testid=instrument-needs-text]")?;
    app.choose_in_file_dialog("[data-testid=instrument-import]", &file)?;
    app.expect_text_containing("[data-testid=instrument-import-message]", "is installed")?;
    app.find("[data-testid=instrument-pba] [data-testid=instrument-ready]")?;
    app.execute("document.querySelector('[data-testid=instrument-settings]').scrollIntoView({block: 'start'});")?;
    app.screenshot("licensed-text-installed")?;
    Ok(())
}
