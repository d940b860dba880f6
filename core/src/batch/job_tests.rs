//! BatchJob runs and the batch hardening rules: spreadsheet-safe manifests,
//! control characters in ids, dot segments in templates, bounded rows and
//! cells, capped workers, progress that stops a run.

use std::ops::ControlFlow;
use std::path::PathBuf;

use super::*;
use crate::render;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("civiqr-job-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn go(_: &BatchProgress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

#[test]
fn manifest_cells_that_a_spreadsheet_would_run_are_text() -> Result<(), BatchError> {
    let opts = BatchOptions::default();
    let mut entries = Vec::new();
    for (id, payload) in [
        ("=HYPERLINK(\"http://evil.example/\",\"x\")", "hello"),
        ("+1", "@SUM(A1)"),
        ("-2", "\tx"),
        ("@a", "\rx"),
        ("plain", "=1+1"),
    ] {
        let asset = prepare(&[("id", id), ("payload", payload)], &opts)?;
        entries.push(ManifestEntry::new(&asset, vec![], false));
    }
    let csv = manifest_csv(&entries);
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\""),
        "{csv}"
    );
    assert!(csv.contains("\"'+1\",text,\"'@SUM(A1)\""), "{csv}");
    assert!(csv.contains("\"'-2\",text,\"'\tx\""), "{csv}");
    assert!(csv.contains("\"'@a\",text,\"'\rx\""), "{csv}");
    assert!(csv.contains("plain,text,\"'=1+1\""), "{csv}");
    // Every record still parses as the same cells, with the quote in front.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.expect("record")[0].to_string())
        .collect();
    assert_eq!(ids[1], "'+1");
    Ok(())
}

#[test]
fn control_characters_in_ids_are_refused_naming_the_id_column() {
    let opts = BatchOptions::default();
    for (id, code) in [
        ("a\u{0}b", 0),
        ("\u{1b}[2J", 0x1b),
        ("x\u{7f}", 0x7f),
        ("y\u{9b}", 0x9b),
    ] {
        let e =
            prepare(&[("id", id), ("url", "https://example.org/")], &opts).expect_err("refused");
        assert!(
            matches!(e, BatchError::IdControl { character, .. } if character == code),
            "{e}"
        );
    }
    let rows = read_rows(
        b"id,url\r\nok,https://a.org/\r\nn\x00l,https://a.org/\r\n",
        &opts,
        &[],
    )
    .expect("table");
    assert_eq!(rows.assets.len(), 1);
    assert_eq!(rows.bad[0].line, 3);
    assert_eq!(rows.bad[0].column(), Some("id"));
    assert!(
        rows.bad[0].to_string().contains("U+0000"),
        "{}",
        rows.bad[0]
    );
}

#[test]
fn template_values_cannot_climb_out_of_their_path() {
    let opts = BatchOptions::default().template(Some("https://x.example/h/{id}?src=qr".into()));
    for id in ["..", "."] {
        let e = prepare(&[("id", id)], &opts).expect_err("refused");
        assert!(
            matches!(&e, BatchError::Payload(PayloadError::DotSegment { name }) if name == "id"),
            "{e}"
        );
    }
    // Dots inside a segment, or in the query, are ordinary text.
    for (id, url) in [
        ("a..b", "https://x.example/h/a..b?src=qr"),
        ("...", "https://x.example/h/...?src=qr"),
    ] {
        assert_eq!(prepare(&[("id", id)], &opts).expect("ok").data, url);
    }
    let query = BatchOptions::default().template(Some("https://x.example/h?id={id}".into()));
    assert!(prepare(&[("id", "..")], &query).is_ok());
    // A refused row names its column.
    let rows = read_rows(b"id\n..\n", &opts, &[]).expect("table");
    assert_eq!(rows.bad[0].column(), Some("id"));
}

