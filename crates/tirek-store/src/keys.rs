//! The keys that protect a profile (DESIGN.md §5).
//!
//! Each profile's database is encrypted with a random 32-byte key. That key is never
//! written down in plaintext: the key file holds it twice, sealed with XChaCha20-
//! Poly1305 — once under a key derived with Argon2id from the password (mixed with a
//! per-device secret from the OS keyring where one is reachable), once under the
//! recovery key printed at profile creation, which never involves the device secret
//! so that a profile moved to a new computer still opens with it.
//!
//! Every buffer holding key material is zeroised when dropped.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

/// A 32-byte secret that wipes itself when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// 32 bytes from the operating system's random source.
    pub fn random() -> Secret {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).expect("the operating system provides random bytes");
        Secret(bytes)
    }

    /// Wraps bytes that are already secret.
    pub fn from_bytes(bytes: [u8; 32]) -> Secret {
        Secret(Zeroizing::new(bytes))
    }

    /// The raw bytes.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as SQLCipher's raw-key literal, `x'…'`, in a buffer that wipes itself.
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        let mut literal = Zeroizing::new(String::with_capacity(67));
        literal.push_str("x'");
        for byte in self.0.iter() {
            literal.push(char::from_digit(u32::from(byte >> 4), 16).expect("a nibble"));
            literal.push(char::from_digit(u32::from(byte & 0xf), 16).expect("a nibble"));
        }
        literal.push('\'');
        literal
    }
}

/// Argon2id cost parameters, stored with each key file so they can be raised later
/// without locking anyone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl KdfParams {
    /// Above RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes) in
    /// memory, to land in the 0.3–1.0 s unlock budget: 96 MiB measured 0.35 s on the
    /// project's 2-core build machine (`cargo xtask bench store`), so roughly twice
    /// that on an older clinic laptop — once per unlock.
    pub const UNLOCK: KdfParams = KdfParams { memory_kib: 96 * 1024, iterations: 3, parallelism: 4 };

    /// Cheap parameters for tests, which derive keys hundreds of times.
    pub const FAST_FOR_TESTS: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };
}

/// Derives the key that seals the database key from a password, a salt and (where
/// the keyring has one) the device secret.
pub fn password_key(password: &str, salt: &[u8; 16], params: KdfParams, device: Option<&Secret>) -> Secret {
    let argon = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(params.memory_kib, params.iterations, params.parallelism, Some(32))
            .expect("Tirek's Argon2 parameters are within Argon2's limits"),
    );
    let mut stretched = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, stretched.as_mut())
        .expect("a 16-byte salt and a 32-byte output are always accepted");
    // HKDF mixes in the device secret; without one the info string still separates
    // this key from every other use of the same stretched password.
    let salt = device.map(|secret| secret.expose().as_slice());
    expand(salt, stretched.as_ref(), b"tirek password wrapping key v1")
}

/// Derives the key that seals the database key from the recovery key. The recovery
/// key is 256 random bits, so no stretching is needed.
pub fn recovery_wrapping_key(recovery: &Secret) -> Secret {
    expand(None, recovery.expose(), b"tirek recovery wrapping key v1")
}

fn expand(salt: Option<&[u8]>, input: &[u8], info: &[u8]) -> Secret {
    let mut out = [0u8; 32];
    Hkdf::<Sha256>::new(salt, input).expand(info, &mut out).expect("32 bytes is a valid HKDF length");
    let secret = Secret::from_bytes(out);
    out.zeroize();
    secret
}

/// A sealed secret: nonce and ciphertext (with its tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The 24-byte XChaCha20 nonce.
    pub nonce: [u8; 24],
    /// The encrypted secret and its 16-byte tag.
    pub ciphertext: Vec<u8>,
}

/// Seals `secret` under `key`, binding it to `context` (the profile and the purpose),
/// so a sealed key cannot be swapped between profiles or between its two slots.
pub fn seal(key: &Secret, secret: &Secret, context: &[u8]) -> Sealed {
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).expect("the operating system provides random bytes");
    let cipher = XChaCha20Poly1305::new(key.expose().into());
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: secret.expose(), aad: context })
        .expect("encrypting 32 bytes cannot fail");
    Sealed { nonce, ciphertext }
}

