//! Symbols wrapped round a pole: a map from module coordinates to the image
//! for a label on a cylinder whose axis runs along one of the symbol's axes,
//! seen from in front, which one homography cannot follow past a quarter
//! turn (the edge columns shrink to the cosine of the half-angle, and the
//! top and bottom edges bow because the edges are farther from the camera).
//!
//! The model: a column at arc position `w` (modules) lies at angle
//! `phi = k (w - wc)` round the pole; seen from in front it is at
//! `wc + sin(phi) / k` across and `(1 - cos(phi)) / k` deeper than the
//! front line, and perspective shrinks it (and its height about the
//! symbol's middle row) by `1 / (1 + beta * depth)`. An affine map through
//! the three finder centres then takes those flattened coordinates to the
//! image. Curvature `k`, the front column `wc` and `beta` are searched,
//! judged by how well the timing patterns and then the whole module lattice
//! read; Reed-Solomon is the final judge, as for every other map.

use super::binarize::BitImage;
use super::sample::{fit_score, timing_limit, timing_wrong_coarse, ModuleMap};

/// A symbol on a cylinder (see the module documentation).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cylinder {
    /// `image = (a[0] u + a[1] v + a[2], a[3] u + a[4] v + a[5])` on the
    /// flattened coordinates.
    affine: [f64; 6],
    /// Whether the pole's axis runs along v (columns wrap round it).
    along_v: bool,
    /// Curvature in radians per module along the wrapped axis.
    k: f64,
    /// The wrapped coordinate facing the camera, and the axial coordinate
    /// the perspective shrinks towards (the symbol's middle).
    wc: f64,
    ac: f64,
    /// Perspective: the inverse of the camera's distance in modules.
    beta: f64,
}

impl Cylinder {
    /// Flattened coordinates of module point `(u, v)`.
    #[inline]
    fn flatten(&self, u: f64, v: f64) -> (f64, f64) {
        let (w, a) = if self.along_v { (u, v) } else { (v, u) };
        self.flat(self.across(w), a)
    }

    /// The flattened wrapped coordinate of wrapped coordinate `w`, and the
    /// perspective's scale there: all that needs the sine and cosine.
    #[inline]
    fn across(&self, w: f64) -> (f64, f64) {
        let phi = self.k * (w - self.wc);
        let (sin, cos) = phi.sin_cos();
        let s = 1.0 / (1.0 + self.beta * (1.0 - cos) / self.k);
        (self.wc + sin / self.k * s, s)
    }

    /// Flattened coordinates from [`Cylinder::across`] and the axial one.
    #[inline]
    fn flat(&self, (w, s): (f64, f64), a: f64) -> (f64, f64) {
        let a = self.ac + (a - self.ac) * s;
        if self.along_v {
            (w, a)
        } else {
            (a, w)
        }
    }

    /// The image point of flattened coordinates.
    #[inline]
    fn place(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let a = &self.affine;
        (a[0] * x + a[1] * y + a[2], a[3] * x + a[4] * y + a[5])
    }

    /// The map with these shape parameters whose affine part puts the three
    /// finder centres (module points (3.5, 3.5), (dim - 3.5, 3.5),
    /// (3.5, dim - 3.5)) exactly on `finders`; `None` when degenerate.
    fn through(
        finders: [(f64, f64); 3],
        dim: usize,
        along_v: bool,
        shape: Shape,
    ) -> Option<Cylinder> {
        let c = Cylinder::unplaced(dim, along_v, shape);
        let src = [(3.5, 3.5), (dim as f64 - 3.5, 3.5), (3.5, dim as f64 - 3.5)]
            .map(|(u, v)| c.flatten(u, v));
        c.placed(finders, src)
    }

    /// The cylinder of this shape before its affine part is fitted.
    fn unplaced(dim: usize, along_v: bool, shape: Shape) -> Cylinder {
        let d = dim as f64;
        Cylinder {
            affine: [1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
            along_v,
            k: shape.half_angle / (d / 2.0),
            wc: shape.front * d,
            ac: d / 2.0,
            beta: shape.half_angle / (d / 2.0) / shape.distance,
        }
    }

    /// The cylinder with the affine part that takes `src`, the flattened
    /// finder centres, onto `finders`; `None` when degenerate.
    fn placed(mut self, finders: [(f64, f64); 3], src: [(f64, f64); 3]) -> Option<Cylinder> {
        let (p, q) = (
            (src[1].0 - src[0].0, src[1].1 - src[0].1),
            (src[2].0 - src[0].0, src[2].1 - src[0].1),
        );
        let det = p.0 * q.1 - q.0 * p.1;
        if det.abs() < 1e-9 {
            return None;
        }
        let (i, j) = (
            (finders[1].0 - finders[0].0, finders[1].1 - finders[0].1),
            (finders[2].0 - finders[0].0, finders[2].1 - finders[0].1),
        );
        // L [p q] = [i j], so L = [i j] [p q]^-1.
        let inv = [q.1 / det, -q.0 / det, -p.1 / det, p.0 / det];
        let l = [
            i.0 * inv[0] + j.0 * inv[2],
            i.0 * inv[1] + j.0 * inv[3],
            i.1 * inv[0] + j.1 * inv[2],
            i.1 * inv[1] + j.1 * inv[3],
        ];
        let t = (
            finders[0].0 - l[0] * src[0].0 - l[1] * src[0].1,
            finders[0].1 - l[2] * src[0].0 - l[3] * src[0].1,
        );
        self.affine = [l[0], l[1], t.0, l[2], l[3], t.1];
        Some(self)
    }

    /// The map moved by `(du, dv)` flattened units (modules at the front).
    pub(crate) fn nudged(&self, du: f64, dv: f64) -> Cylinder {
        let a = &self.affine;
        let mut c = *self;
        c.affine[2] += a[0] * du + a[1] * dv;
        c.affine[5] += a[3] * du + a[4] * dv;
        c
    }
}

impl Shape {
    /// The shape the first search tries at a half-angle: front column
    /// centred, middle distance.
    fn first(half_angle: f64) -> Shape {
        Shape {
            half_angle,
            front: 0.5,
            distance: DISTANCES[1],
        }
    }
}

impl ModuleMap for Cylinder {
    #[inline]
    fn map(&self, u: f64, v: f64) -> (f64, f64) {
        self.place(self.flatten(u, v))
    }
}

/// A [`Cylinder`] that works out the sine and cosine of each module
/// centre's wrapped coordinate once: every map of the timing patterns, the
/// lattice fit and the sampling asks for module centres, many in one
/// column (along the pole), and the sine and cosine were most of the
/// wrapped pass's arithmetic. Maps exactly as the cylinder does.
pub(crate) struct Columns {
    cylinder: Cylinder,
    /// [`Cylinder::across`] at wrapped coordinate `i + 0.5`, once asked.
    memo: Vec<std::cell::Cell<Option<(f64, f64)>>>,
}

impl Columns {
    pub(crate) fn new(cylinder: Cylinder, dim: usize) -> Columns {
        Columns {
            cylinder,
            memo: vec![std::cell::Cell::new(None); dim],
        }
    }
}

impl ModuleMap for Columns {
    #[inline]
    fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let c = &self.cylinder;
        let (w, a) = if c.along_v { (u, v) } else { (v, u) };
        c.place(c.flat(c.across_memo(&self.memo, w), a))
    }
}

