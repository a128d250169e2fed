//! Referrals and the services they go to: the directory's entries, the letter as
//! composed, its life from draft to outcome, and its outgoing number.
//!
//! Outgoing numbers are `PREFIX-SSSS-SSSS/NNNN`, such as `СЕ-4821-9375/0012`: the
//! clinic's own prefix, a series of eight decimal digits printed in two groups of
//! four, and the count of that series' letters. The series has digits only because
//! numbers are read aloud over the phone: Latin A, B, C, E, H, K, M, O, P, T, X and Y
//! look like Cyrillic letters and are said differently, so a dictated "MQW8" is a
//! mistake waiting to happen, while "сорок восемь двадцать один" is not.
//!
//! The series is drawn at random the first time a profile issues a letter on a
//! computer, and drawn again whenever the profile is opened on another computer (a
//! restored backup); the store never draws one the profile already knows (its own
//! earlier series and those of the letters it holds). Two computers in different
//! series cannot issue the same number, even when neither has seen the other.
//!
//! The odds, honestly: there are 10^8 series, so a given pair of computers shares one
//! with a chance of 1 in 10^8. Across a deployment the chance that *some* pair does
//! grows with the number of pairs: about 1 in 5,000 for 200 computers, and about 2 % for
//! a national deployment of 2,000 computers — a real chance, though a shared series
//! gives the same numbers only to clinics with the same prefix. The sync server
//! (issue 12) closes it: it will refuse a series it already knows, and the profile
//! then draws another.

use crate::Language;
use crate::caseload::{Check, FieldError, LINE_MAX, Problem, choices, free_text, line, required};
use crate::phone;
use crate::text::TextProblem;

choices! {
    /// What a service in the directory offers (DESIGN.md §4, the white paper's list).
    ServiceKind {
        /// Child or adult psychiatry.
        Psychiatry = "psychiatry",
        /// Medical or social rehabilitation, rehabilitation centres.
        Rehabilitation = "rehabilitation",
        /// Short breaks for the carer: day care, short stays.
        RespiteCare = "respite_care",
        /// Parents' peer groups and self-help.
        PeerGroup = "peer_group",
        /// Social protection: benefits, the disability assessment, social workers.
        SocialProtection = "social_protection",
        /// A family support centre.
        FamilySupport = "family_support_centre",
        /// A non-governmental organisation.
        Ngo = "ngo",
    }
}

choices! {
    /// How soon the family should be seen.
    Urgency {
        /// In the usual course.
        Routine = "routine",
        /// Within days.
        Soon = "soon",
        /// Today or tomorrow.
        Urgent = "urgent",
    }
}

choices! {
    /// Where a referral letter stands.
    LetterStatus {
        /// Being written; no number yet.
        Draft = "draft",
        /// Numbered and printed.
        Issued = "issued",
        /// Handed to the service (by post, by hand, by the parent).
        Delivered = "delivered",
        /// The family was seen.
        Attended = "attended",
        /// The family or the service declined.
        Declined = "declined",
    }
}

impl LetterStatus {
    /// Whether a letter in this status may be marked `next` by hand. Issuing is its
    /// own step (it gives the number); an outcome is final.
    pub fn may_become(self, next: LetterStatus) -> bool {
        use LetterStatus::*;
        matches!((self, next), (Issued, Delivered) | (Issued | Delivered, Attended) | (Issued | Delivered, Declined))
    }
}

/// A service as typed into the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceForm {
    /// The service's name (required).
    pub name: String,
    /// A [`ServiceKind`] code (required).
    pub kind: String,
    /// Region and district codes (checked against the regions list by the caller).
    pub region: String,
    /// District code.
    pub district: String,
    /// Street address.
    pub address: String,
    /// Phone (required: a family must be able to call).
    pub phone: String,
    /// Languages it serves in: `kk`, `ru`, `en`.
    pub languages: Vec<String>,
    /// Opening hours, how to get an appointment, what to bring.
    pub notes: String,
}

/// A service after the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: ServiceKind,
    /// Region code.
    pub region: Option<String>,
    /// District code.
    pub district: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone, `+7XXXXXXXXXX`.
    pub phone: String,
    /// Languages, in the order kk, ru, en.
    pub languages: Vec<Language>,
    /// Notes.
    pub notes: Option<String>,
}

