//! Python bindings (`civiqr._civiqr`): converts Python values in and `QrCode`
//! objects out; all the work is done by the `civiqr` crate.
//!
//! The public package is the pure-Python `civiqr` (py_src/civiqr), which
//! re-exports what is here and defines the exception classes, so that
//! `EncodeError` can derive from both `CiviqrError` and `ValueError`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use civiqr::render::{svg, RenderOptions};
use civiqr::{
    decode, decode_image_bytes, encode_bytes, encode_text, DecodeError, DecodeOptions, Decoded,
    EcLevel, EncodeError, EncodeOptions, ImageRef, Mask, PixelFormat, RenderError, Version,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyString, PyType};

/// An encoded QR Code symbol.
#[pyclass(frozen, name = "QrCode", module = "civiqr")]
struct PyQrCode {
    code: civiqr::QrCode,
}

#[pymethods]
impl PyQrCode {
    /// Side length in modules, without the quiet zone.
    #[getter]
    fn size(&self) -> usize {
        self.code.size()
    }

    /// Version number, 1 to 40.
    #[getter]
    fn version(&self) -> u8 {
        self.code.version().number()
    }

    /// Error-correction level, "L", "M", "Q" or "H".
    #[getter]
    fn ec(&self) -> String {
        self.code.ec_level().to_string()
    }

    /// Mask pattern number, 0 to 7.
    #[getter]
    fn mask(&self) -> u8 {
        self.code.mask().number()
    }

    /// The modules as rows (top to bottom) of booleans (left to right);
    /// True is dark. `matrix[y][x]`, without the quiet zone.
    #[getter]
    fn matrix(&self) -> Vec<Vec<bool>> {
        self.code.to_rows()
    }

    /// The symbol as a standalone SVG document (default render options:
    /// 4-module quiet zone, 8 px per module, black on white).
    fn to_svg(&self, py: Python<'_>) -> PyResult<String> {
        let code = &self.code;
        guarded(py, || svg(code, &RenderOptions::default()))
    }

    fn __repr__(&self) -> String {
        format!(
            "QrCode(version={}, ec='{}', mask={}, size={})",
            self.code.version(),
            self.code.ec_level(),
            self.code.mask(),
            self.code.size()
        )
    }
}

/// Encodes text (str, written as UTF-8 where it is not Kanji, numeric or
/// alphanumeric) or bytes into the smallest QR Code that holds it.
#[pyfunction]
#[pyo3(signature = (data, *, ec = "M", version = None, mask = None, boost_ec = false))]
fn encode(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    ec: &str,
    version: Option<&Bound<'_, PyAny>>,
    mask: Option<&Bound<'_, PyAny>>,
    boost_ec: bool,
) -> PyResult<PyQrCode> {
    let mut options = EncodeOptions::default()
        .ec_level(ec.parse::<EcLevel>().map_err(|e| e.into_py_err(py))?)
        .boost_ec(boost_ec);
    if let Some(n) = small_int(py, version, "version")? {
        let v = u8::try_from(n)
            .map_err(|_| EncodeError::InvalidVersion(n))
            .and_then(Version::new);
        options = options.version(v.map_err(|e| e.into_py_err(py))?);
    }
    if let Some(n) = small_int(py, mask, "mask")? {
        let m = u8::try_from(n)
            .map_err(|_| EncodeError::InvalidMask(n))
            .and_then(Mask::new);
        options = options.mask(m.map_err(|e| e.into_py_err(py))?);
    }

    let code = if let Ok(text) = data.cast::<PyString>() {
        // to_cow: the abi3 (limited) API only borrows UTF-8 from 3.10 on.
        let text = text.to_cow()?;
        guarded(py, || encode_text(&text, &options))
    } else if let Ok(bytes) = data.cast::<PyBytes>() {
        let bytes = bytes.as_bytes();
        guarded(py, || encode_bytes(bytes, &options))
    } else {
        return Err(PyTypeError::new_err(format!(
            "data must be str or bytes, not {}",
            data.get_type().name()?
        )));
    }?;
    Ok(PyQrCode { code })
}

/// Reads an optional integer argument; bools and other types are TypeErrors.
/// Values beyond `u32` (negative or huge) are an `EncodeError` here; smaller
/// ones are range-checked by civiqr itself, which names the valid range.
fn small_int(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Option<u32>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an int or None, not {}",
            value.get_type().name()?
        )));
    }
    match value.extract::<u32>() {
        Ok(n) => Ok(Some(n)),
        Err(_) => Err(python_error(
            py,
            &ENCODE_ERROR,
            "EncodeError",
            format!("invalid {name} {value}: out of range"),
        )),
    }
}

