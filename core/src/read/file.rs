//! Image files (PNG, JPEG, WebP, GIF, BMP, TIFF), with their limits checked
//! before the work they bound: the file size while reading (at most the
//! limit + 1 bytes are taken, whatever the file type), the pixel count and
//! the decoder's memory from the header, before any pixel is decompressed
//! (a tiny PNG may claim 60000 x 60000 pixels). PNG goes through `png`
//! straight to grey ([`super::png_grey`]), the others through `image`.

use std::io::{self, Cursor};
use std::path::Path;

use image::{ColorType, DynamicImage, ImageDecoder, ImageFormat};

use super::image::Gray;
use super::{decode, decode_grey, png_grey, DecodeOptions, ImageRef};
use crate::decode::Decoded;
use crate::error::DecodeError;

/// Largest image file read by default: 64 MiB (see
/// [`DecodeOptions::max_file_bytes`]).
pub const DEFAULT_MAX_FILE_BYTES: u64 = super::DEFAULT_FILE_BYTES;

/// Reads an image file and decodes the symbols in it. Devices, FIFOs and
/// `/dev/stdin` are read up to one byte past the file-size limit.
pub fn decode_file(
    path: impl AsRef<Path>,
    options: &DecodeOptions,
) -> Result<Vec<Decoded>, DecodeError> {
    let bytes = read_image_file(path.as_ref(), options)?;
    decode_image_bytes(&bytes, options)
}

/// An image file's bytes, read up to one byte past the file-size limit.
pub(crate) fn read_image_file(
    path: &Path,
    options: &DecodeOptions,
) -> Result<Vec<u8>, DecodeError> {
    let max = options.get_max_file_bytes();
    // A regular file too large by its own account is refused unread.
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() > max {
            return Err(DecodeError::FileTooLarge {
                len: meta.len(),
                max,
            });
        }
    }
    crate::read_file_limited(path, max).map_err(|e| match e.kind() {
        io::ErrorKind::FileTooLarge => DecodeError::FileTooLarge {
            len: max.saturating_add(1),
            max,
        },
        _ => DecodeError::ImageFile(format!("{}: {e}", path.display())),
    })
}

/// Decodes the symbols in an encoded image file held in memory.
pub fn decode_image_bytes(
    bytes: &[u8],
    options: &DecodeOptions,
) -> Result<Vec<Decoded>, DecodeError> {
    Ok(match image_pixels(bytes, options)? {
        Pixels::Grey(grey) => decode_grey(&grey, options),
        Pixels::Rgba(rgba) => decode(
            ImageRef::rgba(rgba.as_raw(), rgba.width() as usize, rgba.height() as usize),
            options,
        )?,
    })
}

/// Decoded pixels of an image file: RGBA when it has transparency (which
/// counts as white), else grey.
pub(crate) enum Pixels {
    Grey(Gray),
    Rgba(image::RgbaImage),
}

impl Pixels {
    pub(crate) fn image(&self) -> ImageRef<'_> {
        match self {
            Pixels::Grey(g) => ImageRef::luma(&g.data, g.width, g.height),
            Pixels::Rgba(r) => ImageRef::rgba(r.as_raw(), r.width() as usize, r.height() as usize),
        }
    }
}

/// Decodes an image file held in memory into pixels, with the byte, pixel
/// and memory limits checked before any pixel is decompressed.
pub(crate) fn image_pixels(bytes: &[u8], options: &DecodeOptions) -> Result<Pixels, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::ImageFile("empty file".into()));
    }
    if bytes.len() as u64 > options.get_max_file_bytes() {
        return Err(DecodeError::FileTooLarge {
            len: bytes.len() as u64,
            max: options.get_max_file_bytes(),
        });
    }
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::ImageFile(e.to_string()))?;
    let budget = memory_budget(options);
    match reader.format() {
        None => Err(DecodeError::ImageFile(
            "not a recognised image format".into(),
        )),
        Some(ImageFormat::Png) => Ok(Pixels::Grey(png_grey::png_to_grey(bytes, options, budget)?)),
        Some(_) => decode_with_image(reader, options, budget),
    }
}

/// The header's size as `(width, height, pixels)`, or the error for an
/// empty image or one over the pixel limit.
pub(super) fn check_dimensions(
    width: u32,
    height: u32,
    options: &DecodeOptions,
) -> Result<(usize, usize, u64), DecodeError> {
    let (w, h) = (width as usize, height as usize);
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 {
        return Err(DecodeError::EmptyImage {
            width: w,
            height: h,
        });
    }
    if pixels > options.get_max_pixels() {
        return Err(DecodeError::ImageTooLarge {
            width: w,
            height: h,
            max_pixels: options.get_max_pixels(),
        });
    }
    Ok((w, h, pixels))
}

/// What decoding one file may hold at once: 8 bytes per pixel of the pixel
/// limit (512 MB by default), at least 1 MiB.
fn memory_budget(options: &DecodeOptions) -> u64 {
    options.get_max_pixels().saturating_mul(8).max(1 << 20)
}

/// The formats other than PNG, through the `image` crate. The decoded
/// buffer (its size known from the header's colour type) and the
/// conversions after it must fit in `budget` together.
fn decode_with_image(
    mut reader: image::ImageReader<Cursor<&[u8]>>,
    options: &DecodeOptions,
    budget: u64,
) -> Result<Pixels, DecodeError> {
    let file_error = |e: image::ImageError| DecodeError::ImageFile(e.to_string());
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(budget);
    reader.limits(limits.clone());
    let mut decoder = reader.into_decoder().map_err(file_error)?;
    let (width, height) = decoder.dimensions();
    let (w, h, pixels) = check_dimensions(width, height, options)?;
    let color = decoder.color_type();
    // An 8-bit grey or RGBA buffer is used as it is; any other is converted
    // to one first. Images with alpha are then converted to grey.
    let converted = match color {
        ColorType::L8 | ColorType::Rgba8 => 0,
        c if c.has_alpha() => 4 * pixels,
        _ => pixels,
    };
    let grey = if color.has_alpha() { pixels } else { 0 };
    let needed = decoder
        .total_bytes()
        .saturating_add(converted)
        .saturating_add(grey);
    if needed > budget {
        return Err(DecodeError::MemoryLimit {
            needed,
            max: budget,
        });
    }
    // What is left is the decoder's own working memory.
    limits.reserve(needed).map_err(file_error)?;
    decoder.set_limits(limits).map_err(file_error)?;
    let img = DynamicImage::from_decoder(decoder).map_err(file_error)?;
    Ok(if color.has_alpha() {
        // Transparent pixels count as white (a dark code on a clear background).
        Pixels::Rgba(img.into_rgba8())
    } else {
        Pixels::Grey(Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(img.into_luma8().into_raw()),
        })
    })
}
