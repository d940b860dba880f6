//! Text output: `#`/`.` grids for files and tests, and Unicode half blocks
//! with ANSI colours for terminals.

use crate::code::QrCode;

use super::{Color, RenderOptions, MAX_QUIET_ZONE};

/// Renders `code` as plain text: one line per module row, `#` for dark and
/// `.` for light, quiet zone included, each line ending in `\n`.
///
/// Colours, scale and sizes are ignored. This function cannot fail: a quiet
/// zone above [`MAX_QUIET_ZONE`] is clamped to it (use
/// [`render`](super::render) to have it rejected instead).
///
/// ```
/// use civiqr::render::{text, RenderOptions};
/// let code = civiqr::encode_text("1", &Default::default())?;
/// let t = text(&code, &RenderOptions::default().quiet_zone(1));
/// assert!(t.starts_with(".......................\n.#######."));
/// # Ok::<(), civiqr::EncodeError>(())
/// ```
pub fn text(code: &QrCode, options: &RenderOptions) -> String {
    let q = options.quiet_for(code).min(MAX_QUIET_ZONE) as usize;
    let (w, h) = (code.width() + 2 * q, code.height() + 2 * q);
    let mut out = String::with_capacity((w + 1) * h);
    for y in 0..h {
        for x in 0..w {
            // wrapping_sub turns quiet-zone coordinates into huge ones, which
            // `get` reads as light.
            out.push(if code.get(x.wrapping_sub(q), y.wrapping_sub(q)) {
                '#'
            } else {
                '.'
            });
        }
        out.push('\n');
    }
    out
}

/// Renders `code` for a terminal: each character is one module wide and two
/// module rows tall (upper/lower half blocks), so the symbol looks square in
/// the usual 1:2 character cell. Each line ends in `\n`.
///
/// With [`ansi`](RenderOptions::ansi) on (the default) every line sets the
/// foreground to the dark colour and the background to the light colour and
/// resets them before the newline. Terminal themes recolour the default
/// colours, and a symbol drawn in the theme's foreground on a dark theme is
/// inverted, which many readers reject; explicit colours make it scan on
/// dark and light themes alike. The default black and white are written as
/// the fixed 256-colour palette entries 16 and 231 (pure black and white,
/// unaffected by the theme's 16 named colours, and understood by nearly all
/// terminals); other colours as 24-bit colour codes; a transparent colour
/// leaves that side at the terminal's default.
///
/// With `ansi` off the output is escape-free: dark modules are the glyph's
/// ink, so it suits files and light-background terminals.
///
/// Cannot fail: a quiet zone above [`MAX_QUIET_ZONE`] is clamped.
pub fn unicode(code: &QrCode, options: &RenderOptions) -> String {
    let q = options.quiet_for(code).min(MAX_QUIET_ZONE) as usize;
    let (w, h) = (code.width() + 2 * q, code.height() + 2 * q);
    let (start, end) = if options.get_ansi() {
        (
            ansi_colors(options.get_dark(), options.get_light()),
            "\x1b[0m",
        )
    } else {
        (String::new(), "")
    };
    let lines = h.div_ceil(2);
    // Block characters are 3 bytes of UTF-8.
    let mut out = String::with_capacity(lines * (start.len() + 3 * w + end.len() + 1));
    for line in 0..lines {
        let (top, bottom) = ((2 * line).wrapping_sub(q), (2 * line + 1).wrapping_sub(q));
        out.push_str(&start);
        for x in 0..w {
            let x = x.wrapping_sub(q);
            // An odd height leaves the last line's lower half as quiet zone:
            // `get` reads the row past the end as light.
            out.push(match (code.get(x, top), code.get(x, bottom)) {
                (true, true) => '\u{2588}',  // full block
                (true, false) => '\u{2580}', // upper half block
                (false, true) => '\u{2584}', // lower half block
                (false, false) => ' ',
            });
        }
        out.push_str(end);
        out.push('\n');
    }
    out
}

