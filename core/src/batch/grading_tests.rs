//! `batch --grade`: clean rasters grade A on every parameter at every
//! print scale a batch writes, and the grade reaches both manifests.

use std::ops::ControlFlow;

use super::*;
use crate::render::{self, RenderOptions};
use crate::Version;

fn symbol(version: u8, ec: EcLevel) -> QrCode {
    let opts = EncodeOptions::default()
        .ec_level(ec)
        .min_version(Version::new(version).expect("version"));
    encode_text("https://example.org/s/banc-0042?src=qr", &opts).expect("encodes")
}

fn shortfalls(cases: &[(u8, EcLevel, RenderOptions)]) -> Vec<String> {
    let mut bad = Vec::new();
    for (version, ec, ropts) in cases {
        let code = symbol(*version, *ec);
        let png = render::png(&code, ropts).expect("renders");
        let g = grade_png(&png);
        assert_eq!(g.overall.is_some(), g.detail.is_ok());
        if let Some(s) = g.shortfall() {
            bad.push(format!("v{version} {ec} {ropts:?}: {s}"));
        }
    }
    bad
}

#[test]
fn clean_rasters_grade_a_at_every_pixel_scale() {
    let mut cases = Vec::new();
    for version in [1u8, 2, 6, 7, 14] {
        for ec in [EcLevel::L, EcLevel::H] {
            for scale in [1u32, 2, 3, 5, 8] {
                cases.push((version, ec, RenderOptions::default().scale(scale)));
            }
        }
    }
    let bad = shortfalls(&cases);
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn clean_rasters_grade_a_at_print_sizes_and_quiet_zones() {
    let mut cases = Vec::new();
    for (mm, dpi) in [(20.0, 300), (25.0, 150), (37.0, 600), (100.0, 72)] {
        for version in [3u8, 10] {
            let ropts = RenderOptions::default().size_mm(Some(mm)).dpi(dpi);
            cases.push((version, EcLevel::M, ropts));
        }
    }
    for quiet in [1u32, 2, 4, 10] {
        let ropts = RenderOptions::default().quiet_zone(quiet).scale(4);
        cases.push((5, EcLevel::Q, ropts));
    }
    let bad = shortfalls(&cases);
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn a_graded_batch_records_the_grade_in_both_manifests() {
    let dir = std::env::temp_dir().join(format!("civiqr-grade-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let table = b"id,url\nb1,https://example.org/b1\nb2,https://example.org/b2\n";
    let go = |_: &BatchProgress| ControlFlow::Continue(());
    let graded = BatchJob::new(&dir)
        .formats(&[crate::render::Format::Svg])
        .grade(true)
        .run_table(table, "t.csv", &mut { go })
        .expect("runs");
    assert!(graded.warnings.is_empty(), "{:?}", graded.warnings);
    assert!(graded
        .entries
        .iter()
        .all(|e| e.grade.as_ref().is_some_and(RasterGrade::all_a)));
    let csv = std::fs::read_to_string(dir.join("manifest.csv")).expect("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,kind,payload,version,ec,mask,files,sha256,verified,key_id,grade")
    );
    assert!(lines.all(|l| l.ends_with(",true,,4.0")), "{csv}");
    let json = std::fs::read_to_string(dir.join("manifest.json")).expect("json");
    assert_eq!(
        json.matches("\"grade\":{\"overall\":4.0,\"letter\":\"A\"")
            .count(),
        2
    );
    // Without --grade the column is there and empty, the JSON value null.
    let plain = BatchJob::new(&dir)
        .formats(&[crate::render::Format::Svg])
        .run_table(table, "t.csv", &mut { go })
        .expect("runs");
    assert!(plain.entries.iter().all(|e| e.grade.is_none()));
    let csv = std::fs::read_to_string(dir.join("manifest.csv")).expect("csv");
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",true,,")), "{csv}");
    let json = std::fs::read_to_string(dir.join("manifest.json")).expect("json");
    assert_eq!(json.matches("\"grade\":null").count(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_raster_below_a_is_warned_about_with_its_parameters() {
    // A raster whose ink is grey: symbol contrast 0.5 is C.
    let code = symbol(2, EcLevel::M);
    let png = render::png(
        &code,
        &RenderOptions::default()
            .scale(4)
            .dark(crate::render::Color::rgb(128, 128, 128)),
    )
    .expect("renders");
    let g = grade_png(&png);
    assert_eq!(g.overall, Some(2));
    let s = g.shortfall().expect("below A");
    assert!(s.starts_with("grade 2 (C): symbol_contrast C"), "{s}");
    assert_eq!(csv_grade_of(&g), "2.0");
    let g = grade_png(b"not a png");
    assert_eq!(g.overall, None);
    assert!(g
        .shortfall()
        .is_some_and(|s| s.starts_with("not graded: not a PNG")));
}

fn csv_grade_of(g: &RasterGrade) -> String {
    grading::csv_grade(Some(g))
}
