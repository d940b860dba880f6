//! PDF output through `pdf-writer`: one page the size of the symbol, the dark
//! modules as a single filled path of rectangles.

use crate::code::QrCode;
use crate::error::RenderError;

use super::RenderOptions;

/// Renders `code` as a one-page PDF (version 1.7) whose page is exactly the
/// image, quiet zone included.
///
/// The page is [`size_mm`](RenderOptions::size_mm) wide if set, otherwise
/// [`scale`](RenderOptions::scale) / [`dpi`](RenderOptions::dpi) inches per
/// module (8/300 in, about 0.68 mm, by default), which is the print size of
/// the PNG made with the same options. Inside, a transform maps one unit to
/// one module, so every rectangle is written with small integers.
///
/// The dark modules are one path of rectangles (row runs merged with equal
/// runs below them) filled once: viewers draw no hairline seams between
/// adjacent modules, as they can between separately filled squares. The
/// light colour is a page-sized rectangle underneath, left out when
/// transparent. Opaque greys use `DeviceGray`, so black prints with black
/// ink only; other colours use `DeviceRGB`, translucent ones an `ExtGState`
/// alpha. The content stream is not compressed (this keeps the crate free
/// of a deflate dependency for PDF); a version-40 symbol takes about 100 KB.
///
/// # Errors
///
/// - [`RenderError::InvalidOption`] for out-of-range options, or a page
///   outside the PDF limits of 3 to 14,400 points (1.06 to 5,080 mm);
/// - [`RenderError::FeatureDisabled`] when built without the `pdf` feature.
#[cfg(feature = "pdf")]
pub fn pdf(code: &QrCode, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    imp::pdf(code, options)
}

/// Renders `code` as a one-page PDF (this build has no `pdf` feature).
///
/// # Errors
///
/// Always [`RenderError::FeatureDisabled`]`("pdf")`.
#[cfg(not(feature = "pdf"))]
pub fn pdf(code: &QrCode, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let _ = (code, options);
    Err(RenderError::FeatureDisabled("pdf"))
}

#[cfg(feature = "pdf")]
mod imp {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};

    use crate::code::QrCode;
    use crate::error::RenderError;
    use crate::render::{rects, Color, RenderOptions};

    const CATALOG: Ref = Ref::new(1);
    const PAGES: Ref = Ref::new(2);
    const PAGE: Ref = Ref::new(3);
    const CONTENT: Ref = Ref::new(4);
    const INFO: Ref = Ref::new(5);
    const ALPHA_DARK: Ref = Ref::new(6);
    const ALPHA_LIGHT: Ref = Ref::new(7);

    /// Graphics-state names for the two alphas, in the page resources.
    const GS_DARK: Name = Name(b"Gd");
    const GS_LIGHT: Name = Name(b"Gl");

    pub(super) fn pdf(code: &QrCode, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
        let m = options.check(code)?;
        let (w_pt, h_pt) = options.page_pt(&m)?;
        let (dark, light) = (options.get_dark(), options.get_light());
        let draw_light = !light.is_transparent();
        let light_alpha = draw_light && !light.is_opaque();
        let dark_alpha = !dark.is_opaque();

        let mut content = Content::new();
        if draw_light {
            if light_alpha {
                content.set_parameters(GS_LIGHT);
            }
            fill_color(&mut content, light);
            content.rect(0.0, 0.0, w_pt as f32, h_pt as f32);
            content.fill_nonzero();
        }
        let dark_rects = rects(code);
        if !dark_rects.is_empty() {
            if dark_alpha {
                content.set_parameters(GS_DARK);
            }
            fill_color(&mut content, dark);
            // One unit per module, y downwards from the top-left corner of
            // the symbol (inside the quiet zone), so rectangles are integers.
            let module = (w_pt / m.width as f64) as f32;
            let q = m.quiet as f32;
            content.transform([
                module,
                0.0,
                0.0,
                -module,
                q * module,
                h_pt as f32 - q * module,
            ]);
            for r in dark_rects {
                content.rect(r.x as f32, r.y as f32, r.w as f32, r.h as f32);
            }
            content.fill_nonzero();
        }
        let content = content.finish();

        let mut pdf = Pdf::new();
        pdf.catalog(CATALOG).pages(PAGES);
        pdf.pages(PAGES).kids([PAGE]).count(1);
        let mut page = pdf.page(PAGE);
        page.parent(PAGES)
            .media_box(Rect::new(0.0, 0.0, w_pt as f32, h_pt as f32))
            .contents(CONTENT);
        {
            let mut resources = page.resources();
            if dark_alpha || light_alpha {
                let mut states = resources.ext_g_states();
                if dark_alpha {
                    states.pair(GS_DARK, ALPHA_DARK);
                }
                if light_alpha {
                    states.pair(GS_LIGHT, ALPHA_LIGHT);
                }
                states.finish();
            }
            resources.finish();
        }
        page.finish();
        pdf.stream(CONTENT, &content);
        if dark_alpha {
            pdf.ext_graphics(ALPHA_DARK)
                .non_stroking_alpha(f32::from(dark.a) / 255.0);
        }
        if light_alpha {
            pdf.ext_graphics(ALPHA_LIGHT)
                .non_stroking_alpha(f32::from(light.a) / 255.0);
        }
        let mut info = pdf.document_info(INFO);
        info.producer(TextStr(concat!("civiqr ", env!("CARGO_PKG_VERSION"))));
        info.pair(Name(b"Title"), TextStr("QR Code"));
        info.finish();
        Ok(pdf.finish())
    }

    /// Sets the fill colour: `DeviceGray` for greys (pure black then prints
    /// with black ink only), `DeviceRGB` otherwise. Alpha is handled apart.
    fn fill_color(content: &mut Content, c: Color) {
        let f = |v: u8| f32::from(v) / 255.0;
        if c.is_grey() {
            content.set_fill_gray(f(c.r));
        } else {
            content.set_fill_rgb(f(c.r), f(c.g), f(c.b));
        }
    }
}

