//! Signage batches: a table row to a checked symbol, safe file names from
//! ids, print size from reading distance, verification by re-reading the
//! rendered raster, the manifest, and a PDF sheet of labelled codes.
//!
//! A whole run (read the table, write every row's files, the manifests and
//! the sheet) is [`BatchJob::run_file`]: the command line (`civiqr batch`)
//! and the Python binding (`civiqr.batch`) are that call plus argument
//! parsing and printing, so they write the same files and refuse the same
//! rows with the same words.
//!
//! # Print size from reading distance
//!
//! ISO/IEC 18004 gives no rule linking reading distance and size. We use the
//! common industry rule of thumb "a code is readable from about ten times its
//! width" (the 10:1 rule printed in QR vendors' and signage guides), which is
//! stated for the small symbols it was measured on, about 25 modules wide
//! (version 2). What a camera resolves is the module, so we keep that
//! module size and scale with the module count: **module >= distance / 250**,
//! and the printed width is (modules + 2 x quiet zone) x module, rounded up
//! to a whole millimetre ([`size_for_distance`]). A 2.5 m reading distance
//! gives 10 mm modules: a version-3 symbol (29 modules) with the 4-module
//! quiet zone is 370 mm wide.

mod compound;
mod grading;
mod job;
mod output;
mod report;
mod rows;
mod sheet;
mod spreadsheet;
mod table;
mod zipped;

pub use grading::{grade_png, RasterGrade};
pub use job::{parse_format, BatchJob, MAX_JOBS, MAX_TABLE_BYTES};
pub use output::{
    remove_stale_temp_files, write_atomically, write_if_changed, OutputLock, LOCK_FILE,
};
pub use report::{plural, BatchProgress, BatchReport, BatchRunError, BatchWarning};
pub use rows::{
    read_records, read_rows, RowError, RowProblem, Rows, TableError, MAX_CELL_BYTES, MAX_ROW_BYTES,
};
pub use sheet::{
    caption_replacements, label_sheet_pdf, sheet_fits, sheet_pdf, Grid, Paper, Replaced, SheetItem,
};
pub use table::{read_table, TableFormat, TableInfo, TableOptions, TextEncoding};

use core::fmt;

use sha2::{Digest, Sha256};

use crate::code::QrCode;
use crate::error::{DecodeError, EncodeError, RenderError};
use crate::payload::{field_names, Payload, PayloadError, Url};
use crate::sign::{SignError, SigningKey};
use crate::symbol::EcLevel;
use crate::{encode_text, EncodeOptions};

/// Why a row could not be turned into a verified symbol, or a batch option
/// is invalid.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum BatchError {
    /// The row's `id` is missing or blank.
    MissingId,
    /// The table has no `id` column.
    NoIdColumn,
    /// The row's id holds a control character other than tab and line
    /// breaks (NUL, ESC, DEL, C1), which would be written raw into the
    /// manifests and printed on terminals.
    IdControl {
        /// The character's code point.
        character: u32,
        /// Its position in the id, in characters from 0.
        at: usize,
    },
    /// The row has no content: no `type`, `payload` or `url` value and no template.
    NoContent,
    /// A payload field is invalid.
    Payload(PayloadError),
    /// The payload does not fit the version range or EC level.
    Encode(EncodeError),
    /// Rendering failed (options out of range).
    Render(RenderError),
    /// Reading the symbol back from its raster failed or gave other bytes.
    VerifyFailed {
        /// What was read, lowercase.
        reason: String,
    },
    /// A reading distance that is not a positive length up to 100 m.
    InvalidDistance {
        /// The text given (at most 40 characters).
        value: String,
    },
    /// The row's content cannot be signed.
    Sign(SignError),
    /// The symbol size does not fit one cell of a sheet.
    SheetTooSmall {
        /// The symbol size asked for.
        size_mm: f64,
        /// The paper.
        paper: Paper,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::MissingId => f.write_str("id: missing"),
            BatchError::NoIdColumn => f.write_str("the header has no id column"),
            BatchError::IdControl { character, at } => write!(
                f,
                "id: control character U+{character:04X} at character {at} (ids are printed and go into the manifests)"
            ),
            BatchError::NoContent => f.write_str(
                "no content: give a type, payload or url column, or --template",
            ),
            BatchError::Payload(e) => e.fmt(f),
            BatchError::Encode(e) => e.fmt(f),
            BatchError::Render(e) => e.fmt(f),
            BatchError::Sign(e) => write!(f, "signing: {e}"),
            BatchError::VerifyFailed { reason } => write!(f, "verification failed: {reason}"),
            BatchError::InvalidDistance { value } => write!(
                f,
                "reading distance {value:?} is not a length like 2.5m, 250cm or 2500mm (up to 100 m)"
            ),
            BatchError::SheetTooSmall { size_mm, paper } => write!(
                f,
                "a {size_mm} mm symbol with its caption does not fit on {}",
                paper.name()
            ),
        }
    }
}

