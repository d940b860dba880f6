//! The CSV table of a batch (RFC 4180 as spreadsheets export it): the header,
//! the row rules and their line numbers. Every front end and the `batch_csv`
//! fuzz target read tables through [`read_rows`], so a row is refused for the
//! same reason, with the same words, wherever it is read.

use core::fmt;
use std::collections::HashMap;

use super::{prepare, Asset, BatchError, BatchOptions};
use crate::payload::PayloadError;

/// The longest row a table may hold, in bytes: no symbol holds more than
/// 7,089 characters, so a longer row is a mistake, and refusing it before
/// its cells are looked at keeps a huge line from costing more memory.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// The longest cell a table may hold, in bytes (see [`MAX_ROW_BYTES`]).
pub const MAX_CELL_BYTES: usize = 64 << 10;

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
    /// A spreadsheet file that cannot be opened (damaged, encrypted, or
    /// not the format its name says).
    Spreadsheet {
        /// What the spreadsheet reader said.
        reason: String,
    },
    /// The sheet asked for is not in the workbook.
    NoSheet {
        /// The name asked for.
        name: String,
        /// The workbook's sheets, in order.
        sheets: Vec<String>,
    },
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
            TableError::Spreadsheet { reason } => {
                write!(f, "cannot read the spreadsheet: {reason}")
            }
            TableError::NoSheet { name, sheets } => {
                write!(f, "no sheet named {name:?}; the sheets are ")?;
                for (i, s) in sheets.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{s:?}")?;
                }
                Ok(())
            }
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
    /// A spreadsheet cell holds an error value (`#N/A`, `#DIV/0!`, ...)
    /// rather than text or a number.
    CellError {
        /// The column's name (lowercase, as in the header).
        column: String,
        /// The error as the spreadsheet shows it.
        error: String,
    },
    /// The row's values do not make a symbol ([`prepare`]).
    Invalid(BatchError),
    /// The row's file name is one the batch writes itself (the sheet).
    ReservedName {
        /// The id as given.
        id: String,
    },
    /// The row is longer than [`MAX_ROW_BYTES`].
    RowTooLong {
        /// The row's length in bytes.
        bytes: usize,
    },
    /// A cell is longer than [`MAX_CELL_BYTES`].
    CellTooLong {
        /// The column's name (lowercase, as in the header).
        column: String,
        /// The cell's length in bytes.
        bytes: usize,
    },
    /// The row's files could not be rendered, verified or written.
    Output {
        /// The id as given.
        id: String,
        /// What went wrong, in words.
        reason: String,
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

impl RowProblem {
    /// The column the problem is in, lowercase as in the header, when it is
    /// about one column: a cell that is not text, an id that is missing,
    /// taken or reserved, a payload field that is missing or invalid (the
    /// field names are the column names).
    pub fn column(&self) -> Option<&str> {
        match self {
            RowProblem::NotUtf8 { column, .. }
            | RowProblem::CellError { column, .. }
            | RowProblem::CellTooLong { column, .. } => Some(column),
            RowProblem::ReservedName { .. }
            | RowProblem::DuplicateId { .. }
            | RowProblem::Invalid(BatchError::MissingId | BatchError::IdControl { .. }) => {
                Some("id")
            }
            RowProblem::Invalid(BatchError::Payload(e)) => match e {
                PayloadError::MissingField { field }
                | PayloadError::FieldTooLong { field, .. }
                | PayloadError::InvalidField { field, .. }
                | PayloadError::Conflict { field, .. } => Some(field),
                PayloadError::InvalidIban { .. } => Some("iban"),
                // prepare() reads the kind from the `type` column only.
                PayloadError::UnknownKind { .. } => Some("type"),
                PayloadError::DotSegment { name } => Some(name),
                _ => None,
            },
            _ => None,
        }
    }
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
            RowProblem::CellError { column, error } => {
                write!(f, "column {column:?} holds the error {error}")
            }
            RowProblem::RowTooLong { bytes } => write!(
                f,
                "the row is {bytes} bytes long, more than the limit of {MAX_ROW_BYTES}"
            ),
            RowProblem::CellTooLong { column, bytes } => write!(
                f,
                "column {column:?} is {bytes} bytes long, more than the limit of {MAX_CELL_BYTES}"
            ),
            RowProblem::Output { id, reason } => write!(f, "id {id:?}: {reason}"),
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

/// A refused row: where it is (file, sheet, line, column) and why.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RowError {
    /// The 1-based line the row starts on in a CSV file (where the record
    /// starts, a quoted line break counting as a line), or the row number a
    /// spreadsheet shows; 0 when the CSV reader could not tell.
    pub line: u64,
    /// Why it was refused.
    pub problem: RowProblem,
    /// The file's name as given to [`read_table`](super::read_table); `None`
    /// from [`read_rows`], whose caller names the file.
    pub file: Option<String>,
    /// The sheet of a spreadsheet; `None` for CSV.
    pub sheet: Option<String>,
}

impl RowError {
    /// The column the problem is in, lowercase as in the header, when it is
    /// about one column ([`RowProblem::column`]).
    pub fn column(&self) -> Option<&str> {
        self.problem.column()
    }
}

impl fmt::Display for RowError {
    /// `line 3: ...` from [`read_rows`]; from [`read_table`](super::read_table)
    /// `towns.xlsx sheet "Bancs" line 3 column "url": ...`, so that a message
    /// pasted alone still says where to look.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file} ")?;
        }
        if let Some(sheet) = &self.sheet {
            write!(f, "sheet {sheet:?} ")?;
        }
        write!(f, "line {}", self.line)?;
        // The column, unless the problem's own words name it already.
        let named = matches!(
            self.problem,
            RowProblem::NotUtf8 { .. }
                | RowProblem::CellError { .. }
                | RowProblem::CellTooLong { .. }
        );
        if let (Some(_), Some(column), false) = (&self.file, self.column(), named) {
            write!(f, " column {column:?}")?;
        }
        write!(f, ": {}", self.problem)
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
/// This reads `,`-separated UTF-8 only; [`read_table`](super::read_table)
/// also takes other delimiters, encodings and spreadsheets.
///
/// # Errors
///
/// [`TableError`] when the header is unusable.
pub fn read_rows(
    csv: &[u8],
    options: &BatchOptions,
    reserved: &[&str],
) -> Result<Rows, TableError> {
    read_csv(csv, b',', options, reserved)
}

/// Checks rows given as values under `header` with the rules of
/// [`read_rows`]: row `i` (from 0) is line `i + 2`, as in a CSV file with the
/// header on line 1. Header names are trimmed and compared in lowercase.
///
/// # Errors
///
/// [`TableError::NoIdColumn`] when the header has no `id`.
pub fn read_records(
    header: &[String],
    rows: &[Vec<String>],
    options: &BatchOptions,
    reserved: &[&str],
) -> Result<Rows, TableError> {
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if !names.iter().any(|h| h == "id") {
        return Err(TableError::NoIdColumn);
    }
    let mut checker = RowChecker::new(options, reserved);
    for (i, row) in rows.iter().enumerate() {
        let line = i as u64 + 2;
        if row.len() != names.len() {
            let problem = RowProblem::FieldCount {
                fields: row.len(),
                header: names.len(),
            };
            checker.check(line, Err(problem));
            continue;
        }
        let cells: Vec<(&str, &str)> = names
            .iter()
            .zip(row)
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        checker.check(line, Ok(&cells));
    }
    Ok(checker.rows)
}

/// [`read_rows`] with another delimiter.
pub(super) fn read_csv(
    csv: &[u8],
    delimiter: u8,
    options: &BatchOptions,
    reserved: &[&str],
) -> Result<Rows, TableError> {
    // Flexible: a row with the wrong number of fields is one bad row, not
    // the end of the table.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(csv);
    let header = header_names(&mut reader)?;
    let mut checker = RowChecker::new(options, reserved);
    let mut lines = LineCounter::default();
    for record in reader.byte_records() {
        match record {
            Ok(record) => {
                let line = record
                    .position()
                    .map_or(0, |p| lines.line_at(csv, p.byte()));
                let bytes = record.as_slice().len();
                if bytes > MAX_ROW_BYTES {
                    checker.check(line, Err(RowProblem::RowTooLong { bytes }));
                    continue;
                }
                match record_cells(&record, &header) {
                    Ok(cells) => checker.check(line, Ok(&cells)),
                    Err(problem) => checker.check(line, Err(problem)),
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(csv, p.byte()));
                let reason = e.to_string();
                checker.check(line, Err(RowProblem::Unreadable { reason }));
            }
        }
    }
    Ok(checker.rows)
}

/// Line numbers from byte offsets, counted by us rather than taken from the
/// CSV reader: after a CRLF record end the reader has consumed the `\r` but
/// not yet the `\n` when it notes where the next record starts, which put
/// every row of a CRLF file (what Excel and Python's csv write) one line too
/// low. A record's line is that of its first byte that is not a line end;
/// `\r\n`, `\n` and a lone `\r` each end one line.
#[derive(Default)]
pub(super) struct LineCounter {
    /// Bytes counted so far; offsets only grow, so a table is scanned once.
    pos: usize,
    /// Line breaks before `pos`.
    breaks: u64,
}

impl LineCounter {
    pub(super) fn line_at(&mut self, text: &[u8], offset: u64) -> u64 {
        let mut at = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(text.len());
        while at < text.len() && matches!(text[at], b'\r' | b'\n') {
            at += 1;
        }
        if at < self.pos {
            // Offsets go back only if the reader misbehaves: count afresh.
            *self = LineCounter::default();
        }
        for i in self.pos..at {
            let lone_cr = text[i] == b'\r' && text.get(i + 1) != Some(&b'\n');
            if text[i] == b'\n' || lone_cr {
                self.breaks += 1;
            }
        }
        self.pos = at;
        self.breaks + 1
    }
}

/// The row rules shared by CSV and spreadsheets: each row's cells go
/// through [`prepare`], then its file stem is checked against the reserved
/// names and the earlier rows.
pub(super) struct RowChecker<'a> {
    options: &'a BatchOptions,
    reserved: &'a [&'a str],
    /// Each stem taken, lowercase, with the line and id of its row.
    stems: HashMap<String, (u64, String)>,
    pub(super) rows: Rows,
}

