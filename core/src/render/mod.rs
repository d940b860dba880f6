//! Renderers: SVG, PNG, PDF, EPS, plain text and terminal output, sharing one
//! options struct and one set of geometry checks.
//!
//! Every renderer draws the symbol plus a quiet zone (4 modules by default,
//! the minimum ISO/IEC 18004 sets for QR Code). Vector formats draw all dark
//! modules as one path (merged rectangles, or stroked walks in SVG), never a
//! shape per module, so files stay small and viewers show no hairline seams
//! between modules.
//!
//! ```
//! use civiqr::render::{self, Color, Format, RenderOptions};
//! let code = civiqr::encode_text("https://example.org", &Default::default())?;
//! let opts = RenderOptions::default().dark(Color::parse("navy")?).quiet_zone(2);
//! let svg = render::svg(&code, &opts)?;
//! assert!(svg.starts_with("<svg"));
//! let bytes = render::render(&code, Format::from_extension("txt").unwrap(), &opts)?;
//! assert_eq!(bytes.len(), (code.height() + 4) * (code.width() + 5));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Physical size
//!
//! Without [`RenderOptions::size_mm`], a module is [`RenderOptions::scale`]
//! pixels; in SVG those are CSS pixels (1/96 in), in PNG image pixels (whose
//! print size is set by [`RenderOptions::dpi`]), and PDF/EPS use the PNG's
//! print size, `scale / dpi` inches per module (8/300 in, about 0.68 mm, by
//! default), so a PNG and a PDF made with the same options print alike. With
//! `size_mm`, the whole image including the quiet zone is that wide in every
//! format.

mod color;
mod eps;
mod pdf;
mod png;
mod svg;
mod text;

use core::fmt;
use core::str::FromStr;

pub use color::{Color, MIN_SYMBOL_CONTRAST};
pub use eps::eps;
pub use pdf::pdf;
pub use png::png;
pub use svg::svg;
pub use text::{text, unicode};

use crate::code::QrCode;
use crate::error::RenderError;

/// The largest image, in pixels, that [`png`] makes: 100 megapixels, a
/// 10,000 x 10,000 image, far beyond any print need. (Rows are streamed to
/// the encoder, so memory is one row plus the compressed output.)
pub const MAX_PIXELS: u64 = 100_000_000;

/// The widest quiet zone accepted, in modules. The fallible renderers reject
/// wider ones; [`text`] and [`unicode`], which cannot fail, clamp to it.
pub const MAX_QUIET_ZONE: u32 = 1000;

/// The largest [`RenderOptions::size_mm`] accepted (100 m).
pub const MAX_SIZE_MM: f64 = 100_000.0;

/// The largest [`RenderOptions::dpi`] accepted.
pub const MAX_DPI: u32 = 100_000;

/// How to draw a symbol: quiet zone, module size, colours.
///
/// Build with [`RenderOptions::default`] and chain setters. Values are checked
/// when rendering, so a setter never fails.
///
/// ```
/// use civiqr::render::{Color, RenderOptions};
/// let opts = RenderOptions::default()
///     .quiet_zone(2)
///     .light(Color::TRANSPARENT)
///     .size_mm(Some(25.0))
///     .dpi(600);
/// assert_eq!(opts.get_size_mm(), Some(25.0));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RenderOptions {
    quiet_zone: Option<u32>,
    scale: u32,
    dark: Color,
    light: Color,
    size_mm: Option<f64>,
    dpi: u32,
    ansi: bool,
    allow_low_contrast: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            quiet_zone: None,
            scale: 8,
            dark: Color::BLACK,
            light: Color::WHITE,
            size_mm: None,
            dpi: 300,
            ansi: true,
            allow_low_contrast: false,
        }
    }
}

impl RenderOptions {
    /// Light margin around the symbol, in modules; 0 is allowed (for symbols
    /// placed on a light background that provides it), at most
    /// [`MAX_QUIET_ZONE`]. Default: the minimum the symbology asks for
    /// ([`QrCode::default_quiet_zone`]): 4 for QR Code (ISO/IEC 18004), 2
    /// for Micro QR and rMQR (ISO/IEC 23941).
    pub fn quiet_zone(mut self, modules: u32) -> Self {
        self.quiet_zone = Some(modules);
        self
    }

