//! What makes a profile name and a password acceptable. A psychologist types them
//! once and must remember the password for years, so the rule is about length — the
//! one thing that reliably makes a password hard to guess — plus a refusal of the
//! passwords everyone tries first.

/// Why a password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakPassword {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    TooShort,
    /// One character repeated, a keyboard row or another password attackers try first.
    TooCommon,
    /// Contains the profile's name.
    ContainsName,
}

/// Why a profile name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadProfileName {
    /// Empty or only spaces.
    Empty,
    /// Longer than [`MAX_NAME_CHARS`].
    TooLong,
    /// Contains a control character (often pasted by accident).
    ControlCharacter,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest profile name accepted.
pub const MAX_NAME_CHARS: usize = 100;

const COMMON: &[&str] = &[
    "1234567890",
    "0987654321",
    "12345678910",
    "qwertyuiop",
    "йцукенгшщз",
    "password123",
    "parol12345",
    "пароль1234",
    "asdfghjkl;",
    "1q2w3e4r5t",
    "qwerty12345",
];

/// Checks a new profile's name; returns it trimmed.
pub fn check_profile_name(name: &str) -> Result<&str, BadProfileName> {
    let name = name.trim();
    if name.is_empty() {
        return Err(BadProfileName::Empty);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(BadProfileName::TooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(BadProfileName::ControlCharacter);
    }
    Ok(name)
}

/// Checks a new password for the profile called `name`.
pub fn check_password(password: &str, name: &str) -> Result<(), WeakPassword> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(WeakPassword::TooShort);
    }
    let lower = password.to_lowercase();
    let mut chars = lower.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) || COMMON.iter().any(|common| lower.starts_with(common)) {
        return Err(WeakPassword::TooCommon);
    }
    let name = name.trim().to_lowercase();
    if name.chars().count() >= 3
        && name.split_whitespace().any(|part| part.chars().count() >= 3 && lower.contains(part))
    {
        return Err(WeakPassword::ContainsName);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_judged_by_length_and_guessability() {
        let cases = [
            ("", Err(WeakPassword::TooShort)),
            ("short pw", Err(WeakPassword::TooShort)),
            ("123456789", Err(WeakPassword::TooShort)),
            ("aaaaaaaaaaaa", Err(WeakPassword::TooCommon)),
            ("1234567890", Err(WeakPassword::TooCommon)),
            ("QWERTYUIOP!", Err(WeakPassword::TooCommon)),
            ("Йцукенгшщзх", Err(WeakPassword::TooCommon)),
            ("aigul-2026-spring", Err(WeakPassword::ContainsName)),
            ("тау бұлақ өзен", Ok(())),
            ("горы и реки 2026", Ok(())),
            ("correct horse battery", Ok(())),
        ];
        for (password, expected) in cases {
            assert_eq!(check_password(password, "Aigul Sarsenova"), expected, "{password:?}");
        }
    }

    #[test]
    fn kazakh_letters_count_as_one_character_each() {
        assert_eq!(check_password("әғқңөұүһі", "x"), Err(WeakPassword::TooShort), "9 letters, 18 bytes");
        assert_eq!(check_password("әғқңөұүһіә", "x"), Ok(()));
    }

    #[test]
    fn profile_names_are_trimmed_and_checked() {
        assert_eq!(check_profile_name("  Әлия Нұрланқызы "), Ok("Әлия Нұрланқызы"));
        assert_eq!(check_profile_name("   "), Err(BadProfileName::Empty));
        assert_eq!(check_profile_name(&"ә".repeat(101)), Err(BadProfileName::TooLong));
        assert_eq!(check_profile_name("Aigul\u{7}"), Err(BadProfileName::ControlCharacter));
    }
}
