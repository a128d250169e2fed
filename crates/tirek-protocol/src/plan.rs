//! Sync planning, as pure functions: which of the device's changes go in which push
//! batch, what a push answer or a problem means for the device's bookkeeping, when
//! a pull goes on, and what a changed server epoch obliges the device to do. The
//! app's sync driver wraps these with HTTP and SQLite; the server never needs them.
//! Kept apart from I/O so that every case — a lost answer, a restored server, a
//! refused change — is a line in a table test rather than a network experiment.

use std::ops::Range;

use crate::bundle::AnswerBundle;
use crate::messages::{Cursor, PullResponse, PushResponse, RefusalKind};
use crate::problem::{Problem, ProblemKind};

/// How big one push batch may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// The most changes in one batch.
    pub max_changes: usize,
    /// The most bytes of uncompressed JSON in one batch. Change records compress
    /// about four to one, so a megabyte of JSON is about a quarter on the wire.
    pub max_bytes: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        Self { max_changes: 500, max_bytes: 1024 * 1024 }
    }
}

/// A change waiting in the device's outbox: its sequence number and its size as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    /// Its per-device sequence number.
    pub seq: i64,
    /// Its size in bytes as JSON.
    pub bytes: usize,
}

/// Splits `outbox` (in sequence order) into batches to push, as index ranges into
/// it: only the changes above the server's high-water mark `acknowledged`, each
/// batch within `limits`. A change larger than `max_bytes` on its own still goes,
/// alone — the server judges it, the device does not silently keep it back.
pub fn push_batches(acknowledged: i64, outbox: &[Pending], limits: BatchLimits) -> Vec<Range<usize>> {
    let start = outbox.partition_point(|pending| pending.seq <= acknowledged);
    let mut batches = Vec::new();
    let mut batch_start = start;
    let mut bytes = 0;
    for (index, pending) in outbox.iter().enumerate().skip(start) {
        let count = index - batch_start;
        if count > 0 && (count >= limits.max_changes || bytes + pending.bytes > limits.max_bytes) {
            batches.push(batch_start..index);
            batch_start = index;
            bytes = 0;
        }
        bytes += pending.bytes;
    }
    if batch_start < outbox.len() {
        batches.push(batch_start..outbox.len());
    }
    batches
}

/// What the device records after a push answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushOutcome {
    /// Its changes up to here are on the server (stored or refused).
    pub acknowledged: i64,
    /// The refused ones, to show as such: sequence number and reason.
    pub refused: Vec<(i64, RefusalKind)>,
    /// Whether the server acknowledged everything that was sent; if not, the next
    /// batch starts after `acknowledged` again.
    pub complete: bool,
}

/// Reads a push answer for a batch whose last change was `last_sent`.
pub fn after_push(last_sent: i64, response: &PushResponse) -> PushOutcome {
    PushOutcome {
        acknowledged: response.acknowledged,
        refused: response.refused.iter().map(|refusal| (refusal.seq, refusal.kind)).collect(),
        complete: response.acknowledged >= last_sent,
    }
}

/// What to do after a refused request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Push again from just after this high-water mark (a gap: the server has less
    /// than the device thought, e.g. after a restore).
    ResendFrom(i64),
    /// Pull again from the start of the new epoch, and re-check what was pushed.
    StartOver,
    /// Split the batch smaller: at most this many changes.
    SmallerBatches(usize),
    /// Try again later, with backoff.
    Retry,
    /// Stop syncing and tell the person, by this kind (the app translates it): a
    /// revoked device, an old app, a clock to fix, a code to ask for again.
    Stop(ProblemKind),
}

/// What a problem answer means for the sync loop.
pub fn recovery(problem: &Problem) -> Recovery {
    match problem.kind {
        ProblemKind::SequenceGap => Recovery::ResendFrom(problem.acknowledged.unwrap_or(0)),
        ProblemKind::EpochChanged => Recovery::StartOver,
        ProblemKind::BatchTooLarge => Recovery::SmallerBatches(problem.max_changes.map_or(1, |n| (n as usize).max(1))),
        ProblemKind::Unavailable | ProblemKind::Internal | ProblemKind::RateLimited | ProblemKind::RequestTimeout => {
            Recovery::Retry
        }
        kind => Recovery::Stop(kind),
    }
}

/// How the server's epoch compares with the one the device last saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochCheck {
    /// The device has never synced with this server.
    FirstContact,
    /// The same server as before.
    Same,
    /// The server was restored from a backup: pull from the start (pages already
    /// applied are applied again harmlessly) and push from the server's high-water
    /// mark, which may now be below the device's.
    Restored,
}

