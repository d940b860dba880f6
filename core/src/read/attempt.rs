//! One finder triple's attempts: the sampling hypotheses tried for it (the
//! located transforms, nudges, alignment-pattern fits, every-format decodes,
//! the wrapped-symbol model), and the per-image budget that bounds them.

use super::piecewise::Placement;
use super::search::SMALL_RETRY_MODULE;
use super::{binarize, centre, cylinder, find, locate, piecewise, sample, version, DecodeOptions};
use crate::decode::format::{format_candidates, format_settled};
use crate::decode::grid::ModuleGrid;
use crate::decode::qr::{decode_grid, decode_grid_any_format};
use crate::decode::result::SymbolContent;
use crate::decode::{Decoded, Point};
use crate::symbol::{Symbology, Version};

/// Tries one finder triple: its located transforms first, then (within the
/// effort and budget left) the rescues; the symbol read, if any.
pub(super) fn decode_triple(
    bits: &binarize::BitImage,
    finders: &[find::Finder],
    t: &locate::Triple,
    inverted: bool,
    options: &DecodeOptions,
    effort: &mut Effort,
    budget: &mut Budget,
) -> Option<Decoded> {
    // Triples with a finder seen on one or two rows only (noise and
    // texture leave hundreds) get the cheap tries: no warped-symbol fit
    // (and, in `locate::transforms`, no transform whose coarse timing is
    // hopeless).
    let mut weak_effort = Effort {
        warped_fits: 0,
        ..*effort
    };
    // A symbol that an earlier pass (other binarizer, enlargement) already
    // tried with every rescue gets the direct tries and one nudged map (the
    // best fit of the half-module nudges): a damaged symbol nobody can read
    // otherwise costs the full search in each of the four passes.
    // So does a triple tried only for the region it may leave (`late`).
    let repeat = budget.late || budget.rescued_before(finders, t, options.try_harder);
    let mut repeat_effort = Effort::none();
    let effort = if repeat {
        &mut repeat_effort
    } else if t.weak {
        &mut weak_effort
    } else {
        budget.remember(finders, t);
        budget.note_region(finders, t, true);
        budget.note_sharpen(bits, finders, t);
        effort
    };
    let mut alignments = None;
    let mut direct = Effort {
        any_format: 0,
        failed_fits: 0,
        ..*effort
    };
    // Grids that sat right but failed Reed-Solomon: their costly retries
    // (every format, alignment fits) wait until every hypothesis has had
    // its direct try, since another alignment candidate often just reads.
    let unread = match direct_tries(
        bits,
        finders,
        t,
        inverted,
        options,
        &mut direct,
        &mut alignments,
    ) {
        Ok(d) => return Some(*d),
        Err(unread) => unread,
    };
    // Small modules: the finder centres measured on the grey levels (see
    // `centre`) put the far modules nearer their centres than those of the
    // binary image. Only once a transform passed the cheap timing check
    // (most texture's weak triples fail it): refining every small triple
    // costs several times what it reads. The rescues below try both sets
    // of centres, the refined one first. The refined set's alignment
    // candidates are the binary ones each followed by its grey-level
    // centre: either may read.
    let refined = if unread.transformed {
        budget.note_region(finders, t, false);
        centre::refined_triple(bits, finders, t)
    } else {
        None
    };
    let binary = CentreSet {
        finders,
        t,
        alignments,
        failed: unread.failed,
    };
    // The sets of centres the rescues run for, the refined one first.
    let mut sets = Vec::with_capacity(2);
    if let Some((three, moved)) = &refined {
        let module = moved.modules.iter().sum::<f32>() / 3.0;
        let mut alignments = binary.alignments.clone().map(|found| {
            found
                .into_iter()
                .flat_map(|a| [Some(a), centre::alignment_centre(bits, a, module)])
                .flatten()
                .collect()
        });
        // No warped fits: those are the image's budget (`effort`), which a
        // later triple that reads without refined centres must still have.
        let mut refined_direct = Effort {
            warped_fits: 0,
            ..direct
        };
        match direct_tries(
            bits,
            three,
            moved,
            inverted,
            options,
            &mut refined_direct,
            &mut alignments,
        ) {
            Ok(d) => return Some(*d),
            Err(unread) => sets.push(CentreSet {
                finders: three,
                t: moved,
                alignments,
                failed: unread.failed,
            }),
        }
    }
    sets.push(binary);
    let mut plausible_dims = Vec::new();
    for &(_, dim) in sets.iter().flat_map(|set| &set.failed) {
        if !plausible_dims.contains(&dim) {
            plausible_dims.push(dim);
        }
    }
    // The direct maps read the timing patterns but failed Reed-Solomon:
    // refine the best ones by how well they fit the module grid (see
    // `sample::refine`). In a triple's first search only: refining its
    // repeats in later passes reads little more for much more work, so only
    // trying harder does that. A weak triple gets it too once a grid of it
    // sat right with its format information within a bit (`failed`): small
    // far-away finders cross few scanned rows, and noise rarely gets there.
    if !repeat || options.try_harder {
        let maps = if options.try_harder {
            usize::MAX
        } else {
            REFINED_MAPS
        };
        for (h, dim) in sets.iter().flat_map(|set| set.failed.iter().take(maps)) {
            if let Some(better) = sample::refine(bits, h, *dim) {
                if let Attempt::Decoded(d) =
                    decode_transform(bits, &better, *dim, inverted, options, &mut Effort::none())
                {
                    return Some(*d);
                }
            }
        }
    }
    effort.warped_fits = direct.warped_fits;
    // The image-wide retries (every format) take the binary centres' maps
    // first (the last set), as they did before any refinement.
    for (h, dim) in sets.iter().rev().flat_map(|set| &set.failed) {
        if effort.any_format == 0 && effort.failed_fits == 0 {
            break;
        }
        if let Attempt::Decoded(d) = decode_transform(bits, h, *dim, inverted, options, effort) {
            return Some(*d);
        }
    }
    let nudges = if options.try_harder {
        JITTER.len()
    } else if repeat {
        REPEAT_NUDGES
    } else {
        FIRST_NUDGES
    };
    // The timing patterns fitted but Reed-Solomon did not: the fourth point
    // may be off by a module or so (curled paper, strong perspective). Nudge
    // it. Sampling and decoding every nudge would make unreadable images cost
    // tens of milliseconds, so the nudged maps are ranked by how well the module
    // centres they predict sit inside modules (see `fit_score`), and only
    // the best few are decoded (all of them, best first, when trying
    // harder). The costly second tries were made for the unshifted transforms.
    let nudged = Effort {
        any_format: 0,
        failed_fits: 0,
        ..*effort
    };
    let decodes = if options.try_harder {
        usize::MAX
    } else if repeat {
        1
    } else {
        NUDGED_DECODES
    };
    // Each set of centres its own warped fits: the refined set, tried
    // first, must not use up the binary set's.
    let mut nudged_sets = vec![nudged; sets.len()];
    for dim in plausible_dims {
        // Each set of centres ranks its own nudges: the refined ones' fits
        // would otherwise crowd out a map of the others' that reads.
        for (set, nudged) in sets.iter_mut().zip(&mut nudged_sets) {
            let mut ranked: Vec<(u64, sample::Homography)> = Vec::new();
            for shift in JITTER.into_iter().take(nudges) {
                let candidates = locate::transforms_with(
                    bits,
                    set.finders,
                    set.t,
                    dim,
                    shift,
                    &mut set.alignments,
                );
                for h in candidates.into_iter().take(NUDGED_TRANSFORMS) {
                    ranked.push((u64::MAX - sample::fit_score(bits, &h, dim), h));
                }
            }
            // Best score first (the key is its complement); `rank` is
            // stable: equal scores keep the nearer nudge first.
            sample::rank(&mut ranked);
            for (_, h) in ranked.iter().take(decodes) {
                if let Attempt::Decoded(d) =
                    decode_transform(bits, h, dim, inverted, options, nudged)
                {
                    return Some(*d);
                }
            }
            // Under strong perspective the fit can prefer a map a module off
            // in the far corner: the one that reads the timing and alignment
            // patterns best is decoded too, when the fit did not already try it.
            if decodes < ranked.len() && dim > 21 {
                let mut best = (usize::MAX, 0);
                for (i, (_, h)) in ranked.iter().enumerate() {
                    let wrong = sample::structure_wrong(bits, h, dim, best.0);
                    if wrong < best.0 {
                        best = (wrong, i);
                    }
                }
                if best.1 >= decodes {
                    let h = &ranked[best.1].1;
                    if let Attempt::Decoded(d) =
                        decode_transform(bits, h, dim, inverted, options, nudged)
                    {
                        return Some(*d);
                    }
                }
            }
        }
    }
    None
}

