//! Borrowed pixel buffers (`ImageRef`) and their conversion to one grey byte
//! per pixel, the only form the detector works on.

use crate::error::DecodeError;

/// How the bytes of an [`ImageRef`] encode a pixel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PixelFormat {
    /// One grey byte per pixel.
    Luma,
    /// Red, green, blue bytes.
    Rgb,
    /// Red, green, blue, alpha bytes (transparent pixels count as white).
    Rgba,
    /// Blue, green, red, alpha bytes (canvas and many camera APIs).
    Bgra,
}

impl PixelFormat {
    /// Bytes per pixel.
    pub fn channels(self) -> usize {
        match self {
            PixelFormat::Luma => 1,
            PixelFormat::Rgb => 3,
            PixelFormat::Rgba | PixelFormat::Bgra => 4,
        }
    }
}

/// A borrowed image: pixel bytes, size, row stride and pixel format. Nothing
/// is copied until decoding; sizes are checked by [`decode`](super::decode).
#[derive(Clone, Copy, Debug)]
pub struct ImageRef<'a> {
    pub(crate) data: &'a [u8],
    pub(crate) width: usize,
    pub(crate) height: usize,
    /// Bytes from the start of one row to the next.
    pub(crate) stride: usize,
    pub(crate) format: PixelFormat,
}

impl<'a> ImageRef<'a> {
    /// An image with the given pixel format and tightly packed rows.
    pub fn new(data: &'a [u8], width: usize, height: usize, format: PixelFormat) -> Self {
        ImageRef {
            data,
            width,
            height,
            stride: width.saturating_mul(format.channels()),
            format,
        }
    }

    /// A grey image, one byte per pixel, rows packed.
    pub fn luma(data: &'a [u8], width: usize, height: usize) -> Self {
        ImageRef::new(data, width, height, PixelFormat::Luma)
    }

    /// An RGB image, three bytes per pixel, rows packed.
    pub fn rgb(data: &'a [u8], width: usize, height: usize) -> Self {
        ImageRef::new(data, width, height, PixelFormat::Rgb)
    }

    /// An RGBA image, four bytes per pixel, rows packed (`ImageData` in browsers).
    pub fn rgba(data: &'a [u8], width: usize, height: usize) -> Self {
        ImageRef::new(data, width, height, PixelFormat::Rgba)
    }

    /// Rows start `stride` bytes apart (at least width x bytes per pixel).
    pub fn with_stride(mut self, stride: usize) -> Self {
        self.stride = stride;
        self
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Checks the buffer against size, stride and the pixel limit.
    pub(crate) fn check(&self, max_pixels: u64) -> Result<(), DecodeError> {
        let (w, h) = (self.width, self.height);
        if w == 0 || h == 0 {
            return Err(DecodeError::EmptyImage {
                width: w,
                height: h,
            });
        }
        let pixels = w as u64 * h as u64;
        if pixels > max_pixels {
            return Err(DecodeError::ImageTooLarge {
                width: w,
                height: h,
                max_pixels,
            });
        }
        let row = w * self.format.channels();
        if self.stride < row {
            return Err(DecodeError::InvalidStride {
                stride: self.stride,
                min: row,
            });
        }
        let needed = (h - 1)
            .checked_mul(self.stride)
            .and_then(|n| n.checked_add(row))
            .unwrap_or(usize::MAX);
        if self.data.len() < needed {
            return Err(DecodeError::BufferTooSmall {
                len: self.data.len(),
                needed,
            });
        }
        Ok(())
    }
}

/// How far apart (pixels) [`Gray::streaks`] compares pixels: past a
/// symbol's module at the sizes the smoothed looks read (up to about 8 px),
/// well short of a plate's streaks.
const STREAK_REACH: usize = 24;

/// An owned grey image, one byte per pixel, rows packed.
#[derive(Clone)]
pub(crate) struct Gray {
    pub(crate) width: usize,
    pub(crate) height: usize,
    /// Shared with the binary images made from it (they sample grey levels).
    pub(crate) data: std::sync::Arc<Vec<u8>>,
}

// The buffers go back to the thread's pool (see `scratch`); WebAssembly keeps none.
#[cfg(not(target_arch = "wasm32"))]
impl Drop for Gray {
    fn drop(&mut self) {
        if let Some(data) = std::sync::Arc::get_mut(&mut self.data) {
            super::scratch::keep_bytes(std::mem::take(data));
        }
    }
}

/// Weights, in 128ths, of the four input pixels round a point a quarter
/// of a pixel past one of them, for the 2x enlargements: that pixel, its
/// neighbour on the near side, the one on the far side, and the one beyond
/// the near neighbour. Bilinear weights spread a module's edge over two
/// output pixels; Catmull-Rom's (Keys' cubic, a = -1/2) keep it nearly a
/// step.
#[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
const BILINEAR: [i32; 4] = [96, 32, 0, 0];
const CATMULL_ROM: [i32; 4] = [111, 29, -9, -3];

/// The `w` x `h` pixels of `src`, row after row, mirrored about the main
/// diagonal: an `h` x `w` image. Tiles of 32 x 32 keep each tile's column
/// reads within a few cache lines.
fn transposed(src: &[u8], w: usize, h: usize) -> Vec<u8> {
    const TILE: usize = 32;
    let mut out = super::scratch::bytes(w * h);
    out.resize(w * h, 0);
    for y0 in (0..h).step_by(TILE) {
        for x0 in (0..w).step_by(TILE) {
            for y in y0..(y0 + TILE).min(h) {
                for x in x0..(x0 + TILE).min(w) {
                    out[x * h + y] = src[y * w + x];
                }
            }
        }
    }
    out
}

/// One row enlarged 2x along itself, in 128ths of a grey level: output
/// pixels `2i` and `2i + 1` lie a quarter of a pixel before and after input
/// pixel `i` (edges clamped).
// Natively each enlargement gets its own copy with its weights folded in
// (small images enlarged whole decode 15 % slower without); WebAssembly
// keeps one, for size.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn double_row(src: &[u8], dst: &mut [i32], k: [i32; 4]) {
    let n = src.len();
    let at = |i: usize, back: usize, ahead: usize| {
        i32::from(src[(i + ahead).saturating_sub(back).min(n - 1)])
    };
    let tap = |p: [i32; 4]| k[0] * p[0] + k[1] * p[1] + k[2] * p[2] + k[3] * p[3];
    // The two pixels at each end have clamped neighbours.
    for i in (0..n.min(2)).chain(n.saturating_sub(2).max(2)..n) {
        dst[2 * i] = tap([at(i, 0, 0), at(i, 1, 0), at(i, 0, 1), at(i, 2, 0)]);
        dst[2 * i + 1] = tap([at(i, 0, 0), at(i, 0, 1), at(i, 1, 0), at(i, 0, 2)]);
    }
    if n < 5 {
        return;
    }
    for (pair, w) in dst[4..2 * n - 4].chunks_exact_mut(2).zip(src.windows(5)) {
        let w = [w[0], w[1], w[2], w[3], w[4]].map(i32::from);
        pair[0] = tap([w[2], w[1], w[3], w[0]]);
        pair[1] = tap([w[2], w[3], w[1], w[4]]);
    }
}

