//! The public result of reading a symbol: payload, text, symbol parameters
//! (ISO/IEC 18004 7.9, 7.10, 7.4.2 ECI, 7.4.8 FNC1, clause 8 structured
//! append) and where in the image the symbol was found.

use super::bitstream::{self, Fnc1, SegmentEntry};
use super::format::FormatInfo;
use crate::symbol::{EcLevel, Mask, StructuredAppend, SymbolVersion, Symbology, Version};

/// A point in image coordinates: pixels, `x` to the right and `y` down from
/// the image's top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Horizontal position in pixels.
    pub x: f32,
    /// Vertical position in pixels.
    pub y: f32,
}

/// Everything read from one symbol, as plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SymbolContent {
    /// The exact payload bytes (see [`bitstream::Payload::bytes`]).
    pub(crate) bytes: Vec<u8>,
    /// The payload as text, if it is text (see [`bitstream::payload_text`]).
    pub(crate) text: Option<String>,
    /// The version (QR Code; 1 for the other symbologies).
    pub(crate) version: Version,
    /// The version of any symbology.
    pub(crate) symbol: SymbolVersion,
    /// The EC level.
    pub(crate) ec_level: EcLevel,
    /// The data mask.
    pub(crate) mask: Mask,
    /// The first ECI designator, if any.
    pub(crate) eci: Option<u32>,
    /// `(index, count, parity)` of a structured-append header, if any.
    pub(crate) structured_append: Option<(u8, u8, u8)>,
    /// The FNC1 mode, if any (`First` means GS1).
    pub(crate) fnc1: Option<Fnc1>,
    /// Codewords Reed-Solomon changed, over all blocks.
    pub(crate) corrected_codewords: usize,
    /// Whether the grid had to be transposed (the symbol is mirrored).
    pub(crate) mirrored: bool,
    /// The segments and headers of the data stream, in order.
    pub(crate) segments: Vec<SegmentEntry>,
    /// Whether the symbol is a QR Code Model 1 (see [`super::model1`]).
    pub(crate) model1: bool,
}

impl SymbolContent {
    /// The content of any symbol from its parsed data stream, read in
    /// normal orientation. `version` is the QR Code version (1 for the
    /// other symbologies, whose version `symbol` names).
    pub(crate) fn from_payload(
        payload: bitstream::Payload,
        version: Version,
        symbol: SymbolVersion,
        format: FormatInfo,
        corrected: usize,
    ) -> SymbolContent {
        SymbolContent {
            bytes: payload.bytes,
            text: payload.text,
            version,
            symbol,
            ec_level: format.ec_level,
            mask: format.mask,
            eci: payload.eci,
            structured_append: payload.structured_append,
            fnc1: payload.fnc1,
            corrected_codewords: corrected,
            mirrored: false,
            segments: payload.segments,
            model1: false,
        }
    }

    /// Whether the data is GS1 formatted (FNC1 in first position).
    #[cfg(test)]
    pub(crate) fn is_gs1(&self) -> bool {
        self.fnc1 == Some(Fnc1::First)
    }
}

/// A decoded symbol.
///
/// [`bytes`](Self::bytes) is the payload exactly as the symbol carries it;
/// [`text`](Self::text) is the same payload converted to text according to
/// its ECI designators, or `None` when it is not text (binary data, an
/// unknown charset, or bytes malformed in their charset). Without an ECI the
/// charset is guessed: UTF-8 if the bytes are valid UTF-8, else Shift JIS
/// if they are valid Shift JIS with double-byte characters (or the symbol
/// has Kanji segments), else ISO-8859-1.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Decoded {
    bytes: Vec<u8>,
    text: Option<String>,
    symbology: Symbology,
    version: Version,
    symbol: SymbolVersion,
    ec_level: EcLevel,
    mask: Mask,
    eci: Option<u32>,
    corners: [Point; 4],
    mirrored: bool,
    inverted: bool,
    structured_append: Option<StructuredAppend>,
    fnc1: Option<Fnc1>,
    corrected_codewords: usize,
    model1: bool,
}

