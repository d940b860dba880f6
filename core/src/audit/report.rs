//! The audit written out: CSV and JSON rows for a GIS, and one
//! self-contained HTML report (no script, no external resource; pictures
//! as data URIs; a Content-Security-Policy that allows only those and the
//! one inline style sheet, by its hash).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{rows, AuditRow, PhotoAudit, Status};
use crate::batch::csv_cell;
use crate::grade::base64;

/// How many rows have each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// Photos audited.
    pub photos: usize,
    /// Codes found in them.
    pub codes: usize,
    /// `ok` rows.
    pub ok: usize,
    /// `watch` rows.
    pub watch: usize,
    /// `replace` rows.
    pub replace: usize,
    /// `unreadable` rows (photos without a code read).
    pub unreadable: usize,
    /// `unknown` rows.
    pub unknown: usize,
    /// `bad_signature` rows.
    pub bad_signature: usize,
    /// `duplicate` rows.
    pub duplicate: usize,
}

impl Summary {
    /// Counts the photos' rows.
    pub fn of(photos: &[PhotoAudit]) -> Summary {
        let mut s = Summary {
            photos: photos.len(),
            codes: photos.iter().map(|p| p.codes.len()).sum(),
            ..Summary::default()
        };
        for r in rows(photos) {
            *s.count_mut(r.status) += 1;
        }
        s
    }

    fn count_mut(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Ok => &mut self.ok,
            Status::Watch => &mut self.watch,
            Status::Replace => &mut self.replace,
            Status::Unreadable => &mut self.unreadable,
            Status::Unknown => &mut self.unknown,
            Status::BadSignature => &mut self.bad_signature,
            Status::Duplicate => &mut self.duplicate,
        }
    }

    /// Rows that may be fraudulent stickers: `unknown` and `bad_signature`.
    pub fn suspect(&self) -> usize {
        self.unknown + self.bad_signature
    }

    /// Whether anything needs attention (any row neither `ok` nor `duplicate`).
    pub fn needs_attention(&self) -> bool {
        self.watch + self.replace + self.unreadable + self.suspect() > 0
    }
}

/// The CSV columns, in order.
const CSV_HEADER: &str =
    "file,id,status,grade,reason,letter,code,ec_used,ec_block,wrong_modules,signature,payload";

