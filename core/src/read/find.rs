//! Finder-pattern detection (ISO/IEC 18004 6.3.3): rows are scanned as runs
//! for dark-light-dark-light-dark in 1:1:3:1:1, each hit is confirmed across
//! the column and both diagonals through its centre, and hits on neighbouring
//! rows are merged into one finder with a sub-pixel centre.

use super::binarize::BitImage;
use super::locate::STRONG_ROWS;

/// A confirmed finder pattern.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Finder {
    pub(crate) x: f32,
    pub(crate) y: f32,
    /// Estimated module size in pixels, from the runs along the row and
    /// the column (right for finders near upright).
    pub(crate) module: f32,
    /// The same from the runs along the diagonals (right for finders near
    /// 45 degrees); see [`Finder::modules`] for the choice.
    pub(crate) diagonal: f32,
    /// Rows on which it was found (more = more certain).
    pub(crate) count: u32,
}

/// The runs of a finder crossing if they look like 1:1:3:1:1 (see
/// [`ratio_ok`]). With `merged_edge`, one outer dark run may also run on
/// into a dark surround: a finder at the edge of a label wrapped round a
/// pole has its quiet zone foreshortened to nothing, and the pole behind
/// reads dark. That run is then replaced by the module size of the rest.
#[inline(always)]
fn pattern(runs: &[u32; 5], merged_edge: bool) -> Option<[u32; 5]> {
    if ratio_ok(runs) {
        return Some(*runs);
    }
    if !merged_edge {
        return None;
    }
    for side in [0, 4] {
        let inner: u32 = runs.iter().sum::<u32>() - runs[side];
        let m = inner / 6;
        if m >= 1 && runs[side] > m {
            let mut clipped = *runs;
            clipped[side] = m;
            if ratio_ok(&clipped) {
                return Some(clipped);
            }
        }
    }
    None
}

/// The runs of a finder crossed across the wrap at the edge of a label round
/// a pole, if they look like one (see [`Class::Squeezed`]): the central run,
/// then on one side (towards the symbol's middle) a light and a dark run
/// each 0.6-2.5 times a third of it and none longer than it; the other side
/// (towards the edge, where the rings may be a pixel or less and blur into
/// the pole) is free but for its light run being no longer than the inner
/// one, or with `lost_ring` twice as long: a ring that thin often reads
/// light, and the light run then takes in the ring and the light module
/// inside it. That side's dark run is cut to the inner light run's length,
/// for the module estimate.
fn squeezed(r: &[u32; 5], lost_ring: bool) -> Option<[u32; 5]> {
    let third = r[2] as f32 / 3.0;
    let fits = |run: u32| (0.6 * third..=2.5 * third).contains(&(run as f32)) && run <= r[2];
    let edge_most = |inner: u32| if lost_ring { 2 * inner } else { inner };
    for (edge, edge_light, inner_light, inner_dark) in [(0, 1, 3, 4), (4, 3, 1, 0)] {
        if fits(r[inner_light]) && fits(r[inner_dark]) && r[edge_light] <= edge_most(r[inner_light])
        {
            let mut cut = *r;
            cut[edge] = r[edge].min(r[inner_light]);
            return Some(cut);
        }
    }
    None
}

/// [`pattern`], or with `squeeze` [`squeezed`] (given `lost_ring`) when
/// that fails (then with `true`). Out of line in WebAssembly (one copy for
/// the row hits and the confirmations), inlined elsewhere (a call per
/// window and walk costs 4 % of a code-free frame).
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn accept(
    runs: &[u32; 5],
    merged_edge: bool,
    squeeze: bool,
    lost_ring: bool,
) -> Option<([u32; 5], bool)> {
    match pattern(runs, merged_edge) {
        Some(r) => Some((r, false)),
        None if squeeze => squeezed(runs, lost_ring).map(|r| (r, true)),
        None => None,
    }
}

/// Whether five run lengths look like 1:1:3:1:1. Bars and spaces may differ
/// (blur and ink spread thicken dark runs), so the tolerance is generous:
/// each outer run within 0.7 m + 0.5 px of the module m = total / 7, the
/// centre within 2.4 times that of 3 m. In integers (scaled by 70 and 175):
/// this runs on every window of five runs of every scanned row.
#[inline(always)]
fn ratio_ok(runs: &[u32; 5]) -> bool {
    // The centre must be the widest run: the cheapest test, first.
    if runs[2] < runs[0].max(runs[4]) {
        return false;
    }
    let total: i64 = runs.iter().map(|&r| i64::from(r)).sum();
    if total < 7 {
        return false;
    }
    // |r - T/7| < 0.7 T/7 + 0.5  <=>  |70 r - 10 T| < 7 T + 35.
    let outer = |r: u32| (70 * i64::from(r) - 10 * total).abs() < 7 * total + 35;
    // |r - 3 T/7| < 2.4 (0.7 T/7 + 0.5)  <=>  |175 r - 75 T| < 42 T + 210.
    outer(runs[0])
        && outer(runs[1])
        && outer(runs[3])
        && outer(runs[4])
        && (175 * i64::from(runs[2]) - 75 * total).abs() < 42 * total + 210
}

