//! The services directory: where families can be referred — psychiatry,
//! rehabilitation, respite care, peer groups, social protection, family support
//! centres, NGOs — with region and district, address, phone and languages. Searched
//! by district and by name as typed; moved between clinics as CSV. A new directory
//! can start with examples of every kind, in the interface language
//! (`data/services-example-{kk,ru,en}.csv`): made-up names, streets and phones that
//! stay marked as examples until all three are replaced, and that never reach a
//! family — no handout lists them, no letter goes to them, no export carries them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use tirek_domain::Language;
use tirek_domain::change::FieldValue;
use tirek_domain::referral::{Service, ServiceForm, ServiceKind};
use tirek_domain::text::{fold, sort_key};
use tirek_store::changes::Record;

use crate::caseload::{new_id, owned, text};
use crate::profiles::now_ms;
use crate::{App, AppError, Result, regions};

/// The examples a new directory can start with, one list per language so that a
/// directory started in Kazakh reads in Kazakh.
const EXAMPLES: [(Language, &str); 3] = [
    (Language::Kazakh, include_str!("../../../data/services-example-kk.csv")),
    (Language::Russian, include_str!("../../../data/services-example-ru.csv")),
    (Language::English, include_str!("../../../data/services-example-en.csv")),
];
/// The largest CSV file accepted for import.
const CSV_MAX_BYTES: u64 = 2 * 1024 * 1024;
/// The columns of the directory's CSV, in order.
pub const CSV_COLUMNS: [&str; 8] = ["name", "kind", "region", "district", "address", "phone", "languages", "notes"];

/// A service as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ServiceInput {
    pub name: String,
    /// A service kind code (`respite_care`…).
    pub kind: String,
    pub region: String,
    pub district: String,
    pub address: String,
    pub phone: String,
    /// `kk`, `ru`, `en`.
    pub languages: Vec<String>,
    pub notes: String,
}

/// A service in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ServiceView {
    pub id: String,
    #[serde(flatten)]
    pub input: ServiceInput,
    /// One of the examples a directory starts with, or still holding an example's
    /// name, address or phone: to replace with a real service. Never on a handout,
    /// never a letter's recipient.
    pub example: bool,
}

/// Which services to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ServiceQuery {
    /// Only this district's.
    pub district: Option<String>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Name, address or notes containing this (case, ё and Kazakh letters folded).
    pub search: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[allow(missing_docs)]
pub struct ImportSummary {
    pub added: u32,
}

fn form(input: &ServiceInput) -> ServiceForm {
    ServiceForm {
        name: input.name.clone(),
        kind: input.kind.clone(),
        region: input.region.clone(),
        district: input.district.clone(),
        address: input.address.clone(),
        phone: input.phone.clone(),
        languages: input.languages.clone(),
        notes: input.notes.clone(),
    }
}

/// The names, addresses and phones of the examples in every language, as stored.
struct ExampleDetails {
    names: HashSet<String>,
    addresses: HashSet<String>,
    phones: HashSet<String>,
}

fn example_details() -> &'static ExampleDetails {
    static DETAILS: std::sync::OnceLock<ExampleDetails> = std::sync::OnceLock::new();
    DETAILS.get_or_init(|| {
        let mut details = ExampleDetails { names: HashSet::new(), addresses: HashSet::new(), phones: HashSet::new() };
        // Tested: every example list parses and each row is valid.
        let rows = EXAMPLES.iter().flat_map(|(_, csv)| parse_csv(csv.as_bytes()).unwrap_or_default());
        for service in rows.filter_map(|input| form(&input).validate().ok()) {
            details.names.insert(service.name);
            details.addresses.extend(service.address);
            details.phones.insert(service.phone);
        }
        details
    })
}

/// Whether `service` still holds an example's name, address or phone. Editing an
/// example into a real service clears its mark once all three are replaced (an
/// address may be left empty), with no separate step: that is what a clinic does
/// with an example — writes its own service over it — and a made-up street or
/// number left behind would send a family nowhere.
fn is_example(service: &Service) -> bool {
    let examples = example_details();
    examples.names.contains(&service.name)
        || service.address.as_ref().is_some_and(|address| examples.addresses.contains(address))
        || examples.phones.contains(&service.phone)
}

/// `input` checked: the clean service, or every problem.
fn checked(input: &ServiceInput) -> Result<Service> {
    let service = form(input).validate().map_err(AppError::Invalid)?;
    let places = regions::check(service.region.as_deref(), service.district.as_deref());
    if !places.is_empty() {
        return Err(AppError::Invalid(places));
    }
    Ok(service)
}

