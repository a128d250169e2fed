//! Push: a device's batch of change records, judged one by one and stored in one
//! transaction, idempotently.
//!
//! The device's row is locked first (`FOR UPDATE`), so two pushes of one device —
//! a retry racing the request it repeats — run one after the other. The batch is
//! then split against the device's high-water mark ([`rules::plan_batch`]): changes
//! at or below it were received before (a batch sent twice, or re-sent after an
//! answer was lost) and are answered again without being stored again; the rest
//! must continue the sequence. Each new change is judged by [`rules::judge`] against
//! the state of the records it touches; an accepted one is inserted with its place
//! in the server order, a refused one is recorded with its reason, and either way
//! the high-water mark moves past it. `UNIQUE (device_id, device_seq)` backs this
//! up in the schema.

use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{PgConnection, PgPool};
use tirek_domain::change::{ChangeRecord, hlc_millis};
use tirek_protocol::checksum::change_digest;
use tirek_protocol::{PushRequest, PushResponse, Refusal, RefusalKind};

use crate::config::Config;
use crate::devices::DeviceContext;
use crate::error::{Result, ServerError};
use crate::rules::{self, Known, RecordState};

/// The server's clock, Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis() as i64)
}

/// Stores what it may of `request`'s batch and answers with the new high-water mark
/// and the refusals.
pub async fn push(
    pool: &PgPool,
    config: &Config,
    device: &DeviceContext,
    request: PushRequest,
) -> Result<PushResponse> {
    let changes = request.changes;
    if request.audit.as_ref().is_some_and(|head| !head.is_well_formed()) {
        return Err(ServerError::Malformed("audit head: a positive id and 64 lowercase hex digits".to_owned()));
    }
    if changes.len() > config.max_batch_changes as usize {
        return Err(ServerError::BatchTooLarge {
            what: format!("{} changes", changes.len()),
            max_changes: config.max_batch_changes,
        });
    }
    let server_time_ms = now_ms();
    let allowed_ms = server_time_ms.max(0) as u64 + config.max_clock_ahead_seconds * 1000;
    if let Some(ahead) = changes.iter().map(|change| hlc_millis(change.hlc)).filter(|ms| *ms > allowed_ms).max() {
        return Err(ServerError::ClockSkew { ahead_ms: ahead - server_time_ms.max(0) as u64, server_time_ms });
    }
    let seqs: Vec<i64> = changes.iter().map(|change| change.seq).collect();

    let mut tx = pool.begin().await?;
    let acknowledged: i64 = sqlx::query_scalar("SELECT acknowledged_seq FROM devices WHERE id = $1 FOR UPDATE")
        .bind(&device.writer.device_id)
        .fetch_one(&mut *tx)
        .await?;
    let plan =
        rules::plan_batch(acknowledged, &seqs).map_err(|acknowledged| ServerError::SequenceGap { acknowledged })?;

    if plan.duplicates > 0 {
        check_same_history(&mut tx, &device.writer.device_id, &changes[..plan.first_new]).await?;
    }
    // Refusals of changes received before are answered again, as given then.
    let mut refused: Vec<Refusal> = if plan.duplicates > 0 {
        let rows: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
            "SELECT device_seq, kind, field, detail FROM refusals
             WHERE device_id = $1 AND device_seq = ANY($2) ORDER BY device_seq",
        )
        .bind(&device.writer.device_id)
        .bind(&seqs[..plan.first_new])
        .fetch_all(&mut *tx)
        .await?;
        rows.into_iter()
            .map(|(seq, kind, field, detail)| Refusal { seq, kind: refusal_kind(&kind), field, detail })
            .collect()
    } else {
        Vec::new()
    };

    // Judged one by one against the records' states, which the batch's own
    // accepted changes move on; written in a few statements for the whole batch.
    let new: Vec<(ChangeRecord, String)> = changes
        .into_iter()
        .skip(plan.first_new)
        .map(|wire| {
            let fields = serde_json::to_string(&wire.fields).map_err(|err| ServerError::Malformed(err.to_string()))?;
            Ok((wire.into_record(), fields))
        })
        .collect::<Result<_>>()?;
    let last = new.last().map_or(acknowledged, |(change, _)| change.seq);
    let mut known = load_known(&mut tx, new.iter().flat_map(|(change, _)| rules::records_needed(change))).await?;
    // Read after the records are locked: a move of their client has committed by then.
    let mut clients: Vec<String> = known.values().filter_map(|state| state.client_id.clone()).collect();
    clients.sort_unstable();
    clients.dedup();
    let accesses = crate::access::accesses(&mut tx, device.writer.user_id, &clients).await?;
    let mut accepted = Vec::new();
    let mut erasures = Vec::new();
    let mut filed = Vec::new();
    let mut refusals = Vec::new();
    for (change, fields) in &new {
        let judged = match rules::judge(&device.writer, change, &known, &accesses) {
            Ok(accepted) => claim_letter_series(&mut tx, change).await?.map(|()| accepted),
            Err(refusal) => Err(refusal),
        };
        match judged {
            Ok(judged) => {
                known.insert((change.entity.clone(), change.entity_id.clone()), judged.state.clone());
                if judged.erase_history {
                    erasures.push(change);
                }
                if let Some((consultation, client, owner)) = judged.files {
                    if let Some(state) = known.get_mut(&("consultation".to_owned(), consultation.clone())) {
                        state.client_id = Some(client.clone());
                        state.owner_id = owner;
                    }
                    filed.push((consultation, client, owner));
                }
                accepted.push((change, fields.as_str(), judged.state));
            }
            Err(refusal) => refusals.push((change, refusal)),
        }
    }
    store(&mut tx, &device.writer.device_id, &accepted).await?;
    for (consultation, client, owner) in &filed {
        file_consultation(&mut tx, consultation, client, *owner).await?;
    }
    // After the batch's own changes are in, so that an erasure blanks them too.
    for change in erasures {
        erase_history(&mut tx, change).await?;
    }
    record_refusals(&mut tx, &device.writer.device_id, &refusals).await?;
    let stored = accepted.len() as u32;
    refused.extend(refusals.into_iter().map(|(change, refusal)| Refusal {
        seq: change.seq,
        kind: refusal.kind,
        field: refusal.field,
        detail: refusal.detail,
    }));
    let (witnessed,): (Option<i64>,) = sqlx::query_as(
        "UPDATE devices SET acknowledged_seq = $2, last_sync_at = now(),
                audit_id = CASE WHEN $3::bigint >= coalesce(audit_id, 0) THEN $3 ELSE audit_id END,
                audit_hash = CASE WHEN $3::bigint >= coalesce(audit_id, 0) THEN $4 ELSE audit_hash END,
                audit_seen_at = CASE WHEN $3::bigint IS NOT NULL THEN now() ELSE audit_seen_at END
         WHERE id = $1
         RETURNING audit_id",
    )
    .bind(&device.writer.device_id)
    .bind(last)
    .bind(request.audit.as_ref().map(|head| head.id))
    .bind(request.audit.as_ref().map(|head| head.hash.as_str()))
    .fetch_one(&mut *tx)
    .await?;
    if let (Some(head), Some(witnessed)) = (&request.audit, witnessed)
        && head.id < witnessed
    {
        // Kept as it was: `tirek audit verify` on the device shows the loss.
        tracing::warn!(sent = head.id, witnessed, "a device's audit trail is shorter than the server has seen");
    }
    let epoch: String = sqlx::query_scalar("SELECT epoch::text FROM server_epoch").fetch_one(&mut *tx).await?;
    tx.commit().await?;
    tracing::info!(stored, refused = refused.len(), duplicates = plan.duplicates, acknowledged = last, "push");
    Ok(PushResponse { epoch, acknowledged: last, stored, duplicates: plan.duplicates as u32, refused })
}

