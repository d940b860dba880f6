//! Encoding: QR Code, Micro QR and rMQR symbols, and messages split over
//! several QR Codes with structured append, with the options Python's
//! `civiqr.encode` takes (in camelCase) plus the SVG's colours.

use civiqr::render::{svg, Color, RenderOptions};
use civiqr::{
    encode_bytes, encode_bytes_split, encode_text, encode_text_split, EcLevel, EncodeError,
    EncodeOptions, Mask, QrCode, Split, SymbolVersion, Symbology, Version,
};
use wasm_bindgen::prelude::*;

use crate::js_error;

/// Encoder and SVG options. Every field has the default of the Rust API.
#[wasm_bindgen(js_name = EncodeConfig, getter_with_clone)]
pub struct JsEncodeConfig {
    /// Error-correction level `"L"`, `"M"`, `"Q"` or `"H"`. Default `"M"`.
    pub ec: String,
    /// `"qr"`, `"micro"` or `"rmqr"`, parsed by core as in the CLI and Python. Default `"qr"`.
    pub symbol: String,
    /// Exactly this version (`"7"`, `"M2"`, `"R11x77"`), or empty for the
    /// smallest that fits. Default empty.
    pub version: String,
    /// QR Code: smallest version allowed, 1..=40. Default 1.
    #[wasm_bindgen(js_name = minVersion)]
    pub min_version: u8,
    /// QR Code: largest version allowed, 1..=40. Default 40.
    #[wasm_bindgen(js_name = maxVersion)]
    pub max_version: u8,
    /// Mask 0..=7 (0..=3 for Micro QR), or -1 for the automatic choice. Default -1.
    pub mask: i32,
    /// Raise the EC level while the version stays the same. Default false.
    #[wasm_bindgen(js_name = boostEc)]
    pub boost_ec: bool,
    /// Write ECI 26 (UTF-8) before non-ASCII text. Default false.
    #[wasm_bindgen(js_name = eciUtf8)]
    pub eci_utf8: bool,
    /// Allow Kanji mode for JIS X 0208 characters. Default true.
    pub kanji: bool,
    /// rMQR: tallest symbol allowed, in modules. Default none.
    #[wasm_bindgen(js_name = maxHeight)]
    pub max_height: Option<u32>,
    /// rMQR: widest symbol allowed, in modules. Default none.
    #[wasm_bindgen(js_name = maxWidth)]
    pub max_width: Option<u32>,
    /// Quiet zone of the SVG, in modules. Default: 4 for QR Code, 2 for Micro QR and rMQR.
    #[wasm_bindgen(js_name = quietZone)]
    pub quiet_zone: Option<u32>,
    /// Dark colour of the SVG (`#rgb`, `#rrggbb`, `#rrggbbaa` or a name). Default `"black"`.
    pub dark: String,
    /// Light colour of the SVG (as `dark`; `"transparent"` allowed). Default `"white"`.
    pub light: String,
    /// Draw colour pairs a camera cannot read. Default false.
    #[wasm_bindgen(js_name = allowLowContrast)]
    pub allow_low_contrast: bool,
}

#[wasm_bindgen(js_class = EncodeConfig)]
impl JsEncodeConfig {
    /// The defaults.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> JsEncodeConfig {
        JsEncodeConfig {
            ec: "M".to_string(),
            symbol: "qr".to_string(),
            version: String::new(),
            min_version: 1,
            max_version: 40,
            mask: -1,
            boost_ec: false,
            eci_utf8: false,
            kanji: true,
            max_height: None,
            max_width: None,
            quiet_zone: None,
            dark: "black".to_string(),
            light: "white".to_string(),
            allow_low_contrast: false,
        }
    }
}

impl JsEncodeConfig {
    fn encode_options(&self) -> Result<EncodeOptions, JsError> {
        let ec: EcLevel = self.ec.parse().map_err(js_error)?;
        let symbology: Symbology = self
            .symbol
            .parse()
            .map_err(|e| JsError::new(&format!("symbol: {e}")))?;
        let mask = match self.mask {
            -1 => None,
            m => Some(
                u8::try_from(m)
                    .map_err(|_| JsError::new(&format!("mask {m} is not -1 (automatic) or 0-7")))
                    .and_then(|m| Mask::new(m).map_err(js_error))?,
            ),
        };
        let options = EncodeOptions::default()
            .ec_level(ec)
            .symbology(symbology)
            .min_version(Version::new(self.min_version).map_err(js_error)?)
            .max_version(Version::new(self.max_version).map_err(js_error)?)
            .mask(mask)
            .boost_ec(self.boost_ec)
            .eci_utf8(self.eci_utf8)
            .kanji(self.kanji)
            .max_height(self.max_height)
            .max_width(self.max_width);
        if self.version.is_empty() {
            return Ok(options);
        }
        let version: SymbolVersion = self
            .version
            .parse()
            .map_err(|e| JsError::new(&format!("version: {e}")))?;
        Ok(match (symbology, version) {
            (Symbology::Qr, SymbolVersion::Qr(v)) => options.version(v),
            (Symbology::MicroQr, SymbolVersion::Micro(v)) => options.micro_version(v),
            (Symbology::Rmqr, SymbolVersion::Rmqr(v)) => options.rmqr_version(v),
            (s, v) => {
                return Err(JsError::new(&format!(
                    "version {v} is not a {} version (set symbol to choose the symbology)",
                    s.name()
                )))
            }
        })
    }

    fn render_options(&self) -> Result<RenderOptions, JsError> {
        let mut options = RenderOptions::default()
            .dark(Color::parse(&self.dark).map_err(js_error)?)
            .light(Color::parse(&self.light).map_err(js_error)?)
            .allow_low_contrast(self.allow_low_contrast);
        if let Some(q) = self.quiet_zone {
            options = options.quiet_zone(q);
        }
        Ok(options)
    }
}

