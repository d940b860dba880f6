//! The reference decode of a QR Code for grading (ISO/IEC 15415 decode on
//! the binarised reference image): the symbol's modules as read at the
//! global threshold, Reed-Solomon per block with the codewords it changed,
//! and the ideal symbol rebuilt from the corrected codewords (ISO/IEC 18004
//! 7.6-7.9 run forward), with the part of the symbol each module belongs to.

use crate::decode::codewords::{BlockLayout, RawStream};
use crate::decode::correct::misdecode_reserve;
use crate::decode::grid::ModuleGrid;
use crate::decode::micro_rmqr::{decode_micro, micro_reserve, RectGrid};
use crate::decode::qr::decode_grid;
use crate::gf256::{rs_block_syndromes, rs_correct, rs_correct_with};
use crate::symbol::capacity::alignment_positions;
use crate::symbol::format::{format_info_bits, format_positions};
use crate::symbol::qr::template;
use crate::symbol::{micro, SymbolVersion, Version};

/// Grid confidence of a binarised module: the reference decode has no
/// notion of confidence, so it corrects errors only.
const CERTAIN: u8 = u8::MAX;

/// The part of the symbol a module belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ModuleKind {
    /// A finder pattern with its separator: 0 top-left, 1 top-right, 2
    /// bottom-left (Micro QR and rMQR have only 0).
    Finder(u8),
    /// A horizontal timing pattern (QR Code row 6, Micro QR row 0, rMQR
    /// the top and bottom rows).
    TimingH,
    /// A vertical timing pattern (QR Code column 6, Micro QR column 0, rMQR
    /// the edge columns and those through the alignment patterns).
    TimingV,
    /// An alignment pattern.
    Alignment,
    /// Format information (both copies) and the dark module beside it.
    Format,
    /// Version information (both copies, version 7 and up).
    Version,
    /// rMQR's sub-finder pattern (bottom right).
    SubFinder,
    /// rMQR's corner finder patterns (top right and bottom left).
    Corner,
    /// A bit of codeword `index` of Reed-Solomon block `block`.
    Data {
        /// The block, 0-based in the order of ISO/IEC 18004 Table 9.
        block: u16,
        /// The codeword's index within its block (data first, then EC).
        index: u16,
    },
    /// A remainder bit after the last codeword.
    Remainder,
}

/// One block's outcome in the reference decode.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BlockUse {
    /// Data codewords in the block.
    pub data_codewords: usize,
    /// Error-correction codewords in the block (`d`).
    pub ec_codewords: usize,
    /// EC codewords kept for misdecode protection (`p`, ISO/IEC 18004 Table 9).
    pub misdecode_protection: usize,
    /// Indices (within the block) of the codewords Reed-Solomon corrected.
    pub corrected: Vec<usize>,
    /// Unused error correction `1 - (e + 2t) / (d - p)` with `e = 0` (the
    /// reference decode corrects errors only) and `t = corrected.len()`.
    pub unused: f64,
}

/// What the reference decode gives the grader.
pub(crate) struct Reference {
    /// Whether the symbol reads transposed (mirrored) from the grid given.
    pub(crate) mirrored: bool,
    /// The ideal symbol, oriented (transposed when `mirrored`): `true` for ink.
    pub(crate) ideal: Vec<bool>,
    /// What each module of the oriented grid belongs to.
    pub(crate) kinds: Vec<ModuleKind>,
    pub(crate) blocks: Vec<BlockUse>,
}

/// `1 - (e + 2t) / (d - p)`; a block that only detects errors (`d == p`)
/// has all of it when clean and none otherwise.
pub(crate) fn unused_ec(d: usize, p: usize, e: usize, t: usize) -> f64 {
    let budget = d.saturating_sub(p);
    let used = e + 2 * t;
    if budget == 0 {
        return if used == 0 { 1.0 } else { 0.0 };
    }
    (1.0 - used as f64 / budget as f64).max(0.0)
}

