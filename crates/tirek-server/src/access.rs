//! Who may read and write a client, and the administrator's three ways to change
//! it: move a client to another psychologist, share one with a colleague, stop
//! sharing it (`tirek-server admin client move|share|unshare|show`).
//!
//! # The model
//! `client_access` holds, per client, its one owner, the colleagues it is shared
//! with (they read and write it as the owner does), and former owners who kept it
//! read-only when it moved (`read_until`: the last change of it they may read — its
//! history when it moved; the erasures of it reach them whatever their number).
//! Every record the server holds is filed under one client (`records.client_id`,
//! `changes.client_id`): its own records, and the consultations whose first
//! attendee it is, with their addenda (a consultation names no client itself). A
//! filed record's `owner_id` is its client's owner, so the owner's — and her
//! supervisors' — pull stays the one index range it always was.
//!
//! # Why a change of access re-stamps the client's changes
//! A device pulls in the server order (txid, id) from its cursor (`pull.rs`). The
//! client's history sits before the cursor of every device of the new owner or
//! colleague, so a plain change of `owner_id` would never reach them. Moving,
//! sharing and filing a consultation therefore give the client's stored changes the
//! moving transaction's own id (`txid = pg_current_xact_id()`), as the epoch renewal
//! does for rows ahead of a new cluster: until it commits no pull returns past it
//! (every snapshot's xmin is at or below a running transaction's id), and after it
//! every device's cursor is below it. So every device that reads the client now gets
//! its whole history on its next ordinary pull, in its original order (id), and the
//! pull's rule — only rows below the snapshot's xmin — holds unchanged. A device
//! that held the history already (a colleague, a supervisor of both teams) gets it
//! again and skips it: a change is applied once by its (device, seq). The scope
//! checksum needs nothing: it sums what the device may read, and the device then
//! holds exactly that. A backfill queue per device would have done the same with a
//! second order to merge into the cursor's; re-stamping reuses the one order.
//!
//! # Losing a client
//! A device whose user no longer reads a client is sent a [`ClientRemoval`] in the
//! status answer (`client_removals`): the device removes what it holds of the
//! client before it pulls — not an erasure: nothing is sent, and the server keeps
//! everything — and acknowledges in its next pull. Getting the client back deletes
//! the notice and re-stamps the history, so it arrives again.
//!
//! Concurrency: a move locks the client's records (`records`, `FOR UPDATE`, in the
//! push's own order) before it reads or changes anything, so a push writing the
//! client is judged either wholly before it — its changes move with the rest — or
//! wholly after, against the new owner. A deadlock with a push is retried.

use std::collections::BTreeSet;

use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use tirek_protocol::ClientRemoval;

use crate::devices::DeviceContext;
use crate::error::{Result, ServerError};
use crate::rules::{Access, Role};

/// SQL that renders a timestamptz as ISO 8601 in UTC.
macro_rules! utc {
    ($column:literal) => {
        concat!("to_char(", $column, " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
    };
}

/// What a device reads: the users whose caseloads it reads whole, and the clients
/// of other caseloads it reads too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Owners whose filed records it reads: a psychologist herself; a supervisor,
    /// the users she oversees (see [`crate::pull::scope_owners`]).
    pub owners: Vec<i64>,
    /// Clients of other owners shared with one of `owners`.
    pub shared: Vec<String>,
    /// Clients a psychologist holds read-only, each with its horizon (`read_until`).
    pub read: Vec<(String, i64)>,
}

