//! Workbooks (`.xlsx`, `.xlsb`, `.xls`, `.ods`) as batch tables, through the
//! `calamine` crate: one sheet's cells as the text a spreadsheet shows, row
//! numbers as it shows them, then the shared row rules.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{open_workbook_auto_from_rs, Data, DataRef, Reader, Sheets, XlsxError};

use super::rows::{RowChecker, RowProblem, Rows, TableError};
use super::table::TableFormat;
use super::BatchOptions;

/// The signature of an OLE compound file, the container of `.xls`.
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Whether `bytes` named `file_name` is a workbook: a ZIP container (XLSX,
/// XLSB, ODS) or an OLE compound file (XLS) by its first bytes, or a name
/// ending in a workbook's extension (so that a damaged `.xlsx` is reported
/// as a damaged workbook, not read as garbled CSV). No CSV starts with
/// either signature: both hold bytes that are not text.
pub(super) fn is_spreadsheet(bytes: &[u8], file_name: &str) -> bool {
    const ZIP: &[u8] = b"PK\x03\x04";
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    bytes.starts_with(ZIP)
        || bytes.starts_with(OLE)
        || matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
}

/// Reads the sheet named `sheet_name` (default the first) of the workbook
/// in `bytes`: its rows, its format and the sheet's name.
pub(super) fn read_sheet(
    bytes: &[u8],
    sheet_name: Option<&str>,
    options: &BatchOptions,
    reserved: &[&str],
) -> Result<(Rows, TableFormat, String), TableError> {
    // A damaged file must be a TableError, never a crash. calamine returns
    // errors for most damage, but 0.38 panics on some truncated .xls files
    // (a slice past the data in its compound-file reader, found by the
    // damaged-workbook test), so its panics are caught here as well. The
    // panic hook still prints its message; the batch goes on to report the
    // file as unreadable.
    if bytes.starts_with(OLE) {
        super::compound::check(bytes).map_err(|reason| TableError::Spreadsheet {
            reason: format!("damaged .xls container: {reason}"),
        })?;
    }
    // The ZIP checks read through the same ZIP and XML crates as
    // calamine: inside the same guard.
    let opened = catch_unwind(AssertUnwindSafe(|| {
        if !bytes.starts_with(OLE) {
            super::zipped::check(bytes).map_err(|reason| TableError::Spreadsheet { reason })?;
        }
        open_sheet(bytes, sheet_name)
    }))
    .unwrap_or_else(|_| {
        Err(TableError::Spreadsheet {
            reason: "the spreadsheet reader failed on this file".into(),
        })
    })?;
    let (cells, format, name) = opened;
    Ok((sheet_rows(cells, options, reserved)?, format, name))
}

/// One sheet's non-empty cells as (row, column, value), numbered from 0 as
/// the sheet numbers them. Kept sparse: a stray cell far from the table
/// (typed into XFD1048576, say) would make a dense range of billions of
/// cells, and calamine's dense `Range` aborted the process on one.
type Cells = Vec<(u32, u32, Data)>;

/// Cells a sheet may hold: BIFF8's whole sheet, 65,536 rows of 256 columns
/// (MS-XLS 2.2.4; a signage list is a few thousand rows). Also the bound
/// on what an `.xls` may declare or span (see `compound`).
pub(super) const MAX_CELLS: usize = 65_536 * 256;

/// Appends the non-empty cells `next` gives (an XLSX or XLSB cell reader's)
/// until it gives none.
fn read_cells<'a, E: std::fmt::Display>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, E>,
    cells: &mut Cells,
) -> Result<(), TableError> {
    let fail = |e: E| TableError::Spreadsheet {
        reason: e.to_string(),
    };
    while let Some(c) = next().map_err(fail)? {
        if !matches!(c.get_value(), DataRef::Empty) {
            let (row, col) = c.get_position();
            push_cell(cells, row, col, c.get_value().clone().into())?;
        }
    }
    Ok(())
}

/// Appends a cell, or says the sheet is too large.
fn push_cell(cells: &mut Cells, row: u32, col: u32, value: Data) -> Result<(), TableError> {
    if cells.len() >= MAX_CELLS {
        return Err(TableError::Spreadsheet {
            reason: format!("the sheet has more than {MAX_CELLS} non-empty cells"),
        });
    }
    cells.push((row, col, value));
    Ok(())
}

