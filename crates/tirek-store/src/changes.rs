//! The one way clinical data is written: [`OpenProfile::write`] opens a transaction
//! and hands the caller a [`Changes`], whose every insert and update appends a change
//! record — entity, id, each changed field's old and new value, base revision, HLC
//! timestamp, device, per-device sequence number, author — in the same transaction as
//! the table update. The profile's connection is private, so there is no other way:
//!
//! ```compile_fail
//! fn sneak_past_the_change_log(profile: &tirek_store::OpenProfile) {
//!     profile.connection.run("UPDATE clients SET family_name = 'x'", []).unwrap();
//! }
//! ```

use crate::db::Cached;
use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use tirek_domain::change::{ChangeRecord, FieldChange, FieldValue, next_hlc};

use crate::profiles::OpenProfile;
use crate::{Result, StoreError};

/// A clinical entity: its name in the change log, its table, and the fields that may
/// be written. Column names in SQL come only from this list, never from input.
#[derive(Debug)]
pub(crate) struct Entity {
    pub(crate) name: &'static str,
    pub(crate) table: &'static str,
    pub(crate) fields: &'static [&'static str],
    pub(crate) finality: Finality,
}

/// When a record stops accepting changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finality {
    /// Never: it can always be changed.
    Never,
    /// Once this field holds a value (a signature).
    OnceSet(&'static str),
    /// From its creation (an addendum).
    Always,
}

pub(crate) const ENTITIES: &[Entity] = &[
    Entity {
        name: "client",
        table: "clients",
        fields: &[
            "family_name",
            "given_name",
            "patronymic",
            "latin_name",
            "iin",
            "birth_date",
            "phone",
            "address",
            "region",
            "district",
            "language",
            "archived",
            "owner",
            "created_at",
        ],
        finality: Finality::Never,
    },
    Entity {
        name: "child",
        table: "children",
        fields: &[
            "client_id",
            "name",
            "birth_date",
            "iin",
            "disability",
            "special_needs",
            "diagnosis",
            "icd10",
            "diagnosed_on",
            "irp_status",
        ],
        finality: Finality::Never,
    },
    Entity {
        name: "consent",
        table: "consents",
        fields: &["client_id", "scope", "given_by", "representative", "method", "witness", "given_on", "withdrawn_on"],
        finality: Finality::Never,
    },
    Entity {
        name: "consultation",
        table: "consultations",
        fields: &[
            "format",
            "held_on",
            "duration_minutes",
            "participants",
            "concerns",
            "interventions",
            "interventions_other",
            "notes",
            "plan",
            "next_step",
            "created_at",
            "signed_at",
            "signed_by",
        ],
        finality: Finality::OnceSet("signed_at"),
    },
    Entity {
        name: "attendance",
        table: "attendances",
        fields: &["consultation_id", "client_id"],
        finality: Finality::Never,
    },
    Entity {
        name: "addendum",
        table: "addenda",
        fields: &["consultation_id", "text", "written_at", "author"],
        finality: Finality::Always,
    },
    Entity {
        name: "assessment",
        table: "assessments",
        fields: &[
            "client_id",
            "instrument",
            "instrument_version",
            "language",
            "answers",
            "total_centi",
            "band",
            "flags",
            "administered_by",
            "taken_on",
            "created_at",
        ],
        finality: Finality::Always,
    },
    Entity {
        name: "risk_flag",
        table: "risk_flags",
        fields: &[
            "client_id",
            "assessment_id",
            "source",
            "rule",
            "raised_at",
            "level",
            "actions",
            "safety_plan",
            "contacts",
            "form_signed_at",
            "form_signed_by",
            "resolved_at",
            "resolved_by",
            "resolution",
        ],
        finality: Finality::OnceSet("resolved_at"),
    },
    Entity {
        name: "schedule",
        table: "schedules",
        fields: &["client_id", "instrument", "every_weeks", "starts_on", "stopped_on"],
        finality: Finality::OnceSet("stopped_on"),
    },
    Entity {
        name: "service",
        table: "services",
        fields: &[
            "name",
            "kind",
            "region",
            "district",
            "address",
            "phone",
            "languages",
            "notes",
            "example",
            "archived_at",
        ],
        finality: Finality::Never,
    },
    Entity {
        name: "referral",
        table: "referrals",
        fields: &[
            "client_id",
            "service_id",
            "recipient",
            "recipient_address",
            "reason",
            "findings",
            "service_requested",
            "urgency",
            "language",
            "signatory_name",
            "signatory_position",
            "created_at",
            "status",
            "number",
            "issued_on",
            "snapshot",
            "pdf_sha256",
            "delivered_on",
            "outcome_on",
            "outcome_note",
        ],
        finality: Finality::Never,
    },
    Entity {
        name: "follow_up",
        table: "follow_ups",
        fields: &["client_id", "kind", "due_on", "time", "note", "done_on", "consultation_id"],
        finality: Finality::Never,
    },
];

