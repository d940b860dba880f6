//! PNG output through the `png` crate: 1-bit or 8-bit greyscale when the
//! colours allow it, RGBA otherwise, with the print resolution in `pHYs`.

use crate::code::QrCode;
use crate::error::RenderError;

use super::RenderOptions;

/// Renders `code` as a PNG image.
///
/// Without [`size_mm`](RenderOptions::size_mm) each module is
/// [`scale`](RenderOptions::scale) pixels square. With it, the image is
/// `size_mm / 25.4 * dpi` pixels wide (rounded) and module edges are rounded
/// to whole pixels, so modules may differ by one pixel in size but the
/// physical size is exact.
///
/// The pixel format is the smallest that holds the colours exactly: 1-bit
/// greyscale when both colours are opaque pure black or white (a version-40
/// symbol at scale 8 is then a few kilobytes), 8-bit greyscale when both are
/// opaque greys, 8-bit RGBA otherwise (any transparency included). The `pHYs`
/// chunk records [`dpi`](RenderOptions::dpi), so print and layout programs
/// place the image at its intended size.
///
/// # Errors
///
/// - [`RenderError::InvalidOption`] for out-of-range options, or a `size_mm`
///   that leaves less than one pixel per module;
/// - [`RenderError::TooLarge`] above [`MAX_PIXELS`](super::MAX_PIXELS);
/// - [`RenderError::FeatureDisabled`] when built without the `png` feature;
/// - [`RenderError::Backend`] if the encoder fails (not expected when writing
///   to memory).
#[cfg(feature = "png")]
pub fn png(code: &QrCode, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    imp::png(code, options)
}

/// Renders `code` as a PNG image (this build has no `png` feature).
///
/// # Errors
///
/// Always [`RenderError::FeatureDisabled`]`("png")`.
#[cfg(not(feature = "png"))]
pub fn png(code: &QrCode, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let _ = (code, options);
    Err(RenderError::FeatureDisabled("png"))
}

/// Pixel geometry: where each module edge falls, in pixels.
#[cfg(feature = "png")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Grid {
    /// Modules across (quiet zone included).
    modules_w: usize,
    /// Module rows (quiet zone included).
    modules_h: usize,
    /// Image width in pixels: edge `k` is at `k * px_w / modules_w`, rounded.
    px_w: u64,
}

#[cfg(feature = "png")]
impl Grid {
    /// Pixel position of module edge `k` (`0..=modules`), on either axis:
    /// modules are square, so both axes use the width's ratio.
    fn edge(&self, k: usize) -> usize {
        let m = self.modules_w as u64;
        // Rounded rather than floored so that the error is at most half a
        // pixel on either side of every module.
        ((k as u64 * self.px_w + m / 2) / m) as usize
    }

    fn width(&self) -> usize {
        self.edge(self.modules_w)
    }

    fn height(&self) -> usize {
        self.edge(self.modules_h)
    }
}

/// The image size for `options`, after the options and pixel checks.
#[cfg(feature = "png")]
fn grid(code: &QrCode, options: &RenderOptions) -> Result<Grid, RenderError> {
    let m = options.check(code)?;
    let (mw, mh) = (m.width as u64, m.height as u64);
    let px_w = match options.get_size_mm() {
        None => mw * u64::from(options.get_scale()),
        Some(mm) => {
            // check() bounded mm and dpi, so this is below 4e11: exact in f64.
            let px = (mm / 25.4 * f64::from(options.get_dpi())).round() as u64;
            if px < mw {
                return Err(super::invalid(
                    "size_mm",
                    format!(
                        "{mm} mm at {} dpi is {px} pixels for {mw} modules: each module needs at least one pixel",
                        options.get_dpi()
                    ),
                ));
            }
            px
        }
    };
    // Both are bounded (scale is a u32, px_w by the checks above), so the
    // products fit in u64 with room to spare; saturate anyway.
    let px_h = (mh * px_w + mw / 2) / mw;
    let pixels = px_w.saturating_mul(px_h);
    if pixels > super::MAX_PIXELS {
        return Err(RenderError::TooLarge {
            pixels,
            limit: super::MAX_PIXELS,
        });
    }
    Ok(Grid {
        modules_w: m.width,
        modules_h: m.height,
        px_w,
    })
}

