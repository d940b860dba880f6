//! QR Code Model 1, the original design that Model 2 replaced (ISO/IEC
//! 18004:2000 Annex M), read only: versions 1 to 14, the same finders,
//! timing patterns, format information (under its own XOR mask) and data
//! masks, but no alignment patterns and another codeword placement.
//! Symbols of it are still found on old signs and packaging.
//!
//! Placement: codewords are fixed 2 x 4 and 4 x 2 module slots, read in
//! column groups from the right edge to the left, each group bottom to top:
//! two groups of upright slots along the right edge, groups of flat slots
//! four columns wide across the middle, and four groups of upright slots
//! between the left finders. Slots the extension patterns take (on the
//! right and bottom edges, versions 2 and up) are skipped. The four most
//! significant bits of the first codeword (the bottom-right 2 x 2 corner)
//! are always zero: the data stream starts after them.

use super::bitstream;
use super::codewords::Block;
use super::correct::{correct_blocks, misdecode_reserve};
use super::error::GridDecodeError;
use super::format::FormatInfo;
use super::grid::{ModuleGrid, UNKNOWN};
use super::result::SymbolContent;
use crate::symbol::{EcLevel, SymbolVersion, Version};

use crate::symbol::format::MODEL1_MAX_VERSION as MAX_VERSION;

/// Reed-Solomon blocks per version (1 to 14) and EC level (L, M, Q, H):
/// `(blocks, data codewords, EC codewords)`, every block the same size.
/// Some versions leave a codeword or a few after the last block unused.
const BLOCKS: [[(u8, u8, u8); 4]; 14] = [
    [(1, 19, 7), (1, 16, 10), (1, 13, 13), (1, 9, 17)],
    [(1, 36, 10), (1, 30, 16), (1, 24, 22), (1, 16, 30)],
    [(1, 57, 15), (1, 44, 28), (1, 36, 36), (1, 24, 48)],
    [(1, 80, 20), (1, 60, 40), (1, 50, 50), (1, 34, 66)],
    [(1, 108, 26), (1, 82, 52), (1, 68, 66), (2, 23, 44)],
    [(1, 136, 34), (2, 53, 32), (2, 43, 42), (2, 29, 56)],
    [(1, 170, 42), (2, 66, 40), (2, 54, 52), (3, 24, 46)],
    [(2, 104, 24), (2, 80, 48), (2, 64, 64), (3, 29, 56)],
    [(2, 123, 30), (2, 93, 60), (3, 52, 50), (3, 34, 68)],
    [(2, 145, 34), (2, 111, 68), (3, 61, 58), (4, 31, 58)],
    [(2, 168, 40), (4, 64, 40), (4, 52, 52), (5, 29, 54)],
    [(2, 192, 46), (4, 73, 46), (4, 61, 58), (5, 33, 62)],
    [(3, 144, 36), (4, 83, 52), (4, 69, 66), (6, 32, 58)],
    [(3, 163, 40), (4, 92, 60), (5, 62, 60), (6, 35, 66)],
];

/// The block layout of a version and level, `None` past version 14.
fn blocks_of(v: Version, ec: EcLevel) -> Option<(usize, usize, usize)> {
    let row = BLOCKS.get(usize::from(v.number()).checked_sub(1)?)?;
    let level = match ec {
        EcLevel::L => 0,
        EcLevel::M => 1,
        EcLevel::Q => 2,
        EcLevel::H => 3,
    };
    let (blocks, data, ec) = row[level];
    Some((usize::from(blocks), usize::from(data), usize::from(ec)))
}

/// One codeword's slot: its bottom-right module and whether it lies flat
/// (4 wide, 2 tall) or upright (2 wide, 4 tall). Bit 7 (the most
/// significant) is the anchor module, then leftwards along its row, then
/// the row above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    x: usize,
    y: usize,
    flat: bool,
}

impl Slot {
    /// The eight modules, most significant bit first.
    fn modules(self) -> impl Iterator<Item = (usize, usize)> {
        let width = if self.flat { 4 } else { 2 };
        (0..8).map(move |b| (self.x - b % width, self.y - b / width))
    }
}

