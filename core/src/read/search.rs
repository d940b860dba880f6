//! The search: which passes run over an image (binarizers, inversion, a 2x
//! enlargement, the Micro QR / rMQR finders), which finder triples each pass
//! tries, all under a per-image budget so that frames without a symbol stay
//! cheap. One triple's tries (refits, nudges, every-format decodes) and the
//! budget itself live in [`attempt`](super::attempt).

use super::attempt::{
    curved, decode_transform, decode_triple, decoded, Attempt, Budget, Effort, WrappedTries,
    CURVED_TRIPLES, REGION_MODULE,
};
use super::{binarize, find, image, locate, micro_rmqr, pair, pure, DecodeOptions};
use crate::decode::{Decoded, Point};
use crate::symbol::Symbology;

/// Every symbol found in a grey image, in the order found (not yet cut to
/// `max_symbols`).
pub(super) fn search_image(gray: &image::Gray, options: &DecodeOptions) -> Vec<Decoded> {
    let mut found: Vec<Decoded> = Vec::new();
    // Triples tried over all passes (binarizers, inversion, enlargement):
    // an image with nothing readable in it costs at most this many.
    let mut budget = Budget {
        triples_left: if options.try_harder {
            usize::MAX
        } else {
            TRIPLES_PER_IMAGE
        },
        rescued: Vec::new(),
        scale: 1.0,
        small_left: if options.try_harder {
            usize::MAX
        } else {
            SMALL_FINDERS_PER_IMAGE
        },
        small_tried: Vec::new(),
        curved_left: if options.try_harder {
            usize::MAX
        } else {
            CURVED_TRIPLES
        },
        inferred_left: if options.try_harder {
            usize::MAX
        } else {
            INFERRED_TRIPLES
        },
        untimed_left: if options.try_harder {
            usize::MAX
        } else {
            UNTIMED_TRIPLES
        },
        small_pairs_left: if options.try_harder {
            usize::MAX
        } else {
            SMALL_PAIR_TRIPLES
        },
        early_regions: 0,
        late: false,
        local_bits: None,
        regions: Vec::new(),
        smooth_regions: Vec::new(),
        blurred_regions: Vec::new(),
        sharpen_regions: Vec::new(),
        sharpen_blurred: false,
        in_region: false,
        weighted_local: false,
        no_regions: false,
        origin: (0.0, 0.0),
        most_rows: 0,
        far_look: false,
        far_regions: None,
        last_finders: Vec::new(),
        plain_finders: 0,
    };
    search(gray, options, &mut found, &mut budget);
    if options.quick {
        return found;
    }
    // Small images whose modules are a pixel or two wide read better enlarged:
    // interpolation restores the edges the finder scan needs. Located symbols
    // with wide modules are tried enlarged too: blurred ones read only there.
    // Unless trying harder, the enlarged image gets the local threshold and
    // dark-on-light symbols only (every enlarged read comes from those), and
    // its inverted scan only when it has no dark-on-light finder at all
    // (tiny light-on-dark rMQR symbols read only there).
    let small = gray.width.max(gray.height) <= SMALL_IMAGE;
    let mut enlarged = None;
    if found.is_empty() && (small || options.try_harder) && !budget.spent(options) {
        let big = gray.upscaled();
        search_enlarged(&big, options, &mut found, &mut budget);
        enlarged = Some(big);
    }
    let qr = options.reads(Symbology::Qr) && !options.pure;
    let enlarged_whole = enlarged.is_some();
    // An image enlarged whole needs no enlarged regions.
    if found.is_empty() && qr && !enlarged_whole {
        // Each sharp first, then soft (see `Look`).
        let regions = budget
            .regions
            .drain(..)
            .flat_map(|r| [(r, Look::Sharp), (r, Look::Soft)])
            .collect();
        search_regions(gray, regions, options, &mut found, &mut budget);
    }
    // A far-away symbol whose finders the rescan of every row saw, unread
    // and in no region that read: the image enlarged whole, after every
    // look that reads without it (the wrapped pass keeps the native bits).
    if found.is_empty() && qr && budget.far_look && !enlarged_whole && !budget.spent(options) {
        let native = budget.local_bits.take();
        budget.far_regions = Some(Vec::new());
        search_enlarged(&gray.upscaled(), options, &mut found, &mut budget);
        budget.scale = 1.0;
        budget.local_bits = native;
        // Where its triples got a map tried and read nothing, the crop at
        // its own size with thresholds of its own (see `Look::Own`). The
        // crops spend no budget: a look that reads later must still have
        // what it read with.
        let regions = budget.far_regions.take().unwrap_or_default();
        if found.is_empty() && !regions.is_empty() {
            let regions = regions.into_iter().map(|r| (r, Look::Own)).collect();
            search_regions_sparing(gray, regions, options, &mut found, &mut budget);
        }
    }
    // A blurred symbol's sharpened looks (see below), ahead of the wrapped
    // pass, which would search its sure triple's every shape first. They
    // spend no budget: the wrapped pass may still read what they do not.
    let early_sharpened = found.is_empty() && qr && budget.sharpen_blurred;
    if early_sharpened && !budget.spent(options) {
        let regions = sharpened_looks(gray, &budget.sharpen_regions, budget.most_rows);
        search_regions_sparing(gray, regions, options, &mut found, &mut budget);
    }
    // An engraved plate's looks (the smoothed and destreaked ones, below)
    // ahead of the wrapped pass where the image shows a brushed plate's
    // streaks: the wrapped pass searches a flat plate's triple under every
    // cylinder shape and decodes hundreds of its maps, for nothing. They
    // spend the budget as they would after it. A pole shows streaks too
    // (its shading runs along its axis), so the test is a coarse one.
    let plate = found.is_empty()
        && qr
        && !budget.spent(options)
        && may_destreak(gray, budget.most_rows)
        && gray.streaks_every(STREAKS_MOST, PLATE_TEST_STEP).is_some();
    if plate {
        let mut regions = smoothed_looks(gray, &mut budget, small);
        regions.extend(destreaked_look(gray, budget.most_rows));
        search_regions(gray, regions, options, &mut found, &mut budget);
    }
    if found.is_empty() && qr {
        // Small images enlarged, as above: the edge columns are the narrowest.
        if small {
            let big = enlarged.unwrap_or_else(|| gray.upscaled());
            search_wrapped(&big, 0.5, options, &mut found, &mut budget);
            for d in &mut found {
                d.scale_corners(0.5);
            }
        } else if !texture(budget.plain_finders) || options.try_harder {
            search_wrapped(gray, 1.0, options, &mut found, &mut budget);
        }
    }
    // Last, the smoothed looks (see `smoothed_looks`), unless a plate's
    // streaks put them ahead of the wrapped pass.
    if found.is_empty() && qr {
        let mut regions = if plate {
            Vec::new()
        } else {
            smoothed_looks(gray, &mut budget, small)
        };
        // A blurred symbol with wide modules, enlarged last: ahead of the
        // other looks its tries spent what they read with.
        if !enlarged_whole {
            for r in std::mem::take(&mut budget.blurred_regions) {
                regions.push((r, Look::Sharp));
                regions.push((r, Look::Soft));
            }
        }
        // Last, a heavily blurred symbol whose finders were plain: its
        // region sharpened (unless looked at already, above).
        if !early_sharpened {
            regions.extend(sharpened_looks(
                gray,
                &budget.sharpen_regions,
                budget.most_rows,
            ));
        }
        if !plate {
            regions.extend(destreaked_look(gray, budget.most_rows));
        }
        search_regions(gray, regions, options, &mut found, &mut budget);
    }
    found
}

