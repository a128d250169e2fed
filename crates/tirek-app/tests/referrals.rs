//! Referral letters and the services directory through the use cases the window
//! and the CLI call: no letter without consent; a draft prefilled from the
//! questionnaires; issuing gives numbers from this computer's own series; the
//! register's statuses move forward only; a reprint is a copy; the directory is
//! searched by district and name and moves between clinics as CSV.

use std::sync::Arc;

use tirek_app::{
    App, AppError, AssessmentInput, ClientInput, ClinicInput, ConsentInput, ReferralInput, ReferralQuery, ServiceInput,
    ServiceQuery, Signatory, letter_file_name,
};
use tirek_domain::Language;
use tirek_domain::referral::{letter_number, qr_payload_is_intact, series_of};
use tirek_i18n::Messages;
use tirek_store::MemoryKeyring;

const PASSWORD: &str = "тау бұлақ өзен 2026";

fn start(folder: &tempfile::TempDir, keyring: &Arc<MemoryKeyring>) -> App {
    let app = App::start_with(folder.path(), keyring.clone()).0.with_fast_key_derivation_for_tests();
    app.set_language(Language::English).unwrap();
    app
}

fn unlocked(folder: &tempfile::TempDir, keyring: &Arc<MemoryKeyring>) -> App {
    let app = start(folder, keyring);
    let id = app.create_profile("Серікова Айгүл", PASSWORD).unwrap().profile.id;
    app.unlock(&id, PASSWORD).unwrap();
    app.set_clinic(&ClinicInput {
        name: "Сайрам аудандық емханасы".into(),
        bin: "040140001236".into(),
        address: "Ақсу ауылы, Жібек жолы 12".into(),
        phone: "8 (72531) 2-14-55".into(),
        letter_prefix: "СЕ".into(),
        signatories: vec![Signatory {
            name: "Әбдірахманов Нұрлан".into(), position: "Бас дәрігер".into()
        }],
        has_logo: false,
    })
    .unwrap();
    app
}

fn family(app: &App) -> String {
    let client = ClientInput {
        family_name: "Нұрланова".into(),
        given_name: "Әлия".into(),
        birth_date: "12.05.1987".into(),
        region: "turkistan".into(),
        district: "turkistan.sairam".into(),
        language: "ru".into(),
        ..ClientInput::default()
    };
    app.create_client(&client).unwrap()
}

fn consent_to_referral(app: &App, client: &str) {
    let consent = ConsentInput {
        scope: "referral".into(),
        given_by: "client".into(),
        method: "signed_paper".into(),
        given_on: "2026-08-30".into(),
        ..ConsentInput::default()
    };
    app.give_consent(client, &consent).unwrap();
}

