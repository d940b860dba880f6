//! A module grid seen under any perspective: drawn onto a quadrilateral,
//! with the map from module to pixel coordinates to say where each part of
//! the symbol landed.

use crate::gray::Gray;

/// A projective map from the unit square onto a quadrilateral, by the
/// corners the square's (0, 0), (1, 0), (1, 1) and (0, 1) land on: a
/// symbol's top-left, top-right, bottom-right and bottom-left corners.
#[derive(Clone, Copy, Debug)]
pub struct Quad {
    m: [[f64; 3]; 3],
}

impl Quad {
    /// The map onto `corners` (top-left, top-right, bottom-right,
    /// bottom-left), by Heckbert's closed form.
    pub fn new(corners: [(f64, f64); 4]) -> Self {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = corners;
        let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
        let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
        let den = dx1 * dy2 - dx2 * dy1;
        let g = (dx3 * dy2 - dx2 * dy3) / den;
        let h = (dx1 * dy3 - dx3 * dy1) / den;
        Quad {
            m: [
                [x1 - x0 + g * x1, x3 - x0 + h * x3, x0],
                [y1 - y0 + g * y1, y3 - y0 + h * y3, y0],
                [g, h, 1.0],
            ],
        }
    }

    /// Where point `(u, v)` of the unit square lands.
    pub fn point(&self, u: f64, v: f64) -> (f64, f64) {
        let [r0, r1, r2] = self.m;
        let w = r2[0] * u + r2[1] * v + r2[2];
        (
            (r0[0] * u + r0[1] * v + r0[2]) / w,
            (r1[0] * u + r1[1] * v + r1[2]) / w,
        )
    }

    /// `dark(x, y)` of an `n` x `n` module grid drawn onto the quadrilateral
    /// in a `side` x `side` image (dark 30, light 225 round it), blurred
    /// with a 3 x 3 box.
    pub fn draw(&self, n: usize, dark: impl Fn(usize, usize) -> bool, side: usize) -> Gray {
        // The inverse map, by the adjugate, per pixel.
        let m = self.m;
        let adj = |r: usize, c: usize| {
            let (r1, r2, c1, c2) = ((c + 1) % 3, (c + 2) % 3, (r + 1) % 3, (r + 2) % 3);
            m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]
        };
        let mut data = vec![225u8; side * side];
        for (i, px) in data.iter_mut().enumerate() {
            let (x, y) = ((i % side) as f64 + 0.5, (i / side) as f64 + 0.5);
            let w = adj(2, 0) * x + adj(2, 1) * y + adj(2, 2);
            let u = (adj(0, 0) * x + adj(0, 1) * y + adj(0, 2)) / w * n as f64;
            let v = (adj(1, 0) * x + adj(1, 1) * y + adj(1, 2)) / w * n as f64;
            if (0.0..n as f64).contains(&u)
                && (0.0..n as f64).contains(&v)
                && dark(u as usize, v as usize)
            {
                *px = 30;
            }
        }
        Gray {
            width: side,
            height: side,
            data,
        }
        .box3_blur()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corners_land_where_asked_and_the_grid_is_drawn_inside() {
        let corners = [(10.0, 12.0), (90.0, 5.0), (95.0, 80.0), (8.0, 70.0)];
        let q = Quad::new(corners);
        for (&(u, v), &(x, y)) in [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
            .iter()
            .zip(&corners)
        {
            let (px, py) = q.point(u, v);
            assert!((px - x).abs() < 1e-9 && (py - y).abs() < 1e-9);
        }
        let img = q.draw(2, |x, y| x == y, 100);
        let at = |u: f64, v: f64| {
            let (x, y) = q.point(u, v);
            img.get(x as usize, y as usize)
        };
        assert!(at(0.25, 0.25) < 100 && at(0.75, 0.75) < 100, "dark modules");
        assert!(
            at(0.75, 0.25) > 150 && at(0.25, 0.75) > 150,
            "light modules"
        );
        assert_eq!(img.get(1, 99), 225, "outside the quadrilateral");
    }
}
