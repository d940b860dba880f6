//! `civiqr.QrCode`: an encoded symbol with its module matrix and renderers
//! (SVG, PNG, PDF, EPS, text), plus the render options read from keywords.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use civiqr::render::{self, Color, Format, RenderOptions};
use civiqr::{RenderError, SegmentInfo};
use pyo3::exceptions::{PyImportError, PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyString, PyTuple};

use crate::errors::{guarded, IntoPyErr};

/// What was encoded, kept so that a pickled symbol can be rebuilt exactly.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    Text(String),
    Bytes(Vec<u8>),
}

/// An encoded QR Code symbol.
#[pyclass(frozen, name = "QrCode", module = "civiqr")]
pub(crate) struct PyQrCode {
    pub(crate) code: civiqr::QrCode,
    pub(crate) source: Source,
    /// The options that change the bit stream beyond version, EC level and
    /// mask (which the symbol itself records): ECI 26 and Kanji mode.
    pub(crate) eci_utf8: bool,
    pub(crate) kanji: bool,
}

/// A QR version as an int, Micro QR and rMQR versions as their names.
fn version_object(py: Python<'_>, v: civiqr::SymbolVersion) -> PyResult<Bound<'_, PyAny>> {
    Ok(match v {
        civiqr::SymbolVersion::Qr(v) => v.number().into_pyobject(py)?.into_any(),
        other => other.to_string().into_pyobject(py)?.into_any(),
    })
}

#[pymethods]
impl PyQrCode {
    /// Side length in modules, without the quiet zone.
    #[getter]
    fn size(&self) -> usize {
        self.code.size()
    }

    /// Version number: QR Code 1-40, Micro QR 1-4, rMQR 1-32 (the order of
    /// ISO/IEC 23941's sizes); `version_name` gives the name.
    #[getter]
    fn version(&self) -> u8 {
        self.code.symbol_version().number()
    }

    /// The version of any symbology: "7", "M3", "R13x77".
    #[getter]
    fn version_name(&self) -> String {
        self.code.symbol_version().to_string()
    }

    /// "qr", "micro" or "rmqr".
    #[getter]
    fn symbology(&self) -> &'static str {
        self.code.symbology().id()
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

    /// The data stream's segments in order, as (mode, count) pairs: mode
    /// "numeric", "alphanumeric", "byte" or "kanji" with its character
    /// count, or "eci" with the ECI designator number.
    #[getter]
    fn segments(&self) -> Vec<(&'static str, u64)> {
        self.code
            .segments()
            .iter()
            .filter_map(|s| match s {
                SegmentInfo::Data { mode, chars } => Some((mode.name(), *chars as u64)),
                SegmentInfo::Eci(n) => Some(("eci", u64::from(*n))),
                // A kind added later: left out rather than guessed at.
                _ => None,
            })
            .collect()
    }

    /// The modules, True for dark, indexed `matrix[y][x]` (or `matrix[y, x]`),
    /// without the quiet zone: a new writable `numpy.ndarray` of dtype bool
    /// and shape (size, size) when numpy is installed, else a list of rows
    /// of bools.
    #[getter]
    fn matrix<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Ok(numpy) = py.import("numpy") else {
            return Ok(self.code.to_rows().into_pyobject(py)?.into_any());
        };
        let (w, h) = (self.code.width(), self.code.height());
        let mut cells = Vec::with_capacity(w * h);
        for y in 0..h {
            cells.extend((0..w).map(|x| u8::from(self.code.get(x, y))));
        }
        // A bytearray so that the array is writable; bool and uint8 share
        // the byte layout (0 or 1).
        let buffer = PyByteArray::new(py, &cells);
        let kwargs = PyDict::new(py);
        kwargs.set_item("dtype", numpy.getattr("bool_")?)?;
        numpy
            .call_method("frombuffer", (buffer,), Some(&kwargs))?
            .call_method1("reshape", ((h, w),))
    }

    /// The symbol as a standalone SVG document; written to `target` (a path
    /// or a binary file object, as UTF-8) instead when one is given.
    #[pyo3(signature = (target = None, **render_opts))]
    fn to_svg(
        &self,
        py: Python<'_>,
        target: Option<&Bound<'_, PyAny>>,
        render_opts: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Option<String>> {
        self.text_result(py, Format::Svg, target, render_opts)
    }

    /// The symbol as a PNG image (grey or palette, 8 px per module by
    /// default); written to `target` (a path or a binary file object) instead
    /// when one is given.
    #[pyo3(signature = (target = None, **render_opts))]
    fn to_png<'py>(
        &self,
        py: Python<'py>,
        target: Option<&Bound<'py, PyAny>>,
        render_opts: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        self.bytes_result(py, Format::Png, target, render_opts)
    }

    /// The symbol as a one-page PDF document; written to `target` instead
    /// when one is given.
    #[pyo3(signature = (target = None, **render_opts))]
    fn to_pdf<'py>(
        &self,
        py: Python<'py>,
        target: Option<&Bound<'py, PyAny>>,
        render_opts: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        self.bytes_result(py, Format::Pdf, target, render_opts)
    }

    /// The symbol as Encapsulated PostScript; written to `target` instead
    /// when one is given.
    #[pyo3(signature = (target = None, **render_opts))]
    fn to_eps(
        &self,
        py: Python<'_>,
        target: Option<&Bound<'_, PyAny>>,
        render_opts: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Option<String>> {
        self.text_result(py, Format::Eps, target, render_opts)
    }

    /// The symbol as plain text: one line per module row, `#` dark, `.`
    /// light; written to `target` instead when one is given.
    #[pyo3(signature = (target = None, **render_opts))]
    fn to_text(
        &self,
        py: Python<'_>,
        target: Option<&Bound<'_, PyAny>>,
        render_opts: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Option<String>> {
        self.text_result(py, Format::Txt, target, render_opts)
    }

    /// Writes the symbol to `target`, a path or a binary file object, in the
    /// format `format` names, else the one the path's extension (or the file
    /// object's `name`) names: .svg, .png, .pdf, .eps, .txt.
    #[pyo3(signature = (target, *, format = None, **render_opts))]
    fn save(
        &self,
        py: Python<'_>,
        target: &Bound<'_, PyAny>,
        format: Option<&str>,
        render_opts: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let target = Target::from_py(target)?;
        let format = match format {
            Some(name) => name.parse::<Format>().map_err(|e| e.into_py_err(py))?,
            None => target.format(py)?,
        };
        let options = render_options(render_opts)?;
        let code = &self.code;
        let bytes = guarded(py, || render::render(code, format, &options))?;
        target.write(py, &bytes)
    }

    /// The symbol as a `PIL.Image.Image` (mode "L", or "LA"/"RGBA"/"P" for
    /// colours and transparency), drawn with the same options as `to_png`.
    /// Needs Pillow.
    #[pyo3(signature = (**render_opts))]
    fn to_pil<'py>(
        &self,
        py: Python<'py>,
        render_opts: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let image = py.import("PIL.Image").map_err(|e| {
            PyImportError::new_err(format!(
                "QrCode.to_pil needs Pillow (pip install pillow): {e}"
            ))
        })?;
        let png = self.render_bytes(py, Format::Png, render_opts)?;
        let stream = py.import("io")?.getattr("BytesIO")?.call1((png,))?;
        let pil = image.call_method1("open", (stream,))?;
        pil.call_method0("load")?;
        Ok(pil)
    }

    /// Jupyter and IPython display the symbol as SVG.
    fn _repr_svg_(&self, py: Python<'_>) -> PyResult<String> {
        let code = &self.code;
        guarded(py, || render::svg(code, &RenderOptions::default()))
    }

    fn __repr__(&self) -> String {
        let data = match &self.source {
            Source::Text(t) => {
                let mut shown: String = t.chars().take(40).collect();
                if shown.len() < t.len() {
                    shown.push('…');
                }
                format!("{shown:?}")
            }
            Source::Bytes(b) => format!("<{} bytes>", b.len()),
        };
        format!(
            "QrCode(version={}, ec='{}', mask={}, size={}, data={data})",
            match self.code.symbol_version() {
                civiqr::SymbolVersion::Qr(v) => v.to_string(),
                other => format!("'{other}'"),
            },
            self.code.ec_level(),
            self.code.mask(),
            self.code.size()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyQrCode>()
            .is_ok_and(|o| o.get().code == self.code)
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (
            self.code.symbol_version(),
            self.code.ec_level(),
            self.code.mask(),
        )
            .hash(&mut h);
        self.code.to_rows().hash(&mut h);
        h.finish()
    }

    /// Pickled as the data and the options that rebuild the same symbol.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("civiqr._civiqr")?.getattr("_restore")?;
        let data = match &self.source {
            Source::Text(t) => PyString::new(py, t).into_any(),
            Source::Bytes(b) => PyBytes::new(py, b).into_any(),
        };
        // rMQR has one mask, which cannot be asked for.
        let mask = match self.code.symbology() {
            civiqr::Symbology::Rmqr => py.None().into_bound(py),
            _ => self.code.mask().number().into_pyobject(py)?.into_any(),
        };
        let args = (
            data,
            self.code.ec_level().to_string(),
            version_object(py, self.code.symbol_version())?,
            mask,
            self.eci_utf8,
            self.kanji,
            self.code.symbology().id(),
        );
        PyTuple::new(py, [restore, args.into_pyobject(py)?.into_any()])
    }
}

