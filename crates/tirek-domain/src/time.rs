//! Calendar arithmetic on UTC timestamps, for names and labels that must not depend
//! on a time-zone database (backup file names, for one).

/// A UTC date and time, to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UtcMinute {
    /// The year.
    pub year: i64,
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month, 1–31.
    pub day: u32,
    /// The hour, 0–23.
    pub hour: u32,
    /// The minute, 0–59.
    pub minute: u32,
}

impl UtcMinute {
    /// The calendar date and time of `unix_ms` milliseconds since 1970 (UTC).
    pub fn from_unix_ms(unix_ms: i64) -> UtcMinute {
        let seconds = unix_ms.div_euclid(1000);
        let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        // Howard Hinnant's days-to-civil algorithm, exact for every Gregorian date.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        UtcMinute { year, month, day, hour: (second_of_day / 3600) as u32, minute: (second_of_day % 3600 / 60) as u32 }
    }

    /// `YYYYMMDD-HHMM`, sortable as text.
    pub fn compact(&self) -> String {
        format!("{:04}{:02}{:02}-{:02}{:02}", self.year, self.month, self.day, self.hour, self.minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants_have_their_calendar_dates() {
        let cases = [
            (0, "19700101-0000"),
            (951_782_400_000, "20000229-0000"),
            (1_764_072_000_000, "20251125-1200"),
            (1_795_606_567_000, "20261125-1136"),
            (4_107_542_399_000, "21000228-2359"),
            (-1_000, "19691231-2359"),
        ];
        for (unix_ms, expected) in cases {
            assert_eq!(UtcMinute::from_unix_ms(unix_ms).compact(), expected, "{unix_ms}");
        }
    }
}
