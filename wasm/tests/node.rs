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
