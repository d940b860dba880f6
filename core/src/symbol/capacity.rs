//! Symbol capacity tables of ISO/IEC 18004 (Table 9: error-correction
//! characteristics) and the geometry derived from the version number.

use crate::symbol::{EcLevel, Version};

/// EC codewords per block, indexed `[ec ordinal][version - 1]` (Table 9).
const EC_CODEWORDS_PER_BLOCK: [[u8; 40]; 4] = [
    [
        7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30,
        30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30,
        30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

/// Number of EC blocks, indexed `[ec ordinal][version - 1]` (Table 9).
const EC_BLOCKS: [[u8; 40]; 4] = [
    [
        1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23,
        25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
        34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35,
        37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// EC codewords in each block.
pub(crate) fn ec_codewords_per_block(v: Version, ec: EcLevel) -> usize {
    EC_CODEWORDS_PER_BLOCK[ec.ordinal()][v.index()] as usize
}

/// Number of blocks the codewords are split into.
pub(crate) fn ec_blocks(v: Version, ec: EcLevel) -> usize {
    EC_BLOCKS[ec.ordinal()][v.index()] as usize
}

/// Number of alignment patterns along one side (0 for version 1).
pub(crate) fn alignment_count(v: Version) -> usize {
    match v.number() {
        1 => 0,
        n => n as usize / 7 + 2,
    }
}

/// Centre coordinates of the alignment patterns along one side (Annex E),
/// ascending; the same list serves x and y.
pub(crate) fn alignment_positions(v: Version) -> Vec<usize> {
    let count = alignment_count(v);
    if count == 0 {
        return Vec::new();
    }
    let size = v.size();
    // The last is 7 from the far edge, the first is 6; the rest are evenly spaced
    // with an even step, rounded up, except version 32 which the standard sets to 26.
    let step = if v.number() == 32 {
        26
    } else {
        (v.number() as usize * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut pos: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    pos.push(6);
    pos.reverse();
    pos
}

/// Modules available for data and EC codewords (including remainder bits).
pub(crate) fn raw_data_modules(v: Version) -> usize {
    let n = v.number() as usize;
    let mut modules = (16 * n + 128) * n + 64;
    if n >= 2 {
        let a = alignment_count(v);
        modules -= (25 * a - 10) * a - 55;
        if n >= 7 {
            modules -= 36; // two version-information blocks
        }
    }
    modules
}

/// Data codewords (excluding EC) at a version and EC level.
pub(crate) fn data_codewords(v: Version, ec: EcLevel) -> usize {
    raw_data_modules(v) / 8 - ec_codewords_per_block(v, ec) * ec_blocks(v, ec)
}

/// Data bits a symbol holds at a version and EC level.
pub(crate) fn data_capacity_bits(v: Version, ec: EcLevel) -> usize {
    data_codewords(v, ec) * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: u8) -> Version {
        Version::new(n).expect("valid version")
    }

    #[test]
    fn capacities_match_table_7() {
        // Spot checks of ISO/IEC 18004 Table 7 (data codewords).
        assert_eq!(data_codewords(v(1), EcLevel::L), 19);
        assert_eq!(data_codewords(v(1), EcLevel::H), 9);
        assert_eq!(data_codewords(v(7), EcLevel::M), 124);
        assert_eq!(data_codewords(v(10), EcLevel::Q), 154);
        assert_eq!(data_codewords(v(40), EcLevel::L), 2956);
        assert_eq!(data_codewords(v(40), EcLevel::H), 1276);
        // Total codewords per version (Table 1).
        assert_eq!(raw_data_modules(v(1)) / 8, 26);
        assert_eq!(raw_data_modules(v(40)) / 8, 3706);
    }

    #[test]
    fn alignment_positions_match_annex_e() {
        assert_eq!(alignment_positions(v(1)), Vec::<usize>::new());
        assert_eq!(alignment_positions(v(2)), vec![6, 18]);
        assert_eq!(alignment_positions(v(7)), vec![6, 22, 38]);
        assert_eq!(alignment_positions(v(32)), vec![6, 34, 60, 86, 112, 138]);
        assert_eq!(
            alignment_positions(v(36)),
            vec![6, 24, 50, 76, 102, 128, 154]
        );
        assert_eq!(
            alignment_positions(v(40)),
            vec![6, 30, 58, 86, 114, 142, 170]
        );
    }
}
