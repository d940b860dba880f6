//! From a grid to Reed-Solomon blocks: undo the data mask (ISO/IEC 18004
//! 7.8), read codewords in the placement order of 7.7.3, and de-interleave
//! them into blocks (7.6), keeping a confidence per codeword.

#[cfg(test)]
use super::error::GridDecodeError;
use super::grid::{ModuleGrid, UNKNOWN};
use crate::symbol::capacity::{ec_blocks, ec_codewords_per_block, raw_data_modules};
use crate::symbol::qr::template;
use crate::symbol::{EcLevel, Mask, Version};

/// A codeword none of whose modules is more confident than this is an
/// erasure candidate. On the grid's 0..=255 scale this is "within an eighth
/// of the contrast of the threshold", where a sampler's verdict is little
/// better than a coin toss; 0 (off-image) is always included.
pub(crate) const LOW_CONFIDENCE: u8 = 32;

/// Side of a square of modules all of one colour that the decoder takes for
/// something lying over the symbol (a sticker, mud, paint, glare). The data
/// mask leaves the modules close to random, where such a square turns up at
/// about one place in 30,000 (2 x 2^-16), while a blot makes one at every
/// module it covers.
const COVERED_SIDE: usize = 4;

/// The confidence a codeword with a module in such a square gets: an
/// erasure candidate ahead of every sampled one (but off-image ones). Its
/// modules were read with confidence, yet about half of them are wrong:
/// taken as erasures, Reed-Solomon corrects twice as many of them.
const COVERED: u8 = 1;

/// One Reed-Solomon block: its data codewords followed by its EC codewords.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    /// Data then EC codewords.
    pub(crate) codewords: Vec<u8>,
    /// How many of `codewords` are data.
    pub(crate) data_len: usize,
    /// Per codeword, the lowest confidence of its eight modules.
    pub(crate) confidence: Vec<u8>,
}

impl Block {
    /// Number of EC codewords.
    pub(crate) fn ec_len(&self) -> usize {
        self.codewords.len().saturating_sub(self.data_len)
    }

    /// The data codewords.
    pub(crate) fn data(&self) -> &[u8] {
        self.codewords.get(..self.data_len).unwrap_or(&[])
    }

    /// Indices of codewords whose confidence is at most [`LOW_CONFIDENCE`],
    /// least confident first, at most `limit` of them.
    pub(crate) fn erasure_candidates(&self, limit: usize) -> Vec<usize> {
        let mut weak: Vec<usize> = (0..self.confidence.len())
            .filter(|&i| self.confidence.get(i).is_some_and(|&c| c <= LOW_CONFIDENCE))
            .collect();
        // Equal confidences in stream order, so runs are reproducible.
        weak.sort_unstable_by_key(|&i| (self.confidence.get(i).copied().unwrap_or(0), i));
        weak.truncate(limit);
        weak
    }
}

/// How a version and EC level split their codewords into blocks (Table 9):
/// `short_blocks` blocks of `short_data` data codewords come first, then
/// blocks with one data codeword more; all have `ec_len` EC codewords.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BlockLayout {
    /// Total number of blocks.
    pub(crate) blocks: usize,
    /// How many blocks are the shorter kind.
    pub(crate) short_blocks: usize,
    /// Data codewords in a short block.
    pub(crate) short_data: usize,
    /// EC codewords per block.
    pub(crate) ec_len: usize,
}

impl BlockLayout {
    /// The layout of a version at an EC level.
    pub(crate) fn new(v: Version, ec: EcLevel) -> BlockLayout {
        let blocks = ec_blocks(v, ec).max(1);
        let ec_len = ec_codewords_per_block(v, ec);
        let total = raw_data_modules(v) / 8;
        BlockLayout {
            blocks,
            short_blocks: blocks - total % blocks,
            short_data: (total / blocks).saturating_sub(ec_len),
            ec_len,
        }
    }

    /// Data codewords in block `b`.
    pub(crate) fn data_len(&self, b: usize) -> usize {
        self.short_data + usize::from(b >= self.short_blocks)
    }

    /// For each codeword of the interleaved stream, in stream order, the
    /// block it belongs to and its index there. Data codewords are dealt
    /// round-robin (the long blocks' extra codeword after all the others),
    /// then EC codewords the same way. The readers use a faster equivalent;
    /// this plain form is the tests' reference and the grader's placement.
    pub(crate) fn stream_order(&self) -> Vec<(usize, usize)> {
        let mut order = Vec::new();
        for i in 0..=self.short_data {
            for b in 0..self.blocks {
                if i < self.data_len(b) {
                    order.push((b, i));
                }
            }
        }
        for i in 0..self.ec_len {
            for b in 0..self.blocks {
                order.push((b, self.data_len(b) + i));
            }
        }
        order
    }
}

