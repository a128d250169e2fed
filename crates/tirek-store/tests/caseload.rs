//! The caseload's tables through the store: derived search and sort keys, the last
//! contact, signed consultations that cannot change, the list and agenda queries,
//! and erasure that leaves a tombstone and no data.

use std::sync::Arc;

use tirek_domain::change::FieldValue;
use tirek_store::caseload::{CaseloadFilter, CaseloadOrder};
use tirek_store::changes::ERASED;
use tirek_store::keys::KdfParams;
use tirek_store::{DataDir, MemoryKeyring, OpenProfile, Profiles, StoreError};

const PASSWORD: &str = "тау бұлақ өзен 2026";
const NOW_MS: i64 = 1_764_000_000_000;

fn text(value: &str) -> FieldValue {
    FieldValue::Text(value.to_owned())
}

fn open_profile(folder: &tempfile::TempDir) -> OpenProfile {
    let profiles = Profiles::new(&DataDir::open(folder.path()).unwrap(), Arc::new(MemoryKeyring::default()))
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let id = profiles.create("Aigul", PASSWORD, NOW_MS / 1000).unwrap().profile.id;
    profiles.unlock(&id, PASSWORD, NOW_MS).unwrap()
}

fn add_client(profile: &mut OpenProfile, id: &str, family: &str, given: &str, phone: Option<&str>) {
    let mut fields = vec![("family_name", text(family)), ("given_name", text(given))];
    if let Some(phone) = phone {
        fields.push(("phone", text(phone)));
    }
    profile.write("aigul", NOW_MS, |changes| changes.insert("client", id, &fields)).unwrap();
}

fn consult(profile: &mut OpenProfile, id: &str, held_on: &str, clients: &[&str]) {
    profile
        .write("aigul", NOW_MS, |changes| {
            changes.insert("consultation", id, &[("held_on", text(held_on)), ("notes", text("Шаршаған"))])?;
            for client in clients {
                changes.insert(
                    "attendance",
                    &format!("{id}-{client}"),
                    &[("consultation_id", text(id)), ("client_id", text(client))],
                )?;
            }
            Ok(())
        })
        .unwrap();
}

fn names(profile: &OpenProfile, filter: &CaseloadFilter) -> Vec<String> {
    profile.caseload(filter).unwrap().rows.into_iter().map(|row| row.given_name).collect()
}

fn search(text: &str) -> CaseloadFilter {
    CaseloadFilter { search: Some(tirek_domain::text::fold(text)), limit: 50, ..CaseloadFilter::default() }
}

#[test]
fn the_list_sorts_in_kazakh_order_and_search_ignores_case_and_script_details() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    add_client(&mut profile, "1", "Ясинова", "Ольга", None);
    add_client(&mut profile, "2", "Әбілқасымова", "Әлия", Some("+77012345678"));
    add_client(&mut profile, "3", "Абенова", "Гүлнұр", None);
    add_client(&mut profile, "4", "Smith", "Aliya", None);
    add_client(&mut profile, "5", "Үсенова", "Дана", None);

    let all = CaseloadFilter { limit: 50, ..CaseloadFilter::default() };
    assert_eq!(names(&profile, &all), ["Aliya", "Гүлнұр", "Әлия", "Дана", "Ольга"]);
    assert_eq!(names(&profile, &search("әли")), ["Aliya", "Әлия"], "Kazakh, Russian and Latin letters meet");
    assert_eq!(names(&profile, &search("али")), ["Aliya", "Әлия"]);
    assert_eq!(names(&profile, &search("ALIYA")), ["Aliya", "Әлия"]);
    assert_eq!(names(&profile, &search("smith")), ["Aliya"]);
    assert_eq!(names(&profile, &search("gulnur")), ["Гүлнұр"]);
    assert_eq!(names(&profile, &search("ӘБІЛ")), ["Әлия"]);
    assert_eq!(names(&profile, &search("әлия  әбіл")), ["Әлия"], "every word, in any order");
    assert_eq!(names(&profile, &search("әлия ясин")), Vec::<String>::new());
    assert_eq!(names(&profile, &search("7012345")), ["Әлия"]);
    assert_eq!(names(&profile, &search("87012345678")), ["Әлия"]);
    assert_eq!(names(&profile, &search("77012345678")), ["Әлия"]);
    assert_eq!(names(&profile, &search("100%")), Vec::<String>::new());

    let page = profile.caseload(&CaseloadFilter { limit: 2, offset: 2, ..all.clone() }).unwrap();
    assert_eq!(page.total, 5);
    let past_the_end = profile.caseload(&CaseloadFilter { limit: 2, offset: 10, ..all.clone() }).unwrap();
    assert_eq!((past_the_end.total, past_the_end.rows.len()), (5, 0));
    let one_match = profile.caseload(&search("ясин")).unwrap();
    assert_eq!(one_match.total, 1);
    assert_eq!(page.rows.iter().map(|r| r.given_name.as_str()).collect::<Vec<_>>(), ["Әлия", "Дана"]);

    // A rename moves the client and changes what finds them.
    profile
        .write("aigul", NOW_MS, |changes| changes.update("client", "1", &[("family_name", text("Ахметова"))]))
        .unwrap();
    assert_eq!(names(&profile, &all), ["Aliya", "Гүлнұр", "Ольга", "Әлия", "Дана"]);
    assert_eq!(names(&profile, &search("ясин")), Vec::<String>::new());
}