impl<'a> RowChecker<'a> {
    pub(super) fn new(options: &'a BatchOptions, reserved: &'a [&'a str]) -> Self {
        RowChecker {
            options,
            reserved,
            stems: HashMap::new(),
            rows: Rows {
                assets: Vec::new(),
                bad: Vec::new(),
            },
        }
    }

    /// Checks one row given as `(column, value)` pairs, or the problem met
    /// while reading its cells, and files it as an asset or a bad row.
    pub(super) fn check(&mut self, line: u64, cells: Result<&[(&str, &str)], RowProblem>) {
        let checked = cells.and_then(|cells| {
            if let Some((column, value)) = cells.iter().find(|(_, v)| v.len() > MAX_CELL_BYTES) {
                return Err(RowProblem::CellTooLong {
                    column: column.to_string(),
                    bytes: value.len(),
                });
            }
            let asset = prepare(cells, self.options).map_err(RowProblem::Invalid)?;
            let key = asset.stem.to_ascii_lowercase();
            if self.reserved.iter().any(|r| r.eq_ignore_ascii_case(&key)) {
                return Err(RowProblem::ReservedName { id: asset.id });
            }
            if let Some((first_line, first_id)) = self.stems.get(&key) {
                return Err(RowProblem::DuplicateId {
                    id: asset.id,
                    first_id: first_id.clone(),
                    first_line: *first_line,
                });
            }
            self.stems.insert(key, (line, asset.id.clone()));
            Ok(asset)
        });
        match checked {
            Ok(asset) => self.rows.assets.push((line, asset)),
            Err(problem) => self.rows.bad.push(RowError {
                line,
                problem,
                file: None,
                sheet: None,
            }),
        }
    }
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

/// One parsed record as `(column, value)` pairs, its field count and UTF-8
/// checked.
fn record_cells<'r>(
    record: &'r csv::ByteRecord,
    header: &'r [String],
) -> Result<Vec<(&'r str, &'r str)>, RowProblem> {
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
    Ok(cells)
}