/// One set of finder centres of a triple, with what its rescues need: the
/// alignment candidates found for it and the maps whose grid sat right but
/// failed Reed-Solomon, with their dimensions.
struct CentreSet<'a> {
    finders: &'a [find::Finder],
    t: &'a locate::Triple,
    alignments: Option<Vec<(f32, f32)>>,
    failed: Vec<(sample::Homography, usize)>,
}

/// What a triple's direct tries leave when nothing read.
struct Unread {
    /// The maps whose grid sat right but failed Reed-Solomon, with their
    /// dimensions.
    failed: Vec<(sample::Homography, usize)>,
    /// Whether [`locate::transforms`] offered any map (for a weak triple:
    /// its first map read the timing patterns better than hopeless).
    transformed: bool,
}

/// A triple's direct tries: the transforms of each candidate dimension
/// (and of the one the version information names), decoded as they are.
fn direct_tries(
    bits: &binarize::BitImage,
    finders: &[find::Finder],
    t: &locate::Triple,
    inverted: bool,
    options: &DecodeOptions,
    effort: &mut Effort,
    alignments: &mut Option<Vec<(f32, f32)>>,
) -> Result<Box<Decoded>, Unread> {
    let mut unread = Unread {
        failed: Vec::new(),
        transformed: false,
    };
    let mut dims = locate::dimensions(finders, t);
    let mut k = 0;
    while k < dims.len() {
        let dim = dims[k];
        k += 1;
        for h in locate::transforms(bits, finders, t, dim, alignments) {
            unread.transformed = true;
            match decode_transform(bits, &h, dim, inverted, options, effort) {
                Attempt::Decoded(d) => return Ok(d),
                Attempt::OtherSize(other) => {
                    // The version information names the size: try it next.
                    if !dims.contains(&other) {
                        dims.insert(k, other);
                    }
                }
                Attempt::Failed => unread.failed.push((h, dim)),
                Attempt::Implausible => {}
            }
        }
    }
    // Larger symbols: the version information read near the finders may
    // name a size the estimate missed or whose maps all read the timing
    // patterns as noise (curled paper bends them away from any single
    // map). Its best maps get the piecewise fit, which follows the bend,
    // without that noise check: the version information tells a symbol
    // from texture. Only once everything else failed, and not for weak
    // triples (noise).
    if t.weak || !dims.first().is_some_and(|&d| has_alignment_grid(d)) {
        return Err(unread);
    }
    let Some(named) = version::named_size(bits, finders, t, &dims[..1]) else {
        return Err(unread);
    };
    let tried = dims.contains(&named);
    for h in locate::transforms(bits, finders, t, named, alignments)
        .into_iter()
        .take(NAMED_FITS)
    {
        if !tried {
            match decode_transform(bits, &h, named, inverted, options, effort) {
                Attempt::Decoded(d) => return Ok(d),
                Attempt::Failed => unread.failed.push((h, named)),
                Attempt::OtherSize(_) | Attempt::Implausible => {}
            }
        }
        if effort.warped_fits == 0 {
            break;
        }
        effort.warped_fits -= 1;
        if let Some((content, corners)) = piecewise(bits, &h, named, Placement::Checked) {
            if let Attempt::Decoded(d) = decoded(content, corners, inverted, options) {
                return Ok(d);
            }
        }
    }
    Err(unread)
}

