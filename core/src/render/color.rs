//! `Color`: an sRGB colour with alpha, parsed from CSS-style strings.

use core::fmt;
use core::str::FromStr;

use crate::error::RenderError;

/// An 8-bit sRGB colour with straight (not premultiplied) alpha; `a = 255` is
/// opaque, `a = 0` fully transparent.
///
/// Parse one from `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `transparent` or a
/// basic CSS colour name (case-insensitive):
///
/// ```
/// use civiqr::render::Color;
/// assert_eq!("#f80".parse::<Color>()?, Color::rgb(0xff, 0x88, 0x00));
/// assert_eq!(Color::parse("Navy")?, Color::rgb(0, 0, 0x80));
/// assert_eq!(Color::parse("#00000080")?.a, 0x80);
/// # Ok::<(), civiqr::RenderError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red, 0..=255.
    pub r: u8,
    /// Green, 0..=255.
    pub g: u8,
    /// Blue, 0..=255.
    pub b: u8,
    /// Alpha, 0 (transparent) ..= 255 (opaque).
    pub a: u8,
}

/// CSS names accepted by [`Color::parse`], with their CSS values. The
/// sixteen HTML 4 colours plus the common aliases and orange: enough for
/// command lines without carrying the whole 148-name CSS table.
const NAMED: [(&str, Color); 21] = [
    ("black", Color::rgb(0, 0, 0)),
    ("white", Color::rgb(255, 255, 255)),
    ("red", Color::rgb(255, 0, 0)),
    ("lime", Color::rgb(0, 255, 0)),
    ("green", Color::rgb(0, 128, 0)),
    ("blue", Color::rgb(0, 0, 255)),
    ("yellow", Color::rgb(255, 255, 0)),
    ("cyan", Color::rgb(0, 255, 255)),
    ("aqua", Color::rgb(0, 255, 255)),
    ("magenta", Color::rgb(255, 0, 255)),
    ("fuchsia", Color::rgb(255, 0, 255)),
    ("gray", Color::rgb(128, 128, 128)),
    ("grey", Color::rgb(128, 128, 128)),
    ("silver", Color::rgb(192, 192, 192)),
    ("maroon", Color::rgb(128, 0, 0)),
    ("navy", Color::rgb(0, 0, 128)),
    ("olive", Color::rgb(128, 128, 0)),
    ("purple", Color::rgb(128, 0, 128)),
    ("teal", Color::rgb(0, 128, 128)),
    ("orange", Color::rgb(255, 165, 0)),
    ("transparent", Color::TRANSPARENT),
];

/// The least [`Color::symbol_contrast`] the renderers accept without
/// [`RenderOptions::allow_low_contrast`](super::RenderOptions::allow_low_contrast): 30 % of the grey range. civiqr's reader reads a clean render down
/// to 3 %, but simulated phone photos (blur, dim uneven light, sensor noise)
/// of grey-on-white symbols start failing at 18 % and none read at 12 %
/// (`scripts/contrast-probe.py`, docs/CLI.md); print loses more, so the
/// floor is about twice the failing point.
pub const MIN_SYMBOL_CONTRAST: f64 = 0.30;