impl Cylinder {
    /// [`Cylinder::across`], from `memo` (slot `i` for wrapped coordinate
    /// `i + 0.5`) at module centres, worked out and kept there once asked.
    #[inline]
    fn across_memo(&self, memo: &[std::cell::Cell<Option<(f64, f64)>>], w: f64) -> (f64, f64) {
        // Module centres only (`as` saturates: negative and NaN give 0,
        // which the equality then rejects unless `w` is 0.5).
        let i = (w - 0.5) as usize;
        match memo.get(i).filter(|_| i as f64 + 0.5 == w) {
            Some(slot) => slot.get().unwrap_or_else(|| {
                let x = self.across(w);
                slot.set(Some(x));
                x
            }),
            None => self.across(w),
        }
    }
}

/// [`Cylinder::across`] at module centres for the shapes of the first
/// search, by dimension and half-angle, each worked out once asked: those
/// depend on neither the finders nor the axis, so both axes and all the
/// triples of one image share them (their sines and cosines were most of a
/// frame's wrapped pass).
#[derive(Default)]
pub(crate) struct Tables {
    /// Indexed by `dim * HALF_ANGLES.len() + half-angle index`.
    slots: Vec<Option<Memo>>,
}

/// [`Cylinder::across`] at wrapped coordinate `i + 0.5`, once asked.
type Memo = Box<[std::cell::Cell<Option<(f64, f64)>>]>;

impl Tables {
    /// The memo of `dim` and `HALF_ANGLES[angle]`.
    fn get(&mut self, dim: usize, angle: usize) -> &[std::cell::Cell<Option<(f64, f64)>>] {
        let i = dim * HALF_ANGLES.len() + angle;
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        self.slots[i].get_or_insert_with(|| vec![std::cell::Cell::new(None); dim].into())
    }
}

/// A first-search cylinder whose module centres come through its
/// [`Tables`] memo: maps exactly as the cylinder does.
struct Tabled<'a> {
    cylinder: Cylinder,
    memo: &'a [std::cell::Cell<Option<(f64, f64)>>],
}

impl<'a> Tabled<'a> {
    /// The first-search shape at `HALF_ANGLES[angle]` through `finders`;
    /// `None` when degenerate.
    fn through(
        finders: [(f64, f64); 3],
        dim: usize,
        along_v: bool,
        angle: usize,
        memo: &'a [std::cell::Cell<Option<(f64, f64)>>],
    ) -> Option<Tabled<'a>> {
        let c = Cylinder::unplaced(dim, along_v, Shape::first(HALF_ANGLES[angle]));
        let (near, far) = (3.5, dim as f64 - 3.5);
        // The finder centres: module centres 3 and dim - 4 along the wrap.
        let src = if along_v {
            [(near, near), (far, near), (near, far)]
        } else {
            [(near, near), (near, far), (far, near)]
        }
        .map(|(w, a)| c.flat(c.across_memo(memo, w), a));
        let cylinder = c.placed(finders, src)?;
        Some(Tabled { cylinder, memo })
    }
}

impl ModuleMap for Tabled<'_> {
    #[inline]
    fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let c = &self.cylinder;
        let (w, a) = if c.along_v { (u, v) } else { (v, u) };
        c.place(c.flat(c.across_memo(self.memo, w), a))
    }
}

/// Steps per module of the walks along and across the timing pattern.
const TIMING_STEPS: usize = 8;

/// Axial coordinates of the walks along the timing pattern, the first
/// whose runs match taken: its middle, then a quarter and a half module
/// either side, where a map a little off in the bow crosses it.
const TIMING_LINES: [f64; 5] = [6.5, 6.25, 6.75, 6.0, 7.0];