/// The smoothed looks (see [`Look::Smoothed`]): the regions of
/// [`Budget::smooth_regions`] (taken), then the whole image for a small one,
/// or one up to [`SMOOTHED_WHOLE_IMAGE`] that showed a finder seen on
/// `SURE_ROWS` rows (few code-free frames do), which gets a lighter look
/// too. An engraved symbol's finders are seldom confirmed on enough rows, so
/// the strong triple that chose a region is often texture's.
fn smoothed_looks(gray: &image::Gray, budget: &mut Budget, small: bool) -> Vec<([f32; 4], Look)> {
    let mut looks: Vec<_> = std::mem::take(&mut budget.smooth_regions)
        .into_iter()
        .map(|(r, module)| (r, Look::Smoothed(module)))
        .collect();
    let sure = budget.most_rows >= locate::SURE_ROWS;
    let whole = whole_image(gray);
    if small || (sure && gray.width.max(gray.height) <= SMOOTHED_WHOLE_IMAGE) {
        looks.push((whole, Look::Smoothed(SMOOTHED_WHOLE_MODULE)));
        if sure {
            looks.push((whole, Look::Smoothed(SMOOTHED_LIGHT_MODULE)));
        }
    }
    looks
}

/// A brushed plate's streaks taken out of the whole image, where it shows
/// some (see `image::Gray::streaks`; camera frames are larger) and a finder
/// was seen on two rows or more: every plate this reads on our corpora shows
/// one on three or more, and wood grain, whose streaks the test finds too,
/// shows none (400 px code-free crops: +6.5 % instructions with this, +19 %
/// without).
fn destreaked_look(gray: &image::Gray, most_rows: u32) -> Option<([f32; 4], Look)> {
    if !may_destreak(gray, most_rows) {
        return None;
    }
    gray.streaks(STREAKS_MOST)
        .map(|along| (whole_image(gray), Look::Destreaked(along)))
}

/// Whether an image may get the destreaked look (see [`destreaked_look`]).
fn may_destreak(gray: &image::Gray, most_rows: u32) -> bool {
    gray.width.max(gray.height) <= SMOOTHED_WHOLE_IMAGE && most_rows >= 2
}

/// The whole image as a region's box.
fn whole_image(gray: &image::Gray) -> [f32; 4] {
    [0.0, 0.0, gray.width as f32, gray.height as f32]
}

/// Grid step of the test for a plate's streaks that puts its looks ahead of
/// the wrapped pass: a quarter of `image::Gray::streaks`'s samples, since every
/// image that reaches the wrapped pass pays for it.
const PLATE_TEST_STEP: usize = 12;

/// The sharpened looks at a heavily blurred symbol whose finders were plain
/// (see [`Budget::sharpen_regions`]): its region lightly, then strongly, or
/// the whole image strongly where the smoothed look takes it whole (a blur
/// also costs finders their rows).
fn sharpened_looks(
    gray: &image::Gray,
    sharpen: &[[f32; 4]],
    most_rows: u32,
) -> Vec<([f32; 4], Look)> {
    let mut looks: Vec<_> = sharpen
        .iter()
        .map(|&r| (r, Look::Sharpened(SHARPENED_LIGHT)))
        .collect();
    if most_rows >= locate::SURE_ROWS && gray.width.max(gray.height) <= SMOOTHED_WHOLE_IMAGE {
        looks.push((whole_image(gray), Look::Sharpened(SHARPENED_STRONG)));
    } else {
        looks.extend(
            sharpen
                .iter()
                .map(|&r| (r, Look::Sharpened(SHARPENED_STRONG))),
        );
    }
    looks
}

/// The most that pixels differ along a plate's streaks, as a share of what
/// they differ along the median direction, for the destreaked look (see
/// `image::Gray::streaks`): engraved plates on our corpora show 0.71-0.83,
/// wood grain 0.3-0.4, foliage and noise 0.97.
const STREAKS_MOST: f64 = 0.85;

/// Pixels each side along the streaks that [`Look::Destreaked`] takes the
/// mean of: 47 reads 4 plates more than 31 on our corpora, and a streak's
/// strength changes little over 95 px.
const DESTREAK_REACH: usize = 47;

/// [`Look::Sharpened`]'s masks: smoothing passes and how far each pixel is
/// moved, in times its difference from the smoothed image. The light one (a
/// Gaussian of 1 px, moved once) reads some that the strong one (2 px,
/// twice) does not; the strong one reads twice as many.
const SHARPENED_LIGHT: (usize, i16) = (2, 1);
const SHARPENED_STRONG: (usize, i16) = (8, 2);

/// Searches `big`, the image enlarged 2x, as the image itself, and puts what
/// it finds back into the image's coordinates (`found` must be empty).
fn search_enlarged(
    big: &image::Gray,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
) {
    budget.scale = 0.5;
    search(big, options, found, budget);
    for d in found.iter_mut() {
        d.scale_corners(0.5);
    }
}

/// How [`search_regions`] looks at a region again.
#[derive(Clone, Copy)]
enum Look {
    /// Enlarged 2x with Catmull-Rom weights ([`image::Gray::upscaled_sharp`]):
    /// a far-away symbol's blurred modules under 2 px keep their edges.
    Sharp,
    /// As it is, binarized over the crop alone. A far-away symbol on a light
    /// label, blurred: over the whole frame, the blocks along the label's
    /// edge lift the local threshold near it, and the frame's Otsu level is
    /// the frame's, so a finder's blurred light ring reads dark at any scale;
    /// the crop's own levels read it light.
    Own,
    /// Enlarged 2x with bilinear weights: a few that read so do not read
    /// sharp (sensor noise sharpened too), and the retry costs only the
    /// images where nothing else read.
    Soft,
    /// Smoothed over about a fifth of this module size. Engraved and
    /// embossed symbols show their modules as lit and shaded walls more than
    /// as dark and light areas; the smoothing cancels each wall's highlight
    /// against its shadow and leaves the grooves darker than the plate.
    Smoothed(f32),
    /// Sharpened by an unsharp mask (smoothing passes, amount; see
    /// [`SHARPENED_LIGHT`]): a heavily blurred symbol whose finders are plain
    /// but whose modules run into each other.
    Sharpened((usize, i16)),
    /// Less its streaks along this direction ([`image::Gray::destreaked`]):
    /// an engraved plate of brushed metal, whose streaks cross the symbol
    /// as strongly as its grooves.
    Destreaked((f64, f64)),
}

/// [`search_regions`] for looks that spend no budget: a look that reads
/// later must still have what it read with.
fn search_regions_sparing(
    gray: &image::Gray,
    regions: Vec<([f32; 4], Look)>,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
) {
    let (triples_left, kept) = (budget.triples_left, budget.kept());
    search_regions(gray, regions, options, found, budget);
    budget.restore(kept);
    budget.triples_left = triples_left;
}

