//! The questionnaires: reading instrument files (`instruments/*.toml`, schema in
//! `instruments/README.md`) into the domain's [`Instrument`], with every problem
//! named by file, line and what is wrong; the bundled set; scoring for the window
//! and `tirek instrument score`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tirek_domain::Language;
use tirek_domain::instrument::{
    AnswerProblem, Band, Condition, Instrument, InstrumentProblem, Item, LanguageStatus, Method, MissingHandling,
    ReliableChange, ResponseOption, SafetyRule, Score, Scoring, Texts,
};

use crate::{App, AppError, Result};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/instruments.rs"));
}

/// A problem in an instrument file, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The file's name.
    pub file: String,
    /// The line (from 1), when it can be told.
    pub line: Option<usize>,
    /// What is wrong, in English (for the file's author, like a compiler's message).
    pub problem: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

// The file's shape. Texts are tables keyed by language code.
type TextsFile = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    id: String,
    version: String,
    higher_is_worse: bool,
    #[serde(default)]
    licensed_text: bool,
    licence: TextsFile,
    citation: String,
    name: TextsFile,
    languages: BTreeMap<String, String>,
    #[serde(default)]
    stem: TextsFile,
    option: Vec<OptionShape>,
    item: Vec<ItemShape>,
    #[serde(default)]
    subscale: BTreeMap<String, TextsFile>,
    scoring: ScoringShape,
    band: Vec<BandShape>,
    reliable_change: Option<ChangeShape>,
    #[serde(default)]
    rule: Vec<RuleShape>,
}

#[derive(Debug, Deserialize)]
struct OptionShape {
    value: i32,
    #[serde(flatten)]
    label: TextsFile,
}

