//! The key file beside each profile's database: the profile's name, the Argon2id
//! parameters and salt, and the database key sealed twice (password slot, recovery
//! slot). It holds nothing readable that matters: without the password (and the
//! device secret, where used) or the recovery key it opens nothing.

use std::path::Path;

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};

use crate::keys::{KdfParams, Sealed};
use crate::{Result, StoreError, atomic};

/// The format written today; a file with a higher number comes from a newer Tirek.
const FORMAT: u32 = 1;

/// A profile's key file, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFile {
    /// The profile's id (also its folder's name).
    pub profile_id: String,
    /// The name shown in the profile picker (the psychologist's, not a client's).
    pub name: String,
    /// When the profile was created, in seconds since 1970 (UTC).
    pub created_at: i64,
    /// Argon2id cost.
    pub kdf: KdfParams,
    /// Argon2id salt.
    pub salt: [u8; 16],
    /// The database key sealed under the password-derived key.
    pub password_slot: Sealed,
    /// Whether the password slot also needs this computer's device secret.
    pub device_bound: bool,
    /// The database key sealed under the recovery key.
    pub recovery_slot: Sealed,
}

#[derive(Serialize, Deserialize)]
struct KeyFileJson {
    format: u32,
    profile_id: String,
    name: String,
    created_at: i64,
    kdf: KdfJson,
    password_slot: SlotJson,
    device_bound: bool,
    recovery_slot: SlotJson,
}

#[derive(Serialize, Deserialize)]
struct KdfJson {
    algorithm: String,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct SlotJson {
    nonce: String,
    ciphertext: String,
}

impl SlotJson {
    fn from(sealed: &Sealed) -> SlotJson {
        SlotJson { nonce: BASE64.encode(&sealed.nonce), ciphertext: BASE64.encode(&sealed.ciphertext) }
    }

    fn into_sealed(self) -> Option<Sealed> {
        let nonce = BASE64.decode(self.nonce.as_bytes()).ok()?.try_into().ok()?;
        let ciphertext = BASE64.decode(self.ciphertext.as_bytes()).ok()?;
        (ciphertext.len() == 48).then_some(Sealed { nonce, ciphertext })
    }
}

impl KeyFile {
    /// Reads and checks a key file.
    pub fn read(path: &Path) -> Result<KeyFile> {
        let bytes = std::fs::read(path).map_err(|source| StoreError::io(path, source))?;
        KeyFile::parse(&bytes, path)
    }

    /// Parses a key file's bytes; `path` names where they came from in errors.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<KeyFile> {
        let damaged = || StoreError::KeyFileDamaged { path: path.to_owned() };
        let json: KeyFileJson = serde_json::from_slice(bytes).map_err(|_| damaged())?;
        if json.format > FORMAT {
            return Err(StoreError::NewerFormat { path: path.to_owned() });
        }
        if json.kdf.algorithm != "argon2id" {
            return Err(damaged());
        }
        let salt =
            BASE64.decode(json.kdf.salt.as_bytes()).ok().and_then(|salt| salt.try_into().ok()).ok_or_else(damaged)?;
        Ok(KeyFile {
            profile_id: json.profile_id,
            name: json.name,
            created_at: json.created_at,
            kdf: KdfParams {
                memory_kib: json.kdf.memory_kib,
                iterations: json.kdf.iterations,
                parallelism: json.kdf.parallelism,
            },
            salt,
            password_slot: json.password_slot.into_sealed().ok_or_else(damaged)?,
            device_bound: json.device_bound,
            recovery_slot: json.recovery_slot.into_sealed().ok_or_else(damaged)?,
        })
    }

    /// Writes the key file atomically: a crash leaves the old one or the new one.
    pub fn write(&self, path: &Path) -> Result<()> {
        atomic::write(path, &self.to_bytes()).map_err(|source| StoreError::io(path, source))
    }

    /// The key file as it is written to disk.
    pub fn to_bytes(&self) -> Vec<u8> {
        let json = KeyFileJson {
            format: FORMAT,
            profile_id: self.profile_id.clone(),
            name: self.name.clone(),
            created_at: self.created_at,
            kdf: KdfJson {
                algorithm: "argon2id".to_owned(),
                memory_kib: self.kdf.memory_kib,
                iterations: self.kdf.iterations,
                parallelism: self.kdf.parallelism,
                salt: BASE64.encode(&self.salt),
            },
            password_slot: SlotJson::from(&self.password_slot),
            device_bound: self.device_bound,
            recovery_slot: SlotJson::from(&self.recovery_slot),
        };
        let mut bytes = serde_json::to_vec_pretty(&json).expect("strings and numbers always serialise");
        bytes.push(b'\n');
        bytes
    }

    /// What a sealed slot is bound to, so slots cannot be swapped between profiles
    /// or between the password and the recovery slot.
    pub fn context(&self, slot: &str) -> Vec<u8> {
        format!("tirek key v1|{}|{slot}", self.profile_id).into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Secret, seal};

    fn sample() -> KeyFile {
        let key = Secret::random();
        KeyFile {
            profile_id: "0193a0b0-0000-7000-8000-000000000001".to_owned(),
            name: "Айгүл Сәрсенова".to_owned(),
            created_at: 1_764_000_000,
            kdf: KdfParams::UNLOCK,
            salt: [3; 16],
            password_slot: seal(&key, &Secret::random(), b"p"),
            device_bound: true,
            recovery_slot: seal(&key, &Secret::random(), b"r"),
        }
    }

    #[test]
    fn a_key_file_reads_back_as_written() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("keys.json");
        let key_file = sample();
        key_file.write(&path).unwrap();
        assert_eq!(KeyFile::read(&path).unwrap(), key_file);
    }

    #[test]
    fn damaged_or_newer_key_files_are_refused_with_their_reason() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("keys.json");
        sample().write(&path).unwrap();
        let good = std::fs::read_to_string(&path).unwrap();

        std::fs::write(&path, &good[..good.len() / 2]).unwrap();
        assert!(matches!(KeyFile::read(&path), Err(StoreError::KeyFileDamaged { .. })));

        std::fs::write(&path, good.replace("\"format\": 1", "\"format\": 2")).unwrap();
        assert!(matches!(KeyFile::read(&path), Err(StoreError::NewerFormat { .. })));

        std::fs::write(&path, good.replace("argon2id", "md5")).unwrap();
        assert!(matches!(KeyFile::read(&path), Err(StoreError::KeyFileDamaged { .. })));
    }
}
