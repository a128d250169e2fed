//! How the changes of several devices to one field come together: the rule a device
//! follows when it applies a pulled change, as pure functions of the changes, so that
//! every device that holds the same changes shows the same value and marks the same
//! conflicts, whatever order the changes arrived in.
//!
//! The rule (DESIGN §6, "conflicts are never silent"):
//! - **The later clock wins.** A field shows the value of the change with the
//!   greatest (HLC, device id, sequence number) among the changes that wrote it; the
//!   device id breaks a tie of clocks, the sequence number a tie within one device.
//!   Every other value stays in the record's history (the change log).
//! - **Concurrent edits are marked for review.** Two writes of a field that follow
//!   each other in that order conflict when the later one was not made on the
//!   earlier one's value (its `old` is not the earlier `new`) and they disagree (its
//!   `new` differs too), and they come from different devices. A device that had
//!   seen the earlier value writes on top of it; one that had not, did not.
//!   Marks are a function of the set of writes, so every device computes the same.
//! - **A review settles the marks before it.** A write made on the shown value that
//!   keeps it (writes it again) or takes another version settles every pair before
//!   it: someone saw them and chose. A write on top of the shown value with a new
//!   value does not — the other version was still not looked at.
//! - Writing the same value twice is no conflict; nor is a device's own sequence.
//!
//! Final records (a signed consultation) and erasures are handled by the store around
//! this rule: a change ordered after a record became final is kept in the history
//! only, and the finalising change carries the signed content, so signed records
//! never conflict.

use std::cmp::Ordering;

use crate::change::FieldValue;

/// One write of one field, as the merge needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldWrite<'a> {
    /// The change's hybrid-logical-clock value.
    pub hlc: u64,
    /// The device that made it.
    pub device_id: &'a str,
    /// Its number among that device's changes.
    pub seq: i64,
    /// The field's value before, on that device.
    pub old: &'a FieldValue,
    /// The value it wrote.
    pub new: &'a FieldValue,
}

impl FieldWrite<'_> {
    /// The order in which writes of one field take effect.
    pub fn order(&self, other: &FieldWrite<'_>) -> Ordering {
        (self.hlc, self.device_id, self.seq).cmp(&(other.hlc, other.device_id, other.seq))
    }
}

/// Whether `candidate` takes effect over the field's current winner `current`.
pub fn wins(candidate: &FieldWrite<'_>, current: Option<&FieldWrite<'_>>) -> bool {
    current.is_none_or(|current| candidate.order(current) == Ordering::Greater)
}

/// The winning write among `writes`, if any.
pub fn winner<'w, 'a>(writes: &'w [FieldWrite<'a>]) -> Option<&'w FieldWrite<'a>> {
    writes.iter().max_by(|a, b| a.order(b))
}

/// Whether `later`, coming right after `earlier` in effect order, was made without
/// knowing `earlier`'s value: a concurrent edit.
pub fn concurrent(earlier: &FieldWrite<'_>, later: &FieldWrite<'_>) -> bool {
    earlier.device_id != later.device_id && later.old != earlier.new && later.new != earlier.new
}

