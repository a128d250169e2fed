//! The psychologist's day through the use cases the window and the CLI call: a
//! client with a child and consent, a consultation drafted, signed and amended, a
//! follow-up in the agenda, search with Kazakh letters, export and erasure — and
//! each kind of bad input refused with its field and a translated message.

use std::sync::Arc;

use tirek_app::{
    App, AppError, CaseloadQuery, ChildInput, ClientInput, ConsentInput, ConsultationInput, FollowUpInput,
};
use tirek_domain::Language;
use tirek_domain::audit::AuditEvent;
use tirek_domain::caseload::ConsentScope;
use tirek_domain::date::Date;
use tirek_i18n::Messages;
use tirek_store::MemoryKeyring;

const PASSWORD: &str = "тау бұлақ өзен 2026";

fn unlocked(folder: &tempfile::TempDir) -> App {
    unlocked_with(folder, Arc::new(MemoryKeyring::default()))
}

fn unlocked_with(folder: &tempfile::TempDir, keyring: Arc<MemoryKeyring>) -> App {
    let app = App::start_with(folder.path(), keyring).0.with_fast_key_derivation_for_tests();
    let id = app.create_profile("Әлия", PASSWORD).unwrap().profile.id;
    app.unlock(&id, PASSWORD).unwrap();
    app
}

fn today() -> Date {
    Date::in_kazakhstan(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64)
}

fn client(family: &str, given: &str) -> ClientInput {
    ClientInput {
        family_name: family.into(),
        given_name: given.into(),
        phone: "8 701 234 56 78".into(),
        region: "turkistan".into(),
        district: "turkistan.sairam".into(),
        birth_date: "12.05.1987".into(),
        language: "kk".into(),
        ..ClientInput::default()
    }
}

fn search(app: &App, text: &str) -> Vec<String> {
    let query = CaseloadQuery { search: text.into(), ..CaseloadQuery::default() };
    app.caseload(&query).unwrap().rows.into_iter().map(|row| row.name).collect()
}

fn fields(error: AppError) -> Vec<String> {
    error.field_messages(&Messages::new(Language::Russian)).into_iter().map(|m| m.field).collect()
}

