//! A referral letter in the real window: the clinic's letterhead and signatory set
//! in Settings; the letter refused without consent, written once consent is
//! recorded, previewed as it will print, issued with its number and saved through
//! the system dialog; then followed in the register; and the services directory.

use anyhow::Result;
use tirek_domain::date::Date;
use tirek_domain::referral::series_of;
use tirek_e2e::App;

use crate::frame::PASSWORD;

fn today() -> Date {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    Date::in_kazakhstan(now.as_millis() as i64)
}

#[test]
fn a_referral_letter_from_consent_to_outcome_and_the_services_directory() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let out = tempfile::tempdir()?;
    std::fs::create_dir(out.path().join("Documents"))?;
    let pdf = out.path().join("Documents/tirek-letter.pdf");
    let mut app = App::start("letters", data_dir.path())?;
    app.create_profile("Айгүл Серікова", PASSWORD)?;

    // The clinic: letterhead, number prefix and who signs.
    app.click("[data-testid=nav-settings]")?;
    app.type_into("[data-testid=clinic-name]", "Сайрам аудандық емханасы")?;
    app.type_into("[data-testid=clinic-bin]", "040140001236")?;
    app.type_into("[data-testid=clinic-letter_prefix]", "СЕ")?;
    app.click("[data-testid=clinic-signatory-add]")?;
    app.type_into("[data-testid=clinic-signatory-name-0]", "Әбдірахманов Нұрлан")?;
    app.type_into("[data-testid=clinic-signatory-position-0]", "Бас дәрігер")?;
    app.click("[data-testid=clinic-save]")?;
    app.expect_text_containing("[data-testid=clinic-message]", "saved")?;

    app.click("[data-testid=nav-caseload]")?;
    app.click("[data-testid=caseload-new-client]")?;
    app.type_into("[data-testid=client-family_name]", "Нұрланова")?;
    app.type_into("[data-testid=client-given_name]", "Әлия")?;
    app.select("[data-testid=client-region]", "turkistan")?;
    app.select("[data-testid=client-district]", "turkistan.sairam")?;
    app.select("[data-testid=client-language]", "ru")?;
    app.click("[data-testid=client-save]")?;
    app.expect_text_containing("[data-testid=client-name]", "Нұрланова Әлия")?;

    // No letter without consent: the page says what to do.
    app.click("[data-testid=letter-new]")?;
    app.expect_text_containing("[data-testid=client-notice]", "consent")?;
    app.screenshot_showing_error("letter-needs-consent", "consent")?;
    app.click("[data-testid=consent-add]")?;
    app.select("[data-testid=consent-scope]", "referral")?;
    app.select("[data-testid=consent-given-by]", "client")?;
    app.select("[data-testid=consent-method]", "signed_paper")?;
    app.type_into("[data-testid=consent-given-on]", &today().dotted())?;
    app.click("[data-testid=consent-save]")?;
    app.find("[data-testid=consent-chip-referral][data-active=true]")?;

    // The composer: typed recipient, reason, request; the preview follows.
    app.click("[data-testid=letter-new]")?;
    app.find("[data-testid=letter-composer]")?;
    app.type_into("[data-testid=letter-recipient]", "Түркістан облыстық оңалту орталығы")?;
    app.type_into("[data-testid=letter-reason]", "Мать два года без отдыха; сын нуждается в курсе реабилитации.")?;
    app.type_into("[data-testid=letter-service_requested]", "Курс реабилитации для сына")?;
    app.select("[data-testid=letter-urgency]", "soon")?;
    app.expect_text_containing("[data-testid=letter-save-status]", "Draft saved")?;
    app.expect_text_containing("[data-testid=letter-paper]", "Курс реабилитации для сына")?;
    app.expect_text_containing("[data-testid=letter-paper]", "Направление")?;
    app.expect_text_containing("[data-testid=letter-paper]", "Әбдірахманов Нұрлан")?;
    app.screenshot("composer")?;

    app.click("[data-testid=letter-issue]")?;
    app.click("[data-testid=letter-issue-confirm]")?;
    app.wait_for_window("Save")?;
    app.xdotool(&["key", "ctrl+a"])?;
    app.xdotool(&["type", "--delay", "20", &pdf.display().to_string()])?;
    app.xdotool(&["key", "Return"])?;
    app.find("[data-testid=letter-detail]")?;
    app.expect_text_containing("[data-testid=letter-status]", "Issued")?;
    let shown = app.text("[data-testid=letter-paper-number]")?;
    let number = shown.trim_start_matches("№ ").trim();
    assert!(
        number.starts_with("СЕ-") && number.ends_with("/0001") && series_of(number).is_some(),
        "СЕ-NNNN-NNNN/0001, only digits after the prefix: {shown}"
    );
    app.screenshot("issued")?;

    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output()?;
    let text = String::from_utf8(text.stdout)?;
    assert!(text.contains("Нұрланова Әлия") && text.contains("Курс реабилитации для сына"), "{text}");
    assert!(text.contains(number), "{text}");

    // Followed in the register: delivered, then attended with a note.
    // Nothing is preselected: the status is what she says happened.
    assert_eq!(app.execute("return document.querySelector('[data-testid=letter-mark-status]').value")?, "");
    assert_eq!(app.attribute("[data-testid=letter-mark-save]", "disabled")?.as_deref(), Some("true"));
    app.select("[data-testid=letter-mark-status]", "attended")?;
    app.type_into("[data-testid=letter-mark-note]", "Принята, курс с января")?;
    app.click("[data-testid=letter-mark-save]")?;
    app.expect_text_containing("[data-testid=letter-status]", "Attended")?;
    app.expect_text_containing("[data-testid=letter-detail]", "Принята, курс с января")?;
    // Attended is final: nothing left to mark.
    app.expect_gone("[data-testid=letter-mark-status]")?;
    app.screenshot("attended")?;
    app.click("[data-testid=back]")?;
    app.expect_text_containing("[data-testid=register-row]", "Attended")?;
    app.screenshot("register")?;
    // Issued from tomorrow on: none.
    app.type_into("[data-testid=register-from]", &today().plus_days(1).dotted())?;
    app.expect_text_containing("[data-testid=register]", "No letters match")?;
    app.replace_text("[data-testid=register-from]", &today().dotted())?;
    app.expect_text_containing("[data-testid=register-row]", "Attended")?;

    // The directory: the example list, one district.
    app.click("[data-testid=tab-services]")?;
    app.click("[data-testid=services-examples]")?;
    app.expect_text_containing("[data-testid=services-notice]", "7")?;
    app.select("[data-testid=services-district]", "turkistan.sairam")?;
    app.expect_text_containing("[data-testid=services]", "example — replace")?;
    app.screenshot("services")?;
    Ok(())
}
