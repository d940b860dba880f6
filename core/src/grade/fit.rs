//! The measured grid's ideal counterpart: a least-squares projective (or,
//! with few measurements, affine) map from module coordinates to image
//! pixels, fitted to point and along-a-line measurements.

/// A measurement the map is fitted to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Observation {
    /// Module-space point `at` was seen at image point `seen`.
    Point { at: (f64, f64), seen: (f64, f64) },
    /// Module-space point `at` was seen at `seen` along the unit image
    /// direction `dir` (its position across `dir` is not measured).
    Along {
        at: (f64, f64),
        seen: (f64, f64),
        dir: (f64, f64),
    },
}

impl Observation {
    pub(crate) fn at(&self) -> (f64, f64) {
        match *self {
            Observation::Point { at, .. } | Observation::Along { at, .. } => at,
        }
    }

    /// How far the map puts this measurement from where it was seen, in
    /// pixels (across nothing for `Along`: only the distance along `dir`).
    pub(crate) fn residual(&self, map: &Projective) -> f64 {
        match *self {
            Observation::Point { at, seen } => {
                let p = map.map(at.0, at.1);
                (p.0 - seen.0).hypot(p.1 - seen.1)
            }
            Observation::Along { at, seen, dir } => {
                let p = map.map(at.0, at.1);
                ((p.0 - seen.0) * dir.0 + (p.1 - seen.1) * dir.1).abs()
            }
        }
    }
}

/// `x = (a u + b v + c) / (g u + h v + 1)`, `y = (d u + e v + f) / (...)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Projective {
    m: [f64; 8],
}

impl Projective {
    /// Module coordinates to image pixels.
    pub(crate) fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let m = &self.m;
        let w = m[6] * u + m[7] * v + 1.0;
        (
            (m[0] * u + m[1] * v + m[2]) / w,
            (m[3] * u + m[4] * v + m[5]) / w,
        )
    }

    /// Image pixels back to module coordinates (`None` on the horizon).
    pub(crate) fn unmap(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let [a, b, c, d, e, f, g, h] = self.m;
        // The adjugate of [[a b c] [d e f] [g h 1]].
        let inv = [
            e - f * h,
            c * h - b,
            b * f - c * e,
            f * g - d,
            a - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        ];
        let w = inv[6] * x + inv[7] * y + inv[8];
        if w.abs() < 1e-12 {
            return None;
        }
        Some((
            (inv[0] * x + inv[1] * y + inv[2]) / w,
            (inv[3] * x + inv[4] * y + inv[5]) / w,
        ))
    }

    /// The map through four module-space corners of a `w` x `h` symbol
    /// (TL, TR, BR, BL) seen at `corners`.
    pub(crate) fn from_corners(w: f64, h: f64, corners: [(f64, f64); 4]) -> Option<Projective> {
        let at = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
        let obs: Vec<Observation> = at
            .iter()
            .zip(corners)
            .map(|(&at, seen)| Observation::Point { at, seen })
            .collect();
        fit(&obs, true)
    }

    /// The same map with the module axes swapped: `(u, v)` of the result is
    /// `(v, u)` of `self` (a mirrored symbol's reading order).
    pub(crate) fn transposed(&self) -> Projective {
        let [a, b, c, d, e, f, g, h] = self.m;
        Projective {
            m: [b, a, c, e, d, f, h, g],
        }
    }

    /// Pixel lengths of one module step along `u` and along `v` at `(u, v)`.
    pub(crate) fn steps(&self, u: f64, v: f64) -> (f64, f64) {
        let pu = self.map(u + 0.5, v);
        let mu = self.map(u - 0.5, v);
        let pv = self.map(u, v + 0.5);
        let mv = self.map(u, v - 0.5);
        (
            (pu.0 - mu.0).hypot(pu.1 - mu.1),
            (pv.0 - mv.0).hypot(pv.1 - mv.1),
        )
    }
}

