//! Trust lists: which public keys a verifier accepts, under which issuer
//! name and between which dates; read from and written to JSON trust files.
//!
//! A trust file is one JSON object, key id -> entry:
//!
//! ```json
//! {
//!   "NBQXEZLSMVZXIIDB": {
//!     "issuer": "Ville de Saint-Omer",
//!     "public_key": "<64 hex digits>",
//!     "not_before": "2026-11-26",
//!     "not_after": "2031-11-25"
//!   }
//! }
//! ```
//!
//! `not_before` and `not_after` are optional (absent or `null`: no limit) and
//! inclusive. Unknown fields are refused, so that a misspelt `not_after`
//! cannot silently make a key valid forever. Files of the first scheme,
//! keyed by 5-character ids, still read; entries are always held, and
//! written, under the full key id.

use core::fmt;

use ed25519_dalek::VerifyingKey;

use super::{check_issuer, hex, hex32, key_id, verify, Date, Verification, LEGACY_KEY_ID_LEN};
use crate::json::{self, Value};

/// The largest trust file read, in bytes.
pub const MAX_TRUST_FILE: usize = 1 << 20;

/// Why a trust file could not be read, or two lists could not be merged.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustError {
    /// The text is not JSON.
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong, lowercase.
        reason: String,
    },
    /// The file is larger than [`MAX_TRUST_FILE`].
    TooLarge {
        /// Its size in bytes.
        len: usize,
    },
    /// The document, or one entry, is not a JSON object.
    NotAnObject {
        /// The entry's key id; `None` for the whole document.
        key_id: Option<String>,
    },
    /// The same key id appears twice in one file.
    DuplicateKeyId {
        /// The key id.
        key_id: String,
    },
    /// An entry lacks a required field.
    MissingField {
        /// The entry's key id.
        key_id: String,
        /// The field's name.
        field: &'static str,
    },
    /// A field has the wrong type or value, or is not a known field.
    InvalidField {
        /// The entry's key id.
        key_id: String,
        /// The field's name as written (at most 40 characters).
        field: String,
        /// What is wrong, lowercase.
        reason: String,
    },
    /// The key id is not the one derived from the entry's public key.
    KeyIdMismatch {
        /// The key id written.
        key_id: String,
        /// The key id of the public key.
        expected: String,
    },
    /// Two lists hold the same key id with different entries.
    Conflict {
        /// The key id.
        key_id: String,
    },
}

impl fmt::Display for TrustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustError::Syntax {
                line,
                column,
                reason,
            } => write!(f, "line {line} column {column}: {reason}"),
            TrustError::TooLarge { len } => write!(
                f,
                "{len} bytes: a trust file holds at most {MAX_TRUST_FILE} bytes"
            ),
            TrustError::NotAnObject { key_id: None } => {
                f.write_str("not a trust file: expected a JSON object of key id -> entry")
            }
            TrustError::NotAnObject { key_id: Some(id) } => {
                write!(f, "key {id:?}: the entry is not a JSON object")
            }
            TrustError::DuplicateKeyId { key_id } => {
                write!(f, "key {key_id:?}: listed twice")
            }
            TrustError::MissingField { key_id, field } => {
                write!(f, "key {key_id:?}: field {field:?} is missing")
            }
            TrustError::InvalidField {
                key_id,
                field,
                reason,
            } => write!(f, "key {key_id:?}: field {field:?}: {reason}"),
            TrustError::KeyIdMismatch { key_id, expected } => {
                write!(f, "key {key_id:?}: the public key's id is {expected:?}")
            }
            TrustError::Conflict { key_id } => write!(
                f,
                "key {key_id:?}: two trust files give it different entries"
            ),
        }
    }
}

impl std::error::Error for TrustError {}

/// One trusted key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustEntry {
    key_id: String,
    issuer: String,
    /// Decompressed once, when the entry is made: checking a code then
    /// costs one signature check, and the wasm module holds one copy of the
    /// decompression code.
    public_key: VerifyingKey,
    not_before: Option<Date>,
    not_after: Option<Date>,
}

impl TrustEntry {
    /// An entry for `public_key` under `issuer`, without date limits.
    ///
    /// # Errors
    ///
    /// [`TrustError::InvalidField`] (field `issuer`) for an empty name, one
    /// longer than [`MAX_ISSUER`](super::MAX_ISSUER) characters or with
    /// control characters; (field `public_key`) for 32 bytes that are not
    /// an Ed25519 public key.
    pub fn new(issuer: &str, public_key: [u8; 32]) -> Result<TrustEntry, TrustError> {
        let invalid = |field: &str, reason| TrustError::InvalidField {
            key_id: key_id(&public_key),
            field: field.into(),
            reason,
        };
        check_issuer(issuer).map_err(|reason| invalid("issuer", reason))?;
        let key = decompress(&public_key)
            .ok_or_else(|| invalid("public_key", "not an Ed25519 public key".into()))?;
        Ok(TrustEntry::from_parts(issuer.to_string(), key))
    }