/// Claims the series of the letter number `change` sets, if it sets one, for the
/// device: `Err` with a refusal when another device numbers its letters in it.
async fn claim_letter_series(
    tx: &mut PgConnection,
    change: &ChangeRecord,
) -> Result<std::result::Result<(), rules::Refused>> {
    let Some(series) = rules::letter_series(change) else { return Ok(Ok(())) };
    let owner: String = sqlx::query_scalar(
        "WITH claimed AS (
             INSERT INTO letter_series (series, device_id) VALUES ($1, $2)
             ON CONFLICT (series) DO NOTHING RETURNING device_id)
         SELECT device_id FROM claimed UNION ALL SELECT device_id FROM letter_series WHERE series = $1",
    )
    .bind(&series)
    .bind(&change.device_id)
    .fetch_one(&mut *tx)
    .await?;
    Ok(if owner == change.device_id {
        Ok(())
    } else {
        Err(rules::Refused {
            kind: RefusalKind::SeriesTaken,
            field: Some("number".to_owned()),
            detail: "another device numbers its letters in this series".to_owned(),
        })
    })
}

/// The digest a change is stored (or refused) under: its identity.
fn digest_of(change: &ChangeRecord) -> u64 {
    change_digest(&change.device_id, change.seq, change.hlc, &change.entity, &change.entity_id)
}

