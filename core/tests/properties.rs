//! Property tests: for random payloads and options, what the encoder writes
//! the reader reads back exactly, and the parsers never panic.

use civiqr::payload::Payload;
use civiqr::{
    decode, encode_bytes, encode_text, DecodeOptions, EcLevel, EncodeOptions, ImageRef, Mask,
    QrCode, Symbology, Version,
};
use civiqr_testkit::{Grid, Raster};
use proptest::prelude::*;

/// The symbol as grey pixels, `scale` per module, 4-module quiet zone:
/// (pixels, width, height).
fn grey(code: &QrCode, scale: usize) -> (Vec<u8>, usize, usize) {
    let grid = Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y));
    let img = Raster::new(scale).draw(&grid);
    (img.data, img.width, img.height)
}

fn options() -> impl Strategy<Value = EncodeOptions> {
    (
        0usize..4,
        1u8..=40,
        proptest::option::of(0u8..8),
        any::<bool>(),
    )
        .prop_map(|(ec, min_version, mask, boost)| {
            let ec = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H][ec];
            let mut o = EncodeOptions::default().ec_level(ec).boost_ec(boost);
            if let Ok(v) = Version::new(min_version) {
                o = o.min_version(v);
            }
            if let Some(m) = mask.and_then(|m| Mask::new(m).ok()) {
                o = o.mask(m);
            }
            o
        })
}

/// Reads the symbol rendered at `scale` pixels per module; exactly one.
fn read_back(code: &QrCode, scale: usize) -> civiqr::Decoded {
    let (px, w, h) = grey(code, scale);
    let mut found = decode(ImageRef::luma(&px, w, h), &DecodeOptions::default())
        .expect("a rendered symbol is a valid image");
    assert_eq!(found.len(), 1, "version {}", code.symbol_version());
    found.remove(0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn bytes_round_trip_through_a_rendered_image(
        data in proptest::collection::vec(any::<u8>(), 0..300),
        opts in options(),
        scale in 2usize..4,
    ) {
        let code = match encode_bytes(&data, &opts) {
            Ok(c) => c,
            // Only a payload too long for the versions allowed may fail.
            Err(e) => {
                prop_assert!(e.to_string().contains("too long"), "{e}");
                return Ok(());
            }
        };
        if let Some(m) = opts.get_mask() {
            prop_assert_eq!(code.mask(), m);
        }
        prop_assert!(code.version() >= opts.get_versions().0);
        let read = read_back(&code, scale);
        prop_assert_eq!(read.bytes(), &data[..]);
        prop_assert_eq!(read.version(), code.version());
        prop_assert_eq!(read.mask(), code.mask());
        prop_assert_eq!(read.ec_level(), code.ec_level());
    }

    #[test]
    fn text_round_trips_through_a_rendered_image(
        text in "\\PC{0,80}",
        opts in options(),
        eci in any::<bool>(),
    ) {
        let opts = opts.eci_utf8(eci);
        let Ok(code) = encode_text(&text, &opts) else {
            return Ok(());
        };
        let read = read_back(&code, 2);
        prop_assert_eq!(read.text(), Some(text.as_str()));
    }

    #[test]
    fn micro_qr_and_rmqr_round_trip_through_a_rendered_image(
        data in proptest::collection::vec(any::<u8>(), 0..60),
        rmqr in any::<bool>(),
        high in any::<bool>(),
        max_height in proptest::option::of(7u32..=17),
    ) {
        // Micro QR holds at most 15 bytes (M4-L): keep most cases in range.
        let data = if rmqr { data } else { data[..data.len() % 16].to_vec() };
        let opts = if rmqr {
            EncodeOptions::default()
                .symbology(Symbology::Rmqr)
                .ec_level(if high { EcLevel::H } else { EcLevel::M })
                .max_height(max_height)
        } else {
            EncodeOptions::default()
                .symbology(Symbology::MicroQr)
                .ec_level(if high { EcLevel::M } else { EcLevel::L })
        };
        let Ok(code) = encode_bytes(&data, &opts) else {
            return Ok(());
        };
        if let Some(h) = max_height.filter(|_| rmqr) {
            prop_assert!(code.height() as u32 <= h);
        }
        let read = read_back(&code, 3);
        prop_assert_eq!(read.bytes(), &data[..]);
        prop_assert_eq!(read.symbology(), code.symbology());
        prop_assert_eq!(read.symbol_version(), code.symbol_version());
    }

    #[test]
    fn payload_parsing_never_panics_and_is_stable(text in "\\PC{0,120}") {
        let parsed = Payload::parse(&text);
        if !matches!(parsed, Payload::Other(_)) {
            prop_assert_eq!(Payload::parse(&parsed.to_string()), parsed);
        }
    }

    #[test]
    fn payload_parsing_of_known_prefixes_never_panics(
        prefix in prop::sample::select(vec![
            "WIFI:", "BEGIN:VCARD\n", "MECARD:", "BCD\n002\n1\nSCT\n", "geo:", "sms:",
            "SMSTO:", "tel:", "mailto:", "https://",
        ]),
        rest in "[ -~\\n;:,\\\\]{0,80}|\\PC{0,40}",
    ) {
        let text = format!("{prefix}{rest}");
        let parsed = Payload::parse(&text);
        if !matches!(parsed, Payload::Other(_)) {
            prop_assert_eq!(Payload::parse(&parsed.to_string()), parsed, "{:?}", text);
        }
    }
}