/// Opens a sealed secret; `None` when the key or the context is wrong (or the file
/// was tampered with) — AEAD cannot tell these apart, and need not.
pub fn open(key: &Secret, sealed: &Sealed, context: &[u8]) -> Option<Secret> {
    let cipher = XChaCha20Poly1305::new(key.expose().into());
    let plain = Zeroizing::new(
        cipher.decrypt(XNonce::from_slice(&sealed.nonce), Payload { msg: &sealed.ciphertext, aad: context }).ok()?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(Secret::from_bytes(bytes))
}

/// How a recovery key is written on the printed sheet: base32 in groups of four,
/// `ABCD-EFGH-…` (13 groups). Base32 has no 0, 1 or 8, so what looks like one is
/// read as O, I or B when typed back.
pub fn format_recovery_key(recovery: &Secret) -> String {
    let encoded = data_encoding::BASE32_NOPAD.encode(recovery.expose());
    encoded.as_bytes().chunks(4).map(|group| String::from_utf8_lossy(group).into_owned()).collect::<Vec<_>>().join("-")
}

/// Reads a recovery key as a person types it: any case, with or without dashes and
/// spaces. `None` when it cannot be a recovery key at all (wrong length or letters).
pub fn parse_recovery_key(typed: &str) -> Option<Secret> {
    let normalised: Zeroizing<String> = Zeroizing::new(
        typed
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\t' | '\n' | '\r'))
            .map(|c| match c.to_ascii_uppercase() {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                other => other,
            })
            .collect(),
    );
    let decoded = Zeroizing::new(data_encoding::BASE32_NOPAD.decode(normalised.as_bytes()).ok()?);
    let bytes: [u8; 32] = decoded.as_slice().try_into().ok()?;
    Some(Secret::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT: [u8; 16] = [7; 16];

    #[test]
    fn a_sealed_key_opens_only_with_the_same_key_and_context() {
        let (key, other_key, secret) = (Secret::random(), Secret::random(), Secret::random());
        let sealed = seal(&key, &secret, b"profile-a|password");
        assert_eq!(open(&key, &sealed, b"profile-a|password"), Some(secret));
        assert_eq!(open(&other_key, &sealed, b"profile-a|password"), None);
        assert_eq!(open(&key, &sealed, b"profile-b|password"), None, "bound to its profile and slot");
        let mut tampered = sealed.clone();
        tampered.ciphertext[0] ^= 1;
        assert_eq!(open(&key, &tampered, b"profile-a|password"), None);
    }

    #[test]
    fn the_password_key_depends_on_password_salt_and_device_secret() {
        let params = KdfParams::FAST_FOR_TESTS;
        let device = Secret::random();
        let base = password_key("correct horse", &SALT, params, Some(&device));
        assert_eq!(base, password_key("correct horse", &SALT, params, Some(&device)));
        assert_ne!(base, password_key("correct hors", &SALT, params, Some(&device)));
        assert_ne!(base, password_key("correct horse", &[8; 16], params, Some(&device)));
        assert_ne!(base, password_key("correct horse", &SALT, params, Some(&Secret::random())));
        assert_ne!(base, password_key("correct horse", &SALT, params, None));
    }

    #[test]
    fn recovery_keys_survive_being_printed_and_typed_back() {
        let recovery = Secret::random();
        let printed = format_recovery_key(&recovery);
        assert_eq!(printed.len(), 52 + 12, "13 groups of four with dashes: {printed}");
        assert_eq!(parse_recovery_key(&printed), Some(recovery.clone()));
        let typed = printed.to_lowercase().replace('-', " ").replace('o', "0").replace('i', "1").replace('b', "8");
        assert_eq!(parse_recovery_key(&typed), Some(recovery));
    }

    #[test]
    fn malformed_recovery_keys_are_refused() {
        for typed in ["", "ABCD", "not a key at all", &"A".repeat(53), &"A".repeat(60)] {
            assert!(parse_recovery_key(typed).is_none(), "{typed:?}");
        }
    }

    #[test]
    fn the_sqlcipher_literal_is_the_hex_key() {
        let secret = Secret::from_bytes([0xab; 32]);
        assert_eq!(*secret.sqlcipher_literal(), format!("x'{}'", "ab".repeat(32)));
    }
}