/// Misdecode protection codewords `p` of a block of `d` EC codewords when
/// the decoder holds `reserve` back: the EC codewords that correction
/// (two per error) cannot use, as Table 9 counts them (1-L: 3, 1-M: 2, any
/// odd `d`: at least 1).
pub(crate) fn protection(d: usize, reserve: usize) -> usize {
    d - 2 * (d.saturating_sub(reserve) / 2)
}

/// Decodes `ink` (row-major, `size` x `size`, `true` for ink) as the
/// reference decoder would; `None` when it does not decode or is Model 1.
pub(crate) fn reference_qr(ink: &[bool], size: usize) -> Option<Reference> {
    let mut grid = ModuleGrid::new(size);
    for (i, &dark) in ink.iter().enumerate() {
        grid.set(i % size, i / size, dark, CERTAIN);
    }
    let content = decode_grid(&grid).ok()?;
    if content.model1 {
        return None;
    }
    let (v, ec, mask) = (content.version, content.ec_level, content.mask);
    let oriented = if content.mirrored {
        grid.transposed()
    } else {
        grid
    };
    let reserve = misdecode_reserve(v, ec);
    let read = RawStream::read(&oriented, v).blocks(ec, mask);
    let mut blocks = Vec::with_capacity(read.len());
    let mut fixed: Vec<Vec<u8>> = Vec::with_capacity(read.len());
    for block in &read {
        let d = block.ec_len();
        let mut cw = block.codewords.clone();
        let syn = rs_block_syndromes(&cw, d).ok()?;
        rs_correct_with(&mut cw, &syn, &[], reserve).ok()?;
        let corrected: Vec<usize> = (0..cw.len())
            .filter(|&i| cw.get(i) != block.codewords.get(i))
            .collect();
        let p = protection(d, reserve);
        blocks.push(BlockUse {
            data_codewords: block.data_len,
            ec_codewords: d,
            misdecode_protection: p,
            unused: unused_ec(d, p, 0, corrected.len()),
            corrected,
        });
        fixed.push(cw);
    }
    let (ideal, kinds) = ideal_symbol(v, &fixed, ec, mask);
    Some(Reference {
        mirrored: content.mirrored,
        ideal,
        kinds,
        blocks,
    })
}

/// The symbol rebuilt from corrected blocks: function patterns, format
/// and version information, and the codewords interleaved, placed and masked.
fn ideal_symbol(
    v: Version,
    blocks: &[Vec<u8>],
    ec: crate::symbol::EcLevel,
    mask: crate::symbol::Mask,
) -> (Vec<bool>, Vec<ModuleKind>) {
    let size = v.size();
    let t = template(v);
    let mut ideal: Vec<bool> = (0..size * size)
        .map(|i| t.base.get(i % size, i / size))
        .collect();
    let mut kinds: Vec<ModuleKind> = (0..size * size)
        .map(|i| function_kind(v, i % size, i / size))
        .collect();
    let bits = format_info_bits(ec, mask);
    for (i, copies) in format_positions(size).iter().enumerate() {
        for &(x, y) in copies {
            ideal[y * size + x] = (bits >> i) & 1 != 0;
            kinds[y * size + x] = ModuleKind::Format;
        }
    }
    kinds[(size - 8) * size + 8] = ModuleKind::Format;
    let order = BlockLayout::new(v, ec).stream_order();
    for (k, &[x, y]) in t.data_pos.iter().enumerate() {
        let (x, y) = (usize::from(x), usize::from(y));
        let slot = order.get(k / 8).copied();
        let (bit, kind) = match slot {
            Some((b, i)) => {
                let cw = blocks.get(b).and_then(|c| c.get(i)).copied().unwrap_or(0);
                let kind = ModuleKind::Data {
                    block: b as u16,
                    index: i as u16,
                };
                ((cw >> (7 - k % 8)) & 1 != 0, kind)
            }
            None => (false, ModuleKind::Remainder),
        };
        ideal[y * size + x] = bit ^ mask.inverts(x, y);
        kinds[y * size + x] = kind;
    }
    (ideal, kinds)
}

