//! The data bit stream of a symbol (ISO/IEC 18004 7.4): segments in numeric,
//! alphanumeric, byte and Kanji mode, ECI designators (7.4.2), FNC1 (7.4.8),
//! structured append (8) and the terminator, plus Hanzi mode (GB/T 18284);
//! and the conversion of the payload to text per ECI.
//!
//! Parsing never loses data: [`Payload::bytes`] is exactly what the segments
//! carry (digits and alphanumerics as ASCII, byte mode as is, Kanji as Shift
//! JIS pairs, Hanzi as GB 2312 pairs). Text is a separate, strict
//! interpretation of those bytes that is `None` rather than lossy.

use core::fmt;
use core::ops::Range;

use crate::charset::{self, Charset};
use crate::symbol::header::Header;
use crate::symbol::{MicroVersion, Mode, RmqrVersion, Version};

/// The 45 characters of alphanumeric mode, by value (ISO/IEC 18004 Table 5).
const ALPHANUMERIC: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// ASCII group separator, which FNC1 mode writes as `%` in alphanumeric mode.
const GS: u8 = 0x1D;

/// A data mode as found in a stream: the four of [`Mode`] plus Hanzi.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DataMode {
    /// Digits, 10 bits per three.
    Numeric,
    /// The 45 alphanumeric characters, 11 bits per two.
    Alphanumeric,
    /// Raw bytes.
    Byte,
    /// Shift JIS double-byte characters, 13 bits each.
    Kanji,
    /// GB 2312 double-byte characters, 13 bits each (GB/T 18284).
    Hanzi,
}

/// One element of a decoded stream, in stream order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SegmentEntry {
    /// A data segment: its mode, character count, and the bytes it added to
    /// [`Payload::bytes`].
    Data {
        /// The mode.
        mode: DataMode,
        /// Characters declared by its count field.
        chars: usize,
        /// Where its bytes are in the payload.
        bytes: Range<usize>,
    },
    /// An ECI designator: the charset of what follows.
    Eci(u32),
    /// FNC1 in first position: the data is GS1 formatted.
    Fnc1First,
    /// FNC1 in second position with its application indicator.
    Fnc1Second(u8),
    /// A structured-append header.
    StructuredAppend {
        /// Position of this symbol, 0-based.
        index: u8,
        /// Number of symbols, 1..=16.
        count: u8,
        /// XOR of all bytes of the whole message.
        parity: u8,
    },
}

/// Which FNC1 convention the symbol follows (ISO/IEC 18004 7.4.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fnc1 {
    /// First position: GS1 Application Identifiers.
    First,
    /// Second position: an industry format named by the application
    /// indicator (a number 0..=99, or a letter's ASCII code + 100).
    Second(u8),
}

/// The decoded content of a data bit stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Payload {
    /// The exact bytes of all data segments, in order.
    pub(crate) bytes: Vec<u8>,
    /// The bytes as text, see [`payload_text`]; `None` if they are not text
    /// in the charsets that apply.
    pub(crate) text: Option<String>,
    /// Every segment and header, in order.
    pub(crate) segments: Vec<SegmentEntry>,
    /// The first ECI designator, if any.
    pub(crate) eci: Option<u32>,
    /// The structured-append header `(index, count, parity)`, if any.
    pub(crate) structured_append: Option<(u8, u8, u8)>,
    /// The FNC1 mode, if any.
    pub(crate) fnc1: Option<Fnc1>,
}

/// Why a data stream could not be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BitstreamError {
    /// A field runs past the end of the data codewords.
    Truncated {
        /// What was being read.
        field: &'static str,
        /// Bits it needs.
        needed: usize,
        /// Bits left.
        available: usize,
    },
    /// A mode indicator that no mode has.
    UnknownMode(u8),
    /// A numeric group above its range (999, 99 or 9 for 3, 2, 1 digits).
    InvalidNumeric(u16),
    /// An alphanumeric pair above 44 * 45 + 44 = 2024, or a single above 44.
    InvalidAlphanumeric(u16),
    /// An ECI designator with a bad prefix or above 999999.
    InvalidEci(u32),
    /// A Hanzi subset other than GB 2312 (subset 1).
    UnsupportedHanziSubset(u8),
}

impl fmt::Display for BitstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BitstreamError::Truncated {
                field,
                needed,
                available,
            } => write!(
                f,
                "data stream truncated: {field} needs {needed} bits, {available} left"
            ),
            BitstreamError::UnknownMode(m) => write!(f, "unknown mode indicator {m:04b}"),
            BitstreamError::InvalidNumeric(v) => write!(f, "invalid numeric group value {v}"),
            BitstreamError::InvalidAlphanumeric(v) => {
                write!(f, "invalid alphanumeric value {v}")
            }
            BitstreamError::InvalidEci(v) => write!(f, "invalid ECI designator {v:#x}"),
            BitstreamError::UnsupportedHanziSubset(s) => {
                write!(f, "unsupported Hanzi subset {s}")
            }
        }
    }
}

impl std::error::Error for BitstreamError {}

