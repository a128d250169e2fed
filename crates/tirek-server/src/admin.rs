//! The administrator's work, as `tirek-server admin …` runs it: organisations,
//! clinics, teams and users; enrolment codes; the device list and revocation; a new
//! epoch after a restore. Each function is one use case returning typed rows that
//! the command line prints as a table or, with `--json`, as JSON.

use serde::Serialize;
use sqlx::PgPool;

use crate::error::{Result, ServerError};
use crate::rules::Role;
use crate::secrets;

/// SQL that renders a timestamptz as ISO 8601 in UTC.
macro_rules! utc {
    ($column:literal) => {
        concat!("to_char(", $column, " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
    };
}

/// An organisation, clinic or team: an id and a name, with its parent's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Unit {
    /// Its id.
    pub id: i64,
    /// The organisation of a clinic, the clinic of a team; none for an organisation.
    pub parent_id: Option<i64>,
    /// Its name.
    pub name: String,
    /// The district a clinic is in, once recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[sqlx(default)]
    pub district: Option<String>,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    /// Her id.
    pub id: i64,
    /// Her organisation.
    pub organisation_id: i64,
    /// Her team (none for an administrator).
    pub team_id: Option<i64>,
    /// Her login.
    pub login: String,
    /// Her name.
    pub name: String,
    /// `psychologist`, `supervisor` or `administrator`.
    pub role: String,
    /// The district a supervisor oversees, if not only her team.
    pub oversees_district: Option<String>,
    /// The region a supervisor oversees, if not only her team.
    pub oversees_region: Option<String>,
    /// When she was disabled, if she was.
    pub disabled_at: Option<String>,
}

/// A new user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Her organisation.
    pub organisation_id: i64,
    /// Her team: required for a psychologist or supervisor, refused for an administrator.
    pub team_id: Option<i64>,
    /// Her login.
    pub login: String,
    /// Her name.
    pub name: String,
    /// Her role.
    pub role: Role,
}

/// An enrolment code, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedCode {
    /// The code to give the user.
    pub code: String,
    /// Whose devices it enrols.
    pub user_id: i64,
    /// When it stops working.
    pub expires_at: String,
}

/// An enrolled device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Device {
    /// Its id.
    pub id: String,
    /// Its user.
    pub user_id: i64,
    /// The app version it enrolled with.
    pub app_version: String,
    /// When it enrolled.
    pub enrolled_at: String,
    /// When it last pushed.
    pub last_sync_at: Option<String>,
    /// Its high-water mark.
    pub acknowledged_seq: i64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// Turns the database's refusal of an administrator's request into words.
fn refused(err: sqlx::Error) -> ServerError {
    let code = err.as_database_error().and_then(|db| db.code()).map(|code| code.into_owned());
    match code.as_deref() {
        Some("23503") => ServerError::NotFound("the organisation, clinic, team or user named".to_owned()),
        Some("23505") => ServerError::Invalid("one with that name or login already exists".to_owned()),
        Some("23514") => ServerError::Invalid(
            "a value is out of range: an empty or over-long name, or a team given to an administrator or \
             missing for a psychologist or supervisor"
                .to_owned(),
        ),
        _ => ServerError::Database(err),
    }
}

/// Creates an organisation.
pub async fn create_organisation(pool: &PgPool, name: &str) -> Result<Unit> {
    sqlx::query_as("INSERT INTO organisations (name) VALUES ($1) RETURNING id, NULL::bigint AS parent_id, name")
        .bind(name)
        .fetch_one(pool)
        .await
        .map_err(refused)
}

/// Every organisation.
pub async fn organisations(pool: &PgPool) -> Result<Vec<Unit>> {
    Ok(sqlx::query_as("SELECT id, NULL::bigint AS parent_id, name FROM organisations ORDER BY id")
        .fetch_all(pool)
        .await?)
}

/// Creates a clinic of `organisation_id`.
pub async fn create_clinic(pool: &PgPool, organisation_id: i64, name: &str) -> Result<Unit> {
    sqlx::query_as(
        "INSERT INTO clinics (organisation_id, name) VALUES ($1, $2)
         RETURNING id, organisation_id AS parent_id, name, district",
    )
    .bind(organisation_id)
    .bind(name)
    .fetch_one(pool)
    .await
    .map_err(refused)
}

