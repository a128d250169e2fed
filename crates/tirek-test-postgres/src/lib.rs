//! A private PostgreSQL cluster for tests and benchmarks, so that the server's tests
//! need no database set up beforehand, never touch one that someone else uses (a
//! PostgreSQL may well be running on port 5432), and leave nothing behind.
//!
//! [`Cluster::shared`] starts one cluster per test binary, the first time a test
//! asks: `initdb` into `target/pg-test/<pid>-<time>/` with trust authentication,
//! listening on 127.0.0.1 only, on a free port, with no Unix socket and with
//! `fsync` off (a crash loses a test run, nothing more). Each test then takes a fresh
//! database of its own with [`Cluster::create_database`], so tests run in parallel
//! and never see each other's rows. A cluster costs about two seconds to start;
//! a database, a few milliseconds.
//!
//! A test binary has no hook that runs when it ends, so the cluster is stopped by a
//! small watchdog shell started beside it: it waits for the test process to exit —
//! normally, by panic or by `kill -9` — then stops PostgreSQL and deletes the
//! folder. A folder whose owner died without its watchdog (the machine rebooted, a
//! sweep killed both) is removed by the next run before it starts its own, so a
//! leftover never blocks anything: each run also has its own folder and port.
//!
//! The binaries are Debian's (`/usr/lib/postgresql/<version>/bin`, package
//! `postgresql`, which `cargo xtask test` installs), or those in `TIREK_PG_BIN`.
//! PostgreSQL refuses to run as root; as root, every PostgreSQL command runs as the
//! `postgres` system user that package creates (`setpriv`).

use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// What can keep a cluster from starting.
#[derive(Debug, thiserror::Error)]
pub enum PostgresError {
    /// No PostgreSQL server binaries.
    #[error(
        "PostgreSQL's server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin: install the \
         Debian package `postgresql` (`cargo xtask test` does), or set TIREK_PG_BIN to a folder holding them"
    )]
    BinariesMissing,
    /// Running as root without the `postgres` user to hand PostgreSQL to.
    #[error(
        "PostgreSQL refuses to run as root and there is no `postgres` system user to run it as: install the Debian \
         package `postgresql`, which creates it, or run the tests as an ordinary user"
    )]
    NoPostgresUser,
    /// A command failed.
    #[error("`{command}` failed ({status}); its output:\n{output}")]
    Command { command: String, status: String, output: String },
    /// The file system refused.
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

/// `Result` with [`PostgresError`].
pub type Result<T> = std::result::Result<T, PostgresError>;

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> PostgresError {
    let what = what.into();
    move |source| PostgresError::Io { what, source }
}

/// A running cluster, stopped and deleted when dropped (a private one) or when the
/// test process exits (the shared one).
#[derive(Debug)]
pub struct Cluster {
    folder: PathBuf,
    bin: PathBuf,
    run_as: Option<(u32, u32)>,
    port: u16,
    databases: AtomicU32,
}

static SHARED: OnceLock<Cluster> = OnceLock::new();