impl PyQrCode {
    /// `to_png` and `to_pdf`: the bytes, or None once written to `target`.
    fn bytes_result<'py>(
        &self,
        py: Python<'py>,
        format: Format,
        target: Option<&Bound<'py, PyAny>>,
        render_opts: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let Some(target) = target.map(Target::from_py).transpose()? else {
            return self.render_bytes(py, format, render_opts).map(Some);
        };
        let options = render_options(render_opts)?;
        let code = &self.code;
        let bytes = guarded(py, || render::render(code, format, &options))?;
        target.write(py, &bytes).map(|()| None)
    }

    /// The text of `to_svg`, `to_eps` and `to_text`, or None once written
    /// (as UTF-8) to `target`.
    fn text_result(
        &self,
        py: Python<'_>,
        format: Format,
        target: Option<&Bound<'_, PyAny>>,
        render_opts: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Option<String>> {
        let target = target.map(Target::from_py).transpose()?;
        let options = render_options(render_opts)?;
        let code = &self.code;
        let bytes = guarded(py, || render::render(code, format, &options))?;
        match target {
            // The SVG, EPS and text renderers write UTF-8 (ASCII in practice).
            None => Ok(Some(String::from_utf8(bytes).unwrap_or_else(|e| {
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }))),
            Some(target) => target.write(py, &bytes).map(|()| None),
        }
    }

    fn render_bytes<'py>(
        &self,
        py: Python<'py>,
        format: Format,
        render_opts: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let options = render_options(render_opts)?;
        let code = &self.code;
        let bytes = guarded(py, || render::render(code, format, &options))?;
        Ok(PyBytes::new(py, &bytes))
    }
}