#[cfg(feature = "png")]
mod imp {
    use std::cell::RefCell;

    use miniz_oxide::deflate::core::{
        compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush,
        TDEFLStatus,
    };
    use png::chunk::IDAT;
    use png::{BitDepth, ColorType, Encoder, PixelDimensions, Unit};

    use super::{grid, Grid};
    use crate::code::QrCode;
    use crate::error::RenderError;
    use crate::render::{Color, RenderOptions};

    /// How pixels are stored, chosen from the two colours.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Pixels {
        /// 1 bit per pixel, 1 = white; `dark_white` when the dark colour is the white one.
        Bit { dark_white: bool },
        /// 8-bit grey levels.
        Grey { dark: u8, light: u8 },
        /// 8-bit RGBA.
        Rgba { dark: Color, light: Color },
    }

    impl Pixels {
        fn choose(dark: Color, light: Color) -> Pixels {
            let bw = |c: Color| c == Color::BLACK || c == Color::WHITE;
            // One bit tells the two colours apart only when they differ.
            if bw(dark) && bw(light) && dark != light {
                Pixels::Bit {
                    dark_white: dark == Color::WHITE,
                }
            } else if dark.is_opaque() && light.is_opaque() && dark.is_grey() && light.is_grey() {
                Pixels::Grey {
                    dark: dark.r,
                    light: light.r,
                }
            } else {
                Pixels::Rgba { dark, light }
            }
        }

        fn header(self) -> (ColorType, BitDepth) {
            match self {
                Pixels::Bit { .. } => (ColorType::Grayscale, BitDepth::One),
                Pixels::Grey { .. } => (ColorType::Grayscale, BitDepth::Eight),
                Pixels::Rgba { .. } => (ColorType::Rgba, BitDepth::Eight),
            }
        }

        /// Bytes of one image row.
        fn row_bytes(self, width: usize) -> usize {
            match self {
                Pixels::Bit { .. } => width.div_ceil(8),
                Pixels::Grey { .. } => width,
                Pixels::Rgba { .. } => 4 * width,
            }
        }

        /// Fills pixels `from..to` of `row` with the dark or light colour.
        fn fill(self, row: &mut [u8], from: usize, to: usize, dark: bool) {
            match self {
                Pixels::Bit { dark_white } => {
                    // The row starts all zero (black); set the white pixels,
                    // most significant bit first as PNG packs them.
                    if dark == dark_white {
                        for p in from..to {
                            row[p / 8] |= 0x80 >> (p % 8);
                        }
                    }
                }
                Pixels::Grey { dark: d, light: l } => {
                    row[from..to].fill(if dark { d } else { l });
                }
                Pixels::Rgba { dark: d, light: l } => {
                    let c = if dark { d } else { l };
                    for px in row[4 * from..4 * to].chunks_exact_mut(4) {
                        px.copy_from_slice(&[c.r, c.g, c.b, c.a]);
                    }
                }
            }
        }
    }

    /// Compressed image data is written out as an IDAT chunk whenever this
    /// much has gathered, so memory stays bounded however large the image.
    const IDAT_CHUNK: usize = 1 << 18;

    thread_local! {
        /// One deflate compressor per thread, reset for each image. Setting
        /// one up zeroes and faults in about 300 KB, which cost more than
        /// compressing a typical symbol: a version-6 symbol at scale 8 took
        /// about 490 us with a fresh compressor per image, 140 us reusing one.
        static DEFLATE: RefCell<Option<Box<CompressorOxide>>> = const { RefCell::new(None) };
    }

    /// zlib stream (which PNG's IDAT holds), deflate level 6: flat colour
    /// with rows repeated `scale` times is what deflate's back-references do
    /// best on, unfiltered; for a version-40 symbol at scale 8 this gives
    /// 5.8 KB where fast compression with the Sub filter gives 30 KB.
    fn zlib_flags() -> u32 {
        create_comp_flags_from_zip_params(6, 15, 0)
    }

    pub(super) fn png(code: &QrCode, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
        DEFLATE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut slot) => {
                let d = slot.get_or_insert_with(|| Box::new(CompressorOxide::new(zlib_flags())));
                d.reset();
                encode(code, options, d)
            }
            // Only if a caller re-entered from inside an encode; never in practice.
            Err(_) => encode(
                code,
                options,
                &mut Box::new(CompressorOxide::new(zlib_flags())),
            ),
        })
    }

    fn encode(
        code: &QrCode,
        options: &RenderOptions,
        deflate: &mut CompressorOxide,
    ) -> Result<Vec<u8>, RenderError> {
        let g: Grid = grid(code, options)?;
        let pixels = Pixels::choose(options.get_dark(), options.get_light());
        let (w, h) = (g.width(), g.height());
        let backend = |e: png::EncodingError| RenderError::Backend(e.to_string());

        let mut out = Vec::new();
        let mut enc = Encoder::new(&mut out, w as u32, h as u32);
        let (color, depth) = pixels.header();
        enc.set_color(color);
        enc.set_depth(depth);
        // Pixels per metre, rounded: 300 dpi is 11811.
        let ppm = (u64::from(options.get_dpi()) * 10_000 + 127) / 254;
        enc.set_pixel_dims(Some(PixelDimensions {
            xppu: ppm as u32,
            yppu: ppm as u32,
            unit: Unit::Meter,
        }));
        let mut writer = enc.write_header().map_err(backend)?;

        // Each scanline is its filter type (0, none) and the row's bytes.
        let q = (g.modules_w - code.width()) / 2;
        let mut line = vec![0u8; 1 + pixels.row_bytes(w)];
        let mut idat = Vec::new();
        for my in 0..g.modules_h {
            let row = &mut line[1..];
            row.fill(0);
            let y = my.wrapping_sub(q);
            for mx in 0..g.modules_w {
                let dark = code.get(mx.wrapping_sub(q), y);
                pixels.fill(row, g.edge(mx), g.edge(mx + 1), dark);
            }
            for _ in g.edge(my)..g.edge(my + 1) {
                compress(deflate, &line, TDEFLFlush::None, &mut idat)?;
                if idat.len() >= IDAT_CHUNK {
                    writer.write_chunk(IDAT, &idat).map_err(backend)?;
                    idat.clear();
                }
            }
        }
        compress(deflate, &[], TDEFLFlush::Finish, &mut idat)?;
        writer.write_chunk(IDAT, &idat).map_err(backend)?;
        writer.finish().map_err(backend)?;
        Ok(out)
    }

    /// Feeds `input` to the compressor, appending what it emits to `out`.
    fn compress(
        d: &mut CompressorOxide,
        mut input: &[u8],
        flush: TDEFLFlush,
        out: &mut Vec<u8>,
    ) -> Result<(), RenderError> {
        // With output going to a callback the compressor takes all the input
        // (and finishes) in one call; loop anyway, but not without progress.
        let mut stalls = 0;
        loop {
            let (status, used) = compress_to_output(d, input, flush, |bytes| {
                out.extend_from_slice(bytes);
                true
            });
            input = input.get(used..).unwrap_or_default();
            stalls = if used == 0 { stalls + 1 } else { 0 };
            match status {
                TDEFLStatus::Done => return Ok(()),
                TDEFLStatus::Okay if input.is_empty() && !matches!(flush, TDEFLFlush::Finish) => {
                    return Ok(())
                }
                TDEFLStatus::Okay if stalls < 3 => {}
                other => {
                    return Err(RenderError::Backend(format!(
                        "deflate stopped ({other:?}) with {} bytes left",
                        input.len()
                    )))
                }
            }
        }
    }
}

