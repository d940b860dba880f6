//! The batch manifest read back: `manifest.csv` or `manifest.json` as
//! `civiqr batch` writes them, with any extra columns ignored.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Largest manifest read: 128 MiB, as for batch tables.
pub const MAX_MANIFEST_BYTES: u64 = crate::batch::MAX_TABLE_BYTES;

/// One asset of the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ManifestAsset {
    /// The asset's id.
    pub id: String,
    /// The exact text encoded in its code (signature tag included).
    pub payload: String,
    /// The id of the key that signed it, if signed.
    pub key_id: Option<String>,
    /// Its line in the CSV (the header is line 1), or its index in the JSON
    /// array from 1.
    pub line: u64,
}

/// The assets, found by payload.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    assets: Vec<ManifestAsset>,
    by_payload: HashMap<String, usize>,
}

/// Why a manifest could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum ManifestError {
    /// The file could not be read (or is over [`MAX_MANIFEST_BYTES`]).
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The header lacks a column (`id` or `payload`).
    MissingColumn(&'static str),
    /// A line or JSON entry that cannot be read.
    Row {
        /// The line (CSV) or entry from 1 (JSON).
        line: u64,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManifestError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            ManifestError::MissingColumn(c) => {
                write!(
                    f,
                    "the header has no {c} column (is it a civiqr batch manifest?)"
                )
            }
            ManifestError::Row { line, reason } => write!(f, "line {line}: {reason}"),
        }
    }
}

impl std::error::Error for ManifestError {}

/// What `civiqr batch` writes before a cell a spreadsheet would take for a
/// formula (`batch::manifest_csv`), and the characters it guards.
const GUARD: char = '\'';
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

impl Manifest {
    /// A manifest of these assets; of several with one payload, the first
    /// is found.
    pub fn from_assets(assets: Vec<ManifestAsset>) -> Manifest {
        let mut m = Manifest {
            assets: Vec::new(),
            by_payload: HashMap::new(),
        };
        for a in assets {
            m.push(a);
        }
        m
    }

    fn push(&mut self, asset: ManifestAsset) {
        let i = self.assets.len();
        // A guarded cell is read back without its guard; a payload really
        // starting with the guard is found under both spellings.
        let unguarded = asset
            .payload
            .strip_prefix(GUARD)
            .filter(|rest| rest.starts_with(FORMULA_START))
            .map(str::to_string);
        self.by_payload.entry(asset.payload.clone()).or_insert(i);
        if let Some(u) = unguarded {
            self.by_payload.entry(u).or_insert(i);
        }
        self.assets.push(asset);
    }

    /// Reads `manifest.csv` (RFC 4180, a header with `id` and `payload`,
    /// optionally `key_id`; other columns ignored), or `manifest.json` when
    /// the name ends in `.json`.
    pub fn read_file(path: impl AsRef<Path>) -> Result<Manifest, ManifestError> {
        let path = path.as_ref();
        let bytes = crate::read_file_limited(path, MAX_MANIFEST_BYTES).map_err(|error| {
            ManifestError::Io {
                path: path.to_path_buf(),
                error,
            }
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if json {
            Manifest::from_json(&text)
        } else {
            Manifest::from_csv(&text)
        }
    }

    /// Reads the CSV manifest's text.
    pub fn from_csv(text: &str) -> Result<Manifest, ManifestError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| ManifestError::Row {
            line: 1,
            reason: e.to_string(),
        })?;
        let column = |name: &'static str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or(ManifestError::MissingColumn(name))
        };
        let (id, payload) = (column("id")?, column("payload")?);
        let key_id = column("key_id").ok();
        let mut m = Manifest::default();
        // The csv crate numbers a record's line from 1 after the header line:
        // one more is the file's line, as the batch's messages count them.
        for record in reader.records() {
            let record = record.map_err(|e| ManifestError::Row {
                line: e.position().map_or(0, |p| p.line() + 1),
                reason: e.to_string(),
            })?;
            let line = record.position().map_or(0, |p| p.line() + 1);
            let cell = |i: usize| record.get(i).unwrap_or("");
            let missing = |what: &str| ManifestError::Row {
                line,
                reason: format!("{what}: missing"),
            };
            let id = unguard(cell(id));
            if id.is_empty() {
                return Err(missing("id"));
            }
            if record.get(payload).is_none() {
                return Err(missing("payload"));
            }
            m.push(ManifestAsset {
                id,
                payload: cell(payload).to_string(),
                key_id: key_id
                    .map(cell)
                    .filter(|k| !k.is_empty())
                    .map(str::to_string),
                line,
            });
        }
        Ok(m)
    }

    /// Reads the JSON manifest's text: an array of objects with `id`,
    /// `payload` and optionally `key_id` (other fields ignored).
    pub fn from_json(text: &str) -> Result<Manifest, ManifestError> {
        #[derive(Deserialize)]
        struct Entry {
            id: String,
            payload: String,
            key_id: Option<String>,
        }
        let entries: Vec<Entry> = serde_json::from_str(text).map_err(|e| ManifestError::Row {
            line: e.line() as u64,
            reason: e.to_string(),
        })?;
        Ok(Manifest::from_assets(
            entries
                .into_iter()
                .enumerate()
                .map(|(i, e)| ManifestAsset {
                    id: e.id,
                    payload: e.payload,
                    key_id: e.key_id,
                    line: i as u64 + 1,
                })
                .collect(),
        ))
    }

    /// The asset whose payload is exactly `payload`.
    pub fn find(&self, payload: &str) -> Option<&ManifestAsset> {
        self.by_payload
            .get(payload)
            .and_then(|&i| self.assets.get(i))
    }

    /// Every asset, in file order.
    pub fn assets(&self) -> &[ManifestAsset] {
        &self.assets
    }

    /// How many assets.
    pub fn len(&self) -> usize {
        self.assets.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }
}

/// A guarded id read back as written in the table.
fn unguard(cell: &str) -> String {
    match cell.strip_prefix(GUARD) {
        Some(rest) if rest.starts_with(FORMULA_START) => rest.to_string(),
        _ => cell.to_string(),
    }
}
