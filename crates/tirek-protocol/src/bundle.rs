//! USB sync bundles, for a clinic with no connection at all (DESIGN §6): the device
//! writes what a network push would send into a file sealed to the organisation
//! server's X25519 key, someone carries it to the server on a USB stick, the server
//! imports it (`tirek-server admin import-bundle`) with the very push and pull code
//! of `/v1/push` and `/v1/pull`, and writes an answer sealed with a key only the
//! device knows; the device imports the answer. Both files are this module's
//! format, so the two sides cannot drift apart.
//!
//! # The envelope
//! Every bundle opens with an 11-byte header: the magic `TIREKBND`, the format
//! version (big-endian u16, [`FORMAT_VERSION`]) and its kind ([`BundleKind`]).
//!
//! - **To the server** — `header ‖ server public key (32) ‖ ephemeral public key (32) ‖
//!   ciphertext`: X25519 between a fresh ephemeral key and the server's key, HKDF-SHA256
//!   (salt: both public keys) gives an XChaCha20-Poly1305 key and nonce; the AAD is the
//!   whole header, so neither the version nor the keys can be swapped. Only the holder
//!   of the server's secret key opens it; naming the recipient's public key lets a
//!   server tell "another organisation's bundle" from "a damaged one".
//! - **The answer** — `header ‖ answer key id (16) ‖ nonce (24) ‖ ciphertext`, sealed with
//!   a key derived from the 32-byte answer key the device put inside its bundle; the AAD
//!   is the header and the device's id, which is not written in the clear: an answer
//!   opens only on the device it was made for. The key id (an HKDF output, which tells
//!   nothing of the key) lets the device tell "not for me" from "damaged" and
//!   "imported already".
//!
//! The sealed content is JSON compressed with gzip: bundles cross no HTTP layer that
//! would compress them, so — unlike the rest of this crate — the codec lives here,
//! next to the one format that needs it. Randomness is an argument (the ephemeral
//! secret, the nonce), so this module does no I/O and every case is a plain test.
//! Secrets and the plaintext are wiped from memory when dropped.

use std::fmt;
use std::io::{Read, Write};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::messages::{Cursor, Epoch, PullResponse, PushRequest, PushResponse, StatusResponse};
use crate::problem::Problem;

/// The first bytes of every bundle.
pub const MAGIC: [u8; 8] = *b"TIREKBND";

/// The envelope's version; a newer one is refused in words ("update Tirek").
pub const FORMAT_VERSION: u16 = 1;

/// The file extension of both kinds, without the dot.
pub const EXTENSION: &str = "tirekbundle";

/// The most bytes a bundle's content may inflate to: far above a first sync of a
/// supervisor's region, far below what would exhaust a computer's memory.
pub const MAX_CONTENT_BYTES: u64 = 1024 * 1024 * 1024;

const HEADER: usize = 11;
const KEY: usize = 32;
const KEY_ID: usize = 16;
const NONCE: usize = 24;
const TAG: usize = 16;
const TO_SERVER_INFO: &[u8] = b"tirek bundle v1: device to server";
const ANSWER_KEY_INFO: &[u8] = b"tirek bundle v1: answer key";
const ANSWER_ID_INFO: &[u8] = b"tirek bundle v1: answer key id";

/// Which way a bundle goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleKind {
    /// A device's changes, for the server.
    ToServer,
    /// The server's answer, for the device that wrote the bundle.
    Answer,
}

impl BundleKind {
    fn byte(self) -> u8 {
        match self {
            Self::ToServer => 1,
            Self::Answer => 2,
        }
    }
}

