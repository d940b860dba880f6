//! Projective transforms between module coordinates and image pixels.

/// A plane projective transform `(u, v) -> (x, y)`, as the 3 x 3 matrix of
/// `[u v 1] * M` (row-vector convention), row-major.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Homography {
    m: [f64; 9],
}

impl Homography {
    /// The transform taking the unit square's corners (0,0), (1,0), (1,1), (0,1)
    /// to `q[0..4]` (Heckbert's closed form); `None` for a degenerate quad.
    fn square_to_quad(q: [(f64, f64); 4]) -> Option<Homography> {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
        let (dx3, dy3) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
        let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
        let den = dx1 * dy2 - dx2 * dy1;
        if den.abs() < 1e-12 {
            return None;
        }
        let a13 = (dx3 * dy2 - dx2 * dy3) / den;
        let a23 = (dx1 * dy3 - dx3 * dy1) / den;
        Some(Homography {
            m: [
                x1 - x0 + a13 * x1,
                y1 - y0 + a13 * y1,
                a13,
                x3 - x0 + a23 * x3,
                y3 - y0 + a23 * y3,
                a23,
                x0,
                y0,
                1.0,
            ],
        })
    }

    fn inverse(&self) -> Option<Homography> {
        let [a, b, c, d, e, f, g, h, i] = self.m;
        let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if det.abs() < 1e-12 {
            return None;
        }
        // The adjugate is the inverse up to scale, which a homography ignores.
        Some(Homography {
            m: [
                e * i - f * h,
                c * h - b * i,
                b * f - c * e,
                f * g - d * i,
                a * i - c * g,
                c * d - a * f,
                d * h - e * g,
                b * g - a * h,
                a * e - b * d,
            ],
        })
    }

    fn then(&self, next: &Homography) -> Homography {
        let (a, b) = (&self.m, &next.m);
        let mut m = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                m[r * 3 + c] = (0..3).map(|k| a[r * 3 + k] * b[k * 3 + c]).sum();
            }
        }
        Homography { m }
    }

    /// The transform taking each `src[i]` to `dst[i]`.
    pub(crate) fn from_quads(src: [(f64, f64); 4], dst: [(f64, f64); 4]) -> Option<Homography> {
        let to_square = Homography::square_to_quad(src)?.inverse()?;
        Some(to_square.then(&Homography::square_to_quad(dst)?))
    }

    #[inline]
    pub(crate) fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let m = &self.m;
        let w = m[2] * u + m[5] * v + m[8];
        (
            (m[0] * u + m[3] * v + m[6]) / w,
            (m[1] * u + m[4] * v + m[7]) / w,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_the_four_points_exactly() {
        let src = [(3.5, 3.5), (25.5, 3.5), (22.5, 22.5), (3.5, 25.5)];
        let dst = [(100.0, 80.0), (300.0, 95.0), (270.0, 290.0), (90.0, 260.0)];
        let h = Homography::from_quads(src, dst).expect("non-degenerate");
        for (s, d) in src.iter().zip(&dst) {
            let (x, y) = h.map(s.0, s.1);
            assert!(
                (x - d.0).abs() < 1e-6 && (y - d.1).abs() < 1e-6,
                "{s:?} -> ({x}, {y}) not {d:?}"
            );
        }
        assert!(Homography::from_quads(src, [(0.0, 0.0); 4]).is_none());
    }
}
