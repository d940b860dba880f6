//! Nested ("double") codes: a small symbol printed on a light box over the
//! centre of a larger EC H one. A default read returns both, and nothing
//! else: the inner symbol's finders must not be taken for parts of the
//! outer's data, nor the outer's modules for the inner's.

use std::collections::HashSet;

use civiqr::{
    decode, encode_text, DecodeOptions, EcLevel, EncodeOptions, ImageRef, QrCode, Version,
};
use civiqr_testkit::{Distortion, Gray, Grid};

const OUTER: &str = "https://paiement.example.org/horodateur/zone-3/borne-0417?ref=nested";
const INNER: &str = "https://example.org/i/17";

/// Grid cells per outer module: the inner symbol is drawn one cell per module.
const CELLS: usize = 4;

/// The outer symbol (EC H, version 6 at least) at `CELLS` cells per module
/// with its 4-module quiet zone, the inner one over its centre on a light
/// margin of `margin` cells, turned by `quarter_turns` x 90 degrees.
fn nested(margin: usize, quarter_turns: usize) -> Grid {
    let outer_opts = EncodeOptions::default()
        .ec_level(EcLevel::H)
        .min_version(Version::new(6).expect("valid version"));
    let outer = encode_text(OUTER, &outer_opts).expect("fits");
    let inner = encode_text(INNER, &EncodeOptions::default()).expect("fits");
    let side = (outer.width() + 8) * CELLS;
    let (n, box_side) = (inner.width(), inner.width() + 2 * margin);
    let top = (side - box_side) / 2;
    Grid::from_fn(side, side, |x, y| {
        let (bx, by) = (x.wrapping_sub(top), y.wrapping_sub(top));
        if bx < box_side && by < box_side {
            let (u, v) = (bx.wrapping_sub(margin), by.wrapping_sub(margin));
            return u < n && v < n && turned(&inner, u, v, quarter_turns);
        }
        let (u, v) = ((x / CELLS).wrapping_sub(4), (y / CELLS).wrapping_sub(4));
        u < outer.width() && v < outer.width() && outer.get(u, v)
    })
}

/// Module `(u, v)` of `code` turned clockwise `k` quarter turns.
fn turned(code: &QrCode, u: usize, v: usize, k: usize) -> bool {
    let last = code.width() - 1;
    let (u, v) = match k % 4 {
        0 => (u, v),
        1 => (v, last - u),
        2 => (last - u, last - v),
        _ => (last - v, u),
    };
    code.get(u, v)
}

/// The texts read from `img`; fails on any text that is not on the page.
fn read(img: &Gray) -> HashSet<String> {
    let found = decode(
        ImageRef::luma(&img.data, img.width, img.height),
        &DecodeOptions::default(),
    )
    .expect("valid image");
    let mut texts = HashSet::new();
    for d in &found {
        let text = d.text().expect("text").to_owned();
        assert!(text == OUTER || text == INNER, "misread: {text:?}");
        texts.insert(text);
    }
    texts
}

fn both() -> HashSet<String> {
    [OUTER.to_owned(), INNER.to_owned()].into()
}

#[test]
fn both_symbols_of_a_straight_nested_code_read() {
    for (margin, turns) in [(2, 0), (1, 1), (2, 2), (3, 3)] {
        let d = Distortion {
            module_px: 3.0,
            ..Distortion::default()
        };
        let img = d.render(&nested(margin, turns), 1);
        assert_eq!(read(&img), both(), "margin {margin}, inner turned {turns}");
    }
}

#[test]
fn both_symbols_of_a_photographed_nested_code_read() {
    let shots = [
        (2.8, 17.0, 0.0, 1, 6),
        (3.0, 200.0, 0.12, 0, 8),
        (3.5, 95.0, 0.08, 1, 10),
    ];
    for (i, (module_px, rotate_deg, tilt, blur, noise)) in shots.into_iter().enumerate() {
        let d = Distortion {
            module_px,
            rotate_deg,
            tilt,
            blur,
            noise,
            ..Distortion::default()
        };
        let img = d.render(&nested(2, i), i as u64);
        assert_eq!(read(&img), both(), "shot {i}");
    }
}
