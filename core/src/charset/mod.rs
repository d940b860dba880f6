//! Character sets of QR payloads: the charset each AIM ECI designator names
//! (ISO/IEC 18004 7.4.2 defines the mechanism) and strict decoders for them.
//!
//! Everything but Big5, GB 18030 (with GB 2312 and GBK) and EUC-KR is decoded
//! from our own tables (`tables.rs`, generated from the WHATWG indexes): the
//! single-byte charsets, Shift JIS (Kanji mode needs it, and the encoder uses
//! it), UTF-8/16/32. The three large Chinese and Korean tables come from
//! encoding_rs behind the `cjk-text` feature; without it (the WebAssembly
//! package) their payloads keep their bytes and have no text. Decoding is
//! strict everywhere: a byte sequence that is not text in its charset gives
//! `None`, never replacement characters.

#[rustfmt::skip]
mod tables;

/// How a run of payload bytes becomes text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    /// No ECI was in effect: the caller guesses ([`guess_unlabelled`]).
    Unlabelled,
    /// ISO-8859-1: every byte is the character of the same number.
    Latin1,
    /// Code page 437 (ECI 0 and 2).
    Cp437,
    /// US-ASCII: bytes above 0x7F are invalid.
    Ascii,
    /// A single-byte charset: ASCII below 0x80, the table above (the
    /// characters of 0x80-0xFF as high bytes, then low bytes).
    SingleByte(&'static [u8; 256]),
    /// Shift JIS as WHATWG defines it (JIS X 0208 plus extensions).
    ShiftJis,
    /// UTF-8.
    Utf8,
    /// UTF-16, big- or little-endian, without BOM handling.
    Utf16 {
        /// Big-endian byte order.
        big_endian: bool,
    },
    /// UTF-32, big- or little-endian.
    Utf32 {
        /// Big-endian byte order.
        big_endian: bool,
    },
    /// Big5 (ECI 28).
    Big5,
    /// GB 18030, which contains GB 2312 (ECI 29, Hanzi mode) and GBK (ECI 31).
    Gb18030,
    /// EUC-KR (ECI 30).
    EucKr,
    /// Binary data (ECI 899) or an ECI with no known charset: no text.
    None,
}

/// The charset of an AIM ECI designator.
pub(crate) fn for_eci(eci: u32) -> Charset {
    use tables as t;
    match eci {
        0 | 2 => Charset::Cp437,
        1 | 3 => Charset::Latin1,
        4 => Charset::SingleByte(&t::ISO_8859_2),
        5 => Charset::SingleByte(&t::ISO_8859_3),
        6 => Charset::SingleByte(&t::ISO_8859_4),
        7 => Charset::SingleByte(&t::ISO_8859_5),
        8 => Charset::SingleByte(&t::ISO_8859_6),
        9 => Charset::SingleByte(&t::ISO_8859_7),
        10 => Charset::SingleByte(&t::ISO_8859_8),
        11 => Charset::SingleByte(&t::ISO_8859_9),
        12 => Charset::SingleByte(&t::ISO_8859_10),
        13 => Charset::SingleByte(&t::ISO_8859_11),
        15 => Charset::SingleByte(&t::ISO_8859_13),
        16 => Charset::SingleByte(&t::ISO_8859_14),
        17 => Charset::SingleByte(&t::ISO_8859_15),
        18 => Charset::SingleByte(&t::ISO_8859_16),
        20 => Charset::ShiftJis,
        21 => Charset::SingleByte(&t::WINDOWS_1250),
        22 => Charset::SingleByte(&t::WINDOWS_1251),
        23 => Charset::SingleByte(&t::WINDOWS_1252),
        24 => Charset::SingleByte(&t::WINDOWS_1256),
        25 => Charset::Utf16 { big_endian: true },
        26 => Charset::Utf8,
        27 => Charset::Ascii,
        28 => Charset::Big5,
        // GB 2312 (29) and GBK (31) are subsets of GB 18030 (32).
        29 | 31 | 32 => Charset::Gb18030,
        30 => Charset::EucKr,
        33 => Charset::Utf16 { big_endian: false },
        34 => Charset::Utf32 { big_endian: true },
        35 => Charset::Utf32 { big_endian: false },
        _ => Charset::None,
    }
}

