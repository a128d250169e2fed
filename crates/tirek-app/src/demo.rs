//! A realistic, entirely fictional caseload for trying Tirek and for benchmarks
//! (`tirek demo seed --clients N`): mothers (mostly) and fathers with Kazakh and
//! Russian names, their children's diagnoses, consents, consultations over the last
//! two years — most signed, the recent ones sometimes still drafts — and follow-ups,
//! some overdue. Names and texts come from `data/demo-names.toml`; a seed makes the
//! caseload reproducible.

use serde::{Deserialize, Serialize};
use tirek_domain::change::FieldValue;
use tirek_domain::date::Date;

use crate::caseload::{new_id, today};
use crate::profiles::now_ms;
use crate::{App, Result};

const NAMES_TOML: &str = include_str!("../../../data/demo-names.toml");

#[derive(Debug, Deserialize)]
struct Names {
    kazakh_female_given: Vec<String>,
    kazakh_male_given: Vec<String>,
    kazakh_family_male: Vec<String>,
    kazakh_patronymic_stems: Vec<String>,
    russian_female_given: Vec<String>,
    russian_male_given: Vec<String>,
    russian_family_male: Vec<String>,
    unchangeable_family: Vec<String>,
    russian_patronymic_female: Vec<String>,
    concerns_ru: Vec<String>,
    concerns_kk: Vec<String>,
    plans_ru: Vec<String>,
    plans_kk: Vec<String>,
    notes_ru: Vec<String>,
    notes_kk: Vec<String>,
    child_diagnoses: Vec<Diagnosis>,
}

#[derive(Debug, Deserialize)]
struct Diagnosis {
    text_ru: String,
    text_kk: String,
    icd10: String,
}

/// What a seed created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct SeedSummary {
    pub clients: u32,
    pub children: u32,
    pub consultations: u32,
    pub follow_ups: u32,
    pub assessments: u32,
    pub open_flags: u32,
    /// Example services added to an empty directory.
    pub services: u32,
}

/// SplitMix64: small, fast and reproducible; nothing here needs more.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn text(value: impl Into<String>) -> FieldValue {
    FieldValue::Text(value.into())
}

/// Clients per transaction: big enough to be quick, small enough to keep memory low.
const BATCH: u32 = 250;

/// The districts the demo families live in: a rural region and a city.
const DISTRICTS: &[(&str, &str)] = &[
    ("turkistan", "turkistan.sairam"),
    ("turkistan", "turkistan.tole_bi"),
    ("turkistan", "turkistan.kazygurt"),
    ("shymkent", "shymkent.abay"),
    ("shymkent", "shymkent.al_farabi"),
];