/// The fields to store for `input`, or every problem; marked as an example while it
/// holds an example's details.
fn fields(input: &ServiceInput) -> Result<Vec<(&'static str, FieldValue)>> {
    let service = checked(input)?;
    let languages: Vec<&str> = service.languages.iter().map(|l| l.code()).collect();
    let example = is_example(&service);
    Ok(vec![
        ("name", FieldValue::Text(service.name)),
        ("kind", FieldValue::Text(service.kind.code().to_owned())),
        ("region", text(service.region)),
        ("district", text(service.district)),
        ("address", text(service.address)),
        ("phone", FieldValue::Text(service.phone)),
        ("languages", FieldValue::Text(languages.join(" "))),
        ("notes", text(service.notes)),
        ("example", FieldValue::Integer(i64::from(example))),
    ])
}

fn view(id: String, record: &Record) -> ServiceView {
    ServiceView {
        id,
        input: ServiceInput {
            name: owned(record, "name").unwrap_or_default(),
            kind: owned(record, "kind").unwrap_or_default(),
            region: owned(record, "region").unwrap_or_default(),
            district: owned(record, "district").unwrap_or_default(),
            address: owned(record, "address").unwrap_or_default(),
            phone: owned(record, "phone").unwrap_or_default(),
            languages: record.text("languages").unwrap_or("").split_whitespace().map(str::to_owned).collect(),
            notes: owned(record, "notes").unwrap_or_default(),
        },
        example: record.integer("example") == Some(1),
    }
}

/// Reads the directory's CSV: a header naming [`CSV_COLUMNS`] (any order, a UTF-8
/// byte-order mark allowed), then one service per row. Every bad row is named by
/// its line.
fn parse_csv(bytes: &[u8]) -> Result<Vec<ServiceInput>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let problem = |line: u64, message: String| AppError::CsvRow { line, message };
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = reader.headers().map_err(|err| problem(1, err.to_string()))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let columns: Vec<Option<usize>> = CSV_COLUMNS.iter().map(|name| column(name)).collect();
    if columns[0].is_none() || columns[1].is_none() || columns[5].is_none() {
        return Err(AppError::CsvHeader);
    }
    let mut services = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|err| {
            let line = err.position().map_or(0, |p| p.line());
            problem(line, err.to_string())
        })?;
        let line = row.position().map_or(0, |p| p.line());
        let cell = |index: usize| columns[index].and_then(|c| row.get(c)).unwrap_or("").to_owned();
        if row.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        let input = ServiceInput {
            name: cell(0),
            kind: cell(1),
            region: cell(2),
            district: cell(3),
            address: cell(4),
            phone: cell(5),
            languages: cell(6).split([' ', ',', ';']).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
            notes: cell(7),
        };
        // Checked only: the examples' own details are read through here.
        if let Err(error) = checked(&input) {
            return Err(AppError::CsvInvalid { line, problems: error.into_field_errors() });
        }
        services.push(input);
    }
    Ok(services)
}

impl App {
    /// Adds a service to the directory; returns its id.
    pub fn add_service(&self, input: &ServiceInput) -> Result<String> {
        let fields = fields(input)?;
        let id = new_id();
        self.with_profile(|open, author| {
            open.write(author, now_ms(), |changes| changes.insert("service", &id, &fields))?;
            Ok(id.clone())
        })
    }

    /// Saves an edited service: an example stays one until its name, address and
    /// phone are all replaced.
    pub fn update_service(&self, id: &str, input: &ServiceInput) -> Result<()> {
        let fields = fields(input)?;
        self.with_profile(|open, author| {
            service_record(open, id)?;
            open.write(author, now_ms(), |changes| changes.update("service", id, &fields))?;
            Ok(())
        })
    }

    /// Takes a service off the directory; letters that name it keep its name.
    pub fn archive_service(&self, id: &str) -> Result<()> {
        self.with_profile(|open, author| {
            service_record(open, id)?;
            open.write(author, now_ms(), |changes| {
                changes.update("service", id, &[("archived_at", FieldValue::Integer(now_ms()))])
            })?;
            Ok(())
        })
    }

    /// One service.
    pub fn service(&self, id: &str) -> Result<ServiceView> {
        self.with_profile(|open, _| Ok(view(id.to_owned(), &service_record(open, id)?)))
    }

    /// The directory, filtered, by name in the Kazakh alphabet's order.
    pub fn services(&self, query: &ServiceQuery) -> Result<Vec<ServiceView>> {
        let district = query.district.as_deref().filter(|d| !d.is_empty());
        let records = self.with_profile(|open, _| Ok(open.services(district)?))?;
        let wanted = fold(query.search.trim());
        let mut services: Vec<ServiceView> = records
            .into_iter()
            .map(|(id, record)| view(id, &record))
            .filter(|s| query.kind.as_deref().is_none_or(|kind| kind.is_empty() || s.input.kind == kind))
            .filter(|s| {
                wanted.is_empty()
                    || [&s.input.name, &s.input.address, &s.input.notes].iter().any(|text| fold(text).contains(&wanted))
                    || (wanted.chars().all(|c| c.is_ascii_digit()) && s.input.phone.contains(&wanted))
            })
            .collect();
        services.sort_by_cached_key(|s| sort_key(&s.input.name));
        Ok(services)
    }

