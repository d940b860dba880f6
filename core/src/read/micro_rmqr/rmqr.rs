//! rMQR (ISO/IEC 23941 6.3): from a finder outline to a decoded symbol,
//! the sub-finder searched for where the version puts it and the transform
//! refitted through it and the alignment patterns.

use super::{corners_of, finder_transforms, sample_grid, Found};
use crate::decode::micro_rmqr::decode_rmqr;
use crate::read::binarize::BitImage;
use crate::read::sample::{module_dark, Homography};
use crate::symbol::{rmqr, RmqrVersion};

/// Tries to read an rMQR symbol whose finder has these corners.
pub(crate) fn read_rmqr(img: &BitImage, corners: &[(f64, f64); 4]) -> Option<Found> {
    for first in 0..4 {
        for h in finder_transforms(corners, first) {
            let mut bits = 0u32;
            for i in 0..18 {
                let (x, y) = rmqr::format_position_finder(i);
                bits |= u32::from(module_dark(img, &h, x, y)) << i;
            }
            bits ^= rmqr::FORMAT_MASK_FINDER;
            let mut versions: Vec<(u32, RmqrVersion)> = Vec::new();
            for v in RmqrVersion::all() {
                for ec in [crate::EcLevel::M, crate::EcLevel::H] {
                    let d = (rmqr::format_bits(v, ec) ^ bits).count_ones();
                    if d <= 3 {
                        versions.push((d, v));
                    }
                }
            }
            if versions.is_empty() || !top_timing_plausible(img, &h) {
                continue;
            }
            // By distance, then version (the order they were pushed in).
            versions.sort_unstable();
            versions.dedup_by_key(|p| p.1);
            for (_, v) in versions {
                if let Some(found) = read_rmqr_version(img, &h, v) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// Whether the top row right of the finder reads as a timing pattern for
/// the first dozen modules (near the finder, where its transform is good;
/// every width has no alignment pattern before column 19).
fn top_timing_plausible(img: &BitImage, h: &Homography) -> bool {
    let wrong = (8..19)
        .filter(|&x| module_dark(img, h, x, 0) != (x % 2 == 0))
        .count();
    wrong <= 2
}

fn read_rmqr_version(img: &BitImage, h: &Homography, v: RmqrVersion) -> Option<Found> {
    let (w, hh) = (v.width(), v.height());
    let mut transforms = Vec::new();
    if let Some(sub) = find_sub_finder(img, h, w, hh) {
        let sub_uv = (w as f64 - 2.5, hh as f64 - 2.5);
        // Affine through the finder's corners and the sub-finder (which
        // fixes the long axis), then projective through the same points.
        let mut pairs: Vec<Pair> = [(0.0, 0.0), (7.0, 0.0), (7.0, 7.0), (0.0, 7.0)]
            .into_iter()
            .map(|(u, v)| ((u, v), h.map(u, v), 1.0))
            .collect();
        pairs.push((sub_uv, sub, 4.0));
        if let Some(t) = affine_fit(&pairs, w as f64, hh as f64) {
            transforms.push(t);
        }
        let src = [(0.0, 0.0), (7.0, 0.0), sub_uv, (0.0, 7.0)];
        let dst = [h.map(0.0, 0.0), h.map(7.0, 0.0), sub, h.map(0.0, 7.0)];
        if let Some(t) = Homography::from_quads(src, dst) {
            transforms.push(t);
        }
        // Through the alignment patterns along both long edges too, found
        // near where the first transform puts them: perspective along the
        // symbol's length.
        if let Some(&first) = transforms.first() {
            let mut all: Vec<crate::read::sample::PointPair> =
                pairs.iter().map(|&(uv, xy, _)| (uv, xy)).collect();
            for &cx in rmqr::alignment_columns(w) {
                for (cy, up) in [(1usize, true), (hh - 2, false)] {
                    if let Some(xy) = find_alignment(img, &first, cx, cy, up) {
                        all.push(((cx as f64 + 0.5, cy as f64 + 0.5), xy));
                    }
                }
            }
            if all.len() >= 7 {
                if let Some(t) = Homography::fit(&all) {
                    transforms.insert(0, t);
                }
            }
        }
    }
    transforms.push(*h);
    for t in transforms {
        let Some(grid) = sample_grid(img, &t, w, hh) else {
            continue;
        };
        if let Some(content) = decode_rmqr(&grid) {
            return Some(Found {
                content,
                corners: corners_of(&t, w, hh),
            });
        }
    }
    None
}

/// The image position of the sub-finder's centre (module `(w - 2.5,
/// h - 2.5)`), searched around where `h` predicts it: the 5 x 5 pattern
/// (dark ring, light ring, dark centre) with light quiet zone right of and
/// below it that matches best. A coarse pass over binary pixels in
/// half-module steps (giving up on an offset after a few mismatches), then
/// a fine one in eighth-module steps around the best.
fn find_sub_finder(img: &BitImage, h: &Homography, w: usize, hh: usize) -> Option<(f64, f64)> {
    let (u0, v0) = (w as f64 - 2.5, hh as f64 - 2.5);
    let p = h.map(u0, v0);
    let px = h.map(u0 + 1.0, v0);
    let py = h.map(u0, v0 + 1.0);
    let ex = (px.0 - p.0, px.1 - p.1);
    let ey = (py.0 - p.0, py.1 - p.1);
    // 36 modules: the pattern and the quiet zone to its right and below.
    let score = |c: (f64, f64), give_up: i32| {
        let mut good = 0;
        let mut bad = 0;
        for b in -2i32..=3 {
            for a in -2i32..=3 {
                let ring = a.abs().max(b.abs());
                let want = if a == 3 || b == 3 { false } else { ring != 1 };
                let (x, y) = (
                    c.0 + a as f64 * ex.0 + b as f64 * ey.0,
                    c.1 + a as f64 * ex.1 + b as f64 * ey.1,
                );
                if img.get_i(x as i64, y as i64) == want {
                    good += 1;
                } else {
                    bad += 1;
                    if bad > give_up {
                        return 0;
                    }
                }
            }
        }
        good
    };
    let at = |du: f64, dv: f64, c: (f64, f64)| {
        (c.0 + du * ex.0 + dv * ey.0, c.1 + du * ex.1 + dv * ey.1)
    };
    let reach = 2.0 + w as f64 * 0.05;
    let steps = (reach / 0.5) as i32;
    let mut coarse = (0, p);
    for j in -steps..=steps {
        for i in -steps..=steps {
            let c = at(i as f64 * 0.5, j as f64 * 0.5, p);
            let sc = score(c, 6);
            if sc > coarse.0 {
                coarse = (sc, c);
            }
        }
    }
    if coarse.0 < 30 {
        return None;
    }
    // Every fine offset with the best score is kept: their centroid is the
    // centre (a clean pattern matches over a plateau).
    let mut best = Plateau::default();
    for j in -4..=4 {
        for i in -4..=4 {
            let c = at(i as f64 * 0.125, j as f64 * 0.125, coarse.1);
            best.offer(score(c, 36), c);
        }
    }
    best.centre(32)
}

/// The image position of the centre of the rMQR alignment pattern at module
/// `(cx, cy)` (3 x 3: dark ring, light centre) on the top (`up`: quiet zone
/// above) or bottom edge, searched within a module and a half of where `h`
/// puts it.
fn find_alignment(
    img: &BitImage,
    h: &Homography,
    cx: usize,
    cy: usize,
    up: bool,
) -> Option<(f64, f64)> {
    let (u0, v0) = (cx as f64 + 0.5, cy as f64 + 0.5);
    let p = h.map(u0, v0);
    let px = h.map(u0 + 1.0, v0);
    let py = h.map(u0, v0 + 1.0);
    let ex = (px.0 - p.0, px.1 - p.1);
    let ey = (py.0 - p.0, py.1 - p.1);
    let outside = if up { -2 } else { 2 };
    let mut best = Plateau::default();
    for j in -6i32..=6 {
        for i in -6i32..=6 {
            let c = (
                p.0 + 0.25 * (i as f64 * ex.0 + j as f64 * ey.0),
                p.1 + 0.25 * (i as f64 * ex.1 + j as f64 * ey.1),
            );
            let mut score = 0;
            for b in -2i32..=2 {
                for a in -1i32..=1 {
                    let want = if b == outside {
                        false
                    } else if b.abs() == 2 {
                        continue;
                    } else {
                        !(a == 0 && b == 0)
                    };
                    let (x, y) = (
                        c.0 + a as f64 * ex.0 + b as f64 * ey.0,
                        c.1 + a as f64 * ex.1 + b as f64 * ey.1,
                    );
                    score += i32::from(img.get_i(x as i64, y as i64) == want);
                }
            }
            best.offer(score, c);
        }
    }
    // 12 modules: the pattern and the quiet zone beyond the edge.
    best.centre(12)
}

/// The positions that share the best score of a search: a clean pattern
/// matches over a plateau of offsets, and its centroid is the pattern's centre.
#[derive(Default)]
struct Plateau {
    score: i32,
    points: Vec<(f64, f64)>,
}

impl Plateau {
    fn offer(&mut self, score: i32, p: (f64, f64)) {
        if score > self.score {
            self.score = score;
            self.points.clear();
            self.points.push(p);
        } else if score == self.score {
            self.points.push(p);
        }
    }

    /// The plateau's centroid, if its score reaches `min`.
    fn centre(&self, min: i32) -> Option<(f64, f64)> {
        if self.score < min || self.points.is_empty() {
            return None;
        }
        let n = self.points.len() as f64;
        let (sx, sy) = self
            .points
            .iter()
            .fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
        Some((sx / n, sy / n))
    }
}

/// A module point, the image point it should map to, and a weight.
type Pair = ((f64, f64), (f64, f64), f64);

/// The affine map `(u, v) -> (x, y)` closest (weighted least squares) to
/// the point pairs, as a homography; `None` if they are collinear.
fn affine_fit(pairs: &[Pair], w: f64, h: f64) -> Option<Homography> {
    let mut n = [[0.0f64; 3]; 3];
    let mut bx = [0.0f64; 3];
    let mut by = [0.0f64; 3];
    for &((u, v), (x, y), wt) in pairs {
        let row = [u, v, 1.0];
        for i in 0..3 {
            for j in 0..3 {
                n[i][j] += wt * row[i] * row[j];
            }
            bx[i] += wt * row[i] * x;
            by[i] += wt * row[i] * y;
        }
    }
    let det3 = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det3(n);
    if d.abs() < 1e-9 {
        return None;
    }
    let solve = |b: [f64; 3]| {
        let mut out = [0.0; 3];
        for (k, o) in out.iter_mut().enumerate() {
            let mut m = n;
            for i in 0..3 {
                m[i][k] = b[i];
            }
            *o = det3(m) / d;
        }
        out
    };
    let (ax, ay) = (solve(bx), solve(by));
    let map = |u: f64, v: f64| (ax[0] * u + ax[1] * v + ax[2], ay[0] * u + ay[1] * v + ay[2]);
    let src = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    Homography::from_quads(src, src.map(|(u, v)| map(u, v)))
}
