//! The convergence property: devices that edit at random, erase clients, sign
//! consultations (the same draft on two computers, too) and write addenda, syncing at
//! random moments through a proxy that drops, delays, cuts, duplicates and reorders
//! their connections, end up — once the faults stop and everyone syncs — holding
//! exactly what the server holds for them: the same tables and review marks on one
//! psychologist's two computers, her changes on the server once each, nothing a device
//! wrote lost (stored, or refused with a reason), every concurrent edit of one field
//! marked for review on both computers, and the supervisor's read-only copy the union
//! of her team's.
//!
//! The run prints its seed; `TIREK_SEED=… cargo test -p tirek-app --test convergence`
//! replays it (devices that sync at the same moment race, so a replay follows the same
//! path as far as their order allows). `TIREK_CONVERGENCE_STEPS` makes it longer.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Computer, TestServer, named_computer, new_client, today};
use tirek_app::{App, AppError, ClientInput, ConsultationInput, ErrorKind, FollowUpInput, SyncError, SyncSummary};
use tirek_domain::Language;
use tirek_faults::{FaultMix, FaultProxy, Rng};
use tirek_i18n::Messages;
use tirek_server::rules::Role;

/// How many random steps the default run takes: enough for every kind of step and
/// fault to occur, well under a minute.
const DEFAULT_STEPS: u64 = 120;

struct Device {
    name: &'static str,
    computer: Computer,
    device_id: String,
    user: i64,
}

impl Device {
    fn app(&self) -> &App {
        &self.computer.app
    }
}

/// What the test did, to check against at the end.
#[derive(Default)]
struct Journal {
    /// Clients made, by user.
    clients: BTreeMap<i64, Vec<String>>,
    /// Consultations started, by user.
    consultations: BTreeMap<i64, Vec<String>>,
    /// Clients erased.
    erased: BTreeSet<String>,
    /// Addenda written: (device index, addendum, consultation).
    addenda: Vec<(usize, String, String)>,
    /// Fields two computers wrote without seeing each other: (client, field).
    concurrent: Vec<(String, &'static str)>,
    /// Drafts both computers signed: (consultation, the desk's words, the laptop's).
    double_signed: Vec<(String, String, String)>,
    /// Which clients each consultation is about.
    attendees: BTreeMap<String, String>,
    words: u64,
    syncs: u64,
    failed_syncs: u64,
}

impl Journal {
    /// A fresh run of letters (names take no digits).
    fn letters(&mut self) -> String {
        self.words += 1;
        self.words.to_string().chars().map(|digit| "абвгдежзик".chars().nth(digit as usize - 48).unwrap()).collect()
    }

    fn word(&mut self, who: &str) -> String {
        self.words += 1;
        // The full stop keeps "…1." from being found inside "…12.".
        format!("{who} жазбасы {}.", self.words)
    }
}

const FAMILY: &[&str] = &["Сәрсенова", "Ахметова", "Нұрланова", "Бекова", "Омарова", "Жұмабаева", "Иванова"];
const GIVEN: &[&str] = &["Әлия", "Дана", "Гүлнар", "Айгерим", "Мадина", "Жанар"];

fn input_of(app: &App, id: &str) -> Option<ClientInput> {
    let client = app.client(id).ok()?.client;
    Some(ClientInput {
        family_name: client.family_name,
        given_name: client.given_name,
        patronymic: client.patronymic.unwrap_or_default(),
        latin_name: client.latin_name.unwrap_or_default(),
        iin: client.iin.unwrap_or_default(),
        birth_date: client.birth_date.unwrap_or_default(),
        phone: client.phone.unwrap_or_default(),
        address: client.address.unwrap_or_default(),
        region: client.region.unwrap_or_default(),
        district: client.district.unwrap_or_default(),
        language: client.language,
    })
}

/// Sets `field` of a client's form to `value`.
fn set_field(input: &mut ClientInput, field: &str, value: String) {
    match field {
        "family_name" => input.family_name = value,
        "given_name" => input.given_name = value,
        _ => input.address = value,
    }
}

fn draft_input(notes: &str) -> ConsultationInput {
    ConsultationInput {
        format: "individual".into(),
        held_on: today(),
        duration_minutes: "50".into(),
        concerns: "Ұйқысы нашар".into(),
        notes: notes.into(),
        ..ConsultationInput::default()
    }
}

/// A step's write may meet a record another device erased, a draft signed meanwhile
/// or one not complete yet: those are the user's everyday refusals; anything else is
/// a bug.
fn tolerated<T>(result: Result<T, AppError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(err) if matches!(err.kind(), ErrorKind::NotFound) => None,
        Err(AppError::NotSigned) => None,
        // A draft whose text has not arrived from the other computer yet cannot be signed.
        Err(AppError::Invalid(_)) => None,
        Err(AppError::Store(tirek_store::StoreError::RecordFinal { .. })) => None,
        Err(err) => panic!("unexpected error: {err:?}"),
    }
}

