//! The caseload's records as forms fill them in, and the rules a form must pass
//! before the store takes it: clients (the parent or guardian), their children,
//! consent, consultations and follow-ups (DESIGN.md §4).
//!
//! A form holds text exactly as typed; `validate` returns either the clean record or
//! every problem at once, each naming its field, so the window can point at each one.
//! The field names are the ones the window and the store use.

use crate::Language;
use crate::date::Date;
use crate::iin::{Iin, IinError};
use crate::phone::{self, PhoneProblem};
use crate::text::{self, TextProblem};

/// Longest name part, in characters.
pub const NAME_MAX: usize = 100;
/// Longest one-line field (address, participants, diagnosis), in characters.
pub const LINE_MAX: usize = 300;
/// Longest free-text field (notes), in characters.
pub const TEXT_MAX: usize = 20_000;
/// Oldest plausible age, in years.
const AGE_MAX: i32 = 120;

/// What is wrong with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Empty, too long, or holding control characters.
    Text(TextProblem),
    /// Not a valid IIN.
    Iin(IinError),
    /// Not a valid BIN (the same reasons, read for an organisation's number).
    Bin(IinError),
    /// The IIN encodes a different date of birth from the one entered.
    IinBirthDateMismatch,
    /// Not a usable phone number.
    Phone(PhoneProblem),
    /// Not a date.
    NotADate,
    /// A date that has not come yet.
    DateInFuture,
    /// A date of birth more than 120 years ago.
    DateTooOld,
    /// A date before the child was born.
    BeforeBirth,
    /// A child born before the parent (or less than 10 years after).
    ChildOlderThanParent,
    /// Not an ICD-10 code (a letter, two digits, optionally a dot and one or two more).
    NotIcd10,
    /// Not one of the allowed choices.
    UnknownChoice,
    /// A district that is not in the region chosen.
    DistrictNotInRegion,
    /// A whole number outside its range (the range).
    OutOfRange(u32, u32),
    /// The time of day is not `HH:MM`.
    NotATime,
    /// Withdrawn before it was given.
    WithdrawnBeforeGiven,
    /// Withdrawn already: a withdrawal is final; a new consent is a new record.
    AlreadyWithdrawn,
    /// Earlier than the letter it is about was issued.
    BeforeIssued,
}

/// A problem in a named field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as the form and the store name it.
    pub field: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

/// Collects a form's problems while its fields are checked one by one.
#[derive(Debug, Default)]
pub(crate) struct Check(pub(crate) Vec<FieldError>);

impl Check {
    pub(crate) fn field<T>(&mut self, field: &'static str, result: Result<T, Problem>) -> Option<T> {
        result.map_err(|problem| self.0.push(FieldError { field, problem })).ok()
    }

    pub(crate) fn fail(&mut self, field: &'static str, problem: Problem) {
        self.0.push(FieldError { field, problem });
    }

    pub(crate) fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() { Ok(value()) } else { Err(self.0) }
    }
}

pub(crate) fn line(typed: &str, max: usize) -> Result<Option<String>, Problem> {
    let cleaned = text::clean_line(typed, max).map_err(Problem::Text)?;
    Ok((!cleaned.is_empty()).then_some(cleaned))
}

pub(crate) fn required(typed: &str, max: usize) -> Result<String, Problem> {
    text::required_line(typed, max).map_err(Problem::Text)
}

pub(crate) fn free_text(typed: &str) -> Result<Option<String>, Problem> {
    let cleaned = text::clean_text(typed, TEXT_MAX).map_err(Problem::Text)?;
    Ok((!cleaned.trim().is_empty()).then_some(cleaned))
}

pub(crate) fn optional_date(typed: &str) -> Result<Option<Date>, Problem> {
    if typed.trim().is_empty() { Ok(None) } else { Date::parse(typed).map(Some).map_err(|_| Problem::NotADate) }
}

pub(crate) fn past_date(typed: &str, today: Date) -> Result<Option<Date>, Problem> {
    match optional_date(typed)? {
        Some(date) if date > today => Err(Problem::DateInFuture),
        other => Ok(other),
    }
}

