//! The reader on arbitrary pixels: any size, format, stride and options.
//! Every call must return (Ok or a typed Err) without panicking, in bounded
//! time; a decoded symbol's corners must be finite.
#![no_main]

use civiqr::{decode, DecodeOptions, ImageRef, PixelFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, pixels)) = data.split_first_chunk::<4>() else {
        return;
    };
    // Width from two bytes (0 and odd sizes included); height follows from
    // the buffer, or is taken as given to test length checks.
    let width = usize::from(u16::from_le_bytes([head[0], head[1]]) % 600);
    let format = match head[2] % 3 {
        0 => PixelFormat::Luma,
        1 => PixelFormat::Rgb,
        _ => PixelFormat::Rgba,
    };
    let flags = head[3];
    let row = width * format.channels() + usize::from(flags >> 6);
    let height = match (flags & 1, row) {
        (_, 0) => usize::from(flags >> 1),
        (0, r) => pixels.len() / r,
        (_, r) => pixels.len() / r + usize::from(flags >> 1 & 3),
    };
    let options = DecodeOptions::default()
        .try_harder(flags & 2 != 0 && pixels.len() < 40_000)
        .try_inverted(flags & 4 == 0)
        .pure(flags & 8 != 0)
        .max_symbols(usize::from(flags >> 4 & 3) + 1)
        .max_pixels(1 << 20);
    let image = ImageRef::new(pixels, width, height, format).with_stride(row);
    if let Ok(found) = decode(image, &options) {
        for d in found {
            assert!(d.corners().iter().all(|p| p.x.is_finite() && p.y.is_finite()));
            assert!(d.text().is_none_or(|t| !t.is_empty() || d.bytes().is_empty()));
        }
    }
});
