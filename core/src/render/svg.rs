//! SVG output: the dark modules as one stroked `<path>` of merged runs.
//!
//! # Path encoding
//!
//! Each maximal run of dark modules in a row is a horizontal line of stroke
//! width 1 drawn along the row's centre line (`h` command), which is shorter
//! than any filled outline: a run costs `m<gap> 0h<len>`, six bytes for the
//! usual one-digit gap and length. The `viewBox` is shifted by half a module
//! (`-4 -4.5 ...`) so that centre lines fall on integers and every number in
//! the path is an integer. The symbol's top-left module is at the origin and
//! the quiet zone lies at negative coordinates, which keeps absolute numbers
//! small.
//!
//! The first run of a row is reached by whichever is shorter, an absolute
//! `M x y` or a relative `m dx dy` from the end of the previous run. The same
//! path is also worked out for columns (vertical `v` runs, viewBox shifted in
//! x); both lengths are counted without writing anything, and the shorter
//! orientation is written into a buffer of exactly the right size. On a
//! version-40 symbol columns win about half the time, by a few hundred bytes.

use crate::code::QrCode;
use crate::error::RenderError;

use super::{fmt_decimal, for_each_run, push_uint, uint_len, Color, Modules, RenderOptions};

/// Renders `code` as an SVG document (UTF-8, no XML declaration, ending in a
/// newline).
///
/// The `viewBox` is in modules, quiet zone included; `width`/`height` are
/// modules x [`scale`](RenderOptions::scale) CSS pixels, or
/// [`size_mm`](RenderOptions::size_mm) millimetres. The light colour is a
/// `<rect>` behind the path, left out when transparent. Colours with alpha
/// are written as `#rrggbb` plus an opacity attribute, which SVG 1.1 viewers
/// understand. `shape-rendering="crispEdges"` keeps rasterisers from
/// anti-aliasing module edges.
///
/// # Errors
///
/// [`RenderError::InvalidOption`] for out-of-range options.
pub fn svg(code: &QrCode, options: &RenderOptions) -> Result<String, RenderError> {
    let m = options.check(code)?;
    let cols = Transposed::of(code);
    let row_len = path(&mut Count(0), Orientation::Rows, code, &cols).0;
    let col_len = path(&mut Count(0), Orientation::Columns, code, &cols).0;
    let orientation = if col_len < row_len {
        Orientation::Columns
    } else {
        Orientation::Rows
    };
    Ok(document(
        code,
        options,
        &m,
        orientation,
        &cols,
        row_len.min(col_len),
    ))
}

/// Which lines the runs follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Orientation {
    /// Horizontal runs along rows (`h`).
    Rows,
    /// Vertical runs along columns (`v`).
    Columns,
}

/// The module grid stored column by column (bit `y % 64` of word `y / 64` of
/// column `x`), so columns can be scanned for runs as fast as rows.
struct Transposed {
    stride: usize,
    words: Vec<u64>,
}

impl Transposed {
    fn of(code: &QrCode) -> Transposed {
        let stride = code.height().div_ceil(64);
        let mut words = vec![0u64; code.width() * stride];
        for y in 0..code.height() {
            let (word, bit) = (y / 64, 1u64 << (y % 64));
            for (i, &w) in code.row_words(y).iter().enumerate() {
                // Visit only the dark modules: about half of them.
                let mut w = w;
                while w != 0 {
                    let x = i * 64 + w.trailing_zeros() as usize;
                    w &= w - 1;
                    if let Some(slot) = words.get_mut(x * stride + word) {
                        *slot |= bit;
                    }
                }
            }
        }
        Transposed { stride, words }
    }

    fn column(&self, x: usize) -> &[u64] {
        &self.words[x * self.stride..(x + 1) * self.stride]
    }
}

/// Where path bytes go: a counter (to choose the orientation and size the
/// buffer) or the buffer itself. One generic function writes both, so the
/// count is exact by construction.
trait Sink {
    fn byte(&mut self, b: u8);
    fn uint(&mut self, n: usize);
}

