//! The read side of the services directory and the letter register, and the
//! outgoing numbers: each profile issues from a series of its own on each computer
//! (see `tirek_domain::referral`), counted in the same transaction that issues.

use rusqlite::{OptionalExtension, params};

use crate::Result;
use crate::changes::{Changes, Record, sqlite};
use crate::profiles::OpenProfile;

/// Which letters to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralFilter {
    /// Only this client's.
    pub client_id: Option<String>,
    /// Only those in this status (`draft`, `issued`, …).
    pub status: Option<String>,
    /// Only those issued on or after this ISO date.
    pub issued_from: Option<String>,
    /// Only those issued on or before this ISO date.
    pub issued_to: Option<String>,
}

impl OpenProfile {
    /// The directory's services in use (not archived), in `district` when given,
    /// with their ids, in creation order.
    pub fn services(&self, district: Option<&str>) -> Result<Vec<(String, Record)>> {
        match district {
            Some(district) => self.select("service", "archived_at IS NULL AND district = ?1", "rowid", &[&district]),
            None => self.select("service", "archived_at IS NULL", "rowid", &[]),
        }
    }

    /// The letter register: letters matching `filter`, newest first (drafts by
    /// creation, issued ones by their date and number).
    pub fn referrals(&self, filter: &ReferralFilter) -> Result<Vec<(String, Record)>> {
        self.select(
            "referral",
            "(?1 IS NULL OR client_id = ?1) AND (?2 IS NULL OR status = ?2)
             AND (?3 IS NULL OR issued_on >= ?3) AND (?4 IS NULL OR issued_on <= ?4)",
            "coalesce(issued_on, '9999') DESC, created_at DESC, rowid DESC",
            &[&filter.client_id, &filter.status, &filter.issued_from, &filter.issued_to],
        )
    }
}

impl Changes<'_> {
    /// The next outgoing number of this profile on this computer, as (series, n):
    /// the series of this device and `installation` (this computer's data folder),
    /// drawn with `new_series` from fresh random bits when there is none yet — on
    /// the first letter, or when the profile was restored on another computer.
    pub fn take_letter_number(
        &self,
        installation: &str,
        new_series: impl Fn([u8; 5]) -> String,
    ) -> Result<(String, u32)> {
        let transaction = self.transaction();
        let existing: Option<(String, u32)> = transaction
            .query_row(
                "SELECT series, next_number FROM letter_series WHERE device_id = ?1 AND installation = ?2",
                params![self.device(), installation],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(sqlite)?;
        let (series, number) = match existing {
            Some(found) => found,
            None => {
                let mut random = [0u8; 5];
                getrandom::fill(&mut random).expect("the operating system provides random bytes");
                let series = new_series(random);
                transaction
                    .execute(
                        "INSERT INTO letter_series (series, device_id, installation, next_number) VALUES (?1, ?2, ?3, 1)",
                        params![series, self.device(), installation],
                    )
                    .map_err(sqlite)?;
                (series, 1)
            }
        };
        transaction
            .execute("UPDATE letter_series SET next_number = ?1 WHERE series = ?2", params![number + 1, series])
            .map_err(sqlite)?;
        Ok((series, number))
    }
}
