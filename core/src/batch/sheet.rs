//! A print-ready PDF sheet: symbols of one physical size in a grid on A4, A3
//! or Letter, each with a caption of up to three lines, either with cut marks
//! at the corners or on a label sheet of a given grid (columns x rows,
//! margins, gutters). Captions are set in the PDF standard Helvetica through
//! WinAnsiEncoding (ISO 32000-1 Annex D), which holds every letter of French,
//! German, Dutch, Spanish and Italian.

use core::fmt;
use core::str::FromStr;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::BatchError;
use crate::code::QrCode;
use crate::render::rects;

/// The paper of a sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paper {
    /// ISO 216 A4, 210 x 297 mm.
    A4,
    /// ISO 216 A3, 297 x 420 mm.
    A3,
    /// US Letter, 8.5 x 11 in (215.9 x 279.4 mm).
    Letter,
}

impl Paper {
    /// `a4`, `a3` or `letter`.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A3 => "a3",
            Paper::Letter => "letter",
        }
    }

    /// Width and height in millimetres, portrait.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

impl fmt::Display for Paper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "a3" => Ok(Paper::A3),
            "letter" => Ok(Paper::Letter),
            _ => Err(format!(
                "{:?} is not a4, a3 or letter",
                s.chars().take(20).collect::<String>()
            )),
        }
    }
}

/// One symbol on a sheet with its caption lines (label, id, short text).
#[derive(Clone, Debug)]
pub struct SheetItem<'a> {
    /// The symbol.
    pub code: &'a QrCode,
    /// Up to three caption lines; longer lines are cut to the cell width.
    pub caption: Vec<String>,
}

/// A label sheet's grid: `columns` x `rows` labels of equal size filling the
/// page inside its margins, with gutters between them (as label makers
/// describe their sheets, e.g. 3 x 7 on A4). Each symbol is centred on its
/// label with its caption; there are no cut marks, the labels are pre-cut.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Grid {
    columns: u32,
    rows: u32,
    margin_top_mm: f64,
    margin_side_mm: f64,
    gutter_x_mm: f64,
    gutter_y_mm: f64,
}

impl Grid {
    /// A grid of `columns` x `rows` labels with 10 mm margins and no
    /// gutters; `None` when either count is 0 or over 100.
    pub fn new(columns: u32, rows: u32) -> Option<Grid> {
        ((1..=100).contains(&columns) && (1..=100).contains(&rows)).then_some(Grid {
            columns,
            rows,
            margin_top_mm: MARGIN_MM,
            margin_side_mm: MARGIN_MM,
            gutter_x_mm: 0.0,
            gutter_y_mm: 0.0,
        })
    }

    /// The margins above and below the labels, and left and right of them,
    /// in millimetres. Default: 10 and 10.
    pub fn margins(mut self, top_mm: f64, side_mm: f64) -> Self {
        self.margin_top_mm = top_mm;
        self.margin_side_mm = side_mm;
        self
    }

    /// The gaps between columns and between rows of labels, in
    /// millimetres. Default: 0 and 0.
    pub fn gutter(mut self, x_mm: f64, y_mm: f64) -> Self {
        self.gutter_x_mm = x_mm;
        self.gutter_y_mm = y_mm;
        self
    }

    /// The columns and rows.
    pub fn size(&self) -> (u32, u32) {
        (self.columns, self.rows)
    }

    /// Width and height of one label on `paper`, in millimetres.
    pub fn label_mm(&self, paper: Paper) -> (f64, f64) {
        let (pw, ph) = paper.size_mm();
        let (c, r) = (f64::from(self.columns), f64::from(self.rows));
        (
            (pw - 2.0 * self.margin_side_mm - (c - 1.0) * self.gutter_x_mm) / c,
            (ph - 2.0 * self.margin_top_mm - (r - 1.0) * self.gutter_y_mm) / r,
        )
    }

    /// The widest symbol, quiet zone included, that fits one label with its
    /// caption, in whole millimetres down; 0 when none fits.
    pub fn max_symbol_mm(&self, paper: Paper) -> f64 {
        let (w, h) = self.label_mm(paper);
        (w - 2.0 * GAP_MM)
            .min(h - 2.0 * GAP_MM - CAPTION_MM)
            .floor()
            .max(0.0)
    }
}

impl fmt::Display for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.columns, self.rows)
    }
}

impl FromStr for Grid {
    type Err = String;
    /// `COLUMNSxROWS`, such as `3x7`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "{:?} is not COLUMNSxROWS such as 3x7 (1 to 100 each)",
                s.chars().take(20).collect::<String>()
            )
        };
        let (c, r) = s.trim().split_once(['x', 'X']).ok_or_else(bad)?;
        let (c, r) = (
            c.trim().parse().map_err(|_| bad())?,
            r.trim().parse().map_err(|_| bad())?,
        );
        Grid::new(c, r).ok_or_else(bad)
    }
}

