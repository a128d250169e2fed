//! A psychologist's first family in the real window: a client with a child and a
//! consent, a consultation drafted, signed and corrected with an addendum, a
//! follow-up from its next step, the client found again by typing Kazakh letters,
//! and the follow-up waiting in the agenda; a lock mid-sentence loses nothing. A screenshot after each step.

use anyhow::Result;
use tirek_domain::date::Date;
use tirek_e2e::App;

use crate::frame::PASSWORD;

pub(crate) fn today() -> Date {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("a clock after 1970");
    Date::in_kazakhstan(now.as_millis() as i64)
}

#[test]
fn a_family_from_first_visit_to_the_agenda() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    let mut app = App::start("caseload", data_dir.path())?;
    app.create_profile("Айгүл Серікова", PASSWORD)?;
    app.click("[data-testid=nav-caseload]")?;
    app.expect_text("[data-testid=empty-state] h2", "No families yet")?;
    app.screenshot("empty-caseload")?;

    // The client form checks as she types: a mistyped IIN is explained at its field.
    app.click("[data-testid=caseload-new-client]")?;
    app.type_into("[data-testid=client-family_name]", "Нұрланова")?;
    app.type_into("[data-testid=client-given_name]", "Әлия")?;
    app.type_into("[data-testid=client-iin]", "870512400059")?;
    app.expect_text_containing("[data-testid=client-form]", "last digit does not match")?;
    app.screenshot_showing_error("iin-typo", "last digit does not match")?;
    app.type_into("[data-testid=client-iin]", "\u{E003}8")?; // Backspace, the right digit
    app.expect_gone("[data-testid=field-error]")?;
    app.type_into("[data-testid=client-birth_date]", "12.05.1987")?;
    app.type_into("[data-testid=client-phone]", "8 701 234 56 78")?;
    app.select("[data-testid=client-region]", "turkistan")?;
    app.select("[data-testid=client-district]", "turkistan.sairam")?;
    app.screenshot("client-form")?;
    app.click("[data-testid=client-save]")?;
    app.expect_text_containing("[data-testid=client-name]", "Нұрланова Әлия")?;
    // The title bar says where she is, not just "Caseload".
    app.expect_text_containing("[data-testid=screen-detail]", "Нұрланова Әлия")?;
    app.screenshot("client-page")?;

    // Her son.
    app.click("[data-testid=child-add]")?;
    app.type_into("[data-testid=child-name]", "Ерасыл")?;
    app.type_into("[data-testid=child-birth_date]", "01.03.2016")?;
    app.select("[data-testid=child-disability]", "child")?;
    app.type_into("[data-testid=child-diagnosis]", "Балалардың церебралдық сал ауруы")?;
    app.type_into("[data-testid=child-icd10]", "G80.1")?;
    app.click("[data-testid=child-save]")?;
    app.expect_text_containing("[data-testid=child]", "Ерасыл")?;
    app.screenshot("child")?;

    // Her consent to referrals, given today on the signed paper form.
    app.click("[data-testid=consent-add]")?;
    app.select("[data-testid=consent-scope]", "referral")?;
    app.select("[data-testid=consent-given-by]", "client")?;
    app.select("[data-testid=consent-method]", "signed_paper")?;
    app.type_into("[data-testid=consent-given-on]", &today().dotted())?;
    app.click("[data-testid=consent-save]")?;
    app.find("[data-testid=consent-chip-referral][data-active=true]")?;
    app.screenshot("consent")?;

    // The consultation: typed, saved as a draft on its own, signed, then corrected.
    app.click("[data-testid=consultation-new]")?;
    app.find("[data-testid=consultation-editor]")?;
    app.expect_text_containing("[data-testid=screen-detail]", "Consultation")?;
    app.type_into("[data-testid=consult-duration_minutes]", "45")?;
    app.type_into("[data-testid=consult-concerns]", "Шаршау, түнде ұйықтай алмайды")?;
    app.click("[data-testid=consult-intervention-psychoeducation]")?;
    app.type_into("[data-testid=consult-notes]", "Ана өзін жалғыз сезінеді.")?;
    app.type_into("[data-testid=consult-next_step]", "Екі аптадан кейін қоңырау шалу")?;
    app.expect_text_containing("[data-testid=consult-save-status]", "Saved")?;
    app.screenshot("draft-saved")?;
    // Locked mid-sentence: what was typed is saved, and she is back in the editor.
    app.type_into("[data-testid=consult-notes]", " Күйеуі вахтада")?;
    app.click("[data-testid=lock-now]")?;
    app.unlock(PASSWORD)?;
    app.expect_gone("[data-testid=gate]")?;
    app.find("[data-testid=consultation-editor]")?;
    app.click("[data-testid=consult-sign]")?;
    // The confirmation says what is signed and that it becomes final.
    app.expect_text_containing("[data-testid=consult-sign-what]", "Нұрланова Әлия")?;
    app.expect_text_containing("[data-testid=consult-sign-dialog]", "cannot be changed")?;
    app.screenshot("sign-confirm")?;
    app.click("[data-testid=consult-sign-confirm]")?;
    app.find("[data-testid=consult-signed]")?;
    app.expect_text_containing("[data-testid=consultation-editor]", "Ана өзін жалғыз сезінеді. Күйеуі вахтада")?;
    app.type_into("[data-testid=addendum-text]", "Түзету: кездесу 50 минутқа созылды.")?;
    app.click("[data-testid=addendum-add]")?;
    app.expect_text_containing("[data-testid=addendum]", "Түзету: кездесу 50 минутқа созылды.")?;
    app.screenshot("signed-with-addendum")?;

    // The next step becomes a follow-up: "in two weeks" suggests the date two weeks
    // on, said to be a suggestion; a blank date is refused, never taken for today.
    app.click("[data-testid=followup-from-next-step]")?;
    let in_two_weeks = today().plus_days(14).dotted();
    app.find("[data-testid=followup-due-suggested]")?;
    assert_eq!(
        app.execute("return document.querySelector('[data-testid=followup-due-on]').value")?,
        in_two_weeks.as_str()
    );
    app.screenshot("follow-up-suggested")?;
    app.execute("const input = document.querySelector('[data-testid=followup-due-on]'); input.value = ''; input.dispatchEvent(new Event('input', {bubbles: true}));")?;
    app.click("[data-testid=followup-save]")?;
    app.find("[data-testid=followup-form] [data-testid=field-error]")?;
    app.screenshot_showing_error("follow-up-no-date", "This field is required")?;
    app.type_into("[data-testid=followup-due-on]", &in_two_weeks)?;
    app.click("[data-testid=followup-save]")?;
    app.expect_gone("[data-testid=followup-form]")?;
    app.screenshot("follow-up")?;

    // Back to the list: typing Kazakh letters finds her.
    app.click("[data-testid=back]")?;
    while app.execute("return !!document.querySelector('[data-testid=back]')")?.as_bool() == Some(true) {
        app.click("[data-testid=back]")?;
    }
    app.type_into("[data-testid=caseload-search]", "әли")?;
    app.expect_text_containing("[data-testid=caseload-row]", "Нұрланова Әлия")?;
    app.expect_text_containing("[data-testid=caseload-total]", "1")?;
    app.screenshot("search")?;

    // And the follow-up is in the agenda two weeks on, not today.
    app.click("[data-testid=nav-agenda]")?;
    app.click("[data-testid=agenda-day]")?;
    app.expect_gone("[data-testid=agenda-item]")?;
    for _ in 0..14 {
        app.click("[data-testid=agenda-next]")?;
    }
    app.expect_text_containing("[data-testid=agenda-item]", "Нұрланова Әлия")?;
    app.expect_text_containing("[data-testid=agenda-item]", "Екі аптадан кейін қоңырау шалу")?;
    app.screenshot("agenda")?;
    Ok(())
}