/// Least-squares fit of the map to the observations: projective when
/// `projective` and there are at least twelve equations (four more than
/// unknowns), else affine. Coordinates are centred and scaled first so the
/// normal equations stay well conditioned. `None` when degenerate.
pub(crate) fn fit(obs: &[Observation], projective: bool) -> Option<Projective> {
    let equations: usize = obs
        .iter()
        .map(|o| match o {
            Observation::Point { .. } => 2,
            Observation::Along { .. } => 1,
        })
        .sum();
    // Four corners fit exactly (8 equations); otherwise ask for spare ones.
    let n = if projective && (equations >= 12 || (equations == 8 && obs.len() == 4)) {
        8
    } else {
        6
    };
    if equations < n {
        return None;
    }
    let (mu, su) = normaliser(obs.iter().map(|o| o.at()));
    let (mi, si) = normaliser(obs.iter().map(|o| match *o {
        Observation::Point { seen, .. } | Observation::Along { seen, .. } => seen,
    }));
    let mut ata = [[0.0f64; 8]; 8];
    let mut atb = [0.0f64; 8];
    let mut add = |row: [f64; 8], rhs: f64| {
        for i in 0..n {
            for j in 0..n {
                ata[i][j] += row[i] * row[j];
            }
            atb[i] += row[i] * rhs;
        }
    };
    for o in obs {
        let (u, v) = o.at();
        let (u, v) = ((u - mu.0) * su, (v - mu.1) * su);
        let norm = |p: (f64, f64)| ((p.0 - mi.0) * si, (p.1 - mi.1) * si);
        let row_x = |x: f64| [u, v, 1.0, 0.0, 0.0, 0.0, -x * u, -x * v];
        let row_y = |y: f64| [0.0, 0.0, 0.0, u, v, 1.0, -y * u, -y * v];
        match *o {
            Observation::Point { seen, .. } => {
                let (x, y) = norm(seen);
                add(row_x(x), x);
                add(row_y(y), y);
            }
            Observation::Along { seen, dir, .. } => {
                let (x, y) = norm(seen);
                let (rx, ry) = (row_x(x), row_y(y));
                let mut row = [0.0; 8];
                for k in 0..8 {
                    row[k] = dir.0 * rx[k] + dir.1 * ry[k];
                }
                add(row, dir.0 * x + dir.1 * y);
            }
        }
    }
    let sol = solve(ata, atb, n)?;
    // Undo the normalisation: image = mi + H(norm_u(p)) / si.
    let mut h = [0.0; 8];
    h[..n].copy_from_slice(&sol[..n]);
    let [a, b, c, d, e, f, g, hh] = h;
    // Normalised u' = su (u - mu.0): substitute, then scale the output.
    let (g2, h2) = (g * su, hh * su);
    let w0 = 1.0 - g * su * mu.0 - hh * su * mu.1;
    if w0.abs() < 1e-12 {
        return None;
    }
    let out = |p: f64, q: f64, r: f64, m: f64| {
        let (pu, pv) = (p * su, q * su);
        let c0 = r - p * su * mu.0 - q * su * mu.1;
        // (pu u + pv v + c0) / si + m (g2 u + h2 v + w0), all over w0.
        [
            (pu / si + m * g2) / w0,
            (pv / si + m * h2) / w0,
            (c0 / si + m * w0) / w0,
        ]
    };
    let xr = out(a, b, c, mi.0);
    let yr = out(d, e, f, mi.1);
    let m = [xr[0], xr[1], xr[2], yr[0], yr[1], yr[2], g2 / w0, h2 / w0];
    m.iter().all(|x| x.is_finite()).then_some(Projective { m })
}

/// Mean and the scale that brings the mean distance from it to about 1.
fn normaliser(points: impl Iterator<Item = (f64, f64)> + Clone) -> ((f64, f64), f64) {
    let count = points.clone().count().max(1) as f64;
    let (sx, sy) = points
        .clone()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    let mean = (sx / count, sy / count);
    let spread = points
        .map(|p| (p.0 - mean.0).hypot(p.1 - mean.1))
        .sum::<f64>()
        / count;
    (mean, if spread > 1e-9 { 1.0 / spread } else { 1.0 })
}

/// Solves the leading `n` x `n` system by Gaussian elimination with
/// partial pivoting; `None` when singular.
fn solve(mut a: [[f64; 8]; 8], mut b: [f64; 8], n: usize) -> Option<[f64; 8]> {
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..n {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..n].iter_mut().zip(&pivot_row[col..n]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; 8];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6
    }

    #[test]
    fn corners_give_an_exact_projective_map_and_its_inverse() {
        let corners = [(100.0, 80.0), (300.0, 95.0), (270.0, 290.0), (90.0, 260.0)];
        let m = Projective::from_corners(21.0, 21.0, corners).expect("fits");
        for (at, seen) in [(0.0, 0.0), (21.0, 0.0), (21.0, 21.0), (0.0, 21.0)]
            .iter()
            .zip(corners)
        {
            assert!(close(m.map(at.0, at.1), seen), "{at:?}");
            assert!(close(m.unmap(seen.0, seen.1).expect("finite"), *at));
        }
    }

    #[test]
    fn along_line_measurements_pin_an_affine_map() {
        // x = 10 u + 2 v + 5, y = -1 u + 9 v + 40, seen only along lines.
        let truth = |u: f64, v: f64| (10.0 * u + 2.0 * v + 5.0, -u + 9.0 * v + 40.0);
        let mut obs = vec![Observation::Point {
            at: (3.5, 3.5),
            seen: truth(3.5, 3.5),
        }];
        for i in 8..14 {
            let (u, v) = (i as f64 + 0.5, 6.5);
            obs.push(Observation::Along {
                at: (u, v),
                seen: truth(u, v),
                dir: (1.0, 0.0),
            });
            obs.push(Observation::Along {
                at: (v, u),
                seen: truth(v, u),
                dir: (0.0, 1.0),
            });
        }
        let m = fit(&obs, false).expect("fits");
        for (u, v) in [(0.0, 0.0), (20.0, 3.0), (7.0, 19.0)] {
            assert!(close(m.map(u, v), truth(u, v)), "({u}, {v})");
        }
        assert!(obs.iter().all(|o| o.residual(&m) < 1e-6));
        assert!(
            fit(&obs[..2], false).is_none(),
            "three equations are too few"
        );
    }
}
