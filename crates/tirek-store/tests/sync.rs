//! Applying other devices' changes: a page applied twice changes nothing, concurrent
//! edits of one field end the same — value and review marks — whatever order they
//! arrive in, an erasure that arrives by pull removes the client here, and a signed
//! record shows what was signed on every device.

use std::sync::Arc;

use tirek_domain::change::{ChangeRecord, FieldValue};
use tirek_store::keys::KdfParams;
use tirek_store::sync::{CandidateKind, Outgoing, SyncEnrolment};
use tirek_store::{DataDir, MemoryKeyring, OpenProfile, Profiles};

const PASSWORD: &str = "тау бұлақ өзен 2026";
const NOW_MS: i64 = 1_764_000_000_000;

fn text(value: &str) -> FieldValue {
    FieldValue::Text(value.to_owned())
}

/// A profile of its own on a computer of its own, enrolled (so it has a cursor to move).
struct Device {
    _folder: tempfile::TempDir,
    profile: OpenProfile,
}

fn device(name: &str) -> Device {
    let folder = tempfile::tempdir().unwrap();
    let profiles = Profiles::new(&DataDir::open(folder.path()).unwrap(), Arc::new(MemoryKeyring::default()))
        .with_kdf(KdfParams::FAST_FOR_TESTS);
    let id = profiles.create(name, PASSWORD, NOW_MS / 1000).unwrap().profile.id;
    let mut profile = profiles.unlock(&id, PASSWORD, NOW_MS).unwrap();
    profile
        .save_sync_enrolment(
            &SyncEnrolment {
                server_url: "https://tirek.example:8443".to_owned(),
                ca_pem: None,
                ca_sha256: None,
                token: "device.secret".to_owned(),
                user_id: 1,
                enrolled_at: NOW_MS,
                epoch: "e".to_owned(),
                acknowledged: 0,
                pull_cursor: None,
                last_sync_at: None,
                paused: false,
                bundle_key: None,
            },
            false,
        )
        .unwrap();
    Device { _folder: folder, profile }
}

impl Device {
    /// Clears every waiting change to go and returns what a push would send.
    fn outgoing(&mut self) -> Vec<ChangeRecord> {
        let acknowledged = self.profile.sync_enrolment().unwrap().unwrap().acknowledged;
        let decisions: Vec<(i64, Outgoing)> = self
            .profile
            .sync_candidates()
            .unwrap()
            .into_iter()
            .map(|c| (c.seq, if c.kind == CandidateKind::Blanked { Outgoing::KeepLocal } else { Outgoing::Send }))
            .collect();
        self.profile.sync_assign(&decisions).unwrap();
        let sent = self.profile.sync_outbox(acknowledged).unwrap();
        if let Some(last) = sent.last() {
            self.profile.sync_acknowledge("e", last.seq, &[], NOW_MS).unwrap();
        }
        sent
    }

    fn apply(&mut self, page: &[ChangeRecord]) -> tirek_store::sync::Applied {
        self.profile.sync_apply_page(page, "e", "1.1", NOW_MS).unwrap()
    }