/// Checks that changes sent again are the ones received the first time. A batch
/// repeated after a lost answer is identical; a different change under a number the
/// server has means a second history under this device's name — a profile restored
/// from an older backup, or a data folder copied to another computer — whose new
/// changes would otherwise be taken for old ones and silently dropped.
async fn check_same_history(
    tx: &mut PgConnection,
    device_id: &str,
    repeated: &[tirek_protocol::WireChange],
) -> Result<()> {
    let seqs: Vec<i64> = repeated.iter().map(|change| change.seq).collect();
    let stored: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT device_seq, digest FROM changes WHERE device_id = $1 AND device_seq = ANY($2)
         UNION ALL
         SELECT device_seq, digest FROM refusals WHERE device_id = $1 AND device_seq = ANY($2) AND digest IS NOT NULL",
    )
    .bind(device_id)
    .bind(&seqs)
    .fetch_all(&mut *tx)
    .await?;
    let stored: std::collections::HashMap<i64, i64> = stored.into_iter().collect();
    for change in repeated {
        let digest = change_digest(&change.device_id, change.seq, change.hlc, &change.entity, &change.record_id);
        if stored.get(&change.seq).is_some_and(|known| *known != digest as i64) {
            tracing::warn!(seq = change.seq, "a change sent again differs from the one stored: device diverged");
            return Err(ServerError::DeviceDiverged { seq: change.seq });
        }
    }
    Ok(())
}

/// The server's state of every record in `needed`.
async fn load_known(tx: &mut PgConnection, needed: impl Iterator<Item = (String, String)>) -> Result<Known> {
    let (entities, ids): (Vec<String>, Vec<String>) = needed.unzip();
    // Locked until the push commits, in one order for every push (no deadlock): a
    // change judged against a record and an erasure blanking that record's history
    // run one after the other, so a change pushed while its record is being erased
    // is either blanked by the erasure or refused as gone — never stored with its
    // words after it.
    let rows: Vec<(String, String, Option<String>, i64, bool, bool)> = sqlx::query_as(
        "SELECT entity, record_id, client_id, owner_id, final, gone FROM records
         WHERE (entity, record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         ORDER BY entity, record_id
         FOR UPDATE",
    )
    .bind(&entities)
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(entity, record_id, client_id, owner_id, is_final, gone)| {
            ((entity, record_id), RecordState { client_id, owner_id, is_final, gone })
        })
        .collect())
}

