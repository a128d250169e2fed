//! The IIN, Kazakhstan's 12-digit individual identification number (Government
//! Resolution No. 565 of 11 June 2003): birth date, century and sex, a serial, and a
//! check digit. Optional in Tirek — many parents will not give it — and never a key;
//! but when typed, each way it can be wrong gets its own message.

use std::fmt;

/// A valid IIN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iin(String);

/// The sex encoded in an IIN's seventh digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Odd seventh digit.
    Male,
    /// Even seventh digit.
    Female,
}

/// Why a typed IIN is not valid, one reason per way it can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IinError {
    /// Not 12 digits long (the count of digits typed).
    WrongLength(usize),
    /// Contains something other than digits and spaces.
    NotDigits,
    /// The seventh digit is not 1–6 (century and sex).
    BadCentury,
    /// Digits 1–6 are not a real date.
    BadDate,
    /// The check digit does not match: a digit was mistyped or swapped.
    WrongChecksum,
    /// No check digit is possible for the first eleven digits: not an issued number.
    Unissuable,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BirthDate {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// The day, 1–31.
    pub day: u32,
}

const SECOND_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Checks the twelfth digit against the first eleven: weights 1–11, and when that
/// sum leaves 10, the second weights; 10 again means no number is issued so.
fn check_digit(digits: &[u32]) -> Result<(), IinError> {
    let first: u32 = digits[..11].iter().zip(1..).map(|(d, i)| d * i).sum::<u32>() % 11;
    let check = if first == 10 {
        let second = digits[..11].iter().zip(SECOND_WEIGHTS).map(|(d, w)| d * w).sum::<u32>() % 11;
        if second == 10 {
            return Err(IinError::Unissuable);
        }
        second
    } else {
        first
    };
    if check == digits[11] { Ok(()) } else { Err(IinError::WrongChecksum) }
}

/// Checks a typed BIN, an organisation's 12-digit business identification number:
/// digits, length, a real month in digits 3–4, a known entity type in digit 5 (4
/// resident, 5 non-resident, 6 joint venture or branch), and the IIN's check digit
/// rule. Returns the twelve digits. A wrong month or type is reported as a bad date
/// or century, the IIN's nearest reasons.
pub fn check_bin(typed: &str) -> Result<String, IinError> {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.chars().all(|c| c.is_ascii_digit()) {
        return Err(IinError::NotDigits);
    }
    if compact.len() != 12 {
        return Err(IinError::WrongLength(compact.len()));
    }
    let digits: Vec<u32> = compact.bytes().map(|b| u32::from(b - b'0')).collect();
    if !(1..=12).contains(&(digits[2] * 10 + digits[3])) {
        return Err(IinError::BadDate);
    }
    if !(4..=6).contains(&digits[4]) {
        return Err(IinError::BadCentury);
    }
    check_digit(&digits)?;
    Ok(compact)
}