    fn write(
        &mut self,
        at_ms: i64,
        body: impl FnOnce(&mut tirek_store::changes::Changes<'_>) -> tirek_store::Result<()>,
    ) {
        let author = self.profile.summary().id.clone();
        self.profile.write(&author, at_ms, body).unwrap();
    }

    fn client(&self, id: &str) -> Option<tirek_store::changes::Record> {
        self.profile.read("client", id).unwrap()
    }
}

#[test]
fn a_page_applied_twice_changes_nothing() {
    let mut aigul = device("Aigul");
    let mut laptop = device("Laptop");
    aigul.write(NOW_MS, |changes| {
        changes.insert("client", "c1", &[("family_name", text("Сәрсенова")), ("given_name", text("Әлия"))])?;
        changes.insert("child", "k1", &[("client_id", text("c1")), ("name", text("Нұрлан"))])
    });
    aigul.write(NOW_MS + 1, |changes| changes.update("client", "c1", &[("phone", text("+77013120003"))]));
    let page = aigul.outgoing();
    assert_eq!(page.len(), 3);

    let first = laptop.apply(&page);
    assert_eq!((first.recorded, first.duplicates), (3, 0));
    let before = laptop.profile.table_dump().unwrap();
    let again = laptop.apply(&page);
    assert_eq!((again.recorded, again.duplicates), (0, 3));
    assert_eq!(laptop.profile.table_dump().unwrap(), before, "nothing changed, not even a revision");
    // A page that repeats a change within itself (a bundle's answer and a pull
    // overlapping) takes it once.
    let mut repeated = device("Repeated");
    let doubled: Vec<ChangeRecord> = page.iter().chain(page.iter()).cloned().collect();
    let once = repeated.apply(&doubled);
    assert_eq!((once.recorded, once.duplicates), (3, 3));
    assert_eq!(repeated.profile.sync_canonical_dump().unwrap(), laptop.profile.sync_canonical_dump().unwrap());

    let client = laptop.client("c1").unwrap();
    assert_eq!(client.fields["family_name"], text("Сәрсенова"));
    assert_eq!(client.fields["phone"], text("+77013120003"));
    assert_eq!(laptop.profile.sync_enrolment().unwrap().unwrap().pull_cursor.as_deref(), Some("1.1"));
    // Derived columns are computed here as for a local write: the client is found.
    let origin = aigul.profile.sync_canonical_dump().unwrap();
    let copy = laptop.profile.sync_canonical_dump().unwrap();
    assert_eq!(copy["clients"], origin["clients"]);
    assert_eq!(copy["children"], origin["children"]);
    assert_eq!(copy["change_log"], origin["change_log"], "the history came with its origin");
}

#[test]
fn a_bundle_s_answer_key_is_kept_until_its_answer_is_imported_and_then_remembered_as_imported() {
    use tirek_store::sync::BundleAnswerState;
    let mut desk = device("Desk");
    let key_id = "0123456789abcdef0123456789abcdef";
    assert_eq!(desk.profile.sync_bundle_answer(key_id).unwrap(), None, "no such bundle");
    desk.profile.sync_bundle_written(key_id, &[7; 32], &"b".repeat(32), 12, NOW_MS).unwrap();
    match desk.profile.sync_bundle_answer(key_id).unwrap() {
        Some(BundleAnswerState::Waiting { key, changes }) => assert_eq!((*key, changes), ([7; 32], 12)),
        other => panic!("waiting, not {other:?}"),
    }
    desk.profile.sync_bundle_answered(key_id, NOW_MS + 5).unwrap();
    desk.profile.sync_bundle_answered(key_id, NOW_MS + 9).unwrap();
    assert_eq!(desk.profile.sync_bundle_answer(key_id).unwrap(), Some(BundleAnswerState::Imported(NOW_MS + 5)));

    desk.profile.sync_set_bundle_key(&"ab".repeat(32)).unwrap();
    assert_eq!(desk.profile.sync_enrolment().unwrap().unwrap().bundle_key, Some("ab".repeat(32)));
    assert!(desk.profile.sync_set_bundle_key("not hex").is_err(), "the schema refuses what is not a key");

    // The mark only goes down; the cursor stays.
    desk.profile.sync_acknowledge("e", 9, &[], NOW_MS).unwrap();
    desk.profile.sync_apply_page(&[], "e", "4.2", NOW_MS).unwrap();
    desk.profile.sync_lower_mark(12).unwrap();
    desk.profile.sync_lower_mark(5).unwrap();
    let enrolment = desk.profile.sync_enrolment().unwrap().unwrap();
    assert_eq!((enrolment.acknowledged, enrolment.pull_cursor.as_deref()), (5, Some("4.2")));
}

#[test]
fn changes_applied_without_a_cursor_are_recorded_and_leave_the_cursor_where_it_was() {
    let mut aigul = device("Aigul");
    let mut laptop = device("Laptop");
    aigul.write(NOW_MS, |changes| changes.insert("client", "c1", &[("family_name", text("Сәрсенова"))]));
    let page = aigul.outgoing();
    laptop.profile.sync_apply_page(&[], "e", "3.3", NOW_MS).unwrap();
    let applied = laptop.profile.sync_apply_changes(&page, NOW_MS).unwrap();
    assert_eq!(applied.recorded, 1);
    assert!(laptop.client("c1").is_some());
    assert_eq!(laptop.profile.sync_enrolment().unwrap().unwrap().pull_cursor.as_deref(), Some("3.3"));
    assert_eq!(laptop.apply(&page).duplicates, 1, "recorded once");
}

#[test]
fn concurrent_edits_end_the_same_in_any_order_and_are_marked_for_review() {
    let mut desk = device("Desk");
    let mut laptop = device("Laptop");
    desk.write(NOW_MS, |changes| changes.insert("client", "c1", &[("family_name", text("Сәрсенова"))]));
    let created = desk.outgoing();
    laptop.apply(&created);

    // Both change the name without seeing the other; the laptop's clock is later.
    desk.write(NOW_MS + 1_000, |changes| changes.update("client", "c1", &[("family_name", text("Нұрланова"))]));
    laptop.write(NOW_MS + 2_000, |changes| {
        changes.update("client", "c1", &[("family_name", text("Нурланова")), ("address", text("Абай к-сі 1"))])
    });
    let from_desk = desk.outgoing();
    let from_laptop = laptop.outgoing();
    desk.apply(&from_laptop);
    laptop.apply(&from_desk);

    // Two more devices of the same scope receive everything, in both orders.
    let mut one = device("One");
    let mut other = device("Other");
    one.apply(&[created.clone(), from_desk.clone(), from_laptop.clone()].concat());
    other.apply(&created);
    other.apply(&from_laptop);
    other.apply(&from_desk);

    for device in [&desk, &laptop, &one, &other] {
        let client = device.client("c1").unwrap();
        assert_eq!(client.fields["family_name"], text("Нурланова"), "the later clock wins");
        assert_eq!(client.fields["address"], text("Абай к-сі 1"));
        let marks = device.profile.sync_reviews().unwrap();
        assert_eq!(marks.len(), 1, "{marks:?}");
        assert_eq!(marks[0].field, "family_name");
        assert_eq!(marks[0].earlier.value, text("Нұрланова"), "the other value is kept, side by side");
        assert_eq!(marks[0].later.value, text("Нурланова"));
    }
    let reference = desk.profile.sync_canonical_dump().unwrap();
    for device in [&laptop, &one, &other] {
        let dump = device.profile.sync_canonical_dump().unwrap();
        assert_eq!(dump["clients"], reference["clients"]);
        assert_eq!(dump["sync_reviews"], reference["sync_reviews"]);
        assert_eq!(dump["change_log"], reference["change_log"]);
    }
    // The laptop's own edit stays shown; the desk's is in the history.
    let history = desk.profile.history("client", "c1").unwrap();
    assert_eq!(history.len(), 3);
}

#[test]
fn an_edit_made_on_top_of_the_other_is_no_conflict() {
    let mut desk = device("Desk");
    let mut laptop = device("Laptop");
    desk.write(NOW_MS, |changes| changes.insert("client", "c1", &[("family_name", text("Сәрсенова"))]));
    laptop.apply(&desk.outgoing());
    desk.write(NOW_MS + 1_000, |changes| changes.update("client", "c1", &[("family_name", text("Нұрланова"))]));
    laptop.apply(&desk.outgoing());
    // The laptop saw the desk's value and corrects it, even with an earlier clock.
    laptop.write(NOW_MS + 500, |changes| changes.update("client", "c1", &[("family_name", text("Нұрланова-Ким"))]));
    desk.apply(&laptop.outgoing());
    for device in [&desk, &laptop] {
        assert_eq!(device.client("c1").unwrap().fields["family_name"], text("Нұрланова-Ким"));
        assert!(device.profile.sync_reviews().unwrap().is_empty());
    }
}

#[test]
fn an_erasure_arriving_by_pull_removes_the_client_here() {
    let mut desk = device("Desk");
    let mut laptop = device("Laptop");
    desk.write(NOW_MS, |changes| {
        changes.insert("client", "c1", &[("family_name", text("Сәрсенова"))])?;
        changes.insert("child", "k1", &[("client_id", text("c1")), ("name", text("Нұрлан"))])?;
        changes.insert("client", "c2", &[("family_name", text("Ахметова"))])
    });
    laptop.apply(&desk.outgoing());
    assert!(laptop.client("c1").is_some());
    desk.write(NOW_MS + 1_000, |changes| changes.erase_client("c1").map(drop));
    let tombstones = desk.outgoing();
    assert!(tombstones.iter().all(|change| change.fields.len() == 1 && change.fields[0].field == "_erased"));
    laptop.apply(&tombstones);

    assert_eq!(laptop.client("c1"), None);
    assert_eq!(laptop.profile.read("child", "k1").unwrap(), None);
    assert!(laptop.client("c2").is_some(), "another client stays");
    for (entity, id) in [("client", "c1"), ("child", "k1")] {
        for change in laptop.profile.history(entity, id).unwrap() {
            let fields: Vec<&str> = change.fields.iter().map(|f| f.field.as_str()).collect();
            assert!(fields.is_empty() || fields == ["_erased"], "no value survives: {fields:?}");
        }
    }
    // A late edit of the erased client (made before the laptop heard of the erasure)
    // does not bring it back.
    let late = ChangeRecord {
        entity: "client".to_owned(),
        entity_id: "c1".to_owned(),
        fields: vec![tirek_domain::change::FieldChange {
            field: "address".to_owned(),
            old: FieldValue::Null,
            new: text("Абай к-сі 1"),
        }],
        base_revision: 1,
        hlc: (NOW_MS as u64) << 16,
        device_id: "third".to_owned(),
        seq: 1,
        author: "someone".to_owned(),
    };
    laptop.apply(std::slice::from_ref(&late));
    assert_eq!(laptop.client("c1"), None);
    // The same in one page: the erasure of another client, then an edit of it made
    // elsewhere before that computer heard of the erasure.
    desk.write(NOW_MS + 2_000, |changes| changes.erase_client("c2").map(drop));
    let mut page = desk.outgoing();
    page.push(ChangeRecord { entity_id: "c2".to_owned(), seq: 2, ..late });
    laptop.apply(&page);
    assert_eq!(laptop.client("c2"), None, "the edit after the erasure does not bring the client back");
    for change in laptop.profile.history("client", "c2").unwrap() {
        let fields: Vec<&str> = change.fields.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.is_empty() || fields == ["_erased"], "no value survives: {fields:?}");
    }
    assert_eq!(
        laptop.profile.sync_canonical_dump().unwrap()["clients"],
        desk.profile.sync_canonical_dump().unwrap()["clients"]
    );
}

