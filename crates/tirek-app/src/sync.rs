//! The headless sync driver: enrolment with the organisation's server, "sync now"
//! (push, pull, prove) and the status the window and `tirek sync status` show.
//!
//! The driver is thin around two pure parts and the store: what goes in which batch
//! and what an answer means come from `tirek_protocol::plan`; how another device's
//! change lands here is the store's `sync_apply_page` (with `tirek_domain::merge`).
//! Between the network calls the profile is taken only for the short store steps, so
//! a long sync does not hold up the window, and every step is durable on its own:
//! a sync that fails midway (a cut connection, a lost answer, a locked profile)
//! leaves nothing half-done, and the next one carries on from what is recorded.
//!
//! A sync by USB stick (`crate::bundles`) is the same sync with a file in place of
//! the connection, and shares its steps rather than copying them: what goes
//! ([`App::clear_for_sending`], [`App::outgoing`]) and what an answer means
//! ([`App::take_push_answer`], [`App::take_page`], [`App::after_pull`],
//! [`App::holds`]).
//!
//! HTTP is `ureq` 3 with rustls (ring): a blocking client keeps this crate free of an
//! async runtime. The server is trusted through the certificate pinned at enrolment
//! — the organisation's CA or the server's own — and only that; without one, the
//! bundled public roots. Plain HTTP is refused unless the server is on this computer
//! (127.0.0.1, ::1, localhost) and the app was told it is a developer's setup
//! ([`App::allow_insecure_dev_sync`], `tirek --insecure-dev`).
//!
//! Consent: a change about a client without consent to central storage stays on the
//! computer. Its wire number is given only when it is cleared to go (the store's
//! `sync_outbox`), so it holds nothing else back; an erasure or a consent's
//! withdrawal of a record the server already has always goes.

use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tirek_domain::caseload::ConsentScope;
use tirek_domain::change::FieldValue;
use tirek_i18n::{FluentArgs, Messages};
use tirek_protocol::bundle::{BundleError, BundleKind, BundlePublicKey};
use tirek_protocol::checksum::{ScopeChecksum, change_digest};
use tirek_protocol::plan::{self, BatchLimits, EpochCheck, Pending, Recovery};
use tirek_protocol::{
    APP_VERSION_HEADER, AuditHead, Cursor, EnrolRequest, EnrolResponse, PROTOCOL_HEADER, PROTOCOL_VERSION, Problem,
    ProblemKind, PullRequest, PullResponse, PushRequest, PushResponse, RefusalKind, ScopeSummary, StatusResponse,
    VersionRange, WireChange,
};
use tirek_store::OpenProfile;
use tirek_store::sync::{CandidateKind, OutboxCandidate, Outgoing, ReviewWrite, StoredRefusal, SyncEnrolment};

use crate::profiles::{BrokenLink, now_ms};
use crate::{App, AppError, Result};

/// This app's version, sent with every request ([`APP_VERSION_HEADER`]).
pub(crate) const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The largest answer read from the server; a pull page is far smaller.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// The largest certificate file accepted.
const MAX_CERTIFICATE_BYTES: u64 = 100_000;

/// How far this computer's clock may be from the server's for changes written
/// while it was set wrong to be stamped again ([`App::sync_now`]).
const CLOCK_TOLERANCE_MS: i64 = 60_000;

/// How often one sync recovers from a gap, a smaller batch or a restored server
/// before it gives up until the next sync.
const MAX_RECOVERIES: usize = 5;

/// Why a sync could not be done, each with its own translated message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// The profile is not enrolled with a server.
    NotEnrolled,
    /// The server address is not one Tirek may use.
    BadServerAddress,
    /// Plain HTTP to anything but this computer, or without the developer's flag.
    InsecureServer,
    /// The certificate file holds no certificate.
    BadCertificate,
    /// The server cannot be reached.
    NoConnection,
    /// The server's certificate is not the pinned one.
    CertificateMismatch,
    /// The enrolment code is unknown, used or expired.
    CodeInvalid,
    /// The server knows this device already.
    AlreadyEnrolled,
    /// The server does not know this device's token.
    Unauthenticated,
    /// An administrator revoked this device or disabled its user.
    DeviceRevoked,
    /// The server speaks other protocol versions: update the app.
    VersionUnsupported(Option<VersionRange>),
    /// The organisation asks for this app version or newer before syncing.
    UpdateRequired(Option<String>),
    /// The server refused changes from a clock too far ahead.
    ClockRefused,
    /// What this computer sends under its name differs from what the server holds
    /// under it: the profile was restored from an older backup or copied.
    DeviceDiverged,
    /// The server failed or is down for now.
    ServerError,
    /// The server turned this computer away for asking too often: try later.
    ServerBusy,
    /// The answer is not what the protocol says (cut off, garbled, not JSON).
    Garbage,
    /// The conflict asked about is settled already (here or on another computer),
    /// or the value chosen is not one of its versions.
    ReviewSettled,
    /// The server has not given this device its key for USB sync bundles yet.
    BundleNoKey,
    /// The file is not a Tirek sync bundle.
    BundleUnreadable,
    /// A bundle of a newer Tirek.
    BundleNewer,
    /// This device's own bundle for the server, brought back instead of the answer.
    BundleNotAnAnswer,
    /// A server's answer for another computer or profile.
    BundleOtherDevice,
    /// An answer that was cut, damaged or altered after the server wrote it.
    BundleDamaged,
}

impl SyncError {
    /// Why a bundle could not be opened, for the person importing it.
    pub(crate) fn from_bundle(err: &BundleError) -> SyncError {
        match err {
            BundleError::NotABundle | BundleError::WrongKind { found: BundleKind::Answer } => {
                SyncError::BundleUnreadable
            }
            BundleError::NewerFormat(_) => SyncError::BundleNewer,
            BundleError::WrongKind { found: BundleKind::ToServer } => SyncError::BundleNotAnAnswer,
            BundleError::OtherServer { .. } => SyncError::BundleOtherDevice,
            BundleError::Damaged | BundleError::Content(_) => SyncError::BundleDamaged,
        }
    }

    pub(crate) fn from_problem(problem: &Problem) -> SyncError {
        match problem.kind {
            ProblemKind::VersionUnsupported => SyncError::VersionUnsupported(problem.supported),
            ProblemKind::UpdateRequired => SyncError::UpdateRequired(problem.minimum_app.clone()),
            ProblemKind::Unauthenticated => SyncError::Unauthenticated,
            ProblemKind::DeviceRevoked => SyncError::DeviceRevoked,
            ProblemKind::EnrolmentCodeInvalid => SyncError::CodeInvalid,
            ProblemKind::DeviceAlreadyEnrolled => SyncError::AlreadyEnrolled,
            ProblemKind::ClockSkew => SyncError::ClockRefused,
            ProblemKind::DeviceDiverged => SyncError::DeviceDiverged,
            ProblemKind::MalformedRequest => SyncError::Garbage,
            ProblemKind::RateLimited => SyncError::ServerBusy,
            // The request came too slowly for the server: the link is the trouble.
            ProblemKind::RequestTimeout => SyncError::NoConnection,
            ProblemKind::BatchTooLarge
            | ProblemKind::SequenceGap
            | ProblemKind::EpochChanged
            | ProblemKind::Forbidden
            | ProblemKind::NotFound
            | ProblemKind::Unavailable
            | ProblemKind::Internal
            | ProblemKind::Other => SyncError::ServerError,
        }
    }

    /// The message id and its arguments.
    pub(crate) fn message(&self, messages: &Messages) -> String {
        let mut args = FluentArgs::new();
        let id = match self {
            SyncError::NotEnrolled => "error-sync-not-enrolled",
            SyncError::BadServerAddress => "error-sync-bad-address",
            SyncError::InsecureServer => "error-sync-insecure",
            SyncError::BadCertificate => "error-sync-bad-certificate",
            SyncError::NoConnection => "error-sync-no-connection",
            SyncError::CertificateMismatch => "error-sync-certificate-mismatch",
            SyncError::CodeInvalid => "error-sync-code-invalid",
            SyncError::AlreadyEnrolled => "error-sync-already-enrolled",
            SyncError::Unauthenticated => "error-sync-unauthenticated",
            SyncError::DeviceRevoked => "error-sync-device-revoked",
            SyncError::VersionUnsupported(range) => {
                args.set("supported", range.map_or_else(|| "?".to_owned(), |r| r.to_string()));
                args.set("ours", PROTOCOL_VERSION);
                "error-sync-version"
            }
            SyncError::UpdateRequired(minimum) => {
                args.set("minimum", minimum.clone().unwrap_or_else(|| "?".to_owned()));
                args.set("ours", APP_VERSION);
                "error-sync-update-required"
            }
            SyncError::ClockRefused => "error-sync-clock",
            SyncError::DeviceDiverged => "error-sync-device-diverged",
            SyncError::ServerError => "error-sync-server",
            SyncError::ServerBusy => "error-sync-busy",
            SyncError::Garbage => "error-sync-garbage",
            SyncError::ReviewSettled => "error-sync-review-settled",
            SyncError::BundleNoKey => "error-sync-bundle-no-key",
            SyncError::BundleUnreadable => "error-sync-bundle-unreadable",
            SyncError::BundleNewer => "error-sync-bundle-newer",
            SyncError::BundleNotAnAnswer => "error-sync-bundle-not-an-answer",
            SyncError::BundleOtherDevice => "error-sync-bundle-other-device",
            SyncError::BundleDamaged => "error-sync-bundle-damaged",
        };
        messages.format(id, Some(&args))
    }

