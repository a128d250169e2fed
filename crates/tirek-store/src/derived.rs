//! Columns the store derives from others in the same transaction as the write that
//! changes them, for the caseload list's speed: a client's search and sort keys, the
//! date of their last consultation and the due date of their next open follow-up. They are never change-logged: any device
//! computes the same values from the same records.
//!
//! The keys are computed in Rust, by `tirek_domain::text`, so a Tirek that folds
//! differently from the one that stored them would miss clients. Each derivation
//! therefore has a version, kept in `derived_versions`; opening a profile whose
//! stored version is not this build's recomputes every client's keys in one
//! transaction ([`bring_up_to_date`]).

use crate::db::Cached;
use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use tirek_domain::text::{fold, sort_key};

use crate::Result;

/// The version of the client keys' derivation (`fold` and `sort_key`). Bump it
/// whenever either gives a different result for some name; the test
/// `keys_stored_by_another_derivation_are_recomputed_on_open` shows what follows.
/// 2: the search key folds Latin and Cyrillic onto one skeleton.
const CLIENT_KEYS_VERSION: i64 = 2;

/// Recomputes the derived columns whose stored version is not this build's: every
/// client's search and sort keys, in one transaction with the new version, so that a
/// failure leaves the old keys and version for the next open to try again.
pub(crate) fn bring_up_to_date(connection: &Connection) -> Result<()> {
    recompute_client_keys(connection)?;
    note_change_clients(connection)
}

/// The version of `change_clients`' filling for the changes written before it
/// existed (1: the first).
const CHANGE_CLIENTS_VERSION: i64 = 1;

fn stored_version(connection: &Connection, name: &str) -> Result<Option<i64>> {
    connection
        .one("SELECT version FROM derived_versions WHERE name = ?1", [name], |row| row.get(0))
        .optional()
        .map_err(sqlite)
}

fn store_version(transaction: &rusqlite::Transaction<'_>, name: &str, version: i64) -> Result<()> {
    transaction
        .run(
            "INSERT INTO derived_versions (name, version) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            rusqlite::params![name, version],
        )
        .map(drop)
        .map_err(sqlite)
}

/// Fills `change_clients` for this device's changes written before it existed,
/// once, in one transaction.
fn note_change_clients(connection: &Connection) -> Result<()> {
    if stored_version(connection, "change_clients")? == Some(CHANGE_CLIENTS_VERSION) {
        return Ok(());
    }
    let transaction =
        rusqlite::Transaction::new_unchecked(connection, TransactionBehavior::Immediate).map_err(sqlite)?;
    transaction.run("DELETE FROM change_clients", []).map_err(sqlite)?;
    let own = "SELECT entity, entity_id FROM change_log WHERE device_id = (SELECT device_id FROM device)";
    for ((entity, id), clients) in crate::sync::clients_of_each(&transaction, own, [])? {
        for client in clients {
            transaction
                .run(
                    "INSERT OR IGNORE INTO change_clients (seq, client_id)
                     SELECT seq, ?3 FROM change_log
                     WHERE device_id = (SELECT device_id FROM device) AND entity = ?1 AND entity_id = ?2",
                    rusqlite::params![entity, id, client],
                )
                .map_err(sqlite)?;
        }
    }
    store_version(&transaction, "change_clients", CHANGE_CLIENTS_VERSION)?;
    transaction.commit().map_err(sqlite)
}

fn recompute_client_keys(connection: &Connection) -> Result<()> {
    if stored_version(connection, "client_keys")? == Some(CLIENT_KEYS_VERSION) {
        return Ok(());
    }
    let transaction =
        rusqlite::Transaction::new_unchecked(connection, TransactionBehavior::Immediate).map_err(sqlite)?;
    let clients: Vec<(String, ClientNames)> = {
        let mut statement = transaction
            .prepare("SELECT id, family_name, given_name, patronymic, latin_name, iin, phone FROM clients")
            .map_err(sqlite)?;
        statement
            .query_map([], |row| {
                Ok((row.get(0)?, [row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?]))
            })
            .map_err(sqlite)?
            .collect::<rusqlite::Result<_>>()
            .map_err(sqlite)?
    };
    for (id, names) in &clients {
        store_client_keys(&transaction, id, names)?;
    }
    store_version(&transaction, "client_keys", CLIENT_KEYS_VERSION)?;
    transaction.commit().map_err(sqlite)
}

/// A client's family name, given name, patronymic, Latin name, IIN and phone.
type ClientNames = [Option<String>; 6];

/// Brings the derived columns up to date after a write to record `id` of `entity`.
pub(crate) fn refresh(connection: &Connection, entity: &str, id: &str) -> Result<()> {
    let mut stale = Stale::default();
    stale.note(entity, id);
    stale.refresh(connection)
}

/// The records a run of writes touched whose derived columns may be stale, each
/// brought up to date once at the run's end ([`Stale::refresh`]): a pulled page
/// writes a family's consultations and attendances one after the other, and its
/// last contact is worked out once, not after each of them.
#[derive(Debug, Default)]
pub(crate) struct Stale {
    clients: BTreeSet<String>,
    attendances: BTreeSet<String>,
    follow_ups: BTreeSet<String>,
    consultations: BTreeSet<String>,
}

