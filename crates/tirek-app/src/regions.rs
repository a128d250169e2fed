//! Kazakhstan's regions and districts, from `data/regions.toml` (compiled in), for
//! the client form's pickers, the caseload's district filter and labels in the
//! user's language. Records keep the ids; the names follow the reader's language.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use tirek_domain::Language;
use tirek_domain::caseload::{FieldError, Problem};

const REGIONS_TOML: &str = include_str!("../../../data/regions.toml");

#[derive(Debug, Deserialize)]
struct File {
    region: Vec<Place>,
}

#[derive(Debug, Deserialize)]
struct Place {
    id: String,
    kk: String,
    ru: String,
    en: String,
    #[serde(default)]
    district: Vec<Place>,
}

impl Place {
    fn name(&self, language: Language) -> &str {
        match language {
            Language::Kazakh => &self.kk,
            Language::Russian => &self.ru,
            Language::English => &self.en,
        }
    }
}

fn places() -> &'static [Place] {
    static PLACES: OnceLock<Vec<Place>> = OnceLock::new();
    PLACES.get_or_init(|| {
        // The file is compiled in and checked by a test: it cannot fail here.
        toml::from_str::<File>(REGIONS_TOML).expect("data/regions.toml is valid").region
    })
}

/// A region or district with its name in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlaceName {
    /// The stable id.
    pub id: String,
    /// The name.
    pub name: String,
}

/// A region with its districts, named in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Region {
    /// The stable id.
    pub id: String,
    /// The name.
    pub name: String,
    /// Its districts and cities, by name.
    pub districts: Vec<PlaceName>,
}

/// Every region with its districts, named in `language`, regions in the file's
/// order and districts by name.
pub fn regions(language: Language) -> Vec<Region> {
    places()
        .iter()
        .map(|region| {
            let mut districts: Vec<PlaceName> = region
                .district
                .iter()
                .map(|d| PlaceName { id: d.id.clone(), name: d.name(language).to_owned() })
                .collect();
            districts.sort_by_cached_key(|d| tirek_domain::text::sort_key(&d.name));
            Region { id: region.id.clone(), name: region.name(language).to_owned(), districts }
        })
        .collect()
}

/// The name of region or district `id` in `language`, if it is known.
pub fn place_name(id: &str, language: Language) -> Option<&'static str> {
    places().iter().find_map(|region| {
        if region.id == id {
            Some(region.name(language))
        } else {
            region.district.iter().find(|d| d.id == id).map(|d| d.name(language))
        }
    })
}

/// Checks a region and district pair: each known, the district inside the region.
pub(crate) fn check(region: Option<&str>, district: Option<&str>) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let found = region.map(|id| places().iter().find(|r| r.id == id));
    if let Some(None) = found {
        problems.push(FieldError { field: "region", problem: Problem::UnknownChoice });
    }
    if let Some(district) = district {
        match places().iter().find(|r| r.district.iter().any(|d| d.id == district)) {
            None => problems.push(FieldError { field: "district", problem: Problem::UnknownChoice }),
            Some(owner) if found.flatten().is_some_and(|region| region.id != owner.id) => {
                problems.push(FieldError { field: "district", problem: Problem::DistrictNotInRegion });
            }
            Some(_) => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_is_complete_in_every_language_with_unique_ids() {
        let mut ids = std::collections::HashSet::new();
        assert!(places().len() >= 20, "17 regions and 3 cities of republican significance");
        for region in places() {
            assert!(ids.insert(region.id.clone()), "duplicate id {}", region.id);
            assert!(!region.district.is_empty(), "{} has no districts", region.id);
            for place in std::iter::once(region).chain(&region.district) {
                for language in Language::ALL {
                    assert!(!place.name(language).trim().is_empty(), "{} has no {language} name", place.id);
                }
            }
            for district in &region.district {
                assert!(district.id.starts_with(&format!("{}.", region.id)), "{}", district.id);
                assert!(ids.insert(district.id.clone()), "duplicate id {}", district.id);
            }
        }
    }

    #[test]
    fn a_district_must_belong_to_its_region() {
        assert!(check(Some("abai"), Some("abai.semey_city")).is_empty());
        assert_eq!(check(Some("almaty_city"), Some("abai.semey_city"))[0].problem, Problem::DistrictNotInRegion);
        assert_eq!(check(Some("atlantis"), None)[0].field, "region");
        assert_eq!(check(None, Some("nowhere"))[0].field, "district");
        assert_eq!(place_name("abai.semey_city", Language::Kazakh), Some("Семей қаласы"));
    }
}