impl Decoded {
    /// Moves the corners by `(dx, dy)` (a symbol read in a crop).
    pub(crate) fn offset_corners(&mut self, dx: f32, dy: f32) {
        for p in &mut self.corners {
            p.x += dx;
            p.y += dy;
        }
    }

    /// Scales the corners, for symbols found in a resized copy of the image.
    pub(crate) fn scale_corners(&mut self, factor: f32) {
        for p in &mut self.corners {
            p.x *= factor;
            p.y *= factor;
        }
    }

    /// Puts the corners of a symbol read in the transposed image (see
    /// `Gray::transposed`) back: each corner's axes swapped, and the second
    /// and fourth exchanged. Such a read carries the image's mirrored flag,
    /// the opposite of the transposed grid's, so [`Decoded::from_content`]
    /// ordered its corners the wrong way round for that grid.
    pub(crate) fn transpose_corners(&mut self) {
        for p in &mut self.corners {
            std::mem::swap(&mut p.x, &mut p.y);
        }
        self.corners.swap(1, 3);
    }

    /// Wraps what the grid decoder found with where the front half found it.
    /// `corners` are the sampled grid's corners (0, 0), (w, 0), (w, h) and
    /// (0, h) in image coordinates: the symbol's TL, TR, BR, BL, except
    /// that a mirrored symbol's grid is its transpose, whose second and
    /// fourth corners are the symbol's BL and TR (put in the symbol's order
    /// here). `inverted` says whether it was light-on-dark.
    pub(crate) fn from_content(
        content: SymbolContent,
        mut corners: [Point; 4],
        inverted: bool,
    ) -> Decoded {
        if content.mirrored {
            corners.swap(1, 3);
        }
        Decoded {
            symbology: match content.symbol {
                SymbolVersion::Qr(_) => Symbology::Qr,
                SymbolVersion::Micro(_) => Symbology::MicroQr,
                SymbolVersion::Rmqr(_) => Symbology::Rmqr,
            },
            symbol: content.symbol,
            bytes: content.bytes,
            text: content.text,
            version: content.version,
            ec_level: content.ec_level,
            mask: content.mask,
            eci: content.eci,
            corners,
            mirrored: content.mirrored,
            inverted,
            structured_append: content.structured_append.map(|(index, count, parity)| {
                StructuredAppend {
                    index,
                    count,
                    parity,
                }
            }),
            fnc1: content.fnc1,
            corrected_codewords: content.corrected_codewords,
            model1: content.model1,
        }
    }

    /// The payload bytes, exactly: byte segments as stored, digits and
    /// alphanumerics as ASCII (with GS, 0x1D, for FNC1's `%`), Kanji as Shift
    /// JIS pairs. Nothing is lost, whatever the charset.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The payload as text, or `None` if it is not text (see the type's
    /// documentation for how charsets are chosen).
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The kind of symbol: QR Code, Micro QR or rMQR.
    pub fn symbology(&self) -> Symbology {
        self.symbology
    }

    /// The QR Code version; Micro QR and rMQR symbols report 1 here and
    /// their own version in [`symbol_version`](Self::symbol_version).
    pub fn version(&self) -> Version {
        self.version
    }

    /// The version of any symbology: `7`, `M3`, `R13x77`.
    pub fn symbol_version(&self) -> SymbolVersion {
        self.symbol
    }

    /// The symbol's error-correction level.
    pub fn ec_level(&self) -> EcLevel {
        self.ec_level
    }

    /// The data mask the symbol used (0..=3 for Micro QR; rMQR has one and
    /// reports 0).
    pub fn mask(&self) -> Mask {
        self.mask
    }

    /// The first ECI designator in the data, if any (26 is UTF-8, 3 is
    /// ISO-8859-1, 20 is Shift JIS, ...).
    pub fn eci(&self) -> Option<u32> {
        self.eci
    }

    /// The symbol's corners in image coordinates: top-left, top-right,
    /// bottom-right, bottom-left, as the symbol is oriented (the top-left
    /// corner is the one with a finder pattern and no neighbour finder
    /// diagonal to it).
    pub fn corners(&self) -> [Point; 4] {
        self.corners
    }