/// Every codeword slot of a symbol of side `size` (21 to 73), in stream
/// order.
fn slots(size: usize) -> Vec<Slot> {
    let d = size;
    let groups = d / 4 + 3;
    let mut out = Vec::new();
    for j in 0..groups {
        if j <= 1 {
            // Upright slots along the right edge, rows d-1 up to 9; in the
            // outermost pair of columns every other slot between the first
            // and the last is an extension pattern.
            let count = (d - 8) / 4;
            for i in 0..count {
                if j == 0 && i % 2 == 0 && i > 0 && i + 1 < count {
                    continue;
                }
                out.push(Slot {
                    x: d - 1 - 2 * j,
                    y: d - 1 - 4 * i,
                    flat: false,
                });
            }
        } else if j + 5 <= groups {
            // Flat slots four columns wide, bottom row to top row, hopping
            // over the timing row (row 6).
            let count = d / 2;
            for i in 0..count {
                // The top-right finder, its separator and format modules.
                if j == 2 && i + 4 >= count {
                    continue;
                }
                // Extension patterns along the bottom edge: every other
                // group's first slot, never the last flat group's.
                if i == 0 && j % 2 == 1 && j + 1 != groups - 4 {
                    continue;
                }
                let y = d - 1 - 2 * i - usize::from(i + 3 >= count);
                out.push(Slot {
                    x: d - 5 - 4 * (j - 2),
                    y,
                    flat: true,
                });
            }
        } else {
            // Upright slots between the left finders: column pairs (7, 8)
            // (hopping over the timing column 6), (4, 5), (2, 3), (0, 1),
            // from the row above the bottom-left finder's block up to row 9.
            let m = groups - j;
            let x = 2 * (m - 1) + 1 + usize::from(m == 4);
            for i in 0..(d - 16) / 4 {
                out.push(Slot {
                    x,
                    y: d - 9 - 4 * i,
                    flat: false,
                });
            }
        }
    }
    out
}

