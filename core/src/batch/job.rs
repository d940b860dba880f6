//! A whole batch run as a library call: read the table, plan the sheet,
//! render, verify and write every row's files on worker threads, then the
//! manifests and the sheet. The command line and the Python binding are
//! both this, plus argument parsing and printing.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use super::output::{remove_stale_temp_files, write_if_changed, OutputLock};
use super::report::{BatchProgress, BatchReport, BatchRunError, BatchWarning, Produced};
use super::rows::{read_records, RowError, RowProblem, Rows};
use super::{
    caption_replacements, grade_png, label_sheet_pdf, manifest_csv, manifest_json, read_table,
    sheet_fits, sheet_pdf, size_for_distance, size_warning, verify_png, Asset, BatchOptions, Grid,
    ManifestEntry, Paper, SheetItem, TableInfo, TableOptions,
};
use crate::render::{self, Format, RenderOptions};

/// The largest table file a batch reads (bytes), from a file or a stream:
/// about a million rows of a town's asset list.
pub const MAX_TABLE_BYTES: u64 = 128 << 20;

/// The most worker threads a batch starts, whatever was asked; also at most
/// 4 per CPU: rows are rendered on the CPU, so more threads only cost
/// memory (each has its stack and, with glibc, may get a malloc arena).
pub const MAX_JOBS: usize = 256;

/// A batch file format by name: `svg`, `png`, `pdf` or `eps` (the
/// terminal renderings make no files to print).
///
/// # Errors
///
/// The reason in words.
pub fn parse_format(name: &str) -> Result<Format, String> {
    let f = name.trim().parse::<Format>().map_err(|e| e.to_string())?;
    if matches!(f, Format::Svg | Format::Png | Format::Pdf | Format::Eps) {
        Ok(f)
    } else {
        Err(format!("{name:?} is not svg, png, pdf or eps"))
    }
}

/// Sheet symbol size when neither a size nor a reading distance is given.
const DEFAULT_SHEET_MM: f64 = 40.0;

/// A batch run: where to write, what to write, and how rows become symbols.
///
/// ```no_run
/// use civiqr::batch::BatchJob;
/// let report = BatchJob::new("out")
///     .template(Some("https://example.org/s/{id}".into()))
///     .run_file("assets.csv".as_ref(), &mut |_| std::ops::ControlFlow::Continue(()))?;
/// println!("{} assets, {} bad rows", report.assets(), report.row_errors.len());
/// # Ok::<(), civiqr::batch::BatchRunError>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct BatchJob {
    out: PathBuf,
    formats: Vec<Format>,
    rows: BatchOptions,
    table: TableOptions,
    quiet_zone: u32,
    scale: Option<u32>,
    dpi: Option<u32>,
    size_mm: Option<f64>,
    reading_distance: Option<f64>,
    sheet: Option<Paper>,
    grid: Option<Grid>,
    verify: bool,
    grade: bool,
    jobs: Option<usize>,
}

