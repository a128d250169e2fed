//! The shipped questionnaires scored against their published rules with worked
//! examples — through the same function the window and `tirek instrument score`
//! call — and a client's results over time judged by reliable change.

use std::sync::Arc;

use tirek_app::{App, AppError, AssessmentInput, ClientInput};
use tirek_domain::Language;
use tirek_store::MemoryKeyring;

const PASSWORD: &str = "тау бұлақ өзен 2026";

fn app() -> (tempfile::TempDir, App) {
    let folder = tempfile::tempdir().unwrap();
    let app = App::start_with(folder.path(), Arc::new(MemoryKeyring::default())).0.with_fast_key_derivation_for_tests();
    app.set_language(Language::English).unwrap();
    (folder, app)
}

/// An unlocked profile and the id of one client in it.
fn with_client(app: &App, family: &str, given: &str) -> String {
    let id = app.create_profile("Әлия", PASSWORD).unwrap().profile.id;
    app.unlock(&id, PASSWORD).unwrap();
    let client = ClientInput {
        family_name: family.into(),
        given_name: given.into(),
        language: "kk".into(),
        ..ClientInput::default()
    };
    app.create_client(&client).unwrap()
}

fn score(app: &App, id: &str, answers: &[i32]) -> (Option<f64>, Option<String>, Vec<String>) {
    let answers: Vec<Option<i32>> = answers.iter().copied().map(Some).collect();
    let score = app.score(id, &answers).unwrap();
    (score.total, score.band, score.flags)
}