impl std::error::Error for BatchError {}

impl From<PayloadError> for BatchError {
    fn from(e: PayloadError) -> Self {
        BatchError::Payload(e)
    }
}

impl From<EncodeError> for BatchError {
    fn from(e: EncodeError) -> Self {
        BatchError::Encode(e)
    }
}

impl From<SignError> for BatchError {
    fn from(e: SignError) -> Self {
        BatchError::Sign(e)
    }
}

impl From<RenderError> for BatchError {
    fn from(e: RenderError) -> Self {
        BatchError::Render(e)
    }
}

/// The longest file stem [`sanitize_id`] returns, in bytes.
pub const MAX_STEM: usize = 64;

/// A file stem for `id` that can never name a path outside the output folder
/// and is valid on Linux, macOS and Windows.
///
/// Letters `A-Z a-z`, digits, `-` and `_` are kept, as is `.` except at the
/// start or end; every other character (`/`, `\`, spaces, non-ASCII, ...)
/// becomes `_`. Windows device names (`CON`, `PRN`, `AUX`, `NUL`, `COM0`-`9`,
/// `LPT0`-`9`, any case, with or without extension) get a `_` in front.
/// When anything had to change, or the id is longer than [`MAX_STEM`] bytes,
/// the stem is cut to leave room and ends with `-` and 8 hex digits of the
/// id's SHA-256, so distinct ids keep distinct stems: `a/b` becomes
/// `a_b-…`, while `banc-0042` stays as it is.
///
/// # Errors
///
/// [`BatchError::MissingId`] for an empty or blank id.
pub fn sanitize_id(id: &str) -> Result<String, BatchError> {
    if id.trim().is_empty() {
        return Err(BatchError::MissingId);
    }
    let n = id.chars().count();
    let mut stem: String = id
        .chars()
        .enumerate()
        .map(|(i, c)| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' => c,
            '.' if i > 0 && i + 1 < n => c,
            _ => '_',
        })
        .collect();
    let base = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    let device = matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (base.len() == 4
            && (base.starts_with("COM") || base.starts_with("LPT"))
            && base.as_bytes()[3].is_ascii_digit());
    if device {
        stem.insert(0, '_');
    }
    if stem != id || stem.len() > MAX_STEM {
        let hash = Sha256::digest(id.as_bytes());
        stem.truncate(MAX_STEM - 9);
        stem.push('-');
        for b in &hash[..4] {
            stem.push_str(&format!("{b:02x}"));
        }
    }
    Ok(stem)
}

/// How rows become symbols.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct BatchOptions {
    template: Option<String>,
    encode: EncodeOptions,
    sign_key: Option<SigningKey>,
}

impl BatchOptions {
    /// A URL template such as `https://example.org/s/{id}?src=qr`, filled
    /// from the row's columns (values percent-encoded) for every row. Default:
    /// none, the content comes from the row's `type`, `payload` or `url` column.
    pub fn template(mut self, template: Option<String>) -> Self {
        self.template = template;
        self
    }

    /// Encoder options (EC level, version range, ...). Default:
    /// [`EncodeOptions::default`]. EPC payloads are always encoded at EC
    /// level M without boost, as EPC069-12 requires.
    pub fn encode(mut self, encode: EncodeOptions) -> Self {
        self.encode = encode;
        self
    }

    /// Sign every row's content with this key ([`SigningKey::sign`]; URLs
    /// and plain text only). Default: none, the codes are unsigned.
    pub fn sign_key(mut self, key: Option<SigningKey>) -> Self {
        self.sign_key = key;
        self
    }
}