struct Count(usize);

impl Sink for Count {
    #[inline]
    fn byte(&mut self, _: u8) {
        self.0 += 1;
    }
    #[inline]
    fn uint(&mut self, n: usize) {
        self.0 += uint_len(n);
    }
}

impl Sink for Vec<u8> {
    #[inline]
    fn byte(&mut self, b: u8) {
        self.push(b);
    }
    #[inline]
    fn uint(&mut self, n: usize) {
        push_uint(self, n);
    }
}

/// Length of a signed number as written.
#[inline]
fn int_len(n: isize) -> usize {
    uint_len(n.unsigned_abs()) + usize::from(n < 0)
}

/// Writes a signed number.
#[inline]
fn int<S: Sink>(s: &mut S, n: isize) {
    if n < 0 {
        s.byte(b'-');
    }
    s.uint(n.unsigned_abs());
}

/// Writes the pair `a b`; the separator is left out before a minus sign,
/// which already ends the first number.
#[inline]
fn pair<S: Sink>(s: &mut S, a: isize, b: isize) {
    int(s, a);
    if b >= 0 {
        s.byte(b' ');
    }
    int(s, b);
}

#[inline]
fn pair_len(a: isize, b: isize) -> usize {
    int_len(a) + usize::from(b >= 0) + int_len(b)
}

/// Writes the path data (the `d` attribute's value) for one orientation.
fn path<'s, S: Sink>(
    s: &'s mut S,
    orientation: Orientation,
    code: &QrCode,
    cols: &Transposed,
) -> &'s mut S {
    let (lines, draw) = match orientation {
        Orientation::Rows => (code.height(), b'h'),
        Orientation::Columns => (code.width(), b'v'),
    };
    // Path coordinates are (x, y); along a row x advances, along a column y.
    let xy = |line: isize, along: isize| match orientation {
        Orientation::Rows => (along, line),
        Orientation::Columns => (line, along),
    };
    // Line and end position of the previous run, if any.
    let mut prev: Option<(usize, usize)> = None;
    for line in 0..lines {
        let words = match orientation {
            Orientation::Rows => code.row_words(line),
            Orientation::Columns => cols.column(line),
        };
        let mut first = true;
        for_each_run(words, |start, end| {
            // Indices are at most a few hundred: no overflow converting them.
            let (l, a) = (line as isize, start as isize);
            match prev {
                Some((_, pend)) if !first => {
                    let (dx, dy) = xy(0, a - pend as isize);
                    s.byte(b'm');
                    pair(s, dx, dy);
                }
                Some((pline, pend)) => {
                    let (ax, ay) = xy(l, a);
                    let (rx, ry) = xy(l - pline as isize, a - pend as isize);
                    if pair_len(rx, ry) < pair_len(ax, ay) {
                        s.byte(b'm');
                        pair(s, rx, ry);
                    } else {
                        s.byte(b'M');
                        pair(s, ax, ay);
                    }
                }
                None => {
                    let (ax, ay) = xy(l, a);
                    s.byte(b'M');
                    pair(s, ax, ay);
                }
            }
            s.byte(draw);
            s.uint(end - start);
            first = false;
            prev = Some((line, end));
        });
    }
    s
}