/// Reads big-endian bit fields from the data codewords.
struct BitReader<'a> {
    data: &'a [u8],
    /// Next bit, counted from the first codeword's most significant bit.
    pos: usize,
    /// Bits in the stream (a Micro QR M1 or M3 stream ends mid-byte).
    end: usize,
}

impl BitReader<'_> {
    fn available(&self) -> usize {
        self.end.saturating_sub(self.pos)
    }

    /// Whether every bit left is zero (a terminator, possibly cut short).
    fn rest_is_zero(&self) -> bool {
        (self.pos..self.end).all(|p| {
            let byte = self.data.get(p / 8).copied().unwrap_or(0);
            (byte >> (7 - p % 8)) & 1 == 0
        })
    }

    /// Checks that `needed` bits remain, naming the field if not.
    fn require(&self, field: &'static str, needed: usize) -> Result<(), BitstreamError> {
        let available = self.available();
        if needed > available {
            Err(BitstreamError::Truncated {
                field,
                needed,
                available,
            })
        } else {
            Ok(())
        }
    }

    /// The next `n` (at most 32) bits as a number.
    fn read(&mut self, field: &'static str, n: u32) -> Result<u32, BitstreamError> {
        self.require(field, n as usize)?;
        let mut value = 0u32;
        for _ in 0..n {
            let byte = self.data.get(self.pos / 8).copied().unwrap_or(0);
            let bit = (byte >> (7 - self.pos % 8)) & 1;
            value = value << 1 | u32::from(bit);
            self.pos += 1;
        }
        Ok(value)
    }
}

/// Bits a data segment's characters take, for checking its count up front.
fn payload_bits(mode: DataMode, count: usize) -> usize {
    match mode {
        DataMode::Numeric => count / 3 * 10 + [0, 4, 7][count % 3],
        DataMode::Alphanumeric => count / 2 * 11 + count % 2 * 6,
        DataMode::Byte => count * 8,
        DataMode::Kanji | DataMode::Hanzi => count * 13,
    }
}

/// Parses the data codewords of a symbol of version `v` (which fixes the
/// width of the character-count fields).
///
/// The stream ends at the terminator (four zero bits) or when fewer than four
/// bits remain, as the standard allows the terminator to be cut short when
/// the symbol is full; padding after it is not checked, so that a reader
/// stays tolerant of encoders that pad differently.
pub(crate) fn parse(data: &[u8], v: Version) -> Result<Payload, BitstreamError> {
    parse_dialect(data, data.len() * 8, Dialect::Qr(v))
}

/// The symbology whose data stream is parsed: it fixes the mode-indicator
/// width and values and the character-count widths.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Dialect {
    /// QR Code (ISO/IEC 18004 Table 2): 4-bit indicators.
    Qr(Version),
    /// Micro QR (Table 2): 0 to 3-bit indicators, four modes, no ECI; the
    /// terminator reads as an empty numeric segment.
    Micro(MicroVersion),
    /// rMQR (ISO/IEC 23941 Table 2): 3-bit indicators.
    Rmqr(RmqrVersion),
}

/// What a mode indicator announces.
enum Indicator {
    Terminator,
    Data(DataMode),
    Eci,
    Fnc1First,
    Fnc1Second,
    StructuredAppend,
}

impl Dialect {
    fn header(self) -> Header {
        match self {
            Dialect::Qr(v) => Header::qr(v.class()),
            Dialect::Micro(v) => crate::symbol::micro::header(v),
            Dialect::Rmqr(v) => crate::symbol::rmqr::header(v),
        }
    }

    fn indicator(self, value: u8) -> Option<Indicator> {
        use Indicator::*;
        Some(match self {
            Dialect::Qr(_) => match value {
                0b0000 => Terminator,
                0b0001 => Data(DataMode::Numeric),
                0b0010 => Data(DataMode::Alphanumeric),
                0b0100 => Data(DataMode::Byte),
                0b1000 => Data(DataMode::Kanji),
                0b1101 => Data(DataMode::Hanzi),
                0b0111 => Eci,
                0b0101 => Fnc1First,
                0b1001 => Fnc1Second,
                0b0011 => StructuredAppend,
                _ => return None,
            },
            Dialect::Micro(_) => Data(match value {
                0 => DataMode::Numeric,
                1 => DataMode::Alphanumeric,
                2 => DataMode::Byte,
                3 => DataMode::Kanji,
                _ => return None,
            }),
            Dialect::Rmqr(_) => match value {
                0b000 => Terminator,
                0b001 => Data(DataMode::Numeric),
                0b010 => Data(DataMode::Alphanumeric),
                0b011 => Data(DataMode::Byte),
                0b100 => Data(DataMode::Kanji),
                0b101 => Fnc1First,
                0b110 => Fnc1Second,
                _ => Eci,
            },
        })
    }
}