/// One row turned into a symbol.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Asset {
    /// The id as given.
    pub id: String,
    /// The file stem ([`sanitize_id`]).
    pub stem: String,
    /// The `label` column, if any (a caption to print).
    pub label: Option<String>,
    /// The classified payload.
    pub payload: Payload,
    /// The text encoded (signed when a key was given).
    pub data: String,
    /// The id of the key that signed `data`, if signed.
    pub key_id: Option<String>,
    /// The symbol.
    pub code: QrCode,
}

/// Turns a row, as `(column, value)` pairs, into a symbol.
///
/// The content is, in this order: the template of `options` if set; the
/// `type` column (one of [`KINDS`](crate::payload::KINDS)) with the columns
/// named like that kind's fields ([`Payload::from_fields`]; other columns
/// are ignored); the `payload` column as given; the `url` column, checked as
/// a URL. The optional `label` column is kept for captions.
///
/// # Errors
///
/// [`BatchError::MissingId`], [`BatchError::NoContent`], the payload's
/// errors, and [`BatchError::Encode`] when it does not fit.
pub fn prepare(row: &[(&str, &str)], options: &BatchOptions) -> Result<Asset, BatchError> {
    let get = |name: &str| {
        row.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
            .filter(|v| !v.is_empty())
    };
    let id = get("id").ok_or(BatchError::MissingId)?;
    // Tabs and line breaks are text a spreadsheet cell may hold (the
    // manifest quotes them); NUL, ESC, DEL and the C1 controls are not.
    let control = |c: &char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if let Some((at, c)) = id.chars().enumerate().find(|(_, c)| control(c)) {
        return Err(BatchError::IdControl {
            character: u32::from(c),
            at,
        });
    }
    let stem = sanitize_id(id)?;
    let payload = if let Some(t) = &options.template {
        Payload::Url(Url::from_template(t, |name| {
            row.iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        })?)
    } else if let Some(kind) = get("type") {
        let kind = kind.to_ascii_lowercase();
        let names = field_names(&kind).ok_or_else(|| PayloadError::UnknownKind {
            kind: kind.chars().take(40).collect(),
        })?;
        let fields: Vec<(&str, &str)> = row
            .iter()
            .filter(|(n, _)| names.iter().any(|f| f.eq_ignore_ascii_case(n)))
            .copied()
            .collect();
        Payload::from_fields(&kind, &fields)?
    } else if let Some(p) = get("payload") {
        Payload::parse(p)
    } else if let Some(u) = get("url") {
        Payload::Url(Url::new(u)?)
    } else {
        return Err(BatchError::NoContent);
    };
    let data = match &options.sign_key {
        Some(key) => key.sign(&payload.to_string())?,
        None => payload.to_string(),
    };
    let opts = match payload.required_ec_level() {
        Some(level) => options.encode.clone().ec_level(level).boost_ec(false),
        None => options.encode.clone(),
    };
    let code = encode_text(&data, &opts)?;
    Ok(Asset {
        id: id.to_string(),
        stem,
        label: get("label").map(str::to_string),
        payload,
        data,
        key_id: options.sign_key.as_ref().map(|k| k.key_id().to_string()),
        code,
    })
}

/// Reads `png` (any colour type the `png` crate decodes) with civiqr's own
/// reader and checks it holds exactly one symbol whose bytes are `expected`.
///
/// The reader runs with [`DecodeOptions::pure`](crate::DecodeOptions::pure)
/// (the raster is a clean rendered file: direct sampling first, the full
/// detector as fallback) and without the inverted pass (batches draw dark on
/// light). What is checked is the point of verifying: the pixels that will be
/// printed carry exactly the payload, through format information, masking,
/// Reed-Solomon and the bit stream.
///
/// # Errors
///
/// [`BatchError::VerifyFailed`] saying what was read instead.
pub fn verify_png(png: &[u8], expected: &[u8]) -> Result<(), BatchError> {
    let fail = |reason: String| BatchError::VerifyFailed { reason };
    let (pixels, w, h) = png_luma(png).map_err(fail)?;
    let found = crate::decode(
        crate::ImageRef::luma(&pixels, w, h),
        &crate::DecodeOptions::default()
            .pure(true)
            .try_inverted(false),
    )
    .map_err(|e: DecodeError| fail(format!("the reader failed: {e}")))?;
    match found.as_slice() {
        [] => Err(fail("no symbol found in the raster".into())),
        [one] if one.bytes() == expected => Ok(()),
        [one] => {
            let at = one
                .bytes()
                .iter()
                .zip(expected)
                .position(|(a, b)| a != b)
                .unwrap_or(one.bytes().len().min(expected.len()));
            Err(fail(format!(
                "read {} bytes that differ from the {} encoded at byte {at}",
                one.bytes().len(),
                expected.len()
            )))
        }
        many => Err(fail(format!("{} symbols found, expected 1", many.len()))),
    }
}