/// Why a bundle cannot be written or opened. Each is its own message on both sides.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// Not a Tirek bundle at all (another file chosen by mistake).
    #[error("not a Tirek sync bundle")]
    NotABundle,
    /// Written by a newer Tirek, in an envelope this build does not know.
    #[error("the bundle's format {0} is newer than this build's ({FORMAT_VERSION}): update Tirek")]
    NewerFormat(u16),
    /// The other kind of bundle: an answer given to the server, or a device's bundle
    /// given back to a device.
    #[error("{}", if *.found == BundleKind::Answer {
        "this is a server's answer: it goes back to the device that wrote the bundle"
    } else {
        "this is a device's bundle for the server, not the server's answer"
    })]
    WrongKind {
        /// What the file is.
        found: BundleKind,
    },
    /// Sealed for another server's key: a bundle of another organisation's device.
    #[error(
        "sealed for another server's bundle key ({sealed_for}…; this server's is {ours}…): a bundle of another \
         organisation's device"
    )]
    OtherServer {
        /// The fingerprint of the key it was sealed for.
        sealed_for: String,
        /// This server's.
        ours: String,
    },
    /// The seal does not hold: the file was cut, altered or damaged (or, for an
    /// answer, made for another device under the same key id, which cannot happen
    /// by chance).
    #[error("the bundle is damaged or was altered after it was written: nothing of it was used")]
    Damaged,
    /// The seal holds but the content is not what this format says: a bug, or a
    /// content larger than [`MAX_CONTENT_BYTES`].
    #[error("the bundle's content is unreadable: {0}")]
    Content(String),
}

/// A result with [`BundleError`].
pub type BundleResult<T> = Result<T, BundleError>;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.trim();
    if text.len() != N * 2 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; N];
    for (index, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[index * 2..index * 2 + 2], 16).ok()?;
    }
    Some(out)
}

/// The organisation server's public bundle key: what devices seal their bundles
/// to. It reaches a device in the enrolment answer and in every status, written as
/// 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BundlePublicKey([u8; KEY]);

impl BundlePublicKey {
    /// Reads 64 hex digits.
    pub fn from_hex(text: &str) -> Option<BundlePublicKey> {
        unhex::<KEY>(text).map(BundlePublicKey)
    }

    /// 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A short form for messages: the first 16 hex digits.
    pub fn fingerprint(&self) -> String {
        hex(&self.0[..8])
    }
}

impl fmt::Debug for BundlePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BundlePublicKey({})", self.to_hex())
    }
}

/// The DER prefix of an X25519 private key in PKCS #8 (RFC 8410), before its 32 bytes:
/// the PEM file is then the usual `PRIVATE KEY` that `openssl pkey` reads.
const PKCS8_X25519: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20];
const PEM_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PEM_END: &str = "-----END PRIVATE KEY-----";

/// The organisation server's secret bundle key. Wiped from memory when dropped.
pub struct BundleSecretKey(StaticSecret);

impl BundleSecretKey {
    /// The key whose secret is `bytes` (32 random bytes for a new one).
    pub fn from_bytes(bytes: [u8; KEY]) -> BundleSecretKey {
        let bytes = Zeroizing::new(bytes);
        BundleSecretKey(StaticSecret::from(*bytes))
    }

    /// Its public half.
    pub fn public_key(&self) -> BundlePublicKey {
        BundlePublicKey(PublicKey::from(&self.0).to_bytes())
    }

    /// As a PEM `PRIVATE KEY` (PKCS #8, RFC 8410).
    pub fn to_pem(&self) -> Zeroizing<String> {
        let mut der = Zeroizing::new(PKCS8_X25519.to_vec());
        der.extend_from_slice(self.0.as_bytes());
        Zeroizing::new(format!("{PEM_BEGIN}\n{}\n{PEM_END}\n", base64(&der)))
    }

    /// Reads what [`BundleSecretKey::to_pem`] wrote (or `openssl genpkey -algorithm x25519`).
    pub fn from_pem(text: &str) -> Option<BundleSecretKey> {
        let body = text.trim().strip_prefix(PEM_BEGIN)?.strip_suffix(PEM_END)?;
        let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let der = Zeroizing::new(unbase64(&body)?);
        let secret: [u8; KEY] = der.strip_prefix(&PKCS8_X25519[..])?.try_into().ok()?;
        Some(BundleSecretKey::from_bytes(secret))
    }
}