/// Maps of the size the version information names that get the piecewise
/// fit (see [`direct_tries`]), best timing first.
const NAMED_FITS: usize = 2;

/// Unread triples with modules narrower than this (pixels) get an
/// enlarged second look at their region: at 1.8-3 px per module after blur
/// the finder scan and the sampling both read better at twice the size,
/// and enlarging only where such a triple lies costs a frame of texture a
/// few small crops instead of an image four times the size.
pub(super) const REGION_MODULE: f32 = 3.5;

/// Unread triples with modules from [`REGION_MODULE`] up to this, each
/// finder seen on [`locate::SURE_ROWS`] rows, get the enlarged look as well
/// as the smoothed one: a heavily blurred symbol at 4-5 px per module, its
/// finders plain, reads at twice the size (texture's triples that wide,
/// ungated, cost code-free frames 3.6 % more).
const BLURRED_REGION_MODULE: f32 = 5.0;

/// Regions per image from such triples, the best one's.
const BLURRED_REGIONS: usize = 1;

/// Edge spread (see [`centre::edge_spread`], in modules) from which a sure
/// triple's finders count as blurred, so that its sharpened look goes ahead
/// of the wrapped pass: the median of the three is 0.33 and up on the blur
/// kind (a Gaussian of 0.3-0.6 module) and far-away codes, 0.16 at most on
/// pole scenes, whose finders are sure but whose triples read only wrapped.
pub(super) const BLURRED_SPREAD: f32 = 0.25;

/// The largest symbol (modules, estimated from its finders' spacing) whose
/// region gets that second look: version 10 (57) and a margin for the
/// estimate. A far-away code is small; a triple of small texture blots far
/// apart would cost a crop the size of the frame.
const REGION_MAX_SIZE: f32 = 65.0;

/// Regions per image given that second look, best triple first.
pub(super) const REGIONS: usize = 3;

/// Regions per image from triples tried only for their region (see
/// [`Budget::late`]), looked at after the others: one read all that three
/// did on our corpora.
const LATE_REGIONS: usize = 1;

/// Whether two regions (x0, y0, x1, y1) cover one place: each holds the
/// other's centre and neither is over 1.3 times the other's width. A
/// triple with a misplaced finder (an inferred one, or one of texture next
/// to the symbol) makes a box off to one side or too large, whose enlarged
/// crop may miss part of the symbol: the box of a better triple there still
/// gets its own look.
fn same_place(a: &[f32; 4], b: &[f32; 4]) -> bool {
    let holds = |r: &[f32; 4], s: &[f32; 4]| {
        let (x, y) = ((s[0] + s[2]) / 2.0, (s[1] + s[3]) / 2.0);
        (r[0]..=r[2]).contains(&x) && (r[1]..=r[3]).contains(&y)
    };
    let (wa, wb) = (a[2] - a[0], b[2] - b[0]);
    holds(a, b) && holds(b, a) && wa <= 1.3 * wb && wb <= 1.3 * wa
}

/// Regions per image given a smoothed second look (see
/// [`Budget::smooth_regions`]): the best triple's. Two read no more on our
/// corpora.
pub(super) const SMOOTH_REGIONS: usize = 1;

/// Modules round a region's finder centres: 3.5 to the symbol's edge, the
/// quiet zone, and a margin for a fourth corner under perspective.
const REGION_MARGIN: f32 = 9.0;

/// Triples per image searched for a symbol wrapped round a pole
/// (see [`search_wrapped`]), unless trying harder: the wrapped pass runs on
/// every frame where nothing read, and a third try reads what the first two
/// missed too seldom to pay for it (docs/BENCHMARKS.md).
pub(super) const CURVED_TRIPLES: usize = 2;

/// What the wrapped pass's tries on one binary image share: the first
/// search's tables, and the fits already tried there.
#[derive(Default)]
pub(super) struct WrappedTries {
    tables: cylinder::Tables,
    /// The finder centres, dimensions and timing gate of each fit tried on
    /// these bits, all unread. They come back often: finders found again
    /// by another round keep their cores, so the fit from the cores
    /// repeats, and each repeat that passes the gate decodes dozens of
    /// grids. A fit within [`SAME_FIT`] of one of them is not tried.
    tried: Vec<Fit>,
}

/// How far (pixels, along each axis) every finder centre of a fit may lie
/// from a tried one's for the fit to count as tried: the maps are decoded
/// nudged a quarter module each way, and a module here is at least a
/// pixel. On our corpora 0.3 reads what exact matches read and 0.6 loses
/// a pole; textured plates that read nothing spend a third less.
const SAME_FIT: f64 = 0.25;

/// A fit of [`read_wrapped`]: finder centres, dimensions, timing gate.
type Fit = ([(f64, f64); 3], Vec<usize>, f64);

/// Decodes a triple as a symbol on a cylinder (see [`cylinder::maps`]), at
/// dimensions up to two versions either side of the finders' estimate and
/// one either side of each leg's: wrapping shortens one leg, and the
/// finders' module sizes mix the narrow and full widths. `transposed` says
/// that `bits` show the image transposed (see `search::search_wrapped`);
/// `tries` is shared by every call on the same `bits`.
pub(super) fn curved(
    bits: &binarize::BitImage,
    finders: &[find::Finder],
    t: &locate::Triple,
    options: &DecodeOptions,
    tries: &mut WrappedTries,
    transposed: bool,
) -> Option<Decoded> {
    let centre = |i: usize| (f64::from(finders[i].x), f64::from(finders[i].y));
    let guess = *locate::dimensions(finders, t).first()?;
    let centres = [centre(t.tl), centre(t.tr), centre(t.bl)];
    // Either leg's own estimate (see [`cylinder::leg_dimensions`]) and a
    // version either side of each: the finders' estimate alone misses by
    // five versions and more on strong wraps, and noise can spoil the legs'.
    let legs = cylinder::leg_dimensions(bits, centres);
    let mut dims: Vec<usize> = Vec::new();
    let mut add = |d: i64| {
        if (21..=177).contains(&d) && !dims.contains(&(d as usize)) {
            dims.push(d as usize);
        }
    };
    for o in [0, -4, 4, -8, 8] {
        add(guess as i64 + o);
    }
    for o in [0, -4, 4] {
        for &l in &legs {
            add(l as i64 + o);
        }
    }
    if let Some(d) = read_wrapped(
        bits,
        centres,
        &dims,
        cylinder::MAX_WRONG_TIMING,
        options,
        tries,
        transposed,
    ) {
        return Some(d);
    }
    // Then from the centres of the finders' dark cores, when one of them
    // lies over half a pixel from the finder's centre (see
    // `centre::core_centre`), under the looser gate those centres allow.
    let cores = [t.tl, t.tr, t.bl].map(|i| centre::core_centre(bits, &finders[i]));
    let moved = |k: usize| {
        cores[k].is_some_and(|(x, y)| (x - centres[k].0).hypot(y - centres[k].1) > CORE_MOVE)
    };
    if !(0..3).any(moved) {
        return None;
    }
    let cored = [0, 1, 2].map(|k| cores[k].unwrap_or(centres[k]));
    read_wrapped(
        bits,
        cored,
        &dims,
        cylinder::MAX_WRONG_TIMING_CORES,
        options,
        tries,
        transposed,
    )
}

