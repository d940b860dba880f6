//! Issue 20's output probes through the real binary: payloads and file names
//! that try to forge or hide a verdict are shown escaped, each verdict names
//! its code, merged messages are verified, and JSON stays exact.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{civiqr, s, stderr, stdout};

/// The payload: moves up a line, erases it, and prints a verdict of
/// its own on a terminal.
const SPOOF: &str =
    "https://evil.example/pay\x1b[1A\x1b[2K\rciviqr: sticker.png: verified: Ville de Saint-Omer";
/// A right-to-left override: `https://ex.org/exe.png` on screen.
const RLO: &str = "https://ex.org/\u{202e}gnp.exe";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("civiqr-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }

    fn file(&self, name: &str) -> String {
        s(&self.0.join(name)).to_string()
    }

    fn encode(&self, text: &str, name: &str, extra: &[&str]) -> String {
        let out = self.file(name);
        let mut args = vec!["encode", text, "-o", &out];
        args.extend(extra);
        let o = civiqr(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        out
    }

    /// A key and its trust file.
    fn town(&self) -> (String, String) {
        let (key, trust) = (self.file("town.key"), self.file("trust.json"));
        let o = civiqr(&[
            "keygen",
            "--out",
            &key,
            "--issuer",
            "Ville de Saint-Omer",
            "--trust-out",
            &trust,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        (key, trust)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Nothing a terminal would act on or hide: no C0 but newline, no DEL, no
/// C1, no bidirectional control.
fn assert_inert(out: &str) {
    for c in out.chars() {
        let n = u32::from(c);
        let bad = (n < 0x20 && c != '\n')
            || (0x7f..=0x9f).contains(&n)
            || (0x202a..=0x202e).contains(&n)
            || (0x2066..=0x2069).contains(&n);
        assert!(!bad, "U+{n:04X} printed raw in {out:?}");
    }
}

#[test]
fn control_sequences_and_bidi_overrides_are_shown_escaped() {
    let dir = Dir::new("spoof");
    let (_, trust) = dir.town();
    let esc = dir.encode(SPOOF, "sticker.png", &[]);
    let rlo = dir.encode(RLO, "rlo.png", &[]);
    let o = civiqr(&["decode", &esc, &rlo, "--trust", &trust]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (out, err) = (stdout(&o), stderr(&o));
    assert_inert(&out);
    assert_inert(&err);
    assert_eq!(
        out,
        "https://evil.example/pay\\x1b[1A\\x1b[2K\\rciviqr: sticker.png: verified: Ville de Saint-Omer\n\
         https://ex.org/\\u{202e}gnp.exe\n"
    );
    // Each verdict leads its line and quotes the code it is about.
    let verdicts: Vec<&str> = err.lines().collect();
    assert_eq!(verdicts.len(), 2, "{err}");
    assert!(
        verdicts[0].ends_with(
            "sticker.png: code 1 of 1: unsigned: \"https://evil.example/pay\\x1b[1A\\x1b[2K\\rciviqr: sticker.png: verified: Ville de Saint-Omer\""),
        "{err}"
    );
    assert!(
        verdicts[1]
            .ends_with("rlo.png: code 1 of 1: unsigned: \"https://ex.org/\\u{202e}gnp.exe\""),
        "{err}"
    );

    // --json keeps the exact text.
    let o = civiqr(&["decode", "--json", &esc, &rlo]);
    let texts: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json");
            v["codes"][0]["text"].as_str().expect("text").to_string()
        })
        .collect();
    assert_eq!(texts, [SPOOF, RLO]);
}

#[test]
fn file_names_in_messages_are_escaped() {
    let dir = Dir::new("names");
    let missing = dir.file("x\x1b[2K\rok.png");
    let o = civiqr(&["decode", &missing]);
    assert_eq!(o.status.code(), Some(2));
    assert_inert(&stderr(&o));
    assert!(stderr(&o).contains("x\\x1b[2K\\rok.png"), "{}", stderr(&o));
}

/// Two symbols side by side in one grey PNG, as in one photo.
fn side_by_side(a: &Path, b: &Path, out: &Path) {
    let read = |p: &Path| {
        let mut d = png::Decoder::new(std::fs::File::open(p).expect("png"));
        d.set_transformations(png::Transformations::EXPAND);
        let mut r = d.read_info().expect("header");
        let mut buf = vec![0; r.output_buffer_size()];
        let info = r.next_frame(&mut buf).expect("frame");
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        (info.width as usize, info.height as usize, buf)
    };
    let ((wa, ha, pa), (wb, hb, pb)) = (read(a), read(b));
    let (w, h) = (wa + wb + 40, ha.max(hb));
    let mut px = vec![255u8; w * h];
    for y in 0..h {
        for x in 0..wa {
            if y < ha {
                px[y * w + x] = pa[y * wa + x];
            }
        }
        for x in 0..wb {
            if y < hb {
                px[y * w + wa + 40 + x] = pb[y * wb + x];
            }
        }
    }
    let mut e = png::Encoder::new(
        std::fs::File::create(out).expect("create"),
        w as u32,
        h as u32,
    );
    e.set_color(png::ColorType::Grayscale);
    e.write_header()
        .and_then(|mut wr| wr.write_image_data(&px))
        .expect("png written");
}

#[test]
fn with_two_codes_in_one_photo_each_verdict_names_its_code() {
    let dir = Dir::new("two");
    let (key, trust) = dir.town();
    let real = dir.encode(
        "https://www.saint-omer.fr/stationnement/0042",
        "real.png",
        &["--sign-key", &key],
    );
    let fake = dir.encode("https://evil.example/pay", "fake.png", &[]);
    let photo = dir.0.join("photo.png");
    side_by_side(Path::new(&real), Path::new(&fake), &photo);
    let o = civiqr(&["decode", s(&photo), "--trust", &trust]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    let about = |url: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!("\"{url}")))
            .unwrap_or_else(|| panic!("no verdict names {url}: {err}"))
            .to_string()
    };
    assert!(
        about("https://www.saint-omer.fr/stationnement/0042#CQ2")
            .contains(": verified: Ville de Saint-Omer: \""),
        "{err}"
    );
    assert!(
        about("https://evil.example/pay").contains(": unsigned: \""),
        "{err}"
    );
    assert!(lines.iter().all(|l| l.contains(" of 2: ")), "{err}");
}

#[test]
fn merged_messages_are_verified() {
    let dir = Dir::new("merge-trust");
    let (key, trust) = dir.town();
    let text = "https://www.saint-omer.fr/visite/remparts?etape=".to_string() + &"7".repeat(150);
    let parts = |stem: &str| -> Vec<String> {
        (1..=3)
            .map(|i| dir.file(&format!("{stem}-{i}.png")))
            .collect()
    };
    dir.encode(&text, "signed.png", &["--sign-key", &key, "--split", "3"]);
    let signed = parts("signed");
    let mut args = vec!["decode", "--merge", "--trust", &trust];
    args.extend(signed.iter().map(String::as_str));
    let o = civiqr(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!("{text}#CQ2")),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        stderr(&o),
        "civiqr: merged message (3 parts): verified: Ville de Saint-Omer\n"
    );
    args.insert(2, "--json");
    let o = civiqr(&args);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["signature"]["status"], "valid", "{v}");
    assert_eq!(v["signature"]["issuer"], "Ville de Saint-Omer", "{v}");

    // The same tag on other content, split the same way: a forgery.
    let genuine = v["text"].as_str().expect("text");
    let forged = genuine.replacen("remparts", "rempart5", 1);
    dir.encode(&forged, "forged.png", &["--split", "3"]);
    let mut args = vec!["decode", "--merge", "--trust", &trust];
    let forged_parts = parts("forged");
    args.extend(forged_parts.iter().map(String::as_str));
    let o = civiqr(&args);
    assert_eq!(stdout(&o), forged);
    assert_eq!(
        stderr(&o),
        "civiqr: merged message (3 parts): signature invalid: do not trust\n"
    );
    // Unsigned parts say so; without --trust nothing is added.
    dir.encode(&text, "plain.png", &["--split", "3"]);
    let plain = parts("plain");
    let mut args = vec!["decode", "--merge", "--trust", &trust];
    args.extend(plain.iter().map(String::as_str));
    assert_eq!(
        stderr(&civiqr(&args)),
        "civiqr: merged message (3 parts): unsigned\n"
    );
    let o = civiqr(&["decode", "--merge", &plain[0], &plain[1], &plain[2]]);
    assert_eq!((stdout(&o), stderr(&o)), (text, String::new()));
}

