//! Questionnaires as data: what an instrument file describes once parsed (items,
//! response options, scoring, bands, reliable change, safety rules), the checks a
//! file must pass, and scoring — pure functions the window, the CLI and the printed
//! letters share. No instrument is named in code: PHQ-9 and the others are files in
//! `instruments/`.

use std::collections::HashSet;

use crate::Language;

/// Text in several languages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts(pub Vec<(Language, String)>);

impl Texts {
    /// The text in `language`, if the file has it.
    pub fn get(&self, language: Language) -> Option<&str> {
        self.0.iter().find(|(l, _)| *l == language).map(|(_, text)| text.as_str())
    }

    /// The text in `language`, else in English, else the first there is.
    pub fn best(&self, language: Language) -> &str {
        self.get(language)
            .or_else(|| self.get(Language::English))
            .or_else(|| self.0.first().map(|(_, t)| t.as_str()))
            .unwrap_or("")
    }
}

/// A language the instrument can be given in, and whether that translation was
/// validated (a score from an unvalidated one is marked wherever it is shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageStatus {
    /// The language.
    pub language: Language,
    /// A published, validated translation (or the original).
    pub validated: bool,
}

/// One response option.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseOption {
    /// The value it scores.
    pub value: i32,
    /// Its label per language.
    pub label: Texts,
}

/// One item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Its id, unique in the instrument (e.g. `"9"`).
    pub id: String,
    /// Its text per language (empty when the text comes from a licensed import).
    pub text: Texts,
    /// Scored in reverse (lowest option ↔ highest).
    pub reverse: bool,
    /// The subscale it belongs to, if any.
    pub subscale: Option<String>,
}

/// How item values become a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The sum of the items.
    Sum,
    /// The mean of the items.
    Mean,
}

/// What happens to missing answers within the tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingHandling {
    /// Each missing answer counts as the mean of the answered items (a sum is then
    /// rounded to a whole number; a mean is the mean of the answered items).
    Prorate,
    /// Each missing answer counts as the lowest option.
    Lowest,
}

/// Scoring rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// Sum or mean.
    pub method: Method,
    /// The raw score is multiplied by this (WHO-5: 4).
    pub multiplier: f64,
    /// How many unanswered items still give a score.
    pub max_missing: usize,
    /// How those are handled.
    pub missing: MissingHandling,
    /// The lowest and highest possible score.
    pub range: (f64, f64),
    /// The smallest difference between two bands' bounds (1 for sums).
    pub step: f64,
    /// A higher score means worse (PHQ-9) or better (WHO-5).
    pub higher_is_worse: bool,
}

/// A band of scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Its id (`"severe"`), for rules and reports.
    pub id: String,
    /// Lowest score in it.
    pub from: f64,
    /// Highest score in it.
    pub to: f64,
    /// Its label per language.
    pub label: Texts,
}

/// How a change between two scores is judged.
#[derive(Debug, Clone, PartialEq)]
pub enum ReliableChange {
    /// Jacobson–Truax: reliable when |Δ| ≥ 1.96 · SD · √2 · √(1 − r).
    Index {
        /// Standard deviation of the score.
        sd: f64,
        /// Its reliability (test–retest where published).
        r: f64,
        /// Not a published test–retest value: shown as provisional.
        provisional: bool,
        /// Where SD and r come from.
        source: String,
    },
    /// An official fixed threshold (WHO-5: 10 points).
    Threshold {
        /// The smallest reliable change.
        points: f64,
        /// Where it comes from.
        source: String,
    },
}

impl ReliableChange {
    /// The smallest change counted as reliable.
    pub fn threshold(&self) -> f64 {
        match self {
            ReliableChange::Index { sd, r, .. } => 1.96 * sd * 2f64.sqrt() * (1.0 - r).max(0.0).sqrt(),
            ReliableChange::Threshold { points, .. } => *points,
        }
    }

    /// Whether the threshold is provisional.
    pub fn provisional(&self) -> bool {
        matches!(self, ReliableChange::Index { provisional: true, .. })
    }
}

/// What a change between two scores amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Better by at least the threshold.
    ReliableImprovement,
    /// Worse by at least the threshold.
    ReliableDeterioration,
    /// Less than the threshold either way.
    NoReliableChange,
}

/// When a safety rule fires.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Item `item` answered at least `value`.
    ItemAtLeast {
        /// The item's id.
        item: String,
        /// The lowest value that fires.
        value: i32,
    },
    /// Any item answered at most `value`.
    AnyItemAtMost(i32),
    /// The total at least this.
    TotalAtLeast(f64),
    /// The raw score (before the multiplier) below this.
    RawBelow(f64),
    /// The total in this band.
    InBand(String),
}

