//! The clinic this computer belongs to: the details printed at the head of consent
//! forms and letters. Kept in the device settings — they are the same for every
//! psychologist on the clinic's PC and hold nothing clinical.

use serde::{Deserialize, Serialize};
use tirek_domain::caseload::ClinicForm;
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
}

impl From<&Clinic> for ClinicInput {
    fn from(clinic: &Clinic) -> ClinicInput {
        ClinicInput {
            name: clinic.name.clone(),
            bin: clinic.bin.clone().unwrap_or_default(),
            address: clinic.address.clone().unwrap_or_default(),
            phone: clinic.phone.clone().unwrap_or_default(),
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
        let details = form.validate().map_err(AppError::Invalid)?;
        let clinic = Clinic { name: details.name, bin: details.bin, address: details.address, phone: details.phone };
        let data_dir = self.data_dir()?;
        let mut settings = self.state().settings.clone();
        settings.clinic = Some(clinic.clone());
        // Saved first: what the window shows is what the next start will show.
        settings.save(&data_dir)?;
        self.state().settings.clinic = Some(clinic.clone());
        Ok(ClinicInput::from(&clinic))
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
        let bad = ClinicInput { name: "".into(), bin: "123".into(), ..ClinicInput::default() };
        let Err(AppError::Invalid(problems)) = app.set_clinic(&bad) else { panic!("accepted a clinic without a name") };
        assert_eq!(problems.iter().map(|p| p.field).collect::<Vec<_>>(), ["name", "bin"]);
        let good = ClinicInput {
            name: "Сайрам аудандық емханасы".into(),
            bin: "0401 4000 1236".into(),
            address: "Ақсу ауылы, Жібек жолы 12".into(),
            phone: "8 (72531) 2-14-55".into(),
        };
        let saved = app.set_clinic(&good).unwrap();
        assert_eq!((saved.bin.as_str(), saved.phone.as_str()), ("040140001236", "+77253121455"));
        drop(app);
        let (app, _) = App::start(folder.path());
        assert_eq!(app.clinic(), Some(saved));
    }
}