/// How far (pixels) a finder's core centre must lie from its centre for
/// [`curved`] to try the triple again from the cores.
const CORE_MOVE: f64 = 0.5;

/// The wrapped symbol read through the cylinder maps of finder centres
/// `centres` (see [`cylinder::maps`], with the gate `max_wrong`), if any;
/// nothing for a fit `tries` holds (see [`WrappedTries::tried`]).
fn read_wrapped(
    bits: &binarize::BitImage,
    centres: [(f64, f64); 3],
    dims: &[usize],
    max_wrong: f64,
    options: &DecodeOptions,
    tries: &mut WrappedTries,
    transposed: bool,
) -> Option<Decoded> {
    let near = |c: &[(f64, f64); 3]| {
        c.iter()
            .zip(&centres)
            .all(|(a, b)| (a.0 - b.0).abs() <= SAME_FIT && (a.1 - b.1).abs() <= SAME_FIT)
    };
    if tries
        .tried
        .iter()
        .any(|(c, d, g)| *g == max_wrong && d == dims && near(c))
    {
        return None;
    }
    tries.tried.push((centres, dims.to_vec(), max_wrong));
    let fitted = cylinder::maps(
        bits,
        centres,
        dims,
        (CURVED_DECODES, max_wrong),
        &mut tries.tables,
    );
    if let Some(d) = read_maps(bits, &fitted, options, transposed) {
        return Some(d);
    }
    // Then the same maps refined further (see `cylinder::refined_further`),
    // only now: tried first, they lost reads the first fit makes.
    let further = cylinder::refined_further(bits, centres, &fitted);
    read_maps(bits, &further, options, transposed)
}

/// The wrapped symbol read through `maps`, if any: each map as fitted,
/// then nudged, then with its columns measured.
fn read_maps(
    bits: &binarize::BitImage,
    maps: &[cylinder::Fitted],
    options: &DecodeOptions,
    transposed: bool,
) -> Option<Decoded> {
    // Each map as fitted, then moved a quarter module each way: the map is
    // pinned to finder centres that a squeezed finder shows off by about
    // that much (see `CURVED_NUDGES`).
    let nudged = maps.iter().flat_map(|f| {
        CURVED_NUDGES
            .iter()
            .map(move |&(du, dv)| (f.map.nudged(du, dv), f.dim))
    });
    for (map, dim) in nudged {
        if let Some(d) = read_columns(
            bits,
            &cylinder::Columns::new(map, dim),
            &map,
            dim,
            options,
            transposed,
        ) {
            return Some(d);
        }
    }
    // Then each map with its columns measured along the timing pattern,
    // then with its edge columns placed by the finders' cores too (see
    // `cylinder::Columns::measured`).
    for cores in [false, true] {
        for f in maps {
            if let Some(d) =
                cylinder::Columns::measured(bits, f.map, f.dim, cores).and_then(|columns| {
                    read_columns(bits, &columns, &f.map, f.dim, options, transposed)
                })
            {
                return Some(d);
            }
        }
    }
    None
}

/// The symbol read through wrapped columns, its corners from `map` (and
/// its mirrored flag, with `transposed`, as in the image itself). Out of
/// line in WebAssembly: the sampling inlined at each caller is a copy.
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn read_columns(
    bits: &binarize::BitImage,
    columns: &cylinder::Columns,
    map: &cylinder::Cylinder,
    dim: usize,
    options: &DecodeOptions,
    transposed: bool,
) -> Option<Decoded> {
    let mut grid = ModuleGrid::new(dim);
    let mut levels = Vec::new();
    sample::sample_fitted_levels(bits, columns, dim, &mut levels, |x, y, dark, conf| {
        grid.set(x, y, dark, conf)
    });
    // Then against a split of the symbol's own per column (see
    // `sample::sample_own_threshold`), when that changes a module (one split
    // for the whole symbol read nothing more on our corpora). One decode
    // call: in WebAssembly each is a copy.
    let mut own = ModuleGrid::new(dim);
    for pass in 0..2 {
        let read = if pass == 0 {
            &grid
        } else if sample::own_threshold(&levels, bits.inverted, dim, true, &grid, &mut own) {
            &own
        } else {
            continue;
        };
        let Ok(mut content) = decode_grid(read) else {
            continue;
        };
        // The transposed image shows a symbol mirrored, and a mirrored one not.
        content.mirrored ^= transposed;
        return match decoded(content, sample::corners(map, dim), false, options) {
            Attempt::Decoded(d) => Some(*d),
            _ => None,
        };
    }
    None
}

/// Cylinder maps decoded per triple, best fit first: every map refined
/// (see [`cylinder::maps`]).
const CURVED_DECODES: usize = 6;