#[cfg(test)]
#[cfg(feature = "png")]
mod tests {
    use super::*;
    use crate::render::{Color, MAX_PIXELS};
    use crate::{encode_text, EncodeOptions, Version};

    struct Decoded {
        width: usize,
        height: usize,
        color: png::ColorType,
        depth: png::BitDepth,
        /// RGBA, one entry per pixel.
        rgba: Vec<[u8; 4]>,
        ppm: Option<u32>,
    }

    fn decode(bytes: &[u8]) -> Decoded {
        let mut dec = png::Decoder::new(bytes);
        dec.set_transformations(png::Transformations::EXPAND);
        let mut reader = dec.read_info().unwrap();
        let info = reader.info();
        let (color, depth) = (info.color_type, info.bit_depth);
        let ppm = info.pixel_dims.map(|d| {
            assert_eq!(d.unit, png::Unit::Meter);
            assert_eq!(d.xppu, d.yppu);
            d.xppu
        });
        let mut buf = vec![0u8; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut buf).unwrap();
        let (width, height) = (frame.width as usize, frame.height as usize);
        let buf = &buf[..frame.buffer_size()];
        let rgba = match frame.color_type {
            png::ColorType::Grayscale => buf.iter().map(|&v| [v, v, v, 255]).collect(),
            png::ColorType::Rgba => buf
                .chunks_exact(4)
                .map(|p| [p[0], p[1], p[2], p[3]])
                .collect(),
            other => panic!("unexpected {other:?}"),
        };
        Decoded {
            width,
            height,
            color,
            depth,
            rgba,
            ppm,
        }
    }