impl Color {
    /// Opaque black, `#000000`.
    pub const BLACK: Color = Color::rgb(0, 0, 0);
    /// Opaque white, `#ffffff`.
    pub const WHITE: Color = Color::rgb(255, 255, 255);
    /// Fully transparent (black with alpha 0), as CSS defines `transparent`.
    pub const TRANSPARENT: Color = Color::rgba(0, 0, 0, 0);

    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b, a: 255 }
    }

    /// A colour with alpha (0 transparent, 255 opaque).
    pub const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Color {
        Color { r, g, b, a }
    }

    /// Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `transparent` or one of
    /// the CSS names black, white, red, lime, green, blue, yellow, cyan (aqua),
    /// magenta (fuchsia), gray (grey), silver, maroon, navy, olive, purple,
    /// teal, orange. Names and hex digits are case-insensitive; surrounding
    /// whitespace is ignored.
    ///
    /// # Errors
    ///
    /// [`RenderError::InvalidColor`] with (the start of) the input.
    pub fn parse(s: &str) -> Result<Color, RenderError> {
        let t = s.trim();
        let parsed = match t.strip_prefix('#') {
            Some(hex) => parse_hex(hex),
            None => NAMED
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(t))
                .map(|&(_, c)| c),
        };
        // Cap the echoed input: the error may be shown to whoever sent it.
        parsed.ok_or_else(|| RenderError::InvalidColor(s.chars().take(40).collect()))
    }

    /// Whether alpha is 255.
    pub const fn is_opaque(self) -> bool {
        self.a == 255
    }

    /// Whether alpha is 0.
    pub const fn is_transparent(self) -> bool {
        self.a == 0
    }

    /// The grey level a reader sees, 0 (black) to 1 (white): BT.601 luma
    /// of the sRGB values (0.30 R + 0.59 G + 0.11 B, the weights civiqr's
    /// reader and ZXing's convert camera pixels with), over white paper
    /// where the colour is not opaque.
    pub fn grey(self) -> f64 {
        let luma =
            (77.0 * f64::from(self.r) + 150.0 * f64::from(self.g) + 29.0 * f64::from(self.b))
                / 256.0;
        let alpha = f64::from(self.a) / 255.0;
        (luma * alpha + 255.0 * (1.0 - alpha)) / 255.0
    }

    /// Symbol contrast of `dark` modules on `light` ones as a reader sees
    /// it: `light.grey() - dark.grey()`, from -1 to 1; negative when the
    /// "dark" colour is the lighter one (an inverted symbol). Below
    /// [`MIN_SYMBOL_CONTRAST`] photos of the symbol stop reading.
    pub fn symbol_contrast(dark: Color, light: Color) -> f64 {
        light.grey() - dark.grey()
    }

    /// Whether red, green and blue are equal (a shade of grey).
    pub(crate) const fn is_grey(self) -> bool {
        self.r == self.g && self.g == self.b
    }

    /// `#rgb` when every channel is a doubled hex digit, else `#rrggbb`;
    /// alpha is not written (SVG 1.1 has no alpha in colours: the renderers
    /// put it in an opacity attribute).
    pub(crate) fn hex_rgb(self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let ch = [self.r, self.g, self.b];
        let mut out = String::with_capacity(7);
        out.push('#');
        if ch.iter().all(|&c| c >> 4 == c & 15) {
            for c in ch {
                out.push(HEX[usize::from(c & 15)] as char);
            }
        } else {
            for c in ch {
                out.push(HEX[usize::from(c >> 4)] as char);
                out.push(HEX[usize::from(c & 15)] as char);
            }
        }
        out
    }
}

/// The digits after `#`: 3, 4, 6 or 8 hex digits.
fn parse_hex(hex: &str) -> Option<Color> {
    let digits: Vec<u8> = hex
        .bytes()
        .map(|b| (b as char).to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    match digits.len() {
        // One digit per channel stands for that digit doubled: #f80 = #ff8800.
        3 | 4 => {
            let d = |i: usize| digits.get(i).map_or(255, |&v| v * 17);
            Some(Color::rgba(d(0), d(1), d(2), d(3)))
        }
        6 | 8 => {
            let d = |i: usize| match (digits.get(2 * i), digits.get(2 * i + 1)) {
                (Some(&hi), Some(&lo)) => hi * 16 + lo,
                _ => 255,
            };
            Some(Color::rgba(d(0), d(1), d(2), d(3)))
        }
        _ => None,
    }
}

impl Default for Color {
    /// Opaque black.
    fn default() -> Self {
        Color::BLACK
    }
}

impl FromStr for Color {
    type Err = RenderError;
    /// Same as [`Color::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Color::parse(s)
    }
}