/// Parses the first `bits` bits of the data codewords of a symbol of any
/// symbology. The stream ends at the terminator, or where too few bits are
/// left for one (it may be cut short when the symbol is full).
pub(crate) fn parse_dialect(
    data: &[u8],
    bits: usize,
    dialect: Dialect,
) -> Result<Payload, BitstreamError> {
    let h = dialect.header();
    let terminator = match dialect {
        Dialect::Micro(v) => crate::symbol::micro::terminator_bits(v) as usize,
        Dialect::Rmqr(_) => 3,
        Dialect::Qr(_) => 4,
    };
    let mut r = BitReader {
        data,
        pos: 0,
        end: bits.min(data.len() * 8),
    };
    let mut bytes = Vec::with_capacity(data.len());
    let mut segments = Vec::new();
    let mut eci = None;
    let mut structured_append = None;
    let mut fnc1 = None;
    loop {
        if r.available() == 0
            || (r.available() < terminator && r.rest_is_zero())
            || (r.available() < h.mode_bits as usize)
        {
            break;
        }
        let indicator = r.read("mode indicator", h.mode_bits)? as u8;
        let mode = match dialect.indicator(indicator) {
            None => return Err(BitstreamError::UnknownMode(indicator)),
            Some(Indicator::Terminator) => break,
            Some(Indicator::Data(m)) => m,
            Some(Indicator::Eci) => {
                let d = read_eci(&mut r)?;
                eci.get_or_insert(d);
                segments.push(SegmentEntry::Eci(d));
                continue;
            }
            Some(Indicator::Fnc1First) => {
                fnc1 = Some(Fnc1::First);
                segments.push(SegmentEntry::Fnc1First);
                continue;
            }
            Some(Indicator::Fnc1Second) => {
                let ai = r.read("FNC1 application indicator", 8)? as u8;
                fnc1 = Some(Fnc1::Second(ai));
                segments.push(SegmentEntry::Fnc1Second(ai));
                continue;
            }
            Some(Indicator::StructuredAppend) => {
                let index = r.read("structured append index", 4)? as u8;
                let count = r.read("structured append count", 4)? as u8 + 1;
                let parity = r.read("structured append parity", 8)? as u8;
                structured_append = Some((index, count, parity));
                segments.push(SegmentEntry::StructuredAppend {
                    index,
                    count,
                    parity,
                });
                continue;
            }
        };
        if mode == DataMode::Hanzi {
            let subset = r.read("Hanzi subset", 4)? as u8;
            if subset != 1 {
                return Err(BitstreamError::UnsupportedHanziSubset(subset));
            }
        }
        let count_bits = match mode {
            DataMode::Numeric => h.count(Mode::Numeric),
            DataMode::Alphanumeric => h.count(Mode::Alphanumeric),
            DataMode::Byte => h.count(Mode::Byte),
            // GB/T 18284 gives Hanzi the Kanji count widths.
            DataMode::Kanji | DataMode::Hanzi => h.count(Mode::Kanji),
        };
        if count_bits == 0 {
            // A mode this Micro QR version does not have.
            return Err(BitstreamError::UnknownMode(indicator));
        }
        let count = r.read("character count", count_bits)? as usize;
        if count == 0 && matches!(dialect, Dialect::Micro(_)) && mode == DataMode::Numeric {
            // Micro QR's terminator: mode 0 with a zero count.
            break;
        }
        r.require("segment data", payload_bits(mode, count))?;
        let start = bytes.len();
        match mode {
            DataMode::Numeric => read_numeric(&mut r, count, &mut bytes)?,
            DataMode::Alphanumeric => read_alphanumeric(&mut r, count, fnc1.is_some(), &mut bytes)?,
            DataMode::Byte => {
                for _ in 0..count {
                    bytes.push(r.read("byte", 8)? as u8);
                }
            }
            DataMode::Kanji => {
                for _ in 0..count {
                    let v = r.read("Kanji character", 13)?;
                    // 7.4.6 in reverse: split into C0-based digits, then add
                    // back the offset of the range the value came from.
                    let code = ((v / 0xC0) << 8) | (v % 0xC0);
                    let sjis = code + if code < 0x1F00 { 0x8140 } else { 0xC140 };
                    bytes.extend_from_slice(&[(sjis >> 8) as u8, sjis as u8]);
                }
            }
            DataMode::Hanzi => {
                for _ in 0..count {
                    let v = r.read("Hanzi character", 13)?;
                    // GB/T 18284: the same scheme with base 0x60 and the two
                    // GB 2312 ranges A1A1-AAFE and B0A1-FAFE.
                    let code = ((v / 0x60) << 8) | (v % 0x60);
                    let gb = code + if code < 0x0A00 { 0xA1A1 } else { 0xA6A1 };
                    bytes.extend_from_slice(&[(gb >> 8) as u8, gb as u8]);
                }
            }
        }
        segments.push(SegmentEntry::Data {
            mode,
            chars: count,
            bytes: start..bytes.len(),
        });
    }
    let text = payload_text(&bytes, &segments);
    Ok(Payload {
        bytes,
        text,
        segments,
        eci,
        structured_append,
        fnc1,
    })
}

