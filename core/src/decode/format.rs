//! Format information (ISO/IEC 18004 7.9: EC level and mask, BCH(15,5)) and
//! version information (7.10: BCH(18,6), versions 7 and up), read from a
//! sampled grid by nearest-codeword matching.
//!
//! Both codes have minimum distance 7 (format: 32 codewords of 15 bits;
//! version: 34 of 18 bits), so a read within Hamming distance 3 of a codeword
//! identifies it uniquely. The layout (which module holds which bit) is the
//! encoder's, reused rather than derived a second time.

use super::error::GridDecodeError;
use super::grid::ModuleGrid;
use crate::symbol::format::{
    format_info_bits, format_positions, version_info_bits, MODEL1_FORMAT_XOR, MODEL1_MAX_VERSION,
};
use crate::symbol::{EcLevel, Mask, Version};

/// Largest Hamming distance at which a read is still matched to a codeword:
/// (7 - 1) / 2 for both codes.
pub(crate) const MAX_DISTANCE: u32 = 3;

/// What the format information says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FormatInfo {
    /// Error-correction level.
    pub(crate) ec_level: EcLevel,
    /// Data mask.
    pub(crate) mask: Mask,
}

/// One plausible reading of the format information.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FormatCandidate {
    /// The codeword matched.
    pub(crate) info: FormatInfo,
    /// Bits that differed from it (0..=[`MAX_DISTANCE`]).
    pub(crate) distance: u32,
    /// Whether it matched in transposed reading order: the symbol is
    /// mirrored and the grid must be transposed before decoding.
    pub(crate) mirrored: bool,
    /// Whether it matched under Model 1's XOR mask (see
    /// [`super::model1`]).
    pub(crate) model1: bool,
}

/// The 32 format codewords as masked in the symbol, with what they mean.
fn format_codewords() -> impl Iterator<Item = (u32, FormatInfo)> {
    EcLevel::ALL.into_iter().flat_map(|ec_level| {
        Mask::ALL.into_iter().map(move |mask| {
            (
                format_info_bits(ec_level, mask),
                FormatInfo { ec_level, mask },
            )
        })
    })
}

/// The format codeword nearest to 15 bits as read from a symbol (still
/// XORed with 0x5412), and its Hamming distance from them.
pub(crate) fn nearest_format(bits: u32) -> (FormatInfo, u32) {
    let mut best = (
        FormatInfo {
            ec_level: EcLevel::M,
            mask: Mask::ALL[0],
        },
        u32::MAX,
    );
    for (word, info) in format_codewords() {
        let d = (word ^ bits).count_ones();
        if d < best.1 {
            best = (info, d);
        }
    }
    best
}

/// Reads bits `i = 0..n` from `positions(i)`, bit `i` of the result being
/// the module there (dark = 1).
fn read_bits(grid: &ModuleGrid, n: usize, position: impl Fn(usize) -> (usize, usize)) -> u32 {
    (0..n).fold(0, |acc, i| {
        let (x, y) = position(i);
        acc | u32::from(grid.get(x, y)) << i
    })
}

/// The XOR mask ISO/IEC 18004 7.9.1 applies to format information, so that
/// no combination of EC level and mask gives all-light format modules.
const FORMAT_XOR: u32 = 0x5412;

/// How a format reading was matched.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Under the 0x5412 mask, as ISO/IEC 18004 asks.
    Standard,
    /// Without it (non-compliant encoders).
    Unmasked,
    /// Under Model 1's mask.
    Model1,
}

/// Model 1 candidates are only taken within this many bits.
const MODEL1_MAX_DISTANCE: u32 = 1;

/// The side of the largest Model 1 symbol (version 14).
const MODEL1_MAX_SIZE: usize = 17 + 4 * MODEL1_MAX_VERSION as usize;

/// Whether the format information is beyond doubt: both copies, in the
/// normal reading order and under the standard mask, read as the same
/// codeword within one bit each. Format codewords are at least 7 bits apart,
/// so another EC level and mask would need 6 or more misread modules in
/// each copy; a grid that reads this way and fails Reed-Solomon has
/// damaged data, not damaged format information.
pub(crate) fn format_settled(grid: &ModuleGrid) -> bool {
    let size = grid.size();
    if size < Version::MIN.size() {
        return false;
    }
    let positions = format_positions(size);
    let copy = |c: usize| {
        nearest_format(read_bits(grid, 15, |i| {
            positions.get(i).map_or((0, 0), |p| p[c])
        }))
    };
    let ((a, da), (b, db)) = (copy(0), copy(1));
    a == b && da <= 1 && db <= 1
}

