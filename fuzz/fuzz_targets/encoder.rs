//! The encoder on arbitrary bytes and options. Whatever it returns must be a
//! symbol that reads back as exactly the input: the reader decodes a
//! rendered image of it (checked for small symbols, to keep the rate up).
//! QR Code, Micro QR and rMQR (with a height limit).
#![no_main]

use civiqr::{decode, encode_bytes, encode_text, DecodeOptions, EcLevel, EncodeOptions, ImageRef};
use civiqr::{Mask, Mode, Symbology, Version};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, payload)) = data.split_first_chunk::<4>() else {
        return;
    };
    let ec = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H][usize::from(head[0] & 3)];
    let mut options = EncodeOptions::default()
        .ec_level(ec)
        .boost_ec(head[0] & 4 != 0)
        .eci_utf8(head[0] & 8 != 0)
        .kanji(head[0] & 16 == 0);
    if let Ok(v) = Version::new(head[1] % 41) {
        options = if head[0] & 32 != 0 {
            options.version(v)
        } else {
            options.min_version(v)
        };
    }
    if let Ok(v) = Version::new(head[2] % 41) {
        options = options.max_version(v);
    }
    if let Ok(m) = Mask::new(head[3] % 10) {
        options = options.mask(m);
    }
    options = options.mode(match head[3] >> 4 {
        1 => Some(Mode::Numeric),
        2 => Some(Mode::Alphanumeric),
        3 => Some(Mode::Byte),
        4 => Some(Mode::Kanji),
        _ => None,
    });
    // The top bits of the third byte pick the symbology.
    options = match head[2] >> 6 {
        1 => options.symbology(Symbology::MicroQr),
        2 => options
            .symbology(Symbology::Rmqr)
            .max_height(u32::from(head[1] % 18)),
        _ => options,
    };
    let as_text = head[0] & 64 != 0;
    let result = match std::str::from_utf8(payload) {
        Ok(text) if as_text => encode_text(text, &options),
        _ => encode_bytes(payload, &options),
    };
    let Ok(code) = result else {
        return;
    };
    let (w, h) = (code.width(), code.height());
    if w > 57 && h > 17 {
        return;
    }
    // Render at 2 px per module with a 4-module quiet zone and read it back.
    let (scale, quiet) = (2, 4);
    let (pw, ph) = ((w + 2 * quiet) * scale, (h + 2 * quiet) * scale);
    let mut pixels = vec![255u8; pw * ph];
    for y in 0..h {
        for x in 0..w {
            if code.get(x, y) {
                for dy in 0..scale {
                    let row = ((y + quiet) * scale + dy) * pw;
                    let col = (x + quiet) * scale;
                    pixels[row + col..row + col + scale].fill(0);
                }
            }
        }
    }
    let found = decode(ImageRef::luma(&pixels, pw, ph), &DecodeOptions::default())
        .expect("a rendered symbol is a valid image");
    assert_eq!(found.len(), 1, "symbol not read back: {payload:?} {options:?}");
    let read = &found[0];
    assert_eq!(read.symbology(), code.symbology());
    assert_eq!(read.symbol_version(), code.symbol_version());
    assert_eq!(read.mask(), code.mask());
    match std::str::from_utf8(payload) {
        Ok(text) if as_text => assert_eq!(read.text(), Some(text), "{options:?}"),
        // Kanji mode stores Shift JIS bytes: compare through the text.
        _ if options_uses_kanji(&code) => {}
        _ => assert_eq!(read.bytes(), payload, "{options:?}"),
    }
});

fn options_uses_kanji(code: &civiqr::QrCode) -> bool {
    code
        .segments()
        .iter()
        .any(|s| matches!(s, civiqr::SegmentInfo::Data { mode: Mode::Kanji, .. }))
}
