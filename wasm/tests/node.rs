//! The binding as JavaScript sees it, run under Node.js by
//! `wasm-bindgen-test-runner` (see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use civiqr_wasm::encode;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn url_encodes_to_an_svg_symbol() {
    let code = match encode("https://example.org/mobilier/banc-0042") {
        Ok(code) => code,
        Err(_) => panic!("a 38-character URL must encode"),
    };
    // 38 bytes at EC level M need version 3 (holds 42 bytes in byte mode).
    assert_eq!(code.version, 3);
    assert_eq!(code.size, 29);
    assert_eq!(code.ec, "M");
    assert!(code.mask <= 7);
    assert!(code.svg.starts_with("<svg") || code.svg.starts_with("<?xml"));
    assert!(code.svg.contains("<path"), "no <path> in {}", code.svg);
}

#[wasm_bindgen_test]
fn over_long_input_throws_an_error() {
    // 8,000 digits exceed version 40-M (5,596 digits).
    let digits = "7".repeat(8000);
    let err = match encode(&digits) {
        Ok(code) => panic!("encoded 8,000 digits as version {}", code.version),
        Err(err) => err,
    };
    let err: js_sys::Error = JsValue::from(err).unchecked_into();
    let message = String::from(err.message());
    assert!(
        message.contains("data too long"),
        "unexpected message: {message}"
    );
}

#[wasm_bindgen_test]
fn encoded_symbol_decodes_from_rgba_pixels() {
    use civiqr_wasm::decode_pixels;
    let code = civiqr::encode_text(
        "https://example.org/mobilier/banc-0042",
        &civiqr::EncodeOptions::default(),
    )
    .unwrap_or_else(|_| panic!("encodes"));
    // RGBA at 3 px per module with a 4-module quiet zone, as a canvas gives it.
    let side = (code.size() + 8) * 3;
    let mut rgba = Vec::with_capacity(side * side * 4);
    for y in 0..side {
        for x in 0..side {
            let dark = code.get((x / 3).wrapping_sub(4), (y / 3).wrapping_sub(4));
            let v = if dark { 0 } else { 255 };
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
    }
    let found =
        decode_pixels(&rgba, side as u32, side as u32).unwrap_or_else(|_| panic!("valid image"));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].text.as_deref(),
        Some("https://example.org/mobilier/banc-0042")
    );
    assert_eq!(found[0].corners.len(), 8);
    // A buffer that matches neither RGBA nor grey is an error, and the module still works after it.
    assert!(decode_pixels(&rgba[..100], side as u32, side as u32).is_err());
    assert!(decode_pixels(&rgba, u32::MAX, u32::MAX).is_err());
    assert_eq!(
        decode_pixels(&rgba, side as u32, side as u32)
            .map(|f| f.len())
            .unwrap_or(0),
        1
    );
}

#[wasm_bindgen_test]
fn encode_config_is_applied_and_checked() {
    use civiqr_wasm::{encode_bytes_js, encode_text_js, JsEncodeConfig};
    let mut config = JsEncodeConfig::new();
    config.ec = "H".to_string();
    config.min_version = 5;
    config.mask = 3;
    let code = encode_text_js("BANC 42", &config).unwrap_or_else(|_| panic!("fits in 5-H"));
    assert_eq!((code.version, code.ec.as_str(), code.mask), (5, "H", 3));
    assert_eq!(code.modules.len(), 37 * 37);
    assert_eq!(
        encode_bytes_js(&[0, 255], &config).map(|c| c.version).ok(),
        Some(5)
    );
    // Every invalid field is an error, not a panic.
    for bad in [
        {
            let mut c = JsEncodeConfig::new();
            c.ec = "X".to_string();
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.mask = 8;
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.mask = -2;
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.min_version = 0;
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.max_version = 41;
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.dark = "nope".to_string();
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.quiet_zone = Some(u32::MAX);
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.symbol = "microqr".to_string();
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.version = "M2".to_string();
            c
        },
        {
            let mut c = JsEncodeConfig::new();
            c.symbol = "rmqr".to_string();
            c.max_height = Some(5);
            c
        },
    ] {
        assert!(encode_text_js("x", &bad).is_err());
    }
}

