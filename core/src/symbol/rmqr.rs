//! rMQR facts shared by the writer and the reader (ISO/IEC 23941 6.3, 7.3
//! Tables 2-3, 7.5 Table 8, 7.8, 7.9): codeword counts and blocks,
//! segment-header widths, the layout (finder, sub-finder, corner, alignment
//! and timing patterns), the mask and format information.

use std::sync::OnceLock;

use super::format::bch_18_6;
use super::matrix::Layout;
use crate::symbol::header::Header;
use crate::symbol::{EcLevel, RmqrVersion};

/// Per version, in version-indicator order: total codewords, character-count
/// bits (numeric, alphanumeric, byte, Kanji), then `(blocks, data codewords)`
/// at level M and at level H (Tables 3 and 8).
#[allow(clippy::type_complexity)]
const TABLE: [(u16, [u8; 4], (u8, u16), (u8, u16)); 32] = [
    (13, [4, 3, 3, 2], (1, 6), (1, 3)),     // R7x43
    (21, [5, 5, 4, 3], (1, 12), (1, 7)),    // R7x59
    (32, [6, 5, 5, 4], (1, 20), (1, 10)),   // R7x77
    (44, [7, 6, 5, 5], (1, 28), (1, 14)),   // R7x99
    (68, [7, 6, 6, 5], (1, 44), (2, 24)),   // R7x139
    (21, [5, 5, 4, 3], (1, 12), (1, 7)),    // R9x43
    (33, [6, 5, 5, 4], (1, 21), (1, 11)),   // R9x59
    (49, [7, 6, 5, 5], (1, 31), (2, 17)),   // R9x77
    (66, [7, 6, 6, 5], (1, 42), (2, 22)),   // R9x99
    (99, [8, 7, 6, 6], (2, 63), (3, 33)),   // R9x139
    (15, [4, 4, 3, 2], (1, 7), (1, 5)),     // R11x27
    (31, [6, 5, 5, 4], (1, 19), (1, 11)),   // R11x43
    (47, [7, 6, 5, 5], (1, 31), (2, 15)),   // R11x59
    (67, [7, 6, 6, 5], (1, 43), (2, 23)),   // R11x77
    (89, [8, 7, 6, 6], (2, 57), (2, 29)),   // R11x99
    (132, [8, 7, 7, 6], (2, 84), (3, 42)),  // R11x139
    (21, [5, 5, 4, 3], (1, 12), (1, 7)),    // R13x27
    (41, [6, 6, 5, 5], (1, 27), (1, 13)),   // R13x43
    (60, [7, 6, 6, 5], (1, 38), (2, 20)),   // R13x59
    (85, [7, 7, 6, 6], (2, 53), (2, 29)),   // R13x77
    (113, [8, 7, 7, 6], (2, 73), (3, 35)),  // R13x99
    (166, [8, 8, 7, 7], (3, 106), (4, 54)), // R13x139
    (51, [7, 6, 6, 5], (1, 33), (2, 15)),   // R15x43
    (74, [7, 7, 6, 5], (1, 48), (2, 26)),   // R15x59
    (103, [8, 7, 7, 6], (2, 67), (3, 31)),  // R15x77
    (136, [8, 7, 7, 6], (2, 88), (4, 48)),  // R15x99
    (199, [9, 8, 7, 7], (3, 127), (5, 69)), // R15x139
    (61, [7, 6, 6, 5], (1, 39), (2, 21)),   // R17x43
    (88, [8, 7, 6, 6], (2, 56), (2, 28)),   // R17x59
    (122, [8, 7, 7, 6], (2, 78), (3, 38)),  // R17x77
    (160, [8, 8, 7, 6], (3, 100), (4, 56)), // R17x99
    (232, [9, 8, 8, 7], (4, 152), (6, 76)), // R17x139
];

/// Codewords and blocks of one version and level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Capacity {
    pub(crate) total_codewords: usize,
    pub(crate) data_codewords: usize,
    pub(crate) blocks: usize,
    /// EC codewords in every block.
    pub(crate) ec_per_block: usize,
}

