//! An 8-bit grey image and the filters tests apply to one.

/// A grey image, row-major, one byte per pixel (0 black, 255 white).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gray {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` grey levels, row by row.
    pub data: Vec<u8>,
}

impl Gray {
    /// A `width` x `height` image filled with `level`.
    pub fn new(width: usize, height: usize, level: u8) -> Self {
        Gray {
            width,
            height,
            data: vec![level; width * height],
        }
    }

    /// The grey level at `(x, y)`. Panics outside the image (a test bug).
    pub fn get(&self, x: usize, y: usize) -> u8 {
        assert!(x < self.width && y < self.height, "({x}, {y}) outside");
        self.data[y * self.width + x]
    }

    /// Copies `src` into this image with its top-left corner at `(x0, y0)`;
    /// what falls outside is dropped.
    pub fn paste(&mut self, src: &Gray, x0: usize, y0: usize) {
        for y in 0..src.height.min(self.height.saturating_sub(y0)) {
            let w = src.width.min(self.width.saturating_sub(x0));
            let to = (y0 + y) * self.width + x0;
            self.data[to..to + w].copy_from_slice(&src.data[y * src.width..y * src.width + w]);
        }
    }

    /// The image as a binary PGM (P5) file, for looking at a failing case.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.data);
        out
    }

    /// A separable box blur of radius `r` (a `2r + 1` window, one horizontal
    /// then one vertical pass, each rounding down); the window is cut at the
    /// image's edges. Radius 0 leaves the image as it is.
    pub fn box_blur(&self, r: usize) -> Gray {
        if r == 0 {
            return self.clone();
        }
        let (w, h) = (self.width, self.height);
        let mut tmp = vec![0u8; self.data.len()];
        for y in 0..h {
            let row = &self.data[y * w..(y + 1) * w];
            for x in 0..w {
                let window = &row[x.saturating_sub(r)..(x + r + 1).min(w)];
                tmp[y * w + x] = mean(window.iter().copied());
            }
        }
        let mut out = vec![0u8; self.data.len()];
        for x in 0..w {
            for y in 0..h {
                let window = y.saturating_sub(r)..(y + r + 1).min(h);
                out[y * w + x] = mean(window.map(|k| tmp[k * w + x]));
            }
        }
        Gray {
            width: w,
            height: h,
            data: out,
        }
    }

    /// One pass of a 3 x 3 box blur (the sum of nine rounded down) over the
    /// interior; the one-pixel border is left as it is.
    pub fn box3_blur(&self) -> Gray {
        let (w, h) = (self.width, self.height);
        let mut out = self.data.clone();
        for y in 1..h.saturating_sub(1) {
            for x in 1..w.saturating_sub(1) {
                let sum: u32 = (0..9)
                    .map(|k| u32::from(self.data[(y + k / 3 - 1) * w + x + k % 3 - 1]))
                    .sum();
                out[y * w + x] = (sum / 9) as u8;
            }
        }
        Gray {
            width: w,
            height: h,
            data: out,
        }
    }
}

/// The mean of a non-empty run of levels, rounded down.
fn mean(levels: impl Iterator<Item = u8>) -> u8 {
    let (sum, count) = levels.fold((0u32, 0u32), |(s, c), v| (s + u32::from(v), c + 1));
    (sum / count.max(1)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(w: usize, h: usize) -> Gray {
        Gray {
            width: w,
            height: h,
            data: (0..w * h).map(|i| (i * 29 % 256) as u8).collect(),
        }
    }

    #[test]
    fn box_blur_averages_the_window_cut_at_the_edges() {
        let img = ramp(7, 5);
        let out = img.box_blur(1);
        for y in 0..5usize {
            for x in 0..7usize {
                // Horizontal means first, each rounded down, then vertical.
                let hmean = |yy: usize| {
                    let xs = x.saturating_sub(1)..(x + 2).min(7);
                    let n = xs.len() as u32;
                    xs.map(|xx| u32::from(img.get(xx, yy))).sum::<u32>() / n
                };
                let ys = y.saturating_sub(1)..(y + 2).min(5);
                let n = ys.len() as u32;
                let want = ys.map(hmean).sum::<u32>() / n;
                assert_eq!(u32::from(out.get(x, y)), want, "({x}, {y})");
            }
        }
        assert_eq!(img.box_blur(0), img);
    }

    #[test]
    fn box3_blur_keeps_the_border_and_is_flat_on_flat_images() {
        let img = ramp(6, 4);
        let out = img.box3_blur();
        for x in 0..6 {
            assert_eq!(out.get(x, 0), img.get(x, 0));
            assert_eq!(out.get(x, 3), img.get(x, 3));
        }
        let sum: u32 = (0..3)
            .flat_map(|dy| (0..3).map(move |dx| (dx, dy)))
            .map(|(dx, dy)| u32::from(img.get(1 + dx, 1 + dy)))
            .sum();
        assert_eq!(u32::from(out.get(2, 2)), sum / 9);
        let flat = Gray::new(5, 5, 77);
        assert_eq!(flat.box3_blur(), flat);
        assert_eq!(flat.box_blur(2), flat);
    }

    #[test]
    fn paste_clips_and_pgm_has_a_header() {
        let mut dst = Gray::new(4, 3, 0);
        dst.paste(&Gray::new(3, 3, 9), 2, 1);
        let want = [0, 0, 0, 0, 0, 0, 9, 9, 0, 0, 9, 9];
        assert_eq!(dst.data, want);
        let pgm = dst.to_pgm();
        assert!(pgm.starts_with(b"P5\n4 3\n255\n"));
        assert_eq!(pgm.len(), b"P5\n4 3\n255\n".len() + 12);
    }
}
