//! The reader's zero-misread promise on real symbols under the street's
//! distortions, all chosen by the fuzzer: a QR Code of arbitrary bytes,
//! turned, tilted, wrapped round a pole, blurred, streaked, noisy, dim and
//! partly covered. Whatever the reader returns must be that symbol's bytes:
//! it may fail to read, never read something else (nor a second symbol out
//! of the distortions). Cheap enough per input to keep the fuzzer moving:
//! images up to about 400 px.
#![no_main]

use civiqr::{decode, encode_bytes, DecodeOptions, EcLevel, EncodeOptions, ImageRef};
use civiqr_testkit::Gray;
use libfuzzer_sys::fuzz_target;

/// Quiet zone drawn round the symbol, in modules.
const QUIET: f64 = 4.0;
/// Longest side of a rendered image, pixels: bounds the time per input.
const MOST_SIDE: f64 = 420.0;

fuzz_target!(|data: &[u8]| {
    let Some((head, payload)) = data.split_first_chunk::<9>() else {
        return;
    };
    if payload.len() > 120 {
        return;
    }
    let ec = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H][usize::from(head[0] & 3)];
    let Ok(code) = encode_bytes(payload, &EncodeOptions::default().ec_level(ec)) else {
        return;
    };
    let n = code.width() as f64;
    let scene = Scene {
        module_px: 1.5 + f64::from(head[1]) / 255.0 * 6.5,
        turn: f64::from(head[2]).to_radians() * 360.0 / 256.0,
        tilt: f64::from(head[3] as i8) / 200.0,
        half_angle: f64::from(head[4]) / 255.0 * 1.4,
        blur: usize::from(head[5] & 3),
        noise: i32::from(head[5] >> 2) * 2,
        streaks: i32::from(head[6] & 63),
        streak_turn: f64::from(head[6] >> 6) * std::f64::consts::FRAC_PI_4,
        ink: i32::from(head[7] % 110),
        paper: 140 + i32::from(head[7] / 3) % 116,
        invert: head[8] & 1 != 0,
        covered: usize::from(head[8] >> 1 & 7),
    };
    let Some(img) = scene.render(&code, n) else {
        return;
    };
    let options = DecodeOptions::default()
        .quick(head[0] & 4 != 0)
        .try_harder(head[0] & 8 != 0 && img.width * img.height < 40_000)
        .max_symbols(usize::from(head[0] >> 4 & 3) + 1);
    let image = ImageRef::luma(&img.data, img.width, img.height);
    let found = decode(image, &options).expect("a rendered scene is a valid image");
    for d in &found {
        assert_eq!(
            d.bytes(),
            payload,
            "misread: {scene:?} {ec:?} version {:?}",
            code.symbol_version()
        );
    }
});

/// How one symbol is seen (see the fuzz target's head bytes).
#[derive(Debug)]
struct Scene {
    module_px: f64,
    turn: f64,
    tilt: f64,
    /// Half the angle of the pole the symbol covers, radians (0: flat).
    half_angle: f64,
    blur: usize,
    noise: i32,
    /// Amplitude of brushed-metal streaks, grey levels, along `streak_turn`.
    streaks: i32,
    streak_turn: f64,
    ink: i32,
    paper: i32,
    invert: bool,
    /// Blots of a symbol's quarter width laid over it (0 to 7).
    covered: usize,
}

impl Scene {
    /// The scene's pixels: each pixel undoes the turn, the tilt (a
    /// projective squeeze along the turned y axis) and the wrap (a column
    /// at screen offset s on a pole of the symbol's half-width w lies at
    /// w / a * asin(s * a / w) along the label), then takes its module.
    fn render(&self, code: &civiqr::QrCode, n: f64) -> Option<Gray> {
        let span = (n + 2.0 * QUIET) * self.module_px;
        let side = (span * 1.3).ceil() + 8.0;
        if side > MOST_SIDE {
            return None;
        }
        let side = side as usize;
        let centre = side as f64 / 2.0;
        let half = n / 2.0 + QUIET;
        let (sin, cos) = self.turn.sin_cos();
        let (ssin, scos) = self.streak_turn.sin_cos();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64 ^ (n as u64) ^ ((self.module_px * 1e3) as u64);
        let (ink, paper) = if self.invert {
            (self.paper, self.ink)
        } else {
            (self.ink, self.paper)
        };
        let mut data = vec![0u8; side * side];
        for py in 0..side {
            for px in 0..side {
                let (x, y) = (px as f64 + 0.5 - centre, py as f64 + 0.5 - centre);
                let (rx, ry) = (x * cos + y * sin, -x * sin + y * cos);
                let w = 1.0 + self.tilt * ry / span;
                let (sx, my) = (rx * w / self.module_px, ry * w / self.module_px);
                let mx = if self.half_angle > 0.01 {
                    let t = sx * self.half_angle / half;
                    if t.abs() >= 1.0 {
                        f64::NAN
                    } else {
                        half / self.half_angle * t.asin()
                    }
                } else {
                    sx
                };
                let (gx, gy) = (mx + n / 2.0, my + n / 2.0);
                let dark = gx >= 0.0
                    && gy >= 0.0
                    && gx < n
                    && gy < n
                    && code.get(gx as usize, gy as usize);
                data[py * side + px] = if dark { ink } else { paper } as u8;
            }
        }
        // Blots: squares of a quarter of the symbol, at places the seed picks.
        let blot = (n / 4.0 * self.module_px) as usize;
        for k in 0..self.covered {
            let (bx, by) = (
                next(&mut seed) as usize % side,
                next(&mut seed) as usize % side,
            );
            let level = if k % 2 == 0 { ink } else { paper } as u8;
            for y in by..(by + blot).min(side) {
                data[y * side + bx..y * side + (bx + blot).min(side)].fill(level);
            }
        }
        let mut img = Gray {
            width: side,
            height: side,
            data,
        }
        .box_blur(self.blur);
        for (i, v) in img.data.iter_mut().enumerate() {
            let (x, y) = ((i % side) as f64, (i / side) as f64);
            // Streaks run along streak_turn: constant along it, varying across.
            let across = -x * ssin + y * scos;
            let streak =
                (f64::from(self.streaks) * (across * 0.9).sin() * (across * 0.23).cos()) as i32;
            let noise = if self.noise > 0 {
                (next(&mut seed) % (2 * self.noise as u64 + 1)) as i32 - self.noise
            } else {
                0
            };
            *v = (i32::from(*v) + streak + noise).clamp(0, 255) as u8;
        }
        Some(img)
    }
}

/// Marsaglia's xorshift64 (13, 7, 17).
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}