/// Codewords of a version at level M or H; `None` for L and Q.
pub(crate) fn capacity(v: RmqrVersion, ec: EcLevel) -> Option<Capacity> {
    let (total, _, m, h) = TABLE[v.indicator() as usize];
    let (blocks, data) = match ec {
        EcLevel::M => m,
        EcLevel::H => h,
        _ => return None,
    };
    let (total, data, blocks) = (total as usize, data as usize, blocks as usize);
    Some(Capacity {
        total_codewords: total,
        data_codewords: data,
        blocks,
        ec_per_block: (total - data) / blocks,
    })
}

/// Where each codeword of the interleaved stream belongs, as `(block,
/// index within the block)`: data codewords round-robin over the blocks
/// (the longer blocks last, so they take the final round alone), then the
/// EC codewords round-robin (ISO/IEC 23941 7.6).
pub(crate) fn stream_order(cap: &Capacity) -> Vec<(usize, usize)> {
    let blocks = cap.blocks.max(1);
    let short = cap.data_codewords / blocks;
    let long_from = blocks - cap.data_codewords % blocks;
    let len = |b: usize| short + usize::from(b >= long_from);
    let mut order = Vec::with_capacity(cap.total_codewords);
    for i in 0..=short {
        order.extend((0..blocks).filter(|&b| i < len(b)).map(|b| (b, i)));
    }
    for i in 0..cap.ec_per_block {
        order.extend((0..blocks).map(|b| (b, len(b) + i)));
    }
    order
}

/// Data codewords in block `b`.
pub(crate) fn block_data_len(cap: &Capacity, b: usize) -> usize {
    let blocks = cap.blocks.max(1);
    let short = cap.data_codewords / blocks;
    short + usize::from(b >= blocks - cap.data_codewords % blocks)
}

/// Segment-header widths: a 3-bit mode indicator (numeric 001,
/// alphanumeric 010, byte 011, Kanji 100, ECI 111) and the version's
/// character-count widths.
pub(crate) fn header(v: RmqrVersion) -> Header {
    let counts = TABLE[v.indicator() as usize].1;
    Header {
        mode_bits: 3,
        indicators: [1, 2, 3, 4],
        count_bits: counts.map(u32::from),
        eci: Some(0b111),
    }
}

/// Bits of the terminator.
pub(crate) const TERMINATOR_BITS: u32 = 3;

/// Alignment-pattern centre columns for a symbol width (Table D.1).
pub(crate) fn alignment_columns(width: usize) -> &'static [usize] {
    match width {
        43 => &[21],
        59 => &[19, 39],
        77 => &[25, 51],
        99 => &[23, 49, 75],
        139 => &[27, 55, 83, 111],
        _ => &[],
    }
}

/// The 18 format-information bits before masking: EC level (1 bit, H = 1)
/// and version indicator (5 bits), BCH(18,6) coded.
pub(crate) fn format_bits(v: RmqrVersion, ec: EcLevel) -> u32 {
    let data = u32::from(ec == EcLevel::H) << 5 | v.indicator() as u32;
    FORMAT_WORDS[(data & 63) as usize]
}

/// Every rMQR format codeword (unmasked) at index `H << 5 | indicator`:
/// readers compare each reading with all of them.
const FORMAT_WORDS: [u32; 64] = {
    let mut words = [0; 64];
    let mut k = 0;
    while k < 64 {
        words[k] = bch_18_6(k as u32);
        k += 1;
    }
    words
};

/// Masks XORed onto the format information beside the finder pattern and
/// beside the sub-finder pattern.
pub(crate) const FORMAT_MASK_FINDER: u32 = 0b011111101010110010;
pub(crate) const FORMAT_MASK_SUB: u32 = 0b100000101001111011;

/// `(x, y)` of format bit `i` (0 = least significant) beside the finder
/// pattern: three columns of five from (8, 1), then three down column 11.
pub(crate) const fn format_position_finder(i: usize) -> (usize, usize) {
    (8 + i / 5, 1 + i % 5)
}

