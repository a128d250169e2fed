//! The connection pool and the schema. Migrations are the numbered SQL files in
//! `migrations/server/`, compiled into the binary by `sqlx::migrate!`, applied by
//! `tirek-server migrate` and again (a no-op when current) every time the server
//! starts, so a server never runs on a schema older than its code.
//!
//! Queries are checked at run time, not with `query!` at compile time: the offline
//! query data that `query!` needs comes from `cargo sqlx prepare`, a tool we do not
//! build in CI, and every query is exercised by the integration tests against a
//! real PostgreSQL instead (`crates/tirek-server/tests/`).

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use crate::config::Config;
use crate::error::Result;

/// The migrations in `migrations/server/`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/server");

/// Opens the pool (lazily: the server starts, and `/ready` says so, while the
/// database is still coming up).
pub fn connect(config: &Config) -> Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy(&config.database_url)?;
    Ok(pool)
}

/// Applies the migrations not yet applied.
pub async fn migrate(pool: &PgPool) -> Result<()> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// Where the database lives now: the cluster's system identifier, its timeline and
/// the database's oid (`migrations/server/0002_cluster_identity.sql`).
macro_rules! cluster_here {
    () => {
        "(SELECT system_identifier::text FROM pg_control_system())
         || '/' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)
         || '/' || (SELECT oid::text FROM pg_database WHERE datname = current_database())"
    };
}

/// The server's epoch as stored.
pub async fn epoch(pool: &PgPool) -> Result<String> {
    Ok(sqlx::query_scalar("SELECT epoch::text FROM server_epoch").fetch_one(pool).await?)
}

/// The server's epoch, renewed first if the database is no longer where it was
/// when the epoch was taken: restored from a dump, recovered to a point in time,
/// failed over to a standby, or upgraded into a new cluster. Any of them may have
/// lost changes the server acknowledged, and devices learn it only from the epoch.
/// Checked when the server starts and at every status request, which opens every
/// sync, so a server that kept running while its database was restored notices too.
///
/// A failover that lost nothing (synchronous replication) renews the epoch as well:
/// devices then re-send from the server's marks and pull their scope again — work,
/// never a loss, and the server cannot tell the two apart.
pub async fn current_epoch(pool: &PgPool) -> Result<String> {
    let (epoch, same): (String, bool) =
        sqlx::query_as(concat!("SELECT epoch::text, cluster = ", cluster_here!(), " FROM server_epoch"))
            .fetch_one(pool)
            .await?;
    if same {
        return Ok(epoch);
    }
    let mut tx = pool.begin().await?;
    // Locked, so that of several servers noticing at once one renews and the others
    // read its epoch.
    let (epoch, same): (String, bool) =
        sqlx::query_as(concat!("SELECT epoch::text, cluster = ", cluster_here!(), " FROM server_epoch FOR UPDATE"))
            .fetch_one(&mut *tx)
            .await?;
    if same {
        // Another server renewed it meanwhile: nothing to write, and the row lock
        // is let go now rather than when the connection is next used.
        tx.rollback().await?;
        return Ok(epoch);
    }
    let epoch = renew_in(&mut tx).await?;
    tx.commit().await?;
    tracing::warn!(epoch, "the database was restored or moved: a new epoch, devices re-send what it lacks");
    Ok(epoch)
}

/// Gives the server a new epoch: after restoring a backup, so every device re-sends
/// what the restored server lacks and pulls from the start. Done by itself when the
/// database moved ([`current_epoch`]); by hand (`tirek-server admin epoch renew`) for
/// a restore it cannot see, such as files copied back in place.
pub async fn renew_epoch(pool: &PgPool) -> Result<String> {
    let mut tx = pool.begin().await?;
    let epoch = renew_in(&mut tx).await?;
    tx.commit().await?;
    Ok(epoch)
}

async fn renew_in(tx: &mut sqlx::PgConnection) -> Result<String> {
    // A dump restored into another cluster keeps its rows' transaction ids, which
    // may be ahead of this cluster's: such rows would stay below no pull's xmin,
    // invisible, until the counter caught up. They take this transaction's id —
    // devices pull from the start of the new epoch, so only their order among
    // themselves (by id) matters.
    sqlx::query("UPDATE changes SET txid = pg_current_xact_id() WHERE txid >= pg_current_xact_id()")
        .execute(&mut *tx)
        .await?;
    Ok(sqlx::query_scalar(concat!(
        "UPDATE server_epoch SET epoch = gen_random_uuid(), renewed_at = now(), cluster = ",
        cluster_here!(),
        " RETURNING epoch::text"
    ))
    .fetch_one(&mut *tx)
    .await?)
}

/// Whether the database answers.
pub async fn ping(pool: &PgPool) -> Result<()> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}