impl Columns {
    /// The columns of `cylinder` corrected by what the timing pattern that
    /// crosses the wrap shows; `None` when no walk along it (from inside
    /// one finder's ring to inside the other's) shows the `dim` - 12
    /// alternating runs, dark first and last. It changes colour at every
    /// module boundary however narrow the modules, so those boundaries give
    /// each column's place, and each of its dark modules, walked across,
    /// how far the row bows there (assumed the same below the middle row).
    /// A strong wrap's edge columns sit where the model puts them only
    /// within a hundredth of a radian of the true half-angle, and the
    /// finder centres that pin the model are off by a pixel there.
    ///
    /// With `cores`, the edge columns are placed too, by where the two
    /// finders along the wrap show their dark cores (see [`core_edges`]):
    /// past the timing pattern the model's spacing alone, from finder
    /// centres that a squeeze puts a pixel or two off, can leave both edges
    /// half a module out. `None` then when neither core is found.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub(crate) fn measured(
        img: &BitImage,
        cylinder: Cylinder,
        dim: usize,
        cores: bool,
    ) -> Option<Columns> {
        let d = dim as f64;
        // The walks follow the finders' ring rows where those are found: a
        // finder centre off by a pixel tilts the whole row.
        let ring = |w: f64| dark_row(img, &cylinder, w).map_or(0.0, |a| a - 6.5);
        let (s0, s1) = (ring(3.5), ring(d - 3.5));
        let slope = (s1 - s0) / (d - 7.0);
        let tilts: &[(f64, f64)] = if (s0, s1) == (0.0, 0.0) {
            &[(0.0, 0.0)]
        } else {
            &[(s0, slope), (0.0, 0.0)]
        };
        let mut knots = None;
        for &(base, slope) in tilts {
            for a in TIMING_LINES {
                if knots.is_none() {
                    knots = timing_knots(img, &cylinder, dim, (a + base, slope));
                }
            }
        }
        // True wrapped coordinates and the map's: the timing pattern's
        // boundaries 7 to `dim` - 7, with `cores` the finders' core edges
        // (2 and 5 modules in from either edge) too.
        let timing = knots?;
        let core = |w: f64| {
            if cores {
                core_edges(img, &cylinder, w)
            } else {
                None
            }
        };
        let (left, right) = (core(3.5), core(d - 3.5));
        if cores && left.is_none() && right.is_none() {
            return None;
        }
        let mut knots: Vec<(f64, f64)> = Vec::with_capacity(timing.len() + 4);
        if let Some((lo, hi)) = left {
            knots.push((2.0, lo));
            knots.push((5.0, hi));
        }
        for (i, &k) in timing.iter().enumerate() {
            knots.push((7.0 + i as f64, k));
        }
        if let Some((lo, hi)) = right {
            knots.push((d - 5.0, lo));
            knots.push((d - 2.0, hi));
        }
        let mut previous = f64::NEG_INFINITY;
        for &(_, k) in &knots {
            if k <= previous {
                return None;
            }
            previous = k;
        }
        // The bow at the finders' ring rows beside it and its dark modules:
        // the model's axial distance from the middle row per true one.
        let middle = d / 2.0;
        let mut bow: Vec<(f64, f64)> = Vec::new();
        let mut centres = vec![3.5];
        let mut c = 8;
        while c + 8 < dim {
            centres.push(c as f64 + 0.5);
            c += 2;
        }
        centres.push(d - 3.5);
        for w in centres {
            if let Some(a) = dark_row(img, &cylinder, warp(&knots, w)) {
                bow.push((w, (a - middle) / (6.5 - middle)));
            }
        }
        let columns = Columns::new(cylinder, dim);
        for (i, slot) in columns.memo.iter().enumerate() {
            let w = i as f64 + 0.5;
            let (x, scale) = cylinder.across(warp(&knots, w));
            slot.set(Some((x, scale * bow_at(&bow, w))));
        }
        Some(columns)
    }
}

/// The map's wrapped coordinate for true wrapped coordinate `w`, from
/// `(true, map)` pairs in increasing order (see [`Columns::measured`]):
/// between them linearly, beyond them the map's own spacing.
fn warp(knots: &[(f64, f64)], w: f64) -> f64 {
    piecewise(knots, w, 1.0).unwrap_or(w)
}

/// The piecewise-linear function through `points` (in increasing x) at
/// `x`; past either end the end's value plus `beyond` per unit of x.
/// `None` without points.
fn piecewise(points: &[(f64, f64)], x: f64, beyond: f64) -> Option<f64> {
    let mut previous: Option<(f64, f64)> = None;
    for &(px, py) in points {
        if x <= px {
            return Some(match previous {
                Some((qx, qy)) => qy + (py - qy) * (x - qx) / (px - qx),
                None => py + beyond * (x - px),
            });
        }
        previous = Some((px, py));
    }
    previous.map(|(px, py)| py + beyond * (x - px))
}

/// The map's wrapped coordinates of the two edges of the dark core of the
/// finder centred at the map's wrapped coordinate `centre` (true 2 and 5
/// modules in from the symbol's edge on its row 3.5), walked out from the
/// centre 8 steps a module until two steps read light; `None` when the
/// centre reads light, an edge is not within 2.5 modules, or the core is
/// not 1.5 to 4.5 wide. The core's edges border the finder's inner light
/// ring, which holds where the outer ring of an edge finder is lost.
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn core_edges(img: &BitImage, cylinder: &Cylinder, centre: f64) -> Option<(f64, f64)> {
    let step = 1.0 / TIMING_STEPS as f64;
    if !dark_at(img, cylinder, centre, 3.5)? {
        return None;
    }
    let edge = |sign: f64| {
        let light =
            |i: usize| dark_at(img, cylinder, centre + sign * i as f64 * step, 3.5).map(|d| !d);
        for i in 1..=(5 * TIMING_STEPS / 2) {
            if light(i)? && light(i + 1)? {
                return Some(centre + sign * (i as f64 - 0.5) * step);
            }
        }
        None
    };
    let (lo, hi) = (edge(-1.0)?, edge(1.0)?);
    (1.5..=4.5).contains(&(hi - lo)).then_some((lo, hi))
}

