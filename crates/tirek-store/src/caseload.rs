//! The caseload's read side: the queries behind the caseload list, the agenda, a
//! client's consultations and the questionnaire overview, each answered by one indexed statement. Writes go through
//! [`crate::changes`]; these only read.

use rusqlite::types::Value;

use crate::changes::Record;
use crate::profiles::OpenProfile;
use crate::{Result, StoreError};

/// How the caseload list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseloadOrder {
    /// Alphabetically by family name, given name, patronymic.
    #[default]
    Name,
    /// Longest without contact first (never seen first of all).
    LastContact,
    /// Earliest open follow-up first (none last).
    NextDue,
}

/// Which clients the caseload list shows.
#[derive(Debug, Clone, Default)]
pub struct CaseloadFilter {
    /// Folded search text (see `tirek_domain::text::fold`): each word must appear
    /// somewhere in the name, Latin name, IIN or phone.
    pub search: Option<String>,
    /// Only this district.
    pub district: Option<String>,
    /// Archived clients instead of active ones.
    pub archived: bool,
    /// Only clients with an open follow-up due before this date (`YYYY-MM-DD`).
    pub overdue_before: Option<String>,
    /// Only clients not seen since before this date, or never.
    pub no_contact_since: Option<String>,
    /// Only clients with an unresolved risk flag.
    pub open_flags: bool,
    /// The order.
    pub order: CaseloadOrder,
    /// At most this many rows.
    pub limit: u32,
    /// After skipping this many.
    pub offset: u32,
}

/// One row of the caseload list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadRow {
    /// The client's id.
    pub id: String,
    /// Family name.
    pub family_name: String,
    /// Given name.
    pub given_name: String,
    /// Patronymic.
    pub patronymic: Option<String>,
    /// District id.
    pub district: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// The date of the last consultation.
    pub last_contact: Option<String>,
    /// The earliest open follow-up's due date.
    pub next_due: Option<String>,
    /// Archived.
    pub archived: bool,
    /// Unresolved risk flags.
    pub open_flags: u32,
}

/// A page of the caseload list and how many clients match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadPage {
    /// Every matching client, not just this page.
    pub total: u64,
    /// This page.
    pub rows: Vec<CaseloadRow>,
}

/// A questionnaire schedule in force, with what the agenda needs to place it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct ActiveSchedule {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    pub instrument: String,
    pub every_weeks: u32,
    pub starts_on: String,
    /// When the instrument was last filled in for the client.
    pub last_taken_on: Option<String>,
}

/// A scored assessment with its client's name, for the questionnaire overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredAssessment {
    /// The client's id.
    pub client_id: String,
    /// The client's name, family name first.
    pub client_name: String,
    /// The instrument's id.
    pub instrument: String,
    /// `YYYY-MM-DD`.
    pub taken_on: String,
    /// The total in hundredths.
    pub total_centi: i64,
    /// The band's id.
    pub band: Option<String>,
    /// A safety rule fired.
    pub flagged: bool,
    /// The client's risk flags not yet resolved, whatever raised them.
    pub client_open_flags: u32,
}

/// A follow-up with its client's name, for the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaRow {
    /// The follow-up's id.
    pub id: String,
    /// The client's id.
    pub client_id: String,
    /// The client's name, family name first.
    pub client_name: String,
    /// Kind code.
    pub kind: String,
    /// Due date.
    pub due_on: String,
    /// Time of day.
    pub time: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// When it was done.
    pub done_on: Option<String>,
    /// The consultation whose next step it is.
    pub consultation_id: Option<String>,
}

impl CaseloadFilter {
    /// The filter as SQL: the condition on `clients c`, the order, and the values
    /// bound to the condition's parameters.
    fn clauses(&self) -> (String, &'static str, Vec<Value>) {
        let mut conditions = vec!["c.archived = ?1".to_owned()];
        let mut values: Vec<Value> = vec![Value::Integer(i64::from(self.archived))];
        let mut bind = |condition: &str, value: Value| {
            values.push(value);
            conditions.push(condition.replace('?', &format!("?{}", values.len())));
        };
        // Every word typed must appear, in any order: "Әлия Нұр" finds "Нұрланова Әлия".
        for word in self.search.as_deref().unwrap_or("").split_whitespace() {
            // The key is folded already, so a plain substring test does: no LIKE,
            // no wildcards to escape.
            bind("instr(c.search_key, ?) > 0", Value::Text(word.to_owned()));
        }
        if let Some(district) = &self.district {
            bind("c.district = ?", Value::Text(district.clone()));
        }
        if let Some(date) = &self.overdue_before {
            bind("c.next_due < ?", Value::Text(date.clone()));
        }
        if let Some(date) = &self.no_contact_since {
            bind("(c.last_contact IS NULL OR c.last_contact < ?)", Value::Text(date.clone()));
        }
        if self.open_flags {
            conditions.push(
                "EXISTS (SELECT 1 FROM risk_flags r WHERE r.client_id = c.id AND r.resolved_at IS NULL)".to_owned(),
            );
        }
        let order = match self.order {
            CaseloadOrder::Name => "c.sort_key, c.id",
            CaseloadOrder::LastContact => "c.last_contact IS NOT NULL, c.last_contact, c.sort_key, c.id",
            CaseloadOrder::NextDue => "c.next_due IS NULL, c.next_due, c.sort_key, c.id",
        };
        (conditions.join(" AND "), order, values)
    }