/// Measures the five runs through `(cx, cy)` along direction `(dx, dy)`,
/// starting inside the central dark run; `None` if the pattern breaks or a run
/// exceeds `max_run`. Returns the runs and the offset (in steps) of the centre
/// of the central run from the start point.
pub(crate) fn runs_along(
    img: &BitImage,
    cx: i64,
    cy: i64,
    dx: i64,
    dy: i64,
    max_run: u32,
) -> Option<([u32; 5], f32)> {
    runs_clipped(img, (cx, cy), (dx, dy), (max_run, u32::MAX), false, false).map(|(r, c, _)| (r, c))
}

/// The longest any run but the centre can be in a window that passes
/// [`ratio_ok`], given the centre's length: each other run is under
/// 1.7 m + 0.5 px (m the module) and the centre over 1.32 m - 1.2 px, which
/// in integers is 2310 r < 2975 centre + 4725.
fn ratio_cap(centre: u32) -> u32 {
    let cap = (2975 * u64::from(centre) + 4724) / 2310;
    u32::try_from(cap).unwrap_or(u32::MAX)
}

/// One walk of [`confirm`] as [`runs_clipped`] returns it with its outer
/// runs clipped; `None` when the pattern breaks whatever the class.
type Walk = Option<([u32; 5], f32, bool)>;

/// [`runs_along`], where with `clip_outer` an outer dark run longer than
/// `max_run` ends there instead of failing: a run merged into a dark
/// surround (see [`pattern`]) is cut to the module size anyway, and walking
/// it to its end could cross the whole image. The flag returned says that
/// an outer dark run was clipped (without `clip_outer` the walk failed).
/// The central run's two halves together may be at most `centre_cap` long.
fn runs_clipped(
    img: &BitImage,
    (cx, cy): (i64, i64),
    (dx, dy): (i64, i64),
    (max_run, centre_cap): (u32, u32),
    clip_outer: bool,
    capped: bool,
) -> Walk {
    if !in_bounds(img, cx, cy) || !img.get(cx as usize, cy as usize) {
        return None;
    }
    let (w, h) = (img.width as i64, img.height as i64);
    // Steps that stay on the image from the start, backwards (sign -1) or
    // forwards (+1): runs end at the border, which reads as neither colour.
    // Walking by index within that room replaces two bounds checks a pixel.
    let room = |sign: i64| {
        let along = |c: i64, d: i64, n: i64| match (d * sign).signum() {
            1 => n - 1 - c,
            -1 => c,
            _ => i64::MAX,
        };
        along(cx, dx, w).min(along(cy, dy, h))
    };
    let step = dy * w + dx;
    let start = cy * w + cx;
    // The length of the run of colour `dark` from step `from` on (steps
    // `from..=last` one way), walking at most `cap + 1` pixels: every caller
    // only needs to know that a run is longer than `cap`.
    let run = |from: i64, last: i64, sign: i64, dark: bool, cap: u32| {
        run_length(
            &img.data,
            start + sign * from * step,
            sign * step,
            (last - from + 1).min(i64::from(cap) + 1),
            dark,
        )
    };
    // The central dark run first, both ways: when the runs are `capped`
    // (only a window passing [`ratio_ok`] is wanted), it bounds the others
    // (see [`ratio_cap`]), and a walk along texture stops there.
    let (last_back, last_fwd) = (room(-1), room(1));
    let centre_back = run(0, last_back, -1, true, max_run);
    if centre_back > max_run {
        return None;
    }
    let fwd_cap = max_run.min(centre_cap.saturating_sub(centre_back));
    let centre_fwd = run(1, last_fwd, 1, true, fwd_cap);
    if centre_fwd > fwd_cap {
        return None;
    }
    let cap = if capped {
        max_run.min(ratio_cap(centre_back + centre_fwd))
    } else {
        max_run
    };
    // Then light and dark each way. An outer dark run merged into a dark
    // surround (`clip_outer`) is cut just past `cap` instead of failing: any
    // length past the cap fails [`ratio_ok`] and is clipped by [`pattern`]
    // to a module (at most `cap`) alike, so walking on changes nothing.
    let walk = |k: i64, last: i64, sign: i64| {
        let light = run(k, last, sign, false, cap);
        if light == 0 || light > cap {
            return None;
        }
        let dark = run(k + i64::from(light), last, sign, true, cap);
        if dark == 0 || (dark > cap && !clip_outer) {
            return None;
        }
        Some((light, dark))
    };
    let clipped = |dark: u32| dark > cap;
    let (back_light, back_dark) = walk(i64::from(centre_back), last_back, -1)?;
    let (fwd_light, fwd_dark) = walk(1 + i64::from(centre_fwd), last_fwd, 1)?;
    let runs = [
        back_dark,
        back_light,
        centre_back + centre_fwd,
        fwd_light,
        fwd_dark,
    ];
    // Centre of the central run relative to the start point.
    // The run covers pixels start-back0+1 ..= start+fwd0, whose centre in
    // continuous coordinates (pixel i spans i..i+1) is this far from start:
    let centre = (centre_fwd as f32 - centre_back as f32) / 2.0 + 1.0;
    Some((runs, centre, clipped(back_dark) || clipped(fwd_dark)))
}