/// Decodes a PNG to 8-bit grey, alpha composed over white.
fn png_luma(png: &[u8]) -> Result<(Vec<u8>, usize, usize), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| format!("not a PNG: {e}"))?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("broken PNG: {e}"))?;
    let (w, h) = (frame.width as usize, frame.height as usize);
    let channels = frame.color_type.samples();
    if channels == 1 {
        // Grey already (what `render::png` writes for black on white).
        buf.truncate(frame.buffer_size());
        return Ok((buf, w, h));
    }
    let over_white = |v: u32, a: u32| ((v * a + 255 * (255 - a)) / 255) as u8;
    let luma = buf[..frame.buffer_size()]
        .chunks_exact(channels)
        .map(|p| {
            let (r, g, b, a) = match *p {
                [l] => (l, l, l, 255),
                [l, a] => (l, l, l, a),
                [r, g, b] => (r, g, b, 255),
                [r, g, b, a, ..] => (r, g, b, a),
                [] => (255, 255, 255, 255),
            };
            let y = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
            over_white(y, u32::from(a))
        })
        .collect();
    Ok((luma, w, h))
}

/// The smallest module, in millimetres, for reading from `distance_m`
/// metres: distance / 250 (see the module documentation for the rule).
pub fn min_module_mm(distance_m: f64) -> f64 {
    distance_m * 1000.0 / 250.0
}

/// The printed width in whole millimetres, quiet zone included, of a symbol
/// `modules` wide read from `distance_m` metres.
pub fn size_for_distance(distance_m: f64, modules: usize, quiet_zone: u32) -> f64 {
    let width = modules as f64 + 2.0 * f64::from(quiet_zone);
    (width * min_module_mm(distance_m) - 1e-9).ceil()
}

/// A warning when a `size_mm` print (quiet zone included) of a symbol
/// `modules` wide has modules smaller than the rule asks for at
/// `distance_m`; `None` when it is large enough.
pub fn size_warning(
    size_mm: f64,
    modules: usize,
    quiet_zone: u32,
    distance_m: f64,
) -> Option<String> {
    let module = size_mm / (modules as f64 + 2.0 * f64::from(quiet_zone));
    let need = min_module_mm(distance_m);
    (module + 1e-9 < need).then(|| {
        format!(
            "{size_mm} mm gives {module:.2} mm modules for {modules} modules; reading from {distance_m} m needs {need:.2} mm ({} mm in all)",
            size_for_distance(distance_m, modules, quiet_zone)
        )
    })
}

/// Parses a reading distance: `2.5m`, `250cm`, `2500mm` or a bare number
/// of metres; returns metres, more than 0 and at most 100.
///
/// # Errors
///
/// [`BatchError::InvalidDistance`].
pub fn parse_distance(text: &str) -> Result<f64, BatchError> {
    let t = text.trim().to_ascii_lowercase();
    let (num, scale) = if let Some(n) = t.strip_suffix("mm") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix("cm") {
        (n, 0.01)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 1.0)
    } else {
        (t.as_str(), 1.0)
    };
    num.trim()
        .parse::<f64>()
        .ok()
        .map(|v| v * scale)
        .filter(|m| m.is_finite() && *m > 0.0 && *m <= 100.0)
        .ok_or_else(|| BatchError::InvalidDistance {
            value: text.chars().take(40).collect(),
        })
}

