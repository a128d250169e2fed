//! The audit trail: append-only and hash-chained. Each row's hash covers the previous
//! row's hash and every field of its own, so altering or removing a row breaks the
//! chain at that row, and [`verify`] names the first broken link. Triggers
//! (migration 0002) refuse UPDATE and DELETE outright.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use tirek_domain::audit::AuditEvent;

/// The hash before the first row.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row of the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the trail, from 1.
    pub id: i64,
    /// When, in milliseconds since 1970 (UTC).
    pub at: i64,
    /// Who: the profile's id.
    pub actor: String,
    /// On which device.
    pub device_id: String,
    /// What happened.
    pub event: AuditEvent,
    /// Which record, by id (never a name).
    pub record: Option<String>,
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokenLink {
    /// Row `id` was changed after it was written.
    Altered {
        /// The row.
        id: i64,
    },
    /// The row that should be at `id` is missing.
    Missing {
        /// The missing position.
        id: i64,
    },
}

/// The row's hash over `previous` and every stored field, the event as its stored
/// code (so even an unknown code is covered).
fn hash(previous: &str, entry: &AuditEntry, event_code: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [
        previous,
        &entry.id.to_string(),
        &entry.at.to_string(),
        &entry.actor,
        &entry.device_id,
        event_code,
        entry.record.as_deref().unwrap_or(""),
    ] {
        // Length-prefixed, so no two different rows hash the same input.
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Appends an event; call inside the transaction of the change it records.
pub(crate) fn append(
    connection: &Connection,
    at: i64,
    actor: &str,
    device_id: &str,
    event: AuditEvent,
    record: Option<&str>,
) -> rusqlite::Result<AuditEntry> {
    let last: Option<(i64, String)> = connection
        .query_row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let (last_id, previous) = last.unwrap_or((0, GENESIS.to_owned()));
    let entry = AuditEntry {
        id: last_id + 1,
        at,
        actor: actor.to_owned(),
        device_id: device_id.to_owned(),
        event,
        record: record.map(str::to_owned),
    };
    connection.execute(
        "INSERT INTO audit_log (id, at, actor, device_id, event, record, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            entry.id,
            entry.at,
            entry.actor,
            entry.device_id,
            entry.event.code(),
            entry.record,
            hash(&previous, &entry, entry.event.code())
        ],
    )?;
    Ok(entry)
}

/// The whole trail, oldest first, each row with its stored event code and hash.
pub(crate) fn entries(connection: &Connection) -> rusqlite::Result<Vec<(AuditEntry, String, String)>> {
    let mut statement =
        connection.prepare("SELECT id, at, actor, device_id, event, record, hash FROM audit_log ORDER BY id")?;
    let rows = statement.query_map([], |row| {
        let code: String = row.get(4)?;
        Ok((
            AuditEntry {
                id: row.get(0)?,
                at: row.get(1)?,
                actor: row.get(2)?,
                device_id: row.get(3)?,
                // Shown as a change; `verify` hashes the stored code itself.
                event: AuditEvent::from_code(&code).unwrap_or(AuditEvent::RecordChanged),
                record: row.get(5)?,
            },
            code,
            row.get::<_, String>(6)?,
        ))
    })?;
    rows.collect()
}

/// Walks the chain; `None` when every link holds.
pub(crate) fn verify(connection: &Connection) -> rusqlite::Result<Option<BrokenLink>> {
    let mut previous = GENESIS.to_owned();
    for (expected_id, (entry, code, stored)) in (1..).zip(entries(connection)?) {
        if entry.id != expected_id {
            return Ok(Some(BrokenLink::Missing { id: expected_id }));
        }
        if hash(&previous, &entry, &code) != stored {
            return Ok(Some(BrokenLink::Altered { id: entry.id }));
        }
        previous = stored;
    }
    Ok(None)
}

/// The last row's position and hash.
pub(crate) fn head(connection: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    connection
        .query_row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

/// Whether row `id` is still there with `hash`: `Missing` if it is gone (the trail
/// was cut back), `Altered` if it differs.
pub(crate) fn holds(connection: &Connection, id: i64, hash: &str) -> rusqlite::Result<Option<BrokenLink>> {
    let stored: Option<String> =
        connection.query_row("SELECT hash FROM audit_log WHERE id = ?1", [id], |row| row.get(0)).optional()?;
    Ok(match stored {
        None => Some(BrokenLink::Missing { id }),
        Some(stored) if stored != hash => Some(BrokenLink::Altered { id }),
        Some(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain in-memory database with the audit schema and without the triggers, so
    /// the test can play the attacker who edits rows directly.
    fn trail(events: usize) -> Connection {
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch(include_str!("../../../migrations/local/0001_profile_basics.sql")).unwrap();
        for n in 0..events {
            let record = format!("record-{n}");
            append(&connection, 1_000 + n as i64, "profile", "device", AuditEvent::RecordViewed, Some(&record))
                .unwrap();
        }
        connection
    }

    #[test]
    fn a_trail_cut_back_is_valid_alone_but_not_against_the_head_seen_before() {
        let connection = trail(5);
        let (id, hash) = head(&connection).unwrap().expect("a head");
        assert_eq!(id, 5);
        assert_eq!(holds(&connection, id, &hash).unwrap(), None);
        connection.execute("DELETE FROM audit_log WHERE id >= 4", []).unwrap();
        assert_eq!(verify(&connection).unwrap(), None, "what is left is a valid chain");
        assert_eq!(holds(&connection, id, &hash).unwrap(), Some(BrokenLink::Missing { id: 5 }));
        let (_, third) = head(&connection).unwrap().expect("a head");
        assert_eq!(holds(&connection, 3, &"0".repeat(64)).unwrap(), Some(BrokenLink::Altered { id: 3 }));
        assert_eq!(holds(&connection, 3, &third).unwrap(), None);
    }

    #[test]
    fn an_untouched_trail_verifies() {
        let connection = trail(5);
        assert_eq!(verify(&connection).unwrap(), None);
        assert_eq!(entries(&connection).unwrap().len(), 5);
    }

    #[test]
    fn an_altered_row_is_the_first_broken_link() {
        for (column, value) in [("at", "9999"), ("actor", "'someone else'"), ("event", "'print'"), ("record", "NULL")] {
            let connection = trail(5);
            connection.execute_batch(&format!("UPDATE audit_log SET {column} = {value} WHERE id = 3")).unwrap();
            assert_eq!(verify(&connection).unwrap(), Some(BrokenLink::Altered { id: 3 }), "{column}");
        }
    }

    #[test]
    fn a_removed_row_is_reported_where_it_was() {
        let connection = trail(5);
        connection.execute_batch("DELETE FROM audit_log WHERE id = 2").unwrap();
        assert_eq!(verify(&connection).unwrap(), Some(BrokenLink::Missing { id: 2 }));
    }

    #[test]
    fn a_rewritten_chain_after_a_change_still_breaks_at_the_next_row() {
        // Recomputing one row's hash is not enough: the next row's hash covers it.
        let connection = trail(4);
        connection.execute_batch("UPDATE audit_log SET record = 'other' WHERE id = 2").unwrap();
        let (entry, code, _) = entries(&connection).unwrap().remove(1);
        let previous: String =
            connection.query_row("SELECT hash FROM audit_log WHERE id = 1", [], |r| r.get(0)).unwrap();
        connection.execute("UPDATE audit_log SET hash = ?1 WHERE id = 2", [hash(&previous, &entry, &code)]).unwrap();
        assert_eq!(verify(&connection).unwrap(), Some(BrokenLink::Altered { id: 3 }));
    }
}
