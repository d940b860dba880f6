//! Signed codes (scheme `civiqr-sig-2`, see docs/SIGNING.md): an issuer signs the
//! text it prints with Ed25519, and any reader holding the issuer's public key
//! tells a genuine code from a sticker pasted over it, offline.
//!
//! # The scheme in one paragraph
//!
//! A signed payload is the content, byte for byte, followed by a 123-character
//! tag `#CQ2` + key id (16 characters) + signature (103 characters). Key id and
//! signature are RFC 4648 base32 (`A-Z`, `2-7`, no padding), which the
//! encoder writes in QR alphanumeric mode (5.5 bits a character). For a URL
//! without a fragment the tag is the fragment, which browsers never send to
//! the server, so the signed code still opens the same page on any phone. The
//! key id is the first 16 base32 characters of SHA-512(public key). The
//! signature is Ed25519 (RFC 8032, through `ed25519-dalek`) over
//! `"civiqr-sig-2:" + key id + ":" + content`. Codes of the first scheme
//! (`#CQ1`, a 5-character key id, `"civiqr-sig-1:"`) still verify.
//!
//! ```
//! use civiqr::sign::{Date, SignatureStatus, SigningKey, TrustList};
//! let key = SigningKey::from_seed([7; 32], "Ville de Saint-Omer")?;
//! let signed = key.sign("https://www.saint-omer.fr/stationnement/horodateur/0042")?;
//! let mut trust = TrustList::new();
//! trust.insert(key.trust_entry())?;
//! let today = Date::new(2026, 11, 26).expect("a valid date");
//! let v = trust.verify(signed.as_bytes(), today);
//! assert_eq!(v.status(), SignatureStatus::Valid);
//! assert_eq!(v.issuer(), Some("Ville de Saint-Omer"));
//! let forged = signed.replace("0042", "0043");
//! assert_eq!(trust.verify(forged.as_bytes(), today).status(), SignatureStatus::Invalid);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod file;
mod trust;

pub use file::{FileError, KeyPermissions, MAX_KEY_FILE};
pub use trust::{TrustEntry, TrustError, TrustList, MAX_TRUST_FILE};

use core::fmt;

use ed25519_dalek::{Signature, Signer};
use sha2::{Digest, Sha512};

use crate::payload::Payload;

/// The scheme's name, written in key files and signed as domain separation.
pub const SCHEME: &str = "civiqr-sig-2";

/// The first scheme's name: its codes still verify, its key files still read.
pub const LEGACY_SCHEME: &str = "civiqr-sig-1";

/// What starts the tag; searched for without regard to case when verifying,
/// so a tag with its case changed is reported as invalid, not unsigned.
pub const MARKER: &str = "#CQ2";

/// The first scheme's marker, followed by a [`LEGACY_KEY_ID_LEN`]-character
/// key id; verified, never written.
pub const LEGACY_MARKER: &str = "#CQ1";

/// Characters in a key id: 80 bits, so that two keys share one only by a
/// chance of about 1 in 2^40 even among a million keys.
pub const KEY_ID_LEN: usize = 16;

/// Characters in a key id of the first scheme (25 bits: ids collided after
/// a few thousand keys). A legacy id is the first characters of the key id.
pub const LEGACY_KEY_ID_LEN: usize = 5;

/// Characters in an encoded signature (64 bytes in base32, no padding).
const SIG_LEN: usize = 103;

/// Characters in the whole tag appended to the content.
pub const TAG_LEN: usize = MARKER.len() + KEY_ID_LEN + SIG_LEN;

/// A tag's layout: its marker, key id length and signed-message prefix.
#[derive(Clone, Copy)]
struct Layout {
    marker: &'static str,
    id_len: usize,
    scheme: &'static str,
}

/// Every layout verified; signing writes the first.
const LAYOUTS: [Layout; 2] = [
    Layout {
        marker: MARKER,
        id_len: KEY_ID_LEN,
        scheme: SCHEME,
    },
    Layout {
        marker: LEGACY_MARKER,
        id_len: LEGACY_KEY_ID_LEN,
        scheme: LEGACY_SCHEME,
    },
];

impl Layout {
    fn tag_len(self) -> usize {
        self.marker.len() + self.id_len + SIG_LEN
    }
}

