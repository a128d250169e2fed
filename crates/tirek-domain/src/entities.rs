//! The catalogue of clinical entities a change record may name: each entity's fields
//! with their kind and size limit, the field that ties a record to its client, and
//! when a record becomes final. The server checks every change it receives against
//! this list before it stores it, so a device that is out of date, buggy or hostile
//! cannot put into the organisation's database what no Tirek would write.
//!
//! The list mirrors `tirek-store`'s entity list and the local migrations' CHECKs
//! (`migrations/local/`); the tidy test `the_store_and_the_domain_name_the_same_fields`
//! fails when the two drift apart. Limits are in characters, like SQLite's `length()`.

use std::fmt;

use crate::change::{ChangeRecord, FieldValue};

/// The pseudo-field of a tombstone: a change whose only field is this one says the
/// record was erased (on the client's request). It travels even to final records.
pub const ERASED: &str = "_erased";

/// The pseudo-field of a deletion that keeps the record's history (a draft taken
/// back, a client taken off a group session): the change's only field.
pub const DELETED: &str = "_deleted";

/// The longest record id accepted: UUIDs are 36 characters.
pub const MAX_RECORD_ID_CHARS: usize = 64;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Text of at most this many characters.
    Text(usize),
    /// A whole number (instants in milliseconds, flags 0/1, counts).
    Integer,
}

/// One writable field of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Its name in change records.
    pub name: &'static str,
    /// What it holds.
    pub kind: FieldKind,
}

/// When a record stops accepting changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finality {
    /// Never: it can always be changed.
    Never,
    /// Once this field holds a value (a signature, a resolution).
    OnceSet(&'static str),
    /// From its creation (an addendum, a saved questionnaire).
    Always,
}

/// How a record belongs to a client, which decides whose caseload it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Belonging {
    /// The record is the client.
    IsClient,
    /// This field holds the client's id.
    ClientField(&'static str),
    /// This field holds the id of a record of that entity (an addendum's consultation).
    Parent { field: &'static str, entity: &'static str },
    /// It belongs to no client: its author's (a consultation, whose clients are its
    /// attendances; the services directory).
    Author,
}

/// A clinical entity.
#[derive(Debug)]
pub struct EntitySpec {
    /// Its name in change records, e.g. `client`.
    pub name: &'static str,
    /// Its writable fields.
    pub fields: &'static [FieldSpec],
    /// When its records become final.
    pub finality: Finality,
    /// How its records belong to a client.
    pub belonging: Belonging,
}

const ID: usize = MAX_RECORD_ID_CHARS;
const CODE: usize = 50;
const DATE: usize = 10;
const NAME: usize = 100;
const LINE: usize = 300;
const TEXT: usize = MAX_TEXT;

/// The longest free text a clinical field holds (notes, an addendum), in characters.
pub const MAX_TEXT: usize = 20_000;

/// A letter's snapshot (everything it printed, as JSON) and a questionnaire's answers.
const DOCUMENT: usize = 200_000;

const fn text(name: &'static str, max: usize) -> FieldSpec {
    FieldSpec { name, kind: FieldKind::Text(max) }
}

const fn integer(name: &'static str) -> FieldSpec {
    FieldSpec { name, kind: FieldKind::Integer }
}

