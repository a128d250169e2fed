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

/// The server's epoch.
pub async fn epoch(pool: &PgPool) -> Result<String> {
    Ok(sqlx::query_scalar("SELECT epoch::text FROM server_epoch").fetch_one(pool).await?)
}

/// Gives the server a new epoch: run after restoring a backup, so every device
/// re-sends what the restored server lacks and pulls from the start.
pub async fn renew_epoch(pool: &PgPool) -> Result<String> {
    Ok(sqlx::query_scalar(
        "UPDATE server_epoch SET epoch = gen_random_uuid(), renewed_at = now() RETURNING epoch::text",
    )
    .fetch_one(pool)
    .await?)
}

/// Whether the database answers.
pub async fn ping(pool: &PgPool) -> Result<()> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}