impl Stale {
    /// Notes a write to record `id` of `entity`.
    pub(crate) fn note(&mut self, entity: &str, id: &str) {
        let records = match entity {
            "client" => &mut self.clients,
            "attendance" => &mut self.attendances,
            "follow_up" => &mut self.follow_ups,
            "consultation" => &mut self.consultations,
            _ => return,
        };
        if !records.contains(id) {
            records.insert(id.to_owned());
        }
    }

    /// Brings the derived columns of every noted record up to date, as they stand
    /// now. A record deleted since it was noted has none to bring up to date: its
    /// deletion did (`before_delete`, `after_delete`).
    pub(crate) fn refresh(self, connection: &Connection) -> Result<()> {
        for id in &self.clients {
            refresh_client_keys(connection, id)?;
        }
        let client_of = |sql: &str, id: &str| -> Result<Option<String>> {
            connection.one(sql, [id], |row| row.get(0)).optional().map_err(sqlite)
        };
        let mut last_contact = BTreeSet::new();
        for id in &self.attendances {
            last_contact.extend(client_of("SELECT client_id FROM attendances WHERE id = ?1", id)?);
        }
        for id in &self.consultations {
            let mut statement = connection
                .prepare_cached("SELECT client_id FROM attendances WHERE consultation_id = ?1")
                .map_err(sqlite)?;
            let clients: Vec<String> =
                statement.query_map([id], |row| row.get(0)).and_then(Iterator::collect).map_err(sqlite)?;
            last_contact.extend(clients);
        }
        for client in &last_contact {
            refresh_last_contact(connection, "id = ?1", client)?;
        }
        let mut next_due = BTreeSet::new();
        for id in &self.follow_ups {
            next_due.extend(client_of("SELECT client_id FROM follow_ups WHERE id = ?1", id)?);
        }
        for client in &next_due {
            refresh_next_due(connection, client)?;
        }
        Ok(())
    }
}

/// The client whose derived columns a deletion of record `id` will change.
pub(crate) fn before_delete(connection: &Connection, entity: &str, id: &str) -> Result<Option<(&'static str, String)>> {
    let sql = match entity {
        "attendance" => "SELECT client_id FROM attendances WHERE id = ?1",
        "follow_up" => "SELECT client_id FROM follow_ups WHERE id = ?1",
        _ => return Ok(None),
    };
    let client: Option<String> = connection.one(sql, [id], |row| row.get(0)).optional().map_err(sqlite)?;
    Ok(client.map(|client| (if entity == "attendance" { "last_contact" } else { "next_due" }, client)))
}

/// Brings the derived column named by [`before_delete`] up to date.
pub(crate) fn after_delete(connection: &Connection, affected: Option<(&'static str, String)>) -> Result<()> {
    match affected {
        Some(("last_contact", client)) => refresh_last_contact(connection, "id = ?1", &client),
        Some((_, client)) => refresh_next_due(connection, &client),
        None => Ok(()),
    }
}

fn refresh_next_due(connection: &Connection, client: &str) -> Result<()> {
    connection
        .run(
            "UPDATE clients SET next_due = (SELECT min(f.due_on) FROM follow_ups f
                WHERE f.client_id = clients.id AND f.done_on IS NULL)
             WHERE id = ?1",
            [client],
        )
        .map_err(sqlite)?;
    Ok(())
}

fn refresh_client_keys(connection: &Connection, id: &str) -> Result<()> {
    let row: Option<ClientNames> = connection
        .one(
            "SELECT family_name, given_name, patronymic, latin_name, iin, phone FROM clients WHERE id = ?1",
            [id],
            |row| Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?]),
        )
        .optional()
        .map_err(sqlite)?;
    match row {
        Some(names) => store_client_keys(connection, id, &names),
        None => Ok(()),
    }
}

fn store_client_keys(connection: &Connection, id: &str, names: &ClientNames) -> Result<()> {
    let [family, given, patronymic, latin, iin, phone] = names;
    let name: Vec<&str> = [family, given, patronymic].into_iter().flatten().map(String::as_str).collect();
    let name = name.join(" ");
    // The phone's digits after 7 and after 8, so "8 701…", "701…" and "+7 701…" all
    // find it as a substring.
    let national = phone.as_deref().map(|phone| {
        let digits = phone.trim_start_matches("+7");
        format!("7{digits} 8{digits}")
    });
    let searchable: Vec<&str> =
        [Some(name.as_str()), latin.as_deref(), iin.as_deref(), national.as_deref()].into_iter().flatten().collect();
    connection
        .prepare_cached("UPDATE clients SET search_key = ?2, sort_key = ?3 WHERE id = ?1")
        .and_then(|mut update| update.execute(rusqlite::params![id, fold(&searchable.join(" | ")), sort_key(&name)]))
        .map_err(sqlite)?;
    Ok(())
}