/// Where `save` and the `to_*` methods write: a path (`str` or
/// `os.PathLike`) or a binary file object (anything with a `write` method
/// that takes bytes: an `open(..., "wb")` file, `io.BytesIO`, a socket file).
enum Target<'py> {
    Path(PathBuf),
    File(Bound<'py, PyAny>),
}

impl<'py> Target<'py> {
    fn from_py(value: &Bound<'py, PyAny>) -> PyResult<Self> {
        if value.hasattr("write")? {
            let text_io = value.py().import("io")?.getattr("TextIOBase")?;
            if value.is_instance(&text_io)? {
                return Err(PyTypeError::new_err(
                    "civiqr writes bytes: open the file in binary mode (\"wb\"), \
                     or use sys.stdout.buffer rather than sys.stdout",
                ));
            }
            return Ok(Target::File(value.clone()));
        }
        value.extract::<PathBuf>().map(Target::Path).map_err(|_| {
            PyTypeError::new_err(format!(
                "expected a path (str or os.PathLike) or a binary file object, not {}",
                type_name(value)
            ))
        })
    }

    /// The format named by the path's extension, or by a file object's
    /// `name` (files from `open` have one; `io.BytesIO` has none).
    fn format(&self, py: Python<'_>) -> PyResult<Format> {
        let path = match self {
            Target::Path(path) => path.clone(),
            Target::File(file) => match file.getattr("name").ok().and_then(|n| n.extract::<PathBuf>().ok()) {
                Some(name) => name,
                None => {
                    return Err(RenderError::InvalidOption {
                        option: "format",
                        reason: "a file object without a name needs format= (\"svg\", \"png\", \"pdf\", \"eps\", \"txt\")".into(),
                    }
                    .into_py_err(py))
                }
            },
        };
        format_of(&path).map_err(|e| e.into_py_err(py))
    }