/// How many pixels of colour `dark` follow one another in `data` from
/// index `at` on, `step` apart, at most `most`: one walk of
/// [`runs_clipped`], whose loop every confirmation runs (the bounds check
/// stays as a guard; the caller's room keeps every index on the image).
#[inline(always)]
fn run_length(data: &[u8], mut at: i64, step: i64, most: i64, dark: bool) -> u32 {
    let mut n = 0;
    while n < most {
        match data.get(at as usize) {
            Some(&b) if (b != 0) == dark => {
                n += 1;
                at += step;
            }
            _ => break,
        }
    }
    n as u32
}

#[inline]
fn in_bounds(img: &BitImage, x: i64, y: i64) -> bool {
    x >= 0 && y >= 0 && (x as usize) < img.width && (y as usize) < img.height
}

/// The walks of one hit's [`confirm`] (column, row, the two diagonals),
/// each `None` until walked. Walked with outer runs clipped, they serve both
/// classes that start from a dark run: the merged-edge scan of the same
/// bits reuses the dark-on-light scan's walks of the hits both test.
#[derive(Clone, Copy, Default)]
pub(crate) struct Walks([Option<Walk>; 4]);

/// Whether the merged-edge scan reuses the dark-on-light scan's walks.
/// WebAssembly walks again instead: the same finders from less code.
const KEEP_WALKS: bool = cfg!(not(target_arch = "wasm32"));

/// Confirms a row hit at `(cx, y)` with horizontal total `htotal`: vertical,
/// re-centred horizontal and diagonal checks. Returns the refined centre and
/// the module size along rows and columns and along the diagonals. Walks
/// not yet in `walks` are made and kept there.
fn confirm(
    img: &BitImage,
    cx: f32,
    y: usize,
    htotal: u32,
    class: Class,
    walks: &mut Walks,
) -> Option<(f32, f32, f32, f32)> {
    let (merged_edge, squeeze) = (class.merges(), class.squeezes());
    let lost_ring = class.loses_rings();
    let rows = class.squeezes_rows();
    // No inner run of a pattern that passes the 3:1 squash check below is
    // longer; a merged outer run is clipped (see `runs_clipped`).
    let max_run = htotal.saturating_mul(2).max(8);
    // The column's central run of a pattern that passes the squash check
    // below is under (4.68 / 7) * 3 * htotal + 1.2 px (see `ratio_ok`):
    // within 0.3 % and 2 px of `max_run`. A walk along a grain line stops
    // there instead of at twice that.
    let column_cap = max_run + max_run / 256 + 2;
    // A clipped walk fails a dark-on-light finder, as an unclipped one would.
    let mut runs_along = |slot: usize, x: i64, y: i64, dx: i64, dy: i64| {
        let centre_cap = if slot == 0 { column_cap } else { u32::MAX };
        let walk = *walks.0[slot].get_or_insert_with(|| {
            runs_clipped(img, (x, y), (dx, dy), (max_run, centre_cap), true, true)
        });
        walk.filter(|w| merged_edge || !w.2).map(|(r, c, _)| (r, c))
    };
    let (column, voff) = runs_along(0, cx as i64, y as i64, 0, 1)?;
    let (vruns, squeezed_column) = accept(&column, merged_edge, squeeze, lost_ring)?;
    let vtotal: u32 = vruns.iter().sum();
    // Allow perspective squash up to about 3:1 between the two directions,
    // 4:1 for a column squeezed across a wrap, or either way when the rows
    // may be squeezed too.
    let row_squash = if rows { 4 } else { 3 };
    let column_squash = if squeezed_column { 4 } else { row_squash };
    if vtotal * column_squash < htotal || htotal * row_squash < vtotal {
        return None;
    }
    let cy = y as f32 + voff;
    let (hruns, hoff) = runs_along(1, cx as i64, cy as i64, 1, 0)?;
    let (hruns, _) = accept(&hruns, merged_edge, squeeze, lost_ring)?;
    // cx >= 0: truncation is floor, without a library call.
    let cx = (cx as u32) as f32 + hoff;
    let htotal: u32 = hruns.iter().sum();
    // One of the two diagonals must also show the pattern (rotated symbols
    // still do); this rejects most text and texture.
    let mut diagonal = |slot: usize, dy: i64| {
        runs_along(slot, cx as i64, cy as i64, 1, dy)
            .and_then(|(r, _)| accept(&r, merged_edge, squeeze, lost_ring))
            .map(|(r, _)| r.iter().sum::<u32>())
    };
    let diagonals = [diagonal(2, 1), diagonal(3, -1)];
    let (sum, crossed) = diagonals
        .iter()
        .flatten()
        .fold((0u32, 0u32), |(s, n), &t| (s + t, n + 1));
    if crossed == 0 {
        return None;
    }
    // A line through the centre of a square crosses it in its side length
    // only along the square's own axes, longer in any other direction. Rows
    // and columns follow the axes of an upright finder, diagonals those of
    // one turned 45 degrees (a diagonal step is sqrt 2 pixels): the shorter
    // estimate is the nearer one (at most 8 % long, at 22.5 degrees).
    let along_rows = (htotal + vtotal) as f32 / 14.0;
    let along_diagonals = sum as f32 * std::f32::consts::SQRT_2 / (7.0 * crossed as f32);
    Some((cx, cy, along_rows, along_diagonals))
}

