//! Checks of zipped workbooks (`.xlsx`, `.xlsb`, `.ods`) before they reach
//! calamine, which 0.38 holds some of their parts whole in memory:
//! - the shared strings of an `.xlsx` (about three times their XML's size:
//!   an 830 KB file of 20 million one-letter strings took 1.1 GB), so
//!   every part is unpacked once, counted and thrown away, and a workbook
//!   unpacking to more than [`MAX_UNPACKED`] is refused (the ZIP directory's
//!   sizes are not trusted: a damaged or crafted file can state any);
//! - every sheet of an `.ods` when it opens: each `table:table-row`
//!   element as its cells, one `number-columns-repeated` cell up to 16,384
//!   times, then each sheet as a dense range with every
//!   `number-rows-repeated` row written out (up to 100 million cells). At
//!   about 56 bytes a cell, a 3 KB file of wide rows took 4.9 GB and a
//!   14 KB one aborted the process (an allocation failure is no panic to
//!   catch). So `content.xml` is walked once, as calamine walks it,
//!   counting those cells without storing any; a sheet that would hold
//!   more than [`MAX_CELLS`] is refused with its size.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;

use super::spreadsheet::MAX_CELLS;

/// calamine's caps on a sheet's rows and a row's columns (ODF allows more).
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// The most a zipped workbook may unpack to, all parts together: a
/// signage list is kilobytes, a sheet of 65,536 rows of ten columns tens
/// of megabytes; unpacking runs at about 300 MB/s.
const MAX_UNPACKED: u64 = 256 << 20;

/// Checks the workbook in `bytes`: its unpacked size, then an `.ods`'s
/// sheets. A file that is no ZIP passes, as does a part that does not
/// unpack: calamine reports what is wrong with them. The error names the
/// part or the sheet and the size, for the row report.
pub(super) fn check(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut left = MAX_UNPACKED;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else {
            continue;
        };
        let name: String = part
            .name()
            .map(|n| n.chars().take(100).collect())
            .unwrap_or_default();
        let mut part = part.take(left + 1);
        // A part that fails to unpack part-way counts what it gave.
        let _ = std::io::copy(&mut part, &mut std::io::sink());
        let unpacked = left + 1 - part.limit();
        if unpacked > left {
            return Err(format!(
                "the workbook unpacks to more than {MAX_UNPACKED} bytes (at its part {name:?})"
            ));
        }
        left -= unpacked;
    }
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = Reader::from_reader(BufReader::new(content));
    // As calamine reads it: `<a/>` is a start and an end.
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table") => {
                // calamine reads only named tables.
                if let Some(name) = attribute(&e, "table:name") {
                    check_table(&mut reader, &name)?;
                }
            }
            // Damaged XML: calamine's own error says where.
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// The value of attribute `key` of `e`, if it has one that reads.
fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

/// A repeat count attribute; calamine refuses one that is no number.
fn repeats(e: &BytesStart<'_>, key: &str) -> usize {
    attribute(e, key).and_then(|v| v.parse().ok()).unwrap_or(1)
}

/// Walks one table's rows to its end and refuses it when calamine would
/// hold more than [`MAX_CELLS`] cells of it: the rows' cells as read, or
/// the dense range from the first row with a value to the last, as wide
/// as the widest such row.
fn check_table<R: std::io::BufRead>(reader: &mut Reader<R>, name: &str) -> Result<(), String> {
    let mut buf = Vec::new();
    let (mut read, mut rows) = (0usize, 0usize);
    // Rows from the first with a value, to the end of the last; widest.
    let (mut first, mut end, mut widest) = (None, 0usize, 0usize);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table-row") => {
                let repeated = repeats(&e, "table:number-rows-repeated").min(MAX_ROWS - rows);
                let (width, valued) = row_width(reader)?;
                read = read.saturating_add(width);
                if valued {
                    first.get_or_insert(rows);
                    end = rows + repeated;
                    widest = widest.max(width);
                }
                rows += repeated;
            }
            Ok(Event::End(e)) if e.name() == QName("table:table") => break,
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    let spanned = end - first.unwrap_or(end);
    let dense = spanned.saturating_mul(widest);
    if read.max(dense) > MAX_CELLS {
        return Err(format!(
            "sheet {name:?} spans {spanned} rows by {widest} columns: {} cells, over the \
             limit of {MAX_CELLS} per sheet",
            read.max(dense)
        ));
    }
    Ok(())
}

