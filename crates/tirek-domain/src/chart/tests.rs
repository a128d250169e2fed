//! The chart's layout pinned by cases: placement by date, the axis, shades that stay
//! apart in grey, band names with their ranges, type sizes a clinic screen can show at
//! arm's length, totals that never touch, and the marks for reliable change and risk
//! flags with the legend that explains them.

use super::*;
use crate::instrument::tests::fixture as sample;
use crate::instrument::{Band, ReliableChange, Texts};

const EN: Language = Language::English;

fn reading(day: &str, total: f64) -> Reading {
    Reading { date: Date::parse(day).unwrap(), total, change: None, flagged: false }
}

fn changed(day: &str, total: f64, change: Change) -> Reading {
    Reading { change: Some(change), ..reading(day, total) }
}

fn flagged(day: &str, total: f64) -> Reading {
    Reading { flagged: true, ..reading(day, total) }
}

/// PHQ-9's scoring and bands (0–27; minimal, mild, moderate, moderately severe,
/// severe) with its provisional reliable-change rule.
fn phq9_like() -> Instrument {
    let mut instrument = sample();
    instrument.scoring.range = (0.0, 27.0);
    instrument.bands = [
        ("minimal", 0.0, 4.0, "Minimal"),
        ("mild", 5.0, 9.0, "Mild"),
        ("moderate", 10.0, 14.0, "Moderate"),
        ("moderately_severe", 15.0, 19.0, "Moderately severe"),
        ("severe", 20.0, 27.0, "Severe"),
    ]
    .map(|(id, from, to, label)| Band {
        id: id.into(),
        from,
        to,
        label: Texts(vec![(EN, label.into()), (Language::Russian, format!("{label} (ru)"))]),
    })
    .to_vec();
    instrument.reliable_change =
        Some(ReliableChange::Index { sd: 3.52, r: 0.84, provisional: true, source: String::new() });
    instrument
}

/// Every text the chart writes.
fn texts(trend: &Trend) -> Vec<&Text> {
    let bands = trend.bands.iter().flat_map(|b| &b.label);
    let ticks = trend.ticks.iter().map(|t| &t.label);
    let points = trend.points.iter().flat_map(|p| p.value.iter().chain(&p.date));
    bands.chain(ticks).chain(points).collect()
}

/// The box a text takes, by the same estimate the layout uses.
fn area_of(text: &Text) -> Area {
    let width = text_width(&text.text, text.size);
    let left = match text.anchor {
        Anchor::Start => text.x,
        Anchor::Middle => text.x - width / 2.0,
        Anchor::End => text.x - width,
    };
    (left, text.y - text.size * 0.75, left + width, text.y + text.size * 0.15)
}

#[test]
fn points_sit_by_date_so_a_long_gap_looks_long() {
    let trend = Trend::lay_out(
        &sample(),
        &[reading("01.03.2026", 9.0), reading("08.03.2026", 8.0), reading("31.03.2026", 3.0)],
        EN,
    );
    let xs: Vec<f64> = trend.points.iter().map(|p| p.x).collect();
    let (left, _, right, _) = trend.plot;
    let (first, last) = (left + INSET, right - INSET);
    assert_eq!((xs[0], xs[2]), (first, last));
    // A week out of thirty days: about a quarter of the way across, not half.
    assert!((xs[1] - (first + (last - first) * 7.0 / 30.0)).abs() < 1e-9, "{xs:?}");
}

#[test]
fn higher_totals_sit_higher_and_the_axis_spans_the_instruments_range() {
    let trend = Trend::lay_out(&sample(), &[reading("01.03.2026", 12.0), reading("02.03.2026", 0.0)], EN);
    let (_, top, _, bottom) = trend.plot;
    assert_eq!(trend.range, (0.0, 12.0));
    assert_eq!(trend.points[0].y, top);
    assert_eq!(trend.points[1].y, bottom);
}

#[test]
fn a_single_reading_sits_in_the_middle_with_its_band_total_and_date() {
    let trend = Trend::lay_out(&sample(), &[reading("01.03.2026", 6.0)], EN);
    let (left, _, right, _) = trend.plot;
    let point = &trend.points[0];
    assert_eq!(point.x, (left + right) / 2.0);
    assert_eq!(point.band, Some(1));
    assert!(point.latest && point.value.is_some() && point.date.is_some());
    assert!(trend.legend.is_empty(), "nothing to explain: {:?}", trend.legend);
}

#[test]
fn a_total_outside_the_declared_range_widens_the_axis_instead_of_leaving_the_chart() {
    let trend = Trend::lay_out(&sample(), &[reading("01.03.2026", 14.0)], EN);
    assert_eq!(trend.range, (0.0, 14.0));
    assert_eq!(trend.points[0].y, trend.plot.1);
}