/// Moves (flattened units: modules at the front) each cylinder map is
/// decoded at, itself first. Only triples that pass the wrapped pass's
/// timing gate get maps, so a frame of texture pays nothing. Of moves of
/// 0.2, 0.25, 0.3 and 0.4 modules, 0.2 and 0.25 read the most poles. A
/// move of -0.25 along u, tried second, read first none of the 2,600
/// wrapped reads of our corpora nor of two seeds made to check: it only
/// cost a fifth of the moves' decodes.
const CURVED_NUDGES: [(f64, f64); 4] = [(0.0, 0.0), (0.25, 0.0), (0.0, -0.25), (0.0, 0.25)];

/// Nudges of the fourth point in a triple's first full search (all of
/// [`JITTER`] when trying harder): the last eight (a module along one axis
/// and half along the other, a module along both) rescue nothing on our
/// corpora and only cost time on unreadable images.
const FIRST_NUDGES: usize = 16;

/// Nudges of the fourth point (the half-module ones) ranked for a triple that
/// an earlier pass already tried with every rescue; the best one is decoded.
/// A synthetic distortion in `tests/reader.rs` reads only through them, and
/// decoding more than the best one reads nothing more.
const REPEAT_NUDGES: usize = 8;

/// Failed direct maps of a triple refined by fit (all when trying harder):
/// the reads that refinement rescues come from the best two.
const REFINED_MAPS: usize = 2;

/// Nudged maps decoded per triple and dimension, best fit first (all when
/// trying harder): the map that reads almost always ranks first or second,
/// and decoding every nudge would cost a fifth of the reader's work.
const NUDGED_DECODES: usize = 2;

/// Transforms (best timing first) tried at each nudge of the fourth point.
const NUDGED_TRANSFORMS: usize = 2;

/// Offsets (in modules) tried for the fourth point when a grid looked right
/// but did not decode, nearest first.
const JITTER: [(f64, f64); 24] = [
    (-0.5, 0.0),
    (0.5, 0.0),
    (0.0, -0.5),
    (0.0, 0.5),
    (-0.5, -0.5),
    (0.5, 0.5),
    (-0.5, 0.5),
    (0.5, -0.5),
    (-1.0, 0.0),
    (1.0, 0.0),
    (0.0, -1.0),
    (0.0, 1.0),
    (-1.0, -0.5),
    (-1.0, 0.5),
    (1.0, -0.5),
    (1.0, 0.5),
    (-0.5, -1.0),
    (0.5, -1.0),
    (-0.5, 1.0),
    (0.5, 1.0),
    (-1.0, -1.0),
    (1.0, 1.0),
    (-1.0, 1.0),
    (1.0, -1.0),
];

/// The costly second tries left to the attempts on one binary image.
#[derive(Clone, Copy)]
pub(super) struct Effort {
    /// Alignment-pattern fits for hypotheses whose single homography failed
    /// the timing check (each searches every alignment pattern).
    warped_fits: u32,
    /// Well-placed grids with unreadable format information that may still
    /// be tried with every EC level and mask (64 decodes each).
    any_format: u32,
    /// Alignment-pattern fits for grids whose timing patterns read right
    /// but that failed Reed-Solomon.
    failed_fits: u32,
}

impl Effort {
    pub(super) fn full() -> Effort {
        Effort {
            warped_fits: 16,
            any_format: 2,
            failed_fits: u32::MAX,
        }
    }

    fn none() -> Effort {
        Effort {
            warped_fits: 0,
            any_format: 0,
            failed_fits: 0,
        }
    }
}

/// Work shared by all passes over one image (binarizers, inversion,
/// enlargement).
pub(super) struct Budget {
    /// Finder triples that may still be tried.
    pub(super) triples_left: usize,
    /// Finder centres (in the caller's image) of the triples that got every
    /// rescue: nudges, any-format decodes, alignment fits.
    pub(super) rescued: Vec<[(f32, f32); 3]>,
    /// From the pixels of the current pass to the caller's image.
    pub(super) scale: f32,
    /// Finder outlines still to try as Micro QR / rMQR symbols.
    pub(super) small_left: usize,
    /// Finder outlines tried as Micro QR / rMQR symbols in earlier scans:
    /// centre and module size in the caller's image, and the scale of the
    /// scan (see [`Budget::small_tried_before`]).
    pub(super) small_tried: Vec<(f32, f32, f32, f32)>,
    /// Where the native-size passes left triples of small modules unread
    /// whose first map read the timing patterns better than noise: boxes
    /// (x0, y0, x1, y1) in the caller's image, best triple first, for the
    /// enlarged second look (see `search::search_regions`). After the first
    /// `early_regions`, those noted while `late` was set: from triples with
    /// an inferred third finder whose timing patterns did not alternate
    /// (see `search::scan_pairs`), looked at after all the others.
    pub(super) regions: Vec<[f32; 4]>,
    pub(super) early_regions: usize,
    /// Where the native-size passes left a strong triple (see
    /// [`locate::Triple::weak`]) of modules at least [`REGION_MODULE`] wide
    /// unread after every rescue: boxes as in `regions`, each with the
    /// triple's module size, for a smoothed second look (see
    /// `search::search_regions`).
    pub(super) smooth_regions: Vec<([f32; 4], f32)>,
    /// Boxes as in `regions` round a sure triple of modules from
    /// [`REGION_MODULE`] to [`BLURRED_REGION_MODULE`] wide, for the
    /// enlarged look after every other (ahead of them, its tries spent what
    /// they read with).
    pub(super) blurred_regions: Vec<[f32; 4]>,
    /// Boxes as in `regions` (in the image's coordinates, from any scale)
    /// round the first triple whose three finders were each seen on
    /// [`locate::SURE_ROWS`] rows, for the sharpened look after every other
    /// (see `search::Look::Sharpened`).
    pub(super) sharpen_regions: Vec<[f32; 4]>,
    /// The triple that left the sharpened region has blurred edges (see
    /// [`BLURRED_SPREAD`]): its look goes ahead of the wrapped pass.
    pub(super) sharpen_blurred: bool,
    /// Set while a region's crop is searched: it notes no region.
    pub(super) in_region: bool,
    /// Set while a region's look searches with the local threshold's window
    /// mean weighted by contrast (see `search::search_regions`).
    pub(super) weighted_local: bool,
    /// Set while a try notes no region (see `search::scan_pairs`): an
    /// inferred finder's second placement (the first noted that place),
    /// and a pair with a small finder seen on two rows (on the corpora its
    /// regions crowded out ones that read).
    pub(super) no_regions: bool,
    /// Set while a triple is tried only for the region it may leave:
    /// regions noted go last, and the triple gets a repeat's tries (the
    /// direct ones and one nudged map).
    pub(super) late: bool,
    /// The caller's image position of the current pass's pixel (0, 0),
    /// before `scale` (a region's crop starts there).
    pub(super) origin: (f32, f32),
    /// Triples that may still be searched as wrapped symbols.
    pub(super) curved_left: usize,
    /// Triples with an inferred third finder that may still be tried (see
    /// [`pair`](super::pair)): those whose timing patterns alternate, and
    /// the others.
    pub(super) inferred_left: usize,
    pub(super) untimed_left: usize,
    /// Triples with an inferred finder from a pair of one well-confirmed
    /// finder and a small one seen on two rows, left for the image.
    pub(super) small_pairs_left: usize,
    /// The last local-threshold bits of a pass that found nothing, the
    /// pass's scale and its rows' runs: the wrapped-symbol pass reuses them.
    pub(super) local_bits: Option<(f32, binarize::BitImage, find::ScannedRows)>,
    /// The most scanned rows any finder of the native-size scans was seen
    /// on (see `search::search_image`'s smoothed look).
    pub(super) most_rows: u32,
    /// The well-confirmed dark-on-light finders of the last scan of an image
    /// at its own size (see `search::cross_thresholds`).
    pub(super) last_finders: Vec<find::Finder>,
    /// A finder of the global threshold's rescan of every row was seen on
    /// `search::FAR_LOOK_ROWS` rows or more: the image is searched enlarged
    /// whole when nothing else read.
    pub(super) far_look: bool,
    /// While the far look runs (see `search::search_image`), the boxes (as
    /// in `regions`) of up to [`FAR_REGIONS`] of its triples that got a map
    /// tried and read nothing, for a look at their crops' own thresholds.
    pub(super) far_regions: Option<Vec<[f32; 4]>>,
    /// The most finders a dark-on-light scan of the image at its own size
    /// confirmed (see `search::TEXTURE_FINDERS`): texture shows dozens.
    pub(super) plain_finders: usize,
}

