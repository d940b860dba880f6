//! Workbooks (`.xlsx`, `.xlsb`, `.xls`, `.ods`) as batch tables, through the
//! `calamine` crate: one sheet's cells as the text a spreadsheet shows, row
//! numbers as it shows them, then the shared row rules.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{open_workbook_auto_from_rs, Data, Range, Reader, Sheets};

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
    let opened =
        catch_unwind(AssertUnwindSafe(|| open_sheet(bytes, sheet_name))).unwrap_or_else(|_| {
            Err(TableError::Spreadsheet {
                reason: "the spreadsheet reader failed on this file".into(),
            })
        })?;
    let (range, format, name) = opened;
    Ok((sheet_rows(&range, options, reserved)?, format, name))
}

/// Opens the workbook and reads one sheet's cells.
fn open_sheet(
    bytes: &[u8],
    sheet_name: Option<&str>,
) -> Result<(Range<Data>, TableFormat, String), TableError> {
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
    let range = book.worksheet_range(&name).map_err(|e| fail(&e))?;
    Ok((range, format, name))
}

/// The sheet's rows through the shared rules: the first row with any
/// content is the header, which must name `id`; wholly empty rows after it
/// are skipped, as CSV readers skip blank lines (sheets often carry
/// formatted empty rows).
fn sheet_rows(
    range: &Range<Data>,
    options: &BatchOptions,
    reserved: &[&str],
) -> Result<Rows, TableError> {
    // Row numbers as the spreadsheet shows them: the range starts at the
    // first used cell, and row 0 of the sheet is row 1 on screen.
    let first = range.start().map_or(0, |(row, _)| u64::from(row)) + 1;
    let mut rows = range
        .rows()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !matches!(c, Data::Empty)));
    let (_, header) = rows.next().ok_or(TableError::NoIdColumn)?;
    // An error cell in the header names no column.
    let names: Vec<String> = header
        .iter()
        .map(|c| cell_text(c).unwrap_or_default().trim().to_ascii_lowercase())
        .collect();
    if !names.iter().any(|n| n == "id") {
        return Err(TableError::NoIdColumn);
    }
    let mut checker = RowChecker::new(options, reserved);
    for (i, cells) in rows {
        let line = first + i as u64;
        match row_cells(cells, &names) {
            Ok(values) => {
                let pairs: Vec<(&str, &str)> = names
                    .iter()
                    .map(String::as_str)
                    .zip(values.iter().map(String::as_str))
                    .collect();
                checker.check(line, Ok(&pairs));
            }
            Err(problem) => checker.check(line, Err(problem)),
        }
    }
    Ok(checker.rows)
}

/// One row's cells as text; the first error cell refuses the row. Every
/// row of a range has one cell per column, so there is no field count to
/// check.
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
