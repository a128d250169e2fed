//! Sync in the real window against the real `tirek-server` (TLS from `tirek-server
//! init`, a private PostgreSQL cluster): a psychologist enrols her desk computer in
//! Kazakh, comparing the fingerprint the administrator printed; records a
//! consultation and sees it waiting, then on the server; sees the honest error when
//! the server is cut and the sync that follows its return; enrols her laptop in
//! Russian, which receives her clients; edits one client on both and settles the
//! conflict side by side; with no connection, carries a USB bundle to the server
//! and its answer back; is asked by the organisation to update Tirek and goes on
//! working; and, once the administrator has moved the client to a
//! colleague, finds it read-only. A screenshot after each step.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tirek_e2e::{App, root};
use tirek_test_postgres::Cluster;

use crate::frame::PASSWORD;

/// The organisation's server: initialised, configured and set up by the
/// administrator's commands, served as a child process that can be cut and started
/// again on the same database.
pub(crate) struct OrgServer {
    cluster: Cluster,
    database_url: String,
    folder: tempfile::TempDir,
    org: String,
    team: String,
    config: PathBuf,
    port: u16,
    pub(crate) fingerprint: String,
    user: String,
    serving: Option<Child>,
}

fn binary() -> Result<PathBuf> {
    let binary = root().join("target/debug/tirek-server");
    if !binary.is_file() {
        bail!("{} does not exist: build it first (`cargo xtask test` does)", binary.display());
    }
    Ok(binary)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl OrgServer {
    pub(crate) fn start() -> Result<OrgServer> {
        let cluster = Cluster::start().context("a private PostgreSQL")?;
        let database_url = cluster.create_database()?;
        let folder = tempfile::tempdir()?;
        let tls = folder.path().join("tls");
        let made = run_json(&[
            "init",
            "--dir",
            tls.to_str().context("UTF-8")?,
            "--host",
            "127.0.0.1",
            "--organisation",
            "Түркістан облысы",
            "--json",
        ])?;
        let fingerprint = made[0]["ca_sha256"].as_str().context("a fingerprint")?.to_owned();
        let port = free_port()?;
        let config = folder.path().join("server.toml");
        let quoted = |path: PathBuf| format!("{:?}", path.display().to_string());
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:{port}\"\ndatabase_url = \"{database_url}\"\ntls_cert = {}\ntls_key = {}\n\
                 bundle_key = {}\nlog = \"warn\"\n",
                quoted(tls.join("server.crt")),
                quoted(tls.join("server.key")),
                quoted(tls.join("bundle.key")),
            ),
        )?;
        let mut server = OrgServer {
            cluster,
            database_url,
            folder,
            org: String::new(),
            team: String::new(),
            config,
            port,
            fingerprint,
            user: String::new(),
            serving: None,
        };
        server.run(&["migrate"])?;
        server.org = server.admin(&["admin", "--json", "org", "create", "Түркістан облысы"])?[0]["id"].to_string();
        let clinic =
            server.admin(&["admin", "--json", "clinic", "create", "Сайрам ЕО", "--parent", &server.org])?[0]["id"]
                .to_string();
        server.team =
            server.admin(&["admin", "--json", "team", "create", "Психологтар", "--parent", &clinic])?[0]["id"]
                .to_string();
        server.user = server.add_user("aigul", "Айгүл Серікова")?;
        server.serve()?;
        Ok(server)
    }

    /// A psychologist of the team; returns her id.
    fn add_user(&self, login: &str, name: &str) -> Result<String> {
        let (org, team) = (self.org.as_str(), self.team.as_str());
        let user = self.admin(&[
            "admin",
            "--json",
            "user",
            "create",
            "--org",
            org,
            "--team",
            team,
            "--login",
            login,
            "--name",
            name,
            "--role",
            "psychologist",
        ])?;
        Ok(user[0]["id"].to_string())
    }

    /// What `sql` reads from the server's database (ids only, as an operator would).
    pub(crate) fn query(&self, sql: &str) -> Result<String> {
        Ok(self.cluster.query(&self.database_url, sql)?.trim().to_owned())
    }

    /// Runs `tirek-server --config … args` and returns what it printed.
    fn run(&self, args: &[&str]) -> Result<Vec<u8>> {
        let mut all = vec!["--config", self.config.to_str().context("UTF-8")?];
        all.extend(args);
        run(&all)
    }

    /// Runs `tirek-server --config … args` (with `--json`) and reads its answer.
    fn admin(&self, args: &[&str]) -> Result<Value> {
        let printed = self.run(args)?;
        serde_json::from_slice(&printed).with_context(|| format!("tirek-server {args:?} printed no JSON"))
    }

    /// A one-time enrolment code for the psychologist, as the administrator prints it.
    pub(crate) fn code(&self) -> Result<String> {
        let code = self.admin(&["admin", "--json", "code", "create", "--user", &self.user])?;
        Ok(code[0]["code"].as_str().context("a code")?.to_owned())
    }

    pub(crate) fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// Serves, and waits until it answers.
    fn serve(&mut self) -> Result<()> {
        let child = Command::new(binary()?)
            .args(["--config", self.config.to_str().context("UTF-8")?, "serve"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        self.serving = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if Instant::now() > deadline {
                bail!("tirek-server did not listen on {} within 30 s", self.port);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// Serves again with `min_app_version` set to `version` (or unset): the
    /// organisation asking apps older than it to update.
    fn require_app_version(&mut self, version: Option<&str>) -> Result<()> {
        self.stop();
        let text = std::fs::read_to_string(&self.config)?;
        let mut kept: String =
            text.lines().filter(|line| !line.starts_with("min_app_version")).map(|line| format!("{line}\n")).collect();
        if let Some(version) = version {
            kept.push_str(&format!("min_app_version = \"{version}\"\n"));
        }
        std::fs::write(&self.config, kept)?;
        self.serve()
    }

    /// Cuts the server off, as a power cut or a dropped line would.
    fn stop(&mut self) {
        if let Some(mut child) = self.serving.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Imports a device's USB bundle and returns the answer file it wrote.
    fn import_bundle(&self, bundle: &Path) -> Result<PathBuf> {
        let answers = self.folder.path().join("answers");
        std::fs::create_dir_all(&answers)?;
        self.admin(&[
            "admin",
            "--json",
            "import-bundle",
            bundle.to_str().context("UTF-8")?,
            "--out",
            answers.to_str().context("UTF-8")?,
        ])?;
        let answer = std::fs::read_dir(&answers)?.next().context("an answer file")??.path();
        Ok(answer)
    }
}

impl Drop for OrgServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new(binary()?).args(args).env_remove("TIREK_SERVER_DATABASE_URL").output()?;
    if !output.status.success() {
        bail!("tirek-server {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(output.stdout)
}

fn run_json(args: &[&str]) -> Result<Value> {
    serde_json::from_slice(&run(args)?).with_context(|| format!("tirek-server {args:?} printed no JSON"))
}

/// A message of `locales/<lang>`, without its variables: what the window shows.
fn message(lang: &str, id: &str) -> Result<String> {
    for entry in std::fs::read_dir(root().join("locales").join(lang))? {
        let text = std::fs::read_to_string(entry?.path())?;
        if let Some(line) = text.lines().find(|line| line.starts_with(&format!("{id} ="))) {
            return Ok(line.split_once(" = ").map(|(_, value)| value.to_owned()).unwrap_or_default());
        }
    }
    bail!("no message {id} in locales/{lang}")
}

/// Settings → Server: the address and the code, the fingerprint compared with the
/// administrator's, then connected.
fn enrol(app: &mut App, server: &OrgServer, lang: &str) -> Result<()> {
    app.click("[data-testid=nav-settings]")?;
    app.type_into("[data-testid=server-address]", &server.url())?;
    app.type_into("[data-testid=server-code]", &server.code()?)?;
    app.click("[data-testid=server-check]")?;
    let shown = app.text("[data-testid=server-fingerprint-groups]")?;
    let compact: String = shown.chars().filter(char::is_ascii_hexdigit).collect();
    assert_eq!(compact.to_lowercase(), server.fingerprint.replace(':', "").to_lowercase(), "the printed fingerprint");
    app.screenshot(&format!("{lang}-fingerprint"))?;
    app.click("[data-testid=server-enrol]")?;
    app.find("[data-testid=server-connected]")?;
    wait_for_chip(app, "ok")?;
    app.screenshot(&format!("{lang}-enrolled"))?;
    Ok(())
}

/// Waits until the sync chip is in `state` (`ok`, `retrying`, `paused`, …).
fn wait_for_chip(app: &App, state: &str) -> Result<()> {
    app.find_within(&format!("[data-testid=sync-chip][data-state={state}]"), Duration::from_secs(60)).map(drop)
}

/// Pauses or resumes the background sync from Settings → Server.
fn set_background(app: &App, on: bool) -> Result<()> {
    close_panel(app)?;
    app.click("[data-testid=nav-settings]")?;
    let checked = app.execute("return document.querySelector('[data-testid=server-background]').checked")?;
    if checked != on {
        app.click("[data-testid=server-background]")?;
    }
    wait_for_chip(app, if on { "ok" } else { "paused" })
}

/// Closes the sync panel if it is open (Escape, as a person would).
fn close_panel(app: &App) -> Result<()> {
    if app.execute("return !!document.querySelector('[data-testid=sync-panel]')")? == true {
        app.keys("\u{E00C}")?;
        app.expect_gone("[data-testid=sync-panel]")?;
    }
    Ok(())
}

fn open_client(app: &App, name: &str) -> Result<()> {
    close_panel(app)?;
    app.click("[data-testid=nav-caseload]")?;
    while app.execute("return !!document.querySelector('[data-testid=back]')")?.as_bool() == Some(true) {
        app.click("[data-testid=back]")?;
    }
    app.find_within("[data-testid=caseload-row]", Duration::from_secs(60))?;
    app.expect_text_containing("[data-testid=caseload-row]", name)?;
    app.click("[data-testid=caseload-row]")?;
    app.expect_text_containing("[data-testid=client-name]", name)
}

/// Opens the client's page until it shows `text`: what a sync brings in shows at the
/// page's next load.
fn wait_for_client_text(app: &App, name: &str, text: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        open_client(app, name)?;
        if app.text("[data-testid=client-page]")?.contains(text) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{name}'s page never showed {text:?}");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn client_sync_state(app: &App) -> Result<String> {
    let state = app.attribute("[data-testid=client-page] .header [data-testid=record-sync]", "data-state")?;
    Ok(state.unwrap_or_default())
}

fn wait_for_client_state(app: &App, expected: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let state = client_sync_state(app)?;
        if state == expected {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the client's sync mark says {state:?}, expected {expected:?}");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn edit_address(app: &App, name: &str, address: &str) -> Result<()> {
    open_client(app, name)?;
    app.click("[data-testid=client-edit]")?;
    app.replace_text("[data-testid=client-address]", address)?;
    app.click("[data-testid=client-save]")?;
    app.expect_text_containing("[data-testid=client-page]", address)
}

#[test]
fn a_psychologist_syncs_two_computers_through_the_server_and_a_usb_stick() -> Result<()> {
    let mut server = OrgServer::start()?;
    let family = "Сәрсенова Гүлнар";

    // The desk computer, in Kazakh: a client who consents to central storage.
    let desk_dir = tempfile::tempdir()?;
    let mut desk = App::start("sync-desk", desk_dir.path())?;
    desk.create_profile("Айгүл Серікова", PASSWORD)?;
    desk.click("[data-testid=language-kk]")?;
    desk.click("[data-testid=nav-caseload]")?;
    desk.click("[data-testid=caseload-new-client]")?;
    desk.type_into("[data-testid=client-family_name]", "Сәрсенова")?;
    desk.type_into("[data-testid=client-given_name]", "Гүлнар")?;
    desk.type_into("[data-testid=client-birth_date]", "03.11.1990")?;
    desk.click("[data-testid=client-save]")?;
    desk.expect_text_containing("[data-testid=client-name]", family)?;
    desk.click("[data-testid=consent-add]")?;
    desk.select("[data-testid=consent-scope]", "server")?;
    desk.select("[data-testid=consent-given-by]", "client")?;
    desk.select("[data-testid=consent-method]", "signed_paper")?;
    desk.type_into("[data-testid=consent-given-on]", &crate::caseload::today().dotted())?;
    desk.click("[data-testid=consent-save]")?;
    desk.find("[data-testid=consent-chip-server][data-active=true]")?;

    enrol(&mut desk, &server, "kk")?;
    open_client(&desk, family)?;
    wait_for_client_state(&desk, "on_server")?;

    // A consultation recorded while sync is paused waits, and says so; resumed, it
    // reaches the server, and only the server's answer makes it "on the server".
    set_background(&desk, false)?;
    open_client(&desk, family)?;
    desk.click("[data-testid=consultation-new]")?;
    desk.type_into("[data-testid=consult-notes]", "Ана шаршаған, ұйқысы бұзылған.")?;
    desk.expect_text_containing("[data-testid=consult-save-status]", "сақталды")?;
    open_client(&desk, family)?;
    wait_for_client_state(&desk, "waiting")?;
    desk.find("[data-testid=sync-waiting]")?;
    desk.screenshot("kk-waiting")?;
    set_background(&desk, true)?;
    open_client(&desk, family)?;
    wait_for_client_state(&desk, "on_server")?;
    desk.expect_gone("[data-testid=sync-waiting]")?;
    desk.screenshot("kk-on-server")?;

    // The server is cut as she syncs: the chip and the panel say there is no
    // connection and when it tries again; nothing is lost, and once the server is
    // back the next try sends what waited.
    desk.click("button[data-testid=timeline-entry]")?;
    desk.type_into("[data-testid=consult-notes]", " Күйеуі вахтада.")?;
    server.stop();
    desk.expect_text_containing("[data-testid=consult-save-status]", "сақталды")?;
    wait_for_chip(&desk, "retrying")?;
    desk.click("[data-testid=sync-chip]")?;
    let no_connection = message("kk", "sync-problem-short-no_connection")?;
    desk.expect_text_containing("[data-testid=sync-problem]", &no_connection)?;
    desk.screenshot_showing_error("kk-server-cut", &no_connection)?;
    server.serve()?;
    desk.click("[data-testid=sync-now]")?;
    wait_for_chip(&desk, "ok")?;
    desk.expect_gone("[data-testid=sync-problem]")?;
    desk.screenshot("kk-server-back")?;
    close_panel(&desk)?;

    // Her laptop, in Russian, receives the client with her history.
    let laptop_dir = tempfile::tempdir()?;
    let mut laptop = App::start("sync-laptop", laptop_dir.path())?;
    laptop.create_profile("Айгүл Серікова", PASSWORD)?;
    laptop.click("[data-testid=language-ru]")?;
    enrol(&mut laptop, &server, "ru")?;
    open_client(&laptop, family)?;
    laptop.screenshot("ru-pulled")?;
    laptop.click("button[data-testid=timeline-entry]")?;
    laptop.find("[data-testid=consultation-editor]")?;
    let notes = laptop.execute("return document.querySelector('[data-testid=consult-notes]').value")?;
    assert_eq!(notes, "Ана шаршаған, ұйқысы бұзылған. Күйеуі вахтада.", "the draft as the desk left it");

    // Both computers change her address before either syncs: one is shown on both,
    // the other kept, and the laptop compares them side by side and takes the desk's.
    set_background(&desk, false)?;
    set_background(&laptop, false)?;
    edit_address(&desk, family, "Ақсу ауылы, Абай көшесі 12")?;
    edit_address(&laptop, family, "Ақсу ауылы, Төле би көшесі 7")?;
    set_background(&desk, true)?;
    // The desk's change reaches the server first, so that the laptop's sync meets it.
    desk.expect_gone("[data-testid=sync-waiting]")?;
    set_background(&laptop, true)?;
    laptop.find_within("[data-testid=sync-reviews]", Duration::from_secs(60))?;
    laptop.click("[data-testid=sync-chip]")?;
    laptop.click("[data-testid=sync-review-open]")?;
    laptop.find("[data-testid=review-field][data-field=address]")?;
    let shown = laptop.text("[data-testid=review-shown-value]")?;
    let other = laptop.text("[data-testid=review-other-value]")?;
    let both = [shown.clone(), other.clone()];
    assert!(both.iter().any(|v| v.contains("Абай")) && both.iter().any(|v| v.contains("Төле би")), "{both:?}");
    laptop.screenshot("ru-review")?;
    let (take, kept) = if other.contains("Абай") { ("review-take", &other) } else { ("review-keep", &shown) };
    laptop.click(&format!("[data-testid={take}]"))?;
    laptop.find("[data-testid=review-empty]")?;
    laptop.click("[data-testid=review-close]")?;
    laptop.expect_gone("[data-testid=sync-reviews]")?;
    open_client(&laptop, family)?;
    laptop.expect_text_containing("[data-testid=client-page]", kept)?;
    laptop.screenshot("ru-settled")?;
    // The choice reaches the desk: the same address, nothing left to review.
    desk.click("[data-testid=sync-chip]")?;
    desk.click("[data-testid=sync-now]")?;
    wait_for_client_text(&desk, family, kept)?;
    desk.expect_gone("[data-testid=sync-reviews]")?;

    // No connection at all: the laptop writes a bundle onto a USB stick, the
    // administrator imports it on the server, and its answer comes back.
    drop(desk);
    server.stop();
    edit_address(&laptop, family, "Ақсу ауылы, Абай көшесі 14")?;
    wait_for_chip(&laptop, "retrying")?;
    laptop.click("[data-testid=nav-settings]")?;
    let stick = tempfile::tempdir()?;
    laptop.choose_in_file_dialog("[data-testid=bundle-export]", stick.path())?;
    laptop.find("[data-testid=bundle-message]")?;
    let bundle = std::fs::read_dir(stick.path())?.next().context("a bundle on the stick")??.path();
    let file_name = bundle.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    assert!(file_name.starts_with("tirek-") && file_name.ends_with(".tirekbundle"), "{file_name}");
    laptop.expect_text_containing("[data-testid=bundle-message]", &file_name)?;
    laptop.screenshot("ru-bundle-written")?;
    let answer = server.import_bundle(&bundle)?;
    // An answer changed on its way, or the file meant for the server: refused in
    // words, nothing imported.
    let mut sealed = std::fs::read(&answer)?;
    let middle = sealed.len() / 2;
    sealed[middle] ^= 0x5a;
    let tampered = stick.path().join("tirek-tampered-answer.tirekbundle");
    std::fs::write(&tampered, sealed)?;
    laptop.choose_in_file_dialog("[data-testid=bundle-import]", &tampered)?;
    laptop.expect_text_containing("[data-testid=bundle-problem]", "повреждён или изменён")?;
    laptop.screenshot_showing_error("ru-bundle-tampered", "повреждён или изменён")?;
    laptop.choose_in_file_dialog("[data-testid=bundle-import]", &bundle)?;
    laptop.expect_text_containing("[data-testid=bundle-problem]", "ответ сервера")?;
    laptop.expect_gone("[data-testid=bundle-message]")?;
    // The answer itself, then the same again, which changes nothing and says so.
    laptop.choose_in_file_dialog("[data-testid=bundle-import]", &answer)?;
    laptop.expect_text_containing("[data-testid=bundle-message]", "Ответ загружен")?;
    laptop.choose_in_file_dialog("[data-testid=bundle-import]", &answer)?;
    laptop.expect_text_containing("[data-testid=bundle-message]", "уже был загружен")?;
    open_client(&laptop, family)?;
    wait_for_client_state(&laptop, "on_server")?;
    laptop.screenshot("ru-bundle-answered")?;

    // The organisation asks for a newer Tirek than hers: the laptop says so in
    // words and goes on working; once the server lets it sync, what waited goes.
    server.require_app_version(Some("99.0.0"))?;
    edit_address(&laptop, family, "Ақсу ауылы, Абай көшесі 16")?;
    laptop.click("[data-testid=sync-chip]")?;
    laptop.click("[data-testid=sync-now]")?;
    wait_for_chip(&laptop, "stopped")?;
    let update = message("ru", "sync-problem-short-update_needed")?;
    laptop.expect_text_containing("[data-testid=sync-chip]", &update)?;
    laptop.expect_text_containing("[data-testid=sync-problem]", "99.0.0")?;
    laptop.expect_gone("[data-testid=sync-starting]")?;
    laptop.screenshot_showing_error("ru-update-needed", "99.0.0")?;
    open_client(&laptop, family)?;
    wait_for_client_state(&laptop, "waiting")?;
    server.require_app_version(None)?;
    laptop.click("[data-testid=sync-chip]")?;
    laptop.click("[data-testid=sync-now]")?;
    wait_for_chip(&laptop, "ok")?;
    open_client(&laptop, family)?;
    wait_for_client_state(&laptop, "on_server")?;

    // The administrator moves the client to a colleague: the laptop keeps her
    // history to read and print, and offers no way of writing it.
    let colleague = server.add_user("dana", "Дана Омарова")?;
    let client = server.query("SELECT DISTINCT record_id FROM changes WHERE entity = 'client'")?;
    server.admin(&["admin", "--json", "client", "move", &client, "--to", &colleague])?;
    laptop.click("[data-testid=sync-chip]")?;
    laptop.click("[data-testid=sync-now]")?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        open_client(&laptop, family)?;
        if laptop.execute("return !!document.querySelector('[data-testid=client-read-only-tag]')")?.as_bool()
            == Some(true)
        {
            break;
        }
        if Instant::now() > deadline {
            bail!("the moved client never showed as read-only");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    laptop.expect_text_containing("[data-testid=client-read-only]", "передан коллеге")?;
    for write in ["client-edit", "consultation-new", "assessment-give", "letter-new", "risk-raise", "child-add"] {
        laptop.expect_gone(&format!("[data-testid={write}]"))?;
    }
    laptop.screenshot("ru-read-only")?;
    laptop.click("[data-testid=back]")?;
    laptop.expect_text_containing("[data-testid=caseload-row] [data-testid=caseload-read-only]", "Только чтение")?;
    laptop.screenshot("ru-read-only-caseload")?;
    Ok(())
}