/// The scope of `device`.
pub async fn scope(pool: &PgPool, device: &DeviceContext) -> Result<Scope> {
    let owners = crate::pull::scope_owners(pool, device).await?;
    let shared: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT client_id FROM client_access WHERE access = 'shared' AND user_id = ANY($1) ORDER BY 1",
    )
    .bind(&owners)
    .fetch_all(pool)
    .await?;
    // Only the former owner herself keeps a moved client, not her supervisors.
    let read: Vec<(String, i64)> = if device.writer.role == Role::Psychologist {
        sqlx::query_as(
            "SELECT client_id, read_until FROM client_access WHERE access = 'read' AND user_id = $1
               AND NOT client_id = ANY($2) ORDER BY 1",
        )
        .bind(device.writer.user_id)
        .bind(&shared)
        .fetch_all(pool)
        .await?
    } else {
        Vec::new()
    };
    Ok(Scope { owners, shared, read })
}

/// One part of a scope: the keys it is read by, and the condition, on `changes c`,
/// that one key's changes meet.
#[derive(Debug, Clone, Copy)]
pub struct ScopePart {
    /// A set of rows `k`: owners, shared clients, or read-only clients with their
    /// horizons. Each key's changes are one range of an index in (txid, id) order
    /// (`changes_in_server_order`, `changes_by_client_in_order`), so a page reads
    /// each key's range from the cursor up to its limit, whatever the table holds
    /// before the cursor or of other keys.
    pub keys: &'static str,
    /// What a change of key `k` meets to be in this part.
    pub condition: &'static str,
}

/// The parts of a scope: `$1` owners, `$2` shared clients, `$3`/`$4` read-only
/// clients and their horizons (each list without repeats). The parts are disjoint,
/// so a page merges them and a checksum adds them up without counting a change
/// twice.
pub const SCOPE_PARTS: [ScopePart; 3] = [
    ScopePart { keys: "unnest($1::bigint[]) AS k(owner)", condition: "c.owner_id = k.owner" },
    ScopePart {
        keys: "unnest($2::text[]) AS k(client)",
        condition: "c.client_id = k.client AND c.owner_id <> ALL($1)",
    },
    ScopePart {
        keys: "unnest($3::text[], $4::bigint[]) AS k(client, until)",
        condition: "c.client_id = k.client AND (c.id <= k.until OR c.fields ? '_erased')
                    AND c.owner_id <> ALL($1) AND NOT c.client_id = ANY($2)",
    },
];

/// The removals `device` has not carried out yet, with the records to remove.
pub async fn pending_removals(pool: &PgPool, device_id: &str) -> Result<Vec<ClientRemoval>> {
    let notices: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, client_id FROM client_removals WHERE device_id = $1 AND done_at IS NULL ORDER BY id",
    )
    .bind(device_id)
    .fetch_all(pool)
    .await?;
    let mut removals = Vec::with_capacity(notices.len());
    for (id, client_id) in notices {
        let records: Vec<(String, String)> =
            sqlx::query_as("SELECT entity, record_id FROM records WHERE client_id = $1 ORDER BY entity, record_id")
                .bind(&client_id)
                .fetch_all(pool)
                .await?;
        removals.push(ClientRemoval { id, client_id, records });
    }
    Ok(removals)
}

/// Forgets the removals `device` carried out.
pub async fn removals_done(pool: &PgPool, device_id: &str, done: &[i64]) -> Result<()> {
    if !done.is_empty() {
        sqlx::query(
            "UPDATE client_removals SET done_at = now() WHERE device_id = $1 AND id = ANY($2) AND done_at IS NULL",
        )
        .bind(device_id)
        .bind(done)
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// The clients `device` removed and got back since: it pulls its own changes of
/// them too, which it removed with the rest.
pub async fn returned_clients(pool: &PgPool, device_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT client_id FROM client_removals WHERE device_id = $1 AND returned_at IS NOT NULL ORDER BY 1",
    )
    .bind(device_id)
    .fetch_all(pool)
    .await?)
}

/// The clients `user` holds read-only.
pub async fn read_only_clients(pool: &PgPool, user: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT client_id FROM client_access WHERE user_id = $1 AND access = 'read' ORDER BY 1")
        .bind(user)
        .fetch_all(pool)
        .await?)
}