#[test]
fn phq9_sums_nine_items_with_bands_at_every_boundary_and_flags_item_nine() {
    let (_folder, app) = app();
    for (answers, total, band) in [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0.0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4.0, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5.0, "mild"),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1], 9.0, "mild"),
        ([2, 1, 1, 1, 1, 1, 1, 1, 1], 10.0, "moderate"),
        ([2, 2, 2, 2, 2, 1, 1, 1, 1], 14.0, "moderate"),
        ([2, 2, 2, 2, 2, 2, 1, 1, 1], 15.0, "moderately_severe"),
        ([3, 3, 3, 2, 2, 2, 2, 2, 0], 19.0, "moderately_severe"),
        ([3, 3, 3, 3, 2, 2, 2, 2, 0], 20.0, "severe"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27.0, "severe"),
    ] {
        let (got, got_band, _) = score(&app, "phq9", &answers);
        assert_eq!((got, got_band.as_deref()), (Some(total), Some(band)), "{answers:?}");
    }
    let (_, _, flags) = score(&app, "phq9", &[0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(flags, ["phq9-item9"], "item 9 positive at a minimal total still flags");
    let (_, _, flags) = score(&app, "phq9", &[3, 3, 3, 3, 2, 2, 2, 2, 0]);
    assert_eq!(flags, ["phq9-severe"]);
}

#[test]
fn missing_answers_are_prorated_within_tolerance_and_beyond_it_the_window_is_told_why() {
    let (_folder, app) = app();
    let one_missing =
        app.score("phq9", &[Some(2), Some(2), Some(2), Some(2), None, Some(2), Some(2), Some(2), Some(0)]).unwrap();
    assert_eq!((one_missing.total, one_missing.missing), (Some(16.0), 1), "14 over 8 items, scaled to 9");
    let two_missing =
        app.score("phq9", &[Some(2), None, Some(2), Some(2), None, Some(2), Some(2), Some(2), Some(1)]).unwrap();
    assert_eq!((two_missing.total, two_missing.band), (None, None));
    assert_eq!(two_missing.no_total_reason.as_deref(), Some("No total: 2 items are unanswered, and at most 1 may be."));
    assert_eq!(two_missing.flags, ["phq9-item9"], "a positive item 9 is never lost to missing answers");
}

#[test]
fn pss10_reverses_items_4_5_7_and_8() {
    let (_folder, app) = app();
    // All "never": the four positive items count 4 each.
    assert_eq!(score(&app, "pss10", &[0; 10]).0, Some(16.0));
    assert_eq!(score(&app, "pss10", &[4, 4, 4, 0, 0, 4, 0, 0, 4, 4]).0, Some(40.0));
    assert_eq!(score(&app, "pss10", &[2; 10]).0, Some(20.0));
}

#[test]
fn who5_multiplies_the_raw_score_by_four_and_flags_low_well_being() {
    let (_folder, app) = app();
    let (total, band, flags) = score(&app, "who5", &[3, 3, 3, 3, 3]);
    assert_eq!((total, flags.is_empty()), (Some(60.0), true));
    assert!(band.is_some());
    let (total, _, flags) = score(&app, "who5", &[2, 2, 2, 2, 2]);
    assert_eq!(total, Some(40.0));
    assert!(flags.contains(&"who5-low".to_owned()), "raw 10 < 13: {flags:?}");
    let (_, _, flags) = score(&app, "who5", &[5, 5, 5, 5, 1]);
    assert!(flags.contains(&"who5-item-low".to_owned()), "any item at 0–1: {flags:?}");
    assert!(!flags.contains(&"who5-low".to_owned()));
}

#[test]
fn the_cbi_is_the_mean_of_its_items_on_0_to_100() {
    let (_folder, app) = app();
    let (total, band, _) = score(&app, "cbi-personal", &[100, 100, 100, 0, 0, 0]);
    assert_eq!((total, band.as_deref()), (Some(50.0), Some("high")));
    let (total, band, _) = score(&app, "cbi-personal", &[75, 50, 25, 50, 25, 50]);
    assert_eq!(band.as_deref(), Some("low"));
    assert!((total.unwrap() - 45.833).abs() < 0.01);
}

#[test]
fn gad7_bands_and_the_pba_severe_flag() {
    let (_folder, app) = app();
    assert_eq!(score(&app, "gad7", &[1, 1, 1, 1, 1, 0, 0]).1.as_deref(), Some("mild"));
    assert_eq!(score(&app, "gad7", &[3, 3, 3, 3, 3, 0, 0]).1.as_deref(), Some("severe"));
    let mut pba = [4; 23];
    pba[0] = 0;
    pba[1] = 2; // 4 × 21 + 2 = 86
    let (total, band, flags) = score(&app, "pba", &pba);
    assert_eq!((total, band.as_deref()), (Some(86.0), Some("severe")));
    assert_eq!(flags, ["pba-severe"]);
    pba[1] = 1;
    assert_eq!(score(&app, "pba", &pba).2, Vec::<String>::new());
}

#[test]
fn bad_answers_are_refused_with_a_reason_never_a_wrong_score() {
    let (_folder, app) = app();
    let messages = tirek_i18n::Messages::new(Language::English);
    let error = app.score("phq9", &[Some(1); 8]).unwrap_err();
    assert_eq!(error.localized(&messages), "This questionnaire has 9 items; 8 answers were given.");
    let error = app
        .score("phq9", &[Some(1), Some(4), Some(1), Some(1), Some(1), Some(1), Some(1), Some(1), Some(1)])
        .unwrap_err();
    assert_eq!(error.localized(&messages), "Item 2: 4 is not one of the answers offered.");
    assert!(matches!(app.score("beck", &[]), Err(AppError::UnknownInstrument(_))));
}

/// Saves a PHQ-9 filled in by the parent.
fn add_phq9(app: &App, client: &str, date: &str, answers: [i32; 9], language: &str) -> tirek_app::AssessmentView {
    let input = AssessmentInput {
        instrument: "phq9".into(),
        answers: answers.iter().copied().map(Some).collect(),
        language: language.into(),
        administered_by: "parent".into(),
        taken_on: date.into(),
    };
    app.add_assessment(client, &input).unwrap()
}

#[test]
fn the_clients_record_prints_each_questionnaire_with_its_chart_and_score_table() {
    let (_folder, app) = app();
    let client = with_client(&app, "Нұрланова", "Әлия");
    add_phq9(&app, &client, "2026-09-01", [3, 3, 2, 2, 2, 2, 2, 1, 1], "ru");
    add_phq9(&app, &client, "2026-11-01", [1, 1, 1, 1, 1, 1, 1, 1, 0], "kk");
    let pdf = app.client_record_pdf(&client, Language::Russian).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("record.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let output = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "Опросники",
        // The chart: dates under the axis, band names beside it.
        "Минимальная",
        "Тяжёлая",
        // The table: date, score, band, change in words; the threshold under it.
        "01.09.2026",
        "Умеренно тяжёлая",
        "Достоверное улучшение",
        "3,9 балла",
        "не валидирован",
        // The chart's legend: the arrow, the flag the first one raised, the threshold.
        "Достоверное улучшение по сравнению с предыдущей оценкой",
        "Отмечен флаг риска",
        "предварительный: он взят не из опубликованных данных",
    ] {
        assert!(text.contains(expected), "{expected} missing from\n{text}");
    }
    assert_eq!(text.matches("01.11.2026").count(), 2, "the date under the chart and in the table:\n{text}");
    if let Some(keep) = std::env::var_os("TIREK_KEEP_PDF") {
        std::fs::write(keep, &pdf).unwrap();
    }
}

#[test]
fn a_clients_results_over_time_show_reliable_change_with_its_threshold() {
    let (_folder, app) = app();
    let client = with_client(&app, "Нұрланова", "Әлия");
    let add = |date: &str, answers: [i32; 9], language: &str| add_phq9(&app, &client, date, answers, language);
    let first = add("2026-09-01", [3, 3, 2, 2, 2, 2, 2, 1, 1], "ru"); // 18, item 9 positive
    assert_eq!((first.total, first.change.as_deref()), (Some(18.0), None));
    assert_eq!(first.flags, ["phq9-item9"]);
    assert!(!first.translation_not_validated, "the Russian PHQ-9 is the official translation");
    let second = add("2026-10-01", [2, 2, 2, 2, 2, 2, 2, 1, 0], "kk"); // 15: −3
    assert_eq!(second.change.as_deref(), Some("no_reliable_change"));
    assert!(second.translation_not_validated, "the Kazakh text is ours, not validated");
    let third = add("2026-11-01", [1, 1, 1, 1, 1, 1, 1, 1, 0], "ru"); // 8: −7
    assert_eq!(third.change.as_deref(), Some("reliable_improvement"));
    assert!((third.change_threshold.unwrap() - 3.90).abs() < 0.01);
    let history = app.assessments(&client, Some("phq9")).unwrap();
    assert_eq!(history.iter().map(|a| a.total.unwrap()).collect::<Vec<_>>(), [18.0, 15.0, 8.0]);
    let detail = app.client(&client).unwrap();
    assert_eq!(detail.timeline.iter().filter(|e| e.kind == "assessment").count(), 3);

    assert_eq!(third.band_label.as_deref(), Some("Mild"), "the band named in the interface language");

    // The trend: one chart for PHQ-9, points placed by date (a month apart each), the
    // five bands shaded from least to most severe, every item's answers over time.
    let trends = app.assessment_trends(&client).unwrap();
    assert_eq!(trends.len(), 1);
    let trend = &trends[0];
    assert_eq!((trend.instrument.as_str(), trend.name.as_str()), ("phq9", "Patient Health Questionnaire (PHQ-9)"));
    let chart = trend.chart.as_ref().unwrap();
    // Drawn in screen pixels, to fit the client's page on a 1366×768 screen.
    assert_eq!((chart.width, chart.height), (600, 300));
    let xs: Vec<i32> = chart.points.iter().map(|p| p.x).collect();
    assert!(chart.left < xs[0] && xs[2] < chart.right, "{xs:?} inside the plot");
    // 30 days then 31: the middle point sits just left of the middle.
    assert!((xs[1] - (xs[0] + ((xs[2] - xs[0]) as f64 * 30.0 / 61.0).round() as i32)).abs() <= 1, "{xs:?}");
    assert!(chart.points[0].y < chart.points[1].y && chart.points[1].y < chart.points[2].y, "lower scores sit lower");
    assert_eq!(chart.points[2].change.as_deref(), Some("reliable_improvement"));
    assert_eq!(chart.points[0].band_label.as_deref(), Some("Moderately severe"));
    assert_eq!(
        chart.bands.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(),
        ["Minimal", "Mild", "Moderate", "Moderately severe", "Severe"]
    );
    assert_eq!(chart.bands.iter().map(|b| b.severity).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    // Each band named beside the plot with its range; greys darker with severity,
    // adjacent ones apart.
    let lines: Vec<String> = chart.bands[3].lines.iter().map(|l| l.text.clone()).collect();
    assert_eq!(lines, ["Moderately severe", "15–19"]);
    assert!(chart.bands.windows(2).all(|pair| pair[0].grey - pair[1].grey >= 17), "{:?}", chart.bands);
    // Round marks; 27 is the top edge, written in the top band's range.
    assert_eq!(
        chart.ticks.iter().map(|t| t.label.text.as_str()).collect::<Vec<_>>(),
        ["0", "5", "10", "15", "20", "25"]
    );
    assert_eq!(chart.bands[4].range, "20–27");
    // Type readable on the screen; the latest total the largest.
    let latest = chart.points[2].value.as_ref().unwrap();
    assert!(chart.ticks.iter().all(|t| t.label.size >= 13) && latest.size > 13 && latest.bold);
    // The first raised a risk flag (item 9); the last is reliably better, an arrow
    // pointing down since PHQ-9 falls as a parent gets better.
    assert!(chart.points[0].flagged && !chart.points[1].flagged && !chart.points[2].flagged);
    let mark = chart.points[2].mark.as_ref().unwrap();
    assert!(!mark.worse && !mark.up);
    assert!(chart.points[1].mark.is_none(), "no reliable change, no arrow");
    assert_eq!(chart.legend.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(), ["better", "flag", "threshold"]);
    assert_eq!(chart.legend[0].text, "Reliably better than the assessment before");
    assert!(chart.legend[2].text.contains("3.9 points") && chart.legend[2].text.contains("Provisional threshold"));
    assert!(chart.points[2].hint.contains("Reliable improvement (provisional threshold)"), "{}", chart.points[2].hint);
    assert!(chart.points[0].hint.contains("Risk flag raised"), "{}", chart.points[0].hint);
    assert_eq!(trend.dates, ["2026-09-01", "2026-10-01", "2026-11-01"]);
    assert_eq!(trend.items.len(), 9);
    assert_eq!(trend.items[8].answers, [Some(1), Some(0), Some(0)]);
    assert_eq!(trend.items[8].labels[0].as_deref(), Some("Several days"));
    assert!(trend.items[8].text.starts_with("Thoughts that you would be better off dead"), "{}", trend.items[8].text);

    let future = AssessmentInput {
        instrument: "phq9".into(),
        answers: vec![Some(0); 9],
        language: "ru".into(),
        administered_by: "parent".into(),
        taken_on: "2099-01-01".into(),
    };
    assert!(matches!(app.add_assessment(&client, &future), Err(AppError::Invalid(_))));
    assert_eq!(app.assessments(&client, None).unwrap().len(), 3, "nothing half-saved");
}

#[test]
fn a_positive_item_9_raises_a_flag_that_blocks_signing_until_the_risk_form_is_signed() {
    use tirek_app::{CaseloadQuery, ConsultationInput, RiskFormInput};
    let (_folder, app) = app();
    let client = with_client(&app, "Нұрланова", "Әлия");
    let consultation = app.start_consultation(std::slice::from_ref(&client), "").unwrap();
    let form = ConsultationInput {
        format: "individual".into(),
        duration_minutes: "45".into(),
        notes: "PHQ-9 filled in by the mother on the screen.".into(),
        ..app.consultation(&consultation).unwrap().form
    };
    app.save_consultation_draft(&consultation, &form).unwrap();
    let input = AssessmentInput {
        instrument: "phq9".into(),
        answers: [1, 1, 1, 1, 1, 0, 0, 0, 2].iter().copied().map(Some).collect(),
        language: "kk".into(),
        administered_by: "parent".into(),
        taken_on: String::new(),
    };
    let saved = app.add_assessment(&client, &input).unwrap();
    assert_eq!(saved.flags, ["phq9-item9"]);

    let flags = app.risk_flags(&client).unwrap();
    assert_eq!(flags.len(), 1);
    assert!(flags[0].message.as_deref().unwrap().contains("risk"), "{:?}", flags[0].message);
    let flagged = CaseloadQuery { open_flags: true, ..CaseloadQuery::default() };
    assert_eq!(app.caseload(&flagged).unwrap().rows[0].open_flags, 1);

    assert!(matches!(app.sign_consultation(&consultation), Err(AppError::RiskFormIncomplete)));
    assert!(matches!(app.resolve_flag(&flags[0].id, "ok"), Err(AppError::RiskFormIncomplete)));
    let incomplete =
        RiskFormInput { level: "moderate".into(), actions: "Talked it through".into(), ..RiskFormInput::default() };
    let Err(AppError::Invalid(problems)) = app.sign_risk_form(&flags[0].id, &incomplete) else {
        panic!("signed an incomplete form")
    };
    assert_eq!(problems.iter().map(|p| p.field).collect::<Vec<_>>(), ["safety_plan", "contacts"]);
    let complete = RiskFormInput {
        safety_plan: "Calls her sister when the thoughts come; no means at home.".into(),
        contacts: "112; the polyclinic psychologist".into(),
        ..incomplete
    };
    app.sign_risk_form(&flags[0].id, &complete).unwrap();
    assert!(app.sign_risk_form(&flags[0].id, &complete).is_err(), "a signed form is final");
    app.sign_consultation(&consultation).unwrap();

    // Still open on the caseload until resolved.
    assert_eq!(app.caseload(&flagged).unwrap().total, 1);
    app.resolve_flag(&flags[0].id, "Seen again a week later; no thoughts of self-harm.").unwrap();
    assert_eq!(app.caseload(&flagged).unwrap().total, 0);
    let detail = app.client(&client).unwrap();
    let kinds: Vec<&str> = detail.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert!(kinds.contains(&"flag_raised") && kinds.contains(&"flag_resolved"), "{kinds:?}");
}

#[test]
fn a_questionnaire_is_offered_in_the_parents_language_and_says_when_the_translation_is_ours() {
    let (_folder, app) = app();
    let russian = app.instrument_form("phq9", Language::Russian).unwrap();
    assert!(!russian.translation_not_validated);
    assert_eq!(russian.items.len(), 9);
    assert_eq!(russian.options[0], (0, "Ни разу".to_owned()));
    assert!(russian.items[8].1.starts_with("Вас посещали мысли"), "{}", russian.items[8].1);
    let kazakh = app.instrument_form("phq9", Language::Kazakh).unwrap();
    assert!(kazakh.translation_not_validated);
    assert!(kazakh.items.iter().all(|(_, text)| !text.is_empty()));
    let licensed = app.instrument_form("pba", Language::English).unwrap_err();
    assert!(matches!(licensed, AppError::LicensedTextMissing(_)));
    assert!(licensed.localized(&tirek_i18n::Messages::new(Language::English)).contains("licensed copy"));
}

#[test]
fn a_schedule_puts_the_questionnaire_in_the_agenda_until_it_is_filled_in() {
    let (_folder, app) = app();
    let client = with_client(&app, "Ким", "Анна");
    assert!(matches!(app.schedule_instrument(&client, "phq9", 0), Err(AppError::Invalid(_))));
    let schedule = app.schedule_instrument(&client, "phq9", 4).unwrap();
    let today = app.agenda("", 1).unwrap();
    let due: Vec<_> = today.days.iter().filter(|item| item.kind == "questionnaire").collect();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].client_name.as_str(), due[0].note.as_deref()),
        ("Ким Анна", Some("Patient Health Questionnaire (PHQ-9)"))
    );

    let input = AssessmentInput {
        instrument: "phq9".into(),
        answers: vec![Some(1); 9],
        language: "ru".into(),
        administered_by: "clinician".into(),
        taken_on: String::new(),
    };
    app.add_assessment(&client, &input).unwrap();
    assert!(app.agenda("", 1).unwrap().days.iter().all(|item| item.kind != "questionnaire"), "filled in today");
    let next = &app.schedules(&client).unwrap()[0];
    let in_four_weeks = app.agenda(&next.next_due, 1).unwrap();
    assert_eq!(in_four_weeks.days.iter().filter(|item| item.kind == "questionnaire").count(), 1);
    app.stop_schedule(&schedule).unwrap();
    assert!(app.schedules(&client).unwrap().is_empty());
    assert!(app.agenda(&next.next_due, 1).unwrap().days.is_empty());
}

