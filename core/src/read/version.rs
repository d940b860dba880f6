//! The symbol's size from its version information (ISO/IEC 18004 7.10 and
//! Annex D: two BCH (18,6) copies, 6 x 3 modules beside the top-right and the
//! bottom-left finder), read through a map local to each finder: on curled
//! paper a symbol's size estimated from its finders' module sizes can be off
//! by a version or two, and no single map over the whole symbol reads the
//! copies, while the modules within seven of a finder's centre still lie
//! where that finder and the triple's axes put them.

use super::binarize::BitImage;
use super::find::Finder;
use super::locate::Triple;
use super::sample::point_dark;
use crate::decode::format::nearest_version;

/// The size (modules) that a copy of the version information names, read
/// near the top-right and the bottom-left finder of `t` with one module
/// taken as the finders' spacing over each candidate size of `dims` in turn
/// (the copies sit seven modules from the finder centres, where a few
/// percent of scale still puts every sample inside its module). The copy
/// nearest a codeword wins if it is within [`MAX_DISTANCE`] bits of it and
/// its size within [`MAX_OFF`] modules of the first candidate; `None`
/// otherwise.
pub(crate) fn named_size(
    img: &BitImage,
    f: &[Finder],
    t: &Triple,
    dims: &[usize],
) -> Option<usize> {
    let (tl, tr, bl) = (f.get(t.tl)?, f.get(t.tr)?, f.get(t.bl)?);
    let first = *dims.first()?;
    let mut best: Option<(u32, usize)> = None;
    for &dim in dims {
        let span = dim.checked_sub(7).filter(|&s| s > 0)? as f64;
        // One module along the symbol's x and y axes.
        let ux = (f64::from(tr.x - tl.x) / span, f64::from(tr.y - tl.y) / span);
        let uy = (f64::from(bl.x - tl.x) / span, f64::from(bl.y - tl.y) / span);
        for (centre, transposed) in [(tr, false), (bl, true)] {
            let bits = read_copy(
                img,
                (f64::from(centre.x), f64::from(centre.y)),
                ux,
                uy,
                transposed,
            );
            let (version, distance) = nearest_version(bits);
            let size = version.size();
            if size.abs_diff(first) <= MAX_OFF && best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, size));
            }
        }
    }
    best.filter(|&(d, _)| d <= MAX_DISTANCE)
        .map(|(_, size)| size)
}

/// The 18 bits of one copy (bit `i` dark sets bit `i`), read through the
/// map from the finder centre `c` with module vectors `ux` and `uy`. Bit `i`
/// of the top-right copy is module `(size - 11 + i % 3, i / 3)`: from the
/// finder centre `(size - 3.5, 3.5)` that is `i % 3 - 7` modules along x and
/// `i / 3 - 3` along y; the bottom-left copy is its transpose.
fn read_copy(
    img: &BitImage,
    c: (f64, f64),
    ux: (f64, f64),
    uy: (f64, f64),
    transposed: bool,
) -> u32 {
    let (w, h) = (img.width as f64, img.height as f64);
    (0..18).fold(0, |acc, i| {
        let (a, b) = ((i % 3) as f64 - 7.0, (i / 3) as f64 - 3.0);
        let (dx, dy) = if transposed { (b, a) } else { (a, b) };
        let (px, py) = (c.0 + dx * ux.0 + dy * uy.0, c.1 + dx * ux.1 + dy * uy.1);
        let on = px >= 0.0 && py >= 0.0 && px < w && py < h;
        acc | u32::from(on && point_dark(img, px, py).0) << i
    })
}

/// Bits a copy read near one finder may differ from its codeword: the
/// codewords are at least 8 apart, and 18 random bits come within one bit
/// of one of the few sizes near the estimate about once in a thousand reads.
const MAX_DISTANCE: u32 = 1;

/// How far (modules) the named size may be from the finders' estimate: two
/// versions either way.
const MAX_OFF: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn finder(x: f32, y: f32, module: f32) -> Finder {
        Finder {
            x,
            y,
            module,
            diagonal: module,
            count: 8,
        }
    }

    /// A version 25 symbol (117 modules) at 3 px per module with a 4-module
    /// quiet zone, blurred once, binarized locally; its finder centres.
    fn drawn_v25() -> (BitImage, [Finder; 3]) {
        let code = crate::encode_text(
            "version information names the size",
            &crate::EncodeOptions::default()
                .version(crate::Version::new(25).expect("v25"))
                .ec_level(crate::EcLevel::M),
        )
        .expect("fits");
        assert_eq!(code.size(), 117);
        let grid = civiqr_testkit::Grid::from_fn(117, 117, |x, y| code.get(x, y));
        let drawn = civiqr_testkit::Raster::new(3).levels(40, 210).draw(&grid);
        let gray = drawn.box3_blur().into();
        let at = |m: f32| 12.0 + 3.0 * m;
        let finders = [
            finder(at(3.5), at(3.5), 3.0),
            finder(at(113.5), at(3.5), 3.0),
            finder(at(3.5), at(113.5), 3.0),
        ];
        (super::super::binarize::local(&gray), finders)
    }

    fn triple() -> Triple {
        Triple {
            tl: 0,
            tr: 1,
            bl: 2,
            score: 0.0,
            modules: [3.0; 3],
            weak: false,
        }
    }

    #[test]
    fn the_version_information_corrects_a_size_estimated_a_version_off() {
        let (img, f) = drawn_v25();
        // Estimated 113 or 121: the local maps' scale is 3.5 % off, the
        // copies seven modules from the finder centres read all the same.
        assert_eq!(named_size(&img, &f, &triple(), &[113]), Some(117));
        assert_eq!(named_size(&img, &f, &triple(), &[121]), Some(117));
        assert_eq!(named_size(&img, &f, &triple(), &[117]), Some(117));
    }

    #[test]
    fn no_size_is_named_where_there_is_no_version_information() {
        let (img, mut f) = drawn_v25();
        // The same finders moved onto the quiet zone: light everywhere.
        for g in &mut f {
            g.x -= 40.0;
            g.y -= 40.0;
        }
        assert_eq!(named_size(&img, &f, &triple(), &[117]), None);
        // Too far from the estimate to be taken.
        let (img, f) = drawn_v25();
        assert_eq!(named_size(&img, &f, &triple(), &[137]), None);
    }
}
