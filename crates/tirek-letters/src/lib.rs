//! Tirek's printed documents: referral letters, the parent's handout of local
//! services, consent forms, recovery sheets and client summaries, rendered to PDF.
//!
//! Invariants: only this crate knows printpdf; a document is a pure function from
//! its content to PDF bytes — no disk, no clock (dates come in as text); every
//! document embeds the freely licensed fonts in `fonts/`, so Kazakh letters print
//! the same on every computer; the words come from the Fluent files, never from
//! code.

mod chart;
mod client_record;
mod consent_form;
mod handout;
mod layout;
mod letter;
pub mod logo;
mod qr;
mod recovery_sheet;
#[doc(hidden)]
pub mod sample;
mod summary;

pub use chart::{Results, ScoreRow, legend_text, score_text};
pub use client_record::{
    ClientRecordDoc, RecordChild, RecordConsent, RecordConsultation, RecordFollowUp, client_record,
};
pub use consent_form::{ClinicBlock, ConsentFormDoc, consent_form};
pub use handout::{HandoutDoc, HandoutService, handout};
pub use letter::{LetterDoc, referral_letter};
pub use logo::{Logo, LogoProblem};
pub use recovery_sheet::{RecoverySheet, recovery_sheet};
pub use summary::{SummaryDoc, client_summary};

/// What can go wrong while making a document.
#[derive(Debug, thiserror::Error)]
pub enum LettersError {
    /// A bundled font could not be read (a broken build, never user input).
    #[error("the bundled font {0} cannot be parsed")]
    Font(&'static str),
    /// A bundled template could not be read (a broken build, never user input).
    #[error("the bundled template {0} cannot be parsed")]
    Template(&'static str),
}

/// A printed document, and the characters its fonts lacked (printed as "?").
#[derive(Debug, Clone)]
pub struct Printed {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Characters replaced because no embedded font has them.
    pub missing: Vec<char>,
}

/// The result of making a document.
pub type Result<T, E = LettersError> = std::result::Result<T, E>;
