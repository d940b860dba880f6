//! One code's status and reasons: manifest match, signature, then its
//! condition from the grade (docs/AUDIT.md, "Statuses").

use serde::{Deserialize, Serialize};

use super::{AuditOptions, AuditRow, Manifest, Status};
use crate::grade::{letter, Graded, SymbolGrade, Ungraded};
use crate::sign::{SignatureStatus, TrustList};

/// When a genuine code is fine, to watch or to replace. A code takes the
/// worse of what its grade and its error-correction use say.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Thresholds {
    /// Overall grades at or above this are fine (default 3, B).
    pub ok_min_grade: u8,
    /// Overall grades at or below this are to replace (default 0, F: the
    /// standard's reference decode or a graded parameter fails).
    pub replace_max_grade: u8,
    /// A block with at least this share of its error correction used is
    /// to watch (default 0.25).
    pub watch_ec_used: f64,
    /// A block with at least this share used is to replace (default 0.5:
    /// half the margin is gone, and wear accelerates once it starts).
    pub replace_ec_used: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            ok_min_grade: 3,
            replace_max_grade: 0,
            watch_ec_used: 0.25,
            replace_ec_used: 0.5,
        }
    }
}

/// Why thresholds were refused.
#[derive(Clone, Debug, PartialEq)]
pub struct ThresholdError(pub String);

impl std::fmt::Display for ThresholdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ThresholdError {}

impl Thresholds {
    /// Thresholds for grades (fine from `ok_min_grade`, replace at or below
    /// `replace_max_grade`) and error-correction use (watch from
    /// `watch_ec_used`, replace from `replace_ec_used`), checked.
    pub fn new(
        ok_min_grade: u8,
        replace_max_grade: u8,
        watch_ec_used: f64,
        replace_ec_used: f64,
    ) -> Result<Thresholds, ThresholdError> {
        let t = Thresholds {
            ok_min_grade,
            replace_max_grade,
            watch_ec_used,
            replace_ec_used,
        };
        t.check()?;
        Ok(t)
    }

    /// Checks that grades are 0-4, shares 0..1, and each "replace" limit is
    /// worse than its "watch" limit.
    pub fn check(&self) -> Result<(), ThresholdError> {
        let err = |s: String| Err(ThresholdError(s));
        if self.ok_min_grade > 4 || self.replace_max_grade >= self.ok_min_grade {
            return err(format!(
                "grades: replace at or below {} must be below ok from {}, both 0-4",
                self.replace_max_grade, self.ok_min_grade
            ));
        }
        let share = |v: f64| (0.0..=1.0).contains(&v);
        if !share(self.watch_ec_used)
            || !share(self.replace_ec_used)
            || self.watch_ec_used > self.replace_ec_used
        {
            return err(format!(
                "error correction used: watch from {} must be at most replace from {}, both 0 to 1",
                self.watch_ec_used, self.replace_ec_used
            ));
        }
        Ok(())
    }
}

/// The row of code `index` of `file`.
pub(super) fn classify(
    file: &str,
    index: usize,
    graded: &Graded,
    manifest: &Manifest,
    trust: Option<&TrustList>,
    options: &AuditOptions,
) -> AuditRow {
    let decoded = graded.decoded();
    let payload = match decoded.text() {
        Some(t) => t.to_string(),
        None => String::from_utf8_lossy(decoded.bytes()).into_owned(),
    };
    let asset = decoded.text().and_then(|t| manifest.find(t)).or_else(|| {
        std::str::from_utf8(decoded.bytes())
            .ok()
            .and_then(|t| manifest.find(t))
    });
    let verification = trust.map(|t| t.verify(decoded.bytes(), options.today));
    let mut row = AuditRow {
        file: file.to_string(),
        code: Some(index),
        id: asset.map(|a| a.id.clone()),
        status: Status::Ok,
        grade: None,
        letter: None,
        ec_used: None,
        ec_block: None,
        wrong_modules: None,
        signature: verification.as_ref().map(|v| v.status().name().to_string()),
        payload: Some(payload),
        reason: String::new(),
    };
    let (status, reason) = condition(graded.report(), &options.thresholds, &mut row);
    row.status = status;
    row.reason = reason;
    let bad = verification.as_ref().filter(|v| {
        matches!(
            v.status(),
            SignatureStatus::Invalid | SignatureStatus::UnknownKey | SignatureStatus::Expired
        )
    });
    if let Some(v) = bad {
        row.status = Status::BadSignature;
        row.reason = format!("{}: possible fraudulent sticker", v.summary());
    } else if asset.is_none() {
        row.status = Status::Unknown;
        let signed = verification
            .as_ref()
            .filter(|v| v.status() == SignatureStatus::Valid)
            .map_or(String::new(), |v| {
                format!(" ({}, so perhaps another batch's)", v.summary())
            });
        row.reason = format!("payload not in the manifest{signed}: possible fraudulent sticker");
    } else if trust.is_none() && asset.is_some_and(|a| a.key_id.is_some()) {
        row.reason += "; signature not checked (no trust list)";
    }
    row
}

