//! Dates in words. A consultation's next step is written the way people talk —
//! "call in two weeks", "через месяц", "екі аптадан кейін қоңырау шалу" — and the
//! follow-up made from it needs a date. Reading the span from the words lets the
//! form suggest that date instead of leaving a blank that someone might take for
//! "today"; the psychologist sees the suggestion and confirms or changes it.
//!
//! Only spans are read (N days, weeks or months; tomorrow), in Kazakh, Russian and
//! English, with the number in digits or in words up to ten. Anything else gives no
//! suggestion: a wrong date proposed with confidence is worse than none.

use crate::date::Date;
use crate::iin::days_in_month;

/// The date that `words` point to, counted from `today`, if they name a span of time.
pub fn date_in_words(words: &str, today: Date) -> Option<Date> {
    let lower = words.to_lowercase();
    let tokens: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    for (index, token) in tokens.iter().enumerate() {
        if matches!(*token, "tomorrow" | "завтра" | "ертең") {
            return Some(today.plus_days(1));
        }
        let Some(unit) = unit(token) else { continue };
        // "in two weeks", "через 2 недели", "екі аптадан": the count comes just before;
        // "через неделю", "in a week", "аптадан кейін": one.
        let count = index.checked_sub(1).and_then(|before| number(tokens[before])).unwrap_or(1);
        return Some(match unit {
            Unit::Days(days) => today.plus_days(i64::from(count * days)),
            Unit::Months => plus_months(today, count),
        });
    }
    None
}

enum Unit {
    Days(u32),
    Months,
}

fn unit(token: &str) -> Option<Unit> {
    Some(match token {
        "day" | "days" | "день" | "дня" | "дней" | "сутки" | "суток" | "күн" | "күннен" | "күнде" | "күнге" => {
            Unit::Days(1)
        }
        "week" | "weeks" | "неделя" | "неделю" | "недели" | "недель" | "неделе" | "апта" | "аптадан" | "аптада"
        | "аптаға" => Unit::Days(7),
        "fortnight" => Unit::Days(14),
        "month" | "months" | "месяц" | "месяца" | "месяцев" | "ай" | "айдан" | "айда" | "айға" => {
            Unit::Months
        }
        _ => return None,
    })
}

fn number(token: &str) -> Option<u32> {
    if let Ok(count) = token.parse::<u32>() {
        return (1..=366).contains(&count).then_some(count);
    }
    Some(match token {
        "a" | "an" | "one" | "один" | "одну" | "одна" | "бір" => 1,
        "two" | "два" | "две" | "екі" => 2,
        "three" | "три" | "үш" => 3,
        "four" | "четыре" | "төрт" => 4,
        "five" | "пять" | "бес" => 5,
        "six" | "шесть" | "алты" => 6,
        "seven" | "семь" | "жеті" => 7,
        "eight" | "восемь" | "сегіз" => 8,
        "nine" | "девять" | "тоғыз" => 9,
        "ten" | "десять" | "он" => 10,
        _ => return None,
    })
}

/// `months` calendar months later, on the same day or the month's last.
fn plus_months(date: Date, months: u32) -> Date {
    let index = date.year * 12 + date.month as i32 - 1 + months as i32;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    Date { year, month, day: date.day.min(days_in_month(year, month)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date { year: 2026, month: 12, day: 3 };

    #[test]
    fn spans_in_three_languages_become_dates() {
        let cases = [
            ("Екі аптадан кейін қоңырау шалу", "2026-12-17"),
            ("call in two weeks", "2026-12-17"),
            ("Позвонить через 2 недели", "2026-12-17"),
            ("через неделю", "2026-12-10"),
            ("in a week", "2026-12-10"),
            ("аптадан кейін кездесу", "2026-12-10"),
            ("через месяц повторить PHQ-9", "2027-01-03"),
            ("үш айдан кейін сауалнама", "2027-03-03"),
            ("in 10 days", "2026-12-13"),
            ("бес күннен кейін", "2026-12-08"),
            ("завтра позвонить", "2026-12-04"),
            ("Ертең қоңырау шалу", "2026-12-04"),
            ("in a fortnight", "2026-12-17"),
        ];
        for (words, expected) in cases {
            assert_eq!(date_in_words(words, TODAY).map(|d| d.to_string()).as_deref(), Some(expected), "{words}");
        }
    }

    #[test]
    fn words_without_a_span_suggest_nothing() {
        for words in ["", "Позвонить", "Қоңырау шалу", "see the family again", "Айгүл апаймен кездесу", "PHQ-9 10"]
        {
            assert_eq!(date_in_words(words, TODAY), None, "{words}");
        }
    }

    #[test]
    fn months_end_on_the_last_day_when_the_day_is_missing() {
        let january_31 = Date { year: 2027, month: 1, day: 31 };
        assert_eq!(date_in_words("in a month", january_31), Some(Date { year: 2027, month: 2, day: 28 }));
        assert_eq!(
            date_in_words("через 2 месяца", Date { year: 2026, month: 12, day: 31 }).map(|d| d.to_string()).as_deref(),
            Some("2027-02-28")
        );
    }
}
