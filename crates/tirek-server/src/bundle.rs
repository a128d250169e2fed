//! USB sync bundles on the server: the organisation's bundle key, and
//! `tirek-server admin import-bundle`, which takes a device's bundle off a USB stick
//! and writes the answer to carry back.
//!
//! The bundle key is an X25519 key pair made by `tirek-server init` beside the CA
//! (`bundle.key`, PKCS #8 PEM, mode 0600, never overwritten — `--renew` leaves it):
//! devices learn its public half at enrolment and in every status, and seal their
//! bundles to it, so only this server reads them. Its path is the `bundle_key`
//! setting; without one the server offers no bundles.
//!
//! An import is a sync run on the device's behalf, with the very code of the
//! network endpoints: the bundle's token is authenticated as a request's bearer token
//! is ([`devices::authenticate`]: a revoked device or a disabled user is refused),
//! its batches go through [`push::push`] — idempotent on (device, seq), so a bundle
//! imported twice stores nothing twice — and the answer holds every page
//! [`pull::pull`] gives from the bundle's cursor (from the start when the bundle
//! holds another epoch), and the [`pull::status`] after it. The answer is sealed
//! with the key the device put in its bundle, bound to the device's id, and written
//! atomically next to the bundle (or where `--out` says). A refusal of the pushes
//! that the device must hear (a gap, a clock far ahead, a diverged history) travels
//! in the answer; a failure of the server itself stops the import, and the bundle
//! can be imported again.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::PgPool;
use tirek_protocol::bundle::{self, AnswerBundle, BundleKind, BundleSecretKey};
use tirek_protocol::{Cursor, ProblemKind, PullRequest, PushRequest, SUPPORTED};

use crate::config::Config;
use crate::error::{Result, ServerError};
use crate::{db, devices, pull, push, secrets};

/// The bundle key's file in `tirek-server init`'s folder.
pub const KEY_FILE: &str = "bundle.key";

/// The largest bundle file read.
const MAX_BUNDLE_BYTES: u64 = 1024 * 1024 * 1024;

/// The most changes one answer carries; past them the last page says more waits,
/// and the device's next bundle carries on from there.
const MAX_ANSWER_CHANGES: usize = 200_000;

/// The bundle key `init` made or found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleKeyFile {
    /// The secret key's file (`bundle_key` in the configuration).
    pub path: PathBuf,
    /// Its public half, 64 hex digits, as devices receive it.
    pub public_key: String,
    /// Whether it was made now (false: the one in the folder was kept).
    pub new: bool,
}

/// Makes `dir/bundle.key` if it is missing; never replaces one.
pub fn ensure_key(dir: &Path) -> Result<BundleKeyFile> {
    let path = dir.join(KEY_FILE);
    if path.exists() {
        let public_key = load_key(&path)?.public_key().to_hex();
        return Ok(BundleKeyFile { path, public_key, new: false });
    }
    let key = BundleSecretKey::from_bytes(secrets::random::<32>()?);
    crate::certificates::write_new(&path, key.to_pem().as_bytes(), true)?;
    Ok(BundleKeyFile { path, public_key: key.public_key().to_hex(), new: true })
}

/// Reads the secret bundle key at `path`.
pub fn load_key(path: &Path) -> Result<BundleSecretKey> {
    let text = zeroize::Zeroizing::new(
        fs::read_to_string(path).map_err(crate::error::io(format!("read the bundle key {}", path.display())))?,
    );
    BundleSecretKey::from_pem(&text).ok_or_else(|| {
        ServerError::Invalid(format!("{} is not a bundle key (an X25519 PRIVATE KEY in PEM)", path.display()))
    })
}

/// The configured bundle key, or why bundles cannot be imported.
fn configured_key(config: &Config) -> Result<BundleSecretKey> {
    match &config.bundle_key {
        Some(path) => load_key(path),
        None => Err(ServerError::Invalid(
            "no bundle key: set bundle_key to the bundle.key that `tirek-server init` made".to_owned(),
        )),
    }
}

/// What an import did, for the administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// The answer to carry back to the device.
    pub answer: PathBuf,
    /// The device whose bundle it was.
    pub device_id: String,
    /// Changes in the bundle.
    pub sent: u32,
    /// Of those, stored now.
    pub stored: u32,
    /// Of those, stored before (the bundle or its changes came already).
    pub duplicates: u32,
    /// Of those, refused (the device shows why).
    pub refused: u32,
    /// Why the server stopped taking the bundle's changes, if it did (`clock_skew`,
    /// `sequence_gap`, `device_diverged`…); the device is told in words.
    pub stopped_by: Option<String>,
    /// Changes of other devices in the answer.
    pub pulled: u32,
    /// Whether the answer holds every change waiting for the device (false: its next
    /// bundle carries on).
    pub complete: bool,
}

