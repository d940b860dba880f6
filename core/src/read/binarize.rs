//! Binarizers: grey image -> one dark/light byte per pixel.
//!
//! The default is a local block threshold (8 x 8 px blocks, midrange of each
//! block with enough contrast, flat blocks filled from their nearest known
//! neighbours, then averaged over 5 x 5 blocks) that tolerates lighting
//! gradients, shadows and glare. A global Otsu threshold is the fallback for
//! tiny images and a second opinion when the local one fails.

use super::image::Gray;

/// Dark/light image: `1` dark, `0` light, one byte per pixel.
#[derive(Clone)]
pub(crate) struct BitImage {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) data: Vec<u8>,
    /// The grey levels and thresholds behind `data`, for sampling modules
    /// between pixels (`None` in tests that draw bits directly).
    pub(crate) levels: Option<std::sync::Arc<Levels>>,
    /// Dark and light are swapped relative to `levels`.
    pub(crate) inverted: bool,
}

/// Grey image and the threshold of each block, shared by a binary image and
/// its inverse.
pub(crate) struct Levels {
    gray: std::sync::Arc<Vec<u8>>,
    thresholds: Vec<u8>,
    /// Block side in pixels as a power of two (the global threshold's one
    /// block uses a shift that maps every coordinate to 0), and blocks per row.
    block_shift: u32,
    blocks_per_row: usize,
}

// The buffers go back to the thread's pool (see `scratch`); WebAssembly keeps none.
#[cfg(not(target_arch = "wasm32"))]
impl Drop for BitImage {
    fn drop(&mut self) {
        super::scratch::keep_bytes(std::mem::take(&mut self.data));
    }
}

// The buffers go back to the thread's pool (see `scratch`); WebAssembly keeps none.
#[cfg(not(target_arch = "wasm32"))]
impl Drop for Levels {
    fn drop(&mut self) {
        if let Some(gray) = std::sync::Arc::get_mut(&mut self.gray) {
            super::scratch::keep_bytes(std::mem::take(gray));
        }
    }
}

impl BitImage {
    #[inline]
    pub(crate) fn get(&self, x: usize, y: usize) -> bool {
        self.data[y * self.width + x] != 0
    }

    /// Dark at a possibly out-of-range point (outside reads light).
    #[inline]
    pub(crate) fn get_i(&self, x: i64, y: i64) -> bool {
        x >= 0
            && y >= 0
            && (x as usize) < self.width
            && (y as usize) < self.height
            && self.get(x as usize, y as usize)
    }

    #[inline]
    pub(crate) fn row(&self, y: usize) -> &[u8] {
        &self.data[y * self.width..(y + 1) * self.width]
    }

    /// Swaps dark and light in place: the light-on-dark scan needs no copy
    /// of the image (a fresh page-sized buffer per frame costs page faults).
    pub(crate) fn invert(&mut self) {
        for b in &mut self.data {
            *b ^= 1;
        }
        self.inverted = !self.inverted;
    }

    /// The grey image behind the bits (polarity as in the grey image,
    /// whatever `inverted` says); `None` without grey levels.
    pub(crate) fn grey(&self) -> Option<&[u8]> {
        self.levels.as_ref().map(|l| l.gray.as_slice())
    }

    /// Whether the image is dark at a point between pixels: the grey level
    /// interpolated bilinearly from the four nearest pixels against the
    /// local threshold, with `margin` how far from the threshold it is.
    /// Falls back to the nearest binary pixel without grey levels. The point
    /// must be inside the image.
    #[inline(always)]
    pub(crate) fn dark_at(&self, x: f64, y: f64) -> (bool, u8) {
        let Some(l) = &self.levels else {
            return (self.get(x as usize, y as usize), 255);
        };
        let (v, t) = self.level_and_threshold(l, x, y);
        let dark = (v < t) != self.inverted;
        (dark, (v.abs_diff(t) >> 16).min(255) as u8)
    }

    /// The grey level at `(x, y)`, interpolated as in [`BitImage::dark_at`]
    /// (before any inversion); `None` without grey levels.
    pub(crate) fn grey_at(&self, x: f64, y: f64) -> Option<u8> {
        self.point_level(x, y)
            .map(|(v, _)| (v >> 16).min(255) as u8)
    }