    /// Whether it is about the connection (try again later) rather than something to fix.
    pub(crate) fn is_offline(&self) -> bool {
        matches!(self, SyncError::NoConnection | SyncError::ServerError | SyncError::ServerBusy)
    }

    /// The input at fault, for enrolment forms.
    pub(crate) fn field(&self) -> Option<&'static str> {
        match self {
            SyncError::BadServerAddress | SyncError::InsecureServer => Some("server"),
            SyncError::BadCertificate | SyncError::CertificateMismatch => Some("certificate"),
            SyncError::CodeInvalid => Some("code"),
            SyncError::BundleUnreadable
            | SyncError::BundleNewer
            | SyncError::BundleNotAnAnswer
            | SyncError::BundleOtherDevice
            | SyncError::BundleDamaged => Some("file"),
            _ => None,
        }
    }
}

/// What `tirek sync enrol` and the window's enrolment form ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EnrolInput {
    /// The server's address, `https://host:port`.
    pub server: String,
    /// The one-time code an administrator gave.
    pub code: String,
    /// The organisation's CA or the server's certificate (PEM) to pin.
    pub certificate_pem: Option<String>,
}

/// The outcome of an enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Enrolled {
    /// The server.
    pub server: String,
    /// The device id the server registered.
    pub device_id: String,
    /// SHA-256 of the pinned certificate, to compare with the administrator's.
    pub certificate_sha256: Option<String>,
}

/// A client named in the sync status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientRef {
    /// The client's id, to open the page.
    pub id: String,
    /// Their full name.
    pub name: String,
}

/// A change the server refused, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefusedView {
    /// The record's kind (`client`, `consultation`…).
    pub entity: String,
    /// The record.
    pub record_id: String,
    /// The client it is about, if it is about one still here.
    pub client: Option<ClientRef>,
    /// The stable reason (`record_final`…).
    pub kind: String,
    /// The field concerned.
    pub field: Option<String>,
    /// The reason, translated.
    pub reason: String,
}

/// A record marked for review: the field, the value shown and the other one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewView {
    /// The record's kind.
    pub entity: String,
    /// The record.
    pub record_id: String,
    /// The client it is about.
    pub client: Option<ClientRef>,
    /// The field two devices changed at once.
    pub field: String,
    /// The value that came later (by the clocks), shown unless changed since.
    pub later: Option<String>,
    /// The value it overwrote, kept in the history.
    pub earlier: Option<String>,
    /// Who wrote the later value, where, when.
    pub later_by: WriteOrigin,
    /// Who wrote the earlier value, where, when.
    pub earlier_by: WriteOrigin,
}

/// Who wrote one version of a field, on which computer, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WriteOrigin {
    /// Whether she wrote it: this profile, or on another computer of hers (a device
    /// of the same server user, as the server last said).
    pub by_me: bool,
    /// Whether it was written on this computer.
    pub this_computer: bool,
    /// The computer, as its id begins (the administrator's device list shows it).
    pub computer: String,
    /// When (ms since 1970), by that computer's clock.
    pub at_ms: f64,
}

/// What one "sync now" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncSummary {
    /// Changes sent (a batch sent again counts again).
    pub pushed: u32,
    /// Of those, how many the server stored now.
    pub stored: u32,
    /// Of those, how many it had already (a batch sent again).
    pub duplicates: u32,
    /// The server's high-water mark of this device now.
    pub acknowledged: i64,
    /// Changes refused in this sync, with the reasons.
    pub refused: Vec<RefusedView>,
    /// Changes of other devices recorded here.
    pub pulled: u32,
    /// New review marks.
    pub conflicts: u32,
    /// Records erased here because they were erased elsewhere.
    pub erased: u32,
    /// Records that wait for the client's consent to central storage.
    pub waiting_for_consent: u32,
    /// Clients that left this user's caseload on the server (moved to a colleague,
    /// no longer shared), removed from this computer now.
    pub removed: u32,
    /// Whether this device's scope matched the server's checksum at the end.
    pub in_step: bool,
    /// Whether the checksums differed until everything was pulled again: this
    /// computer had lost or missed changes, and now holds them.
    pub repaired: bool,
    /// A USB answer imported before: nothing was changed.
    #[serde(default)]
    pub already_imported: bool,
}

/// Where sync stands, for the status line and `tirek sync status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncStatus {
    /// Whether the profile is enrolled.
    pub enrolled: bool,
    /// The server.
    pub server: Option<String>,
    /// SHA-256 of the pinned certificate.
    pub certificate_sha256: Option<String>,
    /// When a sync last finished without an error (ms since 1970).
    pub last_sync_ms: Option<f64>,
    /// Changes waiting to go (not yet acknowledged by the server).
    pub waiting: u32,
    /// Changes the server has (stored or refused).
    pub acknowledged: u32,
    /// Refused changes with the reasons.
    pub refused: Vec<RefusedView>,
    /// Records marked for review.
    pub reviews: Vec<ReviewView>,
    /// Records that wait for the client's consent to central storage.
    pub waiting_for_consent: u32,
    /// The clients whose records stay here until they consent to central storage.
    pub consent_needed: Vec<ClientRef>,
    /// Whether the person paused the background sync.
    pub paused: bool,
    /// This computer's id with the server.
    pub device_id: Option<String>,
    /// When this profile enrolled (ms since 1970).
    pub enrolled_at_ms: Option<f64>,
    /// What the sync is doing and how it last ended.
    pub activity: crate::SyncActivity,
    /// The clients those records are about (ids): they stay on this computer
    /// until the client consents to central storage.
    pub waiting_for_consent_clients: Vec<String>,
    /// Clients moved to a colleague that this user keeps read-only (ids).
    pub read_only: Vec<String>,
}

/// What `tirek audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerdict {
    /// The first broken link, in the chain itself or against the server's witness.
    pub broken: Option<BrokenLink>,
    /// Whether the trail's end was checked against the server.
    pub witness: AuditWitness,
}

/// How the end of the audit trail was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditWitness {
    /// The profile does not sync: only the chain itself was checked.
    NotEnrolled,
    /// The server could not be reached: only the chain itself was checked.
    Unreachable,
    /// The server has not received the trail's head yet.
    NotYetSeen,
    /// Checked against the head the server saw, at row `id`.
    Checked {
        /// The furthest row the server saw.
        id: i64,
    },
}

/// The letter series to stop numbering in: those of the letters the server refused
/// because another device numbers its letters in them.
fn series_to_retire(refused: &[tirek_protocol::Refusal], sent: &[WireChange]) -> Vec<String> {
    let mut series: Vec<String> = refused
        .iter()
        .filter(|refusal| refusal.kind == RefusalKind::SeriesTaken)
        .filter_map(|refusal| sent.iter().find(|change| change.seq == refusal.seq))
        .filter_map(|change| match change.fields.get("number") {
            Some((_, tirek_protocol::WireValue::Text(number))) => tirek_domain::referral::series_of(number),
            _ => None,
        })
        .collect();
    series.sort_unstable();
    series.dedup();
    series
}

/// What goes now, in push batches ([`App::outgoing`]).
#[derive(Debug)]
pub(crate) struct OutgoingBatches {
    /// The server's mark as this device knows it: the batches start above it.
    pub(crate) acknowledged: i64,
    /// The head of the audit trail, sent with every batch.
    pub(crate) audit: Option<AuditHead>,
    /// The numbered changes above the mark, in wire order.
    pub(crate) wire: Vec<WireChange>,
    /// The batches, as ranges of `wire`.
    pub(crate) batches: Vec<std::ops::Range<usize>>,
}

impl OutgoingBatches {
    /// The batches as `/v1/push` takes them.
    pub(crate) fn requests(&self) -> impl Iterator<Item = PushRequest> + '_ {
        self.batches
            .iter()
            .map(|batch| PushRequest { changes: self.wire[batch.clone()].to_vec(), audit: self.audit.clone() })
    }

    /// How many changes go.
    pub(crate) fn changes(&self) -> usize {
        self.batches.iter().map(ExactSizeIterator::len).sum()
    }
}

/// How a push answer moves the device's record of the server's mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkMove {
    /// To what the server answered: the answer is the server's state now.
    AsAnswered,
    /// Only forward: a USB answer may be older than what the device learnt since.
    ForwardOnly,
}

/// The pull cursor an enrolment holds; an unreadable one is the start.
pub(crate) fn cursor_of(enrolment: &SyncEnrolment) -> Option<Cursor> {
    enrolment.pull_cursor.as_deref().and_then(|cursor| cursor.parse::<Cursor>().ok())
}

/// How many batches' worth of the outbox a push reads at a time.
const PUSH_STRETCH: usize = 8;

