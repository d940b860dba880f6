//! WebAssembly bindings: converts JavaScript values in and civiqr results out;
//! all the work is done by the `civiqr` crate.
//!
//! This is the low-level layer under the npm package's `civiqr.js` (which
//! turns the records below into plain objects and adds the camera scanner).
//! Nothing here may panic on user input: every error from the encoder,
//! renderer or reader comes back to JavaScript as a thrown `Error` carrying
//! civiqr's message.

mod encode;
#[cfg(feature = "grade")]
mod grade;

use civiqr::sign::{Date, TrustList};
use wasm_bindgen::prelude::*;

pub use encode::{
    encode, encode_bytes_js, encode_bytes_split_js, encode_text_js, encode_text_split_js,
    JsEncodeConfig, JsQrCode,
};
#[cfg(feature = "grade")]
pub use grade::{grade_with, JsGraded};

pub(crate) fn js_error(e: impl core::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/// Reader options, as in civiqr's `DecodeOptions`.
#[wasm_bindgen(js_name = DecodeConfig, getter_with_clone)]
#[derive(Clone)]
pub struct JsDecodeConfig {
    /// Spend more time (second binarizer, every finder triple, rescaled
    /// copies). Default false.
    #[wasm_bindgen(js_name = tryHarder)]
    pub try_harder: bool,
    /// Also look for light-on-dark symbols. Default true.
    #[wasm_bindgen(js_name = tryInverted)]
    pub try_inverted: bool,
    /// Only the first look (the local threshold's scans): for camera
    /// frames, with a full decode every few frames. Default false.
    pub quick: bool,
    /// The image is a clean computer-made symbol: try direct sampling first.
    /// Default false.
    pub pure: bool,
    /// Stop after this many symbols. Default core's, 1,024 (a sheet of labels).
    #[wasm_bindgen(js_name = maxSymbols)]
    pub max_symbols: u32,
    /// Read mirror-image symbols. Default true.
    #[wasm_bindgen(js_name = allowMirrored)]
    pub allow_mirrored: bool,
    /// The symbologies to look for, by the names core parses (`"qr"`,
    /// `"micro"`, `"rmqr"`, any case). Default all three.
    pub symbologies: Vec<String>,
}

#[wasm_bindgen(js_class = DecodeConfig)]
impl JsDecodeConfig {
    /// The defaults.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> JsDecodeConfig {
        JsDecodeConfig {
            try_harder: false,
            try_inverted: true,
            quick: false,
            pure: false,
            max_symbols: u32::try_from(civiqr::DecodeOptions::default().get_max_symbols())
                .unwrap_or(u32::MAX),
            allow_mirrored: true,
            symbologies: civiqr::Symbology::ALL
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

impl JsDecodeConfig {
    /// The reader options; an unknown symbology name is an error with the
    /// same text as in the CLI and Python, since all three parse with core.
    pub(crate) fn options(&self) -> Result<civiqr::DecodeOptions, JsError> {
        let symbologies = self
            .symbologies
            .iter()
            .map(|name| name.parse::<civiqr::Symbology>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| JsError::new(&format!("symbologies: {e}")))?;
        Ok(civiqr::DecodeOptions::default()
            .try_harder(self.try_harder)
            .try_inverted(self.try_inverted)
            .quick(self.quick)
            .pure(self.pure)
            .max_symbols(usize::try_from(self.max_symbols).unwrap_or(usize::MAX))
            .allow_mirrored(self.allow_mirrored)
            .symbologies(&symbologies))
    }
}

/// A symbol read from an image.
#[wasm_bindgen(js_name = Decoded, getter_with_clone)]
#[derive(Clone)]
pub struct JsDecoded {
    /// The content as text, or `undefined` when it is not valid text.
    #[wasm_bindgen(readonly)]
    pub text: Option<String>,
    /// The exact payload bytes.
    #[wasm_bindgen(readonly)]
    pub bytes: Vec<u8>,
    /// `"qr"`, `"micro"` or `"rmqr"`, the names the `symbologies` option takes.
    #[wasm_bindgen(readonly)]
    pub symbology: String,
    /// Version number: QR Code 1-40, Micro QR 1-4, rMQR 1-32 (the order of ISO/IEC 23941's sizes); see `versionName`.
    #[wasm_bindgen(readonly)]
    pub version: u8,
    /// The version of any symbology: `"7"`, `"M3"`, `"R13x77"`.
    #[wasm_bindgen(readonly, js_name = versionName)]
    pub version_name: String,
    /// Error-correction level: `"L"`, `"M"`, `"Q"` or `"H"`.
    #[wasm_bindgen(readonly)]
    pub ec: String,
    /// Mask pattern number.
    #[wasm_bindgen(readonly)]
    pub mask: u8,
    /// The first ECI designator, if any.
    #[wasm_bindgen(readonly)]
    pub eci: Option<u32>,
    /// Corner coordinates in pixels, TL, TR, BR, BL: `[x0, y0, x1, y1, ...]`.
    #[wasm_bindgen(readonly)]
    pub corners: Vec<f32>,
    /// Read as a mirror image.
    #[wasm_bindgen(readonly)]
    pub mirrored: bool,
    /// Light on dark.
    #[wasm_bindgen(readonly)]
    pub inverted: bool,
    /// A QR Code Model 1 symbol (the original design, versions 1-14).
    #[wasm_bindgen(readonly)]
    pub model1: bool,
    /// Structured append `[index, count, parity]`, empty when absent.
    #[wasm_bindgen(readonly, js_name = structuredAppend)]
    pub structured_append: Vec<u8>,
}

pub(crate) fn to_js_decoded(d: &civiqr::Decoded) -> JsDecoded {
    JsDecoded {
        text: d.text().map(str::to_string),
        bytes: d.bytes().to_vec(),
        symbology: d.symbology().to_string(),
        version: d.symbol_version().number(),
        version_name: d.symbol_version().to_string(),
        ec: d.ec_level().to_string(),
        mask: d.mask().number(),
        eci: d.eci(),
        corners: d.corners().iter().flat_map(|p| [p.x, p.y]).collect(),
        mirrored: d.mirrored(),
        inverted: d.inverted(),
        model1: d.is_model1(),
        structured_append: d
            .structured_append()
            .map(|s| vec![s.index, s.count, s.parity])
            .unwrap_or_default(),
    }
}

/// The pixels `data` as an image: `width` x `height` pixels of 4 bytes
/// (RGBA) or 1 byte (grey); an error naming the sizes when they disagree.
pub(crate) fn image_ref(
    data: &[u8],
    width: u32,
    height: u32,
) -> Result<civiqr::ImageRef<'_>, JsError> {
    let (w, h) = (width as usize, height as usize);
    let pixels = w
        .checked_mul(h)
        .ok_or_else(|| JsError::new("image size overflows"))?;
    if pixels == 0 {
        return Err(JsError::new(&format!(
            "a {width} x {height} image has no pixels"
        )));
    }
    Ok(if pixels.checked_mul(4) == Some(data.len()) {
        civiqr::ImageRef::rgba(data, w, h)
    } else if pixels == data.len() {
        civiqr::ImageRef::luma(data, w, h)
    } else {
        return Err(JsError::new(&format!(
            "{} bytes do not make a {width} x {height} image (need {} for RGBA or {pixels} for grey)",
            data.len(),
            pixels.saturating_mul(4)
        )));
    })
}

/// Decodes the QR Codes in an image given as pixels: `data` holds `width` x
/// `height` pixels of 4 bytes (RGBA, as in `ImageData`) or of 1 byte (grey).
///
/// Throws an `Error` naming the problem when the sizes and the buffer do not
/// match; returns an empty array when no symbol is found.
#[wasm_bindgen(js_name = decodeWith)]
pub fn decode_with(
    data: &[u8],
    width: u32,
    height: u32,
    config: &JsDecodeConfig,
) -> Result<Vec<JsDecoded>, JsError> {
    let image = image_ref(data, width, height)?;
    let found = civiqr::decode(image, &config.options()?).map_err(js_error)?;
    Ok(found.iter().map(to_js_decoded).collect())
}

/// The npm package leaves the grader out (21 KB gzipped, over its size
/// budget); its `gradeWith` says which build has it.
#[cfg(not(feature = "grade"))]
#[wasm_bindgen(js_name = gradeWith)]
pub fn grade_with(
    _data: &[u8],
    _width: u32,
    _height: u32,
    _config: &JsDecodeConfig,
    _aperture_px: Option<f64>,
    _aperture_modules: Option<f64>,
    _calibration: Option<Vec<f64>>,
) -> Result<Vec<JsValue>, JsError> {
    Err(JsError::new(
        "this build has no grader: it is built by scripts/build-wasm.sh --grade (wasm/pkg-grade)",
    ))
}

/// [`decode_with`] with the default options (kept from the first version of
/// this binding).
#[wasm_bindgen(js_name = decodePixels)]
pub fn decode_pixels(data: &[u8], width: u32, height: u32) -> Result<Vec<JsDecoded>, JsError> {
    decode_with(data, width, height, &JsDecodeConfig::new())
}

// ---------------------------------------------------------------------------
// Signed codes (verification only: the browser never holds a signing key)
// ---------------------------------------------------------------------------

/// The verdict on one payload (see docs/SIGNING.md).
#[wasm_bindgen(js_name = Verification, getter_with_clone)]
pub struct JsVerification {
    /// `"valid"`, `"invalid"`, `"unknown_key"`, `"expired"` or `"unsigned"`.
    #[wasm_bindgen(readonly)]
    pub status: String,
    /// The issuer, for `"valid"` and `"expired"` only.
    #[wasm_bindgen(readonly)]
    pub issuer: Option<String>,
    /// The key id the signature names, when it is well formed.
    #[wasm_bindgen(readonly, js_name = keyId)]
    pub key_id: Option<String>,
    /// A one-line verdict: `verified: <issuer>`, `unsigned`, `signature invalid: do not trust`...
    #[wasm_bindgen(readonly)]
    pub summary: String,
}

/// Reads and merges trust files (JSON texts); the error names the file by
/// its position (1-based), then the line or the key id and field.
fn trust_list(files: &[String]) -> Result<TrustList, JsError> {
    let mut list = TrustList::new();
    for (i, text) in files.iter().enumerate() {
        TrustList::from_json(text)
            .and_then(|one| list.merge(&one))
            .map_err(|e| JsError::new(&format!("trust file {}: {e}", i + 1)))?;
    }
    Ok(list)
}

/// The key ids of the merged trust files; throws when one is malformed.
#[wasm_bindgen(js_name = trustKeyIds)]
pub fn trust_key_ids(files: Vec<String>) -> Result<Vec<String>, JsError> {
    Ok(trust_list(&files)?
        .entries()
        .iter()
        .map(|e| e.key_id().to_string())
        .collect())
}

/// Verifies `payload` (a decoded symbol's bytes) against the merged trust
/// files on the UTC day of `unix_seconds`.
#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(
    files: Vec<String>,
    payload: &[u8],
    unix_seconds: f64,
) -> Result<JsVerification, JsError> {
    let list = trust_list(&files)?;
    if !unix_seconds.is_finite() {
        return Err(JsError::new("today is not a valid date"));
    }
    // `as` saturates: far-off dates clamp to years 1-9999.
    let v = list.verify(payload, Date::from_unix_seconds(unix_seconds as i64));
    Ok(JsVerification {
        status: v.status().name().to_string(),
        issuer: v.issuer().map(str::to_string),
        key_id: v.key_id().map(str::to_string),
        summary: v.summary(),
    })
}
