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

    let mut stored = 0u32;
    let mut last = acknowledged;
    for wire in changes.into_iter().skip(plan.first_new) {
        let fields = serde_json::to_value(&wire.fields).map_err(|err| ServerError::Malformed(err.to_string()))?;
        let change = wire.into_record();
        last = change.seq;
        let known = load_known(&mut tx, rules::records_needed(&change)).await?;
        match rules::judge(&device.writer, &change, &known) {
            Ok(accepted) => {
                store(&mut tx, &change, &accepted.state, &fields).await?;
                if accepted.erase_history {
                    erase_history(&mut tx, &change).await?;
                }
                stored += 1;
            }
            Err(refusal) => {
                let kind = refusal_name(refusal.kind);
                sqlx::query(
                    "INSERT INTO refusals (device_id, device_seq, kind, field, detail) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&device.writer.device_id)
                .bind(change.seq)
                .bind(kind)
                .bind(&refusal.field)
                .bind(&refusal.detail)
                .execute(&mut *tx)
                .await?;
                refused.push(Refusal {
                    seq: change.seq,
                    kind: refusal.kind,
                    field: refusal.field,
                    detail: refusal.detail,
                });
            }
        }
    }
    sqlx::query("UPDATE devices SET acknowledged_seq = $2, last_sync_at = now() WHERE id = $1")
        .bind(&device.writer.device_id)
        .bind(last)
        .execute(&mut *tx)
        .await?;
    let epoch: String = sqlx::query_scalar("SELECT epoch::text FROM server_epoch").fetch_one(&mut *tx).await?;
    tx.commit().await?;
    tracing::info!(stored, refused = refused.len(), duplicates = plan.duplicates, acknowledged = last, "push");
    Ok(PushResponse { epoch, acknowledged: last, stored, duplicates: plan.duplicates as u32, refused })
}

async fn load_known(tx: &mut PgConnection, needed: Vec<(String, String)>) -> Result<Known> {
    let mut known = Known::new();
    for (entity, record_id) in needed {
        let row: Option<(Option<String>, i64, bool, bool)> =
            // Locked until the push commits: a change judged against a record, and an
            // erasure blanking that record's history, run one after the other, so
            // a change pushed while the record is being erased is either blanked by
            // the erasure or refused as gone — never stored with its words after it.
            sqlx::query_as(
                "SELECT client_id, owner_id, final, gone FROM records WHERE entity = $1 AND record_id = $2 FOR UPDATE",
            )
                .bind(&entity)
                .bind(&record_id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((client_id, owner_id, is_final, gone)) = row {
            known.insert((entity, record_id), RecordState { client_id, owner_id, is_final, gone });
        }
    }
    Ok(known)
}

async fn store(
    tx: &mut PgConnection,
    change: &ChangeRecord,
    state: &RecordState,
    fields: &serde_json::Value,
) -> Result<()> {
    let digest = change_digest(&change.device_id, change.seq, change.hlc, &change.entity, &change.entity_id);
    sqlx::query(
        "INSERT INTO changes (device_id, device_seq, entity, record_id, client_id, owner_id, base_revision, hlc,
                              author, fields, digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&change.device_id)
    .bind(change.seq)
    .bind(&change.entity)
    .bind(&change.entity_id)
    .bind(&state.client_id)
    .bind(state.owner_id)
    .bind(change.base_revision)
    .bind(change.hlc as i64)
    .bind(&change.author)
    .bind(fields)
    .bind(digest as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO records (entity, record_id, client_id, owner_id, final, gone) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (entity, record_id) DO UPDATE
         SET client_id = EXCLUDED.client_id, owner_id = EXCLUDED.owner_id, final = EXCLUDED.final, gone = EXCLUDED.gone",
    )
    .bind(&change.entity)
    .bind(&change.entity_id)
    .bind(&state.client_id)
    .bind(state.owner_id)
    .bind(state.is_final)
    .bind(state.gone)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An erasure empties the fields of the record's earlier changes, as on the device;
/// a client's erasure, of every change that belonged to the client (attendances
/// deleted long ago included). Tombstones keep their one field, so every device
/// still learns what went.
async fn erase_history(tx: &mut PgConnection, change: &ChangeRecord) -> Result<()> {
    sqlx::query(
        "UPDATE changes SET fields = '{}'
         WHERE ((entity = $1 AND record_id = $2) OR ($1 = 'client' AND client_id = $2))
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
