//! `civiqr.audit` and friends (py_src/civiqr/_audit.py): civiqr::audit's
//! per-photo audit, duplicates, summary and writers. Photos cross as plain
//! dicts (serde values, value.rs) that `_audit.py` turns into frozen
//! dataclasses and back, so rows and files are core's, byte for byte.

use std::path::PathBuf;

use civiqr::audit::{
    self, AuditOptions, Manifest, ManifestAsset, ManifestError, PhotoAudit, Summary, Thresholds,
};
use civiqr::batch::write_atomically;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyTuple, PyType};

use crate::errors::{guarded, python_error};
use crate::grade::{options as grade_options, Patches};
use crate::sign::{date, PyTrustList};
use crate::value::{from_py, to_py};

/// A batch manifest (`manifest.csv` or `manifest.json` as `civiqr batch`
/// writes them), its assets found by exact payload.
#[pyclass(frozen, eq, name = "Manifest", module = "civiqr")]
#[derive(PartialEq)]
pub(crate) struct PyManifest {
    manifest: Manifest,
    name: String,
}

#[pymethods]
impl PyManifest {
    /// Reads a manifest file: JSON when its name ends in `.json`, else CSV.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<PyManifest> {
        read(py, path.display().to_string(), || {
            Manifest::read_file(&path)
        })
    }

    /// Reads the text of a CSV manifest; `name` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, *, name = "manifest.csv"))]
    fn from_csv(py: Python<'_>, text: &str, name: &str) -> PyResult<PyManifest> {
        read(py, name.to_string(), || Manifest::from_csv(text))
    }

    /// Reads the text of a JSON manifest; `name` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, *, name = "manifest.json"))]
    fn from_json(py: Python<'_>, text: &str, name: &str) -> PyResult<PyManifest> {
        read(py, name.to_string(), || Manifest::from_json(text))
    }

    /// The id of the asset whose payload is exactly `payload`, or None.
    fn find(&self, payload: &str) -> Option<String> {
        self.manifest.find(payload).map(|a| a.id.clone())
    }

    /// Every asset's id, in file order.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.manifest
            .assets()
            .iter()
            .map(|a| a.id.clone())
            .collect()
    }

    /// The file (or the name given) it was read from.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    fn __len__(&self) -> usize {
        self.manifest.len()
    }

    fn __repr__(&self) -> String {
        format!("Manifest({:?}, {} assets)", self.name, self.manifest.len())
    }

    /// Pickled as its assets (ids, payloads, key ids, lines).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("civiqr._civiqr")?.getattr("_manifest_restore")?;
        let args = (self.name.clone(), to_py(py, &self.manifest.assets())?);
        PyTuple::new(py, [restore, args.into_pyobject(py)?.into_any()])
    }
}

/// Reads a manifest without the GIL, under the panic guard; `name` names
/// it in errors.
fn read<F>(py: Python<'_>, name: String, parse: F) -> PyResult<PyManifest>
where
    F: FnOnce() -> Result<Manifest, ManifestError> + Send,
{
    let manifest =
        guarded(py, || Ok::<_, PyErr>(parse()))?.map_err(|e| manifest_error(py, &name, e))?;
    Ok(PyManifest { manifest, name })
}

/// Rebuilds a pickled `Manifest`.
#[pyfunction]
pub(crate) fn _manifest_restore(name: String, assets: &Bound<'_, PyAny>) -> PyResult<PyManifest> {
    let assets: Vec<ManifestAsset> = from_py(assets, "manifest assets")?;
    Ok(PyManifest {
        manifest: Manifest::from_assets(assets),
        name,
    })
}

static AUDIT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static MANIFEST_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// An OS error stays the `OSError` that `open` raises; anything else is a
/// `civiqr.ManifestError` naming the file and, when known, the line.
fn manifest_error(py: Python<'_>, file: &str, e: ManifestError) -> PyErr {
    let line = match &e {
        ManifestError::Io { path, error } if error.raw_os_error().is_some() => {
            return crate::code::os_error(error, path);
        }
        ManifestError::MissingColumn(_) => Some(1),
        ManifestError::Row { line, .. } => Some(*line).filter(|l| *l > 0),
        _ => None,
    };
    let message = match &e {
        // Already names the file.
        ManifestError::Io { .. } => e.to_string(),
        _ => format!("{file}: {e}"),
    };
    let err = python_error(py, &MANIFEST_ERROR, "ManifestError", message);
    let value = err.value(py);
    match value
        .setattr("file", file)
        .and_then(|()| value.setattr("line", line))
    {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// (ok_min_grade, replace_max_grade, watch_ec_used, replace_ec_used).
type Limits = (u8, u8, f64, f64);

fn thresholds(py: Python<'_>, limits: Limits) -> PyResult<Thresholds> {
    let (ok, replace, watch_ec, replace_ec) = limits;
    Thresholds::new(ok, replace, watch_ec, replace_ec)
        .map_err(|e| python_error(py, &AUDIT_ERROR, "AuditError", format!("thresholds: {e}")))
}

/// Checks thresholds as the audit will (`Thresholds.__post_init__`).
#[pyfunction]
pub(crate) fn _check_thresholds(py: Python<'_>, limits: Limits) -> PyResult<()> {
    thresholds(py, limits).map(|_| ())
}

/// How to audit: the keywords shared by `_audit_path` and `_audit_bytes`.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct Settings {
    today: (u16, u8, u8),
    thresholds: Limits,
    pictures: bool,
    thumbnail_px: usize,
    aperture_px: Option<f64>,
    aperture_modules: Option<f64>,
    calibration: Option<Patches>,
}

fn audit_options(py: Python<'_>, s: &Settings) -> PyResult<AuditOptions> {
    let today = date(Some(s.today))?
        .ok_or_else(|| python_error(py, &AUDIT_ERROR, "AuditError", "today: no date".into()))?;
    let grade = grade_options(py, true, s.aperture_px, s.aperture_modules, s.calibration)?;
    Ok(AuditOptions::new(today)
        .grade_options(grade)
        .thresholds(thresholds(py, s.thresholds)?)
        .pictures(s.pictures)
        .thumbnail_px(s.thumbnail_px))
}

/// The photos `civiqr audit` reads for these arguments, in its order (core's
/// rule, so the CLI and Python list the same files).
#[pyfunction]
pub(crate) fn _list_photos(py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<Vec<PathBuf>> {
    py.detach(|| audit::list_photos(&paths))
        .map_err(pyo3::exceptions::PyOSError::new_err)
}

/// Audits the photo at `path` (read here, GIL released). Never raises for
/// the photo itself: an unreadable file is a photo with `error` set.
#[pyfunction]
pub(crate) fn _audit_path<'py>(
    py: Python<'py>,
    path: PathBuf,
    manifest: &Bound<'py, PyManifest>,
    trust: Option<&Bound<'py, PyTrustList>>,
    settings: Settings,
) -> PyResult<Bound<'py, PyAny>> {
    audit_one(
        py,
        manifest,
        trust,
        &settings,
        |manifest, trust, options| audit::audit_photo(&path, manifest, trust, options),
    )
}

/// Audits a photo file held in memory; `file` names it in the rows.
#[pyfunction]
pub(crate) fn _audit_bytes<'py>(
    py: Python<'py>,
    file: &str,
    data: &Bound<'py, PyBytes>,
    manifest: &Bound<'py, PyManifest>,
    trust: Option<&Bound<'py, PyTrustList>>,
    settings: Settings,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes = data.as_bytes();
    audit_one(
        py,
        manifest,
        trust,
        &settings,
        |manifest, trust, options| audit::audit_photo_bytes(file, bytes, manifest, trust, options),
    )
}