impl Cluster {
    /// The cluster of this test binary, started on first use. Panics with the
    /// reason (the package to install, the log of a failed start) if it cannot.
    pub fn shared() -> &'static Cluster {
        SHARED.get_or_init(|| match Cluster::start() {
            Ok(cluster) => cluster,
            Err(err) => panic!("cannot start the test PostgreSQL: {err}"),
        })
    }

    /// Starts a cluster of its own, for a test that must not share one (its open
    /// transactions would hold back every other test's snapshot). Stopped on drop.
    pub fn start() -> Result<Cluster> {
        let bin = binaries()?;
        let run_as = if running_as_root() { Some(postgres_user()?) } else { None };
        let base = base_dir(run_as.is_some());
        std::fs::create_dir_all(&base).map_err(io(format!("create {}", base.display())))?;
        sweep_leftovers(&base, &bin, run_as);
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let folder = base.join(format!("{}-{}", std::process::id(), since_epoch.as_nanos()));
        std::fs::create_dir(&folder).map_err(io(format!("create {}", folder.display())))?;
        std::fs::write(folder.join("owner.pid"), std::process::id().to_string()).map_err(io("write owner.pid"))?;
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&folder, Some(uid), Some(gid)).map_err(io("hand the folder to postgres"))?;
        }
        let mut cluster = Cluster { folder, bin, run_as, port: 0, databases: AtomicU32::new(0) };
        cluster.watch();
        cluster.init()?;
        // A port found free can be taken before PostgreSQL binds it: try a few.
        let mut last = None;
        for _ in 0..5 {
            cluster.port = free_port()?;
            match cluster.start_server() {
                Ok(()) => return Ok(cluster),
                Err(err) => last = Some(err),
            }
        }
        Err(last.unwrap_or(PostgresError::BinariesMissing))
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The connection URL of `database`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates a new, empty database and returns its URL.
    pub fn create_database(&self) -> Result<String> {
        let name = format!("test_{}", self.databases.fetch_add(1, Ordering::Relaxed));
        let port = self.port.to_string();
        let mut createdb = Command::new(self.bin.join("createdb"));
        createdb.args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", &name]);
        run(&mut createdb)?;
        Ok(self.url(&name))
    }

    /// Runs `sql` in the database at `url` with `psql` and returns what it printed,
    /// unaligned and without headers: one row a line, columns split by `|`.
    pub fn query(&self, url: &str, sql: &str) -> Result<String> {
        let name = url.rsplit('/').next().unwrap_or_default();
        let port = self.port.to_string();
        let mut psql = Command::new(self.bin.join("psql"));
        psql.args([
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "postgres",
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            name,
            "-c",
            sql,
        ]);
        let described = format!("{psql:?}");
        let output = psql.stdin(Stdio::null()).output().map_err(io(format!("run {described}")))?;
        if !output.status.success() {
            return Err(PostgresError::Command {
                command: described,
                status: output.status.to_string(),
                output: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Backs up the database at `url` (one this cluster's [`Cluster::url`] or
    /// [`Cluster::create_database`] gave) into `file`, in `pg_dump`'s custom format.
    pub fn dump(&self, url: &str, file: &Path) -> Result<()> {
        let name = url.rsplit('/').next().unwrap_or_default();
        let port = self.port.to_string();
        let mut dump = Command::new(self.bin.join("pg_dump"));
        dump.args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-Fc", "-f"]).arg(file).arg(name);
        run(&mut dump)
    }

    /// Restores a [`Cluster::dump`] into a new database and returns its URL: what an
    /// operator does after losing the server's database.
    pub fn restore(&self, file: &Path) -> Result<String> {
        let url = self.create_database()?;
        let name = url.rsplit('/').next().unwrap_or_default();
        let port = self.port.to_string();
        let mut restore = Command::new(self.bin.join("pg_restore"));
        restore.args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "--no-owner", "-d", name]).arg(file);
        run(&mut restore)?;
        Ok(url)
    }

    fn data(&self) -> PathBuf {
        self.folder.join("data")
    }

    fn postgres_command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        match self.run_as {
            Some((uid, gid)) => {
                let mut command = Command::new("setpriv");
                command.arg(format!("--reuid={uid}")).arg(format!("--regid={gid}")).arg("--clear-groups");
                command.arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    fn init(&self) -> Result<()> {
        let mut initdb = self.postgres_command("initdb");
        initdb.arg("-D").arg(self.data());
        initdb.args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
        run(&mut initdb)
    }

    fn start_server(&self) -> Result<()> {
        let settings = format!(
            "\n# tirek-test-postgres\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = ''\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n\
             shared_buffers = 64MB\n",
            self.port
        );
        let conf = self.data().join("postgresql.conf");
        let mut file = std::fs::OpenOptions::new().append(true).open(&conf).map_err(io("open postgresql.conf"))?;
        file.write_all(settings.as_bytes()).map_err(io("write postgresql.conf"))?;
        let log = self.folder.join("postgres.log");
        let mut start = self.postgres_command("pg_ctl");
        start.arg("-D").arg(self.data()).arg("-l").arg(&log).args(["-w", "-t", "60", "start"]);
        // Its own process group: a Ctrl-C meant for the tests does not cut PostgreSQL
        // off from its watchdog's clean stop.
        start.process_group(0);
        run(&mut start).map_err(|err| match err {
            PostgresError::Command { command, status, output } => PostgresError::Command {
                command,
                status,
                output: format!("{output}\npostgres.log:\n{}", std::fs::read_to_string(&log).unwrap_or_default()),
            },
            other => other,
        })
    }

    /// Starts the watchdog that stops the cluster and deletes its folder once this
    /// process has exited, however it exits.
    fn watch(&self) {
        let stop = self.stop_command_line();
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{folder}'",
            pid = std::process::id(),
            folder = self.folder.display(),
        );
        let spawned = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn();
        // Without a watchdog the next run sweeps the folder up instead.
        drop(spawned);
    }

    fn stop_command_line(&self) -> String {
        let pg_ctl =
            format!("'{}' -D '{}' stop -m immediate -w", self.bin.join("pg_ctl").display(), self.data().display());
        match self.run_as {
            Some((uid, gid)) => format!("setpriv --reuid={uid} --regid={gid} --clear-groups {pg_ctl}"),
            None => pg_ctl,
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("sh")
            .args(["-c", &self.stop_command_line()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

fn run(command: &mut Command) -> Result<()> {
    let described = format!("{command:?}");
    let output = command.stdin(Stdio::null()).output().map_err(io(format!("run {described}")))?;
    if output.status.success() {
        return Ok(());
    }
    Err(PostgresError::Command {
        command: described,
        status: output.status.to_string(),
        output: format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)),
    })
}

/// The newest PostgreSQL's binaries: `TIREK_PG_BIN`, else Debian's.
fn binaries() -> Result<PathBuf> {
    find_binaries(std::env::var_os("TIREK_PG_BIN").map(PathBuf::from), Path::new("/usr/lib/postgresql"))
}

/// The binaries in `chosen` if given, else the newest `<debian>/<version>/bin`.
fn find_binaries(chosen: Option<PathBuf>, debian: &Path) -> Result<PathBuf> {
    let complete = |dir: &Path| ["initdb", "pg_ctl", "createdb"].iter().all(|program| dir.join(program).is_file());
    if let Some(dir) = chosen {
        return if complete(&dir) { Ok(dir) } else { Err(PostgresError::BinariesMissing) };
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(debian)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse::<u32>().ok()?, entry.path().join("bin"))))
        .filter(|(_, bin)| complete(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or(PostgresError::BinariesMissing)
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

/// The `postgres` user's uid and gid, from `/etc/passwd`.
fn postgres_user() -> Result<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            match fields.as_slice() {
                ["postgres", _, uid, gid, ..] => Some((uid.parse().ok()?, gid.parse().ok()?)),
                _ => None,
            }
        })
        .ok_or(PostgresError::NoPostgresUser)
}

/// Where clusters live: `target/pg-test`. As root, PostgreSQL runs as `postgres`,
/// which must be able to reach that folder; if an ancestor is closed to others (a
/// checkout under `/root`, say), the system's temporary folder is used instead.
fn base_dir(as_postgres: bool) -> PathBuf {
    let target = target_dir();
    let reachable = target.ancestors().all(|dir| std::fs::metadata(dir).is_ok_and(|meta| meta.mode() & 0o001 != 0));
    if !as_postgres || reachable { target.join("pg-test") } else { std::env::temp_dir().join("tirek-pg-test") }
}

/// Cargo's target folder: the nearest ancestor of this executable marked with
/// `CACHEDIR.TAG`, else `CARGO_TARGET_DIR`, else the system's temporary folder.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    exe.ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from))
        .unwrap_or_else(std::env::temp_dir)
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(io("find a free port"))?;
    listener.local_addr().map(|addr| addr.port()).map_err(io("find a free port"))
}

/// Stops and deletes every cluster in `base` whose owning process is gone.
fn sweep_leftovers(base: &Path, bin: &Path, run_as: Option<(u32, u32)>) {
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let folder = entry.path();
        // The folder's name starts with its owner's pid too: a cluster another thread
        // of a live run is starting has no `owner.pid` yet, and must not be swept.
        let named = entry.file_name().to_string_lossy().split('-').next().unwrap_or_default().to_owned();
        let owner = std::fs::read_to_string(folder.join("owner.pid")).unwrap_or(named);
        let alive = owner.trim().parse::<u32>().is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if alive {
            continue;
        }
        let leftover = Cluster { folder, bin: bin.to_path_buf(), run_as, port: 0, databases: AtomicU32::new(0) };
        drop(leftover);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_folder_is_found_from_the_test_binary() {
        let target = target_dir();
        assert!(target.join("CACHEDIR.TAG").is_file(), "{}", target.display());
    }

    #[test]
    fn a_cluster_starts_takes_databases_and_is_gone_when_dropped() {
        let cluster = Cluster::start().expect("a private cluster starts");
        let folder = cluster.folder.clone();
        let first = cluster.create_database().expect("a database");
        let second = cluster.create_database().expect("another");
        assert_ne!(first, second);
        assert!(first.starts_with(&format!("postgres://postgres@127.0.0.1:{}/", cluster.port())));
        assert!(std::net::TcpStream::connect(("127.0.0.1", cluster.port())).is_ok(), "it listens");
        let port = cluster.port();
        drop(cluster);
        assert!(!folder.exists(), "the folder is deleted");
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "it no longer listens");
    }

    #[test]
    fn missing_binaries_name_the_package_to_install() {
        let empty = std::env::temp_dir().join(format!("tirek-no-postgres-{}", std::process::id()));
        std::fs::create_dir_all(empty.join("15/bin")).expect("folders");
        for chosen in [None, Some(empty.join("15/bin"))] {
            let err = find_binaries(chosen, &empty).expect_err("nothing to find");
            assert!(err.to_string().contains("install the Debian package `postgresql`"), "{err}");
        }
        for program in ["initdb", "pg_ctl", "createdb"] {
            std::fs::write(empty.join("15/bin").join(program), "").expect("a stand-in");
        }
        assert_eq!(find_binaries(None, &empty).ok(), Some(empty.join("15/bin")));
        std::fs::remove_dir_all(&empty).expect("cleans up");
    }

    #[test]
    fn a_leftover_of_a_dead_run_is_swept_away() {
        let bin = binaries().expect("PostgreSQL binaries");
        let run_as = if running_as_root() { Some(postgres_user().expect("postgres user")) } else { None };
        let base = base_dir(run_as.is_some());
        std::fs::create_dir_all(&base).expect("base folder");
        let dead = base.join("leftover-of-a-killed-run");
        std::fs::create_dir_all(dead.join("data")).expect("leftover folder");
        // No process has this id: the kernel's pid limit is far lower.
        std::fs::write(dead.join("owner.pid"), "4294967295").expect("owner");
        sweep_leftovers(&base, &bin, run_as);
        assert!(!dead.exists());
    }
}