impl BatchJob {
    /// A batch into the folder `out` (created when missing) with the
    /// defaults: SVG and PNG files, 4-module quiet zone, every PNG read back
    /// and checked, no sheet, one worker per CPU.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        BatchJob {
            out: out.into(),
            formats: Vec::new(),
            rows: BatchOptions::default(),
            table: TableOptions::default(),
            quiet_zone: 4,
            scale: None,
            dpi: None,
            size_mm: None,
            reading_distance: None,
            sheet: None,
            grid: None,
            verify: true,
            grade: false,
            jobs: None,
        }
    }

    /// The file formats, each written once in the order first given
    /// (terminal renderings make no sense here). Default: SVG and PNG.
    pub fn formats(mut self, formats: &[Format]) -> Self {
        self.formats.clear();
        for &f in formats {
            if !self.formats.contains(&f) {
                self.formats.push(f);
            }
        }
        self
    }

    /// How rows become symbols: template, encoder options, signing key.
    pub fn rows(mut self, options: BatchOptions) -> Self {
        self.rows = options;
        self
    }

    /// A URL template for every row ([`BatchOptions::template`]).
    pub fn template(mut self, template: Option<String>) -> Self {
        self.rows = self.rows.template(template);
        self
    }

    /// How the table file is read: delimiter, encoding, sheet name.
    pub fn table(mut self, table: TableOptions) -> Self {
        self.table = table;
        self
    }

    /// The light border in modules. Default: 4.
    pub fn quiet_zone(mut self, modules: u32) -> Self {
        self.quiet_zone = modules;
        self
    }

    /// Pixels per module of the PNG files ([`RenderOptions::scale`]).
    pub fn scale(mut self, pixels: Option<u32>) -> Self {
        self.scale = pixels;
        self
    }

    /// PNG resolution with a print size ([`RenderOptions::dpi`]).
    pub fn dpi(mut self, dpi: Option<u32>) -> Self {
        self.dpi = dpi;
        self
    }

    /// The printed size in mm, quiet zone included; with a reading distance
    /// too, rows whose modules are too small for it get one warning.
    pub fn size_mm(mut self, mm: Option<f64>) -> Self {
        self.size_mm = mm;
        self
    }

    /// The reading distance in metres: each symbol's size from it (see
    /// [`size_for_distance`]) unless [`size_mm`](Self::size_mm) is given.
    pub fn reading_distance(mut self, metres: Option<f64>) -> Self {
        self.reading_distance = metres;
        self
    }

    /// Also write `sheet-PAPER.pdf`, every code with its caption, laid out
    /// as a label sheet when `grid` is given. The fit is checked before any
    /// file is written.
    pub fn sheet(mut self, paper: Option<Paper>, grid: Option<Grid>) -> Self {
        self.sheet = paper;
        self.grid = grid;
        self
    }

    /// Whether each PNG raster is read back and compared ([`verify_png`]).
    /// Default: true.
    pub fn verify(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// Whether each raster is graded at its print scale ([`grade_png`]) and
    /// the grade recorded in the manifests; rows not graded A on every
    /// parameter get one warning. Default: false.
    pub fn grade(mut self, grade: bool) -> Self {
        self.grade = grade;
        self
    }

    /// Worker threads, at least 1 and at most 4 per CPU and [`MAX_JOBS`].
    /// Default: the number of CPUs.
    pub fn jobs(mut self, jobs: Option<usize>) -> Self {
        self.jobs = jobs;
        self
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The worker threads a run starts for `rows` rows.
    pub fn workers(&self, rows: usize) -> usize {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cap = cpus.saturating_mul(4).min(MAX_JOBS);
        self.jobs.unwrap_or(cpus).clamp(1, cap).min(rows.max(1))
    }

    /// The file stem of the sheet, which no row may take.
    fn sheet_stem(&self) -> Option<String> {
        self.sheet.map(|p| format!("sheet-{}", p.name()))
    }

    /// Runs the batch on the table file at `path` (CSV or a workbook; `-`
    /// is not special here), read through [`read_file_limited`](crate::read_file_limited).
    ///
    /// # Errors
    ///
    /// [`BatchRunError`]: the file cannot be read or is not a table, the
    /// sheet does not fit, the folder cannot be made or is busy, or the
    /// progress callback stopped the run.
    pub fn run_file(
        &self,
        path: &Path,
        progress: &mut dyn FnMut(&BatchProgress) -> ControlFlow<()>,
    ) -> Result<BatchReport, BatchRunError> {
        let name = path.display().to_string();
        let bytes = crate::read_file_limited(path, MAX_TABLE_BYTES).map_err(|error| {
            BatchRunError::Input {
                source: name.clone(),
                error,
            }
        })?;
        self.run_table(&bytes, &name, progress)
    }

    /// Runs the batch on a table file's bytes; `name` names it in row errors.
    ///
    /// # Errors
    ///
    /// As [`run_file`](Self::run_file).
    pub fn run_table(
        &self,
        bytes: &[u8],
        name: &str,
        progress: &mut dyn FnMut(&BatchProgress) -> ControlFlow<()>,
    ) -> Result<BatchReport, BatchRunError> {
        let stem = self.sheet_stem();
        let reserved: Vec<&str> = stem.iter().map(String::as_str).collect();
        let (rows, info) =
            read_table(bytes, name, &self.table, &self.rows, &reserved).map_err(|error| {
                BatchRunError::Table {
                    source: name.to_string(),
                    error,
                }
            })?;
        self.execute(rows, Some(info), Some(name), progress)
    }

    /// Runs the batch on rows given as values under `header` (column names,
    /// compared ignoring case and edge spaces): row `i` (from 0) is line
    /// `i + 2`, as in a CSV file with the header on line 1.
    ///
    /// # Errors
    ///
    /// As [`run_file`](Self::run_file); a header without `id` is
    /// [`BatchRunError::Table`].
    pub fn run_records(
        &self,
        header: &[String],
        rows: &[Vec<String>],
        progress: &mut dyn FnMut(&BatchProgress) -> ControlFlow<()>,
    ) -> Result<BatchReport, BatchRunError> {
        let stem = self.sheet_stem();
        let reserved: Vec<&str> = stem.iter().map(String::as_str).collect();
        let rows = read_records(header, rows, &self.rows, &reserved).map_err(|error| {
            BatchRunError::Table {
                source: "rows".to_string(),
                error,
            }
        })?;
        self.execute(rows, None, None, progress)
    }

    /// Everything after the table is read.
    fn execute(
        &self,
        rows: Rows,
        info: Option<TableInfo>,
        source: Option<&str>,
        progress: &mut dyn FnMut(&BatchProgress) -> ControlFlow<()>,
    ) -> Result<BatchReport, BatchRunError> {
        let sheet = self.plan_sheet(&rows.assets)?;
        std::fs::create_dir_all(&self.out).map_err(|error| BatchRunError::CreateDir {
            dir: self.out.clone(),
            error,
        })?;
        let lock = OutputLock::try_acquire(&self.out)
            .map_err(|error| BatchRunError::Lock {
                dir: self.out.clone(),
                error,
            })?
            .ok_or_else(|| BatchRunError::Busy {
                dir: self.out.clone(),
            })?;
        let sheet_name = info.as_ref().and_then(|i| i.sheet().map(str::to_string));
        let mut report = BatchReport::new(info, rows.bad);
        report.stale_removed = remove_stale_temp_files(&self.out);
        let results = self.produce_all(&rows.assets, progress)?;
        let mut done = Vec::new();
        for ((line, asset), r) in rows.assets.iter().zip(results) {
            match r {
                Some(Ok(p)) => {
                    report.files_written.extend(p.written);
                    report.unchanged += p.unchanged;
                    report.entries.push(p.entry);
                    done.push((*line, asset));
                }
                Some(Err(reason)) => report.row_errors.push(RowError {
                    line: *line,
                    problem: RowProblem::Output {
                        id: asset.id.clone(),
                        reason,
                    },
                    file: source.map(str::to_string),
                    sheet: sheet_name.clone(),
                }),
                None => {}
            }
        }
        self.warn_small(&rows.assets, &mut report);
        warn_below_a(&rows.assets, &mut report);
        let mut files = vec![
            (
                "manifest.csv".to_string(),
                manifest_csv(&report.entries).into_bytes(),
            ),
            (
                "manifest.json".to_string(),
                manifest_json(&report.entries).into_bytes(),
            ),
        ];
        if let Some(plan) = &sheet {
            files.push(self.sheet_file(plan, &done, &mut report)?);
        }
        for (name, bytes) in &files {
            match write_if_changed(&self.out.join(name), bytes) {
                Ok(true) => report.files_written.push(name.clone()),
                Ok(false) => report.unchanged += 1,
                Err(e) => report.output_errors.push((name.clone(), e.to_string())),
            }
        }
        report.row_errors.sort_by_key(|e| e.line);
        drop(lock);
        Ok(report)
    }

    /// Renders, verifies and writes every asset on worker threads; results
    /// come back by index. `None` for a row not done because the run stopped.
    fn produce_all(
        &self,
        assets: &[(u64, Asset)],
        progress: &mut dyn FnMut(&BatchProgress) -> ControlFlow<()>,
    ) -> Result<Vec<Option<Result<Produced, String>>>, BatchRunError> {
        let mut ropts = RenderOptions::default()
            .quiet_zone(self.quiet_zone)
            .ansi(false);
        if let Some(s) = self.scale {
            ropts = ropts.scale(s);
        }
        if let Some(d) = self.dpi {
            ropts = ropts.dpi(d);
        }
        let formats = self.formats_or_default();
        let (next, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
        let (tx, rx) = mpsc::channel::<(usize, Result<Produced, String>)>();
        let mut results: Vec<Option<Result<Produced, String>>> = Vec::new();
        results.resize_with(assets.len(), || None);
        // Why the run ended early, if it did.
        let mut early = None;
        std::thread::scope(|s| {
            let mut started = 0;
            for _ in 0..self.workers(assets.len()) {
                let tx = tx.clone();
                let (next, stop, ropts, formats) = (&next, &stop, &ropts, &formats);
                let worker = move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((_, asset)) = assets.get(i).filter(|_| !stop.load(Ordering::Relaxed))
                    else {
                        break;
                    };
                    let size = self.size_mm.or_else(|| {
                        self.reading_distance
                            .map(|d| size_for_distance(d, asset.code.width(), self.quiet_zone))
                    });
                    let ropts = ropts.clone().size_mm(size);
                    let checks = Checks {
                        verify: self.verify,
                        grade: self.grade,
                    };
                    let r = produce(asset, &self.out, formats, &ropts, checks);
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                };
                // A thread the system refuses is one worker fewer, not a panic.
                if std::thread::Builder::new().spawn_scoped(s, worker).is_ok() {
                    started += 1;
                }
            }
            drop(tx);
            if started == 0 && !assets.is_empty() {
                early = Some(BatchRunError::NoThreads);
                return;
            }
            let mut state = BatchProgress {
                done: 0,
                total: assets.len(),
                failed: 0,
            };
            for (i, r) in rx.iter() {
                state.done += 1;
                state.failed += usize::from(r.is_err());
                results[i] = Some(r);
                if early.is_none() && progress(&state).is_break() {
                    // Workers finish the row they are on, then stop.
                    early = Some(BatchRunError::Stopped);
                    stop.store(true, Ordering::Relaxed);
                }
            }
        });
        match early {
            Some(e) => Err(e),
            None => Ok(results),
        }
    }

    fn formats_or_default(&self) -> Vec<Format> {
        if self.formats.is_empty() {
            vec![Format::Svg, Format::Png]
        } else {
            self.formats.clone()
        }
    }

    /// One warning for the batch, not one per row: the cause (the size
    /// against the reading distance) is the same for every row it concerns.
    fn warn_small(&self, assets: &[(u64, Asset)], report: &mut BatchReport) {
        let (Some(size), Some(d)) = (self.size_mm, self.reading_distance) else {
            return;
        };
        let small: Vec<(u64, &str, String)> = assets
            .iter()
            .filter_map(|(line, a)| {
                size_warning(size, a.code.width(), self.quiet_zone, d)
                    .map(|w| (*line, a.id.as_str(), w))
            })
            .collect();
        if let Some((line, id, detail)) = small.first() {
            report.warnings.push(BatchWarning::SmallSymbols {
                size_mm: size,
                rows: small.len(),
                of: assets.len(),
                line: *line,
                id: id.to_string(),
                detail: detail.clone(),
            });
        }
    }
}

/// A print sheet: its paper, label grid (if any) and symbol size.
#[derive(Clone, Debug)]
pub(super) struct SheetPlan {
    paper: Paper,
    grid: Option<Grid>,
    size_mm: f64,
}

impl BatchJob {
    /// The sheet's symbol size (the size, else from the reading distance for
    /// the widest symbol, else the largest that fits a label, else 40 mm),
    /// refused when it does not fit the page or one label.
    fn plan_sheet(&self, assets: &[(u64, Asset)]) -> Result<Option<SheetPlan>, BatchRunError> {
        let Some(paper) = self.sheet else {
            return Ok(None);
        };
        let grid = self.grid;
        let size_mm = self
            .size_mm
            .or_else(|| {
                let widest = assets.iter().map(|(_, a)| a.code.width()).max()?;
                self.reading_distance
                    .map(|d| size_for_distance(d, widest, self.quiet_zone))
            })
            .or_else(|| grid.map(|g| g.max_symbol_mm(paper)))
            .unwrap_or(DEFAULT_SHEET_MM);
        sheet_fits(paper, size_mm, grid.as_ref()).map_err(|error| BatchRunError::SheetFit {
            paper,
            grid,
            error,
        })?;
        Ok(Some(SheetPlan {
            paper,
            grid,
            size_mm,
        }))
    }

    /// The sheet's PDF of the rows done, its caption characters printed as
    /// '?' reported as warnings.
    fn sheet_file(
        &self,
        plan: &SheetPlan,
        done: &[(u64, &Asset)],
        report: &mut BatchReport,
    ) -> Result<(String, Vec<u8>), BatchRunError> {
        let items: Vec<SheetItem<'_>> = done
            .iter()
            .map(|(_, a)| SheetItem {
                code: &a.code,
                caption: vec![
                    a.label.clone().unwrap_or_default(),
                    a.id.clone(),
                    a.data.clone(),
                ],
            })
            .collect();
        for r in caption_replacements(&items) {
            let row = done.get(r.item).map(|(line, a)| (*line, a.id.clone()));
            report
                .warnings
                .push(BatchWarning::CaptionReplaced { row, replaced: r });
        }
        let pdf = match &plan.grid {
            Some(grid) => label_sheet_pdf(&items, plan.paper, grid, plan.size_mm, self.quiet_zone),
            None => sheet_pdf(&items, plan.paper, plan.size_mm, self.quiet_zone),
        }
        .map_err(BatchRunError::Sheet)?;
        Ok((format!("sheet-{}.pdf", plan.paper.name()), pdf))
    }
}

/// What is done with each rendered raster.
#[derive(Clone, Copy)]
struct Checks {
    verify: bool,
    grade: bool,
}

/// One warning for the rows whose raster did not grade A on every
/// parameter (a clean render should), naming the first.
fn warn_below_a(assets: &[(u64, Asset)], report: &mut BatchReport) {
    let short: Vec<(&str, String)> = report
        .entries
        .iter()
        .filter_map(|e| Some((e.id.as_str(), e.grade.as_ref()?.shortfall()?)))
        .collect();
    let Some((id, detail)) = short.first() else {
        return;
    };
    let line = assets
        .iter()
        .find(|(_, a)| a.id == *id)
        .map_or(0, |(line, _)| *line);
    report.warnings.push(BatchWarning::BelowGradeA {
        rows: short.len(),
        of: report.entries.len(),
        line,
        id: id.to_string(),
        detail: detail.clone(),
    });
}

/// Renders one asset in each format, verifies and grades the PNG raster,
/// writes the files that changed. The error is the row's problem in words.
fn produce(
    asset: &Asset,
    out: &Path,
    formats: &[Format],
    ropts: &RenderOptions,
    checks: Checks,
) -> Result<Produced, String> {
    let Checks { verify, grade } = checks;
    let png = if verify || grade || formats.contains(&Format::Png) {
        Some(render::png(&asset.code, ropts).map_err(|e| e.to_string())?)
    } else {
        None
    };
    if verify {
        if let Some(png) = &png {
            verify_png(png, asset.data.as_bytes()).map_err(|e| e.to_string())?;
        }
    }
    let (mut files, mut written, mut unchanged) = (Vec::new(), Vec::new(), 0);
    for &f in formats {
        let bytes = match (&png, f) {
            (Some(p), Format::Png) => p.clone(),
            _ => render::render(&asset.code, f, ropts).map_err(|e| e.to_string())?,
        };
        let name = format!("{}.{}", asset.stem, f.name());
        let path = out.join(&name);
        match write_if_changed(&path, &bytes) {
            Ok(true) => written.push(name.clone()),
            Ok(false) => unchanged += 1,
            Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
        }
        files.push((name, super::sha256_hex(&bytes)));
    }
    let mut entry = ManifestEntry::new(asset, files, verify);
    if grade {
        entry.grade = png.as_deref().map(grade_png);
    }
    Ok(Produced {
        entry,
        written,
        unchanged,
    })
}
