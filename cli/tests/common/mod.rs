//! What every CLI test file needs: the real binary, run with arguments, and
//! its output as text.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::ops::Deref;
use std::path::Path;
use std::process::{Command, Output};

/// A fresh directory for one test, removed when dropped (a failing test's
/// too), used as a `Path`.
pub struct Scratch(tempfile::TempDir);

/// A new [`Scratch`] named `civiqr-NAME-XXXXXX` in the system's temp dir.
pub fn scratch(name: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("civiqr-{name}-"))
        .tempdir()
        .expect("temp dir");
    Scratch(dir)
}

impl Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

/// Runs the `civiqr` binary built for these tests.
pub fn civiqr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civiqr"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// Standard output, lossily decoded.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error, lossily decoded.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A path as an argument (test paths are UTF-8).
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Writes `w` x `h` grey pixels as a PNG.
pub fn write_png(path: &Path, pixels: &[u8], w: usize, h: usize) {
    let file = std::fs::File::create(path).expect("create");
    let mut enc = png::Encoder::new(file, w as u32, h as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().expect("header");
    writer.write_image_data(pixels).expect("data");
}
