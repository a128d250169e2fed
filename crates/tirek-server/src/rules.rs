//! Whether one pushed change may be stored, as a pure function of the change, the
//! device that sent it and the state of the records it touches — so every rule is a
//! row in a table test, and the push service only fetches state and writes results.
//!
//! The rules: the change is the sending device's own and names the profile that
//! enrolled it as author; its shape fits the domain's catalogue (entity and fields
//! known, values of the right kind and size); the user's role may write clinical
//! data (only psychologists, for now: supervisors' reviews come with their entity);
//! a new record belongs to a client the user may write — her own, or one shared
//! with her, not one she kept read-only when it moved to a colleague — (or to the
//! user, for records of no client); an existing record is one she may write, not
//! gone, and not final — except that an erasure's tombstone reaches even a signed
//! record, and a record already gone (erasing twice is not an error). A consultation
//! is filed under its first attendee: the attendance that names it first files it.

use std::collections::HashMap;

use tirek_domain::change::{ChangeRecord, FieldValue};
use tirek_domain::entities::{Belonging, ChangeShape, ShapeError, check_shape};
use tirek_protocol::RefusalKind;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Keeps her own caseload.
    Psychologist,
    /// Reads her team's caseloads and writes reviews.
    Supervisor,
    /// Manages accounts; reads no clinical data.
    Administrator,
}

impl Role {
    /// Its name in the database and the admin commands.
    pub fn name(self) -> &'static str {
        match self {
            Self::Psychologist => "psychologist",
            Self::Supervisor => "supervisor",
            Self::Administrator => "administrator",
        }
    }

    /// The role named `name`.
    pub fn parse(name: &str) -> Option<Role> {
        [Self::Psychologist, Self::Supervisor, Self::Administrator].into_iter().find(|role| role.name() == name)
    }
}

/// A user's access to a client of another caseload (`client_access`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// She owns it.
    Owner,
    /// It is shared with her: she reads and writes it.
    Shared,
    /// She owned it before it moved to a colleague and keeps its history read-only.
    Read,
}

impl Access {
    /// The access named `name` in the database.
    pub fn parse(name: &str) -> Option<Access> {
        match name {
            "owner" => Some(Access::Owner),
            "shared" => Some(Access::Shared),
            "read" => Some(Access::Read),
            _ => None,
        }
    }
}

/// The writer's access to the clients a judgement touches, by client id.
pub type Accesses = HashMap<String, Access>;

/// The device that sent a change, and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    /// The device's id.
    pub device_id: String,
    /// The profile that enrolled it.
    pub author: String,
    /// Its user.
    pub user_id: i64,
    /// The user's role.
    pub role: Role,
}

/// What the server knows of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordState {
    /// The client it belongs to, if any.
    pub client_id: Option<String>,
    /// Whose caseload it is in.
    pub owner_id: i64,
    /// Whether it accepts no more changes.
    pub is_final: bool,
    /// Whether it was deleted or erased.
    pub gone: bool,
}

/// The records a judgement may need, by (entity, record id).
pub type Known = HashMap<(String, String), RecordState>;

/// What storing an accepted change does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The record's state after the change.
    pub state: RecordState,
    /// Whether earlier changes of the record lose their values (an erasure).
    pub erase_history: bool,
    /// The consultation this change (its first attendance) files under its client,
    /// with that client and its owner.
    pub files: Option<(String, String, i64)>,
}

/// A refused change's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// For the app.
    pub kind: RefusalKind,
    /// The field concerned.
    pub field: Option<String>,
    /// In English, naming no value.
    pub detail: String,
}

fn refused(kind: RefusalKind, detail: impl Into<String>) -> Refused {
    Refused { kind, field: None, detail: detail.into() }
}

/// The series of the letter number `change` sets (eight digits), if it is a
/// referral letter's change that sets one.
pub fn letter_series(change: &ChangeRecord) -> Option<String> {
    if change.entity != "referral" {
        return None;
    }
    change.fields.iter().find(|f| f.field == "number").and_then(|f| match &f.new {
        FieldValue::Text(number) => tirek_domain::referral::series_of(number),
        _ => None,
    })
}