/// Whether a candidate change may leave now (`None`: it waits for consent).
fn clearance(candidate: &OutboxCandidate, consents: &dyn Fn(&str) -> bool) -> Option<Outgoing> {
    let consented = candidate.clients.iter().all(|client| consents(client));
    match candidate.kind {
        CandidateKind::Blanked => Some(Outgoing::KeepLocal),
        // An erasure or a deletion of what the server has must reach it, consent or not.
        CandidateKind::Erase | CandidateKind::Delete if candidate.on_server => Some(Outgoing::Send),
        // An erased client's records never went: nothing to tell.
        CandidateKind::Erase if !consented => Some(Outgoing::KeepLocal),
        // A consent's withdrawal must reach the server that holds the consent.
        CandidateKind::Write if candidate.entity == "consent" && candidate.on_server => Some(Outgoing::Send),
        _ if consented => Some(Outgoing::Send),
        _ => None,
    }
}

/// What [`clear_outbox`] decided.
#[derive(Debug, Default, Clone)]
pub(crate) struct Cleared {
    /// The decisions to record.
    pub(crate) decisions: Vec<(i64, Outgoing)>,
    /// The records whose changes wait for consent…
    waiting_records: BTreeSet<(String, String)>,
    /// …and whose.
    pub(crate) clients: BTreeSet<String>,
}

impl Cleared {
    /// How many records wait for consent.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting_records.len()
    }

    /// Decides `candidates`, given the clients consenting to central storage, and
    /// adds them to what was decided.
    fn decide(&mut self, candidates: Vec<OutboxCandidate>, consenting: &BTreeSet<String>) {
        let lookup = |client: &str| consenting.contains(client);
        for candidate in candidates {
            match clearance(&candidate, &lookup) {
                Some(outgoing) => self.decisions.push((candidate.seq, outgoing)),
                None => {
                    self.clients.extend(candidate.clients.iter().filter(|client| !lookup(client)).cloned());
                    self.waiting_records.insert((candidate.entity, candidate.entity_id));
                }
            }
        }
    }
}

/// Decides every waiting change.
pub(crate) fn clear_outbox(open: &OpenProfile) -> Result<Cleared> {
    let candidates = open.sync_candidates()?;
    let mut cleared = Cleared::default();
    if !candidates.is_empty() {
        cleared.decide(candidates, &open.clients_consenting(ConsentScope::Server.code())?);
    }
    Ok(cleared)
}

/// Where a client's records stand with the server, as the caseload and the
/// client's page show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum RecordSync {
    /// The profile does not sync.
    NotSyncing,
    /// The server has every change of this computer's to them.
    OnServer,
    /// Some changes wait to go (or to be acknowledged).
    Waiting,
    /// They stay on this computer: no consent to central storage.
    ThisComputerOnly,
}

/// [`OpenProfile::sync_candidates_mark`]: the change log's last row, the candidates
/// waiting, the enrolments.
pub(crate) type CandidatesMark = (i64, i64, i64);

/// What [`clear_outbox`] decides of the changes not numbered yet, kept while they and
/// what decides them stay the same, or brought up to date by deciding only what was
/// written since ([`App::with_profile_and_marks`]): with the profile's
/// `change_clients`, where the records the window shows stand with the server.
#[derive(Debug, Default, Clone)]
pub(crate) struct SyncMarks {
    enrolled: bool,
    outbox: Cleared,
}

/// Where the records of the clients on a screen stand with the server.
pub(crate) struct ShownMarks<'m> {
    marks: &'m SyncMarks,
    /// The shown clients with a change the server has not acknowledged.
    waiting_clients: BTreeSet<String>,
}

impl SyncMarks {
    /// Works them out: a walk of the changes not numbered yet (every change until a
    /// new enrolment's first push numbers them; then those waiting for consent).
    fn of(open: &OpenProfile) -> Result<SyncMarks> {
        if open.sync_enrolment()?.is_none() {
            return Ok(SyncMarks::default());
        }
        Ok(SyncMarks { enrolled: true, outbox: clear_outbox(open)? })
    }

    /// These marks, worked out at candidates mark `at`, brought up to `now` by
    /// deciding only the candidates written since — when nothing written since can
    /// change what was decided of the earlier ones (no consent, no attendance, no
    /// erasure or deletion, no record moved to another client, nothing pulled, no
    /// candidate numbered or gone). `None` when the whole walk is needed: after a
    /// save on a caseload with many changes held for consent, the status answers
    /// at once instead of deciding all of them again.
    fn brought_up_to(self, open: &OpenProfile, at: CandidatesMark, now: CandidatesMark) -> Result<Option<SyncMarks>> {
        let ((rows_then, waiting_then, enrolled_then), (rows_now, waiting_now, enrolled_now)) = (at, now);
        if !self.enrolled || enrolled_now != enrolled_then || rows_now <= rows_then || waiting_now < waiting_then {
            return Ok(None);
        }
        let since = open.sync_written_since(rows_then)?;
        if since.relinks
            || since.entities.contains("consent")
            || since.candidates.len() as i64 != waiting_now - waiting_then
        {
            return Ok(None);
        }
        let mut outbox = self.outbox;
        if !since.candidates.is_empty() {
            outbox.decide(since.candidates, &open.clients_consenting(ConsentScope::Server.code())?);
        }
        Ok(Some(SyncMarks { enrolled: true, outbox }))
    }

    /// For a screen showing `clients`.
    pub(crate) fn shown<'m>(&'m self, open: &OpenProfile, clients: &[&str]) -> Result<ShownMarks<'m>> {
        let waiting_clients = if self.enrolled { open.sync_clients_waiting(clients)? } else { BTreeSet::new() };
        Ok(ShownMarks { marks: self, waiting_clients })
    }

    /// Of `ids`, the records about client `client` with changes the server does not
    /// have yet.
    pub(crate) fn waiting<'a>(
        &self,
        open: &OpenProfile,
        client: &str,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<String>> {
        if !self.enrolled {
            return Ok(Vec::new());
        }
        let waiting = open.sync_records_waiting(client)?;
        Ok(ids.into_iter().filter(|id| waiting.contains(*id)).map(str::to_owned).collect())
    }
}

impl ShownMarks<'_> {
    /// Where client `id`'s records stand (one of the clients shown).
    pub(crate) fn client(&self, id: &str) -> RecordSync {
        if !self.marks.enrolled {
            RecordSync::NotSyncing
        } else if self.marks.outbox.clients.contains(id) {
            RecordSync::ThisComputerOnly
        } else if self.waiting_clients.contains(id) {
            RecordSync::Waiting
        } else {
            RecordSync::OnServer
        }
    }
}

fn value_text(value: &FieldValue) -> Option<String> {
    match value {
        FieldValue::Null => None,
        FieldValue::Integer(n) => Some(n.to_string()),
        FieldValue::Text(text) => Some(text.clone()),
    }
}

fn refusal_reason(kind: &str, messages: &Messages) -> String {
    let id = format!("sync-refused-{}", kind.replace('_', "-"));
    let text = messages.get(&id);
    if text == id { messages.get("sync-refused-other") } else { text }
}

fn refusal_name(kind: RefusalKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The SHA-256 of the first certificate in `pem`, hex, or `None` if it holds none.
fn certificate_fingerprint(pem: &str) -> Option<String> {
    let certificate = ureq::tls::parse_pem(pem.as_bytes()).find_map(|item| match item {
        Ok(ureq::tls::PemItem::Certificate(certificate)) => Some(certificate),
        _ => None,
    })?;
    Some(Sha256::digest(certificate.der()).iter().map(|b| format!("{b:02x}")).collect())
}

/// Checks a server address: `https://…`, or `http://` to this computer when allowed.
pub(crate) fn check_server_url(url: &str, insecure_dev: bool) -> std::result::Result<String, SyncError> {
    let url = url.trim().trim_end_matches('/');
    let (scheme, rest) = url.split_once("://").ok_or(SyncError::BadServerAddress)?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || rest.contains(['?', '#', ' ']) || rest.contains('/') {
        return Err(SyncError::BadServerAddress);
    }
    let hostname = if host.starts_with('[') {
        host.split_once(']').map_or(host, |(name, _)| name).trim_start_matches('[')
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_owned()),
        "http" if insecure_dev && matches!(hostname, "127.0.0.1" | "::1" | "localhost") => Ok(url.to_owned()),
        "http" => Err(SyncError::InsecureServer),
        _ => Err(SyncError::BadServerAddress),
    }
}

/// One server, as the driver talks to it.
struct Remote {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
}

/// What a request can come back with besides its answer.
enum Failure {
    /// A problem body: the server refused the request.
    Problem(Box<Problem>),
    /// Anything else.
    Sync(SyncError),
}

impl From<SyncError> for Failure {
    fn from(err: SyncError) -> Self {
        Failure::Sync(err)
    }
}

fn transport_error(err: &ureq::Error) -> SyncError {
    use ureq::Error as E;
    match err {
        E::Tls(_) | E::Rustls(_) | E::Pem(_) => SyncError::CertificateMismatch,
        // rustls reports a certificate it does not trust through the socket's error.
        E::Io(io) => match io.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
            Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented) => {
                SyncError::CertificateMismatch
            }
            Some(_) => SyncError::Garbage,
            None if io.kind() == std::io::ErrorKind::InvalidData => SyncError::Garbage,
            None => SyncError::NoConnection,
        },
        E::Protocol(_) | E::BodyExceedsLimit(_) => SyncError::Garbage,
        _ => SyncError::NoConnection,
    }
}