/// One output row of the vertical pass: the weights `k` column by column
/// over the doubled rows `[here, near, far, beyond]` (see [`BILINEAR`]),
/// rounded and clamped to a grey level.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn double_rows(out: &mut [u8], rows: [&[i32]; 4], k: [i32; 4]) {
    let [a, b, c, d] = rows;
    for ((((o, &a), &b), &c), &d) in out.iter_mut().zip(a).zip(b).zip(c).zip(d) {
        let v = k[0] * a + k[1] * b + k[2] * c + k[3] * d;
        *o = ((v + 8192) >> 14).clamp(0, 255) as u8;
    }
}

impl Gray {
    /// Converts a checked image to grey (ITU-R BT.601 weights; alpha over white).
    pub(crate) fn from_image(img: &ImageRef<'_>) -> Gray {
        let (w, h) = (img.width, img.height);
        let mut data = super::scratch::bytes(w * h);
        for y in 0..h {
            let row = &img.data[y * img.stride..y * img.stride + w * img.format.channels()];
            if img.format == PixelFormat::Luma {
                // Grey rows (the camera's luma plane) are copied, never zeroed first.
                data.extend_from_slice(row);
                continue;
            }
            // Written into the row's slots, not pushed: a loop over a slice
            // vectorises (RGB 0.9 -> 0.4 ms for a 720p frame), pushes do not.
            let start = data.len();
            data.resize(start + w, 0);
            let out = &mut data[start..];
            if img.format == PixelFormat::Rgb {
                for (o, p) in out.iter_mut().zip(row.chunks_exact(3)) {
                    *o = luma(p[0], p[1], p[2]);
                }
            } else {
                let weights = if img.format == PixelFormat::Bgra {
                    BR_WEIGHTS
                } else {
                    RB_WEIGHTS
                };
                for (o, p) in out.iter_mut().zip(row.chunks_exact(4)) {
                    *o = over_white(packed_luma([p[0], p[1], p[2], p[3]], weights), p[3]);
                }
            }
        }
        Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(data),
        }
    }
}

