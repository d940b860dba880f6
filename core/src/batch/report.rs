//! What a [`BatchJob`](super::BatchJob) run reports: progress while it
//! runs, then the rows done, the files written, the rows refused and the
//! warnings; or why the whole run could not be done.

use core::fmt;
use std::io;
use std::path::PathBuf;

use super::rows::{RowError, TableError};
use super::{BatchError, Grid, ManifestEntry, Paper, Replaced, TableInfo};

/// How far a run is, given to the progress callback after each row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchProgress {
    /// Rows finished (written or failed).
    pub done: usize,
    /// Rows to write (the table's rows less those refused when read).
    pub total: usize,
    /// Rows of `done` that failed.
    pub failed: usize,
}

/// What one row's worker did.
pub(super) struct Produced {
    pub(super) entry: ManifestEntry,
    pub(super) written: Vec<String>,
    pub(super) unchanged: usize,
}

/// Something the user should know that did not stop any row.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum BatchWarning {
    /// The print size is too small for the reading distance on some rows
    /// (one warning for all of them, naming the first).
    SmallSymbols {
        /// The size asked for, in mm.
        size_mm: f64,
        /// How many rows it is too small for.
        rows: usize,
        /// Rows in the batch.
        of: usize,
        /// The first such row's line.
        line: u64,
        /// The first such row's id.
        id: String,
        /// What the first row needs ([`size_warning`](super::size_warning)).
        detail: String,
    },
    /// Rasters not graded A on every parameter (`batch --grade`; a clean
    /// render should be), one warning naming the first.
    BelowGradeA {
        /// How many rows.
        rows: usize,
        /// Rows in the manifest.
        of: usize,
        /// The first such row's line.
        line: u64,
        /// The first such row's id.
        id: String,
        /// What it fell short on ([`RasterGrade::shortfall`](super::RasterGrade::shortfall)).
        detail: String,
    },
    /// A sheet caption character printed as '?' (not in WinAnsiEncoding).
    CaptionReplaced {
        /// The row's line and id.
        row: Option<(u64, String)>,
        /// Which character, where.
        replaced: Replaced,
    },
}

impl BatchWarning {
    /// The warning with the size and distance named as the caller's user
    /// knows them (`--size-mm 30`, `size_mm=30`), and `place` (the file,
    /// with a trailing space, or nothing) before the row's line.
    pub fn describe(&self, size: &str, distance: &str, place: &str) -> String {
        match self {
            BatchWarning::SmallSymbols {
                rows,
                of,
                line,
                id,
                detail,
                ..
            } => {
                let more = match rows - 1 {
                    0 => String::new(),
                    1 => " (and 1 more row)".to_string(),
                    n => format!(" (and {n} more rows)"),
                };
                format!(
                    "{size} is too small for {distance} on {} of {of}: {place}line {line}: id {id:?}: {detail}{more}",
                    plural(*rows, "row")
                )
            }
            BatchWarning::BelowGradeA {
                rows,
                of,
                line,
                id,
                detail,
            } => format!(
                "{} of {of} graded below A on some parameter (a clean render should not): {place}line {line}: id {id:?}: {detail}",
                plural(*rows, "raster")
            ),
            BatchWarning::CaptionReplaced { row, replaced } => match row {
                Some((line, id)) => format!("{place}line {line}: id {id:?}: {replaced}"),
                None => format!("{place}{replaced}"),
            },
        }
    }
}

impl fmt::Display for BatchWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size = match self {
            BatchWarning::SmallSymbols { size_mm, .. } => format!("size {size_mm} mm"),
            BatchWarning::CaptionReplaced { .. } | BatchWarning::BelowGradeA { .. } => {
                String::new()
            }
        };
        f.write_str(&self.describe(&size, "the reading distance", ""))
    }
}