    #[test]
    fn pixels_match_modules_at_scale_with_quiet_zone() {
        let code = encode_text("https://example.org/png", &EncodeOptions::default()).unwrap();
        for (scale, quiet) in [(1, 0), (3, 4), (8, 2)] {
            let o = RenderOptions::default().scale(scale).quiet_zone(quiet);
            let img = decode(&png(&code, &o).unwrap());
            let (s, q) = (scale as usize, quiet as usize);
            assert_eq!(img.width, (code.width() + 2 * q) * s);
            assert_eq!(img.height, (code.height() + 2 * q) * s);
            assert_eq!(
                (img.color, img.depth),
                (png::ColorType::Grayscale, png::BitDepth::One)
            );
            assert_eq!(img.ppm, Some(11811), "300 dpi");
            for y in 0..img.height {
                for x in 0..img.width {
                    let dark = code.get((x / s).wrapping_sub(q), (y / s).wrapping_sub(q));
                    let want = if dark { [0, 0, 0, 255] } else { [255; 4] };
                    assert_eq!(
                        img.rgba[y * img.width + x],
                        want,
                        "pixel ({x}, {y}) scale {s}"
                    );
                }
            }
        }
    }

    #[test]
    fn reused_compressor_gives_the_same_bytes() {
        // The per-thread compressor is reset between images: rendering A, a
        // large B (several IDAT chunks) and A again gives A's bytes twice.
        let a = encode_text("https://example.org/a", &EncodeOptions::default()).unwrap();
        let opts_b = EncodeOptions::default().version(Version::new(40).unwrap());
        let b = encode_text("b", &opts_b).unwrap();
        let o = RenderOptions::default();
        let first = png(&a, &o).unwrap();
        let big = RenderOptions::default()
            .scale(40)
            .light(Color::rgba(0, 0, 0, 0));
        let b_png = png(&b, &big).unwrap();
        assert_eq!(png(&a, &o).unwrap(), first);
        // From another thread, with its own compressor.
        let other = std::thread::spawn(move || png(&a, &RenderOptions::default()).unwrap());
        assert_eq!(other.join().unwrap(), first);
        let img = decode(&b_png);
        assert_eq!(img.width, (b.width() + 8) * 40);
        assert_eq!(img.rgba[0], [0, 0, 0, 0]);
        assert_eq!(img.rgba[4 * 40 * img.width + 4 * 40], [0, 0, 0, 255]);
    }

