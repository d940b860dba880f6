//! WebAssembly bindings: converts JS strings in and QR Code summaries out; all
//! the work is done by the `civiqr` crate.
//!
//! Nothing here may panic on user input: every error from the encoder comes
//! back to JavaScript as a thrown `Error` carrying the encoder's message.

use civiqr::render::{svg, RenderOptions};
use civiqr::{encode_text, EncodeOptions};
use wasm_bindgen::prelude::*;

/// An encoded symbol as JavaScript sees it: the SVG picture and the
/// parameters the encoder chose.
#[wasm_bindgen(js_name = QrCode, getter_with_clone)]
pub struct JsQrCode {
    /// The symbol as a standalone SVG document (default render options:
    /// 4-module quiet zone, black on white).
    pub svg: String,
    /// Side length in modules, without the quiet zone.
    pub size: u32,
    /// Version number, 1..=40.
    pub version: u8,
    /// Error-correction level: `"L"`, `"M"`, `"Q"` or `"H"`.
    pub ec: String,
    /// Mask pattern number, 0..=7.
    pub mask: u8,
}

/// Encodes `text` into the smallest QR Code at EC level M, choosing the
/// segment modes and the mask as the encoder does by default.
///
/// Throws an `Error` with the encoder's message when the text does not fit.
#[wasm_bindgen]
pub fn encode(text: &str) -> Result<JsQrCode, JsError> {
    let code =
        encode_text(text, &EncodeOptions::default()).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(JsQrCode {
        svg: svg(&code, &RenderOptions::default()).map_err(|e| JsError::new(&e.to_string()))?,
        // 177 is the largest side, so the conversion cannot fail.
        size: u32::try_from(code.size()).unwrap_or(u32::MAX),
        version: code.version().number(),
        ec: code.ec_level().to_string(),
        mask: code.mask().number(),
    })
}