#[test]
fn a_signature_carries_what_was_signed_and_never_conflicts() {
    let mut desk = device("Desk");
    let mut laptop = device("Laptop");
    desk.write(NOW_MS, |changes| {
        changes.insert("consultation", "s1", &[("notes", text("черновик")), ("held_on", text("2025-11-20"))])
    });
    laptop.apply(&desk.outgoing());
    // The desk signs; the laptop, not knowing, edits the draft later by its clock.
    desk.write(NOW_MS + 1_000, |changes| {
        changes.update("consultation", "s1", &[("notes", text("подписано")), ("signed_at", FieldValue::Integer(1))])
    });
    laptop.write(NOW_MS + 2_000, |changes| changes.update("consultation", "s1", &[("notes", text("правка"))]));
    let signed = desk.outgoing();
    assert!(signed[0].fields.iter().any(|f| f.field == "held_on"), "the signature carries the whole record");
    let edit = laptop.outgoing();
    laptop.apply(&signed);
    desk.apply(&edit);
    for device in [&desk, &laptop] {
        let record = device.profile.read("consultation", "s1").unwrap().unwrap();
        assert_eq!(record.fields["notes"], text("подписано"), "what was signed, on every device");
        assert!(device.profile.sync_reviews().unwrap().is_empty());
    }
}

