//! Calendar dates without a time-zone database: parsing what people type
//! (`2024-03-15` or the local `15.03.2024`), printing ISO dates for storage, and the
//! clinic's "today" from a clock reading. Kazakhstan keeps one offset, UTC+5, since
//! 1 March 2024, so the clinic's date is the UTC instant shifted by five hours.

use std::fmt;

use crate::iin::days_in_month;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// The day, 1–31.
    pub day: u32,
}

/// Kazakhstan's offset from UTC, in minutes (one zone since 1 March 2024).
pub const KAZAKHSTAN_OFFSET_MINUTES: i64 = 5 * 60;

/// Why typed text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotADate;

impl Date {
    /// A date, if it exists in the Gregorian calendar (years 1900–2199).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1900..2200).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Reads `YYYY-MM-DD` or `DD.MM.YYYY` (surrounding spaces ignored).
    pub fn parse(typed: &str) -> Result<Date, NotADate> {
        let typed = typed.trim();
        let number = |part: &str| -> Result<u32, NotADate> {
            if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(NotADate);
            }
            part.parse().map_err(|_| NotADate)
        };
        let parts: Vec<&str>;
        let (year, month, day) = if typed.contains('-') {
            parts = typed.split('-').collect();
            match parts.as_slice() {
                [y, m, d] if y.len() == 4 => (number(y)?, number(m)?, number(d)?),
                _ => return Err(NotADate),
            }
        } else {
            parts = typed.split('.').collect();
            match parts.as_slice() {
                [d, m, y] if y.len() == 4 => (number(y)?, number(m)?, number(d)?),
                _ => return Err(NotADate),
            }
        };
        Date::new(year as i32, month, day).ok_or(NotADate)
    }

    /// The date `days` days after 1 January 1970.
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Days since 1 January 1970.
    pub fn days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date in Kazakhstan at `unix_ms` milliseconds since 1970 (UTC).
    pub fn in_kazakhstan(unix_ms: i64) -> Date {
        Date::from_days((unix_ms.div_euclid(60_000) + KAZAKHSTAN_OFFSET_MINUTES).div_euclid(24 * 60))
    }

    /// The date `days` later (earlier when negative).
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days(self.days() + days)
    }

    /// Whole years from `self` to `later` (an age).
    pub fn years_until(self, later: Date) -> i32 {
        let mut years = later.year - self.year;
        if (later.month, later.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// `DD.MM.YYYY`, as dates are written in Kazakhstan.
    pub fn dotted(self) -> String {
        format!("{:02}.{:02}.{:04}", self.day, self.month, self.year)
    }

    /// Monday of this date's week.
    pub fn week_start(self) -> Date {
        // 1 January 1970 was a Thursday: day 0 is weekday 3 counting Monday as 0.
        let weekday = (self.days() + 3).rem_euclid(7);
        self.plus_days(-weekday)
    }
}

impl fmt::Display for Date {
    /// ISO 8601, `YYYY-MM-DD`: the stored form, sortable as text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_typed_forms_read_and_impossible_dates_do_not() {
        assert_eq!(Date::parse("2024-02-29"), Ok(Date { year: 2024, month: 2, day: 29 }));
        assert_eq!(Date::parse(" 15.03.2019 "), Ok(Date { year: 2019, month: 3, day: 15 }));
        for bad in ["2023-02-29", "31.04.2020", "2020-13-01", "15/03/2019", "", "2020-1-1x", "1.1.20", "1899-12-31"] {
            assert_eq!(Date::parse(bad), Err(NotADate), "{bad:?}");
        }
    }

    #[test]
    fn days_round_trip_and_match_known_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::parse("2000-03-01").unwrap().days(), 11_017);
        for days in (-25_000..80_000).step_by(37) {
            assert_eq!(Date::from_days(days).days(), days);
        }
    }

    #[test]
    fn today_in_kazakhstan_turns_at_local_midnight() {
        // 2026-11-25 18:59 UTC is 23:59 in Almaty; 19:00 UTC is already the 26th.
        let before = 1_795_633_140_000;
        assert_eq!(Date::in_kazakhstan(before).to_string(), "2026-11-25");
        assert_eq!(Date::in_kazakhstan(before + 60_000).to_string(), "2026-11-26");
    }

    #[test]
    fn ages_count_whole_years_and_weeks_start_on_monday() {
        let birth = Date::parse("2010-06-15").unwrap();
        assert_eq!(birth.years_until(Date::parse("2026-06-14").unwrap()), 15);
        assert_eq!(birth.years_until(Date::parse("2026-06-15").unwrap()), 16);
        assert_eq!(Date::parse("2026-11-25").unwrap().week_start().to_string(), "2026-11-23");
        assert_eq!(Date::parse("2026-11-23").unwrap().week_start().to_string(), "2026-11-23");
    }
}
