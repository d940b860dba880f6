//! rMQR (ISO/IEC 23941) for grading: the part of the symbol each module
//! belongs to (6.3: finder, sub-finder, corner finder, alignment and timing
//! patterns; 7.9 format information), the patterns the grid is measured on,
//! and the reference decode with each block's outcome and the ideal symbol.

use super::grid::Patterns;
use super::reference::{protection, unused_ec, BlockUse, ModuleKind, Reference};
use crate::decode::micro_rmqr::{decode_rmqr, RectGrid};
use crate::gf256::rs_correct;
use crate::symbol::{rmqr, RmqrVersion, SymbolVersion};

/// The function pattern module `(x, y)` of a `w` x `h` symbol belongs to;
/// modules of no pattern come back as `Remainder` (the caller marks data).
fn function_kind(w: usize, h: usize, x: usize, y: usize) -> ModuleKind {
    if x < 8 && y < 8 {
        return ModuleKind::Finder(0);
    }
    if x + 5 >= w && y + 5 >= h {
        return ModuleKind::SubFinder;
    }
    let top_right = x + 2 >= w && y < 2;
    let bottom_left = (x < 3 && y + 1 == h) || (h >= 11 && x < 2 && y + 2 == h);
    if top_right || bottom_left {
        return ModuleKind::Corner;
    }
    let columns = rmqr::alignment_columns(w);
    if (y < 3 || y + 3 >= h) && columns.iter().any(|&c| x + 1 >= c && x <= c + 1) {
        return ModuleKind::Alignment;
    }
    let format = (0..18).any(|i| {
        rmqr::format_position_finder(i) == (x, y) || rmqr::format_position_sub(i, w, h) == (x, y)
    });
    if format {
        return ModuleKind::Format;
    }
    if y == 0 || y + 1 == h {
        return ModuleKind::TimingH;
    }
    if x == 0 || x + 1 == w || columns.contains(&x) {
        return ModuleKind::TimingV;
    }
    ModuleKind::Remainder
}

/// The patterns of an rMQR symbol the grid is measured on: the finder and
/// sub-finder centroids (the sub-finder's dark centre alone, in a window of
/// one module), the light centres of the alignment patterns on both long
/// edges, and the
/// timing modules of the top and bottom rows and of the columns (each run
/// of timing modules between other patterns, dark on even positions).
pub(crate) fn patterns(v: RmqrVersion) -> Patterns {
    let (w, h) = (v.width(), v.height());
    let mut alignments = Vec::new();
    for &c in rmqr::alignment_columns(w) {
        alignments.push((c as f64 + 0.5, 1.5));
        alignments.push((c as f64 + 0.5, h as f64 - 1.5));
    }
    let mut timing = Vec::new();
    let runs = |len: usize, is_timing: &dyn Fn(usize) -> bool| {
        let mut out = Vec::new();
        let mut start = None;
        for i in 0..=len {
            match (start, i < len && is_timing(i)) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    out.push(s..i);
                    start = None;
                }
                _ => {}
            }
        }
        out
    };
    for y in [0, h - 1] {
        let on = |x: usize| function_kind(w, h, x, y) == ModuleKind::TimingH;
        for span in runs(w, &on) {
            timing.push((0, y as f64 + 0.5, span));
        }
    }
    let mut columns = vec![0, w - 1];
    columns.extend_from_slice(rmqr::alignment_columns(w));
    for x in columns {
        let on = |y: usize| function_kind(w, h, x, y) == ModuleKind::TimingV;
        for span in runs(h, &on) {
            timing.push((1, x as f64 + 0.5, span));
        }
    }
    Patterns::new(
        vec![(3.5, 3.5)],
        vec![(w as f64 - 2.5, h as f64 - 2.5)],
        alignments,
        timing,
    )
}

