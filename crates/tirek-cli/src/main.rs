//! `tirek`, the command line: Tirek's use cases for scripts, administrators and
//! checks, over the same `tirek-app` functions the window calls.
//!
//! Conventions every subcommand keeps: `--json` prints one JSON document on stdout
//! and nothing else there; messages for people go to stderr in the user's language;
//! passwords are read only from the terminal or with `--password-stdin`, never from
//! an argument, so they cannot leak into shell history or `ps`. Exit codes: 0 done,
//! 1 the user's input or environment is wrong (one translated line says why),
//! 2 the command line itself is malformed (clap's usage error).

mod backup;
mod caseload;
mod instrument;
mod letters;
mod profile;
mod secrets;
mod sync;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;
use tirek_app::{App, AppError};
use tirek_i18n::Messages;

/// Tirek: records, questionnaires and referral letters for psychologists who support
/// parents of children with disabilities.
#[derive(Debug, Parser)]
#[command(name = "tirek", version, about, propagate_version = true)]
struct Cli {
    /// The folder holding Tirek's profiles and settings
    #[arg(long, global = true, value_name = "DIR", env = tirek_app::DATA_DIR_ENV)]
    data_dir: Option<PathBuf>,

    /// Print machine-readable JSON on stdout instead of text
    #[arg(long, global = true)]
    json: bool,

    /// Read the profile password from the first line of standard input (for commands
    /// that unlock a profile), so that scripts never put it on the command line
    #[arg(long, global = true)]
    password_stdin: bool,

    /// Allow plain HTTP to a sync server on this computer (127.0.0.1), for a
    /// developer's test server only
    #[arg(long, global = true, env = "TIREK_SYNC_INSECURE_DEV", hide_env_values = true)]
    insecure_dev: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the version, build and data folder of this copy of Tirek
    Info,
    /// Create, list and manage the profiles on this computer
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// Check a profile's database
    #[command(subcommand)]
    Db(profile::DbCommand),
    /// Back up and restore profiles
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// Check identification numbers
    #[command(subcommand)]
    Iin(IinCommand),
    /// Check a profile's audit trail
    #[command(subcommand)]
    Audit(profile::AuditCommand),
    /// Clients (parents and guardians): add, list, search, show, export, erase
    Client {
        #[command(subcommand)]
        command: caseload::ClientCommand,
        #[command(flatten)]
        which: caseload::Which,
    },
    /// Consultations: record and sign
    Consult {
        #[command(subcommand)]
        command: caseload::ConsultCommand,
        #[command(flatten)]
        which: caseload::Which,
    },
    /// Questionnaires: list, check a file, score answers
    #[command(subcommand)]
    Instrument(instrument::InstrumentCommand),
    /// A client's questionnaires: save one, see them over time
    Assess {
        #[command(subcommand)]
        command: instrument::AssessCommand,
        #[command(flatten)]
        which: caseload::Which,
    },
    /// The clinic's details for printed documents
    #[command(subcommand)]
    Clinic(caseload::ClinicCommand),
    /// The services directory: add, list, import and export as CSV
    Service {
        #[command(subcommand)]
        command: letters::ServiceCommand,
        #[command(flatten)]
        which: caseload::Which,
    },
    /// Referral letters: write, print, list, follow
    Letter {
        #[command(subcommand)]
        command: letters::LetterCommand,
        #[command(flatten)]
        which: caseload::Which,
    },
    /// Sync with the organisation's server: enrol, sync now, status
    Sync {
        #[command(subcommand)]
        command: sync::SyncCommand,
        #[command(flatten)]
        which: caseload::Which,
    },
    /// A fictional caseload for trying Tirek and for benchmarks
    Demo {
        #[command(subcommand)]
        command: caseload::DemoCommand,
        #[command(flatten)]
        which: caseload::Which,
    },
}

#[derive(Debug, Subcommand)]
enum IinCommand {
    /// Check an IIN: length, digits, birth date, century and sex digit, check digit
    Check {
        /// The IIN, spaces allowed
        iin: String,
    },
}

#[derive(Debug, Serialize)]
struct IinJson {
    iin: String,
    birth_date: String,
    sex: &'static str,
}

/// Why a command failed: an error of the use cases, or the command line's own
/// problem (a missing password line, two passwords that differ), already translated.
#[derive(Debug)]
pub(crate) enum Failure {
    App(AppError),
    Message(String),
}

impl Failure {
    pub(crate) fn message(messages: &Messages, id: &str) -> Failure {
        Failure::Message(messages.get(id))
    }
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Failure {
        Failure::App(error)
    }
}

/// Prints `value` as one JSON document on stdout.
pub(crate) fn print_json(value: &impl Serialize) {
    let mut stdout = std::io::stdout().lock();
    let _ =
        serde_json::to_writer_pretty(&mut stdout, value).map_err(std::io::Error::from).and_then(|()| writeln!(stdout));
}

