//! Tirek's use cases: everything the window and the `tirek` command line can ask
//! for, as plain Rust functions over the store, the letters and the domain.
//!
//! Invariants: the Tauri commands in `src-tauri` and the subcommands in `tirek-cli`
//! are thin — they parse input, call one function here and convert the result — so a
//! rule lives here once and both edges behave the same; this crate contains no SQL
//! and no PDF code of its own; it knows nothing of Tauri or of the terminal.

mod assessments;
mod backups;
mod bundles;
mod caseload;
mod clinic;
mod consultations;
mod demo;
mod error;
pub mod instruments;
mod profiles;
mod referrals;
pub mod regions;
mod rights;
mod risk;
mod services;
mod session;
mod sync;
mod sync_background;
pub mod sync_clock;
mod sync_probe;
mod trends;

pub use assessments::{AssessmentInput, AssessmentView, ScheduleView};
pub use backups::BackupStatus;
pub use bundles::BundleWritten;
pub use caseload::{
    CaseloadPage, CaseloadQuery, CaseloadRow, ChildInput, ChildView, ClientDetail, ClientInput, ClientView,
    ConsentInput, ConsentState, ConsentView, TimelineEntry,
};
pub use clinic::{ClinicInput, Signatory};
pub use consultations::{
    AddendumView, Agenda, Attendee, ConsultationInput, ConsultationSummary, ConsultationView, DraftSaved,
    FollowUpInput, FollowUpView,
};
pub use demo::SeedSummary;
pub use error::{AppError, ErrorKind, FieldMessage, Result, problem_message};
pub use profiles::{BackupInfo, BackupSecret, BrokenLink, Created, ProfileSummary};
pub use referrals::{
    LetterContent, LetterPreview, PrintedLetter, ReferralInput, ReferralQuery, ReferralView, ResultsContent,
    letter_file_name,
};
pub use rights::{ClientExport, EXPORT_FORMAT};
pub use risk::{LEVELS as RISK_LEVELS, RiskFlagView, RiskFormInput};
pub use services::{CSV_COLUMNS, ImportSummary, ServiceInput, ServiceQuery, ServiceView, service_kinds};
pub use session::{App, AppInfo};
pub use sync::{
    AuditVerdict, AuditWitness, ClientRef, EnrolInput, Enrolled, RecordSync, RefusedView, ReviewView, SyncError,
    SyncStatus, SyncSummary, WriteOrigin,
};
pub use sync_background::{SyncActivity, SyncProblem};
pub use sync_probe::ServerCertificate;
/// The extension of USB sync bundle files, both ways.
pub use tirek_protocol::bundle::EXTENSION as BUNDLE_EXTENSION;
pub use trends::{
    ChartBand, ChartLegend, ChartMark, ChartPoint, ChartText, ChartTick, ChartView, InstrumentTrend, ItemRow,
    LatestResult,
};

use std::path::PathBuf;

use tirek_domain::Language;

/// The environment variable that overrides the data folder, for the app and the CLI.
pub const DATA_DIR_ENV: &str = "TIREK_DATA_DIR";

/// The data folder to use: the one given explicitly (a `--data-dir` flag), else
/// `TIREK_DATA_DIR`, else the platform's place for application data
/// (`~/.local/share/tirek` on Linux, `%LOCALAPPDATA%\tirek` on Windows).
pub fn resolve_data_dir(explicit: Option<PathBuf>) -> PathBuf {
    explicit
        .or_else(|| std::env::var_os(DATA_DIR_ENV).filter(|value| !value.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default_data_dir)
}

/// Checks a typed IIN (spaces ignored): the valid number, or why it is not one.
pub fn check_iin(typed: &str) -> Result<tirek_domain::iin::Iin> {
    tirek_domain::iin::Iin::parse(typed).map_err(AppError::Iin)
}

/// The platform's place for Tirek's data when nothing else is configured.
pub fn default_data_dir() -> PathBuf {
    dirs::data_local_dir().unwrap_or_else(|| PathBuf::from(".")).join("tirek")
}

/// The interface language the operating system asks for, from `LC_ALL`,
/// `LC_MESSAGES` or `LANG`; Russian when none names a language Tirek speaks, as the
/// language most widely read in Kazakhstan's polyclinics.
pub fn system_language() -> Language {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .and_then(|locale| Language::from_posix_locale(&locale))
        .unwrap_or(Language::Russian)
}
