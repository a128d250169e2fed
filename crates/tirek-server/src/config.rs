//! The server's configuration: one typed struct, read from a TOML file whose every
//! key is optional (the defaults are below and in `tirek-server.example.toml`, which
//! a test keeps identical to them), then overridden key by key by environment
//! variables named `TIREK_SERVER_<KEY>` (`TIREK_SERVER_DATABASE_URL`, say) — the
//! way containers and systemd units like to pass secrets.
//!
//! A mistyped key is an error, never a silently ignored setting: the file is read
//! with `deny_unknown_fields` and the error names the line and the key; an unknown
//! `TIREK_SERVER_*` variable is refused the same way.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid for this server: a typo, a wrong type.
    #[error("{path}, line {line}: {message}")]
    Parse { path: PathBuf, line: usize, message: String },
    /// An environment variable that is not a setting, or holds a bad value.
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
    /// Values that do not fit together.
    #[error("{0}")]
    Invalid(String),
}

/// Everything the server can be told. Every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on. Default `127.0.0.1:8443`.
    pub listen: SocketAddr,
    /// PEM file with the TLS certificate chain. With `tls_key`, the server speaks
    /// HTTPS; without both it refuses to start unless given `--insecure-dev`.
    /// Default: none.
    pub tls_cert: Option<PathBuf>,
    /// PEM file with the TLS private key. Default: none.
    pub tls_key: Option<PathBuf>,
    /// PostgreSQL connection URL. Default `postgres://tirek@localhost/tirek`.
    pub database_url: String,
    /// Most database connections held open. Default 10.
    pub database_max_connections: u32,
    /// Most changes in one push batch. Default 500.
    pub max_batch_changes: u32,
    /// Most bytes of a request body, as sent and once decompressed: a larger
    /// body is refused with `batch_too_large` (as soon as its `Content-Length`
    /// says so), and a small compressed body that inflates past it (a gzip bomb) is
    /// cut off there. Default 8388608 (8 MiB).
    pub max_body_bytes: usize,
    /// Most changes in one pull page. Default 1000.
    pub pull_page_max: u32,
    /// How far ahead of the server's clock a change's clock may be, in seconds,
    /// before its batch is refused with `clock_skew`. Default 300.
    pub max_clock_ahead_seconds: u64,
    /// How long a new enrolment code stays valid, in hours. Default 72.
    pub enrolment_code_hours: u32,
    /// Most connections served at once; more wait in the operating system's
    /// queue until one closes. Default 1000.
    pub max_connections: u32,
    /// The longest a client may take to send a request's headers, and the longest
    /// an idle connection is kept open between requests, in seconds. Default 10.
    pub header_timeout_seconds: u64,
    /// The longest a request's body may take to arrive, in seconds; a slower one is
    /// answered `request_timeout` and its connection closed. Default 60.
    pub body_timeout_seconds: u64,
    /// Requests a minute one device may make once its burst is spent; 0 for no
    /// limit. Default 600.
    pub device_requests_per_minute: u32,
    /// Requests one device may make at once. Default 200.
    pub device_burst: u32,
    /// Requests a minute from one address (an IPv6 address's /64) once its burst is
    /// spent; 0 for no limit. Many computers of a clinic can share one address.
    /// Default 3000.
    pub address_requests_per_minute: u32,
    /// Requests one address may make at once. Default 1000.
    pub address_burst: u32,
    /// The secret key of USB sync bundles (`bundle.key`, made by `tirek-server
    /// init`): devices seal their bundles to its public half, which they receive at
    /// enrolment and in every status, and `admin import-bundle` opens them with it.
    /// Without it the server offers no bundles. Default: none.
    pub bundle_key: Option<PathBuf>,
    /// Log filter (tracing's `EnvFilter` syntax). Default `info`.
    pub log: String,
    /// The oldest app version (`0.3.0`) that may sync: an older app is told, in
    /// its language, to update, and keeps working offline meanwhile. Default: none
    /// (every app that speaks the protocol syncs).
    pub min_app_version: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8443)),
            tls_cert: None,
            tls_key: None,
            database_url: "postgres://tirek@localhost/tirek".to_owned(),
            database_max_connections: 10,
            max_batch_changes: 500,
            max_body_bytes: 8 * 1024 * 1024,
            pull_page_max: 1000,
            max_clock_ahead_seconds: 300,
            enrolment_code_hours: 72,
            max_connections: 1000,
            header_timeout_seconds: 10,
            body_timeout_seconds: 60,
            device_requests_per_minute: 600,
            device_burst: 200,
            address_requests_per_minute: 3000,
            address_burst: 1000,
            bundle_key: None,
            log: "info".to_owned(),
            min_app_version: None,
        }
    }
}

