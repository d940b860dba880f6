//! Batch tables as towns keep them: CSV in the delimiter and encoding their
//! office suite wrote (`,` `;` or tab; UTF-8, UTF-16 or Windows-1252), and
//! `.xlsx`, `.xls` and `.ods` workbooks. Every form ends in the same row rules
//! ([`RowChecker`](super::rows)), so a row is refused for the same reason,
//! with the same words, whatever file it came from.

use core::fmt;
use core::str::FromStr;
use std::borrow::Cow;

use super::rows::{read_csv, Rows, TableError};
use super::spreadsheet::{is_spreadsheet, read_sheet};
use super::BatchOptions;

/// How [`read_table`] reads a file. Every option's default suits a file as
/// an office suite saved it.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct TableOptions {
    delimiter: Option<u8>,
    encoding: TextEncoding,
    sheet_name: Option<String>,
}

impl TableOptions {
    /// The CSV field delimiter. Default: `None`, detected from the header:
    /// of `,` `;` and tab, the one that splits it into the most fields with
    /// an `id` column among them (Excel in French and German saves with `;`,
    /// exports for databases often use tab).
    pub fn delimiter(mut self, d: Option<u8>) -> Self {
        self.delimiter = d;
        self
    }

    /// The text encoding of a CSV file without a UTF-16 byte order mark.
    /// Default: [`TextEncoding::Auto`].
    pub fn encoding(mut self, e: TextEncoding) -> Self {
        self.encoding = e;
        self
    }

    /// The sheet of a workbook to read. Default: `None`, the first sheet.
    pub fn sheet_name(mut self, s: Option<String>) -> Self {
        self.sheet_name = s;
        self
    }
}

/// The text encoding of a CSV file.
///
/// A UTF-16 byte order mark always wins: a UTF-16 file read as anything else
/// would be nothing but wrong characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextEncoding {
    /// Valid UTF-8 is UTF-8, anything else Windows-1252 (what Excel on
    /// Windows saves as "CSV" in Western Europe). A Windows-1252 file with
    /// accents is almost never valid UTF-8, so the guess is safe.
    #[default]
    Auto,
    /// UTF-8, with or without a byte order mark; a cell that is not valid
    /// UTF-8 refuses its row.
    Utf8,
    /// Windows-1252 (the WHATWG mapping, as browsers read it).
    Windows1252,
}

impl TextEncoding {
    /// `auto`, `utf-8` or `windows-1252`, as [`FromStr`] takes it.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Auto => "auto",
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TextEncoding {
    type Err = String;
    /// `auto`, `utf-8` (or `utf8`), `windows-1252` (or `cp1252`), any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(TextEncoding::Auto),
            "utf-8" | "utf8" => Ok(TextEncoding::Utf8),
            "windows-1252" | "cp1252" => Ok(TextEncoding::Windows1252),
            _ => Err(format!(
                "{:?} is not auto, utf-8 or windows-1252",
                s.chars().take(20).collect::<String>()
            )),
        }
    }
}

/// The kind of file a table was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableFormat {
    /// Delimited text.
    Csv,
    /// Office Open XML workbook (Excel 2007 and later).
    Xlsx,
    /// Excel binary workbook (Excel 2007 and later).
    Xlsb,
    /// Excel 97-2003 workbook.
    Xls,
    /// OpenDocument spreadsheet (LibreOffice).
    Ods,
}

impl TableFormat {
    /// `CSV`, `XLSX`, `XLSB`, `XLS` or `ODS`.
    pub fn name(self) -> &'static str {
        match self {
            TableFormat::Csv => "CSV",
            TableFormat::Xlsx => "XLSX",
            TableFormat::Xlsb => "XLSB",
            TableFormat::Xls => "XLS",
            TableFormat::Ods => "ODS",
        }
    }
}

/// How [`read_table`] read a file, for the front end to say so: the format,
/// and the delimiter and encoding of a CSV file or the sheet of a workbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableInfo {
    format: TableFormat,
    delimiter: Option<u8>,
    encoding: Option<&'static str>,
    encoding_from: Option<EncodingFrom>,
    sheet: Option<String>,
}

/// Why a CSV file was read in its encoding, when not because it was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EncodingFrom {
    /// The byte order mark.
    Bom,
    /// [`TextEncoding::Auto`].
    Detected,
}

impl TableInfo {
    /// The file's format.
    pub fn format(&self) -> TableFormat {
        self.format
    }

    /// The CSV delimiter used; `None` for a workbook.
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// The CSV encoding used (`UTF-8`, `UTF-16LE`, `UTF-16BE` or
    /// `Windows-1252`); `None` for a workbook.
    pub fn encoding(&self) -> Option<&'static str> {
        self.encoding
    }

    /// Whether the encoding was chosen by civiqr (detected or from a byte
    /// order mark) rather than given.
    pub fn encoding_detected(&self) -> bool {
        self.encoding_from.is_some()
    }

    /// The sheet read; `None` for CSV.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }
}

