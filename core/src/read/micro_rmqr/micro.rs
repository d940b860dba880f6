//! Micro QR (ISO/IEC 18004 6.3.3): from a finder outline to a decoded
//! symbol, trying each rotation, refitting grids that do not read to their
//! function patterns.

use super::{corners_of, finder_transforms, sample_grid, Found};
use crate::decode::micro_rmqr::decode_micro;
use crate::read::binarize::BitImage;
use crate::read::sample::{module_dark, point_dark, rank, Homography};
use crate::symbol::micro;

/// Tries to read a Micro QR symbol around finder `f`.
pub(crate) fn read_micro(img: &BitImage, corners: &[(f64, f64); 4]) -> Option<Found> {
    // Hypotheses that did not read, each keyed by its format distance, then
    // the order tried (ties keep it), then its size; with the transform.
    let mut failed: Vec<(u64, Homography)> = Vec::new();
    for first in 0..4 {
        for h in finder_transforms(corners, first) {
            // The format information (15 modules beside the finder) names
            // the version; read it in both orders (mirrored symbols).
            let mut sizes: Vec<(u32, usize)> = Vec::new();
            for mirrored in [false, true] {
                let mut bits = 0u32;
                for i in 0..15 {
                    let (x, y) = micro::format_position(i);
                    let (x, y) = if mirrored { (y, x) } else { (x, y) };
                    bits |= u32::from(module_dark(img, &h, x, y)) << i;
                }
                for number in 0..8u32 {
                    for mask in 0..4u8 {
                        let d = (micro::format_bits(number, mask) ^ bits).count_ones();
                        if d <= 3 {
                            let size = micro::from_symbol_number(number).0.size();
                            match sizes.iter_mut().find(|s| s.1 == size) {
                                Some(s) => s.0 = s.0.min(d),
                                None => sizes.push((d, size)),
                            }
                        }
                    }
                }
            }
            for (d, size) in sizes {
                if let Some(found) = read_micro_with(img, &h, size) {
                    return Some(found);
                }
                let key = u64::from(d) << 32 | (failed.len() as u64) << 8 | size as u64;
                failed.push((key, h));
            }
        }
    }
    // None read: the far modules may be off while the format information,
    // next to the finder, reads. The best format readings are tried again
    // through transforms refitted to the function patterns.
    rank(&mut failed);
    failed
        .iter()
        .filter(|f| f.0 >> 32 <= u64::from(REFIT_FORMAT_DISTANCE))
        .take(REFITS)
        .find_map(|&(key, h)| {
            let size = (key & 0xff) as usize;
            if !timing_alternates(img, &h, size) {
                return None;
            }
            let fitted = fit_function_patterns(img, &h, size)?;
            read_micro_with(img, &fitted, size)
        })
}

/// Whether row 0 and column 0 through `h`, from module 7 to the symbol's
/// edge, change colour about as often as timing patterns do (`size - 8`
/// times), in quarter-module steps on the binary pixels: a transform off
/// by a module at the far edge still counts them, a blank or noisy
/// surround does not.
fn timing_alternates(img: &BitImage, h: &Homography, size: usize) -> bool {
    let want = size - 8;
    [false, true].into_iter().all(|column| {
        let mut changes = 0;
        let mut last = None;
        for k in 0..(size - 7) * 4 {
            let w = 7.0 + (k as f64 + 0.5) / 4.0;
            let (x, y) = if column { h.map(0.5, w) } else { h.map(w, 0.5) };
            // Truncation is floor on the image; points left of or above it
            // read light.
            let dark = x >= 0.0 && y >= 0.0 && img.get_i(x as i64, y as i64);
            changes += usize::from(last.is_some_and(|l| l != dark));
            last = Some(dark);
        }
        changes + 2 >= want && changes <= want + 3
    })
}

/// Micro QR hypotheses refitted to their function patterns per finder, at
/// most: the two transforms of the two best orientations.
const REFITS: usize = 4;

/// Only hypotheses whose format information reads within this many bits of
/// a codeword are refitted: it lies next to the finder, where the transform
/// is good even when the far modules are off. (A random reading is within
/// 1 bit of one of the 32 codewords 1 time in 64, within 2 bits 1 time in
/// 8; QR Code finders, whose own format information lies where Micro QR's
/// does, come within 2 bits far more often.)
const REFIT_FORMAT_DISTANCE: u32 = 1;