/// The longest issuer name, in characters.
pub const MAX_ISSUER: usize = 100;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Why a key could not be made or read, or a text could not be signed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The issuer name is empty, too long or holds control characters.
    InvalidIssuer {
        /// What is wrong, lowercase.
        reason: String,
    },
    /// A key file that is not in the format [`SigningKey::to_key_file`] writes.
    KeyFile {
        /// The 1-based line where the problem is (0: the file as a whole).
        line: usize,
        /// What is wrong, lowercase.
        reason: String,
    },
    /// The text already holds a signature marker ([`MARKER`] or
    /// [`LEGACY_MARKER`], any case):
    /// signing it again would make a code no verifier accepts.
    AlreadySigned {
        /// The byte offset of the marker.
        at: usize,
    },
    /// The text is a payload kind whose readers would break on an appended
    /// tag (Wi-Fi, vCard, EPC, `tel:`, ...): only URLs and plain text are signed.
    NotSignable {
        /// The kind ([`Payload::kind`](crate::payload::Payload::kind)).
        kind: &'static str,
    },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::InvalidIssuer { reason } => write!(f, "issuer: {reason}"),
            SignError::KeyFile { line: 0, reason } => write!(f, "key file: {reason}"),
            SignError::KeyFile { line, reason } => write!(f, "key file line {line}: {reason}"),
            SignError::AlreadySigned { at } => write!(
                f,
                "the text already holds a signature marker ({MARKER} or {LEGACY_MARKER}) at byte {at}"
            ),
            SignError::NotSignable { kind } => write!(
                f,
                "a {kind} payload cannot be signed: only URLs and plain text can"
            ),
        }
    }
}

impl std::error::Error for SignError {}

