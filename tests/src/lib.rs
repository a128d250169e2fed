//! The end-to-end harness: the real Tirek window, started by tauri-driver and
//! WebKitWebDriver on a private Xvfb display, driven the way a person would use it.
//!
//! Invariants: every wait has a timeout; every process the harness starts (Xvfb,
//! tauri-driver, WebKitWebDriver, the app and its WebKit helpers) is gone when the
//! [`App`] is dropped, whether the test passed or panicked; each test leaves
//! screenshots under `target/e2e/` for a person to look at. `cargo xtask test` also
//! sweeps, after the suite, any process still carrying the run's marker variable,
//! in case the test binary itself was killed.

pub mod webdriver;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

pub use webdriver::{Element, Session};

/// How long a screen may take to show what a test waits for.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the repository root").to_owned()
}

/// The built desktop binary: `TIREK_E2E_APP`, else the workspace's debug build.
pub fn application() -> Result<PathBuf> {
    let path = std::env::var_os("TIREK_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/debug/tirek-desktop"));
    if !path.is_file() {
        bail!("{} does not exist: build the app first (`cargo xtask test` does)", path.display());
    }
    Ok(path)
}

/// Finds a program on `PATH` or in cargo's bin folder.
fn program(name: &str, hint: &str) -> Result<PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"));
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .chain(cargo_bin)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| anyhow!("`{name}` is not installed: {hint}"))
}

