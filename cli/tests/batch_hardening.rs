//! `civiqr batch` against hostile or unlucky input: concurrent runs into one
//! folder, formula and control characters, dot segments, I/O errors,
//! oversized input. Each test failed before its fix (docs/RELIABILITY.md).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;
use common::{civiqr, s, stderr};

fn folder(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("civiqr-harden-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("temp dir");
    root
}

/// Every file the manifest names exists and has the hash it says.
fn manifest_matches_disk(out: &Path) -> usize {
    let manifest = std::fs::read_to_string(out.join("manifest.csv")).expect("manifest");
    let mut rows = 0;
    for row in manifest.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        for (file, sum) in cells[6].split(';').zip(cells[7].split(';')) {
            let bytes = std::fs::read(out.join(file)).expect("listed file exists");
            assert_eq!(civiqr::batch::sha256_hex(&bytes), sum, "{file}");
        }
        rows += 1;
    }
    rows
}

#[test]
fn two_runs_into_one_folder_never_mix_their_manifests() {
    let root = folder("concurrent");
    let (out, mut inputs) = (root.join("out"), Vec::new());
    for run in ["a", "b"] {
        let mut csv = String::from("id,url\n");
        for i in 0..1500 {
            csv.push_str(&format!("x{i:04},https://example.org/{run}/{i}\n"));
        }
        let path = root.join(format!("{run}.csv"));
        std::fs::write(&path, csv).expect("csv");
        inputs.push(path);
    }
    let spawn = |input: &Path| {
        Command::new(env!("CARGO_BIN_EXE_civiqr"))
            .args([
                "batch",
                s(input),
                "--out",
                s(&out),
                "--format",
                "svg",
                "--no-verify",
                "--quiet",
            ])
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary runs")
    };
    let (a, b) = (spawn(&inputs[0]), spawn(&inputs[1]));
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    let codes = [a.status.code(), b.status.code()];
    assert!(
        codes.contains(&Some(0)),
        "{codes:?} {} {}",
        stderr(&a),
        stderr(&b)
    );
    for o in [&a, &b] {
        if o.status.code() != Some(0) {
            assert_eq!(o.status.code(), Some(2));
            assert!(
                stderr(o).contains("another civiqr batch is writing to"),
                "{}",
                stderr(o)
            );
        }
    }
    assert_eq!(manifest_matches_disk(&out), 1500);
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn formulas_and_control_characters_never_reach_the_manifest_raw() {
    let root = folder("formula");
    let input = root.join("assets.csv");
    std::fs::write(
        &input,
        "id,payload\n\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",hi\nn\0l,x\nok,@SUM(1)\n",
    )
    .expect("csv");
    let out = root.join("out");
    let o = civiqr(&["batch", s(&input), "--out", s(&out), "--format", "svg"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("assets.csv line 3: id: control character U+0000 at character 1"),
        "{}",
        stderr(&o)
    );
    let manifest = std::fs::read_to_string(out.join("manifest.csv")).expect("manifest");
    assert!(manifest.contains("\r\n\"'=HYPERLINK("), "{manifest}");
    assert!(manifest.contains("\r\nok,text,\"'@SUM(1)\","), "{manifest}");
    assert!(!manifest.contains('\0'));
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_dot_segment_id_cannot_climb_out_of_the_template_path() {
    let root = folder("dots");
    let input = root.join("assets.csv");
    std::fs::write(&input, "id\n..\na..b\n").expect("csv");
    let out = root.join("out");
    let o = civiqr(&[
        "batch",
        s(&input),
        "--out",
        s(&out),
        "--format",
        "svg",
        "--template",
        "https://x.example/h/{id}?src=qr",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("assets.csv line 2: template: the value of {id} is a dot segment"),
        "{}",
        stderr(&o)
    );
    let json = std::fs::read_to_string(out.join("manifest.json")).expect("json");
    assert!(json.contains("https://x.example/h/a..b?src=qr"), "{json}");
    assert!(!json.contains("/h/..?"), "{json}");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn files_that_cannot_be_written_are_each_named_and_the_rest_is_done() {
    let root = folder("io");
    let input = root.join("assets.csv");
    std::fs::write(
        &input,
        "id,url\nb1,https://a.org/1\nb2,https://a.org/2\nb3,https://a.org/3\n",
    )
    .expect("csv");
    let out = root.join("out");
    // Directories where b2's file and the manifest should go: every write
    // there fails, whoever runs the test (root ignores read-only modes).
    std::fs::create_dir_all(out.join("b2.svg").join("x")).expect("dir");
    std::fs::create_dir_all(out.join("manifest.csv").join("x")).expect("dir");
    let o = civiqr(&["batch", s(&input), "--out", s(&out), "--format", "svg"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("assets.csv line 3: id \"b2\": cannot write"),
        "{err}"
    );
    assert!(err.contains("manifest.csv"), "{err}");
    assert!(out.join("b1.svg").is_file() && out.join("b3.svg").is_file());
    // manifest.json lists the rows whose files exist, and only those.
    let json = std::fs::read_to_string(out.join("manifest.json")).expect("json");
    assert!(json.contains("\"b1\"") && json.contains("\"b3\"") && !json.contains("\"b2\""));
    let _ = std::fs::remove_dir_all(root);
}

#[cfg(unix)]
#[test]
fn an_endless_input_stops_at_the_table_limit() {
    let out = folder("zero").join("out");
    let o = civiqr(&["batch", "/dev/zero", "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    let limit = civiqr::batch::MAX_TABLE_BYTES.to_string();
    assert!(stderr(&o).contains(&limit), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(out.parent().expect("root"));
}

#[test]
fn a_huge_line_is_one_bad_row_naming_the_limit() {
    let root = folder("line");
    let input = root.join("assets.csv");
    let mut csv = b"id,url\nok,https://a.org/\nbig,https://a.org/".to_vec();
    csv.extend(std::iter::repeat_n(b'a', 3 << 20));
    csv.extend_from_slice(b"\nafter,https://a.org/2\n");
    std::fs::write(&input, csv).expect("csv");
    let out = root.join("out");
    let o = civiqr(&[
        "batch",
        s(&input),
        "--out",
        s(&out),
        "--format",
        "svg",
        "--jobs",
        "100000",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let says = format!(
        "assets.csv line 3: the row is {} bytes long, more than the limit of {}",
        (3 << 20) + 17,
        civiqr::batch::MAX_ROW_BYTES
    );
    assert!(stderr(&o).contains(&says), "{}", stderr(&o));
    assert!(out.join("after.svg").exists());
    let _ = std::fs::remove_dir_all(root);
}
