//! The store's half of sync with the organisation's server: the enrolment kept
//! inside the encrypted profile, the outbox (which of this device's changes leave
//! under which wire number), what the server acknowledged and refused, and applying
//! a pulled page of other devices' changes — in one transaction with the new pull
//! cursor, through the same tables and change log as every local write, so a page is
//! applied whole or not at all, and applying it twice changes nothing.
//!
//! # Applying another device's change
//! The change is recorded in the change log under its origin (device, sequence
//! number, clock, author), the local clock moves past its clock, and then:
//! - a change already in the log (same device and number) is skipped: idempotence;
//! - values blanked by an erasure elsewhere are history only, and a change to a
//!   record erased here is recorded without its values;
//! - an erasure's tombstone (`_erased`) deletes the record here too and blanks its
//!   history; a deletion (`_deleted`) deletes the record and keeps the history;
//! - a change to a record that is gone, or to a record that is final here, is
//!   history only — except another device's finalising change to a record this
//!   device finalised itself (two computers signed the same draft): the server keeps
//!   the first signature it receives and refuses the second, so a signature that
//!   comes from the server is the one kept everywhere. It replaces this device's
//!   signed version, and [`OpenProfile::sync_superseded_finals`] names the words of
//!   this device's own signature that it lacks, for the app to keep as an addendum;
//! - a finalising change (a signature) sets every field it carries: it carries the
//!   whole record as its signer saw it, so every device shows what was signed, and
//!   the record's open conflict marks go (signed records never conflict);
//! - any other change sets each field it wins by `tirek_domain::merge` (the later
//!   clock, then the device id), and the marks of the fields it wrote are computed
//!   again from all their writes, so the same changes give the same marks in any
//!   order of arrival;
//! - derived columns are recomputed in the same transaction, as for a local write.
//!
//! A row the local schema refuses (a trigger or a check a newer device's value
//! breaks) is left as it was and the change kept in the history, rather than
//! blocking every later page.

use crate::db::Cached;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use tirek_domain::change::{ChangeRecord, FieldChange, FieldValue, next_hlc};
use tirek_domain::entities::{self as catalogue, Belonging};
use tirek_domain::merge::{self, FieldWrite};

use crate::Result;
use crate::changes::{self, DELETED, ERASED, Entity, Finality, entity, from_json, sqlite, to_sql};
use crate::profiles::OpenProfile;

/// The enrolment of this profile with a server, and where its sync stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncEnrolment {
    /// The server's address.
    pub server_url: String,
    /// The pinned certificate (PEM), if one was given.
    pub ca_pem: Option<String>,
    /// SHA-256 of the pinned certificate, hex.
    pub ca_sha256: Option<String>,
    /// The device's bearer token. Never logged.
    pub token: String,
    /// The server's id of the user.
    pub user_id: i64,
    /// When the device enrolled (ms).
    pub enrolled_at: i64,
    /// The server's epoch as last seen.
    pub epoch: String,
    /// The server's high-water mark of this device's wire numbers.
    pub acknowledged: i64,
    /// Where the next pull starts; `None` before the first page.
    pub pull_cursor: Option<String>,
    /// When a sync last finished without an error (ms).
    pub last_sync_at: Option<i64>,
    /// Whether the person paused the background sync.
    pub paused: bool,
    /// The server's public key for USB sync bundles (64 hex digits), once known.
    pub bundle_key: Option<String>,
}

/// Where the answer to one USB bundle this device wrote stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleAnswerState {
    /// Not imported yet.
    Waiting {
        /// The key to open it with.
        key: zeroize::Zeroizing<[u8; 32]>,
        /// How many changes the bundle carried.
        changes: usize,
    },
    /// Imported at this time (ms): importing it again changes nothing.
    Imported(i64),
}

/// One of this device's changes not yet given a wire number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxCandidate {
    /// Its own sequence number.
    pub seq: i64,
    /// Its entity.
    pub entity: String,
    /// Its record.
    pub entity_id: String,
    /// What kind of change it is.
    pub kind: CandidateKind,
    /// The clients the record is about (a consultation: its attendees).
    pub clients: Vec<String>,
    /// Whether the server has the record already (a change of it left, or came from
    /// another device). Looked up only for an erasure, a deletion or a consent —
    /// what the consent rule asks it of —, false for the rest.
    pub on_server: bool,
}

/// What [`OpenProfile::sync_written_since`] found.
#[derive(Debug, Clone, Default)]
pub struct WrittenSince {
    /// The candidates among what was written, as [`OpenProfile::sync_candidates`]
    /// gives them.
    pub candidates: Vec<OutboxCandidate>,
    /// Whether something written may change which clients an earlier candidate is
    /// about: a change from another device, an attendance, an erasure or a
    /// deletion, or an edit of the field that ties a record to its client or parent.
    pub relinks: bool,
    /// The entities written (not all of them when `relinks`).
    pub entities: BTreeSet<String>,
}

/// What a candidate change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateKind {
    /// It writes fields.
    Write,
    /// A deletion that keeps the history.
    Delete,
    /// An erasure's tombstone.
    Erase,
    /// Its values were blanked by an erasure before it left: nothing to send.
    Blanked,
}

/// What to do with a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outgoing {
    /// Give it the next wire number: it goes with the next push.
    Send,
    /// It stays here for good (blanked values, a tombstone of something never sent).
    KeepLocal,
}

/// A refusal to remember.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRefusal {
    /// The wire number refused.
    pub wire_seq: i64,
    /// The stable reason (`record_final`…).
    pub kind: String,
    /// The field concerned.
    pub field: Option<String>,
    /// Why, in English.
    pub detail: String,
}

/// A refused change, as the status shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedChange {
    /// The refusal.
    pub refusal: StoredRefusal,
    /// The record's entity.
    pub entity: String,
    /// The record.
    pub entity_id: String,
    /// When it was refused (ms).
    pub refused_at: i64,
}

/// A record marked for review: two concurrent writes of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewMark {
    /// The record's entity.
    pub entity: String,
    /// The record.
    pub entity_id: String,
    /// The field.
    pub field: String,
    /// The overwritten write.
    pub earlier: ReviewWrite,
    /// The write that came after it, shown unless the field changed since.
    pub later: ReviewWrite,
}

/// One side of a review mark: who wrote what, on which computer, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewWrite {
    /// The device that wrote it.
    pub device_id: String,
    /// Its number among that device's changes.
    pub seq: i64,
    /// The value it wrote.
    pub value: FieldValue,
    /// Its author (the writing profile's id).
    pub author: String,
    /// Its clock; the milliseconds part says when it was written.
    pub hlc: u64,
}

/// A record this device finalised whose kept version is another device's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupersededFinal {
    /// The record's entity.
    pub entity: String,
    /// The record.
    pub entity_id: String,
    /// The id to keep this device's words under (an addendum's).
    pub keep_id: String,
    /// This device's signed values that the kept version does not have, by field.
    pub lacking: Vec<(String, FieldValue)>,
}

/// What applying a page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Changes recorded now.
    pub recorded: usize,
    /// Changes the profile already had (a page applied twice).
    pub duplicates: usize,
    /// Conflict marks added.
    pub conflicts: usize,
    /// Records erased.
    pub erased: usize,
    /// Records this device finalised whose signed version from the server replaced
    /// its own (see [`OpenProfile::sync_superseded_finals`]).
    pub superseded: usize,
}

/// Counts for the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    /// Changes with a wire number above the server's mark: sent, not yet acknowledged.
    pub unacknowledged: usize,
    /// Changes acknowledged by the server (stored or refused).
    pub acknowledged: usize,
    /// Changes that stay on this computer for good.
    pub kept_local: usize,
}

/// The identity of a change in the server's scope checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeIdentity {
    /// The device that made it.
    pub device_id: String,
    /// Its wire number.
    pub seq: i64,
    /// Its clock.
    pub hlc: u64,
    /// Its entity.
    pub entity: String,
    /// Its record.
    pub entity_id: String,
}

type Fields = serde_json::Map<String, serde_json::Value>;

/// One write of a field as the change log holds it: device, sequence number, clock,
/// old and new value.
type StoredWrite = (String, i64, u64, FieldValue, FieldValue);

fn parse_fields(text: &str) -> Fields {
    serde_json::from_str(text).unwrap_or_default()
}

fn is_pseudo(fields: &Fields, name: &str) -> bool {
    fields.len() == 1 && fields.contains_key(name)
}

/// Whether the change log's `fields` text of a change of `entity` writes the field
/// that ties its record to a client or to a parent record.
fn links_a_client(entity: &str, fields: &str) -> bool {
    let link = match catalogue::entity(entity).map(|spec| spec.belonging) {
        Some(Belonging::ClientField(field) | Belonging::Parent { field, .. }) => field,
        _ => return false,
    };
    parse_fields(fields).contains_key(link)
}

/// What kind of change the change log's `fields` text is. Only a text that could be
/// a pseudo-field (`{"_…`) or an empty change is parsed: the rest are writes.
fn candidate_kind(fields: &str) -> CandidateKind {
    if fields.starts_with(r#"{""#) && !fields.starts_with(r#"{"_"#) {
        return CandidateKind::Write;
    }
    let fields = parse_fields(fields);
    if is_pseudo(&fields, ERASED) {
        CandidateKind::Erase
    } else if is_pseudo(&fields, DELETED) {
        CandidateKind::Delete
    } else if fields.is_empty() {
        CandidateKind::Blanked
    } else {
        CandidateKind::Write
    }
}

