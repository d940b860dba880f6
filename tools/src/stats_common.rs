//! What the reader statistics tools (`sample_stats`, `multi_stats`) share:
//! their `--repeat N` and folder arguments, and the timed decode.

use std::path::PathBuf;
use std::time::Instant;

use civiqr::{decode, DecodeOptions, Decoded, ImageRef};

/// `--repeat N` (at least 1; 1 when absent or not a number).
pub fn repeat(args: &[String]) -> usize {
    args.iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// The first argument that is neither a flag nor the value of `--repeat`.
pub fn folder(args: &[String]) -> Option<PathBuf> {
    args.iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[*i - 1] != "--repeat"))
        .map(|(_, a)| PathBuf::from(a))
}

/// The symbols in a grey image and the fastest of `repeat` decodes, in ms.
pub fn timed_decode(
    luma: &image::GrayImage,
    opts: &DecodeOptions,
    repeat: usize,
) -> (Vec<Decoded>, f64) {
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    let mut ms = f64::INFINITY;
    let mut found = Vec::new();
    for _ in 0..repeat {
        let start = Instant::now();
        found = decode(ImageRef::luma(luma.as_raw(), w, h), opts).unwrap_or_default();
        ms = ms.min(start.elapsed().as_secs_f64() * 1000.0);
    }
    (found, ms)
}
