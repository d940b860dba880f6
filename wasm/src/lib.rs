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

/// A symbol read from an image, as JavaScript sees it.
#[wasm_bindgen(js_name = Decoded, getter_with_clone)]
pub struct JsDecoded {
    /// The content as text, or `undefined` when it is not valid text.
    pub text: Option<String>,
    /// The exact payload bytes.
    pub bytes: Vec<u8>,
    /// `"qr"`.
    pub symbology: String,
    /// Version number.
    pub version: u8,
    /// Error-correction level: `"L"`, `"M"`, `"Q"` or `"H"`.
    pub ec: String,
    /// Mask pattern number.
    pub mask: u8,
    /// The first ECI designator, if any.
    pub eci: Option<u32>,
    /// Corner coordinates in pixels, TL, TR, BR, BL: `[x0, y0, x1, y1, ...]`.
    pub corners: Vec<f32>,
    /// Read as a mirror image.
    pub mirrored: bool,
    /// Light on dark.
    pub inverted: bool,
}

/// Decodes the QR Codes in an image given as pixels: `data` holds `width` x
/// `height` pixels of 4 bytes (RGBA, as in `ImageData`) or of 1 byte (grey).
///
/// Throws an `Error` naming the problem when the sizes and the buffer do not
/// match; returns an empty array when no symbol is found.
#[wasm_bindgen(js_name = decodePixels)]
pub fn decode_pixels(data: &[u8], width: u32, height: u32) -> Result<Vec<JsDecoded>, JsError> {
    let (w, h) = (width as usize, height as usize);
    let pixels = w
        .checked_mul(h)
        .ok_or_else(|| JsError::new("image size overflows"))?;
    let image = if pixels.checked_mul(4) == Some(data.len()) {
        civiqr::ImageRef::rgba(data, w, h)
    } else if pixels == data.len() {
        civiqr::ImageRef::luma(data, w, h)
    } else {
        return Err(JsError::new(&format!(
            "{} bytes do not make a {width} x {height} image (need {} for RGBA or {pixels} for grey)",
            data.len(),
            pixels.saturating_mul(4)
        )));
    };
    let found = civiqr::decode(image, &civiqr::DecodeOptions::default())
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(found
        .iter()
        .map(|d| JsDecoded {
            text: d.text().map(str::to_string),
            bytes: d.bytes().to_vec(),
            symbology: "qr".to_string(),
            version: d.version().number(),
            ec: d.ec_level().to_string(),
            mask: d.mask().number(),
            eci: d.eci(),
            corners: d.corners().iter().flat_map(|p| [p.x, p.y]).collect(),
            mirrored: d.mirrored(),
            inverted: d.inverted(),
        })
        .collect())
}
