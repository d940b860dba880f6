//! The grader's entry points for `civiqr.grade` (py_src/civiqr/_grade.py
//! turns numpy arrays, PIL images, file bytes and paths into these calls).

use std::path::PathBuf;

use civiqr::grade::{grade, letter, Aperture, Calibration, GradeOptions, Graded, ImageFile};
use civiqr::{DecodeOptions, ImageRef};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::errors::{guarded, python_error, DECODE_ERROR};
use crate::read::pixel_format;

/// A reflectance calibration: (dark grey, dark reflectance), (light grey, light reflectance).
pub(crate) type Patches = ((u8, f64), (u8, f64));

/// Grades raw pixels: `data` holds `height` rows of `width` pixels of
/// `channels` bytes (1 grey, 3 RGB, 4 RGBA), packed.
#[pyfunction]
#[pyo3(signature = (data, width, height, channels, *, try_harder = false, aperture_px = None, aperture_modules = None, calibration = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _grade_pixels<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    width: usize,
    height: usize,
    channels: usize,
    try_harder: bool,
    aperture_px: Option<f64>,
    aperture_modules: Option<f64>,
    calibration: Option<Patches>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let format = pixel_format(py, channels)?;
    let options = options(py, try_harder, aperture_px, aperture_modules, calibration)?;
    let bytes = data.as_bytes();
    let found = guarded(py, || {
        grade(ImageRef::new(bytes, width, height, format), &options)
    })?;
    found.iter().map(|g| graded_dict(py, g)).collect()
}

/// Grades an encoded image file (PNG, JPEG, WebP, GIF, BMP, TIFF) held in memory.
#[pyfunction]
#[pyo3(signature = (data, *, try_harder = false, aperture_px = None, aperture_modules = None, calibration = None))]
pub(crate) fn _grade_file_bytes<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    try_harder: bool,
    aperture_px: Option<f64>,
    aperture_modules: Option<f64>,
    calibration: Option<Patches>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let options = options(py, try_harder, aperture_px, aperture_modules, calibration)?;
    let bytes = data.as_bytes();
    let found = guarded(py, || {
        let img = ImageFile::from_bytes(bytes, options.get_decode_options())?;
        grade(img.image(), &options)
    })?;
    found.iter().map(|g| graded_dict(py, g)).collect()
}

/// Reads and grades an image file (size checked before reading; GIL released).
#[pyfunction]
#[pyo3(signature = (path, *, try_harder = false, aperture_px = None, aperture_modules = None, calibration = None))]
pub(crate) fn _grade_path<'py>(
    py: Python<'py>,
    path: PathBuf,
    try_harder: bool,
    aperture_px: Option<f64>,
    aperture_modules: Option<f64>,
    calibration: Option<Patches>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let options = options(py, try_harder, aperture_px, aperture_modules, calibration)?;
    let found = guarded(py, || {
        let img = ImageFile::open(&path, options.get_decode_options())?;
        grade(img.image(), &options)
    })?;
    found.iter().map(|g| graded_dict(py, g)).collect()
}

fn decode_error(py: Python<'_>, msg: String) -> PyErr {
    python_error(py, &DECODE_ERROR, "DecodeError", msg)
}

pub(crate) fn options(
    py: Python<'_>,
    try_harder: bool,
    aperture_px: Option<f64>,
    aperture_modules: Option<f64>,
    calibration: Option<Patches>,
) -> PyResult<GradeOptions> {
    let mut o =
        GradeOptions::default().decode_options(DecodeOptions::default().try_harder(try_harder));
    let aperture = match (aperture_px, aperture_modules) {
        (Some(_), Some(_)) => {
            return Err(decode_error(
                py,
                "give aperture_px or aperture_modules, not both".into(),
            ))
        }
        (Some(px), None) => Some(Aperture::Pixels(px)),
        (None, Some(m)) => Some(Aperture::Modules(m)),
        (None, None) => None,
    };
    if let Some(a) = aperture {
        o = o.aperture(a).map_err(|e| decode_error(py, e.to_string()))?;
    }
    if let Some((dark, light)) = calibration {
        let c = Calibration::new(dark, light).map_err(|e| decode_error(py, e.to_string()))?;
        o = o.calibration(c);
    }
    Ok(o)
}

/// One graded symbol as the keyword arguments of the Python `Grade` class.
fn graded_dict<'py>(py: Python<'py>, g: &Graded) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    let d = g.decoded();
    out.set_item("text", d.text())?;
    out.set_item("symbology", d.symbology().id())?;
    out.set_item("version_name", d.symbol_version().to_string())?;
    let Ok(r) = g.report() else {
        out.set_item("graded", false)?;
        return Ok(out);
    };
    out.set_item("graded", true)?;
    out.set_item("overall", r.overall())?;
    out.set_item("letter", letter(r.overall()).to_string())?;
    out.set_item("calibrated", r.calibrated())?;
    out.set_item("aperture_px", r.aperture_px())?;
    let params = PyDict::new(py);
    for (name, m) in r.parameters().named() {
        params.set_item(name, (m.value, m.grade))?;
    }
    out.set_item("parameters", params)?;
    let blocks: Vec<(usize, usize, usize, usize, f64)> = r
        .blocks()
        .iter()
        .map(|b| {
            (
                b.data_codewords,
                b.ec_codewords,
                b.misdecode_protection,
                b.corrected.len(),
                b.unused,
            )
        })
        .collect();
    out.set_item("blocks", blocks)?;
    out.set_item("wrong_modules", r.damage_map().wrong_modules())?;
    Ok(out)
}