/// The codewords of the grid in stream order with the mask removed, and the
/// lowest module confidence of each. Remainder bits are skipped.
#[cfg(test)]
pub(crate) fn read_stream(grid: &ModuleGrid, v: Version, mask: Mask) -> (Vec<u8>, Vec<u8>) {
    let mut raw = RawStream::read(grid, v);
    let mask_bytes = &template(v).mask_bytes[usize::from(mask.number() & 7)];
    for (c, m) in raw.codewords.iter_mut().zip(mask_bytes) {
        *c ^= m;
    }
    (raw.codewords, raw.confidence)
}

/// A grid's codewords in stream order as they stand in the symbol, before
/// unmasking, with the lowest module confidence of each: read once and
/// split into blocks for every EC level and mask a decoder tries.
#[derive(Clone, Debug)]
pub(crate) struct RawStream {
    /// The version whose placement was read.
    pub(crate) version: Version,
    codewords: Vec<u8>,
    confidence: Vec<u8>,
}

impl RawStream {
    /// Reads the grid's data modules in placement order (7.7.3).
    pub(crate) fn read(grid: &ModuleGrid, v: Version) -> RawStream {
        let positions = &template(v).data_pos;
        let mut codewords = Vec::with_capacity(positions.len() / 8);
        let mut confidence = Vec::with_capacity(positions.len() / 8);
        let (dark, conf, row) = grid.cells();
        let lowered = covered_confidence(dark, conf, row);
        let conf = lowered.as_deref().unwrap_or(conf);
        for module in positions.chunks_exact(8) {
            let mut byte = 0u8;
            let mut low = u8::MAX;
            for &[x, y] in module {
                let (x, y) = (usize::from(x), usize::from(y));
                // Modules outside a stored grid read light and unknown, as
                // `ModuleGrid::get` and `confidence` have them.
                let i = if x < row { y * row + x } else { usize::MAX };
                let bit = dark.get(i).copied().unwrap_or(false);
                byte = byte << 1 | u8::from(bit);
                low = low.min(conf.get(i).copied().unwrap_or(UNKNOWN));
            }
            codewords.push(byte);
            confidence.push(low);
        }
        RawStream {
            version: v,
            codewords,
            confidence,
        }
    }

    /// The Reed-Solomon blocks for an EC level and mask: each codeword
    /// unmasked (a byte of the mask pattern, 7.8) and dealt to its block.
    pub(crate) fn blocks(&self, ec: EcLevel, mask: Mask) -> Vec<Block> {
        let layout = BlockLayout::new(self.version, ec);
        let mut blocks: Vec<Block> = (0..layout.blocks)
            .map(|b| {
                let len = layout.data_len(b) + layout.ec_len;
                Block {
                    codewords: Vec::with_capacity(len),
                    data_len: layout.data_len(b),
                    confidence: Vec::with_capacity(len),
                }
            })
            .collect();
        let mask_bytes = &template(self.version).mask_bytes[usize::from(mask.number() & 7)];
        let mut stream = self
            .codewords
            .iter()
            .zip(mask_bytes)
            .zip(&self.confidence)
            .map(|((&c, &m), &conf)| (c ^ m, conf));
        // The order of `BlockLayout::stream_order`, without building it:
        // data codewords round-robin (long blocks' extra one last), then EC.
        let mut deal = |block: &mut Block| {
            if let Some((c, conf)) = stream.next() {
                block.codewords.push(c);
                block.confidence.push(conf);
            }
        };
        for i in 0..=layout.short_data {
            for (b, block) in blocks.iter_mut().enumerate() {
                if i < layout.data_len(b) {
                    deal(block);
                }
            }
        }
        for _ in 0..layout.ec_len {
            blocks.iter_mut().for_each(&mut deal);
        }
        // A stream cut short (never for a grid of the version's size)
        // leaves blocks short: pad them so lengths stay as the layout says.
        for (b, block) in blocks.iter_mut().enumerate() {
            let len = layout.data_len(b) + layout.ec_len;
            block.codewords.resize(len, 0);
            block.confidence.resize(len, 0);
        }
        blocks
    }
}

/// The module confidences `conf` of a `side`-wide grid (`dark`, row by row)
/// with every module in a square of [`COVERED_SIDE`] modules all of one
/// colour lowered to [`COVERED`]; `None`, and no copy, when no such square
/// is there (a clean symbol; a grid sampled partly off the symbol often has
/// one).
fn covered_confidence(dark: &[bool], conf: &[u8], side: usize) -> Option<Vec<u8>> {
    if !(COVERED_SIDE..=192).contains(&side) || dark.len() != side * side {
        return None;
    }
    // As many words a row as the grid needs (most symbols fit one); one
    // copy of the code in WebAssembly, where size counts.
    if cfg!(target_arch = "wasm32") {
        return covered_in::<3>(dark, conf, side);
    }
    match side {
        ..=64 => covered_in::<1>(dark, conf, side),
        65..=128 => covered_in::<2>(dark, conf, side),
        _ => covered_in::<3>(dark, conf, side),
    }
}