#[test]
fn changes_written_under_a_clock_years_ahead_are_stamped_again_unless_the_server_has_them() {
    const YEARS_MS: i64 = 3 * 365 * 24 * 3600 * 1000;
    let mut desk = device("Desk");
    let mut laptop = device("Laptop");
    laptop.write(NOW_MS, |changes| changes.insert("client", "theirs", &[("family_name", text("Ахметова"))]));
    let theirs = laptop.outgoing();
    desk.apply(&theirs);
    desk.write(NOW_MS, |changes| changes.insert("client", "c1", &[("family_name", text("Сәрсенова"))]));
    let on_server = desk.outgoing();
    // The clock jumps three years ahead: two more changes, one numbered for a push
    // the server refused, one not numbered yet.
    desk.write(NOW_MS + YEARS_MS, |changes| changes.update("client", "c1", &[("phone", text("+77013120003"))]));
    let decisions: Vec<(i64, Outgoing)> =
        desk.profile.sync_candidates().unwrap().into_iter().map(|c| (c.seq, Outgoing::Send)).collect();
    desk.profile.sync_assign(&decisions).unwrap();
    desk.write(NOW_MS + YEARS_MS, |changes| changes.update("client", "c1", &[("address", text("Абай көшесі"))]));

    let clock = |desk: &Device| {
        let mut log: Vec<(String, u64)> = desk
            .profile
            .sync_scope()
            .unwrap()
            .into_iter()
            .map(|change| (format!("{} {}", change.device_id, change.seq), change.hlc))
            .collect();
        log.sort();
        log
    };
    let acknowledged = on_server.last().unwrap().seq;
    let still_wrong = NOW_MS + YEARS_MS;
    assert_eq!(desk.profile.sync_restamp_future(still_wrong, 60_000, acknowledged).unwrap(), 0, "not yet wrong");

    // The clock is right again, a minute later.
    let held = clock(&desk);
    assert_eq!(held.len(), 2, "the laptop's change and the desk's first");
    let right = NOW_MS + 60_000;
    assert_eq!(desk.profile.sync_restamp_future(right, 60_000, acknowledged).unwrap(), 2);
    let outbox = desk.profile.sync_outbox(acknowledged).unwrap();
    assert_eq!(outbox.len(), 1, "the numbered one; the other is numbered at the next push");
    let floor = on_server.last().unwrap().hlc.max(theirs[0].hlc);
    assert!(outbox[0].hlc > floor && tirek_domain::change::hlc_millis(outbox[0].hlc) <= right as u64);
    assert_eq!(clock(&desk), held, "what the server holds, and what came from others, keep their clocks");
    desk.write(right, |changes| changes.update("client", "c1", &[("phone", text("+77013120004"))]));
    let decisions: Vec<(i64, Outgoing)> =
        desk.profile.sync_candidates().unwrap().into_iter().map(|c| (c.seq, Outgoing::Send)).collect();
    desk.profile.sync_assign(&decisions).unwrap();
    let sent = desk.profile.sync_outbox(acknowledged).unwrap();
    assert_eq!(sent.len(), 3);
    assert!(sent.windows(2).all(|pair| pair[0].hlc < pair[1].hlc), "their order kept, and the clock runs on from them");
    assert!(sent.iter().all(|change| tirek_domain::change::hlc_millis(change.hlc) <= right as u64));
    assert_eq!(desk.profile.sync_restamp_future(right, 60_000, acknowledged).unwrap(), 0, "done once");
}