impl fmt::Debug for BundleSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BundleSecretKey(public {})", self.public_key().to_hex())
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Base64 for one 48-byte PEM body: a dependency for a dozen lines would not pay.
fn base64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::new();
    let (mut n, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let value = BASE64.iter().position(|b| *b == c)? as u32;
        n = ((n << 6) | value) & 0xff_ffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((n >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The key a device puts inside its bundle for the server to seal the answer with:
/// 32 random bytes, remembered (inside the encrypted profile) until an answer
/// sealed with it is imported. Wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct AnswerKey(Zeroizing<[u8; KEY]>);

impl AnswerKey {
    /// The key whose bytes are `bytes` (32 random bytes for a new one).
    pub fn from_bytes(bytes: [u8; KEY]) -> AnswerKey {
        AnswerKey(Zeroizing::new(bytes))
    }

    /// Its bytes, to remember.
    pub fn as_bytes(&self) -> &[u8; KEY] {
        &self.0
    }

    /// The id an answer names it by: 32 hex digits that tell nothing of the key.
    pub fn id(&self) -> String {
        hex(&self.derive::<KEY_ID>(ANSWER_ID_INFO)[..])
    }

    fn derive<const N: usize>(&self, info: &[u8]) -> Zeroizing<[u8; N]> {
        let mut out = Zeroizing::new([0u8; N]);
        // Expanding at most 255 × 32 bytes cannot fail; N is 16 or 32.
        let _ = Hkdf::<Sha256>::new(None, &self.0[..]).expand(info, &mut out[..]);
        out
    }
}

impl fmt::Debug for AnswerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AnswerKey(id {})", self.id())
    }
}

impl Serialize for AnswerKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&Zeroizing::new(hex(&self.0[..])))
    }
}

impl<'de> Deserialize<'de> for AnswerKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Zeroizing::new(String::deserialize(deserializer)?);
        unhex::<KEY>(&text).map(AnswerKey::from_bytes).ok_or_else(|| serde::de::Error::custom("not an answer key"))
    }
}

/// What a device's bundle holds: the push batches the network would send, what the
/// device holds of the server (epoch, mark, cursor), its token — so the server
/// authenticates the bundle exactly as a request — and the key to seal the answer
/// with. Its `Debug` shows neither the token nor the key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceBundle {
    /// A random id (32 hex digits); file names carry its first eight.
    pub bundle_id: String,
    /// The protocol version the device speaks.
    pub protocol: u32,
    /// The app's version, as a request's `tirek-app` header gives it: the server
    /// answers a bundle from an app older than the organisation asks for as it
    /// answers such a request. None from an app that wrote no version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    /// The device.
    pub device_id: String,
    /// The device's bearer token.
    pub token: String,
    /// When it was written (device clock, Unix ms).
    pub written_ms: i64,
    /// The server epoch the device holds.
    pub epoch: Epoch,
    /// The device's idea of the server's high-water mark for it.
    pub acknowledged: i64,
    /// Where the device's pulls stand; none before its first page.
    #[serde(default)]
    pub cursor: Option<Cursor>,
    /// The push batches, in order, each as `/v1/push` would receive it.
    pub batches: Vec<PushRequest>,
    /// The key to seal the answer with.
    pub answer_key: AnswerKey,
}

impl DeviceBundle {
    /// How many changes its batches hold.
    pub fn changes(&self) -> usize {
        self.batches.iter().map(|batch| batch.changes.len()).sum()
    }
}

impl fmt::Debug for DeviceBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceBundle")
            .field("bundle_id", &self.bundle_id)
            .field("device_id", &self.device_id)
            .field("epoch", &self.epoch)
            .field("acknowledged", &self.acknowledged)
            .field("cursor", &self.cursor)
            .field("changes", &self.changes())
            .finish_non_exhaustive()
    }
}

/// The server's answer to a device's bundle: what each push batch got, the problem
/// that stopped the pushes if one did, every pull page from the bundle's cursor, and
/// the status after all that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerBundle {
    /// The bundle answered.
    pub bundle_id: String,
    /// The device it is for.
    pub device_id: String,
    /// The epoch the bundle held (the device's then).
    pub device_epoch: Epoch,
    /// When the server wrote it (server clock, Unix ms).
    pub written_ms: i64,
    /// The answer to each batch pushed, in order.
    pub pushes: Vec<PushResponse>,
    /// The refusal that stopped the pushes (a gap, a clock ahead, a diverged
    /// device); the batches after it were not pushed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_problem: Option<Problem>,
    /// Where the pages start: the bundle's cursor, or the start when the bundle's
    /// epoch is not the server's.
    pub from: Cursor,
    /// The pull pages, in order; the last says whether more waits.
    pub pages: Vec<PullResponse>,
    /// What the server holds of and for the device once the bundle was imported.
    pub status: StatusResponse,
}

