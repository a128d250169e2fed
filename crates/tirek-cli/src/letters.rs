//! `tirek service add|list|import|export` and `tirek letter
//! create|render|list|status`: the services directory and the letter register for
//! scripts — the same use cases the window calls.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use tirek_app::{App, ReferralInput, ReferralQuery, ReferralView, ServiceInput, ServiceQuery};
use tirek_i18n::{FluentArgs, Messages};

use crate::{Cli, Failure, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum ServiceCommand {
    /// Add a service to the directory; prints its id
    Add(ServiceArgs),
    /// List the directory (of one district, of one kind, or matching a search)
    List {
        /// A district's id (see the regions list), e.g. turkistan.sairam
        #[arg(long)]
        district: Option<String>,
        /// A kind: psychiatry, rehabilitation, respite_care, peer_group,
        /// social_protection, family_support_centre, ngo
        #[arg(long)]
        kind: Option<String>,
        /// Part of a name, address or note
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Add every service in a CSV file (columns name,kind,region,district,address,phone,languages,notes)
    Import {
        /// The CSV file; left out with --examples
        file: Option<PathBuf>,
        /// Add the example list a new directory starts with instead
        #[arg(long)]
        examples: bool,
    },
    /// Write the directory as CSV
    Export {
        /// Where to write it
        #[arg(long)]
        out: PathBuf,
        /// Only this district's services
        #[arg(long)]
        district: Option<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ServiceArgs {
    #[arg(long)]
    name: String,
    #[arg(long)]
    kind: String,
    #[arg(long, default_value = "")]
    region: String,
    #[arg(long, default_value = "")]
    district: String,
    #[arg(long, default_value = "")]
    address: String,
    #[arg(long, default_value = "")]
    phone: String,
    /// Languages it serves in, comma-separated: kk,ru,en
    #[arg(long, default_value = "")]
    languages: String,
    #[arg(long, default_value = "")]
    notes: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LetterCommand {
    /// Write a referral letter for a client (a draft; --issue gives it its number)
    Create(LetterArgs),
    /// Write a letter as PDF: a draft marked as such, an issued letter as a copy
    Render {
        /// The letter's id
        id: String,
        /// Where to write the PDF
        #[arg(long)]
        out: PathBuf,
    },
    /// The letter register
    List {
        /// Only this client's
        #[arg(long)]
        client: Option<String>,
        /// Only those in this status: draft, issued, delivered, attended, declined
        #[arg(long)]
        status: Option<String>,
        /// Only those issued on or after this day (YYYY-MM-DD)
        #[arg(long)]
        from: Option<String>,
        /// Only those issued on or before this day (YYYY-MM-DD)
        #[arg(long)]
        to: Option<String>,
    },
    /// Mark an issued letter delivered, attended or declined
    Status {
        /// The letter's id
        id: String,
        /// delivered, attended or declined
        status: String,
        /// The day (today when left out)
        #[arg(long, default_value = "")]
        date: String,
        /// What happened
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct LetterArgs {
    /// The client's id
    #[arg(long)]
    client: String,
    /// A service from the directory (fills recipient and address)
    #[arg(long)]
    service: Option<String>,
    /// The recipient, when not from the directory
    #[arg(long, default_value = "")]
    recipient: String,
    #[arg(long, default_value = "")]
    recipient_address: String,
    #[arg(long)]
    reason: String,
    /// What the psychologist found (prefilled from the latest consultation and
    /// questionnaires when left out)
    #[arg(long)]
    findings: Option<String>,
    /// The service asked for
    #[arg(long)]
    request: String,
    /// routine, soon or urgent
    #[arg(long, default_value = "routine")]
    urgency: String,
    /// The letter's language: kk, ru or en (the client's when left out)
    #[arg(long)]
    language: Option<String>,
    /// Who signs (the clinic's first signatory when left out)
    #[arg(long)]
    signatory: Option<String>,
    #[arg(long)]
    signatory_position: Option<String>,
    /// Issue it: give it its outgoing number
    #[arg(long)]
    issue: bool,
    /// With --issue: where to write the PDF
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(crate) fn service(command: &ServiceCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    match command {
        ServiceCommand::Add(args) => {
            let input = ServiceInput {
                name: args.name.clone(),
                kind: args.kind.clone(),
                region: args.region.clone(),
                district: args.district.clone(),
                address: args.address.clone(),
                phone: args.phone.clone(),
                languages: args
                    .languages
                    .split(',')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                notes: args.notes.clone(),
            };
            let id = app.add_service(&input)?;
            if cli.json { print_json(&app.service(&id)?) } else { println!("{id}") }
        }
        ServiceCommand::List { district, kind, search } => {
            let query = ServiceQuery { district: district.clone(), kind: kind.clone(), search: search.clone() };
            let services = app.services(&query)?;
            if cli.json {
                print_json(&services);
            }
            for service in services.iter().filter(|_| !cli.json) {
                let s = &service.input;
                let kind = messages.get(&format!("choice-service_kind-{}", s.kind));
                let example =
                    if service.example { format!(" [{}]", messages.get("cli-service-example")) } else { String::new() };
                println!("{}  {}{example}\n    {kind} · {} · {}", service.id, s.name, s.phone, s.address);
            }
        }
        ServiceCommand::Import { file, examples } => {
            let summary = match (file, examples) {
                (_, true) => app.add_example_services()?,
                (Some(file), false) => app.import_services(file)?,
                (None, false) => return Err(Failure::message(messages, "cli-service-import-what")),
            };
            if cli.json {
                print_json(&summary);
            } else {
                let mut args = FluentArgs::new();
                args.set("count", summary.added);
                println!("{}", messages.format("cli-services-imported", Some(&args)));
            }
        }
        ServiceCommand::Export { out, district } => {
            let csv = app.services_csv(district.as_deref())?;
            app.save_document(out, &csv)?;
            if !cli.json {
                println!("{}", out.display());
            }
        }
    }
    Ok(())
}

pub(crate) fn letter(command: &LetterCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    match command {
        LetterCommand::Create(args) => {
            let draft = app.start_referral(&args.client)?;
            let input = ReferralInput {
                service_id: args.service.clone(),
                recipient: args.recipient.clone(),
                recipient_address: args.recipient_address.clone(),
                reason: args.reason.clone(),
                findings: args.findings.clone().unwrap_or(draft.input.findings.clone()),
                service_requested: args.request.clone(),
                urgency: args.urgency.clone(),
                language: args.language.clone().unwrap_or(draft.input.language.clone()),
                signatory_name: args.signatory.clone().unwrap_or(draft.input.signatory_name.clone()),
                signatory_position: args.signatory_position.clone().unwrap_or(draft.input.signatory_position.clone()),
            };
            let saved = match app.save_referral_draft(&draft.id, &input) {
                Ok(saved) => saved,
                Err(error) => {
                    // A failed create leaves no draft behind.
                    let _ = app.discard_referral(&draft.id);
                    return Err(error.into());
                }
            };
            let letter = if args.issue {
                let printed = app.issue_referral(&saved.id)?;
                report_missing(&printed.missing, messages);
                if let Some(out) = &args.out {
                    app.save_document(out, &printed.pdf)?;
                }
                printed.letter
            } else {
                saved
            };
            if cli.json { print_json(&letter) } else { print_letter(&letter, messages) }
        }
        LetterCommand::Render { id, out } => {
            let printed = app.referral_pdf(id)?;
            report_missing(&printed.missing, messages);
            app.save_document(out, &printed.pdf)?;
            if !cli.json {
                println!("{}", out.display());
            }
        }
        LetterCommand::List { client, status, from, to } => {
            let query = ReferralQuery {
                client_id: client.clone(),
                status: status.clone(),
                issued_from: from.clone(),
                issued_to: to.clone(),
            };
            let letters = app.referrals(&query)?;
            if cli.json {
                print_json(&letters);
            }
            for letter in letters.iter().filter(|_| !cli.json) {
                print_letter(letter, messages);
            }
        }
        LetterCommand::Status { id, status, date, note } => {
            let letter = app.set_referral_status(id, status, date, note)?;
            if cli.json { print_json(&letter) } else { print_letter(&letter, messages) }
        }
    }
    Ok(())
}

/// Warns on stderr about characters printed as "?".
fn report_missing(missing: &[char], messages: &Messages) {
    if !missing.is_empty() {
        let mut args = FluentArgs::new();
        args.set(
            "chars",
            missing.iter().map(|c| format!("{c} (U+{:04X})", u32::from(*c))).collect::<Vec<_>>().join(", "),
        );
        eprintln!("{}", messages.format("error-letter-font", Some(&args)));
    }
}

fn print_letter(letter: &ReferralView, messages: &Messages) {
    let status = messages.get(&format!("choice-status-{}", letter.status));
    let number = letter.number.as_deref().unwrap_or("—");
    let date = letter.issued_on.as_deref().unwrap_or("");
    println!("{}  {number}  {date}  {status}\n    {} → {}", letter.id, letter.client_name, letter.input.recipient);
    if !letter.missing_for_issue.is_empty() && letter.status == "draft" {
        for missing in &letter.missing_for_issue {
            println!("    {}: {}", missing.field, missing.message);
        }
    }
}