pub(crate) fn entity(name: &str) -> Result<&'static Entity> {
    ENTITIES
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| StoreError::UnknownField { entity: name.to_owned(), field: String::new() })
}

impl Entity {
    /// Whether `record` of this entity accepts no more changes.
    pub(crate) fn is_final(&self, record: &Record) -> bool {
        match self.finality {
            Finality::Never => false,
            Finality::Always => true,
            Finality::OnceSet(field) => record.fields.get(field).is_some_and(|value| *value != FieldValue::Null),
        }
    }

    pub(crate) fn field(&self, field: &str) -> Result<&'static str> {
        self.fields
            .iter()
            .copied()
            .find(|f| *f == field)
            .ok_or_else(|| StoreError::UnknownField { entity: self.name.to_owned(), field: field.to_owned() })
    }
}

/// The pseudo-field of a tombstone: a change record whose only field is this one says
/// the record was erased.
pub const ERASED: &str = "_erased";

/// The pseudo-field of a deletion that keeps the record's history (a client taken
/// off a group session, say): the change record's only field.
pub const DELETED: &str = "_deleted";

/// A record as stored: its revision and field values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// How many changes the record has seen.
    pub revision: i64,
    /// Every field of the entity.
    pub fields: BTreeMap<String, FieldValue>,
}

impl Record {
    /// A text field's value, if it has one.
    pub fn text(&self, field: &str) -> Option<&str> {
        match self.fields.get(field) {
            Some(FieldValue::Text(text)) => Some(text),
            _ => None,
        }
    }

    /// A whole-number field's value, if it has one.
    pub fn integer(&self, field: &str) -> Option<i64> {
        match self.fields.get(field) {
            Some(FieldValue::Integer(n)) => Some(*n),
            _ => None,
        }
    }
}

pub(crate) fn to_sql(value: &FieldValue) -> Value {
    match value {
        FieldValue::Null => Value::Null,
        FieldValue::Integer(n) => Value::Integer(*n),
        FieldValue::Text(text) => Value::Text(text.clone()),
    }
}

pub(crate) fn from_sql(value: Value) -> FieldValue {
    match value {
        Value::Integer(n) => FieldValue::Integer(n),
        Value::Text(text) => FieldValue::Text(text),
        Value::Null | Value::Real(_) | Value::Blob(_) => FieldValue::Null,
    }
}

pub(crate) fn to_json(value: &FieldValue) -> serde_json::Value {
    match value {
        FieldValue::Null => serde_json::Value::Null,
        FieldValue::Integer(n) => (*n).into(),
        FieldValue::Text(text) => text.clone().into(),
    }
}

pub(crate) fn from_json(value: &serde_json::Value) -> FieldValue {
    match value {
        serde_json::Value::Number(n) => n.as_i64().map_or(FieldValue::Null, FieldValue::Integer),
        serde_json::Value::String(text) => FieldValue::Text(text.clone()),
        _ => FieldValue::Null,
    }
}