/// Finds finder patterns in a binary image, the `max_finders` best confirmed;
/// `row_step` > 1 skips rows for speed.
#[cfg(test)]
pub(crate) fn find(img: &BitImage, row_step: usize, max_finders: usize) -> Vec<Finder> {
    let mut found = scan_rows(img, row_step, 0).finders(img, Class::Dark, max_finders);
    found.truncate(max_finders);
    found
}

/// Which finders a row hit may belong to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Class {
    /// Dark-on-light, 1:1:3:1:1.
    Dark,
    /// Light-on-dark: the same test from a light run; confirmed on the
    /// inverted image.
    Light,
    /// Dark-on-light with one outer ring allowed to merge into a dark
    /// surround (see [`pattern`]); plain ones included.
    Merged,
    /// [`Class::Merged`], and confirmed across too when squeezed there (see
    /// [`squeezed`]): a finder at the edge of a label wrapped far round a
    /// pole, or seen from close by, keeps its 1:1:3:1:1 along the pole only.
    Squeezed,
    /// [`Class::Squeezed`], the rows' windows allowed to be squeezed too: a
    /// pole at an angle to the rows squeezes what they cross. Its squeezed
    /// confirmations keep the edge ring (see [`Class::loses_rings`]).
    SqueezedRows,
    /// [`Class::SqueezedRows`] whose squeezed windows and confirmations may
    /// have lost the edge ring, as [`Class::Squeezed`]'s confirmations may.
    SqueezedRowsLost,
}

impl Class {
    /// Whether one outer ring may merge into a dark surround (see [`pattern`]).
    fn merges(self) -> bool {
        matches!(
            self,
            Class::Merged | Class::Squeezed | Class::SqueezedRows | Class::SqueezedRowsLost
        )
    }

    /// Whether the confirmations may be squeezed across (see [`squeezed`]).
    fn squeezes(self) -> bool {
        matches!(
            self,
            Class::Squeezed | Class::SqueezedRows | Class::SqueezedRowsLost
        )
    }

    /// Whether the rows' windows may be squeezed (see [`squeezed`]).
    fn squeezes_rows(self) -> bool {
        matches!(self, Class::SqueezedRows | Class::SqueezedRowsLost)
    }

    /// Whether a squeezed confirmation may have lost its edge ring to the
    /// light (see [`squeezed`]). With the rows squeezed too, only in a round
    /// of its own after the one without: that class admits many more
    /// windows, and with this allowance as well texture and the symbol's own
    /// modules make finders that push a pole's triple out of its round.
    fn loses_rings(self) -> bool {
        matches!(self, Class::Squeezed | Class::SqueezedRowsLost)
    }
}

/// A window of five runs on a scanned row that passed its class's ratio
/// test, not yet confirmed: the row, the centre of the central run and the
/// window's length (the merged ring cut to a module).
#[derive(Clone, Copy, Debug)]
struct Hit {
    /// Passed the plain test (see [`ratio_ok`]): a dark-on-light hit too.
    plain: bool,
    /// Passed without a lost edge ring: for [`Class::SqueezedRowsLost`], a
    /// hit [`Class::SqueezedRows`] walked too.
    kept: bool,
    y: u32,
    cx: f32,
    total: u32,
}

