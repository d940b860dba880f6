//! QR Code symbol layout (ISO/IEC 18004 6.3, 7.7, 7.8): function patterns,
//! the zigzag order of data modules and the data masks.
//!
//! Everything that depends on the version only is built once per version and
//! cached in a [`Template`]: the function patterns, where each data bit goes,
//! and the eight mask patterns already restricted to data modules (and their
//! transposes, so masking is a word XOR and columns can be scored as rows).

use std::sync::OnceLock;

use super::capacity::alignment_positions;
use super::format::version_info_bits;
use super::value::{Mask, Version};

/// A bit-packed square grid: bit `x % 64` of word `y * stride + x / 64` is `(x, y)`.
#[derive(Clone)]
pub(crate) struct Grid {
    pub(crate) size: usize,
    pub(crate) stride: usize,
    pub(crate) bits: Vec<u64>,
}

impl Grid {
    pub(crate) fn new(size: usize) -> Grid {
        let stride = size.div_ceil(64);
        Grid {
            size,
            stride,
            bits: vec![0; stride * size],
        }
    }

    #[inline]
    pub(crate) fn get(&self, x: usize, y: usize) -> bool {
        (self.bits[y * self.stride + x / 64] >> (x % 64)) & 1 != 0
    }

    #[inline]
    pub(crate) fn set(&mut self, x: usize, y: usize, dark: bool) {
        let word = &mut self.bits[y * self.stride + x / 64];
        let bit = 1u64 << (x % 64);
        if dark {
            *word |= bit;
        } else {
            *word &= !bit;
        }
    }

    pub(crate) fn transposed(&self) -> Grid {
        let mut t = Grid::new(self.size);
        transpose(&self.bits, &mut t.bits, self.size, self.stride);
        t
    }
}

/// Writes the transpose of a `size` x `size` grid of `stride` words per row
/// into `dst`, 64 x 64 blocks at a time.
pub(crate) fn transpose(src: &[u64], dst: &mut [u64], size: usize, stride: usize) {
    let mut block = [0u64; 64];
    for by in 0..stride {
        for bx in 0..stride {
            // Source block (rows 64*by.., word bx) becomes destination block
            // (rows 64*bx.., word by).
            let rows = (size - 64 * by).min(64);
            block.fill(0);
            for (r, slot) in block.iter_mut().enumerate().take(rows) {
                *slot = src[(64 * by + r) * stride + bx];
            }
            transpose64(&mut block);
            let out_rows = (size - 64 * bx).min(64);
            for (r, &word) in block.iter().enumerate().take(out_rows) {
                dst[(64 * bx + r) * stride + by] = word;
            }
        }
    }
}