#[test]
fn bands_meet_halfway_between_whole_scores() {
    // Bands 0–4, 5–8, 9–12 of a 0–12 score.
    let trend = Trend::lay_out(&sample(), &[reading("01.03.2026", 6.0)], EN);
    let (_, top, _, bottom) = trend.plot;
    let y = |score: f64| top + (bottom - top) * (1.0 - score / 12.0);
    assert_eq!(trend.bands.len(), 3);
    assert_eq!((trend.bands[0].bottom, trend.bands[0].top), (bottom, y(4.5)));
    assert_eq!((trend.bands[1].bottom, trend.bands[1].top), (y(4.5), y(8.5)));
    assert_eq!((trend.bands[2].bottom, trend.bands[2].top), (y(8.5), top));
}

#[test]
fn adjacent_bands_stay_apart_in_grey_and_the_most_severe_is_darkest() {
    // (bands, higher is worse)
    for (count, higher_is_worse) in [(2, true), (3, true), (4, true), (5, true), (5, false), (6, true), (3, false)] {
        let mut instrument = phq9_like();
        instrument.scoring.higher_is_worse = higher_is_worse;
        instrument.bands = (0..count)
            .map(|n| Band {
                id: format!("b{n}"),
                from: 5.0 * n as f64,
                to: if n + 1 == count { 27.0 } else { 5.0 * n as f64 + 4.0 },
                label: Texts(vec![(EN, format!("B{n}"))]),
            })
            .collect();
        let trend = Trend::lay_out(&instrument, &[reading("01.03.2026", 6.0)], EN);
        let shades: Vec<f64> = trend.bands.iter().map(|b| b.shade).collect();
        let case = format!("{count} bands, higher is worse: {higher_is_worse}: {shades:?}");
        for pair in shades.windows(2) {
            assert!((pair[0] - pair[1]).abs() >= MIN_SHADE_STEP - 1e-9, "{case}");
        }
        let darkest = shades.iter().copied().fold(f64::INFINITY, f64::min);
        let severe = if higher_is_worse { shades[count - 1] } else { shades[0] };
        assert_eq!(severe, darkest, "{case}");
        assert_eq!(shades.iter().copied().fold(0.0, f64::max), LIGHTEST, "{case}");
        // Light enough behind black dots and type.
        assert!(darkest >= 0.6, "{case}");
        let severities: Vec<usize> = trend.bands.iter().map(|b| b.severity).collect();
        let expected: Vec<usize> = if higher_is_worse { (0..count).collect() } else { (0..count).rev().collect() };
        assert_eq!(severities, expected, "{case}");
    }
}

#[test]
fn every_band_is_named_beside_the_plot_with_its_score_range() {
    let trend = Trend::lay_out(&phq9_like(), &[reading("01.03.2026", 6.0)], EN);
    let (_, _, right, _) = trend.plot;
    let expected = [
        ["Minimal", "0–4"],
        ["Mild", "5–9"],
        ["Moderate", "10–14"],
        ["Moderately severe", "15–19"],
        ["Severe", "20–27"],
    ];
    for (stripe, lines) in trend.bands.iter().zip(expected) {
        let written: Vec<&str> = stripe.label.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(written, lines);
        assert_eq!(stripe.range, lines[1]);
        for text in &stripe.label {
            let (left, top, right_edge, bottom) = area_of(text);
            assert!(left > right && right_edge <= WIDTH, "{text:?} beside the plot, inside the chart");
            assert!(top >= stripe.top && bottom <= stripe.bottom, "{text:?} within its stripe {stripe:?}");
        }
    }
    // In the chart's language.
    let russian = Trend::lay_out(&phq9_like(), &[reading("01.03.2026", 6.0)], Language::Russian);
    assert_eq!(russian.bands[4].label[0].text, "Severe (ru)");
}

#[test]
fn a_long_band_name_wraps_and_a_thin_band_keeps_what_fits() {
    // (name, range, characters a line, height) → lines
    let cases: [(&str, &str, usize, f64, &[&str]); 6] = [
        ("Below the high-burnout range", "0–49,99", 18, 120.0, &["Below the", "high-burnout range", "0–49,99"]),
        (
            "Жоғары күйіп-жану деңгейінен төмен",
            "0–49,99",
            18,
            120.0,
            &["Жоғары күйіп-жану", "деңгейінен төмен", "0–49,99"],
        ),
        ("Mild", "5–9", 18, 20.0, &["Mild 5–9"]),
        ("Moderately severe", "15–19", 18, 20.0, &["Moderately severe"]),
        ("Below the high-burnout range", "0–49", 18, 20.0, &["Below the…"]),
        ("Mild", "5–9", 18, 10.0, &[]),
    ];
    for (name, range, chars, height, expected) in cases {
        assert_eq!(band_lines(name, range, chars, height), expected, "{name} in {height}");
    }
}