/// The writer's access to each of `clients` it has any to.
pub async fn accesses(
    tx: &mut PgConnection,
    user: i64,
    clients: &[String],
) -> Result<std::collections::HashMap<String, Access>> {
    if clients.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT client_id, access FROM client_access WHERE user_id = $1 AND client_id = ANY($2)")
            .bind(user)
            .bind(clients)
            .fetch_all(&mut *tx)
            .await?;
    Ok(rows.into_iter().filter_map(|(client, access)| Access::parse(&access).map(|access| (client, access))).collect())
}

/// The users who read a client: its owner, colleagues it is shared with and former
/// owners who kept it, and the supervisors overseeing its owner or a colleague it is
/// shared with (the converse of [`crate::pull::scope_owners`]).
const READERS: &str = "
    SELECT a.user_id FROM client_access a WHERE a.client_id = $1
    UNION
    SELECT s.id FROM client_access a
    JOIN users o ON o.id = a.user_id
    JOIN teams t ON t.id = o.team_id
    JOIN clinics c ON c.id = t.clinic_id
    JOIN users s ON s.organisation_id = o.organisation_id AND s.role = 'supervisor'
    WHERE a.client_id = $1 AND a.access IN ('owner', 'shared') AND CASE
        WHEN s.oversees_district IS NOT NULL THEN c.district = s.oversees_district
        WHEN s.oversees_region IS NOT NULL THEN c.district LIKE s.oversees_region || '.%'
        ELSE o.team_id = s.team_id
    END";

async fn readers(tx: &mut PgConnection, client: &str) -> Result<BTreeSet<i64>> {
    let users: Vec<i64> = sqlx::query_scalar(READERS).bind(client).fetch_all(&mut *tx).await?;
    Ok(users.into_iter().collect())
}

/// Tells the devices of users who read the client `before` but not now to remove
/// it, and takes the notice back from devices whose users read it now.
async fn tell_devices(tx: &mut PgConnection, client: &str, before: &BTreeSet<i64>) -> Result<()> {
    let after = readers(tx, client).await?;
    let lost: Vec<i64> = before.difference(&after).copied().collect();
    let now: Vec<i64> = after.into_iter().collect();
    // A new notice each time (a new id): an acknowledgement of an earlier one,
    // arriving late, does not answer it.
    sqlx::query(
        "DELETE FROM client_removals WHERE client_id = $2
           AND device_id IN (SELECT id FROM devices WHERE user_id = ANY($1))",
    )
    .bind(&lost)
    .bind(client)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO client_removals (device_id, client_id)
         SELECT id, $2 FROM devices WHERE user_id = ANY($1) AND revoked_at IS NULL",
    )
    .bind(&lost)
    .bind(client)
    .execute(&mut *tx)
    .await?;
    // Back in scope: a notice not carried out yet is withdrawn (the device still
    // holds everything); after it was, the device pulls its own changes again.
    sqlx::query(
        "DELETE FROM client_removals WHERE client_id = $2 AND done_at IS NULL
           AND device_id IN (SELECT id FROM devices WHERE user_id = ANY($1))",
    )
    .bind(&now)
    .bind(client)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE client_removals SET returned_at = now() WHERE client_id = $2 AND returned_at IS NULL
           AND device_id IN (SELECT id FROM devices WHERE user_id = ANY($1))",
    )
    .bind(&now)
    .bind(client)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Gives the client's stored changes this transaction's id, so that every device
/// reading the client now pulls its whole history next (see the module docs).
async fn restamp(tx: &mut PgConnection, client: &str) -> Result<()> {
    sqlx::query("UPDATE changes SET txid = pg_current_xact_id() WHERE client_id = $1")
        .bind(client)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// What a former owner keeps when her client moves to a colleague.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormerOwner {
    /// The client's history as it was, read-only (the default).
    KeepsReadOnly,
    /// Nothing: her devices remove the client.
    Loses,
}