/// Page margin, gap around each symbol inside its cell, caption font size.
const MARGIN_MM: f64 = 10.0;
const GAP_MM: f64 = 4.0;
const FONT_PT: f32 = 7.0;
const LEADING_MM: f64 = 3.0;
const CAPTION_LINES: usize = 3;
const CAPTION_MM: f64 = CAPTION_LINES as f64 * LEADING_MM;
const PT_PER_MM: f64 = 72.0 / 25.4;

const CATALOG: Ref = Ref::new(1);
const PAGES: Ref = Ref::new(2);
const FONT: Ref = Ref::new(3);
const INFO: Ref = Ref::new(4);
const FIRST_PAGE: i32 = 5;

/// Where the cells of a sheet are, in millimetres from the bottom-left
/// corner of the page.
struct Layout {
    cols: usize,
    rows: usize,
    /// A cell's size.
    cell_w: f64,
    cell_h: f64,
    /// The step from one cell to the next (cell plus gutter).
    step_x: f64,
    step_y: f64,
    /// Left edge of the first column, top edge of the first row.
    x0: f64,
    top: f64,
    /// Whether to draw cut marks (not on pre-cut labels).
    cut_marks: bool,
}

impl Layout {
    /// The grid for `size_mm` symbols on `paper`: as many cells as fit,
    /// centred, or the label grid given.
    fn new(paper: Paper, size_mm: f64, grid: Option<&Grid>) -> Result<Layout, BatchError> {
        let too_small = BatchError::SheetTooSmall { size_mm, paper };
        if !(size_mm.is_finite() && size_mm > 0.0) {
            return Err(too_small);
        }
        let (pw, ph) = paper.size_mm();
        let layout = match grid {
            None => {
                let cell_w = size_mm + 2.0 * GAP_MM;
                let cell_h = size_mm + 2.0 * GAP_MM + CAPTION_MM;
                let cols = ((pw - 2.0 * MARGIN_MM) / cell_w).floor();
                let rows = ((ph - 2.0 * MARGIN_MM) / cell_h).floor();
                if !(cols >= 1.0 && rows >= 1.0) {
                    return Err(too_small);
                }
                Layout {
                    cols: cols as usize,
                    rows: rows as usize,
                    cell_w,
                    cell_h,
                    step_x: cell_w,
                    step_y: cell_h,
                    // Centre the grid on the page.
                    x0: (pw - cols * cell_w) / 2.0,
                    top: ph - (ph - rows * cell_h) / 2.0,
                    cut_marks: true,
                }
            }
            Some(g) => {
                // The labels and margins must lie on the page, and the
                // symbol with its caption on one label.
                let (cell_w, cell_h) = g.label_mm(paper);
                let sane = [
                    g.margin_top_mm,
                    g.margin_side_mm,
                    g.gutter_x_mm,
                    g.gutter_y_mm,
                ]
                .iter()
                .all(|v| v.is_finite() && *v >= 0.0);
                if !sane || size_mm > g.max_symbol_mm(paper) + 1e-9 {
                    return Err(too_small);
                }
                Layout {
                    cols: g.columns as usize,
                    rows: g.rows as usize,
                    cell_w,
                    cell_h,
                    step_x: cell_w + g.gutter_x_mm,
                    step_y: cell_h + g.gutter_y_mm,
                    x0: g.margin_side_mm,
                    top: ph - g.margin_top_mm,
                    cut_marks: false,
                }
            }
        };
        Ok(layout)
    }
}

/// Whether `size_mm` symbols with their captions fit on `paper` (in the
/// label `grid`, if given), so that a front end can refuse a batch before
/// writing any file rather than after writing them all.
///
/// # Errors
///
/// [`BatchError::SheetTooSmall`], as [`sheet_pdf`] and [`label_sheet_pdf`]
/// would return.
pub fn sheet_fits(paper: Paper, size_mm: f64, grid: Option<&Grid>) -> Result<(), BatchError> {
    Layout::new(paper, size_mm, grid).map(|_| ())
}

/// A caption character the sheet's font cannot show, printed as `?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Replaced {
    /// The item's index in the slice given.
    pub item: usize,
    /// The caption line, from 0.
    pub line: usize,
    /// The character.
    pub character: char,
}

impl fmt::Display for Replaced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "caption line {} has {:?} (U+{:04X}), which the sheet's font lacks; printed as '?'",
            self.line + 1,
            self.character,
            u32::from(self.character)
        )
    }
}