fn header(kind: BundleKind) -> [u8; HEADER] {
    let mut header = [0u8; HEADER];
    header[..8].copy_from_slice(&MAGIC);
    header[8..10].copy_from_slice(&FORMAT_VERSION.to_be_bytes());
    header[10] = kind.byte();
    header
}

/// Reads a bundle's header: its kind, or why it is not one this build opens.
pub fn kind_of(sealed: &[u8]) -> BundleResult<BundleKind> {
    if sealed.len() < HEADER || sealed[..8] != MAGIC {
        return Err(BundleError::NotABundle);
    }
    let version = u16::from_be_bytes([sealed[8], sealed[9]]);
    if version > FORMAT_VERSION {
        return Err(BundleError::NewerFormat(version));
    }
    match (version, sealed[10]) {
        (FORMAT_VERSION, 1) => Ok(BundleKind::ToServer),
        (FORMAT_VERSION, 2) => Ok(BundleKind::Answer),
        _ => Err(BundleError::NotABundle),
    }
}

fn expect_kind(sealed: &[u8], kind: BundleKind) -> BundleResult<()> {
    match kind_of(sealed)? {
        found if found == kind => Ok(()),
        found => Err(BundleError::WrongKind { found }),
    }
}

fn compress<T: Serialize>(content: &T) -> BundleResult<Zeroizing<Vec<u8>>> {
    let json = Zeroizing::new(serde_json::to_vec(content).map_err(|err| BundleError::Content(err.to_string()))?);
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(&json).map_err(|err| BundleError::Content(err.to_string()))?;
    gzip.finish().map(Zeroizing::new).map_err(|err| BundleError::Content(err.to_string()))
}

fn decompress<T: for<'de> Deserialize<'de>>(gzipped: &[u8]) -> BundleResult<T> {
    let mut json = Zeroizing::new(Vec::new());
    flate2::read::GzDecoder::new(gzipped)
        .take(MAX_CONTENT_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|err| BundleError::Content(format!("gzip: {err}")))?;
    if json.len() as u64 > MAX_CONTENT_BYTES {
        return Err(BundleError::Content(format!("more than {MAX_CONTENT_BYTES} bytes")));
    }
    serde_json::from_slice(&json).map_err(|err| BundleError::Content(err.to_string()))
}

/// The key and nonce of a bundle to the server, from the X25519 secret they share.
fn to_server_cipher(
    shared: &x25519_dalek::SharedSecret,
    ephemeral: &[u8; KEY],
    server: &[u8; KEY],
) -> (XChaCha20Poly1305, XNonce) {
    let salt = [&ephemeral[..], &server[..]].concat();
    let mut okm = Zeroizing::new([0u8; KEY + NONCE]);
    // 56 bytes are far within HKDF-SHA256's 8160.
    let _ = Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes()).expand(TO_SERVER_INFO, &mut okm[..]);
    let cipher = XChaCha20Poly1305::new_from_slice(&okm[..KEY]).expect("a 32-byte key");
    (cipher, *XNonce::from_slice(&okm[KEY..]))
}

