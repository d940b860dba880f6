//! Segments (a mode plus its characters, or an ECI designator) and the bit
//! buffer they are written into (ISO/IEC 18004 7.4).

use crate::error::EncodeError;
use crate::symbol::header::Header;
use crate::symbol::Mode;

/// Alphanumeric-mode value of each ASCII byte, or 0xFF if not encodable (Table 5).
static ALNUM_VALUE: [u8; 128] = {
    let mut t = [0xFFu8; 128];
    let chars = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut i = 0;
    while i < chars.len() {
        t[chars[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Whether byte `b` is a digit `0-9`.
#[inline]
pub(crate) fn is_numeric(b: u8) -> bool {
    b.is_ascii_digit()
}

/// Whether byte `b` is one of the 45 alphanumeric-mode characters.
#[inline]
pub(crate) fn is_alphanumeric(b: u8) -> bool {
    b < 128 && ALNUM_VALUE[b as usize] != 0xFF
}

/// Shift JIS code of `c` if Kanji mode can carry it (JIS X 0208 double-byte
/// characters in 0x8140-0x9FFC or 0xE040-0xEBBF).
pub(crate) fn kanji_code(c: char) -> Option<u16> {
    let code = super::sjis::code(c)?;
    if (0x8140..=0x9FFC).contains(&code) || (0xE040..=0xEBBF).contains(&code) {
        Some(code)
    } else {
        None
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SegmentKind {
    /// Data in a mode. `data` holds ASCII for numeric/alphanumeric, the raw bytes
    /// for byte mode, big-endian Shift JIS pairs for Kanji.
    Data {
        mode: Mode,
        chars: usize,
        data: Vec<u8>,
    },
    /// ECI designator 0..=999999.
    Eci(u32),
    /// Structured-append header (clause 8): this symbol's index from 0, the
    /// number of symbols 1..=16, and the parity of the whole message.
    StructuredAppend { index: u8, count: u8, parity: u8 },
}

/// A piece of the data stream: characters in one mode, or an ECI designator.
///
/// Build them with the checked constructors and pass them to
/// [`encode_segments`](crate::encode_segments) for full control over modes.
/// Segments longer than their mode's character-count field allows are split
/// automatically when encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub(crate) kind: SegmentKind,
}

impl Segment {
    /// A numeric segment; every character must be `0-9`.
    pub fn numeric(digits: &str) -> Result<Segment, EncodeError> {
        check_chars(digits, Mode::Numeric, |c| c.is_ascii_digit())?;
        Ok(Segment::data(
            Mode::Numeric,
            digits.len(),
            digits.as_bytes().to_vec(),
        ))
    }

    /// An alphanumeric segment; every character must be `0-9`, `A-Z` or ` $%*+-./:`.
    pub fn alphanumeric(text: &str) -> Result<Segment, EncodeError> {
        check_chars(text, Mode::Alphanumeric, |c| {
            c.is_ascii() && is_alphanumeric(c as u8)
        })?;
        Ok(Segment::data(
            Mode::Alphanumeric,
            text.len(),
            text.as_bytes().to_vec(),
        ))
    }

    /// A byte segment carrying `bytes` exactly.
    pub fn bytes(bytes: &[u8]) -> Segment {
        Segment::data(Mode::Byte, bytes.len(), bytes.to_vec())
    }

    /// A Kanji segment; every character must be a JIS X 0208 double-byte
    /// character in Shift JIS 0x8140-0x9FFC or 0xE040-0xEBBF.
    pub fn kanji(text: &str) -> Result<Segment, EncodeError> {
        let mut data = Vec::with_capacity(text.len());
        for (index, c) in text.chars().enumerate() {
            let code = kanji_code(c).ok_or(EncodeError::UnencodableChar {
                mode: Mode::Kanji,
                index,
                ch: c,
            })?;
            data.extend_from_slice(&code.to_be_bytes());
        }
        Ok(Segment::data(Mode::Kanji, data.len() / 2, data))
    }

    /// An ECI designator (ISO/IEC 18004 7.4.2), e.g. 26 for UTF-8, 20 for Shift JIS,
    /// 3 for ISO-8859-1. It applies to the byte segments after it.
    pub fn eci(designator: u32) -> Result<Segment, EncodeError> {
        if designator > 999_999 {
            return Err(EncodeError::InvalidEci(designator));
        }
        Ok(Segment {
            kind: SegmentKind::Eci(designator),
        })
    }

    pub(crate) fn data(mode: Mode, chars: usize, data: Vec<u8>) -> Segment {
        Segment {
            kind: SegmentKind::Data { mode, chars, data },
        }
    }

    /// The mode, or `None` for an ECI designator.
    pub fn mode(&self) -> Option<Mode> {
        match &self.kind {
            SegmentKind::Data { mode, .. } => Some(*mode),
            SegmentKind::Eci(_) | SegmentKind::StructuredAppend { .. } => None,
        }
    }

    /// Number of characters (digits, characters, bytes or Kanji); 0 for ECI.
    pub fn char_count(&self) -> usize {
        match &self.kind {
            SegmentKind::Data { chars, .. } => *chars,
            SegmentKind::Eci(_) | SegmentKind::StructuredAppend { .. } => 0,
        }
    }

    /// Bits this segment takes in a symbol with header widths `h`, including
    /// any extra headers for splitting it at its character-count limit.
    /// A mode the symbol cannot carry costs `usize::MAX / 4`.
    pub(crate) fn bit_len(&self, h: Header) -> usize {
        match &self.kind {
            SegmentKind::Eci(d) => eci_bits(*d) - 4 + h.mode_bits as usize,
            SegmentKind::StructuredAppend { .. } => STRUCTURED_APPEND_BITS,
            SegmentKind::Data { mode, chars, .. } => {
                if !h.allows(*mode) {
                    return usize::MAX / 4;
                }
                let header = (h.mode_bits + h.count(*mode)) as usize;
                let max = max_chars(*mode, h);
                let pieces = chars.div_ceil(max).max(1);
                let full = chars / max;
                let rest = chars % max;
                pieces * header + full * payload_bits(*mode, max) + payload_bits(*mode, rest)
            }
        }
    }
}

/// Bits of a structured-append header: mode indicator 0011, index (4),
/// count - 1 (4), parity (8).
pub(crate) const STRUCTURED_APPEND_BITS: usize = 20;

/// Bits of an ECI segment: mode indicator plus 8, 16 or 24 designator bits.
pub(crate) fn eci_bits(designator: u32) -> usize {
    4 + if designator < 128 {
        8
    } else if designator < 16384 {
        16
    } else {
        24
    }
}

/// Largest character count a single segment of `mode` can declare.
pub(crate) fn max_chars(mode: Mode, h: Header) -> usize {
    ((1usize << h.count(mode)) - 1).max(1)
}

/// Bits of the characters themselves (no header) for `n` characters.
pub(crate) fn payload_bits(mode: Mode, n: usize) -> usize {
    match mode {
        Mode::Numeric => n / 3 * 10 + [0, 4, 7][n % 3],
        Mode::Alphanumeric => n / 2 * 11 + (n % 2) * 6,
        Mode::Byte => n * 8,
        Mode::Kanji => n * 13,
    }
}

fn check_chars(text: &str, mode: Mode, ok: impl Fn(char) -> bool) -> Result<(), EncodeError> {
    match text.chars().enumerate().find(|&(_, c)| !ok(c)) {
        Some((index, ch)) => Err(EncodeError::UnencodableChar { mode, index, ch }),
        None => Ok(()),
    }
}

/// An append-only bit sequence, most significant bit first, with a 64-bit
/// accumulator so each append is a shift and an or.
pub(crate) struct BitBuffer {
    bytes: Vec<u8>,
    acc: u64,
    /// Bits held in `acc` (0..=63).
    pending: u32,
}

impl BitBuffer {
    pub(crate) fn with_capacity(bits: usize) -> BitBuffer {
        BitBuffer {
            bytes: Vec::with_capacity(bits.div_ceil(8) + 8),
            acc: 0,
            pending: 0,
        }
    }

    /// Total bits written.
    pub(crate) fn len(&self) -> usize {
        self.bytes.len() * 8 + self.pending as usize
    }

    /// Appends the low `n` bits of `value` (n <= 32).
    #[inline]
    pub(crate) fn push(&mut self, value: u32, n: u32) {
        debug_assert!(n <= 32 && (n == 32 || value >> n == 0));
        self.acc = (self.acc << n) | value as u64;
        self.pending += n;
        while self.pending >= 8 {
            self.pending -= 8;
            self.bytes.push((self.acc >> self.pending) as u8);
        }
    }

    /// Appends one segment, split at the character-count limit if needed.
    /// The symbol must allow the segment's mode.
    pub(crate) fn push_segment(&mut self, seg: &Segment, h: Header) {
        match &seg.kind {
            SegmentKind::Eci(d) => {
                debug_assert!(h.eci.is_some());
                self.push(h.eci.unwrap_or(0b0111), h.mode_bits);
                if *d < 128 {
                    self.push(*d, 8);
                } else if *d < 16384 {
                    self.push(0b10 << 14 | d, 16);
                } else {
                    self.push(0b110 << 21 | d, 24);
                }
            }
            SegmentKind::StructuredAppend {
                index,
                count,
                parity,
            } => {
                debug_assert!(*index < *count && (1..=16).contains(count));
                self.push(0b0011, 4);
                self.push(*index as u32, 4);
                self.push(*count as u32 - 1, 4);
                self.push(*parity as u32, 8);
            }
            SegmentKind::Data { mode, chars, data } => {
                debug_assert!(h.allows(*mode));
                let max = max_chars(*mode, h);
                let bytes_per_char = if *mode == Mode::Kanji { 2 } else { 1 };
                let indicator = h.indicators[mode.index()];
                let mut first = true;
                for piece in data.chunks(max * bytes_per_char) {
                    let n = piece.len() / bytes_per_char;
                    self.push(indicator, h.mode_bits);
                    self.push(n as u32, h.count(*mode));
                    self.push_payload(*mode, piece);
                    first = false;
                }
                if first {
                    // An empty segment still writes its (zero-count) header.
                    debug_assert_eq!(*chars, 0);
                    self.push(indicator, h.mode_bits);
                    self.push(0, h.count(*mode));
                }
            }
        }
    }

    fn push_payload(&mut self, mode: Mode, data: &[u8]) {
        match mode {
            Mode::Numeric => {
                let mut groups = data.chunks_exact(3);
                for g in &mut groups {
                    let v = (g[0] - b'0') as u32 * 100
                        + (g[1] - b'0') as u32 * 10
                        + (g[2] - b'0') as u32;
                    self.push(v, 10);
                }
                match *groups.remainder() {
                    [a] => self.push((a - b'0') as u32, 4),
                    [a, b] => self.push((a - b'0') as u32 * 10 + (b - b'0') as u32, 7),
                    _ => {}
                }
            }
            Mode::Alphanumeric => {
                let mut pairs = data.chunks_exact(2);
                for p in &mut pairs {
                    let v =
                        ALNUM_VALUE[p[0] as usize] as u32 * 45 + ALNUM_VALUE[p[1] as usize] as u32;
                    self.push(v, 11);
                }
                if let [a] = *pairs.remainder() {
                    self.push(ALNUM_VALUE[a as usize] as u32, 6);
                }
            }
            Mode::Byte => {
                if self.pending == 0 {
                    self.bytes.extend_from_slice(data);
                } else {
                    let mut words = data.chunks_exact(4);
                    for w in &mut words {
                        self.push(u32::from_be_bytes([w[0], w[1], w[2], w[3]]), 32);
                    }
                    for &b in words.remainder() {
                        self.push(b as u32, 8);
                    }
                }
            }
            Mode::Kanji => {
                for pair in data.chunks_exact(2) {
                    let code = u16::from_be_bytes([pair[0], pair[1]]) as u32;
                    let v = if code <= 0x9FFC {
                        code - 0x8140
                    } else {
                        code - 0xC140
                    };
                    self.push((v >> 8) * 0xC0 + (v & 0xFF), 13);
                }
            }
        }
    }

    /// Finishes the data stream for a symbol of `capacity_bytes` data codewords:
    /// terminator, zero bits to a byte boundary, then the 0xEC/0x11 pad codewords.
    pub(crate) fn finish(mut self, capacity_bytes: usize) -> Vec<u8> {
        let capacity_bits = capacity_bytes * 8;
        debug_assert!(self.len() <= capacity_bits);
        let terminator = (capacity_bits - self.len()).min(4) as u32;
        self.push(0, terminator);
        let to_byte = (8 - self.pending % 8) % 8;
        self.push(0, to_byte);
        debug_assert_eq!(self.pending, 0);
        let mut pad = [0xEC, 0x11].iter().cycle();
        while self.bytes.len() < capacity_bytes {
            self.bytes.push(*pad.next().unwrap_or(&0xEC));
        }
        self.bytes
    }
}

impl BitBuffer {
    /// Finishes a Micro QR or rMQR data stream of `capacity_bits` bits: a
    /// terminator of up to `terminator` zero bits, zero bits to a codeword
    /// boundary, the 0xEC/0x11 pad codewords, and zeros for a final 4-bit
    /// codeword (Micro QR M1 and M3), which ends up in the high nibble of
    /// the last byte.
    pub(crate) fn finish_bits(mut self, capacity_bits: usize, terminator: u32) -> Vec<u8> {
        debug_assert!(self.len() <= capacity_bits);
        let room = |b: &BitBuffer| capacity_bits - b.len();
        let term = room(&self).min(terminator as usize) as u32;
        self.push(0, term);
        let to_byte = ((8 - self.pending % 8) % 8).min(room(&self) as u32);
        self.push(0, to_byte);
        let mut pad = [0xEC, 0x11].iter().cycle();
        while room(&self) >= 8 {
            self.push(*pad.next().unwrap_or(&0xEC), 8);
        }
        let rest = room(&self) as u32;
        self.push(0, rest);
        if self.pending > 0 {
            let fill = 8 - self.pending;
            self.push(0, fill);
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_example_of_the_standard() {
        // ISO/IEC 18004 7.4.3: "01234567" -> 0001 0000001000 0000001100 0101011001 1000011
        let mut b = BitBuffer::with_capacity(64);
        b.push_segment(
            &Segment::numeric("01234567").expect("digits"),
            Header::qr(0),
        );
        assert_eq!(b.len(), 41);
        let bytes = b.finish(16);
        assert_eq!(&bytes[..6], &[0x10, 0x20, 0x0C, 0x56, 0x61, 0x80]);
        assert_eq!(&bytes[6..8], &[0xEC, 0x11]);
    }

    #[test]
    fn alphanumeric_example_of_the_standard() {
        // 7.4.4: "AC-42" -> 0010 000000101 00111001110 11100111001 000010
        let mut b = BitBuffer::with_capacity(64);
        b.push_segment(
            &Segment::alphanumeric("AC-42").expect("alnum"),
            Header::qr(0),
        );
        assert_eq!(b.len(), 4 + 9 + 11 + 11 + 6);
        let seg = Segment::alphanumeric("AC-42").expect("alnum");
        assert_eq!(seg.bit_len(Header::qr(0)), 41);
    }

    #[test]
    #[allow(clippy::unusual_byte_groupings)] // grouped as the standard's fields
    fn kanji_example_of_the_standard() {
        // 7.4.6: 点 (0x935F) -> 0x0D9F, 茗 (0xE4AA) -> 0x1AAA
        assert_eq!(kanji_code('点'), Some(0x935F));
        assert_eq!(kanji_code('茗'), Some(0xE4AA));
        let mut b = BitBuffer::with_capacity(64);
        b.push_segment(&Segment::kanji("点茗").expect("kanji"), Header::qr(0));
        let bytes = b.finish(5);
        // 1000 00000010 0110110011111 1101010101010 then terminator
        let expect: u64 = 0b1000_00000010_0110110011111_1101010101010;
        let got =
            u64::from_be_bytes([0, 0, 0, bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]]) >> 2;
        assert_eq!(got, expect);
    }

    #[test]
    fn forced_mode_errors_name_the_index() {
        assert_eq!(
            Segment::numeric("12a4"),
            Err(EncodeError::UnencodableChar {
                mode: Mode::Numeric,
                index: 2,
                ch: 'a'
            })
        );
        assert_eq!(
            Segment::kanji("点x"),
            Err(EncodeError::UnencodableChar {
                mode: Mode::Kanji,
                index: 1,
                ch: 'x'
            })
        );
        assert!(Segment::eci(1_000_000).is_err());
    }

    #[test]
    fn eci_designators_use_one_two_or_three_bytes() {
        for (d, bits) in [(26u32, 12usize), (200, 20), (999_999, 28)] {
            let mut b = BitBuffer::with_capacity(32);
            b.push_segment(&Segment::eci(d).expect("eci"), Header::qr(0));
            assert_eq!(b.len(), bits);
            assert_eq!(eci_bits(d), bits);
        }
    }

    #[test]
    fn long_byte_segment_is_split_at_the_count_limit() {
        let seg = Segment::bytes(&[b'x'; 300]);
        assert_eq!(seg.bit_len(Header::qr(0)), 2 * 12 + 300 * 8);
        let mut b = BitBuffer::with_capacity(4000);
        b.push_segment(&seg, Header::qr(0));
        assert_eq!(b.len(), seg.bit_len(Header::qr(0)));
        assert_eq!(seg.bit_len(Header::qr(1)), 20 + 300 * 8);
    }
}