/// Runs the `tirek` command line (the workspace's debug build) on `data_dir` with the
/// system language `lang` (`kk_KZ.UTF-8`, `en_US.UTF-8`) and `stdin` typed in, as a
/// script would: to prepare a profile and a demo caseload before the window opens.
/// Fails with its message when it does.
pub fn tirek(data_dir: &Path, lang: &str, args: &[&str], stdin: &str) -> Result<String> {
    use std::io::Write as _;
    let binary = root().join("target/debug/tirek");
    if !binary.is_file() {
        bail!("{} does not exist: build it first (`cargo xtask test` does)", binary.display());
    }
    let mut child = Command::new(binary)
        .args(args)
        .env("TIREK_DATA_DIR", data_dir)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child.stdin.take().expect("piped stdin").write_all(stdin.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!("tirek {args:?} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// A process started in its own process group, so that it and everything it
/// spawns can be ended together.
#[derive(Debug)]
struct Group {
    name: &'static str,
    child: Child,
}

impl Group {
    fn spawn(name: &'static str, mut command: Command) -> Result<Group> {
        use std::os::unix::process::CommandExt as _;
        let child = command.process_group(0).spawn().with_context(|| format!("cannot start {name}"))?;
        Ok(Group { name, child })
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let group = Pid::from_raw(self.child.id() as i32);
        let _ = killpg(group, Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && self.is_running() {
            thread::sleep(Duration::from_millis(50));
        }
        // The leader may be gone while its children linger; the group id stays valid
        // as long as any member lives.
        let _ = killpg(group, Signal::SIGKILL);
        let _ = self.child.wait();
        eprintln!("e2e: stopped {}", self.name);
    }
}

/// A private X display.
#[derive(Debug)]
struct Display {
    number: u32,
    _xvfb: Group,
}

impl Display {
    fn start() -> Result<Display> {
        let xvfb = program("Xvfb", "install the `xvfb` package")?;
        let mut command = Command::new(xvfb);
        // `-displayfd 1` makes Xvfb pick a free display itself and print its number
        // on stdout once it accepts connections: no races between parallel runs.
        command
            .args(["-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp", "-noreset"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut group = Group::spawn("Xvfb", command)?;
        let stdout = group.child.stdout.take().expect("piped stdout");
        let (sender, receiver) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver.recv_timeout(Duration::from_secs(20)).context("Xvfb did not start within 20 s")?;
        let number = line.trim().parse().with_context(|| format!("Xvfb printed {line:?}, not a display number"))?;
        Ok(Display { number, _xvfb: group })
    }
}

/// A tauri-driver (and the WebKitWebDriver behind it) on free local ports.
#[derive(Debug)]
struct Driver {
    port: u16,
    _group: Group,
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Driver {
    fn start(display: &Display) -> Result<Driver> {
        let tauri_driver =
            program("tauri-driver", "install it with `cargo install tauri-driver --version '^2' --locked`")?;
        let native = program("WebKitWebDriver", "install the `webkit2gtk-driver` package")?;
        let (port, native_port) = (free_port()?, free_port()?);
        let mut command = Command::new(tauri_driver);
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .arg("--native-driver")
            .arg(native)
            .env("DISPLAY", format!(":{}", display.number))
            .env_remove("WAYLAND_DISPLAY")
            // The app starts in English unless a test chooses otherwise.
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            // WebKit's defaults render fine on Xvfb; WEBKIT_DISABLE_DMABUF_RENDERER,
            // often suggested for headless runs, makes WebKitWebDriver's screenshots hang.
            .env_remove("WEBKIT_DISABLE_DMABUF_RENDERER")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let group = Group::spawn("tauri-driver", command)?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("tauri-driver did not listen on port {port} within 20 s");
            }
            thread::sleep(Duration::from_millis(50));
        }
        Ok(Driver { port, _group: group })
    }
}

/// The running app, ready to be driven. Dropping it closes everything.
#[derive(Debug)]
pub struct App {
    // Field order is drop order: the session ends before the driver and the display.
    session: Session,
    _driver: Driver,
    display: Display,
    test: String,
    shots: u32,
}

impl App {
    /// Starts Tirek with `data_dir` as its data folder and waits for the first screen.
    pub fn start(test: &str, data_dir: &Path) -> Result<App> {
        let args = ["--data-dir".to_owned(), data_dir.display().to_string()];
        Ok(Self::start_program(test, &application()?, &args)?.0)
    }

    /// Starts `program` with `args` in a window of a typical clinic PC's screen and
    /// waits for its page to say it is ready (`data-ready=true`); returns it and the
    /// time from the launch to then, the display and the driver already running.
    pub fn start_program(test: &str, program: &Path, args: &[String]) -> Result<(App, Duration)> {
        let display = Display::start()?;
        let driver = Driver::start(&display)?;
        let launched = Instant::now();
        let session = Session::start(driver.port, &program.display().to_string(), args)?;
        let app = App { session, _driver: driver, display, test: test.to_owned(), shots: 0 };
        app.find("[data-ready=true]").context("the window never finished loading")?;
        let took = launched.elapsed();
        // The screen of a typical clinic PC.
        app.session.set_window_size(1366, 768)?;
        Ok((app, took))
    }

    /// The proportional set size (bytes) of the running program and of every process
    /// it started (WebKit's web and network processes): its share of the memory.
    pub fn memory(&self, program: &Path) -> Result<u64> {
        Ok(self.memory_by_process(program)?.iter().map(|(_, bytes)| bytes).sum())
    }

    /// [`App::memory`] process by process: each one's name and PSS in bytes.
    pub fn memory_by_process(&self, program: &Path) -> Result<Vec<(String, u64)>> {
        let program = program.canonicalize()?;
        let mut parents = Vec::new();
        for entry in std::fs::read_dir("/proc")? {
            let Ok(pid) = entry?.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
            // pid (comm) state ppid …: the name may hold spaces and parentheses.
            let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
            let ppid = after.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
            parents.push((pid, ppid));
        }
        let roots: Vec<u32> = parents
            .iter()
            .map(|(pid, _)| *pid)
            .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == program))
            .collect();
        if roots.is_empty() {
            bail!("{} is not running", program.display());
        }
        let mut family = roots;
        let mut index = 0;
        while index < family.len() {
            let parent = family[index];
            family.extend(parents.iter().filter(|(_, ppid)| *ppid == parent).map(|(pid, _)| *pid));
            index += 1;
        }
        let mut each = Vec::new();
        for pid in family {
            let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else { continue };
            let kib = rollup
                .lines()
                .find_map(|line| line.strip_prefix("Pss:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned();
            each.push((name, kib * 1024));
        }
        Ok(each)
    }

    /// The element matching `selector`, once it appears.
    pub fn find(&self, selector: &str) -> Result<Element> {
        self.session.find(selector, PATIENCE)
    }

    /// The element matching `selector`, waiting up to `timeout` (for what takes
    /// longer than a screen change, such as the auto-lock).
    pub fn find_within(&self, selector: &str, timeout: Duration) -> Result<Element> {
        self.session.find(selector, timeout)
    }

    /// Clicks the element matching `selector`, scrolled to the middle of the window
    /// first: at its edge a sticky bar (a live total, a header) would take the click.
    /// A screen that re-renders as data arrives can replace the element between
    /// finding and clicking it: a stale element is found again, a few times.
    pub fn click(&self, selector: &str) -> Result<()> {
        let mut attempts = 0;
        loop {
            let element = self.find(selector)?;
            self.session.execute(&format!(
                "document.querySelector({selector:?})?.scrollIntoView({{block: 'center', inline: 'center'}});"
            ))?;
            match self.session.click(&element) {
                Err(err) if attempts < 3 && format!("{err:#}").contains("stale element") => {
                    attempts += 1;
                    thread::sleep(Duration::from_millis(150));
                }
                other => return other,
            }
        }
    }

    /// Types `text` into the element matching `selector`.
    pub fn type_into(&self, selector: &str, text: &str) -> Result<()> {
        let element = self.find(selector)?;
        self.session.type_text(&element, text)
    }

    /// Replaces what the input matching `selector` holds with `text`, as a user
    /// selecting everything and typing over it.
    pub fn replace_text(&self, selector: &str, text: &str) -> Result<()> {
        let element = self.find(selector)?;
        self.session.clear(&element)?;
        self.session.type_text(&element, text)
    }

    /// Chooses the option with `value` in the `<select>` matching `selector`, as a
    /// user's pick does (the change event included).
    pub fn select(&self, selector: &str, value: &str) -> Result<()> {
        self.find(selector)?;
        let script = format!(
            "const select = document.querySelector({selector:?}); select.value = {value:?}; \
             select.dispatchEvent(new Event('input', {{bubbles: true}})); \
             select.dispatchEvent(new Event('change', {{bubbles: true}})); return select.value;"
        );
        let chosen = self.execute(&script)?;
        if chosen.as_str() != Some(value) {
            bail!("`{selector}` has no option {value:?} (it shows {chosen})");
        }
        Ok(())
    }

    /// Waits until the element matching `selector` contains `expected`, and fails
    /// with what it showed instead.
    pub fn expect_text_containing(&self, selector: &str, expected: &str) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let shown = self.text(selector)?;
            if shown.contains(expected) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("`{selector}` shows {shown:?}, expected it to contain {expected:?}");
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Types into whatever has the focus (keyboard-only use; `\u{E004}` is Tab,
    /// `\u{E007}` Enter).
    pub fn keys(&self, text: &str) -> Result<()> {
        self.session.type_into_focus(text)
    }

    /// Waits until nothing matches `selector` (a dialog closed, a banner went away).
    pub fn expect_gone(&self, selector: &str) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        while self.session.find(selector, Duration::ZERO).is_ok() {
            if Instant::now() > deadline {
                bail!("`{selector}` is still there after {PATIENCE:?}");
            }
            thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// On a first start: creates a profile through the gate, confirms the recovery
    /// key and arrives in the unlocked frame. Returns the recovery key shown.
    pub fn create_profile(&mut self, name: &str, password: &str) -> Result<String> {
        self.type_into("[data-testid=create-name]", name)?;
        self.type_into("[data-testid=create-password]", password)?;
        self.type_into("[data-testid=create-repeat]", password)?;
        self.click("[data-testid=create-submit]")?;
        let key = self.text("[data-testid=recovery-key]")?;
        self.click("[data-testid=recovery-confirm]")?;
        self.click("[data-testid=recovery-continue]")?;
        self.expect_gone("[data-testid=gate]")?;
        Ok(key)
    }

    /// Unlocks at the gate with `password`.
    pub fn unlock(&self, password: &str) -> Result<()> {
        self.type_into("[data-testid=unlock-password]", password)?;
        self.click("[data-testid=unlock-submit]")
    }

    /// The visible text of the element matching `selector`.
    pub fn text(&self, selector: &str) -> Result<String> {
        let element = self.find(selector)?;
        self.session.text(&element)
    }

    /// An attribute of the element matching `selector`.
    pub fn attribute(&self, selector: &str, name: &str) -> Result<Option<String>> {
        let element = self.find(selector)?;
        self.session.attribute(&element, name)
    }

    /// Waits until the element matching `selector` shows `expected`, and fails with
    /// what it showed instead.
    pub fn expect_text(&self, selector: &str, expected: &str) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let shown = self.text(selector)?;
            if shown == expected {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("`{selector}` shows {shown:?}, expected {expected:?}");
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Drives the X display outside the page — a native dialog — with xdotool,
    /// e.g. `["key", "Return"]`.
    pub fn xdotool(&self, args: &[&str]) -> Result<String> {
        let xdotool = program("xdotool", "install the `xdotool` package")?;
        let output = Command::new(xdotool)
            .args(args)
            .env("DISPLAY", format!(":{}", self.display.number))
            .output()
            .context("xdotool runs")?;
        if !output.status.success() {
            bail!("xdotool {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Waits for a native window whose title contains `title` (a save dialog) and
    /// gives it the keyboard focus: without a window manager on Xvfb, keys typed
    /// right after it appears can land in the window below it.
    pub fn wait_for_window(&self, title: &str) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        while self.xdotool(&["search", "--onlyvisible", "--name", title, "windowfocus", "--sync"]).is_err() {
            if Instant::now() > deadline {
                bail!("no window titled {title:?} appeared within {PATIENCE:?}");
            }
            thread::sleep(Duration::from_millis(200));
        }
        // The dialog draws its file-name field a moment after it maps.
        thread::sleep(Duration::from_millis(500));
        Ok(())
    }

    /// The ids of the visible native windows, to tell a dialog that opens after it.
    pub fn visible_windows(&self) -> Result<Vec<String>> {
        // xdotool exits 1 when nothing matches.
        let found = self.xdotool(&["search", "--onlyvisible", "--name", ""]).unwrap_or_default();
        Ok(found.lines().map(str::to_owned).collect())
    }

    /// Waits for a visible native window not among `before` (a dialog whose title
    /// xdotool cannot match, such as a Cyrillic one), gives it the keyboard focus
    /// and returns its id.
    pub fn wait_for_new_window(&self, before: &[String]) -> Result<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let new = self.visible_windows()?.into_iter().find(|id| !before.contains(id));
            if let Some(id) = new
                && self.xdotool(&["windowfocus", "--sync", &id]).is_ok()
            {
                thread::sleep(Duration::from_millis(500));
                return Ok(id);
            }
            if Instant::now() > deadline {
                bail!("no new window appeared within {PATIENCE:?}");
            }
            thread::sleep(Duration::from_millis(200));
        }
    }

    /// Clicks `open`, which opens the system's dialog to choose a file or a folder,
    /// and chooses `path` in it as a person does: types it and presses Return.
    /// The GTK dialog on Xvfb now and then drops the first keys typed into it; then
    /// it is still open, and the path is typed again into its location field
    /// (Ctrl+L, select all) rather than opening a second dialog behind it.
    pub fn choose_in_file_dialog(&self, open: &str, path: &Path) -> Result<()> {
        let before = self.visible_windows()?;
        self.click(open)?;
        let dialog = self.wait_for_new_window(&before)?;
        thread::sleep(Duration::from_millis(300));
        let path = path.display().to_string();
        for attempt in 1..=4 {
            self.xdotool(&["windowfocus", "--sync", &dialog])?;
            if attempt > 1 {
                self.xdotool(&["key", "ctrl+l"])?;
                thread::sleep(Duration::from_millis(300));
                self.xdotool(&["key", "ctrl+a"])?;
            }
            self.xdotool(&["type", "--delay", "30", &path])?;
            thread::sleep(Duration::from_millis(300));
            self.xdotool(&["key", "Return"])?;
            let deadline = Instant::now() + Duration::from_secs(6);
            while Instant::now() < deadline {
                if !self.visible_windows()?.contains(&dialog) {
                    return Ok(());
                }
                thread::sleep(Duration::from_millis(200));
            }
        }
        bail!("the file dialog did not take {path:?} in four tries")
    }

    /// Runs a script in the page.
    pub fn execute(&self, script: &str) -> Result<serde_json::Value> {
        self.session.execute(script)
    }

    /// Saves a screenshot as `target/e2e/<test>-<NN>-<step>.png` and returns its path,
    /// once the window's fonts are ready and the screen passes [`App::inspect`] with
    /// no error message on it.
    pub fn screenshot(&mut self, step: &str) -> Result<PathBuf> {
        let errors = self.inspect()?;
        if !errors.is_empty() {
            bail!("`{step}` shows an error where none is expected: {errors:?}");
        }
        self.save_screenshot(step)
    }

    /// Like [`App::screenshot`], for a step whose screen must show an error message
    /// containing `expected` (a typo explained at its field, a refusal).
    pub fn screenshot_showing_error(&mut self, step: &str, expected: &str) -> Result<PathBuf> {
        let errors = self.inspect()?;
        if !errors.iter().any(|error| error.contains(expected)) {
            bail!("`{step}` should show an error containing {expected:?}; it shows {errors:?}");
        }
        self.save_screenshot(step)
    }

    /// Checks the screen as a person would read it (`guard.js`): waits for every
    /// bundled font face, then fails on text a bundled font cannot draw, an English
    /// sentence in a Kazakh or Russian window, a raw message id. Returns the error
    /// messages shown.
    pub fn inspect(&self) -> Result<Vec<String>> {
        let args = serde_json::json!([message_ids()?, ALLOWED_LATIN]);
        let deadline = Instant::now() + PATIENCE;
        loop {
            let report = self.session.execute_with(include_str!("guard.js"), &args)?;
            if report["ready"] == true {
                let list = |key: &str| -> Vec<String> {
                    report[key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
                };
                let problems = list("problems");
                if !problems.is_empty() {
                    bail!("the window shows what a person would read as broken:\n  {}", problems.join("\n  "));
                }
                return Ok(list("errors"));
            }
            if Instant::now() > deadline {
                bail!("the window's fonts were still loading after {PATIENCE:?}: {}", report["waiting"]);
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    fn save_screenshot(&mut self, step: &str) -> Result<PathBuf> {
        self.shots += 1;
        let folder = root().join("target/e2e");
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(format!("{}-{:02}-{step}.png", self.test, self.shots));
        std::fs::write(&path, self.session.screenshot()?)?;
        Ok(path)
    }
}

/// Latin words a Kazakh or Russian window may show: instruments' and formats' names.
const ALLOWED_LATIN: &[&str] =
    &["PHQ", "GAD", "WHO", "PSS", "CBI", "PBA", "ICD", "Tirek", "PDF", "CSV", "USB", "BOM", "UTF", "IIN", "BIN", "QR"];

/// Every Fluent message id with a hyphen in it, read from `locales/en`: shown raw,
/// such an id means a message the window failed to translate.
fn message_ids() -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(root().join("locales/en"))? {
        let text = std::fs::read_to_string(entry?.path())?;
        ids.extend(text.lines().filter_map(|line| {
            let (id, _) = line.split_once(" =")?;
            let plain = id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            (plain && id.contains('-') && !id.starts_with('-')).then(|| id.to_owned())
        }));
    }
    Ok(ids)
}

impl Drop for App {
    fn drop(&mut self) {
        if thread::panicking() {
            let _ = self.save_screenshot("failure");
        }
        if let Err(err) = self.session.end() {
            eprintln!("e2e: ending the session failed ({err:#}); the process group is stopped anyway");
        }
    }
}