fn birth_date(typed: &str, today: Date) -> Result<Option<Date>, Problem> {
    match past_date(typed, today)? {
        Some(date) if date.years_until(today) > AGE_MAX => Err(Problem::DateTooOld),
        other => Ok(other),
    }
}

pub(crate) fn choice<T: Copy>(typed: &str, choices: &[(&str, T)]) -> Result<T, Problem> {
    choices.iter().find(|(code, _)| *code == typed.trim()).map(|(_, value)| *value).ok_or(Problem::UnknownChoice)
}

/// Checks an optional IIN and that it agrees with a date of birth, when both are given.
fn iin_and_birth(check: &mut Check, iin: &str, birth: Option<Date>, birth_field: &'static str) -> Option<Iin> {
    if iin.trim().is_empty() {
        return None;
    }
    let iin = check.field("iin", Iin::parse(iin).map_err(Problem::Iin))?;
    if let Some(birth) = birth {
        let encoded = iin.birth_date();
        if Date::new(encoded.year, encoded.month, encoded.day) != Some(birth) {
            check.fail(birth_field, Problem::IinBirthDateMismatch);
        }
    }
    Some(iin)
}

macro_rules! choices {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every choice, in the order a form lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored and shown to the window.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The choice with `code`.
            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|choice| choice.code() == code)
            }

            #[allow(dead_code)]
            pub(crate) fn check(typed: &str) -> Result<$name, Problem> {
                let choices: Vec<(&str, $name)> = $name::ALL.iter().map(|c| (c.code(), *c)).collect();
                $crate::caseload::choice(typed, &choices)
            }
        }
    };
}
pub(crate) use choices;

choices! {
    /// A child's disability status under Kazakhstan's medical and social assessment.
    Disability {
        /// No disability established (special educational needs may still apply).
        None = "none",
        /// A child with a disability, under 16 (no group is assigned).
        Child = "child",
        /// First group (16 and older).
        Group1 = "group_1",
        /// Second group.
        Group2 = "group_2",
        /// Third group.
        Group3 = "group_3",
    }
}

choices! {
    /// Where the child's individual rehabilitation programme (IRP) stands.
    IrpStatus {
        /// No programme.
        None = "none",
        /// Being drawn up.
        InPreparation = "in_preparation",
        /// In force.
        Active = "active",
        /// Carried out.
        Completed = "completed",
        /// Lapsed without being renewed.
        Expired = "expired",
    }
}

choices! {
    /// What a consent covers (`reference/kazakhstan.md`: one purpose per consent).
    ConsentScope {
        /// Keeping the record in Tirek on this computer.
        Record = "record",
        /// Sending it to the clinic's central server for supervision.
        Server = "server",
        /// Sharing what a referral letter needs with the service referred to.
        Referral = "referral",
    }
}

choices! {
    /// Who gave a consent.
    ConsentGiver {
        /// The client.
        Client = "client",
        /// A legal representative.
        Representative = "representative",
    }
}

choices! {
    /// How a consent was given.
    ConsentMethod {
        /// A signed paper form, kept at the clinic.
        SignedPaper = "signed_paper",
        /// Aloud, before a witness.
        VerbalWithWitness = "verbal_witness",
    }
}

choices! {
    /// How a consultation was held.
    ConsultationFormat {
        /// One family.
        Individual = "individual",
        /// Several clients at once.
        Group = "group",
        /// By video or phone.
        Online = "online",
        /// At the family's home.
        HomeVisit = "home_visit",
    }
}

choices! {
    /// The interventions a psychologist picks from (free text covers the rest).
    Intervention {
        /// Information about the child's condition and what helps.
        Psychoeducation = "psychoeducation",
        /// Listening and support.
        SupportiveCounselling = "supportive_counselling",
        /// Stress management and relaxation.
        StressManagement = "stress_management",
        /// Cognitive-behavioural techniques.
        Cbt = "cbt",
        /// Problem solving.
        ProblemSolving = "problem_solving",
        /// Work with the family together.
        FamilyCounselling = "family_counselling",
        /// A crisis intervention or safety plan.
        Crisis = "crisis",
        /// Information on services, benefits and rights.
        ServicesInformation = "services_information",
        /// Linking to a parents' peer group.
        PeerSupport = "peer_support",
        /// A plan for the parent's own rest and health.
        SelfCare = "self_care",
    }
}