#[test]
fn ticks_are_round_few_and_apart_and_the_top_is_the_edge_unless_a_step_lands_on_it() {
    let height = HEIGHT - TOP - BOTTOM;
    // (range, ticks)
    let cases: [((f64, f64), &[f64]); 9] = [
        ((0.0, 27.0), &[0.0, 5.0, 10.0, 15.0, 20.0, 25.0]),
        ((0.0, 21.0), &[0.0, 5.0, 10.0, 15.0, 20.0]),
        ((0.0, 40.0), &[0.0, 10.0, 20.0, 30.0, 40.0]),
        ((0.0, 100.0), &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
        ((0.0, 138.0), &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0]),
        ((0.0, 12.0), &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]),
        ((10.0, 50.0), &[10.0, 20.0, 30.0, 40.0, 50.0]),
        ((1.0, 10.0), &[1.0, 3.0, 5.0, 7.0, 9.0]),
        ((0.0, 4.0), &[0.0, 1.0, 2.0, 3.0, 4.0]),
    ];
    for ((low, high), expected) in cases {
        let values = ticks(low, high, height);
        assert_eq!(values, expected, "{low}–{high}");
        let gap = (values[1] - values[0]) * height / (high - low);
        assert!(gap >= MIN_TICK_GAP, "{low}–{high}: marks {gap} px apart");
        assert!(values.len() <= 7, "{low}–{high}");
    }
    let trend = Trend::lay_out(&phq9_like(), &[reading("01.03.2026", 6.0)], EN);
    let labels: Vec<&str> = trend.ticks.iter().map(|t| t.label.text.as_str()).collect();
    assert_eq!(labels, ["0", "5", "10", "15", "20", "25"]);
}

#[test]
fn type_is_large_enough_to_read_at_arms_length_and_the_latest_total_largest() {
    let readings = [
        reading("01.01.2026", 18.0),
        changed("01.02.2026", 8.0, Change::ReliableImprovement),
        flagged("01.03.2026", 21.0),
        reading("01.04.2026", 12.0),
    ];
    let trend = Trend::lay_out(&phq9_like(), &readings, EN);
    for text in texts(&trend) {
        assert!(text.size >= 13.0, "{text:?}: smaller than 13 px");
    }
    let latest = trend.points.last().unwrap().value.as_ref().unwrap();
    assert!(trend.points.iter().flat_map(|p| &p.value).all(|v| v.size <= latest.size));
    assert!(latest.size > VALUE_SIZE && latest.bold);
}

#[test]
fn no_two_texts_touch_and_totals_keep_off_the_line_and_inside_the_plot() {
    // Zig-zags, steep drops, crowded weeks and long gaps.
    let cases: [&[(&str, f64)]; 5] = [
        &[("01.01.2026", 27.0), ("08.01.2026", 0.0), ("15.01.2026", 27.0), ("22.01.2026", 0.0)],
        &[("01.01.2026", 20.0), ("01.02.2026", 18.0), ("01.03.2026", 12.0), ("01.04.2026", 4.0), ("01.05.2026", 3.0)],
        &[("01.01.2026", 14.0), ("02.01.2026", 15.0), ("03.01.2026", 14.0), ("01.12.2026", 9.0)],
        &[("01.01.2026", 0.0), ("01.06.2026", 27.0)],
        &[("01.01.2026", 10.0), ("01.01.2027", 10.0), ("01.01.2028", 10.0)],
    ];
    for case in cases {
        let readings: Vec<Reading> = case.iter().map(|(day, total)| reading(day, *total)).collect();
        let trend = Trend::lay_out(&phq9_like(), &readings, EN);
        let (left, _, right, bottom) = trend.plot;
        let written = texts(&trend);
        for (index, a) in written.iter().enumerate() {
            for b in &written[index + 1..] {
                assert!(!overlaps(area_of(a), area_of(b)), "{case:?}: {a:?} touches {b:?}");
            }
        }
        for (index, point) in trend.points.iter().enumerate() {
            let Some(value) = &point.value else {
                assert!(!point.latest, "{case:?}: the latest total is always written");
                continue;
            };
            let area = area_of(value);
            assert!(area.0 >= left && area.2 <= right && area.3 <= bottom, "{case:?}: {value:?} leaves the plot");
            if !point.latest {
                for pair in trend.points.windows(2) {
                    let segment = ((pair[0].x, pair[0].y), (pair[1].x, pair[1].y));
                    assert!(!crosses(segment, area), "{case:?}: the line crosses {value:?}");
                }
            }
            for (other, neighbour) in trend.points.iter().enumerate() {
                assert!(other == index || !overlaps(area, marker_area(neighbour)), "{case:?}: {value:?} on a point");
            }
        }
        assert!(trend.points.last().unwrap().value.is_some(), "{case:?}");
    }
}

