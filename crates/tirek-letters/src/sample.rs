//! A fictional referral letter, the same for the tests and `cargo xtask bench
//! letters`: a mother referred for respite care, her PHQ-9 easing over two months.

use tirek_domain::Language;
use tirek_domain::chart::{Reading, Trend};
use tirek_domain::date::Date;
use tirek_domain::instrument::Change;

use crate::{
    ClinicBlock, ConsentFormDoc, HandoutDoc, HandoutService, LetterDoc, RecoverySheet, Results, ScoreRow, SummaryDoc,
};

/// Every Kazakh letter, capitals too.
pub const KAZAKH: &str = "ӘәғҒқҚңҢөӨұҰүҮһҺіІ";

/// A PHQ-9 history in `language`: 18 in September with item 9 positive (a risk flag),
/// 15 in October (no reliable change), 8 in November (a reliable improvement).
pub fn phq9(language: Language) -> Results {
    let messages = tirek_i18n::Messages::new(language);
    let instrument = fixture((0.0, 27.0));
    let day = |month| Date::new(2026, month, 1).unwrap();
    let readings = [
        Reading { date: day(9), total: 18.0, change: None, flagged: true },
        Reading { date: day(10), total: 15.0, change: Some(Change::NoReliableChange), flagged: false },
        Reading { date: day(11), total: 8.0, change: Some(Change::ReliableImprovement), flagged: false },
    ];
    let band = |index: usize| instrument.bands[index].label.best(language).to_owned();
    let change = |code: &str| messages.get(&format!("assessment-change-{code}"));
    Results {
        name: "PHQ-9".into(),
        chart: Some(Trend::lay_out(&instrument, &readings, language)),
        rows: vec![
            ScoreRow { date: "01.09.2026".into(), total: "18".into(), band: band(3), change: String::new() },
            ScoreRow {
                date: "01.10.2026".into(),
                total: "15".into(),
                band: band(3),
                change: change("no_reliable_change"),
            },
            ScoreRow {
                date: "01.11.2026".into(),
                total: "8".into(),
                band: band(1),
                change: change("reliable_improvement"),
            },
        ],
        notes: vec![messages.get("results-not-validated")],
    }
}

/// The PHQ-9's scoring, bands and reliable-change rule, enough to lay out a chart.
fn fixture(range: (f64, f64)) -> tirek_domain::instrument::Instrument {
    use tirek_domain::instrument::*;
    let texts = |t: &str| Texts(vec![(Language::Kazakh, t.to_owned())]);
    let names = [
        ["Минималды", "Минимальная", "Minimal"],
        ["Жеңіл", "Лёгкая", "Mild"],
        ["Орташа", "Умеренная", "Moderate"],
        ["Орташа ауыр", "Умеренно тяжёлая", "Moderately severe"],
        ["Ауыр", "Тяжёлая", "Severe"],
    ];
    Instrument {
        id: "phq9".into(),
        version: "1".into(),
        name: texts("PHQ-9"),
        stem: texts(""),
        languages: vec![LanguageStatus { language: Language::Kazakh, validated: false }],
        licensed_text: false,
        options: vec![],
        items: vec![],
        subscales: vec![],
        scoring: Scoring {
            method: Method::Sum,
            multiplier: 1.0,
            max_missing: 1,
            missing: MissingHandling::Prorate,
            range,
            step: 1.0,
            higher_is_worse: true,
        },
        bands: [(0.0, 4.0), (5.0, 9.0), (10.0, 14.0), (15.0, 19.0), (20.0, 27.0)]
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, ((from, to), [kk, ru, en]))| Band {
                id: i.to_string(),
                from: *from,
                to: *to,
                label: Texts(vec![
                    (Language::Kazakh, kk.to_owned()),
                    (Language::Russian, ru.to_owned()),
                    (Language::English, en.to_owned()),
                ]),
            })
            .collect(),
        reliable_change: Some(ReliableChange::Index { sd: 3.52, r: 0.84, provisional: true, source: String::new() }),
        safety: vec![],
        licence: Texts::default(),
        citation: String::new(),
    }
}

