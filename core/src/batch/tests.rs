//! Batch tests: safe file names, rows to symbols, sizing, verification,
//! manifest and sheet.

use super::*;
use crate::render::{self, RenderOptions};

#[test]
fn sanitised_ids_stay_inside_the_folder() {
    let ok = |id: &str| sanitize_id(id).expect("non-empty id");
    // Plain ids are kept exactly.
    assert_eq!(ok("banc-0042"), "banc-0042");
    assert_eq!(ok("Bus_Stop.12"), "Bus_Stop.12");
    for id in [
        "../../x",
        "a/b",
        "a\\b",
        "..",
        ".",
        ".hidden",
        "x.",
        "a b",
        "CON",
        "con.txt",
        "Lpt1",
        "NUL",
        "café",
        "東京",
        "tab\there",
        "C:evil",
        "\u{0}",
    ] {
        let s = ok(id);
        assert_ne!(s, id, "{id:?} should change");
        assert!(!s.is_empty() && s.len() <= MAX_STEM, "{id:?} -> {s:?}");
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{id:?} -> {s:?}"
        );
        assert!(!s.starts_with('.') && !s.ends_with('.'), "{id:?} -> {s:?}");
        let base = s.split('.').next().unwrap_or("").to_ascii_uppercase();
        assert!(
            !["CON", "NUL", "LPT1", "PRN", "AUX"].contains(&base.as_str()),
            "{s}"
        );
        // The stem is one path component that names a file inside the folder.
        let p = std::path::Path::new("out").join(format!("{s}.svg"));
        assert_eq!(p.parent(), Some(std::path::Path::new("out")), "{s}");
    }
    assert!(ok("a/b").starts_with("a_b-"));
    assert!(ok("CON").starts_with("_CON-"));
    // Distinct ids keep distinct stems even when they sanitise alike.
    assert_ne!(ok("a/b"), ok("a\\b"));
    assert_ne!(ok("café"), ok("cafè"));
    let long = "x".repeat(300);
    assert_eq!(ok(&long).len(), MAX_STEM);
    assert_ne!(ok(&long), ok(&"x".repeat(301)));
    assert_eq!(sanitize_id(""), Err(BatchError::MissingId));
    assert_eq!(sanitize_id("  "), Err(BatchError::MissingId));
}

fn row<'a>(pairs: &'a [(&'a str, &'a str)]) -> Result<Asset, BatchError> {
    prepare(pairs, &BatchOptions::default())
}

#[test]
fn rows_give_payloads_from_columns_or_template() -> Result<(), BatchError> {
    let a = row(&[
        ("id", "b1"),
        ("url", "https://example.org/b1"),
        ("label", "Banc 1"),
    ])?;
    assert_eq!(
        (a.data.as_str(), a.label.as_deref()),
        ("https://example.org/b1", Some("Banc 1"))
    );
    let a = row(&[("id", "p"), ("payload", "geo:1,2")])?;
    assert_eq!(a.payload.kind(), "geo");
    // Typed columns; columns that are not fields of the kind are ignored.
    let a = row(&[
        ("id", "meter-7"),
        ("type", "EPC"),
        ("name", "Tresor Public"),
        ("iban", "FR7630006000011234567890189"),
        ("amount", "2.40"),
        ("text", "Stationnement"),
        ("district", "Nord"),
    ])?;
    assert_eq!(a.payload.kind(), "epc");
    assert_eq!(a.code.ec_level(), EcLevel::M, "EPC069-12 asks for M");
    let opts = BatchOptions::default()
        .template(Some("https://example.org/s/{id}?d={district}".into()))
        .encode(EncodeOptions::default().ec_level(EcLevel::Q));
    let a = prepare(&[("id", "a b"), ("district", "Nord/Est")], &opts)?;
    assert_eq!(a.data, "https://example.org/s/a%20b?d=Nord%2FEst");
    assert_eq!(a.code.ec_level(), EcLevel::Q);
    Ok(())
}

#[test]
fn broken_rows_say_why() {
    assert_eq!(
        row(&[("id", ""), ("url", "https://a.org")]).unwrap_err(),
        BatchError::MissingId
    );
    assert_eq!(row(&[("id", "x")]).unwrap_err(), BatchError::NoContent);
    let e = row(&[
        ("id", "x"),
        ("type", "epc"),
        ("name", "A"),
        ("iban", "FR7630006000011234567890188"),
    ])
    .unwrap_err();
    assert!(e.to_string().starts_with("iban: check digits"), "{e}");
    let e = row(&[("id", "x"), ("type", "fax")]).unwrap_err();
    assert!(e.to_string().contains("unknown payload kind"), "{e}");
    let long = "a".repeat(3000);
    let e = row(&[("id", "x"), ("payload", &long)]).unwrap_err();
    assert!(matches!(e, BatchError::Encode(_)), "{e}");
    let e = prepare(
        &[("id", "x")],
        &BatchOptions::default().template(Some("https://a.org/{missing}".into())),
    )
    .unwrap_err();
    assert!(e.to_string().contains("{missing}"), "{e}");
}