    /// Adds every service in a CSV file (the clinic's own list): all of them, or —
    /// when any row is wrong — none, with the row's line and problems. A row holding
    /// an example's details comes in marked as an example.
    pub fn import_services(&self, path: &std::path::Path) -> Result<ImportSummary> {
        let bytes = tirek_store::documents::read_bytes(path, CSV_MAX_BYTES)?;
        self.add_services(&parse_csv(&bytes)?)
    }

    /// Adds the examples a new directory starts with, in the interface language,
    /// marked as examples.
    pub fn add_example_services(&self) -> Result<ImportSummary> {
        self.add_services(&parse_csv(example_list(self.language()).as_bytes())?)
    }

    fn add_services(&self, services: &[ServiceInput]) -> Result<ImportSummary> {
        let rows: Vec<Vec<(&'static str, FieldValue)>> = services.iter().map(fields).collect::<Result<_>>()?;
        self.with_profile(|open, author| {
            open.write(author, now_ms(), |changes| {
                for fields in &rows {
                    changes.insert("service", &new_id(), fields)?;
                }
                Ok(())
            })?;
            Ok(ImportSummary { added: rows.len() as u32 })
        })
    }

    /// The directory (or one district's part of it) as CSV: UTF-8 with a byte-order
    /// mark, so that spreadsheet programs show Kazakh letters right. Examples stay
    /// behind: another clinic has its own, and a file is no place to mark them.
    pub fn services_csv(&self, district: Option<&str>) -> Result<Vec<u8>> {
        let query = ServiceQuery { district: district.map(str::to_owned), ..ServiceQuery::default() };
        let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        let write = |writer: &mut csv::Writer<Vec<u8>>, row: &[&str]| {
            writer.write_record(row).map_err(|err| AppError::CsvRow { line: 0, message: err.to_string() })
        };
        write(&mut writer, &CSV_COLUMNS)?;
        for service in self.services(&query)?.into_iter().filter(|s| !s.example) {
            let s = &service.input;
            let languages = s.languages.join(" ");
            write(
                &mut writer,
                &[&s.name, &s.kind, &s.region, &s.district, &s.address, &s.phone, &languages, &s.notes],
            )?;
        }
        writer.into_inner().map_err(|err| AppError::CsvRow { line: 0, message: err.to_string() })
    }
}

impl App {
    /// The parent's handout: the services of client `client_id`'s district (or,
    /// without one, their region's), in `language`, grouped by kind. It names no one,
    /// and lists no example: refused when the place has examples only, since a sheet
    /// saying "no services" would be no use to the family.
    pub fn handout_pdf(&self, client_id: &str, language: Language) -> Result<tirek_letters::Printed> {
        let detail = self.client(client_id)?;
        let client = &detail.client;
        let place = client.district.clone().or(client.region.clone()).unwrap_or_default();
        let (examples, mut services): (Vec<ServiceView>, Vec<ServiceView>) = self
            .services(&ServiceQuery::default())?
            .into_iter()
            .filter(|s| !place.is_empty() && (s.input.district == place || s.input.region == place))
            .partition(|s| s.example);
        if services.is_empty() && !examples.is_empty() {
            let place = regions::place_name(&place, self.language()).unwrap_or(&place).to_owned();
            return Err(AppError::HandoutOnlyExamples(place));
        }
        let order = |kind: &str| ServiceKind::ALL.iter().position(|k| k.code() == kind).unwrap_or(usize::MAX);
        services.sort_by_key(|s| order(&s.input.kind));
        let doc = tirek_letters::HandoutDoc {
            language,
            clinic: self.clinic_block(),
            district: regions::place_name(&place, language).unwrap_or("—").to_owned(),
            services: services
                .into_iter()
                .map(|s| tirek_letters::HandoutService {
                    kind: s.input.kind,
                    name: s.input.name,
                    address: Some(s.input.address).filter(|a| !a.is_empty()),
                    phone: tirek_domain::phone::display(&s.input.phone),
                    languages: (!s.input.languages.is_empty()).then(|| {
                        s.input
                            .languages
                            .iter()
                            .filter_map(|code| code.parse::<Language>().ok())
                            .map(|l| l.endonym().to_owned())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }),
                    notes: Some(s.input.notes).filter(|n| !n.is_empty()),
                })
                .collect(),
            psychologist: self.unlocked_profile().map(|p| p.name).unwrap_or_default(),
            date: crate::caseload::today().dotted(),
        };
        let printed = tirek_letters::handout(&doc)?;
        self.with_profile(|open, _| {
            Ok(open.audit(now_ms(), tirek_domain::audit::AuditEvent::Print, Some(client_id)).map(drop)?)
        })?;
        Ok(printed)
    }
}

fn service_record(open: &tirek_store::OpenProfile, id: &str) -> Result<Record> {
    open.read("service", id)?
        .ok_or_else(|| tirek_store::StoreError::RecordNotFound { entity: "service".into(), id: id.into() }.into())
}

/// The example list in `language`.
fn example_list(language: Language) -> &'static str {
    EXAMPLES.iter().find(|(l, _)| *l == language).map_or(EXAMPLES[0].1, |(_, csv)| csv)
}