/// The writes of one transaction. Dropped without [`OpenProfile::write`] finishing
/// (an error, a panic), the transaction rolls back: no table row without its change
/// record, no change record without its row.
#[derive(Debug)]
pub struct Changes<'p> {
    transaction: Transaction<'p>,
    device_id: String,
    author: String,
    now_ms: i64,
    last_seq: i64,
    last_hlc: u64,
    written: Vec<ChangeRecord>,
    /// The clients of each change written, found before the record went (a deletion
    /// or an erasure); the rest are found as the transaction ends ([`OpenProfile::write`]).
    clients_before: BTreeMap<i64, Vec<String>>,
}

impl<'p> Changes<'p> {
    pub(crate) fn transaction(&self) -> &Transaction<'p> {
        &self.transaction
    }

    pub(crate) fn device(&self) -> &str {
        &self.device_id
    }

    fn current(&self, entity: &Entity, id: &str) -> Result<Option<Record>> {
        read(&self.transaction, entity, id)
    }

    /// Refuses a write about a client this user holds read-only (moved to a
    /// colleague): `clients` are the clients the record is about.
    /// Computed only when the user holds any client read-only.
    fn writable(&self, clients: impl FnOnce() -> Result<Vec<String>>) -> Result<()> {
        let any: bool = self
            .transaction
            .one("SELECT EXISTS (SELECT 1 FROM sync_read_only)", [], |row| row.get(0))
            .map_err(sqlite)?;
        if !any {
            return Ok(());
        }
        for client in clients()? {
            let read_only: bool = self
                .transaction
                .one("SELECT EXISTS (SELECT 1 FROM sync_read_only WHERE client_id = ?1)", [&client], |row| row.get(0))
                .map_err(sqlite)?;
            if read_only {
                return Err(StoreError::ReadOnlyClient { client });
            }
        }
        Ok(())
    }

    /// The clients a new record with `fields` is about.
    fn clients_of_new(&self, entity: &Entity, id: &str, fields: &[(&str, FieldValue)]) -> Result<Vec<String>> {
        let named = |name: &str| {
            fields.iter().find(|(field, _)| *field == name).and_then(|(_, value)| match value {
                FieldValue::Text(id) => Some(id.clone()),
                _ => None,
            })
        };
        let mut clients = Vec::new();
        if entity.name == "client" {
            clients.push(id.to_owned());
        }
        clients.extend(named("client_id"));
        if let Some(consultation) = named("consultation_id") {
            clients.extend(crate::sync::clients_of(&self.transaction, "consultation", &consultation, 0)?);
        }
        Ok(clients)
    }

    /// Creates record `id` with `fields` (the rest are null).
    pub fn insert(&mut self, entity: &str, id: &str, fields: &[(&str, FieldValue)]) -> Result<()> {
        let entity = entity_checked(entity, fields)?;
        self.writable(|| self.clients_of_new(entity, id, fields))?;
        let hlc = self.next_hlc();
        let columns: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
        let placeholders: Vec<String> = (0..columns.len()).map(|i| format!("?{}", i + 4)).collect();
        let sql = format!(
            "INSERT INTO {} (id, revision, updated_hlc{}{}) VALUES (?1, ?2, ?3{}{})",
            entity.table,
            if columns.is_empty() { "" } else { ", " },
            columns.join(", "),
            if columns.is_empty() { "" } else { ", " },
            placeholders.join(", ")
        );
        let mut values: Vec<Value> = vec![Value::Text(id.to_owned()), Value::Integer(1), Value::Integer(hlc as i64)];
        values.extend(fields.iter().map(|(_, value)| to_sql(value)));
        self.transaction.run(&sql, rusqlite::params_from_iter(values)).map_err(sqlite)?;
        let changed = fields
            .iter()
            .map(|(field, new)| FieldChange { field: (*field).to_owned(), old: FieldValue::Null, new: new.clone() })
            .collect();
        self.record(entity, id, 0, hlc, changed)?;
        crate::derived::refresh(&self.transaction, entity.name, id)
    }

    /// Changes `fields` of record `id`. Fields whose value does not change are left
    /// out of the change record; a change of nothing writes nothing.
    pub fn update(&mut self, entity: &str, id: &str, fields: &[(&str, FieldValue)]) -> Result<()> {
        self.update_fields(entity, id, fields, false)
    }

    /// Settles the review marks of `field` of record `id` with `value` — the one shown
    /// (kept) or another version (taken): written on top of the value shown even when
    /// it does not change, which is what settles the marks on every device
    /// (`tirek_domain::merge::conflicts`). Returns how many marks stay open.
    pub fn settle(&mut self, entity: &str, id: &str, field: &str, value: FieldValue) -> Result<usize> {
        self.update_fields(entity, id, &[(field, value)], true)?;
        crate::sync::remark_field(&self.transaction, self::entity(entity)?, id, field, self.now_ms)?;
        self.transaction
            .one(
                "SELECT count(*) FROM sync_reviews WHERE entity = ?1 AND entity_id = ?2 AND field = ?3
                 AND resolved_at IS NULL",
                params![entity, id, field],
                |row| row.get::<_, i64>(0),
            )
            .map(|open| open as usize)
            .map_err(sqlite)
    }

    fn update_fields(
        &mut self,
        entity: &str,
        id: &str,
        fields: &[(&str, FieldValue)],
        unchanged_too: bool,
    ) -> Result<()> {
        let entity = entity_checked(entity, fields)?;
        self.writable(|| crate::sync::clients_of(&self.transaction, entity.name, id, 0))?;
        let current = self
            .current(entity, id)?
            .ok_or_else(|| StoreError::RecordNotFound { entity: entity.name.to_owned(), id: id.to_owned() })?;
        if entity.is_final(&current) {
            return Err(StoreError::RecordFinal { entity: entity.name.to_owned(), id: id.to_owned() });
        }
        let changed: Vec<FieldChange> = fields
            .iter()
            .filter_map(|(field, new)| {
                let old = current.fields.get(*field).cloned().unwrap_or(FieldValue::Null);
                (unchanged_too || old != *new).then(|| FieldChange {
                    field: (*field).to_owned(),
                    old,
                    new: new.clone(),
                })
            })
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let mut changed = changed;
        if let Finality::OnceSet(field) = entity.finality
            && changed.iter().any(|change| change.field == field && change.new != FieldValue::Null)
        {
            // The change that makes a record final (a signature) carries the whole
            // record as signed, unchanged fields as old = new: a device that pulls it
            // shows exactly what was signed, whatever draft edits crossed it
            // (`sync.rs`), so a signed record never conflicts.
            for name in entity.fields {
                if !changed.iter().any(|change| change.field == *name) {
                    let value = current.fields.get(*name).cloned().unwrap_or(FieldValue::Null);
                    changed.push(FieldChange { field: (*name).to_owned(), old: value.clone(), new: value });
                }
            }
        }
        let hlc = self.next_hlc();
        let assignments: Vec<String> =
            changed.iter().enumerate().map(|(i, change)| format!("{} = ?{}", change.field, i + 3)).collect();
        let sql = format!(
            "UPDATE {} SET revision = revision + 1, updated_hlc = ?2, {} WHERE id = ?1",
            entity.table,
            assignments.join(", ")
        );
        let mut values: Vec<Value> = vec![Value::Text(id.to_owned()), Value::Integer(hlc as i64)];
        values.extend(changed.iter().map(|change| to_sql(&change.new)));
        self.transaction.run(&sql, rusqlite::params_from_iter(values)).map_err(sqlite)?;
        self.record(entity, id, current.revision, hlc, changed)?;
        crate::derived::refresh(&self.transaction, entity.name, id)
    }

    /// Deletes record `id`; its history stays, and a change record with the single
    /// field [`DELETED`] says it went. A final record cannot be deleted this way.
    pub fn delete(&mut self, entity: &str, id: &str) -> Result<()> {
        let entity = self::entity(entity)?;
        self.writable(|| crate::sync::clients_of(&self.transaction, entity.name, id, 0))?;
        let current = self
            .current(entity, id)?
            .ok_or_else(|| StoreError::RecordNotFound { entity: entity.name.to_owned(), id: id.to_owned() })?;
        if entity.is_final(&current) {
            return Err(StoreError::RecordFinal { entity: entity.name.to_owned(), id: id.to_owned() });
        }
        let affected = crate::derived::before_delete(&self.transaction, entity.name, id)?;
        let clients = crate::sync::clients_of(&self.transaction, entity.name, id, 0)?;
        self.transaction.run(&format!("DELETE FROM {} WHERE id = ?1", entity.table), [id]).map_err(sqlite)?;
        let hlc = self.next_hlc();
        let change = FieldChange { field: DELETED.to_owned(), old: FieldValue::Null, new: FieldValue::Integer(1) };
        self.record(entity, id, current.revision, hlc, vec![change])?;
        self.clients_before.insert(self.last_seq, clients);
        crate::derived::after_delete(&self.transaction, affected)
    }

    /// Erases client `id` on the client's request, with everything that is only
    /// about them: children, consents, follow-ups, their attendance, consultations
    /// no one else attended and those consultations' addenda. Each record leaves a
    /// tombstone in the change log (so the erasure reaches the server) and its
    /// earlier change records lose their values. Returns how many records went.
    pub fn erase_client(&mut self, id: &str) -> Result<usize> {
        let client = entity("client")?;
        if self.current(client, id)?.is_none() {
            return Err(StoreError::RecordNotFound { entity: client.name.to_owned(), id: id.to_owned() });
        }
        // The colleague who holds it now erases it, and the erasure reaches here.
        self.writable(|| Ok(vec![id.to_owned()]))?;
        self.erase_client_records(id, true)
    }

    /// Erases what is still here about client `id`, erased on another device: the
    /// records this device made about them that the other did not know of (a
    /// consultation, a follow-up written before the erasure arrived). Each leaves a
    /// tombstone, so the erasure reaches them on every device; records another
    /// device made are left to that device's tombstones. Returns how many.
    pub fn erase_client_leftovers(&mut self, id: &str) -> Result<usize> {
        self.erase_client_records(id, false)
    }

    fn erase_client_records(&mut self, id: &str, with_client: bool) -> Result<usize> {
        let ids = |sql: &str, key: &str| -> Result<Vec<String>> {
            let mut statement = self.transaction.prepare(sql).map_err(sqlite)?;
            let rows = statement.query_map([key], |row| row.get(0)).map_err(sqlite)?;
            rows.collect::<rusqlite::Result<Vec<String>>>().map_err(sqlite)
        };
        let only_theirs = ids(
            "SELECT a.consultation_id FROM attendances a WHERE a.client_id = ?1 AND NOT EXISTS
               (SELECT 1 FROM attendances o WHERE o.consultation_id = a.consultation_id AND o.client_id <> ?1)",
            id,
        )?;
        let mut doomed: Vec<(&'static str, String)> = Vec::new();
        for consultation in &only_theirs {
            for addendum in ids("SELECT id FROM addenda WHERE consultation_id = ?1", consultation)? {
                doomed.push(("addendum", addendum));
            }
            doomed.push(("consultation", consultation.clone()));
        }
        for (name, sql) in [
            ("attendance", "SELECT id FROM attendances WHERE client_id = ?1"),
            ("child", "SELECT id FROM children WHERE client_id = ?1"),
            ("consent", "SELECT id FROM consents WHERE client_id = ?1"),
            ("follow_up", "SELECT id FROM follow_ups WHERE client_id = ?1"),
            ("assessment", "SELECT id FROM assessments WHERE client_id = ?1"),
            ("risk_flag", "SELECT id FROM risk_flags WHERE client_id = ?1"),
            ("schedule", "SELECT id FROM schedules WHERE client_id = ?1"),
            ("referral", "SELECT id FROM referrals WHERE client_id = ?1"),
        ] {
            doomed.extend(ids(sql, id)?.into_iter().map(|record| (name, record)));
        }
        if with_client {
            doomed.push(("client", id.to_owned()));
        } else {
            // Each device erases what it made: the others' tombstones reach the rest,
            // and a device that writes nothing (a supervisor's) writes no tombstone.
            let mut made_here = Vec::new();
            for (name, record) in doomed {
                if self.made_here(name, &record)? {
                    made_here.push((name, record));
                }
            }
            doomed = made_here;
        }
        // Attendances deleted earlier (taken off a group session) still name the
        // client in their change records.
        let quoted = serde_json::Value::String(id.to_owned()).to_string();
        self.transaction
            .run("UPDATE change_log SET fields = '{}' WHERE entity = 'attendance' AND instr(fields, ?1) > 0", [&quoted])
            .map_err(sqlite)?;
        for (name, record) in &doomed {
            self.erase_record(name, record)?;
        }
        Ok(doomed.len())
    }

    /// Whether this device created record `id` of `entity`.
    pub(crate) fn made_here(&self, entity: &str, id: &str) -> Result<bool> {
        self.transaction
            .one(
                "SELECT EXISTS (SELECT 1 FROM change_log WHERE entity = ?1 AND entity_id = ?2 AND device_id = ?3
                                  AND base_revision = 0)",
                params![entity, id, self.device_id],
                |row| row.get(0),
            )
            .map_err(sqlite)
    }

    /// Erases an addendum whose consultation was erased on another device: written
    /// here before that erasure arrived, it is the last of what the client asked to
    /// be forgotten. It leaves a tombstone, like every erased record.
    pub fn erase_orphaned_addendum(&mut self, id: &str) -> Result<()> {
        self.erase_record("addendum", id)
    }

    fn erase_record(&mut self, name: &str, record: &str) -> Result<()> {
        {
            let entity = entity(name)?;
            let current = self.current(entity, record)?.map_or(0, |r| r.revision);
            let clients = crate::sync::clients_of(&self.transaction, entity.name, record, 0)?;
            self.transaction.run(&format!("DELETE FROM {} WHERE id = ?1", entity.table), [record]).map_err(sqlite)?;
            self.transaction
                .run("UPDATE change_log SET fields = '{}' WHERE entity = ?1 AND entity_id = ?2", [name, record])
                .map_err(sqlite)?;
            // Review marks point at the blanked history: they go with it.
            self.transaction
                .run("DELETE FROM sync_reviews WHERE entity = ?1 AND entity_id = ?2", [name, record])
                .map_err(sqlite)?;
            let hlc = self.next_hlc();
            let tombstone =
                FieldChange { field: ERASED.to_owned(), old: FieldValue::Null, new: FieldValue::Integer(1) };
            self.record(entity, record, current, hlc, vec![tombstone])?;
            self.clients_before.insert(self.last_seq, clients);
        }
        Ok(())
    }

    /// Appends `event` about `record` to the audit trail in this transaction, so
    /// the write and its audit entry stand or fall together.
    pub fn audit(&self, event: tirek_domain::audit::AuditEvent, record: Option<&str>) -> Result<()> {
        crate::audit::append(&self.transaction, self.now_ms, &self.author, &self.device_id, event, record)
            .map(drop)
            .map_err(sqlite)
    }

    fn next_hlc(&mut self) -> u64 {
        self.last_hlc = next_hlc(self.last_hlc, self.now_ms);
        self.last_hlc
    }

    fn record(&mut self, entity: &Entity, id: &str, base: i64, hlc: u64, fields: Vec<FieldChange>) -> Result<()> {
        self.last_seq += 1;
        let change = ChangeRecord {
            entity: entity.name.to_owned(),
            entity_id: id.to_owned(),
            fields,
            base_revision: base,
            hlc,
            device_id: self.device_id.clone(),
            seq: self.last_seq,
            author: self.author.clone(),
        };
        insert_change_log(&self.transaction, &change)?;
        self.written.push(change);
        Ok(())
    }
}