    /// The statement of the page's rows.
    fn page_sql(&self, conditions: &str, order: &str) -> String {
        format!(
            "SELECT c.id, c.family_name, c.given_name, c.patronymic, c.district, c.phone, c.last_contact,
                    c.next_due, c.archived,
                    (SELECT count(*) FROM risk_flags r WHERE r.client_id = c.id AND r.resolved_at IS NULL)
             FROM clients c WHERE {conditions} ORDER BY {order} LIMIT {} OFFSET {}",
            self.limit, self.offset
        )
    }
}

impl OpenProfile {
    /// A page of the caseload list.
    pub fn caseload(&self, filter: &CaseloadFilter) -> Result<CaseloadPage> {
        let (conditions, order, values) = filter.clauses();
        let connection = self.connection();
        let total: i64 = connection
            .query_row(
                &format!("SELECT count(*) FROM clients c WHERE {conditions}"),
                rusqlite::params_from_iter(values.iter()),
                |row| row.get(0),
            )
            .map_err(sqlite)?;
        let mut statement = connection.prepare(&filter.page_sql(&conditions, order)).map_err(sqlite)?;
        let rows = statement
            .query_map(rusqlite::params_from_iter(values.iter()), |row| {
                Ok(CaseloadRow {
                    id: row.get(0)?,
                    family_name: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    given_name: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    patronymic: row.get(3)?,
                    district: row.get(4)?,
                    phone: row.get(5)?,
                    last_contact: row.get(6)?,
                    next_due: row.get(7)?,
                    archived: row.get::<_, i64>(8)? != 0,
                    open_flags: row.get::<_, i64>(9)? as u32,
                })
            })
            .map_err(sqlite)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sqlite)?;
        Ok(CaseloadPage { total: total as u64, rows })
    }

    /// Follow-ups due from `from` to `to` (inclusive), done or not, and — when
    /// `overdue_before` is given — every open one due before it; by date and time.
    pub fn agenda(&self, from: &str, to: &str, overdue_before: Option<&str>) -> Result<Vec<AgendaRow>> {
        let sql = "SELECT f.id, f.client_id,
                          trim(coalesce(c.family_name, '') || ' ' || coalesce(c.given_name, '') || ' ' ||
                               coalesce(c.patronymic, '')),
                          f.kind, f.due_on, f.time, f.note, f.done_on, f.consultation_id
                   FROM follow_ups f JOIN clients c ON c.id = f.client_id
                   WHERE (f.due_on BETWEEN ?1 AND ?2) OR (f.done_on IS NULL AND f.due_on < ?3)
                   ORDER BY f.due_on, f.time IS NOT NULL, f.time, c.sort_key";
        let mut statement = self.connection().prepare(sql).map_err(sqlite)?;
        let rows = statement
            .query_map(rusqlite::params![from, to, overdue_before.unwrap_or("")], |row| {
                Ok(AgendaRow {
                    id: row.get(0)?,
                    client_id: row.get(1)?,
                    client_name: row.get(2)?,
                    kind: row.get(3)?,
                    due_on: row.get(4)?,
                    time: row.get(5)?,
                    note: row.get(6)?,
                    done_on: row.get(7)?,
                    consultation_id: row.get(8)?,
                })
            })
            .map_err(sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)
    }

    /// Every scored assessment of an active client, with the client's name, grouped by
    /// client and instrument and oldest first within each: what the questionnaire
    /// overview reads to find each one's latest result and its change.
    pub fn scored_assessments(&self) -> Result<Vec<ScoredAssessment>> {
        let sql = "SELECT a.client_id,
                          trim(coalesce(c.family_name, '') || ' ' || coalesce(c.given_name, '') || ' ' ||
                               coalesce(c.patronymic, '')),
                          a.instrument, a.taken_on, a.total_centi, a.band, a.flags,
                          (SELECT count(*) FROM risk_flags r WHERE r.client_id = a.client_id AND r.resolved_at IS NULL)
                   FROM assessments a JOIN clients c ON c.id = a.client_id
                   WHERE c.archived = 0 AND a.total_centi IS NOT NULL
                   ORDER BY c.sort_key, a.client_id, a.instrument, a.taken_on, a.rowid";
        let mut statement = self.connection().prepare(sql).map_err(sqlite)?;
        let rows = statement
            .query_map([], |row| {
                Ok(ScoredAssessment {
                    client_id: row.get(0)?,
                    client_name: row.get(1)?,
                    instrument: row.get(2)?,
                    taken_on: row.get(3)?,
                    total_centi: row.get(4)?,
                    band: row.get(5)?,
                    flagged: row.get::<_, Option<String>>(6)?.is_some_and(|flags| !flags.is_empty()),
                    client_open_flags: row.get::<_, i64>(7)? as u32,
                })
            })
            .map_err(sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)
    }

    /// Every questionnaire schedule in force for an active client, with the client's
    /// name and when the instrument was last filled in for them.
    pub fn active_schedules(&self) -> Result<Vec<ActiveSchedule>> {
        let sql = "SELECT s.id, s.client_id, s.instrument, s.every_weeks, s.starts_on,
                          trim(coalesce(c.family_name, '') || ' ' || coalesce(c.given_name, '') || ' ' ||
                               coalesce(c.patronymic, '')),
                          (SELECT max(a.taken_on) FROM assessments a
                           WHERE a.client_id = s.client_id AND a.instrument = s.instrument)
                   FROM schedules s JOIN clients c ON c.id = s.client_id
                   WHERE s.stopped_on IS NULL AND c.archived = 0";
        let mut statement = self.connection().prepare(sql).map_err(sqlite)?;
        let rows = statement
            .query_map([], |row| {
                Ok(ActiveSchedule {
                    id: row.get(0)?,
                    client_id: row.get(1)?,
                    instrument: row.get(2)?,
                    every_weeks: row.get::<_, i64>(3)? as u32,
                    starts_on: row.get(4)?,
                    client_name: row.get(5)?,
                    last_taken_on: row.get(6)?,
                })
            })
            .map_err(sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)
    }

    /// The clients holding a consent of `scope` (its code: `server`…) that is not
    /// withdrawn.
    pub fn clients_consenting(&self, scope: &str) -> Result<std::collections::BTreeSet<String>> {
        let mut statement = self
            .connection()
            .prepare_cached("SELECT DISTINCT client_id FROM consents WHERE scope = ?1 AND withdrawn_on IS NULL")
            .map_err(sqlite)?;
        let rows = statement.query_map([scope], |row| row.get(0)).map_err(sqlite)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sqlite)
    }

    /// The consultations client `id` attended, newest first, with their ids.
    pub fn consultations_of(&self, client_id: &str) -> Result<Vec<(String, Record)>> {
        let ids: Vec<String> = {
            let mut statement = self
                .connection()
                .prepare(
                    "SELECT co.id FROM attendances a JOIN consultations co ON co.id = a.consultation_id
                     WHERE a.client_id = ?1 ORDER BY co.held_on DESC, co.created_at DESC",
                )
                .map_err(sqlite)?;
            let rows = statement.query_map([client_id], |row| row.get(0)).map_err(sqlite)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sqlite)?
        };
        ids.into_iter()
            .map(|id| {
                let record = self
                    .read("consultation", &id)?
                    .ok_or_else(|| StoreError::RecordNotFound { entity: "consultation".to_owned(), id: id.clone() })?;
                Ok((id, record))
            })
            .collect()
    }
}

