//! The authorisation matrix: every endpoint × every kind of caller × whose client
//! it is about, as one table that reads as the policy.
//!
//! The organisation "Регион" has team 1 (Aliya and Dana, psychologists; Saule,
//! their supervisor; Bota, a psychologist who will be disabled) and team 2 (Erlan,
//! a psychologist); Marat administers it. Another organisation has Zhanna. Each
//! psychologist has one client with a name on the server. Then the callers ask.

use std::collections::HashMap;

use tirek_protocol::{
    Cursor, ProblemKind, PullRequest, PullResponse, PushRequest, PushResponse, RefusalKind, StatusResponse, WireChange,
    WireValue,
};
use tirek_server::admin::{self, NewUser};
use tirek_server::rules::Role;

use crate::common::{TestDevice, TestServer, text};

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Caller {
    /// Aliya, psychologist of team 1.
    Psychologist,
    /// Saule, supervisor of team 1.
    Supervisor,
    /// Marat, administrator of the organisation.
    Administrator,
    /// Aliya's stolen laptop, revoked.
    RevokedDevice,
    /// Bota's computer; Bota is disabled after enrolling it.
    DisabledUser,
    /// No `Authorization` header.
    NoToken,
    /// Aliya's device id with a guessed secret.
    WrongToken,
}

/// Whose client the request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Whose {
    /// Aliya's own client.
    Own,
    /// Dana's: another psychologist of the same team.
    SameTeam,
    /// Erlan's: a psychologist of another team.
    OtherTeam,
    /// Zhanna's: another organisation.
    OtherOrganisation,
    /// No client (enrolment).
    Nobody,
}

/// The endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Enrol,
    /// Push a change to the client's record.
    Push,
    /// Pull everything from the start.
    Pull,
    /// The scope's count and checksum.
    Status,
}

/// What the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// 200, and (for push) the change stored.
    Allowed,
    /// 200, the change refused with this reason, nothing stored.
    Refused(RefusalKind),
    /// Pull: the client's changes come; status: they are counted.
    Sees,
    /// Pull: none of the client's changes come; status: none is counted.
    NeverSees,
    /// The request refused whole.
    Problem(u16, ProblemKind),
}

use Answer::*;
use Caller::*;
use Endpoint::*;
use Whose::*;

const REVOKED: Answer = Problem(403, ProblemKind::DeviceRevoked);
const UNAUTHENTICATED: Answer = Problem(401, ProblemKind::Unauthenticated);

