//! EPS output: hand-written Encapsulated PostScript (DSC 3.0, EPSF 3.0,
//! PostScript level 1) with the dark modules as one filled path.

use crate::code::QrCode;
use crate::error::RenderError;

use super::{fmt_decimal, invalid, push_uint, rects, Color, RenderOptions};

/// Renders `code` as an EPS file whose bounding box is exactly the image,
/// quiet zone included.
///
/// The size follows the PDF rules ([`pdf`](super::pdf)): `size_mm` wide, or
/// `scale / dpi` inches per module. `%%BoundingBox` is the integer box
/// enclosing the image (its top and right edges rounded up, as DSC requires)
/// and `%%HiResBoundingBox` the exact one. The dark modules are rectangles
/// (row runs merged with equal runs below) added to one path and filled once,
/// in a coordinate system of one unit per module. Only level 1 operators are
/// used, and the file's definitions live in their own dictionary inside
/// `save`/`restore`, so it can be embedded anywhere; it ends with `showpage`
/// (importing programs disable it) so that it also prints on its own.
///
/// # Errors
///
/// - [`RenderError::InvalidOption`] for out-of-range options or page sizes
///   (as for PDF), and for a translucent colour: PostScript has no
///   transparency, so the dark colour must be opaque and the light one
///   opaque or fully transparent (then no background is painted).
pub fn eps(code: &QrCode, options: &RenderOptions) -> Result<String, RenderError> {
    let m = options.check(code)?;
    let (w_pt, h_pt) = options.page_pt(&m)?;
    let (dark, light) = (options.get_dark(), options.get_light());
    if !dark.is_opaque() {
        return Err(invalid(
            "dark",
            "EPS has no transparency: the dark colour must be opaque".into(),
        ));
    }
    if !light.is_opaque() && !light.is_transparent() {
        return Err(invalid(
            "light",
            "EPS has no transparency: the light colour must be opaque or fully transparent".into(),
        ));
    }
    let (w, h) = (fmt_decimal(w_pt, 3), fmt_decimal(h_pt, 3));
    let mut head = String::new();
    head.push_str("%!PS-Adobe-3.0 EPSF-3.0\n");
    head.push_str(&format!(
        "%%Creator: civiqr {}\n",
        env!("CARGO_PKG_VERSION")
    ));
    head.push_str("%%Title: QR Code\n");
    head.push_str(&format!(
        "%%BoundingBox: 0 0 {} {}\n",
        w_pt.ceil(),
        h_pt.ceil()
    ));
    head.push_str(&format!("%%HiResBoundingBox: 0 0 {w} {h}\n"));
    head.push_str("%%LanguageLevel: 1\n%%EndComments\n");
    head.push_str("save\n4 dict begin\n");
    // R: x y w h -> a closed rectangle added to the current path.
    head.push_str("/R { 4 2 roll moveto 1 index 0 rlineto 0 exch rlineto neg 0 rlineto closepath } bind def\n");
    if !light.is_transparent() {
        head.push_str(&set_color(light));
        head.push_str(&format!("newpath 0 0 {w} {h} R fill\n"));
    }
    // One unit per module, y downwards from the symbol's top-left module.
    let module = fmt_decimal(w_pt / m.width as f64, 6);
    let q = m.quiet;
    head.push_str(&format!(
        "0 {h} translate {module} -{module} scale {q} {q} translate\n"
    ));
    head.push_str(&set_color(dark));
    head.push_str("newpath\n");

    let dark_rects = rects(code);
    const TAIL: &str = "fill\nend\nrestore\nshowpage\n%%EOF\n";
    let mut body = Vec::with_capacity(head.len() + dark_rects.len() * 14 + TAIL.len());
    body.extend_from_slice(head.as_bytes());
    for r in dark_rects {
        for (i, n) in [r.x, r.y, r.w, r.h].into_iter().enumerate() {
            if i > 0 {
                body.push(b' ');
            }
            push_uint(&mut body, n);
        }
        body.extend_from_slice(b" R\n");
    }
    body.extend_from_slice(TAIL.as_bytes());
    // Only ASCII was written; recover rather than panic all the same.
    Ok(String::from_utf8(body)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// `g setgray` for greys, `r g b setrgbcolor` otherwise.
fn set_color(c: Color) -> String {
    let f = |v: u8| fmt_decimal(f64::from(v) / 255.0, 4);
    if c.is_grey() {
        format!("{} setgray\n", f(c.r))
    } else {
        format!("{} {} {} setrgbcolor\n", f(c.r), f(c.g), f(c.b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{encode_text, EncodeOptions, Version};

    #[test]
    fn header_and_bounding_box() {
        let code = encode_text("eps", &EncodeOptions::default()).unwrap();
        assert_eq!(code.width(), 21);
        let e = eps(&code, &RenderOptions::default()).unwrap();
        assert!(e.starts_with("%!PS-Adobe-3.0 EPSF-3.0\n"));
        // 29 modules x 8 px at 300 dpi = 55.68 pt, rounded up for the integer box.
        assert!(e.contains("\n%%BoundingBox: 0 0 56 56\n"), "{e}");
        assert!(e.contains("\n%%HiResBoundingBox: 0 0 55.68 55.68\n"));
        assert!(e.ends_with("showpage\n%%EOF\n"));
        assert!(e.contains("1 setgray\nnewpath 0 0 55.68 55.68 R fill\n"));
        assert!(e.contains("\n0 setgray\nnewpath\n"));
        assert_eq!(e.matches("fill").count(), 2);
        assert!(e.lines().all(|l| l.len() < 255), "DSC line length");
    }

    #[test]
    fn rectangles_cover_the_dark_modules() {
        let code = encode_text("rectangles", &EncodeOptions::default()).unwrap();
        let e = eps(
            &code,
            &RenderOptions::default()
                .size_mm(Some(20.0))
                .light(Color::TRANSPARENT),
        )
        .unwrap();
        assert!(!e.contains("setgray\nnewpath 0 0"), "no background");
        let w = code.width();
        let mut grid = vec![0u8; w * code.height()];
        for line in e.lines().filter(|l| l.ends_with(" R")) {
            let n: Vec<usize> = line
                .split(' ')
                .take(4)
                .map(|v| v.parse().unwrap())
                .collect();
            for y in n[1]..n[1] + n[3] {
                for x in n[0]..n[0] + n[2] {
                    grid[y * w + x] += 1;
                }
            }
        }
        for y in 0..code.height() {
            for x in 0..w {
                assert_eq!(grid[y * w + x], u8::from(code.get(x, y)));
            }
        }
    }

    #[test]
    fn transparency_is_refused() {
        let code = QrCode::from_fn(Version::MIN, |_, _| true);
        let o = RenderOptions::default().dark(Color::rgba(0, 0, 0, 100));
        assert!(matches!(
            eps(&code, &o),
            Err(RenderError::InvalidOption { option: "dark", .. })
        ));
        let o = RenderOptions::default().light(Color::rgba(255, 255, 255, 100));
        assert!(matches!(
            eps(&code, &o),
            Err(RenderError::InvalidOption {
                option: "light",
                ..
            })
        ));
        let o = RenderOptions::default()
            .dark(Color::rgb(255, 0, 0))
            .light(Color::rgb(0, 0, 128))
            .allow_low_contrast(true);
        let e = eps(&code, &o).unwrap();
        assert!(e.contains("1 0 0 setrgbcolor") && e.contains("0 0 0.502 setrgbcolor"));
    }
}
