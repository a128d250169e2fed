//! `cargo xtask bench letters`: a referral letter of two pages with a trend chart,
//! rendered to PDF with its fonts subset, beside the one-page recovery sheet (no
//! chart) rendered in the same run as the baseline.
//!
//! Targets (DESIGN.md §7, issue 6): the letter's p50 ≤ 30 ms and its size ≤ 100 KB.
//! Exits 1 when one is missed.

use std::time::{Duration, Instant};

use tirek_domain::Language;
use tirek_letters::{RecoverySheet, recovery_sheet, referral_letter, sample};

const SAMPLES: usize = 60;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn measure(mut render: impl FnMut() -> usize) -> (Duration, usize) {
    let size = render(); // the fonts parsed once, as in a running app
    let samples = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            render();
            started.elapsed()
        })
        .collect();
    (median(samples), size)
}

fn main() {
    let mut missed = false;
    let sheet = RecoverySheet {
        language: Language::Kazakh,
        profile_name: "Серікова Айгүл",
        created: "01.12.2026",
        recovery_key: "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567-89AB",
    };
    let (baseline, baseline_size) = measure(|| recovery_sheet(&sheet).expect("the recovery sheet").len());
    println!(
        "recovery sheet (baseline)   p50 {:6.2} ms   {:5.1} KB",
        baseline.as_secs_f64() * 1e3,
        baseline_size as f64 / 1024.0
    );
    for language in [Language::Kazakh, Language::Russian] {
        let letter = sample::letter(language);
        let (p50, size) = measure(|| referral_letter(&letter).expect("the letter").pdf.len());
        let ok = p50 <= Duration::from_millis(30) && size <= 100 * 1024;
        missed |= !ok;
        println!(
            "referral letter, chart ({})  p50 {:6.2} ms   {:5.1} KB   {:.1}× the baseline   target ≤ 30 ms, ≤ 100 KB: {}",
            language.code(),
            p50.as_secs_f64() * 1e3,
            size as f64 / 1024.0,
            p50.as_secs_f64() / baseline.as_secs_f64(),
            if ok { "met" } else { "MISSED" }
        );
    }
    if missed {
        std::process::exit(1);
    }
}
