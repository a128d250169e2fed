//! Sync by USB stick, for a clinic with no connection at all: "export" writes what a
//! sync would send into a file sealed to the organisation server's bundle key,
//! someone carries it to the server (`tirek-server admin import-bundle`), and
//! "import" takes in the answer the server wrote.
//!
//! Both halves are the network sync's own steps ([`crate::sync`]): the same consent
//! clearance and push batches go into the bundle, the same reading of a push answer
//! (its mark, refusals, letter series to retire) and the same page application
//! (`sync_apply_page`, one transaction per page) take the answer in, followed by the
//! same steps after a pull. What differs is the timing — an answer may arrive days
//! later, twice, after a later answer or after a network sync — so
//! `tirek_protocol::plan::fit_answer` decides which of its pages still apply and
//! whether they move the cursor, and marks only move forward.
//!
//! The bundle carries the device's token (the server authenticates it as a request)
//! and a fresh answer key, remembered inside the encrypted profile until its answer
//! is imported; the answer opens only with that key and only on this device, and
//! the same answer imported again is recognised and changes nothing. A file name
//! carries a random id and the date, never a name.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tirek_protocol::bundle::{self, AnswerKey, BundleKind, BundlePublicKey, DeviceBundle};
use tirek_protocol::plan::{self, Recovery};
use tirek_protocol::{PROTOCOL_VERSION, Refusal, WireChange};
use tirek_store::sync::BundleAnswerState;

use crate::profiles::now_ms;
use crate::sync::{MarkMove, SyncError, clear_outbox, cursor_of};
use crate::{App, AppError, Result, SyncSummary};

/// The largest answer file read: a first sync of a large region, with room to spare.
const MAX_ANSWER_BYTES: u64 = 1024 * 1024 * 1024;

/// A bundle written for the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BundleWritten {
    /// The file, `tirek-<id>-<date>.tirekbundle` in the folder asked for.
    pub path: String,
    /// How many changes it carries to the server.
    pub changes: u32,
}

/// 32 bytes of the operating system's randomness, as the store draws its keys.
fn random() -> [u8; 32] {
    *tirek_store::keys::Secret::random().expose()
}

impl App {
    /// Writes this profile's waiting changes — what a sync would send now — into a
    /// bundle in `dir`, sealed to the organisation server's bundle key, to carry to
    /// the server on a USB stick. It asks the server for its changes too: a bundle
    /// with nothing to send still brings the answer back. Works without any
    /// connection, for any enrolled profile whose server gave it its bundle key.
    pub fn sync_bundle_export(&self, dir: &Path) -> Result<BundleWritten> {
        let _one_at_a_time = self.one_sync_at_a_time();
        let (enrolment, device_id) =
            self.with_profile(|open, _| Ok((open.sync_enrolment()?, open.device_id().to_owned())))?;
        let enrolment = enrolment.ok_or(AppError::Sync(SyncError::NotEnrolled))?;
        let server = enrolment
            .bundle_key
            .as_deref()
            .and_then(BundlePublicKey::from_hex)
            .ok_or(AppError::Sync(SyncError::BundleNoKey))?;
        self.clear_for_sending()?;
        let limits = self.sync_settings().tuning.batch;
        let outgoing = self.outgoing(limits, None, None)?;
        let changes = outgoing.changes();
        let bundle_id: String = random()[..16].iter().map(|b| format!("{b:02x}")).collect();
        let written = now_ms();
        let bundle = DeviceBundle {
            bundle_id: bundle_id.clone(),
            protocol: PROTOCOL_VERSION,
            app_version: Some(crate::sync::APP_VERSION.to_owned()),
            device_id,
            token: enrolment.token.clone(),
            written_ms: written,
            epoch: enrolment.epoch.clone(),
            acknowledged: outgoing.acknowledged,
            cursor: cursor_of(&enrolment),
            batches: outgoing.requests().collect(),
            answer_key: AnswerKey::from_bytes(random()),
        };
        // Only a server key of low order fails here: not a key the server made.
        let sealed =
            bundle::seal_for_server(&bundle, &server, random()).map_err(|_| AppError::Sync(SyncError::BundleNoKey))?;
        let date = tirek_domain::date::Date::in_kazakhstan(written).to_string();
        let path = dir.join(bundle::file_name(BundleKind::ToServer, &bundle_id, &date));
        // Remembered first: a file whose answer could not be opened is worse than a
        // key kept for a file the disk refused.
        let key = &bundle.answer_key;
        self.with_profile(|open, _| {
            Ok(open.sync_bundle_written(&key.id(), key.as_bytes(), &bundle_id, changes, written)?)
        })?;
        tirek_store::documents::save(&path, &sealed)?;
        tracing::info!(changes, "sync bundle written");
        Ok(BundleWritten { path: path.display().to_string(), changes: changes as u32 })
    }