/// The function pattern module `(x, y)` belongs to (data modules are
/// overwritten by the caller).
fn function_kind(v: Version, x: usize, y: usize) -> ModuleKind {
    let size = v.size();
    let far = size - 8;
    match (x < 8, y < 8, x >= far, y >= far) {
        (true, true, _, _) => return ModuleKind::Finder(0),
        (_, true, true, _) => return ModuleKind::Finder(1),
        (true, _, _, true) => return ModuleKind::Finder(2),
        _ => {}
    }
    if v.number() >= 7 && ((x >= size - 11 && y < 6) || (y >= size - 11 && x < 6)) {
        return ModuleKind::Version;
    }
    if y == 6 {
        return ModuleKind::TimingH;
    }
    if x == 6 {
        return ModuleKind::TimingV;
    }
    let pos = alignment_positions(v);
    let near = |c: usize, p: usize| c + 2 >= p && c <= p + 2;
    if pos.iter().any(|&p| near(x, p)) && pos.iter().any(|&p| near(y, p)) {
        return ModuleKind::Alignment;
    }
    ModuleKind::Format
}

/// Decodes `ink` as a Micro QR symbol of `size` modules: one block, M1
/// detecting errors only; `None` when it does not decode.
pub(crate) fn reference_micro(ink: &[bool], size: usize) -> Option<Reference> {
    let grid = RectGrid {
        width: size,
        height: size,
        dark: ink.to_vec(),
    };
    let content = decode_micro(&grid)?;
    let SymbolVersion::Micro(v) = content.symbol else {
        return None;
    };
    let (ec, mask) = (content.ec_level, content.mask.number());
    let mirrored = content.mirrored;
    let at = |x: usize, y: usize| {
        let i = if mirrored { x * size + y } else { y * size + x };
        ink.get(i).copied().unwrap_or(false)
    };
    let layout = micro::layout(v);
    let cap = micro::capacity(v, ec)?;
    let half = micro::half_codeword(v, ec);
    let total = cap.data_codewords + cap.ec_codewords;
    let mut read = vec![0u8; total];
    let mut kinds: Vec<ModuleKind> = (0..size * size)
        .map(|i| match (i % size, i / size) {
            (x, y) if x < 8 && y < 8 => ModuleKind::Finder(0),
            (_, 0) => ModuleKind::TimingH,
            (0, _) => ModuleKind::TimingV,
            _ => ModuleKind::Remainder,
        })
        .collect();
    let mut places = Vec::new();
    let mut positions = layout.data_pos.iter();
    for (i, cw) in read.iter_mut().enumerate() {
        let bits = if Some(i) == half { 4 } else { 8 };
        for b in 0..bits {
            let &(x, y) = positions.next()?;
            let (x, y) = (usize::from(x), usize::from(y));
            *cw |= u8::from(at(x, y) ^ micro::mask_inverts(mask, x, y)) << (7 - b);
            places.push((x, y, i, b));
        }
    }
    let mut fixed = read.clone();
    let reserve = micro_reserve(v, ec);
    rs_correct(&mut fixed, cap.ec_codewords, &[], reserve).ok()?;
    let corrected: Vec<usize> = (0..total).filter(|&i| fixed[i] != read[i]).collect();
    let p = protection(cap.ec_codewords, reserve);
    let mut ideal: Vec<bool> = layout.dark.clone();
    for &(x, y) in layout.data_pos.iter().skip(places.len()) {
        let (x, y) = (usize::from(x), usize::from(y));
        ideal[y * size + x] = micro::mask_inverts(mask, x, y);
    }
    for &(x, y, i, b) in &places {
        ideal[y * size + x] = ((fixed[i] >> (7 - b)) & 1 != 0) ^ micro::mask_inverts(mask, x, y);
        kinds[y * size + x] = ModuleKind::Data {
            block: 0,
            index: i as u16,
        };
    }
    let bits = micro::format_bits(micro::symbol_number(v, ec)?, mask);
    for i in 0..15 {
        let (x, y) = micro::format_position(i);
        ideal[y * size + x] = (bits >> i) & 1 != 0;
        kinds[y * size + x] = ModuleKind::Format;
    }
    Some(Reference {
        mirrored,
        ideal,
        kinds,
        blocks: vec![BlockUse {
            data_codewords: cap.data_codewords,
            ec_codewords: cap.ec_codewords,
            misdecode_protection: p,
            unused: unused_ec(cap.ec_codewords, p, 0, corrected.len()),
            corrected,
        }],
    })
}