/// Decodes a grid in normal orientation as a Model 1 symbol with the given
/// format information (already matched under Model 1's XOR mask).
pub(crate) fn decode(
    grid: &ModuleGrid,
    format: FormatInfo,
) -> Result<SymbolContent, GridDecodeError> {
    let size = grid.size();
    let version = super::format::version_from_size(size)
        .filter(|v| v.number() <= MAX_VERSION)
        .ok_or(GridDecodeError::InvalidSize(size))?;
    let (count, data_len, ec_len) =
        blocks_of(version, format.ec_level).ok_or(GridDecodeError::InvalidSize(size))?;
    let (dark, conf, row) = grid.cells();
    let module = |x: usize, y: usize| {
        let i = if x < row { y * row + x } else { usize::MAX };
        (
            dark.get(i).copied().unwrap_or(false),
            conf.get(i).copied().unwrap_or(UNKNOWN),
        )
    };
    let mut stream: Vec<(u8, u8)> = slots(size)
        .into_iter()
        .map(|slot| {
            slot.modules().fold((0u8, u8::MAX), |(byte, low), (x, y)| {
                let (bit, c) = module(x, y);
                let bit = bit != format.mask.inverts(x, y);
                (byte << 1 | u8::from(bit), low.min(c))
            })
        })
        .collect();
    // The corner nibble is not data: always zero.
    if let Some(first) = stream.first_mut() {
        first.0 &= 0x0f;
    }
    // Unlike Model 2, the blocks are not interleaved: every block's data
    // codewords in turn, then every block's EC codewords.
    let data_end = count * data_len;
    let mut blocks: Vec<Block> = (0..count)
        .map(|b| {
            let data = stream.get(b * data_len..(b + 1) * data_len).unwrap_or(&[]);
            let ec_start = data_end + b * ec_len;
            let ec = stream.get(ec_start..ec_start + ec_len).unwrap_or(&[]);
            let (codewords, confidence) = data.iter().chain(ec).copied().unzip();
            Block {
                codewords,
                data_len,
                confidence,
            }
        })
        .collect();
    if blocks
        .iter()
        .any(|b| b.codewords.len() != data_len + ec_len)
    {
        // A walk shorter than the table (never for a grid of the version's
        // size).
        return Err(GridDecodeError::InvalidSize(size));
    }
    let (data, corrected) =
        correct_blocks(&mut blocks, misdecode_reserve(version, format.ec_level))?;
    // The data stream starts after the corner nibble.
    let shifted: Vec<u8> = data
        .iter()
        .zip(data.iter().skip(1).chain([&0]))
        .map(|(&a, &b)| a << 4 | b >> 4)
        .collect();
    let bits = (data.len() * 8).saturating_sub(4);
    let payload = bitstream::parse_dialect(&shifted, bits, bitstream::Dialect::Qr(version))?;
    if let Some(eci) = payload.eci {
        // Model 1 predates ECI: a stream with one is noise that parsed.
        return Err(bitstream::BitstreamError::InvalidEci(eci).into());
    }
    let symbol = SymbolVersion::Qr(version);
    Ok(SymbolContent {
        model1: true,
        ..SymbolContent::from_payload(payload, version, symbol, format, corrected)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::qr::decode_grid;
    use crate::gf256::{alpha_pow, gf_mul};
    use crate::symbol::format::{format_info_bits, format_positions};

    /// The `degree` Reed-Solomon check codewords of `data` (generator roots
    /// α^0..α^(degree-1)), by long division: Model 1 blocks have up to 68,
    /// more than the encoder's tables hold.
    fn rs_remainder(data: &[u8], check: &mut [u8]) {
        let degree = check.len();
        // Generator, highest degree first, monic.
        let mut g = vec![1u8];
        for i in 0..degree {
            let root = alpha_pow(i);
            let mut next = vec![0u8; g.len() + 1];
            for (j, &c) in g.iter().enumerate() {
                next[j] ^= c;
                next[j + 1] ^= gf_mul(c, root);
            }
            g = next;
        }
        let mut rem = vec![0u8; degree];
        for &d in data {
            let factor = d ^ rem[0];
            rem.rotate_left(1);
            rem[degree - 1] = 0;
            for (r, &gc) in rem.iter_mut().zip(&g[1..]) {
                *r ^= gf_mul(gc, factor);
            }
        }
        check.copy_from_slice(&rem);
    }
    use crate::symbol::Mask;

    fn v(n: u8) -> Version {
        Version::new(n).expect("version")
    }

    /// Modules of a Model 1 symbol that hold no codeword: finders with
    /// separators and format information, timing patterns.
    fn is_function(d: usize, x: usize, y: usize) -> bool {
        let near_top_corner = y < 9 && (x < 9 || x + 8 >= d);
        near_top_corner || (x < 9 && y + 8 >= d) || x == 6 || y == 6
    }

    #[test]
    fn the_walk_reads_every_data_module_once() {
        for n in 1..=MAX_VERSION {
            let d = v(n).size();
            let modules: Vec<(usize, usize)> =
                slots(d).into_iter().flat_map(Slot::modules).collect();
            let mut seen = vec![false; d * d];
            for &(x, y) in &modules {
                assert!(x < d && y < d, "v{n}: ({x}, {y}) outside");
                assert!(
                    !is_function(d, x, y),
                    "v{n}: ({x}, {y}) is a function module"
                );
                assert!(!seen[y * d + x], "v{n}: ({x}, {y}) read twice");
                seen[y * d + x] = true;
            }
            // What the walk leaves are the extension patterns: 16 modules
            // per slot, as many slots on the right edge as on the bottom.
            let function = (0..d * d).filter(|&i| is_function(d, i % d, i / d)).count();
            let left = d * d - function - modules.len();
            let per_edge = if d >= 25 { (d - 25) / 8 + 1 } else { 0 };
            assert_eq!(left, 2 * 8 * per_edge, "v{n}");
            // Every level's blocks fit, with at most 4 codewords to spare.
            let codewords = modules.len() / 8;
            for ec in EcLevel::ALL {
                let (count, data, ec_len) = blocks_of(v(n), ec).expect("table");
                let used = count * (data + ec_len);
                assert!(used <= codewords && codewords - used <= 4, "v{n}-{ec:?}");
            }
        }
    }

    /// A Model 1 symbol of `payload` in byte mode, built from the facts
    /// this module reads by: the 4 zero bits, blocks one after another,
    /// the walk, the data mask, format information under Model 1's mask.
    pub(crate) fn model1_symbol(payload: &[u8], n: u8, ec: EcLevel, mask: Mask) -> ModuleGrid {
        let d = v(n).size();
        let (count, data_len, ec_len) = blocks_of(v(n), ec).expect("table");
        let mut bits: Vec<bool> = vec![false; 4];
        let mut push = |value: usize, len: usize| {
            for i in (0..len).rev() {
                bits.push(value >> i & 1 == 1);
            }
        };
        push(0b0100, 4);
        push(payload.len(), if n < 10 { 8 } else { 16 });
        for &b in payload {
            push(usize::from(b), 8);
        }
        push(0, 4);
        while bits.len() % 8 != 0 {
            bits.push(false);
        }
        let mut data: Vec<u8> = bits
            .chunks(8)
            .map(|c| c.iter().fold(0u8, |a, &b| a << 1 | u8::from(b)))
            .collect();
        assert!(
            data.len() <= count * data_len,
            "payload too long for the test"
        );
        let pads = [0xec, 0x11];
        let mut k = 0;
        while data.len() < count * data_len {
            data.push(pads[k % 2]);
            k += 1;
        }
        let mut stream = data.clone();
        for block in data.chunks(data_len) {
            let mut check = vec![0u8; ec_len];
            rs_remainder(block, &mut check);
            stream.extend_from_slice(&check);
        }
        let mut dark = vec![false; d * d];
        let slots = slots(d);
        stream.resize(slots.len(), 0);
        for (slot, &cw) in slots.iter().zip(&stream) {
            for (b, (x, y)) in slot.modules().enumerate() {
                dark[y * d + x] = (cw >> (7 - b) & 1 == 1) != mask.inverts(x, y);
            }
        }
        for (fx, fy) in [(0, 0), (d - 7, 0), (0, d - 7)] {
            for y in 0..7usize {
                for x in 0..7usize {
                    let ring = x.abs_diff(3).max(y.abs_diff(3));
                    dark[(fy + y) * d + fx + x] = ring != 2;
                }
            }
        }
        for i in 8..d - 8 {
            dark[6 * d + i] = i % 2 == 0;
            dark[i * d + 6] = i % 2 == 0;
        }
        let word = format_info_bits(ec, mask) ^ 0x5412 ^ crate::symbol::format::MODEL1_FORMAT_XOR;
        for (i, copies) in format_positions(d).iter().enumerate() {
            for &(x, y) in copies {
                dark[y * d + x] = word >> i & 1 == 1;
            }
        }
        ModuleGrid::from_fn(d, |x, y| dark[y * d + x])
    }

    #[test]
    fn model1_symbols_decode_at_every_version_and_level() {
        for n in 1..=MAX_VERSION {
            for (k, ec) in EcLevel::ALL.into_iter().enumerate() {
                let mask = Mask::ALL[(usize::from(n) + k) % 8];
                let (count, data_len, _) = blocks_of(v(n), ec).expect("table");
                let len = (count * data_len).saturating_sub(5).min(40);
                let payload: Vec<u8> = (0..len).map(|i| (i * 37 + usize::from(n)) as u8).collect();
                let grid = model1_symbol(&payload, n, ec, mask);
                let content = decode_grid(&grid).unwrap_or_else(|e| panic!("v{n}-{ec:?}: {e}"));
                assert!(content.model1);
                assert_eq!(content.bytes, payload, "v{n}-{ec:?}");
                assert_eq!((content.ec_level, content.mask), (ec, mask));
                assert_eq!(content.version, v(n));
                assert_eq!(content.corrected_codewords, 0);
            }
        }
    }

    #[test]
    fn damage_within_each_block_is_corrected_beyond_it_refused() {
        // 5-H: two blocks of 23 data and 44 EC codewords, one after the other.
        let payload = b"MODEL 1 / 5-H";
        let (n, ec, mask) = (5, EcLevel::H, Mask::ALL[3]);
        let slots = slots(v(n).size());
        let damage = |grid: &mut ModuleGrid, codewords: &[usize]| {
            for &c in codewords {
                let (x, y) = slots[c].modules().next().expect("module");
                let dark = grid.get(x, y);
                grid.set(x, y, !dark, 255);
            }
        };
        // 22 errors in block 0 (codewords 0-22 and 46-89) and 22 in block 1.
        let mut grid = model1_symbol(payload, n, ec, mask);
        let block0: Vec<usize> = (1..12).chain(50..61).collect();
        let block1: Vec<usize> = (23..34).chain(94..105).collect();
        damage(&mut grid, &block0);
        damage(&mut grid, &block1);
        let content = decode_grid(&grid).expect("within the code's reach");
        assert_eq!(content.bytes, payload);
        assert_eq!(content.corrected_codewords, 44);
        // 23 in one block: more than 44 EC codewords correct.
        damage(&mut grid, &[70]);
        assert!(decode_grid(&grid).is_err());
    }

    #[test]
    fn model2_symbols_are_not_taken_for_model1() {
        for n in [1, 2, 5, 10, 14] {
            let code = crate::encode_bytes(
                b"model 2",
                &crate::EncodeOptions::default()
                    .version(v(n))
                    .max_version(v(n)),
            )
            .expect("encodes");
            let grid = crate::decode::qr::tests::grid_of(&code);
            let content = decode_grid(&grid).expect("decodes");
            assert!(!content.model1, "v{n}");
        }
    }

    #[test]
    fn eci_in_a_model1_stream_is_refused() {
        // Mode 0111 (ECI) 00011010 (26, UTF-8) then a byte segment.
        let n = 2;
        let (count, data_len, ec_len) = blocks_of(v(n), EcLevel::M).expect("table");
        let mut data = vec![0x07, 0x1a, 0x40, 0x14, 0x10, 0xec];
        data.resize(count * data_len, 0x11);
        let mut check = vec![0u8; ec_len];
        rs_remainder(&data, &mut check);
        // Reuse the symbol builder's placement with these codewords.
        let mut grid = model1_symbol(b"", n, EcLevel::M, Mask::ALL[0]);
        let stream: Vec<u8> = data.iter().chain(&check).copied().collect();
        for (slot, &cw) in slots(v(n).size()).iter().zip(&stream) {
            for (b, (x, y)) in slot.modules().enumerate() {
                let dark = (cw >> (7 - b) & 1 == 1) != Mask::ALL[0].inverts(x, y);
                grid.set(x, y, dark, 255);
            }
        }
        assert!(decode_grid(&grid).is_err());
    }
}