    /// Pixels per module: the PNG's module size, the SVG's `width`/`height`
    /// in CSS pixels, and (divided by [`dpi`](Self::dpi)) the PDF/EPS module
    /// size in inches. Ignored when [`size_mm`](Self::size_mm) is set. Must be
    /// at least 1. Default: 8.
    pub fn scale(mut self, pixels: u32) -> Self {
        self.scale = pixels;
        self
    }

    /// Colour of the dark modules. Default: [`Color::BLACK`].
    pub fn dark(mut self, color: Color) -> Self {
        self.dark = color;
        self
    }

    /// Colour of the light modules and the quiet zone. [`Color::TRANSPARENT`]
    /// leaves them undrawn (SVG, PDF, EPS) or transparent (PNG alpha).
    /// Default: [`Color::WHITE`].
    pub fn light(mut self, color: Color) -> Self {
        self.light = color;
        self
    }

    /// Physical width of the whole image including the quiet zone, in
    /// millimetres: the SVG's `width`/`height` in mm, the PDF/EPS page size,
    /// and with [`dpi`](Self::dpi) the PNG's pixel size. Modules stay square,
    /// so a rectangular symbol's height follows from its width. Must be
    /// finite, positive and at most [`MAX_SIZE_MM`]. Takes `Some(mm)`,
    /// `None` or a plain `f64`. Default: `None` (size from
    /// [`scale`](Self::scale)).
    pub fn size_mm(mut self, mm: impl Into<Option<f64>>) -> Self {
        self.size_mm = mm.into();
        self
    }

    /// Print resolution in dots per inch: turns [`size_mm`](Self::size_mm)
    /// into PNG pixels, is written to the PNG's `pHYs` chunk, and sets the
    /// PDF/EPS module size to `scale / dpi` inches when `size_mm` is unset.
    /// 1 to [`MAX_DPI`]. Default: 300.
    pub fn dpi(mut self, dpi: u32) -> Self {
        self.dpi = dpi;
        self
    }

    /// For [`unicode`]: wrap each line in ANSI escape codes that set the
    /// foreground to the dark colour and the background to the light one, so
    /// the symbol scans on dark and light terminal themes alike. Turn off for
    /// files or terminals without colour; the blocks are then drawn in the
    /// terminal's own foreground colour, which gives an inverted symbol on
    /// dark themes. Default: `true`.
    pub fn ansi(mut self, on: bool) -> Self {
        self.ansi = on;
        self
    }

    /// Render colour pairs a camera cannot read: a symbol contrast below
    /// [`MIN_SYMBOL_CONTRAST`] or a "dark" colour lighter than the light
    /// one. Without it such pairs are refused with
    /// [`RenderError::LowContrast`]. Default: `false`.
    pub fn allow_low_contrast(mut self, allow: bool) -> Self {
        self.allow_low_contrast = allow;
        self
    }

    /// The quiet zone in modules, as set (4, the QR Code default, if unset).
    pub fn get_quiet_zone(&self) -> u32 {
        self.quiet_zone.unwrap_or(4)
    }

    /// The quiet zone used for `code`: as set, else the symbology's default.
    pub(crate) fn quiet_for(&self, code: &QrCode) -> u32 {
        self.quiet_zone.unwrap_or(code.default_quiet_zone())
    }

    /// Pixels per module.
    pub fn get_scale(&self) -> u32 {
        self.scale
    }

    /// The dark colour.
    pub fn get_dark(&self) -> Color {
        self.dark
    }

    /// The light colour.
    pub fn get_light(&self) -> Color {
        self.light
    }

    /// The physical width in millimetres, if set.
    pub fn get_size_mm(&self) -> Option<f64> {
        self.size_mm
    }

    /// The print resolution in dots per inch.
    pub fn get_dpi(&self) -> u32 {
        self.dpi
    }

    /// Whether [`unicode`] emits ANSI colours.
    pub fn get_ansi(&self) -> bool {
        self.ansi
    }

    /// Whether low-contrast colour pairs are rendered.
    pub fn get_allow_low_contrast(&self) -> bool {
        self.allow_low_contrast
    }