    /// An entry from an already checked issuer name and key.
    pub(crate) fn from_parts(issuer: String, public_key: VerifyingKey) -> TrustEntry {
        TrustEntry {
            key_id: key_id(public_key.as_bytes()),
            issuer,
            public_key,
            not_before: None,
            not_after: None,
        }
    }

    /// The first day the key is valid (inclusive). Default: no limit.
    pub fn not_before(mut self, date: Option<Date>) -> Self {
        self.not_before = date;
        self
    }

    /// The last day the key is valid (inclusive). Default: no limit.
    pub fn not_after(mut self, date: Option<Date>) -> Self {
        self.not_after = date;
        self
    }

    /// The key id (derived from the public key).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The issuer's name.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &[u8; 32] {
        self.public_key.as_bytes()
    }

    /// The decompressed key, for [`verify`](super::verify).
    pub(crate) fn verifying_key(&self) -> &VerifyingKey {
        &self.public_key
    }

    /// The first valid day, if limited.
    pub fn valid_from(&self) -> Option<Date> {
        self.not_before
    }

    /// The last valid day, if limited.
    pub fn valid_until(&self) -> Option<Date> {
        self.not_after
    }

    /// Whether `today` is within the validity dates.
    pub fn is_valid_on(&self, today: Date) -> bool {
        self.not_before.is_none_or(|d| d <= today) && self.not_after.is_none_or(|d| today <= d)
    }

    /// Whether a tag's key id names this key: its key id, or a legacy id
    /// that its key id starts with.
    fn is_named_by(&self, id: &str) -> bool {
        self.key_id == id || (id.len() == LEGACY_KEY_ID_LEN && self.key_id.starts_with(id))
    }

    /// Reads one entry: the member `id` of a trust file.
    fn from_json(id: &str, value: &Value) -> Result<TrustEntry, TrustError> {
        let Value::Object(members) = value else {
            return Err(TrustError::NotAnObject {
                key_id: Some(id.to_string()),
            });
        };
        let invalid = |field: &str, reason: String| TrustError::InvalidField {
            key_id: id.to_string(),
            field: field.chars().take(40).collect(),
            reason,
        };
        let (mut issuer, mut public_key, mut not_before, mut not_after) = (None, None, None, None);
        for (name, v) in members {
            let slot = match name.as_str() {
                "issuer" => &mut issuer,
                "public_key" => &mut public_key,
                "not_before" => &mut not_before,
                "not_after" => &mut not_after,
                _ => {
                    return Err(invalid(
                        name,
                        "not a trust-file field (issuer, public_key, not_before, not_after)".into(),
                    ))
                }
            };
            if slot.is_some() {
                return Err(invalid(name, "given twice".into()));
            }
            *slot = Some(v);
        }
        let text = |field: &str, v: &Value| match v {
            Value::String(s) => Ok(s.clone()),
            other => Err(invalid(
                field,
                format!("{} instead of a string", other.type_name()),
            )),
        };
        let date = |field: &str, v: Option<&Value>| match v {
            None | Some(Value::Null) => Ok(None),
            Some(v) => text(field, v)?
                .parse::<Date>()
                .map(Some)
                .map_err(|e| invalid(field, e.to_string())),
        };
        let missing = |field| TrustError::MissingField {
            key_id: id.to_string(),
            field,
        };
        let issuer = text("issuer", issuer.ok_or_else(|| missing("issuer"))?)?;
        check_issuer(&issuer).map_err(|r| invalid("issuer", r))?;
        let key_hex = text(
            "public_key",
            public_key.ok_or_else(|| missing("public_key"))?,
        )?;
        let public_key =
            hex32(&key_hex).ok_or_else(|| invalid("public_key", "not 64 hex digits".into()))?;
        let expected = key_id(&public_key);
        // Either the key id or, in a file of the first scheme, its start.
        if id != expected && (id.len() != LEGACY_KEY_ID_LEN || !expected.starts_with(id)) {
            return Err(TrustError::KeyIdMismatch {
                key_id: id.chars().take(40).collect(),
                expected,
            });
        }
        let key = decompress(&public_key)
            .ok_or_else(|| invalid("public_key", "not an Ed25519 public key".into()))?;
        let entry = TrustEntry::from_parts(issuer, key)
            .not_before(date("not_before", not_before)?)
            .not_after(date("not_after", not_after)?);
        if let (Some(a), Some(b)) = (entry.not_before, entry.not_after) {
            if b < a {
                return Err(invalid(
                    "not_after",
                    format!("{b} is before not_before {a}"),
                ));
            }
        }
        Ok(entry)
    }
}