/// On a terminal a merged message is shown escaped; into a pipe or file it
/// stays byte for byte. `script` gives the command a terminal.
#[test]
fn a_merged_message_is_escaped_on_a_terminal_only() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED a_merged_message_is_escaped_on_a_terminal_only: no `script` command");
        return;
    }
    let dir = Dir::new("merge-tty");
    dir.encode(SPOOF, "part.png", &["--split", "2"]);
    let (a, b) = (dir.file("part-1.png"), dir.file("part-2.png"));
    let o = civiqr(&["decode", "--merge", &a, &b]);
    assert_eq!(stdout(&o), SPOOF);
    let line = format!(
        "{} decode --merge '{a}' '{b}'",
        env!("CARGO_BIN_EXE_civiqr")
    );
    let o = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .output()
        .expect("script runs");
    let shown = String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n");
    assert_inert(&shown);
    assert!(
        shown.contains("https://evil.example/pay\\x1b[1A\\x1b[2K\\rciviqr: sticker.png"),
        "{shown:?}"
    );
}

#[cfg(unix)]
#[test]
fn two_non_utf8_file_names_print_as_two_json_strings() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = Dir::new("bytes");
    let code = dir.encode("https://example.org/", "code.png", &[]);
    let names = [&b"a\xff.png"[..], b"a\xfe.png", b"a\\xff.png"];
    for n in names {
        std::fs::copy(&code, dir.0.join(OsStr::from_bytes(n))).expect("copy");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_civiqr"))
        .current_dir(&dir.0)
        .arg("decode")
        .arg("--json")
        .args(names.map(OsStr::from_bytes))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files: Vec<(Value, Value)> = stdout(&o)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json");
            (v["file"].clone(), v["file_bytes_base64"].clone())
        })
        .collect();
    assert_eq!(
        files,
        [
            ("a\\xff.png".into(), "Yf8ucG5n".into()),
            ("a\\xfe.png".into(), "Yf4ucG5n".into()),
            // A UTF-8 name is written as it is, without the bytes field:
            // that tells it from a name whose escaping looks the same.
            ("a\\xff.png".into(), Value::Null),
        ]
    );
}