#[derive(Debug, Deserialize)]
struct ItemShape {
    id: String,
    #[serde(default)]
    reverse: bool,
    subscale: Option<String>,
    #[serde(flatten)]
    text: TextsFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoringShape {
    method: String,
    multiplier: f64,
    max_missing: usize,
    missing: String,
    range: [f64; 2],
    step: f64,
}

#[derive(Debug, Deserialize)]
struct BandShape {
    id: String,
    from: f64,
    to: f64,
    #[serde(flatten)]
    label: TextsFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeShape {
    sd: Option<f64>,
    r: Option<f64>,
    #[serde(default)]
    provisional: bool,
    threshold: Option<f64>,
    source: String,
}

#[derive(Debug, Deserialize)]
struct ItemAtLeastShape {
    item: String,
    value: i32,
}

#[derive(Debug, Deserialize)]
struct RuleShape {
    id: String,
    item_at_least: Option<ItemAtLeastShape>,
    any_item_at_most: Option<i32>,
    total_at_least: Option<f64>,
    raw_below: Option<f64>,
    in_band: Option<String>,
    #[serde(flatten)]
    message: TextsFile,
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line of the `nth` (from 0) `id = "<id>"` in `text`, for a problem about it.
fn line_of_id(text: &str, id: &str, nth: usize) -> Option<usize> {
    let needle = format!("id = \"{id}\"");
    text.match_indices(&needle).nth(nth).map(|(offset, _)| line_at(text, offset))
}

/// The line of table `[name]` or key `name = …` in `text`.
fn line_of_key(text: &str, name: &str) -> Option<usize> {
    let table = format!("[{name}]");
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.starts_with(&table) || line.strip_prefix(name).is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|index| index + 1)
}

/// An editor's mark from the reference the files were written from ("this figure is
/// unconfirmed"). Comments may keep it; a text never does, since any text may reach
/// a user — a doubt worth telling is said in words.
const EDITORS_MARK: &str = "[?]";

/// The line of every string in the file that holds [`EDITORS_MARK`].
fn editors_marks(text: &str) -> Vec<usize> {
    use toml::de::DeValue;
    fn walk(value: &DeValue<'_>, start: usize, text: &str, lines: &mut Vec<usize>) {
        match value {
            DeValue::String(string) if string.contains(EDITORS_MARK) => lines.push(line_at(text, start)),
            DeValue::Array(items) => {
                for item in items.iter() {
                    walk(item.get_ref(), item.span().start, text, lines);
                }
            }
            DeValue::Table(table) => {
                for value in table.values() {
                    walk(value.get_ref(), value.span().start, text, lines);
                }
            }
            _ => {}
        }
    }
    let mut lines = Vec::new();
    if let Ok(table) = toml::de::DeTable::parse(text) {
        for value in table.get_ref().values() {
            walk(value.get_ref(), value.span().start, text, &mut lines);
        }
    }
    lines.sort_unstable();
    lines
}

/// A key in a text table that is not a language code (a typo in a key name, too).
struct UnknownKey(String);

fn texts(file: &TextsFile) -> Result<Texts, UnknownKey> {
    let mut texts = Vec::new();
    for (code, text) in file {
        let language = code.parse::<Language>().map_err(|_| UnknownKey(code.clone()))?;
        texts.push((language, text.clone()));
    }
    Ok(Texts(texts))
}

/// Reads one instrument file: the instrument, or every problem with its line.
pub fn parse(file: &str, text: &str) -> Result<Instrument, Vec<FileProblem>> {
    let at = |line: Option<usize>, problem: String| FileProblem { file: file.to_owned(), line, problem };
    let shape: FileShape = toml::from_str(text).map_err(|err| {
        let line = err.span().map(|span| line_at(text, span.start));
        vec![at(line, err.message().to_owned())]
    })?;
    let mut problems = Vec::new();
    let text_of = |problems: &mut Vec<FileProblem>, what: &TextsFile, line: Option<usize>| match texts(what) {
        Ok(texts) => texts,
        Err(UnknownKey(key)) => {
            problems.push(at(line, format!("unknown language or key `{key}`")));
            Texts::default()
        }
    };
    let expected_name = file.trim_end_matches(".toml");
    let mut languages = Vec::new();
    for (code, status) in &shape.languages {
        let validated = match status.as_str() {
            "original" | "validated" => true,
            "not validated" => false,
            other => {
                problems.push(at(
                    None,
                    format!("language `{code}`: `{other}` is not original, validated or not validated"),
                ));
                false
            }
        };
        match code.parse::<Language>() {
            Ok(language) => languages.push(LanguageStatus { language, validated }),
            Err(_) => problems.push(at(None, format!("unknown language `{code}`"))),
        }
    }
    for line in editors_marks(text) {
        problems.push(at(
            Some(line),
            format!("`{EDITORS_MARK}` is an editor's mark and must not reach a user: say the doubt in words"),
        ));
    }
    let name = text_of(&mut problems, &shape.name, None);
    let licence = text_of(&mut problems, &shape.licence, line_of_key(text, "licence"));
    let stem = text_of(&mut problems, &shape.stem, None);
    let options = shape
        .option
        .iter()
        .map(|option| ResponseOption { value: option.value, label: text_of(&mut problems, &option.label, None) })
        .collect();
    let mut item_seen: BTreeMap<&str, usize> = BTreeMap::new();
    let items = shape
        .item
        .iter()
        .map(|item| {
            let nth = item_seen.entry(&item.id).or_default();
            let line = line_of_id(text, &item.id, *nth);
            *nth += 1;
            Item {
                id: item.id.clone(),
                text: text_of(&mut problems, &item.text, line),
                reverse: item.reverse,
                subscale: item.subscale.clone(),
            }
        })
        .collect();
    let subscales =
        shape.subscale.iter().map(|(id, names)| (id.clone(), text_of(&mut problems, names, None))).collect();
    let bands = shape
        .band
        .iter()
        .map(|band| Band {
            id: band.id.clone(),
            from: band.from,
            to: band.to,
            label: text_of(&mut problems, &band.label, line_of_id(text, &band.id, 0)),
        })
        .collect();
    let mut safety = Vec::new();
    for rule in &shape.rule {
        let line = line_of_id(text, &rule.id, 0);
        let conditions = [
            rule.item_at_least.as_ref().map(|c| Condition::ItemAtLeast { item: c.item.clone(), value: c.value }),
            rule.any_item_at_most.map(Condition::AnyItemAtMost),
            rule.total_at_least.map(Condition::TotalAtLeast),
            rule.raw_below.map(Condition::RawBelow),
            rule.in_band.clone().map(Condition::InBand),
        ];
        let mut given = conditions.into_iter().flatten();
        match (given.next(), given.next()) {
            (Some(when), None) => safety.push(SafetyRule {
                id: rule.id.clone(),
                when,
                message: text_of(&mut problems, &rule.message, line),
            }),
            _ => problems.push(at(line, format!("rule `{}` needs exactly one condition", rule.id))),
        }
    }
    let method = match shape.scoring.method.as_str() {
        "sum" => Method::Sum,
        "mean" => Method::Mean,
        other => {
            problems.push(at(None, format!("scoring method `{other}` is not sum or mean")));
            Method::Sum
        }
    };
    let missing = match shape.scoring.missing.as_str() {
        "prorate" => MissingHandling::Prorate,
        "lowest" => MissingHandling::Lowest,
        other => {
            problems.push(at(None, format!("missing answers `{other}` is not prorate or lowest")));
            MissingHandling::Prorate
        }
    };
    let reliable_change = match &shape.reliable_change {
        None => None,
        Some(ChangeShape { sd: Some(sd), r: Some(r), threshold: None, provisional, source }) => {
            Some(ReliableChange::Index { sd: *sd, r: *r, provisional: *provisional, source: source.clone() })
        }
        Some(ChangeShape { sd: None, r: None, threshold: Some(points), source, .. }) => {
            Some(ReliableChange::Threshold { points: *points, source: source.clone() })
        }
        Some(_) => {
            problems.push(at(None, "reliable_change needs either sd and r, or threshold".into()));
            None
        }
    };
    for item in &shape.item {
        if item.reverse && shape.option.is_empty() {
            problems.push(at(
                line_of_id(text, &item.id, 0),
                format!("item {} is reversed but there are no options", item.id),
            ));
        }
    }
    if shape.id != expected_name {
        problems.push(at(
            line_of_id(text, &shape.id, 0).or(Some(1)),
            format!("id `{}` differs from the file name", shape.id),
        ));
    }
    let instrument = Instrument {
        id: shape.id,
        version: shape.version,
        name,
        stem,
        languages,
        licensed_text: shape.licensed_text,
        options,
        items,
        subscales,
        scoring: Scoring {
            method,
            multiplier: shape.scoring.multiplier,
            max_missing: shape.scoring.max_missing,
            missing,
            range: (shape.scoring.range[0], shape.scoring.range[1]),
            step: shape.scoring.step,
            higher_is_worse: shape.higher_is_worse,
        },
        bands,
        reliable_change,
        safety,
        licence,
        citation: shape.citation,
    };
    for problem in instrument.check() {
        let (line, what) = match &problem {
            InstrumentProblem::DuplicateItem(id) => (line_of_id(text, id, 1), format!("item id `{id}` is used twice")),
            InstrumentProblem::Empty => (None, "an instrument needs items and options".to_owned()),
            InstrumentProblem::BandGapOrOverlap(a, b) => {
                (line_of_id(text, b, 0), format!("bands `{a}` and `{b}` leave a gap or overlap"))
            }
            InstrumentProblem::BandsDoNotCoverRange => (None, "the bands do not cover the score range".to_owned()),
            InstrumentProblem::UnknownReference(rule) => {
                (line_of_id(text, rule, 0), format!("rule `{rule}` names an item or band that does not exist"))
            }
            InstrumentProblem::UnknownSubscale(id) => (None, format!("subscale `{id}` is not declared")),
            InstrumentProblem::MissingTranslation { what, language } => {
                let line = match what.split_once(' ') {
                    Some((_, id)) => line_of_id(text, id, 0),
                    None => line_of_key(text, what),
                };
                (line, format!("{what} has no {} text", language.code()))
            }
            InstrumentProblem::BadReliableChange => {
                (None, "reliable_change: r must be between 0 and 1, sd and threshold positive".to_owned())
            }
        };
        problems.push(at(line, what));
    }
    if problems.is_empty() { Ok(instrument) } else { Err(problems) }
}

/// The instruments shipped with Tirek, parsed once.
pub fn bundled() -> &'static [Instrument] {
    static PARSED: std::sync::OnceLock<Vec<Instrument>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        bundled::BUNDLED
            .iter()
            // Tested: every bundled file parses.
            .filter_map(|(file, text)| parse(file, text).ok())
            .collect()
    })
}