/// `tirek info --json`.
#[derive(Debug, Serialize)]
struct InfoJson {
    version: &'static str,
    build: &'static str,
    data_dir: PathBuf,
    data_dir_writable: bool,
    language: &'static str,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = tirek_app::resolve_data_dir(cli.data_dir.clone());
    let (app, problems) = App::start(&data_dir);
    let messages = Messages::new(app.language());
    let outcome = match &cli.command {
        Command::Info => info(&cli, &app, &messages, problems),
        Command::Profile(command) => profile::run(command, &cli, &app, &messages),
        Command::Db(command) => profile::run_db(command, &cli, &app, &messages),
        Command::Backup(command) => backup::run(command, &cli, &app, &messages),
        Command::Iin(IinCommand::Check { iin }) => check_iin(&cli, iin, &messages),
        Command::Audit(command) => profile::run_audit(command, &cli, &app, &messages),
        Command::Client { command, which } => {
            caseload::unlocked(&app, which, &cli, &messages, || caseload::client(command, &cli, &app, &messages))
        }
        Command::Consult { command, which } => {
            caseload::unlocked(&app, which, &cli, &messages, || caseload::consult(command, &cli, &app, &messages))
        }
        Command::Instrument(command) => instrument::run(command, &cli, &app, &messages),
        Command::Assess { command, which } => {
            caseload::unlocked(&app, which, &cli, &messages, || instrument::assess(command, &cli, &app, &messages))
        }
        Command::Clinic(command) => caseload::run_clinic(command, &cli, &app, &messages),
        Command::Service { command, which } => {
            caseload::unlocked(&app, which, &cli, &messages, || letters::service(command, &cli, &app, &messages))
        }
        Command::Letter { command, which } => {
            caseload::unlocked(&app, which, &cli, &messages, || letters::letter(command, &cli, &app, &messages))
        }
        Command::Sync { command, which } => {
            caseload::unlocked(&app, which, &cli, &messages, || sync::run(command, &cli, &app, &messages))
        }
        Command::Demo { command, which } => {
            caseload::unlocked(&app, which, &cli, &messages, || caseload::demo(command, &cli, &app, &messages))
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let text = match failure {
                Failure::App(err) => {
                    // The chain for whoever supports the clinic: never clinical data.
                    if std::env::var_os("TIREK_LOG").is_some() {
                        eprintln!("{err:?}");
                    }
                    // A form's problems, one line per field, so a script can tell which.
                    if let AppError::Invalid(_) = err {
                        err.field_messages(&messages)
                            .into_iter()
                            .map(|problem| format!("{}: {}", problem.field, problem.message))
                            .collect::<Vec<_>>()
                            .join("\n")
                    } else {
                        err.localized(&messages)
                    }
                }
                Failure::Message(text) => text,
            };
            eprintln!("{}: {text}", messages.get("error-prefix"));
            ExitCode::from(1)
        }
    }
}

fn info(cli: &Cli, app: &App, messages: &Messages, problems: Vec<AppError>) -> Result<(), Failure> {
    let info = app.info();
    let mut stdout = std::io::stdout().lock();
    let written = if cli.json {
        let json = InfoJson {
            version: info.version,
            build: info.build,
            data_dir: info.data_dir.clone(),
            data_dir_writable: info.data_dir_writable,
            language: app.language().code(),
        };
        serde_json::to_writer_pretty(&mut stdout, &json).map_err(std::io::Error::from).and_then(|()| writeln!(stdout))
    } else {
        let writable = match info.data_dir_writable {
            true => messages.get("cli-info-data-dir-writable"),
            false => messages.get("cli-info-data-dir-not-writable"),
        };
        writeln!(stdout, "Tirek {}", info.version)
            .and_then(|()| writeln!(stdout, "{}: {}", messages.get("settings-build"), info.build))
            .and_then(|()| {
                writeln!(stdout, "{}: {} ({writable})", messages.get("settings-data-dir"), info.data_dir.display())
            })
            .and_then(|()| writeln!(stdout, "{}: {}", messages.get("cli-info-language"), app.language().endonym()))
    };
    // A closed pipe (`tirek info | head -1`) is not the user's problem to read about.
    drop(written);
    // `info` is how an installer checks a machine, so an unusable data folder fails it.
    if !info.data_dir_writable {
        return problems.into_iter().next().map_or(Ok(()), |problem| Err(problem.into()));
    }
    warn_all(&problems, messages);
    Ok(())
}

/// `tirek iin check`: the decoded birth date and sex, or why the number is wrong.
fn check_iin(cli: &Cli, typed: &str, messages: &Messages) -> Result<(), Failure> {
    let iin = tirek_app::check_iin(typed)?;
    let date = iin.birth_date();
    let birth_date = format!("{:04}-{:02}-{:02}", date.year, date.month, date.day);
    let sex = match iin.sex() {
        tirek_domain::iin::Sex::Male => "male",
        tirek_domain::iin::Sex::Female => "female",
    };
    if cli.json {
        print_json(&IinJson { iin: iin.to_string(), birth_date, sex });
    } else {
        let mut args = tirek_i18n::FluentArgs::new();
        args.set("date", format!("{:02}.{:02}.{}", date.day, date.month, date.year));
        args.set("sex", sex);
        println!("{}", messages.format("cli-iin-valid", Some(&args)));
    }
    Ok(())
}

/// Prints problems that do not stop the command, one translated line each.
fn warn_all(problems: &[AppError], messages: &Messages) {
    for problem in problems {
        eprintln!("{}", problem.localized(messages));
    }
}