/// A safety rule: a condition that raises a flag.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyRule {
    /// Its id, stored with the flag.
    pub id: String,
    /// When it fires.
    pub when: Condition,
    /// What the banner says, per language.
    pub message: Texts,
}

/// An instrument, as its file describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    /// Stable id (`phq9`).
    pub id: String,
    /// Version of the file's content.
    pub version: String,
    /// Its name per language.
    pub name: Texts,
    /// The question before the items, per language.
    pub stem: Texts,
    /// Languages it can be given in.
    pub languages: Vec<LanguageStatus>,
    /// Item texts come from a clinic's licensed import, not from the file.
    pub licensed_text: bool,
    /// The response options, shared by every item.
    pub options: Vec<ResponseOption>,
    /// The items, in order.
    pub items: Vec<Item>,
    /// Subscale ids with their names.
    pub subscales: Vec<(String, Texts)>,
    /// Scoring.
    pub scoring: Scoring,
    /// Bands of the total, lowest first.
    pub bands: Vec<Band>,
    /// Reliable change, if known.
    pub reliable_change: Option<ReliableChange>,
    /// Safety rules.
    pub safety: Vec<SafetyRule>,
    /// The terms it may be used on, per language — in every language of the app,
    /// since any window may show it.
    pub licence: Texts,
    /// The publication it comes from (a reference, in the language it was published in).
    pub citation: String,
}

/// Something wrong in an instrument file, found after it parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum InstrumentProblem {
    /// Two items share an id.
    DuplicateItem(String),
    /// No items, or no options.
    Empty,
    /// Bands leave a gap or overlap between these two bands.
    BandGapOrOverlap(String, String),
    /// Bands do not start at the lowest or end at the highest score.
    BandsDoNotCoverRange,
    /// A rule names an item or band that does not exist.
    UnknownReference(String),
    /// A subscale named by an item is not declared.
    UnknownSubscale(String),
    /// An item, option or message lacks a text in a language the file offers (or the
    /// licence in a language of the app).
    MissingTranslation {
        /// What lacks it.
        what: String,
        /// The language.
        language: Language,
    },
    /// Reliability outside 0–1 or a non-positive SD or threshold.
    BadReliableChange,
}

/// Why answers cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    /// Not one answer slot per item.
    WrongCount {
        /// Items in the instrument.
        expected: usize,
        /// Answers given.
        given: usize,
    },
    /// An answer that is not one of the options' values (item id, value).
    NotAnOption(String, i32),
}

/// A scored administration.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// The raw score (sum or mean of item values after reversing, prorated), if
    /// few enough answers are missing.
    pub raw: Option<f64>,
    /// The total (raw × multiplier), if few enough answers are missing.
    pub total: Option<f64>,
    /// How many items were not answered.
    pub missing: usize,
    /// Each subscale's raw score (None when an item of it is missing).
    pub subscales: Vec<(String, Option<f64>)>,
    /// The band of the total.
    pub band: Option<String>,
    /// The safety rules that fired, by id — on items even when the total is missing.
    pub flags: Vec<String>,
}

