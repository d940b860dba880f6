//! The reader's public face: [`DecodeOptions`], [`decode`] and, with the
//! `image` feature, [`decode_file`]. Its steps, each a module named after
//! it: [`image`] (pixels to grey) -> [`search`] (passes) -> [`binarize`] ->
//! [`find`] (finder patterns; [`centre`] measures small ones on the grey
//! levels) -> [`attempt`] (one triple's tries, the budget) -> [`locate`]
//! (triples, fourth corner, alignment patterns) ->
//! [`sample`] (module map and grid; [`piecewise`] for larger versions), with
//! [`pure`] as the fast path for computer-made images and [`micro_rmqr`] for
//! the single-finder symbologies. The sampled grid goes to the decoder,
//! [`mod@crate::decode`].

mod attempt;
mod binarize;
mod centre;
mod cylinder;
#[cfg(feature = "image")]
mod file;
mod find;
mod group;
mod image;
mod locate;
mod lost;
mod micro_rmqr;
mod pair;
mod piecewise;
#[cfg(feature = "image")]
mod png_grey;
mod pure;
mod sample;
mod scratch;
mod search;
mod version;

#[cfg(feature = "image")]
pub use file::{decode_file, decode_image_bytes, DEFAULT_MAX_FILE_BYTES};
#[cfg(feature = "image")]
pub(crate) use file::{image_pixels, read_image_file, Pixels};
pub(crate) use image::Gray;
pub use image::{ImageRef, PixelFormat};

use crate::decode::Decoded;
use crate::error::DecodeError;
use crate::symbol::Symbology;

/// How hard to look, and for what. Build with [`DecodeOptions::default`] and
/// chained setters.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeOptions {
    try_harder: bool,
    try_inverted: bool,
    quick: bool,
    pure: bool,
    max_symbols: usize,
    allow_mirrored: bool,
    max_pixels: u64,
    max_file_bytes: u64,
    /// Bit 0 QR Code, bit 1 Micro QR, bit 2 rMQR.
    symbologies: u8,
}

/// Symbols returned by default (see [`DecodeOptions::max_symbols`]).
const DEFAULT_MAX_SYMBOLS: usize = 1024;

/// Largest image file read by default: 64 MiB.
const DEFAULT_FILE_BYTES: u64 = 64 << 20;

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            try_harder: false,
            try_inverted: true,
            quick: false,
            pure: false,
            max_symbols: DEFAULT_MAX_SYMBOLS,
            allow_mirrored: true,
            max_pixels: 64_000_000,
            max_file_bytes: DEFAULT_FILE_BYTES,
            symbologies: 0b111,
        }
    }
}

impl DecodeOptions {
    /// Spend more time: a second binarizer (global Otsu), every finder triple,
    /// and rescaled copies of the image, each of them always (by default a
    /// symbol that was located and given every rescue skips the second
    /// binarizer, the enlarged copy of a small image gets the first
    /// binarizer and dark-on-light symbols only, and the light-on-dark scan
    /// tries its best 16 finder triples), and every refinement and nudge of
    /// every candidate map, even of grids whose format information matches
    /// no codeword. Default: `false`.
    pub fn try_harder(mut self, on: bool) -> Self {
        self.try_harder = on;
        self
    }

    /// Also look for light-on-dark (inverted) symbols. Default: `true`.
    ///
    /// The inverted image is searched when the normal one gave nothing (or
    /// always, with [`try_harder`](Self::try_harder)): one image with both
    /// kinds of symbol needs `try_harder` to return both.
    pub fn try_inverted(mut self, on: bool) -> Self {
        self.try_inverted = on;
        self
    }