/// Compares the epoch the device knows with the server's.
pub fn check_epoch(known: Option<&str>, server: &str) -> EpochCheck {
    match known {
        None => EpochCheck::FirstContact,
        Some(known) if known == server => EpochCheck::Same,
        Some(_) => EpochCheck::Restored,
    }
}

/// After applying a pull page: where to continue, and whether to ask again now.
pub fn after_pull(response: &PullResponse) -> (Cursor, bool) {
    (response.cursor, response.more)
}

/// How a USB answer bundle fits what the device holds when it is imported — which
/// may be days after the bundle left, after other bundles' answers, or after the
/// device met the server over the network meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerFit {
    /// The server took a new epoch since the device last knew it (it was restored)
    /// and the device has not moved on since the bundle left: start over in the
    /// answer's epoch, from its mark, before applying its pages from the start.
    pub restart: bool,
    /// Take the push answers: acknowledgements (a mark only moves forward) and
    /// refusals. False for an answer from an epoch the device has left.
    pub acknowledge: bool,
    /// The pages to apply, as indexes: those past the device's cursor.
    pub pages: Range<usize>,
    /// Whether the applied pages move the device's cursor. False when the pages do
    /// not continue from where the device stands (its cursor went back, or the answer
    /// is of another epoch): their changes are recorded — a change already held is
    /// skipped — but the device pulls that stretch again rather than skip what lies
    /// between.
    pub move_cursor: bool,
}

