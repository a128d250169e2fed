//! The consent form and a client's printed record, read back with poppler: every
//! language, Kazakh letters exact, the clinic's head, and a long record that breaks
//! cleanly across numbered pages.

use std::process::Command;

use tirek_domain::Language;
use tirek_letters::{ClientRecordDoc, ClinicBlock, ConsentFormDoc, RecordConsultation, client_record, consent_form};

const NAME: &str = "Құрманғазиева Әлия Ғалымқызы";

fn text_of(pdf: &[u8]) -> (String, usize) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext runs");
    assert!(text.status.success());
    let info = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo runs");
    let info = String::from_utf8(info.stdout).unwrap();
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    (String::from_utf8(text.stdout).unwrap(), pages)
}

fn clinic() -> ClinicBlock {
    ClinicBlock {
        name: "Сайрам аудандық емханасы".into(),
        bin: Some("040140001236".into()),
        address: Some("Ақсу ауылы, Жібек жолы 12".into()),
        phone: Some("+77253121455".into()),
    }
}

#[test]
fn the_consent_form_names_the_operator_the_person_and_every_purpose_in_each_language() {
    let expected = [
        (Language::Kazakh, "Дербес деректерді жинауға және өңдеуге келісім", "орталық серверіне"),
        (Language::Russian, "Согласие на сбор и обработку персональных данных", "центральный сервер"),
        (Language::English, "Consent to the collection and processing of personal data", "central server"),
    ];
    for (language, title, server) in expected {
        let pdf = consent_form(&ConsentFormDoc {
            language,
            clinic: Some(clinic()),
            client_name: NAME.into(),
            iin: Some("870512400058".into()),
            birth_date: Some("12.05.1987".into()),
            psychologist: "Айгүл Серікова".into(),
        })
        .unwrap();
        let (text, pages) = text_of(&pdf);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in [
            title,
            server,
            NAME,
            "870512400058",
            "12.05.1987",
            "040140001236",
            "Сайрам аудандық емханасы",
            "Айгүл Серікова",
        ] {
            assert!(flat.contains(needle), "{language}: {needle:?} missing from\n{text}");
        }
        assert_eq!(flat.matches("[ ]").count(), 3, "{language}: one box per purpose");
        assert!(pages <= 2, "{language}: {pages} pages");
    }
}

#[test]
fn without_clinic_details_the_form_leaves_a_line_to_fill_in() {
    let pdf = consent_form(&ConsentFormDoc {
        language: Language::Russian,
        clinic: None,
        client_name: NAME.into(),
        iin: None,
        birth_date: None,
        psychologist: "Айгүл".into(),
    })
    .unwrap();
    let (text, _) = text_of(&pdf);
    assert!(text.contains("Организация: ____"), "{text}");
}

#[test]
fn a_long_record_breaks_across_numbered_pages_and_keeps_every_word() {
    let consultation = |i: usize| RecordConsultation {
        held_on: Some(format!("{:02}.03.2026", i % 28 + 1)),
        format: Some("individual".into()),
        duration_minutes: Some("45".into()),
        signed: i.is_multiple_of(2),
        concerns: Some(format!("Шаршау және ұйқысыздық, кездесу {i}")),
        interventions: vec!["psychoeducation".into(), "self_care".into()],
        notes: Some("Ана өзін жалғыз сезінеді; күйеуі вахтада. ".repeat(6)),
        addenda: if i == 3 {
            vec![("05.03.2026".into(), "Түзету: ұзақтығы 50 минут".into())]
        } else {
            vec![]
        },
        ..RecordConsultation::default()
    };
    let doc = ClientRecordDoc {
        language: Language::Kazakh,
        clinic: Some(clinic()),
        printed_on: "25.11.2026".into(),
        name: NAME.into(),
        details: vec![("record-phone", "+77012345678".into())],
        children: vec![],
        consents: vec![],
        consultations: (0..30).map(consultation).collect(),
        follow_ups: vec![],
        questionnaires: vec![],
    };
    let (text, pages) = text_of(&client_record(&doc).unwrap());
    assert!(pages >= 4, "{pages} pages for 30 consultations");
    let compact = text.replace(' ', "");
    assert!(compact.contains(&format!("1/{pages}")) && compact.contains(&format!("{pages}/{pages}")), "page numbers");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for i in 0..30 {
        assert!(flat.contains(&format!("кездесу {i}")), "consultation {i} lost");
    }
    assert!(flat.contains("Психобілім беру"), "codes print as words");
    assert!(flat.contains("Түзету: ұзақтығы 50 минут"));
    assert_eq!(flat.matches("қол қойылған").count(), 15);
}
