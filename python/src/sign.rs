//! Signed codes for `civiqr.sign` / `civiqr.verify`: the `SigningKey` and
//! `TrustList` classes wrap `civiqr::sign`'s types; every rule lives there.

use std::path::PathBuf;

use civiqr::sign::{Date, FileError, KeyPermissions, SigningKey, TrustList};
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString, PyTuple, PyType};

use crate::errors::{guarded, python_error, IntoPyErr, SIGN_ERROR, TRUST_ERROR};

/// An issuer's private Ed25519 signing key, with its name and key id.
#[pyclass(frozen, name = "SigningKey", module = "civiqr")]
pub(crate) struct PySigningKey {
    pub(crate) key: SigningKey,
}

#[pymethods]
impl PySigningKey {
    /// A new key from the operating system's random source (os.urandom).
    #[staticmethod]
    fn generate(py: Python<'_>, issuer: &str) -> PyResult<PySigningKey> {
        let random = py.import("os")?.call_method1("urandom", (32,))?;
        let bytes: Vec<u8> = random.extract()?;
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| PyTypeError::new_err("os.urandom(32) did not give 32 bytes"))?;
        let key = SigningKey::from_seed(seed, issuer).map_err(|e| e.into_py_err(py))?;
        Ok(PySigningKey { key })
    }

    /// The key from a 32-byte Ed25519 seed.
    #[staticmethod]
    fn from_seed(py: Python<'_>, seed: &[u8], issuer: &str) -> PyResult<PySigningKey> {
        let seed: [u8; 32] = seed.try_into().map_err(|_| {
            civiqr::sign::SignError::KeyFile {
                line: 0,
                reason: format!("a seed is 32 bytes, not {}", seed.len()),
            }
            .into_py_err(py)
        })?;
        let key = SigningKey::from_seed(seed, issuer).map_err(|e| e.into_py_err(py))?;
        Ok(PySigningKey { key })
    }

    /// Reads the text of a key file (as `civiqr keygen` writes it).
    #[staticmethod]
    fn from_key_file(py: Python<'_>, text: &str) -> PyResult<PySigningKey> {
        let key = SigningKey::from_key_file(text).map_err(|e| e.into_py_err(py))?;
        Ok(PySigningKey { key })
    }

    /// The key file text; keep it readable by its owner only.
    fn to_key_file(&self) -> String {
        self.key.to_key_file()
    }

    #[getter]
    fn key_id(&self) -> &str {
        self.key.key_id()
    }

    #[getter]
    fn issuer(&self) -> &str {
        self.key.issuer()
    }

    #[getter]
    fn public_key<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key.public_key())
    }

    fn __repr__(&self) -> String {
        format!(
            "SigningKey(key_id={:?}, issuer={:?})",
            self.key.key_id(),
            self.key.issuer()
        )
    }
}

/// The public keys a verifier trusts.
#[pyclass(frozen, name = "TrustList", module = "civiqr")]
pub(crate) struct PyTrustList {
    pub(crate) list: TrustList,
}

#[pymethods]
impl PyTrustList {
    /// An empty list.
    #[new]
    fn new() -> PyTrustList {
        PyTrustList {
            list: TrustList::new(),
        }
    }

    /// Reads the text of a trust file.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<PyTrustList> {
        let list = TrustList::from_json(text).map_err(|e| e.into_py_err(py))?;
        Ok(PyTrustList { list })
    }

    /// This list with `key`'s public key added, valid between two
    /// `datetime.date`s (inclusive; None: no limit).
    #[pyo3(signature = (key, *, not_before = None, not_after = None))]
    fn with_key(
        &self,
        py: Python<'_>,
        key: &PySigningKey,
        not_before: Option<&Bound<'_, PyAny>>,
        not_after: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyTrustList> {
        let entry = key
            .key
            .trust_entry()
            .not_before(date(py_date(not_before)?)?)
            .not_after(date(py_date(not_after)?)?);
        let mut list = self.list.clone();
        list.insert(entry).map_err(|e| e.into_py_err(py))?;
        Ok(PyTrustList { list })
    }

    /// A new list holding the keys of both.
    fn merged(&self, py: Python<'_>, other: &PyTrustList) -> PyResult<PyTrustList> {
        let mut list = self.list.clone();
        list.merge(&other.list).map_err(|e| e.into_py_err(py))?;
        Ok(PyTrustList { list })
    }

    /// The trust file text.
    fn to_json(&self) -> String {
        self.list.to_json()
    }

    #[getter]
    fn key_ids(&self) -> Vec<String> {
        self.list
            .entries()
            .iter()
            .map(|e| e.key_id().to_string())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.list.len()
    }

    /// Pickled as its trust file text (so Dask and multiprocessing can ship it).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("civiqr._civiqr")?.getattr("_trust_restore")?;
        let args = (self.list.to_json(),).into_pyobject(py)?.into_any();
        PyTuple::new(py, [restore, args])
    }
}