/// The kinds a service can be, for forms.
pub fn service_kinds() -> Vec<&'static str> {
    ServiceKind::ALL.iter().map(|k| k.code()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Letters only one of the three languages writes: Kazakh's own Cyrillic letters,
    /// Russian's ё, ъ, ы, э (absent from Kazakh words, but Kazakh uses them in Russian
    /// loans — so only Kazakh's are a sure sign), any Cyrillic in English.
    fn foreign_letter(language: Language, text: &str) -> Option<char> {
        let kazakh_only = "ӘәҒғҚқҢңӨөҰұҮүҺһІі";
        text.chars().find(|c| match language {
            Language::Russian => kazakh_only.contains(*c),
            Language::English => ('\u{0400}'..='\u{04FF}').contains(c),
            Language::Kazakh => false,
        })
    }

    #[test]
    fn each_example_list_is_in_one_language_covers_every_kind_and_stays_marked() {
        for (language, csv) in EXAMPLES {
            let services = parse_csv(csv.as_bytes()).unwrap();
            for kind in ServiceKind::ALL {
                assert!(services.iter().any(|s| s.kind == kind.code()), "{language:?}: no example of {kind:?}");
            }
            let prefix = match language {
                Language::Kazakh => "МЫСАЛ: ",
                Language::Russian => "ПРИМЕР: ",
                Language::English => "EXAMPLE: ",
            };
            for service in &services {
                assert!(service.name.starts_with(prefix), "{language:?}: {}", service.name);
                for text in [&service.name, &service.address, &service.notes] {
                    assert_eq!(foreign_letter(language, text), None, "{language:?}: {text}");
                }
                assert!(is_example(&form(service).validate().unwrap()), "{}", service.name);
            }
        }
        // Kazakh text is told from Russian by Kazakh's letters: every Kazakh row has one.
        let kazakh = parse_csv(example_list(Language::Kazakh).as_bytes()).unwrap();
        assert!(kazakh.iter().all(|s| s.notes.chars().any(|c| "әғқңөұүһі".contains(c))));
    }

    #[test]
    fn an_example_becomes_a_real_service_once_name_address_and_phone_are_replaced() {
        let example = parse_csv(example_list(Language::Russian).as_bytes()).unwrap().remove(2);
        let real = ServiceInput {
            name: "Служба передышки Сайрамского района".into(),
            address: "с. Аксу, ул. Бейбітшілік, 3".into(),
            phone: "8 725 312 00 03".into(),
            ..example.clone()
        };
        let marked = |input: &ServiceInput| is_example(&form(input).validate().unwrap());
        assert!(!marked(&real));
        assert!(!marked(&ServiceInput { address: String::new(), ..real.clone() }), "an address may be left empty");
        assert!(marked(&ServiceInput { name: example.name.clone(), ..real.clone() }), "an example's name");
        assert!(marked(&ServiceInput { address: example.address.clone(), ..real.clone() }), "a made-up street");
        // The made-up number, as typed in any spelling, in another language's example.
        let english = parse_csv(example_list(Language::English).as_bytes()).unwrap().remove(2);
        assert!(marked(&ServiceInput { phone: "8 (725) 000-00-03".into(), ..real.clone() }), "a made-up phone");
        assert!(marked(&ServiceInput { name: english.name, ..real }), "another list's name");
    }

    #[test]
    fn a_bad_row_is_named_by_its_line_and_fields() {
        let csv = "name,kind,phone,district\nЦентр,respite_care,+77250000003,\nБез телефона,ngo,,\n";
        let Err(AppError::CsvInvalid { line, problems }) = parse_csv(csv.as_bytes()) else { panic!("accepted") };
        assert_eq!((line, problems[0].field), (3, "phone"));
        assert!(matches!(parse_csv(b"title,phone\nx,1\n"), Err(AppError::CsvHeader)));
        let with_bom = "\u{feff}Name,Kind,Phone\nОрталық,ngo,87012345678\n";
        assert_eq!(parse_csv(with_bom.as_bytes()).unwrap()[0].phone, "87012345678");
    }
}