impl Gray {
    /// The pixels inside the box (x0, y0, x1, y1) (continuous coordinates,
    /// clamped to the image) as an image of their own, with the position
    /// of its first pixel; `None` when under 8 pixels either way.
    pub(crate) fn crop(&self, r: &[f32; 4]) -> Option<(Gray, usize, usize)> {
        // `as` saturates: negative and NaN give 0.
        let clamp = |v: f32, most: usize| (v.max(0.0) as usize).min(most);
        let (x0, y0) = (clamp(r[0], self.width), clamp(r[1], self.height));
        let (x1, y1) = (
            clamp(r[2].ceil(), self.width),
            clamp(r[3].ceil(), self.height),
        );
        let (w, h) = (x1.checked_sub(x0)?, y1.checked_sub(y0)?);
        if w < 8 || h < 8 {
            return None;
        }
        let mut data = super::scratch::bytes(w * h);
        for y in y0..y1 {
            data.extend_from_slice(self.data.get(y * self.width + x0..y * self.width + x1)?);
        }
        let crop = Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(data),
        };
        Some((crop, x0, y0))
    }

    /// The image smoothed by `passes` of the binomial filter [1 2 1] / 4
    /// along rows, then columns (edges clamped): about a Gaussian of
    /// variance `passes / 2` square pixels.
    pub(crate) fn smoothed(&self, passes: usize) -> Gray {
        let (w, h) = (self.width, self.height);
        let mut out = self.data.to_vec();
        let mut rows = vec![0u8; out.len()];
        // Each pass as three shifted slices zipped, the clamped edges apart:
        // loops the compiler vectorizes (per-pixel clamped indices did not,
        // and the smoothed looks were a sixth of a small image's search).
        let passes = if w == 0 || h == 0 { 0 } else { passes };
        for _ in 0..passes {
            for (src, dst) in out.chunks_exact(w).zip(rows.chunks_exact_mut(w)) {
                let last = w - 1;
                if w == 1 {
                    dst[0] = src[0];
                    continue;
                }
                dst[0] = binomial(src[0], src[0], src[1]);
                dst[last] = binomial(src[last - 1], src[last], src[last]);
                let inner = dst[1..last].iter_mut().zip(&src[..last - 1]);
                for ((d, &a), (&b, &c)) in inner.zip(src[1..last].iter().zip(&src[2..])) {
                    *d = binomial(a, b, c);
                }
            }
            for y in 0..h {
                let row = |j: usize| &rows[j * w..(j + 1) * w];
                let (above, here, below) =
                    (row(y.saturating_sub(1)), row(y), row((y + 1).min(h - 1)));
                let pixels = out[y * w..(y + 1) * w].iter_mut().zip(above);
                for ((o, &a), (&b, &c)) in pixels.zip(here.iter().zip(below)) {
                    *o = binomial(a, b, c);
                }
            }
        }
        Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(out),
        }
    }

    /// The direction of the streaks of a brushed plate, if the image shows
    /// some: a unit vector along them. For each of 36 directions (5 degrees
    /// apart), the mean difference between pixels [`STREAK_REACH`] apart
    /// along it, on a grid of every sixth pixel: long streaks differ least
    /// along their own direction, while a symbol's modules (and an engraved
    /// one's lit and shaded walls, which make the gradients themselves point
    /// one way) differ alike at that reach in every direction. `None` unless
    /// the least of those means is at most `most` times their median.
    pub(crate) fn streaks(&self, most: f64) -> Option<(f64, f64)> {
        self.streaks_every(most, 6)
    }

    /// [`Gray::streaks`] on a grid of every `step`-th pixel (at least 1).
    pub(crate) fn streaks_every(&self, most: f64, step: usize) -> Option<(f64, f64)> {
        let step = step.max(1);
        let (w, h) = (self.width, self.height);
        let reach = STREAK_REACH;
        if w <= 2 * reach || h <= 2 * reach {
            return None;
        }
        // Each direction's mean difference, times 256.
        let mut means = [0u64; 36];
        for (k, mean) in means.iter_mut().enumerate() {
            let angle = (k as f64 * 5.0).to_radians();
            let dx = (reach as f64 * angle.cos()).round() as isize;
            let dy = (reach as f64 * angle.sin()).round() as isize;
            let (mut sum, mut n) = (0u64, 0u64);
            for y in (reach..h - reach).step_by(step) {
                let there = (y as isize + dy) as usize * w;
                for x in (reach..w - reach).step_by(step) {
                    let a = self.data[y * w + x];
                    let b = self.data[there + (x as isize + dx) as usize];
                    sum += u64::from(a.abs_diff(b));
                    n += 1;
                }
            }
            *mean = (sum << 8) / n.max(1);
        }
        let mut sorted = means;
        sorted.sort_unstable();
        let (least, median) = (sorted[0], (sorted[17] + sorted[18]) / 2);
        if least as f64 > most * median as f64 {
            return None;
        }
        let k = means.iter().position(|&m| m == least)?;
        let angle = (k as f64 * 5.0).to_radians();
        Some((angle.cos(), angle.sin()))
    }

    /// The image less the mean of the `2 * reach + 1` pixels round each
    /// along `along` (a unit vector, see [`Gray::streaks`]), plus 128: a
    /// brushed plate's streaks, constant along their direction, go; a
    /// symbol's modules, a few pixels long, stay. Each pixel's line is a
    /// digital line (one pixel per step along the nearer axis), and the
    /// means are running sums over it.
    pub(crate) fn destreaked(&self, along: (f64, f64), reach: usize) -> Gray {
        let (w, h) = (self.width, self.height);
        let mut out = vec![128u8; w * h];
        // Steps along the nearer axis (x when the streaks run closer to
        // rows), the other coordinate offset by the slope.
        let rows = along.0.abs() >= along.1.abs();
        let (len, across) = if rows { (w, h) } else { (h, w) };
        let slope = if rows {
            along.1 / along.0
        } else {
            along.0 / along.1
        };
        let shift = |i: usize| (i as f64 * slope).round() as i64;
        let end = shift(len.saturating_sub(1));
        let (lo, hi) = (end.min(0), end.max(0));
        let mut line: Vec<(usize, u8)> = Vec::with_capacity(len);
        let mut sums: Vec<u32> = Vec::with_capacity(len + 1);
        for offset in -hi..across as i64 - lo {
            line.clear();
            for i in 0..len {
                let j = offset + shift(i);
                if j < 0 || j >= across as i64 {
                    continue;
                }
                let at = if rows {
                    j as usize * w + i
                } else {
                    i * w + j as usize
                };
                line.push((at, self.data[at]));
            }
            sums.clear();
            sums.push(0);
            for &(_, v) in &line {
                let last = sums[sums.len() - 1];
                sums.push(last + u32::from(v));
            }
            let n = line.len();
            for (k, &(at, v)) in line.iter().enumerate() {
                let (a, b) = (k.saturating_sub(reach), (k + reach + 1).min(n));
                let mean = (sums[b] - sums[a]) as i32 / (b - a) as i32;
                out[at] = (i32::from(v) - mean + 128).clamp(0, 255) as u8;
            }
        }
        Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(out),
        }
    }

    /// The image sharpened by an unsharp mask: each pixel moved away from
    /// [`Gray::smoothed`]`(passes)` by `amount` times what it differs by.
    pub(crate) fn sharpened(&self, passes: usize, amount: i16) -> Gray {
        let smooth = self.smoothed(passes);
        let data = self
            .data
            .iter()
            .zip(smooth.data.iter())
            .map(|(&g, &s)| {
                let (g, s) = (i16::from(g), i16::from(s));
                (g + amount * (g - s)).clamp(0, 255) as u8
            })
            .collect();
        Gray {
            width: self.width,
            height: self.height,
            data: std::sync::Arc::new(data),
        }
    }

    /// The image enlarged 2x by bilinear interpolation (see [`BILINEAR`];
    /// pixel centres kept where they are in continuous coordinates, edges
    /// clamped).
    pub(crate) fn upscaled(&self) -> Gray {
        #[cfg(not(target_arch = "wasm32"))]
        return self.doubled_bilinear();
        #[cfg(target_arch = "wasm32")]
        return self.doubled(BILINEAR);
    }

    /// [`Gray::doubled`] with [`BILINEAR`]'s weights, the same bytes in
    /// 16 bits: those weights are 32 times (3, 1), so each pass's sum fits
    /// a u16 in sixteenths ((3 p + q) along rows, then down), and the final
    /// rounding ((v * 1024 + 8192) >> 14) is (v + 8) >> 4. Twice the lanes
    /// of the i32 passes; natively only (WebAssembly keeps one copy, for
    /// size).
    #[cfg(any(not(target_arch = "wasm32"), test))]
    fn doubled_bilinear(&self) -> Gray {
        let (sw, sh) = (self.width, self.height);
        let (w, h) = (sw * 2, sh * 2);
        if w * h == 0 {
            return Gray {
                width: w,
                height: h,
                data: std::sync::Arc::new(Vec::new()),
            };
        }
        let mut wide = vec![0u16; w * sh];
        for (src, dst) in self.data.chunks_exact(sw).zip(wide.chunks_exact_mut(w)) {
            // Each output pair: three of the pixel and one of the neighbour
            // before it, then after it (clamped at the ends).
            let at = |i: usize| u16::from(src[i]);
            let (first, last) = (at(0), at(sw - 1));
            dst[0] = 4 * first;
            dst[1] = 3 * first + at(1.min(sw - 1));
            dst[w - 2] = 3 * last + at(sw.saturating_sub(2));
            dst[w - 1] = 4 * last;
            let inner = dst.get_mut(2..w - 2).unwrap_or_default();
            for (pair, t) in inner.chunks_exact_mut(2).zip(src.windows(3)) {
                let here = 3 * u16::from(t[1]);
                pair[0] = here + u16::from(t[0]);
                pair[1] = here + u16::from(t[2]);
            }
        }
        let mut data = super::scratch::bytes(w * h);
        data.resize(w * h, 0);
        let row = |j: usize| &wide[j * w..(j + 1) * w];
        let blend = |out: &mut [u8], near: &[u16], other: &[u16]| {
            for ((o, &a), &b) in out.iter_mut().zip(near).zip(other) {
                *o = ((3 * a + b + 8) >> 4) as u8;
            }
        };
        for j in 0..sh {
            let (top, bottom) = data[2 * j * w..(2 * j + 2) * w].split_at_mut(w);
            blend(top, row(j), row(j.saturating_sub(1)));
            blend(bottom, row(j), row((j + 1).min(sh - 1)));
        }
        Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(data),
        }
    }

    /// The image enlarged 2x by Catmull-Rom interpolation (see
    /// [`CATMULL_ROM`]): edges stay nearly steps where [`Gray::upscaled`]
    /// spreads them over two pixels. Far-away symbols of blurred modules
    /// under 2 px read more often so; engraved ones, whose edges are
    /// highlights, less.
    pub(crate) fn upscaled_sharp(&self) -> Gray {
        self.doubled(CATMULL_ROM)
    }

    /// The image mirrored about its main diagonal: pixel `(x, y)` becomes
    /// `(y, x)`, so that a scan of its rows crosses the image's columns.
    pub(crate) fn transposed(&self) -> Gray {
        Gray {
            width: self.height,
            height: self.width,
            data: std::sync::Arc::new(transposed(&self.data, self.width, self.height)),
        }
    }

    /// The image enlarged 2x with weights `k` (see [`BILINEAR`]), one pass
    /// per axis, exact in integers until the final rounding.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn doubled(&self, k: [i32; 4]) -> Gray {
        let (sw, sh) = (self.width, self.height);
        let (w, h) = (sw * 2, sh * 2);
        let mut wide = vec![0i32; w * sh];
        for (src, dst) in self.data.chunks_exact(sw).zip(wide.chunks_exact_mut(w)) {
            double_row(src, dst, k);
        }
        let mut data = super::scratch::bytes(w * h);
        data.resize(w * h, 0);
        let row = |j: usize| &wide[j.min(sh - 1) * w..(j.min(sh - 1) + 1) * w];
        for j in 0..sh {
            let (top, bottom) = data[2 * j * w..(2 * j + 2) * w].split_at_mut(w);
            let (up, up2) = (j.saturating_sub(1), j.saturating_sub(2));
            double_rows(top, [row(j), row(up), row(j + 1), row(up2)], k);
            double_rows(bottom, [row(j), row(j + 1), row(up), row(j + 2)], k);
        }
        Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(data),
        }
    }
}

