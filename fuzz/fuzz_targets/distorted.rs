//! The reader's zero-misread promise on real symbols under the street's
//! distortions, all chosen by the fuzzer: a QR Code of arbitrary bytes,
//! turned, tilted, wrapped round a pole, blurred, streaked, noisy, dim and
//! partly covered. Whatever the reader returns must be that symbol's bytes:
//! it may fail to read, never read something else (nor a second symbol out
//! of the distortions). Cheap enough per input to keep the fuzzer moving:
//! images up to 420 px, drawn by the test kit's `Distortion`.
#![no_main]

use civiqr::{decode, encode_bytes, DecodeOptions, EcLevel, EncodeOptions, ImageRef};
use civiqr_testkit::{Distortion, Gray, Grid, Rng};
use libfuzzer_sys::fuzz_target;

/// Longest side of a rendered image, pixels: bounds the time per input.
const MOST_SIDE: usize = 420;

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
    let look = Distortion {
        module_px: 1.5 + f64::from(head[1]) / 255.0 * 6.5,
        rotate_deg: f64::from(head[2]) * 360.0 / 256.0,
        tilt: f64::from(head[3] as i8) / 200.0,
        wrap: f64::from(head[4]) / 255.0 * 1.4,
        blur: usize::from(head[5] & 3),
        noise: (head[5] >> 2) * 2,
        gradient: 0,
        invert: head[8] & 1 != 0,
    };
    let scene = Scene {
        streaks: i32::from(head[6] & 63),
        streak_turn: f64::from(head[6] >> 6) * std::f64::consts::FRAC_PI_4,
        ink: i32::from(head[7] % 110),
        paper: 140 + i32::from(head[7] / 3) % 116,
        covered: usize::from(head[8] >> 1 & 7),
    };
    if look.side(code.width()) > MOST_SIDE {
        return;
    }
    let grid = Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y));
    let img = scene.over(
        look.render(&grid, u64::from(head[1]) << 8 | u64::from(head[2])),
        code.width() as f64 * look.module_px,
    );
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
            "misread: {look:?} {scene:?} {ec:?} version {:?}",
            code.symbol_version()
        );
    }
});

/// What lies over a rendered symbol (see the fuzz target's head bytes).
#[derive(Debug)]
struct Scene {
    /// Amplitude of brushed-metal streaks, grey levels, along `streak_turn`.
    streaks: i32,
    streak_turn: f64,
    /// The grey levels the render's dark and light levels become.
    ink: i32,
    paper: i32,
    /// Blots of a quarter of the symbol's side laid over it (0 to 7).
    covered: usize,
}

impl Scene {
    /// `img` (levels 30 and 225, see `Distortion::render`) brought to this
    /// scene's levels, blotted where a generator seeded by its size picks,
    /// and streaked; `symbol_px` is the symbol's width in pixels.
    fn over(&self, mut img: Gray, symbol_px: f64) -> Gray {
        let side = img.width;
        for v in &mut img.data {
            let level = self.ink + (i32::from(*v) - 30) * (self.paper - self.ink) / 195;
            *v = level.clamp(0, 255) as u8;
        }
        let mut rng = Rng::new(side as u64);
        let blot = (symbol_px / 4.0) as usize;
        for k in 0..self.covered {
            let (bx, by) = (rng.below(side), rng.below(side));
            let level = if k % 2 == 0 { self.ink } else { self.paper }.clamp(0, 255) as u8;
            for y in by..(by + blot).min(img.height) {
                img.data[y * side + bx..y * side + (bx + blot).min(side)].fill(level);
            }
        }
        if self.streaks > 0 {
            let (sin, cos) = self.streak_turn.sin_cos();
            for (i, v) in img.data.iter_mut().enumerate() {
                // Constant along streak_turn, varying across it.
                let across = -((i % side) as f64) * sin + (i / side) as f64 * cos;
                let streak = f64::from(self.streaks) * (across * 0.9).sin() * (across * 0.23).cos();
                *v = (f64::from(*v) + streak).clamp(0.0, 255.0) as u8;
            }
        }
        img
    }
}
