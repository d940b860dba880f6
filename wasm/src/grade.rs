//! Print-quality grading for JavaScript: every symbol civiqr reads, graded by
//! core's ISO/IEC 15415 method (docs/GRADING.md), as the same JSON object
//! `civiqr grade --json` prints.

use civiqr::grade::{grade, grade_json, Aperture, Calibration, GradeOptions};
use wasm_bindgen::prelude::*;

use crate::{image_ref, js_error, to_js_decoded, JsDecodeConfig, JsDecoded};

/// One symbol read from an image, with its grade.
#[wasm_bindgen(js_name = Graded, getter_with_clone)]
pub struct JsGraded {
    /// What the reader decoded.
    #[wasm_bindgen(readonly)]
    pub decoded: JsDecoded,
    /// The grade object as JSON text (docs/cli-grade.schema.json's `grade`),
    /// or `undefined` when the symbol was not graded.
    #[wasm_bindgen(readonly)]
    pub grade: Option<String>,
    /// Why the symbol was not graded (e.g. `"symbology not graded"`).
    #[wasm_bindgen(readonly)]
    pub ungraded: Option<String>,
}

/// Grades every symbol in an image of `width` x `height` pixels (RGBA or
/// grey). The aperture is in pixels or modules (at most one of the two);
/// `calibration` is `[dark grey, dark reflectance, light grey, light
/// reflectance]`. Throws an `Error` naming a bad option or image size.
#[wasm_bindgen(js_name = gradeWith)]
pub fn grade_with(
    data: &[u8],
    width: u32,
    height: u32,
    config: &JsDecodeConfig,
    aperture_px: Option<f64>,
    aperture_modules: Option<f64>,
    calibration: Option<Vec<f64>>,
) -> Result<Vec<JsGraded>, JsError> {
    let image = image_ref(data, width, height)?;
    let mut options = GradeOptions::default().decode_options(config.options()?);
    let aperture = match (aperture_px, aperture_modules) {
        (Some(_), Some(_)) => {
            return Err(JsError::new(
                "give either aperturePx or apertureModules, not both",
            ))
        }
        (Some(px), None) => Some(Aperture::Pixels(px)),
        (None, Some(m)) => Some(Aperture::Modules(m)),
        (None, None) => None,
    };
    if let Some(a) = aperture {
        options = options.aperture(a).map_err(js_error)?;
    }
    if let Some(c) = calibration {
        options = options.calibration(calibration_from(&c)?);
    }
    let found = grade(image, &options).map_err(js_error)?;
    Ok(found
        .iter()
        .map(|g| {
            let (grade, ungraded) = match g.report() {
                Ok(r) => (Some(grade_json(r)), None),
                Err(why) => (None, Some(why.reason().to_string())),
            };
            JsGraded {
                decoded: to_js_decoded(g.decoded()),
                grade,
                ungraded,
            }
        })
        .collect())
}

/// Two patches `[dark grey, dark reflectance, light grey, light reflectance]`,
/// grey levels whole numbers 0-255 (core checks the rest).
fn calibration_from(c: &[f64]) -> Result<Calibration, JsError> {
    let grey = |v: f64| {
        (v.fract() == 0.0 && (0.0..=255.0).contains(&v))
            .then_some(v as u8)
            .ok_or_else(|| JsError::new(&format!("calibration grey level {v} is not 0-255")))
    };
    let [dg, dr, lg, lr] = c else {
        return Err(JsError::new(
            "calibration must be [[darkGrey, darkReflectance], [lightGrey, lightReflectance]]",
        ));
    };
    Calibration::new((grey(*dg)?, *dr), (grey(*lg)?, *lr)).map_err(js_error)
}
