//! `QrCode`: an encoded symbol as a bit-packed module grid plus its metadata.

use crate::symbol::StructuredAppend;
use crate::symbol::Symbology;
use crate::symbol::{EcLevel, Mask, Mode, SymbolVersion, Version};

/// One piece of the data stream of an encoded symbol, as reported by
/// [`QrCode::segments`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SegmentInfo {
    /// A data segment.
    Data {
        /// Its mode.
        mode: Mode,
        /// Its character count (digits, characters, bytes or Kanji characters).
        chars: usize,
    },
    /// An ECI designator switching the character set of the byte segments after it.
    Eci(u32),
}

/// An encoded symbol: a grid of dark and light modules. Usually a QR Code
/// (square); also a Micro QR Code (square, one finder pattern) or an rMQR
/// symbol (rectangular), see [`symbology`](Self::symbology).
///
/// Build one with [`encode_text`](crate::encode_text) (high level: text, optimal
/// mode split), [`encode_bytes`](crate::encode_bytes) (raw bytes) or
/// [`encode_segments`](crate::encode_segments) (caller-chosen segments).
/// Render it with the functions of [`render`](crate::render). Coordinates are
/// `(x, y)` with `(0, 0)` the top-left module; the quiet zone is not part of
/// the grid.
#[derive(Clone, PartialEq, Eq)]
pub struct QrCode {
    version: Version,
    symbol: SymbolVersion,
    ec_level: EcLevel,
    mask: Mask,
    size: usize,
    height: usize,
    /// u64 words per row; bit `x % 64` of word `x / 64` is module `x`.
    stride: usize,
    bits: Vec<u64>,
    segments: Vec<SegmentInfo>,
    structured_append: Option<StructuredAppend>,
}

impl QrCode {
    pub(crate) fn from_parts(
        version: Version,
        ec_level: EcLevel,
        mask: Mask,
        bits: Vec<u64>,
        segments: Vec<SegmentInfo>,
    ) -> QrCode {
        let size = version.size();
        let stride = size.div_ceil(64);
        debug_assert_eq!(bits.len(), stride * size);
        QrCode {
            version,
            symbol: SymbolVersion::Qr(version),
            ec_level,
            mask,
            size,
            height: size,
            stride,
            bits,
            segments,
            structured_append: None,
        }
    }

    /// A Micro QR or rMQR symbol from its modules (row-major, `true` dark).
    pub(crate) fn from_modules(
        symbol: SymbolVersion,
        ec_level: EcLevel,
        mask: Mask,
        (width, height): (usize, usize),
        modules: &[bool],
        segments: Vec<SegmentInfo>,
    ) -> QrCode {
        debug_assert_eq!(modules.len(), width * height);
        let stride = width.div_ceil(64);
        let mut bits = vec![0u64; stride * height];
        for y in 0..height {
            for x in 0..width {
                if modules[y * width + x] {
                    bits[y * stride + x / 64] |= 1 << (x % 64);
                }
            }
        }
        QrCode {
            version: Version::MIN,
            symbol,
            ec_level,
            mask,
            size: width,
            height,
            stride,
            bits,
            segments,
            structured_append: None,
        }
    }

    /// Marks the symbol as one part of a structured-append sequence.
    pub(crate) fn with_structured_append(mut self, sa: Option<StructuredAppend>) -> QrCode {
        self.structured_append = sa;
        self
    }

    /// Builds a symbol-shaped grid from a function, for renderer tests.
    #[cfg(test)]
    pub(crate) fn from_fn(version: Version, dark: impl Fn(usize, usize) -> bool) -> QrCode {
        let size = version.size();
        let stride = size.div_ceil(64);
        let mut bits = vec![0u64; stride * size];
        for y in 0..size {
            for x in 0..size {
                if dark(x, y) {
                    bits[y * stride + x / 64] |= 1 << (x % 64);
                }
            }
        }
        QrCode::from_parts(version, EcLevel::M, Mask::ALL[0], bits, Vec::new())
    }

    /// Side length in modules (`17 + 4 * version` for QR, `9 + 2 * n` for
    /// Micro QR Mn), without quiet zone; the width for rMQR.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Width in modules (equal to [`size`](Self::size) for square symbols).
    pub fn width(&self) -> usize {
        self.size
    }

    /// Height in modules (equal to [`size`](Self::size) for square symbols,
    /// 7 to 17 for rMQR).
    pub fn height(&self) -> usize {
        self.height
    }

    /// QR Code, Micro QR or rMQR.
    pub fn symbology(&self) -> Symbology {
        match self.symbol {
            SymbolVersion::Qr(_) => Symbology::Qr,
            SymbolVersion::Micro(_) => Symbology::MicroQr,
            SymbolVersion::Rmqr(_) => Symbology::Rmqr,
        }
    }

    /// The version of any symbology: `7`, `M3`, `R13x77`.
    pub fn symbol_version(&self) -> SymbolVersion {
        self.symbol
    }

    /// The quiet zone the symbology asks for, in modules: 4 for QR Code, 2
    /// for Micro QR and rMQR. Renderers use it unless told otherwise.
    pub fn default_quiet_zone(&self) -> u32 {
        match self.symbol {
            SymbolVersion::Qr(_) => 4,
            _ => 2,
        }
    }

    /// Whether module `(x, y)` is dark. Coordinates outside the grid read as
    /// light, like the quiet zone around it.
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> bool {
        if x >= self.size || y >= self.height {
            return false;
        }
        (self.bits[y * self.stride + x / 64] >> (x % 64)) & 1 != 0
    }

    /// The QR Code version, 1..=40. Micro QR and rMQR symbols have their
    /// own versions ([`symbol_version`](Self::symbol_version)) and report 1
    /// here.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The error-correction level actually used (higher than asked when
    /// EC boost raised it).
    pub fn ec_level(&self) -> EcLevel {
        self.ec_level
    }

    /// The data mask applied: 0..=7 for QR, 0..=3 for Micro QR; rMQR has a
    /// single mask and reports 0.
    pub fn mask(&self) -> Mask {
        self.mask
    }

    /// The segments of the data stream, in order.
    pub fn segments(&self) -> &[SegmentInfo] {
        &self.segments
    }

    /// The structured-append header, when the symbol is one part of a
    /// message written over several symbols (see
    /// [`encode_text_split`](crate::encode_text_split)).
    pub fn structured_append(&self) -> Option<StructuredAppend> {
        self.structured_append
    }

    /// Row `y` as packed words: bit `x % 64` of word `x / 64` is module `x`;
    /// bits past the width are zero.
    #[inline]
    pub(crate) fn row_words(&self, y: usize) -> &[u64] {
        &self.bits[y * self.stride..(y + 1) * self.stride]
    }

    /// The modules as rows of booleans, `true` for dark.
    pub fn to_rows(&self) -> Vec<Vec<bool>> {
        (0..self.height)
            .map(|y| (0..self.size).map(|x| self.get(x, y)).collect())
            .collect()
    }
}

impl core::fmt::Debug for QrCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "QrCode {{ version: {}, ec_level: {}, mask: {}, size: {} }}",
            self.symbol, self.ec_level, self.mask, self.size
        )
    }
}
