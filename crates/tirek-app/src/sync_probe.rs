//! Looking at a server before enrolling with it: the certificate it shows, so that
//! the person compares its fingerprint with the one the administrator printed
//! (`tirek-server init`) and only then pins it; and, while the background sync
//! waits after a failure, whether the server answers again at all.
//!
//! The handshake here trusts whatever the server shows and sends nothing: its only
//! product is the certificate chain, shown to a person who decides. Everything
//! after enrolment trusts the pinned certificate and nothing else (`sync.rs`).

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::sync::{SyncError, check_server_url};
use crate::{App, AppError, Result};

/// How long to wait for a server that may be on a slow rural link.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// The certificate a server shows, for the person to compare before enrolling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ServerCertificate {
    /// The server's address as Tirek will use it.
    pub server: String,
    /// SHA-256 of the certificate to pin (the organisation's CA: the last one of the
    /// chain the server shows), hex; `None` for a developer's plain-HTTP server.
    pub sha256: Option<String>,
    /// That certificate as PEM, to pin at enrolment.
    pub pem: Option<String>,
}

impl App {
    /// Connects to `server` and returns the certificate it shows, without trusting
    /// it or sending anything: the window shows its fingerprint beside the
    /// enrolment form.
    pub fn sync_probe(&self, server: &str) -> Result<ServerCertificate> {
        let insecure_dev = self.sync_settings().insecure_dev;
        let server = check_server_url(server, insecure_dev).map_err(AppError::Sync)?;
        let (secure, host, port) = authority(&server).ok_or(AppError::Sync(SyncError::BadServerAddress))?;
        if !secure {
            connect(&host, port).map_err(AppError::Sync)?;
            return Ok(ServerCertificate { server, sha256: None, pem: None });
        }
        let chain = presented_chain(&host, port).map_err(AppError::Sync)?;
        let anchor = chain.last().ok_or(AppError::Sync(SyncError::BadCertificate))?;
        let sha256 = Sha256::digest(anchor.as_ref()).iter().map(|b| format!("{b:02x}")).collect();
        Ok(ServerCertificate { server, sha256: Some(sha256), pem: Some(pem(anchor)) })
    }
}

/// Whether the server's port accepts a connection now (the background sync's cheap
/// look while it waits after a failure).
pub(crate) fn answers(server: &str) -> bool {
    authority(server).is_some_and(|(_, host, port)| connect(&host, port).is_ok())
}

/// `(https?, host, port)` of an address [`check_server_url`] accepted.
fn authority(server: &str) -> Option<(bool, String, u16)> {
    let (scheme, rest) = server.split_once("://")?;
    let secure = scheme.eq_ignore_ascii_case("https");
    let default = if secure { 443 } else { 80 };
    let (host, port) = if let Some(bracketed) = rest.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        (host, after.strip_prefix(':').map(str::parse).transpose().ok()?.unwrap_or(default))
    } else {
        match rest.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().ok()?),
            None => (rest, default),
        }
    };
    Some((secure, host.to_owned(), port))
}

fn connect(host: &str, port: u16) -> std::result::Result<TcpStream, SyncError> {
    let addresses = (host, port).to_socket_addrs().map_err(|_| SyncError::NoConnection)?;
    for address in addresses {
        if let Ok(stream) = TcpStream::connect_timeout(&address, PROBE_TIMEOUT) {
            stream.set_read_timeout(Some(PROBE_TIMEOUT)).map_err(|_| SyncError::NoConnection)?;
            stream.set_write_timeout(Some(PROBE_TIMEOUT)).map_err(|_| SyncError::NoConnection)?;
            return Ok(stream);
        }
    }
    Err(SyncError::NoConnection)
}

/// The chain of certificates the server at `host:port` shows in a TLS handshake.
fn presented_chain(host: &str, port: u16) -> std::result::Result<Vec<CertificateDer<'static>>, SyncError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let recorder = Arc::new(Recorder { seen: Mutex::default(), provider: provider.clone() });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| SyncError::Garbage)?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned()).map_err(|_| SyncError::BadServerAddress)?;
    let mut connection = rustls::ClientConnection::new(Arc::new(config), name).map_err(|_| SyncError::Garbage)?;
    let mut stream = connect(host, port)?;
    while connection.is_handshaking() {
        if let Err(err) = connection.complete_io(&mut stream) {
            return Err(match err.kind() {
                std::io::ErrorKind::InvalidData => SyncError::Garbage,
                _ => SyncError::NoConnection,
            });
        }
    }
    let chain = recorder.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
    if chain.is_empty() { Err(SyncError::BadCertificate) } else { Ok(chain) }
}

/// A certificate as PEM.
fn pem(certificate: &CertificateDer<'_>) -> String {
    let base64 = base64::engine::general_purpose::STANDARD.encode(certificate.as_ref());
    let lines: Vec<&str> =
        base64.as_bytes().chunks(64).map(|line| std::str::from_utf8(line).expect("base64 is ASCII")).collect();
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
}

/// Accepts whatever the server shows and keeps it; the handshake's signatures are
/// still checked, so the chain is the one of the server that answered.
#[derive(Debug)]
struct Recorder {
    seen: Mutex<Vec<CertificateDer<'static>>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *seen = std::iter::once(end_entity).chain(intermediates).map(|c| c.clone().into_owned()).collect();
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_and_port_are_read_from_every_shape_of_address() {
        assert_eq!(authority("https://tirek.example.kz:8443"), Some((true, "tirek.example.kz".to_owned(), 8443)));
        assert_eq!(authority("https://tirek.example.kz"), Some((true, "tirek.example.kz".to_owned(), 443)));
        assert_eq!(authority("http://127.0.0.1:8080"), Some((false, "127.0.0.1".to_owned(), 8080)));
        assert_eq!(authority("https://[::1]:9000"), Some((true, "::1".to_owned(), 9000)));
        assert_eq!(authority("https://[::1]"), Some((true, "::1".to_owned(), 443)));
        assert_eq!(authority("https://host:port"), None);
    }

    #[test]
    fn a_certificate_is_written_as_pem_that_reads_back() {
        let der = CertificateDer::from((0u8..200).collect::<Vec<u8>>());
        let text = pem(&der);
        assert!(text.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(text.lines().all(|line| line.len() <= 64));
        let back: Vec<_> = ureq::tls::parse_pem(text.as_bytes()).collect();
        assert!(matches!(&back[..], [Ok(ureq::tls::PemItem::Certificate(c))] if c.der() == der.as_ref()));
    }
}
