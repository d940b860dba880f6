//! Structured append (ISO/IEC 18004 clause 8): one message written over up
//! to 16 symbols, each a valid symbol on its own that starts with a header
//! naming its position, the number of symbols and the parity of the message.

use crate::code::QrCode;
use crate::error::EncodeError;

use super::optimize::{self, CharInfo};
use super::segment::{Segment, SegmentKind};
use super::{build, choose, Choice, EncodeOptions, Plan, ECI_UTF8};

/// How many symbols to write a message over, for [`encode_text_split`] and
/// [`encode_bytes_split`]: automatically as few as the largest allowed
/// version needs, or exactly `n` (1 to 16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Split(u8);

impl Split {
    /// One symbol without a structured-append header when the data fits the
    /// largest allowed version ([`EncodeOptions::max_version`]), else the
    /// fewest parts (2 to 16) that each fit it.
    pub const AUTO: Split = Split(0);

    /// Exactly `n` symbols, 1 to 16, all with a structured-append header.
    pub const fn parts(n: u8) -> Result<Split, EncodeError> {
        if n >= 1 && n <= MAX_PARTS {
            Ok(Split(n))
        } else {
            Err(EncodeError::InvalidPartCount(n as u32))
        }
    }

    /// The number of parts asked for, or `None` for [`Split::AUTO`].
    pub const fn count(self) -> Option<u8> {
        if self.0 == 0 {
            None
        } else {
            Some(self.0)
        }
    }
}

/// The most symbols a structured-append message may have.
const MAX_PARTS: u8 = 16;

/// Writes text over several symbols with structured append (clause 8).
///
/// Each part holds a contiguous run of characters, segmented optimally like
/// [`encode_text`](crate::encode_text), with the parts balanced by their bit
/// cost; all parts use the same version (the largest any part needs, within
/// the options' range) so they print at the same size. The parity byte is
/// the XOR of every payload byte a reader gets back. With [`Split::AUTO`]
/// data that fits one symbol gives one symbol without a header.
///
/// The options' forced [`mode`](EncodeOptions::mode) is not used: the parts
/// are always segmented optimally. With
/// [`eci_utf8`](EncodeOptions::eci_utf8) every part declares UTF-8.
pub fn encode_text_split(
    text: &str,
    split: Split,
    options: &EncodeOptions,
) -> Result<Vec<QrCode>, EncodeError> {
    options.check()?;
    check_qr(options)?;
    if split == Split::AUTO {
        match super::encode_text(text, options) {
            Err(EncodeError::DataTooLong { .. }) => {}
            other => return other.map(|code| vec![code]),
        }
    }
    let kanji = options.kanji && !options.eci_utf8;
    let chars = optimize::classify_text(text, kanji);
    let prefix: &[Segment] = if options.eci_utf8 { &ECI_UTF8 } else { &[] };
    split_chars(text.as_bytes(), &chars, prefix, split, options)
}

/// Writes bytes over several symbols with structured append; see
/// [`encode_text_split`]. The bytes are kept exactly (no charset declared).
pub fn encode_bytes_split(
    data: &[u8],
    split: Split,
    options: &EncodeOptions,
) -> Result<Vec<QrCode>, EncodeError> {
    options.check()?;
    check_qr(options)?;
    if split == Split::AUTO {
        match super::encode_bytes(data, options) {
            Err(EncodeError::DataTooLong { .. }) => {}
            other => return other.map(|code| vec![code]),
        }
    }
    let chars = optimize::classify_bytes(data);
    split_chars(data, &chars, &[], split, options)
}

/// Structured append is a QR Code feature.
fn check_qr(options: &EncodeOptions) -> Result<(), EncodeError> {
    match options.symbology {
        crate::symbol::Symbology::Qr => Ok(()),
        symbology => Err(EncodeError::Unsupported {
            symbology,
            feature: "structured append",
        }),
    }
}