    /// [`RenderError::LowContrast`] when the colours are a pair a camera
    /// cannot read and [`allow_low_contrast`](Self::allow_low_contrast) is
    /// off; every renderer checks this, and a front end can check it before
    /// any work.
    pub fn check_contrast(&self) -> Result<(), RenderError> {
        if self.allow_low_contrast
            || Color::symbol_contrast(self.dark, self.light) >= MIN_SYMBOL_CONTRAST
        {
            return Ok(());
        }
        Err(RenderError::LowContrast {
            dark: self.dark,
            light: self.light,
        })
    }

    /// Checks every option against its range and returns the image size in
    /// modules, quiet zone included.
    pub(crate) fn check(&self, code: &QrCode) -> Result<Modules, RenderError> {
        let quiet = self.quiet_for(code);
        if quiet > MAX_QUIET_ZONE {
            return Err(invalid(
                "quiet_zone",
                format!("{quiet} modules is more than the limit of {MAX_QUIET_ZONE}"),
            ));
        }
        if self.scale == 0 {
            return Err(invalid(
                "scale",
                "must be at least 1 pixel per module".into(),
            ));
        }
        if self.dpi == 0 || self.dpi > MAX_DPI {
            return Err(invalid(
                "dpi",
                format!("{} is not in 1..={MAX_DPI}", self.dpi),
            ));
        }
        self.check_contrast()?;
        if let Some(mm) = self.size_mm {
            // `!(mm > 0.0)` rather than `mm <= 0.0` so that NaN is caught too.
            if !(mm > 0.0 && mm <= MAX_SIZE_MM) {
                return Err(invalid(
                    "size_mm",
                    // Debug keeps 1e300 short where Display would write 301 digits.
                    format!("{mm:?} mm is not a positive size up to {MAX_SIZE_MM} mm"),
                ));
            }
        }
        // No overflow: symbols are a few hundred modules wide and the quiet
        // zone is at most MAX_QUIET_ZONE.
        let q = quiet as usize;
        Ok(Modules {
            quiet: q,
            width: code.width() + 2 * q,
            height: code.height() + 2 * q,
        })
    }

    /// Page size in PostScript points (1/72 in) for PDF and EPS: `size_mm`
    /// wide if set, else `scale / dpi` inches per module; modules are square.
    ///
    /// Both sides must lie within the PDF limits of 3 to 14,400 points
    /// (ISO 32000-1 Annex C, 200 inches), which PostScript consumers share in
    /// practice.
    pub(crate) fn page_pt(&self, m: &Modules) -> Result<(f64, f64), RenderError> {
        let (w, option) = match self.size_mm {
            Some(mm) => (mm * 72.0 / 25.4, "size_mm"),
            None => (
                m.width as f64 * f64::from(self.scale) * 72.0 / f64::from(self.dpi),
                "scale",
            ),
        };
        let h = w * m.height as f64 / m.width as f64;
        let (lo, hi) = (w.min(h), w.max(h));
        if !(lo >= 3.0 && hi <= 14_400.0) {
            return Err(invalid(
                option,
                format!(
                    "page of {} x {} mm is outside the PDF page limits of 1.06 to 5080 mm",
                    fmt_decimal(w * 25.4 / 72.0, 2),
                    fmt_decimal(h * 25.4 / 72.0, 2)
                ),
            ));
        }
        Ok((w, h))
    }
}

/// The image size in modules, quiet zone included, after the options check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Modules {
    /// Quiet zone on each side.
    pub quiet: usize,
    /// Symbol width plus two quiet zones.
    pub width: usize,
    /// Symbol height plus two quiet zones.
    pub height: usize,
}

pub(crate) fn invalid(option: &'static str, reason: String) -> RenderError {
    RenderError::InvalidOption { option, reason }
}

/// An output format of [`render`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// SVG image ([`svg`]).
    Svg,
    /// PNG image ([`png`]; cargo feature `png`).
    Png,
    /// PDF document of one page ([`pdf`]; cargo feature `pdf`).
    Pdf,
    /// Encapsulated PostScript ([`eps`]).
    Eps,
    /// Plain text, `#` and `.` ([`text`]).
    Txt,
    /// Unicode half blocks for terminals ([`unicode`]).
    Unicode,
}

impl Format {
    /// Every format, in declaration order.
    pub const ALL: [Format; 6] = [
        Format::Svg,
        Format::Png,
        Format::Pdf,
        Format::Eps,
        Format::Txt,
        Format::Unicode,
    ];

