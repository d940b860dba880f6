//! Reflectance measurements on the image: the synthetic aperture at a
//! point, the symbol's extreme reflectances, pattern centroids and the
//! edges of timing-pattern modules.

use super::fit::Projective;
use super::Calibration;

/// A grey image seen as reflectance (0..1) through a calibration.
pub(crate) struct Reflectance<'a> {
    pub(crate) gray: &'a [u8],
    pub(crate) width: usize,
    pub(crate) height: usize,
    /// Reflectance of each grey level.
    table: [f64; 256],
}

impl<'a> Reflectance<'a> {
    pub(crate) fn new(
        gray: &'a [u8],
        width: usize,
        height: usize,
        cal: Option<Calibration>,
    ) -> Self {
        let mut table = [0.0; 256];
        for (g, r) in table.iter_mut().enumerate() {
            *r = match cal {
                Some(c) => c.reflectance(g as u8),
                None => g as f64 / 255.0,
            };
        }
        Reflectance {
            gray,
            width,
            height,
            table,
        }
    }

    fn pixel(&self, x: usize, y: usize) -> f64 {
        let g = self.gray.get(y * self.width + x).copied().unwrap_or(255);
        self.table[usize::from(g)]
    }

    /// Bilinear reflectance at a continuous point (pixel centres at +0.5);
    /// `None` off the image.
    pub(crate) fn bilinear(&self, x: f64, y: f64) -> Option<f64> {
        let (fx, fy) = (x - 0.5, y - 0.5);
        if !(fx > -0.5 && fy > -0.5 && x < self.width as f64 && y < self.height as f64) {
            return None;
        }
        let (x0, y0) = (fx.floor().max(0.0), fy.floor().max(0.0));
        let (tx, ty) = ((fx - x0).clamp(0.0, 1.0), (fy - y0).clamp(0.0, 1.0));
        let (x0, y0) = (x0 as usize, y0 as usize);
        let x1 = (x0 + 1).min(self.width - 1);
        let y1 = (y0 + 1).min(self.height - 1);
        let top = self.pixel(x0, y0) * (1.0 - tx) + self.pixel(x1, y0) * tx;
        let bottom = self.pixel(x0, y1) * (1.0 - tx) + self.pixel(x1, y1) * tx;
        Some(top * (1.0 - ty) + bottom * ty)
    }

    /// Mean reflectance under a circular aperture of `diameter` pixels
    /// centred at `(x, y)`: the reference reflectance image at one point.
    /// Apertures under two pixels fall back to bilinear sampling. `None` when
    /// the aperture's centre is off the image.
    pub(crate) fn aperture(&self, x: f64, y: f64, diameter: f64) -> Option<f64> {
        if diameter < 2.0 {
            return self.bilinear(x, y);
        }
        if !(x >= 0.0 && y >= 0.0 && x < self.width as f64 && y < self.height as f64) {
            return None;
        }
        let r = diameter / 2.0;
        let (y0, y1) = ((y - r).floor().max(0.0), (y + r).ceil());
        let (x0, x1) = ((x - r).floor().max(0.0), (x + r).ceil());
        let (mut sum, mut count) = (0.0, 0usize);
        for py in y0 as usize..(y1 as usize).min(self.height) {
            let dy = py as f64 + 0.5 - y;
            for px in x0 as usize..(x1 as usize).min(self.width) {
                let dx = px as f64 + 0.5 - x;
                if dx * dx + dy * dy <= r * r {
                    sum += self.pixel(px, py);
                    count += 1;
                }
            }
        }
        (count > 0).then(|| sum / count as f64)
    }

    /// Highest and lowest reflectance of the reference image over the
    /// symbol and `quiet` modules around it, read through the aperture on
    /// a lattice about a quarter aperture apart.
    pub(crate) fn extremes(
        &self,
        map: &Projective,
        size: (usize, usize),
        quiet: f64,
        diameter: f64,
    ) -> Option<(f64, f64)> {
        let (w, h) = (size.0 as f64, size.1 as f64);
        let (xu, xv) = map.steps(w / 2.0, h / 2.0);
        let module_px = (xu + xv) / 2.0;
        // At most about 2000 x 2000 points, whatever the map claims.
        let step = ((diameter / 4.0).max(1.0) / module_px).max((w.max(h) + 2.0 * quiet) / 2000.0);
        if !(step.is_finite() && step > 0.0) {
            return None;
        }
        let (mut hi, mut lo) = (f64::MIN, f64::MAX);
        let mut v = -quiet + step / 2.0;
        while v < h + quiet {
            let mut u = -quiet + step / 2.0;
            while u < w + quiet {
                let (x, y) = map.map(u, v);
                if let Some(r) = self.aperture(x, y, diameter) {
                    hi = hi.max(r);
                    lo = lo.min(r);
                }
                u += step;
            }
            v += step;
        }
        (hi >= lo).then_some((hi, lo))
    }

