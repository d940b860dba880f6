//! Image files (PNG, JPEG, WebP, GIF, BMP, TIFF) decoded through the `image`
//! crate, with the file size and the pixel count checked before any pixel is
//! decompressed (a tiny PNG may claim 60000 x 60000 pixels).

use std::io::Cursor;
use std::path::Path;

use super::{decode, DecodeOptions, ImageRef};
use crate::decode::Decoded;
use crate::error::DecodeError;

/// Largest image file read by default: 64 MiB (see
/// [`DecodeOptions::max_file_bytes`]).
pub const DEFAULT_MAX_FILE_BYTES: u64 = super::DEFAULT_FILE_BYTES;

/// Reads an image file and decodes the symbols in it.
pub fn decode_file(
    path: impl AsRef<Path>,
    options: &DecodeOptions,
) -> Result<Vec<Decoded>, DecodeError> {
    let bytes = read_image_file(path.as_ref(), options)?;
    decode_image_bytes(&bytes, options)
}

/// An image file's bytes, its size checked against the limit first.
pub(crate) fn read_image_file(
    path: &Path,
    options: &DecodeOptions,
) -> Result<Vec<u8>, DecodeError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| DecodeError::ImageFile(format!("{}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(DecodeError::ImageFile(format!(
            "{}: is a directory",
            path.display()
        )));
    }
    if meta.len() > options.get_max_file_bytes() {
        return Err(DecodeError::FileTooLarge {
            len: meta.len(),
            max: options.get_max_file_bytes(),
        });
    }
    std::fs::read(path).map_err(|e| DecodeError::ImageFile(format!("{}: {e}", path.display())))
}

/// Decodes the symbols in an encoded image file held in memory.
pub fn decode_image_bytes(
    bytes: &[u8],
    options: &DecodeOptions,
) -> Result<Vec<Decoded>, DecodeError> {
    let pixels = image_pixels(bytes, options)?;
    decode(pixels.image(), options)
}

/// Decoded pixels of an image file: RGBA when it has transparency (which
/// counts as white), else grey.
pub(crate) struct Pixels {
    data: Vec<u8>,
    width: usize,
    height: usize,
    rgba: bool,
}

impl Pixels {
    pub(crate) fn image(&self) -> ImageRef<'_> {
        if self.rgba {
            ImageRef::rgba(&self.data, self.width, self.height)
        } else {
            ImageRef::luma(&self.data, self.width, self.height)
        }
    }
}

/// Decodes an image file held in memory into pixels, with the byte and
/// pixel limits checked before any pixel is decompressed.
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
    if reader.format().is_none() {
        return Err(DecodeError::ImageFile(
            "not a recognised image format".into(),
        ));
    }
    // Read the header first: the claimed size is checked before decoding.
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| DecodeError::ImageFile(e.to_string()))?;
    let (w, h) = (w as usize, h as usize);
    if w as u64 * h as u64 > options.get_max_pixels() {
        return Err(DecodeError::ImageTooLarge {
            width: w,
            height: h,
            max_pixels: options.get_max_pixels(),
        });
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::ImageFile(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(options.get_max_pixels().saturating_mul(8).max(1 << 20));
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| DecodeError::ImageFile(e.to_string()))?;
    let (width, height) = (img.width() as usize, img.height() as usize);
    let rgba = img.color().has_alpha();
    let data = if rgba {
        img.into_rgba8().into_raw()
    } else {
        img.into_luma8().into_raw()
    };
    Ok(Pixels {
        data,
        width,
        height,
        rgba,
    })
}
