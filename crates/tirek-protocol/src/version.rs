//! The protocol version: one number, raised when a request or response changes in a
//! way an older peer would misread. The server states the range it accepts so that
//! an app too old or too new can tell the psychologist to update, in words.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{ProtocolError, Result};

/// The version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The versions a server built from this crate accepts.
pub const SUPPORTED: VersionRange = VersionRange { min: 1, max: PROTOCOL_VERSION };

/// The HTTP header every request carries: the version the client speaks.
pub const PROTOCOL_HEADER: &str = "tirek-protocol";

/// The HTTP header every request of the app carries: its own version (`0.3.1`), so
/// that an organisation can ask apps older than a version it names to update.
pub const APP_VERSION_HEADER: &str = "tirek-app";

/// An app version, `major.minor.patch` (a pre-release or build suffix is ignored),
/// ordered as numbers: `0.10.0` is newer than `0.9.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AppVersion(pub [u32; 3]);

impl std::str::FromStr for AppVersion {
    type Err = ProtocolError;

    fn from_str(text: &str) -> Result<Self> {
        let bad = || ProtocolError::NotAVersion(text.to_owned());
        let core = text.trim().split(['-', '+']).next().unwrap_or_default();
        let mut parts = core.split('.');
        let mut version = [0; 3];
        for (index, slot) in version.iter_mut().enumerate() {
            match parts.next() {
                Some(part) => *slot = part.parse().map_err(|_| bad())?,
                None if index > 0 => break,
                None => return Err(bad()),
            }
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(AppVersion(version))
    }
}

impl fmt::Display for AppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [major, minor, patch] = self.0;
        write!(f, "{major}.{minor}.{patch}")
    }
}

/// An inclusive range of protocol versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRange {
    /// The oldest version accepted.
    pub min: u32,
    /// The newest version accepted.
    pub max: u32,
}

impl VersionRange {
    /// Whether `version` is inside the range.
    pub fn contains(&self, version: u32) -> bool {
        (self.min..=self.max).contains(&version)
    }

    /// `version` if the range holds it, otherwise why not.
    pub fn check(&self, version: u32) -> Result<u32> {
        if self.contains(version) {
            Ok(version)
        } else {
            Err(ProtocolError::VersionUnsupported { found: version, supported: *self })
        }
    }

    /// Reads a [`PROTOCOL_HEADER`] value and checks it.
    pub fn check_header(&self, value: &str) -> Result<u32> {
        let version = value.trim().parse::<u32>().map_err(|_| ProtocolError::NotAVersion(value.to_owned()))?;
        self.check(version)
    }
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max { write!(f, "{}", self.min) } else { write!(f, "{}–{}", self.min, self.max) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_versions_order_as_numbers_and_refuse_what_is_not_one() {
        let version = |text: &str| text.parse::<AppVersion>().unwrap();
        assert!(version("0.10.0") > version("0.9.2"));
        assert_eq!(version("1.2"), version("1.2.0"));
        assert_eq!(version("0.3.1-beta.2"), version("0.3.1"));
        assert_eq!(version(" 2 ").to_string(), "2.0.0");
        for bad in ["", "x", "1.2.3.4", "1..2", "-1.0"] {
            assert!(bad.parse::<AppVersion>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_range_accepts_its_ends_and_refuses_the_rest() {
        let range = VersionRange { min: 2, max: 4 };
        for (version, ok) in [(1, false), (2, true), (3, true), (4, true), (5, false), (0, false)] {
            assert_eq!(range.check(version).is_ok(), ok, "{version}");
        }
        assert!(SUPPORTED.contains(PROTOCOL_VERSION), "a build must accept its own version");
    }

    #[test]
    fn headers_are_numbers_or_named_as_garbage() {
        let range = VersionRange { min: 1, max: 1 };
        assert_eq!(range.check_header(" 1 ").ok(), Some(1));
        assert!(matches!(
            range.check_header("2"),
            Err(ProtocolError::VersionUnsupported { found: 2, supported: VersionRange { min: 1, max: 1 } })
        ));
        assert!(matches!(range.check_header("v1"), Err(ProtocolError::NotAVersion(text)) if text == "v1"));
        assert_eq!(VersionRange { min: 1, max: 3 }.to_string(), "1–3");
        assert_eq!(range.to_string(), "1");
    }
}