/// Regions of unread triples (see [`Budget::regions`] and
/// [`Budget::smooth_regions`]), each cut out, looked at as `Look` says and
/// searched like an image of its own, until one reads. The wrapped pass
/// after the enlarged regions still gets the local bits of the whole image.
fn search_regions(
    gray: &image::Gray,
    regions: Vec<([f32; 4], Look)>,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
) {
    budget.early_regions = 0;
    let whole = budget.local_bits.take();
    budget.in_region = true;
    for (r, look) in &regions {
        if !found.is_empty() || budget.spent(options) {
            break;
        }
        let Some((crop, x0, y0)) = gray.crop(r) else {
            continue;
        };
        let (image, scale) = match *look {
            Look::Sharp => (crop.upscaled_sharp(), 0.5),
            Look::Soft => (crop.upscaled(), 0.5),
            Look::Own => (crop, 1.0),
            Look::Smoothed(module) => {
                // Variance (module / 5)^2, half a square pixel per pass.
                let passes = (0.08 * module * module).round().clamp(1.0, 8.0) as usize;
                (crop.smoothed(passes), 1.0)
            }
            Look::Sharpened((passes, amount)) => (crop.sharpened(passes, amount), 1.0),
            Look::Destreaked(along) => (crop.destreaked(along, DESTREAK_REACH), 1.0),
        };
        budget.scale = scale;
        budget.origin = (x0 as f32, y0 as f32);
        // The filtered looks keep the plain mean: weighted, they read 29
        // more image-rotations on our corpora but lost 7 (engraved and
        // brushed plates, one of them a street frames test's).
        budget.weighted_local = matches!(look, Look::Sharp | Look::Soft | Look::Own);
        search(&image, options, found, budget);
        budget.local_bits = None;
        for d in found.iter_mut() {
            d.scale_corners(scale);
            d.offset_corners(x0 as f32, y0 as f32);
        }
    }
    budget.in_region = false;
    budget.weighted_local = false;
    budget.scale = 1.0;
    budget.origin = (0.0, 0.0);
    budget.local_bits = whole;
}

/// A scan that confirmed more finders than this saw texture (unless trying
/// harder, which treats every scan alike):
/// - it tries only its best [`TEXTURE_TRIPLES`] triples;
/// - once a dark-on-light scan of the image at its own size saw that many,
///   no light-on-dark scan follows (-4.8 % on code-free camera frames, no
///   read lost);
/// - and the wrapped pass skips the image: its merged-edge scan would
///   confirm thousands of windows (a fifth of such a frame's time), and
///   texture's finders outrank a pole's. Every image that pass reads on our
///   corpora shows fewer (its first scan at most 30, pole symbols 22); 14 of
///   42 code-free street frames show more.
const TEXTURE_FINDERS: usize = 40;

/// Whether a scan that confirmed `finders` plain finders saw texture (see
/// [`TEXTURE_FINDERS`]).
fn texture(finders: usize) -> bool {
    finders > TEXTURE_FINDERS
}

/// Triples a scan of texture tries (see [`TEXTURE_FINDERS`]): a symbol's own
/// triple ranks among its best, and each of the rest costs a search and
/// spends the image's budget (see [`TRIPLES_PER_IMAGE`]) that the later
/// passes read far-away and night frames with. On our corpora 10 reads 4
/// image-rotations more than 80 did and none fewer; 5 loses some.
const TEXTURE_TRIPLES: usize = 10;

/// Finder triples tried per image over all passes, unless trying harder.
const TRIPLES_PER_IMAGE: usize = 240;

/// Images at most this many pixels on their longer side are also tried
/// enlarged 2x when nothing was found.
const SMALL_IMAGE: usize = 400;

/// Images at most this many pixels on their longer side, larger than
/// [`SMALL_IMAGE`], get the smoothed look whole when nothing else read and
/// a finder was well confirmed (see [`search_image`]): every image smaller
/// than a camera frame (640 x 480 and up), whose code-free frames never pay
/// for it.
const SMOOTHED_WHOLE_IMAGE: usize = 639;

/// The module size (pixels) an image smoothed whole is smoothed for (see
/// [`search_image`]): two passes, a Gaussian of 1 px, which read engraved
/// symbols of 4 to 6 px modules alike.
const SMOOTHED_WHOLE_MODULE: f32 = 5.0;

/// Then, when a finder was well confirmed, one pass (0.7 px): it reads
/// some with narrow grooves that two passes fill in.
const SMOOTHED_LIGHT_MODULE: f32 = 3.5;

/// Runs the binarizers and scans on one grey image, appending what it finds.
fn search(
    gray: &image::Gray,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
) {
    // The local threshold first; the global one only when that found
    // nothing (or always, trying harder). A symbol the local pass located
    // (its grid read plausibly) but could not read often reads there: far
    // away and blurred, its small modules' edges fall on either side of
    // the local threshold. The enlarged image gets the local threshold only
    // (see `search_image`).
    // The far look and a region's enlarged and own-size looks weigh the
    // local threshold's blocks by their contrast (see
    // `binarize::local_weighted`): they run where the native passes located
    // a symbol and read nothing, often a small one by a label's faint edge.
    // The native passes keep the plain mean: there the weighted one cost the
    // wrapped pass pole reads, or a binarization of its own.
    let local = if budget.weighted_local || budget.far_regions.is_some() {
        binarize::local_weighted
    } else {
        binarize::local
    };
    let binarizers: &[fn(&image::Gray) -> binarize::BitImage] = &[local, binarize::global];
    let enlarged = budget.scale < 1.0;
    let mut local_finders = Vec::new();
    for (pass, binarize) in binarizers.iter().enumerate() {
        if budget.spent(options) {
            // A further binarization and finder scan could only feed
            // triples the budget no longer allows.
            break;
        }
        if pass > 0 && ((enlarged && !options.try_harder) || options.quick) {
            break;
        }
        let mut bits = binarize(gray);
        let pure_qr = options
            .reads(Symbology::Qr)
            .then(|| pure::locate(&bits))
            .flatten();
        if let Some((dim, transforms)) = pure_qr {
            for h in &transforms {
                let mut effort = Effort::full();
                if let Attempt::Decoded(d) =
                    decode_transform(&bits, h, dim, false, options, &mut effort)
                {
                    // The symbol spans every dark pixel of the image, so a
                    // clean read leaves no room for another. One that needed
                    // corrections may have a small symbol printed over it (a
                    // nested code): the scan below looks for it.
                    let clean = d.corrected_codewords() == 0;
                    if !found.iter().any(|g| same_symbol(g, &d)) {
                        found.push(*d);
                    }
                    if clean {
                        return;
                    }
                    break;
                }
            }
        }
        if options.pure && !found.is_empty() {
            break;
        }
        // The rows' runs once for every scan of these bits: dark-on-light,
        // light-on-dark and the wrapped pass's merged-edge one.
        let shortest = if pass == 0 && !enlarged && !options.try_harder {
            LOCAL_SHORTEST_WINDOW
        } else {
            0
        };
        let mut rows = find::scan_rows(&bits, row_step(options), shortest);
        let triples = max_triples(options);
        let (strong, finders, all) = scan(&bits, &mut rows, false, options, found, budget, triples);
        if !enlarged && !budget.in_region {
            budget.plain_finders = budget.plain_finders.max(all);
        }
        if pass == 0 {
            local_finders = std::mem::take(&mut budget.last_finders);
        } else if found.is_empty() && !enlarged && !options.pure {
            cross_thresholds(&bits, &local_finders, options, found, budget);
        }
        // Light-on-dark symbols: when nothing dark-on-light was found (a
        // second full scan per frame for the rare mixed image would double
        // the time of every read), nor three well-confirmed dark-on-light
        // finders among many (then the symbol is there but damaged, not
        // inverted), but for a few finders: an inverted symbol's data makes
        // a few such blots, texture dozens, and a few blots may even form a
        // grid whose timing reads. Where nothing read, the scan costs little
        // beside the passes that follow. Nor in a frame of texture (see
        // `TEXTURE_FINDERS`).
        let damaged = strong >= 3 && finders >= FEW_FINDERS;
        let textured = texture(budget.plain_finders);
        if options.try_inverted
            && found.len() < options.max_symbols
            && ((found.is_empty() && !damaged && !textured && (!enlarged || finders == 0))
                || options.try_harder)
        {
            bits.invert();
            scan(&bits, &mut rows, true, options, found, budget, triples);
            bits.invert();
        }
        // Far-away symbols: at about 2 px a module after blur, a finder
        // shows its pattern on a few rows only, which scanning every other
        // row misses or sees too seldom to trust. The global threshold's
        // bits (the pass that reads such symbols) are scanned again on
        // every row, for small finders only, and the best few triples tried.
        // Where the global threshold confirmed no finder at all (in a bright
        // frame it sits high enough to turn a blurred symbol's light modules
        // dark), the local threshold's bits are rescanned instead.
        let local_rescan = pass == 1
            && finders == 0
            && budget
                .local_bits
                .as_ref()
                .is_some_and(|(at, _, _)| *at == budget.scale);
        let rescanned = if local_rescan {
            budget.plain_finders
        } else {
            finders
        };
        if pass == 1
            && (1..=FINE_MOST_FINDERS).contains(&rescanned)
            && found.is_empty()
            && !enlarged
            && !budget.in_region
            && !options.try_harder
            && options.reads(Symbology::Qr)
            && !options.pure
        {
            let local = if local_rescan {
                budget.local_bits.take()
            } else {
                None
            };
            let rescan_bits = local.as_ref().map_or(&bits, |(_, b, _)| b);
            let mut every = find::scan_every_row(rescan_bits, FINE_WINDOWS);
            // Its finders, seen on twice the rows, say nothing of how
            // sure the other scans were (see `Budget::most_rows`). Its
            // triples and pairs must not use up what the enlarged regions
            // need after it (a far-away symbol read there needs both): its
            // triples are not remembered as rescued, and its pairs spend
            // budgets of their own.
            let (most_rows, kept) = (budget.most_rows, budget.kept());
            budget.most_rows = 0;
            scan(
                rescan_bits,
                &mut every,
                false,
                options,
                found,
                budget,
                FINE_TRIPLES,
            );
            budget.far_look = (FAR_LOOK_ROWS..=FAR_LOOK_MOST_ROWS).contains(&budget.most_rows)
                && (!local_rescan || gray.width * gray.height <= FAR_LOOK_LOCAL_PIXELS);
            if local_rescan {
                budget.local_bits = local;
            }
            budget.most_rows = most_rows;
            budget.restore(kept);
        }
        // The local threshold's bits and rows' runs, kept for the
        // wrapped-symbol pass (last, at the scale it reads: see
        // `search_image`).
        let wrapped_here = pass == 0
            && options.reads(Symbology::Qr)
            && !options.pure
            && (enlarged || gray.width.max(gray.height) > SMALL_IMAGE);
        if wrapped_here && found.is_empty() {
            budget.local_bits = Some((budget.scale, bits, rows));
        }
        if found.len() >= options.max_symbols || (!found.is_empty() && !options.try_harder) {
            break;
        }
    }
}