/// The per-image budgets and rescue list of a [`Budget`], kept before a
/// look that must leave them as they were for the looks after it (see
/// [`Budget::kept`]).
pub(super) struct Kept {
    rescued: usize,
    inferred_left: usize,
    untimed_left: usize,
    small_pairs_left: usize,
}

/// Far look regions per image (see [`Budget::far_regions`]), the best
/// triples' first: each costs a small image's search, and only frames that
/// took the far look and read nothing pay it.
const FAR_REGIONS: usize = 2;

impl Budget {
    /// What [`Budget::restore`] puts back.
    pub(super) fn kept(&self) -> Kept {
        Kept {
            rescued: self.rescued.len(),
            inferred_left: self.inferred_left,
            untimed_left: self.untimed_left,
            small_pairs_left: self.small_pairs_left,
        }
    }

    /// Puts back what [`Budget::kept`] took: the triples rescued since are
    /// forgotten (a later look gives them every rescue again), and the
    /// inferred triples' budgets are as they were.
    pub(super) fn restore(&mut self, kept: Kept) {
        self.rescued.truncate(kept.rescued);
        self.inferred_left = kept.inferred_left;
        self.untimed_left = kept.untimed_left;
        self.small_pairs_left = kept.small_pairs_left;
    }

    /// The triple's finder centres in the caller's image.
    fn centres(&self, finders: &[find::Finder], t: &locate::Triple) -> Option<[(f32, f32); 3]> {
        let c = |i: usize| {
            finders.get(i).map(|f| {
                (
                    f.x * self.scale + self.origin.0,
                    f.y * self.scale + self.origin.1,
                )
            })
        };
        Some([c(t.tl)?, c(t.tr)?, c(t.bl)?])
    }

    /// Whether a strong triple at the same place (each centre within two
    /// modules) was rescued in an earlier pass. Never when trying harder.
    fn rescued_before(
        &self,
        finders: &[find::Finder],
        t: &locate::Triple,
        try_harder: bool,
    ) -> bool {
        // A smoothed crop (a region at full scale) holds other pixels: its
        // triples get every rescue again.
        if try_harder || t.weak || (self.in_region && self.scale == 1.0) {
            return false;
        }
        let Some(now) = self.centres(finders, t) else {
            return false;
        };
        let tol = 2.0 * t.modules.iter().fold(0.0f32, |a, &b| a.max(b)) * self.scale;
        self.rescued.iter().any(|before| {
            before
                .iter()
                .zip(&now)
                .all(|(a, b)| (a.0 - b.0).abs() <= tol && (a.1 - b.1).abs() <= tol)
        })
    }

    /// Whether a finder outline at the same place and of the same size (centre
    /// within a module, module within a quarter) was tried as a Micro QR or
    /// rMQR finder in an earlier scan, and remembers it if not. Each
    /// binarization and the enlargement find the same finders again, and a
    /// repeat of a failed outline reads nothing new. The enlargement still
    /// retries finders whose modules were under [`SMALL_RETRY_MODULE`] pixels
    /// at full size: those may read only enlarged. Never when trying harder.
    pub(super) fn small_tried_before(&mut self, f: &find::Finder, try_harder: bool) -> bool {
        if try_harder {
            return false;
        }
        let (x, y, m) = (
            f.x * self.scale + self.origin.0,
            f.y * self.scale + self.origin.1,
            f.module * self.scale,
        );
        let scale = self.scale;
        let seen = self.small_tried.iter().any(|&(a, b, n, tried_at)| {
            let tol = m.max(n);
            let same = (a - x).abs() <= tol && (b - y).abs() <= tol && (m - n).abs() <= tol * 0.25;
            same && (tried_at == scale || n >= SMALL_RETRY_MODULE)
        });
        if !seen {
            self.small_tried.push((x, y, m, scale));
        }
        seen
    }