impl App {
    /// The instruments in use: those the clinic imported (a licensed questionnaire's
    /// text), then the bundled ones they do not replace. An imported file that no
    /// longer passes the checks is left out (and `tirek instrument check` says why).
    pub(crate) fn all_instruments(&self) -> Vec<Instrument> {
        let imported: Vec<Instrument> = self
            .data_dir()
            .ok()
            .and_then(|data_dir| tirek_store::documents::imported_instruments(&data_dir).ok())
            .unwrap_or_default()
            .iter()
            .filter_map(|(file, text)| parse(file, text).ok())
            .collect();
        let bundled = bundled().iter().filter(|b| !imported.iter().any(|i| i.id == b.id)).cloned();
        imported.iter().cloned().chain(bundled).collect()
    }

    /// Instrument `id` as in use.
    pub(crate) fn instrument(&self, id: &str) -> Result<Instrument> {
        self.all_instruments()
            .into_iter()
            .find(|i| i.id == id)
            .ok_or_else(|| AppError::UnknownInstrument(id.to_owned()))
    }

    /// Imports an instrument file — a licensed questionnaire's full text, such as the
    /// PBA a clinic obtained from its authors — after checking it. It replaces the
    /// bundled instrument of the same id only when that one ships without its text:
    /// the free instruments' published wording cannot be overridden.
    pub fn import_instrument(&self, path: &std::path::Path) -> Result<InstrumentSummary> {
        let text = tirek_store::documents::read_text(path)?;
        let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        // Checked under its own id's file name, whatever the file was called.
        let id = toml::from_str::<toml::Table>(&text)
            .ok()
            .and_then(|table| table.get("id").and_then(|id| id.as_str()).map(str::to_owned))
            .unwrap_or_default();
        let instrument = parse(&format!("{id}.toml"), &text).map_err(|mut problems| {
            for problem in &mut problems {
                problem.file.clone_from(&file);
            }
            AppError::InstrumentFile(problems)
        })?;
        if bundled().iter().any(|b| b.id == instrument.id && !b.licensed_text) {
            return Err(AppError::InstrumentNotReplaceable(instrument.id.clone()));
        }
        if instrument.licensed_text {
            return Err(AppError::InstrumentFileWithoutText);
        }
        tirek_store::documents::import_instrument(&self.data_dir()?, &instrument.id, &text)?;
        Ok(summary(&instrument, self.language()))
    }
}

