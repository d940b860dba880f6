//! The CSV table of a batch (RFC 4180 as spreadsheets export it): the header,
//! the row rules and their line numbers. Every front end and the `batch_csv`
//! fuzz target read tables through [`read_rows`], so a row is refused for the
//! same reason, with the same words, wherever it is read.

use core::fmt;
use std::collections::HashMap;

use super::{prepare, Asset, BatchError, BatchOptions};

/// Why a whole table was refused: its header is unusable, so no row can be
/// read.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum TableError {
    /// The header line could not be parsed as CSV.
    Unreadable {
        /// What the CSV reader said, lowercase.
        reason: String,
    },
    /// A header cell is not valid UTF-8.
    HeaderNotUtf8 {
        /// The column, from 1.
        column: usize,
    },
    /// The header has no `id` column.
    NoIdColumn,
}

impl TableError {
    /// The 1-based line the error is on, when it is about one line.
    pub fn line(&self) -> Option<u64> {
        match self {
            TableError::HeaderNotUtf8 { .. } => Some(1),
            _ => None,
        }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::Unreadable { reason } => write!(f, "cannot read the header: {reason}"),
            TableError::HeaderNotUtf8 { column } => {
                write!(f, "column {column} of the header is not valid UTF-8")
            }
            TableError::NoIdColumn => BatchError::NoIdColumn.fmt(f),
        }
    }
}

impl std::error::Error for TableError {}

/// Why one row was refused; the other rows are still read.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum RowProblem {
    /// The row could not be parsed as CSV.
    Unreadable {
        /// What the CSV reader said.
        reason: String,
    },
    /// The row has another number of fields than the header.
    FieldCount {
        /// Fields in the row.
        fields: usize,
        /// Columns in the header.
        header: usize,
    },
    /// A cell is not valid UTF-8.
    NotUtf8 {
        /// The column's name (lowercase, as in the header).
        column: String,
        /// The offset of the first invalid byte in the cell.
        byte: usize,
    },
    /// The row's values do not make a symbol ([`prepare`]).
    Invalid(BatchError),
    /// The row's file name is one the batch writes itself (the sheet).
    ReservedName {
        /// The id as given.
        id: String,
    },
    /// An earlier row has the same file name (ids compared as file stems,
    /// ignoring case).
    DuplicateId {
        /// The id as given.
        id: String,
        /// The earlier row's id.
        first_id: String,
        /// The earlier row's line.
        first_line: u64,
    },
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::Unreadable { reason } => write!(f, "cannot read the row: {reason}"),
            RowProblem::FieldCount { fields, header } => {
                write!(f, "{fields} fields, the header has {header}")
            }
            RowProblem::NotUtf8 { column, byte } => {
                write!(f, "column {column:?} is not valid UTF-8 (at byte {byte})")
            }
            RowProblem::Invalid(e) => e.fmt(f),
            RowProblem::ReservedName { id } => write!(f, "id {id:?} would overwrite the sheet"),
            RowProblem::DuplicateId {
                id,
                first_id,
                first_line,
            } => write!(
                f,
                "duplicate id {id:?}: same file name as id {first_id:?} on line {first_line}"
            ),
        }
    }
}

/// A refused row: its 1-based line in the file (where the record starts;
/// 0 when the CSV reader could not tell) and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    /// The line the row starts on.
    pub line: u64,
    /// Why it was refused.
    pub problem: RowProblem,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for RowError {}

/// A table read by [`read_rows`]: the rows that became symbols and the rows
/// that were refused, each with its line, in file order.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Rows {
    /// The symbols, with the line of their row.
    pub assets: Vec<(u64, Asset)>,
    /// The refused rows.
    pub bad: Vec<RowError>,
}

/// Reads a batch table: a header naming the columns (an `id` column
/// required; names trimmed and compared in lowercase; a UTF-8 byte order mark
/// is skipped), then one row per symbol, each turned into an [`Asset`] by
/// [`prepare`].
///
/// A row is refused, and the others still read, when it cannot be parsed,
/// has another number of fields than the header, holds a cell that is not
/// UTF-8, fails [`prepare`], or would be written to the same file as an
/// earlier row or as one of `reserved` (file stems the batch writes itself,
/// such as `sheet-a4`). File stems are compared ignoring case, because
/// macOS and Windows folders would merge such files.
///
/// # Errors
///
/// [`TableError`] when the header is unusable.
pub fn read_rows(
    csv: &[u8],
    options: &BatchOptions,
    reserved: &[&str],
) -> Result<Rows, TableError> {
    // Flexible: a row with the wrong number of fields is one bad row, not
    // the end of the table.
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(csv);
    let header = header_names(&mut reader)?;
    let mut rows = Rows {
        assets: Vec::new(),
        bad: Vec::new(),
    };
    let mut stems: HashMap<String, (u64, String)> = HashMap::new();
    for record in reader.byte_records() {
        let (line, row) = match record {
            Ok(record) => (
                record.position().map_or(0, |p| p.line()),
                row_asset(&record, &header, options),
            ),
            Err(e) => (
                e.position().map_or(0, |p| p.line()),
                Err(RowProblem::Unreadable {
                    reason: e.to_string(),
                }),
            ),
        };
        let checked = row.and_then(|asset| {
            let key = asset.stem.to_ascii_lowercase();
            if reserved.iter().any(|r| r.eq_ignore_ascii_case(&key)) {
                return Err(RowProblem::ReservedName { id: asset.id });
            }
            if let Some((first_line, first_id)) = stems.get(&key) {
                return Err(RowProblem::DuplicateId {
                    id: asset.id,
                    first_id: first_id.clone(),
                    first_line: *first_line,
                });
            }
            stems.insert(key, (line, asset.id.clone()));
            Ok(asset)
        });
        match checked {
            Ok(asset) => rows.assets.push((line, asset)),
            Err(problem) => rows.bad.push(RowError { line, problem }),
        }
    }
    Ok(rows)
}

/// The header's column names, trimmed and lowercase; it must name `id`.
fn header_names(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, TableError> {
    let header = reader.byte_headers().map_err(|e| TableError::Unreadable {
        reason: e.to_string(),
    })?;
    let mut names = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        // Spreadsheets on Windows start UTF-8 exports with a byte order mark.
        let cell = match i {
            0 => cell.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(cell),
            _ => cell,
        };
        let name =
            std::str::from_utf8(cell).map_err(|_| TableError::HeaderNotUtf8 { column: i + 1 })?;
        names.push(name.trim().to_ascii_lowercase());
    }
    if !names.iter().any(|h| h == "id") {
        return Err(TableError::NoIdColumn);
    }
    Ok(names)
}

/// One parsed record as an asset: field count and UTF-8 checked, then
/// [`prepare`].
fn row_asset(
    record: &csv::ByteRecord,
    header: &[String],
    options: &BatchOptions,
) -> Result<Asset, RowProblem> {
    if record.len() != header.len() {
        return Err(RowProblem::FieldCount {
            fields: record.len(),
            header: header.len(),
        });
    }
    let mut cells = Vec::with_capacity(record.len());
    for (name, cell) in header.iter().zip(record.iter()) {
        let value = std::str::from_utf8(cell).map_err(|e| RowProblem::NotUtf8 {
            column: name.clone(),
            byte: e.valid_up_to(),
        })?;
        cells.push((name.as_str(), value));
    }
    prepare(&cells, options).map_err(RowProblem::Invalid)
}