/// The records whose state judging `change` needs: the record itself and, for a new
/// record, the client or parent record it names.
pub fn records_needed(change: &ChangeRecord) -> Vec<(String, String)> {
    let mut needed = vec![(change.entity.clone(), change.entity_id.clone())];
    if let Ok((spec, ChangeShape::Insert)) = check_shape(change) {
        let named = |field: &str| {
            change.fields.iter().find(|f| f.field == field).and_then(|f| match &f.new {
                FieldValue::Text(id) => Some(id.clone()),
                _ => None,
            })
        };
        // An attendance may file its consultation under its client.
        needed.extend(attended(change).map(|id| ("consultation".to_owned(), id)));
        match spec.belonging {
            Belonging::ClientField(field) => needed.extend(named(field).map(|id| ("client".to_owned(), id))),
            Belonging::Parent { field, entity } => needed.extend(named(field).map(|id| (entity.to_owned(), id))),
            Belonging::IsClient | Belonging::Author => {}
        }
    }
    needed
}

/// Whether `writer` may write `state`'s record: one filed under a client she owns
/// or that is shared with her; one of no client that is hers.
fn may_write(writer: &Writer, state: &RecordState, accesses: &Accesses, field: Option<&str>) -> Result<(), Refused> {
    let access = state.client_id.as_ref().and_then(|client| accesses.get(client));
    match access {
        Some(Access::Owner | Access::Shared) => Ok(()),
        Some(Access::Read) => Err(Refused {
            kind: RefusalKind::NotPermitted,
            field: field.map(str::to_owned),
            detail: "the client moved to another psychologist: its history is kept here read-only".to_owned(),
        }),
        None if state.owner_id == writer.user_id => Ok(()),
        None => Err(match field {
            Some(field) => out_of_scope(field),
            None => refused(RefusalKind::OutOfScope, "the record is in another caseload"),
        }),
    }
}

/// The consultation a new attendance names.
fn attended(change: &ChangeRecord) -> Option<String> {
    if change.entity != "attendance" || change.base_revision != 0 {
        return None;
    }
    change.fields.iter().find(|f| f.field == "consultation_id").and_then(|f| match &f.new {
        FieldValue::Text(id) => Some(id.clone()),
        _ => None,
    })
}

/// Judges `change` from `writer`, given the state of the records it needs and the
/// writer's access to their clients.
pub fn judge(writer: &Writer, change: &ChangeRecord, known: &Known, accesses: &Accesses) -> Result<Accepted, Refused> {
    if change.device_id != writer.device_id {
        return Err(refused(RefusalKind::WrongDevice, "the change names another device"));
    }
    if change.author != writer.author {
        return Err(refused(RefusalKind::NotAuthor, "the change's author is not the profile this device enrolled"));
    }
    let (spec, shape) = check_shape(change).map_err(shape_refusal)?;
    if i64::try_from(change.hlc).is_err() {
        return Err(refused(RefusalKind::Malformed, "the clock value is out of range"));
    }
    if writer.role != Role::Psychologist {
        return Err(refused(
            RefusalKind::NotPermitted,
            format!("a {} does not write {}", writer.role.name(), spec.name),
        ));
    }
    // Erasing is idempotent: a second device's tombstone of a record already
    // erased or deleted (both erased the same client) is stored, not refused.
    let record = known
        .get(&(change.entity.clone(), change.entity_id.clone()))
        .filter(|state| !state.gone || shape == ChangeShape::Erase);
    match shape {
        ChangeShape::Insert => {
            if known.contains_key(&(change.entity.clone(), change.entity_id.clone())) {
                return Err(refused(RefusalKind::RecordExists, "a record with this id exists"));
            }
            let (client_id, owner_id) = match spec.belonging {
                Belonging::IsClient => (Some(change.entity_id.clone()), writer.user_id),
                Belonging::Author => (None, writer.user_id),
                Belonging::ClientField(field) => {
                    let client = named_record(change, field, "client", known)?;
                    may_write(writer, client, accesses, Some(field))?;
                    (client.client_id.clone(), client.owner_id)
                }
                Belonging::Parent { field, entity } => {
                    let parent = named_record(change, field, entity, known)?;
                    may_write(writer, parent, accesses, Some(field))?;
                    (parent.client_id.clone(), parent.owner_id)
                }
            };
            // The first attendance of a consultation files it under its client.
            let mut files = None;
            if let Some(consultation) = attended(change)
                && let Some(state) = known.get(&("consultation".to_owned(), consultation.clone()))
                && !state.gone
            {
                may_write(writer, state, accesses, Some("consultation_id"))?;
                if state.client_id.is_none()
                    && let Some(client) = &client_id
                {
                    files = Some((consultation, client.clone(), owner_id));
                }
            }
            let state = RecordState { client_id, owner_id, is_final: spec.becomes_final(change), gone: false };
            Ok(Accepted { state, erase_history: false, files })
        }
        ChangeShape::Update | ChangeShape::Delete | ChangeShape::Erase => {
            let record = record.ok_or_else(|| refused(RefusalKind::UnknownRecord, "the server has no such record"))?;
            may_write(writer, record, accesses, None)?;
            if record.is_final && shape != ChangeShape::Erase {
                return Err(refused(RefusalKind::RecordFinal, "the record is final: corrections are addenda"));
            }
            if let (ChangeShape::Update, Belonging::ClientField(field)) = (shape, spec.belonging)
                && change.fields.iter().any(|f| f.field == field)
            {
                // Moving a record to another client is a scope change, not an edit.
                return Err(out_of_scope(field));
            }
            let mut state = record.clone();
            state.is_final = record.is_final || spec.becomes_final(change);
            state.gone = matches!(shape, ChangeShape::Delete | ChangeShape::Erase);
            Ok(Accepted { state, erase_history: shape == ChangeShape::Erase, files: None })
        }
    }
}