/// Every key, as in the file; the environment variable is `TIREK_SERVER_` and the
/// key in capitals.
pub const KEYS: [&str; 20] = [
    "listen",
    "tls_cert",
    "tls_key",
    "database_url",
    "database_max_connections",
    "max_batch_changes",
    "max_body_bytes",
    "pull_page_max",
    "max_clock_ahead_seconds",
    "enrolment_code_hours",
    "max_connections",
    "header_timeout_seconds",
    "body_timeout_seconds",
    "device_requests_per_minute",
    "device_burst",
    "address_requests_per_minute",
    "address_burst",
    "bundle_key",
    "log",
    "min_app_version",
];

/// The prefix of the environment variables that override the file.
pub const ENV_PREFIX: &str = "TIREK_SERVER_";

impl Config {
    /// Reads `path` (if given; the defaults otherwise), then applies the
    /// `TIREK_SERVER_*` variables of this process's environment.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
                Config::parse(&text, path)?
            }
            None => Config::default(),
        };
        config.apply_env(std::env::vars())?;
        config.check()?;
        Ok(config)
    }

    /// Parses the text of a configuration file; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|err| {
            let line = err.span().map_or(1, |span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            ConfigError::Parse { path: path.to_owned(), line, message: err.message().trim().to_owned() }
        })
    }

    /// Applies every `TIREK_SERVER_*` variable among `vars`.
    pub fn apply_env(&mut self, vars: impl IntoIterator<Item = (String, String)>) -> Result<(), ConfigError> {
        for (name, value) in vars {
            let Some(key) = name.strip_prefix(ENV_PREFIX) else { continue };
            if key == "CONFIG" {
                // TIREK_SERVER_CONFIG names the file itself (`--config`).
                continue;
            }
            let key = key.to_ascii_lowercase();
            self.set(&key, &value, &name)?;
        }
        Ok(())
    }

    /// Sets `key` from the text of variable `name`.
    fn set(&mut self, key: &str, value: &str, name: &str) -> Result<(), ConfigError> {
        let refuse = |message: String| ConfigError::Env { name: name.to_owned(), message };
        let number = |value: &str| value.trim().parse().map_err(|_| refuse(format!("`{value}` is not a whole number")));
        let count = |value: &str| {
            number(value).and_then(|n: u64| u32::try_from(n).map_err(|_| refuse(format!("`{value}` is too large"))))
        };
        let path = |value: &str| if value.is_empty() { None } else { Some(PathBuf::from(value)) };
        match key {
            "listen" => {
                self.listen = value.trim().parse().map_err(|_| refuse(format!("`{value}` is not an address:port")))?
            }
            "tls_cert" => self.tls_cert = path(value),
            "tls_key" => self.tls_key = path(value),
            "database_url" => self.database_url = value.to_owned(),
            "database_max_connections" => self.database_max_connections = count(value)?,
            "max_batch_changes" => self.max_batch_changes = count(value)?,
            "max_body_bytes" => self.max_body_bytes = number(value)? as usize,
            "pull_page_max" => self.pull_page_max = count(value)?,
            "max_clock_ahead_seconds" => self.max_clock_ahead_seconds = number(value)?,
            "enrolment_code_hours" => self.enrolment_code_hours = count(value)?,
            "max_connections" => self.max_connections = count(value)?,
            "header_timeout_seconds" => self.header_timeout_seconds = number(value)?,
            "body_timeout_seconds" => self.body_timeout_seconds = number(value)?,
            "device_requests_per_minute" => self.device_requests_per_minute = count(value)?,
            "device_burst" => self.device_burst = count(value)?,
            "address_requests_per_minute" => self.address_requests_per_minute = count(value)?,
            "address_burst" => self.address_burst = count(value)?,
            "bundle_key" => self.bundle_key = path(value),
            "log" => self.log = value.to_owned(),
            "min_app_version" => {
                self.min_app_version = Some(value.trim().to_owned()).filter(|version| !version.is_empty())
            }
            _ => return Err(refuse(format!("not a setting; the settings are {}", KEYS.join(", ")))),
        }
        Ok(())
    }

    /// Checks that the values fit together.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return Err(ConfigError::Invalid("tls_cert and tls_key are given together or not at all".to_owned()));
        }
        if let Some(version) = &self.min_app_version
            && version.parse::<tirek_protocol::AppVersion>().is_err()
        {
            return Err(ConfigError::Invalid(format!("min_app_version `{version}` is not a version such as 0.3.0")));
        }
        for (key, value) in [
            ("database_max_connections", u64::from(self.database_max_connections)),
            ("max_batch_changes", u64::from(self.max_batch_changes)),
            ("pull_page_max", u64::from(self.pull_page_max)),
            ("enrolment_code_hours", u64::from(self.enrolment_code_hours)),
            ("max_body_bytes", self.max_body_bytes as u64),
            ("max_connections", u64::from(self.max_connections)),
            ("header_timeout_seconds", self.header_timeout_seconds),
            ("body_timeout_seconds", self.body_timeout_seconds),
            ("device_burst", u64::from(self.device_burst)),
            ("address_burst", u64::from(self.address_burst)),
        ] {
            if value == 0 {
                return Err(ConfigError::Invalid(format!("{key} must be at least 1")));
            }
        }
        Ok(())
    }

    /// The parsed `min_app_version` ([`Config::check`] refuses one that is not a version).
    pub fn min_app_version(&self) -> Option<tirek_protocol::AppVersion> {
        self.min_app_version.as_deref().and_then(|version| version.parse().ok())
    }

    /// Whether TLS is configured.
    pub fn has_tls(&self) -> bool {
        self.tls_cert.is_some() && self.tls_key.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../tirek-server.example.toml");

    #[test]
    fn the_documented_example_is_exactly_the_defaults() {
        // The example has every key commented out with its default; uncommented, it
        // must parse to the defaults — so the documentation cannot drift.
        let uncommented: String = EXAMPLE
            .lines()
            .map(|line| line.strip_prefix("# ").filter(|rest| rest.contains(" = ")).unwrap_or(line))
            .map(|line| format!("{line}\n"))
            .collect();
        let parsed = Config::parse(&uncommented, Path::new("example")).expect("the example parses");
        let with_tls = Config {
            tls_cert: Some("/etc/tirek/server.crt".into()),
            tls_key: Some("/etc/tirek/server.key".into()),
            bundle_key: Some("/etc/tirek/bundle.key".into()),
            min_app_version: Some("0.3.0".into()),
            ..Config::default()
        };
        assert_eq!(parsed, with_tls);
        for key in KEYS {
            assert!(EXAMPLE.contains(&format!("# {key} = ")), "the example documents `{key}`");
        }
        assert_eq!(Config::parse(EXAMPLE, Path::new("example")).expect("parses as shipped"), Config::default());
    }

    #[test]
    fn a_typo_is_named_with_its_line() {
        let text = "listen = \"127.0.0.1:9000\"\n\n# a comment\ndatabse_url = \"postgres://x\"\n";
        let err = Config::parse(text, Path::new("/etc/tirek/server.toml")).expect_err("a typo");
        let message = err.to_string();
        assert!(message.starts_with("/etc/tirek/server.toml, line 4: unknown field `databse_url`"), "{message}");
        let wrong_type = Config::parse("max_batch_changes = \"many\"\n", Path::new("f")).expect_err("a type");
        assert!(wrong_type.to_string().starts_with("f, line 1: "), "{wrong_type}");
    }

    #[test]
    fn the_environment_overrides_the_file_and_its_typos_are_refused() {
        let mut config = Config::parse("max_batch_changes = 100\n", Path::new("f")).expect("parses");
        let vars = [
            ("TIREK_SERVER_MAX_BATCH_CHANGES", "50"),
            ("TIREK_SERVER_DATABASE_URL", "postgres://db/tirek"),
            ("TIREK_SERVER_TLS_CERT", "/c.pem"),
            ("HOME", "/root"),
        ];
        config.apply_env(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))).expect("applies");
        assert_eq!(config.max_batch_changes, 50);
        assert_eq!(config.database_url, "postgres://db/tirek");
        assert_eq!(config.tls_cert, Some(PathBuf::from("/c.pem")));
        assert!(config.check().is_err(), "a certificate without a key");

        let typo = config.apply_env([("TIREK_SERVER_LISTN".to_owned(), "0.0.0.0:1".to_owned())]);
        assert!(matches!(typo, Err(ConfigError::Env { name, .. }) if name == "TIREK_SERVER_LISTN"));
        let bad = config.apply_env([("TIREK_SERVER_PULL_PAGE_MAX".to_owned(), "lots".to_owned())]);
        assert!(bad.is_err());
    }

    #[test]
    fn every_key_can_be_set_from_the_environment() {
        for key in KEYS {
            let value = match key {
                "listen" => "0.0.0.0:1",
                "tls_cert" | "tls_key" | "bundle_key" | "database_url" | "log" => "x",
                _ => "7",
            };
            Config::default().set(key, value, key).unwrap_or_else(|err| panic!("{key}: {err}"));
        }
    }

    #[test]
    fn a_minimum_app_version_that_is_not_one_is_refused() {
        let config = Config { min_app_version: Some("latest".into()), ..Config::default() };
        let err = config.check().expect_err("not a version");
        assert!(err.to_string().contains("min_app_version `latest`"), "{err}");
        let config = Config { min_app_version: Some("0.10".into()), ..Config::default() };
        assert_eq!(config.min_app_version(), Some(tirek_protocol::AppVersion([0, 10, 0])));
    }
}
