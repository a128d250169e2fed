//! The listener: HTTPS with rustls when a certificate and key are configured, plain
//! HTTP only when the operator said `--insecure-dev` — never by accident.
//!
//! TLS handshakes run in tasks of their own, not inside `accept`: a client that
//! opens a connection and then stalls must not keep every other device waiting.
//! A handshake that takes longer than [`HANDSHAKE_TIMEOUT`] is dropped.
//!
//! Connections are served by [`serve`] rather than `axum::serve`, which gives hyper
//! no timer and so no header-read timeout: a client sending its headers a byte at a
//! time (slowloris) would hold its connection for ever. Here hyper closes a
//! connection whose headers take longer than `header_timeout_seconds` — which also
//! ends a kept-alive connection idle that long — and at most `max_connections` are
//! served at once; the rest wait in the kernel's queue. A slow body is the Wire
//! extractor's to cut (`body_timeout_seconds`).

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::serve::Listener;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::server::TlsStream;
use tower::ServiceExt;

use crate::config::Config;
use crate::error::{Result, ServerError};

/// How long the requests under way may take to finish once shutdown was asked for.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `router` on the connections `listener` hands over until `shutdown`
/// completes, then lets the requests under way finish. Each request carries its
/// peer's address as [`ConnectInfo`].
pub async fn serve<L>(mut listener: L, router: Router, config: &Config, shutdown: impl Future<Output = ()>)
where
    L: Listener<Addr = SocketAddr>,
{
    let permits = Arc::new(Semaphore::new(config.max_connections as usize));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(config.header_timeout_seconds));
    let mut shutdown = pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (io, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let service = router.clone().map_request(move |mut request: axum::http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request.map(Body::new)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(io), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                // A client that stalled, hung up or spoke no HTTP: nothing to answer.
                tracing::debug!(error = %err, "connection ended");
            }
            drop(permit);
        });
    }
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still under way at shutdown were cut off");
    }
}

/// The longest a TLS handshake may take.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Reads the certificate chain and key (PEM) into a rustls configuration for
/// HTTP/1.1 with the ring provider and rustls's safe defaults (TLS 1.2 and 1.3).
pub fn tls_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<std::result::Result<_, _>>())
        .map_err(|err| ServerError::Tls(format!("certificate {}: {err}", cert.display())))?;
    if certs.is_empty() {
        return Err(ServerError::Tls(format!("no certificate in {}", cert.display())));
    }
    let key =
        PrivateKeyDer::from_pem_file(key).map_err(|err| ServerError::Tls(format!("key {}: {err}", key.display())))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| ServerError::Tls(err.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|err| ServerError::Tls(err.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A listener that hands axum only connections whose TLS handshake completed.
#[derive(Debug)]
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Accepts TCP connections on `listener` and shakes hands with each in its own
    /// task, at most `max_handshakes` at once (the rest wait in the kernel's queue).
    pub fn new(listener: TcpListener, config: Arc<ServerConfig>, max_handshakes: usize) -> Result<TlsListener> {
        let local = listener.local_addr().map_err(crate::error::io("read the listener's address"))?;
        let (sender, ready) = mpsc::channel(64);
        let acceptor = TlsAcceptor::from(config);
        let permits = Arc::new(Semaphore::new(max_handshakes.max(1)));
        tokio::spawn(async move {
            loop {
                let Ok(permit) = permits.clone().acquire_owned().await else { break };
                let (stream, peer) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(err) => {
                        tracing::warn!(error = %err, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                if sender.is_closed() {
                    break;
                }
                let acceptor = acceptor.clone();
                let sender = sender.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            // Waits while every connection is taken, then is dropped.
                            let _ = tokio::time::timeout(HANDSHAKE_TIMEOUT, sender.send((tls, peer))).await;
                        }
                        Ok(Err(err)) => tracing::debug!(error = %err, "TLS handshake failed"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(TlsListener { ready, local })
    }
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accepting task ended: nothing will come again.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