/// Every clinic.
pub async fn clinics(pool: &PgPool) -> Result<Vec<Unit>> {
    Ok(sqlx::query_as("SELECT id, organisation_id AS parent_id, name, district FROM clinics ORDER BY id")
        .fetch_all(pool)
        .await?)
}

/// Creates a team of `clinic_id`.
pub async fn create_team(pool: &PgPool, clinic_id: i64, name: &str) -> Result<Unit> {
    sqlx::query_as("INSERT INTO teams (clinic_id, name) VALUES ($1, $2) RETURNING id, clinic_id AS parent_id, name")
        .bind(clinic_id)
        .bind(name)
        .fetch_one(pool)
        .await
        .map_err(refused)
}

/// Every team.
pub async fn teams(pool: &PgPool) -> Result<Vec<Unit>> {
    Ok(sqlx::query_as("SELECT id, clinic_id AS parent_id, name FROM teams ORDER BY id").fetch_all(pool).await?)
}

/// The columns of [`User`]. A macro, not a constant: sqlx takes only literal SQL.
macro_rules! user_columns {
    () => {
        concat!(
            "id, organisation_id, team_id, login, name, role, oversees_district, oversees_region, ",
            utc!("disabled_at"),
            " AS disabled_at"
        )
    };
}

/// Creates a user. Her team must be in her organisation.
pub async fn create_user(pool: &PgPool, user: &NewUser) -> Result<User> {
    if let Some(team) = user.team_id {
        let organisation: Option<i64> = sqlx::query_scalar(
            "SELECT c.organisation_id FROM teams t JOIN clinics c ON c.id = t.clinic_id WHERE t.id = $1",
        )
        .bind(team)
        .fetch_optional(pool)
        .await?;
        if organisation != Some(user.organisation_id) {
            return Err(ServerError::NotFound(format!("team {team} in organisation {}", user.organisation_id)));
        }
    }
    sqlx::query_as(concat!(
        "INSERT INTO users (organisation_id, team_id, login, name, role) VALUES ($1, $2, $3, $4, $5) RETURNING ",
        user_columns!()
    ))
    .bind(user.organisation_id)
    .bind(user.team_id)
    .bind(&user.login)
    .bind(&user.name)
    .bind(user.role.name())
    .fetch_one(pool)
    .await
    .map_err(refused)
}

