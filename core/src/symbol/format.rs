//! Format and version information of QR Code (ISO/IEC 18004 7.9, 7.10,
//! Annexes C and D): the BCH codes, every masked codeword, and where the
//! bits sit. Micro QR and rMQR use the same BCH codes (see `micro`, `rmqr`).

use super::value::{EcLevel, Mask, Version};

/// The XOR mask of QR Code Model 1 format information (Model 2 uses 0x5412;
/// ISO/IEC 18004:2000 Annex M).
pub(crate) const MODEL1_FORMAT_XOR: u32 = 0x2825;

/// The largest QR Code Model 1 version (ISO/IEC 18004:2000 Annex M).
pub(crate) const MODEL1_MAX_VERSION: u8 = 14;

/// BCH(15,5) code of ISO/IEC 18004 Annex C: `data` (5 bits) followed by its
/// 10 check bits.
pub(crate) const fn bch_15_5(data: u32) -> u32 {
    let mut rem = data;
    let mut i = 0;
    while i < 10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        i += 1;
    }
    (data << 10) | (rem & 0x3FF)
}

/// BCH(18,6) code of ISO/IEC 18004 Annex D (also rMQR's format
/// information): `data` (6 bits) followed by its 12 check bits.
pub(crate) const fn bch_18_6(data: u32) -> u32 {
    let mut rem = data;
    let mut i = 0;
    while i < 12 {
        rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
        i += 1;
    }
    (data << 12) | (rem & 0xFFF)
}

/// The 15 format-information bits for an EC level and mask, BCH(15,5) coded
/// and XORed with 0x5412 (7.9.1).
pub(crate) fn format_info_bits(ec: EcLevel, mask: Mask) -> u32 {
    let data = ec.format_bits() << 3 | mask.number() as u32;
    FORMAT_INFO_WORDS[(data & 31) as usize]
}

/// Every format codeword, masked, at index `level bits << 3 | mask`: the
/// reader compares each reading with all 32, many times per image.
const FORMAT_INFO_WORDS: [u32; 32] = {
    let mut words = [0; 32];
    let mut data = 0;
    while data < 32 {
        words[data as usize] = bch_15_5(data) ^ 0x5412;
        data += 1;
    }
    words
};

/// The 18 version-information bits, BCH(18,6) coded (7.10).
pub(crate) fn version_info_bits(v: Version) -> u32 {
    VERSION_INFO_WORDS[(v.number() & 63) as usize]
}

/// The version information codeword of each version number (0..=63; only
/// 7..=40 are used): the reader compares each reading with all of them.
const VERSION_INFO_WORDS: [u32; 64] = {
    let mut words = [0; 64];
    let mut data = 0;
    while data < 64 {
        words[data as usize] = bch_18_6(data);
        data += 1;
    }
    words
};

/// `(x, y)` of format bit `i` (0 = least significant) in both copies.
pub(crate) fn format_positions(size: usize) -> [[(usize, usize); 2]; 15] {
    let mut out = [[(0, 0); 2]; 15];
    for (i, slot) in out.iter_mut().enumerate() {
        // First copy, around the top-left finder.
        let first = match i {
            0..=5 => (8, i),
            6 => (8, 7),
            7 => (8, 8),
            8 => (7, 8),
            _ => (14 - i, 8),
        };
        // Second copy, split between the top-right and bottom-left finders.
        let second = if i < 8 {
            (size - 1 - i, 8)
        } else {
            (8, size - 15 + i)
        };
        *slot = [first, second];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bch_codes_match_the_qr_tables() {
        // ISO/IEC 18004 Annex C: M (00), mask 101 before masking: 001010011011100... the
        // masked value is 100000011001110 (0x5412 applied).
        assert_eq!(bch_15_5(0b00101) ^ 0x5412, 0b100000011001110);
        // Annex D: version 7 -> 000111110010010100.
        assert_eq!(bch_18_6(7), 0b000111110010010100);
    }

    #[test]
    fn format_bits_match_annex_c() {
        // Annex C: M (00), mask 101 -> 100000011001110.
        assert_eq!(
            format_info_bits(EcLevel::M, Mask::new(5).expect("mask")),
            0b100000011001110
        );
        // Table C.1 first row: L, mask 0 -> 111011111000100.
        assert_eq!(
            format_info_bits(EcLevel::L, Mask::new(0).expect("mask")),
            0b111011111000100
        );
    }

    #[test]
    fn version_bits_match_annex_d() {
        // Annex D: version 7 -> 000111110010010100.
        assert_eq!(
            version_info_bits(Version::new(7).expect("v")),
            0b000111110010010100
        );
        assert_eq!(version_info_bits(Version::MAX), 0b101000110001101001);
    }
}