#[test]
fn last_contact_follows_consultations_and_filters_the_list() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    add_client(&mut profile, "a", "Серікова", "Айгүл", None);
    add_client(&mut profile, "b", "Иванова", "Мария", None);
    add_client(&mut profile, "c", "Ким", "Анна", None);
    consult(&mut profile, "k1", "2026-01-10", &["a", "b"]);
    consult(&mut profile, "k2", "2026-11-20", &["a"]);

    let list = profile.caseload(&CaseloadFilter { limit: 10, ..CaseloadFilter::default() }).unwrap();
    let last: Vec<_> = list.rows.iter().map(|r| (r.given_name.as_str(), r.last_contact.as_deref())).collect();
    assert_eq!(last, [("Мария", Some("2026-01-10")), ("Анна", None), ("Айгүл", Some("2026-11-20"))]);

    let stale = CaseloadFilter {
        no_contact_since: Some("2026-06-01".into()),
        order: CaseloadOrder::LastContact,
        limit: 10,
        ..CaseloadFilter::default()
    };
    assert_eq!(names(&profile, &stale), ["Анна", "Мария"]);

    profile
        .write("aigul", NOW_MS, |changes| changes.update("consultation", "k1", &[("held_on", text("2026-08-01"))]))
        .unwrap();
    assert_eq!(names(&profile, &stale), ["Анна"]);
}

#[test]
fn a_signed_consultation_cannot_change_even_behind_the_api() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    add_client(&mut profile, "a", "Серікова", "Айгүл", None);
    consult(&mut profile, "k", "2026-11-20", &["a"]);
    profile
        .write("aigul", NOW_MS, |changes| {
            changes.update(
                "consultation",
                "k",
                &[("signed_at", FieldValue::Integer(NOW_MS)), ("signed_by", text("aigul"))],
            )
        })
        .unwrap();
    let refused =
        profile.write("aigul", NOW_MS, |changes| changes.update("consultation", "k", &[("notes", text("x"))]));
    assert!(matches!(refused, Err(StoreError::RecordFinal { .. })), "{refused:?}");
    assert_eq!(profile.read("consultation", "k").unwrap().unwrap().text("notes"), Some("Шаршаған"));
    let joined = profile.write("aigul", NOW_MS, |changes| {
        changes.insert("attendance", "late", &[("consultation_id", text("k")), ("client_id", text("a"))])
    });
    assert!(joined.is_err(), "no one joins a signed consultation");
    let deleted = profile.write("aigul", NOW_MS, |changes| changes.delete("consultation", "k"));
    assert!(matches!(deleted, Err(StoreError::RecordFinal { .. })));

    profile
        .write("aigul", NOW_MS, |changes| {
            changes.insert("addendum", "d", &[("consultation_id", text("k")), ("text", text("Түзету"))])
        })
        .unwrap();
    let refused = profile.write("aigul", NOW_MS, |changes| changes.update("addendum", "d", &[("text", text("x"))]));
    assert!(matches!(refused, Err(StoreError::RecordFinal { .. })));
    assert_eq!(profile.related("addendum", "consultation_id", "k").unwrap()[0].1.text("text"), Some("Түзету"));
}