    /// [`BitImage::dark_at`] for the cold reads (see `sample::point_dark`):
    /// one copy of the interpolation in WebAssembly, shared with
    /// [`BitImage::grey_at`].
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn dark_at_cold(&self, x: f64, y: f64) -> (bool, u8) {
        let Some((v, t)) = self.point_level(x, y) else {
            return (self.get(x as usize, y as usize), 255);
        };
        let dark = (v < t) != self.inverted;
        (dark, (v.abs_diff(t) >> 16).min(255) as u8)
    }

    /// [`BitImage::dark_at_cold`] and [`BitImage::grey_at`] of one point,
    /// interpolated once: a fitted map's grid is read against the local
    /// threshold and then, unread, against the grey levels' own split.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn dark_and_grey(&self, x: f64, y: f64) -> (bool, u8, Option<u8>) {
        let Some((v, t)) = self.point_level(x, y) else {
            return (self.get(x as usize, y as usize), 255, None);
        };
        let dark = (v < t) != self.inverted;
        let grey = (v >> 16).min(255) as u8;
        (dark, (v.abs_diff(t) >> 16).min(255) as u8, Some(grey))
    }

    /// [`BitImage::level_and_threshold`] when there are grey levels; out of
    /// line in WebAssembly.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn point_level(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        let l = self.levels.as_ref()?;
        Some(self.level_and_threshold(l, x, y))
    }

    /// The grey level at `(x, y)` and the local threshold there, both
    /// times 65536.
    #[inline(always)]
    fn level_and_threshold(&self, l: &Levels, x: f64, y: f64) -> (usize, usize) {
        let (w, h) = (self.width, self.height);
        // In fixed point (1/256 pixel) from the pixel centres, clamped to
        // them first: one float conversion per axis, the rest in integers
        // (this runs once per sampled module, tens of thousands of times for
        // a damaged symbol). Past the last centre the interpolation would
        // read that pixel twice: the same value. NaN converts to 0.
        let fx = ((x - 0.5) * 256.0).clamp(0.0, ((w - 1) * 256) as f64) as u32 as usize;
        let fy = ((y - 0.5) * 256.0).clamp(0.0, ((h - 1) * 256) as f64) as u32 as usize;
        let (x0, y0) = (fx >> 8, fy >> 8);
        let (ax, ay) = (fx & 255, fy & 255);
        let x1 = (x0 + 1).min(w - 1);
        let (row0, row1) = (y0 * w, (y0 + 1).min(h - 1) * w);
        let g = |i: usize| l.gray.get(i).map_or(0, |&v| usize::from(v));
        let top = g(row0 + x0) * (256 - ax) + g(row0 + x1) * ax;
        let bottom = g(row1 + x0) * (256 - ax) + g(row1 + x1) * ax;
        // The grey level times 65536.
        let v = top * (256 - ay) + bottom * ay;
        // The threshold of the block holding the point itself: its pixel is
        // the nearest centre's rounded down, (fx + 128) >> 8, also at the
        // clamped edges.
        let bx = ((fx + 128) >> 8) >> l.block_shift;
        let by = ((fy + 128) >> 8) >> l.block_shift;
        let t = l
            .thresholds
            .get(by * l.blocks_per_row + bx)
            .map_or(128, |&t| usize::from(t))
            << 16;
        (v, t)
    }
}

/// Block side of the local threshold (a power of two).
const BLOCK: usize = 8;
/// Blocks whose max - min is at most this are flat: no threshold of their own.
const MIN_CONTRAST: u8 = 24;

/// Weight of a flat block in [`local_weighted`]'s window mean, against a
/// block with contrast's weight of its contrast (more than [`MIN_CONTRAST`]).
const FLAT_WEIGHT: u32 = 8;

/// Local block threshold (see the module docs).
pub(crate) fn local(gray: &Gray) -> BitImage {
    local_with(gray, false)
}

/// [`local`] with each block's threshold weighted by its contrast in the
/// 5 x 5 window mean, and flat blocks (which take a neighbour's threshold)
/// by [`FLAT_WEIGHT`]. A light label on a slightly darker background gives
/// edge blocks just over the flat limit, whose midrange is the label's
/// light level; in the plain mean they, and the flat background that takes
/// their threshold, lift the threshold round a small symbol near that edge
/// until its finders' light rings read dark. Weighted, the symbol's own
/// blocks set it.
pub(crate) fn local_weighted(gray: &Gray) -> BitImage {
    local_with(gray, true)
}