impl ServiceForm {
    /// The clean entry, or every problem with its field.
    pub fn validate(&self) -> Result<Service, Vec<FieldError>> {
        let mut check = Check::default();
        let name = check.field("name", required(&self.name, LINE_MAX));
        let kind = check.field("kind", ServiceKind::check(&self.kind));
        let region = check.field("region", line(&self.region, 40));
        let district = check.field("district", line(&self.district, 40));
        let address = check.field("address", line(&self.address, LINE_MAX));
        let phone = check.field(
            "phone",
            if self.phone.trim().is_empty() {
                Err(Problem::Text(TextProblem::Empty))
            } else {
                phone::normalize(&self.phone).map_err(Problem::Phone)
            },
        );
        let mut languages = Vec::new();
        for code in &self.languages {
            match code.trim().parse::<Language>() {
                Ok(language) if !languages.contains(&language) => languages.push(language),
                Ok(_) => {}
                Err(_) => check.fail("languages", Problem::UnknownChoice),
            }
        }
        languages.sort_by_key(|l| Language::ALL.iter().position(|x| x == l));
        let notes = check.field("notes", free_text(&self.notes));
        check.finish(|| Service {
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(ServiceKind::Ngo),
            region: region.flatten(),
            district: district.flatten(),
            address: address.flatten(),
            phone: phone.unwrap_or_default(),
            languages,
            notes: notes.flatten(),
        })
    }
}

/// A referral letter as typed in the composer: saved as a draft while incomplete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralForm {
    /// The recipient organisation (from the directory, or typed).
    pub recipient: String,
    /// Its address, and a person or department to address it to.
    pub recipient_address: String,
    /// Why the family is referred.
    pub reason: String,
    /// What the psychologist found: prefilled from the latest consultation and
    /// questionnaires, edited freely.
    pub findings: String,
    /// The service asked for.
    pub service_requested: String,
    /// An [`Urgency`] code.
    pub urgency: String,
    /// The letter's language: `kk`, `ru` or `en`.
    pub language: String,
    /// The signatory: name and position.
    pub signatory_name: String,
    /// Position.
    pub signatory_position: String,
}

/// A referral's fields after the rules; empty ones are `None` while a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralDraft {
    /// Recipient.
    pub recipient: Option<String>,
    /// Recipient's address.
    pub recipient_address: Option<String>,
    /// Reason.
    pub reason: Option<String>,
    /// Findings.
    pub findings: Option<String>,
    /// Service requested.
    pub service_requested: Option<String>,
    /// Urgency.
    pub urgency: Urgency,
    /// Language.
    pub language: Language,
    /// Signatory's name.
    pub signatory_name: Option<String>,
    /// Signatory's position.
    pub signatory_position: Option<String>,
}

impl ReferralForm {
    /// The draft with each field cleaned (lengths, control characters, choices), or
    /// every problem; nothing is required yet.
    pub fn clean(&self) -> Result<ReferralDraft, Vec<FieldError>> {
        let mut check = Check::default();
        let recipient = check.field("recipient", line(&self.recipient, LINE_MAX));
        let recipient_address = check.field("recipient_address", free_text(&self.recipient_address));
        let reason = check.field("reason", free_text(&self.reason));
        let findings = check.field("findings", free_text(&self.findings));
        let service_requested = check.field("service_requested", line(&self.service_requested, LINE_MAX));
        let urgency = check.field(
            "urgency",
            if self.urgency.trim().is_empty() { Ok(Urgency::Routine) } else { Urgency::check(&self.urgency) },
        );
        let language =
            check.field("language", self.language.trim().parse::<Language>().map_err(|_| Problem::UnknownChoice));
        let signatory_name = check.field("signatory_name", line(&self.signatory_name, LINE_MAX));
        let signatory_position = check.field("signatory_position", line(&self.signatory_position, LINE_MAX));
        check.finish(|| ReferralDraft {
            recipient: recipient.flatten(),
            recipient_address: recipient_address.flatten(),
            reason: reason.flatten(),
            findings: findings.flatten(),
            service_requested: service_requested.flatten(),
            urgency: urgency.unwrap_or(Urgency::Routine),
            language: language.unwrap_or(Language::Russian),
            signatory_name: signatory_name.flatten(),
            signatory_position: signatory_position.flatten(),
        })
    }
}