    /// Whether the symbol was mirrored (read from behind, or printed
    /// flipped).
    pub fn mirrored(&self) -> bool {
        self.mirrored
    }

    /// Whether the symbol was light modules on a dark background.
    pub fn inverted(&self) -> bool {
        self.inverted
    }

    /// The structured-append header, if this symbol is part of a sequence.
    pub fn structured_append(&self) -> Option<StructuredAppend> {
        self.structured_append
    }

    /// Whether the data is GS1 formatted (FNC1 in first position); GS1
    /// field separators appear as GS (0x1D) in [`bytes`](Self::bytes).
    pub fn is_gs1(&self) -> bool {
        self.fnc1 == Some(Fnc1::First)
    }

    /// The application indicator of FNC1 in second position (an industry
    /// format: 0 to 99, or a letter's ASCII code plus 100), if the symbol
    /// uses it.
    pub fn application_indicator(&self) -> Option<u8> {
        match self.fnc1 {
            Some(Fnc1::Second(ai)) => Some(ai),
            _ => None,
        }
    }

    /// How many codewords error correction had to repair: 0 for a clean
    /// read, more as the symbol was damaged or poorly sampled.
    pub fn corrected_codewords(&self) -> usize {
        self.corrected_codewords
    }

    /// Whether the symbol is a QR Code **Model 1**, the original design
    /// that Model 2 (today's QR Code) replaced: versions 1 to 14, no
    /// alignment patterns (AIM symbology identifier `]Q0`). Read, never
    /// written. [`symbology`](Self::symbology) is [`Symbology::Qr`] for both.
    pub fn is_model1(&self) -> bool {
        self.model1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::grid::ModuleGrid;
    use crate::decode::qr::decode_grid;
    use crate::{encode_text, EncodeOptions};

    fn corners() -> [Point; 4] {
        [
            Point { x: 10.0, y: 12.0 },
            Point { x: 90.5, y: 11.0 },
            Point { x: 91.0, y: 93.25 },
            Point { x: 9.0, y: 92.0 },
        ]
    }

    #[test]
    fn accessors_report_the_content() {
        let code = encode_text("Grüße", &EncodeOptions::default().eci_utf8(true)).expect("ok");
        let grid = ModuleGrid::from_fn(code.size(), |x, y| code.get(x, y));
        let content = decode_grid(&grid.transposed()).expect("decodes");
        let d = Decoded::from_content(content, corners(), true);
        assert_eq!(d.bytes(), "Grüße".as_bytes());
        assert_eq!(d.text(), Some("Grüße"));
        assert_eq!(d.symbology(), Symbology::Qr);
        assert_eq!(d.version(), code.version());
        assert_eq!(d.ec_level(), code.ec_level());
        assert_eq!(d.mask(), code.mask());
        assert_eq!(d.eci(), Some(26));
        // Mirrored: the grid's second and fourth corners are the symbol's
        // BL and TR.
        let c = corners();
        assert_eq!(d.corners(), [c[0], c[3], c[2], c[1]]);
        assert!(d.mirrored());
        assert!(d.inverted());
        assert_eq!(d.structured_append(), None);
        assert!(!d.is_gs1());
        assert_eq!(d.application_indicator(), None);
        assert_eq!(d.corrected_codewords(), 0);
        assert_eq!(d.clone(), d);
    }

    #[test]
    fn structured_append_and_fnc1_are_carried_over() {
        let code = encode_text("X", &EncodeOptions::default()).expect("ok");
        let grid = ModuleGrid::from_fn(code.size(), |x, y| code.get(x, y));
        let mut content = decode_grid(&grid).expect("decodes");
        content.structured_append = Some((2, 4, 0x33));
        content.fnc1 = Some(Fnc1::Second(37));
        let d = Decoded::from_content(content, corners(), false);
        assert_eq!(
            d.structured_append(),
            Some(StructuredAppend {
                index: 2,
                count: 4,
                parity: 0x33
            })
        );
        assert_eq!(d.application_indicator(), Some(37));
        assert!(!d.is_gs1());
        assert!(!d.mirrored() && !d.inverted());
    }
}
