//! Columns the store derives from others in the same transaction as the write that
//! changes them, for the caseload list's speed: a client's search and sort keys, the
//! date of their last consultation and the due date of their next open follow-up. They are never change-logged: any device
//! computes the same values from the same records.

use rusqlite::{Connection, OptionalExtension};
use tirek_domain::text::{fold, sort_key};

use crate::Result;

/// Brings the derived columns up to date after a write to record `id` of `entity`.
pub(crate) fn refresh(connection: &Connection, entity: &str, id: &str) -> Result<()> {
    match entity {
        "client" => refresh_client_keys(connection, id),
        "attendance" => {
            let client: Option<String> = connection
                .query_row("SELECT client_id FROM attendances WHERE id = ?1", [id], |row| row.get(0))
                .optional()
                .map_err(sqlite)?;
            client.map_or(Ok(()), |client| refresh_last_contact(connection, "id = ?1", &client))
        }
        "follow_up" => {
            let client: Option<String> = connection
                .query_row("SELECT client_id FROM follow_ups WHERE id = ?1", [id], |row| row.get(0))
                .optional()
                .map_err(sqlite)?;
            client.map_or(Ok(()), |client| refresh_next_due(connection, &client))
        }
        "consultation" => {
            refresh_last_contact(connection, "id IN (SELECT client_id FROM attendances WHERE consultation_id = ?1)", id)
        }
        _ => Ok(()),
    }
}

/// The client whose derived columns a deletion of record `id` will change.
pub(crate) fn before_delete(connection: &Connection, entity: &str, id: &str) -> Result<Option<(&'static str, String)>> {
    let sql = match entity {
        "attendance" => "SELECT client_id FROM attendances WHERE id = ?1",
        "follow_up" => "SELECT client_id FROM follow_ups WHERE id = ?1",
        _ => return Ok(None),
    };
    let client: Option<String> = connection.query_row(sql, [id], |row| row.get(0)).optional().map_err(sqlite)?;
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
        .execute(
            "UPDATE clients SET next_due = (SELECT min(f.due_on) FROM follow_ups f
                WHERE f.client_id = clients.id AND f.done_on IS NULL)
             WHERE id = ?1",
            [client],
        )
        .map_err(sqlite)?;
    Ok(())
}

fn refresh_client_keys(connection: &Connection, id: &str) -> Result<()> {
    let row: Option<[Option<String>; 6]> = connection
        .query_row(
            "SELECT family_name, given_name, patronymic, latin_name, iin, phone FROM clients WHERE id = ?1",
            [id],
            |row| Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?]),
        )
        .optional()
        .map_err(sqlite)?;
    let Some([family, given, patronymic, latin, iin, phone]) = row else { return Ok(()) };
    let name: Vec<&str> = [&family, &given, &patronymic].into_iter().flatten().map(String::as_str).collect();
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
        .execute(
            "UPDATE clients SET search_key = ?2, sort_key = ?3 WHERE id = ?1",
            rusqlite::params![id, fold(&searchable.join(" | ")), sort_key(&name)],
        )
        .map_err(sqlite)?;
    Ok(())
}

fn refresh_last_contact(connection: &Connection, which_clients: &str, key: &str) -> Result<()> {
    connection
        .execute(
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