/// A symbol whose finders neither threshold sees all of (an engraved plate:
/// one finder's grooves binarize only under the local threshold, two only
/// under the global one): triples of the global pass's well-confirmed
/// finders and the local pass's that it did not see, at least one of each,
/// the best [`CROSS_TRIPLES`] tried on the global threshold's bits.
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn cross_thresholds(
    bits: &binarize::BitImage,
    local: &[find::Finder],
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
) {
    // Each side's best confirmed first (scans sort them so); plain loops,
    // not iterator chains: this is a rare path, and each chain is more code
    // in the WebAssembly package.
    let mut all = std::mem::take(&mut budget.last_finders);
    all.truncate(CROSS_FINDERS);
    let split = all.len();
    for l in local {
        if all.len() == split + CROSS_FINDERS {
            break;
        }
        let seen = all[..split].iter().any(|g| {
            let r = 3.5 * g.module.max(l.module);
            (g.x - l.x) * (g.x - l.x) + (g.y - l.y) * (g.y - l.y) < r * r
        });
        if !seen {
            all.push(*l);
        }
    }
    // Few frames of texture show a finder that sure.
    let sure = all.iter().any(|f| f.count >= locate::SURE_ROWS);
    if split == 0 || all.len() == split || !sure {
        return;
    }
    let mut effort = Effort::full();
    let mut tried = 0;
    for t in &locate::triples(&all, CROSS_RANKED, 0) {
        // Triples of one side alone were tried by that side's scan.
        let from_global =
            usize::from(t.tl < split) + usize::from(t.tr < split) + usize::from(t.bl < split);
        if from_global == 0 || from_global == 3 {
            continue;
        }
        if tried == CROSS_TRIPLES || budget.triples_left == 0 {
            break;
        }
        tried += 1;
        budget.triples_left -= 1;
        if let Some(d) = decode_triple(bits, &all, t, false, options, &mut effort, budget) {
            found.push(d);
            return;
        }
    }
}

/// Triples [`cross_thresholds`] tries.
const CROSS_TRIPLES: usize = 2;

/// Finders [`cross_thresholds`] takes from each threshold's scan (best
/// confirmed first), and the best triples of them it ranks before keeping
/// the mixed ones.
const CROSS_FINDERS: usize = 10;
const CROSS_RANKED: usize = 40;

/// Looks for symbols in one binary image, appending new ones to `found`;
/// returns how many finders were confirmed on three rows or more, how many
/// it kept for its triples, and how many it confirmed at all.
fn scan(
    bits: &binarize::BitImage,
    rows: &mut find::ScannedRows,
    inverted: bool,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
    max_triples: usize,
) -> (usize, usize, usize) {
    let max_finders = max_finders(options);
    let class = if inverted {
        find::Class::Light
    } else {
        find::Class::Dark
    };
    let all = rows.finders(bits, class, max_finders);
    // The best confirmed finders, for the search by triples of every
    // combination; the rest only for pages of many symbols (`scan_many`).
    let finders = &all[..all.len().min(max_finders)];
    // Best confirmed first: the first was seen on the most rows.
    if budget.scale == 1.0 && !budget.in_region {
        let most = finders.first().map_or(0, |f| f.count);
        budget.most_rows = budget.most_rows.max(most);
    }
    // Finders confirmed on several rows: real ones, in this polarity.
    let strong = finders.iter().filter(|f| f.count >= 3).count();
    budget.last_finders.clear();
    if !inverted && budget.scale == 1.0 {
        for f in finders {
            if f.count >= locate::STRONG_ROWS {
                budget.last_finders.push(*f);
            }
        }
    }
    let mut used = vec![false; all.len()];
    let mut triples = if options.reads(Symbology::Qr) {
        // The light-on-dark scan tries only its best few (see below).
        let strong = if inverted && !options.try_harder {
            0
        } else {
            STRONG_TRIPLES
        };
        // A scan of texture: its best few (see `TEXTURE_TRIPLES`).
        let max_triples = if texture(all.len()) && !options.try_harder {
            max_triples.min(TEXTURE_TRIPLES)
        } else {
            max_triples
        };
        locate::triples(finders, max_triples, strong)
    } else {
        Vec::new()
    };
    // The light-on-dark scan tries only its best few triples (see
    // [`INVERTED_TRIPLES`]); the rest count against the image's budget as
    // if tried, so that cutting them short does not buy a later pass.
    let mut untried = 0;
    if inverted && !options.try_harder && triples.len() > INVERTED_TRIPLES {
        untried = triples.len() - INVERTED_TRIPLES;
        triples.truncate(INVERTED_TRIPLES);
    }
    let mut effort = Effort::full();
    let found_before = found.len();
    let mut further = FURTHER_TRIPLES;
    for t in triples {
        if found.len() >= options.max_symbols {
            break;
        }
        let ids = [t.tl, t.tr, t.bl];
        if ids.iter().any(|&i| used[i]) {
            continue;
        }
        if found.len() > found_before && !options.try_harder {
            // Looking for further symbols after one was read: triples come
            // best first, and in a noisy frame the tail is noise that costs
            // a full search per triple, so only a few more are tried
            // (trying harder tries them all).
            if further == 0 {
                break;
            }
            // Nor those whose timing patterns do not alternate (see
            // `group::timing_runs_ok`): a second symbol's own triple
            // shows them, texture's triples cost a full search each.
            if !super::group::timing_runs_ok(bits, finders, &t)
                && !nested_in_found(&found[found_before..], finders, &t)
            {
                continue;
            }
            further -= 1;
        }
        if budget.triples_left == 0 {
            break;
        }
        budget.triples_left -= 1;
        if let Some(d) = decode_triple(bits, finders, &t, inverted, options, &mut effort, budget) {
            mark_used(&mut used, finders, &t, &d);
            if !found.iter().any(|g| same_symbol(g, &d)) {
                found.push(d);
            }
        }
    }
    budget.triples_left = budget.triples_left.saturating_sub(untried);
    if options.reads(Symbology::Qr) {
        let read = found.len() > found_before;
        let page = Page {
            finders: &all,
            read,
            max_finders,
        };
        scan_many(
            bits,
            page,
            &mut used,
            inverted,
            options,
            found,
            budget,
            &mut effort,
        );
    }
    // A symbol with one finder covered: only when nothing at all was read,
    // and dark-on-light only (see `pair`).
    if found.is_empty() && !inverted && options.reads(Symbology::Qr) {
        scan_pairs(bits, finders, options, found, budget, &mut effort);
    }
    // A quick look leaves Micro QR and rMQR to full decodes, unless they are
    // all it looks for: on a frame without a code they cost a tenth of it.
    if found.len() < options.max_symbols
        && (options.reads(Symbology::MicroQr) || options.reads(Symbology::Rmqr))
        && !(options.quick && options.reads(Symbology::Qr))
    {
        scan_small(bits, finders, &used, inverted, options, found, budget);
    }
    (strong, finders.len(), all.len())
}

