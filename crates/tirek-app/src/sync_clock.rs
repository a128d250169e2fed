//! When the background sync runs: after unlock, a little after each save, when the
//! connection returns, every few minutes to fetch the other devices' changes, and —
//! while the server cannot be reached — after waits that grow with each failure,
//! shuffled so that a clinic's computers do not all knock at once.
//!
//! Pure: the time and the shuffle come in as arguments, so the rules are tested
//! without a clock; `App::sync_in_background` drives it.

/// A sync this long after the last save (saves come field by field while typing).
pub const DEBOUNCE_MS: i64 = 5_000;

/// However often she saves, a sync at most this long after the first unsent save.
pub const DEBOUNCE_LIMIT_MS: i64 = 60_000;

/// While all is well, a sync this often to fetch the other devices' changes.
pub const PERIOD_MS: i64 = 5 * 60_000;

/// The first wait after a failed sync; it doubles with each failure.
pub const BACKOFF_FIRST_MS: i64 = 5_000;

/// The longest wait between tries while the server cannot be reached.
pub const BACKOFF_MAX_MS: i64 = 5 * 60_000;

/// After an error a person must fix (a revoked computer, a changed certificate, an
/// app to update), a try this rarely, in case it was fixed on the server's side.
pub const STOPPED_RETRY_MS: i64 = 60 * 60_000;

/// While waiting after a failure, how often to look whether the server answers again.
pub const PROBE_EVERY_MS: i64 = 15_000;

/// How a sync ended, as far as the schedule is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It finished.
    Done,
    /// The server could not be reached or was busy: try again, waiting longer.
    Offline,
    /// Something a person must fix first.
    Stopped,
    /// The profile was locked midway: nothing to do until the next unlock.
    Locked,
}

/// The background sync's schedule for the unlocked profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncClock {
    /// When the next sync is due (ms), if one is.
    due_at: Option<i64>,
    /// When the first save not yet followed by a sync came (ms).
    first_save_at: Option<i64>,
    /// Failed syncs in a row that were about the connection.
    failures: u32,
    /// Whether the last sync stopped on an error a person must fix.
    stopped: bool,
    /// When the connection was last probed (ms).
    probed_at: i64,
}

impl SyncClock {
    /// A profile was unlocked: sync now.
    pub fn unlocked(now: i64) -> SyncClock {
        SyncClock { due_at: Some(now), probed_at: now, ..SyncClock::default() }
    }

    /// Something was saved: sync a little later — unless the server is known to be
    /// out of reach, when the next try or the connection's return takes it along.
    pub fn saved(&mut self, now: i64) {
        if self.failures > 0 || self.stopped {
            return;
        }
        // Saves come in a run while she types: each one of a run postpones the sync.
        let postponing = self.first_save_at.is_some();
        let first = *self.first_save_at.get_or_insert(now);
        let due = (now + DEBOUNCE_MS).min(first + DEBOUNCE_LIMIT_MS);
        self.due_at = Some(match self.due_at {
            // A sync due sooner for another reason stays so; the periodic one comes forward.
            Some(at) if !postponing => at.min(due),
            _ => due,
        });
    }

    /// Asked for by the person ("Sync now") or by the connection coming back.
    pub fn now(&mut self, now: i64) {
        self.first_save_at = None;
        self.due_at = Some(now);
    }

    /// Whether a sync is due.
    pub fn is_due(&self, now: i64) -> bool {
        self.due_at.is_some_and(|at| at <= now)
    }

    /// When the next sync is due (ms), for the status.
    pub fn due_at(&self) -> Option<i64> {
        self.due_at
    }

    /// Whether the last syncs could not reach the server.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Whether to look now if the server answers again (only while waiting after a
    /// failure, and not more often than [`PROBE_EVERY_MS`]).
    pub fn should_probe(&mut self, now: i64) -> bool {
        if self.failures == 0 || self.stopped || now - self.probed_at < PROBE_EVERY_MS {
            return false;
        }
        self.probed_at = now;
        true
    }

    /// A sync ended. `shuffle` in [0, 1) spreads the waits after failures.
    pub fn finished(&mut self, now: i64, outcome: Outcome, shuffle: f64) {
        self.first_save_at = None;
        match outcome {
            Outcome::Done => {
                self.failures = 0;
                self.stopped = false;
                self.due_at = Some(now + PERIOD_MS);
            }
            Outcome::Offline => {
                self.failures = self.failures.saturating_add(1);
                self.stopped = false;
                self.probed_at = now;
                self.due_at = Some(now + backoff(self.failures, shuffle));
            }
            Outcome::Stopped => {
                self.failures = 0;
                self.stopped = true;
                self.due_at = Some(now + STOPPED_RETRY_MS);
            }
            Outcome::Locked => self.due_at = None,
        }
    }
}

