//! The labelled sample images in ../shared/samples (see its README): every
//! QR image is decoded and compared with its expected content. Prints the
//! count read correctly; the floor below only ever goes up.

#![cfg(feature = "image")]

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use civiqr::{decode, DecodeOptions, ImageRef};
use civiqr_testkit::skip_without_samples;

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

/// (image path, expected content) for every QR Code sample (two are Model 1).
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
fn sample_images_read_correctly_at_every_rotation() {
    let samples = qr_samples();
    if samples.is_empty() {
        skip_without_samples(
            "sample_images_read_correctly_at_every_rotation",
            &samples_dir(),
        );
        return;
    }
    let opts = DecodeOptions::default();
    // (folder, rotation) -> (read, total); misreads listed.
    let mut table: BTreeMap<(String, u32), (usize, usize)> = BTreeMap::new();
    let mut per_rotation = [0usize; 4];
    let mut misreads = Vec::new();
    for (path, expected) in &samples {
        let folder = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(img) = image::open(path) else {
            misreads.push(format!("{} does not open", path.display()));
            continue;
        };
        let mut luma = img.into_luma8();
        for (r, rotation) in [0u32, 90, 180, 270].into_iter().enumerate() {
            if r > 0 {
                luma = image::imageops::rotate90(&luma);
            }
            let (w, h) = (luma.width() as usize, luma.height() as usize);
            let found = decode(ImageRef::luma(luma.as_raw(), w, h), &opts).expect("valid image");
            let ok = found.iter().any(|d| match expected {
                Expected::Text(t) => d.text() == Some(t.as_str()),
                Expected::Bytes(b) => d.bytes() == b.as_slice(),
            });
            let cell = table.entry((folder.clone(), rotation)).or_default();
            cell.0 += usize::from(ok);
            cell.1 += 1;
            per_rotation[r] += usize::from(ok);
            if !found.is_empty() && !ok {
                misreads.push(format!(
                    "{} at {rotation}: {:?}",
                    path.display(),
                    found.iter().map(|d| d.text()).collect::<Vec<_>>()
                ));
            }
        }
    }
    for ((folder, rotation), (ok, total)) in &table {
        eprintln!("{folder} at {rotation:3} degrees: {ok}/{total}");
    }
    eprintln!(
        "read at 0/90/180/270 degrees: {per_rotation:?} of {} images",
        samples.len()
    );
    // Another code in the same image (several samples hold two) would be
    // listed here too; today there are none, and a wrong payload must never be.
    assert!(misreads.is_empty(), "{misreads:#?}");
    // Ratchet: what the reader reached. zxing-cpp reads 123/124/123/123 of the
    // same images by the same measure (scripts/reader-compare.py). Refining
    // failed maps by fit (`locate::refine`) read 3 or 4 more at each rotation,
    // among them the qrcode-4 t-shirt photo 06 that nothing read before;
    // a lost finder placed by its timing patterns (`lost.rs`) qrcode-4/05
    // at 0 degrees.
    for (r, floor) in FLOORS.iter().enumerate() {
        assert!(
            per_rotation[r] >= *floor,
            "rotation {}: {} < {floor}",
            r * 90,
            per_rotation[r]
        );
    }
}

const FLOORS: [usize; 4] = [135, 135, 136, 135];

/// The two QR Code Model 1 samples (zxing-cpp reports them as `]Q0`) read
/// as Model 1 at every rotation, mirrored too; no Model 2 sample does.
#[test]
fn model1_samples_read_as_model1() {
    let dir = samples_dir().join("qrcode-2");
    if !dir.is_dir() {
        // A checkout outside the workplace has no shared samples: like the
        // test above, nothing to read (the folder present without these
        // two files still fails).
        skip_without_samples("model1_samples_read_as_model1", &dir);
        return;
    }
    for (file, text) in [
        (
            "#940.png",
            "N023X-3431800-V034PG03X-3436010-A1125032918310706",
        ),
        ("qr-model-1.png", "QR Code Model 1 "),
    ] {
        let Ok(img) = image::open(dir.join(file)) else {
            panic!("{file} missing from the samples");
        };
        let mut luma = img.into_luma8();
        for turn in 0..5 {
            if turn == 4 {
                luma = image::imageops::flip_horizontal(&luma);
            } else if turn > 0 {
                luma = image::imageops::rotate90(&luma);
            }
            let (w, h) = (luma.width() as usize, luma.height() as usize);
            let found = decode(
                ImageRef::luma(luma.as_raw(), w, h),
                &DecodeOptions::default(),
            )
            .expect("decodes");
            assert_eq!(found.len(), 1, "{file} turn {turn}");
            assert_eq!(found[0].text(), Some(text), "{file} turn {turn}");
            assert!(found[0].is_model1(), "{file} turn {turn}");
            // #940 is a 5-H symbol of two blocks stored one after the
            // other (dealt as Model 2 interleaves them, it does not decode);
            // read so, the image has 4 damaged codewords.
            let corrected = found[0].corrected_codewords();
            assert!(corrected <= 4, "{file} turn {turn}: {corrected}");
            assert_eq!(found[0].mirrored(), turn == 4);
        }
    }
    let other = image::open(dir.join("1.png")).expect("sample").into_luma8();
    let (w, h) = (other.width() as usize, other.height() as usize);
    let found = decode(
        ImageRef::luma(other.as_raw(), w, h),
        &DecodeOptions::default(),
    )
    .expect("decodes");
    assert!(!found.is_empty() && found.iter().all(|d| !d.is_model1()));
}
