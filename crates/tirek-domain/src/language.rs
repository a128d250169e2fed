//! The three languages Tirek speaks — to the psychologist in the window and to a
//! parent or an agency on paper. The letter language is chosen independently of the
//! interface language, so both use this one type.

use std::fmt;
use std::str::FromStr;

/// A language of the interface, a questionnaire or a printed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// Kazakh (қазақ тілі), written in Cyrillic.
    Kazakh,
    /// Russian (русский язык).
    Russian,
    /// English.
    English,
}

impl Language {
    /// Every supported language, in the order the language switch shows them.
    pub const ALL: [Language; 3] = [Language::Kazakh, Language::Russian, Language::English];

    /// The BCP 47 code used in file names (`locales/kk/`) and settings.
    pub fn code(self) -> &'static str {
        match self {
            Language::Kazakh => "kk",
            Language::Russian => "ru",
            Language::English => "en",
        }
    }

    /// The language's own name for itself, as a language switch shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Language::Kazakh => "Қазақша",
            Language::Russian => "Русский",
            Language::English => "English",
        }
    }

    /// Picks the language out of a POSIX locale such as `ru_RU.UTF-8` or `kk_KZ`,
    /// as found in `LANG`. Anything unknown yields `None`.
    pub fn from_posix_locale(locale: &str) -> Option<Language> {
        let code = locale.split(['_', '.', '@', '-']).next()?;
        code.to_ascii_lowercase().parse().ok()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language code Tirek does not speak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage(pub String);

impl fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown language {:?}: expected kk, ru or en", self.0)
    }
}

impl std::error::Error for UnknownLanguage {}

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(code: &str) -> Result<Language, UnknownLanguage> {
        match code {
            "kk" => Ok(Language::Kazakh),
            "ru" => Ok(Language::Russian),
            "en" => Ok(Language::English),
            other => Err(UnknownLanguage(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for language in Language::ALL {
            assert_eq!(language.code().parse::<Language>(), Ok(language));
        }
    }

    #[test]
    fn unknown_code_is_refused_with_the_code_in_the_message() {
        let err = "de".parse::<Language>().unwrap_err();
        assert_eq!(err.to_string(), r#"unknown language "de": expected kk, ru or en"#);
    }

    #[test]
    fn posix_locales_are_understood() {
        let cases = [
            ("ru_RU.UTF-8", Some(Language::Russian)),
            ("kk_KZ", Some(Language::Kazakh)),
            ("en_US.UTF-8", Some(Language::English)),
            ("EN", Some(Language::English)),
            ("C", None),
            ("de_DE.UTF-8", None),
            ("", None),
        ];
        for (locale, expected) in cases {
            assert_eq!(Language::from_posix_locale(locale), expected, "{locale}");
        }
    }
}
