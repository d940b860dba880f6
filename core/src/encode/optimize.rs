//! Optimal segmentation (ISO/IEC 18004 Annex J, done exactly): a dynamic
//! programme over the characters and the four modes finds the mode sequence
//! with the fewest bits for one version width class.
//!
//! Costs are in sixths of a bit so that numeric (10/3 bits per digit) and
//! alphanumeric (11/2 bits per character) are exact; a segment's cost is
//! rounded up to whole bits where it ends, which gives the true bit count.

use crate::symbol::Mode;

use super::segment::{is_alphanumeric, is_numeric, kanji_code, Segment};
use crate::symbol::header::Header;

/// What each mode can do with one input character.
#[derive(Clone, Copy)]
pub(crate) struct CharInfo {
    /// The character's byte length in the input (UTF-8 length for text).
    pub(crate) len: u8,
    pub(crate) numeric: bool,
    pub(crate) alnum: bool,
    /// Shift JIS code when Kanji mode can carry the character.
    pub(crate) kanji: Option<u16>,
}

const MODES: [Mode; 4] = [Mode::Numeric, Mode::Alphanumeric, Mode::Byte, Mode::Kanji];
const INF: u32 = u32::MAX / 2;

/// Classifies the characters of `text`; Kanji is looked up only when allowed.
pub(crate) fn classify_text(text: &str, kanji: bool) -> Vec<CharInfo> {
    text.chars()
        .map(|c| {
            let b = if c.is_ascii() { c as u8 } else { 0 };
            CharInfo {
                len: c.len_utf8() as u8,
                numeric: is_numeric(b),
                alnum: is_alphanumeric(b),
                kanji: if kanji { kanji_code(c) } else { None },
            }
        })
        .collect()
}

/// The text as Shift JIS bytes with its characters classified, when every
/// character survives the round trip (so no reader sees a different text).
pub(crate) fn classify_text_sjis(text: &str) -> Option<(Vec<u8>, Vec<CharInfo>)> {
    let bytes = super::sjis::encode(text)?;
    if crate::charset::decode_shift_jis(&bytes).as_deref() != Some(text) {
        return None;
    }
    let mut chars = Vec::with_capacity(text.len());
    let mut i = 0;
    for c in text.chars() {
        let b = if c.is_ascii() { c as u8 } else { 0 };
        // Lead bytes 0x81-0x9F and 0xE0-0xFC start a double-byte character.
        let len = match bytes.get(i) {
            Some(0x81..=0x9F | 0xE0..=0xFC) => 2,
            _ => 1,
        };
        chars.push(CharInfo {
            len,
            numeric: is_numeric(b),
            alnum: is_alphanumeric(b),
            kanji: kanji_code(c),
        });
        i += len as usize;
    }
    (i == bytes.len()).then_some((bytes, chars))
}

/// Classifies raw bytes (no Kanji: the bytes are not known to be Shift JIS).
pub(crate) fn classify_bytes(data: &[u8]) -> Vec<CharInfo> {
    data.iter()
        .map(|&b| CharInfo {
            len: 1,
            numeric: is_numeric(b),
            alnum: is_alphanumeric(b),
            kanji: None,
        })
        .collect()
}

/// Cost in sixths of a bit of one character in each mode (`INF` if impossible).
#[inline]
fn char_costs(c: &CharInfo) -> [u32; 4] {
    [
        if c.numeric { 20 } else { INF },
        if c.alnum { 33 } else { INF },
        48 * c.len as u32,
        if c.kanji.is_some() { 78 } else { INF },
    ]
}

/// Cost in sixths of a bit of one character in its cheapest mode.
pub(crate) fn cheapest_cost(c: &CharInfo) -> u64 {
    char_costs(c).into_iter().min().unwrap_or(INF) as u64
}

/// Bits the characters need at the very least: each in its cheapest mode,
/// without any segment header.
pub(crate) fn lower_bound_bits(chars: &[CharInfo]) -> usize {
    let sixths: u64 = chars
        .iter()
        .map(|c| char_costs(c).into_iter().min().unwrap_or(INF) as u64)
        .sum();
    (sixths / 6) as usize
}

#[inline]
fn round_up_to_bit(sixths: u32) -> u32 {
    sixths.div_ceil(6) * 6
}

/// The mode of each character in the cheapest encoding for a symbol with
/// header widths `h`, or `None` when some character fits no mode it allows.
pub(crate) fn optimal_modes(chars: &[CharInfo], h: Header) -> Option<Vec<Mode>> {
    let n = chars.len();
    if n == 0 {
        return Some(Vec::new());
    }
    let header: [u32; 4] = MODES.map(|m| (h.mode_bits + h.count(m)) * 6);
    // from[i * 4 + m]: mode index of character i - 1 on the best path that puts
    // character i in mode m.
    let mut from = vec![0u8; n * 4];
    let mut cost = [0u32; 4];
    for (i, c) in chars.iter().enumerate() {
        let mut cc = char_costs(c);
        for (m, cost) in MODES.iter().zip(cc.iter_mut()) {
            if !h.allows(*m) {
                *cost = INF;
            }
        }
        if cc.iter().all(|&c| c >= INF) {
            return None;
        }
        let mut next = [INF; 4];
        if i == 0 {
            for m in 0..4 {
                next[m] = header[m].saturating_add(cc[m]);
            }
        } else {
            // Cheapest finished segment to switch from.
            let (best_j, best_end) = (0..4)
                .map(|j| (j, round_up_to_bit(cost[j])))
                .min_by_key(|&(_, c)| c)
                .unwrap_or((0, INF));
            for m in 0..4 {
                if cc[m] >= INF {
                    continue;
                }
                let stay = cost[m];
                let switch = best_end + header[m];
                let (base, prev) = if stay <= switch {
                    (stay, m)
                } else {
                    (switch, best_j)
                };
                next[m] = base.saturating_add(cc[m]);
                from[i * 4 + m] = prev as u8;
            }
        }
        cost = next;
    }
    // Best final mode, then walk the back-pointers.
    let mut m = (0..4)
        .min_by_key(|&m| round_up_to_bit(cost[m]))
        .unwrap_or(2);
    let mut modes = vec![Mode::Byte; n];
    for i in (0..n).rev() {
        modes[i] = MODES[m];
        if i > 0 {
            m = from[i * 4 + m] as usize;
        }
    }
    Some(modes)
}