    /// No triple, and no Micro QR or rMQR finder, may be tried any more.
    pub(super) fn spent(&self, options: &DecodeOptions) -> bool {
        let small = options.reads(Symbology::MicroQr) || options.reads(Symbology::Rmqr);
        self.triples_left == 0 && (self.small_left == 0 || !small)
    }

    /// Remembers the box round an unread triple of small modules (see
    /// [`Budget::regions`]): its finder centres and the fourth corner of
    /// their parallelogram, with [`REGION_MARGIN`] modules round them (the
    /// symbol's outer modules and its quiet zone). Only from the
    /// native-size passes, a few per image, one per place (see
    /// [`same_place`]). With `smooth`, for the smoothed look instead
    /// (wider modules; see [`Budget::smooth_regions`]). Without it, during
    /// the far look, the box goes to [`Budget::far_regions`] too.
    fn note_region(&mut self, finders: &[find::Finder], t: &locate::Triple, smooth: bool) {
        if !smooth {
            self.note_far_region(finders, t);
        }
        let module = t.modules.iter().sum::<f32>() / 3.0;
        // Late regions come after the first `early` (see `regions`).
        let early = self.early_regions.min(self.regions.len());
        // Wide modules for the enlarged look: a blurred symbol's (see
        // `BLURRED_REGION_MODULE`).
        let blurred = !smooth && module >= REGION_MODULE;
        let (noted, most) = if smooth {
            (self.smooth_regions.len(), SMOOTH_REGIONS)
        } else if blurred {
            (self.blurred_regions.len(), BLURRED_REGIONS)
        } else if self.late {
            (self.regions.len() - early, LATE_REGIONS)
        } else {
            (early, REGIONS)
        };
        if self.scale != 1.0
            || self.in_region
            || self.no_regions
            || (smooth && module < REGION_MODULE)
            || (blurred && (module >= BLURRED_REGION_MODULE || !locate::sure(finders, t)))
            || noted >= most
        {
            return;
        }
        // (Notes come from scale 1 only, where the box is the same.)
        let Some(region) = self.region_of(finders, t) else {
            return;
        };
        if smooth {
            self.smooth_regions.push((region, module));
            return;
        }
        if blurred {
            self.blurred_regions.push(region);
            return;
        }
        // A late region where any region is already noted adds nothing; an
        // early one is kept out by early ones only.
        let seen = if self.late {
            &self.regions[..]
        } else {
            &self.regions[..early]
        };
        if seen.iter().any(|r| same_place(r, &region)) {
            return;
        }
        if self.late {
            self.regions.push(region);
        } else {
            self.regions.insert(early, region);
            self.early_regions = early + 1;
        }
    }

    /// Notes an unread triple's box for the far look's crops (see
    /// [`Budget::far_regions`]), one per place (see [`same_place`]).
    fn note_far_region(&mut self, finders: &[find::Finder], t: &locate::Triple) {
        let open = self
            .far_regions
            .as_ref()
            .is_some_and(|f| f.len() < FAR_REGIONS);
        if !open || self.in_region || self.no_regions {
            return;
        }
        let Some(region) = self.region_of(finders, t) else {
            return;
        };
        if let Some(far) = self.far_regions.as_mut() {
            if !far.iter().any(|r| same_place(r, &region)) {
                far.push(region);
            }
        }
    }

    /// Notes the region of a triple of sure finders for the sharpened look
    /// (see [`Budget::sharpen_regions`]): the first only, whatever the
    /// scale, never inside a region.
    fn note_sharpen(
        &mut self,
        bits: &binarize::BitImage,
        finders: &[find::Finder],
        t: &locate::Triple,
    ) {
        if self.in_region || !self.sharpen_regions.is_empty() || !locate::sure(finders, t) {
            return;
        }
        if let Some(region) = self.region_of(finders, t) {
            self.sharpen_regions.push(region);
            // The median of those measured (of two, the larger): blurred
            // when at least half are. Counted, not sorted: a sort of floats
            // is one more copy of the sort code in WebAssembly.
            let (mut measured, mut blurred) = (0, 0);
            for (&i, module) in [t.tl, t.tr, t.bl].iter().zip(t.modules) {
                let spread = finders
                    .get(i)
                    .and_then(|f| centre::edge_spread(bits, (f.x, f.y), module));
                if let Some(s) = spread {
                    measured += 1;
                    blurred += usize::from(s >= BLURRED_SPREAD);
                }
            }
            self.sharpen_blurred = blurred > 0 && 2 * blurred >= measured;
        }
    }

    /// The box round a triple's finder centres and the fourth corner of
    /// their parallelogram, [`REGION_MARGIN`] modules out, in the image's
    /// coordinates; `None` for a symbol over [`REGION_MAX_SIZE`] modules.
    fn region_of(&self, finders: &[find::Finder], t: &locate::Triple) -> Option<[f32; 4]> {
        let module = t.modules.iter().sum::<f32>() / 3.0 * self.scale;
        let [a, b, c] = self.centres(finders, t)?;
        // The finders' spacing in modules, plus the seven between their
        // centres and the edges: the symbol's size.
        let side = |p: (f32, f32)| (p.0 - a.0).hypot(p.1 - a.1) / module;
        if side(b).max(side(c)) + 7.0 > REGION_MAX_SIZE {
            return None;
        }
        let d = (b.0 + c.0 - a.0, b.1 + c.1 - a.1);
        let margin = REGION_MARGIN * module;
        let xs = [a.0, b.0, c.0, d.0];
        let ys = [a.1, b.1, c.1, d.1];
        Some([
            xs.iter().fold(f32::INFINITY, |m, &v| m.min(v)) - margin,
            ys.iter().fold(f32::INFINITY, |m, &v| m.min(v)) - margin,
            xs.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v)) + margin,
            ys.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v)) + margin,
        ])
    }

    fn remember(&mut self, finders: &[find::Finder], t: &locate::Triple) {
        if let Some(c) = self.centres(finders, t) {
            self.rescued.push(c);
        }
    }
}