/// Inserts the accepted changes, in sequence order, and the records' new states.
async fn store(tx: &mut PgConnection, device_id: &str, accepted: &[(&ChangeRecord, &str, RecordState)]) -> Result<()> {
    if accepted.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&(&ChangeRecord, &str, RecordState)) -> String| accepted.iter().map(f).collect::<Vec<_>>();
    let number = |f: fn(&(&ChangeRecord, &str, RecordState)) -> i64| accepted.iter().map(f).collect::<Vec<_>>();
    let client_ids: Vec<Option<String>> = accepted.iter().map(|(_, _, state)| state.client_id.clone()).collect();
    sqlx::query(
        "INSERT INTO changes (device_id, device_seq, entity, record_id, client_id, owner_id, base_revision, hlc,
                              author, fields, digest)
         SELECT $1, seq, entity, record_id, client_id, owner_id, base_revision, hlc, author, fields::jsonb, digest
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[],
                     $9::text[], $10::text[], $11::bigint[])
              AS t(seq, entity, record_id, client_id, owner_id, base_revision, hlc, author, fields, digest)
         ORDER BY seq",
    )
    .bind(device_id)
    .bind(number(|(change, _, _)| change.seq))
    .bind(column(|(change, _, _)| change.entity.clone()))
    .bind(column(|(change, _, _)| change.entity_id.clone()))
    .bind(&client_ids)
    .bind(number(|(_, _, state)| state.owner_id))
    .bind(number(|(change, _, _)| change.base_revision))
    .bind(number(|(change, _, _)| change.hlc as i64))
    .bind(column(|(change, _, _)| change.author.clone()))
    .bind(column(|(_, fields, _)| (*fields).to_owned()))
    .bind(number(|(change, _, _)| digest_of(change) as i64))
    .execute(&mut *tx)
    .await?;

    // One row per record, in its state after the batch's last change to it.
    let mut states: std::collections::BTreeMap<(&str, &str), &RecordState> = std::collections::BTreeMap::new();
    for (change, _, state) in accepted {
        states.insert((&change.entity, &change.entity_id), state);
    }
    let entities: Vec<&str> = states.keys().map(|(entity, _)| *entity).collect();
    let ids: Vec<&str> = states.keys().map(|(_, id)| *id).collect();
    let clients: Vec<Option<&str>> = states.values().map(|state| state.client_id.as_deref()).collect();
    let owners: Vec<i64> = states.values().map(|state| state.owner_id).collect();
    let finals: Vec<bool> = states.values().map(|state| state.is_final).collect();
    let gones: Vec<bool> = states.values().map(|state| state.gone).collect();
    sqlx::query(
        "INSERT INTO records (entity, record_id, client_id, owner_id, final, gone)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bool[], $6::bool[])
         ON CONFLICT (entity, record_id) DO UPDATE
         SET client_id = EXCLUDED.client_id, owner_id = EXCLUDED.owner_id, final = EXCLUDED.final, gone = EXCLUDED.gone",
    )
    .bind(&entities)
    .bind(&ids)
    .bind(&clients)
    .bind(&owners)
    .bind(&finals)
    .bind(&gones)
    .execute(&mut *tx)
    .await?;
    // A new client is owned by the user who created it.
    let new_clients: Vec<&str> = accepted
        .iter()
        .filter(|(change, _, _)| change.entity == "client" && change.base_revision == 0)
        .map(|(change, _, _)| change.entity_id.as_str())
        .collect();
    if !new_clients.is_empty() {
        sqlx::query(
            "INSERT INTO client_access (client_id, user_id, access)
             SELECT client_id, owner_id, 'owner' FROM records
             WHERE entity = 'client' AND record_id = ANY($1) AND client_id = record_id
             ON CONFLICT DO NOTHING",
        )
        .bind(&new_clients)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Files a consultation, and its addenda, under the client of its first attendance:
/// their records and stored changes take the client and its owner, and the changes
/// this transaction's id, so that every device reading the client — a colleague it
/// is shared with, its owner when a colleague wrote the consultation — pulls them
/// next although they may sit before its cursor (see `access.rs`).
async fn file_consultation(tx: &mut PgConnection, consultation: &str, client: &str, owner: i64) -> Result<()> {
    sqlx::query(
        "WITH filed AS (
             SELECT 'consultation' AS entity, $1::text AS record_id
             UNION ALL
             SELECT DISTINCT 'addendum', r.record_id FROM records r
             JOIN changes c ON c.entity = r.entity AND c.record_id = r.record_id AND c.base_revision = 0
             WHERE r.entity = 'addendum' AND r.client_id IS NULL AND c.fields -> 'consultation_id' ->> 1 = $1),
         records_filed AS (
             UPDATE records r SET client_id = $2, owner_id = $3 FROM filed f
             WHERE r.entity = f.entity AND r.record_id = f.record_id AND r.client_id IS NULL)
         UPDATE changes c SET client_id = $2, owner_id = $3, txid = pg_current_xact_id() FROM filed f
         WHERE c.entity = f.entity AND c.record_id = f.record_id AND c.client_id IS NULL",
    )
    .bind(consultation)
    .bind(client)
    .bind(owner)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Records the refused changes with their reasons, to answer a repeat the same way.
async fn record_refusals(
    tx: &mut PgConnection,
    device_id: &str,
    refusals: &[(&ChangeRecord, rules::Refused)],
) -> Result<()> {
    if refusals.is_empty() {
        return Ok(());
    }
    let seqs: Vec<i64> = refusals.iter().map(|(change, _)| change.seq).collect();
    let kinds: Vec<String> = refusals.iter().map(|(_, refusal)| refusal_name(refusal.kind)).collect();
    let fields: Vec<Option<&str>> = refusals.iter().map(|(_, refusal)| refusal.field.as_deref()).collect();
    let details: Vec<&str> = refusals.iter().map(|(_, refusal)| refusal.detail.as_str()).collect();
    let digests: Vec<i64> = refusals.iter().map(|(change, _)| digest_of(change) as i64).collect();
    sqlx::query(
        "INSERT INTO refusals (device_id, device_seq, kind, field, detail, digest)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[])",
    )
    .bind(device_id)
    .bind(&seqs)
    .bind(&kinds)
    .bind(&fields)
    .bind(&details)
    .bind(&digests)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An erasure empties the fields of the record's earlier changes, as on the device;
/// a client's erasure, of every change that belonged to the client (attendances
/// deleted long ago included) — not of the consultations filed under it, which
/// devices erase with tombstones of their own when the client was their only
/// attendee, and keep for the others of a group. Tombstones keep their one field,
/// so every device still learns what went.
async fn erase_history(tx: &mut PgConnection, change: &ChangeRecord) -> Result<()> {
    sqlx::query(
        "UPDATE changes SET fields = '{}'
         WHERE ((entity = $1 AND record_id = $2)
                OR ($1 = 'client' AND client_id = $2 AND entity NOT IN ('consultation', 'addendum')))
           AND NOT (device_id = $3 AND device_seq = $4)
           AND NOT fields ? '_erased'",
    )
    .bind(&change.entity)
    .bind(&change.entity_id)
    .bind(&change.device_id)
    .bind(change.seq)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

fn refusal_name(kind: RefusalKind) -> String {
    serde_json::to_value(kind).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}

fn refusal_kind(name: &str) -> RefusalKind {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).unwrap_or(RefusalKind::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_kinds_are_stored_by_their_wire_name_and_read_back() {
        for kind in
            [RefusalKind::UnknownEntity, RefusalKind::RecordFinal, RefusalKind::OutOfScope, RefusalKind::TooLong]
        {
            assert_eq!(refusal_kind(&refusal_name(kind)), kind);
        }
        assert_eq!(refusal_name(RefusalKind::RecordFinal), "record_final");
    }
}