/// (a + 2 b + c) / 4, rounded: one tap of [`Gray::smoothed`]'s filter.
#[inline(always)]
fn binomial(a: u8, b: u8, c: u8) -> u8 {
    ((u16::from(a) + 2 * u16::from(b) + u16::from(c) + 2) >> 2) as u8
}

#[inline]
pub(super) fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((r as u32 * 77 + g as u32 * 150 + b as u32 * 29 + 128) >> 8) as u8
}

/// [`packed_luma`]'s multipliers: the first byte's weight in the upper
/// half, the third's in the lower (RGBA: red first; BGRA: blue first).
const RB_WEIGHTS: u32 = 29 | (77 << 16);
const BR_WEIGHTS: u32 = 77 | (29 << 16);

/// [`luma`] of a four-byte pixel read as one word (alpha ignored): the first and
/// third bytes sit in separate 16-bit lanes, so one multiply by `weights`
/// leaves their weighted sum in the upper lane (at most 255 x 106, no carry
/// between lanes). One multiply and one load instead of two of each, which
/// counts where there is no SIMD (WebAssembly).
#[inline]
fn packed_luma(bytes: [u8; 4], weights: u32) -> u8 {
    let x = u32::from_le_bytes(bytes);
    let outer = (x & 0x00FF_00FF).wrapping_mul(weights) >> 16;
    ((outer + ((x >> 8) & 0xFF) * 150 + 128) >> 8) as u8
}