/// The bow's correction at true wrapped coordinate `w` from `(w, ratio)`
/// measurements in increasing `w`: linear between them, the nearest one
/// beyond them, none (1) without any.
fn bow_at(bow: &[(f64, f64)], w: f64) -> f64 {
    piecewise(bow, w, 0.0).unwrap_or(1.0)
}

/// The map's wrapped coordinates of the timing pattern's `dim` - 13 module
/// boundaries (with its separators), walking the line at axial coordinate
/// `base + slope (w - 3.5)`; `None` unless the walk shows exactly that many.
fn timing_knots(
    img: &BitImage,
    cylinder: &Cylinder,
    dim: usize,
    (base, slope): (f64, f64),
) -> Option<Vec<f64>> {
    let d = dim as f64;
    let (start, end) = (4.0, d - 4.0);
    let steps = ((end - start) * TIMING_STEPS as f64) as usize;
    let step = 1.0 / TIMING_STEPS as f64;
    let mut dark: Vec<bool> = Vec::with_capacity(steps + 1);
    for i in 0..=steps {
        let w = start + i as f64 * step;
        dark.push(dark_at(img, cylinder, w, base + slope * (w - 3.5))?);
    }
    // A lone sample between two of the other colour is noise.
    for i in 1..dark.len().saturating_sub(1) {
        if dark[i - 1] == dark[i + 1] && dark[i] != dark[i - 1] {
            dark[i] = dark[i - 1];
        }
    }
    if !dark.first().copied().unwrap_or(false) || !dark.last().copied().unwrap_or(false) {
        return None;
    }
    let mut knots = Vec::with_capacity(dim - 13);
    for i in 1..dark.len() {
        if dark[i] != dark[i - 1] {
            knots.push(start + (i as f64 - 0.5) * step);
        }
    }
    (knots.len() == dim - 13).then_some(knots)
}

/// Whether the map's point at wrapped coordinate `w` and axial `a` reads
/// dark; `None` off the image. Out of line in WebAssembly (each inlined
/// map is its own copy of the model).
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn dark_at(img: &BitImage, cylinder: &Cylinder, w: f64, a: f64) -> Option<bool> {
    let (u, v) = if cylinder.along_v { (w, a) } else { (a, w) };
    let (x, y) = cylinder.map(u, v);
    let inside = x >= 0.0 && y >= 0.0 && x < img.width as f64 && y < img.height as f64;
    inside.then(|| super::sample::point_dark(img, x, y).0)
}

/// The map's axial coordinate of the middle of the dark row-6 module at
/// the map's wrapped coordinate `w` (a timing module, or a finder's ring
/// row): walked across from row 5 to row 8, the dark run of about a module
/// nearest 6.5; `None` when there is none.
fn dark_row(img: &BitImage, cylinder: &Cylinder, w: f64) -> Option<f64> {
    let step = 1.0 / TIMING_STEPS as f64;
    let mut entered: Option<f64> = None;
    let mut best: Option<f64> = None;
    let mut previous = None;
    for i in 0..=(4 * TIMING_STEPS) {
        let a = 4.5 + i as f64 * step;
        let dark = dark_at(img, cylinder, w, a)?;
        match (previous, dark) {
            (Some(false), true) => entered = Some(a),
            (Some(true), false) => {
                if let Some(e) = entered.take() {
                    let middle = (e + a - step) / 2.0;
                    let near = (middle - 6.5).abs() <= 1.0 && (a - e - 1.0).abs() <= 0.6;
                    if near && best.is_none_or(|b| (middle - 6.5).abs() < (b - 6.5).abs()) {
                        best = Some(middle);
                    }
                }
            }
            _ => {}
        }
        previous = Some(dark);
    }
    best
}

/// The module size along the line from finder centre `from` towards `to`
/// (inside the symbol): from the centre to the far side of the dark ring is
/// 3.5 modules whatever the wrap squeezes across it, so along the pole's
/// axis this is the module the wrap leaves alone. Walked in half-pixel
/// steps; `None` when the centre reads light or the line leaves the image
/// before three runs end.
fn module_towards(img: &BitImage, from: (f64, f64), to: (f64, f64)) -> Option<f64> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    // A square root, not `hypot`: the WebAssembly build has no libm to spare.
    let len = (dx * dx + dy * dy).sqrt();
    if len < 8.0 {
        return None;
    }
    let (sx, sy) = (dx / len * 0.5, dy / len * 0.5);
    let dark_at = |i: usize| {
        let (x, y) = (from.0 + sx * i as f64, from.1 + sy * i as f64);
        img.get_i(x.floor() as i64, y.floor() as i64)
    };
    let mut colour = dark_at(0);
    if !colour {
        return None;
    }
    let mut ended = 0;
    // Half the leg: past it the walk is in the other finder's half.
    for i in 1..=(len as usize) {
        let dark = dark_at(i);
        if dark != colour {
            ended += 1;
            colour = dark;
            if ended == 3 {
                return Some(i as f64 * 0.5 / 3.5);
            }
        }
    }
    None
}