/// The wait after `failures` failed tries in a row: doubling from
/// [`BACKOFF_FIRST_MS`] up to [`BACKOFF_MAX_MS`], then between half of it and all
/// of it as `shuffle` says ("equal jitter").
pub fn backoff(failures: u32, shuffle: f64) -> i64 {
    let doublings = failures.saturating_sub(1).min(20);
    let full = BACKOFF_FIRST_MS.saturating_mul(1 << doublings).min(BACKOFF_MAX_MS);
    let shuffle = shuffle.clamp(0.0, 1.0);
    full / 2 + (full as f64 / 2.0 * shuffle) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sync_runs_at_unlock_and_then_every_few_minutes() {
        let mut clock = SyncClock::unlocked(1_000);
        assert!(clock.is_due(1_000));
        clock.finished(2_000, Outcome::Done, 0.5);
        assert!(!clock.is_due(2_000 + PERIOD_MS - 1));
        assert!(clock.is_due(2_000 + PERIOD_MS));
    }

    #[test]
    fn saves_are_sent_shortly_after_typing_stops_and_never_held_back_for_long() {
        let mut clock = SyncClock::unlocked(0);
        clock.finished(0, Outcome::Done, 0.5);
        // A save every two seconds for two minutes: each postpones the sync, but not
        // beyond a minute after the first.
        let mut first_due = None;
        for at in (10_000..130_000).step_by(2_000) {
            clock.saved(at);
            if clock.is_due(at) && first_due.is_none() {
                first_due = Some(at);
            }
        }
        assert_eq!(first_due, Some(10_000 + DEBOUNCE_LIMIT_MS));
        // One save alone goes out once typing has stopped for the debounce time.
        let mut clock = SyncClock::unlocked(0);
        clock.finished(0, Outcome::Done, 0.5);
        clock.saved(50_000);
        assert!(!clock.is_due(50_000 + DEBOUNCE_MS - 1));
        assert!(clock.is_due(50_000 + DEBOUNCE_MS));
    }

    #[test]
    fn failures_wait_longer_each_time_up_to_a_limit_and_saves_do_not_hammer() {
        let mut clock = SyncClock::unlocked(0);
        let mut now = 0;
        let mut waits = Vec::new();
        for _ in 0..10 {
            clock.finished(now, Outcome::Offline, 1.0);
            let due = clock.due_at().unwrap();
            waits.push(due - now);
            // Saving while offline does not bring the next try forward.
            clock.saved(now + 1);
            assert_eq!(clock.due_at(), Some(due));
            now = due;
        }
        assert_eq!(waits[0], BACKOFF_FIRST_MS);
        assert!(waits.windows(2).all(|w| w[1] >= w[0]), "{waits:?}");
        assert_eq!(*waits.last().unwrap(), BACKOFF_MAX_MS);
        // Success resets the schedule.
        clock.finished(now, Outcome::Done, 0.5);
        assert_eq!(clock.failures(), 0);
        assert_eq!(clock.due_at(), Some(now + PERIOD_MS));
    }

    #[test]
    fn the_shuffle_spreads_a_wait_between_half_and_all_of_it() {
        assert_eq!(backoff(1, 0.0), BACKOFF_FIRST_MS / 2);
        assert_eq!(backoff(1, 1.0), BACKOFF_FIRST_MS);
        assert_eq!(backoff(3, 0.5), 4 * BACKOFF_FIRST_MS * 3 / 4);
        assert_eq!(backoff(u32::MAX, 1.0), BACKOFF_MAX_MS);
        assert!(backoff(2, 0.3) != backoff(2, 0.7));
    }

    #[test]
    fn the_connection_is_probed_only_while_waiting_after_a_failure() {
        let mut clock = SyncClock::unlocked(0);
        assert!(!clock.should_probe(PROBE_EVERY_MS * 2), "all is well: no probing");
        clock.finished(0, Outcome::Offline, 0.5);
        assert!(!clock.should_probe(PROBE_EVERY_MS - 1));
        assert!(clock.should_probe(PROBE_EVERY_MS));
        assert!(!clock.should_probe(PROBE_EVERY_MS + 1), "not again at once");
        // The connection is back: sync now.
        clock.now(PROBE_EVERY_MS + 2);
        assert!(clock.is_due(PROBE_EVERY_MS + 2));
    }

    #[test]
    fn an_error_to_fix_is_retried_rarely_and_a_lock_stops_the_schedule() {
        let mut clock = SyncClock::unlocked(0);
        clock.finished(10, Outcome::Stopped, 0.5);
        assert_eq!(clock.due_at(), Some(10 + STOPPED_RETRY_MS));
        clock.saved(20);
        assert_eq!(clock.due_at(), Some(10 + STOPPED_RETRY_MS), "saves do not retry a stopped sync");
        assert!(!clock.should_probe(10 + PROBE_EVERY_MS * 2));
        clock.now(30);
        assert!(clock.is_due(30), "the person can always ask");
        clock.finished(40, Outcome::Locked, 0.5);
        assert_eq!(clock.due_at(), None);
    }
}