#[test]
fn sizing_follows_the_distance_rule() {
    assert_eq!(min_module_mm(2.5), 10.0);
    // Version 3 (29 modules) + 2 x 4 quiet modules = 37 x 10 mm.
    assert_eq!(size_for_distance(2.5, 29, 4), 370.0);
    // Version 1 at arm's length: 29 x 1.2 mm = 34.8, rounded up.
    assert_eq!(size_for_distance(0.3, 21, 4), 35.0);
    assert!(size_warning(370.0, 29, 4, 2.5).is_none());
    let w = size_warning(100.0, 29, 4, 2.5).expect("too small");
    assert!(w.contains("370 mm"), "{w}");
    assert_eq!(parse_distance("2.5m"), Ok(2.5));
    assert_eq!(parse_distance("250cm"), Ok(2.5));
    assert_eq!(parse_distance("2500 mm"), Ok(2.5));
    assert_eq!(parse_distance("3"), Ok(3.0));
    for bad in ["", "m", "-1m", "0", "1km", "101m", "nan"] {
        assert!(parse_distance(bad).is_err(), "{bad}");
    }
}

#[test]
fn verification_reads_the_png_back() -> Result<(), BatchError> {
    let a = row(&[
        ("id", "b"),
        ("url", "https://example.org/mobilier/banc-0042"),
    ])?;
    let png = render::png(&a.code, &RenderOptions::default())?;
    verify_png(&png, a.data.as_bytes())?;
    let e = verify_png(&png, b"https://example.org/other").unwrap_err();
    assert!(e.to_string().contains("differ"), "{e}");
    let blank = render::png(
        &a.code,
        &RenderOptions::default()
            .dark(crate::render::Color::WHITE)
            .allow_low_contrast(true),
    )?;
    assert!(verify_png(&blank, a.data.as_bytes()).is_err());
    assert!(verify_png(b"not a png", b"x").is_err());
    Ok(())
}

#[test]
fn manifest_lists_files_and_hashes() -> Result<(), BatchError> {
    let a = row(&[("id", "x,\"1\""), ("payload", "BCD\nline")])?;
    let e = ManifestEntry::new(
        &a,
        vec![
            ("x.svg".into(), sha256_hex(b"")),
            ("x.png".into(), sha256_hex(b"abc")),
        ],
        true,
    );
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let csv = manifest_csv(std::slice::from_ref(&e));
    assert!(
        csv.starts_with("id,kind,payload,version,ec,mask,files,sha256,verified,key_id,grade\r\n")
    );
    assert!(csv.contains("\"x,\"\"1\"\"\",text,\"BCD\nline\","), "{csv}");
    assert!(csv.contains("x.svg;x.png,e3b0c442"), "{csv}");
    let json = manifest_json(&[e]);
    assert!(json.contains("\"id\":\"x,\\\"1\\\"\""), "{json}");
    assert!(json.contains("\"payload\":\"BCD\\nline\""), "{json}");
    assert!(json.contains("\"verified\":true"), "{json}");
    Ok(())
}

#[test]
fn sheet_fills_pages_and_rejects_oversized_symbols() -> Result<(), BatchError> {
    let a = row(&[("id", "b"), ("url", "https://example.org/b")])?;
    let items: Vec<SheetItem<'_>> = (0..30)
        .map(|i| SheetItem {
            code: &a.code,
            caption: vec![
                format!("Banc {i} – Grand'Place"),
                "b".into(),
                a.data.clone(),
            ],
        })
        .collect();
    // 40 mm symbols in 48 x 57 mm cells: 3 columns x 4 rows on A4, so 30 need 3 pages.
    let pdf = sheet_pdf(&items, Paper::A4, 40.0, 4)?;
    let text = String::from_utf8_lossy(&pdf);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(text.contains("/Count 3"), "pages");
    assert!(text.contains("/BaseFont /Helvetica"));
    assert!(
        shows(&pdf, b"Banc 0 \x96 Grand'Place"),
        "caption in WinAnsi, en dash kept"
    );
    assert!(matches!(
        sheet_pdf(&items, Paper::A4, 250.0, 4),
        Err(BatchError::SheetTooSmall { .. })
    ));
    assert!(sheet_pdf(&items, Paper::A3, 250.0, 4).is_ok());
    Ok(())
}