/// Tries the triples of two found finders and an inferred third (see
/// [`pair`](super::pair)) until one reads: first those whose timing
/// patterns alternate ([`INFERRED_TRIPLES`] per image), then up to
/// [`UNTIMED_TRIPLES`] of the others, whose regions (see
/// [`Budget::regions`]) are looked at after every other one; after all of
/// those, up to [`SMALL_PAIR_TRIPLES`] from pairs with a small finder seen
/// on two rows, which note no region.
fn scan_pairs(
    bits: &binarize::BitImage,
    finders: &[find::Finder],
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
    effort: &mut Effort,
) {
    super::pair::try_inferred_triples(bits, finders, |three, t, placed, timed, small| {
        if budget.triples_left == 0 {
            return true;
        }
        // The timed triples come first: past their budget, on to the others.
        if small {
            // Pairs with a finder seen on two rows: a budget of their own.
            if budget.small_pairs_left == 0 {
                return true;
            }
            budget.small_pairs_left -= 1;
        } else if timed {
            if budget.inferred_left == 0 {
                return false;
            }
            budget.inferred_left -= 1;
        } else {
            // Tried for the region it may leave: only small modules get one.
            if t.modules.iter().sum::<f32>() / 3.0 >= REGION_MODULE {
                return false;
            }
            if budget.untimed_left == 0 {
                return true;
            }
            budget.untimed_left -= 1;
        }
        budget.triples_left -= 1;
        // The cheap tries (see `decode_triple`): a covered finder's symbol
        // is otherwise whole, and a frame of texture pays little. The
        // second placement is part of the same try.
        budget.late = !timed;
        budget.no_regions = small;
        let weak = |t: locate::Triple| locate::Triple { weak: true, ..t };
        let mut read = decode_triple(bits, three, &weak(t), false, options, effort, budget);
        if read.is_none() {
            if let Some((three, t)) = placed() {
                budget.no_regions = true;
                read = decode_triple(bits, &three, &weak(t), false, options, effort, budget);
            }
        }
        budget.no_regions = false;
        budget.late = false;
        read.map(|d| found.push(d)).is_some()
    });
}

/// Triples with an inferred third finder whose timing patterns alternate,
/// tried per image over all passes, unless trying harder. Each is a cheap
/// try; a far-away symbol whose third finder the scan missed needs its
/// pair's in the native-size pass (to note its region) and again in that
/// region's enlarged crop.
const INFERRED_TRIPLES: usize = 12;

/// Triples with an inferred third finder whose timing patterns do not
/// alternate, tried per image after the others, unless trying harder:
/// at 2 px per module after blur and JPEG, and with the inferred corner a
/// module or two off under perspective, a real symbol's often do not. With
/// modules under [`REGION_MODULE`] only, with the cheap tries of a repeat:
/// what such a triple finds is mostly the region its enlarged crop reads.
const UNTIMED_TRIPLES: usize = 8;

/// Triples with an inferred third finder from a pair of one well-confirmed
/// finder and one small finder seen on two rows (see `pair.rs`), tried per
/// image after all the others, unless trying harder.
const SMALL_PAIR_TRIPLES: usize = 8;

/// Marks the finders of a triple that read as used, those that are the read
/// symbol's own finders (within 3 modules of where they sit): a triple with a
/// neighbour's finder can read a symbol (the fourth corner and the nudges
/// make up for the wrong corner), and that finder is still needed for its
/// own symbol; so is a finder of a small symbol printed inside it (a nested
/// code).
fn mark_used(used: &mut [bool], finders: &[find::Finder], t: &locate::Triple, d: &Decoded) {
    let (own, module) = own_finders(d);
    for i in [t.tl, t.tr, t.bl] {
        let f = &finders[i];
        if own
            .iter()
            .any(|c| (c.x - f.x).hypot(c.y - f.y) <= 3.0 * module)
        {
            used[i] = true;
        }
    }
}

/// The centres of a read QR symbol's three finder patterns (from its corners,
/// bilinearly: near enough under a camera's perspective) and its mean module
/// size in pixels.
fn own_finders(d: &Decoded) -> ([Point; 3], f32) {
    let [tl, tr, br, bl] = d.corners();
    let dim = d.version().size() as f32;
    let at = |u: f32, v: f32| Point {
        x: (1.0 - v) * ((1.0 - u) * tl.x + u * tr.x) + v * ((1.0 - u) * bl.x + u * br.x),
        y: (1.0 - v) * ((1.0 - u) * tl.y + u * tr.y) + v * ((1.0 - u) * bl.y + u * br.y),
    };
    let (near, far) = (3.5 / dim, 1.0 - 3.5 / dim);
    let side = (tl.x - tr.x).hypot(tl.y - tr.y) + (tl.x - bl.x).hypot(tl.y - bl.y);
    (
        [at(near, near), at(far, near), at(near, far)],
        side / 2.0 / dim,
    )
}

/// The finders of one scan, for [`scan_many`].
struct Page<'a> {
    /// Every finder found, best confirmed first.
    finders: &'a [find::Finder],
    /// Whether the scan's search by triples read a symbol.
    read: bool,
    /// How many of the best confirmed finders that search used.
    max_finders: usize,
}

