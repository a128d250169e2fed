//! `tirek instrument list|check|import|score` and `tirek assess add|history`: the
//! questionnaires for scripts and for whoever writes an instrument file — the same
//! scoring function the window uses.

use std::path::PathBuf;

use clap::Subcommand;
use tirek_app::App;
use tirek_i18n::{FluentArgs, Messages};

use crate::{Cli, Failure, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum InstrumentCommand {
    /// List the questionnaires available
    List,
    /// Check an instrument file: every problem with its line
    Check {
        /// The file
        file: PathBuf,
    },
    /// Import a clinic's licensed instrument file (the PBA's full text)
    Import {
        /// The file
        file: PathBuf,
    },
    /// Score answers: total, subscales, band and safety flags
    Score {
        /// The instrument's id (see `tirek instrument list`)
        id: String,
        /// The answers in item order, comma-separated; leave one empty for no answer
        #[arg(long, allow_hyphen_values = true)]
        answers: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AssessCommand {
    /// Save a filled-in questionnaire for a client
    Add {
        /// The client's id
        #[arg(long)]
        client: String,
        /// The instrument's id
        #[arg(long)]
        instrument: String,
        /// The answers in item order, comma-separated; leave one empty for no answer
        #[arg(long, allow_hyphen_values = true)]
        answers: String,
        /// The language the items were read in: kk, ru or en
        #[arg(long, default_value = "ru")]
        language: String,
        /// clinician (read aloud) or parent (on the screen)
        #[arg(long, default_value = "clinician")]
        by: String,
        /// When it was filled in (today when left out)
        #[arg(long, default_value = "")]
        date: String,
    },
    /// Repeat a questionnaire for a client every N weeks (it shows in the agenda when due)
    Schedule {
        /// The client's id
        #[arg(long)]
        client: String,
        /// The instrument's id
        #[arg(long)]
        instrument: String,
        /// Every how many weeks
        #[arg(long)]
        every_weeks: u32,
    },
    /// A client's questionnaires over time, with reliable change
    History {
        /// The client's id
        #[arg(long)]
        client: String,
        /// Only this instrument
        #[arg(long)]
        instrument: Option<String>,
    },
}

/// Parses `1,2,,3` into answers; an empty place is no answer.
fn parse_answers(answers: &str, messages: &Messages) -> Result<Vec<Option<i32>>, Failure> {
    answers
        .split(',')
        .enumerate()
        .map(|(index, answer)| {
            let answer = answer.trim();
            if answer.is_empty() {
                return Ok(None);
            }
            answer.parse::<i32>().map(Some).map_err(|_| {
                let mut args = FluentArgs::new();
                args.set("position", index + 1);
                args.set("answer", answer.to_owned());
                Failure::Message(messages.format("cli-answer-not-a-number", Some(&args)))
            })
        })
        .collect()
}

fn print_assessment(assessment: &tirek_app::AssessmentView, messages: &Messages) {
    let total = assessment.total.map_or("—".to_owned(), |t| t.to_string());
    let band = assessment.band.as_deref().unwrap_or("");
    let change = assessment
        .change
        .as_deref()
        .map(|c| messages.get(&format!("cli-change-{}", c.replace('_', "-"))))
        .unwrap_or_default();
    println!("{}  {}  {total}  {band}  {change}", assessment.taken_on, assessment.instrument);
    for flag in &assessment.flags {
        println!("  ! {flag}");
    }
}

pub(crate) fn assess(command: &AssessCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    match command {
        AssessCommand::Add { client, instrument, answers, language, by, date } => {
            let input = tirek_app::AssessmentInput {
                instrument: instrument.clone(),
                answers: parse_answers(answers, messages)?,
                language: language.clone(),
                administered_by: by.clone(),
                taken_on: date.clone(),
            };
            let saved = app.add_assessment(client, &input)?;
            if cli.json {
                print_json(&saved);
            } else {
                print_assessment(&saved, messages);
            }
        }
        AssessCommand::Schedule { client, instrument, every_weeks } => {
            let id = app.schedule_instrument(client, instrument, *every_weeks)?;
            let schedule = app.schedules(client)?.into_iter().find(|s| s.id == id);
            if cli.json {
                print_json(&schedule);
            } else if let Some(schedule) = schedule {
                let mut args = FluentArgs::new();
                args.set("instrument", schedule.instrument);
                args.set("date", schedule.next_due);
                println!("{}", messages.format("cli-schedule-added", Some(&args)));
            }
        }
        AssessCommand::History { client, instrument } => {
            let history = app.assessments(client, instrument.as_deref())?;
            if cli.json {
                print_json(&history);
            } else {
                for assessment in &history {
                    print_assessment(assessment, messages);
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn run(command: &InstrumentCommand, cli: &Cli, app: &App, messages: &Messages) -> Result<(), Failure> {
    match command {
        InstrumentCommand::List => {
            let instruments = app.instruments();
            if cli.json {
                print_json(&instruments);
            } else {
                for instrument in instruments {
                    println!("{}  {}  ({})", instrument.id, instrument.name, instrument.languages.join(", "));
                }
            }
        }
        InstrumentCommand::Import { file } => {
            let summary = app.import_instrument(file)?;
            if cli.json {
                print_json(&summary);
            } else {
                let mut args = FluentArgs::new();
                args.set("id", summary.id);
                args.set("items", summary.items);
                println!("{}", messages.format("cli-instrument-imported", Some(&args)));
            }
        }
        InstrumentCommand::Check { file } => {
            let summary = app.check_instrument_file(file)?;
            if cli.json {
                print_json(&summary);
            } else {
                let mut args = FluentArgs::new();
                args.set("id", summary.id);
                args.set("items", summary.items);
                println!("{}", messages.format("cli-instrument-ok", Some(&args)));
            }
        }
        InstrumentCommand::Score { id, answers } => {
            let score = app.score(id, &parse_answers(answers, messages)?)?;
            if cli.json {
                print_json(&score);
            } else {
                match (score.total, &score.band_label) {
                    (Some(total), Some(band)) => println!("{total} — {band}"),
                    (Some(total), None) => println!("{total}"),
                    (None, _) => println!("{}", score.no_total_reason.clone().unwrap_or_default()),
                }
                for message in &score.flag_messages {
                    println!("! {message}");
                }
            }
        }
    }
    Ok(())
}