fn named_record<'k>(
    change: &ChangeRecord,
    field: &str,
    entity: &str,
    known: &'k Known,
) -> Result<&'k RecordState, Refused> {
    let id = change.fields.iter().find(|f| f.field == field).and_then(|f| match &f.new {
        FieldValue::Text(id) => Some(id.clone()),
        _ => None,
    });
    let Some(id) = id else {
        return Err(Refused {
            kind: RefusalKind::Malformed,
            field: Some(field.to_owned()),
            detail: format!("a new {} names no {entity}", change.entity),
        });
    };
    known.get(&(entity.to_owned(), id)).filter(|state| !state.gone).ok_or_else(|| Refused {
        kind: RefusalKind::OutOfScope,
        field: Some(field.to_owned()),
        detail: format!("the server has no such {entity}"),
    })
}

fn out_of_scope(field: &str) -> Refused {
    Refused {
        kind: RefusalKind::OutOfScope,
        field: Some(field.to_owned()),
        detail: "the record would belong to a client outside the user's caseload".to_owned(),
    }
}

fn shape_refusal(err: ShapeError) -> Refused {
    let detail = err.to_string();
    let (kind, field) = match err {
        ShapeError::UnknownEntity(_) => (RefusalKind::UnknownEntity, None),
        ShapeError::UnknownField { field, .. } => (RefusalKind::UnknownField, Some(field)),
        ShapeError::TooLong { field, .. } => (RefusalKind::TooLong, Some(field)),
        ShapeError::WrongKind { field } => (RefusalKind::WrongKind, Some(field)),
        ShapeError::BadRecordId => (RefusalKind::BadRecordId, None),
        ShapeError::Malformed(_) => (RefusalKind::Malformed, None),
    };
    Refused { kind, field, detail }
}

/// How a batch splits against the device's high-water mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchPlan {
    /// How many changes the server already has (sent again after a lost answer).
    pub duplicates: usize,
    /// Index in the batch of the first new change; the new ones run to the end.
    pub first_new: usize,
}

/// Splits a batch whose sequence numbers are `seqs` against `acknowledged`: the
/// changes at or below it were received before; the rest must continue the
/// sequence without a gap or a repeat. `Err` carries the mark to resume from.
pub fn plan_batch(acknowledged: i64, seqs: &[i64]) -> Result<BatchPlan, i64> {
    let first_new = seqs.partition_point(|seq| *seq <= acknowledged);
    if seqs[..first_new].windows(2).any(|pair| pair[0] >= pair[1]) {
        return Err(acknowledged);
    }
    let contiguous = seqs[first_new..].iter().zip(acknowledged + 1..).all(|(seq, expected)| *seq == expected);
    if contiguous { Ok(BatchPlan { duplicates: first_new, first_new }) } else { Err(acknowledged) }
}

