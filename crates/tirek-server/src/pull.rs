//! Pull and status: the changes in a device's scope, in the server's order, page
//! by page, and the count and checksum of that scope. Which changes a scope holds —
//! caseloads read whole, clients shared, clients kept read-only — is `access.rs`'s.
//!
//! # Why the cursor is (txid, id) and not the highest id seen
//!
//! `changes.id` comes from a sequence. PostgreSQL hands sequence values out when a
//! row is inserted, not when its transaction commits, so two pushes can commit in
//! the opposite order of their ids: push A takes id 10, push B takes id 11 and
//! commits, a pull returns 11 and remembers "after 11" — then A commits, and id 10
//! is behind every later cursor. It is never pulled. That is not a rare race: any
//! slow push (a big batch, a lock wait, a pause of the database) opens the window.
//!
//! So each row also stores `txid`, the inserting transaction's id
//! (`pg_current_xact_id()`), and a pull returns only rows whose `txid` is below the
//! `xmin` of its own snapshot (`pg_snapshot_xmin(pg_current_snapshot())`): the
//! oldest transaction still running when the pull began. Every transaction below
//! `xmin` has finished — committed or rolled back — so every row it will ever
//! insert is already visible. Any transaction that commits later has a txid at or
//! above this `xmin`, and `xmin` never goes backwards; rows are returned in
//! (txid, id) order and the cursor is the (txid, id) of the last row returned. A
//! row that commits late therefore always sorts after the cursor of every page
//! returned before it became visible: it is pulled late, never skipped. The test
//! `a_change_that_commits_late_is_pulled_once_and_never_skipped` holds a
//! transaction open to prove it, and shows a max(id) cursor losing the same row.
//!
//! The price: a transaction left open anywhere in the cluster holds back every
//! pull (not pushes) until it ends. Pushes are short; nothing else should keep a
//! transaction open on the server's cluster.

use sqlx::PgPool;
use tirek_protocol::{
    AuditHead, Cursor, PullRequest, PullResponse, SUPPORTED, ScopeSummary, StatusResponse, WireChange,
};

use crate::config::Config;
use crate::db;
use crate::devices::DeviceContext;
use crate::error::{Result, ServerError};
use crate::rules::Role;

/// The users whose caseloads the device may read: a psychologist, her own; a
/// supervisor, those of the teams she oversees — her own team, or every team of
/// her organisation's clinics in the district or region she oversees; an
/// administrator, none.
pub async fn scope_owners(pool: &PgPool, device: &DeviceContext) -> Result<Vec<i64>> {
    match device.writer.role {
        Role::Psychologist => Ok(vec![device.writer.user_id]),
        Role::Supervisor => Ok(sqlx::query_scalar(
            "SELECT o.id FROM users me
             JOIN users o ON o.organisation_id = me.organisation_id
             JOIN teams t ON t.id = o.team_id
             JOIN clinics c ON c.id = t.clinic_id
             WHERE me.id = $1 AND CASE
                 WHEN me.oversees_district IS NOT NULL THEN c.district = me.oversees_district
                 WHEN me.oversees_region IS NOT NULL THEN c.district LIKE me.oversees_region || '.%'
                 ELSE o.team_id = me.team_id
             END
             ORDER BY o.id",
        )
        .bind(device.writer.user_id)
        .fetch_all(pool)
        .await?),
        Role::Administrator => Ok(Vec::new()),
    }
}

/// The rows of one page: other devices' changes in scope, after the cursor, below
/// the snapshot's xmin (see the module docs), in (txid, id) order. Each key of each
/// part of the scope (`access::SCOPE_PARTS`: an owner whose caseload is read whole,
/// a client shared, a client kept read-only) is read in that order from the cursor
/// up to the limit, along its own index, and the keys' rows are merged: a page
/// costs what it returns, not what lies before the cursor.
fn page_query() -> String {
    let part = |part: &crate::access::ScopePart| {
        format!(
            "(SELECT c.* FROM {keys} CROSS JOIN LATERAL (
                SELECT c.txid, c.id, c.device_id, c.device_seq, c.entity, c.record_id, c.base_revision, c.hlc,
                       c.author, c.fields
                FROM changes c
                WHERE {condition}
                  AND (c.device_id <> $5 OR c.client_id = ANY($9))
                  AND (c.txid, c.id) > ($6::text::xid8, $7)
                  AND c.txid < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY c.txid, c.id
                LIMIT $8) c)",
            keys = part.keys,
            condition = part.condition
        )
    };
    let parts: Vec<String> = crate::access::SCOPE_PARTS.iter().map(part).collect();
    format!(
        // `page.txid`, the xid8: a bare `txid` would be the output column, its text,
        // and "1000" sorts before "999" — the page cut at the limit would then drop
        // a row the cursor has already passed.
        "SELECT page.txid::text AS txid_text, page.id, device_id, device_seq, entity, record_id, base_revision, hlc,
                author, fields::text
         FROM ({}) page ORDER BY page.txid, page.id LIMIT $8",
        parts.join(" UNION ALL ")
    )
}

