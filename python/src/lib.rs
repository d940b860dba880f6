//! Python bindings (`civiqr._civiqr`): converts Python values in and civiqr's
//! results out; all the work is done by the `civiqr` crate.
//!
//! The public package is the pure-Python `civiqr` (py_src/civiqr), which
//! re-exports what is here and defines the exception classes, so that
//! `EncodeError` can derive from both `CiviqrError` and `ValueError`.
//!
//! - `code.rs`: the `QrCode` class, its matrix and renderers;
//! - `read.rs`: the reader's entry points behind `civiqr.decode`;
//! - `grade.rs`: the grader's entry points behind `civiqr.grade`;
//! - `payload.rs`: the builders and parsers behind `civiqr.payload`;
//! - `sign.rs`: signing keys, trust lists and verification behind
//!   `civiqr.sign` and `civiqr.verify`;
//! - `batch.rs`: the batch run behind `civiqr.batch`;
//! - `audit.rs`: the field audit behind `civiqr.audit`, `civiqr.Manifest`
//!   and the audit writers; `value.rs`: its data to Python and back;
//! - `errors.rs`: civiqr errors to Python exceptions, the GIL-free guard.

mod audit;
mod batch;
mod code;
mod errors;
mod grade;
mod payload;
mod read;
mod sign;
mod value;

use civiqr::{
    encode_bytes, encode_text, EcLevel, EncodeOptions, Mask, MicroVersion, RmqrVersion, Symbology,
    ValueError, Version,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use code::{PyQrCode, Source};
use errors::{guarded, python_error, IntoPyErr, ENCODE_ERROR};

/// Encodes text (str, written as UTF-8 where it is not Kanji, numeric or
/// alphanumeric) or bytes into the smallest QR Code (or Micro QR, or rMQR)
/// that holds it.
// The arguments are the Python keywords, one each.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (data, *, ec = "M", version = None, mask = None, boost_ec = false, eci_utf8 = false, kanji = true, symbol = "qr", max_height = None, max_width = None))]
fn encode(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    ec: &str,
    version: Option<&Bound<'_, PyAny>>,
    mask: Option<&Bound<'_, PyAny>>,
    boost_ec: bool,
    eci_utf8: bool,
    kanji: bool,
    symbol: &str,
    max_height: Option<u32>,
    max_width: Option<u32>,
) -> PyResult<PyQrCode> {
    let symbology = symbol.parse::<Symbology>().map_err(|e| e.into_py_err(py))?;
    let mut options = EncodeOptions::default()
        .ec_level(ec.parse::<EcLevel>().map_err(|e| e.into_py_err(py))?)
        .boost_ec(boost_ec)
        .eci_utf8(eci_utf8)
        .kanji(kanji)
        .symbology(symbology)
        .max_height(max_height)
        .max_width(max_width);
    if symbology == Symbology::Qr {
        if let Some(n) = small_int(py, version, "version")? {
            let v = u8::try_from(n)
                .map_err(|_| ValueError::Version(n))
                .and_then(Version::new);
            options = options.version(v.map_err(|e| e.into_py_err(py))?);
        }
    } else if let Some(v) = version.filter(|v| !v.is_none()) {
        // Micro QR and rMQR versions are names: "M2", "R11x77".
        let name: String = v.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "version must be a str such as \"M2\" or \"R11x77\" for {symbol}, not {}",
                v.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        options = if symbology == Symbology::MicroQr {
            options.micro_version(
                name.parse::<MicroVersion>()
                    .map_err(|e| e.into_py_err(py))?,
            )
        } else {
            options.rmqr_version(name.parse::<RmqrVersion>().map_err(|e| e.into_py_err(py))?)
        };
    }
    if let Some(n) = small_int(py, mask, "mask")? {
        let m = u8::try_from(n)
            .map_err(|_| ValueError::Mask(n))
            .and_then(Mask::new);
        options = options.mask(m.map_err(|e| e.into_py_err(py))?);
    }

    let (code, source) = if let Ok(text) = data.cast::<PyString>() {
        // to_cow: the abi3 (limited) API only borrows UTF-8 from 3.10 on.
        let text = text.to_cow()?;
        let code = guarded(py, || encode_text(&text, &options))?;
        (code, Source::Text(text.into_owned()))
    } else if let Ok(bytes) = data.cast::<PyBytes>() {
        let bytes = bytes.as_bytes();
        let code = guarded(py, || encode_bytes(bytes, &options))?;
        (code, Source::Bytes(bytes.to_vec()))
    } else {
        return Err(PyTypeError::new_err(format!(
            "data must be str or bytes, not {}",
            data.get_type().name()?
        )));
    };
    Ok(PyQrCode {
        code,
        source,
        eci_utf8,
        kanji,
    })
}

/// Rebuilds a pickled `QrCode` (see `QrCode.__reduce__`): the same data with
/// the symbology, version, EC level and mask it had gives the same symbol.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (data, ec, version, mask, eci_utf8, kanji, symbol = "qr"))]
fn _restore(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    ec: &str,
    version: &Bound<'_, PyAny>,
    mask: &Bound<'_, PyAny>,
    eci_utf8: bool,
    kanji: bool,
    symbol: &str,
) -> PyResult<PyQrCode> {
    encode(
        py,
        data,
        ec,
        Some(version),
        Some(mask),
        false,
        eci_utf8,
        kanji,
        symbol,
        None,
        None,
    )
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
    let Some(int) = code::as_int(value) else {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an int or None, not {}",
            value.get_type().name()?
        )));
    };
    match int.extract::<u32>() {
        Ok(n) => Ok(Some(n)),
        Err(_) => Err(python_error(
            py,
            &ENCODE_ERROR,
            "EncodeError",
            format!("invalid {name} {value}: out of range"),
        )),
    }
}