choices! {
    /// What a follow-up is.
    FollowUpKind {
        /// A follow-up to do (a call, a check).
        FollowUp = "follow_up",
        /// An appointment with the family.
        Appointment = "appointment",
        /// A phone call.
        Call = "call",
    }
}

/// The client form as typed.
#[derive(Debug, Clone, Default)]
pub struct ClientForm {
    /// Family name (required).
    pub family_name: String,
    /// Given name (required).
    pub given_name: String,
    /// Patronymic.
    pub patronymic: String,
    /// The name in Latin letters, as in a passport.
    pub latin_name: String,
    /// IIN.
    pub iin: String,
    /// Date of birth.
    pub birth_date: String,
    /// Phone.
    pub phone: String,
    /// Address.
    pub address: String,
    /// Region id (from the regions file; checked by the caller).
    pub region: String,
    /// District id.
    pub district: String,
    /// Preferred language code (kk, ru, en).
    pub language: String,
}

/// A client record that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// Family name.
    pub family_name: String,
    /// Given name.
    pub given_name: String,
    /// Patronymic.
    pub patronymic: Option<String>,
    /// The name in Latin letters.
    pub latin_name: Option<String>,
    /// IIN.
    pub iin: Option<Iin>,
    /// Date of birth.
    pub birth_date: Option<Date>,
    /// Phone, `+7XXXXXXXXXX`.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Region id.
    pub region: Option<String>,
    /// District id.
    pub district: Option<String>,
    /// Preferred language.
    pub language: Language,
}

impl ClientForm {
    /// The clean record, or every problem.
    pub fn validate(&self, today: Date) -> Result<Client, Vec<FieldError>> {
        let mut check = Check::default();
        let family_name = check.field("family_name", required(&self.family_name, NAME_MAX));
        let given_name = check.field("given_name", required(&self.given_name, NAME_MAX));
        let patronymic = check.field("patronymic", line(&self.patronymic, NAME_MAX));
        let latin_name = check.field("latin_name", line(&self.latin_name, LINE_MAX));
        let birth = check.field("birth_date", birth_date(&self.birth_date, today));
        let iin = iin_and_birth(&mut check, &self.iin, birth.flatten(), "birth_date");
        let phone = check.field(
            "phone",
            if self.phone.trim().is_empty() {
                Ok(None)
            } else {
                phone::normalize(&self.phone).map(Some).map_err(Problem::Phone)
            },
        );
        let address = check.field("address", line(&self.address, LINE_MAX));
        let region = check.field("region", line(&self.region, NAME_MAX));
        let district = check.field("district", line(&self.district, NAME_MAX));
        let language =
            check.field("language", self.language.trim().parse::<Language>().map_err(|_| Problem::UnknownChoice));
        check.finish(|| Client {
            family_name: family_name.unwrap_or_default(),
            given_name: given_name.unwrap_or_default(),
            patronymic: patronymic.flatten(),
            latin_name: latin_name.flatten(),
            iin,
            birth_date: birth.flatten(),
            phone: phone.flatten(),
            address: address.flatten(),
            region: region.flatten(),
            district: district.flatten(),
            language: language.unwrap_or(Language::Russian),
        })
    }
}

/// The child form as typed.
#[derive(Debug, Clone, Default)]
pub struct ChildForm {
    /// The child's name (required).
    pub name: String,
    /// Date of birth (required).
    pub birth_date: String,
    /// IIN.
    pub iin: String,
    /// [`Disability`] code.
    pub disability: String,
    /// Special educational needs established.
    pub special_needs: bool,
    /// Diagnosis as written.
    pub diagnosis: String,
    /// ICD-10 code.
    pub icd10: String,
    /// When the diagnosis was made.
    pub diagnosed_on: String,
    /// [`IrpStatus`] code.
    pub irp_status: String,
}

/// A child record that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    /// Name.
    pub name: String,
    /// Date of birth.
    pub birth_date: Date,
    /// IIN.
    pub iin: Option<Iin>,
    /// Disability status.
    pub disability: Disability,
    /// Special educational needs.
    pub special_needs: bool,
    /// Diagnosis.
    pub diagnosis: Option<String>,
    /// ICD-10 code, upper case.
    pub icd10: Option<String>,
    /// Date of diagnosis.
    pub diagnosed_on: Option<Date>,
    /// IRP status.
    pub irp_status: IrpStatus,
}