/// The whole document, with the path in the chosen orientation.
fn document(
    code: &QrCode,
    o: &RenderOptions,
    m: &Modules,
    orientation: Orientation,
    cols: &Transposed,
    path_len: usize,
) -> String {
    let q = m.quiet;
    // The origin is the symbol's top-left module; the half-module shift puts
    // run centre lines on integers (see the module docs).
    let (min_x, min_y) = match orientation {
        Orientation::Rows => (neg(q), format!("-{q}.5")),
        Orientation::Columns => (format!("-{q}.5"), neg(q)),
    };
    let (width, height) = match o.get_size_mm() {
        Some(mm) => (
            format!("{}mm", fmt_decimal(mm, 4)),
            format!(
                "{}mm",
                fmt_decimal(mm * m.height as f64 / m.width as f64, 4)
            ),
        ),
        None => {
            let s = u64::from(o.get_scale());
            (
                (m.width as u64 * s).to_string(),
                (m.height as u64 * s).to_string(),
            )
        }
    };
    let (wm, hm) = (m.width, m.height);
    let mut head = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{min_x} {min_y} {wm} {hm}\" \
         width=\"{width}\" height=\"{height}\" shape-rendering=\"crispEdges\">"
    );
    let light = o.get_light();
    if !light.is_transparent() {
        head.push_str(&format!(
            "<rect x=\"{min_x}\" y=\"{min_y}\" width=\"{wm}\" height=\"{hm}\" fill=\"{}\"{}/>",
            light.hex_rgb(),
            opacity("fill-opacity", light)
        ));
    }
    let dark = o.get_dark();
    head.push_str(&format!(
        "<path stroke=\"{}\"{} d=\"",
        dark.hex_rgb(),
        opacity("stroke-opacity", dark)
    ));
    const TAIL: &str = "\"/></svg>\n";
    let mut buf = Vec::with_capacity(head.len() + path_len + TAIL.len());
    buf.extend_from_slice(head.as_bytes());
    path(&mut buf, orientation, code, cols);
    buf.extend_from_slice(TAIL.as_bytes());
    debug_assert_eq!(buf.len(), head.len() + path_len + TAIL.len());
    // Every byte written is ASCII, so this cannot fail; recovering keeps the
    // no-panic promise without unsafe code.
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `-q`, or `0` rather than `-0`.
fn neg(q: usize) -> String {
    if q == 0 {
        "0".into()
    } else {
        format!("-{q}")
    }
}

