//! Fast path for clean, upright, computer-made symbols (screenshots, rendered
//! files, symbols printed edge to edge without a quiet zone): the bounding box
//! of the dark pixels is the symbol, and the run along its top edge is the
//! finder pattern's seven modules.

use super::binarize::BitImage;
use super::sample::Homography;

/// The symbol's dimension and the module-to-image transforms for the four
/// quarter-turns, if the image looks like one symbol with its sides level.
pub(crate) fn locate(img: &BitImage) -> Option<(usize, Vec<Homography>)> {
    let (w, h) = (img.width, img.height);
    let dark_row = |y: &usize| img.row(*y).contains(&1);
    let top = (0..h).find(dark_row)?;
    let bottom = (top..h).rev().find(dark_row)?;
    // The box must be near square (sides within 10 %): a camera frame's
    // texture spans it edge to edge and fails on its height or, once a few
    // rows span its width, on that.
    let square = |bw: f64, bh: f64| (bw - bh).abs() <= bw.max(bh) * 0.1;
    let bh = (bottom - top + 1) as f64;
    if !square((w as f64).min(bh), bh) {
        return None;
    }
    let (mut left, mut right) = (w, 0);
    for y in top..=bottom {
        let row = img.row(y);
        if let Some(first) = row.iter().position(|&b| b != 0) {
            let last = row.iter().rposition(|&b| b != 0).unwrap_or(first);
            left = left.min(first);
            right = right.max(last);
            let bw = (right - left + 1) as f64;
            if bw >= bh && !square(bw, bh) {
                return None;
            }
        }
    }
    if left >= right || top >= bottom {
        return None;
    }
    let bw = (right - left + 1) as f64;
    if !square(bw, bh) || bw < 21.0 {
        return None;
    }
    // A finder's outer edge: seven dark modules, then light. Three of the
    // four corners have one, whichever way the symbol is turned.
    let corner_run =
        |xs: &mut dyn Iterator<Item = usize>, y: usize| xs.take_while(|&x| img.get(x, y)).count();
    let mut runs = [
        corner_run(&mut (left..=right), top),
        corner_run(&mut (left..=right).rev(), top),
        corner_run(&mut (left..=right), bottom),
        corner_run(&mut (left..=right).rev(), bottom),
    ];
    runs.sort_unstable();
    // The middle two of four (one corner may lack a finder).
    let (a, b) = (runs[1] as f64, runs[2] as f64);
    if a < 7.0 || (a - b).abs() > b * 0.25 + 1.0 {
        return None;
    }
    let module = (a + b) / 14.0;
    let dim = ((bw / module - 17.0) / 4.0).round() * 4.0 + 17.0;
    if !(21.0..=177.0).contains(&dim) {
        return None;
    }
    let dim = dim as usize;
    let d = dim as f64;
    let (x0, y0, x1, y1) = (
        left as f64,
        top as f64,
        right as f64 + 1.0,
        bottom as f64 + 1.0,
    );
    let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
    let transforms = (0..4)
        .filter_map(|k| {
            let dst = [0, 1, 2, 3].map(|i| corners[(i + k) % 4]);
            Homography::from_quads([(0.0, 0.0), (d, 0.0), (d, d), (0.0, d)], dst)
        })
        .collect();
    Some((dim, transforms))
}
