//! PNG files decoded by the `png` crate straight to 8-bit grey, row by row:
//! a 16-bit or RGBA PNG never exists in memory at its full depth, so a
//! 64-megapixel file costs its grey image (64 MB) and a few rows, and
//! ancillary chunks (ICC profiles, text) are skipped unread.

use std::io::Cursor;
use std::sync::Arc;

use png::{BitDepth, ColorType, Transformations};

use super::file::check_dimensions;
use super::image::{luma, over_white, Gray};
use super::DecodeOptions;
use crate::error::DecodeError;

/// Decodes a PNG file to grey within `budget` bytes (decoder buffers and the
/// grey image together). Transparent pixels count as white, as in
/// [`ImageRef::rgba`](super::ImageRef::rgba).
pub(super) fn png_to_grey(
    bytes: &[u8],
    options: &DecodeOptions,
    budget: u64,
) -> Result<Gray, DecodeError> {
    let limit = usize::try_from(budget).unwrap_or(usize::MAX);
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: limit });
    // Palette, low bit depths and tRNS expand to 8-bit samples; 16-bit
    // samples keep their high byte.
    decoder.set_transformations(Transformations::normalize_to_color8());
    // An ICC profile or a text chunk can inflate to hundreds of megabytes
    // and says nothing a reader of symbols needs.
    decoder.set_ignore_iccp_chunk(true);
    decoder.set_ignore_text_chunk(true);
    let mut reader = decoder.read_info().map_err(png_error)?;
    let (w, h, pixels) = check_dimensions(reader.info().width, reader.info().height, options)?;
    let (color, depth) = reader.output_color_type();
    if depth != BitDepth::Eight {
        return Err(DecodeError::ImageFile(format!(
            "PNG samples of {depth:?} bits after expansion"
        )));
    }
    let channels = color.samples();
    let interlaced = reader.info().interlaced;
    // An interlaced image's rows arrive in seven passes, so it is expanded
    // whole (8-bit, at most 4 bytes a pixel) before conversion.
    let frame = if interlaced {
        pixels * channels as u64
    } else {
        0
    };
    let needed = pixels + frame;
    if needed > budget {
        return Err(DecodeError::MemoryLimit {
            needed,
            max: budget,
        });
    }
    let mut grey = allocate(w * h, needed, budget)?;
    if interlaced {
        let mut buf = allocate(frame as usize, needed, budget)?;
        buf.resize(frame as usize, 0);
        reader.next_frame(&mut buf).map_err(png_error)?;
        for row in buf.chunks_exact(w * channels) {
            grey_row(row, color, &mut grey);
        }
    } else {
        while let Some(row) = reader.next_row().map_err(png_error)? {
            grey_row(row.data(), color, &mut grey);
        }
    }
    if grey.len() != w * h {
        return Err(DecodeError::ImageFile(format!(
            "PNG ends after {} of {h} rows",
            grey.len() / w
        )));
    }
    Ok(Gray {
        width: w,
        height: h,
        data: Arc::new(grey),
    })
}

/// An empty vector able to hold `n` bytes, or the memory error (never an
/// abort when the system refuses the memory).
fn allocate(n: usize, needed: u64, budget: u64) -> Result<Vec<u8>, DecodeError> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| DecodeError::MemoryLimit {
            needed,
            max: budget,
        })?;
    Ok(v)
}

/// Appends one row of 8-bit samples as grey: BT.709 weights for RGB (as the
/// `image` crate converts RGB files), alpha over white as the reader treats
/// RGBA.
fn grey_row(row: &[u8], color: ColorType, out: &mut Vec<u8>) {
    match color {
        ColorType::Grayscale | ColorType::Indexed => out.extend_from_slice(row),
        ColorType::GrayscaleAlpha => {
            out.extend(row.chunks_exact(2).map(|p| over_white(p[0], p[1])))
        }
        ColorType::Rgb => out.extend(row.chunks_exact(3).map(|p| luma709(p[0], p[1], p[2]))),
        ColorType::Rgba => out.extend(
            row.chunks_exact(4)
                .map(|p| over_white(luma(p[0], p[1], p[2]), p[3])),
        ),
    }
}