#[rustfmt::skip]
const POLICY: &[(Caller, Endpoint, Whose, Answer)] = &[
    // A psychologist reads and writes her own caseload and nobody else's.
    (Psychologist,  Push,   Own,               Allowed),
    (Psychologist,  Push,   SameTeam,          Refused(RefusalKind::OutOfScope)),
    (Psychologist,  Push,   OtherTeam,         Refused(RefusalKind::OutOfScope)),
    (Psychologist,  Push,   OtherOrganisation, Refused(RefusalKind::OutOfScope)),
    (Psychologist,  Pull,   Own,               Sees),
    (Psychologist,  Pull,   SameTeam,          NeverSees),
    (Psychologist,  Pull,   OtherTeam,         NeverSees),
    (Psychologist,  Pull,   OtherOrganisation, NeverSees),
    (Psychologist,  Status, Own,               Sees),
    (Psychologist,  Status, SameTeam,          NeverSees),
    (Psychologist,  Status, OtherTeam,         NeverSees),
    (Psychologist,  Status, OtherOrganisation, NeverSees),
    (Psychologist,  Enrol,  Nobody,            Allowed),
    // A supervisor reads her team's caseloads and writes no clinical record (her
    // reviews come with their own entity, later).
    (Supervisor,    Push,   Own,               Refused(RefusalKind::NotPermitted)),
    (Supervisor,    Push,   SameTeam,          Refused(RefusalKind::NotPermitted)),
    (Supervisor,    Push,   OtherTeam,         Refused(RefusalKind::NotPermitted)),
    (Supervisor,    Push,   OtherOrganisation, Refused(RefusalKind::NotPermitted)),
    (Supervisor,    Pull,   Own,               Sees),
    (Supervisor,    Pull,   SameTeam,          Sees),
    (Supervisor,    Pull,   OtherTeam,         NeverSees),
    (Supervisor,    Pull,   OtherOrganisation, NeverSees),
    (Supervisor,    Status, Own,               Sees),
    (Supervisor,    Status, SameTeam,          Sees),
    (Supervisor,    Status, OtherTeam,         NeverSees),
    (Supervisor,    Status, OtherOrganisation, NeverSees),
    (Supervisor,    Enrol,  Nobody,            Allowed),
    // An administrator manages accounts and reads no clinical data.
    (Administrator, Push,   Own,               Refused(RefusalKind::NotPermitted)),
    (Administrator, Push,   SameTeam,          Refused(RefusalKind::NotPermitted)),
    (Administrator, Push,   OtherTeam,         Refused(RefusalKind::NotPermitted)),
    (Administrator, Push,   OtherOrganisation, Refused(RefusalKind::NotPermitted)),
    (Administrator, Pull,   Own,               NeverSees),
    (Administrator, Pull,   SameTeam,          NeverSees),
    (Administrator, Pull,   OtherTeam,         NeverSees),
    (Administrator, Pull,   OtherOrganisation, NeverSees),
    (Administrator, Status, Own,               NeverSees),
    (Administrator, Status, SameTeam,          NeverSees),
    (Administrator, Status, OtherTeam,         NeverSees),
    (Administrator, Status, OtherOrganisation, NeverSees),
    (Administrator, Enrol,  Nobody,            Allowed),
    // A revoked device is refused everything, even a new code under its old id.
    (RevokedDevice, Push,   Own,               REVOKED),
    (RevokedDevice, Pull,   Own,               REVOKED),
    (RevokedDevice, Status, Own,               REVOKED),
    (RevokedDevice, Enrol,  Nobody,            REVOKED),
    // Disabling a user ends all her sessions at once, and her unused code.
    (DisabledUser,  Push,   Own,               REVOKED),
    (DisabledUser,  Pull,   Own,               REVOKED),
    (DisabledUser,  Status, Own,               REVOKED),
    (DisabledUser,  Enrol,  Nobody,            Problem(403, ProblemKind::EnrolmentCodeInvalid)),
    // Without a token, or with a guessed one, nothing.
    (NoToken,       Push,   Own,               UNAUTHENTICATED),
    (NoToken,       Pull,   Own,               UNAUTHENTICATED),
    (NoToken,       Status, Own,               UNAUTHENTICATED),
    (NoToken,       Enrol,  Nobody,            Problem(403, ProblemKind::EnrolmentCodeInvalid)),
    (WrongToken,    Push,   Own,               UNAUTHENTICATED),
    (WrongToken,    Pull,   Own,               UNAUTHENTICATED),
    (WrongToken,    Status, Own,               UNAUTHENTICATED),
];

/// The organisation of the module docs, with each caller's device and each
/// psychologist's client pushed.
struct World {
    server: TestServer,
    devices: HashMap<Caller, TestDevice>,
    clients: HashMap<Whose, String>,
    /// A code to enrol one more device of each caller's user.
    codes: HashMap<Caller, String>,
    /// The name to enrol under (a revoked device tries its old id).
    names: HashMap<Caller, String>,
}