/// Symbol dimensions from each leg of a triple (finder centres top-left,
/// top-right, bottom-left) with the modules measured along it, the leg to
/// the top-right first: the leg along the pole's axis keeps its modules'
/// width, so one of the two is near right even when the wrap squeezes the
/// finders' module estimate far from it (a version 7 symbol wrapped 124
/// degrees round a pole then guesses 61 modules, not 45).
pub(crate) fn leg_dimensions(img: &BitImage, finders: [(f64, f64); 3]) -> Vec<usize> {
    let start = finders[0];
    let mut dims = Vec::new();
    for end in [finders[1], finders[2]] {
        let (Some(a), Some(b)) = (
            module_towards(img, start, end),
            module_towards(img, end, start),
        ) else {
            continue;
        };
        let (dx, dy) = (end.0 - start.0, end.1 - start.1);
        let raw = (dx * dx + dy * dy).sqrt() / ((a + b) / 2.0) + 7.0;
        // The nearest 17 + 4 v (`round` would pull in libm in WebAssembly).
        let snapped = ((raw - 17.0) / 4.0 + 0.5).floor() * 4.0 + 17.0;
        if (21.0..=177.0).contains(&snapped) {
            dims.push(snapped as usize);
        }
    }
    dims
}

/// The searched parameters: half the angle the symbol wraps (radians), the
/// front column as a fraction of the symbol's width, and the camera's
/// distance in radii of the pole.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Shape {
    half_angle: f64,
    front: f64,
    distance: f64,
}

/// Half-angles tried in the first search: below 0.3 rad a homography (with
/// its nudges and refinement) follows the bend; past 1.5 rad the edge
/// modules are a tenth of the centre's width.
const HALF_ANGLES: [f64; 13] = [
    0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5,
];

/// Camera distances (in radii) tried when refining: a phone a hand's
/// breadth from a lamp post is 3-8 radii away.
const DISTANCES: [f64; 4] = [3.0, 4.5, 7.0, 1e9];

/// Front columns tried when refining, as fractions of the symbol's width.
const FRONTS: [f64; 5] = [0.5, 0.42, 0.58, 0.34, 0.66];

/// The cheap gate: a triple whose best shape in the first search reads
/// more than this share of the timing modules wrong gets no further work.
/// Wrapped and blurred symbols of the distortion corpora that read here
/// read at most 14.6 % wrong (most under 3 %); two thirds of the unreadable
/// samples' triples that pass the flat-symbol limit (a quarter) read 16.7 %
/// or more.
pub(crate) const MAX_WRONG_TIMING: f64 = 0.15;

/// The gate for a triple centred on its finders' dark cores (see
/// `centre::core_centre`): the edge columns of a strong wrap are 1.5 px
/// or less, so even the right shape, before it is refined, reads about a
/// sixth of their timing modules wrong. Few triples get this far, so the
/// looser gate costs little (+0.2 % on code-free camera frames); 0.15 read
/// 18 poles fewer on our corpora, 0.25 none more.
pub(crate) const MAX_WRONG_TIMING_CORES: f64 = 0.22;

/// Shapes of the first (timing) search, best first, ranked again by
/// lattice fit.
const FIT_RANKED: usize = 12;

/// Shapes from the first (timing) search refined by lattice fit: this many
/// best by timing, and this many best by fit among [`FIT_RANKED`].
const REFINED_SHAPES: usize = 3;

/// Cylinder maps worth decoding for a triple with finder centres `finders`
/// (top-left, top-right, bottom-left) at one of `dims`, best first, at most
/// `max`; none when the best shape reads more than `max_wrong` of the
/// timing modules wrong (see [`MAX_WRONG_TIMING`]). The first search ranks
/// axis, dimension and half-angle by the timing patterns (front column
/// centred, middle distance) and drops shapes past [`timing_limit`]; the
/// best by timing are ranked again, and the best few refined over front
/// column and distance, by
/// [`fit_score`], the sum of every third module's distance from the
/// threshold, which sees the bow of the rows that the timing patterns,
/// beside the finders, barely do.
pub(crate) fn maps(
    img: &BitImage,
    finders: [(f64, f64); 3],
    dims: &[usize],
    (max, max_wrong): (usize, f64),
    tables: &mut Tables,
) -> Vec<Fitted> {
    // Most triples (texture) fail the gate: a first pass with the count
    // capped at the gate stops at the first shape that passes it, and reads
    // less of each timing pattern than the full count would.
    if first_search(img, finders, dims, Some(max_wrong), tables).is_empty() {
        return Vec::new();
    }
    let mut first = first_search(img, finders, dims, None, tables);
    first.sort_by(|a, b| a.0.total_cmp(&b.0));
    if first.first().is_none_or(|f| f.0 > max_wrong) {
        return Vec::new();
    }
    // Short timing patterns (a version 1 symbol has 5 modules in each) read
    // right under many shapes: the best few by timing are refined, and so
    // are the best few by lattice fit among the best by timing.
    // Best fit first, ties in the order by timing: the fit's complement,
    // then the index in `first`.
    let mut by_fit: Vec<(u64, usize)> = first
        .iter()
        .take(FIT_RANKED)
        .enumerate()
        .filter_map(|(i, &(_, along_v, dim, angle))| {
            let c = Tabled::through(finders, dim, along_v, angle, tables.get(dim, angle))?;
            Some((!fit_score(img, &c, dim), i))
        })
        .collect();
    by_fit.sort_unstable();
    let mut chosen: Vec<(bool, usize, f64)> = Vec::new();
    let shape = |i: usize| {
        let (_, along_v, dim, angle) = first[i];
        (along_v, dim, HALF_ANGLES[angle])
    };
    for shape in (0..first.len().min(REFINED_SHAPES))
        .chain(by_fit.iter().take(REFINED_SHAPES).map(|f| f.1))
        .map(shape)
    {
        if !chosen.contains(&shape) {
            chosen.push(shape);
        }
    }
    let refined: Vec<(u64, Fitted)> = chosen
        .into_iter()
        .filter_map(|(along_v, dim, half_angle)| {
            let (score, map, shape) = refine(
                img,
                finders,
                (dim, along_v),
                Shape::first(half_angle),
                false,
            )?;
            Some((
                score,
                Fitted {
                    map,
                    dim,
                    along_v,
                    shape,
                },
            ))
        })
        .collect();
    best_first(refined, max)
}