/// A calendar date (proleptic Gregorian), for key validity. Core has no
/// clock (the browser build has none): callers pass today's date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, or `None` when it does not exist (year 1-9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// The UTC date of a Unix time in seconds (clamped to years 1-9999).
    pub fn from_unix_seconds(seconds: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let days = seconds.div_euclid(86_400).clamp(-719_162, 2_932_896);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1-31.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The error of parsing a [`Date`]: the text is not an existing `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError {
    /// The text given (at most 40 characters of it).
    pub text: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a date like 2026-11-26", self.text)
    }
}

impl std::error::Error for DateError {}

impl core::str::FromStr for Date {
    type Err = DateError;

    /// Parses `YYYY-MM-DD` exactly (ISO 8601 calendar date).
    fn from_str(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let digits = |r: core::ops::Range<usize>| {
            b.get(r.clone())
                .filter(|d| d.iter().all(u8::is_ascii_digit))
                .and_then(|_| s.get(r)?.parse::<u16>().ok())
        };
        let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
            .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
            .flatten()
            .and_then(|(y, m, d)| Date::new(y, m as u8, d as u8));
        parsed.ok_or_else(|| DateError {
            text: s.chars().take(40).collect(),
        })
    }
}

/// An issuer's private signing key with its name and key id.
///
/// `Debug` never shows the secret; the secret is wiped from memory on drop.
#[derive(Clone)]
pub struct SigningKey {
    key: ed25519_dalek::SigningKey,
    issuer: String,
    key_id: String,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("issuer", &self.issuer)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// The key made from a 32-byte Ed25519 seed (RFC 8032 private key). The
    /// seed must come from a cryptographic random source: the command line's
    /// `civiqr keygen` and Python's `SigningKey.generate` take it from the OS.
    ///
    /// # Errors
    ///
    /// [`SignError::InvalidIssuer`] for an empty name, one longer than
    /// [`MAX_ISSUER`] characters, or one with control characters.
    pub fn from_seed(seed: [u8; 32], issuer: &str) -> Result<SigningKey, SignError> {
        check_issuer(issuer).map_err(|reason| SignError::InvalidIssuer { reason })?;
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let key_id = key_id(&key.verifying_key().to_bytes());
        Ok(SigningKey {
            key,
            issuer: issuer.to_string(),
            key_id,
        })
    }

    /// Reads a key file as [`SigningKey::to_key_file`] writes it.
    ///
    /// # Errors
    ///
    /// [`SignError::KeyFile`] naming the line, [`SignError::InvalidIssuer`].
    pub fn from_key_file(text: &str) -> Result<SigningKey, SignError> {
        let bad = |line: usize, reason: &str| SignError::KeyFile {
            line,
            reason: reason.to_string(),
        };
        let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
        let start = lines
            .iter()
            .position(|l| l.trim() == KEY_BEGIN)
            .ok_or_else(|| bad(0, "no '-----BEGIN CIVIQR SIGNING KEY-----' line"))?;
        let (mut scheme, mut id, mut issuer, mut seed) = (None, None, None, None);
        let mut end = None;
        for (i, line) in lines.iter().enumerate().skip(start + 1) {
            let n = i + 1;
            if line.trim() == KEY_END {
                end = Some(n);
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| bad(n, "expected 'name: value'"))?;
            let value = value.trim();
            let slot = match name.trim() {
                "scheme" => &mut scheme,
                "key-id" => &mut id,
                "issuer" => &mut issuer,
                "seed" => &mut seed,
                _ => return Err(bad(n, &format!("unknown field {:?}", name.trim()))),
            };
            if slot.is_some() {
                return Err(bad(n, &format!("field {:?} given twice", name.trim())));
            }
            *slot = Some((n, value));
        }
        let end = end.ok_or_else(|| bad(0, "no '-----END CIVIQR SIGNING KEY-----' line"))?;
        let (scheme_line, scheme) =
            scheme.ok_or_else(|| bad(end, "field \"scheme\" is missing"))?;
        if scheme != SCHEME && scheme != LEGACY_SCHEME {
            return Err(bad(
                scheme_line,
                &format!("scheme {scheme:?} is neither {SCHEME:?} nor {LEGACY_SCHEME:?}"),
            ));
        }
        let (seed_line, seed_hex) = seed.ok_or_else(|| bad(end, "field \"seed\" is missing"))?;
        let seed = hex32(seed_hex).ok_or_else(|| bad(seed_line, "seed: not 64 hex digits"))?;
        let (issuer_line, issuer) =
            issuer.ok_or_else(|| bad(end, "field \"issuer\" is missing"))?;
        check_issuer(issuer).map_err(|reason| bad(issuer_line, &format!("issuer: {reason}")))?;
        let key = SigningKey::from_seed(seed, issuer)?;
        if let Some((id_line, id)) = id {
            // Files of the first scheme hold the 5-character id.
            let written = if scheme == LEGACY_SCHEME {
                &key.key_id[..LEGACY_KEY_ID_LEN]
            } else {
                &key.key_id
            };
            if id != written {
                return Err(bad(
                    id_line,
                    &format!("key id {id:?} does not match the seed (whose key id is {written:?})"),
                ));
            }
        }
        Ok(key)
    }

    /// The key file text: PEM-like armour around `name: value` lines
    /// (scheme, key id, issuer, seed in hex). Store it readable by its owner
    /// only: anyone holding it can sign as the issuer.
    pub fn to_key_file(&self) -> String {
        format!(
            "{KEY_BEGIN}\nscheme: {SCHEME}\nkey-id: {}\nissuer: {}\nseed: {}\n{KEY_END}\n",
            self.key_id,
            self.issuer,
            hex(&self.key.to_bytes())
        )
    }

    /// The key id: [`KEY_ID_LEN`] base32 characters naming the public key.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The issuer's name.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The 32-byte Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// The trust-list entry for this key, valid without date limits; set
    /// them with [`TrustEntry::not_before`] and [`TrustEntry::not_after`].
    pub fn trust_entry(&self) -> TrustEntry {
        // The issuer was checked when the key was made.
        TrustEntry::from_parts(self.issuer.clone(), self.key.verifying_key())
    }

    /// The signed payload: `content` followed by the tag.
    ///
    /// # Errors
    ///
    /// [`SignError::AlreadySigned`] when `content` already holds [`MARKER`]
    /// (in any case); [`SignError::NotSignable`] when it is a payload kind
    /// other than a URL or plain text.
    pub fn sign(&self, content: &str) -> Result<String, SignError> {
        if let Some((at, _)) = find_markers(content.as_bytes()).first() {
            return Err(SignError::AlreadySigned { at: *at });
        }
        match Payload::parse(content) {
            Payload::Url(_) | Payload::Other(_) => {}
            other => return Err(SignError::NotSignable { kind: other.kind() }),
        }
        let signature = self
            .key
            .sign(&message(SCHEME, &self.key_id, content.as_bytes()));
        let mut out = String::with_capacity(content.len() + TAG_LEN);
        out.push_str(content);
        out.push_str(MARKER);
        out.push_str(&self.key_id);
        out.push_str(&base32(&signature.to_bytes()));
        debug_assert_eq!(out.len(), content.len() + TAG_LEN);
        Ok(out)
    }
}

const KEY_BEGIN: &str = "-----BEGIN CIVIQR SIGNING KEY-----";
const KEY_END: &str = "-----END CIVIQR SIGNING KEY-----";

/// What a verifier concluded about a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureStatus {
    /// Signed by a trusted key within its validity dates.
    Valid,
    /// A signature is there but does not match the content, is truncated,
    /// malformed, or followed by other data: do not trust the code.
    Invalid,
    /// Well-formed, but signed by a key id that is not in the trust list.
    UnknownKey,
    /// Signed by a trusted key, but today is outside the key's validity dates.
    Expired,
    /// No signature at all.
    Unsigned,
}

impl SignatureStatus {
    /// `valid`, `invalid`, `unknown_key`, `expired` or `unsigned`.
    pub fn name(self) -> &'static str {
        match self {
            SignatureStatus::Valid => "valid",
            SignatureStatus::Invalid => "invalid",
            SignatureStatus::UnknownKey => "unknown_key",
            SignatureStatus::Expired => "expired",
            SignatureStatus::Unsigned => "unsigned",
        }
    }
}

impl fmt::Display for SignatureStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome of [`TrustList::verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    status: SignatureStatus,
    issuer: Option<String>,
    key_id: Option<String>,
    content_len: usize,
}

