//! Inputs the fuzzers found, kept as tests (see docs/RELIABILITY.md).

use civiqr::{decode, encode_bytes, DecodeOptions, EcLevel, EncodeOptions, ImageRef, Symbology};
use civiqr::{QrCode, Version};
use civiqr_testkit::{Grid, Raster};

/// Renders a symbol as the encoder fuzz target does: 2 px per module, a
/// 4-module quiet zone.
fn render(code: &QrCode) -> (Vec<u8>, usize, usize) {
    let grid = Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y));
    let img = Raster::new(2).quiet(4).draw(&grid);
    (img.data, img.width, img.height)
}

/// The options of both rMQR findings: EC H, versions 10 to 17, at most 17
/// modules tall.
fn rmqr_options() -> EncodeOptions {
    EncodeOptions::default()
        .ec_level(EcLevel::H)
        .eci_utf8(true)
        .kanji(false)
        .version(Version::new(10).expect("version"))
        .max_version(Version::new(17).expect("version"))
        .symbology(Symbology::Rmqr)
        .max_height(17)
}

/// The payload and symbol of the finding: an R17x43 rMQR (encoder target,
/// crash-882ecd56...).
fn found_rmqr() -> (&'static [u8], QrCode) {
    let payload: &[u8] = &[
        0x37, 0xd7, 0xcd, 0xfe, 0x31, 0x70, 0x34, 0x33, 0x35, 0x36, 0x33, 0x35, 0x36, 0x37, 0x1b,
        0, 0, 0x10, 0, 0, 0x24,
    ];
    (
        payload,
        encode_bytes(payload, &rmqr_options()).expect("encodes"),
    )
}

/// An R17x43 symbol whose top-left corner (finder, timing along the top row
/// and the left column) also passed as an empty Micro QR M1, whose check is
/// two codewords of error detection: the reader returned that M1 instead of
/// the rMQR (encoder target, crash-882ecd56...).
#[test]
fn an_rmqr_corner_is_not_read_as_a_micro_qr() {
    let (payload, code) = found_rmqr();
    assert_eq!(code.symbol_version().to_string(), "R17x43");
    let (pixels, w, h) = render(&code);
    let found = decode(ImageRef::luma(&pixels, w, h), &DecodeOptions::default()).expect("image");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].symbology(), Symbology::Rmqr);
    assert_eq!(found[0].bytes(), payload);
}

/// The same corner with the rest of the rMQR unreadable (its far end
/// inverted, the sub-finder gone): nothing may be read there, not an M1.
/// The reader holds an M1 to its quiet zone: beyond this corner lie the
/// rMQR's data modules.
#[test]
fn a_finder_corner_of_something_else_is_not_an_m1() {
    let (_, code) = found_rmqr();
    let (mut pixels, w, h) = render(&code);
    // Invert modules 24.. of the symbol's 43 columns (2 px each, 4 quiet).
    for row in pixels.chunks_mut(w) {
        for p in &mut row[(4 + 24) * 2..(4 + 43) * 2] {
            *p = 255 - *p;
        }
    }
    let found = decode(ImageRef::luma(&pixels, w, h), &DecodeOptions::default()).expect("image");
    let kinds: Vec<_> = found.iter().map(|d| d.symbology()).collect();
    assert!(!kinds.contains(&Symbology::MicroQr), "read {kinds:?}");
}

/// An rMQR of mostly zero bytes that the reader stopped reading back after
/// a change of this release (encoder target, crash-abd51ffe...).
#[test]
fn an_rmqr_of_zero_bytes_reads_back() {
    let payload: &[u8] = &[0, 4, 0, 0, 1, 4, 0, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 37];
    let code = encode_bytes(payload, &rmqr_options()).expect("encodes");
    let (pixels, w, h) = render(&code);
    let found = decode(ImageRef::luma(&pixels, w, h), &DecodeOptions::default()).expect("image");
    assert_eq!(found.len(), 1, "{}", code.symbol_version());
    assert_eq!(found[0].symbology(), Symbology::Rmqr);
    assert_eq!(found[0].bytes(), payload);
}

/// Reads `code` back from its fuzz-target render and returns the text.
fn text_read_back(code: &QrCode) -> Option<String> {
    let (px, w, h) = render(code);
    let found = decode(ImageRef::luma(&px, w, h), &DecodeOptions::default()).expect("an image");
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].text().map(str::to_owned)
}

#[test]
fn japanese_text_whose_shift_jis_bytes_are_also_utf8_reads_back() {
    // Encoder target, crash-c2b7aa1c...: as Shift JIS bytes, "茗ト" is E4 AA
    // 83 67, which is also the UTF-8 of "䪃g"; readers guess UTF-8 for
    // unlabelled bytes that are valid UTF-8, so those bytes must not be sent.
    let text = "ttp茗ト";
    let options = EncodeOptions::default()
        .ec_level(EcLevel::H)
        .mask(civiqr::Mask::new(3).expect("mask"));
    let code = civiqr::encode_text(text, &options).expect("fits");
    assert_eq!(text_read_back(&code).as_deref(), Some(text));
    // Declared UTF-8 by an ECI, Japanese text reads back too.
    let long = "東京駅前 mod?a=ceanigmahffbpik?=gjal?nilnp?lj=&nc=mlgl東前前都駅京前東前京京駅前駅都都都前駅京駅東前都京駅駅東";
    let code = civiqr::encode_text(long, &EncodeOptions::default().eci_utf8(true)).expect("fits");
    assert_eq!(text_read_back(&code).as_deref(), Some(long));
}
