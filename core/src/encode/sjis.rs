//! Shift JIS for the encoder: the code of a character (Kanji mode, ISO/IEC
//! 18004 7.4.6) and whole texts as Shift JIS bytes.
//!
//! The table is the inverse of our Shift JIS *decoder* (`crate::charset`,
//! whose table the reader needs anyway), built once. The result equals the
//! WHATWG Shift_JIS encoder on every character whose bytes decode back to it;
//! the test below checks all of Unicode against encoding_rs's encoder.

use std::sync::OnceLock;

/// (non-ASCII character, its Shift JIS code: one byte 0x80 or 0xA1-0xDF, or
/// two bytes big-endian), sorted by character. A sorted table rather than a
/// hash map: less code in the WebAssembly build, and lookups are rare.
fn table() -> &'static [(char, u16)] {
    static TABLE: OnceLock<Vec<(char, u16)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut entries = Vec::with_capacity(7800);
        // Single bytes: U+0080 and the half-width katakana.
        for b in [0x80].into_iter().chain(0xA1..=0xDF) {
            if let Some(c) = decode_one(&[b]) {
                entries.push((c, u16::from(b)));
            }
        }
        // Double bytes in pointer order, skipping the pointers the WHATWG
        // encoder never produces: the NEC-selected IBM extensions (8272-8835,
        // duplicated at 0xFA40-) and the user-defined area (8836-10715).
        for pointer in 0u16..11280 {
            if (8272..=10715).contains(&pointer) {
                continue;
            }
            let (lead, trail) = (pointer / 188, pointer % 188);
            let lead = lead as u8 + if lead < 0x1F { 0x81 } else { 0xC1 };
            let trail = trail as u8 + if trail < 0x3F { 0x40 } else { 0x41 };
            if let Some(c) = decode_one(&[lead, trail]) {
                entries.push((c, u16::from_be_bytes([lead, trail])));
            }
        }
        // The first code of a character wins: codes rise in push order, so
        // sorting by (character, code) keeps it first, and dedup keeps it.
        entries.sort_unstable();
        entries.dedup_by_key(|&mut (c, _)| c);
        entries
    })
}

/// The single character `bytes` decode to, if they are valid Shift JIS.
fn decode_one(bytes: &[u8]) -> Option<char> {
    let s = crate::charset::decode_shift_jis(bytes)?;
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The Shift JIS code of a non-ASCII character: one byte (below 0x100) or
/// two bytes big-endian; `None` for ASCII and unmappable characters.
pub(crate) fn code(c: char) -> Option<u16> {
    if c.is_ascii() {
        return None;
    }
    let table = table();
    table
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|i| table[i].1)
}

/// `text` as Shift JIS bytes, or `None` if some character has no Shift JIS
/// code. ASCII is taken as is (0x5C and 0x7E decode back to `\` and `~`, as
/// WHATWG and phone readers have it).
pub(crate) fn encode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else {
            let code = code(c)?;
            if code > 0xFF {
                out.extend_from_slice(&code.to_be_bytes());
            } else {
                out.push(code as u8);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// encoding_rs's encoder on one character: its bytes, if mappable.
    fn reference(c: char) -> Option<Vec<u8>> {
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
        (!unmappable).then(|| bytes.into_owned())
    }

    #[test]
    fn equals_encoding_rs_on_every_character_that_round_trips() {
        let mut mapped = 0;
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            let ours = encode(c.encode_utf8(&mut [0u8; 4]));
            let theirs = reference(c);
            // WHATWG also maps U+00A5 -> 0x5C, U+203E -> 0x7E and U+2212 ->
            // 0x817C, whose bytes decode to other characters (\, ~, U+FF0D):
            // not round trips, so not ours.
            let round_trips = theirs.as_ref().is_some_and(|b| decode_one(b) == Some(c));
            if round_trips {
                assert_eq!(ours, theirs, "{c:?} U+{:04X}", c as u32);
                mapped += 1;
            } else {
                assert_eq!(ours, None, "{c:?} U+{:04X}", c as u32);
            }
        }
        // ASCII (128), U+0080, 63 half-width katakana, JIS X 0208 and the IBM extensions.
        assert!(mapped > 7000, "{mapped}");
    }

    #[test]
    fn known_codes() {
        assert_eq!(code('点'), Some(0x935F));
        assert_eq!(code('茗'), Some(0xE4AA));
        assert_eq!(code('ｱ'), Some(0xB1));
        assert_eq!(code('A'), None);
        assert_eq!(code('\u{2212}'), None);
        assert_eq!(encode("a点ｱ"), Some(vec![b'a', 0x93, 0x5F, 0xB1]));
        assert_eq!(encode("é"), None);
    }
}