/// Imports the bundle in `file` and writes the answer into `out` (the bundle's own
/// folder when `None`).
pub async fn import_file(pool: &PgPool, config: &Config, file: &Path, out: Option<&Path>) -> Result<Imported> {
    let key = configured_key(config)?;
    let size = fs::metadata(file).map_err(crate::error::io(format!("read {}", file.display())))?.len();
    if size > MAX_BUNDLE_BYTES {
        return Err(ServerError::Invalid(format!("{} is {size} bytes: not a bundle", file.display())));
    }
    let sealed = fs::read(file).map_err(crate::error::io(format!("read {}", file.display())))?;
    let (answer, answer_key, mut imported) = import(pool, config, &key, &sealed).await?;
    let folder = match out {
        Some(folder) => folder.to_owned(),
        None => file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_owned(),
    };
    let today = time::OffsetDateTime::now_utc().date();
    let date = format!("{:04}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day());
    let path = folder.join(bundle::file_name(BundleKind::Answer, &answer.bundle_id, &date));
    let sealed = bundle::seal_answer(&answer, &answer_key, secrets::random::<24>()?)
        .map_err(|err| ServerError::Invalid(format!("cannot seal the answer: {err}")))?;
    write_atomically(&path, &sealed)?;
    imported.answer = path;
    Ok(imported)
}

/// Imports a sealed bundle: authenticates it, pushes its batches, pulls the
/// device's pages. Returns the answer, the key to seal it with, and the counts.
pub async fn import(
    pool: &PgPool,
    config: &Config,
    key: &BundleSecretKey,
    sealed: &[u8],
) -> Result<(AnswerBundle, bundle::AnswerKey, Imported)> {
    let device_bundle = bundle::open_from_device(sealed, key)?;
    SUPPORTED.check(device_bundle.protocol).map_err(|_| ServerError::VersionUnsupported {
        found: Some(device_bundle.protocol.to_string()),
        supported: SUPPORTED,
    })?;
    let device = devices::authenticate(pool, &device_bundle.token).await?;
    if device.writer.device_id != device_bundle.device_id {
        return Err(ServerError::Malformed("the bundle's token is another device's".to_owned()));
    }
    let mut imported = Imported {
        answer: PathBuf::new(),
        device_id: device.writer.device_id.clone(),
        sent: device_bundle.changes() as u32,
        stored: 0,
        duplicates: 0,
        refused: 0,
        stopped_by: None,
        pulled: 0,
        complete: true,
    };

    // An app older than the organisation asks for is answered as its requests
    // would be: nothing stored, nothing pulled, and the answer tells it to update.
    let outdated = config.min_app_version().filter(|minimum| {
        device_bundle
            .app_version
            .as_deref()
            .and_then(|version| version.parse::<tirek_protocol::AppVersion>().ok())
            .is_none_or(|version| version < *minimum)
    });
    let mut pushes = Vec::new();
    let mut push_problem = None;
    if let Some(minimum) = outdated {
        let err =
            ServerError::UpdateRequired { found: device_bundle.app_version.clone(), minimum: minimum.to_string() };
        tracing::warn!("a bundle from an app older than the organisation asks for: it is told to update");
        imported.stopped_by = Some(err.kind().name().to_owned());
        imported.complete = false;
        push_problem = Some(err.problem());
    }
    // The batches as `/v1/push` takes them, cut to this server's batch size.
    let chunk = (config.max_batch_changes as usize).max(1);
    let requests = device_bundle.batches.iter().flat_map(|batch| {
        batch.changes.chunks(chunk).map(|changes| PushRequest { changes: changes.to_vec(), audit: batch.audit.clone() })
    });
    for request in requests.take_while(|_| outdated.is_none()) {
        match push::push(pool, config, &device, request).await {
            Ok(answer) => {
                imported.stored += answer.stored;
                imported.duplicates += answer.duplicates;
                imported.refused += answer.refused.len() as u32;
                pushes.push(answer);
            }
            Err(err) if matches!(err.kind(), ProblemKind::Internal | ProblemKind::Unavailable) => return Err(err),
            Err(err) => {
                tracing::warn!(kind = err.kind().name(), "a bundle's pushes stopped");
                imported.stopped_by = Some(err.kind().name().to_owned());
                push_problem = Some(err.problem());
                break;
            }
        }
    }

    // Every page from the bundle's cursor, as `/v1/pull` gives them, once what was
    // committed before now — the bundle's own changes too — can be pulled.
    settle(pool).await?;
    let epoch = db::current_epoch(pool).await?;
    let mut from = match device_bundle.cursor {
        Some(cursor) if device_bundle.epoch == epoch => cursor,
        _ => Cursor::START,
    };
    let mut pages = Vec::new();
    let mut cursor = from;
    let mut pulled = 0usize;
    while outdated.is_none() {
        let request =
            PullRequest { epoch: Some(epoch.clone()), cursor: Some(cursor), limit: None, removals_done: Vec::new() };
        let page = match pull::pull(pool, config, &device, request).await {
            // A cursor of a history the database no longer has: from the start.
            Err(ServerError::EpochChanged { .. }) if pages.is_empty() && from != Cursor::START => {
                from = Cursor::START;
                cursor = from;
                continue;
            }
            other => other?,
        };
        cursor = page.cursor;
        pulled += page.changes.len();
        let more = page.more;
        pages.push(page);
        if !more {
            break;
        }
        if pulled >= MAX_ANSWER_CHANGES {
            imported.complete = false;
            break;
        }
    }
    imported.pulled = pulled as u32;

    let mut status = pull::status(pool, &device).await?;
    status.bundle_key = Some(key.public_key().to_hex());
    let answer = AnswerBundle {
        bundle_id: device_bundle.bundle_id.clone(),
        device_id: device.writer.device_id.clone(),
        device_epoch: device_bundle.epoch.clone(),
        written_ms: push::now_ms(),
        pushes,
        push_problem,
        from,
        pages,
        status,
    };
    tracing::info!(
        device = %imported.device_id,
        stored = imported.stored,
        duplicates = imported.duplicates,
        refused = imported.refused,
        pulled = imported.pulled,
        "bundle imported"
    );
    Ok((answer, device_bundle.answer_key.clone(), imported))
}

/// Waits (a few seconds at most) until every transaction that began before now has
/// finished. A pull shows only changes below its snapshot's xmin (see [`pull`]), so
/// a transaction still running anywhere in the cluster — another push, a `CREATE
/// DATABASE` — would keep changes committed before the import out of its answer and
/// its status: never lost (the next bundle brings them), but the answer would not be
/// whole. A device asking over the network simply asks again; a USB answer cannot.
async fn settle(pool: &PgPool) -> Result<()> {
    let started: String =
        sqlx::query_scalar("SELECT pg_snapshot_xmax(pg_current_snapshot())::text").fetch_one(pool).await?;
    for _ in 0..100 {
        let settled: bool = sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::text::xid8")
            .bind(&started)
            .fetch_one(pool)
            .await?;
        if settled {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tracing::warn!("a long transaction holds pulls back: the answer carries what it can");
    Ok(())
}

/// Writes `bytes` to `path` so that a full disk or a pulled stick leaves the old
/// file or the new one, never half of one: a temporary file beside it, synced,
/// renamed over it, and the folder synced.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temporary = path.with_extension(format!("{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = OpenOptions::new().write(true).create(true).truncate(true).open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        #[cfg(unix)]
        File::open(folder)?.sync_all()?;
        Ok(())
    };
    write().map_err(|err| {
        let _ = fs::remove_file(&temporary);
        crate::error::io(format!("write the answer into {}", folder.display()))(err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_key_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().expect("a folder");
        let made = ensure_key(dir.path()).expect("made");
        assert!(made.new);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&made.path).expect("key").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let again = ensure_key(dir.path()).expect("kept");
        assert!(!again.new);
        assert_eq!(again.public_key, made.public_key, "never replaced");
        assert_eq!(load_key(&made.path).expect("reads").public_key().to_hex(), made.public_key);

        fs::write(dir.path().join("other.key"), "not a key").expect("write");
        let err = load_key(&dir.path().join("other.key")).expect_err("refused");
        assert!(err.to_string().contains("is not a bundle key"), "{err}");
    }

    #[test]
    fn an_answer_is_written_whole_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("tirek-01234567-2026-03-15-answer.tirekbundle");
        write_atomically(&path, b"first, longer").expect("writes");
        write_atomically(&path, b"second").expect("replaces");
        assert_eq!(fs::read(&path).expect("reads"), b"second");
        assert_eq!(fs::read_dir(dir.path()).expect("lists").count(), 1);
        let missing = dir.path().join("no-such-folder").join("a.tirekbundle");
        assert!(write_atomically(&missing, b"x").is_err());
    }
}