    fn write(&self, py: Python<'_>, bytes: &[u8]) -> PyResult<()> {
        match self {
            Target::Path(path) => py
                .detach(|| std::fs::write(path, bytes))
                .map_err(|e| os_error(&e, path)),
            Target::File(file) => {
                let mut rest = bytes;
                while !rest.is_empty() {
                    let written = file.call_method1("write", (PyBytes::new(py, rest),))?;
                    // Buffered files and BytesIO take everything and return its
                    // length; raw files may take less. None: a writer that does
                    // not count, taken as having written everything.
                    let n = if written.is_none() {
                        rest.len()
                    } else {
                        written.extract::<usize>()?
                    };
                    if n == 0 {
                        return Err(PyOSError::new_err("the file object wrote 0 bytes"));
                    }
                    rest = &rest[n.min(rest.len())..];
                }
                Ok(())
            }
        }
    }
}

/// An OSError as `open` raises it: OSError(errno, strerror, filename) picks
/// the subclass (FileNotFoundError, PermissionError, ...) from errno.
pub(crate) fn os_error(e: &std::io::Error, path: &std::path::Path) -> PyErr {
    let shown = path.display().to_string();
    match e.raw_os_error() {
        Some(errno) => {
            let message = e.to_string();
            // Python adds "[Errno N]" itself; drop Rust's " (os error N)".
            let message = match message.rfind(" (os error ") {
                Some(at) => message[..at].to_string(),
                None => message,
            };
            PyOSError::new_err((errno, message, shown))
        }
        None => PyOSError::new_err(format!("cannot write {shown}: {e}")),
    }
}

/// The format a path's extension names.
fn format_of(path: &std::path::Path) -> Result<Format, RenderError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    Format::from_extension(ext).ok_or_else(|| {
        // Reuse the format parser's error, which lists the formats.
        match ext.parse::<Format>() {
            Err(e) => e,
            // An extension the parser knows but `from_extension` does not
            // (`unicode`): no file format of its own.
            Ok(_) => RenderError::InvalidOption {
                option: "format",
                reason: format!("{ext:?} is not a file extension: use format=\"unicode\""),
            },
        }
    })
}

/// The render keywords every renderer takes, checked for type here and for
/// range by civiqr when it renders.
const RENDER_KEYWORDS: &str = "quiet_zone, scale, dark, light, size_mm, dpi, allow_low_contrast";

fn render_options(opts: Option<&Bound<'_, PyDict>>) -> PyResult<RenderOptions> {
    let mut options = RenderOptions::default();
    let Some(opts) = opts else {
        return Ok(options);
    };
    for (key, value) in opts.iter() {
        let key: String = key.extract()?;
        options = match key.as_str() {
            "quiet_zone" => options.quiet_zone(render_u32(&value, "quiet_zone")?),
            "scale" => options.scale(render_u32(&value, "scale")?),
            "dpi" => options.dpi(render_u32(&value, "dpi")?),
            "dark" => options.dark(color(&value, "dark")?),
            "light" => options.light(color(&value, "light")?),
            "allow_low_contrast" => options.allow_low_contrast(flag(&value, "allow_low_contrast")?),
            "size_mm" => options.size_mm(if value.is_none() {
                None
            } else {
                Some(number(&value, "size_mm")?)
            }),
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "unexpected render option {key:?}: expected {RENDER_KEYWORDS}"
                )))
            }
        };
    }
    Ok(options)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// `value` as a Python int when it is one or has `__index__` (numpy
