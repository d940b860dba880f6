//! Worst cases of bounded work: decode time per megapixel on images built to
//! be expensive (fields of finder patterns, checkerboards, noise), default
//! options and `try_harder`.
//!
//! Run: cargo run --release -p civiqr-tools --bin adversarial
use std::time::Instant;

use civiqr::{decode, DecodeOptions, ImageRef};
use civiqr_testkit::finder_field;

fn noise(w: usize, h: usize, seed: u32) -> Vec<u8> {
    let mut s = seed;
    (0..w * h)
        .map(|_| {
            s = s.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (s >> 24) as u8
        })
        .collect()
}

fn checker(w: usize, h: usize, px: usize) -> Vec<u8> {
    (0..w * h)
        .map(|i| {
            if (i % w / px + i / w / px) % 2 == 0 {
                0
            } else {
                255
            }
        })
        .collect()
}

fn main() {
    let (w, h) = (1000, 1000);
    let images: Vec<(String, Vec<u8>)> = vec![
        ("finders 2 px".into(), finder_field(w, h, 2)),
        ("finders 3 px".into(), finder_field(w, h, 3)),
        ("finders 5 px".into(), finder_field(w, h, 5)),
        ("finders 8 px".into(), finder_field(w, h, 8)),
        ("checkerboard 3 px".into(), checker(w, h, 3)),
        ("noise".into(), noise(w, h, 7)),
        ("blank".into(), vec![255; w * h]),
    ];
    println!("| image (1000 x 1000) | default ms | try_harder ms |");
    println!("|---|---:|---:|");
    for (name, img) in &images {
        let mut cells = Vec::new();
        for opts in [
            DecodeOptions::default(),
            DecodeOptions::default().try_harder(true),
        ] {
            let mut best = f64::MAX;
            for _ in 0..3 {
                let t = Instant::now();
                let found = decode(ImageRef::luma(img, w, h), &opts).map(|v| v.len());
                best = best.min(t.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(found.ok(), Some(0), "{name}");
            }
            cells.push(format!("{best:.1}"));
        }
        println!("| {name} | {} | {} |", cells[0], cells[1]);
    }
}
