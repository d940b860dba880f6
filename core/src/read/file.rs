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
    let path = path.as_ref();
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
    let bytes = crate::read_file_limited(path, max).map_err(|e| match e.kind() {
        io::ErrorKind::FileTooLarge => DecodeError::FileTooLarge {
            len: max.saturating_add(1),
            max,
        },
        _ => DecodeError::ImageFile(format!("{}: {e}", path.display())),
    })?;
    decode_image_bytes(&bytes, options)
}

/// Decodes the symbols in an encoded image file held in memory.
pub fn decode_image_bytes(
    bytes: &[u8],
    options: &DecodeOptions,
) -> Result<Vec<Decoded>, DecodeError> {
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
        Some(ImageFormat::Png) => {
            let grey = png_grey::png_to_grey(bytes, options, budget)?;
            Ok(decode_grey(&grey, options))
        }
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
) -> Result<Vec<Decoded>, DecodeError> {
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
    if color.has_alpha() {
        // Transparent pixels count as white (a dark code on a clear background).
        let rgba = img.into_rgba8();
        decode(ImageRef::rgba(rgba.as_raw(), w, h), options)
    } else {
        let grey = Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(img.into_luma8().into_raw()),
        };
        Ok(decode_grey(&grey, options))
    }
}