/// Opens the workbook and reads one sheet's cells.
fn open_sheet(
    bytes: &[u8],
    sheet_name: Option<&str>,
) -> Result<(Cells, TableFormat, String), TableError> {
    let fail = |e: &dyn std::fmt::Display| TableError::Spreadsheet {
        reason: e.to_string(),
    };
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let format = match &book {
        Sheets::Xlsx(_) => TableFormat::Xlsx,
        Sheets::Xlsb(_) => TableFormat::Xlsb,
        Sheets::Xls(_) => TableFormat::Xls,
        Sheets::Ods(_) => TableFormat::Ods,
    };
    let sheets = book.sheet_names();
    let name = match sheet_name {
        Some(asked) => sheets
            .iter()
            .find(|s| s.as_str() == asked)
            .or_else(|| sheets.iter().find(|s| s.eq_ignore_ascii_case(asked)))
            .cloned()
            .ok_or_else(|| TableError::NoSheet {
                name: asked.chars().take(100).collect(),
                sheets: sheets.clone(),
            })?,
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| TableError::Spreadsheet {
                reason: "the workbook has no sheet".into(),
            })?,
    };
    let mut cells = Cells::new();
    // XLSX and XLSB cell by cell, as calamine's own dense read does (a
    // chart sheet has no cells); XLS and ODS build their dense range when
    // the workbook opens, bounded by their formats (see `compound`).
    match &mut book {
        Sheets::Xlsx(x) => match x.worksheet_cells_reader(&name) {
            Ok(mut reader) => read_cells(|| reader.next_cell(), &mut cells)?,
            Err(XlsxError::NotAWorksheet(_)) => {}
            Err(e) => return Err(fail(&e)),
        },
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(&name).map_err(|e| fail(&e))?;
            read_cells(|| reader.next_cell(), &mut cells)?;
        }
        _ => {
            let range = book.worksheet_range(&name).map_err(|e| fail(&e))?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                // Within u32: the range's own positions are u32.
                let at =
                    |base: u32, i: usize| base.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                push_cell(&mut cells, at(row0, r), at(col0, c), value.clone())?;
            }
        }
    }
    Ok((cells, format, name))
}

/// The sheet's rows through the shared rules: the first row with any
/// content is the header, which must name `id`; wholly empty rows after it
/// are skipped, as CSV readers skip blank lines (sheets often carry
/// formatted empty rows). Columns count from the leftmost used cell of the
/// sheet and run to the header's last cell: cells right of it have no name
/// and are not read.
fn sheet_rows(
    mut cells: Cells,
    options: &BatchOptions,
    reserved: &[&str],
) -> Result<Rows, TableError> {
    cells.sort_by_key(|&(row, col, _)| (row, col));
    let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let column = |col: u32| (col - first_col) as usize;
    let mut rows = cells.chunk_by(|a, b| a.0 == b.0);
    let header = rows.next().ok_or(TableError::NoIdColumn)?;
    let width = header.last().map_or(0, |c| column(c.1) + 1);
    let data_rows = rows.clone().count();
    if data_rows.saturating_mul(width) > MAX_CELLS {
        return Err(TableError::Spreadsheet {
            reason: format!(
                "the table is {data_rows} rows of {width} columns, more than a sheet of \
                 {MAX_CELLS} cells"
            ),
        });
    }
    // An error cell in the header names no column.
    let mut names = vec![String::new(); width];
    for (_, col, value) in header {
        names[column(*col)] = cell_text(value)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
    }
    if !names.iter().any(|n| n == "id") {
        return Err(TableError::NoIdColumn);
    }
    let mut checker = RowChecker::new(options, reserved);
    let mut values = Vec::with_capacity(width);
    for row in rows {
        // Row 0 of the sheet is row 1 on screen.
        let line = row.first().map_or(0, |c| u64::from(c.0)) + 1;
        values.clear();
        values.resize(width, Data::Empty);
        for (_, col, value) in row {
            if let Some(slot) = values.get_mut(column(*col)) {
                *slot = value.clone();
            }
        }
        match row_cells(&values, &names) {
            Ok(texts) => {
                let pairs: Vec<(&str, &str)> = names
                    .iter()
                    .map(String::as_str)
                    .zip(texts.iter().map(String::as_str))
                    .collect();
                checker.check(line, Ok(&pairs));
            }
            Err(problem) => checker.check(line, Err(problem)),
        }
    }
    Ok(checker.rows)
}

/// One row's cells as text; the first error cell refuses the row. Every
/// row has one cell per column, so there is no field count to check.
fn row_cells(cells: &[Data], names: &[String]) -> Result<Vec<String>, RowProblem> {
    cells
        .iter()
        .zip(names)
        .map(|(cell, name)| {
            cell_text(cell).map_err(|error| RowProblem::CellError {
                column: name.clone(),
                error,
            })
        })
        .collect()
}

/// A cell as the text a spreadsheet shows, or the error it holds.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(true) => "TRUE".into(),
        Data::Bool(false) => "FALSE".into(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            match (d.as_f64() < 1.0, (h, mi, s) == (0, 0, 0)) {
                // A time of day alone is stored as a fraction of day 0.
                (true, _) => format!("{h:02}:{mi:02}:{s:02}"),
                (false, true) => format!("{y:04}-{mo:02}-{day:02}"),
                (false, false) => format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}"),
            }
        }
        // A duration: its number of days, as the cell holds it.
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// A number as a spreadsheet shows it in the General format: 15 significant
/// digits (binary noise such as `0.30000000000000004` is not what anyone
/// typed), and whole numbers without a decimal point, so that an id typed
/// as `42` stays `42`.
pub(super) fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    // Rounding through the decimal exponent form keeps 15 digits exactly.
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        rounded.to_string()
    }
}