/// Every entity, as `tirek-store` writes them.
pub const ENTITIES: &[EntitySpec] = &[
    EntitySpec {
        name: "client",
        fields: &[
            text("family_name", NAME),
            text("given_name", NAME),
            text("patronymic", NAME),
            text("latin_name", LINE),
            text("iin", 12),
            text("birth_date", DATE),
            text("phone", 12),
            text("address", LINE),
            text("region", NAME),
            text("district", NAME),
            text("language", 2),
            integer("archived"),
            text("owner", ID),
            integer("created_at"),
        ],
        finality: Finality::Never,
        belonging: Belonging::IsClient,
    },
    EntitySpec {
        name: "child",
        fields: &[
            text("client_id", ID),
            text("name", LINE),
            text("birth_date", DATE),
            text("iin", 12),
            text("disability", CODE),
            integer("special_needs"),
            text("diagnosis", LINE),
            text("icd10", 10),
            text("diagnosed_on", DATE),
            text("irp_status", CODE),
        ],
        finality: Finality::Never,
        belonging: Belonging::ClientField("client_id"),
    },
    EntitySpec {
        name: "consent",
        fields: &[
            text("client_id", ID),
            text("scope", CODE),
            text("given_by", CODE),
            text("representative", LINE),
            text("method", CODE),
            text("witness", LINE),
            text("given_on", DATE),
            text("withdrawn_on", DATE),
        ],
        finality: Finality::Never,
        belonging: Belonging::ClientField("client_id"),
    },
    EntitySpec {
        name: "consultation",
        fields: &[
            text("format", CODE),
            text("held_on", DATE),
            integer("duration_minutes"),
            text("participants", LINE),
            text("concerns", TEXT),
            text("interventions", 1_000),
            text("interventions_other", TEXT),
            text("notes", TEXT),
            text("plan", TEXT),
            text("next_step", TEXT),
            integer("created_at"),
            integer("signed_at"),
            text("signed_by", LINE),
        ],
        finality: Finality::OnceSet("signed_at"),
        belonging: Belonging::Author,
    },
    EntitySpec {
        name: "attendance",
        fields: &[text("consultation_id", ID), text("client_id", ID)],
        finality: Finality::Never,
        belonging: Belonging::ClientField("client_id"),
    },
    EntitySpec {
        name: "addendum",
        fields: &[text("consultation_id", ID), text("text", TEXT), integer("written_at"), text("author", LINE)],
        finality: Finality::Always,
        belonging: Belonging::Parent { field: "consultation_id", entity: "consultation" },
    },
    EntitySpec {
        name: "assessment",
        fields: &[
            text("client_id", ID),
            text("instrument", CODE),
            text("instrument_version", 20),
            text("language", 2),
            text("answers", DOCUMENT),
            integer("total_centi"),
            text("band", CODE),
            text("flags", 500),
            text("administered_by", CODE),
            text("taken_on", DATE),
            integer("created_at"),
        ],
        finality: Finality::Always,
        belonging: Belonging::ClientField("client_id"),
    },
    EntitySpec {
        name: "risk_flag",
        fields: &[
            text("client_id", ID),
            text("assessment_id", ID),
            text("source", CODE),
            text("rule", CODE),
            integer("raised_at"),
            text("level", CODE),
            text("actions", TEXT),
            text("safety_plan", TEXT),
            text("contacts", TEXT),
            integer("form_signed_at"),
            text("form_signed_by", LINE),
            integer("resolved_at"),
            text("resolved_by", LINE),
            text("resolution", TEXT),
        ],
        finality: Finality::OnceSet("resolved_at"),
        belonging: Belonging::ClientField("client_id"),
    },
    EntitySpec {
        name: "schedule",
        fields: &[
            text("client_id", ID),
            text("instrument", CODE),
            integer("every_weeks"),
            text("starts_on", DATE),
            text("stopped_on", DATE),
        ],
        finality: Finality::OnceSet("stopped_on"),
        belonging: Belonging::ClientField("client_id"),
    },
    EntitySpec {
        name: "service",
        fields: &[
            text("name", LINE),
            text("kind", CODE),
            text("region", 40),
            text("district", 40),
            text("address", LINE),
            text("phone", 12),
            text("languages", 20),
            text("notes", TEXT),
            integer("example"),
            integer("archived_at"),
        ],
        finality: Finality::Never,
        belonging: Belonging::Author,
    },
    EntitySpec {
        name: "referral",
        fields: &[
            text("client_id", ID),
            text("service_id", ID),
            text("recipient", LINE),
            text("recipient_address", TEXT),
            text("reason", TEXT),
            text("findings", TEXT),
            text("service_requested", LINE),
            text("urgency", CODE),
            text("language", 2),
            text("signatory_name", LINE),
            text("signatory_position", LINE),
            integer("created_at"),
            text("status", CODE),
            text("number", CODE),
            text("issued_on", DATE),
            text("snapshot", DOCUMENT),
            text("pdf_sha256", 64),
            text("delivered_on", DATE),
            text("outcome_on", DATE),
            text("outcome_note", TEXT),
        ],
        finality: Finality::Never,
        belonging: Belonging::ClientField("client_id"),
    },
    EntitySpec {
        name: "follow_up",
        fields: &[
            text("client_id", ID),
            text("kind", CODE),
            text("due_on", DATE),
            text("time", 5),
            text("note", LINE),
            text("done_on", DATE),
            text("consultation_id", ID),
        ],
        finality: Finality::Never,
        belonging: Belonging::ClientField("client_id"),
    },
];

/// The entity named `name`.
pub fn entity(name: &str) -> Option<&'static EntitySpec> {
    ENTITIES.iter().find(|entity| entity.name == name)
}

impl EntitySpec {
    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// Whether a record of this entity is final once `set` (the fields a change
    /// gives a value) has been applied to it.
    pub fn becomes_final(&self, change: &ChangeRecord) -> bool {
        match self.finality {
            Finality::Never => false,
            Finality::Always => true,
            Finality::OnceSet(field) => change.fields.iter().any(|f| f.field == field && f.new != FieldValue::Null),
        }
    }
}

