//! `tirek client …`, `tirek consult …` and `tirek demo seed`: the caseload for
//! automation and checks. Each command unlocks the profile with the password from
//! the terminal or the first line of `--password-stdin`, calls one use case and
//! locks again.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;
use tirek_app::{App, CaseloadQuery, ClientInput, ClinicInput};
use tirek_domain::Language;
use tirek_i18n::{FluentArgs, Messages};

use crate::secrets::Secrets;
use crate::{Cli, Failure, print_json};

#[derive(Debug, Args)]
pub(crate) struct Which {
    /// The profile's id or name; may be left out when there is only one
    #[arg(long, global = true)]
    profile: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ClientCommand {
    /// Add a client (the parent or guardian); prints the new id
    Add(ClientArgs),
    /// List the caseload
    List(ListArgs),
    /// Show one client's record: children, consents, consultations, follow-ups
    Show {
        /// The client's id
        id: String,
    },
    /// Find clients by name (any case, Kazakh letters or not), IIN or phone
    Search {
        /// What to look for
        text: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Write one client's complete record: JSON (to stdout, or a file), or a PDF
    Export {
        /// The client's id
        id: String,
        /// Write here instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// A PDF for the person instead of JSON (needs --out)
        #[arg(long, requires = "out")]
        pdf: bool,
        /// The PDF's language: kk, ru or en (the client's preferred one when left out)
        #[arg(long)]
        language: Option<String>,
    },
    /// Write the consent form for a client, ready to print and sign, as a PDF
    ConsentForm {
        /// The client's id
        id: String,
        /// Where to write it
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// kk, ru or en (the client's preferred language when left out)
        #[arg(long)]
        language: Option<String>,
    },
    /// Record a consent the client (or their representative) gave
    Consent {
        /// The client's id
        id: String,
        /// record, server or referral
        #[arg(long)]
        scope: String,
        /// client or representative
        #[arg(long, default_value = "client")]
        given_by: String,
        /// The representative's name and basis, when one gave it
        #[arg(long, default_value = "")]
        representative: String,
        /// signed_paper or verbal_witness
        #[arg(long, default_value = "signed_paper")]
        method: String,
        /// The witness of a verbal consent
        #[arg(long, default_value = "")]
        witness: String,
        /// The day it was given (today when left out)
        #[arg(long, default_value = "")]
        date: String,
    },
    /// Erase a client at their request: the record is gone for good
    Erase {
        /// The client's id
        id: String,
        /// Confirm the erasure: it cannot be undone
        #[arg(long, required = true)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ClientArgs {
    #[arg(long)]
    family_name: String,
    #[arg(long)]
    given_name: String,
    #[arg(long, default_value = "")]
    patronymic: String,
    #[arg(long, default_value = "")]
    latin_name: String,
    #[arg(long, default_value = "")]
    iin: String,
    /// 15.03.1987 or 1987-03-15
    #[arg(long, default_value = "")]
    birth_date: String,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    address: String,
    /// A region id from data/regions.toml, e.g. turkistan
    #[arg(long, default_value = "")]
    region: String,
    /// A district id, e.g. turkistan.sairam
    #[arg(long, default_value = "")]
    district: String,
    /// kk, ru or en
    #[arg(long, default_value = "ru")]
    language: String,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only this district (an id)
    #[arg(long)]
    district: Option<String>,
    /// Archived clients instead of active ones
    #[arg(long)]
    archived: bool,
    /// Only clients with an overdue follow-up
    #[arg(long)]
    overdue: bool,
    /// Only clients not seen for this many days (or never)
    #[arg(long, value_name = "DAYS")]
    no_contact_days: Option<u32>,
    /// Only clients with an unresolved risk flag
    #[arg(long)]
    open_flags: bool,
    /// name, last_contact or next_due
    #[arg(long, default_value = "name")]
    order: String,
    /// At most this many
    #[arg(long, default_value_t = 200)]
    limit: u32,
}

// Parsed once per run: the size of its largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum ConsultCommand {
    /// Record a consultation (a draft until signed); prints its id
    Add {
        /// A client's id; repeat for a group session
        #[arg(long = "client", required = true)]
        clients: Vec<String>,
        /// individual, group, online or home_visit
        #[arg(long, default_value = "")]
        format: String,
        /// When it was held (today when left out)
        #[arg(long, default_value = "")]
        date: String,
        /// Minutes
        #[arg(long, default_value = "")]
        duration: String,
        #[arg(long, default_value = "")]
        participants: String,
        #[arg(long, default_value = "")]
        concerns: String,
        /// An intervention code; repeat for several
        #[arg(long = "intervention")]
        interventions: Vec<String>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long, default_value = "")]
        plan: String,
        #[arg(long, default_value = "")]
        next_step: String,
        /// Sign it straight away
        #[arg(long)]
        sign: bool,
    },
    /// Sign a consultation: it cannot change afterwards
    Sign {
        /// The consultation's id
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DemoCommand {
    /// Fill the profile with a fictional caseload for trying Tirek or benchmarks
    Seed {
        /// How many clients
        #[arg(long, default_value_t = 200)]
        clients: u32,
        /// The same seed gives the same caseload
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Serialize)]
struct IdJson {
    id: String,
}

/// Runs `body` with the profile `which` names unlocked (its password read as the
/// command line reads passwords), and locks it again whatever `body` returns.
pub(crate) fn unlocked(
    app: &App,
    which: &Which,
    cli: &Cli,
    messages: &Messages,
    body: impl FnOnce() -> Result<(), Failure>,
) -> Result<(), Failure> {
    let profile = app.find_profile(which.profile.as_deref())?;
    let password = Secrets::new(cli.password_stdin).next(messages, "cli-password-prompt")?;
    app.unlock(&profile.id, &password)?;
    let result = body();
    app.lock();
    result
}

fn say(messages: &Messages, id: &str, args: &[(&str, String)]) {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    println!("{}", messages.format(id, Some(&fluent)));
}

/// The language a document is printed in: the one asked for, else the client's.
fn document_language(app: &App, id: &str, asked: Option<&str>, messages: &Messages) -> Result<Language, Failure> {
    match asked {
        Some(code) => code.parse().map_err(|_| Failure::message(messages, "cli-unknown-language")),
        None => Ok(app.client(id)?.client.language.parse().unwrap_or(Language::Russian)),
    }
}

fn query(list: &ListArgs, search: &str) -> CaseloadQuery {
    CaseloadQuery {
        search: search.to_owned(),
        district: list.district.clone(),
        archived: list.archived,
        overdue: list.overdue,
        no_contact_days: list.no_contact_days,
        open_flags: list.open_flags,
        order: list.order.clone(),
        limit: Some(list.limit),
        offset: 0,
    }
}

fn print_list(app: &App, cli: &Cli, messages: &Messages, query: &CaseloadQuery) -> Result<(), Failure> {
    let page = app.caseload(query)?;
    if cli.json {
        print_json(&page);
        return Ok(());
    }
    for row in &page.rows {
        let due = match (&row.next_due, row.overdue) {
            (Some(due), true) => format!("{due} !"),
            (Some(due), false) => due.clone(),
            (None, _) => "—".to_owned(),
        };
        println!(
            "{}  {}  {}  {}  {}",
            row.id,
            row.name,
            row.place.as_deref().unwrap_or("—"),
            row.last_contact.as_deref().unwrap_or("—"),
            due
        );
    }
    say(messages, "cli-client-total", &[("shown", page.rows.len().to_string()), ("total", page.total.to_string())]);
    Ok(())
}

pub(crate) fn client(command: &ClientCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    match command {
        ClientCommand::Add(args) => {
            let input = ClientInput {
                family_name: args.family_name.clone(),
                given_name: args.given_name.clone(),
                patronymic: args.patronymic.clone(),
                latin_name: args.latin_name.clone(),
                iin: args.iin.clone(),
                birth_date: args.birth_date.clone(),
                phone: args.phone.clone(),
                address: args.address.clone(),
                region: args.region.clone(),
                district: args.district.clone(),
                language: args.language.clone(),
            };
            let id = app.create_client(&input)?;
            if cli.json {
                print_json(&IdJson { id });
            } else {
                say(messages, "cli-client-added", &[("id", id)]);
            }
        }
        ClientCommand::List(list) => print_list(app, cli, messages, &query(list, ""))?,
        ClientCommand::Search { text, list } => print_list(app, cli, messages, &query(list, text))?,
        ClientCommand::Show { id } => {
            let detail = app.client(id)?;
            if cli.json {
                print_json(&detail);
            } else {
                let client = &detail.client;
                println!("{} {} {}", client.family_name, client.given_name, client.patronymic.as_deref().unwrap_or(""));
                for (label, value) in [
                    ("cli-field-birth-date", client.birth_date.clone()),
                    ("cli-field-iin", client.iin.clone()),
                    ("cli-field-phone", client.phone.clone()),
                    ("cli-field-place", client.place.clone()),
                    ("cli-field-last-contact", detail.last_contact.clone()),
                ] {
                    println!("  {}: {}", messages.get(label), value.as_deref().unwrap_or("—"));
                }
                for child in &detail.children {
                    println!(
                        "  {}: {} ({}) {}",
                        messages.get("cli-field-child"),
                        child.name,
                        child.birth_date.as_deref().unwrap_or("—"),
                        child.icd10.as_deref().unwrap_or("")
                    );
                }
                for entry in &detail.timeline {
                    println!("  {}  {} {}", entry.date, entry.kind, entry.detail);
                }
            }
        }
        ClientCommand::Export { id, out, pdf: true, language } => {
            let language = document_language(app, id, language.as_deref(), messages)?;
            let pdf = app.client_record_pdf(id, language)?;
            app.save_document(out.as_deref().expect("clap requires --out with --pdf"), &pdf)?;
        }
        ClientCommand::Export { id, out, pdf: false, .. } => {
            let record = app.export_client(id)?;
            let text = serde_json::to_string_pretty(&record).unwrap_or_default() + "\n";
            match out {
                Some(path) => app.save_document(path, text.as_bytes())?,
                None => print!("{text}"),
            }
        }
        ClientCommand::ConsentForm { id, out, language } => {
            let language = document_language(app, id, language.as_deref(), messages)?;
            let pdf = app.consent_form(id, language)?;
            app.save_document(out, &pdf)?;
        }
        ClientCommand::Consent { id, scope, given_by, representative, method, witness, date } => {
            let input = tirek_app::ConsentInput {
                scope: scope.clone(),
                given_by: given_by.clone(),
                representative: representative.clone(),
                method: method.clone(),
                witness: witness.clone(),
                given_on: date.clone(),
            };
            let consent = app.give_consent(id, &input)?;
            if cli.json { print_json(&serde_json::json!({ "id": consent })) } else { println!("{consent}") }
        }
        ClientCommand::Erase { id, yes: _ } => {
            let count = app.erase_client(id)?;
            if cli.json {
                print_json(&serde_json::json!({ "erased": count }));
            } else {
                say(messages, "cli-client-erased", &[("count", count.to_string())]);
            }
        }
    }
    Ok(())
}

pub(crate) fn consult(command: &ConsultCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    match command {
        ConsultCommand::Add {
            clients,
            format,
            date,
            duration,
            participants,
            concerns,
            interventions,
            notes,
            plan,
            next_step,
            sign,
        } => {
            let id = app.start_consultation(clients, format)?;
            let recorded = (|| {
                let mut input = app.consultation(&id)?.form;
                for (field, value) in [
                    (&mut input.held_on, date),
                    (&mut input.duration_minutes, duration),
                    (&mut input.participants, participants),
                    (&mut input.concerns, concerns),
                    (&mut input.notes, notes),
                    (&mut input.plan, plan),
                    (&mut input.next_step, next_step),
                ] {
                    if !value.is_empty() {
                        value.clone_into(field);
                    }
                }
                input.interventions.clone_from(interventions);
                let saved = app.save_consultation_draft(&id, &input)?;
                if let Some(problem) = saved.problems.first() {
                    return Err(Failure::Message(format!("{}: {}", problem.field, problem.message)));
                }
                if *sign {
                    app.sign_consultation(&id)?;
                }
                Ok(())
            })();
            // A command that fails leaves nothing behind: not even an empty draft.
            if let Err(failure) = recorded {
                let _ = app.discard_consultation(&id);
                return Err(failure);
            }
            if cli.json {
                print_json(&IdJson { id });
            } else {
                say(messages, "cli-consult-added", &[("id", id)]);
            }
        }
        ConsultCommand::Sign { id } => {
            app.sign_consultation(id)?;
            if cli.json {
                print_json(&IdJson { id: id.clone() });
            } else {
                say(messages, "cli-consult-signed", &[]);
            }
        }
    }
    Ok(())
}

pub(crate) fn demo(command: &DemoCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    let DemoCommand::Seed { clients, seed } = command;
    let summary = app.demo_seed(*clients, *seed)?;
    if cli.json {
        print_json(&summary);
    } else {
        say(
            messages,
            "cli-demo-seeded",
            &[("clients", summary.clients.to_string()), ("consultations", summary.consultations.to_string())],
        );
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub(crate) enum ClinicCommand {
    /// Set the clinic's details printed at the head of documents
    Set {
        /// The organisation's name
        #[arg(long)]
        name: String,
        /// Its business identification number
        #[arg(long, default_value = "")]
        bin: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// What outgoing letter numbers start with
        #[arg(long, default_value = "")]
        letter_prefix: String,
        /// Who signs letters, as "Name|Position"; repeat for several (the first is the default)
        #[arg(long = "signatory")]
        signatories: Vec<String>,
        /// The clinic's logo, a PNG (at most 1 MB)
        #[arg(long)]
        logo: Option<PathBuf>,
    },
    /// Show the clinic's details
    Show,
}

/// `tirek clinic`: no profile needed, the details belong to the computer.
pub(crate) fn run_clinic(command: &ClinicCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    let clinic = match command {
        ClinicCommand::Set { name, bin, address, phone, letter_prefix, signatories, logo } => {
            let signatories = signatories
                .iter()
                .map(|both| {
                    let (name, position) = both.split_once('|').unwrap_or((both, ""));
                    tirek_app::Signatory { name: name.trim().to_owned(), position: position.trim().to_owned() }
                })
                .collect();
            let mut clinic = app.set_clinic(&ClinicInput {
                name: name.clone(),
                bin: bin.clone(),
                address: address.clone(),
                phone: phone.clone(),
                letter_prefix: letter_prefix.clone(),
                signatories,
                has_logo: false,
            })?;
            if let Some(logo) = logo {
                clinic = app.set_clinic_logo(logo)?;
            }
            Some(clinic)
        }
        ClinicCommand::Show => app.clinic(),
    };
    if cli.json {
        print_json(&clinic);
    } else if let Some(clinic) = clinic {
        for value in [&clinic.name, &clinic.bin, &clinic.address, &clinic.phone, &clinic.letter_prefix] {
            if !value.is_empty() {
                println!("{value}");
            }
        }
        for signatory in &clinic.signatories {
            println!("{} — {}", signatory.name, signatory.position);
        }
    } else {
        println!("{}", messages.get("cli-clinic-not-set"));
    }
    Ok(())
}