/// ` name="0.5"` for a translucent colour, nothing for an opaque one.
fn opacity(name: &str, c: Color) -> String {
    if c.is_opaque() {
        String::new()
    } else {
        format!(" {name}=\"{}\"", fmt_decimal(f64::from(c.a) / 255.0, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{encode_text, EcLevel, EncodeOptions, Version};

    /// Minimal XML well-formedness check for what we emit: balanced tags,
    /// quoted attributes, no stray `<`/`&`, a single root.
    fn assert_well_formed(xml: &str) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut seen = Vec::new();
        let mut rest = xml.trim_end();
        let mut roots = 0;
        while !rest.is_empty() {
            assert!(rest.starts_with('<'), "text outside tags: {:.40}", rest);
            let close = rest.find('>').expect("unterminated tag");
            let tag = &rest[1..close];
            rest = &rest[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
                continue;
            }
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name: String = body
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(!name.is_empty(), "bad tag <{tag}>");
            if stack.is_empty() {
                roots += 1;
            }
            // Attributes: name="value" pairs separated by single spaces.
            let mut attrs = &body[name.len()..];
            while !attrs.is_empty() {
                attrs = attrs.strip_prefix(' ').expect("attribute without space");
                let eq = attrs.find("=\"").expect("unquoted attribute");
                assert!(attrs[..eq]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'));
                let val_end = attrs[eq + 2..].find('"').expect("unterminated value") + eq + 2;
                let value = &attrs[eq + 2..val_end];
                assert!(!value.contains('<') && !value.contains('&'));
                attrs = &attrs[val_end + 1..];
            }
            seen.push(name.clone());
            if !self_closing {
                stack.push(name);
            }
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert_eq!(roots, 1);
        seen
    }

    fn attr<'a>(xml: &'a str, tag: &str, name: &str) -> Option<&'a str> {
        let start = xml.find(&format!("<{tag} "))?;
        let tag_end = start + xml[start..].find('>')?;
        let t = &xml[start..tag_end];
        let i = t.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&t[i..i + t[i..].find('"')?])
    }

    /// Reads the path back: returns the dark modules (symbol coordinates) its
    /// strokes cover, each counted once per stroke, checking every stroke is
    /// exactly one module thick and whole modules long.
    fn modules_drawn(d: &str, orientation: Orientation, w: usize, h: usize) -> Vec<u8> {
        let mut grid = vec![0u8; w * h];
        let bytes = d.as_bytes();
        let mut i = 0;
        let number = |i: &mut usize| -> i64 {
            let s = *i;
            if bytes.get(*i) == Some(&b'-') {
                *i += 1;
            }
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            assert!(*i > s, "number expected at {s} in {:.30}", &d[s..]);
            let n = d[s..*i].parse().unwrap();
            if bytes.get(*i) == Some(&b' ') {
                *i += 1;
            }
            n
        };
        let (mut x, mut y) = (0i64, 0i64);
        while i < bytes.len() {
            let cmd = bytes[i];
            i += 1;
            match cmd {
                b'M' | b'm' => {
                    let (a, b) = (number(&mut i), number(&mut i));
                    if cmd == b'M' {
                        (x, y) = (a, b);
                    } else {
                        (x, y) = (x + a, y + b);
                    }
                }
                b'h' | b'v' => {
                    let len = number(&mut i);
                    assert!(len > 0);
                    assert_eq!(cmd == b'h', orientation == Orientation::Rows);
                    for k in 0..len {
                        let (mx, my) = if cmd == b'h' { (x + k, y) } else { (x, y + k) };
                        assert!(
                            mx >= 0 && my >= 0 && (mx as usize) < w && (my as usize) < h,
                            "({mx}, {my})"
                        );
                        grid[my as usize * w + mx as usize] += 1;
                    }
                    if cmd == b'h' {
                        x += len;
                    } else {
                        y += len;
                    }
                }
                other => panic!("unexpected command {:?}", other as char),
            }
        }
        grid
    }

    fn check_geometry(code: &QrCode, orientation: Orientation) -> usize {
        let cols = Transposed::of(code);
        let mut buf = Vec::new();
        path(&mut buf, orientation, code, &cols);
        let counted = path(&mut Count(0), orientation, code, &cols).0;
        assert_eq!(buf.len(), counted, "count and writer disagree");
        let d = String::from_utf8(buf).unwrap();
        let (w, h) = (code.width(), code.height());
        let grid = modules_drawn(&d, orientation, w, h);
        for y in 0..h {
            for x in 0..w {
                assert_eq!(
                    grid[y * w + x],
                    u8::from(code.get(x, y)),
                    "module ({x}, {y}), {orientation:?}"
                );
            }
        }
        counted
    }

    #[test]
    fn path_draws_exactly_the_dark_modules() {
        let opts = EncodeOptions::default();
        for text in ["1", "https://example.org/banc-0042", &"civiqr ".repeat(300)] {
            let code = encode_text(text, &opts).unwrap();
            check_geometry(&code, Orientation::Rows);
            check_geometry(&code, Orientation::Columns);
        }
        // Every version, including widths crossing 64 and 128 bits.
        for v in 1..=40 {
            let code = QrCode::from_fn(Version::new(v).unwrap(), |x, y| {
                (x * 7 + y * 3 + x * y) % 5 < 2 || x == 63
            });
            check_geometry(&code, Orientation::Rows);
            check_geometry(&code, Orientation::Columns);
        }
        // A full row and an empty grid.
        let full = QrCode::from_fn(Version::MAX, |_, _| true);
        check_geometry(&full, Orientation::Rows);
        let empty = QrCode::from_fn(Version::MIN, |_, _| false);
        assert_eq!(check_geometry(&empty, Orientation::Columns), 0);
    }

    #[test]
    fn document_is_well_formed_with_one_path() {
        let code = encode_text("https://example.org", &EncodeOptions::default()).unwrap();
        let svg = svg(&code, &RenderOptions::default()).unwrap();
        let tags = assert_well_formed(&svg);
        assert_eq!(tags, ["svg", "rect", "path"]);
        assert!(svg.ends_with("</svg>\n"));
        let n = code.width() + 8;
        let vb: Vec<&str> = attr(&svg, "svg", "viewBox").unwrap().split(' ').collect();
        assert_eq!(vb[2..], [n.to_string(), n.to_string()]);
        // One of the two minima carries the half-module shift.
        let shifted = ["-4 -4.5", "-4.5 -4"];
        assert!(shifted.contains(&vb[..2].join(" ").as_str()), "{vb:?}");
        assert_eq!(attr(&svg, "rect", "x"), Some(vb[0]));
        assert_eq!(attr(&svg, "rect", "y"), Some(vb[1]));
        assert_eq!(
            attr(&svg, "svg", "width"),
            Some((n * 8).to_string().as_str())
        );
        assert_eq!(attr(&svg, "svg", "shape-rendering"), Some("crispEdges"));
        assert_eq!(attr(&svg, "rect", "fill"), Some("#fff"));
        assert_eq!(attr(&svg, "path", "stroke"), Some("#000"));
        // The emitted path is the shorter orientation and draws the symbol.
        let d = attr(&svg, "path", "d").unwrap();
        let orientation = if vb[1].ends_with(".5") {
            Orientation::Rows
        } else {
            Orientation::Columns
        };
        let grid = modules_drawn(d, orientation, code.width(), code.height());
        assert!((0..code.height())
            .all(|y| (0..code.width())
                .all(|x| grid[y * code.width() + x] == u8::from(code.get(x, y)))));
        let cols = Transposed::of(&code);
        let rows_len = path(&mut Count(0), Orientation::Rows, &code, &cols).0;
        let cols_len = path(&mut Count(0), Orientation::Columns, &code, &cols).0;
        assert_eq!(d.len(), rows_len.min(cols_len));
    }

    #[test]
    fn options_reach_the_document() {
        let code = encode_text("options", &EncodeOptions::default()).unwrap();
        let o = RenderOptions::default()
            .quiet_zone(0)
            .light(Color::TRANSPARENT)
            .dark(Color::rgba(0x12, 0x34, 0x56, 0x80))
            .size_mm(Some(30.0));
        let svg = svg(&code, &o).unwrap();
        assert_eq!(assert_well_formed(&svg), ["svg", "path"]);
        let vb = attr(&svg, "svg", "viewBox").unwrap();
        assert!(vb == "0 -0.5 21 21" || vb == "-0.5 0 21 21", "{vb}");
        assert_eq!(attr(&svg, "svg", "width"), Some("30mm"));
        assert_eq!(attr(&svg, "svg", "height"), Some("30mm"));
        assert_eq!(attr(&svg, "path", "stroke"), Some("#123456"));
        assert_eq!(attr(&svg, "path", "stroke-opacity"), Some("0.502"));
        let o = RenderOptions::default()
            .light(Color::rgba(255, 255, 0, 51))
            .scale(3);
        let svg = super::svg(&code, &o).unwrap();
        assert_eq!(attr(&svg, "rect", "fill"), Some("#ff0"));
        assert_eq!(attr(&svg, "rect", "fill-opacity"), Some("0.2"));
        assert_eq!(attr(&svg, "svg", "width"), Some("87"));
    }

    #[test]
    fn version_40_stays_compact() {
        // Byte mode, 2,900 bytes: version 40-L, 177 x 177 modules, about
        // 7,800 runs. segno 1.6 writes 48,173 bytes for this data (its mask
        // 0, ours may differ); the renderer must stay well under that.
        let code = encode_text(
            &"x".repeat(2900),
            &EncodeOptions::default().ec_level(EcLevel::L),
        )
        .unwrap();
        assert_eq!(code.version().number(), 40);
        let svg = svg(&code, &RenderOptions::default()).unwrap();
        assert!(svg.len() < 47_000, "{} bytes", svg.len());
    }
}
