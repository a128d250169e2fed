//! `tirek-server`: the organisation's sync server and its administration.
//!
//! ```text
//! tirek-server init --dir DIR --host NAME… [--organisation NAME] [--renew] [--json]
//! tirek-server [--config FILE] serve [--insecure-dev]
//! tirek-server [--config FILE] migrate
//! tirek-server [--config FILE] admin [--json] org|clinic|team|user|client|code|device|epoch …
//! tirek-server [--config FILE] admin [--json] import-bundle FILE [--out DIR]
//! ```
//!
//! Each subcommand parses its arguments, calls one function of the library and
//! prints the result; errors print with their whole chain and exit with code 1.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use serde::Serialize;
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;
use tirek_server::{Config, Server, Transport, bundle, certificates, db};

#[derive(Debug, Parser)]
#[command(name = "tirek-server", version, about = "Tirek's organisation sync server")]
struct Cli {
    /// Configuration file (TOML); every key can also come from TIREK_SERVER_<KEY>.
    #[arg(long, global = true, env = "TIREK_SERVER_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Make the organisation's CA, this server's certificate and the USB bundles'
    /// key (what is missing; `--renew` for a new server certificate) and print the
    /// CA's fingerprint.
    Init {
        /// Where the certificates and keys go (`ca.crt`, `ca.key`, `server.crt`,
        /// `server.key`, `bundle.key`).
        #[arg(long)]
        dir: PathBuf,
        /// A name or address devices reach the server by; repeat for several.
        #[arg(long = "host")]
        hosts: Vec<String>,
        /// The organisation's name, written into the certificates.
        #[arg(long, default_value = "Tirek")]
        organisation: String,
        /// Make a new server certificate even if one exists (to renew it or add a
        /// host); the CA is kept.
        #[arg(long)]
        renew: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Apply pending migrations and serve.
    Serve {
        /// Serve plain HTTP when no certificate is configured. Development only:
        /// device tokens and clinical data would cross the network unencrypted.
        #[arg(long)]
        insecure_dev: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage organisations, clinics, teams, users, enrolment codes and devices.
    Admin {
        /// Print JSON instead of a table.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Organisations.
    #[command(subcommand)]
    Org(UnitCommand),
    /// Clinics of an organisation.
    #[command(subcommand)]
    Clinic(ClinicCommand),
    /// Teams of a clinic.
    #[command(subcommand)]
    Team(UnitCommand),
    /// Users.
    #[command(subcommand)]
    User(UserCommand),
    /// Who may read and write a client: move it to another psychologist, share it.
    #[command(subcommand)]
    Client(ClientCommand),
    /// Enrolment codes.
    #[command(subcommand)]
    Code(CodeCommand),
    /// Enrolled devices.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// The server's epoch.
    #[command(subcommand)]
    Epoch(EpochCommand),
    /// Import a device's USB sync bundle and write the answer to carry back to it.
    ImportBundle {
        /// The bundle (`tirek-….tirekbundle`).
        file: PathBuf,
        /// Where the answer goes (default: the bundle's folder).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum UnitCommand {
    /// Create one.
    Create {
        /// Its name.
        name: String,
        /// The organisation (of a clinic) or clinic (of a team) it belongs to.
        #[arg(long)]
        parent: Option<i64>,
    },
    /// List them.
    List,
}

#[derive(Debug, Subcommand)]
enum ClinicCommand {
    /// Create one.
    Create {
        /// Its name.
        name: String,
        /// The organisation it belongs to.
        #[arg(long)]
        parent: Option<i64>,
        /// The district it is in (an id of data/regions.toml, such as turkistan.sairam).
        #[arg(long)]
        district: Option<String>,
    },
    /// List them.
    List,
    /// Record the district a clinic is in.
    District {
        /// The clinic.
        id: i64,
        /// The district (such as turkistan.sairam).
        district: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user.
    Create {
        #[arg(long)]
        org: i64,
        /// Required for a psychologist or supervisor.
        #[arg(long)]
        team: Option<i64>,
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// psychologist, supervisor or administrator.
        #[arg(long)]
        role: String,
    },
    /// List users.
    List,
    /// Disable a user: all her devices are refused from now on.
    Disable { id: i64 },
    /// What a supervisor oversees: her team (the default), a district or a region.
    Oversee {
        id: i64,
        /// Every team of the clinics in this district (such as turkistan.sairam).
        #[arg(long, conflicts_with = "region")]
        district: Option<String>,
        /// Every team of the clinics in this region (such as turkistan).
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ClientCommand {
    /// Move a client to another psychologist: she owns it from now on and her
    /// devices receive its whole history; the former owner keeps it read-only
    /// (the default) or loses it (`--revoke`).
    Move {
        /// The client's id (the record id the devices use).
        client: String,
        /// The psychologist who takes the client over.
        #[arg(long)]
        to: i64,
        /// The former owner keeps the client's history read-only (the default).
        #[arg(long, conflicts_with = "revoke")]
        keep_read: bool,
        /// The former owner loses the client: her devices remove it.
        #[arg(long)]
        revoke: bool,
        /// The administrator doing it (her login), for the log.
        #[arg(long)]
        by: Option<String>,
    },
    /// Share a client with another psychologist: she reads and writes it too.
    Share {
        /// The client's id.
        client: String,
        /// The psychologist to share it with.
        #[arg(long)]
        with: i64,
        /// The administrator doing it (her login), for the log.
        #[arg(long)]
        by: Option<String>,
    },
    /// Stop sharing a client (or end a former owner's read-only access): her
    /// devices remove it.
    Unshare {
        /// The client's id.
        client: String,
        /// The psychologist to stop sharing it with.
        #[arg(long)]
        with: i64,
        /// The administrator doing it (her login), for the log.
        #[arg(long)]
        by: Option<String>,
    },
    /// Who may read and write a client, and every change of that (ids only).
    Show {
        /// The client's id.
        client: String,
    },
}

#[derive(Debug, Subcommand)]
enum CodeCommand {
    /// A one-time enrolment code for a user's device.
    Create {
        #[arg(long)]
        user: i64,
        /// Hours it stays valid (default: enrolment_code_hours).
        #[arg(long)]
        hours: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// List devices.
    List,
    /// Revoke a device: its token is refused from now on.
    Revoke { id: String },
    /// Let a device revoked by mistake back in: its old token stays refused; it
    /// connects again with a new enrolment code for the same user.
    Reinstate { id: String },
}

#[derive(Debug, Subcommand)]
enum EpochCommand {
    /// Show the epoch.
    Show,
    /// A new epoch, after restoring the database from a backup: devices then re-send
    /// what the server lacks and pull from the start.
    Renew,
}

fn main() {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build();
    let result = runtime.context("start the async runtime").and_then(|runtime| runtime.block_on(run(cli)));
    if let Err(err) = result {
        eprintln!("tirek-server: {err:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<()> {
    if let Command::Init { dir, hosts, organisation, renew, json } = &cli.command {
        return init(dir, organisation, hosts, *renew, *json);
    }
    let config = Config::load(cli.config.as_deref())?;
    init_logging(&config.log);
    match cli.command {
        Command::Serve { insecure_dev } => {
            let transport = if insecure_dev { Transport::InsecureDev } else { Transport::Tls };
            let server = Server::bind(config, transport).await?;
            let scheme = if server.is_tls() { "https" } else { "http (insecure, development only)" };
            tracing::info!(address = %server.local_addr()?, scheme, "serving");
            server.run(shutdown_signal()).await?;
            Ok(())
        }
        Command::Migrate => {
            let pool = db::connect(&config)?;
            db::migrate(&pool).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin { json, command } => {
            let pool = db::connect(&config)?;
            db::migrate(&pool).await?;
            admin_command(&pool, &config, command, json).await
        }
        Command::Init { .. } => unreachable!("handled above"),
    }
}

fn init(dir: &std::path::Path, organisation: &str, hosts: &[String], renew: bool, json: bool) -> Result<()> {
    let made = certificates::init(dir, organisation, hosts, renew)?;
    if json {
        return print(true, &[made]);
    }
    let state = |new: bool| if new { "made" } else { "kept" };
    println!("Organisation CA ({}): {}", state(made.new_ca), made.ca_cert.display());
    println!("Server certificate ({}): {}", state(made.new_server_certificate), made.server_cert.display());
    if let Some(expires) = &made.server_expires {
        println!("  valid for {} until {expires}", made.hosts.join(", "));
    }
    println!();
    println!("CA fingerprint (SHA-256), to compare with what the app shows at enrolment:");
    println!("  {}", made.ca_sha256);
    println!();
    println!("In the server's configuration:");
    println!("  tls_cert = \"{}\"", made.server_cert.display());
    println!("  tls_key = \"{}\"", made.server_key.display());
    println!("  bundle_key = \"{}\"", made.bundle_key.display());
    println!();
    println!(
        "Give devices {} with their enrolment codes; keep {} safe: whoever has it can stand in for this server.",
        made.ca_cert.display(),
        made.ca_key.display()
    );
    println!(
        "USB sync bundles are sealed to {} ({}): keep it with the database's backups.",
        made.bundle_key.display(),
        if made.new_bundle_key { "made" } else { "kept" }
    );
    Ok(())
}

async fn admin_command(pool: &sqlx::PgPool, config: &Config, command: AdminCommand, json: bool) -> Result<()> {
    let need = |parent: Option<i64>, what: &str| parent.with_context(|| format!("--parent: the {what} it belongs to"));
    match command {
        AdminCommand::Org(UnitCommand::Create { name, .. }) => {
            print(json, &[admin::create_organisation(pool, &name).await?])
        }
        AdminCommand::Org(UnitCommand::List) => print(json, &admin::organisations(pool).await?),
        AdminCommand::Clinic(ClinicCommand::Create { name, parent, district }) => {
            let mut clinic = admin::create_clinic(pool, need(parent, "organisation")?, &name).await?;
            if let Some(district) = district {
                clinic = admin::set_clinic_district(pool, clinic.id, &district).await?;
            }
            print(json, &[clinic])
        }
        AdminCommand::Clinic(ClinicCommand::List) => print(json, &admin::clinics(pool).await?),
        AdminCommand::Clinic(ClinicCommand::District { id, district }) => {
            print(json, &[admin::set_clinic_district(pool, id, &district).await?])
        }
        AdminCommand::Team(UnitCommand::Create { name, parent }) => {
            print(json, &[admin::create_team(pool, need(parent, "clinic")?, &name).await?])
        }
        AdminCommand::Team(UnitCommand::List) => print(json, &admin::teams(pool).await?),
        AdminCommand::User(UserCommand::Create { org, team, login, name, role }) => {
            let role = Role::parse(&role)
                .with_context(|| format!("--role {role}: psychologist, supervisor or administrator"))?;
            let user = NewUser { organisation_id: org, team_id: team, login, name, role };
            print(json, &[admin::create_user(pool, &user).await?])
        }
        AdminCommand::User(UserCommand::List) => print(json, &admin::users(pool).await?),
        AdminCommand::User(UserCommand::Disable { id }) => print(json, &[admin::disable_user(pool, id).await?]),
        AdminCommand::User(UserCommand::Oversee { id, district, region }) => {
            let oversight = match (district, region) {
                (Some(district), _) => admin::Oversight::District(district),
                (None, Some(region)) => admin::Oversight::Region(region),
                (None, None) => admin::Oversight::Team,
            };
            print(json, &[admin::set_oversight(pool, id, &oversight).await?])
        }
        AdminCommand::Client(command) => {
            use tirek_server::access::{self, AccessRequest, FormerOwner};
            let access = match &command {
                ClientCommand::Move { client, to, revoke, by, .. } => {
                    let former = if *revoke { FormerOwner::Loses } else { FormerOwner::KeepsReadOnly };
                    let request = AccessRequest::Move { client, to: *to, former };
                    access::change_access(pool, request, by.as_deref()).await?
                }
                ClientCommand::Share { client, with, by } => {
                    access::change_access(pool, AccessRequest::Share { client, with: *with }, by.as_deref()).await?
                }
                ClientCommand::Unshare { client, with, by } => {
                    access::change_access(pool, AccessRequest::Unshare { client, with: *with }, by.as_deref()).await?
                }
                ClientCommand::Show { client } => access::show(pool, client).await?,
            };
            print(json, &[access])
        }
        AdminCommand::Code(CodeCommand::Create { user, hours }) => {
            print(json, &[admin::create_code(pool, user, hours.unwrap_or(config.enrolment_code_hours)).await?])
        }
        AdminCommand::Device(DeviceCommand::List) => print(json, &admin::devices(pool).await?),
        AdminCommand::Device(DeviceCommand::Revoke { id }) => print(json, &[admin::revoke_device(pool, &id).await?]),
        AdminCommand::Device(DeviceCommand::Reinstate { id }) => {
            print(json, &[admin::reinstate_device(pool, &id).await?])
        }
        AdminCommand::Epoch(EpochCommand::Show) => print(json, &[Epoch { epoch: db::current_epoch(pool).await? }]),
        AdminCommand::Epoch(EpochCommand::Renew) => print(json, &[Epoch { epoch: db::renew_epoch(pool).await? }]),
        AdminCommand::ImportBundle { file, out } => {
            let imported = bundle::import_file(pool, config, &file, out.as_deref())
                .await
                .with_context(|| format!("import {}", file.display()))?;
            print(json, &[imported])
        }
    }
}

#[derive(Debug, Serialize)]
struct Epoch {
    epoch: String,
}

/// Prints rows as JSON (an array) or as `key: value` blocks, one per row.
fn print<T: Serialize>(json: bool, rows: &[T]) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(rows)?);
        return Ok(());
    }
    for (index, row) in rows.iter().enumerate() {
        if index > 0 {
            println!();
        }
        if let serde_json::Value::Object(fields) = serde_json::to_value(row)? {
            for (key, value) in fields {
                let value = match value {
                    serde_json::Value::String(text) => text,
                    serde_json::Value::Null => "-".to_owned(),
                    other => other.to_string(),
                };
                println!("{key}: {value}");
            }
        }
    }
    Ok(())
}

fn init_logging(filter: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