#[test]
fn signed_batches_sign_each_row_and_record_the_key_id() -> Result<(), BatchError> {
    use crate::sign::{Date, SignatureStatus, SigningKey, TrustList};
    let key = SigningKey::from_seed([5; 32], "Ville de Saint-Omer")?;
    let opts = BatchOptions::default()
        .template(Some("https://www.saint-omer.fr/h/{id}".into()))
        .sign_key(Some(key.clone()));
    let a = prepare(&[("id", "0042")], &opts)?;
    assert!(a.data.starts_with("https://www.saint-omer.fr/h/0042#CQ2"));
    assert_eq!(a.key_id.as_deref(), Some(key.key_id()));
    let mut trust = TrustList::new();
    trust.insert(key.trust_entry()).expect("empty list");
    let today = Date::new(2026, 11, 26).expect("a date");
    assert_eq!(
        trust.verify(a.data.as_bytes(), today).status(),
        SignatureStatus::Valid
    );
    let e = ManifestEntry::new(&a, vec![], false);
    assert!(
        manifest_csv(std::slice::from_ref(&e)).contains(&format!(",false,{},\r\n", key.key_id()))
    );
    assert!(manifest_json(&[e]).contains(&format!("\"key_id\":\"{}\"", key.key_id())));
    // Unsigned rows have no key id.
    let plain = row(&[("id", "b"), ("url", "https://example.org/b")])?;
    assert!(manifest_json(&[ManifestEntry::new(&plain, vec![], false)]).contains("\"key_id\":null"));
    // A Wi-Fi row cannot carry a tag.
    let wifi = prepare(
        &[
            ("id", "w"),
            ("type", "wifi"),
            ("ssid", "Mairie"),
            ("password", "secret-password"),
        ],
        &BatchOptions::default().sign_key(Some(key)),
    );
    assert!(matches!(wifi, Err(BatchError::Sign(_))), "{wifi:?}");
    Ok(())
}

#[test]
fn tables_keep_good_rows_and_name_bad_ones_by_line() {
    let csv = b"\xEF\xBB\xBFID , URL\n\
               a,https://example.org/a\n\
               b\n\
               A,https://example.org/a2\n\
               sheet-A4,https://example.org/s\n\
               \"multi\nline\",https://example.org/m\n\
               c,\xFF\n\
               ,https://example.org/none\n";
    let rows = read_rows(csv, &BatchOptions::default(), &["sheet-a4"]).expect("header");
    let lines: Vec<u64> = rows.assets.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [2, 6]);
    assert_eq!(rows.assets[1].1.id, "multi\nline");
    let bad: Vec<(u64, String)> = rows
        .bad
        .iter()
        .map(|e| (e.line, e.problem.to_string()))
        .collect();
    assert_eq!(
        bad,
        [
            (3, "1 fields, the header has 2".to_string()),
            (
                4,
                "duplicate id \"A\": same file name as id \"a\" on line 2".to_string()
            ),
            (5, "id \"sheet-A4\" would overwrite the sheet".to_string()),
            (
                8,
                "column \"url\" is not valid UTF-8 (at byte 0)".to_string()
            ),
            (9, "id: missing".to_string()),
        ]
    );
}