impl OpenProfile {
    /// The enrolment, if this profile is enrolled.
    pub fn sync_enrolment(&self) -> Result<Option<SyncEnrolment>> {
        self.connection()
            .one(
                "SELECT server_url, ca_pem, ca_sha256, token, user_id, enrolled_at, epoch, acknowledged, pull_cursor,
                        last_sync_at, paused, bundle_key
                 FROM sync_enrolment WHERE singleton = 1",
                [],
                |row| {
                    Ok(SyncEnrolment {
                        server_url: row.get(0)?,
                        ca_pem: row.get(1)?,
                        ca_sha256: row.get(2)?,
                        token: row.get(3)?,
                        user_id: row.get(4)?,
                        enrolled_at: row.get(5)?,
                        epoch: row.get(6)?,
                        acknowledged: row.get(7)?,
                        pull_cursor: row.get(8)?,
                        last_sync_at: row.get(9)?,
                        paused: row.get(10)?,
                        bundle_key: row.get(11)?,
                    })
                },
            )
            .optional()
            .map_err(sqlite)
    }

    /// Saves a new enrolment, replacing any earlier one. With a server that knew
    /// this device already (`continues`: connected again), its wire numbers and
    /// their refusals stay, as the server holds them; with another, where sync
    /// stood (wire numbers, refusals) starts afresh. The cursor and the bundles
    /// waiting for an answer always do.
    pub fn save_sync_enrolment(&mut self, enrolment: &SyncEnrolment, continues: bool) -> Result<()> {
        let transaction = self.connection_mut().transaction().map_err(sqlite)?;
        transaction.execute_batch("DELETE FROM sync_enrolment; DELETE FROM sync_bundles;").map_err(sqlite)?;
        if !continues {
            transaction.execute_batch("DELETE FROM sync_outbox; DELETE FROM sync_refusals;").map_err(sqlite)?;
        }
        transaction
            .run(
                "INSERT INTO sync_enrolment (singleton, server_url, ca_pem, ca_sha256, token, user_id, enrolled_at, epoch,
                                             acknowledged, pull_cursor, last_sync_at, paused, bundle_key)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    enrolment.server_url,
                    enrolment.ca_pem,
                    enrolment.ca_sha256,
                    enrolment.token,
                    enrolment.user_id,
                    enrolment.enrolled_at,
                    enrolment.epoch,
                    enrolment.acknowledged,
                    enrolment.pull_cursor,
                    enrolment.last_sync_at,
                    enrolment.paused,
                    enrolment.bundle_key
                ],
            )
            .map_err(sqlite)?;
        transaction.commit().map_err(sqlite)
    }

    /// Records the server's public bundle key, as its status gave it.
    pub fn sync_set_bundle_key(&mut self, key: &str) -> Result<()> {
        self.connection()
            .run("UPDATE sync_enrolment SET bundle_key = ?1 WHERE singleton = 1", [key])
            .map_err(sqlite)?;
        Ok(())
    }

    /// Remembers the ids of the other devices of this profile's server user.
    pub fn sync_set_own_devices(&mut self, devices: &[String]) -> Result<()> {
        self.connection()
            .run("UPDATE sync_enrolment SET own_devices = ?1 WHERE singleton = 1", [devices.join("\n")])
            .map_err(sqlite)?;
        Ok(())
    }

    /// The ids of the other devices of this profile's server user, as the server
    /// last said (none before the first status, or when not enrolled).
    pub fn sync_own_devices(&self) -> Result<Vec<String>> {
        let text: Option<String> = self
            .connection()
            .one("SELECT own_devices FROM sync_enrolment WHERE singleton = 1", [], |row| row.get(0))
            .optional()
            .map_err(sqlite)?;
        Ok(text.unwrap_or_default().lines().map(str::to_owned).collect())
    }

    /// Remembers the answer key of a USB bundle just written, under its id, until
    /// the answer sealed with it is imported.
    pub fn sync_bundle_written(
        &mut self,
        key_id: &str,
        answer_key: &[u8; 32],
        bundle_id: &str,
        changes: usize,
        now_ms: i64,
    ) -> Result<()> {
        self.connection()
            .run(
                "INSERT INTO sync_bundles (key_id, answer_key, bundle_id, exported_at, changes) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![key_id, &answer_key[..], bundle_id, now_ms, changes as i64],
            )
            .map_err(sqlite)?;
        Ok(())
    }

    /// Where the answer sealed with the key `key_id` stands; `None`: this profile
    /// wrote no bundle with that key (the answer is another device's or profile's).
    pub fn sync_bundle_answer(&self, key_id: &str) -> Result<Option<BundleAnswerState>> {
        let row: Option<(Option<Vec<u8>>, Option<i64>, i64)> = self
            .connection()
            .one("SELECT answer_key, answered_at, changes FROM sync_bundles WHERE key_id = ?1", [key_id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
            .map_err(sqlite)?;
        Ok(row.and_then(|(key, answered_at, changes)| match (key, answered_at) {
            (_, Some(at)) => Some(BundleAnswerState::Imported(at)),
            (Some(key), None) => {
                let key = zeroize::Zeroizing::new(key);
                let bytes: [u8; 32] = key.as_slice().try_into().ok()?;
                Some(BundleAnswerState::Waiting { key: zeroize::Zeroizing::new(bytes), changes: changes as usize })
            }
            (None, None) => None,
        }))
    }

    /// The answer sealed with `key_id` is imported: its key is forgotten, and the
    /// same answer imported again is known for what it is.
    pub fn sync_bundle_answered(&mut self, key_id: &str, now_ms: i64) -> Result<()> {
        self.connection()
            .run(
                "UPDATE sync_bundles SET answer_key = NULL, answered_at = ?2 WHERE key_id = ?1 AND answered_at IS NULL",
                params![key_id, now_ms],
            )
            .map_err(sqlite)?;
        Ok(())
    }

    /// The server holds this device's changes only up to `mark` (it refused a batch
    /// that did not continue from there): send again from there. The mark only goes
    /// down here; the pull cursor stays.
    pub fn sync_lower_mark(&mut self, mark: i64) -> Result<()> {
        self.connection()
            .run("UPDATE sync_enrolment SET acknowledged = min(acknowledged, max(?1, 0)) WHERE singleton = 1", [mark])
            .map_err(sqlite)?;
        Ok(())
    }

    /// The server was restored (a new epoch): pull from the start again, and resume
    /// pushing after the mark the server has now.
    pub fn sync_restart(&mut self, epoch: &str, acknowledged: i64) -> Result<()> {
        self.connection()
            .run(
                "UPDATE sync_enrolment SET epoch = ?1, acknowledged = ?2, pull_cursor = NULL WHERE singleton = 1",
                params![epoch, acknowledged],
            )
            .map_err(sqlite)?;
        Ok(())
    }

    /// Gives new clock values to this device's changes that the server does not
    /// hold (above `server_acknowledged`, or not yet numbered) and whose clock is
    /// more than `tolerance_ms` ahead of `now_ms`: changes written while the
    /// computer's clock was set wrong, which the server refuses (`clock_skew`) and
    /// would otherwise refuse until that date came. Once the clock is right they
    /// are stamped from now on, in their own order and after every change this
    /// device holds, so no merge decided here turns out differently; no other
    /// device has seen them. Returns how many were stamped again.
    pub fn sync_restamp_future(&mut self, now_ms: i64, tolerance_ms: i64, server_acknowledged: i64) -> Result<usize> {
        let own = self.device_id().to_owned();
        let limit = next_hlc(0, now_ms.saturating_add(tolerance_ms)) as i64;
        let transaction =
            self.connection_mut().transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        const AHEAD: &str = "c.device_id = ?1 AND c.hlc > ?2 AND (o.wire_seq IS NULL OR o.wire_seq > ?3)";
        let ahead: Vec<(i64, i64, String, String)> = {
            let mut statement = transaction
                .prepare(&format!(
                    "SELECT c.seq, c.hlc, c.entity, c.entity_id FROM change_log c
                     LEFT JOIN sync_outbox o ON o.seq = c.seq AND c.device_id = ?1
                     WHERE {AHEAD} ORDER BY c.seq"
                ))
                .map_err(sqlite)?;
            let rows = statement
                .query_map(params![own, limit, server_acknowledged], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .map_err(sqlite)?;
            rows.collect::<rusqlite::Result<_>>().map_err(sqlite)?
        };
        if ahead.is_empty() {
            return Ok(0);
        }
        let floor: i64 = transaction
            .one(
                &format!(
                    "SELECT coalesce(max(c.hlc), 0) FROM change_log c
                     LEFT JOIN sync_outbox o ON o.seq = c.seq AND c.device_id = ?1
                     WHERE NOT ({AHEAD})"
                ),
                params![own, limit, server_acknowledged],
                |row| row.get(0),
            )
            .map_err(sqlite)?;
        let mut hlc = floor.max(0) as u64;
        for (seq, old, entity_name, entity_id) in &ahead {
            hlc = next_hlc(hlc, now_ms);
            transaction
                .run("UPDATE change_log SET hlc = ?3 WHERE device_id = ?1 AND seq = ?2", params![own, seq, hlc as i64])
                .map_err(sqlite)?;
            if let Ok(entity) = entity(entity_name) {
                transaction
                    .run(
                        &format!("UPDATE {} SET updated_hlc = ?3 WHERE id = ?1 AND updated_hlc = ?2", entity.table),
                        params![entity_id, old, hlc as i64],
                    )
                    .map_err(sqlite)?;
            }
        }
        transaction.run("UPDATE device SET last_hlc = ?1 WHERE singleton = 1", [hlc as i64]).map_err(sqlite)?;
        transaction.commit().map_err(sqlite)?;
        Ok(ahead.len())
    }

    /// Lets the database grow by at most `pages` more pages (`None`: as far as the
    /// disk allows), so that a test can meet a full disk — SQLite's own
    /// `SQLITE_FULL` — without filling one. For this connection only; tests only.
    #[doc(hidden)]
    pub fn limit_growth_for_tests(&mut self, pages: Option<u64>) -> Result<()> {
        let connection = self.connection();
        let count: i64 = connection.one("PRAGMA page_count", [], |row| row.get(0)).map_err(sqlite)?;
        let most = pages.map_or(i64::from(u32::MAX - 1), |pages| count + pages as i64);
        connection.one(&format!("PRAGMA max_page_count = {most}"), [], |_| Ok(())).map_err(sqlite)?;
        Ok(())
    }

    /// Forgets the pull cursor so the next pull starts from the beginning (a
    /// checksum that does not match: applying pages again is harmless).
    pub fn sync_forget_cursor(&mut self) -> Result<()> {
        self.connection()
            .run("UPDATE sync_enrolment SET pull_cursor = NULL WHERE singleton = 1", [])
            .map_err(sqlite)?;
        Ok(())
    }

    /// Notes a sync that finished without an error.
    pub fn sync_finished(&mut self, now_ms: i64) -> Result<()> {
        self.connection()
            .run("UPDATE sync_enrolment SET last_sync_at = ?1 WHERE singleton = 1", [now_ms])
            .map_err(sqlite)?;
        Ok(())
    }

    /// Pauses the background sync, or lets it go on.
    pub fn sync_set_paused(&mut self, paused: bool) -> Result<()> {
        self.connection().run("UPDATE sync_enrolment SET paused = ?1 WHERE singleton = 1", [paused]).map_err(sqlite)?;
        Ok(())
    }

    /// Forgets the enrolment — the token, the pull cursor, bundles waiting for an
    /// answer — so the profile no longer syncs. Every record, its history and the
    /// review marks stay, and so do the wire numbers of its changes and their
    /// refusals: connected to the same server again, it goes on numbering where
    /// the server's mark is (a number sent twice for two different changes would
    /// be refused).
    pub fn sync_forget_enrolment(&mut self) -> Result<()> {
        self.connection().execute_batch("DELETE FROM sync_enrolment; DELETE FROM sync_bundles;").map_err(sqlite)
    }

    /// The number of this device's latest change: it grows with every save.
    pub fn last_own_seq(&self) -> Result<i64> {
        self.connection()
            .one("SELECT coalesce(max(seq), 0) FROM change_log WHERE device_id = ?1", [self.device_id()], |row| {
                row.get(0)
            })
            .map_err(sqlite)
    }

    /// Of `clients`, those with a change of this device's the server has not
    /// acknowledged (numbered above its mark, or not numbered yet), through the
    /// clients each change was noted with (`change_clients`): what the caseload
    /// asks of the rows it shows.
    pub fn sync_clients_waiting(&self, clients: &[&str]) -> Result<BTreeSet<String>> {
        let acknowledged = self.sync_enrolment()?.map_or(0, |e| e.acknowledged);
        let clients = serde_json::to_string(clients).unwrap_or_else(|_| "[]".to_owned());
        let mut statement = self
            .connection()
            .prepare_cached(
                "SELECT DISTINCT cc.client_id FROM change_clients cc LEFT JOIN sync_outbox o ON o.seq = cc.seq
                 WHERE cc.client_id IN (SELECT value FROM json_each(?1)) AND (o.seq IS NULL OR o.wire_seq > ?2)",
            )
            .map_err(sqlite)?;
        let rows = statement.query_map(params![clients, acknowledged], |row| row.get(0)).map_err(sqlite)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sqlite)
    }

    /// The records about client `client` with a change of this device's the server
    /// has not acknowledged: what the client's page marks.
    pub fn sync_records_waiting(&self, client: &str) -> Result<BTreeSet<String>> {
        let acknowledged = self.sync_enrolment()?.map_or(0, |e| e.acknowledged);
        let mut statement = self
            .connection()
            .prepare_cached(
                "SELECT DISTINCT c.entity_id FROM change_clients cc
                 CROSS JOIN change_log c ON c.device_id = ?3 AND c.seq = cc.seq
                 LEFT JOIN sync_outbox o ON o.seq = cc.seq
                 WHERE cc.client_id = ?1 AND (o.seq IS NULL OR o.wire_seq > ?2)",
            )
            .map_err(sqlite)?;
        let rows =
            statement.query_map(params![client, acknowledged, self.device_id()], |row| row.get(0)).map_err(sqlite)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sqlite)
    }

    /// A value that changes whenever the outbox's candidates, or what decides them,
    /// may have changed — a change recorded (here or pulled: a consent, an
    /// attendance), a candidate numbered, an enrolment made or ended — and not when
    /// the server only acknowledges or refuses: what was decided of the candidates
    /// holds while it stays the same.
    pub fn sync_candidates_mark(&self) -> Result<(i64, i64, i64)> {
        self.connection()
            .one(
                "SELECT coalesce((SELECT max(rowid) FROM change_log), 0), (SELECT count(*) FROM sync_waiting),
                        (SELECT count(*) FROM sync_enrolment)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .map_err(sqlite)
    }

    /// This device's changes that have no wire number yet, in their own order, with
    /// what the sync driver needs to decide whether they may leave.
    pub fn sync_candidates(&self) -> Result<Vec<OutboxCandidate>> {
        self.candidates_after(0)
    }

    /// What the change log took in after its row `rowid` (a [`OpenProfile::sync_candidates_mark`]'s
    /// first part): the candidates among it, and whether it may change what was
    /// decided of the candidates before it.
    pub fn sync_written_since(&self, rowid: i64) -> Result<WrittenSince> {
        let mut statement = self
            .connection()
            .prepare_cached("SELECT device_id, entity, base_revision, fields FROM change_log WHERE rowid > ?1")
            .map_err(sqlite)?;
        let mut rows = statement.query([rowid]).map_err(sqlite)?;
        let (mut relinks, mut entities) = (false, BTreeSet::new());
        while let Some(row) = rows.next().map_err(sqlite)? {
            let (device, entity, base_revision, fields): (String, String, i64, String) = (
                row.get(0).map_err(sqlite)?,
                row.get(1).map_err(sqlite)?,
                row.get(2).map_err(sqlite)?,
                row.get(3).map_err(sqlite)?,
            );
            relinks |= device != self.device_id()
                || entity == "attendance"
                || candidate_kind(&fields) != CandidateKind::Write
                || (base_revision > 0 && links_a_client(&entity, &fields));
            if relinks {
                // The caller decides everything again: the rest does not matter.
                break;
            }
            entities.insert(entity);
        }
        drop(rows);
        Ok(WrittenSince { candidates: self.candidates_after(rowid)?, relinks, entities })
    }

    /// The candidates whose change-log row comes after `rowid`.
    fn candidates_after(&self, rowid: i64) -> Result<Vec<OutboxCandidate>> {
        // `sync_waiting` holds them: no walk of the whole change log (`CROSS JOIN`
        // keeps SQLite to that order, whatever it guesses of the tables' sizes).
        const WAITING: &str =
            "sync_waiting w CROSS JOIN change_log c ON c.device_id = ?1 AND c.seq = w.seq AND c.rowid > ?2";
        let connection = self.connection();
        let clients = clients_of_each(
            connection,
            &format!("SELECT c.entity, c.entity_id FROM {WAITING}"),
            params![self.device_id(), rowid],
        )?;
        // Whether the server has the record matters only to an erasure, a deletion or
        // a consent (`OutboxCandidate::on_server`): the query asks it of those alone.
        let mut statement = connection
            .prepare(&format!(
                r#"SELECT c.seq, c.entity, c.entity_id, c.fields,
                          (c.entity = 'consent' OR c.fields LIKE '{{"\_%' ESCAPE '\') AND EXISTS (
                            SELECT 1 FROM change_log h LEFT JOIN sync_outbox o ON h.device_id = ?1 AND o.seq = h.seq
                            WHERE h.entity = c.entity AND h.entity_id = c.entity_id
                              AND (h.device_id <> ?1 OR o.wire_seq IS NOT NULL))
                   FROM {WAITING} ORDER BY c.seq"#
            ))
            .map_err(sqlite)?;
        let rows = statement
            .query_map(params![self.device_id(), rowid], |row| {
                Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?, row.get::<_, String>(3)?, row.get::<_, bool>(4)?))
            })
            .map_err(sqlite)?;
        let mut candidates = Vec::new();
        for row in rows {
            let (seq, entity, entity_id, fields, held_elsewhere): (i64, String, String, String, bool) =
                row.map_err(sqlite)?;
            let kind = candidate_kind(&fields);
            let asked = matches!(kind, CandidateKind::Erase | CandidateKind::Delete) || entity == "consent";
            let record = (entity, entity_id);
            let clients = clients.get(&record).cloned().unwrap_or_default();
            let (entity, entity_id) = record;
            candidates.push(OutboxCandidate {
                seq,
                entity,
                entity_id,
                kind,
                clients,
                on_server: asked && held_elsewhere,
            });
        }
        Ok(candidates)
    }

    /// Gives the cleared candidates their wire numbers, in the order given (their own
    /// order), after the highest number handed out — or the server's mark, if that
    /// is higher (this computer's files came back from an older copy and the server
    /// holds numbers it no longer knows: new changes must not be taken for them);
    /// marks the others as staying here.
    pub fn sync_assign(&mut self, decisions: &[(i64, Outgoing)]) -> Result<()> {
        let transaction = self.connection_mut().transaction().map_err(sqlite)?;
        let mut next: i64 = transaction
            .one(
                "SELECT max(coalesce((SELECT max(wire_seq) FROM sync_outbox), 0),
                            coalesce((SELECT acknowledged FROM sync_enrolment), 0))",
                [],
                |row| row.get(0),
            )
            .map_err(sqlite)?;
        for (seq, outgoing) in decisions {
            let wire = match outgoing {
                Outgoing::Send => {
                    next += 1;
                    Some(next)
                }
                Outgoing::KeepLocal => None,
            };
            transaction
                .run("INSERT INTO sync_outbox (seq, wire_seq) VALUES (?1, ?2)", params![seq, wire])
                .map_err(sqlite)?;
        }
        transaction.commit().map_err(sqlite)
    }

    /// The changes to push: those with a wire number above `acknowledged`, in wire
    /// order, each carrying its wire number as its sequence number.
    pub fn sync_outbox(&self, acknowledged: i64) -> Result<Vec<ChangeRecord>> {
        self.sync_outbox_first(acknowledged, usize::MAX)
    }

    /// The first `count` of [`OpenProfile::sync_outbox`]'s changes: a push reads
    /// the outbox a stretch at a time, however much waits.
    pub fn sync_outbox_first(&self, acknowledged: i64, count: usize) -> Result<Vec<ChangeRecord>> {
        let mut statement = self
            .connection()
            .prepare_cached(
                "SELECT o.wire_seq, c.hlc, c.entity, c.entity_id, c.base_revision, c.fields, c.author
                 FROM sync_outbox o JOIN change_log c ON c.device_id = ?1 AND c.seq = o.seq
                 WHERE o.wire_seq > ?2 ORDER BY o.wire_seq LIMIT ?3",
            )
            .map_err(sqlite)?;
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        let rows = statement
            .query_map(params![self.device_id(), acknowledged, count], |row| {
                Ok(ChangeRecord {
                    device_id: self.device_id().to_owned(),
                    seq: row.get(0)?,
                    hlc: row.get::<_, i64>(1)? as u64,
                    entity: row.get(2)?,
                    entity_id: row.get(3)?,
                    base_revision: row.get(4)?,
                    fields: field_changes(&parse_fields(&row.get::<_, String>(5)?)),
                    author: row.get(6)?,
                })
            })
            .map_err(sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)
    }

    /// Records the server's answer to a push: its epoch, its new mark, and the
    /// changes it refused.
    pub fn sync_acknowledge(
        &mut self,
        epoch: &str,
        acknowledged: i64,
        refusals: &[StoredRefusal],
        now_ms: i64,
    ) -> Result<()> {
        let self_device = self.device_id().to_owned();
        let transaction = self.connection_mut().transaction().map_err(sqlite)?;
        for refusal in refusals {
            transaction
                .run(
                    "INSERT OR REPLACE INTO sync_refusals (wire_seq, kind, field, detail, refused_at)
                     VALUES (?1, ?2, ?3, substr(?4, 1, 1000), ?5)",
                    params![refusal.wire_seq, refusal.kind, refusal.field, refusal.detail, now_ms],
                )
                .map_err(sqlite)?;
        }
        transaction
            .run(
                "UPDATE sync_enrolment SET epoch = ?1, acknowledged = ?2 WHERE singleton = 1",
                params![epoch, acknowledged],
            )
            .map_err(sqlite)?;
        // Changes of a removed client the server has now answered (refused) go.
        transaction
            .run(
                "DELETE FROM change_log WHERE device_id = ?1 AND seq IN
                   (SELECT p.seq FROM sync_purge p JOIN sync_outbox o ON o.seq = p.seq WHERE o.wire_seq <= ?2)",
                params![self_device, acknowledged],
            )
            .map_err(sqlite)?;
        transaction
            .run(
                "DELETE FROM sync_purge
                 WHERE EXISTS (SELECT 1 FROM sync_outbox o WHERE o.seq = sync_purge.seq AND o.wire_seq <= ?1)",
                [acknowledged],
            )
            .map_err(sqlite)?;
        transaction.commit().map_err(sqlite)
    }

    /// How this device's changes stand.
    pub fn sync_outbox_counts(&self) -> Result<OutboxCounts> {
        let acknowledged = self.sync_enrolment()?.map_or(0, |e| e.acknowledged);
        self.connection()
            .one(
                "SELECT coalesce(sum(wire_seq > ?1), 0), coalesce(sum(wire_seq <= ?1), 0),
                        coalesce(sum(wire_seq IS NULL), 0)
                 FROM sync_outbox",
                [acknowledged],
                |row| {
                    Ok(OutboxCounts {
                        unacknowledged: row.get::<_, i64>(0)? as usize,
                        acknowledged: row.get::<_, i64>(1)? as usize,
                        kept_local: row.get::<_, i64>(2)? as usize,
                    })
                },
            )
            .map_err(sqlite)
    }

    /// The refused changes, newest first.
    pub fn sync_refusals(&self) -> Result<Vec<RefusedChange>> {
        let mut statement = self
            .connection()
            .prepare(
                "SELECT r.wire_seq, r.kind, r.field, r.detail, r.refused_at, c.entity, c.entity_id
                 FROM sync_refusals r JOIN sync_outbox o ON o.wire_seq = r.wire_seq
                 JOIN change_log c ON c.device_id = ?1 AND c.seq = o.seq
                 ORDER BY r.wire_seq DESC",
            )
            .map_err(sqlite)?;
        let rows = statement
            .query_map([self.device_id()], |row| {
                Ok(RefusedChange {
                    refusal: StoredRefusal {
                        wire_seq: row.get(0)?,
                        kind: row.get(1)?,
                        field: row.get(2)?,
                        detail: row.get(3)?,
                    },
                    refused_at: row.get(4)?,
                    entity: row.get(5)?,
                    entity_id: row.get(6)?,
                })
            })
            .map_err(sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)
    }

    /// This device's signatures that the server did not keep: records it finalised
    /// that now hold another device's signed version (two computers signed one
    /// draft), with the values of this device's signed version that the kept one
    /// lacks, and the id under which to keep them — a fixed id, so the app writes
    /// them once, and again after a crash between the page and that write. Those
    /// already kept under their id are left out.
    pub fn sync_superseded_finals(&self) -> Result<Vec<SupersededFinal>> {
        let connection = self.connection();
        let mut superseded = Vec::new();
        for entity in changes::ENTITIES {
            let Finality::OnceSet(field) = entity.finality else { continue };
            // One pass in SQL over this device's finalising changes: a record whose
            // finality field now holds another value is a candidate (run at every
            // sync, so it must stay cheap with years of signed records).
            let sql = format!(
                "SELECT DISTINCT c.entity_id FROM change_log c JOIN {table} r ON r.id = c.entity_id
                 WHERE c.entity = ?1 AND c.device_id = ?2
                   AND json_extract(c.fields, '$.{field}[1]') IS NOT NULL
                   AND r.{field} IS NOT json_extract(c.fields, '$.{field}[1]')",
                table = entity.table,
            );
            let mut statement = connection.prepare(&sql).map_err(sqlite)?;
            let ids: Vec<String> = statement
                .query_map(params![entity.name, self.device_id()], |row| row.get(0))
                .and_then(Iterator::collect)
                .map_err(sqlite)?;
            for id in ids {
                let Some((seq, signed)) = own_final_write(connection, entity, &id, field, self.device_id())? else {
                    continue;
                };
                let Some(current) = changes::read(connection, entity, &id)? else { continue };
                let value = |pair: &serde_json::Value| pair.get(1).map_or(FieldValue::Null, from_json);
                let ours = signed.get(field).map_or(FieldValue::Null, value);
                if current.fields.get(field) == Some(&ours) {
                    continue;
                }
                let keep_id = format!("kept-{}-{seq}", self.device_id());
                let kept: bool = connection
                    .one("SELECT EXISTS (SELECT 1 FROM change_log WHERE entity_id = ?1)", [&keep_id], |row| row.get(0))
                    .map_err(sqlite)?;
                if kept {
                    continue;
                }
                let lacking = signed
                    .iter()
                    .filter(|(name, _)| name.as_str() != field)
                    .map(|(name, pair)| (name.clone(), value(pair)))
                    .filter(|(name, ours)| *ours != FieldValue::Null && current.fields.get(name) != Some(ours))
                    .collect();
                superseded.push(SupersededFinal { entity: entity.name.to_owned(), entity_id: id, keep_id, lacking });
            }
        }
        Ok(superseded)
    }

    /// Clients erased on another device (their tombstone came by pull) about whom
    /// this device still holds records: what it wrote before the erasure reached it,
    /// which the eraser never knew of. The app erases them with
    /// [`crate::changes::Changes::erase_client_leftovers`].
    pub fn sync_erased_client_leftovers(&self) -> Result<Vec<String>> {
        let mut statement = self
            .connection()
            .prepare(
                "SELECT DISTINCT c.entity_id FROM change_log c
                 WHERE c.entity = 'client' AND c.fields = '{\"_erased\":[null,1]}'
                   AND NOT EXISTS (SELECT 1 FROM clients WHERE id = c.entity_id)
                   AND (EXISTS (SELECT 1 FROM attendances WHERE client_id = c.entity_id)
                        OR EXISTS (SELECT 1 FROM children WHERE client_id = c.entity_id)
                        OR EXISTS (SELECT 1 FROM consents WHERE client_id = c.entity_id)
                        OR EXISTS (SELECT 1 FROM follow_ups WHERE client_id = c.entity_id)
                        OR EXISTS (SELECT 1 FROM assessments WHERE client_id = c.entity_id)
                        OR EXISTS (SELECT 1 FROM risk_flags WHERE client_id = c.entity_id)
                        OR EXISTS (SELECT 1 FROM schedules WHERE client_id = c.entity_id)
                        OR EXISTS (SELECT 1 FROM referrals WHERE client_id = c.entity_id))
                 ORDER BY 1",
            )
            .map_err(sqlite)?;
        statement.query_map([], |row| row.get(0)).and_then(Iterator::collect).map_err(sqlite)
    }

    /// Addenda here whose consultation was erased (its tombstone is in the change
    /// log) that this device wrote before the erasure arrived. The app erases them
    /// with [`crate::changes::Changes::erase_orphaned_addendum`].
    pub fn sync_orphaned_addenda(&self) -> Result<Vec<String>> {
        let mut statement = self
            .connection()
            .prepare(
                "SELECT a.id FROM addenda a
                 WHERE EXISTS (SELECT 1 FROM change_log m WHERE m.entity = 'addendum' AND m.entity_id = a.id
                                 AND m.device_id = ?1 AND m.base_revision = 0)
                   AND NOT EXISTS (SELECT 1 FROM consultations c WHERE c.id = a.consultation_id)
                   AND EXISTS (SELECT 1 FROM change_log l WHERE l.entity = 'consultation'
                                 AND l.entity_id = a.consultation_id AND l.fields = '{\"_erased\":[null,1]}')
                 ORDER BY 1",
            )
            .map_err(sqlite)?;
        statement.query_map([self.device_id()], |row| row.get(0)).and_then(Iterator::collect).map_err(sqlite)
    }

    /// The open review marks, by record and field, with both values.
    pub fn sync_reviews(&self) -> Result<Vec<ReviewMark>> {
        let mut statement = self
            .connection()
            .prepare(
                "SELECT r.entity, r.entity_id, r.field, r.earlier_device, r.earlier_seq, e.fields, e.author, e.hlc,
                        r.later_device, r.later_seq, l.fields, l.author, l.hlc
                 FROM sync_reviews r
                 LEFT JOIN change_log e ON e.device_id = r.earlier_device AND e.seq = r.earlier_seq
                 LEFT JOIN change_log l ON l.device_id = r.later_device AND l.seq = r.later_seq
                 WHERE r.resolved_at IS NULL
                 ORDER BY r.entity, r.entity_id, r.field, r.earlier_device, r.earlier_seq",
            )
            .map_err(sqlite)?;
        let rows = statement
            .query_map([], |row| {
                let field: String = row.get(2)?;
                let write = |at: usize| -> rusqlite::Result<ReviewWrite> {
                    let fields: Option<String> = row.get(at + 2)?;
                    Ok(ReviewWrite {
                        device_id: row.get(at)?,
                        seq: row.get(at + 1)?,
                        value: parse_fields(&fields.unwrap_or_default())
                            .get(&field)
                            .and_then(|pair| pair.get(1))
                            .map_or(FieldValue::Null, from_json),
                        author: row.get::<_, Option<String>>(at + 3)?.unwrap_or_default(),
                        hlc: row.get::<_, Option<i64>>(at + 4)?.unwrap_or_default() as u64,
                    })
                };
                Ok(ReviewMark {
                    entity: row.get(0)?,
                    entity_id: row.get(1)?,
                    earlier: write(3)?,
                    later: write(8)?,
                    field,
                })
            })
            .map_err(sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)
    }

    /// The changes of the scope the server sums for this device: the other devices'
    /// changes it pulled, and its own that the server stored (acknowledged, not
    /// refused), each under its wire number.
    pub fn sync_scope(&self) -> Result<Vec<ChangeIdentity>> {
        let acknowledged = self.sync_enrolment()?.map_or(0, |e| e.acknowledged);
        let mut statement = self
            .connection()
            .prepare(
                "SELECT c.device_id, c.seq, c.hlc, c.entity, c.entity_id FROM change_log c WHERE c.device_id <> ?1
                 UNION ALL
                 SELECT c.device_id, o.wire_seq, c.hlc, c.entity, c.entity_id
                 FROM sync_outbox o JOIN change_log c ON c.device_id = ?1 AND c.seq = o.seq
                 WHERE o.wire_seq <= ?2 AND o.wire_seq NOT IN (SELECT wire_seq FROM sync_refusals)",
            )
            .map_err(sqlite)?;
        let rows = statement
            .query_map(params![self.device_id(), acknowledged], |row| {
                Ok(ChangeIdentity {
                    device_id: row.get(0)?,
                    seq: row.get(1)?,
                    hlc: row.get::<_, i64>(2)? as u64,
                    entity: row.get(3)?,
                    entity_id: row.get(4)?,
                })
            })
            .map_err(sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)
    }

    /// The clients a record is about (a consultation: its attendees).
    pub fn sync_clients_of(&self, entity: &str, id: &str) -> Result<Vec<String>> {
        clients_of(self.connection(), entity, id, 0)
    }

    /// How many changes [`OpenProfile::sync_scope`] holds, without reading them.
    pub fn sync_scope_count(&self) -> Result<u64> {
        let acknowledged = self.sync_enrolment()?.map_or(0, |e| e.acknowledged);
        self.connection()
            .one(
                "SELECT (SELECT count(*) FROM change_log WHERE device_id <> ?1)
                      + (SELECT count(*) FROM sync_outbox WHERE wire_seq <= ?2
                           AND wire_seq NOT IN (SELECT wire_seq FROM sync_refusals))",
                params![self.device_id(), acknowledged],
                |row| row.get::<_, i64>(0),
            )
            .map(|count| count as u64)
            .map_err(sqlite)
    }

    /// Records the clients this user holds read-only, as the server states them.
    pub fn sync_set_read_only(&mut self, clients: &[String]) -> Result<()> {
        let transaction = self.connection_mut().transaction().map_err(sqlite)?;
        transaction.run("DELETE FROM sync_read_only", []).map_err(sqlite)?;
        for client in clients {
            transaction
                .run("INSERT OR IGNORE INTO sync_read_only (client_id) VALUES (?1)", [client])
                .map_err(sqlite)?;
        }
        transaction.commit().map_err(sqlite)
    }

    /// The clients this user holds read-only.
    pub fn read_only_clients(&self) -> Result<BTreeSet<String>> {
        let mut statement = self.connection().prepare("SELECT client_id FROM sync_read_only").map_err(sqlite)?;
        statement.query_map([], |row| row.get(0)).and_then(Iterator::collect).map_err(sqlite)
    }

    /// Removes what this profile holds of a client that left its scope on the server
    /// (moved to a colleague, no longer shared): the records the server named, and
    /// every record here bound to the client (its children, consents, attendances,
    /// questionnaires, flags, schedules, letters, follow-ups), with their history.
    /// Not an erasure: no tombstone is written, nothing leaves, and the server keeps
    /// the client. This device's own changes of them go too, except those that left
    /// under a wire number the server has not answered: kept (so its numbers have no
    /// gap) until it does ([`OpenProfile::sync_acknowledge`] then removes them). The
    /// audit trail records the removal under the client's id. Returns how many
    /// records went; removing twice removes nothing more.
    pub fn sync_remove_client(
        &mut self,
        client: &str,
        records: &[(String, String)],
        author: &str,
        now_ms: i64,
    ) -> Result<usize> {
        let own = self.device_id().to_owned();
        let transaction =
            self.connection_mut().transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let acknowledged: i64 = transaction
            .one("SELECT coalesce(max(acknowledged), 0) FROM sync_enrolment", [], |row| row.get(0))
            .map_err(sqlite)?;
        let mut doomed: BTreeSet<(String, String)> = records.iter().cloned().collect();
        doomed.insert(("client".to_owned(), client.to_owned()));
        for (name, table) in [
            ("attendance", "attendances"),
            ("child", "children"),
            ("consent", "consents"),
            ("follow_up", "follow_ups"),
            ("assessment", "assessments"),
            ("risk_flag", "risk_flags"),
            ("schedule", "schedules"),
            ("referral", "referrals"),
        ] {
            let mut statement =
                transaction.prepare(&format!("SELECT id FROM {table} WHERE client_id = ?1")).map_err(sqlite)?;
            let ids: Vec<String> =
                statement.query_map([client], |row| row.get(0)).and_then(Iterator::collect).map_err(sqlite)?;
            doomed.extend(ids.into_iter().map(|id| (name.to_owned(), id)));
        }
        let mut removed = 0;
        for (name, id) in &doomed {
            // An entity this build does not know has no table here; its history goes.
            let held_row = match entity(name) {
                Ok(entity) => {
                    let held = changes::read(&transaction, entity, id)?.is_some();
                    if held {
                        delete_row(&transaction, entity, id)?;
                    }
                    held
                }
                Err(_) => false,
            };
            let pending: Vec<i64> = {
                let mut statement = transaction
                    .prepare_cached(
                        "SELECT c.seq FROM change_log c JOIN sync_outbox o ON o.seq = c.seq
                         WHERE c.device_id = ?1 AND c.entity = ?2 AND c.entity_id = ?3 AND o.wire_seq > ?4",
                    )
                    .map_err(sqlite)?;
                statement
                    .query_map(params![own, name, id, acknowledged], |row| row.get(0))
                    .and_then(Iterator::collect)
                    .map_err(sqlite)?
            };
            for seq in &pending {
                transaction.run("INSERT OR IGNORE INTO sync_purge (seq) VALUES (?1)", [seq]).map_err(sqlite)?;
            }
            let history = transaction
                .run(
                    "DELETE FROM change_log WHERE entity = ?1 AND entity_id = ?2
                       AND NOT (device_id = ?3 AND seq IN (SELECT seq FROM sync_purge))",
                    params![name, id, own],
                )
                .map_err(sqlite)?;
            transaction
                .run("DELETE FROM sync_reviews WHERE entity = ?1 AND entity_id = ?2", params![name, id])
                .map_err(sqlite)?;
            if held_row || history > 0 {
                removed += 1;
            }
        }
        transaction.run("DELETE FROM sync_read_only WHERE client_id = ?1", [client]).map_err(sqlite)?;
        if removed > 0 {
            crate::audit::append(
                &transaction,
                now_ms,
                author,
                &own,
                tirek_domain::audit::AuditEvent::ClientRemoved,
                Some(client),
            )
            .map_err(sqlite)?;
        }
        transaction.commit().map_err(sqlite)?;
        Ok(removed)
    }

    /// Applies a pulled page of other devices' changes (in the server's order) and
    /// moves the pull cursor to `cursor`, in one transaction: all of it or nothing.
    pub fn sync_apply_page(
        &mut self,
        changes: &[ChangeRecord],
        epoch: &str,
        cursor: &str,
        now_ms: i64,
    ) -> Result<Applied> {
        self.apply_changes(changes, Some((epoch, cursor)), now_ms)
    }

    /// Applies other devices' changes as [`OpenProfile::sync_apply_page`] does, in
    /// one transaction, but leaves the pull cursor where it is: a page of a USB
    /// answer that does not continue from this device's cursor, whose stretch the
    /// device must still pull itself.
    pub fn sync_apply_changes(&mut self, changes: &[ChangeRecord], now_ms: i64) -> Result<Applied> {
        self.apply_changes(changes, None, now_ms)
    }

    fn apply_changes(
        &mut self,
        changes: &[ChangeRecord],
        cursor: Option<(&str, &str)>,
        now_ms: i64,
    ) -> Result<Applied> {
        let own = self.device_id().to_owned();
        let transaction =
            self.connection_mut().transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let mut applied = Applied::default();
        let mut last_hlc: i64 =
            transaction.one("SELECT last_hlc FROM device WHERE singleton = 1", [], |row| row.get(0)).map_err(sqlite)?;
        // What the log holds of the page, asked once for the whole page and kept up to
        // date as the page goes in.
        let mut held = PageLog::of(&transaction, changes)?;
        let mut stale = crate::derived::Stale::default();
        for change in changes {
            let restored;
            let change = if change.device_id == own {
                // This device's own change comes back only for a client it removed
                // and got back: it goes in again under the local number it had.
                let local: Option<i64> = transaction
                    .one(
                        "SELECT o.seq FROM sync_outbox o WHERE o.wire_seq = ?1
                           AND NOT EXISTS (SELECT 1 FROM change_log c WHERE c.device_id = ?2 AND c.seq = o.seq)",
                        params![change.seq, own],
                        |row| row.get(0),
                    )
                    .optional()
                    .map_err(sqlite)?;
                let Some(local) = local else {
                    applied.duplicates += 1;
                    continue;
                };
                restored = ChangeRecord { seq: local, ..change.clone() };
                &restored
            } else {
                change
            };
            if held.holds(change) {
                applied.duplicates += 1;
                continue;
            }
            // A change to a record erased here keeps no words: it is history of
            // something the client asked to be forgotten.
            let blanked;
            let change = if held.erased(change) {
                blanked = ChangeRecord { fields: Vec::new(), ..change.clone() };
                &blanked
            } else {
                change
            };
            changes::insert_change_log(&transaction, change)?;
            held.add(change);
            applied.recorded += 1;
            last_hlc = last_hlc.max(change.hlc as i64);
            apply_change(&transaction, change, &own, now_ms, &held, &mut stale, &mut applied)?;
        }
        stale.refresh(&transaction)?;
        transaction.run("UPDATE device SET last_hlc = ?1 WHERE singleton = 1", [last_hlc]).map_err(sqlite)?;
        if let Some((epoch, cursor)) = cursor {
            transaction
                .run(
                    "UPDATE sync_enrolment SET epoch = ?1, pull_cursor = ?2 WHERE singleton = 1",
                    params![epoch, cursor],
                )
                .map_err(sqlite)?;
        }
        transaction.commit().map_err(sqlite)?;
        Ok(applied)
    }

    /// The clinical tables and the change log as text, without what is only this
    /// device's bookkeeping (revision counts, clocks of the last write, sync state,
    /// the audit trail, the letter series): two devices that hold the same changes
    /// give the same dump. This device's changes appear under their wire numbers,
    /// and only those that left and were not refused (the others hold them not). For tests and support; never logged.
    pub fn sync_canonical_dump(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let mut dump = BTreeMap::new();
        for entity in changes::ENTITIES {
            let sql = format!("SELECT * FROM {} ORDER BY id", entity.table);
            let mut statement = self.connection().prepare(&sql).map_err(sqlite)?;
            let names: Vec<String> = statement.column_names().map(str::to_owned).collect();
            let rows: Vec<String> = statement
                .query_map([], |row| {
                    let mut line = Vec::new();
                    for (index, name) in names.iter().enumerate() {
                        if name != "revision" && name != "updated_hlc" {
                            line.push(format!("{name}={:?}", row.get::<_, rusqlite::types::Value>(index)?));
                        }
                    }
                    Ok(line.join(" "))
                })
                .and_then(Iterator::collect)
                .map_err(sqlite)?;
            dump.insert(entity.table.to_owned(), rows);
        }
        let mut statement = self
            .connection()
            .prepare(
                "SELECT c.device_id, c.seq, c.hlc, c.entity, c.entity_id, c.fields FROM change_log c
                 WHERE c.device_id <> ?1
                 UNION ALL
                 SELECT c.device_id, o.wire_seq, c.hlc, c.entity, c.entity_id, c.fields
                 FROM sync_outbox o JOIN change_log c ON c.device_id = ?1 AND c.seq = o.seq
                 WHERE o.wire_seq IS NOT NULL AND o.wire_seq NOT IN (SELECT wire_seq FROM sync_refusals)
                 ORDER BY 1, 2",
            )
            .map_err(sqlite)?;
        let log: Vec<String> = statement
            .query_map([self.device_id()], |row| {
                Ok(format!(
                    "{} {} {} {} {} {}",
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?
                ))
            })
            .and_then(Iterator::collect)
            .map_err(sqlite)?;
        dump.insert("change_log".to_owned(), log);
        // Marks name this device's own changes by their local numbers; the dump
        // names them by their wire numbers, as every other device does.
        let mut wire: BTreeMap<i64, i64> = BTreeMap::new();
        {
            let mut statement = self
                .connection()
                .prepare("SELECT seq, wire_seq FROM sync_outbox WHERE wire_seq IS NOT NULL")
                .map_err(sqlite)?;
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).map_err(sqlite)?;
            for row in rows {
                let (seq, wire_seq) = row.map_err(sqlite)?;
                wire.insert(seq, wire_seq);
            }
        }
        let own = self.device_id().to_owned();
        let canonical = |write: ReviewWrite| {
            let seq =
                if write.device_id == own { wire.get(&write.seq).copied().unwrap_or(-write.seq) } else { write.seq };
            (write.device_id, seq, write.value)
        };
        let mut reviews: Vec<String> = self
            .sync_reviews()?
            .into_iter()
            .map(|mark| {
                let (entity, id, field) = (mark.entity, mark.entity_id, mark.field);
                format!("{entity} {id} {field} {:?} {:?}", canonical(mark.earlier), canonical(mark.later))
            })
            .collect();
        reviews.sort();
        dump.insert("sync_reviews".to_owned(), reviews);
        Ok(dump)
    }
}