/// The SGR sequence setting foreground `dark` and background `light`.
fn ansi_colors(dark: Color, light: Color) -> String {
    // `base` is 3 for the foreground, 4 for the background.
    let part = |c: Color, base: u8| -> String {
        if c.is_transparent() {
            format!("{base}9")
        } else if c == Color::BLACK {
            format!("{base}8;5;16")
        } else if c == Color::WHITE {
            format!("{base}8;5;231")
        } else {
            format!("{base}8;2;{};{};{}", c.r, c.g, c.b)
        }
    };
    format!("\x1b[{};{}m", part(dark, 3), part(light, 4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{encode_text, EncodeOptions, Version};

    #[test]
    fn text_rows_match_modules() {
        let code = encode_text("https://example.org", &EncodeOptions::default()).unwrap();
        let t = text(&code, &RenderOptions::default());
        let lines: Vec<&str> = t.split_terminator('\n').collect();
        assert!(t.ends_with('\n'));
        let n = code.width() + 8;
        assert_eq!(lines.len(), n);
        for (y, line) in lines.iter().enumerate() {
            assert_eq!(line.len(), n);
            for (x, c) in line.chars().enumerate() {
                let dark = x >= 4 && y >= 4 && code.get(x - 4, y - 4);
                assert_eq!(c, if dark { '#' } else { '.' }, "({x}, {y})");
            }
        }
        let bare = text(&code, &RenderOptions::default().quiet_zone(0));
        assert!(bare.starts_with("#######."));
        assert_eq!(bare.lines().count(), code.height());
    }

    #[test]
    fn text_clamps_an_absurd_quiet_zone() {
        let code = QrCode::from_fn(Version::MIN, |_, _| true);
        let t = text(&code, &RenderOptions::default().quiet_zone(u32::MAX));
        assert_eq!(t.lines().count(), 21 + 2 * MAX_QUIET_ZONE as usize);
    }

    /// Decodes the half blocks back into module rows.
    fn unblock(s: &str) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in s.lines() {
            let (mut top, mut bottom) = (Vec::new(), Vec::new());
            for c in line.chars() {
                let (t, b) = match c {
                    '\u{2588}' => (true, true),
                    '\u{2580}' => (true, false),
                    '\u{2584}' => (false, true),
                    ' ' => (false, false),
                    other => panic!("unexpected {other:?}"),
                };
                top.push(t);
                bottom.push(b);
            }
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    #[test]
    fn unicode_blocks_match_modules() {
        let code = encode_text("terminal", &EncodeOptions::default()).unwrap();
        let plain = unicode(&code, &RenderOptions::default().ansi(false).quiet_zone(2));
        assert!(!plain.contains('\x1b'));
        let rows = unblock(&plain);
        let n = code.width() + 4;
        // 25 module rows: 13 lines, the last lower half being padding.
        assert_eq!(rows.len(), n + 1);
        assert!(rows[n].iter().all(|&d| !d));
        for (y, row) in rows.iter().take(n).enumerate() {
            assert_eq!(row.len(), n);
            for (x, &d) in row.iter().enumerate() {
                assert_eq!(
                    d,
                    code.get(x.wrapping_sub(2), y.wrapping_sub(2)),
                    "({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn unicode_colours_every_line() {
        let code = encode_text("terminal", &EncodeOptions::default()).unwrap();
        let s = unicode(&code, &RenderOptions::default());
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), (code.height() + 8).div_ceil(2));
        for line in &lines {
            let inner = line
                .strip_prefix("\x1b[38;5;16;48;5;231m")
                .unwrap()
                .strip_suffix("\x1b[0m")
                .unwrap();
            assert_eq!(inner.chars().count(), code.width() + 8);
        }
        let plain = unicode(&code, &RenderOptions::default().ansi(false));
        let stripped = s
            .replace("\x1b[38;5;16;48;5;231m", "")
            .replace("\x1b[0m", "");
        assert_eq!(stripped, plain);
        assert_eq!(
            ansi_colors(Color::rgb(1, 2, 3), Color::TRANSPARENT),
            "\x1b[38;2;1;2;3;49m"
        );
        assert_eq!(
            ansi_colors(Color::WHITE, Color::BLACK),
            "\x1b[38;5;231;48;5;16m"
        );
    }
}
