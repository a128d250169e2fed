//! Sync as the window runs it: on its own in the background ([`SyncClock`] says
//! when), one at a time, with what it is doing and how it last ended kept for the
//! status line — the progress of a long sync, the error in words, when it tries
//! again.
//!
//! The window's timer thread calls [`App::sync_in_background`] every second; the
//! sync itself is [`App::sync_now`], the same the command line runs. Nothing here
//! holds the profile for longer than one store step, so typing and saving go on
//! during a sync; locking ends it at its next step, and the next unlock starts
//! afresh.

use serde::{Deserialize, Serialize};

use crate::profiles::now_ms;
use crate::sync::{SyncError, SyncSummary};
use crate::sync_clock::{Outcome, SyncClock};
use crate::{App, AppError, Result};

/// What the sync is doing now, and how it last ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncActivity {
    /// Whether a sync is running now.
    pub running: bool,
    /// What it does now: `sending`, `receiving` or `checking`.
    pub phase: Option<String>,
    /// How many changes of this phase are done…
    pub done: u32,
    /// …of about how many (0: not known yet).
    pub total: u32,
    /// Why the last sync did not finish, if it did not.
    pub problem: Option<SyncProblem>,
    /// When the background sync tries next (ms since 1970), if it will.
    pub next_try_ms: Option<f64>,
}

/// Why a sync did not finish, for the status line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncProblem {
    /// Stable: `no_connection`, `certificate_changed`, `device_revoked`,
    /// `update_needed`, `clock`, `diverged`, `server`, `other`.
    pub kind: String,
    /// What happened and what to do, translated.
    pub message: String,
    /// When (ms since 1970).
    pub at_ms: f64,
    /// Whether the background sync tries again by itself (the connection) rather
    /// than waiting for someone to fix something.
    pub retrying: bool,
}

/// The background sync's state for the unlocked profile.
#[derive(Debug, Default)]
pub(crate) struct Background {
    /// The profile the schedule is for, and its schedule; `None` while locked or
    /// not enrolled.
    clock: Option<(String, SyncClock)>,
    /// The number of the profile's latest own change when last looked.
    seen_seq: i64,
    pub(crate) activity: SyncActivity,
}

impl App {
    /// One step of the background sync, called about every second by the window:
    /// notices an unlock, a save, the connection's return and the time for the next
    /// sync, and runs it when one is due (in the caller's thread). Returns what that
    /// sync did, if one ran.
    pub fn sync_in_background(&self) -> Option<Result<SyncSummary>> {
        let now = now_ms();
        let Some(profile) = self.unlocked_profile() else {
            self.background().clock = None;
            return None;
        };
        let Ok((Some(enrolment), last_seq)) =
            self.with_profile(|open, _| Ok((open.sync_enrolment()?, open.last_own_seq()?)))
        else {
            self.background().clock = None;
            return None;
        };
        let (due, probe) = {
            let mut background = self.background();
            let background = &mut *background;
            if background.clock.as_ref().is_none_or(|(id, _)| *id != profile.id) {
                background.clock = Some((profile.id.clone(), SyncClock::unlocked(now)));
                background.seen_seq = last_seq;
            }
            let (_, clock) = background.clock.as_mut().expect("set just above");
            if last_seq > background.seen_seq {
                background.seen_seq = last_seq;
                clock.saved(now);
            }
            background.activity.next_try_ms = clock.due_at().map(|at| at as f64);
            if enrolment.paused {
                return None;
            }
            (clock.is_due(now), clock.should_probe(now))
        };
        if !due && probe && crate::sync_probe::answers(&enrolment.server_url) {
            tracing::info!("the server answers again: syncing");
            self.sync_soon();
        } else if !due {
            return None;
        }
        let result = self.sync_now();
        let outcome = match &result {
            Ok(_) => Outcome::Done,
            Err(AppError::Locked) => Outcome::Locked,
            Err(AppError::Sync(err)) if err.is_offline() => Outcome::Offline,
            Err(AppError::Sync(_)) => Outcome::Stopped,
            // The disk, a busy database: worth trying again, later each time.
            Err(_) => Outcome::Offline,
        };
        let mut background = self.background();
        if let Some((_, clock)) = background.clock.as_mut() {
            clock.finished(now_ms(), outcome, shuffle());
            let next = clock.due_at().map(|at| at as f64);
            background.activity.next_try_ms = next;
        }
        Some(result)
    }