/// An encoded symbol: the SVG picture, the modules and the parameters the
/// encoder chose.
#[wasm_bindgen(js_name = QrCode, getter_with_clone)]
pub struct JsQrCode {
    /// The symbol as a standalone SVG document.
    #[wasm_bindgen(readonly)]
    pub svg: String,
    /// Width in modules, without the quiet zone (the side of square symbols).
    #[wasm_bindgen(readonly)]
    pub size: u32,
    /// Width in modules, without the quiet zone.
    #[wasm_bindgen(readonly)]
    pub width: u32,
    /// Height in modules (7 to 17 for rMQR, `size` otherwise).
    #[wasm_bindgen(readonly)]
    pub height: u32,
    /// `"qr"`, `"micro"` or `"rmqr"`.
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
    /// Mask pattern number, 0..=7 (0 for rMQR, which has one mask).
    #[wasm_bindgen(readonly)]
    pub mask: u8,
    /// `width * height` bytes, row by row from the top left: 1 dark, 0 light.
    #[wasm_bindgen(readonly)]
    pub modules: Vec<u8>,
    /// Structured append `[index, count, parity]`, empty when absent.
    #[wasm_bindgen(readonly, js_name = structuredAppend)]
    pub structured_append: Vec<u8>,
}

fn to_js_code(code: &QrCode, config: &JsEncodeConfig) -> Result<JsQrCode, JsError> {
    let (width, height) = (code.width(), code.height());
    let mut modules = Vec::with_capacity(width * height);
    for y in 0..height {
        modules.extend((0..width).map(|x| u8::from(code.get(x, y))));
    }
    // 177 modules is the largest side, so the conversions cannot fail.
    let width = u32::try_from(width).unwrap_or(u32::MAX);
    Ok(JsQrCode {
        svg: svg(code, &config.render_options()?).map_err(js_error)?,
        size: width,
        width,
        height: u32::try_from(height).unwrap_or(u32::MAX),
        symbology: code.symbology().id().to_string(),
        version: code.symbol_version().number(),
        version_name: code.symbol_version().to_string(),
        ec: code.ec_level().to_string(),
        mask: code.mask().number(),
        modules,
        structured_append: code
            .structured_append()
            .map(|s| vec![s.index, s.count, s.parity])
            .unwrap_or_default(),
    })
}

/// Encodes `text` into the smallest symbol the configuration allows, with
/// the data split into modes optimally (Kanji included).
///
/// Throws an `Error` with civiqr's message when the text does not fit or an
/// option is invalid.
#[wasm_bindgen(js_name = encodeText)]
pub fn encode_text_js(text: &str, config: &JsEncodeConfig) -> Result<JsQrCode, JsError> {
    let code = encode_text(text, &config.encode_options()?).map_err(js_error)?;
    to_js_code(&code, config)
}

/// Encodes `data` byte for byte (byte mode, or numeric/alphanumeric runs
/// where they are shorter).
#[wasm_bindgen(js_name = encodeBytes)]
pub fn encode_bytes_js(data: &[u8], config: &JsEncodeConfig) -> Result<JsQrCode, JsError> {
    let code = encode_bytes(data, &config.encode_options()?).map_err(js_error)?;
    to_js_code(&code, config)
}

/// `parts` 0 is [`Split::AUTO`], 1 to 16 exactly that many symbols.
fn split(parts: u8) -> Result<Split, JsError> {
    match parts {
        0 => Ok(Split::AUTO),
        n => Split::parts(n).map_err(js_error),
    }
}

/// The parts as JS records; `"auto"` running out of parts names the limit
/// that stopped it, 16 symbols (ISO/IEC 18004 clause 8), and the ways out.
fn to_js_codes(
    codes: Result<Vec<QrCode>, EncodeError>,
    parts: u8,
    config: &JsEncodeConfig,
) -> Result<Vec<JsQrCode>, JsError> {
    match codes {
        Ok(codes) => codes.iter().map(|c| to_js_code(c, config)).collect(),
        Err(e @ EncodeError::DataTooLong { .. }) if parts == 0 => Err(JsError::new(&format!(
            "parts \"auto\": the data does not fit 16 symbols, the most structured append \
             allows (each of 16 parts: {e}): raise maxVersion or lower ec"
        ))),
        Err(e) => Err(js_error(e)),
    }
}

/// Writes `text` over QR Codes with structured append: `parts` 0 for as
/// few as the largest allowed version needs (one symbol without a header
/// when it fits), 1 to 16 for exactly that many.
#[wasm_bindgen(js_name = encodeTextSplit)]
pub fn encode_text_split_js(
    text: &str,
    parts: u8,
    config: &JsEncodeConfig,
) -> Result<Vec<JsQrCode>, JsError> {
    let codes = encode_text_split(text, split(parts)?, &config.encode_options()?);
    to_js_codes(codes, parts, config)
}

/// [`encode_text_split_js`] for bytes, kept exactly.
#[wasm_bindgen(js_name = encodeBytesSplit)]
pub fn encode_bytes_split_js(
    data: &[u8],
    parts: u8,
    config: &JsEncodeConfig,
) -> Result<Vec<JsQrCode>, JsError> {
    let codes = encode_bytes_split(data, split(parts)?, &config.encode_options()?);
    to_js_codes(codes, parts, config)
}

/// Encodes `text` at EC level M with every other option at its default
/// (kept from the first version of this binding).
#[wasm_bindgen]
pub fn encode(text: &str) -> Result<JsQrCode, JsError> {
    encode_text_js(text, &JsEncodeConfig::new())
}
