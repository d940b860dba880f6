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
        &RenderOptions::default().dark(crate::render::Color::WHITE),
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
    assert!(csv.starts_with("id,kind,payload,version,ec,mask,files,sha256,verified,key_id\r\n"));
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
        text.contains("(Banc 0 ? Grand'Place) Tj"),
        "caption in WinAnsi"
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
    assert!(a.data.starts_with("https://www.saint-omer.fr/h/0042#CQ1"));
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
        manifest_csv(std::slice::from_ref(&e)).contains(&format!(",false,{}\r\n", key.key_id()))
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