impl App {
    /// Adds `clients` fictional clients, with children, consents, about ten
    /// consultations each over two years and follow-ups, to the unlocked profile —
    /// and the example services, when the directory is empty.
    pub fn demo_seed(&self, clients: u32, seed: u64) -> Result<SeedSummary> {
        let names: Names = toml::from_str(NAMES_TOML).expect("data/demo-names.toml is valid (tested)");
        let mut random = Random(seed);
        let today = today();
        let mut summary = SeedSummary::default();
        // A PHQ-9 history for most families, as the questionnaires are used.
        let phq9 = crate::instruments::bundled().iter().find(|i| i.id == "phq9").expect("PHQ-9 is bundled (tested)");
        let mut remaining = clients;
        while remaining > 0 {
            let batch = remaining.min(BATCH);
            remaining -= batch;
            self.with_profile(|open, author| {
                open.write(author, now_ms(), |changes| {
                    for _ in 0..batch {
                        let client = seed_family(changes, &names, &mut random, today, author, &mut summary)?;
                        if random.chance(60) {
                            seed_phq9(changes, phq9, &client, &mut random, today, &mut summary)?;
                        }
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        }
        // A directory to refer to, when there is none yet.
        if self.services(&crate::ServiceQuery::default())?.is_empty() {
            summary.services = self.add_example_services()?.added;
        }
        Ok(summary)
    }
}

/// One to five PHQ-9s over two years for `client`, usually easing with the
/// counselling; when the latest one fires a safety rule, its flag is open.
fn seed_phq9(
    changes: &mut tirek_store::changes::Changes<'_>,
    phq9: &tirek_domain::instrument::Instrument,
    client: &str,
    random: &mut Random,
    today: Date,
    summary: &mut SeedSummary,
) -> tirek_store::Result<()> {
    let count = 1 + random.below(5);
    let mut level = random.below(3) as i32 + i32::from(random.chance(30)); // typical answer, 0–3
    for n in 0..count {
        let taken_on = today.plus_days(-(730 * (count - n) as i64 / count as i64) + random.below(20) as i64).min(today);
        let answers: Vec<Option<i32>> = (0..9)
            .map(|item| {
                let value = if item == 8 {
                    i32::from(random.chance(3))
                } else {
                    (level + random.below(3) as i32 - 1).clamp(0, 3)
                };
                Some(value)
            })
            .collect();
        let Ok(score) = phq9.score(&answers) else { continue };
        let id = new_id();
        let answers_json = serde_json::to_string(&answers).expect("numbers serialise");
        changes.insert(
            "assessment",
            &id,
            &[
                ("client_id", text(client)),
                ("instrument", text(&phq9.id)),
                ("instrument_version", text(&phq9.version)),
                ("language", text(*random.pick(&["kk", "ru"]))),
                ("answers", text(answers_json)),
                ("total_centi", score.total.map_or(FieldValue::Null, |t| FieldValue::Integer((t * 100.0) as i64))),
                ("band", score.band.clone().map_or(FieldValue::Null, text)),
                ("flags", text(score.flags.join(","))),
                ("administered_by", text(*random.pick(&["clinician", "parent"]))),
                ("taken_on", text(taken_on.to_string())),
                ("created_at", FieldValue::Integer(now_ms())),
            ],
        )?;
        summary.assessments += 1;
        // Earlier flags were dealt with long ago; only the latest one is open.
        let latest = n + 1 == count;
        for rule in score.flags.iter().filter(|_| latest) {
            changes.insert(
                "risk_flag",
                &new_id(),
                &[
                    ("client_id", text(client)),
                    ("assessment_id", text(&id)),
                    ("source", text("rule")),
                    ("rule", text(rule.clone())),
                    ("raised_at", FieldValue::Integer(now_ms())),
                ],
            )?;
            summary.open_flags += 1;
        }
        level = (level - i32::from(random.chance(60))).max(0);
    }
    Ok(())
}

fn seed_family(
    changes: &mut tirek_store::changes::Changes<'_>,
    names: &Names,
    random: &mut Random,
    today: Date,
    author: &str,
    summary: &mut SeedSummary,
) -> tirek_store::Result<String> {
    let kazakh = random.chance(65);
    let mother = random.chance(88);
    let (family, given, patronymic, language) = if kazakh {
        let family = random.pick(&names.kazakh_family_male).clone();
        let stem = random.pick(&names.kazakh_patronymic_stems);
        if mother {
            (format!("{family}а"), random.pick(&names.kazakh_female_given).clone(), format!("{stem}қызы"), "kk")
        } else {
            (family, random.pick(&names.kazakh_male_given).clone(), format!("{stem}ұлы"), "kk")
        }
    } else {
        let unchangeable = random.chance(10);
        let family = if unchangeable {
            random.pick(&names.unchangeable_family).clone()
        } else {
            random.pick(&names.russian_family_male).clone()
        };
        if mother {
            let family = if unchangeable { family } else { format!("{family}а") };
            (
                family,
                random.pick(&names.russian_female_given).clone(),
                random.pick(&names.russian_patronymic_female).clone(),
                "ru",
            )
        } else {
            (family, random.pick(&names.russian_male_given).clone(), String::new(), "ru")
        }
    };
    let (region, district) = *random.pick(DISTRICTS);
    let birth = today.plus_days(-(365 * (24 + random.below(22)) as i64) - random.below(365) as i64);
    let client = new_id();
    let phone = format!("+77{:02}{:07}", [0, 1, 2, 5, 7, 8][random.below(6)], random.below(10_000_000));
    changes.insert(
        "client",
        &client,
        &[
            ("family_name", text(family)),
            ("given_name", text(given)),
            ("patronymic", if patronymic.is_empty() { FieldValue::Null } else { text(patronymic) }),
            ("birth_date", text(birth.to_string())),
            ("phone", text(phone)),
            ("region", text(region)),
            ("district", text(district)),
            ("language", text(language)),
            ("archived", FieldValue::Integer(i64::from(random.chance(5)))),
            ("owner", text(author)),
            ("created_at", FieldValue::Integer(now_ms())),
        ],
    )?;
    summary.clients += 1;
    for _ in 0..1 + usize::from(random.chance(20)) {
        let diagnosis = random.pick(&names.child_diagnoses);
        let born = today.plus_days(-(365 * (1 + random.below(16)) as i64) - random.below(365) as i64);
        changes.insert(
            "child",
            &new_id(),
            &[
                ("client_id", text(&client)),
                (
                    "name",
                    text(if kazakh {
                        random.pick(&names.kazakh_male_given)
                    } else {
                        random.pick(&names.russian_male_given)
                    }),
                ),
                ("birth_date", text(born.to_string())),
                ("disability", text(*random.pick(&["child", "child", "none", "group_2"]))),
                ("special_needs", FieldValue::Integer(i64::from(random.chance(70)))),
                ("diagnosis", text(if kazakh { &diagnosis.text_kk } else { &diagnosis.text_ru })),
                ("icd10", text(&diagnosis.icd10)),
                ("diagnosed_on", text(born.plus_days(200 + random.below(700) as i64).min(today).to_string())),
                ("irp_status", text(*random.pick(&["none", "active", "active", "in_preparation", "expired"]))),
            ],
        )?;
        summary.children += 1;
    }
    for (scope, percent) in [("record", 95), ("server", 60), ("referral", 40)] {
        if random.chance(percent) {
            changes.insert(
                "consent",
                &new_id(),
                &[
                    ("client_id", text(&client)),
                    ("scope", text(scope)),
                    ("given_by", text("client")),
                    ("method", text("signed_paper")),
                    ("given_on", text(today.plus_days(-730 - random.below(60) as i64).to_string())),
                ],
            )?;
        }
    }
    let (concerns, plans, notes) = if kazakh {
        (&names.concerns_kk, &names.plans_kk, &names.notes_kk)
    } else {
        (&names.concerns_ru, &names.plans_ru, &names.notes_ru)
    };
    for _ in 0..random.below(21) {
        let days_ago = random.below(730) as i64;
        let held_on = today.plus_days(-days_ago);
        let consultation = new_id();
        let signed = days_ago > 3 || random.chance(50);
        let mut fields = vec![
            ("format", text(*random.pick(&["individual", "individual", "individual", "online", "home_visit"]))),
            ("held_on", text(held_on.to_string())),
            ("duration_minutes", FieldValue::Integer([30, 45, 45, 60, 90][random.below(5)])),
            ("concerns", text(random.pick(concerns))),
            (
                "interventions",
                text(*random.pick(&["supportive_counselling", "psychoeducation,stress_management", "problem_solving"])),
            ),
            ("notes", text(random.pick(notes))),
            ("plan", text(random.pick(plans))),
            ("created_at", FieldValue::Integer(held_on.days() * 86_400_000 + 5 * 3_600_000)),
        ];
        if signed {
            fields.push(("signed_at", FieldValue::Integer(held_on.days() * 86_400_000 + 6 * 3_600_000)));
            fields.push(("signed_by", text(author)));
        }
        // Who attended first: a signed consultation takes no new attendees.
        changes.insert(
            "attendance",
            &new_id(),
            &[("consultation_id", text(&consultation)), ("client_id", text(&client))],
        )?;
        changes.insert("consultation", &consultation, &fields)?;
        summary.consultations += 1;
    }
    if random.chance(35) {
        let due = today.plus_days(random.below(40) as i64 - 10);
        changes.insert(
            "follow_up",
            &new_id(),
            &[
                ("client_id", text(&client)),
                ("kind", text(*random.pick(&["follow_up", "appointment", "call"]))),
                ("due_on", text(due.to_string())),
            ],
        )?;
        summary.follow_ups += 1;
    }
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_file_parses_and_feeds_valid_records() {
        let names: Names = toml::from_str(NAMES_TOML).unwrap();
        for list in [&names.kazakh_female_given, &names.kazakh_family_male, &names.russian_family_male] {
            assert!(list.len() >= 30);
        }
        for diagnosis in &names.child_diagnoses {
            assert!(tirek_domain::caseload::is_icd10(&diagnosis.icd10), "{}", diagnosis.icd10);
        }
        for (region, district) in DISTRICTS {
            assert!(crate::regions::check(Some(region), Some(district)).is_empty(), "{district}");
        }
    }
}