/// Seals a device's bundle to the server's public key; `ephemeral` is 32 fresh
/// random bytes, used once and dropped.
pub fn seal_for_server(bundle: &DeviceBundle, server: &BundlePublicKey, ephemeral: [u8; KEY]) -> BundleResult<Vec<u8>> {
    let secret = BundleSecretKey::from_bytes(ephemeral);
    let ephemeral_public = secret.public_key();
    let shared = secret.0.diffie_hellman(&PublicKey::from(server.0));
    if !shared.was_contributory() {
        // A server key of low order: no secret would be shared.
        return Err(BundleError::Content("the server's bundle key is not usable".to_owned()));
    }
    let mut out = header(BundleKind::ToServer).to_vec();
    out.extend_from_slice(&server.0);
    out.extend_from_slice(&ephemeral_public.0);
    let (cipher, nonce) = to_server_cipher(&shared, &ephemeral_public.0, &server.0);
    let plain = compress(bundle)?;
    let sealed = cipher
        .encrypt(&nonce, Payload { msg: &plain, aad: &out })
        .map_err(|_| BundleError::Content("cannot seal".to_owned()))?;
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens a device's bundle with the server's secret key.
pub fn open_from_device(sealed: &[u8], key: &BundleSecretKey) -> BundleResult<DeviceBundle> {
    expect_kind(sealed, BundleKind::ToServer)?;
    let start = HEADER + 2 * KEY;
    if sealed.len() < start + TAG {
        return Err(BundleError::Damaged);
    }
    let recipient: [u8; KEY] = sealed[HEADER..HEADER + KEY].try_into().map_err(|_| BundleError::Damaged)?;
    let ours = key.public_key();
    if recipient != ours.0 {
        return Err(BundleError::OtherServer {
            sealed_for: BundlePublicKey(recipient).fingerprint(),
            ours: ours.fingerprint(),
        });
    }
    let ephemeral: [u8; KEY] = sealed[HEADER + KEY..start].try_into().map_err(|_| BundleError::Damaged)?;
    let shared = key.0.diffie_hellman(&PublicKey::from(ephemeral));
    if !shared.was_contributory() {
        return Err(BundleError::Damaged);
    }
    let (cipher, nonce) = to_server_cipher(&shared, &ephemeral, &recipient);
    let plain = cipher
        .decrypt(&nonce, Payload { msg: &sealed[start..], aad: &sealed[..start] })
        .map(Zeroizing::new)
        .map_err(|_| BundleError::Damaged)?;
    decompress(&plain)
}

fn answer_aad(header: &[u8], device_id: &str) -> Vec<u8> {
    [header, device_id.as_bytes()].concat()
}

/// Seals the server's answer with the bundle's answer key, bound to the device it
/// is for (`answer.device_id`); `nonce` is 24 fresh random bytes.
pub fn seal_answer(answer: &AnswerBundle, key: &AnswerKey, nonce: [u8; NONCE]) -> BundleResult<Vec<u8>> {
    let mut out = header(BundleKind::Answer).to_vec();
    let id = key.derive::<KEY_ID>(ANSWER_ID_INFO);
    out.extend_from_slice(&id[..]);
    out.extend_from_slice(&nonce);
    let cipher = XChaCha20Poly1305::new_from_slice(&key.derive::<KEY>(ANSWER_KEY_INFO)[..]).expect("a 32-byte key");
    let plain = compress(answer)?;
    let aad = answer_aad(&out, &answer.device_id);
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plain, aad: &aad })
        .map_err(|_| BundleError::Content("cannot seal".to_owned()))?;
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The id of the answer key an answer was sealed with ([`AnswerKey::id`]), to find
/// the key among those the device remembers.
pub fn answer_key_id(sealed: &[u8]) -> BundleResult<String> {
    expect_kind(sealed, BundleKind::Answer)?;
    if sealed.len() < HEADER + KEY_ID + NONCE + TAG {
        return Err(BundleError::Damaged);
    }
    Ok(hex(&sealed[HEADER..HEADER + KEY_ID]))
}

/// Opens an answer with the answer key it names, on the device `device_id`.
pub fn open_answer(sealed: &[u8], key: &AnswerKey, device_id: &str) -> BundleResult<AnswerBundle> {
    if answer_key_id(sealed)? != key.id() {
        return Err(BundleError::Damaged);
    }
    let start = HEADER + KEY_ID + NONCE;
    let nonce = XNonce::from_slice(&sealed[HEADER + KEY_ID..start]);
    let cipher = XChaCha20Poly1305::new_from_slice(&key.derive::<KEY>(ANSWER_KEY_INFO)[..]).expect("a 32-byte key");
    let aad = answer_aad(&sealed[..start], device_id);
    let plain = cipher
        .decrypt(nonce, Payload { msg: &sealed[start..], aad: &aad })
        .map(Zeroizing::new)
        .map_err(|_| BundleError::Damaged)?;
    let answer: AnswerBundle = decompress(&plain)?;
    if answer.device_id != device_id {
        return Err(BundleError::Damaged);
    }
    Ok(answer)
}