#[test]
fn a_family_from_first_visit_to_follow_up() {
    let folder = tempfile::tempdir().unwrap();
    let app = unlocked(&folder);
    let id = app.create_client(&client("Нұрланова", "Әлия")).unwrap();
    let child = ChildInput {
        name: "Ерасыл".into(),
        birth_date: "2016-03-01".into(),
        disability: "child".into(),
        diagnosis: "ДЦП".into(),
        icd10: "g80.1".into(),
        ..ChildInput::default()
    };
    app.add_child(&id, &child).unwrap();
    assert!(matches!(app.require_consent(&id, ConsentScope::Referral), Err(AppError::ConsentMissing(_))));
    let consent = ConsentInput {
        scope: "referral".into(),
        given_by: "client".into(),
        method: "signed_paper".into(),
        given_on: today().to_string(),
        ..ConsentInput::default()
    };
    let consent_id = app.give_consent(&id, &consent).unwrap();
    app.require_consent(&id, ConsentScope::Referral).unwrap();

    let consultation = app.start_consultation(std::slice::from_ref(&id), "").unwrap();
    let mut form = ConsultationInput {
        format: "individual".into(),
        held_on: today().to_string(),
        duration_minutes: "45".into(),
        concerns: "Шаршау, ұйқы жоқ".into(),
        interventions: vec!["psychoeducation".into()],
        next_step: "Екі аптадан кейін қоңырау шалу".into(),
        ..ConsultationInput::default()
    };
    // Half a sentence saved as typed; a bad duration does not lose the rest.
    form.notes = "Ана өте шар".into();
    form.duration_minutes = "4500".into();
    let saved = app.save_consultation_draft(&consultation, &form).unwrap();
    assert_eq!(saved.problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["duration_minutes"]);
    assert_eq!(app.consultation(&consultation).unwrap().form.notes, "Ана өте шар");
    assert!(matches!(app.sign_consultation(&consultation), Err(AppError::Invalid(_))), "no duration yet");
    form.duration_minutes = "45".into();
    form.notes = "Ана өте шаршаған.".into();
    let saved = app.save_consultation_draft(&consultation, &form).unwrap();
    assert!(saved.problems.is_empty() && saved.missing_for_signing.is_empty(), "{saved:?}");
    app.sign_consultation(&consultation).unwrap();

    form.notes = "changed after signing".into();
    let refused = app.save_consultation_draft(&consultation, &form).unwrap_err();
    assert!(refused.localized(&Messages::new(Language::English)).contains("addendum"));
    app.add_addendum(&consultation, "Түзету: ұзақтығы 50 минут").unwrap();
    let view = app.consultation(&consultation).unwrap();
    assert_eq!(view.form.notes, "Ана өте шаршаған.", "the signed original stays as it was");
    assert_eq!(view.addenda.len(), 1);
    assert!(view.signed_at.is_some());

    let due = today().plus_days(14).to_string();
    let follow_up = FollowUpInput {
        kind: "call".into(),
        due_on: due.clone(),
        note: form.next_step.clone(),
        consultation_id: Some(consultation.clone()),
        ..FollowUpInput::default()
    };
    app.add_follow_up(&id, &follow_up).unwrap();
    let agenda = app.agenda(&today().week_start().plus_days(14).to_string(), 7).unwrap();
    assert_eq!(agenda.days.len(), 1);
    assert_eq!(agenda.days[0].client_name, "Нұрланова Әлия");
    assert_eq!(agenda.days[0].due_on, due);

    assert_eq!(search(&app, "әли"), ["Нұрланова Әлия"]);
    assert_eq!(search(&app, "НҰРЛАН"), ["Нұрланова Әлия"]);
    assert_eq!(search(&app, "8 701 234"), ["Нұрланова Әлия"], "a phone as people type it");
    assert_eq!(search(&app, "Петров"), Vec::<String>::new());

    app.set_language(Language::Kazakh).unwrap();
    let detail = app.client(&id).unwrap();
    assert_eq!(detail.client.phone.as_deref(), Some("+77012345678"));
    assert_eq!(detail.client.place.as_deref(), Some("Сайрам ауданы"), "named in the interface language");
    assert_eq!(detail.children[0].icd10.as_deref(), Some("G80.1"));
    assert!(detail.consent.referral && !detail.consent.server);
    let kinds: Vec<&str> = detail.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["follow_up", "consultation", "consent_given"]);

    app.withdraw_consent(&consent_id, &today().to_string()).unwrap();
    assert!(matches!(app.require_consent(&id, ConsentScope::Referral), Err(AppError::ConsentMissing(_))));
    assert_eq!(fields(app.withdraw_consent(&consent_id, &today().to_string()).unwrap_err()), ["withdrawn_on"]);

    // A consultation started by mistake goes away whole; a signed one cannot.
    let mistake = app.start_consultation(std::slice::from_ref(&id), "").unwrap();
    app.discard_consultation(&mistake).unwrap();
    assert_eq!(app.client(&id).unwrap().consultations.len(), 1);
    assert!(app.discard_consultation(&consultation).is_err());
}

#[test]
fn a_name_is_found_whether_typed_in_cyrillic_or_latin() {
    let folder = tempfile::tempdir().unwrap();
    let app = unlocked(&folder);
    app.create_client(&client("Өмірбекова", "Гүлнұр")).unwrap();
    app.create_client(&ClientInput { patronymic: "Nurlanovna".into(), ..client("Smith", "Aliya") }).unwrap();
    app.create_client(&ClientInput {
        latin_name: "Zhanar Kassymova".into(), ..client("Қасымова", "Жанар")
    })
    .unwrap();
    app.create_client(&client("Ким", "Анна")).unwrap();

    for typed in ["gulnur", "omirbek", "Ömir", "GÜLNŪR", "Гулнур омир", "gulnur ӨМІР"] {
        assert_eq!(search(&app, typed), ["Өмірбекова Гүлнұр"], "{typed}");
    }
    for typed in ["Алия", "нурлановна", "алия смит"] {
        assert_eq!(search(&app, typed), ["Smith Aliya Nurlanovna"], "{typed}");
    }
    for typed in ["Janar", "Zhanar", "Kasymova", "qasym", "Жанар"] {
        assert_eq!(search(&app, typed), ["Қасымова Жанар"], "{typed}");
    }
    assert_eq!(search(&app, "Али"), ["Smith Aliya Nurlanovna"], "a short query still tells names apart");
    assert_eq!(search(&app, "Anna Kim"), ["Ким Анна"]);
    assert_eq!(search(&app, "8 701 234").len(), 4, "the phone is found as before");
}

