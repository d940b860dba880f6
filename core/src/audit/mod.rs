//! Field audit of printed codes (docs/AUDIT.md): a crew's photos of signs
//! graded ([`crate::grade`]), each code matched by its exact payload to the
//! batch manifest, its signature checked against a trust list, and given a
//! status with the reason in words.
//!
//! Auditing one photo, [`audit_photo`] or [`audit_photo_bytes`], is a pure
//! function of the photo, the [`Manifest`], the [`TrustList`] and the
//! [`AuditOptions`] (today's date is an option: core reads no clock), and
//! its result, [`PhotoAudit`], is plain serde data. So photos can be audited
//! on any number of threads or machines, and the results brought together
//! by [`mark_duplicates`] (which needs every photo) and written by
//! [`audit_csv`], [`audit_json`] and [`report_html`].
//!
//! ```no_run
//! use civiqr::audit::{audit_photo, mark_duplicates, report_html, AuditOptions, Manifest};
//! use civiqr::sign::Date;
//! let manifest = Manifest::read_file("out/manifest.csv")?;
//! let options = AuditOptions::new(Date::new(2026, 12, 3).expect("a date"));
//! let mut photos: Vec<_> = ["crew/IMG_0001.jpg", "crew/IMG_0002.jpg"]
//!     .iter()
//!     .map(|p| audit_photo(p, &manifest, None, &options))
//!     .collect();
//! mark_duplicates(&mut photos);
//! std::fs::write("audit.html", report_html(&photos, "Signs, December 2026"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod classify;
mod manifest;
mod photos;
mod picture;
mod report;

pub use classify::{ThresholdError, Thresholds};
pub use manifest::{Manifest, ManifestAsset, ManifestError, MAX_MANIFEST_BYTES};
pub use photos::{list_photos, PHOTO_EXTENSIONS};
pub use report::{audit_csv, audit_json, report_html, Summary};

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::grade::{grade, GradeOptions, ImageFile};
use crate::sign::{Date, TrustList};
use crate::DecodeOptions;

/// What the audit concluded about one code, or about a photo without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In the manifest, genuine, and in good condition.
    Ok,
    /// In the manifest and genuine, but wearing: check it again soon.
    Watch,
    /// In the manifest and genuine, but failing: replace it.
    Replace,
    /// The photo could not be read, or no code was found in it.
    Unreadable,
    /// A code whose payload is not in the manifest: possibly a fraudulent
    /// sticker.
    Unknown,
    /// A code whose signature does not verify against the trust list
    /// (forged, unknown key, expired key): possibly a fraudulent sticker.
    BadSignature,
    /// An asset already seen in a better photo (or twice in one).
    Duplicate,
}

impl Status {
    /// Every status, the most urgent first (the order cards are sorted in).
    pub const ALL: [Status; 7] = [
        Status::BadSignature,
        Status::Unknown,
        Status::Replace,
        Status::Unreadable,
        Status::Watch,
        Status::Duplicate,
        Status::Ok,
    ];

    /// The name used in the CSV and JSON: `ok`, `watch`, `replace`,
    /// `unreadable`, `unknown`, `bad_signature`, `duplicate`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Watch => "watch",
            Status::Replace => "replace",
            Status::Unreadable => "unreadable",
            Status::Unknown => "unknown",
            Status::BadSignature => "bad_signature",
            Status::Duplicate => "duplicate",
        }
    }

    /// 0 for the most urgent ([`Status::ALL`]'s order).
    pub fn urgency(self) -> usize {
        Status::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One line of the audit: a code found in a photo, or a photo where none
/// was read (`code` is then `None`). Plain data, for CSV, JSON, pickling.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuditRow {
    /// The photo, as given.
    pub file: String,
    /// The code's index in the photo (reading order, from 0).
    pub code: Option<usize>,
    /// The manifest id of the asset the payload matched.
    pub id: Option<String>,
    /// The verdict.
    pub status: Status,
    /// The overall grade, 4.0 (A) to 0.0 (F), when the code was graded.
    pub grade: Option<f64>,
    /// The grade's letter, `A` to `F`.
    pub letter: Option<String>,
    /// The largest share of a block's error correction used, 0..1.
    pub ec_used: Option<f64>,
    /// The block (from 1) with that share.
    pub ec_block: Option<usize>,
    /// Modules that read the wrong colour.
    pub wrong_modules: Option<usize>,
    /// The signature verdict (`valid`, `invalid`, `unknown_key`,
    /// `expired`, `unsigned`), when a trust list was given.
    pub signature: Option<String>,
    /// The decoded payload (text, or bytes as lossy UTF-8).
    pub payload: Option<String>,
    /// Why, in words.
    pub reason: String,
}