/// An ECI designator of one, two or three bytes (7.4.2.2): the leading bits
/// `0`, `10` or `110` give the length.
fn read_eci(r: &mut BitReader<'_>) -> Result<u32, BitstreamError> {
    let first = r.read("ECI designator", 8)?;
    let value = if first & 0x80 == 0 {
        first
    } else if first & 0xC0 == 0x80 {
        (first & 0x3F) << 8 | r.read("ECI designator", 8)?
    } else if first & 0xE0 == 0xC0 {
        (first & 0x1F) << 16 | r.read("ECI designator", 16)?
    } else {
        return Err(BitstreamError::InvalidEci(first));
    };
    if value > 999_999 {
        return Err(BitstreamError::InvalidEci(value));
    }
    Ok(value)
}

fn read_numeric(
    r: &mut BitReader<'_>,
    count: usize,
    out: &mut Vec<u8>,
) -> Result<(), BitstreamError> {
    let mut left = count;
    while left > 0 {
        // Three digits in 10 bits, a final two in 7, a final one in 4.
        let (digits, bits, max) = match left {
            1 => (1, 4, 9),
            2 => (2, 7, 99),
            _ => (3, 10, 999),
        };
        let v = r.read("numeric group", bits)?;
        if v > max {
            return Err(BitstreamError::InvalidNumeric(v as u16));
        }
        let all = [(v / 100) as u8, (v / 10 % 10) as u8, (v % 10) as u8];
        out.extend(all[3 - digits..].iter().map(|d| b'0' + d));
        left -= digits;
    }
    Ok(())
}