/// Whether `code` looks like an ICD-10 code: `F84`, `G80.1`, `Q90.9`, `F84.01`.
pub fn is_icd10(code: &str) -> bool {
    let bytes = code.as_bytes();
    let head = bytes.len() >= 3
        && bytes[0].is_ascii_uppercase()
        && bytes[1].is_ascii_digit()
        && (bytes[2].is_ascii_digit() || bytes[2] == b'A' || bytes[2] == b'B');
    head && match &bytes[3..] {
        [] => true,
        [b'.', rest @ ..] => (1..=2).contains(&rest.len()) && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

impl ChildForm {
    /// The clean record, or every problem. `parent_birth` is the client's date of
    /// birth, when known: a child cannot be born before the parent was ten.
    pub fn validate(&self, today: Date, parent_birth: Option<Date>) -> Result<Child, Vec<FieldError>> {
        let mut check = Check::default();
        let name = check.field("name", required(&self.name, LINE_MAX));
        let birth = check.field(
            "birth_date",
            birth_date(&self.birth_date, today).and_then(|date| date.ok_or(Problem::Text(TextProblem::Empty))),
        );
        if let (Some(child), Some(parent)) = (birth, parent_birth)
            && parent.years_until(child) < 10
        {
            check.fail("birth_date", Problem::ChildOlderThanParent);
        }
        let iin = iin_and_birth(&mut check, &self.iin, birth, "birth_date");
        let disability = check.field("disability", Disability::check(or_default(&self.disability, "none")));
        let diagnosis = check.field("diagnosis", line(&self.diagnosis, LINE_MAX));
        let icd10 = check.field("icd10", {
            let code = self.icd10.trim().to_uppercase();
            if code.is_empty() {
                Ok(None)
            } else if is_icd10(&code) {
                Ok(Some(code))
            } else {
                Err(Problem::NotIcd10)
            }
        });
        let diagnosed_on = check.field("diagnosed_on", past_date(&self.diagnosed_on, today));
        if let (Some(Some(diagnosed)), Some(born)) = (diagnosed_on, birth)
            && diagnosed < born
        {
            check.fail("diagnosed_on", Problem::BeforeBirth);
        }
        let irp_status = check.field("irp_status", IrpStatus::check(or_default(&self.irp_status, "none")));
        check.finish(|| Child {
            name: name.unwrap_or_default(),
            birth_date: birth.unwrap_or(today),
            iin,
            disability: disability.unwrap_or(Disability::None),
            special_needs: self.special_needs,
            diagnosis: diagnosis.flatten(),
            icd10: icd10.flatten(),
            diagnosed_on: diagnosed_on.flatten(),
            irp_status: irp_status.unwrap_or(IrpStatus::None),
        })
    }
}

fn or_default<'a>(typed: &'a str, default: &'a str) -> &'a str {
    if typed.trim().is_empty() { default } else { typed }
}

/// The consent form as typed.
#[derive(Debug, Clone, Default)]
pub struct ConsentForm {
    /// [`ConsentScope`] code.
    pub scope: String,
    /// [`ConsentGiver`] code.
    pub given_by: String,
    /// The legal representative's name, when one gave it.
    pub representative: String,
    /// [`ConsentMethod`] code.
    pub method: String,
    /// The witness's name, for a verbal consent.
    pub witness: String,
    /// When it was given.
    pub given_on: String,
}

/// A consent that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// What it covers.
    pub scope: ConsentScope,
    /// Who gave it.
    pub given_by: ConsentGiver,
    /// The representative's name.
    pub representative: Option<String>,
    /// How.
    pub method: ConsentMethod,
    /// The witness.
    pub witness: Option<String>,
    /// When.
    pub given_on: Date,
}

impl ConsentForm {
    /// The clean consent, or every problem.
    pub fn validate(&self, today: Date) -> Result<Consent, Vec<FieldError>> {
        let mut check = Check::default();
        let scope = check.field("scope", ConsentScope::check(&self.scope));
        let given_by = check.field("given_by", ConsentGiver::check(&self.given_by));
        let representative = check.field(
            "representative",
            if given_by == Some(ConsentGiver::Representative) {
                required(&self.representative, LINE_MAX).map(Some)
            } else {
                Ok(None)
            },
        );
        let method = check.field("method", ConsentMethod::check(&self.method));
        let witness = check.field(
            "witness",
            if method == Some(ConsentMethod::VerbalWithWitness) {
                required(&self.witness, LINE_MAX).map(Some)
            } else {
                Ok(None)
            },
        );
        let given_on = check.field(
            "given_on",
            past_date(&self.given_on, today).and_then(|date| date.ok_or(Problem::Text(TextProblem::Empty))),
        );
        check.finish(|| Consent {
            scope: scope.unwrap_or(ConsentScope::Record),
            given_by: given_by.unwrap_or(ConsentGiver::Client),
            representative: representative.flatten(),
            method: method.unwrap_or(ConsentMethod::SignedPaper),
            witness: witness.flatten(),
            given_on: given_on.unwrap_or(today),
        })
    }
}

/// Checks a withdrawal date against the date the consent was given.
pub fn check_withdrawal(typed: &str, given_on: Date, today: Date) -> Result<Date, FieldError> {
    let problem = |problem| FieldError { field: "withdrawn_on", problem };
    let date = past_date(typed, today).map_err(problem)?.ok_or(problem(Problem::Text(TextProblem::Empty)))?;
    if date < given_on { Err(problem(Problem::WithdrawnBeforeGiven)) } else { Ok(date) }
}

/// The consultation form as typed; saved as a draft at every pause in typing.
#[derive(Debug, Clone, Default)]
pub struct ConsultationForm {
    /// [`ConsultationFormat`] code.
    pub format: String,
    /// When it was held.
    pub held_on: String,
    /// Minutes.
    pub duration_minutes: String,
    /// Who took part besides the psychologist (mother, grandmother…).
    pub participants: String,
    /// Presenting concerns.
    pub concerns: String,
    /// [`Intervention`] codes picked.
    pub interventions: Vec<String>,
    /// Other interventions, as written.
    pub interventions_other: String,
    /// Notes.
    pub notes: String,
    /// Plan.
    pub plan: String,
    /// Next step.
    pub next_step: String,
}

/// A consultation's fields after cleaning; in a draft any may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consultation {
    /// Format.
    pub format: Option<ConsultationFormat>,
    /// Date.
    pub held_on: Option<Date>,
    /// Minutes.
    pub duration_minutes: Option<u32>,
    /// Participants.
    pub participants: Option<String>,
    /// Presenting concerns.
    pub concerns: Option<String>,
    /// Interventions picked.
    pub interventions: Vec<Intervention>,
    /// Other interventions.
    pub interventions_other: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Plan.
    pub plan: Option<String>,
    /// Next step.
    pub next_step: Option<String>,
}

