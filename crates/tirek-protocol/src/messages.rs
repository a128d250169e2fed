//! The request and response bodies of each endpoint: enrolment (`POST /v1/enrol`),
//! push (`POST /v1/push`), pull (`POST /v1/pull`) and status (`GET /v1/status`).
//! Refusals of single changes travel inside a push response with a stable
//! [`RefusalKind`]; a refusal of the whole request is a [`crate::Problem`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::version::VersionRange;
use crate::wire::WireChange;
use crate::{ProtocolError, Result};

/// The server's identity as of its last restore: if it changes, the server was
/// restored from a backup and may lack changes it once acknowledged.
pub type Epoch = String;

/// `POST /v1/enrol`: a device joins the organisation with a one-time code an
/// administrator gave its user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    /// The enrolment code, as typed (case, spaces and dashes do not matter).
    pub code: String,
    /// The device's own id: the one its change records carry.
    pub device_id: String,
    /// The profile whose changes this device sends: the `author` of its changes.
    pub author: String,
    /// The app's version, for the administrator's device list.
    pub app_version: String,
}

/// The answer to an enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResponse {
    /// The device's id, as the server registered it.
    pub device_id: String,
    /// The bearer token for every later request. Shown once: the server keeps only
    /// its hash.
    pub token: String,
    /// The server's id of the user the device belongs to.
    pub user_id: i64,
    /// The server's epoch.
    pub epoch: Epoch,
    /// The protocol versions the server accepts.
    pub supported: VersionRange,
    /// The server's public key for USB sync bundles
    /// ([`crate::bundle::BundlePublicKey`], 64 hex digits), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_key: Option<String>,
    /// Set when the server knew this device already — this profile on this
    /// computer, disconnected and connected again, or let back in after a
    /// revocation: the high-water mark its numbering continues from. The device
    /// keeps its wire numbers; without it, it numbers its changes afresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continues_from: Option<i64>,
}

/// `POST /v1/push`: one batch of the device's change log, in sequence order,
/// starting at or below the server's high-water mark plus one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// The changes.
    pub changes: Vec<WireChange>,
    /// The head of the device's audit trail as the batch leaves: the server keeps
    /// the furthest it has seen, a witness that outlives the device's own copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditHead>,
}

/// The last row of a device's hash-chained audit trail: its position and hash.
/// Removing rows from the end of a chain leaves it intact, so only a copy kept
/// elsewhere shows the loss: the server keeps this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// The row's position in the trail, from 1.
    pub id: i64,
    /// The row's hash: 64 lowercase hex digits.
    pub hash: String,
}

impl AuditHead {
    /// Whether the hash is 64 lowercase hex digits and the position positive.
    pub fn is_well_formed(&self) -> bool {
        self.id > 0 && self.hash.len() == 64 && self.hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}

/// Why one change of a batch was refused. Stable names: the app translates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// No such entity.
    UnknownEntity,
    /// The entity has no such field.
    UnknownField,
    /// A value longer than its field allows.
    TooLong,
    /// A value of the wrong kind.
    WrongKind,
    /// An unusable record id.
    BadRecordId,
    /// A change that makes no sense (a deletion with fields, an empty update…).
    Malformed,
    /// The change names another device than the one sending it.
    WrongDevice,
    /// The change's author is not the profile this device enrolled for.
    NotAuthor,
    /// The record belongs to a client outside the user's caseload.
    OutOfScope,
    /// The user's role may not write this.
    NotPermitted,
    /// The record is final (signed, issued, saved): corrections are addenda.
    RecordFinal,
    /// An update or deletion of a record the server does not have.
    UnknownRecord,
    /// A new record whose id the server already has.
    RecordExists,
    /// A letter numbered in a series another device already numbers its letters
    /// in: the device draws a new series for its next letters.
    SeriesTaken,
}

/// One refused change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The change's sequence number.
    pub seq: i64,
    /// Why, for the app to translate.
    pub kind: RefusalKind,
    /// The field concerned, if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Why, in English, for logs and support.
    pub detail: String,
}

/// The answer to a push. A refused change is acknowledged too — the server has
/// judged it and will judge it the same way again — so the high-water mark moves
/// past it and the device shows it as refused, not as waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The server's epoch.
    pub epoch: Epoch,
    /// The device's new high-water mark: every change up to it is stored or refused.
    pub acknowledged: i64,
    /// How many changes of this batch were stored now.
    pub stored: u32,
    /// How many had been received before (a batch sent again).
    pub duplicates: u32,
    /// The changes refused, with the reason.
    pub refused: Vec<Refusal>,
}