impl ReferralDraft {
    /// What must still be filled in before the letter can be issued: a recipient, a
    /// reason, the service asked for, and who signs.
    pub fn missing_for_issue(&self) -> Vec<FieldError> {
        [
            ("recipient", self.recipient.is_none()),
            ("reason", self.reason.is_none()),
            ("service_requested", self.service_requested.is_none()),
            ("signatory_name", self.signatory_name.is_none()),
            ("signatory_position", self.signatory_position.is_none()),
        ]
        .into_iter()
        .filter(|(_, missing)| *missing)
        .map(|(field, _)| FieldError { field, problem: Problem::Text(TextProblem::Empty) })
        .collect()
    }
}

/// How many series there are: eight decimal digits.
const SERIES_COUNT: u64 = 100_000_000;

/// A new letter series from 64 random bits: eight decimal digits, such as
/// `48219375`. (Reducing 2^64 values modulo 10^8 favours some series by about one part
/// in 10^11: nothing to correct.)
pub fn new_series(random: u64) -> String {
    format!("{:08}", random % SERIES_COUNT)
}

/// Whether `series` has the shape [`new_series`] draws: eight decimal digits.
pub fn is_series(series: &str) -> bool {
    series.len() == 8 && series.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the clinic's letter-number prefix: up to 12 letters (Latin or Cyrillic),
/// digits, dots or hyphens; empty for none.
pub fn check_prefix(typed: &str) -> Result<String, Problem> {
    let prefix = typed.trim();
    if prefix.chars().count() > 12 || !prefix.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.') {
        return Err(Problem::UnknownChoice);
    }
    Ok(prefix.to_owned())
}

/// The outgoing number of the `n`th letter of `series`, the series printed in two
/// groups of four digits: `letter_number("СЕ", "48219375", 12)` is `СЕ-4821-9375/0012`.
pub fn letter_number(prefix: &str, series: &str, n: u32) -> String {
    let printed = match (series.get(..4), series.get(4..)) {
        (Some(first), Some(second)) if !second.is_empty() => format!("{first}-{second}"),
        _ => series.to_owned(),
    };
    if prefix.is_empty() { format!("{printed}/{n:04}") } else { format!("{prefix}-{printed}/{n:04}") }
}

/// The series of an outgoing number as [`letter_number`] prints it (`СЕ-4821-9375/0012`
/// gives `48219375`), or `None` when the number has another shape.
pub fn series_of(number: &str) -> Option<String> {
    let (head, count) = number.rsplit_once('/')?;
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The printed series is the last nine bytes before the slash, after the prefix's hyphen.
    let start = head.len().checked_sub(9)?;
    let (prefix, printed) = (head.get(..start)?, head.get(start..)?);
    let (first, second) = printed.split_once('-')?;
    let series = format!("{first}{second}");
    (first.len() == 4 && is_series(&series) && (prefix.is_empty() || prefix.ends_with('-'))).then_some(series)
}

/// CRC-32 (IEEE), the check in a letter's QR code: a damaged or retyped code shows.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// What a letter's QR code holds: its id, number and date, and a checksum of the three.
pub fn qr_payload(id: &str, number: &str, date: &str) -> String {
    let body = format!("TIREK-LETTER:{id}:{number}:{date}");
    let check = crc32(body.as_bytes());
    format!("{body}:{check:08X}")
}