impl Iin {
    /// Checks a typed IIN; spaces are ignored.
    pub fn parse(typed: &str) -> Result<Iin, IinError> {
        let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(IinError::NotDigits);
        }
        if compact.len() != 12 {
            return Err(IinError::WrongLength(compact.len()));
        }
        let digits: Vec<u32> = compact.bytes().map(|b| u32::from(b - b'0')).collect();
        let century = match digits[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return Err(IinError::BadCentury),
        };
        let year = century + (digits[0] * 10 + digits[1]) as i32;
        let month = digits[2] * 10 + digits[3];
        let day = digits[4] * 10 + digits[5];
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(IinError::BadDate);
        }
        check_digit(&digits)?;
        Ok(Iin(compact))
    }

    /// The twelve digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn digit(&self, index: usize) -> u32 {
        u32::from(self.0.as_bytes()[index] - b'0')
    }

    /// The birth date the number encodes.
    pub fn birth_date(&self) -> BirthDate {
        let century = match self.digit(6) {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        BirthDate {
            year: century + (self.digit(0) * 10 + self.digit(1)) as i32,
            month: self.digit(2) * 10 + self.digit(3),
            day: self.digit(4) * 10 + self.digit(5),
        }
    }

    /// The sex the number encodes.
    pub fn sex(&self) -> Sex {
        if self.digit(6) % 2 == 1 { Sex::Male } else { Sex::Female }
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_example_is_valid_and_decodes() {
        let iin = Iin::parse("061211600012").unwrap();
        assert_eq!(iin.birth_date(), BirthDate { year: 2006, month: 12, day: 11 });
        assert_eq!(iin.sex(), Sex::Female);
        assert_eq!(Iin::parse(" 0612 1160 0012 ").unwrap(), iin, "spaces are ignored");
    }

    #[test]
    fn each_way_of_being_wrong_has_its_own_reason() {
        let cases = [
            ("", Err(IinError::WrongLength(0))),
            ("06121160001", Err(IinError::WrongLength(11))),
            ("0612116000123", Err(IinError::WrongLength(13))),
            ("06121160001O", Err(IinError::NotDigits)),
            ("061211-60012", Err(IinError::NotDigits)),
            ("061211700012", Err(IinError::BadCentury)),
            ("061211000012", Err(IinError::BadCentury)),
            ("061311600012", Err(IinError::BadDate)),
            ("060231600012", Err(IinError::BadDate)),
            ("061200600012", Err(IinError::BadDate)),
            ("061211600013", Err(IinError::WrongChecksum)),
            ("061211600021", Err(IinError::WrongChecksum)),
        ];
        for (typed, expected) in cases {
            assert_eq!(Iin::parse(typed).map(|_| ()), expected, "{typed:?}");
        }
    }

    #[test]
    fn the_second_weights_decide_when_the_first_sum_gives_ten() {
        // Search the 2000s for numbers whose first sum is 10 and check both outcomes
        // against a direct computation, so the rule is exercised, not assumed.
        let (mut second_used, mut unissuable) = (0, 0);
        for serial in 0..2000u32 {
            let stem = format!("0001015{serial:04}");
            let digits: Vec<u32> = stem.bytes().map(|b| u32::from(b - b'0')).collect();
            let first = digits.iter().zip(1..).map(|(d, i)| d * i).sum::<u32>() % 11;
            if first != 10 {
                continue;
            }
            let second = digits.iter().zip(SECOND_WEIGHTS).map(|(d, w)| d * w).sum::<u32>() % 11;
            if second == 10 {
                unissuable += 1;
                for check in 0..10 {
                    assert_eq!(Iin::parse(&format!("{stem}{check}")), Err(IinError::Unissuable));
                }
            } else {
                second_used += 1;
                assert!(Iin::parse(&format!("{stem}{second}")).is_ok(), "{stem}{second}");
            }
        }
        assert!(second_used > 0 && unissuable > 0, "both cases seen: {second_used} {unissuable}");
    }

    #[test]
    fn leap_days_are_real_dates_only_in_leap_years() {
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        // 29 Feb 2023 is not a date, whatever the check digit.
        for check in 0..10 {
            assert_eq!(Iin::parse(&format!("23022950000{check}")), Err(IinError::BadDate));
        }
    }
}

#[cfg(test)]
mod bin_tests {
    use super::*;

    #[test]
    fn a_bin_has_a_month_an_entity_type_and_the_iin_check_digit() {
        assert_eq!(check_bin("0401 4000 1236"), Ok("040140001236".to_owned()));
        assert_eq!(check_bin("040140001237"), Err(IinError::WrongChecksum));
        assert_eq!(check_bin("041340001236"), Err(IinError::BadDate));
        assert_eq!(check_bin("040110001236"), Err(IinError::BadCentury));
        assert_eq!(check_bin("04014000123"), Err(IinError::WrongLength(11)));
    }
}