/// A cylinder map [`maps`] fitted, its dimension, and the axis and shape
/// it was fitted with (for [`refined_further`]).
#[derive(Clone, Copy)]
pub(crate) struct Fitted {
    pub(crate) map: Cylinder,
    pub(crate) dim: usize,
    along_v: bool,
    shape: Shape,
}

/// The maps of [`maps`] refined further (see [`refine`]), best fit first;
/// those the further rounds left as they were are left out.
pub(crate) fn refined_further(
    img: &BitImage,
    finders: [(f64, f64); 3],
    fitted: &[Fitted],
) -> Vec<Fitted> {
    let refined: Vec<(u64, Fitted)> = fitted
        .iter()
        .filter_map(|f| {
            let (score, map, shape) = refine(img, finders, (f.dim, f.along_v), f.shape, true)?;
            (shape != f.shape).then_some((score, Fitted { map, shape, ..*f }))
        })
        .collect();
    best_first(refined, fitted.len())
}

/// The best `max` of `(score, map)` pairs, best score first, ties in the
/// order given.
fn best_first(refined: Vec<(u64, Fitted)>, max: usize) -> Vec<Fitted> {
    let mut order: Vec<(u64, usize)> = refined.iter().enumerate().map(|(i, r)| (!r.0, i)).collect();
    order.sort_unstable();
    order
        .into_iter()
        .take(max)
        .map(|(_, i)| refined[i].1)
        .collect()
}

/// The first (timing) search: (share of timing modules wrong, axis,
/// dimension, index into [`HALF_ANGLES`]) of each shape within
/// [`timing_limit`]. As a `gate` (a share such as [`MAX_WRONG_TIMING`]),
/// only shapes within it, and only the first one found.
fn first_search(
    img: &BitImage,
    finders: [(f64, f64); 3],
    dims: &[usize],
    gate: Option<f64>,
    tables: &mut Tables,
) -> Vec<(f64, bool, usize, usize)> {
    let mut first = Vec::new();
    for &dim in dims {
        let total = 2 * (dim - 16);
        let mut limit = timing_limit(dim);
        if let Some(gate) = gate {
            while limit > 0 && limit as f64 / total as f64 > gate {
                limit -= 1;
            }
        }
        for along_v in [true, false] {
            for angle in 0..HALF_ANGLES.len() {
                let across = tables.get(dim, angle);
                let Some(c) = Tabled::through(finders, dim, along_v, angle, across) else {
                    continue;
                };
                let wrong = timing_wrong_coarse(img, &c, dim, limit);
                let share = wrong as f64 / total as f64;
                if wrong <= limit && gate.is_none_or(|g| share <= g) {
                    first.push((share, along_v, dim, angle));
                    if gate.is_some() {
                        return first;
                    }
                }
            }
        }
    }
    first
}

/// Refines one shape from the timing search by [`fit_score`]: coordinate
/// ascent over the front column, the camera's distance, then the half-angle.
/// The first round (`further` false) tries [`DISTANCES`] and moves of half a
/// step of the first search; further rounds, from its result, try
/// [`FURTHER_DISTANCES`] and [`FURTHER_STEPS`]. The best map, its score and
/// its shape; `None` when every map was degenerate.
fn refine(
    img: &BitImage,
    finders: [(f64, f64); 3],
    (dim, along_v): (usize, bool),
    mut shape: Shape,
    further: bool,
) -> Option<(u64, Cylinder, Shape)> {
    let mut best: Option<(u64, Cylinder)> = None;
    let mut consider = |candidate: Shape, shape: &mut Shape| {
        if let Some(c) = Cylinder::through(finders, dim, along_v, candidate) {
            let score = fit_score(img, &Columns::new(c, dim), dim);
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, c));
                *shape = candidate;
            }
        }
    };
    let (rounds, distances, steps): (usize, &[f64], &[f64]) = if further {
        (FURTHER_ROUNDS, &FURTHER_DISTANCES, &FURTHER_STEPS)
    } else {
        (1, &DISTANCES, &[-0.05, 0.05])
    };
    for _ in 0..rounds {
        for front in FRONTS {
            consider(Shape { front, ..shape }, &mut shape);
        }
        for &distance in distances {
            consider(Shape { distance, ..shape }, &mut shape);
        }
        let start = shape.half_angle;
        for da in steps {
            let half_angle = start + da;
            consider(
                Shape {
                    half_angle,
                    ..shape
                },
                &mut shape,
            );
        }
    }
    best.map(|(score, c)| (score, c, shape))
}

/// Rounds of [`refine`]'s further ascent: strong wraps seen from a step
/// back (9-12 radii) are left a little off by the first round, whose front
/// and distance were fitted to a half-angle up to 0.1 rad short. A third
/// round read nothing more on our corpora.
const FURTHER_ROUNDS: usize = 2;