impl ConsultationForm {
    /// Cleans every field that can be cleaned. A draft keeps the fields that pass
    /// and reports the rest, so an autosave never loses the good part of the form.
    pub fn clean(&self, today: Date) -> (Consultation, Vec<FieldError>) {
        let mut check = Check::default();
        let format = if self.format.trim().is_empty() {
            None
        } else {
            check.field("format", ConsultationFormat::check(&self.format))
        };
        let held_on = check.field("held_on", past_date(&self.held_on, today)).flatten();
        let duration_minutes = check
            .field("duration_minutes", {
                let typed = self.duration_minutes.trim();
                if typed.is_empty() {
                    Ok(None)
                } else {
                    typed
                        .parse::<u32>()
                        .ok()
                        .filter(|minutes| (5..=480).contains(minutes))
                        .map(Some)
                        .ok_or(Problem::OutOfRange(5, 480))
                }
            })
            .flatten();
        let participants = check.field("participants", line(&self.participants, LINE_MAX)).flatten();
        let concerns = check.field("concerns", free_text(&self.concerns)).flatten();
        let mut interventions = Vec::new();
        for code in &self.interventions {
            if let Some(intervention) = check.field("interventions", Intervention::check(code))
                && !interventions.contains(&intervention)
            {
                interventions.push(intervention);
            }
        }
        let interventions_other =
            check.field("interventions_other", line(&self.interventions_other, LINE_MAX)).flatten();
        let notes = check.field("notes", free_text(&self.notes)).flatten();
        let plan = check.field("plan", free_text(&self.plan)).flatten();
        let next_step = check.field("next_step", free_text(&self.next_step)).flatten();
        let consultation = Consultation {
            format,
            held_on,
            duration_minutes,
            participants,
            concerns,
            interventions,
            interventions_other,
            notes,
            plan,
            next_step,
        };
        (consultation, check.0)
    }
}

