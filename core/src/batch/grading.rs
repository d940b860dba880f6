//! `batch --grade`: each rendered raster graded at its print scale by the
//! method of docs/GRADING.md. A clean render is grade A (4) on every
//! parameter; anything less is recorded in the manifest and warned about.

use super::png_luma;
use crate::grade::{grade, grade_json, GradeOptions};
use crate::{DecodeOptions, ImageRef};

/// The grade of one rendered raster, as the manifests record it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RasterGrade {
    /// The overall grade, 4 (A) to 0 (F); `None` when it was not graded.
    pub overall: Option<u8>,
    /// The parameters (all eleven, informative ones too) graded below 4,
    /// with their grades, in the JSON interface's order.
    pub below_a: Vec<(&'static str, u8)>,
    /// The grade object of `civiqr grade --json` ([`grade_json`]), or why
    /// the raster could not be graded.
    pub detail: Result<String, String>,
}

impl RasterGrade {
    fn ungraded(reason: String) -> RasterGrade {
        RasterGrade {
            overall: None,
            below_a: Vec::new(),
            detail: Err(reason),
        }
    }

    /// Whether every parameter graded 4 (A).
    pub fn all_a(&self) -> bool {
        self.overall == Some(4) && self.below_a.is_empty()
    }

    /// What falls short, in words: `"grade 2 (C): print_growth C"`, or why
    /// it was not graded; `None` when everything is A.
    pub fn shortfall(&self) -> Option<String> {
        if self.all_a() {
            return None;
        }
        match (&self.detail, self.overall) {
            (Err(reason), _) => Some(format!("not graded: {reason}")),
            (Ok(_), overall) => {
                let overall = overall.unwrap_or(0);
                let params: Vec<String> = self
                    .below_a
                    .iter()
                    .map(|(n, g)| format!("{n} {}", crate::grade::letter(*g)))
                    .collect();
                Some(format!(
                    "grade {overall} ({}): {}",
                    crate::grade::letter(overall),
                    params.join(", ")
                ))
            }
        }
    }
}

/// Grades the one symbol of a rendered PNG (dark on light, as batches draw
/// it) with the default aperture (0.8 module) and grey level / 255 as
/// reflectance, which is exact for a render's black and white.
pub fn grade_png(png: &[u8]) -> RasterGrade {
    let (pixels, w, h) = match png_luma(png) {
        Ok(p) => p,
        Err(e) => return RasterGrade::ungraded(e),
    };
    let decode = DecodeOptions::default().pure(true).try_inverted(false);
    let options = GradeOptions::default().decode_options(decode);
    let found = match grade(ImageRef::luma(&pixels, w, h), &options) {
        Ok(found) => found,
        Err(e) => return RasterGrade::ungraded(format!("the reader failed: {e}")),
    };
    let one = match found.as_slice() {
        [one] => one,
        [] => return RasterGrade::ungraded("no symbol found in the raster".into()),
        many => return RasterGrade::ungraded(format!("{} symbols found, expected 1", many.len())),
    };
    match one.report() {
        Ok(report) => RasterGrade {
            overall: Some(report.overall()),
            below_a: report
                .parameters()
                .named()
                .iter()
                .filter(|(_, m)| m.grade < 4)
                .map(|(n, m)| (*n, m.grade))
                .collect(),
            detail: Ok(grade_json(report)),
        },
        Err(why) => RasterGrade::ungraded(why.reason().to_string()),
    }
}

/// The manifest CSV's `grade` cell: the overall grade as `4.0`, empty when
/// not asked or not graded.
pub(super) fn csv_grade(grade: Option<&RasterGrade>) -> String {
    grade
        .and_then(|g| g.overall)
        .map_or(String::new(), |o| format!("{o}.0"))
}

/// The manifest JSON's `grade` value: the grade object, `null` when not
/// asked or not graded.
pub(super) fn json_grade(grade: Option<&RasterGrade>) -> &str {
    match grade.map(|g| &g.detail) {
        Some(Ok(json)) => json,
        _ => "null",
    }
}