fn respite() -> ServiceInput {
    ServiceInput {
        name: "Сайрам ауданының уақытша күтім қызметі".into(),
        kind: "respite_care".into(),
        region: "turkistan".into(),
        district: "turkistan.sairam".into(),
        address: "Ақсу ауылы, Бейбітшілік 3".into(),
        phone: "8 725 312 00 03".into(),
        languages: vec!["kk".into(), "ru".into()],
        notes: "Күндізгі күтім".into(),
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext runs");
    String::from_utf8(output.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_letter_needs_consent_is_prefilled_numbered_printed_and_followed_to_its_outcome() {
    let folder = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let app = unlocked(&folder, &keyring);
    let client = family(&app);

    // No letter without consent to referral; the message says what is missing.
    let refused = app.start_referral(&client).unwrap_err();
    assert!(matches!(refused, AppError::ConsentMissing(_)), "{refused:?}");
    assert!(refused.localized(&Messages::new(Language::English)).contains("referral"));
    consent_to_referral(&app, &client);

    for (date, answers) in [("2026-09-01", [3, 3, 2, 2, 2, 2, 2, 1, 1]), ("2026-11-01", [1, 1, 1, 1, 1, 1, 1, 1, 0])] {
        let input = AssessmentInput {
            instrument: "phq9".into(),
            answers: answers.iter().copied().map(Some).collect(),
            language: "ru".into(),
            administered_by: "parent".into(),
            taken_on: date.into(),
        };
        app.add_assessment(&client, &input).unwrap();
    }

    let draft = app.start_referral(&client).unwrap();
    assert_eq!((draft.status.as_str(), draft.number.as_deref()), ("draft", None));
    assert_eq!(draft.input.language, "ru", "the client's language, not the interface's");
    assert_eq!(draft.input.signatory_name, "Әбдірахманов Нұрлан", "the clinic's first signatory");
    assert!(draft.input.findings.contains("01.11.2026: 8 (Лёгкая); достоверное улучшение"), "{}", draft.input.findings);
    let missing: Vec<&str> = draft.missing_for_issue.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(missing, ["recipient", "reason", "service_requested"]);
    assert!(matches!(app.issue_referral(&draft.id), Err(AppError::Invalid(_))));

    // Chosen from the directory: recipient and address come with it.
    let service = app.add_service(&respite()).unwrap();
    let input = ReferralInput {
        service_id: Some(service),
        reason: "Мать не отдыхала два года; нужна передышка.".into(),
        service_requested: "Дневной уход за ребёнком два раза в неделю".into(),
        urgency: "soon".into(),
        ..draft.input.clone()
    };
    let saved = app.save_referral_draft(&draft.id, &input).unwrap();
    assert_eq!(saved.input.recipient, "Сайрам ауданының уақытша күтім қызметі");
    assert!(saved.input.recipient_address.starts_with("Ақсу ауылы, Бейбітшілік 3"));
    assert!(saved.missing_for_issue.is_empty());

    // The preview is what the PDF says.
    let preview = app.letter_preview(&draft.id).unwrap();
    assert_eq!(preview.content.number, None);
    assert_eq!(preview.charts.len(), 1);
    assert!(preview.charts[0].is_some(), "the PHQ-9 chart, laid out");

    let issued = app.issue_referral(&draft.id).unwrap();
    let number = issued.letter.number.clone().unwrap();
    let series = series_of(&number).expect("a series of eight digits");
    assert_eq!(number, letter_number("СЕ", &series, 1), "СЕ-NNNN-NNNN/0001, digits after the prefix");
    assert_eq!(issued.letter.status, "issued");
    assert_eq!(issued.letter.next_statuses, ["delivered", "attended", "declined"]);
    assert!(draft.next_statuses.is_empty(), "a draft is issued, not marked");
    assert!(issued.missing.is_empty());
    let text = pdf_text(&issued.pdf);
    for expected in
        [number.as_str(), "Нұрланова Әлия", "Сайрам ауданының уақытша күтім қызметі", "Направление", "Лёгкая"]
    {
        assert!(text.contains(expected), "{expected} missing from\n{text}");
    }
    assert!(!text.contains("КОПИЯ"));
    assert!(
        !["choice-", "letter-", "results-", "risk-level-"].iter().any(|id| text.contains(id)),
        "a message id left untranslated:\n{text}"
    );
    let file_name = letter_file_name(&issued.letter);
    assert!(!file_name.contains("Нұрланова") && file_name.contains("0001"), "{file_name}");
    let content = app.letter_content(&draft.id).unwrap();
    assert!(qr_payload_is_intact(content.qr.as_deref().unwrap()));

    // Issued is final; a reprint says the same, marked as a copy.
    assert!(app.save_referral_draft(&draft.id, &input).is_err());
    assert!(app.discard_referral(&draft.id).is_err());
    let reprint = app.referral_pdf(&draft.id).unwrap();
    let reprinted = pdf_text(&reprint.pdf);
    assert!(reprinted.contains("КОПИЯ") && reprinted.contains(&number), "{reprinted}");

    // The next letter continues the series.
    let second = app.start_referral(&client).unwrap();
    let filled = ReferralInput {
        recipient: "Областной психиатр".into(),
        reason: "Консультация".into(),
        service_requested: "Осмотр".into(),
        ..second.input.clone()
    };
    app.save_referral_draft(&second.id, &filled).unwrap();
    let second_number = app.issue_referral(&second.id).unwrap().letter.number.unwrap();
    assert_eq!(second_number, number.replace("/0001", "/0002"));

    // The register: statuses forward only, with dates and an outcome note.
    let delivered = app.set_referral_status(&draft.id, "delivered", "", "").unwrap();
    assert_eq!(delivered.status, "delivered");
    assert!(matches!(app.set_referral_status(&draft.id, "issued", "", ""), Err(AppError::StatusChange { .. })));
    assert!(matches!(app.set_referral_status(&draft.id, "attended", "2099-01-01", ""), Err(AppError::Invalid(_))));
    let attended = app.set_referral_status(&draft.id, "attended", "", "Принята, ребёнок ходит с декабря").unwrap();
    assert_eq!(attended.outcome_note.as_deref(), Some("Принята, ребёнок ходит с декабря"));
    assert!(attended.next_statuses.is_empty(), "an outcome is final");
    let refused = app.set_referral_status(&draft.id, "declined", "", "").unwrap_err();
    assert!(refused.localized(&Messages::new(Language::Russian)).contains("Семья принята"), "{refused:?}");

    // The parent's handout: the district's services in her language, naming no one;
    // the one-page summary: the latest score.
    let handout = pdf_text(&app.handout_pdf(&client, Language::Russian).unwrap().pdf);
    assert!(
        handout.contains("Сайрам ауданының уақытша күтім қызметі") && handout.contains("Временный уход"),
        "{handout}"
    );
    assert!(!handout.contains("Нұрланова"));
    let summary = pdf_text(&app.client_summary_pdf(&client, Language::Russian).unwrap().pdf);
    assert!(!["choice-", "summary-", "record-"].iter().any(|id| summary.contains(id)), "{summary}");
    assert!(summary.contains("Нұрланова Әлия") && summary.contains("01.11.2026 — 8 (Лёгкая)"), "{summary}");

    let attended_only = ReferralQuery { status: Some("attended".into()), ..ReferralQuery::default() };
    assert_eq!(app.referrals(&attended_only).unwrap().len(), 1);
    assert_eq!(app.referrals(&ReferralQuery::default()).unwrap().len(), 2);
}

#[test]
fn another_computer_issues_from_its_own_series() {
    let folder = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let app = unlocked(&folder, &keyring);
    let client = family(&app);
    consent_to_referral(&app, &client);
    let issue = |app: &App| {
        let draft = app.start_referral(&client).unwrap();
        let input = ReferralInput {
            recipient: "Областной психиатр".into(),
            reason: "Консультация".into(),
            service_requested: "Осмотр".into(),
            ..draft.input.clone()
        };
        app.save_referral_draft(&draft.id, &input).unwrap();
        app.issue_referral(&draft.id).unwrap().letter.number.unwrap()
    };
    let here = issue(&app);
    let profile = app.unlocked_profile().unwrap().id;
    drop(app);

    // The same data folder copied to another computer: its settings say nothing of
    // this one's installation, so the profile draws a new series there.
    let settings = folder.path().join("settings.json");
    let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(&settings).unwrap()).unwrap();
    json.as_object_mut().unwrap().remove("installation");
    std::fs::write(&settings, serde_json::to_vec(&json).unwrap()).unwrap();
    let elsewhere_app = start(&folder, &keyring);
    elsewhere_app.unlock(&profile, PASSWORD).unwrap();
    let elsewhere = issue(&elsewhere_app);
    assert_ne!(series_of(&here), series_of(&elsewhere), "{here} and {elsewhere}");
    assert!(series_of(&elsewhere).is_some(), "{elsewhere}");
    assert!(elsewhere.ends_with("/0001"));
}

#[test]
fn the_directory_is_searched_by_district_and_name_and_moves_as_csv() {
    let folder = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let app = unlocked(&folder, &keyring);
    assert_eq!(app.add_example_services().unwrap().added, 7);
    let examples = app.services(&ServiceQuery::default()).unwrap();
    assert!(examples.iter().all(|s| s.example), "the examples are marked");
    app.add_service(&respite()).unwrap();

    let in_sairam = ServiceQuery { district: Some("turkistan.sairam".into()), ..ServiceQuery::default() };
    let names: Vec<String> = app.services(&in_sairam).unwrap().into_iter().map(|s| s.input.name).collect();
    assert!(names.iter().any(|n| n.contains("уақытша күтім")), "{names:?}");
    assert!(names.iter().all(|n| !n.contains("Шымкент")));
    // Typed on a Russian keyboard, without Kazakh letters.
    let typed = ServiceQuery { search: "уакытша".into(), ..ServiceQuery::default() };
    assert_eq!(app.services(&typed).unwrap().len(), 1);

    // No phone, no service; the message names the field.
    let no_phone = ServiceInput { phone: String::new(), ..respite() };
    let error = app.add_service(&no_phone).unwrap_err();
    assert_eq!(error.field_messages(&Messages::new(Language::English))[0].field, "phone");

    // Out as CSV — the clinic's own services, the examples left behind — and into
    // another profile whole; a bad file imports nothing.
    let csv = app.services_csv(None).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    assert!(!String::from_utf8_lossy(&csv).contains("EXAMPLE"), "examples are not exported");
    let file = folder.path().join("services.csv");
    std::fs::write(&file, &csv).unwrap();
    app.lock();
    let other = app.create_profile("Жанар", PASSWORD).unwrap().profile.id;
    app.unlock(&other, PASSWORD).unwrap();
    assert_eq!(app.import_services(&file).unwrap().added, 1);
    let broken = folder.path().join("broken.csv");
    std::fs::write(&broken, "name,kind,phone\nОрталық,ngo,+77012345678\nБезымянный,spa,+77012345678\n").unwrap();
    let error = app.import_services(&broken).unwrap_err();
    let message = error.localized(&Messages::new(Language::English));
    assert!(message.contains("Line 3") && message.contains("Nothing was imported"), "{message}");
    assert_eq!(app.services(&ServiceQuery::default()).unwrap().len(), 1);
}

#[test]
fn an_example_service_never_reaches_a_family() {
    let folder = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let app = unlocked(&folder, &keyring);
    let russian = Messages::new(Language::Russian);
    // The example list comes in the interface language, every entry marked.
    app.set_language(Language::Russian).unwrap();
    assert_eq!(app.add_example_services().unwrap().added, 7);
    let examples = app.services(&ServiceQuery::default()).unwrap();
    assert!(examples.iter().all(|s| s.example && s.input.name.starts_with("ПРИМЕР: ")), "{examples:?}");
    let never_printed = |text: &str| {
        assert!(!text.contains("ПРИМЕР") && !text.contains("Примерн"), "an example printed:\n{text}");
        for example in &examples {
            let phone = tirek_domain::phone::display(&example.input.phone);
            assert!(!text.contains(&phone), "{phone} printed:\n{text}");
        }
    };
    let client = family(&app);
    consent_to_referral(&app, &client);

    // Examples only in the family's district: no handout, and the window says why.
    let refused = app.handout_pdf(&client, Language::Russian).unwrap_err();
    assert!(matches!(refused, AppError::HandoutOnlyExamples(_)), "{refused:?}");
    let message = refused.localized(&russian);
    assert!(message.contains("только примеры") && message.contains("Сайрам"), "{message}");

    // No letter to an example: refused with the reason, nothing saved.
    let example_respite = examples.iter().find(|s| s.input.kind == "respite_care").unwrap();
    let draft = app.start_referral(&client).unwrap();
    let to_example = ReferralInput {
        service_id: Some(example_respite.id.clone()),
        reason: "Мать не отдыхала два года; нужна передышка.".into(),
        service_requested: "Дневной уход за ребёнком два раза в неделю".into(),
        ..draft.input.clone()
    };
    let refused = app.save_referral_draft(&draft.id, &to_example).unwrap_err();
    assert!(matches!(refused, AppError::ExampleService(_)), "{refused:?}");
    assert_eq!(refused.field(), Some("service_id"), "said under the composer's choice of service");
    let message = refused.localized(&russian);
    assert!(message.contains(&example_respite.input.name) && message.contains("пример"), "{message}");
    assert_eq!(app.referral(&draft.id).unwrap().input.service_id, None, "nothing saved");

    // A real service beside the examples: the handout lists it, and no example.
    let real = app.add_service(&respite()).unwrap();
    let handout = pdf_text(&app.handout_pdf(&client, Language::Russian).unwrap().pdf);
    assert!(handout.contains("Сайрам ауданының уақытша күтім қызметі"), "{handout}");
    never_printed(&handout);

    // A draft to a service that came to hold an example's phone again is neither
    // issued nor printed as a draft.
    let to_real = ReferralInput { service_id: Some(real.clone()), ..to_example };
    app.save_referral_draft(&draft.id, &to_real).unwrap();
    app.update_service(&real, &ServiceInput { phone: "+77250000003".into(), ..respite() }).unwrap();
    assert!(app.service(&real).unwrap().example, "an example's phone makes it an example");
    assert!(matches!(app.issue_referral(&draft.id), Err(AppError::ExampleService(_))));
    assert!(matches!(app.referral_pdf(&draft.id), Err(AppError::ExampleService(_))));
    assert_eq!(app.referral(&draft.id).unwrap().status, "draft", "no number taken");

    // An example written over with a real group: marked until its made-up street goes too.
    let example_group = examples.iter().find(|s| s.input.kind == "peer_group").unwrap();
    let renamed = ServiceInput {
        name: "Группа поддержки родителей «Бірге»".into(),
        phone: "8 701 555 12 34".into(),
        ..example_group.input.clone()
    };
    app.update_service(&example_group.id, &renamed).unwrap();
    assert!(app.service(&example_group.id).unwrap().example, "the made-up street is still there");
    app.update_service(&example_group.id, &ServiceInput { address: "с. Аксу, ул. Толе би, 12".into(), ..renamed })
        .unwrap();
    assert!(!app.service(&example_group.id).unwrap().example);

    // The real phone back: the letter is issued and prints no example.
    app.update_service(&real, &respite()).unwrap();
    let issued = app.issue_referral(&draft.id).unwrap();
    let letter = pdf_text(&issued.pdf);
    assert!(letter.contains("Сайрам ауданының уақытша күтім қызметі"), "{letter}");
    never_printed(&letter);
    never_printed(&pdf_text(&app.referral_pdf(&draft.id).unwrap().pdf));
    let handout = pdf_text(&app.handout_pdf(&client, Language::Kazakh).unwrap().pdf);
    assert!(handout.contains("«Бірге»") && handout.contains("уақытша күтім"), "{handout}");
    never_printed(&handout);
}