fn local_with(gray: &Gray, weighted: bool) -> BitImage {
    let (w, h) = (gray.width, gray.height);
    if w < BLOCK * 5 || h < BLOCK * 5 {
        return global(gray);
    }
    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    // Midrange of each block with contrast; -1 for flat blocks. Whole rows
    // at a time (column-wise min and max over a block's rows, then per
    // block along the row): loops over full rows vectorise, 8-pixel ones
    // do not.
    let mut thr = vec![-1i32; bw * bh];
    // Each block's weight in the weighted mean (its contrast, or
    // FLAT_WEIGHT for a flat block); empty for the plain mean.
    let mut weight = if weighted {
        vec![FLAT_WEIGHT; bw * bh]
    } else {
        Vec::new()
    };
    // Padded to whole blocks with the neutral levels (255 for the minimum,
    // 0 for the maximum): each block's level is then folded into its first
    // entry by halving strides over whole rows, which vectorise too.
    let (mut lo, mut hi) = (vec![255u8; bw * BLOCK], vec![0u8; bw * BLOCK]);
    for by in 0..bh {
        let rows = by * BLOCK..((by + 1) * BLOCK).min(h);
        lo[..w].copy_from_slice(&gray.data[rows.start * w..(rows.start + 1) * w]);
        hi[..w].copy_from_slice(&lo[..w]);
        for y in rows.start + 1..rows.end {
            let row = &gray.data[y * w..(y + 1) * w];
            for (l, &v) in lo.iter_mut().zip(row) {
                *l = (*l).min(v);
            }
            for (hgh, &v) in hi.iter_mut().zip(row) {
                *hgh = (*hgh).max(v);
            }
        }
        let mut stride = BLOCK / 2;
        while stride > 0 {
            for i in 0..bw * BLOCK - stride {
                lo[i] = lo[i].min(lo[i + stride]);
                hi[i] = hi[i].max(hi[i + stride]);
            }
            stride /= 2;
        }
        for bx in 0..bw {
            let (l, hgh) = (lo[bx * BLOCK], hi[bx * BLOCK]);
            if hgh - l > MIN_CONTRAST {
                thr[by * bw + bx] = (l as i32 + hgh as i32 + 1) / 2;
                if let Some(wt) = weight.get_mut(by * bw + bx) {
                    *wt = u32::from(hgh - l);
                }
            }
        }
    }
    if thr.iter().all(|&t| t < 0) {
        return global(gray);
    }
    // Flat blocks take the threshold of the nearest block with contrast
    // (breadth-first), so a large dark area keeps the threshold of its edge.
    // The queue holds block coordinates, not indices: dividing an index
    // back into them would cost a tenth of this binarizer's time.
    let mut queue: Vec<(usize, usize)> = Vec::with_capacity(thr.len());
    for by in 0..bh {
        for bx in 0..bw {
            if thr[by * bw + bx] >= 0 {
                queue.push((bx, by));
            }
        }
    }
    let mut head = 0;
    while let Some(&(bx, by)) = queue.get(head) {
        head += 1;
        let t = thr[by * bw + bx];
        let mut visit = |x: usize, y: usize| {
            let j = y * bw + x;
            if thr[j] < 0 {
                thr[j] = t;
                queue.push((x, y));
            }
        };
        if bx > 0 {
            visit(bx - 1, by);
        }
        if bx + 1 < bw {
            visit(bx + 1, by);
        }
        if by > 0 {
            visit(bx, by - 1);
        }
        if by + 1 < bh {
            visit(bx, by + 1);
        }
    }
    // Average over 5 x 5 blocks (a 40 px window).
    let thresholds = if weighted {
        weighted_means(&thr, &weight, bw, bh)
    } else {
        window_means(&thr, bw, bh)
    };
    // Filled row by row (no zeroing pass first).
    let mut data = super::scratch::bytes(w * h);
    // Each block row's thresholds spread to one per pixel, then whole rows
    // compared at once.
    let mut per_pixel = vec![0u8; w];
    for by in 0..bh {
        for bx in 0..bw {
            let t = thresholds[by * bw + bx];
            let start = bx * BLOCK;
            // Eight bytes at once: a fill of eight calls the library's memset.
            match per_pixel.get_mut(start..start + BLOCK) {
                Some(p) => p.copy_from_slice(&[t; BLOCK]),
                None => per_pixel[start..].fill(t),
            }
        }
        for y in by * BLOCK..((by + 1) * BLOCK).min(h) {
            let row = &gray.data[y * w..(y + 1) * w];
            data.extend(row.iter().zip(&per_pixel).map(|(&v, &t)| u8::from(v < t)));
        }
    }
    BitImage {
        width: w,
        height: h,
        data,
        levels: Some(std::sync::Arc::new(Levels {
            gray: std::sync::Arc::clone(&gray.data),
            thresholds,
            block_shift: BLOCK.trailing_zeros(),
            blocks_per_row: bw,
        })),
        inverted: false,
    }
}