/// Whether ASCII bytes mean ASCII characters in the charset, so that
/// numeric and alphanumeric segments can join its runs.
pub(crate) fn ascii_compatible(c: Charset) -> bool {
    !matches!(c, Charset::Utf16 { .. } | Charset::Utf32 { .. })
}

/// Decodes `bytes` strictly in a (non-guessed) charset.
pub(crate) fn decode(charset: Charset, bytes: &[u8]) -> Option<String> {
    match charset {
        Charset::Latin1 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Charset::Cp437 => decode(Charset::SingleByte(&CP437), bytes),
        Charset::Ascii => bytes
            .is_ascii()
            .then(|| bytes.iter().map(|&b| char::from(b)).collect()),
        Charset::SingleByte(planes) => bytes
            .iter()
            .map(|&b| match b.checked_sub(0x80) {
                Some(hi) => {
                    let hi = usize::from(hi);
                    match u16::from_be_bytes([planes[hi], planes[128 + hi]]) {
                        0 => None,
                        v => char::from_u32(u32::from(v)),
                    }
                }
                None => Some(char::from(b)),
            })
            .collect(),
        Charset::ShiftJis => decode_shift_jis(bytes),
        Charset::Utf8 => core::str::from_utf8(bytes).ok().map(str::to_owned),
        Charset::Utf16 { big_endian } => {
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units = bytes.chunks_exact(2).map(|w| {
                if big_endian {
                    u16::from_be_bytes([w[0], w[1]])
                } else {
                    u16::from_le_bytes([w[0], w[1]])
                }
            });
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        Charset::Utf32 { big_endian } => {
            if bytes.len() % 4 != 0 {
                return None;
            }
            bytes
                .chunks_exact(4)
                .map(|w| {
                    let quad = [w[0], w[1], w[2], w[3]];
                    let v = if big_endian {
                        u32::from_be_bytes(quad)
                    } else {
                        u32::from_le_bytes(quad)
                    };
                    char::from_u32(v)
                })
                .collect()
        }
        Charset::Big5 | Charset::Gb18030 | Charset::EucKr => decode_cjk(charset, bytes),
        Charset::Unlabelled | Charset::None => None,
    }
}

/// Big5, GB 18030 and EUC-KR through encoding_rs.
#[cfg(feature = "cjk-text")]
fn decode_cjk(charset: Charset, bytes: &[u8]) -> Option<String> {
    let enc = match charset {
        Charset::Big5 => encoding_rs::BIG5,
        Charset::Gb18030 => encoding_rs::GB18030,
        Charset::EucKr => encoding_rs::EUC_KR,
        _ => return None,
    };
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
}

/// Without the `cjk-text` feature these payloads have bytes but no text.
#[cfg(not(feature = "cjk-text"))]
fn decode_cjk(_charset: Charset, _bytes: &[u8]) -> Option<String> {
    None
}

/// Shift JIS per the WHATWG decoder, strict: ASCII and 0x80 as themselves,
/// 0xA1-0xDF half-width katakana, lead 0x81-0x9F / 0xE0-0xFC with trail
/// 0x40-0x7E / 0x80-0xFC a double-byte character by pointer (the user-defined
/// pointers 8836-10715 are private use); anything else is not text.
pub(crate) fn decode_shift_jis(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut it = bytes.iter().copied();
    while let Some(b) = it.next() {
        let c = match b {
            0x00..=0x80 => u32::from(b),
            0xA1..=0xDF => 0xFF61 + u32::from(b - 0xA1),
            0x81..=0x9F | 0xE0..=0xFC => {
                let trail = it.next()?;
                let lead_off = if b < 0xA0 { 0x81 } else { 0xC1 };
                let trail_off = match trail {
                    0x40..=0x7E => 0x40,
                    0x80..=0xFC => 0x41,
                    _ => return None,
                };
                let pointer = usize::from(b - lead_off) * 188 + usize::from(trail - trail_off);
                let high = *tables::SHIFT_JIS_HIGH.get(pointer)?;
                let low = *tables::SHIFT_JIS_LOW.get(pointer)?;
                match u16::from_be_bytes([high, low]) {
                    0 => return None,
                    v => u32::from(v),
                }
            }
            _ => return None,
        };
        out.push(char::from_u32(c)?);
    }
    Some(out)
}

/// The charset to assume for bytes that no ECI labels.
///
/// ISO/IEC 18004 makes ISO-8859-1 the default, but real symbols written
/// without ECI are overwhelmingly UTF-8 (every current phone encoder), and
/// Japanese ones Shift JIS. So: UTF-8 if the bytes are valid UTF-8; else
/// Shift JIS if they are valid Shift JIS and either the symbol has Kanji
/// segments, or the bytes hold at least one double-byte character, or a run
/// of three or more half-width katakana (0xA1-0xDF: in ISO-8859-1 these are
/// accented capitals and signs, which real text does not string together);
/// else ISO-8859-1, which accepts anything.
pub(crate) fn guess_unlabelled(bytes: &[u8], has_kanji: bool) -> Charset {
    if core::str::from_utf8(bytes).is_ok() {
        return Charset::Utf8;
    }
    if let Some(s) = decode_shift_jis(bytes) {
        // Fewer characters than bytes means some were double-byte.
        let katakana_run = bytes
            .split(|b| !(0xA1..=0xDF).contains(b))
            .any(|run| run.len() >= 3);
        if has_kanji || s.chars().count() < bytes.len() || katakana_run {
            return Charset::ShiftJis;
        }
    }
    Charset::Latin1
}

/// Code page 437, bytes 0x80-0xFF (0x00-0x7F are taken as ASCII).
const CP437_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', //
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', //
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', //
    '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', //
    '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', //
    '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐', '▀', //
    'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', //
    '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{A0}',
];