#[test]
fn a_group_session_is_recorded_once_for_every_client() {
    let folder = tempfile::tempdir().unwrap();
    let app = unlocked(&folder);
    let first = app.create_client(&client("Серікова", "Айгүл")).unwrap();
    let second = app.create_client(&client("Иванова", "Мария")).unwrap();
    let group = app.start_consultation(&[first.clone(), second.clone()], "").unwrap();
    let view = app.consultation(&group).unwrap();
    assert_eq!(view.form.format, "group");
    assert_eq!(view.attendees.len(), 2);
    for client in [&first, &second] {
        let detail = app.client(client).unwrap();
        assert_eq!(detail.consultations.len(), 1);
        assert_eq!(detail.consultations[0].id, group);
    }

    // A third parent joins an individual session: it becomes a group one; one leaves.
    let third = app.create_client(&client("Ким", "Анна")).unwrap();
    let session = app.start_consultation(std::slice::from_ref(&third), "").unwrap();
    assert_eq!(app.consultation(&session).unwrap().form.format, "individual");
    app.add_attendee(&session, &first).unwrap();
    app.add_attendee(&session, &first).unwrap();
    let view = app.consultation(&session).unwrap();
    assert_eq!((view.form.format.as_str(), view.attendees.len()), ("group", 2));
    app.remove_attendee(&session, &third).unwrap();
    assert!(app.client(&third).unwrap().consultations.is_empty());
    assert!(matches!(app.remove_attendee(&session, &first), Err(AppError::Invalid(_))), "the last one stays");
    assert_eq!(app.client(&first).unwrap().consultations.len(), 2);

    // Her copy of the record does not name the other parents of the group.
    let export = serde_json::to_value(app.export_client(&first).unwrap()).unwrap();
    let group_export = export["consultations"].as_array().unwrap().iter().find(|c| c["id"] == group).unwrap().clone();
    assert_eq!(group_export["attendees"].as_array().unwrap().len(), 1);
    assert_eq!(group_export["attendees"][0]["id"], first.as_str());
}

#[test]
fn bad_input_is_refused_with_its_field_and_nothing_is_saved() {
    let folder = tempfile::tempdir().unwrap();
    let app = unlocked(&folder);
    let bad = ClientInput {
        family_name: "Ә".repeat(300),
        given_name: "".into(),
        iin: "870512400059".into(),
        birth_date: today().plus_days(1).to_string(),
        phone: "12-34".into(),
        address: "line\u{1b}[31m".into(),
        district: "almaty_city.medeu".into(),
        ..client("", "")
    };
    let error = app.create_client(&bad).unwrap_err();
    assert_eq!(fields(error), ["family_name", "given_name", "birth_date", "iin", "phone", "address"]);
    let misplaced = ClientInput { district: "almaty_city.medeu".into(), ..client("Ким", "Анна") };
    assert_eq!(fields(app.create_client(&misplaced).unwrap_err()), ["district"]);
    assert_eq!(app.caseload(&CaseloadQuery::default()).unwrap().total, 0, "nothing half-saved");
    assert_eq!(app.check_client(&client("Ким", "Анна")), []);

    let parent = app.create_client(&client("Ким", "Анна")).unwrap();
    let older = ChildInput { name: "Мин".into(), birth_date: "1980-01-01".into(), ..ChildInput::default() };
    let error = app.add_child(&parent, &older).unwrap_err();
    let messages = error.field_messages(&Messages::new(Language::Kazakh));
    assert_eq!(messages[0].field, "birth_date");
    assert!(messages[0].message.contains("ата-ана"), "{}", messages[0].message);
    // A child's IIN must match the child's date of birth (this one is the parent's).
    let mismatched = ChildInput {
        name: "Мин".into(),
        birth_date: "2016-03-01".into(),
        iin: "870512400058".into(),
        ..ChildInput::default()
    };
    assert_eq!(fields(app.add_child(&parent, &mismatched).unwrap_err()), ["birth_date"]);
    let wrong_checksum = ChildInput { iin: "160301500014".into(), ..mismatched };
    let error = app.add_child(&parent, &wrong_checksum).unwrap_err();
    assert!(error.localized(&Messages::new(Language::Russian)).contains("ИИН"));
    assert!(app.client(&parent).unwrap().children.is_empty());
}