#[test]
fn unusable_headers_refuse_the_table() {
    let opts = BatchOptions::default();
    let err = |csv: &[u8]| read_rows(csv, &opts, &[]).expect_err("refused");
    assert_eq!(err(b"url,label\nx,y\n"), TableError::NoIdColumn);
    assert_eq!(err(b"url,label\nx,y\n").line(), None);
    let not_utf8 = err(b"id,\xFFurl\n");
    assert_eq!(not_utf8, TableError::HeaderNotUtf8 { column: 2 });
    assert_eq!(
        (not_utf8.line(), not_utf8.to_string()),
        (
            Some(1),
            "column 2 of the header is not valid UTF-8".to_string()
        )
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether `pdf` shows the caption `bytes`, which pdf-writer writes as a
/// hex string when any byte is not ASCII.
fn shows(pdf: &[u8], bytes: &[u8]) -> bool {
    let op: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    contains(pdf, format!("<{op}> Tj").as_bytes())
}

#[test]
fn captions_keep_every_winansi_character_and_report_the_others() -> Result<(), BatchError> {
    let a = row(&[("id", "b"), ("url", "https://example.org/b")])?;
    let captions = [
        "Rue de l’Église – Cœur",
        "« Œuvre » — „Straße“ ‘ĳ’ … 5 €",
        // Decomposed accents, as macOS writes them: e + U+0301, c + U+0327.
        "Gare de l'Este\u{301} – Franc\u{327}ois",
        "Αθήνα ✓",
    ];
    let items: Vec<SheetItem<'_>> = captions
        .iter()
        .map(|c| SheetItem {
            code: &a.code,
            caption: vec![c.to_string()],
        })
        .collect();
    let pdf = sheet_pdf(&items, Paper::A4, 60.0, 4)?;
    assert!(shows(&pdf, b"Rue de l\x92\xC9glise \x96 C\x9Cur"));
    assert!(shows(&pdf, b"Gare de l'Est\xE9 \x96 Fran\xE7ois"));
    // ĳ (Dutch ligature) is not in WinAnsi; Dutch writes it as "ij" anyway.
    let replaced: Vec<(usize, char)> = caption_replacements(&items)
        .iter()
        .map(|r| (r.item, r.character))
        .collect();
    assert_eq!(
        replaced,
        [
            (1, 'ĳ'),
            (3, 'Α'),
            (3, 'θ'),
            (3, 'ή'),
            (3, 'ν'),
            (3, 'α'),
            (3, '✓')
        ]
    );
    assert!(shows(
        &pdf,
        b"\xAB \x8Cuvre \xBB \x97 \x84Stra\xDFe\x93 \x91?\x92 \x85 5 \x80"
    ));
    assert!(contains(&pdf, b"(????? ?) Tj"));
    let r = caption_replacements(&items)[0];
    assert_eq!(
        r.to_string(),
        "caption line 1 has 'ĳ' (U+0133), which the sheet's font lacks; printed as '?'"
    );
    Ok(())
}

#[test]
fn the_fit_is_known_before_any_file_is_written() {
    assert_eq!(sheet_fits(Paper::A4, 40.0, None), Ok(()));
    // 250 mm symbols: too wide for A4 and Letter, fit on A3.
    for paper in [Paper::A4, Paper::Letter] {
        assert_eq!(
            sheet_fits(paper, 250.0, None),
            Err(BatchError::SheetTooSmall {
                size_mm: 250.0,
                paper
            })
        );
    }
    assert_eq!(sheet_fits(Paper::A3, 250.0, None), Ok(()));
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(sheet_fits(Paper::A4, bad, None).is_err(), "{bad}");
    }
    assert_eq!("Letter".parse(), Ok(Paper::Letter));
    assert_eq!(Paper::Letter.size_mm(), (215.9, 279.4));
    assert!("a5".parse::<Paper>().is_err());
}

#[test]
fn label_sheets_put_one_symbol_on_each_label() -> Result<(), BatchError> {
    let grid: Grid = "3x7".parse().map_err(|_| BatchError::NoContent)?;
    assert_eq!(grid.size(), (3, 7));
    for bad in ["3", "0x7", "3x", "x7", "3x101", "a x b"] {
        assert!(bad.parse::<Grid>().is_err(), "{bad}");
    }
    // A4 inside 10 mm margins: 63.3 x 39.6 mm labels; the caption takes 9 mm
    // and 4 mm of gap surround the symbol, so 22 mm symbols fit.
    let (w, h) = grid.label_mm(Paper::A4);
    assert!((w - 190.0 / 3.0).abs() < 1e-9 && (h - 277.0 / 7.0).abs() < 1e-9);
    assert_eq!(grid.max_symbol_mm(Paper::A4), 22.0);
    assert_eq!(sheet_fits(Paper::A4, 22.0, Some(&grid)), Ok(()));
    assert!(sheet_fits(Paper::A4, 23.0, Some(&grid)).is_err());
    let avery = grid.margins(15.15, 7.25).gutter(2.5, 0.0);
    assert!(sheet_fits(Paper::A4, 20.0, Some(&avery)).is_ok());
    assert!(sheet_fits(Paper::A4, 20.0, Some(&grid.margins(-1.0, 10.0))).is_err());
    let a = row(&[("id", "b"), ("url", "https://example.org/b")])?;
    let items: Vec<SheetItem<'_>> = (0..22)
        .map(|i| SheetItem {
            code: &a.code,
            caption: vec![format!("Banc {i}")],
        })
        .collect();
    // 21 labels a page: 22 items take 2 pages; labels have no cut marks.
    let pdf = label_sheet_pdf(&items, Paper::A4, &grid, 22.0, 4)?;
    assert!(contains(&pdf, b"/Count 2"));
    let marks = sheet_pdf(&items, Paper::A4, 22.0, 4)?;
    assert!(pdf.len() < marks.len(), "no cut marks on labels");
    assert!(label_sheet_pdf(&items, Paper::A4, &grid, 30.0, 4).is_err());
    Ok(())
}