#[test]
fn long_rows_and_cells_are_refused_before_their_content_is_used() {
    let opts = BatchOptions::default();
    let mut csv = b"id,url,notes\nok,https://a.org/,x\nbig,https://a.org/,".to_vec();
    csv.extend(std::iter::repeat_n(b'a', MAX_ROW_BYTES + 1));
    csv.extend_from_slice(b"\ncell,https://a.org/,");
    csv.extend(std::iter::repeat_n(b'b', MAX_CELL_BYTES + 1));
    csv.extend_from_slice(b"\nafter,https://a.org/,y\n");
    let rows = read_rows(&csv, &opts, &[]).expect("table");
    let ids: Vec<&str> = rows.assets.iter().map(|(_, a)| a.id.as_str()).collect();
    assert_eq!(ids, ["ok", "after"]);
    assert_eq!(rows.bad[0].line, 3);
    assert!(matches!(rows.bad[0].problem, RowProblem::RowTooLong { .. }));
    assert!(rows.bad[0].to_string().contains(&MAX_ROW_BYTES.to_string()));
    assert_eq!(rows.bad[1].line, 4);
    assert_eq!(rows.bad[1].column(), Some("notes"));
}

#[test]
fn workers_are_capped() {
    let job = BatchJob::new("unused");
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = (4 * cpus).min(MAX_JOBS);
    assert_eq!(job.clone().jobs(Some(3000)).workers(10_000), cap);
    assert_eq!(job.clone().jobs(Some(0)).workers(10), 1);
    assert_eq!(job.jobs(Some(cap)).workers(3), 3);
}

#[test]
fn records_run_like_a_csv_table() {
    let (a, b) = (scratch("records-a"), scratch("records-b"));
    let header: Vec<String> = ["id", "url"].iter().map(|s| s.to_string()).collect();
    let rows: Vec<Vec<String>> = [
        ["b1", "https://a.org/1"],
        ["", "https://a.org/2"],
        ["b3", "nope"],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();
    let csv = b"id,url\nb1,https://a.org/1\n,https://a.org/2\nb3,nope\n";
    let job = BatchJob::new(&a).formats(&[render::Format::Svg]);
    let from_records = job.run_records(&header, &rows, &mut go).expect("run");
    let job = BatchJob::new(&b).formats(&[render::Format::Svg]);
    let from_csv = job.run_table(csv, "t.csv", &mut go).expect("run");
    assert_eq!(from_records.assets(), 1);
    let lines = |r: &BatchReport| r.row_errors.iter().map(|e| e.line).collect::<Vec<_>>();
    assert_eq!(lines(&from_records), [3, 4]);
    assert_eq!(lines(&from_csv), [3, 4]);
    for name in ["manifest.csv", "manifest.json", "b1.svg"] {
        assert_eq!(
            std::fs::read(a.join(name)).expect("a"),
            std::fs::read(b.join(name)).expect("b"),
            "{name}"
        );
    }
    assert!(!a.join(LOCK_FILE).exists());
    let _ = (std::fs::remove_dir_all(a), std::fs::remove_dir_all(b));
}

#[test]
fn a_progress_callback_that_breaks_stops_the_run_without_a_manifest() {
    let dir = scratch("stop");
    let mut csv = String::from("id,url\n");
    for i in 0..50 {
        csv.push_str(&format!("a{i},https://a.org/{i}\n"));
    }
    let job = BatchJob::new(&dir)
        .formats(&[render::Format::Svg])
        .jobs(Some(1));
    let mut calls = 0;
    let r = job.run_table(csv.as_bytes(), "t.csv", &mut |p| {
        calls += 1;
        assert_eq!(p.total, 50);
        if p.done == 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert!(matches!(r, Err(BatchRunError::Stopped)), "{r:?}");
    assert_eq!(calls, 3);
    assert!(!dir.join("manifest.csv").exists());
    // The folder is free again.
    assert!(job.run_table(csv.as_bytes(), "t.csv", &mut go).is_ok());
    let _ = std::fs::remove_dir_all(dir);
}