/// The runs of every scanned row of one binary image, worked out once for
/// all the scans of that image; each scan tests the windows of its own
/// class (see [`ScannedRows::finders`]), so a frame read by the first scan pays
/// for no other class's tests.
pub(crate) struct ScannedRows {
    /// Per scanned row: its y, whether its first run is dark, and where its
    /// runs end in `runs`.
    rows: Vec<(u32, bool, usize)>,
    /// The rows' runs as (start, length), row after row.
    runs: Vec<(u32, u32)>,
    /// The dark-on-light scan's walks, hit by hit, for the merged-edge scan
    /// of the same bits, or the merged-edge scan's for the squeezed-column
    /// one (see [`Walks`]).
    walks: Vec<Walks>,
    /// Windows of five runs shorter than this many pixels are no finder
    /// (see [`scan_rows`]); nor, in a rescan of every row (see
    /// [`scan_every_row`]), those longer than `max_total`.
    min_total: u32,
    max_total: u32,
}

/// The runs of every `row_step`-th row of `img`; the scans test only
/// windows of five runs at least `min_total` pixels long.
pub(crate) fn scan_rows(img: &BitImage, row_step: usize, min_total: u32) -> ScannedRows {
    let scanned = img.height.div_ceil(row_step.max(1));
    let mut scanned_rows = ScannedRows {
        rows: Vec::with_capacity(scanned),
        // A frame of texture has a run every few pixels: room for one per
        // eight saves most regrowing of a page-sized buffer.
        runs: super::scratch::runs(scanned * img.width / 8),
        walks: super::scratch::walks(0),
        min_total,
        max_total: u32::MAX,
    };
    // Run starts of the current row; each row writes the entries it uses.
    let mut starts: Vec<u32> = vec![0; img.width + 1];
    for y in (0..img.height).step_by(row_step.max(1)) {
        let row = img.row(y);
        let first_dark = row.first().is_some_and(|&b| b != 0);
        row_runs(row, &mut starts, &mut scanned_rows.runs);
        let end = scanned_rows.runs.len();
        // Rows are below the image's height, which is a u32 (see `Gray`).
        scanned_rows.rows.push((y as u32, first_dark, end));
    }
    scanned_rows
}

/// The runs of every row of `img`, for a rescan that tests only windows of
/// `min_total..=max_total` pixels.
pub(crate) fn scan_every_row(img: &BitImage, (min_total, max_total): (u32, u32)) -> ScannedRows {
    let mut rows = scan_rows(img, 1, min_total);
    rows.max_total = max_total;
    rows
}

// The buffers go back to the thread's pool (see `scratch`); WebAssembly keeps none.
#[cfg(not(target_arch = "wasm32"))]
impl Drop for ScannedRows {
    fn drop(&mut self) {
        super::scratch::keep_runs(std::mem::take(&mut self.runs));
        super::scratch::keep_walks(std::mem::take(&mut self.walks));
    }
}