async fn world() -> World {
    let server = TestServer::start().await;
    let pool = &server.pool;
    let team_one = server.team;
    let clinic = admin::clinics(pool).await.unwrap()[0].id;
    let team_two = admin::create_team(pool, clinic, "Команда 2").await.unwrap().id;
    let elsewhere = admin::create_organisation(pool, "Басқа ұйым").await.unwrap().id;
    let elsewhere_clinic = admin::create_clinic(pool, elsewhere, "Емхана").await.unwrap().id;
    let elsewhere_team = admin::create_team(pool, elsewhere_clinic, "Топ").await.unwrap().id;
    let user = |organisation_id, team_id, login: &str, role| {
        let user = NewUser { organisation_id, team_id, login: login.to_owned(), name: login.to_owned(), role };
        async move { admin::create_user(pool, &user).await.unwrap().id }
    };
    let organisation = server.organisation;
    let aliya = user(organisation, Some(team_one), "aliya", Role::Psychologist).await;
    let dana = user(organisation, Some(team_one), "dana", Role::Psychologist).await;
    let saule = user(organisation, Some(team_one), "saule", Role::Supervisor).await;
    let bota = user(organisation, Some(team_one), "bota", Role::Psychologist).await;
    let erlan = user(organisation, Some(team_two), "erlan", Role::Psychologist).await;
    let marat = user(organisation, None, "marat", Role::Administrator).await;
    let zhanna = user(elsewhere, Some(elsewhere_team), "zhanna", Role::Psychologist).await;

    // The clients have 1, 4, 16 and 64 changes, so a scope's count names the
    // clients it is made of (Aliya's own may gain a few below, never four).
    let mut clients = HashMap::new();
    for (whose, owner, name, changes) in [
        (Own, aliya, "aliya", 1),
        (SameTeam, dana, "dana", 4),
        (OtherTeam, erlan, "erlan", 16),
        (OtherOrganisation, zhanna, "zhanna", 64),
    ] {
        let mut device = server.device(owner, &format!("{name}-desk")).await;
        let id = format!("client-of-{name}");
        let mut batch = vec![device.new_client(&id)];
        for n in 1..changes {
            batch.push(device.change("client", &id, n, &[("phone", text(&format!("+770100{n:05}")))]));
        }
        let answer = server.push(&device, &batch).await.expect("stored");
        assert!(answer.refused.is_empty(), "{:?}", answer.refused);
        clients.insert(whose, id);
    }

    let mut devices = HashMap::new();
    let mut names = HashMap::new();
    for (caller, owner, name) in [
        (Psychologist, aliya, "aliya-laptop"),
        (Supervisor, saule, "saule-pc"),
        (Administrator, marat, "marat-pc"),
        (RevokedDevice, aliya, "aliya-stolen"),
        (DisabledUser, bota, "bota-pc"),
    ] {
        devices.insert(caller, server.device(owner, name).await);
        names.insert(caller, format!("{name}-2"));
    }
    names.insert(RevokedDevice, "aliya-stolen".to_owned());
    names.insert(NoToken, "nobody".to_owned());
    let mut wrong = devices[&Psychologist].clone();
    wrong.token = format!("{}.{}", wrong.id, "A".repeat(43));
    devices.insert(WrongToken, wrong);

    let mut codes = HashMap::new();
    for (caller, owner) in [
        (Psychologist, aliya),
        (Supervisor, saule),
        (Administrator, marat),
        (RevokedDevice, aliya),
        (DisabledUser, bota),
    ] {
        codes.insert(caller, server.code(owner).await);
    }
    codes.insert(NoToken, "ZZZZZ-ZZZZZ".to_owned());

    admin::revoke_device(pool, &devices[&RevokedDevice].id).await.unwrap();
    admin::disable_user(pool, bota).await.unwrap();
    World { server, devices, clients, codes, names }
}

impl World {
    /// A change the caller might push about `whose` client: an edit of its phone,
    /// or of its address when it is not the caller's.
    fn change(&mut self, caller: Caller, whose: Whose) -> WireChange {
        let client = self.clients[&whose].clone();
        let mut nobody = self.devices[&Psychologist].clone();
        let device = self.devices.get_mut(&caller).unwrap_or(&mut nobody);
        match (caller, whose) {
            (Psychologist, Own) => device.change("client", &client, 1, &[("phone", text("+77012345678"))]),
            _ => device.change("client", &client, 1, &[("address", WireValue::Text("Абай көшесі, 1".to_owned()))]),
        }
    }