/// One change of access, as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AccessChange {
    /// Its number.
    pub id: i64,
    /// When (UTC).
    pub at: String,
    /// Who: the administrator's login, or the server account that ran the command.
    pub actor: String,
    /// `move`, `share` or `unshare`.
    pub action: String,
    /// The new owner, or the colleague shared with (or no longer).
    pub user_id: i64,
    /// The former owner, for a move.
    pub from_user: Option<i64>,
    /// What the former owner keeps: `read` or `none`.
    pub former_access: Option<String>,
}

/// Who may read and write a client, and how that came to be. Ids only: the
/// administrator sees no clinical data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientAccess {
    /// The client.
    pub client_id: String,
    /// Its owner.
    pub owner_id: i64,
    /// Colleagues it is shared with.
    pub shared_with: Vec<i64>,
    /// Former owners who keep its history read-only.
    pub read_only: Vec<i64>,
    /// Every change of access, oldest first.
    pub history: Vec<AccessChange>,
}

/// Who may read and write client `client`.
pub async fn show(pool: &PgPool, client: &str) -> Result<ClientAccess> {
    let mut connection = pool.acquire().await?;
    describe(&mut connection, client).await
}

async fn describe(tx: &mut PgConnection, client: &str) -> Result<ClientAccess> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT user_id, access FROM client_access WHERE client_id = $1 ORDER BY user_id")
            .bind(client)
            .fetch_all(&mut *tx)
            .await?;
    let owner_id = rows
        .iter()
        .find(|(_, access)| access == "owner")
        .map(|(user, _)| *user)
        .ok_or_else(|| ServerError::NotFound(format!("client {client}")))?;
    let with = |kind: &str| rows.iter().filter(|(_, access)| access == kind).map(|(user, _)| *user).collect();
    let history = sqlx::query_as(concat!(
        "SELECT id, ",
        utc!("at"),
        " AS at, actor, action, user_id, from_user, former_access FROM client_access_log
         WHERE client_id = $1 ORDER BY id"
    ))
    .bind(client)
    .fetch_all(&mut *tx)
    .await?;
    Ok(ClientAccess {
        client_id: client.to_owned(),
        owner_id,
        shared_with: with("shared"),
        read_only: with("read"),
        history,
    })
}

/// A user named as the new owner or a colleague: she must exist, be enabled, be a
/// psychologist (only psychologists hold clients) and be of the client's owner's
/// organisation.
async fn check_colleague(tx: &mut PgConnection, user: i64, owner: i64) -> Result<()> {
    let found: Option<(String, bool, bool)> = sqlx::query_as(
        "SELECT u.role, u.disabled_at IS NOT NULL, u.organisation_id = o.organisation_id
         FROM users u, users o WHERE u.id = $1 AND o.id = $2",
    )
    .bind(user)
    .bind(owner)
    .fetch_optional(&mut *tx)
    .await?;
    match found {
        None => Err(ServerError::NotFound(format!("user {user}"))),
        Some((role, _, _)) if role != Role::Psychologist.name() => Err(ServerError::Invalid(format!(
            "user {user} is a{} {role}: only a psychologist holds clients",
            if role.starts_with('a') { "n" } else { "" }
        ))),
        Some((_, true, _)) => Err(ServerError::Invalid(format!("user {user} is disabled"))),
        Some((_, _, false)) => {
            Err(ServerError::Invalid(format!("user {user} belongs to another organisation than the client's owner")))
        }
        Some(_) => Ok(()),
    }
}