/// Each block's mean threshold over the 5 x 5 blocks round it (fewer at the
/// edges), with a summed-area table.
fn window_means(thr: &[i32], bw: usize, bh: usize) -> Vec<u8> {
    let mut sat = vec![0i64; (bw + 1) * (bh + 1)];
    for by in 0..bh {
        let mut row = 0i64;
        for bx in 0..bw {
            row += thr[by * bw + bx] as i64;
            sat[(by + 1) * (bw + 1) + bx + 1] = sat[by * (bw + 1) + bx + 1] + row;
        }
    }
    let mut means = vec![0u8; bw * bh];
    for by in 0..bh {
        let (y0, y1) = (by.saturating_sub(2), (by + 3).min(bh));
        for bx in 0..bw {
            let (x0, x1) = (bx.saturating_sub(2), (bx + 3).min(bw));
            let sum = sat[y1 * (bw + 1) + x1] - sat[y0 * (bw + 1) + x1] - sat[y1 * (bw + 1) + x0]
                + sat[y0 * (bw + 1) + x0];
            means[by * bw + bx] = mean_of(sum, (y1 - y0) * (x1 - x0));
        }
    }
    means
}

/// [`window_means`] weighted (see [`local_weighted`]): the window's sums of
/// weight x threshold and of weight, along each block row and then down
/// the columns. Both stay under 25 x 255 x 255, so `u32` holds them.
fn weighted_means(thr: &[i32], weight: &[u32], bw: usize, bh: usize) -> Vec<u8> {
    // Each block's weight x threshold and weight.
    let block: Vec<(u32, u32)> = thr
        .iter()
        .zip(weight)
        .map(|(&t, &wt)| (wt * t.clamp(0, 255) as u32, wt))
        .collect();
    let mut across = vec![(0u32, 0u32); bw * bh];
    for by in 0..bh {
        let row = by * bw;
        for bx in 0..bw {
            let mut sum = (0, 0);
            for &(n, d) in &block[row + bx.saturating_sub(2)..row + (bx + 3).min(bw)] {
                sum = (sum.0 + n, sum.1 + d);
            }
            across[row + bx] = sum;
        }
    }
    let mut means = vec![0u8; bw * bh];
    for by in 0..bh {
        for bx in 0..bw {
            let (mut n, mut d) = (0u32, 0u32);
            for y in by.saturating_sub(2)..(by + 3).min(bh) {
                let (an, ad) = across[y * bw + bx];
                n += an;
                d += ad;
            }
            // Every block weighs at least FLAT_WEIGHT, so `d` is not 0.
            means[by * bw + bx] = ((n + d / 2) / d.max(1)).min(255) as u8;
        }
    }
    means
}

/// `sum / count` for the 5 x 5 block window of [`local`] (`count` at most 25,
/// `sum` of thresholds at most 255 each), by a multiply and a shift: an
/// exact reciprocal for these ranges (the error of `ceil(2^20 / n)` times
/// any such sum stays under one part in 2^20). A division per block would
/// cost a tenth of the binarizer's time.
fn mean_of(sum: i64, count: usize) -> u8 {
    const SHIFT: u32 = 20;
    const RECIPROCALS: [u64; 26] = {
        let mut r = [0; 26];
        let mut n = 1;
        while n < 26 {
            r[n] = (1u64 << SHIFT).div_ceil(n as u64);
            n += 1;
        }
        r
    };
    match (u64::try_from(sum), RECIPROCALS.get(count)) {
        (Ok(sum), Some(&r)) if count > 0 && sum <= 255 * count as u64 => ((sum * r) >> SHIFT) as u8,
        // Not reached from `local` (every block has a threshold in 0..=255
        // by then): the plain division.
        _ => (sum / count.max(1) as i64).clamp(0, 255) as u8,
    }
}