/// Turns per-character modes into segments over `input` (text or raw bytes).
pub(crate) fn make_segments(input: &[u8], chars: &[CharInfo], modes: &[Mode]) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut i = 0;
    let mut offset = 0;
    while i < chars.len() {
        let mode = modes[i];
        let start = offset;
        let mut j = i;
        let mut kanji = Vec::new();
        while j < chars.len() && modes[j] == mode {
            if let (Mode::Kanji, Some(code)) = (mode, chars[j].kanji) {
                kanji.extend_from_slice(&code.to_be_bytes());
            }
            offset += chars[j].len as usize;
            j += 1;
        }
        let data = if mode == Mode::Kanji {
            kanji
        } else {
            input[start..offset].to_vec()
        };
        let count = if mode == Mode::Byte {
            offset - start
        } else {
            j - i
        };
        segments.push(Segment::data(mode, count, data));
        i = j;
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modes_of(text: &str, class: usize) -> Vec<(Mode, usize)> {
        let chars = classify_text(text, true);
        let modes = optimal_modes(&chars, Header::qr(class)).expect("encodable");
        make_segments(text.as_bytes(), &chars, &modes)
            .iter()
            .filter_map(|s| s.mode().map(|m| (m, s.char_count())))
            .collect()
    }

    fn bits(text: &str, class: usize) -> usize {
        let chars = classify_text(text, true);
        let modes = optimal_modes(&chars, Header::qr(class)).expect("encodable");
        make_segments(text.as_bytes(), &chars, &modes)
            .iter()
            .map(|s| s.bit_len(Header::qr(class)))
            .sum()
    }

    #[test]
    fn single_mode_inputs_stay_in_one_segment() {
        assert_eq!(modes_of("0123456789", 0), vec![(Mode::Numeric, 10)]);
        assert_eq!(modes_of("HELLO WORLD", 0), vec![(Mode::Alphanumeric, 11)]);
        assert_eq!(modes_of("hello", 0), vec![(Mode::Byte, 5)]);
        assert_eq!(modes_of("点茗", 0), vec![(Mode::Kanji, 2)]);
    }

    #[test]
    fn long_digit_run_inside_text_gets_its_own_segment() {
        let text = "https://example.org/t/12345678901234567890123";
        let segs = modes_of(text, 0);
        assert!(segs.contains(&(Mode::Numeric, 23)), "{segs:?}");
        // Never worse than plain byte mode.
        assert!(bits(text, 0) < 12 + 8 * text.len());
    }

    #[test]
    fn short_digit_run_is_not_worth_a_switch() {
        assert_eq!(modes_of("abc12def", 0), vec![(Mode::Byte, 8)]);
    }

    #[test]
    fn kanji_mixed_with_ascii() {
        let segs = modes_of("東京都ABC", 0);
        assert_eq!(segs[0], (Mode::Kanji, 3));
        // UTF-8 bytes would cost 9 * 8; Kanji 3 * 13 plus a header.
        assert!(bits("東京都", 0) == 12 + 39);
    }

    #[test]
    fn dp_matches_brute_force_on_small_inputs() {
        // Exhaustive check over every mode assignment for short strings.
        let alphabet = ['0', '7', 'A', 'Z', ' ', 'a', '点', 'é'];
        let mut state = 12345u32;
        for _ in 0..300 {
            let len = 1 + (state % 7) as usize;
            let mut s = String::new();
            for _ in 0..len {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                s.push(alphabet[(state >> 16) as usize % alphabet.len()]);
            }
            for class in 0..3 {
                let chars = classify_text(&s, true);
                let best = brute_force(&s, &chars, class);
                assert_eq!(bits(&s, class), best, "{s:?} class {class}");
            }
        }
    }

    fn brute_force(s: &str, chars: &[CharInfo], class: usize) -> usize {
        let n = chars.len();
        let mut best = usize::MAX;
        for code in 0..4usize.pow(n as u32) {
            let modes: Vec<Mode> = (0..n)
                .map(|i| MODES[code / 4usize.pow(i as u32) % 4])
                .collect();
            let ok = chars.iter().zip(&modes).all(|(c, m)| match m {
                Mode::Numeric => c.numeric,
                Mode::Alphanumeric => c.alnum,
                Mode::Byte => true,
                Mode::Kanji => c.kanji.is_some(),
            });
            if ok {
                let total: usize = make_segments(s.as_bytes(), chars, &modes)
                    .iter()
                    .map(|seg| seg.bit_len(Header::qr(class)))
                    .sum();
                best = best.min(total);
            }
        }
        best
    }
}
