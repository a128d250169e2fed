//! The clinic this computer belongs to: the details printed at the head of consent
//! forms and letters — name, BIN, address, phone, logo —, who may sign its letters,
//! and what its letter numbers start with. Kept in the device settings (the logo
//! beside them): the same for every psychologist on the clinic's PC, nothing clinical.

use serde::{Deserialize, Serialize};
use tirek_domain::caseload::{ClinicForm, FieldError, LINE_MAX, Problem};
use tirek_domain::text::required_line;
use tirek_store::Clinic;

use crate::{App, AppError, Result};

/// The clinic's details, as typed or as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ClinicInput {
    pub name: String,
    pub bin: String,
    pub address: String,
    pub phone: String,
    /// What outgoing letter numbers start with (`СЕ`, `ПК-3`); may be empty.
    pub letter_prefix: String,
    /// Who may sign letters: the head and their deputies.
    pub signatories: Vec<Signatory>,
    /// Whether a logo is set (set and removed on its own, see [`App::set_clinic_logo`]).
    pub has_logo: bool,
}

/// Someone who signs the clinic's letters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct Signatory {
    pub name: String,
    pub position: String,
}

impl From<&Clinic> for ClinicInput {
    fn from(clinic: &Clinic) -> ClinicInput {
        ClinicInput {
            name: clinic.name.clone(),
            bin: clinic.bin.clone().unwrap_or_default(),
            address: clinic.address.clone().unwrap_or_default(),
            phone: clinic.phone.clone().unwrap_or_default(),
            letter_prefix: clinic.letter_prefix.clone().unwrap_or_default(),
            signatories: clinic
                .signatories
                .iter()
                .map(|(name, position)| Signatory { name: name.clone(), position: position.clone() })
                .collect(),
            has_logo: clinic.has_logo,
        }
    }
}

impl App {
    /// The clinic's details, if they were entered on this computer.
    pub fn clinic(&self) -> Option<ClinicInput> {
        self.state().settings.clinic.as_ref().map(ClinicInput::from)
    }

    /// Checks and saves the clinic's details; returns them as stored.
    pub fn set_clinic(&self, input: &ClinicInput) -> Result<ClinicInput> {
        let form = ClinicForm {
            name: input.name.clone(),
            bin: input.bin.clone(),
            address: input.address.clone(),
            phone: input.phone.clone(),
        };
        let mut problems = Vec::new();
        let details = form.validate().map_err(|found| problems.extend(found)).ok();
        let prefix = tirek_domain::referral::check_prefix(&input.letter_prefix)
            .map_err(|problem| problems.push(FieldError { field: "letter_prefix", problem }))
            .ok();
        let mut signatories = Vec::new();
        for signatory in &input.signatories {
            let name = required_line(&signatory.name, LINE_MAX);
            let position = required_line(&signatory.position, LINE_MAX);
            match (name, position) {
                (Ok(name), Ok(position)) => signatories.push((name, position)),
                (name, position) => {
                    problems.extend(
                        name.err()
                            .map(|problem| FieldError { field: "signatory_name", problem: Problem::Text(problem) }),
                    );
                    problems.extend(
                        position
                            .err()
                            .map(|problem| FieldError { field: "signatory_position", problem: Problem::Text(problem) }),
                    );
                }
            }
        }
        let (Some(details), Some(prefix), true) = (details, prefix, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let has_logo = self.state().settings.clinic.as_ref().is_some_and(|c| c.has_logo);
        let clinic = Clinic {
            name: details.name,
            bin: details.bin,
            address: details.address,
            phone: details.phone,
            letter_prefix: Some(prefix).filter(|p| !p.is_empty()),
            signatories,
            has_logo,
        };
        self.save_clinic(clinic)
    }

    /// Keeps `clinic` in the device settings: saved first, so that what the window
    /// shows is what the next start will show.
    fn save_clinic(&self, clinic: Clinic) -> Result<ClinicInput> {
        let data_dir = self.data_dir()?;
        let mut settings = self.state().settings.clone();
        settings.clinic = Some(clinic.clone());
        settings.save(&data_dir)?;
        self.state().settings.clinic = Some(clinic.clone());
        Ok(ClinicInput::from(&clinic))
    }

    /// Makes the PNG at `path` the clinic's logo, after checking it is one (at most
    /// 1 MB and 3000 pixels a side). The clinic's name must be set first.
    pub fn set_clinic_logo(&self, path: &std::path::Path) -> Result<ClinicInput> {
        let mut clinic = self.state().settings.clinic.clone().ok_or(AppError::ClinicNotSet)?;
        let bytes = tirek_store::documents::read_bytes(path, tirek_letters::logo::MAX_BYTES)?;
        tirek_letters::Logo::from_png(&bytes).map_err(AppError::Logo)?;
        tirek_store::documents::save_logo(&self.data_dir()?, &bytes)?;
        clinic.has_logo = true;
        self.save_clinic(clinic)
    }

    /// Removes the clinic's logo.
    pub fn remove_clinic_logo(&self) -> Result<ClinicInput> {
        let mut clinic = self.state().settings.clinic.clone().ok_or(AppError::ClinicNotSet)?;
        tirek_store::documents::remove_logo(&self.data_dir()?)?;
        clinic.has_logo = false;
        self.save_clinic(clinic)
    }

    /// The clinic's logo, decoded, when one is set and still readable.
    pub(crate) fn clinic_logo(&self) -> Option<tirek_letters::Logo> {
        let has_logo = self.state().settings.clinic.as_ref().is_some_and(|c| c.has_logo);
        let bytes = has_logo.then(|| tirek_store::documents::logo(&self.data_dir().ok()?).ok().flatten()).flatten()?;
        tirek_letters::Logo::from_png(&bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clinic_is_checked_and_remembered_after_a_restart() {
        let folder = tempfile::tempdir().unwrap();
        let (app, _) = App::start(folder.path());
        assert_eq!(app.clinic(), None);
        let bad = ClinicInput {
            name: "".into(),
            bin: "123".into(),
            letter_prefix: "С Е".into(),
            signatories: vec![Signatory { name: "Әбдірахманов Нұрлан".into(), position: " ".into() }],
            ..ClinicInput::default()
        };
        let Err(AppError::Invalid(problems)) = app.set_clinic(&bad) else { panic!("accepted a clinic without a name") };
        assert_eq!(
            problems.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["name", "bin", "letter_prefix", "signatory_position"]
        );
        let good = ClinicInput {
            name: "Сайрам аудандық емханасы".into(),
            bin: "0401 4000 1236".into(),
            address: "Ақсу ауылы, Жібек жолы 12".into(),
            phone: "8 (72531) 2-14-55".into(),
            letter_prefix: "СЕ".into(),
            signatories: vec![Signatory {
                name: "Әбдірахманов Нұрлан".into(), position: "Бас дәрігер".into()
            }],
            has_logo: false,
        };
        let saved = app.set_clinic(&good).unwrap();
        assert_eq!(saved.signatories, good.signatories);
        assert_eq!((saved.bin.as_str(), saved.phone.as_str()), ("040140001236", "+77253121455"));
        drop(app);
        let (app, _) = App::start(folder.path());
        assert_eq!(app.clinic(), Some(saved));
    }
}