/// A bundle's file name: `tirek-<8 hex digits of the bundle id>-<date>.tirekbundle`,
/// with `-answer` before the extension for the server's answer. It names no client
/// and no person; the date is the writer's (`YYYY-MM-DD`).
pub fn file_name(kind: BundleKind, bundle_id: &str, date: &str) -> String {
    let short: String = bundle_id.chars().filter(char::is_ascii_hexdigit).take(8).collect();
    let date: String = date.chars().filter(|c| c.is_ascii_digit() || *c == '-').take(10).collect();
    let answer = if kind == BundleKind::Answer { "-answer" } else { "" };
    format!("tirek-{short}-{date}{answer}.{EXTENSION}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{ScopeSummary, StatusResponse};
    use crate::wire::{WireChange, WireValue};

    fn server_key(seed: u8) -> BundleSecretKey {
        BundleSecretKey::from_bytes([seed; KEY])
    }

    fn device_bundle() -> DeviceBundle {
        let change = WireChange {
            device_id: "d1".to_owned(),
            seq: 1,
            hlc: 7,
            entity: "client".to_owned(),
            record_id: "r".to_owned(),
            base_revision: 0,
            author: "a".to_owned(),
            fields: [("family_name".to_owned(), (WireValue::Null, WireValue::Text("Сәрсенова".to_owned())))]
                .into_iter()
                .collect(),
        };
        DeviceBundle {
            bundle_id: "0123456789abcdef0123456789abcdef".to_owned(),
            protocol: crate::PROTOCOL_VERSION,
            app_version: Some("0.1.0".to_owned()),
            device_id: "d1".to_owned(),
            token: "d1.secret".to_owned(),
            written_ms: 1,
            epoch: "e".to_owned(),
            acknowledged: 0,
            cursor: Some(Cursor { txid: 5, id: 6 }),
            batches: vec![PushRequest { changes: vec![change], audit: None }],
            answer_key: AnswerKey::from_bytes([9; KEY]),
        }
    }

    fn answer() -> AnswerBundle {
        AnswerBundle {
            bundle_id: "0123456789abcdef0123456789abcdef".to_owned(),
            device_id: "d1".to_owned(),
            device_epoch: "e".to_owned(),
            written_ms: 2,
            pushes: vec![],
            push_problem: None,
            from: Cursor::START,
            pages: vec![],
            status: StatusResponse {
                epoch: "e".to_owned(),
                device_id: "d1".to_owned(),
                acknowledged: 1,
                scope: ScopeSummary::default(),
                server_time_ms: 3,
                supported: crate::SUPPORTED,
                audit: None,
                bundle_key: None,
                read_only: Vec::new(),
                removals: Vec::new(),
                user_devices: Vec::new(),
            },
        }
    }

    #[test]
    fn a_bundle_opens_only_with_the_server_key_it_was_sealed_to() {
        let server = server_key(1);
        let sealed = seal_for_server(&device_bundle(), &server.public_key(), [2; KEY]).expect("seals");
        assert_eq!(kind_of(&sealed), Ok(BundleKind::ToServer));
        assert_eq!(open_from_device(&sealed, &server).expect("opens"), device_bundle());
        let text = String::from_utf8_lossy(&sealed);
        assert!(!text.contains("d1.secret") && !text.contains("client"), "nothing readable in the file");

        let other = server_key(3);
        assert_eq!(
            open_from_device(&sealed, &other),
            Err(BundleError::OtherServer {
                sealed_for: server.public_key().fingerprint(),
                ours: other.public_key().fingerprint()
            })
        );
    }

    #[test]
    fn every_flipped_byte_and_every_cut_is_refused() {
        let server = server_key(1);
        let sealed = seal_for_server(&device_bundle(), &server.public_key(), [2; KEY]).expect("seals");
        for index in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[index] ^= 0x01;
            assert!(open_from_device(&bad, &server).is_err(), "byte {index} flipped");
        }
        for length in [0, 5, HEADER, HEADER + 2 * KEY, sealed.len() - 1] {
            assert!(open_from_device(&sealed[..length], &server).is_err(), "cut at {length}");
        }
        let key = AnswerKey::from_bytes([9; KEY]);
        let sealed = seal_answer(&answer(), &key, [4; NONCE]).expect("seals");
        for index in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[index] ^= 0x80;
            assert!(open_answer(&bad, &key, "d1").is_err(), "answer byte {index} flipped");
        }
    }

    #[test]
    fn an_answer_opens_only_on_its_device_with_its_key() {
        let key = AnswerKey::from_bytes([9; KEY]);
        let sealed = seal_answer(&answer(), &key, [4; NONCE]).expect("seals");
        assert_eq!(kind_of(&sealed), Ok(BundleKind::Answer));
        assert_eq!(answer_key_id(&sealed), Ok(key.id()));
        assert_eq!(open_answer(&sealed, &key, "d1"), Ok(answer()));
        assert_eq!(open_answer(&sealed, &key, "d2"), Err(BundleError::Damaged), "bound to the device");
        let other = AnswerKey::from_bytes([8; KEY]);
        assert_ne!(other.id(), key.id());
        assert_eq!(open_answer(&sealed, &other, "d1"), Err(BundleError::Damaged));
        assert!(!String::from_utf8_lossy(&sealed).contains("d1"), "the device is not named in the clear");
    }

    #[test]
    fn the_wrong_kind_a_newer_format_and_another_file_each_say_so() {
        let server = server_key(1);
        let to_server = seal_for_server(&device_bundle(), &server.public_key(), [2; KEY]).expect("seals");
        let key = AnswerKey::from_bytes([9; KEY]);
        let answered = seal_answer(&answer(), &key, [4; NONCE]).expect("seals");
        assert_eq!(open_from_device(&answered, &server), Err(BundleError::WrongKind { found: BundleKind::Answer }));
        assert_eq!(answer_key_id(&to_server), Err(BundleError::WrongKind { found: BundleKind::ToServer }));
        let mut newer = to_server.clone();
        newer[8..10].copy_from_slice(&2u16.to_be_bytes());
        assert_eq!(open_from_device(&newer, &server), Err(BundleError::NewerFormat(2)));
        for other in [&b""[..], b"%PDF-1.7 ...", b"TIREKBND", &[0u8; 100]] {
            assert_eq!(kind_of(other), Err(BundleError::NotABundle), "{other:?}");
        }
    }

    #[test]
    fn the_secret_key_survives_its_pem_and_openssl_reads_the_same_shape() {
        let key = server_key(7);
        let pem = key.to_pem();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEI"), "{}", &pem[..60]);
        let back = BundleSecretKey::from_pem(&pem).expect("reads back");
        assert_eq!(back.public_key(), key.public_key());
        assert!(BundleSecretKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_none());
        let public = key.public_key();
        assert_eq!(BundlePublicKey::from_hex(&public.to_hex()), Some(public));
        assert_eq!(BundlePublicKey::from_hex("zz"), None);
        assert!(!format!("{key:?}").contains(&hex(&[7; KEY])), "Debug shows no secret");
        let bundle = device_bundle();
        assert!(!format!("{bundle:?}").contains("secret"), "Debug shows no token");
    }

    #[test]
    fn base64_round_trips_every_length() {
        for length in 0..50u8 {
            let bytes: Vec<u8> = (0..length).map(|n| n.wrapping_mul(37)).collect();
            assert_eq!(unbase64(&base64(&bytes)), Some(bytes));
        }
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"fo"), "Zm8=");
    }

    #[test]
    fn file_names_carry_no_one_s_name() {
        assert_eq!(
            file_name(BundleKind::ToServer, "0123456789abcdef", "2026-03-15"),
            "tirek-01234567-2026-03-15.tirekbundle"
        );
        assert_eq!(
            file_name(BundleKind::Answer, "0123456789abcdef", "2026-03-15"),
            "tirek-01234567-2026-03-15-answer.tirekbundle"
        );
        assert_eq!(file_name(BundleKind::ToServer, "../Сәрсенова/x", "2026-03-15"), "tirek--2026-03-15.tirekbundle");
    }
}