/// Every format reading within [`MAX_DISTANCE`], best first.
///
/// Both copies are read in normal order and in transposed order (a mirrored
/// symbol puts copy 1's bits at the transposed positions), and each reading
/// is matched both as the standard asks and without the 0x5412 mask (some
/// non-compliant encoders forget it). The same meaning found several times
/// keeps its best match. Candidates matched as the standard asks come
/// first, by distance, then those matched only without the mask or as
/// Model 1 symbols (within 1 bit; a damaged compliant symbol is far more
/// common than a non-compliant or Model 1 one), each group
/// normal before mirrored on ties. The caller tries them in
/// order and lets Reed-Solomon decide, so a damaged copy that happens to
/// match another codeword costs a retry instead of a failure.
pub(crate) fn format_candidates(grid: &ModuleGrid) -> Vec<FormatCandidate> {
    let size = grid.size();
    if size < Version::MIN.size() {
        return Vec::new();
    }
    let positions = format_positions(size);
    // (candidate, matched only without the mask), in normal-then-mirrored order.
    let mut found: Vec<(FormatCandidate, bool)> = Vec::with_capacity(8);
    for mirrored in [false, true] {
        for copy in 0..2 {
            let bits = read_bits(grid, 15, |i| {
                let (x, y) = positions.get(i).map_or((0, 0), |p| p[copy]);
                if mirrored {
                    (y, x)
                } else {
                    (x, y)
                }
            });
            for kind in [Kind::Standard, Kind::Unmasked, Kind::Model1] {
                let read = match kind {
                    Kind::Standard => bits,
                    Kind::Unmasked => bits ^ FORMAT_XOR,
                    Kind::Model1 => bits ^ FORMAT_XOR ^ MODEL1_FORMAT_XOR,
                };
                let (info, distance) = nearest_format(read);
                let limit = match kind {
                    // Model 1 symbols are rare and small: only a near-exact
                    // reading on a grid of their sizes is worth a try (a
                    // random one is within 1 bit 1 time in 64, within 3
                    // bits more than half the time).
                    Kind::Model1 if size > MODEL1_MAX_SIZE => continue,
                    Kind::Model1 => MODEL1_MAX_DISTANCE,
                    _ => MAX_DISTANCE,
                };
                if distance > limit {
                    continue;
                }
                let model1 = kind == Kind::Model1;
                let candidate = FormatCandidate {
                    info,
                    distance,
                    mirrored,
                    model1,
                };
                let unmasked = kind != Kind::Standard;
                match found
                    .iter_mut()
                    .find(|(c, _)| c.info == info && c.mirrored == mirrored && c.model1 == model1)
                {
                    Some(seen) => {
                        if (unmasked, distance) < (seen.1, seen.0.distance) {
                            *seen = (candidate, unmasked);
                        }
                    }
                    None => found.push((candidate, unmasked)),
                }
            }
        }
    }
    // Stable: equal keys keep normal readings (pushed first) first.
    found.sort_by_key(|&(c, unmasked)| (unmasked, c.distance));
    found.into_iter().map(|(c, _)| c).collect()
}

/// The version whose size is `size` modules, if any (17 + 4v, v in 1..=40).
pub(crate) fn version_from_size(size: usize) -> Option<Version> {
    Version::from_size(size)
}

/// The version-information codeword nearest to 18 bits read from a symbol,
/// and its Hamming distance from them.
pub(crate) fn nearest_version(bits: u32) -> (Version, u32) {
    let mut best = (Version::MAX, u32::MAX);
    for n in 7..=40 {
        if let Ok(v) = Version::new(n) {
            let d = (version_info_bits(v) ^ bits).count_ones();
            if d < best.1 {
                best = (v, d);
            }
        }
    }
    best
}

/// `(x, y)` of version bit `i` (0 = least significant) in copy 0 (the 3-wide,
/// 6-tall block left of the top-right finder) or copy 1 (its transpose, above
/// the bottom-left finder), as the encoder's template draws them.
fn version_position(size: usize, copy: usize, i: usize) -> (usize, usize) {
    let (a, b) = (size - 11 + i % 3, i / 3);
    if copy == 0 {
        (a, b)
    } else {
        (b, a)
    }
}