/// Centres of a version's alignment patterns (those clear of the finders).
pub(crate) fn alignment_centres(v: Version) -> Vec<(usize, usize)> {
    let pos = alignment_positions(v);
    let (first, last) = (pos.first().copied(), pos.last().copied());
    let mut out = Vec::new();
    for &y in &pos {
        for &x in &pos {
            let on_finder = (Some(x) == first && Some(y) == first)
                || (Some(x) == last && Some(y) == first)
                || (Some(x) == first && Some(y) == last);
            if !on_finder {
                out.push((x, y));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{encode_text, EcLevel, EncodeOptions};

    #[test]
    fn protection_matches_table_9() {
        assert_eq!(protection(7, 3), 3); // 1-L
        assert_eq!(protection(10, 2), 2); // 1-M
        assert_eq!(protection(13, 0), 1); // 1-Q
        assert_eq!(protection(17, 0), 1); // 1-H
        assert_eq!(protection(18, 0), 0);
        assert_eq!(unused_ec(7, 3, 0, 2), 0.0);
        assert_eq!(unused_ec(2, 2, 0, 0), 1.0);
        assert!((unused_ec(26, 0, 0, 3) - 20.0 / 26.0).abs() < 1e-12);
    }

    #[test]
    fn a_clean_micro_qr_symbol_rebuilds_itself() {
        use crate::MicroVersion;
        for n in 1..=4u8 {
            let v = MicroVersion::new(n).expect("version");
            let opts = EncodeOptions::default()
                .symbology(crate::Symbology::MicroQr)
                .ec_level(EcLevel::L)
                .micro_version(v);
            let code = encode_text("12345", &opts).expect("encodes");
            let size = code.size();
            let ink: Vec<bool> = (0..size * size)
                .map(|i| code.get(i % size, i / size))
                .collect();
            let r = reference_micro(&ink, size).expect("decodes");
            assert_eq!(r.ideal, ink, "M{n}");
            let formats = r.kinds.iter().filter(|k| **k == ModuleKind::Format).count();
            assert_eq!(formats, 15);
            if n == 1 {
                assert_eq!(r.blocks[0].misdecode_protection, 2, "M1 only detects");
            }
        }
    }

    #[test]
    fn a_clean_symbol_rebuilds_itself_and_every_module_has_a_part() {
        for (text, ec) in [("HELLO", EcLevel::L), ("https://example.org/a", EcLevel::H)] {
            for version in [1u8, 2, 7, 10] {
                let opts = EncodeOptions::default()
                    .ec_level(ec)
                    .min_version(Version::new(version).expect("v"));
                let code = encode_text(text, &opts).expect("encodes");
                let size = code.size();
                let ink: Vec<bool> = (0..size * size)
                    .map(|i| code.get(i % size, i / size))
                    .collect();
                let r = reference_qr(&ink, size).expect("decodes");
                assert_eq!(r.ideal, ink, "{text} v{version}");
                assert!(!r.mirrored);
                assert!(r.blocks.iter().all(|b| b.corrected.is_empty()));
                let versions = r
                    .kinds
                    .iter()
                    .filter(|k| **k == ModuleKind::Version)
                    .count();
                assert_eq!(versions, if version >= 7 { 36 } else { 0 });
                let formats = r.kinds.iter().filter(|k| **k == ModuleKind::Format).count();
                assert_eq!(formats, 31, "30 format bits and the dark module");
            }
        }
    }
}