/// [`CP437_HIGH`] as a [`Charset::SingleByte`] table (every character is in
/// the Basic Multilingual Plane).
static CP437: [u8; 256] = {
    let mut planes = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        let [_, _, high, low] = (CP437_HIGH[i] as u32).to_be_bytes();
        planes[i] = high;
        planes[128 + i] = low;
        i += 1;
    }
    planes
};

#[cfg(test)]
mod tests {
    use super::*;

    /// encoding_rs (the WHATWG reference implementation we generated the
    /// tables from) on the same bytes.
    fn reference(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Option<String> {
        enc.decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| s.into_owned())
    }

    #[test]
    fn single_byte_tables_equal_the_whatwg_indexes() {
        use encoding_rs as e;
        let exact = [
            (4, e::ISO_8859_2),
            (5, e::ISO_8859_3),
            (6, e::ISO_8859_4),
            (7, e::ISO_8859_5),
            (8, e::ISO_8859_6),
            (9, e::ISO_8859_7),
            (10, e::ISO_8859_8),
            (12, e::ISO_8859_10),
            (15, e::ISO_8859_13),
            (16, e::ISO_8859_14),
            (17, e::ISO_8859_15),
            (18, e::ISO_8859_16),
            (21, e::WINDOWS_1250),
            (22, e::WINDOWS_1251),
            (23, e::WINDOWS_1252),
            (24, e::WINDOWS_1256),
        ];
        for (eci, enc) in exact {
            for b in 0..=255u8 {
                assert_eq!(
                    decode(for_eci(eci), &[b]),
                    reference(enc, &[b]),
                    "ECI {eci} {b:#04X}"
                );
            }
        }
        // ISO-8859-9 and -11: C1 controls, then their windows supersets.
        for (eci, enc) in [(11, e::WINDOWS_1254), (13, e::WINDOWS_874)] {
            for b in 0..=255u8 {
                let expected = if (0x80..=0x9F).contains(&b) {
                    Some(char::from(b).to_string())
                } else {
                    reference(enc, &[b])
                };
                assert_eq!(decode(for_eci(eci), &[b]), expected, "ECI {eci} {b:#04X}");
            }
        }
        assert_eq!(decode(for_eci(4), b"\xA3\xF3d\xBC"), Some("Łódź".into()));
    }

