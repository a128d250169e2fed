//! Opening a profile's SQLCipher database: the raw key, the pragmas that make every
//! committed write durable, the migrations and derived columns brought up to date,
//! and the checks that tell a wrong key from a damaged file.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::keys::Secret;
use crate::{Result, StoreError};

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The schema version this build creates and understands.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |&(version, _, _)| version)
}

/// Opens (or creates) the encrypted database at `path` with `key`, applies pending
/// migrations, and returns the connection.
pub(crate) fn open(path: &Path, key: &Secret) -> Result<Connection> {
    open_keyed(path, Some(key))
}

/// Makes SQLCipher set up its crypto provider (OpenSSL) once, on one thread. Its
/// lazy set-up is not safe when two threads open their first keyed databases at the
/// same moment: one of them fails with "an error occurred with PRAGMA key".
fn warm_up_crypto() {
    static WARM: std::sync::Once = std::sync::Once::new();
    WARM.call_once(|| {
        // A failure here shows again, with its path, at the open that follows.
        let _ = Connection::open_in_memory().and_then(|connection| {
            connection.execute_batch(
                "PRAGMA key = \"x'0000000000000000000000000000000000000000000000000000000000000000'\";
                 PRAGMA cipher_hmac_algorithm = HMAC_SHA256;
                 CREATE TABLE warm (x); INSERT INTO warm VALUES (1);",
            )
        });
    });
}

/// Opens with `key`, or — only for the benchmark's baseline — without encryption.
pub(crate) fn open_keyed(path: &Path, key: Option<&Secret>) -> Result<Connection> {
    warm_up_crypto();
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|err| StoreError::sqlite(path, err))?;
    if let Some(key) = key {
        // A raw key skips SQLCipher's own PBKDF2: the key is already 256 random bits.
        let key_pragma = zeroize::Zeroizing::new(format!("PRAGMA key = \"{}\";", *key.sqlcipher_literal()));
        connection.execute_batch(&key_pragma).map_err(|err| StoreError::sqlite(path, err))?;
        // Pages are authenticated with HMAC-SHA256 rather than SQLCipher 4's default
        // SHA-512: the same 256-bit strength, and the difference keeps encrypted writes
        // within 15 % of plain SQLite (`cargo xtask bench store`). It is not stored in
        // the file, so it must be set, identically, on every open.
        connection
            .execute_batch("PRAGMA cipher_hmac_algorithm = HMAC_SHA256;")
            .map_err(|err| StoreError::sqlite(path, err))?;
    }
    // The first read is where a wrong key or a foreign file shows.
    connection
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))
        .map_err(|err| StoreError::sqlite(path, err))?;
    connection
        .execute_batch(
            "PRAGMA cipher_log_level = NONE;
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA secure_delete = ON;
             PRAGMA busy_timeout = 5000;
             PRAGMA cache_size = -65536;",
        )
        .map_err(|err| StoreError::sqlite(path, err))?;
    // Statements are kept prepared (`Cached`): the sync's apply path runs a few
    // dozen distinct ones per change, tens of thousands of times on a first sync.
    connection.set_prepared_statement_cache_capacity(256);
    migrate(&connection, path)?;
    // Derived columns stored by a Tirek that derived them differently (see `derived`).
    crate::derived::bring_up_to_date(&connection)?;
    Ok(connection)
}

/// Brings the schema up to [`latest_version`], one transaction per migration, so a
/// failed migration leaves the previous schema intact.
fn migrate(connection: &Connection, path: &Path) -> Result<()> {
    migrate_with(connection, path, MIGRATIONS)
}

fn migrate_with(connection: &Connection, path: &Path, migrations: &[(u32, &str, &str)]) -> Result<()> {
    let latest = migrations.last().map_or(0, |&(version, _, _)| version);
    let current: u32 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|err| StoreError::sqlite(path, err))?;
    if current > latest {
        return Err(StoreError::NewerFormat { path: path.to_owned() });
    }
    for &(version, name, sql) in migrations.iter().filter(|&&(version, _, _)| version > current) {
        let apply = || -> rusqlite::Result<()> {
            connection.execute_batch("BEGIN IMMEDIATE")?;
            let result = connection.execute_batch(sql).and_then(|()| {
                connection.execute_batch(&format!("PRAGMA user_version = {version}"))?;
                connection.execute_batch("COMMIT")
            });
            if result.is_err() {
                let _ = connection.execute_batch("ROLLBACK");
            }
            result
        };
        apply().map_err(|source| StoreError::Migration { name: name.to_owned(), source })?;
    }
    Ok(())
}

/// Runs SQLite's and SQLCipher's integrity checks; `Ok` when both are clean.
pub(crate) fn check(connection: &Connection, path: &Path) -> Result<()> {
    let sqlite: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|err| StoreError::sqlite(path, err))?;
    if sqlite != "ok" {
        return Err(StoreError::Corrupted { path: path.to_owned(), detail: sqlite });
    }
    let mut statement =
        connection.prepare("PRAGMA cipher_integrity_check").map_err(|err| StoreError::sqlite(path, err))?;
    let problems: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .and_then(Iterator::collect)
        .map_err(|err| StoreError::sqlite(path, err))?;
    if let Some(first) = problems.into_iter().next() {
        return Err(StoreError::Corrupted { path: path.to_owned(), detail: first });
    }
    Ok(())
}

/// `execute` and `query_row` through the connection's cache of prepared statements:
/// SQLite parses each distinct statement once per connection instead of on every
/// call, which is most of the cost of a short statement.
pub(crate) trait Cached {
    /// Like `Connection::execute`, prepared once.
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    /// Like `Connection::query_row`, prepared once.
    fn one<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        row: F,
    ) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn one<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        row: F,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: (u32, &str, &str) = (1, "0001_good.sql", "CREATE TABLE kept (id INTEGER);");
    const BAD: (u32, &str, &str) =
        (2, "0002_bad.sql", "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);");

    fn tables(connection: &Connection) -> Vec<String> {
        let mut statement =
            connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn a_failed_migration_leaves_the_previous_schema_intact() {
        let connection = Connection::open_in_memory().unwrap();
        let err = migrate_with(&connection, Path::new("test.db"), &[GOOD, BAD]).unwrap_err();
        assert!(matches!(err, StoreError::Migration { ref name, .. } if name == "0002_bad.sql"), "{err:?}");
        let version: u32 = connection.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
        assert_eq!(version, 1);
        assert_eq!(tables(&connection), ["kept"], "nothing of the failed migration remains");
        // Fixed in a later release, the migration then applies on top.
        migrate_with(
            &connection,
            Path::new("test.db"),
            &[GOOD, (2, "0002_fixed.sql", "CREATE TABLE added (id INTEGER);")],
        )
        .unwrap();
        assert_eq!(tables(&connection), ["added", "kept"]);
    }

    #[test]
    fn a_database_from_a_newer_tirek_is_refused_untouched() {
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch("PRAGMA user_version = 3").unwrap();
        let err = migrate_with(&connection, Path::new("test.db"), &[GOOD]).unwrap_err();
        assert!(matches!(err, StoreError::NewerFormat { .. }), "{err:?}");
        assert!(tables(&connection).is_empty());
    }

    #[test]
    fn the_shipped_migrations_are_numbered_without_gaps() {
        for (index, &(version, name, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(version as usize, index + 1, "{name}");
        }
        assert_eq!(latest_version() as usize, MIGRATIONS.len());
    }
}