/// In-place transpose of a 64 x 64 bit block (bit x of word y <-> bit y of
/// word x) by swapping ever smaller off-diagonal sub-blocks.
fn transpose64(a: &mut [u64; 64]) {
    let mut j = 32;
    let mut m: u64 = 0x0000_0000_FFFF_FFFF;
    while j != 0 {
        let mut k = 0;
        while k < 64 {
            let t = ((a[k] >> j) ^ a[k + j]) & m;
            a[k] ^= t << j;
            a[k + j] ^= t;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

/// Per-version constants of the layout.
pub(crate) struct Template {
    /// Dark function modules (finders, timing, alignment, dark module, version
    /// information); format information is left light.
    pub(crate) base: Grid,
    /// Mask patterns restricted to data modules.
    pub(crate) masks: [Grid; 8],
    pub(crate) masks_t: [Grid; 8],
    /// `(x, y)` of each data bit in placement order (Figure 13's zigzag).
    pub(crate) data_pos: Vec<[u8; 2]>,
    /// Each mask over `data_pos`, eight bits per byte in placement order
    /// (first bit the most significant): the reader XORs whole codewords.
    pub(crate) mask_bytes: [Vec<u8>; 8],
    /// Light modules beside rows, for the finder-like penalty: bits of `0..size`.
    pub(crate) row_valid: Vec<u64>,
}

static TEMPLATES: [OnceLock<Template>; 40] = [const { OnceLock::new() }; 40];

/// The cached template of a version.
pub(crate) fn template(v: Version) -> &'static Template {
    TEMPLATES[v.index()].get_or_init(|| build_template(v))
}

fn build_template(v: Version) -> Template {
    let size = v.size();
    let mut base = Grid::new(size);
    let mut func = Grid::new(size);

    // Timing patterns: row 6 and column 6, dark on even indices.
    for i in 0..size {
        func.set(6, i, true);
        func.set(i, 6, true);
        base.set(6, i, i % 2 == 0);
        base.set(i, 6, i % 2 == 0);
    }
    // Finder patterns with their light separators, in three corners.
    for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
        for dy in -4i32..=4 {
            for dx in -4i32..=4 {
                let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                if x < 0 || y < 0 || x >= size as i32 || y >= size as i32 {
                    continue;
                }
                let ring = dx.abs().max(dy.abs());
                func.set(x as usize, y as usize, true);
                base.set(x as usize, y as usize, ring != 2 && ring != 4);
            }
        }
    }
    // Alignment patterns at every pair of centres except the three finder corners.
    let align = alignment_positions(v);
    let last = align.len().saturating_sub(1);
    for (i, &ay) in align.iter().enumerate() {
        for (j, &ax) in align.iter().enumerate() {
            if (i == 0 && (j == 0 || j == last)) || (i == last && j == 0) {
                continue;
            }
            for dy in -2i32..=2 {
                for dx in -2i32..=2 {
                    let (x, y) = ((ax as i32 + dx) as usize, (ay as i32 + dy) as usize);
                    func.set(x, y, true);
                    base.set(x, y, dx.abs().max(dy.abs()) != 1);
                }
            }
        }
    }
    // Format information areas (drawn per mask) and the dark module.
    for i in 0..9 {
        func.set(8, i, true);
        func.set(i, 8, true);
    }
    for i in 0..8 {
        func.set(size - 1 - i, 8, true);
        func.set(8, size - 1 - i, true);
    }
    base.set(8, size - 8, true);
    // Version information (version 7 and up), fixed per version.
    if v.number() >= 7 {
        let bits = version_info_bits(v);
        for i in 0..18 {
            let dark = (bits >> i) & 1 != 0;
            let (a, b) = (size - 11 + i % 3, i / 3);
            func.set(a, b, true);
            func.set(b, a, true);
            base.set(a, b, dark);
            base.set(b, a, dark);
        }
    }

    // Zigzag over column pairs from the right, skipping the vertical timing column.
    let mut data_pos = Vec::with_capacity(crate::symbol::capacity::raw_data_modules(v));
    let mut right = size - 1;
    loop {
        if right == 6 {
            right = 5;
        }
        let upward = (right + 1) & 2 == 0;
        for vert in 0..size {
            let y = if upward { size - 1 - vert } else { vert };
            for x in [right, right - 1] {
                if !func.get(x, y) {
                    data_pos.push([x as u8, y as u8]);
                }
            }
        }
        if right < 2 {
            break;
        }
        right -= 2;
    }
    debug_assert_eq!(data_pos.len(), crate::symbol::capacity::raw_data_modules(v));

    let masks: [Grid; 8] = Mask::ALL.map(|m| {
        let mut g = Grid::new(size);
        for &[x, y] in &data_pos {
            if m.inverts(x as usize, y as usize) {
                g.set(x as usize, y as usize, true);
            }
        }
        g
    });
    let masks_t = masks.each_ref().map(Grid::transposed);
    let mask_bytes = Mask::ALL.map(|m| {
        data_pos
            .chunks_exact(8)
            .map(|bits| {
                bits.iter().fold(0u8, |byte, &[x, y]| {
                    byte << 1 | u8::from(m.inverts(x as usize, y as usize))
                })
            })
            .collect()
    });
    let mut row_valid = vec![0u64; base.stride];
    for x in 0..size {
        row_valid[x / 64] |= 1 << (x % 64);
    }
    Template {
        base,
        masks,
        masks_t,
        data_pos,
        mask_bytes,
        row_valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_bytes_are_the_mask_over_the_data_modules() {
        for n in [1, 2, 7, 21, 40] {
            let t = template(Version::new(n).expect("version"));
            for m in Mask::ALL {
                let bytes = &t.mask_bytes[usize::from(m.number())];
                assert_eq!(bytes.len(), t.data_pos.len() / 8);
                for (k, &[x, y]) in t.data_pos.iter().take(bytes.len() * 8).enumerate() {
                    let bit = bytes[k / 8] >> (7 - k % 8) & 1 != 0;
                    assert_eq!(
                        bit,
                        m.inverts(x as usize, y as usize),
                        "v{n} mask {m} bit {k}"
                    );
                }
            }
        }
    }

    #[test]
    fn transpose_swaps_coordinates() {
        for size in [21, 61, 64, 65, 101, 128, 129, 177] {
            let mut g = Grid::new(size);
            for y in 0..size {
                for x in 0..size {
                    g.set(x, y, (x * 7 + y * 3 + x * y) % 5 == 0);
                }
            }
            let t = g.transposed();
            for y in 0..size {
                for x in 0..size {
                    assert_eq!(t.get(y, x), g.get(x, y), "size {size} at ({x}, {y})");
                }
            }
        }
    }

    #[test]
    fn data_modules_fill_the_symbol_exactly() {
        for n in 1..=40 {
            let v = Version::new(n).expect("v");
            let t = template(v);
            assert_eq!(
                t.data_pos.len(),
                crate::symbol::capacity::raw_data_modules(v),
                "version {n}"
            );
        }
    }
}