    /// Centroid, in image pixels, of the pattern around module-space point
    /// `centre`: [`Self::window_centroid`] re-centred on its own result
    /// until it settles (at most four times), so a pattern printed up to
    /// about half a window off is still measured whole.
    pub(crate) fn centroid(
        &self,
        map: &Projective,
        centre: (f64, f64),
        half: f64,
        gt: f64,
        ink_low: bool,
    ) -> Option<(f64, f64)> {
        let mut at = centre;
        let mut seen = self.window_centroid(map, at, half, gt, ink_low)?;
        for _ in 0..4 {
            let next = map.unmap(seen.0, seen.1)?;
            let moved = (next.0 - at.0).hypot(next.1 - at.1);
            if moved < 0.01 || moved > half {
                break;
            }
            at = next;
            seen = self.window_centroid(map, at, half, gt, ink_low)?;
        }
        Some(seen)
    }

    /// Weighted centroid, in image pixels, of the ink within `half` modules
    /// (Chebyshev) of module-space point `centre`: each pixel weighs its
    /// distance from the global threshold on the ink side.
    fn window_centroid(
        &self,
        map: &Projective,
        centre: (f64, f64),
        half: f64,
        gt: f64,
        ink_low: bool,
    ) -> Option<(f64, f64)> {
        let corners = [(-half, -half), (half, -half), (half, half), (-half, half)]
            .map(|(du, dv)| map.map(centre.0 + du, centre.1 + dv));
        let xs = corners.iter().map(|p| p.0);
        let ys = corners.iter().map(|p| p.1);
        let x0 = xs.clone().fold(f64::MAX, f64::min).floor().max(0.0) as usize;
        let x1 = (xs.fold(f64::MIN, f64::max).ceil().max(0.0) as usize).min(self.width);
        let y0 = ys.clone().fold(f64::MAX, f64::min).floor().max(0.0) as usize;
        let y1 = (ys.fold(f64::MIN, f64::max).ceil().max(0.0) as usize).min(self.height);
        let (mut sw, mut sx, mut sy) = (0.0, 0.0, 0.0);
        for py in y0..y1 {
            for px in x0..x1 {
                let (cx, cy) = (px as f64 + 0.5, py as f64 + 0.5);
                let Some((u, v)) = map.unmap(cx, cy) else {
                    continue;
                };
                if (u - centre.0).abs() > half || (v - centre.1).abs() > half {
                    continue;
                }
                let r = self.pixel(px, py);
                let w = if ink_low { gt - r } else { r - gt };
                if w > 0.0 {
                    sw += w;
                    sx += w * cx;
                    sy += w * cy;
                }
            }
        }
        (sw > 0.0).then(|| (sx / sw, sy / sw))
    }

    /// The edges, in module coordinates along `axis` (0 = u, 1 = v), of the
    /// run of like reflectance through module-space point `centre`, found
    /// where the reflectance crosses `gt` within 1.25 modules either side.
    /// `None` if the centre is on the wrong side or an edge is not found.
    pub(crate) fn run_edges(
        &self,
        map: &Projective,
        centre: (f64, f64),
        axis: usize,
        gt: f64,
        low: bool,
    ) -> Option<(f64, f64)> {
        let inside = |t: f64| -> Option<(bool, f64)> {
            let (u, v) = if axis == 0 {
                (centre.0 + t, centre.1)
            } else {
                (centre.0, centre.1 + t)
            };
            let (x, y) = map.map(u, v);
            let r = self.bilinear(x, y)?;
            Some(((r < gt) == low, r))
        };
        if !inside(0.0)?.0 {
            return None;
        }
        const STEP: f64 = 1.0 / 32.0;
        let edge = |sign: f64| -> Option<f64> {
            let (mut t, mut prev) = (0.0, inside(0.0)?.1);
            while t < 1.25 {
                let next = t + STEP;
                let (is_in, r) = inside(sign * next)?;
                if !is_in {
                    // Linear interpolation of the crossing between the steps.
                    let f = if (r - prev).abs() > 1e-12 {
                        ((gt - prev) / (r - prev)).clamp(0.0, 1.0)
                    } else {
                        0.5
                    };
                    return Some(sign * (t + f * STEP));
                }
                prev = r;
                t = next;
            }
            None
        };
        let lo = edge(-1.0)?;
        let hi = edge(1.0)?;
        let c = if axis == 0 { centre.0 } else { centre.1 };
        Some((c + lo, c + hi))
    }
}
