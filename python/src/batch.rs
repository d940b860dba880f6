//! `civiqr.batch`: the keywords to a [`BatchJob`], run without the GIL; the
//! progress callback is called with it. The Python half (`_batch.py`) turns
//! rows given as mappings into a header and values, and the report into
//! dataclasses.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::path::PathBuf;

use civiqr::batch::{
    self, BatchJob, BatchOptions, BatchProgress, BatchReport, BatchRunError, Grid, Paper,
    TableOptions, TextEncoding,
};
use civiqr::{EcLevel, EncodeOptions, Version};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::{guarded, python_error};
use crate::sign::PySigningKey;

/// The table: a file's path, a file's bytes, or a header and rows of values.
#[derive(FromPyObject)]
pub(crate) enum Table {
    Records(Vec<String>, Vec<Vec<String>>),
    Bytes(Vec<u8>),
    Path(PathBuf),
}

/// Runs a batch; returns the report as a dict for `_batch.py`.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (table, out, *, name = None, formats = None, template = None, sign_key = None,
    sheet = None, grid = None, grid_margins = None, grid_gutter = None, ec = None,
    max_version = None, quiet_zone = 4, scale = None, dpi = None, size_mm = None,
    reading_distance = None, verify = true, grade = false, jobs = None, delimiter = None, encoding = "auto",
    sheet_name = None, progress = None))]
pub(crate) fn _batch(
    py: Python<'_>,
    table: Table,
    out: PathBuf,
    name: Option<String>,
    formats: Option<Vec<String>>,
    template: Option<String>,
    sign_key: Option<PyRef<'_, PySigningKey>>,
    sheet: Option<&str>,
    grid: Option<&str>,
    grid_margins: Option<(f64, f64)>,
    grid_gutter: Option<(f64, f64)>,
    ec: Option<&str>,
    max_version: Option<u8>,
    quiet_zone: u32,
    scale: Option<u32>,
    dpi: Option<u32>,
    size_mm: Option<f64>,
    reading_distance: Option<&Bound<'_, PyAny>>,
    verify: bool,
    grade: bool,
    jobs: Option<usize>,
    delimiter: Option<&str>,
    encoding: &str,
    sheet_name: Option<String>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyDict>> {
    let bad = |what: &str, e: &dyn std::fmt::Display| PyValueError::new_err(format!("{what}: {e}"));
    let mut encode = EncodeOptions::default();
    if let Some(ec) = ec {
        encode = encode.ec_level(ec.parse::<EcLevel>().map_err(|e| bad("ec", &e))?);
    }
    if let Some(v) = max_version {
        encode = encode.max_version(Version::new(v).map_err(|e| bad("max_version", &e))?);
    }
    let formats = formats
        .unwrap_or_default()
        .iter()
        .map(|f| batch::parse_format(f).map_err(|e| bad("formats", &e)))
        .collect::<PyResult<Vec<_>>>()?;
    let paper = sheet
        .map(|s| s.parse::<Paper>().map_err(|e| bad("sheet", &e)))
        .transpose()?;
    let grid = grid
        .map(|g| g.parse::<Grid>().map_err(|e| bad("grid", &e)))
        .transpose()?
        .map(|g| {
            let g = grid_margins.map_or(g, |(top, side)| g.margins(top, side));
            grid_gutter.map_or(g, |(x, y)| g.gutter(x, y))
        });
    if grid.is_some() && paper.is_none() {
        return Err(PyValueError::new_err(
            "grid: needs sheet (a4, a3 or letter)",
        ));
    }
    let distance = match reading_distance {
        None => None,
        Some(d) => Some(
            match d.extract::<f64>() {
                Ok(m) => batch::parse_distance(&m.to_string()),
                Err(_) => batch::parse_distance(&d.extract::<String>()?),
            }
            .map_err(|e| bad("reading_distance", &e))?,
        ),
    };
    let delimiter = match delimiter {
        None => None,
        Some("tab" | "\t") => Some(b'\t'),
        Some(d) => match d.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Some(*b),
            _ => {
                return Err(PyValueError::new_err(format!(
                    "delimiter: {d:?} is not one ASCII character"
                )))
            }
        },
    };
    let encoding = encoding
        .parse::<TextEncoding>()
        .map_err(|e| bad("encoding", &e))?;
    let job = BatchJob::new(out)
        .formats(&formats)
        .rows(
            BatchOptions::default()
                .template(template)
                .encode(encode)
                .sign_key(sign_key.map(|k| k.key.clone())),
        )
        .table(
            TableOptions::default()
                .delimiter(delimiter)
                .encoding(encoding)
                .sheet_name(sheet_name),
        )
        .quiet_zone(quiet_zone)
        .scale(scale)
        .dpi(dpi)
        .size_mm(size_mm)
        .reading_distance(distance)
        .sheet(paper, grid)
        .verify(verify)
        .grade(grade)
        .jobs(jobs);
    let (result, raised) = run(py, &job, &table, name.as_deref(), progress.as_ref())?;
    if let Some(e) = raised {
        return Err(e);
    }
    match result {
        Ok(report) => report_dict(py, &report),
        Err(e) => Err(run_error(py, &e)),
    }
}