impl ScannedRows {
    /// The windows of five runs that pass `class`'s test, in row order:
    /// dark-on-light and merged ones start at a dark run, light-on-dark
    /// ones at a light run (runs alternate from the row's first colour).
    fn hits(&self, class: Class) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut from = 0;
        let want_dark = class != Class::Light;
        let (rows, lost_ring) = (class.squeezes_rows(), class.loses_rings());
        for &(y, first_dark, end) in &self.rows {
            let runs = &self.runs[from..end];
            from = end;
            let first = usize::from(first_dark != want_dark);
            for w in runs.get(first..).unwrap_or(&[]).windows(5).step_by(2) {
                let r = [w[0].1, w[1].1, w[2].1, w[3].1, w[4].1];
                let sum: u32 = r.iter().sum();
                if sum < self.min_total || sum > self.max_total {
                    continue;
                }
                let plain = ratio_ok(&r);
                let (total, kept) = if plain {
                    (sum, true)
                } else if class.merges() {
                    match accept(&r, true, rows, lost_ring) {
                        Some((c, true)) if lost_ring => {
                            (c.iter().sum(), squeezed(&r, false).is_some())
                        }
                        Some((c, _)) => (c.iter().sum(), true),
                        None => continue,
                    }
                } else {
                    continue;
                };
                hits.push(Hit {
                    plain,
                    kept,
                    y,
                    cx: w[2].0 as f32 + w[2].1 as f32 / 2.0,
                    total,
                });
            }
        }
        hits
    }

    /// Confirms the hits of one class (see [`confirm`]) and merges those on
    /// neighbouring rows into finders, best confirmed first. For
    /// [`Class::Light`], `img` must be the inverted image. `max_finders` is
    /// what the caller will use of a frame of texture: see [`too_many`] for
    /// where the confirmation stops.
    ///
    /// `img` must be the image the rows were scanned from (inverted for
    /// light-on-dark): a merged-edge scan reuses the dark-on-light one's
    /// walks.
    pub(crate) fn finders(
        &mut self,
        img: &BitImage,
        class: Class,
        max_finders: usize,
    ) -> Vec<Finder> {
        let merged_edge = class.merges();
        let hits = self.hits(class);
        // The dark-on-light hits are the merged-edge scan's plain ones, in
        // the same order, and the merged-edge hits are the squeezed-column
        // scan's (see `search_wrapped`'s rounds): their walks are kept for
        // the next scan, and read in turn. A merged-edge scan keeps its own
        // only on rows no dark-on-light scan walked (the wrapped pass's
        // rescan; elsewhere nothing reads them). The hits of squeezed rows
        // with the edge ring kept are those with it lost that were `kept`.
        let keep = KEEP_WALKS
            && (class == Class::Dark
                || class == Class::Merged && self.walks.is_empty()
                || class == Class::SqueezedRows);
        // (The buffer is reused: a scan that keeps walks reads none.)
        let mut kept_walks = Vec::new();
        if keep {
            kept_walks = std::mem::take(&mut self.walks);
            kept_walks.clear();
            kept_walks.reserve(hits.len());
        }
        let mut kept = 0;
        let mut found: Vec<Finder> = Vec::new();
        // Indices (ascending) of the finders the scan may still reach: a
        // page of many symbols or a noisy frame holds hundreds, and each hit
        // is merged by looking only at these.
        let mut open: Vec<usize> = Vec::new();
        // Finders seen on fewer than STRONG_ROWS rows, and a lower bound on
        // when (the row) the first finder seen on one row expires (below).
        let mut weak = 0usize;
        let mut one_row_expiry = f32::INFINITY;
        let mut row = None;
        for hit in &hits {
            let y = hit.y as usize;
            if row != Some(y) {
                // Rows without hits change no finder: dropping the passed
                // ones here drops what a sweep per row would.
                open.retain(|&i| !passed(&found[i], y));
                row = Some(y);
            }
            let mut walks = Walks::default();
            let reuse = class == Class::Merged && hit.plain
                || class == Class::Squeezed
                || class == Class::SqueezedRowsLost && hit.kept;
            if reuse && KEEP_WALKS {
                walks = self.walks.get(kept).copied().unwrap_or_default();
                kept += 1;
            }
            let confirmed = confirm(img, hit.cx, y, hit.total, class, &mut walks);
            if keep {
                kept_walks.push(walks);
            }
            let Some((fx, fy, module, diagonal)) = confirmed else {
                continue;
            };
            let new = Finder {
                x: fx,
                y: fy,
                module,
                diagonal,
                count: 1,
            };
            let expires = new.y + new.module * 4.0;
            if let Some(merged) = merge(&mut found, &mut open, new) {
                if found[merged].count == STRONG_ROWS {
                    weak -= 1;
                }
                continue;
            }
            // Added: the limits below only change then.
            weak += 1;
            one_row_expiry = one_row_expiry.min(expires);
            // Texture and noise leave many one-row hits; those the scan has
            // passed can no longer gain a second row. The sweep runs only
            // when one of them has expired (the earliest expiry is tracked),
            // so that a frame of texture does not sweep every finder per
            // new finder.
            if found.len() > max_finders * 4 && one_row_expiry <= y as f32 {
                let before = found.len();
                found.retain(|f| f.count >= 2 || f.y + f.module * 4.0 > y as f32);
                weak -= before - found.len();
                open.clear();
                open.extend((0..found.len()).filter(|&i| !passed(&found[i], y)));
                one_row_expiry = found
                    .iter()
                    .filter(|f| f.count < 2)
                    .map(|f| f.y + f.module * 4.0)
                    .fold(f32::INFINITY, f32::min);
            }
            if found.len() > max_finders * 16 && too_many(weak, found.len(), img, max_finders) {
                break;
            }
        }
        if keep {
            self.walks = kept_walks;
        }
        // With merged edges a finder seen on one scanned row stays: across
        // the wrap an edge finder of a label round a pole is a few pixels high.
        found.retain(|f| f.count >= 2 || f.module < 2.0 || merged_edge);
        found.sort_by_key(|f| std::cmp::Reverse(f.count));
        found
    }
}

