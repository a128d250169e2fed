//! The end-to-end suite: one binary, one module per area of the app. Each test starts
//! the real window on its own display and data folder (see `tirek_e2e::App`).

mod bench;
mod caseload;
mod frame;
mod letters;
mod profile;
mod questionnaires;
mod sync;
mod tour;