#[cfg(test)]
#[cfg(feature = "pdf")]
mod tests {
    use super::*;
    use crate::render::Color;
    use crate::{encode_text, EncodeOptions, Version};

    fn text_of(pdf: &[u8]) -> String {
        String::from_utf8_lossy(pdf).into_owned()
    }

    #[test]
    fn is_a_pdf_with_one_page_of_the_right_size() {
        let code = encode_text("pdf", &EncodeOptions::default()).unwrap();
        assert_eq!(code.width(), 21);
        let bytes = pdf(&code, &RenderOptions::default()).unwrap();
        assert!(bytes.starts_with(b"%PDF-1."));
        assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
        let t = text_of(&bytes);
        // 29 modules x 8 px at 300 dpi = 55.68 pt.
        assert!(t.contains("/MediaBox [0 0 55.68 55.68]"), "{t}");
        assert!(t.contains("/Count 1"));
        assert!(t.contains("0 g\n"), "black as DeviceGray");
        assert!(t.contains("1 g\n"), "white background");
        // One fill for the background and one for all the dark modules.
        assert_eq!(t.matches("\nf\n").count(), 2, "{t}");
    }

    #[test]
    fn size_colours_and_alpha() {
        let code = QrCode::from_fn(Version::MIN, |x, y| (x + y) % 2 == 0);
        let o = RenderOptions::default()
            .size_mm(Some(25.4))
            .dark(Color::rgba(255, 0, 0, 128))
            .light(Color::TRANSPARENT);
        let t = text_of(&pdf(&code, &o).unwrap());
        assert!(t.contains("/MediaBox [0 0 72 72]"), "{t}");
        assert!(t.contains("1 0 0 rg"));
        assert!(t.contains("/Gd gs"));
        assert!(t.contains("/ca 0.5019"));
        assert!(!t.contains("1 g"), "no background");
    }

    #[test]
    fn page_limits_are_checked() {
        let code = QrCode::from_fn(Version::MAX, |_, _| true);
        let big = RenderOptions::default().size_mm(Some(6000.0));
        assert!(matches!(
            pdf(&code, &big),
            Err(RenderError::InvalidOption {
                option: "size_mm",
                ..
            })
        ));
        let big = RenderOptions::default().scale(100_000).dpi(1);
        assert!(matches!(
            pdf(&code, &big),
            Err(RenderError::InvalidOption {
                option: "scale",
                ..
            })
        ));
        let small = RenderOptions::default().size_mm(Some(0.5));
        assert!(matches!(
            pdf(&code, &small),
            Err(RenderError::InvalidOption {
                option: "size_mm",
                ..
            })
        ));
    }
}
