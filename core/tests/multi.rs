//! Many symbols in one picture: grids of 2x2 to 10x10 codes from our encoder,
//! drawn straight and photographed (turned, blurred, noisy), read in full
//! with the default options, and nothing read that is not on the page.

use std::collections::HashSet;

use civiqr::{
    decode, encode_text, DecodeOptions, EncodeOptions, ImageRef, MicroVersion, QrCode, RmqrVersion,
    Symbology,
};
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

/// A QR Code, a Micro QR symbol and an rMQR symbol on one label, as a town's
/// mixed signage or a parts label holds them, and their texts.
fn mixed_label() -> (Grid, Vec<String>) {
    let texts = ["https://example.org/stop/42", "BUS 42", "PARK-0042-EAST"].map(String::from);
    let micro = EncodeOptions::default()
        .symbology(Symbology::MicroQr)
        .micro_version(MicroVersion::new(3).expect("M3"));
    let rmqr = EncodeOptions::default()
        .symbology(Symbology::Rmqr)
        .rmqr_version("R13x43".parse::<RmqrVersion>().expect("R13x43"));
    let codes: Vec<QrCode> = [EncodeOptions::default(), micro, rmqr]
        .iter()
        .zip(&texts)
        .map(|(o, t)| encode_text(t, o).expect("fits"))
        .collect();
    // The QR Code at the left, the Micro QR symbol right of it, the rMQR
    // symbol below both; 4-module gaps and margins.
    let places = [
        (4, 4),
        (8 + codes[0].width(), 4),
        (4, 8 + codes[0].height()),
    ];
    let width = (places[1].0 + codes[1].width()).max(4 + codes[2].width()) + 4;
    let height = places[2].1 + codes[2].height() + 4;
    let grid = Grid::from_fn(width, height, |x, y| {
        codes.iter().zip(places).any(|(c, (px, py))| {
            let (u, v) = (x.wrapping_sub(px), y.wrapping_sub(py));
            u < c.width() && v < c.height() && c.get(u, v)
        })
    });
    (grid, texts.to_vec())
}

#[test]
fn every_symbology_on_one_label_reads() {
    let (grid, texts) = mixed_label();
    for (i, module_px) in [2.0, 2.5, 3.0, 4.0, 6.0].into_iter().enumerate() {
        // Turned, blurred and noisy from 3 px per module up (at 2.5 px a
        // box blur of radius 1 leaves the small symbols unreadable).
        for photographed in [false, module_px >= 3.0] {
            let d = if photographed {
                Distortion {
                    module_px,
                    rotate_deg: 7.0 + 91.0 * i as f64,
                    blur: 1,
                    noise: 10,
                    ..Distortion::default()
                }
            } else {
                Distortion {
                    module_px,
                    ..Distortion::default()
                }
            };
            let img = d.render(&grid, i as u64);
            assert_eq!(count_read(&img, &texts), 3, "{d:?}");
        }
    }
}