/// What a change record is, once its shape is known to be sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeShape {
    /// A new record (base revision 0).
    Insert,
    /// New values for fields of an existing record.
    Update,
    /// A deletion that keeps the history ([`DELETED`]).
    Delete,
    /// An erasure's tombstone ([`ERASED`]).
    Erase,
}

/// Why a change record cannot be stored, whatever the state of the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// No such entity.
    UnknownEntity(String),
    /// The entity has no such field.
    UnknownField { entity: String, field: String },
    /// A text longer than its field allows.
    TooLong { field: String, max: usize },
    /// A value of the wrong kind (text for a number, or the other way).
    WrongKind { field: String },
    /// An empty, over-long or non-printable record id.
    BadRecordId,
    /// A pseudo-field beside other fields, a negative revision, an update of nothing.
    Malformed(&'static str),
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownEntity(entity) => write!(f, "unknown entity `{entity}`"),
            Self::UnknownField { entity, field } => write!(f, "`{entity}` has no field `{field}`"),
            Self::TooLong { field, max } => write!(f, "`{field}` is longer than {max} characters"),
            Self::WrongKind { field } => write!(f, "`{field}` holds the wrong kind of value"),
            Self::BadRecordId => write!(f, "the record id is not a valid id"),
            Self::Malformed(what) => write!(f, "the change is malformed: {what}"),
        }
    }
}

impl std::error::Error for ShapeError {}

/// Checks the shape of `change` against the catalogue: the entity and each field
/// known, values of the right kind and size, pseudo-fields alone. Says what kind
/// of change it is. Needs no state: whether the record exists, is final or is in
/// the author's scope is for the caller to judge.
pub fn check_shape(change: &ChangeRecord) -> Result<(&'static EntitySpec, ChangeShape), ShapeError> {
    let spec = entity(&change.entity).ok_or_else(|| ShapeError::UnknownEntity(change.entity.clone()))?;
    let id = &change.entity_id;
    if id.is_empty() || id.chars().count() > MAX_RECORD_ID_CHARS || !id.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ShapeError::BadRecordId);
    }
    if change.base_revision < 0 {
        return Err(ShapeError::Malformed("negative base revision"));
    }
    if let [only] = change.fields.as_slice() {
        for (pseudo, shape) in [(ERASED, ChangeShape::Erase), (DELETED, ChangeShape::Delete)] {
            if only.field == pseudo {
                return Ok((spec, shape));
            }
        }
    }
    let mut seen: Vec<&str> = Vec::with_capacity(change.fields.len());
    for field in &change.fields {
        if field.field == ERASED || field.field == DELETED {
            return Err(ShapeError::Malformed("a tombstone or deletion carries other fields"));
        }
        if seen.contains(&field.field.as_str()) {
            return Err(ShapeError::Malformed("a field appears twice"));
        }
        seen.push(&field.field);
        let known = spec
            .field(&field.field)
            .ok_or_else(|| ShapeError::UnknownField { entity: spec.name.to_owned(), field: field.field.clone() })?;
        for value in [&field.old, &field.new] {
            check_value(known, value)?;
        }
    }
    if change.base_revision == 0 {
        Ok((spec, ChangeShape::Insert))
    } else if change.fields.is_empty() {
        Err(ShapeError::Malformed("an update changes no field"))
    } else {
        Ok((spec, ChangeShape::Update))
    }
}