type Outcome = (Result<BatchReport, BatchRunError>, Option<PyErr>);

/// Runs the job without the GIL. After each row the GIL is taken back to
/// call `progress(done, total, failed)` and to see Ctrl-C; an exception
/// there stops the run (rows under way finish) and is returned to re-raise.
fn run(
    py: Python<'_>,
    job: &BatchJob,
    table: &Table,
    name: Option<&str>,
    progress: Option<&Py<PyAny>>,
) -> PyResult<Outcome> {
    guarded(py, || {
        let raised: RefCell<Option<PyErr>> = RefCell::new(None);
        let mut callback = |p: &BatchProgress| {
            let r = Python::attach(|py| {
                py.check_signals()?;
                if let Some(f) = progress {
                    f.call1(py, (p.done, p.total, p.failed))?;
                }
                Ok::<(), PyErr>(())
            });
            match r {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    *raised.borrow_mut() = Some(e);
                    ControlFlow::Break(())
                }
            }
        };
        let result = match table {
            Table::Path(path) => job.run_file(path, &mut callback),
            Table::Bytes(bytes) => job.run_table(bytes, name.unwrap_or("table"), &mut callback),
            Table::Records(header, rows) => job.run_records(header, rows, &mut callback),
        };
        Ok::<Outcome, PyErr>((result, raised.into_inner()))
    })
}

/// A whole-run error as the exception `open` or civiqr would raise.
fn run_error(py: Python<'_>, e: &BatchRunError) -> PyErr {
    match e {
        BatchRunError::Input { source, error } if error.raw_os_error().is_some() => {
            crate::code::os_error(error, std::path::Path::new(source))
        }
        BatchRunError::CreateDir { dir, error } if error.raw_os_error().is_some() => {
            crate::code::os_error(error, dir)
        }
        _ => python_error(py, &BATCH_ERROR, "BatchError", e.to_string()),
    }
}

static BATCH_ERROR: pyo3::sync::PyOnceLock<Py<pyo3::types::PyType>> = pyo3::sync::PyOnceLock::new();

/// The report as plain values: `_batch.py` makes the dataclasses.
fn report_dict(py: Python<'_>, r: &BatchReport) -> PyResult<Py<PyDict>> {
    let d = PyDict::new(py);
    d.set_item("rows_done", r.assets())?;
    d.set_item("files_written", PyList::new(py, &r.files_written)?)?;
    d.set_item("unchanged", r.unchanged)?;
    d.set_item("read_as", r.info.as_ref().map(|i| i.to_string()))?;
    let errors = PyList::empty(py);
    for e in &r.row_errors {
        let row = PyDict::new(py);
        row.set_item("file", e.file.as_deref())?;
        row.set_item("sheet", e.sheet.as_deref())?;
        row.set_item("line", e.line)?;
        row.set_item("column", e.column())?;
        row.set_item("problem", e.problem.to_string())?;
        row.set_item("message", e.to_string())?;
        errors.append(row)?;
    }
    d.set_item("row_errors", errors)?;
    let warnings: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
    d.set_item("warnings", warnings)?;
    d.set_item("output_errors", r.output_errors.clone())?;
    Ok(d.unbind())
}