/// Pages of many symbols: the search by triples of every combination takes
/// only the best confirmed finders and tries only a few triples after the
/// first read (in a noisy frame the tail is noise). When that search read a
/// symbol, or more finders were well confirmed than it could take, the
/// well-confirmed finders no symbol used are grouped with their nearest
/// neighbours (see [`group`](super::group)) and those triples tried, best
/// first, until [`MANY_MISSES`] in a row read nothing or each such finder
/// has had [`MANY_TRIES`] tries. On a frame (no more well-confirmed finders
/// than the search by triples takes) only triples whose timing patterns
/// alternate are tried, and [`FRAME_MISSES`] in a row end the search: a
/// street frame's texture makes finder-like blots whose triples each cost a
/// full search.
#[allow(clippy::too_many_arguments)]
fn scan_many(
    bits: &binarize::BitImage,
    page: Page<'_>,
    used: &mut [bool],
    inverted: bool,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
    effort: &mut Effort,
) {
    let finders = page.finders;
    let strong = |i: &usize| finders[*i].count >= locate::STRONG_ROWS;
    let pool: Vec<usize> = (0..finders.len())
        .filter(|i| !used[*i] && strong(i))
        .collect();
    let confirmed = (0..finders.len()).filter(strong).count();
    if pool.len() < 3 || !(page.read || confirmed > page.max_finders) {
        return;
    }
    let frame = confirmed <= page.max_finders;
    let mut tries = pool.len() * MANY_TRIES;
    let mut misses = 0;
    for t in super::group::neighbour_triples(bits, finders, &pool) {
        let most_misses = if frame { FRAME_MISSES } else { MANY_MISSES };
        if found.len() >= options.max_symbols || tries == 0 || misses >= most_misses {
            break;
        }
        if [t.tl, t.tr, t.bl].iter().any(|&i| used[i]) {
            continue;
        }
        // Triples come timing-first: on a frame (not a page of more
        // finders than the search by triples takes) the rest is texture,
        // but for a code printed inside one already read.
        if frame
            && !super::group::timing_runs_ok(bits, finders, &t)
            && !nested_in_found(found, finders, &t)
        {
            continue;
        }
        tries -= 1;
        match decode_triple(bits, finders, &t, inverted, options, effort, budget) {
            Some(d) => {
                misses = 0;
                mark_used(used, finders, &t, &d);
                if !found.iter().any(|g| same_symbol(g, &d)) {
                    found.push(d);
                }
            }
            None => misses += 1,
        }
    }
}

/// The last pass, when no other read anything: symbols wrapped round a
/// pole. Their edge finders are found again with one outer ring allowed to
/// merge with a dark surround (the quiet zone foreshortened to nothing, the
/// pole behind), and the best triples are tried as wrapped symbols only
/// (every flat map had its try in the passes before). Weak triples too: an
/// edge finder squeezed across the wrap is crossed by few rows.
fn search_wrapped(
    gray: &image::Gray,
    scale: f32,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
) {
    let (bits, mut rows) = match budget.local_bits.take() {
        Some((at, bits, rows)) if at == scale => (bits, rows),
        _ => {
            let bits = binarize::local(gray);
            let rows = find::scan_rows(&bits, row_step(options), 0);
            (bits, rows)
        }
    };
    // A small image enlarged gets the rescan's rounds even when the first
    // scan saw no finder: a pole symbol's three finders all lie at the wrap's
    // edges, squeezed, and a small one's may pass no plain test at all. Not
    // frames at their own size: there it cost code-free frames 5 % for no
    // read on our corpora.
    let rounds = Rounds {
        without_finders: scale != 1.0,
        pairs: true,
        transposed: false,
    };
    let seen = wrapped_rounds(
        &bits,
        &mut rows,
        options,
        &mut budget.curved_left,
        rounds,
        found,
    );
    // Where the rescan's rounds ran (a pole shows few finders, texture
    // dozens) and the scan saw at least [`WRAPPED_AGAIN_LEAST`], the same
    // rounds twice more. First across the columns, on the image transposed
    // and thresholded afresh: which finders a scan confirms, and how it
    // centres them, depend on the rows' direction (a pole's squeezed edge
    // finders on how the rows cross the squeeze) and on the blocks'
    // thresholds. Then on the global threshold's bits: where the label meets
    // the background, the blocks' thresholds shift, which can cost an edge
    // finder its rings or its centre, or flip the narrow edge modules.
    if !found.is_empty() || !(WRAPPED_AGAIN_LEAST..=WRAPPED_FINE_MOST_FINDERS).contains(&seen) {
        return;
    }
    drop((bits, rows));
    rounds_again(&binarize::local(&gray.transposed()), true, options, found);
    for d in found.iter_mut() {
        d.transpose_corners();
    }
    if found.is_empty() {
        rounds_again(&binarize::global(gray), false, options, found);
    }
}

/// [`wrapped_rounds`] run again on other bits of the image (see
/// [`search_wrapped`]), with [`CURVED_TRIPLES`] tries in the first round.
fn rounds_again(
    bits: &binarize::BitImage,
    transposed: bool,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
) {
    let mut rows = find::scan_rows(bits, row_step(options), 0);
    let mut left = CURVED_TRIPLES;
    let rounds = Rounds {
        without_finders: false,
        pairs: false,
        transposed,
    };
    wrapped_rounds(bits, &mut rows, options, &mut left, rounds, found);
}

/// A try of [`wrapped_rounds`] as it is remembered: the finder centres,
/// corner by corner, and the version their modules suggest.
type Tried = ([(f32, f32); 3], Option<usize>);

/// How [`wrapped_rounds`] runs.
#[derive(Clone, Copy)]
struct Rounds {
    /// The rescan's rounds run when the first scan saw no finder too.
    without_finders: bool,
    /// The rounds end with pairs of finders completed (see
    /// [`wrapped_pairs`]).
    pairs: bool,
    /// The image is the transposed one (see [`search_wrapped`]).
    transposed: bool,
}