fn refresh_last_contact(connection: &Connection, which_clients: &str, key: &str) -> Result<()> {
    connection
        .run(
            &format!(
                "UPDATE clients SET last_contact = (
                    SELECT max(co.held_on) FROM attendances a JOIN consultations co ON co.id = a.consultation_id
                    WHERE a.client_id = clients.id)
                 WHERE {which_clients}"
            ),
            [key],
        )
        .map_err(sqlite)?;
    Ok(())
}

fn sqlite(err: rusqlite::Error) -> crate::StoreError {
    crate::StoreError::sqlite(std::path::Path::new("profile"), err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(connection: &Connection) -> Vec<(String, String)> {
        let mut statement = connection.prepare("SELECT id, search_key FROM clients ORDER BY id").unwrap();
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    fn version(connection: &Connection) -> i64 {
        connection.one("SELECT version FROM derived_versions WHERE name = 'client_keys'", [], |row| row.get(0)).unwrap()
    }

    #[test]
    fn keys_stored_by_another_derivation_are_recomputed_on_open() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("tirek.db");
        let connection = crate::db::open_keyed(&path, None).unwrap();
        assert_eq!(version(&connection), CLIENT_KEYS_VERSION, "a new profile starts current");
        // Two clients as an earlier Tirek stored them: Kazakh letters folded onto
        // Russian ones only, so a Latin query would miss them.
        connection
            .execute_batch(
                "INSERT INTO clients (id, revision, updated_hlc, family_name, given_name, latin_name, iin, search_key, sort_key)
                 VALUES ('1', 1, 1, 'Өмірбекова', 'Гүлнұр', NULL, '870412400111', 'омирбекова гулнур | 870412400111', 'x'),
                        ('2', 1, 1, 'Smith', 'Aliya', 'Aliya Nurlanovna', NULL, 'smith aliya | aliya nurlanovna', 'y');
                 UPDATE derived_versions SET version = 1;",
            )
            .unwrap();
        drop(connection);

        let connection = crate::db::open_keyed(&path, None).unwrap();
        assert_eq!(
            keys(&connection),
            [
                ("1".to_owned(), fold("Өмірбекова Гүлнұр | 870412400111")),
                ("2".to_owned(), fold("Smith Aliya | Aliya Nurlanovna")),
            ]
        );
        assert!(keys(&connection)[0].1.contains(&fold("gulnur")) && keys(&connection)[1].1.contains(&fold("Алия")));
        let sort: String = connection.one("SELECT sort_key FROM clients WHERE id = '1'", [], |r| r.get(0)).unwrap();
        assert_eq!(sort, sort_key("Өмірбекова Гүлнұр"));
        assert_eq!(version(&connection), CLIENT_KEYS_VERSION);

        // Once current, an open recomputes nothing.
        connection.execute_batch("UPDATE clients SET search_key = 'left alone' WHERE id = '2'").unwrap();
        drop(connection);
        let connection = crate::db::open_keyed(&path, None).unwrap();
        assert_eq!(keys(&connection)[1].1, "left alone");
    }

    #[test]
    fn changes_written_before_change_clients_existed_are_noted_on_open() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("tirek.db");
        let connection = crate::db::open_keyed(&path, None).unwrap();
        // A profile as an earlier Tirek left it: this device's changes of a client, of
        // her consent, and of a consent since deleted (gone from its table, named in
        // its first change); another device's change; nothing noted.
        connection
            .execute_batch(
                r#"INSERT INTO device (singleton, device_id) VALUES (1, 'here');
                   INSERT INTO clients (id, revision, updated_hlc, family_name, given_name, search_key, sort_key)
                   VALUES ('c1', 1, 1, 'Әлиева', 'Гүлнұр', 'x', 'y');
                   INSERT INTO consents (id, revision, updated_hlc, client_id, scope) VALUES ('k1', 1, 1, 'c1', 'server');
                   INSERT INTO change_log (device_id, seq, hlc, entity, entity_id, base_revision, fields, author) VALUES
                     ('here', 1, 1, 'client', 'c1', 0, '{"family_name":[null,"Әлиева"]}', 'a'),
                     ('here', 2, 2, 'consent', 'k1', 0, '{"client_id":[null,"c1"]}', 'a'),
                     ('here', 3, 3, 'consent', 'gone', 0, '{"client_id":[null,"c1"]}', 'a'),
                     ('there', 1, 4, 'client', 'c1', 1, '{"given_name":["Гүлнұр","Гүлнар"]}', 'b');
                   DELETE FROM change_clients;
                   DELETE FROM derived_versions WHERE name = 'change_clients';"#,
            )
            .unwrap();
        drop(connection);

        let connection = crate::db::open_keyed(&path, None).unwrap();
        let mut statement = connection.prepare("SELECT seq, client_id FROM change_clients ORDER BY seq").unwrap();
        let noted: Vec<(i64, String)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(noted, [(1, "c1".to_owned()), (2, "c1".to_owned()), (3, "c1".to_owned())]);

        // A change of this device's that leaves the log leaves no note behind.
        connection.execute_batch("DELETE FROM change_log WHERE device_id = 'here' AND seq = 3").unwrap();
        let left: i64 = connection.one("SELECT count(*) FROM change_clients", [], |row| row.get(0)).unwrap();
        assert_eq!(left, 2);
    }
}
