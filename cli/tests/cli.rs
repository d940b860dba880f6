//! Runs the real `civiqr` binary: outputs users rely on and the errors they see.

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod common;
use common::{civiqr, scratch, stderr, stdout};

fn civiqr_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_civiqr"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("binary finishes")
}

const URL: &str = "https://example.org/mobilier/banc-0042";

#[test]
fn json_reports_the_symbol() {
    let o = civiqr(&["encode", URL, "--json", "--ec", "Q", "--mask", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("{\"symbology\":\"qr\",\"version\":"),
        "{out}"
    );
    assert!(out.contains("\"ec\":\"Q\""), "{out}");
    assert!(out.contains("\"mask\":5"), "{out}");
    // The trailing digits are cheaper in numeric mode (4 bits saved).
    assert!(
        out.contains(
            "\"segments\":[{\"mode\":\"byte\",\"length\":34},{\"mode\":\"numeric\",\"length\":4}]"
        ),
        "{out}"
    );
}

#[test]
fn txt_format_prints_rows_with_quiet_zone() {
    let o = civiqr(&["encode", "hello", "--format", "txt", "--version", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 21 + 8);
    assert!(lines
        .iter()
        .all(|l| l.len() == 29 && l.chars().all(|c| c == '#' || c == '.')));
    // Top-left finder: row 4 is quiet zone then 7 dark modules.
    assert!(lines[4].starts_with("....#######."), "{}", lines[4]);
}

#[test]
fn png_file_scans_back_to_the_text() {
    let dir = scratch("cli");
    let path = dir.join("banc.png");
    let o = civiqr(&[
        "encode",
        URL,
        "-o",
        path.to_str().expect("utf-8 path"),
        "--scale",
        "4",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let decoder = png::Decoder::new(std::fs::File::open(&path).expect("png written"));
    let mut decoder = decoder;
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[(y * w + x) * channels]);
    let texts: Vec<String> = img
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok())
        .map(|(_, t)| t)
        .collect();
    assert_eq!(texts, vec![URL.to_string()]);
}

#[test]
fn svg_to_stdout_and_format_from_extension() {
    let o = civiqr(&["encode", URL, "--format", "svg"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("<svg"));
    let dir = scratch("cli-ext");
    for ext in ["svg", "eps", "pdf", "txt"] {
        let path = dir.join(format!("x.{ext}"));
        let o = civiqr(&["encode", URL, "-o", path.to_str().expect("utf-8")]);
        assert!(o.status.success(), "{ext}: {}", stderr(&o));
        let bytes = std::fs::read(&path).expect("written");
        let head = String::from_utf8_lossy(&bytes[..8.min(bytes.len())]).into_owned();
        let ok = match ext {
            "svg" => head.starts_with("<svg") || head.starts_with("<?xml"),
            "eps" => head.starts_with("%!PS"),
            "pdf" => head.starts_with("%PDF"),
            _ => head.starts_with('.'),
        };
        assert!(ok, "{ext} starts with {head:?}");
    }
}

#[test]
fn stdin_bytes_are_kept_exactly() {
    let o = civiqr_stdin(
        &["encode", "--input", "-", "--json"],
        &[0xFF, 0x00, b'a', b'\n'],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("{\"mode\":\"byte\",\"length\":4}"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn errors_exit_2_with_one_line_naming_the_problem() {
    let cases: &[(&[&str], &str)] = &[
        (&["encode", "x", "--ec", "Z"], "--ec"),
        (&["encode", "x", "--mask", "9"], "mask 9"),
        (&["encode", "x", "--version", "41"], "version 41"),
        (&["encode", "x", "--version", "abc"], "--version"),
        (&["encode", "x", "--dark", "#12"], "--dark"),
        (&["encode", "x", "-o", "out.xyz"], "out.xyz"),
        (&["encode", "--input", "/no/such/file"], "/no/such/file"),
        (&["encode"], "no data"),
        (&["bogus"], "bogus"),
    ];
    for (args, needle) in cases {
        let o = civiqr(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let long = "x".repeat(3000);
    let o = civiqr(&["encode", &long, "--ec", "L"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("data too long: needs 24,020 bits, version 40-L holds 23,648"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn decode_reads_what_encode_wrote_and_reports_per_file() {
    let dir = scratch("cli-dec");
    let png = dir.join("banc.png");
    let o = civiqr(&[
        "encode",
        URL,
        "-o",
        png.to_str().expect("utf-8"),
        "--ec",
        "H",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Plain output: the text, one per line.
    let o = civiqr(&["decode", png.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{URL}\n"));
    // JSON: one line per file; a missing file is named on stderr, exit 2, and
    // the files after it are still decoded.
    let missing = dir.join("missing.png");
    let o = civiqr(&[
        "decode",
        "--json",
        missing.to_str().expect("utf-8"),
        png.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.png"), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].contains("\"codes\":[]") && lines[0].contains("\"error\":\"cannot read image"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains(&format!("\"text\":\"{URL}\"")),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("\"ec\":\"H\"") && lines[1].contains("\"error\":null"),
        "{}",
        lines[1]
    );
    // A readable image without a code: exit 1.
    let blank = dir.join("blank.txt.png");
    let o = civiqr(&[
        "encode",
        "x",
        "-o",
        blank.to_str().expect("utf-8"),
        "--dark",
        "white",
        "--allow-low-contrast",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = civiqr(&["decode", blank.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Not an image: exit 2 naming the file.
    let text = dir.join("notes.png");
    std::fs::write(&text, "not an image").expect("write");
    let o = civiqr(&["decode", text.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("notes.png"), "{}", stderr(&o));
}

#[test]
fn decode_quick_takes_only_the_first_look() {
    let dir = scratch("cli-quick");
    let qr = dir.join("banc.png");
    let micro = dir.join("borne.png");
    let o = civiqr(&["encode", URL, "-o", qr.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = civiqr(&[
        "encode",
        "BORNE-12",
        "--symbol",
        "micro",
        "-o",
        micro.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A plain QR Code reads in the first look.
    let o = civiqr(&["decode", "--quick", qr.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{URL}\n"));
    // The first look searches QR Code only while it is one of the symbologies
    // asked for: the Micro QR symbol needs the full decode or --symbol micro.
    let micro = micro.to_str().expect("utf-8");
    let o = civiqr(&["decode", micro]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = civiqr(&["decode", "--quick", micro]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = civiqr(&["decode", "--quick", "--symbol", "micro", micro]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "BORNE-12\n");
    // Trying harder and a quick look contradict each other: refused.
    let o = civiqr(&["decode", "--quick", "--try-harder", micro]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("'--quick' cannot be used with '--try-harder'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn every_unreadable_input_is_named_and_the_other_files_still_decode() {
    let dir = scratch("cli-bad");
    let good = dir.join("good.png");
    let o = civiqr(&["encode", URL, "-o", good.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let empty = dir.join("empty.png");
    std::fs::write(&empty, b"").expect("write");
    let text = dir.join("notes.jpg");
    std::fs::write(&text, b"not an image at all").expect("write");
    let sub = dir.join("folder.png");
    std::fs::create_dir_all(&sub).expect("dir");
    let locked = dir.join("locked.png");
    std::fs::copy(&good, &locked).expect("copy");
    let mut bad = vec![
        empty.clone(),
        text.clone(),
        sub.clone(),
        dir.join("missing.png"),
    ];
    // Permission denied: root reads anything, so this part needs a normal user.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::read(&locked).is_err() {
            bad.push(locked.clone());
        }
    }
    let mut args = vec!["decode".to_string()];
    for p in &bad {
        args.push(p.to_str().expect("utf-8").to_string());
        args.push(good.to_str().expect("utf-8").to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = civiqr(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    for p in &bad {
        let name = p.file_name().and_then(|n| n.to_str()).expect("name");
        assert!(err.contains(name), "{name} not named in: {err}");
    }
    assert_eq!(
        err.lines().count(),
        bad.len(),
        "one line per bad file: {err}"
    );
    assert!(
        err.contains("empty file") && err.contains("is a directory"),
        "{err}"
    );
    // Every good file between them was decoded.
    assert_eq!(stdout(&o), format!("{URL}\n").repeat(bad.len()));

    // Limits from the command line, checked before decoding.
    let o = civiqr(&[
        "decode",
        "--max-pixels",
        "1000",
        good.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("image too large"), "{}", stderr(&o));
    let o = civiqr(&[
        "decode",
        "--max-file-bytes=10",
        good.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("limit 10"), "{}", stderr(&o));
    let o = civiqr(&[
        "decode",
        "--max-pixels",
        "lots",
        good.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--max-pixels"), "{}", stderr(&o));
}

#[test]
fn split_writes_numbered_parts_that_merge_back() {
    let dir = scratch("split");
    let text = "Place Bellecour: one of the largest open squares in Europe. ".repeat(8);
    let out = dir.join("part.png");
    let o = civiqr(&[
        "encode",
        &text,
        "--split",
        "3",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let parts: Vec<String> = (1..=3)
        .map(|i| dir.join(format!("part-{i}.png")).display().to_string())
        .collect();
    let mut args = vec!["decode", "--merge"];
    args.extend(parts.iter().map(String::as_str));
    let o = civiqr(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    // The message byte for byte: no newline added (issue 19).
    assert_eq!(stdout(&o), text);
    // Two of three: exit 1, the missing part named.
    let o = civiqr(&["decode", "--merge", &parts[0], &parts[2]]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("part 2 of 3 not found"),
        "{}",
        stderr(&o)
    );
    // Automatic: one symbol when the data fits the largest version.
    let o = civiqr(&["encode", "short", "--split", "auto", "--json"]);
    assert!(
        stdout(&o).contains("\"structured_append\":null"),
        "{}",
        stdout(&o)
    );
    let o = civiqr(&[
        "encode",
        &text,
        "--split",
        "auto",
        "--max-version",
        "5",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).lines().count() > 1);
    let o = civiqr(&["encode", &text, "--split", "17"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("must be 1 to 16"), "{}", stderr(&o));
}

#[test]
fn micro_and_rmqr_are_written_and_read_back() {
    let dir = scratch("small");
    let micro = dir.join("micro.png");
    let o = civiqr(&[
        "encode",
        "BANC 42",
        "--symbol",
        "micro",
        "-o",
        micro.to_str().expect("utf-8"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"symbology\":\"micro\",\"version\":3,\"symbol_version\":\"M3\""),
        "{}",
        stdout(&o)
    );
    let rmqr = dir.join("strip.png");
    let o = civiqr(&[
        "encode",
        "https://example.org/lamp/17",
        "--symbol",
        "rmqr",
        "--max-height",
        "9",
        "-o",
        rmqr.to_str().expect("utf-8"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"symbology\":\"rmqr\""),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("\"height\":9") || stdout(&o).contains("\"height\":7"),
        "{}",
        stdout(&o)
    );
    let o = civiqr(&[
        "decode",
        "--json",
        micro.to_str().expect("utf-8"),
        rmqr.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("\"symbology\":\"micro\",\"text\":\"BANC 42\""),
        "{out}"
    );
    assert!(
        out.contains("\"symbology\":\"rmqr\",\"text\":\"https://example.org/lamp/17\""),
        "{out}"
    );
    // Narrowed to QR Code: nothing found, exit 1.
    let o = civiqr(&["decode", "--symbol", "qr", micro.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    let o = civiqr(&["encode", "x", "--symbol", "rmqr", "--ec", "L"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("rMQR has no error-correction level L"),
        "{}",
        stderr(&o)
    );
}