impl fmt::Display for Color {
    /// `#rrggbb`, or `#rrggbbaa` when not opaque; [`Color::parse`] reads it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)?;
        if !self.is_opaque() {
            write!(f, "{:02x}", self.a)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_what_a_reader_sees_over_white() {
        let c = Color::symbol_contrast;
        assert_eq!(c(Color::BLACK, Color::WHITE), 1.0);
        assert_eq!(c(Color::WHITE, Color::WHITE), 0.0);
        assert_eq!(c(Color::WHITE, Color::BLACK), -1.0);
        // A transparent light colour is the white paper; a transparent
        // dark one leaves nothing to read.
        assert_eq!(c(Color::BLACK, Color::TRANSPARENT), 1.0);
        assert_eq!(c(Color::TRANSPARENT, Color::WHITE), 0.0);
        // Yellow on white is nearly invisible to a reader; red is not.
        assert!(c(Color::rgb(255, 255, 0), Color::WHITE) < 0.12);
        assert!(c(Color::rgb(255, 0, 0), Color::WHITE) > 0.69);
        // #ccc on white, the usual too-light grey: 20 %.
        let grey = c(Color::rgb(0xcc, 0xcc, 0xcc), Color::WHITE);
        assert!((grey - 0.2).abs() < 0.01, "{grey}");
    }

    #[test]
    fn hex_forms() {
        assert_eq!(Color::parse("#000").unwrap(), Color::BLACK);
        assert_eq!(Color::parse("#FFF").unwrap(), Color::WHITE);
        assert_eq!(Color::parse("#f80").unwrap(), Color::rgb(255, 136, 0));
        assert_eq!(
            Color::parse("#f808").unwrap(),
            Color::rgba(255, 136, 0, 136)
        );
        assert_eq!(
            Color::parse("#1a2B3c").unwrap(),
            Color::rgb(0x1a, 0x2b, 0x3c)
        );
        assert_eq!(
            Color::parse("#1a2b3c4d").unwrap(),
            Color::rgba(0x1a, 0x2b, 0x3c, 0x4d)
        );
        assert_eq!(
            Color::parse("  #123456 ").unwrap(),
            Color::rgb(0x12, 0x34, 0x56)
        );
    }

    #[test]
    fn names() {
        assert_eq!(Color::parse("black").unwrap(), Color::BLACK);
        assert_eq!(Color::parse("WHITE").unwrap(), Color::WHITE);
        assert_eq!(Color::parse("Red").unwrap(), Color::rgb(255, 0, 0));
        assert_eq!(Color::parse("green").unwrap(), Color::rgb(0, 128, 0));
        assert_eq!(Color::parse("grey").unwrap(), Color::parse("gray").unwrap());
        assert_eq!(Color::parse("orange").unwrap(), Color::rgb(255, 165, 0));
        assert_eq!("transparent".parse::<Color>().unwrap(), Color::TRANSPARENT);
        assert!(Color::TRANSPARENT.is_transparent());
    }

    #[test]
    fn errors_name_the_input() {
        for bad in [
            "",
            "#",
            "#12",
            "#12345",
            "#1234567",
            "#gggggg",
            "#ff00ff00ff",
            "blak",
            "#ééé",
            "rgb(0,0,0)",
        ] {
            assert_eq!(
                Color::parse(bad),
                Err(RenderError::InvalidColor(bad.to_string())),
                "{bad:?}"
            );
        }
        let long = "x".repeat(1000);
        match Color::parse(&long) {
            Err(RenderError::InvalidColor(s)) => assert_eq!(s.len(), 40),
            other => panic!("{other:?}"),
        }
        assert!(Color::parse("nope")
            .unwrap_err()
            .to_string()
            .starts_with("invalid colour"));
    }

    #[test]
    fn display_round_trips() {
        for c in [
            Color::BLACK,
            Color::rgb(1, 2, 3),
            Color::rgba(250, 128, 7, 9),
            Color::TRANSPARENT,
        ] {
            assert_eq!(Color::parse(&c.to_string()).unwrap(), c);
        }
        assert_eq!(Color::rgb(0x12, 0xab, 0xff).to_string(), "#12abff");
        assert_eq!(Color::rgb(0xff, 0x88, 0).hex_rgb(), "#f80");
        assert_eq!(Color::rgb(0x12, 0x88, 0).hex_rgb(), "#128800");
    }
}