/// The rounds of [`search_wrapped`] on one binary image and its scanned
/// rows, `first_left` the tries of the first round. Returns how many
/// finders the scan of every other row found (the rescan's rounds run for
/// 1, or with `without_finders` 0, to [`WRAPPED_FINE_MOST_FINDERS`]).
fn wrapped_rounds(
    bits: &binarize::BitImage,
    rows: &mut find::ScannedRows,
    options: &DecodeOptions,
    first_left: &mut usize,
    Rounds {
        without_finders,
        pairs,
        transposed,
    }: Rounds,
    found: &mut Vec<Decoded>,
) -> usize {
    let max_finders = max_finders(options);
    let mut finders = rows.finders(bits, find::Class::Merged, max_finders);
    finders.truncate(max_finders);
    let mut tries = WrappedTries::default();
    // The best triples as wrapped symbols; then, when few finders were seen
    // (texture shows dozens), those of a scan of every row: an edge finder
    // squeezed across the wrap to a pixel or two a module crosses few
    // scanned rows, and its centre from those few is off. The rescan's
    // triples (new ones, or the same finders centred from twice the rows)
    // get tries of their own; then the best of the same rows' finders
    // confirmed as squeezed across too (see `find::Class::Squeezed`): an
    // edge finder whose rings on the edge side blur into the pole, or whose
    // edge ring reads light; then those found with the rows' windows
    // squeezed as well, first with the edge ring kept, then lost too (see
    // `find::Class::loses_rings`). Each round finds
    // what the one before it did and more, but ranks the triples anew, so
    // none replaces the one before. Trying harder scans every row from the
    // start but gets these rounds too.
    let seen = finders.len();
    let few = (seen > 0 || without_finders) && seen <= WRAPPED_FINE_MOST_FINDERS;
    let mut every = None;
    // Each round finds its finders anew, and a well-confirmed symbol's
    // triple often comes back with the same centres: tried once (a damaged
    // flat symbol's triple was tried ten times an image, its maps decoded
    // each time). Keyed by the centres and the version the modules suggest,
    // the tries differ at most in the other versions' order and the cores'
    // reach; on our corpora no read depends on them.
    let mut tried: Vec<Tried> = Vec::new();
    for class in [
        None,
        Some(find::Class::Merged),
        Some(find::Class::Squeezed),
        Some(find::Class::SqueezedRows),
        Some(find::Class::SqueezedRowsLost),
    ] {
        if let Some(class) = class {
            if !few {
                return seen;
            }
            let rows = every.get_or_insert_with(|| find::scan_every_row(bits, (0, u32::MAX)));
            finders = rows.finders(bits, class, max_finders);
            finders.truncate(max_finders);
        }
        let mut left = WRAPPED_FINE_TRIPLES;
        // After the last round's ranked tries, one more: the triple round
        // the most other finders (see `locate::most_enclosing`), a large
        // symbol's.
        let enclosing = (class == Some(find::Class::SqueezedRowsLost))
            .then(|| locate::most_enclosing(&finders, ENCLOSING_CANDIDATES, ENCLOSING_LEAST))
            .flatten();
        let ranked = locate::triples(&finders, WRAPPED_TRIPLES, 0);
        // The ranked triples spend the round's tries; the enclosing one is
        // tried past them.
        let budgeted = ranked.len();
        for (k, t) in ranked.into_iter().chain(enclosing).enumerate() {
            let spent = if class.is_none() {
                &mut *first_left
            } else {
                &mut left
            };
            if k < budgeted && *spent == 0 {
                continue;
            }
            // The centres, corner by corner, and the version the modules
            // suggest: what `curved` fits its maps to.
            let centres = [t.tl, t.tr, t.bl].map(|i| (finders[i].x, finders[i].y));
            let key = (centres, locate::dimensions(&finders, &t).first().copied());
            if tried.contains(&key) {
                continue;
            }
            tried.push(key);
            if k < budgeted {
                *spent -= 1;
            }
            if let Some(d) = curved(bits, &finders, &t, options, &mut tries, transposed) {
                found.push(d);
                return seen;
            }
        }
    }
    // Last, two finders of the last round with the third searched for (see
    // `pair::wrapped_thirds`): on the first bits only, as the later runs on
    // other bits read little more for their cost.
    if few && pairs {
        if let Some(d) = wrapped_pairs(bits, &finders, options, &mut tries, transposed) {
            found.push(d);
        }
    }
    seen
}

/// A wrapped symbol of which the rounds found two finders: pairs of the
/// [`WRAPPED_PAIR_FINDERS`] best confirmed of `finders` (those seen on
/// fewer than `STRONG_ROWS` rows excluded) with each third that
/// `pair::wrapped_thirds` finds, tried as wrapped symbols, at most
/// [`WRAPPED_PAIR_TRIES`] of them.
fn wrapped_pairs(
    bits: &binarize::BitImage,
    finders: &[find::Finder],
    options: &DecodeOptions,
    tries: &mut WrappedTries,
    transposed: bool,
) -> Option<Decoded> {
    // The scans sort their finders best confirmed first.
    let strong: Vec<&find::Finder> = finders
        .iter()
        .filter(|f| f.count >= locate::STRONG_ROWS)
        .take(WRAPPED_PAIR_FINDERS)
        .collect();
    let mut left = WRAPPED_PAIR_TRIES;
    for (k, a) in strong.iter().enumerate() {
        for b in &strong[k + 1..] {
            for third in pair::wrapped_thirds(bits, a, b) {
                let three = [**a, **b, third];
                let Some(t) = locate::order_triple(&three, [0, 1, 2])[0] else {
                    continue;
                };
                if let Some(d) = curved(bits, &three, &t, options, tries, transposed) {
                    return Some(d);
                }
                // No further pair's rays are walked once the tries are spent.
                left -= 1;
                if left == 0 {
                    return None;
                }
            }
        }
    }
    None
}

/// Triples tried per unused well-confirmed finder on a page of many symbols:
/// each symbol's triple, and about as many wrong ones made of neighbours'
/// finders.
const MANY_TRIES: usize = 2;

/// Triples in a row that read nothing after which the search of a page of
/// many symbols stops: the triples come best first, and past the symbols'
/// own come those of finders from different symbols and of texture.
const MANY_MISSES: usize = 48;

/// [`MANY_MISSES`] on a frame: its few symbols' triples come first (timing
/// first, then best), and the texture's after them cost a full search each.
const FRAME_MISSES: usize = 8;

/// The shortest window of five runs (pixels) that the local threshold's
/// scans of an image at its own size test, unless trying harder: a finder
/// pattern's, for modules from 1.43 px. Texture and sensor noise make
/// thousands of shorter windows a frame, each a cross-check; a symbol with
/// smaller modules reads in the global threshold's pass (which runs
/// whenever the local one read nothing, and tests every window) or in an
/// enlarged image. Longer limits lose reads of codes at 1.4-1.8 px per
/// module.
const LOCAL_SHORTEST_WINDOW: u32 = 10;

/// Rows scanned for finders: every other one, unless trying harder; every
/// third in a quick look, whose finders of codes under about 2.5 px a
/// module are then seen on too few rows (the full frames read them).
fn row_step(options: &DecodeOptions) -> usize {
    if options.quick {
        3
    } else if options.try_harder {
        1
    } else {
        2
    }
}

/// Triples a scan tries, best first.
fn max_triples(options: &DecodeOptions) -> usize {
    if options.quick {
        QUICK_TRIPLES
    } else if options.try_harder {
        400
    } else {
        80
    }
}

/// Triples a scan tries in a quick look ([`DecodeOptions::quick`]): a
/// camera frame's code ranks among its best, and the tail is what a frame
/// without one spends most on (-18 % of a quick look on code-free frames,
/// 3 of 4,731 quick reads on our corpora lost, each read in full frames).
const QUICK_TRIPLES: usize = 10;

/// Windows of five runs (pixels) that the rescan of every row tests (see
/// [`search`]): finders of modules from 1.7 to 4 px, those of far-away
/// symbols.
const FINE_WINDOWS: (u32, u32) = (12, 28);

/// Triples the rescan of every row tries: the far-away symbols it reads
/// come from its best few.
const FINE_TRIPLES: usize = 8;

/// The rescan of every row runs only when the scan of every other row
/// found at most this many finders (and one at least): the far-away frames
/// it reads show a few, a frame of texture dozens (5 of 42 code-free
/// street frames show 1 to 8).
const FINE_MOST_FINDERS: usize = 8;

/// Rows (of every row) on which a finder of the rescan must be seen for
/// the whole image to be searched enlarged when nothing read (see
/// [`Budget::far_look`]): the far-away frames the rescan does not read
/// show one on 4 to 7.
const FAR_LOOK_ROWS: u32 = 4;

/// ... and on at most this many: a finder seen on more rows is sharp and
/// large enough for the looks at the image's own size, which have had it by
/// then. Those of the far-away frames read enlarged show on 4 to 8; a frame
/// of building windows shows several on 10 to 16, and its look enlarged
/// cost five times a frame's median.
const FAR_LOOK_MOST_ROWS: u32 = 12;

/// The largest frame (pixels) enlarged whole on the evidence of the local
/// threshold's rescan (see [`search`]): far-away symbols of 2 px a module
/// come in VGA frames, where the look costs four of them; a larger frame
/// gives the same symbol more pixels, and there the look mostly paid for
/// texture (a facade's windows).
const FAR_LOOK_LOCAL_PIXELS: usize = 640 * 480;

/// Finders a scan keeps for its triples (the best confirmed).
fn max_finders(options: &DecodeOptions) -> usize {
    if options.try_harder {
        60
    } else {
        30
    }
}