/// Locks every record filed under `client` (the client's row among them) in the
/// push's order, and returns its owner. Run twice: a push that was creating one of
/// its records while the first pass waited has committed by the second, and none
/// can start while the client's row is held.
async fn lock_client(tx: &mut PgConnection, client: &str) -> Result<i64> {
    let mut owner = None;
    for _ in 0..2 {
        let rows: Vec<(String, String, i64, bool)> = sqlx::query_as(
            "SELECT entity, record_id, owner_id, gone FROM records WHERE client_id = $1
             ORDER BY entity, record_id FOR UPDATE",
        )
        .bind(client)
        .fetch_all(&mut *tx)
        .await?;
        let row = rows.iter().find(|(entity, id, _, _)| entity == "client" && id == client);
        owner = match row {
            None => return Err(ServerError::NotFound(format!("client {client}"))),
            Some((_, _, _, true)) => return Err(ServerError::Invalid(format!("client {client} was erased"))),
            Some((_, _, owner, false)) => Some(*owner),
        };
    }
    owner.ok_or_else(|| ServerError::NotFound(format!("client {client}")))
}

/// The administrator named by `--by` (an enabled administrator's login), or the
/// account that runs the command.
async fn actor(tx: &mut PgConnection, by: Option<&str>) -> Result<String> {
    let Some(login) = by else {
        let account = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_default();
        let account: String = account.chars().filter(|c| !c.is_control()).take(100).collect();
        return Ok(format!("server account {}", if account.is_empty() { "unknown" } else { &account }));
    };
    let found: Option<bool> =
        sqlx::query_scalar("SELECT role = 'administrator' AND disabled_at IS NULL FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await?;
    match found {
        Some(true) => Ok(login.to_owned()),
        Some(false) => Err(ServerError::Invalid(format!("--by {login}: not an enabled administrator"))),
        None => Err(ServerError::NotFound(format!("administrator {login}"))),
    }
}

async fn log(
    tx: &mut PgConnection,
    actor: &str,
    action: &str,
    client: &str,
    user: i64,
    former: Option<(i64, FormerOwner)>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO client_access_log (actor, action, client_id, user_id, from_user, former_access)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor)
    .bind(action)
    .bind(client)
    .bind(user)
    .bind(former.map(|(from, _)| from))
    .bind(former.map(|(_, keeps)| if keeps == FormerOwner::KeepsReadOnly { "read" } else { "none" }))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A change of access an administrator asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessRequest<'a> {
    /// Move `client` to psychologist `to`; the former owner keeps it read-only or not.
    Move {
        /// The client.
        client: &'a str,
        /// The new owner.
        to: i64,
        /// What the former owner keeps.
        former: FormerOwner,
    },
    /// Share `client` with psychologist `with`.
    Share {
        /// The client.
        client: &'a str,
        /// The colleague.
        with: i64,
    },
    /// Stop sharing `client` with `with`, or end the read-only access she kept.
    Unshare {
        /// The client.
        client: &'a str,
        /// The colleague.
        with: i64,
    },
}

/// Carries out `request` for the administrator `by` (a login; none: the server
/// account), in one transaction — again if it deadlocked with a push (each waiting
/// for the other's row locks, PostgreSQL ends one of the two) — and returns who may
/// read and write the client now.
pub async fn change_access(pool: &PgPool, request: AccessRequest<'_>, by: Option<&str>) -> Result<ClientAccess> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut tx = pool.begin().await?;
        let done = async {
            let actor = actor(&mut tx, by).await?;
            match request {
                AccessRequest::Move { client, to, former } => move_client(&mut tx, &actor, client, to, former).await?,
                AccessRequest::Share { client, with } => share_client(&mut tx, &actor, client, with).await?,
                AccessRequest::Unshare { client, with } => unshare_client(&mut tx, &actor, client, with).await?,
            }
            let client = match request {
                AccessRequest::Move { client, .. }
                | AccessRequest::Share { client, .. }
                | AccessRequest::Unshare { client, .. } => client,
            };
            describe(&mut tx, client).await
        }
        .await;
        match done {
            Ok(access) => {
                tx.commit().await?;
                return Ok(access);
            }
            Err(ServerError::Database(err))
                if attempt < 4
                    && err.as_database_error().and_then(|db| db.code()).is_some_and(|code| code == "40P01") =>
            {
                tracing::warn!(attempt, "a change of access deadlocked with a push: trying again");
            }
            Err(err) => return Err(err),
        }
    }
}