#[test]
fn the_agenda_has_the_range_and_everything_overdue() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    add_client(&mut profile, "a", "Серікова", "Айгүл", None);
    profile
        .write("aigul", NOW_MS, |changes| {
            for (id, due, done) in [
                ("old-open", "2026-10-01", None),
                ("old-done", "2026-10-02", Some("2026-10-02")),
                ("this-week", "2026-11-26", None),
                ("later", "2026-12-20", None),
            ] {
                let mut fields = vec![("client_id", text("a")), ("kind", text("follow_up")), ("due_on", text(due))];
                if let Some(done) = done {
                    fields.push(("done_on", text(done)));
                }
                changes.insert("follow_up", id, &fields)?;
            }
            Ok(())
        })
        .unwrap();
    let agenda = profile.agenda("2026-11-23", "2026-11-29", Some("2026-11-25")).unwrap();
    let ids: Vec<_> = agenda.iter().map(|row| row.id.as_str()).collect();
    assert_eq!(ids, ["old-open", "this-week"]);
    assert_eq!(agenda[0].client_name, "Серікова Айгүл");
    let overdue = CaseloadFilter { overdue_before: Some("2026-11-25".into()), limit: 10, ..CaseloadFilter::default() };
    assert_eq!(names(&profile, &overdue), ["Айгүл"]);
}

#[test]
fn erasing_a_client_leaves_tombstones_and_no_data_but_keeps_others_group_sessions() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    add_client(&mut profile, "gone", "Өтегенова", "Жанар", None);
    add_client(&mut profile, "stays", "Иванова", "Мария", None);
    consult(&mut profile, "alone", "2026-10-01", &["gone"]);
    consult(&mut profile, "group", "2026-10-02", &["gone", "stays"]);
    profile
        .write("aigul", NOW_MS, |changes| {
            changes.insert("child", "kid", &[("client_id", text("gone")), ("name", text("Ерасыл"))])?;
            changes.insert("addendum", "add", &[("consultation_id", text("alone")), ("text", text("Жанар айтты"))])
        })
        .unwrap();

    let (erased, changes) = profile.write("aigul", NOW_MS, |changes| changes.erase_client("gone")).unwrap();
    assert_eq!(erased, 6, "client, child, lone consultation, its addendum, two attendances");
    assert!(changes.iter().all(|c| c.fields.len() == 1 && c.fields[0].field == ERASED));

    assert!(profile.read("client", "gone").unwrap().is_none());
    assert!(profile.read("consultation", "alone").unwrap().is_none());
    assert!(profile.read("consultation", "group").unwrap().is_some());
    assert_eq!(profile.consultations_of("stays").unwrap().len(), 1);
    let history = profile.history("client", "gone").unwrap();
    assert!(history.iter().all(|change| change.fields.iter().all(|f| f.field == ERASED || f.new == FieldValue::Null)));
    let dump = format!("{:?}", profile.table_dump().unwrap());
    for word in ["Өтегенова", "Жанар", "Ерасыл"] {
        assert!(!dump.contains(word), "{word} is still in the database or its change log");
    }
    assert!(dump.contains("Иванова"));
}

#[test]
fn the_store_refuses_what_a_form_missed_and_keeps_nothing_of_it() {
    let folder = tempfile::tempdir().unwrap();
    let mut profile = open_profile(&folder);
    let bad: [(&str, Vec<(&str, FieldValue)>); 6] = [
        ("client", vec![("family_name", text(&"Ә".repeat(101)))]),
        ("client", vec![("family_name", text("Ким")), ("phone", text("8 701 234 56 78"))]),
        ("client", vec![("family_name", text("Ким")), ("birth_date", text("12.05.1987"))]),
        ("child", vec![("client_id", text("x")), ("disability", text("severe"))]),
        ("consultation", vec![("duration_minutes", FieldValue::Integer(4500))]),
        ("consent", vec![("client_id", text("x")), ("scope", text("everything"))]),
    ];
    for (entity, fields) in bad {
        let refused = profile.write("aigul", NOW_MS, |changes| changes.insert(entity, "bad", &fields));
        assert!(refused.is_err(), "{entity} {fields:?} was stored");
        assert!(profile.read(entity, "bad").unwrap().is_none());
        assert!(profile.history(entity, "bad").unwrap().is_empty(), "no change record without its row");
    }
}
