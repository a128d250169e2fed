//! The client's rights over their data (Law No. 94-V, Art. 24–25; `reference/
//! kazakhstan.md`): a copy of everything held about them, and erasure on request.

use serde::Serialize;
use tirek_domain::Language;
use tirek_domain::audit::AuditEvent;

use crate::profiles::now_ms;
use crate::{App, ChildView, ClientDetail, ClientView, ConsentView, ConsultationView, FollowUpView, Result};

/// The format name of a client export, for whoever reads the file later.
pub const EXPORT_FORMAT: &str = "tirek-client-record";

/// A client's complete record for the person or another system (`version` 1).
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct ClientExport {
    /// Always [`EXPORT_FORMAT`].
    pub format: &'static str,
    pub version: u32,
    /// `YYYY-MM-DD`.
    pub exported_at: String,
    pub client: ClientView,
    pub children: Vec<ChildView>,
    pub consents: Vec<ConsentView>,
    pub consultations: Vec<ConsultationView>,
    pub follow_ups: Vec<FollowUpView>,
}

impl App {
    /// Client `id`'s complete record as JSON — the client, children, consents,
    /// consultations with addenda, follow-ups — for the person or another system.
    /// Audited as an export.
    pub fn export_client(&self, id: &str) -> Result<ClientExport> {
        let (detail, consultations) = self.full_record(id)?;
        self.with_profile(|open, _| Ok(open.audit(now_ms(), AuditEvent::Export, Some(id)).map(drop)?))?;
        Ok(ClientExport {
            format: EXPORT_FORMAT,
            version: 1,
            exported_at: crate::caseload::today().to_string(),
            client: detail.client,
            children: detail.children,
            consents: detail.consents,
            consultations,
            follow_ups: detail.follow_ups,
        })
    }