    /// The format a file extension names, case-insensitively, with or
    /// without the leading dot: `svg`, `png`, `pdf`, `eps`, `txt`/`text`.
    /// [`Format::Unicode`] has no file extension of its own (it is text
    /// with escape codes) and is never returned.
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.strip_prefix('.').unwrap_or(ext);
        [
            ("svg", Format::Svg),
            ("png", Format::Png),
            ("pdf", Format::Pdf),
            ("eps", Format::Eps),
            ("txt", Format::Txt),
            ("text", Format::Txt),
        ]
        .into_iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(ext))
        .map(|(_, f)| f)
    }

    /// The lowercase name [`FromStr`] reads: `svg`, `png`, `pdf`, `eps`,
    /// `txt` or `unicode`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
            Format::Eps => "eps",
            Format::Txt => "txt",
            Format::Unicode => "unicode",
        }
    }
}

impl FromStr for Format {
    type Err = RenderError;
    /// A [`name`](Format::name) or a file extension
    /// ([`from_extension`](Format::from_extension)), case-insensitive.
    ///
    /// # Errors
    ///
    /// [`RenderError::InvalidOption`] for `format`, listing the names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .or_else(|| Format::from_extension(s))
            .ok_or_else(|| {
                let shown: String = s.chars().take(40).collect();
                invalid(
                    "format",
                    format!(
                        "unknown format {shown:?}: expected svg, png, pdf, eps, txt or unicode"
                    ),
                )
            })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Renders `code` in `format` to bytes (UTF-8 for the text formats).
///
/// # Errors
///
/// The format's own errors (see each function), and for [`Format::Txt`] and
/// [`Format::Unicode`] the options check that [`text`] and [`unicode`] skip
/// (they clamp instead).
pub fn render(
    code: &QrCode,
    format: Format,
    options: &RenderOptions,
) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Svg => svg(code, options).map(String::into_bytes),
        Format::Png => png(code, options),
        Format::Pdf => pdf(code, options),
        Format::Eps => eps(code, options).map(String::into_bytes),
        Format::Txt => {
            options.check(code)?;
            Ok(text(code, options).into_bytes())
        }
        Format::Unicode => {
            options.check(code)?;
            Ok(unicode(code, options).into_bytes())
        }
    }
}

/// Calls `f(start, end)` for each maximal run of set bits of a bit-packed line
/// (bit `i % 64` of word `i / 64` is position `i`), left to right; `end` is
/// exclusive.
///
/// XOR-ing each bit with its left neighbour marks exactly the positions where
/// a run starts or ends, so the loop costs one step per run boundary instead
/// of one per module.
#[inline]
pub(crate) fn for_each_run(words: &[u64], mut f: impl FnMut(usize, usize)) {
    let mut carry = 0u64;
    let mut start = 0usize;
    let mut inside = false;
    for (i, &w) in words.iter().enumerate() {
        let mut edges = w ^ ((w << 1) | carry);
        carry = w >> 63;
        while edges != 0 {
            let pos = i * 64 + edges.trailing_zeros() as usize;
            edges &= edges - 1;
            if inside {
                f(start, pos);
            } else {
                start = pos;
            }
            inside = !inside;
        }
    }
    // A run touching the last bit of the last word ends past it.
    if inside {
        f(start, words.len() * 64);
    }
}

/// A rectangle of dark modules in symbol coordinates (no quiet zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rect {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

/// The dark modules as rectangles: horizontal runs, each merged with the
/// identical runs of the rows below it. Finder patterns, timing and
/// alignment patterns then cost one rectangle per bar instead of one per row,
/// which keeps PDF and EPS (uncompressed, 4 numbers per rectangle) smaller.
pub(crate) fn rects(code: &QrCode) -> Vec<Rect> {
    let mut done = Vec::new();
    // Runs of the previous row still growing downwards, left to right.
    let mut open: Vec<Rect> = Vec::new();
    let mut next: Vec<Rect> = Vec::new();
    for y in 0..code.height() {
        let mut k = 0;
        for_each_run(code.row_words(y), |x, end| {
            let w = end - x;
            // Open runs entirely left of this one can no longer continue.
            while k < open.len() && open[k].x < x {
                done.push(open[k]);
                k += 1;
            }
            if k < open.len() && open[k].x == x && open[k].w == w {
                let mut r = open[k];
                r.h += 1;
                next.push(r);
                k += 1;
            } else {
                next.push(Rect { x, y, w, h: 1 });
            }
        });
        done.extend_from_slice(&open[k..]);
        open.clear();
        core::mem::swap(&mut open, &mut next);
    }
    done.extend_from_slice(&open);
    done
}

