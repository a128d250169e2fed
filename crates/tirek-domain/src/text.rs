//! Text as people type and paste it: cleaning a field before it is stored, folding
//! names for search, and the sort key that puts Kazakh and Russian names in
//! alphabetical order.
//!
//! Search folds both sides — the stored name and what is typed — onto one skeleton,
//! so that every reasonable spelling of a name meets every other: Russian and Kazakh
//! Cyrillic, the Kazakh Latin alphabet of 2021 (ä ğ ı i̇ ñ ö ş ū ü) and its apostrophe
//! forms (a' g' s' c'), and the usual passport and English transliterations (zh or j
//! for ж, kh or h for х and һ, sh, ch, ts, ya or ia, y or i). "Gulnur" finds
//! "Гүлнұр", "ömir" finds "Өмір", "Алия" finds "Aliya", "әли" and "али" typed on a
//! Russian keyboard both find "Әлия". The skeleton is Russian Cyrillic without the
//! letters two scripts spell differently: Kazakh letters become their Russian
//! look-alikes (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ ү→у, һ→х); и й і ы and Latin i y are one
//! letter; ё and э are е; ц is тс, щ is шч, я is иа, ю is иу; ъ and ь vanish; and a
//! doubled letter counts once (Ассель, Asel, Kassym, Қасым). The price is a few more
//! matches for a short query — "анна" also finds "Жанар" — which a second word
//! narrows; search is for finding a client, and a miss costs more than an extra row.
//! Vowels stay apart, so "али" finds no "Олжас". Digits and punctuation are kept, so
//! an IIN or a phone number is found as typed.
//!
//! Sorting follows the Kazakh Cyrillic alphabet, which holds the Russian one in the
//! same order (А Ә Б … Ғ … Қ … Ң О Ө … У Ұ Ү … Һ … Ы І Ь Э Ю Я), after Latin;
//! code-point order would put every Kazakh letter after Я.

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

/// `text` folded for search onto the skeleton the module describes: what is typed
/// is found in a name when `fold(name).contains(&fold(typed))`, word by word.
/// Folding twice changes nothing.
pub fn fold(text: &str) -> String {
    let letters = normalize(text);
    let mut skeleton = String::with_capacity(text.len());
    let mut rest = letters.as_slice();
    while let [first, after @ ..] = rest {
        let (sound, used) = match (*first, after.first().copied()) {
            // Spellings of one sound in two Latin letters (an apostrophe counts as one).
            ('z', Some('h')) => (Some("ж"), 2),
            ('k', Some('h')) => (Some("х"), 2),
            ('g', Some('h')) => (Some("г"), 2),
            ('s', Some('h' | '\'')) => (Some("ш"), 2),
            ('c', Some('h' | '\'')) => (Some("ч"), 2),
            // Yerlan, Aliyeva, Alyona: the glide that Cyrillic е and ё carry.
            ('y', Some('e' | 'o')) => (Some("е"), 2),
            // The apostrophe alphabet of 2017 wrote у as y'.
            ('y', Some('\'')) => (Some("у"), 2),
            (letter, _) => (sound_of(letter), 1),
        };
        match sound {
            Some(sound) => {
                for letter in sound.chars() {
                    // A doubled letter counts once.
                    if !skeleton.ends_with(letter) {
                        skeleton.push(letter);
                    }
                }
            }
            None => skeleton.push(*first),
        }
        rest = &rest[used..];
    }
    skeleton
}

/// `text` in lower case with its accents settled: a combining mark is dropped (the
/// dot of Kazakh İ, an umlaut typed as two characters), except the cedilla or caron
/// that makes s, c and z into ş, ç and ž; every kind of apostrophe becomes `'`.
fn normalize(text: &str) -> Vec<char> {
    let mut letters: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            '\u{0300}'..='\u{036F}' => {
                let with_mark = match (letters.last(), c) {
                    (Some('s'), '\u{0327}' | '\u{0326}' | '\u{030C}') => Some('ş'),
                    (Some('c'), '\u{0327}' | '\u{030C}') => Some('ç'),
                    (Some('z'), '\u{030C}') => Some('ž'),
                    _ => None,
                };
                if let (Some(letter), Some(last)) = (with_mark, letters.last_mut()) {
                    *last = letter;
                }
            }
            '’' | 'ʼ' | '‘' | 'ʻ' | '`' | '´' => letters.push('\''),
            other => letters.push(other),
        }
    }
    letters
}