/// The caption characters of `items` that [`sheet_pdf`] prints as `?`
/// because WinAnsiEncoding lacks them (Greek, Cyrillic, CJK, emoji, ...),
/// in order, for the front end to report.
pub fn caption_replacements(items: &[SheetItem<'_>]) -> Vec<Replaced> {
    let mut out = Vec::new();
    for (item, it) in items.iter().enumerate() {
        for (line, text) in it.caption.iter().take(CAPTION_LINES).enumerate() {
            for character in compose(text) {
                if win_ansi_byte(character).is_none() && !is_line_break(character) {
                    out.push(Replaced {
                        item,
                        line,
                        character,
                    });
                }
            }
        }
    }
    out
}

/// Lays `items` out in a grid on as many pages of `paper` as needed. Each
/// symbol is `size_mm` wide including a `quiet_zone` of light modules (drawn
/// white, so the sheet may be printed on coloured stock); the caption, in
/// Helvetica 7 pt, sits under it; cut marks cross the cell corners.
/// Characters WinAnsiEncoding lacks print as `?`
/// ([`caption_replacements`] lists them).
///
/// # Errors
///
/// [`BatchError::SheetTooSmall`] when one cell does not fit on the paper
/// ([`sheet_fits`] tells beforehand).
pub fn sheet_pdf(
    items: &[SheetItem<'_>],
    paper: Paper,
    size_mm: f64,
    quiet_zone: u32,
) -> Result<Vec<u8>, BatchError> {
    let layout = Layout::new(paper, size_mm, None)?;
    Ok(draw_sheet(items, paper, &layout, size_mm, quiet_zone))
}

/// [`sheet_pdf`] on a label sheet: one symbol centred on each label of
/// `grid`, with its caption, without cut marks.
///
/// # Errors
///
/// [`BatchError::SheetTooSmall`] when the symbol with its caption does not
/// fit one label ([`Grid::max_symbol_mm`]) or the margins are negative.
pub fn label_sheet_pdf(
    items: &[SheetItem<'_>],
    paper: Paper,
    grid: &Grid,
    size_mm: f64,
    quiet_zone: u32,
) -> Result<Vec<u8>, BatchError> {
    let layout = Layout::new(paper, size_mm, Some(grid))?;
    Ok(draw_sheet(items, paper, &layout, size_mm, quiet_zone))
}

/// The PDF of `items` in `layout`.
fn draw_sheet(
    items: &[SheetItem<'_>],
    paper: Paper,
    l: &Layout,
    size_mm: f64,
    quiet_zone: u32,
) -> Vec<u8> {
    let (pw, ph) = paper.size_mm();
    let per_page = l.cols * l.rows;
    let pages = items.len().div_ceil(per_page).max(1);
    let pt = |mm: f64| (mm * PT_PER_MM) as f32;

    let mut pdf = Pdf::new();
    pdf.catalog(CATALOG).pages(PAGES);
    let page_ids: Vec<Ref> = (0..pages)
        .map(|i| Ref::new(FIRST_PAGE + 2 * i as i32))
        .collect();
    pdf.pages(PAGES)
        .kids(page_ids.iter().copied())
        .count(pages as i32);
    pdf.type1_font(FONT)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));

    // Captions are cut to the cell width (Helvetica averages about 0.55 em).
    let max_chars = ((l.cell_w - 2.0) * PT_PER_MM / (0.55 * f64::from(FONT_PT))) as usize;
    for (p, &page_id) in page_ids.iter().enumerate() {
        let content_id = Ref::new(page_id.get() + 1);
        let mut c = Content::new();
        let start = p * per_page;
        let end = (start + per_page).min(items.len());
        for (k, item) in items[start..end].iter().enumerate() {
            let (col, row) = (k % l.cols, k / l.cols);
            let cx = l.x0 + col as f64 * l.step_x;
            let cy = l.top - row as f64 * l.step_y - l.cell_h; // bottom of the cell
                                                               // The symbol and caption block centred in the cell.
            let sx = cx + (l.cell_w - size_mm) / 2.0;
            let sy = cy + (l.cell_h - size_mm - CAPTION_MM) / 2.0 + CAPTION_MM; // bottom of the symbol
            draw_symbol(&mut c, item.code, pt(sx), pt(sy), pt(size_mm), quiet_zone);
            c.set_fill_gray(0.0);
            for (i, line) in item.caption.iter().take(CAPTION_LINES).enumerate() {
                let y = sy - (i + 1) as f64 * LEADING_MM + 0.6;
                c.begin_text();
                c.set_font(Name(b"F1"), FONT_PT);
                c.next_line(pt(sx), pt(y));
                c.show(Str(&win_ansi(line, max_chars)));
                c.end_text();
            }
            if l.cut_marks {
                cut_marks(&mut c, pt(cx), pt(cy), pt(l.cell_w), pt(l.cell_h));
            }
        }
        let data = c.finish();
        let mut page = pdf.page(page_id);
        page.parent(PAGES)
            .media_box(Rect::new(0.0, 0.0, pt(pw), pt(ph)))
            .contents(content_id);
        page.resources().fonts().pair(Name(b"F1"), FONT);
        page.finish();
        pdf.stream(content_id, &data);
    }
    let mut info = pdf.document_info(INFO);
    info.producer(TextStr(concat!("civiqr ", env!("CARGO_PKG_VERSION"))));
    info.pair(Name(b"Title"), TextStr("QR Code sheet"));
    info.finish();
    pdf.finish()
}

/// Draws the symbol with its quiet zone as a white square and one filled
/// path of dark rectangles, `x`, `y` the bottom-left corner in points.
fn draw_symbol(c: &mut Content, code: &QrCode, x: f32, y: f32, size: f32, quiet_zone: u32) {
    c.save_state();
    c.set_fill_gray(1.0);
    c.rect(x, y, size, size);
    c.fill_nonzero();
    let modules = code.width() as f32 + 2.0 * quiet_zone as f32;
    let m = size / modules;
    let q = quiet_zone as f32;
    // One unit per module, y downwards from the symbol's top-left corner.
    c.transform([m, 0.0, 0.0, -m, x + q * m, y + size - q * m]);
    c.set_fill_gray(0.0);
    for r in rects(code) {
        c.rect(r.x as f32, r.y as f32, r.w as f32, r.h as f32);
    }
    c.fill_nonzero();
    c.restore_state();
}

/// Short hairlines crossing each corner of the cell.
fn cut_marks(c: &mut Content, x: f32, y: f32, w: f32, h: f32) {
    let arm = (2.0 * PT_PER_MM) as f32;
    c.set_line_width(0.25);
    c.set_stroke_gray(0.0);
    for (px, py) in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] {
        c.move_to(px - arm, py);
        c.line_to(px + arm, py);
        c.move_to(px, py - arm);
        c.line_to(px, py + arm);
    }
    c.stroke();
}

/// `s` in WinAnsiEncoding for the standard Helvetica font: every character
/// the encoding has, decomposed accents composed first; others as `?`; line
/// breaks and tabs as spaces; cut to `max` characters with an ellipsis.
fn win_ansi(s: &str, max: usize) -> Vec<u8> {
    let mut out: Vec<u8> = compose(s)
        .map(|c| match win_ansi_byte(c) {
            Some(b) => b,
            None if is_line_break(c) => b' ',
            None => b'?',
        })
        .collect();
    if out.len() > max && max > 1 {
        out.truncate(max - 1);
        out.push(0x85); // the ellipsis, one character wide
    }
    out
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t')
}

/// The WinAnsiEncoding byte of `c` (ISO 32000-1 Annex D.2, the same as
/// Windows code page 1252): printable ASCII, Latin-1 from U+00A0, and the
/// 27 characters in 0x80-0x9F that French, German and Dutch typography
/// needs (’ “ ” – — … œ Œ € Ÿ Š Ž ...).
fn win_ansi_byte(c: char) -> Option<u8> {
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    match u32::from(c) {
        v @ (0x20..=0x7E | 0xA0..=0xFF) => u8::try_from(v).ok(),
        _ => HIGH.iter().find(|(h, _)| *h == c).map(|(_, b)| *b),
    }
}

/// `s` with a base letter followed by a combining accent composed into the
/// one accented letter WinAnsiEncoding has: text from macOS files and some
/// web forms arrives decomposed (`e` + U+0301 for `é`), and would otherwise
/// print as `e?`.
fn compose(s: &str) -> impl Iterator<Item = char> + '_ {
    // (combining mark, base letters, composed letters), pairwise.
    const MARKS: [(char, &str, &str); 8] = [
        ('\u{300}', "AEIOUaeiou", "ÀÈÌÒÙàèìòù"),
        ('\u{301}', "AEIOUYaeiouy", "ÁÉÍÓÚÝáéíóúý"),
        ('\u{302}', "AEIOUaeiou", "ÂÊÎÔÛâêîôû"),
        ('\u{303}', "ANOano", "ÃÑÕãñõ"),
        ('\u{308}', "AEIOUYaeiouy", "ÄËÏÖÜŸäëïöüÿ"),
        ('\u{30A}', "Aa", "Åå"),
        ('\u{327}', "Cc", "Çç"),
        ('\u{30C}', "SZsz", "ŠŽšž"),
    ];
    let mut chars = s.chars().peekable();
    core::iter::from_fn(move || {
        let c = chars.next()?;
        let next = chars.peek().copied();
        let composed = MARKS.iter().find_map(|(mark, bases, done)| {
            let i = bases.chars().position(|b| b == c)?;
            (next == Some(*mark)).then(|| done.chars().nth(i))?
        });
        match composed {
            Some(one) => {
                chars.next();
                Some(one)
            }
            None => Some(c),
        }
    })
}
