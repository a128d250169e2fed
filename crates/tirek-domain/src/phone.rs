//! Phone numbers as parents give them — `8 701 234 56 78`, `+7 (701) 234-56-78`,
//! `7012345678` — stored in one form, `+7XXXXXXXXXX`, so that search by phone finds
//! a number however it was typed. Kazakhstan shares the +7 country code with Russia;
//! a family's Russian number is as valid as a Kazakh one.

/// Why a typed phone number cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneProblem {
    /// Letters or other symbols besides digits, spaces, `+ - ( )`.
    NotDigits,
    /// Not a ten-digit number after the country code (the digit count typed).
    WrongLength(usize),
}

/// The number in the form `+7XXXXXXXXXX`.
pub fn normalize(typed: &str) -> Result<String, PhoneProblem> {
    let typed = typed.trim();
    if !typed.chars().all(|c| c.is_ascii_digit() || " -()+".contains(c)) || typed.matches('+').count() > 1 {
        return Err(PhoneProblem::NotDigits);
    }
    if typed.contains('+') && !typed.starts_with("+7") {
        return Err(PhoneProblem::NotDigits);
    }
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        10 => digits.as_str(),
        11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        count => return Err(PhoneProblem::WrongLength(count)),
    };
    Ok(format!("+7{national}"))
}

/// A stored number as people read it aloud, grouped: `+77012345678` →
/// `+7 701 234 56 78` (the window's `showPhone` does the same); anything else as it is.
pub fn display(stored: &str) -> String {
    let digits: Vec<char> = stored.chars().collect();
    if digits.len() != 12 || !stored.starts_with("+7") || !digits[2..].iter().all(char::is_ascii_digit) {
        return stored.to_owned();
    }
    let part = |from: usize, to: usize| digits[from..to].iter().collect::<String>();
    format!("+7 {} {} {} {}", part(2, 5), part(5, 8), part(8, 10), part(10, 12))
}

/// The digits of a partly typed number, as search matches them against a stored
/// number's digits (which the store keeps after both a 7 and an 8).
pub fn search_digits(typed: &str) -> String {
    typed.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_number_is_grouped_as_it_is_said_aloud() {
        assert_eq!(display("+77012345678"), "+7 701 234 56 78");
        assert_eq!(display("+77253120003"), "+7 725 312 00 03");
        assert_eq!(display("112"), "112");
    }

    #[test]
    fn every_usual_way_of_writing_a_number_gives_one_form() {
        for typed in ["8 701 234 56 78", "+7 (701) 234-56-78", "87012345678", "7012345678", "77012345678"] {
            assert_eq!(normalize(typed), Ok("+77012345678".to_owned()), "{typed}");
        }
    }

    #[test]
    fn wrong_numbers_say_why() {
        assert_eq!(normalize("8 701 234 56"), Err(PhoneProblem::WrongLength(9)));
        assert_eq!(normalize("97012345678"), Err(PhoneProblem::WrongLength(11)));
        assert_eq!(normalize("8 701 234 56 7x"), Err(PhoneProblem::NotDigits));
        assert_eq!(normalize("+49 170 1234567"), Err(PhoneProblem::NotDigits));
        assert_eq!(search_digits("+7 (701) 234"), "7701234");
    }
}
