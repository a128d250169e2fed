//! What the audit trail records (DESIGN.md §4, HIPAA §164.312(b) audit controls):
//! who did what to which record, when, on which device. The kinds are a closed list
//! so that reports can count them; the record is an id, never a name.

use std::fmt;

/// One kind of audited event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditEvent {
    /// The profile was created.
    ProfileCreated,
    /// The profile was unlocked.
    Unlock,
    /// Someone typed a wrong password or recovery key.
    FailedUnlock,
    /// The profile was locked, by the user or after idle time.
    Lock,
    /// The password was changed (or reset with the recovery key).
    PasswordChanged,
    /// A record was created.
    RecordCreated,
    /// A record was opened.
    RecordViewed,
    /// A record was changed.
    RecordChanged,
    /// A client's record was erased at their request (the trail keeps the id only).
    RecordErased,
    /// A document was printed.
    Print,
    /// Data left the profile in a file.
    Export,
    /// A backup was written.
    Backup,
    /// The profile was restored from a backup.
    Restore,
    /// A client left this user's caseload on the server (moved to a colleague, no
    /// longer shared) and what this computer held of them was removed (the trail
    /// keeps the id only). Not an erasure: the server keeps the client.
    ClientRemoved,
}

impl AuditEvent {
    /// Every kind, for parsing and tests.
    pub const ALL: [AuditEvent; 14] = [
        AuditEvent::ProfileCreated,
        AuditEvent::Unlock,
        AuditEvent::FailedUnlock,
        AuditEvent::Lock,
        AuditEvent::PasswordChanged,
        AuditEvent::RecordCreated,
        AuditEvent::RecordViewed,
        AuditEvent::RecordChanged,
        AuditEvent::RecordErased,
        AuditEvent::Print,
        AuditEvent::Export,
        AuditEvent::Backup,
        AuditEvent::Restore,
        AuditEvent::ClientRemoved,
    ];

    /// The stable name stored in the trail.
    pub fn code(self) -> &'static str {
        match self {
            AuditEvent::ProfileCreated => "profile_created",
            AuditEvent::Unlock => "unlock",
            AuditEvent::FailedUnlock => "failed_unlock",
            AuditEvent::Lock => "lock",
            AuditEvent::PasswordChanged => "password_changed",
            AuditEvent::RecordCreated => "record_created",
            AuditEvent::RecordViewed => "record_viewed",
            AuditEvent::RecordErased => "record_erased",
            AuditEvent::RecordChanged => "record_changed",
            AuditEvent::Print => "print",
            AuditEvent::Export => "export",
            AuditEvent::Backup => "backup",
            AuditEvent::Restore => "restore",
            AuditEvent::ClientRemoved => "client_removed",
        }
    }

    /// The event with this stable name.
    pub fn from_code(code: &str) -> Option<AuditEvent> {
        AuditEvent::ALL.into_iter().find(|event| event.code() == code)
    }
}

impl fmt::Display for AuditEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How long to wait before the next unlock may be tried after `failures` wrong
/// passwords in a row: free for the first five (typos happen), then doubling from
/// two seconds up to five minutes, which makes guessing hopeless and never locks a
/// psychologist out for long.
pub fn unlock_delay_seconds(failures: u32) -> u64 {
    match failures {
        0..=4 => 0,
        n => (1u64 << (n - 4).min(9)).min(300),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for event in AuditEvent::ALL {
            assert_eq!(AuditEvent::from_code(event.code()), Some(event));
        }
        let mut codes: Vec<_> = AuditEvent::ALL.iter().map(|e| e.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), AuditEvent::ALL.len());
        assert_eq!(AuditEvent::from_code("drop_table"), None);
    }

    #[test]
    fn unlock_delays_grow_after_five_failures_and_stay_bounded() {
        let delays: Vec<u64> = (0..=15).map(unlock_delay_seconds).collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(unlock_delay_seconds(u32::MAX), 300);
    }
}
