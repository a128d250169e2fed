//! The sync wire format between the Tirek app and the organisation's server: every
//! request and response body, the problem body that carries a refusal, the protocol
//! version both sides speak, the sealed USB bundle that carries the same bodies on a
//! stick, and the pure rules that read them (which changes go in which batch, what
//! an answer means, the scope checksum).
//!
//! Why a crate of its own: the app's sync driver and `tirek-server` must agree on
//! these bytes exactly, and neither should drag the other's dependencies along. So
//! this crate does no I/O — no HTTP, no database, no clock, no randomness of its own
//! — and derives serde on its own types only; the domain's types stay serde-free and
//! are converted here ([`wire::WireChange::from_record`]). HTTP bodies are
//! compressed by the HTTP layers; the one codec here is the USB bundle's
//! ([`bundle`]: gzip inside its seal), with the seal itself, so that the device and
//! the server open each other's files with the same code.
//!
//! Versioning: every request carries [`version::PROTOCOL_HEADER`] with the version
//! the app speaks; the server accepts [`version::SUPPORTED`] and answers anything else
//! with a [`problem::Problem`] of kind `version_unsupported` that states the range.
//! Within a version, fields are only ever added with a default, never renamed.

pub mod bundle;
pub mod checksum;
pub mod messages;
pub mod plan;
pub mod problem;
pub mod version;
pub mod wire;

pub use messages::{
    AuditHead, ClientRemoval, Cursor, EnrolRequest, EnrolResponse, PullRequest, PullResponse, PushRequest,
    PushResponse, Refusal, RefusalKind, ScopeSummary, StatusResponse,
};
pub use problem::{Problem, ProblemKind};
pub use version::{APP_VERSION_HEADER, AppVersion, PROTOCOL_HEADER, PROTOCOL_VERSION, SUPPORTED, VersionRange};
pub use wire::{WireChange, WireValue};

/// What can go wrong reading the wire format.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// A version the other side does not speak.
    #[error("protocol version {found} is not supported (supported: {supported})")]
    VersionUnsupported { found: u32, supported: VersionRange },
    /// A header or value that is not a version number at all.
    #[error("`{0}` is not a protocol version")]
    NotAVersion(String),
    /// A body that is not the JSON it should be.
    #[error("malformed body")]
    Json(#[from] serde_json::Error),
    /// A cursor that the server did not write.
    #[error("`{0}` is not a pull cursor")]
    BadCursor(String),
}

/// `Result` with [`ProtocolError`].
pub type Result<T> = std::result::Result<T, ProtocolError>;