/// Fewer dark-on-light finders than this, three of them well confirmed,
/// still let the light-on-dark scan run (see [`search`]).
const FEW_FINDERS: usize = 8;

/// Triples of well-confirmed finders tried after a scan's best ones,
/// whatever their score (see [`locate::triples`]).
const STRONG_TRIPLES: usize = 8;

/// Triples of the wrapped-symbol scan considered, best first.
const WRAPPED_TRIPLES: usize = 8;

/// Triples of the wrapped pass's last round among which the one holding the
/// most finders is tried (see `locate::most_enclosing`), and how many it
/// must hold. On our corpora: +16 image-rotations, small code-free images
/// +1.6 % instructions; in every round +21 at +6.6 % on camera frames.
const ENCLOSING_CANDIDATES: usize = 32;
const ENCLOSING_LEAST: usize = 8;

/// The wrapped pass scans every row again when its scan of every other row
/// found at most this many finders (see [`search_wrapped`]): poles show 2-30,
/// code-free camera frames 30 (the cap), so these pay nothing for it; small
/// code-free images show fewer and pay for its rounds.
const WRAPPED_FINE_MOST_FINDERS: usize = 20;

/// Triples tried as wrapped symbols in each round of that rescan, best first.
const WRAPPED_FINE_TRIPLES: usize = 2;

/// Finders whose pairs [`wrapped_pairs`] completes, best confirmed first.
const WRAPPED_PAIR_FINDERS: usize = 4;

/// Completed pairs [`wrapped_pairs`] tries: 2 read 9 image-rotations more
/// on our corpora for 3 % more instructions on small code-free images.
/// Completing pairs in the rounds on the other bits too read 1 more for 9 %
/// (with 4 tries, 15 %).
const WRAPPED_PAIR_TRIES: usize = 2;

/// Finders the wrapped pass's scan must see for its rounds to run again on
/// the image transposed and on the global threshold's bits (see
/// [`search_wrapped`]): every pole they read showed 3 or more, and half of
/// the small code-free images that get the rescan show 1 or 2 (from 2, the
/// transposed rounds: +1 read, +8 % on those images).
const WRAPPED_AGAIN_LEAST: usize = 3;

/// Triples tried in a light-on-dark scan, unless trying harder: every
/// inverted read on our corpora came from the first, and in textured images,
/// where inverting makes finder-like rings of everything, the tail is costly.
const INVERTED_TRIPLES: usize = 16;

/// Finders tried as Micro QR or rMQR finders per scan, and over all passes
/// of one image (binarizers, inversion, enlargement), unless trying harder:
/// images with nothing readable cost a bounded amount more than QR alone.
const SMALL_FINDERS: usize = 12;
const SMALL_FINDERS_PER_IMAGE: usize = 16;

/// Finders with modules narrower than this (pixels, at full size) are tried
/// again as Micro QR / rMQR finders in the enlarged image; wider ones that
/// failed are not (see [`Budget::small_tried_before`]). An rMQR symbol with
/// 2 px modules reads only enlarged (the limit must exceed 2.5 px for it);
/// 4 leaves a margin.
pub(super) const SMALL_RETRY_MODULE: f32 = 4.0;

/// Looks for Micro QR and rMQR symbols around the finders no QR Code used,
/// best confirmed first.
fn scan_small(
    bits: &binarize::BitImage,
    finders: &[find::Finder],
    used: &[bool],
    inverted: bool,
    options: &DecodeOptions,
    found: &mut Vec<Decoded>,
    budget: &mut Budget,
) {
    // Once a symbol was read, only well-confirmed finders: on a camera frame
    // the rest are texture round the code, each tried for a search, while a
    // small symbol's finder of 2 px modules or more is crossed by three
    // scanned rows.
    let after_read = !found.is_empty() && !options.try_harder;
    let mut order: Vec<usize> = (0..finders.len())
        .filter(|&i| !used[i] && (!after_read || finders[i].count >= locate::STRONG_ROWS))
        .collect();
    // Equal counts in index order, as a stable sort would keep them.
    order.sort_unstable_by_key(|&i| (std::cmp::Reverse(finders[i].count), i));
    if !options.try_harder {
        order.truncate(SMALL_FINDERS);
    }
    for i in order {
        if found.len() >= options.max_symbols {
            return;
        }
        let f = &finders[i];
        // A finder inside a symbol already read belongs to it.
        if found.iter().any(|d| inside(d.corners(), f.x, f.y)) {
            continue;
        }
        if budget.small_left == 0 {
            return;
        }
        if budget.small_tried_before(f, options.try_harder) {
            continue;
        }
        budget.small_left -= 1;
        let Some(corners) = micro_rmqr::finder_corners(bits, f) else {
            continue;
        };
        let micro = if options.reads(Symbology::MicroQr) {
            micro_rmqr::read_micro(bits, &corners)
        } else {
            None
        };
        // An rMQR symbol's top-left corner looks like a Micro QR (finder,
        // timing along the top row and the left column), and an M1's check
        // is two codewords of error detection: a read there can be chance.
        // The rMQR reading, held to its sub-finder and a much stronger
        // Reed-Solomon check, wins when both read.
        let rmqr = if options.reads(Symbology::Rmqr) {
            micro_rmqr::read_rmqr(bits, &corners)
        } else {
            None
        };
        let hit = rmqr.or(micro);
        if let Some(h) = hit {
            if let Attempt::Decoded(d) = decoded(h.content, h.corners, inverted, options) {
                if !found.iter().any(|g| same_symbol(g, &d)) {
                    found.push(*d);
                }
            }
        }
    }
}

/// Whether `(x, y)` lies inside the quadrilateral (TL, TR, BR, BL).
fn inside(q: [Point; 4], x: f32, y: f32) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x);
        if cross != 0.0 {
            if sign != 0.0 && cross.signum() != sign {
                return false;
            }
            sign = cross.signum();
        }
    }
    true
}

/// Triples tried after a symbol was read in one scan (not trying harder).
const FURTHER_TRIPLES: usize = 8;

/// Whether the triple and a symbol already read hold one another: a small
/// code printed inside a larger one (read first or second), whose timing
/// patterns at 2-3 px per module after blur may fail the check that keeps
/// texture out.
fn nested_in_found(found: &[Decoded], finders: &[find::Finder], t: &locate::Triple) -> bool {
    let [tl, tr, bl] = [t.tl, t.tr, t.bl].map(|i| Point {
        x: finders[i].x,
        y: finders[i].y,
    });
    let br = Point {
        x: tr.x + bl.x - tl.x,
        y: tr.y + bl.y - tl.y,
    };
    let triple = [tl, tr, br, bl];
    found.iter().any(|d| {
        let q = d.corners();
        let centre = Point {
            x: (q[0].x + q[2].x) / 2.0,
            y: (q[0].y + q[2].y) / 2.0,
        };
        [tl, tr, bl].iter().all(|p| inside(q, p.x, p.y)) || inside(triple, centre.x, centre.y)
    })
}

/// The same symbol found twice (e.g. by two binarizers): same payload, centres close.
fn same_symbol(a: &Decoded, b: &Decoded) -> bool {
    let centre = |d: &Decoded| {
        let c = d.corners();
        ((c[0].x + c[2].x) / 2.0, (c[0].y + c[2].y) / 2.0)
    };
    let (ca, cb) = (centre(a), centre(b));
    let side = (a.corners()[1].x - a.corners()[0].x).hypot(a.corners()[1].y - a.corners()[0].y);
    a.bytes() == b.bytes() && (ca.0 - cb.0).hypot(ca.1 - cb.1) < side / 2.0
}
