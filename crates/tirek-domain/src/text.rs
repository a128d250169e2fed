//! Text as people type and paste it: cleaning a field before it is stored, folding
//! names for search, and the sort key that puts Kazakh and Russian names in
//! alphabetical order.
//!
//! Search folds case and the Kazakh letters onto their Russian look-alikes on both
//! sides, so "әли" finds "Әлия", "али" typed on a Russian keyboard finds it too, and
//! "ALIYA" finds "Aliya". Sorting follows the Kazakh Cyrillic alphabet, which holds
//! the Russian one in the same order (А Ә Б … Ғ … Қ … Ң О Ө … У Ұ Ү … Һ … Ы І Ь Э Ю Я),
//! after Latin; code-point order would put every Kazakh letter after Я.

/// Why a typed text field cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Required and empty.
    Empty,
    /// Longer than allowed (the limit in characters).
    TooLong(usize),
    /// Holds invisible control characters (pasted from somewhere).
    ControlCharacters,
}

/// A one-line field (a name, an address): surrounding spaces trimmed, inner runs of
/// spaces collapsed; control characters, line breaks included, refused.
pub fn clean_line(typed: &str, max_chars: usize) -> Result<String, TextProblem> {
    if typed.chars().any(char::is_control) {
        return Err(TextProblem::ControlCharacters);
    }
    let cleaned = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    check_length(cleaned, max_chars)
}

/// A free-text field (notes): line breaks and tabs kept, other control characters
/// refused, trailing spaces trimmed.
pub fn clean_text(typed: &str, max_chars: usize) -> Result<String, TextProblem> {
    if typed.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(TextProblem::ControlCharacters);
    }
    let cleaned = typed.replace("\r\n", "\n").replace('\r', "\n");
    check_length(cleaned.trim_end().to_owned(), max_chars)
}

fn check_length(cleaned: String, max_chars: usize) -> Result<String, TextProblem> {
    if cleaned.chars().count() > max_chars { Err(TextProblem::TooLong(max_chars)) } else { Ok(cleaned) }
}

/// Like [`clean_line`], but an empty field is a problem.
pub fn required_line(typed: &str, max_chars: usize) -> Result<String, TextProblem> {
    let cleaned = clean_line(typed, max_chars)?;
    if cleaned.is_empty() { Err(TextProblem::Empty) } else { Ok(cleaned) }
}

/// `text` folded for search: lower case, ё as е, and each Kazakh letter as its
/// Russian look-alike.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ә' => 'а',
            'ғ' => 'г',
            'қ' => 'к',
            'ң' => 'н',
            'ө' => 'о',
            'ұ' | 'ү' => 'у',
            'һ' => 'х',
            'і' => 'и',
            'ё' => 'е',
            other => other,
        })
        .collect()
}

/// The Kazakh Cyrillic alphabet in order; the Russian alphabet is a subsequence.
const CYRILLIC_ORDER: &str = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";

/// A key whose byte order is the alphabetical order of `text`, ignoring case:
/// digits, then Latin, then Cyrillic in the Kazakh alphabet's order. Other
/// characters keep their relative code-point order, before all letters.
pub fn sort_key(text: &str) -> String {
    const BASE: u32 = 0xF_0000;
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            let rank = if c.is_ascii_digit() {
                Some(c as u32 - '0' as u32)
            } else if c.is_ascii_lowercase() {
                Some(10 + c as u32 - 'a' as u32)
            } else {
                CYRILLIC_ORDER.chars().position(|letter| letter == c).map(|index| 40 + index as u32)
            };
            rank.and_then(|rank| char::from_u32(BASE + rank)).unwrap_or(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_and_control_characters_refused() {
        assert_eq!(clean_line("  Әлия   Нұрланқызы ", 50), Ok("Әлия Нұрланқызы".to_owned()));
        assert_eq!(clean_line("Али\u{7}я", 50), Err(TextProblem::ControlCharacters));
        assert_eq!(clean_line("Алия\nБекова", 50), Err(TextProblem::ControlCharacters));
        assert_eq!(clean_line(&"ә".repeat(301), 300), Err(TextProblem::TooLong(300)));
        assert_eq!(clean_line(&"ә".repeat(300), 300).map(|s| s.chars().count()), Ok(300));
        assert_eq!(required_line("   ", 10), Err(TextProblem::Empty));
        assert_eq!(clean_text("first\r\nsecond\tthird  \n", 100), Ok("first\nsecond\tthird".to_owned()));
        assert_eq!(clean_text("bell\u{7}", 100), Err(TextProblem::ControlCharacters));
    }

    #[test]
    fn search_folds_case_and_kazakh_letters_both_ways() {
        let found = |typed: &str, name: &str| fold(name).contains(&fold(typed));
        assert!(found("әли", "Әлия"));
        assert!(found("ӘЛИ", "әлия"));
        assert!(found("али", "Әлия"));
        assert!(found("ALIYA", "Aliya"));
        assert!(found("нұр", "НҰРЛАНОВА"));
        assert!(found("семен", "Семёнова"));
        assert!(found("ғали", "Ерғали"));
        assert!(!found("бек", "Әлия"));
        assert_eq!(fold("ӘҒҚҢӨҰҮҺІ"), "агкноуухи");
    }

    #[test]
    fn names_sort_in_the_kazakh_alphabet_order() {
        let mut names =
            vec!["Ясин", "Әлия", "Абай", "Ұлан", "Үміт", "Іңкәр", "Ыбырай", "Өмір", "Олжас", "Aliya", "Бек"];
        names.sort_by_key(|name| sort_key(name));
        assert_eq!(names, ["Aliya", "Абай", "Әлия", "Бек", "Олжас", "Өмір", "Ұлан", "Үміт", "Ыбырай", "Іңкәр", "Ясин"]);
        assert_eq!(sort_key("ӘЛИЯ"), sort_key("әлия"));
        assert!(sort_key("Ким Анна") < sort_key("Кима"));
    }
}
