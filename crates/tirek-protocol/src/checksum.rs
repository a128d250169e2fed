//! The scope checksum: proof, not hope, that a device holds the changes the server
//! holds for it. Each change is reduced to a 64-bit digest of its identity (device,
//! sequence number, clock, entity, record); a scope's checksum is the XOR of its
//! changes' digests, so it needs no order and both sides can keep it as they go
//! (the server with PostgreSQL's `bit_xor`). Field values are left out on purpose:
//! an erasure blanks them on every side, and identity is what must match.

use sha2::{Digest, Sha256};

/// The 64-bit digest of one change: the first eight bytes, big-endian, of the
/// SHA-256 of its identity fields joined by NUL bytes.
pub fn change_digest(device_id: &str, seq: i64, hlc: u64, entity: &str, record_id: &str) -> u64 {
    let mut hasher = Sha256::new();
    for part in [device_id.as_bytes(), &seq.to_be_bytes(), &hlc.to_be_bytes(), entity.as_bytes(), record_id.as_bytes()]
    {
        hasher.update(part);
        hasher.update([0]);
    }
    let hash = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    u64::from_be_bytes(first)
}

/// A scope's count and checksum, built one change at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeChecksum {
    /// How many changes were added.
    pub count: u64,
    /// The XOR of their digests.
    pub checksum: u64,
}

impl ScopeChecksum {
    /// Adds one change's digest.
    pub fn add(&mut self, digest: u64) {
        self.count += 1;
        self.checksum ^= digest;
    }

    /// As the status response states it.
    pub fn summary(self) -> crate::ScopeSummary {
        crate::ScopeSummary { count: self.count, checksum: self.checksum }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_pinned_so_both_sides_agree_forever() {
        // Computed independently (Python hashlib). If this changes, devices and servers
        // of different builds disagree about every scope.
        assert_eq!(format!("{:016x}", change_digest("d", 1, 2, "client", "r")), "2898129858089726");
    }

    #[test]
    fn every_identity_field_counts_and_none_bleeds_into_the_next() {
        let base = change_digest("d", 1, 2, "client", "r");
        for other in [
            change_digest("e", 1, 2, "client", "r"),
            change_digest("d", 2, 2, "client", "r"),
            change_digest("d", 1, 3, "client", "r"),
            change_digest("d", 1, 2, "child", "r"),
            change_digest("d", 1, 2, "client", "s"),
            change_digest("dc", 1, 2, "lient", "r"),
        ] {
            assert_ne!(other, base);
        }
    }

    #[test]
    fn the_checksum_ignores_order() {
        let digests = [change_digest("d", 1, 1, "client", "a"), change_digest("d", 2, 2, "client", "b"), 7];
        let mut forward = ScopeChecksum::default();
        digests.iter().for_each(|d| forward.add(*d));
        let mut backward = ScopeChecksum::default();
        digests.iter().rev().for_each(|d| backward.add(*d));
        assert_eq!(forward, backward);
        assert_eq!(forward.count, 3);
        let mut missing_one = ScopeChecksum::default();
        digests[..2].iter().for_each(|d| missing_one.add(*d));
        assert_ne!(missing_one.summary(), forward.summary());
    }
}