/// The cells calamine stores for one row (read up to its end): empty cells
/// only when a cell follows them, each run up to [`MAX_COLUMNS`] in all;
/// and whether any cell may hold a value. A cell counts as one with a value
/// type, a formula or any content: calamine keeps a few of those empty,
/// which only makes the count larger.
fn row_width<R: std::io::BufRead>(reader: &mut Reader<R>) -> Result<(usize, bool), String> {
    let mut buf = Vec::new();
    let mut skip = Vec::new();
    let (mut width, mut pending, mut valued) = (0usize, 0usize, false);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e))
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                let end = e.name().0.to_owned();
                let count = repeats(&e, "table:number-columns-repeated");
                let mut value = attribute(&e, "office:value-type").is_some()
                    || attribute(&e, "table:formula").is_some();
                skip.clear();
                match reader.read_event_into(&mut skip) {
                    Ok(Event::End(_)) => {}
                    Ok(Event::Eof) | Err(_) => return Ok((width, valued)),
                    Ok(_) => {
                        value = true;
                        skip.clear();
                        if reader.read_to_end_into(QName(&end), &mut skip).is_err() {
                            return Ok((width, valued));
                        }
                    }
                }
                width += pending.min(MAX_COLUMNS - width);
                pending = 0;
                let count = count.min(MAX_COLUMNS - width);
                if value {
                    width += count;
                    valued = true;
                } else {
                    pending = count;
                }
            }
            Ok(Event::End(e)) if e.name() == QName("table:table-row") => break,
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    Ok((width, valued))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An `.ods` whose one sheet "S" holds `body` (its rows).
    fn ods(body: &str) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let packed = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let content = format!(
            "<?xml version=\"1.0\"?><office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"S\">{body}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        );
        let files = [
            (
                "mimetype",
                "application/vnd.oasis.opendocument.spreadsheet",
                stored,
            ),
            ("content.xml", content.as_str(), packed),
        ];
        for (name, text, options) in files {
            assert!(out.start_file(name, options).is_ok());
            assert!(out.write_all(text.as_bytes()).is_ok());
        }
        out.finish().map(Cursor::into_inner).unwrap_or_default()
    }

    const WIDE_ROW: &str = "<table:table-row><table:table-cell office:value-type=\"string\" \
        table:number-columns-repeated=\"16384\"><text:p>x</text:p></table:table-cell>\
        </table:table-row>";

    #[test]
    fn a_list_of_a_few_rows_passes() {
        let row = "<table:table-row><table:table-cell office:value-type=\"string\">\
                   <text:p>id</text:p></table:table-cell><table:table-cell/>\
                   <table:table-cell table:number-columns-repeated=\"1000\"/></table:table-row>";
        assert_eq!(check(&ods(&row.repeat(5000))), Ok(()));
        // Empty rows repeated to the end of the sheet, as LibreOffice saves.
        let tail = "<table:table-row table:number-rows-repeated=\"1048570\">\
                    <table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>";
        assert_eq!(check(&ods(&format!("{row}{tail}"))), Ok(()));
    }

    #[test]
    fn wide_rows_are_refused_with_the_sheet_and_its_size() {
        // 1,100 rows of 16,384 cells: 18 million, over a sheet's 16.7.
        let e = check(&ods(&WIDE_ROW.repeat(1100)));
        let e = e.err().unwrap_or_default();
        assert!(
            e.contains("sheet \"S\" spans 1100 rows by 16384 columns"),
            "{e}"
        );
        assert_eq!(check(&ods(&WIDE_ROW.repeat(1000))), Ok(()));
    }

    #[test]
    fn rows_repeated_far_apart_count_every_row_between() {
        // A value in row 1 and in row 1,048,576: the dense range holds
        // every row between, 2 cells wide.
        let two = "<table:table-row><table:table-cell office:value-type=\"float\" \
                   office:value=\"1\" table:number-columns-repeated=\"2\"/></table:table-row>";
        let gap = "<table:table-row table:number-rows-repeated=\"1048574\">\
                   <table:table-cell/></table:table-row>";
        assert_eq!(check(&ods(&format!("{two}{gap}{two}"))), Ok(()));
        let wide = WIDE_ROW;
        let e = check(&ods(&format!("{wide}{gap}{wide}")));
        let e = e.err().unwrap_or_default();
        assert!(e.contains("spans 1048576 rows by 16384 columns"), "{e}");
    }

    #[test]
    fn empty_cells_before_a_value_count_and_trailing_ones_do_not() {
        // 16,000 empty cells then a value in each of 2,000 rows: 32 million
        // cells read; the same empties after the value are never stored.
        let before = "<table:table-row><table:table-cell table:number-columns-repeated=\"16000\"/>\
                      <table:table-cell office:value-type=\"string\"><text:p>x</text:p>\
                      </table:table-cell></table:table-row>";
        assert!(check(&ods(&before.repeat(2000))).is_err());
        let after = "<table:table-row><table:table-cell office:value-type=\"string\">\
                     <text:p>x</text:p></table:table-cell>\
                     <table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row>";
        assert_eq!(check(&ods(&after.repeat(2000))), Ok(()));
    }

    #[test]
    fn a_workbook_unpacking_to_over_256_mib_is_refused_whatever_its_directory_says() {
        // 300 MiB of one-letter shared strings pack to a third of a MB.
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let packed = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        assert!(out.start_file("xl/sharedStrings.xml", packed).is_ok());
        let strings = "<si><t>a</t></si>".repeat(1 << 16);
        for _ in 0..300 * (1 << 20) / strings.len() {
            assert!(out.write_all(strings.as_bytes()).is_ok());
        }
        let bytes = out.finish().map(Cursor::into_inner).unwrap_or_default();
        assert!(bytes.len() < 2 << 20, "{}", bytes.len());
        let e = check(&bytes).err().unwrap_or_default();
        assert!(e.contains("unpacks to more than 268435456 bytes"), "{e}");
        assert!(e.contains("\"xl/sharedStrings.xml\""), "{e}");
    }

    #[test]
    fn what_is_no_spreadsheet_is_left_to_calamine() {
        assert_eq!(check(b"id,url\n"), Ok(()));
        assert_eq!(check(&ods("<table:table-row>")), Ok(()));
    }
}
