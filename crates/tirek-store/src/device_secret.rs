//! The per-device secret kept in the operating system's keyring (Credential Manager,
//! Keychain, Secret Service) and mixed into the password slot, so that a key file
//! copied to another computer is useless even with the password.
//!
//! Where no keyring is reachable, Tirek says so once and protects the profile with
//! the password alone; the recovery slot never uses the device secret.

use crate::keys::Secret;

/// The keyring service name under which Tirek keeps its device secrets.
const SERVICE: &str = "kz.tirek.desktop";

/// Why the keyring could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringUnavailable(pub String);

/// Where device secrets are kept.
pub trait DeviceSecrets: Send + Sync + std::fmt::Debug {
    /// The profile's device secret; `Ok(None)` when this computer has none for it.
    fn get(&self, profile_id: &str) -> Result<Option<Secret>, KeyringUnavailable>;
    /// Stores `secret` as the profile's device secret.
    fn put(&self, profile_id: &str, secret: &Secret) -> Result<(), KeyringUnavailable>;
    /// Forgets the profile's device secret (when the profile is deleted).
    fn delete(&self, profile_id: &str) -> Result<(), KeyringUnavailable>;
}

/// The operating system's keyring.
#[derive(Debug, Default)]
pub struct OsKeyring;

fn entry(profile_id: &str) -> Result<keyring::Entry, KeyringUnavailable> {
    keyring::Entry::new(SERVICE, profile_id).map_err(|err| KeyringUnavailable(err.to_string()))
}

impl DeviceSecrets for OsKeyring {
    fn get(&self, profile_id: &str) -> Result<Option<Secret>, KeyringUnavailable> {
        match entry(profile_id)?.get_secret() {
            Ok(bytes) => Ok(bytes.try_into().ok().map(Secret::from_bytes)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(KeyringUnavailable(err.to_string())),
        }
    }

    fn put(&self, profile_id: &str, secret: &Secret) -> Result<(), KeyringUnavailable> {
        entry(profile_id)?.set_secret(secret.expose()).map_err(|err| KeyringUnavailable(err.to_string()))
    }

    fn delete(&self, profile_id: &str) -> Result<(), KeyringUnavailable> {
        match entry(profile_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(KeyringUnavailable(err.to_string())),
        }
    }
}

/// No keyring at all: the profile is protected by its password alone.
#[derive(Debug, Default)]
pub struct NoKeyring;

impl DeviceSecrets for NoKeyring {
    fn get(&self, _: &str) -> Result<Option<Secret>, KeyringUnavailable> {
        Err(KeyringUnavailable("no keyring on this computer".to_owned()))
    }

    fn put(&self, _: &str, _: &Secret) -> Result<(), KeyringUnavailable> {
        Err(KeyringUnavailable("no keyring on this computer".to_owned()))
    }

    fn delete(&self, _: &str) -> Result<(), KeyringUnavailable> {
        Ok(())
    }
}

/// A keyring in memory, for tests of the layers above (the real one is tested
/// against gnome-keyring in `tests/keyring.rs`).
#[derive(Debug, Default)]
pub struct MemoryKeyring(std::sync::Mutex<std::collections::HashMap<String, Secret>>);

impl DeviceSecrets for MemoryKeyring {
    fn get(&self, profile_id: &str) -> Result<Option<Secret>, KeyringUnavailable> {
        Ok(self.0.lock().unwrap_or_else(|e| e.into_inner()).get(profile_id).cloned())
    }

    fn put(&self, profile_id: &str, secret: &Secret) -> Result<(), KeyringUnavailable> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(profile_id.to_owned(), secret.clone());
        Ok(())
    }

    fn delete(&self, profile_id: &str) -> Result<(), KeyringUnavailable> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(profile_id);
        Ok(())
    }
}