/// An instrument in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct InstrumentSummary {
    pub id: String,
    pub version: String,
    pub name: String,
    pub items: u32,
    /// Language codes it can be given in.
    pub languages: Vec<String>,
    /// Language codes whose translation is not validated.
    pub not_validated: Vec<String>,
    /// Item texts must come from a clinic's licensed file.
    pub needs_licensed_text: bool,
    /// Its licence in the interface language, and the publication it comes from.
    pub licence: String,
    pub citation: String,
}

/// An instrument ready to fill in, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct InstrumentForm {
    pub id: String,
    pub name: String,
    pub language: String,
    /// This language's text is an unvalidated translation: say so with the score.
    pub translation_not_validated: bool,
    pub stem: String,
    /// (value, label) of each response option.
    pub options: Vec<(i32, String)>,
    /// (id, text) of each item, in order.
    pub items: Vec<(String, String)>,
}

/// A score, as the window and `--json` show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ScoreView {
    pub instrument: String,
    pub total: Option<f64>,
    pub raw: Option<f64>,
    pub missing: u32,
    /// Why there is no total (too many unanswered items), translated.
    pub no_total_reason: Option<String>,
    pub subscales: Vec<(String, Option<f64>)>,
    pub band: Option<String>,
    pub band_label: Option<String>,
    /// Safety rules that fired, by id.
    pub flags: Vec<String>,
    /// Their messages, translated.
    pub flag_messages: Vec<String>,
}

impl App {
    /// Checks the instrument file at `path`: the instrument's summary, or every
    /// problem with its line (`AppError::InstrumentFile`).
    pub fn check_instrument_file(&self, path: &std::path::Path) -> Result<InstrumentSummary> {
        let text = tirek_store::documents::read_text(path)?;
        let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let instrument = parse(&file, &text).map_err(AppError::InstrumentFile)?;
        Ok(summary(&instrument, self.language()))
    }