/// Decodes raw pixels: `data` holds `height` rows of `width` pixels of
/// `channels` bytes (1 grey, 3 RGB, 4 RGBA), packed. The Python package's
/// `civiqr.decode` turns numpy arrays and PIL images into this call.
#[pyfunction]
#[pyo3(signature = (data, width, height, channels, *, try_harder = false, try_inverted = true, pure = false, max_symbols = 16))]
#[allow(clippy::too_many_arguments)]
fn _decode_pixels<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    width: usize,
    height: usize,
    channels: usize,
    try_harder: bool,
    try_inverted: bool,
    pure: bool,
    max_symbols: usize,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let format = match channels {
        1 => PixelFormat::Luma,
        3 => PixelFormat::Rgb,
        4 => PixelFormat::Rgba,
        n => {
            return Err(python_error(
                py,
                &DECODE_ERROR,
                "DecodeError",
                format!("images need 1, 3 or 4 channels, not {n}"),
            ))
        }
    };
    let options = decode_options(try_harder, try_inverted, pure, max_symbols);
    let bytes = data.as_bytes();
    let found = guarded(py, || {
        decode(ImageRef::new(bytes, width, height, format), &options)
    })?;
    found.iter().map(|d| decoded_dict(py, d)).collect()
}

/// Decodes an encoded image file (PNG, JPEG, WebP, GIF, BMP, TIFF) held in memory.
#[pyfunction]
#[pyo3(signature = (data, *, try_harder = false, try_inverted = true, pure = false, max_symbols = 16))]
fn _decode_file_bytes<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    try_harder: bool,
    try_inverted: bool,
    pure: bool,
    max_symbols: usize,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let options = decode_options(try_harder, try_inverted, pure, max_symbols);
    let bytes = data.as_bytes();
    let found = guarded(py, || decode_image_bytes(bytes, &options))?;
    found.iter().map(|d| decoded_dict(py, d)).collect()
}

fn decode_options(
    try_harder: bool,
    try_inverted: bool,
    pure: bool,
    max_symbols: usize,
) -> DecodeOptions {
    DecodeOptions::default()
        .try_harder(try_harder)
        .try_inverted(try_inverted)
        .pure(pure)
        .max_symbols(max_symbols)
}

/// A decoded symbol as the keyword arguments of the Python `Decoded` class.
fn decoded_dict<'py>(py: Python<'py>, d: &Decoded) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("text", d.text())?;
    out.set_item("bytes", PyBytes::new(py, d.bytes()))?;
    out.set_item("symbology", "qr")?;
    out.set_item("version", d.version().number())?;
    out.set_item("ec", d.ec_level().to_string())?;
    out.set_item("mask", d.mask().number())?;
    out.set_item("eci", d.eci())?;
    let corners: Vec<(f32, f32)> = d.corners().iter().map(|p| (p.x, p.y)).collect();
    out.set_item("corners", corners)?;
    out.set_item("mirrored", d.mirrored())?;
    out.set_item("inverted", d.inverted())?;
    out.set_item(
        "structured_append",
        d.structured_append().map(|s| (s.index, s.count, s.parity)),
    )?;
    Ok(out)
}

/// Runs civiqr's work without the GIL, turning its errors into the matching
/// `civiqr` exception and a panic (a bug in civiqr) into `civiqr.CiviqrError`
/// rather than letting pyo3 raise its PanicException, which `except
/// Exception` does not catch.
fn guarded<T, E, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    E: IntoPyErr + Send,
    F: FnOnce() -> Result<T, E> + Send,
{
    match py.detach(|| catch_unwind(AssertUnwindSafe(work))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(e.into_py_err(py)),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(python_error(
                py,
                &CIVIQR_ERROR,
                "CiviqrError",
                format!("internal error in civiqr: {what}"),
            ))
        }
    }
}

/// The one place where civiqr's errors become Python exceptions: each error
/// enum has its class in `civiqr._errors`.
trait IntoPyErr {
    fn into_py_err(self, py: Python<'_>) -> PyErr;
}

impl IntoPyErr for EncodeError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        python_error(py, &ENCODE_ERROR, "EncodeError", self.to_string())
    }
}

impl IntoPyErr for RenderError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        python_error(py, &RENDER_ERROR, "RenderError", self.to_string())
    }
}

impl IntoPyErr for DecodeError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        python_error(py, &DECODE_ERROR, "DecodeError", self.to_string())
    }
}

static CIVIQR_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DECODE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ENCODE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static RENDER_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// An instance of the exception class `civiqr._errors.<class>`, cached in `cell`.
fn python_error(
    py: Python<'_>,
    cell: &PyOnceLock<Py<PyType>>,
    class: &str,
    message: String,
) -> PyErr {
    match cell.import(py, "civiqr._errors", class) {
        Ok(ty) => PyErr::from_type(ty.clone(), message),
        // The package is broken (the module imported without its Python half):
        // report that rather than the encoder's message alone.
        Err(import_error) => import_error,
    }
}

#[pymodule]
fn _civiqr(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyQrCode>()?;
    m.add_function(wrap_pyfunction!(encode, m)?)?;
    m.add_function(wrap_pyfunction!(_decode_pixels, m)?)?;
    m.add_function(wrap_pyfunction!(_decode_file_bytes, m)?)?;
    m.add("MAX_FILE_BYTES", civiqr::DEFAULT_MAX_FILE_BYTES)?;
    Ok(())
}