/// One code in a photo: its row and, when pictures were asked for, the
/// symbol cropped from the photo with its damage drawn over it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CodeAudit {
    /// The row.
    pub row: AuditRow,
    /// A `data:image/jpeg;base64,...` URI: the symbol, wrong modules red,
    /// corrected codewords orange.
    pub picture: Option<String>,
}

/// One photo audited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhotoAudit {
    /// The photo, as given.
    pub file: String,
    /// Why the photo could not be read (then `codes` is empty).
    pub error: Option<String>,
    /// A `data:image/jpeg;base64,...` thumbnail, when pictures were asked for.
    pub thumbnail: Option<String>,
    /// The codes found, in reading order.
    pub codes: Vec<CodeAudit>,
}

impl PhotoAudit {
    /// The photo's rows: one per code, or one `unreadable` row.
    pub fn rows(&self) -> Vec<AuditRow> {
        if self.codes.is_empty() {
            let reason = match &self.error {
                Some(e) => format!("cannot read the photo: {e}"),
                None => "no code found in the photo (too small, blurred, covered or gone)".into(),
            };
            return vec![AuditRow::unreadable(&self.file, reason)];
        }
        self.codes.iter().map(|c| c.row.clone()).collect()
    }

    /// The most urgent status among its rows.
    pub fn worst(&self) -> Status {
        self.rows()
            .iter()
            .map(|r| r.status)
            .min_by_key(|s| s.urgency())
            .unwrap_or(Status::Unreadable)
    }
}

impl AuditRow {
    fn unreadable(file: &str, reason: String) -> AuditRow {
        AuditRow {
            file: file.to_string(),
            code: None,
            id: None,
            status: Status::Unreadable,
            grade: None,
            letter: None,
            ec_used: None,
            ec_block: None,
            wrong_modules: None,
            signature: None,
            payload: None,
            reason,
        }
    }
}

/// How to audit. Defaults: [`GradeOptions::default`] with the reader's
/// `try_harder` on (field photos are harder than renders),
/// [`Thresholds::default`], pictures on, 320-pixel thumbnails.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct AuditOptions {
    grade: GradeOptions,
    thresholds: Thresholds,
    today: Date,
    pictures: bool,
    thumbnail_px: usize,
}

impl AuditOptions {
    /// The defaults, verifying signatures as on `today`.
    pub fn new(today: Date) -> AuditOptions {
        let decode = DecodeOptions::default().try_harder(true);
        AuditOptions {
            grade: GradeOptions::default().decode_options(decode),
            thresholds: Thresholds::default(),
            today,
            pictures: true,
            thumbnail_px: 320,
        }
    }

    /// How codes are found and graded.
    pub fn grade_options(mut self, options: GradeOptions) -> Self {
        self.grade = options;
        self
    }

    /// When a code is fine, to watch or to replace.
    pub fn thresholds(mut self, thresholds: Thresholds) -> Self {
        self.thresholds = thresholds;
        self
    }

    /// Whether to make the thumbnail and the symbol pictures (default on;
    /// off for CSV/JSON only, about a tenth faster).
    pub fn pictures(mut self, on: bool) -> Self {
        self.pictures = on;
        self
    }

    /// The thumbnail's longer side in pixels (default 320, at least 16).
    pub fn thumbnail_px(mut self, px: usize) -> Self {
        self.thumbnail_px = px.max(16);
        self
    }

    /// The thresholds in use.
    pub fn get_thresholds(&self) -> &Thresholds {
        &self.thresholds
    }
}

/// Audits the photo at `path`. Never fails: a file that cannot be read or
/// decoded gives a photo with [`PhotoAudit::error`] set.
pub fn audit_photo(
    path: impl AsRef<Path>,
    manifest: &Manifest,
    trust: Option<&TrustList>,
    options: &AuditOptions,
) -> PhotoAudit {
    let path = path.as_ref();
    let file = path.display().to_string();
    match ImageFile::open(path, options.grade.get_decode_options()) {
        Ok(image) => audit_image(file, &image, manifest, trust, options),
        Err(e) => failed(file, e.to_string()),
    }
}