impl Remote {
    fn new(base: &str, certificate_pem: Option<&str>, token: Option<String>) -> std::result::Result<Remote, SyncError> {
        use ureq::tls::{RootCerts, TlsConfig, TlsProvider};
        let roots = match certificate_pem {
            Some(pem) => {
                let certificates: Vec<_> = ureq::tls::parse_pem(pem.as_bytes())
                    .filter_map(|item| match item {
                        Ok(ureq::tls::PemItem::Certificate(certificate)) => Some(certificate),
                        _ => None,
                    })
                    .collect();
                if certificates.is_empty() {
                    return Err(SyncError::BadCertificate);
                }
                RootCerts::Specific(Arc::new(certificates))
            }
            None => RootCerts::WebPki,
        };
        let tls = TlsConfig::builder().provider(TlsProvider::Rustls).root_certs(roots).build();
        let config = ureq::Agent::config_builder()
            .tls_config(tls)
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(15)))
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("tirek/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Remote { agent: config.into(), base: base.to_owned(), token })
    }

    fn call<B: Serialize, T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: Option<&B>,
    ) -> std::result::Result<T, Failure> {
        let body = body.map(encode).transpose()?;
        self.send(path, body.as_deref())
    }

    /// Sends a body [`encode`]d before (a POST), or none (a GET).
    fn send<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        gzipped: Option<&[u8]>,
    ) -> std::result::Result<T, Failure> {
        let url = format!("{}{path}", self.base);
        let bearer = self.token.as_ref().map(|token| format!("Bearer {token}"));
        let sent = match gzipped {
            Some(gzipped) => {
                let mut request = self
                    .agent
                    .post(&url)
                    .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                    .header(APP_VERSION_HEADER, APP_VERSION)
                    .header("content-type", "application/json")
                    .header("content-encoding", "gzip");
                if let Some(bearer) = &bearer {
                    request = request.header("authorization", bearer);
                }
                request.send(gzipped)
            }
            None => {
                let mut request = self
                    .agent
                    .get(&url)
                    .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                    .header(APP_VERSION_HEADER, APP_VERSION);
                if let Some(bearer) = &bearer {
                    request = request.header("authorization", bearer);
                }
                request.call()
            }
        };
        let mut response = sent.map_err(|err| {
            tracing::warn!(error = %err, path, "sync request failed");
            Failure::Sync(transport_error(&err))
        })?;
        let status = response.status().as_u16();
        let text = response.body_mut().with_config().limit(MAX_ANSWER_BYTES).read_to_string().map_err(|err| {
            tracing::warn!(error = %err, path, "sync answer unreadable");
            Failure::Sync(SyncError::Garbage)
        })?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&text).map_err(|_| Failure::Sync(SyncError::Garbage));
        }
        match serde_json::from_str::<Problem>(&text) {
            Ok(problem) => {
                tracing::info!(kind = problem.kind.name(), status, path, "sync request refused");
                Err(Failure::Problem(Box::new(problem)))
            }
            Err(_) if status >= 500 => Err(Failure::Sync(SyncError::ServerError)),
            Err(_) => Err(Failure::Sync(SyncError::Garbage)),
        }
    }
}

/// How a push of the outbox ended.
enum Pushed {
    /// Every batch acknowledged whole: nothing is left to send.
    Sent,
    /// The server acknowledged less than a batch held: plan again from its mark.
    Incomplete,
    /// The server refused a batch: recover as [`plan::recovery`] says.
    Refused(Box<Problem>),
}

/// Why a pull stopped before its last page: this computer could not write a page,
/// or the server answered with a failure.
enum Stopped {
    Here(AppError),
    Server(Failure),
}

/// The length of `value` as JSON, without keeping the JSON.
fn json_length<T: Serialize>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).map_or(0, |()| count.0)
}

/// A request body as it goes on the wire: JSON, gzipped.
fn encode<B: Serialize>(body: &B) -> std::result::Result<Vec<u8>, Failure> {
    let json = serde_json::to_vec(body).map_err(|_| SyncError::Garbage)?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gzip.write_all(&json).map_err(|_| SyncError::Garbage)?;
    Ok(gzip.finish().map_err(|_| SyncError::Garbage)?)
}

fn stop(failure: Failure) -> AppError {
    match failure {
        Failure::Problem(problem) => AppError::Sync(SyncError::from_problem(&problem)),
        Failure::Sync(err) => AppError::Sync(err),
    }
}

/// How this app syncs: the developer's plain-HTTP allowance and the step sizes.
#[derive(Debug, Default)]
pub(crate) struct SyncSettings {
    pub(crate) insecure_dev: bool,
    pub(crate) tuning: SyncTuning,
}

/// Test knobs: smaller batches make the "fails midway" cases reachable.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SyncTuning {
    pub(crate) batch: BatchLimits,
    pub(crate) page: Option<u32>,
}

impl App {
    /// Runs `body` with the open profile, its author id and what the outbox decides
    /// of its candidates — worked out again only once they, or what decides them,
    /// may have changed (the store's `sync_candidates_mark`), not at every answer
    /// of the server.
    pub(crate) fn with_profile_and_marks<T>(
        &self,
        body: impl FnOnce(&mut OpenProfile, &str, &SyncMarks) -> Result<T>,
    ) -> Result<T> {
        let mut state = self.state();
        let crate::session::State { open, sync_marks, .. } = &mut *state;
        let open = open.as_mut().ok_or(AppError::Locked)?;
        let mark = open.sync_candidates_mark()?;
        let marks = match sync_marks.take() {
            Some((at, marks)) if at == mark => marks,
            Some((at, marks)) => match Arc::unwrap_or_clone(marks).brought_up_to(open, at, mark)? {
                Some(marks) => Arc::new(marks),
                None => Arc::new(SyncMarks::of(open)?),
            },
            None => Arc::new(SyncMarks::of(open)?),
        };
        *sync_marks = Some((mark, Arc::clone(&marks)));
        let author = open.summary().id.clone();
        body(open, &author, &marks)
    }

    /// Lets the sync driver use plain HTTP to a server on this computer, for a
    /// developer's setup (`tirek --insecure-dev`). Never on by default.
    pub fn allow_insecure_dev_sync(&self, allow: bool) {
        self.sync_settings().insecure_dev = allow;
    }

    /// Push batches of at most `changes` changes and pull pages of at most `page`
    /// (tests only: many small steps to fail between).
    pub fn set_sync_steps_for_tests(&self, changes: usize, page: u32) {
        let mut settings = self.sync_settings();
        settings.tuning.batch.max_changes = changes.max(1);
        settings.tuning.page = Some(page.max(1));
    }

    /// The unlocked profile's audit trail, oldest first (tests only: the window and
    /// the CLI verify it, they do not list it).
    #[doc(hidden)]
    pub fn audit_trail_for_tests(&self) -> Result<Vec<tirek_store::audit::AuditEntry>> {
        self.with_profile(|open, _| Ok(open.audit_trail()?))
    }

    /// Lets the unlocked profile's database grow by at most `pages` more pages
    /// (`None`: no limit), to meet a full disk in tests without filling one.
    #[doc(hidden)]
    pub fn limit_profile_growth_for_tests(&self, pages: Option<u64>) -> Result<()> {
        self.with_profile(|open, _| Ok(open.limit_growth_for_tests(pages)?))
    }

    /// Enrols the unlocked profile with the organisation's server using a one-time
    /// code, pinning `certificate_pem` as the only root trusted for it.
    pub fn sync_enrol(&self, input: &EnrolInput) -> Result<Enrolled> {
        let insecure_dev = self.sync_settings().insecure_dev;
        let server = check_server_url(&input.server, insecure_dev).map_err(AppError::Sync)?;
        let pem = input.certificate_pem.as_deref().filter(|pem| !pem.trim().is_empty());
        let fingerprint = match pem {
            Some(pem) => Some(certificate_fingerprint(pem).ok_or(AppError::Sync(SyncError::BadCertificate))?),
            None => None,
        };
        let (device_id, author) =
            self.with_profile(|open, author| Ok((open.device_id().to_owned(), author.to_owned())))?;
        let remote = Remote::new(&server, pem, None).map_err(AppError::Sync)?;
        let request = EnrolRequest { code: input.code.clone(), device_id, author, app_version: APP_VERSION.to_owned() };
        let answer: EnrolResponse = remote.call("/v1/enrol", Some(&request)).map_err(stop)?;
        let enrolment = SyncEnrolment {
            server_url: server.clone(),
            ca_pem: pem.map(str::to_owned),
            ca_sha256: fingerprint.clone(),
            token: answer.token,
            user_id: answer.user_id,
            enrolled_at: now_ms(),
            epoch: answer.epoch,
            acknowledged: answer.continues_from.unwrap_or(0),
            pull_cursor: None,
            last_sync_at: None,
            paused: false,
            bundle_key: answer.bundle_key.as_deref().and_then(BundlePublicKey::from_hex).map(|key| key.to_hex()),
        };
        let continues = answer.continues_from.is_some();
        self.with_profile(|open, _| Ok(open.save_sync_enrolment(&enrolment, continues)?))?;
        tracing::info!(user = answer.user_id, continues, "enrolled with the sync server");
        Ok(Enrolled { server, device_id: answer.device_id, certificate_sha256: fingerprint })
    }

    /// Reads a certificate file for [`App::sync_enrol`].
    pub fn read_certificate(&self, path: &std::path::Path) -> Result<String> {
        let bytes = tirek_store::documents::read_bytes(path, MAX_CERTIFICATE_BYTES)?;
        String::from_utf8(bytes).map_err(|_| AppError::Sync(SyncError::BadCertificate))
    }