fn read_alphanumeric(
    r: &mut BitReader<'_>,
    count: usize,
    fnc1: bool,
    out: &mut Vec<u8>,
) -> Result<(), BitstreamError> {
    let start = out.len();
    let char_of = |v: u32| {
        ALPHANUMERIC
            .get(v as usize)
            .copied()
            .ok_or(BitstreamError::InvalidAlphanumeric(v as u16))
    };
    let mut left = count;
    while left >= 2 {
        let v = r.read("alphanumeric pair", 11)?;
        if v > 44 * 45 + 44 {
            return Err(BitstreamError::InvalidAlphanumeric(v as u16));
        }
        out.push(char_of(v / 45)?);
        out.push(char_of(v % 45)?);
        left -= 2;
    }
    if left == 1 {
        let v = r.read("alphanumeric character", 6)?;
        out.push(char_of(v)?);
    }
    if fnc1 {
        // 7.4.8: under FNC1, "%" stands for GS and "%%" for a literal "%".
        let raw = out.split_off(start);
        let mut i = 0;
        while let Some(&c) = raw.get(i) {
            if c == b'%' {
                if raw.get(i + 1) == Some(&b'%') {
                    out.push(b'%');
                    i += 2;
                    continue;
                }
                out.push(GS);
            } else {
                out.push(c);
            }
            i += 1;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Text: the bytes interpreted per ECI (AIM ECI assignments; ISO/IEC 18004
// 7.4.2 defines the mechanism).
// ---------------------------------------------------------------------------

/// The payload as text, or `None` if some part is not valid text.
///
/// Each run of bytes is converted in its own charset: Kanji segments are
/// always Shift JIS and Hanzi segments GB 2312, whatever ECI is in effect;
/// every other segment uses the charset of the last ECI designator before
/// it (numeric and alphanumeric segments are ASCII, so under a charset that
/// is not ASCII-compatible, such as UTF-16, they are taken as ASCII). Bytes
/// before any ECI are guessed as [`charset::guess_unlabelled`] describes. ECI 899
/// (binary) and ECIs with no known charset give `None`, as does a byte
/// sequence that is malformed in its charset: text is never lossy.
pub(crate) fn payload_text(bytes: &[u8], segments: &[SegmentEntry]) -> Option<String> {
    let mut runs: Vec<(Charset, Range<usize>)> = Vec::new();
    let mut current = Charset::Unlabelled;
    let mut has_kanji = false;
    for seg in segments {
        match seg {
            SegmentEntry::Eci(d) => current = charset::for_eci(*d),
            SegmentEntry::Data { mode, bytes, .. } => {
                let charset = match mode {
                    DataMode::Kanji => {
                        has_kanji = true;
                        Charset::ShiftJis
                    }
                    DataMode::Hanzi => Charset::Gb18030,
                    DataMode::Numeric | DataMode::Alphanumeric
                        if !charset::ascii_compatible(current) =>
                    {
                        Charset::Ascii
                    }
                    _ => current,
                };
                // Adjacent runs in one charset are joined, so a character
                // split across two segments still decodes.
                match runs.last_mut() {
                    Some((c, r)) if *c == charset && r.end == bytes.start => r.end = bytes.end,
                    _ => runs.push((charset, bytes.clone())),
                }
            }
            _ => {}
        }
    }
    let unlabelled: Vec<u8> = runs
        .iter()
        .filter(|(c, _)| *c == Charset::Unlabelled)
        .flat_map(|(_, r)| bytes.get(r.clone()).unwrap_or(&[]).iter().copied())
        .collect();
    let guess = charset::guess_unlabelled(&unlabelled, has_kanji);
    let mut text = String::with_capacity(bytes.len());
    for (charset, range) in runs {
        let charset = if charset == Charset::Unlabelled {
            guess
        } else {
            charset
        };
        text.push_str(&charset::decode(charset, bytes.get(range)?)?);
    }
    Some(text)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds bit streams field by field, most significant bit first.
    #[derive(Default)]
    pub(crate) struct Bits {
        bits: Vec<bool>,
    }

    impl Bits {
        pub(crate) fn put(mut self, value: u32, n: u32) -> Self {
            for i in (0..n).rev() {
                self.bits.push((value >> i) & 1 != 0);
            }
            self
        }

        pub(crate) fn byte_segment(self, data: &[u8]) -> Self {
            let mut s = self.put(0b0100, 4).put(data.len() as u32, 8);
            for &b in data {
                s = s.put(u32::from(b), 8);
            }
            s
        }

        pub(crate) fn eci(self, d: u32) -> Self {
            self.put(0b0111, 4).put(d, 8)
        }

        /// Terminator, zero fill to a byte, then 0xEC/0x11 padding to `len` bytes.
        pub(crate) fn finish(self, len: usize) -> Vec<u8> {
            let mut s = self;
            let room = (len * 8).saturating_sub(s.bits.len()).min(4);
            s = s.put(0, room as u32);
            while s.bits.len() % 8 != 0 {
                s.bits.push(false);
            }
            let mut out: Vec<u8> = s
                .bits
                .chunks(8)
                .map(|c| c.iter().fold(0u8, |a, &b| a << 1 | u8::from(b)))
                .collect();
            let mut pad = [0xEC, 0x11].into_iter().cycle();
            while out.len() < len {
                out.extend(pad.next());
            }
            out
        }
    }

    fn v(n: u8) -> Version {
        Version::new(n).expect("version")
    }

    fn parse1(data: &[u8]) -> Payload {
        parse(data, v(1)).expect("parses")
    }

    #[test]
    fn numeric_example_of_the_standard() {
        // ISO/IEC 18004 7.4.3 / Annex I: "01234567" at 1-M.
        let data = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            0xEC, 0x11,
        ];
        let p = parse1(&data);
        assert_eq!(p.bytes, b"01234567");
        assert_eq!(p.text.as_deref(), Some("01234567"));
        assert_eq!(
            p.segments,
            vec![SegmentEntry::Data {
                mode: DataMode::Numeric,
                chars: 8,
                bytes: 0..8
            }]
        );
        assert_eq!((p.eci, p.structured_append, p.fnc1), (None, None, None));
    }

    #[test]
    #[allow(clippy::unusual_byte_groupings)] // grouped as the standard's fields
    fn alphanumeric_and_kanji_examples_of_the_standard() {
        // 7.4.4: "AC-42" -> 0010 000000101 00111001110 11100111001 000010
        let data = Bits::default()
            .put(0b0010, 4)
            .put(5, 9)
            .put(0b00111001110, 11)
            .put(0b11100111001, 11)
            .put(0b000010, 6)
            .finish(10);
        assert_eq!(parse1(&data).text.as_deref(), Some("AC-42"));
        // 7.4.6: 点茗 -> 0x0D9F, 0x1AAA.
        let data = Bits::default()
            .put(0b1000, 4)
            .put(2, 8)
            .put(0x0D9F, 13)
            .put(0x1AAA, 13)
            .finish(10);
        let p = parse1(&data);
        assert_eq!(p.bytes, [0x93, 0x5F, 0xE4, 0xAA]);
        assert_eq!(p.text.as_deref(), Some("点茗"));
    }

    #[test]
    fn numeric_remainders_and_leading_zeros() {
        for (digits, groups) in [
            ("7", vec![(7, 4)]),
            ("05", vec![(5, 7)]),
            ("007", vec![(7, 10)]),
            ("0000", vec![(0, 10), (0, 4)]),
            ("99999", vec![(999, 10), (99, 7)]),
        ] {
            let mut b = Bits::default().put(0b0001, 4).put(digits.len() as u32, 10);
            for (val, n) in groups {
                b = b.put(val, n);
            }
            assert_eq!(parse1(&b.finish(19)).bytes, digits.as_bytes());
        }
    }

    #[test]
    fn count_field_widths_follow_the_version_class() {
        // Byte mode: 8 bits up to version 9, 16 from 10.
        let data = Bits::default()
            .put(0b0100, 4)
            .put(2, 16)
            .put(u32::from(b'h'), 8)
            .put(u32::from(b'i'), 8)
            .finish(20);
        assert_eq!(parse(&data, v(10)).expect("v10").bytes, b"hi");
        assert_eq!(parse(&data, v(27)).expect("v27").bytes, b"hi");
        assert!(parse(&data, v(9)).is_err() || parse(&data, v(9)).expect("v9").bytes != b"hi");
    }

    #[test]
    fn eci_designators_of_one_two_and_three_bytes() {
        for (d, first, rest, rest_bits) in [
            (26u32, 26u32, 0u32, 0u32),
            (127, 127, 0, 0),
            (128, 0x80, 128, 8),
            (16383, 0x80 | 0x3F, 0xFF, 8),
            (16384, 0xC0, 16384, 16),
            (999_999, 0xC0 | (999_999 >> 16), 999_999 & 0xFFFF, 16),
        ] {
            let data = Bits::default()
                .put(0b0111, 4)
                .put(first, 8)
                .put(rest, rest_bits)
                .byte_segment(b"A")
                .finish(12);
            let p = parse1(&data);
            assert_eq!(p.eci, Some(d), "designator {d}");
            assert_eq!(p.segments.first(), Some(&SegmentEntry::Eci(d)));
            assert_eq!(p.bytes, b"A");
        }
        // 111xxxxx is reserved; above 999999 is invalid.
        let bad = Bits::default().put(0b0111, 4).put(0xE0, 8).finish(12);
        assert_eq!(parse(&bad, v(1)), Err(BitstreamError::InvalidEci(0xE0)));
        let big = Bits::default()
            .put(0b0111, 4)
            .put(0xC0 | 0x1F, 8)
            .put(0xFFFF, 16)
            .finish(12);
        assert_eq!(
            parse(&big, v(1)),
            Err(BitstreamError::InvalidEci(0x1F_FFFF))
        );
    }

    #[test]
    fn fnc1_first_position_maps_percent_to_group_separator() {
        // GS1: "01" "0123" "%" "10" "AB%%C" in alphanumeric mode.
        let text = b"0104%10AB%%C";
        let mut b = Bits::default()
            .put(0b0101, 4)
            .put(0b0010, 4)
            .put(text.len() as u32, 9);
        for pair in text.chunks(2) {
            let val = |c: u8| ALPHANUMERIC.iter().position(|&a| a == c).expect("alnum") as u32;
            b = match *pair {
                [a, c] => b.put(val(a) * 45 + val(c), 11),
                [a] => b.put(val(a), 6),
                _ => b,
            };
        }
        let p = parse1(&b.finish(19));
        assert_eq!(p.fnc1, Some(Fnc1::First));
        assert_eq!(p.bytes, b"0104\x1D10AB%C");
        assert_eq!(p.text.as_deref(), Some("0104\u{1D}10AB%C"));
        // Without FNC1 the percent signs are literal.
        let plain = Bits::default()
            .put(0b0010, 4)
            .put(1, 9)
            .put(38, 6)
            .finish(19);
        assert_eq!(parse1(&plain).bytes, b"%");
    }

    #[test]
    fn fnc1_second_position_keeps_its_application_indicator() {
        let data = Bits::default()
            .put(0b1001, 4)
            .put(u32::from(b'a') + 100, 8)
            .put(0b0010, 4)
            .put(1, 9)
            .put(38, 6)
            .finish(19);
        let p = parse1(&data);
        assert_eq!(p.fnc1, Some(Fnc1::Second(197)));
        assert_eq!(p.segments.first(), Some(&SegmentEntry::Fnc1Second(197)));
        assert_eq!(p.bytes, [GS]);
    }

    #[test]
    fn structured_append_header() {
        // Symbol 3 of 5 (index 2, count field 4), parity 0x5A.
        let data = Bits::default()
            .put(0b0011, 4)
            .put(2, 4)
            .put(4, 4)
            .put(0x5A, 8)
            .byte_segment(b"part")
            .finish(19);
        let p = parse1(&data);
        assert_eq!(p.structured_append, Some((2, 5, 0x5A)));
        assert_eq!(
            p.segments.first(),
            Some(&SegmentEntry::StructuredAppend {
                index: 2,
                count: 5,
                parity: 0x5A
            })
        );
        assert_eq!(p.bytes, b"part");
    }

    #[test]
    fn hanzi_mode_decodes_gb2312() {
        // 啊 is GB 2312 B0A1 -> 0x0A00 -> 10 * 0x60 + 0 = 960; 、 is A1A2 -> 1.
        let data = Bits::default()
            .put(0b1101, 4)
            .put(1, 4)
            .put(2, 8)
            .put(960, 13)
            .put(1, 13)
            .finish(12);
        let p = parse1(&data);
        assert_eq!(p.bytes, [0xB0, 0xA1, 0xA1, 0xA2]);
        let want = cfg!(feature = "cjk-text").then_some("啊、");
        assert_eq!(p.text.as_deref(), want);
        let other = Bits::default().put(0b1101, 4).put(2, 4).finish(12);
        assert_eq!(
            parse1_err(&other),
            BitstreamError::UnsupportedHanziSubset(2)
        );
    }

    fn parse1_err(data: &[u8]) -> BitstreamError {
        parse(data, v(1)).expect_err("must fail")
    }

    #[test]
    fn malformed_streams_are_typed_errors() {
        // Count runs past the end.
        let data = Bits::default().put(0b0100, 4).put(200, 8).finish(19);
        assert_eq!(
            parse1_err(&data),
            BitstreamError::Truncated {
                field: "segment data",
                needed: 1600,
                available: 19 * 8 - 12
            }
        );
        // Unknown mode indicators.
        for m in [0b0110, 0b1010, 0b1011, 0b1100, 0b1110, 0b1111] {
            let data = Bits::default().put(m, 4).finish(4);
            assert_eq!(parse1_err(&data), BitstreamError::UnknownMode(m as u8));
        }
        // Numeric groups out of range.
        let data = Bits::default()
            .put(0b0001, 4)
            .put(3, 10)
            .put(1000, 10)
            .finish(8);
        assert_eq!(parse1_err(&data), BitstreamError::InvalidNumeric(1000));
        let data = Bits::default()
            .put(0b0001, 4)
            .put(2, 10)
            .put(100, 7)
            .finish(8);
        assert_eq!(parse1_err(&data), BitstreamError::InvalidNumeric(100));
        let data = Bits::default()
            .put(0b0001, 4)
            .put(1, 10)
            .put(10, 4)
            .finish(8);
        assert_eq!(parse1_err(&data), BitstreamError::InvalidNumeric(10));
        // Alphanumeric values out of range.
        let data = Bits::default()
            .put(0b0010, 4)
            .put(2, 9)
            .put(2025, 11)
            .finish(8);
        assert_eq!(parse1_err(&data), BitstreamError::InvalidAlphanumeric(2025));
        let data = Bits::default()
            .put(0b0010, 4)
            .put(1, 9)
            .put(45, 6)
            .finish(8);
        assert_eq!(parse1_err(&data), BitstreamError::InvalidAlphanumeric(45));
        // A header cut off mid-way.
        let data = Bits::default().put(0b0011, 4).put(0, 4).finish(1);
        assert!(matches!(
            parse1_err(&data),
            BitstreamError::Truncated { .. }
        ));
        assert!(!BitstreamError::UnknownMode(6).to_string().is_empty());
    }

    #[test]
    fn stream_ends_at_terminator_or_when_under_four_bits_remain() {
        // Full capacity with no room for a terminator: 1 byte segment of 2
        // in 3 codewords leaves exactly 4 bits, which are then the terminator.
        let data = Bits::default().byte_segment(b"xy").finish(3);
        assert_eq!(parse1(&data).bytes, b"xy");
        // Junk after the terminator is ignored.
        let mut data = Bits::default().byte_segment(b"ok").finish(8);
        data[5] = 0xFF;
        data[7] = 0x42;
        assert_eq!(parse1(&data).bytes, b"ok");
        // Empty stream.
        assert_eq!(parse1(&[]).bytes, b"");
        assert_eq!(parse1(&[0x00]).text.as_deref(), Some(""));
    }

    fn text_of(data: &[u8]) -> Option<String> {
        parse(data, v(5)).expect("parses").text
    }

    #[test]
    fn eci_3_is_true_latin_1_including_c1_controls() {
        let high: Vec<u8> = (0x80..=0xFF).collect();
        let data = Bits::default().eci(3).byte_segment(&high).finish(134);
        let want: String = (0x80u32..=0xFF).filter_map(char::from_u32).collect();
        assert_eq!(text_of(&data), Some(want));
        // windows-1252 would have made 0x80 the euro sign.
        let data = Bits::default()
            .eci(3)
            .byte_segment(&[0x80, 0x9F])
            .finish(10);
        assert_eq!(text_of(&data).as_deref(), Some("\u{80}\u{9F}"));
        let data = Bits::default().eci(23).byte_segment(&[0x80]).finish(10);
        assert_eq!(text_of(&data).as_deref(), Some("€"));
    }

    #[test]
    fn eci_charsets_convert_for_real() {
        let cases: &[(u32, &[u8], &str)] = &[
            (20, &[0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA], "日本語"),
            (26, "Grüße 点".as_bytes(), "Grüße 点"),
            (
                25,
                &[0x00, 0x47, 0x00, 0xFC, 0x70, 0xB9, 0xD8, 0x3D, 0xDE, 0x00],
                "Gü点😀",
            ),
            (33, &[0x47, 0x00, 0xFC, 0x00], "Gü"),
            (34, &[0, 0, 0, 0x41, 0, 0x01, 0xF6, 0x00], "A😀"),
            (4, &[0xA3, 0xB9], "Łš"),
            (7, &[0xB0, 0xD0], "Аа"),
            (9, &[0xE1], "α"),
            (11, &[0xD0, 0xFD, 0x85], "Ğı\u{85}"),
            (13, &[0xA1, 0xE0], "กเ"),
            (17, &[0xA4], "€"),
            (22, &[0xC0], "А"),
            (24, &[0xC7], "ا"),
            (27, b"plain", "plain"),
            (28, &[0xA4, 0x40], "一"),
            (29, &[0xB0, 0xA1], "啊"),
            (30, &[0xB0, 0xA1], "가"),
            (0, &[0x80, 0x9B, 0xE1, 0xFE, 0xFF], "Ç¢ß■\u{A0}"),
            (2, &[0xB0, 0xDB], "░█"),
            (1, &[0xE9], "é"),
        ];
        for &(eci, bytes, want) in cases {
            let data = Bits::default().eci(eci).byte_segment(bytes).finish(30);
            let p = parse(&data, v(5)).expect("parses");
            assert_eq!(p.bytes, bytes, "ECI {eci}");
            // Big5, GB 2312 and EUC-KR have text only with `cjk-text`.
            let want = (cfg!(feature = "cjk-text") || !(28..=30).contains(&eci)).then_some(want);
            assert_eq!(p.text.as_deref(), want, "ECI {eci}");
        }
    }

    #[test]
    fn text_is_none_rather_than_lossy() {
        for (eci, bytes) in [
            (26u32, &[0xC3, 0x28][..]),
            (27, &[0x41, 0x80]),
            (25, &[0x00, 0x41, 0x00]),
            (25, &[0xD8, 0x3D, 0x00, 0x41]),
            (5, &[0xA5]), // a hole in ISO-8859-3
            (34, &[0, 0x11, 0, 0]),
            (899, b"binary"),
            (14, b"reserved ECI"),
            (811_799, b"unknown"),
        ] {
            // Designators above 127 need the two- and three-byte forms.
            let mut b = Bits::default().put(0b0111, 4);
            b = if eci < 128 {
                b.put(eci, 8)
            } else if eci < 16384 {
                b.put(0x8000 | eci, 16)
            } else {
                b.put(0xC0_0000 | eci, 24)
            };
            let data = b.byte_segment(bytes).finish(30);
            let p = parse(&data, v(5)).expect("parses");
            assert_eq!(p.bytes, bytes);
            assert_eq!(p.text, None, "ECI {eci}");
        }
    }

    #[test]
    fn each_eci_span_is_converted_separately() {
        // "é" in Latin-1, then in UTF-8, then in Shift JIS a Kanji segment.
        let data = Bits::default()
            .eci(3)
            .byte_segment(&[0xE9])
            .eci(26)
            .byte_segment(&[0xC3, 0xA9])
            .put(0b1000, 4)
            .put(1, 8)
            .put(0x0D9F, 13)
            .put(0b0001, 4)
            .put(1, 10)
            .put(7, 4)
            .finish(20);
        let p = parse(&data, v(5)).expect("parses");
        assert_eq!(p.bytes, [0xE9, 0xC3, 0xA9, 0x93, 0x5F, b'7']);
        assert_eq!(p.text.as_deref(), Some("éé点7"));
        assert_eq!(p.eci, Some(3));
        // Numeric segments under UTF-16 are still ASCII digits.
        let data = Bits::default()
            .eci(25)
            .byte_segment(&[0x00, 0x41])
            .put(0b0001, 4)
            .put(2, 10)
            .put(42, 7)
            .finish(20);
        assert_eq!(text_of(&data).as_deref(), Some("A42"));
    }

    #[test]
    fn a_character_split_across_byte_segments_still_decodes() {
        let data = Bits::default()
            .eci(26)
            .byte_segment(&[b'a', 0xE2])
            .byte_segment(&[0x82, 0xAC])
            .finish(20);
        assert_eq!(text_of(&data).as_deref(), Some("a€"));
    }

    #[test]
    fn unlabelled_bytes_are_guessed() {
        let guess = |bytes: &[u8]| text_of(&Bits::default().byte_segment(bytes).finish(30));
        // Valid UTF-8 wins.
        assert_eq!(guess("Grüße".as_bytes()).as_deref(), Some("Grüße"));
        // Shift JIS with double-byte characters.
        assert_eq!(
            guess(&[0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]).as_deref(),
            Some("日本語")
        );
        // Only single bytes that happen to be valid half-width katakana: Latin-1.
        assert_eq!(guess(&[0xC9, b'C', 0xCF]).as_deref(), Some("ÉCÏ"));
        // Invalid in both: Latin-1.
        assert_eq!(guess(&[b'c', b'a', b'f', 0xE9]).as_deref(), Some("café"));
        // With a Kanji segment, single-byte katakana in byte mode are Shift JIS.
        let data = Bits::default()
            .put(0b1000, 4)
            .put(1, 8)
            .put(0x0D9F, 13)
            .byte_segment(&[0xB1])
            .finish(20);
        assert_eq!(text_of(&data).as_deref(), Some("点ｱ"));
        // With a Kanji segment but bytes that are not Shift JIS: Latin-1.
        let data = Bits::default()
            .put(0b1000, 4)
            .put(1, 8)
            .put(0x0D9F, 13)
            .byte_segment(&[b'x', 0xFD])
            .finish(20);
        assert_eq!(text_of(&data).as_deref(), Some("点xý"));
    }

    #[test]
    fn random_streams_never_panic() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut ok = 0;
        for round in 0..5000 {
            let len = (next() % 200) as usize;
            let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Bias towards plausible mode indicators so parsing goes deeper.
            if let Some(first) = data.first_mut() {
                *first = (*first & 0x0F) | [0x10, 0x20, 0x40, 0x80, 0x70, 0xD0][round % 6];
            }
            let version = v(1 + (next() % 40) as u8);
            if let Ok(p) = parse(&data, version) {
                ok += 1;
                for seg in &p.segments {
                    if let SegmentEntry::Data { bytes, .. } = seg {
                        assert!(bytes.end <= p.bytes.len());
                    }
                }
            }
        }
        assert!(ok > 0, "some random streams should parse");
    }
}
