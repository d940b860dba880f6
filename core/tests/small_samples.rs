//! The Micro QR and rMQR sample images in ../shared/samples
//! (`microqrcode-1`, `rmqrcode-1`) read at every rotation through the same
//! `decode` entry point as QR Codes; prints what was read and holds the
//! counts to a floor that only goes up.

#![cfg(feature = "image")]

use std::path::{Path, PathBuf};

use civiqr::{decode, DecodeOptions, ImageRef, Symbology};
use civiqr_testkit::skip_without_samples;

/// Expected content: text (`.txt`, compared with the decoded text) or bytes (`.bin`).
enum Expected {
    Text(String),
    Bytes(Vec<u8>),
}

fn samples(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/samples")
        .join(name)
}

fn folder(name: &str) -> Vec<(PathBuf, Expected)> {
    let dir = samples(name);
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for img in files {
        if matches!(
            img.extension().and_then(|e| e.to_str()),
            Some("txt" | "bin")
        ) {
            continue;
        }
        let expected = match std::fs::read(img.with_extension("txt")) {
            Ok(t) => Some(Expected::Text(String::from_utf8_lossy(&t).into_owned())),
            Err(_) => std::fs::read(img.with_extension("bin"))
                .ok()
                .map(Expected::Bytes),
        };
        if let Some(e) = expected {
            out.push((img, e));
        }
    }
    out
}

/// Images read correctly at 0, 90, 180 and 270 degrees, and the misreads.
fn read_folder(name: &str, symbology: Symbology) -> ([usize; 4], usize, Vec<String>) {
    let samples = folder(name);
    let opts = DecodeOptions::default();
    let mut per_rotation = [0usize; 4];
    let mut misreads = Vec::new();
    for (path, expected) in &samples {
        let Ok(img) = image::open(path) else {
            misreads.push(format!("{} does not open", path.display()));
            continue;
        };
        let mut luma = img.into_luma8();
        for (r, count) in per_rotation.iter_mut().enumerate() {
            if r > 0 {
                luma = image::imageops::rotate90(&luma);
            }
            let (w, h) = (luma.width() as usize, luma.height() as usize);
            let found = decode(ImageRef::luma(luma.as_raw(), w, h), &opts).expect("valid image");
            let ok = found.iter().any(|d| {
                d.symbology() == symbology
                    && match expected {
                        Expected::Text(t) => d.text() == Some(t.as_str()),
                        Expected::Bytes(b) => d.bytes() == b.as_slice(),
                    }
            });
            *count += usize::from(ok);
            eprintln!(
                "{name}/{} at {:3}: {}",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default(),
                r * 90,
                if ok {
                    "ok"
                } else if found.is_empty() {
                    "-"
                } else {
                    "OTHER"
                }
            );
            if !ok && !found.is_empty() {
                misreads.push(format!(
                    "{} at {}: {:?}",
                    path.display(),
                    r * 90,
                    found
                        .iter()
                        .map(|d| (d.symbology(), d.text().map(str::to_string)))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    (per_rotation, samples.len(), misreads)
}

#[test]
fn micro_qr_samples_read_at_every_rotation() {
    let (read, total, misreads) = read_folder("microqrcode-1", Symbology::MicroQr);
    eprintln!("microqrcode-1 at 0/90/180/270: {read:?} of {total}");
    if total == 0 {
        skip_without_samples(
            "micro_qr_samples_read_at_every_rotation",
            &samples("microqrcode-1"),
        );
        return;
    }
    assert!(misreads.is_empty(), "{misreads:#?}");
    for (r, &n) in read.iter().enumerate() {
        assert!(
            n >= MICRO_FLOOR[r],
            "rotation {}: {n} < {}",
            r * 90,
            MICRO_FLOOR[r]
        );
    }
}

#[test]
fn rmqr_samples_read_at_every_rotation() {
    let (read, total, misreads) = read_folder("rmqrcode-1", Symbology::Rmqr);
    eprintln!("rmqrcode-1 at 0/90/180/270: {read:?} of {total}");
    if total == 0 {
        skip_without_samples(
            "rmqr_samples_read_at_every_rotation",
            &samples("rmqrcode-1"),
        );
        return;
    }
    assert!(misreads.is_empty(), "{misreads:#?}");
    for (r, &n) in read.iter().enumerate() {
        assert!(
            n >= RMQR_FLOOR[r],
            "rotation {}: {n} < {}",
            r * 90,
            RMQR_FLOOR[r]
        );
    }
}

/// Ratchets: what the reader reached (zxing-cpp reads 15 of the 16 Micro QR
/// images and all 3 rMQR images upright).
const MICRO_FLOOR: [usize; 4] = [16, 16, 16, 16];
const RMQR_FLOOR: [usize; 4] = [3, 3, 3, 3];