#[inline]
pub(super) fn over_white(v: u8, alpha: u8) -> u8 {
    // Opaque pixels (every camera frame's) skip the blend and its division:
    // without SIMD, the division alone cost a third of the conversion.
    if alpha == 255 {
        return v;
    }
    ((v as u32 * alpha as u32 + 255 * (255 - alpha as u32) + 127) / 255) as u8
}

/// Images from the shared test kit (`civiqr-testkit`) as reader input.
#[cfg(test)]
impl From<civiqr_testkit::Gray> for Gray {
    fn from(g: civiqr_testkit::Gray) -> Gray {
        Gray {
            width: g.width,
            height: g.height,
            data: std::sync::Arc::new(g.data),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pseudo-random level (0..=63) for `i` (splitmix64's finalizer).
    fn hashed(i: i64) -> u8 {
        let mut h = (i as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((h ^ (h >> 31)) >> 58) as u8
    }

    /// A plate of streaks along `(cos a, sin a)`, constant along them, their
    /// level interpolated across between random ones 6 px apart, with a
    /// dark 12 px square in the middle.
    fn streaked_plate(side: usize, angle: f64) -> Gray {
        let (c, s) = (angle.cos(), angle.sin());
        let mut data = vec![0u8; side * side];
        for y in 0..side {
            for x in 0..side {
                // The distance across the streaks picks the streak's level.
                let across = (-(x as f64) * s + y as f64 * c) / 6.0;
                let (k, t) = (across.floor(), across - across.floor());
                let (a, b) = (f64::from(hashed(k as i64)), f64::from(hashed(k as i64 + 1)));
                let level = 150 + (a + (b - a) * t).round() as u8;
                let mid = side / 2;
                let square = x.abs_diff(mid) < 6 && y.abs_diff(mid) < 6;
                data[y * side + x] = if square { 40 } else { level };
            }
        }
        Gray {
            width: side,
            height: side,
            data: std::sync::Arc::new(data),
        }
    }

    #[test]
    fn streaks_are_found_along_their_direction_and_taken_out() {
        for degrees in [0.0f64, 30.0, 90.0, 135.0] {
            let plate = streaked_plate(160, degrees.to_radians());
            let (x, y) = plate.streaks(0.85).expect("streaks");
            // Within the 5-degree steps, either way along the line; on the
            // coarse grid too (the plate test ahead of the wrapped pass).
            let (cx, cy) = plate
                .streaks_every(0.85, 12)
                .expect("streaks on the coarse grid");
            for (x, y) in [(x, y), (cx, cy)] {
                let found = y.atan2(x).to_degrees().rem_euclid(180.0);
                let off = (found - degrees).abs();
                assert!(off.min(180.0 - off) <= 2.5, "{degrees}: found {found}");
            }
            // Away from the square the streaks are gone (within the mean's
            // rounding and the digital lines' steps); the square stays dark.
            let flat = plate.destreaked((x, y), 47);
            let px = |x: usize, y: usize| i32::from(flat.data[y * 160 + x]);
            let spread = (20..60).flat_map(|y| (20..60).map(move |x| (x, y)));
            let (lo, hi) = spread.fold((255, 0), |(lo, hi), (x, y)| {
                (lo.min(px(x, y)), hi.max(px(x, y)))
            });
            assert!(hi - lo <= 24, "{degrees}: streaks left {lo}..{hi}");
            assert!(px(80, 80) < lo - 60, "{degrees}: the square washed out");
        }
    }

    #[test]
    fn texture_without_a_direction_shows_no_streaks() {
        // Random 4 px blocks differ alike along every direction at the
        // comparison's reach.
        let texture = |side: usize| {
            let data = (0..side * side)
                .map(|i| {
                    let block = (i % side / 4 + (i / side / 4) * 1000) as i64;
                    60 + 2 * hashed(block)
                })
                .collect();
            Gray {
                width: side,
                height: side,
                data: std::sync::Arc::new(data),
            }
        };
        assert_eq!(texture(120).streaks(0.85), None);
        // The coarse grid needs a larger image for as many samples: the
        // test ahead of the wrapped pass sees images of 300-639 px.
        assert_eq!(texture(360).streaks_every(0.85, 12), None);
        // Too small to compare pixels that far apart.
        assert_eq!(streaked_plate(40, 0.0).streaks(0.85), None);
    }

    #[test]
    fn sharpening_leaves_flat_areas_and_steepens_an_edge_with_overshoot() {
        // A blurred step from 60 to 200 along each row.
        let row = [60u8, 60, 60, 60, 80, 130, 180, 200, 200, 200, 200];
        let (w, h) = (row.len(), 5);
        let gray = Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(row.repeat(h)),
        };
        let sharp = gray.sharpened(2, 1);
        let out = &sharp.data[2 * w..3 * w];
        // Far from the edge nothing moves; beside it the dark side darkens
        // and the light side lightens (clamped to the grey range), and the
        // edge's middle stays put.
        assert_eq!((out[0], out[w - 1]), (60, 200));
        assert!(out[4] < 80 && out[6] > 180, "{out:?}");
        assert!(out[3] <= 60 && out[7] >= 200, "{out:?}");
        assert!(out[5].abs_diff(130) <= 3, "{out:?}");
        for y in 0..h {
            assert_eq!(&sharp.data[y * w..(y + 1) * w], out, "every row alike");
        }
    }

    #[test]
    fn transposing_swaps_the_axes_across_tile_edges() {
        // Sizes on both sides of the 32-pixel tiles, neither a multiple.
        for (w, h) in [(1, 1), (3, 70), (45, 33), (64, 31)] {
            let pixel = |x: usize, y: usize| ((x * 7 + y * 13) % 251) as u8;
            let gray = Gray {
                width: w,
                height: h,
                data: std::sync::Arc::new((0..w * h).map(|i| pixel(i % w, i / w)).collect()),
            };
            let t = gray.transposed();
            assert_eq!((t.width, t.height), (h, w));
            for y in 0..w {
                for x in 0..h {
                    assert_eq!(t.data[y * h + x], pixel(y, x), "{w}x{h} at ({x}, {y})");
                }
            }
        }
    }

    #[test]
    fn upscaling_interpolates_with_quarter_weights_and_clamped_edges() {
        // Bilinear at 2x with centres kept, computed the long way in floats,
        // for widths and heights with and without interior pixels.
        for (sw, sh) in [(7, 5), (1, 3), (2, 1), (3, 2), (16, 9)] {
            let src: Vec<u8> = (0..sw * sh).map(|i| (i * 37 % 256) as u8).collect();
            let gray = Gray {
                width: sw,
                height: sh,
                data: std::sync::Arc::new(src.clone()),
            };
            let big = gray.upscaled();
            assert_eq!((big.width, big.height), (2 * sw, 2 * sh));
            for y in 0..2 * sh {
                let fy = ((y as f32 + 0.5) / 2.0 - 0.5).max(0.0);
                let (y0, ay) = (fy as usize, fy.fract());
                let y1 = (y0 + 1).min(sh - 1);
                for x in 0..2 * sw {
                    let fx = ((x as f32 + 0.5) / 2.0 - 0.5).max(0.0);
                    let (x0, ax) = (fx as usize, fx.fract());
                    let x1 = (x0 + 1).min(sw - 1);
                    let g = |x: usize, y: usize| f32::from(src[y * sw + x]);
                    let top = g(x0, y0) * (1.0 - ax) + g(x1, y0) * ax;
                    let bottom = g(x0, y1) * (1.0 - ax) + g(x1, y1) * ax;
                    let want = top * (1.0 - ay) + bottom * ay;
                    let got = f32::from(big.data[y * 2 * sw + x]);
                    assert!(
                        (got - want).abs() <= 0.5 + 1e-3,
                        "{sw}x{sh} ({x}, {y}): {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_16_bit_bilinear_enlargement_gives_the_same_bytes() {
        // Extremes (0 and 255 side by side) and every size class of the
        // clamped ends.
        for (sw, sh) in [(1, 1), (2, 3), (5, 1), (7, 5), (33, 17)] {
            let src: Vec<u8> = (0..sw * sh)
                .map(|i| {
                    if i % 3 == 0 {
                        255
                    } else {
                        (i * 91 % 256) as u8
                    }
                })
                .collect();
            let gray = Gray {
                width: sw,
                height: sh,
                data: std::sync::Arc::new(src),
            };
            assert_eq!(
                gray.doubled_bilinear().data,
                gray.doubled(BILINEAR).data,
                "{sw}x{sh}"
            );
        }
    }

    #[test]
    fn upscaling_interpolates_catmull_rom_with_clamped_edges() {
        // Keys' cubic (a = -1/2) at 2x with centres kept, computed the long
        // way in floats, for sizes with and without interior pixels.
        let keys = |d: f32| {
            let d = d.abs();
            if d <= 1.0 {
                1.5 * d * d * d - 2.5 * d * d + 1.0
            } else if d < 2.0 {
                -0.5 * d * d * d + 2.5 * d * d - 4.0 * d + 2.0
            } else {
                0.0
            }
        };
        // Output pixel k of an axis of n input pixels, from `get`.
        let along = |k: usize, n: usize, get: &dyn Fn(usize) -> f32| {
            let at = (k as f32 + 0.5) / 2.0 - 0.5;
            let base = at.floor() as i64;
            (base - 1..=base + 2)
                .map(|i| get(i.clamp(0, n as i64 - 1) as usize) * keys(at - i as f32))
                .sum::<f32>()
        };
        for (sw, sh) in [(7, 5), (1, 3), (2, 1), (3, 2), (4, 6), (5, 5), (16, 9)] {
            let src: Vec<u8> = (0..sw * sh).map(|i| (i * 37 % 256) as u8).collect();
            let gray = Gray {
                width: sw,
                height: sh,
                data: std::sync::Arc::new(src.clone()),
            };
            let big = gray.upscaled_sharp();
            assert_eq!((big.width, big.height), (2 * sw, 2 * sh));
            for y in 0..2 * sh {
                for x in 0..2 * sw {
                    let row = |j: usize| along(x, sw, &|i| f32::from(src[j * sw + i]));
                    let want = along(y, sh, &row).clamp(0.0, 255.0);
                    let got = f32::from(big.data[y * 2 * sw + x]);
                    assert!(
                        (got - want).abs() <= 0.5 + 1e-3,
                        "{sw}x{sh} ({x}, {y}): {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn smoothing_spreads_a_point_binomially_and_keeps_flat_areas() {
        let image = |w: usize, h: usize, data: Vec<u8>| Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(data),
        };
        // One pass of [1 2 1] / 4 each way on a bright point in the middle
        // of a dark 5 x 5 image: 16 x [1 2 1] outer [1 2 1] / 16.
        let mut point = vec![0u8; 25];
        point[12] = 160;
        let one = image(5, 5, point).smoothed(1);
        let want = [
            0, 0, 0, 0, 0, 0, 10, 20, 10, 0, 0, 20, 40, 20, 0, 0, 10, 20, 10, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(*one.data, want);
        // Flat stays flat, edges included (clamped), any number of passes.
        let flat = image(3, 4, vec![77; 12]).smoothed(3);
        assert!(flat.data.iter().all(|&v| v == 77));
        // Degenerate sizes neither panic nor change.
        assert!(image(0, 0, Vec::new()).smoothed(2).data.is_empty());
        // Every size against the filter written pixel by pixel, edges
        // clamped: the same bytes.
        let mut seed = 7u32;
        for (w, h) in [(1, 1), (1, 5), (2, 1), (2, 3), (3, 2), (5, 4), (17, 9)] {
            let data: Vec<u8> = (0..w * h)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (seed >> 24) as u8
                })
                .collect();
            let mut want = data.clone();
            for _ in 0..3 {
                let at = |v: &[u8], x: usize, y: usize| v[y.min(h - 1) * w + x.min(w - 1)];
                let rows: Vec<u8> = (0..w * h)
                    .map(|i| {
                        let (x, y) = (i % w, i / w);
                        binomial(
                            at(&want, x.saturating_sub(1), y),
                            at(&want, x, y),
                            at(&want, x + 1, y),
                        )
                    })
                    .collect();
                want = (0..w * h)
                    .map(|i| {
                        let (x, y) = (i % w, i / w);
                        binomial(
                            at(&rows, x, y.saturating_sub(1)),
                            at(&rows, x, y),
                            at(&rows, x, y + 1),
                        )
                    })
                    .collect();
            }
            assert_eq!(*image(w, h, data).smoothed(3).data, want, "{w} x {h}");
        }
        assert_eq!(*image(1, 1, vec![9]).smoothed(2).data, vec![9]);
    }

    #[test]
    fn buffer_checks_name_the_problem() {
        let data = [0u8; 10];
        assert!(matches!(
            ImageRef::luma(&data, 4, 3).check(1 << 30),
            Err(DecodeError::BufferTooSmall {
                len: 10,
                needed: 12
            })
        ));
        assert!(matches!(
            ImageRef::luma(&data, 0, 3).check(1 << 30),
            Err(DecodeError::EmptyImage { .. })
        ));
        assert!(matches!(
            ImageRef::luma(&data, 4, 2).with_stride(3).check(1 << 30),
            Err(DecodeError::InvalidStride { stride: 3, min: 4 })
        ));
        assert!(matches!(
            ImageRef::luma(&data, 5, 2).check(9),
            Err(DecodeError::ImageTooLarge { .. })
        ));
        assert!(ImageRef::luma(&data, 4, 2)
            .with_stride(5)
            .check(1 << 30)
            .is_ok());
    }

    #[test]
    fn colours_become_grey_and_transparent_becomes_white() {
        let rgba = [0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 255];
        let g = Gray::from_image(&ImageRef::rgba(&rgba, 2, 2));
        assert_eq!(*g.data, vec![0, 255, 255, 77]);
        let rgb = [0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255];
        assert_eq!(
            *Gray::from_image(&ImageRef::rgb(&rgb, 2, 2)).data,
            vec![0, 255, 77, 29]
        );
        let bgra = [255, 0, 0, 255, 0, 0, 255, 255, 0, 255, 0, 128, 9, 9, 9, 0];
        let g = Gray::from_image(&ImageRef::new(&bgra, 2, 2, PixelFormat::Bgra));
        assert_eq!(*g.data, vec![29, 77, 202, 255]);
        // One word's multiply gives what three byte multiplies give.
        let mut x = 12345u32;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let [r, g, b, a] = x.to_le_bytes();
            assert_eq!(packed_luma([r, g, b, a], RB_WEIGHTS), luma(r, g, b));
            assert_eq!(packed_luma([b, g, r, a], BR_WEIGHTS), luma(r, g, b));
        }
        // The blend over white, whose opaque case skips the arithmetic.
        for v in 0..=255u8 {
            for a in [0u8, 1, 128, 254, 255] {
                let blend = (u32::from(v) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255;
                assert_eq!(u32::from(over_white(v, a)), blend, "{v} at alpha {a}");
            }
        }
        // Stride skips padding bytes.
        let luma = [1, 2, 99, 3, 4, 99];
        let g = Gray::from_image(&ImageRef::luma(&luma, 2, 2).with_stride(3));
        assert_eq!(*g.data, vec![1, 2, 3, 4]);
    }
}
