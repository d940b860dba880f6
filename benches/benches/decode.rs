//! Criterion benches of reading: civiqr against the rqrr crate on the same
//! grey pixels — every labelled QR sample in ../shared/samples (one pass over
//! the set per iteration) and a 640 x 480 camera-like frame with one small code.
//! zxing-cpp is measured on the same images by `scripts/reader-compare.py`.

use std::path::{Path, PathBuf};

use civiqr_testkit::{Gray, Grid, Raster};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn samples() -> Vec<Gray> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/samples");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        if dir.file_name().to_string_lossy().starts_with("qrcode-") {
            for f in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let p = f.path();
                if matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("png" | "jpg" | "webp")
                ) {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    files
        .iter()
        .filter_map(|p| image::open(p).ok())
        .map(|img| {
            let l = img.into_luma8();
            Gray {
                width: l.width() as usize,
                height: l.height() as usize,
                data: l.into_raw(),
            }
        })
        .collect()
}

/// A 640 x 480 camera-like frame: a lighting gradient with sensor noise and a
/// few dark bars (street furniture), and a version-3 code at 3 px per module.
fn camera_frame() -> Gray {
    let code = civiqr::encode_text(
        "https://example.org/mobilier/banc-0042",
        &civiqr::EncodeOptions::default(),
    )
    .expect("fits");
    let (w, h) = (640, 480);
    let mut s = 12345u32;
    let data: Vec<u8> = (0..w * h)
        .map(|i| {
            s = s.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let (x, y) = (i % w, i / w);
            let bar = (x / 40) % 4 == 1 && y > 300;
            let base = if bar {
                50
            } else {
                110 + (x * 60 / w) as u32 + (y * 30 / h) as u32
            };
            (base + (s >> 28)) as u8
        })
        .collect();
    let mut frame = Gray {
        width: w,
        height: h,
        data,
    };
    let grid = Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y));
    frame.paste(&Raster::new(3).levels(35, 215).draw(&grid), 250, 180);
    frame
}

fn civiqr_count(g: &Gray) -> usize {
    civiqr::decode(
        civiqr::ImageRef::luma(&g.data, g.width, g.height),
        &civiqr::DecodeOptions::default(),
    )
    .map(|v| v.len())
    .unwrap_or(0)
}

/// rqrr panics on some of the samples (an assertion in its grid fitting);
/// such an image counts as not read.
fn rqrr_count(g: &Gray) -> usize {
    std::panic::catch_unwind(|| rqrr_count_inner(g)).unwrap_or(0)
}

fn rqrr_count_inner(g: &Gray) -> usize {
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(g.width, g.height, |x, y| g.get(x, y));
    img.detect_grids()
        .iter()
        .filter(|grid| grid.decode().is_ok())
        .count()
}

fn decode(c: &mut Criterion) {
    // Keep rqrr's panic messages out of the bench output.
    std::panic::set_hook(Box::new(|_| {}));
    let set = samples();
    if !set.is_empty() {
        let mut g = c.benchmark_group("decode/samples");
        g.bench_function("civiqr", |b| {
            b.iter(|| {
                set.iter()
                    .map(|i| civiqr_count(black_box(i)))
                    .sum::<usize>()
            })
        });
        g.bench_function("rqrr", |b| {
            b.iter(|| set.iter().map(|i| rqrr_count(black_box(i))).sum::<usize>())
        });
        g.finish();
    }
    let frame = camera_frame();
    assert_eq!(civiqr_count(&frame), 1, "the frame's code must read");
    let mut g = c.benchmark_group("decode/frame640");
    g.bench_function("civiqr", |b| b.iter(|| civiqr_count(black_box(&frame))));
    g.bench_function("rqrr", |b| b.iter(|| rqrr_count(black_box(&frame))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = decode
}
criterion_main!(benches);
