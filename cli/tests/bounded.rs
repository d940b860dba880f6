//! Every input is read up to one byte past its limit, whatever the file type
//! (regular file, device, FIFO, standard input); image decoding stays within
//! its memory bound whatever the pixel format; private keys others can read
//! are refused.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::{civiqr, s, scratch, stderr};

/// Exit 2 with one message naming `file` and `limit`.
fn assert_refused(o: &std::process::Output, file: &str, limit: &str) {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains(file) && e.contains(limit), "{e}");
}

#[test]
fn endless_devices_stop_at_each_limit() {
    let o = civiqr(&["decode", "/dev/zero", "--max-file-bytes", "100000"]);
    assert_refused(&o, "/dev/zero", "100,000");
    let o = civiqr(&["decode", "x.png", "--trust", "/dev/zero"]);
    assert_refused(&o, "/dev/zero", "1048576");
    let o = civiqr(&["encode", "--input", "/dev/zero"]);
    assert_refused(&o, "/dev/zero", "65536");
    let o = civiqr(&[
        "encode",
        "https://example.org",
        "--sign-key",
        "/dev/zero",
        "--insecure-key-permissions",
    ]);
    assert_refused(&o, "/dev/zero", "65536");
}

#[test]
fn endless_standard_input_stops_at_the_limit() {
    for args in [
        &["decode", "-", "--max-file-bytes", "5000"][..],
        &["encode", "-"][..],
        &["encode", "--input", "-"][..],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_civiqr"))
            .args(args)
            .stdin(std::fs::File::open("/dev/zero").expect("/dev/zero"))
            .output()
            .expect("runs");
        assert_refused(
            &o,
            "standard input",
            if args[0] == "decode" { "5000" } else { "65536" },
        );
    }
}

#[test]
fn an_endless_fifo_stops_at_the_limit() {
    let dir = scratch("bounded-fifo");
    let fifo = dir.join("pipe.png");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo unavailable");
        return;
    }
    // The writer writes until the reader goes away (then its write fails).
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(&fifo)
                .expect("opens");
            let chunk = vec![0u8; 1 << 16];
            while f.write_all(&chunk).is_ok() {}
        })
    };
    let o = civiqr(&["decode", s(&fifo), "--max-file-bytes", "200000"]);
    assert_refused(&o, "pipe.png", "200,000");
    writer.join().expect("writer ends");
}

/// A `width` x `height` 16-bit RGBA PNG, all opaque white.
fn white_rgba16_png(path: &Path, width: u32, height: u32) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut enc = png::Encoder::new(file, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Sixteen);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header().expect("header");
    let mut stream = writer.stream_writer().expect("stream");
    let row = vec![0xFFu8; width as usize * 8];
    for _ in 0..height {
        stream.write_all(&row).expect("row");
    }
    stream.finish().expect("finish");
}

/// A 24-megapixel 16-bit RGBA PNG (192 MB at full depth) is read under a
/// 200 MB address-space limit: decoded row by row to grey, the process peaks
/// at 76 MB. Decoded whole, then converted, it peaked at 287 MB and aborted
/// under the limit.
#[test]
fn a_sixteen_bit_png_decodes_within_a_memory_limit() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("skipped: prlimit unavailable");
        return;
    }
    let dir = scratch("bounded-png16");
    let png = dir.join("big16.png");
    white_rgba16_png(&png, 6000, 4000);
    let o = Command::new("prlimit")
        .arg("--as=200000000")
        .arg(env!("CARGO_BIN_EXE_civiqr"))
        .args(["decode", s(&png)])
        .stdout(Stdio::null())
        .output()
        .expect("runs");
    // Exit 1: a readable image without a code.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn private_keys_others_can_read_are_refused_unless_allowed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("bounded-perm");
    let key = dir.join("town.key");
    let o = civiqr(&["keygen", "--out", s(&key), "--issuer", "Ville"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let sign = |extra: &[&str]| {
        let out = dir.join("signed.svg");
        let mut args = vec!["encode", "https://example.org", "--sign-key", s(&key)];
        args.extend_from_slice(extra);
        args.extend(["-o", s(&out)]);
        civiqr(&args)
    };
    let o = sign(&[]);
    assert_refused(&o, "town.key", "0640");
    assert!(stderr(&o).contains("chmod 600") && stderr(&o).contains("--insecure-key-permissions"));
    assert!(sign(&["--insecure-key-permissions"]).status.success());
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let o = sign(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
}
