//! Devices: enrolment with a one-time code, and authentication of every later
//! request by the device's bearer token. A device is one app profile on one
//! computer; its user's role and team decide what it may push and pull.

use sqlx::PgPool;
use tirek_protocol::{EnrolRequest, EnrolResponse, SUPPORTED};

use crate::error::{Result, ServerError};
use crate::rules::{Role, Writer};
use crate::secrets;

/// The device behind a request, as its token proved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceContext {
    /// The device and its user, as the push rules see them.
    pub writer: Writer,
    /// The user's team (none for an administrator).
    pub team_id: Option<i64>,
}

/// The longest device id, author or app version accepted.
const MAX_ID_CHARS: usize = 64;

fn is_id(text: &str) -> bool {
    !text.is_empty() && text.len() <= MAX_ID_CHARS && text.bytes().all(|b| b.is_ascii_graphic() && b != b'.')
}

/// A device's token hash, author and revocation, with its user's id, role, team and
/// whether she is disabled.
type TokenRow = (Vec<u8>, String, bool, i64, String, Option<i64>, bool);

/// Finds the device whose token is `token`; refuses an unknown or wrong token, a
/// revoked device and a disabled user's device.
pub async fn authenticate(pool: &PgPool, token: &str) -> Result<DeviceContext> {
    let (device_id, secret) = secrets::split_token(token).ok_or(ServerError::Unauthenticated)?;
    let row: Option<TokenRow> = sqlx::query_as(
        "SELECT d.token_sha256, d.author, d.revoked_at IS NOT NULL, u.id, u.role, u.team_id, u.disabled_at IS NOT NULL
         FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = $1",
    )
    .bind(device_id)
    .fetch_optional(pool)
    .await?;
    let Some((hash, author, revoked, user_id, role, team_id, disabled)) = row else {
        return Err(ServerError::Unauthenticated);
    };
    if !secrets::secret_matches(secret, &hash) {
        return Err(ServerError::Unauthenticated);
    }
    if revoked || disabled {
        return Err(ServerError::DeviceRevoked);
    }
    let role = Role::parse(&role).ok_or_else(|| ServerError::Invalid(format!("unknown role {role}")))?;
    Ok(DeviceContext { writer: Writer { device_id: device_id.to_owned(), author, user_id, role }, team_id })
}

/// Enrols a device with a one-time code: the code is used up, the device is
/// registered for the code's user, and its token is returned — once.
pub async fn enrol(pool: &PgPool, request: EnrolRequest) -> Result<EnrolResponse> {
    if !is_id(&request.device_id) || !is_id(&request.author) || request.app_version.chars().count() > 50 {
        return Err(ServerError::Malformed("device id, author or app version is not usable".to_owned()));
    }
    let code = secrets::normalise_code(&request.code).ok_or(ServerError::EnrolmentCodeInvalid)?;
    let mut tx = pool.begin().await?;
    // FOR UPDATE: two devices racing with one code — the second waits, then finds it used.
    let found: Option<(i64, i64, bool)> = sqlx::query_as(
        "SELECT c.id, c.user_id, u.disabled_at IS NOT NULL FROM enrolment_codes c JOIN users u ON u.id = c.user_id
         WHERE c.code_sha256 = $1 AND c.used_at IS NULL AND c.expires_at > now() FOR UPDATE OF c",
    )
    .bind(secrets::code_hash(&code).as_slice())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((code_id, user_id, false)) = found else {
        return Err(ServerError::EnrolmentCodeInvalid);
    };
    let (token, hash) = secrets::new_token(&request.device_id)?;
    let inserted = sqlx::query(
        "INSERT INTO devices (id, user_id, author, token_sha256, app_version) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&request.device_id)
    .bind(user_id)
    .bind(&request.author)
    .bind(hash.as_slice())
    .bind(&request.app_version)
    .execute(&mut *tx)
    .await?;
    let mut continues_from = None;
    if inserted.rows_affected() == 0 {
        // Known already: this profile on this computer, disconnected and connected
        // again (its change log and numbering continue where the server's mark is).
        // The new token replaces the old. Under another user or profile the id is not
        // hers to take; a revoked device stays out until an administrator lets it
        // back in (`admin device reinstate`): a stolen computer does not return with
        // a new code.
        let again: Option<i64> = sqlx::query_scalar(
            "UPDATE devices SET token_sha256 = $4, app_version = $5
             WHERE id = $1 AND user_id = $2 AND author = $3 AND revoked_at IS NULL
             RETURNING acknowledged_seq",
        )
        .bind(&request.device_id)
        .bind(user_id)
        .bind(&request.author)
        .bind(hash.as_slice())
        .bind(&request.app_version)
        .fetch_optional(&mut *tx)
        .await?;
        if again.is_none() {
            let revoked: bool = sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM devices WHERE id = $1")
                .bind(&request.device_id)
                .fetch_one(&mut *tx)
                .await?;
            return Err(if revoked {
                ServerError::DeviceRevoked
            } else {
                ServerError::DeviceAlreadyEnrolled(request.device_id)
            });
        }
        tracing::info!(device = %request.device_id, user = user_id, "device enrolled again");
        continues_from = again;
    }
    sqlx::query("UPDATE enrolment_codes SET used_at = now(), used_by_device = $2 WHERE id = $1")
        .bind(code_id)
        .bind(&request.device_id)
        .execute(&mut *tx)
        .await?;
    let epoch: String = sqlx::query_scalar("SELECT epoch::text FROM server_epoch").fetch_one(&mut *tx).await?;
    tx.commit().await?;
    tracing::info!(device = %request.device_id, user = user_id, "device enrolled");
    Ok(EnrolResponse {
        device_id: request.device_id,
        token,
        user_id,
        epoch,
        supported: SUPPORTED,
        bundle_key: None,
        continues_from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_printable_and_dotless() {
        assert!(is_id("0190f5a2-7c1e-7000-8000-000000000001"));
        for bad in ["", "has space", "a.b", "ид", &"x".repeat(65)] {
            assert!(!is_id(bad), "{bad:?}");
        }
    }
}