/// The version of a grid: from its size, checked against the version
/// information for versions 7 and up.
///
/// Each of the two 18-bit copies is matched to the nearest valid codeword
/// (within [`MAX_DISTANCE`]). If either copy names the size-derived version,
/// that version is taken; if the readable copies all name another version,
/// the sampler got the grid size wrong and the error says which version the
/// symbol claims, so the caller can resample. If neither copy is readable,
/// the size decides: the Reed-Solomon check downstream still guards against
/// a wrong guess.
pub(crate) fn read_version(grid: &ModuleGrid) -> Result<Version, GridDecodeError> {
    let size = grid.size();
    let from_size = version_from_size(size).ok_or(GridDecodeError::InvalidSize(size))?;
    if from_size.number() < 7 {
        return Ok(from_size);
    }
    let mut other = None;
    for copy in 0..2 {
        let bits = read_bits(grid, 18, |i| version_position(size, copy, i));
        let (v, distance) = nearest_version(bits);
        if distance > MAX_DISTANCE {
            continue;
        }
        if v == from_size {
            return Ok(from_size);
        }
        other.get_or_insert((v, distance));
    }
    match other {
        Some((claimed, _)) => Err(GridDecodeError::VersionMismatch {
            from_size: from_size.number(),
            from_info: claimed.number(),
        }),
        None => Ok(from_size),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbol::qr::template;

    fn v(n: u8) -> Version {
        Version::new(n).expect("version")
    }

    /// A grid with only the function patterns (and version information) of
    /// version `n`, plus the format information of `info`.
    fn skeleton(n: u8, info: FormatInfo) -> ModuleGrid {
        let t = template(v(n));
        let size = v(n).size();
        let mut g = ModuleGrid::from_fn(size, |x, y| t.base.get(x, y));
        let bits = format_info_bits(info.ec_level, info.mask);
        for (i, copies) in format_positions(size).iter().enumerate() {
            for &(x, y) in copies {
                g.set(x, y, (bits >> i) & 1 != 0, 255);
            }
        }
        g
    }

    fn info(ec_level: EcLevel, mask: u8) -> FormatInfo {
        FormatInfo {
            ec_level,
            mask: Mask::new(mask).expect("mask"),
        }
    }

    #[test]
    fn nearest_format_decodes_every_codeword_and_three_bit_damage() {
        for (word, meaning) in format_codewords() {
            assert_eq!(nearest_format(word), (meaning, 0));
            // Any three flipped bits still decode (spot-check a spread).
            for (a, b, c) in [(0, 1, 2), (3, 9, 14), (5, 7, 11), (12, 13, 14)] {
                let bad = word ^ (1 << a) ^ (1 << b) ^ (1 << c);
                assert_eq!(nearest_format(bad), (meaning, 3));
            }
        }
        // Annex C example: M, mask 5.
        assert_eq!(nearest_format(0b100000011001110), (info(EcLevel::M, 5), 0));
    }

    #[test]
    fn format_is_settled_only_when_both_copies_agree_within_a_bit() {
        let want = info(EcLevel::H, 3);
        let g = skeleton(2, want);
        assert!(format_settled(&g));
        let flip = |g: &ModuleGrid, copy: usize, bits: &[usize]| {
            let mut out = g.clone();
            for &i in bits {
                let (x, y) = format_positions(25)[i][copy];
                out.set(x, y, !g.get(x, y), 255);
            }
            out
        };
        // One bad bit in each copy: still beyond doubt.
        assert!(format_settled(&flip(&flip(&g, 0, &[4]), 1, &[11])));
        // Two in one copy, or a copy replaced by another format: not.
        assert!(!format_settled(&flip(&g, 0, &[4, 9])));
        assert!(!format_settled(&flip(
            &g,
            1,
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
        )));
    }

    #[test]
    fn format_codes_are_at_least_seven_apart() {
        let words: Vec<u32> = format_codewords().map(|(w, _)| w).collect();
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert!((a ^ b).count_ones() >= 7);
            }
        }
    }

    #[test]
    fn reads_both_copies_and_prefers_the_closer_one() {
        let want = info(EcLevel::Q, 6);
        let g = skeleton(1, want);
        let c = format_candidates(&g);
        assert_eq!(
            c.first().map(|c| (c.info, c.distance, c.mirrored)),
            Some((want, 0, false))
        );
        // Copy 1 replaced by a word at least 4 bits from every codeword:
        // copy 2 alone decides.
        let far = (0..1u32 << 15)
            .find(|&w| nearest_format(w).1 >= 4 && nearest_format(w ^ FORMAT_XOR).1 >= 4)
            .expect("the code's covering radius exceeds 3");
        let mut g2 = g.clone();
        for (i, copies) in format_positions(21).iter().enumerate() {
            let (x, y) = copies[0];
            g2.set(x, y, (far >> i) & 1 != 0, 255);
        }
        let c = format_candidates(&g2);
        assert!(c.iter().filter(|c| !c.mirrored).all(|c| c.info == want));
        assert_eq!(c.first().map(|c| (c.info, c.distance)), Some((want, 0)));
        // Copy 1 inverted: the complement of a codeword is a codeword (the
        // all-ones word belongs to the code), so it reads as another format
        // at distance 0. Both readings are offered; decoding decides.
        let mut g4 = g.clone();
        for copies in format_positions(21) {
            let (x, y) = copies[0];
            g4.set(x, y, !g.get(x, y), 255);
        }
        let c = format_candidates(&g4);
        assert!(c.iter().any(|c| c.info == want && c.distance == 0));
        assert!(c.iter().any(|c| c.info != want && c.distance == 0));
        // Three bad bits in each copy still decode.
        let mut g3 = g.clone();
        for i in [0, 7, 13] {
            for (x, y) in format_positions(21)[i] {
                g3.set(x, y, !g.get(x, y), 255);
            }
        }
        let c = format_candidates(&g3);
        assert_eq!(c.first().map(|c| (c.info, c.distance)), Some((want, 3)));
    }

    #[test]
    fn unreadable_format_gives_no_candidate() {
        // All-light and all-dark grids are far from every codeword... or, if
        // one is within 3 bits, it must at least be a real codeword.
        for dark in [false, true] {
            let g = ModuleGrid::from_fn(25, |_, _| dark);
            for c in format_candidates(&g) {
                assert!(c.distance <= MAX_DISTANCE);
            }
        }
        assert!(format_candidates(&ModuleGrid::new(7)).is_empty());
    }

    #[test]
    fn format_written_without_its_mask_is_still_found() {
        let want = info(EcLevel::H, 3);
        let mut g = skeleton(2, want);
        let bits = format_info_bits(want.ec_level, want.mask) ^ FORMAT_XOR;
        for (i, copies) in format_positions(25).iter().enumerate() {
            for &(x, y) in copies {
                g.set(x, y, (bits >> i) & 1 != 0, 255);
            }
        }
        let c = format_candidates(&g);
        assert!(c
            .iter()
            .any(|c| c.info == want && c.distance == 0 && !c.mirrored));
    }

    #[test]
    fn mirrored_symbol_is_detected() {
        for ec in EcLevel::ALL {
            for m in 0..8 {
                let want = info(ec, m);
                let g = skeleton(3, want).transposed();
                let c = format_candidates(&g);
                let best = c.first().expect("a candidate");
                assert_eq!((best.info, best.distance, best.mirrored), (want, 0, true));
            }
        }
    }

    #[test]
    fn version_from_size_accepts_only_symbol_sizes() {
        assert_eq!(version_from_size(21), Some(v(1)));
        assert_eq!(version_from_size(177), Some(v(40)));
        for bad in [0, 1, 17, 20, 22, 23, 24, 178, 181, usize::MAX] {
            assert_eq!(version_from_size(bad), None, "{bad}");
        }
    }

    #[test]
    fn version_information_is_read_from_both_copies() {
        for n in 7..=40 {
            let g = skeleton(n, info(EcLevel::L, 0));
            let size = v(n).size();
            for copy in 0..2 {
                let bits = read_bits(&g, 18, |i| version_position(size, copy, i));
                assert_eq!(bits, version_info_bits(v(n)), "version {n} copy {copy}");
            }
            assert_eq!(read_version(&g), Ok(v(n)));
            // One copy destroyed, the other with three errors: still fine.
            let mut bad = g.clone();
            for i in 0..18 {
                let (x, y) = version_position(size, 0, i);
                bad.set(x, y, i % 2 == 0, 255);
            }
            for i in [0, 8, 17] {
                let (x, y) = version_position(size, 1, i);
                bad.set(x, y, !g.get(x, y), 255);
            }
            assert_eq!(read_version(&bad), Ok(v(n)));
        }
        assert_eq!(nearest_version(0b000111110010010100), (v(7), 0));
    }

    #[test]
    fn version_information_disagreeing_with_the_size_is_reported() {
        // Draw version 9's information into a version-8-sized grid.
        let mut g = skeleton(8, info(EcLevel::M, 2));
        let size = v(8).size();
        let bits = version_info_bits(v(9));
        for copy in 0..2 {
            for i in 0..18 {
                let (x, y) = version_position(size, copy, i);
                g.set(x, y, (bits >> i) & 1 != 0, 255);
            }
        }
        assert_eq!(
            read_version(&g),
            Err(GridDecodeError::VersionMismatch {
                from_size: 8,
                from_info: 9
            })
        );
        // If one copy agrees with the size, the size wins.
        let good = version_info_bits(v(8));
        for i in 0..18 {
            let (x, y) = version_position(size, 1, i);
            g.set(x, y, (good >> i) & 1 != 0, 255);
        }
        assert_eq!(read_version(&g), Ok(v(8)));
        // Unreadable information: trust the size.
        let mut blank = skeleton(12, info(EcLevel::M, 2));
        for copy in 0..2 {
            for i in 0..18 {
                let (x, y) = version_position(v(12).size(), copy, i);
                blank.set(x, y, i % 3 == 0, 255);
            }
        }
        assert!(nearest_version(read_bits(&blank, 18, |i| version_position(65, 0, i))).1 > 3);
        assert_eq!(read_version(&blank), Ok(v(12)));
        assert_eq!(
            read_version(&ModuleGrid::new(30)),
            Err(GridDecodeError::InvalidSize(30))
        );
    }
}