impl Instrument {
    /// Every problem in the instrument, none when it can be used.
    pub fn check(&self) -> Vec<InstrumentProblem> {
        let mut problems = Vec::new();
        if self.items.is_empty() || self.options.is_empty() {
            problems.push(InstrumentProblem::Empty);
        }
        let mut seen = HashSet::new();
        for item in &self.items {
            if !seen.insert(item.id.as_str()) {
                problems.push(InstrumentProblem::DuplicateItem(item.id.clone()));
            }
            if let Some(subscale) = &item.subscale
                && !self.subscales.iter().any(|(id, _)| id == subscale)
            {
                problems.push(InstrumentProblem::UnknownSubscale(subscale.clone()));
            }
        }
        let (low, high) = self.scoring.range;
        let tolerance = self.scoring.step / 2.0;
        match (self.bands.first(), self.bands.last()) {
            (Some(first), Some(last)) if (first.from - low).abs() > tolerance || (last.to - high).abs() > tolerance => {
                problems.push(InstrumentProblem::BandsDoNotCoverRange);
            }
            _ => {}
        }
        for pair in self.bands.windows(2) {
            if ((pair[0].to + self.scoring.step) - pair[1].from).abs() > tolerance / 2.0 {
                problems.push(InstrumentProblem::BandGapOrOverlap(pair[0].id.clone(), pair[1].id.clone()));
            }
        }
        for rule in &self.safety {
            let known = match &rule.when {
                Condition::ItemAtLeast { item, .. } => self.items.iter().any(|i| i.id == *item),
                Condition::InBand(band) => self.bands.iter().any(|b| b.id == *band),
                _ => true,
            };
            if !known {
                problems.push(InstrumentProblem::UnknownReference(rule.id.clone()));
            }
        }
        match &self.reliable_change {
            Some(ReliableChange::Index { sd, r, .. }) if *sd <= 0.0 || !(0.0..1.0).contains(r) => {
                problems.push(InstrumentProblem::BadReliableChange);
            }
            Some(ReliableChange::Threshold { points, .. }) if *points <= 0.0 => {
                problems.push(InstrumentProblem::BadReliableChange);
            }
            _ => {}
        }
        for status in &self.languages {
            let language = status.language;
            let mut need = |what: String, texts: &Texts| {
                if texts.get(language).is_none_or(|t| t.trim().is_empty()) {
                    problems.push(InstrumentProblem::MissingTranslation { what, language });
                }
            };
            need("name".into(), &self.name);
            if !self.licensed_text {
                for item in &self.items {
                    need(format!("item {}", item.id), &item.text);
                }
            }
            for option in &self.options {
                need(format!("option {}", option.value), &option.label);
            }
            for band in &self.bands {
                need(format!("band {}", band.id), &band.label);
            }
            for rule in &self.safety {
                need(format!("rule {}", rule.id), &rule.message);
            }
        }
        for language in Language::ALL {
            if self.licence.get(language).is_none_or(|t| t.trim().is_empty()) {
                problems.push(InstrumentProblem::MissingTranslation { what: "licence".into(), language });
            }
        }
        problems
    }

    fn value_range(&self) -> (i32, i32) {
        let values = self.options.iter().map(|o| o.value);
        (values.clone().min().unwrap_or(0), values.max().unwrap_or(0))
    }

    /// Scores `answers`, one slot per item in order (`None`: not answered).
    pub fn score(&self, answers: &[Option<i32>]) -> Result<Score, AnswerProblem> {
        if answers.len() != self.items.len() {
            return Err(AnswerProblem::WrongCount { expected: self.items.len(), given: answers.len() });
        }
        for (item, answer) in self.items.iter().zip(answers) {
            if let Some(value) = answer
                && !self.options.iter().any(|o| o.value == *value)
            {
                return Err(AnswerProblem::NotAnOption(item.id.clone(), *value));
            }
        }
        let (low, high) = self.value_range();
        let scored: Vec<Option<f64>> = self
            .items
            .iter()
            .zip(answers)
            .map(|(item, answer)| answer.map(|v| f64::from(if item.reverse { low + high - v } else { v })))
            .collect();
        let missing = scored.iter().filter(|v| v.is_none()).count();
        let raw = (missing <= self.scoring.max_missing).then(|| self.combine(&scored));
        let total = raw.map(|raw| raw * self.scoring.multiplier);
        let subscales = self
            .subscales
            .iter()
            .map(|(id, _)| {
                let values: Vec<Option<f64>> = self
                    .items
                    .iter()
                    .zip(&scored)
                    .filter(|(item, _)| item.subscale.as_deref() == Some(id))
                    .map(|(_, v)| *v)
                    .collect();
                let complete = values.iter().all(Option::is_some);
                (id.clone(), complete.then(|| self.combine(&values)))
            })
            .collect();
        let band = total.and_then(|total| self.band_of(total)).map(|b| b.id.clone());
        let flags = self
            .safety
            .iter()
            .filter(|rule| match &rule.when {
                Condition::ItemAtLeast { item, value } => self
                    .items
                    .iter()
                    .zip(answers)
                    .any(|(i, answer)| i.id == *item && answer.is_some_and(|a| a >= *value)),
                Condition::AnyItemAtMost(value) => answers.iter().flatten().any(|a| a <= value),
                Condition::TotalAtLeast(at_least) => total.is_some_and(|t| t >= *at_least),
                Condition::RawBelow(below) => raw.is_some_and(|r| r < *below),
                Condition::InBand(id) => band.as_deref() == Some(id.as_str()),
            })
            .map(|rule| rule.id.clone())
            .collect();
        Ok(Score { raw, total, missing, subscales, band, flags })
    }