fn check_value(field: &FieldSpec, value: &FieldValue) -> Result<(), ShapeError> {
    match (field.kind, value) {
        (_, FieldValue::Null) | (FieldKind::Integer, FieldValue::Integer(_)) => Ok(()),
        (FieldKind::Text(max), FieldValue::Text(text)) => {
            // Counting stops one past the limit: a huge value costs no more than a legal one.
            if text.chars().take(max + 1).count() > max {
                Err(ShapeError::TooLong { field: field.name.to_owned(), max })
            } else {
                Ok(())
            }
        }
        _ => Err(ShapeError::WrongKind { field: field.name.to_owned() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::FieldChange;

    fn change(entity: &str, base_revision: i64, fields: &[(&str, FieldValue)]) -> ChangeRecord {
        ChangeRecord {
            entity: entity.to_owned(),
            entity_id: "0190f5a2-7c1e-7000-8000-000000000001".to_owned(),
            fields: fields
                .iter()
                .map(|(field, new)| FieldChange { field: (*field).to_owned(), old: FieldValue::Null, new: new.clone() })
                .collect(),
            base_revision,
            hlc: 1,
            device_id: "device".to_owned(),
            seq: 1,
            author: "author".to_owned(),
        }
    }

    fn text(value: &str) -> FieldValue {
        FieldValue::Text(value.to_owned())
    }

    #[test]
    fn every_entity_and_field_name_is_unique() {
        for (i, entity) in ENTITIES.iter().enumerate() {
            assert!(ENTITIES[i + 1..].iter().all(|other| other.name != entity.name), "{}", entity.name);
            for (j, field) in entity.fields.iter().enumerate() {
                assert!(entity.fields[j + 1..].iter().all(|f| f.name != field.name), "{}.{}", entity.name, field.name);
            }
            match entity.finality {
                Finality::OnceSet(field) => assert!(entity.field(field).is_some(), "{}.{field}", entity.name),
                Finality::Never | Finality::Always => {}
            }
            match entity.belonging {
                Belonging::ClientField(field) => assert!(entity.field(field).is_some()),
                Belonging::Parent { field, entity: parent } => {
                    assert!(entity.field(field).is_some());
                    assert!(super::entity(parent).is_some());
                }
                Belonging::IsClient | Belonging::Author => {}
            }
        }
    }

    #[test]
    fn shapes_are_told_apart_and_bad_ones_named() {
        let long_name = "Ә".repeat(101);
        let cases: Vec<(ChangeRecord, Result<ChangeShape, ShapeError>)> = vec![
            (change("client", 0, &[("family_name", text("Нұрланова"))]), Ok(ChangeShape::Insert)),
            (change("client", 3, &[("phone", text("+77011234567"))]), Ok(ChangeShape::Update)),
            (change("client", 3, &[(ERASED, FieldValue::Integer(1))]), Ok(ChangeShape::Erase)),
            (change("consultation", 2, &[(DELETED, FieldValue::Integer(1))]), Ok(ChangeShape::Delete)),
            (change("client", 0, &[("family_name", text(&"Ә".repeat(100)))]), Ok(ChangeShape::Insert)),
            (change("patient", 0, &[]), Err(ShapeError::UnknownEntity("patient".to_owned()))),
            (
                change("client", 0, &[("nickname", text("x"))]),
                Err(ShapeError::UnknownField { entity: "client".to_owned(), field: "nickname".to_owned() }),
            ),
            (
                change("client", 0, &[("family_name", text(&long_name))]),
                Err(ShapeError::TooLong { field: "family_name".to_owned(), max: 100 }),
            ),
            (
                change("client", 0, &[("archived", text("yes"))]),
                Err(ShapeError::WrongKind { field: "archived".to_owned() }),
            ),
            (
                change("client", 0, &[("family_name", FieldValue::Integer(7))]),
                Err(ShapeError::WrongKind { field: "family_name".to_owned() }),
            ),
            (change("client", 2, &[]), Err(ShapeError::Malformed("an update changes no field"))),
            (
                change("client", 2, &[(ERASED, FieldValue::Integer(1)), ("phone", FieldValue::Null)]),
                Err(ShapeError::Malformed("a tombstone or deletion carries other fields")),
            ),
            (
                change("client", 0, &[("phone", FieldValue::Null), ("phone", FieldValue::Null)]),
                Err(ShapeError::Malformed("a field appears twice")),
            ),
            (change("client", -1, &[]), Err(ShapeError::Malformed("negative base revision"))),
        ];
        for (record, expected) in cases {
            assert_eq!(check_shape(&record).map(|(_, shape)| shape), expected, "{record:?}");
        }
    }

    #[test]
    fn record_ids_must_be_short_printable_ascii() {
        for id in ["", "has space", "ид", &"x".repeat(65)] {
            let mut record = change("client", 0, &[]);
            record.entity_id = id.to_owned();
            assert_eq!(check_shape(&record).map(|(_, s)| s), Err(ShapeError::BadRecordId), "{id:?}");
        }
    }

    #[test]
    fn signatures_and_creation_make_records_final() {
        let consultation = entity("consultation").expect("known");
        assert!(!consultation.becomes_final(&change("consultation", 0, &[("notes", text("…"))])));
        assert!(consultation.becomes_final(&change("consultation", 1, &[("signed_at", FieldValue::Integer(5))])));
        assert!(!consultation.becomes_final(&change("consultation", 1, &[("signed_at", FieldValue::Null)])));
        let addendum = entity("addendum").expect("known");
        assert!(addendum.becomes_final(&change("addendum", 0, &[("text", text("…"))])));
        assert!(!entity("client").expect("known").becomes_final(&change("client", 0, &[])));
    }
}
