//! The client's rights over their data (Law No. 94-V, Art. 24–25; `reference/
//! kazakhstan.md`): a copy of everything held about them, and erasure on request.

use serde_json::json;
use tirek_domain::audit::AuditEvent;

use crate::profiles::now_ms;
use crate::{App, Result};

/// The format name of a client export, for whoever reads the file later.
pub const EXPORT_FORMAT: &str = "tirek-client-record";

impl App {
    /// Client `id`'s complete record as JSON — the client, children, consents,
    /// consultations with addenda, follow-ups — for the person or another system.
    /// Audited as an export.
    pub fn export_client(&self, id: &str) -> Result<serde_json::Value> {
        let detail = self.client(id)?;
        let consultations =
            detail.consultations.iter().map(|summary| self.consultation(&summary.id)).collect::<Result<Vec<_>>>()?;
        self.with_profile(|open, _| {
            open.audit(now_ms(), AuditEvent::Export, Some(id))?;
            Ok(())
        })?;
        Ok(json!({
            "format": EXPORT_FORMAT,
            "version": 1,
            "exported_at": crate::caseload::today().to_string(),
            "client": detail.client,
            "children": detail.children,
            "consents": detail.consents,
            "consultations": consultations,
            "follow_ups": detail.follow_ups,
        }))
    }

    /// Erases client `id` on their request: the record and everything only about
    /// them is gone, the change log keeps tombstones, the audit trail keeps that an
    /// erasure happened (the id, never the data). Returns how many records went.
    pub fn erase_client(&self, id: &str) -> Result<usize> {
        self.with_profile(|open, author| {
            let (erased, _) = open.write(author, now_ms(), |changes| changes.erase_client(id))?;
            open.audit(now_ms(), AuditEvent::RecordErased, Some(id))?;
            open.checkpoint()?;
            Ok(erased)
        })
    }
}