    /// Instrument `id` in `language`, ready to fill in. An instrument whose item text
    /// comes from a licensed file cannot be filled in until that file is imported.
    pub fn instrument_form(&self, id: &str, language: Language) -> Result<InstrumentForm> {
        let instrument = self.instrument(id)?;
        let Some(status) = instrument.languages.iter().find(|l| l.language == language) else {
            return Err(AppError::Invalid(vec![tirek_domain::caseload::FieldError {
                field: "language",
                problem: tirek_domain::caseload::Problem::UnknownChoice,
            }]));
        };
        if instrument.licensed_text {
            return Err(AppError::LicensedTextMissing(instrument.id.clone()));
        }
        Ok(InstrumentForm {
            id: instrument.id.clone(),
            name: instrument.name.best(language).to_owned(),
            language: language.code().to_owned(),
            translation_not_validated: !status.validated,
            stem: instrument.stem.best(language).to_owned(),
            options: instrument.options.iter().map(|o| (o.value, o.label.best(language).to_owned())).collect(),
            items: instrument.items.iter().map(|i| (i.id.clone(), i.text.best(language).to_owned())).collect(),
        })
    }

    /// The instruments available, named in the interface language.
    pub fn instruments(&self) -> Vec<InstrumentSummary> {
        let language = self.language();
        self.all_instruments().iter().map(|instrument| summary(instrument, language)).collect()
    }

    /// Scores `answers` (one per item, `None` unanswered) on instrument `id` — the
    /// same function whatever asks.
    pub fn score(&self, id: &str, answers: &[Option<i32>]) -> Result<ScoreView> {
        let instrument = self.instrument(id)?;
        let score: Score = instrument.score(answers).map_err(AppError::Answers)?;
        let language = self.language();
        let messages = self.messages();
        let no_total_reason = score.total.is_none().then(|| {
            let mut args = tirek_i18n::FluentArgs::new();
            args.set("missing", score.missing);
            args.set("allowed", instrument.scoring.max_missing);
            messages.format("score-too-many-missing", Some(&args))
        });
        let band = score.band.as_deref().and_then(|id| instrument.bands.iter().find(|b| b.id == id));
        Ok(ScoreView {
            instrument: instrument.id.clone(),
            total: score.total,
            raw: score.raw,
            missing: score.missing as u32,
            no_total_reason,
            subscales: score.subscales.clone(),
            band: score.band.clone(),
            band_label: band.map(|b| b.label.best(language).to_owned()),
            flag_messages: score
                .flags
                .iter()
                .filter_map(|id| instrument.safety.iter().find(|r| r.id == *id))
                .map(|rule| rule.message.best(language).to_owned())
                .collect(),
            flags: score.flags,
        })
    }
}

fn summary(instrument: &Instrument, language: Language) -> InstrumentSummary {
    InstrumentSummary {
        name: instrument.name.best(language).to_owned(),
        items: instrument.items.len() as u32,
        languages: instrument.languages.iter().map(|l| l.language.code().to_owned()).collect(),
        not_validated: instrument
            .languages
            .iter()
            .filter(|l| !l.validated)
            .map(|l| l.language.code().to_owned())
            .collect(),
        needs_licensed_text: instrument.licensed_text,
        licence: instrument.licence.best(language).to_owned(),
        citation: instrument.citation.clone(),
        id: instrument.id.clone(),
        version: instrument.version.clone(),
    }
}

