//! `tirek-server init`: the certificates of a small deployment, made on the server
//! itself — an organisation CA and a server certificate it signs — so that a
//! clinic's IT person needs no other tool and no public certificate authority.
//!
//! The CA's SHA-256 fingerprint is what the administrator hands out with the
//! enrolment codes: the app pins the CA at enrolment and shows the same fingerprint,
//! so a device trusts this organisation's server and no other, even on a network
//! where someone answers in its place.
//!
//! `init` makes only what is missing: run again, it keeps the CA (and with it every
//! enrolled device's trust) and makes a new server certificate only when the old
//! one is gone or `renew` is asked — the way to renew it before it expires, or to
//! add a host name. Keys are written readable by their owner only, never
//! overwritten.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::error::{Result, ServerError};

/// How long the organisation CA is valid: ten years, so that devices pinned to it
/// need not enrol again within the life of a clinic PC.
const CA_VALIDITY: Duration = Duration::days(3653);

/// How long a server certificate is valid: 825 days, the longest that common TLS
/// clients accept, renewed with `tirek-server init --renew`.
const SERVER_VALIDITY: Duration = Duration::days(825);

/// What `init` made or found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Initialised {
    /// The organisation CA (PEM), to give devices along with the fingerprint.
    pub ca_cert: PathBuf,
    /// The CA's private key: keep it offline once the server certificate is made.
    pub ca_key: PathBuf,
    /// The server's certificate (`tls_cert` in the configuration).
    pub server_cert: PathBuf,
    /// The server's private key (`tls_key`).
    pub server_key: PathBuf,
    /// SHA-256 of the CA certificate (DER), 64 lowercase hex digits: the app shows
    /// the same at enrolment.
    pub ca_sha256: String,
    /// Whether a new CA was made (false: the one in the folder was kept).
    pub new_ca: bool,
    /// Whether a new server certificate was made.
    pub new_server_certificate: bool,
    /// The names and addresses the server certificate is valid for.
    pub hosts: Vec<String>,
    /// When the server certificate expires (RFC 3339), when made now.
    pub server_expires: Option<String>,
    /// The USB sync bundles' secret key (`bundle_key` in the configuration).
    pub bundle_key: PathBuf,
    /// Its public half, as devices receive it.
    pub bundle_public_key: String,
    /// Whether the bundle key was made now (false: kept; `renew` never replaces it).
    pub new_bundle_key: bool,
}

/// Makes, in `dir`, whatever of the CA and the server certificate is missing; with
/// `renew`, a new server certificate for `hosts` even if one exists.
pub fn init(dir: &Path, organisation: &str, hosts: &[String], renew: bool) -> Result<Initialised> {
    let hosts: Vec<String> = hosts.iter().map(|host| host.trim().to_owned()).filter(|h| !h.is_empty()).collect();
    std::fs::create_dir_all(dir).map_err(crate::error::io(format!("create {}", dir.display())))?;
    let paths = |name: &str| (dir.join(format!("{name}.crt")), dir.join(format!("{name}.key")));
    let (ca_cert, ca_key) = paths("ca");
    let (server_cert, server_key) = paths("server");

    let new_server_certificate = renew || !server_cert.exists();
    if new_server_certificate && hosts.is_empty() {
        return Err(invalid("name the server with --host: the name or address devices use to reach it".into()));
    }
    let new_ca = !ca_cert.exists();
    let (ca_pem, ca_key_pair) = if new_ca {
        if ca_key.exists() {
            return Err(invalid(format!("{} exists without ca.crt beside it: move it away first", ca_key.display())));
        }
        let key = KeyPair::generate().map_err(tls)?;
        let certificate = ca_params(organisation)?.self_signed(&key).map_err(tls)?;
        write_new(&ca_key, key.serialize_pem().as_bytes(), true)?;
        write_new(&ca_cert, certificate.pem().as_bytes(), false)?;
        (certificate.pem(), key)
    } else {
        let pem = read(&ca_cert)?;
        let key = KeyPair::from_pem(&read(&ca_key)?).map_err(|err| invalid(format!("{}: {err}", ca_key.display())))?;
        (pem, key)
    };
    let ca_der = CertificateDer::from_pem_slice(ca_pem.as_bytes())
        .map_err(|err| invalid(format!("{}: {err}", ca_cert.display())))?;

    let mut server_expires = None;
    if new_server_certificate {
        let issuer = Issuer::from_ca_cert_der(&ca_der, ca_key_pair)
            .map_err(|err| invalid(format!("{}: {err}", ca_cert.display())))?;
        let mut params = CertificateParams::new(hosts.clone()).map_err(tls)?;
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, hosts[0].clone());
        name.push(DnType::OrganizationName, organisation);
        params.distinguished_name = name;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        params.use_authority_key_identifier_extension = true;
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::hours(1);
        params.not_after = now + SERVER_VALIDITY;
        let key = KeyPair::generate().map_err(tls)?;
        let certificate = params.signed_by(&key, &issuer).map_err(tls)?;
        // The chain the server presents: its certificate, then the CA's.
        let chain = format!("{}{ca_pem}", certificate.pem());
        replace(&server_key, key.serialize_pem().as_bytes(), true)?;
        replace(&server_cert, chain.as_bytes(), false)?;
        server_expires = params.not_after.format(&time::format_description::well_known::Rfc3339).ok();
    }
    let bundle_key = crate::bundle::ensure_key(dir)?;
    Ok(Initialised {
        ca_cert,
        ca_key,
        server_cert,
        server_key,
        ca_sha256: fingerprint(&ca_der),
        new_ca,
        new_server_certificate,
        hosts,
        server_expires,
        bundle_key: bundle_key.path,
        bundle_public_key: bundle_key.public_key,
        new_bundle_key: bundle_key.new,
    })
}