    /// Only a first look, for camera streams: the local threshold's scans
    /// (dark-on-light, then light-on-dark as
    /// [`try_inverted`](Self::try_inverted) says) over every third row, each
    /// trying its best 10 finder triples; no global threshold, no
    /// wrapped-symbol pass, no enlarged, smoothed or sharpened look, and no
    /// Micro QR or rMQR unless they are all that is looked for; whatever
    /// [`try_harder`](Self::try_harder) says. Default: `false`.
    ///
    /// Most codes near the camera read in that look, and a frame without a
    /// code costs about a quarter of a full decode (half in WebAssembly).
    /// Codes far away, round a pole, engraved or blurred need the full
    /// decode, so a stream should still decode every few frames in full (the
    /// web Scanner's `fullDecodeEvery`, 4 by default).
    ///
    /// ```
    /// use civiqr::{decode, encode_text, DecodeOptions, EncodeOptions, ImageRef};
    /// let code = encode_text("https://ville.example/banc/12", &EncodeOptions::default())?;
    /// let (scale, quiet) = (5, 4);
    /// let side = (code.size() + 2 * quiet) * scale;
    /// let pixels: Vec<u8> = (0..side * side)
    ///     .map(|i| {
    ///         let (x, y) = ((i % side) / scale, (i / side) / scale);
    ///         let dark = x >= quiet && y >= quiet && code.get(x - quiet, y - quiet);
    ///         if dark { 30 } else { 220 }
    ///     })
    ///     .collect();
    /// let frame = ImageRef::luma(&pixels, side, side);
    /// let found = decode(frame, &DecodeOptions::default().quick(true))?;
    /// assert_eq!(found[0].text(), Some("https://ville.example/banc/12"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn quick(mut self, on: bool) -> Self {
        self.quick = on;
        self
    }

    /// The image is a clean, upright, computer-made symbol (a screenshot or a
    /// rendered file): try a fast direct sampling first. Default: `false`.
    pub fn pure(mut self, on: bool) -> Self {
        self.pure = on;
        self
    }

    /// Stop after this many symbols. Default: 1,024, more than a page of
    /// labels holds (a sheet of 500 codes of 9 mm fits an A4 page); the work
    /// per image is bounded by the search's own budgets, not by this.
    pub fn max_symbols(mut self, n: usize) -> Self {
        self.max_symbols = n.max(1);
        self
    }

    /// Read mirror-image symbols (printed on film, seen from behind). Default: `true`.
    pub fn allow_mirrored(mut self, on: bool) -> Self {
        self.allow_mirrored = on;
        self
    }

    /// Refuse images with more pixels than this. Default: 64,000,000.
    /// Image files are checked against it from their header, before any
    /// pixel is decompressed.
    pub fn max_pixels(mut self, n: u64) -> Self {
        self.max_pixels = n;
        self
    }

    /// The most symbols one call returns.
    pub fn get_max_symbols(&self) -> usize {
        self.max_symbols
    }

    /// The pixel limit.
    pub fn get_max_pixels(&self) -> u64 {
        self.max_pixels
    }

    /// Refuse image files larger than this many bytes (`decode_file`,
    /// `decode_image_bytes`). Default: 64 MiB.
    pub fn max_file_bytes(mut self, n: u64) -> Self {
        self.max_file_bytes = n;
        self
    }

    /// The file size limit.
    pub fn get_max_file_bytes(&self) -> u64 {
        self.max_file_bytes
    }

    /// Which symbologies to look for. Default: all three (QR Code, Micro
    /// QR, rMQR). Narrowing saves time: Micro QR and rMQR are looked for
    /// around finder patterns no QR Code used, so they cost little when a
    /// QR Code is there, but they are the only cost left on images without
    /// one. An empty list reads nothing.
    pub fn symbologies(mut self, list: &[Symbology]) -> Self {
        self.symbologies = list.iter().fold(0, |acc, s| acc | symbology_bit(*s));
        self
    }

    /// The symbologies looked for.
    pub fn get_symbologies(&self) -> Vec<Symbology> {
        [Symbology::Qr, Symbology::MicroQr, Symbology::Rmqr]
            .into_iter()
            .filter(|&s| self.reads(s))
            .collect()
    }

    /// Whether only a first look is taken (see [`quick`](Self::quick)).
    pub fn get_quick(&self) -> bool {
        self.quick
    }

    fn reads(&self, s: Symbology) -> bool {
        self.symbologies & symbology_bit(s) != 0
    }
}

fn symbology_bit(s: Symbology) -> u8 {
    match s {
        Symbology::Qr => 1,
        Symbology::MicroQr => 2,
        _ => 4,
    }
}

/// Finds and decodes the QR symbols in an image.
///
/// Returns every symbol whose Reed-Solomon check passed (a damaged symbol is
/// dropped, never guessed); an empty list means none was found. `Err` means
/// the input itself is unusable (empty, buffer too small, too large).
pub fn decode(image: ImageRef<'_>, options: &DecodeOptions) -> Result<Vec<Decoded>, DecodeError> {
    image.check(options.max_pixels)?;
    Ok(decode_grey(&image::Gray::from_image(&image), options))
}

/// [`decode`] on an image already converted to grey (image files).
fn decode_grey(gray: &image::Gray, options: &DecodeOptions) -> Vec<Decoded> {
    let mut found = search::search_image(gray, options);
    found.truncate(options.max_symbols);
    found
}