/// The runs of one row as (start, length), appended to `runs`; colours
/// alternate, the first is dark iff the row starts dark. `starts` is
/// scratch of `row.len() + 1` entries whose first is 0 (each row writes the
/// entries it uses after that).
fn row_runs(row: &[u8], starts: &mut [u32], runs: &mut Vec<(u32, u32)>) {
    // Run starts: eight pixels at a time, each byte of `a ^ b` marking a
    // colour change (pixels are 0 or 1, so each marked byte is 1 and
    // `d & (d - 1)` clears it). A branch per pixel would mispredict at
    // every edge and dominate the scan.
    let word = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&row[at..at + 8]);
        u64::from_le_bytes(b)
    };
    let mut k = 1;
    let mut x = 0;
    // First 64 pixels at a time, each word's eight marks packed into one
    // byte of a mask (the multiply gathers bit 0 of every byte into the top
    // byte): the loop over the changes then ends once per 64 pixels, not
    // once per 8, and each end is a likely misprediction. Native only: the
    // loop below gives the same starts, and WebAssembly pays in size.
    #[cfg(not(target_arch = "wasm32"))]
    while x + 65 <= row.len() {
        const PACK: u64 = 0x0102_0408_1020_4080;
        let mut mask = 0u64;
        for j in 0..8 {
            let d = word(x + 8 * j) ^ word(x + 8 * j + 1);
            mask |= (d.wrapping_mul(PACK) >> 56) << (8 * j);
        }
        while mask != 0 {
            starts[k] = (x + mask.trailing_zeros() as usize + 1) as u32;
            k += 1;
            mask &= mask - 1;
        }
        x += 64;
    }
    while x + 9 <= row.len() {
        let mut d = word(x) ^ word(x + 1);
        while d != 0 {
            starts[k] = (x + d.trailing_zeros() as usize / 8 + 1) as u32;
            k += 1;
            d &= d - 1;
        }
        x += 8;
    }
    while x + 1 < row.len() {
        if row[x] != row[x + 1] {
            starts[k] = x as u32 + 1;
            k += 1;
        }
        x += 1;
    }
    // Starts are below the image's width, which is a u32 (see `Gray`).
    starts[k] = row.len() as u32;
    runs.extend(starts[..=k].windows(2).map(|w| (w[0], w[1] - w[0])));
}

/// Whether the finder scan should stop, keeping the work per image bounded:
/// more than `16 * max_finders` finders seen on fewer than [`STRONG_ROWS`]
/// rows (texture or noise), or more finders than the image has room for
/// real ones (one per [`PIXELS_PER_FINDER`]; a page of finder-like squares).
/// A page of many symbols has many well-confirmed finders and goes on.
fn too_many(weak: usize, found: usize, img: &BitImage, max_finders: usize) -> bool {
    weak > max_finders * 16 || found > (img.width * img.height) / PIXELS_PER_FINDER
}

/// Image area per finder above which the scan stops: a symbol's three
/// finders with 2 px modules need 7x7 modules each and the symbol at least
/// 21x21, over 3,500 px per finder; a quarter of that leaves a margin.
const PIXELS_PER_FINDER: usize = 900;

impl Finder {
    /// Module sizes of three finders of one symbol, measured the same way:
    /// along the diagonals when those are clearly shorter (a symbol turned
    /// near 45 degrees), else along rows and columns. A line through the
    /// centre of a square crosses it in its side length only along the
    /// square's own axes and is longer in any other direction, so the
    /// shorter measure is the nearer one (at most 8 % long, at 22.5
    /// degrees). One measure for all three keeps their ratios, which give
    /// the perspective, consistent.
    pub(crate) fn modules(f: [&Finder; 3]) -> [f32; 3] {
        let rows: f32 = f.iter().map(|g| g.module).sum();
        let diagonals: f32 = f.iter().map(|g| g.diagonal).sum();
        if diagonals < rows {
            f.map(|g| g.diagonal)
        } else {
            f.map(|g| g.module)
        }
    }
}

/// Whether no hit on row `y` or below can merge with `g`: a row hit lies
/// within half its central run (under 2.4 of its modules plus 0.6 px, its
/// modules at most 2x + 2 px of `g`'s) of its centre, which must be within
/// 1.5 of `g`'s modules of `g`'s centre.
fn passed(g: &Finder, y: usize) -> bool {
    y as f32 > g.y + 8.0 * g.module.max(1.5) + 6.0
}