/// A position in the server's order of changes. Opaque to the app: it sends back
/// what the last page gave it. Written as `txid.id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cursor {
    /// The transaction that stored the change (PostgreSQL `xid8`).
    pub txid: u64,
    /// The change's row id within the server.
    pub id: i64,
}

impl Cursor {
    /// Before every change.
    pub const START: Cursor = Cursor { txid: 0, id: 0 };
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.txid, self.id)
    }
}

impl FromStr for Cursor {
    type Err = ProtocolError;

    fn from_str(text: &str) -> Result<Self> {
        let bad = || ProtocolError::BadCursor(text.to_owned());
        let (txid, id) = text.split_once('.').ok_or_else(bad)?;
        let cursor = Cursor { txid: txid.parse().map_err(|_| bad())?, id: id.parse().map_err(|_| bad())? };
        if cursor.id < 0 { Err(bad()) } else { Ok(cursor) }
    }
}

impl Serialize for Cursor {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `POST /v1/pull`: the next page of changes in the device's scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PullRequest {
    /// The epoch the cursor belongs to; a cursor from another epoch is refused
    /// (`epoch_changed`) and the device starts again from [`Cursor::START`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<Epoch>,
    /// Where the last page ended; none for the first pull.
    #[serde(default)]
    pub cursor: Option<Cursor>,
    /// The most changes wanted; the server caps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The [`ClientRemoval`]s (by id) this device has carried out since its last
    /// pull: the server forgets them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removals_done: Vec<i64>,
}

/// A page of changes, in the server's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    /// The server's epoch.
    pub epoch: Epoch,
    /// The changes, other devices' only.
    pub changes: Vec<WireChange>,
    /// Where this page ended: send it back for the next page.
    pub cursor: Cursor,
    /// Whether more changes are ready now.
    pub more: bool,
}

/// How many changes a scope holds and an order-free checksum of them, so that a
/// device can prove it holds what the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ScopeSummary {
    /// How many changes.
    pub count: u64,
    /// [`crate::checksum::ScopeChecksum`] of them, as 16 hex digits.
    #[serde(with = "hex_u64")]
    pub checksum: u64,
}

/// `GET /v1/status`: what the server holds of and for this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResponse {
    /// The server's epoch.
    pub epoch: Epoch,
    /// The device asking.
    pub device_id: String,
    /// Its high-water mark.
    pub acknowledged: i64,
    /// The changes in its scope, its own included, that a pull can see now.
    pub scope: ScopeSummary,
    /// The server's clock, Unix milliseconds.
    pub server_time_ms: i64,
    /// The protocol versions the server accepts.
    pub supported: VersionRange,
    /// The furthest head of this device's audit trail the server has seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditHead>,
    /// The server's public key for USB sync bundles (64 hex digits), if it has
    /// one: a device enrolled before the server had it learns it here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_key: Option<String>,
    /// The clients this device's user may read but no longer write: she owned them
    /// before an administrator moved them to a colleague, and keeps what she had.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_only: Vec<String>,
    /// Clients that left this device's scope (moved to a colleague, no longer
    /// shared): the device removes what it holds of them — a local removal, not an
    /// erasure — before it pulls, and says so in its next pull's `removals_done`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removals: Vec<ClientRemoval>,
    /// The other devices of this device's user (her other computers), by id: what
    /// they wrote is hers, though written under another profile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_devices: Vec<String>,
}

/// A client that left a device's scope, and the records of it the server held
/// there: those filed under the client (its own records, and the consultations
/// whose first attendee it is, with their addenda).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRemoval {
    /// The notice's id, to send back once carried out.
    pub id: i64,
    /// The client.
    pub client_id: String,
    /// The records to remove, as (entity, record id).
    pub records: Vec<(String, String)>,
}

mod hex_u64 {
    //! A `u64` written as 16 hex digits: JSON numbers above 2^53 lose precision in
    //! many readers, and a checksum must not.
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{value:016x}"))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        let text = String::deserialize(deserializer)?;
        u64::from_str_radix(&text, 16).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::wire::WireValue;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + fmt::Debug>(value: &T) -> serde_json::Value {
        let json = serde_json::to_value(value).expect("serialises");
        let back: T = serde_json::from_value(json.clone()).expect("parses");
        assert_eq!(&back, value);
        json
    }

    fn change() -> WireChange {
        WireChange {
            device_id: "d".to_owned(),
            seq: 1,
            hlc: 7,
            entity: "client".to_owned(),
            record_id: "r".to_owned(),
            base_revision: 0,
            author: "a".to_owned(),
            fields: BTreeMap::from([("given_name".to_owned(), (WireValue::Null, WireValue::Text("Әлия".to_owned())))]),
        }
    }