/// Why answers could not be scored, for [`AppError::Answers`].
pub(crate) fn answers_message(problem: &AnswerProblem, messages: &tirek_i18n::Messages) -> String {
    let mut args = tirek_i18n::FluentArgs::new();
    match problem {
        AnswerProblem::WrongCount { expected, given } => {
            args.set("expected", *expected);
            args.set("given", *given);
            messages.format("error-answers-count", Some(&args))
        }
        AnswerProblem::NotAnOption(item, value) => {
            args.set("item", item.clone());
            args.set("value", *value);
            messages.format("error-answers-option", Some(&args))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_file_parses_and_passes_its_checks() {
        for (file, text) in bundled::BUNDLED {
            if let Err(problems) = parse(file, text) {
                panic!("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
            }
        }
        assert!(bundled::BUNDLED.len() >= 7, "PHQ-9, GAD-7, WHO-5, PSS-10, CBI, stress sources, PBA");
    }

    #[test]
    fn a_bad_file_is_named_with_its_line_and_problem() {
        let broken = r#"id = "broken"
version = "1"
higher_is_worse = true
licence = { en = "x", ru = "x", kk = "x" }
citation = "x"
languages = { en = "original" }
name = { en = "Broken" }

[[option]]
value = 0
en = "No"

[[option]]
value = 1
en = "Yes"

[[item]]
id = "1"
en = "One"

[[item]]
id = "1"
en = "Again one"

[scoring]
method = "sum"
multiplier = 1
max_missing = 0
missing = "prorate"
range = [0, 2]
step = 1

[[band]]
id = "low"
from = 0
to = 0
en = "Low"

[[band]]
id = "high"
from = 2
to = 2
en = "High"

[[rule]]
id = "item-five"
item_at_least = { item = "5", value = 1 }
en = "!"
"#;
        let problems: Vec<String> = parse("broken.toml", broken).unwrap_err().iter().map(ToString::to_string).collect();
        assert!(problems.contains(&"broken.toml:22: item id `1` is used twice".to_owned()), "{problems:?}");
        assert!(
            problems.contains(&"broken.toml:40: bands `low` and `high` leave a gap or overlap".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"broken.toml:46: rule `item-five` names an item or band that does not exist".to_owned()),
            "{problems:?}"
        );
        let syntax = parse("syntax.toml", "id = \"x\"\nversion = \n").unwrap_err();
        assert_eq!((syntax[0].file.as_str(), syntax[0].line), ("syntax.toml", Some(2)));
        let missing_text = broken.replace("id = \"1\"\nen = \"Again one\"", "id = \"2\"");
        let problems: Vec<String> =
            parse("broken.toml", &missing_text).unwrap_err().iter().map(ToString::to_string).collect();
        assert!(problems.iter().any(|p| p.ends_with("item 2 has no en text")), "{problems:?}");
        let no_kazakh_licence = broken.replace("kk = \"x\" }", "}");
        let problems: Vec<String> =
            parse("broken.toml", &no_kazakh_licence).unwrap_err().iter().map(ToString::to_string).collect();
        assert!(problems.contains(&"broken.toml:4: licence has no kk text".to_owned()), "{problems:?}");
    }

    #[test]
    fn every_licence_is_in_every_language_of_the_app() {
        for instrument in bundled() {
            for language in Language::ALL {
                let licence = instrument.licence.get(language).unwrap_or_default();
                assert!(!licence.trim().is_empty(), "{}: no {} licence", instrument.id, language.code());
            }
            let [en, ru, kk] = [Language::English, Language::Russian, Language::Kazakh]
                .map(|language| summary(instrument, language).licence);
            assert!(en != ru && en != kk, "{}: the licence is not translated", instrument.id);
        }
    }

    #[test]
    fn an_editors_mark_never_reaches_a_user() {
        // Every shipped file: "[?]" only in comments.
        for (file, text) in bundled::BUNDLED {
            let marks = editors_marks(text);
            assert!(marks.is_empty(), "{file}: `[?]` in a text on lines {marks:?}");
        }
        // Nor in a file a clinic imports: each text with the mark is named by its line,
        // whatever it is (licence, item, band, the reliable change's source); a comment
        // may keep it.
        let phq9 = bundled::BUNDLED.iter().find(|(file, _)| *file == "phq9.toml").unwrap().1;
        let marked = phq9
            .replacen("# The 10th", "# [?] The 10th", 1)
            .replacen("kk = \"Доктор Роберт", "kk = \"[?] Доктор Роберт", 1)
            .replacen("en = \"Little interest", "en = \"[?] Little interest", 1)
            .replacen("source = \"SD 3.52", "source = \"[?] SD 3.52", 1);
        let line_of = |needle: &str| marked.lines().position(|line| line.contains(needle)).unwrap() + 1;
        let expected: Vec<String> = ["kk = \"[?] Доктор", "en = \"[?] Little", "source = \"[?]"]
            .map(|needle| {
                format!(
                    "phq9.toml:{}: `[?]` is an editor's mark and must not reach a user: say the doubt in words",
                    line_of(needle)
                )
            })
            .to_vec();
        let problems: Vec<String> = parse("phq9.toml", &marked).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(problems, expected);
    }
}