/// The code's condition from its grade, filling the row's grade fields.
fn condition(
    report: Result<&SymbolGrade, Ungraded>,
    t: &Thresholds,
    row: &mut AuditRow,
) -> (Status, String) {
    let g = match report {
        Ok(g) => g,
        Err(Ungraded::Symbology) => {
            return (
                Status::Watch,
                "read, but its symbology is not graded: check it by eye".into(),
            )
        }
        Err(_) => {
            return (
                Status::Replace,
                "read, but its module grid cannot be measured: badly warped or damaged".into(),
            )
        }
    };
    let overall = g.overall();
    row.grade = Some(f64::from(overall));
    row.letter = Some(letter(overall).to_string());
    row.wrong_modules = Some(g.damage_map().wrong_modules().len());
    let worst_block = g
        .blocks()
        .iter()
        .enumerate()
        .map(|(i, b)| (i + 1, 1.0 - b.unused))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let (block, used) = worst_block.unwrap_or((0, 0.0));
    if worst_block.is_some() {
        row.ec_used = Some(used);
        row.ec_block = Some(block);
    }
    let pct = (used * 100.0).round();
    let ec_status = if used >= t.replace_ec_used {
        Status::Replace
    } else if used >= t.watch_ec_used {
        Status::Watch
    } else {
        Status::Ok
    };
    let grade_status = if overall <= t.replace_max_grade {
        Status::Replace
    } else if overall < t.ok_min_grade {
        Status::Watch
    } else {
        Status::Ok
    };
    let status = [ec_status, grade_status]
        .into_iter()
        .min_by_key(|s| s.urgency())
        .unwrap_or(Status::Ok);
    let mut reasons = Vec::new();
    let blocks = if g.blocks().len() > 1 {
        format!(" in block {block}")
    } else {
        String::new()
    };
    match ec_status {
        Status::Replace => reasons.push(format!(
            "{pct} % of error correction used{blocks}: replace now, a little more damage and \
             phones stop reading it"
        )),
        Status::Watch => reasons.push(format!(
            "{pct} % of error correction used{blocks}: replace within months"
        )),
        _ => {}
    }
    if grade_status != Status::Ok {
        reasons.push(format!(
            "grade {}: {}",
            letter(overall),
            weakest(g).join(", ")
        ));
    }
    if reasons.is_empty() {
        reasons.push(format!(
            "grade {}, {pct} % of error correction used: in good condition",
            letter(overall)
        ));
    }
    (status, reasons.join("; "))
}

/// The graded parameters at the symbol's overall grade, in words.
fn weakest(g: &SymbolGrade) -> Vec<String> {
    let overall = g.overall();
    let p = g.parameters();
    let indicative = if g.calibrated() {
        ""
    } else {
        " (indicative: the photo is not calibrated)"
    };
    let words: [(u8, String); 8] = [
        (
            p.decode.grade,
            "the standard's reference decode fails: only a forgiving reader still gets it".into(),
        ),
        (
            p.symbol_contrast.grade,
            format!("low contrast, faded or dirty print{indicative}"),
        ),
        (
            p.modulation.grade,
            format!("uneven modules, stains or fading{indicative}"),
        ),
        (
            p.reflectance_margin.grade,
            format!("modules near the threshold or of the wrong colour{indicative}"),
        ),
        (
            p.fixed_pattern_damage.grade,
            "damaged finder, timing or format patterns".into(),
        ),
        (
            p.axial_nonuniformity.grade,
            "stretched along one axis (a warped sign or a photo at an angle)".into(),
        ),
        (
            p.grid_nonuniformity.grade,
            "distorted module grid (a warped or wrinkled sign)".into(),
        ),
        (
            p.unused_error_correction.grade,
            "little error correction left".into(),
        ),
    ];
    words
        .into_iter()
        .filter(|(grade, _)| *grade == overall)
        .map(|(_, w)| w)
        .collect()
}