/// Fits `answer` to a device whose epoch is `epoch` and whose pull cursor is `cursor`.
pub fn fit_answer(epoch: &str, cursor: Option<Cursor>, answer: &AnswerBundle) -> AnswerFit {
    let everything = 0..answer.pages.len();
    if answer.status.epoch == epoch {
        let current = cursor.unwrap_or(Cursor::START);
        let first = answer.pages.partition_point(|page| page.cursor <= current);
        AnswerFit {
            restart: false,
            acknowledge: true,
            pages: first..answer.pages.len(),
            move_cursor: answer.from <= current,
        }
    } else if answer.device_epoch == epoch {
        // The server saw the bundle's epoch was not its own and pulled from the start.
        AnswerFit { restart: true, acknowledge: true, pages: everything, move_cursor: answer.from == Cursor::START }
    } else {
        AnswerFit { restart: false, acknowledge: false, pages: everything, move_cursor: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{Refusal, ScopeSummary, StatusResponse};

    fn answer(server_epoch: &str, device_epoch: &str, from: (u64, i64), pages: &[(u64, i64)]) -> AnswerBundle {
        let cursor = |(txid, id): (u64, i64)| Cursor { txid, id };
        AnswerBundle {
            bundle_id: "b".to_owned(),
            device_id: "d".to_owned(),
            device_epoch: device_epoch.to_owned(),
            written_ms: 0,
            pushes: vec![],
            push_problem: None,
            from: cursor(from),
            pages: pages
                .iter()
                .map(|page| PullResponse {
                    epoch: server_epoch.to_owned(),
                    changes: vec![],
                    cursor: cursor(*page),
                    more: false,
                })
                .collect(),
            status: StatusResponse {
                epoch: server_epoch.to_owned(),
                device_id: "d".to_owned(),
                acknowledged: 0,
                scope: ScopeSummary::default(),
                server_time_ms: 0,
                supported: crate::SUPPORTED,
                audit: None,
                bundle_key: None,
                read_only: Vec::new(),
                removals: Vec::new(),
                user_devices: Vec::new(),
            },
        }
    }

    #[test]
    fn an_answer_applies_what_lies_past_the_device_and_never_skips_a_stretch() {
        let pages = [(10, 1), (20, 2), (30, 3)];
        let fit = |restart, acknowledge, pages: Range<usize>, move_cursor| AnswerFit {
            restart,
            acknowledge,
            pages,
            move_cursor,
        };
        // (device epoch, device cursor, answer, what happens)
        let cases = [
            // The usual: the device stands where its bundle left.
            ("e", Some((5, 0)), answer("e", "e", (5, 0), &pages), fit(false, true, 0..3, true)),
            ("e", None, answer("e", "e", (0, 0), &pages), fit(false, true, 0..3, true)),
            // Imported again, or after a later answer or a network sync: nothing twice.
            ("e", Some((30, 3)), answer("e", "e", (5, 0), &pages), fit(false, true, 3..3, true)),
            ("e", Some((20, 2)), answer("e", "e", (5, 0), &pages), fit(false, true, 2..3, true)),
            // The device's cursor went back since (a checksum repair): record the
            // changes but keep the cursor, so what lies before `from` is pulled too.
            ("e", None, answer("e", "e", (5, 0), &pages), fit(false, true, 0..3, false)),
            // The server was restored since the device last knew it.
            ("e", Some((5, 0)), answer("f", "e", (0, 0), &pages), fit(true, true, 0..3, true)),
            // The device has met the restored server since: the answer is of a past epoch.
            ("f", Some((40, 1)), answer("e", "e", (5, 0), &pages), fit(false, false, 0..3, false)),
        ];
        for (epoch, cursor, answer, expected) in cases {
            let cursor = cursor.map(|(txid, id)| Cursor { txid, id });
            assert_eq!(fit_answer(epoch, cursor, &answer), expected, "{epoch} {cursor:?} from {:?}", answer.from);
        }
    }

    fn outbox(sizes: &[usize]) -> Vec<Pending> {
        sizes.iter().enumerate().map(|(i, bytes)| Pending { seq: i as i64 + 1, bytes: *bytes }).collect()
    }

    #[test]
    // The expected values are lists of batches; some lists hold one batch.
    #[allow(clippy::single_range_in_vec_init)]
    fn batches_start_above_the_high_water_mark_and_keep_their_limits() {
        let limits = BatchLimits { max_changes: 3, max_bytes: 100 };
        type Case<'a> = (i64, &'a [usize], &'a [Range<usize>]);
        let cases: &[Case] = &[
            (0, &[], &[]),
            (0, &[10, 10, 10, 10, 10, 10, 10], &[0..3, 3..6, 6..7]),
            (2, &[10, 10, 10, 10], &[2..4]),
            (4, &[10, 10, 10, 10], &[]),
            (0, &[60, 60, 30, 10], &[0..1, 1..4]),
            (0, &[500, 10, 10], &[0..1, 1..3]),
            (0, &[10, 500, 10], &[0..1, 1..2, 2..3]),
            (0, &[100, 1], &[0..1, 1..2]),
        ];
        for (acknowledged, sizes, expected) in cases {
            assert_eq!(push_batches(*acknowledged, &outbox(sizes), limits), *expected, "{acknowledged} {sizes:?}");
        }
    }

    #[test]
    fn a_push_answer_moves_the_mark_and_names_refusals() {
        let response = PushResponse {
            epoch: "e".to_owned(),
            acknowledged: 10,
            stored: 9,
            duplicates: 0,
            refused: vec![Refusal { seq: 7, kind: RefusalKind::TooLong, field: None, detail: String::new() }],
        };
        assert_eq!(
            after_push(10, &response),
            PushOutcome { acknowledged: 10, refused: vec![(7, RefusalKind::TooLong)], complete: true }
        );
        assert!(!after_push(12, &response).complete, "a short acknowledgement means: send the rest again");
    }

    #[test]
    fn problems_map_to_one_recovery_each() {
        let problem = |kind, build: fn(&mut Problem)| {
            let mut problem = Problem::new(kind);
            build(&mut problem);
            problem
        };
        let cases = [
            (problem(ProblemKind::SequenceGap, |p| p.acknowledged = Some(60)), Recovery::ResendFrom(60)),
            (problem(ProblemKind::EpochChanged, |_| {}), Recovery::StartOver),
            (problem(ProblemKind::BatchTooLarge, |p| p.max_changes = Some(100)), Recovery::SmallerBatches(100)),
            (problem(ProblemKind::Unavailable, |_| {}), Recovery::Retry),
            (problem(ProblemKind::RateLimited, |p| p.retry_after = Some(3)), Recovery::Retry),
            (problem(ProblemKind::RequestTimeout, |_| {}), Recovery::Retry),
            (problem(ProblemKind::DeviceRevoked, |_| {}), Recovery::Stop(ProblemKind::DeviceRevoked)),
            (problem(ProblemKind::ClockSkew, |_| {}), Recovery::Stop(ProblemKind::ClockSkew)),
            (problem(ProblemKind::VersionUnsupported, |_| {}), Recovery::Stop(ProblemKind::VersionUnsupported)),
        ];
        for (problem, expected) in cases {
            assert_eq!(recovery(&problem), expected, "{:?}", problem.kind);
        }
    }

    #[test]
    fn a_new_epoch_means_the_server_was_restored() {
        assert_eq!(check_epoch(None, "b"), EpochCheck::FirstContact);
        assert_eq!(check_epoch(Some("b"), "b"), EpochCheck::Same);
        assert_eq!(check_epoch(Some("a"), "b"), EpochCheck::Restored);
    }
}
