//! Mode indicators and character-count widths: the header in front of each
//! data segment, which differs by symbology and version.

use super::value::Mode;

/// The segment-header widths of one symbol size: the mode indicator, and
/// each mode's character-count field (ISO/IEC 18004 Tables 2 and 3 for QR
/// and Micro QR, ISO/IEC 23941 Tables 2 and 3 for rMQR).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    /// Bits of the mode indicator (4 in QR, 0 to 3 in Micro QR, 3 in rMQR).
    pub(crate) mode_bits: u32,
    /// Mode-indicator value of numeric, alphanumeric, byte, Kanji.
    pub(crate) indicators: [u32; 4],
    /// Character-count bits of numeric, alphanumeric, byte, Kanji; 0 where
    /// the symbol cannot use the mode.
    pub(crate) count_bits: [u32; 4],
    /// Mode indicator of an ECI designator, if the symbol supports ECI.
    pub(crate) eci: Option<u32>,
}

impl Header {
    /// QR Code Model 2 in character-count width class `class` (0: versions
    /// 1-9, 1: 10-26, 2: 27-40).
    pub(crate) const fn qr(class: usize) -> Header {
        Header {
            mode_bits: 4,
            indicators: [0b0001, 0b0010, 0b0100, 0b1000],
            count_bits: [
                Mode::Numeric.count_bits(class),
                Mode::Alphanumeric.count_bits(class),
                Mode::Byte.count_bits(class),
                Mode::Kanji.count_bits(class),
            ],
            eci: Some(0b0111),
        }
    }

    /// Character-count bits of `mode` (0 if the symbol cannot use it).
    #[inline]
    pub(crate) const fn count(&self, mode: Mode) -> u32 {
        self.count_bits[mode.index()]
    }

    /// Whether the symbol can carry `mode`.
    #[inline]
    pub(crate) const fn allows(&self, mode: Mode) -> bool {
        self.count_bits[mode.index()] > 0
    }
}