    async fn ask(&mut self, caller: Caller, endpoint: Endpoint, whose: Whose) -> Answer {
        let server = &self.server;
        match endpoint {
            Enrol => match server.enrol(&self.codes[&caller], &self.names[&caller]).await {
                Ok(_) => Allowed,
                Err((status, problem)) => Problem(status, problem.kind),
            },
            Push => {
                let change = self.change(caller, whose);
                let server = &self.server;
                let request = PushRequest { changes: vec![change], audit: None };
                let before = server.stored().await;
                let answer: Result<PushResponse, _> =
                    server.call("POST", "/v1/push", self.device(caller).as_ref(), Some(&request)).await;
                match answer {
                    Ok(answer) => match answer.refused.as_slice() {
                        [] => {
                            assert_eq!(server.stored().await, before + 1, "{caller:?} {whose:?}");
                            Allowed
                        }
                        [refusal] => {
                            assert_eq!(server.stored().await, before, "{caller:?} {whose:?}");
                            Refused(refusal.kind)
                        }
                        more => panic!("one change, {} refusals", more.len()),
                    },
                    Err((status, problem)) => Problem(status, problem.kind),
                }
            }
            Pull => {
                // Another test's CREATE DATABASE on the shared cluster holds every
                // snapshot back: what is stored is pulled late, not skipped.
                server.settle().await;
                let device = self.device(caller);
                let mut cursor = Cursor::START;
                let mut seen = Vec::new();
                loop {
                    let request = PullRequest { epoch: None, cursor: Some(cursor), limit: None, ..Default::default() };
                    let page: Result<PullResponse, _> =
                        server.call("POST", "/v1/pull", device.as_ref(), Some(&request)).await;
                    match page {
                        Ok(page) => {
                            seen.extend(page.changes.into_iter().map(|change| change.record_id));
                            cursor = page.cursor;
                            if !page.more {
                                break;
                            }
                        }
                        Err((status, problem)) => return Problem(status, problem.kind),
                    }
                }
                if seen.contains(&self.clients[&whose]) { Sees } else { NeverSees }
            }
            Status => {
                server.settle().await;
                let device = self.device(caller);
                let status: Result<StatusResponse, _> =
                    server.call::<(), _>("GET", "/v1/status", device.as_ref(), None).await;
                match status {
                    Ok(status) => {
                        let counted = self.counted(status.scope.count).await;
                        if counted.contains(&whose) { Sees } else { NeverSees }
                    }
                    Err((status, problem)) => Problem(status, problem.kind),
                }
            }
        }
    }

    /// The device whose token a caller sends: none without a token.
    fn device(&self, caller: Caller) -> Option<TestDevice> {
        self.devices.get(&caller).cloned()
    }

    /// Which clients' changes a scope count of `count` is made of: the one subset
    /// of the four clients whose changes add up to it (see `world`).
    async fn counted(&self, count: u64) -> Vec<Whose> {
        let mut counted = Vec::new();
        for whose in [Own, SameTeam, OtherTeam, OtherOrganisation] {
            let changes: i64 = sqlx::query_scalar("SELECT count(*) FROM changes WHERE client_id = $1")
                .bind(&self.clients[&whose])
                .fetch_one(&self.server.pool)
                .await
                .unwrap();
            counted.push((whose, changes as u64));
        }
        let total: u64 = counted.iter().map(|(_, n)| n).sum();
        let subsets = 1u32 << counted.len();
        let matching: Vec<Vec<Whose>> = (0..subsets)
            .map(|mask| counted.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, c)| *c).collect())
            .filter(|subset: &Vec<(Whose, u64)>| subset.iter().map(|(_, n)| n).sum::<u64>() == count)
            .map(|subset| subset.into_iter().map(|(whose, _)| whose).collect())
            .collect();
        assert!(count <= total, "the scope counts {count} changes, more than the four clients have");
        assert_eq!(matching.len(), 1, "a count of {count} is not one subset of {counted:?}");
        matching.into_iter().next().unwrap_or_default()
    }
}

#[tokio::test]
async fn every_endpoint_answers_every_caller_as_the_policy_says() {
    let mut world = world().await;
    let mut wrong = Vec::new();
    for &(caller, endpoint, whose, expected) in POLICY {
        let answer = world.ask(caller, endpoint, whose).await;
        if answer != expected {
            wrong.push(format!("{caller:?} {endpoint:?} {whose:?}: expected {expected:?}, got {answer:?}"));
        }
    }
    assert!(wrong.is_empty(), "the server departs from the policy:\n{}", wrong.join("\n"));

    // Every (endpoint, caller) pair has a row: a new caller or endpoint must be
    // given its place in the policy.
    for caller in [Psychologist, Supervisor, Administrator, RevokedDevice, DisabledUser, NoToken, WrongToken] {
        for endpoint in [Push, Pull, Status] {
            assert!(POLICY.iter().any(|row| row.0 == caller && row.1 == endpoint), "{caller:?} {endpoint:?}");
        }
    }
}