fn split_chars(
    input: &[u8],
    chars: &[CharInfo],
    prefix: &[Segment],
    split: Split,
    options: &EncodeOptions,
) -> Result<Vec<QrCode>, EncodeError> {
    let counts: Vec<u8> = match split.count() {
        Some(n) => vec![n],
        None => (2..=MAX_PARTS).collect(),
    };
    let mut last_err = None;
    for n in counts {
        if chars.len() < n as usize {
            return Err(EncodeError::TooFewCharacters {
                parts: n as usize,
                chars: chars.len(),
            });
        }
        match encode_parts(input, chars, prefix, n, options) {
            Ok(codes) => return Ok(codes),
            // Too long for n parts: try one more (automatic split only).
            Err(e @ EncodeError::DataTooLong { .. }) => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or(EncodeError::InvalidPartCount(0)))
}

/// Encodes the characters as exactly `n` parts.
fn encode_parts(
    input: &[u8],
    chars: &[CharInfo],
    prefix: &[Segment],
    n: u8,
    options: &EncodeOptions,
) -> Result<Vec<QrCode>, EncodeError> {
    let cuts = balanced_cuts(chars, n as usize);
    // The header is 20 bits whatever its values, so versions can be chosen
    // before the parity is known.
    let header = |index: u8, parity: u8| Segment {
        kind: SegmentKind::StructuredAppend {
            index,
            count: n,
            parity,
        },
    };
    let mut pieces = Vec::with_capacity(n as usize);
    let mut start_char = 0;
    let mut start_byte = 0;
    for &end_char in &cuts {
        let len: usize = chars[start_char..end_char]
            .iter()
            .map(|c| c.len as usize)
            .sum();
        pieces.push((
            &input[start_byte..start_byte + len],
            &chars[start_char..end_char],
        ));
        start_char = end_char;
        start_byte += len;
    }
    debug_assert_eq!(start_byte, input.len());

    let with_header = |index: u8, parity: u8| {
        let mut p = vec![header(index, parity)];
        p.extend_from_slice(prefix);
        p
    };
    // First pass: the version each part needs; all then use the largest.
    let mut top = options.min_version;
    for (index, &(bytes, cs)) in pieces.iter().enumerate() {
        let plan = Plan::Optimal {
            input: bytes,
            chars: cs.to_vec(),
        };
        let choice = choose(&with_header(index as u8, 0), &plan, options)?;
        top = top.max(choice.version);
    }
    let same = options.clone().min_version(top);
    let mut choices: Vec<Choice> = Vec::with_capacity(pieces.len());
    for (index, &(bytes, cs)) in pieces.iter().enumerate() {
        let plan = Plan::Optimal {
            input: bytes,
            chars: cs.to_vec(),
        };
        choices.push(choose(&with_header(index as u8, 0), &plan, &same)?);
    }
    // Parity: XOR of the payload bytes as readers return them (Kanji
    // segments as their Shift JIS pairs).
    let parity = choices
        .iter()
        .flat_map(|c| &c.segs)
        .filter_map(|s| match &s.kind {
            SegmentKind::Data { data, .. } => Some(data.iter().fold(0u8, |a, b| a ^ b)),
            _ => None,
        })
        .fold(0u8, |a, b| a ^ b);
    choices
        .into_iter()
        .enumerate()
        .map(|(index, choice)| build(&with_header(index as u8, parity), choice, &same))
        .collect()
}

/// End indices (exclusive) of `n` non-empty runs of characters with about
/// the same cost in bits each.
fn balanced_cuts(chars: &[CharInfo], n: usize) -> Vec<usize> {
    debug_assert!(n >= 1 && chars.len() >= n);
    let costs: Vec<u64> = chars.iter().map(optimize::cheapest_cost).collect();
    let total: u64 = costs.iter().sum();
    let mut cuts = Vec::with_capacity(n);
    let mut acc = 0u64;
    let mut i = 0;
    for k in 1..n {
        let target = total * k as u64 / n as u64;
        // Leave at least one character for each remaining part.
        let last = chars.len() - (n - k);
        while i < last && (acc < target || i < cuts.last().map_or(1, |&c| c + 1)) {
            acc += costs[i];
            i += 1;
        }
        cuts.push(i);
    }
    cuts.push(chars.len());
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbol::StructuredAppend;
    use crate::symbol::Version;

    #[test]
    fn cuts_are_non_empty_and_ordered() {
        let chars = optimize::classify_text("abcdefghij", false);
        for n in 1..=10 {
            let cuts = balanced_cuts(&chars, n);
            assert_eq!(cuts.len(), n);
            assert_eq!(cuts.last(), Some(&10));
            let mut prev = 0;
            for &c in &cuts {
                assert!(c > prev, "n {n}: {cuts:?}");
                prev = c;
            }
        }
    }

    #[test]
    fn parts_carry_headers_and_one_version() {
        let text = "Tour de l'Horloge, 1512: the clock tower of the old town. ".repeat(6);
        let codes = encode_text_split(
            &text,
            Split::parts(3).expect("3"),
            &EncodeOptions::default(),
        )
        .expect("fits");
        assert_eq!(codes.len(), 3);
        let parity = text.bytes().fold(0u8, |a, b| a ^ b);
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(
                c.structured_append(),
                Some(StructuredAppend {
                    index: i as u8,
                    count: 3,
                    parity
                })
            );
            assert_eq!(c.version(), codes[0].version());
        }
    }

    #[test]
    fn automatic_split_only_when_needed() {
        let opts = EncodeOptions::default().max_version(Version::new(5).expect("v"));
        let one = encode_text_split("short", Split::AUTO, &opts).expect("fits");
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].structured_append(), None);
        let long = "x".repeat(400);
        let many = encode_text_split(&long, Split::AUTO, &opts).expect("fits");
        assert!(many.len() >= 4, "{} parts", many.len());
        assert!(many.iter().all(|c| c.version().number() <= 5));
        // 16 version-1 symbols cannot hold it.
        let tiny = EncodeOptions::default().max_version(Version::MIN);
        assert!(matches!(
            encode_text_split(&long, Split::AUTO, &tiny),
            Err(EncodeError::DataTooLong { .. })
        ));
    }

    #[test]
    fn part_counts_are_checked() {
        assert_eq!(Split::parts(0), Err(EncodeError::InvalidPartCount(0)));
        assert_eq!(Split::parts(17), Err(EncodeError::InvalidPartCount(17)));
        assert_eq!(
            encode_text_split("ab", Split::parts(3).expect("3"), &EncodeOptions::default()),
            Err(EncodeError::TooFewCharacters { parts: 3, chars: 2 })
        );
    }
}