/// Reads a Micro QR symbol of `size` modules through `h`.
fn read_micro_with(img: &BitImage, h: &Homography, size: usize) -> Option<Found> {
    // The timing patterns along the top row and left column.
    let wrong = (8..size)
        .filter(|&i| {
            module_dark(img, h, i, 0) != (i % 2 == 0) || module_dark(img, h, 0, i) != (i % 2 == 0)
        })
        .count();
    if wrong > 2 {
        return None;
    }
    if size == M1_SIZE && !quiet_beyond(img, h, size) {
        return None;
    }
    let grid = sample_grid(img, h, size, size)?;
    let content = decode_micro(&grid)?;
    Some(Found {
        content,
        corners: corners_of(h, size, size),
    })
}

/// The side of an M1 symbol, the smallest Micro QR.
const M1_SIZE: usize = 11;

/// Whether the modules just beyond the symbol's right and bottom edges (the
/// first ring of the quiet zone the standard requires, ISO/IEC 18004 7.3.7:
/// two modules for Micro QR) are light, at most two of the `2 * size + 1`
/// read dark (specks, a tight crop's edge). Points off the image count as
/// light.
///
/// Only M1 is held to it: its whole check is two codewords of error
/// detection and a format word, so a finder-like corner of something else
/// (an rMQR's, a damaged QR Code's) can pass as an M1 by chance. Beyond
/// such a corner lie that symbol's data modules, half of them dark.
fn quiet_beyond(img: &BitImage, h: &Homography, size: usize) -> bool {
    let dark = (0..size)
        .flat_map(|i| [(size, i), (i, size)])
        .chain([(size, size)])
        .filter(|&(x, y)| module_dark(img, h, x, y))
        .count();
    dark <= 2
}

/// How light the image is at module point `(u, v)` through `h`: the grey
/// level less the local threshold, negative for dark; 0 off the image.
fn lightness(img: &BitImage, h: &Homography, u: f64, v: f64) -> f64 {
    let (x, y) = h.map(u, v);
    if !(x >= 0.0 && y >= 0.0 && x < img.width as f64 && y < img.height as f64) {
        return 0.0;
    }
    let (dark, margin) = point_dark(img, x, y);
    if dark {
        -f64::from(margin)
    } else {
        f64::from(margin)
    }
}

/// `h` with its module axes shifted and stretched about the finder's centre
/// to fit the function patterns (ISO/IEC 18004 6.3: the finder, its
/// separator, and the timing patterns along row 0 and column 0, dark on
/// even indices), whose modules are known. The finder spans only 7 of the
/// symbol's modules, and blur or uneven print move its outline by a few
/// pixels, not always the same on each side: extrapolated to the far edge
/// of a 17-module symbol, that is half a module. The timing patterns
/// measure the module pitch across the whole symbol.
///
/// Each axis `w` becomes `3.5 + shift + scale * (w - 3.5)`; the four
/// numbers are chosen for the most contrast between the light and the dark
/// function modules, by a pattern search (each number nudged in turn, the
/// steps halved when no nudge helps) within half a module and 15 %.
fn fit_function_patterns(img: &BitImage, h: &Homography, size: usize) -> Option<Homography> {
    // The function modules: (x, y, dark).
    let mut known: Vec<(usize, usize, bool)> = Vec::with_capacity(64 + 2 * size);
    for y in 0..8usize {
        for x in 0..8usize {
            let ring = x.abs_diff(3).max(y.abs_diff(3));
            known.push((x, y, x < 7 && y < 7 && ring != 2));
        }
    }
    for i in 8..size {
        known.push((i, 0, i % 2 == 0));
        known.push((0, i, i % 2 == 0));
    }
    let axis = |shift: f64, scale: f64, w: f64| 3.5 + shift + scale * (w - 3.5);
    // [u shift, u scale, v shift, v scale].
    let contrast = |p: &[f64; 4]| -> f64 {
        known
            .iter()
            .map(|&(x, y, dark)| {
                let u = axis(p[0], p[1], x as f64 + 0.5);
                let v = axis(p[2], p[3], y as f64 + 0.5);
                let l = lightness(img, h, u, v);
                if dark {
                    -l
                } else {
                    l
                }
            })
            .sum()
    };
    let within = |p: &[f64; 4]| {
        p[0].abs() <= 0.5
            && p[2].abs() <= 0.5
            && (p[1] - 1.0).abs() <= 0.15
            && (p[3] - 1.0).abs() <= 0.15
    };
    let mut p = [0.0, 1.0, 0.0, 1.0];
    let mut best = contrast(&p);
    // Shift and scale steps.
    let mut step = [0.125, 0.02];
    // Each pass moves the numbers or halves the steps; fits take about a
    // dozen passes, and the bound keeps hostile images cheap.
    for _pass in 0..MAX_FIT_PASSES {
        if step[0] < 1.0 / 64.0 {
            break;
        }
        let mut moved = false;
        for k in 0..4 {
            for sign in [-1.0, 1.0] {
                let mut q = p;
                q[k] += sign * step[k % 2];
                if !within(&q) {
                    continue;
                }
                let c = contrast(&q);
                if c > best {
                    (p, best, moved) = (q, c, true);
                    break;
                }
            }
        }
        if !moved {
            step = [step[0] / 2.0, step[1] / 2.0];
        }
    }
    let w = size as f64;
    let src = [(0.0, 0.0), (w, 0.0), (w, w), (0.0, w)];
    Homography::from_quads(
        src,
        src.map(|(u, v)| h.map(axis(p[0], p[1], u), axis(p[2], p[3], v))),
    )
}

