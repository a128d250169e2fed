//! `tirek sync`: enrol this profile with the organisation's server, sync now, show
//! where sync stands, and sync by USB stick where there is no connection (`bundle
//! export`, `bundle import`). Each subcommand calls one `tirek-app` function.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use tirek_app::{App, EnrolInput, SyncStatus};
use tirek_i18n::{FluentArgs, Messages};

use crate::{Cli, Failure, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum SyncCommand {
    /// Connect this profile to the organisation's server with a one-time code
    Enrol(EnrolArgs),
    /// Send waiting changes, receive the other devices' changes, and check both agree
    Now,
    /// Show the server, the last sync, what waits to go, refusals and records to review
    Status,
    /// Sync by USB stick, without any connection
    #[command(subcommand)]
    Bundle(BundleCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum BundleCommand {
    /// Write what a sync would send into a sealed file for the server
    Export {
        /// The folder to write it into (a USB stick)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Take in the answer the server wrote (tirek-…-answer.tirekbundle)
    Import {
        /// The answer file
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub(crate) struct EnrolArgs {
    /// The server's address, e.g. https://tirek.example.kz:8443
    #[arg(long, value_name = "URL")]
    server: String,
    /// The enrolment code the administrator gave
    #[arg(long)]
    code: String,
    /// The organisation's certificate (PEM) to trust for this server, and only it
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
}

pub(crate) fn run(command: &SyncCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    app.allow_insecure_dev_sync(cli.insecure_dev);
    // Tests kill a sync midway and need it to take many small steps; a release build
    // never reads this.
    if cfg!(debug_assertions)
        && let Ok(steps) = std::env::var("TIREK_TEST_SYNC_STEPS")
        && let Some((changes, page)) = steps.split_once(',')
        && let (Ok(changes), Ok(page)) = (changes.trim().parse(), page.trim().parse())
    {
        app.set_sync_steps_for_tests(changes, page);
    }
    match command {
        SyncCommand::Enrol(args) => {
            let certificate_pem = args.ca.as_deref().map(|path| app.read_certificate(path)).transpose()?;
            let input = EnrolInput { server: args.server.clone(), code: args.code.clone(), certificate_pem };
            let enrolled = app.sync_enrol(&input)?;
            if cli.json {
                print_json(&enrolled);
            } else {
                let mut args = FluentArgs::new();
                args.set("server", enrolled.server.clone());
                println!("{}", messages.format("sync-enrolled", Some(&args)));
                if let Some(sha256) = &enrolled.certificate_sha256 {
                    let mut args = FluentArgs::new();
                    args.set("sha256", sha256.clone());
                    println!("{}", messages.format("sync-enrolled-fingerprint", Some(&args)));
                }
            }
        }
        SyncCommand::Now => {
            let summary = app.sync_now()?;
            if cli.json {
                print_json(&summary);
            } else {
                let mut args = FluentArgs::new();
                args.set("pushed", summary.pushed);
                args.set("stored", summary.stored);
                args.set("duplicates", summary.duplicates);
                args.set("pulled", summary.pulled);
                println!("{}", messages.format("sync-done", Some(&args)));
                if summary.repaired {
                    println!("{}", messages.get("sync-done-repaired"));
                }
                if summary.removed > 0 {
                    let mut args = FluentArgs::new();
                    args.set("count", summary.removed);
                    println!("{}", messages.format("sync-done-removed", Some(&args)));
                }
                let step = if summary.in_step { "sync-done-in-step" } else { "sync-done-not-in-step" };
                println!("{}", messages.get(step));
                print_details(&app.sync_status()?, messages);
            }
        }
        SyncCommand::Bundle(BundleCommand::Export { out }) => {
            let written = app.sync_bundle_export(out)?;
            if cli.json {
                print_json(&written);
            } else {
                let mut args = FluentArgs::new();
                args.set("path", written.path.clone());
                args.set("changes", written.changes);
                println!("{}", messages.format("sync-bundle-written", Some(&args)));
            }
        }
        SyncCommand::Bundle(BundleCommand::Import { file }) => {
            let summary = app.sync_bundle_import(file)?;
            if cli.json {
                print_json(&summary);
            } else if summary.already_imported {
                println!("{}", messages.get("sync-bundle-already-imported"));
            } else {
                let mut args = FluentArgs::new();
                args.set("pushed", summary.pushed);
                args.set("stored", summary.stored);
                args.set("duplicates", summary.duplicates);
                args.set("pulled", summary.pulled);
                println!("{}", messages.format("sync-done", Some(&args)));
                let step = if summary.in_step { "sync-done-in-step" } else { "sync-done-not-in-step" };
                println!("{}", messages.get(step));
                print_details(&app.sync_status()?, messages);
            }
        }
        SyncCommand::Status => {
            let status = app.sync_status()?;
            if cli.json {
                print_json(&status);
            } else if !status.enrolled {
                println!("{}", messages.get("sync-status-not-enrolled"));
            } else {
                let line = |id: &str, name: &str, value: String| {
                    let mut args = FluentArgs::new();
                    args.set(name.to_owned(), value);
                    println!("{}", messages.format(id, Some(&args)));
                };
                line("sync-status-server", "server", status.server.clone().unwrap_or_default());
                match status.last_sync_ms {
                    Some(ms) => line("sync-status-last", "when", kazakhstan_time(ms as i64)),
                    None => println!("{}", messages.get("sync-status-never")),
                }
                line("sync-status-waiting", "count", status.waiting.to_string());
                line("sync-status-acknowledged", "count", status.acknowledged.to_string());
                print_details(&status, messages);
            }
        }
    }
    Ok(())
}

/// The lines that need the person's attention: consent, refusals, reviews.
fn print_details(status: &SyncStatus, messages: &Messages) {
    let count = |id: &str, count: usize| {
        let mut args = FluentArgs::new();
        args.set("count", count);
        println!("{}", messages.format(id, Some(&args)));
    };
    count("sync-status-consent", status.waiting_for_consent as usize);
    if !status.waiting_for_consent_clients.is_empty() {
        let mut args = FluentArgs::new();
        args.set("clients", status.waiting_for_consent_clients.join(", "));
        println!("  {}", messages.format("sync-status-consent-clients", Some(&args)));
    }
    if !status.read_only.is_empty() {
        count("sync-status-read-only", status.read_only.len());
    }
    count("sync-status-refused", status.refused.len());
    for refused in &status.refused {
        let mut args = FluentArgs::new();
        args.set("entity", refused.entity.clone());
        args.set("record", refused.record_id.clone());
        args.set("reason", refused.reason.clone());
        println!("  {}", messages.format("sync-status-refused-line", Some(&args)));
    }
    count("sync-status-reviews", status.reviews.len());
    for review in &status.reviews {
        let mut args = FluentArgs::new();
        args.set("entity", review.entity.clone());
        args.set("record", review.record_id.clone());
        args.set("field", review.field.clone());
        args.set("later", review.later.clone().unwrap_or_default());
        args.set("earlier", review.earlier.clone().unwrap_or_default());
        println!("  {}", messages.format("sync-status-review-line", Some(&args)));
    }
}

/// An instant as the clinic reads it: `DD.MM.YYYY HH:MM`, Kazakhstan's time (UTC+5).
fn kazakhstan_time(unix_ms: i64) -> String {
    let date = tirek_domain::date::Date::in_kazakhstan(unix_ms).dotted();
    let minutes = (unix_ms.div_euclid(60_000) + 5 * 60).rem_euclid(24 * 60);
    format!("{date} {:02}:{:02}", minutes / 60, minutes % 60)
}