/// Adds a row hit to the finder it belongs to (the first in `found` order
/// among the `open` ones; returns its index), or as a new finder (`None`).
fn merge(found: &mut Vec<Finder>, open: &mut Vec<usize>, f: Finder) -> Option<usize> {
    for &i in open.iter() {
        let g = &mut found[i];
        let close = (g.x - f.x).abs() <= g.module.max(1.5) * 1.5
            && (g.y - f.y).abs() <= g.module.max(1.5) * 1.5;
        let similar = (g.module - f.module).abs() <= g.module.max(f.module) * 0.5 + 1.0;
        if close && similar {
            let n = g.count as f32;
            g.x = (g.x * n + f.x) / (n + 1.0);
            g.y = (g.y * n + f.y) / (n + 1.0);
            g.module = (g.module * n + f.module) / (n + 1.0);
            g.diagonal = (g.diagonal * n + f.diagonal) / (n + 1.0);
            g.count += 1;
            return Some(i);
        }
    }
    open.push(found.len());
    found.push(f);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw_finder(img: &mut BitImage, x0: usize, y0: usize, m: usize) {
        for dy in 0..7 * m {
            for dx in 0..7 * m {
                let (mx, my) = ((dx / m) as i32 - 3, (dy / m) as i32 - 3);
                let ring = mx.abs().max(my.abs());
                img.data[(y0 + dy) * img.width + x0 + dx] = u8::from(ring != 2);
            }
        }
    }

    #[test]
    fn finds_three_finders_with_accurate_centres() {
        let mut img = BitImage {
            width: 200,
            height: 200,
            data: vec![0; 200 * 200],
            levels: None,
            inverted: false,
        };
        draw_finder(&mut img, 20, 20, 4);
        draw_finder(&mut img, 140, 20, 4);
        draw_finder(&mut img, 20, 140, 4);
        let f = find(&img, 1, 16);
        assert_eq!(f.len(), 3, "{f:?}");
        for (ex, ey) in [(34.0, 34.0), (154.0, 34.0), (34.0, 154.0)] {
            let hit = f.iter().any(|g| {
                (g.x - ex).abs() < 1.0 && (g.y - ey).abs() < 1.0 && (g.module - 4.0).abs() < 0.6
            });
            assert!(hit, "no finder at ({ex}, {ey}): {f:?}");
        }
    }

    #[test]
    fn integer_ratio_test_agrees_with_the_tolerances_in_modules() {
        // The tolerances as stated, in floating point, over every window of
        // runs up to 14 px.
        let by_module = |r: &[u32; 5]| {
            let total: u32 = r.iter().sum();
            let m = total as f64 / 7.0;
            let tol = m * 0.7 + 0.5;
            total >= 7
                && [0, 1, 3, 4].iter().all(|&i| (r[i] as f64 - m).abs() < tol)
                && (r[2] as f64 - 3.0 * m).abs() < 2.4 * tol
                && r[2] >= r[0].max(r[4])
        };
        let mut r = [0u32; 5];
        for n in 0..15u32.pow(5) {
            let mut k = n;
            for v in r.iter_mut() {
                *v = k % 15;
                k /= 15;
            }
            assert_eq!(ratio_ok(&r), by_module(&r), "{r:?}");
            // The walk's early stop never rejects a window that passes.
            if ratio_ok(&r) {
                let cap = ratio_cap(r[2]);
                assert!([0, 1, 3, 4].iter().all(|&i| r[i] <= cap), "{r:?}");
            }
        }
    }

    #[test]
    fn row_runs_match_a_pixel_by_pixel_walk() {
        // Rows of every length up to 200 (the word loops and the tail), of
        // random runs from 1 to 9 pixels and of single-pixel noise.
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            seed >> 16
        };
        for len in 1..200usize {
            for noisy in [false, true] {
                let mut row = Vec::with_capacity(len);
                let mut dark = next() % 2;
                while row.len() < len {
                    let run = if noisy { 1 } else { 1 + next() as usize % 9 };
                    row.extend(std::iter::repeat_n(dark as u8, run.min(len - row.len())));
                    dark = if noisy { next() % 2 } else { 1 - dark };
                }
                let mut expected = Vec::new();
                let mut start = 0;
                for x in 1..=len {
                    if x == len || row[x] != row[start] {
                        expected.push((start as u32, (x - start) as u32));
                        start = x;
                    }
                }
                let (mut starts, mut runs) = (vec![0u32; len + 1], Vec::new());
                row_runs(&row, &mut starts, &mut runs);
                assert_eq!(runs, expected, "{row:?}");
            }
        }
    }

    #[test]
    fn a_finder_squeezed_across_a_wrap_passes_only_the_squeezed_test() {
        // A column across the edge finder of a pole label with 8 px modules
        // at the front: the pole's dark, one light pixel where the edge
        // side's rings blurred together, the centre, the inner rings.
        let across = [20, 1, 15, 10, 9];
        assert!(pattern(&across, true).is_none());
        assert_eq!(squeezed(&across, false), Some([10, 1, 15, 10, 9]));
        // The same read from the other side.
        assert_eq!(
            squeezed(&[9, 10, 15, 1, 20], false),
            Some([9, 10, 15, 1, 10])
        );
        // Texture: inner rings as wide as the centre and wider, or an edge
        // light run wider than the inner one.
        assert!(squeezed(&[20, 1, 15, 16, 9], false).is_none());
        assert!(squeezed(&[20, 11, 15, 10, 9], false).is_none());
        // The edge ring read light: its light run takes in the ring and the
        // light module inside it, up to twice the inner light run.
        assert_eq!(
            squeezed(&[20, 18, 15, 10, 9], true),
            Some([10, 18, 15, 10, 9])
        );
        assert!(squeezed(&[20, 21, 15, 10, 9], true).is_none());
    }

    #[test]
    fn plain_stripes_are_not_finders() {
        // Vertical bars 1:1:3:1:1 match along rows but not along columns.
        let mut img = BitImage {
            width: 100,
            height: 100,
            data: vec![0; 100 * 100],
            levels: None,
            inverted: false,
        };
        for y in 0..100 {
            for x in 0..100 {
                let u = (x / 4) % 9;
                img.data[y * 100 + x] = u8::from(matches!(u, 0 | 2 | 3 | 4 | 6));
            }
        }
        assert!(find(&img, 1, 16).is_empty());
    }
}
