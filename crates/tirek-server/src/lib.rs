//! Tirek's organisation server: devices enrol with a one-time code, push their
//! change records, and pull the changes of their scope — a psychologist's own
//! caseload, a supervisor's team — from every other device, in one server order.
//! Administrators manage organisations, clinics, teams, users, codes and devices
//! from the command line (`tirek-server admin`).
//!
//! The layers, top to bottom: `http` (axum: routes, extractors, problem bodies —
//! thin), the services (`devices`, `push`, `pull`, `access`, `admin`, and `bundle`,
//! which imports a USB bundle through `push` and `pull` — one function per use case,
//! all the SQL), the pure rules (`rules`: may this change be stored? does this
//! batch continue the sequence?) and the wire format in `tirek-protocol`. The
//! server depends on `tirek-domain` to judge what it stores, and never on
//! `tirek-store` or `tirek-app`.
//!
//! [`Server::bind`] is the one way to start it — the binary and the integration
//! tests both use it — so the tests run the very server that ships.

pub mod access;
pub mod admin;
pub mod bundle;
pub mod certificates;
pub mod config;
pub mod db;
pub mod devices;
pub mod error;
pub mod http;
pub mod limits;
pub mod listen;
pub mod pull;
pub mod push;
pub mod rules;
pub mod secrets;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_rustls::rustls::ServerConfig;

pub use config::Config;
pub use error::{Result, ServerError};

/// How the server may listen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// HTTPS with the configured certificate; refuse to start without one.
    Tls,
    /// Plain HTTP, asked for explicitly with `--insecure-dev`; for development and
    /// tests only. A configured certificate still wins.
    InsecureDev,
}

/// A server bound to its port, its database migrated, not yet serving.
#[derive(Debug)]
pub struct Server {
    state: http::AppState,
    listener: TcpListener,
    tls: Option<Arc<ServerConfig>>,
}

impl Server {
    /// Checks the configuration, loads the TLS certificate, connects to the database,
    /// applies pending migrations and binds the listening port.
    pub async fn bind(config: Config, transport: Transport) -> Result<Server> {
        config.check()?;
        let tls = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => Some(listen::tls_config(cert, key)?),
            _ if transport == Transport::InsecureDev => None,
            _ => {
                return Err(ServerError::Tls(
                    "no certificate: set tls_cert and tls_key, or start with --insecure-dev for plain HTTP in \
                     development"
                        .to_owned(),
                ));
            }
        };
        // A configured bundle key that cannot be read stops the start, as a TLS key does.
        let bundle_key = match &config.bundle_key {
            Some(path) => Some(bundle::load_key(path)?.public_key().to_hex()),
            None => None,
        };
        let pool = db::connect(&config)?;
        db::migrate(&pool).await?;
        db::current_epoch(&pool).await?;
        let listener =
            TcpListener::bind(config.listen).await.map_err(error::io(format!("listen on {}", config.listen)))?;
        let limits = Arc::new(http::Limits::new(&config));
        let state =
            http::AppState { pool, config: Arc::new(config), limits, supported: tirek_protocol::SUPPORTED, bundle_key };
        Ok(Server { state, listener, tls })
    }

    /// The address it listens on (the real port when the configuration said 0).
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(error::io("read the listening address"))
    }

    /// Accepts only the protocol versions in `range` instead of this build's own:
    /// for tests that need a server of another generation, to show an app outside
    /// its range is told to update and loses nothing.
    pub fn accept_versions(&mut self, range: tirek_protocol::VersionRange) {
        self.state.supported = range;
    }

    /// Whether it speaks HTTPS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Its database pool.
    pub fn pool(&self) -> &sqlx::PgPool {
        &self.state.pool
    }

    /// Serves until `shutdown` completes, then finishes the requests under way.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        let config = self.state.config.clone();
        let router = http::router(self.state);
        match self.tls {
            Some(tls) => {
                let listener = listen::TlsListener::new(self.listener, tls, config.max_connections as usize)?;
                listen::serve(listener, router, &config, shutdown).await;
            }
            None => listen::serve(self.listener, router, &config, shutdown).await,
        }
        Ok(())
    }
}
