//! Table tests: the same asset list as every office suite saves it
//! (fixtures written by openpyxl, odfpy, xlwt and Python's csv, see
//! scripts/make-batch-fixtures.py) gives the same rows and the same row
//! errors; encodings, delimiters, sheets, CRLF line numbers, damaged files.

use super::*;

const FIXTURES: [&str; 7] = [
    "towns-lf.csv",
    "towns-utf8-bom.csv",
    "towns-semicolon.csv",
    "towns-tab.txt",
    "towns.xlsx",
    "towns.ods",
    "towns.xls",
];

/// A committed fixture's bytes; a missing file fails the test, loudly.
fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/batch/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn read(name: &str, table: &TableOptions, options: &BatchOptions) -> (Rows, TableInfo) {
    read_table(&fixture(name), name, table, options, &["sheet-a4"])
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What a table gave: (line, id, label, data) of each asset and (line,
/// column, problem) of each refused row.
type Summary = (
    Vec<(u64, String, Option<String>, String)>,
    Vec<(u64, Option<String>, String)>,
);

fn summary(rows: &Rows) -> Summary {
    let assets = rows
        .assets
        .iter()
        .map(|(l, a)| (*l, a.id.clone(), a.label.clone(), a.data.clone()))
        .collect();
    let bad = rows
        .bad
        .iter()
        .map(|e| {
            (
                e.line,
                e.column().map(str::to_string),
                e.problem.to_string(),
            )
        })
        .collect();
    (assets, bad)
}

#[test]
fn every_format_gives_the_same_rows_and_errors() {
    // The template shows every cell as text: numbers, dates, accents.
    let options = BatchOptions::default().template(Some(
        "https://example.org/s/{id}?d={installed}&h={height}".into(),
    ));
    let first = summary(&read(FIXTURES[0], &TableOptions::default(), &options).0);
    let (assets, bad) = &first;
    let ids: Vec<(u64, &str)> = assets
        .iter()
        .map(|(l, id, _, _)| (*l, id.as_str()))
        .collect();
    assert_eq!(ids, [(2, "42"), (3, "banc-7"), (6, "œuvre-3")]);
    assert_eq!(assets[0].2.as_deref(), Some("Rue de l’Église – Cœur"));
    assert_eq!(assets[2].2.as_deref(), Some("Œuvre d’art … €"));
    assert_eq!(assets[0].3, "https://example.org/s/42?d=2026-11-26&h=2.5");
    assert_eq!(
        assets[2].3,
        "https://example.org/s/%C5%93uvre-3?d=2026-11-26&h=0.1"
    );
    assert_eq!(
        bad,
        &[
            (5, Some("id".to_string()), "id: missing".to_string()),
            (
                7,
                Some("id".to_string()),
                "duplicate id \"42\": same file name as id \"42\" on line 2".to_string()
            ),
        ]
    );
    for name in &FIXTURES[1..] {
        let got = summary(&read(name, &TableOptions::default(), &options).0);
        assert_eq!(got, first, "{name}");
    }
    // Without a template the url column is the content, in every format.
    for name in FIXTURES {
        let (rows, _) = read(name, &TableOptions::default(), &BatchOptions::default());
        let data: Vec<&str> = rows.assets.iter().map(|(_, a)| a.data.as_str()).collect();
        assert_eq!(
            data,
            [
                "https://example.org/b/42",
                "https://example.org/b/7",
                "https://example.org/b/oeuvre"
            ],
            "{name}"
        );
    }
}

#[test]
fn the_table_says_how_it_was_read() {
    let info = |name: &str| read(name, &TableOptions::default(), &BatchOptions::default()).1;
    assert_eq!(
        info("towns-semicolon.csv").to_string(),
        "CSV, ';'-separated, Windows-1252 (detected)"
    );
    assert_eq!(
        info("towns-tab.txt").to_string(),
        "CSV, tab-separated, UTF-16LE (byte order mark)"
    );
    assert_eq!(
        info("towns-utf8-bom.csv").to_string(),
        "CSV, ','-separated, UTF-8 (detected)"
    );
    assert_eq!(info("towns.xlsx").to_string(), "XLSX, sheet \"Bancs\"");
    assert_eq!(info("towns.ods").format(), TableFormat::Ods);
    assert_eq!(info("towns.xls").format(), TableFormat::Xls);
    assert_eq!(info("towns.xls").sheet(), Some("Bancs"));
    let given = read(
        "towns-semicolon.csv",
        &TableOptions::default()
            .encoding(TextEncoding::Windows1252)
            .delimiter(Some(b';')),
        &BatchOptions::default(),
    )
    .1;
    assert_eq!(given.to_string(), "CSV, ';'-separated, Windows-1252");
    assert!(!given.encoding_detected());
}

#[test]
fn row_errors_name_file_sheet_line_and_column() {
    let messages = |name: &str| -> Vec<String> {
        let rows = read(name, &TableOptions::default(), &BatchOptions::default()).0;
        rows.bad.iter().map(ToString::to_string).collect()
    };
    assert_eq!(
        messages("towns.xlsx")[0],
        "towns.xlsx sheet \"Bancs\" line 5 column \"id\": id: missing"
    );
    assert_eq!(
        messages("towns.ods")[1],
        "towns.ods sheet \"Bancs\" line 7 column \"id\": \
         duplicate id \"42\": same file name as id \"42\" on line 2"
    );
    assert_eq!(
        messages("towns-semicolon.csv")[0],
        "towns-semicolon.csv line 5 column \"id\": id: missing"
    );
    // read_rows keeps its messages: the caller names the file.
    let rows = read_rows(b"id,url\n,https://a.org\n", &BatchOptions::default(), &[]);
    let rows = rows.expect("header");
    assert_eq!(rows.bad[0].to_string(), "line 2: id: missing");
    assert_eq!(rows.bad[0].column(), Some("id"));
}

#[test]
fn encodings_and_delimiters_can_be_given() {
    let opts = BatchOptions::default();
    // Windows-1252 read as UTF-8: the accented rows are refused, by column.
    let utf8 = TableOptions::default().encoding(TextEncoding::Utf8);
    let rows = read("towns-semicolon.csv", &utf8, &opts).0;
    let bad: Vec<(u64, Option<&str>)> = rows.bad.iter().map(|e| (e.line, e.column())).collect();
    assert_eq!(
        bad,
        [
            (2, Some("label")),
            (3, Some("label")),
            (5, Some("id")),
            (6, Some("id"))
        ]
    );
    // The column is named once.
    assert_eq!(
        rows.bad[0].to_string(),
        "towns-semicolon.csv line 2: column \"label\" is not valid UTF-8 (at byte 8)"
    );
    // The wrong delimiter leaves no id column.
    let comma = TableOptions::default().delimiter(Some(b','));
    let e = read_table(&fixture("towns-semicolon.csv"), "t.csv", &comma, &opts, &[]);
    assert_eq!(e.err(), Some(TableError::NoIdColumn));
    assert_eq!("UTF-8".parse(), Ok(TextEncoding::Utf8));
    assert_eq!("windows-1252".parse(), Ok(TextEncoding::Windows1252));
    assert_eq!("auto".parse(), Ok(TextEncoding::Auto));
    assert!("latin-9".parse::<TextEncoding>().is_err());
    // UTF-16 big-endian with its byte order mark.
    let mut be = vec![0xFE, 0xFF];
    for u in "id\turl\r\nx\thttps://example.org/é\r\n".encode_utf16() {
        be.extend_from_slice(&u.to_be_bytes());
    }
    let (rows, info) =
        read_table(&be, "be.txt", &TableOptions::default(), &opts, &[]).expect("UTF-16BE table");
    assert_eq!(
        info.to_string(),
        "CSV, tab-separated, UTF-16BE (byte order mark)"
    );
    assert_eq!(rows.assets[0].1.data, "https://example.org/é");
}

#[test]
fn the_delimiter_is_the_one_that_finds_the_id_column() {
    let opts = BatchOptions::default();
    let delimiter = |csv: &str| {
        read_table(
            csv.as_bytes(),
            "t.csv",
            &TableOptions::default(),
            &opts,
            &[],
        )
        .map(|(_, info)| info.delimiter())
    };
    assert_eq!(delimiter("id;url\n"), Ok(Some(b';')));
    assert_eq!(delimiter("id\turl\n"), Ok(Some(b'\t')));
    assert_eq!(delimiter("id,url\n"), Ok(Some(b',')));
    // A comma inside a `;` header's names: `;` still finds `id`.
    assert_eq!(delimiter("id;\"nom, prénom\";url\n"), Ok(Some(b';')));
    // Commas split more, but only `;` gives an `id` column.
    assert_eq!(delimiter("id;a,b,c,d\n"), Ok(Some(b';')));
    assert_eq!(delimiter("url;label\n"), Err(TableError::NoIdColumn));
}

#[test]
fn crlf_and_cr_files_count_lines_like_lf_files() {
    let opts = BatchOptions::default();
    let lines = |csv: &str| -> (Vec<u64>, Vec<u64>) {
        let rows = read_rows(csv.as_bytes(), &opts, &[]).expect("header");
        (
            rows.assets.iter().map(|(l, _)| *l).collect(),
            rows.bad.iter().map(|e| e.line).collect(),
        )
    };
    let lf = "id,url\na,https://a.org\n\n,https://b.org\n\"c\nd\",https://c.org\ne,https://e.org\n";
    let want = (vec![2, 5, 7], vec![4]);
    assert_eq!(lines(lf), want);
    assert_eq!(lines(&lf.replace('\n', "\r\n")), want, "CRLF");
    assert_eq!(lines(&lf.replace('\n', "\r")), want, "CR");
}

#[test]
fn sheets_are_chosen_by_name() {
    let opts = BatchOptions::default();
    let xlsx = fixture("towns.xlsx");
    let sheet = |name: &str| TableOptions::default().sheet_name(Some(name.into()));
    for file in ["towns.xlsx", "towns.ods", "towns.xls"] {
        let bytes = fixture(file);
        assert_eq!(
            read_table(&bytes, file, &sheet("Notes"), &opts, &[]).err(),
            Some(TableError::NoIdColumn),
            "{file}"
        );
        let e = read_table(&bytes, file, &sheet("Feuil1"), &opts, &[]).err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("no sheet named \"Feuil1\"; the sheets are \"Bancs\", \"Notes\"".to_string()),
            "{file}"
        );
    }
    let (rows, info) = read_table(&xlsx, "t.xlsx", &sheet("bancs"), &opts, &[]).expect("sheet");
    assert_eq!((rows.assets.len(), info.sheet()), (3, Some("Bancs")));
}

#[test]
fn damaged_workbooks_are_table_errors() {
    let opts = BatchOptions::default();
    for name in ["towns.xlsx", "towns.ods", "towns.xls"] {
        let good = fixture(name);
        // Cut short at many points, and with bytes overwritten: an error or
        // a table, never a panic.
        for cut in (0..good.len()).step_by(97) {
            let _ = read_table(&good[..cut], name, &TableOptions::default(), &opts, &[]);
        }
        for at in (0..good.len()).step_by(61) {
            let mut bad = good.clone();
            bad[at] ^= 0x5A;
            let _ = read_table(&bad, name, &TableOptions::default(), &opts, &[]);
        }
        let cut = read_table(
            &good[..good.len() / 2],
            name,
            &TableOptions::default(),
            &opts,
            &[],
        );
        assert!(
            matches!(cut, Err(TableError::Spreadsheet { .. })),
            "{name}: {cut:?}"
        );
    }
    // A text file named like a workbook is reported as a broken workbook.
    let e = read_table(
        b"id,url\n",
        "list.xlsx",
        &TableOptions::default(),
        &opts,
        &[],
    );
    assert!(matches!(e, Err(TableError::Spreadsheet { .. })), "{e:?}");
    // A sheet declaring billions of cells: calamine would abort the
    // process reserving room for them; it is a table error instead.
    let e = read_table(
        &fixture("damaged-dimensions.xls"),
        "assets.xls",
        &TableOptions::default(),
        &opts,
        &[],
    );
    assert!(
        matches!(&e, Err(TableError::Spreadsheet { reason }) if reason.contains("rows of")),
        "{e:?}"
    );
    // Rows filled across all 16,384 columns of an .ods: calamine would hold
    // 18 million cells (3.4 GB); refused before it reads them.
    let e = read_table(
        &fixture("towns-wide-rows.ods"),
        "assets.ods",
        &TableOptions::default(),
        &opts,
        &[],
    );
    assert!(
        matches!(&e, Err(TableError::Spreadsheet { reason })
            if reason.contains("sheet \"Bancs\" spans 1107 rows by 16384 columns")),
        "{e:?}"
    );
}

#[test]
fn numbers_read_as_a_spreadsheet_shows_them() {
    use super::spreadsheet::number_text;
    assert_eq!(number_text(42.0), "42");
    assert_eq!(number_text(-7.0), "-7");
    assert_eq!(number_text(2.5), "2.5");
    assert_eq!(number_text(0.1 + 0.2), "0.3");
    assert_eq!(number_text(123456789012.0), "123456789012");
    assert_eq!(number_text(1e20), "100000000000000000000");
}

#[test]
fn a_stray_cell_far_from_the_table_is_one_more_row_not_a_crash() {
    // The same sheet with an "x" typed into XFD1048576, its last cell: read
    // as one dense range it would hold 17 billion cells (calamine's asked
    // for 550 GB and the process aborted). Its row has no id.
    let opts = BatchOptions::default();
    let (plain, _) = read("towns.xlsx", &TableOptions::default(), &opts);
    let (stray, _) = read("towns-stray-cell.xlsx", &TableOptions::default(), &opts);
    let (mut want_assets, mut want_bad) = summary(&plain);
    let (assets, bad) = summary(&stray);
    assert_eq!(assets, std::mem::take(&mut want_assets));
    want_bad.push((
        1_048_576,
        Some("id".into()),
        BatchError::MissingId.to_string(),
    ));
    assert_eq!(bad, want_bad);
}
