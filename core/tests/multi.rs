//! Many symbols in one picture: grids of 2x2 to 10x10 codes from our encoder,
//! drawn straight and photographed (turned, blurred, noisy), read in full
//! with the default options, and nothing read that is not on the page.

use std::collections::HashSet;

use civiqr::{decode, encode_text, DecodeOptions, EncodeOptions, ImageRef};
use civiqr_testkit::{Distortion, Gray, Grid};

/// `n` x `n` distinct codes side by side, each with its 4-module quiet zone,
/// as one module grid, and their texts.
fn page(n: usize) -> (Grid, Vec<String>) {
    let texts: Vec<String> = (0..n * n)
        .map(|i| format!("https://example.org/s/{n}-{i:03}"))
        .collect();
    let codes: Vec<_> = texts
        .iter()
        .map(|t| encode_text(t, &EncodeOptions::default()).expect("fits"))
        .collect();
    let cell = codes.iter().map(|c| c.width()).max().unwrap_or(21) + 8;
    let grid = Grid::from_fn(n * cell, n * cell, |x, y| {
        let code = &codes[(y / cell) * n + x / cell];
        let (u, v) = ((x % cell).checked_sub(4), (y % cell).checked_sub(4));
        matches!((u, v), (Some(u), Some(v)) if u < code.width() && v < code.height() && code.get(u, v))
    });
    (grid, texts)
}

/// How many of `texts` the reader finds in `img`; fails on any other text.
fn count_read(img: &Gray, texts: &[String]) -> usize {
    let found = decode(
        ImageRef::luma(&img.data, img.width, img.height),
        &DecodeOptions::default(),
    )
    .expect("valid image");
    let want: HashSet<&str> = texts.iter().map(String::as_str).collect();
    let mut read = HashSet::new();
    for d in &found {
        let text = d.text().expect("text");
        assert!(want.contains(text), "misread: {text:?}");
        read.insert(text.to_owned());
    }
    read.len()
}

#[test]
fn every_code_of_straight_grids_reads() {
    for n in 2..=10 {
        let (grid, texts) = page(n);
        let d = Distortion {
            module_px: 3.0,
            ..Distortion::default()
        };
        let img = d.render(&grid, n as u64);
        assert_eq!(count_read(&img, &texts), n * n, "{n}x{n} grid");
    }
}

#[test]
fn every_code_of_photographed_grids_reads() {
    for n in [3, 6, 9] {
        let (grid, texts) = page(n);
        let d = Distortion {
            module_px: 4.0,
            rotate_deg: 3.0 + n as f64,
            blur: 1,
            noise: 12,
            ..Distortion::default()
        };
        let img = d.render(&grid, n as u64);
        assert_eq!(count_read(&img, &texts), n * n, "{n}x{n} grid");
    }
}

#[test]
fn the_symbol_cap_is_configurable() {
    let (grid, texts) = page(4);
    let img = Distortion::default().render(&grid, 1);
    let found = decode(
        ImageRef::luma(&img.data, img.width, img.height),
        &DecodeOptions::default().max_symbols(5),
    )
    .expect("valid image");
    assert_eq!(found.len(), 5);
    assert!(count_read(&img, &texts) == 16);
}