/// One sync during the faults: an error must be one of the connection's.
fn sync_through_faults(device: &Device, journal_syncs: &mut (u64, u64)) -> Option<SyncSummary> {
    journal_syncs.0 += 1;
    match device.app().sync_now() {
        Ok(summary) => Some(summary),
        Err(AppError::Sync(SyncError::NoConnection | SyncError::Garbage | SyncError::ServerError)) => {
            journal_syncs.1 += 1;
            None
        }
        Err(err) => panic!("{}: a fault gave an error it should not: {err:?}", device.name),
    }
}

fn known<'a>(app: &App, ids: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    ids.into_iter().filter(|id| app.client(id).is_ok()).cloned().collect()
}

#[test]
fn devices_converge_after_random_edits_erasures_and_addenda_under_random_faults() {
    let seed = Rng::seed_from_env("TIREK_SEED");
    eprintln!("convergence: TIREK_SEED={seed} to replay");
    let steps: u64 =
        std::env::var("TIREK_CONVERGENCE_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_STEPS);
    let mut rng = Rng::new(seed);

    let server = TestServer::plain();
    let proxy = FaultProxy::start(server.address, rng.next_u64()).unwrap();
    let aigul = server.user;
    let dana = server.add_user("dana", Role::Psychologist);
    let saule = server.add_user("saule", Role::Supervisor);
    let devices: Vec<Device> = [("desk", aigul), ("laptop", aigul), ("dana", dana), ("supervisor", saule)]
        .into_iter()
        .map(|(name, user)| {
            let computer = named_computer(name);
            computer.app.allow_insecure_dev_sync(true);
            // Small batches and pages: many requests for the faults to fall between.
            computer.app.set_sync_steps_for_tests(4, 5);
            let device_id = server.enrol_as(&computer.app, user, &proxy.url());
            Device { name, computer, device_id, user }
        })
        .collect();
    let (desk, laptop) = (0, 1);
    let writers = [desk, laptop, desk, laptop, 2];

    let mut journal = Journal::default();
    let mut syncs = (0u64, 0u64);
    // A first client each, synced while the link is good, so that edits can cross.
    for writer in [desk, 2] {
        let id = new_client(devices[writer].app(), "Сәрсенова", true);
        journal.clients.entry(devices[writer].user).or_default().push(id);
    }
    for device in &devices {
        device.app().sync_now().expect("syncs while the link is good");
    }

    proxy.set_faults(FaultMix::rural());
    for _ in 0..steps {
        let roll = rng.below(100);
        let w = *rng.pick(&writers);
        let device = &devices[w];
        let app = device.app();
        let user = device.user;
        let mine = journal.clients.get(&user).cloned().unwrap_or_default();
        let local = known(app, &mine);
        match roll {
            0..=17 => {
                let one = &devices[rng.below(devices.len() as u64) as usize];
                sync_through_faults(one, &mut syncs);
            }
            18..=24 => {
                // Two devices at once: their requests race through the proxy.
                let (a, b) = (rng.below(4) as usize, rng.below(4) as usize);
                if a != b {
                    let (first, second) = (&devices[a], &devices[b]);
                    let mut counts = [(0, 0), (0, 0)];
                    let [one, two] = &mut counts;
                    std::thread::scope(|scope| {
                        scope.spawn(|| sync_through_faults(first, one));
                        scope.spawn(|| sync_through_faults(second, two));
                    });
                    syncs.0 += counts[0].0 + counts[1].0;
                    syncs.1 += counts[0].1 + counts[1].1;
                }
            }
            25..=35 => {
                let family: &&str = rng.pick(FAMILY);
                let id = new_client(app, family, true);
                journal.clients.entry(user).or_default().push(id);
            }
            36..=48 if !local.is_empty() => {
                let client = rng.pick(&local).clone();
                let field = *rng.pick(&["family_name", "given_name", "address"]);
                let value = match field {
                    // A value no write had before: writing an earlier value back on
                    // top of the shown one is how a review settles a conflict (the
                    // merge rule), and this step is not a review.
                    "family_name" => format!("{}-{}", rng.pick(FAMILY), journal.letters()),
                    "given_name" => rng.pick(GIVEN).to_string(),
                    _ => journal.word(device.name),
                };
                if let Some(mut input) = input_of(app, &client) {
                    set_field(&mut input, field, value);
                    tolerated(app.update_client(&client, &input));
                }
            }
            49..=55 => {
                // Both computers change one field of one client before either syncs.
                let both = known(devices[laptop].app(), &known(devices[desk].app(), &mine));
                if user == aigul && !both.is_empty() {
                    let client = rng.pick(&both).clone();
                    let field = *rng.pick(&["family_name", "address"]);
                    let mut wrote = 0;
                    for (index, which) in [desk, laptop].into_iter().enumerate() {
                        // Values neither computer holds yet, so both really write.
                        let value = match field {
                            "family_name" => format!("{}-{}", FAMILY[index], journal.letters()),
                            _ => journal.word(devices[which].name),
                        };
                        if let Some(mut input) = input_of(devices[which].app(), &client) {
                            set_field(&mut input, field, value);
                            wrote += tolerated(devices[which].app().update_client(&client, &input)).is_some() as u8;
                        }
                    }
                    if wrote == 2 {
                        journal.concurrent.push((client, field));
                    }
                }
            }
            56..=63 if !local.is_empty() => {
                let client = rng.pick(&local).clone();
                if let Some(id) = tolerated(app.start_consultation(std::slice::from_ref(&client), "")) {
                    let notes = journal.word(device.name);
                    tolerated(app.save_consultation_draft(&id, &draft_input(&notes)));
                    journal.attendees.insert(id.clone(), client);
                    journal.consultations.entry(user).or_default().push(id);
                }
            }
            64..=70 => {
                // Edit a draft, or sign it.
                let drafts: Vec<String> = journal
                    .consultations
                    .get(&user)
                    .into_iter()
                    .flatten()
                    .filter(|id| app.consultation(id).is_ok_and(|c| c.signed_at.is_none()))
                    .cloned()
                    .collect();
                if !drafts.is_empty() {
                    let id = rng.pick(&drafts).clone();
                    if rng.chance(50) {
                        let notes = journal.word(device.name);
                        tolerated(app.save_consultation_draft(&id, &draft_input(&notes)));
                    } else {
                        tolerated(app.sign_consultation(&id));
                    }
                }
            }
            71..=76 => {
                // The same draft, edited and signed on both computers.
                let both: Vec<String> = journal
                    .consultations
                    .get(&aigul)
                    .into_iter()
                    .flatten()
                    .filter(|id| {
                        [desk, laptop]
                            .iter()
                            .all(|d| devices[*d].app().consultation(id).is_ok_and(|c| c.signed_at.is_none()))
                    })
                    .cloned()
                    .collect();
                if !both.is_empty() {
                    let id = rng.pick(&both).clone();
                    let mut words = Vec::new();
                    for which in [desk, laptop] {
                        let notes = journal.word(devices[which].name);
                        let app = devices[which].app();
                        let saved = tolerated(app.save_consultation_draft(&id, &draft_input(&notes)))
                            .and_then(|_| tolerated(app.sign_consultation(&id)));
                        words.push(saved.map(|()| notes));
                    }
                    if let [Some(on_desk), Some(on_laptop)] = &words[..] {
                        journal.double_signed.push((id, on_desk.clone(), on_laptop.clone()));
                    }
                }
            }
            77..=86 => {
                let signed: Vec<String> = journal
                    .consultations
                    .get(&user)
                    .into_iter()
                    .flatten()
                    .filter(|id| app.consultation(id).is_ok_and(|c| c.signed_at.is_some()))
                    .cloned()
                    .collect();
                if !signed.is_empty() {
                    let id = rng.pick(&signed).clone();
                    let text = journal.word(device.name);
                    if let Some(addendum) = tolerated(app.add_addendum(&id, &text)) {
                        journal.addenda.push((w, addendum, id));
                    }
                }
            }
            87..=95 if !local.is_empty() => {
                let client = rng.pick(&local).clone();
                let input = FollowUpInput { kind: "call".into(), due_on: today(), ..FollowUpInput::default() };
                if let Some(id) = tolerated(app.add_follow_up(&client, &input))
                    && rng.chance(50)
                {
                    tolerated(app.set_follow_up_done(&id, true));
                }
            }
            96..=99 if local.len() > 2 => {
                let client = rng.pick(&local).clone();
                if tolerated(app.erase_client(&client)).is_some() {
                    journal.erased.insert(client);
                }
            }
            _ => {}
        }
    }
    journal.syncs = syncs.0;
    journal.failed_syncs = syncs.1;

    // The faults stop; everyone syncs until nothing moves (at least twice).
    proxy.set_faults(FaultMix::CLEAN);
    for round in 0.. {
        assert!(round < 5, "still moving after {round} rounds");
        let mut moved = false;
        for device in &devices {
            let summary = device.app().sync_now().unwrap_or_else(|err| panic!("{}: {err:?}", device.name));
            assert!(summary.in_step, "{}: {summary:?}", device.name);
            moved |= summary.pushed > 0 || summary.pulled > 0;
        }
        if round >= 1 && !moved {
            break;
        }
    }
    let faults = proxy.faults();
    eprintln!(
        "convergence: {steps} steps, {} syncs ({} cut short), faults {faults:?}, {:?}",
        journal.syncs,
        journal.failed_syncs,
        proxy.traffic()
    );
    assert!(faults.total() > 0, "the proxy injected no fault: {faults:?}");

    check_the_server_holds_each_change_once(&server, &devices);
    check_each_device_holds_what_the_server_holds(&server, &devices);
    check_nothing_written_is_lost(&devices, &journal);
    check_concurrent_edits_are_marked_on_both(&devices[desk], &devices[laptop], &journal);
}

/// (device, seq, hlc, entity, record, fields) of every change the server stored for
/// the caseloads of `owners`, as the canonical dump writes them.
fn server_changes(server: &TestServer, owners: &[i64]) -> BTreeSet<String> {
    let rows: Vec<(String, i64, i64, String, String, serde_json::Value)> = server
        .runtime
        .block_on(
            sqlx::query_as(
                "SELECT device_id, device_seq, hlc, entity, record_id, fields FROM changes WHERE owner_id = ANY($1)",
            )
            .bind(owners)
            .fetch_all(&server.pool),
        )
        .unwrap();
    rows.into_iter()
        .map(|(device, seq, hlc, entity, record, fields)| format!("{device} {seq} {hlc} {entity} {record} {fields}"))
        .collect()
}

/// A device's change log as the canonical dump has it, with the fields' JSON
/// written the same way as the server's.
fn device_changes(dump: &BTreeMap<String, Vec<String>>) -> BTreeSet<String> {
    dump["change_log"]
        .iter()
        .map(|line| {
            let parts: Vec<&str> = line.splitn(6, ' ').collect();
            let fields: serde_json::Value = serde_json::from_str(parts[5]).expect("fields are JSON");
            format!("{} {} {} {} {} {fields}", parts[0], parts[1], parts[2], parts[3], parts[4])
        })
        .collect()
}

fn check_the_server_holds_each_change_once(server: &TestServer, devices: &[Device]) {
    for device in devices {
        let (acknowledged, stored, refused): (i64, Vec<i64>, Vec<i64>) = server.runtime.block_on(async {
            let acknowledged = sqlx::query_scalar("SELECT acknowledged_seq FROM devices WHERE id = $1")
                .bind(&device.device_id)
                .fetch_one(&server.pool)
                .await
                .unwrap();
            let stored = sqlx::query_scalar("SELECT device_seq FROM changes WHERE device_id = $1 ORDER BY 1")
                .bind(&device.device_id)
                .fetch_all(&server.pool)
                .await
                .unwrap();
            let refused = sqlx::query_scalar("SELECT device_seq FROM refusals WHERE device_id = $1 ORDER BY 1")
                .bind(&device.device_id)
                .fetch_all(&server.pool)
                .await
                .unwrap();
            (acknowledged, stored, refused)
        });
        let mut all: Vec<i64> = stored.iter().chain(&refused).copied().collect();
        all.sort_unstable();
        let expected: Vec<i64> = (1..=acknowledged).collect();
        assert_eq!(all, expected, "{}: every change up to the mark stored or refused, once", device.name);
        let status = device.app().sync_status().unwrap();
        assert_eq!(i64::from(status.acknowledged), acknowledged, "{}: {status:?}", device.name);
        assert_eq!(status.refused.len(), refused.len(), "{}: the same refusals", device.name);
    }
}

/// Fails naming only the lines that differ, table by table.
fn assert_same(left: &BTreeMap<String, Vec<String>>, right: &BTreeMap<String, Vec<String>>, what: &str) {
    let mut differences = Vec::new();
    for table in left.keys().chain(right.keys()).collect::<BTreeSet<_>>() {
        let (l, r): (BTreeSet<&String>, BTreeSet<&String>) =
            (left.get(table).into_iter().flatten().collect(), right.get(table).into_iter().flatten().collect());
        for line in l.difference(&r) {
            differences.push(format!("{table}, only on the first: {line}"));
        }
        for line in r.difference(&l) {
            differences.push(format!("{table}, only on the second: {line}"));
        }
    }
    if differences.is_empty() {
        return;
    }
    // The history of each record concerned, on both sides, to see how they parted.
    let records: BTreeSet<String> = differences
        .iter()
        .filter_map(|line| line.split("id=Text(\"").nth(1).and_then(|rest| rest.split('"').next()).map(str::to_owned))
        .collect();
    for record in &records {
        for (side, dump) in [("first", left), ("second", right)] {
            for line in dump["change_log"].iter().filter(|line| line.contains(record.as_str())) {
                differences.push(format!("  history of {record} on the {side}: {line}"));
            }
        }
    }
    panic!("{what} differ:\n{}", differences.join("\n"));
}

fn check_each_device_holds_what_the_server_holds(server: &TestServer, devices: &[Device]) {
    let dumps: Vec<BTreeMap<String, Vec<String>>> = devices.iter().map(|d| d.app().sync_dump().unwrap()).collect();
    for device in devices {
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for refused in device.app().sync_status().unwrap().refused {
            *kinds.entry(format!("{} {}", refused.kind, refused.entity)).or_default() += 1;
        }
        eprintln!("convergence: {} had refused {kinds:?}", device.name);
    }
    assert_same(&dumps[0], &dumps[1], "one psychologist's two computers");
    let psychologists: Vec<i64> = vec![devices[0].user, devices[2].user];
    for (device, dump) in devices.iter().zip(&dumps) {
        let owners: Vec<i64> = if device.name == "supervisor" { psychologists.clone() } else { vec![device.user] };
        let theirs = server_changes(server, &owners);
        let ours = device_changes(dump);
        let missing: Vec<&String> = theirs.difference(&ours).collect();
        let extra: Vec<&String> = ours.difference(&theirs).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:#?}\nextra {extra:#?}", device.name);
    }
    // The supervisor's copy is her team's caseloads together, table by table.
    for (table, rows) in &dumps[3] {
        let union: BTreeSet<&String> = dumps[0][table].iter().chain(&dumps[2][table]).collect();
        let hers: BTreeSet<&String> = rows.iter().collect();
        assert_eq!(hers, union, "the supervisor's {table}");
    }
}

fn check_nothing_written_is_lost(devices: &[Device], journal: &Journal) {
    for device in devices {
        let status = device.app().sync_status().unwrap();
        if device.name == "supervisor" {
            assert_eq!((status.acknowledged, status.refused.len()), (0, 0), "a reading device writes nothing");
        }
        assert_eq!(status.waiting, 0, "{}: {status:?}", device.name);
        assert_eq!(status.waiting_for_consent, 0, "{}: {status:?}", device.name);
        for refused in &status.refused {
            assert!(!refused.kind.is_empty(), "{}: {refused:?}", device.name);
            for language in Language::ALL {
                let messages = Messages::new(language);
                assert!(!messages.get("sync-refused-other").is_empty());
            }
            assert!(!refused.reason.is_empty() && !refused.reason.starts_with("sync-refused"), "{refused:?}");
        }
    }
    // Every addendum written is on every computer of its author, unless the client
    // was erased or the server refused it (and said why).
    for (writer, addendum, consultation) in &journal.addenda {
        let client = &journal.attendees[consultation];
        if journal.erased.contains(client) {
            continue;
        }
        let refused = devices[*writer].app().sync_status().unwrap().refused.iter().any(|r| r.record_id == *addendum);
        for device in devices.iter().filter(|d| d.user == devices[*writer].user) {
            let shown =
                device.app().consultation(consultation).is_ok_and(|c| c.addenda.iter().any(|a| a.id == *addendum));
            assert!(shown || refused, "{}: addendum {addendum} lost", device.name);
        }
    }
    // A draft signed on both computers: one signed version everywhere, and the other
    // computer's words kept beside it.
    for (consultation, on_desk, on_laptop) in &journal.double_signed {
        if journal.erased.contains(&journal.attendees[consultation]) {
            continue;
        }
        let views: Vec<_> = devices[..2]
            .iter()
            .map(|d| {
                let mut view = d.app().consultation(consultation).unwrap();
                view.addenda.sort_by(|a, b| a.id.cmp(&b.id));
                view
            })
            .collect();
        assert_eq!(views[0], views[1], "the same signed consultation on both");
        let view = &views[0];
        let everything: Vec<&str> =
            std::iter::once(view.form.notes.as_str()).chain(view.addenda.iter().map(|a| a.text.as_str())).collect();
        for words in [on_desk, on_laptop] {
            assert!(everything.iter().any(|text| text.contains(words.as_str())), "{words:?} lost: {view:#?}");
        }
    }
}

fn check_concurrent_edits_are_marked_on_both(desk: &Device, laptop: &Device, journal: &Journal) {
    let marks = |device: &Device| -> BTreeSet<(String, String)> {
        device.app().sync_status().unwrap().reviews.into_iter().map(|r| (r.record_id, r.field)).collect()
    };
    let (on_desk, on_laptop) = (marks(desk), marks(laptop));
    assert_eq!(on_desk, on_laptop, "the same review marks on both computers");
    for (client, field) in &journal.concurrent {
        if journal.erased.contains(client) {
            continue;
        }
        assert!(on_desk.contains(&(client.clone(), (*field).to_owned())), "{client} {field} not marked: {on_desk:?}");
    }
}