/// Camera distances (in radii) of [`refine`]'s further rounds: a thin post
/// seen from a step back is 10-15 radii away.
const FURTHER_DISTANCES: [f64; 6] = [3.0, 4.5, 7.0, 10.0, 15.0, 1e9];

/// Half-angle moves of [`refine`]'s further rounds, about each round's
/// start: a strong wrap's edge columns (1.5 px) read right only within a
/// few hundredths of a radian of its half-angle.
const FURTHER_STEPS: [f64; 4] = [-0.05, 0.05, -0.1, 0.1];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_shape_is_the_affine_map_through_the_finders() {
        let finders = [(40.0, 40.0), (220.0, 50.0), (30.0, 220.0)];
        let shape = Shape {
            half_angle: 1e-6,
            front: 0.5,
            distance: 1e9,
        };
        let c = Cylinder::through(finders, 25, true, shape).expect("a map");
        for (i, (u, v)) in [(3.5, 3.5), (21.5, 3.5), (3.5, 21.5)]
            .into_iter()
            .enumerate()
        {
            let (x, y) = c.map(u, v);
            assert!((x - finders[i].0).abs() < 1e-6 && (y - finders[i].1).abs() < 1e-6);
        }
        // Affine: the fourth corner completes the parallelogram.
        let (x, y) = c.map(21.5, 21.5);
        assert!(
            (x - 210.0).abs() < 1e-3 && (y - 230.0).abs() < 1e-3,
            "({x}, {y})"
        );
    }

    #[test]
    fn a_wrapped_symbol_narrows_its_edge_columns_and_bows_its_rows() {
        let finders = [(40.0, 40.0), (200.0, 40.0), (40.0, 200.0)];
        let shape = Shape {
            half_angle: 1.2,
            front: 0.5,
            distance: 4.0,
        };
        let c = Cylinder::through(finders, 25, true, shape).expect("a map");
        let width = |u: f64| c.map(u + 1.0, 12.5).0 - c.map(u, 12.5).0;
        // Edge columns are about cos(1.2) of the centre's width (less the
        // extra distance).
        assert!(
            width(0.0) < 0.45 * width(12.0),
            "{} vs {}",
            width(0.0),
            width(12.0)
        );
        // The top row sits higher in the middle than at the edges.
        assert!(c.map(12.5, 0.0).1 < c.map(0.0, 0.0).1 - 1.0);
        // Transposed, rows wrap instead.
        let t = Cylinder::through(finders, 25, false, shape).expect("a map");
        let height = |v: f64| t.map(12.5, v + 1.0).1 - t.map(12.5, v).1;
        assert!(height(0.0) < 0.45 * height(12.0));
    }

    /// The map [`wrapped`] draws a `dim`-module symbol through, before any
    /// turn: upright, 6 px a module at the front, seen from 4 radii.
    fn drawn_map(dim: usize, half_angle: f64) -> Cylinder {
        let shape = Shape {
            half_angle,
            front: 0.5,
            distance: 4.0,
        };
        Cylinder {
            affine: [6.0, 0.0, 60.0, 0.0, 6.0, 40.0],
            ..Cylinder::through([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)], dim, true, shape)
                .expect("a map")
        }
    }

    /// A symbol of `version` wrapped 2 x `half_angle` rad round a pole, 6 px
    /// modules at the front, seen from 4 radii, on a dark surround: the flattened
    /// coordinates are inverted column by column (they depend on the wrapped
    /// coordinate alone, which they follow monotonically).
    fn wrapped(text: &str, version: u8, half_angle: f64, turn: f64) -> (Vec<u8>, usize, usize) {
        let code = crate::encode_text(
            text,
            &crate::EncodeOptions::default()
                .version(crate::Version::new(version).expect("a version"))
                .ec_level(crate::EcLevel::M),
        )
        .expect("fits");
        let dim = 17 + 4 * usize::from(version);
        let d = dim as f64;
        let c = drawn_map(dim, half_angle);
        let (w, h) = ((dim + 20) * 6, (dim + 15) * 6);
        // The visible half of the pole: wrapped coordinates within a
        // quarter turn of the front.
        let reach = std::f64::consts::FRAC_PI_2 / c.k;
        let (turn_cos, turn_sin) = (turn.cos(), turn.sin());
        let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
        let mut px = vec![70u8; w * h];
        for (i, out) in px.iter_mut().enumerate() {
            // The picture turned by `turn` about its middle.
            let (dx, dy) = ((i % w) as f64 + 0.5 - cx, (i / w) as f64 + 0.5 - cy);
            let fx = (cx + turn_cos * dx + turn_sin * dy - 60.0) / 6.0;
            let fy = (cy - turn_sin * dx + turn_cos * dy - 40.0) / 6.0;
            let (mut lo, mut hi) = (c.wc - reach, c.wc + reach);
            if fx <= c.flatten(lo, 0.0).0 || fx >= c.flatten(hi, 0.0).0 {
                continue;
            }
            for _ in 0..40 {
                let mid = (lo + hi) / 2.0;
                if c.flatten(mid, 0.0).0 < fx {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let u = lo;
            // The axial coordinate is scaled about the middle row.
            let (_, top) = c.flatten(u, 0.0);
            let (_, bottom) = c.flatten(u, d);
            let v = (fy - top) / (bottom - top) * d;
            let (mx, my) = (u.floor(), v.floor());
            let inside = (0.0..d).contains(&mx) && (0.0..d).contains(&my);
            let dark = inside && code.get(mx as usize, my as usize);
            if (-4.0..d + 4.0).contains(&v) {
                *out = if dark { 30 } else { 225 };
            }
        }
        (px, w, h)
    }

    /// Asserts that `text`, wrapped as [`wrapped`] makes it, reads back alone.
    fn reads_back(text: &str, version: u8, half_angle: f64, turn: f64) {
        let (px, w, h) = wrapped(text, version, half_angle, turn);
        let found = crate::decode(
            crate::ImageRef::luma(&px, w, h),
            &crate::DecodeOptions::default(),
        )
        .expect("decodes");
        assert_eq!(found.len(), 1, "v{version} at {half_angle}: {found:?}");
        assert_eq!(found[0].text(), Some(text));
    }

    #[test]
    fn reads_a_symbol_wrapped_round_a_pole() {
        // 130 and 150 degrees of the pole: the edge columns a quarter of
        // the front's width at the wider wrap.
        for half_angle in [1.15, 1.3] {
            reads_back("https://example.org/s/42", 2, half_angle, 0.0);
        }
    }

    #[test]
    fn reads_a_larger_symbol_whose_wrap_misleads_the_finders_size() {
        // Version 7 wrapped 126 degrees and turned 35 degrees: the finders'
        // module sizes mix squeezed and full widths, and their estimate of
        // the dimension misses by more than two versions; the leg along the
        // pole measures it.
        let text = "https://paiement.example.org/horodateur/zm2nmg-banc-0042";
        reads_back(text, 7, 1.1, 0.6);
    }

    /// Largest distance across the wrap (px, along x with the pole upright)
    /// over the timing row's module centres between `map` and `truth`.
    fn row_error(map: &impl ModuleMap, truth: &Cylinder, dim: usize) -> f64 {
        (7..dim - 7)
            .map(|i| (map.map(i as f64 + 0.5, 6.5).0 - truth.map(i as f64 + 0.5, 6.5).0).abs())
            .fold(0.0, f64::max)
    }

    /// A version 4 symbol wrapped 2 x 1.3 rad seen from 4 radii, drawn 6 px
    /// a module at the front: its local threshold's bits, the true map, the
    /// true finder centres and the size.
    fn wrapped_v4() -> (BitImage, Cylinder, [(f64, f64); 3], usize) {
        let (version, half_angle) = (4, 1.3);
        let (px, w, h) = wrapped("https://ex.org/s/1", version, half_angle, 0.0);
        let dim = 17 + 4 * usize::from(version);
        let d = dim as f64;
        let truth = drawn_map(dim, half_angle);
        let centres = [(3.5, 3.5), (d - 3.5, 3.5), (3.5, d - 3.5)].map(|(u, v)| truth.map(u, v));
        let img = super::super::binarize::local(&super::super::image::Gray {
            width: w,
            height: h,
            data: std::sync::Arc::new(px),
        });
        (img, truth, centres, dim)
    }

    #[test]
    fn measured_columns_follow_the_timing_pattern_where_the_model_is_off() {
        // A model at 1.2 rad through the true finder centres puts columns
        // near the edge (1.6 px wide) over a pixel off across the wrap;
        // walked along the timing pattern, each falls within 0.4 px (the
        // picture's edges are whole pixels).
        let (img, truth, centres, dim) = wrapped_v4();
        let off = Shape {
            half_angle: 1.2,
            front: 0.5,
            distance: 4.0,
        };
        let model = Cylinder::through(centres, dim, true, off).expect("a map");
        let plain = row_error(&Columns::new(model, dim), &truth, dim);
        let measured =
            Columns::measured(&img, model, dim, false).expect("the timing pattern's runs");
        let corrected = row_error(&measured, &truth, dim);
        assert!(plain > 1.0 && corrected < 0.4, "{plain} -> {corrected}");
    }

    #[test]
    fn finder_cores_place_the_edge_columns_where_the_finder_centres_are_off() {
        // The model has the true shape but goes through finder centres each
        // 1.5 px further out across the wrap, as a squeezed finder's centre
        // is measured. The timing pattern puts its columns right; the
        // finders' columns, past it, stay 1.4 px off until their cores
        // place them, within 0.6 px (the picture's edges are whole pixels).
        let (img, truth, mut centres, dim) = wrapped_v4();
        centres[0].0 -= 1.5;
        centres[1].0 += 1.5;
        centres[2].0 -= 1.5;
        let shape = Shape {
            half_angle: 1.3,
            front: 0.5,
            distance: 4.0,
        };
        let model = Cylinder::through(centres, dim, true, shape).expect("a map");
        // The worst column centre across the wrap among the finders' own.
        let edge_error = |map: &Columns| {
            (1..6)
                .chain(dim - 6..dim - 1)
                .map(|i| (map.map(i as f64 + 0.5, 3.5).0 - truth.map(i as f64 + 0.5, 3.5).0).abs())
                .fold(0.0, f64::max)
        };
        let timing = Columns::measured(&img, model, dim, false).expect("the timing pattern's runs");
        let cores = Columns::measured(&img, model, dim, true).expect("both finders' cores");
        let (before, after) = (edge_error(&timing), edge_error(&cores));
        assert!(before > 1.0 && after < 0.6, "{before} -> {after}");
    }

    #[test]
    fn reads_a_wrapped_symbol_whose_finders_pin_the_map_off() {
        // 143 degrees of the pole, turned 52 degrees: the squeezed finders'
        // centres put every fitted map a fraction of a module off; one moved
        // a quarter module reads.
        reads_back("https://ex.org/s/42", 2, 1.25, 0.9);
    }
}
