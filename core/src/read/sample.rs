//! Projective transforms between module coordinates and image pixels.

/// A point in module coordinates and the image point it corresponds to.
pub(crate) type PointPair = ((f64, f64), (f64, f64));

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

    /// The transform `x = (h0 u + h1 v + h2) / (h6 u + h7 v + h8)`,
    /// `y = (h3 u + h4 v + h5) / (h6 u + h7 v + h8)`.
    pub(crate) fn from_rows(h: [f64; 9]) -> Homography {
        Homography {
            m: [h[0], h[3], h[6], h[1], h[4], h[7], h[2], h[5], h[8]],
        }
    }

    /// The transform closest (algebraic least squares, coordinates
    /// normalised) to mapping each `src[i]` to `dst[i]`; at least four
    /// pairs, `None` if they are degenerate.
    pub(crate) fn fit(pairs: &[PointPair]) -> Option<Homography> {
        if pairs.len() < 4 {
            return None;
        }
        // Normalise both sides to centroid 0 and mean distance about 1.
        let norm = |pts: &mut dyn Iterator<Item = (f64, f64)>| {
            let v: Vec<(f64, f64)> = pts.collect();
            let n = v.len() as f64;
            let (cx, cy) = v
                .iter()
                .fold((0.0, 0.0), |(a, b), p| (a + p.0 / n, b + p.1 / n));
            let d = v.iter().map(|p| (p.0 - cx).hypot(p.1 - cy)).sum::<f64>() / n;
            (cx, cy, if d > 1e-9 { 1.0 / d } else { 1.0 })
        };
        let (ucx, ucy, us) = norm(&mut pairs.iter().map(|p| p.0));
        let (xcx, xcy, xs) = norm(&mut pairs.iter().map(|p| p.1));
        // Normal equations of the 8 unknowns (h8 = 1).
        let mut a = [[0.0f64; 9]; 8];
        for &((u, v), (x, y)) in pairs {
            let (u, v) = ((u - ucx) * us, (v - ucy) * us);
            let (x, y) = ((x - xcx) * xs, (y - xcy) * xs);
            let rows = [
                ([u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x], x),
                ([0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y], y),
            ];
            for (r, b) in rows {
                for i in 0..8 {
                    for j in 0..8 {
                        a[i][j] += r[i] * r[j];
                    }
                    a[i][8] += r[i] * b;
                }
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..8 {
            let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
            if a[pivot][col].abs() < 1e-12 {
                return None;
            }
            a.swap(col, pivot);
            let pivot_row = a[col];
            for (r, row) in a.iter_mut().enumerate() {
                if r != col {
                    let f = row[col] / pivot_row[col];
                    for (cell, p) in row.iter_mut().zip(pivot_row).skip(col) {
                        *cell -= f * p;
                    }
                }
            }
        }
        let h: Vec<f64> = (0..8).map(|i| a[i][8] / a[i][i]).collect();
        let n = Homography::from_rows([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0]);
        // Undo the normalisations: module -> normalised module -> normalised
        // image -> image.
        let to_norm =
            Homography::from_rows([us, 0.0, -ucx * us, 0.0, us, -ucy * us, 0.0, 0.0, 1.0]);
        let from_norm =
            Homography::from_rows([1.0 / xs, 0.0, xcx, 0.0, 1.0 / xs, xcy, 0.0, 0.0, 1.0]);
        Some(to_norm.then(&n).then(&from_norm))
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

    #[test]
    fn least_squares_fit_recovers_a_projective_map() {
        let src = [(0.0, 0.0), (139.0, 0.0), (139.0, 17.0), (0.0, 17.0)];
        let dst = [(10.0, 20.0), (600.0, 40.0), (580.0, 120.0), (12.0, 95.0)];
        let h = Homography::from_quads(src, dst).expect("non-degenerate");
        let pairs: Vec<PointPair> = [
            (3.5, 3.5),
            (21.0, 1.0),
            (55.0, 1.0),
            (111.0, 15.0),
            (136.5, 14.5),
            (70.0, 9.0),
        ]
        .into_iter()
        .map(|p| (p, h.map(p.0, p.1)))
        .collect();
        let fit = Homography::fit(&pairs).expect("fits");
        for (u, v) in [(0.0, 0.0), (139.0, 17.0), (80.0, 5.0)] {
            let (a, b) = (h.map(u, v), fit.map(u, v));
            assert!(
                (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6,
                "{a:?} vs {b:?}"
            );
        }
    }
}