/// One threshold for the whole image, by Otsu's method on the histogram.
pub(crate) fn global(gray: &Gray) -> BitImage {
    // Four histograms, one per pixel of each group of four, summed after:
    // runs of one grey level (flat areas) would otherwise make every
    // increment wait for the one before.
    let mut parts = [[0u64; 256]; 4];
    let mut quads = gray.data.chunks_exact(4);
    for q in &mut quads {
        for (part, &v) in parts.iter_mut().zip(q) {
            part[usize::from(v)] += 1;
        }
    }
    for &v in quads.remainder() {
        parts[0][usize::from(v)] += 1;
    }
    let mut hist = [0u64; 256];
    for (i, h) in hist.iter_mut().enumerate() {
        *h = parts.iter().map(|p| p[i]).sum();
    }
    let t_best = otsu(&hist);
    // Compared as bytes, which vectorises (Otsu's level is at most 255).
    let t = u8::try_from(t_best).unwrap_or(u8::MAX);
    let mut data = super::scratch::bytes(gray.data.len());
    data.extend(gray.data.iter().map(|&v| u8::from(v <= t)));
    BitImage {
        width: gray.width,
        height: gray.height,
        data,
        levels: Some(std::sync::Arc::new(Levels {
            gray: std::sync::Arc::clone(&gray.data),
            // dark iff v <= t_best, i.e. v < t_best + 1.
            thresholds: vec![(t_best + 1).min(255) as u8],
            block_shift: usize::BITS - 1,
            blocks_per_row: 1,
        })),
        inverted: false,
    }
}

/// Otsu's threshold of a histogram of grey levels: the level `t` that best
/// splits it into the classes `<= t` and `> t` (largest between-class
/// variance); 128 for a histogram of one level or none. Out of line in
/// WebAssembly (two callers, once per image or rescue).
#[cfg_attr(target_arch = "wasm32", inline(never))]
pub(crate) fn otsu(hist: &[u64; 256]) -> usize {
    otsu_of(
        (0u8..=255)
            .zip(hist.iter().copied())
            .filter(|&(_, c)| c > 0),
    )
}

/// [`otsu`] of the histogram whose non-empty bins are `(level, count)`,
/// levels ascending: the same split, from only the levels present. An empty
/// bin leaves both classes as they were, so its between-class variance is
/// the last bin's, bit for bit, and never the new best; one module column
/// holds a few dozen levels, not 256 bins.
pub(crate) fn otsu_of(bins: impl Iterator<Item = (u8, u64)> + Clone) -> usize {
    let total = bins.clone().map(|(_, c)| c).sum::<u64>() as f64;
    let sum_all: f64 = bins.clone().map(|(v, c)| f64::from(v) * c as f64).sum();
    let (mut w0, mut sum0, mut best, mut t_best) = (0f64, 0f64, -1f64, 128usize);
    for (t, c) in bins {
        w0 += c as f64;
        sum0 += f64::from(t) * c as f64;
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0, (sum_all - sum0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            t_best = usize::from(t);
        }
    }
    t_best
}

