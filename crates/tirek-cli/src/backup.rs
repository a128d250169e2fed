//! `tirek backup create|verify|restore`: backups for the clinic's IT person and for
//! scheduled scripts. A backup opens with the profile's password on this computer,
//! or with the recovery key anywhere (`--recovery-key`).

use std::path::PathBuf;

use clap::Subcommand;
use serde::Serialize;
use tirek_app::{App, BackupInfo, BackupSecret};
use tirek_i18n::{FluentArgs, Messages};

use crate::secrets::Secrets;
use crate::{Cli, Failure, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum BackupCommand {
    /// Write an encrypted backup of a profile (stdin: its password)
    Create {
        /// The backup file to write (replaced atomically if it exists)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The profile's id or name; may be left out when there is only one
        #[arg(long)]
        profile: Option<String>,
    },
    /// Open a backup in a scratch folder and check it, changing nothing (stdin: password or recovery key)
    Verify {
        /// The backup file
        file: PathBuf,
        /// Read the recovery key instead of the password
        #[arg(long)]
        recovery_key: bool,
    },
    /// Restore a backup as its profile on this computer, replacing it if present (stdin: password or recovery key)
    Restore {
        /// The backup file
        file: PathBuf,
        /// Read the recovery key instead of the password
        #[arg(long)]
        recovery_key: bool,
    },
}

#[derive(Debug, Serialize)]
struct BackupJson<'a> {
    profile_id: &'a str,
    profile_name: &'a str,
    taken_at_ms: i64,
    schema_version: u32,
}

impl<'a> From<&'a BackupInfo> for BackupJson<'a> {
    fn from(info: &'a BackupInfo) -> BackupJson<'a> {
        BackupJson {
            profile_id: &info.profile_id,
            profile_name: &info.profile_name,
            taken_at_ms: info.taken_at,
            schema_version: info.schema_version,
        }
    }
}

pub(crate) fn run(command: &BackupCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    let mut secrets = Secrets::new(cli.password_stdin);
    let (info, message) = match command {
        BackupCommand::Create { out, profile } => {
            let profile = app.find_profile(profile.as_deref())?;
            let password = secrets.next(messages, "cli-password-prompt")?;
            (app.backup_profile(&profile.id, &password, out)?, "cli-backup-created")
        }
        BackupCommand::Verify { file, recovery_key } | BackupCommand::Restore { file, recovery_key } => {
            let prompt = if *recovery_key { "cli-recovery-key-prompt" } else { "cli-password-prompt" };
            let secret = secrets.next(messages, prompt)?;
            let secret =
                if *recovery_key { BackupSecret::RecoveryKey(&secret) } else { BackupSecret::Password(&secret) };
            match command {
                BackupCommand::Verify { .. } => (app.verify_backup(file, secret)?, "cli-backup-verified"),
                _ => (app.restore_backup(file, secret)?, "cli-backup-restored"),
            }
        }
    };
    if cli.json {
        print_json(&BackupJson::from(&info));
    } else {
        let mut args = FluentArgs::new();
        args.set("name", info.profile_name.clone());
        println!("{}", messages.format(message, Some(&args)));
    }
    Ok(())
}