/// Audits a photo held in memory (an encoded PNG, JPEG, WebP, GIF, BMP or
/// TIFF file); `file` names it in the rows.
pub fn audit_photo_bytes(
    file: &str,
    bytes: &[u8],
    manifest: &Manifest,
    trust: Option<&TrustList>,
    options: &AuditOptions,
) -> PhotoAudit {
    match ImageFile::from_bytes(bytes, options.grade.get_decode_options()) {
        Ok(image) => audit_image(file.to_string(), &image, manifest, trust, options),
        Err(e) => failed(file.to_string(), e.to_string()),
    }
}

/// A photo that could not be read; the error on one line (image decoders'
/// messages may hold line breaks, and the reason is one CSV cell).
fn failed(file: String, error: String) -> PhotoAudit {
    PhotoAudit {
        file,
        error: Some(error.split_whitespace().collect::<Vec<_>>().join(" ")),
        thumbnail: None,
        codes: Vec::new(),
    }
}

fn audit_image(
    file: String,
    image: &ImageFile,
    manifest: &Manifest,
    trust: Option<&TrustList>,
    options: &AuditOptions,
) -> PhotoAudit {
    let graded = match grade(image.image(), &options.grade) {
        Ok(g) => g,
        Err(e) => return failed(file, e.to_string()),
    };
    let gray = options
        .pictures
        .then(|| crate::read::Gray::from_image(&image.image()));
    let codes = graded
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let row = classify::classify(&file, i, g, manifest, trust, options);
            let picture = gray.as_ref().and_then(|gray| picture::symbol(gray, g));
            CodeAudit { row, picture }
        })
        .collect();
    PhotoAudit {
        thumbnail: gray
            .as_ref()
            .and_then(|g| picture::thumbnail(g, options.thumbnail_px)),
        file,
        error: None,
        codes,
    }
}

/// Marks repeated sightings of one asset as [`Status::Duplicate`]: among
/// the genuine sightings (`ok`, `watch`, `replace`) of a manifest id, the
/// one with the best grade keeps its status (ties: least error correction
/// used, then the photo first in file-name order, then the first code in
/// it); every other becomes `duplicate`, naming the photo kept. A worse
/// photo of a sign says less about the sign than a better one; two genuine
/// copies in different places (a copied sticker) are found either way.
pub fn mark_duplicates(photos: &mut [PhotoAudit]) {
    use std::collections::HashMap;
    let mut best: HashMap<String, (usize, usize)> = HashMap::new();
    let genuine = |s: Status| matches!(s, Status::Ok | Status::Watch | Status::Replace);
    let key = |r: &AuditRow| {
        (
            -(r.grade.unwrap_or(-1.0)),
            r.ec_used.unwrap_or(1.0),
            r.file.clone(),
            r.code,
        )
    };
    for (p, photo) in photos.iter().enumerate() {
        for (c, code) in photo.codes.iter().enumerate() {
            let (row, Some(id)) = (&code.row, &code.row.id) else {
                continue;
            };
            if !genuine(row.status) {
                continue;
            }
            let better = match best.get(id) {
                None => true,
                Some(&(bp, bc)) => {
                    let kept = &photos[bp].codes[bc].row;
                    key(row).partial_cmp(&key(kept)) == Some(std::cmp::Ordering::Less)
                }
            };
            if better {
                best.insert(id.clone(), (p, c));
            }
        }
    }
    let kept_file: HashMap<String, String> = best
        .iter()
        .map(|(id, &(p, _))| (id.clone(), photos[p].file.clone()))
        .collect();
    for (p, photo) in photos.iter_mut().enumerate() {
        for (c, code) in photo.codes.iter_mut().enumerate() {
            let row = &mut code.row;
            let Some(id) = row.id.clone() else { continue };
            if !genuine(row.status) || best.get(&id) == Some(&(p, c)) {
                continue;
            }
            let kept = kept_file.get(&id).map_or("", String::as_str);
            let place = if *kept == row.file {
                "seen twice in this photo".to_string()
            } else {
                format!("also seen in {kept} (kept there)")
            };
            row.reason = format!(
                "asset {id} {place}: the same sign photographed again, or a copy of its code \
                 stuck elsewhere ({} here: {})",
                row.status, row.reason
            );
            row.status = Status::Duplicate;
        }
    }
}

/// Every photo's rows, in the photos' order.
pub fn rows(photos: &[PhotoAudit]) -> Vec<AuditRow> {
    photos.iter().flat_map(PhotoAudit::rows).collect()
}

#[cfg(test)]
mod tests;