/// What came of one sampling hypothesis.
pub(super) enum Attempt {
    /// A symbol.
    Decoded(Box<Decoded>),
    /// The grid looked like a symbol (timing patterns) but did not decode.
    Failed,
    /// The version information read says the symbol has this many modules.
    OtherSize(usize),
    /// Not a symbol at this dimension and transform.
    Implausible,
}

/// Samples and decodes one hypothesis: a dimension and a module-to-image transform.
pub(super) fn decode_transform(
    bits: &binarize::BitImage,
    h: &sample::Homography,
    dim: usize,
    inverted: bool,
    options: &DecodeOptions,
    effort: &mut Effort,
) -> Attempt {
    // Cheap plausibility checks first: the timing patterns mostly
    // alternate, and most of the symbol is on the image.
    let timing_wrong = sample::timing_wrong_upto(bits, h, dim, sample::timing_limit(dim));
    if !sample::timing_plausible(timing_wrong, dim) {
        // One homography cannot follow a curved or warped larger symbol:
        // half a module of drift along the timing pattern already reads it
        // wrong. The alignment patterns can, if they are near where `h`
        // puts them.
        if !has_alignment_grid(dim) || effort.warped_fits == 0 {
            return Attempt::Implausible;
        }
        // Unless the timing patterns read about as often right as a coin
        // would (noise: a frame without a code has finder-like blobs, and
        // alignment-like ones for the fit to lock on to).
        let noise = sample::timing_noise(dim);
        if sample::timing_wrong_coarse(bits, h, dim, noise) > noise {
            return Attempt::Implausible;
        }
        effort.warped_fits -= 1;
        return match piecewise(bits, h, dim, Placement::Search) {
            Some((content, corners)) => decoded(content, corners, inverted, options),
            None => Attempt::Implausible,
        };
    }
    let mut grid = ModuleGrid::new(dim);
    let mut off_image = 0;
    sample::sample(bits, h, dim, |x, y, dark, conf| {
        off_image += usize::from(conf == 0);
        grid.set(x, y, dark, conf)
    });
    if off_image * 3 > dim * dim {
        return Attempt::Implausible;
    }
    match decode_grid(&grid) {
        Ok(content) => decoded(content, sample::corners(h, dim), inverted, options),
        Err(crate::decode::error::GridDecodeError::VersionMismatch { from_info, .. }) => {
            match Version::new(from_info) {
                Ok(v) => Attempt::OtherSize(v.size()),
                Err(_) => Attempt::Implausible,
            }
        }
        Err(_) => {
            // The grid sits right (its timing patterns read almost
            // perfectly) but the format information may be damaged past
            // matching: try every EC level and mask (Reed-Solomon rejects
            // the wrong ones). Not when both copies agree: then the data is
            // what is damaged, and 64 decodes per grid would read nothing.
            if effort.any_format > 0 && timing_wrong * 16 <= dim - 16 && !format_settled(&grid) {
                effort.any_format -= 1;
                if let Ok(content) = decode_grid_any_format(&grid) {
                    return decoded(content, sample::corners(h, dim), inverted, options);
                }
            }
            // Random modules pass the timing check of the smaller versions
            // by chance (version 1 has ten timing modules, two may read
            // wrong), and texture offers many tries: a grid whose format
            // information matches no codeword within a bit, in either copy
            // and any reading, is not a located symbol worth the rescues
            // (every rescued read on our corpora matched one exactly). Trying
            // harder rescues them all.
            let format_near = format_candidates(&grid)
                .first()
                .is_some_and(|c| c.distance <= 1);
            if !format_near && !options.try_harder {
                return Attempt::Implausible;
            }
            // A located grid read against a threshold that is not the
            // symbol's own (see `sample::sample_own_threshold`): read again
            // against that, when it changes any module.
            let mut own = ModuleGrid::new(dim);
            if sample::sample_own_threshold(bits, h, dim, false, &grid, &mut own) {
                if let Ok(content) = decode_grid(&own) {
                    return decoded(content, sample::corners(h, dim), inverted, options);
                }
            }
            if effort.failed_fits == 0 {
                return Attempt::Failed;
            }
            effort.failed_fits -= 1;
            match piecewise(bits, h, dim, Placement::Search) {
                Some((content, corners)) => decoded(content, corners, inverted, options),
                None => Attempt::Failed,
            }
        }
    }
}

/// An attempt's result from decoded content and the symbol's corners.
pub(super) fn decoded(
    content: SymbolContent,
    corners: [(f32, f32); 4],
    inverted: bool,
    options: &DecodeOptions,
) -> Attempt {
    if content.mirrored && !options.allow_mirrored {
        return Attempt::Implausible;
    }
    let corners = corners.map(|(x, y)| Point { x, y });
    Attempt::Decoded(Box::new(Decoded::from_content(content, corners, inverted)))
}

/// Larger versions (7 and up): samples cell by cell between the alignment
/// patterns found near where `h` puts them, and decodes that grid.
fn piecewise(
    bits: &binarize::BitImage,
    h: &sample::Homography,
    dim: usize,
    placement: Placement,
) -> Option<(SymbolContent, [(f32, f32); 4])> {
    if !has_alignment_grid(dim) {
        return None;
    }
    let pw = piecewise::Piecewise::fit(bits, h, dim, placement)?;
    if !sample::timing_plausible(sample::timing_wrong(bits, &pw, dim), dim) {
        return None;
    }
    let mut grid = ModuleGrid::new(dim);
    sample::sample_fitted(bits, &pw, dim, |x, y, dark, conf| {
        grid.set(x, y, dark, conf)
    });
    let content = decode_grid(&grid).ok()?;
    Some((content, sample::corners(&pw, dim)))
}

/// Whether a `dim`-module QR Code has the alignment-pattern grid that a
/// piecewise map needs (version 7 and up).
fn has_alignment_grid(dim: usize) -> bool {
    Version::from_size(dim).is_some_and(Version::has_alignment_grid)
}
