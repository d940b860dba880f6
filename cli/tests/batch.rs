//! Runs `civiqr batch` on CSV files: what is written, what is reported, and
//! that reruns rewrite only what changed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

mod common;
use common::{civiqr, stderr};

/// A fresh folder per test, with `assets.csv` holding `csv`.
fn setup(name: &str, csv: &[u8]) -> (PathBuf, String, String) {
    let root = std::env::temp_dir().join(format!("civiqr-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("temp dir");
    let input = root.join("assets.csv");
    std::fs::write(&input, csv).expect("write csv");
    let out = root.join("out");
    let s = |p: &Path| p.to_str().expect("utf-8 path").to_string();
    (root.clone(), s(&input), s(&out))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn mtimes(dir: &Path) -> Vec<(String, SystemTime)> {
    names(dir)
        .into_iter()
        .map(|n| {
            let t = std::fs::metadata(dir.join(&n))
                .and_then(|m| m.modified())
                .expect("mtime");
            (n, t)
        })
        .collect()
}

#[test]
fn bad_rows_are_reported_by_line_and_the_rest_is_written() {
    let mut csv = b"id,type,url,name,iban,amount,text,label\n\
banc-0042,,https://example.org/b/42,,,,,Banc 42\n\
meter-7,epc,,Tresor Public,FR7630006000011234567890189,2.40,Stationnement,Horodateur\n\
bad-iban,epc,,A,FR7630006000011234567890188,,,\n\
,,https://example.org/no-id,,,,,\n\
banc-0042,,https://example.org/again,,,,,\n\
short,row\n\
long,,https://example.org/"
        .to_vec();
    csv.extend(std::iter::repeat_n(b'a', 3000));
    csv.extend_from_slice(
        b",,,,,\nutf8,,https://example.org/\xff,,,,,\n\"quoted\nid\",,https://example.org/q,,,,,\n",
    );
    let (root, input, out) = setup("broken", &csv);
    let o = civiqr(&[
        "batch",
        &input,
        "--out",
        &out,
        "--format",
        "svg,png,pdf,eps",
        // Strict UTF-8, so the \xff cell is refused; --encoding auto would
        // read the whole file as Windows-1252 (see the Windows-1252 test).
        "--encoding",
        "utf-8",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for (line, says) in [
        (4, "iban: check digits"),
        (5, "id: missing"),
        (
            6,
            "duplicate id \"banc-0042\": same file name as id \"banc-0042\" on line 2",
        ),
        (7, "2 fields, the header has 8"),
        (8, "data too long"),
        (9, "column \"url\" is not valid UTF-8"),
    ] {
        assert!(
            err.contains(&format!("assets.csv line {line}: {says}")),
            "line {line}: {err}"
        );
    }
    let out = Path::new(&out);
    let files = names(out);
    for stem in ["banc-0042", "meter-7"] {
        for ext in ["svg", "png", "pdf", "eps"] {
            assert!(
                files.contains(&format!("{stem}.{ext}")),
                "{stem}.{ext} in {files:?}"
            );
        }
    }
    // The quoted id with a line break is sanitised, and written.
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("quoted_id-") && f.ends_with(".svg")),
        "{files:?}"
    );
    assert!(files.contains(&"manifest.csv".to_string()));
    let json = std::fs::read_to_string(out.join("manifest.json")).expect("manifest.json");
    assert_eq!(json.matches("\"id\":").count(), 3, "{json}");
    assert!(
        json.contains("\"kind\":\"epc\"") && json.contains("\"ec\":\"M\""),
        "{json}"
    );
    assert!(json.contains("\"verified\":true"), "{json}");
    // Each hash in the manifest is the file's.
    let svg = std::fs::read(out.join("banc-0042.svg")).expect("svg");
    assert!(json.contains(&civiqr::batch::sha256_hex(&svg)));
    // The PNG reads back to the URL.
    let o = civiqr(&["decode", out.join("banc-0042.png").to_str().expect("utf-8")]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "https://example.org/b/42\n"
    );
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn hostile_ids_never_leave_the_folder() {
    let long = "L".repeat(300);
    let csv = format!(
        "id,url\n../../x,https://a.org/1\na/b,https://a.org/2\nCON,https://a.org/3\n{long},https://a.org/4\ncafé 東京,https://a.org/5\n..,https://a.org/6\n /,https://a.org/7\n"
    );
    let (root, input, out) = setup("hostile", csv.as_bytes());
    let o = civiqr(&["batch", &input, "--out", &out, "--format", "svg", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Only the folder was written to: the root holds the CSV and out/ alone.
    assert_eq!(names(&root), ["assets.csv", "out"]);
    let files = names(Path::new(&out));
    assert_eq!(files.len(), 7 + 2, "{files:?}");
    for f in &files {
        assert!(f.len() <= 64 + 4 && !f.starts_with('.'), "{f}");
        assert!(
            f.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{f}"
        );
    }
    assert!(files.iter().any(|f| f.starts_with("_CON-")), "{files:?}");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn reruns_rewrite_only_what_changed() {
    let csv = "id,url\nb1,https://example.org/1\nb2,https://example.org/2\n";
    let (root, input, out) = setup("idem", csv.as_bytes());
    let run = || civiqr(&["batch", &input, "--out", &out, "--sheet", "a4"]);
    let o = run();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 assets, 7 files written, 0 unchanged"),
        "{}",
        stderr(&o)
    );
    let out = PathBuf::from(&out);
    let before = mtimes(&out);
    let o = run();
    assert!(
        stderr(&o).contains("0 files written, 7 unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(mtimes(&out), before, "nothing rewritten");
    // A changed row rewrites its two files, the manifests and the sheet.
    std::fs::write(&input, csv.replace("example.org/2", "example.org/2b")).expect("write");
    let o = run();
    assert!(
        stderr(&o).contains("5 files written, 2 unchanged"),
        "{}",
        stderr(&o)
    );
    let after = mtimes(&out);
    for ((name, t0), (_, t1)) in before.iter().zip(&after) {
        assert_eq!(name.starts_with("b1."), t0 == t1, "{name}");
    }
    // An interrupted run: a truncated file and a temporary file left over.
    std::fs::write(out.join("b1.svg"), "<svg").expect("truncate");
    std::fs::write(out.join(".b1.png.tmp4242"), "partial").expect("temp");
    let o = run();
    assert!(
        stderr(&o).contains("1 files written, 6 unchanged"),
        "{}",
        stderr(&o)
    );
    let svg = std::fs::read_to_string(out.join("b1.svg")).expect("svg");
    assert!(svg.ends_with("</svg>\n"), "{svg}");
    assert!(!out.join(".b1.png.tmp4242").exists());
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn template_sizing_and_options() {
    let csv = "id,district,label\nbanc 1,Nord/Est,Banc\n";
    let (root, input, out) = setup("template", csv.as_bytes());
    let o = civiqr(&[
        "batch",
        &input,
        "--out",
        &out,
        "--template",
        "https://example.org/s/{id}?d={district}",
        "--format",
        "svg",
        "--size-mm",
        "30",
        "--reading-distance",
        "2.5m",
        "--no-verify",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: "), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("reading from 2.5 m needs 10.00 mm"),
        "{}",
        stderr(&o)
    );
    let json = std::fs::read_to_string(Path::new(&out).join("manifest.json")).expect("json");
    assert!(
        json.contains("\"payload\":\"https://example.org/s/banc%201?d=Nord%2FEst\""),
        "{json}"
    );
    assert!(json.contains("\"verified\":false"), "{json}");
    let svg = std::fs::read_to_string(
        Path::new(&out).join(
            std::fs::read_dir(&out)
                .expect("dir")
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.ends_with(".svg"))
                .expect("an svg"),
        ),
    )
    .expect("svg");
    assert!(svg.contains("width=\"30mm\""), "{svg}");
    // Usage errors exit 2.
    for (args, says) in [
        (vec!["--format", "gif"], "--format"),
        (vec!["--reading-distance", "far"], "--reading-distance"),
        (vec!["--sheet", "a5"], "--sheet"),
    ] {
        let mut all = vec!["batch", input.as_str(), "--out", out.as_str()];
        all.extend(args);
        let o = civiqr(&all);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
    }
    std::fs::write(&input, "name,url\nx,https://a.org\n").expect("write");
    let o = civiqr(&["batch", &input, "--out", &out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no id column"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_killed_run_leaves_only_complete_files_and_a_rerun_a_consistent_manifest() {
    let mut csv = String::from("id,url\n");
    for i in 0..3000 {
        csv.push_str(&format!("a{i:04},https://example.org/asset/{i}\n"));
    }
    let (root, input, out) = setup("killed", csv.as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_civiqr"))
        .args(["batch", &input, "--out", &out, "--quiet"])
        .spawn()
        .expect("binary runs");
    // Kill it once it has written some files, mid-run.
    let outp = PathBuf::from(&out);
    for _ in 0..2000 {
        if outp.exists() && names(&outp).len() > 200 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    let written = names(&outp);
    assert!(!written.is_empty(), "killed before writing anything");
    assert!(
        !written.contains(&"manifest.csv".to_string()),
        "finished before the kill"
    );
    for n in &written {
        let path = outp.join(n);
        if n.starts_with('.') {
            continue; // a temporary file the next run removes
        }
        let bytes = std::fs::read(&path).expect("read");
        if n.ends_with(".png") {
            let mut reader = png::Decoder::new(std::io::Cursor::new(&bytes))
                .read_info()
                .unwrap_or_else(|e| panic!("{n}: {e}"));
            let mut buf = vec![0; reader.output_buffer_size()];
            reader
                .next_frame(&mut buf)
                .unwrap_or_else(|e| panic!("{n} truncated: {e}"));
        } else if n.ends_with(".svg") {
            assert!(bytes.ends_with(b"</svg>\n"), "{n} truncated");
        }
    }
    // The rerun finishes the job; the manifest names every asset with the
    // hash of the file on disk.
    let o = civiqr(&["batch", &input, "--out", &out, "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        names(&outp).iter().all(|n| !n.starts_with('.')),
        "temporary files left"
    );
    let manifest = std::fs::read_to_string(outp.join("manifest.csv")).expect("manifest");
    let rows: Vec<&str> = manifest.lines().skip(1).collect();
    assert_eq!(rows.len(), 3000);
    for row in rows {
        let cells: Vec<&str> = row.split(',').collect();
        let (files, sums) = (cells[6], cells[7]);
        for (file, sum) in files.split(';').zip(sums.split(';')) {
            let bytes = std::fs::read(outp.join(file)).expect("listed file exists");
            assert_eq!(civiqr::batch::sha256_hex(&bytes), sum, "{file}");
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}