fn field_changes(fields: &Fields) -> Vec<FieldChange> {
    fields
        .iter()
        .map(|(field, pair)| FieldChange {
            field: field.clone(),
            old: pair.get(0).map_or(FieldValue::Null, from_json),
            new: pair.get(1).map_or(FieldValue::Null, from_json),
        })
        .collect()
}

fn apply_change(
    transaction: &Transaction<'_>,
    change: &ChangeRecord,
    own: &str,
    now_ms: i64,
    held: &PageLog,
    stale: &mut crate::derived::Stale,
    applied: &mut Applied,
) -> Result<()> {
    // An entity this build does not know (a newer device's): kept in the history.
    let Ok(entity) = entity(&change.entity) else { return Ok(()) };
    let id = change.entity_id.as_str();
    if let [only] = change.fields.as_slice() {
        if only.field == ERASED {
            erase_record(transaction, entity, id, change)?;
            applied.erased += 1;
            return Ok(());
        }
        if only.field == DELETED {
            delete_row(transaction, entity, id)?;
            return Ok(());
        }
    }
    // The fields this build knows; blanked history has none.
    let fields: Vec<&FieldChange> = change.fields.iter().filter(|f| entity.field(&f.field).is_ok()).collect();
    if fields.is_empty() || held.gone(entity.name, id) {
        return Ok(());
    }
    let finalising = match entity.finality {
        Finality::OnceSet(field) => fields.iter().any(|f| f.field == field && f.new != FieldValue::Null),
        Finality::Always => true,
        Finality::Never => false,
    };
    let Some(current) = changes::read(transaction, entity, id)? else {
        if change.base_revision == 0 {
            insert_row(transaction, entity, id, change.hlc, &fields)?;
            stale.note(entity.name, id);
        }
        return Ok(());
    };
    if entity.is_final(&current) {
        if finalising && finalised_by(transaction, entity, id, own)? {
            // Both computers signed one draft. The server stores one finalising
            // change per record, the first it receives, and refuses the rest: this
            // one came from it, so it is the version every device shows, and this
            // device's own signature was (or will be) refused.
            replace_final_row(transaction, entity, id, change.hlc, &fields)?;
            stale.note(entity.name, id);
            applied.superseded += 1;
        }
        return Ok(());
    }
    let mut set: Vec<(&str, &FieldValue)> = Vec::new();
    for field in &fields {
        if finalising || wins_field(transaction, entity, id, &field.field, change)? {
            set.push((field.field.as_str(), &field.new));
        }
    }
    update_row(transaction, entity, id, change.hlc, &set)?;
    if finalising {
        transaction
            .run(
                "DELETE FROM sync_reviews WHERE entity = ?1 AND entity_id = ?2 AND resolved_at IS NULL",
                params![entity.name, id],
            )
            .map_err(sqlite)?;
    } else {
        for field in &fields {
            applied.conflicts += remark_field(transaction, entity, id, &field.field, now_ms)?;
        }
    }
    stale.note(entity.name, id);
    Ok(())
}