/// SHA-256 of a certificate, 64 lowercase hex digits.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn ca_params(organisation: &str) -> Result<CertificateParams> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(tls)?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, format!("{organisation} — Tirek CA"));
    name.push(DnType::OrganizationName, organisation);
    params.distinguished_name = name;
    // It signs server certificates only, never another CA.
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::hours(1);
    params.not_after = now + CA_VALIDITY;
    Ok(params)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(crate::error::io(format!("read {}", path.display())))
}

/// Writes a file that must not exist yet (`private`: readable by its owner only).
pub(crate) fn write_new(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(crate::error::io(format!("create {}", path.display())))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(crate::error::io(format!("write {}", path.display())))
}

/// Writes a file beside `path` and renames it over `path`, so that a server reading
/// it meanwhile sees the old file or the new one, never half of one.
fn replace(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let temporary = path.with_extension("new");
    let _ = std::fs::remove_file(&temporary);
    write_new(&temporary, bytes, private)?;
    std::fs::rename(&temporary, path).map_err(crate::error::io(format!("replace {}", path.display())))
}

fn tls(err: rcgen::Error) -> ServerError {
    ServerError::Tls(err.to_string())
}

fn invalid(what: String) -> ServerError {
    ServerError::Invalid(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_makes_what_is_missing_and_keeps_the_ca() {
        let dir = tempfile::tempdir().expect("a folder");
        let hosts = vec!["tirek.example.kz".to_owned(), "10.0.0.5".to_owned()];
        let first = init(dir.path(), "Түркістан облысы", &hosts, false).expect("init");
        assert!(first.new_ca && first.new_server_certificate);
        assert_eq!(first.ca_sha256.len(), 64);
        let ca_der = CertificateDer::from_pem_file(&first.ca_cert).expect("the CA reads back");
        assert_eq!(fingerprint(&ca_der), first.ca_sha256);
        #[cfg(unix)]
        for key in [&first.ca_key, &first.server_key, &first.bundle_key] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key).expect("key").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", key.display());
        }
        let chain: Vec<_> = CertificateDer::pem_file_iter(&first.server_cert)
            .expect("chain")
            .collect::<std::result::Result<_, _>>()
            .expect("chain reads");
        assert_eq!(chain.len(), 2, "the server certificate, then the CA");
        assert_eq!(chain[1], ca_der);

        let again = init(dir.path(), "Түркістан облысы", &[], false).expect("init again");
        assert!(!again.new_ca && !again.new_server_certificate, "nothing is made twice");
        assert_eq!(again.ca_sha256, first.ca_sha256);
        assert!(first.new_bundle_key && !again.new_bundle_key);
        assert_eq!(again.bundle_public_key, first.bundle_public_key);

        let old_server = std::fs::read(&first.server_cert).expect("cert");
        let renewed = init(dir.path(), "Түркістан облысы", &hosts, true).expect("renew");
        assert!(!renewed.new_ca && renewed.new_server_certificate);
        assert_eq!(renewed.ca_sha256, first.ca_sha256, "devices keep trusting the same CA");
        assert!(!renewed.new_bundle_key, "renewing leaves the bundle key");
        assert_eq!(renewed.bundle_public_key, first.bundle_public_key, "devices' bundles still open");
        assert_ne!(std::fs::read(&first.server_cert).expect("cert"), old_server);
    }

    #[test]
    fn a_server_certificate_needs_a_host_and_a_lone_ca_key_is_not_overwritten() {
        let dir = tempfile::tempdir().expect("a folder");
        let err = init(dir.path(), "Org", &[], false).expect_err("no host");
        assert!(err.to_string().contains("--host"), "{err}");

        let other = tempfile::tempdir().expect("a folder");
        std::fs::write(other.path().join("ca.key"), "precious").expect("write");
        assert!(init(other.path(), "Org", &["h".to_owned()], false).is_err());
        assert_eq!(std::fs::read_to_string(other.path().join("ca.key")).expect("read"), "precious");
    }
}
