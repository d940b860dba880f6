//! Runs `civiqr batch --sheet`: the fit is checked before any file is
//! written, caption characters the sheet's font lacks are reported, label
//! sheets (`--grid`) and every paper size write a PDF.

use std::path::{Path, PathBuf};

mod common;
use common::{civiqr, stderr};

/// A fresh folder per test, with `assets.csv` holding `csv`; returns the
/// folder, the input and the (not yet created) output folder.
fn setup(name: &str, csv: &str) -> (PathBuf, String, PathBuf) {
    let root = std::env::temp_dir().join(format!("civiqr-sheet-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("temp dir");
    let input = root.join("assets.csv");
    std::fs::write(&input, csv).expect("write csv");
    let input = input.to_str().expect("utf-8 path").to_string();
    (root.clone(), input, root.join("out"))
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The page count of a PDF sheet (`/Count N` in its page tree).
fn page_count(pdf: &[u8]) -> Option<usize> {
    let key = b"/Count ";
    let at = pdf.windows(key.len()).position(|w| w == key)? + key.len();
    let digits: String = pdf[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    digits.parse().ok()
}

const CSV: &str =
    "id,url,label\nb1,https://example.org/1,Banc 1\nb2,https://example.org/2,Banc 2\n";

#[test]
fn a_symbol_too_large_for_the_page_writes_nothing() {
    let (root, input, out) = setup("large", CSV);
    let o = civiqr(&[
        "batch",
        &input,
        "--out",
        path(&out),
        "--sheet",
        "a4",
        "--size-mm",
        "500",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--sheet a4"), "{}", stderr(&o));
    assert!(stderr(&o).contains("500 mm"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");
    // The same on a label sheet, where the label bounds the symbol.
    let o = civiqr(&[
        "batch",
        &input,
        "--out",
        path(&out),
        "--sheet",
        "a4",
        "--grid",
        "3x7",
        "--size-mm",
        "60",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--grid 3x7"), "{}", stderr(&o));
    assert!(stderr(&o).contains("largest symbol"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_caption_character_outside_winansi_is_reported() {
    let csv = "id,url,label\n\
b1,https://example.org/1,Rue de l’Église – Cœur\n\
b2,https://example.org/2,Площадь\n";
    let (root, input, out) = setup("caption", csv);
    let o = civiqr(&["batch", &input, "--out", path(&out), "--sheet", "a4"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    // French punctuation is in WinAnsi: no warning for row b1.
    assert!(!err.contains("\"b1\""), "{err}");
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("civiqr: warning:"))
        .collect();
    // Seven Cyrillic letters: five named, then a count.
    assert_eq!(warnings.len(), 6, "{err}");
    assert!(warnings[0].contains("line 3: id \"b2\""), "{err}");
    assert!(warnings[0].contains("U+041F"), "{err}");
    assert!(warnings[0].contains("printed as '?'"), "{err}");
    assert!(warnings[5].contains("2 more caption characters"), "{err}");
    assert!(warnings[5].contains("7 in all"), "{err}");
    assert!(out.join("sheet-a4.pdf").exists());
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_label_sheet_is_written() {
    // 22 rows on 3 x 7 labels: two pages.
    let mut csv = String::from("id,url,label\n");
    for i in 0..22 {
        csv.push_str(&format!("b{i},https://example.org/{i},Banc {i}\n"));
    }
    let (root, input, out) = setup("grid", &csv);
    let o = civiqr(&[
        "batch",
        &input,
        "--out",
        path(&out),
        "--sheet",
        "a4",
        "--grid",
        "3x7",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = std::fs::read(out.join("sheet-a4.pdf")).expect("sheet written");
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(page_count(&pdf), Some(2));
    // Margins and gutters change the layout, not the pages.
    let o = civiqr(&[
        "batch",
        &input,
        "--out",
        path(&out),
        "--sheet",
        "a4",
        "--grid",
        "3x7",
        "--grid-margins",
        "15,7",
        "--grid-gutter",
        "2.5,0",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let other = std::fs::read(out.join("sheet-a4.pdf")).expect("sheet written");
    assert_eq!(page_count(&other), Some(2));
    assert_ne!(pdf, other);
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn every_paper_writes_its_sheet() {
    let (root, input, out) = setup("paper", CSV);
    for (paper, grid) in [("letter", None), ("a3", None), ("letter", Some("2x5"))] {
        let mut args = vec!["batch", &input, "--out", path(&out), "--sheet", paper, "-q"];
        if let Some(g) = grid {
            args.extend(["--grid", g]);
        }
        let o = civiqr(&args);
        assert_eq!(o.status.code(), Some(0), "{paper}: {}", stderr(&o));
        let pdf = std::fs::read(out.join(format!("sheet-{paper}.pdf"))).expect("sheet");
        assert!(pdf.starts_with(b"%PDF"), "{paper}");
        assert_eq!(page_count(&pdf), Some(1), "{paper}");
    }
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn grid_options_need_their_sheet() {
    let (root, input, out) = setup("usage", CSV);
    for args in [
        vec!["--grid", "3x7"],
        vec!["--sheet", "a4", "--grid", "0x7"],
        vec!["--sheet", "a4", "--grid-margins", "10,10"],
        vec!["--sheet", "a4", "--grid", "3x7", "--grid-gutter", "-1,2"],
        vec!["--sheet", "a5"],
    ] {
        let mut all = vec!["batch", &input, "--out", path(&out)];
        all.extend(&args);
        let o = civiqr(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(root);
}