/// `1 row`, `2 rows`: counts in messages agree with their noun.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A finished run. Rows refused or failed are in `row_errors`; the other
/// rows' files and the manifests (listing exactly those rows) are written,
/// unless `output_errors` says a manifest or the sheet could not be.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct BatchReport {
    /// How the table was read (`None` for rows given as values).
    pub info: Option<TableInfo>,
    /// The manifest's entries: one per row done, in table order.
    pub entries: Vec<ManifestEntry>,
    /// Files written because they were new or changed, rows' first in
    /// the order they finished, then the manifests and the sheet.
    pub files_written: Vec<String>,
    /// Files left as they were because they already held the same bytes.
    pub unchanged: usize,
    /// Rows refused when read or failed when written, by line.
    pub row_errors: Vec<RowError>,
    /// Warnings.
    pub warnings: Vec<BatchWarning>,
    /// Batch files (manifests, sheet) that could not be written, with why.
    pub output_errors: Vec<(String, String)>,
    /// Temporary files of dead runs removed at the start.
    pub stale_removed: usize,
}

impl BatchReport {
    pub(super) fn new(info: Option<TableInfo>, row_errors: Vec<RowError>) -> Self {
        BatchReport {
            info,
            entries: Vec::new(),
            files_written: Vec::new(),
            unchanged: 0,
            row_errors,
            warnings: Vec::new(),
            output_errors: Vec::new(),
            stale_removed: 0,
        }
    }

    /// Rows done: symbols written (or already there) and in the manifest.
    pub fn assets(&self) -> usize {
        self.entries.len()
    }
}

/// Why a whole batch could not be run. Row problems are not here: they are
/// [`BatchReport::row_errors`].
#[derive(Debug)]
#[non_exhaustive]
pub enum BatchRunError {
    /// The table file could not be read.
    Input {
        /// The file's name as given.
        source: String,
        /// Why.
        error: io::Error,
    },
    /// The table is unusable (no header, no `id` column, broken workbook).
    Table {
        /// The file's name as given.
        source: String,
        /// Why.
        error: TableError,
    },
    /// The sheet's symbol size does not fit the page or one label.
    SheetFit {
        /// The paper.
        paper: Paper,
        /// The label grid, if any.
        grid: Option<Grid>,
        /// Why.
        error: BatchError,
    },
    /// The sheet could not be made.
    Sheet(BatchError),
    /// The output folder could not be created.
    CreateDir {
        /// The folder.
        dir: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// The output folder's lock could not be taken for another reason than
    /// another run holding it.
    Lock {
        /// The folder.
        dir: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// Another batch is writing to the output folder.
    Busy {
        /// The folder.
        dir: PathBuf,
    },
    /// The progress callback asked to stop; rows already written stay, no
    /// manifest is written.
    Stopped,
    /// The system would not start a single worker thread.
    NoThreads,
}

impl fmt::Display for BatchRunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchRunError::Input { source, error } => write!(f, "cannot read {source}: {error}"),
            BatchRunError::Table { source, error } => match error.line() {
                Some(line) => write!(f, "{source} line {line}: {error}"),
                None => write!(f, "{source}: {error}"),
            },
            BatchRunError::SheetFit { paper, grid, error } => match grid {
                Some(g) => write!(
                    f,
                    "sheet {paper}, grid {g}: {error} (a label is {:.1} x {:.1} mm; the largest symbol that fits one is {} mm)",
                    g.label_mm(*paper).0,
                    g.label_mm(*paper).1,
                    g.max_symbol_mm(*paper)
                ),
                None => write!(f, "sheet {paper}: {error}"),
            },
            BatchRunError::Sheet(e) => write!(f, "sheet: {e}"),
            BatchRunError::CreateDir { dir, error } => {
                write!(f, "cannot create {}: {error}", dir.display())
            }
            BatchRunError::Lock { dir, error } => {
                write!(f, "cannot lock {}: {error}", dir.display())
            }
            BatchRunError::Busy { dir } => write!(
                f,
                "another civiqr batch is writing to {} (it holds {}); wait for it to finish or choose another folder",
                dir.display(),
                super::LOCK_FILE
            ),
            BatchRunError::Stopped => f.write_str("stopped by the progress callback"),
            BatchRunError::NoThreads => f.write_str("no worker thread could be started"),
        }
    }
}

impl std::error::Error for BatchRunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BatchRunError::Input { error, .. }
            | BatchRunError::CreateDir { error, .. }
            | BatchRunError::Lock { error, .. } => Some(error),
            BatchRunError::Table { error, .. } => Some(error),
            BatchRunError::SheetFit { error, .. } | BatchRunError::Sheet(error) => Some(error),
            _ => None,
        }
    }
}