/// The open conflicting pairs among `writes` (any order): indexes into `writes` of
/// the earlier and the later write of each pair that follow each other in effect
/// order, are [`concurrent`], and were not settled by a review after them. The same
/// set of writes gives the same pairs.
///
/// A review is a write made on the value shown just before it (its `old` is the
/// previous write's `new`) that writes a value some earlier write had — keeping the
/// shown one or taking another version. It settles every pair before it.
pub fn conflicts(writes: &[FieldWrite<'_>]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..writes.len()).collect();
    order.sort_by(|a, b| writes[*a].order(&writes[*b]));
    let is_review = |position: usize| {
        let write = &writes[order[position]];
        position > 0
            && write.old == writes[order[position - 1]].new
            && order[..position].iter().any(|earlier| writes[*earlier].new == write.new)
    };
    let last_review = (0..order.len()).rev().find(|position| is_review(*position)).unwrap_or(0);
    order
        .windows(2)
        .enumerate()
        .filter(|(position, _)| position + 1 >= last_review)
        .filter(|(_, pair)| concurrent(&writes[pair[0]], &writes[pair[1]]))
        .map(|(_, pair)| (pair[0], pair[1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> FieldValue {
        FieldValue::Text(value.to_owned())
    }

    /// (hlc, device, old, new)
    type Case<'a> = (u64, &'a str, &'a FieldValue, &'a FieldValue);

    fn writes<'a>(cases: &'a [Case<'a>]) -> Vec<FieldWrite<'a>> {
        cases.iter().map(|(hlc, device_id, old, new)| FieldWrite { hlc: *hlc, device_id, seq: 1, old, new }).collect()
    }

    /// Every order of `cases`: the result must not depend on arrival.
    fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
        if items.len() <= 1 {
            return vec![items.to_vec()];
        }
        let mut all = Vec::new();
        for i in 0..items.len() {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            for mut tail in permutations(&rest) {
                tail.insert(0, first.clone());
                all.push(tail);
            }
        }
        all
    }

    #[test]
    fn the_later_clock_wins_and_the_device_breaks_a_tie() {
        let (v0, a, b) = (FieldValue::Null, text("a"), text("b"));
        let cases = [(5, "dev-a", &v0, &a), (7, "dev-b", &v0, &b)];
        assert_eq!(winner(&writes(&cases)).map(|w| w.new), Some(&b));
        let tie = [(5, "dev-b", &v0, &b), (5, "dev-a", &v0, &a)];
        assert_eq!(winner(&writes(&tie)).map(|w| w.device_id), Some("dev-b"));
        let all = writes(&cases);
        assert!(wins(&all[1], Some(&all[0])));
        assert!(!wins(&all[0], Some(&all[1])));
        assert!(wins(&all[0], None));
    }

    #[test]
    fn conflicts_are_concurrent_disagreeing_writes_of_different_devices() {
        let (v0, v1, v2, v3) = (text("v0"), text("v1"), text("v2"), text("v3"));
        type Expect = &'static [(u64, u64)];
        let table: Vec<(&str, Vec<Case>, Expect)> = vec![
            ("in sequence on two devices", vec![(1, "a", &v0, &v1), (2, "b", &v1, &v2)], &[]),
            ("concurrent", vec![(1, "a", &v0, &v1), (2, "b", &v0, &v2)], &[(1, 2)]),
            ("the same value twice", vec![(1, "a", &v0, &v1), (2, "b", &v0, &v1)], &[]),
            ("one device's own sequence", vec![(1, "a", &v0, &v1), (2, "a", &v0, &v2)], &[]),
            (
                "a concurrent edit, then one on top of the winner",
                vec![(1, "a", &v0, &v1), (2, "b", &v0, &v2), (3, "a", &v2, &v3)],
                &[(1, 2)],
            ),
            (
                "settled by keeping the shown value",
                vec![(1, "a", &v0, &v1), (2, "b", &v0, &v2), (3, "a", &v2, &v2)],
                &[],
            ),
            (
                "settled by taking the other version",
                vec![(1, "a", &v0, &v1), (2, "b", &v0, &v2), (3, "c", &v2, &v1)],
                &[],
            ),
            (
                "a settlement made before the later write arrived settles nothing",
                vec![(1, "a", &v0, &v1), (2, "b", &v0, &v2), (3, "a", &v1, &v1)],
                &[(1, 2), (2, 3)],
            ),
            (
                "three devices at once, settled in one review",
                vec![(1, "a", &v0, &v1), (2, "b", &v0, &v2), (3, "c", &v0, &v3), (4, "a", &v3, &v1)],
                &[],
            ),
            (
                "a device that went on without seeing the other",
                vec![(1, "a", &v0, &v1), (2, "b", &v0, &v2), (3, "a", &v1, &v3)],
                &[(1, 2), (2, 3)],
            ),
        ];
        for (name, cases, expected) in table {
            for arrival in permutations(&cases) {
                let all = writes(&arrival);
                let mut found: Vec<(u64, u64)> =
                    conflicts(&all).into_iter().map(|(e, l)| (all[e].hlc, all[l].hlc)).collect();
                found.sort_unstable();
                assert_eq!(found, expected, "{name}: {arrival:?}");
                let best = winner(&all).map(|w| w.hlc);
                assert_eq!(best, cases.iter().map(|c| c.0).max(), "{name}");
            }
        }
    }
}