    fn remote(&self) -> Result<(Remote, SyncEnrolment)> {
        let enrolment = self.with_profile(|open, _| Ok(open.sync_enrolment()?))?;
        let enrolment = enrolment.ok_or(AppError::Sync(SyncError::NotEnrolled))?;
        Ok((self.remote_for(&enrolment)?, enrolment))
    }

    fn remote_for(&self, enrolment: &SyncEnrolment) -> Result<Remote> {
        let insecure_dev = self.sync_settings().insecure_dev;
        let server = check_server_url(&enrolment.server_url, insecure_dev).map_err(AppError::Sync)?;
        Remote::new(&server, enrolment.ca_pem.as_deref(), Some(enrolment.token.clone())).map_err(AppError::Sync)
    }

    /// Walks a profile's audit trail (opening it with its password) and, when the
    /// profile syncs, checks it against the head the organisation's server last
    /// saw: a trail whose last rows were removed is a valid chain on its own.
    pub fn verify_audit(&self, id: &str, password: &str) -> Result<AuditVerdict> {
        let open = self.profiles()?.unlock(id, password, now_ms())?;
        let broken = open.verify_audit()?;
        let Some(enrolment) = open.sync_enrolment()? else {
            return Ok(AuditVerdict { broken, witness: AuditWitness::NotEnrolled });
        };
        let status = self.remote_for(&enrolment)?.call::<(), StatusResponse>("/v1/status", None);
        let (witnessed, witness) = match status {
            Ok(StatusResponse { audit: Some(head), .. }) => {
                (open.verify_audit_witness(head.id, &head.hash)?, AuditWitness::Checked { id: head.id })
            }
            Ok(_) => (None, AuditWitness::NotYetSeen),
            Err(_) => (None, AuditWitness::Unreachable),
        };
        Ok(AuditVerdict { broken: broken.or(witnessed), witness })
    }

    /// Syncs now: sends this device's waiting changes in batches, pulls the other
    /// devices' changes page by page, and proves the result against the server's
    /// checksum (pulling everything again once if it differs). One sync at a time:
    /// a second caller waits for the first to end.
    pub fn sync_now(&self) -> Result<SyncSummary> {
        let _one_at_a_time = self.one_sync_at_a_time();
        self.sync_started();
        let result = self.sync_once();
        self.sync_ended(&result);
        result
    }

    /// Held for the whole of a sync, over the network or by USB bundle: a second one
    /// waits for the first to end.
    pub(crate) fn one_sync_at_a_time(&self) -> std::sync::MutexGuard<'_, ()> {
        self.sync_running.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn sync_once(&self) -> Result<SyncSummary> {
        let (remote, enrolment) = self.remote()?;
        let tuning = self.sync_settings().tuning;
        let mut summary = SyncSummary::default();

        let status: StatusResponse = remote.call::<(), _>("/v1/status", None).map_err(stop)?;
        self.meet_server(&enrolment, &status)?;
        // Before pulling: a client that left this scope and came back arrives again.
        let mut removals_done = Vec::new();
        summary.removed += self.take_scope_changes(&status, &mut removals_done)?;
        // Changes written while the clock was years ahead are refused by the server
        // for as long as they carry that clock; once this computer agrees with the
        // server again, those it does not hold yet are stamped from now.
        let now = now_ms();
        if (now - status.server_time_ms).abs() <= CLOCK_TOLERANCE_MS {
            let restamped = self.with_profile(|open, _| {
                Ok(open.sync_restamp_future(now, CLOCK_TOLERANCE_MS, status.acknowledged)?)
            })?;
            if restamped > 0 {
                tracing::warn!(restamped, "changes written while the clock was ahead were stamped again");
            }
        }
        // What there is to pull, about: the server's count of the scope beyond what
        // this computer holds of it (the progress bar's length).
        let held = self.with_profile(|open, _| Ok(open.sync_scope_count()?))?;
        let to_pull = status.scope.count.saturating_sub(held) as u32;
        self.push(&remote, tuning, &mut summary)?;
        self.sync_progress("receiving", 0, to_pull);
        self.pull(&remote, tuning, &mut summary, &mut removals_done)?;
        if self.after_pull()? {
            // What that wrote goes now, so the other devices have it at their next sync.
            self.push(&remote, tuning, &mut summary)?;
        }

        // A change whose transaction is still committing on the server is pulled
        // a moment later (the pull order never skips it): try again from the cursor
        // twice, then pull everything again in case something here was lost.
        self.sync_progress("checking", 0, 0);
        let mut in_step = self.in_step(&remote, &mut summary, &mut removals_done)?;
        for attempt in 1..=3u64 {
            if in_step {
                break;
            }
            std::thread::sleep(Duration::from_millis(200 * attempt * attempt));
            if attempt == 3 {
                tracing::warn!("scope checksum still differs: pulling everything again");
                self.with_profile(|open, _| Ok(open.sync_forget_cursor()?))?;
            }
            self.pull(&remote, tuning, &mut summary, &mut removals_done)?;
            in_step = self.in_step(&remote, &mut summary, &mut removals_done)?;
            summary.repaired = in_step && attempt == 3;
        }
        summary.in_step = in_step;
        self.with_profile(|open, _| Ok(open.sync_finished(now_ms())?))?;
        summary.waiting_for_consent = self.with_profile_and_marks(|_, _, marks| Ok(marks.outbox.waiting() as u32))?;
        tracing::info!(
            pushed = summary.pushed,
            pulled = summary.pulled,
            refused = summary.refused.len(),
            conflicts = summary.conflicts,
            in_step,
            "sync finished"
        );
        Ok(summary)
    }

    /// Takes in the server's epoch and high-water mark before pushing, and its key
    /// for USB bundles (a server may have been given one since this device enrolled).
    fn meet_server(&self, enrolment: &SyncEnrolment, status: &StatusResponse) -> Result<()> {
        if let Some(key) = status.bundle_key.as_deref().and_then(BundlePublicKey::from_hex)
            && enrolment.bundle_key.as_deref() != Some(key.to_hex().as_str())
        {
            self.with_profile(|open, _| Ok(open.sync_set_bundle_key(&key.to_hex())?))?;
        }
        self.with_profile(|open, _| Ok(open.sync_set_own_devices(&status.user_devices)?))?;
        match plan::check_epoch(Some(&enrolment.epoch), &status.epoch) {
            EpochCheck::Restored => {
                tracing::warn!("the server was restored: starting again from its mark");
                self.with_profile(|open, _| Ok(open.sync_restart(&status.epoch, status.acknowledged)?))
            }
            EpochCheck::Same | EpochCheck::FirstContact if status.acknowledged < enrolment.acknowledged => {
                // The server has less than it once said: send the rest again.
                self.with_profile(|open, _| Ok(open.sync_restart(&status.epoch, status.acknowledged)?))
            }
            EpochCheck::Same | EpochCheck::FirstContact => Ok(()),
        }
    }

    fn push(&self, remote: &Remote, tuning: SyncTuning, summary: &mut SyncSummary) -> Result<()> {
        self.clear_for_sending()?;
        let mut limits = tuning.batch;
        let mut recoveries = 0;
        let (start, total) = self.with_profile(|open, _| {
            let start = open.sync_enrolment()?.map_or(0, |e| e.acknowledged);
            Ok((start, open.sync_outbox_counts()?.unacknowledged as u32))
        })?;
        self.sync_progress("sending", 0, total);
        loop {
            match self.push_outbox(remote, limits, start, total, summary)? {
                Pushed::Sent => return Ok(()),
                // The server has less than was sent: plan again from its mark.
                Pushed::Incomplete => {}
                Pushed::Refused(problem) => {
                    recoveries += 1;
                    match plan::recovery(&problem) {
                        _ if recoveries > MAX_RECOVERIES => return Err(AppError::Sync(SyncError::ServerError)),
                        Recovery::ResendFrom(mark) => {
                            let epoch = self.with_profile(|open, _| {
                                Ok(open.sync_enrolment()?.map(|e| e.epoch).unwrap_or_default())
                            })?;
                            self.with_profile(|open, _| Ok(open.sync_restart(&epoch, mark)?))?;
                        }
                        Recovery::SmallerBatches(count) => {
                            limits.max_changes = count.min(limits.max_changes / 2).max(1)
                        }
                        Recovery::StartOver => {
                            let status: StatusResponse = remote.call::<(), _>("/v1/status", None).map_err(stop)?;
                            self.with_profile(|open, _| Ok(open.sync_restart(&status.epoch, status.acknowledged)?))?;
                        }
                        Recovery::Retry | Recovery::Stop(_) => {
                            return Err(AppError::Sync(SyncError::from_problem(&problem)));
                        }
                    }
                }
            }
        }
    }