#[test]
fn the_parents_screen_is_left_only_with_the_psychologists_password_and_the_profile_stays_open() {
    let (_folder, app) = app();
    let id = app.create_profile("Әлия", PASSWORD).unwrap().profile.id;
    app.unlock(&id, PASSWORD).unwrap();
    let wrong = app.confirm_password("мен анасымын").unwrap_err();
    assert!(matches!(wrong, AppError::Store(tirek_store::StoreError::WrongPassword)), "{wrong:?}");
    app.confirm_password(PASSWORD).unwrap();
    assert_eq!(app.unlocked_profile().map(|p| p.id), Some(id), "still open: nothing was reopened");
    app.lock();
    assert!(matches!(app.confirm_password(PASSWORD), Err(AppError::Locked)));
}

#[test]
fn the_overview_lists_each_parents_latest_result_severe_and_worse_first() {
    let (_folder, app) = app();
    let better = with_client(&app, "Нұрланова", "Әлия");
    add_phq9(&app, &better, "2026-09-01", [3, 3, 2, 2, 2, 2, 2, 1, 1], "ru"); // 18
    add_phq9(&app, &better, "2026-11-01", [1, 1, 1, 1, 1, 1, 1, 1, 0], "ru"); // 8: better
    let client = ClientInput {
        family_name: "Серікова".into(),
        given_name: "Жанар".into(),
        language: "kk".into(),
        ..ClientInput::default()
    };
    let worse = app.create_client(&client).unwrap();
    add_phq9(&app, &worse, "2026-10-01", [1, 1, 1, 1, 1, 1, 1, 1, 0], "kk"); // 8
    add_phq9(&app, &worse, "2026-11-15", [3, 3, 3, 3, 2, 2, 2, 2, 0], "kk"); // 20: severe, worse

    let latest = app.latest_results().unwrap();
    assert_eq!(latest.len(), 2, "one row per client and instrument: the latest");
    assert_eq!(latest[0].client_name, "Серікова Жанар");
    assert_eq!((latest[0].total, latest[0].most_severe), (20.0, true));
    assert_eq!(latest[0].change.as_deref(), Some("reliable_deterioration"));
    assert_eq!(latest[0].band_label.as_deref(), Some("Severe"));
    assert_eq!(latest[1].client_name, "Нұрланова Әлия");
    assert_eq!((latest[1].total, latest[1].change.as_deref()), (8.0, Some("reliable_improvement")));
    assert_eq!(latest[1].severity, 1, "mild: the second band");
}