    /// Sum or mean of `values`, missing ones handled as the scoring says.
    fn combine(&self, values: &[Option<f64>]) -> f64 {
        let answered: Vec<f64> = values.iter().flatten().copied().collect();
        let mean = if answered.is_empty() { 0.0 } else { answered.iter().sum::<f64>() / answered.len() as f64 };
        let lowest = f64::from(self.value_range().0);
        let filled = values.iter().map(|v| v.unwrap_or(mean));
        match (self.scoring.method, self.scoring.missing) {
            (Method::Mean, MissingHandling::Prorate) => mean,
            (Method::Mean, MissingHandling::Lowest) => {
                values.iter().map(|v| v.unwrap_or(lowest)).sum::<f64>() / values.len().max(1) as f64
            }
            (Method::Sum, _) if answered.len() == values.len() => answered.iter().sum(),
            (Method::Sum, MissingHandling::Prorate) => filled.sum::<f64>().round(),
            (Method::Sum, MissingHandling::Lowest) => values.iter().map(|v| v.unwrap_or(lowest)).sum(),
        }
    }

    /// The band `total` falls in.
    pub fn band_of(&self, total: f64) -> Option<&Band> {
        self.bands.iter().rev().find(|band| total >= band.from - 1e-9)
    }

    /// How a change from `before` to `after` is judged, if the instrument says.
    pub fn change(&self, before: f64, after: f64) -> Option<Change> {
        let threshold = self.reliable_change.as_ref()?.threshold();
        let delta = after - before;
        let better = if self.scoring.higher_is_worse { delta < 0.0 } else { delta > 0.0 };
        Some(if delta.abs() + 1e-9 < threshold {
            Change::NoReliableChange
        } else if better {
            Change::ReliableImprovement
        } else {
            Change::ReliableDeterioration
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn texts(text: &str) -> Texts {
        Texts(vec![(Language::English, text.to_owned())])
    }

    /// A small instrument: four items 0–3 (the last reversed), sum, bands 0–4, 5–8,
    /// 9–12, one missing answer prorated, a rule on item 2 and one on the top band.
    pub(crate) fn fixture() -> Instrument {
        Instrument {
            id: "test".into(),
            version: "1".into(),
            name: texts("Test"),
            stem: texts("How often?"),
            languages: vec![LanguageStatus { language: Language::English, validated: true }],
            licensed_text: false,
            options: (0..=3).map(|value| ResponseOption { value, label: texts(&value.to_string()) }).collect(),
            items: (1..=4)
                .map(|n| Item {
                    id: n.to_string(),
                    text: texts(&format!("item {n}")),
                    reverse: n == 4,
                    subscale: Some(if n <= 2 { "a" } else { "b" }.into()),
                })
                .collect(),
            subscales: vec![("a".into(), texts("A")), ("b".into(), texts("B"))],
            scoring: Scoring {
                method: Method::Sum,
                multiplier: 1.0,
                max_missing: 1,
                missing: MissingHandling::Prorate,
                range: (0.0, 12.0),
                step: 1.0,
                higher_is_worse: true,
            },
            bands: [("low", 0.0, 4.0), ("mid", 5.0, 8.0), ("high", 9.0, 12.0)]
                .map(|(id, from, to)| Band { id: id.into(), from, to, label: texts(id) })
                .to_vec(),
            reliable_change: Some(ReliableChange::Index { sd: 3.52, r: 0.84, provisional: false, source: "x".into() }),
            safety: vec![
                SafetyRule {
                    id: "item2".into(),
                    when: Condition::ItemAtLeast { item: "2".into(), value: 1 },
                    message: texts("!"),
                },
                SafetyRule { id: "high".into(), when: Condition::InBand("high".into()), message: texts("!") },
            ],
            licence: Texts(Language::ALL.iter().map(|l| (*l, "free".to_owned())).collect()),
            citation: "none".into(),
        }
    }

    #[test]
    fn reverse_items_subscales_and_bands_at_every_boundary() {
        let instrument = fixture();
        assert!(instrument.check().is_empty(), "{:?}", instrument.check());
        // Item 4 answered 0 scores 3.
        let score = instrument.score(&[Some(1), Some(0), Some(0), Some(0)]).unwrap();
        assert_eq!((score.total, score.band.as_deref()), (Some(4.0), Some("low")));
        assert_eq!(score.subscales, [("a".to_owned(), Some(1.0)), ("b".to_owned(), Some(3.0))]);
        for (answers, total, band) in [
            ([0, 0, 0, 3], 0.0, "low"),
            ([1, 0, 1, 0], 5.0, "mid"),
            ([2, 0, 3, 0], 8.0, "mid"),
            ([3, 0, 3, 0], 9.0, "high"),
            ([3, 3, 3, 0], 12.0, "high"),
        ] {
            let score = instrument.score(&answers.map(Some)).unwrap();
            assert_eq!((score.total, score.band.as_deref()), (Some(total), Some(band)), "{answers:?}");
        }
    }

    #[test]
    fn missing_answers_within_tolerance_are_prorated_and_beyond_it_give_no_total() {
        let instrument = fixture();
        let one_missing = instrument.score(&[Some(2), Some(2), None, Some(1)]).unwrap();
        // Answered 2, 2, 2 (item 4 reversed) → mean 2 → 8.
        assert_eq!((one_missing.total, one_missing.missing), (Some(8.0), 1));
        assert_eq!(one_missing.subscales[1].1, None, "a subscale with a missing item has no score");
        let two_missing = instrument.score(&[None, Some(3), None, Some(0)]).unwrap();
        assert_eq!((two_missing.total, two_missing.band), (None, None));
        assert_eq!(two_missing.flags, ["item2"], "an item rule fires even without a total");
        let lowest =
            Instrument { scoring: Scoring { missing: MissingHandling::Lowest, ..fixture().scoring }, ..fixture() };
        assert_eq!(lowest.score(&[Some(2), Some(2), None, Some(1)]).unwrap().total, Some(6.0));
    }

    #[test]
    fn a_multiplier_and_a_mean_score_as_published() {
        let times_four = Instrument { scoring: Scoring { multiplier: 4.0, ..fixture().scoring }, ..fixture() };
        let score = times_four.score(&[Some(1), Some(1), Some(1), Some(2)]).unwrap();
        assert_eq!((score.raw, score.total), (Some(4.0), Some(16.0)));
        let mean = Instrument { scoring: Scoring { method: Method::Mean, ..fixture().scoring }, ..fixture() };
        assert_eq!(mean.score(&[Some(3), Some(1), None, Some(3)]).unwrap().total, Some(1.0 + 1.0 / 3.0));
    }

    #[test]
    fn bad_answers_are_refused_never_scored() {
        let instrument = fixture();
        assert_eq!(instrument.score(&[Some(1), Some(1)]), Err(AnswerProblem::WrongCount { expected: 4, given: 2 }));
        assert_eq!(
            instrument.score(&[Some(1), Some(4), Some(1), Some(1)]),
            Err(AnswerProblem::NotAnOption("2".into(), 4))
        );
    }

    #[test]
    fn reliable_change_follows_jacobson_and_truax_in_the_right_direction() {
        let instrument = fixture();
        let threshold = instrument.reliable_change.as_ref().unwrap().threshold();
        assert!((threshold - 3.90).abs() < 0.01, "{threshold}");
        assert_eq!(instrument.change(18.0, 14.0), Some(Change::ReliableImprovement));
        assert_eq!(instrument.change(14.0, 18.0), Some(Change::ReliableDeterioration));
        assert_eq!(instrument.change(18.0, 15.0), Some(Change::NoReliableChange));
        let better_is_higher =
            Instrument { scoring: Scoring { higher_is_worse: false, ..fixture().scoring }, ..fixture() };
        assert_eq!(better_is_higher.change(40.0, 52.0), Some(Change::ReliableImprovement));
    }

    #[test]
    fn a_broken_file_is_described_problem_by_problem() {
        let mut broken = fixture();
        broken.items[1].id = "1".into();
        broken.bands[1].from = 6.0;
        broken.bands[2].from = 8.0;
        broken.safety[1].when = Condition::InBand("extreme".into());
        broken.items[2].text = Texts::default();
        broken.licence.0.retain(|(language, _)| *language != Language::Kazakh);
        broken.reliable_change =
            Some(ReliableChange::Index { sd: 3.0, r: 1.2, provisional: true, source: String::new() });
        let problems = broken.check();
        assert!(problems.contains(&InstrumentProblem::DuplicateItem("1".into())));
        assert!(problems.contains(&InstrumentProblem::BandGapOrOverlap("low".into(), "mid".into())));
        assert!(problems.contains(&InstrumentProblem::BandGapOrOverlap("mid".into(), "high".into())));
        assert!(problems.contains(&InstrumentProblem::UnknownReference("high".into())));
        assert!(
            problems.contains(&InstrumentProblem::MissingTranslation {
                what: "item 3".into(),
                language: Language::English
            })
        );
        assert!(problems.contains(&InstrumentProblem::BadReliableChange));
        assert!(
            problems.contains(&InstrumentProblem::MissingTranslation {
                what: "licence".into(),
                language: Language::Kazakh
            }),
            "the licence is shown in every window language, whatever the items' languages"
        );
    }
}