#[test]
fn a_draft_signed_on_two_computers_shows_the_signature_the_server_kept_and_names_the_words_it_lacks() {
    let mut desk = device("Desk");
    let mut laptop = device("Laptop");
    desk.write(NOW_MS, |changes| {
        changes.insert("consultation", "s2", &[("notes", text("черновик")), ("held_on", text("2025-11-20"))])
    });
    laptop.apply(&desk.outgoing());
    // Both sign the draft offline, each with words of its own.
    desk.write(NOW_MS + 1_000, |changes| {
        changes.update("consultation", "s2", &[("notes", text("үстелде")), ("signed_at", FieldValue::Integer(1))])
    });
    laptop.write(NOW_MS + 2_000, |changes| {
        changes.update(
            "consultation",
            "s2",
            &[("notes", text("ноутбукта")), ("plan", text("келесі апта")), ("signed_at", FieldValue::Integer(2))],
        )
    });
    // The server stored the desk's signature first and refused the laptop's; the
    // laptop pulls the desk's.
    let kept = desk.outgoing();
    laptop.outgoing();
    let applied = laptop.apply(&kept);
    assert_eq!(applied.superseded, 1);

    let shown = |device: &Device| device.profile.read("consultation", "s2").unwrap().unwrap();
    assert_eq!(shown(&laptop).fields, shown(&desk).fields, "the kept signature everywhere");
    assert_eq!(shown(&laptop).fields["notes"], text("үстелде"));
    assert_eq!(
        laptop.profile.sync_canonical_dump().unwrap()["consultations"],
        desk.profile.sync_canonical_dump().unwrap()["consultations"]
    );
    assert!(laptop.profile.sync_reviews().unwrap().is_empty(), "signed records do not conflict");

    let superseded = laptop.profile.sync_superseded_finals().unwrap();
    assert_eq!(superseded.len(), 1, "{superseded:?}");
    let lacking: Vec<(&str, &FieldValue)> = superseded[0].lacking.iter().map(|(f, v)| (f.as_str(), v)).collect();
    assert!(lacking.contains(&("notes", &text("ноутбукта"))), "{lacking:?}");
    assert!(lacking.contains(&("plan", &text("келесі апта"))), "{lacking:?}");
    assert!(!lacking.iter().any(|(field, _)| *field == "signed_at" || *field == "held_on"), "{lacking:?}");
    assert!(desk.profile.sync_superseded_finals().unwrap().is_empty(), "the desk's signature was kept");

    // Once kept under its id, the words are not named again.
    let keep_id = superseded[0].keep_id.clone();
    laptop.write(NOW_MS + 3_000, |changes| {
        changes.insert("addendum", &keep_id, &[("consultation_id", text("s2")), ("text", text("ноутбукта"))])
    });
    assert!(laptop.profile.sync_superseded_finals().unwrap().is_empty());
    // A page applied again supersedes nothing more.
    assert_eq!(laptop.apply(&kept).superseded, 0);
}