    #[test]
    fn every_body_survives_a_round_trip() {
        round_trip(&EnrolRequest {
            code: "K7QM-4XPA".to_owned(),
            device_id: "d".to_owned(),
            author: "a".to_owned(),
            app_version: "0.1.0".to_owned(),
        });
        round_trip(&EnrolResponse {
            device_id: "d".to_owned(),
            token: "t".to_owned(),
            user_id: 3,
            epoch: "e".to_owned(),
            supported: crate::SUPPORTED,
            bundle_key: Some("ab".repeat(32)),
            continues_from: Some(41),
        });
        round_trip(&PushRequest { changes: vec![change()], audit: None });
        let head = AuditHead { id: 12, hash: "ab".repeat(32) };
        assert!(head.is_well_formed());
        round_trip(&PushRequest { changes: vec![], audit: Some(head) });
        for bad in [AuditHead { id: 0, hash: "ab".repeat(32) }, AuditHead { id: 3, hash: "AB".repeat(32) }] {
            assert!(!bad.is_well_formed(), "{bad:?}");
        }
        let push = round_trip(&PushResponse {
            epoch: "e".to_owned(),
            acknowledged: 9,
            stored: 8,
            duplicates: 0,
            refused: vec![Refusal {
                seq: 4,
                kind: RefusalKind::TooLong,
                field: Some("notes".to_owned()),
                detail: "`notes` is longer than 20000 characters".to_owned(),
            }],
        });
        assert_eq!(push["refused"][0]["kind"], "too_long");
        round_trip(&PullRequest {
            epoch: Some("e".to_owned()),
            cursor: Some(Cursor { txid: 750, id: 12 }),
            limit: None,
            removals_done: vec![4],
        });
        let pull = round_trip(&PullResponse {
            epoch: "e".to_owned(),
            changes: vec![change()],
            cursor: Cursor { txid: 751, id: 13 },
            more: true,
        });
        assert_eq!(pull["cursor"], "751.13");
        let status = round_trip(&StatusResponse {
            epoch: "e".to_owned(),
            device_id: "d".to_owned(),
            acknowledged: 9,
            scope: ScopeSummary { count: 2, checksum: u64::MAX - 1 },
            server_time_ms: 1,
            supported: crate::SUPPORTED,
            audit: None,
            bundle_key: None,
            read_only: vec!["c1".to_owned()],
            removals: vec![ClientRemoval {
                id: 4,
                client_id: "c2".to_owned(),
                records: vec![("client".to_owned(), "c2".to_owned())],
            }],
            user_devices: vec!["laptop".to_owned()],
        });
        assert_eq!(status["scope"]["checksum"], "fffffffffffffffe");
        assert!(status.get("bundle_key").is_none(), "an absent key is not written");
        assert_eq!(status["removals"][0]["records"][0][1], "c2");
    }

    #[test]
    fn an_older_servers_answers_without_a_bundle_key_read_only_clients_or_removals_still_parse() {
        let enrolled = r#"{"device_id":"d","token":"t","user_id":1,"epoch":"e","supported":{"min":1,"max":1}}"#;
        assert_eq!(serde_json::from_str::<EnrolResponse>(enrolled).expect("parses").bundle_key, None);
        let old = r#"{"epoch":"e","device_id":"d","acknowledged":1,"scope":{"count":0,"checksum":"0000000000000000"},
                     "server_time_ms":1,"supported":{"min":1,"max":1}}"#;
        let status: StatusResponse = serde_json::from_str(old).expect("parses");
        assert_eq!(status.bundle_key, None);
        assert!(status.read_only.is_empty() && status.removals.is_empty());
    }

    #[test]
    fn a_first_pull_may_be_an_empty_body() {
        assert_eq!(serde_json::from_str::<PullRequest>("{}").expect("parses"), PullRequest::default());
    }

    #[test]
    fn cursors_are_read_back_or_refused() {
        assert_eq!("0.0".parse::<Cursor>().ok(), Some(Cursor::START));
        assert_eq!("18446744073709551615.5".parse::<Cursor>().ok(), Some(Cursor { txid: u64::MAX, id: 5 }));
        for bad in ["", "5", "a.b", "1.-2", "1.2.3", " 1.2"] {
            assert!(bad.parse::<Cursor>().is_err(), "{bad:?}");
        }
        assert!(Cursor { txid: 1, id: 99 } < Cursor { txid: 2, id: 1 }, "the transaction orders first");
    }

    #[test]
    fn refusal_kinds_have_stable_names() {
        let names: Vec<String> = [RefusalKind::UnknownEntity, RefusalKind::RecordFinal, RefusalKind::NotAuthor]
            .iter()
            .map(|kind| serde_json::to_value(kind).expect("serialises").as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(names, ["unknown_entity", "record_final", "not_author"]);
    }
}