#[cfg(test)]
mod tests {
    use tirek_domain::change::FieldChange;
    use tirek_domain::entities::{DELETED, ERASED};

    use super::*;

    const ME: i64 = 1;
    const COLLEAGUE: i64 = 2;

    fn writer(role: Role) -> Writer {
        Writer { device_id: "dev".to_owned(), author: "prof".to_owned(), user_id: ME, role }
    }

    fn change(entity: &str, id: &str, base: i64, fields: &[(&str, FieldValue)]) -> ChangeRecord {
        ChangeRecord {
            entity: entity.to_owned(),
            entity_id: id.to_owned(),
            fields: fields
                .iter()
                .map(|(f, v)| FieldChange { field: (*f).to_owned(), old: FieldValue::Null, new: v.clone() })
                .collect(),
            base_revision: base,
            hlc: 10,
            device_id: "dev".to_owned(),
            seq: 1,
            author: "prof".to_owned(),
        }
    }

    fn text(value: &str) -> FieldValue {
        FieldValue::Text(value.to_owned())
    }

    #[test]
    fn a_letter_number_names_its_series() {
        let issued = change("referral", "r1", 1, &[("number", text("СЕ-4821-9375/0012"))]);
        assert_eq!(letter_series(&issued).as_deref(), Some("48219375"));
        let cleared = change("referral", "r1", 1, &[("number", FieldValue::Null)]);
        assert_eq!(letter_series(&cleared), None);
        assert_eq!(letter_series(&change("referral", "r1", 1, &[("status", text("issued"))])), None);
        assert_eq!(letter_series(&change("client", "c1", 1, &[("number", text("СЕ-4821-9375/0012"))])), None);
    }

    fn state(client: Option<&str>, owner: i64, is_final: bool, gone: bool) -> RecordState {
        RecordState { client_id: client.map(str::to_owned), owner_id: owner, is_final, gone }
    }

    fn known() -> Known {
        [
            (("client", "c1"), state(Some("c1"), ME, false, false)),
            (("client", "theirs"), state(Some("theirs"), COLLEAGUE, false, false)),
            (("client", "erased"), state(Some("erased"), ME, false, true)),
            (("consultation", "draft"), state(None, ME, false, false)),
            (("consultation", "signed"), state(None, ME, true, false)),
            (("child", "k1"), state(Some("c1"), ME, false, false)),
        ]
        .into_iter()
        .map(|((entity, id), state)| ((entity.to_owned(), id.to_owned()), state))
        .collect()
    }

    fn kind(result: Result<Accepted, Refused>) -> Result<RecordState, RefusalKind> {
        result.map(|accepted| accepted.state).map_err(|refused| refused.kind)
    }

    #[test]
    fn a_psychologists_changes_to_her_own_caseload_are_accepted() {
        let me = writer(Role::Psychologist);
        let known = known();
        let cases = [
            (change("client", "c2", 0, &[("family_name", text("Ә"))]), state(Some("c2"), ME, false, false)),
            (change("child", "k2", 0, &[("client_id", text("c1"))]), state(Some("c1"), ME, false, false)),
            (change("consultation", "new", 0, &[("notes", text("…"))]), state(None, ME, false, false)),
            (change("addendum", "a1", 0, &[("consultation_id", text("signed"))]), state(None, ME, true, false)),
            (
                change("consultation", "draft", 1, &[("signed_at", FieldValue::Integer(5))]),
                state(None, ME, true, false),
            ),
            (change("child", "k1", 2, &[("name", text("Айя"))]), state(Some("c1"), ME, false, false)),
            (change("child", "k1", 2, &[(DELETED, FieldValue::Integer(1))]), state(Some("c1"), ME, false, true)),
            (change("consultation", "signed", 3, &[(ERASED, FieldValue::Integer(1))]), state(None, ME, true, true)),
            (
                change("client", "erased", 5, &[(ERASED, FieldValue::Integer(1))]),
                state(Some("erased"), ME, false, true),
            ),
        ];
        for (change, expected) in cases {
            assert_eq!(kind(judge(&me, &change, &known, &Accesses::new())), Ok(expected), "{change:?}");
        }
        let erase =
            judge(&me, &change("client", "c1", 4, &[(ERASED, FieldValue::Integer(1))]), &known, &Accesses::new());
        assert!(erase.expect("accepted").erase_history, "an erasure blanks the record's history");
    }

