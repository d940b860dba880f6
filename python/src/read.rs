//! The reader's entry points for `civiqr.decode` (py_src/civiqr/_decode.py
//! turns numpy arrays, PIL images, file bytes and paths into these calls).

use std::path::PathBuf;

use civiqr::{
    decode, decode_file, decode_image_bytes, DecodeOptions, Decoded, ImageRef, PixelFormat,
    Symbology,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::errors::{guarded, python_error, DECODE_ERROR};

/// Decodes raw pixels: `data` holds `height` rows of `width` pixels of
/// `channels` bytes (1 grey, 3 RGB, 4 RGBA), packed.
#[pyfunction]
#[pyo3(signature = (data, width, height, channels, *, try_harder = false, try_inverted = true, quick = false, pure = false, max_symbols = 1024, symbologies = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _decode_pixels<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    width: usize,
    height: usize,
    channels: usize,
    try_harder: bool,
    try_inverted: bool,
    quick: bool,
    pure: bool,
    max_symbols: usize,
    symbologies: Option<Vec<String>>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let format = pixel_format(py, channels)?;
    let options = decode_options(try_harder, try_inverted, quick, pure, max_symbols)
        .symbologies(&symbology_list(py, symbologies)?);
    let bytes = data.as_bytes();
    let found = guarded(py, || {
        decode(ImageRef::new(bytes, width, height, format), &options)
    })?;
    found.iter().map(|d| decoded_dict(py, d)).collect()
}

/// Decodes an encoded image file (PNG, JPEG, WebP, GIF, BMP, TIFF) held in memory.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (data, *, try_harder = false, try_inverted = true, quick = false, pure = false, max_symbols = 1024, symbologies = None))]
pub(crate) fn _decode_file_bytes<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    try_harder: bool,
    try_inverted: bool,
    quick: bool,
    pure: bool,
    max_symbols: usize,
    symbologies: Option<Vec<String>>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let options = decode_options(try_harder, try_inverted, quick, pure, max_symbols)
        .symbologies(&symbology_list(py, symbologies)?);
    let bytes = data.as_bytes();
    let found = guarded(py, || decode_image_bytes(bytes, &options))?;
    found.iter().map(|d| decoded_dict(py, d)).collect()
}

/// Reads and decodes an image file through civiqr's checked path: the size
/// limit is checked before the file is read, and the GIL is released for both.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (path, *, try_harder = false, try_inverted = true, quick = false, pure = false, max_symbols = 1024, symbologies = None))]
pub(crate) fn _decode_path<'py>(
    py: Python<'py>,
    path: PathBuf,
    try_harder: bool,
    try_inverted: bool,
    quick: bool,
    pure: bool,
    max_symbols: usize,
    symbologies: Option<Vec<String>>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let options = decode_options(try_harder, try_inverted, quick, pure, max_symbols)
        .symbologies(&symbology_list(py, symbologies)?);
    let found = guarded(py, || decode_file(&path, &options))?;
    found.iter().map(|d| decoded_dict(py, d)).collect()
}

/// The pixel format of `channels` bytes per pixel (1 grey, 3 RGB, 4 RGBA).
pub(crate) fn pixel_format(py: Python<'_>, channels: usize) -> PyResult<PixelFormat> {
    match channels {
        1 => Ok(PixelFormat::Luma),
        3 => Ok(PixelFormat::Rgb),
        4 => Ok(PixelFormat::Rgba),
        n => Err(python_error(
            py,
            &DECODE_ERROR,
            "DecodeError",
            format!("images need 1, 3 or 4 channels, not {n}"),
        )),
    }
}

fn decode_options(
    try_harder: bool,
    try_inverted: bool,
    quick: bool,
    pure: bool,
    max_symbols: usize,
) -> DecodeOptions {
    DecodeOptions::default()
        .try_harder(try_harder)
        .try_inverted(try_inverted)
        .quick(quick)
        .pure(pure)
        .max_symbols(max_symbols)
}

/// `["qr", "micro", "rmqr"]` (any of them) as symbologies; `None` is all three.
fn symbology_list(py: Python<'_>, names: Option<Vec<String>>) -> PyResult<Vec<Symbology>> {
    let Some(names) = names else {
        return Ok(Symbology::ALL.to_vec());
    };
    names
        .iter()
        .map(|n| {
            n.parse::<Symbology>()
                .map_err(|e| python_error(py, &DECODE_ERROR, "DecodeError", e.to_string()))
        })
        .collect()
}

/// A decoded symbol as the keyword arguments of the Python `Decoded` class.
fn decoded_dict<'py>(py: Python<'py>, d: &Decoded) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("text", d.text())?;
    out.set_item("bytes", PyBytes::new(py, d.bytes()))?;
    out.set_item("symbology", d.symbology().id())?;
    out.set_item("version", d.symbol_version().number())?;
    out.set_item("version_name", d.symbol_version().to_string())?;
    out.set_item("ec", d.ec_level().to_string())?;
    out.set_item("mask", d.mask().number())?;
    out.set_item("eci", d.eci())?;
    let corners: Vec<(f32, f32)> = d.corners().iter().map(|p| (p.x, p.y)).collect();
    out.set_item("corners", corners)?;
    out.set_item("mirrored", d.mirrored())?;
    out.set_item("inverted", d.inverted())?;
    out.set_item("model1", d.is_model1())?;
    out.set_item(
        "structured_append",
        d.structured_append().map(|s| (s.index, s.count, s.parity)),
    )?;
    Ok(out)
}
