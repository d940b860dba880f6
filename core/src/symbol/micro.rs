//! Micro QR Code facts shared by the writer and the reader (ISO/IEC 18004
//! 6.3 Table 1, 7.4 Tables 2-3, 7.5 Table 9, 7.8 Table 10, 7.9.2): codeword
//! counts, segment-header widths, the layout, masks and format information.

use std::sync::OnceLock;

use super::format::bch_15_5;
use super::matrix::Layout;
use crate::symbol::header::Header;
use crate::symbol::{EcLevel, MicroVersion};

/// Data and EC codewords of one version and level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Capacity {
    /// Data codewords, counting M1's and M3's 4-bit last one as one.
    pub(crate) data_codewords: usize,
    /// Error-correction codewords (one block).
    pub(crate) ec_codewords: usize,
    /// Data bits: `8 * data_codewords`, or 4 fewer in M1 and M3.
    pub(crate) data_bits: usize,
}

/// Codewords of a version and level (Table 9), `None` where the level does
/// not exist. M1 has error detection only and is reported under `L`.
pub(crate) fn capacity(v: MicroVersion, ec: EcLevel) -> Option<Capacity> {
    let (data, ecc) = match (v.number(), ec) {
        (1, EcLevel::L) => (3, 2),
        (2, EcLevel::L) => (5, 5),
        (2, EcLevel::M) => (4, 6),
        (3, EcLevel::L) => (11, 6),
        (3, EcLevel::M) => (9, 8),
        (4, EcLevel::L) => (16, 8),
        (4, EcLevel::M) => (14, 10),
        (4, EcLevel::Q) => (10, 14),
        _ => return None,
    };
    let half = matches!(v.number(), 1 | 3);
    Some(Capacity {
        data_codewords: data,
        ec_codewords: ecc,
        data_bits: data * 8 - if half { 4 } else { 0 },
    })
}

/// Index of the 4-bit data codeword (M1 and M3 only).
pub(crate) fn half_codeword(v: MicroVersion, ec: EcLevel) -> Option<usize> {
    match v.number() {
        1 | 3 => capacity(v, ec).map(|c| c.data_codewords - 1),
        _ => None,
    }
}

/// Segment-header widths (Tables 2 and 3): M1 numeric only without a mode
/// indicator, M2 numeric and alphanumeric, M3 and M4 all four modes.
pub(crate) const fn header(v: MicroVersion) -> Header {
    let (mode_bits, count_bits) = match v.number() {
        1 => (0, [3, 0, 0, 0]),
        2 => (1, [4, 3, 0, 0]),
        3 => (2, [5, 4, 4, 3]),
        _ => (3, [6, 5, 5, 4]),
    };
    Header {
        mode_bits,
        indicators: [0, 1, 2, 3],
        count_bits,
        eci: None,
    }
}

/// Bits of the terminator: 3, 5, 7, 9 for M1 to M4.
pub(crate) const fn terminator_bits(v: MicroVersion) -> u32 {
    2 * v.number() as u32 + 1
}

/// The 3-bit symbol number of format information (Table 13): the version
/// and EC level together.
pub(crate) fn symbol_number(v: MicroVersion, ec: EcLevel) -> Option<u32> {
    Some(match (v.number(), ec) {
        (1, EcLevel::L) => 0,
        (2, EcLevel::L) => 1,
        (2, EcLevel::M) => 2,
        (3, EcLevel::L) => 3,
        (3, EcLevel::M) => 4,
        (4, EcLevel::L) => 5,
        (4, EcLevel::M) => 6,
        (4, EcLevel::Q) => 7,
        _ => return None,
    })
}

/// Version and EC level of a symbol number.
pub(crate) fn from_symbol_number(n: u32) -> (MicroVersion, EcLevel) {
    let (v, ec) = match n & 7 {
        0 => (1, EcLevel::L),
        1 => (2, EcLevel::L),
        2 => (2, EcLevel::M),
        3 => (3, EcLevel::L),
        4 => (3, EcLevel::M),
        5 => (4, EcLevel::L),
        6 => (4, EcLevel::M),
        _ => (4, EcLevel::Q),
    };
    (MicroVersion::new(v).unwrap_or(MicroVersion::MIN), ec)
}

/// The 15 format-information bits: symbol number and mask, BCH coded and
/// XORed with 0x4445 (7.9.2).
pub(crate) fn format_bits(symbol_number: u32, mask: u8) -> u32 {
    FORMAT_WORDS[((symbol_number << 2 | mask as u32) & 31) as usize]
}

/// Every Micro QR format codeword, masked, at index `symbol_number << 2 |
/// mask`: readers compare each reading with all of them.
const FORMAT_WORDS: [u32; 32] = {
    let mut words = [0; 32];
    let mut k = 0;
    while k < 32 {
        words[k] = bch_15_5(k as u32) ^ 0x4445;
        k += 1;
    }
    words
};

/// `(x, y)` of format bit `i` (0 = least significant): bits 14 to 7 along
/// row 8 from column 1, bits 6 to 0 up column 8 from row 7.
pub(crate) const fn format_position(i: usize) -> (usize, usize) {
    if i <= 6 {
        (8, i + 1)
    } else {
        (15 - i, 8)
    }
}

/// Whether Micro QR mask pattern `m` (0..=3) inverts `(x, y)` (Table 10:
/// QR Code masks 1, 4, 6 and 7).
pub(crate) const fn mask_inverts(m: u8, x: usize, y: usize) -> bool {
    match m {
        0 => y % 2 == 0,
        1 => (y / 2 + x / 3) % 2 == 0,
        2 => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
        _ => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
    }
}

static LAYOUTS: [OnceLock<Layout>; 4] = [const { OnceLock::new() }; 4];

/// The cached layout of a version.
pub(crate) fn layout(v: MicroVersion) -> &'static Layout {
    LAYOUTS[v.number() as usize - 1].get_or_init(|| build_layout(v))
}

fn build_layout(v: MicroVersion) -> Layout {
    let size = v.size();
    let mut l = Layout::new(size, size);
    // The finder pattern with its separator (light on the right and below).
    for y in 0..8usize {
        for x in 0..8usize {
            let ring = x.abs_diff(3).max(y.abs_diff(3));
            l.set(x, y, ring != 2 && ring != 4);
        }
    }
    // Timing patterns along the top row and the left column.
    for i in 8..size {
        l.set(i, 0, i % 2 == 0);
        l.set(0, i, i % 2 == 0);
    }
    // Format information, drawn per symbol.
    for i in 0..15 {
        let (x, y) = format_position(i);
        l.set(x, y, false);
    }
    l.zigzag(size - 1);
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_modules_match_the_codeword_counts() {
        for n in 1..=4 {
            let v = MicroVersion::new(n).expect("v");
            let c = capacity(v, EcLevel::L).expect("L exists");
            let bits = c.data_bits + 8 * c.ec_codewords;
            assert_eq!(layout(v).data_pos.len(), bits, "M{n}");
        }
    }

    #[test]
    fn format_information_matches_annex_c_table() {
        // Table C.2: symbol number 0, mask 0 -> 100010001000101.
        assert_eq!(format_bits(0, 0), 0b100010001000101);
    }
}
