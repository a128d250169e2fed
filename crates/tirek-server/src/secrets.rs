//! Device tokens and enrolment codes: made from the operating system's randomness,
//! handed out once, and stored only as SHA-256 hashes, so a copy of the database
//! lets no one sync as anyone.
//!
//! A device token is `<device id>.<secret>` — 256 random bits, base64url. The
//! server finds the device by the id and compares the secret's hash with the stored
//! one in constant time, so neither the lookup nor the comparison tells a guesser
//! how close she came. An enrolment code is ten characters of Crockford's base 32
//! (50 bits), shown as `XXXXX-XXXXX`: short enough to read out over the phone,
//! typed in any case, with `O`/`I`/`L` read as `0`/`1`/`1`; it expires and works once.

use data_encoding::BASE64URL_NOPAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{Result, ServerError};

/// Crockford's base-32 alphabet: no I, L, O or U.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in an enrolment code.
const CODE_CHARS: usize = 10;

/// `N` bytes from the operating system's randomness.
pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|err| ServerError::Io {
        what: "read the system's randomness".to_owned(),
        source: std::io::Error::other(err.to_string()),
    })?;
    Ok(bytes)
}

/// SHA-256 of `text`.
pub fn sha256(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// A new device token for `device_id`, and the hash of its secret to store.
pub fn new_token(device_id: &str) -> Result<(String, [u8; 32])> {
    let secret = BASE64URL_NOPAD.encode(&random::<32>()?);
    let hash = sha256(&secret);
    Ok((format!("{device_id}.{secret}"), hash))
}

/// Splits a presented token into the device id and the secret.
pub fn split_token(token: &str) -> Option<(&str, &str)> {
    token.rsplit_once('.').filter(|(device, secret)| !device.is_empty() && !secret.is_empty())
}

/// Whether `secret` hashes to `stored`, compared in constant time.
pub fn secret_matches(secret: &str, stored: &[u8]) -> bool {
    bool::from(sha256(secret).as_slice().ct_eq(stored))
}

/// A new enrolment code, as shown to the administrator (`K7QM4-XPA2D`).
pub fn new_code() -> Result<String> {
    let bytes = random::<CODE_CHARS>()?;
    let chars: String = bytes.iter().map(|byte| CROCKFORD[usize::from(byte & 31)] as char).collect();
    Ok(format!("{}-{}", &chars[..5], &chars[5..]))
}

/// A typed code in its one canonical form: capitals, no dashes or spaces, the
/// look-alike letters read as digits. `None` if it cannot be a code at all.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    (code.len() == CODE_CHARS && code.bytes().all(|b| CROCKFORD.contains(&b))).then_some(code)
}

/// The hash stored for a code, from its canonical form.
pub fn code_hash(canonical: &str) -> [u8; 32] {
    sha256(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_unique_and_checked_by_hash() {
        let (token, hash) = new_token("dev-1").expect("token");
        let (again, _) = new_token("dev-1").expect("token");
        assert_ne!(token, again);
        let (device, secret) = split_token(&token).expect("splits");
        assert_eq!(device, "dev-1");
        assert_eq!(secret.len(), 43, "256 bits in base64url");
        assert!(secret_matches(secret, &hash));
        assert!(!secret_matches("guess", &hash));
        assert!(!secret_matches(secret, &hash[..31]), "a short hash never matches");
        assert_eq!(split_token("a.b.c"), Some(("a.b", "c")));
        for bad in ["", "nodot", ".secret", "device."] {
            assert_eq!(split_token(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn codes_are_typeable_and_read_back_however_typed() {
        let code = new_code().expect("code");
        assert_eq!(code.len(), 11);
        assert_eq!(code.as_bytes()[5], b'-');
        let canonical = normalise_code(&code).expect("its own form reads back");
        assert_eq!(normalise_code(&code.to_lowercase()), Some(canonical.clone()));
        assert_eq!(normalise_code(&canonical), Some(canonical));
        assert_eq!(normalise_code("ko7qm 4xpa2"), Some("K07QM4XPA2".to_owned()));
        assert_eq!(normalise_code("il0o0-00000"), Some("1100000000".to_owned()));
        for bad in ["", "K7QM4", "K7QM4-XPA2D-1", "K7QM4-XPA2Ü", "K7QM4-XPA2U"] {
            assert_eq!(normalise_code(bad), None, "{bad:?}");
        }
    }
}