#[pymodule]
fn _civiqr(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyQrCode>()?;
    m.add_class::<sign::PySigningKey>()?;
    m.add_class::<sign::PyTrustList>()?;
    m.add_function(wrap_pyfunction!(sign::_sign, m)?)?;
    m.add_function(wrap_pyfunction!(sign::_verify, m)?)?;
    m.add_function(wrap_pyfunction!(sign::_load_key, m)?)?;
    m.add_function(wrap_pyfunction!(sign::_load_trust_file, m)?)?;
    m.add_function(wrap_pyfunction!(encode, m)?)?;
    m.add_function(wrap_pyfunction!(batch::_batch, m)?)?;
    m.add_class::<audit::PyManifest>()?;
    for f in [
        wrap_pyfunction!(audit::_manifest_restore, m)?,
        wrap_pyfunction!(sign::_trust_restore, m)?,
        wrap_pyfunction!(audit::_check_thresholds, m)?,
        wrap_pyfunction!(audit::_list_photos, m)?,
        wrap_pyfunction!(audit::_audit_path, m)?,
        wrap_pyfunction!(audit::_audit_bytes, m)?,
        wrap_pyfunction!(audit::_mark_duplicates, m)?,
        wrap_pyfunction!(audit::_audit_rows, m)?,
        wrap_pyfunction!(audit::_audit_summary, m)?,
        wrap_pyfunction!(audit::_audit_text, m)?,
        wrap_pyfunction!(audit::_audit_write, m)?,
    ] {
        m.add_function(f)?;
    }
    m.add_function(wrap_pyfunction!(_restore, m)?)?;
    m.add_function(wrap_pyfunction!(read::_decode_pixels, m)?)?;
    m.add_function(wrap_pyfunction!(read::_decode_file_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(read::_decode_path, m)?)?;
    m.add_function(wrap_pyfunction!(grade::_grade_pixels, m)?)?;
    m.add_function(wrap_pyfunction!(grade::_grade_file_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(grade::_grade_path, m)?)?;
    m.add_function(wrap_pyfunction!(payload::_payload_build, m)?)?;
    m.add_function(wrap_pyfunction!(payload::_payload_parse, m)?)?;
    m.add_function(wrap_pyfunction!(payload::_payload_parse_kind, m)?)?;
    m.add_function(wrap_pyfunction!(payload::_url_from_template, m)?)?;
    m.add("MAX_FILE_BYTES", civiqr::DEFAULT_MAX_FILE_BYTES)?;
    Ok(())
}