/// The count and checksum of a scope: the parts are disjoint, so they add up.
fn summary_query() -> String {
    let parts: Vec<String> = crate::access::SCOPE_PARTS
        .iter()
        .map(|part| {
            format!(
                "(SELECT c.digest FROM {} CROSS JOIN LATERAL (
                    SELECT c.digest FROM changes c
                    WHERE {} AND c.txid < pg_snapshot_xmin(pg_current_snapshot())) c)",
                part.keys, part.condition
            )
        })
        .collect();
    format!("SELECT count(*), coalesce(bit_xor(digest), 0) FROM ({}) scope", parts.join(" UNION ALL "))
}

static PAGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(page_query);
static SUMMARY: std::sync::LazyLock<String> = std::sync::LazyLock::new(summary_query);

type PageRow = (String, i64, String, i64, String, String, i64, i64, String, String);

/// The next page of changes for `device` after `request.cursor`.
pub async fn pull(
    pool: &PgPool,
    config: &Config,
    device: &DeviceContext,
    request: PullRequest,
) -> Result<PullResponse> {
    let epoch = db::epoch(pool).await?;
    if request.epoch.as_ref().is_some_and(|theirs| *theirs != epoch) {
        return Err(ServerError::EpochChanged { epoch });
    }
    let limit = request.limit.unwrap_or(config.pull_page_max).clamp(1, config.pull_page_max);
    let cursor = request.cursor.unwrap_or(Cursor::START);
    // A cursor naming a transaction this database has not reached comes from a
    // history it no longer has (a restore it could not see): the device starts over.
    let from_the_future: bool = sqlx::query_scalar("SELECT $1::text::xid8 >= pg_snapshot_xmax(pg_current_snapshot())")
        .bind(cursor.txid.to_string())
        .fetch_one(pool)
        .await?;
    if from_the_future {
        tracing::warn!("a pull cursor is ahead of the database: the device starts over");
        return Err(ServerError::EpochChanged { epoch });
    }
    crate::access::removals_done(pool, &device.writer.device_id, &request.removals_done).await?;
    let scope = crate::access::scope(pool, device).await?;
    let (read, until): (Vec<String>, Vec<i64>) = scope.read.into_iter().unzip();
    // A device that removed a client and got it back pulls its own changes of it too.
    let returned = crate::access::returned_clients(pool, &device.writer.device_id).await?;
    // Each key's range is read along its index in (txid, id) order, which needs no
    // sort and stops at the limit. PostgreSQL's estimate of a range can be far too
    // small — a caseload pushed in the last minutes is not in its statistics yet —
    // and then it prefers a bitmap scan of the whole range and a sort: a page costs
    // what lies after the cursor instead of what it returns, and a first sync grows
    // with the square of the caseload. Bitmap scans are off for this one statement.
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL enable_bitmapscan = off").execute(&mut *tx).await?;
    let mut rows: Vec<PageRow> = sqlx::query_as(PAGE.as_str())
        .bind(&scope.owners)
        .bind(&scope.shared)
        .bind(&read)
        .bind(&until)
        .bind(&device.writer.device_id)
        .bind(cursor.txid.to_string())
        .bind(cursor.id)
        .bind(i64::from(limit) + 1)
        .bind(&returned)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let mut next = cursor;
    let mut changes = Vec::with_capacity(rows.len());
    for (txid, id, device_id, seq, entity, record_id, base_revision, hlc, author, fields) in rows {
        next = Cursor { txid: txid.parse().map_err(|_| ServerError::Invalid(format!("txid {txid}")))?, id };
        let fields =
            serde_json::from_str(&fields).map_err(|err| ServerError::Invalid(format!("stored fields: {err}")))?;
        changes.push(WireChange { device_id, seq, hlc: hlc as u64, entity, record_id, base_revision, author, fields });
    }
    tracing::info!(changes = changes.len(), more, "pull");
    Ok(PullResponse { epoch, changes, cursor: next, more })
}

/// What the server holds of and for `device`.
pub async fn status(pool: &PgPool, device: &DeviceContext) -> Result<StatusResponse> {
    let epoch = db::current_epoch(pool).await?;
    let scope = crate::access::scope(pool, device).await?;
    let (read, until): (Vec<String>, Vec<i64>) = scope.read.into_iter().unzip();
    let (count, checksum): (i64, i64) = sqlx::query_as(SUMMARY.as_str())
        .bind(&scope.owners)
        .bind(&scope.shared)
        .bind(&read)
        .bind(&until)
        .fetch_one(pool)
        .await?;
    let (acknowledged, audit_id, audit_hash): (i64, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT acknowledged_seq, audit_id, audit_hash FROM devices WHERE id = $1")
            .bind(&device.writer.device_id)
            .fetch_one(pool)
            .await?;
    Ok(StatusResponse {
        epoch,
        device_id: device.writer.device_id.clone(),
        acknowledged,
        scope: ScopeSummary { count: count as u64, checksum: checksum as u64 },
        server_time_ms: crate::push::now_ms(),
        supported: SUPPORTED,
        audit: audit_id.zip(audit_hash).map(|(id, hash)| AuditHead { id, hash }),
        bundle_key: None,
        read_only: crate::access::read_only_clients(pool, device.writer.user_id).await?,
        user_devices: sqlx::query_scalar("SELECT id FROM devices WHERE user_id = $1 AND id <> $2 ORDER BY id")
            .bind(device.writer.user_id)
            .bind(&device.writer.device_id)
            .fetch_all(pool)
            .await?,
        removals: crate::access::pending_removals(pool, &device.writer.device_id).await?,
    })
}