#[test]
fn conflicting_options_are_refused_naming_both() {
    let dir = Dir::new("conflicts");
    let out = dir.file("x.png");
    for (args, says) in [
        (
            &["--version", "10", "--max-version", "5"][..],
            "--version 10 is larger than --max-version 5",
        ),
        (
            &["--symbol", "micro", "--max-version", "5"],
            "--max-version 5 is a QR Code version",
        ),
        (&["--max-height", "7"], "--max-height is for rMQR"),
        (
            &["--symbol", "micro", "--max-width", "43"],
            "--max-width is for rMQR (--symbol rmqr), not Micro QR",
        ),
        (
            &[
                "--symbol",
                "rmqr",
                "--version",
                "R7x43",
                "--max-width",
                "27",
            ],
            "--version R7x43 is larger than --max-width 27",
        ),
        (
            &[
                "--symbol",
                "rmqr",
                "--version",
                "R13x43",
                "--max-height",
                "11",
            ],
            "--version R13x43 is larger than --max-height 11",
        ),
        (
            &["--scale", "3", "--size-mm", "20"],
            "'--scale <N>' cannot be used with '--size-mm <MM>'",
        ),
        // The Micro QR EC message names the version and agrees with itself.
        (
            &["--symbol", "micro", "--version", "M1", "--ec", "M"],
            "Micro QR M1 has no error-correction level M (M1 only detects errors: use L)",
        ),
        (
            &["--symbol", "micro", "--version", "M3", "--ec", "Q"],
            "Micro QR M3 has no error-correction level Q (it has L and M)",
        ),
    ] {
        let mut all = vec!["encode", "12345", "-o", &out];
        all.extend(args);
        let o = civiqr(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}");
        assert_eq!(stderr(&o).lines().count(), 1, "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{all:?}: {}", stderr(&o));
        assert!(!Path::new(&out).exists(), "{all:?} wrote a file");
    }
    // Consistent pairs still work; M1 without --ec gets the L it needs.
    for args in [
        &["--version", "5", "--max-version", "10"][..],
        &[
            "--symbol",
            "rmqr",
            "--version",
            "R7x43",
            "--max-width",
            "43",
        ],
        &["--symbol", "micro", "--version", "M1"],
    ] {
        let mut all = vec!["encode", "12345", "--json"];
        all.extend(args);
        assert!(civiqr(&all).status.success(), "{all:?}");
    }
}

#[test]
fn colours_a_reader_cannot_tell_apart_are_refused_unless_forced() {
    let dir = Dir::new("contrast");
    let out = dir.file("x.png");
    for (dark, light, says) in [
        (
            "white",
            "white",
            "differ by 0.0 % in grey, readers need 30 %",
        ),
        ("#ccc", "white", "differ by 20.0 %"),
        ("yellow", "white", "differ by 11.3 %"),
        ("#00000040", "white", "differ by 25.0 %"),
        ("transparent", "white", "differ by 0.0 %"),
        ("white", "black", "the dark colour is the lighter one"),
    ] {
        let args = ["encode", "x", "--dark", dark, "--light", light, "-o", &out];
        let o = civiqr(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("--allow-low-contrast"),
            "{}",
            stderr(&o)
        );
        assert!(!Path::new(&out).exists(), "{args:?} wrote a file");
    }
    // Forced, the file is written.
    let o = civiqr(&[
        "encode",
        "x",
        "--dark",
        "#ccc",
        "-o",
        &out,
        "--allow-low-contrast",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Pairs at and above the floor are written and read back, the floor's
    // grey (#b2b2b2 on white, 30.1 %) too.
    for (dark, light) in [
        ("#b2b2b2", "white"),
        ("navy", "#ffd"),
        ("red", "white"),
        ("black", "transparent"),
    ] {
        let png = dir.file("ok.png");
        let o = civiqr(&[
            "encode",
            "https://example.org/",
            "--dark",
            dark,
            "--light",
            light,
            "-o",
            &png,
        ]);
        assert!(o.status.success(), "{dark} on {light}: {}", stderr(&o));
        let o = civiqr(&["decode", &png]);
        assert_eq!(stdout(&o), "https://example.org/\n", "{dark} on {light}");
    }
}