/// The keys a verifier trusts, by key id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustList {
    entries: Vec<TrustEntry>,
}

impl TrustList {
    /// An empty list: every signed code is then
    /// [`UnknownKey`](super::SignatureStatus::UnknownKey).
    pub fn new() -> TrustList {
        TrustList::default()
    }

    /// Reads a trust file.
    ///
    /// # Errors
    ///
    /// [`TrustError`] naming the line and column, or the key id and field.
    pub fn from_json(text: &str) -> Result<TrustList, TrustError> {
        if text.len() > MAX_TRUST_FILE {
            return Err(TrustError::TooLarge { len: text.len() });
        }
        let doc = json::parse(text).map_err(|e| TrustError::Syntax {
            line: e.line,
            column: e.column,
            reason: e.problem.to_string(),
        })?;
        let Value::Object(members) = doc else {
            return Err(TrustError::NotAnObject { key_id: None });
        };
        let mut list = TrustList::new();
        for (id, value) in &members {
            let entry = TrustEntry::from_json(id, value)?;
            // The same key under its full and its legacy id is listed twice too.
            if list.get(&entry.key_id).is_some() {
                return Err(TrustError::DuplicateKeyId {
                    key_id: id.chars().take(40).collect(),
                });
            }
            list.entries.push(entry);
        }
        Ok(list)
    }

    /// The trust file text: entries sorted by key id, one field a line.
    pub fn to_json(&self) -> String {
        let mut entries: Vec<&TrustEntry> = self.entries.iter().collect();
        entries.sort_by(|a, b| a.key_id.cmp(&b.key_id));
        let date = |d: Option<Date>| d.map_or("null".to_string(), |d| format!("\"{d}\""));
        let items: Vec<String> = entries
            .iter()
            .map(|e| {
                format!(
                    "  {}: {{\n    \"issuer\": {},\n    \"public_key\": \"{}\",\n    \"not_before\": {},\n    \"not_after\": {}\n  }}",
                    json::string_literal(&e.key_id),
                    json::string_literal(&e.issuer),
                    hex(e.public_key()),
                    date(e.not_before),
                    date(e.not_after)
                )
            })
            .collect();
        if items.is_empty() {
            "{}\n".to_string()
        } else {
            format!("{{\n{}\n}}\n", items.join(",\n"))
        }
    }

    /// Adds one entry; an identical entry already there is kept once.
    ///
    /// # Errors
    ///
    /// [`TrustError::Conflict`] when the key id is there with another entry.
    pub fn insert(&mut self, entry: TrustEntry) -> Result<(), TrustError> {
        match self.get(&entry.key_id) {
            Some(old) if *old == entry => Ok(()),
            Some(_) => Err(TrustError::Conflict {
                key_id: entry.key_id,
            }),
            None => {
                self.entries.push(entry);
                Ok(())
            }
        }
    }

    /// Adds every entry of `other` (several trust files make one list).
    ///
    /// # Errors
    ///
    /// [`TrustError::Conflict`]; the list is then unchanged.
    pub fn merge(&mut self, other: &TrustList) -> Result<(), TrustError> {
        let mut merged = self.clone();
        for e in &other.entries {
            merged.insert(e.clone())?;
        }
        *self = merged;
        Ok(())
    }

    /// The entry for `key_id`; for a legacy 5-character id, the first entry
    /// whose key id starts with it.
    pub fn get(&self, key_id: &str) -> Option<&TrustEntry> {
        self.entries.iter().find(|e| e.is_named_by(key_id))
    }

    /// The entries a tag's key id may name: the one with that key id, or
    /// every one whose key id starts with a legacy id.
    pub(super) fn with_key_id<'a>(
        &'a self,
        key_id: &'a str,
    ) -> impl Iterator<Item = &'a TrustEntry> + 'a {
        self.entries.iter().filter(move |e| e.is_named_by(key_id))
    }

    /// The entries, in the order added.
    pub fn entries(&self) -> &[TrustEntry] {
        &self.entries
    }

    /// How many keys are trusted.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is trusted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Verifies a decoded payload (its exact bytes) on day `today`.
    pub fn verify(&self, payload: &[u8], today: Date) -> Verification {
        verify(self, payload, today)
    }
}

/// The one call site of point decompression (see [`TrustEntry`]).
#[inline(never)]
fn decompress(bytes: &[u8; 32]) -> Option<VerifyingKey> {
    VerifyingKey::from_bytes(bytes).ok()
}
