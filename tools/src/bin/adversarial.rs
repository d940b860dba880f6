//! Worst cases of bounded work: decode time per megapixel on images built to
//! be expensive (fields of finder patterns, checkerboards, noise), default
//! options and `try_harder`; then the time per image of a symbol that every
//! look locates and none can read (a blot over its centre, past its error
//! correction), alone and in a camera frame.
//!
//! Run: cargo run --release -p civiqr-tools --bin adversarial
//! (`--once N [--try-harder]` decodes case N once, for callgrind).
use std::time::Instant;

use civiqr::{decode, encode_text, DecodeOptions, EcLevel, EncodeOptions, ImageRef};
use civiqr_testkit::{finder_field, Distortion, Gray, Grid};

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

/// A 44-character URL at level M (version 4) turned 40 degrees at 3.5 px a
/// module, a dark blot over half its side at the centre: located by every
/// look, its data past what M corrects (the distorted fuzz target found
/// such inputs).
fn covered() -> Gray {
    let text = "https://www.saint-omer.fr/mobilier/banc-0042";
    let options = EncodeOptions::default().ec_level(EcLevel::M);
    let code = encode_text(text, &options).expect("a short URL fits");
    let grid = Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y));
    let look = Distortion {
        module_px: 3.5,
        rotate_deg: 40.0,
        ..Distortion::default()
    };
    let mut img = look.render(&grid, 1);
    let side = img.width;
    let blot = (code.width() as f64 * look.module_px / 2.0) as usize;
    let from = (side - blot) / 2;
    for y in from..from + blot {
        img.data[y * side + from..y * side + from + blot].fill(40);
    }
    img
}

fn time(name: &str, img: &[u8], w: usize, h: usize) {
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

/// Every case: its name, grey pixels, width and height.
fn cases() -> Vec<(String, Vec<u8>, usize, usize)> {
    let (w, h) = (1000, 1000);
    let mut cases: Vec<(String, Vec<u8>, usize, usize)> = vec![
        ("finders 2 px".into(), finder_field(w, h, 2), w, h),
        ("finders 3 px".into(), finder_field(w, h, 3), w, h),
        ("finders 5 px".into(), finder_field(w, h, 5), w, h),
        ("finders 8 px".into(), finder_field(w, h, 8), w, h),
        ("checkerboard 3 px".into(), checker(w, h, 3), w, h),
        ("noise".into(), noise(w, h, 7), w, h),
        ("blank".into(), vec![255; w * h], w, h),
    ];
    let symbol = covered();
    let mut frame = Gray::new(640, 480, 150);
    frame.paste(&symbol, 220, 140);
    let (sw, sh) = (symbol.width, symbol.height);
    cases.push((format!("alone, {sw} x {sh}"), symbol.data, sw, sh));
    cases.push(("in a 640 x 480 frame".into(), frame.data, 640, 480));
    cases
}

fn main() {
    // `--once N [--try-harder]`: case N (from 0, in the tables' order)
    // decoded once and nothing timed, for an instruction count under
    // callgrind (scripts/adversarial-instructions.sh).
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases = cases();
    if let Some(at) = args.iter().position(|a| a == "--once") {
        let Some((name, img, w, h)) = args
            .get(at + 1)
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| cases.get(n))
        else {
            eprintln!(
                "usage: adversarial --once N [--try-harder], N from 0 to {}",
                cases.len() - 1
            );
            std::process::exit(2);
        };
        let opts = DecodeOptions::default().try_harder(args.iter().any(|a| a == "--try-harder"));
        let found = decode(ImageRef::luma(img, *w, *h), &opts).map(|v| v.len());
        assert_eq!(found.ok(), Some(0), "{name}");
        println!("{name}");
        return;
    }
    println!("| image (1000 x 1000) | default ms | try_harder ms |");
    println!("|---|---:|---:|");
    for (k, (name, img, w, h)) in cases.iter().enumerate() {
        if k == 7 {
            println!();
            println!("| a covered symbol | default ms | try_harder ms |");
            println!("|---|---:|---:|");
        }
        time(name, img, *w, *h);
    }
}