    /// Imports the server's answer to a bundle this profile wrote: the server's
    /// acknowledgements and refusals of what the bundle carried, and the other
    /// devices' changes, page by page. An answer for another device or profile, or
    /// one damaged on the way, is refused and nothing of it applied; a full disk
    /// leaves each page applied whole or not at all, and importing the same answer
    /// again carries on. Once it is all in, importing it again changes nothing and
    /// says so (`already_imported`).
    pub fn sync_bundle_import(&self, path: &Path) -> Result<SyncSummary> {
        let _one_at_a_time = self.one_sync_at_a_time();
        let sealed = tirek_store::documents::read_bytes(path, MAX_ANSWER_BYTES)?;
        let refuse = |err: bundle::BundleError| AppError::Sync(SyncError::from_bundle(&err));
        let key_id = bundle::answer_key_id(&sealed).map_err(refuse)?;
        let (enrolment, device_id, state) = self.with_profile(|open, _| {
            Ok((open.sync_enrolment()?, open.device_id().to_owned(), open.sync_bundle_answer(&key_id)?))
        })?;
        let enrolment = enrolment.ok_or(AppError::Sync(SyncError::NotEnrolled))?;
        let (key, sent) = match state {
            None => return Err(AppError::Sync(SyncError::BundleOtherDevice)),
            Some(BundleAnswerState::Imported(_)) => {
                tracing::info!("a sync bundle's answer imported again: nothing to do");
                return Ok(SyncSummary { already_imported: true, ..SyncSummary::default() });
            }
            Some(BundleAnswerState::Waiting { key, changes }) => (AnswerKey::from_bytes(*key), changes),
        };
        let answer = bundle::open_answer(&sealed, &key, &device_id).map_err(refuse)?;
        let fit = plan::fit_answer(&enrolment.epoch, cursor_of(&enrolment), &answer);
        let mut summary = SyncSummary::default();

        if fit.restart {
            tracing::warn!("the server was restored: starting again from its mark");
            let status = &answer.status;
            self.with_profile(|open, _| Ok(open.sync_restart(&status.epoch, status.acknowledged)?))?;
        }
        if fit.acknowledge {
            summary.pushed = sent as u32;
            for push in &answer.pushes {
                let refused = self.refused_changes(&push.refused)?;
                self.take_push_answer(&refused, push, MarkMove::ForwardOnly, &mut summary)?;
            }
        }
        let stopped = match answer.push_problem.as_ref().map(|problem| (problem, plan::recovery(problem))) {
            Some((_, Recovery::ResendFrom(mark))) if fit.acknowledge => {
                self.with_profile(|open, _| Ok(open.sync_lower_mark(mark)?))?;
                None
            }
            Some((problem, Recovery::Stop(_))) => Some(SyncError::from_problem(problem)),
            _ => None,
        };
        let complete = answer.pages.last().is_none_or(|page| !page.more);
        for page in answer.pages[fit.pages.clone()].iter().cloned() {
            self.take_page(page, fit.move_cursor, &mut summary)?;
        }
        if let Some(key) = answer.status.bundle_key.as_deref().and_then(BundlePublicKey::from_hex) {
            self.with_profile(|open, _| Ok(open.sync_set_bundle_key(&key.to_hex())?))?;
        }
        self.with_profile(|open, _| Ok(open.sync_set_own_devices(&answer.status.user_devices)?))?;
        // What these write goes with the next bundle or sync.
        self.after_pull()?;
        summary.in_step = fit.acknowledge && fit.move_cursor && complete && self.holds(answer.status.scope)?;
        let finished = now_ms();
        summary.acknowledged = self.with_profile(|open, _| {
            open.sync_bundle_answered(&key_id, finished)?;
            open.sync_finished(finished)?;
            Ok(open.sync_enrolment()?.map_or(0, |e| e.acknowledged))
        })?;
        summary.waiting_for_consent = self.with_profile(|open, _| Ok(clear_outbox(open)?.waiting() as u32))?;
        tracing::info!(
            pushed = summary.pushed,
            pulled = summary.pulled,
            refused = summary.refused.len(),
            in_step = summary.in_step,
            "sync bundle's answer imported"
        );
        match stopped {
            Some(err) => Err(AppError::Sync(err)),
            None => Ok(summary),
        }
    }

    /// This device's changes the server refused, as they went: the refusals name
    /// only wire numbers, and the letter series and the words shown need the change.
    fn refused_changes(&self, refused: &[Refusal]) -> Result<Vec<WireChange>> {
        let Some(first) = refused.iter().map(|refusal| refusal.seq).min() else { return Ok(Vec::new()) };
        let sent = self.with_profile(|open, _| Ok(open.sync_outbox(first - 1)?))?;
        Ok(sent
            .iter()
            .filter(|change| refused.iter().any(|refusal| refusal.seq == change.seq))
            .map(WireChange::from_record)
            .collect())
    }
}