/// A two-page referral letter with a PHQ-9 chart, in `language`.
pub fn letter(language: Language) -> LetterDoc {
    let messages = tirek_i18n::Messages::new(language);
    LetterDoc {
        language,
        clinic: ClinicBlock {
            name: "Сайрам аудандық емханасы".into(),
            bin: Some("040140001236".into()),
            address: Some("Ақсу ауылы, Жібек жолы 12".into()),
            phone: Some("+7 725 312 14 55".into()),
        },
        logo: None,
        number: Some("СЕ-4821-9375/0012".into()),
        date: "01.12.2026".into(),
        copy: false,
        recipient: "Түркістан облыстық оңалту орталығы".into(),
        recipient_address: Some("Шымкент қ., Тәуке хан даңғылы 5\nбас дәрігерге".into()),
        client_name: format!("Құрманғазиева {KAZAKH}"),
        client_facts: vec![
            (messages.get("letter-birth-date"), "15.03.1990".into()),
            (messages.get("letter-iin"), "900315400123".into()),
        ],
        children: vec!["Ерасыл, 01.03.2016; мүгедек бала; F84.0".into()],
        reason: "Анасы күтімнен қатты шаршаған, демалыс алуға мүмкіндігі жоқ.".into(),
        findings: Some("Үш кездесу өтті. PHQ-9 бойынша көңіл-күйі жақсарды.".into()),
        results: vec![phq9(language)],
        risk_flags: vec![],
        service_requested: "Балаға уақытша күтім (демалыс беру)".into(),
        urgency: "soon".into(),
        psychologist: "Серікова Айгүл".into(),
        signatory_name: "Әбдірахманов Нұрлан".into(),
        signatory_position: "Бас дәрігер".into(),
        qr: Some(tirek_domain::referral::qr_payload(
            "0193a0b1-0000-7000-8000-000000000001",
            "СЕ-4821-9375/0012",
            "2026-12-01",
        )),
    }
}

fn clinic() -> ClinicBlock {
    ClinicBlock {
        name: "Сайрам аудандық емханасы".into(),
        bin: Some("040140001236".into()),
        address: Some("Ақсу ауылы, Жібек жолы 12".into()),
        phone: Some("+7 725 312 14 55".into()),
    }
}

/// The parent's handout for the Sairam district, in `language`.
pub fn handout(language: Language) -> HandoutDoc {
    HandoutDoc {
        language,
        clinic: Some(clinic()),
        district: "Сайрам ауданы".into(),
        services: vec![
            HandoutService {
                kind: "respite_care".into(),
                name: "Сайрам ауданының уақытша күтім қызметі".into(),
                address: Some("Ақсу ауылы, Бейбітшілік 3".into()),
                phone: "+7 725 312 00 03".into(),
                languages: Some("Қазақша, Русский".into()),
                notes: Some("Дүйсенбі–жұма, 9:00–18:00".into()),
            },
            HandoutService {
                kind: "peer_group".into(),
                name: "«Ерекше бақыт» ата-аналар тобы".into(),
                address: None,
                phone: "+7 701 234 56 78".into(),
                languages: None,
                notes: None,
            },
        ],
        psychologist: "Серікова Айгүл".into(),
        date: "01.12.2026".into(),
    }
}

/// A one-page client summary, in `language`.
pub fn summary(language: Language) -> SummaryDoc {
    SummaryDoc {
        language,
        clinic: Some(clinic()),
        name: format!("Құрманғазиева {KAZAKH}"),
        facts: vec![(tirek_i18n::Messages::new(language).get("record-phone"), "+7 701 234 56 78".into())],
        children: vec!["Ерасыл, 01.03.2016, F84.0".into()],
        consents: vec!["record — 30.08.2026".into()],
        scores: vec!["PHQ-9: 01.11.2026 — 8".into()],
        risk_flags: vec![],
        next: (1..=7).map(|n| format!("0{n}.12.2026 · қоңырау {n}")).collect(),
        printed_on: "01.12.2026".into(),
    }
}

/// The consent form for the sample client, in `language`.
pub fn consent_form(language: Language) -> ConsentFormDoc {
    ConsentFormDoc {
        language,
        clinic: Some(clinic()),
        client_name: format!("Құрманғазиева {KAZAKH}"),
        iin: Some("900315400123".into()),
        birth_date: Some("15.03.1990".into()),
        psychologist: "Серікова Айгүл".into(),
    }
}

/// A recovery sheet, in `language`.
pub fn recovery_sheet(language: Language) -> RecoverySheet<'static> {
    RecoverySheet {
        language,
        profile_name: "Серікова Айгүл",
        created: "01.12.2026",
        recovery_key: "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567-89AB",
    }
}