/// [`covered_confidence`] with rows of `W` 64-module words, bit-parallel: a
/// pass costs less than reading the codewords.
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn covered_in<const W: usize>(dark: &[bool], conf: &[u8], side: usize) -> Option<Vec<u8>> {
    const S: u32 = COVERED_SIDE as u32;
    // Per row and colour (dark, then light), bit x set where modules
    // x..x + S share it.
    let mut valid = [0u64; W];
    for x in 0..side {
        valid[x / 64] |= 1 << (x % 64);
    }
    let mut runs: Vec<[[u64; W]; 2]> = Vec::with_capacity(side);
    for line in dark.chunks_exact(side) {
        let mut bits = [[0u64; W]; 2];
        // Eight modules (bools: bytes of 0 or 1) to eight bits at once.
        for (i, eight) in line.chunks(8).enumerate() {
            let mut bytes = [0u8; 8];
            for (b, &m) in bytes.iter_mut().zip(eight) {
                *b = u8::from(m);
            }
            let packed = u64::from_le_bytes(bytes).wrapping_mul(0x0102_0408_1020_4080) >> 56;
            bits[0][i / 8] |= packed << (8 * (i % 8));
        }
        for i in 0..W {
            bits[1][i] = !bits[0][i] & valid[i];
        }
        for colour in &mut bits {
            let row = *colour;
            for k in 1..S {
                for i in 0..W {
                    let next = if i + 1 < W { row[i + 1] << (64 - k) } else { 0 };
                    colour[i] &= row[i] >> k | next;
                }
            }
        }
        runs.push(bits);
    }
    let mut lowered: Option<Vec<u8>> = None;
    for (y, window) in runs.windows(COVERED_SIDE).enumerate() {
        // Squares whose top-left module is (x, y), then every module in one.
        let mut corners = [0u64; W];
        for (i, c) in corners.iter_mut().enumerate() {
            for colour in 0..2 {
                *c |= window.iter().fold(u64::MAX, |a, r| a & r[colour][i]);
            }
        }
        if corners == [0; W] {
            continue;
        }
        let out = lowered.get_or_insert_with(|| conf.to_vec());
        for i in 0..W {
            let mut wide = corners[i];
            for k in 1..S {
                let prev = if i > 0 { corners[i - 1] >> (64 - k) } else { 0 };
                wide |= corners[i] << k | prev;
            }
            while wide != 0 {
                let x = 64 * i + wide.trailing_zeros() as usize;
                wide &= wide - 1;
                for row in y..y + COVERED_SIDE {
                    if let Some(c) = out.get_mut(row * side + x) {
                        *c = (*c).min(COVERED);
                    }
                }
            }
        }
    }
    lowered
}