/// Moves `client` to psychologist `to`: she owns it and every record filed under
/// it from now on, and her devices pull its whole history at their next sync; the
/// former owner keeps it read-only or loses it. Colleagues it is shared with keep it.
async fn move_client(tx: &mut PgConnection, actor: &str, client: &str, to: i64, former: FormerOwner) -> Result<()> {
    let owner = lock_client(tx, client).await?;
    check_colleague(tx, to, owner).await?;
    if owner == to {
        return Err(ServerError::Invalid(format!("user {to} owns client {client} already")));
    }
    let before = readers(tx, client).await?;
    sqlx::query("DELETE FROM client_access WHERE client_id = $1 AND user_id = $2")
        .bind(client)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE client_access SET user_id = $2, granted_at = now() WHERE client_id = $1 AND access = 'owner'")
        .bind(client)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    if former == FormerOwner::KeepsReadOnly {
        sqlx::query(
            "INSERT INTO client_access (client_id, user_id, access, read_until)
             SELECT $1, $2, 'read', coalesce(max(id), 0) FROM changes WHERE client_id = $1",
        )
        .bind(client)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE records SET owner_id = $2 WHERE client_id = $1")
        .bind(client)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE changes SET owner_id = $2, txid = pg_current_xact_id() WHERE client_id = $1")
        .bind(client)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    tell_devices(tx, client, &before).await?;
    log(tx, actor, "move", client, to, Some((owner, former))).await?;
    tracing::info!(to, from = owner, keeps_read = former == FormerOwner::KeepsReadOnly, "client moved");
    Ok(())
}

/// Shares `client` with psychologist `with`: she reads and writes it as its owner
/// does, and her devices pull its whole history at their next sync. A former owner
/// who kept it read-only may write it again.
async fn share_client(tx: &mut PgConnection, actor: &str, client: &str, with: i64) -> Result<()> {
    let owner = lock_client(tx, client).await?;
    check_colleague(tx, with, owner).await?;
    if owner == with {
        return Err(ServerError::Invalid(format!("user {with} owns client {client}")));
    }
    let before = readers(tx, client).await?;
    let done = sqlx::query(
        "INSERT INTO client_access (client_id, user_id, access) VALUES ($1, $2, 'shared')
         ON CONFLICT (client_id, user_id) DO UPDATE SET access = 'shared', read_until = NULL, granted_at = now()
         WHERE client_access.access <> 'shared'",
    )
    .bind(client)
    .bind(with)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ServerError::Invalid(format!("client {client} is shared with user {with} already")));
    }
    restamp(tx, client).await?;
    tell_devices(tx, client, &before).await?;
    log(tx, actor, "share", client, with, None).await?;
    tracing::info!(with, "client shared");
    Ok(())
}

/// Stops sharing `client` with `with` (or ends the read-only access a former owner
/// kept): her devices remove it at their next sync.
async fn unshare_client(tx: &mut PgConnection, actor: &str, client: &str, with: i64) -> Result<()> {
    let owner = lock_client(tx, client).await?;
    if owner == with {
        return Err(ServerError::Invalid(format!("user {with} owns client {client}: move it to a colleague instead")));
    }
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1").bind(with).fetch_optional(&mut *tx).await?;
    if exists.is_none() {
        return Err(ServerError::NotFound(format!("user {with}")));
    }
    let before = readers(tx, client).await?;
    let done = sqlx::query("DELETE FROM client_access WHERE client_id = $1 AND user_id = $2")
        .bind(client)
        .bind(with)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ServerError::Invalid(format!("client {client} is not shared with user {with}")));
    }
    tell_devices(tx, client, &before).await?;
    log(tx, actor, "unshare", client, with, None).await?;
    tracing::info!(with, "client no longer shared");
    Ok(())
}