    /// Sends the outbox above the server's mark in batches, one after the other,
    /// taking in each answer; `Sent` once nothing is left. It is read a stretch at a
    /// time (memory stays the same whatever waits). The next batch is read and
    /// encoded while the server stores this one, and sent as soon as this one's
    /// answer is in, while this computer records that answer: the server takes a
    /// device's changes only in sequence, so a batch that arrives after one it
    /// refused is refused too and stores nothing, and the push stops at the first
    /// answer that is not a whole acknowledgement.
    fn push_outbox(
        &self,
        remote: &Remote,
        limits: BatchLimits,
        start: i64,
        total: u32,
        summary: &mut SyncSummary,
    ) -> Result<Pushed> {
        let stopped = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            let (bodies, to_send) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
            let (answered, answers) = std::sync::mpsc::channel::<std::result::Result<PushResponse, Failure>>();
            let stopped = &stopped;
            scope.spawn(move || {
                for body in to_send {
                    if stopped.load(std::sync::atomic::Ordering::SeqCst) {
                        return;
                    }
                    let answer = remote.send::<PushResponse>("/v1/push", Some(&body));
                    let failed = answer.is_err();
                    if answered.send(answer).is_err() || failed {
                        return;
                    }
                }
            });
            let ended = self.take_push_answers(&bodies, &answers, limits, start, total, summary);
            stopped.store(true, std::sync::atomic::Ordering::SeqCst);
            ended
        })
    }

    /// [`App::push_outbox`]'s side on this thread: reads and encodes the batches,
    /// hands them to the sender two at a time, and takes in the answers in order.
    fn take_push_answers(
        &self,
        bodies: &std::sync::mpsc::SyncSender<Vec<u8>>,
        answers: &std::sync::mpsc::Receiver<std::result::Result<PushResponse, Failure>>,
        limits: BatchLimits,
        start: i64,
        total: u32,
        summary: &mut SyncSummary,
    ) -> Result<Pushed> {
        let stretch = limits.max_changes.saturating_mul(PUSH_STRETCH);
        let mut planned: std::collections::VecDeque<PushRequest> = std::collections::VecDeque::new();
        let mut in_flight: std::collections::VecDeque<PushRequest> = std::collections::VecDeque::new();
        let mut after: Option<i64> = None;
        let mut read_all = false;
        loop {
            while in_flight.len() < 2 {
                if planned.is_empty() && !read_all {
                    let outgoing = self.outgoing(limits, after, Some(stretch))?;
                    if after.is_none() {
                        summary.acknowledged = outgoing.acknowledged;
                    }
                    read_all = outgoing.batches.is_empty();
                    after = outgoing.wire.last().map(|change| change.seq).or(after);
                    planned.extend(outgoing.requests());
                }
                let Some(request) = planned.pop_front() else { break };
                if bodies.send(encode(&request).map_err(stop)?).is_err() {
                    break;
                }
                in_flight.push_back(request);
            }
            let Some(request) = in_flight.pop_front() else { return Ok(Pushed::Sent) };
            match answers.recv().unwrap_or(Err(Failure::Sync(SyncError::NoConnection))) {
                Ok(answer) => {
                    summary.pushed += request.changes.len() as u32;
                    let outcome = self.take_push_answer(&request.changes, &answer, MarkMove::AsAnswered, summary)?;
                    let sent = (outcome.acknowledged - start).max(0) as u32;
                    self.sync_progress("sending", sent.min(total), total);
                    if !outcome.complete {
                        return Ok(Pushed::Incomplete);
                    }
                }
                Err(Failure::Problem(problem)) => return Ok(Pushed::Refused(problem)),
                Err(Failure::Sync(err)) => return Err(AppError::Sync(err)),
            }
        }
    }

    /// Decides which waiting changes may leave now (consent) and gives them their
    /// wire numbers: the first step of a push, over the network or into a bundle.
    pub(crate) fn clear_for_sending(&self) -> Result<()> {
        self.with_profile(|open, _| Ok(open.sync_assign(&clear_outbox(open)?.decisions)?))
    }

    /// What goes now — this device's numbered changes above the server's mark, in
    /// the batches a push sends them in — for the network and for a USB bundle alike.
    /// At most `first` changes when given (a push's stretch), all of them otherwise
    /// (a bundle's).
    pub(crate) fn outgoing(
        &self,
        limits: BatchLimits,
        after: Option<i64>,
        first: Option<usize>,
    ) -> Result<OutgoingBatches> {
        let (acknowledged, outbox, audit) = self.with_profile(|open, _| {
            let acknowledged = open.sync_enrolment()?.map_or(0, |e| e.acknowledged);
            let outbox = open.sync_outbox_first(after.unwrap_or(acknowledged), first.unwrap_or(usize::MAX))?;
            Ok((acknowledged, outbox, open.audit_head()?))
        })?;
        let wire: Vec<WireChange> = outbox.iter().map(WireChange::from_record).collect();
        let pending: Vec<Pending> =
            wire.iter().map(|change| Pending { seq: change.seq, bytes: json_length(change) }).collect();
        let batches = plan::push_batches(after.unwrap_or(acknowledged), &pending, limits);
        Ok(OutgoingBatches { acknowledged, audit: audit.map(|(id, hash)| AuditHead { id, hash }), wire, batches })
    }

    /// Records what the server answered to a batch `sent` (or, from a USB answer,
    /// to the refused changes among them): its epoch and mark, the refusals — in
    /// words in `summary` too — and the letter series to stop numbering in.
    pub(crate) fn take_push_answer(
        &self,
        sent: &[WireChange],
        answer: &PushResponse,
        mark: MarkMove,
        summary: &mut SyncSummary,
    ) -> Result<plan::PushOutcome> {
        let messages = self.messages();
        let last_sent = sent.last().map_or(answer.acknowledged, |change| change.seq);
        let outcome = plan::after_push(last_sent, answer);
        let refusals: Vec<StoredRefusal> = answer
            .refused
            .iter()
            .map(|refusal| StoredRefusal {
                wire_seq: refusal.seq,
                kind: refusal_name(refusal.kind),
                field: refusal.field.clone(),
                detail: refusal.detail.clone(),
            })
            .collect();
        let retired = series_to_retire(&answer.refused, sent);
        let acknowledged = self.with_profile(|open, _| {
            let acknowledged = match mark {
                MarkMove::AsAnswered => outcome.acknowledged,
                MarkMove::ForwardOnly => open.sync_enrolment()?.map_or(0, |e| e.acknowledged).max(outcome.acknowledged),
            };
            open.sync_acknowledge(&answer.epoch, acknowledged, &refusals, now_ms())?;
            for series in &retired {
                tracing::warn!("another device numbers its letters in this one's series: a new one");
                open.retire_letter_series(series, now_ms())?;
            }
            Ok(acknowledged)
        })?;
        summary.stored += answer.stored;
        summary.duplicates += answer.duplicates;
        summary.acknowledged = acknowledged;
        for refusal in &answer.refused {
            let record = sent.iter().find(|change| change.seq == refusal.seq);
            let kind = refusal_name(refusal.kind);
            summary.refused.push(RefusedView {
                client: None,
                entity: record.map(|c| c.entity.clone()).unwrap_or_default(),
                record_id: record.map(|c| c.record_id.clone()).unwrap_or_default(),
                reason: refusal_reason(&kind, &messages),
                kind,
                field: refusal.field.clone(),
            });
        }
        Ok(outcome)
    }

    /// Takes in what the server says of this scope: the clients kept read-only, and
    /// the clients that left it, whose records this computer removes now (not an
    /// erasure: nothing is sent; the audit trail names each). The removals carried
    /// out are added to `done`, for the next pull to report. Returns how many
    /// clients went.
    fn take_scope_changes(&self, status: &StatusResponse, done: &mut Vec<i64>) -> Result<u32> {
        self.with_profile(|open, author| {
            let mut removed = 0;
            for removal in &status.removals {
                if open.sync_remove_client(&removal.client_id, &removal.records, author, now_ms())? > 0 {
                    removed += 1;
                }
                if !done.contains(&removal.id) {
                    done.push(removal.id);
                }
            }
            open.sync_set_read_only(&status.read_only)?;
            if removed > 0 {
                tracing::info!(removed, "clients that left this caseload were removed from this computer");
            }
            Ok(removed)
        })
    }

    /// Pulls page after page from this computer's cursor. The next page is asked for
    /// while this one is written (its cursor is in the answer), so the server's
    /// reading and the profile's writing overlap; the cursor kept in the profile
    /// moves only with a page written, so a sync stopped anywhere resumes from the
    /// last page written, and a page asked for ahead and never written is asked for
    /// again.
    fn pull(
        &self,
        remote: &Remote,
        tuning: SyncTuning,
        summary: &mut SyncSummary,
        removals_done: &mut Vec<i64>,
    ) -> Result<()> {
        let mut restarts = 0;
        loop {
            let enrolment = self
                .with_profile(|open, _| Ok(open.sync_enrolment()?))?
                .ok_or(AppError::Sync(SyncError::NotEnrolled))?;
            let first = PullRequest {
                epoch: Some(enrolment.epoch.clone()),
                cursor: cursor_of(&enrolment),
                limit: tuning.page,
                removals_done: removals_done.clone(),
            };
            let ended = std::thread::scope(|scope| {
                // One page ahead at most: memory stays two pages whatever the caseload.
                let (pages, answers) = std::sync::mpsc::sync_channel::<std::result::Result<PullResponse, Failure>>(1);
                scope.spawn(move || {
                    let mut request = first;
                    loop {
                        let answer: std::result::Result<PullResponse, Failure> =
                            remote.call("/v1/pull", Some(&request));
                        let next = match &answer {
                            Ok(page) => plan::after_pull(page),
                            Err(_) => (Cursor::START, false),
                        };
                        // Closed: the writer stopped (a failure, or the last page).
                        if pages.send(answer).is_err() || !next.1 {
                            return;
                        }
                        request.cursor = Some(next.0);
                        request.removals_done.clear();
                    }
                });
                for answer in answers {
                    let page = match answer {
                        Ok(page) => page,
                        Err(failure) => return Err(Stopped::Server(failure)),
                    };
                    // The server has them: it no longer asks.
                    removals_done.clear();
                    let (_, more) = plan::after_pull(&page);
                    self.take_page(page, true, summary).map_err(Stopped::Here)?;
                    if !more {
                        return Ok(());
                    }
                }
                Ok(())
            });
            match ended {
                Ok(()) => return Ok(()),
                Err(Stopped::Here(err)) => return Err(err),
                Err(Stopped::Server(Failure::Problem(problem)))
                    if problem.kind == ProblemKind::EpochChanged && restarts < 2 =>
                {
                    restarts += 1;
                    let status: StatusResponse = remote.call::<(), _>("/v1/status", None).map_err(stop)?;
                    self.with_profile(|open, _| Ok(open.sync_restart(&status.epoch, status.acknowledged)?))?;
                }
                Err(Stopped::Server(failure)) => return Err(stop(failure)),
            }
        }
    }

    /// Applies a pulled page — from the network or a USB answer — in one
    /// transaction, moving the pull cursor to its end when `move_cursor`.
    pub(crate) fn take_page(&self, page: PullResponse, move_cursor: bool, summary: &mut SyncSummary) -> Result<()> {
        let (next, _) = plan::after_pull(&page);
        let changes: Vec<_> = page.changes.into_iter().map(WireChange::into_record).collect();
        let applied = self.with_profile(|open, _| {
            Ok(if move_cursor {
                open.sync_apply_page(&changes, &page.epoch, &next.to_string(), now_ms())?
            } else {
                open.sync_apply_changes(&changes, now_ms())?
            })
        })?;
        summary.pulled += applied.recorded as u32;
        summary.conflicts += applied.conflicts as u32;
        summary.erased += applied.erased as u32;
        let activity = self.sync_activity();
        if activity.running {
            self.sync_progress("receiving", activity.done + changes.len() as u32, activity.total);
        }
        Ok(())
    }

    /// What a device does once it has pulled, whichever way the pages came: keeps
    /// this computer's words of signatures the server did not keep, and erases what
    /// it still holds of clients erased elsewhere. Returns whether that wrote
    /// anything (to send at once over the network, or with the next bundle).
    pub(crate) fn after_pull(&self) -> Result<bool> {
        Ok(self.keep_superseded_words()? + self.erase_leftovers_of_erased_clients()? > 0)
    }

    /// Keeps, as an addendum, what this computer signed when the server kept another
    /// computer's signature of the same draft (DESIGN §6: signed consultations do not
    /// conflict; concurrent addenda are both kept): the kept version is shown, and the
    /// fields this computer's version had otherwise follow it, labelled, under the
    /// author's name. Its id is fixed by the superseded signature, so it is written
    /// once even if a sync died between the page and this step. Returns how many.
    fn keep_superseded_words(&self) -> Result<usize> {
        let messages = self.messages();
        self.with_profile(|open, author| {
            let mut kept = 0;
            for record in open.sync_superseded_finals()? {
                if record.entity != "consultation" {
                    continue;
                }
                let mut text = messages.get("sync-signed-elsewhere");
                let mut differs = false;
                for (field, value) in &record.lacking {
                    let label = match field.as_str() {
                        "signed_by" | "created_at" => continue,
                        "duration_minutes" => "consult-duration".to_owned(),
                        other => format!("consult-{}", other.replace('_', "-")),
                    };
                    let Some(value) = value_text(value) else { continue };
                    text.push_str(&format!("\n\n{}: {value}", messages.get(&label)));
                    differs = true;
                }
                if !differs {
                    continue;
                }
                let written = now_ms();
                open.write(author, written, |changes| {
                    changes.insert(
                        "addendum",
                        &record.keep_id,
                        &[
                            ("consultation_id", FieldValue::Text(record.entity_id.clone())),
                            ("text", FieldValue::Text(text.chars().take(tirek_domain::entities::MAX_TEXT).collect())),
                            ("written_at", FieldValue::Integer(written)),
                            ("author", FieldValue::Text(author.to_owned())),
                        ],
                    )
                })?;
                kept += 1;
            }
            if kept > 0 {
                tracing::info!(kept, "kept this computer's words of signatures the server did not keep");
            }
            Ok(kept)
        })
    }

    /// Erases what this device still holds about clients erased elsewhere — records
    /// it wrote before the erasure reached it, unknown to the device that erased —
    /// with tombstones, so the erasure reaches them on the server and every device.
    fn erase_leftovers_of_erased_clients(&self) -> Result<usize> {
        self.with_profile(|open, author| {
            let mut erased = 0;
            for client in open.sync_erased_client_leftovers()? {
                erased += open.write(author, now_ms(), |changes| changes.erase_client_leftovers(&client))?.0;
            }
            for addendum in open.sync_orphaned_addenda()? {
                open.write(author, now_ms(), |changes| changes.erase_orphaned_addendum(&addendum))?;
                erased += 1;
            }
            if erased > 0 {
                tracing::info!(erased, "erased records of clients erased on another device");
            }
            Ok(erased)
        })
    }

    /// Whether this device holds what the server holds for its scope (taking in,
    /// first, a change of scope made while this sync ran).
    fn in_step(&self, remote: &Remote, summary: &mut SyncSummary, removals_done: &mut Vec<i64>) -> Result<bool> {
        let status: StatusResponse = remote.call::<(), _>("/v1/status", None).map_err(stop)?;
        summary.removed += self.take_scope_changes(&status, removals_done)?;
        self.holds(status.scope)
    }

    /// Whether this device's scope — the other devices' changes it pulled and its
    /// own the server stored — sums to `theirs`, the server's count and checksum.
    pub(crate) fn holds(&self, theirs: ScopeSummary) -> Result<bool> {
        let ours = self.with_profile(|open, _| {
            let mut sum = ScopeChecksum::default();
            for change in open.sync_scope()? {
                sum.add(change_digest(&change.device_id, change.seq, change.hlc, &change.entity, &change.entity_id));
            }
            Ok(sum.summary())
        })?;
        if ours != theirs {
            tracing::warn!(ours = ours.count, theirs = theirs.count, "scope checksums differ");
        }
        Ok(ours == theirs)
    }

    /// The unlocked profile's clinical tables, change log and review marks as text,
    /// without this device's own bookkeeping: two devices that hold the same changes
    /// give the same dump. For tests and support; never logged.
    pub fn sync_dump(&self) -> Result<std::collections::BTreeMap<String, Vec<String>>> {
        self.with_profile(|open, _| Ok(open.sync_canonical_dump()?))
    }

    /// Settles the review of `field` of a record: keeps `value` — the value shown, or
    /// the other version a mark holds (`None`: the empty one). The choice is itself
    /// a change that syncs; every device then sees the mark settled. Returns the
    /// reviews still open.
    pub fn settle_review(&self, entity: &str, record_id: &str, field: &str, value: Option<&str>) -> Result<SyncStatus> {
        let not_open = || AppError::Sync(SyncError::ReviewSettled);
        self.with_profile(|open, author| {
            let current = open.read(entity, record_id)?.ok_or_else(not_open)?;
            let shown = current.fields.get(field).cloned().unwrap_or(FieldValue::Null);
            let marks: Vec<_> = open
                .sync_reviews()?
                .into_iter()
                .filter(|mark| mark.entity == entity && mark.entity_id == record_id && mark.field == field)
                .collect();
            if marks.is_empty() {
                return Err(not_open());
            }
            // Only a version someone wrote may be chosen.
            let choice = std::iter::once(&shown)
                .chain(marks.iter().map(|mark| &mark.earlier.value))
                .chain(marks.iter().map(|mark| &mark.later.value))
                .find(|candidate| value_text(candidate).as_deref() == value)
                .cloned()
                .ok_or_else(not_open)?;
            let ((), _) = open.write(author, now_ms(), |changes| {
                changes.settle(entity, record_id, field, choice)?;
                Ok(())
            })?;
            tracing::info!(entity, "a conflict was settled");
            Ok(())
        })?;
        self.sync_soon();
        self.sync_status()
    }

    /// Where sync stands, from this profile alone (no network).
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let messages = self.messages();
        let activity = self.sync_activity();
        self.with_profile_and_marks(|open, author, marks| {
            let Some(enrolment) = open.sync_enrolment()? else {
                return Ok(SyncStatus { activity, ..SyncStatus::default() });
            };
            let counts = open.sync_outbox_counts()?;
            let (decisions, waiting_for_consent, consent_needed) =
                (&marks.outbox.decisions, marks.outbox.waiting(), &marks.outbox.clients);
            let cleared = decisions.iter().filter(|(_, outgoing)| *outgoing == Outgoing::Send).count();
            let mut names = ClientNames::default();
            let mut refused = Vec::new();
            for change in open.sync_refusals()? {
                refused.push(RefusedView {
                    client: names.of_record(open, &change.entity, &change.entity_id)?,
                    entity: change.entity,
                    record_id: change.entity_id,
                    reason: refusal_reason(&change.refusal.kind, &messages),
                    kind: change.refusal.kind,
                    field: change.refusal.field,
                });
            }
            let device = open.device_id().to_owned();
            // Hers: written under this profile, or on another computer of her server user.
            let own_devices = open.sync_own_devices()?;
            let origin = |write: &ReviewWrite| WriteOrigin {
                by_me: write.author == author || own_devices.contains(&write.device_id),
                this_computer: write.device_id == device,
                computer: write.device_id.chars().filter(char::is_ascii_alphanumeric).take(8).collect(),
                at_ms: tirek_domain::change::hlc_millis(write.hlc) as f64,
            };
            let mut reviews = Vec::new();
            for mark in open.sync_reviews()? {
                reviews.push(ReviewView {
                    client: names.of_record(open, &mark.entity, &mark.entity_id)?,
                    later_by: origin(&mark.later),
                    earlier_by: origin(&mark.earlier),
                    later: value_text(&mark.later.value),
                    earlier: value_text(&mark.earlier.value),
                    entity: mark.entity,
                    record_id: mark.entity_id,
                    field: mark.field,
                });
            }
            let consent_ids: Vec<String> = consent_needed.iter().cloned().collect();
            let mut consent_needed_names = Vec::new();
            for id in consent_needed {
                consent_needed_names.extend(names.of_client(open, id)?);
            }
            Ok(SyncStatus {
                enrolled: true,
                server: Some(enrolment.server_url),
                certificate_sha256: enrolment.ca_sha256,
                last_sync_ms: enrolment.last_sync_at.map(|ms| ms as f64),
                waiting: (counts.unacknowledged + cleared) as u32,
                acknowledged: counts.acknowledged as u32,
                refused,
                reviews,
                waiting_for_consent: waiting_for_consent as u32,
                consent_needed: consent_needed_names,
                paused: enrolment.paused,
                device_id: Some(device),
                enrolled_at_ms: Some(enrolment.enrolled_at as f64),
                activity,
                waiting_for_consent_clients: consent_ids,
                read_only: open.read_only_clients()?.into_iter().collect(),
            })
        })
    }
}