fn sqlite(err: rusqlite::Error) -> StoreError {
    StoreError::sqlite(std::path::Path::new("profile"), err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_walks_the_name_index_and_compares_folded_keys_with_instr() {
        // What the window's search sends, whatever the alphabet typed: folded words,
        // each a plain substring test on the stored key, the page in name order read
        // off the index — no per-row folding, no sort of every match.
        let filter = CaseloadFilter {
            search: Some(tirek_domain::text::fold("Gulnur  Ömir")),
            limit: 100,
            ..CaseloadFilter::default()
        };
        let (conditions, order, values) = filter.clauses();
        assert_eq!(conditions, "c.archived = ?1 AND instr(c.search_key, ?2) > 0 AND instr(c.search_key, ?3) > 0");
        assert_eq!(values[1..], [Value::Text("гулнур".into()), Value::Text("омир".into())]);

        let folder = tempfile::tempdir().unwrap();
        let connection = crate::db::open_keyed(&folder.path().join("tirek.db"), None).unwrap();
        let mut explain =
            connection.prepare(&format!("EXPLAIN QUERY PLAN {}", filter.page_sql(&conditions, order))).unwrap();
        let plan: Vec<String> = explain
            .query_map(rusqlite::params_from_iter(values.iter()), |row| row.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(plan.iter().any(|step| step.contains("USING INDEX clients_by_name")), "{plan:?}");
        assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "{plan:?}");
    }
}
