//! Change records: every write of clinical data, as data. The same records are the
//! record's history, the sync outbox and the input of conflict detection, so they
//! say everything — which field went from what to what, on top of which revision,
//! when (by a hybrid logical clock), on which device, in which order, by whom.

/// A field's value as the change log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// No value.
    Null,
    /// A whole number (dates as days, flags as 0/1).
    Integer(i64),
    /// Text.
    Text(String),
}

/// One field's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's name.
    pub field: String,
    /// Its value before the change.
    pub old: FieldValue,
    /// Its value after.
    pub new: FieldValue,
}

/// One change to one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRecord {
    /// The kind of record, e.g. `client`.
    pub entity: String,
    /// The record's id.
    pub entity_id: String,
    /// The fields that changed.
    pub fields: Vec<FieldChange>,
    /// The revision the change was made on (0 for a new record).
    pub base_revision: i64,
    /// Hybrid-logical-clock timestamp (see [`next_hlc`]).
    pub hlc: u64,
    /// The device that made it.
    pub device_id: String,
    /// Its position among that device's changes, from 1, without gaps.
    pub seq: i64,
    /// Who made it.
    pub author: String,
}

/// Bits of an HLC value that hold the logical counter; the rest is milliseconds.
const COUNTER_BITS: u32 = 16;

/// The next hybrid-logical-clock value after `last`, at wall-clock `now_ms`: the
/// wall clock when it has moved on, otherwise one tick past `last`. It never runs
/// backwards, so a computer whose clock is set back still orders its own changes.
pub fn next_hlc(last: u64, now_ms: i64) -> u64 {
    let physical = (now_ms.max(0) as u64) << COUNTER_BITS;
    physical.max(last + 1)
}

/// The wall-clock milliseconds inside an HLC value.
pub fn hlc_millis(hlc: u64) -> u64 {
    hlc >> COUNTER_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_follows_the_wall_clock_and_never_runs_backwards() {
        let first = next_hlc(0, 1_000);
        assert_eq!(hlc_millis(first), 1_000);
        let same_millisecond = next_hlc(first, 1_000);
        assert_eq!(same_millisecond, first + 1);
        let clock_set_back = next_hlc(same_millisecond, 500);
        assert!(clock_set_back > same_millisecond);
        assert_eq!(hlc_millis(clock_set_back), 1_000);
        let later = next_hlc(clock_set_back, 2_000);
        assert_eq!(hlc_millis(later), 2_000);
    }
}
