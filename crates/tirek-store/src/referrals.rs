//! The read side of the services directory and the letter register, and the
//! outgoing numbers: each profile issues from a series of its own on each computer
//! (see `tirek_domain::referral`), counted in the same transaction that issues.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, params};
use tirek_domain::referral::series_of;

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
    /// the first letter, or when the profile was restored on another computer. A
    /// drawn series the profile already knows is put back and another drawn.
    pub fn take_letter_number(
        &self,
        installation: &str,
        mut new_series: impl FnMut(u64) -> String,
    ) -> Result<(String, u32)> {
        let transaction = self.transaction();
        // Only a series of digits is continued: one of the letters-and-digits shape an
        // earlier build drew is left behind (numbers must be read aloud unambiguously).
        let existing: Option<(String, u32)> = transaction
            .query_row(
                "SELECT series, next_number FROM letter_series
                 WHERE device_id = ?1 AND installation = ?2 AND series NOT GLOB '*[^0-9]*' AND retired_at IS NULL",
                params![self.device(), installation],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(sqlite)?;
        let (series, number) = match existing {
            Some(found) => found,
            None => {
                let known = self.known_letter_series()?;
                // With at most thousands known among 10^8, a second draw is already rare.
                let series = loop {
                    let mut random = [0u8; 8];
                    getrandom::fill(&mut random).expect("the operating system provides random bytes");
                    let series = new_series(u64::from_le_bytes(random));
                    if !known.contains(&series) {
                        break series;
                    }
                };
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

    /// Every letter series this profile knows: those it issued from on any computer
    /// it has been opened on, and those of the letters it holds.
    pub(crate) fn known_letter_series(&self) -> Result<BTreeSet<String>> {
        let transaction = self.transaction();
        let mut known = BTreeSet::new();
        let mut statement = transaction.prepare("SELECT series FROM letter_series").map_err(sqlite)?;
        for series in statement.query_map([], |row| row.get::<_, String>(0)).map_err(sqlite)? {
            known.insert(series.map_err(sqlite)?);
        }
        let mut statement =
            transaction.prepare("SELECT number FROM referrals WHERE number IS NOT NULL").map_err(sqlite)?;
        for number in statement.query_map([], |row| row.get::<_, String>(0)).map_err(sqlite)? {
            known.extend(series_of(&number.map_err(sqlite)?));
        }
        Ok(known)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::keys::KdfParams;
    use crate::{DataDir, MemoryKeyring, Profiles};

    const NOW_MS: i64 = 1_764_000_000_000;

    fn open_profile(folder: &tempfile::TempDir) -> OpenProfile {
        let profiles = Profiles::new(&DataDir::open(folder.path()).unwrap(), Arc::new(MemoryKeyring::default()))
            .with_kdf(KdfParams::FAST_FOR_TESTS);
        let id = profiles.create("Aigul", "тау бұлақ өзен 2026", NOW_MS / 1000).unwrap().profile.id;
        profiles.unlock(&id, "тау бұлақ өзен 2026", NOW_MS).unwrap()
    }

    /// Takes a number on `installation`, the draws giving `series` in turn whatever
    /// the random bits.
    fn take(profile: &mut OpenProfile, installation: &str, series: &[&str]) -> (String, u32) {
        let mut draws = series.iter();
        let new_series = move |_random: u64| draws.next().expect("a series left to draw").to_string();
        profile.write("aigul", NOW_MS, |changes| changes.take_letter_number(installation, new_series)).unwrap().0
    }

    #[test]
    fn a_profile_never_draws_a_series_it_already_knows() {
        let folder = tempfile::tempdir().unwrap();
        let mut profile = open_profile(&folder);
        assert_eq!(take(&mut profile, "here", &["11112222"]), ("11112222".into(), 1));
        assert_eq!(take(&mut profile, "here", &[]), ("11112222".into(), 2), "the series continues");

        // Opened on another computer, the profile's earlier series is known: drawn again.
        assert_eq!(take(&mut profile, "there", &["11112222", "33334444"]), ("33334444".into(), 1));

        // A letter it holds names a series it never drew here (issued before a restore,
        // or, once sync arrives, on a colleague's computer).
        profile
            .connection()
            .execute(
                "INSERT INTO referrals (id, revision, updated_hlc, client_id, language, created_at, status,
                                        number, issued_on, snapshot, pdf_sha256)
                 VALUES ('r', 1, 1, 'c', 'ru', 1, 'issued', 'ПК-5555-6666/0003', '2026-12-01', '{}', '00')",
                [],
            )
            .unwrap();
        assert_eq!(
            take(&mut profile, "third", &["55556666", "33334444", "77778888"]),
            ("77778888".into(), 1),
            "neither the held letter's series nor another computer's"
        );
    }

    #[test]
    fn a_series_the_server_gave_to_another_device_is_retired_and_never_drawn_again() {
        let folder = tempfile::tempdir().unwrap();
        let mut profile = open_profile(&folder);
        assert_eq!(take(&mut profile, "here", &["11112222"]), ("11112222".into(), 1));
        profile.retire_letter_series("11112222", NOW_MS).unwrap();
        assert_eq!(take(&mut profile, "here", &["11112222", "33334444"]), ("33334444".into(), 1));
        assert_eq!(take(&mut profile, "here", &[]), ("33334444".into(), 2), "the new series continues");
    }

    #[test]
    fn a_series_of_letters_and_digits_from_an_earlier_build_is_not_continued() {
        let folder = tempfile::tempdir().unwrap();
        let mut profile = open_profile(&folder);
        let device = profile.device_id().to_owned();
        profile
            .connection()
            .execute(
                "INSERT INTO letter_series (series, device_id, installation, next_number) VALUES ('MQW8KKKN', ?1, 'here', 5)",
                [&device],
            )
            .unwrap();
        assert_eq!(take(&mut profile, "here", &["48219375"]), ("48219375".into(), 1));
        assert_eq!(take(&mut profile, "here", &[]), ("48219375".into(), 2));
    }
}