#[test]
fn crowded_dates_keep_the_latest_and_drop_ones_that_would_touch() {
    let days = ["01.01.2026", "02.01.2026", "03.01.2026", "01.06.2026", "02.06.2026"];
    let readings: Vec<Reading> = days.iter().map(|d| reading(d, 5.0)).collect();
    let trend = Trend::lay_out(&sample(), &readings, EN);
    let shown: Vec<bool> = trend.points.iter().map(|p| p.date.is_some()).collect();
    assert_eq!(shown, [false, false, true, false, true]);
    assert_eq!(trend.points[4].date.as_ref().unwrap().text, "02.06.2026");
}

#[test]
fn a_reliable_change_is_an_arrow_beside_its_total_pointing_the_way_the_score_moved() {
    // (higher is worse, change, arrow up, legend)
    let cases = [
        (true, Change::ReliableDeterioration, true, Legend::Worse { up: true }),
        (true, Change::ReliableImprovement, false, Legend::Better { up: false }),
        (false, Change::ReliableDeterioration, false, Legend::Worse { up: false }),
        (false, Change::ReliableImprovement, true, Legend::Better { up: true }),
    ];
    for (higher_is_worse, change, up, key) in cases {
        let mut instrument = phq9_like();
        instrument.scoring.higher_is_worse = higher_is_worse;
        let later = if up { 20.0 } else { 4.0 };
        let trend =
            Trend::lay_out(&instrument, &[reading("01.01.2026", 12.0), changed("01.02.2026", later, change)], EN);
        let point = &trend.points[1];
        let mark = point.mark.expect("an arrow");
        assert_eq!((mark.change, mark.up), (change, up), "{change:?}, higher is worse: {higher_is_worse}");
        let value = point.value.as_ref().unwrap();
        let total = area_of(value);
        assert!(mark.x - MARK >= total.2 && mark.y > total.1 && mark.y < total.3, "right of {value:?}: {mark:?}");
        assert_eq!(trend.legend[0], key);
        assert!(trend.points[0].mark.is_none());
    }
    // No reliable change: no arrow, nothing in the legend but the threshold.
    let trend = Trend::lay_out(
        &phq9_like(),
        &[reading("01.01.2026", 12.0), changed("01.02.2026", 11.0, Change::NoReliableChange)],
        EN,
    );
    assert!(trend.points[1].mark.is_none());
    assert!(matches!(trend.legend[..], [Legend::Threshold { .. }]), "{:?}", trend.legend);
}

#[test]
fn an_assessment_that_raised_a_risk_flag_is_marked_and_explained() {
    let trend = Trend::lay_out(&phq9_like(), &[flagged("01.01.2026", 13.0), reading("01.02.2026", 12.0)], EN);
    assert!(trend.points[0].reading.flagged && !trend.points[1].reading.flagged);
    assert_eq!(trend.legend[0], Legend::Flag);
    let value = area_of(trend.points[0].value.as_ref().unwrap());
    assert!(!overlaps(value, marker_area(&trend.points[0])), "the total clears the diamond");
    assert_eq!(marker_area(&trend.points[0]).2 - trend.points[0].x, FLAG);
}

#[test]
fn the_legend_says_what_a_reliable_change_is_and_whether_its_threshold_is_provisional() {
    let readings = [reading("01.01.2026", 18.0), changed("01.02.2026", 8.0, Change::ReliableImprovement)];
    let trend = Trend::lay_out(&phq9_like(), &readings, EN);
    assert!(matches!(trend.legend[1], Legend::Threshold { provisional: true, points } if (points - 3.9).abs() < 0.01));
    let trend = Trend::lay_out(&sample(), &[reading("01.01.2026", 9.0), reading("01.02.2026", 8.0)], EN);
    assert!(matches!(trend.legend[..], [Legend::Threshold { provisional: false, .. }]));
    let mut without_rule = sample();
    without_rule.reliable_change = None;
    assert!(
        Trend::lay_out(&without_rule, &[reading("01.01.2026", 9.0), reading("01.02.2026", 8.0)], EN).legend.is_empty()
    );
}

#[test]
fn scores_are_written_as_people_write_them() {
    // (value, decimals, language, text)
    let cases = [
        (12.0, 1, Language::Russian, "12"),
        (62.5, 1, Language::Russian, "62,5"),
        (62.5, 1, Language::Kazakh, "62,5"),
        (62.5, 1, EN, "62.5"),
        (58.333, 1, EN, "58.3"),
        (49.99, 2, Language::Russian, "49,99"),
        (0.25, 2, EN, "0.25"),
        (2.5, 2, EN, "2.5"),
    ];
    for (value, decimals, language, text) in cases {
        assert_eq!(score_label(value, decimals, language), text);
    }
}