/// The skeleton of one letter (Cyrillic or Latin); `None` keeps the character as it
/// is (digits, spaces, punctuation, other scripts).
fn sound_of(letter: char) -> Option<&'static str> {
    Some(match letter {
        'а' | 'ә' | 'a' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ə' | 'æ' => "а",
        'б' | 'b' => "б",
        'в' | 'v' | 'w' => "в",
        'г' | 'ғ' | 'g' | 'ğ' | 'ǵ' | 'ģ' | 'ĝ' | 'ǧ' => "г",
        'д' | 'd' | 'ď' | 'đ' => "д",
        'е' | 'ё' | 'э' | 'є' | 'e' | 'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "е",
        'ж' | 'j' | 'ž' => "ж",
        'з' | 'z' | 'ź' | 'ż' => "з",
        'и' | 'й' | 'і' | 'ы' | 'ї' | 'i' | 'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'y' | 'ÿ' => "и",
        'к' | 'қ' | 'k' | 'q' | 'c' | 'ķ' => "к",
        'л' | 'l' | 'ł' | 'ļ' | 'ľ' => "л",
        'м' | 'm' => "м",
        'н' | 'ң' | 'n' | 'ñ' | 'ń' | 'ň' | 'ņ' | 'ŋ' => "н",
        'о' | 'ө' | 'o' | 'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ő' | 'ø' => "о",
        'п' | 'p' => "п",
        'р' | 'r' | 'ř' => "р",
        'с' | 's' => "с",
        'т' | 't' | 'ţ' | 'ț' | 'ť' => "т",
        // ý is у in the Kazakh Latin alphabet of 2018.
        'у' | 'ұ' | 'ү' | 'ў' | 'u' | 'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' | 'ý' => "у",
        'ф' | 'f' => "ф",
        'х' | 'һ' | 'h' | 'ħ' => "х",
        'ц' => "тс",
        'ч' | 'ç' | 'č' | 'ć' => "ч",
        'ш' | 'ş' | 'ș' | 'š' | 'ś' => "ш",
        'щ' => "шч",
        'ъ' | 'ь' | '\'' => "",
        'ю' => "иу",
        'я' => "иа",
        'x' => "кс",
        'ß' => "с",
        _ => return None,
    })
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

    /// Whether `typed` finds `name`, as the caseload search decides it.
    fn found(typed: &str, name: &str) -> bool {
        fold(name).contains(&fold(typed))
    }

    #[test]
    fn search_folds_case_and_kazakh_letters_both_ways() {
        assert!(found("әли", "Әлия"));
        assert!(found("ӘЛИ", "әлия"));
        assert!(found("али", "Әлия"));
        assert!(found("ALIYA", "Aliya"));
        assert!(found("нұр", "НҰРЛАНОВА"));
        assert!(found("семен", "Семёнова"));
        assert!(found("ғали", "Ерғали"));
        assert!(!found("бек", "Әлия"));
        assert_eq!(fold("ӘҒҚҢӨҰҮҺІ"), "агкноухи");
    }

    #[test]
    fn a_name_is_found_in_any_script_and_any_usual_spelling() {
        // (typed, stored): each must find the other.
        let meet = [
            ("Gulnur", "Гүлнұр"),
            ("gülnūr", "Гүлнұр"),
            ("ömir", "Өмір"),
            ("omir", "Өмір"),
            ("Aigul", "Айгүл"),
            ("Aygul", "Айгүл"),
            ("Aigül", "Айгүл"),
            ("Zhanar", "Жанар"),
            ("Janar", "Жанар"),
            ("Khamit", "Хамит"),
            ("Hamit", "Хамит"),
            ("Shyntas", "Шынтас"),
            ("Şyntas", "Шынтас"),
            ("S'yntas", "Шынтас"),
            ("Алия", "Aliya"),
            ("Алия", "Alia"),
            ("Nurlanqyzy", "Нұрланқызы"),
            ("nurlankyzy", "Нұрланқызы"),
            ("Yerlan", "Ерлан"),
            ("Erlan", "Ерлан"),
            ("Aliyeva", "Алиева"),
            ("Chingiz", "Чингиз"),
            ("Tsoi", "Цой"),
            ("Tsoy", "Цой"),
            ("Shchukina", "Щукина"),
            ("Yuliya", "Юлия"),
            ("Iuliia", "Юлия"),
            ("Mariya", "Мария"),
            ("Maria", "Мария"),
            ("Dmitry", "Дмитрий"),
            ("Dmitriy", "Дмитрий"),
            ("Olga", "Ольга"),
            ("Ol'ga", "Ольга"),
            ("Alyona", "Алёна"),
            ("Alena", "Алёна"),
            ("Kassym", "Қасым"),
            ("Qasym", "Қасым"),
            ("Assel", "Әсел"),
            ("Asel", "Ассель"),
            ("Äsel", "Әсел"),
            ("Ghalym", "Ғалым"),
            ("Ğalym", "Ғалым"),
            ("Mukhtar", "Мұхтар"),
            ("Muhtar", "Мұхтар"),
            ("Dzhamilya", "Джамиля"),
            ("İnkär", "Іңкәр"),
            ("Inkar", "Іңкәр"),
            ("Ыбырай", "Ybyrai"),
            ("Alexandr", "Александр"),
            ("Aleksandr", "Alexandr"),
            ("Saule", "Сәуле"),
            ("Ñurlan", "Нұрлан"),
            ("N'urlan", "Нұрлан"),
            ("öмір", "Өмір"),
        ];
        for (typed, stored) in meet {
            assert!(found(typed, stored), "{typed:?} does not find {stored:?}: {} in {}", fold(typed), fold(stored));
            assert!(found(stored, typed), "{stored:?} does not find {typed:?}: {} in {}", fold(stored), fold(typed));
        }
        // Part of a name, typed in the other script.
        assert!(found("Jamilya", "Джамиля"));
        assert!(found("gulnur", "Гүлнұр Өмірбекова"));
        assert!(found("omirbek", "Гүлнұр Өмірбекова"));
        assert!(found("Ömir", "Гүлнұр Өмірбекова"));
        assert!(found("nurlan", "Әлия Нұрланқызы"));
        // Kazakh İ typed as i and a combining dot, an umlaut typed as u and a combining
        // diaeresis, ş typed as s and a combining cedilla.
        assert!(found("i\u{307}nkär", "Іңкәр"));
        assert!(found("gu\u{308}lnur", "Гүлнұр"));
        assert!(found("s\u{327}yntas", "Шынтас"));
    }

    #[test]
    fn a_short_query_still_tells_names_apart() {
        for (typed, stored) in [
            ("Али", "Олжас"),
            ("Али", "Ерлан"),
            ("Али", "Бекова"),
            ("Aliya", "Әлима"),
            ("Гүл", "Гаухар"),
            ("Zhanar", "Sanar"),
            ("Khamit", "Kamit"),
            ("ömir", "Амир"),
            ("Shyntas", "Сынтас"),
            ("Асель", "Асан"),
        ] {
            assert!(!found(typed, stored), "{typed:?} should not find {stored:?}: {} in {}", fold(typed), fold(stored));
        }
    }

    #[test]
    fn digits_and_punctuation_are_kept_for_iin_and_phone() {
        assert_eq!(fold("870412300111"), "870412300111", "no doubled digit is dropped");
        assert_eq!(fold("77012345678 87012345678"), "77012345678 87012345678");
        assert!(found("8704113", "Ким | 870411300111"));
        assert!(!found("8704130", "870411300111"), "a doubled digit is not one digit");
        assert_eq!(fold("Әлия  Нұр | 100%"), "алиа  нур | 100%", "spaces kept: the search splits words on them");
    }

    #[test]
    fn folding_twice_changes_nothing() {
        for text in ["Гүлнұр Өмірбекова", "Aliya Nurlanovna", "Щукина Цой Юлия", "Şyntas S'yntas", "870412300111"]
        {
            assert_eq!(fold(&fold(text)), fold(text), "{text}");
        }
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