/// What the change log holds of a pulled page's changes and records: which changes
/// it has already, and which records a tombstone (an erasure, a deletion) has ended.
/// Read for the whole page at once, then kept up to date as its changes go in.
struct PageLog {
    changes: HashSet<(String, i64)>,
    erased: HashSet<(String, String)>,
    deleted: HashSet<(String, String)>,
}

impl PageLog {
    fn of(transaction: &Transaction<'_>, page: &[ChangeRecord]) -> Result<PageLog> {
        let identities: Vec<(&str, i64)> = page.iter().map(|c| (c.device_id.as_str(), c.seq)).collect();
        let records: Vec<(&str, &str)> = page.iter().map(|c| (c.entity.as_str(), c.entity_id.as_str())).collect();
        let mut log = PageLog { changes: HashSet::new(), erased: HashSet::new(), deleted: HashSet::new() };
        let mut statement = transaction
            .prepare_cached(
                "SELECT c.device_id, c.seq FROM json_each(?1) j
                 CROSS JOIN change_log c ON c.device_id = json_extract(j.value, '$[0]')
                                        AND c.seq = json_extract(j.value, '$[1]')",
            )
            .map_err(sqlite)?;
        let rows =
            statement.query_map([json_list(&identities)], |row| Ok((row.get(0)?, row.get(1)?))).map_err(sqlite)?;
        for row in rows {
            log.changes.insert(row.map_err(sqlite)?);
        }
        let mut statement = transaction
            .prepare_cached(
                "SELECT DISTINCT c.entity, c.entity_id, c.fields = ?2 FROM json_each(?1) j
                 CROSS JOIN change_log c ON c.entity = json_extract(j.value, '$[0]')
                                        AND c.entity_id = json_extract(j.value, '$[1]')
                 WHERE c.fields IN (?2, ?3)",
            )
            .map_err(sqlite)?;
        let rows = statement
            .query_map(params![json_list(&records), tombstone(ERASED), tombstone(DELETED)], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .map_err(sqlite)?;
        for row in rows {
            let (entity, id, erased): (String, String, bool) = row.map_err(sqlite)?;
            if erased { &mut log.erased } else { &mut log.deleted }.insert((entity, id));
        }
        Ok(log)
    }

    /// Whether the log has `change` already.
    fn holds(&self, change: &ChangeRecord) -> bool {
        self.changes.contains(&(change.device_id.clone(), change.seq))
    }

    /// Whether `change` touches a record erased here (not the tombstone itself).
    fn erased(&self, change: &ChangeRecord) -> bool {
        !change.fields.iter().any(|f| f.field == ERASED)
            && self.erased.contains(&(change.entity.clone(), change.entity_id.clone()))
    }

    /// Whether a tombstone or deletion of the record is in the log.
    fn gone(&self, entity: &str, id: &str) -> bool {
        let record = (entity.to_owned(), id.to_owned());
        self.erased.contains(&record) || self.deleted.contains(&record)
    }

    /// Takes in `change`, just written to the log.
    fn add(&mut self, change: &ChangeRecord) {
        self.changes.insert((change.device_id.clone(), change.seq));
        let record = || (change.entity.clone(), change.entity_id.clone());
        if let [only] = change.fields.as_slice()
            && only.old == FieldValue::Null
            && only.new == FieldValue::Integer(1)
        {
            if only.field == ERASED {
                self.erased.insert(record());
            } else if only.field == DELETED {
                self.deleted.insert(record());
            }
        }
    }
}

/// `items` as a JSON array, for `json_each`.
fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// A tombstone's fields as the change log stores them.
fn tombstone(pseudo: &str) -> String {
    format!("{{\"{pseudo}\":[null,1]}}")
}

/// Every write of `field` of the record in the change log, as (device, seq, hlc,
/// old, new).
fn field_writes(transaction: &Transaction<'_>, entity: &Entity, id: &str, field: &str) -> Result<Vec<StoredWrite>> {
    let mut statement = transaction
        .prepare_cached(
            "SELECT device_id, seq, hlc, fields FROM change_log
             WHERE entity = ?1 AND entity_id = ?2 AND instr(fields, ?3) > 0",
        )
        .map_err(sqlite)?;
    let quoted = serde_json::Value::String(field.to_owned()).to_string();
    let rows: Vec<(String, i64, i64, String)> = statement
        .query_map(params![entity.name, id, quoted], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
        .and_then(Iterator::collect)
        .map_err(sqlite)?;
    Ok(rows
        .into_iter()
        .filter_map(|(device, seq, hlc, fields)| {
            let fields = parse_fields(&fields);
            let pair = fields.get(field)?;
            Some((
                device,
                seq,
                hlc as u64,
                pair.get(0).map_or(FieldValue::Null, from_json),
                pair.get(1).map_or(FieldValue::Null, from_json),
            ))
        })
        .collect())
}

fn as_writes(rows: &[StoredWrite]) -> Vec<FieldWrite<'_>> {
    rows.iter()
        .map(|(device, seq, hlc, old, new)| FieldWrite { hlc: *hlc, device_id: device, seq: *seq, old, new })
        .collect()
}

/// Whether `change` is the latest write of `field` (it is in the log already).
fn wins_field(
    transaction: &Transaction<'_>,
    entity: &Entity,
    id: &str,
    field: &str,
    change: &ChangeRecord,
) -> Result<bool> {
    let rows = field_writes(transaction, entity, id, field)?;
    let writes = as_writes(&rows);
    Ok(merge::winner(&writes).is_some_and(|best| best.device_id == change.device_id && best.seq == change.seq))
}

/// Computes the open conflict marks of one field again from all its writes.
pub(crate) fn remark_field(
    transaction: &Transaction<'_>,
    entity: &Entity,
    id: &str,
    field: &str,
    now_ms: i64,
) -> Result<usize> {
    let rows = field_writes(transaction, entity, id, field)?;
    let writes = as_writes(&rows);
    let marks = || -> Result<i64> {
        transaction
            .one(
                "SELECT count(*) FROM sync_reviews WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
                params![entity.name, id, field],
                |row| row.get(0),
            )
            .map_err(sqlite)
    };
    let before = marks()?;
    transaction
        .run(
            "DELETE FROM sync_reviews WHERE entity = ?1 AND entity_id = ?2 AND field = ?3 AND resolved_at IS NULL",
            params![entity.name, id, field],
        )
        .map_err(sqlite)?;
    for (earlier, later) in merge::conflicts(&writes) {
        let (earlier, later) = (&writes[earlier], &writes[later]);
        transaction
            .run(
                "INSERT OR IGNORE INTO sync_reviews (entity, entity_id, field, earlier_device, earlier_seq, later_device,
                                                     later_seq, marked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![entity.name, id, field, earlier.device_id, earlier.seq, later.device_id, later.seq, now_ms],
            )
            .map_err(sqlite)?;
    }
    Ok((marks()? - before).max(0) as usize)
}

/// Whether `device` made the record final: a change of its sets the finality field.
fn finalised_by(transaction: &Transaction<'_>, entity: &Entity, id: &str, device: &str) -> Result<bool> {
    let Finality::OnceSet(field) = entity.finality else { return Ok(false) };
    Ok(own_final_write(transaction, entity, id, field, device)?.is_some())
}

/// This device's write that set the finality `field` of the record, if any.
fn own_final_write(
    connection: &rusqlite::Connection,
    entity: &Entity,
    id: &str,
    field: &str,
    device: &str,
) -> Result<Option<(i64, Fields)>> {
    let mut statement = connection
        .prepare_cached(
            "SELECT seq, fields FROM change_log WHERE entity = ?1 AND entity_id = ?2 AND device_id = ?3
               AND instr(fields, ?4) > 0 ORDER BY seq",
        )
        .map_err(sqlite)?;
    let quoted = serde_json::Value::String(field.to_owned()).to_string();
    let rows: Vec<(i64, String)> = statement
        .query_map(params![entity.name, id, device, quoted], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(sqlite)?;
    Ok(rows
        .into_iter()
        .map(|(seq, text)| (seq, parse_fields(&text)))
        .find(|(_, fields)| fields.get(field).and_then(|pair| pair.get(1)).is_some_and(|value| !value.is_null())))
}

/// Puts the server's signed version of a record in place of this device's: a final
/// row cannot be updated (its trigger refuses), so it is written anew, whole — a
/// finalising change carries every field.
fn replace_final_row(
    transaction: &Transaction<'_>,
    entity: &Entity,
    id: &str,
    hlc: u64,
    fields: &[&FieldChange],
) -> Result<()> {
    delete_row(transaction, entity, id)?;
    insert_row(transaction, entity, id, hlc, fields)
}

fn insert_row(
    transaction: &Transaction<'_>,
    entity: &Entity,
    id: &str,
    hlc: u64,
    fields: &[&FieldChange],
) -> Result<()> {
    let columns: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    let placeholders: Vec<String> = (0..columns.len()).map(|i| format!("?{}", i + 3)).collect();
    let sql = format!(
        "INSERT INTO {} (id, revision, updated_hlc{}{}) VALUES (?1, 1, ?2{}{})",
        entity.table,
        if columns.is_empty() { "" } else { ", " },
        columns.join(", "),
        if columns.is_empty() { "" } else { ", " },
        placeholders.join(", ")
    );
    let mut values = vec![rusqlite::types::Value::Text(id.to_owned()), rusqlite::types::Value::Integer(hlc as i64)];
    values.extend(fields.iter().map(|f| to_sql(&f.new)));
    refused_rows_are_history(transaction.run(&sql, rusqlite::params_from_iter(values)))
}

fn update_row(
    transaction: &Transaction<'_>,
    entity: &Entity,
    id: &str,
    hlc: u64,
    set: &[(&str, &FieldValue)],
) -> Result<()> {
    // The revision counts every change taken into account, won or lost, so that two
    // devices that took the same changes agree on it.
    let assignments: Vec<String> =
        set.iter().enumerate().map(|(i, (field, _))| format!(", {field} = ?{}", i + 3)).collect();
    let sql = format!(
        "UPDATE {} SET revision = revision + 1, updated_hlc = max(updated_hlc, ?2){} WHERE id = ?1",
        entity.table,
        assignments.concat()
    );
    let mut values = vec![rusqlite::types::Value::Text(id.to_owned()), rusqlite::types::Value::Integer(hlc as i64)];
    values.extend(set.iter().map(|(_, value)| to_sql(value)));
    refused_rows_are_history(transaction.run(&sql, rusqlite::params_from_iter(values)))
}

/// A row the local schema refuses (a trigger, a check) stays as it was; the change
/// is in the history. Any other failure fails the page.
fn refused_rows_are_history(result: rusqlite::Result<usize>) -> Result<()> {
    match result {
        Ok(_) => Ok(()),
        Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => Ok(()),
        Err(err) => Err(sqlite(err)),
    }
}

fn delete_row(transaction: &Transaction<'_>, entity: &Entity, id: &str) -> Result<()> {
    let affected = crate::derived::before_delete(transaction, entity.name, id)?;
    transaction.run(&format!("DELETE FROM {} WHERE id = ?1", entity.table), [id]).map_err(sqlite)?;
    crate::derived::after_delete(transaction, affected)
}

fn erase_record(transaction: &Transaction<'_>, entity: &Entity, id: &str, tombstone: &ChangeRecord) -> Result<()> {
    if entity.name == "client" {
        // Attendances deleted earlier still name the client in their change records.
        let quoted = serde_json::Value::String(id.to_owned()).to_string();
        transaction
            .run("UPDATE change_log SET fields = '{}' WHERE entity = 'attendance' AND instr(fields, ?1) > 0", [&quoted])
            .map_err(sqlite)?;
    }
    delete_row(transaction, entity, id)?;
    transaction
        .run(
            "UPDATE change_log SET fields = '{}'
             WHERE entity = ?1 AND entity_id = ?2 AND NOT (device_id = ?3 AND seq = ?4)
               AND fields <> '{\"_erased\":[null,1]}'",
            params![entity.name, id, tombstone.device_id, tombstone.seq],
        )
        .map_err(sqlite)?;
    transaction
        .run("DELETE FROM sync_reviews WHERE entity = ?1 AND entity_id = ?2", params![entity.name, id])
        .map_err(sqlite)?;
    Ok(())
}

/// The clients of each record `source` names (SQL giving `entity, entity_id` rows,
/// with `params`), as [`clients_of`] finds them, found for all at once: one query
/// per entity joins its records still in their table to their clients; the few it
/// finds none for (gone from their table, or about no client) are looked up one by
/// one. Each join starts from the ids asked about (`CROSS JOIN` fixes SQLite's
/// order), so the cost follows them, not the size of the tables.
pub(crate) fn clients_of_each(
    connection: &rusqlite::Connection,
    source: &str,
    params: impl rusqlite::Params,
) -> Result<BTreeMap<(String, String), Vec<String>>> {
    let mut by_entity: BTreeMap<String, Vec<String>> = BTreeMap::new();
    {
        let mut statement =
            connection.prepare_cached(&format!("SELECT DISTINCT entity, entity_id FROM ({source})")).map_err(sqlite)?;
        let mut rows = statement.query(params).map_err(sqlite)?;
        while let Some(row) = rows.next().map_err(sqlite)? {
            by_entity.entry(row.get(0).map_err(sqlite)?).or_default().push(row.get(1).map_err(sqlite)?);
        }
    }
    let mut clients: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (entity_name, ids) in by_entity {
        let mut found: HashMap<String, Vec<String>> = HashMap::new();
        if let Some(pairs) = client_pairs(&entity_name, 0) {
            let mut statement = connection
                .prepare_cached(&format!(
                    "SELECT j.value, m.client_id FROM json_each(?1) j CROSS JOIN ({pairs}) m ON m.record_id = j.value"
                ))
                .map_err(sqlite)?;
            let mut rows = statement.query([json_list(&ids)]).map_err(sqlite)?;
            while let Some(row) = rows.next().map_err(sqlite)? {
                found.entry(row.get(0).map_err(sqlite)?).or_default().push(row.get(1).map_err(sqlite)?);
            }
        }
        for id in ids {
            let record = match found.remove(&id) {
                Some(mut record) => {
                    record.sort_unstable();
                    record.dedup();
                    record
                }
                None => clients_of(connection, &entity_name, &id, 0)?,
            };
            clients.insert((entity_name.clone(), id), record);
        }
    }
    Ok(clients)
}

/// SQL pairing each record of `entity_name` still in its table with a client it is
/// about (`record_id, client_id`), following [`clients_of`]'s rules; `None` for an
/// entity about no client.
fn client_pairs(entity_name: &str, depth: u8) -> Option<String> {
    let spec = catalogue::entity(entity_name)?;
    let table = entity(entity_name).ok()?.table;
    match spec.belonging {
        Belonging::IsClient => Some(format!("SELECT id AS record_id, id AS client_id FROM {table}")),
        Belonging::ClientField(field) => {
            Some(format!("SELECT id AS record_id, {field} AS client_id FROM {table} WHERE {field} IS NOT NULL"))
        }
        Belonging::Parent { field, entity: parent } if depth < 2 => {
            let parents = client_pairs(parent, depth + 1)?;
            Some(format!(
                "SELECT x.id AS record_id, p.client_id FROM {table} x CROSS JOIN ({parents}) p ON p.record_id = x.{field}"
            ))
        }
        Belonging::Author if entity_name == "consultation" => {
            Some("SELECT consultation_id AS record_id, client_id FROM attendances".to_owned())
        }
        Belonging::Parent { .. } | Belonging::Author => None,
    }
}

/// The clients record `id` of `entity` is about: for a record of a client, that
/// client; for a consultation, its attendees; for an addendum, its consultation's.
pub(crate) fn clients_of(
    connection: &rusqlite::Connection,
    entity_name: &str,
    id: &str,
    depth: u8,
) -> Result<Vec<String>> {
    let Some(spec) = catalogue::entity(entity_name) else { return Ok(Vec::new()) };
    let Ok(entity) = entity(entity_name) else { return Ok(Vec::new()) };
    let field_value = |field: &str| -> Result<Option<String>> {
        if let Some(record) = changes::read(connection, entity, id)? {
            return Ok(record.text(field).map(str::to_owned));
        }
        // Gone from the table: its first change still names it, unless blanked.
        let first: Option<String> = connection
            .one(
                "SELECT fields FROM change_log WHERE entity = ?1 AND entity_id = ?2 AND base_revision = 0
                 ORDER BY hlc LIMIT 1",
                params![entity_name, id],
                |row| row.get(0),
            )
            .optional()
            .map_err(sqlite)?;
        Ok(first.and_then(|fields| match parse_fields(&fields).get(field).and_then(|pair| pair.get(1)) {
            Some(serde_json::Value::String(value)) => Some(value.clone()),
            _ => None,
        }))
    };
    match spec.belonging {
        Belonging::IsClient => Ok(vec![id.to_owned()]),
        Belonging::ClientField(field) => Ok(field_value(field)?.into_iter().collect()),
        Belonging::Parent { field, entity: parent } if depth < 2 => match field_value(field)? {
            Some(parent_id) => clients_of(connection, parent, &parent_id, depth + 1),
            None => Ok(Vec::new()),
        },
        Belonging::Parent { .. } => Ok(Vec::new()),
        Belonging::Author if entity_name == "consultation" => {
            let mut statement = connection
                .prepare_cached("SELECT client_id FROM attendances WHERE consultation_id = ?1 ORDER BY client_id")
                .map_err(sqlite)?;
            let clients: Vec<String> =
                statement.query_map([id], |row| row.get(0)).and_then(Iterator::collect).map_err(sqlite)?;
            Ok(clients)
        }
        Belonging::Author => Ok(Vec::new()),
    }
}