/// Every user.
pub async fn users(pool: &PgPool) -> Result<Vec<User>> {
    Ok(sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users ORDER BY id")).fetch_all(pool).await?)
}

/// Disables user `id`: every device of hers is refused from now on.
pub async fn disable_user(pool: &PgPool, id: i64) -> Result<User> {
    sqlx::query_as(concat!(
        "UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1 RETURNING ",
        user_columns!()
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| ServerError::NotFound(format!("user {id}")))
}

/// Kazakhstan's regions and their districts, by id (`data/regions.toml`, the file
/// the app's pickers read), to refuse a mistyped one.
fn known_place(id: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct File {
        region: Vec<Place>,
    }
    #[derive(serde::Deserialize)]
    struct Place {
        id: String,
        #[serde(default)]
        district: Vec<Place>,
    }
    static PLACES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    PLACES
        .get_or_init(|| {
            let file: File =
                toml::from_str(include_str!("../../../data/regions.toml")).unwrap_or(File { region: vec![] });
            file.region
                .into_iter()
                .flat_map(|region| std::iter::once(region.id).chain(region.district.into_iter().map(|d| d.id)))
                .collect()
        })
        .iter()
        .any(|known| known == id)
}

fn check_district(district: &str) -> Result<()> {
    if district.contains('.') && known_place(district) {
        Ok(())
    } else {
        Err(ServerError::Invalid(format!("no district `{district}` in data/regions.toml (such as turkistan.sairam)")))
    }
}

/// Records the district clinic `id` is in.
pub async fn set_clinic_district(pool: &PgPool, id: i64, district: &str) -> Result<Unit> {
    check_district(district)?;
    sqlx::query_as(
        "UPDATE clinics SET district = $2 WHERE id = $1 RETURNING id, organisation_id AS parent_id, name, district",
    )
    .bind(id)
    .bind(district)
    .fetch_optional(pool)
    .await
    .map_err(refused)?
    .ok_or_else(|| ServerError::NotFound(format!("clinic {id}")))
}

/// What a supervisor oversees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Oversight {
    /// Her own team.
    Team,
    /// Every team of the clinics of a district (`turkistan.sairam`).
    District(String),
    /// Every team of the clinics of a region (`turkistan`).
    Region(String),
}

/// Sets what supervisor `id` oversees; her organisation's clinics only.
pub async fn set_oversight(pool: &PgPool, id: i64, oversight: &Oversight) -> Result<User> {
    let (district, region) = match oversight {
        Oversight::Team => (None, None),
        Oversight::District(district) => {
            check_district(district)?;
            (Some(district.as_str()), None)
        }
        Oversight::Region(region) => {
            if region.contains('.') || !known_place(region) {
                return Err(ServerError::Invalid(format!(
                    "no region `{region}` in data/regions.toml (such as turkistan)"
                )));
            }
            (None, Some(region.as_str()))
        }
    };
    sqlx::query_as(concat!(
        "UPDATE users SET oversees_district = $2, oversees_region = $3 WHERE id = $1 AND role = 'supervisor' RETURNING ",
        user_columns!()
    ))
    .bind(id)
    .bind(district)
    .bind(region)
    .fetch_optional(pool)
    .await
    .map_err(refused)?
    .ok_or_else(|| ServerError::NotFound(format!("a supervisor {id}")))
}

/// A new enrolment code for user `user_id`, valid for `hours`. Only its hash is kept.
pub async fn create_code(pool: &PgPool, user_id: i64, hours: u32) -> Result<IssuedCode> {
    let code = secrets::new_code()?;
    let canonical =
        secrets::normalise_code(&code).ok_or_else(|| ServerError::Invalid("a malformed new code".to_owned()))?;
    let expires_at: String = sqlx::query_scalar(concat!(
        "INSERT INTO enrolment_codes (code_sha256, user_id, expires_at)
         SELECT $1, id, now() + make_interval(hours => $3) FROM users WHERE id = $2 AND disabled_at IS NULL
         RETURNING ",
        utc!("expires_at")
    ))
    .bind(secrets::code_hash(&canonical).as_slice())
    .bind(user_id)
    .bind(i32::try_from(hours).unwrap_or(i32::MAX))
    .fetch_optional(pool)
    .await
    .map_err(refused)?
    .ok_or_else(|| ServerError::NotFound(format!("an enabled user {user_id}")))?;
    Ok(IssuedCode { code, user_id, expires_at })
}

/// The columns of [`Device`].
macro_rules! device_columns {
    () => {
        concat!(
            "id, user_id, app_version, ",
            utc!("enrolled_at"),
            " AS enrolled_at, ",
            utc!("last_sync_at"),
            " AS last_sync_at, acknowledged_seq, ",
            utc!("revoked_at"),
            " AS revoked_at"
        )
    };
}

/// Every device.
pub async fn devices(pool: &PgPool) -> Result<Vec<Device>> {
    Ok(sqlx::query_as(concat!("SELECT ", device_columns!(), " FROM devices ORDER BY enrolled_at, id"))
        .fetch_all(pool)
        .await?)
}

/// Lets revoked device `id` back in, after a revocation by mistake: its old token
/// stays refused (a new hash nobody holds replaces it), and it returns with a new
/// enrolment code for the same user, its numbering continuing where it was.
pub async fn reinstate_device(pool: &PgPool, id: &str) -> Result<Device> {
    let nobody = secrets::new_token(id)?.1;
    sqlx::query_as(concat!(
        "UPDATE devices SET revoked_at = NULL, token_sha256 = $2 WHERE id = $1 RETURNING ",
        device_columns!()
    ))
    .bind(id)
    .bind(nobody.as_slice())
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| ServerError::NotFound(format!("device {id}")))
}

/// Revokes device `id`: its token is refused from now on.
pub async fn revoke_device(pool: &PgPool, id: &str) -> Result<Device> {
    sqlx::query_as(concat!(
        "UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ",
        device_columns!()
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| ServerError::NotFound(format!("device {id}")))
}
