//! `civiqr grade`: the JSON interface, exit codes and the damage map files.

mod common;

use std::path::Path;

use common::{civiqr, s, stderr, stdout, write_png};
use serde_json::Value;

const PARAMETERS: [&str; 11] = [
    "decode",
    "symbol_contrast",
    "minimum_reflectance",
    "minimum_edge_contrast",
    "modulation",
    "reflectance_margin",
    "fixed_pattern_damage",
    "axial_nonuniformity",
    "grid_nonuniformity",
    "unused_error_correction",
    "print_growth",
];

/// A symbol at 6 px per module with a 4-module quiet zone; `flip` lists
/// modules drawn the other colour.
fn symbol_png(path: &Path, text: &str, flip: &[(usize, usize)]) {
    let code = civiqr::encode_text(text, &civiqr::EncodeOptions::default()).expect("encodes");
    let (scale, quiet) = (6, 4);
    let side = (code.size() + 2 * quiet) * scale;
    let px: Vec<u8> = (0..side * side)
        .map(|i| {
            let (x, y) = ((i % side) / scale, (i / side) / scale);
            let inside =
                x >= quiet && y >= quiet && x < quiet + code.size() && y < quiet + code.size();
            let dark = inside && {
                let m = (x - quiet, y - quiet);
                code.get(m.0, m.1) != flip.contains(&m)
            };
            if dark {
                0
            } else {
                255
            }
        })
        .collect();
    write_png(path, &px, side, side);
}

fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn json_reports_every_parameter_and_exit_0_when_every_file_has_a_symbol() {
    let dir = tempfile_dir("json");
    let clean = dir.join("clean.png");
    symbol_png(&clean, "https://example.org/bench/12", &[]);
    let o = civiqr(&["grade", "--json", s(&clean)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["file"], s(&clean));
    let code = &lines[0]["codes"][0];
    assert_eq!(code["text"], "https://example.org/bench/12");
    let grade = &code["grade"];
    assert_eq!(grade["overall"], 4.0);
    assert_eq!(grade["letter"], "A");
    assert_eq!(grade["calibrated"], false);
    for name in PARAMETERS {
        let p = &grade["parameters"][name];
        assert_eq!(p["grade"], 4, "{name}: {p}");
        assert!(p["value"].is_number(), "{name}: {p}");
    }
    assert_eq!(grade["parameters"].as_object().expect("object").len(), 11);
}

#[test]
fn damaged_modules_cost_error_correction_and_show_in_the_text_report() {
    let dir = tempfile_dir("damaged");
    let path = dir.join("damaged.png");
    // Five data modules in the middle of a version-3 symbol drawn wrong.
    let flips = [(12, 14), (13, 17), (15, 20), (16, 12), (18, 18)];
    symbol_png(&path, "https://example.org/bench/12", &flips);
    let o = civiqr(&["grade", "--json", s(&path)]);
    assert_eq!(o.status.code(), Some(0));
    let line = &json_lines(&stdout(&o))[0];
    let grade = &line["codes"][0]["grade"];
    assert_eq!(grade["wrong_modules"], 5);
    let corrected: u64 = grade["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .map(|b| b["corrected"].as_u64().expect("count"))
        .sum();
    assert!((1..=5).contains(&corrected), "{corrected}");
    let uec = grade["parameters"]["unused_error_correction"]["value"]
        .as_f64()
        .expect("uec");
    assert!(uec < 1.0);
    let text = civiqr(&["grade", s(&path)]);
    let out = stdout(&text);
    assert!(out.contains("unused_error_correction"), "{out}");
    assert!(out.contains("EC codewords corrected"), "{out}");
}

#[test]
fn no_symbol_or_unreadable_file_exits_1_and_says_why() {
    let dir = tempfile_dir("none");
    let blank = dir.join("blank.png");
    write_png(&blank, &[255u8; 64 * 64], 64, 64);
    let bad = dir.join("bad.png");
    std::fs::write(&bad, b"not an image").expect("write");
    let good = dir.join("good.png");
    symbol_png(&good, "OK", &[]);
    let o = civiqr(&["grade", "--json", s(&good), s(&blank), s(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 3, "one line per file, even failed ones");
    assert_eq!(lines[0]["codes"].as_array().map(Vec::len), Some(1));
    assert_eq!(lines[1]["codes"].as_array().map(Vec::len), Some(0));
    assert!(lines[2]["error"].is_string());
    assert!(stderr(&o).contains("bad.png"));
}

#[test]
fn annotate_writes_svg_or_png_and_refuses_other_names() {
    let dir = tempfile_dir("annotate");
    let img = dir.join("sign.png");
    symbol_png(&img, "https://example.org/sign", &[(12, 14), (13, 17)]);
    let svg = dir.join("map.svg");
    let o = civiqr(&["grade", s(&img), "--annotate", s(&svg)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(text.starts_with("<svg") && text.contains("data:image/png;base64,"));
    assert_eq!(
        text.matches("rgb(230,20,20)\" fill-opacity").count(),
        2,
        "two wrong modules"
    );
    assert!(text.contains("of error correction used"));
    let png_out = dir.join("map.png");
    let o = civiqr(&["grade", s(&img), "--annotate", s(&png_out)]);
    assert_eq!(o.status.code(), Some(0));
    let bytes = std::fs::read(&png_out).expect("png written");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let o = civiqr(&["grade", s(&img), "--annotate", s(&dir.join("map.gif"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".svg or .png"));
    let o = civiqr(&["grade", s(&img), s(&img), "--annotate", s(&svg)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("{name}"));
    let named = dir.join("{name}-map.svg");
    let o = civiqr(&["grade", s(&img), "--annotate", s(&named)]);
    assert_eq!(o.status.code(), Some(0));
    assert!(dir.join("sign-map.svg").exists());
}

#[test]
fn aperture_and_calibration_make_the_grade_calibrated() {
    let dir = tempfile_dir("calibrated");
    let img = dir.join("c.png");
    symbol_png(&img, "CAL", &[]);
    let o = civiqr(&[
        "grade",
        "--json",
        s(&img),
        "--aperture",
        "4px",
        "--calibrate",
        "0:0.04,255:0.88",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let grade = &json_lines(&stdout(&o))[0]["codes"][0]["grade"];
    assert_eq!(grade["calibrated"], true);
    let sc = grade["parameters"]["symbol_contrast"]["value"]
        .as_f64()
        .expect("sc");
    assert!((sc - 0.84).abs() < 1e-6, "{sc}");
    for bad in [
        ["--aperture", "-1px"],
        ["--aperture", "3mm"],
        ["--calibrate", "200:0.9,10:0.1"],
    ] {
        let o = civiqr(&["grade", s(&img), bad[0], bad[1]]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
}

/// A fresh directory for one test.
fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("civiqr-grade-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