/// Whether a scanned QR payload is intact (its checksum matches).
pub fn qr_payload_is_intact(payload: &str) -> bool {
    let Some((body, check)) = payload.rsplit_once(':') else { return false };
    body.starts_with("TIREK-LETTER:") && format!("{:08X}", crc32(body.as_bytes())) == check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_needs_a_name_a_kind_and_a_phone() {
        let form = ServiceForm {
            name: "Орталық".into(),
            kind: "respite_care".into(),
            phone: "8 (701) 234-56-78".into(),
            languages: vec!["ru".into(), "kk".into(), "kk".into()],
            ..ServiceForm::default()
        };
        let service = form.validate().unwrap();
        assert_eq!(service.phone, "+77012345678");
        assert_eq!(service.languages, [Language::Kazakh, Language::Russian]);

        let empty = ServiceForm { kind: "spa".into(), languages: vec!["de".into()], ..ServiceForm::default() };
        let fields: Vec<&str> = empty.validate().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "kind", "phone", "languages"]);
    }

    #[test]
    fn a_draft_keeps_what_is_typed_and_issuing_needs_recipient_reason_service_and_signatory() {
        let form = ReferralForm { reason: "Шаршау".into(), language: "kk".into(), ..ReferralForm::default() };
        let draft = form.clean().unwrap();
        assert_eq!((draft.urgency, draft.language), (Urgency::Routine, Language::Kazakh));
        let missing: Vec<&str> = draft.missing_for_issue().iter().map(|e| e.field).collect();
        assert_eq!(missing, ["recipient", "service_requested", "signatory_name", "signatory_position"]);
        let bad = ReferralForm { urgency: "yesterday".into(), language: "de".into(), ..ReferralForm::default() };
        let fields: Vec<&str> = bad.clean().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["urgency", "language"]);
    }

    #[test]
    fn statuses_move_forward_only_and_an_outcome_is_final() {
        use LetterStatus::*;
        assert!(Issued.may_become(Delivered));
        assert!(Issued.may_become(Attended) && Delivered.may_become(Declined));
        for (from, to) in
            [(Draft, Issued), (Delivered, Issued), (Attended, Declined), (Declined, Delivered), (Draft, Attended)]
        {
            assert!(!from.may_become(to), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn a_series_is_eight_digits_with_no_letter_to_misread() {
        assert_eq!(new_series(0), "00000000");
        assert_eq!(new_series(48_219_375), "48219375");
        assert_eq!(new_series(SERIES_COUNT + 7), "00000007");
        assert_eq!(new_series(u64::MAX), format!("{:08}", u64::MAX % SERIES_COUNT));
        let mut random = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..1000 {
            random = random.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let series = new_series(random);
            assert!(is_series(&series), "{series}");
        }
        assert_ne!(new_series(1), new_series(2));
        for not_a_series in ["MQW8KKKN", "4821937", "482193750", "4821-937", "４８２１９３７５"] {
            assert!(!is_series(not_a_series), "{not_a_series}");
        }
    }

    #[test]
    fn numbers_print_the_series_in_two_groups_of_four_after_the_prefix() {
        assert_eq!(letter_number("СЕ", "48219375", 1), "СЕ-4821-9375/0001");
        assert_eq!(letter_number("ЕМ-3", "00120034", 12), "ЕМ-3-0012-0034/0012");
        assert_eq!(letter_number("", "48219375", 1), "4821-9375/0001");
        assert_eq!(letter_number("СЕ", "48219375", 12345), "СЕ-4821-9375/12345");
        // Only the clinic's own prefix may hold letters: what is dictated after it is digits.
        let number = letter_number("СЕ", &new_series(987_654_321), 7);
        assert!(number["СЕ-".len()..].chars().all(|c| c.is_ascii_digit() || c == '-' || c == '/'), "{number}");
        assert_eq!(check_prefix(" ПК-2 "), Ok("ПК-2".into()));
        assert!(check_prefix("with space").is_err() && check_prefix("ABCDEFGHIJKLM").is_err());
    }

    #[test]
    fn the_series_is_read_back_from_a_number() {
        for prefix in ["", "СЕ", "ПК-3", "A.1", "ЕМ-2024"] {
            for series in ["48219375", "00000000", "99999999"] {
                let number = letter_number(prefix, series, 42);
                assert_eq!(series_of(&number).as_deref(), Some(series), "{number}");
            }
        }
        for other in
            ["CE-MQW8KKKN/0001", "СЕ-48219375/0001", "СЕ-4821-9375", "СЕ-4821-9375/", "СЕ4821-9375/0001", "", "/"]
        {
            assert_eq!(series_of(other), None, "{other}");
        }
    }

    #[test]
    fn the_qr_payload_shows_a_damaged_code() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926, "the standard check value");
        let number = letter_number("ПК", "48219375", 12);
        let payload = qr_payload("0193-abc", &number, "2026-12-01");
        assert!(qr_payload_is_intact(&payload), "{payload}");
        assert_eq!(payload.split(':').nth(2), Some("ПК-4821-9375/0012"), "the number is held whole");
        assert!(!qr_payload_is_intact(&payload.replace("0012", "0013")));
        assert!(!qr_payload_is_intact("TIREK-LETTER:x"));
    }
}