/// One photo audited by `run` with the GIL released (a panic becomes a
/// Python error), returned as plain data.
fn audit_one<'py>(
    py: Python<'py>,
    manifest: &Bound<'py, PyManifest>,
    trust: Option<&Bound<'py, PyTrustList>>,
    settings: &Settings,
    run: impl FnOnce(&Manifest, Option<&civiqr::sign::TrustList>, &AuditOptions) -> PhotoAudit + Send,
) -> PyResult<Bound<'py, PyAny>> {
    let options = audit_options(py, settings)?;
    let (manifest, trust) = (&manifest.get().manifest, trust.map(|t| &t.get().list));
    let photo = guarded(py, || Ok::<_, PyErr>(run(manifest, trust, &options)))?;
    to_py(py, &photo)
}

/// The photos given as plain data (`_audit.py`'s `_state` of each).
fn photos_from(photos: &Bound<'_, PyAny>) -> PyResult<Vec<PhotoAudit>> {
    photos
        .try_iter()?
        .enumerate()
        .map(|(i, p)| from_py(&p?, &format!("photos[{i}]")))
        .collect()
}

/// The photos with repeated sightings marked `duplicate` (all photos at once).
#[pyfunction]
pub(crate) fn _mark_duplicates<'py>(
    py: Python<'py>,
    photos: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut photos = photos_from(photos)?;
    audit::mark_duplicates(&mut photos);
    to_py(py, &photos)
}

/// Every photo's rows, in the photos' order.
#[pyfunction]
pub(crate) fn _audit_rows<'py>(
    py: Python<'py>,
    photos: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &audit::rows(&photos_from(photos)?))
}

/// How many rows have each status.
#[pyfunction]
pub(crate) fn _audit_summary<'py>(
    py: Python<'py>,
    photos: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &Summary::of(&photos_from(photos)?))
}

/// The audit as `civiqr audit` writes it: `kind` "csv", "json" or "html".
fn render(kind: &str, photos: &[PhotoAudit], title: &str) -> PyResult<String> {
    match kind {
        "csv" => Ok(audit::audit_csv(photos)),
        "json" => Ok(audit::audit_json(photos)),
        "html" => Ok(audit::report_html(photos, title)),
        _ => Err(PyValueError::new_err(format!(
            "kind must be \"csv\", \"json\" or \"html\", not {kind:?}"
        ))),
    }
}

/// The CSV, JSON or HTML text of the audit.
#[pyfunction]
#[pyo3(signature = (photos, kind, title = ""))]
pub(crate) fn _audit_text(photos: &Bound<'_, PyAny>, kind: &str, title: &str) -> PyResult<String> {
    render(kind, &photos_from(photos)?, title)
}

/// Writes the report, CSV and JSON asked for, each atomically (as the CLI).
#[pyfunction]
#[pyo3(signature = (photos, *, title, report = None, csv = None, json = None))]
pub(crate) fn _audit_write(
    py: Python<'_>,
    photos: &Bound<'_, PyAny>,
    title: &str,
    report: Option<PathBuf>,
    csv: Option<PathBuf>,
    json: Option<PathBuf>,
) -> PyResult<()> {
    let photos = photos_from(photos)?;
    guarded(py, || {
        for (kind, path) in [("html", report), ("csv", csv), ("json", json)] {
            if let Some(path) = path {
                write_atomically(&path, render(kind, &photos, title)?.as_bytes())
                    .map_err(|e| crate::code::os_error(&e, &path))?;
            }
        }
        Ok::<(), PyErr>(())
    })
}