/// The SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One asset's line in the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ManifestEntry {
    /// The id as given.
    pub id: String,
    /// The payload kind ([`Payload::kind`]).
    pub kind: String,
    /// The text encoded.
    pub payload: String,
    /// The symbol's version, 1-40.
    pub version: u8,
    /// The EC level.
    pub ec: EcLevel,
    /// The mask, 0-7.
    pub mask: u8,
    /// The files written, with the SHA-256 (lowercase hex) of each.
    pub files: Vec<(String, String)>,
    /// Whether the raster was read back and matched.
    pub verified: bool,
    /// The id of the key that signed the payload, if signed.
    pub key_id: Option<String>,
    /// The raster's grade when the batch grades (`batch --grade`).
    pub grade: Option<RasterGrade>,
}

impl ManifestEntry {
    /// The entry for `asset` with its `files` (name, SHA-256).
    pub fn new(asset: &Asset, files: Vec<(String, String)>, verified: bool) -> ManifestEntry {
        ManifestEntry {
            id: asset.id.clone(),
            kind: asset.payload.kind().to_string(),
            payload: asset.data.clone(),
            version: asset.code.version().number(),
            ec: asset.code.ec_level(),
            mask: asset.code.mask().number(),
            files,
            verified,
            key_id: asset.key_id.clone(),
            grade: None,
        }
    }
}

/// `manifest.csv`: RFC 4180, CRLF line ends, a header; files and their
/// SHA-256 as `;`-separated lists in the same order; `key_id` empty when
/// the payload is not signed; `grade` the overall grade (`4.0`), empty
/// when the batch did not grade.
pub fn manifest_csv(entries: &[ManifestEntry]) -> String {
    let mut out =
        String::from("id,kind,payload,version,ec,mask,files,sha256,verified,key_id,grade\r\n");
    for e in entries {
        let files: Vec<&str> = e.files.iter().map(|(n, _)| n.as_str()).collect();
        let sums: Vec<&str> = e.files.iter().map(|(_, s)| s.as_str()).collect();
        let cells = [
            csv_cell(&e.id),
            csv_cell(&e.kind),
            csv_cell(&e.payload),
            e.version.to_string(),
            e.ec.to_string(),
            e.mask.to_string(),
            csv_cell(&files.join(";")),
            sums.join(";"),
            e.verified.to_string(),
            e.key_id.clone().unwrap_or_default(),
            grading::csv_grade(e.grade.as_ref()),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `manifest.json`: an array with one object per asset, one per line;
/// `key_id` is `null` when the payload is not signed; `grade` is the grade
/// object of `civiqr grade --json`, `null` when the batch did not grade.
pub fn manifest_json(entries: &[ManifestEntry]) -> String {
    let mut out = String::from("[\n");
    for (i, e) in entries.iter().enumerate() {
        let files: Vec<String> = e
            .files
            .iter()
            .map(|(n, s)| format!("{{\"name\":{},\"sha256\":\"{s}\"}}", json_string(n)))
            .collect();
        out.push_str(&format!(
            "{{\"id\":{},\"kind\":\"{}\",\"payload\":{},\"version\":{},\"ec\":\"{}\",\"mask\":{},\"files\":[{}],\"verified\":{},\"key_id\":{},\"grade\":{}}}",
            json_string(&e.id),
            e.kind,
            json_string(&e.payload),
            e.version,
            e.ec,
            e.mask,
            files.join(","),
            e.verified,
            e.key_id.as_deref().map_or("null".to_string(), json_string),
            grading::json_grade(e.grade.as_ref())
        ));
        out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
    }
    out.push_str("]\n");
    out
}

/// Quotes a CSV cell when it holds a comma, quote, line break or edge space.
/// A cell a spreadsheet would take for a formula (starting with `=`, `+`,
/// `-`, `@`, tab or carriage return) gets a `'` in front and is quoted, as
/// OWASP's CSV-injection rule says, so it opens as text.
pub(crate) fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', '"', '\r', '\n']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A JSON string literal (RFC 8259 escaping), as the manifests and the CLI's
/// `--json` output write strings.
pub fn json_string(s: &str) -> String {
    crate::json::string_literal(s)
}

#[cfg(test)]
mod grading_tests;
#[cfg(test)]
mod job_tests;
#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;