#[test]
fn the_outbox_s_candidates_are_the_changes_not_decided_yet_and_come_back_with_another_server() {
    let mut desk = device("Desk");
    desk.write(NOW_MS, |changes| {
        changes.insert("client", "c1", &[("family_name", text("Сәрсенова")), ("given_name", text("Әлия"))])?;
        changes.insert("child", "k1", &[("client_id", text("c1")), ("name", text("Нұрлан"))])
    });
    let seqs = |desk: &Device| desk.profile.sync_candidates().unwrap().iter().map(|c| c.seq).collect::<Vec<_>>();
    assert_eq!(seqs(&desk), [1, 2]);
    let first = desk.profile.sync_candidates().unwrap();
    assert_eq!(
        (first[0].clients.as_slice(), first[1].clients.as_slice()),
        (["c1".to_owned()].as_slice(), ["c1".to_owned()].as_slice())
    );

    desk.profile.sync_assign(&[(1, Outgoing::Send)]).unwrap();
    assert_eq!(seqs(&desk), [2], "the decided one left the candidates");
    desk.write(NOW_MS + 1, |changes| changes.update("client", "c1", &[("phone", text("+77013120003"))]));
    assert_eq!(seqs(&desk), [2, 3], "a new change joins them");
    assert!(desk.profile.sync_clients_waiting(&["c1"]).unwrap().contains("c1"));

    // Enrolled with another server: every change is undecided again.
    let enrolment = desk.profile.sync_enrolment().unwrap().unwrap();
    desk.profile
        .save_sync_enrolment(&SyncEnrolment { server_url: "https://other.example".to_owned(), ..enrolment }, false)
        .unwrap();
    assert_eq!(seqs(&desk), [1, 2, 3]);

    // Sent and acknowledged: nothing waits, for the outbox or for the client's row.
    let sent = desk.outgoing();
    assert_eq!(sent.len(), 3);
    assert!(seqs(&desk).is_empty());
    assert!(desk.profile.sync_clients_waiting(&["c1"]).unwrap().is_empty());
    assert!(desk.profile.sync_records_waiting("c1").unwrap().is_empty());
}