/// integers), but not a bool, whose use as a number is almost always an
/// argument in the wrong place.
pub(crate) fn as_int<'py>(value: &Bound<'py, PyAny>) -> Option<Bound<'py, PyInt>> {
    // numpy's bool scalar is `numpy.bool` (`numpy.bool_` before numpy 2);
    // older numpy versions still give it `__index__`.
    let numpy_bool = value
        .get_type()
        .name()
        .is_ok_and(|n| n == "bool" || n == "bool_");
    if value.is_instance_of::<PyBool>() || numpy_bool {
        return None;
    }
    if let Ok(int) = value.cast::<PyInt>() {
        return Some(int.clone());
    }
    let index = value.call_method0("__index__").ok()?;
    index.cast_into::<PyInt>().ok()
}

/// A non-negative integer option; bools and non-ints are TypeErrors, values
/// outside u32 a RenderError.
fn render_u32(value: &Bound<'_, PyAny>, name: &'static str) -> PyResult<u32> {
    let Some(int) = as_int(value) else {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an int, not {}",
            type_name(value)
        )));
    };
    int.extract::<u32>().map_err(|_| {
        RenderError::InvalidOption {
            option: name,
            reason: format!("{value} is out of range"),
        }
        .into_py_err(value.py())
    })
}

/// An int, float or anything else with `__float__` (numpy floats, Decimal),
/// but not a bool.
fn number(value: &Bound<'_, PyAny>, name: &str) -> PyResult<f64> {
    let numeric = value.is_instance_of::<PyInt>()
        || value.is_instance_of::<PyFloat>()
        || value.hasattr("__float__").unwrap_or(false);
    if value.is_instance_of::<PyBool>() || !numeric {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a number or None, not {}",
            type_name(value)
        )));
    }
    // Through float(): Decimal and numpy floats have no direct f64 extraction.
    value
        .py()
        .get_type::<PyFloat>()
        .call1((value,))?
        .extract::<f64>()
}

/// A colour: a CSS-style string ("black", "#1a2b3c", "#1a2b3c80",
/// "transparent") or an (r, g, b) / (r, g, b, a) tuple of 0-255 ints.
/// A True/False option: a bool only, so that a colour or a size passed in
/// the wrong place is a TypeError rather than "truthy".
fn flag(value: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    match value.cast::<PyBool>() {
        Ok(b) => Ok(b.is_true()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{name} must be True or False, not {}",
            type_name(value)
        ))),
    }
}

fn color(value: &Bound<'_, PyAny>, name: &'static str) -> PyResult<Color> {
    let py = value.py();
    if let Ok(s) = value.cast::<PyString>() {
        return Color::parse(&s.to_cow()?).map_err(|e| e.into_py_err(py));
    }
    if let Ok(t) = value.cast::<PyTuple>() {
        let parts: Option<Vec<u8>> = t
            .iter()
            .map(|c| {
                if c.is_instance_of::<PyBool>() {
                    None
                } else {
                    c.extract::<u8>().ok()
                }
            })
            .collect();
        return match parts.as_deref() {
            Some(&[r, g, b]) => Ok(Color::rgb(r, g, b)),
            Some(&[r, g, b, a]) => Ok(Color::rgba(r, g, b, a)),
            _ => Err(RenderError::InvalidOption {
                option: name,
                reason: format!("{value} is not 3 or 4 integers in 0..=255"),
            }
            .into_py_err(py)),
        };
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be a colour string or an (r, g, b[, a]) tuple, not {}",
        type_name(value)
    )))
}