#[test]
fn export_has_the_whole_record_and_erasure_leaves_no_trace_but_the_fact() {
    let folder = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let app = unlocked_with(&folder, keyring.clone());
    let id = app.create_client(&client("Өтегенова", "Жанар")).unwrap();
    app.add_child(&id, &ChildInput { name: "Ерасыл".into(), birth_date: "2016-03-01".into(), ..ChildInput::default() })
        .unwrap();
    let consultation = app.start_consultation(std::slice::from_ref(&id), "individual").unwrap();
    let notes = ConsultationInput { notes: "Жанар шаршаған".into(), ..ConsultationInput::default() };
    app.save_consultation_draft(&consultation, &notes).unwrap();

    let export = serde_json::to_value(app.export_client(&id).unwrap()).unwrap();
    assert_eq!(export["format"], tirek_app::EXPORT_FORMAT);
    assert_eq!(export["client"]["family_name"], "Өтегенова");
    assert_eq!(export["children"][0]["name"], "Ерасыл");
    assert_eq!(export["consultations"][0]["form"]["notes"], "Жанар шаршаған");

    for (pdf, words) in [
        (app.consent_form(&id, Language::Kazakh).unwrap(), ["Өтегенова Жанар", "келісім"]),
        (app.client_record_pdf(&id, Language::Russian).unwrap(), ["Ерасыл", "Жанар шаршаған"]),
    ] {
        let text = pdf_text(&pdf);
        for word in words {
            assert!(text.contains(word), "{word} missing from\n{text}");
        }
    }

    assert_eq!(app.erase_client(&id).unwrap(), 4, "client, child, consultation, attendance");
    assert!(matches!(app.client(&id), Err(e) if e.kind() == tirek_app::ErrorKind::NotFound));
    assert_eq!(app.caseload(&CaseloadQuery::default()).unwrap().total, 0);

    // The audit trail keeps that the export and the erasure happened, with the id only.
    let profile = app.unlocked_profile().unwrap();
    app.lock();
    let profiles = tirek_store::Profiles::new(&tirek_store::DataDir::open(folder.path()).unwrap(), keyring.clone());
    let open = profiles.unlock(&profile.id, PASSWORD, 0).unwrap();
    let events: Vec<_> = open
        .audit_trail()
        .unwrap()
        .into_iter()
        .filter(|entry| entry.record.as_deref() == Some(id.as_str()))
        .map(|entry| entry.event)
        .collect();
    assert!(events.contains(&AuditEvent::Export));
    assert!(events.contains(&AuditEvent::Print), "the consent form was printed");
    assert_eq!(events.last(), Some(&AuditEvent::RecordErased));
    let dump = format!("{:?}", open.table_dump().unwrap());
    for word in ["Өтегенова", "Жанар", "Ерасыл"] {
        assert!(!dump.contains(word), "{word} survived the erasure");
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext runs");
    String::from_utf8(output.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn opening_another_psychologists_client_is_audited_and_opening_ones_own_is_not() {
    let folder = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let app = unlocked_with(&folder, keyring.clone());
    let mine = app.create_client(&client("Серікова", "Айгүл")).unwrap();
    let profile = app.unlocked_profile().unwrap();
    app.lock();

    // A client that arrived from the server, owned by a colleague.
    let profiles = tirek_store::Profiles::new(&tirek_store::DataDir::open(folder.path()).unwrap(), keyring.clone());
    {
        let mut open = profiles.unlock(&profile.id, PASSWORD, 0).unwrap();
        open.write("sync", 0, |changes| {
            use tirek_domain::change::FieldValue::Text;
            changes.insert(
                "client",
                "colleagues",
                &[
                    ("family_name", Text("Иванова".into())),
                    ("given_name", Text("Мария".into())),
                    ("owner", Text("another-psychologist".into())),
                ],
            )
        })
        .unwrap();
    }
    app.unlock(&profile.id, PASSWORD).unwrap();
    app.client("colleagues").unwrap();
    app.client(&mine).unwrap();
    app.lock();

    let open = profiles.unlock(&profile.id, PASSWORD, 0).unwrap();
    let viewed: Vec<String> = open
        .audit_trail()
        .unwrap()
        .into_iter()
        .filter(|entry| entry.event == AuditEvent::RecordViewed)
        .filter_map(|entry| entry.record)
        .collect();
    assert_eq!(viewed, ["colleagues"]);
}
