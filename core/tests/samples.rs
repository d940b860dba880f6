//! The labelled sample images in ../shared/samples (see its README): every
//! QR image is decoded and compared with its expected content. Prints the
//! count read correctly; the floor below only ever goes up.

#![cfg(feature = "image")]

use std::path::{Path, PathBuf};

use civiqr::{decode_file, DecodeOptions};

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/samples")
}

/// What a sample should decode to: text (`.txt`, compared with the decoded
/// text) or raw bytes (`.bin`).
#[derive(Debug)]
enum Expected {
    Text(String),
    Bytes(Vec<u8>),
}

/// (image path, expected content) for every QR Model 2 sample.
fn qr_samples() -> Vec<(PathBuf, Expected)> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(samples_dir()) else {
        return out;
    };
    let mut dirs: Vec<PathBuf> = dirs.filter_map(|e| e.ok().map(|e| e.path())).collect();
    dirs.sort();
    for dir in dirs.into_iter().filter(|d| {
        d.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("qrcode-"))
    }) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for img in files.iter().filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("png" | "jpg" | "jpeg" | "webp" | "gif" | "bmp" | "tif" | "tiff")
            )
        }) {
            let expected = match std::fs::read(img.with_extension("txt")) {
                Ok(t) => Some(Expected::Text(String::from_utf8_lossy(&t).into_owned())),
                Err(_) => std::fs::read(img.with_extension("bin"))
                    .ok()
                    .map(Expected::Bytes),
            };
            if let Some(e) = expected {
                out.push((img.clone(), e));
            }
        }
    }
    out
}

#[test]
fn sample_images_read_correctly() {
    let samples = qr_samples();
    if samples.is_empty() {
        eprintln!("no samples found at {}", samples_dir().display());
        return;
    }
    let opts = DecodeOptions::default().try_harder(true);
    let mut ok = 0;
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    for (path, expected) in &samples {
        match decode_file(path, &opts) {
            Ok(found)
                if found.iter().any(|d| match expected {
                    Expected::Text(t) => d.text() == Some(t.as_str()),
                    Expected::Bytes(b) => d.bytes() == b.as_slice(),
                }) =>
            {
                ok += 1
            }
            Ok(found) if !found.is_empty() => wrong.push(path.display().to_string()),
            _ => missed.push(path.display().to_string()),
        }
    }
    eprintln!(
        "samples: {ok}/{} read correctly; {} other content, {} missed",
        samples.len(),
        wrong.len(),
        missed.len()
    );
    for m in &missed {
        eprintln!("  missed {m}");
    }
    for w in &wrong {
        eprintln!("  other content {w}");
    }
    // Floor measured when the reader landed; raise it as the reader improves.
    assert!(
        ok >= FLOOR,
        "only {ok}/{} samples read (floor {FLOOR})",
        samples.len()
    );
}

const FLOOR: usize = 102;