    /// A client's page and every consultation whole. A group session's other
    /// clients are not this client's data: only the subject stays among attendees.
    fn full_record(&self, id: &str) -> Result<(ClientDetail, Vec<ConsultationView>)> {
        let detail = self.client(id)?;
        let consultations = detail
            .consultations
            .iter()
            .map(|summary| {
                let mut view = self.consultation(&summary.id)?;
                view.attendees.retain(|attendee| attendee.id == id);
                Ok(view)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((detail, consultations))
    }

    /// Erases client `id` on their request: the record and everything only about
    /// them is gone, the change log keeps tombstones, the audit trail keeps that an
    /// erasure happened (the id, never the data). Returns how many records went.
    pub fn erase_client(&self, id: &str) -> Result<usize> {
        self.with_profile(|open, author| {
            let (erased, _) = open.write(author, now_ms(), |changes| {
                let erased = changes.erase_client(id)?;
                changes.audit(AuditEvent::RecordErased, Some(id))?;
                Ok(erased)
            })?;
            open.checkpoint()?;
            Ok(erased)
        })
    }
}

/// An ISO date as people read it (`DD.MM.YYYY`); anything else as it is.
fn dotted(iso: &str) -> String {
    tirek_domain::date::Date::parse(iso).map_or_else(|_| iso.to_owned(), |date| date.dotted())
}

impl App {
    pub(crate) fn clinic_block(&self) -> Option<tirek_letters::ClinicBlock> {
        self.clinic().map(|clinic| tirek_letters::ClinicBlock {
            name: clinic.name,
            bin: Some(clinic.bin).filter(|b| !b.is_empty()),
            address: Some(clinic.address).filter(|a| !a.is_empty()),
            phone: Some(clinic.phone).filter(|p| !p.is_empty()).map(|p| tirek_domain::phone::display(&p)),
        })
    }

    /// The consent form for client `id`, ready to print and sign, in `language`
    /// (the client's, not necessarily the interface's). Audited as a print.
    pub fn consent_form(&self, id: &str, language: Language) -> Result<Vec<u8>> {
        let detail = self.client(id)?;
        let psychologist = self.unlocked_profile().map(|p| p.name).unwrap_or_default();
        let client = detail.client;
        let name = client.full_name();
        let pdf = tirek_letters::consent_form(&tirek_letters::ConsentFormDoc {
            language,
            clinic: self.clinic_block(),
            client_name: name,
            iin: client.iin,
            birth_date: client.birth_date.as_deref().map(dotted),
            psychologist,
        })?;
        self.with_profile(|open, _| Ok(open.audit(now_ms(), AuditEvent::Print, Some(id)).map(drop)?))?;
        Ok(pdf)
    }

    /// Client `id`'s complete record as a PDF for the client, in `language`. Audited
    /// as an export.
    pub fn client_record_pdf(&self, id: &str, language: Language) -> Result<Vec<u8>> {
        use tirek_letters::{RecordChild, RecordConsent, RecordConsultation, RecordFollowUp};
        let (detail, consultations) = self.full_record(id)?;
        let client = &detail.client;
        let name = client.full_name();
        let place = client
            .district
            .as_deref()
            .or(client.region.as_deref())
            .and_then(|place| crate::regions::place_name(place, language))
            .map(str::to_owned);
        let spoken = client.language.parse::<Language>().map(|l| l.endonym().to_owned()).ok();
        let details: Vec<(&'static str, String)> = [
            ("record-birth-date", client.birth_date.as_deref().map(dotted)),
            ("record-iin", client.iin.clone()),
            ("record-phone", client.phone.as_deref().map(tirek_domain::phone::display)),
            ("record-address", client.address.clone()),
            ("record-place", place),
            ("record-language", spoken),
        ]
        .into_iter()
        .filter_map(|(label, value)| value.map(|value| (label, value)))
        .collect();
        let doc = tirek_letters::ClientRecordDoc {
            language,
            clinic: self.clinic_block(),
            printed_on: crate::caseload::today().dotted(),
            name,
            details,
            children: detail
                .children
                .iter()
                .map(|child| RecordChild {
                    name: child.name.clone(),
                    birth_date: child.birth_date.as_deref().map(dotted),
                    iin: child.iin.clone(),
                    disability: child.disability.clone(),
                    special_needs: child.special_needs,
                    diagnosis: child.diagnosis.clone(),
                    icd10: child.icd10.clone(),
                    diagnosed_on: child.diagnosed_on.as_deref().map(dotted),
                    irp_status: child.irp_status.clone(),
                })
                .collect(),
            consents: detail
                .consents
                .iter()
                .map(|consent| RecordConsent {
                    scope: consent.scope.clone(),
                    given_by: consent.given_by.clone(),
                    given_on: dotted(&consent.given_on),
                    withdrawn_on: consent.withdrawn_on.as_deref().map(dotted),
                })
                .collect(),
            consultations: consultations
                .iter()
                .map(|view| {
                    let form = &view.form;
                    let text = |value: &str| Some(value.to_owned()).filter(|v| !v.is_empty());
                    RecordConsultation {
                        held_on: text(&form.held_on).map(|d| dotted(&d)),
                        format: text(&form.format),
                        duration_minutes: text(&form.duration_minutes),
                        signed: view.signed_at.is_some(),
                        participants: text(&form.participants),
                        concerns: text(&form.concerns),
                        interventions: form.interventions.clone(),
                        interventions_other: text(&form.interventions_other),
                        notes: text(&form.notes),
                        plan: text(&form.plan),
                        next_step: text(&form.next_step),
                        addenda: view
                            .addenda
                            .iter()
                            .map(|a| {
                                (tirek_domain::date::Date::in_kazakhstan(a.written_at as i64).dotted(), a.text.clone())
                            })
                            .collect(),
                    }
                })
                .collect(),
            follow_ups: detail
                .follow_ups
                .iter()
                .map(|f| RecordFollowUp {
                    kind: f.kind.clone(),
                    due_on: dotted(&f.due_on),
                    note: f.note.clone(),
                    done_on: f.done_on.as_deref().map(dotted),
                })
                .collect(),
            questionnaires: self.printed_results(id, language)?,
        };
        let pdf = tirek_letters::client_record(&doc)?;
        self.with_profile(|open, _| Ok(open.audit(now_ms(), AuditEvent::Export, Some(id)).map(drop)?))?;
        Ok(pdf)
    }

    /// A one-page summary of client `id` in `language`: who they are, children,
    /// consents in force, each questionnaire's latest score, open risk flags and
    /// what comes next. Audited as a print.
    pub fn client_summary_pdf(&self, id: &str, language: Language) -> Result<tirek_letters::Printed> {
        let messages = tirek_i18n::Messages::new(language);
        let detail = self.client(id)?;
        let client = &detail.client;
        let place = client
            .district
            .as_deref()
            .or(client.region.as_deref())
            .and_then(|p| crate::regions::place_name(p, language));
        let facts: Vec<(String, String)> = [
            ("record-birth-date", client.birth_date.as_deref().map(dotted)),
            ("record-phone", client.phone.as_deref().map(tirek_domain::phone::display)),
            ("record-place", place.map(str::to_owned)),
            ("record-language", client.language.parse::<Language>().ok().map(|l| l.endonym().to_owned())),
        ]
        .into_iter()
        .filter_map(|(label, value)| Some((messages.get(label), value?)))
        .collect();
        let children = detail.children.iter().map(|child| crate::referrals::child_line(child, &messages)).collect();
        let consents = detail
            .consents
            .iter()
            .filter(|c| c.withdrawn_on.is_none())
            .map(|c| format!("{} — {}", messages.get(&format!("choice-scope-{}", c.scope)), dotted(&c.given_on)))
            .collect();
        let scores = self
            .printed_results(id, language)?
            .into_iter()
            .filter_map(|results| {
                let last = results.rows.last()?;
                let change = if last.change.is_empty() { String::new() } else { format!(" · {}", last.change) };
                Some(format!("{}: {} — {} ({}){change}", results.name, last.date, last.total, last.band))
            })
            .collect();
        let risk_flags = crate::referrals::open_flag_lines(&detail.risk_flags, &self.all_instruments(), language);
        let next = detail
            .follow_ups
            .iter()
            .filter(|f| f.done_on.is_none())
            .map(|f| {
                let note = f.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
                format!("{} · {}{note}", dotted(&f.due_on), messages.get(&format!("choice-kind-{}", f.kind)))
            })
            .collect();
        let doc = tirek_letters::SummaryDoc {
            language,
            clinic: self.clinic_block(),
            name: client.full_name(),
            facts,
            children,
            consents,
            scores,
            risk_flags,
            next,
            printed_on: crate::caseload::today().dotted(),
        };
        let printed = tirek_letters::client_summary(&doc)?;
        self.with_profile(|open, _| Ok(open.audit(now_ms(), AuditEvent::Print, Some(id)).map(drop)?))?;
        Ok(printed)
    }
}