/// The non-empty bins of the histogram of `sorted` (ascending levels) as
/// [`otsu_of`] takes them.
pub(crate) fn level_counts(sorted: &[u8]) -> impl Iterator<Item = (u8, u64)> + Clone + '_ {
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otsu_of_the_levels_present_is_the_histograms_split() {
        // The split from the sorted levels alone must be the 256-bin one,
        // bit for bit, whatever the spread: few levels, ties, one level.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for trial in 0..400 {
            let n = 1 + (next() % 80) as usize;
            let spread = 1 + next() % 256;
            let base = next() % (257 - spread);
            let mut levels: Vec<u8> = (0..n).map(|_| (base + next() % spread) as u8).collect();
            let mut hist = [0u64; 256];
            for &v in &levels {
                hist[usize::from(v)] += 1;
            }
            levels.sort_unstable();
            assert_eq!(
                otsu_of(level_counts(&levels)),
                otsu(&hist),
                "trial {trial}: {levels:?}"
            );
        }
        assert_eq!(otsu_of(level_counts(&[])), 128);
    }

    #[test]
    fn window_mean_by_reciprocal_is_the_exact_quotient() {
        for count in 1..=25usize {
            for sum in 0..=255 * count as i64 {
                assert_eq!(
                    mean_of(sum, count),
                    (sum / count as i64) as u8,
                    "{sum} / {count}"
                );
            }
        }
    }

    fn gray(w: usize, h: usize, f: impl Fn(usize, usize) -> u8) -> Gray {
        let mut data = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                data.push(f(x, y));
            }
        }
        Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(data),
        }
    }

    #[test]
    fn otsu_splits_two_levels_between_them() {
        let mut hist = [0u64; 256];
        hist[60] = 300;
        hist[150] = 100;
        let t = otsu(&hist);
        assert!((60..150).contains(&t), "split at {t}");
        assert_eq!(otsu(&[0; 256]), 128);
    }

    #[test]
    fn local_threshold_follows_a_lighting_gradient() {
        // Checkerboard of 6 px squares whose brightness falls from left to right:
        // dark squares on the left are lighter than light squares on the right.
        let g = gray(120, 120, |x, y| {
            let base = 250 - (x as i32 * 150 / 120);
            let dark = ((x / 6) + (y / 6)) % 2 == 0;
            (if dark { base - 70 } else { base }).clamp(0, 255) as u8
        });
        let b = local(&g);
        let mut wrong = 0;
        for y in 0..120 {
            for x in 0..120 {
                if b.get(x, y) != (((x / 6) + (y / 6)) % 2 == 0) {
                    wrong += 1;
                }
            }
        }
        assert!(wrong < 120 * 120 / 100, "{wrong} pixels wrong");
        // A global threshold cannot do this.
        let gb = global(&g);
        let gwrong = (0..120 * 120).filter(|&i| gb.data[i] != b.data[i]).count();
        assert!(gwrong > 120 * 120 / 10);
    }

    #[test]
    fn large_flat_dark_area_stays_dark() {
        // A 60 px black square on white: its flat interior has no contrast of its own.
        let g = gray(160, 160, |x, y| {
            if (50..110).contains(&x) && (50..110).contains(&y) {
                20
            } else {
                230
            }
        });
        let b = local(&g);
        assert!(b.get(80, 80));
        assert!(!b.get(10, 10));
        assert!(!b.get(150, 80));
    }

    #[test]
    fn blocks_of_one_contrast_weigh_alike() {
        // Every block holds a dark and a light stripe 60 levels apart, its
        // level rising across the image: with no flat block and one contrast
        // everywhere, the weighted window mean is the plain one (to within
        // rounding: the plain one rounds down, the weighted one to nearest).
        let g = gray(96, 72, |x, y| {
            let base = (x / 8 + 2 * (y / 8)) as u8 * 6;
            if x % 8 < 4 {
                base
            } else {
                base + 60
            }
        });
        let levels = |b: BitImage| {
            b.levels
                .as_ref()
                .map(|l| l.thresholds.clone())
                .unwrap_or_default()
        };
        let (plain, weighted) = (levels(local(&g)), levels(local_weighted(&g)));
        assert_eq!(plain.len(), 12 * 9);
        for (p, w) in plain.iter().zip(&weighted) {
            assert!(w.abs_diff(*p) <= 1, "plain {p}, weighted {w}");
        }
    }

    #[test]
    fn a_labels_faint_edge_does_not_lift_the_weighted_threshold_of_a_symbol_beside_it() {
        // A background of 190 in the top-left 36 x 36 px, a label of 216
        // elsewhere: the blocks across the edge have a contrast of 26, just
        // over the flat limit, and a midrange of 203. Beside them, a symbol
        // of 16 x 16 px whose light modules blur to 150 against dark ones of
        // 20. The plain mean takes the edge's level from 16 of the 25 blocks
        // round the symbol and reads the light modules dark; weighted by
        // contrast, the symbol's own blocks keep them light.
        let g = gray(80, 80, |x, y| {
            if (16..32).contains(&x) && (16..32).contains(&y) {
                if x % 8 < 4 {
                    20
                } else {
                    150
                }
            } else if x < 36 && y < 36 {
                190
            } else {
                216
            }
        });
        let (plain, weighted) = (local(&g), local_weighted(&g));
        assert!(
            plain.get(29, 29),
            "the plain mean reads the light module dark"
        );
        assert!(!weighted.get(29, 29));
        for b in [&plain, &weighted] {
            assert!(b.get(25, 25), "a dark module stays dark");
            assert!(!b.get(60, 60) && !b.get(5, 5), "flat areas stay light");
        }
    }
}