/// `(x, y)` of format bit `i` beside the sub-finder pattern.
pub(crate) const fn format_position_sub(i: usize, width: usize, height: usize) -> (usize, usize) {
    if i < 15 {
        (width - 8 + i / 5, height - 6 + i % 5)
    } else {
        (width - 5 + (i - 15), height - 6)
    }
}

/// rMQR's one data mask (the QR Code's mask 4).
pub(crate) const fn mask_inverts(x: usize, y: usize) -> bool {
    (y / 2 + x / 3) % 2 == 0
}

static LAYOUTS: [OnceLock<Layout>; 32] = [const { OnceLock::new() }; 32];

/// The cached layout of a version.
pub(crate) fn layout(v: RmqrVersion) -> &'static Layout {
    LAYOUTS[v.indicator() as usize].get_or_init(|| build_layout(v))
}

fn build_layout(v: RmqrVersion) -> Layout {
    let (w, h) = (v.width(), v.height());
    let mut l = Layout::new(w, h);
    // Finder pattern at the top left, separator right of it and (for
    // heights of 9 and more) below it.
    for y in 0..h.min(8) {
        for x in 0..8usize {
            let ring = x.abs_diff(3).max(y.abs_diff(3));
            l.set(x, y, ring != 2 && ring < 4);
        }
    }
    // Sub-finder pattern at the bottom right: 5 x 5, dark ring, light
    // ring, dark centre.
    for dy in 0..5usize {
        for dx in 0..5usize {
            let ring = dx.abs_diff(2).max(dy.abs_diff(2));
            l.set(w - 5 + dx, h - 5 + dy, ring != 1);
        }
    }
    // Corner patterns: bottom left and top right.
    for x in 0..3 {
        l.set(x, h - 1, true);
    }
    if h >= 11 {
        l.set(0, h - 2, true);
        l.set(1, h - 2, false);
    }
    l.set(w - 1, 0, true);
    l.set(w - 2, 0, true);
    l.set(w - 1, 1, true);
    l.set(w - 2, 1, false);
    // Alignment patterns on the top and bottom edges: dark ring, light centre.
    for &cx in alignment_columns(w) {
        for dy in 0..3 {
            for dx in 0..3 {
                let dark = !(dx == 1 && dy == 1);
                l.set(cx + dx - 1, dy, dark);
                l.set(cx + dx - 1, h - 1 - dy, dark);
            }
        }
    }
    // Timing patterns: top and bottom rows, and the columns at both edges
    // and through each alignment pattern; dark on even positions.
    for x in 0..w {
        for y in [0, h - 1] {
            if !l.is_func(x, y) {
                l.set(x, y, x % 2 == 0);
            }
        }
    }
    let columns = [0, w - 1];
    for &x in columns.iter().chain(alignment_columns(w)) {
        for y in 0..h {
            if !l.is_func(x, y) {
                l.set(x, y, y % 2 == 0);
            }
        }
    }
    // Format information, drawn per symbol.
    for i in 0..18 {
        let (x, y) = format_position_finder(i);
        l.set(x, y, false);
        let (x, y) = format_position_sub(i, w, h);
        l.set(x, y, false);
    }
    l.zigzag(w - 2);
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codewords_fill_each_layout() {
        for v in RmqrVersion::all() {
            let m = capacity(v, EcLevel::M).expect("M");
            let h = capacity(v, EcLevel::H).expect("H");
            let modules = layout(v).data_pos.len();
            assert_eq!(modules / 8, m.total_codewords, "{v}");
            assert!(modules % 8 < 8);
            for c in [m, h] {
                assert_eq!(
                    c.total_codewords - c.data_codewords,
                    c.ec_per_block * c.blocks,
                    "{v}: EC codewords split evenly over blocks"
                );
            }
        }
    }

    #[test]
    fn format_masks_give_the_standard_examples() {
        // R7x43 at M: data 000000, so the masked bits are the masks themselves.
        let v = RmqrVersion::new(7, 43).expect("v");
        assert_eq!(format_bits(v, EcLevel::M), 0);
        assert_eq!(
            format_bits(v, EcLevel::M) ^ FORMAT_MASK_FINDER,
            FORMAT_MASK_FINDER
        );
    }
}
