//! The server's one error type. Every failure a request can meet is a variant here;
//! [`ServerError::kind`] maps it to the protocol's stable [`ProblemKind`], and the
//! HTTP layer turns that into a status and an RFC 9457 problem body. Internal
//! failures (the database, the file system) are logged with their whole chain and
//! answered as `internal` or `unavailable`, never with their text: an SQL error
//! can quote a clinical value.

use tirek_protocol::{Problem, ProblemKind, VersionRange};

/// Something the server could not do.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The request's protocol version is not accepted.
    #[error("protocol version {found:?} is not supported")]
    VersionUnsupported { found: Option<String>, supported: VersionRange },
    /// The app is older than the organisation asks for (`min_app_version`).
    #[error("app version {found:?} is older than {minimum}")]
    UpdateRequired { found: Option<String>, minimum: String },
    /// No usable bearer token.
    #[error("no valid device token")]
    Unauthenticated,
    /// The device was revoked, or its user disabled.
    #[error("device revoked or user disabled")]
    DeviceRevoked,
    /// An unknown, used or expired enrolment code.
    #[error("enrolment code invalid, used or expired")]
    EnrolmentCodeInvalid,
    /// The device id is taken.
    #[error("device {0} is already enrolled")]
    DeviceAlreadyEnrolled(String),
    /// A change's clock is too far ahead.
    #[error("a change's clock is {ahead_ms} ms ahead of the server's")]
    ClockSkew { ahead_ms: u64, server_time_ms: i64 },
    /// Too many changes or bytes.
    #[error("batch too large: {what}")]
    BatchTooLarge { what: String, max_changes: u32 },
    /// A body or header that cannot be read.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// Too many requests from one device or address.
    #[error("rate limited: {who} may ask again in {retry_after} s")]
    RateLimited { who: &'static str, retry_after: u64 },
    /// The body did not arrive in time.
    #[error("the request body did not arrive within {seconds} s")]
    BodyTimeout { seconds: u64 },
    /// A batch that does not continue the device's sequence.
    #[error("batch starts after a gap: the server has up to {acknowledged}")]
    SequenceGap { acknowledged: i64 },
    /// A change sent again is not the one stored under its device and sequence.
    #[error("change {seq} differs from the one stored under this device's name: a restored or copied profile")]
    DeviceDiverged { seq: i64 },
    /// A cursor from another epoch.
    #[error("the cursor belongs to another epoch")]
    EpochChanged { epoch: String },
    /// The caller may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// No such thing.
    #[error("{0} not found")]
    NotFound(String),
    /// An administrator's request that cannot be carried out as asked.
    #[error("{0}")]
    Invalid(String),
    /// The database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The TLS certificate or key is unusable.
    #[error("TLS: {0}")]
    Tls(String),
    /// A USB bundle that cannot be imported: not a bundle, another organisation's,
    /// damaged or altered, an answer, or of a newer Tirek.
    #[error(transparent)]
    Bundle(#[from] tirek_protocol::bundle::BundleError),
    /// The operating system refused (a port, a file).
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

/// `Result` with [`ServerError`].
pub type Result<T> = std::result::Result<T, ServerError>;

impl ServerError {
    /// The stable kind the app translates.
    pub fn kind(&self) -> ProblemKind {
        match self {
            Self::VersionUnsupported { .. } => ProblemKind::VersionUnsupported,
            Self::UpdateRequired { .. } => ProblemKind::UpdateRequired,
            Self::Unauthenticated => ProblemKind::Unauthenticated,
            Self::DeviceRevoked => ProblemKind::DeviceRevoked,
            Self::EnrolmentCodeInvalid => ProblemKind::EnrolmentCodeInvalid,
            Self::DeviceAlreadyEnrolled(_) => ProblemKind::DeviceAlreadyEnrolled,
            Self::ClockSkew { .. } => ProblemKind::ClockSkew,
            Self::BatchTooLarge { .. } => ProblemKind::BatchTooLarge,
            Self::Malformed(_) | Self::Invalid(_) | Self::Bundle(_) => ProblemKind::MalformedRequest,
            Self::RateLimited { .. } => ProblemKind::RateLimited,
            Self::BodyTimeout { .. } => ProblemKind::RequestTimeout,
            Self::SequenceGap { .. } => ProblemKind::SequenceGap,
            Self::EpochChanged { .. } => ProblemKind::EpochChanged,
            Self::DeviceDiverged { .. } => ProblemKind::DeviceDiverged,
            Self::Forbidden(_) => ProblemKind::Forbidden,
            Self::NotFound(_) => ProblemKind::NotFound,
            Self::Database(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed) => {
                ProblemKind::Unavailable
            }
            Self::Database(_) | Self::Migration(_) | Self::Config(_) | Self::Tls(_) | Self::Io { .. } => {
                ProblemKind::Internal
            }
        }
    }

    /// The problem body for the client: for internal failures, only the kind.
    pub fn problem(&self) -> Problem {
        let kind = self.kind();
        let mut problem = Problem::new(kind);
        match self {
            Self::VersionUnsupported { supported, .. } => {
                problem.supported = Some(*supported);
                problem.detail = Some(self.to_string());
            }
            Self::UpdateRequired { minimum, .. } => {
                problem.minimum_app = Some(minimum.clone());
                problem.detail = Some(self.to_string());
            }
            Self::ClockSkew { server_time_ms, .. } => {
                problem.server_time_ms = Some(*server_time_ms);
                problem.detail = Some(self.to_string());
            }
            Self::BatchTooLarge { max_changes, .. } => {
                problem.max_changes = Some(*max_changes);
                problem.detail = Some(self.to_string());
            }
            Self::SequenceGap { acknowledged } => {
                problem.acknowledged = Some(*acknowledged);
                problem.detail = Some(self.to_string());
            }
            Self::EpochChanged { epoch } => problem.epoch = Some(epoch.clone()),
            Self::RateLimited { retry_after, .. } => {
                problem.retry_after = Some(*retry_after);
                problem.detail = Some(self.to_string());
            }
            _ if matches!(kind, ProblemKind::Internal | ProblemKind::Unavailable) => {}
            _ => problem.detail = Some(self.to_string()),
        }
        problem
    }

    /// The error with every cause, for the log.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }
}

/// Wraps an I/O error with what was being done.
pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ServerError {
    let what = what.into();
    move |source| ServerError::Io { what, source }
}
