//! Test image generator: draws an encoded symbol into a grey image through a
//! perspective warp, then blurs, adds noise and lighting, so reader tests can
//! cover rotation, tilt, small modules, blur and uneven light.

#![allow(dead_code)]

use civiqr::QrCode;

/// How to distort a rendered symbol.
#[derive(Clone, Copy, Debug)]
pub struct Distortion {
    /// Pixels per module at the symbol's centre.
    pub module_px: f64,
    /// Rotation in degrees.
    pub rotate_deg: f64,
    /// Perspective tilt: the far edge shrinks by this fraction (0 = none).
    pub tilt: f64,
    /// Box-blur radius in pixels (0 = sharp).
    pub blur: usize,
    /// Peak noise amplitude in grey levels.
    pub noise: u8,
    /// Brightness falls by this many grey levels from left to right.
    pub gradient: u8,
    /// Light-on-dark.
    pub invert: bool,
}

impl Default for Distortion {
    fn default() -> Self {
        Distortion {
            module_px: 4.0,
            rotate_deg: 0.0,
            tilt: 0.0,
            blur: 0,
            noise: 0,
            gradient: 0,
            invert: false,
        }
    }
}

/// A grey image.
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

/// Renders `code` with a quiet zone of 4 modules into a grey image distorted by `d`.
pub fn render(code: &QrCode, d: &Distortion, seed: u64) -> Image {
    let n = code.width() as f64;
    let nh = code.height() as f64;
    let span = (n + 8.0) * d.module_px;
    let side = (span * 1.5).ceil() as usize + 8;
    let (cx, cy) = (side as f64 / 2.0, side as f64 / 2.0);
    let (sin, cos) = d.rotate_deg.to_radians().sin_cos();
    let mut data = vec![0u8; side * side];
    for py in 0..side {
        for px in 0..side {
            // Undo rotation, then the tilt (a projective squeeze along y).
            let (x, y) = (px as f64 + 0.5 - cx, py as f64 + 0.5 - cy);
            let (rx, ry) = (x * cos + y * sin, -x * sin + y * cos);
            let w = 1.0 + d.tilt * ry / span;
            let (ux, uy) = (rx * w, ry * w);
            let mx = ux / d.module_px + n / 2.0;
            let my = uy / d.module_px + nh / 2.0;
            let dark = (mx >= 0.0 && my >= 0.0 && code.get(mx as usize, my as usize)) != d.invert;
            data[py * side + px] = if dark { 30 } else { 225 };
        }
    }
    if d.blur > 0 {
        data = box_blur(&data, side, d.blur);
    }
    let mut s = seed | 1;
    for (i, v) in data.iter_mut().enumerate() {
        let light_loss = (d.gradient as usize * (i % side) / side) as i32;
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let noise = if d.noise > 0 {
            (s % (2 * d.noise as u64 + 1)) as i32 - d.noise as i32
        } else {
            0
        };
        *v = (*v as i32 - light_loss + noise).clamp(0, 255) as u8;
    }
    Image {
        width: side,
        height: side,
        data,
    }
}

fn box_blur(src: &[u8], side: usize, r: usize) -> Vec<u8> {
    let mut tmp = vec![0u8; src.len()];
    let mut out = vec![0u8; src.len()];
    for pass in 0..2 {
        let (from, to) = if pass == 0 {
            (src, &mut tmp)
        } else {
            (&tmp[..], &mut out)
        };
        for a in 0..side {
            for b in 0..side {
                let (mut sum, mut cnt) = (0u32, 0u32);
                for k in b.saturating_sub(r)..(b + r + 1).min(side) {
                    let idx = if pass == 0 {
                        a * side + k
                    } else {
                        k * side + a
                    };
                    sum += from[idx] as u32;
                    cnt += 1;
                }
                let idx = if pass == 0 {
                    a * side + b
                } else {
                    b * side + a
                };
                to[idx] = (sum / cnt) as u8;
            }
        }
    }
    out
}
