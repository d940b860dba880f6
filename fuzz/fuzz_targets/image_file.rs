//! Encoded image files (PNG, JPEG, WebP, GIF, BMP, TIFF) through our loader:
//! size limits are checked before pixels are decoded, so a small file that
//! claims a huge image is refused, not allocated.
#![no_main]

use civiqr::{decode_image_bytes, DecodeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = DecodeOptions::default().max_pixels(1 << 20);
    let _ = decode_image_bytes(data, &options);
});
