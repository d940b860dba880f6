//! Reads every labelled QR sample in a folder tree (default ../shared/samples)
//! at rotations 0/90/180/270 and prints one JSON line per image and rotation:
//! file, rotation, whether the expected content was read, how many symbols
//! were found, and the decode time in milliseconds (pixels already in memory).
//! An image holding a second symbol (a nested code) has its text in
//! `NAME.2.txt`: the image reads only when both are returned, and any other
//! symbol returned is a misread.
//! `scripts/reader-compare.py` runs this and zxing-cpp on the same images.
//!
//! Run: cargo run --release -p civiqr-tools --bin sample_stats -- [DIR] [--qr-only] [--quick]
//!
//! `--qr-only` narrows the reader to QR Code (no Micro QR or rMQR search), to
//! measure what the other symbologies cost on these QR images. `--repeat N`
//! decodes each image N times and reports the fastest, for comparing reader
//! changes on a busy machine. `--quick` decodes with `DecodeOptions::quick`
//! (a camera scanner's frames between full decodes).

use civiqr::{DecodeOptions, Symbology};
use std::path::{Path, PathBuf};

#[path = "../stats_common.rs"]
mod stats_common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let qr_only = args.iter().any(|a| a == "--qr-only");
    let repeat = stats_common::repeat(&args);
    let dir = stats_common::folder(&args)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/samples"));
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let opts = if qr_only {
        DecodeOptions::default().symbologies(&[Symbology::Qr])
    } else {
        DecodeOptions::default()
    }
    .quick(args.iter().any(|a| a == "--quick"));
    for path in files {
        let Some(expected) = expected(&path) else {
            continue;
        };
        let also = std::fs::read(path.with_extension("2.txt"))
            .ok()
            .map(|t| String::from_utf8_lossy(&t).into_owned());
        let Ok(img) = image::open(&path) else {
            eprintln!("cannot open {}", path.display());
            continue;
        };
        let mut luma = img.into_luma8();
        for rotation in [0, 90, 180, 270] {
            if rotation > 0 {
                luma = image::imageops::rotate90(&luma);
            }
            let (found, ms) = stats_common::timed_decode(&luma, &opts, repeat);
            let first = |d: &civiqr::Decoded| match &expected {
                Ok(text) => d.text() == Some(text.as_str()),
                Err(bytes) => d.bytes() == bytes.as_slice(),
            };
            let (ok, wrong) = match &also {
                None => {
                    let ok = found.iter().any(first);
                    (ok, !found.is_empty() && !ok)
                }
                Some(second) => {
                    let other = |d: &civiqr::Decoded| d.text() == Some(second.as_str());
                    let ok = found.iter().any(first) && found.iter().any(other);
                    (ok, found.iter().any(|d| !first(d) && !other(d)))
                }
            };
            println!(
                "{{\"file\":{:?},\"rotation\":{rotation},\"ok\":{ok},\"other\":{wrong},\"found\":{},\"ms\":{ms:.4}}}",
                path.display().to_string(),
                found.len()
            );
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("qrcode-"))
            {
                collect(&p, out);
            }
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("png" | "jpg" | "jpeg" | "webp" | "gif" | "bmp")
        ) {
            out.push(p);
        }
    }
}

/// Expected text (`.txt`) or bytes (`.bin`).
fn expected(img: &Path) -> Option<Result<String, Vec<u8>>> {
    match std::fs::read(img.with_extension("txt")) {
        Ok(t) => Some(Ok(String::from_utf8_lossy(&t).into_owned())),
        Err(_) => std::fs::read(img.with_extension("bin")).ok().map(Err),
    }
}