/// Passes of [`fit_function_patterns`]' search, at most.
const MAX_FIT_PASSES: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::binarize;
    use crate::{encode_text, EncodeOptions, MicroVersion, Symbology};
    use civiqr_testkit::{Grid, Raster};

    const TEXT: &str = "SN888623311";

    /// An M4 symbol of [`TEXT`] at 10 px per module with a 2-module quiet
    /// zone, blurred (a 3 x 3 box, twice) and binarized with one threshold.
    fn drawn_m4() -> BitImage {
        let v = MicroVersion::new(4).expect("M4");
        let opts = EncodeOptions::default()
            .symbology(Symbology::MicroQr)
            .micro_version(v);
        let code = encode_text(TEXT, &opts).expect("fits");
        let grid = Grid::from_fn(17, 17, |x, y| code.get(x, y));
        let drawn = Raster::new(10).quiet(2).levels(30, 220).draw(&grid);
        binarize::global(&drawn.box3_blur().box3_blur().into())
    }

    #[test]
    fn a_finder_outline_grown_by_blur_reads_through_the_function_patterns() {
        let img = drawn_m4();
        // The finder spans pixels 20 to 90; blur or ink spread can make its
        // outline look 2 px larger on each side.
        let corners = [(18.0, 18.0), (92.0, 18.0), (92.0, 92.0), (18.0, 92.0)];
        // Extrapolated from that outline, the far modules are 0.7 of a
        // module off: no transform of the finder alone reads.
        for first in 0..4 {
            for h in finder_transforms(&corners, first) {
                assert!(read_micro_with(&img, &h, 17).is_none());
            }
        }
        let found = read_micro(&img, &corners).expect("reads after the refit");
        assert_eq!(found.content.text.as_deref(), Some(TEXT));
        // The centres of the corner modules (at pixels 25 and 185) are
        // within a quarter module of where the grid puts them.
        let [tl, tr, _, bl] = found.corners.map(|(x, y)| (f64::from(x), f64::from(y)));
        for (i, j) in [(0.5, 0.5), (16.5, 0.5), (16.5, 16.5), (0.5, 16.5)] {
            let x = tl.0 + (tr.0 - tl.0) * i / 17.0 + (bl.0 - tl.0) * j / 17.0;
            let y = tl.1 + (tr.1 - tl.1) * i / 17.0 + (bl.1 - tl.1) * j / 17.0;
            let (wx, wy) = (20.0 + 10.0 * i, 20.0 + 10.0 * j);
            assert!(
                (x - wx).hypot(y - wy) < 2.5,
                "module ({i}, {j}) at ({x}, {y}), want ({wx}, {wy})"
            );
        }
    }

    #[test]
    fn the_fit_keeps_a_transform_that_is_right() {
        let img = drawn_m4();
        let corners = [(20.0, 20.0), (90.0, 20.0), (90.0, 90.0), (20.0, 90.0)];
        for h in finder_transforms(&corners, 0) {
            let fitted = fit_function_patterns(&img, &h, 17).expect("fits");
            for (u, v) in [(0.0, 0.0), (17.0, 0.0), (17.0, 17.0), (0.0, 17.0)] {
                let (a, b) = (h.map(u, v), fitted.map(u, v));
                assert!((a.0 - b.0).hypot(a.1 - b.1) < 1.0, "{a:?} became {b:?}");
            }
        }
    }
}
