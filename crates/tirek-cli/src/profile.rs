//! `tirek profile …` and `tirek db check`: the profile use cases for administrators
//! and scripts. Secrets come from the terminal or `--password-stdin`, one per line
//! in the order each command's help gives.

use clap::Subcommand;
use serde::Serialize;
use tirek_app::{App, AuditWitness, BrokenLink};
use tirek_i18n::{FluentArgs, Messages};

use crate::secrets::Secrets;
use crate::{Cli, Failure, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum ProfileCommand {
    /// Create a profile; prints its recovery key once (stdin: the password)
    Create {
        /// The psychologist's name, as the profile picker will show it
        #[arg(long)]
        name: String,
        /// Also write the recovery sheet, ready to print, as a PDF here
        #[arg(long, value_name = "FILE")]
        recovery_sheet: Option<std::path::PathBuf>,
    },
    /// List the profiles on this computer
    List,
    /// Change a profile's password (stdin: the current password, then the new one)
    Passwd {
        /// The profile's id or name; may be left out when there is only one
        #[arg(long)]
        profile: Option<String>,
    },
    /// Set a new password with the recovery key (stdin: the recovery key, then the new password)
    Recover {
        /// The profile's id or name; may be left out when there is only one
        #[arg(long)]
        profile: Option<String>,
    },
    /// Delete a profile and everything in it (stdin: its password)
    Delete {
        /// The profile's id or name; may be left out when there is only one
        #[arg(long)]
        profile: Option<String>,
        /// Confirm the deletion: it cannot be undone
        #[arg(long, required = true)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Run SQLite's and SQLCipher's integrity checks on a profile (stdin: its password)
    Check {
        /// The profile's id or name; may be left out when there is only one
        #[arg(long)]
        profile: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCommand {
    /// Walk the audit trail's hash chain and report the first broken link (stdin: the password)
    Verify {
        /// The profile's id or name; may be left out when there is only one
        #[arg(long)]
        profile: Option<String>,
    },
}

#[derive(Debug, Serialize)]
struct AuditJson {
    intact: bool,
    broken_at: Option<i64>,
    problem: Option<&'static str>,
    /// `not_enrolled`, `unreachable`, `not_seen` or `checked`.
    witness: &'static str,
    /// The furthest event the organisation's server saw, when checked against it.
    witnessed_up_to: Option<i64>,
}

#[derive(Debug, Serialize)]
struct ProfileJson<'a> {
    id: &'a str,
    name: &'a str,
    created_at: i64,
}

#[derive(Debug, Serialize)]
struct CreatedJson<'a> {
    id: &'a str,
    name: &'a str,
    recovery_key: &'a str,
    protected_by_keyring: bool,
}

#[derive(Debug, Serialize)]
struct DoneJson {
    ok: bool,
}

pub(crate) fn run(command: &ProfileCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    let mut secrets = Secrets::new(cli.password_stdin);
    match command {
        ProfileCommand::Create { name, recovery_sheet } => {
            let password = secrets.new_password(messages, "cli-password-prompt")?;
            let created = app.create_profile(name, &password)?;
            if let Some(path) = recovery_sheet {
                // The profile exists now: a sheet that cannot be saved must not hide
                // the key, which is still printed below.
                let saved = app
                    .recovery_sheet(&created.profile, &created.recovery_key, messages.language())
                    .and_then(|pdf| app.save_document(path, &pdf));
                if let Err(err) = saved {
                    eprintln!("{}: {}", messages.get("error-prefix"), err.localized(messages));
                }
            }
            let profile = &created.profile;
            if let Some(warning) = &created.keyring_warning {
                eprintln!("{}", messages.get("warning-keyring-unavailable"));
                let _ = warning;
            }
            if cli.json {
                print_json(&CreatedJson {
                    id: &profile.id,
                    name: &profile.name,
                    recovery_key: &created.recovery_key,
                    protected_by_keyring: created.keyring_warning.is_none(),
                });
            } else {
                let mut args = FluentArgs::new();
                args.set("name", profile.name.clone());
                args.set("id", profile.id.clone());
                println!("{}\n", messages.format("cli-profile-created", Some(&args)));
                println!("{}\n\n    {}\n", messages.get("cli-recovery-key-heading"), created.recovery_key);
            }
        }
        ProfileCommand::List => {
            let profiles = app.list_profiles()?;
            if cli.json {
                let list: Vec<_> = profiles
                    .iter()
                    .map(|p| ProfileJson { id: &p.id, name: &p.name, created_at: p.created_at })
                    .collect();
                print_json(&list);
            } else if profiles.is_empty() {
                eprintln!("{}", messages.get("cli-no-profiles"));
            } else {
                for profile in &profiles {
                    println!("{}  {}", profile.id, profile.name);
                }
            }
        }
        ProfileCommand::Passwd { profile } => {
            let profile = app.find_profile(profile.as_deref())?;
            let old = secrets.next(messages, "cli-old-password-prompt")?;
            let new = secrets.new_password(messages, "cli-new-password-prompt")?;
            app.change_password(&profile.id, &old, &new)?;
            done(cli, messages, "cli-password-changed");
        }
        ProfileCommand::Recover { profile } => {
            let profile = app.find_profile(profile.as_deref())?;
            let recovery_key = secrets.next(messages, "cli-recovery-key-prompt")?;
            let new = secrets.new_password(messages, "cli-new-password-prompt")?;
            app.reset_password(&profile.id, &recovery_key, &new)?;
            done(cli, messages, "cli-password-changed");
        }
        ProfileCommand::Delete { profile, yes: _ } => {
            let profile = app.find_profile(profile.as_deref())?;
            let password = secrets.next(messages, "cli-password-prompt")?;
            app.delete_profile(&profile.id, &password)?;
            done(cli, messages, "cli-profile-deleted");
        }
    }
    Ok(())
}

pub(crate) fn run_db(command: &DbCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    let mut secrets = Secrets::new(cli.password_stdin);
    match command {
        DbCommand::Check { profile } => {
            let profile = app.find_profile(profile.as_deref())?;
            let password = secrets.next(messages, "cli-password-prompt")?;
            app.check_database(&profile.id, &password)?;
            done(cli, messages, "cli-db-check-ok");
        }
    }
    Ok(())
}

fn done(cli: &Cli, messages: &Messages, message: &str) {
    if cli.json {
        print_json(&DoneJson { ok: true });
    } else {
        println!("{}", messages.get(message));
    }
}

pub(crate) fn run_audit(command: &AuditCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    let mut secrets = Secrets::new(cli.password_stdin);
    let AuditCommand::Verify { profile } = command;
    let profile = app.find_profile(profile.as_deref())?;
    let password = secrets.next(messages, "cli-password-prompt")?;
    let verdict = app.verify_audit(&profile.id, &password)?;
    let (broken_at, problem, id) = match verdict.broken {
        None => (None, None, "cli-audit-intact"),
        Some(BrokenLink::Altered { id }) => (Some(id), Some("altered"), "cli-audit-altered"),
        Some(BrokenLink::Missing { id }) => (Some(id), Some("missing"), "cli-audit-missing"),
    };
    let (witness, witnessed_up_to, witness_message) = match verdict.witness {
        AuditWitness::NotEnrolled => ("not_enrolled", None, None),
        AuditWitness::Unreachable => ("unreachable", None, Some("cli-audit-witness-unreachable")),
        AuditWitness::NotYetSeen => ("not_seen", None, Some("cli-audit-witness-not-seen")),
        AuditWitness::Checked { id } => ("checked", Some(id), Some("cli-audit-witness-checked")),
    };
    if cli.json {
        print_json(&AuditJson { intact: broken_at.is_none(), broken_at, problem, witness, witnessed_up_to });
    }
    let mut args = FluentArgs::new();
    args.set("id", broken_at.unwrap_or_default());
    let mut text = messages.format(id, Some(&args));
    if let Some(message) = witness_message {
        let mut args = FluentArgs::new();
        args.set("id", witnessed_up_to.unwrap_or_default());
        text = format!("{text}\n{}", messages.format(message, Some(&args)));
    }
    match broken_at {
        None if !cli.json => println!("{text}"),
        None => {}
        Some(_) => return Err(Failure::Message(text)),
    }
    Ok(())
}
