//! The server's integration tests: one test binary (compiling one is far cheaper
//! than one per file), a module per area. Every test starts the real server —
//! [`tirek_server::Server::bind`], as the binary does — on 127.0.0.1:0 against a
//! fresh database of the binary's private PostgreSQL cluster
//! (`tirek-test-postgres`), and talks to it over HTTP like the app will.

mod abuse;
mod access;
mod authorisation;
mod bundle;
mod cli;
mod common;
mod enrol;
mod late_commit;
mod logs;
mod pull;
mod push;
mod tls;