impl fmt::Display for TableInfo {
    /// `CSV, ';'-separated, Windows-1252 (detected)` or
    /// `XLSX, sheet "Feuil1"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format.name())?;
        match self.delimiter {
            Some(b'\t') => f.write_str(", tab-separated")?,
            Some(d) => write!(f, ", '{}'-separated", char::from(d))?,
            None => {}
        }
        if let Some(e) = self.encoding {
            write!(f, ", {e}")?;
            match self.encoding_from {
                Some(EncodingFrom::Bom) => f.write_str(" (byte order mark)")?,
                Some(EncodingFrom::Detected) => f.write_str(" (detected)")?,
                None => {}
            }
        }
        if let Some(s) = &self.sheet {
            write!(f, ", sheet {s:?}")?;
        }
        Ok(())
    }
}

/// Reads a batch table from a file's bytes: a workbook (`.xlsx`, `.xlsb`,
/// `.xls`, `.ods`, known by its content or its name's extension) through
/// its sheet's cells, anything else as CSV in the delimiter and encoding of
/// `table`; then the rules of [`read_rows`](super::read_rows) on every row.
///
/// `file_name` names the file in row errors ([`RowError::file`](super::RowError)),
/// which also carry the sheet of a workbook. A workbook's line numbers are its
/// row numbers as the spreadsheet shows them; wholly empty rows are skipped.
/// Cells become text as a spreadsheet shows them: whole numbers without a
/// decimal point (id `42`, not `42.0`), other numbers to 15 significant
/// digits, dates as ISO 8601 (`2026-11-26`, with `T12:30:00` when there is a
/// time), booleans as `TRUE`/`FALSE`, empty cells empty; a cell holding an
/// error (`#N/A`) refuses its row.
///
/// # Errors
///
/// [`TableError`] when the file cannot be read as a table or its header is
/// unusable, or the sheet asked for is missing.
pub fn read_table(
    bytes: &[u8],
    file_name: &str,
    table: &TableOptions,
    options: &BatchOptions,
    reserved: &[&str],
) -> Result<(Rows, TableInfo), TableError> {
    let (mut rows, info) = if is_spreadsheet(bytes, file_name) {
        let (rows, format, sheet) =
            read_sheet(bytes, table.sheet_name.as_deref(), options, reserved)?;
        let info = TableInfo {
            format,
            delimiter: None,
            encoding: None,
            encoding_from: None,
            sheet: Some(sheet),
        };
        (rows, info)
    } else {
        let (text, encoding, encoding_from) = decode(bytes, table.encoding);
        let delimiter = table.delimiter.unwrap_or_else(|| detect_delimiter(&text));
        let rows = read_csv(&text, delimiter, options, reserved)?;
        let info = TableInfo {
            format: TableFormat::Csv,
            delimiter: Some(delimiter),
            encoding: Some(encoding),
            encoding_from,
            sheet: None,
        };
        (rows, info)
    };
    for e in &mut rows.bad {
        e.file = Some(file_name.to_string());
        e.sheet.clone_from(&info.sheet);
    }
    Ok((rows, info))
}

/// The text of a CSV file as UTF-8 bytes without a byte order mark, the
/// encoding's name, and why it was chosen.
fn decode(
    bytes: &[u8],
    asked: TextEncoding,
) -> (Cow<'_, [u8]>, &'static str, Option<EncodingFrom>) {
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    if let Some(enc) = utf16 {
        // Unpaired surrogates become U+FFFD, which no id or URL check accepts
        // silently, so the row fails where the damage is.
        let (text, _) = enc.decode_with_bom_removal(bytes);
        let name = if enc == encoding_rs::UTF_16LE {
            "UTF-16LE"
        } else {
            "UTF-16BE"
        };
        return (
            Cow::Owned(text.into_owned().into_bytes()),
            name,
            Some(EncodingFrom::Bom),
        );
    }
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let cp1252 = |bytes: &[u8]| {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        Cow::Owned(text.into_owned().into_bytes())
    };
    match asked {
        TextEncoding::Utf8 => (Cow::Borrowed(without_bom), "UTF-8", None),
        TextEncoding::Windows1252 => (cp1252(bytes), "Windows-1252", None),
        TextEncoding::Auto if std::str::from_utf8(without_bom).is_ok() => (
            Cow::Borrowed(without_bom),
            "UTF-8",
            Some(EncodingFrom::Detected),
        ),
        TextEncoding::Auto => (cp1252(bytes), "Windows-1252", Some(EncodingFrom::Detected)),
    }
}

/// The delimiter among `,` `;` and tab that splits the header into the most
/// fields with an `id` column among them; without an `id` column under any,
/// the one giving the most fields (the header is then refused for its
/// missing `id`, which is the useful message). Ties go to `,` then `;`.
fn detect_delimiter(text: &[u8]) -> u8 {
    let mut best = (b',', false, 0);
    for d in [b',', b';', b'\t'] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let Some(Ok(header)) = reader.byte_records().next() else {
            continue;
        };
        let has_id = header
            .iter()
            .any(|c| c.trim_ascii().eq_ignore_ascii_case(b"id"));
        if (has_id, header.len()) > (best.1, best.2) {
            best = (d, has_id, header.len());
        }
    }
    best.0
}
