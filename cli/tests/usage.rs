//! Runs the binary for what a new user meets first: help on every
//! subcommand, completions, the man page, standard input, closed pipes, and
//! the messages that must name their cause.

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod common;
use common::{civiqr, s, scratch, stderr, stdout};

/// Runs with `input` on standard input.
fn civiqr_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_civiqr"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    // The binary may stop reading early (a limit): a failed write is its answer.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("binary ends")
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    for sub in [
        "encode",
        "decode",
        "payload",
        "batch",
        "keygen",
        "grade",
        "completions",
        "man",
    ] {
        let o = civiqr(&[sub, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{sub}: {}", stderr(&o));
        let help = stdout(&o);
        assert!(help.contains(&format!("civiqr {sub}")), "{sub}: {help}");
        assert!(help.contains("Example"), "{sub}: {help}");
    }
    // The payload fields are free-form, so their help is asked after a kind too.
    let o = civiqr(&["payload", "epc", "--help"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("--iban IBAN"), "{}", stdout(&o));
    let o = civiqr(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Exit status"), "{}", stdout(&o));
    let o = civiqr(&["--version"]);
    assert_eq!(
        stdout(&o),
        format!("civiqr {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_suggest_and_exit_2_on_one_line() {
    for (args, says) in [
        (
            &["encode", "x", "--jsn"][..],
            "similar argument exists: '--json'",
        ),
        (&["decode", "--try-hard", "a.png"], "'--try-harder'"),
        (&["encod", "x"], "'encode'"),
        (&[], "no command given"),
        (&["batch", "a.csv"], "--out"),
    ] {
        let o = civiqr(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
}

#[test]
fn help_into_a_closed_pipe_exits_quietly() {
    for args in [&["--help"][..], &["completions", "bash"], &["man"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_civiqr"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary runs");
        // Close the reading end at once, as `civiqr --help | true` does.
        drop(child.stdout.take());
        let o = child.wait_with_output().expect("binary ends");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn completions_and_man_pages() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = civiqr(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        assert!(stdout(&o).contains("encode"), "{shell}");
    }
    let o = civiqr(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let o = civiqr(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(".TH civiqr 1"), "{}", stdout(&o));
    for sub in ["encode", "decode", "payload", "batch", "keygen", "grade"] {
        let o = civiqr(&["man", sub]);
        assert_eq!(o.status.code(), Some(0), "{sub}: {}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!(".TH civiqr-{sub} 1")),
            "{sub}: {}",
            stdout(&o)
        );
    }
    let o = civiqr(&["man", "frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn decode_reads_standard_input_within_the_file_limit() {
    let dir = scratch("usage-stdin");
    let png = dir.join("a.png");
    let o = civiqr(&["encode", "BANC 42", "-o", s(&png)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&png).expect("png");
    let o = civiqr_stdin(&["decode", "-"], &bytes);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "BANC 42\n");
    let o = civiqr_stdin(&["decode", "--json", "-"], &bytes);
    assert!(stdout(&o).contains("\"file\":\"-\""), "{}", stdout(&o));
    let o = civiqr_stdin(&["decode", "--max-file-bytes", "100", "-"], &bytes);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("standard input: input too large: more than 100 bytes"),
        "{}",
        stderr(&o)
    );
    let o = civiqr_stdin(&["decode", "-", "-"], &bytes);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn empty_data_is_refused() {
    let dir = scratch("usage-empty");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    for o in [
        civiqr(&["encode", ""]),
        civiqr(&["encode", "--input", s(&empty)]),
        civiqr_stdin(&["encode", "-"], b""),
    ] {
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("empty"), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn split_auto_names_the_16_part_limit() {
    let text = "x".repeat(20_000);
    let o = civiqr(&["encode", &text, "--split", "auto", "--max-version", "5"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("16 symbols, the most structured append allows"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn batch_reads_standard_input_and_warns_once() {
    let dir = scratch("usage-batch");
    let mut csv = String::from("id,url\n");
    for i in 0..5 {
        csv.push_str(&format!("b{i},https://example.org/{i}\n"));
    }
    let out = dir.join("out");
    let o = civiqr_stdin(
        &[
            "batch",
            "-",
            "--out",
            s(&out),
            "--format",
            "svg",
            "--size-mm",
            "20",
            "--reading-distance",
            "2.5m",
            "--no-verify",
        ],
        csv.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    assert!(err.contains("on 5 rows of 5"), "{err}");
    assert!(err.contains("(and 4 more rows)"), "{err}");
    assert!(out.join("b4.svg").exists());
}

#[test]
fn batch_reads_french_excel_csv_and_says_how() {
    let dir = scratch("usage-cp1252");
    // What Excel in French saves: ';', Windows-1252, CRLF.
    let input = dir.join("bancs.csv");
    std::fs::write(
        &input,
        b"id;url;label\r\nb1;https://example.org/1;Caf\xe9 de l'\xc9glise\r\n",
    )
    .expect("write");
    let out = dir.join("out");
    let o = civiqr(&["batch", s(&input), "--out", s(&out), "--format", "svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("';'-separated, Windows-1252 (detected)"),
        "{}",
        stderr(&o)
    );
    let manifest = std::fs::read_to_string(out.join("manifest.csv")).expect("manifest");
    assert!(manifest.contains("https://example.org/1"), "{manifest}");
    // Told explicitly, nothing is guessed and nothing said.
    let o = civiqr(&[
        "batch",
        s(&input),
        "--out",
        s(&out),
        "--format",
        "svg",
        "--delimiter",
        ";",
        "--encoding",
        "windows-1252",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    // A wrong delimiter leaves no id column.
    let o = civiqr(&["batch", s(&input), "--out", s(&out), "--delimiter", "tab"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no id column"), "{}", stderr(&o));
}

#[test]
fn one_key_is_counted_in_the_singular() {
    let dir = scratch("usage-keys");
    let (key, trust) = (dir.join("town.key"), dir.join("trust.json"));
    let o = civiqr(&[
        "keygen",
        "--out",
        s(&key),
        "--issuer",
        "Ville",
        "--trust-out",
        s(&trust),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("(1 key)"), "{}", stderr(&o));
}