/// ITU-R BT.709 luma with the `image` crate's integer weights, so that RGB
/// PNGs read as they did when `image` decoded them.
fn luma709(r: u8, g: u8, b: u8) -> u8 {
    ((2126 * u32::from(r) + 7152 * u32::from(g) + 722 * u32::from(b)) / 10000) as u8
}

fn png_error(e: png::DecodingError) -> DecodeError {
    DecodeError::ImageFile(format!("PNG: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, color: ColorType, depth: BitDepth, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(color);
        enc.set_depth(depth);
        let mut writer = enc.write_header().expect("header");
        writer.write_image_data(data).expect("data");
        writer.finish().expect("finish");
        out
    }

    fn grey_of(bytes: &[u8]) -> Vec<u8> {
        let g = png_to_grey(bytes, &DecodeOptions::default(), 1 << 30).expect("decodes");
        g.data.to_vec()
    }

    #[test]
    fn every_colour_type_and_depth_becomes_the_same_grey() {
        // Black, white, and a transparent pixel (white), in each layout.
        let want = vec![0, 255, 255];
        let g8 = png(3, 1, ColorType::Grayscale, BitDepth::Eight, &[0, 255, 255]);
        assert_eq!(grey_of(&g8), want);
        let g16 = png(
            3,
            1,
            ColorType::Grayscale,
            BitDepth::Sixteen,
            &[0, 0, 255, 255, 255, 255],
        );
        assert_eq!(grey_of(&g16), want);
        let ga = png(
            3,
            1,
            ColorType::GrayscaleAlpha,
            BitDepth::Eight,
            &[0, 255, 255, 255, 0, 0],
        );
        assert_eq!(grey_of(&ga), want);
        let opaque_black = [0, 0, 0, 0, 0, 0, 255, 255];
        let rgba16: Vec<u8> = [opaque_black, [255; 8], [0; 8]].concat();
        let rgba16 = png(3, 1, ColorType::Rgba, BitDepth::Sixteen, &rgba16);
        assert_eq!(grey_of(&rgba16), want);
        let rgb = png(
            3,
            1,
            ColorType::Rgb,
            BitDepth::Eight,
            &[0, 0, 0, 255, 255, 255, 255, 0, 0],
        );
        assert_eq!(grey_of(&rgb), vec![0, 255, 54]);
    }

    #[test]
    fn an_icc_profile_larger_than_the_budget_is_skipped_unread() {
        // 8 MiB of profile in 8 KB of zlib, against a 1 MiB budget.
        let mut chunk = b"profile\0\0".to_vec();
        chunk.extend(miniz_oxide::deflate::compress_to_vec_zlib(
            &vec![0; 8 << 20],
            9,
        ));
        let mut bytes = Vec::new();
        let mut enc = png::Encoder::new(&mut bytes, 2, 1);
        enc.set_color(ColorType::Grayscale);
        let mut writer = enc.write_header().expect("header");
        writer.write_chunk(png::chunk::iCCP, &chunk).expect("iCCP");
        writer.write_image_data(&[0, 255]).expect("data");
        writer.finish().expect("finish");
        let grey = png_to_grey(&bytes, &DecodeOptions::default(), 1 << 20).expect("decodes");
        assert_eq!(*grey.data, vec![0, 255]);
    }

    #[test]
    fn the_budget_is_checked_before_the_grey_image_is_made() {
        let big = png(
            100,
            100,
            ColorType::Rgba,
            BitDepth::Sixteen,
            &vec![0; 100 * 100 * 8],
        );
        let e = png_to_grey(&big, &DecodeOptions::default(), 5_000)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            e,
            DecodeError::MemoryLimit {
                needed: 10_000,
                max: 5_000
            }
        );
        assert!(png_to_grey(&big, &DecodeOptions::default(), 200_000).is_ok());
    }
}