/// Rebuilds a pickled `TrustList`.
#[pyfunction]
pub(crate) fn _trust_restore(py: Python<'_>, text: &str) -> PyResult<PyTrustList> {
    PyTrustList::from_json(py, text)
}

/// A `datetime.date` (anything with year, month and day) as a tuple.
fn py_date(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<(u16, u8, u8)>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let part = |name: &str| v.getattr(name);
    let (Ok(y), Ok(m), Ok(d)) = (part("year"), part("month"), part("day")) else {
        return Err(PyTypeError::new_err(format!(
            "dates must be datetime.date, not {}",
            v.get_type().name()?
        )));
    };
    Ok(Some((y.extract()?, m.extract()?, d.extract()?)))
}

/// (year, month, day) to a date; one that does not exist is a ValueError
/// (the Python side passes `datetime.date` fields, which always exist).
pub(crate) fn date(ymd: Option<(u16, u8, u8)>) -> PyResult<Option<Date>> {
    ymd.map(|(y, m, d)| {
        Date::new(y, m, d)
            .ok_or_else(|| PyValueError::new_err(format!("{y:04}-{m:02}-{d:02} is not a date")))
    })
    .transpose()
}

/// The signed text: `content` followed by the signature tag.
#[pyfunction]
pub(crate) fn _sign(py: Python<'_>, content: &str, key: &PySigningKey) -> PyResult<String> {
    guarded(py, || key.key.sign(content))
}

/// What `_verify` returns: (status, issuer, key_id, content_len, summary).
type Verdict = (String, Option<String>, Option<String>, usize, String);

/// The verdict on `data` (str or bytes) against `trust` on day
/// (year, month, day).
#[pyfunction]
pub(crate) fn _verify(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    trust: &PyTrustList,
    today: (u16, u8, u8),
) -> PyResult<Verdict> {
    let bytes: Vec<u8> = if let Ok(text) = data.cast::<PyString>() {
        text.to_cow()?.as_bytes().to_vec()
    } else if let Ok(bytes) = data.cast::<PyBytes>() {
        bytes.as_bytes().to_vec()
    } else {
        return Err(PyTypeError::new_err(format!(
            "data must be str, bytes or civiqr.Decoded, not {}",
            data.get_type().name()?
        )));
    };
    let today = date(Some(today))?.unwrap_or(Date::from_unix_seconds(0));
    guarded(py, || {
        let v = trust.list.verify(&bytes, today);
        Ok::<_, PyErr>((
            v.status().name().to_string(),
            v.issuer().map(str::to_string),
            v.key_id().map(str::to_string),
            v.content_len(),
            v.summary(),
        ))
    })
}

/// Reads a key file (bounded; refused when others can read it unless
/// `insecure_permissions`).
#[pyfunction]
pub(crate) fn _load_key(
    py: Python<'_>,
    path: PathBuf,
    insecure_permissions: bool,
) -> PyResult<PySigningKey> {
    let permissions = if insecure_permissions {
        KeyPermissions::Any
    } else {
        KeyPermissions::OwnerOnly
    };
    let key = py
        .detach(|| SigningKey::read_file(&path, permissions))
        .map_err(|e| file_error(py, e, (&SIGN_ERROR, "SignError")))?;
    Ok(PySigningKey { key })
}

/// Reads one trust file (bounded).
#[pyfunction]
pub(crate) fn _load_trust_file(py: Python<'_>, path: PathBuf) -> PyResult<PyTrustList> {
    let list = py
        .detach(|| TrustList::read_file(&path))
        .map_err(|e| file_error(py, e, (&TRUST_ERROR, "TrustError")))?;
    Ok(PyTrustList { list })
}

/// An OS error stays the `OSError` that `open` raises (FileNotFoundError,
/// PermissionError, ... with errno and filename); a file over its limit, a
/// key others can read and bad contents are `SignError` or `TrustError`
/// (`class`, the loader's own, for a file over its limit or not UTF-8).
fn file_error(py: Python<'_>, e: FileError, class: (&PyOnceLock<Py<PyType>>, &str)) -> PyErr {
    let message = e.to_string();
    match e {
        FileError::Read { path, source } => match source.raw_os_error() {
            Some(errno) => {
                let strerror = std::io::Error::from_raw_os_error(errno).kind().to_string();
                PyOSError::new_err((errno, strerror, path.to_string_lossy().into_owned()))
            }
            None => python_error(py, class.0, class.1, message),
        },
        FileError::Trust { .. } => python_error(py, &TRUST_ERROR, "TrustError", message),
        _ => python_error(py, &SIGN_ERROR, "SignError", message),
    }
}