    #[test]
    fn cp437_reads_its_high_half_through_the_table() {
        let bytes: Vec<u8> = (0x80..=0xFF).chain([b'A']).collect();
        let text: String = CP437_HIGH.iter().chain(['A'].iter()).collect();
        assert_eq!(decode(for_eci(2), &bytes), Some(text));
    }

    #[test]
    fn shift_jis_equals_the_whatwg_decoder_on_every_one_and_two_byte_input() {
        let sjis = encoding_rs::SHIFT_JIS;
        for a in 0..=255u8 {
            assert_eq!(decode_shift_jis(&[a]), reference(sjis, &[a]), "{a:#04X}");
            for b in 0..=255u8 {
                let pair = [a, b];
                assert_eq!(
                    decode_shift_jis(&pair),
                    reference(sjis, &pair),
                    "{pair:02X?}"
                );
            }
        }
        // Longer mixed texts, including a truncated final pair.
        let (bytes, _, bad) = sjis.encode("点茗 ｱｲｳ abc ①");
        assert!(!bad);
        // The user-defined area decodes to private use (WHATWG never encodes it).
        let bytes = [&bytes[..], &[0xF0, 0x40]].concat();
        assert_eq!(
            decode_shift_jis(&bytes).as_deref(),
            Some("点茗 ｱｲｳ abc ①\u{E000}")
        );
        assert_eq!(decode_shift_jis(&bytes[..bytes.len() - 1]), None);
    }

    #[test]
    fn utf16_is_strict_about_length_and_surrogates() {
        for eci in [25, 33] {
            let Charset::Utf16 { big_endian } = for_eci(eci) else {
                panic!("ECI {eci} is UTF-16");
            };
            let units: Vec<u16> = "a€😀\u{FEFF}".encode_utf16().collect();
            let bytes: Vec<u8> = units
                .iter()
                .flat_map(|u| {
                    if big_endian {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect();
            let enc = if big_endian {
                encoding_rs::UTF_16BE
            } else {
                encoding_rs::UTF_16LE
            };
            assert_eq!(decode(for_eci(eci), &bytes), reference(enc, &bytes));
            assert_eq!(
                decode(for_eci(eci), &bytes).as_deref(),
                Some("a€😀\u{FEFF}")
            );
            // Odd length; a lone high surrogate.
            assert_eq!(decode(for_eci(eci), &bytes[..3]), None);
            let lone: &[u8] = if big_endian {
                &[0xD8, 0x00]
            } else {
                &[0x00, 0xD8]
            };
            assert_eq!(decode(for_eci(eci), lone), None);
        }
    }

    #[cfg(feature = "cjk-text")]
    #[test]
    fn chinese_and_korean_through_encoding_rs() {
        assert_eq!(
            decode(for_eci(28), b"\xA4\xA4\xA4\xE5").as_deref(),
            Some("中文")
        );
        assert_eq!(
            decode(for_eci(29), b"\xD6\xD0\xCE\xC4").as_deref(),
            Some("中文")
        );
        assert_eq!(
            decode(for_eci(30), b"\xC7\xD1\xB1\xDB").as_deref(),
            Some("한글")
        );
    }

    #[cfg(not(feature = "cjk-text"))]
    #[test]
    fn chinese_and_korean_have_no_text_without_the_feature() {
        assert_eq!(decode(for_eci(28), b"\xA4\xA4"), None);
        assert_eq!(decode(for_eci(26), "中".as_bytes()).as_deref(), Some("中"));
    }
}