impl Verification {
    /// The verdict.
    pub fn status(&self) -> SignatureStatus {
        self.status
    }

    /// The issuer, for [`Valid`](SignatureStatus::Valid) and
    /// [`Expired`](SignatureStatus::Expired) only: a name is never attached
    /// to a signature that did not verify.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The key id the tag names, when the tag is well formed.
    pub fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// How many leading bytes of the payload are the content (everything
    /// before the marker; the whole payload when unsigned).
    pub fn content_len(&self) -> usize {
        self.content_len
    }

    /// A one-line verdict for people: `verified: Ville de Saint-Omer`,
    /// `unsigned`, `signature invalid: do not trust`, ...
    pub fn summary(&self) -> String {
        match (self.status, self.issuer.as_deref(), self.key_id.as_deref()) {
            (SignatureStatus::Valid, Some(issuer), _) => format!("verified: {issuer}"),
            (SignatureStatus::Expired, Some(issuer), _) => {
                format!("signed by {issuer} with an expired key: do not trust")
            }
            (SignatureStatus::UnknownKey, _, Some(id)) => {
                format!("signed by unknown key {id}: do not trust")
            }
            (SignatureStatus::Unsigned, ..) => "unsigned".to_string(),
            _ => "signature invalid: do not trust".to_string(),
        }
    }
}

/// The key id of a public key: the first [`KEY_ID_LEN`] base32 characters
/// of its SHA-512.
pub fn key_id(public_key: &[u8; 32]) -> String {
    let digest = Sha512::digest(public_key);
    let mut id = base32(&digest[..KEY_ID_LEN * 5 / 8]);
    id.truncate(KEY_ID_LEN);
    id
}

/// The bytes signed: domain separation, key id, content.
fn message(scheme: &str, key_id: &str, content: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(scheme.len() + key_id.len() + 2 + content.len());
    m.extend_from_slice(scheme.as_bytes());
    m.push(b':');
    m.extend_from_slice(key_id.as_bytes());
    m.push(b':');
    m.extend_from_slice(content);
    m
}

/// Byte offsets and layouts of every marker in `payload`, compared without
/// case, in payload order.
fn find_markers(payload: &[u8]) -> Vec<(usize, Layout)> {
    payload
        .windows(MARKER.len())
        .enumerate()
        .filter_map(|(i, w)| {
            LAYOUTS
                .iter()
                .find(|l| w.eq_ignore_ascii_case(l.marker.as_bytes()))
                .map(|l| (i, *l))
        })
        .collect()
}