fn entity_checked(name: &str, fields: &[(&str, FieldValue)]) -> Result<&'static Entity> {
    let entity = entity(name)?;
    for (field, _) in fields {
        entity.field(field)?;
    }
    Ok(entity)
}

pub(crate) fn sqlite(err: rusqlite::Error) -> StoreError {
    StoreError::sqlite(std::path::Path::new("profile"), err)
}

pub(crate) fn read(connection: &rusqlite::Connection, entity: &Entity, id: &str) -> Result<Option<Record>> {
    let sql = format!("SELECT revision, {} FROM {} WHERE id = ?1", entity.fields.join(", "), entity.table);
    connection
        .one(&sql, [id], |row| {
            let mut fields = BTreeMap::new();
            for (index, field) in entity.fields.iter().enumerate() {
                fields.insert((*field).to_owned(), from_sql(row.get(index + 1)?));
            }
            Ok(Record { revision: row.get(0)?, fields })
        })
        .optional()
        .map_err(sqlite)
}

impl OpenProfile {
    /// Runs `body` in one transaction, in which every write appends its change
    /// record; commits when `body` succeeds, rolls everything back when it fails.
    /// Returns `body`'s value and the change records written.
    pub fn write<T>(
        &mut self,
        author: &str,
        now_ms: i64,
        body: impl FnOnce(&mut Changes<'_>) -> Result<T>,
    ) -> Result<(T, Vec<ChangeRecord>)> {
        let device_id = self.device_id().to_owned();
        let connection = self.connection_mut();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let (last_seq, last_hlc): (i64, i64) = transaction
            .one("SELECT last_seq, last_hlc FROM device WHERE singleton = 1", [], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(sqlite)?;
        let mut changes = Changes {
            transaction,
            device_id,
            author: author.to_owned(),
            now_ms,
            last_seq,
            last_hlc: last_hlc as u64,
            written: Vec::new(),
            clients_before: BTreeMap::new(),
        };
        let value = body(&mut changes)?;
        let Changes { transaction, last_seq, last_hlc, written, clients_before, .. } = changes;
        note_clients(&transaction, &written, &clients_before)?;
        transaction
            .run(
                "UPDATE device SET last_seq = ?1, last_hlc = ?2 WHERE singleton = 1",
                params![last_seq, last_hlc as i64],
            )
            .map_err(sqlite)?;
        transaction.commit().map_err(sqlite)?;
        Ok((value, written))
    }

    /// The record `id` of `entity`, if it exists.
    pub fn read(&self, entity: &str, id: &str) -> Result<Option<Record>> {
        read(self.connection(), self::entity(entity)?, id)
    }

    /// Every record of `entity` whose `field` is `value` (a client's children, say),
    /// with its id, in creation order.
    pub fn related(&self, entity: &str, field: &str, value: &str) -> Result<Vec<(String, Record)>> {
        let field = self::entity(entity)?.field(field)?;
        self.select(entity, &format!("{field} = ?1"), "rowid", &[&value])
    }

    /// The records of `entity` matching `condition` (SQL written in this crate, never
    /// from input; values come as `params`), in `order`, with their ids.
    pub(crate) fn select(
        &self,
        entity: &str,
        condition: &str,
        order: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<(String, Record)>> {
        let entity = self::entity(entity)?;
        let sql = format!(
            "SELECT id, revision, {} FROM {} WHERE {condition} ORDER BY {order}",
            entity.fields.join(", "),
            entity.table
        );
        let mut statement = self.connection().prepare(&sql).map_err(sqlite)?;
        let rows = statement
            .query_map(params, |row| {
                let mut fields = BTreeMap::new();
                for (index, name) in entity.fields.iter().enumerate() {
                    fields.insert((*name).to_owned(), from_sql(row.get(index + 2)?));
                }
                Ok((row.get(0)?, Record { revision: row.get(1)?, fields }))
            })
            .map_err(sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)
    }

    /// Every change of record `id`, oldest first: its history.
    pub fn history(&self, entity: &str, id: &str) -> Result<Vec<ChangeRecord>> {
        let mut statement = self
            .connection()
            .prepare(
                "SELECT device_id, seq, hlc, entity, entity_id, base_revision, fields, author
                 FROM change_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY hlc, device_id, seq",
            )
            .map_err(sqlite)?;
        let rows = statement
            .query_map([entity, id], |row| {
                let fields: String = row.get(6)?;
                Ok((
                    ChangeRecord {
                        device_id: row.get(0)?,
                        seq: row.get(1)?,
                        hlc: row.get::<_, i64>(2)? as u64,
                        entity: row.get(3)?,
                        entity_id: row.get(4)?,
                        base_revision: row.get(5)?,
                        fields: Vec::new(),
                        author: row.get(7)?,
                    },
                    fields,
                ))
            })
            .map_err(sqlite)?;
        let mut history = Vec::new();
        for row in rows {
            let (mut change, fields) = row.map_err(sqlite)?;
            let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&fields).unwrap_or_default();
            change.fields = fields
                .iter()
                .map(|(field, pair)| FieldChange {
                    field: field.clone(),
                    old: from_json(&pair[0]),
                    new: from_json(&pair[1]),
                })
                .collect();
            history.push(change);
        }
        Ok(history)
    }
}

/// Notes the clients each of this device's changes `written` is about
/// (`change_clients`), as they stand at the end of its transaction — a consultation
/// has its attendees then —, or as `before` says for a record that went.
fn note_clients(
    transaction: &Transaction<'_>,
    written: &[ChangeRecord],
    before: &BTreeMap<i64, Vec<String>>,
) -> Result<()> {
    let mut of_record: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for change in written {
        let clients = match before.get(&change.seq) {
            Some(clients) => clients.clone(),
            None => match of_record.get(&(change.entity.as_str(), change.entity_id.as_str())) {
                Some(clients) => clients.clone(),
                None => {
                    let clients = crate::sync::clients_of(transaction, &change.entity, &change.entity_id, 0)?;
                    of_record.insert((&change.entity, &change.entity_id), clients.clone());
                    clients
                }
            },
        };
        for client in clients {
            transaction
                .run(
                    "INSERT OR IGNORE INTO change_clients (seq, client_id) VALUES (?1, ?2)",
                    params![change.seq, client],
                )
                .map_err(sqlite)?;
        }
    }
    Ok(())
}

/// Appends `change` to the change log: the one INSERT, for local writes and for
/// changes pulled from the server alike.
pub(crate) fn insert_change_log(transaction: &Transaction<'_>, change: &ChangeRecord) -> Result<()> {
    let fields: serde_json::Map<String, serde_json::Value> = change
        .fields
        .iter()
        .map(|f| (f.field.clone(), serde_json::Value::Array(vec![to_json(&f.old), to_json(&f.new)])))
        .collect();
    transaction
        .run(
            "INSERT INTO change_log (device_id, seq, hlc, entity, entity_id, base_revision, fields, author)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                change.device_id,
                change.seq,
                change.hlc as i64,
                change.entity,
                change.entity_id,
                change.base_revision,
                serde_json::Value::Object(fields).to_string(),
                change.author
            ],
        )
        .map_err(sqlite)?;
    Ok(())
}