impl Consultation {
    /// What still stops this draft from being signed: a format, a date, a duration,
    /// and something written about it (concerns or notes).
    pub fn missing_for_signing(&self) -> Vec<FieldError> {
        let empty = Problem::Text(TextProblem::Empty);
        let mut missing = Vec::new();
        let mut need = |present: bool, field| {
            if !present {
                missing.push(FieldError { field, problem: empty });
            }
        };
        need(self.format.is_some(), "format");
        need(self.held_on.is_some(), "held_on");
        need(self.duration_minutes.is_some(), "duration_minutes");
        need(self.concerns.is_some() || self.notes.is_some(), "notes");
        missing
    }
}

/// The follow-up form as typed.
#[derive(Debug, Clone, Default)]
pub struct FollowUpForm {
    /// [`FollowUpKind`] code.
    pub kind: String,
    /// When it is due.
    pub due_on: String,
    /// Time of day, `HH:MM`, for appointments.
    pub time: String,
    /// What it is about.
    pub note: String,
}

/// A follow-up that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// Kind.
    pub kind: FollowUpKind,
    /// Due date.
    pub due_on: Date,
    /// Time of day.
    pub time: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl FollowUpForm {
    /// The clean follow-up, or every problem.
    pub fn validate(&self) -> Result<FollowUp, Vec<FieldError>> {
        let mut check = Check::default();
        let kind = check.field("kind", FollowUpKind::check(or_default(&self.kind, "follow_up")));
        let due_on = check.field(
            "due_on",
            optional_date(&self.due_on).and_then(|date| date.ok_or(Problem::Text(TextProblem::Empty))),
        );
        let time = check.field("time", {
            let typed = self.time.trim();
            let valid = typed.len() == 5
                && typed.as_bytes()[2] == b':'
                && typed[..2].parse::<u32>().is_ok_and(|h| h < 24)
                && typed[3..].parse::<u32>().is_ok_and(|m| m < 60);
            if typed.is_empty() {
                Ok(None)
            } else if valid {
                Ok(Some(typed.to_owned()))
            } else {
                Err(Problem::NotATime)
            }
        });
        let note = check.field("note", line(&self.note, LINE_MAX));
        check.finish(|| FollowUp {
            kind: kind.unwrap_or(FollowUpKind::FollowUp),
            due_on: due_on.unwrap_or(Date { year: 1970, month: 1, day: 1 }),
            time: time.flatten(),
            note: note.flatten(),
        })
    }
}

/// The clinic's details as typed in Settings.
#[derive(Debug, Clone, Default)]
pub struct ClinicForm {
    /// The organisation's name (required).
    pub name: String,
    /// BIN.
    pub bin: String,
    /// Address.
    pub address: String,
    /// Phone.
    pub phone: String,
}

/// The clinic's details after the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicDetails {
    /// Name.
    pub name: String,
    /// BIN, twelve digits.
    pub bin: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone, `+7XXXXXXXXXX`.
    pub phone: Option<String>,
}

impl ClinicForm {
    /// The clean details, or every problem.
    pub fn validate(&self) -> Result<ClinicDetails, Vec<FieldError>> {
        let mut check = Check::default();
        let name = check.field("name", required(&self.name, LINE_MAX));
        let bin = check.field(
            "bin",
            if self.bin.trim().is_empty() {
                Ok(None)
            } else {
                crate::iin::check_bin(&self.bin).map(Some).map_err(Problem::Bin)
            },
        );
        let address = check.field("address", line(&self.address, LINE_MAX));
        let phone = check.field(
            "phone",
            if self.phone.trim().is_empty() {
                Ok(None)
            } else {
                phone::normalize(&self.phone).map(Some).map_err(Problem::Phone)
            },
        );
        check.finish(|| ClinicDetails {
            name: name.unwrap_or_default(),
            bin: bin.flatten(),
            address: address.flatten(),
            phone: phone.flatten(),
        })
    }
}