/// The verdict on `payload` against `trust` on day `today`.
fn verify(trust: &TrustList, payload: &[u8], today: Date) -> Verification {
    let verdict = |status, issuer: Option<&str>, key_id: Option<&str>, content_len| Verification {
        status,
        issuer: issuer.map(str::to_string),
        key_id: key_id.map(str::to_string),
        content_len,
    };
    let markers = find_markers(payload);
    let (at, layout) = match markers.as_slice() {
        [] => return verdict(SignatureStatus::Unsigned, None, None, payload.len()),
        [one] => *one,
        // A second tag means data was added around a signed text.
        [(first, _), ..] => return verdict(SignatureStatus::Invalid, None, None, *first),
    };
    let content = &payload[..at];
    let tag = &payload[at..];
    let marker = layout.marker.len();
    // Exactly one well-formed tag, and nothing after it: a truncated
    // signature or data appended after it (a second payload) fails here.
    let well_formed = tag.len() == layout.tag_len()
        && tag.starts_with(layout.marker.as_bytes())
        && tag[marker..].iter().all(|c| BASE32.contains(c));
    if !well_formed {
        return verdict(SignatureStatus::Invalid, None, None, at);
    }
    let id = core::str::from_utf8(&tag[marker..marker + layout.id_len]).unwrap_or_default();
    let Some(signature) = unbase32_64(&tag[marker + layout.id_len..]) else {
        return verdict(SignatureStatus::Invalid, None, Some(id), at);
    };
    let signature = Signature::from_bytes(&signature);
    let signed = message(layout.scheme, id, content);
    // Every trusted key with this id is tried: ids may collide (legacy ones
    // did), and only the signature tells which key made it. Strict: rejects
    // small-order keys and non-canonical signatures, so one content has one
    // valid tag per key.
    let mut candidates = trust.with_key_id(id).peekable();
    if candidates.peek().is_none() {
        return verdict(SignatureStatus::UnknownKey, None, Some(id), at);
    }
    let Some(entry) =
        candidates.find(|e| e.verifying_key().verify_strict(&signed, &signature).is_ok())
    else {
        return verdict(SignatureStatus::Invalid, None, Some(id), at);
    };
    let status = if entry.is_valid_on(today) {
        SignatureStatus::Valid
    } else {
        SignatureStatus::Expired
    };
    verdict(status, Some(entry.issuer()), Some(id), at)
}

/// `None` when the name is fine, else what is wrong.
fn check_issuer(issuer: &str) -> Result<(), String> {
    if issuer.trim().is_empty() {
        return Err("empty".into());
    }
    let n = issuer.chars().count();
    if n > MAX_ISSUER {
        return Err(format!("{n} characters, at most {MAX_ISSUER}"));
    }
    if issuer.chars().any(char::is_control) {
        return Err("holds a control character".into());
    }
    if issuer.trim() != issuer {
        return Err("starts or ends with a space".into());
    }
    Ok(())
}

/// RFC 4648 base32 without padding.
fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity((bytes.len() * 8).div_ceil(5));
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((acc >> bits) & 31) as usize] as char);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(BASE32[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes the 103 base32 characters of a signature. The 3 bits left over
/// at the end must be zero, so each signature has exactly one spelling.
fn unbase32_64(text: &[u8]) -> Option<[u8; 64]> {
    if text.len() != SIG_LEN {
        return None;
    }
    let mut out = [0u8; 64];
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0);
    for &c in text {
        let v = BASE32.iter().position(|&a| a == c)? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            *out.get_mut(n)? = (acc >> bits) as u8;
            n += 1;
            acc &= (1 << bits) - 1;
        }
    }
    (n == 64 && acc == 0).then_some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 64 hex digits (either case) to 32 bytes.
fn hex32(text: &str) -> Option<[u8; 32]> {
    let t = text.as_bytes();
    if t.len() != 64 || !t.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(t.chunks_exact(2)) {
        *o = u8::from_str_radix(core::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod legacy_tests;
#[cfg(test)]
mod tests;