/// Decodes `ink` (row-major, `w` x `h`, `true` for ink) as an rMQR
/// symbol: Reed-Solomon per block, errors only, with no codeword held back
/// beyond the odd one (ISO/IEC 23941 Table 8's `p`); `None` when it does
/// not decode.
pub(crate) fn reference_rmqr(ink: &[bool], w: usize, h: usize) -> Option<Reference> {
    let grid = RectGrid {
        width: w,
        height: h,
        dark: ink.to_vec(),
    };
    let content = decode_rmqr(&grid)?;
    let SymbolVersion::Rmqr(v) = content.symbol else {
        return None;
    };
    let ec = content.ec_level;
    let cap = rmqr::capacity(v, ec)?;
    let layout = rmqr::layout(v);
    let order = rmqr::stream_order(&cap);
    let d = cap.ec_per_block;
    let mut read: Vec<Vec<u8>> = (0..cap.blocks)
        .map(|b| vec![0; rmqr::block_data_len(&cap, b) + d])
        .collect();
    let bits = cap.total_codewords * 8;
    for (k, &(x, y)) in layout.data_pos.iter().enumerate().take(bits) {
        let (x, y) = (usize::from(x), usize::from(y));
        let bit = ink.get(y * w + x).copied().unwrap_or(false) ^ rmqr::mask_inverts(x, y);
        let &(b, i) = order.get(k / 8)?;
        *read.get_mut(b)?.get_mut(i)? |= u8::from(bit) << (7 - k % 8);
    }
    let p = protection(d, 0);
    let mut fixed = read.clone();
    let mut blocks = Vec::with_capacity(read.len());
    for (b, (cw, raw)) in fixed.iter_mut().zip(&read).enumerate() {
        rs_correct(cw, d, &[], 0).ok()?;
        let corrected: Vec<usize> = (0..cw.len()).filter(|&i| cw[i] != raw[i]).collect();
        blocks.push(BlockUse {
            data_codewords: rmqr::block_data_len(&cap, b),
            ec_codewords: d,
            misdecode_protection: p,
            unused: unused_ec(d, p, 0, corrected.len()),
            corrected,
        });
    }
    let mut ideal = layout.dark.clone();
    let mut kinds: Vec<ModuleKind> = (0..w * h)
        .map(|i| match layout.func.get(i) {
            Some(true) => function_kind(w, h, i % w, i / w),
            _ => ModuleKind::Remainder,
        })
        .collect();
    let format = rmqr::format_bits(v, ec);
    for i in 0..18 {
        let (x, y) = rmqr::format_position_finder(i);
        ideal[y * w + x] = ((format ^ rmqr::FORMAT_MASK_FINDER) >> i) & 1 != 0;
        let (x, y) = rmqr::format_position_sub(i, w, h);
        ideal[y * w + x] = ((format ^ rmqr::FORMAT_MASK_SUB) >> i) & 1 != 0;
    }
    for (k, &(x, y)) in layout.data_pos.iter().enumerate() {
        let (x, y) = (usize::from(x), usize::from(y));
        let slot = if k < bits { order.get(k / 8) } else { None };
        let (bit, kind) = match slot {
            Some(&(b, i)) => {
                let cw = fixed.get(b).and_then(|c| c.get(i)).copied().unwrap_or(0);
                let kind = ModuleKind::Data {
                    block: b as u16,
                    index: i as u16,
                };
                ((cw >> (7 - k % 8)) & 1 != 0, kind)
            }
            None => (false, ModuleKind::Remainder),
        };
        ideal[y * w + x] = bit ^ rmqr::mask_inverts(x, y);
        kinds[y * w + x] = kind;
    }
    Some(Reference {
        mirrored: false,
        ideal,
        kinds,
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{encode_text, EcLevel, EncodeOptions, Symbology};

    #[test]
    fn every_function_module_of_every_size_has_its_part() {
        for v in RmqrVersion::all() {
            let (w, h) = (v.width(), v.height());
            let layout = rmqr::layout(v);
            for i in 0..w * h {
                let kind = function_kind(w, h, i % w, i / w);
                assert_eq!(
                    layout.func[i],
                    kind != ModuleKind::Remainder,
                    "{v} module ({}, {}) is {kind:?}",
                    i % w,
                    i / w
                );
            }
            let p = patterns(v);
            assert_eq!(p.point_count(), 2 + 2 * rmqr::alignment_columns(w).len());
        }
    }

    #[test]
    fn a_clean_symbol_of_every_size_rebuilds_itself() {
        for v in RmqrVersion::all() {
            for ec in [EcLevel::M, EcLevel::H] {
                let opts = EncodeOptions::default()
                    .symbology(Symbology::Rmqr)
                    .ec_level(ec)
                    .rmqr_version(v);
                let code = encode_text("7", &opts).expect("encodes");
                let (w, h) = (code.width(), code.height());
                let ink: Vec<bool> = (0..w * h).map(|i| code.get(i % w, i / w)).collect();
                let r = reference_rmqr(&ink, w, h).expect("decodes");
                let cap = rmqr::capacity(v, ec).expect("capacity");
                assert_eq!(r.blocks.len(), cap.blocks, "{v} {ec:?}");
                assert!(r.blocks.iter().all(|b| b.corrected.is_empty()));
                for (i, (kind, (ideal, drawn))) in
                    r.kinds.iter().zip(r.ideal.iter().zip(&ink)).enumerate()
                {
                    if *kind != ModuleKind::Remainder {
                        assert_eq!(ideal, drawn, "{v} {ec:?} module {i}");
                    }
                }
                let formats = r.kinds.iter().filter(|k| **k == ModuleKind::Format).count();
                assert_eq!(formats, 36, "two copies of 18 bits");
            }
        }
    }
}