    #[test]
    fn colours_pick_the_pixel_format() {
        let code = encode_text("colours", &EncodeOptions::default()).unwrap();
        let cases = [
            (
                Color::WHITE,
                Color::BLACK,
                png::ColorType::Grayscale,
                png::BitDepth::One,
            ),
            (
                Color::rgb(40, 40, 40),
                Color::rgb(230, 230, 230),
                png::ColorType::Grayscale,
                png::BitDepth::Eight,
            ),
            (
                Color::rgb(0, 0, 128),
                Color::WHITE,
                png::ColorType::Rgba,
                png::BitDepth::Eight,
            ),
            (
                Color::BLACK,
                Color::TRANSPARENT,
                png::ColorType::Rgba,
                png::BitDepth::Eight,
            ),
        ];
        for (dark, light, color, depth) in cases {
            let o = RenderOptions::default()
                .dark(dark)
                .light(light)
                .scale(2)
                .quiet_zone(1)
                .allow_low_contrast(true);
            let img = decode(&png(&code, &o).unwrap());
            assert_eq!((img.color, img.depth), (color, depth), "{dark} on {light}");
            let px = |c: Color| [c.r, c.g, c.b, c.a];
            // (0, 0) is quiet zone; (2, 2) is the finder pattern's corner.
            assert_eq!(img.rgba[0], px(light));
            assert_eq!(img.rgba[2 * img.width + 2], px(dark));
        }
    }

    #[test]
    fn size_mm_sets_pixels_and_phys() {
        let code = QrCode::from_fn(Version::MIN, |x, y| (x ^ y) & 1 == 0);
        // 29 modules over 25.4 mm at 600 dpi: 600 pixels, 20.69 per module.
        let o = RenderOptions::default().size_mm(Some(25.4)).dpi(600);
        let img = decode(&png(&code, &o).unwrap());
        assert_eq!((img.width, img.height), (600, 600));
        assert_eq!(img.ppm, Some(23622));
        // Each pixel shows the module whose rounded edges contain it.
        for y in 0..600 {
            for x in 0..600 {
                let (mx, my) = ((x * 29 + 14) / 600, (y * 29 + 14) / 600);
                let near_edge =
                    |p: usize| (p * 29 + 14) % 600 < 29 || (p * 29 + 14) % 600 > 600 - 29;
                if near_edge(x) || near_edge(y) {
                    continue;
                }
                let dark = code.get(mx.wrapping_sub(4), my.wrapping_sub(4));
                assert_eq!(img.rgba[y * 600 + x][0] == 0, dark, "({x}, {y})");
            }
        }
        // Too small for one pixel per module.
        let tiny = RenderOptions::default().size_mm(Some(1.0)).dpi(300);
        assert!(matches!(
            png(&code, &tiny),
            Err(RenderError::InvalidOption {
                option: "size_mm",
                ..
            })
        ));
    }

    #[test]
    fn huge_images_are_refused() {
        let code = QrCode::from_fn(Version::MAX, |_, _| false);
        let err = png(&code, &RenderOptions::default().scale(u32::MAX)).unwrap_err();
        assert!(
            matches!(
                err,
                RenderError::TooLarge {
                    limit: MAX_PIXELS,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = png(
            &code,
            &RenderOptions::default()
                .size_mm(Some(100_000.0))
                .dpi(100_000),
        )
        .unwrap_err();
        assert!(matches!(err, RenderError::TooLarge { .. }), "{err:?}");
        assert!(err.to_string().starts_with("image too large"));
    }

    #[test]
    fn rqrr_reads_the_png_back() {
        let url = "https://civiqr.example/mobilier/banc-0042?ref=png";
        let code = encode_text(url, &EncodeOptions::default()).unwrap();
        for o in [
            RenderOptions::default().scale(4),
            RenderOptions::default().size_mm(Some(30.0)).dpi(200),
        ] {
            let img = decode(&png(&code, &o).unwrap());
            let mut prepared =
                rqrr::PreparedImage::prepare_from_greyscale(img.width, img.height, |x, y| {
                    img.rgba[y * img.width + x][0]
                });
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1);
            let (_, content) = grids[0].decode().unwrap();
            assert_eq!(content, url);
        }
    }

    #[test]
    fn version_40_is_small() {
        let code = encode_text(
            &"x".repeat(2900),
            &EncodeOptions::default().ec_level(crate::EcLevel::L),
        )
        .unwrap();
        let bytes = png(&code, &RenderOptions::default()).unwrap();
        assert!(bytes.len() < 8_000, "{} bytes", bytes.len());
    }
}