    /// Asks the background sync to run at its next step ("Sync now").
    pub fn sync_soon(&self) {
        if let Some((_, clock)) = self.background().clock.as_mut() {
            clock.now(now_ms());
        }
    }

    /// Pauses the background sync of the unlocked profile, or lets it go on; the
    /// choice is kept in the profile. "Sync now" still works while paused.
    pub fn sync_set_paused(&self, paused: bool) -> Result<()> {
        self.with_profile(|open, _| {
            open.sync_enrolment()?.ok_or(AppError::Sync(SyncError::NotEnrolled))?;
            Ok(open.sync_set_paused(paused)?)
        })?;
        if !paused {
            self.sync_soon();
        }
        Ok(())
    }

    /// Disconnects the unlocked profile from its server: the token and where sync
    /// stood are forgotten, every record stays. Changes the server has not
    /// acknowledged stay on this computer only (the window offers a USB bundle first).
    pub fn sync_unenrol(&self) -> Result<()> {
        self.with_profile(|open, _| {
            open.sync_enrolment()?.ok_or(AppError::Sync(SyncError::NotEnrolled))?;
            Ok(open.sync_forget_enrolment()?)
        })?;
        let mut background = self.background();
        background.clock = None;
        background.activity = SyncActivity::default();
        tracing::info!("disconnected from the sync server");
        Ok(())
    }

    /// Notes the start of a sync: one at a time, progress from zero.
    pub(crate) fn sync_started(&self) {
        let mut background = self.background();
        background.activity.running = true;
        background.activity.phase = None;
        background.activity.done = 0;
        background.activity.total = 0;
    }

    /// Notes what the running sync is doing.
    pub(crate) fn sync_progress(&self, phase: &str, done: u32, total: u32) {
        let mut background = self.background();
        background.activity.phase = Some(phase.to_owned());
        background.activity.done = done;
        background.activity.total = total.max(done);
    }

    /// Notes how a sync ended.
    pub(crate) fn sync_ended(&self, result: &Result<SyncSummary>) {
        let messages = self.messages();
        let mut background = self.background();
        let activity = &mut background.activity;
        activity.running = false;
        activity.phase = None;
        activity.problem = match result {
            Ok(_) | Err(AppError::Locked) => None,
            Err(err) => Some(SyncProblem {
                kind: problem_kind(err).to_owned(),
                message: err.localized(&messages),
                at_ms: now_ms() as f64,
                retrying: match err {
                    AppError::Sync(sync) => sync.is_offline(),
                    _ => true,
                },
            }),
        };
    }

    pub(crate) fn sync_activity(&self) -> SyncActivity {
        self.background().activity.clone()
    }
}

/// The stable name of what stopped a sync, for the status line's look.
fn problem_kind(err: &AppError) -> &'static str {
    match err {
        AppError::Sync(SyncError::NoConnection | SyncError::ServerBusy) => "no_connection",
        AppError::Sync(SyncError::CertificateMismatch) => "certificate_changed",
        AppError::Sync(SyncError::DeviceRevoked | SyncError::Unauthenticated) => "device_revoked",
        AppError::Sync(SyncError::VersionUnsupported(_) | SyncError::UpdateRequired(_)) => "update_needed",
        AppError::Sync(SyncError::ClockRefused) => "clock",
        AppError::Sync(SyncError::DeviceDiverged) => "diverged",
        AppError::Sync(SyncError::ServerError | SyncError::Garbage) => "server",
        _ => "other",
    }
}

/// A number in [0, 1) to spread the waits after failures.
fn shuffle() -> f64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    // Each `RandomState` is keyed afresh from the system's randomness.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_i64(now_ms());
    (hasher.finish() % 1_000_000) as f64 / 1_000_000.0
}
