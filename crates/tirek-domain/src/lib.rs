//! The pure heart of Tirek: the model of families, consultations, questionnaires and
//! letters, and the rules over them, as plain functions of their inputs.
//!
//! Invariant: this crate does no I/O. It has no database, no filesystem, no network,
//! no async runtime and no clock of its own — a time is always an argument. That keeps
//! every clinical rule testable with a table of cases and identical on the desktop,
//! in the CLI and on the server. It derives no IPC traits either: serialisation
//! happens at the boundaries (`tirek-protocol` for the server, `src-tauri` for the window).

pub mod audit;
pub mod caseload;
pub mod change;
pub mod chart;
pub mod credentials;
pub mod date;
pub mod entities;
pub mod iin;
pub mod instrument;
pub mod language;
pub mod merge;
pub mod phone;
pub mod referral;
pub mod text;
pub mod time;
pub mod when;

pub use language::{Language, UnknownLanguage};