    #[test]
    fn every_rule_refuses_with_its_own_reason() {
        let me = writer(Role::Psychologist);
        let known = known();
        let mut foreign = change("client", "c9", 0, &[]);
        foreign.device_id = "other".to_owned();
        let mut ghost = change("client", "c9", 0, &[]);
        ghost.author = "someone".to_owned();
        let mut far = change("client", "c9", 0, &[]);
        far.hlc = u64::MAX;
        let cases = [
            (foreign, RefusalKind::WrongDevice),
            (ghost, RefusalKind::NotAuthor),
            (far, RefusalKind::Malformed),
            (change("patient", "p", 0, &[]), RefusalKind::UnknownEntity),
            (change("client", "c9", 0, &[("nickname", text("x"))]), RefusalKind::UnknownField),
            (change("client", "c9", 0, &[("family_name", text(&"я".repeat(101)))]), RefusalKind::TooLong),
            (change("client", "c1", 0, &[]), RefusalKind::RecordExists),
            (change("child", "k9", 0, &[("client_id", text("theirs"))]), RefusalKind::OutOfScope),
            (change("child", "k9", 0, &[("client_id", text("nobody"))]), RefusalKind::OutOfScope),
            (change("child", "k9", 0, &[("client_id", text("erased"))]), RefusalKind::OutOfScope),
            (change("child", "k9", 0, &[("name", text("no client"))]), RefusalKind::Malformed),
            (change("client", "theirs", 1, &[("phone", FieldValue::Null)]), RefusalKind::OutOfScope),
            (change("client", "nobody", 1, &[("phone", FieldValue::Null)]), RefusalKind::UnknownRecord),
            (change("client", "erased", 1, &[("phone", FieldValue::Null)]), RefusalKind::UnknownRecord),
            (change("client", "nobody", 1, &[(ERASED, FieldValue::Integer(1))]), RefusalKind::UnknownRecord),
            (change("consultation", "signed", 1, &[("notes", text("edit"))]), RefusalKind::RecordFinal),
            (change("consultation", "signed", 1, &[(DELETED, FieldValue::Integer(1))]), RefusalKind::RecordFinal),
            (change("child", "k1", 1, &[("client_id", text("theirs"))]), RefusalKind::OutOfScope),
        ];
        for (change, expected) in cases {
            assert_eq!(kind(judge(&me, &change, &known, &Accesses::new())), Err(expected), "{change:?}");
        }
    }

    #[test]
    fn a_shared_client_is_written_as_ones_own_and_a_client_kept_read_only_is_not() {
        let me = writer(Role::Psychologist);
        let mut known = known();
        // Two clients of a colleague: one shared with me, one that was mine.
        known.insert(("client".to_owned(), "shared".to_owned()), state(Some("shared"), COLLEAGUE, false, false));
        known.insert(("client".to_owned(), "moved".to_owned()), state(Some("moved"), COLLEAGUE, false, false));
        known.insert(("assessment".to_owned(), "old".to_owned()), state(Some("moved"), COLLEAGUE, false, false));
        known.insert(("consultation".to_owned(), "filed".to_owned()), state(Some("shared"), COLLEAGUE, false, false));
        let accesses: Accesses =
            [("shared".to_owned(), Access::Shared), ("moved".to_owned(), Access::Read)].into_iter().collect();
        let as_me = |change: &ChangeRecord| kind(judge(&me, change, &known, &accesses));
        // A record of the shared client belongs to its owner's caseload.
        assert_eq!(
            as_me(&change("child", "k5", 0, &[("client_id", text("shared"))])),
            Ok(state(Some("shared"), COLLEAGUE, false, false))
        );
        assert!(as_me(&change("client", "shared", 3, &[("phone", FieldValue::Null)])).is_ok());
        assert!(as_me(&change("consultation", "filed", 1, &[("notes", text("…"))])).is_ok());
        let read_only = [
            change("child", "k6", 0, &[("client_id", text("moved"))]),
            change("client", "moved", 3, &[("phone", FieldValue::Null)]),
            change("assessment", "old", 1, &[(ERASED, FieldValue::Integer(1))]),
        ];
        for change in read_only {
            assert_eq!(as_me(&change), Err(RefusalKind::NotPermitted), "{change:?}");
        }
        // Without any access, the client is simply another caseload's.
        assert_eq!(
            kind(judge(&me, &change("client", "moved", 3, &[("phone", FieldValue::Null)]), &known, &Accesses::new())),
            Err(RefusalKind::OutOfScope)
        );
    }

