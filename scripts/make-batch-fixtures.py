"""Writes the batch table fixtures in core/tests/fixtures/batch/: one small
asset list, the same rows in every form a town's office suite saves, each
written by a library that follows that format's own conventions (never by
hand), so the Rust tests read files like the ones users have:

  towns.xlsx           openpyxl (Excel 2007+), ids typed as numbers, a date
                       cell, a second sheet "Notes" without an id column
  towns-stray-cell.xlsx  the same, and a stray "x" in the sheet's last cell,
                       XFD1048576 (typed there by mistake: a dense reading
                       of the sheet would hold 17 billion cells)
  towns.ods            odfpy (LibreOffice), the same cell types
  towns-wide-rows.ods  the same, and 1,100 rows below the table with one
                       value filled across all 16,384 columns: 18 million
                       cells, which calamine would hold (about 1 GB)
  towns.xls            xlwt (Excel 97-2003), the same cell types
  towns-semicolon.csv  Python's csv as Excel in French saves "CSV": ';',
                       Windows-1252, CRLF line ends
  towns-tab.txt        as Excel saves "Unicode text": tab, UTF-16LE with BOM,
                       CRLF
  towns-utf8-bom.csv   as Excel saves "CSV UTF-8": ',', UTF-8 with BOM, CRLF
  towns-lf.csv         ',', UTF-8 without BOM, LF (what scripts write)

The Rust tests read only the committed files; this script is needed only to
change them. Line 4 is empty in every file, line 5 has no id and line 7
repeats line 2's id, so every reader must give the same two refused rows on
the same lines.

usage: .venv/bin/python scripts/make-batch-fixtures.py
(needs openpyxl, odfpy and xlwt: pip install openpyxl odfpy xlwt)
"""

import csv
import datetime
import os

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "core", "tests", "fixtures", "batch")

HEADER = ["id", "label", "url", "installed", "height"]
DAY = datetime.date(2026, 11, 26)
# Numbers stay numbers in the workbooks (an id typed as 42 is a number
# there); the CSV files hold the text a spreadsheet shows for them.
ROWS = [
    [42, "Rue de l\u2019\u00c9glise \u2013 C\u0153ur", "https://example.org/b/42", DAY, 2.5],
    ["banc-7", "Place \u00c9mile-Zola", "https://example.org/b/7", DAY, 1],
    None,  # an empty row: skipped, but it keeps its line
    ["", "sans id", "https://example.org/b/x", DAY, 3],
    ["\u0153uvre-3", "\u0152uvre d\u2019art \u2026 \u20ac", "https://example.org/b/oeuvre", DAY, 0.1],
    [42, "doublon", "https://example.org/b/42bis", DAY, 2],
]


def text(value):
    """A cell as the text a spreadsheet shows for it."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text_rows():
    """The header and rows as text, an empty row as an empty record."""
    rows = [HEADER]
    for row in ROWS:
        rows.append([] if row is None else [text(v) for v in row])
    return rows


def write_csv(name, delimiter, encoding, lineterminator):
    with open(os.path.join(OUT, name), "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator=lineterminator)
        for row in text_rows():
            w.writerow(row)


def write_xlsx(name="towns.xlsx", stray=False):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bancs"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([] if row is None else [None if v == "" else v for v in row])
    for cell in sheet["D"][1:]:
        cell.number_format = "yyyy-mm-dd"
    if stray:
        sheet["XFD1048576"] = "x"
    notes = book.create_sheet("Notes")
    notes.append(["remarque"])
    notes.append(["no id column here"])
    book.save(os.path.join(OUT, name))


def ods_cell(value):
    if value is None or value == "":
        return TableCell()
    if isinstance(value, datetime.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    elif isinstance(value, (int, float)):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=text(value)))
    return cell


def write_ods(name="towns.ods", wide_rows=0):
    doc = OpenDocumentSpreadsheet()
    for title, rows in [("Bancs", [HEADER] + ROWS), ("Notes", [["remarque"], ["no id column here"]])]:
        table = Table(name=title)
        for row in rows:
            tr = TableRow()
            for value in row or [None]:
                tr.addElement(ods_cell(value))
            table.addElement(tr)
        if title == "Bancs":
            for _ in range(wide_rows):
                tr = TableRow()
                cell = TableCell(valuetype="string", numbercolumnsrepeated=16384)
                cell.addElement(P(text="x"))
                tr.addElement(cell)
                table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(os.path.join(OUT, name))


def write_xls():
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sheet = book.add_sheet("Bancs")
    for c, name in enumerate(HEADER):
        sheet.write(0, c, name)
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row or []):
            if value == "":
                continue
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    notes = book.add_sheet("Notes")
    notes.write(0, 0, "remarque")
    notes.write(1, 0, "no id column here")
    book.save(os.path.join(OUT, "towns.xls"))


def main():
    os.makedirs(OUT, exist_ok=True)
    write_csv("towns-semicolon.csv", ";", "cp1252", "\r\n")
    write_csv("towns-tab.txt", "\t", "utf-16", "\r\n")  # BOM, native (LE) order
    write_csv("towns-utf8-bom.csv", ",", "utf-8-sig", "\r\n")
    write_csv("towns-lf.csv", ",", "utf-8", "\n")
    write_xlsx()
    write_xlsx("towns-stray-cell.xlsx", stray=True)
    write_ods()
    write_ods("towns-wide-rows.ods", wide_rows=1100)
    write_xls()
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    main()
