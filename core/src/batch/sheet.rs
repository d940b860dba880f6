//! A print-ready PDF sheet: symbols of one physical size in a grid on A4 or
//! A3, each with a caption of up to three lines and cut marks at the corners.

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
}

impl Paper {
    /// `a4` or `a3`.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A3 => "a3",
        }
    }

    /// Width and height in millimetres, portrait.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
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
            _ => Err(format!(
                "{:?} is not a4 or a3",
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

/// Page margin, gap around each symbol inside its cell, caption font size.
const MARGIN_MM: f64 = 10.0;
const GAP_MM: f64 = 4.0;
const FONT_PT: f32 = 7.0;
const LEADING_MM: f64 = 3.0;
const CAPTION_LINES: usize = 3;
const PT_PER_MM: f64 = 72.0 / 25.4;

const CATALOG: Ref = Ref::new(1);
const PAGES: Ref = Ref::new(2);
const FONT: Ref = Ref::new(3);
const INFO: Ref = Ref::new(4);
const FIRST_PAGE: i32 = 5;

/// Lays `items` out in a grid on as many pages of `paper` as needed. Each
/// symbol is `size_mm` wide including a `quiet_zone` of light modules (drawn
/// white, so the sheet may be printed on coloured stock); the caption, in
/// Helvetica 7 pt, sits under it; cut marks cross the cell corners.
///
/// # Errors
///
/// [`BatchError::SheetTooSmall`] when one cell does not fit on the paper.
pub fn sheet_pdf(
    items: &[SheetItem<'_>],
    paper: Paper,
    size_mm: f64,
    quiet_zone: u32,
) -> Result<Vec<u8>, BatchError> {
    let (pw, ph) = paper.size_mm();
    let cell_w = size_mm + 2.0 * GAP_MM;
    let cell_h = size_mm + 2.0 * GAP_MM + CAPTION_LINES as f64 * LEADING_MM;
    let cols = ((pw - 2.0 * MARGIN_MM) / cell_w).floor();
    let rows = ((ph - 2.0 * MARGIN_MM) / cell_h).floor();
    if !(size_mm.is_finite() && size_mm > 0.0 && cols >= 1.0 && rows >= 1.0) {
        return Err(BatchError::SheetTooSmall { size_mm, paper });
    }
    let (cols, rows) = (cols as usize, rows as usize);
    let per_page = cols * rows;
    let pages = items.len().div_ceil(per_page).max(1);
    let pt = |mm: f64| (mm * PT_PER_MM) as f32;
    // Centre the grid on the page.
    let x0 = (pw - cols as f64 * cell_w) / 2.0;
    let top = ph - (ph - rows as f64 * cell_h) / 2.0;

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

    for (p, &page_id) in page_ids.iter().enumerate() {
        let content_id = Ref::new(page_id.get() + 1);
        let mut c = Content::new();
        let start = p * per_page;
        let end = (start + per_page).min(items.len());
        for (k, item) in items[start..end].iter().enumerate() {
            let (col, row) = (k % cols, k / cols);
            let cx = x0 + col as f64 * cell_w;
            let cy = top - (row + 1) as f64 * cell_h; // bottom of the cell
            let sx = cx + GAP_MM;
            let sy = cy + GAP_MM + CAPTION_LINES as f64 * LEADING_MM; // bottom of the symbol
            draw_symbol(&mut c, item.code, pt(sx), pt(sy), pt(size_mm), quiet_zone);
            // Caption, top line first, cut to the cell width.
            let max_chars = ((cell_w - 2.0) * PT_PER_MM / (0.55 * f64::from(FONT_PT))) as usize;
            c.set_fill_gray(0.0);
            for (i, line) in item.caption.iter().take(CAPTION_LINES).enumerate() {
                let y = sy - (i + 1) as f64 * LEADING_MM + 0.6;
                c.begin_text();
                c.set_font(Name(b"F1"), FONT_PT);
                c.next_line(pt(sx), pt(y));
                c.show(Str(&win_ansi(line, max_chars)));
                c.end_text();
            }
            cut_marks(&mut c, pt(cx), pt(cy), pt(cell_w), pt(cell_h));
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
    Ok(pdf.finish())
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

/// `s` in WinAnsiEncoding for the standard Helvetica font: ASCII and
/// Latin-1 kept, other characters as `?`, line breaks as spaces, cut to
/// `max` characters with an ellipsis.
fn win_ansi(s: &str, max: usize) -> Vec<u8> {
    let mut out: Vec<u8> = s
        .chars()
        .map(|c| match c as u32 {
            0x20..=0x7e | 0xa0..=0xff => c as u32 as u8,
            0x0a | 0x0d | 0x09 => b' ',
            _ => b'?',
        })
        .collect();
    if out.len() > max && max > 3 {
        out.truncate(max - 3);
        out.extend_from_slice(b"...");
    }
    out
}