/// Clients' names, each read once.
#[derive(Default)]
struct ClientNames(HashMap<String, Option<ClientRef>>);

impl ClientNames {
    fn of_client(&mut self, open: &OpenProfile, id: &str) -> Result<Option<ClientRef>> {
        if let Some(known) = self.0.get(id) {
            return Ok(known.clone());
        }
        let found = open.read("client", id)?.map(|record| ClientRef {
            id: id.to_owned(),
            name: crate::caseload::full_name(
                record.text("family_name").unwrap_or_default(),
                record.text("given_name").unwrap_or_default(),
                record.text("patronymic"),
            ),
        });
        self.0.insert(id.to_owned(), found.clone());
        Ok(found)
    }

    fn of_record(&mut self, open: &OpenProfile, entity: &str, id: &str) -> Result<Option<ClientRef>> {
        match open.sync_clients_of(entity, id)?.first() {
            Some(client) => self.of_client(open, client),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(kind: CandidateKind, entity: &str, on_server: bool) -> OutboxCandidate {
        OutboxCandidate {
            seq: 1,
            entity: entity.to_owned(),
            entity_id: "r".to_owned(),
            kind,
            clients: vec!["c".to_owned()],
            on_server,
        }
    }

    #[test]
    fn changes_wait_for_consent_except_what_the_server_must_hear() {
        use CandidateKind::*;
        let yes = |_: &str| true;
        let no = |_: &str| false;
        // (kind, entity, on the server already, the client's consent, what happens)
        type Case<'a> = (CandidateKind, &'a str, bool, &'a dyn Fn(&str) -> bool, Option<Outgoing>);
        let cases: &[Case] = &[
            (Write, "client", false, &yes, Some(Outgoing::Send)),
            (Write, "client", false, &no, None),
            (Write, "client", true, &no, None),
            (Blanked, "client", false, &yes, Some(Outgoing::KeepLocal)),
            (Erase, "client", true, &no, Some(Outgoing::Send)),
            (Erase, "client", false, &no, Some(Outgoing::KeepLocal)),
            (Delete, "attendance", true, &no, Some(Outgoing::Send)),
            (Delete, "attendance", false, &no, None),
            (Write, "consent", true, &no, Some(Outgoing::Send)),
            (Write, "consent", false, &no, None),
        ];
        for (kind, entity, on_server, consent, expected) in cases {
            assert_eq!(clearance(&candidate(*kind, entity, *on_server), *consent), *expected, "{kind:?} {entity}");
        }
        let mut no_client = candidate(Write, "service", false);
        no_client.clients.clear();
        assert_eq!(clearance(&no_client, &no), Some(Outgoing::Send), "a record of no client needs no consent");
    }

    #[test]
    fn a_refused_letters_series_is_retired_and_no_other() {
        use std::collections::BTreeMap;
        use tirek_protocol::{Refusal, WireValue};
        let letter = |seq: i64, number: &str| WireChange {
            device_id: "d".to_owned(),
            seq,
            hlc: 1,
            entity: "referral".to_owned(),
            record_id: format!("r{seq}"),
            base_revision: 1,
            author: "a".to_owned(),
            fields: BTreeMap::from([("number".to_owned(), (WireValue::Null, WireValue::Text(number.to_owned())))]),
        };
        let sent = [letter(1, "СЕ-4821-9375/0001"), letter(2, "СЕ-1111-2222/0001"), letter(3, "СЕ-4821-9375/0002")];
        let refusal = |seq: i64, kind| Refusal { seq, kind, field: None, detail: String::new() };
        let refused = [
            refusal(1, RefusalKind::SeriesTaken),
            refusal(2, RefusalKind::TooLong),
            refusal(3, RefusalKind::SeriesTaken),
        ];
        assert_eq!(series_to_retire(&refused, &sent), ["48219375"]);
        assert!(series_to_retire(&[], &sent).is_empty());
    }

    #[test]
    fn plain_http_only_to_this_computer_and_only_when_asked() {
        assert_eq!(
            check_server_url("https://tirek.example.kz:8443/", false),
            Ok("https://tirek.example.kz:8443".to_owned())
        );
        assert_eq!(check_server_url("http://127.0.0.1:8080", true), Ok("http://127.0.0.1:8080".to_owned()));
        assert_eq!(check_server_url("http://[::1]:8080", true), Ok("http://[::1]:8080".to_owned()));
        assert_eq!(check_server_url("http://127.0.0.1:8080", false), Err(SyncError::InsecureServer));
        assert_eq!(check_server_url("http://10.0.0.5:8080", true), Err(SyncError::InsecureServer));
        assert_eq!(check_server_url("http://127.0.0.1.evil.example", true), Err(SyncError::InsecureServer));
        for bad in ["tirek.example.kz", "ftp://x", "https://", "https://a/b", "https://a b"] {
            assert_eq!(check_server_url(bad, true), Err(SyncError::BadServerAddress), "{bad}");
        }
    }

    #[test]
    fn every_sync_error_and_refusal_has_a_message_in_every_language() {
        let errors = [
            SyncError::NotEnrolled,
            SyncError::BadServerAddress,
            SyncError::InsecureServer,
            SyncError::BadCertificate,
            SyncError::NoConnection,
            SyncError::CertificateMismatch,
            SyncError::CodeInvalid,
            SyncError::AlreadyEnrolled,
            SyncError::Unauthenticated,
            SyncError::DeviceRevoked,
            SyncError::VersionUnsupported(Some(VersionRange { min: 2, max: 3 })),
            SyncError::UpdateRequired(Some("9.0.0".to_owned())),
            SyncError::ClockRefused,
            SyncError::DeviceDiverged,
            SyncError::ServerError,
            SyncError::ServerBusy,
            SyncError::Garbage,
            SyncError::ReviewSettled,
            SyncError::BundleNoKey,
            SyncError::BundleUnreadable,
            SyncError::BundleNewer,
            SyncError::BundleNotAnAnswer,
            SyncError::BundleOtherDevice,
            SyncError::BundleDamaged,
        ];
        let kinds = [
            RefusalKind::UnknownEntity,
            RefusalKind::UnknownField,
            RefusalKind::TooLong,
            RefusalKind::WrongKind,
            RefusalKind::BadRecordId,
            RefusalKind::Malformed,
            RefusalKind::WrongDevice,
            RefusalKind::NotAuthor,
            RefusalKind::OutOfScope,
            RefusalKind::NotPermitted,
            RefusalKind::RecordFinal,
            RefusalKind::UnknownRecord,
            RefusalKind::RecordExists,
            RefusalKind::SeriesTaken,
        ];
        for language in tirek_domain::Language::ALL {
            let messages = Messages::new(language);
            for error in &errors {
                let text = error.message(&messages);
                assert!(!text.starts_with("error-"), "{language}: {error:?}");
            }
            let version = SyncError::VersionUnsupported(Some(VersionRange { min: 2, max: 3 })).message(&messages);
            assert!(version.contains("2–3"), "{language}: {version}");
            for kind in kinds {
                let id = format!("sync-refused-{}", refusal_name(kind).replace('_', "-"));
                assert_ne!(messages.get(&id), id, "{language}: {kind:?}");
            }
        }
    }
}