/// Reads the grid's codewords into Reed-Solomon blocks for a version, EC
/// level and mask.
#[cfg(test)]
pub(crate) fn read_blocks(
    grid: &ModuleGrid,
    v: Version,
    ec: EcLevel,
    mask: Mask,
) -> Result<Vec<Block>, GridDecodeError> {
    if grid.size() != v.size() {
        return Err(GridDecodeError::InvalidSize(grid.size()));
    }
    Ok(RawStream::read(grid, v).blocks(ec, mask))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbol::capacity::data_codewords;

    fn v(n: u8) -> Version {
        Version::new(n).expect("version")
    }

    #[test]
    fn modules_in_a_square_of_one_colour_lose_their_confidence() {
        // Against the definition, on grids that cross the 64-module words:
        // random modules, with a blot of each colour planted.
        let mut rng = civiqr_testkit::Rng::new(5);
        for side in [21, 63, 64, 65, 100, 128, 129, 177] {
            let mut dark: Vec<bool> = (0..side * side).map(|_| rng.below(2) == 1).collect();
            for colour in [true, false] {
                let (mut x0, y0, w) = (rng.below(side - 6), rng.below(side - 6), 4 + rng.below(3));
                if side > 70 {
                    // Across the first two words.
                    x0 = 60 + rng.below(4);
                }
                for y in y0..y0 + w {
                    dark[y * side + x0..y * side + x0 + w].fill(colour);
                }
            }
            let in_square = |x: usize, y: usize| {
                let s = COVERED_SIDE;
                (x.saturating_sub(s - 1)..=x.min(side - s)).any(|a| {
                    (y.saturating_sub(s - 1)..=y.min(side - s)).any(|b| {
                        let first = dark[b * side + a];
                        (b..b + s).all(|yy| (a..a + s).all(|xx| dark[yy * side + xx] == first))
                    })
                })
            };
            let conf = vec![200; side * side];
            let lowered = covered_confidence(&dark, &conf, side).expect("blots planted");
            for y in 0..side {
                for x in 0..side {
                    let want = if in_square(x, y) { COVERED } else { 200 };
                    assert_eq!(lowered[y * side + x], want, "{side}: ({x}, {y})");
                }
            }
        }
        // A grid with no such square marks nothing.
        let checker: Vec<bool> = (0..21 * 21).map(|i| (i % 21 + i / 21) % 2 == 0).collect();
        assert_eq!(covered_confidence(&checker, &[200; 21 * 21], 21), None);
    }

    #[test]
    fn layouts_add_up_to_table_9() {
        for n in 1..=40 {
            for ec in EcLevel::ALL {
                let l = BlockLayout::new(v(n), ec);
                let data: usize = (0..l.blocks).map(|b| l.data_len(b)).sum();
                assert_eq!(data, data_codewords(v(n), ec), "{n}-{ec}");
                let order = l.stream_order();
                assert_eq!(order.len(), raw_data_modules(v(n)) / 8, "{n}-{ec}");
                // Every (block, index) appears exactly once.
                let mut seen = order.clone();
                seen.sort_unstable();
                seen.dedup();
                assert_eq!(seen.len(), order.len());
            }
        }
        // 5-Q: two blocks of 15 data codewords, then two of 16 (Table 9).
        let l = BlockLayout::new(v(5), EcLevel::Q);
        assert_eq!(
            (l.blocks, l.short_blocks, l.short_data, l.ec_len),
            (4, 2, 15, 18)
        );
    }

    #[test]
    fn stream_order_interleaves_round_robin() {
        let l = BlockLayout::new(v(5), EcLevel::Q);
        let order = l.stream_order();
        assert_eq!(&order[..5], &[(0, 0), (1, 0), (2, 0), (3, 0), (0, 1)]);
        // After 15 rounds of four, only the two long blocks have a 16th.
        assert_eq!(&order[60..62], &[(2, 15), (3, 15)]);
        assert_eq!(order[62], (0, 15));
        assert_eq!(order[order.len() - 1], (3, 16 + 17));
    }

    #[test]
    fn confidence_is_the_weakest_module_and_erasures_are_ranked() {
        let size = v(1).size();
        let mut g = ModuleGrid::from_fn(size, |x, y| (x ^ y) & 1 == 0);
        let pos = &template(v(1)).data_pos;
        // Codeword 3: one module at 10; codeword 7: one module off-image.
        let [x, y] = pos[3 * 8 + 5];
        g.set(usize::from(x), usize::from(y), true, 10);
        let [x, y] = pos[7 * 8];
        g.set(usize::from(x), usize::from(y), false, 0);
        let (_, conf) = read_stream(&g, v(1), Mask::ALL[0]);
        assert_eq!(conf[3], 10);
        assert_eq!(conf[7], 0);
        assert!(conf
            .iter()
            .enumerate()
            .all(|(i, &c)| i == 3 || i == 7 || c == 255));
        let blocks = read_blocks(&g, v(1), EcLevel::L, Mask::ALL[0]).expect("blocks");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].erasure_candidates(5), vec![7, 3]);
        assert_eq!(blocks[0].erasure_candidates(1), vec![7]);
        assert_eq!(blocks[0].ec_len(), 7);
        assert_eq!(blocks[0].data().len(), 19);
    }

    #[test]
    fn blocks_deal_the_unmasked_stream_in_interleaving_order() {
        // Blocks from one raw reading, for every level and mask, hold what
        // the unmasked stream has at the places `stream_order` names.
        for n in [1, 5, 7, 14, 27, 40] {
            let size = v(n).size();
            let g = ModuleGrid::from_fn(size, |x, y| (x * 7 + y * 13 + x * y) % 5 < 2);
            let raw = RawStream::read(&g, v(n));
            for ec in EcLevel::ALL {
                let layout = BlockLayout::new(v(n), ec);
                for mask in [Mask::ALL[0], Mask::ALL[5]] {
                    let (stream, conf) = read_stream(&g, v(n), mask);
                    let blocks = raw.blocks(ec, mask);
                    for (s, &(b, i)) in layout.stream_order().iter().enumerate() {
                        assert_eq!(blocks[b].codewords[i], stream[s], "{n}-{ec} {mask:?}");
                        assert_eq!(blocks[b].confidence[i], conf[s]);
                    }
                    let total: usize = blocks.iter().map(|b| b.codewords.len()).sum();
                    assert_eq!(total, stream.len());
                }
            }
        }
    }

    #[test]
    fn wrong_grid_size_is_an_error() {
        let g = ModuleGrid::new(25);
        assert_eq!(
            read_blocks(&g, v(1), EcLevel::M, Mask::ALL[0]),
            Err(GridDecodeError::InvalidSize(25))
        );
    }
}