/// Appends `n` in decimal.
#[inline]
pub(crate) fn push_uint(buf: &mut Vec<u8>, n: usize) {
    // Runs and gaps are almost always below 100: special-case them so the hot
    // loop does no division loop and no formatting machinery.
    if n < 10 {
        buf.push(b'0' + n as u8);
    } else if n < 100 {
        buf.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]);
    } else {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        let mut n = n;
        while n > 0 {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        buf.extend_from_slice(&tmp[i..]);
    }
}

/// Number of decimal digits of `n` (1 for 0).
#[inline]
pub(crate) fn uint_len(n: usize) -> usize {
    if n < 10 {
        1
    } else if n < 100 {
        2
    } else if n < 1000 {
        3
    } else {
        n.ilog10() as usize + 1
    }
}

/// `x` with at most `decimals` decimals and no trailing zeros (`12.5`,
/// `7`), for sizes in mm and points written into documents.
pub(crate) fn fmt_decimal(x: f64, decimals: usize) -> String {
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{encode_text, EncodeOptions, Version};

    fn bits_of(line: &[bool]) -> Vec<u64> {
        let mut words = vec![0u64; line.len().div_ceil(64).max(1)];
        for (i, &b) in line.iter().enumerate() {
            if b {
                words[i / 64] |= 1 << (i % 64);
            }
        }
        words
    }

    #[test]
    fn runs_match_a_naive_scan() {
        // Patterns that cross word boundaries and touch both ends.
        let mut state = 0x9e3779b97f4a7c15u64;
        for len in [1usize, 21, 63, 64, 65, 127, 128, 129, 177] {
            for trial in 0..50 {
                let line: Vec<bool> = (0..len)
                    .map(|i| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        match trial {
                            0 => true,
                            1 => false,
                            2 => i % 64 != 63,
                            _ => state % 3 != 0,
                        }
                    })
                    .collect();
                let mut got = Vec::new();
                for_each_run(&bits_of(&line), |s, e| got.push((s, e)));
                let mut want = Vec::new();
                let mut i = 0;
                while i < len {
                    if line[i] {
                        let s = i;
                        while i < len && line[i] {
                            i += 1;
                        }
                        want.push((s, i));
                    } else {
                        i += 1;
                    }
                }
                assert_eq!(got, want, "len {len} trial {trial}");
            }
        }
    }

    #[test]
    fn rects_cover_dark_modules_exactly_once() {
        let code = encode_text("https://example.org/rects", &EncodeOptions::default()).unwrap();
        let (w, h) = (code.width(), code.height());
        let mut count = vec![0u8; w * h];
        let rs = rects(&code);
        for r in &rs {
            for y in r.y..r.y + r.h {
                for x in r.x..r.x + r.w {
                    count[y * w + x] += 1;
                }
            }
        }
        for y in 0..h {
            for x in 0..w {
                assert_eq!(count[y * w + x], u8::from(code.get(x, y)), "({x}, {y})");
            }
        }
        // The three finder patterns alone merge 21 row runs into 9 rectangles.
        let rows: usize = (0..h)
            .map(|y| {
                let mut n = 0;
                for_each_run(code.row_words(y), |_, _| n += 1);
                n
            })
            .sum();
        assert!(rs.len() + 12 <= rows, "{} rects for {rows} runs", rs.len());
    }

    #[test]
    fn numbers_are_formatted() {
        let mut buf = Vec::new();
        for n in [0, 7, 10, 99, 100, 177, 1000, 123456789] {
            buf.clear();
            push_uint(&mut buf, n);
            assert_eq!(String::from_utf8(buf.clone()).unwrap(), n.to_string());
            assert_eq!(uint_len(n), n.to_string().len());
        }
        assert_eq!(fmt_decimal(12.5, 3), "12.5");
        assert_eq!(fmt_decimal(7.0, 3), "7");
        assert_eq!(fmt_decimal(1.0 / 3.0, 4), "0.3333");
        assert_eq!(fmt_decimal(-0.00001, 3), "0");
    }

    #[test]
    fn options_are_checked() {
        let code = QrCode::from_fn(Version::MIN, |x, y| (x + y) % 3 == 0);
        let ok = RenderOptions::default();
        assert_eq!(
            ok.check(&code).unwrap(),
            Modules {
                quiet: 4,
                width: 29,
                height: 29
            }
        );
        assert_eq!(ok.clone().quiet_zone(0).check(&code).unwrap().width, 21);
        let bad = [
            (ok.clone().scale(0), "scale"),
            (ok.clone().quiet_zone(MAX_QUIET_ZONE + 1), "quiet_zone"),
            (ok.clone().quiet_zone(u32::MAX), "quiet_zone"),
            (ok.clone().dpi(0), "dpi"),
            (ok.clone().dpi(u32::MAX), "dpi"),
            (ok.clone().size_mm(Some(f64::NAN)), "size_mm"),
            (ok.clone().size_mm(Some(-5.0)), "size_mm"),
            (ok.clone().size_mm(Some(0.0)), "size_mm"),
            (ok.clone().size_mm(Some(f64::INFINITY)), "size_mm"),
            (ok.clone().size_mm(Some(1e300)), "size_mm"),
        ];
        for (o, name) in bad {
            for format in Format::ALL {
                match render(&code, format, &o) {
                    Err(RenderError::InvalidOption { option, .. }) => {
                        assert_eq!(option, name, "{format}")
                    }
                    // Without the feature the format is refused before any check.
                    Err(RenderError::FeatureDisabled(_)) => {}
                    other => panic!("{format} with bad {name}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn colours_a_camera_cannot_read_are_refused_unless_allowed() {
        let code = QrCode::from_fn(Version::MIN, |x, y| (x + y) % 3 == 0);
        let grey = |v| Color::rgb(v, v, v);
        // #b3b3b3 on white is 29.8 % (refused), #b2b2b2 30.1 % (drawn).
        for (dark, light, refused) in [
            (grey(0xb3), Color::WHITE, true),
            (grey(0xb2), Color::WHITE, false),
            (Color::WHITE, Color::BLACK, true),
            (Color::TRANSPARENT, Color::WHITE, true),
            (Color::BLACK, Color::TRANSPARENT, false),
        ] {
            let o = RenderOptions::default().dark(dark).light(light);
            for format in Format::ALL {
                match render(&code, format, &o) {
                    Err(RenderError::LowContrast { .. }) => assert!(refused, "{dark} {format}"),
                    Ok(_) => assert!(!refused, "{dark} on {light} drawn as {format}"),
                    Err(RenderError::FeatureDisabled(_)) => {}
                    Err(e) => panic!("{dark} on {light} as {format}: {e}"),
                }
            }
            let forced = o.allow_low_contrast(true);
            assert!(forced.check_contrast().is_ok());
            assert!(render(&code, Format::Svg, &forced).is_ok());
        }
        let e = RenderOptions::default().dark(grey(0xcc)).check_contrast();
        let says = e.map_err(|e| e.to_string()).unwrap_err();
        assert_eq!(
            says,
            "dark #cccccc on light #ffffff: they differ by 20.0 % in grey, readers need 30 %"
        );
    }

    #[test]
    fn formats_parse_and_name_themselves() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), f);
            assert_eq!(f.to_string(), f.name());
        }
        assert_eq!(Format::from_extension("SVG"), Some(Format::Svg));
        assert_eq!(Format::from_extension(".png"), Some(Format::Png));
        assert_eq!(Format::from_extension("Pdf"), Some(Format::Pdf));
        assert_eq!(Format::from_extension("eps"), Some(Format::Eps));
        assert_eq!(Format::from_extension("text"), Some(Format::Txt));
        assert_eq!(Format::from_extension("jpg"), None);
        assert_eq!(Format::from_extension(""), None);
        assert_eq!("UNICODE".parse::<Format>().unwrap(), Format::Unicode);
        assert_eq!("txt".parse::<Format>().unwrap(), Format::Txt);
        let err = "gif".parse::<Format>().unwrap_err();
        assert!(matches!(
            err,
            RenderError::InvalidOption {
                option: "format",
                ..
            }
        ));
        assert!(err.to_string().contains("\"gif\""), "{err}");
    }
}
