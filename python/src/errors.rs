//! The one place where civiqr's errors become Python exceptions, and the
//! guard that runs civiqr's work without the GIL and keeps panics from
//! reaching Python as pyo3's `PanicException`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use civiqr::payload::PayloadError;
use civiqr::sign::{SignError, TrustError};
use civiqr::{DecodeError, EncodeError, RenderError, ValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// Runs civiqr's work without the GIL, turning its errors into the matching
/// `civiqr` exception and a panic (a bug in civiqr) into `civiqr.CiviqrError`
/// rather than letting pyo3 raise its PanicException, which `except
/// Exception` does not catch.
pub(crate) fn guarded<T, E, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    E: IntoPyErr + Send,
    F: FnOnce() -> Result<T, E> + Send,
{
    match py.detach(|| catch_unwind(AssertUnwindSafe(work))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(e.into_py_err(py)),
        Err(payload) => Err(panic_error(py, payload.as_ref())),
    }
}

fn panic_error(py: Python<'_>, payload: &(dyn std::any::Any + Send)) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    python_error(
        py,
        &CIVIQR_ERROR,
        "CiviqrError",
        format!("internal error in civiqr: {what}"),
    )
}

/// A civiqr error that has a class in `civiqr._errors`.
pub(crate) trait IntoPyErr {
    fn into_py_err(self, py: Python<'_>) -> PyErr;
}

impl IntoPyErr for EncodeError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        python_error(py, &ENCODE_ERROR, "EncodeError", self.to_string())
    }
}

/// A value outside the standards (version, mask, EC level, symbology name)
/// is an argument of `encode`, so it is an `EncodeError`.
impl IntoPyErr for ValueError {
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

impl IntoPyErr for PayloadError {
    /// A `PayloadError` whose `field` attribute names the field at fault
    /// (or is None).
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let err = python_error(py, &PAYLOAD_ERROR, "PayloadError", self.to_string());
        if let Err(e) = err.value(py).setattr("field", self.field()) {
            return e;
        }
        err
    }
}

impl IntoPyErr for SignError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        python_error(py, &SIGN_ERROR, "SignError", self.to_string())
    }
}

impl IntoPyErr for TrustError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        python_error(py, &TRUST_ERROR, "TrustError", self.to_string())
    }
}

/// Errors that are already Python exceptions (from pyo3 conversions) pass
/// through [`guarded`] unchanged.
impl IntoPyErr for PyErr {
    fn into_py_err(self, _py: Python<'_>) -> PyErr {
        self
    }
}

pub(crate) static CIVIQR_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
pub(crate) static DECODE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
pub(crate) static ENCODE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
pub(crate) static RENDER_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
pub(crate) static PAYLOAD_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
pub(crate) static SIGN_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
pub(crate) static TRUST_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// An instance of the exception class `civiqr._errors.<class>`, cached in `cell`.
pub(crate) fn python_error(
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