#[wasm_bindgen_test]
fn decode_with_rejects_empty_images_and_honours_options() {
    use civiqr_wasm::{decode_with, JsDecodeConfig};
    let config = JsDecodeConfig::new();
    assert!(decode_with(&[], 0, 0, &config).is_err());
    assert!(decode_with(&[], 0, 5, &config).is_err());
    // An inverted symbol is found only with try_inverted.
    let code = civiqr::encode_text("NEGATIVE", &civiqr::EncodeOptions::default())
        .unwrap_or_else(|_| panic!("encodes"));
    let side = (code.size() + 8) * 4;
    let mut grey = Vec::with_capacity(side * side);
    for y in 0..side {
        for x in 0..side {
            let dark = code.get((x / 4).wrapping_sub(4), (y / 4).wrapping_sub(4));
            grey.push(if dark { 255 } else { 0 });
        }
    }
    let n = side as u32;
    let found = decode_with(&grey, n, n, &config).unwrap_or_else(|_| panic!("valid image"));
    assert_eq!(found.len(), 1);
    assert!(found[0].inverted);
    let mut plain = JsDecodeConfig::new();
    plain.try_inverted = false;
    assert_eq!(
        decode_with(&grey, n, n, &plain).map(|f| f.len()).ok(),
        Some(0)
    );
}

#[wasm_bindgen_test]
fn decode_with_parses_symbology_names_with_core() {
    use civiqr_wasm::{decode_with, JsDecodeConfig};
    let grey = vec![255u8; 32 * 32];
    let mut config = JsDecodeConfig::new();
    assert_eq!(config.symbologies, ["qr", "micro", "rmqr"]);
    // Any case, as the CLI and Python accept them.
    config.symbologies = vec!["QR".into(), "Micro".into()];
    assert_eq!(
        decode_with(&grey, 32, 32, &config).map(|f| f.len()).ok(),
        Some(0)
    );
    // The old "microqr" spelling is refused with core's message.
    config.symbologies = vec!["microqr".into()];
    let Err(err) = decode_with(&grey, 32, 32, &config) else {
        panic!("an unknown symbology must be refused");
    };
    let err: js_sys::Error = JsValue::from(err).unchecked_into();
    let message = String::from(err.message());
    assert_eq!(
        message,
        "symbologies: unknown symbology \"microqr\": must be qr, micro or rmqr"
    );
}

#[wasm_bindgen_test]
fn micro_rmqr_and_split_encode_with_their_parameters() {
    use civiqr_wasm::{encode_text_js, encode_text_split_js, JsEncodeConfig};
    let mut micro = JsEncodeConfig::new();
    micro.symbol = "micro".to_string();
    let code = encode_text_js("BANC 42", &micro).unwrap_or_else(|_| panic!("fits M3"));
    assert_eq!(
        (code.symbology.as_str(), code.version_name.as_str()),
        ("micro", "M3")
    );
    assert_eq!(code.modules.len(), 15 * 15);

    let mut rmqr = JsEncodeConfig::new();
    rmqr.symbol = "rmqr".to_string();
    rmqr.version = "R11x77".to_string();
    let code = encode_text_js("BANC 42", &rmqr).unwrap_or_else(|_| panic!("fits R11x77"));
    assert_eq!((code.width, code.height), (77, 11));
    assert_eq!(code.modules.len(), 77 * 11);

    let mut small = JsEncodeConfig::new();
    small.max_version = 2;
    let parts = encode_text_split_js(&"Banc 42. ".repeat(20), 0, &small)
        .unwrap_or_else(|_| panic!("fits 16 version-2 symbols"));
    assert!(parts.len() > 1);
    for (i, p) in parts.iter().enumerate() {
        assert_eq!(p.structured_append[..2], [i as u8, parts.len() as u8]);
    }
    assert!(encode_text_split_js("x", 17, &small).is_err());
    // 16 symbols of version 1 hold far less than 2,000 digits.
    let mut tiny = JsEncodeConfig::new();
    tiny.max_version = 1;
    let err = match encode_text_split_js(&"7".repeat(2000), 0, &tiny) {
        Ok(_) => panic!("2,000 digits in 16 version-1 symbols"),
        Err(e) => e,
    };
    let err: js_sys::Error = JsValue::from(err).unchecked_into();
    assert!(String::from(err.message()).contains("does not fit 16 symbols"));
}