    #[test]
    fn the_first_attendance_files_a_consultation_under_its_client() {
        let me = writer(Role::Psychologist);
        let known = known();
        let attendance =
            change("attendance", "at1", 0, &[("consultation_id", text("draft")), ("client_id", text("c1"))]);
        let accepted = judge(&me, &attendance, &known, &Accesses::new()).expect("accepted");
        assert_eq!(accepted.files, Some(("draft".to_owned(), "c1".to_owned(), ME)));
        assert!(records_needed(&attendance).contains(&("consultation".to_owned(), "draft".to_owned())));
        // A consultation filed already stays where it is.
        let mut filed = known.clone();
        filed.insert(("consultation".to_owned(), "draft".to_owned()), state(Some("c1"), ME, false, false));
        let second = change("attendance", "at2", 0, &[("consultation_id", text("draft")), ("client_id", text("c1"))]);
        assert_eq!(judge(&me, &second, &filed, &Accesses::new()).expect("accepted").files, None);
        // A colleague's consultation cannot be taken into one's own client's file.
        let mut theirs = known;
        theirs.insert(("consultation".to_owned(), "draft".to_owned()), state(None, COLLEAGUE, false, false));
        assert_eq!(kind(judge(&me, &attendance, &theirs, &Accesses::new())), Err(RefusalKind::OutOfScope));
    }

    #[test]
    fn only_psychologists_write_clinical_data_for_now() {
        let record = change("client", "c9", 0, &[]);
        for role in [Role::Supervisor, Role::Administrator] {
            assert_eq!(kind(judge(&writer(role), &record, &known(), &Accesses::new())), Err(RefusalKind::NotPermitted));
        }
    }

    #[test]
    fn a_refusal_names_the_field_but_never_its_value() {
        let long = "секрет".repeat(100);
        let refused = judge(
            &writer(Role::Psychologist),
            &change("client", "c9", 0, &[("family_name", text(&long))]),
            &known(),
            &Accesses::new(),
        )
        .expect_err("too long");
        assert_eq!(refused.field.as_deref(), Some("family_name"));
        assert!(!refused.detail.contains("секрет"));
    }

    #[test]
    fn the_records_a_judgement_needs_are_named_before_it() {
        let child = change("child", "k2", 0, &[("client_id", text("c1"))]);
        assert_eq!(
            records_needed(&child),
            [("child".to_owned(), "k2".to_owned()), ("client".to_owned(), "c1".to_owned())]
        );
        let addendum = change("addendum", "a", 0, &[("consultation_id", text("signed"))]);
        assert_eq!(records_needed(&addendum)[1], ("consultation".to_owned(), "signed".to_owned()));
        assert_eq!(records_needed(&change("child", "k1", 3, &[("name", text("x"))])).len(), 1);
    }

    #[test]
    fn batches_are_split_at_the_high_water_mark_and_gaps_refused() {
        let cases: &[(i64, &[i64], Result<BatchPlan, i64>)] = &[
            (0, &[1, 2, 3], Ok(BatchPlan { duplicates: 0, first_new: 0 })),
            (3, &[1, 2, 3], Ok(BatchPlan { duplicates: 3, first_new: 3 })),
            (2, &[1, 2, 3, 4], Ok(BatchPlan { duplicates: 2, first_new: 2 })),
            (5, &[6], Ok(BatchPlan { duplicates: 0, first_new: 0 })),
            (0, &[], Ok(BatchPlan { duplicates: 0, first_new: 0 })),
            (0, &[2, 3], Err(0)),
            (3, &[5, 6], Err(3)),
            (0, &[1, 1, 2], Err(0)),
            (0, &[1, 3], Err(0)),
            (4, &[2, 1, 5], Err(4)),
        ];
        for (acknowledged, seqs, expected) in cases {
            assert_eq!(plan_batch(*acknowledged, seqs), *expected, "{acknowledged} {seqs:?}");
        }
    }
}