/// The rows as CSV (RFC 4180, CRLF line ends, a header), spreadsheet-safe
/// as the batch manifest: a cell a spreadsheet would take for a formula
/// gets a `'` in front. Empty cells where a value does not apply.
pub fn audit_csv(photos: &[PhotoAudit]) -> String {
    let mut out = format!("{CSV_HEADER}\r\n");
    let opt = |v: Option<String>| v.map_or(String::new(), |s| csv_cell(&s));
    for r in rows(photos) {
        let cells = [
            csv_cell(&r.file),
            opt(r.id.clone()),
            r.status.name().to_string(),
            opt(r.grade.map(|g| format!("{g:.1}"))),
            csv_cell(&r.reason),
            opt(r.letter.clone()),
            opt(r.code.map(|c| c.to_string())),
            opt(r.ec_used.map(|u| format!("{u:.3}"))),
            opt(r.ec_block.map(|b| b.to_string())),
            opt(r.wrong_modules.map(|w| w.to_string())),
            opt(r.signature.clone()),
            opt(r.payload.clone()),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The rows as a JSON array, one object per line, with the fields of
/// [`AuditRow`] (absent values `null`).
pub fn audit_json(photos: &[PhotoAudit]) -> String {
    let lines: Vec<String> = rows(photos)
        .iter()
        // Rows hold strings and numbers only: serialising cannot fail.
        .map(|r| serde_json::to_string(r).unwrap_or_else(|_| "null".into()))
        .collect();
    if lines.is_empty() {
        return "[]\n".into();
    }
    format!("[\n{}\n]\n", lines.join(",\n"))
}

pub(super) const STYLE: &str = "
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;background:#fafafa}
h1{font-size:1.5rem}.note{color:#555;max-width:60rem}
.summary{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0;padding:0}
.summary div{border-radius:.4rem;padding:.5rem .8rem;min-width:9rem;background:#fff;border:1px solid #ccc}
.summary dt{font-size:.85rem}.summary dd{margin:0;font-size:1.6rem;font-weight:bold}
.card{background:#fff;border:1px solid #ccc;border-left:.5rem solid #888;border-radius:.4rem;
margin:1rem 0;padding:.8rem;display:flex;gap:1rem;flex-wrap:wrap}
.card>div{flex:1;min-width:18rem}
.card h2{font-size:1rem;margin:0 0 .5rem;word-break:break-all}
.thumb{max-width:320px;height:auto;align-self:flex-start}
.code{display:flex;gap:.8rem;margin:.4rem 0;flex-wrap:wrap}.code img{image-rendering:pixelated}
.code p{margin:.2rem 0;max-width:40rem}.payload{font-family:monospace;word-break:break-all;color:#444}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;color:#fff;background:#888;font-size:.85rem}
.s-ok{border-left-color:#2a8a3e}.badge.s-ok{background:#2a8a3e}
.s-watch{border-left-color:#c78a00}.badge.s-watch{background:#a87400}
.s-replace{border-left-color:#d0451b}.badge.s-replace{background:#c0391b}
.s-unreadable{border-left-color:#666}.badge.s-unreadable{background:#555}
.s-unknown,.s-bad_signature,.s-suspect{border-left-color:#8b1a9b}
.badge.s-unknown,.badge.s-bad_signature{background:#8b1a9b}
.s-duplicate{border-left-color:#3a6ea5}.badge.s-duplicate{background:#3a6ea5}
";

/// Escapes text for HTML content and quoted attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {
                out.push_str("&#xFFFD;");
            }
            c => out.push(c),
        }
    }
    out
}

/// One self-contained HTML page: the summary counts, then a card per photo,
/// the most urgent first (then the lowest grade, then the file name).
pub fn report_html(photos: &[PhotoAudit], title: &str) -> String {
    let s = Summary::of(photos);
    let style_hash = base64(&Sha256::digest(STYLE.as_bytes()));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         img-src data:; style-src 'sha256-{style_hash}'; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>{STYLE}</style></head>\n<body>\n<h1>{t}</h1>\n",
        t = esc(title)
    );
    out += &format!(
        "<p class=\"note\">{} photos, {} codes read. Each code is matched to the manifest by its \
         exact payload. Grades from uncalibrated photos are indicative for contrast and \
         modulation; error correction used, damaged modules and the signature verdict are \
         exact. In each symbol picture: the module grid in blue, modules that read wrong in red, \
         modules of corrected codewords in orange, and under the symbol one bar per \
         error-correction block, in block order, red for the share of its budget used.</p>\n",
        s.photos, s.codes
    );
    out += &summary_html(&s);
    let mut order: Vec<&PhotoAudit> = photos.iter().collect();
    order.sort_by(|a, b| {
        let low = |p: &PhotoAudit| {
            p.codes
                .iter()
                .filter_map(|c| c.row.grade)
                .fold(5.0, f64::min)
        };
        a.worst()
            .urgency()
            .cmp(&b.worst().urgency())
            .then(low(a).total_cmp(&low(b)))
            .then(a.file.cmp(&b.file))
    });
    out += "<main>\n";
    for p in order {
        out += &card_html(p);
    }
    out += "</main>\n</body></html>\n";
    out
}

fn summary_html(s: &Summary) -> String {
    let items = [
        ("ok", "Fine", s.ok),
        ("watch", "To watch", s.watch),
        ("replace", "To replace", s.replace),
        ("unreadable", "Unreadable", s.unreadable),
        (
            "suspect",
            "Not in the manifest or badly signed: possible fraudulent sticker",
            s.suspect(),
        ),
        ("duplicate", "Duplicates", s.duplicate),
    ];
    let mut out = String::from("<dl class=\"summary\">\n");
    for (key, label, n) in items {
        out += &format!(
            "<div class=\"s-{key}\"><dt>{label}</dt><dd data-count=\"{key}\">{n}</dd></div>\n"
        );
    }
    out += &format!(
        "</dl>\n<p class=\"note\">Of the possible fraudulent stickers: <span data-count=\"unknown\">{}</span> \
         not in the manifest, <span data-count=\"bad_signature\">{}</span> badly signed.</p>\n",
        s.unknown, s.bad_signature
    );
    out
}

fn card_html(p: &PhotoAudit) -> String {
    let worst = p.worst();
    let mut out = format!(
        "<article class=\"card s-{w}\" data-status=\"{w}\">\n",
        w = worst.name()
    );
    if let Some(t) = &p.thumbnail {
        out += &format!(
            "<img class=\"thumb\" src=\"{}\" alt=\"photo {}\">\n",
            esc(t),
            esc(&p.file)
        );
    }
    out += &format!("<div><h2>{}</h2>\n", esc(&p.file));
    let rows = p.rows();
    for (i, r) in rows.iter().enumerate() {
        let picture = p.codes.get(i).and_then(|c| c.picture.as_deref());
        out += &code_html(r, picture);
    }
    out += "</div></article>\n";
    out
}

fn code_html(r: &AuditRow, picture: Option<&str>) -> String {
    let mut out = String::from("<div class=\"code\">");
    if let Some(src) = picture {
        out += &format!(
            "<img src=\"{}\" alt=\"symbol with its damage marked\">",
            esc(src)
        );
    }
    let id =
        r.id.as_deref()
            .map_or(String::new(), |id| format!(" <b>{}</b>", esc(id)));
    let grade = r
        .letter
        .as_deref()
        .map_or(String::new(), |l| format!(" grade <b>{}</b>", esc(l)));
    out += &format!(
        "<div><p><span class=\"badge s-{s}\">{s}</span>{id}{grade}</p><p>{}</p>",
        esc(&r.reason),
        s = r.status.name()
    );
    if let Some(payload) = &r.payload {
        out += &format!("<p class=\"payload\">{}</p>", esc(payload));
    }
    out += "</div></div>\n";
    out
}