/// Checks an addendum's text (required, multi-line).
pub fn check_addendum(typed: &str) -> Result<String, FieldError> {
    free_text(typed)
        .and_then(|text| text.ok_or(Problem::Text(TextProblem::Empty)))
        .map_err(|problem| FieldError { field: "text", problem })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-11-25").unwrap()
    }

    fn client() -> ClientForm {
        ClientForm {
            family_name: "Нұрланова".into(),
            given_name: "Әлия".into(),
            language: "kk".into(),
            ..ClientForm::default()
        }
    }

    fn problems<T: std::fmt::Debug>(result: Result<T, Vec<FieldError>>) -> Vec<(&'static str, Problem)> {
        result.unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn a_client_needs_only_a_name_and_gets_a_normalised_phone() {
        let valid = ClientForm { phone: "8 (701) 234-56-78".into(), ..client() }.validate(today()).unwrap();
        assert_eq!(valid.phone.as_deref(), Some("+77012345678"));
        assert_eq!(valid.language, Language::Kazakh);
        assert_eq!(valid.iin, None);
    }

    #[test]
    fn every_bad_client_field_is_reported_at_once_with_its_field() {
        let form = ClientForm {
            family_name: "Ә".repeat(300),
            given_name: "  ".into(),
            patronymic: "Бек\u{0}ұлы".into(),
            birth_date: "2030-01-01".into(),
            phone: "12345".into(),
            iin: "900101300001".into(),
            language: "de".into(),
            ..ClientForm::default()
        };
        assert_eq!(
            problems(form.validate(today())),
            [
                ("family_name", Problem::Text(TextProblem::TooLong(NAME_MAX))),
                ("given_name", Problem::Text(TextProblem::Empty)),
                ("patronymic", Problem::Text(TextProblem::ControlCharacters)),
                ("birth_date", Problem::DateInFuture),
                ("iin", Problem::Iin(IinError::WrongChecksum)),
                ("phone", Problem::Phone(PhoneProblem::WrongLength(5))),
                ("language", Problem::UnknownChoice),
            ]
        );
    }

    #[test]
    fn an_iin_must_agree_with_the_date_of_birth() {
        // 870512 4 0005 8: born 12 May 1987, a woman of the 20th century.
        let iin = "870512400058";
        assert!(Iin::parse(iin).is_ok());
        let matching = ClientForm { iin: iin.into(), birth_date: "12.05.1987".into(), ..client() };
        assert!(matching.validate(today()).is_ok());
        let other = ClientForm { iin: iin.into(), birth_date: "1987-05-13".into(), ..client() };
        assert_eq!(problems(other.validate(today())), [("birth_date", Problem::IinBirthDateMismatch)]);
    }

    #[test]
    fn a_child_is_checked_against_its_parent_and_its_own_iin() {
        let parent = Date::parse("1987-05-12").ok();
        let child = ChildForm {
            name: "Ерасыл".into(),
            birth_date: "2016-03-01".into(),
            disability: "child".into(),
            icd10: "g80.1".into(),
            diagnosed_on: "2017-01-10".into(),
            ..ChildForm::default()
        };
        let valid = child.validate(today(), parent).unwrap();
        assert_eq!(valid.icd10.as_deref(), Some("G80.1"));
        assert_eq!(valid.disability, Disability::Child);
        let older = ChildForm { birth_date: "1980-01-01".into(), ..child.clone() };
        assert_eq!(problems(older.validate(today(), parent)), [("birth_date", Problem::ChildOlderThanParent)]);
        let bad = ChildForm {
            birth_date: "".into(),
            icd10: "cerebral palsy".into(),
            irp_status: "maybe".into(),
            ..child.clone()
        };
        assert_eq!(
            problems(bad.validate(today(), parent)),
            [
                ("birth_date", Problem::Text(TextProblem::Empty)),
                ("icd10", Problem::NotIcd10),
                ("irp_status", Problem::UnknownChoice)
            ]
        );
        let diagnosed_before_born = ChildForm { diagnosed_on: "2015-01-01".into(), ..child };
        assert_eq!(problems(diagnosed_before_born.validate(today(), parent)), [("diagnosed_on", Problem::BeforeBirth)]);
    }

    #[test]
    fn icd10_codes_have_their_shape() {
        for good in ["F84", "F84.0", "G80.1", "Q90.9", "F84.01", "U07.1"] {
            assert!(is_icd10(good), "{good}");
        }
        for bad in ["F8", "84.0", "F84.", "F84.123", "f84", "F84-0", "FF4"] {
            assert!(!is_icd10(bad), "{bad}");
        }
    }

    #[test]
    fn a_consent_names_its_representative_or_witness() {
        let form = ConsentForm {
            scope: "referral".into(),
            given_by: "representative".into(),
            method: "verbal_witness".into(),
            given_on: "2026-11-20".into(),
            ..ConsentForm::default()
        };
        assert_eq!(
            problems(form.validate(today())),
            [("representative", Problem::Text(TextProblem::Empty)), ("witness", Problem::Text(TextProblem::Empty))]
        );
        let complete = ConsentForm { representative: "Әже".into(), witness: "Медсестра".into(), ..form };
        assert_eq!(complete.validate(today()).unwrap().scope, ConsentScope::Referral);
        let given = Date::parse("2026-11-20").unwrap();
        assert_eq!(check_withdrawal("2026-11-19", given, today()).unwrap_err().problem, Problem::WithdrawnBeforeGiven);
        assert_eq!(check_withdrawal("2026-11-21", given, today()).unwrap().to_string(), "2026-11-21");
    }

    #[test]
    fn a_draft_keeps_what_is_good_and_signing_needs_the_essentials() {
        let form = ConsultationForm {
            held_on: "2026-11-31".into(),
            duration_minutes: "45".into(),
            concerns: "Устала, не спит\r\nночами".into(),
            interventions: vec!["psychoeducation".into(), "psychoeducation".into(), "hypnosis".into()],
            ..ConsultationForm::default()
        };
        let (draft, problems) = form.clean(today());
        assert_eq!(draft.duration_minutes, Some(45));
        assert_eq!(draft.concerns.as_deref(), Some("Устала, не спит\nночами"));
        assert_eq!(draft.interventions, [Intervention::Psychoeducation]);
        let fields: Vec<_> = problems.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["held_on", "interventions"]);
        let missing: Vec<_> = draft.missing_for_signing().iter().map(|e| e.field).collect();
        assert_eq!(missing, ["format", "held_on"]);
        let long = ConsultationForm { duration_minutes: "600".into(), ..ConsultationForm::default() };
        assert_eq!(long.clean(today()).1[0].problem, Problem::OutOfRange(5, 480));
    }

    #[test]
    fn a_clinic_needs_a_name_and_a_valid_bin_if_one_is_given() {
        let form =
            ClinicForm {
                name: "Сайрам аудандық емханасы".into(), bin: "040140001237".into(), ..ClinicForm::default()
            };
        assert_eq!(problems(form.validate()), [("bin", Problem::Bin(IinError::WrongChecksum))]);
        let valid = ClinicForm { bin: "0401 4000 1236".into(), phone: "8 7252 12 34 56".into(), ..form }.validate();
        assert_eq!(valid.unwrap().bin.as_deref(), Some("040140001236"));
    }

    #[test]
    fn follow_ups_need_a_due_date_and_a_real_time() {
        let form = FollowUpForm { due_on: "2026-12-01".into(), time: "25:00".into(), ..FollowUpForm::default() };
        assert_eq!(problems(form.validate()), [("time", Problem::NotATime)]);
        let valid = FollowUpForm { time: "09:30".into(), ..form }.validate().unwrap();
        assert_eq!(valid.kind, FollowUpKind::FollowUp);
        assert_eq!(check_addendum("  \n ").unwrap_err().problem, Problem::Text(TextProblem::Empty));
    }
}
